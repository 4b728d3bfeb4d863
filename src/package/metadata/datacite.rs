//! `datacite.json`: DataCite Metadata Schema 4.5 in its JSON form.
//!
//! The compilations have no DOI, ISBN or URL in the sources and we do not invent identifiers
//! for them, so they are described as `relatedItems` (bibliographic descriptions that need no
//! identifier) with the relation `IsDerivedFrom`.

use serde_json::{Value, json};

use crate::export::sink::RELEASE_FORMATS;
use crate::package::facts::ReleaseFacts;

pub fn datacite(f: &ReleaseFacts) -> Value {
    let ds = f.dataset;
    let creators: Vec<Value> = if ds.creators.is_empty() {
        vec![json!({ "name": ds.publisher, "nameType": "Organizational" })]
    } else {
        ds.creators
            .iter()
            .map(|c| {
                let ty = if c.creator_type == "person" {
                    "Personal"
                } else {
                    "Organizational"
                };
                json!({ "name": c.name, "nameType": ty })
            })
            .collect()
    };
    let mut dates = vec![json!({ "date": f.date, "dateType": "Issued" })];
    if let Some(tc) = &ds.temporal_coverage {
        dates.push(json!({
            "date": tc,
            "dateType": "Other",
            "dateInformation": "Temporal coverage: the range of the documents' dates",
        }));
    }
    let mut rights = json!({
        "rights": ds.license_note.clone().unwrap_or_else(|| ds.license.clone()),
        "rightsIdentifier": ds.license,
        "rightsIdentifierScheme": "SPDX",
        "schemeUri": "https://spdx.org/licenses/",
    });
    if let Some(url) = f.license_url()
        && let Some(o) = rights.as_object_mut()
    {
        o.insert("rightsUri".into(), json!(url));
    }
    let related_items: Vec<Value> = f
        .compilations
        .iter()
        .map(|c| {
            let title = c.title.clone().unwrap_or_else(|| {
                format!(
                    "[Untitled compilation `{}`: no title page in the source]",
                    c.id
                )
            });
            let mut item = json!({
                "relatedItemType": "Book",
                "relationType": "IsDerivedFrom",
                "titles": [{ "title": title }],
            });
            if let Some(p) = &c.publisher
                && let Some(o) = item.as_object_mut()
            {
                o.insert("publisher".into(), json!(p));
            }
            if let Some(y) = &c.year
                && let Some(o) = item.as_object_mut()
            {
                o.insert("publicationYear".into(), json!(y));
            }
            item
        })
        .collect();
    let formats: Vec<&str> = RELEASE_FORMATS
        .iter()
        .map(|f| f.media_type)
        .chain([
            crate::export::jsonl::FORMAT.media_type,
            "application/schema+json",
        ])
        .collect();
    let mut related_identifiers = Vec::new();
    if let Some(concept) = &ds.concept_doi {
        related_identifiers.push(json!({
            "relatedIdentifier": concept,
            "relatedIdentifierType": "DOI",
            "relationType": "IsVersionOf",
        }));
    }
    let mut record = json!({
        "schemaVersion": "http://datacite.org/schema/kernel-4",
        "types": { "resourceTypeGeneral": "Dataset", "resourceType": "Document corpus" },
        "creators": creators,
        "titles": [{ "title": ds.title }],
        "publisher": { "name": ds.publisher },
        "publicationYear": f.year(),
        "subjects": ds.keywords.iter().map(|k| json!({ "subject": k })).collect::<Vec<_>>(),
        "dates": dates,
        "language": "en",
        "alternateIdentifiers": [{ "alternateIdentifier": f.release_name(), "alternateIdentifierType": "Local" }],
        "relatedItems": related_items,
        "sizes": [format!("{} records", f.counts.records)],
        "formats": formats,
        "version": ds.version,
        "rightsList": [rights],
        "descriptions": [{ "description": f.description(), "descriptionType": "Abstract" }],
    });
    if let Some(o) = record.as_object_mut() {
        if let Some(doi) = &ds.doi {
            o.insert("doi".into(), json!(doi));
            o.insert(
                "identifiers".into(),
                json!([{ "identifier": doi, "identifierType": "DOI" }]),
            );
        }
        if !related_identifiers.is_empty() {
            o.insert("relatedIdentifiers".into(), json!(related_identifiers));
        }
    }
    record
}
