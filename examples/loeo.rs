//! Leave one edition out: for each TEI edition with part markup in `$TEIKIT_SHARED/corpora`,
//! train a line-role model on all the others, and measure on the one left out only:
//! line roles (accuracy, per-role precision and recall), the development set made from it (if
//! any: date, sender, addressee, place, boundaries, words kept) and the round trip on the
//! edition itself (every letter rendered to text, encoded, compared with the edition's own
//! facts). escher, which has no part markup, is measured with the model trained on all four.
//! The hand-written rules (`--rules`) are measured on the same sets for comparison, and the
//! learned layout once more with the collection's correspondent found in a first pass over
//! the set's own texts ("learned + collection"; no gold read), which also takes years from the
//! neighbouring letters (the set's single files in their order, checked for date order), and
//! with those files shuffled ("shuffled order": the control, where the order check must
//! refuse).
//!
//! `--half odd|even` scores only that half of each development set's files (`single/001.txt`
//! and `multi/m01.txt` are odd); the round trip always reads the whole edition.
//!
//! `cargo run --release --example loeo [-- --iterations N] [--half odd|even]`

mod scoring;

use scoring::sets::{eval_set, infer_for_set, years_for_set, Half, SetScores, Years};
use scoring::{date_match, main_letter, people_match, place_match, Score};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use teikit::encode::learn::render::{read_edition, RenderOptions};
use teikit::encode::learn::{corpus, features, train, LineRole, Model, TrainOptions};
use teikit::encode::{cues, encode, EncodeOptions};

/// The seed of the shuffled order the years-from-neighbours control runs on.
const SHUFFLE_SEED: u64 = 9;

/// An edition of the shared corpora: its folder, and the development set made from it.
struct Edition {
    name: &'static str,
    dev: Option<&'static str>,
}

const EDITIONS: [Edition; 4] = [
    Edition {
        name: "edgeworth",
        dev: Some("letters-en-dev"),
    },
    Edition {
        name: "cody",
        dev: Some("letters-en-cody-dev"),
    },
    Edition {
        name: "schnitzler-briefe",
        dev: Some("letters-de-dev"),
    },
    Edition {
        name: "jean-paul",
        dev: None,
    },
];

fn letters_dir(shared: &Path, name: &str) -> PathBuf {
    shared.join("corpora").join(name).join("letters")
}

/// Line-role accuracy of `model` on the letters (with part markup) of `dir`.
struct RoleScores {
    ok: usize,
    n: usize,
    /// (gold, predicted) counts, indexed by role.
    confusion: Vec<Vec<usize>>,
}

fn role_scores(model: &Model, dir: &Path) -> RoleScores {
    let k = LineRole::ALL.len();
    let mut s = RoleScores {
        ok: 0,
        n: 0,
        confusion: vec![vec![0; k]; k],
    };
    let idx = |r: LineRole| LineRole::ALL.iter().position(|x| *x == r).unwrap_or(0);
    let edition = read_edition(dir, &RenderOptions::default());
    for l in edition.letters.iter().filter(|l| l.rendered.part_markup) {
        let r = &l.rendered;
        let c = match r.lang.as_deref() {
            Some("de") => &cues::GERMAN,
            Some("en") => &cues::ENGLISH,
            _ => cues::detect(&r.text),
        };
        let dl = features::doc_lines(&r.text, c);
        if dl.len() != r.lines.len() {
            continue;
        }
        for (gold, got) in r.lines.iter().zip(model.tag(&r.text, &dl, c)) {
            s.n += 1;
            s.ok += usize::from(gold.role == got);
            s.confusion[idx(gold.role)][idx(got)] += 1;
        }
    }
    s
}

/// Round trip: date, sender, addressee, place over the letters of `dir` that have facts.
/// `collection`: a first pass over all the rendered letters finds the correspondent the
/// edition centres on (no facts read), as `teikit encode --correspondent auto` would.
fn round_trip(dir: &Path, opts: &EncodeOptions, collection: bool) -> [Score; 4] {
    let mut s: [Score; 4] = Default::default();
    let empty = Vec::new();
    let edition = read_edition(dir, &RenderOptions::default());
    let mut opts = opts.clone();
    if collection {
        let first: Vec<_> = edition
            .letters
            .iter()
            .filter_map(|l| encode(&l.rendered.text, None, &opts).ok())
            .flat_map(|e| e.letters)
            .collect();
        opts.correspondent = teikit::encode::collection::infer_correspondent(&first);
        eprintln!(
            "loeo: {}: correspondent {:?}",
            dir.display(),
            opts.correspondent
        );
    }
    let opts = &opts;
    for l in &edition.letters {
        let Some(facts) = &l.rendered.facts else {
            continue;
        };
        let g = scoring::gold_of(facts);
        let e = encode(&l.rendered.text, None, opts).ok();
        let mine = e.as_ref().and_then(|e| main_letter(&e.letters));
        s[0].add(date_match(&g["date"], mine.and_then(|m| m.date.as_deref())));
        s[1].add(people_match(
            &g["senders"],
            mine.map_or(&empty, |m| &m.senders),
        ));
        s[2].add(people_match(
            &g["addressees"],
            mine.map_or(&empty, |m| &m.addressees),
        ));
        s[3].add(place_match(
            &g["place"],
            mine.and_then(|m| m.place.as_deref()),
        ));
    }
    s
}

fn pct(s: &Score) -> String {
    if s.n == 0 {
        "n/a".into()
    } else {
        format!("{:.1}", 100.0 * s.ok as f64 / s.n as f64)
    }
}

fn dev_row(name: &str, how: &str, s: &SetScores) {
    println!(
        "| {name} | {how} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        pct(&s.date),
        pct(&s.sender),
        pct(&s.addressee),
        pct(&s.place),
        pct(&s.sender_loose),
        pct(&s.addressee_loose),
        s.boundary_f1().map_or("n/a".into(), |f| format!("{f:.3}")),
        pct(&s.words_kept),
        if s.filled.n == 0 {
            "–".to_string()
        } else {
            format!("{}/{}", s.filled.ok, s.filled.n)
        },
        if s.spanned.n == 0 {
            "–".to_string()
        } else {
            format!("{}/{}", s.spanned.ok, s.spanned.n)
        },
    );
}

fn main() {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED").map(PathBuf::from) else {
        eprintln!("loeo: set TEIKIT_SHARED to the shared folder");
        std::process::exit(2);
    };
    let mut opts = TrainOptions::default();
    let mut half = Half::All;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--iterations" {
            opts.max_iterations = args
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(opts.max_iterations);
        } else if a == "--half" {
            let Some(h) = args.next().as_deref().and_then(Half::parse) else {
                eprintln!("loeo: --half takes odd, even or all");
                std::process::exit(2);
            };
            half = h;
        }
    }
    let mut dev_rows = Vec::new();
    let mut trip_rows = Vec::new();
    let mut role_rows = Vec::new();
    for held in &EDITIONS {
        let train_dirs: Vec<PathBuf> = EDITIONS
            .iter()
            .filter(|e| e.name != held.name)
            .map(|e| letters_dir(&shared, e.name))
            .collect();
        let started = Instant::now();
        let set = corpus::from_editions(&train_dirs);
        let model = match train(&set.docs, &opts) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("loeo: training without {}: {e}", held.name);
                std::process::exit(1);
            }
        };
        eprintln!(
            "loeo: without {}: {} letters, {} lines, trained in {:.1} s, {} bytes",
            held.name,
            model.info().letters,
            model.info().lines,
            started.elapsed().as_secs_f64(),
            model.to_bytes().len()
        );
        let dir = letters_dir(&shared, held.name);
        role_rows.push((held.name, role_scores(&model, &dir)));
        let learned = EncodeOptions {
            model: Some(Arc::new(model)),
            ..Default::default()
        };
        let rules = EncodeOptions {
            rules_only: true,
            ..Default::default()
        };
        if let Some(dev) = held.dev {
            let d = shared.join("corpora").join(dev);
            let none = Years::new();
            dev_rows.push((dev, "learned", eval_set(&d, &learned, &none, half, false)));
            dev_rows.push((dev, "rules", eval_set(&d, &rules, &none, half, false)));
            let mut grouped = learned.clone();
            grouped.correspondent = infer_for_set(&d, &learned);
            eprintln!("loeo: {dev}: correspondent {:?}", grouped.correspondent);
            // years from the neighbours: the files in their order, and shuffled (the control)
            let (years, c) = years_for_set(&d, &grouped, None);
            let (shuffled, cs) = years_for_set(&d, &grouped, Some(SHUFFLE_SEED));
            eprintln!(
                "loeo: {dev}: order {}/{} rising, in order {}, {} of {} filled, {} of {} undated spanned; shuffled {}/{}, in order {}, {} filled, {} spanned",
                c.rising, c.pairs, c.in_order, c.filled(), c.open, c.spanned(), c.undated,
                cs.rising, cs.pairs, cs.in_order, cs.filled(), cs.spanned()
            );
            dev_rows.push((
                dev,
                "learned + collection",
                eval_set(&d, &grouped, &years, half, false),
            ));
            dev_rows.push((
                dev,
                "learned + collection, shuffled order",
                eval_set(&d, &grouped, &shuffled, half, false),
            ));
        }
        trip_rows.push((held.name, "learned", round_trip(&dir, &learned, false)));
        trip_rows.push((held.name, "rules", round_trip(&dir, &rules, false)));
        trip_rows.push((
            held.name,
            "learned + collection",
            round_trip(&dir, &learned, true),
        ));
    }
    // escher: never in training (no part markup); the model of all four
    let all: Vec<PathBuf> = EDITIONS
        .iter()
        .map(|e| letters_dir(&shared, e.name))
        .collect();
    if let Ok(model) = train(&corpus::from_editions(&all).docs, &opts) {
        let dir = letters_dir(&shared, "escher");
        let learned = EncodeOptions {
            model: Some(Arc::new(model)),
            ..Default::default()
        };
        trip_rows.push(("escher", "learned", round_trip(&dir, &learned, false)));
        trip_rows.push((
            "escher",
            "learned + collection",
            round_trip(&dir, &learned, true),
        ));
        let rules = EncodeOptions {
            rules_only: true,
            ..Default::default()
        };
        trip_rows.push(("escher", "rules", round_trip(&dir, &rules, false)));
    }

    println!("## Line roles (model trained without the edition)\n");
    print!("| edition | lines | accuracy |");
    for r in LineRole::ALL {
        print!(" {} P/R |", r.name());
    }
    println!();
    println!("|---|--:|--:|{}", "--:|".repeat(LineRole::ALL.len()));
    for (name, s) in &role_rows {
        print!(
            "| {name} | {} | {:.1} |",
            s.n,
            100.0 * s.ok as f64 / s.n.max(1) as f64
        );
        for (i, _) in LineRole::ALL.iter().enumerate() {
            let tp = s.confusion[i][i];
            let gold: usize = s.confusion[i].iter().sum();
            let pred: usize = s.confusion.iter().map(|row| row[i]).sum();
            if gold == 0 && pred == 0 {
                print!(" – |");
            } else {
                print!(
                    " {:.0}/{:.0} |",
                    100.0 * tp as f64 / pred.max(1) as f64,
                    100.0 * tp as f64 / gold.max(1) as f64
                );
            }
        }
        println!();
    }
    println!("\n## Development sets (model trained without their edition)\n");
    println!("| set | layout | date | sender | addressee | place | sender (forename) | addressee (forename) | boundary F1 | words kept | years from neighbours right/filled | undated letters dated by neighbours right/filled |");
    println!("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (name, how, s) in &dev_rows {
        dev_row(name, how, s);
    }
    println!("\n## Round trip on the editions (model trained without the edition)\n");
    println!("| edition | layout | date | sender | addressee | place |");
    println!("|---|---|--:|--:|--:|--:|");
    for (name, how, s) in &trip_rows {
        println!(
            "| {name} | {how} | {} | {} | {} | {} |",
            pct(&s[0]),
            pct(&s[1]),
            pct(&s[2]),
            pct(&s[3])
        );
    }
}
