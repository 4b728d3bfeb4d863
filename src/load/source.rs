//! A TOML source file parsed with positions: its JSON value plus where each value stands.
//!
//! Structural checks run on the JSON value (against the published JSON Schema), and every
//! problem they find is mapped back to a line and column through the JSON-pointer span index.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Map, Number, Value};
use toml::de::{DeTable, DeValue};

/// A file's path and contents, with line/column lookup.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<SourceFile> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        // Invalid UTF-8 is reported as a problem by the caller; keep what can be shown.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Ok(SourceFile::new(path.to_path_buf(), text))
    }

    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }

    /// Byte range of a 1-based line (without its newline).
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .text
            .get(start..)
            .unwrap_or("")
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(self.text.len());
        start..end
    }

    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }
}

/// Where one value stands: the key (when it has one) and the value itself.
#[derive(Debug, Clone)]
pub struct Location {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// A parsed TOML document: its value as JSON and the location of every value by JSON pointer.
///
/// The locations are indexed only when first asked for (a problem to show, a reference to
/// remember), by parsing the text again: a valid record never needs them, and indexing every
/// value of every record was a tenth of a release's time.
#[derive(Debug, Clone)]
pub struct SpannedDocument {
    pub value: Value,
    text: String,
    locations: std::sync::OnceLock<BTreeMap<String, Location>>,
    /// Pointers of values written as TOML dates or times (`date = 1992-02-28`, no quotes):
    /// none of our fields is one, and `value` holds their text so that the rest still checks.
    pub datetimes: Vec<String>,
}

/// A TOML syntax error with its byte range.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

impl SpannedDocument {
    /// Parses TOML, returning every syntax error the parser can recover from.
    pub fn parse(text: &str) -> Result<SpannedDocument, Vec<SyntaxError>> {
        let (table, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            return Err(errors
                .into_iter()
                .map(|e| SyntaxError {
                    message: e.message().to_string(),
                    span: e.span(),
                })
                .collect());
        }
        let mut converted = Converted::default();
        let value = table_to_json(table.get_ref(), &mut converted);
        Ok(SpannedDocument {
            value,
            text: text.to_string(),
            locations: std::sync::OnceLock::new(),
            datetimes: converted.datetimes,
        })
    }

    /// Where every value stands, by JSON pointer (the root is `""`).
    pub fn locations(&self) -> &BTreeMap<String, Location> {
        self.locations.get_or_init(|| {
            let (table, _) = DeTable::parse_recoverable(&self.text);
            let mut locations = BTreeMap::new();
            locations.insert(
                String::new(),
                Location {
                    key: None,
                    value: table.span(),
                },
            );
            index_table(table.get_ref(), "", &mut locations);
            locations
        })
    }

    /// The location of a JSON pointer, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<&Location> {
        let locations = self.locations();
        let mut p = pointer.to_string();
        loop {
            if let Some(loc) = locations.get(&p) {
                return Some(loc);
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return locations.get(""),
            }
        }
    }
}

/// Appends `/key` to a JSON pointer, escaped (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn push_pointer_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// What converting a document collects besides its value.
#[derive(Default)]
struct Converted<'a> {
    /// The path to the value being converted: keys and array indexes.
    path: Vec<Step<'a>>,
    datetimes: Vec<String>,
}

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Converted<'_> {
    /// The JSON pointer of the value being converted (made only for the rare value that needs it).
    fn pointer(&self) -> String {
        let mut p = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) => push_pointer_key(&mut p, k),
                Step::Index(i) => {
                    p.push('/');
                    p.push_str(&i.to_string());
                }
            }
        }
        p
    }
}

fn table_to_json<'a>(table: &'a DeTable<'_>, converted: &mut Converted<'a>) -> Value {
    let mut map = Map::new();
    for (key, value) in table {
        converted.path.push(Step::Key(key.get_ref()));
        let json = value_to_json(value.get_ref(), converted);
        converted.path.pop();
        map.insert(key.get_ref().to_string(), json);
    }
    Value::Object(map)
}

fn value_to_json<'a>(value: &'a DeValue<'_>, converted: &mut Converted<'a>) -> Value {
    match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits.trim_start_matches('+');
            let body = ["0x", "0o", "0b"]
                .iter()
                .find_map(|p| digits.strip_prefix(p))
                .unwrap_or(digits);
            // Beyond i64 the value is kept as a (whole) float, so that the schema sees a number
            // and the range check names the field, rather than reporting a string.
            i64::from_str_radix(body, i.radix())
                .map(|n| Value::Number(Number::from(n)))
                .ok()
                .or_else(|| {
                    let negative = body.starts_with('-');
                    let magnitude = u128::from_str_radix(body.trim_start_matches('-'), i.radix())
                        .ok()
                        .map(|n| n as f64)
                        .unwrap_or(f64::MAX);
                    Number::from_f64(if negative { -magnitude } else { magnitude })
                        .map(Value::Number)
                })
                .unwrap_or_else(|| Value::String(i.as_str().to_string()))
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.as_str().to_string())),
        DeValue::Boolean(b) => Value::Bool(*b),
        // TOML dates are not JSON; keep their text, so a schema expecting a string still
        // explains what it found.
        DeValue::Datetime(d) => {
            converted.datetimes.push(converted.pointer());
            Value::String(d.to_string())
        }
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    converted.path.push(Step::Index(i));
                    let json = value_to_json(item.get_ref(), converted);
                    converted.path.pop();
                    json
                })
                .collect(),
        ),
        DeValue::Table(t) => table_to_json(t, converted),
    }
}

/// Records where every value under `table` (at `pointer`) stands.
fn index_table(table: &DeTable<'_>, pointer: &str, locations: &mut BTreeMap<String, Location>) {
    for (key, value) in table {
        let mut child = pointer.to_string();
        push_pointer_key(&mut child, key.get_ref());
        locations.insert(
            child.clone(),
            Location {
                key: Some(key.span()),
                value: value.span(),
            },
        );
        index_value(value.get_ref(), &child, locations);
    }
}

fn index_value(value: &DeValue<'_>, pointer: &str, locations: &mut BTreeMap<String, Location>) {
    match value {
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let child = format!("{pointer}/{i}");
                locations.insert(
                    child.clone(),
                    Location {
                        key: None,
                        value: item.span(),
                    },
                );
                index_value(item.get_ref(), &child, locations);
            }
        }
        DeValue::Table(t) => index_table(t, pointer, locations),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_to_lines() {
        let text = "id = \"a\"\nlines = [3, 4]\n\n[[appearances]]\ncompilation = \"c\"\n";
        let doc = SpannedDocument::parse(text).expect("valid TOML");
        assert!(doc.locations.get().is_none(), "indexed only when asked");
        let src = SourceFile::new("x.toml".into(), text.to_string());
        let loc = doc.locate("/lines/1").expect("located");
        assert_eq!(src.line_col(loc.value.start), (2, 13));
        let loc = doc.locate("/appearances/0/compilation").expect("located");
        assert_eq!(src.line_col(loc.value.start).0, 5);
        assert_eq!(doc.value["lines"][1], 4);
    }

    #[test]
    fn datetimes_are_named_by_pointer() {
        let doc = SpannedDocument::parse("[[a]]\nx = 1\n[[a]]\n\"b/c\" = [1992-02-26]\n")
            .expect("valid TOML");
        assert_eq!(doc.datetimes, ["/a/1/b~1c/0"]);
    }

    #[test]
    fn every_syntax_error_is_returned() {
        let errors = SpannedDocument::parse("a = \nb = [1,\n").expect_err("invalid");
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|e| e.span.is_some()));
    }
}
