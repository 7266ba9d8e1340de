//! The TEI writer: a small indenting writer over a string (escaping by quick-xml) that keeps
//! every character of the source inside `<text>`: block elements are indented, mixed content
//! is written exactly as the source has it.

/// Escapes `text` for XML, writing a character XML forbids as U+FFFD (the CLI reports each
/// with [`super::replace_forbidden`] before encoding; this keeps any caller's output
/// well-formed).
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(super::forbidden::xml_char) {
        return quick_xml::escape::escape(text);
    }
    let safe: String = text
        .chars()
        .map(|c| {
            if super::forbidden::xml_char(c) {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect();
    quick_xml::escape::escape(safe.as_str()).into_owned().into()
}

/// An indenting XML writer.
pub struct Xml {
    out: String,
    stack: Vec<&'static str>,
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    /// A writer with the XML declaration written.
    pub fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            stack: Vec::new(),
        }
    }

    fn indent(&mut self) {
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        for _ in 0..self.stack.len() {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)], empty: bool) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            self.out.push_str(&escape(v));
            self.out.push('"');
        }
        self.out.push_str(if empty { "/>" } else { ">" });
    }

    /// Opens a block element on its own line.
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs, false);
        self.stack.push(name);
    }

    /// Closes the innermost block element on its own line.
    pub fn close(&mut self) {
        if let Some(name) = self.stack.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// An element on its own line holding escaped text.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.start_tag(name, attrs, false);
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An empty element on its own line.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs, true);
    }

    /// Opens an element for mixed content on its own line; follow with `inline_*` calls and
    /// [`Xml::end_inline`].
    pub fn open_inline(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs, false);
    }

    /// Writes escaped text inside mixed content.
    pub fn text(&mut self, text: &str) {
        self.out.push_str(&escape(text));
    }

    /// Opens an inline element.
    pub fn inline_open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs, false);
    }

    /// Closes an inline element.
    pub fn inline_close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Closes an element opened with [`Xml::open_inline`].
    pub fn end_inline(&mut self, name: &str) {
        self.inline_close(name);
    }

    /// The document, ending in a newline.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.close();
        }
        self.out.push('\n');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_escapes() {
        let mut x = Xml::new();
        x.open("a", &[("k", "v\"&")]);
        x.leaf("b", &[], "1 < 2");
        x.open_inline("p", &[]);
        x.text("x & ");
        x.inline_open("date", &[("when", "1900")]);
        x.text("1900");
        x.inline_close("date");
        x.end_inline("p");
        let s = x.finish();
        assert!(s.contains("<a k=\"v&quot;&amp;\">\n  <b>1 &lt; 2</b>\n  <p>x &amp; <date when=\"1900\">1900</date></p>\n</a>\n"), "{s}");
        assert!(roxmltree::Document::parse(&s).is_ok());
    }
}
