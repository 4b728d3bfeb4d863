//! The rules beyond structure: identifiers, dates, languages, references, spans and fidelity.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::LoadedCompilation;
use super::diagnostic::Diagnostic;
use super::hygiene as text_hygiene;
use super::structure::pointer_display;
use crate::load::{RecordFile, RecordFiles, SourceFile, SpannedDocument};
use crate::model::{Agents, Compilation, Dataset, Kind, Record, Registry, edtf};
use crate::validate::rule::Rule;

/// What checking one record needs besides the record.
pub struct RecordContext<'a> {
    pub file: &'a RecordFile,
    pub doc: &'a SpannedDocument,
    pub source: &'a SourceFile,
    pub agents: &'a Registry,
    /// False when agents.toml could not be loaded: references to agents are then not checked,
    /// since that one fault would otherwise be reported once per record.
    pub agents_loaded: bool,
    pub compilations: &'a BTreeMap<String, LoadedCompilation>,
    /// What earlier published versions say about ids.
    pub history: &'a super::History,
    /// Every record file, by place (for what the history knows by place).
    pub files: &'a RecordFiles,
}

/// What checking a record proved, handed on with the record so that the release neither aligns
/// a printing nor searches a quote a second time.
#[derive(Debug, Default)]
pub struct Proven {
    /// The counts of each printing's proof, by appearance index (None where none was made).
    pub proofs: super::fidelity::Proofs,
    /// The word diffs of pairs of printings, made by the completeness check (variants table).
    pub diffs: crate::compare::printing::PairHunks,
    /// Where each claim's quote stands (by claim index), when the claim checks ran.
    pub quotes: Option<Quotes>,
}

/// Where each claim's quote stands, by claim index (None where it was not found).
pub type Quotes = Vec<Option<crate::model::claim::QuoteSpan>>;

impl RecordContext<'_> {
    pub(super) fn span(&self, pointer: &str) -> Option<Range<usize>> {
        self.doc.locate(pointer).map(|l| l.value.clone())
    }

    pub(super) fn diag(&self, rule: Rule, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, &self.source.path, message).at(self.span(pointer))
    }
}

/// What one record file brings to the cross-record rules, gathered while it is checked (on any
/// thread) and added to the [`CrossIndex`] in id order.
#[derive(Default)]
pub struct FileIndex {
    /// The id the file's record gives itself (when it could be read).
    id: Option<String>,
    /// The file could not be read or parsed: its name stands for its id.
    unreadable: bool,
    references: Vec<Reference>,
    /// The agent ids the record refers to (issuer, staters, relays, resolved names).
    pub agents_used: BTreeSet<String>,
    /// Names or affiliations agents.toml says this record prints, which it does not.
    pub unprinted: Vec<crate::model::agent::PrintedAt>,
    unchecked: bool,
}

/// A reference to another record (`part_of`, or an omission left to another record), kept
/// until every id is known.
struct Reference {
    field: ReferenceField,
    target: String,
    /// The claim of the target record named, for a reference to a claim.
    claim: Option<Box<str>>,
    /// The target is the referring record's own id.
    to_itself: bool,
}

/// The field that names another record. Where it is written is found only for the rare broken
/// reference, by reading its file again: neither the file's text nor positions are kept.
#[derive(Clone, Copy)]
pub enum ReferenceField {
    PartOf,
    /// The `record` of an omission: appearance and omission, counted from 0.
    Omission(u32, u32),
    /// A claim's `same_statement_as` naming a claim of another record (claim counted from 0).
    SameStatementAs(u32),
    /// A claim's `part_of_claim` naming a claim of another record (claim counted from 0).
    PartOfClaim(u32),
}

impl ReferenceField {
    /// The field as the message calls it.
    fn name(self) -> &'static str {
        match self {
            ReferenceField::PartOf => "`part_of`",
            ReferenceField::Omission(..) => "the omission's `record`",
            ReferenceField::SameStatementAs(_) => "`same_statement_as`",
            ReferenceField::PartOfClaim(_) => "`part_of_claim`",
        }
    }

    fn pointer(self) -> String {
        match self {
            ReferenceField::PartOf => "/part_of".to_string(),
            ReferenceField::Omission(a, o) => format!("/appearances/{a}/omissions/{o}/record"),
            ReferenceField::SameStatementAs(k) => format!("/claims/{k}/same_statement_as"),
            ReferenceField::PartOfClaim(k) => format!("/claims/{k}/part_of_claim"),
        }
    }
}

impl FileIndex {
    pub fn add_id(&mut self, id: &str) {
        self.id = Some(id.to_string());
    }

    /// Notes that the record file could not be read; its file name stands for its id.
    pub fn add_unreadable(&mut self) {
        self.unreadable = true;
    }

    /// Notes that the record could not be checked (it does not fit its schema): what it refers
    /// to is unknown.
    pub fn add_unchecked(&mut self) {
        self.unchecked = true;
    }

    fn add_reference(&mut self, field: ReferenceField, r: &Record, target: &str) {
        self.references.push(Reference {
            field,
            target: target.to_string(),
            claim: None,
            to_itself: target == r.id,
        });
    }

    /// A reference to claim `claim` of record `target` (another record).
    pub fn add_claim_reference(&mut self, field: ReferenceField, target: &str, claim: &str) {
        self.references.push(Reference {
            field,
            target: target.to_string(),
            claim: Some(claim.into()),
            to_itself: false,
        });
    }
}

/// Ids and references gathered across records, checked once all are read.
///
/// Sized for millions of records: a record whose id is its file name (every valid one) costs
/// one number, its place in the file list, which is sorted by file name, so that the list
/// itself answers which ids exist. Only ids that differ from their file name, and references,
/// are held as text.
#[derive(Default)]
pub struct CrossIndex {
    /// Places in the file list of the files whose record's id is the file name, ascending (so
    /// sorted by id: files are added in list order).
    named: Vec<usize>,
    /// Ids that differ from their file's name, with the place of the (first) file.
    other_ids: BTreeMap<Box<str>, usize>,
    /// The further files of ids held by more than one file (rare).
    repeated: BTreeMap<String, Vec<usize>>,
    /// Ids (file names) of record files that could not be read or parsed: their fault is
    /// reported once, and references to them are not reported again as unknown.
    unreadable: BTreeSet<String>,
    references: Vec<HeldReference>,
    /// Every agent id a record refers to (bounded by the registry's size).
    pub agents_used: BTreeSet<String>,
    /// Names and affiliations agents.toml says a record prints, which it does not.
    pub unprinted: Vec<crate::model::agent::PrintedAt>,
    /// Whether some record could not be checked (its references to agents are then unknown).
    pub incomplete: bool,
}

struct HeldReference {
    field: ReferenceField,
    claim: Option<Box<str>>,
    /// The place of the referring file.
    file: usize,
    target: Target,
    to_itself: bool,
}

/// The record a reference names: by the place of a file of that name where there is one (no
/// text held), else by the name.
enum Target {
    File(usize),
    Name(Box<str>),
}

/// A record file read again to show a problem found after it was checked, with CRLF made LF as
/// validation read it, so that positions agree.
fn reread(path: &Path) -> Option<SourceFile> {
    SourceFile::read(path)
        .ok()
        .map(|s| SourceFile::new(s.path, s.text.replace("\r\n", "\n")))
}

impl CrossIndex {
    /// Adds what the file at place `file` in `files` gave, after every file before it.
    pub fn append(&mut self, file: usize, found: FileIndex, files: &RecordFiles) {
        if let Some(id) = &found.id {
            self.add_id(id, file, files);
        }
        if found.unreadable {
            self.unreadable.insert(files.stem(file).to_string());
        }
        self.incomplete |= found.unreadable || found.unchecked;
        self.agents_used.extend(found.agents_used);
        self.unprinted.extend(found.unprinted);
        for r in found.references {
            let target = match files.position(&r.target) {
                Some(at) => Target::File(at),
                None => Target::Name(r.target.into()),
            };
            self.references.push(HeldReference {
                field: r.field,
                claim: r.claim,
                file,
                target,
                to_itself: r.to_itself,
            });
        }
    }

    fn add_id(&mut self, id: &str, file: usize, files: &RecordFiles) {
        if self.first_file(id, files).is_some() {
            self.repeated.entry(id.to_string()).or_default().push(file);
        } else if files.stem(file) == id && self.named.last().is_none_or(|&last| last < file) {
            self.named.push(file);
        } else {
            self.other_ids.insert(Box::from(id), file);
        }
    }

    /// The place of the first file whose record has this id.
    fn first_file(&self, id: &str, files: &RecordFiles) -> Option<usize> {
        let at = self.named.partition_point(|&f| files.stem(f) < id);
        self.named
            .get(at)
            .copied()
            .filter(|&f| files.stem(f) == id)
            .or_else(|| self.other_ids.get(id).copied())
    }

    /// Every id, for suggestions.
    fn ids<'a>(&'a self, files: &'a RecordFiles) -> impl Iterator<Item = &'a str> + 'a {
        self.named
            .iter()
            .map(|&f| files.stem(f))
            .chain(self.other_ids.keys().map(|k| &**k))
    }

    /// Reports duplicate ids and `part_of` references that resolve to nothing.
    pub fn finish(self, files: &RecordFiles, problems: &mut super::Problems) {
        let path_of = |at: usize| files.get(at).map(|f| f.path);
        // The claim ids of each record a claim reference names, read once per record (many
        // records may refer to the same one).
        let mut claims_of: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
        for (id, more) in &self.repeated {
            let first = self.first_file(id, files);
            let paths: Vec<PathBuf> = first
                .into_iter()
                .chain(more.iter().copied())
                .filter_map(path_of)
                .collect();
            if paths.len() > 1 {
                for p in &paths {
                    let others: Vec<String> = paths
                        .iter()
                        .filter(|q| *q != p)
                        .map(|q| q.display().to_string())
                        .collect();
                    // Only places are kept per id; re-read the (rare) duplicates to point at the id.
                    let source = reread(p);
                    let span = source.as_ref().and_then(|s| {
                        SpannedDocument::parse(&s.text)
                            .ok()
                            .and_then(|doc| doc.locate("/id").map(|l| l.value.clone()))
                    });
                    problems.push(
                        Diagnostic::new(Rule::DuplicateId, p, format!("the id `{id}` is used by more than one record"))
                            .at(span)
                            .label("duplicate id")
                            .note(format!("also used by {}", others.join(", ")))
                            .help("ids are unique and never reused: give one of the records a different id (a suffix from its title or witness)"),
                        source.as_ref(),
                    );
                }
            }
        }
        for HeldReference {
            field,
            claim,
            file,
            target,
            to_itself,
        } in &self.references
        {
            let target = match target {
                Target::File(at) => files.stem(*at),
                Target::Name(name) => name,
            };
            if self.unreadable.contains(target) {
                // That record's own fault is reported; this reference may well be right.
                continue;
            }
            let Some(path) = path_of(*file) else {
                continue;
            };
            let is_part_of = matches!(field, ReferenceField::PartOf);
            let target_file = self.first_file(target, files);
            let unknown = target_file.is_none();
            // A claim reference names a claim of that record: read it again to look (these
            // references are few).
            let missing_claim = match (claim, target_file.and_then(path_of)) {
                (Some(claim), Some(target_path)) => !claims_of
                    .entry(target_path.clone())
                    .or_insert_with(|| claim_ids(&target_path))
                    .contains(&**claim),
                _ => false,
            };
            let broken = unknown || missing_claim || (*to_itself && is_part_of);
            if !broken {
                continue;
            }
            let source = reread(&path);
            let span = source.as_ref().and_then(|s| {
                SpannedDocument::parse(&s.text)
                    .ok()
                    .and_then(|doc| doc.locate(&field.pointer()).map(|l| l.value.clone()))
            });
            let field_kind = *field;
            let field = field.name();
            if missing_claim && !unknown {
                let claim = claim.as_deref().unwrap_or_default();
                problems.push(
                    Diagnostic::new(
                        Rule::ClaimReference,
                        &path,
                        format!("{field} names the claim `{claim}` of `{target}`, but that record has no claim with that id"),
                    )
                    .at(span)
                    .label("unknown claim")
                    .help(format!("give `<record-id>#<claim id>` of an existing claim of `{target}`")),
                    source.as_ref(),
                );
                continue;
            }
            if unknown {
                let suggestion = closest(target, self.ids(files));
                let rule = match field_kind {
                    ReferenceField::PartOf => Rule::PartOf,
                    ReferenceField::Omission(..) => Rule::Omission,
                    _ => Rule::ClaimReference,
                };
                let mut d = Diagnostic::new(
                    rule,
                    &path,
                    format!("{field} names `{target}`, but no record has that id"),
                )
                .at(span)
                .label("unknown record");
                d = match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if is_part_of => d.help("give the id of the record that quotes or contains this one, or remove `part_of`"),
                    None => d.help(format!("give the id of an existing record in {field}")),
                };
                problems.push(d, source.as_ref());
            } else {
                problems.push(
                    Diagnostic::new(Rule::PartOf, &path, "a record cannot be part of itself")
                        .at(span)
                        .help("give the id of the record that quotes or contains this one"),
                    source.as_ref(),
                );
            }
        }
    }
}

/// The ids of the claims of the record file at `path` (none when it cannot be read).
fn claim_ids(path: &Path) -> BTreeSet<String> {
    reread(path)
        .and_then(|s| toml::from_str::<Record>(&s.text).ok())
        .map(|r| r.claims.into_iter().map(|c| c.id).collect())
        .unwrap_or_default()
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s > 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// Hygiene of every string value in a file.
pub fn hygiene(doc: &SpannedDocument, source: &SourceFile) -> Vec<Diagnostic> {
    text_hygiene::check(&doc.value)
        .into_iter()
        .map(|p| {
            let string = doc.value.pointer(&p.pointer).and_then(|v| v.as_str());
            Diagnostic::new(
                Rule::TextHygiene,
                &source.path,
                format!("{} in `{}`", p.message, pointer_display(&p.pointer)),
            )
            .at(doc.locate(&p.pointer).map(|l| match (p.offset, string) {
                (Some(offset), Some(string)) => {
                    point_into_string(&source.text, l.value.clone(), string, offset)
                }
                _ => l.value.clone(),
            }))
            .help(p.help)
        })
        .collect()
}

/// Narrows the span of a string value to the character at byte `offset` of its parsed
/// `string`, by walking the file's text and the string side by side: a CRLF in the file may
/// stand for the LF of the string; any other difference (an escape) keeps the whole value.
fn point_into_string(file: &str, value: Range<usize>, string: &str, offset: usize) -> Range<usize> {
    let Some(raw) = file.get(value.clone()) else {
        return value;
    };
    // TOML drops a newline right after the opening delimiter of a multi-line string.
    let prefix = [
        "\'\'\'\r\n",
        "\"\"\"\r\n",
        "\'\'\'\n",
        "\"\"\"\n",
        "\'\'\'",
        "\"\"\"",
        "\'",
        "\"",
    ]
    .iter()
    .find(|p| raw.starts_with(**p))
    .map_or(0, |p| p.len());
    let Some(body) = raw.get(prefix..) else {
        return value;
    };
    match file_offset(body, string, offset) {
        Some(at) => {
            let at = value.start + prefix + at;
            let end = file
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .map_or(at, |c| at + c.len_utf8());
            if end <= value.end { at..end } else { value }
        }
        None => value,
    }
}

/// The byte offset in `body` (a string as written in the file) of byte `offset` of `string`
/// (its parsed value), if the two agree up to there apart from CRLF standing for LF.
fn file_offset(body: &str, string: &str, offset: usize) -> Option<usize> {
    let (b, s) = (body.as_bytes(), string.as_bytes());
    let (mut i, mut j) = (0, 0);
    while j < offset {
        match (b.get(i), s.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(b'\r'), Some(b'\n')) if b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                j += 1;
            }
            _ => return None,
        }
    }
    // Both sides advanced over identical bytes, so `i` is a character boundary of `body`.
    body.is_char_boundary(i).then_some(i)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// ISO 3166-1 alpha-2 (`MX`) or ISO 3166-2 (`US-NM`) in form. The registry itself is not
/// bundled; the form catches the usual slips (lower case, names, three-letter codes).
fn is_iso3166(s: &str) -> bool {
    let (country, sub) = match s.split_once('-') {
        Some((c, s)) => (c, Some(s)),
        None => (s, None),
    };
    country.len() == 2
        && country.chars().all(|c| c.is_ascii_uppercase())
        && sub.is_none_or(|s| {
            (1..=3).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

fn check_language(tag: &str) -> Result<(), String> {
    match language_tags::LanguageTag::parse(tag) {
        Ok(t) => t.validate().map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

pub fn check_dataset(d: &Dataset, doc: &SpannedDocument, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let span = |p: &str| doc.locate(p).map(|l| l.value.clone());
    if !is_slug(&d.name) {
        out.push(
            Diagnostic::new(
                Rule::Dataset,
                &source.path,
                "`name` must be lower-case ASCII words joined by hyphens",
            )
            .at(span("/name"))
            .help("it names release directories and archives, e.g. `khojaly-documentary-corpus`"),
        );
    }
    if crate::model::version::Version::parse(&d.version).is_none() {
        out.push(
            Diagnostic::new(
                Rule::Dataset,
                &source.path,
                format!("`version` `{}` is not a semantic version", d.version),
            )
            .at(span("/version"))
            .help("write MAJOR.MINOR.PATCH, e.g. `1.2.0`"),
        );
    }
    match edtf::parse(&d.release_date) {
        Ok(e)
            if e.precision == Some(edtf::Precision::Day)
                && !d.release_date.contains(['?', '~', '%', '/', 'X']) => {}
        _ => out.push(
            Diagnostic::new(
                Rule::Edtf,
                &source.path,
                format!("`release_date` `{}` is not a calendar date", d.release_date),
            )
            .at(span("/release_date"))
            .help("write YYYY-MM-DD"),
        ),
    }
    if let Some(t) = &d.temporal_coverage
        && let Err(e) = edtf::parse(t)
    {
        out.push(
            Diagnostic::new(
                Rule::Edtf,
                &source.path,
                format!("`temporal_coverage` is not valid EDTF: {e}"),
            )
            .at(span("/temporal_coverage"))
            .help("write an EDTF interval such as `1992-02-25/2019-03-02`"),
        );
    }
    if let Some(file) = &d.corpus.chart_file
        && !file.strip_suffix(".svg").is_some_and(is_slug)
    {
        out.push(
            Diagnostic::new(
                Rule::Dataset,
                &source.path,
                format!("`corpus.chart_file` `{file}` is not a file name such as `claims-killed.svg`"),
            )
            .at(span("/corpus/chart_file"))
            .help("write lower-case ASCII words joined by hyphens, ending in `.svg` (the chart is written into the release's data/)"),
        );
    }
    for (field, value) in [
        ("subject", &d.corpus.subject),
        ("subject_short", &d.corpus.subject_short),
        ("sources", &d.corpus.sources),
        ("motivation", &d.corpus.motivation),
        ("collection", &d.corpus.collection),
        ("biases", &d.corpus.biases),
        ("uses", &d.corpus.uses),
    ] {
        if value.trim().is_empty() {
            out.push(
                Diagnostic::new(Rule::Dataset, &source.path, format!("`corpus.{field}` is empty"))
                    .at(span(&format!("/corpus/{field}")))
                    .help("the release says this about the corpus in its own words (see the field's description in schema/dataset.schema.json)"),
            );
        }
    }
    out
}

pub fn check_agents(b: &Agents, doc: &SpannedDocument, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let ids: BTreeSet<&str> = b.agents.iter().map(|b| b.id.as_str()).collect();
    for (i, agent) in b.agents.iter().enumerate() {
        let span = |f: &str| {
            doc.locate(&format!("/agents/{i}/{f}"))
                .map(|l| l.value.clone())
        };
        if !is_slug(&agent.id) {
            out.push(
                Diagnostic::new(
                    Rule::IdFormat,
                    &source.path,
                    format!(
                        "agent id `{}` is not lower-case ASCII with hyphens",
                        agent.id
                    ),
                )
                .at(span("id"))
                .help("use lower-case letters, digits and single hyphens, e.g. `the-times`"),
            );
        }
        if let Some(first) = seen.insert(&agent.id, i) {
            out.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    &source.path,
                    format!("agent id `{}` is defined twice", agent.id),
                )
                .at(span("id"))
                .note(format!("first defined in entry {}", first + 1))
                .help("keep one entry; list other printed forms of the name in `variants`"),
            );
        }
        if let Some(c) = &agent.country
            && !is_iso3166(c)
        {
            out.push(
                Diagnostic::new(
                    Rule::Jurisdiction,
                    &source.path,
                    format!("`{c}` is not an ISO 3166 code"),
                )
                .at(span("country"))
                .help("write an ISO 3166-1 alpha-2 code (`US`) or an ISO 3166-2 code (`US-NM`)"),
            );
        }
        if let Some(p) = &agent.parent
            && !ids.contains(p.as_str())
        {
            out.push(
                Diagnostic::new(
                    Rule::UnknownAgent,
                    &source.path,
                    format!("parent agent `{p}` is not defined"),
                )
                .at(span("parent"))
                .help("add the parent agent, or correct the id"),
            );
        }
        if agent.private_person && !agent.authority_ids.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::PrivatePersonAuthority,
                    &source.path,
                    format!(
                        "agent `{}` is a private person but has an authority identifier",
                        agent.id
                    ),
                )
                .at(span("authority_ids"))
                .help("a private person is known only from the print: remove `authority_ids`, or set `private_person = false` if the print shows a public figure"),
            );
        }
        if agent.private_person && agent.agent_type != crate::model::agent::AgentType::Person {
            out.push(
                Diagnostic::new(
                    Rule::PrivatePersonType,
                    &source.path,
                    format!(
                        "agent `{}` is flagged private_person but is a {}",
                        agent.id,
                        agent.agent_type.as_str()
                    ),
                )
                .at(span("private_person"))
                .help("only a person can be a private person; remove `private_person`"),
            );
        }
    }
    out
}

pub fn check_compilation(
    c: &Compilation,
    doc: &SpannedDocument,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let span = |p: &str| doc.locate(p).map(|l| l.value.clone());
    if c.id != stem {
        out.push(
            Diagnostic::new(
                Rule::FileName,
                &source.path,
                format!(
                    "the compilation id `{}` differs from the file name `{stem}`",
                    c.id
                ),
            )
            .at(span("/id"))
            .help("name the file <id>.toml"),
        );
    }
    if c.title.is_none() && c.title_absent_reason.is_none() {
        out.push(
            Diagnostic::new(
                Rule::AbsentReason,
                &source.path,
                "no `title` and no `title_absent_reason`",
            )
            .at(Some(0..0))
            .help("give the title as printed, or say why there is none"),
        );
    }
    if c.publisher.is_none() && c.publisher_absent_reason.is_none() {
        out.push(
            Diagnostic::new(
                Rule::AbsentReason,
                &source.path,
                "no `publisher` and no `publisher_absent_reason`",
            )
            .at(Some(0..0))
            .help("give the publisher as printed, or say why there is none"),
        );
    }
    if let Err(e) = check_language(&c.language) {
        out.push(
            Diagnostic::new(
                Rule::LanguageTag,
                &source.path,
                format!("`{}` is not a valid BCP 47 tag: {e}", c.language),
            )
            .at(span("/language"))
            .help("write a BCP 47 tag such as `en`"),
        );
    }
    out
}

/// Every per-record rule: the problems found, and what was proved.
pub fn check_record(
    r: &Record,
    ctx: &RecordContext<'_>,
    index: &mut FileIndex,
) -> (Vec<Diagnostic>, Proven) {
    let mut out = Vec::new();
    let mut proven = Proven::default();
    index.add_id(&r.id);
    check_identity(r, ctx, &mut out);
    check_dates(r, ctx, &mut out);
    check_languages(r, ctx, &mut out);
    check_references(r, ctx, &mut out);
    check_agent_names(r, ctx, index, &mut out);
    check_kind_fields(r, ctx, &mut out);
    check_texts(r, ctx, &mut out);
    (proven.proofs, proven.diffs) = super::fidelity::check_printings(r, ctx, &mut out);
    // Claims quote the texts: while a text departs from its printing, the claims on it are not
    // checked (one fault, one error: fix the text first).
    if !out
        .iter()
        .any(|d| d.rule == Rule::Fidelity || d.rule == Rule::Emendation)
    {
        proven.quotes = Some(super::claims::check_claims(r, ctx, index, &mut out));
    }
    for (i, a) in r.appearances.iter().enumerate() {
        for (k, o) in a.omissions.iter().enumerate() {
            if let Some(target) = &o.record {
                let field = ReferenceField::Omission(
                    u32::try_from(i).unwrap_or(u32::MAX),
                    u32::try_from(k).unwrap_or(u32::MAX),
                );
                index.add_reference(field, r, target);
            }
        }
    }
    if let Some(target) = &r.part_of {
        index.add_reference(ReferenceField::PartOf, r, target);
    }
    (out, proven)
}

fn check_identity(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let prefix = r.kind.id_prefix();
    let well_formed = is_slug(&r.id);
    let rest = r.id.strip_prefix(prefix).and_then(|s| s.strip_prefix('-'));
    let date_ok = rest.is_some_and(|rest| {
        rest.starts_with("undated")
            || rest
                .split('-')
                .next()
                .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit() || c == 'x'))
    });
    if !well_formed || !date_ok {
        out.push(
            ctx.diag(Rule::IdFormat, "/id", format!("the id `{}` does not follow the id scheme", r.id))
                .label("malformed id")
                .help(format!(
                    "write `{prefix}-<yyyy-mm-dd | yyyy-mm | yyyy | undated>-<body-id>[-<slug>]` in lower-case ASCII with single hyphens"
                )),
        );
    } else if let Some(rest) = rest
        && !ctx.history.is_published(&r.id, ctx.files)
        // Neither `date` nor its absent reason: that fault is reported on its own.
        && (r.date.is_some() || r.date_absent_reason.is_some())
        && let Some(expected) = id_date_parts(r.date.as_deref())
        && !expected
            .iter()
            .any(|e| rest.strip_prefix(e.as_str()).is_some_and(|t| t.starts_with('-')))
    {
        // Only ids not yet published: a published id never changes, even when its record's
        // date is corrected later.
        let shown = id_date_part(rest);
        let want = expected.first().cloned().unwrap_or_default();
        let tail = rest.strip_prefix(shown.as_str()).unwrap_or(rest);
        let mut d = ctx
            .diag(
                Rule::IdDate,
                "/id",
                match &r.date {
                    Some(date) => {
                        format!("the id's date part `{shown}` disagrees with `date` (`{date}`)")
                    }
                    None => {
                        format!("the id's date part is `{shown}`, but the record has no `date`")
                    }
                },
            )
            .label("date part of the id");
        if let Some(date_span) = ctx.doc.locate("/date") {
            let (line, col) = ctx.source.line_col(date_span.value.start);
            d = d.note(format!("`date` is on line {line}, column {col}"));
        }
        out.push(d.help(format!(
            "the id's date part is the record's date at its precision (the start of an interval), or `undated`: write `{prefix}-{want}{tail}` (and rename the file), or correct `date`"
        )));
    }
    if r.id != ctx.file.stem {
        out.push(
            ctx.diag(Rule::FileName, "/id", format!("the id `{}` differs from the file name `{}.toml`", r.id, ctx.file.stem))
                .help("a record file is named after its id: rename the file or correct the id (ids never change once published)"),
        );
    }
    if let Some(version) = ctx.history.retired.get(&r.id) {
        out.push(
            ctx.diag(Rule::IdReused, "/id", format!("the id `{}` belonged to a record withdrawn in version {version}", r.id))
                .label("withdrawn id")
                .help("ids are never reused: give this record a new id (and rename the file); if it is the withdrawn document itself, say so in `notes` under a new id"),
        );
    }
}

/// The forms the date part of an id may take for a record's `date`: the date at its precision
/// in lower case (the start of an interval; `undated` without a date or a known start). A
/// season (`1992-21`) or unspecified month or day (`1992-XX`) may also be written as the year
/// alone. None when the date is not valid EDTF (that is reported on its own).
fn id_date_parts(date: Option<&str>) -> Option<Vec<String>> {
    let Some(date) = date else {
        return Some(vec!["undated".to_string()]);
    };
    edtf::parse(date).ok()?;
    let start = date.split('/').next().unwrap_or_default();
    let start = start.trim_end_matches(['?', '~', '%']);
    if start.is_empty() || start == ".." {
        return Some(vec!["undated".to_string()]);
    }
    let full = start.to_ascii_lowercase();
    let mut forms = vec![full.clone()];
    let parts: Vec<&str> = full.split('-').collect();
    for keep in (1..parts.len()).rev() {
        let dropped = parts.get(keep..).unwrap_or_default();
        let season = keep == 1
            && parts
                .get(1)
                .is_some_and(|m| matches!(*m, "21" | "22" | "23" | "24"));
        if season || dropped.iter().all(|p| *p == "xx") {
            forms.push(parts.get(..keep).unwrap_or_default().join("-"));
        }
    }
    Some(forms)
}

/// The date part of an id's remainder after its prefix, for messages: `undated`, or the year
/// and up to two following two-character parts.
fn id_date_part(rest: &str) -> String {
    if rest.starts_with("undated") {
        return "undated".to_string();
    }
    let mut parts = rest.split('-');
    let mut out = parts.next().unwrap_or_default().to_string();
    for p in parts.take(2) {
        if p.len() == 2 && p.chars().all(|c| c.is_ascii_digit() || c == 'x') {
            out.push('-');
            out.push_str(p);
        } else {
            break;
        }
    }
    out
}

fn check_dates(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let bad_edtf = |pointer: &str, value: &str, e: edtf::EdtfError| {
        ctx.diag(Rule::Edtf, pointer, format!("`{}` is not a valid EDTF date: {e}", pointer_display(pointer)))
            .label(format!("`{value}`"))
            .help("write the date at the precision printed: `1992-02-28`, `1992-02`, `1992`, `1992-02-25/1992-02-26`, `1997-03-23?` (uncertain), `1992~` (approximate)")
    };
    match (&r.date, &r.date_absent_reason) {
        (Some(d), _) => {
            if let Err(e) = edtf::parse(d) {
                out.push(bad_edtf("/date", d, e));
            }
            if r.date_absent_reason.is_some() {
                out.push(
                    ctx.diag(Rule::AbsentReason, "/date_absent_reason", "a record with a `date` has no `date_absent_reason`")
                        .help("remove `date_absent_reason`"),
                );
            }
        }
        (None, None) => out.push(
            ctx.diag(Rule::AbsentReason, "", "the record has no `date` and no `date_absent_reason`")
                .at(Some(0..0))
                .help("give the date the document prints (EDTF), or say in `date_absent_reason` why there is none; never guess"),
        ),
        (None, Some(_)) => {}
    }
    if let Some(t) = &r.testimony
        && let Some(d) = &t.event_date
        && let Err(e) = edtf::parse(d)
    {
        out.push(bad_edtf("/testimony/event_date", d, e));
    }
}

fn check_languages(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut check = |pointer: String, tag: &str| {
        if let Err(e) = check_language(tag) {
            out.push(
                ctx.diag(
                    Rule::LanguageTag,
                    &pointer,
                    format!("`{tag}` is not a valid BCP 47 language tag: {e}"),
                )
                .help("write a registered BCP 47 tag: `en`, `es`, `ru`, `ar`, `az`, `fr`"),
            );
        }
    };
    check("/language".into(), &r.language);
    if let Some(o) = &r.original_language {
        check("/original_language".into(), o);
    }
    for (i, p) in r.parallel_texts.iter().enumerate() {
        check(format!("/parallel_texts/{i}/language"), &p.language);
    }
}

/// An id that names no agent of data/agents.toml, with the closest id as a hint.
pub fn unknown_agent(ctx: &RecordContext<'_>, pointer: &str, id: &str) -> Diagnostic {
    let d = ctx
        .diag(
            Rule::UnknownAgent,
            pointer,
            format!("no agent with the id `{id}` in agents.toml"),
        )
        .label("unknown agent");
    match closest(id, ctx.agents.keys().map(String::as_str)) {
        Some(s) => d.help(format!(
            "did you mean `{s}`? Otherwise add an [[agents]] entry to data/agents.toml"
        )),
        None => {
            d.help("add an [[agents]] entry with this id to data/agents.toml, or correct the id")
        }
    }
}

fn check_references(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let unknown_body = |pointer: &str, id: &str| unknown_agent(ctx, pointer, id);
    if ctx.agents_loaded && !ctx.agents.contains_key(&r.body) {
        out.push(unknown_body("/body", &r.body));
    }
    if let Some(t) = &r.testimony
        && let Some(by) = &t.recorded_by
        && ctx.agents_loaded
        && !ctx.agents.contains_key(by)
    {
        out.push(unknown_body("/testimony/recorded_by", by));
    }
    for (i, u) in r.source_urls.iter().enumerate() {
        let pointer = format!("/source_urls/{i}");
        match url::Url::parse(u) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {}
            Ok(_) => out.push(
                ctx.diag(Rule::Url, &pointer, format!("`{u}` is not a web address"))
                    .help("give an absolute http(s) URL as printed"),
            ),
            Err(e) => out.push(
                ctx.diag(Rule::Url, &pointer, format!("`{u}` is not a valid URL: {e}"))
                    .help("give an absolute URL with its scheme, e.g. `https://www.hrw.org/...`; where the print gives none, keep the address in a note instead"),
            ),
        }
    }
}

/// The names a record prints for its authors, witness, speaker or official each resolve to one
/// agent; the names and affiliations agents.toml says the record prints are printed in it.
fn check_agent_names(
    r: &Record,
    ctx: &RecordContext<'_>,
    index: &mut FileIndex,
    out: &mut Vec<Diagnostic>,
) {
    use crate::model::agent::NameMatch;
    index.agents_used.insert(r.body.clone());
    if let Some(by) = r.testimony.as_ref().and_then(|t| t.recorded_by.as_ref()) {
        index.agents_used.insert(by.clone());
    }
    // Claims may go unchecked (while their text departs from the print): their agents are
    // still used.
    for c in &r.claims {
        if let Some(id) = crate::model::agent::resolve_stater(r, &c.stated_by, ctx.agents) {
            index.agents_used.insert(id.to_string());
        }
        index.agents_used.extend(c.relayed_by.iter().cloned());
    }
    if !ctx.agents_loaded {
        return;
    }
    let names = crate::model::agent::printed_names(r);
    for (pointer, name) in names {
        match ctx.agents.by_name(name) {
            NameMatch::One(id) => {
                index.agents_used.insert(id.to_string());
            }
            NameMatch::None => out.push(
                ctx.diag(Rule::AgentName, &pointer, format!("`{name}` is the name of no agent in agents.toml"))
                    .label("unknown name")
                    .help(format!("add this printed form to the `variants` of the agent it names (with `record = \"{}\"`), or a new [[agents]] entry", r.id)),
            ),
            NameMatch::Many(ids) => out.push(
                ctx.diag(Rule::AgentName, &pointer, format!("`{name}` is printed as the name of more than one agent: {}", ids.join(", ")))
                    .help("keep the printed form in the `variants` of only the agent it names here; tell the others apart by a fuller printed form"),
            ),
        }
    }
    let declared = ctx.agents.printed_in(&r.id);
    if declared.is_empty() {
        return;
    }
    // Where the record prints words: its fields, and the lines of each printing (headings and
    // bylines included), with line breaks as spaces.
    let mut printed: Vec<String> = Vec::new();
    printed.extend(r.title.clone());
    printed.extend(r.text.clone());
    printed.extend(r.authors.iter().cloned());
    printed.extend(r.footnotes.iter().map(|f| f.text.clone()));
    printed.extend(r.appearances.iter().filter_map(|a| a.text.clone()));
    printed.extend(r.testimony.as_ref().and_then(|t| t.witness.clone()));
    printed.extend(
        r.testimony
            .as_ref()
            .and_then(|t| t.witness_description.clone()),
    );
    printed.extend(
        r.legislative_remark
            .as_ref()
            .and_then(|t| t.speaker.clone()),
    );
    printed.extend(
        r.legislative_remark
            .as_ref()
            .and_then(|t| t.speaker_description.clone()),
    );
    printed.extend(
        r.executive_proclamation
            .as_ref()
            .and_then(|t| t.official.clone()),
    );
    printed.extend(r.media_item.as_ref().and_then(|t| t.byline.clone()));
    for a in &r.appearances {
        if let Some(c) = ctx.compilations.get(&a.compilation) {
            let (from, to) = (a.lines[0], a.lines[1]);
            let lines: Vec<&str> = (from..=to.min(c.transcription.line_count()))
                .map(|n| c.transcription.line(n))
                .collect();
            printed.push(lines.join(" "));
        }
    }
    let normalise = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed: Vec<String> = printed.iter().map(|p| normalise(p)).collect();
    for d in declared {
        let words = normalise(&d.printed);
        if words.is_empty() || !printed.iter().any(|p| p.contains(&words)) {
            index.unprinted.push(d.clone());
        }
    }
}

fn check_kind_fields(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let table = r.kind.as_str();
    let jurisdiction = match r.kind {
        Kind::LegislativeResolution => r
            .legislative_resolution
            .as_ref()
            .and_then(|f| f.jurisdiction.clone()),
        Kind::LegislativeRemark => r
            .legislative_remark
            .as_ref()
            .and_then(|f| f.jurisdiction.clone()),
        Kind::ExecutiveProclamation => r
            .executive_proclamation
            .as_ref()
            .and_then(|f| f.jurisdiction.clone()),
        Kind::OfficialDocument => r
            .official_document
            .as_ref()
            .and_then(|f| f.jurisdiction.clone()),
        _ => None,
    };
    if let Some(j) = jurisdiction
        && !is_iso3166(&j)
    {
        out.push(
            ctx.diag(
                Rule::Jurisdiction,
                &format!("/{table}/jurisdiction"),
                format!("`{j}` is not an ISO 3166 code"),
            )
            .help("write an ISO 3166-1 alpha-2 code (`MX`) or an ISO 3166-2 code (`US-NM`)"),
        );
    }
    if let Some(t) = &r.testimony
        && t.witness.is_none()
        && t.witness_absent_reason.is_none()
    {
        out.push(
            ctx.diag(Rule::AbsentReason, "/testimony", "a testimony without `witness` needs `witness_absent_reason`")
                .help("give the witness's name as printed, or say why the print does not name the witness"),
        );
    }
    if let Some(o) = &r.official_document
        && o.form_absent_reason.is_none()
    {
        out.push(
            ctx.diag(Rule::AbsentReason, "/official_document", "an official_document needs `form_absent_reason`")
                .help("say why the document's form is not known (e.g. printed only as an image with a caption); if the print names its form, use the matching kind instead"),
        );
    }
    if r.kind == Kind::OfficialDocument
        && r.official_document
            .as_ref()
            .is_none_or(|o| o.form_absent_reason.is_none())
        && r.official_document.is_none()
    {
        out.push(
            ctx.diag(
                Rule::AbsentReason,
                "",
                "an official_document needs an [official_document] table with `form_absent_reason`",
            )
            .at(Some(0..0))
            .help("add [official_document] form_absent_reason = \"...\""),
        );
    }
}

fn check_texts(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let status = r.text_status;
    match (&r.text, status.has_text()) {
        (None, true) => out.push(
            ctx.diag(Rule::TextStatus, "/text_status", format!("`text_status` is `{}` but the record has no `text`", status.as_str()))
                .help("add the text as printed, or use `not_transcribed` / `mentioned_only` when the source prints none"),
        ),
        (Some(_), false) => out.push(
            ctx.diag(Rule::TextStatus, "/text", format!("a `{}` record has no text, but `text` is given", status.as_str()))
                .help("remove `text`, or set `text_status` to full, excerpt or paraphrase"),
        ),
        _ => {}
    }
    for (i, a) in r.appearances.iter().enumerate() {
        let own = r.appearance_status(a);
        if a.text.is_some() && !own.has_text() {
            out.push(
                ctx.diag(Rule::TextStatus, &format!("/appearances/{i}/text"), format!("this printing is `{}` but has a `text`", own.as_str()))
                    .help("remove the appearance's `text`, or give the printing a `text_status` of full, excerpt or paraphrase"),
            );
        }
        if a.text_status.is_some() && a.text_status == Some(r.text_status) {
            out.push(
                ctx.diag(Rule::TextStatus, &format!("/appearances/{i}/text_status"), format!("the appearance repeats the record's `text_status` (`{}`)", own.as_str()))
                    .help("give an appearance `text_status` only when this printing differs from the record's; remove it here"),
            );
        }
    }
    let mut paragraph_check = |pointer: String, text: &str| {
        if let Some(problem) = text_hygiene::check_paragraphs(text) {
            out.push(
                ctx.diag(Rule::TextHygiene, &pointer, format!("{problem} in `{}`", pointer_display(&pointer)))
                    .help("start with the first word, end with the last, and separate paragraphs with exactly one blank line"),
            );
        }
    };
    if let Some(t) = &r.text {
        paragraph_check("/text".into(), t);
    }
    for (i, a) in r.appearances.iter().enumerate() {
        if let Some(t) = &a.text {
            paragraph_check(format!("/appearances/{i}/text"), t);
        }
    }
    for (i, p) in r.parallel_texts.iter().enumerate() {
        paragraph_check(format!("/parallel_texts/{i}/text"), &p.text);
    }
}
