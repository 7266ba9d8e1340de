//! The `teikit` binary: every output format as an insta snapshot (human without colour at a
//! fixed width), and the exit statuses: 0 no errors, 1 errors (or warnings with
//! `--deny warnings`), 2 usage, I/O or schema error.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

mod common;

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

/// What no output may show: a line of `/etc/passwd`, the text of the cases' `secret.txt`.
const NEVER_SHOWN: &[&str] = &["root:x:", "SECRET-TOKEN", "second line"];

fn bless() -> bool {
    std::env::var("TEIKIT_BLESS").as_deref() == Ok("1")
}

/// One case of `tests/cases/cli` (see its README): runs it, returns (args, status, stdout, stderr).
fn run_case(dir: &Path) -> (Vec<String>, i32, Vec<u8>, Vec<u8>) {
    let args: Vec<String> = std::fs::read_to_string(dir.join("cmd"))
        .expect("cmd")
        .lines()
        .map(str::to_string)
        .collect();
    let mut c = Command::cargo_bin("teikit").expect("binary built");
    c.current_dir(dir)
        .env_remove("TEIKIT_SCHEMA_PATH")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .args(&args);
    c.write_stdin(std::fs::read(dir.join("stdin")).unwrap_or_default());
    let out = c.output().expect("runs");
    (
        args,
        out.status.code().unwrap_or(-1),
        out.stdout,
        out.stderr,
    )
}

/// Checks what every output must be, whatever the case.
fn check_invariants(name: &str, args: &[String], stdout: &[u8], stderr: &[u8], scratch: &Path) {
    let text = String::from_utf8_lossy(stdout).into_owned() + &String::from_utf8_lossy(stderr);
    for secret in NEVER_SHOWN {
        assert!(
            !text.contains(secret),
            "{name}: the output shows `{secret}`:\n{text}"
        );
    }
    assert!(!text.contains("panicked"), "{name}: {text}");
    let format = args
        .iter()
        .position(|a| a == "--format")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let file = scratch.join(name);
    std::fs::write(&file, stdout).expect("write output");
    let out = String::from_utf8_lossy(stdout);
    match (args.first().map(String::as_str), format) {
        (Some("validate"), Some("json")) => {
            let v: serde_json::Value = serde_json::from_slice(stdout).expect("JSON");
            assert!(v["summary"].is_object(), "{name}");
            assert!(!out.contains("\"help\": null"), "{name}: a null help");
        }
        (Some("validate"), Some("sarif")) => {
            serde_json::from_slice::<serde_json::Value>(stdout).expect("SARIF is JSON");
            common::check_sarif(&[&file]);
        }
        (Some("validate"), Some("junit")) => {
            roxmltree::Document::parse(&out).expect("JUnit is well-formed XML");
            common::check_junit(&[&file]);
        }
        (Some("export"), Some("json")) => {
            serde_json::from_slice::<serde_json::Value>(stdout).expect("the index is JSON");
        }
        (Some("export"), Some("csv")) => {}
        (Some("encode" | "export"), _) if !stdout.is_empty() => {
            roxmltree::Document::parse(&out).expect("TEI written is well-formed XML");
        }
        _ => {}
    }
}

fn expected_text(status: i32, stdout: &[u8], stderr: &[u8]) -> String {
    format!(
        "status: {status}\n--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    )
}

/// Every case of `tests/cases/cli` gives its expected status, stdout and stderr.
#[test]
fn cli_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/cli");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/cases/cli")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 16);
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not list `{name}`"
        );
        let (args, status, stdout, stderr) = run_case(dir);
        check_invariants(&name, &args, &stdout, &stderr, scratch.path());
        let got = expected_text(status, &stdout, &stderr);
        let path = dir.join("expected");
        if bless() {
            std::fs::write(&path, &got).expect("bless");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {name}\nexpected:\n{want}\ngot:\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // no case writes beside its inputs (the CMIF of `export-cmif-no-letter` is never written)
    assert!(!root.join("export-cmif-no-letter/out.xml").exists());
    // every code of the areas these cases cover appears in one of them
    let all: String = dirs
        .iter()
        .map(|d| std::fs::read_to_string(d.join("expected")).unwrap_or_default())
        .collect();
    for c in teikit::validate::schema::CODES {
        assert!(all.contains(c.id), "no case shows {}", c.id);
    }
    assert!(all.contains("tei::encode::forbidden_character"));
}

/// The CMIF written from the letters' own `fileDesc` is valid against the CMIF schema.
#[test]
fn cmif_with_the_edition_from_file_desc_is_valid_cmif() {
    let Some(shared) = common::shared() else {
        return;
    };
    if !common::have_jing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/cli/export-cmif-edition-from-filedesc/expected"),
    )
    .expect("expected");
    let cmif = expected
        .split_once("--- stdout\n")
        .and_then(|(_, r)| r.split_once("--- stderr\n"))
        .map(|(o, _)| o)
        .expect("stdout part");
    assert!(cmif.contains("<bibl type=\"online\""), "{cmif}");
    let file = dir.path().join("cmif.xml");
    std::fs::write(&file, cmif).expect("write");
    let out = std::process::Command::new("jing")
        .arg(shared.join("schemas/cmi-customization.rng"))
        .arg(&file)
        .output()
        .expect("jing runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.trim().is_empty(), "{text}");
}

#[test]
fn every_subcommand_has_version() {
    let version = env!("CARGO_PKG_VERSION");
    for cmd in [
        &["--version"][..],
        &["validate", "--version"],
        &["encode", "--version"],
        &["explain", "--version"],
        &["export", "--version"],
        &["export", "cmif", "--version"],
        &["export", "index", "--version"],
    ] {
        let (out, _, code) = run(cmd);
        assert_eq!(code, 0, "{cmd:?}");
        // named as typed: `teikit export cmif 0.1.0`, not `teikit-export-cmif`
        let named = ["teikit"]
            .iter()
            .chain(cmd.iter().filter(|a| **a != "--version"))
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(out, format!("{named} {version}\n"), "{cmd:?}");
    }
}

/// `teikit … | true`: the reader is gone before (or while) teikit writes; it exits 0 without a
/// word (half the runs used to panic with "failed printing to stdout").
#[test]
fn a_closed_pipe_is_not_an_error() {
    let bin = assert_cmd::cargo::cargo_bin("teikit");
    let root = env!("CARGO_MANIFEST_DIR");
    for cmd in [
        "explain",
        "explain tei::xref::dangling_ref",
        "validate --format json tests/cases/validate/cli",
        "validate --width 80 tests/cases/validate/cli",
        "export index tests/cases/export/letters",
        "encode tests/cases/cli/encode-forbidden-characters/stdin",
    ] {
        for _ in 0..12 {
            let out = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!("set -o pipefail; \"$0\" {cmd} | true"))
                .arg(&bin)
                .current_dir(root)
                .env("NO_COLOR", "1")
                .output()
                .expect("bash runs");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "{cmd}: {err}");
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{cmd}: {:?} {err}",
                out.status
            );
        }
    }
}

/// Runs teikit in `dir`; (stdout, status).
fn run_in(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = teikit().current_dir(dir).args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const DANGLING: &str = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>\
<persName ref=\"#nobody\">x</persName></p></body></text></TEI>\n";

/// File names that are not plain ASCII: SARIF URIs percent-encoded (`a:b.xml` is no URI of
/// scheme `a`), JUnit well-formed and valid (a control character in a name shown as `\u{1}`),
/// GitHub commands escaped as GitHub's own toolkit escapes them.
#[test]
fn odd_file_names_in_every_machine_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = ["ä.xml", "a:b.xml", "50%,x y#.xml", "ctl\u{1}.xml"];
    for n in names {
        std::fs::write(dir.path().join(n), DANGLING).expect("write");
    }
    let (sarif, code) = run_in(
        dir.path(),
        &["validate", "--schema", "none", "--format", "sarif", "."],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
    let mut uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    uris.sort_unstable();
    assert_eq!(
        uris,
        [
            "%C3%A4.xml",
            "50%25%2Cx%20y%23.xml",
            "a%3Ab.xml",
            "ctl%01.xml"
        ]
    );
    for r in v["runs"][0]["results"].as_array().expect("results") {
        assert!(r["partialFingerprints"]["teikit/v1"]
            .as_str()
            .is_some_and(|f| f.ends_with(":1")));
    }
    let scratch = tempfile::tempdir().expect("temp dir");
    let file = scratch.path().join("odd.sarif");
    std::fs::write(&file, &sarif).expect("write");
    common::check_sarif(&[&file]);

    let (junit, _) = run_in(
        dir.path(),
        &["validate", "--schema", "none", "--format", "junit", "."],
    );
    roxmltree::Document::parse(&junit).expect("JUnit is well-formed");
    assert!(junit.contains("classname=\"./ctl\\u{1}.xml\""), "{junit}");
    let file = scratch.path().join("odd.junit.xml");
    std::fs::write(&file, &junit).expect("write");
    common::check_junit(&[&file]);

    let (github, _) = run_in(
        dir.path(),
        &["validate", "--schema", "none", "--format", "github", "."],
    );
    let (json, _) = run_in(
        dir.path(),
        &["validate", "--schema", "none", "--format", "json", "."],
    );
    check_github(&github, &json);
}

/// Compares `--format github` with the same run's JSON written through GitHub's toolkit
/// (`@actions/core`), which escapes workflow commands as the runner reads them.
fn check_github(github: &str, json: &str) {
    let Some(dir) = common::oracles("node_modules/@actions/core/lib/command.js") else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let lines: Vec<&str> = github.lines().collect();
    let mut commands = String::new();
    let mut i = 0;
    for f in v["files"].as_array().expect("files") {
        for d in f["diagnostics"].as_array().expect("diagnostics") {
            // the end position is not in the JSON contract: read from our own line (digits)
            let field = |k: &str| -> u64 {
                lines[i]
                    .split(&format!(",{k}="))
                    .nth(1)
                    .and_then(|r| r.split([',', ':']).next())
                    .and_then(|n| n.parse().ok())
                    .expect("end position")
            };
            let mut message = d["message"].as_str().expect("message").to_string();
            // JSON fills a missing help from the code's explanation; GitHub shows only the own help
            let help = d["help"].as_str().expect("help");
            let code = d["code"].as_str().expect("code");
            if !teikit::diagnostic::find_code(code).is_some_and(|c| c.explanation.starts_with(help))
            {
                message = format!("{message}\nhelp: {help}");
            }
            let severity = d["severity"].as_str().expect("severity");
            let command = match severity {
                "advice" => "notice",
                s => s,
            };
            // the properties in our order (JavaScript keeps the order of string keys)
            let q = |v: &serde_json::Value| v.to_string();
            commands.push_str(&format!(
                "{{\"command\":\"{command}\",\"properties\":{{\"file\":{},\"line\":{},\"col\":{},\"endLine\":{},\"endColumn\":{},\"title\":{}}},\"message\":{}}}",
                q(&f["path"]),
                q(&d["line"]),
                q(&d["column"]),
                field("endLine"),
                field("endColumn"),
                q(&serde_json::Value::from(code)),
                q(&serde_json::Value::from(message)),
            ));
            commands.push('\n');
            i += 1;
        }
    }
    assert_eq!(i, lines.len());
    let out = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/github.js"))
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .expect("stdin")
                .write_all(commands.as_bytes())?;
            c.wait_with_output()
        })
        .expect("node runs");
    assert!(out.status.success());
    assert_eq!(github, String::from_utf8_lossy(&out.stdout));
}

/// GitHub annotations of the CLI cases are escaped as GitHub's toolkit escapes them.
#[test]
fn github_annotations_escape_as_github_does() {
    let (github, _, _) = run(&["validate", "--format", "github", CLI]);
    let (json, _, _) = run(&["validate", "--format", "json", CLI]);
    check_github(&github, &json);
}

/// The SARIF and JUnit of the CLI snapshots are valid against the consumers' schemas.
#[test]
fn sarif_and_junit_of_the_snapshots_are_valid() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let (sarif, _, _) = run(&["validate", "--format", "sarif", CLI]);
    let (junit, _, _) = run(&["validate", "--format", "junit", CLI]);
    let (broken, _, _) = run(&[
        "validate",
        "--format",
        "junit",
        "--schema",
        &format!("{CLI}/bad-schema.rng"),
        "no/such/file.xml",
        &format!("{CLI}/clean.xml"),
    ]);
    let s = scratch.path().join("a.sarif");
    let j = scratch.path().join("a.xml");
    let b = scratch.path().join("b.xml");
    std::fs::write(&s, sarif).expect("write");
    std::fs::write(&j, junit).expect("write");
    std::fs::write(&b, &broken).expect("write");
    assert!(
        broken.contains("<error type=\"tei::io::unreadable\""),
        "{broken}"
    );
    common::check_sarif(&[&s]);
    common::check_junit(&[&j, &b]);
}

/// Past 25,000 results a SARIF run keeps the errors first and says how many were left out;
/// the log stays valid.
#[test]
fn sarif_holds_at_most_25000_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body: String = (0..25_100).map(|_| "<p xml:id=\"d\"/>").collect();
    std::fs::write(
        dir.path().join("many.xml"),
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>{body}</body></text></TEI>"
        ),
    )
    .expect("write");
    let (sarif, code) = run_in(
        dir.path(),
        &[
            "validate",
            "--schema",
            "none",
            "--limit",
            "diagnostics=100000",
            "--format",
            "sarif",
            "many.xml",
        ],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 25_000);
    let last = &results[24_999];
    assert_eq!(last["ruleId"], "tei::report::results_left_out");
    assert!(
        last["message"]["text"]
            .as_str()
            .expect("text")
            .starts_with("100 more"),
        "{last}"
    );
    let file = dir.path().join("many.sarif");
    std::fs::write(&file, &sarif).expect("write");
    common::check_sarif(&[&file]);
}

/// A fingerprint names the same finding after lines were added above it.
#[test]
fn sarif_fingerprints_survive_added_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let prints = |text: &str| -> Vec<String> {
        std::fs::write(dir.path().join("l.xml"), text).expect("write");
        let (sarif, _) = run_in(
            dir.path(),
            &["validate", "--schema", "none", "--format", "sarif", "l.xml"],
        );
        let v: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["partialFingerprints"]["teikit/v1"]
                    .as_str()
                    .expect("print")
                    .to_string()
            })
            .collect()
    };
    let before = prints(DANGLING);
    let after = prints(&format!("<!-- a comment -->\n\n\n{DANGLING}"));
    assert_eq!(before.len(), 1);
    assert_eq!(before, after);
}

/// Documents nested 20,000 deep (generic elements, mismatched or unclosed, on one line), read
/// under a raised depth limit, are shown as a cut of their line (miette used to panic: "Formatting argument out of range").
#[test]
fn deep_nesting_renders_for_people() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "mismatched",
            format!("<TEI>{}</TEI>", "<div>".repeat(20_000)),
        ),
        ("unclosed", format!("<TEI>{}", "<a>".repeat(30_000))),
        (
            "wrong-end",
            format!(
                "<TEI>{}</b>{}</TEI>",
                "<a>".repeat(20_000),
                "</a>".repeat(20_000)
            ),
        ),
    ];
    let mut shown = String::new();
    for (name, text) in cases {
        std::fs::write(dir.path().join(format!("{name}.xml")), text).expect("write");
        let (out, code) = run_in(
            dir.path(),
            &[
                "validate",
                "--width",
                "80",
                "--schema",
                "none",
                // past the default depth limit (4,096), as deep as the documents go
                "--limit",
                "depth=50000",
                &format!("{name}.xml"),
            ],
        );
        assert_eq!(code, 1, "{out}");
        shown.push_str(&out);
    }
    insta::assert_snapshot!("deep_nesting", shown);
}
