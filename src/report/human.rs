//! The human view: each diagnostic as a `miette::Diagnostic` with its file's source, labels
//! and help. The library builds these values; the binary renders them with a theme (colour,
//! width), so the library needs no terminal dependency.

use crate::diagnostic::{Diagnostic as Diag, Severity};
use crate::validate::{FileReport, Outcome};
use miette::{LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// One diagnostic of one file, ready for a miette report handler.
#[derive(Debug)]
pub struct HumanDiagnostic {
    diag: Diag,
    source: Arc<NamedSource<String>>,
}

impl fmt::Display for HumanDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for HumanDiagnostic {}

fn span(r: &std::ops::Range<usize>, len: usize) -> SourceSpan {
    let start = r.start.min(len);
    SourceSpan::new(start.into(), r.end.min(len).saturating_sub(start))
}

impl miette::Diagnostic for HumanDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diag.code.id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.source.inner().is_empty() {
            None
        } else {
            Some(&*self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.inner().is_empty() {
            return None;
        }
        let len = self.source.inner().len();
        let primary = LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            span(&self.diag.span, len),
        );
        let rest =
            self.diag.labels.iter().map(move |l| {
                LabeledSpan::new_with_span(Some(l.message.clone()), span(&l.span, len))
            });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// The diagnostics of one file as miette values (the source shared between them).
pub fn file_diagnostics(f: &FileReport) -> Vec<HumanDiagnostic> {
    let source =
        Arc::new(NamedSource::new(super::path_text(f), f.source.clone()).with_language("xml"));
    f.diagnostics
        .iter()
        .map(|d| HumanDiagnostic {
            diag: d.clone(),
            source: Arc::clone(&source),
        })
        .collect()
}

/// The closing lines: counts and the schemas used.
pub fn summary(outcome: &Outcome) -> String {
    let s = outcome.summary;
    let mut schemas: Vec<&str> = outcome
        .files
        .iter()
        .filter(|f| !f.fatal)
        .map(|f| f.schema.as_str())
        .collect();
    schemas.sort_unstable();
    schemas.dedup();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}: {} valid, {} invalid; {}, {}\nschema: {}\n",
        plural(s.files, "file"),
        s.valid,
        s.invalid,
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        if schemas.is_empty() {
            "none".to_string()
        } else {
            schemas.join(", ")
        }
    )
}
