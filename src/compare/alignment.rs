//! Two-way alignment of a printing: every printed token of the span accounted for, every token
//! of the record's text matched in order.
//!
//! A span (the printing's lines in the transcription) is read token by token. Each token is
//! either matched by one of the *pieces* the record declares for this printing (its text, its
//! parallel texts, the parts of its heading, the passages it omits by quoting them), or stands on
//! a declared layout line or omitted line, or is a declared layout token. Nothing else may be
//! passed over: a number is never skipped for looking like a page number, and a word the text
//! lacks is an error at that word. Each piece is matched as one unbroken run (layout may
//! interrupt it), so a piece can neither lose nor gain a word, and pieces may come in any order.
//!
//! The walk visits each printed token once; choosing which piece starts at a token looks ahead a
//! bounded number of tokens, so the cost grows with the span, never with its square.

use crate::load::PrintedToken;
use crate::model::record::LayoutToken;

/// How many tokens ahead the choice of a starting piece, and the diagnosis of a departure, look.
const LOOKAHEAD: usize = 32;

/// What a piece of the printing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// The record's (or this printing's own) text.
    Text,
    /// A parallel text (index into the record's `parallel_texts`).
    Parallel(usize),
    /// A part of the heading (index of the part in the `" / "`-joined heading).
    Heading(usize),
    /// An omission given by its printed words (index into the appearance's `omissions`).
    Omission(usize),
    /// The compilation's section heading, where the printing begins a section.
    Section,
    /// The printing's date line (`date_as_printed`), where it stands apart from the heading.
    DateLine,
}

/// One run of tokens that must stand unbroken, in order, in the span.
#[derive(Debug, Clone)]
pub struct Piece {
    pub kind: PieceKind,
    pub tokens: Words,
    /// Whether the piece must be found; an optional one (the section heading, the printed date
    /// line) accounts for its words only where it is printed within the span.
    pub required: bool,
}

impl Piece {
    pub fn new(kind: PieceKind, text: &str) -> Piece {
        Piece {
            kind,
            tokens: Words::new(text),
            required: true,
        }
    }

    pub fn optional(kind: PieceKind, text: &str) -> Piece {
        Piece {
            required: false,
            ..Piece::new(kind, text)
        }
    }
}

/// A text's whitespace-separated words, held as one copy of the text and each word's byte range:
/// pieces are made for every printing of every record checked, and a `String` per word was a
/// large share of a release's allocations.
#[derive(Debug, Clone, Default)]
pub struct Words {
    text: String,
    bounds: Vec<(usize, usize)>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let base = text.as_ptr() as usize;
        // Each word is a subslice of `text`, so its offset is the distance between pointers.
        let bounds = text
            .split_whitespace()
            .map(|w| {
                let start = w.as_ptr() as usize - base;
                (start, start + w.len())
            })
            .collect();
        Words {
            text: text.to_owned(),
            bounds,
        }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The word at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.bounds.get(index)?;
        self.text.get(start..end)
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.bounds
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// The words in `range` (those of it that exist), joined by single spaces.
    pub fn join(&self, range: std::ops::Range<usize>) -> String {
        let range = range.start.min(self.len())..range.end.min(self.len());
        self.iter()
            .skip(range.start)
            .take(range.len())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl serde::Serialize for Words {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// What accounts for one printed token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Nothing (an alignment with an error leaves the tokens after it so).
    Unaccounted,
    /// Matched by a piece (index into the pieces).
    Piece(usize),
    /// On a declared layout line.
    LayoutLine,
    /// A declared layout token (index into the appearance's `layout_tokens`).
    LayoutToken(usize),
    /// On a line of a declared omission (index into the appearance's `omissions`).
    OmittedLine(usize),
}

/// The declarations of a printing that pass over printed tokens.
#[derive(Debug, Clone, Copy, Default)]
pub struct Declared<'a> {
    pub layout_lines: &'a [[u32; 2]],
    pub layout_tokens: &'a [LayoutToken],
    /// Omissions given as whole lines: (index into `omissions`, lines).
    pub omitted_lines: &'a [(usize, [u32; 2])],
}

/// Why a printing does not align.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlignError {
    /// A declared layout token is not on its line.
    NoSuchLayoutToken { index: usize },
    /// A declared layout token occurs several times on its line and no `occurrence` says which.
    AmbiguousLayoutToken { index: usize, count: usize },
    /// A declared suffix is not a proper end of the printed token.
    BadSuffix { index: usize },
    /// Printed tokens that no piece matches and nothing declares: `at` is the first of them.
    Unaccounted {
        at: usize,
        /// The piece matched last before them, with the number of its tokens matched.
        after: Option<usize>,
    },
    /// A piece departs from the printing at its token `token`, printed token `at`.
    Departs {
        piece: usize,
        token: usize,
        at: usize,
        how: Departure,
    },
    /// A piece goes on past the end of the span.
    RunsPast { piece: usize, token: usize },
    /// A piece was never found in the span.
    NotFound { piece: usize },
}

/// How a piece departs from the printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The printing has `count` tokens here that the piece lacks.
    Lacks { count: usize },
    /// The piece has a token here that the printing does not.
    Adds,
    /// The piece has another word than the printing.
    Differs,
}

/// The result of aligning one printing.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// One role per printed token of the span.
    pub roles: Vec<Role>,
    /// For each printed token, the declared suffix that is layout (a glued footnote marker).
    pub glued: Vec<Option<usize>>,
    pub error: Option<AlignError>,
    /// Token comparisons the walk made (it is linear: a bounded number per printed token).
    pub steps: u64,
}

/// How the tokens of a span are accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tokens: u64,
    /// Matched by the text or a parallel text.
    pub matched: u64,
    /// Matched by the heading.
    pub heading: u64,
    /// On layout lines or declared layout tokens.
    pub layout: u64,
    /// Inside declared omissions.
    pub omitted: u64,
    /// Footnote markers glued to matched words (counted in `matched` as well).
    pub glued_markers: u64,
    pub unaccounted: u64,
}

impl Alignment {
    pub fn counts(&self, pieces: &[Piece]) -> Counts {
        let mut c = Counts {
            tokens: self.roles.len() as u64,
            ..Counts::default()
        };
        for (role, glued) in self.roles.iter().zip(&self.glued) {
            match role {
                Role::Unaccounted => c.unaccounted += 1,
                Role::Piece(p) => match pieces.get(*p).map(|p| p.kind) {
                    Some(PieceKind::Heading(_) | PieceKind::Section | PieceKind::DateLine) => {
                        c.heading += 1
                    }
                    Some(PieceKind::Omission(_)) => c.omitted += 1,
                    _ => c.matched += 1,
                },
                Role::LayoutLine | Role::LayoutToken(_) => c.layout += 1,
                Role::OmittedLine(_) => c.omitted += 1,
            }
            if glued.is_some() {
                c.glued_markers += 1;
            }
        }
        c
    }
}

fn in_ranges(line: u32, ranges: impl IntoIterator<Item = [u32; 2]>) -> bool {
    ranges.into_iter().any(|r| r[0] <= line && line <= r[1])
}

/// The walk over one span.
struct Walk<'s> {
    printed: &'s [PrintedToken],
    pieces: &'s [Piece],
    roles: Vec<Role>,
    /// The token as it compares: the printed token minus a declared glued suffix.
    effective: Vec<&'s str>,
    glued: Vec<Option<usize>>,
    /// Token comparisons made: the measure of the walk's cost.
    steps: std::cell::Cell<u64>,
}

fn is_used(used: &[bool], p: usize) -> bool {
    used.get(p).copied().unwrap_or(true)
}

impl Walk<'_> {
    fn set_role(&mut self, j: usize, role: Role) {
        if let Some(r) = self.roles.get_mut(j) {
            *r = role;
        }
    }

    /// Tokens passed over before any matching: layout lines, omitted lines, layout tokens.
    fn passed_over(&self, j: usize) -> bool {
        !matches!(
            self.roles.get(j),
            Some(Role::Unaccounted) | Some(Role::Piece(_))
        )
    }

    /// The first printed token at or after `j` that is not passed over.
    fn next_open(&self, mut j: usize) -> Option<usize> {
        while j < self.printed.len() {
            if !self.passed_over(j) {
                return Some(j);
            }
            j += 1;
        }
        None
    }

    /// Matches the piece token `word` at the open token `j`: the printed index after the match
    /// and the second printed token it used (a word hyphenated across a line end, joined).
    fn step(&self, word: &str, j: usize) -> Option<(usize, Option<usize>)> {
        self.steps.set(self.steps.get() + 1);
        let here = *self.effective.get(j)?;
        if here == word {
            return Some((j + 1, None));
        }
        let stem = here.strip_suffix('-')?;
        let k = self.next_open(j + 1)?;
        if self.printed.get(k)?.line <= self.printed.get(j)?.line {
            return None;
        }
        let next = *self.effective.get(k)?;
        // A word broken at a line end, written whole with its hyphen or without it.
        let joins = |head: &str| {
            word.len() == head.len() + next.len() && word.starts_with(head) && word.ends_with(next)
        };
        (joins(here) || joins(stem)).then_some((k + 1, Some(k)))
    }

    /// How many tokens of `piece` (from its token `from`) match from the open token `j`, up
    /// to `limit`.
    fn prefix(&self, piece: &Piece, from: usize, j: usize, limit: usize) -> usize {
        let mut n = 0;
        let mut at = Some(j);
        for word in piece.tokens.iter().skip(from).take(limit) {
            let Some(j) = at else { break };
            match self.step(word, j) {
                Some((next, _)) => {
                    n += 1;
                    at = self.next_open(next);
                }
                None => break,
            }
        }
        n
    }

    /// Why `piece` cannot go on with its token `token` at the open printed token `j`.
    fn departure(&self, piece: &Piece, token: usize, j: usize) -> Departure {
        let want = piece.tokens.len().saturating_sub(token).min(3);
        // The printing has words here the piece lacks: the piece goes on a few tokens later.
        let mut k = Some(j);
        for count in 1..=8 {
            k = k.and_then(|k| self.next_open(k + 1));
            let Some(k) = k else { break };
            if want > 0 && self.prefix(piece, token, k, want) == want {
                return Departure::Lacks { count };
            }
        }
        if token + 1 < piece.tokens.len() && self.prefix(piece, token + 1, j, 2) >= 1 {
            return Departure::Adds;
        }
        Departure::Differs
    }
}

/// Aligns `pieces` with the printed tokens of a span under the printing's declarations.
pub fn align(printed: &[PrintedToken], pieces: &[Piece], declared: Declared<'_>) -> Alignment {
    let mut walk = Walk {
        printed,
        pieces,
        roles: vec![Role::Unaccounted; printed.len()],
        effective: printed.iter().map(|t| t.text.as_str()).collect(),
        glued: vec![None; printed.len()],
        steps: std::cell::Cell::new(0),
    };
    let error = run(&mut walk, declared).err();
    Alignment {
        steps: walk.steps.get(),
        roles: walk.roles,
        glued: walk.glued,
        error,
    }
}

fn run(walk: &mut Walk<'_>, declared: Declared<'_>) -> Result<(), AlignError> {
    let printed = walk.printed;
    for (tok, role) in printed.iter().zip(walk.roles.iter_mut()) {
        if in_ranges(tok.line, declared.layout_lines.iter().copied()) {
            *role = Role::LayoutLine;
        } else if let Some((k, _)) = declared
            .omitted_lines
            .iter()
            .find(|(_, r)| in_ranges(tok.line, [*r]))
        {
            *role = Role::OmittedLine(*k);
        }
    }
    mark_layout_tokens(walk, declared.layout_tokens)?;

    let mut used = vec![false; walk.pieces.len()];
    let mut active: Option<(usize, usize)> = None;
    let mut last: Option<usize> = None;
    let mut j = 0;
    while let Some(open) = walk.next_open(j) {
        j = open;
        match active {
            Some((p, i)) => {
                let pieces = walk.pieces;
                let (Some(piece), Some(word)) =
                    (pieces.get(p), pieces.get(p).and_then(|x| x.tokens.get(i)))
                else {
                    return Err(AlignError::RunsPast { piece: p, token: i });
                };
                match walk.step(word, j) {
                    Some((next, joined)) => {
                        walk.set_role(j, Role::Piece(p));
                        if let Some(k) = joined {
                            walk.set_role(k, Role::Piece(p));
                        }
                        j = next;
                        active = (i + 1 < piece.tokens.len()).then_some((p, i + 1));
                    }
                    None => {
                        return Err(AlignError::Departs {
                            piece: p,
                            token: i,
                            at: j,
                            how: walk.departure(piece, i, j),
                        });
                    }
                }
            }
            None => {
                // The unused piece that matches longest from here starts; ties go to the
                // first declared (the text before its parallels, the heading in its order).
                let best = walk
                    .pieces
                    .iter()
                    .enumerate()
                    .filter(|(p, piece)| !is_used(&used, *p) && !piece.tokens.is_empty())
                    .map(|(p, piece)| (p, walk.prefix(piece, 0, j, LOOKAHEAD)))
                    .filter(|(_, n)| *n > 0)
                    .max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p)));
                let Some((p, _)) = best else {
                    return Err(AlignError::Unaccounted { at: j, after: last });
                };
                if let Some(u) = used.get_mut(p) {
                    *u = true;
                }
                last = Some(p);
                active = Some((p, 0));
            }
        }
    }
    if let Some((piece, token)) = active {
        return Err(AlignError::RunsPast { piece, token });
    }
    if let Some(piece) = walk
        .pieces
        .iter()
        .enumerate()
        .position(|(p, x)| !is_used(&used, p) && x.required && !x.tokens.is_empty())
    {
        return Err(AlignError::NotFound { piece });
    }
    Ok(())
}

fn mark_layout_tokens(walk: &mut Walk<'_>, tokens: &[LayoutToken]) -> Result<(), AlignError> {
    for (index, decl) in tokens.iter().enumerate() {
        let on_line: Vec<usize> = walk
            .printed
            .iter()
            .enumerate()
            .filter(|(_, t)| t.line == decl.line && t.text == decl.printed)
            .map(|(j, _)| j)
            .collect();
        let j = match (decl.occurrence, on_line.len()) {
            (_, 0) => return Err(AlignError::NoSuchLayoutToken { index }),
            (None, 1) => *on_line
                .first()
                .ok_or(AlignError::NoSuchLayoutToken { index })?,
            (None, count) => return Err(AlignError::AmbiguousLayoutToken { index, count }),
            (Some(n), _) => *on_line
                .get((n as usize).wrapping_sub(1))
                .ok_or(AlignError::NoSuchLayoutToken { index })?,
        };
        match &decl.suffix {
            None => walk.set_role(j, Role::LayoutToken(index)),
            Some(suffix) => {
                let stem = decl
                    .printed
                    .strip_suffix(suffix.as_str())
                    .filter(|s| !s.is_empty() && !suffix.is_empty())
                    .ok_or(AlignError::BadSuffix { index })?;
                let printed = walk.printed;
                // `stem` is a prefix of the printed token, so this cut is on a char boundary.
                let kept = printed
                    .get(j)
                    .and_then(|t| t.text.get(..stem.len()))
                    .ok_or(AlignError::BadSuffix { index })?;
                if let (Some(e), Some(g)) = (walk.effective.get_mut(j), walk.glued.get_mut(j)) {
                    *e = kept;
                    *g = Some(index);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Transcription;
    use crate::model::record::LayoutKind;

    fn pieces(text: &str) -> Vec<Piece> {
        vec![Piece::new(PieceKind::Text, text)]
    }

    fn layout_token(line: u32, printed: &str, suffix: Option<&str>) -> LayoutToken {
        LayoutToken {
            line,
            printed: printed.into(),
            suffix: suffix.map(Into::into),
            occurrence: None,
            kind: LayoutKind::PageNumber,
        }
    }

    #[test]
    fn every_token_is_accounted_for() {
        let t = Transcription::new("HEADLINE\nThe bodies were\n12\nfound in the town”.1\n");
        let declared_tokens = [
            layout_token(3, "12", None),
            layout_token(4, "town”.1", Some("1")),
        ];
        let ps = vec![
            Piece::new(PieceKind::Heading(0), "HEADLINE"),
            Piece::new(PieceKind::Text, "The bodies were found in the town”."),
        ];
        let a = align(
            t.span(1, 4),
            &ps,
            Declared {
                layout_tokens: &declared_tokens,
                ..Declared::default()
            },
        );
        assert_eq!(a.error, None);
        let c = a.counts(&ps);
        assert_eq!(
            (c.tokens, c.matched, c.heading, c.layout, c.glued_markers),
            (9, 7, 1, 1, 1)
        );
    }

    #[test]
    fn an_undeclared_number_is_never_skipped() {
        let t = Transcription::new("they buried 27 bodies today");
        let a = align(
            t.span(1, 1),
            &pieces("they buried bodies today"),
            Declared::default(),
        );
        assert_eq!(
            a.error,
            Some(AlignError::Departs {
                piece: 0,
                token: 2,
                at: 2,
                how: Departure::Lacks { count: 1 }
            })
        );
    }

    #[test]
    fn a_dropped_last_paragraph_is_unaccounted() {
        let t = Transcription::new("First paragraph here.\nSecond paragraph here.");
        let a = align(
            t.span(1, 2),
            &pieces("First paragraph here."),
            Declared::default(),
        );
        assert_eq!(
            a.error,
            Some(AlignError::Unaccounted {
                at: 3,
                after: Some(0)
            })
        );
    }

    #[test]
    fn a_dropped_first_paragraph_is_unaccounted() {
        let t = Transcription::new("First paragraph here.\nSecond paragraph here.");
        let a = align(
            t.span(1, 2),
            &pieces("Second paragraph here."),
            Declared::default(),
        );
        assert_eq!(
            a.error,
            Some(AlignError::Unaccounted { at: 0, after: None })
        );
    }

    #[test]
    fn an_added_word_is_found() {
        let t = Transcription::new("one two three four");
        let a = align(
            t.span(1, 1),
            &pieces("one two extra three four"),
            Declared::default(),
        );
        assert!(matches!(
            a.error,
            Some(AlignError::Departs {
                token: 2,
                how: Departure::Adds,
                ..
            })
        ));
    }

    #[test]
    fn layout_and_omitted_lines_are_passed_over_inside_a_piece() {
        let t = Transcription::new("alpha beta\nRUNNING HEADER 7\ngamma\n[photo of a town]\ndelta");
        let omitted = [(0, [4, 4])];
        let ps = pieces("alpha beta gamma delta");
        let a = align(
            t.span(1, 5),
            &ps,
            Declared {
                layout_lines: &[[2, 2]],
                omitted_lines: &omitted,
                ..Declared::default()
            },
        );
        assert_eq!(a.error, None);
        let c = a.counts(&ps);
        assert_eq!(
            (c.matched, c.layout, c.omitted, c.unaccounted),
            (4, 3, 4, 0)
        );
    }

    #[test]
    fn pieces_may_come_in_any_order_but_each_unbroken() {
        let t = Transcription::new("He said “we ran”, and “they shot”.");
        let ps = vec![
            Piece::new(PieceKind::Text, "“they shot”."),
            Piece::new(PieceKind::Omission(0), "He said “we ran”, and"),
        ];
        assert_eq!(align(t.span(1, 1), &ps, Declared::default()).error, None);
    }

    #[test]
    fn hyphenated_line_breaks_may_be_joined() {
        let t = Transcription::new("the recon-\nstruction of well-\nknown");
        let a = align(
            t.span(1, 3),
            &pieces("the reconstruction of well-known"),
            Declared::default(),
        );
        assert_eq!(a.error, None);
        // Not inside one line: "re- construction" on one line is two printed words.
        let t = Transcription::new("the re- construction");
        let a = align(
            t.span(1, 1),
            &pieces("the reconstruction"),
            Declared::default(),
        );
        assert!(a.error.is_some());
    }

    #[test]
    fn a_text_running_past_the_span_is_reported() {
        let t = Transcription::new("one two\nthree");
        let a = align(t.span(1, 1), &pieces("one two three"), Declared::default());
        assert_eq!(a.error, Some(AlignError::RunsPast { piece: 0, token: 2 }));
    }

    #[test]
    fn declared_layout_tokens_must_exist_and_be_unambiguous() {
        let t = Transcription::new("a 12 b 12");
        let decl = [layout_token(1, "13", None)];
        let d = Declared {
            layout_tokens: &decl,
            ..Declared::default()
        };
        assert_eq!(
            align(t.span(1, 1), &pieces("a b"), d).error,
            Some(AlignError::NoSuchLayoutToken { index: 0 })
        );
        let decl = [layout_token(1, "12", None)];
        let d = Declared {
            layout_tokens: &decl,
            ..Declared::default()
        };
        assert_eq!(
            align(t.span(1, 1), &pieces("a b"), d).error,
            Some(AlignError::AmbiguousLayoutToken { index: 0, count: 2 })
        );
    }

    #[test]
    fn alignment_is_linear_in_the_span() {
        // A 5 MB span of repeated tokens, where the old restart-at-every-token search was
        // quadratic (hours); the walk makes a bounded number of comparisons per printed token.
        let line = "the town the town the town the town the town the town the town the\n";
        let body = line.repeat(5 * 1024 * 1024 / line.len());
        let t = Transcription::new(&body);
        let last = t.line_count();
        let span = t.span(1, last);
        let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let a = align(span, &pieces(&text), Declared::default());
        assert_eq!(a.error, None);
        assert!(
            a.steps <= 2 * span.len() as u64 + 64,
            "{} steps for {} tokens",
            a.steps,
            span.len()
        );
        // The same text minus its last word: the printing's last word is unaccounted.
        let shorter = text.rsplit_once(' ').map(|(a, _)| a).unwrap_or("");
        let b = align(span, &pieces(shorter), Declared::default());
        assert!(matches!(b.error, Some(AlignError::Unaccounted { .. })));
        assert!(b.steps <= 2 * span.len() as u64 + 64);
        // Minus a word in the middle: found at that word, still in linear time.
        let words: Vec<&str> = text.split_whitespace().collect();
        let mid = words.len() / 2;
        let dropped = [&words[..mid], &words[mid + 1..]].concat().join(" ");
        let c = align(span, &pieces(&dropped), Declared::default());
        assert!(c.error.is_some());
        assert!(c.steps <= 2 * span.len() as u64 + 64 * LOOKAHEAD as u64);
    }
}
