//! Mutation tests of the fidelity proof on the bundled data: in every record whose text is
//! checked against a printing, dropping a number, a word, the first or last paragraph or the
//! last sentence must be rejected, at that record's file, with a line and a column.
//!
//! Each kind of mutation is applied to all records of one copy of data/ at once, and one
//! `validate --format json` run must report every mutated record.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{copy_tree, khojaly, repo};

/// The byte range of the record-level `text = '''...'''` value's content, if any.
fn text_range(file: &str) -> Option<std::ops::Range<usize>> {
    // Only top-level keys: stop at the first table header.
    let head_end = file.find("\n[").unwrap_or(file.len());
    let start = file.get(..head_end)?.find("\ntext = '''\n")? + "\ntext = '''\n".len();
    let end = start + file.get(start..)?.find("'''")?;
    Some(start..end)
}

type Mutation = fn(&str) -> Option<String>;

fn words(text: &str) -> Vec<&str> {
    text.split(' ').collect()
}

/// Removes the first word with a digit in it.
fn drop_number(text: &str) -> Option<String> {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let (p, w) = paragraphs.iter().enumerate().find_map(|(p, para)| {
        words(para)
            .iter()
            .position(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(|w| (p, w))
    })?;
    let mut out: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
    let mut ws = words(paragraphs[p]);
    if ws.len() < 2 {
        return None;
    }
    ws.remove(w);
    out[p] = ws.join(" ");
    Some(out.join("\n\n"))
}

/// Removes the middle word of the first paragraph that has more than two.
fn drop_word(text: &str) -> Option<String> {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let p = paragraphs.iter().position(|para| words(para).len() > 2)?;
    let mut ws = words(paragraphs[p]);
    ws.remove(ws.len() / 2);
    let mut out: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
    out[p] = ws.join(" ");
    Some(out.join("\n\n"))
}

fn drop_first_paragraph(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("\n\n")?;
    Some(rest.to_string())
}

fn drop_last_paragraph(text: &str) -> Option<String> {
    let body = text.trim_end_matches('\n');
    let (rest, _) = body.rsplit_once("\n\n")?;
    Some(format!("{rest}\n"))
}

/// Removes the last sentence of the last paragraph, when it has more than one.
fn drop_last_sentence(text: &str) -> Option<String> {
    let body = text.trim_end_matches('\n');
    let cut = body.trim_end_matches(['.', '”', '"']).rfind(". ")?;
    if body.get(..cut)?.rfind("\n\n").is_some_and(|p| p > cut) {
        return None;
    }
    Some(format!("{}\n", body.get(..=cut)?))
}

/// Applies `mutation` to every record of a copy of data/ and checks that each one is reported.
fn every_mutant_is_rejected(name: &str, mutation: Mutation) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo().join("data"), dir.path());
    let mut mutated: BTreeSet<String> = BTreeSet::new();
    for kind in std::fs::read_dir(dir.path().join("records")).expect("records") {
        for entry in std::fs::read_dir(kind.expect("kind").path()).expect("kind dir") {
            let path = entry.expect("entry").path();
            let file = std::fs::read_to_string(&path).expect("read record");
            let Some(range) = text_range(&file) else {
                continue;
            };
            let Some(new_text) = mutation(&file[range.clone()]) else {
                continue;
            };
            if new_text.trim().is_empty() || new_text == file[range.clone()] {
                continue;
            }
            let mut changed = file.clone();
            changed.replace_range(range, &new_text);
            std::fs::write(&path, changed).expect("write record");
            mutated.insert(file_name(&path));
        }
    }
    assert!(
        mutated.len() > 40,
        "{name}: only {} records mutated",
        mutated.len()
    );
    let out = khojaly()
        .args(["validate", "--format", "json", "--data"])
        .arg(dir.path())
        .output()
        .expect("run validate");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: validate accepted the mutants"
    );
    let problems: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON problems");
    let mut reported = BTreeSet::new();
    for p in problems.as_array().expect("array") {
        let rule = p["rule"].as_str().unwrap_or("");
        if !["fidelity", "emendation", "completeness"].contains(&rule) {
            continue;
        }
        assert!(
            p["line"].as_u64().is_some() && p["column"].as_u64().is_some(),
            "{name}: a problem without line and column: {p}"
        );
        reported.insert(file_name(Path::new(p["path"].as_str().unwrap_or(""))));
    }
    let missed: Vec<&String> = mutated.difference(&reported).collect();
    assert!(
        missed.is_empty(),
        "{name}: {} of {} mutated records passed validation: {missed:?}",
        missed.len(),
        mutated.len()
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn a_dropped_number_is_rejected_in_every_record() {
    every_mutant_is_rejected("drop a number", drop_number);
}

#[test]
fn a_dropped_word_is_rejected_in_every_record() {
    every_mutant_is_rejected("drop a word", drop_word);
}

#[test]
fn a_dropped_first_paragraph_is_rejected_in_every_record() {
    every_mutant_is_rejected("drop the first paragraph", drop_first_paragraph);
}

#[test]
fn a_dropped_last_paragraph_is_rejected_in_every_record() {
    every_mutant_is_rejected("drop the last paragraph", drop_last_paragraph);
}

#[test]
fn a_dropped_last_sentence_is_rejected_in_every_record() {
    every_mutant_is_rejected("drop the last sentence", drop_last_sentence);
}
