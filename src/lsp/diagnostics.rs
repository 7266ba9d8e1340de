//! Diagnostics for the editor: teikit's [`Diagnostic`]s as LSP diagnostics (code, link to the
//! code's documentation, related places, a did-you-mean fix in `data`), and the worker that
//! validates open documents, one version at a time.
//!
//! Scheduling: a change marks its document pending (a set: a document is pending once, however
//! many changes arrive); the worker waits until no change came for the debounce delay, takes
//! the document's latest text, validates it, and publishes only if the document did not change
//! meanwhile (a stale result is dropped; the newer version is pending already). Memory and work
//! stay bounded by the number of open documents, never by the number of changes.
//!
//! Two steps: everything but Schematron is published first (tens of milliseconds on a 200 KB
//! letter), then a second worker runs the Schematron rules (the embedded rules of `tei_all`
//! take a few hundred) and publishes every finding together, again only if the document did
//! not change; a newer document replaces the one waiting for it.

use super::position::LineMap;
use super::server::Shared;
use crate::diagnostic::{Diagnostic, Severity};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Url,
};
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Where every code is documented (the anchors of `docs/codes.md`).
pub const CODES_URL: &str = "https://github.com/teikit/teikit/blob/main/docs/codes.md";

/// The documentation link of a code.
pub fn code_url(id: &str) -> Option<Url> {
    let anchor: String = id.chars().filter(|c| *c != ':').collect();
    Url::parse(&format!("{CODES_URL}#{anchor}")).ok()
}

/// A did-you-mean replacement: the help's suggestion and the part of the text it replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Byte range replaced.
    pub span: std::ops::Range<usize>,
    /// The replacement.
    pub new_text: String,
}

/// The fix a diagnostic's help suggests ("did you mean `#somerville`?"): the suggestion replaces
/// what the message quotes (`#somervile`) where it stands in the diagnostic's span.
pub fn suggested_fix(d: &Diagnostic, text: &str) -> Option<Fix> {
    let help = d.help.as_deref()?;
    let start = help.find("did you mean `")? + "did you mean `".len();
    let len = help[start..].find('`')?;
    let new_text = &help[start..start + len];
    let new_text = new_text.strip_suffix(':').unwrap_or(new_text);
    let within = text.get(d.span.clone())?;
    // the quoted words of the message, the longest first (`#somervile` before `somervile`)
    let mut quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
    quoted.sort_by_key(|q| std::cmp::Reverse(q.len()));
    for q in quoted
        .into_iter()
        .filter(|q| !q.is_empty() && *q != new_text)
    {
        let bounded = |i: usize| {
            let before = within[..i].chars().next_back();
            let after = within[i + q.len()..].chars().next();
            let edge = |c: Option<char>| {
                c.is_none_or(|c| {
                    c.is_whitespace() || c == '"' || c == '\'' || c == '=' || c == '>' || c == '<'
                })
            };
            edge(before) && edge(after)
        };
        if let Some(i) = within
            .match_indices(q)
            .map(|(i, _)| i)
            .find(|&i| bounded(i))
        {
            let at = d.span.start + i;
            // `prefix:` quoted as the scheme: only the scheme is replaced
            return Some(Fix {
                span: at..at + q.len(),
                new_text: if q.ends_with(':') {
                    format!("{new_text}:")
                } else {
                    new_text.to_string()
                },
            });
        }
    }
    None
}

/// One teikit diagnostic as the LSP has it.
pub fn to_lsp(d: &Diagnostic, text: &str, lines: &LineMap, uri: &Url) -> lsp_types::Diagnostic {
    let range = if d.span.is_empty() && d.span.start == 0 && d.line > 1 {
        // located by line and column only
        let p = lsp_types::Position::new(d.line - 1, d.column.saturating_sub(1));
        lsp_types::Range::new(p, p)
    } else {
        lines.range(text, d.span.clone())
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(text, l.span.clone())),
            message: l.message.clone(),
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let data = suggested_fix(d, text).map(
        |f| serde_json::json!({"fix": {"range": lines.range(text, f.span), "newText": f.new_text}}),
    );
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Advice => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.id.to_string())),
        // a documented code links to its page (a Schematron rule's own id has none: its
        // help names the rule's place in the schema)
        code_description: crate::diagnostic::find_code(d.code.id)
            .and_then(|_| code_url(d.code.id))
            .map(|href| CodeDescription { href }),
        source: Some("teikit".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data,
    }
}

/// The documents waiting to be validated, and when the last change came.
#[derive(Default)]
pub struct Scheduler {
    state: Mutex<Pending>,
    wake: Condvar,
}

#[derive(Default)]
struct Pending {
    uris: Vec<Url>,
    set: HashSet<Url>,
    last_change: Option<Instant>,
    stop: bool,
}

impl Scheduler {
    /// Marks a document pending (once, however often it is called).
    pub fn schedule(&self, uri: Url) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.set.insert(uri.clone()) {
            s.uris.push(uri);
        }
        s.last_change = Some(Instant::now());
        self.wake.notify_all();
    }

    /// Stops the worker.
    pub fn stop(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.stop = true;
        self.wake.notify_all();
    }

    /// The next document to validate, once `debounce` passed without a change; `None` when
    /// stopped.
    fn next(&self, debounce: &dyn Fn() -> Duration) -> Option<Url> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if s.stop {
                return None;
            }
            if s.uris.is_empty() {
                s = self.wake.wait(s).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            let quiet = s.last_change.map_or(Duration::MAX, |t| t.elapsed());
            let wait = debounce();
            if quiet < wait {
                s = self
                    .wake
                    .wait_timeout(s, wait - quiet)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
                continue;
            }
            let uri = s.uris.remove(0);
            s.set.remove(&uri);
            return Some(uri);
        }
    }
}

/// The worker: validates pending documents until stopped.
pub fn worker(shared: &Shared) {
    let debounce = || shared.debounce();
    while let Some(uri) = shared.scheduler.next(&debounce) {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| validate(shared, &uri)));
        if run.is_err() {
            shared.log(&format!(
                "teikit: validating {uri} failed unexpectedly (a defect: please report it)"
            ));
        }
    }
}

/// The path a document is validated under.
pub fn path_of(uri: &Url) -> std::path::PathBuf {
    match uri.to_file_path() {
        Ok(p) => super::workspace::normalise(&p),
        Err(()) => std::path::PathBuf::from(uri.path()),
    }
}

/// What the Schematron step needs of a document whose other findings are published.
pub struct SchematronJob {
    uri: Url,
    version: i32,
    path: std::path::PathBuf,
    text: std::sync::Arc<String>,
    lines: LineMap,
    /// The findings published already (teikit's form, for the merge).
    found: Vec<Diagnostic>,
    /// What their `tei::limit::diagnostics` summary counts.
    dropped: crate::limit::Hidden,
    /// Published already and kept (a schema that does not compile).
    extra: Vec<lsp_types::Diagnostic>,
    options: std::sync::Arc<crate::validate::Options>,
    workbench: std::sync::Arc<crate::validate::Workbench>,
}

/// The one document waiting for its Schematron step: a newer one replaces it.
#[derive(Default)]
pub struct SchematronSlot {
    job: Mutex<(Option<SchematronJob>, bool)>,
    wake: Condvar,
}

impl SchematronSlot {
    fn put(&self, job: SchematronJob) {
        let mut s = self.job.lock().unwrap_or_else(|p| p.into_inner());
        s.0 = Some(job);
        self.wake.notify_all();
    }

    /// Stops the Schematron worker.
    pub fn stop(&self) {
        let mut s = self.job.lock().unwrap_or_else(|p| p.into_inner());
        s.1 = true;
        self.wake.notify_all();
    }

    fn take(&self) -> Option<SchematronJob> {
        let mut s = self.job.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if s.1 {
                return None;
            }
            if let Some(j) = s.0.take() {
                return Some(j);
            }
            s = self.wake.wait(s).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// The Schematron worker: runs the rules on the latest validated version of a document and
/// publishes every finding together (the same list again when the rules found nothing: the
/// editor knows the document is checked through), unless the document changed meanwhile.
pub fn schematron_worker(shared: &Shared) {
    while let Some(job) = shared.schematron.take() {
        if shared.version(&job.uri) != Some(job.version) {
            continue;
        }
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut found = job.found.clone();
            job.workbench.schematron_text(
                &job.path,
                &job.text,
                &job.options,
                &mut found,
                job.dropped,
            );
            found
        }));
        let Ok(found) = run else {
            shared.log(&format!("teikit: the Schematron step on {} failed unexpectedly (a defect: please report it)", job.uri));
            continue;
        };
        let mut diags = job.extra.clone();
        diags.extend(
            found
                .iter()
                .map(|d| to_lsp(d, &job.text, &job.lines, &job.uri)),
        );
        if shared.version(&job.uri) == Some(job.version) {
            shared.publish(&job.uri, job.version, diags);
        }
    }
}

/// Validates one open document's current text and publishes the result unless it is stale:
/// first everything but Schematron (fast), then, on the Schematron worker, everything.
fn validate(shared: &Shared, uri: &Url) {
    let Some((version, text, lines)) = shared.snapshot(uri) else {
        return;
    };
    let path = path_of(uri);
    let (options, workbench, registers, others) = {
        let ws = shared.workspace();
        (
            ws.options.clone(),
            ws.workbench.clone(),
            ws.registers.clone(),
            ws.others(&path),
        )
    };
    let mut fast = (*options).clone();
    fast.no_schematron = true;
    let mut done = workbench.validate_text(&path, text.to_string(), &fast, &registers);
    let pairs: Vec<(&Path, &crate::check::FileFacts)> = others
        .iter()
        .map(|(p, i)| (p.as_path(), &i.facts))
        .collect();
    workbench.cross_file(&mut done, &text, &pairs, &fast);
    if shared.version(uri) != Some(version) {
        return; // stale: the newer text is pending
    }
    let mut extra = Vec::new();
    if done.report.schema.ends_with("(does not compile)") {
        for f in workbench.schema_failures(&options) {
            if let Some(first) = f.diagnostics.first() {
                extra.push(lsp_types::Diagnostic {
                    range: lsp_types::Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String(first.code.id.to_string())),
                    code_description: code_url(first.code.id).map(|href| CodeDescription { href }),
                    source: Some("teikit".into()),
                    message: format!(
                        "the schema {} does not compile (the grammar was not checked): {}",
                        f.path.display(),
                        first.message
                    ),
                    ..Default::default()
                });
            }
        }
    }
    let mut diags = extra.clone();
    diags.extend(
        done.report
            .diagnostics
            .iter()
            .map(|d| to_lsp(d, &text, &lines, uri)),
    );
    shared.publish(uri, version, diags);
    if !options.no_schematron {
        shared.schematron.put(SchematronJob {
            uri: uri.clone(),
            version,
            path: path.clone(),
            text: text.clone(),
            lines,
            found: done.report.diagnostics,
            dropped: done.dropped,
            extra,
            options,
            workbench,
        });
    }
    // the document as the others see it: when its ids or letters changed, they are checked again
    let ix = super::index::FileIndex::build(&text, &path, &registers, &fast.config.limits);
    shared.store_index(uri, &path, version, ix);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::pointers::DANGLING_REF;

    #[test]
    fn did_you_mean_replaces_the_quoted_token_only() {
        let text = r##"<persName ref="#lovelace #somervile">x</persName>"##;
        let start = text.find("#lovelace").unwrap();
        let d = Diagnostic::new(
            &DANGLING_REF,
            start..start + "#lovelace #somervile".len(),
            "@ref points to `#somervile`, but no element has xml:id `somervile`",
        )
        .with_help("did you mean `#somerville`?");
        let f = suggested_fix(&d, text).unwrap();
        assert_eq!(&text[f.span.clone()], "#somervile");
        assert_eq!(f.new_text, "#somerville");
        assert_eq!(
            code_url("tei::xref::dangling_ref").unwrap().fragment(),
            Some("teixrefdangling_ref")
        );
    }
}
