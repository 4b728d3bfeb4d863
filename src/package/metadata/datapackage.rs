//! `datapackage.json`: a Data Package (v2) with one resource per table and format.

use serde_json::{Value, json};

use crate::export::sink::RELEASE_FORMATS;
use crate::export::table::{ColumnType, TableSpec};
use crate::package::facts::ReleaseFacts;

pub const PROFILE: &str = "https://datapackage.org/profiles/2.0/datapackage.json";

pub fn datapackage(f: &ReleaseFacts) -> Value {
    let ds = f.dataset;
    let mut resources = Vec::new();
    for spec in &f.specs {
        // The tabular resource first and under the table's own name; the others as its twins.
        let formats = RELEASE_FORMATS
            .iter()
            .filter(|f| f.tabular_resource)
            .chain(RELEASE_FORMATS.iter().filter(|f| !f.tabular_resource));
        for file_format in formats {
            let (format, mediatype) = (file_format.extension, file_format.media_type);
            let suffix = if file_format.tabular_resource {
                String::new()
            } else {
                format!("-{format}")
            };
            let path = format!("{}.{format}", spec.name);
            let Some(d) = f.files.get(&path) else {
                continue;
            };
            // Parquet twins are declared `file` resources: frictionless' Parquet reader checks
            // neither bytes nor hash and mis-reads list columns, whereas as files their bytes and
            // hash are verified. They carry the same Table Schema as their CSV twin, whose rows
            // frictionless validates; our own test suite reads the Parquet with pyarrow, polars
            // and DuckDB and compares it with the CSV row by row.
            let resource_type = if file_format.tabular_resource {
                "table"
            } else {
                "file"
            };
            let mut r = json!({
                "name": format!("{}{suffix}", spec.name),
                "type": resource_type,
                "title": format!("{} ({})", spec.name, format.to_uppercase()),
                "description": spec.description,
                "path": format!("data/{path}"),
                "format": format,
                "mediatype": mediatype,
                "bytes": d.bytes,
                "hash": format!("sha256:{}", d.sha256),
                "schema": table_schema(spec),
            });
            if file_format.tabular_resource
                && let Some(o) = r.as_object_mut()
            {
                o.insert("encoding".into(), json!("utf-8"));
            }
            resources.push(r);
        }
    }
    if let Some(d) = f.files.get("records.jsonl") {
        resources.push(json!({
            "name": "records-jsonl",
            "type": "file",
            "title": "records (JSON Lines)",
            "description": "The full nested records, one JSON object per line, in id order; each validates against schema/<kind>.schema.json.",
            "path": "data/records.jsonl",
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "encoding": "utf-8",
            "bytes": d.bytes,
            "hash": format!("sha256:{}", d.sha256),
        }));
    }
    for (path, format, mediatype, description) in crate::package::citation::files::FILES {
        if let Some(d) = f.files.get(path) {
            resources.push(json!({
                "name": path.replace('.', "-"),
                "type": "file",
                "title": format!("citations ({})", format.to_uppercase()),
                "description": description,
                "path": format!("data/{path}"),
                "format": format,
                "mediatype": mediatype,
                "encoding": "utf-8",
                "bytes": d.bytes,
                "hash": format!("sha256:{}", d.sha256),
            }));
        }
    }
    for c in &f.compilations {
        let path = format!("sources/{}", c.transcription);
        if let Some(d) = f.files.get(&path) {
            resources.push(json!({
                "name": format!("source-{}", c.id),
                "type": "file",
                "title": format!("Transcription of {}", ReleaseFacts::compilation_title(c)),
                "description": "The plain-text transcription the records' line spans refer to, byte for byte as received.",
                "path": format!("data/{path}"),
                "format": "txt",
                "mediatype": "text/plain",
                "encoding": "utf-8",
                "bytes": d.bytes,
                "hash": format!("sha256:{}", d.sha256),
            }));
        }
    }
    let mut contributors: Vec<Value> = ds
        .creators
        .iter()
        .map(|c| json!({ "title": c.name, "roles": ["creator"] }))
        .collect();
    contributors.push(json!({ "title": ds.publisher, "roles": ["publisher"] }));
    let mut licenses = json!([{ "name": ds.license, "title": ds.license }]);
    if let Some(url) = f.license_url()
        && let Some(o) = licenses.get_mut(0).and_then(Value::as_object_mut)
    {
        o.insert("path".into(), json!(url));
    }
    let sources: Vec<Value> = f
        .compilations
        .iter()
        .map(|c| json!({ "title": ReleaseFacts::compilation_title(c) }))
        .collect();
    json!({
        "$schema": PROFILE,
        "name": ds.name,
        "id": f.release_name(),
        "title": ds.title,
        "description": f.description(),
        "version": ds.version,
        "created": format!("{}T00:00:00Z", f.date),
        "keywords": ds.keywords,
        "licenses": licenses,
        "contributors": contributors,
        "sources": sources,
        "resources": resources,
    })
}

/// The Table Schema of one table; foreign keys point at the CSV resources (named as the tables).
pub fn table_schema(spec: &TableSpec) -> Value {
    let fields: Vec<Value> = spec
        .columns
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::Utf8 => "string",
                ColumnType::ListUtf8 => "array",
                ColumnType::Date32 => "date",
                ColumnType::Int32 | ColumnType::Int64 => "integer",
                ColumnType::Bool => "boolean",
            };
            let mut field = json!({ "name": c.name, "type": ty, "description": c.description });
            let mut constraints = serde_json::Map::new();
            if !c.nullable {
                constraints.insert("required".into(), json!(true));
            }
            if let Some(values) = &c.allowed {
                constraints.insert("enum".into(), json!(values));
            }
            if !constraints.is_empty()
                && let Some(o) = field.as_object_mut()
            {
                o.insert("constraints".into(), Value::Object(constraints));
            }
            field
        })
        .collect();
    let foreign_keys: Vec<Value> = spec
        .foreign_keys
        .iter()
        .map(|fk| {
            let mut reference = json!({ "fields": fk.reference });
            if fk.table != spec.name
                && let Some(o) = reference.as_object_mut()
            {
                o.insert("resource".into(), json!(fk.table));
            }
            json!({ "fields": fk.columns, "reference": reference })
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": spec.primary_key,
        "foreignKeys": foreign_keys,
        "missingValues": [""],
    })
}
