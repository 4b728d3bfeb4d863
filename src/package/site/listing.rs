//! The search page (`index.html`) and the plain list of every record (`records/index.html`).

use std::collections::BTreeMap;

use maud::html;

use super::Site;
use super::layout::{Nav, page};
use super::record::kind_label;
use super::search::FACETS;

/// The search page: a search box, facets and results (filled by `assets/search.js`); without
/// JavaScript it points to the list of all records.
pub fn index_page(site: &Site) -> String {
    let ds = site.facts.dataset;
    let docs = super::search::docs(site);
    let mut facet_counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for d in &docs {
        for (k, values) in &d.facets {
            for v in values {
                *facet_counts
                    .entry(k)
                    .or_default()
                    .entry(v.clone())
                    .or_default() += 1;
            }
        }
    }
    let body = html! {
        h1 { (ds.title) }
        p class="lede" {
            (site.records.len()) " records of " (ds.corpus.sources) ". Each record reproduces what a document says and who says it. "
            a href="about.html" { "About the dataset" } "."
        }
        form id="search" role="search" action="index.html" method="get" {
            label for="q" { "Search titles, texts, authors, issuing bodies and witnesses" }
            div class="searchrow" {
                input type="search" id="q" name="q" autocomplete="off" spellcheck="false" placeholder="e.g. Thomas Goltz";
                button type="submit" { "Search" }
            }
        }
        noscript {
            p class="notice" { "Search needs JavaScript. Every record is listed on "
                a href="records/index.html" { "All records" } "." }
        }
        div class="searchlayout" {
            aside aria-labelledby="h-facets" class="facets" {
                h2 id="h-facets" { "Filter" }
                @for (key, label) in FACETS {
                    fieldset data-facet=(key) {
                        legend { (label) }
                        @if let Some(values) = facet_counts.get(key) {
                            ul class="plain" {
                                @for (v, n) in values {
                                    li {
                                        label {
                                            input type="checkbox" name=(key) value=(v) disabled;
                                            " " span class="v" { (v) } " " span class="n" { "(" (n) ")" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="h-results" class="results" {
                h2 id="h-results" { "Records" }
                p id="count" role="status" aria-live="polite" { (site.records.len()) " records." }
                ol id="results" class="results" {}
                p { button type="button" id="more" hidden { "Show more results" } }
            }
        }
    };
    page(site, "", "Search", Nav::Search, body, &["search.js"])
}

/// Every record by kind, with links: the site without JavaScript.
pub fn all_records_page(site: &Site) -> String {
    let mut by_kind: BTreeMap<String, Vec<&crate::model::Record>> = BTreeMap::new();
    for r in &site.records {
        by_kind
            .entry(kind_label(r.kind.as_str()))
            .or_default()
            .push(r);
    }
    let body = html! {
        h1 { "All records" }
        p { (site.records.len()) " records, by kind, in id order (ids start with the date)." }
        nav aria-label="Kinds" {
            ul class="inline" {
                @for (k, rs) in &by_kind {
                    li { a href=(format!("#{}", k.to_lowercase().replace(' ', "-"))) { (k) " (" (rs.len()) ")" } }
                }
            }
        }
        @for (k, rs) in &by_kind {
            section aria-labelledby=(k.to_lowercase().replace(' ', "-")) {
                h2 id=(k.to_lowercase().replace(' ', "-")) { (k) }
                ul class="records" {
                    @for r in rs {
                        li {
                            a href=(format!("{}.html", r.id)) { (site.record_label(r)) }
                            span class="muted" { " · " (r.date.as_deref().unwrap_or("undated")) " · " (site.agent_name(&r.body)) }
                        }
                    }
                }
            }
        }
    };
    page(site, "../", "All records", Nav::Records, body, &[])
}
