//! `teikit report`: validation and the letter index in one run, written as one self-contained
//! HTML page (see [`teikit::report::html`]). Exit status as `teikit validate`'s: 0 no errors,
//! 1 errors in some file (the page is written all the same), 2 usage, I/O or schema error.

use std::path::PathBuf;
use std::process::ExitCode;
use teikit::export::cmif::collect;
use teikit::report::html;
use teikit::validate::{self, Config, Options, SchemaChoice};

/// Arguments of `teikit report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders (folders: every `*.xml`, as `teikit validate` walks them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the page here (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Register files (person and place lists): they resolve `#id` pointers and give names
    /// their authority URIs.
    #[arg(long, alias = "register", value_name = "FILE", num_args = 1..)]
    pub registers: Vec<PathBuf>,
    /// RELAX NG schema for every file; `none` skips the grammar step (as for `validate`).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Configuration file (default: teikit.toml in the current folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Title of the page (default: "teikit report: " and the paths).
    #[arg(long)]
    pub title: Option<String>,
}

fn options(args: &Args) -> Result<Options, String> {
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None => match std::env::current_dir().ok().and_then(|d| Config::find(&d)) {
            Some(p) => Config::load(&p)?,
            None => Config::default(),
        },
    };
    let schema = match &args.schema {
        None => SchemaChoice::Auto,
        Some(p) if p.as_os_str() == "none" => SchemaChoice::Skip,
        Some(p) => SchemaChoice::File(p.clone()),
    };
    Ok(Options {
        schema,
        registers: args.registers.clone(),
        config,
        ..Options::default()
    })
}

/// Runs `teikit report`.
pub fn run(args: Args) -> ExitCode {
    if args.paths.iter().any(|p| teikit::fsutil::is_stdin(p)) {
        stderr!("teikit report: standard input (-) cannot be reported; give files or folders");
        return ExitCode::from(2);
    }
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            stderr!("teikit report: {e}");
            return ExitCode::from(2);
        }
    };
    // the letter index over the paths that exist (a missing one is in the validation already),
    // read while the files are validated
    let existing: Vec<PathBuf> = args.paths.iter().filter(|p| p.exists()).cloned().collect();
    let mut registers = opts.config.registers.clone();
    registers.extend(args.registers.iter().cloned());
    let (outcome, collected) = rayon::join(
        || validate::run(&args.paths, &opts),
        || collect(&existing, &registers),
    );
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            stderr!("teikit report: {e}");
            return ExitCode::from(2);
        }
    };
    if outcome.files.is_empty() {
        let names: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        stderr!(
            "teikit report: no *.xml file found in {}: nothing was reported",
            names.join(", ")
        );
        return ExitCode::from(2);
    }
    for f in outcome.files.iter().filter(|f| f.fatal) {
        for d in &f.diagnostics {
            stderr!("teikit report: {}", d.message);
        }
    }
    let collected = match collected {
        Ok(c) => c,
        Err(e) => {
            stderr!("teikit report: {e}");
            return ExitCode::from(2);
        }
    };
    let title = args.title.clone().unwrap_or_else(|| {
        let names: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        format!("teikit report: {}", names.join(", "))
    });
    let data = html::gather(&title, &outcome, &collected);
    let page = html::render(&data);
    if let Err(e) = teikit::fsutil::write_atomic(&args.output, page.as_bytes()) {
        stderr!("teikit report: cannot write {}: {e}", args.output.display());
        return ExitCode::from(2);
    }
    let o = &data.overview;
    stderr!(
        "teikit report: {} written: {} file(s), {} valid, {} invalid, {} error(s), {} warning(s), {} letter(s), {} person(s), {} place(s)",
        args.output.display(),
        o.files,
        o.valid,
        o.invalid,
        o.errors,
        o.warnings,
        o.letters,
        o.persons,
        o.places
    );
    ExitCode::from(outcome.exit_code())
}
