//! The source lines a report page keeps for its diagnostics: the same lines the human format
//! shows (the diagnostic's lines and one line of context on each side), each line cut to
//! [`MAX_LINE_CHARS`] characters around the diagnostic, and at most [`MAX_EXCERPT_BYTES`] in
//! all, so that the page stays small however many diagnostics there are (past the budget a
//! diagnostic is listed without its excerpt, and the page says how many).

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::validate::FileReport;

/// Characters of one source line kept, at most.
pub const MAX_LINE_CHARS: usize = 240;

/// Bytes of source lines kept over the whole page, at most.
pub const MAX_EXCERPT_BYTES: usize = 3_000_000;

/// Lines shown on each side of a diagnostic's lines (as in the human format).
const CONTEXT: u32 = 1;

/// Lines of a diagnostic's own span shown, at most.
const SPAN_LINES: u32 = 4;

/// What is left of the page's excerpt budget.
#[derive(Debug, Default)]
pub struct Budget {
    used: usize,
    /// Diagnostics whose excerpt did not fit.
    pub left_out: usize,
}

/// The lines kept of one file.
pub struct FileLines {
    /// The file's text is held (its line starts are in `starts`).
    held: bool,
    starts: Vec<usize>,
    kept: BTreeMap<u32, (u32, String)>,
}

impl FileLines {
    /// Ready to keep lines of `f` (its kept source, or the excerpts of a streamed file).
    pub fn new(f: &FileReport) -> Self {
        let held = !f.source.is_empty() && !f.diagnostics.is_empty();
        let starts = if held {
            std::iter::once(0)
                .chain(
                    f.source
                        .bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        } else {
            Vec::new()
        };
        FileLines {
            held,
            starts,
            kept: BTreeMap::new(),
        }
    }

    /// 1-based (line, column) of the end of `d`'s span (as [`crate::report::end_of`] gives
    /// it, from this file's own line starts).
    pub fn end_of(&self, f: &FileReport, d: &Diagnostic) -> (u32, u32) {
        if !self.held || d.span.end <= d.span.start || d.line == 0 || d.origin.is_some() {
            return crate::report::end_of(f, None, d);
        }
        let offset = d.span.end.min(f.source.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let mut end = offset;
        while !f.source.is_char_boundary(end) {
            end -= 1;
        }
        let col = f.source[self.starts[line]..end].chars().count() + 1;
        (line as u32 + 1, col as u32)
    }

    /// The text of 1-based line `n`, when known.
    fn line<'a>(&self, f: &'a FileReport, d: &Diagnostic, n: u32) -> Option<&'a str> {
        let text = if self.held {
            let i = n.checked_sub(1)? as usize;
            let start = *self.starts.get(i)?;
            let end = self
                .starts
                .get(i + 1)
                .map_or(f.source.len(), |&e| e.saturating_sub(1));
            &f.source[start..end.max(start)]
        } else {
            let (text, _, first) = f.excerpts.piece_at(d.span.start)?;
            text.split('\n').nth(n.checked_sub(first)? as usize)?
        };
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// Keeps the lines of `d` (which ends on `end_line`), if the budget allows.
    pub fn keep(&mut self, f: &FileReport, d: &Diagnostic, end_line: u32, budget: &mut Budget) {
        // lines of a file included from another one (XInclude) are not this file's
        if d.line == 0 || d.origin.is_some() {
            return;
        }
        let first = d.line.saturating_sub(CONTEXT).max(1);
        let last = end_line.clamp(d.line, d.line + SPAN_LINES - 1) + CONTEXT;
        let mut fits = true;
        for n in first..=last {
            if self.kept.contains_key(&n) {
                continue;
            }
            let Some(text) = self.line(f, d, n) else {
                continue;
            };
            let focus = if n == d.line { d.column as usize } else { 1 };
            let (from, cut) = cut(text, focus);
            if budget.used + cut.len() > MAX_EXCERPT_BYTES {
                fits = false;
                break;
            }
            budget.used += cut.len() + 16;
            self.kept.insert(n, (from, cut));
        }
        if !fits {
            budget.left_out += 1;
        }
    }

    /// The kept lines: (line, first column, text).
    pub fn into_lines(self) -> Vec<(u32, u32, String)> {
        self.kept
            .into_iter()
            .map(|(n, (from, text))| (n, from, text))
            .collect()
    }
}

/// At most [`MAX_LINE_CHARS`] characters of `line` around 1-based column `column`: the first
/// column kept and the text.
fn cut(line: &str, column: usize) -> (u32, String) {
    let count = line.chars().count();
    if count <= MAX_LINE_CHARS {
        return (1, line.to_string());
    }
    let start = column
        .saturating_sub(1 + MAX_LINE_CHARS / 3)
        .min(count - MAX_LINE_CHARS);
    (
        start as u32 + 1,
        line.chars().skip(start).take(MAX_LINE_CHARS).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        assert_eq!(cut("short", 3), (1, "short".to_string()));
        let long: String = "x".repeat(1000) + "HERE" + &"y".repeat(1000);
        let (from, text) = cut(&long, 1001);
        assert_eq!(text.chars().count(), super::MAX_LINE_CHARS);
        let at = text.find("HERE").unwrap();
        assert_eq!(from as usize + at, 1001);
    }
}
