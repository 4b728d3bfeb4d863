//! The chart of a release: stated death tolls for the corpus's subject event, one mark per claim, by
//! statement date and kind of stater (who the text presents as stating the figure), drawn with
//! plotters' SVG backend. Only totals are drawn: sub-counts, denials and figures in other units
//! are left out.
//!
//! The chart shows statements, not findings: its caption says so. Exact and approximate figures
//! are dots, ranges and vague plurals are vertical bars from low to high, open bounds ("over
//! 600", "up to 500") are triangles pointing the way the words leave open. The y axis is
//! logarithmic because the stated figures span three orders of magnitude.

use std::path::Path;

use anyhow::Result;
use plotters::prelude::*;

use super::facts::{ClaimCounts, ClaimPoint, DrawnPoint, DrawnPoints};
use crate::export::output::{FileDigest, write_digested};
use crate::model::dataset::CorpusProse;
use crate::model::edtf;

/// The caption the chart carries and the card and site repeat; the subject is the corpus's own
/// wording (dataset.toml `[corpus]`).
pub fn caption(corpus: &CorpusProse) -> String {
    format!(
        "Stated death tolls for {}: figures as stated by each source; the dataset does not assess them.",
        corpus.subject
    )
}

/// Kinds of stater, in legend order, with their colours (colour-blind-safe Okabe–Ito palette).
const GROUPS: [(&str, RGBColor); 8] = [
    ("journalist or media outlet", RGBColor(0, 114, 178)),
    ("NGO", RGBColor(230, 159, 0)),
    ("witness or resident", RGBColor(0, 158, 115)),
    ("legislator or legislature", RGBColor(204, 121, 167)),
    ("official or state body", RGBColor(213, 94, 0)),
    ("compilers", RGBColor(86, 180, 233)),
    ("researcher, court or IGO", RGBColor(120, 120, 120)),
    ("other", RGBColor(0, 0, 0)),
];

/// The legend group of a stater kind (`Agent::stater_kind`): every kind has one, so a new role
/// or agent type must be placed here (the test below lists them all).
pub fn stater_group(stater_kind: &str) -> &'static str {
    match stater_kind {
        "journalist" | "photographer" | "editor" | "media_outlet" => "journalist or media outlet",
        "ngo" | "humanitarian_worker" => "NGO",
        "witness" | "resident" => "witness or resident",
        "legislator" | "legislature" => "legislator or legislature",
        "official" | "government_body" | "police" | "military" | "investigator" | "diplomat"
        | "spokesperson" | "pilot" | "medical_worker" | "clergy" => "official or state body",
        "compiler" | "publisher" => "compilers",
        "researcher" | "author" | "court" | "intergovernmental_organization" => {
            "researcher, court or IGO"
        }
        _ => "other",
    }
}

/// Whether a claim states a death toll of the subject event: killed, scope subject_event, a total
/// of persons (not a sub-count, not a denial), counting everyone (all persons, civilians, or
/// unspecified), not a group within it (women, children).
pub fn is_toll(c: &ClaimPoint) -> bool {
    c.quantity == "killed"
        && c.scope == "subject_event"
        && c.is_total
        && !c.denial
        && c.unit == "persons"
        && matches!(
            c.population.as_str(),
            "all_persons" | "civilians" | "unspecified"
        )
}

/// Whether the chart draws a claim: a death toll with a statement date and a bound above 0.
pub fn is_drawn(c: &ClaimPoint) -> bool {
    is_toll(c) && c.date.is_some() && c.low.or(c.high).is_some_and(|v| v > 0)
}

/// Year (with fraction) of a day count.
fn year(days: i32) -> f64 {
    let (y, m, d) = edtf::ymd_from_days(days);
    f64::from(y) + (f64::from(m) - 1.0) / 12.0 + (f64::from(d) - 1.0) / 365.0
}

/// Renders the chart as SVG text: the drawn claims (`is_drawn`), of `tolls` death tolls.
/// `empty_year` places the axis when no statement is dated (the release's year).
pub fn render(
    drawn: &DrawnPoints,
    tolls: usize,
    corpus: &CorpusProse,
    empty_year: f64,
) -> Result<String> {
    let points: Vec<&DrawnPoint> = drawn.marks();
    let undrawn = tolls.saturating_sub(drawn.claims());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 600)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        let (lo_year, hi_year) = points
            .iter()
            .filter_map(|p| p.date.map(year))
            .fold(None, |span: Option<(f64, f64)>, y| {
                Some(span.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
            })
            .unwrap_or((empty_year, empty_year));
        let max_value = points
            .iter()
            .filter_map(|p| p.high.or(p.low))
            .max()
            .unwrap_or(1000)
            .max(10);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Stated death tolls, {}", corpus.subject_short),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(64)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (lo_year.floor() - 0.5)..(hi_year.ceil() + 0.5),
                (1.0_f64..(max_value as f64 * 2.0)).log_scale(),
            )
            .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        chart
            .configure_mesh()
            .x_desc(format!("date of the statement (year). {}", caption(corpus)))
            .y_desc("killed, as stated (log scale)")
            .x_label_formatter(&|y| format!("{y:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .axis_desc_style(("sans-serif", 13))
            .draw()
            .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        for (kind, col) in GROUPS {
            let mine: Vec<&&DrawnPoint> = points.iter().filter(|p| p.group == kind).collect();
            let claims_of_kind: usize = drawn
                .points()
                .iter()
                .filter(|(p, _)| p.group == kind)
                .map(|(_, n)| n)
                .sum();
            if mine.is_empty() {
                continue;
            }
            let style = ShapeStyle::from(&col).filled();
            let at = |p: &DrawnPoint| p.date.map(year).unwrap_or(lo_year);
            let exact: Vec<(f64, f64)> = mine
                .iter()
                .filter_map(|p| match (p.low, p.high) {
                    (Some(l), Some(h)) if l == h => Some((at(p), l as f64)),
                    _ => None,
                })
                .collect();
            let ranges: Vec<(f64, f64, f64)> = mine
                .iter()
                .filter_map(|p| match (p.low, p.high) {
                    (Some(l), Some(h)) if l != h => Some((at(p), l as f64, h as f64)),
                    _ => None,
                })
                .collect();
            let above: Vec<(f64, f64)> = mine
                .iter()
                .filter_map(|p| match (p.low, p.high) {
                    (Some(l), None) => Some((at(p), l as f64)),
                    _ => None,
                })
                .collect();
            let below: Vec<(f64, f64)> = mine
                .iter()
                .filter_map(|p| match (p.low, p.high) {
                    (None, Some(h)) => Some((at(p), h as f64)),
                    _ => None,
                })
                .collect();
            let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("chart: {e}");
            chart
                .draw_series(exact.iter().map(|(x, y)| Circle::new((*x, *y), 4, style)))
                .map_err(|e| fail(&e))?
                .label(format!("{kind} ({claims_of_kind})"))
                .legend(move |(x, y)| Circle::new((x, y), 4, ShapeStyle::from(&col).filled()));
            chart
                .draw_series(ranges.iter().map(|(x, l, h)| {
                    PathElement::new(vec![(*x, *l), (*x, *h)], col.stroke_width(3))
                }))
                .map_err(|e| fail(&e))?;
            chart
                .draw_series(
                    above
                        .iter()
                        .map(|(x, y)| TriangleMarker::new((*x, *y), 6, style)),
                )
                .map_err(|e| fail(&e))?;
            chart
                .draw_series(below.iter().map(|(x, y)| {
                    EmptyElement::at((*x, *y))
                        + Polygon::new(vec![(-6, -4), (6, -4), (0, 6)], style)
                }))
                .map_err(|e| fail(&e))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 13))
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        root.draw(&Text::new(
            format!(
                "{} totals of persons killed (all, civilians or unspecified) drawn{}, coloured by who the text presents as stating them; dot: exact or approximate, bar: range, ▲ more than / at least, ▼ up to; {undrawn} without a date or bound not drawn.",
                drawn.claims(),
                if drawn.mark_per_claim() {
                    ""
                } else {
                    " (one mark per distinct point)"
                }
            ),
            (16, 584),
            ("sans-serif", 12),
        ))
        .map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("chart: {e}"))?;
    }
    Ok(svg)
}

/// Writes the chart into the payload directory; returns its digest.
pub fn write(
    payload: &Path,
    claims: &ClaimCounts,
    corpus: &CorpusProse,
    empty_year: f64,
) -> Result<FileDigest> {
    let svg = render(&claims.drawn, claims.tolls, corpus, empty_year)?;
    write_digested(&payload.join(corpus.chart_file()), svg.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_corpus() -> CorpusProse {
        CorpusProse {
            subject: "the events at a place of 1–2 May 1900".into(),
            subject_short: "a place, 1–2 May 1900".into(),
            wider_context: String::new(),
            sources: String::new(),
            sources_published_by: None,
            motivation: String::new(),
            collection: String::new(),
            biases: String::new(),
            uses: String::new(),
            chart_file: None,
        }
    }

    fn point(low: u64) -> DrawnPoint {
        DrawnPoint {
            group: "journalist or media outlet",
            low: Some(low),
            high: Some(low),
            date: Some(8000),
        }
    }

    #[test]
    fn every_stater_kind_has_a_legend_group() {
        use crate::model::agent::{AgentType, Role};
        for kind in AgentType::ALL
            .iter()
            .map(|t| t.as_str())
            .chain(Role::ALL.iter().map(|r| r.as_str()))
            .filter(|k| !matches!(*k, "person" | "group" | "other"))
        {
            assert_ne!(stater_group(kind), "other", "{kind}");
        }
    }

    #[test]
    fn each_claim_has_a_mark_up_to_the_limit_then_each_distinct_point() {
        let mut drawn = DrawnPoints::default();
        for v in [613, 613, 1000] {
            drawn.push(point(v));
        }
        assert!(drawn.mark_per_claim());
        assert_eq!(drawn.marks().len(), 3);
        let svg = render(&drawn, 4, &test_corpus(), 2000.0).expect("renders");
        assert!(svg.contains("3 totals of persons killed"), "{svg}");
        assert!(svg.contains("journalist or media outlet (3)"), "{svg}");

        for i in 0..crate::package::facts::MARK_PER_CLAIM_LIMIT {
            drawn.push(point(100 + (i % 7) as u64));
        }
        assert!(!drawn.mark_per_claim());
        // 613, 1000 and the seven values from 100.
        assert_eq!(drawn.marks().len(), 9);
        assert_eq!(
            drawn.claims(),
            3 + crate::package::facts::MARK_PER_CLAIM_LIMIT
        );
        let svg = render(&drawn, drawn.claims(), &test_corpus(), 2000.0).expect("renders");
        assert!(
            svg.contains(&format!(
                "{} totals of persons killed (all, civilians or unspecified) drawn (one mark per distinct point)",
                drawn.claims()
            )),
            "{svg}"
        );
        // The legend still counts claims, not marks.
        assert!(
            svg.contains(&format!("journalist or media outlet ({})", drawn.claims())),
            "{svg}"
        );
    }
}
