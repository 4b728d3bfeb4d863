//! The claims table: one row per figure a record's text states, with its quote and attribution.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Date32, Int32, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;
use crate::model::claim::{self as claim_rules, Population, Quantity, Scope, SpeechMode};
use crate::model::edtf;
use crate::model::figure::Qualifier;

pub struct Claims;

impl Table for Claims {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record { record, quotes, .. } => push_all(rows(record, quotes), push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    let quantities: Vec<&str> = Quantity::ALL.iter().map(|q| q.as_str()).collect();
    let populations: Vec<&str> = Population::ALL.iter().map(|q| q.as_str()).collect();
    let scopes: Vec<&str> = Scope::ALL.iter().map(|q| q.as_str()).collect();
    let modes: Vec<&str> = SpeechMode::ALL.iter().map(|q| q.as_str()).collect();
    let qualifiers: Vec<&str> = Qualifier::ALL.iter().map(|q| q.as_str()).collect();
    TableSpec {
        name: "claims".into(),
        description: "One row per figure a record's text states: the quote, the figure as printed and the bounds its words allow, what and who it counts, and who the text says states it, in what mode. Statements, not findings: sources disagree and the dataset does not assess them.".into(),
        columns: vec![
            Column::new("claim_id", Utf8, false, "Stable id of the claim, `<record_id>#<id>`; never reused."),
            Column::new("record_id", Utf8, false, "The record whose text states the figure (records table)."),
            Column::new("appearance", Int32, true, "The printing (appearances table) whose own text states it, when that text differs from the record's; empty for the record's text."),
            Column::new("footnote", Int32, true, "The record's footnote (footnotes table, ordinal) whose text states it; empty for the record's text."),
            Column::new("quote", Utf8, false, "The clause stating the figure, exactly as in the text."),
            Column::new("quote_start", Int32, false, "Offset of the quote in the text, in characters (Unicode code points, 0-based): text[quote_start:quote_end] in Python is the quote."),
            Column::new("quote_end", Int32, false, "End offset of the quote in the text (exclusive), in characters."),
            Column::new("value_as_printed", Utf8, false, "The figure's words exactly as printed (`613`, `over 600`, `hundreds`)."),
            Column::new("value_low", Int32, true, "The lowest count the words allow, by the documented reading rules (CURATING.md); empty when the words give no lower bound (`up to 500`)."),
            Column::new("value_high", Int32, true, "The highest count the words allow; empty when the words give no upper bound (`over 600`)."),
            Column::new("qualifier", Utf8, true, "How the words qualify the figure, by the reading rules; empty when the curators gave the bounds because the rules cannot read the words.").allowed(&qualifiers),
            Column::new("quantity", Utf8, false, "What is counted.").allowed(&quantities),
            Column::new("quantity_as_printed", Utf8, true, "What is counted, in the text's words."),
            Column::new("population", Utf8, false, "Who is counted.").allowed(&populations),
            Column::new("population_as_printed", Utf8, true, "Who is counted, in the text's words."),
            Column::new("scope", Utf8, false, "Which events the figure is about, as the text frames it: the events at Khojaly of 25-26 February 1992, the conflict as a whole, or another event.").allowed(&scopes),
            Column::new("stated_by", Utf8, false, "Who the text says states the figure: `record_author` (the record's author or issuing body), a body id (bodies table), or a name as printed."),
            Column::new("stated_by_as_printed", Utf8, true, "Who states it, in the text's words."),
            Column::new("speech_mode", Utf8, false, "How the text states it: in its own voice, as reported speech, as a quotation, as a denial, or as someone's estimate.").allowed(&modes),
            Column::new("statement_date", Utf8, true, "Date of the statement (EDTF): the date the text gives for it, else the record's date."),
            Column::new("statement_date_start", Date32, true, "First day of statement_date."),
            Column::new("statement_date_end", Date32, true, "Last day of statement_date."),
            Column::new("note", Utf8, true, "Curators' note."),
        ],
        primary_key: keys(&["claim_id"]),
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"])],
    }
}

/// One figure a record's text states.
pub struct ClaimRow<'a> {
    /// `<record_id>#<id>`.
    pub claim_id: String,
    pub record_id: &'a str,
    pub appearance: Option<i32>,
    pub footnote: Option<i32>,
    pub quote: &'a str,
    pub quote_start: i32,
    pub quote_end: i32,
    pub value_as_printed: &'a str,
    /// Null when the bound is absent or beyond the column's range.
    pub value_low: Option<i32>,
    pub value_high: Option<i32>,
    pub qualifier: Option<Qualifier>,
    pub quantity: Quantity,
    pub quantity_as_printed: Option<&'a str>,
    pub population: Population,
    pub population_as_printed: Option<&'a str>,
    pub scope: Scope,
    pub stated_by: &'a str,
    pub stated_by_as_printed: Option<&'a str>,
    pub speech_mode: SpeechMode,
    /// The claim's own statement date, else the record's date.
    pub statement_date: Option<&'a str>,
    pub statement_date_start: Option<i32>,
    pub statement_date_end: Option<i32>,
    pub note: Option<&'a str>,
}

impl TableRow for ClaimRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("claim_id", Some(&self.claim_id));
        out.text("record_id", Some(self.record_id));
        out.int("appearance", self.appearance);
        out.int("footnote", self.footnote);
        out.text("quote", Some(self.quote));
        out.int("quote_start", Some(self.quote_start));
        out.int("quote_end", Some(self.quote_end));
        out.text("value_as_printed", Some(self.value_as_printed));
        out.int("value_low", self.value_low);
        out.int("value_high", self.value_high);
        out.text("qualifier", self.qualifier.map(Qualifier::as_str));
        out.text("quantity", Some(self.quantity.as_str()));
        out.text("quantity_as_printed", self.quantity_as_printed);
        out.text("population", Some(self.population.as_str()));
        out.text("population_as_printed", self.population_as_printed);
        out.text("scope", Some(self.scope.as_str()));
        out.text("stated_by", Some(self.stated_by));
        out.text("stated_by_as_printed", self.stated_by_as_printed);
        out.text("speech_mode", Some(self.speech_mode.as_str()));
        out.text("statement_date", self.statement_date);
        out.date("statement_date_start", self.statement_date_start);
        out.date("statement_date_end", self.statement_date_end);
        out.text("note", self.note);
    }
}

/// The claims of a record, in the order curated; `quotes` are where validation found each
/// claim's quote (a claim without one there is located here).
pub fn rows<'a>(
    record: &'a Record,
    quotes: &'a [Option<claim_rules::QuoteSpan>],
) -> impl Iterator<Item = ClaimRow<'a>> {
    record.claims.iter().enumerate().map(move |(k, c)| {
        let span = match quotes.get(k) {
            Some(found) => found.clone(),
            None => claim_rules::locate(record, c).ok(),
        };
        let (low, high, qualifier) = claim_rules::bounds(c);
        let date = c.statement_date.as_deref().or(record.date.as_deref());
        let bounds = date.and_then(|d| edtf::parse(d).ok());
        ClaimRow {
            claim_id: format!("{}#{}", record.id, c.id),
            record_id: &record.id,
            appearance: c.appearance.map(int32),
            footnote: c.footnote.map(int32),
            quote: &c.quote,
            quote_start: int32(span.as_ref().map_or(0, |s| s.chars.start)),
            quote_end: int32(span.as_ref().map_or(0, |s| s.chars.end)),
            value_as_printed: &c.value,
            value_low: low.and_then(|v| i32::try_from(v).ok()),
            value_high: high.and_then(|v| i32::try_from(v).ok()),
            qualifier,
            quantity: c.quantity,
            quantity_as_printed: c.quantity_as_printed.as_deref(),
            population: c.population,
            population_as_printed: c.population_as_printed.as_deref(),
            scope: c.scope,
            stated_by: &c.stated_by,
            stated_by_as_printed: c.stated_by_as_printed.as_deref(),
            speech_mode: c.speech_mode,
            statement_date: date,
            statement_date_start: bounds.as_ref().and_then(|b| b.start),
            statement_date_end: bounds.as_ref().and_then(|b| b.end),
            note: c.note.as_deref(),
        }
    })
}
