//! The claims page, `site/claims.html`: the chart of stated death tolls and a table of every
//! figure statement, filterable in the browser (and complete without JavaScript).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use maud::{Markup, PreEscaped, html};

use super::Site;
use super::layout::{MARK, Nav, page_around, split};
use super::pager::{self, Paging};
use super::record::claim_anchor;
use crate::package::chart;
use crate::package::spill::Spill;
use crate::package::tag_files::TagFiles;

/// The claims page, made as the records pass: its rows are spilled in record order and the
/// page is written at the end, when their count and filters are known.
pub struct Table {
    rows: Spill<u64>,
    count: u64,
    filters: Filters,
}

/// The values the claims table's filters offer: those its rows hold.
#[derive(Default)]
struct Filters {
    quantities: BTreeSet<&'static str>,
    scopes: BTreeSet<&'static str>,
}

impl Table {
    pub fn new(scratch: &Path, limit: usize) -> Table {
        Table {
            rows: Spill::new(scratch, limit),
            count: 0,
            filters: Filters::default(),
        }
    }

    /// Adds the rows of `r`'s claims.
    pub fn push(&mut self, site: &Site, r: &crate::model::Record) -> Result<()> {
        for c in &r.claims {
            self.filters.quantities.insert(c.quantity.as_str());
            self.filters.scopes.insert(c.scope.as_str());
            let row = html! {
                tr data-quantity=(c.quantity.as_str()) data-scope=(c.scope.as_str()) {
                    td { a href=(format!("records/{}.html", r.id)) { (site.record_label(r)) } }
                    (super::record::figure_cells(c))
                    td { (c.scope.as_str().replace('_', " ")) }
                    td {
                        @let stater = site.stater(c);
                        (super::agents::link(site, "", stater))
                        @if stater != r.body { " · via " (super::agents::link(site, "", &r.body)) }
                    }
                    td { (c.speech_mode.as_str().replace('_', " ")) }
                    td { (c.statement_date.as_deref().or(r.date.as_deref()).unwrap_or("undated")) }
                    td { a href=(format!("records/{}.html#{}", r.id, claim_anchor(&c.id))) { "“" (c.quote) "”" } }
                }
            };
            self.rows.push(self.count, row.into_string())?;
            self.count += 1;
        }
        Ok(())
    }

    /// Writes `claims.html` and, past `ROWS_PER_PAGE` claims, its continuation pages
    /// `claims-2.html`, `claims-3.html`, ...: the chart and the explanation are on the first.
    pub fn write(self, site: &Site, tags: &mut TagFiles) -> Result<()> {
        let Table {
            rows,
            count,
            filters,
        } = self;
        let paging = Paging::new(count);
        let mut rows = rows.sorted()?;
        for p in 1..=paging.pages() {
            let (before, after) = split(body(site, &filters, paging, p));
            tags.write_streamed(&format!("{}/{}", super::DIR, page_file(p)), |out| {
                let (head, tail) = page_around(site, "", &title(p), Nav::Claims, &["claims.js"]);
                out.write_all(head.as_bytes())?;
                out.write_all(before.as_bytes())?;
                for _ in paging.rows_on(p) {
                    if let Some((_, row)) = rows.pop()? {
                        out.write_all(row.as_bytes())?;
                    }
                }
                out.write_all(after.as_bytes())?;
                out.write_all(tail.as_bytes())?;
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// The body of page `p` of the claims table, with a `MARK` where its rows go.
fn body(site: &Site, filters: &Filters, paging: Paging, p: u64) -> Markup {
    let drawn = site.facts.counts.claims.drawn.claims();
    let corpus = &site.facts.dataset.corpus;
    let pager = pager::nav(paging, p, "Pages of the claims table", page_file);
    html! {
        @if p == 1 {
            h1 { "Claims: who states which figure" }
            p {
                "Every figure a record's text states is a claim: its quote, the figure as printed, the bounds its words allow, what it counts and who the text says states it. "
                strong { "Figures are as stated by each source; the dataset does not assess them." }
                " The same statements are in " a href="../data/claims.csv" { "data/claims.csv" } " and " code { "data/claims.parquet" } "."
            }
            figure {
                img src=(format!("../data/{}", corpus.chart_file())) width="900" alt=(format!("Chart of {drawn} stated death tolls for {}, one mark per claim, by statement date (horizontal) and stated figure (vertical, logarithmic), coloured by kind of stater (who the text presents as stating the figure). Only totals are drawn. The table below lists every claim.", corpus.subject));
                figcaption { (chart::caption(corpus)) }
            }
            h2 id="table" { "All claims" }
        } @else {
            h1 id="table" { "All claims, page " (p) " of " (paging.pages()) }
            p {
                "Every figure a record's text states, as on " a href="claims.html" { "the first page" } ", which explains the columns and charts the totals. "
                strong { "Figures are as stated by each source; the dataset does not assess them." }
            }
        }
        @if paging.pages() > 1 {
            p { (paging.range_text(p, "Claims")) " The filters below apply to this page; every claim is also in " a href="../data/claims.csv" { "data/claims.csv" } "." }
            (pager)
        }
        form id="claim-filter" class="filters" hidden {
            label { "Counts " select id="f-quantity" { option value="" { "any" } @for q in &filters.quantities { option value=(q) { (q.replace('_', " ")) } } } }
            " "
            label { "Scope " select id="f-scope" { option value="" { "any" } @for s in &filters.scopes { option value=(s) { (s.replace('_', " ")) } } } }
            " "
            label { "Words in quote, source or record " input type="search" id="f-text"; }
        }
        p id="claim-count" role="status" aria-live="polite" {
            @if paging.pages() > 1 { (paging.rows_on(p).count()) " claims on this page." } @else { (paging.rows()) " claims." }
        }
        div class="scroll" role="region" aria-label="all claims" tabindex="0" {
            table id="claims" {
                thead { tr {
                    th scope="col" { "record" } th scope="col" { "figure as printed" } th scope="col" { "bounds" }
                    th scope="col" { "counts" } th scope="col" { "scope" } th scope="col" { "stated by" } th scope="col" { "mode" }
                    th scope="col" { "date" } th scope="col" { "quote" }
                } }
                tbody {
                    (PreEscaped(MARK))
                }
            }
        }
        (pager::next_link(paging, p, "Next page of claims", page_file))
    }
}

/// The file of page `p` of the claims table, in `site/`.
fn page_file(p: u64) -> String {
    pager::file("claims.html", "claims", p)
}

/// The title of page `p` of the claims table.
fn title(p: u64) -> String {
    if p == 1 {
        "Claims".to_string()
    } else {
        format!("Claims, page {p}")
    }
}
