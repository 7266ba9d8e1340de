//! Scoring the encoder on a development set (`gold.jsonl` + `single/`, `multi-gold.jsonl` +
//! `multi/`), as `eval_letters` prints it and `loeo` tabulates it.

use super::{date_match, main_letter, people_match, people_match_loose, place_match, Score};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use teikit::encode::chronology::{self, Chronology, Fill};
use teikit::encode::{encode, reading, EncodeOptions, LetterSummary};

/// Every measure of one set.
#[derive(Default)]
pub struct SetScores {
    /// Files read.
    pub files: usize,
    /// Files the encoder refused.
    pub failures: usize,
    /// Date of writing.
    pub date: Score,
    /// A sender's surname among the names found.
    pub sender: Score,
    /// An addressee's surname among the names found.
    pub addressee: Score,
    /// Place of writing.
    pub place: Score,
    /// Sender, a first name accepted.
    pub sender_loose: Score,
    /// Addressee, a first name accepted.
    pub addressee_loose: Score,
    /// Single files detected as German / English.
    pub lang: (usize, usize),
    /// Letters found in `multi/` matched to a gold letter / letters found.
    pub boundary_precision: Score,
    /// Gold letters of `multi/` matched / gold letters.
    pub boundary_recall: Score,
    /// Words of the source found in order in the encoding / words of the source.
    pub words_kept: Score,
    /// Letters whose year was taken from their neighbours: date right / scored.
    pub filled: Score,
    /// Letters without a written month dated between their neighbours: date right / scored.
    pub spanned: Score,
}

impl SetScores {
    /// Boundary F1 (multi/), when there are boundaries to score.
    pub fn boundary_f1(&self) -> Option<f64> {
        let p = self.boundary_precision.ok as f64 / self.boundary_precision.n.max(1) as f64;
        let r = self.boundary_recall.ok as f64 / self.boundary_recall.n.max(1) as f64;
        (self.boundary_recall.n > 0 && p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
}

fn read_jsonl(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Years from the neighbouring letters, per file of `single/` (its label in the gold).
pub type Years = HashMap<String, Vec<Option<Fill>>>;

/// The years a collection pass takes from the neighbouring letters for the set in `dir`: the
/// collection is the set's `single/` files in file-name order, or, with `shuffle`, in an order
/// shuffled with that seed (the control: the order check must refuse it). A first pass reads
/// each file's letters (no gold is read); [`chronology::from_neighbours`] judges the order and
/// fills. The `multi/` documents are not part of the collection.
pub fn years_for_set(
    dir: &Path,
    opts: &EncodeOptions,
    shuffle: Option<u64>,
) -> (Years, Chronology) {
    let mut paths: Vec<_> = std::fs::read_dir(dir.join("single"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "txt"));
    paths.sort();
    if let Some(seed) = shuffle {
        // Fisher-Yates with a fixed linear congruential generator: the same order every run
        let mut state = seed;
        for i in (1..paths.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = ((state >> 33) % (i as u64 + 1)) as usize;
            paths.swap(i, j);
        }
    }
    let first: Vec<(String, Vec<LetterSummary>)> = paths
        .iter()
        .map(|p| {
            let label = format!(
                "single/{}",
                p.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            let letters = std::fs::read_to_string(p)
                .ok()
                .and_then(|t| encode(&t, None, opts).ok())
                .map(|e| e.letters)
                .unwrap_or_default();
            (label, letters)
        })
        .collect();
    let written: Vec<_> = first
        .iter()
        .flat_map(|(_, ls)| ls.iter().map(|l| l.written_date))
        .collect();
    let c = chronology::from_neighbours(&written);
    if std::env::var("CHRONO_DEBUG").is_ok() {
        let mut k = 0;
        for (label, ls) in &first {
            for l in ls {
                eprintln!(
                    "{label} {:?} {:?} {:?}",
                    l.written_date
                        .and_then(|d| d.iso())
                        .or(l.written_date.map(|d| format!("{d:?}"))),
                    l.written_date.and_then(|d| d.short_year),
                    c.fills[k].map(|f| f.year)
                );
                k += 1;
            }
        }
    }
    let mut fills = c.fills.iter().copied();
    let years = first
        .iter()
        .map(|(label, ls)| (label.clone(), fills.by_ref().take(ls.len()).collect()))
        .collect();
    (years, c)
}

/// The correspondent the letters of a set centre on, found by a first pass over its texts
/// (single and multi files alike; no gold is read).
pub fn infer_for_set(
    dir: &Path,
    opts: &EncodeOptions,
) -> Option<teikit::encode::collection::Correspondent> {
    let mut letters = Vec::new();
    for sub in ["single", "multi"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        {
            if let Ok(text) = std::fs::read_to_string(p) {
                if let Ok(e) = encode(&text, None, opts) {
                    letters.extend(e.letters);
                }
            }
        }
    }
    teikit::encode::collection::infer_correspondent(&letters)
}

/// Which files of a set are scored: all, or the odd- or even-numbered half by the number in
/// the file's name (`single/001.txt` and `multi/m01.txt` are odd). Developing on one half and
/// keeping the other unread gives a held-out measure on the same set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Half {
    /// Every file.
    #[default]
    All,
    /// `001`, `003`, … and `m01`, `m03`, …
    Odd,
    /// `002`, `004`, … and `m02`, `m04`, …
    Even,
}

impl Half {
    /// `odd`, `even` or `all`.
    pub fn parse(s: &str) -> Option<Half> {
        match s {
            "all" => Some(Half::All),
            "odd" => Some(Half::Odd),
            "even" => Some(Half::Even),
            _ => None,
        }
    }

    /// Whether the file `label` (`single/003.txt`) is in this half; a name without a number
    /// is in [`Half::All`] only.
    pub fn admits(self, label: &str) -> bool {
        if self == Half::All {
            return true;
        }
        let stem = Path::new(label)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let digits: String = stem.chars().filter(|c| c.is_ascii_digit()).collect();
        match digits.parse::<u64>() {
            Ok(n) => (n % 2 == 1) == (self == Half::Odd),
            Err(_) => false,
        }
    }
}

/// Scores the encoder with `opts` on the files of the set in `dir` that `half` admits;
/// `verbose` prints a line per letter. `years`: years from the neighbouring letters per single
/// file ([`years_for_set`], which always reads the whole set: neighbours are context, not
/// scored).
pub fn eval_set(
    dir: &Path,
    opts: &EncodeOptions,
    years: &Years,
    half: Half,
    verbose: bool,
) -> SetScores {
    let mut s = SetScores::default();
    let empty = Vec::new();
    let score_letter = |s: &mut SetScores,
                        gold: &Value,
                        mine: Option<&LetterSummary>,
                        label: &str| {
        let d = date_match(&gold["date"], mine.and_then(|m| m.date.as_deref()));
        let senders = mine.map(|m| &m.senders).unwrap_or(&empty);
        let addressees = mine.map(|m| &m.addressees).unwrap_or(&empty);
        let se = people_match(&gold["senders"], senders);
        let a = people_match(&gold["addressees"], addressees);
        let p = place_match(&gold["place"], mine.and_then(|m| m.place.as_deref()));
        if verbose {
            let flag = |r: Option<bool>| match r {
                Some(true) => "ok",
                Some(false) => "XX",
                None => "--",
            };
            println!(
                    "{label}: date {} {:?} vs {} | sender {} {:?} | addr {} {:?} (forename {}) | place {} {:?}",
                    flag(d),
                    mine.and_then(|m| m.date.clone()),
                    gold["date"]["when"],
                    flag(se),
                    mine.map(|m| m.senders.clone()),
                    flag(a),
                    mine.map(|m| m.addressees.clone()),
                    flag(people_match_loose(&gold["addressees"], addressees)),
                    flag(p),
                    mine.and_then(|m| m.place.clone())
                );
        }
        s.date.add(d);
        s.sender.add(se);
        s.addressee.add(a);
        s.place.add(p);
        s.sender_loose
            .add(people_match_loose(&gold["senders"], senders));
        s.addressee_loose
            .add(people_match_loose(&gold["addressees"], addressees));
    };
    let count_words = |s: &mut SetScores, text: &str, xml: Option<&str>| {
        let total = reading::words(text).len();
        let kept = xml
            .and_then(|x| reading::diplomatic(x).ok())
            .map(|r| reading::words_kept(text, &r).0)
            .unwrap_or(0);
        s.words_kept.ok += kept;
        s.words_kept.n += total;
    };
    for g in read_jsonl(&dir.join("gold.jsonl")) {
        let label = g["file"].as_str().unwrap_or("").to_string();
        if !half.admits(&label) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dir.join(&label)) else {
            continue;
        };
        s.files += 1;
        let mut opts = opts.clone();
        opts.neighbour_years = years.get(&label).cloned().unwrap_or_default();
        match encode(&text, None, &opts) {
            Ok(e) => {
                let main = main_letter(&e.letters);
                let fill = main.and_then(|m| opts.neighbour_years.get(m.n - 1).copied().flatten());
                let right = || date_match(&g["date"], main.and_then(|m| m.date.as_deref()));
                match fill {
                    Some(f) if f.whole => s.spanned.add(right()),
                    Some(_) => s.filled.add(right()),
                    None => {}
                }
                let head: String = e.xml.chars().take(400).collect();
                if head.contains("xml:lang=\"de\"") {
                    s.lang.0 += 1;
                } else if head.contains("xml:lang=\"en\"") {
                    s.lang.1 += 1;
                }
                count_words(&mut s, &text, Some(&e.xml));
                score_letter(&mut s, &g, main_letter(&e.letters), &label);
            }
            Err(_) => {
                s.failures += 1;
                count_words(&mut s, &text, None);
                score_letter(&mut s, &g, None, &label);
            }
        }
    }
    for g in read_jsonl(&dir.join("multi-gold.jsonl")) {
        let label = g["file"].as_str().unwrap_or("").to_string();
        if !half.admits(&label) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dir.join(&label)) else {
            continue;
        };
        s.files += 1;
        let golds: Vec<&Value> = g["letters"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        s.boundary_recall.n += golds.len();
        let e = match encode(&text, None, opts) {
            Ok(e) => e,
            Err(_) => {
                s.failures += 1;
                count_words(&mut s, &text, None);
                for gl in &golds {
                    score_letter(&mut s, gl, None, &label);
                }
                continue;
            }
        };
        count_words(&mut s, &text, Some(&e.xml));
        s.boundary_precision.n += e.letters.len();
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
                .map(|(i, &(st, en))| {
                    let inter = en.min(ge).saturating_sub(st.max(gs));
                    let uni = en.max(ge) - st.min(gs);
                    (i, inter as f64 / uni.max(1) as f64)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let id = gl["id"].as_str().unwrap_or("").to_string();
            match best {
                Some((i, iou)) if iou >= 0.5 => {
                    used[i] = true;
                    s.boundary_recall.ok += 1;
                    s.boundary_precision.ok += 1;
                    score_letter(&mut s, gl, Some(&e.letters[i]), &id);
                }
                _ => score_letter(&mut s, gl, None, &id),
            }
        }
    }
    s
}
