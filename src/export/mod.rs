//! Export: the release tables in Parquet, CSV and JSON Lines, written as records stream past.

pub mod csv;
pub mod jsonl;
pub mod output;
pub mod parquet;
pub mod schema_files;
pub mod table;
pub mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::model::Kind;
use output::Digests;
use table::{Row, TableSpec};

/// Every table of a release, in the order they are listed in metadata.
pub fn all_specs() -> Vec<TableSpec> {
    let mut specs = vec![
        tables::records_spec(),
        tables::claims_spec(),
        tables::appearances_spec(),
        tables::emendations_spec(),
        tables::omissions_spec(),
        tables::footnotes_spec(),
        tables::parallel_texts_spec(),
        tables::variants_spec(),
        tables::bodies_spec(),
        tables::compilations_spec(),
    ];
    specs.extend(Kind::ALL.iter().map(|k| tables::kind_spec(*k)));
    specs
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

/// One table written to Parquet and CSV at once.
pub struct TableOutput {
    pub spec: TableSpec,
    parquet: parquet::ParquetTable,
    csv: csv::CsvTable,
    pub rows: u64,
    parquet_path: PathBuf,
    csv_path: PathBuf,
}

impl TableOutput {
    pub fn create(dir: &Path, spec: TableSpec) -> Result<TableOutput> {
        let parquet_path = dir.join(format!("{}.parquet", spec.name));
        let csv_path = dir.join(format!("{}.csv", spec.name));
        let parquet = parquet::ParquetTable::create(&parquet_path, &spec)
            .map_err(|e| write_error(&parquet_path, &e))?;
        let csv =
            csv::CsvTable::create(&csv_path, &spec).map_err(|e| write_error(&csv_path, &e))?;
        Ok(TableOutput {
            spec,
            parquet,
            csv,
            rows: 0,
            parquet_path,
            csv_path,
        })
    }

    pub fn push(&mut self, row: Row) -> Result<()> {
        self.csv
            .push(&row)
            .map_err(|e| write_error(&self.csv_path, &e))?;
        self.parquet
            .push(row)
            .map_err(|e| write_error(&self.parquet_path, &e))?;
        self.rows += 1;
        Ok(())
    }

    /// Closes both files; returns the table's name, its row count and the digests of its files
    /// (by file name).
    pub fn finish(self) -> Result<(String, u64, Digests)> {
        let parquet = self
            .parquet
            .finish()
            .map_err(|e| write_error(&self.parquet_path, &e))?;
        let csv = self
            .csv
            .finish()
            .map_err(|e| write_error(&self.csv_path, &e))?;
        let files = Digests::from([
            (format!("{}.parquet", self.spec.name), parquet),
            (format!("{}.csv", self.spec.name), csv),
        ]);
        Ok((self.spec.name, self.rows, files))
    }
}

/// All tables of a release, open for writing.
pub struct TableSet {
    pub tables: BTreeMap<String, TableOutput>,
}

impl TableSet {
    pub fn create(dir: &Path, specs: Vec<TableSpec>) -> Result<TableSet> {
        let mut tables = BTreeMap::new();
        for spec in specs {
            tables.insert(spec.name.clone(), TableOutput::create(dir, spec)?);
        }
        Ok(TableSet { tables })
    }

    pub fn push(&mut self, table: &str, row: Row) -> Result<()> {
        match self.tables.get_mut(table) {
            Some(t) => t.push(row),
            None => anyhow::bail!("internal error: no table named {table}"),
        }
    }

    pub fn spec(&self, table: &str) -> Option<&TableSpec> {
        self.tables.get(table).map(|t| &t.spec)
    }

    /// Closes every table; returns row counts by table name and the digests of the files
    /// written (by file name).
    pub fn finish(self) -> Result<(BTreeMap<String, u64>, Digests)> {
        let mut counts = BTreeMap::new();
        let mut digests = Digests::new();
        for (_, t) in self.tables {
            let (name, rows, files) = t.finish()?;
            counts.insert(name, rows);
            digests.extend(files);
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
