//! Schematron through the `teikit` binary, as a user sees it: each `tests/cases/schematron/
//! NAME.cmd` (the arguments, one a line, run in that folder) with `NAME.expected` beside it
//! (standard output, standard error and the exit status; `TEIKIT_BLESS=1` rewrites them; review
//! the diff). Plus the hostile schemas whose inputs are made here: a rule quadratic in the
//! document stopped by the time limit.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/schematron")
}

fn teikit(dir: &Path, args: &[String]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .current_dir(dir)
        .env_remove("TEIKIT_SCHEMA_PATH")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("teikit runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn schematron_cli_cases() {
    let dir = cases_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cmd"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "cases in {}", dir.display());
    let bless = std::env::var_os("TEIKIT_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let mut args: Vec<String> = std::fs::read_to_string(case)
            .expect("cmd")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        // a fixed width for the human report
        if args.first().is_some_and(|a| a == "validate") && !args.iter().any(|a| a == "--format") {
            args.insert(1, "--width".into());
            args.insert(2, "100".into());
        }
        let (out, err, code) = teikit(&dir, &args);
        let got = format!("{out}--- stderr\n{err}--- exit {code}\n");
        let expected_path = case.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `teikit validate --schematron SCH` with a time limit of `limit` seconds on a document
/// of 40,000 elements `<e>…</e>` (`n`: with an attribute `n` each), and checks the run stops
/// at the limit: a `tei::sch::time_limit` finding naming `pattern`, exit 1, well within a
/// minute.
fn stopped_by_the_limit(n: bool, sch: &str, pattern: &str, limit: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = String::from("<r>");
    for i in 0..40_000 {
        if n {
            doc.push_str(&format!("<e n='{i}'>{i}</e>"));
        } else {
            doc.push_str(&format!("<e>{i}</e>"));
        }
    }
    doc.push_str("</r>");
    std::fs::write(dir.path().join("big.xml"), doc).expect("write");
    std::fs::write(
        dir.path().join("rules.sch"),
        format!("<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt2'>{sch}</schema>"),
    )
    .expect("write");
    let start = Instant::now();
    let args: Vec<String> = [
        "validate",
        "--schema",
        "none",
        "--schematron",
        "rules.sch",
        "--schematron-time-limit",
        limit,
        "--format",
        "json",
        "big.xml",
    ]
    .map(String::from)
    .to_vec();
    let (out, err, code) = teikit(dir.path(), &args);
    let took = start.elapsed();
    assert!(out.contains("tei::sch::time_limit"), "{out}{err}");
    assert!(out.contains(&format!("pattern {pattern}")), "{out}");
    assert_eq!(code, 1, "{out}{err}");
    // the limit, plus reading and the process: far from the rule's own hours
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[test]
fn a_quadratic_rule_is_stopped_by_the_time_limit() {
    // `//*[. = //*]` compares each element with each (1.6e9 comparisons)
    stopped_by_the_limit(
        true,
        "<pattern id='quadratic'><rule context='/*'><report test='//*[. = //*]'>equal</report></rule></pattern>",
        "quadratic",
        "2",
    );
}

/// A rule quadratic in the document that the fast pass can evaluate (no descendant axis), in
/// one evaluation: the pass, run on the validating thread, keeps its own time inside the
/// evaluation and gives the document up at the limit; the engine then runs it on a worker,
/// stopped by the limit as any rule.
#[test]
fn a_quadratic_rule_of_the_fast_pass_is_stopped_by_the_time_limit() {
    // 40,000 siblings, each compared with every one after it (8e8 comparisons, one test)
    stopped_by_the_limit(
        false,
        "<pattern id='siblings'><rule context='r'><report test='e[. = following-sibling::e]'>again</report></rule></pattern>",
        "siblings",
        "1",
    );
}
