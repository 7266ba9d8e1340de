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
//!
//! `--collection` runs the collection pass `teikit encode A.txt B.txt … --out-dir DIR` runs
//! over the set's files: the correspondent the letters centre on, and years from the
//! neighbouring letters (the `single/` files in file-name order, checked for date order
//! first). It also prints the date without that pass (text only) and a control: the same files
//! in a shuffled order (seed [`SHUFFLE_SEED`], or `--shuffle SEED`), which the order check
//! must refuse.
//!
//! `--half odd|even` scores only the odd- or even-numbered files (`single/001.txt`,
//! `multi/m01.txt` are odd): develop on one half, keep the other as a held-out measure.
//! `EVAL_VERBOSE=1` prints a line per scored letter.

mod scoring;

use scoring::sets::{eval_set, years_for_set, Half, Years};
use std::path::PathBuf;
use teikit::encode::EncodeOptions;

/// The seed of the shuffled control order.
const SHUFFLE_SEED: u64 = 9;

fn main() {
    let mut dir = None;
    let mut collection = false;
    let mut seed = SHUFFLE_SEED;
    let mut half = Half::All;
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
            "--shuffle" => {
                seed = match it.next().and_then(|v| v.parse().ok()) {
                    Some(v) => v,
                    None => {
                        eprintln!("eval_letters: --shuffle takes a number (the seed)");
                        std::process::exit(2);
                    }
                }
            }
            "--half" => {
                half = match it.next().as_deref().and_then(Half::parse) {
                    Some(h) => h,
                    None => {
                        eprintln!("eval_letters: --half takes odd, even or all");
                        std::process::exit(2);
                    }
                }
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval_letters DIR [--model FILE | --rules] [--collection] [--half odd|even]   (e.g. $TEIKIT_SHARED/corpora/letters-en-dev)");
        std::process::exit(2);
    };
    let verbose = std::env::var("EVAL_VERBOSE").is_ok();
    let mut years = Years::new();
    let mut extra = Vec::new();
    if collection {
        // two passes, as `teikit encode --correspondent auto` over the set's files would run
        opts.correspondent = scoring::sets::infer_for_set(&dir, &opts);
        println!(
            "correspondent found in the set's letters: {:?}",
            opts.correspondent
        );
        let (given, c) = years_for_set(&dir, &opts, None);
        let verdict = |c: &teikit::encode::chronology::Chronology| {
            format!(
                "{} of {} consecutive pairs of fully dated letters rise: {}; {} of {} letters without a year filled; {} of {} letters without a month dated between their neighbours",
                c.rising,
                c.pairs,
                if c.in_order { "in date order" } else { "refused" },
                c.filled(),
                c.open,
                c.spanned(),
                c.undated
            )
        };
        println!("collection order as given: {}", verdict(&c));
        let (shuffled, cs) = years_for_set(&dir, &opts, Some(seed));
        println!("collection order shuffled (seed {seed}): {}", verdict(&cs));
        let text_only = eval_set(&dir, &opts, &Years::new(), half, false);
        let control = eval_set(&dir, &opts, &shuffled, half, false);
        extra.push(("date, text only (no neighbours)", text_only.date.show()));
        extra.push((
            "date, neighbours in a shuffled order (control)",
            control.date.show(),
        ));
        extra.push((
            "years filled in the shuffled order, right",
            control.filled.show(),
        ));
        extra.push((
            "letters without a month dated in the shuffled order, right",
            control.spanned.show(),
        ));
        years = given;
    }
    let s = eval_set(&dir, &opts, &years, half, verbose);
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
    if collection {
        println!(
            "| years from the neighbours (given order), right | {} |",
            s.filled.show()
        );
        println!(
            "| letters without a month dated between the neighbours (given order), right | {} |",
            s.spanned.show()
        );
        for (what, v) in extra {
            println!("| {what} | {v} |");
        }
    }
}
