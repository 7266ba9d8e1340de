//! Scores the readers of letter parts — `encode::address` (salutations, signatures, address
//! blocks) and `encode::dates` (datelines) — on TEI editions whose parts are marked up:
//! `cargo run --release --example eval_parts -- DIR...` (e.g. `$TEIKIT_SHARED/corpora/edgeworth`).
//!
//! The roles come from the edition (`opener/salute`, `closer/signed`, `address`, `dateline`),
//! so this measures the names and dates read from lines whose role is known, apart from any
//! tagger. Gold people are the `correspAction` names (else the `titleStmt` title's "Letter
//! from X to Y"), matched on the surname (the part before a comma, else the last word) or, in
//! the looser row, on any word; the gold date is the sent action's `@when`, else the `@when`
//! the edition gives the dateline's date, matched at the precision the dateline gives.

use roxmltree::{Document, Node};
use std::path::{Path, PathBuf};
use teikit::encode::address::{address_block, salutation, signature};
use teikit::encode::cues::{detect, Cues};
use teikit::encode::dates::{find_dates, in_window, DEFAULT_TWO_DIGIT_WINDOW};

const TEI: &str = "http://www.tei-c.org/ns/1.0";

/// The text of `n` as a transcription reads: line breaks at `lb`, notes and deletions left out,
/// the reading of a `choice` (its `expan`, `reg` or `corr`).
fn text(n: Node, out: &mut String) {
    for c in n.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
            continue;
        }
        match c.tag_name().name() {
            "lb" => out.push('\n'),
            "addrLine" => {
                out.push('\n');
                text(c, out);
                out.push('\n');
            }
            "note" | "del" | "abbr" | "sic" | "orig" | "fw" | "pb" => {}
            _ => text(c, out),
        }
    }
}

fn text_of(n: Node) -> String {
    let mut s = String::new();
    text(n, &mut s);
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Surname keys of a gold name ("Schnitzler, Arthur" → "schnitzler"; "Mrs. Miles" → "miles").
fn surname(name: &str) -> String {
    let n = name.split(['(', '[']).next().unwrap_or("");
    match n.split_once(',') {
        Some((s, _)) => norm(s),
        None => norm(n.split_whitespace().last().unwrap_or("")),
    }
}

fn words(name: &str) -> Vec<String> {
    name.split([' ', ','])
        .map(norm)
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

#[derive(Default)]
struct Score {
    ok: usize,
    loose: usize,
    named: usize,
    n: usize,
}

impl Score {
    /// Scores the names read against the gold names; `None` when nothing was there to read.
    fn add(&mut self, gold: &[String], mine: &[String], source: &str) {
        if gold.is_empty() {
            return;
        }
        if std::env::var("EVAL_VERBOSE").is_ok() {
            let all: Vec<String> = gold.iter().flat_map(|g| words(g)).collect();
            if !mine
                .iter()
                .any(|m| words(m).iter().any(|w| all.contains(w)))
            {
                println!("miss: {source:?} -> {mine:?} (gold {gold:?})");
            }
        }
        self.n += 1;
        if !mine.is_empty() {
            self.named += 1;
        }
        let keys: Vec<String> = gold.iter().map(|g| surname(g)).collect();
        let all: Vec<String> = gold.iter().flat_map(|g| words(g)).collect();
        if mine.iter().any(|m| {
            let last = norm(m.split_whitespace().last().unwrap_or(""));
            keys.contains(&last)
        }) {
            self.ok += 1;
        }
        if mine
            .iter()
            .any(|m| words(m).iter().any(|w| all.contains(w)))
        {
            self.loose += 1;
        }
    }

    fn row(&self, what: &str) -> String {
        let p = |a: usize| {
            if self.n == 0 {
                "n/a".to_string()
            } else {
                format!("{:5.1}% ({a}/{})", 100.0 * a as f64 / self.n as f64, self.n)
            }
        };
        format!(
            "| {what} | {} | {} | {} |",
            p(self.ok),
            p(self.loose),
            p(self.named)
        )
    }
}

fn tei<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.descendants()
        .filter(move |d| d.tag_name().namespace() == Some(TEI) && d.tag_name().name() == name)
}

/// Gold senders and addressees: `correspAction` names, else the title's "Letter from X to Y".
fn gold_people(doc: &Document) -> (Vec<String>, Vec<String>) {
    let root = doc.root_element();
    let mut sent = Vec::new();
    let mut recv = Vec::new();
    for a in tei(root, "correspAction") {
        let names: Vec<String> = a
            .children()
            .filter(|c| matches!(c.tag_name().name(), "persName" | "orgName" | "name"))
            .map(text_of)
            .filter(|s| !s.is_empty())
            .collect();
        match a.attribute("type") {
            Some("sent") => sent.extend(names),
            Some("received") => recv.extend(names),
            _ => {}
        }
    }
    if sent.is_empty() && recv.is_empty() {
        if let Some(t) = tei(root, "title").next().map(text_of) {
            let t = t.replace('\n', " ");
            if let Some(rest) = t.split(" from ").nth(1) {
                let (from, to) = rest.split_once(" to ").unwrap_or((rest, ""));
                sent.push(from.split(',').next().unwrap_or("").trim().to_string());
                if !to.is_empty() {
                    recv.push(to.split(',').next().unwrap_or("").trim().to_string());
                }
            }
        }
    }
    (sent, recv)
}

fn gold_date(doc: &Document) -> Option<String> {
    tei(doc.root_element(), "correspAction")
        .filter(|a| a.attribute("type") == Some("sent"))
        .flat_map(|a| tei(a, "date").collect::<Vec<_>>())
        .find_map(|d| d.attribute("when").map(str::to_string))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
}

fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: eval_parts DIR...   (TEI editions with opener/closer markup)");
        std::process::exit(2);
    }
    for dir in dirs {
        let mut all = Vec::new();
        files(&dir, &mut all);
        let (mut salute, mut signed, mut address) =
            (Score::default(), Score::default(), Score::default());
        let (mut date_ok, mut date_n, mut date_read) = (0usize, 0usize, 0usize);
        for f in &all {
            let Ok(src) = std::fs::read_to_string(f) else {
                continue;
            };
            let Ok(doc) = Document::parse_with_options(
                &src,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                },
            ) else {
                continue;
            };
            let Some(body) = tei(doc.root_element(), "text").next() else {
                continue;
            };
            let cues: &Cues = detect(&text_of(body));
            let (sent, recv) = gold_people(&doc);
            // salutations in the opener
            let salutes: Vec<String> = tei(body, "opener")
                .flat_map(|o| tei(o, "salute").collect::<Vec<_>>())
                .map(text_of)
                .collect();
            if !salutes.is_empty() {
                let mine: Vec<String> = salutes
                    .iter()
                    .filter_map(|s| salutation(s, cues).person.map(|p| p.full))
                    .collect();
                salute.add(&recv, &mine, &salutes.join(" / "));
            }
            let sigs: Vec<String> = tei(body, "signed").map(text_of).collect();
            if !sigs.is_empty() {
                let mine: Vec<String> = sigs
                    .iter()
                    .flat_map(|s| {
                        let lines: Vec<&str> = s.lines().collect();
                        signature(&lines, cues).persons
                    })
                    .map(|p| p.full)
                    .collect();
                signed.add(&sent, &mine, &sigs.join(" / "));
            }
            let addrs: Vec<String> = tei(body, "address").map(text_of).collect();
            if !addrs.is_empty() {
                let mine: Vec<String> = addrs
                    .iter()
                    .flat_map(|s| {
                        let lines: Vec<&str> = s.lines().collect();
                        address_block(&lines, cues).addressees
                    })
                    .map(|p| p.full)
                    .collect();
                address.add(&recv, &mine, &addrs.join(" / "));
            }
            let dateline = tei(body, "dateline").next();
            // the gold date: the sent action's, else the edition's reading of the dateline
            let gold = gold_date(&doc).or_else(|| {
                dateline.and_then(|d| {
                    tei(d, "date").find_map(|x| x.attribute("when").map(str::to_string))
                })
            });
            if let (Some(g), Some(dl)) = (gold, dateline) {
                date_n += 1;
                let t = text_of(dl);
                let m = find_dates(&t, cues)
                    .into_iter()
                    .max_by_key(|m| {
                        (m.date.year.is_some() || m.date.short_year.is_some()) as u8 * 4
                            + m.date.month.is_some() as u8 * 2
                            + m.date.day.is_some() as u8
                    })
                    .and_then(|m| in_window(m.date, DEFAULT_TWO_DIGIT_WINDOW).iso());
                if let Some(iso) = m {
                    date_read += 1;
                    let md = iso.trim_start_matches('-');
                    if g.starts_with(&iso) || (iso.starts_with("--") && g.ends_with(md)) {
                        date_ok += 1;
                    }
                }
            }
        }
        println!("\n{} ({} files)\n", dir.display(), all.len());
        println!("| part | surname | any word | a name read |");
        println!("| --- | --: | --: | --: |");
        println!("{}", salute.row("opener/salute → addressee"));
        println!("{}", signed.row("signed → sender"));
        println!("{}", address.row("address → addressee"));
        let p = |a: usize| {
            if date_n == 0 {
                "n/a".into()
            } else {
                format!("{:5.1}% ({a}/{date_n})", 100.0 * a as f64 / date_n as f64)
            }
        };
        println!(
            "| dateline → date (at its precision) | {} | | {} |",
            p(date_ok),
            p(date_read)
        );
    }
}
