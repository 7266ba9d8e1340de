//! `teikit lsp`: the language server on standard input and output (see `teikit::lsp`). The
//! options are `teikit validate`'s; an editor's `initializationOptions` and workspace settings
//! override them.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `teikit lsp`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// RELAX NG schema for every document; `none` skips the grammar step. Default: each
    /// document's `<?xml-model?>` when it resolves locally, else the embedded tei-corresp.rng.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Register files (person and place lists) whose ids resolve `#id` pointers.
    #[arg(long, alias = "register", value_name = "FILE", num_args = 1..)]
    pub registers: Vec<PathBuf>,
    /// Configuration file (default: teikit.toml in the workspace folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Rule profile: `tei` or `cmif`.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// A Schematron schema for every document (repeatable); `none` runs no Schematron.
    #[arg(long, value_name = "FILE")]
    pub schematron: Vec<PathBuf>,
    /// Milliseconds without a change before a document is validated (default 20).
    #[arg(long, value_name = "MS")]
    pub debounce_ms: Option<u64>,
    /// Accepted for editors that pass it (the server always speaks over stdio).
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Runs `teikit lsp` until the editor says `exit` or closes the stream.
pub fn run(args: Args) -> ExitCode {
    let settings = teikit::lsp::Settings {
        schema: args.schema,
        registers: args.registers,
        config: args.config,
        profile: args.profile,
        schematron: args.schematron,
        debounce_ms: args.debounce_ms,
    };
    ExitCode::from(teikit::lsp::run_stdio(settings) as u8)
}
