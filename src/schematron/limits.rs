//! Bounds on a Schematron run: a time limit per rule and file, and a size limit on the tree.
//!
//! xee cannot be interrupted, so the rules run on a pool of worker threads (each keeps the
//! queries it compiled): the caller waits, watching which rule runs and since when. A rule past
//! its limit is reported ([`super::TIME_LIMIT`]) and its worker is left to finish on its own
//! (it is never given another file; the process ends it at exit), so a run is bounded by the
//! limit, never by the rule.

use super::Schematron;
use crate::diagnostic::Diagnostic;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The default time a rule may take on one file.
pub const TIME_PER_RULE: Duration = Duration::from_secs(10);
/// The default size from which a file gets no tree (and no Schematron).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Bounds for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The time a rule may take on one file.
    pub time_per_rule: Duration,
    /// Files larger than this get no Schematron (a warning says so).
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_per_rule: TIME_PER_RULE,
            max_bytes: MAX_BYTES,
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

struct Worker {
    jobs: mpsc::Sender<Job>,
}

fn spawn_worker() -> Option<Worker> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("teikit-schematron".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            while let Ok(job) = rx.recv() {
                job();
            }
        })
        .ok()?;
    Some(Worker { jobs: tx })
}

static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// Which rule runs (`pattern << 32 | rule`, `u64::MAX` before the first), since when
/// (nanoseconds after the job started), and how long it had run on this file before then.
struct Progress {
    rule: AtomicU64,
    since: AtomicU64,
    before: AtomicU64,
}

/// Runs `s` on `text` on a worker, within the limits.
pub(super) fn run_bounded(s: &Arc<Schematron>, text: &str, limits: &Limits) -> Vec<Diagnostic> {
    let worker = {
        let mut idle = match IDLE.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        idle.pop()
    };
    let Some(worker) = worker.or_else(spawn_worker) else {
        // no thread to be had: run here, unbounded in time
        return run_here(s, text, &Progress::new(), Instant::now());
    };
    let progress = Arc::new(Progress::new());
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    // the worker owns what it reads: a worker past its limit is abandoned with its copies
    let job_schema = Arc::clone(s);
    let text: Arc<str> = Arc::from(text);
    let p2 = Arc::clone(&progress);
    let job: Job = Box::new(move || {
        // a panic in the XPath engine is a finding on this file, never a silent pass
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_here(&job_schema, &text, &p2, start)
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            vec![Diagnostic::new(
                &super::DYNAMIC_ERROR,
                0..0,
                format!(
                    "the XPath engine failed while the rules of {} ran on this file: {why}",
                    job_schema.label
                ),
            )]
        });
        let _ = tx.send(r);
    });
    if worker.jobs.send(job).is_err() {
        return Vec::new();
    }
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(r) => {
                let mut idle = match IDLE.lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                idle.push(worker);
                return r;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Vec::new(),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let since = Duration::from_nanos(progress.since.load(Ordering::Relaxed));
                let before = Duration::from_nanos(progress.before.load(Ordering::Relaxed));
                let running = before + start.elapsed().saturating_sub(since);
                if running > limits.time_per_rule {
                    let rule = progress.rule.load(Ordering::Relaxed);
                    let what = if rule == u64::MAX {
                        format!("reading the file and the schema's variables ({})", s.label)
                    } else {
                        s.rule_name((rule >> 32) as usize, (rule & 0xffff_ffff) as usize)
                    };
                    return vec![Diagnostic::new(
                        &super::TIME_LIMIT,
                        0..0,
                        format!(
                            "{what} ran for more than {:?} on this file and was stopped (--schematron-time-limit); the rules after it did not run",
                            limits.time_per_rule
                        ),
                    )];
                }
            }
        }
    }
}

impl Progress {
    fn new() -> Progress {
        Progress {
            rule: AtomicU64::new(u64::MAX),
            since: AtomicU64::new(0),
            before: AtomicU64::new(0),
        }
    }
}

fn run_here(s: &Schematron, text: &str, progress: &Progress, start: Instant) -> Vec<Diagnostic> {
    // time spent per rule on this file so far
    let mut spent: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
    let mut on_rule = |p: usize, r: usize| {
        let key = ((p as u64) << 32) | r as u64;
        let now = start.elapsed().as_nanos() as u64;
        let cur = progress.rule.load(Ordering::Relaxed);
        if cur == key {
            return true;
        }
        if cur != u64::MAX {
            let since = progress.since.load(Ordering::Relaxed);
            *spent.entry(cur).or_default() += now.saturating_sub(since);
        }
        progress
            .before
            .store(spent.get(&key).copied().unwrap_or(0), Ordering::Relaxed);
        progress.since.store(now, Ordering::Relaxed);
        progress.rule.store(key, Ordering::Relaxed);
        true
    };
    let mut watch = super::engine::Watch {
        on_rule: &mut on_rule,
    };
    match super::engine::run(&s.plan, s.uid, text, &mut watch) {
        Ok(fired) => s.diagnostics(fired),
        Err(e) => vec![s.run_error(e)],
    }
}
