//! Fuzzing on the stable toolchain: each target of `teikit::fuzz` runs over its seed corpus
//! (the project's cases, its regression inputs, and corpus files from `TEIKIT_SHARED`) and
//! deterministic mutations of it, for a bounded time (`TEIKIT_FUZZ_SECONDS`, default 8 s per
//! target) and count (`TEIKIT_FUZZ_EXECUTIONS`). A failing input is written to
//! `target/fuzz-failures/` and the test fails. The inputs that once failed are kept in
//! `tests/fuzz/regressions/<target>/`, one README line each, and run on every test run.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use teikit::fuzz::{self, Budget};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs a bounded campaign of the target `name`; fails with the failing inputs saved.
fn fuzz_target(name: &str) {
    let target = fuzz::target(name).expect("a target of that name");
    let shared = common::shared();
    let seeds = fuzz::seeds(name, &project(), shared.as_deref(), 60);
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let budget = Budget {
        time: Duration::from_secs(env_number("TEIKIT_FUZZ_SECONDS").unwrap_or(8)),
        executions: env_number("TEIKIT_FUZZ_EXECUTIONS").unwrap_or(u64::MAX),
        ..Budget::default()
    };
    let out = fuzz::campaign(target, &seeds, &budget, |_| {});
    println!(
        "fuzz {name}: {} executions in {:.1} s over {} seeds; slowest {:.0} ms ({} bytes); {} failures",
        out.executions,
        out.elapsed.as_secs_f64(),
        seeds.len(),
        out.slowest.0.as_secs_f64() * 1000.0,
        out.slowest.1,
        out.failures.len()
    );
    assert!(out.executions >= seeds.len() as u64 || out.elapsed >= budget.time);
    if !out.failures.is_empty() {
        let dir = project().join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let mut report = String::new();
        for f in &out.failures {
            let path = dir.join(format!("{name}-{:016x}.bin", fuzz::fnv(&f.input)));
            std::fs::write(&path, &f.input).unwrap();
            report.push_str(&format!("{}: {}\n", path.display(), f.why));
        }
        panic!(
            "fuzz {name}: {} failing inputs\n{report}",
            out.failures.len()
        );
    }
}

#[test]
fn fuzz_xml() {
    fuzz_target("xml");
}

#[test]
fn fuzz_schema() {
    fuzz_target("schema");
}

#[test]
fn fuzz_encode() {
    fuzz_target("encode");
}

#[test]
fn fuzz_export() {
    fuzz_target("export");
}

#[test]
fn fuzz_report() {
    fuzz_target("report");
}

/// The inputs that once failed, each run through its target: no panic, within the bound of
/// an execution; every one of them has its README line, and every README line its file.
#[test]
fn regressions() {
    let root = project().join("tests/fuzz/regressions");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("regressions README");
    let mut count = 0;
    for target in fuzz::TARGETS {
        for file in fuzz::files_under(&root.join(target.name), "") {
            let rel = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                readme.contains(&format!("`{rel}`")),
                "{rel} has no line in tests/fuzz/regressions/README.md"
            );
            let input = std::fs::read(&file).unwrap();
            let (r, took) = fuzz::run_once(target, &input);
            assert_eq!(r, Ok(()), "{rel}");
            assert!(took < Budget::default().slow, "{rel}: {took:?}");
            count += 1;
        }
    }
    for line in readme.lines().filter(|l| l.starts_with("- `")) {
        let rel = line[3..].split('`').next().unwrap();
        assert!(
            root.join(rel).is_file(),
            "README names {rel}, which is missing"
        );
    }
    assert!(count >= 6, "{count} regression inputs");
}

/// A target that panics is caught, its input kept: the harness can fail.
#[test]
fn a_panicking_target_is_caught_with_its_input() {
    fn picky(data: &[u8]) {
        assert!(!data.contains(&b'!'), "an exclamation mark");
    }
    let target = fuzz::Target {
        name: "picky",
        run: picky,
    };
    let budget = Budget {
        executions: 5_000,
        ..Budget::default()
    };
    let out = fuzz::campaign(&target, &[b"<a>b</a>".to_vec()], &budget, |_| {});
    assert_eq!(out.executions, 5_000);
    assert_eq!(out.failures.len(), 1, "one failure per kind");
    assert!(out.failures[0].input.contains(&b'!'));
    assert!(out.failures[0].why.contains("exclamation"));
}
