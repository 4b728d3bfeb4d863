//! `khojaly stats`: the corpus at a glance — counts per kind, year, body and compilation, and
//! which records have no date or no text, with the reason each gives.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::output::{errln, out, outln};
use super::{Format, Outcome};
use crate::load::DataDir;
use crate::model::agent::Registry;
use crate::model::{Kind, Record};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory to describe.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Human-readable tables, or one JSON object.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only this record: read its file and the small files it refers to, without validating
    /// the corpus.
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub records: usize,
    pub by_kind: BTreeMap<String, usize>,
    pub by_text_status: BTreeMap<String, usize>,
    pub by_year: BTreeMap<String, usize>,
    pub by_body: BTreeMap<String, usize>,
    pub by_compilation: BTreeMap<String, usize>,
    pub in_both_compilations: usize,
    pub appearances: usize,
    pub emendations: usize,
    /// Records without a date, by the reason they give.
    pub undated: BTreeMap<String, Vec<String>>,
    /// Records without a text, by text_status.
    pub without_text: BTreeMap<String, Vec<String>>,
    pub unreadable: usize,
    /// Claims (figure statements) per quantity.
    pub claims_by_quantity: BTreeMap<String, usize>,
    pub claims: usize,
    /// How the numbers of every text are accounted for.
    pub figure_coverage: FigureCoverageStats,
}

/// How the numbers in the texts are accounted for (the claims completeness rule).
#[derive(Debug, Default, Serialize)]
pub struct FigureCoverageStats {
    pub numbers: usize,
    pub in_claims: usize,
    pub dates_by_rule: usize,
    pub declared_not_figures: usize,
    pub uncovered: usize,
    /// Share of numbers accounted for, in percent (100 when there are none).
    pub percent_accounted: f64,
}

pub fn collect(data: &DataDir) -> Result<(Stats, usize)> {
    let (corpus, problems) = crate::validate::validate(data)?;
    let mut s = Stats::default();
    let Some(corpus) = corpus else {
        return Ok((s, problems.len()));
    };
    for k in Kind::ALL {
        s.by_kind.insert(k.as_str().to_string(), 0);
    }
    for file in corpus.record_files.iter() {
        match corpus.read_record(&file) {
            Ok(r) => add(&mut s, &r, &corpus.agents),
            Err(_) => s.unreadable += 1,
        }
    }
    finish(&mut s);
    Ok((s, problems.len()))
}

/// The stats of record `id` alone; None when no record has that id.
pub fn collect_one(data: &DataDir, id: &str) -> Result<Option<Stats>> {
    let Some(one) = crate::load::single::read(data, id)? else {
        return Ok(None);
    };
    let mut s = Stats::default();
    add(&mut s, &one.record, &one.agents);
    finish(&mut s);
    Ok(Some(s))
}

/// Counts record `r` in `s`.
fn add(s: &mut Stats, r: &Record, agents: &Registry) {
    s.records += 1;
    s.claims += r.claims.len();
    for c in &r.claims {
        *s.claims_by_quantity
            .entry(c.quantity.as_str().to_string())
            .or_default() += 1;
    }
    for (_, cov) in crate::model::claim::coverage(r) {
        let f = &mut s.figure_coverage;
        f.numbers += cov.numbers;
        f.in_claims += cov.in_claims;
        f.dates_by_rule += cov.dates_by_rule;
        f.declared_not_figures += cov.declared;
        f.uncovered += cov.uncovered.len();
    }
    *s.by_kind.entry(r.kind.as_str().to_string()).or_default() += 1;
    *s.by_text_status
        .entry(r.text_status.as_str().to_string())
        .or_default() += 1;
    let year = r
        .date
        .as_deref()
        .map(|d| d.chars().take(4).collect())
        .unwrap_or_else(|| "undated".to_string());
    *s.by_year.entry(year).or_default() += 1;
    let body = agents
        .get(&r.body)
        .map(|b| b.name.clone())
        .unwrap_or_else(|| r.body.clone());
    *s.by_body.entry(body).or_default() += 1;
    let mut comps: Vec<&str> = r
        .appearances
        .iter()
        .map(|a| a.compilation.as_str())
        .collect();
    comps.sort();
    comps.dedup();
    for c in &comps {
        *s.by_compilation.entry(c.to_string()).or_default() += 1;
    }
    if comps.len() > 1 {
        s.in_both_compilations += 1;
    }
    s.appearances += r.appearances.len();
    s.emendations += r
        .appearances
        .iter()
        .map(|a| a.emendations.len())
        .sum::<usize>();
    if r.date.is_none() {
        let reason = r.date_absent_reason.clone().unwrap_or_default();
        s.undated.entry(reason).or_default().push(r.id.clone());
    }
    if r.text.is_none() {
        s.without_text
            .entry(r.text_status.as_str().to_string())
            .or_default()
            .push(r.id.clone());
    }
}

/// The shares, once every record is counted.
fn finish(s: &mut Stats) {
    let f = &mut s.figure_coverage;
    f.percent_accounted = if f.numbers == 0 {
        100.0
    } else {
        // Rounded to one decimal, so the JSON is the same on every machine.
        ((f.numbers - f.uncovered) as f64 * 1000.0 / f.numbers as f64).round() / 10.0
    };
}

pub fn run(args: &Args) -> Result<Outcome> {
    let data = DataDir::new(&args.data);
    let (s, problems) = match &args.record {
        Some(id) => match collect_one(&data, id)? {
            Some(s) => (s, 0),
            None => {
                errln!(
                    "no record has the id `{}`",
                    crate::model::text::escape_controls(id)
                )?;
                return Ok(Outcome::Problems);
            }
        },
        None => collect(&data)?,
    };
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&s)?)?,
        Format::Human => out!("{}", render(&s))?,
    }
    if problems > 0 {
        errln!(
            "note: `khojaly validate` reports {problems} problem(s); the counts cover the records that could be read"
        )?;
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

fn render(s: &Stats) -> String {
    let mut out = String::new();
    let mut section = |title: &str, rows: Vec<(String, String)>| {
        out.push_str(&format!("{title}\n"));
        let w = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in rows {
            out.push_str(&format!("  {k:<w$}  {v:>5}\n"));
        }
        out.push('\n');
    };
    section(
        "Corpus",
        vec![
            ("records".into(), s.records.to_string()),
            ("appearances (printings)".into(), s.appearances.to_string()),
            (
                "records printed in more than one compilation".into(),
                s.in_both_compilations.to_string(),
            ),
            ("emendations".into(), s.emendations.to_string()),
        ],
    );
    let counts =
        |m: &BTreeMap<String, usize>| m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
    section("Records per kind", counts(&s.by_kind));
    let f = &s.figure_coverage;
    section(
        "Claims (figure statements) and the numbers of the texts",
        vec![
            ("claims".into(), s.claims.to_string()),
            ("numbers in the texts".into(), f.numbers.to_string()),
            ("  inside a claim's quote".into(), f.in_claims.to_string()),
            (
                "  dates (built-in rule)".into(),
                f.dates_by_rule.to_string(),
            ),
            (
                "  declared not figures".into(),
                f.declared_not_figures.to_string(),
            ),
            ("  not accounted for".into(), f.uncovered.to_string()),
            (
                "accounted for (%)".into(),
                format!("{:.1}", f.percent_accounted),
            ),
        ],
    );
    section("Claims per quantity", counts(&s.claims_by_quantity));
    section("Records per text status", counts(&s.by_text_status));
    section(
        "Records per year of the document's date",
        counts(&s.by_year),
    );
    section("Records per compilation", counts(&s.by_compilation));
    let mut bodies: Vec<(&String, &usize)> = s.by_body.iter().collect();
    bodies.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    section(
        "Records per issuing body",
        bodies
            .into_iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
    );
    out.push_str("Records without a date, by the reason given\n");
    for (reason, ids) in &s.undated {
        out.push_str(&format!("  {} × {reason}\n", ids.len()));
    }
    out.push('\n');
    out.push_str("Records without a text, by text status\n");
    for (status, ids) in &s.without_text {
        out.push_str(&format!("  {} × {status}\n", ids.len()));
    }
    if s.unreadable > 0 {
        out.push_str(&format!(
            "\n{} record file(s) could not be read; run `khojaly validate`\n",
            s.unreadable
        ));
    }
    out
}
