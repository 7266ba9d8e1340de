//! Parity with SchXslt (on Saxon HE), the reference implementation of ISO Schematron: for every
//! file of the reference results in `$TEIKIT_SHARED/conformance/schematron/reference/` (the
//! rules embedded in `tei_all.rng` on escher, schnitzler-briefe and jean-paul; `cmif.sch` on the
//! CMIF files), teikit fires the same asserts and reports: the same multiset of (test, SVRL
//! location of the context node, text), per file. The pattern is not in SchXslt's output; the
//! test (as the schema writes it, white space normalised) names the check.
//!
//! The files are run through `teikit validate` (grammar off, `--schematron` or the grammar's
//! embedded rules), so the wiring is what is compared.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use teikit::validate::{self, Options, SchemaChoice};

/// (test, location, text) of one finding.
type Finding = (String, String, String);

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SchXslt's findings per file (paths as `shared/corpora/…`, made absolute).
fn reference(shared: &Path, name: &str) -> BTreeMap<PathBuf, Vec<Finding>> {
    let text = std::fs::read_to_string(shared.join("conformance/schematron/reference").join(name))
        .expect("reference results");
    let base = shared.parent().expect("shared has a parent");
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert!(v["error"].is_null(), "the oracle failed on {line}");
        let file = base.join(v["file"].as_str().expect("file"));
        let mut fired: Vec<Finding> = v["fired"]
            .as_array()
            .expect("fired")
            .iter()
            .map(|f| {
                (
                    norm(f["test"].as_str().unwrap_or("")),
                    f["location"].as_str().unwrap_or("").to_string(),
                    norm(f["text"].as_str().unwrap_or("")),
                )
            })
            .collect();
        fired.sort();
        out.insert(file, fired);
    }
    out
}

/// teikit's findings per file: the `tei::sch::*` diagnostics, the test read back from the help
/// (``assert `TEST` of the rule …``).
fn teikit(files: &[PathBuf], options: &Options) -> BTreeMap<PathBuf, Vec<Finding>> {
    let outcome = validate::run(files, options).expect("run");
    let mut out = BTreeMap::new();
    for f in &outcome.files {
        assert!(!f.fatal, "{}: {:?}", f.path.display(), f.diagnostics);
        let mut fired: Vec<Finding> = f
            .diagnostics
            .iter()
            .filter(|d| d.code.id.starts_with("tei::sch::"))
            .map(|d| {
                let help = d.help.as_deref().unwrap_or("");
                let test = help
                    .split_once('`')
                    .and_then(|(_, rest)| rest.split_once("` of the rule for `"))
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| panic!("{}: no test in the help: {help}", d.code.id));
                (
                    norm(test),
                    d.path.clone().unwrap_or_default(),
                    norm(&d.message),
                )
            })
            .collect();
        fired.sort();
        out.insert(f.path.clone(), fired);
    }
    out
}

/// Compares one reference file with teikit's run; returns (files, findings) compared.
fn compare(shared: &Path, name: &str, options: &Options) -> (usize, usize) {
    let want = reference(shared, name);
    let files: Vec<PathBuf> = want.keys().cloned().collect();
    let got = teikit(&files, options);
    let mut differ = Vec::new();
    for (file, w) in &want {
        let g = got
            .get(file)
            .unwrap_or_else(|| panic!("{} not run", file.display()));
        if g != w {
            let missing: Vec<_> = w.iter().filter(|x| !g.contains(x)).collect();
            let extra: Vec<_> = g.iter().filter(|x| !w.contains(x)).collect();
            differ.push(format!(
                "{}: SchXslt {} finding(s), teikit {}\n  only SchXslt: {missing:?}\n  only teikit: {extra:?}",
                file.display(),
                w.len(),
                g.len()
            ));
        }
    }
    let findings: usize = want.values().map(Vec::len).sum();
    println!(
        "{name}: {} files, {findings} findings, {} file(s) differ",
        want.len(),
        differ.len()
    );
    assert!(
        differ.is_empty(),
        "{name}: {} file(s) differ from SchXslt:\n{}",
        differ.len(),
        differ.join("\n")
    );
    (want.len(), findings)
}

/// The time limit is wall-clock time: on a shared, loaded machine the 2 MB CMIF file (a
/// `ancestor::tei:TEI//tei:bibl` per `@source`, 4-5 s of CPU) may take longer than the default
/// 10 s; this test compares findings, not speed.
fn generous() -> teikit::schematron::limits::Limits {
    teikit::schematron::limits::Limits {
        time_per_rule: std::time::Duration::from_secs(600),
        ..Default::default()
    }
}

#[test]
fn tei_all_embedded_rules_fire_as_in_schxslt() {
    let Some(shared) = common::shared() else {
        return;
    };
    let options = Options {
        // the embedded rules run with the grammar that carries them
        schema: SchemaChoice::File(shared.join("schemas/tei_all.rng")),
        schematron_limits: generous(),
        ..Options::default()
    };
    let mut total = (0, 0);
    for corpus in ["escher", "schnitzler-briefe", "jean-paul"] {
        let (f, n) = compare(
            &shared,
            &format!("{corpus}.tei_all-embedded.jsonl"),
            &options,
        );
        total = (total.0 + f, total.1 + n);
    }
    assert_eq!(total.0, 900, "files compared");
    assert!(total.1 >= 350, "only {} findings compared", total.1);
}

#[test]
fn cmif_sch_fires_as_in_schxslt() {
    let Some(shared) = common::shared() else {
        return;
    };
    let options = Options {
        schema: SchemaChoice::Skip,
        schematron: vec![shared.join("schemas/cmif.sch")],
        schematron_limits: generous(),
        ..Options::default()
    };
    let (files, findings) = compare(&shared, "cmif.cmif-sch.jsonl", &options);
    assert!(
        files >= 3 && findings == 2,
        "{files} files, {findings} findings"
    );
}
