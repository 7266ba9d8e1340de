//! Views over validation results: human, JSON, SARIF 2.1.0, JUnit XML, GitHub annotations, SVRL
//! (the Schematron findings), and the HTML report page ([`html`], which adds the letter index).
//! Each format is one file with a function from an [`Outcome`](crate::validate::Outcome) to
//! text; the human view gives `miette::Diagnostic` values that the binary renders.

mod fingerprint;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod svrl;

use crate::diagnostic::Code;
use crate::source::LineIndex;
use crate::validate::FileReport;

/// Every code of the `tei::report` area.
pub static CODES: &[&Code] = &[&sarif::RESULTS_LEFT_OUT];

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// miette's graphical report, for people.
    Human,
    /// The JSON contract.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML, one testcase per file.
    Junit,
    /// GitHub workflow commands (`::error file=…`).
    Github,
    /// SVRL (ISO Schematron's report language): the Schematron findings.
    Svrl,
}

/// A path as written in every machine format: forward slashes.
pub fn path_text(f: &FileReport) -> String {
    f.path.to_string_lossy().replace('\\', "/")
}

/// What to do about `d`: its own help, else the first paragraph of its code's explanation.
pub fn help_text(d: &crate::diagnostic::Diagnostic) -> &str {
    match &d.help {
        Some(h) => h,
        None => d
            .code
            .explanation
            .split("\n\n")
            .next()
            .unwrap_or(d.code.explanation),
    }
}

/// The path a diagnostic is in, as written in every machine format: the file it was
/// included from (XInclude), else its report's.
pub fn diagnostic_path(f: &FileReport, d: &crate::diagnostic::Diagnostic) -> String {
    match &d.origin {
        Some(o) => o.file.to_string_lossy().replace('\\', "/"),
        None => path_text(f),
    }
}

/// 1-based (line, column) of an offset of the file `d` is in (its origin when it was
/// included from another file, else `f`'s text: [`position`]).
pub(crate) fn position_of(
    f: &FileReport,
    ix: Option<&LineIndex>,
    d: &crate::diagnostic::Diagnostic,
    offset: usize,
) -> Option<(u32, u32)> {
    match &d.origin {
        Some(o) => Some(o.line_col(offset)),
        None => position(f, ix, offset),
    }
}

/// 1-based (line, column) of the end of a span, from the kept source when there is one.
pub(crate) fn end_of(
    f: &FileReport,
    ix: Option<&LineIndex>,
    d: &crate::diagnostic::Diagnostic,
) -> (u32, u32) {
    if d.span.end > d.span.start && d.line > 0 {
        if let Some(p) = position_of(f, ix, d, d.span.end) {
            return p;
        }
    }
    (d.line.max(1), d.column.max(1))
}

/// 1-based (line, column) of an offset of `f`'s text: from the kept source (indexed by `ix`),
/// else from the excerpts kept of a streamed file.
pub(crate) fn position(
    f: &FileReport,
    ix: Option<&LineIndex>,
    offset: usize,
) -> Option<(u32, u32)> {
    match ix {
        Some(ix) => Some(ix.line_col(&f.source, offset)),
        None => f.excerpts.line_col(offset),
    }
}
