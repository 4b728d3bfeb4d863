//! Export: the release tables in Parquet, CSV and JSON Lines, written as records stream past.

pub mod csv;
pub mod jsonl;
pub mod output;
pub mod parquet;
pub mod schema_files;
pub mod sink;
pub mod table;
pub mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use output::Digests;
use sink::{Format, TableSink};
use table::{TableRow, TableSpec};
use tables::{Source, Table};

/// Every table of a release, in the order they are listed in metadata.
pub fn all_specs() -> Vec<TableSpec> {
    tables::all().iter().map(|t| t.spec()).collect()
}

/// A failure to write `path`, as one plain sentence: the I/O error underneath (e.g. "No space
/// left on device") rather than the writer library's wrapping ("External: …").
pub fn write_error(path: &Path, e: &anyhow::Error) -> anyhow::Error {
    let cause = e
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .map_or_else(|| e.to_string(), ToString::to_string);
    anyhow::anyhow!("cannot write {}: {cause}", path.display())
}

/// One table's files, one per format, written row by row together.
struct TableFiles {
    name: String,
    /// Each file's name, path and sink.
    files: Vec<(String, PathBuf, Box<dyn TableSink>)>,
    rows: u64,
}

impl TableFiles {
    fn create(dir: &Path, spec: &TableSpec, formats: &[Format]) -> Result<TableFiles> {
        let mut files = Vec::new();
        for format in formats {
            let file_name = format!("{}.{}", spec.name, format.extension);
            let path = dir.join(&file_name);
            let sink = (format.create)(&path, spec).map_err(|e| write_error(&path, &e))?;
            files.push((file_name, path, sink));
        }
        Ok(TableFiles {
            name: spec.name.clone(),
            files,
            rows: 0,
        })
    }

    fn push(&mut self, row: &dyn TableRow) -> Result<()> {
        for (_, path, sink) in &mut self.files {
            sink.push(row).map_err(|e| write_error(path, &e))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Closes every file; returns the digests by file name.
    fn finish(self) -> Result<Digests> {
        let mut digests = Digests::new();
        for (file_name, path, sink) in self.files {
            let digest = sink.finish().map_err(|e| write_error(&path, &e))?;
            digests.insert(file_name, digest);
        }
        Ok(digests)
    }
}

/// All tables of a release, open for writing in the given formats.
pub struct TableSet {
    tables: Vec<(Box<dyn Table>, TableFiles)>,
}

impl TableSet {
    /// Creates the files of every table (`tables::all`) in `dir`, one per format.
    pub fn create(dir: &Path, formats: &[Format]) -> Result<TableSet> {
        let mut tables = Vec::new();
        for table in tables::all() {
            let files = TableFiles::create(dir, &table.spec(), formats)?;
            tables.push((table, files));
        }
        Ok(TableSet { tables })
    }

    /// Writes the rows `source` gives each table.
    pub fn push(&mut self, source: &Source<'_>) -> Result<()> {
        for (table, files) in &mut self.tables {
            table.write_rows(source, &mut |row| files.push(row))?;
        }
        Ok(())
    }

    /// Closes every table; returns row counts by table name and the digests of the files
    /// written (by file name).
    pub fn finish(self) -> Result<(BTreeMap<String, u64>, Digests)> {
        let mut counts = BTreeMap::new();
        let mut digests = Digests::new();
        for (_, files) in self.tables {
            counts.insert(files.name.clone(), files.rows);
            digests.extend(files.finish()?);
        }
        Ok((counts, digests))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_error_names_the_file_and_the_io_cause_without_wrapper_text() {
        let io = std::io::Error::from_raw_os_error(28);
        let e = anyhow::Error::from(::parquet::errors::ParquetError::from(io));
        assert!(e.to_string().starts_with("External:"), "{e}");
        let msg = write_error(Path::new("out/records.parquet"), &e).to_string();
        assert!(
            msg.starts_with("cannot write out/records.parquet: No space left on device"),
            "{msg}"
        );
        assert!(!msg.contains("External"), "{msg}");
    }
}
