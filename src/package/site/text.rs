//! A text as HTML paragraphs, with marked passages (claim quotes) and their anchors.

use std::ops::Range;

use maud::{Markup, html};

/// One marked passage: its byte range in the text and the anchor ids it carries.
pub struct Mark {
    pub bytes: Range<usize>,
    pub ids: Vec<String>,
}

/// A piece of a paragraph: plain, or marked (with the ids to anchor at its start).
enum Piece {
    Plain(String),
    Marked { text: String, ids: Vec<String> },
}

/// The text as `<p>` paragraphs (separated by blank lines in the text), with `marks`
/// highlighted as `<mark>`. Overlapping marks are merged; every id stays an anchor.
pub fn paragraphs(text: &str, marks: Vec<Mark>) -> Markup {
    let mut marks: Vec<Mark> = marks
        .into_iter()
        .filter(|m| m.bytes.start < m.bytes.end && text.get(m.bytes.clone()).is_some())
        .collect();
    marks.sort_by_key(|m| (m.bytes.start, m.bytes.end));
    let mut merged: Vec<Mark> = Vec::new();
    for m in marks {
        match merged.last_mut() {
            Some(last) if m.bytes.start < last.bytes.end => {
                last.bytes.end = last.bytes.end.max(m.bytes.end);
                last.ids.extend(m.ids);
            }
            _ => merged.push(m),
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut pos = 0;
    for m in merged {
        if let Some(plain) = text.get(pos..m.bytes.start) {
            pieces.push(Piece::Plain(plain.to_string()));
        }
        if let Some(marked) = text.get(m.bytes.clone()) {
            pieces.push(Piece::Marked {
                text: marked.to_string(),
                ids: m.ids,
            });
        }
        pos = m.bytes.end;
    }
    if let Some(rest) = text.get(pos..) {
        pieces.push(Piece::Plain(rest.to_string()));
    }

    // Split the pieces into paragraphs at blank lines.
    let mut paras: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in pieces {
        let (s, ids) = match piece {
            Piece::Plain(s) => (s, None),
            Piece::Marked { text, ids } => (text, Some(ids)),
        };
        for (k, part) in s.split("\n\n").enumerate() {
            if k > 0 {
                paras.push(Vec::new());
            }
            let part = if k > 0 {
                part.trim_start_matches('\n')
            } else {
                part
            };
            if part.is_empty() {
                continue;
            }
            let Some(cur) = paras.last_mut() else {
                continue;
            };
            cur.push(match &ids {
                None => Piece::Plain(part.to_string()),
                // Anchors only on the first fragment of a mark.
                Some(ids) => Piece::Marked {
                    text: part.to_string(),
                    ids: if k == 0 { ids.clone() } else { Vec::new() },
                },
            });
        }
    }
    html! {
        @for para in paras.iter().filter(|p| p.iter().any(|x| !matches!(x, Piece::Plain(s) if s.trim().is_empty()))) {
            p {
                @for piece in para {
                    @match piece {
                        Piece::Plain(s) => (s),
                        Piece::Marked { text, ids } => {
                            @for extra in ids.iter().skip(1) { span id=(extra) {} }
                            @if let Some(first) = ids.first() {
                                mark id=(first) { (text) }
                            } @else {
                                mark { (text) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_marks_and_splits_paragraphs() {
        let text = "He said \"<b>\" & 613 died.\n\nSecond <p>.";
        let start = text.find("613").unwrap_or(0);
        let html = paragraphs(
            text,
            vec![Mark {
                bytes: start..start + 3,
                ids: vec!["claim-c1".into()],
            }],
        )
        .into_string();
        assert_eq!(
            html,
            "<p>He said &quot;&lt;b&gt;&quot; &amp; <mark id=\"claim-c1\">613</mark> died.</p><p>Second &lt;p&gt;.</p>"
        );
    }

    #[test]
    fn overlapping_marks_keep_every_anchor() {
        let text = "two were children and three were women";
        let html = paragraphs(
            text,
            vec![
                Mark {
                    bytes: 0..17,
                    ids: vec!["a".into()],
                },
                Mark {
                    bytes: 0..38,
                    ids: vec!["b".into()],
                },
            ],
        )
        .into_string();
        assert!(html.contains("<span id=\"b\"></span><mark id=\"a\">"));
    }
}
