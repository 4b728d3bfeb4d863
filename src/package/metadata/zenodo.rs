//! `.zenodo.json`: the deposit description Zenodo reads from a repository or upload, so that
//! depositing a release needs no retyping (title, version, date, creators, description,
//! licence, keywords, and the DOIs once minted).

use serde_json::{Value, json};

use crate::package::facts::ReleaseFacts;

pub fn zenodo(f: &ReleaseFacts) -> Value {
    let ds = f.dataset;
    let creators: Vec<Value> = ds
        .creator_names()
        .into_iter()
        .map(|name| json!({ "name": name }))
        .collect();
    let mut deposit = json!({
        "upload_type": "dataset",
        "title": ds.title,
        "version": ds.version,
        "publication_date": f.date,
        "creators": creators,
        "description": f.description(),
        "license": ds.license.to_lowercase(),
        "keywords": ds.keywords,
        "access_right": "open",
    });
    if let Some(o) = deposit.as_object_mut() {
        if let Some(doi) = &ds.doi {
            o.insert("doi".into(), json!(doi));
        }
        if let Some(concept) = &ds.concept_doi {
            o.insert(
                "related_identifiers".into(),
                json!([{ "identifier": concept, "relation": "isVersionOf", "scheme": "doi" }]),
            );
        }
    }
    deposit
}
