//! The release tables and how each record becomes rows in them.

use serde_json::Value;

use super::table::{Cell, Column, ColumnType, ForeignKey, Row, TableSpec};
use crate::compare::{self, Nature};
use crate::model::claim as claim_rules;
use crate::model::claim::{Population, Quantity, Scope, SpeechMode};
use crate::model::edtf;
use crate::model::figure::Qualifier;
use crate::model::record::OmissionReason;
use crate::model::schema::{enum_values, kind_fields_schema};
use crate::model::{Body, Compilation, Kind, Record, TextStatus};

use ColumnType::{Bool, Date32, Int32, ListUtf8, Utf8};

fn fk(columns: &[&str], table: &str, reference: &[&str]) -> ForeignKey {
    ForeignKey {
        columns: columns.iter().map(|s| s.to_string()).collect(),
        table: table.into(),
        reference: reference.iter().map(|s| s.to_string()).collect(),
    }
}

fn keys(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| s.to_string()).collect()
}

pub fn records_spec() -> TableSpec {
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
                "Id of the issuing body (bodies table).",
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
            fk(&["body_id"], "bodies", &["id"]),
            fk(&["part_of"], "records", &["id"]),
        ],
    }
}

pub fn appearances_spec() -> TableSpec {
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"]), fk(&["compilation_id"], "compilations", &["id"])],
    }
}

pub fn claims_spec() -> TableSpec {
    let values = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let quantities: Vec<&str> = Quantity::ALL.iter().map(|q| q.as_str()).collect();
    let populations: Vec<&str> = Population::ALL.iter().map(|q| q.as_str()).collect();
    let scopes: Vec<&str> = Scope::ALL.iter().map(|q| q.as_str()).collect();
    let modes: Vec<&str> = SpeechMode::ALL.iter().map(|q| q.as_str()).collect();
    let qualifiers: Vec<&str> = Qualifier::ALL.iter().map(|q| q.as_str()).collect();
    let _ = values;
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"])],
    }
}

pub fn omissions_spec() -> TableSpec {
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"]), fk(&["other_record_id"], "records", &["id"])],
    }
}

pub fn emendations_spec() -> TableSpec {
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"])],
    }
}

pub fn footnotes_spec() -> TableSpec {
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"])],
    }
}

pub fn parallel_texts_spec() -> TableSpec {
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
        foreign_keys: vec![fk(&["record_id"], "records", &["id"])],
    }
}

pub fn variants_spec() -> TableSpec {
    let natures: Vec<&str> = Nature::ALL.iter().map(|n| n.as_str()).collect();
    TableSpec {
        name: "variants".into(),
        description: "Where two printings of one document differ, computed by a word-level diff of their texts (never typed by hand): the printing that gives the record text (A) against each printing with its own text in another compilation (B). The flags are a heuristic classification of each passage.".into(),
        columns: vec![
            Column::new("record_id", Utf8, false, "The record whose printings are compared."),
            Column::new("appearance_a", Int32, false, "Printing A: the first appearance with text (appearances table)."),
            Column::new("compilation_a", Utf8, false, "Compilation of printing A."),
            Column::new("appearance_b", Int32, false, "Printing B: an appearance in another compilation whose text differs."),
            Column::new("compilation_b", Utf8, false, "Compilation of printing B."),
            Column::new("variant", Int32, false, "Number of this passage within the pair (1-based, in text order)."),
            Column::new("word_a", Int32, false, "Position of the passage's first word in A's text (1-based, words separated by whitespace)."),
            Column::new("word_b", Int32, false, "Position of the passage's first word in B's text."),
            Column::new("context_a", Utf8, true, "Up to six words of A just before the passage, to find it; null at the start of the text."),
            Column::new("passage_a", Utf8, true, "The passage as A prints it; null when only B has it."),
            Column::new("passage_b", Utf8, true, "The passage as B prints it; null when only A has it."),
            Column::new("nature", Utf8, false, "typography: only quotation marks, dashes, hyphens, spacing, case or punctuation differ; spelling: the words differ by a few letters; wording: different words; only_in_a / only_in_b: words one printing lacks.").allowed(&natures),
            Column::new("changes_number", Bool, false, "The passages give different numbers (digits or number words). False for typography."),
            Column::new("changes_date", Bool, false, "The passages give different months, weekdays, years or relative days. False for typography."),
            Column::new("changes_name", Bool, false, "The passages give different capitalised words not at a sentence start (names of persons, places, bodies), spelling included. False for typography."),
            Column::new("changes_attribution", Bool, false, "The difference may change who said or reported something: a passage contains a word such as said, told, claimed, according, reported, or a changed name stands within three words of one. False for typography."),
        ],
        primary_key: keys(&["record_id", "appearance_a", "appearance_b", "variant"]),
        foreign_keys: vec![fk(&["record_id"], "records", &["id"])],
    }
}

/// The variants rows of one record: the first printing with text against every printing with
/// its own, different text in another compilation. Printings within one compilation are other
/// excerpts of the document (e.g. articles quoted in different places), not rival printings.
pub fn variant_rows(record: &Record) -> Vec<Row> {
    let with_text: Vec<(usize, &str, &str)> = record
        .appearances
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            record
                .appearance_text(a)
                .map(|t| (i + 1, a.compilation.as_str(), t))
        })
        .collect();
    let Some(&(n_a, comp_a, text_a)) = with_text.first() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for &(n_b, comp_b, text_b) in with_text.get(1..).unwrap_or_default() {
        if comp_b == comp_a {
            continue;
        }
        for (k, p) in compare::passages(text_a, text_b).into_iter().enumerate() {
            let opt = |s: String| {
                if s.is_empty() {
                    Cell::Null
                } else {
                    Cell::Str(s)
                }
            };
            rows.push(vec![
                record.id.as_str().into(),
                Cell::int(n_a),
                comp_a.into(),
                Cell::int(n_b),
                comp_b.into(),
                Cell::int(k + 1),
                Cell::int(p.word_a),
                Cell::int(p.word_b),
                opt(p.context),
                opt(p.a),
                opt(p.b),
                p.nature.as_str().into(),
                Cell::Bool(p.changes_number),
                Cell::Bool(p.changes_date),
                Cell::Bool(p.changes_name),
                Cell::Bool(p.changes_attribution),
            ]);
        }
    }
    rows
}

pub fn bodies_spec() -> TableSpec {
    TableSpec {
        name: "bodies".into(),
        description:
            "Issuing bodies: outlets, organisations, legislatures, offices, courts and compilers."
                .into(),
        columns: vec![
            Column::new("id", Utf8, false, "Stable body identifier."),
            Column::new("name", Utf8, false, "The name as usually written."),
            Column::new("type", Utf8, false, "What sort of body."),
            Column::new(
                "country",
                Utf8,
                true,
                "ISO 3166 code of the country or subdivision.",
            ),
            Column::new(
                "aliases",
                ListUtf8,
                false,
                "Other spellings of the name as printed in the sources.",
            ),
            Column::new("parent", Utf8, true, "Id of the body this one is part of."),
            Column::new("note", Utf8, true, "Curators' note."),
        ],
        primary_key: keys(&["id"]),
        foreign_keys: vec![fk(&["parent"], "bodies", &["id"])],
    }
}

pub fn compilations_spec() -> TableSpec {
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

/// The table of a kind's own fields: `id` plus every field of `[<kind>]`.
pub fn kind_spec(kind: Kind) -> TableSpec {
    let schema = kind_fields_schema(kind);
    let mut columns = vec![Column::new(
        "id",
        Utf8,
        false,
        "The record (records table).",
    )];
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let description = prop
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let is_array = prop.get("type") == Some(&Value::String("array".into()));
            let mut col = if is_array {
                Column::new(name, ListUtf8, false, description)
            } else {
                Column::new(name, Utf8, true, description)
            };
            col.allowed = enum_values(&schema, prop);
            columns.push(col);
        }
    }
    TableSpec {
        name: kind.as_str().into(),
        description: format!(
            "Fields particular to `{}` records. {}",
            kind.as_str(),
            kind.description()
        ),
        columns,
        primary_key: keys(&["id"]),
        foreign_keys: vec![fk(&["id"], "records", &["id"])],
    }
}

/// The field names of a kind table in schema order (what `kind_spec` uses after `id`).
fn kind_row(record: &Record, spec: &TableSpec) -> Row {
    let fields = record.kind_fields();
    spec.columns
        .iter()
        .map(|c| {
            if c.name == "id" {
                return Cell::Str(record.id.clone());
            }
            match fields.get(&c.name) {
                Some(Value::String(s)) => Cell::Str(s.clone()),
                Some(Value::Array(items)) => Cell::List(
                    items
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                ),
                Some(Value::Null) | None if c.ty == ListUtf8 => Cell::List(Vec::new()),
                _ => Cell::Null,
            }
        })
        .collect()
}

/// Every row one record contributes, table by table.
pub struct RecordRows {
    pub record: Row,
    pub kind: (Kind, Row),
    pub appearances: Vec<Row>,
    pub emendations: Vec<Row>,
    pub omissions: Vec<Row>,
    pub claims: Vec<Row>,
    pub footnotes: Vec<Row>,
    pub parallel_texts: Vec<Row>,
    pub variants: Vec<Row>,
}

pub use crate::compare::printing::Coverage;

pub fn record_rows(
    record: &Record,
    body: Option<&Body>,
    kind_spec: &TableSpec,
    coverage: &[Coverage],
) -> RecordRows {
    let bounds = record.date.as_deref().and_then(|d| edtf::parse(d).ok());
    let precision = bounds.as_ref().and_then(|b| b.precision).map(|p| match p {
        edtf::Precision::Year => "year",
        edtf::Precision::Season => "season",
        edtf::Precision::Month => "month",
        edtf::Precision::Day => "day",
    });
    let mut compilations: Vec<String> = record
        .appearances
        .iter()
        .map(|a| a.compilation.clone())
        .collect();
    compilations.sort();
    compilations.dedup();
    let row = vec![
        record.id.as_str().into(),
        record.kind.as_str().into(),
        (&record.title).into(),
        (&record.date).into(),
        bounds
            .as_ref()
            .and_then(|b| b.start)
            .map(Cell::Date)
            .unwrap_or(Cell::Null),
        bounds
            .as_ref()
            .and_then(|b| b.end)
            .map(Cell::Date)
            .unwrap_or(Cell::Null),
        precision.map(Cell::from).unwrap_or(Cell::Null),
        (&record.date_absent_reason).into(),
        record.body.as_str().into(),
        body.map(|b| Cell::Str(b.name.clone()))
            .unwrap_or_else(|| record.body.as_str().into()),
        record.authors.as_slice().into(),
        (&record.place).into(),
        record.language.as_str().into(),
        (&record.original_language).into(),
        record.text_status.as_str().into(),
        (&record.text).into(),
        record.source_urls.as_slice().into(),
        (&record.part_of).into(),
        record.notes.as_slice().into(),
        record.outside_notes.as_slice().into(),
        Cell::List(compilations),
        Cell::int(record.appearances.len()),
    ];
    let mut appearances = Vec::new();
    let mut emendations = Vec::new();
    let mut omissions = Vec::new();
    for (i, a) in record.appearances.iter().enumerate() {
        let n = i32::try_from(i + 1).unwrap_or(i32::MAX);
        let differs = a
            .text
            .as_ref()
            .is_some_and(|t| Some(t) != record.text.as_ref());
        appearances.push(vec![
            record.id.as_str().into(),
            Cell::Int(n),
            a.compilation.as_str().into(),
            a.section.as_str().into(),
            Cell::int(a.lines[0]),
            Cell::int(a.lines[1]),
            (&a.heading).into(),
            (&a.date_as_printed).into(),
            record.appearance_status(a).as_str().into(),
            Cell::Bool(differs),
            if differs {
                (&a.text).into()
            } else {
                Cell::Null
            },
            Cell::int(a.emendations.len()),
            Cell::List(
                a.layout_lines
                    .iter()
                    .map(|l| format!("{}-{}", l[0], l[1]))
                    .collect(),
            ),
            a.compiler_notes.as_slice().into(),
            (&a.note).into(),
            Cell::List(
                a.layout_tokens
                    .iter()
                    .map(|t| match &t.suffix {
                        Some(sfx) => {
                            format!("{}:{} [{sfx}] {}", t.line, t.printed, t.kind.as_str())
                        }
                        None => format!("{}:{} {}", t.line, t.printed, t.kind.as_str()),
                    })
                    .collect(),
            ),
        ]);
        let cov = coverage.get(i).copied().unwrap_or_default();
        let c = cov.counts;
        if let Some(row) = appearances.last_mut() {
            row.extend(
                [
                    c.tokens,
                    c.matched,
                    c.heading,
                    c.layout,
                    c.omitted,
                    c.glued_markers,
                    cov.words_lacking,
                ]
                .map(|v| Cell::Int(i32::try_from(v).unwrap_or(i32::MAX))),
            );
        }
        for (k, o) in a.omissions.iter().enumerate() {
            omissions.push(vec![
                record.id.as_str().into(),
                Cell::Int(n),
                Cell::int(k + 1),
                o.lines.map(|l| Cell::int(l[0])).unwrap_or(Cell::Null),
                o.lines.map(|l| Cell::int(l[1])).unwrap_or(Cell::Null),
                (&o.printed).into(),
                o.reason.as_str().into(),
                (&o.record).into(),
                (&o.note).into(),
            ]);
        }
        for (k, e) in a.emendations.iter().enumerate() {
            emendations.push(vec![
                record.id.as_str().into(),
                Cell::Str(format!("appearance {n}")),
                Cell::int(k + 1),
                e.printed.as_str().into(),
                e.reads.as_str().into(),
                e.occurrence.map(Cell::int).unwrap_or(Cell::Null),
            ]);
        }
    }
    let mut parallel_texts = Vec::new();
    for p in &record.parallel_texts {
        let role = match p.role {
            crate::model::record::ParallelRole::Original => "original",
            crate::model::record::ParallelRole::Translation => "translation",
        };
        parallel_texts.push(vec![
            record.id.as_str().into(),
            p.language.as_str().into(),
            role.into(),
            p.text.as_str().into(),
        ]);
        for (k, e) in p.emendations.iter().enumerate() {
            emendations.push(vec![
                record.id.as_str().into(),
                Cell::Str(format!("parallel_text {}", p.language)),
                Cell::int(k + 1),
                e.printed.as_str().into(),
                e.reads.as_str().into(),
                e.occurrence.map(Cell::int).unwrap_or(Cell::Null),
            ]);
        }
    }
    let footnotes = record
        .footnotes
        .iter()
        .enumerate()
        .map(|(k, f)| {
            vec![
                record.id.as_str().into(),
                Cell::int(k + 1),
                f.marker.as_str().into(),
                f.text.as_str().into(),
            ]
        })
        .collect();
    RecordRows {
        record: row,
        kind: (record.kind, kind_row(record, kind_spec)),
        appearances,
        emendations,
        omissions,
        claims: claim_rows(record),
        footnotes,
        parallel_texts,
        variants: variant_rows(record),
    }
}

/// The claims of a record, in the order curated.
pub fn claim_rows(record: &Record) -> Vec<Row> {
    let int = |v: Option<u64>| {
        v.and_then(|v| i32::try_from(v).ok())
            .map(Cell::Int)
            .unwrap_or(Cell::Null)
    };
    record
        .claims
        .iter()
        .map(|c| {
            let span = claim_rules::locate(record, c).ok();
            let (low, high, qualifier) = claim_rules::bounds(c);
            let date = c.statement_date.clone().or_else(|| record.date.clone());
            let bounds = date.as_deref().and_then(|d| edtf::parse(d).ok());
            vec![
                Cell::Str(format!("{}#{}", record.id, c.id)),
                record.id.as_str().into(),
                c.appearance.map(Cell::int).unwrap_or(Cell::Null),
                c.footnote.map(Cell::int).unwrap_or(Cell::Null),
                c.quote.as_str().into(),
                Cell::int(span.as_ref().map(|s| s.chars.start).unwrap_or(0)),
                Cell::int(span.as_ref().map(|s| s.chars.end).unwrap_or(0)),
                c.value.as_str().into(),
                int(low),
                int(high),
                qualifier
                    .map(|q| Cell::from(q.as_str()))
                    .unwrap_or(Cell::Null),
                c.quantity.as_str().into(),
                (&c.quantity_as_printed).into(),
                c.population.as_str().into(),
                (&c.population_as_printed).into(),
                c.scope.as_str().into(),
                c.stated_by.as_str().into(),
                (&c.stated_by_as_printed).into(),
                c.speech_mode.as_str().into(),
                date.into(),
                bounds
                    .as_ref()
                    .and_then(|b| b.start)
                    .map(Cell::Date)
                    .unwrap_or(Cell::Null),
                bounds
                    .as_ref()
                    .and_then(|b| b.end)
                    .map(Cell::Date)
                    .unwrap_or(Cell::Null),
                (&c.note).into(),
            ]
        })
        .collect()
}

pub fn body_row(b: &Body) -> Row {
    let ty = serde_json::to_value(b.body_type)
        .ok()
        .and_then(|v| v.as_str().map(String::from));
    vec![
        b.id.as_str().into(),
        b.name.as_str().into(),
        ty.into(),
        (&b.country).into(),
        b.aliases.as_slice().into(),
        (&b.parent).into(),
        (&b.note).into(),
    ]
}

pub fn compilation_row(c: &Compilation, line_count: u32) -> Row {
    vec![
        c.id.as_str().into(),
        (&c.title).into(),
        (&c.title_absent_reason).into(),
        (&c.publisher).into(),
        (&c.publisher_absent_reason).into(),
        (&c.place).into(),
        (&c.year).into(),
        c.description.as_str().into(),
        c.language.as_str().into(),
        c.transcription.as_str().into(),
        c.transcription_sha256.as_str().into(),
        Cell::int(line_count),
        (&c.transcription_note).into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_tables_have_id_first_and_typed_enums() {
        let spec = kind_spec(Kind::MediaItem);
        assert_eq!(spec.columns[0].name, "id");
        let medium = spec
            .columns
            .iter()
            .find(|c| c.name == "medium")
            .expect("medium column");
        assert!(
            medium
                .allowed
                .as_ref()
                .is_some_and(|v| v.contains(&"newspaper".to_string()))
        );
        let res = kind_spec(Kind::LegislativeResolution);
        let sponsors = res
            .columns
            .iter()
            .find(|c| c.name == "sponsors")
            .expect("sponsors");
        assert_eq!(sponsors.ty, ListUtf8);
    }

    #[test]
    fn rows_match_their_specs() {
        for spec in [
            records_spec(),
            appearances_spec(),
            emendations_spec(),
            omissions_spec(),
            claims_spec(),
            footnotes_spec(),
            parallel_texts_spec(),
            bodies_spec(),
            compilations_spec(),
        ] {
            assert!(!spec.columns.is_empty());
            for k in &spec.primary_key {
                assert!(
                    spec.column_names().contains(&k.as_str()),
                    "{}: {k}",
                    spec.name
                );
            }
        }
    }
}
