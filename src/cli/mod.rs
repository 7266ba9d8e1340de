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
mod lsp;
mod output;
mod report;
mod train;
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
    /// Train a line-role model for `encode` from TEI editions with opener/closer markup.
    Train(train::Args),
    /// Validate and index TEI letters, and write the edition at a glance as one HTML page.
    Report(report::Args),
    /// The language server (LSP over stdio): diagnostics, completion, navigation in editors.
    Lsp(lsp::Args),
}

/// Subcommands named as they are typed (`teikit export cmif`) where clap shows a name
/// (`--version`), not `teikit-export-cmif`.
fn named_as_typed(cmd: clap::Command, name: &str) -> clap::Command {
    cmd.mut_subcommands(|sub| {
        let full = format!("{name} {}", sub.get_name());
        named_as_typed(sub, &full).display_name(full)
    })
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = named_as_typed(Cli::command(), "teikit")
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
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
        Command::Train(args) => train::run(args),
        Command::Report(args) => report::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}
