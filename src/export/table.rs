//! Release tables described once: their columns, types, keys and descriptions, and the typed
//! rows that fill them.
//!
//! One `TableSpec` drives every output of a table (Parquet schema, CSV header, JSON Schema of a
//! row, and the metadata standards), so the formats cannot drift apart. A row is a struct of the
//! table's own (`tables/`); it gives its values to a `RowWriter` in column order, each under its
//! column's name, and every sink checks them against the spec.

use serde_json::{Value, json};

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Utf8,
    /// A list of strings; in CSV written as a JSON array.
    ListUtf8,
    /// A calendar date; in CSV written as YYYY-MM-DD.
    Date32,
    Int32,
    /// A 64-bit integer, for counts that may exceed 2^31 (a claim's bounds).
    Int64,
    Bool,
}

/// One column.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    pub description: String,
    /// Allowed values, when the column holds an enumeration.
    pub allowed: Option<Vec<String>>,
}

/// A foreign key from this table's columns to another table's.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub reference: Vec<String>,
}

/// One release table.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub name: String,
    pub description: String,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

/// One row of a table as a typed struct, one field per column. Sinks read its values through
/// `write_values`, column after column, so no row is turned into a list of cells first.
pub trait TableRow {
    /// Gives `out` the value of each column, in the table's column order, each under its
    /// column's name (sinks check the name and type against the table's spec).
    fn write_values(&self, out: &mut dyn RowWriter);
}

/// Takes one row's values, one column after another.
pub trait RowWriter {
    /// A `Utf8` value.
    fn text(&mut self, column: &'static str, value: Option<&str>);
    /// A `ListUtf8` value (never null: an absent list is empty).
    fn texts(&mut self, column: &'static str, value: &[String]);
    /// A `Date32` value, in days since 1970-01-01.
    fn date(&mut self, column: &'static str, value: Option<i32>);
    /// An `Int32` value.
    fn int(&mut self, column: &'static str, value: Option<i32>);
    /// An `Int64` value.
    fn int64(&mut self, column: &'static str, value: Option<i64>);
    /// A `Bool` value.
    fn bool(&mut self, column: &'static str, value: bool);
}

/// The columns a row writes, by name and type, in order: how a row type's columns are read off
/// its `write_values` (the per-kind tables).
#[derive(Debug, Default)]
pub struct WrittenColumns {
    pub columns: Vec<(&'static str, ColumnType)>,
}

impl RowWriter for WrittenColumns {
    fn text(&mut self, column: &'static str, _: Option<&str>) {
        self.columns.push((column, ColumnType::Utf8));
    }
    fn texts(&mut self, column: &'static str, _: &[String]) {
        self.columns.push((column, ColumnType::ListUtf8));
    }
    fn date(&mut self, column: &'static str, _: Option<i32>) {
        self.columns.push((column, ColumnType::Date32));
    }
    fn int(&mut self, column: &'static str, _: Option<i32>) {
        self.columns.push((column, ColumnType::Int32));
    }
    fn int64(&mut self, column: &'static str, _: Option<i64>) {
        self.columns.push((column, ColumnType::Int64));
    }
    fn bool(&mut self, column: &'static str, _: bool) {
        self.columns.push((column, ColumnType::Bool));
    }
}

/// An `Int32` value from any count or number; a value beyond i32 (never seen in this corpus)
/// saturates rather than wrapping.
pub fn int32<T: TryInto<i32>>(v: T) -> i32 {
    v.try_into().unwrap_or(i32::MAX)
}

impl ForeignKey {
    pub fn new(columns: &[&str], table: &str, reference: &[&str]) -> ForeignKey {
        ForeignKey {
            columns: keys(columns),
            table: table.into(),
            reference: keys(reference),
        }
    }
}

/// Column names as owned strings (primary and foreign keys).
pub fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

impl Column {
    pub fn new(name: &str, ty: ColumnType, nullable: bool, description: &str) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable,
            description: description.into(),
            allowed: None,
        }
    }

    pub fn allowed(mut self, values: &[&str]) -> Column {
        self.allowed = Some(values.iter().map(|s| s.to_string()).collect());
        self
    }

    /// JSON Schema of one value of this column.
    pub fn json_schema(&self) -> Value {
        let mut s = match self.ty {
            ColumnType::Utf8 => json!({ "type": "string" }),
            ColumnType::ListUtf8 => json!({ "type": "array", "items": { "type": "string" } }),
            ColumnType::Date32 => json!({ "type": "string", "format": "date" }),
            ColumnType::Int32 | ColumnType::Int64 => json!({ "type": "integer" }),
            ColumnType::Bool => json!({ "type": "boolean" }),
        };
        if let Some(values) = &self.allowed
            && let Some(o) = s.as_object_mut()
        {
            o.insert("enum".into(), json!(values));
        }
        if self.nullable {
            s = json!({ "anyOf": [s, { "type": "null" }] });
        }
        if let Some(o) = s.as_object_mut() {
            o.insert("description".into(), json!(self.description));
        }
        s
    }
}

impl TableSpec {
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// JSON Schema (draft 2020-12) of one row of this table.
    pub fn json_schema(&self) -> Value {
        let props: serde_json::Map<String, Value> = self
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.json_schema()))
            .collect();
        let required: Vec<&str> = self.column_names();
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": format!("{} table row", self.name),
            "description": self.description,
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        })
    }
}
