//! What the metadata files of a release say about it: computed from the data, never typed in.

use std::collections::{BTreeMap, BTreeSet};

use crate::export::table::TableSpec;
use crate::model::{Compilation, Dataset, Record, Registry};

use super::bagit::FileDigest;
use super::versions::Changes;

/// Counts gathered while the records stream past.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub records: u64,
    pub appearances: u64,
    pub by_kind: BTreeMap<String, u64>,
    pub by_status: BTreeMap<String, u64>,
    /// Records with at least one appearance in each compilation.
    pub by_compilation: BTreeMap<String, u64>,
    /// Records printed in more than one compilation.
    pub in_several_compilations: u64,
    pub undated: u64,
    pub languages: BTreeSet<String>,
    /// Earliest and latest year of a dated record.
    pub years: Option<(i32, i32)>,
    /// The claims, reduced to what the card and the chart need (bounded by the drawn points,
    /// not by the number of claims).
    pub claims: ClaimCounts,
}

/// What the dataset card and the chart say of the claims, gathered as they stream past.
#[derive(Debug, Default, Clone)]
pub struct ClaimCounts {
    pub total: usize,
    /// Claims by (quantity, record kind).
    pub by_quantity_kind: BTreeMap<(String, String), usize>,
    /// Per quantity, of the figures about the events at Khojaly that count everyone: the claim
    /// stating the lowest lower bound and the one stating the highest upper bound (ties: the
    /// first claim id).
    pub lowest: BTreeMap<String, (u64, ClaimPoint)>,
    pub highest: BTreeMap<String, (u64, ClaimPoint)>,
    /// Death tolls (`chart::is_toll`), drawn or not.
    pub tolls: usize,
    /// The claims the chart draws, reduced to what it draws.
    pub drawn: DrawnPoints,
}

/// Up to this many drawn claims, the chart has a mark per claim; beyond, a mark per distinct
/// point (a 1M-record release drew 550,000 marks: a 47 MB SVG, and as much memory).
pub const MARK_PER_CLAIM_LIMIT: usize = 10_000;

/// The points of the chart, gathered as claims stream past: each distinct point once, in the
/// order first met, with how many claims it stands for, and (while there are at most
/// [`MARK_PER_CLAIM_LIMIT`] claims) which point each claim has, in record order.
#[derive(Debug, Clone)]
pub struct DrawnPoints {
    points: Vec<(DrawnPoint, usize)>,
    /// Where each point stands in `points`.
    index: std::collections::HashMap<DrawnPoint, usize>,
    /// Each claim's place in `points`; None once there are too many claims to mark each.
    by_claim: Option<Vec<u32>>,
    claims: usize,
}

impl Default for DrawnPoints {
    fn default() -> DrawnPoints {
        DrawnPoints {
            points: Vec::new(),
            index: Default::default(),
            by_claim: Some(Vec::new()),
            claims: 0,
        }
    }
}

impl DrawnPoints {
    pub fn push(&mut self, p: DrawnPoint) {
        self.claims += 1;
        let at = match self.index.get(&p) {
            Some(&at) => {
                if let Some((_, n)) = self.points.get_mut(at) {
                    *n += 1;
                }
                at
            }
            None => {
                self.index.insert(p, self.points.len());
                self.points.push((p, 1));
                self.points.len() - 1
            }
        };
        let keep = self.claims <= MARK_PER_CLAIM_LIMIT;
        match (self.by_claim.as_mut(), u32::try_from(at)) {
            (Some(by_claim), Ok(at)) if keep => by_claim.push(at),
            _ => self.by_claim = None,
        }
    }

    /// What the chart marks: every claim's point in record order, or (beyond
    /// [`MARK_PER_CLAIM_LIMIT`] claims) each distinct point once.
    pub fn marks(&self) -> Vec<&DrawnPoint> {
        match &self.by_claim {
            Some(by_claim) => by_claim
                .iter()
                .filter_map(|&at| self.points.get(at as usize).map(|(p, _)| p))
                .collect(),
            None => self.points.iter().map(|(p, _)| p).collect(),
        }
    }

    /// Whether each claim has its own mark.
    pub fn mark_per_claim(&self) -> bool {
        self.by_claim.is_some()
    }

    /// The distinct points, in the order first met, each with its number of claims.
    pub fn points(&self) -> &[(DrawnPoint, usize)] {
        &self.points
    }

    /// How many claims are drawn.
    pub fn claims(&self) -> usize {
        self.claims
    }
}

/// A claim as the chart draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DrawnPoint {
    /// The legend group of the stater's kind (`chart::stater_group`).
    pub group: &'static str,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub date: Option<i32>,
}

impl ClaimCounts {
    fn add(&mut self, p: ClaimPoint) {
        self.total += 1;
        *self
            .by_quantity_kind
            .entry((p.quantity.clone(), p.record_kind.to_string()))
            .or_default() += 1;
        let counts_everyone = p.scope == "subject_event"
            && p.is_total
            && p.unit == "persons"
            && !p.denial
            && matches!(
                p.population.as_str(),
                "all_persons" | "civilians" | "unspecified"
            );
        if counts_everyone {
            if let Some(v) = p.low.or(p.high) {
                let lower = self
                    .lowest
                    .get(&p.quantity)
                    .is_none_or(|(cur, c)| (v, &p.claim_id) < (*cur, &c.claim_id));
                if lower {
                    self.lowest.insert(p.quantity.clone(), (v, p.clone()));
                }
            }
            if let Some(v) = p.high.or(p.low) {
                let higher = self
                    .highest
                    .get(&p.quantity)
                    .is_none_or(|(cur, c)| v > *cur || (v == *cur && p.claim_id < c.claim_id));
                if higher {
                    self.highest.insert(p.quantity.clone(), (v, p.clone()));
                }
            }
        }
        if crate::package::chart::is_toll(&p) {
            self.tolls += 1;
            if crate::package::chart::is_drawn(&p) {
                self.drawn.push(DrawnPoint {
                    group: crate::package::chart::stater_group(p.stater_kind),
                    low: p.low,
                    high: p.high,
                    date: p.date,
                });
            }
        }
    }
}

/// One claim as the card and the chart see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimPoint {
    pub claim_id: String,
    pub record_kind: &'static str,
    pub quantity: String,
    pub population: String,
    pub scope: String,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub value_as_printed: String,
    /// Who states it: the agent's name (and id), resolved.
    pub stated_by: String,
    /// The stater's kind (`Agent::stater_kind`), for grouping.
    pub stater_kind: &'static str,
    pub is_total: bool,
    pub unit: String,
    pub denial: bool,
    /// First day of the statement date (days since 1970-01-01), when dated.
    pub date: Option<i32>,
}

impl Counts {
    pub fn add(&mut self, r: &Record, agents: &Registry) {
        self.records += 1;
        for c in &r.claims {
            // `stated_by` is an agent id once the record has left validation.
            let stater = c.stated_by.as_str();
            let agent = agents.get(stater);
            let (low, high, _) = crate::model::claim::bounds(c);
            let date = c
                .statement_date
                .as_deref()
                .or(r.date.as_deref())
                .and_then(|d| crate::model::edtf::parse(d).ok())
                .and_then(|b| b.start);
            self.claims.add(ClaimPoint {
                claim_id: format!("{}#{}", r.id, c.id),
                record_kind: r.kind.as_str(),
                quantity: c.quantity.as_str().into(),
                population: c.population.as_str().into(),
                scope: c.scope.as_str().into(),
                low,
                high,
                value_as_printed: c.value.clone(),
                stated_by: match agent {
                    Some(a) => format!("{} (`{}`)", a.name, a.id),
                    None => format!("`{stater}`"),
                },
                stater_kind: agent.map_or("other", |a| a.stater_kind()),
                is_total: c.is_total.unwrap_or(true),
                unit: crate::model::claim::unit(c).unwrap_or("").to_string(),
                denial: c.speech_mode == crate::model::claim::SpeechMode::Denial,
                date,
            });
        }
        self.appearances += r.appearances.len() as u64;
        *self.by_kind.entry(r.kind.as_str().into()).or_default() += 1;
        *self
            .by_status
            .entry(r.text_status.as_str().into())
            .or_default() += 1;
        let comps: BTreeSet<&str> = r
            .appearances
            .iter()
            .map(|a| a.compilation.as_str())
            .collect();
        for c in &comps {
            *self.by_compilation.entry((*c).into()).or_default() += 1;
        }
        if comps.len() > 1 {
            self.in_several_compilations += 1;
        }
        self.languages.insert(r.language.clone());
        for p in &r.parallel_texts {
            self.languages.insert(p.language.clone());
        }
        let year = r
            .date
            .as_deref()
            .and_then(|d| crate::model::edtf::parse(d).ok())
            .and_then(|b| b.start)
            .map(|days| crate::model::edtf::ymd_from_days(days).0);
        match year {
            Some(y) => {
                self.years = Some(match self.years {
                    Some((lo, hi)) => (lo.min(y), hi.max(y)),
                    None => (y, y),
                })
            }
            None => self.undated += 1,
        }
    }
}

/// Everything a metadata writer may use.
pub struct ReleaseFacts<'a> {
    pub dataset: &'a Dataset,
    pub compilations: Vec<&'a Compilation>,
    pub specs: Vec<TableSpec>,
    /// Payload files (relative to `data/`) and their digests.
    pub files: BTreeMap<String, FileDigest>,
    pub rows: BTreeMap<String, u64>,
    pub counts: Counts,
    /// The release date as YYYY-MM-DD (from SOURCE_DATE_EPOCH or dataset.toml).
    pub date: String,
    /// What changed since the previous published version, if there is one.
    pub changes: Option<Changes>,
    /// The version of this tool, recorded as the software that made the release.
    pub tool_version: &'static str,
}

impl ReleaseFacts<'_> {
    /// `<name>-<version>`: the release directory and archive name.
    pub fn release_name(&self) -> String {
        format!("{}-{}", self.dataset.name, self.dataset.version)
    }

    /// The year of the release date.
    pub fn year(&self) -> &str {
        self.date.get(..4).unwrap_or("")
    }

    /// The licence's canonical URL, for the SPDX identifiers we know.
    pub fn license_url(&self) -> Option<&'static str> {
        match self.dataset.license.as_str() {
            "CC-BY-4.0" => Some("https://creativecommons.org/licenses/by/4.0/"),
            "CC0-1.0" => Some("https://creativecommons.org/publicdomain/zero/1.0/"),
            "CC-BY-SA-4.0" => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
            "ODbL-1.0" => Some("https://opendatacommons.org/licenses/odbl/1-0/"),
            _ => None,
        }
    }

    /// A citation title of a compilation (its printed title, or a description of why none).
    pub fn compilation_title(c: &Compilation) -> String {
        match &c.title {
            Some(t) => match (&c.publisher, &c.year) {
                (Some(p), Some(y)) => format!("{t} ({p}, {y})"),
                _ => t.clone(),
            },
            None => format!(
                "Untitled compilation `{}` (no title page in the source)",
                c.id
            ),
        }
    }

    /// [`Self::compilation_title`] as plain text, without Markdown marks (site, catalogue records).
    pub fn compilation_title_plain(c: &Compilation) -> String {
        Self::compilation_title(c).replace('`', "")
    }

    /// A one-paragraph description (the dataset's own, whitespace normalised).
    pub fn description(&self) -> String {
        self.dataset
            .description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
