//! Text hygiene: Unicode NFC, no tabs, no carriage returns, no trailing spaces.

use serde_json::Value;
use unicode_normalization::{UnicodeNormalization, is_nfc};

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
    walk(value, String::new(), &mut out);
    out
}

fn walk(value: &Value, pointer: String, out: &mut Vec<HygieneProblem>) {
    match value {
        Value::String(s) => out.extend(check_str(s, &pointer)),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                walk(
                    v,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
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
    if !is_nfc(s) {
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
    if let Some(at) = s.find('\t') {
        push(
            "the text contains a tab".into(),
            "replace tabs with spaces",
            Some(at),
        );
    }
    if let Some(at) = s.find('\r') {
        push(
            "the text contains a carriage return (CR)".into(),
            "use \\n line ends only",
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

    #[test]
    fn finds_each_kind_of_problem() {
        let v = json!({ "a": "ok", "b": ["tab\there"], "c": { "d": "trailing \nx" }, "e": "cr\r\n", "f": "e\u{301}" });
        let problems = check(&v);
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/b/0", "/c/d", "/e", "/f"]);
    }
}
