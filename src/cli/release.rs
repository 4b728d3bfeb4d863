//! `khojaly release`: validate, then write a versioned, byte-reproducible release directory.

use std::path::PathBuf;

use anyhow::Result;

use super::{Format, Outcome, report_problems};
use crate::load::DataDir;
use crate::package::release::{ReleaseOutcome, build};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory to release.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Where release directories are written.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let data = DataDir::new(&args.data);
    let (corpus, problems) = crate::validate::validate(&data)?;
    let corpus = match corpus {
        Some(c) if problems.is_empty() => c,
        _ => {
            report_problems(&problems, Format::Human);
            eprintln!(
                "error: nothing was written; fix the problems above and run the release again"
            );
            return Ok(Outcome::Problems);
        }
    };
    match build(&corpus, &args.out)? {
        ReleaseOutcome::Written(s) => {
            eprintln!("released {} ({} files)", s.dir.display(), s.files);
            for (table, rows) in &s.rows {
                eprintln!("  {table:<28} {rows:>7} rows");
            }
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Unchanged(s) => {
            eprintln!(
                "{} already holds exactly this release; nothing changed",
                s.dir.display()
            );
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Refused { dir, differing } => {
            eprintln!(
                "error: {} already exists with different content ({} file{} differ, e.g. {})",
                dir.display(),
                differing.len(),
                if differing.len() == 1 { "" } else { "s" },
                differing.first().map(String::as_str).unwrap_or("?")
            );
            eprintln!(
                "help: a released version never changes; raise `version` in data/dataset.toml and release again"
            );
            Ok(Outcome::Problems)
        }
    }
}
