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
mod labels;
mod layout;
mod listing;
mod pager;
mod record;
pub mod search;
mod text;
mod transcription;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use maud::html;

use super::facts::ReleaseFacts;
use super::spill::Spill;
use super::tag_files::TagFiles;
use crate::model::Record;
use crate::package::citation::DatasetRef;
use crate::validate::Corpus;

/// The folder of the site inside the release directory.
pub const DIR: &str = "site";

/// Bytes each listing holds before it spills a sorted run to disk (five listings are filled
/// at once).
const SPILL_BYTES: usize = 6 << 20;

/// What every page shares: the corpus (agents, compilations), the release. Records are not
/// held: pages are made one record at a time, in id order.
pub struct Site<'a> {
    pub corpus: &'a Corpus,
    pub facts: &'a ReleaseFacts<'a>,
    /// The release as every citation names it.
    pub cited: DatasetRef,
    /// The compilations' descriptions, for the citations' printings.
    pub compilations: BTreeMap<String, crate::model::Compilation>,
}

/// What a record's page says of other records, looked up before the page is made.
#[derive(Default)]
pub struct Links {
    /// The labels of the records it links to, by id.
    pub titles: BTreeMap<String, String>,
    /// Links to the records quoted in it (whose `part_of` is this record), in id order.
    pub quoted: Vec<String>,
}

impl Links {
    /// A linked record's label, or its id.
    pub fn title(&self, id: &str) -> String {
        self.titles
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

impl Site<'_> {
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

/// Writes `site/` into the release directory (after the metadata files, before the checksums
/// and the bag's manifests, which then cover it), spilling what it gathers under `scratch`.
///
/// Two walks over the records in id order: the first keeps each record's label on disk and
/// notes which record quotes which; the second makes each record's pages and feeds the search
/// index and the listings (all records, claims, agents, transcriptions), which are spilled as
/// sorted runs and written last. Memory holds one record, the facet postings (a few numbers a
/// record), the search vocabulary and the buffers of the spills, whatever the corpus's size.
pub fn write(
    corpus: &Corpus,
    tags: &mut TagFiles,
    facts: &ReleaseFacts,
    scratch: &Path,
) -> Result<()> {
    let site = Site {
        corpus,
        facts,
        cited: DatasetRef::new(facts.dataset, &facts.date),
        compilations: corpus
            .compilations
            .iter()
            .map(|(k, c)| (k.clone(), c.meta.clone()))
            .collect(),
    };

    let mut labels = labels::Labels::create(scratch)?;
    let mut quoting: Spill<(String, u64)> = Spill::new(scratch, SPILL_BYTES);
    for (n, file) in corpus.record_files.iter().enumerate() {
        let r = corpus.read_record(&file)?;
        let label = site.record_label(&r);
        if let Some(part_of) = &r.part_of {
            let link = html! { a href=(format!("{}.html", r.id)) { (label) } };
            quoting.push((part_of.clone(), n as u64), link.into_string())?;
        }
        labels.push(&r.id, &label)?;
    }
    let mut quoting = quoting.sorted()?;

    let mut index = search::IndexWriter::new(scratch, search::CHUNK_BYTES);
    let mut all_records = listing::AllRecords::new(scratch, SPILL_BYTES);
    let mut claim_table = claims::Table::new(scratch, SPILL_BYTES);
    let mut involvement = agents::Involvement::new(scratch, SPILL_BYTES);
    let mut spans = transcription::Spans::new(corpus, scratch, SPILL_BYTES);
    let mut count = 0usize;
    for file in corpus.record_files.iter() {
        let r = corpus.read_record(&file)?;
        let id = r.id.as_str();
        let mut links = Links::default();
        for (key, link) in quoting.take_while(|(target, _)| target.as_str() <= id)? {
            if key.0 == id {
                links.quoted.push(link);
            }
        }
        let linked = r.part_of.iter().chain(
            r.appearances
                .iter()
                .flat_map(|a| a.omissions.iter().filter_map(|o| o.record.as_ref())),
        );
        for other in linked {
            if let Some(label) = labels.get(other)? {
                links.titles.insert(other.clone(), label);
            }
        }
        tags.write_many(
            &format!("{DIR}/records/{id}.html"),
            record::page(&site, &r, &links).as_bytes(),
        )?;
        let c = cite::of(&site, &r);
        tags.write_many(
            &format!("{DIR}/cite/{id}.json"),
            cite::csl_json(&c).as_bytes(),
        )?;
        tags.write_many(&format!("{DIR}/cite/{id}.ris"), cite::ris(&c).as_bytes())?;
        index.push(&search::doc(&site, &r), &mut |rel, bytes| {
            tags.write(&format!("{DIR}/{rel}"), bytes)
        })?;
        all_records.push(&site, &r)?;
        claim_table.push(&site, &r)?;
        involvement.push(&site, &r)?;
        spans.push(&site, &r)?;
        count += 1;
    }

    let facet_counts = index.facet_counts();
    index.finish(scratch, &mut |rel, bytes| {
        tags.write(&format!("{DIR}/{rel}"), bytes)
    })?;
    for (rel, bytes) in assets::files() {
        tags.write(&format!("{DIR}/{rel}"), &bytes)?;
    }
    tags.write(
        &format!("{DIR}/index.html"),
        listing::index_page(&site, count, &facet_counts).as_bytes(),
    )?;
    all_records.write(&site, tags)?;
    claim_table.write(&site, tags)?;
    spans.write(&site, tags)?;
    tags.write(
        &format!("{DIR}/agents/index.html"),
        agents::index_page(&site).as_bytes(),
    )?;
    involvement.write(&site, &mut labels, tags)?;
    tags.write(
        &format!("{DIR}/about.html"),
        about::page_html(&site).as_bytes(),
    )?;
    Ok(())
}
