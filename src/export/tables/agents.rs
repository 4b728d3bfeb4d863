//! The agents tables: every person, group or body that authors, issues, speaks, testifies,
//! reports or is quoted with a figure (`agents`), and the names and affiliations the print gives
//! each, with where (`agent_names`).

use anyhow::Result;

use super::{PushRow, Source, Table, push_all};
use crate::export::table::ColumnType::{Bool, ListUtf8, Utf8};
use crate::export::table::{Column, ForeignKey, RowWriter, TableRow, TableSpec, keys};
use crate::model::Agent;
use crate::model::agent::{AgentType, BodyForm, Role};

pub struct Agents;

impl Table for Agents {
    fn spec(&self) -> TableSpec {
        spec()
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Agent(agent) => push_all([AgentRow(agent)], push),
            _ => Ok(()),
        }
    }
}

/// The table's columns, in their fixed order, and its keys.
pub fn spec() -> TableSpec {
    let types: Vec<&str> = AgentType::ALL.iter().map(|t| t.as_str()).collect();
    let forms: Vec<&str> = BodyForm::ALL.iter().map(|t| t.as_str()).collect();
    TableSpec {
        name: "agents".into(),
        description: "Every person, group or body that authors, issues, speaks, testifies, reports or is quoted with a figure in the records: one id space for issuers (records.body_id), stated_by and reported_by of claims. Names and affiliations are as printed (agent_names table).".into(),
        columns: vec![
            Column::new("agent_id", Utf8, false, "Stable agent identifier."),
            Column::new("name", Utf8, false, "The name as usually written; for a person or group, the fullest form printed."),
            Column::new("agent_type", Utf8, false, "What sort of agent: a person, a group of persons, or a kind of body.").allowed(&types),
            Column::new("form", Utf8, true, "The finer form of a body (newspaper, legislative_committee, ...), where there is one.").allowed(&forms),
            Column::new("roles", ListUtf8, false, "What the agent does in the documents (witness, official, legislator, journalist, ...); the first is the primary role."),
            Column::new("primary_role", Utf8, true, "The first of `roles`, for grouping."),
            Column::new("stater_kind", Utf8, false, "The kind of stater, for grouping figures: a person's or group's primary role, else the agent type."),
            Column::new("private_person", Bool, false, "True for a witness, or a person named in a testimony, who is not a public figure: the dataset holds nothing about them beyond the print."),
            Column::new("affiliations", ListUtf8, false, "The agent's office, employer or description, as printed (where: agent_names table)."),
            Column::new("country", Utf8, true, "ISO 3166 code of the country or subdivision a body belongs to."),
            Column::new("parent", Utf8, true, "Id of the agent this one is part of."),
            Column::new("wikidata", Utf8, true, "Wikidata item, only where checked against a stored copy of the authority record."),
            Column::new("viaf", Utf8, true, "VIAF identifier, only where checked against a stored copy."),
            Column::new("ror", Utf8, true, "ROR identifier, only where checked against a stored copy."),
            Column::new("note", Utf8, true, "Curators' note about the print."),
            Column::new("outside_note", Utf8, true, "Anything known from outside the two compilations, kept apart from what the sources say."),
        ],
        primary_key: keys(&["agent_id"]),
        foreign_keys: vec![ForeignKey::new(&["parent"], "agents", &["agent_id"])],
    }
}

/// One agent.
pub struct AgentRow<'a>(pub &'a Agent);

impl TableRow for AgentRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        let a = self.0;
        let roles: Vec<String> = a.roles.iter().map(|r| r.as_str().to_string()).collect();
        let affiliations: Vec<String> = a.affiliations.iter().map(|p| p.printed.clone()).collect();
        let authority = |scheme| {
            a.authority_ids
                .iter()
                .find(|i| i.scheme == scheme)
                .map(|i| i.id.as_str())
        };
        use crate::model::agent::AuthorityScheme::*;
        out.text("agent_id", Some(&a.id));
        out.text("name", Some(&a.name));
        out.text("agent_type", Some(a.agent_type.as_str()));
        out.text("form", a.form.map(BodyForm::as_str));
        out.texts("roles", &roles);
        out.text("primary_role", a.roles.first().map(|r| Role::as_str(*r)));
        out.text("stater_kind", Some(a.stater_kind()));
        out.bool("private_person", a.private_person);
        out.texts("affiliations", &affiliations);
        out.text("country", a.country.as_deref());
        out.text("parent", a.parent.as_deref());
        out.text("wikidata", authority(Wikidata));
        out.text("viaf", authority(Viaf));
        out.text("ror", authority(Ror));
        out.text("note", a.note.as_deref());
        out.text("outside_note", a.outside_note.as_deref());
    }
}

pub struct AgentNames;

impl Table for AgentNames {
    fn spec(&self) -> TableSpec {
        TableSpec {
            name: "agent_names".into(),
            description: "Each name and affiliation of an agent as printed, with a record where it is printed (validation checks that the record prints it), so the agents table can be checked against the print.".into(),
            columns: vec![
                Column::new("agent_id", Utf8, false, "The agent (agents table)."),
                Column::new("what", Utf8, false, "`name` (a form of the agent's name) or `affiliation` (an office, employer or description).").allowed(&["name", "affiliation"]),
                Column::new("printed", Utf8, false, "The words exactly as printed."),
                Column::new("record_id", Utf8, false, "A record that prints these words (records table)."),
            ],
            primary_key: keys(&["agent_id", "what", "printed", "record_id"]),
            foreign_keys: vec![
                ForeignKey::new(&["agent_id"], "agents", &["agent_id"]),
                ForeignKey::new(&["record_id"], "records", &["id"]),
            ],
        }
    }

    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()> {
        match source {
            Source::Agent(a) => push_all(
                a.variants
                    .iter()
                    .map(|p| ("name", p))
                    .chain(a.affiliations.iter().map(|p| ("affiliation", p)))
                    .map(|(what, p)| NameRow {
                        agent_id: &a.id,
                        what,
                        printed: &p.printed,
                        record_id: &p.record,
                    }),
                push,
            ),
            _ => Ok(()),
        }
    }
}

/// One printed name or affiliation.
pub struct NameRow<'a> {
    pub agent_id: &'a str,
    pub what: &'static str,
    pub printed: &'a str,
    pub record_id: &'a str,
}

impl TableRow for NameRow<'_> {
    fn write_values(&self, out: &mut dyn RowWriter) {
        out.text("agent_id", Some(self.agent_id));
        out.text("what", Some(self.what));
        out.text("printed", Some(self.printed));
        out.text("record_id", Some(self.record_id));
    }
}
