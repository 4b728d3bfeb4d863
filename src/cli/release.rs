//! `khojaly release`: validate, then write a versioned, byte-reproducible release directory.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::output::errln;
use super::progress::Progress;
use super::{Format, Outcome, report_problems};
use crate::load::{DataDir, paths};
use crate::package::archive::Archives;
use crate::package::release::{Packaging, ReleaseOutcome, ReleaseSummary, build};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory to release.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Where release directories are written.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
    /// Which archives of the bag to write: none, tar.gz, zip or all (default: the `archives`
    /// setting of data/dataset.toml, else all).
    #[arg(long, value_parser = parse_archives)]
    pub archives: Option<Archives>,
    /// Write the web view, site/, into the release (default: the `site` setting of
    /// data/dataset.toml, else yes).
    #[arg(long, overrides_with = "no_site")]
    pub site: bool,
    /// Release without the web view (for datasets larger than it takes; see --help).
    #[arg(long, overrides_with = "site")]
    pub no_site: bool,
    /// No progress bar (it is shown only on a terminal, for runs longer than a second).
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_archives(s: &str) -> Result<Archives, String> {
    Archives::parse(s).ok_or_else(|| format!("`{s}` is not one of: none, tar.gz, zip, all"))
}

pub fn run(args: &Args) -> Result<Outcome> {
    check_out_is_outside_data(&args.out, &args.data)?;
    let data = DataDir::new(&args.data);
    let mut validation = crate::validate::Validation::begin(&data)?;
    let mut progress = Progress::new(validation.record_count() as u64, "release", args.quiet);
    validation.on_progress(move || progress.inc());
    // The command line overrides the dataset's setting.
    let archives = args.archives.unwrap_or_else(|| {
        Archives::from_setting(validation.dataset().and_then(|d| d.archives.as_deref()))
    });
    let site = if args.site {
        true
    } else if args.no_site {
        false
    } else {
        validation.dataset().and_then(|d| d.site).unwrap_or(true)
    };
    match build(validation, &args.out, Packaging { archives, site })? {
        ReleaseOutcome::Invalid(problems) => {
            report_problems(&problems, Format::Human)?;
            errln!("error: nothing was written; fix the problems above and run the release again")?;
            Ok(Outcome::Problems)
        }
        ReleaseOutcome::Written(s) => {
            errln!("released {} ({} files)", s.dir.display(), s.files)?;
            for (table, rows) in &s.rows {
                errln!("  {table:<28} {rows:>7} rows")?;
            }
            report(&s)?;
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Unchanged(s) => {
            errln!(
                "{} already holds exactly this release; nothing changed",
                s.dir.display()
            )?;
            report(&s)?;
            Ok(Outcome::Clean)
        }
        ReleaseOutcome::Refused { reason, help } => {
            errln!("error: {reason}")?;
            errln!("help: {help}")?;
            Ok(Outcome::Problems)
        }
    }
}

/// A release written into data/ would be read back as data (or overwrite it): refuse an
/// `--out` that is the data directory or inside it, however it is spelt (links, `..`).
fn check_out_is_outside_data(out: &Path, data: &Path) -> Result<()> {
    let (Ok(out_abs), Ok(data_abs)) = (paths::resolve(out), paths::resolve(data)) else {
        // Unresolvable paths fail later with their own message.
        return Ok(());
    };
    if out_abs.starts_with(&data_abs) {
        anyhow::bail!(
            "--out {} is {} the data directory {}; nothing was written. Write releases outside the data, e.g. --out dist",
            out.display(),
            if out_abs == data_abs {
                "the same folder as"
            } else {
                "inside"
            },
            data.display()
        );
    }
    Ok(())
}

fn report(s: &ReleaseSummary) -> Result<()> {
    for a in &s.archives {
        errln!("  archive {}", a.display())?;
    }
    match &s.changes {
        Some(c) => errln!("  since {}: {}", c.previous, c.summary())?,
        None => errln!("  first published version")?,
    }
    if let Some(m) = &s.recorded {
        errln!(
            "  recorded this version in {} (commit it: it is what the next release is checked against)",
            m.display()
        )?;
    }
    Ok(())
}
