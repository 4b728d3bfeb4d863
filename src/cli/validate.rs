//! `khojaly validate`: check a data directory and report every problem.

use std::path::PathBuf;

use anyhow::Result;

use super::output::{errln, outln};
use super::progress::Progress;
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
    /// Print how each printing of record ID is accounted for, word by word (the fidelity proof),
    /// read from that record's file and its transcriptions without validating the corpus: counts,
    /// then every line of each span marked with what accounts for it.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
    /// No progress bar (it is shown only on a terminal, for runs longer than a second).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let data = DataDir::new(&args.data);
    if let Some(id) = &args.explain {
        // One record's proof, read from its file and its transcriptions: the corpus is neither
        // read nor validated (`khojaly validate` without --explain does that).
        let mut buffer = Vec::new();
        if !super::explain::explain(&data, id, args.format, &mut buffer)? {
            anyhow::bail!(
                "no record has the id `{}` in {}",
                crate::model::text::escape_controls(id),
                args.data.display()
            );
        }
        super::output::write_stdout(format_args!("{}", String::from_utf8_lossy(&buffer)))?;
        return Ok(Outcome::Clean);
    }
    let mut validation = crate::validate::Validation::begin(&data)?;
    let mut progress = Progress::new(validation.record_count() as u64, "validate", args.quiet);
    validation.on_progress(move || progress.inc());
    validation.check_records(|_| Ok(()))?;
    let (corpus, problems) = validation.finish();
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
