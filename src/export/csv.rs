//! CSV output: the same columns in the same order as the Parquet twin.
//!
//! Lists are written as JSON arrays (`["a","b"]`), dates as YYYY-MM-DD, booleans as
//! `true`/`false`, nulls as empty fields; every field is quoted when it needs to be (RFC 4180).
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
//! formula (CSV injection). A text cell that starts so is written with a single quote in front,
//! in CSV only: Parquet and JSON Lines keep the exact value. Validation already rejects tabs,
//! carriage returns and control characters, so in practice this touches only text that starts
//! with one of the four signs (see README, "CSV and spreadsheets").

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::output::{DigestingFile, FileDigest};
use super::sink::{ColumnCursor, Format, TableSink};
use super::table::{ColumnType, RowWriter, TableRow, TableSpec};
use crate::model::edtf::CivilDate;

/// CSV: `<table>.csv`.
pub const FORMAT: Format = Format {
    extension: "csv",
    media_type: "text/csv",
    tabular_resource: true,
    create: |path, spec| Ok(Box::new(CsvSink::create(path, spec)?)),
};

/// One table's CSV file.
pub struct CsvSink {
    fields: CsvFields,
}

/// The writer and what a row's values need on their way to it.
struct CsvFields {
    writer: csv::Writer<DigestingFile>,
    cursor: ColumnCursor,
    /// Holds a number, date or list while it is written, reused from value to value.
    scratch: Vec<u8>,
    /// The first write that failed in the current row.
    error: Option<anyhow::Error>,
}

impl CsvSink {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, spec: &TableSpec) -> Result<CsvSink> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(DigestingFile::create(path)?);
        writer.write_record(spec.column_names())?;
        Ok(CsvSink {
            fields: CsvFields {
                writer,
                cursor: ColumnCursor::new(spec),
                scratch: Vec::new(),
                error: None,
            },
        })
    }
}

impl TableSink for CsvSink {
    fn push(&mut self, row: &dyn TableRow) -> Result<()> {
        let fields = &mut self.fields;
        row.write_values(fields);
        if let Some(e) = fields.error.take() {
            return Err(e);
        }
        fields.cursor.end_row()?;
        // No fields: only the record's terminator (the csv crate's way to end a record written
        // field by field).
        fields.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<FileDigest> {
        let file = self
            .fields
            .writer
            .into_inner()
            .map_err(|e| anyhow::Error::from(e.into_error()))?;
        file.finish()
    }
}

impl CsvFields {
    fn field(&mut self, bytes: &[u8]) {
        if let Err(e) = self.writer.write_field(bytes) {
            self.error.get_or_insert(e.into());
        }
    }

    /// Writes what `fill` puts into the scratch buffer as one field.
    fn scratch_field(&mut self, fill: impl FnOnce(&mut Vec<u8>) -> Result<()>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        match fill(&mut scratch) {
            Ok(()) => self.field(&scratch),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self.scratch = scratch;
    }
}

impl RowWriter for CsvFields {
    fn text(&mut self, column: &'static str, value: Option<&str>) {
        if self.cursor.advance(column, ColumnType::Utf8).is_some() {
            match value {
                Some(s) => self.field(neutralise_formula(s).as_bytes()),
                None => self.field(b""),
            }
        }
    }

    fn texts(&mut self, column: &'static str, value: &[String]) {
        if self.cursor.advance(column, ColumnType::ListUtf8).is_some() {
            self.scratch_field(|buf| Ok(serde_json::to_writer(buf, value)?));
        }
    }

    fn date(&mut self, column: &'static str, value: Option<i32>) {
        if self.cursor.advance(column, ColumnType::Date32).is_some() {
            match value {
                Some(days) => self.scratch_field(|buf| Ok(write!(buf, "{}", CivilDate(days))?)),
                None => self.field(b""),
            }
        }
    }

    fn int(&mut self, column: &'static str, value: Option<i32>) {
        if self.cursor.advance(column, ColumnType::Int32).is_some() {
            match value {
                Some(n) => self.scratch_field(|buf| Ok(write!(buf, "{n}")?)),
                None => self.field(b""),
            }
        }
    }

    fn int64(&mut self, column: &'static str, value: Option<i64>) {
        if self.cursor.advance(column, ColumnType::Int64).is_some() {
            match value {
                Some(n) => self.scratch_field(|buf| Ok(write!(buf, "{n}")?)),
                None => self.field(b""),
            }
        }
    }

    fn bool(&mut self, column: &'static str, value: bool) {
        if self.cursor.advance(column, ColumnType::Bool).is_some() {
            self.field(if value { b"true" } else { b"false" });
        }
    }
}

/// A text cell as written to CSV: with a `'` in front when a spreadsheet would take it for a
/// formula.
pub fn neutralise_formula(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::Column;

    /// One row of every type, for the file it gives.
    struct Sample<'a> {
        text: Option<&'a str>,
        texts: Vec<String>,
        date: Option<i32>,
        int: Option<i32>,
        flag: bool,
    }

    impl TableRow for Sample<'_> {
        fn write_values(&self, out: &mut dyn RowWriter) {
            out.text("text", self.text);
            out.texts("texts", &self.texts);
            out.date("date", self.date);
            out.int("int", self.int);
            out.bool("flag", self.flag);
        }
    }

    fn sample_spec() -> TableSpec {
        TableSpec {
            name: "sample".into(),
            description: String::new(),
            columns: vec![
                Column::new("text", ColumnType::Utf8, true, ""),
                Column::new("texts", ColumnType::ListUtf8, false, ""),
                Column::new("date", ColumnType::Date32, true, ""),
                Column::new("int", ColumnType::Int32, true, ""),
                Column::new("flag", ColumnType::Bool, false, ""),
            ],
            primary_key: vec![],
            foreign_keys: vec![],
        }
    }

    fn csv_of(rows: &[Sample<'_>]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.csv");
        let mut sink = Box::new(CsvSink::create(&path, &sample_spec()).unwrap());
        for row in rows {
            sink.push(row).unwrap();
        }
        sink.finish().unwrap();
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn formulas_are_neutralised_in_csv_only() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for s in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise_formula(s).starts_with('\''), "{s}");
        }
        assert_eq!(neutralise_formula("a = b"), "a = b");
        let int = Sample {
            text: None,
            texts: vec![],
            date: None,
            int: Some(-3),
            flag: false,
        };
        assert_eq!(csv_of(&[int]), "text,texts,date,int,flag\n,[],,-3,false\n");
    }

    #[test]
    fn lists_dates_and_booleans_have_their_csv_forms() {
        let row = Sample {
            text: Some("a, \"b\""),
            texts: vec!["x".into(), "y \"z\"".into()],
            date: Some(8091),
            int: None,
            flag: true,
        };
        assert_eq!(
            csv_of(&[row]),
            "text,texts,date,int,flag\n\"a, \"\"b\"\"\",\"[\"\"x\"\",\"\"y \\\"\"z\\\"\"\"\"]\",1992-02-26,,true\n"
        );
    }
}
