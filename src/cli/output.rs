//! Writing to stdout and stderr without panicking: a closed pipe ends the output quietly (as
//! ripgrep does), any other write error fails the run with the stream named.
//!
//! `println!` panics when stdout is a closed pipe (`khojaly stats | head -1`) or a full disk;
//! every line the tool prints goes through `outln!`/`errln!` here instead, which return a
//! `Result` for `?`.

use std::fmt;
use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// The reader of stdout has gone (EPIPE): not a failure, the run ends quietly with exit 0.
#[derive(Debug)]
pub struct StdoutClosed;

impl fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stdout was closed by its reader")
    }
}

impl std::error::Error for StdoutClosed {}

/// Set once stderr cannot be written: later messages are dropped instead of retried.
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Writes to stdout and flushes, so an error surfaces here and not in an exit-time flush.
pub fn write_stdout(args: fmt::Arguments<'_>) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::anyhow!("cannot write to stdout: {e}")),
    }
}

/// Writes to stderr. A closed stderr pipe only silences the messages: they are commentary, and
/// the exit code still tells the outcome (a validation that found problems still exits 1).
/// Any other error (a full disk) fails the run, with exit 2.
pub fn write_stderr(args: fmt::Arguments<'_>) -> anyhow::Result<()> {
    if STDERR_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut err = io::stderr().lock();
    match err.write_fmt(args).and_then(|()| err.flush()) {
        Ok(()) => Ok(()),
        Err(e) => {
            STDERR_GONE.store(true, Ordering::Relaxed);
            if e.kind() == ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(anyhow::anyhow!("cannot write to stderr: {e}"))
            }
        }
    }
}

/// Whether a command's error is only the end of stdout's reader.
pub fn is_stdout_closed(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StdoutClosed>().is_some()
}

/// Reports a failure of the tool on stderr (if stderr can still be written).
pub fn report_failure(e: &anyhow::Error) {
    let _ = write_stderr(format_args!("error: {e:#}\n"));
}

/// Prints clap's help, version or usage error; a write error other than a closed pipe is a
/// failure (exit 2), as for every other output.
pub fn clap_exit(e: &clap::Error) -> ExitCode {
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    match e.print() {
        Ok(()) => ExitCode::from(code),
        Err(err) if err.kind() == ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(_) => ExitCode::from(2),
    }
}

/// `print!` that returns a `Result` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!($($arg)*))
    };
}

/// `println!` that returns a `Result` instead of panicking.
macro_rules! outln {
    () => {
        $crate::cli::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that returns a `Result` instead of panicking.
macro_rules! errout {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!($($arg)*))
    };
}

/// `eprintln!` that returns a `Result` instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, errout, out, outln};
