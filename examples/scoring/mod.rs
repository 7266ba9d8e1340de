//! The scorer shared by `eval_letters` (the plain-text development sets) and `roundtrip` (TEI
//! editions rendered and encoded): one set of rules, so the numbers compare.
//!
//! People by normalised surname (against the gold `name` and `authority_label`, initials
//! accepted), dates by the ISO value at the gold's precision (inside `notBefore`..`notAfter`
//! counts), places by settlement name. The looser people measure also accepts a gold forename.
//! Gold values are JSON in the shape of the sets' `gold.jsonl`.

// Each example uses only part of the scorer.
#![allow(dead_code)]

pub mod sets;

use serde_json::{json, Value};
use teikit::encode::learn::render::{Facts, Party};
use teikit::encode::LetterSummary;

/// An edition's facts (a rendered TEI letter's `correspDesc`) in the shape of the sets' gold
/// (`gold.jsonl`), so that the round trip is scored by the same rules as the sets.
pub fn gold_of(facts: &Facts) -> Value {
    let people = |ps: &[Party]| -> Value {
        ps.iter()
            .map(|p| json!({"name": p.name, "authority_label": p.label}))
            .collect()
    };
    let date = facts.date.as_ref().map_or(Value::Null, |d| {
        json!({
            "when": d.spec.when, "notBefore": d.spec.not_before, "notAfter": d.spec.not_after,
            "from": d.spec.from, "to": d.spec.to,
        })
    });
    let place = facts.place.as_ref().map_or(
        Value::Null,
        |p| json!({"name": p.name, "authority_label": p.label}),
    );
    json!({"senders": people(&facts.senders), "addressees": people(&facts.addressees),
           "date": date, "place": place})
}

/// Letters and digits only, lower-cased.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Surname keys of a gold person: last word of `name`, the part before the comma of
/// `authority_label`, and initials.
pub fn gold_keys(p: &Value) -> Vec<String> {
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

/// Surname keys of a name the encoder found: its last word, a single word, a name and an
/// initial run together.
pub fn mine_keys(name: &str) -> Vec<String> {
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

/// Whether a key of the encoder's names is a gold surname key (`None`: no gold people).
pub fn people_match(gold: &Value, mine: &[String]) -> Option<bool> {
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
pub fn gold_forenames(p: &Value) -> Vec<String> {
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
pub fn people_match_loose(gold: &Value, mine: &[String]) -> Option<bool> {
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

/// Whether the encoder's ISO date agrees with the gold at the gold's precision, or falls in
/// its range (`None`: no gold date).
pub fn date_match(gold: &Value, mine: Option<&str>) -> Option<bool> {
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
        nb.is_none_or(|b| m10 >= &b[..b.len().min(m10.len())])
            && na.is_none_or(|a| m10 <= &a[..a.len().min(m10.len())]),
    )
}

/// Whether the encoder's place and the gold's name (or label) contain one another, letters
/// and digits only (`None`: no gold place).
pub fn place_match(gold: &Value, mine: Option<&str>) -> Option<bool> {
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

/// A share of letters right: `ok` of `n` scored.
#[derive(Default)]
pub struct Score {
    /// Letters right.
    pub ok: usize,
    /// Letters scored (the gold has the field).
    pub n: usize,
}

impl Score {
    /// Counts one letter (`None`: the gold has no such field).
    pub fn add(&mut self, r: Option<bool>) {
        if let Some(r) = r {
            self.n += 1;
            if r {
                self.ok += 1;
            }
        }
    }
    /// `ok/n` as a percentage with the counts.
    pub fn show(&self) -> String {
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

/// The letter with the most text (a single letter's file may be read as several).
pub fn main_letter(ls: &[LetterSummary]) -> Option<&LetterSummary> {
    ls.iter()
        .max_by_key(|l| l.parts.iter().map(|p| p.len()).sum::<usize>())
}
