//! The restrictions of spec section 7, checked on the simplified grammar reachable from the
//! start: prohibited paths (7.1), string sequences (7.2), duplicate attributes and open
//! attribute name classes outside `oneOrMore` (7.3), and interleave overlap (7.4).
//!
//! Every walk is memoised per pattern id (and context), so shared sub-patterns are visited
//! once however many elements use them.

use super::fxhash::{FxHashMap, FxHashSet};
use std::rc::Rc;

use super::grammar::Grammar;
use super::pattern::{ElementId, NameClass, Pattern, PatternId, PatternStore};

/// Where a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Where {
    /// At a pattern (its first origin in the schema).
    Pattern(PatternId),
    /// At an element declaration.
    Element(ElementId),
}

/// One violation.
#[derive(Debug, Clone)]
pub(crate) struct Violation {
    pub at: Where,
    pub message: String,
}

const IN_ATTRIBUTE: u8 = 1;
const IN_LIST: u8 = 2;
const IN_EXCEPT: u8 = 4;
const IN_START: u8 = 8;
const IN_ONE_OR_MORE: u8 = 16;
const IN_ONE_OR_MORE_GROUP: u8 = 32;

/// The content types of section 7.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ContentType {
    Empty,
    Complex,
    Simple,
}

fn groupable(a: ContentType, b: ContentType) -> bool {
    a == ContentType::Empty
        || b == ContentType::Empty
        || (a == ContentType::Complex && b == ContentType::Complex)
}

/// The elements a pattern may contain, and whether it allows text (for 7.4).
type ElementsAndText = Rc<(Vec<ElementId>, bool)>;

/// Memo tables are vectors indexed by pattern id (ids are dense), so no hashing.
struct Checker<'g> {
    g: &'g Grammar,
    out: Vec<Violation>,
    reported: FxHashSet<(Where, &'static str)>,
    /// Per pattern: `None` not computed yet, `Some(None)` no content type.
    content_types: Vec<Option<Option<ContentType>>>,
    attrs: Vec<Option<Rc<Vec<PatternId>>>>,
    elems: Vec<Option<ElementsAndText>>,
    /// Per attribute pattern with a plain name: a small id shared by equal names (`u32::MAX`:
    /// not computed yet or not a plain name), so duplicate checks compare integers.
    attr_name_ids: Vec<u32>,
    name_ids: FxHashMap<(&'g str, &'g str), u32>,
    /// Patterns the 7.4 walk has visited.
    interleave_seen: Vec<bool>,
    /// Shared empty results (most patterns have no attributes, or no elements).
    no_attributes: Rc<Vec<PatternId>>,
    no_elements: ElementsAndText,
}

/// Checks the grammar; returns the reachable elements and every violation found.
pub(crate) fn check(g: &Grammar) -> (Vec<bool>, Vec<Violation>) {
    let n = g.patterns.len();
    let mut c = Checker {
        g,
        out: Vec::new(),
        reported: FxHashSet::default(),
        content_types: vec![None; n],
        attrs: vec![None; n],
        elems: vec![None; n],
        attr_name_ids: vec![u32::MAX; n],
        name_ids: FxHashMap::default(),
        interleave_seen: vec![false; n],
        no_attributes: Rc::new(Vec::new()),
        no_elements: Rc::new((Vec::new(), false)),
    };
    let reachable = c.paths();
    for (eid, r) in reachable.iter().enumerate() {
        if !*r {
            continue;
        }
        let content = g.elements[eid].content;
        if c.content_type(content).is_none() {
            c.report(
                Where::Element(eid as ElementId),
                "7.2",
                format!(
                    "the content of element {} mixes data or a list with other content (or repeats data), which no document can match unambiguously (section 7.2)",
                    describe(&g.elements[eid].name)
                ),
            );
        }
        c.attributes(content);
        c.interleaves(content);
    }
    (reachable, c.out)
}

/// A short readable name-class description.
pub(crate) fn describe(nc: &NameClass) -> String {
    match nc {
        NameClass::Name { local, .. } => format!("`{local}`"),
        NameClass::AnyName(_) => "any name".into(),
        NameClass::NsName(ns, _) => format!("any name in {ns}"),
        NameClass::Choice(a, b) => format!("{} or {}", describe(a), describe(b)),
    }
}

fn is_infinite(nc: &NameClass) -> bool {
    match nc {
        NameClass::Name { .. } => false,
        NameClass::AnyName(_) | NameClass::NsName(..) => true,
        NameClass::Choice(a, b) => is_infinite(a) || is_infinite(b),
    }
}

const ILLEGAL: &str = "\u{0}";

fn representatives<'n>(nc: &'n NameClass, out: &mut Vec<(&'n str, &'n str)>) {
    match nc {
        NameClass::Name { ns, local } => out.push((ns, local)),
        NameClass::AnyName(e) => {
            out.push((ILLEGAL, ILLEGAL));
            if let Some(e) = e {
                representatives(e, out);
            }
        }
        NameClass::NsName(ns, e) => {
            out.push((ns, ILLEGAL));
            if let Some(e) = e {
                representatives(e, out);
            }
        }
        NameClass::Choice(a, b) => {
            representatives(a, out);
            representatives(b, out);
        }
    }
}

/// Whether two name classes share a name.
pub(crate) fn overlap(a: &NameClass, b: &NameClass) -> bool {
    if let (NameClass::Name { ns: n1, local: l1 }, NameClass::Name { ns: n2, local: l2 }) = (a, b) {
        return n1 == n2 && l1 == l2;
    }
    let mut reps = Vec::new();
    representatives(a, &mut reps);
    representatives(b, &mut reps);
    reps.iter()
        .any(|(ns, l)| a.contains(ns, l) && b.contains(ns, l))
}

impl Checker<'_> {
    fn report(&mut self, at: Where, rule: &'static str, message: String) {
        if self.reported.insert((at, rule)) {
            self.out.push(Violation { at, message });
        }
    }

    /// 7.1 (and the open-name-class half of 7.3): walks from the start; returns reachability.
    fn paths(&mut self) -> Vec<bool> {
        let g = self.g;
        let mut reachable = vec![false; g.elements.len()];
        // Per pattern, a bit per context seen (contexts are 6-bit flag sets).
        let mut seen: Vec<u64> = vec![0; g.patterns.len()];
        let mut stack: Vec<(PatternId, u8)> = vec![(g.start, IN_START)];
        while let Some((p, ctx)) = stack.pop() {
            let bit = 1u64 << (ctx & 63);
            if seen[p as usize] & bit != 0 {
                continue;
            }
            seen[p as usize] |= bit;
            let at = Where::Pattern(p);
            let forbid = |s: &mut Self, mask: u8, what: &str| {
                let places = [
                    (IN_ATTRIBUTE, "an attribute"),
                    (IN_LIST, "a list"),
                    (IN_EXCEPT, "the except of a data pattern"),
                    (IN_START, "the start pattern"),
                    (
                        IN_ONE_OR_MORE_GROUP,
                        "a group or interleave inside oneOrMore",
                    ),
                ];
                for (flag, place) in places {
                    if ctx & mask & flag != 0 {
                        s.report(
                            at,
                            "7.1",
                            format!("{what} is not allowed inside {place} (section 7.1)"),
                        );
                        return;
                    }
                }
            };
            match g.patterns.get(p) {
                Pattern::Empty => forbid(self, IN_EXCEPT | IN_START, "`empty`"),
                Pattern::NotAllowed | Pattern::After(..) => {}
                Pattern::Text => forbid(self, IN_LIST | IN_EXCEPT | IN_START, "`text`"),
                Pattern::Choice(a, b) => {
                    stack.push((*b, ctx));
                    stack.push((*a, ctx));
                }
                Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                    let is_group = matches!(g.patterns.get(p), Pattern::Group(..));
                    let mask = if is_group {
                        IN_EXCEPT | IN_START
                    } else {
                        IN_LIST | IN_EXCEPT | IN_START
                    };
                    forbid(
                        self,
                        mask,
                        if is_group { "a group" } else { "`interleave`" },
                    );
                    let inner = if ctx & IN_ONE_OR_MORE != 0 {
                        ctx | IN_ONE_OR_MORE_GROUP
                    } else {
                        ctx
                    };
                    stack.push((*b, inner));
                    stack.push((*a, inner));
                }
                Pattern::OneOrMore(a) => {
                    forbid(self, IN_EXCEPT | IN_START, "`oneOrMore`");
                    stack.push((*a, ctx | IN_ONE_OR_MORE));
                }
                Pattern::List(a) => {
                    forbid(self, IN_LIST | IN_EXCEPT | IN_START, "`list`");
                    stack.push((*a, ctx | IN_LIST));
                }
                Pattern::Attribute(nc, v) => {
                    forbid(
                        self,
                        IN_ATTRIBUTE | IN_LIST | IN_EXCEPT | IN_START | IN_ONE_OR_MORE_GROUP,
                        "an attribute",
                    );
                    if is_infinite(nc) && ctx & IN_ONE_OR_MORE == 0 {
                        self.report(
                            at,
                            "7.3",
                            format!("attribute with {} must be inside `oneOrMore` or `zeroOrMore` (section 7.3)", describe(nc)),
                        );
                    }
                    stack.push((*v, ctx | IN_ATTRIBUTE));
                }
                Pattern::Element(e) => {
                    forbid(self, IN_ATTRIBUTE | IN_LIST | IN_EXCEPT, "an element");
                    let e = *e as usize;
                    if !reachable[e] {
                        reachable[e] = true;
                        stack.push((g.elements[e].content, 0));
                    }
                }
                Pattern::Data(_, except) => {
                    forbid(self, IN_START, "`data`");
                    if let Some(x) = except {
                        stack.push((*x, ctx | IN_EXCEPT));
                    }
                }
                Pattern::Value(..) => forbid(self, IN_START, "`value`"),
            }
        }
        reachable
    }

    /// 7.2: the content type, `None` when there is none.
    fn content_type(&mut self, p: PatternId) -> Option<ContentType> {
        if let Some(ct) = self.content_types[p as usize] {
            return ct;
        }
        let ct = match self.g.patterns.get(p) {
            Pattern::Empty | Pattern::NotAllowed | Pattern::After(..) => Some(ContentType::Empty),
            Pattern::Text | Pattern::Element(_) => Some(ContentType::Complex),
            Pattern::Value(..) | Pattern::List(_) => Some(ContentType::Simple),
            Pattern::Data(_, except) => match except {
                Some(x) => self.content_type(*x).map(|_| ContentType::Simple),
                None => Some(ContentType::Simple),
            },
            Pattern::Attribute(_, v) => self.content_type(*v).map(|_| ContentType::Empty),
            Pattern::Choice(a, b) => {
                let (a, b) = (*a, *b);
                match (self.content_type(a), self.content_type(b)) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    _ => None,
                }
            }
            Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let (a, b) = (*a, *b);
                match (self.content_type(a), self.content_type(b)) {
                    (Some(x), Some(y)) if groupable(x, y) => Some(x.max(y)),
                    _ => None,
                }
            }
            Pattern::OneOrMore(a) => match self.content_type(*a) {
                Some(x) if groupable(x, x) => Some(x),
                _ => None,
            },
        };
        self.content_types[p as usize] = Some(ct);
        ct
    }

    /// 7.3 duplicate attributes: the attribute patterns of `p`, checking groups and interleaves.
    fn attributes(&mut self, p: PatternId) -> Rc<Vec<PatternId>> {
        if let Some(a) = &self.attrs[p as usize] {
            return a.clone();
        }
        let g = self.g;
        let result = match g.patterns.get(p) {
            Pattern::Attribute(..) => Rc::new(vec![p]),
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let (a, b) = (*a, *b);
                let left = self.attributes(a);
                let right = self.attributes(b);
                if !matches!(g.patterns.get(p), Pattern::Choice(..)) {
                    'outer: for &x in left.iter() {
                        for &y in right.iter() {
                            let (Pattern::Attribute(n1, _), Pattern::Attribute(n2, _)) =
                                (g.patterns.get(x), g.patterns.get(y))
                            else {
                                continue;
                            };
                            let (i1, i2) = (self.attr_name_id(x), self.attr_name_id(y));
                            let clash = if i1 != u32::MAX && i2 != u32::MAX {
                                i1 == i2
                            } else {
                                overlap(n1, n2)
                            };
                            if clash {
                                self.report(
                                    Where::Pattern(y),
                                    "7.3",
                                    format!("attribute {} may occur twice on the same element (section 7.3)", describe(n2)),
                                );
                                break 'outer;
                            }
                        }
                    }
                }
                if left.is_empty() {
                    right
                } else if right.is_empty() {
                    left
                } else {
                    let mut v = Vec::with_capacity(left.len() + right.len());
                    v.extend_from_slice(&left);
                    v.extend_from_slice(&right);
                    Rc::new(v)
                }
            }
            Pattern::OneOrMore(a) => self.attributes(*a),
            _ => self.no_attributes.clone(),
        };
        self.attrs[p as usize] = Some(result.clone());
        result
    }

    /// The name id of attribute pattern `p` when its name class is one plain name, else
    /// `u32::MAX` (memoised).
    fn attr_name_id(&mut self, p: PatternId) -> u32 {
        let known = self.attr_name_ids[p as usize];
        if known != u32::MAX {
            return known;
        }
        let g = self.g;
        let Pattern::Attribute(NameClass::Name { ns, local }, _) = g.patterns.get(p) else {
            return u32::MAX;
        };
        let next = self.name_ids.len() as u32;
        let id = *self
            .name_ids
            .entry((ns.as_str(), local.as_str()))
            .or_insert(next);
        self.attr_name_ids[p as usize] = id;
        id
    }

    /// 7.4: finds the `interleave`s in `p` (not below elements or attributes' values) and
    /// checks each; element lists are built only for the operands of an `interleave`.
    fn interleaves(&mut self, p: PatternId) {
        let g = self.g;
        let mut stack = vec![p];
        while let Some(p) = stack.pop() {
            if std::mem::replace(&mut self.interleave_seen[p as usize], true) {
                continue;
            }
            match g.patterns.get(p) {
                Pattern::Interleave(a, b) => {
                    let (a, b) = (*a, *b);
                    self.check_interleave(p, a, b);
                    stack.push(b);
                    stack.push(a);
                }
                Pattern::Choice(a, b) | Pattern::Group(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Pattern::OneOrMore(a) => stack.push(*a),
                _ => {}
            }
        }
    }

    /// 7.4 for `interleave` `p` of `a` and `b`.
    fn check_interleave(&mut self, p: PatternId, a: PatternId, b: PatternId) {
        let g = self.g;
        let left = self.elements_of(a);
        let right = self.elements_of(b);
        if left.1 && right.1 {
            self.report(
                Where::Pattern(p),
                "7.4",
                "`text` occurs on both sides of an `interleave` (section 7.4)".into(),
            );
        }
        for &x in left.0.iter() {
            for &y in right.0.iter() {
                let (n1, n2) = (&g.elements[x as usize].name, &g.elements[y as usize].name);
                if overlap(n1, n2) {
                    self.report(
                        Where::Pattern(p),
                        "7.4",
                        format!(
                            "element {} occurs on both sides of an `interleave` (section 7.4)",
                            describe(n2)
                        ),
                    );
                    return;
                }
            }
        }
    }

    /// The elements and whether text occurs in `p` (memoised).
    fn elements_of(&mut self, p: PatternId) -> ElementsAndText {
        if let Some(e) = &self.elems[p as usize] {
            return e.clone();
        }
        let g = self.g;
        let result = match g.patterns.get(p) {
            Pattern::Element(e) => Rc::new((vec![*e], false)),
            Pattern::Text => Rc::new((Vec::new(), true)),
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let (a, b) = (*a, *b);
                let left = self.elements_of(a);
                let right = self.elements_of(b);
                if left.0.is_empty() && !left.1 {
                    right
                } else if right.0.is_empty() && !right.1 {
                    left
                } else {
                    let mut v = Vec::with_capacity(left.0.len() + right.0.len());
                    v.extend_from_slice(&left.0);
                    v.extend_from_slice(&right.0);
                    Rc::new((v, left.1 || right.1))
                }
            }
            Pattern::OneOrMore(a) => self.elements_of(*a),
            _ => self.no_elements.clone(),
        };
        self.elems[p as usize] = Some(result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_class_overlap() {
        let n = |ns: &str, l: &str| NameClass::Name {
            ns: ns.into(),
            local: l.into(),
        };
        assert!(overlap(&n("", "a"), &n("", "a")));
        assert!(!overlap(&n("", "a"), &n("", "b")));
        assert!(overlap(&NameClass::AnyName(None), &n("x", "b")));
        let any_but_b = NameClass::AnyName(Some(Box::new(n("x", "b"))));
        assert!(!overlap(&any_but_b, &n("x", "b")));
        assert!(overlap(&any_but_b, &NameClass::NsName("x".into(), None)));
        assert!(!overlap(
            &NameClass::NsName("x".into(), None),
            &NameClass::NsName("y".into(), None)
        ));
    }
}
