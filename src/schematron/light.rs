//! The light tree the Schematron screen ([`super::screen`], [`super::quick`]) reads: elements,
//! attributes, text, comments and processing instructions in document order, with the start
//! tag's and each attribute's place in the text. It is built from teikit's own parse events
//! ([`Builder`] is an [`crate::xml::Handler`]), so a file that is validated anyway gets its tree
//! from the same pass, without reading the text a second time.
//!
//! It holds what roxmltree's tree held for the screen, node for node: text runs merged across
//! references and CDATA sections and split by comments and processing instructions, no text
//! outside the root element, namespace declarations not among the attributes. A document with
//! a DOCTYPE has no light tree (its entities are the engine's).

use crate::xml::{EndTag, Handler, StartTag};
use std::ops::Range;

/// A node's place in its tree: document order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The index in document order (the document node is 0).
    pub fn get(self) -> u32 {
        self.0
    }
}

const NONE: u32 = u32::MAX;

/// A string of the tree: a range of its arena.
#[derive(Clone, Copy, Debug, Default)]
struct Str(u32, u32);

#[derive(Debug)]
enum Kind {
    Root,
    Element {
        ns: u32,
        local: Str,
        qname: Str,
        start: u32,
        attrs: Range<u32>,
    },
    Text(Str),
    Comment(Str),
    Pi {
        target: Str,
        value: Option<Str>,
    },
}

#[derive(Debug)]
struct NodeData {
    kind: Kind,
    parent: u32,
    prev: u32,
    next: u32,
    first_child: u32,
    last_child: u32,
    /// The first node after this one's subtree.
    end: u32,
}

#[derive(Debug)]
struct AttrData {
    ns: u32,
    local: Str,
    qname: Str,
    value: Str,
    span: Range<u32>,
}

/// A document's light tree.
#[derive(Debug)]
pub struct Light {
    nodes: Vec<NodeData>,
    attrs: Vec<AttrData>,
    /// Namespace URIs; index 0 is "no namespace".
    namespaces: Vec<String>,
    arena: String,
}

impl Light {
    /// Reads `text` with teikit's parser; `None` for a document that is not well-formed or
    /// has a DOCTYPE.
    pub fn parse(text: &str) -> Option<Light> {
        let mut b = Builder::for_text(text.len());
        let opts = crate::xml::ParseOptions::default();
        let diags = crate::xml::parse(text, &mut b, &opts);
        if diags
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            return None;
        }
        b.finish(text)
    }

    /// The document node.
    pub fn root(&self) -> Node<'_> {
        Node { t: self, i: 0 }
    }

    /// The node `id` of this tree.
    pub fn get_node(&self, id: NodeId) -> Option<Node<'_>> {
        ((id.0 as usize) < self.nodes.len()).then_some(Node { t: self, i: id.0 })
    }

    /// Every node in document order, the document node first.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'_>> {
        self.root().descendants()
    }

    fn s(&self, s: Str) -> &str {
        &self.arena[s.0 as usize..(s.0 + s.1) as usize]
    }

    fn ns(&self, i: u32) -> Option<&str> {
        (i != 0).then(|| self.namespaces[i as usize].as_str())
    }
}

/// An element's or attribute's expanded name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExpandedName<'a> {
    ns: Option<&'a str>,
    local: &'a str,
}

impl<'a> ExpandedName<'a> {
    /// The namespace URI (`None`: no namespace).
    pub fn namespace(&self) -> Option<&'a str> {
        self.ns
    }
    /// The local name.
    pub fn name(&self) -> &'a str {
        self.local
    }
}

/// A processing instruction's target and data.
pub struct Pi<'a> {
    /// The target.
    pub target: &'a str,
    /// The data (`None` when there is none).
    pub value: Option<&'a str>,
}

/// A node of a [`Light`] tree.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    t: &'a Light,
    i: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.t, other.t) && self.i == other.i
    }
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({})", self.i)
    }
}

impl<'a> Node<'a> {
    fn data(&self) -> &'a NodeData {
        &self.t.nodes[self.i as usize]
    }

    fn at(&self, i: u32) -> Option<Node<'a>> {
        (i != NONE).then_some(Node { t: self.t, i })
    }

    /// Its place in document order.
    pub fn id(&self) -> NodeId {
        NodeId(self.i)
    }
    /// The document node.
    pub fn is_root(&self) -> bool {
        matches!(self.data().kind, Kind::Root)
    }
    /// An element.
    pub fn is_element(&self) -> bool {
        matches!(self.data().kind, Kind::Element { .. })
    }
    /// A text node.
    pub fn is_text(&self) -> bool {
        matches!(self.data().kind, Kind::Text(_))
    }
    /// A comment.
    pub fn is_comment(&self) -> bool {
        matches!(self.data().kind, Kind::Comment(_))
    }
    /// A processing instruction.
    pub fn is_pi(&self) -> bool {
        matches!(self.data().kind, Kind::Pi { .. })
    }

    /// An element's name (empty for other nodes).
    pub fn tag_name(&self) -> ExpandedName<'a> {
        match self.data().kind {
            Kind::Element { ns, local, .. } => ExpandedName {
                ns: self.t.ns(ns),
                local: self.t.s(local),
            },
            _ => ExpandedName {
                ns: None,
                local: "",
            },
        }
    }

    /// An element's name as written (`prefix:local`); `""` for other nodes.
    pub fn qname(&self) -> &'a str {
        match self.data().kind {
            Kind::Element { qname, .. } => self.t.s(qname),
            _ => "",
        }
    }

    /// Where an element's start tag starts (its `<`); other nodes: 0.
    pub fn start(&self) -> usize {
        match self.data().kind {
            Kind::Element { start, .. } => start as usize,
            _ => 0,
        }
    }

    /// An element's attributes in document order (namespace declarations are not among them).
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'a>> + 'a {
        let t = self.t;
        let range = match &self.data().kind {
            Kind::Element { attrs, .. } => attrs.start as usize..attrs.end as usize,
            _ => 0..0,
        };
        t.attrs[range].iter().map(move |a| Attribute { t, a })
    }

    /// The value of the attribute `(namespace, local name)` (`""`: no namespace).
    pub fn attribute(&self, (ns, local): (&str, &str)) -> Option<&'a str> {
        self.attributes()
            .find(|a| a.name() == local && a.namespace().unwrap_or("") == ns)
            .map(|a| a.value())
    }

    /// A text node's or comment's text; an element's first child's, if that is text.
    pub fn text(&self) -> Option<&'a str> {
        match self.data().kind {
            Kind::Text(s) | Kind::Comment(s) => Some(self.t.s(s)),
            Kind::Element { .. } => {
                self.first_child()
                    .and_then(|c| if c.is_text() { c.text() } else { None })
            }
            _ => None,
        }
    }

    /// A processing instruction's target and data.
    pub fn pi(&self) -> Option<Pi<'a>> {
        match self.data().kind {
            Kind::Pi { target, value } => Some(Pi {
                target: self.t.s(target),
                value: value.map(|v| self.t.s(v)),
            }),
            _ => None,
        }
    }

    /// The parent (`None` for the document node).
    pub fn parent(&self) -> Option<Node<'a>> {
        self.at(self.data().parent)
    }

    /// The first child.
    pub fn first_child(&self) -> Option<Node<'a>> {
        self.at(self.data().first_child)
    }

    /// The children in document order.
    pub fn children(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(self.first_child(), |n| n.at(n.data().next))
    }

    /// The node and everything in it, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let t = self.t;
        (self.i..self.data().end).map(move |i| Node { t, i })
    }

    /// The node, its parent, and so on up to the document node.
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(Some(*self), |n| n.parent())
    }

    /// The node and the siblings before it, nearest first.
    pub fn prev_siblings(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(Some(*self), |n| n.at(n.data().prev))
    }

    /// The node and the siblings after it, in document order.
    pub fn next_siblings(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(Some(*self), |n| n.at(n.data().next))
    }
}

/// An attribute of an element of a [`Light`] tree.
#[derive(Clone, Copy)]
pub struct Attribute<'a> {
    t: &'a Light,
    a: &'a AttrData,
}

impl<'a> Attribute<'a> {
    /// The namespace URI (`None`: no namespace).
    pub fn namespace(&self) -> Option<&'a str> {
        self.t.ns(self.a.ns)
    }
    /// The local name.
    pub fn name(&self) -> &'a str {
        self.t.s(self.a.local)
    }
    /// The name as written.
    pub fn qname(&self) -> &'a str {
        self.t.s(self.a.qname)
    }
    /// The normalised value.
    pub fn value(&self) -> &'a str {
        self.t.s(self.a.value)
    }
    /// The attribute in the text, its name to the closing quote.
    pub fn range(&self) -> Range<usize> {
        self.a.span.start as usize..self.a.span.end as usize
    }
}

/// Builds a [`Light`] tree from parse events.
#[derive(Default)]
pub struct Builder {
    nodes: Vec<NodeData>,
    attrs: Vec<AttrData>,
    namespaces: Vec<String>,
    arena: String,
    /// Open elements (the document node first, once started).
    open: Vec<u32>,
    /// Comments not placed yet: the length of the text run before each, and its text.
    comments: Vec<(usize, Str)>,
    /// Where the root element starts.
    root_start: Option<usize>,
    /// An offset did not fit (a document over 4 GB): no tree.
    overflow: bool,
}

impl Builder {
    /// A builder for a text of `bytes` bytes (room made ahead for its nodes and strings).
    pub fn for_text(bytes: usize) -> Builder {
        Builder {
            nodes: Vec::with_capacity(bytes / 48),
            attrs: Vec::with_capacity(bytes / 64),
            arena: String::with_capacity(bytes / 2),
            ..Builder::default()
        }
    }

    fn start(&mut self) {
        if self.nodes.is_empty() {
            self.nodes.push(NodeData {
                kind: Kind::Root,
                parent: NONE,
                prev: NONE,
                next: NONE,
                first_child: NONE,
                last_child: NONE,
                end: NONE,
            });
            self.open.push(0);
        }
    }

    fn put(&mut self, s: &str) -> Str {
        let at = self.arena.len();
        self.arena.push_str(s);
        match (u32::try_from(at), u32::try_from(s.len())) {
            (Ok(a), Ok(l)) if at + s.len() <= u32::MAX as usize => Str(a, l),
            _ => {
                self.overflow = true;
                Str(0, 0)
            }
        }
    }

    fn ns(&mut self, uri: &str) -> u32 {
        if uri.is_empty() {
            return 0;
        }
        if self.namespaces.is_empty() {
            self.namespaces.push(String::new());
        }
        match self.namespaces.iter().rposition(|n| n == uri) {
            Some(i) => i as u32,
            None => {
                self.namespaces.push(uri.to_string());
                (self.namespaces.len() - 1) as u32
            }
        }
    }

    fn offset(&mut self, at: usize) -> u32 {
        u32::try_from(at).unwrap_or_else(|_| {
            self.overflow = true;
            0
        })
    }

    /// Appends a node to the open element; returns its index.
    fn append(&mut self, kind: Kind) -> u32 {
        self.start();
        let i = self.nodes.len() as u32;
        let parent = *self.open.last().unwrap_or(&0);
        let prev = self.nodes[parent as usize].last_child;
        if prev != NONE {
            self.nodes[prev as usize].next = i;
        } else {
            self.nodes[parent as usize].first_child = i;
        }
        self.nodes[parent as usize].last_child = i;
        self.nodes.push(NodeData {
            kind,
            parent,
            prev,
            next: NONE,
            first_child: NONE,
            last_child: NONE,
            end: i + 1,
        });
        i
    }

    /// Places the comments that no text followed.
    fn place_comments(&mut self) {
        for (_, c) in std::mem::take(&mut self.comments) {
            self.append(Kind::Comment(c));
        }
    }

    /// The tree; `None` for a document with a DOCTYPE (`text` is the one parsed) or without
    /// a root element.
    pub fn finish(mut self, text: &str) -> Option<Light> {
        self.place_comments();
        let root_start = self.root_start?;
        if self.overflow || text.get(..root_start)?.contains("<!DOCTYPE") {
            return None;
        }
        let n = self.nodes.len() as u32;
        self.nodes[0].end = n;
        if self.namespaces.is_empty() {
            self.namespaces.push(String::new());
        }
        Some(Light {
            nodes: self.nodes,
            attrs: self.attrs,
            namespaces: self.namespaces,
            arena: self.arena,
        })
    }
}

impl Handler for Builder {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.place_comments();
        if self.root_start.is_none() {
            self.root_start = Some(tag.span.start);
        }
        let first = self.attrs.len() as u32;
        for a in tag.attributes {
            let ns = self.ns(a.ns);
            let local = self.put(a.local);
            let qname = self.put(a.qname);
            let value = self.put(a.value);
            let span = self.offset(a.span.start)..self.offset(a.span.end);
            self.attrs.push(AttrData {
                ns,
                local,
                qname,
                value,
                span,
            });
        }
        let ns = self.ns(tag.ns);
        let local = self.put(tag.local);
        let qname = self.put(tag.qname);
        let start = self.offset(tag.span.start);
        let i = self.append(Kind::Element {
            ns,
            local,
            qname,
            start,
            attrs: first..self.attrs.len() as u32,
        });
        self.open.push(i);
    }

    fn end_element(&mut self, _tag: &EndTag<'_>) {
        self.place_comments();
        if let Some(i) = self.open.pop() {
            self.nodes[i as usize].end = self.nodes.len() as u32;
        }
    }

    fn text(&mut self, text: &str, _span: Range<usize>) {
        // the comments inside this run split it where they were
        let mut from = 0;
        for (at, c) in std::mem::take(&mut self.comments) {
            let at = at.min(text.len());
            if at > from {
                if let Some(piece) = text.get(from..at) {
                    let s = self.put(piece);
                    self.append(Kind::Text(s));
                }
                from = at;
            }
            self.append(Kind::Comment(c));
        }
        if from < text.len() {
            let s = self.put(&text[from..]);
            self.append(Kind::Text(s));
        }
    }

    fn comment(&mut self, text: &str, _span: Range<usize>, run_before: usize) {
        let s = self.put(text);
        self.comments.push((run_before, s));
    }

    fn processing_instruction(&mut self, target: &str, data: &str, _span: Range<usize>) {
        self.place_comments();
        let target = self.put(target);
        let value = (!data.is_empty()).then(|| self.put(data));
        self.append(Kind::Pi { target, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One node of an outline: the document node, an element (its expanded and written name,
    /// where its start tag starts, its attributes, its parent), text, a comment or a PI.
    enum Line<'a> {
        Root,
        Element(
            Option<&'a str>,
            &'a str,
            &'a str,
            usize,
            Vec<String>,
            Option<u32>,
        ),
        Text(&'a str),
        Comment(&'a str),
        Pi(&'a str, Option<&'a str>),
    }

    fn attribute(ns: Option<&str>, name: &str, value: &str, range: Range<usize>) -> String {
        format!("{}|{name}={value:?}@{range:?}", ns.unwrap_or(""))
    }

    fn line(l: Line) -> String {
        match l {
            Line::Root => "root".to_string(),
            Line::Element(ns, name, qname, start, atts, parent) => format!(
                "el {}|{name} <{qname}@{start} {atts:?} parent {parent:?}",
                ns.unwrap_or("")
            ),
            Line::Text(t) => format!("text {t:?}"),
            Line::Comment(t) => format!("comment {t:?}"),
            Line::Pi(target, value) => format!("pi {target} {value:?}"),
        }
    }

    /// The nodes of the light tree in document order, as [`line`]s.
    fn outline(text: &str) -> Vec<String> {
        let t = Light::parse(text).unwrap();
        t.descendants()
            .map(|n| {
                line(if n.is_root() {
                    Line::Root
                } else if n.is_element() {
                    let atts = n
                        .attributes()
                        .map(|a| attribute(a.namespace(), a.name(), a.value(), a.range()))
                        .collect();
                    let name = n.tag_name();
                    let parent = n.parent().map(|p| p.id().get());
                    Line::Element(
                        name.namespace(),
                        name.name(),
                        n.qname(),
                        n.start(),
                        atts,
                        parent,
                    )
                } else if n.is_text() {
                    Line::Text(n.text().unwrap_or(""))
                } else if n.is_comment() {
                    Line::Comment(n.text().unwrap_or(""))
                } else {
                    let p = n.pi().unwrap();
                    Line::Pi(p.target, p.value)
                })
            })
            .collect()
    }

    /// The nodes as roxmltree, which the screen read before, lists them (the written name read
    /// from the text after the start tag's `<`).
    fn roxmltree_outline(text: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(text).unwrap();
        doc.descendants()
            .map(|n| {
                line(if n.is_root() {
                    Line::Root
                } else if n.is_element() {
                    let atts = n
                        .attributes()
                        .map(|a| attribute(a.namespace(), a.name(), a.value(), a.range()))
                        .collect();
                    let start = n.range().start;
                    let rest = &text[start + 1..];
                    let qname = &rest[..rest
                        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                        .unwrap()];
                    let name = n.tag_name();
                    let parent = n.parent().map(|p| p.id().get());
                    Line::Element(name.namespace(), name.name(), qname, start, atts, parent)
                } else if n.is_text() {
                    Line::Text(n.text().unwrap_or(""))
                } else if n.is_comment() {
                    Line::Comment(n.text().unwrap_or(""))
                } else {
                    let p = n.pi().unwrap();
                    Line::Pi(p.target, p.value)
                })
            })
            .collect()
    }

    #[test]
    fn the_tree_is_roxmltrees_node_for_node() {
        for text in [
            "<a/>",
            "<?xml version=\"1.0\"?>\n<!-- before -->\n<?pi data?>\n<a xmlns='urn:x' xmlns:p='urn:p' p:k=' v  w ' k=\"&amp;&#65;\"><p:b>one &lt; two<![CDATA[ <three> ]]>four</p:b>\r\n<c/>a<!--c1-->b<!--c2--><!--c3-->c<?go now?>d</a>\n<!-- after -->",
            "<a><!--only--></a>",
            "<a>x<!--end--></a>",
            "<a><!--start-->x</a>",
            "<a xml:id='i1'><b xml:id='i2'>  </b>\n  <b/>\n</a>",
        ] {
            assert_eq!(outline(text), roxmltree_outline(text), "{text}");
        }
    }

    #[test]
    fn axes_follow_the_tree() {
        let t = Light::parse("<a><b/><c><d/></c><e/></a>").unwrap();
        let names = |it: &mut dyn Iterator<Item = Node>| -> Vec<String> {
            it.map(|n| n.tag_name().name().to_string()).collect()
        };
        let c = t
            .descendants()
            .find(|n| n.tag_name().name() == "c")
            .unwrap();
        assert_eq!(names(&mut c.children()), ["d"]);
        assert_eq!(names(&mut c.prev_siblings()), ["c", "b"]);
        assert_eq!(names(&mut c.next_siblings()), ["c", "e"]);
        assert_eq!(names(&mut c.ancestors()), ["c", "a", ""]);
        assert_eq!(names(&mut c.descendants()), ["c", "d"]);
        assert_eq!(t.get_node(c.id()), Some(c));
    }

    #[test]
    fn a_document_with_a_doctype_or_not_well_formed_has_no_tree() {
        assert!(Light::parse("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>").is_none());
        assert!(Light::parse("<a><b></a>").is_none());
        assert!(Light::parse("").is_none());
    }
}
