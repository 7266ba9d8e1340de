//! The TEI renderer against the development sets made from the same editions: every letter of
//! `letters-en-dev`, `letters-en-cody-dev` and `letters-de-dev` `single/` is rendered from its
//! source file (the gold's `source.path`, found through the edition's `MANIFEST.tsv`) with the
//! options the set was made with, and compared with the set's text: identical, identical up to
//! whitespace, and words in order (longest common subsequence of the words). The worst letters
//! are printed with a diff so a person can see why. Also the invented cases of
//! `tests/cases/learn/`: each `NAME.xml` beside `NAME.txt`, its rendering with every line's
//! role (`TEIKIT_BLESS=1` rewrites them).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};
use teikit::encode::learn::render::{render, LineBreaks, NotePolicy, RenderOptions, Rendered};

/// A development set, the edition it was made from, and how it reads.
struct Set {
    name: &'static str,
    edition: &'static str,
    opts: RenderOptions,
    /// Least share of letters identical to the set's text.
    min_identical: f64,
    /// Least share of the set's words found in order in the rendering (and of the rendering's
    /// words found in the set's text).
    min_agreement: f64,
}

fn sets() -> Vec<Set> {
    let joined = RenderOptions {
        line_breaks: LineBreaks::Joined,
        untyped_notes: NotePolicy::Drop,
        keep_editorial: false,
        rejoin_split_paragraphs: true,
    };
    vec![
        Set {
            name: "letters-en-dev",
            edition: "edgeworth",
            opts: joined,
            min_identical: 0.98,
            min_agreement: 0.999,
        },
        Set {
            name: "letters-en-cody-dev",
            edition: "cody",
            opts: RenderOptions {
                untyped_notes: NotePolicy::Keep,
                ..joined
            },
            min_identical: 0.98,
            min_agreement: 0.999,
        },
        Set {
            name: "letters-de-dev",
            edition: "schnitzler-briefe",
            opts: RenderOptions {
                rejoin_split_paragraphs: false,
                ..joined
            },
            min_identical: 0.98,
            min_agreement: 0.999,
        },
    ]
}

/// Source path (as the gold names it) → local file, from the edition's `MANIFEST.tsv`.
fn manifest(edition: &Path) -> HashMap<String, PathBuf> {
    let text = std::fs::read_to_string(edition.join("MANIFEST.tsv"))
        .unwrap_or_else(|e| panic!("{}/MANIFEST.tsv: {e}", edition.display()));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let local = cols.next()?;
            let source = cols.next()?;
            Some((source.to_string(), edition.join(local)))
        })
        .collect()
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// Words of `gold` found in order in `mine` (longest common subsequence, Myers).
fn common_words(gold: &[&str], mine: &[&str]) -> usize {
    capture_diff_slices(Algorithm::Myers, gold, mine)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum()
}

struct Compared {
    file: String,
    gold: String,
    mine: String,
    common: usize,
    gold_words: usize,
    mine_words: usize,
}

impl Compared {
    fn agreement(&self) -> f64 {
        let n = self.gold_words.max(self.mine_words).max(1);
        self.common as f64 / n as f64
    }
}

/// The rendering of `path` closest to `gold` (a file normally holds one letter).
fn best(letters: &[Rendered], gold: &str) -> (String, usize) {
    let g = words(gold);
    letters
        .iter()
        .map(|r| (r.text.clone(), common_words(&g, &words(&r.text))))
        .max_by_key(|(_, c)| *c)
        .unwrap_or_default()
}

#[test]
fn dev_sets_are_rendered_as_they_read() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut failures = Vec::new();
    for set in sets() {
        let dir = shared.join("corpora").join(set.name);
        let edition = shared.join("corpora").join(set.edition);
        let files = manifest(&edition);
        let mut compared = Vec::new();
        for (gold_file, multi) in [("gold.jsonl", false), ("multi-gold.jsonl", true)] {
            let gold = std::fs::read_to_string(dir.join(gold_file))
                .unwrap_or_else(|e| panic!("{}/{gold_file}: {e}", dir.display()));
            for line in gold.lines() {
                let g: Value = serde_json::from_str(line).expect("gold line");
                let file = g["file"].as_str().expect("file").to_string();
                let text = std::fs::read_to_string(dir.join(&file)).expect("set text");
                // A multi-letter document: each letter is a span of its text.
                let letters: Vec<(String, &Value, String)> = if multi {
                    g["letters"]
                        .as_array()
                        .expect("letters")
                        .iter()
                        .map(|l| {
                            let span = l["start_byte"].as_u64().expect("start") as usize
                                ..l["end_byte"].as_u64().expect("end") as usize;
                            let id = format!("{file}#{}", l["order"]);
                            (id, l, format!("{}\n", &text[span]))
                        })
                        .collect()
                } else {
                    vec![(file.clone(), &g, text.clone())]
                };
                for (id, l, expected) in letters {
                    let source = l["source"]["path"].as_str().expect("source.path");
                    let local = files
                        .get(source)
                        .unwrap_or_else(|| panic!("{source}: not in {}/MANIFEST.tsv", set.edition));
                    let xml = std::fs::read_to_string(local).expect("source TEI");
                    let mine = match render(&xml, &set.opts) {
                        Ok(letters) => best(&letters, &expected).0,
                        Err(e) => format!("<error: {e}>"),
                    };
                    let (gw, mw) = (words(&expected), words(&mine));
                    compared.push(Compared {
                        file: id,
                        common: common_words(&gw, &mw),
                        gold_words: gw.len(),
                        mine_words: mw.len(),
                        gold: expected,
                        mine,
                    });
                }
            }
        }
        let n = compared.len();
        let identical = compared.iter().filter(|c| c.gold == c.mine).count();
        let same_words = compared
            .iter()
            .filter(|c| words(&c.gold) == words(&c.mine))
            .count();
        let common: usize = compared.iter().map(|c| c.common).sum();
        let gold_words: usize = compared.iter().map(|c| c.gold_words).sum();
        let mine_words: usize = compared.iter().map(|c| c.mine_words).sum();
        let recall = common as f64 / gold_words.max(1) as f64;
        let precision = common as f64 / mine_words.max(1) as f64;
        println!(
            "{}: {n} letters, identical {identical}, identical up to whitespace {same_words}, \
             words in order: {:.2}% of the set's ({common}/{gold_words}), {:.2}% of the rendering's ({common}/{mine_words})",
            set.name,
            100.0 * recall,
            100.0 * precision,
        );
        compared.sort_by(|a, b| a.agreement().total_cmp(&b.agreement()));
        let show: usize = std::env::var("LEARN_RENDER_SHOW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        for c in compared.iter().filter(|c| c.gold != c.mine).take(show) {
            println!(
                "--- {}/{} (set) vs rendering: {:.1}% words in order",
                set.name,
                c.file,
                100.0 * c.agreement()
            );
            let diff = TextDiff::from_lines(&c.gold, &c.mine);
            for change in diff
                .iter_all_changes()
                .filter(|ch| ch.tag() != ChangeTag::Equal)
                .take(12)
            {
                let sign = if change.tag() == ChangeTag::Delete {
                    "-"
                } else {
                    "+"
                };
                let text: String = change.value().chars().take(160).collect();
                println!("{sign} {}", text.trim_end());
            }
        }
        let share = identical as f64 / n.max(1) as f64;
        if share < set.min_identical {
            failures.push(format!(
                "{}: {:.1}% identical, below the floor {:.1}%",
                set.name,
                100.0 * share,
                100.0 * set.min_identical
            ));
        }
        if recall.min(precision) < set.min_agreement {
            failures.push(format!(
                "{}: words in order {:.2}%/{:.2}%, below the floor {:.2}%",
                set.name,
                100.0 * recall,
                100.0 * precision,
                100.0 * set.min_agreement
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The options a case asks for in a comment `<!-- render: untyped-notes=keep keep-editorial
/// lines=kept no-rejoin -->` (defaults otherwise).
fn case_options(xml: &str) -> RenderOptions {
    let mut opts = RenderOptions::default();
    let Some(rest) = xml.split("<!-- render:").nth(1) else {
        return opts;
    };
    for word in rest.split("-->").next().unwrap_or("").split_whitespace() {
        match word {
            "untyped-notes=keep" => opts.untyped_notes = NotePolicy::Keep,
            "keep-editorial" => opts.keep_editorial = true,
            "lines=kept" => opts.line_breaks = LineBreaks::Kept,
            "no-rejoin" => opts.rejoin_split_paragraphs = false,
            other => panic!("unknown render option {other}"),
        }
    }
    opts
}

/// A case's rendering as a person reads it: each letter's lines with their roles (mixed lines
/// with their spans), the letter's facts, then the file's narrative passages.
fn show_case(xml: &str) -> String {
    use std::fmt::Write;
    let opts = case_options(xml);
    let mut out = String::new();
    let letters = match render(xml, &opts) {
        Ok(l) => l,
        Err(e) => return format!("error: {e}\n"),
    };
    for (i, r) in letters.iter().enumerate() {
        writeln!(
            out,
            "== letter {} (id {}, lang {}, part markup {})",
            i + 1,
            r.id.as_deref().unwrap_or("-"),
            r.lang.as_deref().unwrap_or("-"),
            r.part_markup
        )
        .unwrap();
        let mut last_end = None;
        for line in &r.lines {
            if last_end.is_some_and(|e: usize| line.range.start > e + 1) {
                writeln!(out, "{:>14} |", "").unwrap();
            }
            writeln!(out, "{:>14} | {}", line.role.name(), r.line_text(line)).unwrap();
            for span in &line.spans {
                writeln!(
                    out,
                    "{:>14} |   [{}] {}",
                    "",
                    span.role.name(),
                    &r.text[span.range.clone()]
                )
                .unwrap();
            }
            last_end = Some(line.range.end);
        }
        match &r.facts {
            None => writeln!(out, "facts: none").unwrap(),
            Some(f) => {
                let parties = |ps: &[teikit::encode::learn::render::Party]| {
                    ps.iter()
                        .map(|p| {
                            format!(
                                "{} ({:?}, ref {}, label {}, from {:?})",
                                p.name,
                                p.kind,
                                p.reference.as_deref().unwrap_or("-"),
                                p.label.as_deref().unwrap_or("-"),
                                p.source
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                writeln!(out, "senders: {}", parties(&f.senders)).unwrap();
                writeln!(out, "addressees: {}", parties(&f.addressees)).unwrap();
                if let Some(d) = &f.date {
                    writeln!(
                        out,
                        "date: {} {:?} (from {:?})",
                        d.spec.display(),
                        d.text,
                        d.source
                    )
                    .unwrap();
                }
                if let Some(p) = &f.place {
                    writeln!(
                        out,
                        "place: {} (ref {}, from {:?})",
                        p.name,
                        p.reference.as_deref().unwrap_or("-"),
                        p.source
                    )
                    .unwrap();
                }
            }
        }
    }
    let passages = teikit::encode::learn::render::narrative_passages(xml);
    if !passages.is_empty() {
        writeln!(out, "== narrative passages").unwrap();
        for p in passages {
            writeln!(out, "- {p}").unwrap();
        }
    }
    out
}

#[test]
fn invented_cases_render_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/learn");
    let bless = std::env::var("TEIKIT_BLESS").is_ok();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases/learn")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    let mut failures = Vec::new();
    for xml_path in names {
        let name = xml_path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} has no line in tests/cases/learn/README.md"
        );
        let xml = std::fs::read_to_string(&xml_path).unwrap();
        let got = show_case(&xml);
        let expected_path = xml_path.with_extension("txt");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if got != expected {
            failures.push(format!("{name}:\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "cases differ (TEIKIT_BLESS=1 to rewrite, then review the diff):\n{}",
        failures.join("\n")
    );
}
