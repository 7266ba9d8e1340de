//! What the tagger sees of a line: the encoder's cues (word lists, date shapes, salutation and
//! valediction tests), the line's shape (length, capitals, punctuation, indentation), its
//! position in the document and in its block, and the same of its neighbours.
//!
//! Features are strings (`name=value`); the model keeps weights only for those it learned.
//! Changing what a feature means changes [`FEATURE_SET`], and a model trained on another
//! feature set is refused.

use crate::encode::cues::{starts_with_word, Cues};
use crate::encode::dates::find_dates;
use crate::encode::lines::{self, Block, LineKind};
use std::ops::Range;

/// Version of the feature definitions; stored in every model.
pub const FEATURE_SET: u32 = 2;

/// One non-blank line of a document, with its place in the block structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    /// Byte range of the line's text (trimmed of surrounding whitespace).
    pub span: Range<usize>,
    /// Index of its block (blank-line separated run of lines).
    pub block: usize,
    /// Index of the line inside its block.
    pub in_block: usize,
    /// Number of lines of its block.
    pub block_len: usize,
    /// Leading whitespace of the line, in characters (a tab counts four).
    pub indent: usize,
    /// What the hand-written layout makes of the line ([`crate::encode::layout::rule_labels`]).
    pub rule: &'static str,
}

/// The non-blank lines of `text` with their block structure.
pub fn doc_lines(text: &str, cues: &Cues) -> Vec<DocLine> {
    doc_lines_of(text, &lines::blocks(text), cues)
}

/// The lines of already computed `blocks` of `text` (one letter, or one part of one).
pub fn doc_lines_of(text: &str, blocks: &[Block], cues: &Cues) -> Vec<DocLine> {
    let rules = crate::encode::layout::rule_labels(text, blocks, 0..blocks.len(), cues);
    let mut out = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        for (k, l) in block.lines.iter().enumerate() {
            let line_start = text[..l.start].rfind('\n').map(|p| p + 1).unwrap_or(0);
            let indent = text[line_start..l.start]
                .chars()
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum();
            out.push(DocLine {
                span: l.clone(),
                block: b,
                in_block: k,
                block_len: block.lines.len(),
                indent,
                rule: rules.get(out.len()).copied().unwrap_or("none"),
            });
        }
    }
    out
}

fn bucket(n: usize, edges: &[usize]) -> usize {
    edges.iter().position(|&e| n <= e).unwrap_or(edges.len())
}

/// First- and second-person pronouns: letters speak in them, narrative about letters rarely.
fn speaker_words(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => &[
            "ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner", "wir", "uns",
            "unser", "du", "dich", "dir", "dein", "deine", "ihr", "euch", "sie", "ihnen",
        ],
        _ => &[
            "i", "me", "my", "mine", "myself", "we", "us", "our", "you", "your", "yours",
        ],
    }
}

/// Third-person pronouns and words of reported speech.
fn narrator_words(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => &[
            "er",
            "sein",
            "seine",
            "seinen",
            "schrieb",
            "schreibt",
            "antwortete",
        ],
        _ => &[
            "he", "his", "him", "she", "her", "they", "their", "wrote", "replied",
        ],
    }
}

/// The words of `line`, lowercased, stripped of punctuation at both ends.
fn words_of(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word's shape: digits become `9`, letters `a`/`A`, runs collapsed ("1867" → "9",
/// "Esqre." → "Aa.").
fn shape(word: &str) -> String {
    let mut s = String::new();
    for c in word.chars() {
        let k = if c.is_ascii_digit() {
            '9'
        } else if c.is_uppercase() {
            'A'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if !s.ends_with(k) {
            s.push(k);
        }
        if s.len() >= 6 {
            break;
        }
    }
    s
}

/// The cue-based facts of one line, shared by its own features and its neighbours'.
struct Facts {
    kind: &'static str,
    words: usize,
    end: &'static str,
    first: &'static str,
    date: &'static str,
    salute: &'static str,
    valediction: bool,
    postscript: bool,
    name_like: bool,
}

fn facts(line: &str, cues: &Cues) -> Facts {
    let kind = match lines::classify(line, cues) {
        LineKind::Dateline => "dateline",
        LineKind::Salute => "salute",
        LineKind::Addressee => "addressee",
        LineKind::Valediction => "valediction",
        LineKind::Signature => "signature",
        LineKind::Other => "other",
    };
    let t = line.trim_end();
    let end = match t.chars().last() {
        Some(',') => ",",
        Some('.') => ".",
        Some(':') => ":",
        Some(';') => ";",
        Some('!') => "!",
        Some('?') => "?",
        Some('-' | '—' | '–') => "-",
        Some(')' | ']') => ")",
        Some(c) if c.is_alphanumeric() => "a",
        _ => "p",
    };
    let first = match line.chars().next() {
        Some(c) if c.is_uppercase() => "A",
        Some(c) if c.is_lowercase() => "a",
        Some(c) if c.is_ascii_digit() => "9",
        Some('"' | '“' | '„' | '»' | '«' | '\'' | '‘') => "q",
        Some('(' | '[') => "(",
        _ => "p",
    };
    let ds = find_dates(line, cues);
    let date = match ds.first() {
        None => "none",
        Some(d) => {
            let covered = d.span.len() * 2 >= line.len();
            match (
                d.date.year.is_some(),
                d.date.month.is_some(),
                d.date.day.is_some(),
            ) {
                (true, true, true) if covered => "full-line",
                (true, true, true) => "full",
                (true, true, false) => "ym",
                (false, true, true) => "md",
                (true, false, false) => "y",
                _ => "part",
            }
        }
    };
    let salute = match lines::salute_len(line, cues) {
        Some(n) if n == line.len() => "whole",
        Some(_) => "start",
        None => "no",
    };
    Facts {
        kind,
        words: lines::words(line),
        end,
        first,
        date,
        salute,
        valediction: lines::is_valediction(line, cues),
        postscript: lines::is_postscript(line, cues),
        name_like: lines::is_name_like(line),
    }
}

/// The feature strings of every line of `dl` (lines of `text`), in order.
pub fn features(text: &str, dl: &[DocLine], cues: &Cues) -> Vec<Vec<String>> {
    features_in(text, dl, 0..dl.len(), cues)
}

/// The feature strings of the lines `range` of `dl`, computed in the context of the whole
/// document (positions count from its start and end; neighbours outside `range` are seen).
pub fn features_in(
    text: &str,
    dl: &[DocLine],
    range: Range<usize>,
    cues: &Cues,
) -> Vec<Vec<String>> {
    let n = dl.len();
    let blocks = dl.last().map(|l| l.block + 1).unwrap_or(0);
    // facts of the range and two lines either side
    let lo = range.start.saturating_sub(2);
    let hi = (range.end + 2).min(n);
    let fs: Vec<Facts> = dl[lo..hi]
        .iter()
        .map(|l| facts(&text[l.span.clone()], cues))
        .collect();
    let fact = |j: usize| &fs[j - lo];
    let speak = speaker_words(cues.lang);
    let narr = narrator_words(cues.lang);
    let mut out = Vec::with_capacity(range.len());
    for i in range {
        let l = &dl[i];
        let line = &text[l.span.clone()];
        let f = fact(i);
        let ws = words_of(line);
        let mut v: Vec<String> = Vec::with_capacity(64);
        v.push("bias".into());
        v.push(format!("kind={}", f.kind));
        v.push(format!(
            "nw={}",
            bucket(f.words, &[1, 2, 3, 5, 8, 12, 20, 40])
        ));
        v.push(format!(
            "nc={}",
            bucket(line.chars().count(), &[5, 15, 30, 50, 80, 120])
        ));
        v.push(format!("end={}", f.end));
        v.push(format!("first={}", f.first));
        v.push(format!("date={}", f.date));
        v.push(format!("salute={}", f.salute));
        if f.valediction {
            v.push("valediction".into());
        }
        if f.postscript {
            v.push("postscript".into());
        }
        if f.name_like {
            v.push("namelike".into());
        }
        // capitals: share of words that start with one
        let caps = line
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
            .count();
        if let Some(share) = (caps * 4).checked_div(f.words) {
            v.push(format!("caps={}", bucket(share, &[0, 1, 2, 3])));
        }
        if line.chars().any(|c| c.is_alphabetic())
            && !line.chars().any(|c| c.is_lowercase())
            && line.chars().filter(|c| c.is_alphabetic()).count() >= 2
        {
            v.push("allcaps".into());
        }
        let digits = line.chars().filter(|c| c.is_ascii_digit()).count();
        v.push(format!("digits={}", bucket(digits, &[0, 2, 4, 8])));
        let lower = line.to_lowercase();
        if cues
            .signed_prefixes
            .iter()
            .any(|p| starts_with_word(&lower, p))
        {
            v.push("signedprefix".into());
        }
        if cues
            .dictated_prefixes
            .iter()
            .any(|p| starts_with_word(&lower, p))
        {
            v.push("dictated".into());
        }
        if cues
            .addressee_prefixes
            .iter()
            .any(|p| starts_with_word(&lower, p))
        {
            v.push("toprefix".into());
        }
        if cues.copy_to.iter().any(|p| lower.contains(p)) {
            v.push("copyto".into());
        }
        let has = |table: &[&str]| ws.iter().any(|w| table.contains(&w.as_str()));
        if has(cues.honorifics) || has(cues.panel_honorifics) {
            v.push("honorific".into());
        }
        if has(cues.post_nominals) {
            v.push("postnominal".into());
        }
        if has(cues.place_words) {
            v.push("placeword".into());
        }
        if has(cues.org_heads) {
            v.push("orghead".into());
        }
        if has(cues.letter_nouns) {
            v.push("letternoun".into());
        }
        if has(cues.address_nouns) {
            v.push("addressnoun".into());
        }
        if has(&cues.months) {
            v.push("month".into());
        }
        if ws
            .iter()
            .any(|w| w.len() >= 3 && cues.weekdays.iter().any(|d| d.starts_with(w.as_str())))
        {
            v.push("weekday".into());
        }
        let sp = ws.iter().filter(|w| speak.contains(&w.as_str())).count();
        let na = ws.iter().filter(|w| narr.contains(&w.as_str())).count();
        v.push(format!("speak={}", bucket(sp, &[0, 1, 3])));
        v.push(format!("narr={}", bucket(na, &[0, 1, 3])));
        let sentences = line.matches(". ").count() + line.matches("? ").count();
        v.push(format!("sent={}", bucket(sentences, &[0, 1, 3])));
        // lexical: first two words, the last word, and their shapes
        if let Some(w) = ws.first() {
            v.push(format!("w0={w}"));
        }
        if ws.len() >= 2 {
            v.push(format!("w01={} {}", ws[0], ws[1]));
        }
        if let Some(w) = ws.last() {
            v.push(format!("wl={w}"));
        }
        if let Some(w) = line.split_whitespace().next() {
            v.push(format!("s0={}", shape(w)));
        }
        if let Some(w) = line.split_whitespace().last() {
            v.push(format!("sl={}", shape(w)));
        }
        // position: in the document, in the block
        v.push(format!("li={}", bucket(i, &[0, 1, 2, 4, 8])));
        v.push(format!("le={}", bucket(n - 1 - i, &[0, 1, 2, 4, 8])));
        v.push(format!("bi={}", bucket(l.block, &[0, 1, 2, 4])));
        v.push(format!(
            "be={}",
            bucket(blocks - 1 - l.block, &[0, 1, 2, 4])
        ));
        v.push(format!("ib={}", bucket(l.in_block, &[0, 1, 2])));
        v.push(format!(
            "ibe={}",
            bucket(l.block_len - 1 - l.in_block, &[0, 1, 2])
        ));
        v.push(format!("bl={}", bucket(l.block_len, &[1, 2, 3, 5, 8])));
        v.push(format!("ind={}", bucket(l.indent, &[0, 3, 12])));
        v.push(format!("lang={}", cues.lang));
        v.push(format!("rule={}", l.rule));
        // conjunctions the linear model cannot form itself: a short name-like line near the
        // end, or right under a valediction, is how signatures look
        let near_end = blocks - 1 - l.block <= 1;
        if f.name_like && near_end {
            v.push("namelike&end".into());
        }
        if f.words <= 3 && near_end {
            v.push(format!("short&end&first={}", f.first));
        }
        if i > 0 && fact(i - 1).valediction {
            v.push(format!(
                "after-valediction&nw={}",
                bucket(f.words, &[1, 3, 6])
            ));
            if f.name_like {
                v.push("after-valediction&namelike".into());
            }
        }
        // neighbours
        for (d, name) in [(-2i64, "-2"), (-1, "-1"), (1, "+1"), (2, "+2")] {
            let j = i as i64 + d;
            if j < 0 || j >= n as i64 {
                v.push(format!("{name}:none"));
                continue;
            }
            let j = j as usize;
            let g = fact(j);
            let same_block = dl[j].block == l.block;
            v.push(format!("{name}:kind={}", g.kind));
            v.push(format!("{name}:rule={}", dl[j].rule));
            v.push(format!("{name}:same={same_block}"));
            if d.abs() == 1 {
                v.push(format!("{name}:nw={}", bucket(g.words, &[1, 3, 8, 20])));
                v.push(format!("{name}:end={}", g.end));
                v.push(format!("{name}:date={}", g.date));
                v.push(format!("{name}:salute={}", g.salute));
                if g.valediction {
                    v.push(format!("{name}:valediction"));
                }
                if g.name_like {
                    v.push(format!("{name}:namelike"));
                }
                if g.postscript {
                    v.push(format!("{name}:postscript"));
                }
                v.push(format!("{name}:first={}", g.first));
            }
        }
        out.push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;

    #[test]
    fn lines_and_blocks() {
        let t = "  London, 3 March 1862\nDear Sir,\n\nI write.\n";
        let dl = doc_lines(t, &ENGLISH);
        assert_eq!(dl.len(), 3);
        assert_eq!(dl[0].indent, 2);
        assert_eq!((dl[1].block, dl[1].in_block, dl[1].block_len), (0, 1, 2));
        assert_eq!(dl[2].block, 1);
    }

    #[test]
    fn cue_features_fire() {
        let t =
            "London, 3 March 1862\nDear Sir,\n\nI write to you.\n\nYours faithfully,\nJohn Smith\n";
        let dl = doc_lines(t, &ENGLISH);
        let f = features(t, &dl, &ENGLISH);
        assert_eq!(dl[4].rule, "c-signed");
        assert!(f[0].contains(&"date=full-line".to_string()));
        assert!(f[1].contains(&"salute=whole".to_string()));
        assert!(f[3].contains(&"valediction".to_string()));
        assert!(f[4].contains(&"namelike".to_string()));
        assert!(f[4].contains(&"-1:valediction".to_string()));
        assert!(f[2].contains(&"speak=2".to_string()));
    }
}
