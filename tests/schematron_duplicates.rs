//! teikit's hand-written TEI rules that duplicate a rule embedded in `tei_all.rng` are kept
//! (the embedded default schema, `tei-corresp.rng`, carries no Schematron) because they report
//! exactly what the Schematron rule reports: on schnitzler-briefe and jean-paul, for each file,
//! `tei::tei::when_with_range` fires on the same elements as TEI's `att.datable.w3c` @when rule,
//! and `tei::tei::subtype_without_type` as its `att.typed` @subtype rule. When the embedded
//! rules run, the hand-written finding is dropped (one finding per problem, the TEI's).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use teikit::validate::{self, Options, SchemaChoice};

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
