//! `teikit train`: a line-role model from TEI editions.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use teikit::encode::learn::{corpus, train, TrainOptions};

/// Arguments of `teikit train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folders of TEI letters with opener/closer markup (each read recursively).
    #[arg(required = true)]
    pub editions: Vec<PathBuf>,
    /// Where to write the model (atomically).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Most L-BFGS iterations.
    #[arg(long, default_value_t = TrainOptions::default().max_iterations)]
    pub iterations: usize,
    /// L1 regularisation (larger: a smaller, sparser model).
    #[arg(long, default_value_t = TrainOptions::default().c1)]
    pub c1: f64,
    /// L2 regularisation.
    #[arg(long, default_value_t = TrainOptions::default().c2)]
    pub c2: f64,
}

/// Runs `teikit train`: 0 model written, 2 nothing to learn from or an output error.
pub fn run(args: Args) -> ExitCode {
    for d in &args.editions {
        if !d.is_dir() {
            eprintln!(
                "teikit train: {}: not a folder (give folders of TEI letters)",
                d.display()
            );
            return ExitCode::from(2);
        }
    }
    let started = Instant::now();
    let set = corpus::from_editions(&args.editions);
    for e in &set.editions {
        eprintln!(
            "teikit train: {}: {} file(s), {} letter(s) with part markup, {} without, {} file(s) without a letter",
            e.dir.display(),
            e.files,
            e.letters,
            e.unmarked,
            e.skipped
        );
        for p in &e.problems {
            eprintln!("teikit train: {p}");
        }
    }
    let opts = TrainOptions {
        c1: args.c1,
        c2: args.c2,
        max_iterations: args.iterations,
        trained_on: args
            .editions
            .iter()
            .map(|d| d.display().to_string())
            .collect(),
    };
    let model = match train(&set.docs, &opts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("teikit train: {e}");
            return ExitCode::from(2);
        }
    };
    let bytes = model.to_bytes();
    if let Err(e) = teikit::fsutil::write_atomic(&args.output, &bytes) {
        eprintln!("teikit train: {}: cannot write: {e}", args.output.display());
        return ExitCode::from(2);
    }
    let info = model.info();
    eprintln!(
        "teikit train: {} letter(s), {} line(s) ({}) in {:.1} s -> {} ({} bytes)",
        info.letters,
        info.lines,
        info.languages.join(", "),
        started.elapsed().as_secs_f64(),
        args.output.display(),
        bytes.len()
    );
    ExitCode::SUCCESS
}
