//! `teikit encode`: plain-text letters to one TEI P5 document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::encode::{decode, encode, EncodeError, EncodeOptions, Personography};

/// Arguments of `teikit encode`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plain-text source (UTF-8); `-` reads standard input.
    pub source: PathBuf,
    /// The sidecar personography (TOML, or JSON when the name ends in .json). Default:
    /// NAME.persons.toml beside the source, when it exists.
    #[arg(long)]
    pub persons: Option<PathBuf>,
    /// Write the TEI here (atomically) instead of to standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// The document title (default: the sidecar's, the text's, or one made from the letter).
    #[arg(long)]
    pub title: Option<String>,
    /// The language table to use (en, de); detected from the text by default.
    #[arg(long)]
    pub lang: Option<String>,
    /// A line-role model made by `teikit train` (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Reads a model file made by `teikit train`; the message says why one cannot be used.
pub fn load_model(path: &Path) -> Result<teikit::encode::learn::Model, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: cannot read model: {e}", path.display()))?;
    teikit::encode::learn::Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `NAME.persons.toml` beside `source` (NAME = the file name without its last extension).
pub fn default_sidecar(source: &Path) -> Option<PathBuf> {
    let stem = source.file_stem()?.to_string_lossy().to_string();
    let p = source.with_file_name(format!("{stem}.persons.toml"));
    p.is_file().then_some(p)
}

/// Runs `teikit encode`: 0 ok, 1 no letter found, 2 unreadable or bad input, bad sidecar or
/// output error.
pub fn run(args: Args) -> ExitCode {
    let src = args.source.display().to_string();
    let stdin = teikit::fsutil::is_stdin(&args.source);
    let bytes = match teikit::fsutil::read_input(&args.source) {
        Ok(b) => b,
        Err(e) => {
            stderr!("teikit encode: {src}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            stderr!("teikit encode: {src}: {e}");
            return ExitCode::from(2);
        }
    };
    // characters XML forbids become U+FFFD, each reported (positions in the text encoded)
    let (text, replaced) = teikit::encode::replace_forbidden(text);
    let text: &str = &text;
    let sidecar_path = args
        .persons
        .clone()
        .or_else(|| (!stdin).then(|| default_sidecar(&args.source)).flatten());
    let persons = match &sidecar_path {
        Some(p) => match Personography::load(p) {
            Ok(p) => Some(p),
            Err(e) => {
                stderr!("teikit encode: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(l) = &args.lang {
        if l != "en" && l != "de" {
            stderr!("teikit encode: unknown language `{l}` (expected en or de)");
            return ExitCode::from(2);
        }
    }
    let model = match &args.model {
        Some(p) => match load_model(p) {
            Ok(m) => Some(std::sync::Arc::new(m)),
            Err(e) => {
                eprintln!("teikit encode: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let options = EncodeOptions {
        title: args.title.clone(),
        source_name: (!stdin)
            .then(|| args.source.file_name())
            .flatten()
            .map(|n| n.to_string_lossy().to_string()),
        lang: args.lang.clone(),
        model,
        rules_only: false,
    };
    let encoded = match encode(text, persons.as_ref(), &options) {
        Ok(e) => e,
        Err(e @ EncodeError::NoLetters) => {
            stderr!("teikit encode: {src}: {e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            stderr!("teikit encode: {src}: {e}");
            return ExitCode::from(2);
        }
    };
    let index = teikit::source::LineIndex::new(text);
    for d in replaced.iter().chain(&encoded.diagnostics) {
        if d.severity >= teikit::diagnostic::Severity::Warning {
            let (line, col) = index.line_col(text, d.span.start);
            stderr!(
                "{src}:{line}:{col}: {}[{}]: {}",
                d.severity.as_str(),
                d.code.id,
                d.message
            );
        }
    }
    match &args.output {
        Some(out) => {
            if let Err(e) = teikit::fsutil::write_atomic(out, encoded.xml.as_bytes()) {
                stderr!("teikit encode: {}: cannot write: {e}", out.display());
                return ExitCode::from(2);
            }
            stderr!(
                "teikit encode: {src}: {} letter(s) -> {}",
                encoded.letters.len(),
                out.display()
            );
        }
        None => {
            if let Err(e) = super::output::stdout(&encoded.xml) {
                stderr!("teikit encode: cannot write to standard output: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
