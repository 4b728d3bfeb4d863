//! JSON Schemas (draft 2020-12) generated from the model's Rust types, one per record kind.
//!
//! The same schemas are published in schema/ and in every release, and `khojaly validate` checks
//! every data file against them: what we publish is what we enforce.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::{Agents, Compilation, Dataset, Kind, Record};

fn root_schema<T: JsonSchema>() -> Value {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The schema of one record kind: the record with `kind` fixed and only that kind's field table.
pub fn record_schema(kind: Kind) -> Value {
    let mut schema = root_schema::<Record>();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), json!(format!("{} record", kind.as_str())));
        obj.insert(
            "description".into(),
            json!(format!(
                "One `{}` record. {} Every field is what the printed source gives; absent values carry their reason in a *_absent_reason field.",
                kind.as_str(),
                kind.description()
            )),
        );
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(
                "kind".into(),
                json!({ "const": kind.as_str(), "description": "What sort of document this is; equals the folder the record file is in." }),
            );
            for other in Kind::ALL {
                if other != kind {
                    props.remove(other.as_str());
                }
            }
        }
    }
    prune_definitions(&mut schema);
    schema
}

pub fn dataset_schema() -> Value {
    root_schema::<Dataset>()
}

pub fn agents_schema() -> Value {
    root_schema::<Agents>()
}

pub fn compilation_schema() -> Value {
    root_schema::<Compilation>()
}

/// Removes `$defs` entries that nothing refers to any more.
fn prune_definitions(schema: &mut Value) {
    let Some(defs) = schema.get("$defs").and_then(Value::as_object).cloned() else {
        return;
    };
    let mut keep = BTreeSet::new();
    let mut frontier = vec![{
        let mut without = schema.clone();
        if let Some(o) = without.as_object_mut() {
            o.remove("$defs");
        }
        without
    }];
    while let Some(v) = frontier.pop() {
        for name in refs(&v) {
            if keep.insert(name.clone())
                && let Some(def) = defs.get(&name)
            {
                frontier.push(def.clone());
            }
        }
    }
    if let Some(o) = schema.as_object_mut() {
        let kept: serde_json::Map<String, Value> =
            defs.into_iter().filter(|(k, _)| keep.contains(k)).collect();
        if kept.is_empty() {
            o.remove("$defs");
        } else {
            o.insert("$defs".into(), Value::Object(kept));
        }
    }
}

fn refs(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "$ref"
                    && let Some(name) = x.as_str().and_then(|s| s.strip_prefix("#/$defs/"))
                {
                    out.push(name.to_string());
                }
                out.extend(refs(x));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| out.extend(refs(x))),
        _ => {}
    }
    out
}

/// The schema of a kind's own field table (`[media_item]`, ...), as a root schema.
pub fn kind_fields_schema(kind: Kind) -> Value {
    use super::kinds::*;
    macro_rules! schema_of {
        ([$kind:expr] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
            match $kind {
                $(Kind::$variant => root_schema::<$fields>(),)*
            }
        };
    }
    with_kinds!(schema_of, kind)
}

/// The values an enum-typed schema node allows (following one `$ref`), if it is an enum.
pub fn enum_values(root: &Value, node: &Value) -> Option<Vec<String>> {
    let node = match node.get("anyOf").and_then(Value::as_array) {
        Some(branches) => branches
            .iter()
            .find(|b| b.get("type") != Some(&json!("null")))?,
        None => node,
    };
    let node = match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root.get("$defs")?.get(r.trim_start_matches("#/$defs/"))?,
        None => node,
    };
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return Some(
            values
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        );
    }
    // schemars writes documented unit variants as oneOf [{const, description}, ...].
    let variants = node.get("oneOf").and_then(Value::as_array)?;
    variants
        .iter()
        .map(|v| v.get("const").and_then(Value::as_str).map(String::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_schema_fixes_the_kind_and_keeps_only_its_table() {
        for kind in Kind::ALL {
            let s = record_schema(kind);
            assert_eq!(s["properties"]["kind"]["const"], kind.as_str());
            assert!(s["properties"].get(kind.as_str()).is_some());
            for other in Kind::ALL.into_iter().filter(|k| *k != kind) {
                assert!(
                    s["properties"].get(other.as_str()).is_none(),
                    "{kind}: {other}"
                );
            }
            assert_eq!(s["additionalProperties"], false);
        }
    }

    #[test]
    fn every_field_has_a_description() {
        fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
            if let Some(props) = v.get("properties").and_then(Value::as_object) {
                for (name, p) in props {
                    if p.get("description").is_none() {
                        missing.push(format!("{path}/{name}"));
                    }
                }
            }
            if let Some(defs) = v.get("$defs").and_then(Value::as_object) {
                for (name, d) in defs {
                    walk(d, &format!("{path}$defs/{name}"), missing);
                }
            }
        }
        let mut missing = Vec::new();
        for kind in Kind::ALL {
            walk(&record_schema(kind), kind.as_str(), &mut missing);
        }
        walk(&dataset_schema(), "dataset", &mut missing);
        walk(&agents_schema(), "agents", &mut missing);
        walk(&compilation_schema(), "compilation", &mut missing);
        assert!(
            missing.is_empty(),
            "fields without a description: {missing:?}"
        );
    }
}
