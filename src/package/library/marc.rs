//! A MARC 21 bibliographic record (MARCXML) describing the dataset as a whole, for catalogues.
//!
//! A computer dataset (leader/06 `m`), Unicode (leader/09 `a`), RDA content `computer dataset`;
//! title, version, publisher and year, summary (the dataset's own neutral description),
//! licence, uncontrolled keywords (653: no controlled subject heading, so no heading can assert
//! anything about the events), creators, and the DOI (024) and address (856) once they exist.

use anyhow::Result;

use super::xml::Xml;
use crate::package::facts::ReleaseFacts;

pub const NAMESPACE: &str = "http://www.loc.gov/MARC21/slim";
pub const SCHEMA: &str = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd";

/// The MARCXML collection with the dataset's record.
pub fn dataset(f: &ReleaseFacts) -> Result<String> {
    let ds = f.dataset;
    let cited = crate::package::citation::DatasetRef::new(ds, &f.date);
    let mut x = Xml::document()?;
    let schema_location = format!("{NAMESPACE} {SCHEMA}");
    x.open(
        "collection",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", &schema_location),
        ],
    )?;
    x.open("record", &[("type", "Bibliographic")])?;
    // 24 characters: length and base address left to the converter (zeros), new record,
    // computer file, monograph, Unicode, two indicators and subfield codes, full level, ISBD.
    x.leaf("leader", &[], "00000nmm a2200000 i 4500")?;
    x.leaf(
        "controlfield",
        &[("tag", "001")],
        &format!("{}-{}", ds.name, ds.version),
    )?;
    x.leaf("controlfield", &[("tag", "008")], &field_008(&f.date))?;
    if let Some(doi) = &cited.doi {
        datafield(&mut x, "024", '7', ' ', &[('a', doi), ('2', "doi")])?;
    }
    datafield(&mut x, "245", '0', '0', &[('a', &ds.title)])?;
    datafield(
        &mut x,
        "250",
        ' ',
        ' ',
        &[('a', &format!("Version {}", ds.version))],
    )?;
    datafield(
        &mut x,
        "264",
        ' ',
        '1',
        &[('b', &ds.publisher), ('c', f.year())],
    )?;
    datafield(
        &mut x,
        "336",
        ' ',
        ' ',
        &[('a', "computer dataset"), ('b', "cod"), ('2', "rdacontent")],
    )?;
    datafield(
        &mut x,
        "337",
        ' ',
        ' ',
        &[('a', "computer"), ('b', "c"), ('2', "rdamedia")],
    )?;
    datafield(
        &mut x,
        "338",
        ' ',
        ' ',
        &[('a', "online resource"), ('b', "cr"), ('2', "rdacarrier")],
    )?;
    datafield(&mut x, "520", ' ', ' ', &[('a', &f.description())])?;
    let mut licence = format!("License: {}.", ds.license);
    if let Some(note) = &ds.license_note {
        licence.push(' ');
        licence.push_str(note);
    }
    datafield(&mut x, "540", ' ', ' ', &[('a', &licence)])?;
    for k in &ds.keywords {
        datafield(&mut x, "653", ' ', ' ', &[('a', k)])?;
    }
    for c in &ds.creators {
        let (tag, first) = if c.creator_type == "person" {
            ("700", '1')
        } else {
            ("710", '2')
        };
        datafield(&mut x, tag, first, ' ', &[('a', &c.name), ('e', "creator")])?;
    }
    let url = cited
        .doi
        .as_ref()
        .map(|d| format!("https://doi.org/{d}"))
        .or_else(|| cited.url.clone());
    if let Some(u) = url {
        datafield(&mut x, "856", '4', '0', &[('u', &u)])?;
    }
    x.close("record")?;
    x.close("collection")?;
    Ok(x.finish())
}

/// 008 for a computer file: date entered (yymmdd, the release date), single date (the release
/// year), place unknown, online, combination of types, language English, cataloguing source
/// other.
fn field_008(date: &str) -> String {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    let yymmdd = digits.get(2..8).unwrap_or("000000");
    let year = digits.get(..4).unwrap_or("uuuu");
    // Positions 00-05 entered, 06 type of date, 07-10 date 1, 11-14 date 2, 15-17 place,
    // 18-21 undefined, 22 audience, 23 form (online), 24-25 undefined, 26 type of computer file
    // (combination), 27 undefined, 28 government publication, 29-34 undefined, 35-37 language,
    // 38 modified record, 39 cataloguing source (other).
    format!("{yymmdd}s{year}    xx      o  m        eng d")
}

fn datafield<W: std::io::Write>(
    x: &mut Xml<W>,
    tag: &str,
    ind1: char,
    ind2: char,
    subfields: &[(char, &str)],
) -> Result<()> {
    let (i1, i2) = (ind1.to_string(), ind2.to_string());
    x.open("datafield", &[("tag", tag), ("ind1", &i1), ("ind2", &i2)])?;
    for (code, value) in subfields {
        let code = code.to_string();
        x.leaf("subfield", &[("code", &code)], value)?;
    }
    x.close("datafield")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_008_field_has_forty_characters() {
        assert_eq!(super::field_008("2026-12-07").chars().count(), 40);
        assert!(super::field_008("2026-12-07").starts_with("261207s2026"));
    }
}
