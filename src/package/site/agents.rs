//! The pages of the agents: `site/agents/index.html` (every person, group and body) and
//! `site/agents/<id>.html` (the figures an agent states, the documents it issues, authors,
//! speaks or testifies in, and where it is printed).

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::Site;
use super::layout::{Nav, page};
use super::record::{claim_anchor, kind_label};
use crate::model::agent::Agent;
use crate::model::claim;

/// A link to an agent's page from a page `root` away from `site/`.
pub fn link(site: &Site, root: &str, id: &str) -> Markup {
    html! {
        @if site.corpus.agents.contains_key(id) {
            a href=(format!("{root}agents/{id}.html")) { (site.agent_name(id)) }
        } @else {
            (id)
        }
    }
}

/// What the records say of each agent, by record and claim index.
#[derive(Default)]
struct Involvement {
    /// (record, claim) of the figures the agent states.
    states: Vec<(usize, usize)>,
    /// (record, claim) of the figures the agent relays or reports.
    relays: Vec<(usize, usize)>,
    issues: Vec<usize>,
    /// Records that print the agent as author, witness, speaker or official.
    named: Vec<usize>,
}

fn involvement<'a>(site: &'a Site<'a>) -> BTreeMap<&'a str, Involvement> {
    let mut by: BTreeMap<&str, Involvement> = BTreeMap::new();
    for (i, r) in site.records.iter().enumerate() {
        by.entry(r.body.as_str()).or_default().issues.push(i);
        for id in site.named_in(r) {
            by.entry(id).or_default().named.push(i);
        }
        for (k, c) in r.claims.iter().enumerate() {
            let stater = site.stater(c);
            by.entry(stater).or_default().states.push((i, k));
            for relay in c.relayed_by.iter().map(String::as_str) {
                by.entry(relay).or_default().relays.push((i, k));
            }
            if stater != r.body {
                by.entry(r.body.as_str()).or_default().relays.push((i, k));
            }
        }
    }
    by
}

/// The list of every agent, by type.
pub fn index_page(site: &Site) -> String {
    let mut by_type: BTreeMap<&str, Vec<&Agent>> = BTreeMap::new();
    for a in site.corpus.agents.values() {
        by_type.entry(a.agent_type.as_str()).or_default().push(a);
    }
    let body = html! {
        h1 { "People, groups and bodies" }
        p class="lede" {
            "Everyone the records name as issuing, writing, speaking, testifying, reporting or stating a figure, with the names and descriptions the print gives. "
            "Witnesses and people named in testimonies who are not public figures are marked as private persons: the dataset holds nothing about them beyond the print."
        }
        @for (t, agents) in &by_type {
            h2 { (kind_label(t)) " (" (agents.len()) ")" }
            ul {
                @for a in agents {
                    li {
                        a href=(format!("{}.html", a.id)) { (a.name) }
                        @if let Some(role) = a.roles.first() { " · " (role.as_str().replace('_', " ")) }
                        @if a.private_person { " · private person" }
                    }
                }
            }
        }
    };
    page(
        site,
        "../",
        "People, groups and bodies",
        Nav::Agents,
        body,
        &[],
    )
}

/// Each agent's page, in id order.
pub fn pages<'a>(site: &'a Site<'a>) -> impl Iterator<Item = (&'a str, String)> + 'a {
    let by = involvement(site);
    site.corpus.agents.values().map(move |a| {
        let empty = Involvement::default();
        let inv = by.get(a.id.as_str()).unwrap_or(&empty);
        (a.id.as_str(), agent_page(site, a, inv))
    })
}

fn agent_page(site: &Site, a: &Agent, inv: &Involvement) -> String {
    let record_link = |i: usize| -> Markup {
        match site.records.get(i) {
            Some(r) => {
                html! { a href=(format!("../records/{}.html", r.id)) { (site.record_label(r)) } }
            }
            None => html! {},
        }
    };
    let claim_rows = |list: &[(usize, usize)]| -> Markup {
        html! {
            div class="scroll" role="region" aria-label="figures" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { "figure as printed" } th scope="col" { "bounds" } th scope="col" { "counts" }
                        th scope="col" { "stated by" } th scope="col" { "date" } th scope="col" { "quote" } th scope="col" { "record" }
                    } }
                    tbody {
                        @for (i, k) in list {
                            @if let Some(r) = site.records.get(*i) {
                                @if let Some(c) = r.claims.get(*k) {
                                    @let (low, high, _) = claim::bounds(c);
                                    tr {
                                        td { (c.value) }
                                        td { (low.map(|v| v.to_string()).unwrap_or_default()) "–" (high.map(|v| v.to_string()).unwrap_or_default()) }
                                        td { (c.quantity.as_str().replace('_', " ")) " (" (c.population_as_printed.as_deref().unwrap_or(c.population.as_str())) ")" }
                                        td { (link(site, "../", site.stater(c))) }
                                        td { (c.statement_date.as_deref().or(r.date.as_deref()).unwrap_or("undated")) }
                                        td { a href=(format!("../records/{}.html#{}", r.id, claim_anchor(&c.id))) { "“" (c.quote) "”" } }
                                        td { (record_link(*i)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        article {
            header {
                p class="kicker" { (kind_label(a.agent_type.as_str())) @if let Some(f) = a.form { " · " (f.as_str().replace('_', " ")) } }
                h1 { (a.name) }
                @if a.private_person {
                    p class="notice" { "A private person: named in the print, and nothing more is held about them here." }
                }
            }
            dl class="meta" {
                @if !a.roles.is_empty() {
                    dt { "Roles" }
                    dd { (a.roles.iter().map(|r| r.as_str().replace('_', " ")).collect::<Vec<_>>().join(", ")) }
                }
                @if !a.variants.is_empty() {
                    dt { "Printed as" }
                    dd { ul class="plain" { @for v in &a.variants { li { "“" (v.printed) "” in " a href=(format!("../records/{}.html", v.record)) { (site.title_of(&v.record)) } } } } }
                }
                @if !a.affiliations.is_empty() {
                    dt { "Described as" }
                    dd { ul class="plain" { @for v in &a.affiliations { li { "“" (v.printed) "” in " a href=(format!("../records/{}.html", v.record)) { (site.title_of(&v.record)) } } } } }
                }
                @if let Some(p) = &a.parent { dt { "Part of" } dd { (link(site, "../", p)) } }
                @if let Some(c) = &a.country { dt { "Country" } dd { (c) } }
                @if let Some(n) = &a.note { dt { "Curators' note" } dd { (n) } }
                @if let Some(n) = &a.outside_note { dt { "From outside the compilations" } dd { (n) } }
                dt { "Identifier" } dd { code { (a.id) } }
            }
            @if !inv.states.is_empty() {
                section aria-labelledby="h-states" {
                    h2 id="h-states" { "Figures stated (" (inv.states.len()) ")" }
                    p class="muted" { "Figures as the texts present this agent stating them; the dataset does not assess them." }
                    (claim_rows(&inv.states))
                }
            }
            @if !inv.relays.is_empty() {
                section aria-labelledby="h-relays" {
                    h2 id="h-relays" { "Figures of others it reports or relays (" (inv.relays.len()) ")" }
                    (claim_rows(&inv.relays))
                }
            }
            @if !inv.named.is_empty() {
                section aria-labelledby="h-named" {
                    h2 id="h-named" { "Documents it writes, speaks or testifies in (" (inv.named.len()) ")" }
                    ul { @for i in &inv.named { li { (record_link(*i)) } } }
                }
            }
            @if !inv.issues.is_empty() {
                section aria-labelledby="h-issues" {
                    h2 id="h-issues" { "Documents it issues or publishes (" (inv.issues.len()) ")" }
                    ul { @for i in &inv.issues { li { (record_link(*i)) } } }
                }
            }
        }
    };
    page(site, "../", &a.name, Nav::None, body, &[])
}
