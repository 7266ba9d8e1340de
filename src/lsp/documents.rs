//! The documents the editor has open: their text as the editor holds it (full or incremental
//! sync), their version, and a line map kept up to date edit by edit.

use super::position::{floor_char, LineMap};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use std::collections::HashMap;
use std::sync::Arc;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The editor's version (increases with every change).
    pub version: i32,
    /// The text, shared with the diagnostics worker without a copy per request.
    pub text: Arc<String>,
    /// Line starts of `text`.
    pub lines: LineMap,
}

impl Document {
    /// A document as opened.
    pub fn new(version: i32, text: String) -> Document {
        let lines = LineMap::new(&text);
        Document {
            version,
            text: Arc::new(text),
            lines,
        }
    }

    /// Applies the editor's changes in order (a change without a range replaces the text).
    pub fn apply(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        let text = Arc::make_mut(&mut self.text);
        for c in changes {
            match c.range {
                None => {
                    *text = c.text;
                    self.lines = LineMap::new(text);
                }
                Some(r) => {
                    let start = self.lines.offset(text, r.start);
                    let end = self.lines.offset(text, r.end).max(start);
                    let (start, end) = (floor_char(text, start), floor_char(text, end));
                    text.replace_range(start..end, &c.text);
                    self.lines.edit(start, end, &c.text);
                }
            }
        }
        self.version = version;
    }

    /// The byte offset of a position.
    pub fn offset(&self, pos: Position) -> usize {
        self.lines.offset(&self.text, pos)
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// The range of a byte range.
    pub fn range(&self, span: std::ops::Range<usize>) -> Range {
        self.lines.range(&self.text, span)
    }
}

/// The open documents by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Url, Document>,
}

impl Documents {
    /// Opens (or reopens) a document.
    pub fn open(&mut self, uri: Url, version: i32, text: String) {
        self.open.insert(uri, Document::new(version, text));
    }

    /// Applies changes; false when the document is not open.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        match self.open.get_mut(uri) {
            Some(d) => {
                d.apply(version, changes);
                true
            }
            None => false,
        }
    }

    /// Closes a document.
    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    /// An open document.
    pub fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(uri)
    }

    /// The URIs of every open document.
    pub fn uris(&self) -> Vec<Url> {
        self.open.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes() {
        let mut d = Document::new(1, "<a>\n  <b/>\n</a>\n".into());
        d.apply(
            2,
            vec![change(1, 3, 1, 4, "c"), change(0, 0, 0, 0, "<?x?>\n")],
        );
        assert_eq!(d.text.as_str(), "<?x?>\n<a>\n  <c/>\n</a>\n");
        // a range past the end is clamped
        d.apply(3, vec![change(9, 0, 9, 5, "<!---->")]);
        assert!(d.text.ends_with("</a>\n<!---->"));
        assert_eq!(d.position(d.text.len()), Position::new(4, 7));
        assert_eq!(d.version, 3);
    }
}
