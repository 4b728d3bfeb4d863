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

use std::path::Path;

use anyhow::Result;

use super::output::{DigestingFile, FileDigest};

use super::table::{Cell, Row, TableSpec};
use crate::model::edtf::civil_from_days;

pub struct CsvTable {
    writer: csv::Writer<DigestingFile>,
}

impl CsvTable {
    pub fn create(path: &Path, spec: &TableSpec) -> Result<CsvTable> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(DigestingFile::create(path)?);
        writer.write_record(spec.column_names())?;
        Ok(CsvTable { writer })
    }

    pub fn push(&mut self, row: &Row) -> Result<()> {
        let fields: Vec<String> = row.iter().map(cell_text).collect();
        self.writer.write_record(&fields)?;
        Ok(())
    }

    pub fn finish(self) -> Result<FileDigest> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::Error::from(e.into_error()))?;
        file.finish()
    }
}

pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Str(s) => neutralise_formula(s),
        Cell::List(items) => serde_json::to_string(items).unwrap_or_default(),
        Cell::Date(d) => civil_from_days(*d),
        Cell::Int(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
    }
}

/// A text cell as written to CSV: with a `'` in front when a spreadsheet would take it for a
/// formula.
pub fn neutralise_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_csv_only() {
        assert_eq!(
            cell_text(&Cell::Str("=HYPERLINK(\"http://x\")".into())),
            "'=HYPERLINK(\"http://x\")"
        );
        for s in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell_text(&Cell::Str(s.into())).starts_with('\''), "{s}");
        }
        assert_eq!(cell_text(&Cell::Str("a = b".into())), "a = b");
        assert_eq!(cell_text(&Cell::Int(-3)), "-3");
    }
}
