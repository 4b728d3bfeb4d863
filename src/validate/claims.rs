//! Claims: every figure statement quoted exactly, read by the documented rules, attributed with
//! the controlled vocabulary; and every number of every text accounted for, as a claim, as a date
//! by the built-in rule, or declared as not a figure.

use std::collections::BTreeMap;
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::rules::{FileIndex, Quotes, RecordContext, ReferenceField, unknown_agent};
use crate::model::agent::{self, RECORD_AUTHOR};
use crate::model::claim::{
    self, Claim, NotFigureReason, Quantity, QuoteError, SpeechMode, TextRef, coverage_with,
    locate_all,
};
use crate::model::figure::{self, Reading};
use crate::model::{Kind, Record, edtf, search};
use crate::validate::rule::Rule;

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The qualifier: read by the rules, or curated with its reason where they cannot read it.
fn check_qualifier(
    c: &Claim,
    reading: Option<Reading>,
    base: &str,
    ctx: &RecordContext<'_>,
    out: &mut Vec<Diagnostic>,
) {
    match (reading, c.qualifier, c.qualifier_reason.as_deref().map(str::trim)) {
        (None, None, _) => out.push(
            ctx.diag(Rule::ClaimQualifier, &format!("{base}/value"), format!("the words `{}` are not a figure the reading rules know, and the claim gives no `qualifier`", c.value))
                .help("quote the figure's words only (`over 600`, not `over 600 people`); where the rules cannot read them (a fraction, a misprint), give `qualifier` and `qualifier_reason` (and `low`/`high` where the words allow a count)"),
        ),
        (_, Some(_), None | Some("")) => out.push(
            ctx.diag(Rule::ClaimQualifier, &format!("{base}/qualifier"), "a curated `qualifier` needs a `qualifier_reason`")
                .help("add `qualifier_reason = \"...\"`, quoting the words that qualify the figure"),
        ),
        (_, None, Some(_)) => out.push(
            ctx.diag(Rule::ClaimQualifier, &format!("{base}/qualifier_reason"), "`qualifier_reason` without a `qualifier`")
                .help("give the `qualifier` the reason is for, or remove the reason"),
        ),
        (Some(r), Some(q), Some(_)) if r.qualifier == q => out.push(
            ctx.diag(Rule::ClaimQualifier, &format!("{base}/qualifier"), format!("the rules already read `{}` as `{}`", c.value, q.as_str()))
                .help("remove `qualifier` and `qualifier_reason`: the rules give it"),
        ),
        _ => {}
    }
}

/// Who states the figure, through whom, what it counts in, and the claims it relates to.
fn check_statement(
    r: &Record,
    c: &Claim,
    k: usize,
    base: &str,
    ctx: &RecordContext<'_>,
    index: &mut FileIndex,
    out: &mut Vec<Diagnostic>,
) {
    if c.stated_by == RECORD_AUTHOR {
        if let Some(id) = agent::own_voice(r, ctx.agents) {
            index.agents_used.insert(id.to_string());
        }
    } else if !ctx.agents.contains_key(&c.stated_by) {
        if ctx.agents_loaded {
            out.push(unknown_agent(ctx, &format!("{base}/stated_by"), &c.stated_by).help(
                "write an agent id of data/agents.toml, or `record_author` for the record's own voice (a testimony's witness, a remark's speaker, the single author, else the issuer)",
            ));
        }
    } else {
        index.agents_used.insert(c.stated_by.clone());
        // A testimony's or remark's figure in the speaker's own words is the speaker's, not the
        // outlet's or chamber's that printed it.
        let own_voice_kind = matches!(r.kind, Kind::Testimony | Kind::LegislativeRemark);
        if own_voice_kind
            && c.stated_by == r.body
            && c.speech_mode == SpeechMode::OwnAssertion
            && agent::own_voice_as_printed(r).is_some()
        {
            out.push(
                ctx.diag(Rule::ClaimAttribution, &format!("{base}/stated_by"), format!(
                    "a figure the {} states in their own words is attributed to `{}`, the record's issuer",
                    if r.kind == Kind::Testimony { "witness" } else { "speaker" },
                    r.body
                ))
                .help("write `stated_by = \"record_author\"` (the witness or speaker), or the agent the text presents as stating it, with the matching `speech_mode`"),
            );
        }
    }
    for (j, relay) in c.relayed_by.iter().enumerate() {
        if ctx.agents.contains_key(relay) {
            index.agents_used.insert(relay.clone());
        } else if ctx.agents_loaded {
            out.push(unknown_agent(ctx, &format!("{base}/relayed_by/{j}"), relay));
        }
    }
    if let Some(p) = &c.stated_by_as_printed {
        // Compared with runs of white space as one space: a stray tab is hygiene's to report.
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = flat(p);
        let printed = [TextRef::Record, TextRef::Title]
            .into_iter()
            .chain((0..r.appearances.len()).map(TextRef::Appearance))
            .chain((0..r.footnotes.len()).map(TextRef::Footnote))
            .any(|t| {
                t.get(r)
                    .is_some_and(|t| !words.is_empty() && flat(t).contains(&words))
            });
        if !printed {
            out.push(
                ctx.diag(Rule::ClaimAsPrinted, &format!("{base}/stated_by_as_printed"), format!("`{p}` is not printed in the record's text or title"))
                    .help("copy the words naming the stater exactly from the text; put any explanation in `note`"),
            );
        }
    }
    match &c.unit {
        Some(u) if !claim::is_unit(u) => out.push(
            ctx.diag(Rule::ClaimUnit, &format!("{base}/unit"), format!("`{u}` is not a unit"))
                .help(format!("write one of {}, or an ISO 4217 currency code (`USD`)", claim::UNITS.join(", "))),
        ),
        None if claim::default_unit(c.quantity).is_none() => out.push(
            ctx.diag(Rule::ClaimUnit, &format!("{base}/quantity"), format!("a claim of quantity `{}` must give its `unit`", c.quantity.as_str()))
                .help("add `unit = \"...\"`: buildings, settlements, items, percent, an ISO 4217 currency code, ..."),
        ),
        _ => {}
    }
    if c.part_of_claim.is_some() && c.is_total != Some(false) {
        out.push(
            ctx.diag(Rule::Claim, &format!("{base}/part_of_claim"), "`part_of_claim` is for a sub-count, but the claim is not marked `is_total = false`")
                .help("add `is_total = false`, or remove `part_of_claim`"),
        );
    }
    let refs = [
        (
            c.same_statement_as.as_deref(),
            "same_statement_as",
            ReferenceField::SameStatementAs(u32::try_from(k).unwrap_or(u32::MAX)),
        ),
        (
            c.part_of_claim.as_deref(),
            "part_of_claim",
            ReferenceField::PartOfClaim(u32::try_from(k).unwrap_or(u32::MAX)),
        ),
    ];
    for (reference, name, field) in refs {
        let Some(reference) = reference else { continue };
        let (record, claim_id) = claim::split_claim_ref(&r.id, reference);
        if record == r.id {
            match r.claims.iter().find(|o| o.id == claim_id) {
                None => out.push(
                    ctx.diag(Rule::ClaimReference, &format!("{base}/{name}"), format!("this record has no claim `{claim_id}`"))
                        .help("give the id of a claim of this record (`c3`), or `<record-id>#<claim id>` for another record's"),
                ),
                Some(o) if o.id == c.id => out.push(
                    ctx.diag(Rule::ClaimReference, &format!("{base}/{name}"), "a claim cannot refer to itself")
                        .help("name the other claim"),
                ),
                Some(o) if name == "same_statement_as" && o.same_statement_as.is_some() => out.push(
                    ctx.diag(Rule::ClaimReference, &format!("{base}/{name}"), format!("`{claim_id}` restates another claim itself"))
                        .help("point at the claim that first prints the statement (the one without `same_statement_as`)"),
                ),
                Some(_) => {}
            }
        } else {
            index.add_claim_reference(field, record, claim_id);
        }
    }
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

/// Every claim rule and the completeness of the record's numbers. Returns where each claim's
/// quote stands, for the release's claims table.
pub fn check_claims(
    r: &Record,
    ctx: &RecordContext<'_>,
    index: &mut FileIndex,
    out: &mut Vec<Diagnostic>,
) -> Quotes {
    let before = out.len();
    // Each quote is searched for once: for these checks, the coverage below and the release.
    let located = locate_all(r);
    let quotes: Quotes = located.iter().map(|q| q.clone().ok()).collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for ((k, c), found) in r.claims.iter().enumerate().zip(&located) {
        let base = format!("/claims/{k}");
        if !c.id.starts_with(|ch: char| ch.is_ascii_lowercase()) || !is_slug(&c.id) {
            out.push(
                ctx.diag(Rule::Claim, &format!("{base}/id"), format!("the claim id `{}` is not a lower-case slug", c.id))
                    .help("number claims `c1`, `c2`, ... in the order they are added; an id is never changed or reused"),
            );
        }
        if let Some(first) = seen.insert(&c.id, k) {
            out.push(
                ctx.diag(
                    Rule::Claim,
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
        if u8::from(c.appearance.is_some()) + u8::from(c.footnote.is_some()) + u8::from(c.title) > 1
        {
            out.push(
                ctx.diag(Rule::Claim, &format!("{base}/footnote"), "a claim quotes one text: give one of `appearance`, `footnote` and `title`")
                    .help("`appearance` for a printing's own text, `footnote` for one of the record's footnotes, `title = true` for the title"),
            );
            continue;
        }
        if let Some(n) = c.footnote
            && r.footnotes.get((n as usize).wrapping_sub(1)).is_none()
        {
            out.push(
                ctx.diag(
                    Rule::Claim,
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
                    ctx.diag(Rule::Claim, &format!("{base}/appearance"), format!("printing {n} has no text of its own"))
                        .help("give `appearance` only for a figure in a printing whose own `text` differs from the record's; leave it out for the record's text"),
                );
                continue;
            }
        }
        match found {
            Ok(_) => {
                if !c.quote.contains(c.value.as_str()) || c.value.trim().is_empty() {
                    out.push(
                        ctx.diag(Rule::Claim, &format!("{base}/value"), format!("the value `{}` is not in the quote", c.value))
                            .help("write the figure exactly as printed inside the quote, e.g. `613` or `over 600`"),
                    );
                }
            }
            Err(e) => {
                let (message, help) = match e {
                    QuoteError::NoText if c.title => ("the record has no title to quote".to_string(), "`title = true` is for a figure printed in the record's title".to_string()),
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
                    ctx.diag(Rule::Claim, &format!("{base}/quote"), message)
                        .help(help),
                );
            }
        }
        let reading = figure::read(&c.value);
        check_qualifier(c, reading, &base, ctx, out);
        match (reading, c.low, c.high) {
            (Some(_), _, _) if c.qualifier.is_some() => {}
            (Some(reading), low, high) if low.is_some() || high.is_some() => {
                let agrees = low.is_none_or(|l| Some(l) == reading.low)
                    && high.is_none_or(|h| Some(h) == reading.high);
                if !agrees {
                    out.push(
                        ctx.diag(Rule::Claim, &format!("{base}/value"), format!("`{}` reads as {} by the documented rules, but the claim gives low {}, high {}", c.value, describe(reading), low.map(|v| v.to_string()).unwrap_or("none".into()), high.map(|v| v.to_string()).unwrap_or("none".into())))
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
                    Rule::Claim,
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
                    Rule::Claim,
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
                ctx.diag(Rule::Claim, &format!("{base}/statement_date"), format!("`{d}` is not an EDTF date: {e}"))
                    .help("write the date the text gives for the statement as EDTF (1992-02-28, 1992-02, 1992), or leave it out for the record's date"),
            );
        }
        check_statement(r, c, k, &base, ctx, index, out);
    }
    for (k, n) in r.not_figures.iter().enumerate() {
        let base = format!("/not_figures/{k}");
        let in_some_text = !n.printed.is_empty()
            && [TextRef::Record, TextRef::Title]
                .into_iter()
                .chain((0..r.appearances.len()).map(TextRef::Appearance))
                .chain((0..r.footnotes.len()).map(TextRef::Footnote))
                .any(|t| t.get(r).is_some_and(|t| t.contains(n.printed.as_str())));
        if !in_some_text {
            out.push(
                ctx.diag(Rule::NotFigure, &format!("{base}/printed"), format!("`{}` is not in the text", n.printed))
                    .help("copy the words exactly from the text, with the number and enough context to be unambiguous"),
            );
        }
        if n.reason == NotFigureReason::Other && n.note.as_deref().is_none_or(str::is_empty) {
            out.push(
                ctx.diag(
                    Rule::NotFigure,
                    &format!("{base}/reason"),
                    "a number declared for another reason must say it in `note`",
                )
                .help("add `note = \"...\"`, or use one of the named reasons"),
            );
        }
    }
    // A broken claim or declaration leaves its number uncovered: report the one fault only.
    if out.len() > before {
        return quotes;
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
                Rule::FigureCoverage,
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
    quotes
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
