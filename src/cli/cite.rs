//! `khojaly cite ID`: how to cite one record — the original document, its printing in each
//! compilation, and the dataset release — as Chicago-style text, BibLaTeX, CSL-JSON, RIS or JSON.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use super::Outcome;
use super::output::{errln, out, outln};
use crate::model::text::escape_controls;
use crate::model::{Agent, Compilation, Record};
use crate::package::citation::{self, Citation, DatasetRef};

/// The citation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiteFormat {
    /// A full note in the Chicago notes-bibliography style.
    Text,
    /// BibLaTeX: the document's entry and the release's @dataset entry.
    Bibtex,
    /// CSL-JSON (Zotero, Mendeley, pandoc, citeproc): an array of one item.
    CslJson,
    /// RIS (EndNote, Zotero, Mendeley, reference managers).
    Ris,
    /// The three layers (document, printings, dataset) as one JSON object.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record's id.
    pub id: String,
    /// A release directory to cite (default: the release the data directory would make).
    #[arg(long)]
    pub release: Option<PathBuf>,
    /// The data directory, used when no --release is given.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CiteFormat::Text)]
    pub format: CiteFormat,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let citation = match &args.release {
        Some(dir) => from_release(dir, &args.id)?,
        None => from_data(&args.data, &args.id)?,
    };
    let Some(c) = citation else {
        // The id comes from the command line: its control characters (a terminal escape) are
        // shown escaped, never sent to the terminal.
        errln!(
            "error: no record with id `{}` in {}",
            crate::model::text::escape_controls(&args.id),
            crate::model::text::escape_controls(
                &args
                    .release
                    .as_ref()
                    .unwrap_or(&args.data)
                    .display()
                    .to_string()
            )
        )?;
        errln!(
            "help: ids are the file names under data/records/<kind>/ and the `id` column of records.csv"
        )?;
        return Ok(Outcome::Problems);
    };
    match args.format {
        CiteFormat::Text => outln!("{}", citation::text::note(&c))?,
        CiteFormat::Bibtex => out!("{}", citation::bibtex::record_and_dataset(&c))?,
        CiteFormat::CslJson => outln!(
            "{}",
            serde_json::to_string_pretty(&Value::Array(vec![citation::csl::item(&c)]))?
        )?,
        CiteFormat::Ris => out!("{}", citation::ris::reference(&c))?,
        CiteFormat::Json => outln!("{}", serde_json::to_string_pretty(&c)?)?,
    }
    Ok(Outcome::Clean)
}

/// Every string in a JSON value with control and bidi characters escaped: a release may come
/// from anywhere, and what it holds is printed.
fn defang(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(e) = escape_controls(s) {
                *s = e;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(defang),
        Value::Object(o) => o.values_mut().for_each(defang),
        _ => {}
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut v: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    defang(&mut v);
    Ok(v)
}

/// Rows of a release's CSV table as maps from column name to cell (a spreadsheet guard `'`
/// before `=`, `+`, `-` or `@` removed).
fn read_csv(path: &Path) -> Result<Vec<BTreeMap<String, String>>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.with_context(|| format!("{} is not valid CSV", path.display()))?;
        rows.push(
            headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| {
                    let v = match v.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                        _ => v,
                    };
                    (h.to_string(), escape_controls(v).into_owned())
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// The citation of record `id` of a release directory (None when the release lacks it).
fn from_release(dir: &Path, id: &str) -> Result<Option<Citation>> {
    let dp_path = dir.join("datapackage.json");
    if !dp_path.is_file() {
        anyhow::bail!(
            "cannot read {}: is {} a release directory?",
            dp_path.display(),
            dir.display()
        );
    }
    let dp = read_json(&dp_path)?;
    let s = |k: &str| {
        dp.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let people = |role: &str| -> Vec<String> {
        dp.get("contributors")
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .filter(|c| {
                        c.get("roles")
                            .and_then(Value::as_array)
                            .is_some_and(|r| r.iter().any(|x| x == role))
                    })
                    .filter_map(|c| c.get("title").and_then(Value::as_str).map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The homepage, when the dataset has one, is the Croissant `url` (else an archive name).
    let url = read_json(&dir.join("croissant.jsonld"))
        .ok()
        .and_then(|v| v.get("url").and_then(Value::as_str).map(String::from))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let dataset = DatasetRef {
        name: s("name"),
        title: s("title"),
        version: s("version"),
        date: s("created").get(..10).unwrap_or_default().to_string(),
        creators: people("creator"),
        publisher: people("publisher").into_iter().next().unwrap_or_default(),
        doi: url.as_deref().and_then(citation::doi_of),
        url,
    };
    let path = dir.join("data").join("records.jsonl");
    let file =
        std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut found = None;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let mut v: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        if v.get("id").and_then(Value::as_str) == Some(id) {
            defang(&mut v);
            let record: Record = serde_json::from_value(v).with_context(|| {
                format!(
                    "{}:{}: the record `{id}` is not a record of this tool's schema",
                    path.display(),
                    n + 1
                )
            })?;
            found = Some(record);
            break;
        }
    }
    let Some(record) = found else {
        return Ok(None);
    };
    let agents: BTreeMap<String, Agent> = read_csv(&dir.join("data/agents.csv"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|row| {
            let id = row.get("agent_id")?.clone();
            let agent = Agent::named(&id, row.get("name")?);
            Some((id, agent))
        })
        .collect();
    let opt =
        |row: &BTreeMap<String, String>, k: &str| row.get(k).filter(|v| !v.is_empty()).cloned();
    let compilations: BTreeMap<String, Compilation> = read_csv(&dir.join("data/compilations.csv"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|row| {
            let id = row.get("id")?.clone();
            let c = Compilation {
                id: id.clone(),
                title: opt(&row, "title"),
                title_absent_reason: None,
                publisher: opt(&row, "publisher"),
                publisher_absent_reason: None,
                place: opt(&row, "place"),
                year: opt(&row, "year"),
                description: String::new(),
                language: String::new(),
                transcription: String::new(),
                transcription_sha256: String::new(),
                transcription_note: None,
                source_file: None,
            };
            Some((id, c))
        })
        .collect();
    Ok(Some(Citation::new(
        &record,
        agents.get(&record.body),
        &compilations,
        dataset,
    )))
}

/// The citation of record `id` as the data directory would release it: that record's file and
/// the small files it refers to (`load::single`), without reading or validating the rest of the
/// corpus, so that one record is cited at once whatever the corpus's size.
fn from_data(data: &Path, id: &str) -> Result<Option<Citation>> {
    let one = crate::load::single::read(&crate::load::DataDir::new(data), id)?;
    Ok(one.as_ref().map(citation::of_record))
}
