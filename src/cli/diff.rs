//! `khojaly diff OLD NEW`: what was added, withdrawn and changed between two release directories.

use std::path::PathBuf;

use anyhow::Result;

use super::output::outln;
use super::{Format, Outcome};
use crate::compare::releases::diff;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older release directory (e.g. dist/khojaly-documentary-corpus-0.1.0).
    pub old: PathBuf,
    /// The newer release directory.
    pub new: PathBuf,
    /// Human-readable text, or one JSON object.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Exit 0 when the releases hold the same records, 1 when they differ (as `diff` does).
pub fn run(args: &Args) -> Result<Outcome> {
    let d = diff(&args.old, &args.new)?;
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&d)?)?,
        Format::Human => {
            outln!(
                "{} → {}: {} added, {} withdrawn, {} changed",
                d.old_version.as_deref().unwrap_or("old"),
                d.new_version.as_deref().unwrap_or("new"),
                d.added.len(),
                d.withdrawn.len(),
                d.changed.len()
            )?;
            for id in &d.added {
                outln!("added      {id}")?;
            }
            for id in &d.withdrawn {
                outln!("withdrawn  {id}")?;
            }
            for c in &d.changed {
                outln!("changed    {}  (fields: {})", c.id, c.fields.join(", "))?;
                for t in &c.text_changes {
                    outln!(
                        "    text {}: …{} [-{}-] {{+{}+}}",
                        t.nature,
                        t.context,
                        t.old,
                        t.new
                    )?;
                }
            }
        }
    }
    Ok(if d.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
