//! A METS document of the bag, for repository software (Archivematica, DSpace): one file group
//! each for the tables, the schemas, the source transcriptions, the metadata and the site;
//! every file with its size and SHA-256 (the same digests as the bag's manifests), and a
//! PREMIS 3 object with that fixity in the administrative section.
//!
//! Written straight to its file from a listing spilled to disk (a release of a million records
//! lists millions of files), so that neither weighs on memory.
//! It describes every file written before it; the bag's own tag files (bagit.txt, bag-info.txt,
//! the manifests and SHA256SUMS), written after it, describe it in turn.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::xml::Xml;
use crate::package::facts::ReleaseFacts;

pub const NAMESPACE: &str = "http://www.loc.gov/METS/";
pub const SCHEMA: &str = "http://www.loc.gov/standards/mets/mets.xsd";
pub const PREMIS_NAMESPACE: &str = "http://www.loc.gov/premis/v3";
pub const PREMIS_SCHEMA: &str = "http://www.loc.gov/standards/premis/v3/premis.xsd";

/// One file of the bag as METS lists it.
pub struct BagFile {
    /// Path inside the bag, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// The file groups, in order: (USE, label, whether a path belongs to it).
const GROUPS: [(&str, &str); 5] = [
    ("tables", "Tables and records (data/)"),
    ("schemas", "JSON Schemas (data/schema/)"),
    ("sources", "Source transcriptions (data/sources/)"),
    ("metadata", "Metadata and citation files"),
    ("site", "Web view (site/)"),
];

fn group_of(path: &str) -> &'static str {
    if path.starts_with("data/schema/") {
        "schemas"
    } else if path.starts_with("data/sources/") {
        "sources"
    } else if path.starts_with("data/") {
        "tables"
    } else if path.starts_with("site/") {
        "site"
    } else {
        "metadata"
    }
}

fn media_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or_default();
    if let Some(table_format) = crate::export::sink::media_type_of(extension) {
        return table_format;
    }
    match extension {
        "json" | "jsonld" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "html" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "md" => "text/markdown",
        "bib" => "application/x-bibtex",
        "ris" => "application/x-research-info-systems",
        "cff" => "application/yaml",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// The files of the bag, spilled to a temporary file a line each (`sha256 size path`) and read
/// again for each section of the document.
pub struct Listing {
    file: std::fs::File,
}

impl Listing {
    pub fn new() -> Result<Listing> {
        Ok(Listing {
            file: tempfile::tempfile().context("cannot create a temporary file")?,
        })
    }

    pub fn push(&mut self, f: &BagFile) -> Result<()> {
        writeln!(self.file, "{} {} {}", f.sha256, f.size, f.path)?;
        Ok(())
    }

    /// Every file listed, in order, with its place (0-based).
    fn each(&mut self, mut visit: impl FnMut(usize, BagFile) -> Result<()>) -> Result<()> {
        use std::io::{BufRead, Seek};
        self.file.rewind()?;
        let reader = std::io::BufReader::new(&self.file);
        for (n, line) in reader.lines().enumerate() {
            let line = line?;
            let mut parts = line.splitn(3, ' ');
            let (Some(sha256), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                anyhow::bail!("internal error: a damaged line in the METS listing");
            };
            visit(
                n,
                BagFile {
                    path: path.to_string(),
                    sha256: sha256.to_string(),
                    size: size.parse().unwrap_or(0),
                },
            )?;
        }
        Ok(())
    }
}

/// Writes the METS document of the bag at `path`, listing the files of `listing` (sorted by
/// path).
pub fn write(path: &Path, f: &ReleaseFacts, listing: &mut Listing) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut x = Xml::new(std::io::BufWriter::new(file))?;
    let ds = f.dataset;
    let name = f.release_name();
    let schema_location = format!("{NAMESPACE} {SCHEMA} {PREMIS_NAMESPACE} {PREMIS_SCHEMA}");
    x.open(
        "mets:mets",
        &[
            ("xmlns:mets", NAMESPACE),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:premis", PREMIS_NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &schema_location),
            ("OBJID", &name),
            ("LABEL", &format!("{}, version {}", ds.title, ds.version)),
            ("TYPE", "Dataset"),
        ],
    )?;
    let created = format!("{}T00:00:00Z", f.date);
    x.open("mets:metsHdr", &[("CREATEDATE", &created)])?;
    x.open(
        "mets:agent",
        &[
            ("ROLE", "CREATOR"),
            ("TYPE", "OTHER"),
            ("OTHERTYPE", "SOFTWARE"),
        ],
    )?;
    x.leaf("mets:name", &[], &format!("khojaly {}", f.tool_version))?;
    x.close("mets:agent")?;
    x.close("mets:metsHdr")?;
    for (id, href, mdtype, other) in [
        ("dmd-datacite", "datacite.json", "OTHER", Some("DataCite")),
        ("dmd-marc", super::MARC_FILE, "MARC", None),
    ] {
        x.open("mets:dmdSec", &[("ID", id)])?;
        let mut attrs = vec![("LOCTYPE", "URL"), ("xlink:href", href), ("MDTYPE", mdtype)];
        if let Some(o) = other {
            attrs.push(("OTHERMDTYPE", o));
        }
        x.empty("mets:mdRef", &attrs)?;
        x.close("mets:dmdSec")?;
    }
    x.open("mets:amdSec", &[("ID", "amd")])?;
    let mut present = std::collections::BTreeSet::new();
    listing.each(|n, file| {
        present.insert(group_of(&file.path));
        premis_object(&mut x, n, &file)
    })?;
    x.close("mets:amdSec")?;
    let groups: Vec<(&str, &str)> = GROUPS
        .into_iter()
        .filter(|(g, _)| present.contains(g))
        .collect();
    x.open("mets:fileSec", &[])?;
    for (group, _) in &groups {
        x.open(
            "mets:fileGrp",
            &[("USE", group), ("ID", &format!("grp-{group}"))],
        )?;
        listing.each(|n, file| {
            if group_of(&file.path) != *group {
                return Ok(());
            }
            let (id, admid, size) = (
                format!("file-{n}"),
                format!("premis-{n}"),
                file.size.to_string(),
            );
            x.open(
                "mets:file",
                &[
                    ("ID", &id),
                    ("MIMETYPE", media_type(&file.path)),
                    ("SIZE", &size),
                    ("CHECKSUM", &file.sha256),
                    ("CHECKSUMTYPE", "SHA-256"),
                    ("ADMID", &admid),
                ],
            )?;
            x.empty(
                "mets:FLocat",
                &[("LOCTYPE", "URL"), ("xlink:href", &file.path)],
            )?;
            x.close("mets:file")
        })?;
        x.close("mets:fileGrp")?;
    }
    x.close("mets:fileSec")?;
    x.open("mets:structMap", &[("TYPE", "logical")])?;
    x.open(
        "mets:div",
        &[
            ("TYPE", "dataset"),
            ("LABEL", &ds.title),
            ("DMDID", "dmd-datacite dmd-marc"),
        ],
    )?;
    for (group, label) in &groups {
        x.open("mets:div", &[("TYPE", group), ("LABEL", label)])?;
        listing.each(|n, file| {
            if group_of(&file.path) == *group {
                x.empty("mets:fptr", &[("FILEID", &format!("file-{n}"))])?;
            }
            Ok(())
        })?;
        x.close("mets:div")?;
    }
    x.close("mets:div")?;
    x.close("mets:structMap")?;
    x.close("mets:mets")?;
    let mut out = x.into_inner();
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// A PREMIS 3 file object with the file's fixity, size and format, in its own techMD.
fn premis_object<W: Write>(x: &mut Xml<W>, n: usize, file: &BagFile) -> Result<()> {
    x.open("mets:techMD", &[("ID", &format!("premis-{n}"))])?;
    x.open("mets:mdWrap", &[("MDTYPE", "PREMIS:OBJECT")])?;
    x.open("mets:xmlData", &[])?;
    x.open(
        "premis:object",
        &[("xsi:type", "premis:file"), ("version", "3.0")],
    )?;
    x.open("premis:objectIdentifier", &[])?;
    x.leaf("premis:objectIdentifierType", &[], "local")?;
    x.leaf("premis:objectIdentifierValue", &[], &file.path)?;
    x.close("premis:objectIdentifier")?;
    x.open("premis:objectCharacteristics", &[])?;
    x.leaf("premis:compositionLevel", &[], "0")?;
    x.open("premis:fixity", &[])?;
    x.leaf("premis:messageDigestAlgorithm", &[], "SHA-256")?;
    x.leaf("premis:messageDigest", &[], &file.sha256)?;
    x.leaf("premis:messageDigestOriginator", &[], "khojaly release")?;
    x.close("premis:fixity")?;
    x.leaf("premis:size", &[], &file.size.to_string())?;
    x.open("premis:format", &[])?;
    x.open("premis:formatDesignation", &[])?;
    x.leaf("premis:formatName", &[], media_type(&file.path))?;
    x.close("premis:formatDesignation")?;
    x.close("premis:format")?;
    x.close("premis:objectCharacteristics")?;
    x.close("premis:object")?;
    x.close("mets:xmlData")?;
    x.close("mets:mdWrap")?;
    x.close("mets:techMD")
}
