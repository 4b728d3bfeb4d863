//! Text fidelity: proving that a record's text stands in its printing, token by token.
//!
//! The record text with its emendations reversed must equal, token for token, one run of the
//! printed tokens inside the appearance's line span, except that the run may pass over layout:
//! tokens on the appearance's `layout_lines`, bare one-to-three-digit numbers (page and footnote
//! numbers), and footnote digits glued to a word (`town”.1`). The PDF conversion's Markdown `**`
//! marks are not part of any token, and a word hyphenated across a line end may be written whole.

use crate::model::record::Emendation;

/// One printed token and the line it stands on.
#[derive(Debug, Clone)]
pub struct PrintedToken {
    pub text: String,
    pub line: u32,
}

/// The tokens of a transcription, indexed by line.
#[derive(Debug, Clone)]
pub struct Transcription {
    pub tokens: Vec<PrintedToken>,
    /// `line_token_start[n]` is the index of the first token on line n+1 (one extra entry at the end).
    line_token_start: Vec<usize>,
    pub lines: Vec<String>,
}

impl Transcription {
    pub fn new(text: &str) -> Transcription {
        let mut tokens = Vec::new();
        let mut line_token_start = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            line_token_start.push(tokens.len());
            lines.push(line.to_string());
            let cleaned = line.replace("**", "");
            for tok in cleaned.split_whitespace() {
                tokens.push(PrintedToken {
                    text: tok.to_string(),
                    line: i as u32 + 1,
                });
            }
        }
        line_token_start.push(tokens.len());
        Transcription {
            tokens,
            line_token_start,
            lines,
        }
    }

    pub fn line_count(&self) -> u32 {
        // A final newline does not start another line.
        let n = self.lines.len() as u32;
        if self.lines.last().is_some_and(|l| l.is_empty()) {
            n - 1
        } else {
            n
        }
    }

    /// Tokens of lines `first..=last` (1-based).
    pub fn span(&self, first: u32, last: u32) -> &[PrintedToken] {
        let a = self
            .line_token_start
            .get(first.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        let b = self
            .line_token_start
            .get(last as usize)
            .copied()
            .unwrap_or(self.tokens.len());
        &self.tokens[a.min(b)..b]
    }

    pub fn line(&self, n: u32) -> &str {
        self.lines
            .get(n.saturating_sub(1) as usize)
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Why a text was not found in its printing.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Index of the first text token that could not be matched.
    pub token_index: usize,
    /// The text token (after reversing emendations).
    pub text_token: String,
    /// A few text tokens before it, for context.
    pub context: String,
    /// The printed token found instead, and its line, if the run got that far.
    pub printed: Option<(String, u32)>,
}

/// Whether layout lines may be passed over (record texts) or are the very place to look
/// (footnotes and compiler notes, which live in footnote blocks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout<'a> {
    Skip(&'a [[u32; 2]]),
    Keep,
}

fn same_token(text: &str, printed: &str) -> bool {
    if text == printed {
        return true;
    }
    // A footnote marker glued to the end of a word: `town”.1` prints `town”.`
    let trimmed = printed.trim_end_matches(|c: char| c.is_ascii_digit());
    let marker_len = printed.len() - trimmed.len();
    (1..=3).contains(&marker_len)
        && trimmed == text
        && trimmed
            .chars()
            .last()
            .is_some_and(|c| !c.is_ascii_digit() && c != '-' && c != '/')
}

fn is_layout_number(tok: &str) -> bool {
    (1..=3).contains(&tok.len()) && tok.chars().all(|c| c.is_ascii_digit())
}

/// Finds `text` in `printed`; returns the furthest mismatch when it is not there.
pub fn find(text: &str, printed: &[PrintedToken], layout: Layout<'_>) -> Result<(), Mismatch> {
    let wanted: Vec<&str> = text.split_whitespace().collect();
    let Some(first) = wanted.first() else {
        return Ok(());
    };
    // Tokens on layout lines are never document text, so they are passed over before any
    // comparison (a footnote block may well contain the very word the text needs next).
    let on_layout_line = |tok: &PrintedToken| match layout {
        Layout::Skip(ranges) => ranges.iter().any(|r| (r[0]..=r[1]).contains(&tok.line)),
        Layout::Keep => false,
    };
    let mut best: Option<(usize, Option<usize>)> = None;
    for start in 0..printed.len() {
        if on_layout_line(&printed[start]) || !same_token(first, &printed[start].text) {
            continue;
        }
        let (mut i, mut j) = (0, start);
        while i < wanted.len() && j < printed.len() {
            let p = &printed[j];
            if on_layout_line(p) {
                j += 1;
                continue;
            }
            if same_token(wanted[i], &p.text) {
                i += 1;
                j += 1;
                continue;
            }
            // A word hyphenated across a line end, written whole (with or without its hyphen).
            if let Some(next) = printed.get(j + 1)
                && p.text.ends_with('-')
                && next.line != p.line
            {
                let joined_keep = format!("{}{}", p.text, next.text);
                let joined_drop = format!("{}{}", &p.text[..p.text.len() - 1], next.text);
                if same_token(wanted[i], &joined_keep) || same_token(wanted[i], &joined_drop) {
                    i += 1;
                    j += 2;
                    continue;
                }
            }
            if is_layout_number(&p.text) {
                j += 1;
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
    let context_from = i.saturating_sub(6);
    Err(Mismatch {
        token_index: i,
        text_token: wanted.get(i).map(|s| s.to_string()).unwrap_or_default(),
        context: wanted[context_from..i].join(" "),
        printed: j.map(|j| (printed[j].text.clone(), printed[j].line)),
    })
}

/// Why emendations could not be reversed.
#[derive(Debug, Clone, PartialEq)]
pub enum EmendationError {
    /// `reads` does not occur in the text.
    NotInText { index: usize, reads: String },
    /// `reads` occurs several times and no `occurrence` says which.
    Ambiguous {
        index: usize,
        reads: String,
        count: usize,
    },
    /// `occurrence` is beyond the number of occurrences.
    NoSuchOccurrence {
        index: usize,
        reads: String,
        occurrence: u32,
        count: usize,
    },
}

/// Turns an emended text back into the printed characters.
pub fn reverse_emendations(
    text: &str,
    emendations: &[Emendation],
) -> Result<String, EmendationError> {
    let mut out = text.to_string();
    for (index, e) in emendations.iter().enumerate() {
        let positions: Vec<usize> = out
            .match_indices(e.reads.as_str())
            .map(|(p, _)| p)
            .collect();
        let count = positions.len();
        if count == 0 || e.reads.is_empty() {
            return Err(EmendationError::NotInText {
                index,
                reads: e.reads.clone(),
            });
        }
        let at = match e.occurrence {
            None if count > 1 => {
                return Err(EmendationError::Ambiguous {
                    index,
                    reads: e.reads.clone(),
                    count,
                });
            }
            None => positions[0],
            Some(n) => match positions.get((n as usize).wrapping_sub(1)) {
                Some(p) if n >= 1 => *p,
                _ => {
                    return Err(EmendationError::NoSuchOccurrence {
                        index,
                        reads: e.reads.clone(),
                        occurrence: n,
                        count,
                    });
                }
            },
        };
        out.replace_range(at..at + e.reads.len(), &e.printed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(text: &str) -> Transcription {
        Transcription::new(text)
    }

    #[test]
    fn text_across_lines_and_layout_is_found() {
        let t =
            printed("THE TIMES\nHeadline\nThe bodies were\n12\nfound in the town”.1\nNext item");
        let span = t.span(1, 5);
        assert_eq!(
            find(
                "The bodies were found in the town”.",
                span,
                Layout::Skip(&[])
            ),
            Ok(())
        );
    }

    #[test]
    fn an_omitted_word_is_reported_with_its_line() {
        let t = printed("one two three\nfour five six");
        let err = find("one two four", t.span(1, 2), Layout::Skip(&[])).expect_err("mismatch");
        assert_eq!(err.text_token, "four");
        assert_eq!(err.printed, Some(("three".to_string(), 1)));
    }

    #[test]
    fn layout_lines_are_passed_over_only_when_declared() {
        let t = printed("alpha beta\nRUNNING HEADER\ngamma");
        assert!(find("alpha beta gamma", t.span(1, 3), Layout::Skip(&[])).is_err());
        assert_eq!(
            find("alpha beta gamma", t.span(1, 3), Layout::Skip(&[[2, 2]])),
            Ok(())
        );
    }

    #[test]
    fn words_on_layout_lines_are_never_matched() {
        // The footnote block (line 2) contains "of"; the text's "of" is on line 3.
        let t = printed("the Ministry\nfootnote of note\nof Internal Affairs");
        assert_eq!(
            find(
                "the Ministry of Internal Affairs",
                t.span(1, 3),
                Layout::Skip(&[[2, 2]])
            ),
            Ok(())
        );
    }

    #[test]
    fn hyphenated_line_breaks_may_be_joined() {
        let t = printed("the recon-\nstruction of well-\nknown");
        assert_eq!(
            find(
                "the reconstruction of well-known",
                t.span(1, 3),
                Layout::Skip(&[])
            ),
            Ok(())
        );
    }

    #[test]
    fn emendations_are_reversed_exactly() {
        let e = |p: &str, r: &str, o: Option<u32>| Emendation {
            printed: p.into(),
            reads: r.into(),
            occurrence: o,
        };
        assert_eq!(
            reverse_emendations("her husband left", &[e("hus band", "husband", None)]),
            Ok("her hus band left".to_string())
        );
        assert!(matches!(
            reverse_emendations("a b a", &[e("x", "a", None)]),
            Err(EmendationError::Ambiguous { count: 2, .. })
        ));
        assert_eq!(
            reverse_emendations("a b a", &[e("x", "a", Some(2))]),
            Ok("a b x".to_string())
        );
        assert!(matches!(
            reverse_emendations("a b", &[e("x", "c", None)]),
            Err(EmendationError::NotInText { .. })
        ));
        assert!(matches!(
            reverse_emendations("a b", &[e("x", "a", Some(0))]),
            Err(EmendationError::NoSuchOccurrence { .. })
        ));
    }

    #[test]
    fn numbers_that_are_words_are_not_markers() {
        // "1992" is not a glued footnote marker of "199"; "25-26" keeps its digits.
        assert!(!same_token("199", "1992"));
        assert!(!same_token("25-", "25-26"));
        assert!(same_token("humanity”.", "humanity”.1"));
    }
}
