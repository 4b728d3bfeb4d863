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

    /// The bundled data's tables written in every format: each JSON Lines row is valid against
    /// its table's published JSON Schema, and says what the CSV row says.
    #[test]
    fn every_format_writes_the_same_rows_and_rows_fit_their_schemas() {
        use crate::load::DataDir;
        use crate::validate::Validation;
        use serde_json::Value;

        let out = tempfile::tempdir().unwrap();
        let formats = [parquet::FORMAT, csv::FORMAT, jsonl::FORMAT];
        let mut set = TableSet::create(out.path(), &formats).unwrap();
        let data = DataDir::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data")));
        let mut validation = Validation::begin(&data).unwrap();
        validation
            .check_records(|checked| {
                let coverage: Vec<_> = checked
                    .proofs
                    .iter()
                    .map(|p| p.unwrap_or_default())
                    .collect();
                set.push(&Source::Record {
                    record: &checked.record,
                    agents: checked.agents,
                    coverage: &coverage,
                    diffs: &checked.diffs,
                    quotes: checked.quotes.as_deref().unwrap_or_default(),
                })
            })
            .unwrap();
        let (corpus, problems) = validation.finish();
        assert!(problems.is_empty());
        let corpus = corpus.unwrap();
        for body in corpus.agents.values() {
            set.push(&Source::Agent(body)).unwrap();
        }
        for c in corpus.compilations.values() {
            let line_count = c.transcription.line_count();
            set.push(&Source::Compilation {
                compilation: &c.meta,
                line_count,
            })
            .unwrap();
        }
        let (counts, digests) = set.finish().unwrap();
        assert_eq!(counts.len(), all_specs().len());
        assert_eq!(digests.len(), 3 * counts.len());
        assert!(counts["records"] > 100 && counts["claims"] > 100);

        for spec in all_specs() {
            let validator = jsonschema::validator_for(&spec.json_schema()).unwrap();
            let lines =
                std::fs::read_to_string(out.path().join(format!("{}.jsonl", spec.name))).unwrap();
            let mut csv_rows =
                ::csv::Reader::from_path(out.path().join(format!("{}.csv", spec.name))).unwrap();
            assert_eq!(
                csv_rows.headers().unwrap().iter().collect::<Vec<_>>(),
                spec.column_names()
            );
            let mut csv_rows = csv_rows.records();
            let mut n = 0;
            for line in lines.lines() {
                n += 1;
                let row: Value = serde_json::from_str(line).unwrap();
                if let Err(e) = validator.validate(&row) {
                    panic!("{}: {e}: {line}", spec.name);
                }
                let keys: Vec<&str> = row
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let mut names = spec.column_names();
                names.sort();
                assert_eq!(keys, names, "{}", spec.name);
                let csv_row = csv_rows.next().unwrap().unwrap();
                for (column, field) in spec.columns.iter().zip(csv_row.iter()) {
                    let expected = match &row[&column.name] {
                        Value::Null => String::new(),
                        Value::String(s) if column.ty == table::ColumnType::Utf8 => {
                            csv::neutralise_formula(s).into_owned()
                        }
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    assert_eq!(field, expected, "{} {}", spec.name, column.name);
                }
            }
            assert!(csv_rows.next().is_none(), "{}", spec.name);
            assert_eq!(counts[&spec.name], n, "{}", spec.name);
        }
    }
}
