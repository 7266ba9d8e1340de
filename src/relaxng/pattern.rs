//! Simplified RELAX NG patterns, hash-consed: equal patterns share one [`PatternId`].
//!
//! The graph is acyclic; recursion goes through [`Pattern::Element`], whose content lives in a
//! separate table indexed by [`ElementId`] (so an element's content can name the element
//! itself). Datatypes and parsed values live in tables indexed by [`DatatypeId`] and
//! [`ValueId`].

use std::hash::{Hash, Hasher};

use super::fxhash::{FxHashMap, FxHasher};

/// Index of an interned pattern.
pub type PatternId = u32;
/// Index of an element declaration (name class, content, documentation).
pub type ElementId = u32;
/// Index of a compiled datatype (with its params).
pub type DatatypeId = u32;
/// Index of a parsed `<value>` (datatype + value).
pub type ValueId = u32;

/// The id of `empty` in every store.
pub const EMPTY: PatternId = 0;
/// The id of `notAllowed` in every store.
pub const NOT_ALLOWED: PatternId = 1;
/// The id of `text` in every store.
pub const TEXT: PatternId = 2;

/// A pattern in simplified form (RELAX NG spec section 4.19), plus `After`, which only
/// validation creates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Matches nothing but the empty sequence.
    Empty,
    /// Matches nothing.
    NotAllowed,
    /// Any text.
    Text,
    /// Either.
    Choice(PatternId, PatternId),
    /// Both, interleaved.
    Interleave(PatternId, PatternId),
    /// One then the other.
    Group(PatternId, PatternId),
    /// One or more repetitions.
    OneOrMore(PatternId),
    /// A whitespace-separated list matched token by token.
    List(PatternId),
    /// An attribute: name class and value pattern.
    Attribute(NameClass, PatternId),
    /// An element (see the element table).
    Element(ElementId),
    /// A datatype with params, minus an optional except pattern.
    Data(DatatypeId, Option<PatternId>),
    /// A fixed value: the datatype that parses it, and the parsed value.
    Value(DatatypeId, ValueId),
    /// Validation only: match the first, then continue with the second after the end tag.
    After(PatternId, PatternId),
}

/// A name class in simplified form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// One name: namespace URI and local name.
    Name {
        /// Namespace URI (`""` for none).
        ns: String,
        /// Local name.
        local: String,
    },
    /// Any name, minus an optional exception.
    AnyName(Option<Box<NameClass>>),
    /// Any name in a namespace, minus an optional exception.
    NsName(String, Option<Box<NameClass>>),
    /// Either.
    Choice(Box<NameClass>, Box<NameClass>),
}

impl NameClass {
    /// Whether the name class contains the name `{ns}local`.
    pub fn contains(&self, ns: &str, local: &str) -> bool {
        match self {
            NameClass::Name { ns: n, local: l } => n == ns && l == local,
            NameClass::AnyName(except) => !except.as_ref().is_some_and(|e| e.contains(ns, local)),
            NameClass::NsName(n, except) => {
                n == ns && !except.as_ref().is_some_and(|e| e.contains(ns, local))
            }
            NameClass::Choice(a, b) => a.contains(ns, local) || b.contains(ns, local),
        }
    }
}

/// A store of hash-consed patterns with the normalising constructors shared by the schema
/// compiler and the validator. Implementors provide [`PatternStore::get`] and
/// [`PatternStore::intern`]; every other method has a default built on those two.
pub trait PatternStore {
    /// The pattern behind an id (panics on an id the store never gave out).
    fn get(&self, id: PatternId) -> &Pattern;
    /// The id of `p`, creating it if new. Equal patterns get equal ids.
    fn intern(&mut self, p: Pattern) -> PatternId;

    /// `a | b`: `notAllowed` is the unit, `a | a` is `a`, and operands are flattened, sorted and
    /// deduplicated so that any two choices over the same alternatives share one id.
    fn choice(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == NOT_ALLOWED || a == b {
            return b;
        }
        if b == NOT_ALLOWED {
            return a;
        }
        let a_is = matches!(self.get(a), Pattern::Choice(..));
        let b_is = matches!(self.get(b), Pattern::Choice(..));
        if !a_is && !b_is {
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            return self.intern(Pattern::Choice(x, y));
        }
        let mut leaves = Vec::new();
        collect_choice_leaves(self, a, &mut leaves);
        collect_choice_leaves(self, b, &mut leaves);
        self.choice_of(&mut leaves)
    }

    /// The choice of all `alternatives` (in any order, duplicates allowed); `notAllowed` when
    /// empty. Sorts once, so building a choice of n alternatives costs O(n log n).
    fn choice_of(&mut self, alternatives: &mut Vec<PatternId>) -> PatternId {
        let mut leaves = Vec::with_capacity(alternatives.len());
        for &p in alternatives.iter() {
            collect_choice_leaves(self, p, &mut leaves);
        }
        leaves.sort_unstable();
        leaves.dedup();
        leaves.retain(|&p| p != NOT_ALLOWED);
        alternatives.clear();
        // Smallest id outermost: Choice(l0, Choice(l1, ... ln)), balanced when long.
        fold_balanced(leaves, &mut |a, b| self.intern(Pattern::Choice(a, b))).unwrap_or(NOT_ALLOWED)
    }

    /// `a, b`: `notAllowed` absorbs, `empty` is the unit.
    fn group(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.intern(Pattern::Group(a, b))
    }

    /// `a & b`: `notAllowed` absorbs, `empty` is the unit; operands in canonical order.
    fn interleave(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        self.intern(Pattern::Interleave(x, y))
    }

    /// `p+`: `notAllowed+` is `notAllowed`, `empty+` is `empty`, `(p+)+` is `p+`.
    fn one_or_more(&mut self, p: PatternId) -> PatternId {
        if p == NOT_ALLOWED || p == EMPTY || matches!(self.get(p), Pattern::OneOrMore(_)) {
            return p;
        }
        self.intern(Pattern::OneOrMore(p))
    }

    /// `list { p }`: `notAllowed` absorbs.
    fn list(&mut self, p: PatternId) -> PatternId {
        if p == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pattern::List(p))
    }

    /// `attribute nc { p }`: `notAllowed` absorbs.
    fn attribute(&mut self, name: NameClass, p: PatternId) -> PatternId {
        if p == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pattern::Attribute(name, p))
    }

    /// Validation only: `a` then, after the end tag, `b`; `notAllowed` absorbs.
    fn after(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pattern::After(a, b))
    }
}

/// Combines `items` (in order) with `f` into one: a right fold, `f(a, f(b, f(c, d)))`, for up to
/// 8 items, and halves joined by `f` beyond, so that a combination of n items nests at most
/// 8 + log2(n) deep (a choice of 40,000 elements is 21 deep, not 40,000: every walk over
/// patterns recurses no deeper than the schema's own nesting). `None` when `items` is empty.
pub(crate) fn fold_balanced<T>(mut items: Vec<T>, f: &mut impl FnMut(T, T) -> T) -> Option<T> {
    const RUN: usize = 8;
    if items.len() <= RUN {
        let mut it = items.into_iter().rev();
        let last = it.next()?;
        return Some(it.fold(last, |acc, x| f(x, acc)));
    }
    let right = items.split_off(items.len() / 2);
    let l = fold_balanced(items, f)?;
    let r = fold_balanced(right, f)?;
    Some(f(l, r))
}

/// Pushes the alternatives of a (possibly nested) choice, or `p` itself if it is no choice.
/// Walks the right spine in a loop (choices nest to the right) and recurses only into left
/// operands (choices of more than 8 are balanced: the recursion is as deep as their log).
fn collect_choice_leaves<S: PatternStore + ?Sized>(
    store: &S,
    p: PatternId,
    out: &mut Vec<PatternId>,
) {
    let mut p = p;
    loop {
        match store.get(p) {
            Pattern::Choice(a, b) => {
                let (a, b) = (*a, *b);
                collect_choice_leaves(store, a, out);
                p = b;
            }
            _ => {
                out.push(p);
                return;
            }
        }
    }
}

/// The plain [`PatternStore`]: a vector of patterns and a hash index for interning, seeded
/// with [`EMPTY`], [`NOT_ALLOWED`] and [`TEXT`] at ids 0, 1 and 2. Each pattern is stored once:
/// the index maps a pattern's hash to the newest id with that hash, and `same_hash` chains to
/// older ones, so interning moves the pattern in instead of keeping a second copy as a key.
#[derive(Debug, Clone)]
pub struct PatternArena {
    patterns: Vec<Pattern>,
    index: FxHashMap<u64, PatternId>,
    /// Per id: the previous id with the same hash, or [`NO_PATTERN`].
    same_hash: Vec<PatternId>,
}

/// End of a [`PatternArena`] hash chain.
const NO_PATTERN: PatternId = PatternId::MAX;

fn hash_of(p: &Pattern) -> u64 {
    let mut h = FxHasher::default();
    p.hash(&mut h);
    h.finish()
}

impl Default for PatternArena {
    fn default() -> Self {
        Self::new()
    }
}

impl PatternArena {
    /// An arena holding only `empty`, `notAllowed` and `text`.
    pub fn new() -> Self {
        let mut arena = PatternArena {
            patterns: Vec::new(),
            index: FxHashMap::default(),
            same_hash: Vec::new(),
        };
        for p in [Pattern::Empty, Pattern::NotAllowed, Pattern::Text] {
            arena.intern(p);
        }
        arena
    }

    /// Number of patterns (ids are `0..len()`).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Never true: the three seed patterns are always there.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The id of `p` if it is already interned.
    pub fn lookup(&self, p: &Pattern) -> Option<PatternId> {
        self.find(p, hash_of(p))
    }

    fn find(&self, p: &Pattern, hash: u64) -> Option<PatternId> {
        let mut id = *self.index.get(&hash)?;
        while id != NO_PATTERN {
            if self.patterns[id as usize] == *p {
                return Some(id);
            }
            id = self.same_hash[id as usize];
        }
        None
    }

    /// All patterns, indexed by id.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }
}

impl PatternStore for PatternArena {
    fn get(&self, id: PatternId) -> &Pattern {
        &self.patterns[id as usize]
    }

    fn intern(&mut self, p: Pattern) -> PatternId {
        let hash = hash_of(&p);
        if let Some(id) = self.find(&p, hash) {
            return id;
        }
        let id = self.patterns.len() as PatternId;
        self.patterns.push(p);
        let previous = self.index.insert(hash, id).unwrap_or(NO_PATTERN);
        self.same_hash.push(previous);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_class_membership() {
        let tei = "http://www.tei-c.org/ns/1.0";
        let p = NameClass::Name {
            ns: tei.into(),
            local: "p".into(),
        };
        assert!(p.contains(tei, "p"));
        assert!(!p.contains("", "p"));
        let any_but_p = NameClass::AnyName(Some(Box::new(p.clone())));
        assert!(!any_but_p.contains(tei, "p"));
        assert!(any_but_p.contains(tei, "ab"));
        let ns = NameClass::NsName(tei.into(), None);
        assert!(ns.contains(tei, "x") && !ns.contains("", "x"));
        assert!(NameClass::Choice(Box::new(p), Box::new(ns)).contains(tei, "q"));
    }

    #[test]
    fn arena_is_seeded_and_constructors_normalise() {
        let mut s = PatternArena::new();
        assert_eq!(s.get(EMPTY), &Pattern::Empty);
        assert_eq!(s.get(NOT_ALLOWED), &Pattern::NotAllowed);
        assert_eq!(s.get(TEXT), &Pattern::Text);
        let a = s.intern(Pattern::Element(0));
        let b = s.intern(Pattern::Element(1));
        let c = s.intern(Pattern::Element(2));
        assert_eq!(s.choice(NOT_ALLOWED, a), a);
        assert_eq!(s.choice(a, a), a);
        assert_eq!(s.choice(a, b), s.choice(b, a));
        let bc = s.choice(b, c);
        let abc = s.choice(a, bc);
        let cb = s.choice(c, b);
        let cba = s.choice(cb, a);
        assert_eq!(abc, cba);
        assert_eq!(s.choice(abc, b), abc);
        assert_eq!(s.choice_of(&mut vec![c, a, b, a, NOT_ALLOWED]), abc);
        assert_eq!(s.choice_of(&mut vec![]), NOT_ALLOWED);
        assert_eq!(s.group(EMPTY, a), a);
        assert_eq!(s.group(a, NOT_ALLOWED), NOT_ALLOWED);
        assert_ne!(s.group(a, b), s.group(b, a));
        assert_eq!(s.interleave(a, b), s.interleave(b, a));
        assert_eq!(s.interleave(NOT_ALLOWED, a), NOT_ALLOWED);
        assert_eq!(s.interleave(a, EMPTY), a);
        assert_eq!(s.one_or_more(EMPTY), EMPTY);
        let ap = s.one_or_more(a);
        assert_eq!(s.one_or_more(ap), ap);
        assert_eq!(s.after(a, NOT_ALLOWED), NOT_ALLOWED);
        assert_ne!(s.after(a, b), NOT_ALLOWED);
        assert_eq!(s.lookup(&Pattern::Element(1)), Some(b));
        assert_eq!(s.lookup(&Pattern::Element(9)), None);
    }

    #[test]
    fn long_combinations_are_balanced() {
        let depth = |s: &PatternArena, p: PatternId| {
            let mut stack = vec![(p, 1usize)];
            let mut max = 0;
            while let Some((q, d)) = stack.pop() {
                max = max.max(d);
                if let Pattern::Choice(a, b) = s.get(q) {
                    stack.push((*a, d + 1));
                    stack.push((*b, d + 1));
                }
            }
            max
        };
        let mut s = PatternArena::new();
        let mut leaves: Vec<PatternId> =
            (0..40_000).map(|i| s.intern(Pattern::Element(i))).collect();
        let all = s.choice_of(&mut leaves.clone());
        assert!(depth(&s, all) <= 8 + 16, "{}", depth(&s, all));
        let mut back = Vec::new();
        collect_choice_leaves(&s, all, &mut back);
        assert_eq!(back, leaves);
        // the same alternatives in any order, and through `choice`, give the same id
        leaves.reverse();
        assert_eq!(s.choice_of(&mut leaves.clone()), all);
        let half = s.choice_of(&mut leaves[..20_000].to_vec());
        let rest = s.choice_of(&mut leaves[20_000..].to_vec());
        assert_eq!(s.choice(rest, half), all);
        let small: Vec<PatternId> = leaves[..3].to_vec();
        let three = s.choice_of(&mut small.clone());
        assert!(matches!(s.get(three), Pattern::Choice(a, _) if *a == leaves[2]));
        assert_eq!(fold_balanced(Vec::<u32>::new(), &mut |a, b| a + b), None);
        assert_eq!(
            fold_balanced((1..=100).collect(), &mut |a, b| a + b),
            Some(5050)
        );
    }

    #[test]
    fn arena_interns_distinct_patterns_whatever_their_hashes() {
        let mut s = PatternArena::new();
        let ids: Vec<PatternId> = (0..5000).map(|i| s.intern(Pattern::Element(i))).collect();
        let again: Vec<PatternId> = (0..5000).map(|i| s.intern(Pattern::Element(i))).collect();
        assert_eq!(ids, again);
        assert_eq!(s.len(), 5003);
        // Two patterns forced into one chain still get their own ids.
        let x = Pattern::Element(70_000);
        let y = Pattern::Element(70_001);
        let xid = s.intern(x.clone());
        let h = hash_of(&x);
        let yid = s.patterns.len() as PatternId;
        s.patterns.push(y.clone());
        let prev = s.index.insert(h, yid).unwrap_or(NO_PATTERN);
        s.same_hash.push(prev);
        assert_eq!(s.find(&x, h), Some(xid));
        assert_eq!(s.find(&y, h), Some(yid));
    }
}
