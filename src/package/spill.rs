//! Sorting more than memory holds: items buffered, spilled to temporary files as sorted runs
//! once the buffer is full, and merged back in key order.
//!
//! The web view's listings (an agent's figures, the records of each kind, the spans of a
//! transcription) arrive in record order but are shown grouped by agent, kind or line; at a
//! million records they do not fit in memory. Several listings are fed from one walk over the
//! records, so items are pushed one at a time (the `extsort` crate sorts one input iterator).
//! Each item is a key and a ready-made fragment of text (a page's row, a link).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Lines, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Items sorted by key `K`, spilled as sorted runs of about `limit` bytes. Keys must be unique
/// (give them a sequence number) so that the merged order is fully determined.
pub struct Spill<K> {
    dir: PathBuf,
    limit: usize,
    buffer: Vec<(K, String)>,
    buffered: usize,
    runs: Vec<File>,
}

impl<K: Ord + Serialize + DeserializeOwned> Spill<K> {
    /// Spills into unnamed temporary files under `dir` (gone when closed).
    pub fn new(dir: &Path, limit: usize) -> Spill<K> {
        Spill {
            dir: dir.to_path_buf(),
            limit,
            buffer: Vec::new(),
            buffered: 0,
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, key: K, text: String) -> Result<()> {
        // The key's own heap part is not counted: keys here are short ids and numbers.
        self.buffered += text.len() + std::mem::size_of::<(K, String)>() + 32;
        self.buffer.push((key, text));
        if self.buffered >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        self.buffer.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = temporary(&self.dir)?;
        for item in self.buffer.drain(..) {
            serde_json::to_writer(&mut out, &item)?;
            out.write_all(b"\n")?;
        }
        self.runs.push(rewound(out)?);
        self.buffered = 0;
        if self.runs.len() >= MAX_RUNS {
            self.merge_runs()?;
        }
        Ok(())
    }

    /// Merges every run into one, so that no more than `MAX_RUNS` files are open at once.
    fn merge_runs(&mut self) -> Result<()> {
        let runs = std::mem::take(&mut self.runs);
        let mut sorted = Sorted::<K>::of_runs(runs)?;
        let mut out = temporary(&self.dir)?;
        while let Some(item) = sorted.pop()? {
            serde_json::to_writer(&mut out, &item)?;
            out.write_all(b"\n")?;
        }
        self.runs.push(rewound(out)?);
        Ok(())
    }

    /// Every item pushed, in key order.
    pub fn sorted(mut self) -> Result<Sorted<K>> {
        if self.runs.is_empty() {
            self.buffer.sort_by(|a, b| a.0.cmp(&b.0));
            return Sorted::of(vec![Source::Memory(
                std::mem::take(&mut self.buffer).into_iter(),
            )]);
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        Sorted::of_runs(self.runs)
    }
}

/// Runs merged at most at once: a merge holds a file and a line of each.
const MAX_RUNS: usize = 64;

/// A new temporary file under `dir`, unnamed (gone when closed), to be written.
pub fn temporary(dir: &Path) -> Result<BufWriter<File>> {
    tempfile::tempfile_in(dir)
        .map(BufWriter::new)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// The temporary file written through `out`, flushed and ready to be read from its start.
pub fn rewound(out: BufWriter<File>) -> Result<File> {
    let mut file = out
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write a temporary file: {}", e.error()))?;
    file.rewind().context("cannot read a temporary file")?;
    Ok(file)
}

enum Source<K> {
    Memory(std::vec::IntoIter<(K, String)>),
    Run(Lines<BufReader<File>>),
}

/// The merged runs: the smallest key first.
pub struct Sorted<K> {
    sources: Vec<Source<K>>,
    heap: BinaryHeap<Reverse<(K, usize, String)>>,
}

impl<K: Ord + DeserializeOwned> Sorted<K> {
    fn of_runs(runs: Vec<File>) -> Result<Sorted<K>> {
        Sorted::of(
            runs.into_iter()
                .map(|f| Source::Run(BufReader::new(f).lines()))
                .collect(),
        )
    }

    fn of(sources: Vec<Source<K>>) -> Result<Sorted<K>> {
        let mut sorted = Sorted {
            sources,
            heap: BinaryHeap::new(),
        };
        for i in 0..sorted.sources.len() {
            sorted.refill(i)?;
        }
        Ok(sorted)
    }

    fn refill(&mut self, source: usize) -> Result<()> {
        let next = match self.sources.get_mut(source) {
            Some(Source::Memory(items)) => items.next(),
            Some(Source::Run(lines)) => match lines.next() {
                Some(line) => Some(
                    serde_json::from_str(&line.context("cannot read a temporary file")?)
                        .context("a temporary file holds a malformed line")?,
                ),
                None => None,
            },
            None => None,
        };
        if let Some((key, text)) = next {
            self.heap.push(Reverse((key, source, text)));
        }
        Ok(())
    }

    /// The key of the next item, if any.
    pub fn peek(&self) -> Option<&K> {
        self.heap.peek().map(|Reverse((k, _, _))| k)
    }

    /// The next item in key order.
    pub fn pop(&mut self) -> Result<Option<(K, String)>> {
        let Some(Reverse((key, source, text))) = self.heap.pop() else {
            return Ok(None);
        };
        self.refill(source)?;
        Ok(Some((key, text)))
    }

    /// Takes every item whose key satisfies `take` from the front, stopping at the first that
    /// does not.
    pub fn take_while(&mut self, mut take: impl FnMut(&K) -> bool) -> Result<Vec<(K, String)>> {
        let mut out = Vec::new();
        while self.peek().is_some_and(&mut take) {
            if let Some(item) = self.pop()? {
                out.push(item);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many runs merge into one sorted sequence, equal to sorting everything in memory.
    #[test]
    fn spilled_runs_merge_in_key_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut spill: Spill<(String, u64)> = Spill::new(dir.path(), 2_000);
        let mut expected = Vec::new();
        for n in 0..20_000u64 {
            let key = (format!("k{}", (n * 7919) % 97), n);
            let text = format!("item \"{n}\"\nline two");
            expected.push((key.clone(), text.clone()));
            spill.push(key, text).expect("push");
        }
        assert!(spill.runs.len() > 1, "the test must spill");
        assert!(
            spill.runs.len() < MAX_RUNS,
            "runs are merged before there are too many"
        );
        expected.sort();
        let mut sorted = spill.sorted().expect("sorted");
        let mut got = Vec::new();
        while let Some(item) = sorted.pop().expect("pop") {
            got.push(item);
        }
        assert_eq!(got, expected);
    }

    #[test]
    fn take_while_stops_at_the_first_other_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut spill: Spill<(u32, u32)> = Spill::new(dir.path(), 1 << 20);
        for (a, b) in [(2, 0), (1, 1), (1, 0), (3, 0)] {
            spill.push((a, b), format!("{a}.{b}")).expect("push");
        }
        let mut sorted = spill.sorted().expect("sorted");
        let ones: Vec<String> = sorted
            .take_while(|k| k.0 == 1)
            .expect("take")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(ones, ["1.0", "1.1"]);
        assert_eq!(sorted.peek(), Some(&(2, 0)));
    }
}
