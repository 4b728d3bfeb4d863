//! Finding a passage in a text: where every quote, printed non-figure and emended reading is.

use std::ops::Range;

use memchr::memmem;

/// The byte offsets of every occurrence of `needle` in `text`, left to right, not overlapping
/// (what `str::match_indices` gives). An empty needle occurs nowhere.
pub fn occurrences<'t>(text: &'t str, needle: &str) -> impl Iterator<Item = usize> + 't {
    let finder = (!needle.is_empty()).then(|| memmem::Finder::new(needle.as_bytes()).into_owned());
    let mut from = 0usize;
    let step = needle.len();
    std::iter::from_fn(move || {
        let finder = finder.as_ref()?;
        let at = from + finder.find(text.as_bytes().get(from..)?)?;
        from = at + step;
        Some(at)
    })
}

/// [`occurrences`] as byte ranges.
pub fn spans<'t>(text: &'t str, needle: &str) -> impl Iterator<Item = Range<usize>> + 't {
    let len = needle.len();
    occurrences(text, needle).map(move |at| at..at + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_those_of_match_indices() {
        let cases = [
            ("aaaa", "aa"),
            ("the 613 and 613, 613.", "613"),
            ("Xocalı – Xocalı", "Xocalı"),
            ("abc", "abcd"),
            ("", "a"),
            ("abc", ""),
            ("—a—a—", "—"),
        ];
        for (text, needle) in cases {
            let ours: Vec<usize> = occurrences(text, needle).collect();
            let std: Vec<usize> = if needle.is_empty() {
                Vec::new()
            } else {
                text.match_indices(needle).map(|(i, _)| i).collect()
            };
            assert_eq!(ours, std, "{needle:?} in {text:?}");
        }
        assert_eq!(
            spans("x 12 y 12", "12").collect::<Vec<_>>(),
            vec![2..4, 7..9]
        );
    }
}
