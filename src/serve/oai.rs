//! OAI-PMH 2.0 over a release: the six verbs, the protocol's errors, sets by record kind and by
//! compilation, and resumption tokens, answered from the release's own files.
//!
//! The records' metadata are the release's `metadata/oai_dc/<id>.xml` and
//! `metadata/mods/<id>.xml`, served as written; the list of records (id, kind, compilations)
//! comes from `data/records.parquet`, read once at start. Every record's datestamp is the
//! release date: a release is published whole, once. Tokens carry the request and the position
//! in plain text (`<release date>~<prefix>~<cursor>~<from>~<until>~<set>`): the list is the same
//! for every request to one release, so nothing is kept between requests.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow_array::{Array, ListArray, StringArray};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::package::library::xml::Xml;
use crate::package::library::{mods, oai_dc};

/// Records per page of a list (ListIdentifiers, ListRecords).
pub const PAGE: usize = 100;

const NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/";
const SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";

/// One record of the release, as the protocol lists it.
struct Entry {
    id: Box<str>,
    kind: Box<str>,
    compilations: Box<[Box<str>]>,
}

/// A release as an OAI-PMH repository.
pub struct Repository {
    root: PathBuf,
    /// The dataset's machine name: the namespace of the OAI identifiers.
    name: String,
    title: String,
    /// The release date, YYYY-MM-DD: every record's datestamp.
    date: String,
    admin_email: String,
    /// Sorted by id.
    records: Vec<Entry>,
    kinds: BTreeSet<String>,
    compilations: BTreeSet<String>,
}

/// The metadata formats, as (prefix, schema, namespace, folder of the release's files).
const FORMATS: [(&str, &str, &str, &str); 2] = [
    (
        "oai_dc",
        oai_dc::SCHEMA,
        oai_dc::NAMESPACE,
        crate::package::library::OAI_DC_DIR,
    ),
    (
        "mods",
        mods::SCHEMA,
        mods::NAMESPACE,
        crate::package::library::MODS_DIR,
    ),
];

impl Repository {
    /// Reads what the protocol needs of the release at `root`.
    pub fn open(root: &Path, admin_email: &str) -> Result<Repository> {
        let package: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.join("datapackage.json"))
                .with_context(|| format!("cannot read {}/datapackage.json", root.display()))?,
        )
        .context("datapackage.json is not JSON")?;
        let text = |k: &str| {
            package
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let date: String = text("created").chars().take(10).collect();
        let mut records = read_records(&root.join("data/records.parquet"))?;
        records.sort_by(|a, b| a.id.cmp(&b.id));
        let kinds = records.iter().map(|r| r.kind.to_string()).collect();
        let compilations = records
            .iter()
            .flat_map(|r| r.compilations.iter().map(|c| c.to_string()))
            .collect();
        Ok(Repository {
            root: root.to_path_buf(),
            name: text("name"),
            title: text("title"),
            date,
            admin_email: admin_email.to_string(),
            records,
            kinds,
            compilations,
        })
    }

    /// The response to the request with `args` (decoded name-value pairs, in order), made at
    /// `now` (`YYYY-MM-DDThh:mm:ssZ`), for the repository at `base_url`.
    pub fn answer(&self, args: &[(String, String)], base_url: &str, now: &str) -> Result<Vec<u8>> {
        let mut x = Xml::new(Vec::new())?;
        let schema_location = format!("{NAMESPACE} {SCHEMA}");
        x.open(
            "OAI-PMH",
            &[
                ("xmlns", NAMESPACE),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", &schema_location),
            ],
        )?;
        x.leaf("responseDate", &[], now)?;
        match self.parse(args) {
            Err(e) => {
                // After badVerb or badArgument the request is echoed without its arguments.
                let echo = matches!(e.code, "badVerb" | "badArgument");
                if echo {
                    x.leaf("request", &[], base_url)?;
                } else {
                    let attrs: Vec<(&str, &str)> =
                        args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    x.leaf("request", &attrs, base_url)?;
                }
                x.leaf("error", &[("code", e.code)], &e.message)?;
            }
            Ok(request) => {
                let attrs: Vec<(&str, &str)> =
                    args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                x.leaf("request", &attrs, base_url)?;
                if let Err(e) = self.verb(&mut x, &request, base_url) {
                    match e.downcast::<ProtocolError>() {
                        Ok(p) => x.leaf("error", &[("code", p.code)], &p.message)?,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        x.close("OAI-PMH")?;
        let mut out = x.into_inner();
        out.push(b'\n');
        Ok(out)
    }

    fn parse(&self, args: &[(String, String)]) -> Result<Request, ProtocolError> {
        let verbs: Vec<&str> = args
            .iter()
            .filter(|(k, _)| k == "verb")
            .map(|(_, v)| v.as_str())
            .collect();
        let verb = match verbs.as_slice() {
            [] => return Err(ProtocolError::new("badVerb", "no verb given")),
            [one] => *one,
            _ => {
                return Err(ProtocolError::new(
                    "badVerb",
                    "the verb is given more than once",
                ));
            }
        };
        let (required, optional): (&[&str], &[&str]) = match verb {
            "Identify" => (&[], &[]),
            "ListMetadataFormats" => (&[], &["identifier"]),
            "ListSets" => (&[], &["resumptionToken"]),
            "GetRecord" => (&["identifier", "metadataPrefix"], &[]),
            "ListIdentifiers" | "ListRecords" => (
                &["metadataPrefix"],
                &["from", "until", "set", "resumptionToken"],
            ),
            other => {
                return Err(ProtocolError::new(
                    "badVerb",
                    format!("`{other}` is not an OAI-PMH verb"),
                ));
            }
        };
        let mut seen = BTreeSet::new();
        for (k, _) in args.iter().filter(|(k, _)| k != "verb") {
            if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
                return Err(ProtocolError::new(
                    "badArgument",
                    format!("`{k}` is not an argument of {verb}"),
                ));
            }
            if !seen.insert(k.as_str()) {
                return Err(ProtocolError::new(
                    "badArgument",
                    format!("`{k}` is given more than once"),
                ));
            }
        }
        let get = |k: &str| args.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let token = get("resumptionToken");
        if token.is_some() && seen.len() > 1 {
            return Err(ProtocolError::new(
                "badArgument",
                "resumptionToken is an exclusive argument",
            ));
        }
        if token.is_none() {
            for r in required {
                if !seen.contains(r) {
                    return Err(ProtocolError::new(
                        "badArgument",
                        format!("{verb} needs `{r}`"),
                    ));
                }
            }
        }
        for k in ["from", "until"] {
            if let Some(d) = get(k)
                && parse_day(&d).is_none()
            {
                return Err(ProtocolError::new(
                    "badArgument",
                    format!("`{k}` is not a date of this repository's granularity, YYYY-MM-DD"),
                ));
            }
        }
        if let (Some(f), Some(u)) = (get("from"), get("until"))
            && f > u
        {
            return Err(ProtocolError::new(
                "badArgument",
                "`from` is later than `until`",
            ));
        }
        Ok(Request {
            verb: verb.to_string(),
            identifier: get("identifier"),
            prefix: get("metadataPrefix"),
            from: get("from"),
            until: get("until"),
            set: get("set"),
            token,
        })
    }

    fn verb(&self, x: &mut Xml<Vec<u8>>, r: &Request, base_url: &str) -> Result<()> {
        match r.verb.as_str() {
            "Identify" => self.identify(x, base_url),
            "ListMetadataFormats" => self.list_formats(x, r),
            "ListSets" => self.list_sets(x, r),
            "GetRecord" => self.get_record(x, r),
            _ => self.list(x, r),
        }
    }

    fn identify(&self, x: &mut Xml<Vec<u8>>, base_url: &str) -> Result<()> {
        x.open("Identify", &[])?;
        x.leaf("repositoryName", &[], &self.title)?;
        x.leaf("baseURL", &[], base_url)?;
        x.leaf("protocolVersion", &[], "2.0")?;
        x.leaf("adminEmail", &[], &self.admin_email)?;
        x.leaf("earliestDatestamp", &[], &self.date)?;
        x.leaf("deletedRecord", &[], "no")?;
        x.leaf("granularity", &[], "YYYY-MM-DD")?;
        x.close("Identify")
    }

    fn list_formats(&self, x: &mut Xml<Vec<u8>>, r: &Request) -> Result<()> {
        if let Some(id) = &r.identifier {
            self.entry(id)?;
        }
        x.open("ListMetadataFormats", &[])?;
        for (prefix, schema, namespace, _) in FORMATS {
            x.open("metadataFormat", &[])?;
            x.leaf("metadataPrefix", &[], prefix)?;
            x.leaf("schema", &[], schema)?;
            x.leaf("metadataNamespace", &[], namespace)?;
            x.close("metadataFormat")?;
        }
        x.close("ListMetadataFormats")
    }

    fn list_sets(&self, x: &mut Xml<Vec<u8>>, r: &Request) -> Result<()> {
        if r.token.is_some() {
            // The sets fit in one response: no token was ever given out.
            return Err(ProtocolError::new(
                "badResumptionToken",
                "ListSets gives no resumption tokens",
            )
            .into());
        }
        x.open("ListSets", &[])?;
        for k in &self.kinds {
            x.open("set", &[])?;
            x.leaf("setSpec", &[], &format!("kind:{k}"))?;
            x.leaf(
                "setName",
                &[],
                &format!("Record kind: {}", crate::package::label::kind_label(k)),
            )?;
            x.close("set")?;
        }
        for c in &self.compilations {
            x.open("set", &[])?;
            x.leaf("setSpec", &[], &format!("compilation:{c}"))?;
            x.leaf("setName", &[], &format!("Printed in compilation {c}"))?;
            x.close("set")?;
        }
        x.close("ListSets")
    }

    fn get_record(&self, x: &mut Xml<Vec<u8>>, r: &Request) -> Result<()> {
        let id = r.identifier.as_deref().unwrap_or_default();
        let entry = self.entry(id)?;
        let format = format_of(r.prefix.as_deref().unwrap_or_default())?;
        x.open("GetRecord", &[])?;
        self.record(x, entry, format, true)?;
        x.close("GetRecord")
    }

    fn list(&self, x: &mut Xml<Vec<u8>>, r: &Request) -> Result<()> {
        let with_metadata = r.verb == "ListRecords";
        let query = match &r.token {
            Some(t) => self.resume(t)?,
            None => Query {
                prefix: r.prefix.clone().unwrap_or_default(),
                cursor: 0,
                from: r.from.clone().unwrap_or_default(),
                until: r.until.clone().unwrap_or_default(),
                set: r.set.clone().unwrap_or_default(),
            },
        };
        let format = format_of(&query.prefix)?;
        let in_dates = (query.from.is_empty() || query.from.as_str() <= self.date.as_str())
            && (query.until.is_empty() || query.until.as_str() >= self.date.as_str());
        let matching = |e: &&Entry| in_dates && in_set(e, &query.set);
        let total = self.records.iter().filter(matching).count();
        if total == 0 {
            return Err(
                ProtocolError::new("noRecordsMatch", "no record matches these arguments").into(),
            );
        }
        if query.cursor >= total {
            return Err(ProtocolError::new(
                "badResumptionToken",
                "the token points past the end of the list",
            )
            .into());
        }
        x.open(&r.verb, &[])?;
        for e in self
            .records
            .iter()
            .filter(matching)
            .skip(query.cursor)
            .take(PAGE)
        {
            if with_metadata {
                self.record(x, e, format, true)?;
            } else {
                self.header(x, e)?;
            }
        }
        let (size, cursor) = (total.to_string(), query.cursor.to_string());
        let next = query.cursor + PAGE;
        if next < total {
            let token = format!(
                "{}~{}~{next}~{}~{}~{}",
                self.date, query.prefix, query.from, query.until, query.set
            );
            x.leaf(
                "resumptionToken",
                &[("completeListSize", &size), ("cursor", &cursor)],
                &token,
            )?;
        } else if query.cursor > 0 {
            // The last page of a list given in parts ends with an empty token.
            x.empty(
                "resumptionToken",
                &[("completeListSize", &size), ("cursor", &cursor)],
            )?;
        }
        x.close(&r.verb)
    }

    fn resume(&self, token: &str) -> Result<Query> {
        let bad = || {
            ProtocolError::new(
                "badResumptionToken",
                "this resumption token is not one this repository gave out",
            )
        };
        let parts: Vec<&str> = token.splitn(6, '~').collect();
        let [date, prefix, cursor, from, until, set] = parts.as_slice() else {
            return Err(bad().into());
        };
        let cursor: usize = cursor.parse().map_err(|_| bad())?;
        let day_ok = |d: &str| d.is_empty() || parse_day(d).is_some();
        if *date != self.date
            || cursor == 0
            || !cursor.is_multiple_of(PAGE)
            || !FORMATS.iter().any(|f| f.0 == *prefix)
            || !day_ok(from)
            || !day_ok(until)
        {
            return Err(bad().into());
        }
        Ok(Query {
            prefix: prefix.to_string(),
            cursor,
            from: from.to_string(),
            until: until.to_string(),
            set: set.to_string(),
        })
    }

    fn entry(&self, identifier: &str) -> Result<&Entry> {
        let id = identifier
            .strip_prefix("oai:")
            .and_then(|s| s.strip_prefix(self.name.as_str()))
            .and_then(|s| s.strip_prefix(':'));
        id.and_then(|id| {
            self.records
                .binary_search_by(|e| (*e.id).cmp(id))
                .ok()
                .and_then(|at| self.records.get(at))
        })
        .ok_or_else(|| {
            ProtocolError::new(
                "idDoesNotExist",
                format!("no record has the identifier `{identifier}`"),
            )
            .into()
        })
    }

    fn header(&self, x: &mut Xml<Vec<u8>>, e: &Entry) -> Result<()> {
        x.open("header", &[])?;
        x.leaf(
            "identifier",
            &[],
            &crate::package::library::oai_identifier(&self.name, &e.id),
        )?;
        x.leaf("datestamp", &[], &self.date)?;
        x.leaf("setSpec", &[], &format!("kind:{}", e.kind))?;
        for c in e.compilations.iter() {
            x.leaf("setSpec", &[], &format!("compilation:{c}"))?;
        }
        x.close("header")
    }

    fn record(
        &self,
        x: &mut Xml<Vec<u8>>,
        e: &Entry,
        format: Format,
        with_metadata: bool,
    ) -> Result<()> {
        x.open("record", &[])?;
        self.header(x, e)?;
        if with_metadata {
            let path = self.root.join(format.3).join(format!("{}.xml", e.id));
            let file =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            // The file's own XML declaration cannot stand inside the response.
            let body = match file.iter().position(|&b| b == b'\n') {
                Some(at) if file.starts_with(b"<?xml") => file.get(at + 1..).unwrap_or_default(),
                _ => &file[..],
            };
            x.open("metadata", &[])?;
            x.raw(b"\n")?;
            x.raw(body)?;
            x.close("metadata")?;
        }
        x.close("record")
    }
}

type Format = (&'static str, &'static str, &'static str, &'static str);

fn format_of(prefix: &str) -> Result<Format> {
    FORMATS.into_iter().find(|f| f.0 == prefix).ok_or_else(|| {
        ProtocolError::new(
            "cannotDisseminateFormat",
            format!("`{prefix}` is not a metadata format of this repository (oai_dc, mods)"),
        )
        .into()
    })
}

fn in_set(e: &Entry, set: &str) -> bool {
    if set.is_empty() {
        return true;
    }
    match set.split_once(':') {
        Some(("kind", k)) => *e.kind == *k,
        Some(("compilation", c)) => e.compilations.iter().any(|x| **x == *c),
        _ => false,
    }
}

/// A date of the form YYYY-MM-DD that exists.
fn parse_day(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y: i32 = s.get(..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    let days = crate::model::edtf::days_from_civil(y, m, d);
    (crate::model::edtf::ymd_from_days(days) == (y, m, d) && (1..=12).contains(&m))
        .then_some((y, m, d))
}

struct Request {
    verb: String,
    identifier: Option<String>,
    prefix: Option<String>,
    from: Option<String>,
    until: Option<String>,
    set: Option<String>,
    token: Option<String>,
}

struct Query {
    prefix: String,
    cursor: usize,
    from: String,
    until: String,
    set: String,
}

/// An error the protocol defines, with its code.
#[derive(Debug)]
pub struct ProtocolError {
    pub code: &'static str,
    pub message: String,
}

impl ProtocolError {
    fn new(code: &'static str, message: impl Into<String>) -> ProtocolError {
        ProtocolError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ProtocolError {}

/// The id, kind and compilations of every record of a release's records.parquet.
fn read_records(path: &Path) -> Result<Vec<Entry>> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .with_context(|| format!("{} is not a Parquet file", path.display()))?;
    let schema = builder.schema().clone();
    let index = |name: &str| {
        schema
            .index_of(name)
            .with_context(|| format!("{} has no column `{name}`", path.display()))
    };
    let (id, kind, comps) = (index("id")?, index("kind")?, index("compilations")?);
    let mask = ProjectionMask::roots(builder.parquet_schema(), [id, kind, comps]);
    let reader = builder.with_projection(mask).build()?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .with_context(|| format!("{} has no column `{name}`", path.display()))
        };
        let ids = column("id")?
            .as_any()
            .downcast_ref::<StringArray>()
            .context("records.parquet: `id` is not text")?;
        let kinds = column("kind")?
            .as_any()
            .downcast_ref::<StringArray>()
            .context("records.parquet: `kind` is not text")?;
        let lists = column("compilations")?
            .as_any()
            .downcast_ref::<ListArray>()
            .context("records.parquet: `compilations` is not a list")?;
        for row in 0..batch.num_rows() {
            let values = lists.value(row);
            let names = values
                .as_any()
                .downcast_ref::<StringArray>()
                .context("records.parquet: `compilations` is not a list of text")?;
            out.push(Entry {
                id: ids.value(row).into(),
                kind: kinds.value(row).into(),
                compilations: (0..names.len())
                    .map(|i| Box::from(names.value(i)))
                    .collect(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn only_existing_days_of_the_granularity_are_dates() {
        assert!(parse_day("2026-12-07").is_some());
        assert!(parse_day("2024-02-29").is_some());
        for bad in [
            "2026-13-45",
            "2025-02-29",
            "2026-1-1",
            "2026-12-07T00:00:00Z",
            "yesterday",
            "",
        ] {
            assert!(parse_day(bad).is_none(), "{bad}");
        }
    }
}
