//! Record-by-record comparison of two release directories (their `data/records.jsonl`).

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::{Nature, passages};

/// One record present in both releases whose content differs.
#[derive(Debug, Serialize)]
pub struct ChangedRecord {
    pub id: String,
    /// Top-level fields whose values differ.
    pub fields: Vec<String>,
    /// The first passages where the record text differs (`old` → `new`).
    pub text_changes: Vec<TextChange>,
    /// Claim ids (`<record id>#<id>`) added, withdrawn or changed in this record.
    pub claims_added: Vec<String>,
    pub claims_withdrawn: Vec<String>,
    pub claims_changed: Vec<String>,
}

/// The claims of a record's JSON, by claim id.
fn claims_of(record: &Value) -> BTreeMap<String, &Value> {
    let id = record.get("id").and_then(Value::as_str).unwrap_or("");
    record
        .get("claims")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| {
                    let local = c.get("id")?.as_str()?;
                    Some((format!("{id}#{local}"), c))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Serialize)]
pub struct TextChange {
    pub context: String,
    pub old: String,
    pub new: String,
    pub nature: &'static str,
}

/// What differs between an old and a new release.
#[derive(Debug, Serialize)]
pub struct ReleaseDiff {
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    pub added: Vec<String>,
    pub withdrawn: Vec<String>,
    pub changed: Vec<ChangedRecord>,
}

impl ReleaseDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.withdrawn.is_empty() && self.changed.is_empty()
    }
}

const MAX_TEXT_CHANGES: usize = 5;

fn read_records(dir: &Path) -> Result<BTreeMap<String, Value>> {
    let path = dir.join("data").join("records.jsonl");
    let file = std::fs::File::open(&path).with_context(|| {
        format!(
            "cannot open {}: is {} a release directory?",
            path.display(),
            dir.display()
        )
    })?;
    let mut out = BTreeMap::new();
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let v: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}:1: not a JSON record", path.display(), n + 1))?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .with_context(|| format!("{}:{}:1: record without an id", path.display(), n + 1))?
            .to_string();
        if let Some(first) = first_line.insert(id.clone(), n + 1) {
            anyhow::bail!(
                "{}:{}:1: the record `{}` appears a second time (first on line {first}); a release holds each record once, so this release is damaged: rebuild it with `khojaly release`",
                path.display(),
                n + 1,
                crate::model::text::escape_controls(&id)
            );
        }
        out.insert(id, v);
    }
    Ok(out)
}

fn version_of(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("bag-info.txt")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("Version:"))
        .map(|v| v.trim().to_string())
}

pub fn diff(old_dir: &Path, new_dir: &Path) -> Result<ReleaseDiff> {
    let old = read_records(old_dir)?;
    let new = read_records(new_dir)?;
    let added = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .cloned()
        .collect();
    let withdrawn = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let mut changed = Vec::new();
    for (id, n) in &new {
        let Some(o) = old.get(id) else { continue };
        if o == n {
            continue;
        }
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            continue;
        };
        let mut fields: Vec<String> = om
            .keys()
            .chain(nm.keys())
            .filter(|k| om.get(*k) != nm.get(*k))
            .cloned()
            .collect();
        fields.sort();
        fields.dedup();
        let text = |v: &Value| {
            v.get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let text_changes = passages(&text(o), &text(n))
            .into_iter()
            .take(MAX_TEXT_CHANGES)
            .map(|p| TextChange {
                context: p.context,
                old: p.a,
                new: p.b,
                nature: match p.nature {
                    Nature::OnlyInA => "removed",
                    Nature::OnlyInB => "added",
                    other => other.as_str(),
                },
            })
            .collect();
        let (oc, nc) = (claims_of(o), claims_of(n));
        let claims_added = nc
            .keys()
            .filter(|k| !oc.contains_key(*k))
            .cloned()
            .collect();
        let claims_withdrawn = oc
            .keys()
            .filter(|k| !nc.contains_key(*k))
            .cloned()
            .collect();
        let claims_changed = nc
            .iter()
            .filter(|(k, v)| oc.get(*k).is_some_and(|o| o != *v))
            .map(|(k, _)| k.clone())
            .collect();
        changed.push(ChangedRecord {
            id: id.clone(),
            fields,
            text_changes,
            claims_added,
            claims_withdrawn,
            claims_changed,
        });
    }
    Ok(ReleaseDiff {
        old_version: version_of(old_dir),
        new_version: version_of(new_dir),
        added,
        withdrawn,
        changed,
    })
}
