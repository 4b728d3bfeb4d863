//! Structural checks: a data file against its JSON Schema, with every problem located.

use jsonschema::ValidationError;
use jsonschema::Validator;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use crate::load::source::push_pointer_key;
use crate::load::{SourceFile, SpannedDocument};
use crate::validate::rule::Rule;

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
    let ctx = Context {
        schema,
        doc,
        source,
        schema_name,
    };
    let mut out = Vec::new();
    for error in validator.iter_errors(&doc.value) {
        ctx.report(&error, &mut out);
    }
    // `format: uint32` and the like are annotations only in JSON Schema; the types that load
    // the data enforce them, so check them here and name the range rather than a Rust type.
    ctx.check_ranges(schema, &doc.value, &mut String::new(), &mut out);
    // Branches of `anyOf`/`oneOf` can report one fault twice; keep the first of each.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|d| seen.insert((d.span.as_ref().map(|s| (s.start, s.end)), d.message.clone())));
    out
}

/// What reporting a schema error needs.
struct Context<'a> {
    schema: &'a Value,
    doc: &'a SpannedDocument,
    source: &'a SourceFile,
    schema_name: &'a str,
}

impl Context<'_> {
    fn report(&self, error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
        let pointer = error.instance_path().as_str().to_string();
        let field = pointer_display(&pointer);
        let schema_name = self.schema_name;
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                for key in unexpected {
                    let mut child = pointer.clone();
                    push_pointer_key(&mut child, key);
                    let span = self
                        .doc
                        .locate(&child)
                        .map(|l| l.key.clone().unwrap_or(l.value.clone()));
                    let known = known_properties(self.schema, &pointer);
                    let mut d = Diagnostic::new(
                        Rule::UnknownField,
                        &self.source.path,
                        format!("unknown field `{key}`{}", in_table(&field)),
                    )
                    .at(span)
                    .pointer(child.clone())
                    .label("not a field of this table");
                    d = match suggest(key, &known) {
                        Some(s) => d.help(format!(
                            "did you mean `{s}`? Field names are listed in {schema_name}"
                        )),
                        None if known.is_empty() => {
                            d.help(format!("remove it; see {schema_name} for the fields"))
                        }
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
                let span = self
                    .doc
                    .locate(&pointer)
                    .map(|l| l.key.clone().unwrap_or(l.value.clone()));
                let span = if pointer.is_empty() { Some(0..0) } else { span };
                out.push(
                    Diagnostic::new(
                        Rule::MissingField,
                        &self.source.path,
                        format!("missing field `{name}`{}", in_table(&field)),
                    )
                    .at(span)
                    .help(format!(
                        "add `{name} = ...`; see {schema_name} for what it holds"
                    )),
                );
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // A list of constants is an enumeration: name the allowed values.
                if let Some(allowed) = constants(context) {
                    out.push(self.not_one_of(error, &pointer, &allowed));
                    return;
                }
                // Otherwise the one branch whose type fits the value (a table rather than
                // nothing, say) explains what is wrong inside it.
                let fitting: Vec<&Vec<ValidationError<'static>>> = context
                    .iter()
                    .filter(|branch| {
                        !branch.is_empty()
                            && !branch.iter().any(|e| {
                                matches!(e.kind(), ValidationErrorKind::Type { .. })
                                    && e.instance_path().as_str() == pointer
                            })
                    })
                    .collect();
                if let [branch] = fitting.as_slice() {
                    for e in branch.iter() {
                        self.report(e, out);
                    }
                } else {
                    out.push(self.generic(error, &pointer));
                }
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<Value> = options.as_array().cloned().unwrap_or_default();
                out.push(self.not_one_of(error, &pointer, &allowed));
            }
            ValidationErrorKind::Constant { expected_value } => {
                out.push(self.not_one_of(error, &pointer, &[(**expected_value).clone()]));
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(&t.to_string()).to_string(),
                    TypeKind::Multiple(ts) => ts
                        .iter()
                        .map(|t| type_name(&t.to_string()).to_string())
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let found = describe(error.instance());
                let span = self.doc.locate(&pointer).map(|l| l.value.clone());
                out.push(
                    Diagnostic::new(
                        Rule::WrongType,
                        &self.source.path,
                        format!("`{field}` must be {expected}, not {found}"),
                    )
                    .at(span)
                    .label(format!("found {}", short(error.instance())))
                    .help(type_help(&expected, &field, schema_name)),
                );
            }
            _ => out.push(self.generic(error, &pointer)),
        }
    }

    /// `pointer` is the value's JSON pointer, one buffer grown and cut back on the way down
    /// (a string per value was a visible share of checking a record).
    fn check_ranges(
        &self,
        node: &Value,
        value: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
    ) {
        use std::fmt::Write;
        let len = pointer.len();
        match value {
            // Only numbers have ranges to check.
            Value::Object(map) => {
                let properties = resolve(self.schema, node).get("properties");
                for (k, v) in map {
                    if matches!(v, Value::String(_) | Value::Bool(_) | Value::Null) {
                        continue;
                    }
                    if let Some(child) = properties.and_then(|p| p.get(k)) {
                        push_pointer_key(pointer, k);
                        self.check_ranges(child, v, pointer, out);
                        pointer.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(child) = resolve(self.schema, node).get("items") {
                    for (i, v) in items.iter().enumerate() {
                        if matches!(v, Value::String(_) | Value::Bool(_) | Value::Null) {
                            continue;
                        }
                        let _ = write!(pointer, "/{i}");
                        self.check_ranges(child, v, pointer, out);
                        pointer.truncate(len);
                    }
                }
            }
            Value::Number(n) => {
                let Some((lo, hi)) = resolve(self.schema, node)
                    .get("format")
                    .and_then(Value::as_str)
                    .and_then(int_range)
                else {
                    return;
                };
                let inside = match (n.as_i64(), n.as_u64()) {
                    (Some(i), _) => i128::from(i) >= lo && i128::from(i) <= hi,
                    (None, Some(u)) => i128::from(u) <= hi,
                    _ => false,
                };
                if !inside {
                    let field = pointer_display(pointer);
                    out.push(
                        Diagnostic::new(
                            Rule::WrongType,
                            &self.source.path,
                            format!(
                                "`{field}` is {}, which is out of range: it takes a whole number from {lo} to {hi}",
                                if n.as_i64().is_some() || n.as_u64().is_some() {
                                    n.to_string()
                                } else {
                                    "a number too large to store".to_string()
                                }
                            ),
                        )
                        .at(self.doc.locate(pointer).map(|l| l.value.clone()))
                        .label("out of range")
                        .help(format!("write a whole number from {lo} to {hi}; see {} for what `{field}` holds", self.schema_name)),
                    );
                }
            }
            _ => {}
        }
    }

    fn not_one_of(
        &self,
        error: &ValidationError<'_>,
        pointer: &str,
        allowed: &[Value],
    ) -> Diagnostic {
        let field = pointer_display(pointer);
        let names: Vec<String> = allowed
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect();
        let span = self.doc.locate(pointer).map(|l| l.value.clone());
        let found = error.instance();
        let mut d = Diagnostic::new(
            Rule::WrongType,
            &self.source.path,
            format!(
                "`{field}` is {}, which is not an allowed value",
                short(found)
            ),
        )
        .at(span)
        .label("not an allowed value");
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        d = match found.as_str().and_then(|f| suggest(f, &names)) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? The allowed values are: {list}"
            )),
            None => d.help(format!("write one of: {list}")),
        };
        d
    }

    fn generic(&self, error: &ValidationError<'_>, pointer: &str) -> Diagnostic {
        let field = pointer_display(pointer);
        let span = self.doc.locate(pointer).map(|l| l.value.clone());
        let found = short(error.instance());
        let what = match error.kind() {
            ValidationErrorKind::MinItems { limit } => {
                format!("`{field}` needs at least {limit} item{}", plural(*limit))
            }
            ValidationErrorKind::MaxItems { limit } => {
                format!("`{field}` takes at most {limit} item{}", plural(*limit))
            }
            ValidationErrorKind::Minimum { limit } => {
                format!("`{field}` is {found}, below the smallest allowed value {limit}")
            }
            ValidationErrorKind::Maximum { limit } => {
                format!("`{field}` is {found}, above the largest allowed value {limit}")
            }
            ValidationErrorKind::MinLength { limit } => {
                format!(
                    "`{field}` must be at least {limit} character{} long",
                    plural(*limit)
                )
            }
            _ => format!("`{field}` is not valid: {}", without_instance(error)),
        };
        let help = match error.kind() {
            ValidationErrorKind::MinItems { limit } | ValidationErrorKind::MaxItems { limit } => {
                format!(
                    "give {limit} item{} or {}{}; see {} for what `{field}` holds",
                    plural(*limit),
                    if matches!(error.kind(), ValidationErrorKind::MinItems { .. }) {
                        "more"
                    } else {
                        "fewer"
                    },
                    if field.ends_with("lines") {
                        " (`lines = [first, last]`)"
                    } else {
                        ""
                    },
                    self.schema_name
                )
            }
            _ => format!(
                "see {} for the allowed values of `{field}`",
                self.schema_name
            ),
        };
        Diagnostic::new(Rule::WrongType, &self.source.path, what)
            .at(span)
            .label(format!("found {found}"))
            .help(help)
    }
}

/// The range of the integer formats schemars writes for Rust integer types.
fn int_range(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" | "uint" => (0, u32::MAX.into()),
        "uint64" => (0, u64::MAX.into()),
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" | "int" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The values of an `anyOf`/`oneOf` whose every branch is a constant or an enumeration.
fn constants(context: &[Vec<ValidationError<'static>>]) -> Option<Vec<Value>> {
    let mut values = Vec::new();
    for branch in context {
        let mut found = false;
        for e in branch {
            match e.kind() {
                ValidationErrorKind::Constant { expected_value } => {
                    values.push((**expected_value).clone());
                    found = true;
                }
                ValidationErrorKind::Enum { options } => {
                    values.extend(options.as_array().cloned().unwrap_or_default());
                    found = true;
                }
                // A constant of the wrong type also fails its `type`; that adds nothing.
                ValidationErrorKind::Type { .. } => {}
                _ => return None,
            }
        }
        if !found {
            return None;
        }
    }
    (!values.is_empty()).then_some(values)
}

/// JSON Schema type names in the words of a TOML file.
fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "a string in quotes",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list `[...]`",
        "object" => "a table",
        "null" => "absent",
        _ => "another type",
    }
}

/// What a value is, in TOML words.
fn describe(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::Bool(_) => "true/false",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
        Value::Null => "nothing",
    }
}

fn type_help(expected: &str, field: &str, schema_name: &str) -> String {
    if field.ends_with(']') && expected.starts_with("a string") {
        format!("write each item of the list in quotes: `[\"...\", \"...\"]`; see {schema_name}")
    } else if expected.starts_with("a list") {
        format!(
            "write `{field} = [ ... ]` (a single value also goes in brackets); see {schema_name}"
        )
    } else if expected.starts_with("a string") {
        format!("put the value in quotes: `{field} = \"...\"`; see {schema_name}")
    } else {
        format!("see {schema_name} for what `{field}` holds")
    }
}

/// The validator's message without the (possibly long) instance it starts with.
fn without_instance(error: &ValidationError<'_>) -> String {
    let message = error.to_string();
    let instance = error.instance().to_string();
    message
        .strip_prefix(&instance)
        .map(|m| m.trim_start().to_string())
        .unwrap_or(message)
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
fn known_properties(schema: &Value, pointer: &str) -> Vec<String> {
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
                .find(|b| b.get("type").and_then(Value::as_str) != Some("null"))
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
