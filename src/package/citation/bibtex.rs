//! BibLaTeX entries of a record: the document (entry type by kind), with the printing and the
//! dataset in `addendum`, followed by the release's `@dataset` entry it is cited from.
//!
//! Escaping follows BibTeX's rules: braces must balance even when escaped, so a literal brace is
//! written `{\textbraceleft}`/`{\textbraceright}` and a backslash `{\textbackslash}`; `& % $ # _`
//! take a backslash, `~` and `^` their text commands. Everything else is UTF-8 (biber and
//! BibTeX with `inputenc` read it). Names are braced whole, so no name is split into given and
//! family parts.

use super::{Citation, DatasetRef, DocType, csl, key};

/// Escapes the characters that are special in BibTeX values.
pub fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("{\\textbraceleft}"),
            '}' => out.push_str("{\\textbraceright}"),
            '\\' => out.push_str("{\\textbackslash}"),
            '~' => out.push_str("{\\textasciitilde}"),
            '^' => out.push_str("{\\textasciicircum}"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A URL for a verbatim field: braces (which would unbalance the entry) percent-encoded.
pub fn url(s: &str) -> String {
    s.replace('{', "%7B")
        .replace('}', "%7D")
        .replace('\\', "%5C")
        .replace(['\n', '\r'], "")
}

/// BibTeX `author` value: each name braced (organisations and names as printed must not be
/// split into given and family names), joined with "and".
pub fn author_field(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{{{}}}", escape(n)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// One entry; every value is braced once more.
pub fn entry(ty: &str, key: &str, fields: &[(&str, String)]) -> String {
    let mut s = format!("@{ty}{{{key},\n");
    for (k, v) in fields {
        s.push_str(&format!("  {k:<12} = {{{v}}},\n"));
    }
    s.push_str("}\n");
    s
}

/// The BibLaTeX entry type of a document type (the "unsupported" types `legislation`,
/// `jurisdiction` and `letter` are in BibLaTeX's data model; styles without them print `misc`).
pub fn entry_type(t: DocType) -> &'static str {
    match t {
        DocType::NewspaperArticle | DocType::MagazineArticle => "article",
        DocType::Report | DocType::GovernmentDocument => "report",
        DocType::Letter => "letter",
        DocType::Bill => "legislation",
        DocType::LegalCase => "jurisdiction",
        DocType::BookSection => "inbook",
        DocType::WebPage => "online",
        DocType::Broadcast | DocType::Interview | DocType::Speech | DocType::Document => "misc",
    }
}

/// The entry of a record's document.
pub fn record_entry(c: &Citation) -> String {
    let d = &c.document;
    let mut f: Vec<(&str, String)> = Vec::new();
    if !d.authors.is_empty() {
        f.push(("author", author_field(&d.authors)));
    }
    if let Some(t) = &d.title {
        // Braced once more: the title keeps its capitals as printed.
        f.push(("title", format!("{{{}}}", escape(t))));
    }
    let ty = entry_type(d.doc_type);
    match d.doc_type {
        DocType::NewspaperArticle | DocType::MagazineArticle => {
            f.push(("journaltitle", escape(&d.issuer)));
            if d.doc_type == DocType::NewspaperArticle {
                f.push(("entrysubtype", "newspaper".into()));
            }
        }
        DocType::Report | DocType::GovernmentDocument => {
            f.push(("institution", escape(&d.issuer)));
            // @report requires a type; the record's form, or a neutral one.
            f.push(("type", escape(d.genre.as_deref().unwrap_or("document"))));
        }
        DocType::BookSection => {
            let book = d
                .container
                .clone()
                .or_else(|| c.printings.first().map(|p| p.title_or_supplied()));
            if let Some(b) = book {
                f.push(("booktitle", escape(&b)));
            }
            f.push((
                "publisher",
                escape(d.publisher.as_deref().unwrap_or(&d.issuer)),
            ));
        }
        DocType::WebPage => f.push(("organization", escape(&d.issuer))),
        _ => {
            f.push(("organization", escape(&d.issuer)));
            if let Some(g) = &d.genre {
                f.push(("type", escape(g)));
            }
        }
    }
    if let Some(container) = &d.container
        && d.doc_type != DocType::BookSection
    {
        f.push(("maintitle", escape(container)));
    }
    if let Some(n) = &d.number {
        f.push(("number", escape(n)));
    }
    if let Some(a) = &d.authority {
        f.push(("note", escape(a)));
    }
    if let Some(p) = &d.place {
        f.push(("location", escape(p)));
    }
    if let Some(date) = &d.date {
        // BibLaTeX reads EDTF levels 0 and 1 (uncertain `?`, approximate `~`, intervals).
        f.push(("date", escape(date)));
    }
    if let Some(p) = &d.pages {
        f.push(("pages", escape(p)));
    }
    if let Some(u) = d.source_urls.first() {
        f.push(("url", url(u)));
    }
    f.push(("langid", escape(&d.language)));
    f.push(("addendum", escape(&csl::note(c))));
    entry(ty, &key(&c.record_id), &f)
}

/// The `@dataset` entry of the release a record is cited from.
pub fn dataset_entry(ds: &DatasetRef) -> String {
    let mut f = vec![
        ("author", author_field(&ds.creators)),
        ("title", format!("{{{}}}", escape(&ds.title))),
        ("date", escape(&ds.date)),
        ("version", escape(&ds.version)),
        ("publisher", escape(&ds.publisher)),
    ];
    if let Some(doi) = &ds.doi {
        f.push(("doi", url(doi)));
    }
    if let Some(u) = &ds.url {
        f.push(("url", url(u)));
    }
    entry("dataset", &ds.key(), &f)
}

/// The record's entry and the release's, as `khojaly cite --format bibtex` prints them.
pub fn record_and_dataset(c: &Citation) -> String {
    format!("{}\n{}", record_entry(c), dataset_entry(&c.dataset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_and_specials_are_escaped_not_dropped() {
        assert_eq!(
            escape("a {b} c"),
            "a {\\textbraceleft}b{\\textbraceright} c"
        );
        assert_eq!(escape("50% & #1_x"), "50\\% \\& \\#1\\_x");
        assert_eq!(
            escape("a\\b ~ ^"),
            "a{\\textbackslash}b {\\textasciitilde} {\\textasciicircum}"
        );
    }
}
