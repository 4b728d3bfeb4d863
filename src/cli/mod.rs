//! The subcommands, one file each. Each returns an `Outcome`; `main` maps it to an exit code.

pub mod cite;
pub mod claims;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod man;
pub mod output;
pub mod progress;
pub mod release;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod validate;
pub mod verify;

use std::io::IsTerminal;

use annotate_snippets::Renderer;
use output::{errln, errout, outln};

/// How a command ended, when the tool itself did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything checked out (exit 0).
    Clean,
    /// The command ran and found problems in its input (exit 1).
    Problems,
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Diagnostics in colour on a terminal, plain otherwise (and in tests).
pub fn renderer() -> Renderer {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// Prints a validation failure report to stderr.
pub fn report_problems(problems: &crate::validate::Problems, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Human => {
            errout!("{}", problems.render(&renderer()))?;
            errln!(
                "{} problem{} in {} file{}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.file_count(),
                if problems.file_count() == 1 { "" } else { "s" }
            )?;
        }
        Format::Json => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&problems.to_json()).unwrap_or_default()
            )?;
        }
    }
    Ok(())
}
