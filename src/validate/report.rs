//! What a run gives back: one [`FileReport`] per file, the [`Summary`] counts and the
//! [`Outcome`] with its exit status; and the reports on schema files that do not compile.

use super::schema;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::LineIndex;
use std::path::{Path, PathBuf};

/// The result for one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as found (input as given, or under a given folder).
    pub path: PathBuf,
    /// Which schema was used ("none" when the grammar step did not run).
    pub schema: String,
    /// Diagnostics, sorted by position, with line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded text, kept only when there are diagnostics (for source snippets).
    pub source: String,
    /// For a streamed file (whose text is not kept): the lines around its diagnostics and the
    /// positions of their spans and labels.
    pub excerpts: crate::source::Excerpts,
    /// Whether this report stands for an I/O or schema failure (exit status 2): an unreadable
    /// input, or a schema file that does not compile (reported with its own diagnostics).
    pub fatal: bool,
    /// The Schematron schemas that ran on the file (for the SVRL report).
    pub schematron: Vec<std::sync::Arc<crate::schematron::svrl::SchemaInfo>>,
}

impl FileReport {
    /// The report of `path` before anything is found: no schema, no diagnostics, no source.
    pub fn new(path: &Path) -> FileReport {
        FileReport {
            path: path.to_path_buf(),
            schema: "none".into(),
            diagnostics: Vec::new(),
            source: String::new(),
            excerpts: Default::default(),
            fatal: false,
            schematron: Vec::new(),
        }
    }

    /// No error (and, with `deny_warnings`, no warning).
    pub fn is_valid(&self, deny_warnings: bool) -> bool {
        !self.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        })
    }

    /// Number of diagnostics of one severity.
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// Counts over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
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
}

/// Everything a run found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One report per file, in input order.
    pub files: Vec<FileReport>,
    /// The counts.
    pub summary: Summary,
    /// Whether warnings counted as failures.
    pub deny_warnings: bool,
}

impl Outcome {
    /// 0 no errors, 1 errors (or warnings with `deny_warnings`) in some file, 2 some file could
    /// not be read.
    pub fn exit_code(&self) -> u8 {
        if self.files.iter().any(|f| f.fatal) {
            2
        } else if self.summary.invalid > 0 {
            1
        } else {
            0
        }
    }
}

/// A problem that stops the run before any file is validated (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A register file could not be read.
    #[error("{0}")]
    Registers(String),
}

/// A schema that does not compile, as a report on the schema file(s).
pub(super) fn schema_report(
    path: &Path,
    e: &crate::relaxng::SchemaError,
    limits: &crate::limit::Limits,
) -> FileReport {
    // only a RELAX NG file's text may be quoted (the path may name any file), and only a
    // regular file within the schema size limit is read
    let source = schema::quotable_text(path, limits).unwrap_or_default();
    let ix = LineIndex::new(&source);
    let same = |f: &Path| std::fs::canonicalize(f).ok() == std::fs::canonicalize(path).ok();
    let diagnostics = e
        .diagnostics
        .iter()
        .map(|sd| {
            let mut d = sd.diagnostic.clone();
            if !same(&sd.file) {
                d.message = format!("{}: {}", sd.file.display(), d.message);
                d.span = 0..0;
            }
            if d.line == 0 {
                let (l, c) = ix.line_col(&source, d.span.start);
                d.line = l;
                d.column = c;
            }
            d
        })
        .collect();
    FileReport {
        diagnostics,
        source,
        fatal: true,
        ..FileReport::new(path)
    }
}

/// A Schematron schema that cannot be used, as a report on the file the problem is in.
pub(super) fn schematron_report(path: &Path, e: &crate::schematron::SchemaProblem) -> FileReport {
    // only a file that is Schematron (or RELAX NG embedding it) is quoted: a path may name any
    // file of the machine; and only a regular file within the schema size limit is read (a
    // device or FIFO never is)
    let max = crate::limit::Limits::default().schema_size;
    let source = crate::fsutil::read_regular(path, max)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|t| t.contains(schema::SCH_NS) || schema::is_rng_text(t))
        .unwrap_or_default();
    let start = offset_of(&source, e.at.line, e.at.column);
    let mut d = Diagnostic::new(
        &crate::schematron::SCHEMA_ERROR,
        start..start,
        e.message.clone(),
    )
    .at(e.at.line, e.at.column);
    if source.is_empty() {
        d.message = format!("{} (line {}, column {})", d.message, e.at.line, e.at.column);
    }
    FileReport {
        diagnostics: vec![d],
        source,
        fatal: true,
        ..FileReport::new(path)
    }
}

/// The byte offset of 1-based `line` and `column` (characters) in `text` (0 when out of range).
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let Some(start) = text
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let here = *at;
            *at += l.len();
            Some(here)
        })
        .nth(line.saturating_sub(1) as usize)
    else {
        return 0;
    };
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(start, |(i, _)| start + i)
}
