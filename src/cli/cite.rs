//! `khojaly cite ID`: how to cite one record of a release (plain text and BibTeX).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use super::Outcome;
use super::output::{errln, out, outln};
use crate::package::metadata::bibtex::CitedRelease;
use crate::validate::hygiene::escape_controls;

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
}

pub fn run(args: &Args) -> Result<Outcome> {
    let (release, title) = match &args.release {
        Some(dir) => from_release(dir, &args.id)?,
        None => from_data(&args.data, &args.id)?,
    };
    let Some(title) = title else {
        errln!(
            "error: no record with id `{}` in {}",
            args.id,
            args.release.as_ref().unwrap_or(&args.data).display()
        )?;
        errln!(
            "help: ids are the file names under data/records/<kind>/ and the `id` column of records.csv"
        )?;
        return Ok(Outcome::Problems);
    };
    outln!("{}\n", release.record_text(&args.id, title.as_deref()))?;
    out!("{}", release.record_bibtex(&args.id, title.as_deref()))?;
    Ok(Outcome::Clean)
}

/// The release's metadata from its datapackage.json, and the record's title (outer None when
/// the record is not in the release; inner None when it has no title).
fn from_release(dir: &Path, id: &str) -> Result<(CitedRelease, Option<Option<String>>)> {
    let dp_path = dir.join("datapackage.json");
    let dp: Value =
        serde_json::from_str(&std::fs::read_to_string(&dp_path).with_context(|| {
            format!(
                "cannot read {}: is {} a release directory?",
                dp_path.display(),
                dir.display()
            )
        })?)
        .with_context(|| format!("{} is not JSON", dp_path.display()))?;
    // A release may come from anywhere: its strings are printed with control characters escaped.
    let s = |k: &str| {
        escape_controls(dp.get(k).and_then(Value::as_str).unwrap_or_default()).into_owned()
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
                    .filter_map(|c| {
                        c.get("title")
                            .and_then(Value::as_str)
                            .map(|t| escape_controls(t).into_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let release = CitedRelease {
        name: s("name"),
        title: s("title"),
        version: s("version"),
        date: s("created").get(..10).unwrap_or_default().to_string(),
        creators: people("creator"),
        publisher: people("publisher").into_iter().next().unwrap_or_default(),
    };
    let path = dir.join("data").join("records.jsonl");
    let file =
        std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    for line in std::io::BufReader::new(file).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        if v.get("id").and_then(Value::as_str) == Some(id) {
            let title = v
                .get("title")
                .and_then(Value::as_str)
                .map(|t| escape_controls(t).into_owned());
            return Ok((release, Some(title)));
        }
    }
    Ok((release, None))
}

fn from_data(data: &Path, id: &str) -> Result<(CitedRelease, Option<Option<String>>)> {
    let ds_path = data.join("dataset.toml");
    // As in validation, a link or special file in data/ is never read.
    if crate::load::paths::is_odd(&ds_path) {
        anyhow::bail!(
            "{} is not a regular file (a link?); run `khojaly validate`",
            ds_path.display()
        );
    }
    let ds: crate::model::Dataset = toml::from_str(
        &std::fs::read_to_string(&ds_path)
            .with_context(|| format!("cannot read {}", ds_path.display()))?,
    )
    .with_context(|| format!("{} is not valid; run `khojaly validate`", ds_path.display()))?;
    let release = CitedRelease {
        name: ds.name.clone(),
        title: ds.title.clone(),
        version: ds.version.clone(),
        date: ds.release_date.clone(),
        creators: ds.creator_names(),
        publisher: ds.publisher.clone(),
    };
    let (files, _) = crate::load::DataDir::new(data).record_files()?;
    if let Some(f) = files.iter().find(|f| f.stem == id) {
        let text = std::fs::read_to_string(&f.path)?;
        let v: toml::Value = toml::from_str(&text).with_context(|| {
            format!(
                "{} is not valid TOML; run `khojaly validate`",
                f.path.display()
            )
        })?;
        let title = v
            .get("title")
            .and_then(|t| t.as_str())
            .map(|t| escape_controls(t).into_owned());
        return Ok((release, Some(title)));
    }
    Ok((release, None))
}
