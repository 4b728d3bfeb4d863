//! The About page, `site/about.html`: the neutrality statement, the licence, and the dataset
//! card (`README.md` of the release) rendered from its Markdown.

use maud::{PreEscaped, html};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::Site;
use super::layout::{Nav, page};
use crate::package::metadata::card::card;

/// The card's Markdown as HTML: front matter dropped, raw HTML shown as text (never passed
/// through), links relative to the release root made relative to `site/`.
pub fn card_html(markdown: &str) -> String {
    let body = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n").map(|(_, b)| b))
        .unwrap_or(markdown);
    let relative = |dest: CowStr<'static>| -> CowStr<'static> {
        if dest.contains(':') || dest.starts_with('#') || dest.starts_with('/') {
            dest
        } else {
            CowStr::from(format!("../{dest}"))
        }
    };
    let events = Parser::new_ext(body, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: relative(CowStr::from(dest_url.to_string())),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: relative(CowStr::from(dest_url.to_string())),
            title,
            id,
        }),
        // The page has its own h1: the card's headings go one level down.
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6)
}

pub fn page_html(site: &Site) -> String {
    let ds = site.facts.dataset;
    let body = html! {
        h1 { "About this dataset" }
        section class="notice" aria-labelledby="h-neutral" {
            h2 id="h-neutral" { "What the dataset says, and what it does not" }
            p {
                "The records reproduce " (ds.corpus.sources)
                @if let Some(by) = &ds.corpus.sources_published_by { ", " (by) }
                ". "
                "The dataset reproduces what each document says and who says it; it does not state contested facts in its own voice. "
                "Where sources disagree (on figures, dates, wording), each version stays in its own record or printing, attributed. "
                "Figures are as stated by each source; the dataset does not assess them."
            }
        }
        section aria-labelledby="h-licence" {
            h2 id="h-licence" { "Licence" }
            p {
                "Released under " strong { (ds.license) }
                @if let Some(url) = site.facts.license_url() { " (" a href=(url) rel="noreferrer" { (url) } ")" }
                "."
                @if let Some(note) = &ds.license_note { " " (note) }
            }
            p { "Files of this release: " a href="../README.md" { "README.md (the dataset card)" } ", "
                a href="../CITATION.cff" { "CITATION.cff" } ", " a href="../citation.bib" { "citation.bib" } ", "
                a href="../datapackage.json" { "datapackage.json" } ", " a href="../data/records.csv" { "data/records.csv" } "." }
            p { "Transcriptions: "
                @for (i, c) in site.corpus.compilations.values().enumerate() {
                    @if i > 0 { "; " }
                    a href=(format!("transcriptions/{}.html", c.meta.id)) { (site.compilation_title(&c.meta.id)) }
                }
                "." }
            p class="muted" { "This site is plain files: it makes no network requests, sets no cookies and has no tracking. It works opened from disk." }
        }
        section class="card" aria-labelledby="h-card" {
            h2 id="h-card" { "The dataset card" }
            (PreEscaped(card_html(&card(site.facts))))
        }
    };
    page(site, "", "About", Nav::About, body, &[])
}

#[cfg(test)]
mod tests {
    use super::card_html;

    #[test]
    fn raw_html_is_text_and_links_are_relative() {
        let html = card_html(
            "---\na: b\n---\n\n# T\n\n<script>x</script>\n\n[f](data/x.csv) [w](https://e.org)\n",
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"../data/x.csv\""));
        assert!(html.contains("href=\"https://e.org\""));
        assert!(!html.contains("a: b"));
        assert!(html.contains("<h2>T</h2>"));
    }
}
