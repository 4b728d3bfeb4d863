//! The per-kind tables: one per record kind, holding `id` and the fields of that kind's own
//! struct (`MediaItemFields`, ...), which is the table's typed row.
//!
//! Each struct's columns are written in a fixed order, alphabetical as in every release so far
//! (changing it changes the tables); names, descriptions and allowed values come from the kind's
//! JSON Schema, and a test checks that every field of the schema has its column.

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use super::{PushRow, Source, Table};
use crate::export::table::ColumnType::{ListUtf8, Utf8};
use crate::export::table::{
    Column, ForeignKey, RowWriter, TableRow, TableSpec, WrittenColumns, keys,
};
use crate::model::kinds::*;
use crate::model::schema::{enum_values, kind_fields_schema};
use crate::model::{Kind, Record};

/// The table of one kind.
pub struct KindTable(pub Kind);

/// One table per kind, in `Kind::ALL` order.
pub fn tables() -> Vec<Box<dyn Table>> {
    Kind::ALL
        .into_iter()
        .map(|kind| Box::new(KindTable(kind)) as Box<dyn Table>)
        .collect()
}

impl Table for KindTable {
    fn spec(&self) -> TableSpec {
        spec(self.0)
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Record { record, .. } if record.kind == self.0 => push(&KindRow { record }),
            _ => Ok(()),
        }
    }
}

/// The table of a kind's own fields: `id`, then a column per field of `[<kind>]`.
pub fn spec(kind: Kind) -> TableSpec {
    let schema = kind_fields_schema(kind);
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut written = WrittenColumns::default();
    write_fields(kind, None, &mut written);
    let mut columns = vec![Column::new(
        "id",
        Utf8,
        false,
        "The record (records table).",
    )];
    for (name, ty) in written.columns {
        let property = properties.and_then(|p| p.get(name));
        let description = property
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        // An absent text is null; an absent list is empty.
        let mut column = Column::new(name, ty, ty != ListUtf8, description);
        column.allowed = property.and_then(|p| enum_values(&schema, p));
        columns.push(column);
    }
    TableSpec {
        name: kind.as_str().into(),
        description: format!(
            "Fields particular to `{}` records. {}",
            kind.as_str(),
            kind.description()
        ),
        columns,
        primary_key: keys(&["id"]),
        foreign_keys: vec![ForeignKey::new(&["id"], "records", &["id"])],
    }
}

/// A record's row in its kind's table.
pub struct KindRow<'a> {
    pub record: &'a Record,
}

impl TableRow for KindRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("id", Some(&self.record.id));
        write_fields(self.record.kind, Some(self.record), out);
    }
}

/// Writes the fields of `kind` held by `record` (all absent without a record, or when it has no
/// field table of its kind).
fn write_fields(kind: Kind, record: Option<&Record>, out: &mut dyn RowWriter) {
    macro_rules! write_kind {
        ([$kind:expr, $record:expr, $out:expr] $($(#[$doc:meta])* $variant:ident, $name:ident, $fields:ident, $prefix:literal, $description:literal;)*) => {
            match $kind {
                $(Kind::$variant => write($record.and_then(|r| r.$name.as_ref()), $out),)*
            }
        };
    }
    crate::model::kinds::with_kinds!(write_kind, kind, record, out);
}

fn write<F: KindColumns>(fields: Option<&F>, out: &mut dyn RowWriter) {
    match fields {
        Some(f) => f.write_values(out),
        None => F::default().write_values(out),
    }
}

/// A kind's fields struct as the columns of its table, in their fixed order.
trait KindColumns: Default {
    fn write_values(&self, out: &mut dyn RowWriter);
}

/// The name an enumeration's value has in the data (`news_agency`): its serde name, as in the
/// kind's JSON Schema.
fn name_in_data<T: Serialize>(value: Option<&T>) -> Option<String> {
    match serde_json::to_value(value?) {
        Ok(Value::String(name)) => Some(name),
        _ => None,
    }
}

impl KindColumns for MediaItemFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("byline", self.byline.as_deref());
        out.text("dateline", self.dateline.as_deref());
        out.text("medium", name_in_data(self.medium.as_ref()).as_deref());
        out.text("page", self.page.as_deref());
    }
}

impl KindColumns for NgoReportFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        let document_type = name_in_data(self.document_type.as_ref());
        out.text("document_type", document_type.as_deref());
        out.text("recipient", self.recipient.as_deref());
        out.text("report_title", self.report_title.as_deref());
    }
}

impl KindColumns for TestimonyFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("event_date", self.event_date.as_deref());
        out.text("recorded_by", self.recorded_by.as_deref());
        out.text("witness", self.witness.as_deref());
        out.text(
            "witness_absent_reason",
            self.witness_absent_reason.as_deref(),
        );
        out.text("witness_description", self.witness_description.as_deref());
    }
}

impl KindColumns for LegislativeResolutionFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("chamber", self.chamber.as_deref());
        out.text("identifier", self.identifier.as_deref());
        out.text(
            "instrument",
            name_in_data(self.instrument.as_ref()).as_deref(),
        );
        out.text("jurisdiction", self.jurisdiction.as_deref());
        out.text("session", self.session.as_deref());
        out.texts("sponsors", &self.sponsors);
        out.text("status", name_in_data(self.status.as_ref()).as_deref());
    }
}

impl KindColumns for LegislativeRemarkFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("chamber", self.chamber.as_deref());
        out.text("jurisdiction", self.jurisdiction.as_deref());
        out.text("session", self.session.as_deref());
        out.text("speaker", self.speaker.as_deref());
        out.text("speaker_description", self.speaker_description.as_deref());
    }
}

impl KindColumns for ExecutiveProclamationFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text(
            "instrument",
            name_in_data(self.instrument.as_ref()).as_deref(),
        );
        out.text("jurisdiction", self.jurisdiction.as_deref());
        out.text("office", self.office.as_deref());
        out.text("official", self.official.as_deref());
    }
}

impl KindColumns for OfficialDocumentFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("form_absent_reason", self.form_absent_reason.as_deref());
        out.text("institution", self.institution.as_deref());
        out.text("jurisdiction", self.jurisdiction.as_deref());
    }
}

impl KindColumns for IntergovernmentalDocumentFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("document_symbol", self.document_symbol.as_deref());
        out.text(
            "instrument",
            name_in_data(self.instrument.as_ref()).as_deref(),
        );
        out.text("meeting", self.meeting.as_deref());
        out.text("organization", self.organization.as_deref());
    }
}

impl KindColumns for ScholarlyWorkFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("pages", self.pages.as_deref());
        out.text("publication_year", self.publication_year.as_deref());
        out.text("publisher", self.publisher.as_deref());
        out.text("work_title", self.work_title.as_deref());
    }
}

impl KindColumns for CourtDecisionFields {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("application_number", self.application_number.as_deref());
        out.text("case_name", self.case_name.as_deref());
        out.text("court", self.court.as_deref());
    }
}

impl KindColumns for CompilerTextFields {
    fn write_values(&self, _: &mut dyn RowWriter) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::ColumnType;

    #[test]
    fn kind_tables_have_id_first_and_typed_enums() {
        let media = spec(Kind::MediaItem);
        assert_eq!(media.columns[0].name, "id");
        let medium = media
            .columns
            .iter()
            .find(|c| c.name == "medium")
            .expect("medium column");
        assert!(
            medium
                .allowed
                .as_ref()
                .is_some_and(|v| v.contains(&"newspaper".to_string()))
        );
        let res = spec(Kind::LegislativeResolution);
        let sponsors = res
            .columns
            .iter()
            .find(|c| c.name == "sponsors")
            .expect("sponsors");
        assert_eq!(sponsors.ty, ListUtf8);
    }

    #[test]
    fn every_field_of_a_kind_has_its_column_of_its_type() {
        for kind in Kind::ALL {
            let schema = kind_fields_schema(kind);
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let table = spec(kind);
            let mut columns: Vec<(&str, ColumnType)> = table
                .columns
                .iter()
                .skip(1)
                .map(|c| (c.name.as_str(), c.ty))
                .collect();
            columns.sort_by_key(|(name, _)| *name);
            let mut fields: Vec<(&str, ColumnType)> = properties
                .iter()
                .map(|(name, p)| {
                    let is_array = p.get("type") == Some(&Value::String("array".into()));
                    (name.as_str(), if is_array { ListUtf8 } else { Utf8 })
                })
                .collect();
            fields.sort_by_key(|(name, _)| *name);
            assert_eq!(columns, fields, "{kind}");
            assert!(
                table.columns.iter().all(|c| !c.description.is_empty()),
                "{kind}"
            );
        }
    }
}
