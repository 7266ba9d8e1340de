//! The Schematron schemas of a run, each compiled once and shared by every file: the rules a
//! RELAX NG grammar embeds and standalone `.sch` files (`--schematron`, `teikit.toml`, an
//! `xml-model`). A
//! schema that cannot be used is compiled once too, and its problem reported once, on the
//! schema file ([`Cache::failures`]), as is a `--phase` that no schema of the run declares.

use super::{SchemaProblem, Schematron, Source};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A compiled schema (`None`: a grammar that embeds no rules), or why it cannot be used.
pub type Compiled = Result<Option<Arc<Schematron>>, Arc<SchemaProblem>>;

/// Schemas compiled for one run.
#[derive(Debug, Default)]
pub struct Cache {
    /// The phase of every schema (`--phase`): a schema without phases runs all its patterns.
    phase: Option<String>,
    /// One slot per schema: the first thread to ask compiles it, the others wait for it.
    done: Mutex<HashMap<Source, Slot>>,
}

/// A schema's place in the cache, filled once.
type Slot = Arc<std::sync::OnceLock<Compiled>>;

impl Cache {
    /// A cache whose schemas run `phase` (`None`: each schema's `defaultPhase`).
    pub fn new(phase: Option<String>) -> Cache {
        Cache {
            phase,
            done: Mutex::new(HashMap::new()),
        }
    }

    /// The schema from `source`, compiled on first use; a thread asking for a schema another
    /// is compiling waits for it (it is never compiled twice).
    pub fn get(&self, source: &Source) -> Compiled {
        let slot = self.slot(source);
        slot.get_or_init(|| self.compile(source)).clone()
    }

    /// Compiles `source` without keeping it: [`Cache::keep`] adds it to the run once it is known
    /// to be wanted (the rules a grammar embeds are compiled while the grammar itself is, and
    /// kept only when it compiles).
    pub fn compile(&self, source: &Source) -> Compiled {
        match source {
            Source::Sch(p) => {
                Schematron::from_sch(p, self.phase.as_deref()).map(|s| Some(Arc::new(s)))
            }
            Source::Embedded(p) => {
                Schematron::from_rng(p, self.phase.as_deref()).map(|s| s.map(Arc::new))
            }
        }
        .map_err(Arc::new)
    }

    /// Keeps `compiled` (from [`Cache::compile`]) as the schema of `source`, unless one is kept
    /// already.
    pub fn keep(&self, source: &Source, compiled: Compiled) {
        let _ = self.slot(source).set(compiled);
    }

    fn slot(&self, source: &Source) -> Slot {
        let key = match source {
            Source::Sch(p) => Source::Sch(canonical(p)),
            Source::Embedded(p) => Source::Embedded(canonical(p)),
        };
        Arc::clone(self.lock().entry(key).or_default())
    }

    /// The schemas that could not be used, each once: (the file the problem is in, the problem).
    pub fn failures(&self) -> Vec<(PathBuf, Arc<SchemaProblem>)> {
        let mut v: Vec<(PathBuf, Arc<SchemaProblem>)> = self
            .lock()
            .values()
            .filter_map(|c| c.get()?.as_ref().err())
            .map(|e| (e.at.file.as_ref().clone(), Arc::clone(e)))
            .collect();
        v.sort_by(|a, b| {
            (&a.0, a.1.at.line, a.1.at.column).cmp(&(&b.0, b.1.at.line, b.1.at.column))
        });
        v.dedup_by(|a, b| a.0 == b.0 && a.1.message == b.1.message && a.1.at.line == b.1.at.line);
        // (a schema that has phases but not this one is already among the failures)
        if let Some(p) = self.unknown_phase().filter(|_| v.is_empty()) {
            v.push((p.at.file.as_ref().clone(), Arc::new(p)));
        }
        v
    }

    /// A named `--phase` that none of the schemas that ran declares (a schema without phases
    /// runs all its patterns; when none of them knows the phase, it is surely a mistake).
    fn unknown_phase(&self) -> Option<SchemaProblem> {
        let phase = self.phase.as_deref()?;
        let done = self.lock();
        let mut ran: Vec<&Arc<Schematron>> = done
            .values()
            .filter_map(|c| c.get()?.as_ref().ok()?.as_ref())
            .collect();
        ran.sort_by(|a, b| a.label.cmp(&b.label));
        let first = ran.first()?;
        if ran.iter().any(|s| s.declares_phase(phase)) {
            return None;
        }
        Some(SchemaProblem::at(
            None,
            Path::new(&first.label),
            format!(
                "--phase `{phase}`: no Schematron schema of this run declares that phase ({}); `#ALL` runs every pattern, `#DEFAULT` each schema's default phase",
                ran.iter()
                    .map(|s| s.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Source, Slot>> {
        match self.done.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
