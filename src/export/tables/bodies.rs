//! The bodies table: the issuing bodies (outlets, organisations, legislatures, offices, ...).

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{ListUtf8, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, keys};
use crate::model::Body;

pub struct Bodies;

impl Table for Bodies {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Body(body) => push_all([row(body)], push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    TableSpec {
        name: "bodies".into(),
        description:
            "Issuing bodies: outlets, organisations, legislatures, offices, courts and compilers."
                .into(),
        columns: vec![
            Column::new("id", Utf8, false, "Stable body identifier."),
            Column::new("name", Utf8, false, "The name as usually written."),
            Column::new("type", Utf8, false, "What sort of body."),
            Column::new(
                "country",
                Utf8,
                true,
                "ISO 3166 code of the country or subdivision.",
            ),
            Column::new(
                "aliases",
                ListUtf8,
                false,
                "Other spellings of the name as printed in the sources.",
            ),
            Column::new("parent", Utf8, true, "Id of the body this one is part of."),
            Column::new("note", Utf8, true, "Curators' note."),
        ],
        primary_key: keys(&["id"]),
        foreign_keys: vec![ForeignKey::new(&["parent"], "bodies", &["id"])],
    }
}

/// One issuing body.
pub struct BodyRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The body type's name in the data (`news_agency`).
    pub body_type: Option<String>,
    pub country: Option<&'a str>,
    pub aliases: &'a [String],
    pub parent: Option<&'a str>,
    pub note: Option<&'a str>,
}

impl TableRow for BodyRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("id", Some(self.id));
        out.text("name", Some(self.name));
        out.text("type", self.body_type.as_deref());
        out.text("country", self.country);
        out.texts("aliases", self.aliases);
        out.text("parent", self.parent);
        out.text("note", self.note);
    }
}

pub fn row(b: &Body) -> BodyRow<'_> {
    BodyRow {
        id: &b.id,
        name: &b.name,
        body_type: serde_json::to_value(b.body_type)
            .ok()
            .and_then(|v| v.as_str().map(String::from)),
        country: b.country.as_deref(),
        aliases: &b.aliases,
        parent: b.parent.as_deref(),
        note: b.note.as_deref(),
    }
}
