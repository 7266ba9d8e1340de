//! `tei_all.rnc` (the TEI grammar in compact syntax, converted with trang) gives the same
//! report as `tei_all.rng` on every file of the shared corpora (`$TEIKIT_SHARED/corpora/*/
//! letters` and `cmif`): the same verdicts and the same diagnostics (code, severity, message,
//! line, column, help, labels), through the whole `teikit validate` pipeline.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use teikit::validate::{self, Options, SchemaChoice};

/// What a user sees of one diagnostic.
fn seen(d: &teikit::diagnostic::Diagnostic) -> String {
    let labels: Vec<String> = d
        .labels
        .iter()
        .map(|l| format!("{:?} {}", l.span, l.message))
        .collect();
    format!(
        "{}:{} {} {:?} {} | {} | {}",
        d.line,
        d.column,
        d.code.id,
        d.severity,
        d.message,
        d.help.as_deref().unwrap_or(""),
        labels.join("; ")
    )
}

/// Verdict and diagnostics of every file, validated against `schema`.
fn report(inputs: &[PathBuf], schema: PathBuf) -> BTreeMap<PathBuf, (bool, Vec<String>)> {
    let options = Options {
        schema: SchemaChoice::File(schema.clone()),
        // the grammar's verdicts (the embedded Schematron is compared on a few letters below:
        // on every file it would cost more than the grammar)
        no_schematron: true,
        ..Options::default()
    };
    let outcome = validate::run(inputs, &options).expect("run");
    let mut out = BTreeMap::new();
    for f in &outcome.files {
        assert!(
            !f.fatal,
            "{}: {} does not compile or a file is unreadable: {:?}",
            f.path.display(),
            schema.display(),
            f.diagnostics
        );
        out.insert(
            f.path.clone(),
            (f.is_valid(false), f.diagnostics.iter().map(seen).collect()),
        );
    }
    out
}

#[test]
fn tei_all_rnc_reports_what_tei_all_rng_reports() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(shared.join("corpora"))
        .expect("corpora")
        .filter_map(|e| e.ok().map(|e| e.path().join("letters")))
        .filter(|p| p.is_dir())
        .collect();
    inputs.push(shared.join("corpora/cmif"));
    inputs.sort();
    let rng = report(&inputs, shared.join("schemas/tei_all.rng"));
    let rnc = report(&inputs, shared.join("schemas/tei_all.rnc"));
    assert!(rng.len() > 1000, "only {} files", rng.len());
    assert_eq!(
        rng.keys().collect::<Vec<_>>(),
        rnc.keys().collect::<Vec<_>>()
    );
    let invalid = rng.values().filter(|(valid, _)| !valid).count();
    let mut differ = Vec::new();
    for (path, (valid, diags)) in &rng {
        let (valid2, diags2) = &rnc[path];
        if valid != valid2 || diags != diags2 {
            let first = diags
                .iter()
                .zip(diags2)
                .find(|(a, b)| a != b)
                .map_or(String::from("(one list is longer)"), |(a, b)| {
                    format!("rng: {a}\n  rnc: {b}")
                });
            differ.push(format!("{}:\n  {first}", path.display()));
        }
    }
    println!(
        "{} files ({invalid} invalid), {} diagnostics: the same with tei_all.rnc and tei_all.rng",
        rng.len(),
        rng.values().map(|(_, d)| d.len()).sum::<usize>()
    );
    assert!(
        differ.is_empty(),
        "{} file(s) differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// The Schematron findings of `files` with the rules `schema` embeds: what a user sees of each
/// (the help names the rule's place in the schema file, which differs between the syntaxes).
fn schematron_findings(files: &[PathBuf], schema: PathBuf) -> BTreeMap<PathBuf, Vec<String>> {
    let options = Options {
        schema: SchemaChoice::File(schema),
        schematron_limits: teikit::schematron::limits::Limits {
            time_per_rule: std::time::Duration::from_secs(600),
            ..Default::default()
        },
        ..Options::default()
    };
    let outcome = validate::run(files, &options).expect("run");
    outcome
        .files
        .iter()
        .map(|f| {
            assert!(!f.fatal, "{}: {:?}", f.path.display(), f.diagnostics);
            let found = f
                .diagnostics
                .iter()
                .filter(|d| d.code.id.starts_with("tei::sch::"))
                .map(|d| {
                    format!(
                        "{}:{} {} {:?} {} @ {}",
                        d.line,
                        d.column,
                        d.code.id,
                        d.severity,
                        d.message,
                        d.path.as_deref().unwrap_or("")
                    )
                })
                .collect();
            (f.path.clone(), found)
        })
        .collect()
}

#[test]
fn tei_all_rnc_runs_its_schematron_annotations_as_tei_all_rng_its_embedded_rules() {
    let Some(shared) = common::shared() else {
        return;
    };
    // the schnitzler letters where SchXslt finds something (both kinds of rule, both
    // languages), and as many where it finds nothing
    let reference = std::fs::read_to_string(
        shared.join("conformance/schematron/reference/schnitzler-briefe.tei_all-embedded.jsonl"),
    )
    .expect("reference");
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for line in reference.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let file = shared
            .parent()
            .expect("parent")
            .join(v["file"].as_str().expect("file"));
        if v["fired"].as_array().is_some_and(|a| !a.is_empty()) {
            with.push(file);
        } else {
            without.push(file);
        }
    }
    with.truncate(12);
    without.truncate(12);
    let files: Vec<PathBuf> = with.into_iter().chain(without).collect();
    let rng = schematron_findings(&files, shared.join("schemas/tei_all.rng"));
    let rnc = schematron_findings(&files, shared.join("schemas/tei_all.rnc"));
    let total: usize = rng.values().map(Vec::len).sum();
    assert!(total >= 12, "only {total} findings");
    assert_eq!(
        rng, rnc,
        "tei_all.rnc's Schematron differs from tei_all.rng's"
    );
    println!(
        "{} letters, {total} Schematron findings: the same with tei_all.rnc",
        files.len()
    );
}
