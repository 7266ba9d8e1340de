//! The human view: each diagnostic as a `miette::Diagnostic` with its file's source, labels
//! and help. The library builds these values; the binary renders them with a theme (colour,
//! width), so the library needs no terminal dependency.
//!
//! Snippets are cut from an index of line starts built once per file, so that a diagnostic
//! costs the lines it shows, not the file before it. A line longer than [`MAX_LINE`] bytes (a
//! whole document on one line, or thousands of nested elements) is shown as a cut of at most
//! a few hundred bytes around the diagnostic; context lines that long are left out. Control
//! characters, from the file or quoted in a message, are shown as `?` or `\u{…}`, never sent
//! to the terminal.

use crate::diagnostic::{Diagnostic as Diag, Severity};
use crate::source::Excerpts;
use crate::validate::{FileReport, Outcome};
use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceSpan, SpanContents};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// A line longer than this many bytes is shown only as a cut around the diagnostic.
pub const MAX_LINE: usize = 1000;

/// Bytes shown on each side of a diagnostic on a long line.
const CUT_CONTEXT: usize = 60;

/// Bytes of a diagnostic's own span shown on a long line.
const CUT_SPAN: usize = 200;

/// One diagnostic of one file, ready for a miette report handler.
#[derive(Debug)]
pub struct HumanDiagnostic {
    diag: Diag,
    message: String,
    help: Option<String>,
    source: Arc<Source>,
    /// The primary span as shown (cut on a long line).
    primary: Option<Range<usize>>,
    /// Whether the primary span is on a long line (shown as a cut).
    long: bool,
}

/// Line starts of a run of text, relative to it: `starts[i]` is where 0-based line `i` begins.
fn line_starts(text: &str) -> Arc<[usize]> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// The 0-based line of `offset` in a text with line starts `starts`.
fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A run of text that snippets are cut from: its text, the document offset of its first byte,
/// the 0-based line of that byte, and its line starts.
struct Piece<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    starts: Arc<[usize]>,
}

impl Piece<'_> {
    /// Byte range (relative) of 0-based line `i` of the piece, without its line end.
    fn line_range(&self, i: usize) -> Range<usize> {
        let start = self.starts[i];
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    fn long(&self, i: usize) -> bool {
        self.line_range(i).len() > MAX_LINE
    }
}

/// What a file's snippets are cut from: its whole text, or the lines kept of a streamed file.
#[derive(Debug)]
struct Source {
    name: String,
    text: Text,
}

enum Text {
    Whole { text: String, starts: Arc<[usize]> },
    Excerpts(Excerpts, Mutex<HashMap<usize, Arc<[usize]>>>),
    None,
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Text::Whole { .. } => "Whole",
            Text::Excerpts(..) => "Excerpts",
            Text::None => "None",
        })
    }
}

/// `text` with its control characters (but tab and line ends) replaced by characters of the
/// same length in bytes, so that offsets still hold and nothing reaches the terminal as a
/// command.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(bad) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            c if !bad(c) => c.to_string(),
            c => "?".repeat(c.len_utf8()),
        })
        .collect::<String>()
        .into()
}

/// `text` with control characters (but line ends and tabs) written as `\u{…}`.
fn escaped(text: &str) -> String {
    let mut o = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            o.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            o.push(c);
        }
    }
    o
}

impl Source {
    /// The run of text holding `offset` (the end of a run counts).
    fn piece(&self, offset: usize) -> Option<Piece<'_>> {
        match &self.text {
            Text::Whole { text, starts } => (offset <= text.len()).then(|| Piece {
                text,
                at: 0,
                line: 0,
                starts: Arc::clone(starts),
            }),
            Text::Excerpts(ex, cache) => {
                let (text, at, line) = ex.piece_at(offset)?;
                let mut cache = match cache.lock() {
                    Ok(c) => c,
                    Err(p) => p.into_inner(),
                };
                let starts = Arc::clone(cache.entry(at).or_insert_with(|| line_starts(text)));
                Some(Piece {
                    text,
                    at,
                    line: line as usize - 1,
                    starts,
                })
            }
            Text::None => None,
        }
    }

    /// Whether `r` can be shown (a label outside the kept lines of a streamed file cannot).
    fn shows(&self, r: &Range<usize>) -> bool {
        self.piece(r.start)
            .is_some_and(|p| r.end <= p.at + p.text.len())
    }
}

impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let p = self.piece(span.offset()).ok_or(MietteError::OutOfBounds)?;
        let start = span.offset() - p.at;
        let end = (start + span.len()).min(p.text.len());
        let first = line_of(&p.starts, start);
        let last = line_of(&p.starts, end.saturating_sub(1).max(start));
        if p.long(first) {
            return Ok(Box::new(cut(&self.name, &p, start, end, before)));
        }
        // a window of whole lines: the context lines asked for that are not long (miette
        // starts at the window's first line and ends at its last when they are fewer)
        let above = (1..=before.min(first))
            .take_while(|i| !p.long(first - i))
            .count();
        let below = (1..=after)
            .take_while(|i| last + i < p.starts.len() && !p.long(last + i))
            .count();
        let from = p.starts[first - above];
        let to = p.starts.get(last + below + 1).map_or(p.text.len(), |&s| s);
        let window = &p.text[from..to];
        let local = SourceSpan::new((start - from).into(), end - start);
        let c = window.read_span(&local, before, after)?;
        let lines_before = first - above + p.line;
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                c.data(),
                SourceSpan::new((c.span().offset() + from + p.at).into(), c.span().len()),
                c.line() + lines_before,
                c.column(),
                c.line_count() + lines_before,
            )
            .with_language("xml"),
        ))
    }
}

/// The snippet of a span on a long line: at most [`CUT_SPAN`] bytes of it and
/// [`CUT_CONTEXT`] on each side, within its line (no context lines).
fn cut<'a>(
    name: &str,
    p: &Piece<'a>,
    start: usize,
    end: usize,
    before: usize,
) -> MietteSpanContents<'a> {
    let i = line_of(&p.starts, start);
    let line = p.line_range(i);
    let end = end.min(line.end).min(start + CUT_SPAN);
    let from = if before == 0 {
        start
    } else {
        floor_boundary(p.text, start.saturating_sub(CUT_CONTEXT).max(line.start))
    };
    let to = ceil_boundary(p.text, (end + CUT_CONTEXT).min(line.end)).max(from);
    MietteSpanContents::new_named(
        name.to_string(),
        &p.text.as_bytes()[from..to],
        SourceSpan::new((from + p.at).into(), to - from),
        i + p.line,
        from - line.start,
        i + p.line,
    )
    .with_language("xml")
}

impl fmt::Display for HumanDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanDiagnostic {}

fn span(r: &Range<usize>) -> SourceSpan {
    SourceSpan::new(r.start.into(), r.end.saturating_sub(r.start))
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
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.primary.as_ref().map(|_| &*self.source as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.primary.clone()?;
        let main = LabeledSpan::new_primary_with_span(Some("here".to_string()), span(&primary));
        let cut = self.long;
        let source = &self.source;
        let rest = self
            .diag
            .labels
            .iter()
            .filter(move |l| source.shows(&l.span))
            // on a long line, only what the cut around the diagnostic shows
            .filter(move |l| {
                !cut || (l.span.start + CUT_CONTEXT >= primary.start
                    && l.span.end <= primary.end + CUT_CONTEXT
                    && l.span.len() <= CUT_SPAN)
            })
            .map(|l| LabeledSpan::new_with_span(Some(escaped(&l.message)), span(&l.span)));
        Some(Box::new(std::iter::once(main).chain(rest)))
    }
}

/// The primary span as shown: clamped to the text, and on a long line (then `true`) cut to at
/// most [`CUT_SPAN`] bytes of its line; `None` when it cannot be shown.
fn primary_span(source: &Source, r: &Range<usize>) -> Option<(Range<usize>, bool)> {
    let len = match &source.text {
        Text::Whole { text, .. } => text.len(),
        _ => usize::MAX,
    };
    let start = r.start.min(len);
    let r = start..r.end.min(len).max(start);
    if !source.shows(&r) {
        return None;
    }
    let p = source.piece(r.start)?;
    let i = line_of(&p.starts, r.start - p.at);
    if !p.long(i) {
        return Some((r, false));
    }
    let line = p.line_range(i);
    let end = (r.end - p.at).min(line.end).min(r.start - p.at + CUT_SPAN);
    let end = floor_boundary(p.text, end).max(r.start - p.at);
    Some((r.start..end + p.at, true))
}

/// The source of the file a diagnostic included from another file (XInclude) is in, one per
/// file.
fn origin_source(
    sources: &mut HashMap<std::path::PathBuf, Arc<Source>>,
    o: &crate::diagnostic::Origin,
) -> Arc<Source> {
    Arc::clone(sources.entry(o.file.clone()).or_insert_with(|| {
        let text = printable(&o.text).into_owned();
        let starts = line_starts(&text);
        Arc::new(Source {
            name: escaped(&o.file.to_string_lossy().replace('\\', "/")),
            text: Text::Whole { text, starts },
        })
    }))
}

/// The diagnostics of one file as miette values (the source shared between them).
pub fn file_diagnostics(f: &FileReport) -> Vec<HumanDiagnostic> {
    let text = if !f.source.is_empty() {
        let text = printable(&f.source).into_owned();
        let starts = line_starts(&text);
        Text::Whole { text, starts }
    } else if !f.excerpts.is_empty() {
        // a streamed file's lines, like a whole text, without control characters
        Text::Excerpts(f.excerpts.map_text(printable), Mutex::new(HashMap::new()))
    } else {
        Text::None
    };
    let source = Arc::new(Source {
        name: escaped(&super::path_text(f)),
        text,
    });
    let mut included = HashMap::new();
    f.diagnostics
        .iter()
        .map(|d| {
            let (source, help) = match &d.origin {
                Some(o) => {
                    let from = o.included_from_text();
                    let help = match &d.help {
                        Some(h) => format!("{h}\n{from}"),
                        None => from,
                    };
                    (origin_source(&mut included, o), Some(help))
                }
                None => (Arc::clone(&source), d.help.clone()),
            };
            let shown = primary_span(&source, &d.span);
            HumanDiagnostic {
                message: escaped(&d.message),
                help: help.as_deref().map(escaped),
                long: shown.as_ref().is_some_and(|s| s.1),
                primary: shown.map(|s| s.0),
                diag: d.clone(),
                source,
            }
        })
        .collect()
}

/// The line that opens a file's diagnostics: its path and schema.
pub fn heading(f: &FileReport) -> String {
    escaped(&format!("{} (schema: {})\n", super::path_text(f), f.schema))
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
            escaped(&schemas.join(", "))
        }
    )
}
