//! The human view: each diagnostic as a `miette::Diagnostic` with its file's source, labels
//! and help. The library builds these values; the binary renders them with a theme (colour,
//! width), so the library needs no terminal dependency.

use crate::diagnostic::{Diagnostic as Diag, Severity};
use crate::source::Excerpts;
use crate::validate::{FileReport, Outcome};
use miette::{LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceSpan, SpanContents};
use std::fmt;
use std::sync::Arc;

/// One diagnostic of one file, ready for a miette report handler.
#[derive(Debug)]
pub struct HumanDiagnostic {
    diag: Diag,
    source: Arc<Source>,
}

/// What a file's snippets are cut from: its whole text, or the lines kept of a streamed file.
#[derive(Debug)]
enum Source {
    Whole(NamedSource<String>),
    Excerpts(String, Excerpts),
    None,
}

impl Source {
    /// Whether `r` can be shown (a label outside the kept lines of a streamed file cannot).
    fn shows(&self, r: &std::ops::Range<usize>) -> bool {
        match self {
            Source::Whole(_) => true,
            Source::Excerpts(_, ex) => ex
                .piece_at(r.start)
                .is_some_and(|(text, at, _)| r.end <= at + text.len()),
            Source::None => false,
        }
    }

    /// The text length spans are clamped to.
    fn len(&self) -> usize {
        match self {
            Source::Whole(n) => n.inner().len(),
            _ => usize::MAX,
        }
    }
}

impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            Source::Whole(n) => n.read_span(span, before, after),
            Source::Excerpts(name, ex) => {
                let (text, at, line) =
                    ex.piece_at(span.offset()).ok_or(MietteError::OutOfBounds)?;
                let start = span.offset() - at;
                let local = SourceSpan::new(start.into(), span.len().min(text.len() - start));
                let c = text.read_span(&local, before, after)?;
                Ok(Box::new(
                    MietteSpanContents::new_named(
                        name.clone(),
                        c.data(),
                        SourceSpan::new((c.span().offset() + at).into(), c.span().len()),
                        c.line() + line as usize - 1,
                        c.column(),
                        c.line_count(),
                    )
                    .with_language("xml"),
                ))
            }
            Source::None => Err(MietteError::OutOfBounds),
        }
    }
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
        if self.source.shows(&self.diag.span) {
            Some(&*self.source)
        } else {
            None
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.source.shows(&self.diag.span) {
            return None;
        }
        let len = self.source.len();
        let primary = LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            span(&self.diag.span, len),
        );
        let source = &self.source;
        let rest = self
            .diag
            .labels
            .iter()
            .filter(move |l| source.shows(&l.span))
            .map(move |l| LabeledSpan::new_with_span(Some(l.message.clone()), span(&l.span, len)));
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// The diagnostics of one file as miette values (the source shared between them).
pub fn file_diagnostics(f: &FileReport) -> Vec<HumanDiagnostic> {
    let source = Arc::new(if !f.source.is_empty() {
        Source::Whole(NamedSource::new(super::path_text(f), f.source.clone()).with_language("xml"))
    } else if !f.excerpts.is_empty() {
        Source::Excerpts(super::path_text(f), f.excerpts.clone())
    } else {
        Source::None
    });
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
