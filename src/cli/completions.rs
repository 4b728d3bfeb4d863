//! `khojaly completions SHELL`: the shell completion script, generated from the clap definition
//! (as ripgrep's `--generate complete-bash` and cargo's completions are).

use anyhow::Result;

use super::Outcome;
use super::output::out;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the script for `args.shell` of the command line `cmd` to stdout.
pub fn run(args: &Args, mut cmd: clap::Command) -> Result<Outcome> {
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "khojaly", &mut buffer);
    out!("{}", String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Clean)
}
