//! Text as it may be shown on a terminal: the characters that could move the cursor, change
//! colours or reorder the display, and their escapes. Every stage that echoes input uses it.

use std::borrow::Cow;

/// The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
/// invisible, and able to reorder how the characters around them are displayed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to print on a terminal: control characters (except line feeds) and bidirectional
/// controls are replaced by their `\u{..}` escapes, so that no value can move the cursor, change
/// colours or reorder the display.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if (c.is_control() && c != '\n') || is_bidi_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            escape_controls("a\u{1b}[31mb\u{202E}\n"),
            "a\\u{1b}[31mb\\u{202e}\n"
        );
        assert!(matches!(
            escape_controls("plain “quoted”\n"),
            Cow::Borrowed(_)
        ));
    }
}
