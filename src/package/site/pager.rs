//! Long listings cut into numbered pages, so that no page of the site grows with the corpus
//! beyond what a browser opens: the claims table, the list of all records and each section of
//! an agent's page continue on further pages past `ROWS_PER_PAGE` rows.
//!
//! A listing that fits on one page is written exactly as it would be without paging (no
//! navigation between pages, no "continued").

use maud::{Markup, html};

/// Rows on one page of a listing: a few megabytes of HTML for the widest rows (claims).
pub const ROWS_PER_PAGE: u64 = 5_000;

/// How a listing of some number of rows falls into pages, numbered from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    rows: u64,
}

impl Paging {
    pub fn new(rows: u64) -> Paging {
        Paging { rows }
    }

    /// How many rows the listing has.
    pub fn rows(self) -> u64 {
        self.rows
    }

    /// How many pages the listing has (one, also when it is empty).
    pub fn pages(self) -> u64 {
        self.rows.div_ceil(ROWS_PER_PAGE).max(1)
    }

    /// The page that shows the row at `index` (counted from 0).
    pub fn page_of(index: u64) -> u64 {
        index / ROWS_PER_PAGE + 1
    }

    /// The rows `page` shows, as indices counted from 0: `start..end`.
    pub fn rows_on(self, page: u64) -> std::ops::Range<u64> {
        let start = page
            .saturating_sub(1)
            .saturating_mul(ROWS_PER_PAGE)
            .min(self.rows);
        start..start.saturating_add(ROWS_PER_PAGE).min(self.rows)
    }

    /// "Rows 5,001–10,000 of 23,456." in the words of the listing (`what`: "claims").
    pub fn range_text(self, page: u64, what: &str) -> String {
        let rows = self.rows_on(page);
        format!(
            "{what} {}–{} of {}.",
            grouped(rows.start + 1),
            grouped(rows.end),
            grouped(self.rows)
        )
    }
}

/// The file of page `p` of a listing: `first` for the first page, `<stem>-<p>.html` after it.
pub fn file(first: &str, stem: &str, p: u64) -> String {
    if p == 1 {
        first.to_string()
    } else {
        format!("{stem}-{p}.html")
    }
}

/// The link under a page's rows to the page after it, `text` saying what it continues ("Next
/// page of claims"); empty on the last page.
pub fn next_link(paging: Paging, p: u64, text: &str, href: impl Fn(u64) -> String) -> Markup {
    html! {
        @if p < paging.pages() {
            p { a href=(href(p + 1)) rel="next" { (text) " (" (p + 1) " of " (paging.pages()) ")" } }
        }
    }
}

/// Links between the pages of a listing, for page `current`: its number, the previous and
/// next pages, the first and last, and the two pages on either side. Empty when the listing
/// has one page. `href(p)` is page p's address from the page it is shown on; `label` names
/// the listing for assistive technology (each navigation of a page has its own).
pub fn nav(paging: Paging, current: u64, label: &str, href: impl Fn(u64) -> String) -> Markup {
    let pages = paging.pages();
    let mut shown: Vec<u64> = [1, pages]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=current.saturating_add(2).min(pages))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    html! {
        @if pages > 1 {
            nav class="pager" aria-label=(label) {
                ul {
                    li { strong { "Page " (current) " of " (pages) } }
                    @if current > 1 {
                        li { a href=(href(current - 1)) rel="prev" { "← previous" } }
                    }
                    @for (i, p) in shown.iter().enumerate() {
                        @if i > 0 && shown.get(i - 1).is_some_and(|before| before + 1 < *p) {
                            li aria-hidden="true" { "…" }
                        }
                        li {
                            @if *p == current {
                                a href=(href(*p)) aria-current="page" { (p) }
                            } @else {
                                a href=(href(*p)) { (p) }
                            }
                        }
                    }
                    @if current < pages {
                        li { a href=(href(current + 1)) rel="next" { "next →" } }
                    }
                }
            }
        }
    }
}

/// A count with thousands separated by commas, for the row ranges of long listings.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_cut_into_pages_of_at_most_rows_per_page() {
        assert_eq!(Paging::new(0).pages(), 1);
        assert_eq!(Paging::new(ROWS_PER_PAGE).pages(), 1);
        assert_eq!(Paging::new(ROWS_PER_PAGE + 1).pages(), 2);
        let p = Paging::new(2 * ROWS_PER_PAGE + 7);
        assert_eq!(p.pages(), 3);
        assert_eq!(p.rows_on(1), 0..ROWS_PER_PAGE);
        assert_eq!(p.rows_on(3), 2 * ROWS_PER_PAGE..2 * ROWS_PER_PAGE + 7);
        assert_eq!(Paging::page_of(ROWS_PER_PAGE - 1), 1);
        assert_eq!(Paging::page_of(ROWS_PER_PAGE), 2);
        // Every row is on exactly the page `page_of` names.
        let total: u64 = (1..=p.pages()).map(|n| p.rows_on(n).count() as u64).sum();
        assert_eq!(total, 2 * ROWS_PER_PAGE + 7);
        for n in 1..=p.pages() {
            assert!(p.rows_on(n).all(|i| Paging::page_of(i) == n));
        }
    }

    #[test]
    fn one_page_has_no_navigation() {
        let nav = nav(Paging::new(3), 1, "Pages", |p| format!("{p}.html"));
        assert_eq!(nav.into_string(), "");
    }

    #[test]
    fn navigation_links_neighbours_and_ends_and_marks_the_current_page() {
        let paging = Paging::new(20 * ROWS_PER_PAGE);
        let html = nav(paging, 10, "Pages of the claims", |p| {
            format!("claims-{p}.html")
        })
        .into_string();
        assert!(
            html.contains(r#"aria-label="Pages of the claims""#),
            "{html}"
        );
        assert!(html.contains("Page 10 of 20"), "{html}");
        assert!(
            html.contains(r#"<a href="claims-9.html" rel="prev">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="claims-11.html" rel="next">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="claims-10.html" aria-current="page">10</a>"#),
            "{html}"
        );
        for p in [1, 8, 9, 11, 12, 20] {
            assert!(
                html.contains(&format!(r#"href="claims-{p}.html">{p}</a>"#)),
                "{p}: {html}"
            );
        }
        assert!(!html.contains(r#"href="claims-7.html""#), "{html}");
        assert_eq!(html.matches('…').count(), 2, "{html}");
        let first = nav(paging, 1, "Pages", |p| format!("{p}.html")).into_string();
        assert!(
            !first.contains("previous") && first.contains("next"),
            "{first}"
        );
        let last = nav(paging, 20, "Pages", |p| format!("{p}.html")).into_string();
        assert!(
            last.contains("previous") && !last.contains("next"),
            "{last}"
        );
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(2_720_346), "2,720,346");
        assert_eq!(
            Paging::new(12_345).range_text(2, "Claims"),
            "Claims 5,001–10,000 of 12,345."
        );
    }
}
