//! Release tables described once: their columns, types, keys and descriptions.
//!
//! One `TableSpec` drives every output of a table (Parquet schema, CSV header, JSON Schema of a
//! row, and the metadata standards), so the formats cannot drift apart.

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

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Str(String),
    List(Vec<String>),
    Date(i32),
    Int(i32),
    Bool(bool),
}

impl Cell {
    /// An integer cell from any count or number; a value beyond i32 (never seen in this corpus)
    /// saturates rather than wrapping.
    pub fn int<T: TryInto<i32>>(v: T) -> Cell {
        Cell::Int(v.try_into().unwrap_or(i32::MAX))
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        v.map(Cell::Str).unwrap_or(Cell::Null)
    }
}

impl From<&Option<String>> for Cell {
    fn from(v: &Option<String>) -> Cell {
        v.clone().into()
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Str(v.to_string())
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Str(v)
    }
}

impl From<&[String]> for Cell {
    fn from(v: &[String]) -> Cell {
        Cell::List(v.to_vec())
    }
}

/// A row: one cell per column, in column order.
pub type Row = Vec<Cell>;

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
            ColumnType::Int32 => json!({ "type": "integer" }),
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
