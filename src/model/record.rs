//! A record: one document as printed, who issued it, and where each printing of it stands.
// These doc comments are also the published JSON Schemas' descriptions, where a path such as
// data/compilations/<id>.toml is plain text: rustdoc must not read it as HTML.
#![allow(rustdoc::invalid_html_tags)]

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::claim::{Claim, NotFigure};
use super::kinds::*;

/// How much of a document the record's text holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// The whole document as printed.
    Full,
    /// Part of the document, as the compilers printed it.
    Excerpt,
    /// The compilers' summary of the document, not its own words.
    Paraphrase,
    /// Printed only as an image; the transcription keeps just a caption, so there is no text.
    NotTranscribed,
    /// Only listed or mentioned by the compilers; there is no text.
    MentionedOnly,
}

impl TextStatus {
    pub const ALL: [TextStatus; 5] = [
        TextStatus::Full,
        TextStatus::Excerpt,
        TextStatus::Paraphrase,
        TextStatus::NotTranscribed,
        TextStatus::MentionedOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TextStatus::Full => "full",
            TextStatus::Excerpt => "excerpt",
            TextStatus::Paraphrase => "paraphrase",
            TextStatus::NotTranscribed => "not_transcribed",
            TextStatus::MentionedOnly => "mentioned_only",
        }
    }

    /// Whether a record with this status must carry a text (and one without must not).
    pub fn has_text(self) -> bool {
        matches!(
            self,
            TextStatus::Full | TextStatus::Excerpt | TextStatus::Paraphrase
        )
    }
}

/// One document as printed in one or more compilations.
///
/// The dataset asserts only that a document says something: every field is what the print gives,
/// and anything the print does not give stays empty with the reason in a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Stable identifier, `<kind prefix>-<date or "undated">-<body id>[-<slug>]`, lower-case ASCII; assigned once, never reused.
    pub id: String,
    /// What sort of document this is; equals the folder the record file is in.
    pub kind: Kind,
    /// The document's own title or headline, as printed.
    pub title: Option<String>,
    /// The document's date as an EDTF (ISO 8601-2, levels 0-1) string, at the precision the print gives.
    pub date: Option<String>,
    /// Why there is no date (required when `date` is absent).
    pub date_absent_reason: Option<String>,
    /// Id of the issuing body in agents.toml: outlet, organisation, legislature or chamber, office, court, or the compilers.
    pub body: String,
    /// Authors or signatories exactly as printed.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Place of publication or issue, as printed.
    pub place: Option<String>,
    /// BCP 47 language tag of `text`.
    pub language: String,
    /// BCP 47 language tag of the original, when the print says `text` is a translation.
    pub original_language: Option<String>,
    /// How much of the document `text` holds: full, excerpt, paraphrase, not_transcribed or mentioned_only.
    pub text_status: TextStatus,
    /// The document's text as printed, minus layout (running headers, page numbers, footnote markers, line breaks inside paragraphs); paragraphs separated by a blank line. Absent for not_transcribed and mentioned_only.
    pub text: Option<String>,
    /// Versions of the text in other languages printed with it.
    #[serde(default)]
    pub parallel_texts: Vec<ParallelText>,
    /// URLs that the print gives for the document, exactly as printed.
    #[serde(default)]
    pub source_urls: Vec<String>,
    /// The document's own footnotes.
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
    /// Short, factual, neutral notes of the curators, drawn from the sources and the curation.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Anything known from outside the two compilations; kept apart from everything the sources say.
    #[serde(default)]
    pub outside_notes: Vec<String>,
    /// Id of the record that quotes or contains this one (e.g. the NGO report quoting a testimony).
    pub part_of: Option<String>,
    /// Every printing of the document: which compilation, where, and how it was printed.
    #[schemars(length(min = 1))]
    pub appearances: Vec<Appearance>,
    /// Every figure the text states, each as one attributed statement with its quote (the claims table).
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// Numbers in the text that state no figure (dates, ages, identifiers), declared so that every number is accounted for.
    #[serde(default)]
    pub not_figures: Vec<NotFigure>,
    /// Fields of a media item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_item: Option<MediaItemFields>,
    /// Fields of an NGO report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ngo_report: Option<NgoReportFields>,
    /// Fields of a testimony.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub testimony: Option<TestimonyFields>,
    /// Fields of a legislative resolution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legislative_resolution: Option<LegislativeResolutionFields>,
    /// Fields of a legislative remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legislative_remark: Option<LegislativeRemarkFields>,
    /// Fields of an executive proclamation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executive_proclamation: Option<ExecutiveProclamationFields>,
    /// Fields of an official document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_document: Option<OfficialDocumentFields>,
    /// Fields of an intergovernmental document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intergovernmental_document: Option<IntergovernmentalDocumentFields>,
    /// Fields of a scholarly work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scholarly_work: Option<ScholarlyWorkFields>,
    /// Fields of a court decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub court_decision: Option<CourtDecisionFields>,
    /// Fields of a compiler text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compiler_text: Option<CompilerTextFields>,
}

/// The text of the document in another language, printed alongside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParallelText {
    /// BCP 47 language tag of this text.
    pub language: String,
    /// Whether the print presents this text as the original or as a translation.
    pub role: ParallelRole,
    /// The text as printed, minus layout.
    pub text: String,
    /// Repairs of conversion damage in this text.
    #[serde(default)]
    pub emendations: Vec<Emendation>,
}

/// Original or translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParallelRole {
    Original,
    Translation,
}

/// A footnote of the document itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    /// The footnote's marker as printed (usually a number).
    pub marker: String,
    /// The footnote's text as printed.
    pub text: String,
}

/// A repair of conversion damage: the printed characters and what the text reads instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Emendation {
    /// The characters as printed in the transcription, e.g. "hus band".
    pub printed: String,
    /// What the record's text reads instead, e.g. "husband".
    pub reads: String,
    /// Which occurrence of `reads` in the text this applies to (1-based); needed only when `reads` occurs more than once.
    pub occurrence: Option<u32>,
}

/// One printing of the document in a compilation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appearance {
    /// Id of the compilation (data/compilations/<id>.toml).
    pub compilation: String,
    /// The compilation's section heading as printed.
    pub section: String,
    /// First and last line (1-based, inclusive) of this printing in the compilation's transcription, heading included.
    pub lines: [u32; 2],
    /// The printing's heading lines (masthead, headline, caption) as printed, joined with " / ".
    pub heading: Option<String>,
    /// The date (and place) exactly as this printing gives it.
    pub date_as_printed: Option<String>,
    /// How fully this printing gives the document, when that differs from the record's `text_status`: e.g. `mentioned_only` for a list line that only names a document printed in full elsewhere. A printing whose status carries no text is not checked for text and may not have `text`.
    pub text_status: Option<TextStatus>,
    /// This printing's text, present only when it differs from the record's text.
    pub text: Option<String>,
    /// Repairs of conversion damage in this printing's text; reversing them gives the printed characters back.
    #[serde(default)]
    pub emendations: Vec<Emendation>,
    /// Line ranges inside `lines` that are not document text: running headers, footnote blocks, captions, page furniture.
    #[serde(default)]
    pub layout_lines: Vec<[u32; 2]>,
    /// Single printed tokens inside the span that are layout though they stand among the text: page numbers, footnote markers (alone or glued to a word), line numbers. Each is declared; none is guessed from its shape.
    #[serde(default)]
    pub layout_tokens: Vec<LayoutToken>,
    /// Printed passages inside the span that this printing's text leaves out, each with its reason (an image description, a passage left to another record, ...).
    #[serde(default)]
    pub omissions: Vec<Omission>,
    /// Notes the compilers added to this printing, as printed.
    #[serde(default)]
    pub compiler_notes: Vec<String>,
    /// The curators' note about this printing.
    pub note: Option<String>,
}

/// One printed token inside a span that is layout, not document text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutToken {
    /// The line it stands on (1-based, inside the printing's span).
    pub line: u32,
    /// The whole printed token as it stands between spaces, e.g. `12` or `town”.1`.
    pub printed: String,
    /// When only the end of the token is layout (a footnote marker glued to a word), that end, e.g. `1` of `town”.1`; the rest is document text. Absent when the whole token is layout.
    pub suffix: Option<String>,
    /// Which occurrence of `printed` on the line is meant (1-based); needed only when it occurs more than once there.
    pub occurrence: Option<u32>,
    /// What the token is.
    pub kind: LayoutKind,
}

/// What a layout token is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// A page number of the printed book.
    PageNumber,
    /// A footnote reference marker.
    FootnoteMarker,
    /// A line number of a printed bill or resolution.
    LineNumber,
    /// Other page furniture (a stray bullet, a conversion artefact that is not a word).
    Other,
}

impl LayoutKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutKind::PageNumber => "page_number",
            LayoutKind::FootnoteMarker => "footnote_marker",
            LayoutKind::LineNumber => "line_number",
            LayoutKind::Other => "other",
        }
    }
}

/// A printed passage inside the span that the printing's text leaves out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Omission {
    /// Whole lines left out: first and last (1-based, inclusive, inside the span). Give either `lines` or `printed`.
    pub lines: Option<[u32; 2]>,
    /// Or the exact printed words left out: a run of whole printed tokens inside the span, as printed.
    pub printed: Option<String>,
    /// Why the text leaves the passage out.
    pub reason: OmissionReason,
    /// The record that holds the passage, when the reason is `other_record`.
    pub record: Option<String>,
    /// The curators' note on the omission.
    pub note: Option<String>,
}

/// Why a printed passage is not in a printing's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OmissionReason {
    /// The passage belongs to another record (e.g. the narration around a quoted testimony belongs to the quoting item); `record` names it.
    OtherRecord,
    /// A description of an image or facsimile inserted by the conversion or the compilers.
    ImageDescription,
    /// Words the compilers inserted into the printing that are not part of the document.
    CompilerInsertion,
    /// Conversion damage that cannot be mended as an emendation (a garbled second reading).
    Garbled,
    /// Another reason, given in `note`.
    Other,
}

impl OmissionReason {
    pub const ALL: [OmissionReason; 5] = [
        OmissionReason::OtherRecord,
        OmissionReason::ImageDescription,
        OmissionReason::CompilerInsertion,
        OmissionReason::Garbled,
        OmissionReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OmissionReason::OtherRecord => "other_record",
            OmissionReason::ImageDescription => "image_description",
            OmissionReason::CompilerInsertion => "compiler_insertion",
            OmissionReason::Garbled => "garbled",
            OmissionReason::Other => "other",
        }
    }
}

impl Record {
    /// The text this appearance prints: its own, or else the record's.
    pub fn appearance_text<'a>(&'a self, appearance: &'a Appearance) -> Option<&'a str> {
        if !self.appearance_status(appearance).has_text() {
            return None;
        }
        appearance.text.as_deref().or(self.text.as_deref())
    }

    /// How fully this appearance gives the document: its own status, or else the record's.
    pub fn appearance_status(&self, appearance: &Appearance) -> TextStatus {
        appearance.text_status.unwrap_or(self.text_status)
    }

    /// The kind-specific fields as a JSON object (empty when the record has none).
    pub fn kind_fields(&self) -> serde_json::Value {
        macro_rules! fields_value {
            ([$record:expr] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
                match $record.kind {
                    $(Kind::$variant => serde_json::to_value($record.$name.clone().unwrap_or_default()),)*
                }
            };
        }
        with_kinds!(fields_value, self).unwrap_or(serde_json::Value::Null)
    }

    /// Brings a record as written in TOML to its canonical form: texts without the final line
    /// break that TOML multi-line strings carry, and the kind's field table always present.
    pub fn normalize(&mut self) {
        fn trim(s: &mut String) {
            let n = s.trim_end_matches('\n').len();
            s.truncate(n);
        }
        if let Some(t) = self.text.as_mut() {
            trim(t);
        }
        for p in &mut self.parallel_texts {
            trim(&mut p.text);
        }
        for a in &mut self.appearances {
            if let Some(t) = a.text.as_mut() {
                trim(t);
            }
        }
        for f in &mut self.footnotes {
            trim(&mut f.text);
        }
        self.normalize_kind_table();
    }

    /// Fill in the kind's (possibly omitted) field table, so that every published record carries one.
    pub fn normalize_kind_table(&mut self) {
        macro_rules! insert_default {
            ([$record:expr] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
                match $record.kind {
                    $(Kind::$variant => _ = $record.$name.get_or_insert_default(),)*
                }
            };
        }
        with_kinds!(insert_default, self);
    }

    /// Names of kind tables present in the record that belong to another kind.
    pub fn foreign_kind_tables(&self) -> Vec<Kind> {
        macro_rules! present {
            ([$record:expr] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
                [$((Kind::$variant, $record.$name.is_some()),)*]
            };
        }
        with_kinds!(present, self)
            .into_iter()
            .filter(|(k, p)| *p && *k != self.kind)
            .map(|(k, _)| k)
            .collect()
    }
}
