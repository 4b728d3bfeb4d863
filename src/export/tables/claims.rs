//! The claims table: one row per figure a record's text states, with its quote and attribution.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Bool, Date32, Int32, Int64, ListUtf8, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;
use crate::model::claim::{self as claim_rules, Population, Quantity, Scope, SpeechMode, TextRef};
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
        description: "One row per figure a record's text or title states: the quote, the figure as printed and the bounds its words allow, what and who it counts, who the text presents as stating it and through whom it reaches the record, in what mode. Statements, not findings: sources disagree and the dataset does not assess them.".into(),
        columns: vec![
            Column::new("claim_id", Utf8, false, "Stable id of the claim, `<record_id>#<id>`; never reused."),
            Column::new("record_id", Utf8, false, "The record whose text states the figure (records table)."),
            Column::new("appearance", Int32, true, "The printing (appearances table) whose own text states it, when that text differs from the record's; empty for the record's text."),
            Column::new("footnote", Int32, true, "The record's footnote (footnotes table, ordinal) whose text states it; empty for the record's text."),
            Column::new("located_in", Utf8, false, "Which text the quote is in: the record's `text`, its `title` (a headline or heading), a printing's own text (`appearance_text`) or a `footnote`.").allowed(&["text", "title", "appearance_text", "footnote"]),
            Column::new("quote", Utf8, false, "The clause stating the figure, exactly as in the text."),
            Column::new("quote_start", Int32, false, "Offset of the quote in the text, in characters (Unicode code points, 0-based): text[quote_start:quote_end] in Python is the quote."),
            Column::new("quote_end", Int32, false, "End offset of the quote in the text (exclusive), in characters."),
            Column::new("value_as_printed", Utf8, false, "The figure's words exactly as printed (`613`, `over 600`, `hundreds`)."),
            Column::new("value_low", Int64, true, "The lowest number the words allow, in `unit`, by the documented reading rules (CURATING.md); empty when the words give no lower bound (`up to 500`)."),
            Column::new("value_high", Int64, true, "The highest number the words allow, in `unit`; empty when the words give no upper bound (`over 600`)."),
            Column::new("qualifier", Utf8, false, "How the words qualify the figure, by the reading rules, or as curated where the rules cannot read the words (qualifier_source).").allowed(&qualifiers),
            Column::new("qualifier_source", Utf8, false, "`rules` when the reading rules gave the qualifier, `curated` when the curators gave it with a reason (in the record file).").allowed(&["rules", "curated"]),
            Column::new("unit", Utf8, false, "What the number counts in: persons, families, households, buildings, percent, one_in_n, ..., or an ISO 4217 currency code."),
            Column::new("quantity", Utf8, false, "What is counted.").allowed(&quantities),
            Column::new("quantity_as_printed", Utf8, true, "What is counted, in the text's words."),
            Column::new("population", Utf8, false, "Who is counted.").allowed(&populations),
            Column::new("population_as_printed", Utf8, true, "Who is counted, in the text's words."),
            Column::new("scope", Utf8, false, "Which events the figure is about, as the text frames it: the event the corpus is about (subject_event), the wider conflict or situation it belongs to (wider_context), or another event (other_event); the dataset card names the first two.").allowed(&scopes),
            Column::new("is_total", Bool, false, "False when the figure is a sub-count of a larger count (one cause, one family, one group); true for a total."),
            Column::new("part_of_claim", Utf8, true, "The claim stating the total a sub-count is part of (claim_id), where a text gives it."),
            Column::new("stated_by", Utf8, false, "The agent (agents table) the text presents as stating the figure: a testimony's witness, a remark's speaker, an official quoted by a newspaper, or the record's author or issuer in its own voice."),
            Column::new("stated_by_as_printed", Utf8, true, "Who states it, in the text's words."),
            Column::new("reported_by", Utf8, true, "The agent (agents table) through whom the statement reaches the record: the record's issuer (outlet, NGO, chamber, compilers), when it is not the stater."),
            Column::new("relay_chain", ListUtf8, false, "Every agent through whom the statement passes, from the stater outwards, ending with reported_by; empty when the stater is the record's issuer."),
            Column::new("speech_mode", Utf8, false, "How the text states it: in its own voice, as reported speech, as a quotation, as a denial, or as someone's estimate.").allowed(&modes),
            Column::new("statement_group", Utf8, false, "One id (a claim_id) for the same printed statement wherever it recurs (another printing, the same passage quoted in another record): count distinct statement_group to count statements once."),
            Column::new("statement_date", Utf8, true, "Date of the statement (EDTF): the date the text gives for it, else the record's date (statement_date_source); empty when neither gives one."),
            Column::new("statement_date_source", Utf8, true, "`text` when the text dates the statement, `record` when it is the record's date; empty when there is no date.").allowed(&["text", "record"]),
            Column::new("statement_date_start", Date32, true, "First day of statement_date."),
            Column::new("statement_date_end", Date32, true, "Last day of statement_date."),
            Column::new("note", Utf8, true, "Curators' note."),
        ],
        primary_key: keys(&["claim_id"]),
        foreign_keys: vec![
            ForeignKey::new(&["record_id"], "records", &["id"]),
            ForeignKey::new(&["stated_by"], "agents", &["agent_id"]),
            ForeignKey::new(&["reported_by"], "agents", &["agent_id"]),
            ForeignKey::new(&["part_of_claim"], "claims", &["claim_id"]),
            ForeignKey::new(&["statement_group"], "claims", &["claim_id"]),
        ],
    }
}

/// One figure a record's text states.
pub struct ClaimRow<'a> {
    /// `<record_id>#<id>`.
    pub claim_id: String,
    pub record_id: &'a str,
    pub appearance: Option<i32>,
    pub footnote: Option<i32>,
    pub located_in: &'static str,
    pub quote: &'a str,
    pub quote_start: i32,
    pub quote_end: i32,
    pub value_as_printed: &'a str,
    /// Null when the bound is absent or beyond the column's range.
    pub value_low: Option<i64>,
    pub value_high: Option<i64>,
    pub qualifier: Option<Qualifier>,
    pub qualifier_curated: bool,
    pub unit: Option<&'a str>,
    pub quantity: Quantity,
    pub quantity_as_printed: Option<&'a str>,
    pub population: Population,
    pub population_as_printed: Option<&'a str>,
    pub scope: Scope,
    pub is_total: bool,
    pub part_of_claim: Option<String>,
    /// The resolved agent id.
    pub stated_by: &'a str,
    pub stated_by_as_printed: Option<&'a str>,
    pub reported_by: Option<&'a str>,
    pub relay_chain: Vec<String>,
    pub speech_mode: SpeechMode,
    pub statement_group: String,
    /// The claim's own statement date, else the record's date.
    pub statement_date: Option<&'a str>,
    pub statement_date_source: Option<&'static str>,
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
        out.text("located_in", Some(self.located_in));
        out.text("quote", Some(self.quote));
        out.int("quote_start", Some(self.quote_start));
        out.int("quote_end", Some(self.quote_end));
        out.text("value_as_printed", Some(self.value_as_printed));
        out.int64("value_low", self.value_low);
        out.int64("value_high", self.value_high);
        out.text("qualifier", self.qualifier.map(Qualifier::as_str));
        out.text(
            "qualifier_source",
            Some(if self.qualifier_curated {
                "curated"
            } else {
                "rules"
            }),
        );
        out.text("unit", self.unit);
        out.text("quantity", Some(self.quantity.as_str()));
        out.text("quantity_as_printed", self.quantity_as_printed);
        out.text("population", Some(self.population.as_str()));
        out.text("population_as_printed", self.population_as_printed);
        out.text("scope", Some(self.scope.as_str()));
        out.bool("is_total", self.is_total);
        out.text("part_of_claim", self.part_of_claim.as_deref());
        out.text("stated_by", Some(self.stated_by));
        out.text("stated_by_as_printed", self.stated_by_as_printed);
        out.text("reported_by", self.reported_by);
        out.texts("relay_chain", &self.relay_chain);
        out.text("speech_mode", Some(self.speech_mode.as_str()));
        out.text("statement_group", Some(&self.statement_group));
        out.text("statement_date", self.statement_date);
        out.text("statement_date_source", self.statement_date_source);
        out.date("statement_date_start", self.statement_date_start);
        out.date("statement_date_end", self.statement_date_end);
        out.text("note", self.note);
    }
}

/// The full claim id a claim reference names (`c3` in `record_id`, or `<record-id>#c3`).
pub fn full_claim_id(record_id: &str, reference: &str) -> String {
    let (record, claim) = claim_rules::split_claim_ref(record_id, reference);
    format!("{record}#{claim}")
}

/// The claims of a record, in the order curated; `quotes` are where validation found each
/// claim's quote (a claim without one there is located here). `stated_by` is an agent id here:
/// the `record_author` shorthand is resolved when a record leaves validation.
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
        let (date, date_source) = match (&c.statement_date, &record.date) {
            (Some(d), _) => (Some(d.as_str()), Some("text")),
            (None, Some(d)) => (Some(d.as_str()), Some("record")),
            (None, None) => (None, None),
        };
        let bounds = date.and_then(|d| edtf::parse(d).ok());
        let stated_by = c.stated_by.as_str();
        let reported_by = (stated_by != record.body).then_some(record.body.as_str());
        let relay_chain: Vec<String> = c
            .relayed_by
            .iter()
            .map(String::as_str)
            .chain(reported_by)
            .map(String::from)
            .collect();
        let claim_id = format!("{}#{}", record.id, c.id);
        let statement_group = match &c.same_statement_as {
            Some(r) => full_claim_id(&record.id, r),
            None => claim_id.clone(),
        };
        ClaimRow {
            claim_id,
            record_id: &record.id,
            appearance: c.appearance.map(int32),
            footnote: c.footnote.map(int32),
            located_in: match c.text_ref() {
                TextRef::Record => "text",
                TextRef::Title => "title",
                TextRef::Appearance(_) => "appearance_text",
                TextRef::Footnote(_) => "footnote",
            },
            quote: &c.quote,
            quote_start: int32(span.as_ref().map_or(0, |s| s.chars.start)),
            quote_end: int32(span.as_ref().map_or(0, |s| s.chars.end)),
            value_as_printed: &c.value,
            value_low: low.and_then(|v| i64::try_from(v).ok()),
            value_high: high.and_then(|v| i64::try_from(v).ok()),
            qualifier,
            qualifier_curated: c.qualifier.is_some(),
            unit: claim_rules::unit(c),
            quantity: c.quantity,
            quantity_as_printed: c.quantity_as_printed.as_deref(),
            population: c.population,
            population_as_printed: c.population_as_printed.as_deref(),
            scope: c.scope,
            is_total: c.is_total.unwrap_or(true),
            part_of_claim: c
                .part_of_claim
                .as_deref()
                .map(|r| full_claim_id(&record.id, r)),
            stated_by,
            stated_by_as_printed: c.stated_by_as_printed.as_deref(),
            reported_by,
            relay_chain,
            speech_mode: c.speech_mode,
            statement_group,
            statement_date: date,
            statement_date_source: date_source,
            statement_date_start: bounds.as_ref().and_then(|b| b.start),
            statement_date_end: bounds.as_ref().and_then(|b| b.end),
            note: c.note.as_deref(),
        }
    })
}
