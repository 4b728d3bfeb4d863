//! The Khojaly Documentary Corpus publisher: load, validate and export schema-defined records.
//!
//! Stages, one module each: `model` (the types and their JSON Schemas), `load` (reading data/
//! with positions), `validate` (every rule, located diagnostics), `export` (tables in Parquet,
//! CSV and JSON Lines), `package` (the versioned release directory), `serve` (a release over
//! HTTP: its files and OAI-PMH). `cli` holds one file per
//! subcommand; `main.rs` only parses arguments and maps outcomes to exit codes.

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

pub mod cli;
pub mod compare;
pub mod export;
pub mod load;
pub mod model;
pub mod package;
pub mod serve;
pub mod validate;
