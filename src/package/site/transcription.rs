//! A transcription page, `site/transcriptions/<compilation>.html`: every line with its number
//! and anchor (`#L648`), and at the start of each record's span a link back to the record.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use maud::{PreEscaped, html};

use super::Site;
use super::layout::{MARK, Nav, page_around, split};
use crate::model::Record;
use crate::package::facts::ReleaseFacts;
use crate::package::spill::{Sorted, Spill};
use crate::package::tag_files::TagFiles;
use crate::validate::{Corpus, LoadedCompilation};

/// The printings' spans, spilled by (compilation, first line) as the records pass, and which
/// lines some span covers.
pub struct Spans {
    starts: Spill<(String, u32, u64)>,
    /// Compilation -> whether each line (from 1; index 0 unused) lies in a span.
    covered: BTreeMap<String, Vec<bool>>,
    seq: u64,
}

impl Spans {
    pub fn new(corpus: &Corpus, scratch: &Path, limit: usize) -> Spans {
        Spans {
            starts: Spill::new(scratch, limit),
            covered: corpus
                .compilations
                .iter()
                .map(|(id, c)| {
                    (
                        id.clone(),
                        vec![false; c.transcription.line_count() as usize + 1],
                    )
                })
                .collect(),
            seq: 0,
        }
    }

    /// Adds the spans of `r`'s printings.
    pub fn push(&mut self, site: &Site, r: &Record) -> Result<()> {
        for (i, a) in r.appearances.iter().enumerate() {
            let [first, last] = a.lines;
            let Some(covered) = self.covered.get_mut(&a.compilation) else {
                continue;
            };
            let end = (last as usize).min(covered.len().saturating_sub(1));
            for line in covered.iter_mut().take(end + 1).skip(first as usize) {
                *line = true;
            }
            let link = html! {
                a href=(format!("../records/{}.html#printing-{}", r.id, i + 1)) {
                    "Lines " (first) "–" (last) ": " (site.record_label(r)) " (printing " (i + 1) ")"
                }
                " "
            };
            self.starts
                .push((a.compilation.clone(), first, self.seq), link.into_string())?;
            self.seq += 1;
        }
        Ok(())
    }

    /// Writes every compilation's transcription page.
    pub fn write(self, site: &Site, tags: &mut TagFiles) -> Result<()> {
        let mut starts = self.starts.sorted()?;
        for c in site.corpus.compilations.values() {
            let covered = self
                .covered
                .get(&c.meta.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            tags.write_streamed(
                &format!("{}/transcriptions/{}.html", super::DIR, c.meta.id),
                |out| page_for(site, c, covered, &mut starts, out),
            )?;
        }
        Ok(())
    }
}

/// The page of compilation `c`, taking its spans from `starts`.
fn page_for(
    site: &Site,
    c: &LoadedCompilation,
    covered: &[bool],
    starts: &mut Sorted<(String, u32, u64)>,
    out: &mut dyn Write,
) -> Result<()> {
    let id = c.meta.id.as_str();
    // Spans of compilations without a page, or starting before line 1, are never shown.
    while starts
        .peek()
        .is_some_and(|(comp, first, _)| comp.as_str() < id || (comp == id && *first < 1))
    {
        starts.pop()?;
    }
    let title = ReleaseFacts::compilation_title(&c.meta);
    let count = c.transcription.line_count();
    let (head, tail) = page_around(
        site,
        "../",
        &format!("Transcription {}", c.meta.id),
        Nav::None,
        &[],
    );
    let (before, after) = split(html! {
        h1 { "Transcription: " (title) }
        p {
            "The plain-text conversion of the compilation, byte for byte as received ("
            a href=(format!("../../data/sources/{}", c.meta.transcription)) { "the file" }
            ", sha256 " code class="hash" { (c.meta.transcription_sha256) } "), with line numbers. "
            "Line spans of the records' printings refer to these numbers; each span starts with a link to its record. "
            (count) " lines."
        }
        p class="muted" { (c.meta.description) }
        div class="transcription" lang=(c.meta.language) { (PreEscaped(MARK)) }
    });
    out.write_all(head.as_bytes())?;
    out.write_all(before.as_bytes())?;
    for n in 1..=count {
        if starts
            .peek()
            .is_some_and(|(comp, first, _)| comp == id && *first == n)
        {
            out.write_all(br#"<div class="spanstart">"#)?;
            while starts
                .peek()
                .is_some_and(|(comp, first, _)| comp == id && *first == n)
            {
                if let Some((_, link)) = starts.pop()? {
                    out.write_all(link.as_bytes())?;
                }
            }
            out.write_all(b"</div>")?;
        }
        let line = html! {
            div class=(if covered.get(n as usize).copied().unwrap_or(false) { "l in" } else { "l" }) id=(format!("L{n}")) {
                a class="n" href=(format!("#L{n}")) aria-label=(format!("line {n}")) { (n) }
                span class="t" { (c.transcription.line(n)) }
            }
        };
        out.write_all(line.into_string().as_bytes())?;
    }
    // Spans past the last line are never shown.
    while starts.peek().is_some_and(|(comp, _, _)| comp == id) {
        starts.pop()?;
    }
    out.write_all(after.as_bytes())?;
    out.write_all(tail.as_bytes())?;
    Ok(())
}
