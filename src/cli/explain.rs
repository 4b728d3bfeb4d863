//! `khojaly validate --explain ID`: the alignment of one record's printings, shown line by line.
//!
//! For each printing: its counts, then every line of the span with what accounts for its words
//! (T text, P parallel text, H heading, L layout, O omitted, ? nothing), so a reader can check
//! the proof against the transcription, and a curator can see where a printing departs.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Format;
use crate::compare::alignment::{AlignError, Departure, PieceKind, Role};
use crate::compare::printing::{self, PASSAGE_WORDS, Proof};
use crate::load::DataDir;
use crate::model::Record;

/// Writes the alignment of every printing of record `id`; false when the record is not found.
/// Reads that record and the transcriptions it is printed in, not the rest of the corpus.
pub fn explain(data: &DataDir, id: &str, format: Format, out: &mut dyn Write) -> Result<bool> {
    let Some(one) = crate::load::single::read(data, id).with_context(|| {
        format!("cannot read record {id} to explain it; run `khojaly validate` for its problems")
    })?
    else {
        return Ok(false);
    };
    let record = &one.record;
    let mut transcriptions = BTreeMap::new();
    let mut printings = Vec::new();
    for (i, a) in record.appearances.iter().enumerate() {
        let Some(comp) = one.compilations.get(&a.compilation) else {
            printings.push(json!({ "appearance": i + 1, "compilation": a.compilation, "error": "unknown compilation" }));
            continue;
        };
        if !transcriptions.contains_key(&comp.id) {
            transcriptions.insert(
                comp.id.clone(),
                crate::load::single::transcription(data, comp)?,
            );
        }
        let Some(transcription) = transcriptions.get(&comp.id) else {
            continue;
        };
        let proof = match printing::prove(record, i, transcription) {
            Ok(p) => p,
            Err(e) => {
                printings.push(json!({ "appearance": i + 1, "compilation": a.compilation, "error": format!("{e:?}") }));
                continue;
            }
        };
        printings.push(printing_json(record, i, &proof, transcription));
    }
    let doc = json!({ "record": id, "printings": printings });
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        Format::Human => write_human(&doc, out)?,
    }
    Ok(true)
}

fn role_code(role: Role, proof: &Proof) -> (&'static str, String) {
    match role {
        Role::Unaccounted => ("?", "unaccounted".into()),
        Role::LayoutLine => ("L", "layout line".into()),
        Role::LayoutToken(k) => ("L", format!("layout token {}", k + 1)),
        Role::OmittedLine(k) => ("O", format!("omission {}", k + 1)),
        Role::Piece(p) => match proof.pieces.get(p).map(|p| p.kind) {
            Some(PieceKind::Text) => ("T", "text".into()),
            Some(PieceKind::Parallel(k)) => ("P", format!("parallel text {}", k + 1)),
            Some(PieceKind::Heading(k)) => ("H", format!("heading part {}", k + 1)),
            Some(PieceKind::Section) => ("H", "section heading".into()),
            Some(PieceKind::DateLine) => ("H", "date as printed".into()),
            Some(PieceKind::Omission(k)) => ("O", format!("omission {}", k + 1)),
            None => ("?", "unaccounted".into()),
        },
    }
}

fn printing_json(
    record: &Record,
    i: usize,
    proof: &Proof,
    transcription: &crate::load::Transcription,
) -> Value {
    let Some(a) = record.appearances.get(i) else {
        return json!({ "appearance": i + 1, "error": "no such printing" });
    };
    let [first, last] = a.lines;
    let span = transcription.span(first, last);
    let aligned = !proof.pieces.is_empty();
    let tokens: Vec<Value> = span
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let role = proof.alignment.roles.get(j).copied();
            let (code, what) = match role {
                Some(r) if aligned => role_code(r, proof),
                _ => ("-", "not aligned (no text)".to_string()),
            };
            let mut v =
                json!({ "line": t.line, "printed": t.text, "role": code, "accounted_by": what });
            if let Some(Some(k)) = proof.alignment.glued.get(j)
                && let Some(decl) = a.layout_tokens.get(*k)
                && let Some(obj) = v.as_object_mut()
            {
                obj.insert("glued_marker".into(), json!(decl.suffix));
            }
            v
        })
        .collect();
    let error = proof
        .alignment
        .error
        .as_ref()
        .map(|e| error_json(e, proof, span));
    let c = proof.counts;
    json!({
        "appearance": i + 1,
        "compilation": a.compilation,
        "lines": [first, last],
        "text_status": record.appearance_status(a).as_str(),
        "aligned": aligned,
        "counts": {
            "tokens_in_span": c.tokens, "tokens_text": c.matched, "tokens_heading": c.heading,
            "tokens_layout": c.layout, "tokens_omitted": c.omitted, "glued_markers": c.glued_markers,
            "unaccounted": if aligned { c.unaccounted } else { 0 },
        },
        "words_lacking": printing::lacked_words(record, i, PASSAGE_WORDS),
        "error": error,
        "pieces": proof.pieces.iter().map(|p| json!({ "kind": format!("{:?}", p.kind), "required": p.required, "tokens": p.tokens })).collect::<Vec<_>>(),
        "lines_text": (first..=last).map(|n| transcription.line(n).to_string()).collect::<Vec<_>>(),
        "tokens": tokens,
    })
}

fn error_json(e: &AlignError, proof: &Proof, span: &[crate::load::PrintedToken]) -> Value {
    let printed = |j: usize| {
        span.get(j)
            .map(|t| json!({ "line": t.line, "printed": t.text, "index": j }))
    };
    let piece = |p: usize| proof.pieces.get(p).map(|p| format!("{:?}", p.kind));
    match *e {
        AlignError::NoSuchLayoutToken { index } => {
            json!({ "kind": "no_such_layout_token", "layout_token": index + 1 })
        }
        AlignError::AmbiguousLayoutToken { index, count } => {
            json!({ "kind": "ambiguous_layout_token", "layout_token": index + 1, "count": count })
        }
        AlignError::BadSuffix { index } => {
            json!({ "kind": "bad_suffix", "layout_token": index + 1 })
        }
        AlignError::Unaccounted { at, after } => {
            json!({ "kind": "unaccounted", "at": printed(at), "after_piece": after.and_then(piece) })
        }
        AlignError::Departs {
            piece: p,
            token,
            at,
            how,
        } => json!({
            "kind": "departs",
            "piece": piece(p),
            "piece_token": token,
            "word": proof.pieces.get(p).and_then(|x| x.tokens.get(token)),
            "at": printed(at),
            "how": match how { Departure::Lacks { count } => format!("lacks {count}"), Departure::Adds => "adds".into(), Departure::Differs => "differs".into() },
        }),
        AlignError::RunsPast { piece: p, token } => {
            json!({ "kind": "runs_past", "piece": piece(p), "piece_token": token })
        }
        AlignError::NotFound { piece: p } => json!({ "kind": "not_found", "piece": piece(p) }),
    }
}

/// The first (k = 0) or last (k = 1) line of a printing's span in the explain JSON.
fn line_of(p: &Value, k: usize) -> u64 {
    p.get("lines")
        .and_then(|l| l.get(k))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

fn write_human(doc: &Value, out: &mut dyn Write) -> Result<()> {
    let id = doc["record"].as_str().unwrap_or("");
    let printings = doc["printings"].as_array().cloned().unwrap_or_default();
    for p in &printings {
        let n = p["appearance"].as_u64().unwrap_or(0);
        writeln!(
            out,
            "{id}, printing {n} of {}: {} lines {}-{} ({})",
            printings.len(),
            p["compilation"].as_str().unwrap_or(""),
            line_of(p, 0),
            line_of(p, 1),
            p["text_status"].as_str().unwrap_or(""),
        )?;
        if let Some(e) = p["error"].as_str() {
            writeln!(out, "  cannot align: {e}\n")?;
            continue;
        }
        let c = &p["counts"];
        if p["aligned"].as_bool() == Some(true) {
            writeln!(
                out,
                "  {} printed tokens: {} text, {} heading, {} layout, {} omitted, {} unaccounted; {} glued footnote markers; {} words lacking against another printing",
                c["tokens_in_span"],
                c["tokens_text"],
                c["tokens_heading"],
                c["tokens_layout"],
                c["tokens_omitted"],
                c["unaccounted"],
                c["glued_markers"],
                p["words_lacking"],
            )?;
        } else {
            writeln!(
                out,
                "  {} printed tokens; this printing has no text ({}), so it is not aligned",
                c["tokens_in_span"],
                p["text_status"].as_str().unwrap_or("")
            )?;
        }
        match &p["error"] {
            Value::Null => writeln!(out, "  every printed token is accounted for")?,
            e => {
                let at = match (e.pointer("/at/line"), e.pointer("/at/printed")) {
                    (Some(Value::Number(l)), Some(Value::String(w))) => {
                        format!(" at line {l}, printed `{w}`")
                    }
                    _ => String::new(),
                };
                let piece = e["piece"]
                    .as_str()
                    .or(e["after_piece"].as_str())
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                let how = e["how"]
                    .as_str()
                    .map(|h| format!(": {h}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  alignment stops{at}: {}{piece}{how}; run `khojaly validate` for the full message",
                    e["kind"].as_str().unwrap_or("error").replace('_', " ")
                )?
            }
        }
        writeln!(
            out,
            "  key: T text, P parallel text, H heading, L layout, O omitted, ? unaccounted; [L:x] marks a word accounted for otherwise than its line"
        )?;
        let first = line_of(p, 0);
        let tokens = p["tokens"].as_array().cloned().unwrap_or_default();
        for (k, text) in p["lines_text"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let line = first + k as u64;
            let on_line: Vec<&Value> = tokens
                .iter()
                .filter(|t| t["line"].as_u64() == Some(line))
                .collect();
            if on_line.is_empty() {
                writeln!(
                    out,
                    "  {line:>6}    {}",
                    text.as_str().unwrap_or("").trim_end()
                )?;
                continue;
            }
            // The line's mark is the role of most of its words; other words carry their own.
            let mut tally: std::collections::BTreeMap<&str, usize> = Default::default();
            for t in &on_line {
                *tally.entry(t["role"].as_str().unwrap_or("?")).or_default() += 1;
            }
            let main = tally
                .iter()
                .max_by_key(|(_, n)| **n)
                .map(|(r, _)| *r)
                .unwrap_or("?");
            let words: Vec<String> = on_line
                .iter()
                .map(|t| {
                    let word = t["printed"].as_str().unwrap_or("");
                    let role = t["role"].as_str().unwrap_or("?");
                    let word = match t["glued_marker"].as_str() {
                        Some(m) => format!("{}[L:{m}]", word.strip_suffix(m).unwrap_or(word)),
                        None => word.to_string(),
                    };
                    if role == main {
                        word
                    } else {
                        format!("[{role}:{word}]")
                    }
                })
                .collect();
            writeln!(out, "  {line:>6} {main}  {}", words.join(" "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
