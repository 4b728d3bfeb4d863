//! Command-line entry point: parse arguments, dispatch, map outcomes to exit codes.

// Every line printed goes through cli::output, which cannot panic on a closed pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use khojaly::cli::{self, Outcome, output};

// See Cargo.toml: memory freed across threads is given back, so peak RSS follows the live heap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Milliseconds freed memory stays resident before mimalloc returns it to the system: its 1 s
/// default keeps more resident, a much shorter delay costs system time. `MIMALLOC_PURGE_DELAY`
/// in the environment still overrides it.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3, whose option numbers are kept stable with
/// deprecated placeholders); libmimalloc-sys 0.1.49 names no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn tune_allocator() {
    // SAFETY: sets one of mimalloc's documented options (a plain integer, in range) before any
    // thread is started; `_default` leaves a value given in the environment alone.
    unsafe {
        libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}

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
    #[command(
        after_help = "Examples:\n  khojaly validate\n  khojaly validate --format json\n  khojaly validate --explain media-1992-02-28-washington-post-victims-buried"
    )]
    Validate(cli::validate::Args),
    /// Validate, then write a versioned, byte-reproducible release directory.
    #[command(
        after_help = "Examples:\n  khojaly release\n  khojaly release --out dist\n  SOURCE_DATE_EPOCH=1764633600 khojaly release --out /tmp/dist"
    )]
    Release(cli::release::Args),
    /// Write the JSON Schemas generated from the record model (or --check that they are current).
    #[command(after_help = "Examples:\n  khojaly schema\n  khojaly schema --check")]
    Schema(cli::schema::Args),
    /// Print counts per kind, year, body and compilation, and what has no date or text.
    #[command(after_help = "Examples:\n  khojaly stats\n  khojaly stats --format json")]
    Stats(cli::stats::Args),
    /// Check a release bag: every file against its manifests, sizes and Payload-Oxum.
    #[command(
        after_help = "Examples:\n  khojaly verify dist/khojaly-documentary-corpus-0.2.0\n  khojaly verify dist/khojaly-documentary-corpus-0.2.0 --format json"
    )]
    Verify(cli::verify::Args),
    /// Compare two release directories record by record: added, withdrawn, changed.
    #[command(
        after_help = "Examples:\n  khojaly diff dist/khojaly-documentary-corpus-0.1.0 dist/khojaly-documentary-corpus-0.2.0\n  khojaly diff OLD NEW --format json"
    )]
    Diff(cli::diff::Args),
    /// Print how to cite one record: the document, its printings and the release (text, BibTeX, CSL-JSON, RIS, JSON).
    #[command(
        after_help = "Examples:\n  khojaly cite media-1992-02-28-washington-post-victims-buried\n  khojaly cite media-1992-02-28-washington-post-victims-buried --format ris > goltz.ris\n  khojaly cite media-1992-02-28-washington-post-victims-buried --format csl-json --release dist/khojaly-documentary-corpus-0.2.0"
    )]
    Cite(cli::cite::Args),
    /// Print the figure statements (claims) of a record or of a quantity, with who states them.
    Claims(cli::claims::Args),
    /// Serve a release (its site/) on 127.0.0.1, read-only, for a browser that prefers a URL.
    Serve(cli::serve::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  khojaly completions bash > ~/.local/share/bash-completion/completions/khojaly\n  khojaly completions zsh > ~/.zfunc/_khojaly\n  khojaly completions fish > ~/.config/fish/completions/khojaly.fish"
    )]
    Completions(cli::completions::Args),
    /// Print the man page (roff) of khojaly and its subcommands.
    #[command(after_help = "Examples:\n  khojaly man > khojaly.1 && man ./khojaly.1")]
    Man(cli::man::Args),
}

fn main() -> ExitCode {
    tune_allocator();
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
        Command::Serve(a) => cli::serve::run(a),
        Command::Completions(a) => cli::completions::run(a, Cli::command()),
        Command::Man(a) => cli::man::run(a, Cli::command()),
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
