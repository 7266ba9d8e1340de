//! Runs every `tests/cases/validate/NAME.xml` that has a `NAME.expected` (one line per
//! diagnostic: `severity code line:col`) through the checks, without the grammar step, and
//! compares. `NAME.registers` lists register files (one path a line, relative to the folder).
//! Also checks that every check code has a case and that README.md indexes every case.

use std::path::{Path, PathBuf};
use teikit::validate::{self, Options, SchemaChoice};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/validate")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases/validate exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "expected"))
        .collect();
    v.sort();
    v
}

fn run_case(expected: &Path) -> (String, String) {
    run_case_with(expected, None)
}

/// Runs one case (`stream_from`: see [`Options::stream_from`]); returns (got, expected).
fn run_case_with(expected: &Path, stream_from: Option<u64>) -> (String, String) {
    let xml = expected.with_extension("xml");
    let mut opts = Options {
        schema: SchemaChoice::Skip,
        stream_from,
        ..Options::default()
    };
    let regs = expected.with_extension("registers");
    if let Ok(list) = std::fs::read_to_string(&regs) {
        opts.registers = list
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| cases_dir().join(l.trim()))
            .collect();
    }
    let outcome = validate::run(&[xml], &opts).expect("registers load");
    let got: String = outcome.files[0]
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}\n",
                d.severity.as_str(),
                d.code.id,
                d.line,
                d.column
            )
        })
        .collect();
    let want = std::fs::read_to_string(expected).expect("expected file");
    (got, want)
}

#[test]
fn every_case_gives_its_expected_diagnostics() {
    let mut failures = Vec::new();
    for e in cases() {
        let (got, want) = run_case(&e);
        if got != want {
            failures.push(format!("--- {}\nexpected:\n{want}got:\n{got}", e.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn streamed_files_give_the_same_diagnostics() {
    let mut failures = Vec::new();
    for e in cases() {
        let (got, want) = run_case_with(&e, Some(0));
        if got != want {
            failures.push(format!(
                "--- {} (streamed)\nexpected:\n{want}got:\n{got}",
                e.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_check_code_has_a_case() {
    let all: String = cases()
        .iter()
        .map(|e| std::fs::read_to_string(e).unwrap_or_default())
        .collect();
    let mut missing = Vec::new();
    for c in teikit::check::CODES.iter().chain(teikit::validate::CODES) {
        // unreadable paths cannot be a file beside its expectation: tests/cli.rs covers them
        if c.id == "tei::io::unreadable" {
            continue;
        }
        if !all.contains(&format!(" {} ", c.id)) {
            missing.push(c.id);
        }
    }
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
}

#[test]
fn readme_indexes_every_case() {
    let readme = std::fs::read_to_string(cases_dir().join("README.md")).expect("README.md");
    let missing: Vec<String> = cases()
        .iter()
        .filter_map(|e| e.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| !readme.contains(&format!("`{s}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "cases missing from README.md: {missing:?}"
    );
}

/// `crossfile/L1.xml` (sent 1923-03-05, next = `L2`) and `crossfile/L2.xml` (sent 1923-01-01,
/// prev = `L1`) contradict each other; each also points to a missing id of the other file.
#[test]
fn context_order_and_pointers_across_files() {
    let dir = cases_dir().join("crossfile");
    let opts = Options {
        schema: SchemaChoice::Skip,
        ..Options::default()
    };
    let outcome = validate::run(&[dir], &opts).expect("runs");
    let got: Vec<String> = outcome
        .files
        .iter()
        .flat_map(|f| {
            let name = f
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.diagnostics
                .iter()
                .map(move |d| format!("{name} {} {}:{}", d.code.id, d.line, d.column))
        })
        .collect();
    assert_eq!(
        got,
        [
            "L1.xml tei::corresp::context_out_of_order 8:50",
            "L1.xml tei::xref::dangling_ref 12:46",
            "L2.xml tei::corresp::context_out_of_order 8:50",
            "L2.xml tei::xref::dangling_ref 12:46",
        ]
    );
}
