//! JSON Lines output: one full, nested record per line, in id order.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::output::{DigestingFile, FileDigest};

use crate::model::Record;

pub struct JsonLines {
    writer: DigestingFile,
    path: std::path::PathBuf,
}

impl JsonLines {
    pub fn create(path: &Path) -> Result<JsonLines> {
        Ok(JsonLines {
            writer: DigestingFile::create(path)?,
            path: path.to_path_buf(),
        })
    }

    /// Writes a record with every common field present (null when absent), so that every line
    /// has the same keys; the kind's own table is always present.
    /// Returns the sha256 (hex) of the line written, the record's digest in release manifests.
    pub fn push(&mut self, record: &Record) -> Result<String> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        self.writer
            .write_all(&line)
            .map_err(|e| super::write_error(&self.path, &e.into()))?;
        Ok(base16ct::lower::encode_string(&Sha256::digest(&line)))
    }

    pub fn finish(self) -> Result<FileDigest> {
        self.writer
            .finish()
            .map_err(|e| super::write_error(&self.path, &e))
    }
}
