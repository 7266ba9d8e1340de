//! Incorrect schemas get diagnostics with the right code, file, line and column: each
//! `tests/cases/rng-schema/NAME.rng` with a `NAME.expected` beside it is compiled and its
//! diagnostics, one per line as `FILE:LINE:COLUMN: CODE: MESSAGE` (FILE relative to the cases
//! folder), must equal the expected file; an expected file reading `ok` means the schema must
//! compile. Also checks that each schema's verdict agrees with jing's when jing is installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use teikit::relaxng::Schema;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/rng-schema")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "expected"))
        .map(|p| p.with_extension("rng"))
        .collect();
    v.sort();
    v
}

fn render(path: &Path) -> String {
    common::compile_schema(path, &cases_dir())
}

#[test]
fn schema_error_cases() {
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "expected cases in {}",
        cases_dir().display()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let expected =
            std::fs::read_to_string(case.with_extension("expected")).expect("expected file");
        let got = render(case);
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
    let has_jing = Command::new("jing").arg("-h").output().is_ok();
    if !has_jing {
        assert!(
            std::env::var_os("TEIKIT_REQUIRE_ORACLES").is_none(),
            "jing is required but missing"
        );
        println!("skipped: jing not installed");
        return;
    }
    let mut disagreements = Vec::new();
    for case in cases() {
        // Given only a schema, jing loads it and exits 0 silently when it is correct.
        let ours_ok = Schema::from_file(&case).is_ok();
        let out = Command::new("jing").arg(&case).output().expect("jing runs");
        let text: String = (String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr))
            .lines()
            .filter(|l| !l.starts_with("[warning]"))
            .collect::<Vec<_>>()
            .join("\n");
        let jing_ok = out.status.success() && text.trim().is_empty();
        if ours_ok != jing_ok {
            disagreements.push(format!(
                "{}: teikit {}, jing {}: {text}",
                case.display(),
                ours_ok,
                jing_ok
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
