//! Export: the release tables in Parquet, CSV and JSON Lines, written as records stream past.

pub mod csv;
pub mod jsonl;
pub mod parquet;
pub mod schema_files;
pub mod table;
pub mod tables;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::model::Kind;
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

/// One table written to Parquet and CSV at once.
pub struct TableOutput {
    pub spec: TableSpec,
    parquet: parquet::ParquetTable,
    csv: csv::CsvTable,
    pub rows: u64,
}

impl TableOutput {
    pub fn create(dir: &Path, spec: TableSpec) -> Result<TableOutput> {
        let parquet =
            parquet::ParquetTable::create(&dir.join(format!("{}.parquet", spec.name)), &spec)?;
        let csv = csv::CsvTable::create(&dir.join(format!("{}.csv", spec.name)), &spec)?;
        Ok(TableOutput {
            spec,
            parquet,
            csv,
            rows: 0,
        })
    }

    pub fn push(&mut self, row: Row) -> Result<()> {
        self.csv.push(&row)?;
        self.parquet.push(row)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<(String, u64)> {
        self.parquet.finish()?;
        self.csv.finish()?;
        Ok((self.spec.name, self.rows))
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

    /// Closes every table; returns row counts by table name.
    pub fn finish(self) -> Result<BTreeMap<String, u64>> {
        let mut counts = BTreeMap::new();
        for (_, t) in self.tables {
            let (name, rows) = t.finish()?;
            counts.insert(name, rows);
        }
        Ok(counts)
    }
}
