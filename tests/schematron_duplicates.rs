//! teikit's hand-written TEI rules that duplicate a rule embedded in `tei_all.rng` are kept
//! (the embedded default schema, `tei-corresp.rng`, carries no Schematron) because they report
//! exactly what the Schematron rule reports: on schnitzler-briefe and jean-paul, for each file,
//! `tei::tei::when_with_range` fires on the same elements as TEI's `att.datable.w3c` @when rule,
//! and `tei::tei::subtype_without_type` as its `att.typed` @subtype rule. When the embedded
//! rules run, the hand-written finding is dropped (one finding per problem, the TEI's).
//!
//! The same holds for teikit's CMIF rules (`--profile cmif`) and the five asserts of the CMIF
//! SIG's `cmif.sch` (read from `$TEIKIT_SHARED/schemas`; teikit ships no copy): on the CMIF
//! files of the shared corpora and on an invented file where every rule fires, each
//! hand-written finding has a cmif.sch finding on the same node, and with both run only
//! cmif.sch's is left.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use teikit::validate::{self, Options, Profile, SchemaChoice};

/// (hand-written code, the embedded rule's code prefix)
const PAIRS: &[(&str, &str)] = &[
    (
        "tei::tei::when_with_range",
        "tei::sch::tei_all_att_datable_w3c_att_datable_w3c_when",
    ),
    (
        "tei::tei::subtype_without_type",
        "tei::sch::tei_all_att_typed_subtypetyped",
    ),
];

fn codes_per_file(
    inputs: &[PathBuf],
    options: &Options,
) -> BTreeMap<PathBuf, BTreeMap<&'static str, usize>> {
    let outcome = validate::run(inputs, options).expect("run");
    outcome
        .files
        .iter()
        .map(|f| {
            let mut m = BTreeMap::new();
            for d in &f.diagnostics {
                *m.entry(d.code.id).or_insert(0) += 1;
            }
            (f.path.clone(), m)
        })
        .collect()
}

#[test]
fn hand_written_rules_report_what_the_embedded_ones_report() {
    let Some(shared) = common::shared() else {
        return;
    };
    let inputs: Vec<PathBuf> = ["schnitzler-briefe", "jean-paul"]
        .iter()
        .map(|c| shared.join("corpora").join(c).join("letters"))
        .collect();
    let schema = SchemaChoice::File(shared.join("schemas/tei_all.rng"));
    // the hand-written rules alone
    let hand = codes_per_file(
        &inputs,
        &Options {
            schema: schema.clone(),
            no_schematron: true,
            ..Options::default()
        },
    );
    // with the embedded rules: a hand-written finding is dropped only where the TEI rule fired
    // on the same element, so none may be left, and the counts must be equal
    let both = codes_per_file(
        &inputs,
        &Options {
            schema,
            ..Options::default()
        },
    );
    let mut totals = BTreeMap::new();
    let mut differ = Vec::new();
    for (path, h) in &hand {
        let b = &both[path];
        for (code, frag) in PAIRS {
            let n_hand = h.get(code).copied().unwrap_or(0);
            let n_sch: usize = b
                .iter()
                .filter(|(c, _)| c.starts_with(frag))
                .map(|(_, n)| n)
                .sum();
            let left = b.get(code).copied().unwrap_or(0);
            *totals.entry(*code).or_insert(0) += n_hand;
            if n_hand != n_sch || left != 0 {
                differ.push(format!(
                    "{}: {code} {n_hand} alone, {left} left beside the embedded rule's {n_sch}",
                    path.display()
                ));
            }
        }
    }
    println!("{totals:?}: each on an element where the embedded rule fired, and no other");
    assert!(totals.values().all(|n| *n > 50), "{totals:?}");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// (teikit's CMIF rule, the marker cmif.sch's assert text starts with)
const CMIF_PAIRS: &[(&str, &str)] = &[
    ("tei::cmif::missing_sent", "[E0001]"),
    ("tei::cmif::missing_received", "[E0002]"),
    ("tei::cmif::unresolved_source", "[E0003]"),
    ("tei::cmif::date_without_attribute", "[E0004]"),
    ("tei::cmif::bibl_id_not_uuid", "[W0001]"),
];

/// (line, column) of each finding of a file, per code (per cmif.sch marker for its findings).
fn places(
    inputs: &[PathBuf],
    options: &Options,
) -> BTreeMap<PathBuf, BTreeMap<String, Vec<(u32, u32)>>> {
    let outcome = validate::run(inputs, options).expect("run");
    outcome
        .files
        .iter()
        .map(|f| {
            let mut m: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
            for d in &f.diagnostics {
                let key = match CMIF_PAIRS
                    .iter()
                    .find(|(_, marker)| d.message.trim_start().starts_with(marker))
                {
                    Some((_, marker)) if d.code.id.starts_with("tei::sch::") => marker.to_string(),
                    _ => d.code.id.to_string(),
                };
                m.entry(key).or_default().push((d.line, d.column));
            }
            (f.path.clone(), m)
        })
        .collect()
}

#[test]
fn hand_written_cmif_rules_report_what_cmif_sch_reports() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut inputs = vec![
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/schematron/cmif_rules.xml")
    ];
    for entry in std::fs::read_dir(shared.join("corpora/cmif")).expect("cmif corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            inputs.push(path);
        }
    }
    let cmif_sch = shared.join("schemas/cmif.sch");
    let hand = places(
        &inputs,
        &Options {
            profile: Profile::Cmif,
            ..Options::default()
        },
    );
    let sch = places(
        &inputs,
        &Options {
            schema: SchemaChoice::Skip,
            schematron: vec![cmif_sch.clone()],
            schematron_limits: generous(),
            ..Options::default()
        },
    );
    let both = places(
        &inputs,
        &Options {
            profile: Profile::Cmif,
            schematron: vec![cmif_sch],
            schematron_limits: generous(),
            ..Options::default()
        },
    );
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differ = Vec::new();
    for path in &inputs {
        let none = BTreeMap::new();
        let (h, s, b) = (
            hand.get(path).unwrap_or(&none),
            sch.get(path).unwrap_or(&none),
            both.get(path).unwrap_or(&none),
        );
        for (code, marker) in CMIF_PAIRS {
            let by_hand = h.get(*code).cloned().unwrap_or_default();
            let by_sch = s.get(*marker).cloned().unwrap_or_default();
            let left = b.get(*code).map_or(0, Vec::len);
            let kept = b.get(*marker).map_or(0, Vec::len);
            *totals.entry(code).or_insert(0) += by_hand.len();
            // the same number, on the same lines (the columns differ where the hand-written
            // finding points at an attribute's value and cmif.sch's at the attribute)
            let lines = |v: &[(u32, u32)]| {
                let mut l: Vec<u32> = v.iter().map(|p| p.0).collect();
                l.sort_unstable();
                l
            };
            if lines(&by_hand) != lines(&by_sch) || left != 0 || kept != by_sch.len() {
                differ.push(format!(
                    "{}: {code} at {by_hand:?}, cmif.sch {marker} at {by_sch:?}; with both: {left} hand-written left, {kept} of cmif.sch's kept",
                    path.display()
                ));
            }
        }
    }
    println!("{totals:?}: each where cmif.sch's assert fired, and no other");
    assert!(totals.values().all(|n| *n >= 1), "{totals:?}");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// The time limit is wall-clock time: the 2 MB CMIF file's `ancestor::tei:TEI//tei:bibl` per
/// `@source` takes seconds of CPU, longer on a loaded machine; this test compares findings.
fn generous() -> teikit::schematron::limits::Limits {
    teikit::schematron::limits::Limits {
        time_per_rule: std::time::Duration::from_secs(600),
        ..Default::default()
    }
}
