//! The claims page, `site/claims.html`: the chart of stated death tolls and a table of every
//! figure statement, filterable in the browser (and complete without JavaScript).

use std::collections::BTreeSet;

use maud::html;

use super::Site;
use super::layout::{Nav, page};
use super::record::claim_anchor;
use crate::model::claim;
use crate::package::chart;

pub fn page_html(site: &Site) -> String {
    let rows: Vec<_> = site
        .records
        .iter()
        .flat_map(|r| r.claims.iter().map(move |c| (r, c)))
        .collect();
    let quantities: BTreeSet<&str> = rows.iter().map(|(_, c)| c.quantity.as_str()).collect();
    let scopes: BTreeSet<&str> = rows.iter().map(|(_, c)| c.scope.as_str()).collect();
    let drawn = site.facts.counts.claims.drawn.claims();
    let corpus = &site.facts.dataset.corpus;
    let body = html! {
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
        form id="claim-filter" class="filters" hidden {
            label { "Counts " select id="f-quantity" { option value="" { "any" } @for q in &quantities { option value=(q) { (q.replace('_', " ")) } } } }
            " "
            label { "Scope " select id="f-scope" { option value="" { "any" } @for s in &scopes { option value=(s) { (s.replace('_', " ")) } } } }
            " "
            label { "Words in quote, source or record " input type="search" id="f-text"; }
        }
        p id="claim-count" role="status" aria-live="polite" { (rows.len()) " claims." }
        div class="scroll" role="region" aria-label="all claims" tabindex="0" {
            table id="claims" {
                thead { tr {
                    th scope="col" { "record" } th scope="col" { "figure as printed" } th scope="col" { "bounds" }
                    th scope="col" { "counts" } th scope="col" { "scope" } th scope="col" { "stated by" } th scope="col" { "mode" }
                    th scope="col" { "date" } th scope="col" { "quote" }
                } }
                tbody {
                    @for (r, c) in &rows {
                        @let (low, high, _) = claim::bounds(c);
                        tr data-quantity=(c.quantity.as_str()) data-scope=(c.scope.as_str()) {
                            td { a href=(format!("records/{}.html", r.id)) { (site.record_label(r)) } }
                            td { (c.value) }
                            td { (low.map(|v| v.to_string()).unwrap_or_default()) "–" (high.map(|v| v.to_string()).unwrap_or_default()) }
                            td { (c.quantity.as_str().replace('_', " ")) " (" (c.population_as_printed.as_deref().unwrap_or(c.population.as_str())) ")" }
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
                    }
                }
            }
        }
    };
    page(site, "", "Claims", Nav::Claims, body, &["claims.js"])
}
