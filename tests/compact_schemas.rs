//! Schemas in RELAX NG compact syntax, and schemas that mix both syntaxes, compiled as a user's
//! would be: each `tests/cases/rnc-schema/NAME.rnc` (or `.rng`) with a `NAME.expected` beside it
//! is compiled with `Schema::from_file`, and its diagnostics, one per line as
//! `FILE:LINE:COLUMN: CODE: MESSAGE` (FILE relative to the cases folder), must equal the
//! expected file; `ok` means the schema must compile (`TEIKIT_BLESS=1` rewrites the expected
//! files; review the diff). The verdicts must agree with jing's (`jing -c` for compact syntax),
//! but for the `mixed_*` cases: jing reads one syntax per run, teikit both in one schema.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use teikit::relaxng::Schema;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/rnc-schema")
}

/// Every schema of the folder that has an expected file.
fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rnc" || x == "rng"))
        .filter(|p| p.with_extension("expected").is_file())
        .collect();
    v.sort();
    v
}

fn render(path: &Path) -> String {
    common::compile_schema(path, &cases_dir())
}

#[test]
fn compact_schema_cases() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "expected cases in {}",
        cases_dir().display()
    );
    let bless = std::env::var_os("TEIKIT_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let expected_path = case.with_extension("expected");
        let got = render(case);
        if bless {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).expect("expected file");
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
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
fn verdicts_agree_with_jing() {
    if !common::have_jing() {
        return;
    }
    let mut disagreements = Vec::new();
    // jing reads one syntax per run: cases that mix both (`mixed_*`) are teikit's alone
    let single: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| {
            !c.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("mixed_"))
        })
        .collect();
    for case in single {
        let ours_ok = Schema::from_file(&case).is_ok();
        let mut jing = Command::new("jing");
        if case.extension().is_some_and(|x| x == "rnc") {
            jing.arg("-c");
        }
        // Given only a schema, jing loads it and exits 0 silently when it is correct.
        let out = jing.arg(&case).output().expect("jing runs");
        let text: String = (String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr))
            .lines()
            .filter(|l| !l.starts_with("[warning]"))
            .collect::<Vec<_>>()
            .join("\n");
        let jing_ok = out.status.success() && text.trim().is_empty();
        if ours_ok != jing_ok {
            disagreements.push(format!(
                "{}: teikit {ours_ok}, jing {jing_ok}: {text}",
                case.display()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
