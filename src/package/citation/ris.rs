//! RIS (Research Information Systems tagged format), as EndNote, Zotero, Mendeley and rispy
//! read it: `TY` first, `ER` last, one `TAG  - value` line per field.
//!
//! Names are written as printed in `AU` (never split into family and given names). The printing
//! goes into an `N1` note ("Reprinted in …"); the dataset into `DB` (database: the release),
//! `DP` (its provider) and `AN` (accession number: the record id).

use super::{Citation, DocType, csl, date_parts};

/// The RIS reference type of a document type.
pub fn ris_type(t: DocType) -> &'static str {
    match t {
        DocType::NewspaperArticle => "NEWS",
        DocType::MagazineArticle => "MGZN",
        DocType::Broadcast => "ADVS",
        DocType::WebPage => "ELEC",
        DocType::Report => "RPRT",
        DocType::GovernmentDocument => "GOVDOC",
        DocType::Letter => "PCOMM",
        DocType::Bill => "BILL",
        DocType::BookSection => "CHAP",
        DocType::LegalCase => "CASE",
        // RIS has no interview or speech type; the form goes into M3 (type of work).
        DocType::Interview | DocType::Speech | DocType::Document => "GEN",
    }
}

/// One value on one line: line breaks become spaces.
fn one_line(s: &str) -> String {
    s.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// The RIS reference of one record, ending with `ER  - ` and a blank line.
pub fn reference(c: &Citation) -> String {
    let d = &c.document;
    let mut lines: Vec<(&str, String)> = vec![("TY", ris_type(d.doc_type).into())];
    for a in &d.authors {
        lines.push(("AU", a.clone()));
    }
    if let Some(t) = &d.title {
        lines.push(("TI", t.clone()));
    }
    if d.doc_type.is_periodical() {
        lines.push(("T2", d.issuer.clone()));
    } else {
        if let Some(container) = &d.container {
            lines.push(("T2", container.clone()));
        }
        lines.push((
            "PB",
            d.publisher.clone().unwrap_or_else(|| d.issuer.clone()),
        ));
    }
    if let Some(p) = &d.place {
        lines.push(("CY", p.clone()));
    }
    if let Some(date) = &d.date {
        if let Some(parts) = date_parts(date)
            && let Some(first) = parts.parts.first()
        {
            let year = first.first().map(|y| format!("{y:04}")).unwrap_or_default();
            let mm = first.get(1).map(|m| format!("{m:02}")).unwrap_or_default();
            let dd = first.get(2).map(|d| format!("{d:02}")).unwrap_or_default();
            lines.push(("PY", year.clone()));
            lines.push(("DA", format!("{year}/{mm}/{dd}/")));
        }
        if date_parts(date).is_none_or(|p| p.parts.len() > 1 || p.uncertain || p.approximate) {
            lines.push(("N1", format!("Date (EDTF) as the record gives it: {date}")));
        }
    }
    if let Some(g) = &d.genre {
        lines.push(("M3", g.clone()));
    }
    if let Some(n) = &d.number {
        lines.push(("M1", n.clone()));
    }
    if let Some(a) = &d.authority {
        lines.push(("A2", a.clone()));
    }
    if let Some(p) = &d.pages {
        lines.push(("SP", p.clone()));
    }
    if let Some(r) = &d.recipient {
        lines.push(("N1", format!("Addressed to {r}")));
    }
    lines.push(("LA", d.language.clone()));
    for u in &d.source_urls {
        lines.push(("UR", u.clone()));
    }
    let ds = &c.dataset;
    lines.push(("AN", c.record_id.clone()));
    lines.push(("DB", format!("{}, version {}", ds.title, ds.version)));
    lines.push(("DP", ds.publisher.clone()));
    lines.push(("N1", csl::note(c)));
    let mut s = String::new();
    for (tag, value) in lines {
        s.push_str(&format!("{tag}  - {}\n", one_line(&value)));
    }
    s.push_str("ER  - \n\n");
    s
}

/// Every reference, one after the other.
pub fn references(all: &[Citation]) -> String {
    all.iter().map(reference).collect()
}
