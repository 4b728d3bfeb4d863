//! Record kinds and the fields particular to each kind.
//!
//! Kind-specific fields live in a table named after the kind (`[media_item]`, `[testimony]`, ...)
//! rather than flattened into the record: serde's `deny_unknown_fields` does not work together
//! with `flatten`, and a named table keeps each kind's fields visibly apart in a record file,
//! in JSON Lines and in the per-kind release tables.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Every record kind, declared once, in the order used for schemas, tables and statistics:
/// its variant (with the description the published schema gives it), its name in data and
/// file names, its field table's type, the prefix of its ids and a one-line description for
/// schema titles and the dataset card.
///
/// `with_kinds!(callback, args...)` hands the list to a macro, which makes from it the enum
/// and, elsewhere, every match over kinds: the record's field table (`model::record`), its
/// schema (`model::schema`) and its table's columns (`export::tables::kinds`). A new kind is a
/// line here, its `...Fields` type below and its field on `Record` (the compiler asks for it).
macro_rules! with_kinds {
    ($then:ident $(, $arg:tt)*) => {
        $then! { [$($arg),*]
            /// A newspaper or magazine article, news-agency item, or radio or television broadcast.
            MediaItem, media_item, MediaItemFields, "media", "Press, news-agency and broadcast items.";
            /// A report, world report, letter, statement or article of a non-governmental organisation.
            NgoReport, ngo_report, NgoReportFields, "ngo", "Reports, letters and statements of non-governmental organisations.";
            /// One witness's account, as quoted or printed.
            Testimony, testimony, TestimonyFields, "testimony", "Witness accounts, each attributed to its witness and to who printed it.";
            /// A resolution, memorial, points of agreement, citation or statement of a legislature, one of its chambers or committees.
            LegislativeResolution, legislative_resolution, LegislativeResolutionFields, "res", "Resolutions, memorials and statements of legislatures, chambers and committees.";
            /// A legislator's remark, for example in the Congressional Record.
            LegislativeRemark, legislative_remark, LegislativeRemarkFields, "remark", "Legislators' remarks.";
            /// A proclamation, message or statement of an executive office (head of state, governor, mayor, county or city executive).
            ExecutiveProclamation, executive_proclamation, ExecutiveProclamationFields, "procl", "Proclamations and messages of executive offices.";
            /// A document of a foreign official or state institution whose form (resolution, statement, letter, ...) the source does not give, typically printed only as an image with a caption.
            OfficialDocument, official_document, OfficialDocumentFields, "official", "Documents of officials or state institutions whose form the source does not give.";
            /// A communiqué, resolution or other text of an intergovernmental organisation.
            IntergovernmentalDocument, intergovernmental_document, IntergovernmentalDocumentFields, "igo", "Texts of intergovernmental organisations.";
            /// An excerpt of a book or article.
            ScholarlyWork, scholarly_work, ScholarlyWorkFields, "scholarly", "Excerpts of books and articles.";
            /// A judgment or decision of a court.
            CourtDecision, court_decision, CourtDecisionFields, "court", "Judgments and decisions of courts.";
            /// A section of a compilation's own narrative, attributed to its compilers.
            CompilerText, compiler_text, CompilerTextFields, "compiler", "The compilers' own narrative, attributed to them.";
        }
    };
}
pub(crate) use with_kinds;

macro_rules! define_kind {
    ([] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
        /// What sort of document a record is.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in the order used for schemas, tables and statistics.
            pub const ALL: [Kind; [$(Kind::$variant),*].len()] = [$(Kind::$variant),*];

            /// The kind's name as written in data and file names (`media_item`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => stringify!($name),)*
                }
            }

            /// The prefix every id of this kind starts with.
            pub fn id_prefix(self) -> &'static str {
                match self {
                    $(Kind::$variant => $prefix,)*
                }
            }

            pub fn parse(s: &str) -> Option<Kind> {
                Kind::ALL.into_iter().find(|k| k.as_str() == s)
            }

            /// One-line description, used in schema titles and the dataset card.
            pub fn description(self) -> &'static str {
                match self {
                    $(Kind::$variant => $description,)*
                }
            }
        }
    };
}

with_kinds!(define_kind);

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The medium an item was published or broadcast in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    Newspaper,
    Magazine,
    NewsAgency,
    Television,
    Radio,
    Online,
}

/// Fields of a `media_item`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaItemFields {
    /// Newspaper, magazine, news agency, television, radio or online.
    pub medium: Option<Medium>,
    /// The byline exactly as printed, e.g. "By Jane Doe, Lyon, France".
    pub byline: Option<String>,
    /// The item's own place line (dateline) as printed, when it has one.
    pub dateline: Option<String>,
    /// The page of the original publication, when the print gives it.
    pub page: Option<String>,
}

/// What sort of NGO document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NgoDocumentType {
    Report,
    WorldReport,
    Letter,
    Statement,
    Article,
}

/// Fields of an `ngo_report`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NgoReportFields {
    /// Report, world report, letter, statement or article.
    pub document_type: Option<NgoDocumentType>,
    /// Title of the whole report that an excerpt comes from, as printed.
    pub report_title: Option<String>,
    /// For letters: the addressee as printed.
    pub recipient: Option<String>,
}

/// Fields of a `testimony`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestimonyFields {
    /// The witness's name exactly as printed.
    pub witness: Option<String>,
    /// Why the witness is not named (required when `witness` is absent).
    pub witness_absent_reason: Option<String>,
    /// How the print describes the witness, e.g. "resident of the town".
    pub witness_description: Option<String>,
    /// EDTF date of the events the witness tells of, when the testimony itself gives it.
    pub event_date: Option<String>,
    /// Id of the body that took or first printed the testimony, when the print says so.
    pub recorded_by: Option<String>,
}

/// The form of a legislative act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegislativeInstrument {
    Resolution,
    Memorial,
    PointsOfAgreement,
    Citation,
    Statement,
    Proclamation,
    Decision,
}

/// Legislative status as the print gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegislativeStatus {
    /// The print says the act was introduced, pre-filed or sponsored, and no more.
    Introduced,
    /// The print says the act was adopted, approved or signed.
    Adopted,
    /// The print does not say.
    Unknown,
}

/// Fields of a `legislative_resolution`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegislativeResolutionFields {
    /// ISO 3166-1 alpha-2 country code or ISO 3166-2 subdivision code (`MX`, `US-NM`).
    pub jurisdiction: Option<String>,
    /// The chamber or committee as printed, e.g. "Senate", "Foreign Relations Committee".
    pub chamber: Option<String>,
    /// The act's number as printed, e.g. "Senate Memorial 19", "HR 1594".
    pub identifier: Option<String>,
    /// Resolution, memorial, points of agreement, citation, statement, proclamation or decision.
    pub instrument: Option<LegislativeInstrument>,
    /// Introduced, adopted or unknown, as the print gives it.
    pub status: Option<LegislativeStatus>,
    /// Sponsors as printed.
    #[serde(default)]
    pub sponsors: Vec<String>,
    /// The legislative session as printed, e.g. "51st Legislature - First Session, 2013".
    pub session: Option<String>,
}

/// Fields of a `legislative_remark`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegislativeRemarkFields {
    /// The speaker's name as printed.
    pub speaker: Option<String>,
    /// The printed line describing the speaker, e.g. "Congressman Steve Chabot from the State of Ohio".
    pub speaker_description: Option<String>,
    /// The chamber, only when the print names it.
    pub chamber: Option<String>,
    /// The session as printed, e.g. "116th Congress".
    pub session: Option<String>,
    /// ISO 3166 code of the legislature's jurisdiction.
    pub jurisdiction: Option<String>,
}

/// The form of an executive act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExecutiveInstrument {
    Proclamation,
    Message,
    Statement,
    Letter,
}

/// Fields of an `executive_proclamation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecutiveProclamationFields {
    /// ISO 3166 code of the jurisdiction (`US-ID`).
    pub jurisdiction: Option<String>,
    /// The office as printed, e.g. "Governor", "Mayor".
    pub office: Option<String>,
    /// The office holder's name as printed.
    pub official: Option<String>,
    /// Proclamation, message, statement or letter, as the print names it.
    pub instrument: Option<ExecutiveInstrument>,
}

/// Fields of an `official_document`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialDocumentFields {
    /// ISO 3166 code of the jurisdiction.
    pub jurisdiction: Option<String>,
    /// The institution as printed in the caption.
    pub institution: Option<String>,
    /// Why the document's form is not known (required).
    pub form_absent_reason: Option<String>,
}

/// The form of an intergovernmental text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntergovernmentalInstrument {
    Communique,
    Resolution,
    Declaration,
    Report,
    Statement,
}

/// Fields of an `intergovernmental_document`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntergovernmentalDocumentFields {
    /// The organisation as printed.
    pub organization: Option<String>,
    /// The document symbol as printed, e.g. "OIC/CFM-46/2019/POL/RES/Final".
    pub document_symbol: Option<String>,
    /// Communiqué, resolution, declaration, report or statement.
    pub instrument: Option<IntergovernmentalInstrument>,
    /// The meeting that adopted it, as printed.
    pub meeting: Option<String>,
}

/// Fields of a `scholarly_work`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScholarlyWorkFields {
    /// Title of the book or article the excerpt comes from, as printed.
    pub work_title: Option<String>,
    /// Publisher as printed.
    pub publisher: Option<String>,
    /// Year of publication as printed.
    pub publication_year: Option<String>,
    /// Pages as printed.
    pub pages: Option<String>,
}

/// Fields of a `court_decision`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourtDecisionFields {
    /// The court as printed.
    pub court: Option<String>,
    /// The case name as printed.
    pub case_name: Option<String>,
    /// The application or case number as printed.
    pub application_number: Option<String>,
}

/// Fields of a `compiler_text` (none yet; the table exists so every kind has one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompilerTextFields {}
