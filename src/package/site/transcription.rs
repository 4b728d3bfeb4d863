//! A transcription page, `site/transcriptions/<compilation>.html`: every line with its number
//! and anchor (`#L648`), and at the start of each record's span a link back to the record.

use std::collections::BTreeMap;

use maud::html;

use super::Site;
use super::layout::{Nav, page};
use crate::package::facts::ReleaseFacts;
use crate::validate::LoadedCompilation;

pub fn page_for(site: &Site, c: &LoadedCompilation) -> String {
    // Line -> the spans (printings) that start there, and how many spans cover each line.
    let mut starts: BTreeMap<u32, Vec<(u32, &str, String, usize)>> = BTreeMap::new();
    let mut covered: BTreeMap<u32, usize> = BTreeMap::new();
    for r in &site.records {
        for (i, a) in r.appearances.iter().enumerate() {
            if a.compilation != c.meta.id {
                continue;
            }
            let [first, last] = a.lines;
            starts.entry(first).or_default().push((
                last,
                r.id.as_str(),
                site.record_label(r),
                i + 1,
            ));
            for n in first..=last {
                *covered.entry(n).or_default() += 1;
            }
        }
    }
    let title = ReleaseFacts::compilation_title(&c.meta);
    let count = c.transcription.line_count();
    let body = html! {
        h1 { "Transcription: " (title) }
        p {
            "The plain-text conversion of the compilation, byte for byte as received ("
            a href=(format!("../../data/sources/{}", c.meta.transcription)) { "the file" }
            ", sha256 " code class="hash" { (c.meta.transcription_sha256) } "), with line numbers. "
            "Line spans of the records' printings refer to these numbers; each span starts with a link to its record. "
            (count) " lines."
        }
        p class="muted" { (c.meta.description) }
        div class="transcription" lang=(c.meta.language) {
            @for n in 1..=count {
                @if let Some(spans) = starts.get(&n) {
                    div class="spanstart" {
                        @for (last, id, t, k) in spans {
                            a href=(format!("../records/{id}.html#printing-{k}")) {
                                "Lines " (n) "–" (last) ": " (t) " (printing " (k) ")"
                            }
                            " "
                        }
                    }
                }
                div class=(if covered.contains_key(&n) { "l in" } else { "l" }) id=(format!("L{n}")) {
                    a class="n" href=(format!("#L{n}")) aria-label=(format!("line {n}")) { (n) }
                    span class="t" { (c.transcription.line(n)) }
                }
            }
        }
    };
    page(
        site,
        "../",
        &format!("Transcription {}", c.meta.id),
        Nav::None,
        body,
        &[],
    )
}
