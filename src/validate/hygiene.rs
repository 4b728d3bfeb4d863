//! Text hygiene: Unicode NFC, no tabs, no carriage returns, no other control characters, no
//! bidirectional overrides or isolates, no trailing spaces.

use serde_json::Value;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::load::source::push_pointer_key;
use crate::model::text::is_bidi_control;

/// A hygiene problem in one string value.
#[derive(Debug, Clone, PartialEq)]
pub struct HygieneProblem {
    /// JSON pointer of the string.
    pub pointer: String,
    pub message: String,
    pub help: String,
    /// Byte offset of the offending character inside the string, when there is one.
    pub offset: Option<usize>,
}

/// Checks every string in a document.
pub fn check(value: &Value) -> Vec<HygieneProblem> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// `pointer` is the value's JSON pointer, one buffer grown and cut back on the way down (this
/// visits every value of every record; a string per value was a visible share of the checks).
fn walk(value: &Value, pointer: &mut String, out: &mut Vec<HygieneProblem>) {
    use std::fmt::Write;
    let len = pointer.len();
    match value {
        Value::String(s) => out.extend(check_str(s, pointer)),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let _ = write!(pointer, "/{i}");
                walk(v, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                push_pointer_key(pointer, k);
                walk(v, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_str(s: &str, pointer: &str) -> Vec<HygieneProblem> {
    let mut out = Vec::new();
    let mut push = |message: String, help: &str, offset: Option<usize>| {
        out.push(HygieneProblem {
            pointer: pointer.to_string(),
            message,
            help: help.to_string(),
            offset,
        })
    };
    // ASCII is NFC whatever it holds.
    if !s.is_ascii() && !is_nfc(s) {
        let at = s
            .nfc()
            .zip(s.char_indices())
            .position(|(a, (_, b))| a != b)
            .unwrap_or(0);
        let byte = s.char_indices().nth(at).map(|(i, _)| i);
        push(
            format!(
                "the text is not in Unicode NFC (first difference at character {})",
                at + 1
            ),
            "normalise the file to NFC (e.g. `uconv -x any-nfc` or Python's unicodedata.normalize('NFC', ...))",
            byte,
        );
    }
    let marks = invisible_marks(s);
    if let Some(at) = marks.tab {
        push(
            "the text contains a tab".into(),
            "replace tabs with spaces",
            Some(at),
        );
    }
    if let Some(at) = marks.carriage_return {
        push(
            "the text contains a carriage return (CR)".into(),
            "use \\n line ends only",
            Some(at),
        );
    }
    if let Some((at, c)) = marks.control {
        push(
            format!("the text contains the control character {}", char_name(c)),
            "remove it: control characters are not printed text (they come from copying out of a terminal or a broken conversion); where the print shows a symbol, type that symbol",
            Some(at),
        );
    }
    if let Some((at, c)) = marks.bidi {
        push(
            format!(
                "the text contains the invisible bidirectional formatting character {}, which makes text display in another order than it is stored",
                char_name(c)
            ),
            "remove it: right-to-left scripts (Arabic, Hebrew) display correctly without it",
            Some(at),
        );
    }
    let mut line_start = 0;
    for (n, line) in s.split('\n').enumerate() {
        if line.ends_with(' ') {
            push(
                format!("line {} of the value ends with a space", n + 1),
                "remove trailing spaces",
                Some(line_start + line.trim_end_matches(' ').len()),
            );
            break;
        }
        line_start += line.len() + 1;
    }
    out
}

/// Where a string first holds each kind of character that is not printed text.
#[derive(Debug, Default, PartialEq, Eq)]
struct InvisibleMarks {
    tab: Option<usize>,
    carriage_return: Option<usize>,
    /// A control character other than line feed, tab and CR (`char::is_control`: U+0000-U+001F,
    /// U+007F-U+009F).
    control: Option<(usize, char)>,
    bidi: Option<(usize, char)>,
}

/// One pass over the bytes for every kind of [`InvisibleMarks`] (this runs on every string of
/// every record). Each mark is found by its UTF-8 lead byte: ASCII controls are single bytes
/// below 0x20 and 0x7F, C1 controls start with 0xC2, the bidirectional controls with 0xE2 (no
/// continuation byte, 0x80-0xBF, is one of these); only at those bytes is a character decoded.
/// Blocks of bytes are first tested all at once (a loop the compiler vectorises), and only a
/// block holding such a byte is looked at a byte at a time.
fn invisible_marks(s: &str) -> InvisibleMarks {
    const BLOCK: usize = 32;
    let mut marks = InvisibleMarks::default();
    let bytes = s.as_bytes();
    for (block, chunk) in bytes.chunks(BLOCK).enumerate() {
        let suspect = chunk.iter().fold(false, |any, &b| {
            any | ((b < 0x20) & (b != b'\n')) | (b == 0x7F) | (b == 0xC2) | (b == 0xE2)
        });
        if suspect {
            mark_block(s, block * BLOCK, chunk, &mut marks);
        }
    }
    marks
}

/// The marks in one block of `s`'s bytes (`chunk`, from byte `start`).
fn mark_block(s: &str, start: usize, chunk: &[u8], marks: &mut InvisibleMarks) {
    for (i, &b) in chunk.iter().enumerate() {
        let at = start + i;
        match b {
            b'\n' => {}
            b'\t' => {
                marks.tab.get_or_insert(at);
            }
            b'\r' => {
                marks.carriage_return.get_or_insert(at);
            }
            0x00..0x20 | 0x7F => {
                marks.control.get_or_insert((at, char::from(b)));
            }
            0xC2 | 0xE2 => {
                let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) else {
                    continue;
                };
                if c.is_control() {
                    marks.control.get_or_insert((at, c));
                } else if is_bidi_control(c) {
                    marks.bidi.get_or_insert((at, c));
                }
            }
            _ => {}
        }
    }
}

/// `U+001B (ESC)`: a character named so that the message itself contains nothing invisible.
pub fn char_name(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{b}' => "VT",
        '\u{c}' => "FF",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{85}' => "NEL",
        '\u{9b}' => "CSI",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("U+{:04X} ({name})", u32::from(c))
    }
}

/// Layout of a long text: no leading or trailing blank lines, paragraphs separated by one blank line.
pub fn check_paragraphs(s: &str) -> Option<String> {
    if s.starts_with(char::is_whitespace) {
        return Some("the text starts with white space".into());
    }
    if s.trim_end_matches('\n').ends_with(char::is_whitespace) {
        return Some("the text ends with white space".into());
    }
    if s.contains("\n\n\n") {
        return Some("paragraphs are separated by more than one blank line".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The block-wise scan finds what a plain scan of every character finds, wherever in a
    /// block (and whichever block) the mark stands.
    #[test]
    fn invisible_marks_are_those_of_a_scan_of_every_character() {
        fn plain(s: &str) -> InvisibleMarks {
            let find = |f: &dyn Fn(char) -> bool| s.char_indices().find(|&(_, c)| f(c));
            InvisibleMarks {
                tab: find(&|c| c == '\t').map(|(i, _)| i),
                carriage_return: find(&|c| c == '\r').map(|(i, _)| i),
                control: find(&|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                bidi: find(&is_bidi_control),
            }
        }
        let marks = [
            "\t", "\r", "\u{1b}", "\u{7f}", "\u{85}", "\u{9b}", "\u{202e}", "\u{2067}", "’", "é",
            "\n",
        ];
        for filler in [
            "",
            "a",
            "abcdefghijklmnopqrstuvwxyz01234",
            "“quoted” – text’s ",
        ] {
            for (k, first) in marks.iter().enumerate() {
                for second in &marks[k..] {
                    let s = format!("{filler}{first}{filler}{filler}{second}{filler}");
                    assert_eq!(invisible_marks(&s), plain(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn finds_each_kind_of_problem() {
        let v = json!({ "a": "ok", "b": ["tab\there"], "c": { "d": "trailing \nx" }, "e": "cr\r\n", "f": "e\u{301}" });
        let problems = check(&v);
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/b/0", "/c/d", "/e", "/f"]);
    }

    #[test]
    fn control_and_bidi_characters_are_found_and_escaped() {
        let v = json!({ "a": "nul\u{0}", "b": "esc\u{1b}[31m", "c": "c1\u{9b}", "d": "rlo\u{202E}x", "e": "iso\u{2067}", "f": "ok\nline" });
        let problems = check(&v);
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/a", "/b", "/c", "/d", "/e"]);
        assert!(problems[1].message.contains("U+001B (ESC)"));
    }
}
