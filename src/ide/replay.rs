//! The RELAX NG state at a cursor: the derivatives of the start pattern by the start tags
//! (with attributes) of the open elements and of their closed children before the cursor,
//! each closed child skipped as a whole (its content is never read: the end tag's derivative
//! in recovery mode continues after it whatever it held), text between children included.
//! Every step is a memoised transition of the thread's editor [`Cache`], so that the cost is
//! one lookup per tag replayed once warm, and nothing is quadratic in the document.
//!
//! Tolerant as the scanner is: an element the state does not allow is taken as the validator
//! recovers (allowed later, or validated against its declaration elsewhere, or skipped when
//! the schema does not declare it), an attribute it does not allow is left out, an invalid
//! value is taken as valid.

use std::collections::BTreeSet;
use std::ops::Range;

use super::scan::{self, Child, Outline, RawAttribute};
use crate::relaxng::datatypes::Context;
use crate::relaxng::pattern::{PatternId, EMPTY, NOT_ALLOWED};
use crate::relaxng::validate::{Cache, XML_NS};
use crate::relaxng::Schema;
use crate::xml::NsContext;

/// In-scope namespace bindings: a stack of (prefix, URI), the innermost last (`""` is the
/// default namespace).
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    bindings: Vec<(String, String)>,
}

impl NsContext for Scope {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
            .or(if prefix.is_empty() { Some("") } else { None })
    }
}

impl Scope {
    /// Adds the `xmlns` declarations among `attrs`; returns how many bindings to drop later.
    fn declare(&mut self, text: &str, attrs: &[RawAttribute]) -> usize {
        let before = self.bindings.len();
        for a in attrs {
            let name = &text[a.name.clone()];
            let value = &text[a.value.clone()];
            if name == "xmlns" {
                self.bindings.push((String::new(), value.to_string()));
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                self.bindings.push((p.to_string(), value.to_string()));
            }
        }
        self.bindings.len() - before
    }

    fn undeclare(&mut self, n: usize) {
        let keep = self.bindings.len().saturating_sub(n);
        self.bindings.truncate(keep);
    }

    /// `{ns}local` of element name `qname` (the default namespace applies), if its prefix is
    /// declared.
    pub(crate) fn element_name<'q>(&self, qname: &'q str) -> Option<(String, &'q str)> {
        match qname.split_once(':') {
            Some((p, local)) => Some((self.resolve(p)?.to_string(), local)),
            None => Some((self.resolve("").unwrap_or("").to_string(), qname)),
        }
    }

    /// `{ns}local` of attribute name `qname` (no namespace without a prefix); `None` for
    /// namespace declarations and undeclared prefixes.
    pub(crate) fn attribute_name<'q>(&self, qname: &'q str) -> Option<(String, &'q str)> {
        if qname == "xmlns" || qname.starts_with("xmlns:") {
            return None;
        }
        match qname.split_once(':') {
            Some((p, local)) => Some((self.resolve(p)?.to_string(), local)),
            None => Some((String::new(), qname)),
        }
    }

    /// How to write `{ns}local` as an element name here: bare in the default namespace, with
    /// a prefix bound to `ns` otherwise; when none is, bare, and the namespace to declare on
    /// it (`xmlns="ns"`).
    pub(crate) fn element_qname(&self, ns: &str, local: &str) -> (String, Option<String>) {
        if self.resolve("") == Some(ns) {
            return (local.to_string(), None);
        }
        match self.prefix_of(ns) {
            Some(p) => (format!("{p}:{local}"), None),
            None => (local.to_string(), Some(ns.to_string())),
        }
    }

    /// How to write `{ns}local` as an attribute name here (`xml:` for the XML namespace).
    pub(crate) fn attribute_qname(&self, ns: &str, local: &str) -> String {
        if ns.is_empty() {
            return local.to_string();
        }
        if ns == XML_NS {
            return format!("xml:{local}");
        }
        match self.prefix_of(ns) {
            Some(p) => format!("{p}:{local}"),
            None => format!("{{{ns}}}{local}"),
        }
    }

    fn prefix_of(&self, ns: &str) -> Option<&str> {
        self.bindings
            .iter()
            .rev()
            .find(|(p, u)| u == ns && !p.is_empty() && self.resolve(p) == Some(ns))
            .map(|(p, _)| p.as_str())
    }
}

/// Replays a document's tags against one schema with one memo.
pub(crate) struct Replay<'a> {
    pub schema: &'a Schema,
    pub cache: &'a mut Cache,
    pub text: &'a str,
    pub scope: Scope,
    no_entities: BTreeSet<String>,
}

/// A start tag replayed up to (not including) its close: the state, and how many namespace
/// bindings it declared.
pub(crate) struct Opened {
    pub state: PatternId,
    pub declared: usize,
}

impl<'a> Replay<'a> {
    pub(crate) fn new(schema: &'a Schema, cache: &'a mut Cache, text: &'a str) -> Self {
        Replay {
            schema,
            cache,
            text,
            scope: Scope::default(),
            no_entities: BTreeSet::new(),
        }
    }

    /// The state inside the innermost open element of `outline` after its closed children
    /// (the document's state before or after the root when none is open), with the namespace
    /// bindings in scope there left in `self.scope`.
    pub(crate) fn state_at(&mut self, outline: &Outline) -> PatternId {
        let mut state = self.schema.grammar().start;
        state = self.children(state, &outline.top);
        for frame in &outline.open {
            let opened = self.open(state, frame.name.clone(), None);
            state = self.close_start(opened.state);
            state = self.children(state, &frame.children);
        }
        state
    }

    /// Replays closed children (each skipped as a whole) and text.
    fn children(&mut self, mut state: PatternId, children: &[Child]) -> PatternId {
        for c in children {
            if state == NOT_ALLOWED {
                return state;
            }
            state = match c {
                Child::Element(tag) => self.skip_element(state, tag.clone()),
                Child::Text(r) => self.text_step(state, r.clone()),
            };
        }
        state
    }

    /// A closed element (start tag at `tag`): opened, its attributes, closed, ended.
    fn skip_element(&mut self, state: PatternId, tag: Range<usize>) -> PatternId {
        let name = name_at(self.text, tag.start + 1);
        let opened = self.open(state, name, None);
        if opened.state == NOT_ALLOWED {
            self.scope.undeclare(opened.declared);
            return state; // not declared at all: as if it were not there
        }
        let closed = self.close_start(opened.state);
        self.scope.undeclare(opened.declared);
        let ended = self.cache.end_tag(self.schema, closed, true);
        if ended == NOT_ALLOWED {
            state
        } else {
            ended
        }
    }

    /// The state after the start tag whose name is at `name` and its attributes (but the
    /// attribute whose name is at `except`), before the tag closes. Its namespace
    /// declarations stay in scope (undone by the caller for a closed element).
    /// `NOT_ALLOWED` when the schema declares no such element.
    pub(crate) fn open(
        &mut self,
        state: PatternId,
        name: Range<usize>,
        except: Option<Range<usize>>,
    ) -> Opened {
        let text = self.text;
        let attrs = scan::attributes(text, name.clone());
        let declared = self.scope.declare(text, &attrs);
        let Some((ns, local)) = self.scope.element_name(&text[name]) else {
            return Opened {
                state: NOT_ALLOWED,
                declared,
            };
        };
        let s = self.schema;
        let n = self.cache.name_id(&ns, local);
        let mut d = self.cache.start_tag_open(s, state, n, false);
        if d == NOT_ALLOWED {
            d = self.cache.start_tag_open(s, state, n, true);
        }
        if d == NOT_ALLOWED {
            let declared_content = self.cache.declared_content(s, n);
            if declared_content == NOT_ALLOWED {
                return Opened {
                    state: NOT_ALLOWED,
                    declared,
                };
            }
            // as the validator recovers: the children against the declaration, the parent
            // resuming after it as if it were not there (nothing after it when the parent
            // is itself unknown)
            let rest = if state == NOT_ALLOWED { EMPTY } else { state };
            d = self.cache.after_of(s, declared_content, rest);
        }
        for a in &attrs {
            if except.as_ref() == Some(&a.name) {
                continue;
            }
            d = self.attribute(d, a);
        }
        Opened { state: d, declared }
    }

    /// One attribute's step (left out when not allowed; an invalid value taken as valid).
    pub(crate) fn attribute(&mut self, state: PatternId, a: &RawAttribute) -> PatternId {
        let text = self.text;
        let Some((ns, local)) = self.scope.attribute_name(&text[a.name.clone()]) else {
            return state;
        };
        let s = self.schema;
        let n = self.cache.name_id(&ns, local);
        let sa = self.cache.start_attribute(s, state, n);
        if sa == NOT_ALLOWED {
            return state;
        }
        let value = &text[a.value.clone()];
        let cx = Context::new(&self.scope, &self.no_entities);
        let r = self.cache.attribute_value(s, sa, value, &cx, false);
        if r != NOT_ALLOWED {
            return r;
        }
        let r = self.cache.attribute_value(s, sa, value, &cx, true);
        if r == NOT_ALLOWED {
            state
        } else {
            r
        }
    }

    /// The start tag's close: attributes not given are no longer possible (or, when a
    /// required one is missing, count as given).
    pub(crate) fn close_start(&mut self, state: PatternId) -> PatternId {
        if state == NOT_ALLOWED {
            return state;
        }
        let c = self.cache.start_tag_close(self.schema, state, false);
        if c != NOT_ALLOWED {
            return c;
        }
        self.cache.start_tag_close(self.schema, state, true)
    }

    /// Text that is not only whitespace (left out where the state allows none).
    fn text_step(&mut self, state: PatternId, r: Range<usize>) -> PatternId {
        let s = self.schema;
        let cx = Context::new(&self.scope, &self.no_entities);
        let d = if self.cache.text_free(s, state) {
            self.cache.text_deriv(s, state, "", &cx, false)
        } else {
            self.cache.text_deriv(s, state, &self.text[r], &cx, true)
        };
        if d == NOT_ALLOWED {
            state
        } else {
            d
        }
    }
}

/// The name's range of the tag whose name starts at `from`.
pub(crate) fn name_at(text: &str, from: usize) -> Range<usize> {
    let b = text.as_bytes();
    let mut j = from.min(b.len());
    while j < b.len() && scan::is_name_byte(b[j]) {
        j += 1;
    }
    from.min(j)..j
}
