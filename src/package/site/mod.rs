//! The static web view of a release: `site/` at the bag's root, one file per page type here.
//!
//! Plain HTML, CSS and a little JavaScript, generated with maud (compile-time templates that
//! escape every interpolated value; see Cargo.toml). It works opened from disk (file://: no
//! server, no network, nothing fetched with `fetch()`) and on any static host. Every page is
//! readable without JavaScript; only search needs it.
//!
//! The site is a *tag directory* of the bag (RFC 8493 §2.2.4), not payload: it is a view of the
//! payload, so it is covered by `tagmanifest-sha256.txt` and `SHA256SUMS`, while the payload
//! manifests, `datapackage.json` and the version manifests describe the data alone (a change of
//! layout never looks like a change of data). Pages link into the payload (`../data/...`).
//!
//! Everything is written in a fixed order from sorted inputs, with no clock: two releases of
//! the same data give the same bytes.

mod about;
mod agents;
mod assets;
mod cite;
mod claims;
mod layout;
mod listing;
mod record;
pub mod search;
mod text;
mod transcription;

use std::collections::BTreeMap;

use anyhow::Result;

use super::facts::ReleaseFacts;
use super::tag_files::TagFiles;
use crate::model::Record;
use crate::package::citation::DatasetRef;
use crate::validate::Corpus;

/// The folder of the site inside the release directory.
pub const DIR: &str = "site";

/// Everything the pages share: the records (sorted by id), lookups, the release.
pub struct Site<'a> {
    pub corpus: &'a Corpus,
    pub facts: &'a ReleaseFacts<'a>,
    pub records: Vec<Record>,
    /// Record id -> index in `records`.
    pub by_id: BTreeMap<String, usize>,
    /// Record id -> the records quoting it (`part_of`), by index (no scan per page: the site
    /// must stay linear for 100,000 records).
    pub quoted_in: BTreeMap<String, Vec<usize>>,
    /// The release as every citation names it.
    pub cited: DatasetRef,
    /// The compilations' descriptions, for the citations' printings.
    pub compilations: BTreeMap<String, crate::model::Compilation>,
}

impl Site<'_> {
    /// A record's display title: its title, or its id when the source prints none.
    pub fn title_of(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .and_then(|&i| self.records.get(i))
            .map(|r| self.record_label(r))
            .unwrap_or_else(|| id.to_string())
    }

    /// A record's label: its printed title, or a label made from what is printed, marked as not
    /// a title (`package::label::record_label`).
    pub fn record_label(&self, r: &Record) -> String {
        crate::package::label::record_label(r, &self.corpus.agents)
    }

    /// An agent's name, or its id.
    pub fn agent_name(&self, id: &str) -> String {
        crate::package::label::agent_name(&self.corpus.agents, id)
    }

    /// Who states a claim: its agent id (records are read with `record_author` resolved).
    pub fn stater<'r>(&self, c: &'r crate::model::claim::Claim) -> &'r str {
        &c.stated_by
    }

    /// The agents a record names by printed name: its authors, witness, speaker or official.
    pub fn named_in(&self, r: &Record) -> Vec<&str> {
        use crate::model::agent::NameMatch;
        crate::model::agent::printed_names(r)
            .into_iter()
            .filter_map(|(_, n)| match self.corpus.agents.by_name(n) {
                NameMatch::One(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Every agent a record involves: its issuer, the agents it names, who states its figures
    /// and through whom; sorted, each once.
    pub fn agents_of<'r>(&'r self, r: &'r Record) -> std::collections::BTreeSet<&'r str> {
        let mut out: std::collections::BTreeSet<&str> = self.named_in(r).into_iter().collect();
        out.insert(&r.body);
        for c in &r.claims {
            out.insert(self.stater(c));
            out.extend(c.relayed_by.iter().map(String::as_str));
        }
        out.retain(|id| self.corpus.agents.contains_key(id));
        out
    }

    /// The compilation's citation title, as plain text (no Markdown marks).
    pub fn compilation_title(&self, id: &str) -> String {
        self.corpus
            .compilations
            .get(id)
            .map(|c| ReleaseFacts::compilation_title_plain(&c.meta))
            .unwrap_or_else(|| id.to_string())
    }
}

/// Writes `site/` into the release directory `bag` (after the metadata files, before the
/// checksums and the bag's manifests, which then cover it).
pub fn write(corpus: &Corpus, tags: &mut TagFiles, facts: &ReleaseFacts) -> Result<()> {
    let mut records = Vec::with_capacity(corpus.record_files.len());
    for file in corpus.record_files.iter() {
        records.push(corpus.read_record(&file)?);
    }
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let by_id = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let mut quoted_in: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(p) = &r.part_of {
            quoted_in.entry(p.clone()).or_default().push(i);
        }
    }
    let ds = facts.dataset;
    let site = Site {
        corpus,
        facts,
        records,
        by_id,
        quoted_in,
        cited: DatasetRef::new(ds, &facts.date),
        compilations: corpus
            .compilations
            .iter()
            .map(|(k, c)| (k.clone(), c.meta.clone()))
            .collect(),
    };
    // Each page is written as soon as it is made: only the records, not their pages, are held.
    let mut put = |rel: &str, bytes: &[u8]| tags.write(&format!("{DIR}/{rel}"), bytes);
    for (rel, bytes) in assets::files() {
        put(&rel, &bytes)?;
    }
    for (rel, bytes) in search::files(&site)? {
        put(&rel, &bytes)?;
    }
    put("index.html", listing::index_page(&site).as_bytes())?;
    put(
        "records/index.html",
        listing::all_records_page(&site).as_bytes(),
    )?;
    for r in &site.records {
        put(
            &format!("records/{}.html", r.id),
            record::page(&site, r).as_bytes(),
        )?;
        let c = cite::of(&site, r);
        put(
            &format!("cite/{}.json", r.id),
            cite::csl_json(&c).as_bytes(),
        )?;
        put(&format!("cite/{}.ris", r.id), cite::ris(&c).as_bytes())?;
    }
    for c in corpus.compilations.values() {
        put(
            &format!("transcriptions/{}.html", c.meta.id),
            transcription::page_for(&site, c).as_bytes(),
        )?;
    }
    put("claims.html", claims::page_html(&site).as_bytes())?;
    put("agents/index.html", agents::index_page(&site).as_bytes())?;
    for (id, page) in agents::pages(&site) {
        put(&format!("agents/{id}.html"), page.as_bytes())?;
    }
    put("about.html", about::page_html(&site).as_bytes())?;
    Ok(())
}
