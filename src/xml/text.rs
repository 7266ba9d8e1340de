//! Runs of character data: text, CDATA and references between two tags become one event.

use std::ops::Range;

use super::event::Handler;
use super::reader::{Parser, Res};
use crate::diagnostic::Diagnostic;

/// Pushes `s` with line ends normalised (`\r\n` and `\r` become `\n`).
pub(super) fn push_normalised(buf: &mut String, s: &str) {
    if !s.contains('\r') {
        buf.push_str(s);
        return;
    }
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        buf.push_str(&rest[..i]);
        buf.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    buf.push_str(rest);
}

impl Parser<'_, '_> {
    // ---- text runs ---------------------------------------------------------------------

    /// Adds character data: `content` is in `src` (the main text when `main`), `span` is
    /// where it came from.
    pub(super) fn add_text(
        &mut self,
        src: &str,
        main: bool,
        content: Range<usize>,
        span: Range<usize>,
    ) -> Res {
        if content.is_empty() && self.run.active {
            self.run.span.end = self.run.span.end.max(span.end);
            return Ok(());
        }
        let piece = &src[content.clone()];
        if !self.run.active {
            self.run.active = true;
            self.run.span = span;
            self.textbuf.clear();
            if main && !piece.contains('\r') {
                self.run.borrowed = Some(content);
            } else {
                self.run.borrowed = None;
                push_normalised(&mut self.textbuf, piece);
            }
            return self.check_run();
        }
        self.run.span.start = self.run.span.start.min(span.start);
        self.run.span.end = self.run.span.end.max(span.end);
        self.unborrow();
        push_normalised(&mut self.textbuf, piece);
        self.check_run()
    }

    /// The text run so far is no longer than the limit.
    fn check_run(&mut self) -> Res {
        let len = match &self.run.borrowed {
            Some(b) => b.len(),
            None => self.textbuf.len(),
        };
        let max = self.opts.max_text_length;
        if len <= max {
            return Ok(());
        }
        let at = self.run.span.start;
        self.fatal(
            Diagnostic::new(
                &crate::limit::TEXT_LENGTH,
                at..at + 1,
                format!("text longer than the limit of {max} bytes (one run of character data, merged across references and CDATA sections) starts here; reading stopped"),
            )
            .with_help(crate::limit::raise("text_length")),
        )
    }

    pub(super) fn unborrow(&mut self) {
        if let Some(b) = self.run.borrowed.take() {
            self.textbuf.clear();
            self.textbuf.push_str(&self.window[b]);
        }
    }

    pub(super) fn add_char(&mut self, c: char, span: Range<usize>) -> Res {
        if !self.run.active {
            self.run.active = true;
            self.run.span = span;
            self.run.borrowed = None;
            self.textbuf.clear();
        } else {
            self.run.span.start = self.run.span.start.min(span.start);
            self.run.span.end = self.run.span.end.max(span.end);
            self.unborrow();
        }
        self.textbuf.push(c);
        self.check_run()
    }

    pub(super) fn flush(&mut self, h: &mut dyn Handler) {
        if !self.run.active {
            return;
        }
        self.run.active = false;
        if self.stack.is_empty() {
            return; // outside the root: only whitespace gets here, and it is not an event
        }
        let span = self.run.span.clone();
        match self.run.borrowed.take() {
            Some(b) => h.text(&self.window[b], span),
            None => {
                if !self.textbuf.is_empty() {
                    h.text(&self.textbuf, span)
                }
            }
        }
    }
}
