//! `khojaly verify DIR`: check a release bag against its manifests, sizes and Payload-Oxum.

use std::path::PathBuf;

use anyhow::Result;

use super::output::{errln, outln};
use super::{Format, Outcome};
use crate::package::bagit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release directory (a BagIt bag).
    pub dir: PathBuf,
    /// Human-readable text, or a JSON array of problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let problems = bagit::verify(&args.dir)?;
    match args.format {
        Format::Json => {
            let list: Vec<_> = problems
                .iter()
                .map(|p| serde_json::json!({ "file": p.file, "message": p.message }))
                .collect();
            outln!("{}", serde_json::to_string_pretty(&list)?)?;
        }
        Format::Human => {
            for p in &problems {
                errln!("error: {}: {}", args.dir.join(&p.file).display(), p.message)?;
            }
            if problems.is_empty() {
                errln!(
                    "{}: valid bag; every file matches its manifests",
                    args.dir.display()
                )?;
            } else {
                errln!(
                    "{}: {} problem{}",
                    args.dir.display(),
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(if problems.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
