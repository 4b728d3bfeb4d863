//! The plain-text citation of a record, in the Chicago Manual of Style (17th ed.)
//! notes-bibliography system, full-note form: names in the order printed (a note never inverts
//! them, so nothing is guessed about given and family names), the title in quotation marks as
//! printed, the outlet or issuing body, place and date; then "reprinted in" each compilation with
//! its section and line span, and "cited from" the dataset release with the record id.

use super::{Citation, DateParts, DocType, Printing, date_parts};

/// One note, ending with a full stop.
pub fn note(c: &Citation) -> String {
    let d = &c.document;
    let mut parts: Vec<String> = Vec::new();
    if !d.authors.is_empty() {
        parts.push(names(&d.authors));
    }
    if let Some(t) = &d.title {
        parts.push(format!("“{t}”"));
    }
    if let Some(r) = &d.recipient {
        parts.push(format!("to {r}"));
    }
    if let Some(container) = &d.container {
        parts.push(format!("in {container}"));
    }
    match (&d.genre, &d.number) {
        (_, Some(n)) => parts.push(n.clone()),
        (Some(g), None) if d.doc_type != DocType::NewspaperArticle => parts.push(g.clone()),
        _ => {}
    }
    if let Some(a) = &d.authority
        && a != &d.issuer
    {
        parts.push(a.clone());
    }
    if let Some(p) = &d.publisher {
        parts.push(p.clone());
    }
    let issuer = match &d.place {
        Some(place) if is_periodical(d.doc_type) => format!("{} ({place})", d.issuer),
        _ => d.issuer.clone(),
    };
    parts.push(issuer);
    if let Some(place) = &d.place
        && !is_periodical(d.doc_type)
    {
        parts.push(place.clone());
    }
    if let Some(date) = &d.date {
        parts.push(format_date(date));
    }
    if let Some(p) = &d.pages {
        parts.push(p.clone());
    }
    // Chicago sets the comma after a quoted title inside the quotation marks.
    let mut s = match d.title.as_ref().and_then(|t| {
        let quoted = format!("“{t}”");
        let i = parts.iter().position(|p| *p == quoted)?;
        (i + 1 < parts.len()).then_some((i, t))
    }) {
        Some((i, t)) => {
            let (before, after) = parts.split_at(i + 1);
            let mut head = before.to_vec();
            head.pop();
            head.push(format!("“{t},”"));
            format!("{} {}", head.join(", "), after.join(", "))
        }
        None => parts.join(", "),
    };
    for (i, p) in c.printings.iter().enumerate() {
        s.push_str(if i == 0 {
            ", reprinted in "
        } else {
            "; and in "
        });
        s.push_str(&printing(p));
    }
    let ds = &c.dataset;
    s.push_str(&format!(
        "; cited from {}, {}, version {} ({}, {}), record {}",
        names(&ds.creators),
        ds.title,
        ds.version,
        ds.publisher,
        format_date(&ds.date),
        c.record_id
    ));
    if let Some(doi) = &ds.doi {
        s.push_str(&format!(", https://doi.org/{doi}"));
    } else if let Some(url) = &ds.url {
        s.push_str(&format!(", {url}"));
    }
    s.push('.');
    s
}

/// "Title (Place: Publisher, Year), section “…”, lines a–b of its transcription".
pub fn printing(p: &Printing) -> String {
    let facts: Vec<String> = match (&p.place, &p.publisher) {
        (Some(pl), Some(pb)) => vec![format!("{pl}: {pb}")],
        (None, Some(pb)) => vec![pb.clone()],
        (Some(pl), None) => vec![pl.clone()],
        (None, None) => vec![],
    }
    .into_iter()
    .chain(p.year.clone())
    .collect();
    let facts = if facts.is_empty() {
        String::new()
    } else {
        format!(" ({})", facts.join(", "))
    };
    format!(
        "{}{facts}, section “{}”, lines {}–{} of the transcription",
        p.title_or_supplied(),
        p.section,
        p.lines[0],
        p.lines[1]
    )
}

fn is_periodical(t: DocType) -> bool {
    matches!(
        t,
        DocType::NewspaperArticle | DocType::MagazineArticle | DocType::Broadcast
    )
}

/// "A", "A and B", "A, B, and C".
pub fn names(n: &[String]) -> String {
    match n {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// An EDTF date in Chicago's form: "February 28, 1992", "February 1992", "1992"; uncertain in
/// square brackets with a question mark, approximate with "ca."; an interval as "from–to".
/// Anything else is given as written.
pub fn format_date(edtf: &str) -> String {
    let Some(DateParts {
        parts,
        uncertain,
        approximate,
    }) = date_parts(edtf)
    else {
        return edtf.to_string();
    };
    let one = |p: &Vec<i32>| -> String {
        let month = |m: i32| {
            usize::try_from(m - 1)
                .ok()
                .and_then(|i| crate::model::edtf::MONTH_NAMES.get(i))
                .copied()
        };
        match p.as_slice() {
            [y, m, d] => match month(*m) {
                Some(name) => format!("{name} {d}, {y}"),
                None => edtf.to_string(),
            },
            [y, m] => match month(*m) {
                Some(name) => format!("{name} {y}"),
                None => edtf.to_string(),
            },
            [y] => y.to_string(),
            _ => edtf.to_string(),
        }
    };
    let mut s = parts.iter().map(one).collect::<Vec<_>>().join("–");
    if approximate {
        s = format!("ca. {s}");
    }
    if uncertain {
        s = format!("[{s}?]");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chicago_dates() {
        assert_eq!(format_date("1992-02-28"), "February 28, 1992");
        assert_eq!(format_date("1992-03"), "March 1992");
        assert_eq!(format_date("1997-03-23?"), "[March 23, 1997?]");
        assert_eq!(format_date("1992~"), "ca. 1992");
        assert_eq!(
            format_date("1992-02-25/1992-02-26"),
            "February 25, 1992–February 26, 1992"
        );
    }

    #[test]
    fn chicago_names() {
        let n = |v: &[&str]| names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&["A"]), "A");
        assert_eq!(n(&["A", "B"]), "A and B");
        assert_eq!(n(&["A", "B", "C"]), "A, B, and C");
    }
}
