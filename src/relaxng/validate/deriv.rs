//! The derivatives (James Clark, "An algorithm for RELAX NG validation"), in jing's split form:
//! start-tag-open, start-attribute, attribute value, start-tag-close, text and end-tag, each a
//! `match` over the pattern kinds, memoised per (pattern, name) in the thread's [`Cache`].

use std::collections::HashMap;

use super::arena::{Arena, Node};
use super::SchemaView;
use crate::relaxng::datatypes::Context;
use crate::relaxng::fxhash::FxBuildHasher as FxBuild;
use crate::relaxng::pattern::{ElementId, PatternId, EMPTY, NOT_ALLOWED, TEXT};

/// Index of an interned (namespace, local name) pair.
pub(crate) type NameId = u32;

/// Interned element and attribute names: keyed by the local name (short, cheap to hash), each
/// with the few namespaces it occurs in (compared, not hashed: usually one).
#[derive(Debug, Default)]
pub(crate) struct Names {
    map: HashMap<Box<str>, Vec<NameId>, FxBuild>,
    list: Vec<(Box<str>, Box<str>)>,
}

impl Names {
    pub(crate) fn intern(&mut self, ns: &str, local: &str) -> NameId {
        let list = &self.list;
        if let Some(ids) = self.map.get(local) {
            if let Some(&id) = ids.iter().find(|&&id| *list[id as usize].0 == *ns) {
                return id;
            }
        }
        let id = self.list.len() as NameId;
        self.list.push((ns.into(), local.into()));
        self.map.entry(local.into()).or_default().push(id);
        id
    }

    pub(crate) fn get(&self, id: NameId) -> (&str, &str) {
        match self.list.get(id as usize) {
            Some((n, l)) => (n, l),
            None => ("", ""),
        }
    }
}

/// A state after a start tag, split by [`Cache::split_after`].
#[derive(Debug, Clone)]
pub(crate) enum Split {
    /// The element's content alone, and the rest of the parent after it.
    One(PatternId, PatternId),
    /// The state with its rests replaced by marks, and the rests (the `i`-th for mark `i`).
    Marks(PatternId, std::rc::Rc<[PatternId]>),
    /// Kept whole (not a choice of `After`s).
    Whole,
}

/// How to rebuild the continuation of an `After` (jing's ApplyAfter functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Then {
    /// y -> group(y, p)
    GroupBefore(PatternId),
    /// y -> group(p, y)
    GroupAfter(PatternId),
    /// y -> interleave(y, p)
    Interleave(PatternId),
    /// y -> after(y, p)
    After(PatternId),
}

/// The per-thread memo of one schema: its layered arena, names and every derivative computed.
#[derive(Debug)]
pub struct Cache {
    /// The [`SchemaView::cache_key`] of the schema this memo was built for (0: none).
    pub(crate) key: u64,
    pub(crate) arena: Arena,
    pub(crate) names: Names,
    open: HashMap<(PatternId, NameId), PatternId, FxBuild>,
    recover: HashMap<(PatternId, NameId), PatternId, FxBuild>,
    att: HashMap<(PatternId, NameId), PatternId, FxBuild>,
    close: HashMap<PatternId, PatternId, FxBuild>,
    close_recover: HashMap<PatternId, PatternId, FxBuild>,
    end: HashMap<PatternId, PatternId, FxBuild>,
    end_recover: HashMap<PatternId, PatternId, FxBuild>,
    text: HashMap<PatternId, PatternId, FxBuild>,
    apply: HashMap<(PatternId, Then), PatternId, FxBuild>,
    /// 0 unknown, 1 depends on the text, 2 does not (no data, value or list at the top).
    text_free: Vec<u8>,
    decls_by_name: HashMap<NameId, PatternId, FxBuild>,
    /// [`Cache::split_after`] by state.
    split: HashMap<PatternId, Split, FxBuild>,
    /// Attribute-value verdicts by value pattern and text (context-free patterns, short texts).
    value_memo: HashMap<PatternId, HashMap<Box<str>, bool, FxBuild>, FxBuild>,
    value_memo_len: usize,
    /// 0 unknown, 1 depends on the namespace context, 2 does not.
    context_free: Vec<u8>,
    /// The documentation help of an element name (unknown-element messages).
    pub(crate) doc_help: HashMap<NameId, Option<String>, FxBuild>,
    pub(crate) expected: HashMap<PatternId, std::rc::Rc<super::report::Expected>, FxBuild>,
}

impl Cache {
    /// An empty cache for `schema`.
    pub fn new<S: SchemaView + ?Sized>(schema: &S) -> Cache {
        Cache {
            key: schema.cache_key(),
            arena: Arena::new(schema.pattern_count()),
            ..Cache::empty()
        }
    }

    /// A cache for no schema (a placeholder).
    pub(crate) fn empty() -> Cache {
        Cache {
            key: 0,
            arena: Arena::new(0),
            names: Names::default(),
            open: HashMap::default(),
            recover: HashMap::default(),
            att: HashMap::default(),
            close: HashMap::default(),
            close_recover: HashMap::default(),
            end: HashMap::default(),
            end_recover: HashMap::default(),
            text: HashMap::default(),
            apply: HashMap::default(),
            text_free: Vec::new(),
            decls_by_name: HashMap::default(),
            split: HashMap::default(),
            value_memo: HashMap::default(),
            value_memo_len: 0,
            context_free: Vec::new(),
            doc_help: HashMap::default(),
            expected: HashMap::default(),
        }
    }

    /// Whether this cache was built for `schema`.
    pub fn is_for<S: SchemaView + ?Sized>(&self, schema: &S) -> bool {
        self.key == schema.cache_key() && self.arena_frozen_len() == schema.pattern_count()
    }

    fn arena_frozen_len(&self) -> u32 {
        self.arena.frozen_len()
    }

    /// Number of memoised transitions (for tests and statistics).
    pub fn transitions(&self) -> usize {
        self.open.len()
            + self.recover.len()
            + self.att.len()
            + self.close.len()
            + self.end.len()
            + self.text.len()
    }

    /// Number of patterns validation has created on top of the schema's.
    pub fn created_patterns(&self) -> usize {
        self.arena.local_len()
    }

    fn apply_after<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId, f: Then) -> PatternId {
        if p == NOT_ALLOWED {
            return p;
        }
        if let Some(&r) = self.apply.get(&(p, f)) {
            return r;
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.apply_after(s, a, f);
                let y = self.apply_after(s, b, f);
                self.arena.choice(s, x, y)
            }
            Node::After(a, b) => {
                let nb = match f {
                    Then::GroupBefore(q) => self.arena.group(s, b, q),
                    Then::GroupAfter(q) => self.arena.group(s, q, b),
                    Then::Interleave(q) => self.arena.interleave(s, b, q),
                    Then::After(q) => self.arena.after(s, b, q),
                };
                self.arena.after(s, a, nb)
            }
            _ => NOT_ALLOWED,
        };
        self.apply.insert((p, f), r);
        r
    }

    /// The continuation `choice(oneOrMore(p), empty)` of a repetition.
    fn repeat_rest<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> PatternId {
        self.arena.choice(s, p, EMPTY)
    }

    /// startTagOpenDeriv: the pattern after the start of an element named `n`. With `recover`,
    /// required content before the element may be skipped (jing's "not allowed yet").
    pub(crate) fn start_tag_open<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        n: NameId,
        recover: bool,
    ) -> PatternId {
        let memo = if recover { &self.recover } else { &self.open };
        if let Some(&r) = memo.get(&(p, n)) {
            return r;
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.start_tag_open(s, a, n, recover);
                let y = self.start_tag_open(s, b, n, recover);
                self.arena.choice(s, x, y)
            }
            Node::Element(e) => {
                let (ns, local) = self.names.get(n);
                if s.element_name(e).contains(ns, local) {
                    self.arena.after(s, s.element_content(e), EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            Node::Interleave(a, b) => {
                let da = self.start_tag_open(s, a, n, recover);
                let x = self.apply_after(s, da, Then::Interleave(b));
                let db = self.start_tag_open(s, b, n, recover);
                // interleave is commutative: y -> interleave(a, y) == interleave(y, a)
                let y = self.apply_after(s, db, Then::Interleave(a));
                self.arena.choice(s, x, y)
            }
            Node::OneOrMore(a) => {
                let da = self.start_tag_open(s, a, n, recover);
                let rest = self.repeat_rest(s, p);
                self.apply_after(s, da, Then::GroupBefore(rest))
            }
            Node::Group(a, b) => {
                let da = self.start_tag_open(s, a, n, recover);
                let x = self.apply_after(s, da, Then::GroupBefore(b));
                if recover || self.arena.nullable(s, a) {
                    let y = self.start_tag_open(s, b, n, recover);
                    self.arena.choice(s, x, y)
                } else {
                    x
                }
            }
            Node::After(a, b) => {
                let da = self.start_tag_open(s, a, n, recover);
                self.apply_after(s, da, Then::After(b))
            }
            _ => NOT_ALLOWED,
        };
        let memo = if recover {
            &mut self.recover
        } else {
            &mut self.open
        };
        memo.insert((p, n), r);
        r
    }

    /// startAttributeDeriv: each attribute pattern named `n` becomes `After(value, empty)`.
    pub(crate) fn start_attribute<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        n: NameId,
    ) -> PatternId {
        if let Some(&r) = self.att.get(&(p, n)) {
            return r;
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.start_attribute(s, a, n);
                let y = self.start_attribute(s, b, n);
                self.arena.choice(s, x, y)
            }
            Node::Attribute(nc, v) => {
                let (ns, local) = self.names.get(n);
                if nc.contains(ns, local) {
                    self.arena.after(s, v, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            Node::Group(a, b) => {
                let da = self.start_attribute(s, a, n);
                let x = self.apply_after(s, da, Then::GroupBefore(b));
                let db = self.start_attribute(s, b, n);
                let y = self.apply_after(s, db, Then::GroupAfter(a));
                self.arena.choice(s, x, y)
            }
            Node::Interleave(a, b) => {
                let da = self.start_attribute(s, a, n);
                let x = self.apply_after(s, da, Then::Interleave(b));
                let db = self.start_attribute(s, b, n);
                let y = self.apply_after(s, db, Then::Interleave(a));
                self.arena.choice(s, x, y)
            }
            Node::OneOrMore(a) => {
                let da = self.start_attribute(s, a, n);
                let rest = self.repeat_rest(s, p);
                self.apply_after(s, da, Then::GroupBefore(rest))
            }
            Node::After(a, b) => {
                let da = self.start_attribute(s, a, n);
                self.apply_after(s, da, Then::After(b))
            }
            _ => NOT_ALLOWED,
        };
        self.att.insert((p, n), r);
        r
    }

    /// The value step of an attribute: keeps the continuations whose value pattern matches
    /// `value` (or all of them with `any`, for recovery).
    pub(crate) fn attribute_value<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        value: &str,
        cx: &Context<'_>,
        any: bool,
    ) -> PatternId {
        match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.attribute_value(s, a, value, cx, any);
                let y = self.attribute_value(s, b, value, cx, any);
                self.arena.choice(s, x, y)
            }
            Node::After(v, rest) => {
                if any || self.value_match(s, v, value, cx) {
                    rest
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Whether an attribute value (or a whole data-typed text) matches `p`. Memoised by text
    /// for short values of context-free patterns (the memo is bounded).
    pub(crate) fn value_match<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        text: &str,
        cx: &Context<'_>,
    ) -> bool {
        const MAX_TEXT: usize = 64;
        const MAX_ENTRIES: usize = 1 << 16;
        let memo = text.len() <= MAX_TEXT && self.context_free(s, p);
        if memo {
            if let Some(&r) = self.value_memo.get(&p).and_then(|m| m.get(text)) {
                return r;
            }
        }
        let r =
            (is_whitespace(text) && self.arena.nullable(s, p)) || self.text_matches(s, p, text, cx);
        if memo {
            if self.value_memo_len >= MAX_ENTRIES {
                self.value_memo.clear();
                self.value_memo_len = 0;
            }
            self.value_memo.entry(p).or_default().insert(text.into(), r);
            self.value_memo_len += 1;
        }
        r
    }

    /// Whether `p`'s datatypes judge texts independently of namespace declarations.
    fn context_free<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> bool {
        let i = p as usize;
        if let Some(&v) = self.context_free.get(i) {
            if v != 0 {
                return v == 2;
            }
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.context_free(s, a) && self.context_free(s, b)
            }
            Node::OneOrMore(a) | Node::List(a) => self.context_free(s, a),
            Node::Data(dt, except) => {
                s.data_context_free(dt) && except.is_none_or(|e| self.context_free(s, e))
            }
            Node::Value(dt, _) => s.data_context_free(dt),
            Node::Empty | Node::Text | Node::NotAllowed => true,
            _ => false,
        };
        if self.context_free.len() <= i {
            self.context_free.resize(i + 1, 0);
        }
        self.context_free[i] = if r { 2 } else { 1 };
        r
    }

    /// `nullable(textDeriv(p, text))`, without building patterns where it can.
    pub(crate) fn text_matches<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        text: &str,
        cx: &Context<'_>,
    ) -> bool {
        match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                self.text_matches(s, a, text, cx) || self.text_matches(s, b, text, cx)
            }
            Node::Group(a, b) | Node::Interleave(a, b) => {
                (self.arena.nullable(s, b) && self.text_matches(s, a, text, cx))
                    || (self.arena.nullable(s, a) && self.text_matches(s, b, text, cx))
            }
            Node::OneOrMore(a) => self.text_matches(s, a, text, cx),
            Node::Text => true,
            Node::Value(dt, v) => s.value_matches(dt, v, text, cx),
            Node::Data(dt, except) => {
                s.data_allows(dt, text, cx)
                    && !except.is_some_and(|e| self.text_matches(s, e, text, cx))
            }
            Node::List(a) => {
                let mut q = a;
                for token in text.split(is_xml_space).filter(|t| !t.is_empty()) {
                    q = self.text_deriv(s, q, token, cx, false);
                    if q == NOT_ALLOWED {
                        return false;
                    }
                }
                self.arena.nullable(s, q)
            }
            Node::After(a, b) => self.arena.nullable(s, b) && self.text_matches(s, a, text, cx),
            _ => false,
        }
    }

    /// Whether text derivatives of `p` do not depend on the text (no data, value or list
    /// reachable without entering an element).
    pub(crate) fn text_free<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> bool {
        let i = p as usize;
        if let Some(&v) = self.text_free.get(i) {
            if v != 0 {
                return v == 2;
            }
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.text_free(s, a) && self.text_free(s, b)
            }
            Node::OneOrMore(a) | Node::After(a, _) => self.text_free(s, a),
            Node::Data(..) | Node::Value(..) | Node::List(_) => false,
            _ => true,
        };
        if self.text_free.len() <= i {
            self.text_free.resize(i + 1, 0);
        }
        self.text_free[i] = if r { 2 } else { 1 };
        r
    }

    /// textDeriv over element content. With `lenient`, data, values and lists accept any
    /// text (recovery after an invalid value).
    pub(crate) fn text_deriv<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        text: &str,
        cx: &Context<'_>,
        lenient: bool,
    ) -> PatternId {
        let free = self.text_free(s, p);
        if free {
            if let Some(&r) = self.text.get(&p) {
                return r;
            }
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.text_deriv(s, a, text, cx, lenient);
                let y = self.text_deriv(s, b, text, cx, lenient);
                self.arena.choice(s, x, y)
            }
            Node::Interleave(a, b) => {
                let da = self.text_deriv(s, a, text, cx, lenient);
                let x = self.arena.interleave(s, da, b);
                let db = self.text_deriv(s, b, text, cx, lenient);
                let y = self.arena.interleave(s, a, db);
                self.arena.choice(s, x, y)
            }
            Node::Group(a, b) => {
                let da = self.text_deriv(s, a, text, cx, lenient);
                let x = self.arena.group(s, da, b);
                if self.arena.nullable(s, a) {
                    let y = self.text_deriv(s, b, text, cx, lenient);
                    self.arena.choice(s, x, y)
                } else {
                    x
                }
            }
            Node::After(a, b) => {
                let da = self.text_deriv(s, a, text, cx, lenient);
                self.arena.after(s, da, b)
            }
            Node::OneOrMore(a) => {
                let da = self.text_deriv(s, a, text, cx, lenient);
                let rest = self.repeat_rest(s, p);
                self.arena.group(s, da, rest)
            }
            Node::Text => TEXT,
            Node::Value(..) | Node::Data(..) | Node::List(_) => {
                if lenient || self.text_matches(s, p, text, cx) {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        if free {
            self.text.insert(p, r);
        }
        r
    }

    /// startTagCloseDeriv: attributes not given are no longer possible. With `recover`,
    /// missing attributes count as given.
    pub(crate) fn start_tag_close<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        recover: bool,
    ) -> PatternId {
        let memo = if recover {
            &self.close_recover
        } else {
            &self.close
        };
        if let Some(&r) = memo.get(&p) {
            return r;
        }
        let r = match self.arena.node(s, p) {
            Node::After(a, b) => {
                let x = self.start_tag_close(s, a, recover);
                self.arena.after(s, x, b)
            }
            Node::Choice(a, b) => {
                let x = self.start_tag_close(s, a, recover);
                let y = self.start_tag_close(s, b, recover);
                self.arena.choice(s, x, y)
            }
            Node::Group(a, b) => {
                let x = self.start_tag_close(s, a, recover);
                let y = self.start_tag_close(s, b, recover);
                self.arena.group(s, x, y)
            }
            Node::Interleave(a, b) => {
                let x = self.start_tag_close(s, a, recover);
                let y = self.start_tag_close(s, b, recover);
                self.arena.interleave(s, x, y)
            }
            Node::OneOrMore(a) => {
                let x = self.start_tag_close(s, a, recover);
                self.arena.one_or_more(s, x)
            }
            Node::Attribute(..) => {
                if recover {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => p,
        };
        let memo = if recover {
            &mut self.close_recover
        } else {
            &mut self.close
        };
        memo.insert(p, r);
        r
    }

    /// endTagDeriv: the continuation of every `After` whose content is complete (or of every
    /// `After`, with `recover`).
    pub(crate) fn end_tag<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        recover: bool,
    ) -> PatternId {
        let memo = if recover {
            &self.end_recover
        } else {
            &self.end
        };
        if let Some(&r) = memo.get(&p) {
            return r;
        }
        let r = match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                let x = self.end_tag(s, a, recover);
                let y = self.end_tag(s, b, recover);
                self.arena.choice(s, x, y)
            }
            Node::After(a, b) => {
                if recover || self.arena.nullable(s, a) {
                    b
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        let memo = if recover {
            &mut self.end_recover
        } else {
            &mut self.end
        };
        memo.insert(p, r);
        r
    }

    /// A state after a start tag (a choice of `After(content, rest)`) split so that it no
    /// longer holds the continuations of the open elements: [`Split::One`] when one pattern
    /// is exact for the content and one for the rest (all the rests are one pattern:
    /// `After(c1 | c2, r)`, or all the contents are: `After(c, r1 | r2)`); else
    /// [`Split::Marks`], the state with each distinct rest replaced by a mark (an ambiguous
    /// schema). The validator keeps the rests on its stack; the states inside an element then
    /// do not depend on where it is, and neither they nor the memo grow with the depth.
    pub(crate) fn split_after<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> Split {
        if let Some(r) = self.split.get(&p) {
            return r.clone();
        }
        let mut afters = Vec::new();
        let mut todo = vec![p];
        let mut whole = true;
        while let Some(q) = todo.pop() {
            match self.arena.node(s, q) {
                Node::Choice(a, b) => {
                    todo.push(b);
                    todo.push(a);
                }
                Node::After(a, b) => afters.push((a, b)),
                _ => whole = false,
            }
        }
        let r = match afters.first() {
            Some(&(c0, r0)) if whole => {
                if afters.iter().all(|&(_, r)| r == r0) {
                    let cs: Vec<PatternId> = afters.iter().map(|&(c, _)| c).collect();
                    Split::One(self.arena.choice_of(s, &cs), r0)
                } else if afters.iter().all(|&(c, _)| c == c0) {
                    let rs: Vec<PatternId> = afters.iter().map(|&(_, r)| r).collect();
                    Split::One(c0, self.arena.choice_of(s, &rs))
                } else {
                    let mut rests: Vec<PatternId> = Vec::new();
                    let mut index: HashMap<PatternId, u32, FxBuild> = HashMap::default();
                    let mut marked = Vec::with_capacity(afters.len());
                    for &(c, r) in &afters {
                        let i = *index.entry(r).or_insert_with(|| {
                            rests.push(r);
                            rests.len() as u32 - 1
                        });
                        let mark = self.arena.mark(s, i);
                        marked.push(self.arena.after(s, c, mark));
                    }
                    Split::Marks(self.arena.choice_of(s, &marked), rests.into())
                }
            }
            _ => Split::Whole,
        };
        self.split.insert(p, r.clone());
        r
    }

    /// The continuation after an element whose state was [`Split::Marks`]: `ended` (the end
    /// tag's derivative: a choice of marks) with each mark replaced by its rest.
    pub(crate) fn unmark<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        ended: PatternId,
        rests: &[PatternId],
    ) -> PatternId {
        let mut out = Vec::new();
        let mut todo = vec![ended];
        while let Some(q) = todo.pop() {
            match self.arena.node(s, q) {
                Node::Choice(a, b) => {
                    todo.push(b);
                    todo.push(a);
                }
                Node::Mark(i) => out.extend(rests.get(i as usize)),
                _ => {}
            }
        }
        self.arena.choice_of(s, &out)
    }

    /// The content of every element declaration whose name class contains `n`, as
    /// `choice(contents)`; notAllowed when the schema declares no such element.
    pub(crate) fn declared_content<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        n: NameId,
    ) -> PatternId {
        if let Some(&r) = self.decls_by_name.get(&n) {
            return r;
        }
        let (ns, local) = self.names.get(n);
        let contents: Vec<PatternId> = (0..s.element_count())
            .filter(|&e| s.element_name(e as ElementId).contains(ns, local))
            .map(|e| s.element_content(e))
            .collect();
        let r = self.arena.choice_of(s, &contents);
        self.decls_by_name.insert(n, r);
        r
    }
}

/// XML whitespace (space, tab, CR, LF).
#[inline]
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether `text` is empty or only XML whitespace.
#[inline]
pub(crate) fn is_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
