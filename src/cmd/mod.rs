//! One file per subcommand; `run` dispatches and says how the run ended.

mod apply;
mod build;
mod check;
mod convert;
mod export;
mod rollup;
mod rules;
mod watch;

use crate::cli::{Cli, Command};
use crate::error::Error;
use std::io::Write;

/// How a run ended, as the exit code reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: nothing at or above `--fail-on`.
    Clean,
    /// Exit 1: findings at or above `--fail-on` (an unreadable input counts).
    Findings,
}

impl Outcome {
    /// The outcome of a run that found `counts`, failing at `threshold` (`--fail-on`).
    pub fn of(counts: crate::diag::Counts, threshold: crate::diag::Severity) -> Outcome {
        if counts.reach(threshold) {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Rollup(args) => rollup::run(&args),
        Command::Apply(args) => apply::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Rules(args) => rules::run(&args),
    }
}

/// Writes to stdout; a closed pipe (`jxmb check … | head`) ends quietly, not with an error.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(source) => Err(Error::Output {
            path: "<stdout>".into(),
            source,
        }),
    }
}
