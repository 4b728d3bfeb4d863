//! A progress bar on stderr for long runs: drawn only when stderr is a terminal, once the work
//! has taken more than a second, and never with `--quiet`, so that scripts, pipes, logs and
//! short runs see exactly the output they saw before.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no bar (it would only flicker).
const DELAY: Duration = Duration::from_secs(1);

/// Progress through a known number of records.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// A bar for `total` records, labelled `label`; inert when `quiet` or when stderr is not a
    /// terminal.
    pub fn new(total: u64, label: &str, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            // Hidden until the work has lasted DELAY.
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} records ({per_sec}, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label.to_string());
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// One more record done.
    pub fn inc(&mut self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if !self.shown && self.started.elapsed() > DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.shown = true;
            }
        }
    }
}

impl Drop for Progress {
    /// The bar leaves no trace: the command's own report follows on a clean line.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
