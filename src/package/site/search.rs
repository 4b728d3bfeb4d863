//! The search index of the site: pre-built, split into small files loaded on demand.
//!
//! Modelled on Pagefind's design (learned from, not copied): an inverted index from each word
//! to the records that contain it, split into chunks by word prefix so that a query loads only
//! the chunks of its own words; the records' display data in fixed-size blocks, loaded only for
//! the results shown; one file per facet (value -> records). Nothing holds every text.
//!
//! From file:// Chromium refuses `fetch()` of local files, so every index file is a script
//! that registers itself (`khojalySearch.terms(3, {...})`), inserted with a `<script>` element
//! by `assets/search.js`: that works from disk and from any static host alike.
//!
//! Words are lower-cased and split at every character that is neither a letter nor a digit, in
//! Rust here and in JavaScript in the browser (`\p{Alphabetic}`, `\p{N}`), so both agree.
//! Record numbers in postings are positions in id order, delta-encoded.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::{Value, json};

use super::Site;
use crate::model::Record;

/// Upper size (bytes) of a word chunk; a larger group of words is split by a longer prefix.
/// A single word's postings are never split.
pub const CHUNK_BYTES: usize = 48 * 1024;
/// Records per display block.
pub const DOC_BLOCK: usize = 256;

/// The facets offered, in display order: (key, label).
pub const FACETS: [(&str, &str); 7] = [
    ("kind", "Kind"),
    ("year", "Year"),
    ("body", "Issuing body"),
    ("agent", "Person, group or body"),
    ("compilation", "Compilation"),
    ("status", "Text status"),
    ("language", "Language"),
];

/// What the index knows of one record.
pub struct Doc {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub body: String,
    pub authors: String,
    pub snippet: String,
    /// Facet key -> the record's values (a record printed in two compilations has two).
    pub facets: BTreeMap<&'static str, Vec<String>>,
    /// Everything searchable, as one string.
    pub words: String,
}

/// Words of a text as the index and the browser see them.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The year a record's date starts in, or "undated".
fn year(r: &Record) -> String {
    r.date
        .as_deref()
        .and_then(|d| crate::model::edtf::parse(d).ok())
        .and_then(|e| e.start)
        .map(|days| crate::model::edtf::ymd_from_days(days).0.to_string())
        .unwrap_or_else(|| "undated".into())
}

fn snippet(r: &Record) -> String {
    let Some(text) = r.text.as_deref().filter(|_| r.text_status.has_text()) else {
        return format!("({})", r.text_status.as_str().replace('_', " "));
    };
    let flat: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in flat {
        if out.chars().count() + w.chars().count() > 180 {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The index entry of each record of the site.
pub fn docs(site: &Site) -> Vec<Doc> {
    site.records
        .iter()
        .map(|r| {
            let body = site.agent_name(&r.body);
            let witness = r
                .testimony
                .as_ref()
                .and_then(|t| t.witness.clone())
                .unwrap_or_default();
            let mut words = vec![
                site.record_label(r),
                r.authors.join(" "),
                body.clone(),
                witness,
            ];
            if let Some(b) = site.corpus.agents.get(&r.body) {
                words.extend(b.variants.iter().map(|v| v.printed.clone()));
            }
            if r.text_status.has_text() {
                words.extend(r.text.clone());
            }
            words.extend(r.parallel_texts.iter().map(|p| p.text.clone()));
            words.extend(r.footnotes.iter().map(|f| f.text.clone()));
            let compilations: BTreeSet<String> = r
                .appearances
                .iter()
                .map(|a| site.compilation_title(&a.compilation))
                .collect();
            let facets = BTreeMap::from([
                ("kind", vec![super::record::kind_label(r.kind.as_str())]),
                ("year", vec![year(r)]),
                ("body", vec![body.clone()]),
                (
                    "agent",
                    site.agents_of(r)
                        .into_iter()
                        .map(|id| site.agent_name(id))
                        .collect(),
                ),
                ("compilation", compilations.into_iter().collect()),
                ("status", vec![r.text_status.as_str().replace('_', " ")]),
                ("language", vec![r.language.clone()]),
            ]);
            Doc {
                id: r.id.clone(),
                title: site.record_label(r),
                kind: super::record::kind_label(r.kind.as_str()),
                date: r.date.clone().unwrap_or_else(|| "undated".into()),
                body,
                authors: r.authors.join("; "),
                snippet: snippet(r),
                facets,
                words: words.join(" "),
            }
        })
        .collect()
}

fn delta(postings: &[u32]) -> Vec<u32> {
    let mut prev = 0;
    postings
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let d = if i == 0 { n } else { n - prev };
            prev = n;
            d
        })
        .collect()
}

fn script(call: &str, args: &[Value]) -> Vec<u8> {
    let args: Vec<String> = args.iter().map(Value::to_string).collect();
    format!("khojalySearch.{call}({});\n", args.join(",")).into_bytes()
}

/// Groups sorted words into chunks no larger than `limit` bytes where a longer prefix can
/// split them; each chunk is named by the prefix its words share.
fn chunk_words<'a>(
    words: &[(&'a String, usize)],
    depth: usize,
    limit: usize,
    out: &mut Vec<(String, Vec<&'a String>)>,
) {
    let mut groups: BTreeMap<String, Vec<(&'a String, usize)>> = BTreeMap::new();
    for &(w, size) in words {
        groups
            .entry(w.chars().take(depth).collect())
            .or_default()
            .push((w, size));
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(|(_, s)| s).sum();
        let splittable = group.len() > 1 && group.iter().any(|(w, _)| w.chars().count() > depth);
        if size > limit && splittable {
            chunk_words(&group, depth + 1, limit, out);
        } else {
            out.push((key, group.into_iter().map(|(w, _)| w).collect()));
        }
    }
}

/// The index files (paths relative to `site/`) for `docs`, with word chunks of at most
/// `limit` bytes where words can be split.
pub fn index_files(docs: &[Doc], limit: usize) -> Vec<(String, Vec<u8>)> {
    let mut inverted: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        let set: BTreeSet<String> = terms(&d.words).collect();
        for t in set {
            inverted
                .entry(t)
                .or_default()
                .push(u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    let sized: Vec<(&String, usize)> = inverted
        .iter()
        .map(|(w, p)| (w, w.len() + 6 + json!(delta(p)).to_string().len()))
        .collect();
    let mut chunks = Vec::new();
    chunk_words(&sized, 1, limit, &mut chunks);

    let mut files = Vec::new();
    let mut manifest_chunks = Vec::new();
    for (n, (key, words)) in chunks.iter().enumerate() {
        let mut map = serde_json::Map::new();
        for w in words {
            map.insert(
                (*w).clone(),
                json!(delta(
                    inverted.get(*w).map(Vec::as_slice).unwrap_or_default()
                )),
            );
        }
        files.push((
            format!("search/t/{n}.js"),
            script("terms", &[json!(n), Value::Object(map)]),
        ));
        manifest_chunks.push(json!(key));
    }
    for (n, block) in docs.chunks(DOC_BLOCK).enumerate() {
        let rows: Vec<Value> = block
            .iter()
            .map(|d| json!([d.id, d.title, d.kind, d.date, d.body, d.authors, d.snippet]))
            .collect();
        files.push((
            format!("search/d/{n}.js"),
            script("docs", &[json!(n), json!(rows)]),
        ));
    }
    for (key, _) in FACETS {
        let mut values: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (n, d) in docs.iter().enumerate() {
            for v in d.facets.get(key).map(Vec::as_slice).unwrap_or_default() {
                values
                    .entry(v.as_str())
                    .or_default()
                    .push(u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        let list: Vec<Value> = values.iter().map(|(v, p)| json!([v, delta(p)])).collect();
        files.push((
            format!("search/f/{key}.js"),
            script("facet", &[json!(key), json!(list)]),
        ));
    }
    let manifest = json!({
        "docs": docs.len(),
        "docBlock": DOC_BLOCK,
        "chunks": manifest_chunks,
        "facets": FACETS.iter().map(|(k, l)| json!([k, l])).collect::<Vec<_>>(),
    });
    files.push(("search/manifest.js".into(), script("manifest", &[manifest])));
    files
}

/// The site's search index files.
pub fn files(site: &Site) -> Result<Vec<(String, Vec<u8>)>> {
    Ok(index_files(&docs(site), CHUNK_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: usize, words: String) -> Doc {
        Doc {
            id: format!("r{n:06}"),
            title: format!("Title {n}"),
            kind: "Media item".into(),
            date: "1992".into(),
            body: "b".into(),
            authors: String::new(),
            snippet: String::new(),
            facets: BTreeMap::from([("kind", vec!["Media item".into()])]),
            words,
        }
    }

    #[test]
    fn words_split_like_the_browser() {
        let t: Vec<String> = terms("Thomas Goltz's “diary”, 613—Xocalı").collect();
        assert_eq!(t, ["thomas", "goltz", "s", "diary", "613", "xocalı"]);
    }

    /// A synthetic corpus of 100,000 records: no word chunk exceeds the limit unless it is one
    /// word (whose postings cannot be split), and no file holds more than a fraction of it.
    #[test]
    fn index_of_100000_records_is_chunked() {
        let vocabulary: Vec<String> = (0..20_000).map(|i| format!("w{}x{}", i % 977, i)).collect();
        let docs: Vec<Doc> = (0..100_000)
            .map(|n| {
                let words: Vec<&str> = (0..12)
                    .map(|k| vocabulary[(n * 7 + k * 131 + k * k * n) % vocabulary.len()].as_str())
                    .collect();
                doc(n, format!("common {}", words.join(" ")))
            })
            .collect();
        let files = index_files(&docs, CHUNK_BYTES);
        let total: usize = files.iter().map(|(_, b)| b.len()).sum();
        for (path, bytes) in &files {
            if path.starts_with("search/t/") {
                let text = String::from_utf8_lossy(bytes);
                let words = text.matches("\":[").count();
                assert!(
                    bytes.len() <= CHUNK_BYTES + 4096 || words == 1,
                    "{path}: {} bytes, {words} words",
                    bytes.len()
                );
            }
            assert!(
                bytes.len() < total / 10,
                "{path} holds too much of the index"
            );
        }
        assert_eq!(
            files
                .iter()
                .filter(|(p, _)| p.starts_with("search/d/"))
                .count(),
            100_000usize.div_ceil(DOC_BLOCK)
        );
    }
}
