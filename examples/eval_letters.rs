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

use serde_json::Value;
use std::path::{Path, PathBuf};
use teikit::encode::{encode, reading, EncodeOptions, LetterSummary};

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Surname keys of a gold person: last word of `name`, the part before the comma of
/// `authority_label`, and initials.
fn gold_keys(p: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    let name = p["name"].as_str().unwrap_or("");
    let clean: String = name
        .split(['[', '('])
        .next()
        .unwrap_or("")
        .split(',')
        .next()
        .unwrap_or("")
        .to_string();
    if let Some(last) = clean.split_whitespace().last() {
        keys.push(norm(last));
    }
    let initials: String = clean
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    if initials.len() >= 2 {
        keys.push(norm(&initials));
    }
    // "Maria E": first name and the surname's initial
    let ws: Vec<&str> = clean.split_whitespace().collect();
    if ws.len() >= 2 {
        keys.push(norm(&format!(
            "{}{}",
            ws[0],
            ws[ws.len() - 1].chars().next().unwrap_or(' ')
        )));
    }
    if let Some(label) = p["authority_label"].as_str() {
        let sur = label.split(',').next().unwrap_or("");
        keys.push(norm(sur));
        if let Some(rest) = label.split(',').nth(1) {
            let first = rest.split_whitespace().next().unwrap_or("");
            let i: String = format!(
                "{}{}",
                first.chars().next().unwrap_or(' '),
                sur.chars().next().unwrap_or(' ')
            );
            keys.push(norm(&i));
        }
    }
    keys.retain(|k| k.len() >= 2);
    keys
}

fn mine_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let ws: Vec<&str> = name.split_whitespace().collect();
    if let Some(last) = ws.last() {
        keys.push(norm(last));
    }
    if ws.len() == 1 {
        keys.push(norm(ws[0]));
    }
    if ws.len() == 2 && ws[1].trim_end_matches('.').chars().count() == 1 {
        keys.push(norm(&ws.join("")));
    }
    keys.retain(|k| k.len() >= 2);
    keys
}

fn people_match(gold: &Value, mine: &[String]) -> Option<bool> {
    let g = gold.as_array()?;
    if g.is_empty() {
        return None;
    }
    let gk: Vec<String> = g.iter().flat_map(gold_keys).collect();
    Some(
        mine.iter()
            .any(|m| mine_keys(m).iter().any(|k| gk.contains(k))),
    )
}

/// Forename keys of a gold person ("Schnitzler, Arthur" → "arthur"; "Maria Edgeworth" →
/// "maria"), for the looser measure that accepts a letter signed or addressed by first name.
fn gold_forenames(p: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    for field in ["name", "authority_label"] {
        let v = p[field].as_str().unwrap_or("");
        let v = v.split(['[', '(']).next().unwrap_or("");
        let first = match v.split_once(',') {
            Some((_, rest)) => rest.split_whitespace().next(),
            None => v.split_whitespace().next(),
        };
        if let Some(f) = first {
            let k = norm(f);
            if k.len() >= 3 && !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Like [`people_match`], also accepting any word of the encoder's name that equals a gold
/// forename.
fn people_match_loose(gold: &Value, mine: &[String]) -> Option<bool> {
    let strict = people_match(gold, mine)?;
    let g = gold.as_array()?;
    let fk: Vec<String> = g.iter().flat_map(gold_forenames).collect();
    Some(
        strict
            || mine
                .iter()
                .any(|m| m.split_whitespace().any(|w| fk.contains(&norm(w)))),
    )
}

fn date_match(gold: &Value, mine: Option<&str>) -> Option<bool> {
    if gold.is_null() {
        return None;
    }
    let Some(m) = mine else { return Some(false) };
    if let Some(w) = gold["when"].as_str() {
        if let Some(md) = w.strip_prefix("--") {
            return Some(m.ends_with(md));
        }
        return Some(
            m.starts_with(w)
                || (w.len() > m.len() && !m.starts_with("--") && w.starts_with(m) && m.len() >= 7),
        );
    }
    let nb = gold["notBefore"].as_str().or(gold["from"].as_str());
    let na = gold["notAfter"].as_str().or(gold["to"].as_str());
    if nb.is_none() && na.is_none() {
        return None;
    }
    let m10 = &m[..m.len().min(10)];
    Some(
        nb.map_or(true, |b| m10 >= &b[..b.len().min(m10.len())])
            && na.map_or(true, |a| m10 <= &a[..a.len().min(m10.len())]),
    )
}

fn place_match(gold: &Value, mine: Option<&str>) -> Option<bool> {
    if gold.is_null() {
        return None;
    }
    let g = norm(gold["name"].as_str().unwrap_or(""));
    let l = norm(gold["authority_label"].as_str().unwrap_or(""));
    let Some(m) = mine.map(norm) else {
        return Some(false);
    };
    if m.is_empty() {
        return Some(false);
    }
    Some(g.contains(&m) || m.contains(&g) || (!l.is_empty() && (m.contains(&l) || l.contains(&m))))
}

#[derive(Default)]
struct Score {
    ok: usize,
    n: usize,
}

impl Score {
    fn add(&mut self, r: Option<bool>) {
        if let Some(r) = r {
            self.n += 1;
            if r {
                self.ok += 1;
            }
        }
    }
    fn show(&self) -> String {
        if self.n == 0 {
            return "n/a".into();
        }
        format!(
            "{:5.1}%  ({}/{})",
            100.0 * self.ok as f64 / self.n as f64,
            self.ok,
            self.n
        )
    }
}

fn main_letter(ls: &[LetterSummary]) -> Option<&LetterSummary> {
    ls.iter()
        .max_by_key(|l| l.parts.iter().map(|p| p.len()).sum::<usize>())
}

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
