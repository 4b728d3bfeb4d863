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

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::package::spill::{rewound, temporary};

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

/// The index entry of record `r`.
pub fn doc(site: &Site, r: &Record) -> Doc {
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

/// A JSON array of numbers, as serde_json writes it, without a JSON value per number.
fn json_numbers(numbers: Vec<u32>) -> String {
    let mut out = String::with_capacity(numbers.len() * 3 + 2);
    out.push('[');
    for (i, n) in numbers.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{n}");
    }
    out.push(']');
    out
}

fn script(call: &str, args: &[Value]) -> Vec<u8> {
    let args: Vec<String> = args.iter().map(Value::to_string).collect();
    script_raw(call, &args)
}

/// `script` with arguments already written as JSON.
fn script_raw(call: &str, args: &[String]) -> Vec<u8> {
    format!("khojalySearch.{call}({});\n", args.join(",")).into_bytes()
}

/// Where index files go: a path relative to `site/` and its bytes.
pub type Put<'p> = dyn FnMut(&str, &[u8]) -> Result<()> + 'p;

/// The search index, made a record at a time: display blocks are written as they fill, facet
/// postings are held (a few numbers a record), and each record's words go to `TermRuns`,
/// which spills sorted runs to disk; the word chunks are written at the end.
pub struct IndexWriter {
    limit: usize,
    docs: u32,
    block: Vec<String>,
    blocks: usize,
    terms: TermRuns,
    facets: BTreeMap<&'static str, BTreeMap<String, Postings>>,
}

impl IndexWriter {
    /// An index with word chunks of at most `limit` bytes where words can be split; runs of
    /// postings are spilled under `scratch`.
    pub fn new(scratch: &Path, limit: usize) -> IndexWriter {
        IndexWriter::with_runs_of(scratch, limit, TERM_RUN_POSTINGS)
    }

    /// As `new`, spilling a run every `postings` postings.
    fn with_runs_of(scratch: &Path, limit: usize, postings: usize) -> IndexWriter {
        IndexWriter {
            limit,
            docs: 0,
            block: Vec::new(),
            blocks: 0,
            terms: TermRuns::new(scratch, postings),
            facets: BTreeMap::new(),
        }
    }

    /// Adds the next record (records come in id order: a record's number is its position).
    pub fn push(&mut self, d: &Doc, put: &mut Put) -> Result<()> {
        let n = self.docs;
        self.docs = self
            .docs
            .checked_add(1)
            .context("more records than the search index numbers")?;
        let set: BTreeSet<String> = terms(&d.words).collect();
        for t in set {
            self.terms.add(t, n)?;
        }
        for (key, values) in &d.facets {
            let by_value = self.facets.entry(key).or_default();
            for v in values {
                match by_value.get_mut(v.as_str()) {
                    Some(postings) => postings.push(n),
                    None => {
                        let mut postings = Postings::default();
                        postings.push(n);
                        by_value.insert(v.clone(), postings);
                    }
                }
            }
        }
        self.block
            .push(json!([d.id, d.title, d.kind, d.date, d.body, d.authors, d.snippet]).to_string());
        if self.block.len() == DOC_BLOCK {
            self.write_block(put)?;
        }
        Ok(())
    }

    fn write_block(&mut self, put: &mut Put) -> Result<()> {
        let rows = format!("[{}]", self.block.join(","));
        put(
            &format!("search/d/{}.js", self.blocks),
            &script_raw("docs", &[self.blocks.to_string(), rows]),
        )?;
        self.blocks += 1;
        self.block.clear();
        Ok(())
    }

    /// How many records each facet value has, by facet key (the search page shows them).
    pub fn facet_counts(&self) -> BTreeMap<&'static str, BTreeMap<String, usize>> {
        self.facets
            .iter()
            .map(|(k, values)| (*k, values.iter().map(|(v, p)| (v.clone(), p.len)).collect()))
            .collect()
    }

    /// Writes the rest: the last display block, the word chunks, the facets and the manifest.
    pub fn finish(mut self, scratch: &Path, put: &mut Put) -> Result<()> {
        if !self.block.is_empty() {
            self.write_block(put)?;
        }
        // Every word with its postings, merged from the runs into one file in word order; the
        // vocabulary (each word and the size of its entry) is all that stays in memory.
        let mut merged = temporary(scratch)?;
        let mut vocabulary = Vocabulary::default();
        let mut entry = String::new();
        self.terms.merge(|word, postings| {
            entry.clear();
            entry.push_str(&serde_json::to_string(word)?);
            entry.push(':');
            let array = json_numbers(delta(postings));
            vocabulary.push(word, word.len() + 6 + array.len());
            entry.push_str(&array);
            entry.push('\n');
            merged.write_all(entry.as_bytes())?;
            Ok(())
        })?;
        let mut merged = BufReader::new(rewound(merged)?);
        let mut chunks = Vec::new();
        chunk_words(&vocabulary, 0, vocabulary.len(), 1, self.limit, &mut chunks);
        let mut manifest_chunks = Vec::new();
        let mut line = String::new();
        for (n, (key, from, to)) in chunks.iter().enumerate() {
            let mut map = String::from("{");
            for i in *from..*to {
                line.clear();
                merged.read_line(&mut line)?;
                if i > *from {
                    map.push(',');
                }
                map.push_str(line.trim_end_matches('\n'));
            }
            map.push('}');
            put(
                &format!("search/t/{n}.js"),
                &script_raw("terms", &[n.to_string(), map]),
            )?;
            manifest_chunks.push(json!(key));
        }
        for (key, _) in FACETS {
            // Written as text: as JSON values, a facet of a million records is hundreds of MB.
            let mut list = String::from("[");
            for (i, (v, p)) in self.facets.get(key).into_iter().flatten().enumerate() {
                if i > 0 {
                    list.push(',');
                }
                list.push('[');
                list.push_str(&serde_json::to_string(v)?);
                list.push(',');
                list.push_str(&json_numbers(p.deltas()));
                list.push(']');
            }
            list.push(']');
            put(
                &format!("search/f/{key}.js"),
                &script_raw("facet", &[json!(key).to_string(), list]),
            )?;
        }
        let manifest = json!({
            "docs": self.docs,
            "docBlock": DOC_BLOCK,
            "chunks": manifest_chunks,
            "facets": FACETS.iter().map(|(k, l)| json!([k, l])).collect::<Vec<_>>(),
        });
        put("search/manifest.js", &script("manifest", &[manifest]))
    }
}

/// Postings held before a run is spilled: 4 bytes each, so about 16 MB (twice that at most
/// while the lists grow).
const TERM_RUN_POSTINGS: usize = 4 << 20;

/// A facet value's records, in increasing order, held as the deltas its file is written with
/// (the first number, then each difference), LEB128-encoded: about a byte a record.
#[derive(Default)]
struct Postings {
    bytes: Vec<u8>,
    last: u32,
    len: usize,
}

impl Postings {
    fn push(&mut self, n: u32) {
        let mut d = if self.len == 0 {
            n
        } else {
            n.saturating_sub(self.last)
        };
        loop {
            let low = (d & 0x7f) as u8;
            d >>= 7;
            if d == 0 {
                self.bytes.push(low);
                break;
            }
            self.bytes.push(low | 0x80);
        }
        self.last = n;
        self.len += 1;
    }

    fn deltas(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len);
        let (mut d, mut shift) = (0u32, 0u32);
        for &b in &self.bytes {
            d |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                out.push(d);
                (d, shift) = (0, 0);
            } else {
                shift += 7;
            }
        }
        out
    }
}

/// Word -> record numbers, gathered in record order and spilled as runs sorted by word.
struct TermRuns {
    dir: PathBuf,
    limit: usize,
    batch: BTreeMap<String, Vec<u32>>,
    postings: usize,
    runs: Vec<File>,
}

impl TermRuns {
    fn new(dir: &Path, limit: usize) -> TermRuns {
        TermRuns {
            dir: dir.to_path_buf(),
            limit,
            batch: BTreeMap::new(),
            postings: 0,
            runs: Vec::new(),
        }
    }

    fn add(&mut self, word: String, n: u32) -> Result<()> {
        match self.batch.get_mut(&word) {
            Some(p) => p.push(n),
            None => {
                self.batch.insert(word, vec![n]);
            }
        }
        self.postings += 1;
        if self.postings >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the batch as a run: per word, its length and bytes, then its postings' count and
    /// the postings (little-endian u32s).
    fn spill(&mut self) -> Result<()> {
        let mut out = temporary(&self.dir)?;
        for (word, postings) in std::mem::take(&mut self.batch) {
            write_u32(&mut out, word.len())?;
            out.write_all(word.as_bytes())?;
            write_u32(&mut out, postings.len())?;
            for p in postings {
                out.write_all(&p.to_le_bytes())?;
            }
        }
        self.runs.push(rewound(out)?);
        self.postings = 0;
        Ok(())
    }

    /// Calls `each` with every word in order and all its postings, in record order (runs hold
    /// records in order, so a word's postings are its runs' postings one after another).
    fn merge(mut self, mut each: impl FnMut(&str, &[u32]) -> Result<()>) -> Result<()> {
        if self.runs.is_empty() {
            for (word, postings) in &self.batch {
                each(word, postings)?;
            }
            return Ok(());
        }
        if !self.batch.is_empty() {
            self.spill()?;
        }
        let mut readers: Vec<BufReader<File>> = self.runs.into_iter().map(BufReader::new).collect();
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(entry) = read_entry(r)? {
                heap.push(Reverse((entry.0, i, entry.1)));
            }
        }
        let mut postings: Vec<u32> = Vec::new();
        while let Some(Reverse((word, i, first))) = heap.pop() {
            postings.clear();
            postings.extend(first);
            let mut from = vec![i];
            while heap.peek().is_some_and(|Reverse((w, _, _))| *w == word) {
                if let Some(Reverse((_, j, more))) = heap.pop() {
                    postings.extend(more);
                    from.push(j);
                }
            }
            each(&word, &postings)?;
            for j in from {
                if let Some(r) = readers.get_mut(j)
                    && let Some(entry) = read_entry(r)?
                {
                    heap.push(Reverse((entry.0, j, entry.1)));
                }
            }
        }
        Ok(())
    }
}

fn write_u32(out: &mut impl Write, n: usize) -> Result<()> {
    let n = u32::try_from(n).context("a search index entry is too large")?;
    out.write_all(&n.to_le_bytes())?;
    Ok(())
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// The next word and postings of a run, or None at its end.
fn read_entry(r: &mut BufReader<File>) -> Result<Option<(String, Vec<u32>)>> {
    if r.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let len = read_u32(r)? as usize;
    let mut word = vec![0u8; len];
    r.read_exact(&mut word)?;
    let count = read_u32(r)? as usize;
    let mut postings = Vec::with_capacity(count);
    for _ in 0..count {
        postings.push(read_u32(r)?);
    }
    Ok(Some((
        String::from_utf8(word).context("a search index run holds a malformed word")?,
        postings,
    )))
}

/// Every word in order with the size of its index entry, in one buffer.
#[derive(Default)]
struct Vocabulary {
    words: String,
    /// (end of the word in `words`, size of its entry)
    entries: Vec<(usize, usize)>,
}

impl Vocabulary {
    fn push(&mut self, word: &str, size: usize) {
        self.words.push_str(word);
        self.entries.push((self.words.len(), size));
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn word(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.entries.get(p))
            .map_or(0, |e| e.0);
        let end = self.entries.get(i).map_or(start, |e| e.0);
        self.words.get(start..end).unwrap_or_default()
    }

    fn size(&self, i: usize) -> usize {
        self.entries.get(i).map_or(0, |e| e.1)
    }
}

/// The first `depth` characters of `word`.
fn prefix(word: &str, depth: usize) -> &str {
    match word.char_indices().nth(depth) {
        Some((at, _)) => word.get(..at).unwrap_or(word),
        None => word,
    }
}

/// Groups the sorted words `from..to` into chunks no larger than `limit` bytes where a longer
/// prefix can split them; each chunk is named by the prefix its words share. Words sharing a
/// prefix lie together because the words are sorted.
fn chunk_words(
    words: &Vocabulary,
    from: usize,
    to: usize,
    depth: usize,
    limit: usize,
    out: &mut Vec<(String, usize, usize)>,
) {
    let mut i = from;
    while i < to {
        let key = prefix(words.word(i), depth);
        let (mut j, mut size, mut longer) = (i, 0, false);
        while j < to && prefix(words.word(j), depth) == key {
            size += words.size(j);
            longer |= words.word(j).chars().count() > depth;
            j += 1;
        }
        if size > limit && j - i > 1 && longer {
            chunk_words(words, i, j, depth + 1, limit, out);
        } else {
            out.push((key.to_string(), i, j));
        }
        i = j;
    }
}

/// The index files (paths relative to `site/`) for `docs`, with word chunks of at most
/// `limit` bytes where words can be split.
#[cfg(test)]
fn index_files(docs: &[Doc], limit: usize) -> Vec<(String, Vec<u8>)> {
    index_files_with_runs_of(docs, limit, TERM_RUN_POSTINGS)
}

#[cfg(test)]
fn index_files_with_runs_of(docs: &[Doc], limit: usize, run: usize) -> Vec<(String, Vec<u8>)> {
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| {
        files.push((rel.to_string(), bytes.to_vec()));
        Ok(())
    };
    let mut index = IndexWriter::with_runs_of(scratch.path(), limit, run);
    for d in docs {
        index.push(d, &mut put).expect("push");
    }
    index.finish(scratch.path(), &mut put).expect("finish");
    files
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

    /// Spilling the postings in many runs gives the same files as holding them all.
    #[test]
    fn spilled_runs_give_the_same_index() {
        let docs: Vec<Doc> = (0..3_000)
            .map(|n| doc(n, format!("common w{} x{} y{}", n % 37, n % 501, n)))
            .collect();
        let held = index_files(&docs, 4_096);
        let spilled = index_files_with_runs_of(&docs, 4_096, 1_000);
        assert!(held.len() > 20);
        assert!(held == spilled, "the spilled index differs");
    }

    #[test]
    fn facet_postings_give_back_their_deltas() {
        let numbers = [0u32, 0, 1, 127, 128, 300, 16_384, 2_000_000, u32::MAX];
        let mut p = Postings::default();
        for n in numbers {
            p.push(n);
        }
        assert_eq!(p.len, numbers.len());
        assert_eq!(p.deltas(), delta(&numbers));
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for numbers in [vec![], vec![7], vec![0, 12, 4_294_967_295]] {
            assert_eq!(json_numbers(numbers.clone()), json!(numbers).to_string());
        }
    }
}
