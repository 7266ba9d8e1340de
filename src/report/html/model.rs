//! The data a report page shows, gathered from one validation run ([`Outcome`]) and the letters
//! the exporter read ([`Collected`], the same rows as `teikit export index`). Strings that
//! repeat (messages, patterns, help) are kept once in a table and referred to by number, so
//! that thousands of occurrences of one mistake cost a few bytes each.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::excerpt::{Budget, FileLines};
use crate::diagnostic::Severity;
use crate::export::cmif::Collected;
use crate::export::index;
use crate::export::model::{DateSpec, Letter};
use crate::validate::Outcome;

/// Diagnostics listed in one page, at most (about 40 bytes each); the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 250_000;

/// Everything the page shows.
#[derive(Debug, Serialize)]
pub struct Data {
    /// The page title.
    pub title: String,
    /// `teikit <version>`.
    pub generator: String,
    /// The headline counts.
    pub overview: Overview,
    /// Strings referred to by number from [`Data::diagnostics`].
    pub strings: Vec<String>,
    /// The diagnostic codes that occur: (id, summary).
    pub codes: Vec<(String, String)>,
    /// Every file validated (and every file a letter was read from).
    pub files: Vec<FileInfo>,
    /// Every diagnostic: `[file, code, severity (0 advice, 1 warning, 2 error), message,
    /// pattern, help, line, column, end line, end column]` (numbers into the tables above).
    pub diagnostics: Vec<[u32; 10]>,
    /// Every letter, in index order.
    pub letters: Vec<LetterRow>,
    /// Every person named as sender or addressee (by name as written, as in the index).
    pub persons: Vec<Person>,
    /// Every place of sending.
    pub places: Vec<PlaceInfo>,
    /// The correspondence network.
    pub network: Network,
}

/// The headline counts: the validation summary and the letter index.
#[derive(Debug, Serialize, Default)]
pub struct Overview {
    /// Files validated.
    pub files: usize,
    /// Files without errors.
    pub valid: usize,
    /// Files with errors.
    pub invalid: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Advice diagnostics.
    pub advice: usize,
    /// Letters (correspDescs) in the index.
    pub letters: usize,
    /// Distinct persons.
    pub persons: usize,
    /// Distinct places of sending.
    pub places: usize,
    /// Earliest date of a letter (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), if any is dated.
    pub first_date: Option<String>,
    /// Latest date of a letter.
    pub last_date: Option<String>,
    /// Letters without a date.
    pub undated: usize,
    /// Files the letter index could not read.
    pub unreadable: usize,
    /// The run's exit status (as `teikit validate`'s).
    pub exit_code: u8,
    /// Diagnostics whose source excerpt was left out to keep the page small.
    pub excerpts_left_out: usize,
    /// Diagnostics left out of the page past [`MAX_DIAGNOSTICS`] (the counts above include
    /// them).
    pub diagnostics_left_out: usize,
}

/// One file.
#[derive(Debug, Serialize)]
pub struct FileInfo {
    /// The path as found.
    pub path: String,
    /// Whether it is valid; `None` for a file the letter index read but validation did not.
    pub valid: Option<bool>,
    /// The schema used.
    pub schema: String,
    /// Errors, warnings, advice.
    pub counts: [usize; 3],
    /// The source lines kept for its diagnostics' excerpts: (line, first column, text).
    pub lines: Vec<(u32, u32, String)>,
}

/// One letter: `[id, date as in the index, start, end, senders, addressees, places, file,
/// line]` (persons, places and file as numbers into their tables; start and end `""` when
/// undated).
pub type LetterRow = (
    String,
    String,
    String,
    String,
    Vec<u32>,
    Vec<u32>,
    Vec<u32>,
    u32,
    u32,
);

/// A person.
#[derive(Debug, Serialize)]
pub struct Person {
    /// The name as written.
    pub name: String,
    /// Authority URIs seen with this name.
    pub uris: Vec<String>,
    /// Letters sent, letters received.
    pub sent: u32,
    /// Letters received.
    pub received: u32,
}

/// A place of sending.
#[derive(Debug, Serialize)]
pub struct PlaceInfo {
    /// The name as written.
    pub name: String,
    /// GeoNames URIs seen with it.
    pub uris: Vec<String>,
}

/// The network: a position per person (in `0..=1000`) and the edges (sender, addressee,
/// letters). A large network also gets a layout of its core (the [`CORE`] busiest persons, ties
/// included), which the page shows first: the busiest persons, laid out among themselves,
/// read better than the middle of the whole network.
#[derive(Debug, Serialize, Default)]
pub struct Network {
    /// x of each person.
    pub x: Vec<i32>,
    /// y of each person.
    pub y: Vec<i32>,
    /// (sender, addressee, letters).
    pub edges: Vec<(u32, u32, u32)>,
    /// The core's persons (empty when the network is small), in person order.
    pub core: Vec<u32>,
    /// The fewest letters of a core person (the page's first minimum-letters filter).
    pub core_min: u32,
    /// x of each core person.
    pub core_x: Vec<i32>,
    /// y of each core person.
    pub core_y: Vec<i32>,
}

/// Persons in a network's core, at least (ties with the last are included).
pub const CORE: usize = 150;

/// The network of `persons` joined by `edges`.
fn network(persons: &[Person], edges: &BTreeMap<(u32, u32), u32>) -> Network {
    let edge_list: Vec<(usize, usize, u32)> = edges
        .iter()
        .map(|(&(a, b), &n)| (a as usize, b as usize, n))
        .collect();
    let pos = super::layout::layout(persons.len(), &edge_list);
    let mut net = Network {
        x: pos.iter().map(|p| p.0 as i32).collect(),
        y: pos.iter().map(|p| p.1 as i32).collect(),
        edges: edges.iter().map(|(&(a, b), &n)| (a, b, n)).collect(),
        core_min: 1,
        ..Network::default()
    };
    let total = |p: &Person| p.sent + p.received;
    let mut totals: Vec<u32> = persons.iter().map(total).collect();
    totals.sort_unstable_by(|a, b| b.cmp(a));
    if totals.len() <= CORE {
        return net;
    }
    let min = totals[CORE - 1];
    let core: Vec<u32> = (0..persons.len() as u32)
        .filter(|&i| total(&persons[i as usize]) >= min)
        .collect();
    if core.len() == persons.len() {
        return net;
    }
    let at: HashMap<u32, usize> = core.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let core_edges: Vec<(usize, usize, u32)> = edge_list
        .iter()
        .filter_map(|&(a, b, n)| Some((*at.get(&(a as u32))?, *at.get(&(b as u32))?, n)))
        .collect();
    let core_pos = super::layout::layout(core.len(), &core_edges);
    net.core = core;
    net.core_min = min;
    net.core_x = core_pos.iter().map(|p| p.0 as i32).collect();
    net.core_y = core_pos.iter().map(|p| p.1 as i32).collect();
    net
}

/// Interns strings.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// The string number of `message`'s pattern (worked out once per distinct message).
fn pattern_of(strings: &mut Strings, patterns: &mut HashMap<u32, u32>, message: &str) -> u32 {
    let m = strings.id(message);
    if let Some(&p) = patterns.get(&m) {
        return p;
    }
    let p = strings.id(&super::pattern::pattern(message));
    patterns.insert(m, p);
    p
}

/// Start and end of a date (each `YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
fn span_of(d: &DateSpec) -> Option<(String, String)> {
    let start = d
        .when
        .as_ref()
        .or(d.not_before.as_ref())
        .or(d.from.as_ref())
        .or(d.not_after.as_ref())
        .or(d.to.as_ref())?;
    let end = d
        .when
        .as_ref()
        .or(d.not_after.as_ref())
        .or(d.to.as_ref())
        .unwrap_or(start);
    Some((start.clone(), end.clone()))
}

fn letter_date(l: &Letter) -> Option<&DateSpec> {
    l.sent
        .as_ref()
        .and_then(|a| a.date.as_ref())
        .or_else(|| l.received.as_ref().and_then(|a| a.date.as_ref()))
}

/// Gathers the page's data. `title` names the report.
pub fn gather(title: &str, outcome: &Outcome, collected: &Collected) -> Data {
    gather_listing(title, outcome, collected, MAX_DIAGNOSTICS)
}

/// [`gather`], listing at most `max_diagnostics` diagnostics.
fn gather_listing(
    title: &str,
    outcome: &Outcome,
    collected: &Collected,
    max_diagnostics: usize,
) -> Data {
    let mut strings = Strings::default();
    let mut codes: Vec<(String, String)> = Vec::new();
    let mut code_ids: HashMap<&str, u32> = HashMap::new();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut budget = Budget::default();
    let mut patterns: HashMap<u32, u32> = HashMap::new();
    let mut by_path: HashMap<std::path::PathBuf, u32> = HashMap::new();
    let mut ov = Overview {
        files: outcome.summary.files,
        valid: outcome.summary.valid,
        invalid: outcome.summary.invalid,
        errors: outcome.summary.errors,
        warnings: outcome.summary.warnings,
        exit_code: outcome.exit_code(),
        ..Overview::default()
    };
    for f in &outcome.files {
        let fi = files.len() as u32;
        by_path.insert(f.path.clone(), fi);
        if let Ok(c) = std::fs::canonicalize(&f.path) {
            by_path.entry(c).or_insert(fi);
        }
        let mut lines = FileLines::new(f);
        for d in &f.diagnostics {
            if diagnostics.len() >= max_diagnostics {
                ov.diagnostics_left_out += 1;
                continue;
            }
            let code = *code_ids.entry(d.code.id).or_insert_with(|| {
                codes.push((d.code.id.to_string(), d.code.summary.to_string()));
                codes.len() as u32 - 1
            });
            let severity = match d.severity {
                Severity::Advice => 0,
                Severity::Warning => 1,
                Severity::Error => 2,
            };
            let (end_line, end_col) = lines.end_of(f, d);
            lines.keep(f, d, end_line, &mut budget);
            // content included from another file (XInclude): the message says where it is
            let message = match &d.origin {
                Some(o) => std::borrow::Cow::Owned(format!(
                    "{} (in {}, {})",
                    d.message,
                    crate::report::diagnostic_path(f, d),
                    o.included_from_text()
                )),
                None => std::borrow::Cow::Borrowed(d.message.as_str()),
            };
            diagnostics.push([
                fi,
                code,
                severity,
                strings.id(&message),
                pattern_of(&mut strings, &mut patterns, &d.message),
                strings.id(crate::report::help_text(d)),
                d.line,
                d.column,
                end_line,
                end_col,
            ]);
        }
        ov.advice += f.count(Severity::Advice);
        files.push(FileInfo {
            path: crate::report::path_text(f),
            valid: Some(f.is_valid(outcome.deny_warnings)),
            schema: f.schema.clone(),
            counts: [
                f.count(Severity::Error),
                f.count(Severity::Warning),
                f.count(Severity::Advice),
            ],
            lines: lines.into_lines(),
        });
    }
    ov.excerpts_left_out = budget.left_out;

    // letters, as the index has them
    let rows = index::rows(&collected.letters);
    let mut person_ids: HashMap<String, u32> = HashMap::new();
    let mut persons: Vec<Person> = Vec::new();
    let mut person_uris: Vec<BTreeSet<String>> = Vec::new();
    let mut place_ids: HashMap<String, u32> = HashMap::new();
    let mut places: Vec<PlaceInfo> = Vec::new();
    let mut place_uris: Vec<BTreeSet<String>> = Vec::new();
    let mut edges: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    let mut letters = Vec::with_capacity(rows.len());
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    for (l, row) in collected.letters.iter().zip(&rows) {
        let mut party = |a: &Option<crate::export::model::Action>, sent: bool| -> Vec<u32> {
            let mut out = Vec::new();
            for p in a.iter().flat_map(|a| &a.parties) {
                if p.name.is_empty() {
                    continue;
                }
                let id = *person_ids.entry(p.name.clone()).or_insert_with(|| {
                    persons.push(Person {
                        name: p.name.clone(),
                        uris: Vec::new(),
                        sent: 0,
                        received: 0,
                    });
                    person_uris.push(BTreeSet::new());
                    persons.len() as u32 - 1
                });
                if let Some(u) = &p.uri {
                    person_uris[id as usize].insert(u.clone());
                }
                if !out.contains(&id) {
                    out.push(id);
                    if sent {
                        persons[id as usize].sent += 1;
                    } else {
                        persons[id as usize].received += 1;
                    }
                }
            }
            out
        };
        let senders = party(&l.sent, true);
        let addressees = party(&l.received, false);
        let mut where_ = Vec::new();
        for p in l.sent.iter().flat_map(|a| &a.places) {
            if p.name.is_empty() {
                continue;
            }
            let id = *place_ids.entry(p.name.clone()).or_insert_with(|| {
                places.push(PlaceInfo {
                    name: p.name.clone(),
                    uris: Vec::new(),
                });
                place_uris.push(BTreeSet::new());
                places.len() as u32 - 1
            });
            if let Some(u) = &p.uri {
                place_uris[id as usize].insert(u.clone());
            }
            if !where_.contains(&id) {
                where_.push(id);
            }
        }
        for &s in &senders {
            for &a in &addressees {
                *edges.entry((s, a)).or_insert(0) += 1;
            }
        }
        let (start, end) = letter_date(l).and_then(span_of).unwrap_or_default();
        if start.is_empty() {
            ov.undated += 1;
        } else {
            if first.as_ref().is_none_or(|f| start < *f) {
                first = Some(start.clone());
            }
            if last.as_ref().is_none_or(|x| end > *x) {
                last = Some(end.clone());
            }
        }
        let file = match by_path.get(&l.file).or_else(|| {
            std::fs::canonicalize(&l.file)
                .ok()
                .and_then(|c| by_path.get(&c))
        }) {
            Some(&i) => i,
            None => {
                // read by the index but not validated (ignored by .gitignore, say)
                let i = files.len() as u32;
                by_path.insert(l.file.clone(), i);
                files.push(FileInfo {
                    path: l.file.to_string_lossy().replace('\\', "/"),
                    valid: None,
                    schema: String::new(),
                    counts: [0; 3],
                    lines: Vec::new(),
                });
                i
            }
        };
        letters.push((
            row.id.clone(),
            row.date.clone(),
            start,
            end,
            senders,
            addressees,
            where_,
            file,
            row.line,
        ));
    }
    for (p, u) in persons.iter_mut().zip(person_uris) {
        p.uris = u.into_iter().collect();
    }
    for (p, u) in places.iter_mut().zip(place_uris) {
        p.uris = u.into_iter().collect();
    }
    let network = network(&persons, &edges);
    ov.letters = letters.len();
    ov.persons = persons.len();
    ov.places = places.len();
    ov.first_date = first;
    ov.last_date = last;
    ov.unreadable = collected.unreadable.len();
    Data {
        title: title.to_string(),
        generator: format!("teikit {}", env!("CARGO_PKG_VERSION")),
        overview: ov,
        strings: strings.list,
        codes,
        files,
        diagnostics,
        letters,
        persons,
        places,
        network,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(i: u32) -> Person {
        Person {
            name: format!("p{i}"),
            uris: Vec::new(),
            sent: i % 7,
            received: 1,
        }
    }

    #[test]
    fn diagnostics_past_the_limit_are_counted_not_listed() {
        let d =
            crate::diagnostic::Diagnostic::new(&crate::validate::UNREADABLE, 0..0, "x").at(1, 1);
        let file = crate::validate::FileReport {
            path: "a.xml".into(),
            schema: "none".into(),
            diagnostics: vec![d; 10],
            source: String::new(),
            excerpts: Default::default(),
            fatal: false,
            schematron: Vec::new(),
        };
        let outcome = Outcome {
            files: vec![file],
            ..Outcome::default()
        };
        let data = gather_listing("t", &outcome, &Collected::default(), 4);
        assert_eq!(data.diagnostics.len(), 4);
        assert_eq!(data.overview.diagnostics_left_out, 6);
        assert_eq!(data.files[0].counts[0], 10);
    }

    #[test]
    fn a_large_network_gets_a_core_of_its_busiest_persons() {
        let persons: Vec<Person> = (0..400).map(person).collect();
        let edges: BTreeMap<(u32, u32), u32> = (1..400).map(|i| ((0, i), 1)).collect();
        let net = network(&persons, &edges);
        assert_eq!(net.x.len(), 400);
        assert!(net.core.len() >= CORE && net.core.len() < 400);
        let total = |i: u32| persons[i as usize].sent + persons[i as usize].received;
        assert!(net.core.iter().all(|&i| total(i) >= net.core_min));
        assert!((0..400)
            .filter(|i| !net.core.contains(i))
            .all(|i| total(i) < net.core_min));
        assert_eq!(net.core_x.len(), net.core.len());
        // a small one has none
        let small = network(&persons[..20], &BTreeMap::new());
        assert!(small.core.is_empty() && small.core_min == 1);
    }
}
