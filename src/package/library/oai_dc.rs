//! Simple Dublin Core (`oai_dc`) of one record, as OAI-PMH requires every repository to offer.

use anyhow::Result;

use super::RecordContext;
use super::xml::Xml;
use crate::model::Record;
use crate::package::label::{agent_name, kind_label as record_kind_label, record_label};

pub const NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";

/// The oai_dc document of `r`, with its XML declaration.
pub fn record(r: &Record, ctx: &RecordContext<'_>) -> Result<String> {
    let mut x = Xml::document()?;
    let schema_location = format!("{NAMESPACE} {SCHEMA}");
    x.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", NAMESPACE),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &schema_location),
        ],
    )?;
    x.leaf("dc:title", &[], &record_label(r, ctx.agents))?;
    let people = super::printed_people(r);
    for (name, _, _) in &people {
        x.leaf("dc:creator", &[], name)?;
    }
    let issuer = agent_name(ctx.agents, &r.body);
    if people.is_empty() {
        x.leaf("dc:creator", &[], &issuer)?;
    }
    x.leaf("dc:publisher", &[], &issuer)?;
    if let Some(by) = r.testimony.as_ref().and_then(|t| t.recorded_by.as_deref()) {
        x.leaf("dc:contributor", &[], &agent_name(ctx.agents, by))?;
    }
    if let Some(d) = &r.date {
        x.leaf("dc:date", &[], d)?;
    }
    for a in &r.appearances {
        if let Some(p) = &a.date_as_printed {
            x.leaf("dc:date", &[], p)?;
        }
    }
    x.leaf("dc:type", &[], "Text")?;
    x.leaf("dc:type", &[], &record_kind_label(r.kind.as_str()))?;
    x.leaf("dc:language", &[], &r.language)?;
    x.leaf("dc:format", &[], "text/plain")?;
    for a in &r.appearances {
        x.leaf("dc:source", &[], &ctx.printing(a))?;
    }
    x.leaf("dc:identifier", &[], &ctx.permalink(r))?;
    x.leaf(
        "dc:identifier",
        &[],
        &super::oai_identifier(&ctx.dataset.name, &r.id),
    )?;
    x.leaf("dc:relation", &[], &ctx.dataset_relation())?;
    if let Some(p) = &r.part_of {
        x.leaf("dc:relation", &[], &format!("Part of record {p}"))?;
    }
    x.leaf("dc:rights", &[], &ctx.rights())?;
    x.leaf("dc:description", &[], &description(r, ctx))?;
    x.close("oai_dc:dc")?;
    Ok(x.finish())
}

/// A neutral description of what the record holds (never of what the document says).
pub fn description(r: &Record, ctx: &RecordContext<'_>) -> String {
    let mut s = format!(
        "{} ({}) issued by {}, as printed in {} compilation{}",
        record_kind_label(r.kind.as_str()),
        r.text_status.as_str().replace('_', " "),
        agent_name(ctx.agents, &r.body),
        r.appearances.len(),
        if r.appearances.len() == 1 { "" } else { "s" }
    );
    if r.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        s.push_str("; the source prints no title, the title above is supplied");
    }
    if !r.claims.is_empty() {
        s.push_str(&format!(
            "; {} figure statement{} curated as claims",
            r.claims.len(),
            if r.claims.len() == 1 { "" } else { "s" }
        ));
    }
    s.push('.');
    s
}
