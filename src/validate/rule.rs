//! The validation rules: each with a stable id (shown as `[id]` after a message), a stable code
//! (in `--format json`), what it checks, a broken fixture and a line in CURATING.md (checked by
//! tests/rules.rs). Codes are never reused or renumbered: a new rule takes the next one.

use std::fmt;

macro_rules! rules {
    ($($variant:ident => $id:literal, $code:literal, $summary:literal;)*) => {
        /// A validation rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = $summary] $variant,)*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The short name shown after a message, e.g. `fidelity`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The stable code, e.g. `K041`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            /// What the rule checks, in a line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }
        }
    };
}

rules! {
    TomlSyntax => "toml-syntax", "K001", "TOML syntax errors: every one in a file, each located";
    TomlDatetime => "toml-datetime", "K002", "a TOML date without quotes where an EDTF string is expected";
    Encoding => "encoding", "K003", "a file that is not valid UTF-8";
    LineEnds => "line-ends", "K004", "Windows (CRLF) line ends in a data file";
    MissingFile => "missing-file", "K005", "a file that cannot be read";
    SpecialFile => "special-file", "K006", "a FIFO, socket or device inside the data directory (never read)";
    Symlink => "symlink", "K007", "a symbolic link inside the data directory (never followed)";
    StrayFile => "stray-file", "K008", "a file in records/ that is not a record file";
    KindFolder => "kind-folder", "K009", "a record in the folder of another kind, or a folder that names no kind";
    FileName => "file-name", "K010", "a file name that differs from the id it holds";
    MissingField => "missing-field", "K011", "a required field is missing";
    UnknownField => "unknown-field", "K012", "a field the schema does not know (with the closest known name)";
    WrongType => "wrong-type", "K013", "a value of the wrong type or outside its allowed values";
    Dataset => "dataset", "K014", "dataset.toml: name, corpus prose and chart file";
    Edtf => "edtf", "K015", "a date that is not valid EDTF, or a release date that is not a calendar date";
    IdFormat => "id-format", "K016", "an id that is not lower-case ASCII with hyphens, or not of its kind's form";
    IdDate => "id-date", "K017", "a record id whose date part disagrees with the record's date";
    IdReused => "id-reused", "K018", "an id that belonged to a record withdrawn in a published version";
    DuplicateId => "duplicate-id", "K019", "an id used by more than one record";
    ReleaseManifest => "release-manifest", "K020", "a published-version manifest that is damaged, misnamed or doubled";
    LanguageTag => "language-tag", "K021", "a language that is not a valid BCP 47 tag";
    Jurisdiction => "jurisdiction", "K022", "a jurisdiction that is not an ISO 3166 code";
    Url => "url", "K023", "a source URL that is not a web address";
    AbsentReason => "absent-reason", "K024", "an absent value (title, date, author, form) without its reason";
    TextStatus => "text-status", "K025", "a text status that contradicts the record's texts";
    TextHygiene => "text-hygiene", "K026", "a text that is not NFC, or holds tabs, control or bidirectional characters, or paragraphs laid out wrongly";
    PartOf => "part-of", "K027", "a `part_of` reference to the record itself or to no record";
    UnknownAgent => "unknown-agent", "K028", "an agent id that agents.toml does not define";
    AgentName => "agent-name", "K029", "an author, witness, speaker or official that resolves to no agent, or to several";
    AgentPrinted => "agent-printed", "K030", "an agent variant or affiliation not printed in the record it names";
    UnusedAgent => "unused-agent", "K031", "an agent no record refers to";
    PrivatePersonType => "private-person-type", "K032", "a private person flagged on an agent that is not a person";
    PrivatePersonAuthority => "private-person-authority", "K033", "an authority identifier on a private person";
    UnknownCompilation => "unknown-compilation", "K034", "an appearance in a compilation that does not exist";
    Transcription => "transcription", "K035", "a transcription that cannot be read";
    TranscriptionPath => "transcription-path", "K036", "a transcription path outside data/compilations, or through a link";
    TranscriptionSha256 => "transcription-sha256", "K037", "a transcription whose SHA-256 differs from the recorded one";
    LineSpan => "line-span", "K038", "a line span outside the transcription, or reversed";
    LayoutToken => "layout-token", "K039", "a declared layout token that is not printed on its line";
    Omission => "omission", "K040", "an omission declared wrongly (lines and printed words, reason)";
    Emendation => "emendation", "K041", "an emendation whose printed form is not printed where the text changes it";
    Fidelity => "fidelity", "K042", "the text and its printing do not account for each other, word by word, both ways";
    Completeness => "completeness", "K043", "a printing marked complete that lacks words another printing prints";
    Claim => "claim", "K044", "a claim whose quote, value, bounds or relations do not hold";
    ClaimAsPrinted => "claim-as-printed", "K045", "a stater's words as printed that are not in the record's text or title";
    ClaimAttribution => "claim-attribution", "K046", "a witness's or speaker's own figure attributed to the record's issuer";
    ClaimQualifier => "claim-qualifier", "K047", "a figure the reading rules cannot read, without a curated qualifier";
    ClaimUnit => "claim-unit", "K048", "a unit that is not in the vocabulary";
    ClaimReference => "claim-reference", "K049", "a reference to a claim that does not exist";
    NotFigure => "not-figure", "K050", "a number declared as no figure that is not in the text, or without its reason";
    FigureCoverage => "figure-coverage", "K051", "a number in a text that is neither in a claim's quote nor declared";
    Kind => "kind", "K052", "a record whose `kind` is missing or names no record kind";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes_are_unique() {
        let ids: std::collections::BTreeSet<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        let codes: std::collections::BTreeSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        assert_eq!(codes.len(), Rule::ALL.len());
    }
}
