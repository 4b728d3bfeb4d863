//! How a record is named where a title is expected (site listings, catalogue records): its
//! printed title, or, when the source prints none, a label made from what is printed.

use crate::model::{Record, Registry};

/// A record's printed title, or (when the source prints none) a label made from what is printed
/// (the witness, speaker, official or author, else the issuer; the date; the first words),
/// marked `[no printed title]` so that it is never taken for a title.
pub fn record_label(r: &Record, agents: &Registry) -> String {
    if let Some(t) = r.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.to_string();
    }
    let who = crate::model::agent::own_voice_as_printed(r)
        .map(str::to_string)
        .unwrap_or_else(|| agent_name(agents, &r.body));
    let date = r.date.as_deref().unwrap_or("undated");
    let words: Vec<&str> = r
        .text
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .take(9)
        .collect();
    let first = if words.is_empty() {
        String::new()
    } else {
        format!(": “{}…”", words.join(" "))
    };
    format!("[no printed title] {who}, {date}{first}")
}

/// An agent's usual name, or its id when the registry lacks it.
pub fn agent_name(agents: &Registry, id: &str) -> String {
    agents
        .get(id)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// "media_item" -> "Media item".
pub fn kind_label(kind: &str) -> String {
    let s = kind.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}
