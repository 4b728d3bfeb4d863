//! The publisher of the Khojaly Documentary Corpus, and of any corpus laid out the same way:
//! it loads a data folder of schema-defined records, validates every record against its
//! printed source, and writes versioned, byte-reproducible releases (Parquet, CSV, JSON Lines,
//! JSON Schema, BagIt, citation and library metadata, a static site).
//!
//! The `khojaly` command is the usual way in; this library offers the same steps to Rust code.
//! A data folder holds `dataset.toml`, `agents.toml`, `compilations/` and
//! `records/<kind>/<id>.toml` (see README.md, "Another corpus"); the examples below use the
//! small fictional corpus in `examples/harbour-society/`.
//!
//! - [`validate()`]: every problem of a data folder, located, and the corpus when it loads.
//! - [`read_record`]: one record and the small files it refers to, without the rest.
//! - [`release`]: validate and write a release, in one pass over the records.
//! - [`verify`]: check a release bag against its manifests.
//! - [`diff`]: compare two release folders record by record.
//! - [`citation`]: how to cite a record (text, BibTeX, CSL-JSON, RIS).
//! - [`model`]: the records' types, from which the published JSON Schemas are made.
//!
//! Inside, the stages run one way (load, compare, validate, export, package, serve; see
//! docs/ARCHITECTURE.md) and are private: what is public is re-exported here.
//!
//! ```
//! use khojaly::{DataDir, validate};
//!
//! let data = DataDir::new("examples/harbour-society");
//! let (corpus, problems) = validate(&data)?;
//! assert!(problems.is_empty());
//! let corpus = corpus.expect("a folder without problems loads");
//! assert_eq!(corpus.record_files.len(), 4);
//! # anyhow::Ok(())
//! ```
//!
//! One record, and how to cite it:
//!
//! ```
//! use khojaly::{DataDir, citation, read_record};
//!
//! let data = DataDir::new("examples/harbour-society");
//! let one = read_record(&data, "media-2024-04-12-averly-gazette-allotments-open")?
//!     .expect("the record exists");
//! assert_eq!(one.record.kind, khojaly::model::Kind::MediaItem);
//! let cited = citation::of_record(&one);
//! assert!(citation::bibtex::record_and_dataset(&cited).starts_with("@article{"));
//! assert!(citation::ris::reference(&cited).starts_with("TY  - "));
//! # anyhow::Ok(())
//! ```
//!
//! A release, checked and compared. Publishing a version records it in the data folder's
//! `releases/`, so this works on a copy:
//!
//! ```
//! use khojaly::{Archives, DataDir, Packaging, ReleaseOutcome, Validation, diff, release, verify};
//! # fn copy(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
//! #     std::fs::create_dir_all(to)?;
//! #     for entry in std::fs::read_dir(from)? {
//! #         let entry = entry?;
//! #         if entry.file_type()?.is_dir() {
//! #             copy(&entry.path(), &to.join(entry.file_name()))?;
//! #         } else {
//! #             std::fs::copy(entry.path(), to.join(entry.file_name()))?;
//! #         }
//! #     }
//! #     Ok(())
//! # }
//! let work = tempfile::tempdir()?;
//! let data = work.path().join("data");
//! copy("examples/harbour-society".as_ref(), &data)?;
//!
//! let validation = Validation::begin(&DataDir::new(&data))?;
//! let packaging = Packaging { archives: Archives { tar_gz: false, zip: false }, site: false };
//! let ReleaseOutcome::Written(summary) = release(validation, &work.path().join("dist"), packaging)?
//! else {
//!     panic!("the example corpus releases");
//! };
//! assert!(verify(&summary.dir)?.is_empty(), "every file matches the bag's manifests");
//! assert!(diff(&summary.dir, &summary.dir)?.is_empty());
//! assert!(data.join("releases").read_dir()?.next().is_some(), "the version is recorded");
//! # anyhow::Ok(())
//! ```

// Every line printed goes through cli::output, which cannot panic on a closed pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]
// Every input is untrusted: indexing, slicing and lossy casts that could panic or wrap on some
// input are refused in the tool's code (tests may index what they just built).
#![cfg_attr(
    not(test),
    warn(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_sign_loss
    )
)]

// The commands of the `khojaly` binary (its main.rs dispatches to them): not a library API.
#[doc(hidden)]
pub mod cli;
mod compare;
mod export;
mod load;
pub mod model;
mod package;
mod serve;
mod validate;

pub use compare::releases::{ReleaseDiff, diff};
pub use load::DataDir;
pub use load::single::{SingleRecord, read as read_record};
pub use package::archive::Archives;
pub use package::bagit::{BagProblem, verify};
pub use package::citation;
pub use package::release::{Packaging, ReleaseOutcome, ReleaseSummary, build as release};
pub use validate::diagnostic::Diagnostic;
pub use validate::rule::Rule;
pub use validate::{Corpus, Problems, Validation, validate};

/// Parts of the stages that the crate's own integration tests (tests/properties.rs) reach
/// directly. Not an API: it may change in any version.
#[doc(hidden)]
pub mod internals {
    pub use crate::compare::alignment;
    pub use crate::load::{SourceFile, SpannedDocument, Transcription};
}
