//! `teikit validate`: runs the validation pipeline and prints one of the report formats.
//! Exit status: 0 no errors, 1 errors in some file (or warnings with `--deny warnings`),
//! 2 usage, I/O or schema error; a closed pipe (`| head`) exits 0.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::report::{self, Format};
use teikit::validate::{self, Config, Options, Profile, SchemaChoice};

/// Output formats of `--format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Graphical report with source snippets (the default).
    Human,
    /// JSON (see the README for the contract).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, one testcase per file.
    Junit,
    /// SVRL (ISO Schematron's report language) with the Schematron findings: one
    /// svrl:schematron-output for one file and schema, else wrapped per file.
    Svrl,
    /// GitHub Actions workflow annotations.
    Github,
}

/// What `--deny` can make fatal.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Deny {
    /// Warnings make a file invalid (exit status 1).
    Warnings,
}

/// Rule profiles of `--profile`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum ProfileArg {
    /// TEI P5 letters.
    #[default]
    Tei,
    /// TEI letters plus the CMIF 1.1 rules (correspSearch): teikit's own checks of cmif.sch's
    /// rules and authority advice; with --schematron cmif.sch (the SIG's own), its findings
    /// replace teikit's checks of the same rules.
    Cmif,
}

/// Arguments of `teikit validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to validate (folders: every `*.xml`, sorted, honouring .gitignore,
    /// .ignore and the config's ignore globs); `-` reads standard input. Default: the current
    /// folder.
    pub paths: Vec<PathBuf>,
    /// RELAX NG schema (XML syntax) for every file; `none` skips the grammar step. Default:
    /// the file's `<?xml-model?>` when it resolves locally, else the embedded tei-corresp.rng.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Register files (person and place lists) whose ids resolve `#id` pointers.
    #[arg(long, alias = "register", value_name = "FILE", num_args = 1..)]
    pub registers: Vec<PathBuf>,
    /// Configuration file (default: teikit.toml in the current folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Rule profile.
    #[arg(long, value_enum, default_value = "tei")]
    pub profile: ProfileArg,
    /// Read files of at least this many bytes as a stream, a window at a time, so that memory
    /// stays flat however large they are (their reports show no source snippets). Default: 32 MiB.
    #[arg(long, value_name = "BYTES")]
    pub stream_from: Option<u64>,
    /// Change a limit for this run (repeatable; overrides `[limits]` in teikit.toml): depth
    /// (4096), attributes (1024), name_length (1024), attribute_length (1 MiB), text_length
    /// (10 MiB), entity_expansion (10 MiB), entity_depth (16), diagnostics (1000 per file),
    /// schema_size (64 MiB), schema_depth (1000), xinclude_depth (64), xinclude_count
    /// (100000), xinclude_size (512 MiB). A file past a limit gets a
    /// `tei::limit::*` error (`teikit explain tei::limit::depth`).
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limits: Vec<String>,
    /// A Schematron schema (`.sch`) to run on every file, besides the rules the RELAX NG
    /// schema embeds and those an `xml-model` selects (repeatable); `none` runs no Schematron
    /// at all.
    #[arg(long, value_name = "FILE")]
    pub schematron: Vec<PathBuf>,
    /// The Schematron phase (default: teikit.toml's `phase`, else each schema's defaultPhase;
    /// `#ALL`: every pattern; `#DEFAULT`: the defaultPhase). It applies to every schema: the
    /// embedded rules, `--schematron`, xml-model and the profile's; a schema without phases runs
    /// all its patterns, one whose phases lack it, or a phase no schema declares, is an error.
    #[arg(long, value_name = "NAME")]
    pub phase: Option<String>,
    /// Seconds a Schematron rule may run on one file before it is stopped and reported.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub schematron_time_limit: f64,
    /// Files larger than this many bytes get no Schematron (it needs the document as a tree).
    #[arg(long, value_name = "BYTES", default_value_t = teikit::schematron::limits::MAX_BYTES)]
    pub schematron_max_bytes: u64,
    /// Carry out `xi:include` elements before validating (the default): a document is
    /// validated as assembled from its includes, diagnostics pointing at the included files.
    #[arg(long, overrides_with = "no_xinclude")]
    pub xinclude: bool,
    /// Validate `xi:include` elements as written, without carrying them out.
    #[arg(long, overrides_with = "xinclude")]
    pub no_xinclude: bool,
    /// Width of the human report (default: $COLUMNS, else 100).
    #[arg(long, hide = true)]
    pub width: Option<usize>,
}

fn options(args: &Args) -> Result<Options, String> {
    let mut config = match &args.config {
        Some(p) => Config::load(p)?,
        None => match std::env::current_dir().ok().and_then(|d| Config::find(&d)) {
            Some(p) => Config::load(&p)?,
            None => Config::default(),
        },
    };
    for l in &args.limits {
        let (name, value) = l.split_once('=').ok_or_else(|| {
            format!("--limit {l}: expected NAME=N, such as `--limit depth=10000`")
        })?;
        config
            .limits
            .set(name.trim(), value)
            .map_err(|e| format!("--limit {l}: {e}"))?;
    }
    let schema = match &args.schema {
        None => SchemaChoice::Auto,
        Some(p) if p.as_os_str() == "none" => SchemaChoice::Skip,
        Some(p) => SchemaChoice::File(p.clone()),
    };
    Ok(Options {
        schema,
        registers: args.registers.clone(),
        config,
        profile: match args.profile {
            ProfileArg::Tei => Profile::Tei,
            ProfileArg::Cmif => Profile::Cmif,
        },
        deny_warnings: matches!(args.deny, Some(Deny::Warnings)),
        stream_from: args.stream_from,
        no_schematron: args.schematron.iter().any(|p| p.as_os_str() == "none"),
        schematron: args
            .schematron
            .iter()
            .filter(|p| p.as_os_str() != "none")
            .cloned()
            .collect(),
        phase: args.phase.clone(),
        no_xinclude: args.no_xinclude,
        schematron_limits: teikit::schematron::limits::Limits {
            time_per_rule: std::time::Duration::try_from_secs_f64(args.schematron_time_limit)
                .map_err(|_| "--schematron-time-limit must be a number of seconds".to_string())?,
            max_bytes: args.schematron_max_bytes,
        },
    })
}

/// Diagnostics rendered together, in parallel, before their text is written (in order): memory
/// stays bounded however many there are.
const RENDER_BATCH: usize = 512;

fn render_human(
    outcome: &validate::Outcome,
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let colour = super::output::colour();
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(1)
        // words are what spaces separate: Unicode line breaking costs a third of the rendering
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let render = |d: &report::human::HumanDiagnostic| {
        let mut s = String::new();
        if handler.render_report(&mut s, d).is_err() {
            s = format!("{d}\n");
        }
        s
    };
    // (heading of the file, when the diagnostic is its first; the diagnostic)
    let mut batch: Vec<(Option<String>, report::human::HumanDiagnostic)> = Vec::new();
    let flush = |batch: &mut Vec<(Option<String>, _)>, out: &mut dyn Write| {
        let texts: Vec<String> = batch.par_iter().map(|(_, d)| render(d)).collect();
        for ((heading, _), text) in batch.drain(..).zip(texts) {
            if let Some(h) = heading {
                out.write_all(h.as_bytes())?;
            }
            out.write_all(text.as_bytes())?;
        }
        Ok::<(), std::io::Error>(())
    };
    for f in outcome.files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let mut heading = Some(report::human::heading(f));
        for d in report::human::file_diagnostics(f) {
            batch.push((heading.take(), d));
        }
        if batch.len() >= RENDER_BATCH {
            flush(&mut batch, out)?;
        }
    }
    flush(&mut batch, out)?;
    out.write_all(report::human::summary(outcome).as_bytes())
}

/// Runs `teikit validate`.
pub fn run(args: Args) -> ExitCode {
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            stderr!("teikit validate: {e}");
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let outcome = match validate::run(&paths, &opts) {
        Ok(o) => o,
        Err(e) => {
            stderr!("teikit validate: {e}");
            return ExitCode::from(2);
        }
    };
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Junit => Format::Junit,
        FormatArg::Github => Format::Github,
        FormatArg::Svrl => Format::Svrl,
    };
    let width = args
        .width
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(100);
    // what could not be read or compiled is said on stderr too, whatever the format
    for f in outcome.files.iter().filter(|f| f.fatal) {
        let path = report::path_text(f);
        for d in &f.diagnostics {
            if d.message.contains(&path) {
                stderr!("teikit validate: {}", d.message);
            } else {
                stderr!("teikit validate: {path}: {}", d.message);
            }
        }
    }
    let empty = outcome.files.is_empty();
    if empty {
        // a CI job pointed at the wrong folder must not pass silently
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        stderr!(
            "teikit validate: no *.xml file found in {}: nothing was validated",
            names.join(", ")
        );
        // machine formats still get a valid (empty) document: `> report.sarif` is never empty
        if matches!(format, Format::Human | Format::Github) {
            return ExitCode::from(2);
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Human => render_human(&outcome, width, &mut out),
        Format::Json => writeln!(out, "{}", report::json::render(&outcome)),
        Format::Sarif => report::sarif::write(&outcome, &mut out),
        Format::Junit => out.write_all(report::junit::render(&outcome).as_bytes()),
        Format::Github => out.write_all(report::github::render(&outcome).as_bytes()),
        Format::Svrl => out.write_all(report::svrl::render(&outcome).as_bytes()),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            stderr!("teikit validate: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    if empty {
        return ExitCode::from(2);
    }
    ExitCode::from(outcome.exit_code())
}
