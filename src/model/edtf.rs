//! EDTF (Extended Date/Time Format, ISO 8601-2) dates, levels 0 and 1, with their day bounds.
//!
//! Written here rather than taken from a crate: the `edtf` crate (0.2) has not been released
//! since 2021, and we need only dates (no times) plus the earliest and latest day each value can
//! mean, for the Date32 `date_start`/`date_end` columns. The Library of Congress examples are the
//! unit tests, and the test suite cross-checks every date in data/ with the Python `edtf` package.

use std::fmt;

/// How precisely a single EDTF date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Season,
    Month,
    Day,
}

/// A parsed EDTF value: one date or an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edtf {
    /// Earliest day the value can mean, as days since 1970-01-01 (None: open or unknown start).
    pub start: Option<i32>,
    /// Latest day the value can mean (None: open or unknown end).
    pub end: Option<i32>,
    /// Precision of the (first) date.
    pub precision: Option<Precision>,
}

/// Why a string is not valid EDTF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdtfError(pub String);

impl fmt::Display for EdtfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an EDTF date or interval (levels 0 and 1).
pub fn parse(input: &str) -> Result<Edtf, EdtfError> {
    if input.is_empty() {
        return Err(EdtfError("the date is empty".into()));
    }
    if let Some((a, b)) = input.split_once('/') {
        let first = parse_interval_end(a)?;
        let second = parse_interval_end(b)?;
        if first.is_none() && second.is_none() {
            return Err(EdtfError(format!(
                "`{input}`: an interval needs at least one date"
            )));
        }
        if let (Some(x), Some(y)) = (&first, &second)
            && x.start > y.end
        {
            return Err(EdtfError(format!(
                "`{input}`: the interval ends before it starts"
            )));
        }
        return Ok(Edtf {
            start: first.as_ref().map(|d| d.start),
            end: second.as_ref().map(|d| d.end),
            precision: first.or(second).map(|d| d.precision),
        });
    }
    let d = parse_date(input)?;
    Ok(Edtf {
        start: Some(d.start),
        end: Some(d.end),
        precision: Some(d.precision),
    })
}

struct Bounds {
    start: i32,
    end: i32,
    precision: Precision,
}

/// One side of an interval: a date, `..` (open) or empty (unknown).
fn parse_interval_end(s: &str) -> Result<Option<Bounds>, EdtfError> {
    if s.is_empty() || s == ".." {
        return Ok(None);
    }
    parse_date(s).map(Some)
}

fn parse_date(s: &str) -> Result<Bounds, EdtfError> {
    // Level 1 qualifiers apply to the whole date: ? uncertain, ~ approximate, % both.
    let body = s.strip_suffix(['?', '~', '%']).unwrap_or(s);
    if body.ends_with(['?', '~', '%']) {
        return Err(EdtfError(format!(
            "`{s}`: only one qualifier (?, ~ or %) may follow a date"
        )));
    }
    let (negative, unsigned) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let mut parts = unsigned.split('-');
    let year_part = parts.next().unwrap_or_default();
    let month_part = parts.next();
    let day_part = parts.next();
    if parts.next().is_some() {
        return Err(EdtfError(format!(
            "`{s}`: too many parts; expected YYYY, YYYY-MM or YYYY-MM-DD"
        )));
    }
    let (year_lo, year_hi) = parse_year(year_part, negative, s)?;
    let Some(month_part) = month_part else {
        return Ok(Bounds {
            start: days_from_civil(year_lo, 1, 1),
            end: days_from_civil(year_hi, 12, 31),
            precision: Precision::Year,
        });
    };
    if year_lo != year_hi && month_part != "XX" {
        return Err(EdtfError(format!(
            "`{s}`: a year with unspecified digits cannot have a specified month"
        )));
    }
    if month_part.len() != 2 {
        return Err(EdtfError(format!("`{s}`: the month must have two digits")));
    }
    if month_part == "XX" {
        if let Some(d) = day_part
            && d != "XX"
        {
            return Err(EdtfError(format!(
                "`{s}`: an unspecified month cannot have a specified day"
            )));
        }
        return Ok(Bounds {
            start: days_from_civil(year_lo, 1, 1),
            end: days_from_civil(year_hi, 12, 31),
            precision: if day_part.is_some() {
                Precision::Day
            } else {
                Precision::Month
            },
        });
    }
    let month: u32 = digits(month_part, s)?;
    if let (21..=24, None) = (month, day_part) {
        // Level 1 seasons: 21 spring, 22 summer, 23 autumn, 24 winter (northern hemisphere).
        let (start, end) = match month {
            21 => (
                days_from_civil(year_lo, 3, 1),
                days_from_civil(year_lo, 5, 31),
            ),
            22 => (
                days_from_civil(year_lo, 6, 1),
                days_from_civil(year_lo, 8, 31),
            ),
            23 => (
                days_from_civil(year_lo, 9, 1),
                days_from_civil(year_lo, 11, 30),
            ),
            _ => (
                days_from_civil(year_lo, 12, 1),
                days_from_civil(year_lo + 1, 3, 1) - 1,
            ),
        };
        return Ok(Bounds {
            start,
            end,
            precision: Precision::Season,
        });
    }
    if !(1..=12).contains(&month) {
        return Err(EdtfError(format!(
            "`{s}`: month {month_part} does not exist (01-12)"
        )));
    }
    let last = days_in_month(year_lo, month);
    let Some(day_part) = day_part else {
        return Ok(Bounds {
            start: days_from_civil(year_lo, month, 1),
            end: days_from_civil(year_lo, month, last),
            precision: Precision::Month,
        });
    };
    if day_part.len() != 2 {
        return Err(EdtfError(format!("`{s}`: the day must have two digits")));
    }
    if day_part == "XX" {
        return Ok(Bounds {
            start: days_from_civil(year_lo, month, 1),
            end: days_from_civil(year_lo, month, last),
            precision: Precision::Day,
        });
    }
    let day: u32 = digits(day_part, s)?;
    if day == 0 || day > last {
        return Err(EdtfError(format!(
            "`{s}`: day {day_part} does not exist in that month (it has {last} days)"
        )));
    }
    let at = days_from_civil(year_lo, month, day);
    Ok(Bounds {
        start: at,
        end: at,
        precision: Precision::Day,
    })
}

/// A four-digit year, possibly with unspecified trailing digits (`199X`, `19XX`).
fn parse_year(part: &str, negative: bool, whole: &str) -> Result<(i32, i32), EdtfError> {
    if part.len() != 4 {
        return Err(EdtfError(format!(
            "`{whole}`: the year must have four digits"
        )));
    }
    let xs = part.chars().rev().take_while(|c| *c == 'X').count();
    let not_a_year = || {
        EdtfError(format!(
            "`{whole}`: `{part}` is not a year (digits, or up to two trailing X)"
        ))
    };
    let fixed = part.get(..4 - xs).ok_or_else(not_a_year)?;
    if xs > 2 || !fixed.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_a_year());
    }
    // xs is 0, 1 or 2 here.
    let scale = [1, 10, 100].get(xs).copied().unwrap_or(1);
    let base: i32 = fixed.parse::<i32>().unwrap_or(0) * scale;
    let span = scale - 1;
    if negative {
        Ok((-(base + span), -base))
    } else {
        Ok((base, base + span))
    }
}

fn digits(part: &str, whole: &str) -> Result<u32, EdtfError> {
    if !part.chars().all(|c| c.is_ascii_digit()) {
        return Err(EdtfError(format!("`{whole}`: `{part}` is not a number")));
    }
    part.parse()
        .map_err(|_| EdtfError(format!("`{whole}`: `{part}` is not a number")))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// The English month names, January first (for reading dates in texts and writing them in
/// citations).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    // Callers pass a validated month (1-12) and day (1-31); clamped so the arithmetic holds.
    let m = i32::try_from(month.clamp(1, 12)).unwrap_or(1);
    let day = i32::try_from(day.clamp(1, 31)).unwrap_or(1);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count (inverse of `days_from_civil`), as "YYYY-MM-DD".
pub fn civil_from_days(days: i32) -> String {
    CivilDate(days).to_string()
}

/// A day count shown as its civil date, "YYYY-MM-DD": writes into a buffer without a `String`
/// of its own (CSV cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilDate(pub i32);

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = ymd_from_days(self.0);
        if y < 0 {
            write!(f, "-{:04}-{m:02}-{d:02}", -y)
        } else {
            write!(f, "{y:04}-{m:02}-{d:02}")
        }
    }
}

/// The civil date of a day count as (year, month, day).
pub fn ymd_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    // m is 1-12 and d 1-31 by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(s: &str) -> (Option<String>, Option<String>) {
        let e = parse(s).unwrap_or_else(|err| panic!("{s}: {err}"));
        (e.start.map(civil_from_days), e.end.map(civil_from_days))
    }

    fn both(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.to_string()), Some(b.to_string()))
    }

    #[test]
    fn level0_examples_from_the_library_of_congress() {
        assert_eq!(bounds("1985-04-12"), both("1985-04-12", "1985-04-12"));
        assert_eq!(bounds("1985-04"), both("1985-04-01", "1985-04-30"));
        assert_eq!(bounds("1985"), both("1985-01-01", "1985-12-31"));
        assert_eq!(bounds("1964/2008"), both("1964-01-01", "2008-12-31"));
        assert_eq!(bounds("2004-06/2006-08"), both("2004-06-01", "2006-08-31"));
        assert_eq!(
            bounds("2004-02-01/2005-02-08"),
            both("2004-02-01", "2005-02-08")
        );
        assert_eq!(
            bounds("2004-02-01/2005-02"),
            both("2004-02-01", "2005-02-28")
        );
        assert_eq!(bounds("2004-02-01/2005"), both("2004-02-01", "2005-12-31"));
        assert_eq!(bounds("2005/2006-02"), both("2005-01-01", "2006-02-28"));
        assert_eq!(bounds("-0999"), both("-0999-01-01", "-0999-12-31"));
        assert_eq!(bounds("0000"), both("0000-01-01", "0000-12-31"));
    }

    #[test]
    fn level1_examples_from_the_library_of_congress() {
        assert_eq!(bounds("1984?"), both("1984-01-01", "1984-12-31"));
        assert_eq!(bounds("2004-06~"), both("2004-06-01", "2004-06-30"));
        assert_eq!(bounds("2004-06-11%"), both("2004-06-11", "2004-06-11"));
        assert_eq!(bounds("201X"), both("2010-01-01", "2019-12-31"));
        assert_eq!(bounds("20XX"), both("2000-01-01", "2099-12-31"));
        assert_eq!(bounds("2004-XX"), both("2004-01-01", "2004-12-31"));
        assert_eq!(bounds("1985-04-XX"), both("1985-04-01", "1985-04-30"));
        assert_eq!(bounds("1985-XX-XX"), both("1985-01-01", "1985-12-31"));
        assert_eq!(bounds("1985-04-12/.."), (Some("1985-04-12".into()), None));
        assert_eq!(bounds("../1985-04-12"), (None, Some("1985-04-12".into())));
        assert_eq!(bounds("1985-04-12/"), (Some("1985-04-12".into()), None));
        assert_eq!(bounds("/1985-04-12"), (None, Some("1985-04-12".into())));
        assert_eq!(bounds("2001-21"), both("2001-03-01", "2001-05-31"));
        assert_eq!(bounds("2001-24"), both("2001-12-01", "2002-02-28"));
        assert_eq!(
            bounds("1992-02-25/1992-02-26"),
            both("1992-02-25", "1992-02-26")
        );
    }

    #[test]
    fn impossible_dates_are_errors() {
        for bad in [
            "1992-13-45",
            "1992-02-30",
            "1993-02-29",
            "1992-13",
            "1992-00",
            "1992-04-31",
            "92",
            "1992-2-3",
            "1992/1991",
            "/",
            "1992??",
            "199X-03",
            "abcd",
            "",
            "1992-02-25T10:00",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(parse("1992-02-29").is_ok(), "1992 is a leap year");
        assert!(parse("2000-02-29").is_ok());
        assert!(parse("1996-02-29").is_ok());
        assert!(parse("1900-02-29").is_err());
    }

    #[test]
    fn day_counts_round_trip() {
        for d in [-800_000, -1, 0, 1, 8090, 20_000, 2_000_000] {
            let s = civil_from_days(d);
            let v = parse(&s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(v.start, Some(d), "{s}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1992, 2, 26), 8091);
    }
}
