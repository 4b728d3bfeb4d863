//! The page shell every page shares: head, skip link, navigation, footer.

use maud::{DOCTYPE, Markup, html};

use super::Site;

/// Which navigation entry is the current page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Search,
    Records,
    Claims,
    Agents,
    About,
    None,
}

/// A whole HTML page. `root` is the relative path from the page to `site/` ("" or "../").
pub fn page(
    site: &Site,
    root: &str,
    title: &str,
    current: Nav,
    body: Markup,
    scripts: &[&str],
) -> String {
    let (head, tail) = page_around(site, root, title, current, scripts);
    let mut page = head;
    page.push_str(&body.into_string());
    page.push_str(&tail);
    page
}

/// What comes before and after the body of a page: for pages whose body is written a part
/// at a time (`TagFiles::write_streamed`).
pub fn page_around(
    site: &Site,
    root: &str,
    title: &str,
    current: Nav,
    scripts: &[&str],
) -> (String, String) {
    // The shell is made once with a marker for its body and cut there: the same markup as a
    // whole page, without a second template that could drift from it.
    let body = maud::PreEscaped(MARK.to_string());
    let ds = site.facts.dataset;
    let item = |nav: Nav, href: &str, label: &str| {
        html! {
            li {
                @if nav == current {
                    a href=(format!("{root}{href}")) aria-current="page" { (label) }
                } @else {
                    a href=(format!("{root}{href}")) { (label) }
                }
            }
        }
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · " (ds.title) " " (ds.version) }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(format!("{root}assets/site.css"));
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    p class="brand" {
                        a href=(format!("{root}index.html")) { (ds.title) }
                        " " span class="version" { "version " (ds.version) }
                    }
                    nav aria-label="Site" {
                        ul {
                            (item(Nav::Search, "index.html", "Search"))
                            (item(Nav::Records, "records/index.html", "All records"))
                            (item(Nav::Claims, "claims.html", "Claims"))
                            (item(Nav::Agents, "agents/index.html", "People and bodies"))
                            (item(Nav::About, "about.html", "About"))
                        }
                    }
                }
                main id="main" tabindex="-1" { (body) }
                footer class="site" {
                    p {
                        "The records reproduce " (ds.corpus.sources) ", attributed to who says what. Figures are as stated by each source; the dataset does not assess them. "
                        a href=(format!("{root}about.html")) { "About this dataset" }
                        " · licence " (ds.license) " · released " (site.facts.date) "."
                    }
                }
                @for s in scripts {
                    script src=(format!("{root}assets/{s}")) {}
                }
            }
        }
    };
    split(markup)
}

/// A marker for where streamed content goes in a piece of markup (no text holds it: control
/// characters are refused in the data).
pub const MARK: &str = "\u{0}rows\u{0}";

/// `markup` cut at its first `MARK`: what goes before and after the streamed content.
pub fn split(markup: Markup) -> (String, String) {
    let text = markup.into_string();
    match text.split_once(MARK) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (text, String::new()),
    }
}

/// A definition list row, shown only when there is a value.
pub fn row(label: &str, value: Option<Markup>) -> Markup {
    html! {
        @if let Some(v) = value {
            dt { (label) }
            dd { (v) }
        }
    }
}
