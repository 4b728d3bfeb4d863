//! The variants table: where two printings of one document differ, by a word diff of their texts.

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::compare::printing::PairHunks;
use crate::compare::{self, Nature};
use crate::export::table::ColumnType::{Bool, Int32, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, int32, keys};
use crate::model::Record;

pub struct Variants;

impl Table for Variants {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record { record, diffs, .. } => push_all(rows(record, diffs), push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
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
        foreign_keys: vec![ForeignKey::new(&["record_id"], "records", &["id"])],
    }
}

/// One passage where printing B differs from printing A.
pub struct VariantRow<'a> {
    pub record_id: &'a str,
    pub appearance_a: i32,
    pub compilation_a: &'a str,
    pub appearance_b: i32,
    pub compilation_b: &'a str,
    pub variant: i32,
    pub word_a: i32,
    pub word_b: i32,
    /// Null at the start of the text.
    pub context_a: Option<String>,
    /// Null when only B has the passage.
    pub passage_a: Option<String>,
    /// Null when only A has the passage.
    pub passage_b: Option<String>,
    pub nature: Nature,
    pub changes_number: bool,
    pub changes_date: bool,
    pub changes_name: bool,
    pub changes_attribution: bool,
}

impl TableRow for VariantRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("record_id", Some(self.record_id));
        out.int("appearance_a", Some(self.appearance_a));
        out.text("compilation_a", Some(self.compilation_a));
        out.int("appearance_b", Some(self.appearance_b));
        out.text("compilation_b", Some(self.compilation_b));
        out.int("variant", Some(self.variant));
        out.int("word_a", Some(self.word_a));
        out.int("word_b", Some(self.word_b));
        out.text("context_a", self.context_a.as_deref());
        out.text("passage_a", self.passage_a.as_deref());
        out.text("passage_b", self.passage_b.as_deref());
        out.text("nature", Some(self.nature.as_str()));
        out.bool("changes_number", self.changes_number);
        out.bool("changes_date", self.changes_date);
        out.bool("changes_name", self.changes_name);
        out.bool("changes_attribution", self.changes_attribution);
    }
}

/// The variants rows of one record: the first printing with text against every printing with
/// its own, different text in another compilation. Printings within one compilation are other
/// excerpts of the document (e.g. articles quoted in different places), not rival printings.
pub fn rows<'a>(record: &'a Record, diffs: &PairHunks) -> Vec<VariantRow<'a>> {
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
        // The diff validation made of this pair, where it made one.
        let known = diffs.get(&(n_a - 1, n_b - 1)).map(Vec::as_slice);
        for (k, p) in compare::passages_with(text_a, text_b, known)
            .into_iter()
            .enumerate()
        {
            rows.push(VariantRow {
                record_id: &record.id,
                appearance_a: int32(n_a),
                compilation_a: comp_a,
                appearance_b: int32(n_b),
                compilation_b: comp_b,
                variant: int32(k + 1),
                word_a: int32(p.word_a),
                word_b: int32(p.word_b),
                context_a: non_empty(p.context),
                passage_a: non_empty(p.a),
                passage_b: non_empty(p.b),
                nature: p.nature,
                changes_number: p.changes_number,
                changes_date: p.changes_date,
                changes_name: p.changes_name,
                changes_attribution: p.changes_attribution,
            });
        }
    }
    rows
}

/// A diff's text, null when there is none.
fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}
