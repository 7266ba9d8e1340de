//! XInclude cases (`tests/cases/xinclude`, see its README): each document validated with its
//! includes, the report as a user sees it; the machine formats of a diagnostic in an included
//! file; the verdicts against `xmllint --xinclude --relaxng`.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/xinclude")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/cases/xinclude")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

/// Runs teikit on a case with extra arguments: (status, stdout, stderr).
fn run(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = std::fs::read_to_string(dir.join("args"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let out = Command::cargo_bin("teikit")
        .expect("binary built")
        .current_dir(dir)
        .env_remove("TEIKIT_SCHEMA_PATH")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .args([
            "validate",
            "main.xml",
            "--schema",
            "../schema.rng",
            "--schematron",
            "none",
        ])
        .args(&args)
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every case gives its expected status and report.
#[test]
fn xinclude_cases() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let dirs = cases();
    assert!(dirs.len() >= 20);
    let bless = std::env::var("TEIKIT_BLESS").as_deref() == Ok("1");
    let mut failures = Vec::new();
    let mut all = String::new();
    for dir in &dirs {
        let name = name(dir);
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not list `{name}`"
        );
        let (status, stdout, stderr) = run(dir, &[]);
        let got = format!("status: {status}\n--- stdout\n{stdout}--- stderr\n{stderr}");
        all.push_str(&got);
        let path = dir.join("expected");
        if bless {
            std::fs::write(&path, &got).expect("bless");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {name}\nexpected:\n{want}\ngot:\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // every code of the area, and the XInclude limits, appear in a case
    let limits = ["xinclude_depth", "xinclude_count", "xinclude_size"];
    for c in teikit::xinclude::CODES {
        assert!(all.contains(c.id), "no case shows {}", c.id);
    }
    for l in limits {
        assert!(
            all.contains(&format!("tei::limit::{l}")),
            "no case shows {l}"
        );
    }
}

/// JSON and SARIF say which file a diagnostic in included content is in, and where it was
/// included from; the human report does too (checked by the cases).
#[test]
fn machine_formats_name_the_included_file() {
    let dir = root().join("error-in-included");
    let (status, json, _) = run(&dir, &["--format", "json"]);
    assert_eq!(status, 1);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(v["files"][0]["path"], "main.xml");
    assert_eq!(d["file"], "chapters/ch1.xml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(16))
    );
    assert_eq!(d["included_from"][0]["file"], "main.xml");
    assert_eq!(d["included_from"][0]["line"], 5);

    let (_, sarif, _) = run(&dir, &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
    let r = &v["runs"][0]["results"][0];
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "chapters/ch1.xml");
    assert_eq!(loc["region"]["startLine"], 5);
    let rel = &r["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], "main.xml");
    assert_eq!(rel["region"]["startLine"], 5);

    let (_, github, _) = run(&dir, &["--format", "github"]);
    assert!(
        github.starts_with("::error file=chapters/ch1.xml,line=5,col=16,"),
        "{github}"
    );
    assert!(github.contains("included from main.xml:5:7"), "{github}");
}

/// Whether xmllint can run; panics when it cannot but `TEIKIT_REQUIRE_ORACLES=1`.
fn have_xmllint() -> bool {
    let ok = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "xmllint is required (TEIKIT_REQUIRE_ORACLES=1) but cannot be run"
        );
        println!("skipped: xmllint not installed");
    }
    ok
}

/// teikit's verdict on each case is xmllint's (`--xinclude --nonet --relaxng`), except where
/// the case says why not.
#[test]
fn verdicts_match_xmllint() {
    if !have_xmllint() {
        return;
    }
    let mut differ = Vec::new();
    let mut compared = 0;
    for dir in cases() {
        let (status, _, _) = run(&dir, &[]);
        let xmllint = std::process::Command::new("xmllint")
            .current_dir(&dir)
            .args([
                "--xinclude",
                "--nonet",
                "--noout",
                "--relaxng",
                "../schema.rng",
                "main.xml",
            ])
            .output()
            .expect("xmllint runs");
        let (ours, theirs) = (status == 0, xmllint.status.success());
        let expected_to_differ = dir.join("xmllint-differs").exists();
        if expected_to_differ {
            assert_ne!(
                ours,
                theirs,
                "{}: xmllint-differs, but both say {ours}",
                name(&dir)
            );
            continue;
        }
        compared += 1;
        if ours != theirs {
            differ.push(format!(
                "{}: teikit valid={ours}, xmllint valid={theirs}\n{}",
                name(&dir),
                String::from_utf8_lossy(&xmllint.stderr)
            ));
        }
    }
    assert!(compared >= 15, "{compared}");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
