//! Limits, through the `teikit` binary: the crafted cases of `tests/cases/limits` (each beside
//! its expected diagnostics), `teikit.toml`'s `[limits]` and `--limit`, and the hostile inputs
//! of issue 10 (items 14, 16 and 19), generated here: every one is answered with a diagnostic
//! and the right exit status, in JSON and in the human format, and nothing panics. No timing
//! is asserted; a run that does not end within a generous deadline is killed and fails.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/limits")
}

fn teikit() -> Command {
    let mut c = Command::cargo_bin("teikit").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TEIKIT_SCHEMA_PATH")
        .env("NO_COLOR", "1")
        // a hang fails the test instead of the whole run (far beyond any expected time)
        .timeout(Duration::from_secs(120));
    c
}

/// Runs `teikit validate ARGS`: (stdout, stderr, exit status).
fn validate(args: &[&str]) -> (String, String, i32) {
    let out = teikit()
        .arg("validate")
        .args(args)
        .output()
        .expect("teikit runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "teikit {args:?} crashed:\n{stderr}"
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        out.status.code().unwrap_or(-1),
    )
}

/// The JSON report as `FILE SEVERITY CODE LINE:COLUMN MESSAGE` lines.
fn lines(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).expect("a JSON report");
    let mut out = String::new();
    for f in v["files"].as_array().expect("files") {
        let path = f["path"].as_str().unwrap_or("");
        let path = path.strip_prefix("tests/cases/limits/").unwrap_or(path);
        for d in f["diagnostics"].as_array().expect("diagnostics") {
            out.push_str(&format!(
                "{path} {} {} {}:{} {}\n",
                d["severity"].as_str().unwrap_or(""),
                d["code"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or("")
            ));
        }
    }
    out
}

#[test]
fn crafted_cases_give_their_expected_diagnostics() {
    let bless = std::env::var_os("TEIKIT_BLESS").is_some();
    let readme = std::fs::read_to_string(cases_dir().join("README.md")).expect("README.md");
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("cases")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".xml").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    let mut failures = Vec::new();
    for name in names {
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} has no README line"
        );
        let path = cases_dir().join(&name);
        let mut args: Vec<String> = match std::fs::read_to_string(path.with_extension("args")) {
            Ok(a) => a.lines().map(str::to_string).collect(),
            Err(_) => vec!["--schema".into(), "none".into()],
        };
        if let Ok(l) = std::fs::read_to_string(path.with_extension("limits")) {
            for line in l.lines().filter(|l| !l.trim().is_empty()) {
                let (k, v) = line.split_once('=').expect("name = value");
                args.push(format!("--limit={}={}", k.trim(), v.trim()));
            }
        }
        args.extend(["--format".into(), "json".into()]);
        args.push(format!("tests/cases/limits/{name}.xml"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (out, _, code) = validate(&args);
        let got = format!("exit {code}\n{}", lines(&out));
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("write expected");
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {name}\nexpected:\n{want}got:\n{got}"));
        }
        // the human format reports the same codes
        let human: Vec<&str> = args
            .iter()
            .map(|a| if *a == "json" { "human" } else { a })
            .collect();
        let (text, _, hcode) = validate(&human);
        assert_eq!(hcode, code, "{name}: human exit status");
        for l in got.lines().skip(1) {
            let code_id = l.split(' ').nth(2).unwrap_or("");
            assert!(
                text.contains(code_id),
                "{name}: human report lacks {code_id}:\n{text}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limits_come_from_teikit_toml_and_the_flag_overrides_them() {
    let dir = "tests/cases/limits/config";
    let config = format!("{dir}/teikit.toml");
    let file = format!("{dir}/deep.xml");
    let (out, _, code) = validate(&[
        "--config", &config, "--schema", "none", "--format", "json", &file,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("tei::limit::depth"), "{out}");
    assert!(out.contains("limit of 3 open elements"), "{out}");
    let (out, _, code) = validate(&[
        "--config", &config, "--limit", "depth=4", "--schema", "none", "--format", "json", &file,
    ]);
    assert_eq!(code, 0, "{out}");
    // a bad flag or table is a usage error
    let (_, err, code) = validate(&["--limit", "depth=0", &file]);
    assert_eq!(code, 2);
    assert!(err.contains("positive"), "{err}");
    let (_, err, code) = validate(&["--limit", "deepness=3", &file]);
    assert_eq!(code, 2);
    assert!(err.contains("no limit named `deepness`"), "{err}");
}

/// A scratch folder holding generated inputs.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The schemas every document case runs with: none, the embedded default, and tei_all when
/// the shared data is there.
fn schemas() -> Vec<Option<String>> {
    let mut v = vec![Some("none".to_string()), None];
    if let Some(shared) = common::shared() {
        v.push(Some(
            shared
                .join("schemas/tei_all.rng")
                .to_string_lossy()
                .into_owned(),
        ));
    }
    v
}

/// Validates `file` with every schema, in JSON and human: exit 1 and `code` reported.
fn assert_reported(file: &Path, code: &str) {
    let file = file.to_string_lossy();
    for schema in schemas() {
        for format in ["json", "human"] {
            let mut args = vec!["--width", "1000", "--format", format];
            if let Some(s) = &schema {
                args.extend(["--schema", s]);
            }
            args.push(&file);
            let (out, _, status) = validate(&args);
            assert_eq!(status, 1, "{args:?}:\n{out}");
            assert!(
                out.contains(code),
                "{args:?} does not report {code}:\n{out}"
            );
        }
    }
}

/// A TEI letter whose body holds `inner`, one tag a line (the human view quotes lines).
fn letter(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader>\n\
         <fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p>\
         </publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>\n</teiHeader>\n\
         <text>\n<body>\n{inner}</body>\n</text>\n</TEI>\n"
    )
}

/// Item 16: a letter nesting 50,000 elements, 16,000 nested `correspDesc`, and 1,000,000
/// unclosed elements stop at the depth limit.
#[test]
fn hostile_nesting_stops_at_the_depth_limit() {
    let dir = scratch();
    let n = 50_000;
    let deep = letter(&format!(
        "<p>\n{}deep\n{}</p>\n",
        "<hi>\n".repeat(n),
        "</hi>\n".repeat(n)
    ));
    let corresp = {
        let one =
            "<correspDesc>\n<correspAction type=\"sent\"><persName>A</persName></correspAction>\n";
        let mut s = letter("<p/>\n");
        let at = s.find("</teiHeader>").expect("header");
        let n = 16_000;
        let nested = format!(
            "<profileDesc>\n{}{}</profileDesc>\n",
            one.repeat(n),
            "</correspDesc>\n".repeat(n)
        );
        s.insert_str(at, &nested);
        s
    };
    let unclosed = "<a>\n".repeat(1_000_000);
    for (name, text) in [
        ("deep.xml", deep),
        ("corresp.xml", corresp),
        ("unclosed.xml", unclosed),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).expect("write");
        assert_reported(&f, "tei::limit::depth");
    }
}

/// Within a raised limit, the 50,000-deep letter is read to its end and validated.
#[test]
fn deep_nesting_within_a_raised_limit_is_validated() {
    let dir = scratch();
    let n = 50_000;
    let f = dir.path().join("deep.xml");
    let text = letter(&format!(
        "<p>\n{}deep\n{}</p>\n",
        "<hi>\n".repeat(n),
        "</hi>\n".repeat(n)
    ));
    std::fs::write(&f, text).expect("write");
    let f = f.to_string_lossy();
    let (out, _, code) = validate(&["--limit", "depth=100000", "--format", "json", &f]);
    assert!(!out.contains("tei::limit"), "{out}");
    assert!(!out.contains("tei::xml::"), "{out}");
    assert!(code == 0 || code == 1, "{out}");
}

/// Item 14: the 18 bytes that panicked the decoder, alone and beside a good file.
#[test]
fn a_pi_named_xmlencoding_is_a_diagnostic() {
    let dir = scratch();
    let f = dir.path().join("enc.xml");
    std::fs::write(&f, "<?xmlencoding=\"\"?>").expect("write");
    assert_reported(&f, "tei::xml::not_well_formed");
    std::fs::write(
        dir.path().join("good.xml"),
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"/>",
    )
    .expect("write");
    let d = dir.path().to_string_lossy();
    let (out, _, _) = validate(&["--schema", "none", "--format", "json", &d]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["summary"]["files"], 2, "the batch goes on: {out}");
}

/// Runs `--schema SCHEMA` over two small documents (compiled on a worker thread) in JSON and
/// human: exit `status`, and `code` in both reports.
fn assert_schema(schema: &Path, status: i32, code: &str) {
    let dir = scratch();
    for f in ["a.xml", "b.xml"] {
        std::fs::write(dir.path().join(f), "<r><e1/></r>").expect("write");
    }
    let s = schema.to_string_lossy();
    let d = dir.path().to_string_lossy();
    for format in ["json", "human"] {
        // wide enough that no message is wrapped
        let (out, _, got) = validate(&["--width", "1000", "--schema", &s, "--format", format, &d]);
        assert_eq!(got, status, "{s} ({format}):\n{out}");
        assert!(
            out.contains(code),
            "{s} ({format}) does not report {code}:\n{out}"
        );
    }
}

const RNG: &str = "xmlns=\"http://relaxng.org/ns/structure/1.0\"";

/// Item 19: a schema nesting 4,000 elements, one with a choice of 40,000 elements, 40,000
/// chained definitions, `/dev/zero`, an include of it, a FIFO and a folder.
#[test]
fn hostile_schemas_get_a_schema_diagnostic() {
    let dir = scratch();
    let put = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    };
    let n = 4_000;
    let deep = put(
        "deep.rng",
        format!(
            "<element name=\"r\" {RNG}>{}<empty/>{}</element>",
            (1..n)
                .map(|i| format!("<element name=\"e{i}\">"))
                .collect::<String>(),
            "</element>".repeat(n - 1)
        ),
    );
    assert_schema(&deep, 2, "tei::limit::schema_depth");
    let n = 40_000;
    let choice = put(
        "choice.rng",
        format!(
            "<element name=\"r\" {RNG}><choice>{}</choice></element>",
            (0..n)
                .map(|i| format!("<element name=\"e{i}\"><empty/></element>"))
                .collect::<String>()
        ),
    );
    // a wide schema is no deep one: it compiles and validates (`e1` is one of the choice)
    assert_schema(&choice, 0, "");
    let chain = put(
        "chain.rng",
        format!(
            "<grammar {RNG}><start><element name=\"r\"><ref name=\"d0\"/></element></start>{}\
             <define name=\"d{n}\"><empty/></define></grammar>",
            (0..n)
                .map(|i| format!("<define name=\"d{i}\"><ref name=\"d{}\"/></define>", i + 1))
                .collect::<String>()
        ),
    );
    assert_schema(&chain, 2, "tei::limit::schema_depth");
    let defines = put(
        "defines.rng",
        format!(
            "<grammar {RNG}><start><element name=\"r\"><ref name=\"d0\"/></element></start>{}\
             <define name=\"d{n}\"><empty/></define></grammar>",
            (0..n)
                .map(|i| format!(
                    "<define name=\"d{i}\"><optional><element name=\"e{i}\"><ref name=\"d{}\"/></element></optional></define>",
                    i + 1
                ))
                .collect::<String>()
        ),
    );
    // 40,000 definitions chained through elements: deep documents, not a deep schema
    assert_schema(&defines, 1, "tei::rng::");
    if cfg!(unix) {
        assert_schema(Path::new("/dev/zero"), 2, "not a regular file");
        let inc = put(
            "include-zero.rng",
            format!("<grammar {RNG}><include href=\"/dev/zero\"/><start><element name=\"r\"><empty/></element></start></grammar>"),
        );
        assert_schema(&inc, 2, "not a regular file");
        let fifo = dir.path().join("fifo.rng");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_schema(&fifo, 2, "not a regular file");
        } else {
            println!("skipped: mkfifo not available");
        }
    }
    assert_schema(dir.path(), 2, "a folder");
}

/// A Schematron schema that is `/dev/zero`, a FIFO or a folder (`--schematron`) is refused
/// without being read, with a schema diagnostic (exit 2); the documents are still validated.
#[test]
fn hostile_schematron_files_are_refused_unread() {
    let dir = scratch();
    std::fs::write(dir.path().join("a.xml"), "<r/>").expect("write");
    let doc = dir.path().join("a.xml");
    let d = doc.to_string_lossy();
    let mut cases = vec![
        (PathBuf::from("/dev/zero"), "not a regular file"),
        (dir.path().to_path_buf(), "a folder"),
    ];
    let fifo = dir.path().join("fifo.sch");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        cases.push((fifo, "not a regular file"));
    }
    for (sch, why) in cases {
        if !cfg!(unix) && why != "a folder" {
            continue;
        }
        let s = sch.to_string_lossy();
        let (out, _, got) = validate(&[
            "--width",
            "1000",
            "--schema",
            "none",
            "--schematron",
            &s,
            "--format",
            "json",
            &d,
        ]);
        assert_eq!(got, 2, "{s}:\n{out}");
        assert!(out.contains(why), "{s} does not say {why}:\n{out}");
        assert!(
            out.contains("a.xml"),
            "{s}: the document is still reported:\n{out}"
        );
    }
}

/// Many errors in one file: the report keeps the limit's worth, and counts the rest.
#[test]
fn diagnostics_past_the_limit_are_counted() {
    let dir = scratch();
    let f = dir.path().join("many.xml");
    let ptrs: String = (0..5_000)
        .map(|i| format!("<ptr target=\"#n{i}\"/>\n"))
        .collect();
    std::fs::write(&f, letter(&format!("<p>\n{ptrs}</p>\n"))).expect("write");
    let f = f.to_string_lossy();
    let (out, _, code) = validate(&["--schema", "none", "--format", "json", &f]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let diags = v["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diags.len(), 1001, "1000 and the count of the rest");
    let last = &diags[1000];
    assert_eq!(last["code"], "tei::limit::diagnostics");
    assert!(
        last["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("4000 more diagnostics"),
        "{last}"
    );
}

/// The `more diagnostics` count of a JSON report's last diagnostic, and the kept ones as
/// `CODE START` lines (the count's own line left out).
fn capped(json: &str) -> (usize, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let diags = v["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    let mut kept = Vec::new();
    let mut more = 0;
    for d in diags {
        if d["code"] == "tei::limit::diagnostics" {
            let m = d["message"].as_str().unwrap_or("");
            more = m
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a count");
        } else {
            kept.push(format!("{} {}:{}", d["code"], d["line"], d["column"]));
        }
    }
    (more, kept)
}

/// A mistake repeated thousands of times is kept to the limit while it is found (memory stays
/// bounded: `scripts/README.md`), and the report is the one the whole list would give: the
/// same diagnostics kept and the rest counted, read whole or as a stream; a code turned off
/// in `teikit.toml` is neither kept nor counted.
#[test]
fn a_repeated_mistake_is_capped_while_it_is_found() {
    let dir = scratch();
    let f = dir.path().join("repeated.xml");
    let dups: String = (0..3_000).map(|_| "<p xml:id=\"same\"/>\n").collect();
    let ptrs: String = (0..2_000)
        .map(|i| format!("<ptr target=\"#gone{i}\"/>\n"))
        .collect();
    std::fs::write(&f, letter(&format!("{dups}<p>\n{ptrs}</p>\n"))).expect("write");
    let f = f.to_string_lossy().into_owned();
    let run = |extra: &[&str]| {
        let mut args = vec!["--schema", "none", "--format", "json"];
        args.extend(extra);
        args.push(&f);
        let (out, err, code) = validate(&args);
        assert_eq!(code, 1, "{err}");
        capped(&out)
    };
    let (none_hidden, all) = run(&["--limit", "diagnostics=100000"]);
    assert_eq!(none_hidden, 0);
    assert_eq!(
        all.len(),
        2_999 + 2_000,
        "every duplicate and every dangling pointer"
    );
    let whole = run(&["--limit", "diagnostics=50"]);
    assert_eq!(whole.0, all.len() - 50);
    assert_eq!(whole.1, all[..50].to_vec(), "the earliest are kept");
    let streamed = run(&["--limit", "diagnostics=50", "--stream-from", "1"]);
    assert_eq!(streamed, whole, "streamed as read whole");

    let config = dir.path().join("teikit.toml");
    std::fs::write(
        &config,
        "[severity]\n\"tei::xref::duplicate_id\" = \"off\"\n",
    )
    .expect("write");
    let config = config.to_string_lossy().into_owned();
    for stream in ["1", "100000000"] {
        let (more, kept) = run(&[
            "--limit",
            "diagnostics=50",
            "--config",
            &config,
            "--stream-from",
            stream,
        ]);
        assert_eq!(
            more,
            2_000 - 50,
            "the duplicates turned off are not counted"
        );
        assert!(kept.iter().all(|k| !k.contains("duplicate_id")), "{kept:?}");
    }
}

/// A pointer into a file outside the project (the folders given, teikit.toml's folder) does
/// not read that file: its ids are neither checked nor offered as did-you-mean. The same
/// pointer inside the project is checked.
#[test]
fn pointers_into_files_outside_the_project_are_not_read() {
    let dir = scratch();
    let letters = dir.path().join("edition/letters");
    std::fs::create_dir_all(&letters).unwrap();
    std::fs::create_dir_all(dir.path().join("private")).unwrap();
    let register = |id: &str| {
        format!("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p xml:id=\"{id}\">x</p></body></text></TEI>")
    };
    std::fs::write(dir.path().join("private/reg.xml"), register("secretPerson")).unwrap();
    std::fs::write(dir.path().join("edition/reg.xml"), register("knownPerson")).unwrap();
    let letter = letters.join("l.xml");
    std::fs::write(
        &letter,
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p><persName ref=\"../../private/reg.xml#secretPersn\">a</persName><persName ref=\"../reg.xml#knownPersn\">b</persName></p></body></text></TEI>",
    )
    .unwrap();
    let run = |input: &Path| {
        let (out, _, _) = validate(&[
            "--schema",
            "none",
            "--format",
            "json",
            input.to_str().unwrap(),
        ]);
        out
    };
    // only the letters' folder: neither register is in the project
    let out = run(&letters);
    assert!(
        !out.contains("secretPerson") && !out.contains("knownPerson"),
        "{out}"
    );
    // the edition's folder: its register is read, the private one still not
    let out = run(&dir.path().join("edition"));
    assert!(out.contains("knownPerson"), "{out}");
    assert!(!out.contains("secretPerson"), "{out}");
}

/// An editor's two steps (the fast findings, then the Schematron ones added and the list
/// capped again) report what the command line reports: the same diagnostics kept, and a
/// summary that counts the first step's left-out findings too.
#[test]
fn an_editors_schematron_step_keeps_the_first_steps_count() {
    let dir = scratch();
    let sch = dir.path().join("every-p.sch");
    std::fs::write(
        &sch,
        r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="every-p"><rule context="tei:p"><report test="true()">a paragraph</report></rule></pattern>
</schema>"#,
    )
    .expect("write");
    let f = dir.path().join("l.xml");
    let body: String = (0..30).map(|_| "<p xml:id=\"same\"/>\n").collect();
    let text = letter(&body);
    std::fs::write(&f, &text).expect("write");
    let (out, err, _) = validate(&[
        "--schema",
        "none",
        "--schematron",
        &sch.to_string_lossy(),
        "--limit",
        "diagnostics=10",
        "--format",
        "json",
        &f.to_string_lossy(),
    ]);
    let (cli_more, cli_kept) = capped(&out);
    // 29 duplicates, 32 paragraphs (two in the header), 10 kept
    assert_eq!(cli_more, 29 + 32 - 10, "{err}");

    let mut options = teikit::validate::Options {
        schema: teikit::validate::SchemaChoice::Skip,
        schematron: vec![sch.clone()],
        ..Default::default()
    };
    options.config.limits.diagnostics = 10;
    let bench = teikit::validate::Workbench::new(&[dir.path().to_path_buf()], &options);
    let mut fast = options.clone();
    fast.no_schematron = true;
    let registers = teikit::check::Registers::default();
    let mut done = bench.validate_text(&f, text.clone(), &fast, &registers);
    bench.cross_file(&mut done, &text, &[], &fast);
    let mut found = done.report.diagnostics.clone();
    bench.schematron_text(&f, &text, &options, &mut found, done.dropped);
    let mut more = 0;
    let mut kept = Vec::new();
    for d in &found {
        if d.code.id == "tei::limit::diagnostics" {
            more = d
                .message
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a count");
        } else {
            kept.push(format!("\"{}\" {}:{}", d.code.id, d.line, d.column));
        }
    }
    assert_eq!(
        more, cli_more,
        "the summary counts both steps' left-out findings"
    );
    assert_eq!(kept, cli_kept);
}
