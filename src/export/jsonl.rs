//! JSON Lines output: one full, nested record per line, in id order.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::model::Record;

pub struct JsonLines {
    writer: BufWriter<File>,
    path: std::path::PathBuf,
}

impl JsonLines {
    pub fn create(path: &Path) -> Result<JsonLines> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(JsonLines {
            writer: BufWriter::new(file),
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

    pub fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| super::write_error(&self.path, &e.into()))?;
        Ok(())
    }
}
