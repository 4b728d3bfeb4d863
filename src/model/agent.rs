//! Agents: every person, group or body that authors, issues, speaks, testifies, reports or is
//! quoted with a figure — one registry and one id space (data/agents.toml).
//!
//! An agent holds what the print says of it: its printed names and affiliations, each with the
//! record where it is printed, so that the registry can be checked against the print. Anything
//! known from outside the compilations stays in `outside_note`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Record;
use super::kinds::Kind;

/// What sort of agent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AgentType {
    /// One person, named or described (`a Reuters photographer`).
    Person,
    /// A group of persons the text speaks of as one (`refugees`, `local officials`).
    Group,
    /// A newspaper, magazine, news agency or broadcaster.
    MediaOutlet,
    /// A non-governmental organisation.
    Ngo,
    /// A government, ministry, executive office or other state body that is not a legislature or court.
    GovernmentBody,
    /// A legislature, one of its chambers or committees.
    Legislature,
    Court,
    IntergovernmentalOrganization,
    /// The compilers of a compilation.
    Compiler,
    Publisher,
}

/// The finer form of a body, where its type has several (`newspaper` of a media outlet).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum BodyForm {
    Newspaper,
    Magazine,
    NewsAgency,
    Broadcaster,
    LegislativeChamber,
    LegislativeCommittee,
    ExecutiveOffice,
    Government,
    Ministry,
    Prosecutor,
    Police,
    Military,
    Hospital,
}

/// What an agent does in the documents (the first role given is its primary one).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Gives an account of what they saw or lived through.
    Witness,
    Official,
    Legislator,
    Journalist,
    Photographer,
    Editor,
    Researcher,
    Author,
    Compiler,
    MedicalWorker,
    Clergy,
    Military,
    Police,
    Investigator,
    Diplomat,
    HumanitarianWorker,
    Pilot,
    Spokesperson,
    /// An inhabitant, refugee or displaced person spoken of as such.
    Resident,
    Other,
}

/// A name or affiliation as printed, and a record where it is printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Printed {
    /// The words exactly as printed.
    pub printed: String,
    /// Id of a record whose text, title, authors or kind fields print these words.
    pub record: String,
}

/// Which authority file an identifier belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityScheme {
    Wikidata,
    Viaf,
    Ror,
}

/// An identifier in an authority file, checked against a stored copy of that file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityId {
    /// Which authority file: `wikidata`, `viaf` or `ror`.
    pub scheme: AuthorityScheme,
    /// The identifier (`Q42`, a VIAF number, a ROR id).
    pub id: String,
    /// Where the stored copy of the authority record that was checked is (URL or archive path and date).
    pub checked_in: String,
}

/// One agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// Stable identifier, lower-case ASCII with hyphens; assigned once, never reused.
    pub id: String,
    /// The name as usually written (for a person or group, the fullest form printed).
    pub name: String,
    /// What sort of agent.
    pub agent_type: AgentType,
    /// The finer form of a body (`newspaper`, `legislative_committee`), where there is one.
    pub form: Option<BodyForm>,
    /// What the agent does in the documents; the first is the primary role.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// True for a witness, or a person named in a testimony, who is not a public figure: the print made them public; the dataset adds nothing about them.
    #[serde(default)]
    pub private_person: bool,
    /// Every form of the name as printed, each with a record where it is printed.
    #[serde(default)]
    pub variants: Vec<Printed>,
    /// The agent's office, employer or description as printed, each with a record where it is printed.
    #[serde(default)]
    pub affiliations: Vec<Printed>,
    /// ISO 3166-1 alpha-2 or ISO 3166-2 code of the country or subdivision a body belongs to.
    pub country: Option<String>,
    /// Id of the agent this one is part of (a committee of a senate).
    pub parent: Option<String>,
    /// Identifiers in authority files, each checked against a stored copy; none rather than one from memory.
    #[serde(default)]
    pub authority_ids: Vec<AuthorityId>,
    /// The curators' note, in a neutral voice, about the print.
    pub note: Option<String>,
    /// Anything known from outside the two compilations; kept apart from what the sources say.
    pub outside_note: Option<String>,
}

/// The file data/agents.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agents {
    /// Every agent.
    #[serde(default)]
    pub agents: Vec<Agent>,
}

as_str_all!(AgentType {
    Person => "person", Group => "group", MediaOutlet => "media_outlet", Ngo => "ngo",
    GovernmentBody => "government_body", Legislature => "legislature", Court => "court",
    IntergovernmentalOrganization => "intergovernmental_organization", Compiler => "compiler",
    Publisher => "publisher",
});
as_str_all!(BodyForm {
    Newspaper => "newspaper", Magazine => "magazine", NewsAgency => "news_agency",
    Broadcaster => "broadcaster", LegislativeChamber => "legislative_chamber",
    LegislativeCommittee => "legislative_committee", ExecutiveOffice => "executive_office",
    Government => "government", Ministry => "ministry", Prosecutor => "prosecutor",
    Police => "police", Military => "military", Hospital => "hospital",
});
as_str_all!(Role {
    Witness => "witness", Official => "official", Legislator => "legislator",
    Journalist => "journalist", Photographer => "photographer", Editor => "editor",
    Researcher => "researcher", Author => "author", Compiler => "compiler",
    MedicalWorker => "medical_worker", Clergy => "clergy", Military => "military",
    Police => "police", Investigator => "investigator", Diplomat => "diplomat",
    HumanitarianWorker => "humanitarian_worker", Pilot => "pilot", Spokesperson => "spokesperson",
    Resident => "resident", Other => "other",
});
as_str_all!(AuthorityScheme { Wikidata => "wikidata", Viaf => "viaf", Ror => "ror" });

impl Agent {
    /// An agent known only by id and name (as a release's agents table gives them).
    pub fn named(id: &str, name: &str) -> Agent {
        Agent {
            id: id.to_string(),
            name: name.to_string(),
            agent_type: AgentType::Publisher,
            form: None,
            roles: Vec::new(),
            private_person: false,
            variants: Vec::new(),
            affiliations: Vec::new(),
            country: None,
            parent: None,
            authority_ids: Vec::new(),
            note: None,
            outside_note: None,
        }
    }

    /// The kind of stater, for grouping figures: a person's or group's primary role
    /// (`witness`, `legislator`, ...), else the agent type (`media_outlet`, `ngo`, ...).
    pub fn stater_kind(&self) -> &'static str {
        match (self.agent_type, self.roles.first()) {
            (AgentType::Person | AgentType::Group, Some(role)) => role.as_str(),
            (t, _) => t.as_str(),
        }
    }
}

/// The registry, by id, with the printed names that resolve a record's author, witness,
/// speaker or official to an agent.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub agents: BTreeMap<String, Agent>,
    /// Printed name -> the agents printed under it (more than one is an ambiguity).
    by_printed: BTreeMap<String, Vec<String>>,
    /// Record id -> the printed names and affiliations said to be printed there.
    printed_in: BTreeMap<String, Vec<PrintedAt>>,
    /// Agent id -> its place in agents.toml (0-based), for locating problems.
    pub places: BTreeMap<String, usize>,
}

/// A printed name or affiliation of an agent, by place: which agent, which list, which entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedAt {
    pub agent: String,
    /// `variants` or `affiliations`.
    pub list: &'static str,
    pub entry: usize,
    pub printed: String,
}

impl Registry {
    /// The registry of `agents`, in their order in agents.toml.
    pub fn from_list(list: Vec<Agent>) -> Self {
        let places = list
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let mut registry = Registry::new(list.into_iter().map(|a| (a.id.clone(), a)).collect());
        registry.places = places;
        registry
    }

    pub fn new(agents: BTreeMap<String, Agent>) -> Self {
        let mut printed_in: BTreeMap<String, Vec<PrintedAt>> = BTreeMap::new();
        for a in agents.values() {
            for (list, entries) in [("variants", &a.variants), ("affiliations", &a.affiliations)] {
                for (entry, p) in entries.iter().enumerate() {
                    printed_in
                        .entry(p.record.clone())
                        .or_default()
                        .push(PrintedAt {
                            agent: a.id.clone(),
                            list,
                            entry,
                            printed: p.printed.clone(),
                        });
                }
            }
        }
        let mut by_printed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for a in agents.values() {
            let names = std::iter::once(a.name.as_str())
                .chain(a.variants.iter().map(|v| v.printed.as_str()));
            for n in names {
                let ids = by_printed.entry(n.to_string()).or_default();
                if !ids.contains(&a.id) {
                    ids.push(a.id.clone());
                }
            }
        }
        Registry {
            agents,
            by_printed,
            printed_in,
            places: BTreeMap::new(),
        }
    }

    /// The names and affiliations said to be printed in record `id`.
    pub fn printed_in(&self, id: &str) -> &[PrintedAt] {
        self.printed_in
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every record id a name or affiliation is said to be printed in.
    pub fn records_printing(&self) -> impl Iterator<Item = &String> {
        self.printed_in.keys()
    }

    pub fn get(&self, id: &str) -> Option<&Agent> {
        self.agents.get(id)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.agents.contains_key(id)
    }

    pub fn values(&self) -> impl Iterator<Item = &Agent> {
        self.agents.values()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.agents.keys()
    }

    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// The agent printed under `name`, as its name or one of its variants.
    pub fn by_name(&self, name: &str) -> NameMatch<'_> {
        match self.by_printed.get(name).map(Vec::as_slice) {
            None | Some([]) => NameMatch::None,
            Some([one]) => NameMatch::One(one),
            Some(many) => NameMatch::Many(many),
        }
    }
}

/// What a printed name resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch<'a> {
    None,
    One(&'a str),
    Many(&'a [String]),
}

/// The names a record prints for the agents it names (its authors, witness, speaker or
/// official), each with the JSON pointer of its field.
pub fn printed_names(r: &Record) -> Vec<(String, &str)> {
    let mut names: Vec<(String, &str)> = r
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("/authors/{i}"), a.as_str()))
        .collect();
    let fields = [
        (
            "/testimony/witness",
            r.testimony.as_ref().and_then(|t| t.witness.as_deref()),
        ),
        (
            "/legislative_remark/speaker",
            r.legislative_remark
                .as_ref()
                .and_then(|t| t.speaker.as_deref()),
        ),
        (
            "/executive_proclamation/official",
            r.executive_proclamation
                .as_ref()
                .and_then(|t| t.official.as_deref()),
        ),
    ];
    for (pointer, name) in fields {
        if let Some(name) = name {
            names.push((pointer.to_string(), name));
        }
    }
    names
}

/// The shorthand a claim may give for the record's own voice.
pub const RECORD_AUTHOR: &str = "record_author";

/// Who the record's own voice is, as printed: a testimony's witness, a remark's speaker, a
/// record's single author; None when it is the issuing body's.
pub fn own_voice_as_printed(r: &Record) -> Option<&str> {
    match r.kind {
        Kind::Testimony => r.testimony.as_ref().and_then(|t| t.witness.as_deref()),
        Kind::LegislativeRemark => r
            .legislative_remark
            .as_ref()
            .and_then(|t| t.speaker.as_deref()),
        _ => match r.authors.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        },
    }
}

/// The agent id of the record's own voice: the agent printed as [`own_voice_as_printed`], else
/// the issuing body. None only when the printed name resolves to no agent or to several
/// (validation reports both).
pub fn own_voice<'a>(r: &'a Record, registry: &'a Registry) -> Option<&'a str> {
    match own_voice_as_printed(r) {
        None => Some(r.body.as_str()),
        Some(name) => match registry.by_name(name) {
            NameMatch::One(id) => Some(id),
            _ => None,
        },
    }
}

/// Replaces the `record_author` shorthand of every claim of `r` with the agent it stands for,
/// so that no published value says `record_author` (left as it is where it resolves to none,
/// which validation reports).
pub fn resolve_claims(r: &mut Record, registry: &Registry) {
    let Some(own) = own_voice(r, registry).map(str::to_string) else {
        return;
    };
    for c in &mut r.claims {
        if c.stated_by == RECORD_AUTHOR {
            c.stated_by.clone_from(&own);
        }
    }
}

/// Who states a claim, resolved: `record_author` becomes the record's own voice.
pub fn resolve_stater<'a>(
    r: &'a Record,
    stated_by: &'a str,
    registry: &'a Registry,
) -> Option<&'a str> {
    if stated_by == RECORD_AUTHOR {
        own_voice(r, registry)
    } else {
        Some(stated_by)
    }
}
