//! A long fuzz campaign on the stable toolchain, one thread per target at a time, reporting
//! executions per target (the bounded version runs in `tests/fuzz.rs`):
//!
//!     cargo run --release --example fuzz -- [--seconds 600] [--seed N] [TARGET ...]
//!
//!     cargo run --release --example fuzz -- --replay TARGET FILE
//!
//! replays one input (a panic then shows its backtrace with `RUST_BACKTRACE=1`). The seconds
//! are shared out between the targets given (all by default). Seeds: the
//! project's cases and regression inputs, and corpus files from `TEIKIT_SHARED`. Failing
//! inputs are written to `target/fuzz-failures/` (with `TEIKIT_FUZZ_KEEP_SLOWEST=1`, each
//! target's slowest input too); the status is 1 when there are any.

use std::path::PathBuf;
use std::time::Duration;

use teikit::fuzz::{self, Budget};

fn main() {
    let mut seconds = 600u64;
    let mut seed = Budget::default().seed;
    let mut names: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("--replay") && all.len() == 3 {
        let Some(target) = fuzz::target(&all[1]) else {
            eprintln!("unknown target {}", all[1]);
            std::process::exit(2);
        };
        let input = std::fs::read(&all[2]).unwrap_or_else(|e| {
            eprintln!("{}: {e}", all[2]);
            std::process::exit(2);
        });
        (target.run)(&input);
        println!("{}: no failure", all[2]);
        return;
    }
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(seconds),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            name if fuzz::target(name).is_some() => names.push(name.to_string()),
            other => {
                eprintln!("unknown argument {other} (targets: xml schema encode export report)");
                std::process::exit(2);
            }
        }
    }
    if names.is_empty() {
        names = fuzz::TARGETS.iter().map(|t| t.name.to_string()).collect();
    }
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from);
    let per_target = Duration::from_secs(seconds) / names.len() as u32;
    // a caught panic's message would flood the terminal: failures are listed at the end
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = 0;
    println!("| target | seeds | executions | seconds | executions/s | slowest ms | failures |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for name in &names {
        let target = fuzz::target(name).expect("checked above");
        let seeds = fuzz::seeds(name, &project, shared.as_deref(), 500);
        let budget = Budget {
            time: per_target,
            seed,
            ..Budget::default()
        };
        let out = fuzz::campaign(target, &seeds, &budget, |_| {});
        println!(
            "| {name} | {} | {} | {:.0} | {:.0} | {:.0} | {} |",
            seeds.len(),
            out.executions,
            out.elapsed.as_secs_f64(),
            out.executions as f64 / out.elapsed.as_secs_f64(),
            out.slowest.0.as_secs_f64() * 1000.0,
            out.failures.len()
        );
        let dir = project.join("target/fuzz-failures");
        if std::env::var_os("TEIKIT_FUZZ_KEEP_SLOWEST").is_some() {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}-slowest.bin")), &out.slowest_input);
        }
        if !out.failures.is_empty() {
            let _ = std::fs::create_dir_all(&dir);
            for f in &out.failures {
                let path = dir.join(format!("{name}-{:016x}.bin", fuzz::fnv(&f.input)));
                let _ = std::fs::write(&path, &f.input);
                eprintln!("{}: {}", path.display(), f.why);
            }
            failed += out.failures.len();
        }
    }
    if failed > 0 {
        std::process::exit(1);
    }
}
