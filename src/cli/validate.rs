//! `teikit validate`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `teikit validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to validate.
    pub paths: Vec<PathBuf>,
}

/// Runs `teikit validate`.
pub fn run(args: Args) -> ExitCode {
    eprintln!("teikit validate: {} path(s): the validator is not built yet", args.paths.len());
    ExitCode::from(2)
}
