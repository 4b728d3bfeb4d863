//! `khojaly release`: validate, then write a versioned, byte-reproducible release directory.

use std::path::PathBuf;

use anyhow::Result;

use super::{Format, Outcome, report_problems};
use crate::load::DataDir;
use crate::package::release::{ReleaseOutcome, ReleaseSummary, build};

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
            report(&s);
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Unchanged(s) => {
            eprintln!(
                "{} already holds exactly this release; nothing changed",
                s.dir.display()
            );
            report(&s);
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Refused { reason, help } => {
            eprintln!("error: {reason}");
            eprintln!("help: {help}");
            Ok(Outcome::Problems)
        }
    }
}

fn report(s: &ReleaseSummary) {
    for a in &s.archives {
        eprintln!("  archive {}", a.display());
    }
    match &s.changes {
        Some(c) => eprintln!("  since {}: {}", c.previous, c.summary()),
        None => eprintln!("  first published version"),
    }
    if let Some(m) = &s.recorded {
        eprintln!(
            "  recorded this version in {} (commit it: it is what the next release is checked against)",
            m.display()
        );
    }
}
