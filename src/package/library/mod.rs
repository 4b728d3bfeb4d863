//! What libraries and archives take in: Dublin Core (oai_dc) and MODS records of every
//! record, a MARC 21 (MARCXML) record of the dataset for catalogues, and a METS document of the
//! bag with PREMIS fixity for repository software. They are tag files of the bag
//! (`metadata/`), views of the payload like the site, and what `khojaly serve` disseminates
//! over OAI-PMH.
//!
//! Their wording is the dataset's own and neutral: titles and names are as printed, a record
//! without a printed title gets a label marked as supplied, and no subject heading or summary
//! states anything about the events beyond what the dataset description says.

pub mod marc;
pub mod mets;
pub mod mods;
pub mod oai_dc;
pub mod xml;

use std::collections::BTreeMap;

use crate::model::{Compilation, Record, Registry};
use crate::package::citation::DatasetRef;
use crate::package::facts::ReleaseFacts;

/// Folder of each format's per-record files in the bag.
pub const OAI_DC_DIR: &str = "metadata/oai_dc";
pub const MODS_DIR: &str = "metadata/mods";
pub const MARC_FILE: &str = "metadata/marc.xml";
pub const METS_FILE: &str = "metadata/mets.xml";

/// What a record's catalogue description needs besides the record.
pub struct RecordContext<'a> {
    pub dataset: &'a DatasetRef,
    pub agents: &'a Registry,
    pub compilations: &'a BTreeMap<String, Compilation>,
    pub license: &'a str,
}

impl RecordContext<'_> {
    /// Where a record's page stands: under the homepage when there is one, else the path inside
    /// the release.
    pub fn permalink(&self, r: &Record) -> String {
        let rel = format!("site/records/{}.html", r.id);
        match &self.dataset.url {
            Some(u) if self.dataset.doi.is_none() => format!("{}/{rel}", u.trim_end_matches('/')),
            _ => rel,
        }
    }

    /// The dataset as a relation: title, version, date, and its DOI when minted.
    pub fn dataset_relation(&self) -> String {
        let d = self.dataset;
        let mut s = format!("{}, version {} ({})", d.title, d.version, d.date);
        if let Some(doi) = &d.doi {
            s.push_str(&format!(", https://doi.org/{doi}"));
        }
        s
    }

    /// The rights statement of a record's catalogue description.
    pub fn rights(&self) -> String {
        format!(
            "Record structure and curation: {}. The reproduced text remains the work of its authors and publishers.",
            self.license
        )
    }

    /// One printing as a source: compilation, section, lines.
    pub fn printing(&self, a: &crate::model::Appearance) -> String {
        let title = self
            .compilations
            .get(&a.compilation)
            .map(ReleaseFacts::compilation_title_plain)
            .unwrap_or_else(|| a.compilation.clone());
        format!(
            "{title}, section “{}”, lines {}–{} of the transcription",
            a.section, a.lines[0], a.lines[1]
        )
    }
}

/// The OAI identifier of a record in a release of the dataset `name`.
pub fn oai_identifier(name: &str, record_id: &str) -> String {
    format!("oai:{name}:{record_id}")
}

/// The names a record prints for the people who wrote, testified, spoke or signed it, with the
/// MARC relator code of each role.
pub fn printed_people(r: &Record) -> Vec<(&str, &'static str, &'static str)> {
    use crate::model::Kind;
    crate::model::agent::printed_names(r)
        .into_iter()
        .map(|(pointer, name)| {
            let (term, code) = match (r.kind, pointer.as_str()) {
                (Kind::Testimony, "/testimony/witness") => ("interviewee", "ive"),
                (_, "/legislative_remark/speaker") => ("speaker", "spk"),
                (_, "/executive_proclamation/official") => ("signer", "sgn"),
                _ => ("author", "aut"),
            };
            (name, term, code)
        })
        .collect()
}
