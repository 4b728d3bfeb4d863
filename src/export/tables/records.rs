//! The records table: one row per record, with the fields common to every kind.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Date32, Int32, ListUtf8, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::edtf::{self, Precision};
use crate::model::{Agent, Kind, Record, TextStatus};

pub struct Records;

impl Table for Records {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record { record, agents, .. } => {
                push_all([row(record, agents.get(&record.body))], push)
            }
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = TextStatus::ALL.iter().map(|s| s.as_str()).collect();
    TableSpec {
        name: "records".into(),
        description:
            "One row per record (one document as printed), with the fields common to every kind."
                .into(),
        columns: vec![
            Column::new("id", Utf8, false, "Stable record identifier; never reused."),
            Column::new("kind", Utf8, false, "What sort of document the record is.")
                .allowed(&kinds),
            Column::new(
                "title",
                Utf8,
                true,
                "The document's own title or headline, as printed.",
            ),
            Column::new(
                "date",
                Utf8,
                true,
                "The document's date as EDTF (ISO 8601-2), at the precision printed.",
            ),
            Column::new(
                "date_start",
                Date32,
                true,
                "Earliest day the EDTF date can mean (null when undated or open).",
            ),
            Column::new(
                "date_end",
                Date32,
                true,
                "Latest day the EDTF date can mean (null when undated or open).",
            ),
            Column::new(
                "date_precision",
                Utf8,
                true,
                "Precision of the date: year, season, month or day.",
            )
            .allowed(&["year", "season", "month", "day"]),
            Column::new(
                "date_absent_reason",
                Utf8,
                true,
                "Why the record has no date.",
            ),
            Column::new(
                "body_id",
                Utf8,
                false,
                "Id of the issuing body (agents table).",
            ),
            Column::new("body", Utf8, false, "Name of the issuing body."),
            Column::new(
                "authors",
                ListUtf8,
                false,
                "Authors or signatories as printed.",
            ),
            Column::new(
                "place",
                Utf8,
                true,
                "Place of publication or issue, as printed.",
            ),
            Column::new("language", Utf8, false, "BCP 47 language tag of the text."),
            Column::new(
                "original_language",
                Utf8,
                true,
                "BCP 47 tag of the original language, when the print says the text is a translation.",
            ),
            Column::new(
                "text_status",
                Utf8,
                false,
                "How much of the document the text holds.",
            )
            .allowed(&statuses),
            Column::new(
                "text",
                Utf8,
                true,
                "The document's text as printed, minus layout; paragraphs separated by a blank line. Null when not transcribed or only mentioned.",
            ),
            Column::new(
                "source_urls",
                ListUtf8,
                false,
                "URLs the print gives for the document.",
            ),
            Column::new(
                "part_of",
                Utf8,
                true,
                "Id of the record that quotes or contains this one.",
            ),
            Column::new(
                "notes",
                ListUtf8,
                false,
                "Curators' notes drawn from the sources and the curation.",
            ),
            Column::new(
                "outside_notes",
                ListUtf8,
                false,
                "Curators' notes from outside the two compilations.",
            ),
            Column::new(
                "compilations",
                ListUtf8,
                false,
                "Ids of the compilations that print the document.",
            ),
            Column::new(
                "appearance_count",
                Int32,
                false,
                "How many printings of the document the compilations hold.",
            ),
        ],
        primary_key: keys(&["id"]),
        foreign_keys: vec![
            ForeignKey::new(&["body_id"], "agents", &["agent_id"]),
            ForeignKey::new(&["part_of"], "records", &["id"]),
        ],
    }
}

/// One record's row.
pub struct RecordRow<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub date_start: Option<i32>,
    pub date_end: Option<i32>,
    pub date_precision: Option<Precision>,
    pub date_absent_reason: Option<&'a str>,
    pub body_id: &'a str,
    pub body: &'a str,
    pub authors: &'a [String],
    pub place: Option<&'a str>,
    pub language: &'a str,
    pub original_language: Option<&'a str>,
    pub text_status: TextStatus,
    pub text: Option<&'a str>,
    pub source_urls: &'a [String],
    pub part_of: Option<&'a str>,
    pub notes: &'a [String],
    pub outside_notes: &'a [String],
    /// Ids of the compilations printing the record, sorted, each once.
    pub compilations: Vec<String>,
    pub appearance_count: i32,
}

impl TableRow for RecordRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("id", Some(self.id));
        out.text("kind", Some(self.kind.as_str()));
        out.text("title", self.title);
        out.text("date", self.date);
        out.date("date_start", self.date_start);
        out.date("date_end", self.date_end);
        out.text("date_precision", self.date_precision.map(precision_name));
        out.text("date_absent_reason", self.date_absent_reason);
        out.text("body_id", Some(self.body_id));
        out.text("body", Some(self.body));
        out.texts("authors", self.authors);
        out.text("place", self.place);
        out.text("language", Some(self.language));
        out.text("original_language", self.original_language);
        out.text("text_status", Some(self.text_status.as_str()));
        out.text("text", self.text);
        out.texts("source_urls", self.source_urls);
        out.text("part_of", self.part_of);
        out.texts("notes", self.notes);
        out.texts("outside_notes", self.outside_notes);
        out.texts("compilations", &self.compilations);
        out.int("appearance_count", Some(self.appearance_count));
    }
}

fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Season => "season",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

/// The row of `record`, issued by `body` (its name; the body's id stands in when agents.toml
/// lacks it).
pub fn row<'a>(record: &'a Record, body: Option<&'a Agent>) -> RecordRow<'a> {
    let bounds = record.date.as_deref().and_then(|d| edtf::parse(d).ok());
    let mut compilations: Vec<String> = record
        .appearances
        .iter()
        .map(|a| a.compilation.clone())
        .collect();
    compilations.sort();
    compilations.dedup();
    RecordRow {
        id: &record.id,
        kind: record.kind,
        title: record.title.as_deref(),
        date: record.date.as_deref(),
        date_start: bounds.as_ref().and_then(|b| b.start),
        date_end: bounds.as_ref().and_then(|b| b.end),
        date_precision: bounds.as_ref().and_then(|b| b.precision),
        date_absent_reason: record.date_absent_reason.as_deref(),
        body_id: &record.body,
        body: body.map_or(record.body.as_str(), |b| b.name.as_str()),
        authors: &record.authors,
        place: record.place.as_deref(),
        language: &record.language,
        original_language: record.original_language.as_deref(),
        text_status: record.text_status,
        text: record.text.as_deref(),
        source_urls: &record.source_urls,
        part_of: record.part_of.as_deref(),
        notes: &record.notes,
        outside_notes: &record.outside_notes,
        compilations,
        appearance_count: int32(record.appearances.len()),
    }
}
