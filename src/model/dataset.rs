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
