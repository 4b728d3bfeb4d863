//! `khojaly serve [RELEASE]`: serves a release directory on 127.0.0.1, for people who prefer a
//! URL to opening `site/index.html` from disk.
//!
//! Read-only and local: it binds only the loopback address and serves the release's files and
//! OAI-PMH at `/oai` (src/serve/).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use super::output::{errln, outln};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release directory (default: the only release under dist/).
    pub release: Option<PathBuf>,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The administrator's address OAI-PMH's Identify names (the protocol requires one; the
    /// default is the mailbox every mail host must have, RFC 5321).
    #[arg(long, default_value = "postmaster@localhost.localdomain")]
    pub admin_email: String,
}

pub fn run(args: &Args) -> Result<Outcome> {
    let dir = match &args.release {
        Some(d) => d.clone(),
        None => match only_release(Path::new("dist")) {
            Some(d) => d,
            None => {
                errln!("error: no release given, and dist/ does not hold exactly one release")?;
                errln!("help: khojaly serve dist/khojaly-documentary-corpus-VERSION")?;
                return Ok(Outcome::Problems);
            }
        },
    };
    if !dir.join("datapackage.json").is_file() {
        errln!("error: {} has no datapackage.json", dir.display())?;
        errln!("help: give a release directory written by `khojaly release`")?;
        return Ok(Outcome::Problems);
    }
    let (server, service, port) = crate::serve::bind(&dir, args.port, &args.admin_email)?;
    outln!(
        "serving {} at http://127.0.0.1:{port}/site/index.html (Ctrl+C stops)",
        dir.display()
    )?;
    outln!("OAI-PMH 2.0 at http://127.0.0.1:{port}/oai")?;
    crate::serve::run(server, service);
    Ok(Outcome::Clean)
}

fn only_release(dist: &Path) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = std::fs::read_dir(dist)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("datapackage.json").is_file())
        .collect();
    match dirs.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
