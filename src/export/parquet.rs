//! Parquet output: byte-reproducible files, written in fixed-size batches as rows arrive.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use super::output::{DigestingFile, FileDigest};
use super::sink::{ColumnCursor, Format, TableSink};
use super::table::{ColumnType, RowWriter, TableRow, TableSpec};

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
                ColumnType::Int64 => DataType::Int64,
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

/// Parquet: `<table>.parquet`.
pub const FORMAT: Format = Format {
    extension: "parquet",
    media_type: "application/vnd.apache.parquet",
    tabular_resource: false,
    create: |path, spec| Ok(Box::new(ParquetSink::create(path, spec)?)),
};

/// One table's Parquet file.
pub struct ParquetSink {
    writer: ArrowWriter<DigestingFile>,
    schema: SchemaRef,
    batch: Batch,
}

/// The rows not yet written, column by column.
struct Batch {
    columns: Vec<ColumnBuilder>,
    cursor: ColumnCursor,
    rows: usize,
}

/// The builder of one column's array.
enum ColumnBuilder {
    Utf8(StringBuilder),
    ListUtf8(ListBuilder<StringBuilder>),
    Date32(Date32Builder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Bool(BooleanBuilder),
}

impl ParquetSink {
    pub fn create(path: &Path, spec: &TableSpec) -> Result<ParquetSink> {
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
        Ok(ParquetSink {
            writer,
            schema,
            batch: Batch {
                columns: spec
                    .columns
                    .iter()
                    .map(|c| ColumnBuilder::new(c.ty))
                    .collect(),
                cursor: ColumnCursor::new(spec),
                rows: 0,
            },
        })
    }

    /// Writes the rows gathered so far as one batch, and their row group once it is large.
    fn flush(&mut self) -> Result<()> {
        if self.batch.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self
            .batch
            .columns
            .iter_mut()
            .map(ColumnBuilder::finish)
            .collect();
        self.batch.rows = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        if self.writer.memory_size() >= ROW_GROUP_BYTES {
            self.writer.flush()?;
        }
        Ok(())
    }
}

impl TableSink for ParquetSink {
    fn push(&mut self, row: &dyn TableRow) -> Result<()> {
        row.write_values(&mut self.batch);
        self.batch.cursor.end_row()?;
        self.batch.rows += 1;
        if self.batch.rows == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<FileDigest> {
        self.flush()?;
        self.writer.into_inner()?.finish()
    }
}

impl ColumnBuilder {
    fn new(ty: ColumnType) -> ColumnBuilder {
        match ty {
            ColumnType::Utf8 => ColumnBuilder::Utf8(StringBuilder::new()),
            ColumnType::ListUtf8 => ColumnBuilder::ListUtf8(ListBuilder::new(StringBuilder::new())),
            ColumnType::Date32 => ColumnBuilder::Date32(Date32Builder::new()),
            ColumnType::Int32 => ColumnBuilder::Int32(Int32Builder::new()),
            ColumnType::Int64 => ColumnBuilder::Int64(Int64Builder::new()),
            ColumnType::Bool => ColumnBuilder::Bool(BooleanBuilder::new()),
        }
    }

    /// The array of the values appended so far; the builder starts again empty.
    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Utf8(b) => Arc::new(b.finish()),
            ColumnBuilder::ListUtf8(b) => Arc::new(b.finish()),
            ColumnBuilder::Date32(b) => Arc::new(b.finish()),
            ColumnBuilder::Int32(b) => Arc::new(b.finish()),
            ColumnBuilder::Int64(b) => Arc::new(b.finish()),
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

// Each value goes to the builder of the column the cursor accepted it for. The builders were made
// from the column types the cursor checks, so a value always finds a builder of its type.
impl RowWriter for Batch {
    fn text(&mut self, column: &'static str, value: Option<&str>) {
        let index = self.cursor.advance(column, ColumnType::Utf8);
        if let Some(ColumnBuilder::Utf8(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            b.append_option(value);
        }
    }

    fn texts(&mut self, column: &'static str, value: &[String]) {
        let index = self.cursor.advance(column, ColumnType::ListUtf8);
        if let Some(ColumnBuilder::ListUtf8(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            for item in value {
                b.values().append_value(item);
            }
            b.append(true);
        }
    }

    fn date(&mut self, column: &'static str, value: Option<i32>) {
        let index = self.cursor.advance(column, ColumnType::Date32);
        if let Some(ColumnBuilder::Date32(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            b.append_option(value);
        }
    }

    fn int(&mut self, column: &'static str, value: Option<i32>) {
        let index = self.cursor.advance(column, ColumnType::Int32);
        if let Some(ColumnBuilder::Int32(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            b.append_option(value);
        }
    }

    fn int64(&mut self, column: &'static str, value: Option<i64>) {
        let index = self.cursor.advance(column, ColumnType::Int64);
        if let Some(ColumnBuilder::Int64(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            b.append_option(value);
        }
    }

    fn bool(&mut self, column: &'static str, value: bool) {
        let index = self.cursor.advance(column, ColumnType::Bool);
        if let Some(ColumnBuilder::Bool(b)) = index.and_then(|i| self.columns.get_mut(i)) {
            b.append_value(value);
        }
    }
}
