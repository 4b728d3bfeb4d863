//! Word-level comparison of two texts: the passages where they differ and what each difference touches.
//!
//! Used for the `variants` table (two printings of one document) and by `khojaly diff` (one record
//! in two releases). The diff itself is `similar`'s patience diff over whitespace-separated words;
//! the classification of each passage is a documented heuristic, never a judgement typed by hand.

pub mod alignment;
pub mod printing;
pub mod releases;

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// What sort of difference a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// Only quotation marks, dashes, hyphens, spacing, case or punctuation differ.
    Typography,
    /// The words differ a little in spelling (e.g. "Agdam" / "Aghdam").
    Spelling,
    /// Different words.
    Wording,
    /// Words present only in the first text.
    OnlyInA,
    /// Words present only in the second text.
    OnlyInB,
}

impl Nature {
    pub const ALL: [Nature; 5] = [
        Nature::Typography,
        Nature::Spelling,
        Nature::Wording,
        Nature::OnlyInA,
        Nature::OnlyInB,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Typography => "typography",
            Nature::Spelling => "spelling",
            Nature::Wording => "wording",
            Nature::OnlyInA => "only_in_a",
            Nature::OnlyInB => "only_in_b",
        }
    }
}

/// One passage where two texts differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 1-based position of the passage's first word in text A (where it would be, if only in B).
    pub word_a: usize,
    /// 1-based position of the passage's first word in text B.
    pub word_b: usize,
    /// The words of text A in this passage, joined by single spaces (empty if only in B).
    pub a: String,
    /// The words of text B in this passage (empty if only in A).
    pub b: String,
    /// Up to `CONTEXT_WORDS` words of text A just before the passage, to find it in the text.
    pub context: String,
    pub nature: Nature,
    pub changes_number: bool,
    pub changes_date: bool,
    pub changes_name: bool,
    pub changes_attribution: bool,
}

const CONTEXT_WORDS: usize = 6;

/// Differences separated by a single equal word are reported as one passage: a passage that
/// reads "shot and shot" against "shot at shot" is easier to review whole than as three pieces.
const MERGE_GAP: usize = 1;

/// A run of words where two texts differ: its range in the words of `a` and in those of `b`.
pub type Hunk = (std::ops::Range<usize>, std::ops::Range<usize>);

/// Where two word sequences differ, in text order: the patience diff's non-equal operations,
/// merged across gaps of at most `MERGE_GAP` equal words. No classification: what a caller
/// that only counts words needs (the completeness check runs it for every pair of printings).
pub fn hunks<'a>(wa: &[&'a str], wb: &[&'a str]) -> Vec<Hunk> {
    // The diff runs on a number per distinct word: equal words get equal numbers, so the
    // operations are those of the words themselves, each comparison an integer's rather than
    // a string's.
    let mut numbers: std::collections::HashMap<&'a str, usize> =
        std::collections::HashMap::with_capacity(wa.len().max(wb.len()));
    let mut number = |w: &&'a str| {
        let next = numbers.len();
        *numbers.entry(*w).or_insert(next)
    };
    let na: Vec<usize> = wa.iter().map(&mut number).collect();
    let nb: Vec<usize> = wb.iter().map(&mut number).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &na, &nb);
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut last_equal_len = usize::MAX;
    for op in &ops {
        let (tag, ra, rb) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            last_equal_len = ra.len();
            continue;
        }
        match hunks.last_mut() {
            Some((ha, hb)) if last_equal_len <= MERGE_GAP => {
                ha.end = ra.end.max(ha.end);
                hb.end = rb.end.max(hb.end);
            }
            _ => hunks.push((ra, rb)),
        }
        last_equal_len = 0;
    }
    hunks
}

/// The passages where `a` and `b` differ, word by word, in text order.
pub fn passages(a: &str, b: &str) -> Vec<Passage> {
    passages_with(a, b, None)
}

/// [`passages`], from the `hunks` of these two texts' words when they were already diffed.
pub fn passages_with(a: &str, b: &str, known: Option<&[Hunk]>) -> Vec<Passage> {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let found = match known {
        Some(known) => known.to_vec(),
        None => hunks(&wa, &wb),
    };
    found
        .into_iter()
        .map(|(ra, rb)| {
            // The ranges come from the diff of these very slices.
            let pa = wa.get(ra.clone()).unwrap_or_default();
            let pb = wb.get(rb.clone()).unwrap_or_default();
            let context = wa
                .get(ra.start.saturating_sub(CONTEXT_WORDS)..ra.start)
                .unwrap_or_default()
                .join(" ");
            classify(&wa, ra.start, pa, &wb, rb.start, pb, context)
        })
        .collect()
}

fn classify(
    all_a: &[&str],
    start_a: usize,
    pa: &[&str],
    all_b: &[&str],
    start_b: usize,
    pb: &[&str],
    context: String,
) -> Passage {
    let nature = if pa.is_empty() {
        Nature::OnlyInB
    } else if pb.is_empty() {
        Nature::OnlyInA
    } else {
        let (sa, sb) = (letters(pa), letters(pb));
        if sa == sb {
            Nature::Typography
        } else if similar_spelling(&sa, &sb) {
            Nature::Spelling
        } else {
            Nature::Wording
        }
    };
    // A typographic difference changes nothing of substance.
    let substantive = nature != Nature::Typography;
    let names_a = names(all_a, start_a, pa.len());
    let names_b = names(all_b, start_b, pb.len());
    let changes_name = substantive && names_a != names_b;
    let attribution_near = |words: &[&str], start: usize, len: usize| {
        let lo = start.saturating_sub(3);
        let hi = (start + len + 3).min(words.len());
        words
            .get(lo..hi)
            .unwrap_or_default()
            .iter()
            .any(|w| is_attribution_word(w))
    };
    let changes_attribution = substantive
        && (pa.iter().chain(pb).any(|w| is_attribution_word(w))
            || (changes_name
                && (attribution_near(all_a, start_a, pa.len())
                    || attribution_near(all_b, start_b, pb.len()))));
    Passage {
        word_a: start_a + 1,
        word_b: start_b + 1,
        a: pa.join(" "),
        b: pb.join(" "),
        context,
        nature,
        changes_number: substantive && numbers(pa) != numbers(pb),
        changes_date: substantive && dates(pa) != dates(pb),
        changes_name,
        changes_attribution,
    }
}

/// Whether two passages' letters are within 30% edits of each other (normalised Levenshtein of
/// at least 0.7). The distance is at least the difference in length, so a pair whose lengths
/// alone rule it out is answered without the quadratic computation (same result, same rounding).
fn similar_spelling(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    if longest > 0 && 1.0 - (la.abs_diff(lb) as f64) / (longest as f64) < 0.7 {
        return false;
    }
    strsim::normalized_levenshtein(a, b) >= 0.7
}

/// The letters and digits of a passage, lower-cased: what is left when typography is ignored.
fn letters(words: &[&str]) -> String {
    words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A word's letters and digits, lower-cased. Borrowed when it has nothing else (most words of a
/// passage): the variants of every pair of printings pass each of their words through here.
fn bare(word: &str) -> std::borrow::Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return std::borrow::Cow::Borrowed(word);
    }
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .into()
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "dozen",
    "dozens",
    "half",
    "first",
    "second",
    "third",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const DAY_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
];

/// Words that say who said, reported or claimed something.
const ATTRIBUTION_WORDS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "claimed",
    "claims",
    "claim",
    "according",
    "reported",
    "reports",
    "stated",
    "states",
    "added",
    "echoed",
    "wrote",
    "writes",
    "quoted",
    "charged",
    "declared",
    "announced",
    "insisted",
    "denied",
    "denies",
    "disputed",
    "pleaded",
    "explained",
    "recalled",
    "described",
    "estimated",
    "screamed",
    "cried",
];

fn is_attribution_word(word: &str) -> bool {
    ATTRIBUTION_WORDS.contains(&bare(word).as_ref())
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// Numbers in a passage, written as digits or words ("1,000" and "1000" are the same number).
fn numbers<'a>(words: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    sorted(
        words
            .iter()
            .map(|w| bare(w))
            .filter(|w| {
                (w.chars().any(|c| c.is_ascii_digit()) && !is_year(w))
                    || NUMBER_WORDS.contains(&w.as_ref())
            })
            .collect(),
    )
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) && w.parse::<u32>().is_ok()
}

/// Words of a passage that name a date: months, weekdays, relative days and years.
fn dates<'a>(words: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    sorted(
        words
            .iter()
            .map(|w| bare(w))
            .filter(|w| {
                MONTHS.contains(&w.as_ref()) || DAY_WORDS.contains(&w.as_ref()) || is_year(w)
            })
            .collect(),
    )
}

/// Capitalised words of a passage that do not start a sentence and are not dates: the proper
/// names it contains (persons, places, bodies), lower-cased so that case alone is no change.
fn names<'a>(all: &[&'a str], start: usize, len: usize) -> Vec<std::borrow::Cow<'a, str>> {
    sorted(
        (start..start + len)
            .filter_map(|i| Some((i, *all.get(i)?)))
            .filter(|&(i, word)| {
                let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
                let capitalised = w.chars().next().is_some_and(char::is_uppercase);
                let sentence_start =
                    i == 0 || all.get(i - 1).is_none_or(|prev| ends_sentence(prev));
                capitalised && !sentence_start && w != "I"
            })
            .map(|(_, word)| bare(word))
            .filter(|w| {
                !w.is_empty() && !MONTHS.contains(&w.as_ref()) && !DAY_WORDS.contains(&w.as_ref())
            })
            .collect(),
    )
}

/// Titles and abbreviations whose full stop does not end a sentence ("Mr. Nasirov").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "gov", "sen", "rep", "st", "lt", "capt", "maj",
    "sgt", "no", "vs",
];

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['”', '"', '’', '\'', ')']);
    if !w.ends_with(['.', '!', '?', ':']) {
        return false;
    }
    let stem = bare(w);
    // An initial ("F.") or a title ("Mr.") is not the end of a sentence.
    !(w.ends_with('.') && (stem.chars().count() == 1 || ABBREVIATIONS.contains(&stem.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_after_a_title_is_a_name() {
        let p = passages("said Mr. Nasirov, who", "said Mr. Nasiru, who");
        assert!(p[0].changes_name);
        let p = passages("it ended. Then we", "it ended. When we");
        assert!(!p[0].changes_name);
    }

    #[test]
    fn the_length_shortcut_answers_as_the_full_distance_does() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefghij",
            "nasirov",
            "nasiru",
            "xocalı",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    similar_spelling(a, b),
                    strsim::normalized_levenshtein(a, b) >= 0.7,
                    "{a:?} / {b:?}"
                );
            }
        }
    }

    #[test]
    fn equal_texts_have_no_passages() {
        assert!(passages("a b  c", "a b\n\nc").is_empty());
    }

    #[test]
    fn spelling_of_a_place_is_a_spelling_and_name_change() {
        let p = passages(
            "arrived in Agdam with other women",
            "arrived in Aghdam with other women",
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].a, "Agdam");
        assert_eq!(p[0].b, "Aghdam");
        assert_eq!(p[0].nature, Nature::Spelling);
        assert!(p[0].changes_name);
        assert!(!p[0].changes_number);
        assert_eq!(p[0].word_a, 3);
        assert_eq!(p[0].context, "arrived in");
    }

    #[test]
    fn quotes_and_case_are_typography_and_change_nothing() {
        let p = passages(
            "the “Khojaly Massacre” said",
            "the \"KHOJALY MASSACRE\" said",
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].nature, Nature::Typography);
        assert!(!p[0].changes_name && !p[0].changes_attribution);
    }

    #[test]
    fn figures_dates_and_speakers_are_flagged() {
        let p = passages(
            "he said 1,000 died on Tuesday",
            "he said 600 died on Wednesday",
        );
        assert!(p.iter().any(|p| p.changes_number));
        assert!(p.iter().any(|p| p.changes_date));
        let p = passages(
            "“Twelve”, said Agamehmet Mutif, one",
            "“Twelve”, said Bahram Nigmatov, one",
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].changes_name && p[0].changes_attribution);
        assert_eq!(p[0].nature, Nature::Wording);
    }

    #[test]
    fn additions_and_omissions_are_one_passage_each() {
        let p = passages("a b c d", "a b x y z c d");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].nature, Nature::OnlyInB);
        assert_eq!(p[0].b, "x y z");
        let p = passages("a b x y c d", "a b c d");
        assert_eq!(p[0].nature, Nature::OnlyInA);
        assert_eq!(p[0].a, "x y");
    }

    #[test]
    fn changes_one_equal_word_apart_are_merged() {
        let p = passages("a x b y c", "a p b q c");
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].a.as_str(), p[0].b.as_str()), ("x b y", "p b q"));
        let p = passages("p q r s t u", "p X r s t Y");
        assert_eq!(p.len(), 2);
    }
}
