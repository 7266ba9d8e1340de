//! What a pattern expects next, in words: the element names, attributes, text or values a
//! person can act on when validation fails.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::arena::Node;
use super::deriv::Cache;
use super::SchemaView;
use crate::relaxng::pattern::{ElementId, NameClass, PatternId};

/// How many names a message lists before "and N more".
pub(crate) const MAX_NAMES: usize = 8;

/// What may come next at some point of a document.
#[derive(Debug, Default, Clone)]
pub(crate) struct Expected {
    /// Element names that may start here (display form, sorted, unique).
    pub elements: Vec<String>,
    /// Element declarations behind them (for documentation lookups).
    pub decls: Vec<ElementId>,
    /// Text is allowed.
    pub text: bool,
    /// Typed text (data or value) is expected.
    pub data: bool,
    /// The current element may end here.
    pub end: bool,
}

impl Cache {
    /// What `p` (the state inside an element) allows next. Memoised per pattern.
    pub(crate) fn expected<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
    ) -> std::rc::Rc<Expected> {
        if let Some(e) = self.expected.get(&p) {
            return e.clone();
        }
        let mut names = BTreeSet::new();
        let mut decls = Vec::new();
        let mut ex = Expected::default();
        let mut seen = std::collections::HashSet::default();
        self.collect_expected(s, p, &mut names, &mut decls, &mut ex, &mut seen);
        ex.elements = names.into_iter().collect();
        decls.sort_unstable();
        decls.dedup();
        ex.decls = decls;
        let rc = std::rc::Rc::new(ex);
        self.expected.insert(p, rc.clone());
        rc
    }

    /// [`Cache::expected`] of a state that is an element's content alone (`inside`): as if
    /// it were `After(p, …)`, so that the end of the element counts among what may come.
    pub(crate) fn expected_in<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        inside: bool,
    ) -> std::rc::Rc<Expected> {
        let p = if inside {
            self.arena.after(s, p, crate::relaxng::pattern::EMPTY)
        } else {
            p
        };
        self.expected(s, p)
    }

    fn collect_expected<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        names: &mut BTreeSet<String>,
        decls: &mut Vec<ElementId>,
        ex: &mut Expected,
        seen: &mut std::collections::HashSet<PatternId, crate::relaxng::fxhash::FxBuildHasher>,
    ) {
        if !seen.insert(p) {
            return;
        }
        match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Interleave(a, b) => {
                self.collect_expected(s, a, names, decls, ex, seen);
                self.collect_expected(s, b, names, decls, ex, seen);
            }
            Node::Group(a, b) => {
                self.collect_expected(s, a, names, decls, ex, seen);
                if self.arena.nullable(s, a) {
                    self.collect_expected(s, b, names, decls, ex, seen);
                }
            }
            Node::OneOrMore(a) => self.collect_expected(s, a, names, decls, ex, seen),
            Node::After(a, _) => {
                if self.arena.nullable(s, a) {
                    ex.end = true;
                }
                self.collect_expected(s, a, names, decls, ex, seen);
            }
            Node::Element(e) => {
                name_class_names(s.element_name(e), names);
                decls.push(e);
            }
            Node::Text => ex.text = true,
            Node::Data(..) | Node::Value(..) | Node::List(_) => ex.data = true,
            _ => {}
        }
    }

    /// The attribute names `p` (a state between start-tag open and close) still requires.
    pub(crate) fn required_attributes<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        out: &mut BTreeSet<String>,
    ) {
        if self.start_tag_close(s, p, false) != crate::relaxng::pattern::NOT_ALLOWED {
            return;
        }
        match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.required_attributes(s, a, out);
                self.required_attributes(s, b, out);
            }
            Node::OneOrMore(a) | Node::After(a, _) => self.required_attributes(s, a, out),
            Node::Attribute(nc, _) => name_class_names(nc, out),
            _ => {}
        }
    }

    /// The attribute names `p` allows (for "expected one of" in unknown-attribute messages).
    pub(crate) fn allowed_attributes<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        out: &mut BTreeSet<String>,
        seen: &mut std::collections::HashSet<PatternId, crate::relaxng::fxhash::FxBuildHasher>,
    ) {
        if !seen.insert(p) {
            return;
        }
        match self.arena.node(s, p) {
            Node::Choice(a, b) | Node::Group(a, b) | Node::Interleave(a, b) => {
                self.allowed_attributes(s, a, out, seen);
                self.allowed_attributes(s, b, out, seen);
            }
            Node::OneOrMore(a) | Node::After(a, _) => self.allowed_attributes(s, a, out, seen),
            Node::Attribute(nc, _) => name_class_names(nc, out),
            _ => {}
        }
    }

    /// Words for what a value pattern accepts: its fixed values and its datatypes.
    pub(crate) fn describe_values<S: SchemaView + ?Sized>(
        &mut self,
        s: &S,
        p: PatternId,
        values: &mut Vec<String>,
        datatypes: &mut Vec<u32>,
        other: &mut bool,
    ) {
        match self.arena.node(s, p) {
            Node::Choice(a, b) => {
                self.describe_values(s, a, values, datatypes, other);
                self.describe_values(s, b, values, datatypes, other);
            }
            Node::Value(_, v) => values.push(s.value_text(v)),
            Node::Data(dt, _) => {
                if !datatypes.contains(&dt) {
                    datatypes.push(dt)
                }
            }
            Node::Empty => {}
            _ => *other = true,
        }
    }
}

/// Display names of a name class: `local`, `*` for any name, `ns:*` for a namespace.
fn name_class_names(nc: &NameClass, out: &mut BTreeSet<String>) {
    match nc {
        NameClass::Name { ns, local } => {
            if ns == crate::relaxng::validate::XML_NS {
                out.insert(format!("xml:{local}"));
            } else {
                out.insert(local.clone());
            }
        }
        NameClass::AnyName(_) => {
            out.insert("any element".into());
        }
        NameClass::NsName(ns, _) => {
            out.insert(format!("any name in namespace `{ns}`"));
        }
        NameClass::Choice(a, b) => {
            name_class_names(a, out);
            name_class_names(b, out);
        }
    }
}

/// "`a`, `b`, `c` and 5 more" (at most [`MAX_NAMES`] names).
pub(crate) fn list_names<I: AsRef<str>>(names: &[I], conj: &str) -> String {
    let mut out = String::new();
    let shown = names.len().min(MAX_NAMES);
    for (i, n) in names.iter().take(shown).enumerate() {
        if i > 0 {
            if i + 1 == shown && shown == names.len() {
                let _ = write!(out, " {conj} ");
            } else {
                out.push_str(", ");
            }
        }
        let n = n.as_ref();
        if n.starts_with("any ") {
            out.push_str(n);
        } else {
            let _ = write!(out, "`{n}`");
        }
    }
    if names.len() > shown {
        let _ = write!(out, " and {} more", names.len() - shown);
    }
    out
}

/// "one of 12 elements, e.g. `p`, `ab`, … or the end of `div`" and the like.
pub(crate) fn describe_expected(ex: &Expected, parent: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    match ex.elements.len() {
        0 => {}
        1 => parts.push(format!("element {}", list_names(&ex.elements, "or"))),
        n if n <= MAX_NAMES => parts.push(format!("one of {}", list_names(&ex.elements, "or"))),
        n => parts.push(format!(
            "one of {n} elements, e.g. {}",
            list_names(&ex.elements, "or")
        )),
    }
    if ex.data {
        parts.push("a value".into());
    } else if ex.text {
        parts.push("text".into());
    }
    if ex.end {
        match parent {
            Some(p) => parts.push(format!("the end of `{p}`")),
            None => parts.push("the end of the element".into()),
        }
    }
    match parts.len() {
        0 => "nothing".into(),
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{}, or {last}", parts.join(", "))
        }
    }
}
