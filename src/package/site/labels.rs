//! Every record's display label, kept on disk in id order with a sparse index in memory, so a
//! page can name any other record (the record it is part of, the record an omission points to)
//! without the site holding every record.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::package::spill::{rewound, temporary};

/// One index entry per this many labels: a lookup reads at most this many lines.
const STRIDE: usize = 32;

/// Labels written in id order, then looked up by id.
pub struct Labels {
    writer: Option<BufWriter<File>>,
    reader: Option<BufReader<File>>,
    /// The first id of every `STRIDE` lines, and where its line starts.
    index: Vec<(String, u64)>,
    written: usize,
    offset: u64,
    last: Option<String>,
}

impl Labels {
    pub fn create(dir: &Path) -> Result<Labels> {
        Ok(Labels {
            writer: Some(temporary(dir)?),
            reader: None,
            index: Vec::new(),
            written: 0,
            offset: 0,
            last: None,
        })
    }

    /// Adds the label of `id`; ids must come in increasing order.
    pub fn push(&mut self, id: &str, label: &str) -> Result<()> {
        if self.last.as_deref().is_some_and(|last| last >= id) {
            anyhow::bail!("internal error: record {id} is out of id order");
        }
        let writer = self
            .writer
            .as_mut()
            .context("internal error: a label added after lookups began")?;
        if self.written.is_multiple_of(STRIDE) {
            self.index.push((id.to_string(), self.offset));
        }
        let line = serde_json::to_string(&(id, label))?;
        writer.write_all(line.as_bytes())?;
        writer.write_all(b"\n")?;
        self.offset += line.len() as u64 + 1;
        self.written += 1;
        self.last = Some(id.to_string());
        Ok(())
    }

    /// The label of `id`, when a record has that id.
    pub fn get(&mut self, id: &str) -> Result<Option<String>> {
        if let Some(writer) = self.writer.take() {
            self.reader = Some(BufReader::new(rewound(writer)?));
        }
        let block = self
            .index
            .partition_point(|(first, _)| first.as_str() <= id);
        let (Some(reader), Some((_, start))) = (
            self.reader.as_mut(),
            block.checked_sub(1).and_then(|b| self.index.get(b)),
        ) else {
            return Ok(None);
        };
        reader.seek(SeekFrom::Start(*start))?;
        let mut line = String::new();
        for _ in 0..STRIDE {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            let (found, label): (String, String) =
                serde_json::from_str(&line).context("the labels' temporary file is malformed")?;
            match found.as_str().cmp(id) {
                std::cmp::Ordering::Equal => return Ok(Some(label)),
                std::cmp::Ordering::Greater => break,
                std::cmp::Ordering::Less => {}
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_found_and_absent_ids_are_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut labels = Labels::create(dir.path()).expect("create");
        for n in 0..1_000 {
            labels
                .push(&format!("id{n:04}"), &format!("Label \"{n}\"\n"))
                .expect("push");
        }
        for n in (0..1_000).rev().step_by(7) {
            assert_eq!(
                labels.get(&format!("id{n:04}")).expect("get"),
                Some(format!("Label \"{n}\"\n"))
            );
        }
        assert_eq!(labels.get("id0010x").expect("get"), None);
        assert_eq!(labels.get("a").expect("get"), None);
        assert_eq!(labels.get("z").expect("get"), None);
        assert!(labels.push("id9999", "late").is_err());
    }
}
