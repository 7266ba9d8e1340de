//! RELAX NG conformance: James Clark's spec test suite, the XSD datatype suite and the
//! compact-syntax suite ([`compact`]), read from `$TEIKIT_SHARED/conformance/relaxng/`
//! (format: FORMAT.md there), kept in memory.
//!
//! Every `incorrect` schema must fail to load and every `correct` one must load; each `valid`
//! instance must validate and each `invalid` one must not (instances of a correct schema that
//! fails to load are counted as not run, never as passes). Known
//! failures are listed, each with its reason, in `tests/conformance/README.md`; the test fails
//! on any other failure and on any listed failure that passes.

mod common;
#[path = "conformance/compact.rs"]
mod compact;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use teikit::diagnostic::Severity;
use teikit::relaxng::validate::validate_str;
use teikit::relaxng::{Resolver, Schema};

/// Files of one test case, by absolute virtual path.
struct MemResolver {
    files: HashMap<PathBuf, String>,
}

impl Resolver for MemResolver {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        self.files.get(path).cloned().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such resource in this test case",
            )
        })
    }
}

/// The outcome counts and failures of one suite.
#[derive(Default)]
struct Score {
    checks: usize,
    passed: usize,
    xfail: usize,
    not_run: usize,
    failures: Vec<String>,
    unexpected_passes: Vec<String>,
}

/// Check ids listed in the README as expected failures: lines `- \`ID\`: reason`.
fn xfails(suite: &str) -> BTreeMap<String, String> {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/README.md");
    let text = std::fs::read_to_string(&readme).expect("tests/conformance/README.md");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let Some((id, reason)) = rest.split_once('`') else {
            continue;
        };
        if id.starts_with(&format!("{suite}#")) {
            let reason = reason.trim_start_matches(':').trim();
            assert!(!reason.is_empty(), "xfail {id} has no reason in the README");
            out.insert(id.to_string(), reason.to_string());
        }
    }
    out
}

/// Removes the DOCTYPE and expands its internal general entities in the text, so that the
/// documents sliced out of the suite are self-contained (roxmltree does not accept character
/// references inside entity values).
fn expand_internal_entities(text: &str) -> String {
    let Some(start) = text.find("<!DOCTYPE") else {
        return text.to_string();
    };
    let Some(end) = text[start..].find("]>").map(|i| start + i + 2) else {
        return text.to_string();
    };
    let decl = regex::Regex::new(r#"<!ENTITY\s+(\w+)\s+"([^"]*)"\s*>"#).expect("regex");
    let charref = regex::Regex::new(r"&#x([0-9A-Fa-f]+);").expect("regex");
    let mut out = format!("{}{}", &text[..start], &text[end..]);
    for c in decl.captures_iter(&text[start..end]) {
        let value = charref.replace_all(&c[2], |m: &regex::Captures| {
            u32::from_str_radix(&m[1], 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        });
        out = out.replace(&format!("&{};", &c[1]), &value);
    }
    out
}

/// The element child of `node` (the schema, resource or instance document).
fn element_child<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.is_element())
}

/// Collects `resource` and `dir` children into `files` under `dir`.
fn collect_resources(
    node: roxmltree::Node,
    text: &str,
    dir: &Path,
    files: &mut HashMap<PathBuf, String>,
) {
    for c in node.children().filter(|c| c.is_element()) {
        let Some(name) = c.attribute("name") else {
            continue;
        };
        match c.tag_name().name() {
            "resource" => {
                let content = match element_child(c) {
                    Some(e) => text[e.range()].to_string(),
                    None => c.children().filter_map(|t| t.text()).collect(),
                };
                files.insert(dir.join(name), content);
            }
            "dir" => collect_resources(c, text, &dir.join(name), files),
            _ => {}
        }
    }
}

fn run_suite(suite: &str, path: &Path) -> Score {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = expand_internal_entities(&raw);
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let xfail = xfails(suite);
    let mut seen_xfail = Vec::new();
    let mut score = Score::default();
    let cases = doc.descendants().filter(|n| n.has_tag_name("testCase"));
    for (i, case) in cases.enumerate() {
        let n = i + 1;
        let dir = PathBuf::from(format!("/conformance/{suite}/{n:03}"));
        let mut files = HashMap::new();
        collect_resources(case, &text, &dir, &mut files);
        let resolver = MemResolver { files };
        let section = case
            .ancestors()
            .find_map(|a| {
                a.children()
                    .find(|c| c.has_tag_name("section"))
                    .and_then(|s| s.text())
            })
            .unwrap_or("-")
            .trim()
            .to_string();
        let mut record = |id: String, ok: Option<bool>, detail: &str| {
            score.checks += 1;
            let Some(ok) = ok else {
                score.not_run += 1;
                return;
            };
            match (ok, xfail.contains_key(&id)) {
                (true, false) => score.passed += 1,
                (false, true) => {
                    score.xfail += 1;
                    seen_xfail.push(id);
                }
                (true, true) => {
                    seen_xfail.push(id.clone());
                    score.unexpected_passes.push(id);
                }
                (false, false) => score
                    .failures
                    .push(format!("{id} (section {section}): {detail}")),
            }
        };
        for shape in case
            .children()
            .filter(|c| c.has_tag_name("correct") || c.has_tag_name("incorrect"))
        {
            let correct = shape.has_tag_name("correct");
            let schema_path = dir.join(if correct { "c.rng" } else { "i.rng" });
            let schema_text =
                element_child(shape).map_or(String::new(), |e| text[e.range()].to_string());
            // Each schema is dropped after its instances: the validator's per-thread memo is
            // keyed by `Schema::instance_id`, never reused, so the next schema built at the
            // same address gets a fresh memo.
            let loaded = Schema::from_str(&schema_text, &schema_path, &resolver);
            let id = format!("{suite}#{n:03} schema");
            match (&loaded, correct) {
                (Ok(_), true) => record(id, Some(true), ""),
                (Err(e), true) => record(id, Some(false), &format!("correct schema rejected: {e}")),
                (Err(_), false) => record(id, Some(true), ""),
                (Ok(_), false) => record(
                    id,
                    Some(false),
                    &format!("incorrect schema accepted:\n{schema_text}"),
                ),
            }
            if !correct {
                continue;
            }
            let (mut nv, mut ni) = (0, 0);
            for inst in case
                .children()
                .filter(|c| c.has_tag_name("valid") || c.has_tag_name("invalid"))
            {
                let valid = inst.has_tag_name("valid");
                let k = if valid {
                    nv += 1;
                    nv
                } else {
                    ni += 1;
                    ni
                };
                let id = format!(
                    "{suite}#{n:03} {} {k}",
                    if valid { "valid" } else { "invalid" }
                );
                let Ok(schema) = &loaded else {
                    // The correct schema failed (already counted): its instances are not run.
                    record(id, None, "");
                    continue;
                };
                let body =
                    element_child(inst).map_or(String::new(), |e| text[e.range()].to_string());
                let doc = format!("{}{body}", inst.attribute("dtd").unwrap_or(""));
                // Well-formedness errors (`tei::xml::*`) come first in the list; every
                // instance of the suite is well-formed, so any error is a verdict.
                let diags = validate_str(schema, &doc);
                let errors: Vec<String> = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| format!("{} {}", d.code.id, d.message))
                    .collect();
                let detail = if valid {
                    format!("valid instance rejected: {}\n{doc}", errors.join("; "))
                } else {
                    format!("invalid instance accepted:\n{doc}")
                };
                record(id, Some(errors.is_empty() == valid), &detail);
            }
        }
    }
    for id in xfail.keys() {
        if !seen_xfail.contains(id) {
            score
                .unexpected_passes
                .push(format!("{id} (listed in the README but no such check)"));
        }
    }
    score
}

fn check(suite: &str, file: &str) {
    let Some(shared) = common::shared() else {
        return;
    };
    let path = shared.join("conformance/relaxng").join(file);
    let s = if suite == "compacttest" {
        compact::run(&path)
    } else {
        run_suite(suite, &path)
    };
    println!(
        "conformance {suite}: {} checks, {} passed, {} xfail, {} not run, {} failed",
        s.checks,
        s.passed,
        s.xfail,
        s.not_run,
        s.failures.len()
    );
    let mut problems = String::new();
    for f in &s.failures {
        problems.push_str(&format!("FAIL {f}\n"));
    }
    for u in &s.unexpected_passes {
        problems.push_str(&format!(
            "UNEXPECTED PASS {u} (remove it from tests/conformance/README.md)\n"
        ));
    }
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn spectest() {
    check("spectest", "spectest.xml");
}

#[test]
fn xsdtest_suite() {
    check("xsdtest", "xsdtest-suite.xml");
}

#[test]
fn compacttest() {
    check("compacttest", "compacttest.xml");
}
