//! The round trip on TEI editions: every letter is rendered to text (the letter's own lines
//! kept, and lines joined: both reported), encoded with `teikit::encode::encode`, and the
//! encoder's sender, addressee, date and place are scored against what the edition itself
//! says (`correspDesc`, else the header; see `teikit::encode::learn::render::Facts`) with the
//! scorer of `eval_letters` (`examples/scoring`).
//!
//! `cargo run --release --example roundtrip -- EDITION_DIR... [--untyped-notes keep|drop]`
//!
//! Also prints, per edition, what the rendering gives the tagger: files, letters, skipped files
//! and why, lines per role, and the time rendering took.

mod scoring;

use std::path::PathBuf;
use std::time::Instant;

use scoring::{date_match, main_letter, people_match, people_match_loose, place_match, Score};
use teikit::encode::learn::render::{read_edition, Edition, LineBreaks, NotePolicy, RenderOptions};
use teikit::encode::learn::LineRole;
use teikit::encode::{encode, EncodeOptions};

/// What the command line asks for.
struct Args {
    editions: Vec<PathBuf>,
    untyped_notes: NotePolicy,
    encode: EncodeOptions,
}

const USAGE: &str =
    "usage: roundtrip EDITION_DIR... [--untyped-notes keep|drop]   (e.g. $TEIKIT_SHARED/corpora/cody/letters)";

fn args() -> Result<Args, String> {
    let mut out = Args {
        editions: Vec::new(),
        untyped_notes: NotePolicy::Drop,
        encode: EncodeOptions::default(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--untyped-notes" => {
                out.untyped_notes = match it.next().as_deref() {
                    Some("keep") => NotePolicy::Keep,
                    Some("drop") => NotePolicy::Drop,
                    _ => return Err("--untyped-notes takes keep or drop".into()),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            dir => out.editions.push(PathBuf::from(dir)),
        }
    }
    if out.editions.is_empty() {
        return Err("no edition folder given".into());
    }
    Ok(out)
}

/// The scores of one edition read one way.
#[derive(Default)]
struct Scores {
    letters: usize,
    scored: usize,
    failed: usize,
    date: Score,
    sender: Score,
    addressee: Score,
    place: Score,
    sender_loose: Score,
    addressee_loose: Score,
}

fn round_trip(edition: &Edition, opts: &EncodeOptions) -> Scores {
    let mut s = Scores {
        letters: edition.letters.len(),
        ..Scores::default()
    };
    let empty = Vec::new();
    for letter in &edition.letters {
        let Some(facts) = &letter.rendered.facts else {
            continue;
        };
        s.scored += 1;
        let g = scoring::gold_of(facts);
        let encoded = encode(&letter.rendered.text, None, opts);
        if encoded.is_err() {
            s.failed += 1;
        }
        let mine = encoded.as_ref().ok().and_then(|e| main_letter(&e.letters));
        let senders = mine.map_or(&empty, |m| &m.senders);
        let addressees = mine.map_or(&empty, |m| &m.addressees);
        s.date
            .add(date_match(&g["date"], mine.and_then(|m| m.date.as_deref())));
        s.sender.add(people_match(&g["senders"], senders));
        s.addressee.add(people_match(&g["addressees"], addressees));
        s.place.add(place_match(
            &g["place"],
            mine.and_then(|m| m.place.as_deref()),
        ));
        s.sender_loose
            .add(people_match_loose(&g["senders"], senders));
        s.addressee_loose
            .add(people_match_loose(&g["addressees"], addressees));
    }
    s
}

fn name_of(dir: &std::path::Path) -> String {
    // `corpora/cody/letters` is the edition `cody`.
    let last = dir.file_name().map(|n| n.to_string_lossy().to_string());
    match last.as_deref() {
        Some("letters") => dir
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        Some(n) => n.to_string(),
        None => dir.display().to_string(),
    }
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("roundtrip: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let modes = [
        ("lines kept", LineBreaks::Kept),
        ("lines joined", LineBreaks::Joined),
    ];
    let mut table = Vec::new();
    println!("## Rendering\n");
    for dir in &args.editions {
        let name = name_of(dir);
        for (label, line_breaks) in modes {
            let opts = RenderOptions {
                line_breaks,
                untyped_notes: args.untyped_notes,
                ..RenderOptions::default()
            };
            let started = Instant::now();
            let edition = read_edition(dir, &opts);
            let render_time = started.elapsed();
            print_stats(&name, label, &edition, render_time);
            let started = Instant::now();
            let scores = round_trip(&edition, &args.encode);
            let encode_time = started.elapsed();
            table.push((name.clone(), label, scores, render_time, encode_time));
        }
    }
    println!("## Round trip (encoder's facts against the edition's)\n");
    println!(
        "| edition | text | letters | with facts | date | sender | addressee | place | sender, forename accepted | addressee, forename accepted | render s | encode s |"
    );
    println!("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (name, label, s, render_time, encode_time) in &table {
        println!(
            "| {name} | {label} | {} | {}{} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            s.letters,
            s.scored,
            if s.failed > 0 {
                format!(" ({} not encoded)", s.failed)
            } else {
                String::new()
            },
            s.date.show(),
            s.sender.show(),
            s.addressee.show(),
            s.place.show(),
            s.sender_loose.show(),
            s.addressee_loose.show(),
            render_time.as_secs_f64(),
            encode_time.as_secs_f64(),
        );
    }
}

/// What the rendering gives the tagger for one edition.
fn print_stats(name: &str, label: &str, edition: &Edition, time: std::time::Duration) {
    let mut roles = [0usize; LineRole::ALL.len()];
    let mut marked = 0;
    for l in &edition.letters {
        for (i, n) in l.rendered.role_counts().iter().enumerate() {
            roles[i] += n;
        }
        marked += usize::from(l.rendered.part_markup);
    }
    println!(
        "### {name}, {label}: {} files, {} letters ({} with part markup), {} skipped, {} unreadable; rendered in {:.2} s\n",
        edition.files,
        edition.letters.len(),
        marked,
        edition.skipped.len(),
        edition.problems.len(),
        time.as_secs_f64()
    );
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for s in &edition.skipped {
        let r = s.reason.to_string();
        match reasons.iter_mut().find(|(x, _)| *x == r) {
            Some((_, n)) => *n += 1,
            None => reasons.push((r, 1)),
        }
    }
    for (r, n) in reasons {
        println!("- skipped {n}: {r}");
    }
    for p in &edition.problems {
        println!("- unreadable {}: {}", p.path.display(), p.message);
    }
    let cells: Vec<String> = LineRole::ALL
        .iter()
        .zip(roles)
        .map(|(r, n)| format!("{} {n}", r.name()))
        .collect();
    println!("- lines per role: {}\n", cells.join(", "));
}
