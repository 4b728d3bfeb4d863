//! One record and the small files it refers to (dataset, agents, compilations), read without
//! the rest of the corpus: `cite`, `claims --record` and `validate --explain` answer for one
//! record at once, whatever the corpus's size. Every file is read through the link-safe reader.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::DataDir;
use super::paths::{contained_file, read_regular};
use super::transcription::Transcription;
use crate::model::{Agents, Compilation, Dataset, Kind, Record, Registry};

/// A record as a release would carry it (normalised, `record_author` resolved to an agent),
/// with the files it refers to.
#[derive(Debug)]
pub struct SingleRecord {
    pub dataset: Dataset,
    pub agents: Registry,
    pub compilations: BTreeMap<String, Compilation>,
    pub record: Record,
    pub path: PathBuf,
}

/// A file's text, read without following links; an error names the file.
fn read_text(path: &Path) -> Result<String> {
    let bytes = read_regular(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .with_context(|| format!("{} is not a regular file", path.display()))?;
    String::from_utf8(bytes)
        .with_context(|| format!("{} is not UTF-8; run `khojaly validate`", path.display()))
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    toml::from_str(&read_text(path)?).with_context(|| {
        format!(
            "{} is not valid; run `khojaly validate` for its problems",
            path.display()
        )
    })
}

/// The path of record `id`'s file, `data/records/<kind>/<id>.toml` with the kind read off the id's
/// prefix; None for an id that is not well formed (lower-case ASCII, digits and hyphens) or
/// names no kind, so that no id can name a path outside records/.
pub fn record_path(dir: &DataDir, id: &str) -> Option<PathBuf> {
    let well_formed = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let kind = Kind::ALL.into_iter().find(|k| {
        id.strip_prefix(k.id_prefix())
            .is_some_and(|rest| rest.starts_with('-'))
    })?;
    well_formed.then(|| {
        dir.records_dir()
            .join(kind.as_str())
            .join(format!("{id}.toml"))
    })
}

/// Reads record `id` and the small files; None when no record file has that id.
pub fn read(dir: &DataDir, id: &str) -> Result<Option<SingleRecord>> {
    let dataset: Dataset = parse(&dir.dataset_path())?;
    let agents: Agents = parse(&dir.agents_path())?;
    let agents = Registry::from_list(agents.agents);
    let mut compilations = BTreeMap::new();
    for path in dir.compilation_files()? {
        let c: Compilation = parse(&path)?;
        compilations.insert(c.id.clone(), c);
    }
    let Some(path) = record_path(dir, id) else {
        return Ok(None);
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let mut record: Record = parse(&path)?;
    record.normalize();
    crate::model::agent::resolve_claims(&mut record, &agents);
    Ok(Some(SingleRecord {
        dataset,
        agents,
        compilations,
        record,
        path,
    }))
}

/// The transcription of a compilation, read as validation reads it: inside data/compilations,
/// through real folders to a regular file.
pub fn transcription(dir: &DataDir, compilation: &Compilation) -> Result<Transcription> {
    let (_, path) = contained_file(&dir.compilations_dir(), &compilation.transcription)
        .map_err(|_| {
            anyhow::anyhow!(
                "the transcription `{}` of compilation `{}` is not a file inside {}; run `khojaly validate`",
                compilation.transcription,
                compilation.id,
                dir.compilations_dir().display()
            )
        })?;
    Ok(Transcription::new(&read_text(&path)?))
}
