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
//!
//! Manifests are read and walked by `load::manifest`, never held in memory.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::Result;

pub use crate::load::manifest::{
    Entries, EntryKind, Header, ManifestSource, Published, Step, claim_line, record_line,
    releases_dir, same, walk,
};
use crate::model::version::Version;

/// What of a JSON Schema the version rules compare: its structure (fields, types, required,
/// allowed values), without the words meant for readers (`title`, `description`, `examples`,
/// `$comment`), so that rewording a field's description is no schema change.
pub fn schema_structure(content: &str) -> Vec<u8> {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for key in ["title", "description", "examples", "$comment"] {
                    // A property may be named like a keyword: only strings and arrays of
                    // examples are words, a `properties.title` object is structure.
                    if map.get(key).is_some_and(|v| v.is_string() || v.is_array()) {
                        map.remove(key);
                    }
                }
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(content) {
        Ok(mut value) => {
            strip(&mut value);
            serde_json::to_vec(&value).unwrap_or_else(|_| content.as_bytes().to_vec())
        }
        // The schemas are generated, so always JSON; were one not, its bytes are its structure.
        Err(_) => content.as_bytes().to_vec(),
    }
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

/// The ids listed by kind of change in a release's CHANGELOG: the first `LISTED_IDS` in id
/// order, then only the count, so that a version adding a million records compares in bounded
/// memory (`khojaly diff OLD NEW` gives every id and field).
pub const LISTED_IDS: usize = 10_000;

/// The ids of one kind of change: how many there are, and the first `LISTED_IDS` of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdList {
    count: usize,
    listed: Vec<String>,
}

impl IdList {
    pub fn push(&mut self, id: String) {
        self.count = self.count.saturating_add(1);
        if self.listed.len() < LISTED_IDS {
            self.listed.push(id);
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The ids listed, in id order: all of them up to `LISTED_IDS`.
    pub fn listed(&self) -> &[String] {
        &self.listed
    }

    /// How many ids are counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.count.saturating_sub(self.listed.len())
    }
}

/// What changed between a published release and the data now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub previous: Version,
    pub previous_date: String,
    pub added: IdList,
    pub withdrawn: IdList,
    pub changed: IdList,
    /// Claims added, withdrawn and changed (by claim id).
    pub claims_added: IdList,
    pub claims_withdrawn: IdList,
    pub claims_changed: IdList,
    pub schema_changed: bool,
    pub metadata_changed: bool,
}

impl Changes {
    /// What changed from `old` to `new`, in one walk of both.
    pub fn between(old: &dyn ManifestSource, new: &dyn ManifestSource) -> Result<Changes> {
        let (oh, nh) = (old.header(), new.header());
        let mut changes = Changes {
            previous: oh.version,
            previous_date: oh.release_date.clone(),
            added: IdList::default(),
            withdrawn: IdList::default(),
            changed: IdList::default(),
            claims_added: IdList::default(),
            claims_withdrawn: IdList::default(),
            claims_changed: IdList::default(),
            schema_changed: oh.schema_sha256 != nh.schema_sha256,
            metadata_changed: oh.metadata_sha256 != nh.metadata_sha256,
        };
        walk(old, new, |step| {
            let (entry, list) = match step {
                Step::OnlyOld(e) => (e, Which::Withdrawn),
                Step::OnlyNew(e) => (e, Which::Added),
                Step::Both(e, old_sum) if e.sha256 != old_sum => (e, Which::Changed),
                Step::Both(..) => return,
            };
            let list = match (entry.kind, list) {
                (EntryKind::Record, Which::Added) => &mut changes.added,
                (EntryKind::Record, Which::Withdrawn) => &mut changes.withdrawn,
                (EntryKind::Record, Which::Changed) => &mut changes.changed,
                (EntryKind::Claim, Which::Added) => &mut changes.claims_added,
                (EntryKind::Claim, Which::Withdrawn) => &mut changes.claims_withdrawn,
                (EntryKind::Claim, Which::Changed) => &mut changes.claims_changed,
            };
            list.push(entry.id);
        })?;
        Ok(changes)
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

/// Which list of [`Changes`] an id goes to.
enum Which {
    Added,
    Withdrawn,
    Changed,
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
    New { changes: Option<Box<Changes>> },
    /// Not allowed, with the reason and what to do.
    Refused(String),
}

/// `retired`: the ids withdrawn in the published versions ([`retired_ids`](crate::load::manifest::retired_ids) of `published`).
pub fn judge<P: ManifestSource>(
    published: &BTreeMap<Version, P>,
    retired: &BTreeMap<String, Version>,
    current: &dyn ManifestSource,
) -> Result<Verdict> {
    let v = current.header().version;
    if let Some(old) = published.get(&v) {
        if same(old, current)? {
            return Ok(Verdict::Republish);
        }
        let changes = Changes::between(old, current)?;
        let (oh, ch) = (old.header(), current.header());
        let what = if oh.release_date != ch.release_date && changes.required().is_none() {
            format!(
                "its release date was {}, now {}",
                oh.release_date, ch.release_date
            )
        } else {
            changes.summary()
        };
        return Ok(Verdict::Refused(format!(
            "version {v} was already published ({}) from other data: {what}. A published version never changes; raise `version` in dataset.toml (suggested: {})",
            old.origin(),
            suggest(v, within(changes.required().unwrap_or(Level::Patch), v))
        )));
    }
    if let Some(reuse) = reused_ids(retired, current)? {
        return Ok(Verdict::Refused(reuse));
    }
    if let Some((later, _)) = published.range(v..).next() {
        return Ok(Verdict::Refused(format!(
            "version {v} is older than the published version {later}; raise `version` in dataset.toml above {later}"
        )));
    }
    let Some((_, last)) = published.iter().next_back() else {
        return Ok(Verdict::New { changes: None });
    };
    let last_version = last.header().version;
    let changes = Changes::between(last, current)?;
    let Some(required) = changes.required().map(|l| within(l, last_version)) else {
        return Ok(Verdict::Refused(format!(
            "nothing changed since the published version {last_version}; there is nothing to release as {v} (set `version` back to {last_version} to rebuild that release)"
        )));
    };
    Ok(match step(last_version, v) {
        None => Verdict::Refused(format!(
            "version {v} does not follow the published version {last_version}: the next version is {} (patch), {} (minor) or {} (major); since then {}, which needs a {required} release",
            suggest(last_version, Level::Patch),
            suggest(last_version, Level::Minor),
            suggest(last_version, Level::Major),
            changes.summary()
        )),
        Some(level) if level < required => Verdict::Refused(format!(
            "since the published version {last_version} {}, which needs a {required} release: set `version` to {} instead of {v}",
            changes.summary(),
            suggest(last_version, required)
        )),
        Some(_) => Verdict::New {
            changes: Some(Box::new(changes)),
        },
    })
}

/// The refusal for a release that brings back a withdrawn id, if it does.
fn reused_ids(
    retired: &BTreeMap<String, Version>,
    current: &dyn ManifestSource,
) -> Result<Option<String>> {
    let mut reused = Vec::new();
    if !retired.is_empty() {
        let mut entries = current.entries()?;
        while let Some(e) = entries.next_entry()? {
            if e.kind == EntryKind::Record
                && let Some(v) = retired.get(&e.id)
            {
                reused.push(format!("`{}` (withdrawn in {v})", e.id));
            }
        }
    }
    Ok((!reused.is_empty()).then(|| {
        format!(
            "record ids are never reused, but this release brings back {}; give the record{} a new id",
            reused.join(", "),
            if reused.len() == 1 { "" } else { "s" }
        )
    }))
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
    use crate::load::manifest::{Entry, ManifestError, located_error};

    /// A stand-in SHA-256 for a short label, so manifests stay readable in tests.
    fn hex(label: &str) -> String {
        use sha2::{Digest, Sha256};
        base16ct::lower::encode_string(&Sha256::digest(label))
    }

    /// A manifest held as text, as a published one is on disk.
    #[derive(Clone)]
    struct Mem {
        header: Header,
        text: String,
    }

    impl ManifestSource for Mem {
        fn header(&self) -> &Header {
            &self.header
        }
        fn origin(&self) -> String {
            format!("{}.manifest", self.header.version)
        }
        fn entries(&self) -> Result<Entries> {
            Entries::with_header(
                Box::new(std::io::Cursor::new(self.text.clone().into_bytes())),
                self.origin(),
            )
            .map(|(_, e)| e)
            .map_err(|e| located_error(&self.origin(), &e))
        }
    }

    fn manifest_with(
        v: &str,
        records: &[(&str, &str)],
        claims: &[(&str, &str)],
        schema: &str,
    ) -> Mem {
        let header = Header {
            version: Version::parse(v).expect("test version"),
            release_date: "2026-01-01".into(),
            schema_sha256: hex(schema),
            metadata_sha256: hex("m"),
        };
        let mut text = header.text(!claims.is_empty());
        let sorted = |list: &[(&str, &str)]| {
            let mut l: Vec<(String, String)> =
                list.iter().map(|(a, b)| (a.to_string(), hex(b))).collect();
            l.sort();
            l
        };
        for (id, sum) in sorted(records) {
            text.push_str(&record_line(&id, &sum));
        }
        for (id, sum) in sorted(claims) {
            text.push_str(&claim_line(&id, &sum));
        }
        Mem { header, text }
    }

    fn manifest(v: &str, records: &[(&str, &str)], schema: &str) -> Mem {
        manifest_with(v, records, &[], schema)
    }

    fn parse(text: &str) -> Result<(Header, Vec<Entry>), ManifestError> {
        let (header, mut entries) = Entries::with_header(
            Box::new(std::io::Cursor::new(text.to_string().into_bytes())),
            "m",
        )?;
        let mut all = Vec::new();
        while let Some(e) = entries.next_located()? {
            all.push(e);
        }
        Ok((header, all))
    }

    #[test]
    fn a_long_id_list_keeps_its_count_and_lists_the_first_ids() {
        let mut list = IdList::default();
        for i in 0..LISTED_IDS + 5 {
            list.push(format!("r{i:06}"));
        }
        assert_eq!(list.len(), LISTED_IDS + 5);
        assert_eq!(list.listed().len(), LISTED_IDS);
        assert_eq!(list.unlisted(), 5);
        assert_eq!(list.listed().first().map(String::as_str), Some("r000000"));
    }

    #[test]
    fn rewording_a_description_is_no_schema_change() {
        let a = r#"{"properties":{"title":{"type":"string","description":"The title."}},"description":"A record."}"#;
        let b = r#"{"properties":{"title":{"type":"string","description":"Its title, as printed."}},"description":"One record."}"#;
        let c = r#"{"properties":{"title":{"type":"integer","description":"The title."}},"description":"A record."}"#;
        assert_eq!(schema_structure(a), schema_structure(b));
        assert_ne!(schema_structure(a), schema_structure(c));
    }

    #[test]
    fn claims_count_like_records_and_round_trip_in_the_manifest() {
        let old = manifest_with("0.2.0", &[("a", "1")], &[("a#c1", "x")], "s");
        assert!(old.text.contains("claim "), "{}", old.text);
        let (header, entries) = parse(&old.text).expect("parses");
        assert_eq!(header, old.header);
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.kind, e.id.as_str()))
                .collect::<Vec<_>>(),
            [(EntryKind::Record, "a"), (EntryKind::Claim, "a#c1")]
        );
        // A manifest without claims keeps the bytes it always had.
        assert!(!manifest("0.1.0", &[("a", "1")], "s").text.contains("claim"));
        let new = manifest_with("0.2.1", &[("a", "1")], &[("a#c1", "y")], "s");
        let c = Changes::between(&old, &new).expect("walks");
        assert_eq!(c.claims_changed.listed(), vec!["a#c1".to_string()]);
        assert_eq!(c.required(), Some(Level::Patch));
        let new = manifest_with("0.2.1", &[("a", "1")], &[("a#c1", "y"), ("a#c2", "z")], "s");
        let c = Changes::between(&old, &new).expect("walks");
        assert_eq!(c.claims_added.listed(), vec!["a#c2".to_string()]);
        assert_eq!(c.required(), Some(Level::Minor));
        assert!(
            c.summary().contains("1 claim added, 1 claim changed"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn a_walk_sees_every_id_of_either_side_once() {
        let old = manifest(
            "0.1.0",
            &[("a", "1"), ("b", "2"), ("d", "4"), ("f", "6")],
            "s",
        );
        let new = manifest(
            "0.2.0",
            &[("b", "2"), ("c", "3"), ("d", "5"), ("g", "7")],
            "s",
        );
        let c = Changes::between(&old, &new).expect("walks");
        assert_eq!(c.added.listed(), ["c", "g"]);
        assert_eq!(c.withdrawn.listed(), ["a", "f"]);
        assert_eq!(c.changed.listed(), ["d"]);
        assert!(same(&old, &old.clone()).expect("walks"));
        assert!(!same(&old, &new).expect("walks"));
    }

    #[test]
    fn a_withdrawn_id_never_comes_back() {
        let mut published = published_with(manifest("0.1.0", &[("a", "1"), ("b", "2")], "s"));
        let second = manifest("0.2.0", &[("a", "1")], "s");
        published.insert(second.header.version, second);
        let now = manifest("0.3.0", &[("a", "1"), ("b", "2")], "s");
        assert!(
            matches!(verdict(&published, &now), Ok(Verdict::Refused(m)) if m.contains("`b` (withdrawn in 0.2.0)"))
        );
        let now = manifest("0.3.0", &[("a", "1"), ("c", "2")], "s");
        assert!(matches!(verdict(&published, &now), Ok(Verdict::New { .. })));
    }

    #[test]
    fn a_broken_manifest_names_its_line() {
        let good = manifest("0.1.0", &[("a", "1"), ("b", "2")], "s").text;
        let last = good
            .lines()
            .last()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        for (text, line) in [
            (good.replace("version 0.1.0", "version zero"), 3),
            (
                good.replace("release_date 2026-01-01", "release_date soon"),
                4,
            ),
            (format!("{good}record zz a\n"), 9),
            // Listed twice, and out of order.
            (format!("{good}{last}"), 9),
            (good.replace(" a\n", " c\n"), 8),
            (format!("{good}garbage\n"), 9),
            (format!("{good}version 0.1.0\n"), 9),
            (good.replace("version 0.1.0\n", ""), 0),
        ] {
            let e = parse(&text).expect_err("broken manifest");
            assert_eq!(e.line, line, "{text}: {e:?}");
        }
    }

    /// The verdict with the withdrawn ids found in `published`, as a release has them.
    fn verdict(published: &BTreeMap<Version, Mem>, now: &Mem) -> Result<Verdict> {
        let all: Vec<&dyn ManifestSource> = published
            .values()
            .map(|m| m as &dyn ManifestSource)
            .collect();
        judge(published, &crate::load::manifest::retired_ids(&all)?, now)
    }

    fn published_with(m: Mem) -> BTreeMap<Version, Mem> {
        BTreeMap::from([(m.header.version, m)])
    }

    #[test]
    fn the_bump_must_fit_the_changes() {
        let old = published_with(manifest("0.1.0", &[("a", "1"), ("b", "2")], "s"));
        let new = |now: &Mem| matches!(verdict(&old, now), Ok(Verdict::New { .. }));
        let refused = |now: &Mem, says: &str| matches!(verdict(&old, now), Ok(Verdict::Refused(m)) if m.contains(says));
        // A correction: patch is enough, minor and major are allowed.
        for (v, ok) in [
            ("0.1.1", true),
            ("0.2.0", true),
            ("1.0.0", true),
            ("0.1.2", false),
        ] {
            assert_eq!(new(&manifest(v, &[("a", "1"), ("b", "3")], "s")), ok, "{v}");
        }
        // An added record needs minor.
        assert!(refused(
            &manifest("0.1.1", &[("a", "1"), ("b", "2"), ("c", "4")], "s"),
            "0.2.0"
        ));
        // A schema change needs major, which before 1.0.0 is a minor step.
        assert!(refused(
            &manifest("0.1.1", &[("a", "1"), ("b", "2")], "t"),
            "0.2.0"
        ));
        assert!(new(&manifest("0.2.0", &[("a", "1"), ("b", "2")], "t")));
        let one = published_with(manifest("1.0.0", &[("a", "1")], "s"));
        let now = manifest("1.1.0", &[("a", "1")], "t");
        assert!(matches!(verdict(&one, &now), Ok(Verdict::Refused(m)) if m.contains("2.0.0")));
        // The same version from other data is refused; from the same data it is fine.
        assert!(refused(
            &manifest("0.1.0", &[("a", "1"), ("b", "3")], "s"),
            "already published"
        ));
        let now = manifest("0.1.0", &[("a", "1"), ("b", "2")], "s");
        assert!(matches!(verdict(&old, &now), Ok(Verdict::Republish)));
    }
}
