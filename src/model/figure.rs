//! Reading a figure as printed (`613`, `over 600`, `six hundred and thirteen`, `hundreds`) into
//! the bounds its words allow, and finding every number in a text.
//!
//! The rules are written once here and documented in CURATING.md, so that anyone can change a
//! rule and rebuild; no bound is typed by hand where the words give it.
//!
//! - An exact number gives low = high = the number.
//! - `about`, `around`, `approximately`, `some`, `nearly`, `almost`, `roughly`, `an estimated`:
//!   low = high = the number, qualifier `approximately`.
//! - `over`, `more than`, `above`, `in excess of`: low = the number + 1, no high (`more_than`).
//! - `at least`, `no fewer than`, `no less than`, `not less than`: low = the number (`at_least`).
//! - `up to`, `as many as`: high = the number, no low (`up_to`).
//! - `fewer than`, `less than`, `under`: high = the number - 1 (`fewer_than`).
//! - `X to Y`, `X-Y`, `X–Y`, `between X and Y`, `X or Y`: low X, high Y (`range`).
//! - `maybe`, `perhaps`, `possibly` keep the number (`approximately`); an approximate range
//!   (`roughly 200-300`) is a `range`.
//! - Vague plurals (`vague`): `dozens`, `several dozen`, `a few dozen` 24–99; `scores` 40–99;
//!   `hundreds`, `several hundred`, `a few hundred` 200–999; `thousands`, `several thousand`,
//!   `a few thousand` 2,000–9,999; `tens of thousands` 20,000–99,999; `hundreds of thousands`
//!   200,000–999,999; `several thousands` as `several thousand`; `millions` 2,000,000–9,999,999;
//!   `tens of millions` 20,000,000–99,999,999; `tens of billions` 20,000,000,000–99,999,999,999.
//! - A further count (`another 31`, `an additional one thousand`, `dozens more`) is read as the
//!   count it states; `X to as many as Y` is a range; `216 thousand` and `half a million` are read.

use std::ops::Range;

/// How the words qualify the number.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Approximately,
    AtLeast,
    MoreThan,
    UpTo,
    FewerThan,
    Range,
    Vague,
}

impl Qualifier {
    pub const ALL: [Qualifier; 8] = [
        Qualifier::Exact,
        Qualifier::Approximately,
        Qualifier::AtLeast,
        Qualifier::MoreThan,
        Qualifier::UpTo,
        Qualifier::FewerThan,
        Qualifier::Range,
        Qualifier::Vague,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approximately => "approximately",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::UpTo => "up_to",
            Qualifier::FewerThan => "fewer_than",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }
}

/// What a figure's words allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub qualifier: Qualifier,
}

const UNITS: [(&str, u64); 20] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: [(&str, u64); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const VAGUE: [(&str, u64, u64); 17] = [
    ("tens of billions", 20_000_000_000, 99_999_999_999),
    ("tens of millions", 20_000_000, 99_999_999),
    ("hundreds of thousands", 200_000, 999_999),
    ("several thousands", 2_000, 9_999),
    ("several hundreds", 200, 999),
    ("tens of thousands", 20_000, 99_999),
    ("several hundred", 200, 999),
    ("a few hundred", 200, 999),
    ("several thousand", 2_000, 9_999),
    ("a few thousand", 2_000, 9_999),
    ("several dozen", 24, 99),
    ("a few dozen", 24, 99),
    ("dozens", 24, 99),
    ("scores", 40, 99),
    ("hundreds", 200, 999),
    ("thousands", 2_000, 9_999),
    ("millions", 2_000_000, 9_999_999),
];

const PREFIXES: [(&str, Qualifier); 24] = [
    ("maybe", Qualifier::Approximately),
    ("perhaps", Qualifier::Approximately),
    ("possibly", Qualifier::Approximately),
    ("approximately", Qualifier::Approximately),
    ("an estimated", Qualifier::Approximately),
    ("estimated", Qualifier::Approximately),
    ("about", Qualifier::Approximately),
    ("around", Qualifier::Approximately),
    ("some", Qualifier::Approximately),
    ("nearly", Qualifier::Approximately),
    ("almost", Qualifier::Approximately),
    ("roughly", Qualifier::Approximately),
    ("more than", Qualifier::MoreThan),
    ("over", Qualifier::MoreThan),
    ("above", Qualifier::MoreThan),
    ("in excess of", Qualifier::MoreThan),
    ("at least", Qualifier::AtLeast),
    ("no fewer than", Qualifier::AtLeast),
    ("no less than", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("up to", Qualifier::UpTo),
    ("as many as", Qualifier::UpTo),
    ("fewer than", Qualifier::FewerThan),
    ("less than", Qualifier::FewerThan),
];

/// Reads a number written in digits (`6,000`, `1 275`) or in words (`six hundred and thirteen`,
/// `a thousand`, `twenty-five`).
pub fn number(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == ' ' || c == '.')
        && s.starts_with(|c: char| c.is_ascii_digit())
    {
        // Thousands separators only: every group after the first has three digits.
        let groups: Vec<&str> = s.split([',', ' ', '.']).collect();
        if groups.len() > 1 && groups.iter().skip(1).any(|g| g.len() != 3) {
            return None;
        }
        return groups.concat().parse().ok();
    }
    let lower = s.to_lowercase();
    // `216 thousand`, `1.5 million` is not read (a decimal is not a count of its own).
    for (word, scale) in [
        (" thousand", 1_000u64),
        (" million", 1_000_000),
        (" billion", 1_000_000_000),
    ] {
        if let Some(digits) = lower.strip_suffix(word)
            && digits.starts_with(|c: char| c.is_ascii_digit())
            && !digits.contains('.')
        {
            return number(digits)?.checked_mul(scale);
        }
    }
    if let Some(scale) = lower
        .strip_prefix("half")
        .map(|r| r.trim_start_matches([' ', '-']))
        .and_then(|r| r.strip_prefix('a'))
        .map(|r| r.trim_start_matches([' ', '-']))
    {
        return match scale {
            "million" => Some(500_000),
            "thousand" => Some(500),
            "billion" => Some(500_000_000),
            _ => None,
        };
    }
    words_number(&lower)
}

fn words_number(s: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut any = false;
    for word in s
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && *w != "and")
    {
        if let Some((_, v)) = UNITS.iter().find(|(w, _)| *w == word) {
            current = current.checked_add(*v)?;
        } else if let Some((_, v)) = TENS.iter().find(|(w, _)| *w == word) {
            current = current.checked_add(*v)?;
        } else if word == "a" && !any {
            current = 1;
        } else if word == "hundred" {
            current = current.max(1).checked_mul(100)?;
        } else if word == "thousand" || word == "million" {
            let scale = if word == "thousand" { 1_000 } else { 1_000_000 };
            total = total.checked_add(current.max(1).checked_mul(scale)?)?;
            current = 0;
        } else {
            return None;
        }
        any = true;
    }
    any.then_some(total + current)
}

/// Reads a figure's words into bounds and a qualifier; None when the words are not a figure the
/// rules know (the curator then gives `low` and `high`).
pub fn read(value: &str) -> Option<Reading> {
    let v = value
        .trim()
        .trim_end_matches(['+'])
        .to_lowercase()
        .replace('–', "-");
    // `dozens more`, `another 31`, `an additional one thousand`: a further count is read as
    // the count it states.
    let v = v.trim();
    let v = v.strip_suffix(" more").unwrap_or(v);
    let v = strip_further(v);
    let exact = |n: u64, q: Qualifier| Reading {
        low: Some(n),
        high: Some(n),
        qualifier: q,
    };
    if let Some((_, low, high)) = VAGUE.iter().find(|(w, _, _)| *w == v) {
        return Some(Reading {
            low: Some(*low),
            high: Some(*high),
            qualifier: Qualifier::Vague,
        });
    }
    for (prefix, q) in PREFIXES {
        if let Some(rest) = v.strip_prefix(prefix).and_then(|r| r.strip_prefix(' ')) {
            let inner = read(strip_further(rest))?;
            // `roughly 200-300`, `about 200 to 300`: an approximate range is a range.
            if q == Qualifier::Approximately && inner.qualifier == Qualifier::Range {
                return Some(inner);
            }
            if inner.qualifier != Qualifier::Exact {
                return None;
            }
            let n = inner.low?;
            return Some(match q {
                Qualifier::MoreThan => Reading {
                    low: n.checked_add(1),
                    high: None,
                    qualifier: q,
                },
                Qualifier::AtLeast => Reading {
                    low: Some(n),
                    high: None,
                    qualifier: q,
                },
                Qualifier::UpTo => Reading {
                    low: None,
                    high: Some(n),
                    qualifier: q,
                },
                Qualifier::FewerThan => Reading {
                    low: None,
                    high: n.checked_sub(1),
                    qualifier: q,
                },
                _ => exact(n, q),
            });
        }
    }
    if let Some(rest) = v.strip_prefix("between ")
        && let Some((a, b)) = rest.split_once(" and ")
    {
        return range(a, b);
    }
    for sep in [" to as many as ", " to ", " or ", "-"] {
        let digits = |s: &str| s.trim().starts_with(|c: char| c.is_ascii_digit());
        if let Some((a, b)) = v.split_once(sep)
            // `twenty-five` is one number; only digits make a range with a hyphen.
            && (sep != "-" || (digits(a) && digits(b)))
            && let (Some(_), Some(_)) = (number(a), number(b))
        {
            return range(a, b);
        }
    }
    number(v).map(|n| exact(n, Qualifier::Exact))
}

/// The count after `another`, `an additional` or `additional`.
fn strip_further(v: &str) -> &str {
    ["another ", "an additional ", "additional "]
        .iter()
        .find_map(|w| v.strip_prefix(w))
        .unwrap_or(v)
}

fn range(a: &str, b: &str) -> Option<Reading> {
    let (a, b) = (number(a)?, number(b)?);
    (a <= b).then_some(Reading {
        low: Some(a),
        high: Some(b),
        qualifier: Qualifier::Range,
    })
}

/// Whether `part` is a number word counted as a number in a text, in any ASCII case (every
/// number word is ASCII, and no other letter lower-cases to one of theirs). `one` is left out:
/// in these texts it is far more often a pronoun or article (`one of the deserters`, `one by
/// one`) than a count; a claim may still quote it. Lower-cased into a small buffer and matched
/// once (this runs on every word of every text).
fn is_number_word(part: &str) -> bool {
    const LONGEST: usize = 9;
    let bytes = part.as_bytes();
    if bytes.len() < 3 || bytes.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    let Some(lower) = lower.get_mut(..bytes.len()) else {
        return false;
    };
    for (to, from) in lower.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"dozen"
            | b"dozens"
            | b"eight"
            | b"eighteen"
            | b"eighty"
            | b"eleven"
            | b"fifteen"
            | b"fifty"
            | b"five"
            | b"forty"
            | b"four"
            | b"fourteen"
            | b"hundred"
            | b"hundreds"
            | b"million"
            | b"millions"
            | b"nine"
            | b"nineteen"
            | b"ninety"
            | b"scores"
            | b"seven"
            | b"seventeen"
            | b"seventy"
            | b"six"
            | b"sixteen"
            | b"sixty"
            | b"ten"
            | b"thirteen"
            | b"thirty"
            | b"thousand"
            | b"thousands"
            | b"three"
            | b"twelve"
            | b"twenty"
            | b"two"
    )
}

/// `word` without the characters at either end that `keep` refuses; `keep` must accept every
/// ASCII letter and digit. Most words begin and end with one, and are returned as they are
/// without decoding a character (this runs on every word of every text).
fn trim_ends(word: &str, keep: impl Fn(char) -> bool) -> &str {
    let bytes = word.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return word;
    }
    word.trim_matches(|c: char| !keep(c))
}

/// `word` without the characters at either end that are not alphanumeric.
fn alphanumeric_core(word: &str) -> &str {
    trim_ends(word, char::is_alphanumeric)
}

/// Every number in `text`: runs of digits (with their separators and ordinal ends: `6,000`,
/// `366th`, `8:00`) and number words (compounds such as `twenty-five` are one), as byte ranges.
pub fn mentions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (start, word) in words(text) {
        let core = alphanumeric_core(word);
        if core.is_empty() {
            continue;
        }
        // `core` is a slice of `word`: its offset is the distance between their starts.
        let offset = start + (core.as_ptr() as usize - word.as_ptr() as usize);
        // ASCII case folding is exact here: every number word is ASCII, and no other letter
        // lower-cases to one of theirs. No lower-cased copy per word (this runs on every word
        // of every text).
        let is_number = core.starts_with(|c: char| c.is_ascii_digit())
            || if core.as_bytes().contains(&b'-') {
                core.split('-').any(is_number_word)
            } else {
                is_number_word(core)
            };
        if is_number {
            out.push(offset..offset + core.len());
        }
    }
    out
}

/// The dates the built-in rule recognises, as byte ranges: a day and month (`26 February`,
/// `February 26`, `25-26 February`, `25 and 26 February`, `February 25 to 26`), optionally with a year (`26 February 1992`,
/// `February 26, 1992`), or a month and year (`February 1992`). A year alone is not recognised:
/// it is declared where it is one.
pub fn dates(text: &str) -> Vec<Range<usize>> {
    let ws: Vec<(usize, &str)> = words(text).collect();
    let is_day = |w: &str| {
        let w = clean(w);
        !w.is_empty()
            && w.split(['-', '–']).all(|p| {
                p.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
                    || p.strip_suffix("th")
                        .or(p.strip_suffix("st"))
                        .or(p.strip_suffix("nd"))
                        .or(p.strip_suffix("rd"))
                        .and_then(|d| d.parse::<u32>().ok())
                        .is_some_and(|d| (1..=31).contains(&d))
            })
    };
    let is_year = |w: &str| {
        let w = clean(w);
        w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1000..=2099).contains(&y))
    };
    let is_month = |w: &str| super::edtf::MONTH_NAMES.contains(&clean(w));
    let end_of = |k: usize| ws.get(k).map(|(s, w)| s + w.len()).unwrap_or(0);
    let mut out = Vec::new();
    for (k, (start, w)) in ws.iter().enumerate() {
        if !is_month(w) {
            continue;
        }
        let mut first = k;
        let mut last = k;
        let joins = |w: &str| {
            ["and", "to", "&"]
                .iter()
                .any(|j| j.eq_ignore_ascii_case(clean(w)))
        };
        if k > 0 && ws.get(k - 1).is_some_and(|(_, p)| is_day(p)) {
            first = k - 1;
            // `25 and 26 February`, `25 to 26 February`
            if first >= 2
                && ws.get(first - 1).is_some_and(|(_, j)| joins(j))
                && ws.get(first - 2).is_some_and(|(_, d)| is_day(d))
            {
                first -= 2;
            }
        } else if ws.get(k + 1).is_some_and(|(_, n)| is_day(n)) {
            last = k + 1;
            // `February 25 and 26`
            if ws.get(last + 1).is_some_and(|(_, j)| joins(j))
                && ws.get(last + 2).is_some_and(|(_, d)| is_day(d))
            {
                last += 2;
            }
        }
        if ws.get(last + 1).is_some_and(|(_, n)| is_year(n)) {
            last += 1;
        }
        if first == k && last == k {
            continue;
        }
        let from = ws.get(first).map(|(s, _)| *s).unwrap_or(*start);
        out.push(from..end_of(last));
    }
    out
}

/// A word without the punctuation around it (hyphens and dashes kept: `25-26`).
fn clean(w: &str) -> &str {
    trim_ends(w, |c| c.is_alphanumeric() || c == '-' || c == '–')
}

/// Whitespace-separated words with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |w| {
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        (start, w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: &str) -> Option<(Option<u64>, Option<u64>, Qualifier)> {
        read(v).map(|r| (r.low, r.high, r.qualifier))
    }

    #[test]
    fn number_words_are_found_in_any_case() {
        // The 35 number words, "one" left out.
        let number_words = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions dozen dozens scores";
        assert_eq!(number_words.split(' ').count(), 35);
        for w in number_words.split(' ') {
            assert!(is_number_word(w));
            assert!(is_number_word(&w.to_ascii_uppercase()));
        }
        for w in [
            "one",
            "twentyfive",
            "hundredth",
            "tw",
            "",
            "ДВА",
            "seventeenth",
        ] {
            assert!(!is_number_word(w), "{w}");
        }
    }

    #[test]
    fn further_counts_scales_and_open_ranges_are_read() {
        use Qualifier::*;
        assert_eq!(r("At least another 31"), Some((Some(31), None, AtLeast)));
        assert_eq!(
            r("more than an additional one thousand"),
            Some((Some(1001), None, MoreThan))
        );
        assert_eq!(r("dozens more"), Some((Some(24), Some(99), Vague)));
        assert_eq!(
            r("more than half-a-million"),
            Some((Some(500_001), None, MoreThan))
        );
        assert_eq!(
            r("half a million"),
            Some((Some(500_000), Some(500_000), Exact))
        );
        assert_eq!(
            r("at least 216 thousand"),
            Some((Some(216_000), None, AtLeast))
        );
        assert_eq!(
            r("160 to as many as 1,000"),
            Some((Some(160), Some(1000), Range))
        );
        assert_eq!(
            r("several thousands"),
            Some((Some(2000), Some(9999), Vague))
        );
        assert_eq!(
            r("tens of billions"),
            Some((Some(20_000_000_000), Some(99_999_999_999), Vague))
        );
        assert_eq!(
            r("maybe one hundred"),
            Some((Some(100), Some(100), Approximately))
        );
        // Still not read: a fraction, a decimal with a scale, a misprint.
        assert_eq!(r("almost one fifth"), None);
        assert_eq!(r("1.5 million"), None);
        assert_eq!(r("200 hundred"), None);
    }

    #[test]
    fn figures_are_read_by_the_documented_rules() {
        use Qualifier::*;
        assert_eq!(r("613"), Some((Some(613), Some(613), Exact)));
        assert_eq!(r("6,000"), Some((Some(6000), Some(6000), Exact)));
        assert_eq!(
            r("six hundred and thirteen"),
            Some((Some(613), Some(613), Exact))
        );
        assert_eq!(r("Twelve"), Some((Some(12), Some(12), Exact)));
        assert_eq!(r("twenty-five"), Some((Some(25), Some(25), Exact)));
        assert_eq!(r("a thousand"), Some((Some(1000), Some(1000), Exact)));
        assert_eq!(r("over 600"), Some((Some(601), None, MoreThan)));
        assert_eq!(r("more than 1,000"), Some((Some(1001), None, MoreThan)));
        assert_eq!(r("up to 500"), Some((None, Some(500), UpTo)));
        assert_eq!(r("at least 200"), Some((Some(200), None, AtLeast)));
        assert_eq!(r("fewer than 10"), Some((None, Some(9), FewerThan)));
        assert_eq!(
            r("about 1,000"),
            Some((Some(1000), Some(1000), Approximately))
        );
        assert_eq!(
            r("some 1,000"),
            Some((Some(1000), Some(1000), Approximately))
        );
        assert_eq!(r("hundreds"), Some((Some(200), Some(999), Vague)));
        assert_eq!(r("dozens"), Some((Some(24), Some(99), Vague)));
        assert_eq!(r("several dozen"), Some((Some(24), Some(99), Vague)));
        assert_eq!(r("roughly 200-300"), Some((Some(200), Some(300), Range)));
        assert_eq!(
            r("maybe one hundred"),
            Some((Some(100), Some(100), Approximately))
        );
        assert_eq!(r("200-300"), Some((Some(200), Some(300), Range)));
        assert_eq!(
            r("between 450 and 500"),
            Some((Some(450), Some(500), Range))
        );
        assert_eq!(r("six or seven"), Some((Some(6), Some(7), Range)));
        assert_eq!(r("many"), None);
        assert_eq!(r("30%"), None);
        assert_eq!(r("1,27"), None);
    }

    #[test]
    fn numbers_and_dates_are_found() {
        let t = "On 26 February 1992, twenty-five of the 6,000 residents, the 366th regiment, one by one.";
        let found: Vec<&str> = mentions(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(found, ["26", "1992", "twenty-five", "6,000", "366th"]);
        let d: Vec<&str> = dates(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(d, ["26 February 1992,"]);
        let t = "on the night of February 25-26, 1992 and in March 1992";
        let d: Vec<&str> = dates(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(d, ["February 25-26, 1992", "March 1992"]);
        let t = "on February 25 And 26, 1992, and the night of 25 to 26 February 1992";
        let d: Vec<&str> = dates(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(d, ["February 25 And 26, 1992,", "25 to 26 February 1992"]);
    }
}
