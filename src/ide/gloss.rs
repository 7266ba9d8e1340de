//! Glosses for hover: the schema's `a:documentation` of an element, of an attribute on an
//! element, of a fixed value of an attribute. Names are given as written in a document:
//! `local`, `prefix:local` (the prefix is not resolved: any namespace), `xml:local` (the XML
//! namespace), or `{uri}local`.

use super::complete::plain_names;
use super::SchemaAssist;
use crate::relaxng::fxhash::FxHashSet;
use crate::relaxng::pattern::{Pattern, PatternId, PatternStore as _, ValueId};
use crate::relaxng::validate::XML_NS;

/// A name as given: its namespace when it says one, and its local part.
struct Wanted<'a> {
    ns: Option<&'a str>,
    local: &'a str,
}

fn wanted(name: &str) -> Wanted<'_> {
    let name = name.trim();
    if let Some(rest) = name.strip_prefix('{') {
        if let Some((ns, local)) = rest.split_once('}') {
            return Wanted {
                ns: Some(ns),
                local,
            };
        }
    }
    match name.split_once(':') {
        Some(("xml", local)) => Wanted {
            ns: Some(XML_NS),
            local,
        },
        Some((_, local)) => Wanted { ns: None, local },
        None => Wanted {
            ns: None,
            local: name,
        },
    }
}

/// An attribute name as given; without a prefix it is in no namespace.
fn wanted_attribute(name: &str) -> Wanted<'_> {
    let w = wanted(name);
    if w.ns.is_none() && !name.contains(':') {
        return Wanted {
            ns: Some(""),
            local: w.local,
        };
    }
    w
}

impl SchemaAssist {
    /// The gloss of element `name` (the first declaration of that name the start reaches
    /// that has one).
    pub fn element_gloss(&self, name: &str) -> Option<&str> {
        let w = wanted(name);
        let g = self.schema.grammar();
        for &e in self.by_local.get(w.local)? {
            let mut names = Vec::new();
            plain_names(&g.elements[e as usize].name, &mut names);
            for (ns, local) in names {
                if local == w.local && w.ns.is_none_or(|n| n == ns) {
                    if let Some(doc) = self.schema.element_documentation(ns, local) {
                        return Some(doc);
                    }
                }
            }
        }
        None
    }

    /// The gloss of attribute `attribute` on element `element`.
    pub fn attribute_gloss(&self, element: &str, attribute: &str) -> Option<&str> {
        self.attribute_patterns_of(element, attribute)
            .into_iter()
            .find_map(|p| self.attribute_doc(p))
    }

    /// The gloss of the fixed value `value` of attribute `attribute` on element `element`
    /// (for a list-typed attribute, of one of its tokens).
    pub fn value_gloss(&self, element: &str, attribute: &str, value: &str) -> Option<&str> {
        let value = value.trim();
        let g = self.schema.grammar();
        for p in self.attribute_patterns_of(element, attribute) {
            let Pattern::Attribute(_, content) = g.patterns.get(p) else {
                continue;
            };
            for v in values_of(g, *content) {
                if g.value_texts.get(v as usize).map(|t| t.trim()) == Some(value) {
                    if let Some(doc) = self.value_doc(p, v) {
                        return Some(doc);
                    }
                }
            }
        }
        None
    }

    /// The gloss of attribute pattern `p`.
    pub(super) fn attribute_doc(&self, p: PatternId) -> Option<&str> {
        self.schema.grammar().attribute_docs.get(&p)?.doc.as_deref()
    }

    /// The gloss of value `v` of attribute pattern `p` (else of that value anywhere).
    pub(super) fn value_doc(&self, p: PatternId, v: ValueId) -> Option<&str> {
        let g = self.schema.grammar();
        g.attribute_docs
            .get(&p)
            .and_then(|d| d.values.iter().find(|(id, _)| *id == v))
            .map(|(_, doc)| &**doc)
            .or_else(|| g.value_docs.get(&v).map(|d| &**d))
    }

    /// The attribute patterns named `attribute` in the declarations of `element` (their
    /// attributes, not their children's).
    fn attribute_patterns_of(&self, element: &str, attribute: &str) -> Vec<PatternId> {
        let we = wanted(element);
        let wa = wanted_attribute(attribute);
        let g = self.schema.grammar();
        let mut out = Vec::new();
        let Some(decls) = self.by_local.get(we.local) else {
            return out;
        };
        for &e in decls {
            let decl = &g.elements[e as usize];
            let mut names = Vec::new();
            plain_names(&decl.name, &mut names);
            if !names
                .iter()
                .any(|(ns, l)| *l == we.local && we.ns.is_none_or(|n| n == *ns))
            {
                continue;
            }
            let mut seen = FxHashSet::default();
            let mut todo = vec![decl.content];
            while let Some(q) = todo.pop() {
                if !seen.insert(q) {
                    continue;
                }
                match g.patterns.get(q) {
                    Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                        todo.push(*b);
                        todo.push(*a);
                    }
                    Pattern::OneOrMore(a) => todo.push(*a),
                    Pattern::Attribute(nc, _) => {
                        let mut an = Vec::new();
                        plain_names(nc, &mut an);
                        if an
                            .iter()
                            .any(|(ns, l)| *l == wa.local && wa.ns.is_none_or(|n| n == *ns))
                            && !out.contains(&q)
                        {
                            out.push(q);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

/// The fixed values of value pattern `p` (inside choices and lists), in schema order.
fn values_of(g: &crate::relaxng::Grammar, p: PatternId) -> Vec<ValueId> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    let mut todo = vec![p];
    while let Some(q) = todo.pop() {
        if !seen.insert(q) {
            continue;
        }
        match g.patterns.get(q) {
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                todo.push(*b);
                todo.push(*a);
            }
            Pattern::OneOrMore(a) | Pattern::List(a) => todo.push(*a),
            Pattern::Value(_, v) => out.push(*v),
            _ => {}
        }
    }
    out
}
