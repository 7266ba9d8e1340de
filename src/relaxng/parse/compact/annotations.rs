//! Annotations (spec section 5 and the constraints of A.1): `##` documentation, initial
//! annotations `[ p:attr = "…" p:elem [ … ] ]`, following annotations `>> p:elem [ … ]` and
//! annotation elements among a grammar's components. They are checked (declared prefixes, not
//! `inherit`; no attribute twice; none named `xmlns` or in its namespace; foreign names outside
//! the RELAX NG namespace where the spec says so) and dropped, but for the text of `##` comments
//! and `a:documentation` elements, which documents an element pattern as in the XML syntax.

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
            let (doc, _) = self.annotation_element(Place::Foreign)?;
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
            self.annotation_element(Place::Foreign)?;
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
    ) -> Option<()> {
        self.expect(P::Eq)?;
        self.literal()?;
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
        Some(())
    }

    /// An annotation element (at its name): its documentation text when it is an
    /// `a:documentation`, and the text of its literals.
    pub(super) fn annotation_element(&mut self, place: Place) -> Option<(Option<String>, String)> {
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
            self.annotation_attribute_value(ans, alocal, aspan, &mut seen)?;
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
            } else if self.annotation_element_next()? {
                let (_, inner) = self.annotation_element(Place::Nested)?;
                text.push_str(&inner);
            } else {
                return self.expected("an annotation element (`name [ … ]`), a literal or `]`");
            }
        }
        let doc = (&*ns == ANNOTATIONS_NS && local == "documentation").then(|| text.clone());
        Some((doc, text))
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
