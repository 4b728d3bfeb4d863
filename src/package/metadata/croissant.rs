//! `croissant.jsonld`: a schema.org Dataset with Croissant 1.0 record sets, one per table (CSV).

use serde_json::{Value, json};

use crate::export::table::ColumnType;
use crate::package::facts::ReleaseFacts;

pub fn croissant(f: &ReleaseFacts) -> Value {
    let ds = f.dataset;
    let mut distribution = Vec::new();
    let mut record_sets = Vec::new();
    for spec in &f.specs {
        let path = format!("{}.csv", spec.name);
        let Some(d) = f.files.get(&path) else {
            continue;
        };
        let file_id = format!("{}-csv", spec.name);
        distribution.push(json!({
            "@type": "cr:FileObject",
            "@id": file_id,
            "name": file_id,
            "description": format!("The {} table as CSV.", spec.name),
            "contentUrl": format!("data/{path}"),
            "contentSize": format!("{} B", d.bytes),
            "encodingFormat": crate::export::csv::FORMAT.media_type,
            "sha256": d.sha256,
        }));
        let fields: Vec<Value> = spec
            .columns
            .iter()
            .map(|c| {
                let ty = match c.ty {
                    ColumnType::Utf8 | ColumnType::ListUtf8 => "sc:Text",
                    ColumnType::Date32 => "sc:Date",
                    ColumnType::Int32 | ColumnType::Int64 => "sc:Integer",
                    ColumnType::Bool => "sc:Boolean",
                };
                let description = if c.ty == ColumnType::ListUtf8 {
                    format!("{} (a JSON array in the CSV cell)", c.description)
                } else {
                    c.description.clone()
                };
                json!({
                    "@type": "cr:Field",
                    "@id": format!("{}/{}", spec.name, c.name),
                    "name": c.name,
                    "description": description,
                    "dataType": ty,
                    "source": { "fileObject": { "@id": file_id }, "extract": { "column": c.name } },
                })
            })
            .collect();
        record_sets.push(json!({
            "@type": "cr:RecordSet",
            "@id": spec.name,
            "name": spec.name,
            "description": spec.description,
            "key": spec.primary_key.iter().map(|k| json!({ "@id": format!("{}/{k}", spec.name) })).collect::<Vec<_>>(),
            "field": fields,
        }));
    }
    let creators: Vec<Value> = f
        .dataset
        .creator_names()
        .into_iter()
        .map(|n| json!({ "@type": "sc:Organization", "name": n }))
        .collect();
    let mut dataset = json!({
        "@context": context(),
        "@type": "sc:Dataset",
        "name": ds.name,
        "alternateName": ds.title,
        "description": f.description(),
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": crate::package::metadata::bibtex::bibtex(f),
        "creator": creators,
        "publisher": { "@type": "sc:Organization", "name": ds.publisher },
        "datePublished": f.date,
        "version": ds.version,
        "keywords": ds.keywords,
        "license": f.license_url().unwrap_or(ds.license.as_str()),
        "inLanguage": "en",
        "distribution": distribution,
        "recordSet": record_sets,
    });
    if let Some(tc) = &ds.temporal_coverage
        && let Some(o) = dataset.as_object_mut()
    {
        o.insert("temporalCoverage".into(), json!(tc));
    }
    if let Some(o) = dataset.as_object_mut() {
        o.insert(
            "url".into(),
            json!(
                ds.homepage
                    .clone()
                    .unwrap_or_else(|| format!("{}.tar.gz", f.release_name()))
            ),
        );
    }
    dataset
}

/// The official Croissant 1.0 JSON-LD context.
fn context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": { "@id": "cr:data", "@type": "@json" },
        "dataType": { "@id": "cr:dataType", "@type": "@vocab" },
        "dct": "http://purl.org/dc/terms/",
        "equivalentProperty": "cr:equivalentProperty",
        "examples": { "@id": "cr:examples", "@type": "@json" },
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
    })
}
