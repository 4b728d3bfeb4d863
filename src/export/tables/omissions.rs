//! The omissions table: printed passages a printing's text leaves out, each with its reason.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Int32, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;
use crate::model::record::OmissionReason;

pub struct Omissions;

impl Table for Omissions {
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
    let reasons: Vec<&str> = OmissionReason::ALL.iter().map(|r| r.as_str()).collect();
    TableSpec {
        name: "omissions".into(),
        description: "Printed passages inside a printing's span that its text leaves out, each with the reason, so that every printed word is accounted for.".into(),
        columns: vec![
            Column::new("record_id", Utf8, false, "The record whose printing omits the passage."),
            Column::new("appearance", Int32, false, "The printing (appearances table)."),
            Column::new("ordinal", Int32, false, "Order of the omission in the printing (1-based)."),
            Column::new("line_start", Int32, true, "First line left out, when whole lines are."),
            Column::new("line_end", Int32, true, "Last line left out, when whole lines are."),
            Column::new("printed", Utf8, true, "The exact printed words left out, when given by words."),
            Column::new("reason", Utf8, false, "Why the text leaves the passage out.").allowed(&reasons),
            Column::new("other_record_id", Utf8, true, "The record that holds the passage, when it is left to another record."),
            Column::new("note", Utf8, true, "Curators' note on the omission."),
        ],
        primary_key: keys(&["record_id", "appearance", "ordinal"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"]), ForeignKey::new(&["other_record_id"], "records", &["id"])],
    }
}

/// One passage a printing leaves out.
pub struct OmissionRow<'a> {
    pub record_id: &'a str,
    pub appearance: i32,
    pub ordinal: i32,
    pub line_start: Option<i32>,
    pub line_end: Option<i32>,
    pub printed: Option<&'a str>,
    pub reason: OmissionReason,
    pub other_record_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl TableRow for OmissionRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.int("appearance", Some(self.appearance));
        out.int("ordinal", Some(self.ordinal));
        out.int("line_start", self.line_start);
        out.int("line_end", self.line_end);
        out.text("printed", self.printed);
        out.text("reason", Some(self.reason.as_str()));
        out.text("other_record_id", self.other_record_id);
        out.text("note", self.note);
    }
}

/// The omissions of `record`'s printings, printing by printing.
pub fn rows(record: &Record) -> impl Iterator<Item = OmissionRow<'_>> {
    record
        .appearances
        .iter()
        .enumerate()
        .flat_map(move |(i, a)| {
            a.omissions
                .iter()
                .enumerate()
                .map(move |(k, o)| OmissionRow {
                    record_id: &record.id,
                    appearance: int32(i + 1),
                    ordinal: int32(k + 1),
                    line_start: o.lines.map(|l| int32(l[0])),
                    line_end: o.lines.map(|l| int32(l[1])),
                    printed: o.printed.as_deref(),
                    reason: o.reason,
                    other_record_id: o.record.as_deref(),
                    note: o.note.as_deref(),
                })
        })
}
