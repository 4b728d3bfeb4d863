//! One printing of a record made ready for its proof: the texts it declares with their
//! emendations reversed (so they read as printed), cut into the pieces the alignment matches,
//! and the alignment itself with its counts.

use crate::compare::alignment::{self, Alignment, Counts, Declared, Piece, PieceKind};
use crate::load::Transcription;
use crate::model::record::{Appearance, Emendation, Record};
use crate::model::search;

/// How many words a passage must have to make a printing incomplete against another: a short
/// difference is a variant reading (variants table), a longer one a passage the printing lacks.
pub const PASSAGE_WORDS: usize = 5;

/// A printing aligned with its span.
#[derive(Debug, Clone)]
pub struct Proof {
    pub pieces: Vec<Piece>,
    pub alignment: Alignment,
    pub counts: Counts,
}

/// Why a printing's pieces could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum PieceError {
    /// The text's emendations could not be reversed (`parallel` is the parallel text's index).
    Emendation {
        parallel: Option<usize>,
        error: EmendationError,
    },
}

/// Which appearance carries the record's parallel texts: the first that prints text.
pub fn parallel_host(record: &Record) -> Option<usize> {
    record
        .appearances
        .iter()
        .position(|a| record.appearance_status(a).has_text())
}

/// The pieces one printing declares: its text as printed, its parallel texts (on the first
/// printing with text), the parts of its heading and the omissions given by printed words.
/// A printing without text (mentioned only, not transcribed) declares none and is not aligned.
pub fn pieces(record: &Record, index: usize) -> Result<Vec<Piece>, PieceError> {
    let Some(appearance) = record.appearances.get(index) else {
        return Ok(Vec::new());
    };
    let Some(text) = record.appearance_text(appearance) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let printed = reverse_emendations(text, &appearance.emendations).map_err(|error| {
        PieceError::Emendation {
            parallel: None,
            error,
        }
    })?;
    out.push(Piece::new(PieceKind::Text, &printed));
    if parallel_host(record) == Some(index) {
        for (k, p) in record.parallel_texts.iter().enumerate() {
            let printed = reverse_emendations(&p.text, &p.emendations).map_err(|error| {
                PieceError::Emendation {
                    parallel: Some(k),
                    error,
                }
            })?;
            out.push(Piece::new(PieceKind::Parallel(k), &printed));
        }
    }
    if let Some(heading) = &appearance.heading {
        for (k, part) in heading.split(" / ").enumerate() {
            out.push(Piece::new(PieceKind::Heading(k), part));
        }
    }
    // The date line accounts for its words where it is printed apart from the heading; the
    // section heading where this printing opens its section.
    let heading_words = appearance
        .heading
        .as_deref()
        .map(|h| words(&h.replace(" / ", " ")))
        .unwrap_or_default();
    if let Some(date) = &appearance.date_as_printed
        && !heading_words.contains(&words(date))
    {
        // Printed as is, or in parentheses: "(March, 1992)".
        out.push(Piece::optional(PieceKind::DateLine, date));
        out.push(Piece::optional(PieceKind::DateLine, &format!("({date})")));
    }
    if !heading_words.contains(&words(&appearance.section)) {
        out.push(Piece::optional(PieceKind::Section, &appearance.section));
    }
    for (k, o) in appearance.omissions.iter().enumerate() {
        if let Some(words) = &o.printed {
            out.push(Piece::new(PieceKind::Omission(k), words));
        }
    }
    Ok(out)
}

/// A text's words joined by single spaces, to compare texts regardless of line breaks.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Aligns printing `index` of `record` with its span in `transcription`.
pub fn prove(
    record: &Record,
    index: usize,
    transcription: &Transcription,
) -> Result<Proof, PieceError> {
    let pieces = pieces(record, index)?;
    let Some(appearance) = record.appearances.get(index) else {
        return Ok(Proof {
            pieces,
            alignment: alignment::align(&[], &[], Declared::default()),
            counts: Counts::default(),
        });
    };
    let [first, last] = appearance.lines;
    let span = transcription.span(first, last);
    if pieces.is_empty() {
        // Nothing is claimed of this printing's words but that the record is mentioned there.
        let alignment = alignment::align(&[], &[], Declared::default());
        let counts = Counts {
            tokens: span.len() as u64,
            ..Counts::default()
        };
        return Ok(Proof {
            pieces,
            alignment,
            counts,
        });
    }
    let omitted_lines = omitted_lines(appearance);
    let declared = Declared {
        layout_lines: &appearance.layout_lines,
        layout_tokens: &appearance.layout_tokens,
        omitted_lines: &omitted_lines,
    };
    let alignment = alignment::align(span, &pieces, declared);
    let counts = alignment.counts(&pieces);
    Ok(Proof {
        pieces,
        alignment,
        counts,
    })
}

/// The omissions given as whole lines, with their index.
pub fn omitted_lines(appearance: &Appearance) -> Vec<(usize, [u32; 2])> {
    appearance
        .omissions
        .iter()
        .enumerate()
        .filter_map(|(k, o)| o.lines.map(|l| (k, l)))
        .collect()
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
        let positions: Vec<usize> = search::occurrences(&out, &e.reads).collect();
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
            None => *positions
                .first()
                .ok_or_else(|| EmendationError::NotInText {
                    index,
                    reads: e.reads.clone(),
                })?,
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

/// A passage another printing of the record prints and this one lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    /// Index of the other printing (appearance).
    pub other: usize,
    /// How many more words the other printing has in the passage.
    pub words: usize,
    /// The other printing's words of the passage.
    pub passage: String,
}

/// Passages of at least `min_words` words that another printing with text has and printing
/// `index` lacks: found by the word-level diff of the two texts, never curated by hand.
pub fn lacks(record: &Record, index: usize, min_words: usize) -> Vec<Lack> {
    lacks_of_all(record, min_words)
        .0
        .into_iter()
        .nth(index)
        .unwrap_or_default()
}

/// The word diffs of the pairs of printings whose texts differ, by (earlier, later) appearance
/// index: made once by validation's completeness check, reused by the variants table.
pub type PairHunks = std::collections::BTreeMap<(usize, usize), Vec<super::Hunk>>;

/// `lacks` of every printing at once (by appearance index), with one word diff per pair of
/// printings: a diff's hunks say what each side lacks against the other. The diffs are
/// returned too.
pub fn lacks_of_all(record: &Record, min_words: usize) -> (Vec<Vec<Lack>>, PairHunks) {
    let words: Vec<Option<(&str, Vec<&str>)>> = record
        .appearances
        .iter()
        .map(|a| {
            record
                .appearance_text(a)
                .map(|t| (t, t.split_whitespace().collect()))
        })
        .collect();
    let mut out: Vec<Vec<Lack>> = vec![Vec::new(); words.len()];
    // Lacks of each printing against each other one, gathered by (printing, other).
    let mut pair_lacks: std::collections::BTreeMap<(usize, usize), Vec<Lack>> = Default::default();
    let mut diffs = PairHunks::new();
    for (i, this) in words.iter().enumerate() {
        let Some((text_i, these)) = this else {
            continue;
        };
        for (j, that) in words.iter().enumerate().skip(i + 1) {
            let Some((text_j, those)) = that else {
                continue;
            };
            if text_i == text_j {
                continue;
            }
            let hunks = super::hunks(these, those);
            for (ri, rj) in hunks.iter().cloned() {
                if rj.len() >= ri.len() + min_words {
                    pair_lacks.entry((i, j)).or_default().push(Lack {
                        other: j,
                        words: rj.len() - ri.len(),
                        passage: those.get(rj).unwrap_or_default().join(" "),
                    });
                } else if ri.len() >= rj.len() + min_words {
                    pair_lacks.entry((j, i)).or_default().push(Lack {
                        other: i,
                        words: ri.len() - rj.len(),
                        passage: these.get(ri).unwrap_or_default().join(" "),
                    });
                }
            }
            diffs.insert((i, j), hunks);
        }
    }
    // In the order of the other printing, then of the text.
    for ((printing, _), lacks) in pair_lacks {
        if let Some(slot) = out.get_mut(printing) {
            slot.extend(lacks);
        }
    }
    (out, diffs)
}

/// The most words printing `index` lacks against any one other printing (passages of at least
/// `min_words` words).
pub fn lacked_words(record: &Record, index: usize, min_words: usize) -> u64 {
    most_lacked(&lacks(record, index, min_words))
}

/// The most words lacked against any one other printing, of a printing's `lacks`.
pub fn most_lacked(lacks: &[Lack]) -> u64 {
    let mut per_other: std::collections::BTreeMap<usize, u64> = Default::default();
    for l in lacks {
        *per_other.entry(l.other).or_default() += l.words as u64;
    }
    per_other.into_values().max().unwrap_or(0)
}

/// What validation proved of one printing, carried to the appearances table: the alignment's
/// counts and the words it lacks against the other printings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub counts: Counts,
    pub words_lacking: u64,
}
