//! Dataset-level metadata (data/dataset.toml): name, version, licence, creators.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The dataset as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Machine name, used in release directory and archive names.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Semantic version of this release of the dataset.
    pub version: String,
    /// Release date (YYYY-MM-DD); every date written into a release comes from here or SOURCE_DATE_EPOCH.
    pub release_date: String,
    /// What the dataset is, in neutral terms.
    pub description: String,
    /// SPDX identifier of the licence of the dataset's structure, metadata and curation.
    pub license: String,
    /// What the licence covers and what it does not (third-party texts).
    pub license_note: Option<String>,
    /// Keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// EDTF interval of the dates of the documents.
    pub temporal_coverage: Option<String>,
    /// Homepage, if any.
    pub homepage: Option<String>,
    /// The DOI of this version (`10.xxxx/...`), once one is minted; empty until then. It goes into every citation format, CITATION.cff, DataCite, the MARC record and the catalogue records.
    pub doi: Option<String>,
    /// The DOI that names all versions (Zenodo's concept DOI), once one is minted; empty until then.
    pub concept_doi: Option<String>,
    /// Who publishes the releases.
    pub publisher: String,
    /// Whom to contact.
    pub contact: String,
    /// What this version changes, in the curators' words: the opening paragraph of the
    /// release's CHANGELOG.md, before the generated lists. Not part of the metadata digest (it
    /// describes a version, like its number and date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_notes: Option<String>,
    /// What a release says about this corpus in its own words.
    pub corpus: CorpusProse,
    /// Creators of the dataset.
    #[serde(default)]
    pub creators: Vec<Creator>,
    /// The archives of the bag a release writes beside it (default: both `tar.gz` and `zip`;
    /// an empty list writes none, e.g. for a dataset too large to keep three copies of).
    /// `khojaly release --archives` overrides it. Not part of the dataset's metadata digest: it
    /// says how a release is packaged, not what it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archives: Option<Vec<ArchiveFormat>>,
    /// Whether a release carries its web view, `site/` (default: true). The site holds every
    /// record in memory while it is built, so a very large dataset sets this to false (see
    /// `khojaly release --help`). `khojaly release --site` / `--no-site` override it. Not part
    /// of the metadata digest, like `archives`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<bool>,
}

/// What a release says about the corpus in the dataset's own voice: the dataset card (the
/// release's README.md), the site's home and About pages and footer, and the chart. Everything
/// else a release says is generated from the records, so another corpus needs no code change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorpusProse {
    /// The event the records are about, named neutrally, completing "Stated death tolls for …"
    /// (e.g. "the events at a place of 1–2 May 1900"). Claims of scope `subject_event` are about it.
    pub subject: String,
    /// The subject in a few words, for the chart's title (e.g. "a place, 1–2 May 1900").
    pub subject_short: String,
    /// What claims of scope `wider_context` are about (e.g. "the war as a whole, or a period of it").
    pub wider_context: String,
    /// What the records reproduce, completing "The records reproduce …" (site footer and home page).
    pub sources: String,
    /// Who published the sources, appended to that sentence on the About page, if it matters.
    pub sources_published_by: Option<String>,
    /// The card's Motivation section: why the dataset exists.
    pub motivation: String,
    /// The card's Collection and curation section: how the records were made from the sources.
    pub collection: String,
    /// The card's Known biases section: what the sources are and whose voice they carry.
    pub biases: String,
    /// The card's Uses section: what the dataset is for, and what it is not.
    pub uses: String,
    /// The chart's file name in the payload's `data/` (default `claims-killed.svg`).
    pub chart_file: Option<String>,
}

impl CorpusProse {
    pub fn chart_file(&self) -> &str {
        self.chart_file.as_deref().unwrap_or("claims-killed.svg")
    }
}

/// An archive format a release can be packaged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ArchiveFormat {
    /// A gzip-compressed tar.
    #[serde(rename = "tar.gz")]
    TarGz,
    /// A zip (ZIP64 for members of 4 GiB or more).
    #[serde(rename = "zip")]
    Zip,
}

impl Dataset {
    /// Creator names in citation order; the publisher when no creator is listed.
    pub fn creator_names(&self) -> Vec<String> {
        if self.creators.is_empty() {
            vec![self.publisher.clone()]
        } else {
            self.creators.iter().map(|c| c.name.clone()).collect()
        }
    }
}

/// A creator of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Creator {
    /// Name (of a person, "Family, Given"; or of an organisation).
    pub name: String,
    /// `person` or `organization`.
    #[serde(rename = "type")]
    pub creator_type: String,
    /// ORCID or other identifier URL.
    pub identifier: Option<String>,
}
