//! The compilations table: the printed compilations the records are transcribed from.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Int32, Utf8};
use crate::export::table::{Column, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Compilation;

pub struct Compilations;

impl Table for Compilations {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Compilation {
                compilation,
                line_count,
            } => push_all([row(compilation, *line_count)], push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    TableSpec {
        name: "compilations".into(),
        description: "The printed compilations the records are transcribed from.".into(),
        columns: vec![
            Column::new("id", Utf8, false, "Stable compilation identifier."),
            Column::new("title", Utf8, true, "Title as printed."),
            Column::new("title_absent_reason", Utf8, true, "Why there is no title."),
            Column::new("publisher", Utf8, true, "Publisher as printed."),
            Column::new(
                "publisher_absent_reason",
                Utf8,
                true,
                "Why there is no publisher.",
            ),
            Column::new("place", Utf8, true, "Place of publication as printed."),
            Column::new("year", Utf8, true, "Year of publication as printed."),
            Column::new("description", Utf8, false, "What the compilation contains."),
            Column::new("language", Utf8, false, "BCP 47 tag of the main language."),
            Column::new(
                "transcription",
                Utf8,
                false,
                "File name of the transcription the line numbers refer to.",
            ),
            Column::new(
                "transcription_sha256",
                Utf8,
                false,
                "SHA-256 of the transcription file.",
            ),
            Column::new(
                "line_count",
                Int32,
                false,
                "Number of lines in the transcription.",
            ),
            Column::new(
                "transcription_note",
                Utf8,
                true,
                "What the transcription is and what damage it carries.",
            ),
        ],
        primary_key: keys(&["id"]),
        foreign_keys: vec![],
    }
}

/// One compilation.
pub struct CompilationRow<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub title_absent_reason: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub publisher_absent_reason: Option<&'a str>,
    pub place: Option<&'a str>,
    pub year: Option<&'a str>,
    pub description: &'a str,
    pub language: &'a str,
    pub transcription: &'a str,
    pub transcription_sha256: &'a str,
    pub line_count: i32,
    pub transcription_note: Option<&'a str>,
}

impl TableRow for CompilationRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("id", Some(self.id));
        out.text("title", self.title);
        out.text("title_absent_reason", self.title_absent_reason);
        out.text("publisher", self.publisher);
        out.text("publisher_absent_reason", self.publisher_absent_reason);
        out.text("place", self.place);
        out.text("year", self.year);
        out.text("description", Some(self.description));
        out.text("language", Some(self.language));
        out.text("transcription", Some(self.transcription));
        out.text("transcription_sha256", Some(self.transcription_sha256));
        out.int("line_count", Some(self.line_count));
        out.text("transcription_note", self.transcription_note);
    }
}

/// The row of compilation `c`, whose transcription has `line_count` lines.
pub fn row(c: &Compilation, line_count: u32) -> CompilationRow<'_> {
    CompilationRow {
        id: &c.id,
        title: c.title.as_deref(),
        title_absent_reason: c.title_absent_reason.as_deref(),
        publisher: c.publisher.as_deref(),
        publisher_absent_reason: c.publisher_absent_reason.as_deref(),
        place: c.place.as_deref(),
        year: c.year.as_deref(),
        description: &c.description,
        language: &c.language,
        transcription: &c.transcription,
        transcription_sha256: &c.transcription_sha256,
        line_count: int32(line_count),
        transcription_note: c.transcription_note.as_deref(),
    }
}
