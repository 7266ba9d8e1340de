//! `teikit export`.

use std::path::PathBuf;
use std::process::ExitCode;

/// The export formats.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Write one CMIF file from TEI letters.
    Cmif {
        /// TEI files or folders.
        paths: Vec<PathBuf>,
    },
}

/// Runs `teikit export`.
pub fn run(cmd: Command) -> ExitCode {
    let Command::Cmif { paths } = cmd;
    eprintln!("teikit export cmif: {} path(s): the exporter is not built yet", paths.len());
    ExitCode::from(2)
}
