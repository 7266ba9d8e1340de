//! Fuzzing as part of the project: the targets ([`TARGETS`]), a deterministic mutator
//! ([`mutate`]) and a campaign driver ([`campaign`]) that runs a target over a seed corpus and
//! its mutations for a bounded number of executions or time.
//!
//! The same target bodies run three ways: under `cargo fuzz` (the `fuzz/` crate, nightly
//! toolchain, coverage-guided), in `tests/fuzz.rs` (stable, a bounded campaign per target in
//! the test suite, with the inputs that once failed as regression cases), and in
//! `examples/fuzz.rs` (stable, a long campaign that reports executions).

pub mod mutate;
pub mod targets;

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

pub use mutate::{mutate, Rng};

/// One fuzz target: its name (also the folder of its seeds and regressions) and its body,
/// which panics on a defect.
pub struct Target {
    /// The target's name (`xml`, `schema`, `encode`, `export`, `report`).
    pub name: &'static str,
    /// The body: any bytes in, a panic only on a defect.
    pub run: fn(&[u8]),
}

/// Every target.
pub static TARGETS: &[Target] = &[
    Target {
        name: "xml",
        run: targets::xml,
    },
    Target {
        name: "schema",
        run: targets::schema,
    },
    Target {
        name: "encode",
        run: targets::encode,
    },
    Target {
        name: "export",
        run: targets::export,
    },
    Target {
        name: "report",
        run: targets::report,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// How long a campaign runs: whichever bound comes first.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Executions at most (seeds included).
    pub executions: u64,
    /// Time at most (checked between executions).
    pub time: Duration,
    /// An execution that takes longer is a failure (a hang or a cost out of bounds).
    pub slow: Duration,
    /// Mutated inputs are cut to this many bytes.
    pub max_len: usize,
    /// The generator's seed: the same seed and corpus give the same inputs.
    pub seed: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            executions: u64::MAX,
            time: Duration::from_secs(10),
            slow: Duration::from_secs(10),
            max_len: 1 << 20,
            seed: 0x7E1_C17,
        }
    }
}

/// An input on which a target failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The input.
    pub input: Vec<u8>,
    /// The panic's message, or why the execution was too slow.
    pub why: String,
}

/// What a campaign did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Executions made (seeds included).
    pub executions: u64,
    /// Time spent.
    pub elapsed: Duration,
    /// The slowest execution and its input's length.
    pub slowest: (Duration, usize),
    /// The slowest execution's input.
    pub slowest_input: Vec<u8>,
    /// Inputs that failed (at most one per distinct message).
    pub failures: Vec<Failure>,
}

fn panic_text(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs `target` once on `input`, catching a panic; the result and how long it took.
pub fn run_once(target: &Target, input: &[u8]) -> (Result<(), String>, Duration) {
    let start = Instant::now();
    let r = std::panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    (r.map_err(|e| panic_text(e.as_ref())), start.elapsed())
}

/// Runs `target` on every seed, then on mutations of random seeds (spliced with other seeds),
/// until the budget is spent. Panics are caught and kept as failures (one per distinct
/// message); `progress` is called now and then with the executions so far.
pub fn campaign(
    target: &Target,
    seeds: &[Vec<u8>],
    budget: &Budget,
    mut progress: impl FnMut(u64),
) -> Outcome {
    let start = Instant::now();
    let mut out = Outcome::default();
    let mut rng = Rng::new(budget.seed ^ fnv(target.name.as_bytes()));
    let mut seen_messages = std::collections::HashSet::new();
    let empty: &[Vec<u8>] = &[Vec::new()];
    let seeds = if seeds.is_empty() { empty } else { seeds };
    let mut check = |out: &mut Outcome, input: Vec<u8>| {
        let (r, took) = run_once(target, &input);
        out.executions += 1;
        if took > out.slowest.0 {
            out.slowest = (took, input.len());
            out.slowest_input.clone_from(&input);
        }
        let why = match r {
            Err(why) => Some(why),
            Ok(()) if took > budget.slow => Some(format!(
                "took {:.1} s (more than {:.1} s)",
                took.as_secs_f64(),
                budget.slow.as_secs_f64()
            )),
            Ok(()) => None,
        };
        if let Some(why) = why {
            // a message without its numbers: one failure per kind
            let kind: String = why
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .take(200)
                .collect();
            if seen_messages.insert(kind) {
                out.failures.push(Failure { input, why });
            }
        }
    };
    for s in seeds {
        if out.executions >= budget.executions || start.elapsed() >= budget.time {
            break;
        }
        check(&mut out, s.clone());
    }
    while out.executions < budget.executions && start.elapsed() < budget.time {
        let mut input = seeds[rng.below(seeds.len())].clone();
        let other = &seeds[rng.below(seeds.len())];
        mutate(&mut rng, &mut input, other, budget.max_len);
        check(&mut out, input);
        if out.executions % 1024 == 0 {
            progress(out.executions);
        }
    }
    out.elapsed = start.elapsed();
    out
}

/// FNV-1a of `bytes` (a stable name for a failing input, a per-target seed).
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The seed corpus of the target `name`: the project's small inputs of its kind (test cases
/// under `project/tests/cases`, its regression inputs under `project/tests/fuzz/regressions`),
/// and, from the shared data folder when given, up to `shared_files` corpus files of its kind
/// (spread evenly over the sorted list, at most 256 KiB each).
pub fn seeds(
    name: &str,
    project: &std::path::Path,
    shared: Option<&std::path::Path>,
    shared_files: usize,
) -> Vec<Vec<u8>> {
    let cases = project.join("tests/cases");
    let (own, ext, corpora): (Vec<std::path::PathBuf>, &str, &str) = match name {
        "xml" => (
            vec![cases.join("xml"), cases.join("validate")],
            "xml",
            "xml",
        ),
        "schema" => (
            vec![
                cases.join("rng-schema"),
                cases.join("rng"),
                project.join("schema"),
            ],
            "rng",
            "",
        ),
        "encode" => (vec![cases.join("encode")], "txt", "txt"),
        "export" => (vec![cases.join("export")], "xml", "xml"),
        _ => (
            vec![cases.join("validate"), cases.join("cli")],
            "xml",
            "xml",
        ),
    };
    let mut files = Vec::new();
    for dir in &own {
        files.extend(files_under(dir, ext));
    }
    files.extend(files_under(
        &project.join("tests/fuzz/regressions").join(name),
        "",
    ));
    if let (Some(shared), false) = (shared, corpora.is_empty()) {
        let mut found = files_under(&shared.join("corpora"), corpora);
        if name == "encode" {
            found.extend(files_under(&shared.join("seed"), "txt"));
        }
        found.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= 256 * 1024));
        let step = (found.len() / shared_files.max(1)).max(1);
        files.extend(found.into_iter().step_by(step).take(shared_files));
    }
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// The files under `dir` (recursively, sorted) whose name ends with `.ext` (any name when
/// `ext` is empty; `README.md` never).
pub fn files_under(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                todo.push(p);
            } else if t.is_file()
                && p.file_name().is_some_and(|n| n != "README.md")
                && (ext.is_empty() || p.extension().is_some_and(|x| x == ext))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
