//! Building a release directory: written whole into a temporary directory, then renamed.
//!
//! A failed or interrupted run leaves nothing half-written, and an existing release is never
//! replaced by different content: the same version must always mean the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::archive;
use super::bagit::{self, BagInfo, FileDigest};
use super::facts::{Counts, ReleaseFacts};
use super::metadata;
use super::version::Version;
use super::versions::{self, Changes, Manifest, Verdict};
use crate::compare::printing;
use crate::export::jsonl::JsonLines;
use crate::export::schema_files::schema_files;
use crate::export::tables::{Coverage, body_row, compilation_row, record_rows};
use crate::export::{TableSet, all_specs};
use crate::model::edtf;
use crate::validate::Corpus;

/// What a release run did.
#[derive(Debug)]
pub enum ReleaseOutcome {
    /// A new release directory and its archives were written.
    Written(ReleaseSummary),
    /// The release already existed with exactly these bytes; nothing was changed.
    Unchanged(ReleaseSummary),
    /// Refused by the version policy or because the release exists with other content;
    /// nothing was changed.
    Refused { reason: String, help: String },
}

#[derive(Debug)]
pub struct ReleaseSummary {
    pub dir: PathBuf,
    pub archives: Vec<PathBuf>,
    pub rows: BTreeMap<String, u64>,
    pub files: usize,
    /// What changed since the previous published version (None for the first).
    pub changes: Option<Changes>,
    /// The manifest recorded in data/releases/, when this run published a new version.
    pub recorded: Option<PathBuf>,
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

/// Builds the release of `corpus` under `out`: the bag directory and its two archives.
///
/// Everything is written into a temporary directory inside `out` first and moved into place
/// only when complete and allowed by the version policy, so a failed or refused run leaves
/// `out` and `data/` exactly as they were.
pub fn build(corpus: &Corpus, out: &Path) -> Result<ReleaseOutcome> {
    let ds = &corpus.dataset;
    let version = Version::parse(&ds.version).with_context(|| {
        format!(
            "version `{}` in dataset.toml is not MAJOR.MINOR.PATCH",
            ds.version
        )
    })?;
    let name = format!("{}-{}", ds.name, ds.version);
    let epoch = release_epoch(&ds.release_date)?;
    let date = edtf::civil_from_days(epoch.div_euclid(86_400) as i32);

    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let target = out.join(&name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.partial-"))
        .tempdir_in(out)
        .with_context(|| format!("cannot create a temporary directory in {}", out.display()))?;
    let bag = staging.path().join(&name);
    let payload = bag.join("data");
    std::fs::create_dir_all(payload.join("schema/tables"))?;
    std::fs::create_dir_all(payload.join("sources"))?;

    // Payload: tables, records, schemas and the source transcriptions.
    let written = write_tables(corpus, &payload)?;
    super::chart::write(&payload, &written.counts.claims)?;
    let mut schema_digest = Sha256::new();
    for (rel, content) in schema_files() {
        schema_digest.update(rel.to_string_lossy().as_bytes());
        schema_digest.update(content.as_bytes());
        std::fs::write(payload.join("schema").join(rel), content)?;
    }
    for c in corpus.compilations.values() {
        std::fs::copy(
            &c.transcription_path,
            payload.join("sources").join(&c.meta.transcription),
        )
        .with_context(|| format!("cannot copy {}", c.transcription_path.display()))?;
    }

    // The version policy, against the manifests of published versions in data/releases/.
    let manifest = Manifest {
        version,
        release_date: date.clone(),
        schema_sha256: base16ct::lower::encode_string(&schema_digest.finalize()),
        metadata_sha256: metadata_digest(corpus)?,
        records: written.record_digests,
    };
    let published = versions::published(&corpus.data.root)?;
    let (changes, publish_new) = match versions::judge(&published, &manifest) {
        Verdict::Republish => (
            published
                .range(..version)
                .next_back()
                .map(|(_, (_, old))| Changes::between(old, &manifest)),
            false,
        ),
        Verdict::New { changes } => (changes, true),
        Verdict::Refused(reason) => {
            return Ok(ReleaseOutcome::Refused {
                reason,
                help: "nothing was written; see the version rule in README.md".into(),
            });
        }
    };

    // Metadata at the bag's root, then the bag's own files.
    let mut files = BTreeMap::new();
    for rel in list_files(&payload)? {
        files.insert(rel.clone(), bagit::digest_file(&payload.join(&rel))?);
    }
    let facts = ReleaseFacts {
        dataset: ds,
        compilations: corpus.compilations.values().map(|c| &c.meta).collect(),
        specs: all_specs(),
        files,
        rows: written.rows.clone(),
        counts: written.counts,
        date: date.clone(),
        changes: changes.clone(),
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    for (file, content) in metadata::files(&facts) {
        std::fs::write(bag.join(file), content)?;
    }
    write_checksums(&bag, &facts.files)?;
    bagit::write_bag(&bag, &bag_info(&facts), &facts.files)?;
    stamp_tree(&bag, epoch)?;
    let file_count = list_files(&bag)?.len();

    let archives = [
        out.join(format!("{name}.tar.gz")),
        out.join(format!("{name}.zip")),
    ];
    let staged_archives = [
        staging.path().join(format!("{name}.tar.gz")),
        staging.path().join(format!("{name}.zip")),
    ];
    archive::write_tar_gz(&bag, &name, epoch, &staged_archives[0])?;
    archive::write_zip(&bag, &name, epoch, &staged_archives[1])?;

    let mut summary = ReleaseSummary {
        dir: target.clone(),
        archives: archives.to_vec(),
        rows: written.rows,
        files: file_count,
        changes,
        recorded: None,
    };

    // An existing release of this version must be byte-identical, archives included.
    let mut differing = if target.exists() {
        compare_trees(&bag, &target)?
    } else {
        Vec::new()
    };
    for (staged, final_path) in staged_archives.iter().zip(&archives) {
        if final_path.exists() && std::fs::read(staged)? != std::fs::read(final_path)? {
            differing.push(final_path.display().to_string());
        }
    }
    if !differing.is_empty() {
        return Ok(ReleaseOutcome::Refused {
            reason: format!(
                "{} already holds version {} with different content ({} file{} differ, e.g. {})",
                out.display(),
                ds.version,
                differing.len(),
                if differing.len() == 1 { "" } else { "s" },
                differing[0]
            ),
            help: "a released version never changes; raise `version` in data/dataset.toml and release again".into(),
        });
    }
    let existed = target.exists();
    if !existed {
        set_dir_mode(&bag)?;
        std::fs::rename(&bag, &target).with_context(|| {
            format!(
                "cannot move the finished release into place at {}",
                target.display()
            )
        })?;
    }
    for (staged, final_path) in staged_archives.iter().zip(&archives) {
        if !final_path.exists() {
            std::fs::rename(staged, final_path)
                .with_context(|| format!("cannot move {} into place", final_path.display()))?;
        }
    }
    if publish_new {
        let dir = versions::releases_dir(&corpus.data.root);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(format!("{}.manifest", ds.version));
        let tmp = tempfile::NamedTempFile::new_in(&dir)?;
        std::fs::write(tmp.path(), manifest.to_text())?;
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        summary.recorded = Some(path);
    }
    Ok(if existed {
        ReleaseOutcome::Unchanged(summary)
    } else {
        ReleaseOutcome::Written(summary)
    })
}

/// The digest of everything besides records and schemas that a release publishes: the dataset
/// metadata (without version and date, which change with every release), compilations, bodies.
fn metadata_digest(corpus: &Corpus) -> Result<String> {
    let mut ds = corpus.dataset.clone();
    ds.version.clear();
    ds.release_date.clear();
    let compilations: Vec<_> = corpus.compilations.values().map(|c| &c.meta).collect();
    let value = serde_json::json!({
        "dataset": ds,
        "compilations": compilations,
        "bodies": corpus.bodies,
    });
    Ok(base16ct::lower::encode_string(&Sha256::digest(
        serde_json::to_vec(&value)?,
    )))
}

fn bag_info(f: &ReleaseFacts) -> BagInfo {
    let ds = f.dataset;
    BagInfo {
        fields: vec![
            ("Source-Organization", ds.publisher.clone()),
            ("Contact-Name", ds.contact.clone()),
            ("External-Description", f.description()),
            ("External-Identifier", f.release_name()),
            ("Bag-Software-Agent", format!("khojaly {}", f.tool_version)),
            ("Bagging-Date", f.date.clone()),
            ("Bag-Group-Identifier", ds.name.clone()),
            ("Version", ds.version.clone()),
        ],
    }
}

struct Written {
    rows: BTreeMap<String, u64>,
    counts: Counts,
    record_digests: BTreeMap<String, String>,
}

/// What the alignment of each printing of `record` proves (the release only runs on valid data,
/// so every printing aligns).
fn coverage(record: &crate::model::Record, corpus: &Corpus) -> Vec<Coverage> {
    (0..record.appearances.len())
        .map(|i| {
            let counts = record
                .appearances
                .get(i)
                .and_then(|a| corpus.compilations.get(&a.compilation))
                .and_then(|c| printing::prove(record, i, &c.transcription).ok())
                .map(|p| p.counts)
                .unwrap_or_default();
            Coverage {
                counts,
                words_lacking: printing::lacked_words(record, i, printing::PASSAGE_WORDS),
            }
        })
        .collect()
}

fn write_tables(corpus: &Corpus, payload: &Path) -> Result<Written> {
    let mut tables = TableSet::create(payload, all_specs())?;
    let mut jsonl = JsonLines::create(&payload.join("records.jsonl"))?;
    let mut counts = Counts::default();
    let mut record_digests = BTreeMap::new();
    for file in &corpus.record_files {
        let record = corpus.read_record(file)?;
        let kind_spec = tables
            .spec(record.kind.as_str())
            .context("internal error: a kind without a table")?;
        let coverage = coverage(&record, corpus);
        let rows = record_rows(
            &record,
            corpus.bodies.get(&record.body),
            kind_spec,
            &coverage,
        );
        tables.push("records", rows.record)?;
        tables.push(rows.kind.0.as_str(), rows.kind.1)?;
        for (table, rows) in [
            ("appearances", rows.appearances),
            ("emendations", rows.emendations),
            ("omissions", rows.omissions),
            ("claims", rows.claims),
            ("footnotes", rows.footnotes),
            ("parallel_texts", rows.parallel_texts),
            ("variants", rows.variants),
        ] {
            for r in rows {
                tables.push(table, r)?;
            }
        }
        counts.add(&record);
        record_digests.insert(record.id.clone(), jsonl.push(&record)?);
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
    Ok(Written {
        rows: tables.finish()?,
        counts,
        record_digests,
    })
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

/// SHA256SUMS in the format `sha256sum -c` reads.
/// Payload files take their digest from `payload` (already computed); the rest are read.
fn write_checksums(root: &Path, payload: &BTreeMap<String, FileDigest>) -> Result<()> {
    let mut out = String::new();
    for rel in list_files(root)? {
        let sum = match rel.strip_prefix("data/").and_then(|r| payload.get(r)) {
            Some(d) => d.sha256.clone(),
            None => bagit::digest_file(&root.join(&rel))?.sha256,
        };
        out.push_str(&format!("{sum}  {rel}\n"));
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
