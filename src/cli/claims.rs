//! `khojaly claims`: the figure statements of a record, or of a quantity, with their attribution,
//! for curators and quick looks (the release's claims table is the full view).

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::output::{errln, out, outln};
use super::{Format, Outcome};
use crate::load::DataDir;
use crate::model::claim::{Quantity, bounds, locate};
use crate::model::{Record, Registry};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  khojaly claims --record media-1992-02-28-washington-post-victims-buried\n  khojaly claims --quantity killed --scope subject_event\n  khojaly claims --quantity hostages_or_captured --format json"
)]
pub struct Args {
    /// The data directory.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Only the claims of this record (read from its file alone, without validating the corpus).
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
    /// Only claims of this quantity (killed, wounded, hostages_or_captured, missing, ...).
    #[arg(long)]
    pub quantity: Option<String>,
    /// Only claims of this scope (subject_event, wider_context, other_event).
    #[arg(long)]
    pub scope: Option<String>,
    /// Human-readable lines, or a JSON array.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// One claim as printed by the command.
#[derive(Debug, Serialize)]
pub struct ClaimLine {
    pub claim_id: String,
    pub record_id: String,
    pub record_date: Option<String>,
    pub quantity: String,
    pub population: String,
    pub scope: String,
    pub value_as_printed: String,
    pub value_low: Option<u64>,
    pub value_high: Option<u64>,
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub is_total: bool,
    /// The agent the text presents as stating the figure (`record_author` resolved).
    pub stated_by: String,
    /// That agent's name.
    pub stated_by_name: String,
    pub stated_by_as_printed: Option<String>,
    /// The agent through whom the statement reaches the record, when not the stater.
    pub reported_by: Option<String>,
    pub speech_mode: String,
    pub quote: String,
    pub quote_start: Option<usize>,
}

/// A claim of record `r` as printed by the command; `stated_by` is already an agent id (the
/// record was read through the agents registry).
fn claim_line(r: &Record, c: &crate::model::claim::Claim, agents: &Registry) -> ClaimLine {
    let (low, high, qualifier) = bounds(c);
    let stater = c.stated_by.clone();
    let name = agents
        .get(&stater)
        .map_or_else(|| stater.clone(), |a| a.name.clone());
    let reported_by = (stater != r.body).then(|| r.body.clone());
    ClaimLine {
        claim_id: format!("{}#{}", r.id, c.id),
        record_id: r.id.clone(),
        record_date: c.statement_date.clone().or_else(|| r.date.clone()),
        quantity: c.quantity.as_str().into(),
        population: c.population.as_str().into(),
        scope: c.scope.as_str().into(),
        value_as_printed: c.value.clone(),
        value_low: low,
        value_high: high,
        qualifier: qualifier.map(|q| q.as_str().to_string()),
        unit: crate::model::claim::unit(c).map(str::to_string),
        is_total: c.is_total.unwrap_or(true),
        stated_by: stater,
        stated_by_name: name,
        stated_by_as_printed: c.stated_by_as_printed.clone(),
        reported_by,
        speech_mode: c.speech_mode.as_str().into(),
        quote: c.quote.clone(),
        quote_start: locate(r, c).ok().map(|s| s.chars.start),
    }
}

pub fn run(args: &Args) -> Result<Outcome> {
    if let Some(q) = &args.quantity
        && !Quantity::ALL.iter().any(|k| k.as_str() == q)
    {
        let all: Vec<&str> = Quantity::ALL.iter().map(|k| k.as_str()).collect();
        anyhow::bail!("`{q}` is not a quantity; use one of: {}", all.join(", "));
    }
    let data = DataDir::new(&args.data);
    let mut lines = Vec::new();
    let wanted = |c: &crate::model::claim::Claim| {
        args.quantity
            .as_ref()
            .is_none_or(|q| q == c.quantity.as_str())
            && args.scope.as_ref().is_none_or(|s| s == c.scope.as_str())
    };
    let mut problems = 0;
    let found_record = if let Some(id) = &args.record {
        // One record: its file and the small files it refers to, not the corpus.
        match crate::load::single::read(&data, id)? {
            Some(one) => {
                lines.extend(
                    one.record
                        .claims
                        .iter()
                        .filter(|c| wanted(c))
                        .map(|c| claim_line(&one.record, c, &one.agents)),
                );
                true
            }
            None => false,
        }
    } else {
        let (corpus, found) = crate::validate::validate(&data)?;
        let Some(corpus) = corpus else {
            anyhow::bail!("the data directory could not be loaded; run `khojaly validate`");
        };
        problems = found.len();
        for file in corpus.record_files.iter() {
            let Ok(r) = corpus.read_record(&file) else {
                continue;
            };
            lines.extend(
                r.claims
                    .iter()
                    .filter(|c| wanted(c))
                    .map(|c| claim_line(&r, c, &corpus.agents)),
            );
        }
        true
    };
    if !found_record {
        errln!(
            "no record has the id `{}`",
            crate::model::text::escape_controls(args.record.as_deref().unwrap_or(""))
        )?;
        return Ok(Outcome::Problems);
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&lines)?)?,
        Format::Human => {
            for l in &lines {
                let bound = |b: Option<u64>| b.map(|v| v.to_string()).unwrap_or("…".into());
                let who = match (&l.stated_by_as_printed, &l.reported_by) {
                    (Some(p), Some(via)) => format!("{} (“{p}”, via {via})", l.stated_by_name),
                    (Some(p), None) => format!("{} (“{p}”)", l.stated_by_name),
                    (None, Some(via)) => format!("{} (via {via})", l.stated_by_name),
                    (None, None) => l.stated_by_name.clone(),
                };
                out!(
                    "{}  {} {} ({}–{}) {}, {}; {} ({}), {}\n    “{}”\n",
                    l.claim_id,
                    l.quantity,
                    l.value_as_printed,
                    bound(l.value_low),
                    bound(l.value_high),
                    l.population,
                    l.scope,
                    who,
                    l.speech_mode,
                    l.record_date.as_deref().unwrap_or("undated"),
                    l.quote
                )?;
            }
            errln!(
                "{} claim{}; figures as stated by each source, not assessed",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(if problems == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
