//! Annotations (spec section 5 and the constraints of A.1): `##` documentation, initial
//! annotations `[ p:attr = "…" p:elem [ … ] ]`, following annotations `>> p:elem [ … ]` and
//! annotation elements among a grammar's components. They are checked (declared prefixes, not
//! `inherit`; no attribute twice; none named `xmlns` or in its namespace; foreign names outside
//! the RELAX NG namespace where the spec says so) and dropped, but for the text of `##` comments
//! and `a:documentation` elements, which documents an element pattern as in the XML syntax, and
//! the Schematron elements (`sch:pattern [ … ]`, as trang writes a TEI ODD's constraints), which
//! [`super::schematron_annotations`] collects as [`Foreign`] trees.

use std::collections::HashSet;
use std::ops::Range;
use std::rc::Rc;

use super::depth::Level;
use super::lexer::{Tok, P};
use super::{Compact, NsUri};
use crate::relaxng::parse::{ANNOTATIONS_NS, RNG_NS, XMLNS_NS};

/// The annotations before a pattern, name class, param or component.
#[derive(Debug, Default)]
pub(super) struct Annotations {
    /// The text of each `##` comment and `a:documentation` element, in order.
    pub docs: Vec<String>,
    /// Whether any annotation attribute was given.
    pub attributes: bool,
    /// Whether any annotation element was given (documentation included).
    pub elements: bool,
}

impl Annotations {
    /// No annotation at all (the spec's `( )`).
    pub fn is_empty(&self) -> bool {
        !self.attributes && !self.elements
    }

    /// The documentation, paragraphs joined by blank lines, trimmed (as the XML syntax
    /// gathers `a:documentation`).
    pub fn documentation(&self) -> Option<String> {
        let parts: Vec<&str> = self
            .docs
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }
}

/// The Schematron namespace: annotation elements in it are kept when collecting.
pub(crate) const SCH_NS: &str = "http://purl.oclc.org/dsdl/schematron";

/// An annotation element kept as a tree (the Schematron of a compact-syntax schema).
#[derive(Debug, Clone)]
pub(crate) struct Foreign {
    /// Namespace URI.
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes: (namespace, local name, value).
    pub attrs: Vec<(String, String, String)>,
    /// Children in order.
    pub children: Vec<ForeignNode>,
    /// The prefixes declared in the file (`namespace p = "…"`), for the XPath in it.
    pub scope: Vec<(String, String)>,
    /// The file it is in.
    pub file: std::sync::Arc<std::path::Path>,
    /// 1-based line and column of its name.
    pub line: u32,
    /// See `line`.
    pub column: u32,
}

/// A child of a [`Foreign`] element.
#[derive(Debug, Clone)]
pub(crate) enum ForeignNode {
    /// An element.
    Element(Foreign),
    /// A literal.
    Text(String),
}

/// Where an annotation element stands, for the constraints on its name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Inside `[ … ]` before a pattern, after `>>`, or among a grammar's components: a
    /// foreign element, never in the RELAX NG namespace.
    Foreign,
    /// Inside another annotation element: any name.
    Nested,
}

impl Compact<'_, '_, '_> {
    /// `##` comments, then at most one `[ … ]`.
    pub(super) fn annotations(&mut self) -> Option<Annotations> {
        let mut a = Annotations::default();
        while let Tok::Doc(text) = &self.tok.tok {
            a.docs.push(text.clone());
            a.elements = true;
            self.bump()?;
        }
        if !self.at(P::LBracket) {
            return Some(a);
        }
        let open = self.tok.span.clone();
        let _level = Level::enter(self, open)?;
        self.bump()?;
        let mut seen = HashSet::new();
        while self.annotation_attribute_next()? {
            let (ns, local, span) = match self.tok.tok.clone() {
                Tok::CName(prefix, local) => {
                    let span = self.tok.span.clone();
                    let ns = self.annotation_ns(&prefix, &local, span.clone())?;
                    if ns.is_empty() {
                        self.constraint(
                            span.clone(),
                            format!("annotation attribute `{prefix}:{local}` needs a prefix bound to a namespace, not to \"\""),
                        );
                    } else if &*ns == RNG_NS {
                        self.constraint(
                            span.clone(),
                            format!("annotation attribute `{prefix}:{local}` is in the RELAX NG namespace"),
                        );
                    }
                    (ns, local, span)
                }
                _ => {
                    let found = self.tok.tok.describe();
                    let span = self.tok.span.clone();
                    return self.fail(
                        span,
                        format!("an annotation attribute needs a prefix (`p:name = \"…\"`), found {found}"),
                    );
                }
            };
            self.bump()?;
            self.annotation_attribute_value(ns, local, span, &mut seen)?;
            a.attributes = true;
        }
        while !self.at(P::RBracket) {
            if !self.annotation_element_next()? {
                return self.expected("an annotation element (`p:name [ … ]`) or `]`");
            }
            let (doc, _) = self.annotation_element_kept(Place::Foreign)?;
            a.elements = true;
            if let Some(d) = doc {
                a.docs.push(d);
            }
        }
        self.bump()?;
        Some(a)
    }

    /// `>> element [ … ]`, any number; whether there was one.
    pub(super) fn follow_annotations(&mut self) -> Option<bool> {
        let mut any = false;
        while self.at(P::Follow) {
            self.bump()?;
            if !self.annotation_element_next()? {
                return self.expected("an annotation element (`p:name [ … ]`) after `>>`");
            }
            self.annotation_element_kept(Place::Foreign)?;
            any = true;
        }
        Some(any)
    }

    /// Whether the current token and the next start an attribute (`name =`).
    fn annotation_attribute_next(&mut self) -> Option<bool> {
        let named = matches!(self.tok.tok, Tok::Name { .. } | Tok::CName(..));
        Some(named && self.peek()? == &Tok::Punct(P::Eq))
    }

    /// Whether the current token and the next start an annotation element (`name [`).
    pub(super) fn annotation_element_next(&mut self) -> Option<bool> {
        let named = matches!(self.tok.tok, Tok::Name { .. } | Tok::CName(..));
        Some(named && self.peek()? == &Tok::Punct(P::LBracket))
    }

    /// `= literal` of an annotation attribute `{ns}local`, checked against the attributes
    /// already seen on the same element.
    fn annotation_attribute_value(
        &mut self,
        ns: Rc<str>,
        local: String,
        span: Range<usize>,
        seen: &mut HashSet<(Rc<str>, String)>,
    ) -> Option<String> {
        self.expect(P::Eq)?;
        let (value, _) = self.literal()?;
        if ns.trim_end_matches('/') == XMLNS_NS || (ns.is_empty() && local == "xmlns") {
            self.constraint(
                span.clone(),
                "an annotation attribute cannot be a namespace declaration (`xmlns` or in its namespace)",
            );
        }
        if !seen.insert((ns, local.clone())) {
            self.constraint(
                span,
                format!("annotation attribute `{local}` is given twice on one element"),
            );
        }
        Some(value)
    }

    /// A top-level annotation element ([`Self::annotation_element`]); a Schematron one is kept
    /// when the parser collects them ([`super::schematron_annotations`]).
    pub(super) fn annotation_element_kept(
        &mut self,
        place: Place,
    ) -> Option<(Option<String>, String)> {
        let (doc, text, tree) = self.annotation_element(place)?;
        if let (Some(t), Some(kept)) = (tree, self.p.foreign.as_mut()) {
            if t.ns == SCH_NS {
                kept.push(t);
            }
        }
        Some((doc, text))
    }

    /// An annotation element (at its name): its documentation text when it is an
    /// `a:documentation`, the text of its literals, and, when the parser collects Schematron,
    /// the element as a tree.
    pub(super) fn annotation_element(
        &mut self,
        place: Place,
    ) -> Option<(Option<String>, String, Option<Foreign>)> {
        let span = self.tok.span.clone();
        let _level = Level::enter(self, span.clone())?;
        let (ns, local) = match self.tok.tok.clone() {
            Tok::Name { name, .. } => (self.p.shared(""), name),
            Tok::CName(prefix, local) => {
                let ns = self.annotation_ns(&prefix, &local, span.clone())?;
                if place == Place::Foreign && &*ns == RNG_NS {
                    self.constraint(
                        span.clone(),
                        format!("annotation element `{prefix}:{local}` is in the RELAX NG namespace; annotations must be foreign elements"),
                    );
                }
                (ns, local)
            }
            _ => return self.expected("the name of an annotation element"),
        };
        let mut tree = self.p.foreign.is_some().then(|| {
            let (line, column) = self.p.files[self.file as usize].line_col(span.start);
            Foreign {
                ns: ns.to_string(),
                local: local.clone(),
                attrs: Vec::new(),
                children: Vec::new(),
                scope: self.env.bindings(),
                file: self.p.files[self.file as usize].path.clone(),
                line,
                column,
            }
        });
        self.bump()?;
        self.expect(P::LBracket)?;
        let mut seen = HashSet::new();
        while self.annotation_attribute_next()? {
            let aspan = self.tok.span.clone();
            let (ans, alocal) = match self.tok.tok.clone() {
                Tok::CName(prefix, l) => (self.annotation_ns(&prefix, &l, aspan.clone())?, l),
                Tok::Name { name, .. } => (self.p.shared(""), name),
                _ => unreachable!("checked by annotation_attribute_next"),
            };
            self.bump()?;
            let value =
                self.annotation_attribute_value(ans.clone(), alocal.clone(), aspan, &mut seen)?;
            if let Some(t) = tree.as_mut() {
                t.attrs.push((ans.to_string(), alocal, value));
            }
        }
        let mut text = String::new();
        loop {
            if self.at(P::RBracket) {
                self.bump()?;
                break;
            }
            if matches!(self.tok.tok, Tok::Literal(_)) {
                let (t, _) = self.literal()?;
                text.push_str(&t);
                if let Some(tr) = tree.as_mut() {
                    tr.children.push(ForeignNode::Text(t));
                }
            } else if self.annotation_element_next()? {
                let (_, inner, child) = self.annotation_element(Place::Nested)?;
                text.push_str(&inner);
                if let (Some(tr), Some(c)) = (tree.as_mut(), child) {
                    tr.children.push(ForeignNode::Element(c));
                }
            } else {
                return self.expected("an annotation element (`name [ … ]`), a literal or `]`");
            }
        }
        let doc = (&*ns == ANNOTATIONS_NS && local == "documentation").then(|| text.clone());
        Some((doc, text, tree))
    }

    /// The namespace of the prefix of an annotation name: declared, and not `inherit`.
    fn annotation_ns(&mut self, prefix: &str, local: &str, span: Range<usize>) -> Option<Rc<str>> {
        match self.env.namespaces.get(prefix).cloned() {
            Some(NsUri::Uri(u)) => Some(u),
            Some(NsUri::Inherit) => {
                self.constraint(
                    span,
                    format!(
                        "`{prefix}:{local}`: an annotation cannot use a prefix bound to `inherit`"
                    ),
                );
                Some(self.p.shared(""))
            }
            None => {
                self.constraint(
                    span,
                    format!("namespace prefix `{prefix}` of `{prefix}:{local}` is not declared (`namespace {prefix} = \"…\"`)"),
                );
                Some(self.p.shared(""))
            }
        }
    }

    /// Records a broken constraint of the compact syntax (the reading goes on).
    pub(super) fn constraint(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.error(&super::COMPACT_SYNTAX, span, message);
    }
}
