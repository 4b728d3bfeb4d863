//! Text fidelity: the rule that every printing of a record is accounted for, both ways.
//!
//! Each printing's span is aligned with what the record declares for it (see
//! `compare::alignment`): every printed token is matched by the text, a parallel text or the
//! heading, or is declared layout or omitted, and every token of those texts is matched in
//! order. The first departure of each printing is reported at the word where it happens, with
//! the printed line quoted. A printing whose status says it is complete must not lack passages
//! that another printing of the same record has. Footnotes and compiler notes, which stand in
//! footnote blocks (layout lines), must each occur as one unbroken run of printed words.

use std::ops::Range;

use super::LoadedCompilation;
use super::diagnostic::Diagnostic;
use super::rules::RecordContext;
use crate::compare::alignment::{AlignError, Departure, Piece, PieceKind};
use crate::compare::printing::{self, EmendationError, PASSAGE_WORDS, PieceError};
use crate::load::PrintedToken;
use crate::model::record::{Appearance, Emendation, OmissionReason};
use crate::model::{Record, TextStatus};
use crate::validate::rule::Rule;

/// Why a note was not found in its printing.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Index of the first note token that could not be matched.
    pub token_index: usize,
    pub text_token: String,
    /// A few tokens before it, for context.
    pub context: String,
    /// The printed token found instead, and its line, if the run got that far.
    pub printed: Option<(String, u32)>,
}

/// Finds `text` as one unbroken run of printed tokens (a word hyphenated across a line end may be
/// written whole); returns the furthest mismatch when it is not there. For footnotes and compiler
/// notes, which are short: the search restarts only where the note's first word is printed.
pub fn find(text: &str, printed: &[PrintedToken]) -> Result<(), Mismatch> {
    let wanted: Vec<&str> = text.split_whitespace().collect();
    let Some(first) = wanted.first() else {
        return Ok(());
    };
    let mut best: Option<(usize, Option<usize>)> = None;
    for start in 0..printed.len() {
        if printed.get(start).is_none_or(|p| p.text != *first) {
            continue;
        }
        let (mut i, mut j) = (0, start);
        while let (Some(want), Some(p)) = (wanted.get(i), printed.get(j)) {
            if *want == p.text {
                i += 1;
                j += 1;
                continue;
            }
            if let (Some(stem), Some(next)) = (p.text.strip_suffix('-'), printed.get(j + 1))
                && next.line != p.line
                && (*want == format!("{}{}", p.text, next.text)
                    || *want == format!("{stem}{}", next.text))
            {
                i += 1;
                j += 2;
                continue;
            }
            break;
        }
        if i == wanted.len() {
            return Ok(());
        }
        if best.is_none_or(|(bi, _)| i > bi) {
            best = Some((i, (j < printed.len()).then_some(j)));
        }
    }
    let (i, j) = best.unwrap_or((0, None));
    Err(Mismatch {
        token_index: i,
        text_token: wanted.get(i).map(|s| s.to_string()).unwrap_or_default(),
        context: wanted
            .get(i.saturating_sub(6)..i)
            .map(|w| w.join(" "))
            .unwrap_or_default(),
        printed: j
            .and_then(|j| printed.get(j))
            .map(|p| (p.text.clone(), p.line)),
    })
}

/// The counts of each printing's proof, by appearance index (None where none was made): what
/// the release's appearances table publishes, without aligning every printing again.
pub type Proofs = Vec<Option<printing::Coverage>>;

/// Keeps what printing `i`'s proof counted.
fn record_proof(proofs: &mut Proofs, i: usize, counts: crate::compare::alignment::Counts) {
    if proofs.len() <= i {
        proofs.resize(i + 1, None);
    }
    if let Some(slot) = proofs.get_mut(i) {
        *slot = Some(printing::Coverage {
            counts,
            words_lacking: 0,
        });
    }
}

/// Checks every printing of `r`: spans, declarations, the two-way alignment, completeness
/// against the other printings, compiler notes and footnotes. Returns what it proved: each
/// printing's counts and the word diffs of pairs of printings.
pub fn check_printings(
    r: &Record,
    ctx: &RecordContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> (Proofs, printing::PairHunks) {
    let mut proofs = Proofs::new();
    let mut aligned: Vec<usize> = Vec::new();
    for (i, a) in r.appearances.iter().enumerate() {
        let base = format!("/appearances/{i}");
        let Some(comp) = ctx.compilations.get(&a.compilation) else {
            let known: Vec<&str> = ctx.compilations.keys().map(String::as_str).collect();
            out.push(
                ctx.diag(Rule::UnknownCompilation, &format!("{base}/compilation"), format!("no compilation with the id `{}`", a.compilation))
                    .label("unknown compilation")
                    .help(if known.is_empty() {
                        "no compilation could be loaded: fix the compilation problems reported above first".to_string()
                    } else {
                        format!("use one of: {}", known.join(", "))
                    }),
            );
            continue;
        };
        if !check_declarations(r, i, a, comp, ctx, out) {
            continue;
        }
        match printing::prove(r, i, &comp.transcription) {
            Ok(proof) => match &proof.alignment.error {
                None => {
                    record_proof(&mut proofs, i, proof.counts);
                    aligned.push(i)
                }
                Some(e) => {
                    let span = comp.transcription.span(a.lines[0], a.lines[1]);
                    out.push(alignment_problem(r, i, e, &proof.pieces, span, comp, ctx));
                }
            },
            Err(PieceError::Emendation { parallel, error }) => {
                let (pointer, emendations) = match parallel {
                    None => (format!("{base}/emendations"), &a.emendations),
                    Some(k) => match r.parallel_texts.get(k) {
                        Some(p) => (format!("/parallel_texts/{k}/emendations"), &p.emendations),
                        None => continue,
                    },
                };
                out.push(emendation_problem(ctx, &pointer, emendations, error));
            }
        }
        let printed = comp.transcription.span(a.lines[0], a.lines[1]);
        for (k, note) in a.compiler_notes.iter().enumerate() {
            if let Err(m) = find(note, printed) {
                out.push(note_problem(
                    ctx,
                    &format!("{base}/compiler_notes/{k}"),
                    "the compiler note",
                    &m,
                    comp,
                    a.lines,
                ));
            }
        }
        // Footnotes belong to the document; they must stand in its first printing with text.
        if printing::parallel_host(r) == Some(i) {
            for (k, f) in r.footnotes.iter().enumerate() {
                if let Err(m) = find(&f.text, printed) {
                    out.push(note_problem(
                        ctx,
                        &format!("/footnotes/{k}/text"),
                        "the footnote",
                        &m,
                        comp,
                        a.lines,
                    ));
                }
            }
        }
    }
    let diffs = check_completeness(r, &aligned, &mut proofs, ctx, out);
    (proofs, diffs)
}

/// Spans and declarations that must hold before a printing can be aligned; false when one fails.
fn check_declarations(
    r: &Record,
    i: usize,
    a: &Appearance,
    comp: &LoadedCompilation,
    ctx: &RecordContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let base = format!("/appearances/{i}");
    let total = comp.transcription.line_count();
    let [first, last] = a.lines;
    if first == 0 || first > last || last > total {
        out.push(
            ctx.diag(
                Rule::LineSpan,
                &format!("{base}/lines"),
                format!(
                    "the line span {first}-{last} is not inside the transcription (lines 1-{total})"
                ),
            )
            .help(format!(
                "give [first, last] with 1 <= first <= last <= {total}: the printing's lines in {}",
                comp.meta.transcription
            )),
        );
        return false;
    }
    let before = out.len();
    let inside = |l: [u32; 2]| l[0] <= l[1] && l[0] >= first && l[1] <= last;
    for (k, l) in a.layout_lines.iter().enumerate() {
        if !inside(*l) {
            out.push(
                ctx.diag(Rule::LineSpan, &format!("{base}/layout_lines/{k}"), format!("layout lines {}-{} are not inside the printing's lines {first}-{last}", l[0], l[1]))
                    .help("layout lines mark running headers, footnote blocks and captions inside the printing's own span"),
            );
        }
    }
    for (k, t) in a.layout_tokens.iter().enumerate() {
        if !(first..=last).contains(&t.line) {
            out.push(
                ctx.diag(Rule::LineSpan, &format!("{base}/layout_tokens/{k}/line"), format!("layout token `{}` is declared on line {}, outside the printing's lines {first}-{last}", t.printed, t.line))
                    .help("declare only tokens inside the printing's span"),
            );
        }
    }
    for (k, o) in a.omissions.iter().enumerate() {
        let pointer = format!("{base}/omissions/{k}");
        match (&o.lines, &o.printed) {
            (Some(l), None) if !inside(*l) => out.push(
                ctx.diag(Rule::LineSpan, &format!("{pointer}/lines"), format!("omitted lines {}-{} are not inside the printing's lines {first}-{last}", l[0], l[1]))
                    .help("an omission covers printed lines inside the printing's own span"),
            ),
            (Some(_), None) | (None, Some(_)) => {}
            _ => out.push(
                ctx.diag(Rule::Omission, &pointer, "an omission gives either `lines` or `printed`, and exactly one of them")
                    .help("use `lines = [first, last]` for whole lines left out, or `printed = \"...\"` for the exact printed words"),
            ),
        }
        match (o.reason, &o.record, &o.note) {
            (OmissionReason::OtherRecord, None, _) => out.push(
                ctx.diag(
                    Rule::Omission,
                    &format!("{pointer}/reason"),
                    "an omission left to another record must name it in `record`",
                )
                .help("add `record = \"<id>\"`: the record whose text holds the passage"),
            ),
            (OmissionReason::Other, _, None) => out.push(
                ctx.diag(
                    Rule::Omission,
                    &format!("{pointer}/reason"),
                    "an omission for another reason must say it in `note`",
                )
                .help("add `note = \"...\"`, or use one of the named reasons"),
            ),
            (_, Some(id), _) if id == &r.id => out.push(
                ctx.diag(
                    Rule::Omission,
                    &format!("{pointer}/record"),
                    "an omission cannot be left to the record itself",
                )
                .help("name the record that holds the passage"),
            ),
            _ => {}
        }
    }
    out.len() == before
}

/// The record file pointer of a piece's source text.
fn piece_pointer(r: &Record, i: usize, kind: PieceKind) -> String {
    let base = format!("/appearances/{i}");
    match kind {
        PieceKind::Text => match r.appearances.get(i).and_then(|a| a.text.as_ref()) {
            Some(_) => format!("{base}/text"),
            None => "/text".to_string(),
        },
        PieceKind::Parallel(k) => format!("/parallel_texts/{k}/text"),
        PieceKind::Heading(_) => format!("{base}/heading"),
        PieceKind::Omission(k) => format!("{base}/omissions/{k}/printed"),
        PieceKind::Section => format!("{base}/section"),
        PieceKind::DateLine => format!("{base}/date_as_printed"),
    }
}

fn piece_name(kind: PieceKind) -> String {
    match kind {
        PieceKind::Text => "the text".into(),
        PieceKind::Parallel(k) => format!("parallel text {}", k + 1),
        PieceKind::Heading(k) => format!("part {} of the heading", k + 1),
        PieceKind::Omission(k) => format!("omission {}", k + 1),
        PieceKind::Section => "the section heading".into(),
        PieceKind::DateLine => "the date as printed".into(),
    }
}

/// A piece's token `token` and the six tokens before it, for messages and for finding the word
/// in the record file.
fn word_in_context(p: &Piece, token: usize) -> (String, String) {
    let word = p.tokens.get(token).unwrap_or_default().to_owned();
    let context = p.tokens.join(token.saturating_sub(6)..token);
    (word, context)
}

/// Up to `n` printed tokens from `at`, joined, with the line of the first.
fn printed_words(span: &[PrintedToken], at: usize, n: usize) -> (String, u32) {
    let words: Vec<&str> = span
        .iter()
        .skip(at)
        .take(n)
        .map(|t| t.text.as_str())
        .collect();
    let line = span.get(at).map(|t| t.line).unwrap_or(0);
    let more = if span.len() > at + n { " …" } else { "" };
    (format!("{}{more}", words.join(" ")), line)
}

fn alignment_problem(
    r: &Record,
    i: usize,
    error: &AlignError,
    pieces: &[Piece],
    span: &[PrintedToken],
    comp: &LoadedCompilation,
    ctx: &RecordContext<'_>,
) -> Diagnostic {
    let base = format!("/appearances/{i}");
    let file = &comp.meta.transcription;
    let [first, last] = r.appearances.get(i).map(|a| a.lines).unwrap_or([0, 0]);
    let quote_line = |d: Diagnostic, line: u32| {
        d.note(format!(
            "{file}:{line}: {}",
            comp.transcription.line(line).trim()
        ))
    };
    let layout_decl = |k: usize| r.appearances.get(i).and_then(|a| a.layout_tokens.get(k));
    match *error {
        AlignError::NoSuchLayoutToken { index } => {
            let (printed, line) = layout_decl(index)
                .map(|t| (t.printed.clone(), t.line))
                .unwrap_or_default();
            quote_line(
                ctx.diag(Rule::LayoutToken, &format!("{base}/layout_tokens/{index}"), format!("line {line} has no printed token `{printed}`{}", if layout_decl(index).and_then(|t| t.occurrence).is_some() { " at that occurrence" } else { "" })),
                line,
            )
            .help("give the whole token exactly as printed between spaces, on the line where it stands")
        }
        AlignError::AmbiguousLayoutToken { index, count } => {
            let (printed, line) = layout_decl(index)
                .map(|t| (t.printed.clone(), t.line))
                .unwrap_or_default();
            quote_line(
                ctx.diag(
                    Rule::LayoutToken,
                    &format!("{base}/layout_tokens/{index}"),
                    format!("`{printed}` stands {count} times on line {line}"),
                ),
                line,
            )
            .help(format!(
                "add `occurrence = N` (1 to {count}) to say which one is layout"
            ))
        }
        AlignError::BadSuffix { index } => {
            let (printed, suffix) = layout_decl(index)
                .map(|t| (t.printed.clone(), t.suffix.clone().unwrap_or_default()))
                .unwrap_or_default();
            ctx.diag(Rule::LayoutToken, &format!("{base}/layout_tokens/{index}/suffix"), format!("`{suffix}` is not the end of the printed token `{printed}`"))
                .help("`suffix` is the glued layout at the end of the token (e.g. `1` of `town”.1`); leave it out when the whole token is layout")
        }
        AlignError::Unaccounted { at, after } => {
            let (words, line) = printed_words(span, at, 12);
            let text_started = after.is_some() || pieces.iter().all(|p| p.kind != PieceKind::Text);
            let (pointer, place) = match after.and_then(|p| pieces.get(p)) {
                Some(p) => (
                    piece_pointer(r, i, p.kind),
                    format!("after the end of {}", piece_name(p.kind)),
                ),
                None if !text_started => (
                    piece_pointer(r, i, PieceKind::Text),
                    "before the text begins".to_string(),
                ),
                None => (format!("{base}/lines"), "in the span".to_string()),
            };
            let mut d = quote_line(
                ctx.diag(Rule::Fidelity, &pointer, format!("printed words are not accounted for {place}: line {line} of {file} prints `{words}`")),
                line,
            )
            .label("the printing has more words than this");
            // The caret goes to the end of the piece the words follow, or the start of the text.
            if let Some(span) = ctx.span(&pointer) {
                let at_end = after.is_some();
                let raw = ctx.source.text.get(span.clone()).unwrap_or("");
                let offset = if at_end {
                    raw.trim_end_matches(['\'', '"', '\n', ' ']).len()
                } else {
                    raw.len() - raw.trim_start_matches(['\'', '"', '\n', ' ']).len()
                };
                d.span = Some(span.start + offset..span.start + offset);
            }
            d.help(format!("every printed word of lines {first}-{last} must be accounted for: add the words to the text as printed; or declare them as layout (`layout_lines`, `layout_tokens` for a page number or footnote marker) or as an omission with its reason (`omissions`); or, if they belong to another document, end the span before line {line}"))
        }
        AlignError::Departs {
            piece,
            token,
            at,
            how,
        } => {
            let Some(p) = pieces.get(piece) else {
                return ctx.diag(Rule::Fidelity, &base, "the printing does not align");
            };
            let pointer = piece_pointer(r, i, p.kind);
            let name = piece_name(p.kind);
            let (word, context) = word_in_context(p, token);
            let (printed_here, line) = span
                .get(at)
                .map(|t| (t.text.clone(), t.line))
                .unwrap_or_default();
            let message = match how {
                Departure::Lacks { count } => {
                    let (lacked, _) = printed_words(span, at, count);
                    format!(
                        "{name} lacks printed words: line {line} prints `{}` after \"{context}\", before `{word}`",
                        lacked.trim_end_matches(" …")
                    )
                }
                Departure::Adds => format!(
                    "{name} has `{word}` after \"{context}\", which the printing does not have (line {line} prints `{printed_here}` there)"
                ),
                Departure::Differs => format!(
                    "{name} departs from the printing after \"{context}\": it has `{word}` where line {line} prints `{printed_here}`"
                ),
            };
            let mut d = quote_line(ctx.diag(Rule::Fidelity, &pointer, message), line)
                .label("not as printed");
            if let Some(span) = token_span(ctx, &pointer, &word, &context) {
                d.span = Some(span);
            }
            d.help("copy the passage exactly as printed, every word and number; mend conversion damage only with an emendation on the appearance; declare page numbers and footnote markers in `layout_tokens`")
        }
        AlignError::RunsPast { piece, token } => {
            let Some(p) = pieces.get(piece) else {
                return ctx.diag(Rule::Fidelity, &base, "the printing does not align");
            };
            let pointer = piece_pointer(r, i, p.kind);
            let (word, context) = word_in_context(p, token);
            let mut d = ctx
                .diag(Rule::Fidelity, &pointer, format!("{} goes on past the end of the span: `{word}` after \"{context}\" is not printed in lines {first}-{last} of {file}", piece_name(p.kind)))
                .label("not in the span");
            if let Some(span) = token_span(ctx, &pointer, &word, &context) {
                d.span = Some(span);
            }
            d.help("extend the span to the printing's last line, or remove words that the printing does not have")
        }
        AlignError::NotFound { piece } => {
            let Some(p) = pieces.get(piece) else {
                return ctx.diag(Rule::Fidelity, &base, "the printing does not align");
            };
            let pointer = piece_pointer(r, i, p.kind);
            let start = p.tokens.join(0..8);
            ctx.diag(Rule::Fidelity, &pointer, format!("{} is not printed in lines {first}-{last} of {file}: no passage there starts `{start}`", piece_name(p.kind)))
                .label("not found")
                .help("copy it exactly as printed (a heading part per printed heading line, joined with \" / \"), or check the line span")
        }
    }
}

/// Printings that claim to be complete must not lack passages another printing has.
fn check_completeness(
    r: &Record,
    aligned: &[usize],
    proofs: &mut Proofs,
    ctx: &RecordContext<'_>,
    out: &mut Vec<Diagnostic>,
) -> printing::PairHunks {
    if aligned.is_empty() {
        return printing::PairHunks::default();
    }
    // One word diff per pair of printings serves both the rule and the appearances table.
    let (mut lacks_of_all, diffs) = printing::lacks_of_all(r, PASSAGE_WORDS);
    for &i in aligned {
        let Some(a) = r.appearances.get(i) else {
            continue;
        };
        let lacks = lacks_of_all
            .get_mut(i)
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(Some(proof)) = proofs.get_mut(i) {
            proof.words_lacking = printing::most_lacked(&lacks);
        }
        if r.appearance_status(a) != TextStatus::Full {
            continue;
        }
        if let Some(lack) = lacks.into_iter().next() {
            let other = r.appearances.get(lack.other);
            let pointer = if a.text_status.is_some() {
                format!("/appearances/{i}/text_status")
            } else {
                format!("/appearances/{i}/lines")
            };
            out.push(
                ctx.diag(Rule::Completeness, &pointer, format!(
                    "this printing ({} lines {}-{}) is complete by its text status, but lacks {} words that printing {} ({} lines {}-{}) prints: “{}”",
                    a.compilation, a.lines[0], a.lines[1], lack.words, lack.other + 1,
                    other.map(|o| o.compilation.as_str()).unwrap_or(""),
                    other.map(|o| o.lines[0]).unwrap_or(0), other.map(|o| o.lines[1]).unwrap_or(0),
                    excerpt(&lack.passage, 16),
                ))
                .label("claims the whole document")
                .help("give this appearance `text_status = \"excerpt\"` and say in its `note` what it lacks; or, if the text is wrong, copy the printing again"),
            );
        }
    }
    diffs
}

/// The first `n` words of a passage, with an ellipsis when there are more.
fn excerpt(passage: &str, n: usize) -> String {
    let words: Vec<&str> = passage.split_whitespace().collect();
    match words.get(..n) {
        Some(head) if words.len() > n => format!("{} …", head.join(" ")),
        _ => words.join(" "),
    }
}

fn note_problem(
    ctx: &RecordContext<'_>,
    pointer: &str,
    what: &str,
    m: &Mismatch,
    comp: &LoadedCompilation,
    lines: [u32; 2],
) -> Diagnostic {
    let message = if m.token_index == 0 {
        format!(
            "{what} is not in the printing: its first word `{}` does not start a passage in lines {}-{} of {}",
            m.text_token, lines[0], lines[1], comp.meta.transcription
        )
    } else {
        format!(
            "{what} departs from the printing after {} matching words: it has `{}` after \"{}\"",
            m.token_index, m.text_token, m.context
        )
    };
    let mut d = ctx
        .diag(Rule::Fidelity, pointer, message)
        .label("not as printed");
    if let Some(span) = token_span(ctx, pointer, &m.text_token, &m.context) {
        d.span = Some(span);
    }
    if let Some((tok, line)) = &m.printed {
        d = d.note(format!(
            "{}:{line} prints `{tok}` there: {}",
            comp.meta.transcription,
            comp.transcription.line(*line).trim()
        ));
    }
    d.help("copy the note exactly as printed, as one unbroken run of printed words")
}

fn emendation_problem(
    ctx: &RecordContext<'_>,
    pointer: &str,
    emendations: &[Emendation],
    e: EmendationError,
) -> Diagnostic {
    let (index, message, help) = match e {
        EmendationError::NotInText { index, reads } => (
            index,
            format!("emendation {}: `{reads}` does not occur in the text it mends", index + 1),
            "`reads` must be the characters as they stand in the text; remove the emendation if the text keeps the printed form".to_string(),
        ),
        EmendationError::Ambiguous { index, reads, count } => (
            index,
            format!("emendation {}: `{reads}` occurs {count} times in the text", index + 1),
            format!("add `occurrence = N` (1 to {count}) to say which one is the mended one"),
        ),
        EmendationError::NoSuchOccurrence { index, reads, occurrence, count } => (
            index,
            format!("emendation {}: there is no occurrence {occurrence} of `{reads}` (it occurs {count} times)", index + 1),
            format!("`occurrence` counts from 1 to {count}"),
        ),
    };
    let _ = emendations;
    ctx.diag(Rule::Emendation, &format!("{pointer}/{index}"), message)
        .help(help)
}

/// The position in the record file of `word` preceded by `context`: the raw value is searched
/// token by token, so the caret lands on the word.
fn token_span(
    ctx: &RecordContext<'_>,
    pointer: &str,
    word: &str,
    context: &str,
) -> Option<Range<usize>> {
    let value = ctx.span(pointer)?;
    let raw = ctx.source.text.get(value.clone())?;
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in raw.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s0)) => {
                tokens.extend(raw.get(s0..i).map(|t| (s0, t)));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s0) = start {
        tokens.extend(raw.get(s0..).map(|t| (s0, t)));
    }
    let context: Vec<&str> = context.split_whitespace().collect();
    let hit = tokens.iter().enumerate().find(|(k, (_, tok))| {
        *tok == word
            && *k >= context.len()
            && tokens
                .get(k - context.len()..*k)
                .is_some_and(|before| before.iter().map(|(_, t)| *t).eq(context.iter().copied()))
    });
    hit.map(|(_, (off, tok))| value.start + off..value.start + off + tok.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Transcription;

    #[test]
    fn notes_are_found_as_unbroken_runs() {
        let t = Transcription::new("1 See the report of\nthe recon-\nstruction commission");
        assert_eq!(
            find(
                "See the report of the reconstruction commission",
                t.span(1, 3)
            ),
            Ok(())
        );
        let err = find("See the report on the", t.span(1, 3)).expect_err("mismatch");
        assert_eq!(err.text_token, "on");
        assert_eq!(err.printed, Some(("of".to_string(), 1)));
    }
}
