//! Parquet output: byte-reproducible files, written in fixed-size batches as rows arrive.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int32Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use super::output::{DigestingFile, FileDigest};
use super::table::{Cell, ColumnType, Row, TableSpec};

/// Rows per `write` call. The bytes of a Parquet file depend on how rows are sliced into
/// writes, so this is fixed: the same rows always give the same file.
pub const BATCH_ROWS: usize = 1024;

/// Rows per row group, at most. The writer holds the open row group of each of the ~20 tables
/// in memory, and its `memory_size` undercounts it: measured at 100,000 synthetic records, row
/// groups of 64k rows peaked at 334 MB, of 8k rows at 254 MB. 8k rows still gives engines many
/// groups to read in parallel (DuckDB, polars and Spark split on row groups).
const ROW_GROUP_ROWS: usize = 8 * 1024;

/// Bytes a row group may hold in memory (encoded pages and buffered values, the writer's
/// `memory_size`) before it is written out, whatever its row count: the writer keeps the open
/// row group in memory, so wide rows (the records' texts) would otherwise
/// hold 64k texts at once. Checked after each fixed-size batch, so the same rows always end
/// their row groups at the same place (and give the same bytes); engines read row groups in
/// parallel, so several bounded groups also read faster than one large one.
const ROW_GROUP_BYTES: usize = 8 * 1024 * 1024;

/// Arrow schema of a table, with each column's description in the field metadata.
pub fn arrow_schema(spec: &TableSpec) -> SchemaRef {
    let fields: Vec<Field> = spec
        .columns
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::Utf8 => DataType::Utf8,
                ColumnType::ListUtf8 => {
                    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
                }
                ColumnType::Date32 => DataType::Date32,
                ColumnType::Int32 => DataType::Int32,
                ColumnType::Bool => DataType::Boolean,
            };
            let metadata: std::collections::HashMap<String, String> =
                [("description".to_string(), c.description.clone())]
                    .into_iter()
                    .collect();
            Field::new(&c.name, ty, c.nullable).with_metadata(metadata)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Writes one table's Parquet file.
pub struct ParquetTable {
    writer: ArrowWriter<DigestingFile>,
    schema: SchemaRef,
    spec: TableSpec,
    pending: Vec<Row>,
}

impl ParquetTable {
    pub fn create(path: &Path, spec: &TableSpec) -> Result<ParquetTable> {
        let schema = arrow_schema(spec);
        let file = DigestingFile::create(path)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(9)?))
            // A fixed writer name: the parquet crate's default embeds its own version, which
            // would change the bytes on every dependency upgrade.
            .set_created_by(format!("khojaly {}", env!("CARGO_PKG_VERSION")))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_key_value_metadata(Some(vec![
                KeyValue::new("khojaly.table".to_string(), spec.name.clone()),
                KeyValue::new("khojaly.description".to_string(), spec.description.clone()),
                KeyValue::new(
                    "khojaly.row_schema".to_string(),
                    spec.json_schema().to_string(),
                ),
            ]))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
        Ok(ParquetTable {
            writer,
            schema,
            spec: spec.clone(),
            pending: Vec::with_capacity(BATCH_ROWS),
        })
    }

    pub fn push(&mut self, row: Row) -> Result<()> {
        self.pending.push(row);
        if self.pending.len() == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = to_batch(&self.spec, &self.schema, &self.pending)?;
        self.writer.write(&batch)?;
        self.pending.clear();
        if self.writer.memory_size() >= ROW_GROUP_BYTES {
            self.writer.flush()?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<FileDigest> {
        self.flush()?;
        self.writer.into_inner()?.finish()
    }
}

fn to_batch(spec: &TableSpec, schema: &SchemaRef, rows: &[Row]) -> Result<RecordBatch> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(spec.columns.len());
    for (i, col) in spec.columns.iter().enumerate() {
        let cells = rows.iter().map(|r| r.get(i).unwrap_or(&Cell::Null));
        let array: ArrayRef = match col.ty {
            ColumnType::Utf8 => {
                let mut b = StringBuilder::new();
                for c in cells {
                    match c {
                        Cell::Str(s) => b.append_value(s),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            ColumnType::ListUtf8 => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for c in cells {
                    match c {
                        Cell::List(items) => {
                            for item in items {
                                b.values().append_value(item);
                            }
                            b.append(true);
                        }
                        _ if col.nullable => b.append(false),
                        _ => b.append(true),
                    }
                }
                Arc::new(b.finish())
            }
            ColumnType::Date32 => {
                let mut b = Date32Builder::new();
                for c in cells {
                    match c {
                        Cell::Date(d) => b.append_value(*d),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            ColumnType::Int32 => {
                let mut b = Int32Builder::new();
                for c in cells {
                    match c {
                        Cell::Int(n) => b.append_value(*n),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            ColumnType::Bool => {
                let mut b = BooleanBuilder::new();
                for c in cells {
                    match c {
                        Cell::Bool(v) => b.append_value(*v),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(array);
    }
    Ok(RecordBatch::try_new(schema.clone(), arrays)?)
}
