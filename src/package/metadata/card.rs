//! The dataset card, `README.md` of a release: Hugging Face front matter, then a datasheet.
//!
//! Generated from the data on every release (counts are computed, never typed), so it is never
//! edited by hand.

use super::yaml;
use crate::package::facts::ReleaseFacts;

pub fn card(f: &ReleaseFacts) -> String {
    let ds = f.dataset;
    let c = &f.counts;
    let mut s = String::from("---\n");
    s.push_str(&format!("pretty_name: {}\n", yaml(&ds.title)));
    s.push_str(&format!("license: {}\n", ds.license.to_lowercase()));
    s.push_str("language:\n");
    for l in &c.languages {
        s.push_str(&format!("- {}\n", l.split('-').next().unwrap_or(l)));
    }
    s.push_str(&format!(
        "size_categories:\n- {}\n",
        size_category(c.records)
    ));
    s.push_str("tags:\n");
    for k in &ds.keywords {
        s.push_str(&format!("- {}\n", yaml(k)));
    }
    s.push_str("configs:\n");
    for (i, spec) in f.specs.iter().enumerate() {
        s.push_str(&format!("- config_name: {}\n", spec.name));
        s.push_str(&format!("  data_files: data/{}.parquet\n", spec.name));
        if i == 0 {
            s.push_str("  default: true\n");
        }
    }
    s.push_str("---\n\n");

    s.push_str(&format!("# {} {}\n\n", ds.title, ds.version));
    s.push_str(&format!("{}\n\n", f.description()));
    s.push_str(&format!(
        "Released {}. Cite it with `CITATION.cff` or `citation.bib`; cite one record by its id and this version (`khojaly cite ID`).\n\n",
        f.date
    ));

    s.push_str("## Motivation\n\n");
    s.push_str(&format!("{}\n\n", ds.corpus.motivation));

    s.push_str("## Composition\n\n");
    s.push_str(&format!(
        "{} records (documents) with {} printings (appearances); {} records are printed in more than one compilation.\n\n",
        c.records, c.appearances, c.in_several_compilations
    ));
    s.push_str("| kind | records |\n|---|---:|\n");
    for (k, n) in &c.by_kind {
        s.push_str(&format!("| `{k}` | {n} |\n"));
    }
    s.push_str("\n| text status | records |\n|---|---:|\n");
    for (k, n) in &c.by_status {
        s.push_str(&format!("| `{k}` | {n} |\n"));
    }
    s.push_str("\n| compilation | records printed in it |\n|---|---:|\n");
    for comp in &f.compilations {
        let n = c.by_compilation.get(&comp.id).copied().unwrap_or(0);
        s.push_str(&format!(
            "| `{}`: {} | {n} |\n",
            comp.id,
            ReleaseFacts::compilation_title(comp)
        ));
    }
    if let Some((lo, hi)) = c.years {
        s.push_str(&format!(
            "\nDocument dates range from {lo} to {hi}; {} records carry no date, each with the reason in `date_absent_reason`.\n",
            c.undated
        ));
    }
    s.push_str("\n| table | rows | files |\n|---|---:|---|\n");
    for spec in &f.specs {
        let rows = f.rows.get(&spec.name).copied().unwrap_or(0);
        s.push_str(&format!(
            "| `{0}` | {rows} | `data/{0}.parquet`, `data/{0}.csv` |\n",
            spec.name
        ));
    }
    s.push_str("\n`data/records.jsonl` holds the full nested records; `data/schema/` the JSON Schema of every record kind and table.\n\n");

    s.push_str(&claims_section(f));

    s.push_str("## Collection and curation\n\n");
    s.push_str(&format!("{}\n\n", ds.corpus.collection));

    s.push_str("## Known biases of the sources\n\n");
    s.push_str(&format!("{}\n\n", ds.corpus.biases));

    s.push_str("## Uses\n\n");
    s.push_str(&format!("{}\n\n", ds.corpus.uses));

    s.push_str("## Distribution and licence\n\n");
    s.push_str(&format!(
        "Licence of the dataset's structure, metadata and curation: {}. ",
        ds.license
    ));
    if let Some(note) = &ds.license_note {
        s.push_str(note);
    }
    s.push_str(&format!(
        "\n\nThe release is a BagIt bag (`bagit.txt`, `manifest-sha256.txt`, `manifest-sha512.txt`, `tagmanifest-sha256.txt`){0}. Check it with `khojaly verify DIR` or `bagit.py --validate DIR`. In the CSV files only, a text cell that starts with `=`, `+`, `-` or `@` is written with a single quote in front, so that spreadsheets do not run it as a formula; strip that one quote to get the value back (Parquet and JSON Lines hold the exact values). Metadata: `datapackage.json` (Data Package v2), `croissant.jsonld`, `datacite.json`, `CITATION.cff`, `citation.bib`.\n\n",
        distributed_as(ds, &f.release_name())
    ));

    s.push_str("## Maintenance\n\n");
    s.push_str(&format!(
        "Maintained by {}. Versions follow semantic versioning for data: a schema change is a major version, added or withdrawn records a minor version, corrections a patch. A published version never changes; record ids are never reused. `CHANGELOG.md` lists what changed since the previous version.\n",
        ds.publisher
    ));
    s
}

/// The claims section: counts by quantity and kind of source, the range of stated values per
/// quantity with who states each end, and the chart.
fn claims_section(f: &ReleaseFacts) -> String {
    let claims = &f.counts.claims;
    let mut s = String::from("## Figures stated in the documents (claims)\n\n");
    if claims.total == 0 {
        s.push_str("No claims are curated in this version.\n\n");
        return s;
    }
    s.push_str(&format!(
        "{} figure statements are curated as claims (`data/claims.parquet`, `data/claims.csv`): each with its quote (an exact substring of the record's text, with character offsets), the figure as printed and the bounds its words allow by documented rules, what and whom it counts, who the text presents as stating it (an agent of `data/agents.parquet`: a witness, a speaker, an official quoted by a newspaper, or the record's author or issuer) and through whom it reaches the record, in what mode. The claims report statements: the sources disagree, and the dataset does not assess which figure is right. Every number in every text is either inside a claim's quote, a date, or declared as not a figure with its reason.\n\n",
        claims.total
    ));
    let by = &claims.by_quantity_kind;
    let mut kinds: Vec<&str> = by.keys().map(|(_, k)| k.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let mut quantities: Vec<&str> = by.keys().map(|(q, _)| q.as_str()).collect();
    quantities.dedup();
    s.push_str(&format!(
        "| quantity | claims | {} |\n|---|---:|{}\n",
        kinds.join(" | "),
        "---:|".repeat(kinds.len())
    ));
    let count = |q: &str, k: &str| {
        by.get(&(q.to_string(), k.to_string()))
            .copied()
            .unwrap_or(0)
    };
    for q in &quantities {
        let total: usize = kinds.iter().map(|k| count(q, k)).sum();
        let cells: Vec<String> = kinds.iter().map(|k| count(q, k).to_string()).collect();
        s.push_str(&format!("| `{q}` | {total} | {} |\n", cells.join(" | ")));
    }
    s.push_str(&format!("\nThe range of stated values per quantity, for totals of persons about {} (scope `subject_event`; not sub-counts or denials) that count everyone (population `all_persons`, `civilians` or `unspecified`, not a group such as women or children), each end attributed as the text attributes it (the lowest lower bound and the highest upper bound stated; open bounds such as \"over 600\" count with the bound they give):\n\n| quantity | lowest stated | stated by | highest stated | stated by |\n|---|---:|---|---:|---|\n", f.dataset.corpus.subject));
    for q in quantities.iter().filter(|q| **q != "other") {
        if let (Some((lv, lc)), Some((hv, hc))) = (claims.lowest.get(*q), claims.highest.get(*q)) {
            s.push_str(&format!(
                "| `{q}` | {lv} (“{}”) | {} (`{}`) | {hv} (“{}”) | {} (`{}`) |\n",
                lc.value_as_printed,
                lc.stated_by,
                lc.claim_id,
                hc.value_as_printed,
                hc.stated_by,
                hc.claim_id
            ));
        }
    }
    s.push_str(&format!(
        "\n![{0}](data/{1})\n\n*{0}* One mark per stated total of persons killed (all persons, civilians or unspecified; not sub-counts or denials), by the date of the statement, coloured by the kind of stater (who the text presents as stating the figure: a witness, an official, a legislator, a journalist or outlet, an NGO, the compilers, ...); bars are ranges, triangles open bounds. `khojaly claims --quantity killed` lists them with their quotes.\n\n",
        crate::package::chart::caption(&f.dataset.corpus),
        f.dataset.corpus.chart_file()
    ));
    s
}

/// How the publisher distributes the bag besides itself, as dataset.toml's `archives` declares
/// (not `release --archives`, a local choice that must not change the bag's bytes).
fn distributed_as(ds: &crate::model::Dataset, name: &str) -> String {
    let names: Vec<String> =
        crate::package::archive::Archives::from_setting(ds.archives.as_deref())
            .suffixes()
            .iter()
            .map(|suffix| format!("`{name}.{suffix}`"))
            .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(", also distributed as {}", names.join(" and "))
    }
}

fn size_category(n: u64) -> &'static str {
    match n {
        0..1_000 => "n<1K",
        1_000..10_000 => "1K<n<10K",
        10_000..100_000 => "10K<n<100K",
        100_000..1_000_000 => "100K<n<1M",
        _ => "1M<n<10M",
    }
}
