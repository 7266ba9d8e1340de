//! SchXslt's own test cases (`$TEIKIT_SHARED/conformance/schematron/schxslt-tests`, in the
//! Schematron test-suite format): each case's schema is compiled and run on its documents, and
//! the verdict must be the case's `expect`: `error` (the schema is refused), `invalid` (an
//! assert failed or a report fired on some document) or `valid`. The cases' SVRL assertions
//! (XPath over SchXslt's SVRL output) are not checked here (`--format svrl` is compared with
//! SchXslt's SVRL in `tests/schematron_parity.rs`). The cases that
//! cannot pass are listed in `CANNOT_PASS` with the reason, and must fail as said.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use teikit::schematron::{limits::Limits, Schematron};

/// Cases teikit refuses on purpose, with why.
const CANNOT_PASS: &[(&str, &str)] = &[
    ("xslt3-accumulators-01.xml", "XSLT 3.0 accumulators: teikit runs no XSLT"),
    ("bug-262-4.xml", "`sch:extends href=\"file#rule\"` (ISO Schematron 2020, a rule of another file): teikit supports `extends rule=\"id\"` only"),
    ("schep-001-typed-variables-01.xml", "a phase's `let` read while no phase is selected: SchXslt declares every phase's variables globally, teikit only the active phase's (ISO: a phase's variables are in scope when it is active)"),
];

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["bugs", "features"] {
        for e in std::fs::read_dir(dir.join(sub))
            .expect("cases folder")
            .flatten()
        {
            if e.path().extension().is_some_and(|x| x == "xml") {
                v.push(e.path());
            }
        }
    }
    v.sort();
    v
}

/// The case's verdict as teikit reaches it: `error`, `invalid` or `valid` (and why).
fn verdict(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).expect("case");
    let doc = roxmltree::Document::parse(&text).expect("case parses");
    let root = doc.root_element();
    let schema = root
        .descendants()
        .find(|n| n.has_tag_name("schemas"))
        .and_then(|s| s.children().find(|c| c.is_element()))
        .expect("a schema");
    // the case's documents are files beside the schema: some are schemas it includes
    let dir = tempfile::tempdir().expect("temp dir");
    let docs: Vec<(String, roxmltree::Node)> = root
        .descendants()
        .filter(|n| n.has_tag_name("document"))
        .filter_map(|d| {
            let el = d.children().find(|c| c.is_element())?;
            Some((
                d.attribute("filename")
                    .unwrap_or("document.xml")
                    .to_string(),
                el,
            ))
        })
        .collect();
    for (name, el) in &docs {
        std::fs::write(dir.path().join(name), &text[el.range()]).expect("write document");
    }
    let sch = dir.path().join("schema.sch");
    std::fs::write(&sch, &text[schema.range()]).expect("write schema");
    let compiled = match Schematron::from_sch(&sch, None) {
        Ok(s) => Arc::new(s),
        Err(e) => return ("error".into(), e.message),
    };
    let mut findings = Vec::new();
    for (name, el) in docs.iter().filter(|(n, _)| !n.ends_with(".sch")) {
        let _ = name;
        for diag in compiled.run(&text[el.range()], &Limits::default()) {
            findings.push(format!("{}: {}", diag.code.id, diag.message));
        }
    }
    if findings.iter().any(|f| {
        !f.starts_with("tei::sch::")
            || f.starts_with("tei::sch::dynamic_error")
            || f.starts_with("tei::sch::not_run")
    }) {
        return ("error".into(), findings.join("; "));
    }
    let v = if findings.is_empty() {
        "valid"
    } else {
        "invalid"
    };
    (v.into(), findings.join("; "))
}

#[test]
fn schxslt_test_cases() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("conformance/schematron/schxslt-tests");
    let all = cases(&dir);
    assert!(all.len() >= 20, "{} cases", all.len());
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &all {
        let text = std::fs::read_to_string(case).expect("case");
        let expect = roxmltree::Document::parse(&text)
            .expect("case parses")
            .root_element()
            .attribute("expect")
            .unwrap_or("valid")
            .to_string();
        let (got, why) = verdict(case);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let known = CANNOT_PASS.iter().find(|(n, _)| *n == name);
        match (got == expect, known) {
            (true, None) => passed += 1,
            (false, Some(_)) => {}
            (true, Some(_)) => {
                failures.push(format!("{name}: passes now: take it off CANNOT_PASS"))
            }
            (false, None) => failures.push(format!("{name}: expected {expect}, got {got}: {why}")),
        }
    }
    println!(
        "SchXslt cases: {passed} of {} pass, {} cannot (listed with why)",
        all.len(),
        CANNOT_PASS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
