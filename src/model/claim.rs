//! Claims: each figure a record's text states, as one attributed statement with its quote.
//!
//! A claim says only that a text states a number, who the text says states it, and how; it never
//! says whether the number is right. Sources disagree on every figure; each statement is a row.

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Record;
use super::figure::{self, Qualifier};
use super::search;

/// One figure stated in a record's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The claim's id within the record (`c1`, `c2`, ...); with the record id it makes the stable `claim_id` `<record-id>#<id>`. Assigned once, never reused.
    pub id: String,
    /// The printing (1-based appearance) whose own text states the figure, when that printing's text differs from the record's; absent for the record's text.
    pub appearance: Option<u32>,
    /// The footnote (1-based, in the record's `footnotes`) whose text states the figure; absent for the record's text.
    pub footnote: Option<u32>,
    /// True when the figure is printed in the record's title (a headline or heading): `quote` is then in the title.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title: bool,
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
    /// What the number counts in: `persons` (the default for counts of persons), `families` (the default for families_destroyed), `households`, `buildings`, `settlements`, `vehicles`, `items`, `percent`, `one_in_n`, `fraction`, `years`, `days`, `events`, `documents`, or an ISO 4217 currency code (`USD`).
    pub unit: Option<String>,
    /// False when the figure is a sub-count of a larger count (one cause, one family, one group); true (the default) for a total.
    pub is_total: Option<bool>,
    /// The claim stating the total this sub-count is part of: `c3` in the same record, or `<record-id>#c3`.
    pub part_of_claim: Option<String>,
    /// Who the text presents as stating the figure: an agent id of agents.toml, or `record_author` for the record's own voice (a testimony's witness, a remark's speaker, a record's single author, else its issuing body).
    pub stated_by: String,
    /// Who states it, in the text's words (`Officials in the capital`, `the mosque's director`), when the text names someone other than the record's author.
    pub stated_by_as_printed: Option<String>,
    /// Agents through whom the statement reaches the record's issuer, stater side first (`as reported by ...`); the issuer itself is not listed.
    #[serde(default)]
    pub relayed_by: Vec<String>,
    /// How the text states it.
    pub speech_mode: SpeechMode,
    /// The date of the statement as EDTF, when the text dates it otherwise than the record's date.
    pub statement_date: Option<String>,
    /// The claim that first prints the same statement (another printing, or the same passage quoted in another record): `c3` in the same record, or `<record-id>#c3`.
    pub same_statement_as: Option<String>,
    /// How the words qualify the figure, given only where the reading rules cannot read `value` or read it wrongly (qualifying words apart from the number); with `qualifier_reason`.
    pub qualifier: Option<Qualifier>,
    /// Why `qualifier` is given: the words that qualify the figure, quoted.
    pub qualifier_reason: Option<String>,
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
    /// Agents seen, counted, buried or recovered.
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
    /// The event the corpus is about, and its immediate aftermath (dataset.toml `corpus.subject`
    /// names it).
    SubjectEvent,
    /// The wider conflict or situation the event belongs to (dataset.toml `corpus.wider_context`).
    WiderContext,
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
as_str_all!(Scope { SubjectEvent => "subject_event", WiderContext => "wider_context", OtherEvent => "other_event" });
as_str_all!(SpeechMode {
    OwnAssertion => "own_assertion", ReportedSpeech => "reported_speech", Quotation => "quotation",
    Denial => "denial", EstimateOfOthers => "estimate_of_others",
});
as_str_all!(NotFigureReason {
    Date => "date", Time => "time", Age => "age", Identifier => "identifier", Measure => "measure",
    Reference => "reference", NotACount => "not_a_count", Other => "other",
});

/// Where a claim's quote stands: which text, and the byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    pub text: TextRef,
    pub bytes: Range<usize>,
    /// Character offsets (Unicode scalar values), as published: `text[start:end]` in Python.
    pub chars: Range<usize>,
}

/// Which text of a record: its text, a printing's own text, or a footnote (0-based indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextRef {
    Record,
    Title,
    Appearance(usize),
    Footnote(usize),
}

impl TextRef {
    /// The text of `r` this refers to.
    pub fn get(self, r: &Record) -> Option<&str> {
        match self {
            TextRef::Record => r.text.as_deref(),
            TextRef::Title => r.title.as_deref(),
            TextRef::Appearance(i) => r.appearances.get(i).and_then(|a| a.text.as_deref()),
            TextRef::Footnote(i) => r.footnotes.get(i).map(|f| f.text.as_str()),
        }
    }

    /// The JSON pointer of the text in a record file.
    pub fn pointer(self) -> String {
        match self {
            TextRef::Record => "/text".into(),
            TextRef::Title => "/title".into(),
            TextRef::Appearance(i) => format!("/appearances/{i}/text"),
            TextRef::Footnote(i) => format!("/footnotes/{i}/text"),
        }
    }
}

impl Claim {
    /// Which text the claim quotes.
    pub fn text_ref(&self) -> TextRef {
        match (self.appearance, self.footnote) {
            (Some(n), _) => TextRef::Appearance((n as usize).saturating_sub(1)),
            (None, Some(n)) => TextRef::Footnote((n as usize).saturating_sub(1)),
            (None, None) if self.title => TextRef::Title,
            (None, None) => TextRef::Record,
        }
    }
}

/// The text a claim quotes: the record's, a printing's own, or a footnote's.
pub fn claim_text<'a>(r: &'a Record, c: &Claim) -> Option<&'a str> {
    c.text_ref().get(r)
}

/// Finds a claim's quote in its text.
pub fn locate(r: &Record, c: &Claim) -> Result<QuoteSpan, QuoteError> {
    let text = claim_text(r, c).ok_or(QuoteError::NoText)?;
    if c.quote.is_empty() {
        return Err(QuoteError::NotFound);
    }
    // The occurrences are counted only when the quote is not where the claim says.
    let count = || search::occurrences(text, &c.quote).count();
    let mut hits = search::occurrences(text, &c.quote);
    let at = match c.occurrence {
        None => match (hits.next(), hits.next()) {
            (None, _) => return Err(QuoteError::NotFound),
            (Some(at), None) => at,
            (Some(_), Some(_)) => return Err(QuoteError::Ambiguous(2 + hits.count())),
        },
        Some(k) => match hits.nth((k as usize).wrapping_sub(1)) {
            Some(at) => at,
            None => {
                return Err(match count() {
                    0 => QuoteError::NotFound,
                    n => QuoteError::NoSuchOccurrence(n),
                });
            }
        },
    };
    let end = at + c.quote.len();
    let start_chars = text.get(..at).map(|s| s.chars().count()).unwrap_or(0);
    Ok(QuoteSpan {
        text: c.text_ref(),
        bytes: at..end,
        chars: start_chars..start_chars + c.quote.chars().count(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteError {
    NoText,
    NotFound,
    Ambiguous(usize),
    NoSuchOccurrence(usize),
}

/// A claim's bounds and qualifier: the curated ones where given, else what the words say.
/// The qualifier is None only where the rules cannot read the words and none is curated
/// (validation refuses that).
pub fn bounds(c: &Claim) -> (Option<u64>, Option<u64>, Option<Qualifier>) {
    let reading = figure::read(&c.value);
    let qualifier = c.qualifier.or(reading.map(|r| r.qualifier));
    match (c.low, c.high, reading) {
        (None, None, Some(r)) if c.qualifier.is_none() => (r.low, r.high, qualifier),
        (None, None, Some(r)) => {
            // A curated qualifier re-reads the number the words give.
            let n = r.low.or(r.high);
            match c.qualifier {
                Some(Qualifier::AtLeast) => (n, None, qualifier),
                Some(Qualifier::MoreThan) => (n.and_then(|n| n.checked_add(1)), None, qualifier),
                Some(Qualifier::UpTo) => (None, n, qualifier),
                Some(Qualifier::FewerThan) => (None, n.and_then(|n| n.checked_sub(1)), qualifier),
                _ => (r.low, r.high, qualifier),
            }
        }
        (low, high, _) => (low, high, qualifier),
    }
}

/// What a claim's number counts in, when the claim does not say: persons for counts of
/// persons, families for families destroyed; None where the curator must say (property, other).
pub fn default_unit(q: Quantity) -> Option<&'static str> {
    match q {
        Quantity::FamiliesDestroyed => Some("families"),
        Quantity::PropertyDestroyed | Quantity::Other => None,
        _ => Some("persons"),
    }
}

/// The units a claim may give besides an ISO 4217 currency code.
pub const UNITS: &[&str] = &[
    "persons",
    "families",
    "households",
    "buildings",
    "settlements",
    "vehicles",
    "items",
    "percent",
    "one_in_n",
    "fraction",
    "years",
    "days",
    "events",
    "documents",
];

/// Whether `u` is a unit a claim may give: one of [`UNITS`] or three upper-case ASCII letters
/// (an ISO 4217 currency code).
pub fn is_unit(u: &str) -> bool {
    UNITS.contains(&u) || (u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The unit of a claim: its own, else the default for its quantity.
pub fn unit(c: &Claim) -> Option<&str> {
    c.unit.as_deref().or(default_unit(c.quantity))
}

/// A reference to a claim: `c3` (in `record_id`) or `<record-id>#c3`, split into record id and
/// claim id.
pub fn split_claim_ref<'a>(record_id: &'a str, reference: &'a str) -> (&'a str, &'a str) {
    match reference.split_once('#') {
        Some((record, claim)) => (record, claim),
        None => (record_id, reference),
    }
}

/// How the numbers of one text are accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureCoverage {
    pub numbers: usize,
    pub in_claims: usize,
    pub dates_by_rule: usize,
    pub declared: usize,
    /// Numbers nothing accounts for, as byte ranges in the text.
    pub uncovered: Vec<Range<usize>>,
}

impl FigureCoverage {
    pub fn add(&mut self, o: &FigureCoverage) {
        self.numbers += o.numbers;
        self.in_claims += o.in_claims;
        self.dates_by_rule += o.dates_by_rule;
        self.declared += o.declared;
        self.uncovered.extend(o.uncovered.iter().cloned());
    }
}

/// The coverage of each text of a record: its text, each printing's own text, each footnote.
pub fn coverage(r: &Record) -> Vec<(TextRef, FigureCoverage)> {
    coverage_with(r, &locate_all(r))
}

/// [`locate`] for each of a record's claims, in order.
pub fn locate_all(r: &Record) -> Vec<Result<QuoteSpan, QuoteError>> {
    r.claims.iter().map(|c| locate(r, c)).collect()
}

/// [`coverage`], with each claim's quote already located (`located`, from [`locate_all`]):
/// validation locates them once for its own checks, this, and the release's claims table.
pub fn coverage_with(
    r: &Record,
    located: &[Result<QuoteSpan, QuoteError>],
) -> Vec<(TextRef, FigureCoverage)> {
    let mut out = Vec::new();
    let mut texts: Vec<(TextRef, &str)> = Vec::new();
    if let Some(t) = r.text.as_deref() {
        texts.push((TextRef::Record, t));
    }
    // A figure printed in a headline is a claim too (`title = true`).
    // (A title holding control characters is refused by hygiene; its escape codes are no figures.)
    if let Some(t) = r
        .title
        .as_deref()
        .filter(|t| !t.chars().any(char::is_control))
    {
        texts.push((TextRef::Title, t));
    }
    for (i, a) in r.appearances.iter().enumerate() {
        if let Some(t) = a.text.as_deref()
            && r.appearance_status(a).has_text()
        {
            texts.push((TextRef::Appearance(i), t));
        }
    }
    for (i, f) in r.footnotes.iter().enumerate() {
        texts.push((TextRef::Footnote(i), f.text.as_str()));
    }
    let located: Vec<&QuoteSpan> = located.iter().filter_map(|q| q.as_ref().ok()).collect();
    for (which, text) in texts {
        // A claim covers its quote in its own text, and (for a claim on the record's text)
        // wherever a printing's own text repeats the quote word for word.
        let own: Vec<Range<usize>> = located
            .iter()
            .filter(|q| q.text == which)
            .map(|q| q.bytes.clone())
            .collect();
        // The other spans are searched for only when a number falls outside those before them
        // (most numbers sit in a claim's quote): each is a search of the whole text.
        let repeated = std::cell::OnceCell::new();
        let repeated = || {
            repeated.get_or_init(|| {
                let mut spans: Vec<Range<usize>> = Vec::new();
                if matches!(which, TextRef::Appearance(_)) {
                    for c in r
                        .claims
                        .iter()
                        .filter(|c| c.text_ref() == TextRef::Record && !c.quote.is_empty())
                    {
                        spans.extend(search::spans(text, &c.quote));
                    }
                }
                spans
            })
        };
        let dates = std::cell::OnceCell::new();
        let dates = || dates.get_or_init(|| figure::dates(text));
        let declared = std::cell::OnceCell::new();
        let declared = || {
            declared.get_or_init(|| {
                r.not_figures
                    .iter()
                    .filter(|n| !n.printed.is_empty())
                    .flat_map(|n| search::spans(text, &n.printed))
                    .collect::<Vec<Range<usize>>>()
            })
        };
        let inside = |m: &Range<usize>, spans: &[Range<usize>]| {
            spans.iter().any(|s| s.start <= m.start && m.end <= s.end)
        };
        let mut c = FigureCoverage::default();
        for m in figure::mentions(text) {
            c.numbers += 1;
            if inside(&m, &own) || inside(&m, repeated()) {
                c.in_claims += 1;
            } else if inside(&m, dates()) {
                c.dates_by_rule += 1;
            } else if inside(&m, declared()) {
                c.declared += 1;
            } else if matches!(which, TextRef::Appearance(_)) && same_in_record_text(r, text, &m) {
                // A printing's own text repeating the record text's passage: accounted there.
                c.in_claims += 1;
            } else {
                c.uncovered.push(m);
            }
        }
        out.push((which, c));
    }
    out
}

/// Whether the number at `m` in a printing's text stands, with the three words before it, in
/// the record's text too (so the printing repeats a passage accounted for there).
fn same_in_record_text(r: &Record, text: &str, m: &Range<usize>) -> bool {
    let Some(record_text) = r.text.as_deref() else {
        return false;
    };
    let head = text.get(..m.start).unwrap_or("");
    let from = head
        .char_indices()
        .rev()
        .filter(|(i, c)| {
            c.is_whitespace()
                && !head
                    .get(i + c.len_utf8()..)
                    .unwrap_or("")
                    .starts_with(char::is_whitespace)
        })
        .nth(2)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let normalise = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let needle = normalise(text.get(from..m.end).unwrap_or(""));
    !needle.is_empty() && normalise(record_text).contains(&needle)
}
