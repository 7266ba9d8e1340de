//! What a state accepts, asked by editors ([`crate::ide`]): the element declarations that may
//! start next, the attribute patterns an open start tag still allows or requires, the values
//! an attribute allows; and the few arena steps a caller outside this module needs to replay
//! a document's tags with the derivatives of [`Cache`]. Every walk here is over one state,
//! memoised where the validator memoises (the expected set per state).

use std::cell::RefCell;

use super::arena::Node;
use super::deriv::Cache;
use super::SchemaView;
use crate::relaxng::fxhash::FxBuildHasher;
use crate::relaxng::pattern::{DatatypeId, ElementId, PatternId, ValueId};

/// The values an attribute allows, from its value pattern(s).
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    /// The fixed `<value>`s (datatype, value), in schema order, distinct.
    pub values: Vec<(DatatypeId, ValueId)>,
    /// Some other text is allowed too (a datatype, `text`, a list of free tokens).
    pub open: bool,
    /// The value is a whitespace-separated list.
    pub list: bool,
}

thread_local! {
    /// This thread's memo for editors' questions, apart from the validator's (so that neither
    /// takes the other's while both are alive on one thread).
    static ASK_CACHE: RefCell<Option<Box<Cache>>> = const { RefCell::new(None) };
}

/// Patterns the editor memo may create before it is dropped and started afresh: the states
/// of a session's questions hold their open elements' continuations, so that a long session
/// over many documents would otherwise grow it without end.
const MAX_CREATED_PATTERNS: usize = 1 << 20;

/// Runs `f` with this thread's editor memo for `schema` (built afresh when the thread's memo
/// is for another schema, or has grown past [`MAX_CREATED_PATTERNS`]): derivatives computed
/// by one question serve the next.
pub(crate) fn with_thread_cache<S: SchemaView + ?Sized, R>(
    schema: &S,
    f: impl FnOnce(&mut Cache) -> R,
) -> R {
    let mut cache = ASK_CACHE
        .with(|c| c.borrow_mut().take())
        .filter(|c| c.is_for(schema) && c.created_patterns() < MAX_CREATED_PATTERNS)
        .unwrap_or_else(|| Box::new(Cache::new(schema)));
    let r = f(&mut cache);
    ASK_CACHE.with(|c| *c.borrow_mut() = Some(cache));
    r
}

impl Cache {
    /// The interned id of element or attribute name `{ns}local`.
    pub(crate) fn name_id(&mut self, ns: &str, local: &str) -> u32 {
        self.names.intern(ns, local)
    }

    /// `after(a, b)`: match `a`, then after the end tag continue with `b`.
    pub(crate) fn after_of<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        a: PatternId,
        b: PatternId,
    ) -> PatternId {
        self.arena.after(s, a, b)
    }

    /// The element declarations that may start next in state `p` (its first set), sorted
    /// and distinct. `p` is a state inside an element that holds its continuation
    /// (`After(content, rest)`, as after [`Cache::start_tag_close`]), or the start pattern.
    /// Memoised per state (the validator's expected set).
    pub(crate) fn next_elements<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
    ) -> Vec<ElementId> {
        self.expected(s, p).decls.clone()
    }

    /// The attribute patterns (`Pattern::Attribute` ids of the schema) state `p` (a start tag
    /// not yet closed) still allows, sorted and distinct.
    pub(crate) fn attribute_patterns<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
    ) -> Vec<PatternId> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::<PatternId, FxBuildHasher>::default();
        let mut todo = vec![p];
        while let Some(q) = todo.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.arena.node(s, q) {
                Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                    todo.push(b);
                    todo.push(a);
                }
                Node::OneOrMore(a) | Node::After(a, _) => todo.push(a),
                Node::Attribute(..) => out.push(q),
                _ => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The attribute patterns state `p` (a start tag not yet closed) requires before it may
    /// close: empty when it may close now; where the schema offers alternatives (`a | b`),
    /// each alternative's. Sorted and distinct.
    pub(crate) fn required_attribute_patterns<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
    ) -> Vec<PatternId> {
        let mut out = Vec::new();
        self.collect_required(s, p, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_required<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        out: &mut Vec<PatternId>,
    ) {
        if self.start_tag_close(s, p, false) != crate::relaxng::pattern::NOT_ALLOWED {
            return;
        }
        match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.collect_required(s, a, out);
                self.collect_required(s, b, out);
            }
            Node::OneOrMore(a) | Node::After(a, _) => self.collect_required(s, a, out),
            Node::Attribute(..) => out.push(p),
            _ => {}
        }
    }

    /// The values `p` allows: `p` is a value pattern (an attribute's content), or the state
    /// after [`Cache::start_attribute`] (a choice of `After(value pattern, rest)`).
    pub(crate) fn allowed_values<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> Values {
        let mut out = Values::default();
        let mut seen = std::collections::HashSet::<PatternId, FxBuildHasher>::default();
        let mut todo = vec![(p, false)];
        while let Some((q, in_list)) = todo.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.arena.node(s, q) {
                Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                    todo.push((b, in_list));
                    todo.push((a, in_list));
                }
                Node::OneOrMore(a) | Node::After(a, _) => todo.push((a, in_list)),
                Node::List(a) => {
                    out.list = true;
                    todo.push((a, true));
                }
                Node::Value(dt, v) if !out.values.contains(&(dt, v)) => out.values.push((dt, v)),
                Node::Data(..) | Node::Text => out.open = true,
                _ => {}
            }
        }
        out
    }
}
