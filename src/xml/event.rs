//! The events the reader sends to a [`Handler`]. Everything is borrowed for the duration of one
//! call; a handler copies what it keeps.

use std::ops::Range;

/// Resolves namespace prefixes in scope at an element (for QName-typed values).
pub trait NsContext {
    /// The namespace URI bound to `prefix` (`""` = the default namespace), if any.
    fn resolve(&self, prefix: &str) -> Option<&str>;
}

/// One attribute of a start tag, namespace-resolved, value with entities expanded and
/// attribute-value normalisation applied.
#[derive(Debug, Clone)]
pub struct Attribute<'a> {
    /// Namespace URI (`""` for none; `http://www.w3.org/XML/1998/namespace` for `xml:`).
    pub ns: &'a str,
    /// Local name.
    pub local: &'a str,
    /// The name as written (`xml:id`, `ref`).
    pub qname: &'a str,
    /// The normalised value.
    pub value: &'a str,
    /// Byte range of the whole attribute (`name="value"`).
    pub span: Range<usize>,
    /// Byte range of the value between the quotes.
    pub value_span: Range<usize>,
}

/// A start tag (or the start of an empty-element tag).
pub struct StartTag<'a> {
    /// Namespace URI of the element (`""` for none).
    pub ns: &'a str,
    /// Local name.
    pub local: &'a str,
    /// The name as written.
    pub qname: &'a str,
    /// Byte range of the whole tag, `<` to `>`.
    pub span: Range<usize>,
    /// Attributes, without namespace declarations (`xmlns`, `xmlns:p`).
    pub attributes: &'a [Attribute<'a>],
    /// True for `<x/>`; an [`EndTag`] event follows immediately anyway.
    pub empty: bool,
    /// The namespaces in scope here.
    pub namespaces: &'a dyn NsContext,
}

/// An end tag (also sent right after the start of an empty-element tag).
#[derive(Clone)]
pub struct EndTag<'a> {
    /// Namespace URI.
    pub ns: &'a str,
    /// Local name.
    pub local: &'a str,
    /// The name as written.
    pub qname: &'a str,
    /// Byte range of the end tag (for `<x/>`, the whole empty tag).
    pub span: Range<usize>,
    /// The namespaces in scope in the element (still its own: for QName-typed content).
    pub namespaces: &'a dyn NsContext,
}

impl std::fmt::Debug for EndTag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndTag")
            .field("ns", &self.ns)
            .field("local", &self.local)
            .field("qname", &self.qname)
            .field("span", &self.span)
            .finish_non_exhaustive()
    }
}

/// Receives a document as events, in document order.
pub trait Handler {
    /// An element starts.
    fn start_element(&mut self, tag: &StartTag<'_>);
    /// An element ends.
    fn end_element(&mut self, tag: &EndTag<'_>);
    /// Character data between two tags: adjacent text, CDATA sections and references are
    /// merged into one event; `span` covers the raw markup they came from.
    fn text(&mut self, text: &str, span: Range<usize>);
    /// A processing instruction (`<?xml-model …?>` among them), before or inside the root.
    fn processing_instruction(&mut self, _target: &str, _data: &str, _span: Range<usize>) {}
    /// A comment (`body`: between `<!--` and `-->`). Comments do not end a text run: the
    /// run's text so far was `run_before` bytes long, and the [`Handler::text`] event that
    /// follows (if the run goes on, or had begun) holds the text on both sides.
    fn comment(&mut self, _body: &str, _span: Range<usize>, _run_before: usize) {}
    /// An unparsed entity (`<!ENTITY name SYSTEM "…" NDATA notation>`) declared in the internal
    /// subset: sent once per name, in name order, after the DOCTYPE and before the root element.
    fn unparsed_entity(&mut self, _name: &str) {}
}
