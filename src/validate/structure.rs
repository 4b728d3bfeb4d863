//! Structural checks: a data file against its JSON Schema, with every problem located.

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::diagnostic::Diagnostic;
use crate::load::{SourceFile, SpannedDocument};

/// Compiles one of our own schemas; they are generated from our types, so failure is a bug.
pub fn compile(schema: &Value) -> anyhow::Result<Validator> {
    jsonschema::validator_for(schema)
        .map_err(|e| anyhow::anyhow!("internal schema is invalid: {e}"))
}

/// Checks `doc` against `validator`; returns one diagnostic per problem.
pub fn check(
    validator: &Validator,
    schema: &Value,
    doc: &SpannedDocument,
    source: &SourceFile,
    schema_name: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in validator.iter_errors(&doc.value) {
        let pointer = error.instance_path().as_str().to_string();
        let field = pointer_display(&pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let span = doc
                        .locate(&child)
                        .map(|l| l.key.clone().unwrap_or(l.value.clone()));
                    let known = known_properties(schema, &doc.value, &pointer);
                    let mut d = Diagnostic::new(
                        "unknown-field",
                        &source.path,
                        format!("unknown field `{key}`{}", in_table(&field)),
                    )
                    .at(span)
                    .pointer(child.clone())
                    .label("not a field of this table");
                    d = match suggest(key, &known) {
                        Some(s) => d.help(format!(
                            "did you mean `{s}`? Field names are listed in {schema_name}"
                        )),
                        None => d.help(format!(
                            "remove it; the allowed fields here are: {}",
                            known.join(", ")
                        )),
                    };
                    out.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let span = doc
                    .locate(&pointer)
                    .map(|l| l.key.clone().unwrap_or(l.value.clone()));
                let span = if pointer.is_empty() { Some(0..0) } else { span };
                out.push(
                    Diagnostic::new(
                        "missing-field",
                        &source.path,
                        format!("missing field `{name}`{}", in_table(&field)),
                    )
                    .at(span)
                    .help(format!(
                        "add `{name} = ...`; see {schema_name} for what it holds"
                    )),
                );
            }
            _ => {
                let span = doc.locate(&pointer).map(|l| l.value.clone());
                let found = short(error.instance());
                out.push(
                    Diagnostic::new(
                        "wrong-type",
                        &source.path,
                        format!("`{field}` is not valid: {error}"),
                    )
                    .at(span)
                    .label(format!("found {found}"))
                    .help(format!(
                        "see {schema_name} for the allowed values of `{field}`"
                    )),
                );
            }
        }
    }
    out
}

fn in_table(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!(" in `{field}`")
    }
}

/// `/appearances/0/lines` is shown as `appearances[1].lines` (1-based, as people count).
pub fn pointer_display(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        match seg.parse::<usize>() {
            Ok(i) => out.push_str(&format!("[{}]", i + 1)),
            Err(_) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&seg);
            }
        }
    }
    out
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// Property names allowed at `pointer` (following `$ref`s and `anyOf` branches).
fn known_properties(schema: &Value, instance: &Value, pointer: &str) -> Vec<String> {
    let mut node = resolve(schema, schema);
    for seg in pointer.split('/').skip(1) {
        let next = if seg.parse::<usize>().is_ok() {
            node.get("items")
        } else {
            node.get("properties").and_then(|p| p.get(seg))
        };
        match next {
            Some(n) => node = resolve(schema, n),
            None => return Vec::new(),
        }
    }
    let _ = instance;
    let mut names: Vec<String> = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            match root.get("$defs").and_then(|d| d.get(name)) {
                Some(n) => node = n,
                None => return node,
            }
        } else if let Some(branch) = node.get("anyOf").and_then(Value::as_array).and_then(|a| {
            a.iter()
                .find(|b| b.get("type") != Some(&Value::String("null".into())))
        }) {
            node = branch;
        } else {
            return node;
        }
    }
    node
}

fn suggest(key: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_shown_as_people_count() {
        assert_eq!(
            pointer_display("/appearances/0/lines/1"),
            "appearances[1].lines[2]"
        );
        assert_eq!(pointer_display(""), "");
    }
}
