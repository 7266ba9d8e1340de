//! Protocol tests of `teikit lsp`: the binary spawned over stdio, one case per folder of
//! `tests/cases/lsp/` (`case.json`: the steps sent and the answers expected, side by side; the
//! README says what each case shows). Every case runs on a fresh copy of
//! `tests/cases/lsp/workspace/` and ends with `shutdown` and `exit`: the server must answer
//! both and exit with status 0, whatever came before.
//!
//! Steps: `{"send": message}`; `{"raw": text}` (bytes as they are) or `{"raw_body": text}`
//! (framed with its Content-Length); `{"await": partial}` (wait for a message that matches);
//! `{"rapid_changes": {"uri": …, "count": N}}` (N one-character edits, each a didChange);
//! `{"write": {"path": …, "text": …}}` and `{"delete": path}` in the workspace copy. In the
//! JSON, `${ROOT}` is the copy's URI and `"${TEXT:path}"` a file's text. `expect` lists
//! partial messages (an object matches when each key matches; an array when each expected
//! element matches some element) that must all arrive; `expect_not`, messages that must not.

mod lsp_client;

use lsp_client::{matches, Client};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/lsp")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The case's JSON with `${ROOT}` and `"${TEXT:path}"` filled in.
fn substitute(text: &str, root: &Path) -> Value {
    let root_uri = format!("file://{}", root.display());
    let mut out = text.replace("${ROOT}", &root_uri);
    while let Some(i) = out.find("\"${TEXT:") {
        let end = out[i..].find("}\"").expect("closing }\"") + i;
        let path = &out[i + 8..end];
        let content = std::fs::read_to_string(root.join(path)).expect(path);
        out.replace_range(i..end + 2, &serde_json::to_string(&content).unwrap());
    }
    serde_json::from_str(&out).expect("case.json is JSON")
}

fn run_case(name: &str) {
    let dir = cases_dir().join(name);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("workspace");
    copy_dir(&cases_dir().join("workspace"), &root);
    let text = std::fs::read_to_string(dir.join("case.json")).unwrap();
    let case = substitute(&text, &root);
    let mut client = Client::start(&root, case.get("initializationOptions").cloned());
    for step in case["steps"].as_array().expect("steps") {
        if let Some(m) = step.get("send") {
            client.send(m);
        } else if let Some(r) = step.get("raw") {
            client.raw(r.as_str().unwrap().as_bytes());
        } else if let Some(r) = step.get("raw_body") {
            let body = r.as_str().unwrap();
            client.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        } else if let Some(w) = step.get("await") {
            client.wait_for(w, Duration::from_secs(60), name);
        } else if let Some(r) = step.get("rapid_changes") {
            let uri = r["uri"].as_str().unwrap();
            let n = r["count"].as_u64().unwrap();
            for v in 0..n {
                client.send(&serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": 100 + v},
                    "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": " "}]}}));
            }
        } else if let Some(w) = step.get("write") {
            std::fs::write(
                root.join(w["path"].as_str().unwrap()),
                w["text"].as_str().unwrap(),
            )
            .unwrap();
        } else if let Some(d) = step.get("delete") {
            std::fs::remove_file(root.join(d.as_str().unwrap())).unwrap();
        } else {
            panic!("{name}: unknown step {step}");
        }
    }
    for e in case["expect"].as_array().into_iter().flatten() {
        client.wait_for(e, Duration::from_secs(60), name);
    }
    for e in case["expect_not"].as_array().into_iter().flatten() {
        if let Some(m) = client.received().iter().find(|m| matches(e, m)) {
            panic!("{name}: received {m}, which matches what must not come: {e}");
        }
    }
    if std::env::var_os("TEIKIT_LSP_DUMP").is_some() {
        for m in client.received() {
            println!("{m}");
        }
    }
    let status = client.finish();
    assert_eq!(
        status,
        Some(0),
        "{name}: the server did not exit with 0 after shutdown and exit"
    );
}

macro_rules! cases {
    ($($name:ident => $dir:literal),* $(,)?) => {
        $(#[test] fn $name() { run_case($dir); })*

        #[test]
        fn every_case_folder_is_run_and_described() {
            let known = [$($dir),*];
            let readme = std::fs::read_to_string(cases_dir().join("README.md")).unwrap();
            for e in std::fs::read_dir(cases_dir()).unwrap() {
                let e = e.unwrap();
                let n = e.file_name().to_string_lossy().to_string();
                if !e.file_type().unwrap().is_dir() || n == "workspace" {
                    continue;
                }
                assert!(known.contains(&n.as_str()), "case {n} is not run by tests/lsp.rs");
                assert!(readme.contains(&format!("`{n}`")), "case {n} has no README line");
            }
        }
    };
}

cases! {
    diagnostics_on_open => "diagnostics-on-open",
    completion_pointer => "completion-pointer",
    hover => "hover",
    definition => "definition",
    references => "references",
    rename => "rename",
    document_symbols => "document-symbols",
    code_actions => "code-actions",
    cross_file => "cross-file",
    watched_files => "watched-files",
    robustness => "robustness",
    rapid_changes => "rapid-changes",
    settings => "settings",
    schema_assistance => "schema-assistance",
    schematron => "schematron",
}
