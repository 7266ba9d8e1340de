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

use scoring::{date_match, main_letter, people_match, people_match_loose, place_match, Score};
use serde_json::Value;
use std::path::{Path, PathBuf};
use teikit::encode::{encode, reading, EncodeOptions, LetterSummary};

fn main() {
    let dir = match std::env::args().nth(1) {
        Some(d) => PathBuf::from(d),
        None => {
            eprintln!("usage: eval_letters DIR   (e.g. $TEIKIT_SHARED/corpora/letters-en-dev)");
            std::process::exit(2);
        }
    };
    let verbose = std::env::var("EVAL_VERBOSE").is_ok();
    let (mut date, mut sender, mut addressee, mut place) = (
        Score::default(),
        Score::default(),
        Score::default(),
        Score::default(),
    );
    let (mut sender_loose, mut addressee_loose) = (Score::default(), Score::default());
    let (mut lang_de, mut lang_en) = (0usize, 0usize);
    let (mut kept, mut total) = (0usize, 0usize);
    let (mut failures, mut files) = (0usize, 0usize);
    let opts = EncodeOptions::default();
    let read_jsonl = |p: &Path| -> Vec<Value> {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    let mut score_letter = |gold: &Value, mine: Option<&LetterSummary>, label: &str| {
        let empty = Vec::new();
        let d = date_match(&gold["date"], mine.and_then(|m| m.date.as_deref()));
        let s = people_match(&gold["senders"], mine.map(|m| &m.senders).unwrap_or(&empty));
        let a = people_match(
            &gold["addressees"],
            mine.map(|m| &m.addressees).unwrap_or(&empty),
        );
        let p = place_match(&gold["place"], mine.and_then(|m| m.place.as_deref()));
        if verbose {
            let flag = |r: Option<bool>| match r {
                Some(true) => "ok",
                Some(false) => "XX",
                None => "--",
            };
            println!(
                "{label}: date {} {:?} vs {} | sender {} {:?} | addr {} {:?} | place {} {:?}",
                flag(d),
                mine.and_then(|m| m.date.clone()),
                gold["date"]["when"],
                flag(s),
                mine.map(|m| m.senders.clone()),
                flag(a),
                mine.map(|m| m.addressees.clone()),
                flag(p),
                mine.and_then(|m| m.place.clone())
            );
        }
        date.add(d);
        sender.add(s);
        addressee.add(a);
        place.add(p);
        sender_loose.add(people_match_loose(
            &gold["senders"],
            mine.map(|m| &m.senders).unwrap_or(&empty),
        ));
        addressee_loose.add(people_match_loose(
            &gold["addressees"],
            mine.map(|m| &m.addressees).unwrap_or(&empty),
        ));
    };
    for g in read_jsonl(&dir.join("gold.jsonl")) {
        let file = dir.join(g["file"].as_str().unwrap_or(""));
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        files += 1;
        match encode(&text, None, &opts) {
            Ok(e) => {
                let head: String = e.xml.chars().take(400).collect();
                if head.contains("xml:lang=\"de\"") {
                    lang_de += 1;
                } else if head.contains("xml:lang=\"en\"") {
                    lang_en += 1;
                }
                if let Ok(r) = reading::diplomatic(&e.xml) {
                    let (k, t, _) = reading::words_kept(&text, &r);
                    kept += k;
                    total += t;
                }
                score_letter(
                    &g,
                    main_letter(&e.letters),
                    g["file"].as_str().unwrap_or(""),
                );
            }
            Err(_) => {
                failures += 1;
                total += reading::words(&text).len();
                score_letter(&g, None, g["file"].as_str().unwrap_or(""));
            }
        }
    }
    let (mut tp_pred, mut n_pred, mut tp_gold, mut n_gold) = (0usize, 0usize, 0usize, 0usize);
    for g in read_jsonl(&dir.join("multi-gold.jsonl")) {
        let file = dir.join(g["file"].as_str().unwrap_or(""));
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        files += 1;
        let golds: Vec<&Value> = g["letters"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        n_gold += golds.len();
        let e = match encode(&text, None, &opts) {
            Ok(e) => e,
            Err(_) => {
                failures += 1;
                total += reading::words(&text).len();
                for gl in &golds {
                    score_letter(gl, None, g["file"].as_str().unwrap_or(""));
                }
                continue;
            }
        };
        if let Ok(r) = reading::diplomatic(&e.xml) {
            let (k, t, _) = reading::words_kept(&text, &r);
            kept += k;
            total += t;
        }
        n_pred += e.letters.len();
        let spans: Vec<(usize, usize)> = e
            .letters
            .iter()
            .map(|l| {
                (
                    l.parts.first().map(|p| p.start).unwrap_or(0),
                    l.parts.last().map(|p| p.end).unwrap_or(0),
                )
            })
            .collect();
        let mut used = vec![false; spans.len()];
        for gl in &golds {
            let (gs, ge) = (
                gl["start_byte"].as_u64().unwrap_or(0) as usize,
                gl["end_byte"].as_u64().unwrap_or(0) as usize,
            );
            let best = spans
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, &(s, e))| {
                    let inter = e.min(ge).saturating_sub(s.max(gs));
                    let uni = e.max(ge) - s.min(gs);
                    (i, inter as f64 / uni.max(1) as f64)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, iou)) if iou >= 0.5 => {
                    used[i] = true;
                    tp_gold += 1;
                    tp_pred += 1;
                    score_letter(gl, Some(&e.letters[i]), gl["id"].as_str().unwrap_or(""));
                }
                _ => score_letter(gl, None, gl["id"].as_str().unwrap_or("")),
            }
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "n/a".to_string()
        } else {
            format!("{:5.1}%  ({a}/{b})", 100.0 * a as f64 / b as f64)
        }
    };
    println!("| measure | value |");
    println!("| --- | --- |");
    println!("| files encoded | {} of {} |", files - failures, files);
    println!("| date accuracy | {} |", date.show());
    println!("| sender accuracy | {} |", sender.show());
    println!("| addressee accuracy | {} |", addressee.show());
    println!("| place accuracy | {} |", place.show());
    println!("| sender, forename accepted | {} |", sender_loose.show());
    println!(
        "| addressee, forename accepted | {} |",
        addressee_loose.show()
    );
    println!("| language detected (single files) | de {lang_de}, en {lang_en} |");
    println!("| boundary precision (multi) | {} |", pct(tp_pred, n_pred));
    println!("| boundary recall (multi) | {} |", pct(tp_gold, n_gold));
    println!("| words kept | {} |", pct(kept, total));
}
