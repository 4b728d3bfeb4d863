//! Building a release directory: written whole into a temporary directory, then renamed.
//!
//! A failed or interrupted run leaves nothing half-written, and an existing release is never
//! replaced by different content: the same version must always mean the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::archive::{self, Archives};
use super::bagit::{self, BagInfo};
use super::citation::files::CitationFiles;
use super::facts::{Counts, ReleaseFacts};
use super::metadata;
use super::spill::Spill;
use super::staging::{self, Failure, Staging};
use super::tag_files::TagFiles;
use super::versions::{self, Changes, Verdict};
use crate::compare::printing;
use crate::export::jsonl::RecordLines;
use crate::export::output::{Digests, FileDigest, write_digested};
use crate::export::schema_files::schema_files;
use crate::export::sink::RELEASE_FORMATS;
use crate::export::tables::{Coverage, Source};
use crate::export::{TableSet, all_specs};
use crate::load::paths::RelPath;
use crate::model::edtf;
use crate::model::version::Version;
use crate::validate::{Checked, Corpus, LoadedCompilation, Problems, Validation};

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
    /// The data has problems; nothing was written.
    Invalid(Problems),
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

/// The latest moment a release may carry: 9999-12-31T23:59:59Z. Later (or before 1970) would
/// give dates no standard we write can hold (bag-info, CITATION.cff and zip want 4-digit years).
pub const MAX_EPOCH: i64 = 253_402_300_799;

/// The moment every written file is stamped with: SOURCE_DATE_EPOCH if set, else the
/// dataset's release date at midnight UTC. Never the clock.
pub fn release_epoch(release_date: &str) -> Result<i64> {
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let epoch = v.trim().parse::<i64>().with_context(|| {
            format!("SOURCE_DATE_EPOCH is not a whole number of seconds: `{v}`")
        })?;
        if !(0..=MAX_EPOCH).contains(&epoch) {
            anyhow::bail!(
                "SOURCE_DATE_EPOCH={epoch} is outside the dates a release can carry: give seconds since 1970-01-01T00:00:00Z, from 0 to {MAX_EPOCH} (9999-12-31T23:59:59Z)"
            );
        }
        return Ok(epoch);
    }
    let days = edtf::parse(release_date)
        .ok()
        .and_then(|e| e.start)
        .with_context(|| format!("release_date `{release_date}` is not a date"))?;
    let epoch = i64::from(days) * 86_400;
    if !(0..=MAX_EPOCH).contains(&epoch) {
        anyhow::bail!(
            "release_date `{release_date}` in dataset.toml is outside the dates a release can carry (1970-01-01 to 9999-12-31)"
        );
    }
    Ok(epoch)
}

/// Validates the data and builds its release under `out` in the same pass: the bag directory
/// and its archives.
///
/// Each record file is read and parsed once, by validation, and its rows are streamed to the
/// table writers as soon as it is checked; only what the cross-record rules and the metadata
/// need is kept. Everything is written into a temporary sibling first (see `staging`) and moved
/// into place only when complete, free of problems and allowed by the version policy; the
/// version manifest is recorded in data/releases/ only after that, and if recording fails the
/// release is taken back. So a failed, refused or invalid run leaves `out` and `data/` exactly
/// as they were.
pub fn build(validation: Validation, out: &Path, packaging: Packaging) -> Result<ReleaseOutcome> {
    // Every failure leaves nothing behind, unless it says otherwise.
    write_release(validation, out, packaging).map_err(|f| f.into_error(out))
}

/// How a release is packaged besides its payload: the archives written beside the bag, and
/// whether the bag carries the web view (`site/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packaging {
    pub archives: Archives,
    pub site: bool,
}

/// What is settled before the first record is written.
struct Plan {
    version: Version,
    name: String,
    epoch: i64,
    date: String,
    releases: PathBuf,
    published: BTreeMap<Version, versions::Published>,
    /// Ids withdrawn in a published version, with that version (validation found them).
    retired: BTreeMap<String, Version>,
    staging: Staging,
}

/// Checks what the release needs besides valid records, and opens the staging folder.
fn plan(validation: &Validation, out: &Path) -> Result<Plan> {
    let ds = validation
        .dataset()
        .context("internal error: planning a release without dataset metadata")?;
    let version = Version::parse(&ds.version).with_context(|| {
        format!(
            "version `{}` in dataset.toml is not MAJOR.MINOR.PATCH",
            ds.version
        )
    })?;
    let name = format!("{}-{}", ds.name, ds.version);
    // Validation requires a slug; never let a name place files anywhere but directly in out.
    if RelPath::parse(&name).map(|p| p.parts().len()) != Ok(1) {
        anyhow::bail!("the release name `{name}` is not a plain file name");
    }
    let epoch = release_epoch(&ds.release_date)?;
    let date = edtf::civil_from_days(
        i32::try_from(epoch.div_euclid(86_400)).context("the release date is out of range")?,
    );

    // Fail before writing anything when the version cannot be recorded afterwards.
    let releases = versions::releases_dir(&validation.data().root);
    if let Ok(m) = std::fs::symlink_metadata(&releases)
        && !m.is_dir()
    {
        anyhow::bail!(
            "{} is not a folder: it must hold the manifests of published versions",
            releases.display()
        );
    }
    // Validation read every published manifest: its headers and withdrawn ids are reused.
    let history = validation.history();
    let (published, retired) = (history.manifests.clone(), history.retired.clone());
    let staging = Staging::begin(out, &name)?;
    Ok(Plan {
        version,
        name,
        epoch,
        date,
        releases,
        published,
        retired,
        staging,
    })
}

fn write_release(
    mut validation: Validation,
    out: &Path,
    packaging: Packaging,
) -> Result<ReleaseOutcome, Failure> {
    let archive_formats = packaging.archives;
    // Without dataset metadata there are problems to report and nothing to plan.
    let planned = validation.dataset().map(|_| plan(&validation, out));
    let plan = match planned {
        Some(Ok(p)) => p,
        other => {
            // The data's problems come first: a release of invalid data fails on them, whatever
            // else is wrong.
            validation.check_records(|_| Ok(()))?;
            let (_, problems) = validation.finish();
            if !problems.is_empty() {
                return Ok(ReleaseOutcome::Invalid(problems));
            }
            return Err(match other {
                Some(Err(e)) => e,
                _ => anyhow::anyhow!("internal error: dataset metadata without problems"),
            }
            .into());
        }
    };
    let Plan {
        version,
        name,
        epoch,
        date,
        releases,
        published,
        retired,
        staging,
    } = plan;
    let target = out.join(&name);
    let bag = staging.tree().join(&name);
    let payload = bag.join("data");
    create_dir(&payload.join("schema/tables"))?;
    create_dir(&payload.join("sources"))?;

    // Payload: tables, records, schemas and the source transcriptions. The tables are written
    // while the records are validated; a write failure stops the writing (validation goes on,
    // so that the data's problems, if any, are the ones reported).
    let cited = super::citation::DatasetRef::new(
        validation
            .dataset()
            .context("internal error: releasing without dataset metadata")?,
        &date,
    );
    let tags = TagFiles::new(&bag, release_moment(epoch), staging.scratch());
    let license = validation
        .dataset()
        .map(|d| d.license.clone())
        .unwrap_or_default();
    let mut stream = TableStream::create(&payload, &cited, staging.scratch(), tags, license)?;
    let mut write_failure = None;
    validation.check_records(|checked| {
        if write_failure.is_none()
            && let Err(e) = stream.push(checked)
        {
            write_failure = Some(e);
        }
        Ok(())
    })?;
    let (corpus, problems) = validation.finish();
    let corpus = match corpus {
        Some(c) if problems.is_empty() => c,
        _ => return Ok(ReleaseOutcome::Invalid(problems)),
    };
    if let Some(e) = write_failure {
        return Err(e.into());
    }
    let written = stream.finish(&corpus)?;
    let ds = &corpus.dataset;
    // Every payload file is digested as it is written, never read back for the bag.
    let mut files = written.digests;
    let schema_sha256 = write_payload_files(&payload, &corpus, &written.counts, &date, &mut files)?;

    // The version policy, against the manifests of published versions in data/releases/. The
    // release's own record and claim lines were written to files as the records passed; they
    // are read again, a line at a time, only to compare with a published version (a first
    // release has none).
    let header = versions::Header {
        version,
        release_date: date.clone(),
        schema_sha256,
        metadata_sha256: metadata_digest(&corpus)?,
    };
    let lines = written.manifest_lines;
    let (changes, publish_new) = match judge_version(&published, &retired, &lines.source(&header))?
    {
        Ok(judged) => judged,
        Err(reason) => {
            return Ok(ReleaseOutcome::Refused {
                reason,
                help: "nothing was written; see the version rule in README.md".into(),
            });
        }
    };

    // Metadata at the bag's root, then the bag's own files. Every payload file has its digest
    // from when it was written; one without would be missing from the bag's manifests.
    walk_files(&payload, |rel| {
        if !files.contains_key(rel) {
            anyhow::bail!("internal error: {rel} was written without its digest");
        }
        Ok(())
    })?;
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
    let mut tags = written.tags;
    for (file, content) in metadata::files(&facts) {
        tags.write(file, content.as_bytes())?;
    }
    tags.write(
        super::library::MARC_FILE,
        super::library::marc::dataset(&facts)?.as_bytes(),
    )?;
    if packaging.site {
        super::site::write(&corpus, &mut tags, &facts, staging.scratch())?;
    }
    tags.finish_writing()?;
    write_mets(&bag, &facts, &tags)?;
    write_checksums(&bag, &facts.files, &tags)?;
    bagit::write_bag(&bag, &bag_info(&facts), &facts.files, &tags)?;
    stamp_tree(&bag, epoch, &tags)?;
    let mut file_count = 0;
    walk_files(&bag, |_| {
        file_count += 1;
        Ok(())
    })?;

    let archive_names: Vec<String> = archive_formats
        .suffixes()
        .iter()
        .map(|suffix| format!("{name}.{suffix}"))
        .collect();
    let archives: Vec<PathBuf> = archive_names.iter().map(|a| out.join(a)).collect();
    let staged_archives: Vec<PathBuf> = archive_names
        .iter()
        .map(|a| staging.tree().join(a))
        .collect();
    for (suffix, staged) in archive_formats.suffixes().iter().zip(&staged_archives) {
        match *suffix {
            "tar.gz" => archive::write_tar_gz(&bag, &name, epoch, staged)?,
            _ => archive::write_zip(&bag, &name, epoch, staged)?,
        }
    }

    let mut summary = ReleaseSummary {
        dir: target.clone(),
        archives: archives.clone(),
        rows: written.rows,
        files: file_count,
        changes,
        recorded: None,
    };

    // An existing release of this version must be byte-identical, archives included.
    let existed = match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(anyhow::anyhow!(
                "{} exists and is not a release folder (a file or a link); nothing was written",
                target.display()
            )
            .into());
        }
        Err(_) => false,
    };
    let mut differing = if existed {
        compare_trees(&bag, &target)?
    } else {
        Vec::new()
    };
    let mut place = Vec::new();
    for ((staged, final_path), file) in staged_archives.iter().zip(&archives).zip(&archive_names) {
        match std::fs::symlink_metadata(final_path) {
            Err(_) => place.push(file.clone()),
            Ok(m) if m.is_file() && read(staged)? == read(final_path)? => {}
            // Other bytes, or a link or folder under the archive's name.
            Ok(_) => differing.push(final_path.display().to_string()),
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
                differing.first().map(String::as_str).unwrap_or("")
            ),
            help: "a released version never changes; raise `version` in data/dataset.toml and release again".into(),
        });
    }
    if !existed {
        set_dir_mode(&bag)?;
        place.insert(0, name.clone());
    }
    let mut placed = staging.commit(&place)?;

    // Only now, with the release in place, is the version recorded as published; if that
    // fails, the release is taken back so that nothing claims a version data/ does not know.
    if publish_new {
        let path = releases.join(format!("{}.manifest", ds.version));
        let created_dir = std::fs::symlink_metadata(&releases).is_err();
        let recorded = std::fs::create_dir_all(&releases)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", releases.display()))
            .and_then(|()| {
                staging::write_file_atomically_with(&path, |w| lines.write_manifest(&header, w))
            });
        if let Err(e) = recorded {
            if created_dir {
                // Leave data/ as it was: remove the (empty) folder this run made.
                let _ = std::fs::remove_dir(&releases);
            }
            return Err(match placed.rollback() {
                Ok(()) => Failure::Settled(e.context(format!(
                    "cannot record version {} in {}; the release was taken back, nothing was written to {}",
                    ds.version,
                    releases.display(),
                    out.display()
                ))),
                Err(u) => Failure::Settled(e.context(format!(
                    "cannot record version {} in {}, and taking the release back from {} failed ({u:#})",
                    ds.version,
                    releases.display(),
                    out.display()
                ))),
            });
        }
        summary.recorded = Some(path);
    }
    Ok(if existed {
        ReleaseOutcome::Unchanged(summary)
    } else {
        ReleaseOutcome::Written(summary)
    })
}

/// Copies a compilation's transcription into the payload under its checked relative name, and
/// only if its bytes are still the ones validation checked against the recorded SHA-256.
/// Returns its path under `sources` and its digest.
fn copy_transcription(c: &LoadedCompilation, sources: &Path) -> Result<(PathBuf, FileDigest)> {
    let rel = RelPath::parse(&c.meta.transcription).map_err(|e| {
        anyhow::anyhow!(
            "the transcription path `{}` of {}: {e}",
            c.meta.transcription,
            c.meta.id
        )
    })?;
    let bytes = read(&c.transcription_path)?;
    let digest = FileDigest::of(&bytes);
    if digest.sha256 != c.meta.transcription_sha256 {
        anyhow::bail!(
            "{} changed while the release was being built; run the release again",
            c.transcription_path.display()
        );
    }
    let dest = rel.under(sources);
    if let Some(dir) = dest.parent() {
        create_dir(dir)?;
    }
    write(&dest, &bytes)?;
    Ok((rel.under(Path::new("")), digest))
}

/// A payload file's name in the bag's manifests: relative to data/, with `/` separators.
fn payload_name(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// `std::fs::write` with an error that names the file and nothing else.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))
}

/// The version rule against the published versions: the changes since the latest one (None for
/// a first release) and whether this release publishes a new version (false when it rebuilds a
/// published one from the same data), or the reason it is refused.
fn judge_version(
    published: &BTreeMap<Version, versions::Published>,
    retired: &BTreeMap<String, Version>,
    current: &dyn versions::ManifestSource,
) -> Result<Result<(Option<Changes>, bool), String>> {
    if published.is_empty() {
        return Ok(Ok((None, true)));
    }
    let version = current.header().version;
    Ok(match versions::judge(published, retired, current)? {
        Verdict::Republish => Ok((
            published
                .range(..version)
                .next_back()
                .map(|(_, old)| Changes::between(old, current))
                .transpose()?,
            false,
        )),
        Verdict::New { changes } => Ok((changes.map(|c| *c), true)),
        Verdict::Refused(reason) => Err(reason),
    })
}

/// The payload files besides the tables: the chart, the JSON Schemas and the source
/// transcriptions, each digested as it is written into `files`. Returns the digest of the
/// schemas' structure, which the version rules compare.
fn write_payload_files(
    payload: &Path,
    corpus: &Corpus,
    counts: &super::facts::Counts,
    date: &str,
    files: &mut BTreeMap<String, FileDigest>,
) -> Result<String> {
    let ds = &corpus.dataset;
    // With no dated statement, the chart's axis sits at the release's year.
    let empty_year = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0.0);
    files.insert(
        ds.corpus.chart_file().to_string(),
        super::chart::write(payload, &counts.claims, &ds.corpus, empty_year)?,
    );
    let mut schema_digest = Sha256::new();
    for (rel, content) in schema_files() {
        schema_digest.update(rel.to_string_lossy().as_bytes());
        schema_digest.update(versions::schema_structure(&content));
        let digest = write_digested(&payload.join("schema").join(&rel), content.as_bytes())?;
        files.insert(payload_name(&Path::new("schema").join(&rel)), digest);
    }
    for c in corpus.compilations.values() {
        let (rel, digest) = copy_transcription(c, &payload.join("sources"))?;
        files.insert(payload_name(&Path::new("sources").join(rel)), digest);
    }
    Ok(base16ct::lower::encode_string(&schema_digest.finalize()))
}

/// The digest of everything besides records and schemas that a release publishes: the dataset
/// metadata (without version and date, which change with every release), compilations, agents.
fn metadata_digest(corpus: &Corpus) -> Result<String> {
    let mut ds = corpus.dataset.clone();
    ds.version.clear();
    ds.release_date.clear();
    // How a release is packaged is no part of what it holds.
    ds.archives = None;
    ds.site = None;
    ds.release_notes = None;
    let compilations: Vec<_> = corpus.compilations.values().map(|c| &c.meta).collect();
    let value = serde_json::json!({
        "dataset": ds,
        "compilations": compilations,
        "agents": corpus.agents.agents,
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
    /// The digests of the payload files written so far, by path relative to data/.
    digests: Digests,
    counts: Counts,
    /// The release's lines of its version manifest, written as the records pass.
    manifest_lines: ManifestLines,
    /// The tag files written so far (each record's catalogue records).
    tags: TagFiles,
}

/// The release tables open for writing while records stream past, one record at a time.
struct TableStream {
    tables: TableSet,
    jsonl: RecordLines,
    counts: Counts,
    manifest_lines: ManifestLines,
    /// The release as every record's citation names it.
    cited: super::citation::DatasetRef,
    /// The compilations' descriptions, for the citations' printings (taken once, on the first
    /// record).
    compilations: Option<BTreeMap<String, crate::model::Compilation>>,
    citations: CitationFiles,
    /// Each record's oai_dc and MODS files go here as it passes (tag files of the bag).
    tags: TagFiles,
    license: String,
}

impl TableStream {
    fn create(
        payload: &Path,
        cited: &super::citation::DatasetRef,
        spill: &Path,
        tags: TagFiles,
        license: String,
    ) -> Result<TableStream> {
        Ok(TableStream {
            tables: TableSet::create(payload, &RELEASE_FORMATS)?,
            jsonl: RecordLines::create(&payload.join("records.jsonl"))?,
            counts: Counts::default(),
            manifest_lines: ManifestLines::create(spill)?,
            cited: cited.clone(),
            compilations: None,
            citations: CitationFiles::create(payload, cited)?,
            tags,
            license,
        })
    }

    /// Writes every row of one checked record.
    fn push(&mut self, checked: Checked<'_>) -> Result<()> {
        let record = &checked.record;
        let coverage = coverage(&checked);
        self.tables.push(&Source::Record {
            record,
            agents: checked.agents,
            coverage: &coverage,
            diffs: &checked.diffs,
            quotes: checked.quotes.as_deref().unwrap_or_default(),
        })?;
        self.counts.add(record, checked.agents);
        let compilations = self.compilations.get_or_insert_with(|| {
            checked
                .compilations
                .iter()
                .map(|(k, c)| (k.clone(), c.meta.clone()))
                .collect()
        });
        self.citations.push(&super::citation::Citation::new(
            record,
            checked.agents.get(&record.body),
            compilations,
            self.cited.clone(),
        ))?;
        let mut claims = Vec::with_capacity(record.claims.len());
        for c in &record.claims {
            let json = serde_json::to_vec(c)?;
            claims.push((
                format!("{}#{}", record.id, c.id),
                base16ct::lower::encode_string(&Sha256::digest(&json)),
            ));
        }
        let digest = self.jsonl.push(record)?;
        self.manifest_lines.push(&record.id, &digest, claims)?;
        let ctx = super::library::RecordContext {
            dataset: &self.cited,
            agents: checked.agents,
            compilations,
            license: &self.license,
        };
        let id = &record.id;
        self.tags.write_many(
            &format!("{}/{id}.xml", super::library::OAI_DC_DIR),
            super::library::oai_dc::record(record, &ctx)?.as_bytes(),
        )?;
        self.tags.write_many(
            &format!("{}/{id}.xml", super::library::MODS_DIR),
            super::library::mods::record(record, &ctx)?.as_bytes(),
        )?;
        Ok(())
    }

    /// Adds the rows that do not come from records and closes every table.
    fn finish(mut self, corpus: &Corpus) -> Result<Written> {
        let jsonl = self.jsonl.finish()?;
        for body in corpus.agents.values() {
            self.tables.push(&Source::Agent(body))?;
        }
        for c in corpus.compilations.values() {
            self.tables.push(&Source::Compilation {
                compilation: &c.meta,
                line_count: c.transcription.line_count(),
            })?;
        }
        let (rows, mut digests) = self.tables.finish()?;
        digests.insert("records.jsonl".into(), jsonl);
        digests.extend(self.citations.finish()?);
        Ok(Written {
            rows,
            digests,
            counts: self.counts,
            manifest_lines: self.manifest_lines.finish()?,
            tags: self.tags,
        })
    }
}

/// A release's record and claim lines of its version manifest, spilled to two files in the
/// staging folder (never placed in the output) as the records pass (in id order, so the lines come sorted), so that their
/// number never weighs on memory; the files go with the staging folder.
struct ManifestLines {
    records: (PathBuf, std::io::BufWriter<std::fs::File>),
    claims: (PathBuf, std::io::BufWriter<std::fs::File>),
    last_id: Option<String>,
    has_claims: bool,
}

impl ManifestLines {
    fn create(dir: &Path) -> Result<ManifestLines> {
        let open = |name: &str| -> Result<(PathBuf, std::io::BufWriter<std::fs::File>)> {
            let path = dir.join(name);
            let file = std::fs::File::create(&path)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
            Ok((path, std::io::BufWriter::new(file)))
        };
        Ok(ManifestLines {
            records: open(".manifest-records")?,
            claims: open(".manifest-claims")?,
            last_id: None,
            has_claims: false,
        })
    }

    /// Writes one record's line and its claims' lines (`<record id>#<claim id>` keys).
    fn push(&mut self, id: &str, sha256: &str, mut claims: Vec<(String, String)>) -> Result<()> {
        use std::io::Write;
        // Ids are slugs (a-z, 0-9, -), all above `#`: records in id order give claim keys in
        // order too. Checked, since the manifest's order is its meaning.
        if self.last_id.as_deref().is_some_and(|last| last >= id) || id.contains(|c: char| c <= '#')
        {
            anyhow::bail!("internal error: the record {id} is out of id order");
        }
        self.last_id = Some(id.to_string());
        claims.sort();
        self.has_claims |= !claims.is_empty();
        let fail = |e: std::io::Error| anyhow::anyhow!("cannot write the version manifest: {e}");
        self.records
            .1
            .write_all(versions::record_line(id, sha256).as_bytes())
            .map_err(fail)?;
        for (key, sum) in &claims {
            self.claims
                .1
                .write_all(versions::claim_line(key, sum).as_bytes())
                .map_err(fail)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ManifestLines> {
        use std::io::Write;
        for (path, w) in [&mut self.records, &mut self.claims] {
            w.flush()
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        }
        Ok(self)
    }

    /// The whole manifest: `header`'s lines, then the records', then the claims'.
    fn write_manifest(
        &self,
        header: &versions::Header,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(header.text(self.has_claims).as_bytes())?;
        for (path, _) in [&self.records, &self.claims] {
            std::io::copy(&mut std::fs::File::open(path)?, out)?;
        }
        Ok(())
    }

    /// The manifest these lines make with `header`, to compare with a published one by
    /// reading the lines again (never all at once).
    fn source<'a>(&'a self, header: &'a versions::Header) -> CurrentManifest<'a> {
        CurrentManifest {
            header,
            lines: self,
        }
    }
}

/// The release's own manifest, as its spilled lines.
struct CurrentManifest<'a> {
    header: &'a versions::Header,
    lines: &'a ManifestLines,
}

impl versions::ManifestSource for CurrentManifest<'_> {
    fn header(&self) -> &versions::Header {
        self.header
    }

    fn origin(&self) -> String {
        "the release's version manifest".into()
    }

    fn entries(&self) -> Result<versions::Entries> {
        let open = |path: &Path| {
            std::fs::File::open(path)
                .map_err(|e| anyhow::anyhow!("cannot read back the version manifest: {e}"))
        };
        let records = open(&self.lines.records.0)?;
        let claims = open(&self.lines.claims.0)?;
        Ok(versions::Entries::bare(
            Box::new(std::io::BufReader::with_capacity(
                1 << 16,
                std::io::Read::chain(records, claims),
            )),
            self.origin(),
        ))
    }
}

/// What the alignment of each printing of a record proves: the counts validation's proof gave
/// (a release only runs on valid data, so every printing aligned), computed again only for a
/// printing validation did not prove.
fn coverage(checked: &Checked<'_>) -> Vec<Coverage> {
    let record = &checked.record;
    (0..record.appearances.len())
        .map(|i| {
            checked.proofs.get(i).copied().flatten().unwrap_or_else(|| {
                let counts = record
                    .appearances
                    .get(i)
                    .and_then(|a| checked.compilations.get(&a.compilation))
                    .and_then(|c| printing::prove(record, i, &c.transcription).ok())
                    .map(|p| p.counts)
                    .unwrap_or_default();
                Coverage {
                    counts,
                    words_lacking: printing::lacked_words(record, i, printing::PASSAGE_WORDS),
                }
            })
        })
        .collect()
}

/// Bytes of a folder's names held before they are sorted through temporary files.
const WALK_SPILL_BYTES: usize = 8 << 20;

/// Every file under `root` (`/`-separated, relative), sorted.
pub fn list_files(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    walk_files(root, |rel| {
        out.push(rel.to_string());
        Ok(())
    })?;
    Ok(out)
}

/// Calls `each` with every file under `root` (`/`-separated, relative) in sorted order (links are
/// listed as entries, never followed: a link to `.` in an existing release must not loop). A
/// folder's entries are ordered by name with a `/` after folder names, which is the order of the
/// sorted full paths. One folder's names are held at a time, and a folder of more names than
/// `WALK_SPILL_BYTES` holds (a web view's two million citation files) is sorted through
/// temporary files in the system's temporary folder, so memory does not grow with it.
pub fn walk_files(root: &Path, mut each: impl FnMut(&str) -> Result<()>) -> Result<()> {
    fn walk(dir: &Path, prefix: &str, each: &mut dyn FnMut(&str) -> Result<()>) -> Result<()> {
        let mut entries: Spill<String> = Spill::new(&std::env::temp_dir(), WALK_SPILL_BYTES);
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry?;
            let is_dir = entry.file_type()?.is_dir();
            let mut name = entry.file_name().to_string_lossy().replace('\\', "/");
            if is_dir {
                name.push('/');
            }
            entries.push(name, if is_dir { "d" } else { "f" }.to_string())?;
        }
        let mut entries = entries.sorted()?;
        while let Some((name, kind)) = entries.pop()? {
            let rel = format!("{prefix}{name}");
            if kind == "d" {
                let sub = dir.join(name.trim_end_matches('/'));
                walk(&sub, &rel, each)?;
            } else {
                each(&rel)?;
            }
        }
        Ok(())
    }
    walk(root, "", &mut each)
}

/// The bag's METS document (`metadata/mets.xml`), listing every file written so far with the
/// digest it was written with.
fn write_mets(root: &Path, facts: &ReleaseFacts, tags: &TagFiles) -> Result<()> {
    let mut listing = super::library::mets::Listing::new()?;
    let mut digests = tags.digests()?;
    walk_files(root, |rel| {
        let sha256 = match rel.strip_prefix("data/").and_then(|r| facts.files.get(r)) {
            Some(d) => d.sha256.clone(),
            None => digests.sha256_or_read(rel)?,
        };
        let size = std::fs::metadata(root.join(rel))
            .with_context(|| format!("cannot read {rel}"))?
            .len();
        listing.push(&super::library::mets::BagFile {
            path: rel.to_string(),
            sha256,
            size,
        })
    })?;
    // Stamped with the release moment by `stamp_tree`, like the bag's other late tag files.
    super::library::mets::write(&root.join(super::library::METS_FILE), facts, &mut listing)
}

/// SHA256SUMS in the format `sha256sum -c` reads.
/// Payload files take their digest from `payload` and tag files from `tags` (both computed as
/// they were written); the rest are read.
fn write_checksums(
    root: &Path,
    payload: &BTreeMap<String, FileDigest>,
    tags: &TagFiles,
) -> Result<()> {
    // Written as the tree is walked: at millions of files the text would be hundreds of MB.
    let path = root.join("SHA256SUMS");
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut digests = tags.digests()?;
    walk_files(root, |rel| {
        // The file being written is not listed (it did not exist when the list was made).
        if rel == "SHA256SUMS" {
            return Ok(());
        }
        let sum = match rel.strip_prefix("data/").and_then(|r| payload.get(r)) {
            Some(d) => d.sha256.clone(),
            None => digests.sha256_or_read(rel)?,
        };
        std::io::Write::write_all(&mut out, format!("{sum}  {rel}\n").as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    })?;
    std::io::Write::flush(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The release moment (seconds since 1970, `SOURCE_DATE_EPOCH` or the release date) as a time.
fn release_moment(epoch: i64) -> SystemTime {
    if epoch >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(epoch.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(epoch.unsigned_abs())
    }
}

/// Sets every file's modification time to the release moment, so nothing carries the clock
/// (tag files were stamped as they were written).
fn stamp_tree(root: &Path, epoch: i64, tags: &TagFiles) -> Result<()> {
    let when = release_moment(epoch);
    walk_files(root, |rel| {
        if tags.wrote(rel) {
            return Ok(());
        }
        let path = root.join(rel);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(when))
            .map_err(|e| anyhow::anyhow!("cannot set the time of {}: {e}", path.display()))
    })
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
        // Only regular files can be the same; a link or anything else differs.
        let regular = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        let same = regular(&pa) && regular(&pb) && read(&pa)? == read(&pb)?;
        if !same {
            differing.push(rel.clone());
        }
    }
    Ok(differing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_walked_in_the_order_of_their_sorted_paths() {
        let dir = tempfile::tempdir().expect("tempdir");
        for rel in ["a/b", "a-c", "a.txt", "ab/z", "b", "a/a/x", "Z"] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, rel).expect("write");
        }
        let walked = list_files(dir.path()).expect("walk");
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked, sorted);
        assert_eq!(walked, ["Z", "a-c", "a.txt", "a/a/x", "a/b", "ab/z", "b"]);
    }
}
