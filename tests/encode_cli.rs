//! `teikit encode` from the command line: exit codes, messages, sidecar discovery, atomic -o.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/encode")
        .join(name)
}

fn teikit() -> Command {
    Command::cargo_bin("teikit").expect("the teikit binary")
}

#[test]
fn good_input_goes_to_stdout() {
    let out = teikit()
        .arg("encode")
        .arg(case("salutation-dateline.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(roxmltree::Document::parse(&xml).is_ok());
}

#[test]
fn sidecar_is_found_beside_the_source() {
    let out = teikit()
        .arg("encode")
        .arg(case("year-inference.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains("<sic>Sokolow</sic><corr>Sokolov</corr>"),
        "{xml}"
    );
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.xml");
    let out = teikit()
        .arg("encode")
        .arg(case("postscript.txt"))
        .arg("-o")
        .arg(&out_path)
        .arg("--title")
        .arg("A test")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(&out_path).unwrap();
    assert!(xml.contains("<title>A test</title>"));
    assert!(out.stdout.is_empty());
}

fn fails(name: &str, code: i32, needles: &[&str]) {
    let p = case(name);
    let out = teikit().arg("encode").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{name}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&p.display().to_string()),
        "message names the file: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "{name}: `{n}` not in `{err}`");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_inputs_have_clear_messages_and_codes() {
    fails("empty.txt", 2, &["empty"]);
    fails("binary.txt", 2, &["binary", "byte offset 10", "line 2"]);
    fails(
        "latin1.txt",
        2,
        &["not UTF-8", "0xe9", "byte offset 14", "line 3"],
    );
    fails("no-letter.txt", 1, &["no letter found"]);
}

#[test]
fn missing_file_and_bad_sidecar() {
    let out = teikit()
        .arg("encode")
        .arg(case("does-not-exist.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[persons]]\nid = 3\n").unwrap();
    let out = teikit()
        .arg("encode")
        .arg(case("bare.txt"))
        .arg("--persons")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
}
