//! Claims: every figure statement quoted exactly, read by the documented rules, attributed with
//! the controlled vocabulary; and every number of every text accounted for, as a claim, as a date
//! by the built-in rule, or declared as not a figure.

use std::collections::BTreeMap;
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::rules::RecordContext;
use crate::model::claim::{Claim, NotFigureReason, Quantity};
use crate::model::figure::{self, Qualifier, Reading};
use crate::model::{Record, edtf};

/// Where a claim's quote stands: which text, and the byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    /// None for the record's text, Some(i) for appearance i's own text (0-based).
    pub appearance: Option<usize>,
    pub bytes: Range<usize>,
    /// Character offsets (Unicode scalar values), as published: `text[start:end]` in Python.
    pub chars: Range<usize>,
}

/// The text a claim quotes: the record's, or a printing's own.
pub fn claim_text<'a>(r: &'a Record, c: &Claim) -> Option<&'a str> {
    match c.appearance {
        None => r.text.as_deref(),
        Some(n) => r
            .appearances
            .get((n as usize).checked_sub(1)?)
            .and_then(|a| a.text.as_deref()),
    }
}

/// Finds a claim's quote in its text.
pub fn locate(r: &Record, c: &Claim) -> Result<QuoteSpan, QuoteError> {
    let text = claim_text(r, c).ok_or(QuoteError::NoText)?;
    if c.quote.is_empty() {
        return Err(QuoteError::NotFound);
    }
    let hits: Vec<usize> = text
        .match_indices(c.quote.as_str())
        .map(|(i, _)| i)
        .collect();
    let at = match (c.occurrence, hits.len()) {
        (_, 0) => return Err(QuoteError::NotFound),
        (None, 1) => hits[0],
        (None, n) => return Err(QuoteError::Ambiguous(n)),
        (Some(k), n) => *hits
            .get((k as usize).wrapping_sub(1))
            .ok_or(QuoteError::NoSuchOccurrence(n))?,
    };
    let end = at + c.quote.len();
    let start_chars = text.get(..at).map(|s| s.chars().count()).unwrap_or(0);
    Ok(QuoteSpan {
        appearance: c.appearance.map(|n| n as usize - 1),
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
pub fn bounds(c: &Claim) -> (Option<u64>, Option<u64>, Option<Qualifier>) {
    let reading = figure::read(&c.value);
    match (c.low, c.high, reading) {
        (None, None, Some(r)) => (r.low, r.high, Some(r.qualifier)),
        (low, high, r) => (low, high, r.map(|r| r.qualifier)),
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

/// The coverage of each text of a record: the record's text (None) and each printing's own text.
pub fn coverage(r: &Record) -> Vec<(Option<usize>, FigureCoverage)> {
    let mut out = Vec::new();
    let mut texts: Vec<(Option<usize>, &str)> = Vec::new();
    if let Some(t) = r.text.as_deref() {
        texts.push((None, t));
    }
    for (i, a) in r.appearances.iter().enumerate() {
        if let Some(t) = a.text.as_deref()
            && r.appearance_status(a).has_text()
        {
            texts.push((Some(i), t));
        }
    }
    for (which, text) in texts {
        // A claim covers its quote in its own text, and (for a claim on the record's text)
        // wherever a printing's own text repeats the quote word for word.
        let mut quotes: Vec<Range<usize>> = r
            .claims
            .iter()
            .filter_map(|c| locate(r, c).ok())
            .filter(|q| q.appearance == which)
            .map(|q| q.bytes)
            .collect();
        if which.is_some() {
            for c in r
                .claims
                .iter()
                .filter(|c| c.appearance.is_none() && !c.quote.is_empty())
            {
                quotes.extend(
                    text.match_indices(c.quote.as_str())
                        .map(|(i, q)| i..i + q.len()),
                );
            }
        }
        let declared: Vec<Range<usize>> = r
            .not_figures
            .iter()
            .filter(|n| !n.printed.is_empty())
            .flat_map(|n| {
                text.match_indices(n.printed.as_str())
                    .map(|(i, s)| i..i + s.len())
                    .collect::<Vec<_>>()
            })
            .collect();
        let dates = figure::dates(text);
        let inside = |m: &Range<usize>, spans: &[Range<usize>]| {
            spans.iter().any(|s| s.start <= m.start && m.end <= s.end)
        };
        let mut c = FigureCoverage::default();
        for m in figure::mentions(text) {
            c.numbers += 1;
            if inside(&m, &quotes) {
                c.in_claims += 1;
            } else if inside(&m, &dates) {
                c.dates_by_rule += 1;
            } else if inside(&m, &declared) {
                c.declared += 1;
            } else if which.is_some() && same_in_record_text(r, text, &m) {
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

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn describe(r: Reading) -> String {
    let bound = |b: Option<u64>| b.map(|v| v.to_string()).unwrap_or_else(|| "none".into());
    format!(
        "low {}, high {} ({})",
        bound(r.low),
        bound(r.high),
        r.qualifier.as_str()
    )
}

/// Every claim rule and the completeness of the record's numbers.
pub fn check_claims(r: &Record, ctx: &RecordContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, c) in r.claims.iter().enumerate() {
        let base = format!("/claims/{k}");
        if !c.id.starts_with(|ch: char| ch.is_ascii_lowercase()) || !is_slug(&c.id) {
            out.push(
                ctx.diag("claim", &format!("{base}/id"), format!("the claim id `{}` is not a lower-case slug", c.id))
                    .help("number claims `c1`, `c2`, ... in the order they are added; an id is never changed or reused"),
            );
        }
        if let Some(first) = seen.insert(&c.id, k) {
            out.push(
                ctx.diag(
                    "claim",
                    &format!("{base}/id"),
                    format!(
                        "the claim id `{}` is used twice in this record (claims {} and {})",
                        c.id,
                        first + 1,
                        k + 1
                    ),
                )
                .help("give this claim the next unused id; ids are never reused"),
            );
        }
        if let Some(n) = c.appearance {
            let own = r
                .appearances
                .get((n as usize).wrapping_sub(1))
                .is_some_and(|a| a.text.is_some());
            if !own {
                out.push(
                    ctx.diag("claim", &format!("{base}/appearance"), format!("printing {n} has no text of its own"))
                        .help("give `appearance` only for a figure in a printing whose own `text` differs from the record's; leave it out for the record's text"),
                );
                continue;
            }
        }
        match locate(r, c) {
            Ok(span) => {
                if !c.quote.contains(c.value.as_str()) || c.value.trim().is_empty() {
                    out.push(
                        ctx.diag("claim", &format!("{base}/value"), format!("the value `{}` is not in the quote", c.value))
                            .help("write the figure exactly as printed inside the quote, e.g. `613` or `over 600`"),
                    );
                }
                let _ = span;
            }
            Err(e) => {
                let (message, help) = match e {
                    QuoteError::NoText => ("the record has no text to quote".to_string(), "a claim quotes the record's text; a record without text has no claims".to_string()),
                    QuoteError::NotFound => (
                        "the quote is not in the text".to_string(),
                        "copy the clause exactly from the text (same characters, spaces and quotation marks); for a printing's own text set `appearance`".to_string(),
                    ),
                    QuoteError::Ambiguous(n) => (
                        format!("the quote occurs {n} times in the text"),
                        format!("lengthen the quote or add `occurrence = N` (1 to {n})"),
                    ),
                    QuoteError::NoSuchOccurrence(n) => (
                        format!("there is no such occurrence of the quote (it occurs {n} times)"),
                        format!("`occurrence` counts from 1 to {n}"),
                    ),
                };
                out.push(
                    ctx.diag("claim", &format!("{base}/quote"), message)
                        .help(help),
                );
            }
        }
        match (figure::read(&c.value), c.low, c.high) {
            (None, None, None) => out.push(
                ctx.diag("claim", &format!("{base}/value"), format!("the words `{}` are not a figure the reading rules know", c.value))
                    .help("give `low` and/or `high` (the counts the words allow), or quote the figure's words only (`over 600`, not `over 600 people`)"),
            ),
            (Some(reading), low, high) if low.is_some() || high.is_some() => {
                let agrees = low.is_none_or(|l| Some(l) == reading.low)
                    && high.is_none_or(|h| Some(h) == reading.high);
                if !agrees {
                    out.push(
                        ctx.diag("claim", &format!("{base}/value"), format!("`{}` reads as {} by the documented rules, but the claim gives low {}, high {}", c.value, describe(reading), low.map(|v| v.to_string()).unwrap_or("none".into()), high.map(|v| v.to_string()).unwrap_or("none".into())))
                            .help("leave out `low` and `high` where the words give them; they are computed"),
                    );
                }
            }
            _ => {}
        }
        if let (Some(l), Some(h)) = (c.low, c.high)
            && l > h
        {
            out.push(
                ctx.diag(
                    "claim",
                    &format!("{base}/low"),
                    format!("low {l} is above high {h}"),
                )
                .help("`low` is the smallest count the words allow, `high` the largest"),
            );
        }
        if c.quantity == Quantity::Other
            && c.quantity_as_printed.as_deref().is_none_or(str::is_empty)
        {
            out.push(
                ctx.diag(
                    "claim",
                    &format!("{base}/quantity"),
                    "a claim of quantity `other` must say what it counts",
                )
                .help("add `quantity_as_printed = \"...\"`: what is counted, in the text's words"),
            );
        }
        if let Some(d) = &c.statement_date
            && let Err(e) = edtf::parse(d)
        {
            out.push(
                ctx.diag("claim", &format!("{base}/statement_date"), format!("`{d}` is not an EDTF date: {e}"))
                    .help("write the date the text gives for the statement as EDTF (1992-02-28, 1992-02, 1992), or leave it out for the record's date"),
            );
        }
        if c.stated_by.trim().is_empty() {
            out.push(
                ctx.diag("claim", &format!("{base}/stated_by"), "`stated_by` is empty")
                    .help("write `record_author`, a body id from bodies.toml, or the person's name as printed"),
            );
        } else if is_slug(&c.stated_by)
            && c.stated_by != "record_author"
            && !ctx.bodies.contains_key(&c.stated_by)
        {
            out.push(
                ctx.diag("claim", &format!("{base}/stated_by"), format!("no body with the id `{}`", c.stated_by))
                    .help("write `record_author`, a body id from bodies.toml, or the person's name as printed (with capitals)"),
            );
        }
    }
    for (k, n) in r.not_figures.iter().enumerate() {
        let base = format!("/not_figures/{k}");
        let in_some_text = !n.printed.is_empty()
            && (r
                .text
                .as_deref()
                .is_some_and(|t| t.contains(n.printed.as_str()))
                || r.appearances.iter().any(|a| {
                    a.text
                        .as_deref()
                        .is_some_and(|t| t.contains(n.printed.as_str()))
                }));
        if !in_some_text {
            out.push(
                ctx.diag("not-figure", &format!("{base}/printed"), format!("`{}` is not in the text", n.printed))
                    .help("copy the words exactly from the text, with the number and enough context to be unambiguous"),
            );
        }
        if n.reason == NotFigureReason::Other && n.note.as_deref().is_none_or(str::is_empty) {
            out.push(
                ctx.diag(
                    "not-figure",
                    &format!("{base}/reason"),
                    "a number declared for another reason must say it in `note`",
                )
                .help("add `note = \"...\"`, or use one of the named reasons"),
            );
        }
    }
    for (which, cov) in coverage(r) {
        let Some(first) = cov.uncovered.first() else {
            continue;
        };
        let (pointer, text) = match which {
            None => ("/text".to_string(), r.text.as_deref().unwrap_or("")),
            Some(i) => (
                format!("/appearances/{i}/text"),
                r.appearances
                    .get(i)
                    .and_then(|a| a.text.as_deref())
                    .unwrap_or(""),
            ),
        };
        let shown: Vec<String> = cov
            .uncovered
            .iter()
            .take(8)
            .map(|m| format!("`{}`", context(text, m)))
            .collect();
        let more = if cov.uncovered.len() > 8 { ", …" } else { "" };
        let mut d = ctx
            .diag(
                "figure-coverage",
                &pointer,
                format!(
                    "{} number{} in the text {} neither in a claim's quote nor declared: {}{more}",
                    cov.uncovered.len(),
                    if cov.uncovered.len() == 1 { "" } else { "s" },
                    if cov.uncovered.len() == 1 {
                        "is"
                    } else {
                        "are"
                    },
                    shown.join(", ")
                ),
            )
            .label("not accounted for");
        if let Some(span) = number_span(ctx, &pointer, text, first) {
            d.span = Some(span);
        }
        out.push(d.help("add a `[[claims]]` entry for each figure statement, or declare a number that states no figure in `not_figures` (a date, an age, an identifier) with its reason"));
    }
}

/// A few words around a number, for the message.
fn context(text: &str, m: &Range<usize>) -> String {
    let before: Vec<&str> = text
        .get(..m.start)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .take(3)
        .collect();
    let after: Vec<&str> = text
        .get(m.end..)
        .unwrap_or("")
        .split_whitespace()
        .take(2)
        .collect();
    let mut words: Vec<&str> = before.into_iter().rev().collect();
    let number_end = text
        .get(m.start..)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("");
    words.push(number_end);
    words.extend(
        after.iter().skip(usize::from(
            !text
                .get(m.end..)
                .unwrap_or("")
                .starts_with(char::is_whitespace),
        )),
    );
    words.join(" ")
}

/// The position in the record file of the number at `m` in the text at `pointer`: the raw value
/// holds the text verbatim, so the n-th occurrence of the number's characters is the one.
fn number_span(
    ctx: &RecordContext<'_>,
    pointer: &str,
    text: &str,
    m: &Range<usize>,
) -> Option<Range<usize>> {
    let value = ctx.span(pointer)?;
    let raw = ctx.source.text.get(value.clone())?;
    let number = text.get(m.clone())?;
    let nth = text.get(..m.start)?.matches(number).count();
    let (at, _) = raw.match_indices(number).nth(nth)?;
    Some(value.start + at..value.start + at + number.len())
}
