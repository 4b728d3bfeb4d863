//! The parallel_texts table: texts of a document in further languages, printed alongside it.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::Utf8;
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, keys};
use crate::model::Record;
use crate::model::record::ParallelRole;

pub struct ParallelTexts;

impl Table for ParallelTexts {
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
        name: "parallel_texts".into(),
        description: "Texts of a document in further languages, printed alongside it.".into(),
        columns: vec![
            Column::new("record_id", Utf8, false, "The record."),
            Column::new("language", Utf8, false, "BCP 47 tag of this text."),
            Column::new(
                "role",
                Utf8,
                false,
                "Whether the print presents this text as the original or a translation.",
            )
            .allowed(&["original", "translation"]),
            Column::new("text", Utf8, false, "The text as printed, minus layout."),
        ],
        primary_key: keys(&["record_id", "language"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"])],
    }
}

/// One parallel text of a record.
pub struct ParallelTextRow<'a> {
    pub record_id: &'a str,
    pub language: &'a str,
    pub role: ParallelRole,
    pub text: &'a str,
}

impl TableRow for ParallelTextRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.text("language", Some(self.language));
        out.text(
            "role",
            Some(match self.role {
                ParallelRole::Original => "original",
                ParallelRole::Translation => "translation",
            }),
        );
        out.text("text", Some(self.text));
    }
}

/// The parallel texts of `record`, in order.
pub fn rows(record: &Record) -> impl Iterator<Item = ParallelTextRow<'_>> {
    record.parallel_texts.iter().map(|p| ParallelTextRow {
        record_id: &record.id,
        language: &p.language,
        role: p.role,
        text: &p.text,
    })
}
