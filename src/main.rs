//! Command-line entry point: parse arguments, dispatch, map outcomes to exit codes.

// Every line printed goes through cli::output, which cannot panic on a closed pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use khojaly::cli::{self, Outcome, output};

/// Build, validate and publish the Khojaly Documentary Corpus.
#[derive(Debug, Parser)]
#[command(name = "khojaly", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every file under data/ and report every problem with its file, line and column.
    Validate(cli::validate::Args),
    /// Validate, then write a versioned, byte-reproducible release directory.
    Release(cli::release::Args),
    /// Write the JSON Schemas generated from the record model (or --check that they are current).
    Schema(cli::schema::Args),
    /// Print counts per kind, year, body and compilation, and what has no date or text.
    Stats(cli::stats::Args),
    /// Check a release bag: every file against its manifests, sizes and Payload-Oxum.
    Verify(cli::verify::Args),
    /// Compare two release directories record by record: added, withdrawn, changed.
    Diff(cli::diff::Args),
    /// Print how to cite one record: the document, its printings and the release (text, BibTeX, CSL-JSON, RIS, JSON).
    Cite(cli::cite::Args),
    /// Print the figure statements (claims) of a record or of a quantity, with who states them.
    Claims(cli::claims::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::clap_exit(&e),
    };
    let result = match &cli.command {
        Command::Validate(a) => cli::validate::run(a),
        Command::Release(a) => cli::release::run(a),
        Command::Schema(a) => cli::schema::run(a),
        Command::Stats(a) => cli::stats::run(a),
        Command::Verify(a) => cli::verify::run(a),
        Command::Diff(a) => cli::diff::run(a),
        Command::Cite(a) => cli::cite::run(a),
        Command::Claims(a) => cli::claims::run(a),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) => {
            output::report_failure(&e);
            ExitCode::from(2)
        }
    }
}
