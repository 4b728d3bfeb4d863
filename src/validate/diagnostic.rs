//! A problem found in the data: which file, where, what is wrong and how to fix it.

use std::ops::Range;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::rule::Rule;
use crate::load::SourceFile;
use crate::model::text::{escape_controls, is_bidi_control};

/// One problem, located in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule broken: its id (`edtf`, `fidelity`, ...) is shown, its code is in JSON.
    pub rule: Rule,
    pub path: PathBuf,
    /// Byte range in the file, when the problem has a position.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// What the problem's position is (shown under the offending line).
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further context, such as the printed line a text was compared with.
    pub notes: Vec<String>,
    /// JSON pointer of the value concerned, when known.
    pub pointer: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: Rule, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            path: path.into(),
            span: None,
            message: message.into(),
            label: None,
            help: None,
            notes: Vec::new(),
            pointer: None,
        }
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// A diagnostic as written by `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub rule: String,
    /// The rule's stable code (`K041`).
    pub code: &'static str,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// Line and column of the start of the problem, if it has a position.
    pub fn line_col(&self, source: Option<&SourceFile>) -> Option<(usize, usize)> {
        match (source, &self.span) {
            (Some(src), Some(span)) => Some(src.line_col(span.start)),
            _ => None,
        }
    }

    pub fn to_json(&self, source: Option<&SourceFile>) -> JsonDiagnostic {
        let lc = self.line_col(source);
        JsonDiagnostic {
            rule: self.rule.id().to_string(),
            code: self.rule.code(),
            path: display_path(&self.path),
            line: lc.map(|l| l.0),
            column: lc.map(|l| l.1),
            message: self.message.clone(),
            help: self.help.clone(),
            notes: self.notes.clone(),
        }
    }

    /// Renders the problem as compilers do: header, `--> path:line:col`, the offending line.
    pub fn render(&self, source: Option<&SourceFile>, renderer: &Renderer) -> String {
        let path = escape_controls(&display_path(&self.path)).into_owned();
        let title = escape_controls(&format!("{} [{}]", self.message, self.rule)).into_owned();
        let label = self.label.as_deref().map(escape_controls);
        let notes: Vec<_> = self.notes.iter().map(|n| escape_controls(n)).collect();
        let help = self.help.as_deref().map(escape_controls);
        let mut groups = Vec::new();
        let shown: String;
        let primary = match (source, &self.span) {
            (Some(src), Some(span)) => {
                // Show only the lines the problem is on, so a long text does not flood the screen.
                let (first, _) = src.line_col(span.start);
                let (last, _) = src.line_col(span.end.saturating_sub(1).max(span.start));
                let last = last.min(first + 2);
                let start = src.line_range(first).start;
                let end = src.line_range(last).end;
                let raw = src.text.get(start..end).unwrap_or_default();
                let rel_start = span.start.saturating_sub(start).min(raw.len());
                let rel_end = (span.end.min(end).max(span.start) - start).min(raw.len());
                // Control and bidirectional characters of the file are shown as visible symbols.
                let (visible_text, map) = visible(raw);
                shown = visible_text;
                let excerpt = shown.as_str();
                let rel_start = map(rel_start);
                let rel_end = map(rel_end);
                let rel_end = if rel_end == rel_start {
                    (rel_start + 1).min(excerpt.len())
                } else {
                    rel_end
                };
                // A span must never cut a character: the renderer would panic.
                let rel_start = excerpt.floor_char_boundary(rel_start);
                let rel_end = excerpt.ceil_char_boundary(rel_end);
                let mut annotation = AnnotationKind::Primary.span(rel_start..rel_end);
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_ref());
                }
                Level::ERROR.primary_title(title.as_str()).element(
                    Snippet::source(excerpt)
                        .line_start(first)
                        .path(path.as_str())
                        .annotation(annotation),
                )
            }
            _ => Level::ERROR.primary_title(title.as_str()).element(
                Snippet::<annotate_snippets::Annotation<'_>>::source("").path(path.as_str()),
            ),
        };
        groups.push(primary);
        for note in &notes {
            groups.push(Group::with_title(
                Level::NOTE.secondary_title(note.as_ref()),
            ));
        }
        if let Some(help) = &help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        renderer.render(&groups)
    }
}

/// A source excerpt with every control character other than tab (and a CR before a line end)
/// replaced by a visible symbol: C0 controls by their Control Pictures (`␛`), everything else,
/// bidirectional controls included, by U+FFFD. Returns the excerpt and a map from byte offsets
/// in the original to byte offsets in the shown text.
fn visible(raw: &str) -> (String, impl Fn(usize) -> usize) {
    let mut shown = String::with_capacity(raw.len());
    // (offset in raw, offset in shown) at every character boundary where they differ.
    let mut shifts: Vec<(usize, usize)> = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_line_end = chars.peek().is_none_or(|(_, n)| *n == '\n');
        let replacement = match c {
            '\t' | '\n' => None,
            '\r' if at_line_end => None,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)),
            '\u{7f}' => Some('\u{2421}'),
            c if c.is_control() || is_bidi_control(c) => Some(char::REPLACEMENT_CHARACTER),
            _ => None,
        };
        match replacement {
            Some(r) => {
                shown.push(r);
                shifts.push((i + c.len_utf8(), shown.len()));
            }
            None => shown.push(c),
        }
    }
    let map = move |offset: usize| match shifts.iter().rev().find(|(raw_at, _)| *raw_at <= offset) {
        Some((raw_at, shown_at)) => shown_at + (offset - raw_at),
        None => offset,
    };
    (shown, map)
}

/// Paths are shown with forward slashes on every platform, so snapshots and JSON agree.
pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
