//! Citations of one record in three layers: the original document (who, what, where, when, as
//! printed), each printing of it in a compilation ("as reprinted in"), and the dataset release
//! that gives it. One file per output format: `text` (Chicago notes-bibliography, full note),
//! `bibtex` (BibLaTeX), `csl` (CSL-JSON), `ris` (RIS); the JSON form is this model itself.
//!
//! Nothing is invented: a field the record does not carry (an author, a date, a title) stays
//! absent in every format; names are kept as printed and never split into given and family
//! names.

pub mod bibtex;
pub mod csl;
pub mod files;
pub mod ris;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::kinds::Medium;
use crate::model::{Agent, Compilation, Dataset, Kind, Record};

/// One record cited in three layers.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    pub record_id: String,
    pub document: Document,
    pub printings: Vec<Printing>,
    pub dataset: DatasetRef,
}

/// What sort of document, in the terms the citation formats share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    NewspaperArticle,
    MagazineArticle,
    Broadcast,
    WebPage,
    Report,
    Letter,
    Interview,
    Bill,
    Speech,
    GovernmentDocument,
    BookSection,
    LegalCase,
    /// A document whose form the source does not give.
    Document,
}

impl DocType {
    /// Whether the document appeared in a periodical or broadcast: its outlet is then the
    /// container (newspaper, magazine, programme, site) in every citation format.
    pub fn is_periodical(self) -> bool {
        matches!(
            self,
            DocType::NewspaperArticle
                | DocType::MagazineArticle
                | DocType::Broadcast
                | DocType::WebPage
        )
    }
}

/// The original document, as the record gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The record kind (`media_item`, ...).
    pub kind: String,
    pub doc_type: DocType,
    /// A finer description of the form, as the record gives it (e.g. "resolution", "letter").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Authors or signatories as printed (for a testimony without authors: the witness as printed).
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The outlet (newspaper, agency) or issuing body, from bodies.toml.
    pub issuer: String,
    pub issuer_id: String,
    /// The book or article an excerpt comes from, or the report an NGO excerpt comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// EDTF date at the precision printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// A bill's or document's number, a case's application number, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Chamber, court, organisation or office as printed, when the record gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub language: String,
    pub text_status: String,
    /// URLs the print gives for the document.
    pub source_urls: Vec<String>,
}

/// One printing of the document in a compilation.
#[derive(Debug, Clone, Serialize)]
pub struct Printing {
    pub compilation: String,
    /// The compilation's printed title; absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    pub section: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_as_printed: Option<String>,
    /// First and last line (1-based, inclusive) in the compilation's transcription.
    pub lines: [u32; 2],
}

impl Printing {
    /// The compilation's title for a citation: its own, or a supplied one in square brackets.
    pub fn title_or_supplied(&self) -> String {
        match &self.title {
            Some(t) => t.clone(),
            None => format!("[Untitled compilation {}]", self.compilation),
        }
    }
}

/// The dataset release that gives the record.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetRef {
    pub name: String,
    pub title: String,
    pub version: String,
    /// Release date, YYYY-MM-DD.
    pub date: String,
    pub creators: Vec<String>,
    pub publisher: String,
    /// The dataset's homepage or persistent URL, when dataset.toml has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The DOI, when the URL is a doi.org address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
}

impl DatasetRef {
    pub fn new(ds: &Dataset, date: &str) -> DatasetRef {
        let url = ds.homepage.clone();
        let doi = ds.doi.clone().or_else(|| url.as_deref().and_then(doi_of));
        DatasetRef {
            name: ds.name.clone(),
            title: ds.title.clone(),
            version: ds.version.clone(),
            date: date.to_string(),
            creators: ds.creator_names(),
            publisher: ds.publisher.clone(),
            url,
            doi,
        }
    }

    pub fn year(&self) -> &str {
        self.date.get(..4).unwrap_or("")
    }

    /// A citation key for the dataset release, ASCII letters, digits and hyphens.
    pub fn key(&self) -> String {
        key(&format!("{}-{}", self.name, self.version))
    }
}

/// The DOI of a doi.org URL (`https://doi.org/10.1234/x` gives `10.1234/x`).
pub fn doi_of(url: &str) -> Option<String> {
    ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/"]
        .iter()
        .find_map(|p| url.strip_prefix(p))
        .filter(|d| d.starts_with("10."))
        .map(str::to_string)
}

/// Letters, digits and hyphens only: a key every format accepts.
pub fn key(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The snake_case tag of a serialisable enum, as words ("points_of_agreement" → "points of agreement").
fn words<T: Serialize>(t: &T) -> Option<String> {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
}

impl Citation {
    /// Cites `record`, with its issuing body and the compilations it is printed in.
    pub fn new(
        record: &Record,
        body: Option<&Agent>,
        compilations: &BTreeMap<String, Compilation>,
        dataset: DatasetRef,
    ) -> Citation {
        let printings = record
            .appearances
            .iter()
            .map(|a| {
                let c = compilations.get(&a.compilation);
                Printing {
                    compilation: a.compilation.clone(),
                    title: c.and_then(|c| c.title.clone()),
                    publisher: c.and_then(|c| c.publisher.clone()),
                    place: c.and_then(|c| c.place.clone()),
                    year: c.and_then(|c| c.year.clone()),
                    section: a.section.clone(),
                    heading: a.heading.clone(),
                    date_as_printed: a.date_as_printed.clone(),
                    lines: a.lines,
                }
            })
            .collect();
        Citation {
            record_id: record.id.clone(),
            document: document(record, body),
            printings,
            dataset,
        }
    }
}

fn document(r: &Record, body: Option<&Agent>) -> Document {
    let mut d = Document {
        kind: r.kind.as_str().to_string(),
        doc_type: DocType::Document,
        genre: None,
        authors: r.authors.clone(),
        title: r.title.clone(),
        issuer: body
            .map(|b| b.name.clone())
            .unwrap_or_else(|| r.body.clone()),
        issuer_id: r.body.clone(),
        container: None,
        publisher: None,
        place: r.place.clone(),
        date: r.date.clone(),
        number: None,
        authority: None,
        pages: None,
        recipient: None,
        language: r.language.clone(),
        text_status: r.text_status.as_str().to_string(),
        source_urls: r.source_urls.clone(),
    };
    match r.kind {
        Kind::MediaItem => {
            let f = r.media_item.clone().unwrap_or_default();
            d.doc_type = match f.medium {
                Some(Medium::Magazine) => DocType::MagazineArticle,
                Some(Medium::Television | Medium::Radio) => DocType::Broadcast,
                Some(Medium::Online) => DocType::WebPage,
                // A newspaper, a news agency, or a medium the print does not give: an article
                // of the outlet named by the record's body.
                _ => DocType::NewspaperArticle,
            };
            d.genre = f.medium.as_ref().and_then(words);
            d.pages = f.page;
        }
        Kind::NgoReport => {
            let f = r.ngo_report.clone().unwrap_or_default();
            d.doc_type = match f.document_type {
                Some(crate::model::kinds::NgoDocumentType::Letter) => DocType::Letter,
                _ => DocType::Report,
            };
            d.genre = f.document_type.as_ref().and_then(words);
            d.container = f.report_title;
            d.recipient = f.recipient;
        }
        Kind::Testimony => {
            let f = r.testimony.clone().unwrap_or_default();
            d.doc_type = DocType::Interview;
            d.genre = Some("testimony".into());
            if d.authors.is_empty()
                && let Some(w) = f.witness
            {
                d.authors.push(w);
            }
        }
        Kind::LegislativeResolution => {
            let f = r.legislative_resolution.clone().unwrap_or_default();
            d.doc_type = DocType::Bill;
            d.genre = f.instrument.as_ref().and_then(words);
            d.number = f.identifier;
            d.authority = f.chamber;
        }
        Kind::LegislativeRemark => {
            let f = r.legislative_remark.clone().unwrap_or_default();
            d.doc_type = DocType::Speech;
            d.genre = Some("remarks".into());
            if d.authors.is_empty()
                && let Some(s) = f.speaker
            {
                d.authors.push(s);
            }
            d.authority = f.chamber;
        }
        Kind::ExecutiveProclamation => {
            let f = r.executive_proclamation.clone().unwrap_or_default();
            d.doc_type = DocType::GovernmentDocument;
            d.genre = f.instrument.as_ref().and_then(words);
            if d.authors.is_empty()
                && let Some(o) = f.official
            {
                d.authors.push(o);
            }
            d.authority = f.office;
        }
        Kind::OfficialDocument => {
            let f = r.official_document.clone().unwrap_or_default();
            d.doc_type = DocType::Document;
            d.authority = f.institution;
        }
        Kind::IntergovernmentalDocument => {
            let f = r.intergovernmental_document.clone().unwrap_or_default();
            d.doc_type = DocType::GovernmentDocument;
            d.genre = f.instrument.as_ref().and_then(words);
            d.number = f.document_symbol;
            d.authority = f.organization;
        }
        Kind::ScholarlyWork => {
            let f = r.scholarly_work.clone().unwrap_or_default();
            d.doc_type = DocType::BookSection;
            d.container = f.work_title;
            d.publisher = f.publisher;
            if d.date.is_none() {
                d.date = f.publication_year;
            }
            d.pages = f.pages;
        }
        Kind::CourtDecision => {
            let f = r.court_decision.clone().unwrap_or_default();
            d.doc_type = DocType::LegalCase;
            if d.title.is_none() {
                d.title = f.case_name;
            }
            d.number = f.application_number;
            d.authority = f.court;
        }
        Kind::CompilerText => {
            d.doc_type = DocType::BookSection;
        }
    }
    d
}

/// An EDTF date reduced to what the formats carry: [year, month?, day?] for each end, and
/// whether it is uncertain (`?`) or approximate (`~`). None for anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParts {
    pub parts: Vec<Vec<i32>>,
    pub uncertain: bool,
    pub approximate: bool,
}

pub fn date_parts(edtf: &str) -> Option<DateParts> {
    let mut uncertain = false;
    let mut approximate = false;
    let mut parts = Vec::new();
    for end in edtf.split('/') {
        let mut e = end;
        loop {
            if let Some(s) = e.strip_suffix('?') {
                uncertain = true;
                e = s;
            } else if let Some(s) = e.strip_suffix('~') {
                approximate = true;
                e = s;
            } else if let Some(s) = e.strip_suffix('%') {
                uncertain = true;
                approximate = true;
                e = s;
            } else {
                break;
            }
        }
        let nums: Option<Vec<i32>> = e.split('-').map(|n| n.parse::<i32>().ok()).collect();
        let nums = nums?;
        if nums.is_empty() || nums.len() > 3 || e.len() < 4 {
            return None;
        }
        parts.push(nums);
    }
    if parts.is_empty() || parts.len() > 2 {
        return None;
    }
    Some(DateParts {
        parts,
        uncertain,
        approximate,
    })
}

/// The citation of a record read on its own ([`crate::read_record`]): the document, its
/// printings, and the release its data folder describes (the release date as dataset.toml
/// gives it).
pub fn of_record(one: &crate::load::single::SingleRecord) -> Citation {
    let dataset = &one.dataset;
    let date = crate::package::release::release_epoch(&dataset.release_date)
        .ok()
        .and_then(|e| i32::try_from(e.div_euclid(86_400)).ok())
        .map(crate::model::edtf::civil_from_days)
        .unwrap_or_else(|| dataset.release_date.clone());
    Citation::new(
        &one.record,
        one.agents.get(&one.record.body),
        &one.compilations,
        DatasetRef::new(dataset, &date),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(
            date_parts("1992-02-28").map(|d| d.parts),
            Some(vec![vec![1992, 2, 28]])
        );
        assert_eq!(date_parts("1992").map(|d| d.parts), Some(vec![vec![1992]]));
        let d = date_parts("1997-03-23?").expect("uncertain");
        assert!(d.uncertain && !d.approximate);
        assert_eq!(
            date_parts("1992-02-25/1992-02-26").map(|d| d.parts),
            Some(vec![vec![1992, 2, 25], vec![1992, 2, 26]])
        );
        assert_eq!(date_parts("..1992"), None);
    }

    #[test]
    fn doi_only_from_doi_urls() {
        assert_eq!(
            doi_of("https://doi.org/10.5281/zenodo.1").as_deref(),
            Some("10.5281/zenodo.1")
        );
        assert_eq!(doi_of("https://example.org/10.1"), None);
    }
}
