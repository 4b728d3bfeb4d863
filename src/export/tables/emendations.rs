//! The emendations table: every repair of conversion damage, with the characters as printed.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Int32, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;
use crate::model::record::Emendation;

pub struct Emendations;

impl Table for Emendations {
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
        name: "emendations".into(),
        description: "Every repair of conversion damage, with the characters as printed, so the printed text can be recovered.".into(),
        columns: vec![
            Column::new("record_id", Utf8, false, "The record whose text is mended."),
            Column::new("target", Utf8, false, "Which text: `appearance <n>` or `parallel_text <language>`."),
            Column::new("ordinal", Int32, false, "Order of the emendation on that text (1-based); they are reversed in this order."),
            Column::new("printed", Utf8, false, "The characters as printed in the transcription."),
            Column::new("reads", Utf8, false, "What the text reads instead."),
            Column::new("occurrence", Int32, true, "Which occurrence of `reads` in the text is meant, when it occurs more than once."),
        ],
        primary_key: keys(&["record_id", "target", "ordinal"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"])],
    }
}

/// One emendation of one text of a record.
pub struct EmendationRow<'a> {
    pub record_id: &'a str,
    /// `appearance <n>` or `parallel_text <language>`.
    pub target: String,
    pub ordinal: i32,
    pub printed: &'a str,
    pub reads: &'a str,
    pub occurrence: Option<i32>,
}

impl TableRow for EmendationRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.text("target", Some(&self.target));
        out.int("ordinal", Some(self.ordinal));
        out.text("printed", Some(self.printed));
        out.text("reads", Some(self.reads));
        out.int("occurrence", self.occurrence);
    }
}

/// The emendations of `record`: each printing's in printing order, then each parallel text's.
pub fn rows(record: &Record) -> impl Iterator<Item = EmendationRow<'_>> {
    let of_printings = record.appearances.iter().enumerate().flat_map(|(i, a)| {
        let target = format!("appearance {}", int32(i + 1));
        rows_of(record, target, &a.emendations)
    });
    let of_parallel_texts = record.parallel_texts.iter().flat_map(|p| {
        let target = format!("parallel_text {}", p.language);
        rows_of(record, target, &p.emendations)
    });
    of_printings.chain(of_parallel_texts)
}

/// The rows of one text's emendations, in order.
fn rows_of<'a>(
    record: &'a Record,
    target: String,
    emendations: &'a [Emendation],
) -> impl Iterator<Item = EmendationRow<'a>> {
    emendations
        .iter()
        .enumerate()
        .map(move |(k, e)| EmendationRow {
            record_id: &record.id,
            target: target.clone(),
            ordinal: int32(k + 1),
            printed: &e.printed,
            reads: &e.reads,
            occurrence: e.occurrence.map(int32),
        })
}
