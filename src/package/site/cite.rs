//! CSL-JSON and RIS citations of one record, for the record pages' download links.
//!
//! A small internal stand-in: `khojaly cite` offers plain text and BibTeX today (both used on
//! the pages through `CitedRelease`); when the cite command gains CSL-JSON and RIS, these two
//! functions should be replaced by calls to it so that the site and the CLI agree.

use serde_json::json;

use crate::model::Record;
use crate::package::metadata::bibtex::CitedRelease;

fn record_title(c: &CitedRelease, r: &Record) -> String {
    match &r.title {
        Some(t) => format!("{}, record {}: {t}", c.title, r.id),
        None => format!("{}, record {}", c.title, r.id),
    }
}

/// CSL-JSON (an array of one item, as citation managers import it).
pub fn csl_json(c: &CitedRelease, r: &Record) -> String {
    let parts: Vec<serde_json::Value> = c
        .date
        .split('-')
        .filter_map(|p| p.parse::<u32>().ok())
        .map(|n| json!(n))
        .collect();
    let item = json!([{
        "id": format!("{}-{}-{}", c.name, c.version, r.id),
        "type": "dataset",
        "title": record_title(c, r),
        "author": c.creators.iter().map(|n| json!({"literal": n})).collect::<Vec<_>>(),
        "issued": {"date-parts": [parts]},
        "version": c.version,
        "publisher": c.publisher,
        "note": format!("Record id {}", r.id),
    }]);
    let mut s = serde_json::to_string_pretty(&item).unwrap_or_default();
    s.push('\n');
    s
}

/// RIS (one `DATA` entry). Values are kept on one line each, as RIS requires.
pub fn ris(c: &CitedRelease, r: &Record) -> String {
    let one = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = String::from("TY  - DATA\r\n");
    for a in &c.creators {
        s.push_str(&format!("AU  - {}\r\n", one(a)));
    }
    s.push_str(&format!("TI  - {}\r\n", one(&record_title(c, r))));
    s.push_str(&format!("PY  - {}\r\n", c.year()));
    s.push_str(&format!("DA  - {}\r\n", c.date.replace('-', "/")));
    s.push_str(&format!("ET  - {}\r\n", one(&c.version)));
    s.push_str(&format!("PB  - {}\r\n", one(&c.publisher)));
    s.push_str(&format!("N1  - Record id {}\r\n", r.id));
    s.push_str("ER  - \r\n");
    s
}
