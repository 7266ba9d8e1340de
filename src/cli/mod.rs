//! Command-line interface: clap definitions and dispatch. Each command lives in its own file
//! with its arguments and its `run`, which returns the exit status:
//! 0 = success / all valid, 1 = some input invalid, 2 = usage, I/O or schema error.

/// `eprintln!` that never panics: a line to standard error, ignoring a closed stream.
macro_rules! stderr {
    ($($arg:tt)*) => {
        $crate::cli::output::stderr_line(format_args!($($arg)*))
    };
}

mod encode;
mod explain;
mod export;
mod output;
mod report;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// teikit: encode letters as TEI P5 and validate TEI correspondence.
#[derive(Parser, Debug)]
#[command(name = "teikit", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Encode plain-text letters as one TEI P5 document.
    Encode(encode::Args),
    /// Validate TEI files: well-formedness, RELAX NG, references, TEI and correspondence rules.
    Validate(validate::Args),
    /// Export TEI letters (CMIF for correspSearch, or a letter index).
    #[command(subcommand)]
    Export(export::Command),
    /// Explain a diagnostic code, or list all codes.
    Explain(explain::Args),
    /// Validate and index TEI letters, and write the edition at a glance as one HTML page.
    Report(report::Args),
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Encode(args) => encode::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Export(cmd) => export::run(cmd),
        Command::Explain(args) => explain::run(args),
        Command::Report(args) => report::run(args),
    }
}
