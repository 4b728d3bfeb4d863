//! Validation: every rule a data directory must satisfy, each problem located and explained.
//!
//! Records are read one at a time; only what cross-record rules need (ids, kinds, `part_of`
//! references) is kept, so memory does not grow with the texts of the corpus.

pub mod claims;
pub mod diagnostic;
pub mod fidelity;
pub mod hygiene;
pub mod rule;
mod rules;
pub mod structure;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annotate_snippets::Renderer;
use anyhow::Result;
use jsonschema::Validator;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::load::Transcription;
use crate::validate::rule::Rule;
pub use diagnostic::Diagnostic;

use crate::load::{DataDir, RecordFile, RecordFiles, SourceFile, SpannedDocument};
use crate::model::schema::{agents_schema, compilation_schema, dataset_schema, record_schema};
use crate::model::{Compilation, Dataset, Kind, Record, Registry};

/// A compilation with its transcription, read and indexed.
#[derive(Debug, Clone)]
pub struct LoadedCompilation {
    pub meta: Compilation,
    pub transcription: Transcription,
    pub transcription_path: PathBuf,
}

/// Everything besides the records, loaded and checked; the records stay on disk.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub data: DataDir,
    pub dataset: Dataset,
    pub agents: Registry,
    pub compilations: BTreeMap<String, LoadedCompilation>,
    pub record_files: RecordFiles,
}

impl Corpus {
    /// Reads one record that validation has already accepted, through the same link-safe reader
    /// (a file replaced by a link since is refused, not followed).
    pub fn read_record(&self, file: &RecordFile) -> Result<Record> {
        let bytes = crate::load::paths::read_regular(&file.path)?
            .ok_or_else(|| anyhow::anyhow!("{} is not a regular file", file.path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8", file.path.display()))?;
        let mut record: Record =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.path.display()))?;
        record.normalize();
        crate::model::agent::resolve_claims(&mut record, &self.agents);
        Ok(record)
    }
}

/// The problems found, with the sources needed to show them.
#[derive(Debug, Default)]
pub struct Problems {
    pub diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, SourceFile>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    fn push(&mut self, d: Diagnostic, source: Option<&SourceFile>) {
        if let Some(src) = source {
            self.sources
                .entry(src.path.clone())
                .or_insert_with(|| src.clone());
        }
        self.diagnostics.push(d);
    }

    /// Adds the problems another check found (after this one's, in order).
    fn append(&mut self, other: Problems) {
        self.diagnostics.extend(other.diagnostics);
        for (path, source) in other.sources {
            self.sources.entry(path).or_insert(source);
        }
    }

    fn extend(&mut self, ds: Vec<Diagnostic>, source: &SourceFile) {
        for d in ds {
            self.push(d, Some(source));
        }
    }

    /// Human-readable report, in file order.
    pub fn render(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render(self.sources.get(&d.path), renderer));
            out.push_str("\n\n");
        }
        out
    }

    /// JSON report: an array of located problems.
    pub fn to_json(&self) -> Value {
        let items: Vec<_> = self
            .sorted()
            .iter()
            .map(|d| d.to_json(self.sources.get(&d.path)))
            .collect();
        serde_json::to_value(items).unwrap_or(Value::Null)
    }

    fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        v.sort_by_key(|d| (d.path.clone(), d.span.as_ref().map(|s| s.start)));
        v
    }

    /// How many files have problems.
    pub fn file_count(&self) -> usize {
        self.diagnostics
            .iter()
            .map(|d| &d.path)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// What the published versions (data/releases/*.manifest) say about record ids, kept small for
/// millions of records: a flag per record file for the ids of the latest published version,
/// and by name only the ids no record file has (withdrawn, or being withdrawn).
#[derive(Debug, Default)]
pub struct History {
    /// By place in the record-file list: the file's name is an id of the latest version.
    latest_files: Vec<bool>,
    /// Ids of the latest version that name no record file now.
    latest_other: BTreeSet<String>,
    /// Ids withdrawn in a published version, with that version: never to be used again.
    pub retired: BTreeMap<String, crate::model::version::Version>,
    /// The published manifests that read without a problem (their headers; the entries stay
    /// on disk), by version: what a release checks its version against.
    pub manifests: BTreeMap<crate::model::version::Version, crate::load::manifest::Published>,
}

impl History {
    /// Whether `id` is in any published version: an id of an earlier version is either in the
    /// latest or was withdrawn on the way (and is then retired).
    pub fn is_published(&self, id: &str, files: &RecordFiles) -> bool {
        files
            .position(id)
            .is_some_and(|at| self.latest_files.get(at).copied().unwrap_or(false))
            || self.latest_other.contains(id)
            || self.retired.contains_key(id)
    }
}

/// Reads every published manifest, a line at a time; an unreadable one is a located problem,
/// so that `release` never breaks on it later.
fn check_manifests(data: &DataDir, files: &RecordFiles, problems: &mut Problems) -> History {
    use crate::load::manifest::{self as versions, Entries, ManifestSource, Published};
    let dir = versions::releases_dir(&data.root);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return History::default();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "manifest"))
        .collect();
    paths.sort();
    let help = "this file is written by `khojaly release` when it publishes a version and must not be edited: restore it from version control (git checkout -- FILE), or remove it if that version was never published";
    // Every line is read and checked; the file's text is read whole only to show a problem.
    let read_through = |path: &Path| {
        let lines = versions::open_lines(path).map_err(|_| None)?;
        let (header, mut entries) =
            Entries::with_header(lines, path.display().to_string()).map_err(Some)?;
        while entries.next_located().map_err(Some)?.is_some() {}
        Ok::<_, Option<versions::ManifestError>>(header)
    };
    let mut valid: BTreeMap<crate::model::version::Version, Published> = BTreeMap::new();
    for path in paths {
        let header = match read_through(&path) {
            Ok(header) => header,
            Err(e) => {
                // An unreadable file (or one that is not UTF-8) is reported by reading it.
                let Some(source) = read_source(&path, problems) else {
                    continue;
                };
                let e = e.unwrap_or(versions::ManifestError {
                    line: 0,
                    message: "the file could not be read".into(),
                });
                let span = if e.line == 0 {
                    Some(0..0)
                } else {
                    Some(source.line_range(e.line))
                };
                problems.push(
                    Diagnostic::new(
                        Rule::ReleaseManifest,
                        &path,
                        format!("the published-release manifest is damaged: {}", e.message),
                    )
                    .at(span)
                    .help(help),
                    Some(&source),
                );
                continue;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let version = header.version;
        let misnamed = stem != version.to_string();
        if !misnamed && !valid.contains_key(&version) {
            valid.insert(version, Published { path, header });
            continue;
        }
        let Some(source) = read_source(&path, problems) else {
            continue;
        };
        let version_line = source
            .text
            .lines()
            .position(|l| l.starts_with("version "))
            .map(|n| source.line_range(n + 1));
        let diagnostic = if misnamed {
            Diagnostic::new(
                Rule::ReleaseManifest,
                &path,
                format!("the manifest of version {version} is named `{stem}.manifest`"),
            )
            .at(version_line)
            .help(format!("{help}; its name must be `{version}.manifest`"))
        } else {
            let first = valid
                .get(&version)
                .map(|p| p.path.clone())
                .unwrap_or_default();
            Diagnostic::new(
                Rule::ReleaseManifest,
                &path,
                format!("version {version} has a second manifest"),
            )
            .at(version_line)
            .note(format!("first: {}", diagnostic::display_path(&first)))
            .help(help)
        };
        problems.push(diagnostic, Some(&source));
    }
    let mut history = History {
        latest_files: vec![false; files.len()],
        ..History::default()
    };
    let manifests: Vec<&dyn ManifestSource> =
        valid.values().map(|m| m as &dyn ManifestSource).collect();
    let found = versions::retired_ids(&manifests).and_then(|retired| {
        history.retired = retired;
        let Some(latest) = valid.values().next_back() else {
            return Ok(());
        };
        let mut entries = latest.entries()?;
        while let Some(e) = entries.next_entry()? {
            if e.kind != versions::EntryKind::Record {
                break;
            }
            match files
                .position(&e.id)
                .and_then(|at| history.latest_files.get_mut(at))
            {
                Some(flag) => *flag = true,
                None => {
                    history.latest_other.insert(e.id);
                }
            }
        }
        Ok(())
    });
    if let Err(e) = found {
        // Each file was read through above; only a change since then gets here.
        problems.push(
            Diagnostic::new(Rule::ReleaseManifest, &dir, format!("{e:#}")).help(help),
            None,
        );
    }
    history.manifests = valid;
    history
}

/// Compiled schemas, one per data file type.
struct Schemas {
    kinds: BTreeMap<Kind, (Value, Validator)>,
    dataset: (Value, Validator),
    agents: (Value, Validator),
    compilation: (Value, Validator),
}

impl Schemas {
    /// The schemas, compiled once per process (a run that validates several data directories,
    /// such as the property tests, compiles them once).
    fn shared() -> Result<&'static Schemas> {
        static SHARED: std::sync::OnceLock<Schemas> = std::sync::OnceLock::new();
        if let Some(s) = SHARED.get() {
            return Ok(s);
        }
        let compiled = Schemas::new()?;
        Ok(SHARED.get_or_init(|| compiled))
    }

    fn new() -> Result<Schemas> {
        let pair = |v: Value| -> Result<(Value, Validator)> {
            let c = structure::compile(&v)?;
            Ok((v, c))
        };
        let mut kinds = BTreeMap::new();
        for k in Kind::ALL {
            kinds.insert(k, pair(record_schema(k))?);
        }
        Ok(Schemas {
            kinds,
            dataset: pair(dataset_schema())?,
            agents: pair(agents_schema())?,
            compilation: pair(compilation_schema())?,
        })
    }
}

/// Validates a whole data directory. Returns the loaded corpus (when the metadata could be
/// loaded at all) and every problem found. Errors are failures of the tool, not of the data.
pub fn validate(data: &DataDir) -> Result<(Option<Corpus>, Problems)> {
    let mut v = Validation::begin(data)?;
    v.check_records(|_| Ok(()))?;
    Ok(v.finish())
}

/// A record that passed every rule of its own, as validation parsed it (one parse per file),
/// with what validation proved about it: the stage after validation takes it from here.
pub struct Checked<'a> {
    pub file: &'a RecordFile,
    pub record: Record,
    /// The counts of each printing's proof, by appearance index (None where none was made).
    pub proofs: Vec<Option<crate::compare::printing::Coverage>>,
    /// The word diffs of pairs of printings that validation made (see `rules::Proven`).
    pub diffs: crate::compare::printing::PairHunks,
    /// Where each claim's quote stands, when the claim checks located them (see
    /// `rules::Proven`).
    pub quotes: Option<rules::Quotes>,
    /// Everything besides the records, as loaded.
    pub agents: &'a Registry,
    pub compilations: &'a BTreeMap<String, LoadedCompilation>,
}

/// A validation in progress: the metadata loaded and checked, the records still to come.
///
/// `begin`, then `check_records` (which hands each clean record on as it is checked, so a
/// caller can stream it onwards without reading the file again), then `finish`. Only what the
/// cross-record rules need (ids, `part_of` references) is kept between records.
pub struct Validation {
    data: DataDir,
    schemas: &'static Schemas,
    problems: Problems,
    dataset: Option<Dataset>,
    agents: Registry,
    agents_loaded: bool,
    compilations: BTreeMap<String, LoadedCompilation>,
    broken_compilations: BTreeSet<String>,
    history: History,
    record_files: RecordFiles,
    index: rules::CrossIndex,
    /// Called after each record file (for a progress bar).
    tick: Option<Box<dyn FnMut()>>,
}

impl Validation {
    /// Loads and checks everything besides the records, and lists the record files.
    pub fn begin(data: &DataDir) -> Result<Validation> {
        if !data.root.is_dir() {
            anyhow::bail!(
                "{} is not a directory; pass --data DIR, the folder that holds dataset.toml",
                data.root.display()
            );
        }
        let schemas = Schemas::shared()?;
        let mut problems = Problems::default();

        let dataset: Option<Dataset> = load_file(
            &data.dataset_path(),
            &schemas.dataset,
            "the dataset schema (src/model/dataset.rs)",
            &mut problems,
            rules::check_dataset,
        );
        let agents = load_file(
            &data.agents_path(),
            &schemas.agents,
            "the agents schema (src/model/agent.rs)",
            &mut problems,
            rules::check_agents,
        )
        .map(|b: crate::model::Agents| Registry::from_list(b.agents));
        // Links and special files anywhere in data/ are refused, named, and never read: a link
        // would let a record or transcription come from anywhere on the machine.
        let odd = crate::load::paths::oddities(&data.root)?;
        let mut reported_links = BTreeSet::new();
        let agents_loaded = agents.is_some();
        let (compilations, broken_compilations) =
            load_compilations(data, schemas, &mut problems, &mut reported_links)?;
        report_oddities(&odd, &reported_links, &mut problems);
        let (record_files, stray) = data.record_files()?;
        let history = check_manifests(data, &record_files, &mut problems);
        for path in stray {
            problems.push(
                Diagnostic::new(Rule::StrayFile, &path, "this file is not a record and is not read")
                    .help("records live in data/records/<kind>/<id>.toml, one folder level deep; move or remove this entry"),
                None,
            );
        }
        Ok(Validation {
            data: data.clone(),
            schemas,
            problems,
            dataset,
            agents: agents.unwrap_or_default(),
            agents_loaded,
            compilations,
            broken_compilations,
            history,
            record_files,
            index: rules::CrossIndex::default(),
            tick: None,
        })
    }

    /// The dataset metadata, when it loaded.
    pub fn dataset(&self) -> Option<&Dataset> {
        self.dataset.as_ref()
    }

    pub fn data(&self) -> &DataDir {
        &self.data
    }

    /// What the published versions say about ids, and their manifests.
    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn compilations(&self) -> &BTreeMap<String, LoadedCompilation> {
        &self.compilations
    }

    pub fn agents(&self) -> &Registry {
        &self.agents
    }

    /// Calls `tick` after each record file is checked (and handed on).
    pub fn on_progress(&mut self, tick: impl FnMut() + 'static) {
        self.tick = Some(Box::new(tick));
    }

    /// How many record files there are to check.
    pub fn record_count(&self) -> usize {
        self.record_files.len()
    }

    /// Whether any problem has been found so far.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Checks every record file in id order, handing each record without problems of its own
    /// to `each` as soon as it is checked. An error from `each` stops the run.
    ///
    /// Files are read, parsed and checked in parallel (rayon), a chunk at a time, on a thread of
    /// their own, while this thread merges each file's findings and hands its record on in id
    /// order: the output is the same whatever the number of threads, and at most a few chunks of
    /// records are held at once.
    pub fn check_records(&mut self, mut each: impl FnMut(Checked<'_>) -> Result<()>) -> Result<()> {
        use rayon::prelude::*;
        let known = Known {
            agents: &self.agents,
            agents_loaded: self.agents_loaded,
            compilations: &self.compilations,
            broken_compilations: &self.broken_compilations,
            history: &self.history,
            files: &self.record_files,
        };
        let schemas = self.schemas;
        let files = &self.record_files;
        let (agents, compilations) = (&self.agents, &self.compilations);
        let (index, problems, tick) = (&mut self.index, &mut self.problems, &mut self.tick);
        std::thread::scope(|scope| {
            let (checked_tx, checked_rx) = std::sync::mpsc::sync_channel(2);
            let known = &known;
            scope.spawn(move || {
                for from in (0..files.len()).step_by(CHECK_CHUNK) {
                    // Each file with its place in the list, which the id index keeps.
                    let chunk: Vec<(usize, RecordFile)> =
                        (from..files.len().min(from + CHECK_CHUNK))
                            .filter_map(|at| files.get(at).map(|file| (at, file)))
                            .collect();
                    let checked: Vec<Result<(usize, RecordFile, FileCheck)>> = chunk
                        .into_par_iter()
                        .map(|(at, file)| {
                            check_file(&file, schemas, known).map(|found| (at, file, found))
                        })
                        .collect();
                    // The receiver stops early only on an error; nothing more is needed then.
                    if checked_tx.send(checked).is_err() {
                        break;
                    }
                }
            });
            for checked in checked_rx {
                for result in checked {
                    let (place, file, found) = result?;
                    let clean = found.problems.is_empty();
                    problems.append(found.problems);
                    index.append(place, found.index, files);
                    if let Some((mut record, proven)) = found.record
                        && clean
                    {
                        // What follows validation sees who states each figure, never the
                        // shorthand.
                        crate::model::agent::resolve_claims(&mut record, agents);
                        each(Checked {
                            file: &file,
                            record,
                            proofs: proven.proofs,
                            diffs: proven.diffs,
                            quotes: proven.quotes,
                            agents,
                            compilations,
                        })?;
                    }
                    if let Some(tick) = tick.as_mut() {
                        tick();
                    }
                }
            }
            Ok(())
        })
    }

    /// Runs the cross-record rules; returns the corpus (when the metadata loaded) and every
    /// problem found.
    pub fn finish(self) -> (Option<Corpus>, Problems) {
        let mut problems = self.problems;
        let mut index = self.index;
        let used = std::mem::take(&mut index.agents_used);
        let unprinted = std::mem::take(&mut index.unprinted);
        // A record that did not parse, or that names an agent wrongly, may be the one reference
        // an agent has: no agent is called unused then (one fault, one error).
        let complete = !index.incomplete
            && problems.diagnostics.iter().all(|d| {
                !matches!(
                    d.rule,
                    Rule::TomlSyntax | Rule::UnknownAgent | Rule::AgentName
                )
            });
        // While a record's id is in question, a name said to be printed in it is not reported
        // as naming an unknown record.
        let ids_settled = !index.incomplete
            && problems.diagnostics.iter().all(|d| {
                !matches!(
                    d.rule,
                    Rule::IdDate | Rule::IdFormat | Rule::FileName | Rule::DuplicateId
                )
            });
        index.finish(&self.record_files, &mut problems);
        if self.agents_loaded {
            agent_findings(
                &self.data,
                &self.agents,
                &self.record_files,
                complete.then_some(&used),
                ids_settled,
                &unprinted,
                &mut problems,
            );
        }
        let corpus = self.dataset.map(|dataset| Corpus {
            data: self.data,
            dataset,
            agents: self.agents,
            compilations: self.compilations,
            record_files: self.record_files,
        });
        (corpus, problems)
    }
}

/// The registry's own cross-record findings: names said to be printed where they are not, in
/// records that do not exist, and agents nothing refers to (`used` is None when some record
/// could not be read, so that its references are unknown).
fn agent_findings(
    data: &DataDir,
    agents: &Registry,
    files: &RecordFiles,
    used: Option<&BTreeSet<String>>,
    ids_settled: bool,
    unprinted: &[crate::model::agent::PrintedAt],
    problems: &mut Problems,
) {
    let mut found: Vec<(String, String, Rule, String)> = Vec::new();
    for p in unprinted {
        found.push((
            format!("/agents/{}/{}/{}/printed", agents.places.get(&p.agent).copied().unwrap_or(0), p.list, p.entry),
            format!("`{}` ({} of `{}`) is not printed in the record it names", p.printed, p.list, p.agent),
            Rule::AgentPrinted,
            "copy the words exactly as the record prints them (its text, title, authors, kind fields or the lines of its printings), or name a record that prints them".to_string(),
        ));
    }
    for record in agents.records_printing().filter(|_| ids_settled) {
        if files.position(record).is_none() {
            for p in agents.printed_in(record) {
                found.push((
                    format!(
                        "/agents/{}/{}/{}/record",
                        agents.places.get(&p.agent).copied().unwrap_or(0),
                        p.list,
                        p.entry
                    ),
                    format!(
                        "`{}` of `{}` names the record `{record}`, which does not exist",
                        p.printed, p.agent
                    ),
                    Rule::AgentPrinted,
                    "give the id of a record that prints these words".to_string(),
                ));
            }
        }
    }
    if let Some(used) = used {
        let parents: BTreeSet<&str> = agents
            .values()
            .filter_map(|a| a.parent.as_deref())
            .collect();
        for a in agents.values() {
            if !used.contains(&a.id) && !parents.contains(a.id.as_str()) {
                found.push((
                    format!("/agents/{}/id", agents.places.get(&a.id).copied().unwrap_or(0)),
                    format!("no record refers to the agent `{}`", a.id),
                    Rule::UnusedAgent,
                    "remove the entry, or refer to it where the print names this agent (a record's `body`, a claim's `stated_by` or `relayed_by`, or a printed author, witness, speaker or official)".to_string(),
                ));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let path = data.agents_path();
    let source = SourceFile::read(&path).ok();
    let doc = source
        .as_ref()
        .and_then(|s| SpannedDocument::parse(&s.text).ok());
    for (pointer, message, rule, help) in found {
        let span = doc
            .as_ref()
            .and_then(|d| d.locate(&pointer).map(|l| l.value.clone()));
        problems.push(
            Diagnostic::new(rule, &path, message).at(span).help(help),
            source.as_ref(),
        );
    }
}

/// Reports the links and special files found in data/ (except links already reported where a
/// data file names them).
fn report_oddities(
    odd: &crate::load::paths::Oddities,
    already: &BTreeSet<PathBuf>,
    problems: &mut Problems,
) {
    for link in odd.symlinks.iter().filter(|l| !already.contains(*l)) {
        let target = std::fs::read_link(link)
            .map(|t| format!(" (to {})", t.display().to_string().escape_debug()))
            .unwrap_or_default();
        problems.push(
            Diagnostic::new(
                Rule::Symlink,
                link,
                format!("this is a symbolic link{target}; links in the data directory are not followed, so it is not read"),
            )
            .help("replace the link with the file or folder itself (a copy), or remove it"),
            None,
        );
    }
    for path in &odd.special {
        problems.push(
            Diagnostic::new(
                Rule::SpecialFile,
                path,
                "this is not a regular file (a FIFO, socket or device); it is not read",
            )
            .help("remove it: the data directory holds only folders and regular files"),
            None,
        );
    }
}

/// Reads a source file; unreadable or non-UTF-8 files become problems, not failures.
/// Links and special files are not read (each is reported once, by `report_oddities`).
fn read_source(path: &Path, problems: &mut Problems) -> Option<SourceFile> {
    match crate::load::paths::read_regular(path) {
        Ok(None) => None,
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => Some(line_ends(path, text, problems)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let src = SourceFile::new(
                    path.to_path_buf(),
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                );
                problems.push(
                    Diagnostic::new(Rule::Encoding, path, "the file is not valid UTF-8")
                        // The lossy copy shows the bad bytes as U+FFFD, three bytes long.
                        .at(Some(at..at + char::REPLACEMENT_CHARACTER.len_utf8()))
                        .help("save the file as UTF-8"),
                    Some(&src),
                );
                None
            }
        },
        Err(e) => {
            problems.push(
                Diagnostic::new(
                    Rule::MissingFile,
                    path,
                    format!("cannot read the file: {e}"),
                )
                .help("create it, or point --data at the right directory"),
                None,
            );
            None
        }
    }
}

/// A data file with Windows (CRLF) line ends is one fault, reported once at its first CR; the
/// rest of the file is then checked with LF line ends (lines and columns are the same), so the
/// CRs do not come back as a problem in every multi-line text.
fn line_ends(path: &Path, text: String, problems: &mut Problems) -> SourceFile {
    // A CR is rare: memchr finds it at memory speed (`str::find` took a visible share of
    // reading a large corpus).
    let bytes = text.as_bytes();
    let first_crlf = memchr::memchr_iter(b'\r', bytes).find(|&i| bytes.get(i + 1) == Some(&b'\n'));
    let Some(at) = first_crlf else {
        return SourceFile::new(path.to_path_buf(), text);
    };
    // Offsets before the first CR are the same in both texts, so the CR's offset points at
    // the end of its line in the text that is kept (and shown).
    let source = SourceFile::new(path.to_path_buf(), text.replace("\r\n", "\n"));
    if path.extension().is_some_and(|e| e == "toml") {
        problems.push(
            Diagnostic::new(
                Rule::LineEnds,
                path,
                "the file has Windows (CRLF) line ends; data files use LF line ends",
            )
            .at(Some(at..at))
            .label("carriage return here")
            .help("save the file with LF (Unix) line ends: `dos2unix FILE`, or the line-ending setting of your editor (with git, set `core.autocrlf=input`)"),
            Some(&source),
        );
    }
    source
}

/// Parses a TOML file, reporting every syntax error.
fn parse_source(source: &SourceFile, problems: &mut Problems) -> Option<SpannedDocument> {
    match SpannedDocument::parse(&source.text) {
        Ok(doc) => Some(doc),
        Err(errors) => {
            for e in errors {
                let message = e.message.trim();
                let nesting = message.contains("recurs");
                // The parser may give no position when it gives up on nesting: find the place.
                let span = e.span.or_else(|| Some(deepest_nesting(&source.text)));
                let help = if nesting {
                    "lists and tables are nested too deeply here: records need two levels at most (a list of tables such as `emendations = [{ ... }]`); close the brackets or braces opened here"
                } else {
                    "fix the TOML syntax (strings in quotes, one key = value per line, [[appearances]] tables after the plain keys)"
                };
                problems.push(
                    Diagnostic::new(
                        Rule::TomlSyntax,
                        &source.path,
                        format!(
                            "TOML syntax error: {}",
                            crate::model::text::escape_controls(message)
                        ),
                    )
                    .at(span)
                    .help(help),
                    Some(source),
                );
            }
            None
        }
    }
}

/// Where brackets and braces outside strings and comments nest deepest: the opening bracket
/// that reaches the greatest depth (the first one, when several do).
fn deepest_nesting(text: &str) -> std::ops::Range<usize> {
    let (mut depth, mut best, mut at) = (0usize, 0usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (quote, b) {
            (_, b'\n') if comment => comment = false,
            _ if comment => {}
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'#') => comment = true,
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > best {
                    best = depth;
                    at = i;
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    at..at + 1
}

/// Reports every value written as a TOML date or time: our dates are EDTF strings in quotes.
fn datetime_problems(doc: &SpannedDocument, source: &SourceFile) -> Vec<Diagnostic> {
    doc.datetimes
        .iter()
        .map(|pointer| {
            let field = structure::pointer_display(pointer);
            let key = field.rsplit('.').next().unwrap_or(&field).to_string();
            let value = doc
                .value
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            Diagnostic::new(
                Rule::TomlDatetime,
                &source.path,
                format!("`{field}` is a TOML date without quotes; dates are EDTF strings"),
            )
            .at(doc.locate(pointer).map(|l| l.value.clone()))
            .label("unquoted date")
            .help(if key == "date" || key == "event_date" {
                format!(
                    "put the date in quotes: `{key} = \"{value}\"` (EDTF also allows `1992-02`, `1992`, `1992-02-25/1992-02-26`, `1997-03-23?`)"
                )
            } else {
                format!("put the value in quotes: `{key} = \"{value}\"`")
            })
        })
        .collect()
}

fn spans_of(ds: &[Diagnostic]) -> Vec<std::ops::Range<usize>> {
    ds.iter().filter_map(|d| d.span.clone()).collect()
}

/// Drops problems at the very place an earlier one was reported (an unquoted date that is also
/// not valid EDTF, or not of the field's type, is one fault).
fn not_again(ds: &mut Vec<Diagnostic>, reported: &[std::ops::Range<usize>]) {
    if !reported.is_empty() {
        ds.retain(|d| d.span.as_ref().is_none_or(|s| !reported.contains(s)));
    }
}

/// A deserialisation error in the words of a data file: Rust type names become ranges.
fn deserialize_problem(
    path: &Path,
    doc: &SpannedDocument,
    message: &str,
    span: Option<std::ops::Range<usize>>,
) -> Diagnostic {
    let field = span.as_ref().and_then(|sp| {
        doc.locations()
            .iter()
            .find(|(_, l)| l.value == *sp)
            .map(|(p, _)| structure::pointer_display(p))
    });
    let mut text = message.to_string();
    for (rust, words) in [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number from 0 to 4294967295"),
        ("u64", "a whole number from 0 to 18446744073709551615"),
        ("i32", "a whole number from -2147483648 to 2147483647"),
        (
            "i64",
            "a whole number from -9223372036854775808 to 9223372036854775807",
        ),
    ] {
        text = text.replace(&format!("expected {rust}"), &format!("expected {words}"));
    }
    let text = text
        .replace("found map", "found a table")
        .replace("a map", "a table");
    let message = match field {
        Some(f) if !f.is_empty() => format!("`{f}` is not valid: {text}"),
        _ => text,
    };
    Diagnostic::new(Rule::WrongType, path, message)
        .at(span)
        .help("see schema/<kind>.schema.json (or the type in src/model/) for what this field holds")
}

/// Reads, parses, checks against a schema, deserialises, then runs `extra` rules.
fn load_file<T: DeserializeOwned>(
    path: &Path,
    schema: &(Value, Validator),
    schema_name: &str,
    problems: &mut Problems,
    extra: fn(&T, &SpannedDocument, &SourceFile) -> Vec<Diagnostic>,
) -> Option<T> {
    let source = read_source(path, problems)?;
    let doc = parse_source(&source, problems)?;
    let datetimes = datetime_problems(&doc, &source);
    let has_datetimes = !datetimes.is_empty();
    let date_spans = spans_of(&datetimes);
    problems.extend(datetimes, &source);
    let mut structural = structure::check(&schema.1, &schema.0, &doc, &source, schema_name);
    not_again(&mut structural, &date_spans);
    if !structural.is_empty() {
        problems.extend(structural, &source);
        return None;
    }
    // With unquoted dates the JSON view (which holds them as strings) still loads.
    let value: Result<T, Diagnostic> = if has_datetimes {
        serde_json::from_value(doc.value.clone())
            .map_err(|e| deserialize_problem(path, &doc, &e.to_string(), Some(0..0)))
    } else {
        toml::from_str(&source.text)
            .map_err(|e| deserialize_problem(path, &doc, e.message(), e.span()))
    };
    let value = match value {
        Ok(v) => v,
        Err(d) => {
            problems.push(d, Some(&source));
            return None;
        }
    };
    let mut ds = extra(&value, &doc, &source);
    ds.extend(rules::hygiene(&doc, &source));
    not_again(&mut ds, &date_spans);
    problems.extend(ds, &source);
    Some(value)
}

/// The compilations that loaded, and the ids (file names) of those that did not: records that
/// name a broken compilation are not told again that it does not exist.
fn load_compilations(
    data: &DataDir,
    schemas: &Schemas,
    problems: &mut Problems,
    reported_links: &mut BTreeSet<PathBuf>,
) -> Result<(BTreeMap<String, LoadedCompilation>, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for path in data.compilation_files()? {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(meta) = load_file::<Compilation>(
            &path,
            &schemas.compilation,
            "the compilation schema (src/model/compilation.rs)",
            problems,
            rules::check_compilation,
        ) else {
            broken.insert(stem);
            continue;
        };
        // As read_source kept it (CRLF line ends made LF), so that positions agree.
        let raw = SourceFile::read(&path)?;
        let source = SourceFile::new(path.clone(), raw.text.replace("\r\n", "\n"));
        let doc = SpannedDocument::parse(&source.text).ok();
        let span_of = |p: &str| {
            doc.as_ref()
                .and_then(|d| d.locate(p))
                .map(|l| l.value.clone())
        };
        // The path must stay inside data/compilations, through real folders to a regular file;
        // otherwise it is reported at the field and not read.
        let transcription_path =
            match crate::load::paths::contained_file(&data.compilations_dir(), &meta.transcription)
            {
                Ok((_, p)) => p,
                Err(e) => {
                    if let crate::load::paths::Uncontained::Symlink(link) = &e {
                        reported_links.insert(link.clone());
                    }
                    problems.push(
                        transcription_path_problem(&e, &path, &meta.transcription)
                            .at(span_of("/transcription")),
                        Some(&source),
                    );
                    broken.insert(stem);
                    broken.insert(meta.id.clone());
                    continue;
                }
            };
        let bytes = match std::fs::read(&transcription_path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(
                    Diagnostic::new(
                        Rule::Transcription,
                        &path,
                        format!(
                            "cannot read the transcription {}: {e}",
                            transcription_path.display()
                        ),
                    )
                    .at(span_of("/transcription"))
                    .help("put the transcription beside this file under the name given here"),
                    Some(&source),
                );
                broken.insert(stem);
                broken.insert(meta.id.clone());
                continue;
            }
        };
        let digest = base16ct::lower::encode_string(&Sha256::digest(&bytes));
        if digest != meta.transcription_sha256 {
            problems.push(
                Diagnostic::new(
                    Rule::TranscriptionSha256,
                    &path,
                    format!("the transcription's SHA-256 is {digest}, not the one recorded here"),
                )
                .at(span_of("/transcription_sha256"))
                .label("recorded checksum")
                .help("transcriptions are kept byte for byte as received: restore the original file; if a new transcription was deliberately received, record its checksum (and re-check every line span)"),
                Some(&source),
            );
        }
        let text = String::from_utf8_lossy(&bytes);
        out.insert(
            meta.id.clone(),
            LoadedCompilation {
                transcription: Transcription::new(&text),
                meta,
                transcription_path,
            },
        );
    }
    Ok((out, broken))
}

/// What checking a record needs to know about the rest of the data.
struct Known<'a> {
    agents: &'a Registry,
    agents_loaded: bool,
    compilations: &'a BTreeMap<String, LoadedCompilation>,
    broken_compilations: &'a BTreeSet<String>,
    history: &'a History,
    files: &'a RecordFiles,
}

/// The problem with a compilation's `transcription` path that is not a plain file inside
/// data/compilations.
fn transcription_path_problem(
    e: &crate::load::paths::Uncontained,
    compilation: &Path,
    written: &str,
) -> Diagnostic {
    use crate::load::paths::Uncontained;
    let message = match e {
        Uncontained::Syntax(why) => {
            // Escaped: the value may hold control characters (ESC would reach the terminal).
            format!(
                "`{}` is not a file name inside data/compilations: {why}",
                written.escape_debug()
            )
        }
        Uncontained::Symlink(_) | Uncontained::NotAFile(_) => {
            format!(
                "the transcription `{}` is not read: {e}",
                written.escape_debug()
            )
        }
        Uncontained::Io(p, err) => {
            return Diagnostic::new(
                Rule::Transcription,
                compilation,
                format!("cannot read the transcription {}: {err}", p.display()),
            )
            .help("put the transcription beside this file under the name given here");
        }
    };
    Diagnostic::new(Rule::TranscriptionPath, compilation, message)
        .label("transcription file name")
        .help("give the transcription's file name relative to data/compilations (e.g. `<id>.txt`), a regular file beside this one; no absolute paths, `..` or links")
}

/// Checks one record file; returns the record when it could be parsed (problems found in it
/// are added to `problems`).
/// How many record files are checked in parallel before their findings are merged: enough to
/// keep every core busy, few enough that the records held at once stay a few megabytes.
const CHECK_CHUNK: usize = 256;

/// What checking one record file found, before it joins the run's problems and index.
struct FileCheck {
    /// The record, when it parsed, with what its checks proved.
    record: Option<(Record, rules::Proven)>,
    problems: Problems,
    index: rules::FileIndex,
}

/// Checks one record file on its own (any thread): its findings are merged in id order later.
fn check_file(file: &RecordFile, schemas: &Schemas, known: &Known<'_>) -> Result<FileCheck> {
    let mut problems = Problems::default();
    let mut index = rules::FileIndex::default();
    let record = check_record_file(file, schemas, known, &mut index, &mut problems)?;
    Ok(FileCheck {
        record,
        problems,
        index,
    })
}

fn check_record_file(
    file: &RecordFile,
    schemas: &Schemas,
    known: &Known<'_>,
    index: &mut rules::FileIndex,
    problems: &mut Problems,
) -> Result<Option<(Record, rules::Proven)>> {
    let Some(source) = read_source(&file.path, problems) else {
        index.add_unreadable();
        return Ok(None);
    };
    let Some(doc) = parse_source(&source, problems) else {
        index.add_unreadable();
        return Ok(None);
    };
    let datetimes = datetime_problems(&doc, &source);
    let has_datetimes = !datetimes.is_empty();
    let date_spans = spans_of(&datetimes);
    problems.extend(datetimes, &source);
    let kind_value = doc.value.get("kind").and_then(Value::as_str);
    let folder_kind = Kind::parse(&file.folder);
    let kind = match kind_value.and_then(Kind::parse) {
        Some(k) => k,
        None => {
            let span = doc.locate("/kind").map(|l| l.value.clone()).or(Some(0..0));
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(
                Diagnostic::new(
                    Rule::Kind,
                    &file.path,
                    match kind_value {
                        Some(k) => format!("`{k}` is not a record kind"),
                        None => "missing field `kind`".to_string(),
                    },
                )
                .at(span)
                .help(format!("set `kind` to one of: {}", names.join(", "))),
                Some(&source),
            );
            index.add_unchecked();
            match doc.value.get("id").and_then(Value::as_str) {
                Some(id) => index.add_id(id),
                None => index.add_unreadable(),
            }
            return Ok(None);
        }
    };
    let schema_name = format!("schema/{}.schema.json", kind.as_str());
    let Some((schema, validator)) = schemas.kinds.get(&kind) else {
        anyhow::bail!("internal error: no schema for the kind {}", kind.as_str());
    };
    let mut structural = structure::check(validator, schema, &doc, &source, &schema_name);
    not_again(&mut structural, &date_spans);
    if folder_kind != Some(kind) {
        problems.push(
            Diagnostic::new(
                Rule::KindFolder,
                &file.path,
                format!(
                    "the record's kind is `{kind}` but it is in the folder `{}`",
                    file.folder
                ),
            )
            .at(doc.locate("/kind").map(|l| l.value.clone()))
            .help(format!(
                "move the file to data/records/{kind}/, or correct `kind`"
            )),
            Some(&source),
        );
    }
    let structural_failed = !structural.is_empty();
    let unknown: Vec<String> = structural
        .iter()
        .filter(|d| d.rule == Rule::UnknownField)
        .filter_map(|d| d.pointer.clone())
        .collect();
    let only_unknown_fields = structural.iter().all(|d| d.rule == Rule::UnknownField);
    problems.extend(structural, &source);
    // With only misspelt or unknown fields, the rest of the record can still be checked: drop
    // those keys and go on, so one run reports every problem.
    let parsed: Option<Record> = if !structural_failed && !has_datetimes {
        // From the document already parsed; the text is parsed again only to locate an error.
        match Record::deserialize(&doc.value)
            .ok()
            .map_or_else(|| toml::from_str(&source.text), Ok)
        {
            Ok(r) => Some(r),
            Err(e) => {
                problems.push(
                    deserialize_problem(&file.path, &doc, e.message(), e.span()),
                    Some(&source),
                );
                None
            }
        }
    } else if only_unknown_fields {
        let mut repaired = doc.value.clone();
        for pointer in &unknown {
            remove_pointer(&mut repaired, pointer);
        }
        serde_json::from_value(repaired).ok()
    } else {
        None
    };
    let Some(mut record) = parsed else {
        index.add_unchecked();
        // Still register the id, so other records' references to it do not cascade.
        match doc.value.get("id").and_then(Value::as_str) {
            Some(id) => index.add_id(id),
            None => index.add_unreadable(),
        }
        return Ok(None);
    };
    record.normalize();
    let ctx = rules::RecordContext {
        file,
        doc: &doc,
        source: &source,
        agents: known.agents,
        agents_loaded: known.agents_loaded,
        compilations: known.compilations,
        history: known.history,
        files: known.files,
    };
    let (mut ds, proven) = rules::check_record(&record, &ctx, index);
    // A compilation that failed to load has its own error; its records are not told it is
    // unknown.
    let broken_refs: Vec<std::ops::Range<usize>> = record
        .appearances
        .iter()
        .enumerate()
        .filter(|(_, a)| known.broken_compilations.contains(&a.compilation))
        .filter_map(|(i, _)| {
            doc.locate(&format!("/appearances/{i}/compilation"))
                .map(|l| l.value.clone())
        })
        .collect();
    ds.retain(|d| {
        d.rule != Rule::UnknownCompilation
            || d.span.as_ref().is_none_or(|s| !broken_refs.contains(s))
    });
    ds.extend(rules::hygiene(&doc, &source));
    not_again(&mut ds, &date_spans);
    problems.extend(ds, &source);
    Ok(Some((record, proven)))
}

/// Removes the value at a JSON pointer (used to set aside unknown fields).
fn remove_pointer(value: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = value.pointer_mut(parent) {
        map.remove(&key);
    }
}
