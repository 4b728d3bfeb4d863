//! The JSON Schema files we publish: one per record kind, one per data file, one per table.

use std::path::PathBuf;

use serde_json::Value;

use crate::model::Kind;
use crate::model::schema::{agents_schema, compilation_schema, dataset_schema, record_schema};

/// Every schema file as (path relative to the schema directory, contents).
pub fn schema_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for kind in Kind::ALL {
        files.push((
            PathBuf::from(format!("{}.schema.json", kind.as_str())),
            pretty(&record_schema(kind)),
        ));
    }
    files.push((
        PathBuf::from("dataset.schema.json"),
        pretty(&dataset_schema()),
    ));
    files.push((
        PathBuf::from("agents.schema.json"),
        pretty(&agents_schema()),
    ));
    files.push((
        PathBuf::from("compilation.schema.json"),
        pretty(&compilation_schema()),
    ));
    for spec in super::all_specs() {
        files.push((
            PathBuf::from("tables").join(format!("{}.schema.json", spec.name)),
            pretty(&spec.json_schema()),
        ));
    }
    files.sort();
    files
}

/// Pretty JSON with sorted keys and a final newline: stable bytes for the same value.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
