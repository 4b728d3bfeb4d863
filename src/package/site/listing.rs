//! The search page (`index.html`) and the plain list of every record (`records/index.html`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use maud::{PreEscaped, html};

use super::Site;
use super::layout::{MARK, Nav, page, page_around, split};
use super::pager::{self, Paging};
use super::record::kind_label;
use super::search::FACETS;
use crate::model::Record;
use crate::package::spill::Spill;
use crate::package::tag_files::TagFiles;

/// The search page: a search box, facets and results (filled by `assets/search.js`); without
/// JavaScript it points to the list of all records.
pub fn index_page(
    site: &Site,
    records: usize,
    facet_counts: &BTreeMap<&str, BTreeMap<String, usize>>,
) -> String {
    let ds = site.facts.dataset;
    let body = html! {
        h1 { (ds.title) }
        p class="lede" {
            (records) " records of " (ds.corpus.sources) ". Each record reproduces what a document says and who says it. "
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
                p id="count" role="status" aria-live="polite" { (records) " records." }
                ol id="results" class="results" {}
                p { button type="button" id="more" hidden { "Show more results" } }
            }
        }
    };
    page(site, "", "Search", Nav::Search, body, &["search.js"])
}

/// Every record by kind, with links: the site without JavaScript. Its entries are spilled
/// by kind as the records pass, and the page is written from them at the end.
pub struct AllRecords {
    entries: Spill<(String, u64)>,
    /// Kind label -> records.
    counts: BTreeMap<String, usize>,
    seq: u64,
}

impl AllRecords {
    pub fn new(scratch: &Path, limit: usize) -> AllRecords {
        AllRecords {
            entries: Spill::new(scratch, limit),
            counts: BTreeMap::new(),
            seq: 0,
        }
    }

    pub fn push(&mut self, site: &Site, r: &Record) -> Result<()> {
        let kind = kind_label(r.kind.as_str());
        let entry = html! {
            li {
                a href=(format!("{}.html", r.id)) { (site.record_label(r)) }
                span class="muted" { " · " (r.date.as_deref().unwrap_or("undated")) " · " (site.agent_name(&r.body)) }
            }
        };
        *self.counts.entry(kind.clone()).or_default() += 1;
        self.entries.push((kind, self.seq), entry.into_string())?;
        self.seq += 1;
        Ok(())
    }

    /// Writes `records/index.html` and, past `ROWS_PER_PAGE` records, its continuation pages
    /// `records/index-2.html`, ...: each page lists its share of the records, by kind.
    pub fn write(self, site: &Site, tags: &mut TagFiles) -> Result<()> {
        let anchor = |k: &str| k.to_lowercase().replace(' ', "-");
        let total: usize = self.counts.values().sum();
        let paging = Paging::new(total as u64);
        // Each kind's first and last entry, counted from 0 across the listing.
        let mut spans = Vec::with_capacity(self.counts.len());
        let mut start = 0u64;
        for (k, n) in &self.counts {
            spans.push((k.as_str(), start..start + *n as u64));
            start += *n as u64;
        }
        let mut entries = self.entries.sorted()?;
        for p in 1..=paging.pages() {
            let on_page = paging.rows_on(p);
            tags.write_streamed(&format!("{}/records/{}", super::DIR, page_file(p)), |out| {
                let title = if p == 1 { "All records".to_string() } else { format!("All records, page {p}") };
                let (head, tail) = page_around(site, "../", &title, Nav::Records, &[]);
                out.write_all(head.as_bytes())?;
                let intro = html! {
                    h1 { "All records" @if p > 1 { ", page " (p) " of " (paging.pages()) } }
                    p { (total) " records, by kind, in id order (ids start with the date)." }
                    nav aria-label="Kinds" {
                        ul class="inline" {
                            @for (k, span) in &spans {
                                @let first = Paging::page_of(span.start);
                                @let href = if first == p { format!("#{}", anchor(k)) } else { format!("{}#{}", page_file(first), anchor(k)) };
                                li { a href=(href) { (k) " (" (span.end - span.start) ")" } }
                            }
                        }
                    }
                    @if paging.pages() > 1 {
                        p { (paging.range_text(p, "Records")) }
                        (pager::nav(paging, p, "Pages of all records", page_file))
                    }
                };
                out.write_all(intro.into_string().as_bytes())?;
                for (k, span) in &spans {
                    let shown = span.start.max(on_page.start)..span.end.min(on_page.end);
                    if shown.is_empty() {
                        continue;
                    }
                    let (before, after) = split(html! {
                        section aria-labelledby=(anchor(k)) {
                            h2 id=(anchor(k)) { (k) @if shown.start > span.start { " (continued)" } }
                            ul class="records" { (PreEscaped(MARK)) }
                        }
                    });
                    out.write_all(before.as_bytes())?;
                    for _ in shown {
                        if let Some((_, entry)) = entries.pop()? {
                            out.write_all(entry.as_bytes())?;
                        }
                    }
                    out.write_all(after.as_bytes())?;
                }
                let next = pager::next_link(paging, p, "Next page of records", page_file);
                out.write_all(next.into_string().as_bytes())?;
                out.write_all(tail.as_bytes())?;
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// The file of page `p` of the list of all records, in `site/records/`.
fn page_file(p: u64) -> String {
    pager::file("index.html", "index", p)
}
