//! `khojaly man`: the man page (roff), generated from the clap definition, with a section per
//! subcommand. Install with `khojaly man > khojaly.1` and `man ./khojaly.1`.

use anyhow::Result;

use super::Outcome;
use super::output::out;

#[derive(Debug, clap::Args)]
pub struct Args {}

/// Writes the man page of the command line `cmd` (and of each subcommand) to stdout.
pub fn run(_args: &Args, cmd: clap::Command) -> Result<Outcome> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buffer)?;
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() {
            continue;
        }
        let title = format!("khojaly-{}", sub.get_name());
        let sub = sub.clone().bin_name(format!("khojaly {}", sub.get_name()));
        buffer.extend_from_slice(b"\n");
        clap_mangen::Man::new(sub)
            .title(title)
            .render(&mut buffer)?;
    }
    out!("{}", String::from_utf8_lossy(&buffer))?;
    Ok(Outcome::Clean)
}
