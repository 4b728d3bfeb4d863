//! The metadata files of a release, one file per standard: each is a function of `ReleaseFacts`.

pub mod bibtex;
pub mod card;
pub mod cff;
pub mod changelog;
pub mod croissant;
pub mod datacite;
pub mod datapackage;
pub mod zenodo;

use super::facts::ReleaseFacts;
use crate::export::schema_files::pretty;

/// Every metadata file of a release, as (file name at the bag's root, contents).
pub fn files(f: &ReleaseFacts) -> Vec<(&'static str, String)> {
    vec![
        ("README.md", card::card(f)),
        ("CHANGELOG.md", changelog::changelog(f)),
        ("CITATION.cff", cff::cff(f)),
        ("citation.bib", bibtex::bibtex(f)),
        ("datacite.json", pretty(&datacite::datacite(f))),
        ("datapackage.json", pretty(&datapackage::datapackage(f))),
        ("croissant.jsonld", pretty(&croissant::croissant(f))),
        (".zenodo.json", pretty(&zenodo::zenodo(f))),
    ]
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML), for CFF and card front matter.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
