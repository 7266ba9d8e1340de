//! `teikit export` on the cases in `tests/cases/export/` (see its README): the CMIF and the index
//! written from `letters/` match the expected files, the CMIF rules give the expected
//! diagnostics, and bad input gets the right exit code. Set `TEIKIT_BLESS=1` to rewrite the
//! expected files after a deliberate change (then review the diff).

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use teikit::export::cmif_rules;

fn cases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/export")
}

fn teikit() -> Command {
    let mut cmd = Command::cargo_bin("teikit").expect("teikit binary");
    cmd.current_dir(cases());
    cmd
}

fn bless() -> bool {
    std::env::var("TEIKIT_BLESS").as_deref() == Ok("1")
}

/// Compares `got` with the expected file (or rewrites it when blessing).
fn check_expected(expected: &Path, got: &str) {
    if bless() {
        std::fs::write(expected, got).expect("bless");
        return;
    }
    let want =
        std::fs::read_to_string(expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    if want != got {
        panic!(
            "{} differs.\n--- expected\n{want}\n--- got\n{got}",
            expected.display()
        );
    }
}

#[test]
fn cmif_from_letters_matches_expected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.xml");
    let result = teikit()
        .args([
            "export",
            "cmif",
            "letters",
            "--register",
            "register.xml",
            "--config",
            "config.toml",
            "--format",
            "json",
            "-o",
        ])
        .arg(&out)
        .output()
        .expect("run teikit");
    assert_eq!(
        result.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let cmif = std::fs::read_to_string(&out).expect("output written");
    check_expected(&cases().join("expected.cmif.xml"), &cmif);
    let rules: Vec<_> = cmif_rules(&cmif)
        .into_iter()
        .filter(|d| d.code.severity != teikit::diagnostic::Severity::Advice)
        .collect();
    assert!(rules.is_empty(), "{rules:#?}");
    // The JSON summary goes to stdout when -o is given.
    let summary: serde_json::Value =
        serde_json::from_slice(&result.stdout).expect("JSON summary on stdout");
    assert_eq!(summary["letters_in"], 5);
    assert_eq!(summary["letters_exported"], 4);
    assert_eq!(summary["skipped_by_reason"]["no_sent_action"], 1);
    assert_eq!(summary["letters_roles_swapped"], 1);
    assert_eq!(summary["letters_undated"], 1);
    assert_eq!(summary["persons"]["with_uri"], 7);
    assert_eq!(summary["persons"]["without_uri"], 3);
    assert_eq!(summary["places"]["with_uri"], 2);
    assert_eq!(summary["places"]["without_uri"], 1);
}

#[test]
fn expected_cmif_is_valid_cmif() {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    assert!(
        shared.is_dir(),
        "TEIKIT_SHARED={} does not exist",
        shared.display()
    );
    let Ok(out) = Command::new("jing")
        .arg(shared.join("schemas/cmi-customization.rng"))
        .arg(cases().join("expected.cmif.xml"))
        .output()
    else {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "jing is required but cannot be run"
        );
        println!("skipped: jing not installed");
        return;
    };
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("[warning]") && !l.trim().is_empty())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn index_csv_and_json() {
    let csv = teikit()
        .args(["export", "index", "letters", "--register", "register.xml"])
        .output()
        .expect("run teikit");
    assert_eq!(csv.status.code(), Some(0));
    check_expected(
        &cases().join("expected.index.csv"),
        &String::from_utf8_lossy(&csv.stdout),
    );
    let json = teikit()
        .args([
            "export",
            "index",
            "letters",
            "--register",
            "register.xml",
            "--format",
            "json",
        ])
        .output()
        .expect("run teikit");
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON array");
    assert_eq!(rows.as_array().map(Vec::len), Some(5));
    assert_eq!(rows[4]["senders"], "Jonas Furrer");
    assert_eq!(
        rows[4]["authority_uris"],
        "http://www.geonames.org/2661552 http://d-nb.info/gnd/118530887"
    );
}

#[test]
fn cmif_rules_cases() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases().join("rules"))
        .expect("rules folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read case");
        let mut got = String::new();
        for d in cmif_rules(&text) {
            assert!(
                text.get(d.span.clone()).is_some(),
                "{}: span {:?} outside the text",
                file.display(),
                d.span
            );
            got += &format!("{} {}:{} {}\n", d.code.id, d.line, d.column, d.message);
        }
        check_expected(&file.with_extension("expected"), &got);
    }
}

#[test]
fn missing_settings_exit_2_and_name_them() {
    let out = teikit()
        .args(["export", "cmif", "letters", "--title", "T"])
        .output()
        .expect("run teikit");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing editor")
            && err.contains("--publisher")
            && !err.contains("missing title"),
        "{err}"
    );
}

#[test]
fn missing_input_exits_2() {
    let out = teikit()
        .args([
            "export",
            "cmif",
            "no-such-folder",
            "--config",
            "config.toml",
        ])
        .output()
        .expect("run teikit");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-folder"));
}

#[test]
fn unreadable_input_exits_1_but_exports_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.xml");
    let result = teikit()
        .args([
            "export",
            "cmif",
            "letters",
            "rules/not-well-formed.xml",
            "--config",
            "config.toml",
            "-o",
        ])
        .arg(&out)
        .output()
        .expect("run teikit");
    assert_eq!(result.status.code(), Some(1));
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(err.contains("not-well-formed.xml"), "{err}");
    let cmif = std::fs::read_to_string(&out).expect("output written");
    assert_eq!(cmif.matches("<correspDesc ").count(), 4);
}

#[test]
fn utf16_with_bom_is_read_and_latin1_is_refused() {
    let out = teikit()
        .args([
            "export",
            "index",
            "encodings/utf16-bom.xml",
            "encodings/latin1.xml",
            "--register",
            "register.xml",
        ])
        .output()
        .expect("run teikit");
    assert_eq!(out.status.code(), Some(1), "latin1 is unreadable");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.contains("K_0001,Jonas Furrer,Alfred Escher,1860-04-17,Bern"),
        "{csv}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("latin1.xml") && err.contains("not UTF-8"),
        "{err}"
    );
}
