//! A compact read-only element tree of one schema file, built from the events of the project's
//! XML reader ([`crate::xml::parse`]): nodes, attributes and strings live in three flat vectors
//! (no allocation per node), blank text is kept as a flag only, and namespace bindings are
//! recorded only where a start tag declares a prefix.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::relaxng::fxhash::FxHashMap;
use crate::xml::{EndTag, Handler, ParseOptions, StartTag};

/// No node (end of a sibling chain).
const NONE: u32 = u32::MAX;

/// Prefix bindings in scope, as (prefix, URI).
type Bindings = Vec<(Box<str>, Box<str>)>;

/// A range of [`Tree::strings`].
#[derive(Debug, Clone, Copy)]
struct Str {
    start: u32,
    end: u32,
}

#[derive(Debug)]
struct NodeData {
    /// Element or text.
    element: bool,
    /// Text: whether it is only XML whitespace (its content is then not stored).
    blank: bool,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// Element: its start tag (`<` to `>`); text: the raw markup it came from.
    span: Range<usize>,
    /// Element: local name; text: content (empty when blank).
    name: Str,
    /// Element: index into [`Tree::namespaces`].
    ns: u32,
    /// Element: its attributes in [`Tree::attrs`].
    attrs: Range<u32>,
    /// Element: its prefix bindings in [`Tree::scopes`].
    scope: u32,
}

#[derive(Debug)]
struct AttrData {
    ns: u32,
    local: Str,
    value: Str,
    span: Range<usize>,
}

/// One parsed schema file.
#[derive(Debug)]
pub(crate) struct Tree {
    nodes: Vec<NodeData>,
    attrs: Vec<AttrData>,
    strings: String,
    /// Distinct namespace URIs; index 0 is `""` (no namespace).
    namespaces: Vec<Box<str>>,
    /// Index of each URI of `namespaces` but `""`.
    ns_index: FxHashMap<Box<str>, u32>,
    /// Distinct sets of prefix bindings in scope; index 0 is the empty set.
    scopes: Vec<Bindings>,
    root: u32,
    /// Index of the RELAX NG namespace in `namespaces` ([`NONE`] if absent).
    rng: u32,
}

impl Tree {
    /// Parses `text` under `opts`. Errors: the reader's well-formedness and limit
    /// diagnostics (errors only).
    pub fn parse(text: &str, opts: &ParseOptions) -> Result<Tree, Vec<Diagnostic>> {
        // A byte order mark that survived decoding is no content: parse after it, and shift
        // every span back to the file's offsets.
        let base = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let full = text;
        let text = &text[base..];
        // Every element and text node starts at or right after a `<`: size the vectors once.
        let tags = text.bytes().filter(|&b| b == b'<').count();
        // Where `xmlns:` occurs (in file offsets): the only start tags that can bind a prefix.
        let declarations = text
            .match_indices("xmlns:")
            .map(|(i, _)| i + base)
            .collect();
        let mut b = Builder {
            text: full,
            base,
            tree: Tree {
                nodes: Vec::with_capacity(2 * tags + 1),
                attrs: Vec::with_capacity(tags),
                strings: String::with_capacity(text.len() / 2),
                namespaces: vec![Box::from("")],
                ns_index: FxHashMap::default(),
                scopes: vec![Vec::new()],
                root: NONE,
                rng: NONE,
            },
            last_ns: 0,
            declarations,
            next_declaration: 0,
            stack: Vec::new(),
            scope_index: FxHashMap::default(),
        };
        let diags = crate::xml::parse(text, &mut b, opts);
        let shift = |r: Range<usize>| r.start + base..r.end + base;
        let errors: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|mut d| {
                d.span = shift(d.span);
                for l in &mut d.labels {
                    l.span = shift(l.span.clone());
                }
                d
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        if b.tree.root == NONE {
            return Err(Vec::new());
        }
        let mut tree = b.tree;
        tree.rng = tree
            .namespaces
            .iter()
            .position(|n| &**n == super::RNG_NS)
            .map_or(NONE, |i| i as u32);
        Ok(tree)
    }

    /// The root element.
    pub fn root(&self) -> XNode<'_> {
        XNode {
            tree: self,
            id: self.root,
        }
    }

    fn str(&self, s: Str) -> &str {
        &self.strings[s.start as usize..s.end as usize]
    }

    fn push_str(&mut self, s: &str) -> Str {
        let start = self.strings.len() as u32;
        self.strings.push_str(s);
        Str {
            start,
            end: self.strings.len() as u32,
        }
    }

    fn ns_id(&mut self, ns: &str, last: &mut u32) -> u32 {
        if ns.is_empty() {
            return 0;
        }
        // Neighbouring elements mostly share a namespace.
        if *self.namespaces[*last as usize] == *ns {
            return *last;
        }
        let id = self.find_ns(ns);
        *last = id;
        id
    }

    fn find_ns(&mut self, ns: &str) -> u32 {
        if let Some(&i) = self.ns_index.get(ns) {
            return i;
        }
        if ns.is_empty() {
            return 0;
        }
        self.namespaces.push(Box::from(ns));
        let i = self.namespaces.len() as u32 - 1;
        self.ns_index.insert(Box::from(ns), i);
        i
    }
}

/// Builds a [`Tree`] from reader events.
struct Builder<'t> {
    /// The whole file text (spans index it).
    text: &'t str,
    /// Where the parsed text starts in `text`.
    base: usize,
    tree: Tree,
    /// The namespace of the last element (a cache for [`Tree::ns_id`]).
    last_ns: u32,
    /// Offsets of `xmlns:` in the text, ascending.
    declarations: Vec<usize>,
    /// The first of `declarations` not before the current start tag.
    next_declaration: usize,
    stack: Vec<u32>,
    /// Index of each set of bindings in [`Tree::scopes`] but the empty one.
    scope_index: FxHashMap<Bindings, u32>,
}

impl Builder<'_> {
    fn append(&mut self, node: NodeData) -> u32 {
        let id = self.tree.nodes.len() as u32;
        self.tree.nodes.push(node);
        if let Some(&parent) = self.stack.last() {
            let last = self.tree.nodes[parent as usize].last_child;
            if last == NONE {
                self.tree.nodes[parent as usize].first_child = id;
            } else {
                self.tree.nodes[last as usize].next_sibling = id;
            }
            self.tree.nodes[parent as usize].last_child = id;
        }
        id
    }

    /// The scope of a new element: its parent's, plus the prefixes its tag declares.
    fn scope(&mut self, tag: &StartTag<'_>, parent_scope: u32) -> u32 {
        let span = tag.span.start + self.base..tag.span.end + self.base;
        // Start tags come in document order: skip the occurrences before this one.
        while self
            .declarations
            .get(self.next_declaration)
            .is_some_and(|&d| d < span.start)
        {
            self.next_declaration += 1;
        }
        if self
            .declarations
            .get(self.next_declaration)
            .is_none_or(|&d| d >= span.end)
        {
            return parent_scope;
        }
        let raw = self.text.get(span).unwrap_or("");
        let mut bindings = self.tree.scopes[parent_scope as usize].clone();
        for (i, _) in raw.match_indices("xmlns:") {
            let rest = &raw[i + 6..];
            let end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let prefix = &rest[..end];
            if prefix.is_empty() {
                continue;
            }
            bindings.retain(|(p, _)| &**p != prefix);
            if let Some(uri) = tag.namespaces.resolve(prefix) {
                bindings.push((Box::from(prefix), Box::from(uri)));
            }
        }
        if bindings.is_empty() {
            return 0;
        }
        if let Some(&i) = self.scope_index.get(&bindings) {
            return i;
        }
        let i = self.tree.scopes.len() as u32;
        self.tree.scopes.push(bindings.clone());
        self.scope_index.insert(bindings, i);
        i
    }
}

impl Handler for Builder<'_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        let parent_scope = self
            .stack
            .last()
            .map_or(0, |&p| self.tree.nodes[p as usize].scope);
        let scope = self.scope(tag, parent_scope);
        let ns = self.tree.ns_id(tag.ns, &mut self.last_ns);
        let name = self.tree.push_str(tag.local);
        let first_attr = self.tree.attrs.len() as u32;
        for a in tag.attributes {
            let ns = if a.ns.is_empty() {
                0
            } else {
                self.tree.find_ns(a.ns)
            };
            let local = self.tree.push_str(a.local);
            let value = self.tree.push_str(a.value);
            self.tree.attrs.push(AttrData {
                ns,
                local,
                value,
                span: a.span.start + self.base..a.span.end + self.base,
            });
        }
        let id = self.append(NodeData {
            element: true,
            blank: false,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            span: tag.span.start + self.base..tag.span.end + self.base,
            name,
            ns,
            attrs: first_attr..self.tree.attrs.len() as u32,
            scope,
        });
        if self.stack.is_empty() && self.tree.root == NONE {
            self.tree.root = id;
        }
        self.stack.push(id);
    }

    fn end_element(&mut self, _tag: &EndTag<'_>) {
        self.stack.pop();
    }

    fn text(&mut self, text: &str, span: Range<usize>) {
        if self.stack.is_empty() {
            return;
        }
        let blank = text
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        let name = if blank {
            Str { start: 0, end: 0 }
        } else {
            self.tree.push_str(text)
        };
        self.append(NodeData {
            element: false,
            blank,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            span: span.start + self.base..span.end + self.base,
            name,
            ns: 0,
            attrs: 0..0,
            scope: 0,
        });
    }
}

/// A node (element or text) of a [`Tree`].
#[derive(Clone, Copy)]
pub(crate) struct XNode<'t> {
    tree: &'t Tree,
    id: u32,
}

impl std::fmt::Debug for XNode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "XNode({})", self.id)
    }
}

/// An element's expanded name.
pub(crate) struct TagName<'t> {
    ns: &'t str,
    local: &'t str,
}

impl<'t> TagName<'t> {
    /// The namespace URI, `None` for no namespace.
    pub fn namespace(&self) -> Option<&'t str> {
        (!self.ns.is_empty()).then_some(self.ns)
    }

    /// The local name.
    pub fn name(&self) -> &'t str {
        self.local
    }
}

/// An attribute of an element.
pub(crate) struct XAttr<'t> {
    tree: &'t Tree,
    data: &'t AttrData,
}

impl<'t> XAttr<'t> {
    /// The namespace URI, `None` for no namespace.
    pub fn namespace(&self) -> Option<&'t str> {
        let ns = &*self.tree.namespaces[self.data.ns as usize];
        (!ns.is_empty()).then_some(ns)
    }

    /// The local name.
    pub fn name(&self) -> &'t str {
        self.tree.str(self.data.local)
    }

    /// The normalised value.
    pub fn value(&self) -> &'t str {
        self.tree.str(self.data.value)
    }

    /// Byte range of `name="value"`.
    pub fn range(&self) -> Range<usize> {
        self.data.span.clone()
    }
}

impl<'t> XNode<'t> {
    fn data(&self) -> &'t NodeData {
        &self.tree.nodes[self.id as usize]
    }

    /// Whether this is an element.
    pub fn is_element(&self) -> bool {
        self.data().element
    }

    /// Whether this is an element in the RELAX NG namespace.
    pub fn is_rng(&self) -> bool {
        let d = self.data();
        d.element && d.ns == self.tree.rng
    }

    /// Whether this is text.
    pub fn is_text(&self) -> bool {
        !self.data().element
    }

    /// The element's name (empty for text).
    pub fn tag_name(&self) -> TagName<'t> {
        let d = self.data();
        if !d.element {
            return TagName { ns: "", local: "" };
        }
        TagName {
            ns: &self.tree.namespaces[d.ns as usize],
            local: self.tree.str(d.name),
        }
    }

    /// An element's start tag, or a text's raw span.
    pub fn range(&self) -> Range<usize> {
        self.data().span.clone()
    }

    /// The content of a text node (`""` for blank text), `None` for elements.
    pub fn text(&self) -> Option<&'t str> {
        let d = self.data();
        (!d.element).then(|| self.tree.str(d.name))
    }

    /// Whether this is text of XML whitespace only.
    pub fn is_blank(&self) -> bool {
        !self.data().element && self.data().blank
    }

    /// The attributes (namespace declarations excluded).
    pub fn attributes(&self) -> impl Iterator<Item = XAttr<'t>> + 't {
        let tree = self.tree;
        let r = self.data().attrs.clone();
        tree.attrs[r.start as usize..r.end as usize]
            .iter()
            .map(move |data| XAttr { tree, data })
    }

    /// The value of the attribute `name` in no namespace.
    pub fn attribute(&self, name: &str) -> Option<&'t str> {
        self.attributes()
            .find(|a| a.data.ns == 0 && a.name() == name)
            .map(|a| a.value())
    }

    /// The nodes after this one under the same parent, in order.
    pub fn following_siblings(&self) -> impl Iterator<Item = XNode<'t>> + 't {
        self.siblings_from(self.data().next_sibling)
    }

    /// The child nodes, in order.
    pub fn children(&self) -> impl Iterator<Item = XNode<'t>> + 't {
        self.siblings_from(self.data().first_child)
    }

    /// The node `first` and its following siblings.
    fn siblings_from(&self, first: u32) -> impl Iterator<Item = XNode<'t>> + 't {
        let tree = self.tree;
        let mut next = first;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let id = next;
            next = tree.nodes[id as usize].next_sibling;
            Some(XNode { tree, id })
        })
    }

    /// This node and all below it, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = XNode<'t>> + 't {
        let tree = self.tree;
        let mut stack = vec![self.id];
        std::iter::from_fn(move || {
            let id = stack.pop()?;
            let n = &tree.nodes[id as usize];
            // Push children in reverse so the first is visited first.
            let mut kids = Vec::new();
            let mut c = n.first_child;
            while c != NONE {
                kids.push(c);
                c = tree.nodes[c as usize].next_sibling;
            }
            stack.extend(kids.into_iter().rev());
            Some(XNode { tree, id })
        })
    }

    /// The namespace URI bound to `prefix` here (`xml` excluded).
    pub fn lookup_prefix(&self, prefix: &str) -> Option<&'t str> {
        self.tree.scopes[self.data().scope as usize]
            .iter()
            .rev()
            .find(|(p, _)| &**p == prefix)
            .map(|(_, u)| &**u)
    }

    /// The prefix bindings in scope here, as (prefix, URI).
    pub fn prefixes(&self) -> impl Iterator<Item = (&'t str, &'t str)> + 't {
        self.tree.scopes[self.data().scope as usize]
            .iter()
            .map(|(p, u)| (&**p, &**u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_of_a_small_document() {
        let text = "<g xmlns='urn:r' xmlns:p='urn:p'>\n  <e name='p:x' a='1 &amp; 2'>hi<f/> there</e>\n  <q xmlns:p='urn:q'><v/></q></g>";
        let t = Tree::parse(text, &ParseOptions::default()).expect("well-formed");
        let root = t.root();
        assert_eq!(root.tag_name().namespace(), Some("urn:r"));
        assert_eq!(root.tag_name().name(), "g");
        let kids: Vec<_> = root.children().collect();
        assert_eq!(kids.len(), 4);
        assert!(kids[0].is_blank());
        let e = kids[1];
        assert_eq!(&text[e.range()], "<e name='p:x' a='1 &amp; 2'>");
        assert_eq!(e.attribute("a"), Some("1 & 2"));
        assert_eq!(e.attributes().count(), 2);
        assert_eq!(e.lookup_prefix("p"), Some("urn:p"));
        let texts: String = e.descendants().filter_map(|d| d.text()).collect();
        assert_eq!(texts, "hi there");
        let v = kids[3].children().next().expect("v");
        assert_eq!(v.lookup_prefix("p"), Some("urn:q"));
        assert_eq!(v.prefixes().count(), 1);
    }

    #[test]
    fn duplicate_attribute_points_at_the_second() {
        let text = "<e a='1'\n   a='2'/>";
        let errors = Tree::parse(text, &ParseOptions::default()).expect_err("not well-formed");
        assert_eq!(&text[errors[0].span.clone()], "a='2'");
        assert_eq!(&text[errors[0].labels[0].span.clone()], "a='1'");
    }

    #[test]
    fn byte_order_mark_keeps_offsets() {
        let text = "\u{FEFF}<e a='1'/>";
        let t = Tree::parse(text, &ParseOptions::default()).expect("well-formed");
        assert_eq!(&text[t.root().range()], "<e a='1'/>");
    }
}
