//! Validation by derivatives (James Clark's algorithm, as jing does it).
//!
//! A [`Validator`] receives one document as [`crate::xml::Handler`] events and keeps a single
//! pattern as its state: the derivative of the start pattern by everything seen so far. Each
//! (pattern, event) transition is computed once per schema and thread and then looked up: the
//! thread's [`Cache`] survives from one document to the next. When a transition fails the
//! validator reports what it found and what the schema expected, then recovers (skipping the
//! offending attribute, text or element, or validating an element against its declaration
//! elsewhere in the schema) so that one file reports all its independent errors.
//!
//! ```no_run
//! # use teikit::relaxng::{Schema, validate::Validator};
//! let schema = Schema::from_file("tei_all.rng").expect("schema");
//! let text = std::fs::read_to_string("letter.xml").expect("file");
//! let diagnostics = teikit::relaxng::validate::validate_str(&schema, &text);
//! # let _ = Validator::new(&schema);
//! ```

mod accepts;
mod arena;
mod codes;
mod deriv;
mod report;
mod schema_view;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_compiled;
mod tree;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;

pub(crate) use accepts::with_thread_cache;
pub use codes::*;
pub use deriv::Cache;
use deriv::Split;
pub use schema_view::SchemaView;
pub use tree::{line_range, validate_str, validate_str_with};

use crate::diagnostic::Diagnostic;
use crate::relaxng::datatypes::Context;
use crate::relaxng::pattern::{PatternId, NOT_ALLOWED};
use crate::relaxng::Schema;

use crate::xml::{EndTag, Handler, NsContext, StartTag};
use deriv::{is_whitespace, NameId};
use report::{describe_expected, list_names};

/// The namespace of `xml:` attributes.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

thread_local! {
    static THREAD_CACHE: RefCell<Option<Box<Cache>>> = const { RefCell::new(None) };
}

/// Where a validator keeps its memo: the thread's cache (returned when the validator is
/// dropped) or one the caller lends.
enum Slot<'c> {
    Thread(Box<Cache>),
    Lent(&'c mut Cache),
}

/// One open element: a few words, whatever the depth (the state inside it is its content
/// only, see [`Cache::split_after`]).
#[derive(Debug, Clone)]
struct Frame {
    name: NameId,
    start: Range<usize>,
    /// Any child element or text seen (else the content is the empty string).
    had_content: bool,
    /// What the parent expects after this element, when the stack keeps it.
    rest: Rest,
}

/// Where the continuation of an open element is.
#[derive(Debug, Clone)]
enum Rest {
    /// Here: the state is the element's content alone.
    One(PatternId),
    /// Here, one per mark the state ends in (`After(content, mark)`).
    Marks(std::rc::Rc<[PatternId]>),
    /// In the state (`After(content, rest)`).
    InState,
}

/// Text seen since the last tag.
#[derive(Debug, Default)]
struct PendingText {
    seen: bool,
    non_ws: bool,
    span: Range<usize>,
    /// Collected only where the state depends on the text (data, values, lists).
    buf: String,
    buffered: bool,
}

/// Namespace context for typed text content: only the `xml` prefix (the reader gives
/// namespaces with start tags only).
struct XmlOnly;

impl NsContext for XmlOnly {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        (prefix == "xml").then_some(XML_NS)
    }
}

/// Validates one document against a compiled schema; feed it events, then call
/// [`Validator::finish`]. Cheap to create: the memo lives in the thread's [`Cache`].
pub struct Validator<'s, S: SchemaView + ?Sized = Schema> {
    schema: &'s S,
    slot: Slot<'s>,
    state: PatternId,
    stack: Vec<Frame>,
    /// > 0 while inside an element the schema does not declare at all.
    skip_depth: u32,
    text: PendingText,
    /// The unparsed entities the document's DTD declares (for `ENTITY` and `ENTITIES`).
    unparsed: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    /// Diagnostics kept at most (see [`Validator::with_max_diagnostics`]).
    max_diagnostics: usize,
    /// Diagnostics found past `max_diagnostics`, and where the first of them was.
    dropped: usize,
    first_dropped: Option<Range<usize>>,
}

impl<'s, S: SchemaView + ?Sized> Validator<'s, S> {
    /// A validator using (and afterwards keeping) this thread's memo for `schema`.
    pub fn new(schema: &'s S) -> Self {
        let cache = THREAD_CACHE
            .with(|c| c.borrow_mut().take())
            .filter(|c| c.is_for(schema))
            .unwrap_or_else(|| Box::new(Cache::new(schema)));
        Self::with_slot(schema, Slot::Thread(cache))
    }

    /// A validator using `cache` (reset first if it was built for another schema).
    pub fn with_cache(schema: &'s S, cache: &'s mut Cache) -> Self {
        if !cache.is_for(schema) {
            *cache = Cache::new(schema);
        }
        Self::with_slot(schema, Slot::Lent(cache))
    }

    fn with_slot(schema: &'s S, slot: Slot<'s>) -> Self {
        Validator {
            schema,
            slot,
            state: schema.start(),
            stack: Vec::new(),
            skip_depth: 0,
            text: PendingText::default(),
            unparsed: BTreeSet::new(),
            diagnostics: Vec::new(),
            max_diagnostics: usize::MAX,
            dropped: 0,
            first_dropped: None,
        }
    }

    /// Keeps at most `max` diagnostics (the first ones, in document order); the rest are
    /// only counted ([`Validator::finish_counted`]), so that memory stays bounded however
    /// many errors a file has.
    pub fn with_max_diagnostics(mut self, max: usize) -> Self {
        self.max_diagnostics = max;
        self
    }

    /// The diagnostics (codes `tei::rng::*`), in document order; spans set, line and
    /// column left 0 for the pipeline to fill. When some were left out (past
    /// [`Validator::with_max_diagnostics`]), a [`crate::limit::dropped_placeholder`] at the
    /// first of them comes last.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.finish_counted().0
    }

    /// [`Validator::finish`], and how many errors were left out (for
    /// [`crate::limit::cap_diagnostics`]).
    pub fn finish_counted(mut self) -> (Vec<Diagnostic>, usize) {
        let mut diags = std::mem::take(&mut self.diagnostics);
        if let Some(span) = self.first_dropped.take() {
            diags.push(crate::limit::dropped_placeholder(span));
        }
        (diags, self.dropped)
    }

    /// Whether no error has been found so far.
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }

    fn parts(&mut self) -> (&'s S, &mut Cache) {
        let cache: &mut Cache = match &mut self.slot {
            Slot::Thread(c) => c,
            Slot::Lent(c) => c,
        };
        (self.schema, cache)
    }

    /// Like `parts`, with the document's unparsed entities for a datatype [`Context`].
    fn parts_cx(&mut self) -> (&'s S, &mut Cache, &BTreeSet<String>) {
        let cache: &mut Cache = match &mut self.slot {
            Slot::Thread(c) => c,
            Slot::Lent(c) => c,
        };
        (self.schema, cache, &self.unparsed)
    }

    /// Whether the state is the content of the innermost open element alone (its rest is
    /// on the stack).
    fn split_frame(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| matches!(f.rest, Rest::One(_)))
    }

    fn parent_name(&mut self) -> Option<String> {
        let name = self.stack.last()?.name;
        let (_, cache) = self.parts();
        Some(cache.names.get(name).1.to_string())
    }

    /// The path of the open elements (and `leaf`), its middle left out when it is deep
    /// ([`crate::limit::spell_path`]): its cost does not grow with the depth.
    fn path(&self, leaf: Option<&str>) -> String {
        let cache: &Cache = match &self.slot {
            Slot::Thread(c) => c,
            Slot::Lent(c) => c,
        };
        let stack = &self.stack;
        let extra = usize::from(leaf.is_some());
        let mut out = crate::limit::spell_path(stack.len() + extra, |out, i| {
            out.push_str(match stack.get(i) {
                Some(f) => cache.names.get(f.name).1,
                None => leaf.unwrap_or(""),
            })
        });
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    fn report(&mut self, d: Diagnostic, leaf: Option<&str>) {
        if self.diagnostics.len() >= self.max_diagnostics {
            self.dropped += 1;
            self.first_dropped.get_or_insert(d.span);
            return;
        }
        let path = self.path(leaf);
        self.diagnostics.push(d.with_path(path));
    }

    /// Processes the text seen since the last tag, before a start or end tag.
    fn flush_text(&mut self, at_end: bool, ns: &dyn NsContext) {
        let inside = self.split_frame();
        let seen = self.text.seen;
        let had_content = self.stack.last().is_some_and(|f| f.had_content);
        if !seen {
            // An element with no content at all matches as if it held the empty string.
            if at_end && !had_content && !self.stack.is_empty() {
                let state = self.state;
                let (s, cache) = self.parts();
                if !cache.text_free(s, state) {
                    let (s, cache, unparsed) = self.parts_cx();
                    let cx = Context::new(ns, unparsed);
                    let d = cache.text_deriv(s, state, "", &cx, false);
                    self.state = cache.arena.choice(s, state, d);
                }
            }
            return;
        }
        if let Some(f) = self.stack.last_mut() {
            f.had_content = true;
        }
        let text = std::mem::take(&mut self.text);
        let state = self.state;
        let (s, cache, unparsed) = self.parts_cx();
        if !text.buffered {
            if !text.non_ws {
                return; // whitespace between elements: always ignorable here
            }
            // Text-free state: the text itself is never looked at.
            let d = cache.text_deriv(s, state, "", &Context::new(&XmlOnly, unparsed), false);
            if d != NOT_ALLOWED {
                self.state = d;
                self.text.buf = text.buf;
                return;
            }
            let ex = cache.expected_in(s, state, inside);
            let parent = self.parent_name();
            let msg = format!(
                "text is not allowed here; expected {}",
                describe_expected(&ex, parent.as_deref())
            );
            self.report(
                Diagnostic::new(&UNEXPECTED_TEXT, text.span.clone(), msg),
                None,
            );
            self.text.buf = text.buf;
            return;
        }
        let value: &str = &text.buf;
        let (s, cache, unparsed) = self.parts_cx();
        let cx = Context::new(ns, unparsed);
        let d = cache.text_deriv(s, state, value, &cx, false);
        if !text.non_ws {
            self.state = cache.arena.choice(s, state, d);
        } else if d != NOT_ALLOWED {
            self.state = d;
        } else {
            let lenient = cache.text_deriv(s, state, value, &cx, true);
            let ex = cache.expected_in(s, state, inside);
            let diag = if ex.data && lenient != NOT_ALLOWED {
                let why = self.why_value(state, value, ns);
                let shown = shorten(value.trim());
                Diagnostic::new(
                    &INVALID_TEXT_VALUE,
                    text.span.clone(),
                    format!("text \"{shown}\" is not a valid value here: {why}"),
                )
            } else {
                let parent = self.parent_name();
                Diagnostic::new(
                    &UNEXPECTED_TEXT,
                    text.span.clone(),
                    format!(
                        "text is not allowed here; expected {}",
                        describe_expected(&ex, parent.as_deref())
                    ),
                )
            };
            self.report(diag, None);
            if lenient != NOT_ALLOWED {
                self.state = lenient;
            }
        }
        let mut buf = text.buf;
        buf.clear();
        self.text.buf = buf;
    }

    /// Why `value` does not match the value pattern(s) inside state `p`.
    fn why_value(&mut self, p: PatternId, value: &str, ns: &dyn NsContext) -> String {
        let (s, cache, unparsed) = self.parts_cx();
        let mut values = Vec::new();
        let mut datatypes = Vec::new();
        let mut other = false;
        collect_value_leaves(s, cache, p, &mut values, &mut datatypes, &mut other);
        explain_value(s, value, &values, &datatypes, &Context::new(ns, unparsed))
    }

    fn start(&mut self, tag: &StartTag<'_>) {
        let inside = self.split_frame();
        let state = self.state;
        let (s, cache) = self.parts();
        let name = cache.names.intern(tag.ns, tag.local);
        let mut d = cache.start_tag_open(s, state, name, false);
        if d == NOT_ALLOWED {
            let parent = self.parent_name();
            let (s, cache) = self.parts();
            let ex = cache.expected_in(s, state, inside);
            let recovered = cache.start_tag_open(s, state, name, true);
            if recovered != NOT_ALLOWED {
                let msg = format!(
                    "element `{}` is not allowed yet; expected {} first",
                    tag.qname,
                    describe_expected(&ex, parent.as_deref())
                );
                let help = doc_help(s, &ex);
                let mut diag = Diagnostic::new(&MISSING_ELEMENT, tag.span.clone(), msg);
                if let Some(h) = help {
                    diag = diag.with_help(h);
                }
                self.report(diag, Some(tag.local));
                d = recovered;
            } else {
                let declared = cache.declared_content(s, name);
                let msg = if declared == NOT_ALLOWED {
                    format!(
                        "element `{}` is not allowed anywhere in this schema; expected {}",
                        tag.qname,
                        describe_expected(&ex, parent.as_deref())
                    )
                } else {
                    format!(
                        "element `{}` is not allowed here; expected {}",
                        tag.qname,
                        describe_expected(&ex, parent.as_deref())
                    )
                };
                let mut diag = Diagnostic::new(&UNKNOWN_ELEMENT, tag.span.clone(), msg);
                if let Some(ns) = other_namespace(s, &ex, tag.ns, tag.local) {
                    let here = if tag.ns.is_empty() {
                        "in no namespace".to_string()
                    } else {
                        format!("in namespace `{}`", tag.ns)
                    };
                    diag = diag.with_help(format!(
                        "this `{}` is {here}; the schema expects `{}` in namespace `{ns}` \
                         (check the `xmlns` declaration)",
                        tag.qname, tag.local
                    ));
                } else {
                    let help = cache
                        .doc_help
                        .entry(name)
                        .or_insert_with(|| {
                            s.documentation_of(tag.ns, tag.local)
                                .map(|doc| format!("`{}`: {}", tag.local, shorten(doc)))
                        })
                        .clone();
                    if let Some(h) = help {
                        diag = diag.with_help(h);
                    }
                }
                self.report(diag, Some(tag.local));
                if declared == NOT_ALLOWED {
                    self.skip_depth = 1;
                    return;
                }
                let (s, cache) = self.parts();
                // Validate the children against the declaration; the parent resumes as if
                // the element were not there.
                d = cache.arena.after(s, declared, state);
            }
        }
        // Attributes.
        let opened = d;
        for att in tag.attributes {
            let (s, cache, unparsed) = self.parts_cx();
            let cx = Context::new(tag.namespaces, unparsed);
            let an = cache.names.intern(att.ns, att.local);
            let sa = cache.start_attribute(s, d, an);
            if sa == NOT_ALLOWED {
                let mut allowed = BTreeSet::new();
                let mut seen = std::collections::HashSet::default();
                cache.allowed_attributes(s, opened, &mut allowed, &mut seen);
                let allowed: Vec<String> = allowed.into_iter().collect();
                let msg = if allowed.is_empty() {
                    format!(
                        "attribute `{}` is not allowed on `{}`; it allows no attributes",
                        att.qname, tag.qname
                    )
                } else {
                    format!(
                        "attribute `{}` is not allowed on `{}`; expected {}",
                        att.qname,
                        tag.qname,
                        list_names(&allowed, "or")
                    )
                };
                self.report(
                    Diagnostic::new(&UNKNOWN_ATTRIBUTE, att.span.clone(), msg)
                        .with_label(tag.span.clone(), format!("on this `{}`", tag.qname)),
                    Some(tag.local),
                );
                continue;
            }
            let r = cache.attribute_value(s, sa, att.value, &cx, false);
            if r != NOT_ALLOWED {
                d = r;
                continue;
            }
            let mut values = Vec::new();
            let mut datatypes = Vec::new();
            let mut other = false;
            collect_after_values(s, cache, sa, &mut values, &mut datatypes, &mut other);
            let why = explain_value(s, att.value, &values, &datatypes, &cx);
            let msg = format!(
                "value \"{}\" of attribute `{}` is invalid: {why}",
                shorten(att.value),
                att.qname
            );
            let (s, cache, unparsed) = self.parts_cx();
            let cx = Context::new(tag.namespaces, unparsed);
            d = cache.attribute_value(s, sa, att.value, &cx, true);
            self.report(
                Diagnostic::new(&INVALID_ATTRIBUTE_VALUE, att.value_span.clone(), msg)
                    .with_label(tag.span.clone(), format!("on this `{}`", tag.qname)),
                Some(tag.local),
            );
        }
        let (s, cache) = self.parts();
        let mut c = cache.start_tag_close(s, d, false);
        if c == NOT_ALLOWED {
            let mut req = BTreeSet::new();
            cache.required_attributes(s, d, &mut req);
            let req: Vec<String> = req.into_iter().collect();
            c = cache.start_tag_close(s, d, true);
            let msg = if req.is_empty() {
                format!("element `{}` lacks a required attribute", tag.qname)
            } else if req.len() == 1 {
                format!(
                    "element `{}` lacks required attribute {}",
                    tag.qname,
                    list_names(&req, "or")
                )
            } else {
                format!(
                    "element `{}` lacks required attributes: {}",
                    tag.qname,
                    list_names(&req, "and")
                )
            };
            self.report(
                Diagnostic::new(&MISSING_ATTRIBUTE, tag.span.clone(), msg),
                None,
            );
        }
        let (s, cache) = self.parts();
        let (content, rest) = match cache.split_after(s, c) {
            Split::One(content, rest) => (content, Rest::One(rest)),
            Split::Marks(state, rests) => (state, Rest::Marks(rests)),
            Split::Whole => (c, Rest::InState),
        };
        self.state = content;
        self.stack.push(Frame {
            name,
            start: tag.span.clone(),
            had_content: false,
            rest,
        });
    }

    fn end(&mut self, tag: &EndTag<'_>) {
        let ns = tag.namespaces;
        self.flush_text(true, ns);
        let state = self.state;
        let rest = self.stack.last().map_or(Rest::InState, |f| f.rest.clone());
        let inside = matches!(rest, Rest::One(_));
        let (s, cache) = self.parts();
        // the element's content complete: what follows it (its rest), or the end-tag
        // derivative of a state that holds it
        let end = |cache: &mut Cache, recover: bool| match &rest {
            Rest::One(r) if recover || cache.arena.nullable(s, state) => *r,
            Rest::One(_) => NOT_ALLOWED,
            Rest::Marks(rests) => {
                let ended = cache.end_tag(s, state, recover);
                cache.unmark(s, ended, rests)
            }
            Rest::InState => cache.end_tag(s, state, recover),
        };
        let mut e = end(cache, false);
        if e == NOT_ALLOWED {
            let ex = cache.expected_in(s, state, inside);
            e = end(cache, true);
            let start = self.stack.last().map(|f| f.start.clone());
            let empty = !self.stack.last().is_some_and(|f| f.had_content);
            let mut diag = if empty && ex.data && ex.elements.is_empty() {
                // Typed content left empty: say what the value must be.
                let why = self.why_value(state, "", ns);
                let span = match &start {
                    Some(st) => st.start..tag.span.end,
                    None => tag.span.clone(),
                };
                Diagnostic::new(
                    &INVALID_TEXT_VALUE,
                    span,
                    format!(
                        "`{}` is empty, which is not a valid value here: {why}",
                        tag.qname
                    ),
                )
            } else {
                let msg = format!(
                    "`{}` is incomplete: expected {}",
                    tag.qname,
                    describe_expected(&ex, None)
                );
                Diagnostic::new(&INCOMPLETE_CONTENT, tag.span.clone(), msg)
            };
            if let Some(st) = start {
                diag = diag.with_label(st, "element starts here");
            }
            self.report(diag, None);
        }
        self.state = e;
        self.stack.pop();
        if let Some(f) = self.stack.last_mut() {
            f.had_content = true;
        }
    }
}

impl<S: SchemaView + ?Sized> Drop for Validator<'_, S> {
    fn drop(&mut self) {
        if let Slot::Thread(c) = &mut self.slot {
            let c = std::mem::replace(c, Box::new(Cache::empty()));
            THREAD_CACHE.with(|t| *t.borrow_mut() = Some(c));
        }
    }
}

impl<S: SchemaView + ?Sized> Handler for Validator<'_, S> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.start_in(tag);
    }

    fn end_element(&mut self, tag: &EndTag<'_>) {
        self.end_in(tag);
    }

    fn text(&mut self, text: &str, span: Range<usize>) {
        self.text_in(text, span);
    }

    fn unparsed_entity(&mut self, name: &str) {
        self.unparsed.insert(name.to_string());
    }
}

impl<'s, S: SchemaView + ?Sized> Validator<'s, S> {
    fn start_in(&mut self, tag: &StartTag<'_>) {
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            return;
        }
        self.flush_text(false, tag.namespaces);
        if let Some(f) = self.stack.last_mut() {
            f.had_content = true;
        }
        self.start(tag);
    }

    fn end_in(&mut self, tag: &EndTag<'_>) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        self.end(tag);
    }

    fn text_in(&mut self, text: &str, span: Range<usize>) {
        if self.skip_depth > 0 || self.stack.is_empty() {
            return;
        }
        let state = self.state;
        let (s, cache) = self.parts();
        let free = cache.text_free(s, state);
        let t = &mut self.text;
        if !t.seen {
            t.seen = true;
            t.span = span.clone();
            t.buffered = !free;
        }
        t.span.end = span.end;
        if !t.non_ws && !is_whitespace(text) {
            t.non_ws = true;
        }
        if t.buffered {
            t.buf.push_str(text);
        }
    }
}

/// Collects the values and datatypes of the value patterns in a start-attribute state (a
/// choice of `After(value pattern, rest)`).
fn collect_after_values<S: SchemaView + ?Sized>(
    s: &S,
    cache: &mut Cache,
    p: PatternId,
    values: &mut Vec<String>,
    datatypes: &mut Vec<u32>,
    other: &mut bool,
) {
    match cache.arena.node(s, p) {
        arena::Node::Choice(a, b) => {
            collect_after_values(s, cache, a, values, datatypes, other);
            collect_after_values(s, cache, b, values, datatypes, other);
        }
        arena::Node::After(v, _) => cache.describe_values(s, v, values, datatypes, other),
        _ => {}
    }
}

/// Collects the value leaves reachable as text from an element-content state.
fn collect_value_leaves<S: SchemaView + ?Sized>(
    s: &S,
    cache: &mut Cache,
    p: PatternId,
    values: &mut Vec<String>,
    datatypes: &mut Vec<u32>,
    other: &mut bool,
) {
    match cache.arena.node(s, p) {
        arena::Node::Choice(a, b) | arena::Node::Group(a, b) | arena::Node::Interleave(a, b) => {
            collect_value_leaves(s, cache, a, values, datatypes, other);
            collect_value_leaves(s, cache, b, values, datatypes, other);
        }
        arena::Node::OneOrMore(a) | arena::Node::After(a, _) => {
            collect_value_leaves(s, cache, a, values, datatypes, other)
        }
        arena::Node::Value(..) | arena::Node::Data(..) => {
            cache.describe_values(s, p, values, datatypes, other)
        }
        arena::Node::List(_) => *other = true,
        _ => {}
    }
}

/// "expected one of `low`, `medium` or `high`" / the datatype's own reason.
fn explain_value<S: SchemaView + ?Sized>(
    s: &S,
    value: &str,
    values: &[String],
    datatypes: &[u32],
    cx: &Context<'_>,
) -> String {
    let mut parts = Vec::new();
    if !values.is_empty() {
        let mut v: Vec<String> = values.to_vec();
        v.sort();
        v.dedup();
        if v.len() == 1 {
            parts.push(format!("expected {}", list_names(&v, "or")));
        } else {
            parts.push(format!("expected one of {}", list_names(&v, "or")));
        }
    }
    for &dt in datatypes {
        match s.data_check(dt, value, cx) {
            Err(why) => parts.push(why),
            Ok(()) => parts.push(format!("{} excludes this value", s.data_describe(dt))),
        }
    }
    if parts.is_empty() {
        "the schema allows no value here".into()
    } else {
        parts.join("; or ")
    }
}

/// The namespace of an expected element with the same local name as the one found, when the
/// found one is in another namespace (a missing or wrong `xmlns`).
fn other_namespace<'a, S: SchemaView + ?Sized>(
    s: &'a S,
    ex: &report::Expected,
    ns: &str,
    local: &str,
) -> Option<&'a str> {
    ex.decls.iter().find_map(|&e| match s.element_name(e) {
        crate::relaxng::pattern::NameClass::Name { ns: n, local: l } if l == local && n != ns => {
            Some(n.as_str())
        }
        _ => None,
    })
}

/// The documentation of the expected elements, when there is exactly one with documentation.
fn doc_help<S: SchemaView + ?Sized>(s: &S, ex: &report::Expected) -> Option<String> {
    if ex.decls.len() != 1 {
        return None;
    }
    let e = ex.decls[0];
    let doc = s.element_doc(e)?;
    let name = ex.elements.first()?;
    Some(format!("`{name}`: {}", shorten(doc)))
}

/// At most ~120 characters of `text`, on one line.
fn shorten(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= 120 {
        one
    } else {
        let cut: String = one.chars().take(117).collect();
        format!("{cut}...")
    }
}
