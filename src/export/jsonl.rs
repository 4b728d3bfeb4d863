//! JSON Lines output: a table's rows as one JSON object per line (`JsonLinesSink`), and
//! records.jsonl, one full, nested record per line in id order (`RecordLines`).
//!
//! A row's object has its columns as keys, in column order; lists are arrays, dates
//! "YYYY-MM-DD" strings, nulls `null`: the shape the table's JSON Schema (schema/tables/)
//! describes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::output::{DigestingFile, FileDigest};
use super::sink::{ColumnCursor, Format, TableSink};
use super::table::{ColumnType, RowWriter, TableRow, TableSpec};
use crate::model::Record;
use crate::model::edtf::CivilDate;

/// JSON Lines of rows: `<table>.jsonl` (not among the release formats: records.jsonl holds the
/// nested records instead).
pub const FORMAT: Format = Format {
    extension: "jsonl",
    media_type: "application/jsonl",
    tabular_resource: false,
    create: |path, spec| Ok(Box::new(JsonLinesSink::create(path, spec)?)),
};

/// A JSON Lines file, written a whole line at a time.
struct LinesFile {
    writer: DigestingFile,
}

impl LinesFile {
    fn create(path: &Path) -> Result<LinesFile> {
        Ok(LinesFile {
            writer: DigestingFile::create(path)?,
        })
    }

    /// Writes `line`, which ends with its line break.
    fn write_line(&mut self, line: &[u8]) -> Result<()> {
        Ok(self.writer.write_all(line)?)
    }

    fn finish(self) -> Result<FileDigest> {
        self.writer.finish()
    }
}

/// One table's JSON Lines file.
pub struct JsonLinesSink {
    file: LinesFile,
    line: Line,
}

/// The line of the row being written.
struct Line {
    bytes: Vec<u8>,
    cursor: ColumnCursor,
    /// The first value that could not be written in the current row.
    error: Option<anyhow::Error>,
}

impl JsonLinesSink {
    pub fn create(path: &Path, spec: &TableSpec) -> Result<JsonLinesSink> {
        Ok(JsonLinesSink {
            file: LinesFile::create(path)?,
            line: Line {
                bytes: Vec::new(),
                cursor: ColumnCursor::new(spec),
                error: None,
            },
        })
    }
}

impl TableSink for JsonLinesSink {
    fn push(&mut self, row: &dyn TableRow) -> Result<()> {
        let line = &mut self.line;
        line.bytes.clear();
        line.bytes.push(b'{');
        row.write_values(line);
        if let Some(e) = line.error.take() {
            return Err(e);
        }
        line.cursor.end_row()?;
        line.bytes.extend_from_slice(b"}\n");
        self.file.write_line(&line.bytes)
    }

    fn finish(self: Box<Self>) -> Result<FileDigest> {
        self.file.finish()
    }
}

impl Line {
    /// Starts the value of `column`, of type `ty`, with its key; false when the column does not
    /// fit (the row is refused at its end).
    fn key(&mut self, column: &'static str, ty: ColumnType) -> bool {
        let first = self.cursor.at_start();
        if self.cursor.advance(column, ty).is_none() {
            return false;
        }
        if !first {
            self.bytes.push(b',');
        }
        self.json(column);
        self.bytes.push(b':');
        true
    }

    fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Err(e) = serde_json::to_writer(&mut self.bytes, value) {
            self.error.get_or_insert(e.into());
        }
    }
}

impl RowWriter for Line {
    fn text(&mut self, column: &'static str, value: Option<&str>) {
        if self.key(column, ColumnType::Utf8) {
            self.json(&value);
        }
    }

    fn texts(&mut self, column: &'static str, value: &[String]) {
        if self.key(column, ColumnType::ListUtf8) {
            self.json(value);
        }
    }

    fn date(&mut self, column: &'static str, value: Option<i32>) {
        if self.key(column, ColumnType::Date32) {
            match value {
                Some(days) => {
                    if let Err(e) = write!(self.bytes, "\"{}\"", CivilDate(days)) {
                        self.error.get_or_insert(e.into());
                    }
                }
                None => self.bytes.extend_from_slice(b"null"),
            }
        }
    }

    fn int(&mut self, column: &'static str, value: Option<i32>) {
        if self.key(column, ColumnType::Int32) {
            self.json(&value);
        }
    }

    fn int64(&mut self, column: &'static str, value: Option<i64>) {
        if self.key(column, ColumnType::Int64) {
            self.json(&value);
        }
    }

    fn bool(&mut self, column: &'static str, value: bool) {
        if self.key(column, ColumnType::Bool) {
            self.json(&value);
        }
    }
}

/// records.jsonl: every record, whole and nested, one per line.
pub struct RecordLines {
    file: LinesFile,
    path: PathBuf,
}

impl RecordLines {
    pub fn create(path: &Path) -> Result<RecordLines> {
        Ok(RecordLines {
            file: LinesFile::create(path)?,
            path: path.to_path_buf(),
        })
    }

    /// Writes a record with every common field present (null when absent), so that every line
    /// has the same keys; the kind's own table is always present.
    /// Returns the sha256 (hex) of the line written, the record's digest in release manifests.
    pub fn push(&mut self, record: &Record) -> Result<String> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        self.file
            .write_line(&line)
            .map_err(|e| super::write_error(&self.path, &e))?;
        Ok(base16ct::lower::encode_string(&Sha256::digest(&line)))
    }

    pub fn finish(self) -> Result<FileDigest> {
        self.file
            .finish()
            .map_err(|e| super::write_error(&self.path, &e))
    }
}
