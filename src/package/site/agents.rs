//! The pages of the agents: `site/agents/index.html` (every person, group and body) and
//! `site/agents/<id>.html` (the figures an agent states, the documents it issues, authors,
//! speaks or testifies in, and where it is printed).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use maud::{Markup, PreEscaped, html};

use super::Site;
use super::labels::Labels;
use super::layout::{MARK, Nav, page};
use super::pager::{self, Paging};
use super::record::{claim_anchor, kind_label};
use crate::model::Record;
use crate::model::agent::Agent;
use crate::model::claim;
use crate::package::spill::Spill;
use crate::package::tag_files::TagFiles;

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

/// The sections of an agent's page, in page order: the figures it states, the figures of
/// others it relays or reports, the documents it writes, speaks or testifies in, and the
/// documents it issues.
const SECTIONS: usize = 4;
const SECTION_IDS: [u8; SECTIONS] = [STATES, RELAYS, NAMED, ISSUES];
const STATES: u8 = 0;
const RELAYS: u8 = 1;
const NAMED: u8 = 2;
const ISSUES: u8 = 3;

/// Each section's heading and the name its continuation pages carry
/// (`agents/<id>.<name>-2.html`: agent ids hold no dot, so no agent's page has such a name).
const SECTION_TEXT: [(&str, &str); SECTIONS] = [
    ("Figures stated", "states"),
    ("Figures of others it reports or relays", "relays"),
    ("Documents it writes, speaks or testifies in", "documents"),
    ("Documents it issues or publishes", "issues"),
];

/// The heading of an agent's `section`.
fn heading(section: u8) -> &'static str {
    SECTION_TEXT.get(usize::from(section)).map_or("", |t| t.0)
}

/// The file, in `site/agents/`, of page `p` of an agent's `section`: the agent's page itself
/// for the first.
fn section_file(agent: &str, section: u8, p: u64) -> String {
    let name = SECTION_TEXT.get(usize::from(section)).map_or("", |t| t.1);
    pager::file(&format!("{agent}.html"), &format!("{agent}.{name}"), p)
}

/// What the records say of each agent: the rows of its page's sections, spilled by (agent,
/// page, section) as the records pass, and how many each section has. A row's page is known
/// when it is added (its section's count so far), so the rows come back in the order the
/// files are written: the agent's page, then the continuation pages of its long sections.
pub struct Involvement {
    rows: Spill<(String, u64, u8, u64)>,
    counts: BTreeMap<String, [usize; SECTIONS]>,
    seq: u64,
}

impl Involvement {
    pub fn new(scratch: &Path, limit: usize) -> Involvement {
        Involvement {
            rows: Spill::new(scratch, limit),
            counts: BTreeMap::new(),
            seq: 0,
        }
    }

    fn add(&mut self, agent: &str, section: u8, row: String) -> Result<()> {
        // Looked up before inserting: a row per figure, and only a new agent needs its id copied.
        let counts = match self.counts.get_mut(agent) {
            Some(counts) => counts,
            None => self.counts.entry(agent.to_string()).or_default(),
        };
        let mut page = 1;
        if let Some(n) = counts.get_mut(usize::from(section)) {
            page = Paging::page_of(*n as u64);
            *n += 1;
        }
        self.rows
            .push((agent.to_string(), page, section, self.seq), row)?;
        self.seq += 1;
        Ok(())
    }

    /// Adds what `r` says of its agents.
    pub fn push(&mut self, site: &Site, r: &Record) -> Result<()> {
        let record_link = html! {
            li { a href=(format!("../records/{}.html", r.id)) { (site.record_label(r)) } }
        }
        .into_string();
        self.add(&r.body, ISSUES, record_link.clone())?;
        for id in site.named_in(r) {
            self.add(id, NAMED, record_link.clone())?;
        }
        for c in &r.claims {
            let row = claim_row(site, r, c).into_string();
            let stater = site.stater(c);
            self.add(stater, STATES, row.clone())?;
            for relay in &c.relayed_by {
                self.add(relay, RELAYS, row.clone())?;
            }
            if stater != r.body {
                self.add(&r.body, RELAYS, row)?;
            }
        }
        Ok(())
    }

    /// Writes each agent's page, in id order, and the continuation pages of its sections longer
    /// than `ROWS_PER_PAGE`; `labels` names the records its names are printed in.
    pub fn write(self, site: &Site, labels: &mut Labels, tags: &mut TagFiles) -> Result<()> {
        let mut rows = self.rows.sorted()?;
        for a in site.corpus.agents.values() {
            // Rows of agents without a page (ids no agent has) are passed over.
            while rows
                .peek()
                .is_some_and(|(agent, _, _, _)| agent.as_str() < a.id.as_str())
            {
                rows.pop()?;
            }
            let counts = self.counts.get(&a.id).copied().unwrap_or_default();
            let paging = |section: u8| {
                Paging::new(counts.get(usize::from(section)).map_or(0, |n| *n as u64))
            };
            let mut titles = BTreeMap::new();
            for v in a.variants.iter().chain(&a.affiliations) {
                if let Some(label) = labels.get(&v.record)? {
                    titles.insert(v.record.clone(), label);
                }
            }
            let page = agent_page(site, a, &counts, &titles);
            let mut rows_of = |out: &mut dyn std::io::Write, p: u64, section: u8| -> Result<()> {
                while rows
                    .peek()
                    .is_some_and(|(agent, at, s, _)| *agent == a.id && *at == p && *s == section)
                {
                    if let Some((_, row)) = rows.pop()? {
                        out.write_all(row.as_bytes())?;
                    }
                }
                Ok(())
            };
            tags.write_streamed(&format!("{}/agents/{}.html", super::DIR, a.id), |out| {
                // The page has a mark where each of its sections' rows go, in section order.
                let mut rest = page.as_str();
                for section in SECTION_IDS {
                    if paging(section).rows() == 0 {
                        continue;
                    }
                    let (before, after) = rest.split_once(MARK).unwrap_or((rest, ""));
                    out.write_all(before.as_bytes())?;
                    rows_of(out, 1, section)?;
                    rest = after;
                }
                out.write_all(rest.as_bytes())?;
                Ok(())
            })?;
            let pages = SECTION_IDS.map(|s| paging(s).pages());
            for p in 2..=pages.iter().copied().max().unwrap_or(1) {
                for section in SECTION_IDS {
                    if paging(section).pages() < p {
                        continue;
                    }
                    let page = continuation_page(site, a, section, paging(section), p);
                    let (head, tail) = page.split_once(MARK).unwrap_or((&page, ""));
                    let file = section_file(&a.id, section, p);
                    tags.write_streamed(&format!("{}/agents/{file}", super::DIR), |out| {
                        out.write_all(head.as_bytes())?;
                        rows_of(out, p, section)?;
                        out.write_all(tail.as_bytes())?;
                        Ok(())
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// A figure's row in an agent's tables.
fn claim_row(site: &Site, r: &Record, c: &claim::Claim) -> Markup {
    html! {
        tr {
            (super::record::figure_cells(c))
            td { (link(site, "../", site.stater(c))) }
            td { (c.statement_date.as_deref().or(r.date.as_deref()).unwrap_or("undated")) }
            td { a href=(format!("../records/{}.html#{}", r.id, claim_anchor(&c.id))) { "“" (c.quote) "”" } }
            td { a href=(format!("../records/{}.html", r.id)) { (site.record_label(r)) } }
        }
    }
}

/// The table of an agent's figures, with a `MARK` where its rows go.
fn claim_table() -> Markup {
    html! {
        div class="scroll" role="region" aria-label="figures" tabindex="0" {
            table {
                thead { tr {
                    th scope="col" { "figure as printed" } th scope="col" { "bounds" } th scope="col" { "counts" }
                    th scope="col" { "stated by" } th scope="col" { "date" } th scope="col" { "quote" } th scope="col" { "record" }
                } }
                tbody { (PreEscaped(MARK)) }
            }
        }
    }
}

/// The navigation between the pages of an agent's `section` (nothing when it fits on one).
fn section_pager(a: &Agent, section: u8, paging: Paging, p: u64) -> Markup {
    html! {
        @if paging.pages() > 1 {
            p { (paging.range_text(p, "Rows")) }
            (pager::nav(paging, p, &format!("Pages of {}", heading(section).to_lowercase()), |n| section_file(&a.id, section, n)))
        }
    }
}

/// Page `p` (from 2) of an agent's `section`, with a `MARK` where its rows go.
fn continuation_page(site: &Site, a: &Agent, section: u8, paging: Paging, p: u64) -> String {
    let heading = heading(section);
    let body = html! {
        article {
            header {
                p class="kicker" { (kind_label(a.agent_type.as_str())) }
                h1 { (a.name) ": " (heading.to_lowercase()) ", page " (p) " of " (paging.pages()) }
                p { "Continued from " a href=(format!("{}.html", a.id)) { "the page of " (a.name) } "." }
            }
            section aria-labelledby="h-section" {
                h2 id="h-section" { (heading) " (" (paging.rows()) ")" }
                @if section == STATES {
                    p class="muted" { "Figures as the texts present this agent stating them; the dataset does not assess them." }
                }
                (section_pager(a, section, paging, p))
                @if section == STATES || section == RELAYS {
                    (claim_table())
                } @else {
                    ul { (PreEscaped(MARK)) }
                }
                (pager::next_link(paging, p, "Next page", |n| section_file(&a.id, section, n)))
            }
        }
    };
    page(
        site,
        "../",
        &format!("{}, page {p}", a.name),
        Nav::None,
        body,
        &[],
    )
}

/// An agent's page with a `MARK` where the rows of each of its sections go.
fn agent_page(
    site: &Site,
    a: &Agent,
    counts: &[usize; SECTIONS],
    titles: &BTreeMap<String, String>,
) -> String {
    let title_of = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let count = |section: u8| counts.get(usize::from(section)).copied().unwrap_or(0);
    let claim_rows = claim_table();
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
                    dd { ul class="plain" { @for v in &a.variants { li { "“" (v.printed) "” in " a href=(format!("../records/{}.html", v.record)) { (title_of(&v.record)) } } } } }
                }
                @if !a.affiliations.is_empty() {
                    dt { "Described as" }
                    dd { ul class="plain" { @for v in &a.affiliations { li { "“" (v.printed) "” in " a href=(format!("../records/{}.html", v.record)) { (title_of(&v.record)) } } } } }
                }
                @if let Some(p) = &a.parent { dt { "Part of" } dd { (link(site, "../", p)) } }
                @if let Some(c) = &a.country { dt { "Country" } dd { (c) } }
                @if let Some(n) = &a.note { dt { "Curators' note" } dd { (n) } }
                @if let Some(n) = &a.outside_note { dt { "From outside the compilations" } dd { (n) } }
                dt { "Identifier" } dd { code { (a.id) } }
            }
            @if count(STATES) > 0 {
                section aria-labelledby="h-states" {
                    h2 id="h-states" { (heading(STATES)) " (" (count(STATES)) ")" }
                    p class="muted" { "Figures as the texts present this agent stating them; the dataset does not assess them." }
                    (section_pager(a, STATES, Paging::new(count(STATES) as u64), 1))
                    (claim_rows)
                }
            }
            @if count(RELAYS) > 0 {
                section aria-labelledby="h-relays" {
                    h2 id="h-relays" { (heading(RELAYS)) " (" (count(RELAYS)) ")" }
                    (section_pager(a, RELAYS, Paging::new(count(RELAYS) as u64), 1))
                    (claim_rows)
                }
            }
            @if count(NAMED) > 0 {
                section aria-labelledby="h-named" {
                    h2 id="h-named" { (heading(NAMED)) " (" (count(NAMED)) ")" }
                    (section_pager(a, NAMED, Paging::new(count(NAMED) as u64), 1))
                    ul { (PreEscaped(MARK)) }
                }
            }
            @if count(ISSUES) > 0 {
                section aria-labelledby="h-issues" {
                    h2 id="h-issues" { (heading(ISSUES)) " (" (count(ISSUES)) ")" }
                    (section_pager(a, ISSUES, Paging::new(count(ISSUES) as u64), 1))
                    ul { (PreEscaped(MARK)) }
                }
            }
        }
    };
    page(site, "../", &a.name, Nav::None, body, &[])
}
