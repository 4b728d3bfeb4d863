//! Claims: every figure statement quoted exactly, read by the documented rules, attributed with
//! the controlled vocabulary; and every number of every text accounted for, as a claim, as a date
//! by the built-in rule, or declared as not a figure.

use std::collections::BTreeMap;
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::rules::RecordContext;
use crate::model::claim::{
    NotFigureReason, Quantity, QuoteError, TextRef, coverage_with, locate_all,
};
use crate::model::figure::{self, Reading};
use crate::model::{Record, edtf, search};

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
    let before = out.len();
    // Each quote is searched for once: for these checks, the coverage below and the release.
    let located = locate_all(r);
    *ctx.quotes.borrow_mut() = Some(located.iter().map(|q| q.clone().ok()).collect());
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for ((k, c), found) in r.claims.iter().enumerate().zip(&located) {
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
        if c.appearance.is_some() && c.footnote.is_some() {
            out.push(
                ctx.diag("claim", &format!("{base}/footnote"), "a claim quotes one text: give `appearance` or `footnote`, not both")
                    .help("`appearance` for a printing's own text, `footnote` for one of the record's footnotes"),
            );
            continue;
        }
        if let Some(n) = c.footnote
            && r.footnotes.get((n as usize).wrapping_sub(1)).is_none()
        {
            out.push(
                ctx.diag(
                    "claim",
                    &format!("{base}/footnote"),
                    format!(
                        "the record has no footnote {n} (it has {})",
                        r.footnotes.len()
                    ),
                )
                .help("`footnote` counts the record's `footnotes` from 1"),
            );
            continue;
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
        match found {
            Ok(_) => {
                if !c.quote.contains(c.value.as_str()) || c.value.trim().is_empty() {
                    out.push(
                        ctx.diag("claim", &format!("{base}/value"), format!("the value `{}` is not in the quote", c.value))
                            .help("write the figure exactly as printed inside the quote, e.g. `613` or `over 600`"),
                    );
                }
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
            (None, None, None) if c.note.as_deref().is_none_or(str::is_empty) => out.push(
                ctx.diag("claim", &format!("{base}/value"), format!("the words `{}` are not a figure the reading rules know", c.value))
                    .help("give `low` and/or `high` (the counts the words allow), or quote the figure's words only (`over 600`, not `over 600 people`); words no count can be read from (a misprint) may stay without bounds when a `note` says why"),
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
            && [TextRef::Record]
                .into_iter()
                .chain((0..r.appearances.len()).map(TextRef::Appearance))
                .chain((0..r.footnotes.len()).map(TextRef::Footnote))
                .any(|t| t.get(r).is_some_and(|t| t.contains(n.printed.as_str())));
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
    // A broken claim or declaration leaves its number uncovered: report the one fault only.
    if out.len() > before {
        return;
    }
    for (which, cov) in coverage_with(r, &located) {
        let Some(first) = cov.uncovered.first() else {
            continue;
        };
        let pointer = which.pointer();
        let text = which.get(r).unwrap_or("");
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
    let nth = search::occurrences(text.get(..m.start)?, number).count();
    let at = search::occurrences(raw, number).nth(nth)?;
    Some(value.start + at..value.start + at + number.len())
}
