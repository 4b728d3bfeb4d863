//! The appearances table: one row per printing of a record, with what its alignment proved.

use anyhow::Result;

use super::{Coverage, PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Bool, Int32, ListUtf8, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::{Record, TextStatus};

pub struct Appearances;

impl Table for Appearances {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record {
                record, coverage, ..
            } => push_all(rows(record, coverage), push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    let statuses: Vec<&str> = TextStatus::ALL.iter().map(|s| s.as_str()).collect();
    TableSpec {
        name: "appearances".into(),
        description: "One row per printing of a record in a compilation: where it stands, how it is headed and dated, and whether its text differs from the record's.".into(),
        columns: vec![
            Column::new("record_id", Utf8, false, "The record printed."),
            Column::new("appearance", Int32, false, "Number of this printing within the record (1-based, in the record's order)."),
            Column::new("compilation_id", Utf8, false, "The compilation (compilations table)."),
            Column::new("section", Utf8, false, "The compilation's section heading, as printed."),
            Column::new("line_start", Int32, false, "First line of the printing in the compilation's transcription (1-based)."),
            Column::new("line_end", Int32, false, "Last line of the printing (inclusive)."),
            Column::new("heading", Utf8, true, "The printing's heading lines as printed, joined with \" / \"."),
            Column::new("date_as_printed", Utf8, true, "The date (and place) as this printing gives it."),
            Column::new("text_status", Utf8, false, "How fully this printing gives the document: the record's text_status unless this printing differs (e.g. a list line that only mentions it).").allowed(&statuses),
            Column::new("differs_from_record_text", Bool, false, "Whether this printing's text differs from the record's text."),
            Column::new("text", Utf8, true, "This printing's own text, when it differs from the record's."),
            Column::new("emendation_count", Int32, false, "How many repairs of conversion damage this printing's text carries (emendations table)."),
            Column::new("layout_lines", ListUtf8, false, "Line ranges (\"first-last\") inside the span that are layout, not text."),
            Column::new("compiler_notes", ListUtf8, false, "Notes the compilers added to this printing, as printed."),
            Column::new("note", Utf8, true, "Curators' note about this printing."),
            Column::new("layout_tokens", ListUtf8, false, "Single printed tokens inside the span declared as layout, as \"line:token\" (with \" [suffix]\" when only a glued end of the token is layout) and their kind, e.g. \"660:12 page_number\"."),
            Column::new("tokens_in_span", Int32, false, "Printed tokens (whitespace-separated words) in the span. For a printing with text, tokens_text + tokens_heading + tokens_layout + tokens_omitted = tokens_in_span: every printed token is accounted for."),
            Column::new("tokens_text", Int32, false, "Printed tokens matched, in order, by the printing's text or the record's parallel texts."),
            Column::new("tokens_heading", Int32, false, "Printed tokens matched by the printing's heading."),
            Column::new("tokens_layout", Int32, false, "Printed tokens on layout lines or declared as layout tokens."),
            Column::new("tokens_omitted", Int32, false, "Printed tokens inside declared omissions (omissions table)."),
            Column::new("glued_markers", Int32, false, "Footnote markers glued to matched words and declared as layout suffixes."),
            Column::new("words_lacking", Int32, false, "Words in passages of five or more words that another printing of the record prints and this one lacks (the most against any one printing); computed by a word diff of the two texts, 0 when none."),
        ],
        primary_key: keys(&["record_id", "appearance"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"]), ForeignKey::new(&["compilation_id"], "compilations", &["id"])],
    }
}

/// One printing of a record.
pub struct AppearanceRow<'a> {
    pub record_id: &'a str,
    pub appearance: i32,
    pub compilation_id: &'a str,
    pub section: &'a str,
    pub line_start: i32,
    pub line_end: i32,
    pub heading: Option<&'a str>,
    pub date_as_printed: Option<&'a str>,
    pub text_status: TextStatus,
    pub differs_from_record_text: bool,
    /// The printing's own text, only when it differs from the record's.
    pub text: Option<&'a str>,
    pub emendation_count: i32,
    /// "first-last" of each layout line range.
    pub layout_lines: Vec<String>,
    pub compiler_notes: &'a [String],
    pub note: Option<&'a str>,
    /// "line:token kind", or "line:token \[suffix\] kind" when only a glued end is layout.
    pub layout_tokens: Vec<String>,
    pub tokens_in_span: i32,
    pub tokens_text: i32,
    pub tokens_heading: i32,
    pub tokens_layout: i32,
    pub tokens_omitted: i32,
    pub glued_markers: i32,
    pub words_lacking: i32,
}

impl TableRow for AppearanceRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.int("appearance", Some(self.appearance));
        out.text("compilation_id", Some(self.compilation_id));
        out.text("section", Some(self.section));
        out.int("line_start", Some(self.line_start));
        out.int("line_end", Some(self.line_end));
        out.text("heading", self.heading);
        out.text("date_as_printed", self.date_as_printed);
        out.text("text_status", Some(self.text_status.as_str()));
        out.bool("differs_from_record_text", self.differs_from_record_text);
        out.text("text", self.text);
        out.int("emendation_count", Some(self.emendation_count));
        out.texts("layout_lines", &self.layout_lines);
        out.texts("compiler_notes", self.compiler_notes);
        out.text("note", self.note);
        out.texts("layout_tokens", &self.layout_tokens);
        out.int("tokens_in_span", Some(self.tokens_in_span));
        out.int("tokens_text", Some(self.tokens_text));
        out.int("tokens_heading", Some(self.tokens_heading));
        out.int("tokens_layout", Some(self.tokens_layout));
        out.int("tokens_omitted", Some(self.tokens_omitted));
        out.int("glued_markers", Some(self.glued_markers));
        out.int("words_lacking", Some(self.words_lacking));
    }
}

/// The printings of `record` in its order, with `coverage[i]` proved of printing i (zero counts
/// when missing).
pub fn rows<'a>(
    record: &'a Record,
    coverage: &'a [Coverage],
) -> impl Iterator<Item = AppearanceRow<'a>> {
    record.appearances.iter().enumerate().map(|(i, a)| {
        let differs = a
            .text
            .as_ref()
            .is_some_and(|t| Some(t) != record.text.as_ref());
        let proved = coverage.get(i).copied().unwrap_or_default();
        let counts = proved.counts;
        AppearanceRow {
            record_id: &record.id,
            appearance: int32(i + 1),
            compilation_id: &a.compilation,
            section: &a.section,
            line_start: int32(a.lines[0]),
            line_end: int32(a.lines[1]),
            heading: a.heading.as_deref(),
            date_as_printed: a.date_as_printed.as_deref(),
            text_status: record.appearance_status(a),
            differs_from_record_text: differs,
            text: if differs { a.text.as_deref() } else { None },
            emendation_count: int32(a.emendations.len()),
            layout_lines: a
                .layout_lines
                .iter()
                .map(|l| format!("{}-{}", l[0], l[1]))
                .collect(),
            compiler_notes: &a.compiler_notes,
            note: a.note.as_deref(),
            layout_tokens: a
                .layout_tokens
                .iter()
                .map(|t| match &t.suffix {
                    Some(sfx) => format!("{}:{} [{sfx}] {}", t.line, t.printed, t.kind.as_str()),
                    None => format!("{}:{} {}", t.line, t.printed, t.kind.as_str()),
                })
                .collect(),
            tokens_in_span: int32(counts.tokens),
            tokens_text: int32(counts.matched),
            tokens_heading: int32(counts.heading),
            tokens_layout: int32(counts.layout),
            tokens_omitted: int32(counts.omitted),
            glued_markers: int32(counts.glued_markers),
            words_lacking: int32(proved.words_lacking),
        }
    })
}
