//! Validates XML files against a RELAX NG schema with teikit's library, in parallel, and
//! prints one verdict line per file (then each diagnostic with `-v`). Used by
//! `scripts/bench-vs-jing.sh` until `teikit validate` lands.
//!
//! ```text
//! cargo run --release --example rng_validate -- [-v] [-j N] SCHEMA.rng FILE...
//! ```
//! Exit status: 0 all valid, 1 some file invalid or not well-formed, 2 schema or I/O error.

use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use teikit::relaxng::validate::validate_str;
use teikit::relaxng::Schema;
use teikit::source::LineIndex;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = take_flag(&mut args, "-v");
    let threads = take_value(&mut args, "-j").and_then(|v| v.parse::<usize>().ok());
    if args.len() < 2 {
        eprintln!("usage: rng_validate [-v] [-j N] SCHEMA.rng FILE...");
        return ExitCode::from(2);
    }
    if let Some(n) = threads {
        // Ignore the error of a second initialisation: there is none in this binary.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let t0 = Instant::now();
    let schema = match Schema::from_file(&args[0]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let compiled = t0.elapsed();
    let results: Vec<(String, Result<Vec<String>, String>)> = args[1..]
        .par_iter()
        .map(|path| (path.clone(), check(&schema, path, verbose)))
        .collect();
    let mut status = 0u8;
    for (path, r) in &results {
        match r {
            Ok(lines) if lines.is_empty() => println!("{path}\tvalid\t0"),
            Ok(lines) => {
                status = status.max(1);
                println!("{path}\tinvalid\t{}", lines.len());
                if verbose {
                    for l in lines {
                        println!("  {l}");
                    }
                }
            }
            Err(e) => {
                status = 2.max(status);
                println!("{path}\terror\t{e}");
            }
        }
    }
    eprintln!(
        "schema compiled in {:.1} ms; {} files in {:.1} ms",
        compiled.as_secs_f64() * 1e3,
        results.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    ExitCode::from(status)
}

fn check(schema: &Schema, path: &str, verbose: bool) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let diags = validate_str(schema, &text);
    if !verbose {
        return Ok(diags.iter().map(|_| String::new()).collect());
    }
    let index = LineIndex::new(&text);
    Ok(diags
        .iter()
        .map(|d| {
            let (l, c) = index.line_col(&text, d.span.start);
            let help = d
                .help
                .as_deref()
                .map(|h| format!(" (help: {h})"))
                .unwrap_or_default();
            format!("{l}:{c}: {}: {}{help}", d.code.id, d.message)
        })
        .collect())
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

fn take_value(args: &mut Vec<String>, flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    if i + 1 >= args.len() {
        return None;
    }
    let v = args.remove(i + 1);
    args.remove(i);
    Some(v)
}
