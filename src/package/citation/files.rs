//! The citation files of a release's payload: `citations.json` (CSL-JSON) and `citations.ris`,
//! every record of the release (and, in CSL-JSON, the release itself), in id order.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::{Citation, DatasetRef, csl, ris};
use crate::export::output::{DigestingFile, Digests};
#[cfg(test)]
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

/// Both files open for writing while the records stream past, in id order: one citation at a
/// time is turned into text and written, so memory does not grow with the records.
pub struct CitationFiles {
    json: DigestingFile,
    ris: DigestingFile,
    last_id: Option<String>,
}

impl CitationFiles {
    /// Creates both files in `payload`; the CSL-JSON array opens with the release's own item.
    pub fn create(payload: &Path, dataset: &DatasetRef) -> Result<CitationFiles> {
        let mut json = DigestingFile::create(&payload.join("citations.json"))?;
        let ris = DigestingFile::create(&payload.join("citations.ris"))?;
        write(&mut json, b"[\n")?;
        write(&mut json, nested(&csl::dataset_item(dataset)).as_bytes())?;
        Ok(CitationFiles {
            json,
            ris,
            last_id: None,
        })
    }

    /// Writes the citation of the next record (records come in id order).
    pub fn push(&mut self, c: &Citation) -> Result<()> {
        if self
            .last_id
            .as_deref()
            .is_some_and(|last| last >= c.record_id.as_str())
        {
            anyhow::bail!(
                "internal error: citation of {} out of id order",
                c.record_id
            );
        }
        self.last_id = Some(c.record_id.clone());
        write(&mut self.json, b",\n")?;
        write(&mut self.json, nested(&csl::item(c)).as_bytes())?;
        write(&mut self.ris, ris::reference(c).as_bytes())
    }

    /// Closes both files; returns their digests by file name.
    pub fn finish(mut self) -> Result<Digests> {
        write(&mut self.json, b"\n]\n")?;
        Ok(Digests::from([
            ("citations.json".to_string(), self.json.finish()?),
            ("citations.ris".to_string(), self.ris.finish()?),
        ]))
    }
}

/// An array element as `serde_json`'s pretty printer writes it inside the array: every line
/// indented two more spaces (JSON strings hold no raw line breaks, so lines are safe to split).
fn nested(v: &serde_json::Value) -> String {
    let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::with_capacity(pretty.len() + 64);
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

fn write(file: &mut DigestingFile, bytes: &[u8]) -> Result<()> {
    file.write_all(bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.path().display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_items_are_what_the_pretty_printer_writes_for_the_whole_array() {
        let items = vec![
            serde_json::json!({"id": "a", "list": [1, 2], "o": {"k": "line\nbreak"}}),
            serde_json::json!({"id": "b", "empty": [], "e": {}}),
        ];
        let whole = pretty(&serde_json::Value::Array(items.clone()));
        let streamed = format!("[\n{},\n{}\n]\n", nested(&items[0]), nested(&items[1]));
        assert_eq!(streamed, whole);
    }
}
