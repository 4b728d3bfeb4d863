//! Table sinks: a table's rows written to one file in one format (one module each: `csv`,
//! `parquet`, `jsonl`), and the list of formats a release writes every table in.

use std::path::Path;

use anyhow::Result;

use super::output::FileDigest;
use super::table::{ColumnType, TableRow, TableSpec};

/// One table's file in one format, open for writing.
pub trait TableSink {
    /// Writes one row.
    fn push(&mut self, row: &dyn TableRow) -> Result<()>;

    /// Writes what is buffered and closes the file; returns its digest.
    fn finish(self: Box<Self>) -> Result<FileDigest>;
}

/// A file format tables can be written in.
pub struct Format {
    /// The files' extension, which is also the format's name (`csv`).
    pub extension: &'static str,
    /// The IANA media type, as every metadata standard declares the files (`text/csv`).
    pub media_type: &'static str,
    /// Whether Data Package declares the files as tabular resources, whose rows frictionless
    /// validates against the Table Schema (CSV), or as plain files checked by bytes and hash
    /// (Parquet: frictionless neither hashes it nor reads list columns right).
    pub tabular_resource: bool,
    /// Creates the file at the path given for the table the spec describes.
    pub create: fn(&Path, &TableSpec) -> Result<Box<dyn TableSink>>,
}

/// The formats every release table is written in, each to `<table>.<extension>`; the metadata
/// writers list the files from here.
pub const RELEASE_FORMATS: [Format; 2] = [super::parquet::FORMAT, super::csv::FORMAT];

/// The media type of a file by its extension, when it is one of the table formats or records.jsonl.
pub fn media_type_of(extension: &str) -> Option<&'static str> {
    RELEASE_FORMATS
        .iter()
        .chain([&super::jsonl::FORMAT])
        .find(|f| f.extension == extension)
        .map(|f| f.media_type)
}

/// Where a sink stands in the row being written. Each value a row gives is checked against the
/// next column of the spec, by name and type: a row type that drifted from its spec is an error,
/// never a file with shifted columns.
#[derive(Debug)]
pub struct ColumnCursor {
    table: String,
    columns: Vec<(String, ColumnType)>,
    next: usize,
    mismatch: Option<String>,
}

impl ColumnCursor {
    pub fn new(spec: &TableSpec) -> ColumnCursor {
        ColumnCursor {
            table: spec.name.clone(),
            columns: spec
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.ty))
                .collect(),
            next: 0,
            mismatch: None,
        }
    }

    /// The index of the column the value for `column`, of type `ty`, goes to: the next one, when
    /// name and type agree (None, and the row is refused at its end, when they do not).
    pub fn advance(&mut self, column: &str, ty: ColumnType) -> Option<usize> {
        let index = self.next;
        self.next += 1;
        match self.columns.get(index) {
            Some((name, expected)) if name == column && *expected == ty => Some(index),
            found => {
                if self.mismatch.is_none() {
                    let expected = found.map_or_else(
                        || "no further column".to_string(),
                        |(name, ty)| format!("column {name} ({ty:?})"),
                    );
                    self.mismatch = Some(format!(
                        "internal error: a row of the {} table gives {column} ({ty:?}) where the table has {expected}",
                        self.table
                    ));
                }
                None
            }
        }
    }

    /// Whether this is the first value of the row.
    pub fn at_start(&self) -> bool {
        self.next == 0
    }

    /// Ends the row: an error when one of its values did not fit its column or it gave fewer
    /// values than the table has columns. The next row starts at the first column either way.
    pub fn end_row(&mut self) -> Result<()> {
        let given = std::mem::take(&mut self.next);
        if let Some(mismatch) = self.mismatch.take() {
            anyhow::bail!(mismatch);
        }
        if given != self.columns.len() {
            anyhow::bail!(
                "internal error: a row of the {} table gives {given} values for {} columns",
                self.table,
                self.columns.len()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::{Column, RowWriter};
    use crate::export::{csv, jsonl, parquet};

    /// A row whose values are given by the test.
    struct Given(fn(&mut dyn RowWriter));

    impl TableRow for Given {
        fn write_values(&self, out: &mut dyn RowWriter) {
            (self.0)(out)
        }
    }

    #[test]
    fn every_format_refuses_a_row_that_does_not_fit_its_columns() {
        let spec = TableSpec {
            name: "pairs".into(),
            description: String::new(),
            columns: vec![
                Column::new("name", ColumnType::Utf8, false, ""),
                Column::new("count", ColumnType::Int32, true, ""),
            ],
            primary_key: vec![],
            foreign_keys: vec![],
        };
        let fits = Given(|out| {
            out.text("name", Some("a"));
            out.int("count", Some(1));
        });
        let misfits = [
            (
                "swapped",
                Given(|out| {
                    out.int("count", Some(1));
                    out.text("name", Some("a"));
                }),
            ),
            (
                "mistyped",
                Given(|out| {
                    out.text("name", Some("a"));
                    out.text("count", Some("1"));
                }),
            ),
            ("short", Given(|out| out.text("name", Some("a")))),
            (
                "long",
                Given(|out| {
                    out.text("name", Some("a"));
                    out.int("count", Some(1));
                    out.bool("extra", true);
                }),
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        for format in [parquet::FORMAT, csv::FORMAT, jsonl::FORMAT] {
            for (what, misfit) in &misfits {
                let path = dir.path().join(format!("pairs.{}", format.extension));
                let mut sink = (format.create)(&path, &spec).unwrap();
                sink.push(&fits).unwrap();
                let e = sink.push(misfit).unwrap_err().to_string();
                assert!(
                    e.contains("internal error"),
                    "{} {what}: {e}",
                    format.extension
                );
            }
        }
    }
}
