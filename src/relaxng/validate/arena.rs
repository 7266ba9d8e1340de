//! A per-thread pattern arena layered over a schema's frozen one.
//!
//! Ids below the schema's pattern count refer to the schema; validation creates the rest
//! (`After`, choices and groups of derivatives). Every constructor normalises and interns, so
//! equal patterns get equal ids and memo tables keyed by id stay small.

use std::collections::HashMap;

use super::SchemaView;
use crate::relaxng::fxhash::FxBuildHasher as FxBuild;
use crate::relaxng::pattern::{
    DatatypeId, ElementId, NameClass, Pattern, PatternId, ValueId, EMPTY, NOT_ALLOWED, TEXT,
};

/// A pattern as the engine sees it: ids copied, name classes borrowed from the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Node<'s> {
    Empty,
    NotAllowed,
    Text,
    Choice(PatternId, PatternId),
    Interleave(PatternId, PatternId),
    Group(PatternId, PatternId),
    OneOrMore(PatternId),
    List(PatternId),
    Attribute(&'s NameClass, PatternId),
    Element(ElementId),
    Data(DatatypeId, Option<PatternId>),
    Value(DatatypeId, ValueId),
    After(PatternId, PatternId),
    /// A stand-in for the continuation of an element (see [`Arena::mark`]): matches nothing,
    /// and no derivative looks into it.
    Mark(u32),
}

impl<'s> Node<'s> {
    fn of(p: &'s Pattern) -> Node<'s> {
        match p {
            Pattern::Empty => Node::Empty,
            Pattern::NotAllowed => Node::NotAllowed,
            Pattern::Text => Node::Text,
            Pattern::Choice(a, b) => Node::Choice(*a, *b),
            Pattern::Interleave(a, b) => Node::Interleave(*a, *b),
            Pattern::Group(a, b) => Node::Group(*a, *b),
            Pattern::OneOrMore(a) => Node::OneOrMore(*a),
            Pattern::List(a) => Node::List(*a),
            Pattern::Attribute(nc, a) => Node::Attribute(nc, *a),
            Pattern::Element(e) => Node::Element(*e),
            Pattern::Data(d, ex) => Node::Data(*d, *ex),
            Pattern::Value(d, v) => Node::Value(*d, *v),
            Pattern::After(a, b) => Node::After(*a, *b),
        }
    }
}

/// The only kinds validation creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Local {
    Choice(PatternId, PatternId),
    Interleave(PatternId, PatternId),
    Group(PatternId, PatternId),
    OneOrMore(PatternId),
    After(PatternId, PatternId),
    Mark(u32),
}

impl Local {
    fn node(self) -> Node<'static> {
        match self {
            Local::Choice(a, b) => Node::Choice(a, b),
            Local::Interleave(a, b) => Node::Interleave(a, b),
            Local::Group(a, b) => Node::Group(a, b),
            Local::OneOrMore(a) => Node::OneOrMore(a),
            Local::After(a, b) => Node::After(a, b),
            Local::Mark(i) => Node::Mark(i),
        }
    }
    /// The schema pattern this could be (marks are never the schema's).
    fn pattern(self) -> Option<Pattern> {
        Some(match self {
            Local::Choice(a, b) => Pattern::Choice(a, b),
            Local::Interleave(a, b) => Pattern::Interleave(a, b),
            Local::Group(a, b) => Pattern::Group(a, b),
            Local::OneOrMore(a) => Pattern::OneOrMore(a),
            Local::After(a, b) => Pattern::After(a, b),
            Local::Mark(_) => return None,
        })
    }
}

/// Patterns created during validation, above the schema's frozen ones.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    frozen_len: u32,
    local: Vec<Local>,
    interner: HashMap<Local, PatternId, FxBuild>,
    choice_memo: HashMap<(PatternId, PatternId), PatternId, FxBuild>,
    /// 0 unknown, 1 false, 2 true; indexed by id.
    nullable: Vec<u8>,
    scratch: Vec<PatternId>,
}

impl Arena {
    pub(crate) fn new(frozen_len: u32) -> Self {
        Arena {
            frozen_len,
            ..Default::default()
        }
    }

    /// The schema's pattern count: ids below it are the schema's.
    pub(crate) fn frozen_len(&self) -> u32 {
        self.frozen_len
    }

    /// Number of patterns created by validation so far.
    pub(crate) fn local_len(&self) -> usize {
        self.local.len()
    }

    #[inline]
    pub(crate) fn node<'s, S: SchemaView + ?Sized>(&self, s: &'s S, id: PatternId) -> Node<'s> {
        if id < self.frozen_len {
            Node::of(s.pattern(id))
        } else {
            match self.local.get((id - self.frozen_len) as usize) {
                Some(l) => l.node(),
                None => Node::NotAllowed,
            }
        }
    }

    fn intern<S: SchemaView + ?Sized>(&mut self, s: &S, l: Local) -> PatternId {
        if let Some(&id) = self.interner.get(&l) {
            return id;
        }
        let id = match l.pattern().and_then(|p| s.lookup(&p)) {
            Some(id) if id < self.frozen_len => id,
            _ => {
                let id = self.frozen_len + self.local.len() as u32;
                self.local.push(l);
                id
            }
        };
        self.interner.insert(l, id);
        id
    }

    /// Whether `id` matches the empty sequence.
    pub(crate) fn nullable<S: SchemaView + ?Sized>(&mut self, s: &S, id: PatternId) -> bool {
        let i = id as usize;
        if let Some(&v) = self.nullable.get(i) {
            if v != 0 {
                return v == 2;
            }
        }
        let r = match self.node(s, id) {
            Node::Empty | Node::Text => true,
            Node::Choice(a, b) => self.nullable(s, a) || self.nullable(s, b),
            Node::Interleave(a, b) | Node::Group(a, b) => {
                self.nullable(s, a) && self.nullable(s, b)
            }
            Node::OneOrMore(a) => self.nullable(s, a),
            _ => false,
        };
        if self.nullable.len() <= i {
            self.nullable.resize(i + 1, 0);
        }
        self.nullable[i] = if r { 2 } else { 1 };
        r
    }

    /// `choice(a, b)`: notAllowed is the unit; members are flattened, deduplicated and
    /// ordered, so a choice of the same alternatives always gets the same id.
    pub(crate) fn choice<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        a: PatternId,
        b: PatternId,
    ) -> PatternId {
        if a == NOT_ALLOWED || a == b {
            return b;
        }
        if b == NOT_ALLOWED {
            return a;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(&r) = self.choice_memo.get(&key) {
            return r;
        }
        let mut members = std::mem::take(&mut self.scratch);
        members.clear();
        self.flatten_choice(s, a, &mut members);
        self.flatten_choice(s, b, &mut members);
        members.sort_unstable();
        members.dedup();
        let r = self.build_choice(s, &members);
        self.scratch = members;
        self.choice_memo.insert(key, r);
        r
    }

    /// The choice of all `alternatives` (flattened, deduplicated, ordered: the same id as
    /// [`Arena::choice`] folded over them), in one step: O(n log n) for n alternatives.
    pub(crate) fn choice_of<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        alternatives: &[PatternId],
    ) -> PatternId {
        let mut members = Vec::with_capacity(alternatives.len());
        for &p in alternatives {
            if p != NOT_ALLOWED {
                self.flatten_choice(s, p, &mut members);
            }
        }
        members.sort_unstable();
        members.dedup();
        self.build_choice(s, &members)
    }

    /// The choice of sorted, distinct `members` (balanced when there are many).
    fn build_choice<S: SchemaView + ?Sized>(&mut self, s: &S, members: &[PatternId]) -> PatternId {
        crate::relaxng::pattern::fold_balanced(members.to_vec(), &mut |a, b| {
            self.intern(s, Local::Choice(a, b))
        })
        .unwrap_or(NOT_ALLOWED)
    }

    fn flatten_choice<S: SchemaView + ?Sized>(
        &self,
        s: &S,
        p: PatternId,
        out: &mut Vec<PatternId>,
    ) {
        // Flatten only the choices this arena built (schema choices stay whole members:
        // they can be large, and they are already shared).
        if p >= self.frozen_len {
            if let Node::Choice(a, b) = self.node(s, p) {
                self.flatten_choice(s, a, out);
                self.flatten_choice(s, b, out);
                return;
            }
        }
        out.push(p);
    }

    /// `group(a, b)`: notAllowed absorbs, empty is the unit.
    pub(crate) fn group<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        a: PatternId,
        b: PatternId,
    ) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.intern(s, Local::Group(a, b))
    }

    /// `interleave(a, b)`: notAllowed absorbs, empty is the unit.
    pub(crate) fn interleave<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        a: PatternId,
        b: PatternId,
    ) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        if a == TEXT && b == TEXT {
            return TEXT;
        }
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.intern(s, Local::Interleave(a, b))
    }

    /// `oneOrMore(p)`.
    pub(crate) fn one_or_more<S: SchemaView + ?Sized>(&mut self, s: &S, p: PatternId) -> PatternId {
        if p == NOT_ALLOWED || p == EMPTY {
            return p;
        }
        if let Node::OneOrMore(_) = self.node(s, p) {
            return p;
        }
        self.intern(s, Local::OneOrMore(p))
    }

    /// The `i`-th mark: a pattern that stands for the `i`-th of an element's continuations
    /// while the validator keeps them on its stack, so that the states inside the element do
    /// not hold (and do not grow with) the continuations of every open element.
    pub(crate) fn mark<S: SchemaView + ?Sized>(&mut self, s: &S, i: u32) -> PatternId {
        self.intern(s, Local::Mark(i))
    }

    /// `after(a, b)`: notAllowed absorbs.
    pub(crate) fn after<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        a: PatternId,
        b: PatternId,
    ) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(s, Local::After(a, b))
    }
}
