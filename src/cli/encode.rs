//! `teikit encode`: plain-text letters to one TEI P5 document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::encode::{decode, encode, EncodeError, EncodeOptions, Personography};

/// Arguments of `teikit encode`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plain-text source (UTF-8).
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
    let bytes = match std::fs::read(&args.source) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("teikit encode: {src}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("teikit encode: {src}: {e}");
            return ExitCode::from(2);
        }
    };
    let sidecar_path = args
        .persons
        .clone()
        .or_else(|| default_sidecar(&args.source));
    let persons = match &sidecar_path {
        Some(p) => match Personography::load(p) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("teikit encode: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if let Some(l) = &args.lang {
        if l != "en" && l != "de" {
            eprintln!("teikit encode: unknown language `{l}` (expected en or de)");
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
        source_name: args
            .source
            .file_name()
            .map(|n| n.to_string_lossy().to_string()),
        lang: args.lang.clone(),
        model,
        rules_only: false,
    };
    let encoded = match encode(text, persons.as_ref(), &options) {
        Ok(e) => e,
        Err(e @ EncodeError::NoLetters) => {
            eprintln!("teikit encode: {src}: {e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("teikit encode: {src}: {e}");
            return ExitCode::from(2);
        }
    };
    let index = teikit::source::LineIndex::new(text);
    for d in &encoded.diagnostics {
        if d.severity >= teikit::diagnostic::Severity::Warning {
            let (line, col) = index.line_col(text, d.span.start);
            eprintln!(
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
                eprintln!("teikit encode: {}: cannot write: {e}", out.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "teikit encode: {src}: {} letter(s) -> {}",
                encoded.letters.len(),
                out.display()
            );
        }
        None => {
            use std::io::Write;
            let mut so = std::io::stdout().lock();
            if let Err(e) = so.write_all(encoded.xml.as_bytes()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("teikit encode: cannot write to standard output: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    ExitCode::SUCCESS
}
