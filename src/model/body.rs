//! Issuing bodies: who published or issued a document (outlet, organisation, legislature, office).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What sort of body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyType {
    Newspaper,
    Magazine,
    NewsAgency,
    Broadcaster,
    Ngo,
    Legislature,
    LegislativeChamber,
    LegislativeCommittee,
    ExecutiveOffice,
    Government,
    IntergovernmentalOrganization,
    Court,
    Publisher,
    Compiler,
    Person,
}

/// One issuing body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Stable identifier, lower-case ASCII with hyphens.
    pub id: String,
    /// The name as usually written.
    pub name: String,
    /// What sort of body it is.
    #[serde(rename = "type")]
    pub body_type: BodyType,
    /// ISO 3166-1 alpha-2 or ISO 3166-2 code of the country or subdivision the body belongs to.
    pub country: Option<String>,
    /// Other spellings of the name as printed in the sources.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Id of the body this one is part of (a committee of a senate).
    pub parent: Option<String>,
    /// The curators' note.
    pub note: Option<String>,
}

/// The file data/bodies.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bodies {
    /// Every issuing body.
    #[serde(default)]
    pub bodies: Vec<Body>,
}
