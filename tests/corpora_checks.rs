//! Runs `teikit validate` (embedded schema and every check) over each edition in
//! `$TEIKIT_SHARED/corpora`, prints how many diagnostics of each code each edition gets, and
//! asserts there are no false alarms on what is known about the editions:
//! - schnitzler-briefe: every `#pmb…` pointer resolves (the ids live in each letter's own
//!   `<back>` registers);
//! - escher: `@key` is no pointer, and with `--registers` (people.xml, places.xml) nothing is
//!   reported as dangling;
//! - jean-paul: the `#JP-…` commentary pointers that target register files not in the sample
//!   are reported (they do not resolve), nothing else about `@key`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use teikit::validate::{self, Options, Outcome};

fn run(dir: &Path, registers: Vec<PathBuf>) -> Outcome {
    assert!(dir.is_dir(), "{} missing", dir.display());
    let opts = Options {
        registers,
        ..Options::default()
    };
    validate::run(&[dir.to_path_buf()], &opts).expect("registers load")
}

fn counts(o: &Outcome) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in &o.files {
        for d in &f.diagnostics {
            *m.entry(d.code.id).or_insert(0) += 1;
        }
    }
    m
}

fn messages<'a>(o: &'a Outcome, code: &str) -> impl Iterator<Item = &'a str> + 'a {
    let code = code.to_string();
    o.files
        .iter()
        .flat_map(|f| f.diagnostics.iter())
        .filter(move |d| d.code.id == code)
        .map(|d| d.message.as_str())
}

#[test]
fn editions_get_no_false_alarms() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpora = shared.join("corpora");
    let escher_regs = vec![
        corpora.join("escher/registers/people.xml"),
        corpora.join("escher/registers/places.xml"),
    ];
    let runs = [
        (
            "schnitzler-briefe",
            run(&corpora.join("schnitzler-briefe/letters"), Vec::new()),
        ),
        ("escher", run(&corpora.join("escher/letters"), escher_regs)),
        (
            "jean-paul",
            run(&corpora.join("jean-paul/letters"), Vec::new()),
        ),
        ("cmif", run(&corpora.join("cmif"), Vec::new())),
    ];
    let mut all_codes: Vec<&str> = runs
        .iter()
        .flat_map(|(_, o)| counts(o).into_keys())
        .collect();
    all_codes.sort_unstable();
    all_codes.dedup();
    println!(
        "| code | {} |",
        runs.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" | ")
    );
    println!("|---|{}", "---:|".repeat(runs.len()));
    for c in &all_codes {
        let cells: Vec<String> = runs
            .iter()
            .map(|(_, o)| counts(o).get(c).copied().unwrap_or(0).to_string())
            .collect();
        println!("| {c} | {} |", cells.join(" | "));
    }
    println!(
        "| files (valid/invalid) | {} |",
        runs.iter()
            .map(|(_, o)| format!(
                "{} ({}/{})",
                o.summary.files, o.summary.valid, o.summary.invalid
            ))
            .collect::<Vec<_>>()
            .join(" | ")
    );

    let get = |name: &str| &runs.iter().find(|(n, _)| *n == name).expect("run").1;
    let sb = get("schnitzler-briefe");
    assert_eq!(sb.summary.files, 300);
    let pmb: Vec<&str> = messages(sb, "tei::xref::dangling_ref")
        .filter(|m| m.contains("#pmb"))
        .collect();
    assert!(
        pmb.is_empty(),
        "schnitzler-briefe #pmb pointers reported dangling: {pmb:?}"
    );
    // they are pointers the check did look at: a letter without its <back> would have them dangle
    let l1 = std::fs::read_to_string(corpora.join("schnitzler-briefe/letters/L00001.xml"))
        .expect("L00001");
    assert!(l1.contains("ref=\"#pmb"), "L00001 has #pmb pointers");

    let escher = get("escher");
    assert_eq!(escher.summary.files, 300);
    for code in [
        "tei::xref::dangling_ref",
        "tei::xref::undeclared_prefix",
        "tei::xref::dangling_file_ref",
    ] {
        let found: Vec<&str> = messages(escher, code).collect();
        assert!(found.is_empty(), "escher: {code}: {found:?}");
    }
    let key: Vec<&str> = runs
        .iter()
        .flat_map(|(_, o)| messages(o, "tei::xref::dangling_ref"))
        .filter(|m| m.starts_with("@key"))
        .collect();
    assert!(key.is_empty(), "@key treated as a pointer: {key:?}");

    let jp = get("jean-paul");
    assert!(
        messages(jp, "tei::xref::dangling_ref").any(|m| m.contains("#JP-")),
        "jean-paul register pointers are checked"
    );
}

#[test]
fn encoded_is_clean_under_both_schemas() {
    let Some(shared) = common::shared() else {
        return;
    };
    let encoded = Path::new(env!("CARGO_MANIFEST_DIR")).join("encoded");
    let has_xml = std::fs::read_dir(&encoded)
        .map(|d| {
            d.filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "xml"))
        })
        .unwrap_or(false);
    if !has_xml {
        println!("skipped: encoded/ has no XML yet");
        return;
    }
    for schema in [
        validate::SchemaChoice::Auto,
        validate::SchemaChoice::File(shared.join("schemas/tei_all.rng")),
    ] {
        let opts = Options {
            schema: schema.clone(),
            ..Options::default()
        };
        let o = validate::run(std::slice::from_ref(&encoded), &opts).expect("runs");
        let found: Vec<String> = o
            .files
            .iter()
            .flat_map(|f| {
                f.diagnostics.iter().map(move |d| {
                    format!(
                        "{}:{}:{} {} {}",
                        f.path.display(),
                        d.line,
                        d.column,
                        d.code.id,
                        d.message
                    )
                })
            })
            .collect();
        assert!(
            found.is_empty(),
            "encoded/ under {schema:?}: {} diagnostics:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}
