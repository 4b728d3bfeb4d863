//! The citation files of a release's payload: `citations.json` (CSL-JSON) and `citations.ris`,
//! every record of the release (and, in CSL-JSON, the release itself), in id order.

use std::path::Path;

use anyhow::Result;

use super::{Citation, DatasetRef, csl, ris};
use crate::export::schema_files::pretty;

/// File names in the payload, with their Data Package description.
pub const FILES: [(&str, &str, &str, &str); 2] = [
    (
        "citations.json",
        "json",
        "application/vnd.citationstyles.csl+json",
        "CSL-JSON citations (Zotero, Mendeley, pandoc, citeproc): the release itself, then one item per record, naming the document, its printings and the release.",
    ),
    (
        "citations.ris",
        "ris",
        "application/x-research-info-systems",
        "RIS citations (EndNote, Zotero, Mendeley): one reference per record, naming the document, its printings and the release.",
    ),
];

/// Writes both files into `payload`.
pub fn write(payload: &Path, dataset: &DatasetRef, citations: &[Citation]) -> Result<()> {
    let mut sorted: Vec<&Citation> = citations.iter().collect();
    sorted.sort_by(|a, b| a.record_id.cmp(&b.record_id));
    let owned: Vec<Citation> = sorted.into_iter().cloned().collect();
    let json = pretty(&csl::items(dataset, &owned));
    let ris = ris::references(&owned);
    for (name, bytes) in [("citations.json", json), ("citations.ris", ris)] {
        let path = payload.join(name);
        std::fs::write(&path, bytes.as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
