//! `schema/tei-corresp.rng` against jing (the reference validator): the sample documents in
//! `tests/cases/schema/` get the expected verdicts, every valid one is also valid under the
//! official tei_all, and so are the encoder's outputs (`encoded/*.xml`) and the shared CMIF files.
//!
//! Needs jing (skipped without it unless `TEIKIT_REQUIRE_ORACLES=1`) and, for tei_all, the shared
//! folder (`TEIKIT_SHARED`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ours() -> PathBuf {
    root().join("schema/tei-corresp.rng")
}

/// Runs jing once over many files; returns the error lines per file (files without errors map to
/// an empty list). Panics when jing reports a schema error.
fn jing(schema: &Path, files: &[PathBuf]) -> BTreeMap<PathBuf, Vec<String>> {
    let out = Command::new("jing")
        .arg(schema)
        .args(files)
        .output()
        .expect("run jing");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let mut result: BTreeMap<PathBuf, Vec<String>> =
        files.iter().map(|f| (f.clone(), Vec::new())).collect();
    for line in text
        .lines()
        .filter(|l| !l.starts_with("[warning]") && !l.trim().is_empty())
    {
        let file = files
            .iter()
            .find(|f| line.starts_with(&*f.to_string_lossy()));
        match file {
            Some(f) => result
                .get_mut(f)
                .expect("known file")
                .push(line[f.to_string_lossy().len()..].to_string()),
            None => panic!("jing reported a problem outside the instances (schema error?): {line}"),
        }
    }
    result
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn cases(kind: &str) -> Vec<PathBuf> {
    let files = xml_files(&root().join("tests/cases/schema").join(kind));
    assert!(!files.is_empty(), "no {kind} schema cases");
    files
}

#[test]
fn valid_cases_are_valid_under_ours() {
    if !common::have_jing() {
        return;
    }
    for (file, errors) in jing(&ours(), &cases("valid")) {
        assert!(
            errors.is_empty(),
            "{} should be valid under tei-corresp.rng:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn invalid_cases_fail_where_expected() {
    if !common::have_jing() {
        return;
    }
    for (file, errors) in jing(&ours(), &cases("invalid")) {
        assert!(
            !errors.is_empty(),
            "{} should be invalid under tei-corresp.rng",
            file.display()
        );
        let expected = std::fs::read_to_string(file.with_extension("expected"))
            .expect("NAME.expected beside each invalid case");
        let line = errors[0]
            .trim_start_matches(':')
            .split(':')
            .next()
            .unwrap_or("");
        assert_eq!(
            line,
            expected.trim(),
            "{}: first error on another line than expected: {}",
            file.display(),
            errors[0]
        );
    }
}

#[test]
fn valid_cases_are_valid_under_tei_all() {
    let Some(shared) = common::shared() else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    if !common::have_jing() {
        return;
    }
    let tei_all = shared.join("schemas/tei_all.rng");
    for (file, errors) in jing(&tei_all, &cases("valid")) {
        assert!(
            errors.is_empty(),
            "{} is valid under ours but not under tei_all:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn shared_cmif_files_are_valid_under_ours() {
    let Some(shared) = common::shared() else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    if !common::have_jing() {
        return;
    }
    let files = xml_files(&shared.join("corpora/cmif"));
    assert_eq!(files.len(), 4, "expected the four shared CMIF files");
    for (file, errors) in jing(&ours(), &files) {
        assert!(
            errors.is_empty(),
            "{} should be valid under tei-corresp.rng:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

/// Every shared letter our schema accepts must be accepted by tei_all too (the subset promise,
/// checked on 900 real letters). Uses the committed tei_all verdicts of the corpora.
#[test]
fn corpus_letters_valid_under_ours_are_valid_under_tei_all() {
    let Some(shared) = common::shared() else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    if !common::have_jing() {
        return;
    }
    for corpus in ["escher", "jean-paul", "schnitzler-briefe"] {
        let dir = shared.join("corpora").join(corpus);
        let tsv = std::fs::read_to_string(dir.join("jing-tei_all.tsv")).expect("verdict table");
        let mut tei_valid = BTreeMap::new();
        for row in tsv.lines().skip(1) {
            let cols: Vec<&str> = row.split('\t').collect();
            if cols.len() >= 2 {
                tei_valid.insert(dir.join(cols[0]), cols[1] == "valid");
            }
        }
        let files: Vec<PathBuf> = tei_valid.keys().cloned().collect();
        let verdicts = jing(&ours(), &files);
        let mut ours_valid = 0;
        for (file, errors) in verdicts {
            if errors.is_empty() {
                ours_valid += 1;
                assert!(
                    tei_valid[&file],
                    "{} is valid under tei-corresp.rng but invalid under tei_all",
                    file.display()
                );
            }
        }
        println!(
            "{corpus}: {ours_valid} of {} letters valid under tei-corresp.rng",
            files.len()
        );
    }
}

#[test]
fn encoded_outputs_are_valid_under_both_schemas() {
    let files = xml_files(&root().join("encoded"));
    if files.is_empty() {
        println!("skipped: no encoded/*.xml yet");
        return;
    }
    if !common::have_jing() {
        return;
    }
    for (file, errors) in jing(&ours(), &files) {
        assert!(
            errors.is_empty(),
            "{} should be valid under tei-corresp.rng:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
    let Some(shared) = common::shared() else {
        println!("skipped (tei_all part): TEIKIT_SHARED not set");
        return;
    };
    for (file, errors) in jing(&shared.join("schemas/tei_all.rng"), &files) {
        assert!(
            errors.is_empty(),
            "{} should be valid under tei_all:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

/// teikit's own RELAX NG compiler compiles the schema, sees pointers and IDs by their types, and
/// keeps the element documentation for its messages.
#[test]
fn teikit_compiles_the_schema() {
    use teikit::relaxng::{AttributeKind, Schema};
    let schema = Schema::from_file(ours())
        .unwrap_or_else(|e| panic!("tei-corresp.rng does not compile:\n{e}"));
    let tei = "http://www.tei-c.org/ns/1.0";
    let xml = "http://www.w3.org/XML/1998/namespace";
    for (element, attribute) in [
        ("persName", "ref"),
        ("ref", "target"),
        ("correspDesc", "source"),
        ("div", "decls"),
        ("div", "corresp"),
        ("correspDesc", "sameAs"),
        ("pb", "facs"),
        ("licence", "target"),
    ] {
        assert_eq!(
            schema.attribute_kind(tei, element, "", attribute),
            AttributeKind::Pointer,
            "{element}/@{attribute}"
        );
    }
    assert_eq!(
        schema.attribute_kind(tei, "person", xml, "id"),
        AttributeKind::Id
    );
    assert_eq!(
        schema.attribute_kind(tei, "p", "", "n"),
        AttributeKind::Other
    );
    let doc = schema
        .element_documentation(tei, "correspAction")
        .unwrap_or("");
    assert!(doc.contains("sent"), "correspAction documentation: {doc:?}");
}

/// teikit's own RELAX NG engine gives the same verdicts as jing on the schema cases (ID
/// uniqueness is checked by another pass, so `duplicate-xml-id` is left to it).
#[test]
fn teikit_engine_agrees_on_the_cases() {
    use teikit::relaxng::validate::validate_str;
    use teikit::relaxng::Schema;
    let schema = Schema::from_file(ours()).expect("schema compiles");
    for file in cases("valid") {
        let text = std::fs::read_to_string(&file).expect("read");
        let diags = validate_str(&schema, &text);
        assert!(
            diags.is_empty(),
            "{}: teikit reports {diags:#?}",
            file.display()
        );
    }
    for file in cases("invalid") {
        if file.ends_with("duplicate-xml-id.xml") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read");
        let diags = validate_str(&schema, &text);
        assert!(
            !diags.is_empty(),
            "{}: teikit finds it valid, jing does not",
            file.display()
        );
        let (line, _) = teikit::relaxng::validate::line_range(&text, &diags[0].span);
        let expected = std::fs::read_to_string(file.with_extension("expected")).expect("expected");
        assert_eq!(
            line.to_string(),
            expected.trim(),
            "{}: teikit's first error is on another line than jing's: {}",
            file.display(),
            diags[0].message
        );
    }
}

/// For each element: its attributes and the names of the elements it may contain, found by
/// following `ref`s (without entering child elements).
fn element_vocabulary(path: &Path) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    const RNG: &str = "http://relaxng.org/ns/structure/1.0";
    let text = std::fs::read_to_string(path).expect("read schema");
    let doc = roxmltree::Document::parse(&text).expect("parse schema");
    let is = |n: &roxmltree::Node, name: &str| {
        n.is_element() && n.tag_name().namespace() == Some(RNG) && n.tag_name().name() == name
    };
    let mut defines: BTreeMap<&str, Vec<roxmltree::Node>> = BTreeMap::new();
    for d in doc.descendants().filter(|n| is(n, "define")) {
        defines
            .entry(d.attribute("name").unwrap_or(""))
            .or_default()
            .push(d);
    }
    fn walk<'a>(
        node: roxmltree::Node<'a, 'a>,
        defines: &BTreeMap<&str, Vec<roxmltree::Node<'a, 'a>>>,
        seen: &mut BTreeSet<String>,
        attrs: &mut BTreeSet<String>,
        kids: &mut BTreeSet<String>,
    ) {
        for c in node.children().filter(|c| {
            c.is_element()
                && c.tag_name().namespace() == Some("http://relaxng.org/ns/structure/1.0")
        }) {
            match c.tag_name().name() {
                "element" => {
                    kids.insert(c.attribute("name").unwrap_or("*").to_string());
                }
                "attribute" => {
                    attrs.insert(c.attribute("name").unwrap_or("*").to_string());
                }
                "ref" => {
                    let name = c.attribute("name").unwrap_or("");
                    if seen.insert(name.to_string()) {
                        for d in defines.get(name).into_iter().flatten() {
                            walk(*d, defines, seen, attrs, kids);
                        }
                    }
                }
                _ => walk(c, defines, seen, attrs, kids),
            }
        }
    }
    let mut out: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for e in doc.descendants().filter(|n| is(n, "element")) {
        let Some(name) = e.attribute("name") else {
            continue;
        };
        let entry = out.entry(name.to_string()).or_default();
        walk(
            e,
            &defines,
            &mut BTreeSet::new(),
            &mut entry.0,
            &mut entry.1,
        );
    }
    out
}

/// A structural check of the subset promise: every element of tei-corresp.rng exists in
/// tei_all, and allows no attribute and no child element that tei_all does not allow it.
#[test]
fn every_element_attribute_and_child_is_allowed_by_tei_all() {
    let Some(shared) = common::shared() else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let ours = element_vocabulary(&ours());
    let tei = element_vocabulary(&shared.join("schemas/tei_all.rng"));
    let mut problems = Vec::new();
    for (name, (attrs, kids)) in &ours {
        let Some((tei_attrs, tei_kids)) = tei.get(name) else {
            problems.push(format!("{name}: not a tei_all element"));
            continue;
        };
        for a in attrs.difference(tei_attrs) {
            problems.push(format!("{name}: attribute {a} not allowed by tei_all"));
        }
        for k in kids.difference(tei_kids) {
            problems.push(format!("{name}: child {k} not allowed by tei_all"));
        }
    }
    println!("{} elements checked", ours.len());
    assert!(
        ours.len() > 100,
        "expected over 100 elements, found {}",
        ours.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
