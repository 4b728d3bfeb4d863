//! The footnotes table: the documents' own footnotes, as printed.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Int32, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;

pub struct Footnotes;

impl Table for Footnotes {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record { record, .. } => push_all(rows(record), push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    TableSpec {
        name: "footnotes".into(),
        description: "The documents' own footnotes, as printed.".into(),
        columns: vec![
            Column::new(
                "record_id",
                Utf8,
                false,
                "The record the footnote belongs to.",
            ),
            Column::new(
                "ordinal",
                Int32,
                false,
                "Order of the footnote in the record (1-based).",
            ),
            Column::new("marker", Utf8, false, "The footnote's marker as printed."),
            Column::new("text", Utf8, false, "The footnote's text as printed."),
        ],
        primary_key: keys(&["record_id", "ordinal"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"])],
    }
}

/// One footnote of a record.
pub struct FootnoteRow<'a> {
    pub record_id: &'a str,
    pub ordinal: i32,
    pub marker: &'a str,
    pub text: &'a str,
}

impl TableRow for FootnoteRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.int("ordinal", Some(self.ordinal));
        out.text("marker", Some(self.marker));
        out.text("text", Some(self.text));
    }
}

/// The footnotes of `record`, in order.
pub fn rows(record: &Record) -> impl Iterator<Item = FootnoteRow<'_>> {
    record
        .footnotes
        .iter()
        .enumerate()
        .map(|(k, f)| FootnoteRow {
            record_id: &record.id,
            ordinal: int32(k + 1),
            marker: &f.marker,
            text: &f.text,
        })
}
