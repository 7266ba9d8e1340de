//! Simplified RELAX NG patterns, hash-consed: equal patterns share one [`PatternId`].
//!
//! The graph is acyclic; recursion goes through [`Pattern::Element`], whose content lives in a
//! separate table indexed by [`ElementId`] (so an element's content can name the element
//! itself). Datatypes and parsed values live in tables indexed by [`DatatypeId`] and
//! [`ValueId`].

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
    /// A fixed value.
    Value(ValueId),
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
            NameClass::NsName(n, except) => n == ns && !except.as_ref().is_some_and(|e| e.contains(ns, local)),
            NameClass::Choice(a, b) => a.contains(ns, local) || b.contains(ns, local),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_class_membership() {
        let tei = "http://www.tei-c.org/ns/1.0";
        let p = NameClass::Name { ns: tei.into(), local: "p".into() };
        assert!(p.contains(tei, "p"));
        assert!(!p.contains("", "p"));
        let any_but_p = NameClass::AnyName(Some(Box::new(p.clone())));
        assert!(!any_but_p.contains(tei, "p"));
        assert!(any_but_p.contains(tei, "ab"));
        let ns = NameClass::NsName(tei.into(), None);
        assert!(ns.contains(tei, "x") && !ns.contains("", "x"));
        assert!(NameClass::Choice(Box::new(p), Box::new(ns)).contains(tei, "q"));
    }
}
