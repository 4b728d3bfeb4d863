//! The page of one record, `site/records/<id>.html`: metadata, text, printings with their
//! proofs, differences between printings, claims, and how to cite it.

use maud::{Markup, PreEscaped, html};
use serde_json::Value;

use super::layout::{Nav, row};
use super::text::{Mark, paragraphs};
use super::{Links, Site};
use crate::compare::{self, printing};
use crate::model::Record;
use crate::model::claim::{self, TextRef};

/// The anchor id of a claim's quote on the page.
pub fn claim_anchor(claim_id: &str) -> String {
    format!("claim-{claim_id}")
}

/// The page of `r`; `links` holds what it says of other records.
pub fn page(site: &Site, r: &Record, links: &Links) -> String {
    let title = site.record_label(r);
    let body = html! {
        article {
            header {
                p class="kicker" { (kind_label(r.kind.as_str())) }
                h1 { (title) }
                p class="byline" {
                    @let body = site.agent_name(&r.body);
                    @if !r.authors.is_empty() { (r.authors.join("; ")) " · " }
                    @if r.authors.iter().all(|a| *a != body) { (super::agents::link(site, "../", &r.body)) " · " }
                    (r.date.as_deref().unwrap_or("undated"))
                }
                @let involved = site.agents_of(r);
                @if !involved.is_empty() {
                    p class="agents" {
                        "People, groups and bodies: "
                        @for (i, id) in involved.iter().enumerate() {
                            @if i > 0 { ", " }
                            (super::agents::link(site, "../", id))
                        }
                    }
                }
                @if r.kind == crate::model::Kind::Testimony {
                    p class="notice content-note" role="note" {
                        strong { "Content note: " }
                        "witness testimonies describe violence, injury and death, sometimes in graphic detail."
                    }
                }
            }
            (metadata(site, r, links))
            (text_section(r))
            (printings(site, r, links))
            (differences(r))
            (claims(site, r))
            (notes(r))
            (cite_block(site, r))
        }
    };
    super::layout::page(site, "../", &title, Nav::None, body, &["cite.js"])
}

/// The cells of a figure: as printed, the bounds its words allow, and what it counts.
pub fn figure_cells(c: &claim::Claim) -> Markup {
    let (low, high, _) = claim::bounds(c);
    html! {
        td { (c.value) }
        td { (low.map(|v| v.to_string()).unwrap_or_default()) "–" (high.map(|v| v.to_string()).unwrap_or_default()) }
        td { (c.quantity.as_str().replace('_', " ")) " (" (c.population_as_printed.as_deref().unwrap_or(c.population.as_str())) ")" }
    }
}

/// "media_item" -> "Media item".
pub fn kind_label(kind: &str) -> String {
    crate::package::label::kind_label(kind)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(a) if a.is_empty() => None,
        Value::Array(a) => Some(
            a.iter()
                .filter_map(value_text)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => Some(other.to_string()),
    }
}

fn metadata(site: &Site, r: &Record, links: &Links) -> Markup {
    let text = |s: &Option<String>| s.as_ref().map(|s| html! { (s) });
    let kind_fields: Vec<(String, String)> = serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get(r.kind.as_str()).cloned())
        .and_then(|v| match v {
            Value::Object(m) => Some(
                m.into_iter()
                    .filter_map(|(k, v)| value_text(&v).map(|t| (k.replace('_', " "), t)))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    html! {
        section aria-labelledby="h-meta" {
            h2 id="h-meta" { "Record" }
            dl class="meta" {
                dt { "Id (permalink)" } dd { code { (r.id) } }
                dt { "Kind" } dd { (kind_label(r.kind.as_str())) }
                (row("Title", text(&r.title)))
                dt { "Date" } dd {
                    (r.date.as_deref().unwrap_or("undated"))
                    @if let Some(reason) = &r.date_absent_reason { " (" (reason) ")" }
                }
                dt { "Issued or published by" } dd { (site.agent_name(&r.body)) " " span class="muted" { "(" code { (r.body) } ")" } }
                (row("Authors", (!r.authors.is_empty()).then(|| html! { (r.authors.join("; ")) })))
                (row("Place", text(&r.place)))
                dt { "Language" } dd { (r.language) }
                (row("Original language", text(&r.original_language)))
                dt { "Text status" } dd { (r.text_status.as_str().replace('_', " ")) }
                (row("Part of", r.part_of.as_ref().map(|p| html! {
                    a href=(format!("{p}.html")) { (links.title(p)) }
                })))
                @for (k, v) in &kind_fields {
                    dt { (kind_label(k)) } dd { (v) }
                }
                (row("Source URLs", (!r.source_urls.is_empty()).then(|| html! {
                    ul class="plain" {
                        @for u in &r.source_urls {
                            // Only web addresses become links (never `javascript:` or the like).
                            @if u.starts_with("https://") || u.starts_with("http://") {
                                li { a href=(u) rel="noreferrer nofollow" { (u) } }
                            } @else {
                                li { (u) }
                            }
                        }
                    }
                })))
            }
            @if !links.quoted.is_empty() {
                p { "Records quoted in this one: "
                    @for (i, q) in links.quoted.iter().enumerate() {
                        @if i > 0 { "; " }
                        (PreEscaped(q))
                    }
                }
            }
        }
    }
}

/// The marks of the claims that quote `which` text.
fn claim_marks(r: &Record, which: TextRef) -> Vec<Mark> {
    r.claims
        .iter()
        .filter_map(|c| {
            let span = claim::locate(r, c).ok()?;
            (span.text == which).then(|| Mark {
                bytes: span.bytes,
                ids: vec![claim_anchor(&c.id)],
            })
        })
        .collect()
}

fn text_section(r: &Record) -> Markup {
    html! {
        section aria-labelledby="h-text" {
            h2 id="h-text" { "Text" }
            @match &r.text {
                Some(t) if r.text_status.has_text() => {
                    @if !r.claims.is_empty() {
                        p class="muted" { "Highlighted: the quotes of the figure statements listed under Claims." }
                    }
                    div class="text" lang=(r.language) { (paragraphs(t, claim_marks(r, TextRef::Record))) }
                }
                _ => {
                    p class="muted" { "No text: " (status_reason(r.text_status.as_str())) }
                }
            }
            @for p in &r.parallel_texts {
                h3 { "Parallel text (" (p.language) ", " (format!("{:?}", p.role).to_lowercase()) ")" }
                div class="text" lang=(p.language) { (paragraphs(&p.text, Vec::new())) }
            }
            @if !r.footnotes.is_empty() {
                h3 { "Footnotes" }
                ol class="footnotes" {
                    @for (i, f) in r.footnotes.iter().enumerate() {
                        li {
                            span class="marker" { "[" (f.marker) "] " }
                            (paragraphs(&f.text, claim_marks(r, TextRef::Footnote(i))))
                        }
                    }
                }
            }
        }
    }
}

fn status_reason(status: &str) -> &'static str {
    match status {
        "not_transcribed" => {
            "the document is printed only as an image; the transcription keeps its caption."
        }
        "mentioned_only" => "the compilation only lists or summarises this document.",
        _ => "no text is recorded.",
    }
}

fn printings(site: &Site, r: &Record, links: &Links) -> Markup {
    html! {
        section aria-labelledby="h-printings" {
            h2 id="h-printings" { "Printings" }
            p class="muted" { "Where the document is printed, and what the alignment of the text with the printed lines proves." }
            @for (i, a) in r.appearances.iter().enumerate() {
                @let n = i + 1;
                @let comp = site.corpus.compilations.get(&a.compilation);
                @let proof = comp.and_then(|c| printing::prove(r, i, &c.transcription).ok());
                section class="printing" id=(format!("printing-{n}")) aria-labelledby=(format!("h-printing-{n}")) {
                    h3 id=(format!("h-printing-{n}")) { "Printing " (n) }
                    dl class="meta" {
                        dt { "Compilation" } dd { (site.compilation_title(&a.compilation)) }
                        dt { "Section" } dd { (a.section) }
                        dt { "Lines" } dd {
                            a href=(format!("../transcriptions/{}.html#L{}", a.compilation, a.lines[0])) {
                                (a.lines[0]) "–" (a.lines[1])
                            }
                            " of the transcription"
                        }
                        (row("Heading as printed", a.heading.as_ref().map(|h| html! { (h) })))
                        (row("Date as printed", a.date_as_printed.as_ref().map(|h| html! { (h) })))
                        dt { "Text status" } dd { (r.appearance_status(a).as_str().replace('_', " ")) }
                        (row("Note", a.note.as_ref().map(|h| html! { (h) })))
                    }
                    @if let Some(p) = &proof {
                        @let c = &p.counts;
                        div class="scroll" role="region" aria-label="proof counts" tabindex="0" { table class="counts" {
                            caption { "Proof: printed words (tokens) in the span, and what accounts for each" }
                            thead { tr { th scope="col" { "in span" } th scope="col" { "text" } th scope="col" { "heading" } th scope="col" { "layout" } th scope="col" { "omitted" } th scope="col" { "unaccounted" } } }
                            tbody { tr { td { (c.tokens) } td { (c.matched) } td { (c.heading) } td { (c.layout) } td { (c.omitted) } td { (c.unaccounted) } } }
                        } }
                    }
                    @if a.text.is_some() {
                        details {
                            summary { "This printing's own text" }
                            div class="text" { (paragraphs(a.text.as_deref().unwrap_or_default(), claim_marks(r, TextRef::Appearance(i)))) }
                        }
                    }
                    @if !a.emendations.is_empty() {
                        h4 { "Emendations (conversion damage mended)" }
                        div class="scroll" role="region" aria-label="emendations" tabindex="0" { table {
                            thead { tr { th scope="col" { "printed" } th scope="col" { "reads" } } }
                            tbody {
                                @for e in &a.emendations {
                                    tr { td { code { (e.printed) } } td { code { (e.reads) } } }
                                }
                            }
                        } }
                    }
                    @if !a.omissions.is_empty() {
                        h4 { "Omissions (printed in the span, left out of the text)" }
                        ul {
                            @for o in &a.omissions {
                                li {
                                    @if let Some([x, y]) = o.lines {
                                        a href=(format!("../transcriptions/{}.html#L{x}", a.compilation)) { "lines " (x) "–" (y) }
                                    }
                                    @if let Some(p) = &o.printed { "“" (p) "”" }
                                    " — " (o.reason.as_str().replace('_', " "))
                                    @if let Some(rec) = &o.record {
                                        ": " a href=(format!("{rec}.html")) { (links.title(rec)) }
                                    }
                                    @if let Some(note) = &o.note { " (" (note) ")" }
                                }
                            }
                        }
                    }
                    @if !a.compiler_notes.is_empty() {
                        h4 { "Compilers' notes" }
                        @for note in &a.compiler_notes { blockquote { (paragraphs(note, Vec::new())) } }
                    }
                }
            }
        }
    }
}

/// The first printing with text against each printing with its own text in another
/// compilation, as in the variants table.
fn differences(r: &Record) -> Markup {
    let with_text: Vec<(usize, &str, &str)> = r
        .appearances
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            r.appearance_text(a)
                .map(|t| (i + 1, a.compilation.as_str(), t))
        })
        .collect();
    let Some(&(n_a, comp_a, text_a)) = with_text.first() else {
        return html! {};
    };
    let pairs: Vec<(usize, Vec<compare::Passage>)> = with_text
        .get(1..)
        .unwrap_or_default()
        .iter()
        .filter(|(_, c, _)| *c != comp_a)
        .map(|&(n_b, _, text_b)| (n_b, compare::passages(text_a, text_b)))
        .collect();
    if pairs.is_empty() {
        return html! {};
    }
    html! {
        section aria-labelledby="h-diff" {
            h2 id="h-diff" { "Differences between printings" }
            @for (n_b, passages) in &pairs {
                h3 { "Printing " (n_a) " and printing " (n_b) }
                @if passages.is_empty() {
                    p { "The two printings give the same words." }
                } @else {
                    p class="muted" { (passages.len()) " passage(s) differ, word by word (marked)." }
                    div class="scroll" role="region" aria-label="differences" tabindex="0" {
                        table class="diff" {
                            thead { tr {
                                th scope="col" { "before" }
                                th scope="col" { "printing " (n_a) }
                                th scope="col" { "printing " (n_b) }
                                th scope="col" { "what differs" }
                            } }
                            tbody {
                                @for p in passages {
                                    tr {
                                        td class="muted" { "… " (p.context) }
                                        td { @if p.a.is_empty() { span class="muted" { "(nothing)" } } @else { del { (p.a) } } }
                                        td { @if p.b.is_empty() { span class="muted" { "(nothing)" } } @else { ins { (p.b) } } }
                                        td {
                                            (p.nature.as_str().replace('_', " "))
                                            @if p.changes_number { ", number" }
                                            @if p.changes_date { ", date" }
                                            @if p.changes_name { ", name" }
                                            @if p.changes_attribution { ", attribution" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn claims(site: &Site, r: &Record) -> Markup {
    if r.claims.is_empty() {
        return html! {};
    }
    html! {
        section aria-labelledby="h-claims" {
            h2 id="h-claims" { "Claims" }
            p class="muted" { "Figures as stated by each source; the dataset does not assess them." }
            div class="scroll" role="region" aria-label="claims of this record" tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { "claim" } th scope="col" { "figure as printed" } th scope="col" { "bounds" }
                        th scope="col" { "counts" } th scope="col" { "scope" } th scope="col" { "stated by" } th scope="col" { "mode" } th scope="col" { "quote" }
                    } }
                    tbody {
                        @for c in &r.claims {
                            tr {
                                td { code { (c.id) } }
                                (figure_cells(c))
                                td { (c.scope.as_str().replace('_', " ")) }
                                td {
                                    @let stater = site.stater(c);
                                    (super::agents::link(site, "../", stater))
                                    @if let Some(p) = &c.stated_by_as_printed { " (“" (p) "”)" }
                                    @for relay in &c.relayed_by { " · via " (super::agents::link(site, "../", relay)) }
                                    @if stater != r.body { " · via " (super::agents::link(site, "../", &r.body)) }
                                }
                                td { (c.speech_mode.as_str().replace('_', " ")) }
                                td { a href=(format!("#{}", claim_anchor(&c.id))) { "“" (c.quote) "”" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn notes(r: &Record) -> Markup {
    if r.notes.is_empty() && r.outside_notes.is_empty() {
        return html! {};
    }
    html! {
        section aria-labelledby="h-notes" {
            h2 id="h-notes" { "Notes" }
            @if !r.notes.is_empty() {
                ul { @for n in &r.notes { li { (n) } } }
            }
            @if !r.outside_notes.is_empty() {
                h3 { "From outside the source" }
                ul { @for n in &r.outside_notes { li { (n) } } }
            }
        }
    }
}

fn cite_block(site: &Site, r: &Record) -> Markup {
    let c = super::cite::of(site, r);
    let text = crate::package::citation::text::note(&c);
    let bib = crate::package::citation::bibtex::record_and_dataset(&c);
    html! {
        section class="cite" aria-labelledby="h-cite" id="cite" {
            h2 id="h-cite" { "Cite" }
            p id="cite-text" { (text) }
            h3 { "BibTeX" }
            pre id="bibtex" tabindex="0" { (bib) }
            p class="buttons" {
                button type="button" class="copy" data-copy="bibtex" hidden { "Copy BibTeX" }
                " "
                a class="button" href=(format!("../cite/{}.json", r.id)) download=(format!("{}.json", r.id)) type="application/vnd.citationstyles.csl+json" { "Download CSL-JSON" }
                " "
                a class="button" href=(format!("../cite/{}.ris", r.id)) download=(format!("{}.ris", r.id)) type="application/x-research-info-systems" { "Download RIS" }
                " "
                span class="copied" role="status" aria-live="polite" {}
            }
        }
    }
}
