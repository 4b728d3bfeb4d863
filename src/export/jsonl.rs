//! JSON Lines output: one full, nested record per line, in id order.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::model::Record;

pub struct JsonLines {
    writer: BufWriter<File>,
}

impl JsonLines {
    pub fn create(path: &Path) -> Result<JsonLines> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(JsonLines {
            writer: BufWriter::new(file),
        })
    }

    /// Writes a record with every common field present (null when absent), so that every line
    /// has the same keys; the kind's own table is always present.
    pub fn push(&mut self, record: &Record) -> Result<()> {
        serde_json::to_writer(&mut self.writer, record)?;
        self.writer.write_all(b"\n")?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}
