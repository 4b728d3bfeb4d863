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

/// Set once a stream's reader has gone: later output to it is dropped, not retried.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Writes to stdout and flushes, so an error surfaces here and not in an exit-time flush.
pub fn write_stdout(args: fmt::Arguments<'_>) -> anyhow::Result<()> {
    write_to(&mut io::stdout().lock(), &STDOUT_GONE, "stdout", args)
}

/// Writes to stderr.
pub fn write_stderr(args: fmt::Arguments<'_>) -> anyhow::Result<()> {
    write_to(&mut io::stderr().lock(), &STDERR_GONE, "stderr", args)
}

/// A closed pipe (EPIPE) is a normal end of the output: the reader has what it wanted
/// (`khojaly stats | head -1`). Later output to that stream is dropped, and the command ends as
/// it would have, with its own exit code: 0 for `stats` or `cite`, still 1 for a validation
/// that found problems. (ripgrep exits 0 here, which for it is the same thing: it only writes
/// when it has found matches.) Any other error (a full disk) fails the run: exit 2, naming the
/// stream.
fn write_to(
    stream: &mut impl Write,
    gone: &AtomicBool,
    name: &str,
    args: fmt::Arguments<'_>,
) -> anyhow::Result<()> {
    if gone.load(Ordering::Relaxed) {
        return Ok(());
    }
    match stream.write_fmt(args).and_then(|()| stream.flush()) {
        Ok(()) => Ok(()),
        Err(e) => {
            gone.store(true, Ordering::Relaxed);
            if e.kind() == ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(anyhow::anyhow!("cannot write to {name}: {e}"))
            }
        }
    }
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
