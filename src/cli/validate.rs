//! `khojaly validate`: check a data directory and report every problem.

use std::path::PathBuf;

use anyhow::Result;

use super::output::{errln, outln};
use super::{Format, Outcome, report_problems};
use crate::load::DataDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory to check.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Report format: human-readable diagnostics on stderr, or a JSON array on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let data = DataDir::new(&args.data);
    let (corpus, problems) = crate::validate::validate(&data)?;
    if problems.is_empty() {
        let records = corpus.as_ref().map(|c| c.record_files.len()).unwrap_or(0);
        match args.format {
            Format::Human => errln!(
                "{}: {records} record{}, no problems",
                args.data.display(),
                if records == 1 { "" } else { "s" }
            )?,
            Format::Json => outln!("[]")?,
        }
        Ok(Outcome::Clean)
    } else {
        report_problems(&problems, args.format)?;
        Ok(Outcome::Problems)
    }
}
