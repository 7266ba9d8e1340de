//! `teikit encode`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `teikit encode`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plain-text source (UTF-8).
    pub source: PathBuf,
}

/// Runs `teikit encode`.
pub fn run(args: Args) -> ExitCode {
    eprintln!("teikit encode: {}: the encoder is not built yet", args.source.display());
    ExitCode::from(2)
}
