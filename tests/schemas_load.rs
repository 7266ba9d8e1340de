//! Every real schema in the shared folder compiles (tei_all, the customisations, the corpora's
//! own schemas), and the static tables answer for TEI.

mod common;

use std::path::PathBuf;

use teikit::relaxng::{AttributeKind, Schema};

fn rng_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rng"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_shared_schema_compiles() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut files = rng_files(&shared.join("schemas"));
    let corpora = std::fs::read_dir(shared.join("corpora")).expect("corpora folder");
    for c in corpora.filter_map(|e| e.ok()) {
        files.extend(rng_files(&c.path().join("schema")));
    }
    assert!(files.len() >= 3, "expected schemas, found {files:?}");
    let mut failures = Vec::new();
    for f in &files {
        match Schema::from_file(f) {
            Ok(s) => println!(
                "{}: {} elements, {} patterns",
                f.display(),
                s.grammar().elements.len(),
                s.grammar().patterns.len()
            ),
            Err(e) => failures.push(format!("{}:\n{e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} schema(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn tei_all_static_tables() {
    let Some(shared) = common::shared() else {
        return;
    };
    let s = Schema::from_file(shared.join("schemas/tei_all.rng")).expect("tei_all compiles");
    let tei = "http://www.tei-c.org/ns/1.0";
    let xml = "http://www.w3.org/XML/1998/namespace";
    assert_eq!(
        s.attribute_kind(tei, "ref", "", "target"),
        AttributeKind::Pointer
    );
    assert_eq!(
        s.attribute_kind(tei, "persName", "", "ref"),
        AttributeKind::Pointer
    );
    assert_eq!(s.attribute_kind(tei, "p", xml, "id"), AttributeKind::Id);
    assert_eq!(s.attribute_kind(tei, "p", "", "n"), AttributeKind::Other);
    assert_eq!(
        s.attribute_kind(tei, "p", "", "no-such-attribute"),
        AttributeKind::Other
    );
    let doc = s.element_documentation(tei, "p").expect("p is documented");
    assert!(doc.contains("paragraph"), "{doc}");
    assert_eq!(s.element_documentation(tei, "no-such-element"), None);
}
