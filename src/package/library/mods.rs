//! MODS 3.8 of one record: names with their MARC relator roles, origin as printed with the EDTF
//! date, a host item for each printing (compilation, section, lines) and one for the dataset,
//! and notes counting what the curation changed or left out.

use anyhow::Result;

use super::RecordContext;
use super::xml::Xml;
use crate::model::Record;
use crate::package::label::{agent_name, kind_label, record_label};

pub const NAMESPACE: &str = "http://www.loc.gov/mods/v3";
pub const SCHEMA: &str = "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd";

/// The MODS document of `r`, with its XML declaration.
pub fn record(r: &Record, ctx: &RecordContext<'_>) -> Result<String> {
    let mut x = Xml::document()?;
    let schema_location = format!("{NAMESPACE} {SCHEMA}");
    x.open(
        "mods",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &schema_location),
            ("version", "3.8"),
        ],
    )?;
    let printed_title = r.title.as_deref().filter(|t| !t.trim().is_empty());
    match printed_title {
        Some(t) => {
            x.open("titleInfo", &[])?;
            x.leaf("title", &[], t)?;
        }
        None => {
            x.open("titleInfo", &[("supplied", "yes")])?;
            x.leaf("title", &[], &record_label(r, ctx.agents))?;
        }
    }
    x.close("titleInfo")?;
    for (name, term, code) in super::printed_people(r) {
        name_element(&mut x, "personal", name, term, code)?;
    }
    name_element(
        &mut x,
        "corporate",
        &agent_name(ctx.agents, &r.body),
        "issuing body",
        "isb",
    )?;
    x.leaf("typeOfResource", &[], "text")?;
    x.leaf("genre", &[], &kind_label(r.kind.as_str()))?;
    x.open("originInfo", &[("eventType", "publication")])?;
    if let Some(p) = &r.place {
        x.open("place", &[])?;
        x.leaf("placeTerm", &[("type", "text")], p)?;
        x.close("place")?;
    }
    x.leaf("publisher", &[], &agent_name(ctx.agents, &r.body))?;
    if let Some(d) = &r.date {
        x.leaf("dateIssued", &[("encoding", "edtf"), ("keyDate", "yes")], d)?;
    }
    for a in &r.appearances {
        if let Some(p) = &a.date_as_printed {
            x.leaf("dateIssued", &[], p)?;
        }
    }
    x.close("originInfo")?;
    x.open("language", &[])?;
    x.leaf(
        "languageTerm",
        &[("type", "code"), ("authority", "rfc5646")],
        &r.language,
    )?;
    x.close("language")?;
    x.open("physicalDescription", &[])?;
    x.leaf("internetMediaType", &[], "text/plain")?;
    x.leaf("digitalOrigin", &[], "reformatted digital")?;
    x.close("physicalDescription")?;
    x.leaf(
        "abstract",
        &[("type", "content")],
        &super::oai_dc::description(r, ctx),
    )?;
    let emendations: usize = r.appearances.iter().map(|a| a.emendations.len()).sum();
    let omissions: usize = r.appearances.iter().map(|a| a.omissions.len()).sum();
    x.leaf(
        "note",
        &[("type", "emendations")],
        &format!("{emendations} emendation{} of conversion damage, each recorded with the printed characters.", plural(emendations)),
    )?;
    x.leaf(
        "note",
        &[("type", "omissions")],
        &format!(
            "{omissions} printed passage{} the text leaves out, each with its reason.",
            plural(omissions)
        ),
    )?;
    for a in &r.appearances {
        let title = ctx
            .compilations
            .get(&a.compilation)
            .and_then(|c| c.title.clone())
            .unwrap_or_else(|| format!("[Untitled compilation {}]", a.compilation));
        x.open("relatedItem", &[("type", "host")])?;
        x.open("titleInfo", &[])?;
        x.leaf("title", &[], &title)?;
        x.close("titleInfo")?;
        x.open("part", &[])?;
        x.open("detail", &[("type", "section")])?;
        x.leaf("title", &[], &a.section)?;
        x.close("detail")?;
        let (start, end) = (a.lines[0].to_string(), a.lines[1].to_string());
        x.open("extent", &[("unit", "lines")])?;
        x.leaf("start", &[], &start)?;
        x.leaf("end", &[], &end)?;
        x.close("extent")?;
        x.close("part")?;
        x.close("relatedItem")?;
    }
    x.open(
        "relatedItem",
        &[("type", "host"), ("displayLabel", "Dataset")],
    )?;
    x.open("titleInfo", &[])?;
    x.leaf("title", &[], &ctx.dataset.title)?;
    x.leaf(
        "partNumber",
        &[],
        &format!("version {}", ctx.dataset.version),
    )?;
    x.close("titleInfo")?;
    if let Some(doi) = &ctx.dataset.doi {
        x.leaf("identifier", &[("type", "doi")], doi)?;
    }
    x.close("relatedItem")?;
    x.leaf("identifier", &[("type", "local")], &r.id)?;
    x.leaf(
        "identifier",
        &[("type", "uri")],
        &super::oai_identifier(&ctx.dataset.name, &r.id),
    )?;
    x.open("location", &[])?;
    x.leaf("url", &[("usage", "primary display")], &ctx.permalink(r))?;
    x.close("location")?;
    x.leaf(
        "accessCondition",
        &[("type", "use and reproduction")],
        &ctx.rights(),
    )?;
    x.open("recordInfo", &[])?;
    x.leaf("recordContentSource", &[], &ctx.dataset.title)?;
    x.leaf(
        "recordCreationDate",
        &[("encoding", "w3cdtf")],
        &ctx.dataset.date,
    )?;
    x.leaf("recordIdentifier", &[], &r.id)?;
    x.close("recordInfo")?;
    x.close("mods")?;
    Ok(x.finish())
}

fn name_element<W: std::io::Write>(
    x: &mut Xml<W>,
    kind: &str,
    name: &str,
    term: &str,
    code: &str,
) -> Result<()> {
    x.open("name", &[("type", kind)])?;
    x.leaf("namePart", &[], name)?;
    x.open("role", &[])?;
    x.leaf(
        "roleTerm",
        &[("type", "text"), ("authority", "marcrelator")],
        term,
    )?;
    x.leaf(
        "roleTerm",
        &[("type", "code"), ("authority", "marcrelator")],
        code,
    )?;
    x.close("role")?;
    x.close("name")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
