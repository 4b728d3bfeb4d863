//! Published-version manifests (`data/releases/<version>.manifest`): their line format, read a
//! line at a time, and two of them walked together in id order, as a merge does.
//!
//! A manifest holds a line per record and per claim, millions for a large dataset, so it is
//! never held in memory.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::version::Version;

/// The lines of a manifest before its entries: version, date and the two digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: Version,
    pub release_date: String,
    pub schema_sha256: String,
    pub metadata_sha256: String,
}

const HEADER: &str = "# khojaly published-release manifest: written by `khojaly release`; do not edit.\n# One line per record: `record <sha256 of its records.jsonl line> <id>`.\n";

/// The header's second part, written only when the release has claims (so manifests of
/// releases without claims keep their bytes).
const CLAIMS_HEADER: &str =
    "# One line per claim: `claim <sha256 of the claim's JSON> <claim id>`.\n";

impl Header {
    /// The lines before the entries: comments, version, date and digests.
    pub fn text(&self, has_claims: bool) -> String {
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
}

/// What an entry line digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A record: the sha256 of its records.jsonl line. Records come first in a manifest.
    Record,
    /// A claim (`<record id>#<claim id>`): the sha256 of its JSON.
    Claim,
}

impl EntryKind {
    fn word(self) -> &'static str {
        match self {
            EntryKind::Record => "record",
            EntryKind::Claim => "claim",
        }
    }
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub id: String,
    pub sha256: String,
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

/// A line of a manifest, read.
enum Line {
    /// A comment or a blank line.
    Nothing,
    /// `version`, `release_date`, `schema` or `metadata`, with its value.
    Header(&'static str, String),
    Entry(Entry),
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads one line (without its line end); `Err` carries the message.
fn parse_line(line: &str) -> Result<Line, String> {
    if line.starts_with('#') || line.trim().is_empty() {
        return Ok(Line::Nothing);
    }
    let bad = || format!("unreadable manifest line `{}`", printable(line));
    let (key, rest) = line.split_once(' ').ok_or_else(bad)?;
    match key {
        "version" => Version::parse(rest)
            .map(|_| Line::Header("version", rest.to_string()))
            .ok_or_else(|| format!("`{}` is not a version (MAJOR.MINOR.PATCH)", printable(rest))),
        "release_date" => {
            let ok = crate::model::edtf::parse(rest).is_ok_and(|e| {
                e.precision == Some(crate::model::edtf::Precision::Day)
                    && rest.len() == 10
                    && !rest.contains(['X', '?', '~', '%', '/'])
            });
            if ok {
                Ok(Line::Header("release_date", rest.to_string()))
            } else {
                Err(format!("`{}` is not a date (YYYY-MM-DD)", printable(rest)))
            }
        }
        "schema" | "metadata" => {
            if is_sha256(rest) {
                Ok(Line::Header(
                    if key == "schema" {
                        "schema"
                    } else {
                        "metadata"
                    },
                    rest.to_string(),
                ))
            } else {
                Err(format!(
                    "`{key}` must be a SHA-256 in lower-case hex, not `{}`",
                    printable(rest)
                ))
            }
        }
        "record" | "claim" => {
            let (sum, id) = rest.split_once(' ').ok_or_else(bad)?;
            let kind = if key == "record" {
                EntryKind::Record
            } else {
                EntryKind::Claim
            };
            let id_ok = !id.is_empty()
                && !id.contains(char::is_whitespace)
                && (kind == EntryKind::Record || id.contains('#'));
            if !is_sha256(sum) || !id_ok {
                return Err(bad());
            }
            Ok(Line::Entry(Entry {
                kind,
                id: id.to_string(),
                sha256: sum.to_string(),
            }))
        }
        _ => Err(bad()),
    }
}

/// A manifest's entries, read a line at a time, checked to be in the order manifests keep
/// (records by id, then claims by id; byte order, as ids are ASCII), which is what lets two
/// manifests be compared in one walk.
pub struct Entries {
    lines: Box<dyn BufRead>,
    /// The last line read (1-based), counting the header's.
    line: usize,
    /// An entry line already read (the header reader stops on it).
    pending: Option<Entry>,
    last: Option<(EntryKind, String)>,
    /// Where the lines come from, for messages.
    origin: String,
    buffer: String,
}

impl Entries {
    /// Entries that start right away, with no header (a release's own spilled lines).
    pub fn bare(lines: Box<dyn BufRead>, origin: impl Into<String>) -> Entries {
        Entries {
            lines,
            line: 0,
            pending: None,
            last: None,
            origin: origin.into(),
            buffer: String::new(),
        }
    }

    /// Reads the header; the entries follow.
    pub fn with_header(
        lines: Box<dyn BufRead>,
        origin: impl Into<String>,
    ) -> Result<(Header, Entries), ManifestError> {
        let mut entries = Entries::bare(lines, origin);
        let mut fields: BTreeMap<&'static str, String> = BTreeMap::new();
        while let Some(text) = entries.read_line()? {
            let err = |message: String| ManifestError {
                line: entries.line,
                message,
            };
            match parse_line(&text).map_err(err)? {
                Line::Nothing => {}
                Line::Header(key, value) => {
                    if fields.insert(key, value).is_some() {
                        return Err(err(format!("a second `{key}` line")));
                    }
                }
                Line::Entry(entry) => {
                    entries.pending = Some(entry);
                    break;
                }
            }
        }
        let mut take = |key: &str| {
            fields.remove(key).ok_or_else(|| ManifestError {
                line: 0,
                message: format!("the manifest has no `{key}` line"),
            })
        };
        let version = take("version")?;
        let header = Header {
            version: Version::parse(&version).ok_or_else(|| ManifestError {
                line: 0,
                message: format!("`{}` is not a version", printable(&version)),
            })?,
            release_date: take("release_date")?,
            schema_sha256: take("schema")?,
            metadata_sha256: take("metadata")?,
        };
        if let Some(entry) = entries.pending.take() {
            entries.check_order(entry.kind, &entry.id)?;
            entries.pending = Some(entry);
        }
        Ok((header, entries))
    }

    /// The next line without its line end; None at the end.
    fn read_line(&mut self) -> Result<Option<String>, ManifestError> {
        self.buffer.clear();
        let n = self
            .lines
            .read_line(&mut self.buffer)
            .map_err(|e| ManifestError {
                line: self.line + 1,
                message: if e.kind() == std::io::ErrorKind::InvalidData {
                    "the line is not valid UTF-8".to_string()
                } else {
                    format!("cannot read the manifest: {e}")
                },
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let text = self.buffer.trim_end_matches('\n');
        Ok(Some(text.strip_suffix('\r').unwrap_or(text).to_string()))
    }

    fn check_order(&mut self, kind: EntryKind, id: &str) -> Result<(), ManifestError> {
        if let Some((last_kind, last_id)) = &self.last {
            let order = (*last_kind, last_id.as_str()).cmp(&(kind, id));
            if order != std::cmp::Ordering::Less {
                return Err(ManifestError {
                    line: self.line,
                    message: if order == std::cmp::Ordering::Equal {
                        format!("the {} `{id}` is listed twice", kind.word())
                    } else {
                        format!(
                            "the {} `{id}` is out of order (after the {} `{last_id}`): a manifest lists records by id, then claims by id",
                            kind.word(),
                            last_kind.word()
                        )
                    },
                });
            }
        }
        self.last = Some((kind, id.to_string()));
        Ok(())
    }

    /// The next entry, or None at the end; a broken line is an error with its line number.
    pub fn next_located(&mut self) -> Result<Option<Entry>, ManifestError> {
        if let Some(entry) = self.pending.take() {
            return Ok(Some(entry));
        }
        while let Some(text) = self.read_line()? {
            let line = self.line;
            let err = |message: String| ManifestError { line, message };
            match parse_line(&text).map_err(err)? {
                Line::Nothing => {}
                Line::Header(key, _) => {
                    return Err(err(format!(
                        "a `{key}` line among the entries: the header lines come first"
                    )));
                }
                Line::Entry(entry) => {
                    self.check_order(entry.kind, &entry.id)?;
                    return Ok(Some(entry));
                }
            }
        }
        Ok(None)
    }

    /// The next entry, or None at the end; a broken line is an error naming the file and line.
    pub fn next_entry(&mut self) -> Result<Option<Entry>> {
        self.next_located()
            .map_err(|e| located_error(&self.origin, &e))
    }
}

/// A manifest error as a message naming the file and line.
pub(crate) fn located_error(origin: &str, e: &ManifestError) -> anyhow::Error {
    anyhow::anyhow!(
        "{origin}:{}: {}; this file is written by `khojaly release` and must not be edited",
        e.line,
        e.message
    )
}

/// A manifest that can be read, from its start, as often as needed.
pub trait ManifestSource {
    fn header(&self) -> &Header;
    /// Where it lives, for messages.
    fn origin(&self) -> String;
    /// Its entries, from the first.
    fn entries(&self) -> Result<Entries>;
}

/// A published manifest in data/releases/.
#[derive(Debug, Clone)]
pub struct Published {
    pub path: PathBuf,
    pub header: Header,
}

impl ManifestSource for Published {
    fn header(&self) -> &Header {
        &self.header
    }

    fn origin(&self) -> String {
        self.path.display().to_string()
    }

    fn entries(&self) -> Result<Entries> {
        Entries::with_header(open_lines(&self.path)?, self.origin())
            .map(|(_, entries)| entries)
            .map_err(|e| located_error(&self.origin(), &e))
    }
}

/// A file's lines, buffered.
pub fn open_lines(path: &Path) -> Result<Box<dyn BufRead>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
}

/// Where an id stands in a walk of two manifests.
pub enum Step {
    OnlyOld(Entry),
    OnlyNew(Entry),
    /// In both, with the old digest and the new.
    Both(Entry, String),
}

/// Walks two manifests' entries in their common order, calling `each` once per entry of
/// either.
pub fn walk(
    old: &dyn ManifestSource,
    new: &dyn ManifestSource,
    mut each: impl FnMut(Step),
) -> Result<()> {
    let (mut olds, mut news) = (old.entries()?, new.entries()?);
    let (mut o, mut n) = (olds.next_entry()?, news.next_entry()?);
    loop {
        match (o.take(), n.take()) {
            (None, None) => return Ok(()),
            (Some(a), None) => {
                each(Step::OnlyOld(a));
                o = olds.next_entry()?;
            }
            (None, Some(b)) => {
                each(Step::OnlyNew(b));
                n = news.next_entry()?;
            }
            (Some(a), Some(b)) => match (a.kind, a.id.as_str()).cmp(&(b.kind, b.id.as_str())) {
                std::cmp::Ordering::Less => {
                    each(Step::OnlyOld(a));
                    o = olds.next_entry()?;
                    n = Some(b);
                }
                std::cmp::Ordering::Greater => {
                    each(Step::OnlyNew(b));
                    n = news.next_entry()?;
                    o = Some(a);
                }
                std::cmp::Ordering::Equal => {
                    each(Step::Both(b, a.sha256));
                    o = olds.next_entry()?;
                    n = news.next_entry()?;
                }
            },
        }
    }
}

/// Whether two manifests say the same: same header and the same entries.
pub fn same(a: &dyn ManifestSource, b: &dyn ManifestSource) -> Result<bool> {
    if a.header() != b.header() {
        return Ok(false);
    }
    let mut same = true;
    walk(a, b, |step| {
        same &= matches!(step, Step::Both(new, old) if new.sha256 == old);
    })?;
    Ok(same)
}

/// A line of a file as it can be shown on a terminal: control characters escaped.
fn printable(s: &str) -> String {
    s.chars()
        .take(80)
        .flat_map(|c| {
            if c.is_control() || crate::model::text::is_bidi_control(c) {
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

/// Ids withdrawn in some published version (present in a manifest, absent from the next),
/// with the version that withdrew them. Ids are never reused, so none may come back. Each
/// pair of consecutive manifests is walked once; only the withdrawn ids are kept.
pub fn retired_ids(manifests: &[&dyn ManifestSource]) -> Result<BTreeMap<String, Version>> {
    let mut sorted: Vec<&dyn ManifestSource> = manifests.to_vec();
    sorted.sort_by_key(|m| m.header().version);
    let mut retired: BTreeMap<String, Version> = BTreeMap::new();
    for pair in sorted.windows(2) {
        let [old, new] = pair else { continue };
        let version = new.header().version;
        walk(*old, *new, |step| {
            if let Step::OnlyOld(e) = step
                && e.kind == EntryKind::Record
            {
                retired.entry(e.id).or_insert(version);
            }
        })?;
    }
    Ok(retired)
}
