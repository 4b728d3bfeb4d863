//! Published versions, recorded in data/releases/, and the rule a new version number must follow.
//!
//! Each published release leaves a manifest, `data/releases/<version>.manifest`: the release
//! date, a digest of the schemas, a digest of the dataset metadata (dataset.toml without its
//! version and date, compilations, bodies) and one digest per record (of its JSON Lines line).
//! That is enough to tell, for the next release, what was added, withdrawn or changed, without
//! keeping old data around. The rule (semantic versioning for a dataset):
//! - schema changed (fields or tables): major;
//! - records added or withdrawn: minor;
//! - records or metadata corrected: patch.
//!
//! Before 1.0.0 (initial development, semantic versioning's rule 4, read as Cargo reads 0.x
//! versions) a schema change needs a minor step: 0.1.0 -> 0.2.0.
//!
//! A version once published is immutable: releasing it again from other data is refused.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::version::Version;

/// The digests of one published release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub version: Version,
    pub release_date: String,
    pub schema_sha256: String,
    pub metadata_sha256: String,
    /// Record id → sha256 of its JSON Lines line.
    pub records: BTreeMap<String, String>,
    /// Claim id (`<record id>#<id>`) → sha256 of the claim's JSON; empty in manifests written
    /// before claims existed.
    pub claims: BTreeMap<String, String>,
}

const HEADER: &str = "# khojaly published-release manifest: written by `khojaly release`; do not edit.\n# One line per record: `record <sha256 of its records.jsonl line> <id>`.\n";

/// The header's second part, written only when the release has claims (so manifests of
/// releases without claims keep their bytes).
const CLAIMS_HEADER: &str =
    "# One line per claim: `claim <sha256 of the claim's JSON> <claim id>`.\n";

impl Manifest {
    pub fn to_text(&self) -> String {
        let mut s = self.header_text(!self.claims.is_empty());
        for (id, sum) in &self.records {
            s.push_str(&record_line(id, sum));
        }
        for (id, sum) in &self.claims {
            s.push_str(&claim_line(id, sum));
        }
        s
    }

    /// The lines before the records: comments, version, date and digests.
    pub fn header_text(&self, has_claims: bool) -> String {
        let mut s = String::from(HEADER);
        if has_claims {
            s.push_str(CLAIMS_HEADER);
        }
        s.push_str(&format!("version {}\n", self.version));
        s.push_str(&format!("release_date {}\n", self.release_date));
        s.push_str(&format!("schema {}\n", self.schema_sha256));
        s.push_str(&format!("metadata {}\n", self.metadata_sha256));
        s
    }

    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        Manifest::parse_located(text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: {}; this file is written by `khojaly release` and must not be edited",
                path.display(),
                e.line,
                e.message
            )
        })
    }

    /// Parses a manifest, saying on which line (1-based) it breaks; line 0 means the whole file.
    pub fn parse_located(text: &str) -> Result<Manifest, ManifestError> {
        let mut version = None;
        let mut release_date = None;
        let mut schema = None;
        let mut metadata = None;
        let mut records = BTreeMap::new();
        let mut claims = BTreeMap::new();
        let is_sha256 = |s: &str| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let err = |message: String| ManifestError {
                line: n + 1,
                message,
            };
            let bad = || err(format!("unreadable manifest line `{}`", printable(line)));
            let (key, rest) = line.split_once(' ').ok_or_else(bad)?;
            let once = |slot: bool| {
                if slot {
                    Err(err(format!("a second `{key}` line")))
                } else {
                    Ok(())
                }
            };
            match key {
                "version" => {
                    once(version.is_some())?;
                    version = Some(Version::parse(rest).ok_or_else(|| {
                        err(format!(
                            "`{}` is not a version (MAJOR.MINOR.PATCH)",
                            printable(rest)
                        ))
                    })?);
                }
                "release_date" => {
                    once(release_date.is_some())?;
                    let ok = crate::model::edtf::parse(rest).is_ok_and(|e| {
                        e.precision == Some(crate::model::edtf::Precision::Day)
                            && rest.len() == 10
                            && !rest.contains(['X', '?', '~', '%', '/'])
                    });
                    if !ok {
                        return Err(err(format!(
                            "`{}` is not a date (YYYY-MM-DD)",
                            printable(rest)
                        )));
                    }
                    release_date = Some(rest.to_string());
                }
                "schema" | "metadata" => {
                    once(if key == "schema" {
                        schema.is_some()
                    } else {
                        metadata.is_some()
                    })?;
                    if !is_sha256(rest) {
                        return Err(err(format!(
                            "`{key}` must be a SHA-256 in lower-case hex, not `{}`",
                            printable(rest)
                        )));
                    }
                    if key == "schema" {
                        schema = Some(rest.to_string());
                    } else {
                        metadata = Some(rest.to_string());
                    }
                }
                "record" => {
                    let (sum, id) = rest.split_once(' ').ok_or_else(bad)?;
                    if !is_sha256(sum) || id.is_empty() || id.contains(char::is_whitespace) {
                        return Err(bad());
                    }
                    if records.insert(id.to_string(), sum.to_string()).is_some() {
                        return Err(err(format!("the record `{id}` is listed twice")));
                    }
                }
                "claim" => {
                    let (sum, id) = rest.split_once(' ').ok_or_else(bad)?;
                    if !is_sha256(sum) || !id.contains('#') || id.contains(char::is_whitespace) {
                        return Err(bad());
                    }
                    if claims.insert(id.to_string(), sum.to_string()).is_some() {
                        return Err(err(format!("the claim `{id}` is listed twice")));
                    }
                }
                _ => return Err(bad()),
            }
        }
        let missing = |what: &str| ManifestError {
            line: 0,
            message: format!("the manifest has no `{what}` line"),
        };
        Ok(Manifest {
            version: version.ok_or_else(|| missing("version"))?,
            release_date: release_date.ok_or_else(|| missing("release_date"))?,
            schema_sha256: schema.ok_or_else(|| missing("schema"))?,
            metadata_sha256: metadata.ok_or_else(|| missing("metadata"))?,
            records,
            claims,
        })
    }
}

/// A record's line in a manifest.
pub fn record_line(id: &str, sha256: &str) -> String {
    format!("record {sha256} {id}\n")
}

/// A claim's line in a manifest.
pub fn claim_line(id: &str, sha256: &str) -> String {
    format!("claim {sha256} {id}\n")
}

/// Why a manifest cannot be read, and on which line (1-based; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub line: usize,
    pub message: String,
}

/// A line of a file as it can be shown on a terminal: control characters escaped.
fn printable(s: &str) -> String {
    s.chars()
        .take(80)
        .flat_map(|c| {
            if c.is_control() || crate::validate::hygiene::is_bidi_control(c) {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The directory of manifests inside a data directory.
pub fn releases_dir(data: &Path) -> PathBuf {
    data.join("releases")
}

/// Every published manifest under `data/releases/`, by version.
pub fn published(data: &Path) -> Result<BTreeMap<Version, (PathBuf, Manifest)>> {
    let dir = releases_dir(data);
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("manifest") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let m = Manifest::parse(&text, &path)?;
        out.insert(m.version, (path, m));
    }
    Ok(out)
}

/// How big a change is, in semantic-versioning terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// What changed between a published release and the data now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub previous: Version,
    pub previous_date: String,
    pub added: Vec<String>,
    pub withdrawn: Vec<String>,
    pub changed: Vec<String>,
    /// Claims added, withdrawn and changed (by claim id).
    pub claims_added: Vec<String>,
    pub claims_withdrawn: Vec<String>,
    pub claims_changed: Vec<String>,
    pub schema_changed: bool,
    pub metadata_changed: bool,
}

impl Changes {
    pub fn between(old: &Manifest, new: &Manifest) -> Changes {
        let (added, withdrawn, changed) = compare(&old.records, &new.records);
        let (claims_added, claims_withdrawn, claims_changed) = compare(&old.claims, &new.claims);
        Changes {
            claims_added,
            claims_withdrawn,
            claims_changed,
            previous: old.version,
            previous_date: old.release_date.clone(),
            added,
            withdrawn,
            changed,
            schema_changed: old.schema_sha256 != new.schema_sha256,
            metadata_changed: old.metadata_sha256 != new.metadata_sha256,
        }
    }

    /// The claim changes in words (`3 claims added, 1 changed`), or None.
    pub fn claims_summary(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.claims_added.len(), "added"),
            (self.claims_withdrawn.len(), "withdrawn"),
            (self.claims_changed.len(), "changed"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} claim{} {what}", if n == 1 { "" } else { "s" }))
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The smallest version step these changes need; None when nothing changed. Claims count
    /// like records: added or withdrawn, minor; changed, patch.
    pub fn required(&self) -> Option<Level> {
        if self.schema_changed {
            Some(Level::Major)
        } else if !self.added.is_empty()
            || !self.withdrawn.is_empty()
            || !self.claims_added.is_empty()
            || !self.claims_withdrawn.is_empty()
        {
            Some(Level::Minor)
        } else if !self.changed.is_empty()
            || !self.claims_changed.is_empty()
            || self.metadata_changed
        {
            Some(Level::Patch)
        } else {
            None
        }
    }

    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.schema_changed {
            parts.push("the schema changed".to_string());
        }
        for (n, what) in [
            (self.added.len(), "added"),
            (self.withdrawn.len(), "withdrawn"),
            (self.changed.len(), "changed"),
        ] {
            if n > 0 {
                parts.push(format!(
                    "{n} record{} {what}",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        if let Some(claims) = self.claims_summary() {
            parts.push(claims);
        }
        if self.metadata_changed {
            parts.push("dataset metadata changed".into());
        }
        if parts.is_empty() {
            "nothing changed".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Ids added, withdrawn and changed between two digest maps.
fn compare(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for (id, sum) in new {
        match old.get(id) {
            None => added.push(id.clone()),
            Some(s) if s != sum => changed.push(id.clone()),
            _ => {}
        }
    }
    let withdrawn = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    (added, withdrawn, changed)
}

/// The level a change of `level` needs after version `from`: before 1.0.0 a major change is a
/// minor step.
pub fn within(level: Level, from: Version) -> Level {
    if from.major == 0 && level == Level::Major {
        Level::Minor
    } else {
        level
    }
}

/// The step from `old` to `new`, when `new` is the next version at some level.
pub fn step(old: Version, new: Version) -> Option<Level> {
    [Level::Major, Level::Minor, Level::Patch]
        .into_iter()
        .find(|l| suggest(old, *l) == new)
}

/// What the policy says about releasing `current` now.
#[derive(Debug)]
pub enum Verdict {
    /// This version was published from exactly this data: releasing it again is fine.
    Republish,
    /// A new version; `changes` against the previous published one (None for the first).
    New { changes: Option<Changes> },
    /// Not allowed, with the reason and what to do.
    Refused(String),
}

pub fn judge(published: &BTreeMap<Version, (PathBuf, Manifest)>, current: &Manifest) -> Verdict {
    let v = current.version;
    if let Some((path, old)) = published.get(&v) {
        if old == current {
            return Verdict::Republish;
        }
        let changes = Changes::between(old, current);
        let what = if old.release_date != current.release_date && changes.required().is_none() {
            format!(
                "its release date was {}, now {}",
                old.release_date, current.release_date
            )
        } else {
            changes.summary()
        };
        return Verdict::Refused(format!(
            "version {v} was already published ({}) from other data: {what}. A published version never changes; raise `version` in dataset.toml (suggested: {})",
            path.display(),
            suggest(v, within(changes.required().unwrap_or(Level::Patch), v))
        ));
    }
    if let Some(reuse) = reused_ids(published, current) {
        return Verdict::Refused(reuse);
    }
    if let Some((later, _)) = published.range(v..).next() {
        return Verdict::Refused(format!(
            "version {v} is older than the published version {later}; raise `version` in dataset.toml above {later}"
        ));
    }
    let Some((_, (_, last))) = published.iter().next_back() else {
        return Verdict::New { changes: None };
    };
    let changes = Changes::between(last, current);
    let Some(required) = changes.required().map(|l| within(l, last.version)) else {
        return Verdict::Refused(format!(
            "nothing changed since the published version {}; there is nothing to release as {v} (set `version` back to {} to rebuild that release)",
            last.version, last.version
        ));
    };
    match step(last.version, v) {
        None => Verdict::Refused(format!(
            "version {v} does not follow the published version {}: the next version is {} (patch), {} (minor) or {} (major); since then {}, which needs a {required} release",
            last.version,
            suggest(last.version, Level::Patch),
            suggest(last.version, Level::Minor),
            suggest(last.version, Level::Major),
            changes.summary()
        )),
        Some(level) if level < required => Verdict::Refused(format!(
            "since the published version {} {}, which needs a {required} release: set `version` to {} instead of {v}",
            last.version,
            changes.summary(),
            suggest(last.version, required)
        )),
        Some(_) => Verdict::New {
            changes: Some(changes),
        },
    }
}

/// Ids withdrawn in some published version (present in a manifest, absent from a later one),
/// with the version that withdrew them. Ids are never reused, so none may come back.
pub fn retired_ids(manifests: &[&Manifest]) -> BTreeMap<String, Version> {
    let mut sorted: Vec<&Manifest> = manifests.to_vec();
    sorted.sort_by_key(|m| m.version);
    let mut retired: BTreeMap<String, Version> = BTreeMap::new();
    for pair in sorted.windows(2) {
        let [old, new] = pair else { continue };
        for id in old.records.keys() {
            if !new.records.contains_key(id) {
                retired.entry(id.clone()).or_insert(new.version);
            }
        }
    }
    retired
}

/// The refusal for a release that brings back a withdrawn id, if it does.
fn reused_ids(
    published: &BTreeMap<Version, (PathBuf, Manifest)>,
    current: &Manifest,
) -> Option<String> {
    let manifests: Vec<&Manifest> = published
        .values()
        .filter(|(_, m)| m.version != current.version)
        .map(|(_, m)| m)
        .collect();
    let reused: Vec<String> = retired_ids(&manifests)
        .into_iter()
        .filter(|(id, _)| current.records.contains_key(id))
        .map(|(id, v)| format!("`{id}` (withdrawn in {v})"))
        .collect();
    (!reused.is_empty()).then(|| {
        format!(
            "record ids are never reused, but this release brings back {}; give the record{} a new id",
            reused.join(", "),
            if reused.len() == 1 { "" } else { "s" }
        )
    })
}

/// The next version after `v` at `level`.
fn suggest(v: Version, level: Level) -> Version {
    match level {
        Level::Major => Version {
            major: v.major.saturating_add(1),
            minor: 0,
            patch: 0,
        },
        Level::Minor => Version {
            major: v.major,
            minor: v.minor.saturating_add(1),
            patch: 0,
        },
        Level::Patch => Version {
            major: v.major,
            minor: v.minor,
            patch: v.patch.saturating_add(1),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in SHA-256 for a short label, so manifests stay readable in tests.
    fn hex(label: &str) -> String {
        use sha2::{Digest, Sha256};
        base16ct::lower::encode_string(&Sha256::digest(label))
    }

    fn manifest(v: &str, records: &[(&str, &str)], schema: &str) -> Manifest {
        Manifest {
            version: Version::parse(v).expect("test version"),
            release_date: "2026-01-01".into(),
            schema_sha256: hex(schema),
            metadata_sha256: hex("m"),
            records: records
                .iter()
                .map(|(a, b)| (a.to_string(), hex(b)))
                .collect(),
            claims: BTreeMap::new(),
        }
    }

    #[test]
    fn claims_count_like_records_and_round_trip_in_the_manifest() {
        let mut old = manifest("0.2.0", &[("a", "1")], "s");
        old.claims.insert("a#c1".into(), hex("x"));
        let text = old.to_text();
        assert!(text.contains("claim "), "{text}");
        assert_eq!(Manifest::parse_located(&text), Ok(old.clone()));
        // A manifest without claims keeps the bytes it always had.
        assert!(
            !manifest("0.1.0", &[("a", "1")], "s")
                .to_text()
                .contains("claim")
        );
        let mut new = manifest("0.2.1", &[("a", "1")], "s");
        new.claims.insert("a#c1".into(), hex("y"));
        let c = Changes::between(&old, &new);
        assert_eq!(c.claims_changed, vec!["a#c1".to_string()]);
        assert_eq!(c.required(), Some(Level::Patch));
        new.claims.insert("a#c2".into(), hex("z"));
        let c = Changes::between(&old, &new);
        assert_eq!(c.claims_added, vec!["a#c2".to_string()]);
        assert_eq!(c.required(), Some(Level::Minor));
        assert!(
            c.summary().contains("1 claim added, 1 claim changed"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn a_withdrawn_id_never_comes_back() {
        let mut published = published_with(manifest("0.1.0", &[("a", "1"), ("b", "2")], "s"));
        let second = manifest("0.2.0", &[("a", "1")], "s");
        published.insert(second.version, (PathBuf::from("y.manifest"), second));
        let now = manifest("0.3.0", &[("a", "1"), ("b", "2")], "s");
        assert!(
            matches!(judge(&published, &now), Verdict::Refused(m) if m.contains("`b` (withdrawn in 0.2.0)"))
        );
        let now = manifest("0.3.0", &[("a", "1"), ("c", "2")], "s");
        assert!(matches!(judge(&published, &now), Verdict::New { .. }));
    }

    #[test]
    fn a_broken_manifest_names_its_line() {
        let good = manifest("0.1.0", &[("a", "1")], "s").to_text();
        for (text, line) in [
            (good.replace("version 0.1.0", "version zero"), 3),
            (
                good.replace("release_date 2026-01-01", "release_date soon"),
                4,
            ),
            (format!("{good}record zz a\n"), 8),
            (
                format!(
                    "{good}{}",
                    good.lines()
                        .last()
                        .map(|l| format!("{l}\n"))
                        .unwrap_or_default()
                ),
                8,
            ),
            (format!("{good}garbage\n"), 8),
            (good.replace("version 0.1.0\n", ""), 0),
        ] {
            let e = Manifest::parse_located(&text).expect_err("broken manifest");
            assert_eq!(e.line, line, "{text}: {e:?}");
        }
    }

    fn published_with(m: Manifest) -> BTreeMap<Version, (PathBuf, Manifest)> {
        BTreeMap::from([(m.version, (PathBuf::from("x.manifest"), m))])
    }

    #[test]
    fn manifest_round_trips_through_text() {
        let m = manifest("1.2.3", &[("a", "1"), ("b", "2")], "s");
        assert_eq!(
            Manifest::parse(&m.to_text(), Path::new("m")).expect("parses"),
            m
        );
    }

    #[test]
    fn the_bump_must_fit_the_changes() {
        let old = published_with(manifest("0.1.0", &[("a", "1"), ("b", "2")], "s"));
        // A correction: patch is enough, minor and major are allowed.
        for (v, ok) in [
            ("0.1.1", true),
            ("0.2.0", true),
            ("1.0.0", true),
            ("0.1.2", false),
        ] {
            let now = manifest(v, &[("a", "1"), ("b", "3")], "s");
            assert_eq!(matches!(judge(&old, &now), Verdict::New { .. }), ok, "{v}");
        }
        // An added record needs minor.
        let now = manifest("0.1.1", &[("a", "1"), ("b", "2"), ("c", "4")], "s");
        assert!(matches!(judge(&old, &now), Verdict::Refused(m) if m.contains("0.2.0")));
        // A schema change needs major, which before 1.0.0 is a minor step.
        let now = manifest("0.1.1", &[("a", "1"), ("b", "2")], "t");
        assert!(matches!(judge(&old, &now), Verdict::Refused(m) if m.contains("0.2.0")));
        let now = manifest("0.2.0", &[("a", "1"), ("b", "2")], "t");
        assert!(matches!(judge(&old, &now), Verdict::New { .. }));
        let one = published_with(manifest("1.0.0", &[("a", "1")], "s"));
        let now = manifest("1.1.0", &[("a", "1")], "t");
        assert!(matches!(judge(&one, &now), Verdict::Refused(m) if m.contains("2.0.0")));
        // The same version from other data is refused; from the same data it is fine.
        let now = manifest("0.1.0", &[("a", "1"), ("b", "3")], "s");
        assert!(
            matches!(judge(&old, &now), Verdict::Refused(m) if m.contains("already published"))
        );
        let now = manifest("0.1.0", &[("a", "1"), ("b", "2")], "s");
        assert!(matches!(judge(&old, &now), Verdict::Republish));
    }
}
