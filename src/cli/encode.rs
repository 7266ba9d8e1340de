//! `teikit encode`: plain-text letters to one TEI P5 document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::encode::chronology::{self, Fill};
use teikit::encode::collection::{infer_correspondent, Correspondent};
use teikit::encode::{decode, encode, EncodeError, EncodeOptions, LetterSummary, Personography};

/// Arguments of `teikit encode`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plain-text sources (UTF-8); `-` reads standard input. Several sources are one
    /// collection, in the order given: each is written to `--out-dir` as NAME.xml. When the
    /// collection is in date order (checked on the letters that write a full date), a letter
    /// that writes day and month but no year takes the one year its dated neighbours allow
    /// (`cert="low"`, `evidence="conjecture"`).
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// The sidecar personography (TOML, or JSON when the name ends in .json). Default:
    /// NAME.persons.toml beside each source, when it exists.
    #[arg(long)]
    pub persons: Option<PathBuf>,
    /// Write the TEI here (atomically) instead of to standard output (one source only).
    #[arg(short = 'o', long = "output", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write each source's TEI to this folder as NAME.xml (atomically); needed for several.
    #[arg(long = "out-dir")]
    pub out_dir: Option<PathBuf>,
    /// The document title (default: the sidecar's, the text's, or one made from the letter).
    #[arg(long)]
    pub title: Option<String>,
    /// The language table to use (en, de); detected from the text by default.
    #[arg(long)]
    pub lang: Option<String>,
    /// A line-role model made by `teikit train` (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// The person the correspondence centres on (a name, or a sidecar id): a letter whose
    /// text names only its sender is taken to be to them, one that names only its addressee
    /// from them. `auto`: found in the letters of all the sources (a first pass).
    #[arg(long)]
    pub correspondent: Option<String>,
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

/// A source read and decoded, ready to encode.
struct Source {
    /// The path as given (for messages).
    name: String,
    path: PathBuf,
    stdin: bool,
    /// The text, characters XML forbids replaced.
    text: String,
    /// Those replacements, reported with the other diagnostics.
    replaced: Vec<teikit::diagnostic::Diagnostic>,
    persons: Option<Personography>,
}

/// Reads, decodes and finds the sidecar of one source; the message says why it cannot be
/// encoded.
fn read_source(path: &Path, persons: Option<&Path>) -> Result<Source, String> {
    let name = path.display().to_string();
    let stdin = teikit::fsutil::is_stdin(path);
    let bytes = teikit::fsutil::read_input(path)
        .map_err(|e| format!("teikit encode: {name}: cannot read: {e}"))?;
    let text = decode(&bytes).map_err(|e| format!("teikit encode: {name}: {e}"))?;
    // characters XML forbids become U+FFFD, each reported (positions in the text encoded)
    let (text, replaced) = teikit::encode::replace_forbidden(text);
    let sidecar_path = persons
        .map(Path::to_path_buf)
        .or_else(|| (!stdin).then(|| default_sidecar(path)).flatten());
    let persons = match &sidecar_path {
        Some(p) => Some(Personography::load(p).map_err(|e| format!("teikit encode: {e}"))?),
        None => None,
    };
    Ok(Source {
        name,
        path: path.to_path_buf(),
        stdin,
        text: text.into_owned(),
        replaced,
        persons,
    })
}

/// Runs `teikit encode`: 0 ok, 1 no letter found, 2 unreadable or bad input, bad sidecar or
/// output error. With several sources each is encoded (one bad source never stops the
/// others) and the exit status is the worst.
pub fn run(args: Args) -> ExitCode {
    if let Some(l) = &args.lang {
        if l != "en" && l != "de" {
            stderr!("teikit encode: unknown language `{l}` (expected en or de)");
            return ExitCode::from(2);
        }
    }
    if args.sources.len() > 1 && args.out_dir.is_none() {
        stderr!(
            "teikit encode: {} sources need --out-dir DIR (each is written there as NAME.xml)",
            args.sources.len()
        );
        return ExitCode::from(2);
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
    let base = EncodeOptions {
        title: args.title.clone(),
        source_name: None,
        lang: args.lang.clone(),
        model,
        rules_only: false,
        correspondent: None,
        neighbour_years: Vec::new(),
    };
    let mut worst = 0u8;
    let mut sources = Vec::new();
    for p in &args.sources {
        match read_source(p, args.persons.as_deref()) {
            Ok(s) => sources.push(s),
            Err(e) => {
                stderr!("{e}");
                worst = 2;
            }
        }
    }
    let options_for = |s: &Source, correspondent: Option<Correspondent>| EncodeOptions {
        source_name: (!s.stdin)
            .then(|| s.path.file_name())
            .flatten()
            .map(|n| n.to_string_lossy().to_string()),
        correspondent,
        ..base.clone()
    };
    // a first pass over every source of a collection (or for `--correspondent auto`): the
    // letters as their texts read
    let first_pass: Vec<Vec<LetterSummary>> =
        if sources.len() > 1 || args.correspondent.as_deref() == Some("auto") {
            sources
                .iter()
                .map(|s| {
                    encode(&s.text, s.persons.as_ref(), &options_for(s, None))
                        .map(|e| e.letters)
                        .unwrap_or_default()
                })
                .collect()
        } else {
            Vec::new()
        };
    let years = neighbour_years(&sources, &first_pass);
    let correspondent = match args.correspondent.as_deref() {
        None => None,
        Some("auto") => {
            // who do the letters centre on?
            let first: Vec<LetterSummary> = first_pass.iter().flatten().cloned().collect();
            let found = infer_correspondent(&first);
            match &found {
                Some(c) => stderr!(
                    "teikit encode: the {} letter(s) of the sources centre on {}; a side a letter does not name is taken to be them{}",
                    first.len(),
                    c.name,
                    match (c.sends, c.receives) {
                        (true, true) => "",
                        (true, false) => " (as sender only: they rarely receive)",
                        _ => " (as addressee only: they rarely send)",
                    }
                ),
                None => stderr!(
                    "teikit encode: no correspondent stands out in the {} letter(s); none is assumed",
                    first.len()
                ),
            }
            found
        }
        Some(name) => Some(Correspondent::given(name)),
    };
    for (i, s) in sources.iter().enumerate() {
        let options = EncodeOptions {
            neighbour_years: years.get(i).cloned().unwrap_or_default(),
            ..options_for(s, correspondent.clone())
        };
        let out = match (&args.out_dir, &args.output) {
            (Some(dir), _) => {
                let stem = if s.stdin {
                    "stdin".to_string()
                } else {
                    s.path
                        .file_stem()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_else(|| "letters".into())
                };
                Some(dir.join(format!("{stem}.xml")))
            }
            (None, o) => o.clone(),
        };
        worst = worst.max(encode_one(s, &options, out.as_deref()));
    }
    ExitCode::from(worst)
}

/// The years of a collection's letters taken from their neighbours
/// ([`chronology::from_neighbours`] over the first pass, the sources in the order given), per
/// source; the order check's verdict on standard error when some letter lacks a year.
fn neighbour_years(sources: &[Source], first: &[Vec<LetterSummary>]) -> Vec<Vec<Option<Fill>>> {
    if sources.len() < 2 {
        return Vec::new();
    }
    let written: Vec<_> = first.iter().flatten().map(|l| l.written_date).collect();
    let c = chronology::from_neighbours(&written);
    if c.open > 0 {
        if c.in_order {
            stderr!(
                "teikit encode: the sources are in date order ({} of {} consecutive pairs of fully dated letters rise): {} of the {} letter(s) without a year take the year of their neighbours",
                c.rising,
                c.pairs,
                c.filled(),
                c.open
            );
        } else {
            stderr!(
                "teikit encode: the sources are not in date order ({} of {} consecutive pairs of fully dated letters rise; {} in 10 of at least {} needed): no letter takes the year of its neighbours",
                c.rising,
                c.pairs,
                chronology::MIN_RISING_TENTHS,
                chronology::MIN_PAIRS
            );
        }
    }
    if c.in_order && c.spanned() > 0 {
        stderr!(
            "teikit encode: {} of the {} letter(s) without a month take the year their dated neighbours share (written as a span, notBefore/notAfter)",
            c.spanned(),
            c.undated
        );
    }
    let mut fills = c.fills.into_iter();
    first
        .iter()
        .map(|ls| fills.by_ref().take(ls.len()).collect())
        .collect()
}

/// Encodes one source and writes it (to `out`, else standard output): its exit status.
fn encode_one(s: &Source, options: &EncodeOptions, out: Option<&Path>) -> u8 {
    let src = &s.name;
    let text: &str = &s.text;
    let encoded = match encode(text, s.persons.as_ref(), options) {
        Ok(e) => e,
        Err(e @ EncodeError::NoLetters) => {
            stderr!("teikit encode: {src}: {e}");
            return 1;
        }
        Err(e) => {
            stderr!("teikit encode: {src}: {e}");
            return 2;
        }
    };
    let index = teikit::source::LineIndex::new(text);
    for d in s.replaced.iter().chain(&encoded.diagnostics) {
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
    match out {
        Some(out) => {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    stderr!("teikit encode: {}: cannot create: {e}", dir.display());
                    return 2;
                }
            }
            if let Err(e) = teikit::fsutil::write_atomic(out, encoded.xml.as_bytes()) {
                stderr!("teikit encode: {}: cannot write: {e}", out.display());
                return 2;
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
                return 2;
            }
        }
    }
    0
}
