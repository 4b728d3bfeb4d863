//! Claims: each figure a record's text states, as one attributed statement with its quote.
//!
//! A claim says only that a text states a number, who the text says states it, and how; it never
//! says whether the number is right. Sources disagree on every figure; each statement is a row.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One figure stated in a record's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The claim's id within the record (`c1`, `c2`, ...); with the record id it makes the stable `claim_id` `<record-id>#<id>`. Assigned once, never reused.
    pub id: String,
    /// The printing (1-based appearance) whose own text states the figure, when that printing's text differs from the record's; absent for the record's text.
    pub appearance: Option<u32>,
    /// The clause or sentence that states the figure: an exact substring of the text.
    pub quote: String,
    /// Which occurrence of `quote` in the text is meant (1-based); needed only when it occurs more than once.
    pub occurrence: Option<u32>,
    /// The figure exactly as printed, an exact substring of `quote`: `613`, `over 600`, `hundreds`, `six`, `up to 500`.
    pub value: String,
    /// The lowest count the words allow; computed from `value` by the documented reading rules when absent, checked against them when given.
    pub low: Option<u64>,
    /// The highest count the words allow; computed from `value` when absent, checked when given.
    pub high: Option<u64>,
    /// What is counted.
    pub quantity: Quantity,
    /// What is counted, in the text's words, when `quantity` is `other` or the words say more (e.g. `houses`, `persons taken prisoner`).
    pub quantity_as_printed: Option<String>,
    /// Who is counted, normalised.
    pub population: Population,
    /// Who is counted, in the text's words (`women and children`, `civilians`).
    pub population_as_printed: Option<String>,
    /// Which events the figure is about, as the text frames it.
    pub scope: Scope,
    /// Who the text says states the figure: `record_author` (the record's author or issuing body asserts it), a body id from bodies.toml, or a person's name as printed.
    pub stated_by: String,
    /// Who states it, in the text's words (`Officials in Baku`, `the mosque's director`), when the text names someone other than the record's author.
    pub stated_by_as_printed: Option<String>,
    /// How the text states it.
    pub speech_mode: SpeechMode,
    /// The date of the statement as EDTF, when the text dates it otherwise than the record's date.
    pub statement_date: Option<String>,
    /// The curators' note, in a neutral voice.
    pub note: Option<String>,
}

/// What a figure counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Persons killed or dead.
    Killed,
    /// Persons wounded or injured.
    Wounded,
    /// Persons taken hostage, captured or taken prisoner.
    HostagesOrCaptured,
    /// Persons missing.
    Missing,
    /// Persons displaced, expelled or made refugees.
    Displaced,
    /// Bodies seen, counted, buried or recovered.
    BodiesSeenOrRecovered,
    /// Inhabitants or residents of a place.
    Population,
    /// Persons disabled.
    Disabled,
    /// Children orphaned (of one or both parents).
    Orphaned,
    /// Families destroyed entirely.
    FamiliesDestroyed,
    /// Houses, buildings or other property destroyed.
    PropertyDestroyed,
    /// Anything else counted; say what in `quantity_as_printed`.
    Other,
}

/// Who a figure counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Population {
    /// Persons, people, residents, without a narrower group.
    AllPersons,
    /// Civilians, peaceful residents, non-combatants.
    Civilians,
    /// Soldiers, defenders, fighters, militiamen.
    Combatants,
    Children,
    Women,
    Elderly,
    /// The text does not say who (or counts things, not persons).
    Unspecified,
}

/// Which events a figure is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The events at Khojaly of 25–26 February 1992 and their immediate aftermath.
    Khojaly,
    /// The Nagorno-Karabakh conflict as a whole, or a period of it.
    ConflictWide,
    /// Another event (earlier history, another town, another year).
    OtherEvent,
}

/// How a text states a figure.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SpeechMode {
    /// The record's author or issuer states it in its own voice.
    OwnAssertion,
    /// The text reports what someone said, without quoting (`officials said 100 died`).
    ReportedSpeech,
    /// The text quotes someone's words that contain the figure.
    Quotation,
    /// The text states that someone denies or disputes a figure (the figure denied is the value).
    Denial,
    /// The text gives someone else's estimate as an estimate (`estimated the deaths at 100`).
    EstimateOfOthers,
}

/// A number in the text that states no figure (a date, an age, an identifier), declared so that
/// the completeness check can tell it from a figure nobody has curated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotFigure {
    /// The words as printed, an exact substring of the text (give enough context to be unambiguous, e.g. `aged 20`); every occurrence outside a claim's quote is covered.
    pub printed: String,
    /// What the number is.
    pub reason: NotFigureReason,
    /// The curators' note.
    pub note: Option<String>,
}

/// What a number that is not a figure is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NotFigureReason {
    /// A date or year.
    Date,
    /// A time of day or a duration.
    Time,
    /// A person's age.
    Age,
    /// An identifier: a resolution, article, unit, regiment or case number, an ordinal anniversary, a session.
    Identifier,
    /// An address, a distance, an area or another measurement.
    Measure,
    /// A page, section, footnote or list number.
    Reference,
    /// A number word used as a pronoun or article (`one of them`, `the two deserters`) that states no count.
    NotACount,
    /// Another reason, given in `note`.
    Other,
}

macro_rules! as_str_all {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }
    };
}

as_str_all!(Quantity {
    Killed => "killed", Wounded => "wounded", HostagesOrCaptured => "hostages_or_captured",
    Missing => "missing", Displaced => "displaced", BodiesSeenOrRecovered => "bodies_seen_or_recovered",
    Population => "population", Disabled => "disabled", Orphaned => "orphaned",
    FamiliesDestroyed => "families_destroyed", PropertyDestroyed => "property_destroyed", Other => "other",
});
as_str_all!(Population {
    AllPersons => "all_persons", Civilians => "civilians", Combatants => "combatants",
    Children => "children", Women => "women", Elderly => "elderly", Unspecified => "unspecified",
});
as_str_all!(Scope { Khojaly => "khojaly", ConflictWide => "conflict_wide", OtherEvent => "other_event" });
as_str_all!(SpeechMode {
    OwnAssertion => "own_assertion", ReportedSpeech => "reported_speech", Quotation => "quotation",
    Denial => "denial", EstimateOfOthers => "estimate_of_others",
});
as_str_all!(NotFigureReason {
    Date => "date", Time => "time", Age => "age", Identifier => "identifier", Measure => "measure",
    Reference => "reference", NotACount => "not_a_count", Other => "other",
});
