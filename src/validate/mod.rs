//! Validation: every rule a data directory must satisfy, each problem located and explained.
//!
//! Records are read one at a time; only what cross-record rules need (ids, kinds, `part_of`
//! references) is kept, so memory does not grow with the texts of the corpus.

pub mod claims;
pub mod diagnostic;
pub mod fidelity;
pub mod hygiene;
mod rules;
pub mod structure;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annotate_snippets::Renderer;
use anyhow::{Context, Result};
use jsonschema::Validator;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::load::Transcription;
pub use diagnostic::Diagnostic;

use crate::load::{DataDir, RecordFile, SourceFile, SpannedDocument};
use crate::model::schema::{bodies_schema, compilation_schema, dataset_schema, record_schema};
use crate::model::{Body, Compilation, Dataset, Kind, Record};

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
    pub bodies: BTreeMap<String, Body>,
    pub compilations: BTreeMap<String, LoadedCompilation>,
    pub record_files: Vec<RecordFile>,
}

impl Corpus {
    /// Reads one record that validation has already accepted.
    pub fn read_record(&self, file: &RecordFile) -> Result<Record> {
        let text = std::fs::read_to_string(&file.path)?;
        let mut record: Record =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.path.display()))?;
        record.normalize();
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

/// Compiled schemas, one per data file type.
struct Schemas {
    kinds: BTreeMap<Kind, (Value, Validator)>,
    dataset: (Value, Validator),
    bodies: (Value, Validator),
    compilation: (Value, Validator),
}

impl Schemas {
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
            bodies: pair(bodies_schema())?,
            compilation: pair(compilation_schema())?,
        })
    }
}

/// Validates a whole data directory. Returns the loaded corpus (when the metadata could be
/// loaded at all) and every problem found. Errors are failures of the tool, not of the data.
pub fn validate(data: &DataDir) -> Result<(Option<Corpus>, Problems)> {
    if !data.root.is_dir() {
        anyhow::bail!(
            "{} is not a directory; pass --data DIR, the folder that holds dataset.toml",
            data.root.display()
        );
    }
    let schemas = Schemas::new()?;
    let mut problems = Problems::default();

    let dataset: Option<Dataset> = load_file(
        &data.dataset_path(),
        &schemas.dataset,
        "the dataset schema (src/model/dataset.rs)",
        &mut problems,
        rules::check_dataset,
    );
    let bodies = load_file(
        &data.bodies_path(),
        &schemas.bodies,
        "the bodies schema (src/model/body.rs)",
        &mut problems,
        rules::check_bodies,
    )
    .map(|b: crate::model::Bodies| {
        b.bodies
            .into_iter()
            .map(|b| (b.id.clone(), b))
            .collect::<BTreeMap<_, _>>()
    });
    // Links and special files anywhere in data/ are refused, named, and never read: a link
    // would let a record or transcription come from anywhere on the machine.
    let odd = crate::load::paths::oddities(&data.root)
        .with_context(|| format!("cannot read the directory tree {}", data.root.display()))?;
    let mut reported_links = BTreeSet::new();
    let compilations = load_compilations(data, &schemas, &mut problems, &mut reported_links)?;
    report_oddities(&odd, &reported_links, &mut problems);

    let (record_files, stray) = data.record_files()?;
    for path in stray {
        problems.push(
            Diagnostic::new("stray-file", &path, "this file is not a record and is not read")
                .help("records live in data/records/<kind>/<id>.toml, one folder level deep; move or remove this entry"),
            None,
        );
    }
    let bodies = bodies.unwrap_or_default();
    let mut index = rules::CrossIndex::default();
    for file in &record_files {
        check_record_file(
            file,
            &schemas,
            &bodies,
            &compilations,
            &mut index,
            &mut problems,
        )?;
    }
    index.finish(&mut problems);

    let corpus = dataset.map(|dataset| Corpus {
        data: data.clone(),
        dataset,
        bodies,
        compilations,
        record_files,
    });
    Ok((corpus, problems))
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
                "symlink",
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
                "special-file",
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
    if crate::load::paths::is_odd(path) {
        return None;
    }
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile::new(path.to_path_buf(), text)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let src = SourceFile::new(
                    path.to_path_buf(),
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                );
                problems.push(
                    Diagnostic::new("encoding", path, "the file is not valid UTF-8")
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
                Diagnostic::new("missing-file", path, format!("cannot read the file: {e}"))
                    .help("create it, or point --data at the right directory"),
                None,
            );
            None
        }
    }
}

/// Parses a TOML file, reporting every syntax error.
fn parse_source(source: &SourceFile, problems: &mut Problems) -> Option<SpannedDocument> {
    match SpannedDocument::parse(&source.text) {
        Ok(doc) => Some(doc),
        Err(errors) => {
            for e in errors {
                problems.push(
                    Diagnostic::new("toml-syntax", &source.path, format!("TOML syntax error: {}", e.message.trim()))
                        .at(e.span)
                        .help("fix the TOML syntax (strings in quotes, one key = value per line, [[appearances]] tables after the plain keys)"),
                    Some(source),
                );
            }
            None
        }
    }
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
    let structural = structure::check(&schema.1, &schema.0, &doc, &source, schema_name);
    if !structural.is_empty() {
        problems.extend(structural, &source);
        return None;
    }
    let value: T = match toml::from_str(&source.text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(
                Diagnostic::new("wrong-type", path, e.message().to_string()).at(e.span()),
                Some(&source),
            );
            return None;
        }
    };
    let mut ds = extra(&value, &doc, &source);
    ds.extend(rules::hygiene(&doc, &source));
    problems.extend(ds, &source);
    Some(value)
}

fn load_compilations(
    data: &DataDir,
    schemas: &Schemas,
    problems: &mut Problems,
    reported_links: &mut BTreeSet<PathBuf>,
) -> Result<BTreeMap<String, LoadedCompilation>> {
    let mut out = BTreeMap::new();
    for path in data.compilation_files()? {
        let Some(meta) = load_file::<Compilation>(
            &path,
            &schemas.compilation,
            "the compilation schema (src/model/compilation.rs)",
            problems,
            rules::check_compilation,
        ) else {
            continue;
        };
        let source = SourceFile::read(&path)?;
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
                    continue;
                }
            };
        let bytes = match std::fs::read(&transcription_path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(
                    Diagnostic::new(
                        "transcription",
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
                continue;
            }
        };
        let digest = base16ct::lower::encode_string(&Sha256::digest(&bytes));
        if digest != meta.transcription_sha256 {
            problems.push(
                Diagnostic::new(
                    "transcription-sha256",
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
    Ok(out)
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
                "transcription",
                compilation,
                format!("cannot read the transcription {}: {err}", p.display()),
            )
            .help("put the transcription beside this file under the name given here");
        }
    };
    Diagnostic::new("transcription-path", compilation, message)
        .label("transcription file name")
        .help("give the transcription's file name relative to data/compilations (e.g. `<id>.txt`), a regular file beside this one; no absolute paths, `..` or links")
}

fn check_record_file(
    file: &RecordFile,
    schemas: &Schemas,
    bodies: &BTreeMap<String, Body>,
    compilations: &BTreeMap<String, LoadedCompilation>,
    index: &mut rules::CrossIndex,
    problems: &mut Problems,
) -> Result<()> {
    let Some(source) = read_source(&file.path, problems) else {
        return Ok(());
    };
    let Some(doc) = parse_source(&source, problems) else {
        return Ok(());
    };
    let kind_value = doc.value.get("kind").and_then(Value::as_str);
    let folder_kind = Kind::parse(&file.folder);
    let kind = match kind_value.and_then(Kind::parse) {
        Some(k) => k,
        None => {
            let span = doc.locate("/kind").map(|l| l.value.clone()).or(Some(0..0));
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(
                Diagnostic::new(
                    "kind",
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
            return Ok(());
        }
    };
    let schema_name = format!("schema/{}.schema.json", kind.as_str());
    let (schema, validator) = &schemas.kinds[&kind];
    let structural = structure::check(validator, schema, &doc, &source, &schema_name);
    if folder_kind != Some(kind) {
        problems.push(
            Diagnostic::new(
                "kind-folder",
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
        .filter(|d| d.rule == "unknown-field")
        .filter_map(|d| d.pointer.clone())
        .collect();
    let only_unknown_fields = structural.iter().all(|d| d.rule == "unknown-field");
    problems.extend(structural, &source);
    // With only misspelt or unknown fields, the rest of the record can still be checked: drop
    // those keys and go on, so one run reports every problem.
    let parsed: Option<Record> = if !structural_failed {
        match toml::from_str(&source.text) {
            Ok(r) => Some(r),
            Err(e) => {
                problems.push(
                    Diagnostic::new("wrong-type", &file.path, e.message().to_string()).at(e.span()),
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
        // Still register the id, so other records' references to it do not cascade.
        if let Some(id) = doc.value.get("id").and_then(Value::as_str) {
            index.add_id(id, &file.path);
        }
        return Ok(());
    };
    record.normalize();
    let ctx = rules::RecordContext {
        file,
        doc: &doc,
        source: &source,
        bodies,
        compilations,
    };
    let mut ds = rules::check_record(&record, &ctx, index);
    ds.extend(rules::hygiene(&doc, &source));
    problems.extend(ds, &source);
    Ok(())
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
