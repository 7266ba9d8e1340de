//! Bounds on a Schematron run: a time limit per rule and file, and a size limit on the tree.
//!
//! The rules run on a pool of worker threads (each keeps the queries it compiled): the caller
//! waits, watching which rule runs and since when. A rule past its limit is reported
//! ([`super::TIME_LIMIT`]) and its run is cancelled: the engine asks before every XPath
//! evaluation whether to go on, so the worker stops after the evaluation under way returns and
//! then ends (it is never given another file). xee cannot be interrupted inside one
//! evaluation: a single expression that runs for hours (`//*[. = //*]` on a large file) keeps
//! its thread until it returns. At most [`MAX_STUCK`] such threads are left running; while
//! that many are, further files get no Schematron (`tei::sch::not_run` says why), so a
//! long-lived process (the language server) never piles up threads.

use super::Schematron;
use crate::diagnostic::Diagnostic;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
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

/// How many cancelled runs may still be inside an XPath evaluation before new files get no
/// Schematron.
pub const MAX_STUCK: usize = 4;

/// Cancelled runs whose worker has not yet returned.
static STUCK: AtomicUsize = AtomicUsize::new(0);

/// The number of runs stopped by the time limit whose worker is still inside an evaluation.
pub fn stuck() -> usize {
    STUCK.load(Ordering::SeqCst)
}

const RUNNING: u8 = 0;
const FINISHED: u8 = 1;
const CANCELLED: u8 = 2;

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
    /// [`RUNNING`], [`FINISHED`] or [`CANCELLED`].
    state: AtomicU8,
}

/// Runs `s` on `text` on a worker, within the limits.
/// `tree`: the document's light tree, if the validating pass built one (else the screen reads
/// `text` into one).
pub(super) fn run_bounded(
    s: &Arc<Schematron>,
    text: &str,
    tree: Option<&super::light::Light>,
    limits: &Limits,
) -> Vec<Diagnostic> {
    let stuck = STUCK.load(Ordering::SeqCst);
    if stuck >= MAX_STUCK {
        return vec![Diagnostic::new(
            &super::NOT_RUN,
            0..0,
            format!(
                "the Schematron rules of {} did not run: {stuck} earlier runs stopped by the time limit are still inside an XPath evaluation (--schematron-time-limit)",
                s.label
            ),
        )];
    }
    // the screen decides most documents at once, on this thread, within its own time (handing
    // every file to a worker and waiting for it cost a tenth of a corpus's wall time); what it
    // does not decide in time, or a panic in it, runs on a worker under the limit, as before
    let screened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::screen::decide(&s.plan, s.uid, text, tree, limits.time_per_rule)
    }));
    if let Ok(Some(fired)) = screened {
        return s.diagnostics(fired);
    }
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
        if p2.state.swap(FINISHED, Ordering::SeqCst) == CANCELLED {
            STUCK.fetch_sub(1, Ordering::SeqCst);
        }
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
                    // cancel: the worker stops before its next evaluation, then ends (its
                    // channel is dropped with `worker`)
                    if progress
                        .state
                        .compare_exchange(RUNNING, CANCELLED, Ordering::SeqCst, Ordering::SeqCst)
                        .is_ok()
                    {
                        STUCK.fetch_add(1, Ordering::SeqCst);
                    }
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
            state: AtomicU8::new(RUNNING),
        }
    }
}

fn run_here(s: &Schematron, text: &str, progress: &Progress, start: Instant) -> Vec<Diagnostic> {
    // time spent per rule on this file so far
    // (foldhash: read at every change of rule, SipHash showed in the profile)
    let mut spent: foldhash::HashMap<u64, u64> = Default::default();
    let mut on_rule = |p: usize, r: usize| {
        if progress.state.load(Ordering::Relaxed) == CANCELLED {
            return false;
        }
        let key = ((p as u64) << 32) | r as u64;
        let cur = progress.rule.load(Ordering::Relaxed);
        if cur == key {
            // the same rule goes on: its time is counted from `since` (no clock read)
            return true;
        }
        let now = start.elapsed().as_nanos() as u64;
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
