//! Scores the encoder against a gold letter set (letters-en-dev, letters-de-dev):
//! `cargo run --release --example eval_letters -- DIR`.
//!
//! Scoring follows the set's README: people by normalised surname (against the gold `name` and
//! `authority_label`, initials accepted), dates by the ISO value at the gold's precision (inside
//! `notBefore`..`notAfter` counts), places by settlement name, boundaries in `multi/` by span
//! overlap (intersection over union at least 0.5, one to one), words kept by in-order alignment
//! of the diplomatic reading with the source. Two extra rows accept a person named by first
//! name only ("Ihr Arthur" for "Schnitzler, Arthur"): they show what the text gives, not what
//! a register would resolve; the main rows stay comparable across sessions.

mod scoring;

use scoring::sets::eval_set;
use std::path::PathBuf;
use teikit::encode::EncodeOptions;

fn main() {
    let mut dir = None;
    let mut collection = false;
    let mut opts = EncodeOptions::default();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => {
                let Some(p) = it.next() else {
                    eprintln!("eval_letters: --model takes a model file");
                    std::process::exit(2);
                };
                let model = std::fs::read(&p).map_err(|e| e.to_string()).and_then(|b| {
                    teikit::encode::learn::Model::from_bytes(&b).map_err(|e| e.to_string())
                });
                match model {
                    Ok(m) => opts.model = Some(std::sync::Arc::new(m)),
                    Err(e) => {
                        eprintln!("eval_letters: {p}: {e}");
                        std::process::exit(2);
                    }
                }
            }
            "--rules" => opts.rules_only = true,
            "--collection" => collection = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval_letters DIR [--model FILE | --rules] [--collection]   (e.g. $TEIKIT_SHARED/corpora/letters-en-dev)");
        std::process::exit(2);
    };
    if collection {
        // two passes, as `teikit encode --correspondent auto` over the set's files would run
        opts.correspondent = scoring::sets::infer_for_set(&dir, &opts);
        println!(
            "correspondent found in the set's letters: {:?}",
            opts.correspondent
        );
    }
    let s = eval_set(&dir, &opts, std::env::var("EVAL_VERBOSE").is_ok());
    println!("| measure | value |");
    println!("| --- | --- |");
    println!(
        "| files encoded | {} of {} |",
        s.files - s.failures,
        s.files
    );
    println!("| date accuracy | {} |", s.date.show());
    println!("| sender accuracy | {} |", s.sender.show());
    println!("| addressee accuracy | {} |", s.addressee.show());
    println!("| place accuracy | {} |", s.place.show());
    println!("| sender, forename accepted | {} |", s.sender_loose.show());
    println!(
        "| addressee, forename accepted | {} |",
        s.addressee_loose.show()
    );
    println!(
        "| language detected (single files) | de {}, en {} |",
        s.lang.0, s.lang.1
    );
    println!(
        "| boundary precision (multi) | {} |",
        s.boundary_precision.show()
    );
    println!("| boundary recall (multi) | {} |", s.boundary_recall.show());
    println!("| words kept | {} |", s.words_kept.show());
}
