//! `khojaly diff OLD NEW`: what was added, withdrawn and changed between two release directories.

use std::path::PathBuf;

use anyhow::Result;

use super::output::outln;
use super::{Format, Outcome};
use crate::compare::releases::diff;
use crate::model::text::escape_controls;

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
            // Everything shown comes from the releases: control characters are escaped, so a
            // hostile release cannot drive the terminal.
            let esc = |s: &str| escape_controls(s).into_owned();
            for id in &d.added {
                outln!("added      {}", esc(id))?;
            }
            for id in &d.withdrawn {
                outln!("withdrawn  {}", esc(id))?;
            }
            for c in &d.changed {
                outln!(
                    "changed    {}  (fields: {})",
                    esc(&c.id),
                    esc(&c.fields.join(", "))
                )?;
                for t in &c.text_changes {
                    outln!(
                        "    text {}: …{} [-{}-] {{+{}+}}",
                        t.nature,
                        esc(&t.context),
                        esc(&t.old),
                        esc(&t.new)
                    )?;
                }
                for (what, ids) in [
                    ("added", &c.claims_added),
                    ("withdrawn", &c.claims_withdrawn),
                    ("changed", &c.claims_changed),
                ] {
                    for id in ids {
                        outln!("    claim {what}: {}", esc(id))?;
                    }
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
