//! CSL-JSON (Citation Style Language 1.0 input data), as citeproc processors, Zotero, Mendeley
//! and pandoc read it: one item per record, plus one for the dataset release.
//!
//! Names are CSL `literal` names (kept as printed, never split). The printing goes into `note`
//! ("Reprinted in …"), the dataset into `archive` and `archive_location` (where the item was
//! found: the release and the record id), so that every layer survives an import.

use serde_json::{Value, json};

use super::{Citation, DatasetRef, DocType, date_parts, text};

/// The CSL type of a document type (CSL 1.0.1 types, which every processor knows).
pub fn csl_type(t: DocType) -> &'static str {
    match t {
        DocType::NewspaperArticle => "article-newspaper",
        DocType::MagazineArticle => "article-magazine",
        DocType::Broadcast => "broadcast",
        DocType::WebPage => "webpage",
        DocType::Report | DocType::GovernmentDocument => "report",
        DocType::Letter => "personal_communication",
        DocType::Interview => "interview",
        DocType::Bill => "bill",
        DocType::Speech => "speech",
        DocType::BookSection => "chapter",
        DocType::LegalCase => "legal_case",
        // CSL 1.0.1 has no type for a document of unknown form; "manuscript" asserts nothing
        // about publication and is what Zotero's "Document" maps to.
        DocType::Document => "manuscript",
    }
}

fn names(n: &[String]) -> Value {
    Value::Array(n.iter().map(|n| json!({ "literal": n })).collect())
}

/// A CSL date: `date-parts`, `circa` for approximate or uncertain dates; `raw` for anything else.
fn date(edtf: &str) -> Value {
    match date_parts(edtf) {
        Some(d) => {
            let mut v = json!({ "date-parts": d.parts });
            if (d.uncertain || d.approximate)
                && let Some(o) = v.as_object_mut()
            {
                o.insert("circa".into(), json!(true));
            }
            v
        }
        None => json!({ "raw": edtf }),
    }
}

/// The CSL-JSON item of one record.
pub fn item(c: &Citation) -> Value {
    let d = &c.document;
    let mut v = json!({
        "id": c.record_id,
        "type": csl_type(d.doc_type),
    });
    let mut set = |k: &str, val: Option<Value>| {
        if let Some(val) = val
            && let Some(o) = v.as_object_mut()
        {
            o.insert(k.into(), val);
        }
    };
    set("title", d.title.clone().map(Value::from));
    if !d.authors.is_empty() {
        // For an interview (a testimony) CSL's author is the interviewee: the witness.
        set("author", Some(names(&d.authors)));
    }
    if let Some(r) = &d.recipient {
        set("recipient", Some(names(std::slice::from_ref(r))));
    }
    if d.doc_type.is_periodical() {
        set("container-title", Some(d.issuer.clone().into()));
    } else {
        set("container-title", d.container.clone().map(Value::from));
        set(
            "publisher",
            Some(
                d.publisher
                    .clone()
                    .unwrap_or_else(|| d.issuer.clone())
                    .into(),
            ),
        );
    }
    set("publisher-place", d.place.clone().map(Value::from));
    set("issued", d.date.as_deref().map(date));
    set("genre", d.genre.clone().map(Value::from));
    set("number", d.number.clone().map(Value::from));
    set("authority", d.authority.clone().map(Value::from));
    set("page", d.pages.clone().map(Value::from));
    set("language", Some(d.language.clone().into()));
    set("URL", d.source_urls.first().cloned().map(Value::from));
    let ds = &c.dataset;
    set(
        "archive",
        Some(format!("{}, version {}", ds.title, ds.version).into()),
    );
    set(
        "archive_location",
        Some(format!("record {}", c.record_id).into()),
    );
    set("source", Some(ds.title.clone().into()));
    set("note", Some(note(c).into()));
    v
}

/// "Reprinted in …; cited from …": the printing and dataset layers in words.
pub fn note(c: &Citation) -> String {
    let printings: Vec<String> = c.printings.iter().map(text::printing).collect();
    let ds = &c.dataset;
    let mut s = String::new();
    if !printings.is_empty() {
        s.push_str(&format!("Reprinted in {}. ", printings.join("; and in ")));
    }
    s.push_str(&format!(
        "Cited from {}, version {}, released {}, record {}",
        ds.title, ds.version, ds.date, c.record_id
    ));
    match (&ds.doi, &ds.url) {
        (Some(doi), _) => s.push_str(&format!(", https://doi.org/{doi}")),
        (None, Some(url)) => s.push_str(&format!(", {url}")),
        (None, None) => {}
    }
    s.push('.');
    s
}

/// The CSL-JSON item of the dataset release itself.
pub fn dataset_item(ds: &DatasetRef) -> Value {
    let mut v = json!({
        "id": ds.key(),
        "type": "dataset",
        "title": ds.title,
        "author": names(&ds.creators),
        "publisher": ds.publisher,
        "version": ds.version,
        "issued": date(&ds.date),
    });
    if let Some(url) = &ds.url
        && let Some(o) = v.as_object_mut()
    {
        o.insert("URL".into(), json!(url));
    }
    if let Some(doi) = &ds.doi
        && let Some(o) = v.as_object_mut()
    {
        o.insert("DOI".into(), json!(doi));
    }
    v
}

/// A CSL-JSON array: the dataset item, then one item per citation.
pub fn items(dataset: &DatasetRef, all: &[Citation]) -> Value {
    let mut list = vec![dataset_item(dataset)];
    list.extend(all.iter().map(item));
    Value::Array(list)
}
