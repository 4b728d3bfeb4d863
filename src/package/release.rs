//! Building a release directory: written whole into a temporary directory, then renamed.
//!
//! A failed or interrupted run leaves nothing half-written, and an existing release is never
//! replaced by different content: the same version must always mean the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::export::jsonl::JsonLines;
use crate::export::schema_files::schema_files;
use crate::export::tables::{body_row, compilation_row, record_rows};
use crate::export::{TableSet, all_specs};
use crate::model::edtf;
use crate::validate::Corpus;

/// What a release run did.
#[derive(Debug)]
pub enum ReleaseOutcome {
    /// A new release directory was written.
    Written(ReleaseSummary),
    /// The release already existed with exactly these bytes; nothing was changed.
    Unchanged(ReleaseSummary),
    /// The release already existed with other content; nothing was changed.
    Refused {
        dir: PathBuf,
        differing: Vec<String>,
    },
}

#[derive(Debug)]
pub struct ReleaseSummary {
    pub dir: PathBuf,
    pub rows: BTreeMap<String, u64>,
    pub files: usize,
}

/// The moment every written file is stamped with: SOURCE_DATE_EPOCH if set, else the
/// dataset's release date at midnight UTC. Never the clock.
pub fn release_epoch(release_date: &str) -> Result<i64> {
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        return v
            .trim()
            .parse::<i64>()
            .with_context(|| format!("SOURCE_DATE_EPOCH is not a whole number of seconds: `{v}`"));
    }
    let days = edtf::parse(release_date)
        .ok()
        .and_then(|e| e.start)
        .with_context(|| format!("release_date `{release_date}` is not a date"))?;
    Ok(i64::from(days) * 86_400)
}

/// Builds the release of `corpus` under `out`.
pub fn build(corpus: &Corpus, out: &Path) -> Result<ReleaseOutcome> {
    let ds = &corpus.dataset;
    let name = format!("{}-{}", ds.name, ds.version);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let target = out.join(&name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.partial-"))
        .tempdir_in(out)
        .with_context(|| format!("cannot create a temporary directory in {}", out.display()))?;
    let root = staging.path();
    let payload = root.join("data");
    std::fs::create_dir_all(payload.join("schema/tables"))?;

    let rows = write_tables(corpus, &payload)?;
    for (rel, content) in schema_files() {
        std::fs::write(payload.join("schema").join(rel), content)?;
    }
    write_checksums(root)?;
    let epoch = release_epoch(&ds.release_date)?;
    stamp_tree(root, epoch)?;
    let files = list_files(root)?.len();
    let summary = ReleaseSummary {
        dir: target.clone(),
        rows,
        files,
    };

    if target.exists() {
        let differing = compare_trees(root, &target)?;
        return Ok(if differing.is_empty() {
            ReleaseOutcome::Unchanged(summary)
        } else {
            ReleaseOutcome::Refused {
                dir: target,
                differing,
            }
        });
    }
    let staged = staging.keep();
    set_dir_mode(&staged)?;
    std::fs::rename(&staged, &target).with_context(|| {
        format!(
            "cannot move the finished release into place at {}",
            target.display()
        )
    })?;
    Ok(ReleaseOutcome::Written(summary))
}

fn write_tables(corpus: &Corpus, payload: &Path) -> Result<BTreeMap<String, u64>> {
    let mut tables = TableSet::create(payload, all_specs())?;
    let mut jsonl = JsonLines::create(&payload.join("records.jsonl"))?;
    for file in &corpus.record_files {
        let record = corpus.read_record(file)?;
        let kind_spec = tables
            .spec(record.kind.as_str())
            .cloned()
            .context("internal error: a kind without a table")?;
        let rows = record_rows(&record, corpus.bodies.get(&record.body), &kind_spec);
        tables.push("records", rows.record)?;
        tables.push(rows.kind.0.as_str(), rows.kind.1)?;
        for r in rows.appearances {
            tables.push("appearances", r)?;
        }
        for r in rows.emendations {
            tables.push("emendations", r)?;
        }
        for r in rows.footnotes {
            tables.push("footnotes", r)?;
        }
        for r in rows.parallel_texts {
            tables.push("parallel_texts", r)?;
        }
        jsonl.push(&record)?;
    }
    jsonl.finish()?;
    for body in corpus.bodies.values() {
        tables.push("bodies", body_row(body))?;
    }
    for c in corpus.compilations.values() {
        tables.push(
            "compilations",
            compilation_row(&c.meta, c.transcription.line_count()),
        )?;
    }
    tables.finish()
}

/// Relative paths of every file under `root`, sorted, with `/` separators.
pub fn list_files(root: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, root, out)?;
            } else {
                let rel = path
                    .strip_prefix(root)?
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.sort();
    Ok(out)
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(base16ct::lower::encode_string(&Sha256::digest(&bytes)))
}

/// SHA256SUMS in the format `sha256sum -c` reads.
fn write_checksums(root: &Path) -> Result<()> {
    let mut out = String::new();
    for rel in list_files(root)? {
        out.push_str(&format!("{}  {rel}\n", sha256_file(&root.join(&rel))?));
    }
    std::fs::write(root.join("SHA256SUMS"), out)?;
    Ok(())
}

/// Sets every file's modification time to the release moment, so nothing carries the clock.
fn stamp_tree(root: &Path, epoch: i64) -> Result<()> {
    let when = if epoch >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(epoch as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(epoch.unsigned_abs())
    };
    for rel in list_files(root)? {
        let f = std::fs::File::options().write(true).open(root.join(&rel))?;
        f.set_modified(when)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_dir_mode(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn set_dir_mode(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Files that differ between two trees (present in one only, or with other bytes).
pub fn compare_trees(a: &Path, b: &Path) -> Result<Vec<String>> {
    let fa = list_files(a)?;
    let fb = list_files(b)?;
    let mut differing = Vec::new();
    let all: std::collections::BTreeSet<&String> = fa.iter().chain(fb.iter()).collect();
    for rel in all {
        let (pa, pb) = (a.join(rel), b.join(rel));
        let same = pa.exists() && pb.exists() && std::fs::read(&pa)? == std::fs::read(&pb)?;
        if !same {
            differing.push(rel.clone());
        }
    }
    Ok(differing)
}
