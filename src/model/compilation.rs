//! A printed compilation and its transcription.
// These doc comments are also the published JSON Schemas' descriptions, where a path such as
// data/compilations/<id>.toml is plain text: rustdoc must not read it as HTML.
#![allow(rustdoc::invalid_html_tags)]

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bibliographic description of one printed compilation (data/compilations/<id>.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compilation {
    /// Stable identifier; the transcription is <id>.txt beside this file.
    pub id: String,
    /// The compilation's title as printed.
    pub title: Option<String>,
    /// Why there is no title (required when `title` is absent).
    pub title_absent_reason: Option<String>,
    /// Publisher as printed.
    pub publisher: Option<String>,
    /// Why there is no publisher (required when `publisher` is absent).
    pub publisher_absent_reason: Option<String>,
    /// Place of publication as printed.
    pub place: Option<String>,
    /// Year of publication as printed.
    pub year: Option<String>,
    /// What the compilation contains, in neutral terms.
    pub description: String,
    /// BCP 47 tag of the compilation's main language.
    pub language: String,
    /// File name of the transcription, relative to data/compilations/.
    pub transcription: String,
    /// SHA-256 of the transcription file, lower-case hex; checked by `khojaly validate`.
    pub transcription_sha256: String,
    /// What the transcription is and what damage it carries.
    pub transcription_note: Option<String>,
    /// The file name the transcription was received under.
    pub source_file: Option<String>,
}
