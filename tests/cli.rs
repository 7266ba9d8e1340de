//! The `teikit` binary: every output format as an insta snapshot (human without colour at a
//! fixed width), and the exit statuses: 0 no errors, 1 errors (or warnings with
//! `--deny warnings`), 2 usage, I/O or schema error.

use assert_cmd::Command;

const CLI: &str = "tests/cases/validate/cli";

fn teikit() -> Command {
    let mut c = Command::cargo_bin("teikit").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TEIKIT_SCHEMA_PATH")
        .env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = teikit().args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn human_report() {
    let (out, _, code) = run(&["validate", "--width", "80", CLI]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("human", out);
}

/// A file read as a stream (`--stream-from 0`) reports exactly what a file read whole does, in
/// every format: positions, labels and snippets (cut from the lines kept around them).
#[test]
fn streamed_files_report_the_same() {
    for format in ["human", "json", "sarif", "github", "junit"] {
        let (whole, _, code) = run(&["validate", "--width", "80", "--format", format, CLI]);
        let (streamed, _, code2) = run(&[
            "validate",
            "--width",
            "80",
            "--format",
            format,
            "--stream-from",
            "0",
            CLI,
        ]);
        assert_eq!((code, code2), (1, 1));
        assert_eq!(streamed, whole, "{format}");
    }
}

#[test]
fn json_report() {
    let (out, _, code) = run(&["validate", "--format", "json", CLI]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["summary"]["files"], 2);
    insta::assert_snapshot!("json", out);
}

#[test]
fn sarif_report() {
    let (out, _, code) = run(&["validate", "--format", "sarif", CLI]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert!(results
        .iter()
        .all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() >= Some(1)));
    insta::assert_snapshot!("sarif", out);
}

#[test]
fn junit_report() {
    let (out, _, code) = run(&["validate", "--format", "junit", CLI]);
    assert_eq!(code, 1);
    assert!(
        roxmltree::Document::parse(&out).is_ok(),
        "JUnit output is XML"
    );
    insta::assert_snapshot!("junit", out);
}

#[test]
fn github_report() {
    let (out, _, code) = run(&["validate", "--format", "github", CLI]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", out);
}

#[test]
fn exit_status_zero_when_clean() {
    let (out, _, code) = run(&[
        "validate",
        "--deny",
        "warnings",
        &format!("{CLI}/clean.xml"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 file: 1 valid, 0 invalid; 0 errors, 0 warnings"),
        "{out}"
    );
    assert!(out.contains("schema: embedded tei-corresp.rng"), "{out}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let file = "tests/cases/validate/unknown_action_type.xml";
    assert_eq!(run(&["validate", "--schema", "none", file]).2, 0);
    let (out, _, code) = run(&[
        "validate", "--schema", "none", "--deny", "warnings", "--format", "json", file,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("\"valid\": false"), "{out}");
}

#[test]
fn missing_input_exits_2_and_the_others_are_still_validated() {
    let (out, _, code) = run(&[
        "validate",
        "--format",
        "json",
        "no/such/file.xml",
        &format!("{CLI}/clean.xml"),
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("missing_input", out);
}

#[test]
fn incorrect_schema_exits_2_with_its_diagnostics() {
    let (out, _, code) = run(&[
        "validate",
        "--width",
        "80",
        "--schema",
        &format!("{CLI}/bad-schema.rng"),
        &format!("{CLI}/clean.xml"),
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("bad-schema.rng"), "{out}");
    assert!(out.contains("tei::rng::"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["validate", "--format", "yaml"]).2, 2);
    assert_eq!(
        run(&["validate", "--config", "no/such/teikit.toml", CLI]).2,
        2
    );
    assert_eq!(
        run(&["validate", "--registers", "no/such/people.xml", "--", CLI]).2,
        2
    );
}

#[test]
fn config_turns_an_area_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("teikit.toml");
    std::fs::write(
        &cfg,
        "[severity]\n\"tei::consistency\" = \"off\"\n\"tei::xref::dangling_ref\" = \"warning\"\n",
    )
    .expect("write");
    let (out, _, code) = run(&[
        "validate",
        "--format",
        "json",
        "--config",
        &cfg.to_string_lossy(),
        &format!("{CLI}/letter.xml"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("tei::consistency"), "{out}");
    assert!(out.contains("\"severity\": \"warning\""), "{out}");
}

#[test]
fn explain_knows_every_code() {
    for c in teikit::diagnostic::all_codes() {
        let (out, _, code) = run(&["explain", c.id]);
        assert_eq!(code, 0, "{}", c.id);
        assert!(out.contains(c.summary), "{}", c.id);
    }
    assert_eq!(run(&["explain", "tei::nope::nothing"]).2, 2);
}

/// `docs/codes.md` from the code registry; `TEIKIT_BLESS=1` rewrites it.
fn codes_markdown() -> String {
    let mut s = String::from(
        "# Diagnostic codes\n\nGenerated from the code registry by `tests/cli.rs` \
(`TEIKIT_BLESS=1 cargo test --test cli docs_codes` rewrites it). `teikit explain CODE` prints \
the same text; `teikit.toml` can change each severity or turn a code or area off.\n\n\
| code | severity | summary |\n|---|---|---|\n",
    );
    let codes = teikit::diagnostic::all_codes();
    for c in &codes {
        s.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            c.id,
            c.id.replace("::", ""),
            c.severity.as_str(),
            c.summary.replace('|', "\\|")
        ));
    }
    for c in &codes {
        s.push_str(&format!(
            "\n## `{}`\n\nDefault severity: {}. {}\n\n{}\n",
            c.id,
            c.severity.as_str(),
            c.summary,
            c.explanation
        ));
    }
    s
}

#[test]
fn docs_codes_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
    let want = codes_markdown();
    if std::env::var_os("TEIKIT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs folder")).expect("mkdir docs");
        teikit::fsutil::write_atomic(&path, want.as_bytes()).expect("write docs/codes.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/codes.md is stale: run `TEIKIT_BLESS=1 cargo test --test cli docs_codes`"
    );
}

#[test]
fn cmif_profile_adds_the_cmif_rules() {
    let file = "tests/cases/validate/no_sent_action.xml";
    let (plain, _, _) = run(&["validate", "--schema", "none", "--format", "json", file]);
    assert!(!plain.contains("tei::cmif::"), "{plain}");
    let (out, _, code) = run(&[
        "validate",
        "--schema",
        "none",
        "--format",
        "json",
        "--profile",
        "cmif",
        file,
    ]);
    assert!(out.contains("tei::cmif::missing_sent"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn xml_model_chooses_the_schema_and_its_pointer_types() {
    let dir = "tests/cases/validate/xml-model";
    // a relative href resolves; a URL falls back to the embedded schema and says why
    let (out, _, _) = run(&["validate", "--format", "json", dir]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["files"][1]["schema"],
        "tests/cases/validate/xml-model/schemas/mini.rng"
    );
    assert!(v["files"][0]["schema"]
        .as_str()
        .is_some_and(|s| s.starts_with(
            "embedded tei-corresp.rng (xml-model `https://example.org/schemas/mini.rng`"
        )));
    // TEIKIT_SCHEMA_PATH maps the URL by file name; the schema types @link anyURI, so it is checked
    let out = teikit()
        .env("TEIKIT_SCHEMA_PATH", format!("{dir}/schemas"))
        .args(["validate", "--format", "json", dir])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["files"][0]["schema"],
        "tests/cases/validate/xml-model/schemas/mini.rng"
    );
    let codes: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["tei::xref::dangling_ref", "tei::rng::unknown_element"]
    );
}

#[test]
fn explain_accepts_short_names_and_suggests() {
    let (out, _, code) = run(&["explain", "dangling_ref"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("tei::xref::dangling_ref"), "{out}");
    let (_, err, code) = run(&["explain", "tei::xref::dangling_rfe"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `tei::xref::dangling_ref`?"),
        "{err}"
    );
}

#[test]
fn a_folder_without_xml_files_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "not xml").expect("write");
    let (out, err, code) = run(&["validate", &dir.path().display().to_string()]);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("no *.xml file found"), "{err}");
}
