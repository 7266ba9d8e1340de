//! Static tables over a compiled grammar: which attributes are pointers (`xsd:anyURI`), IDs
//! and IDREF(S), and each element's documentation. Built once per schema, memoised per
//! pattern id so that attribute groups shared by hundreds of elements are walked once.

use super::datatypes::IdType;
use super::fxhash::{FxHashMap, FxHashSet};
use super::grammar::Grammar;
use super::pattern::{ElementId, NameClass, Pattern, PatternId, PatternStore};
use super::schema::AttributeKind;

/// Attribute kinds and element documentation, looked up without allocating.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// attribute local name → (attribute ns, attribute name id).
    attr_names: FxHashMap<String, Vec<(String, u32)>>,
    /// Number of attribute name ids given out.
    attr_count: u32,
    /// element local name → (element ns, index into `element_kinds`).
    element_names: FxHashMap<String, Vec<(String, u32)>>,
    /// Per plainly named element: (attribute name id, kind), sorted by id.
    element_kinds: Vec<Vec<(u32, AttributeKind)>>,
    /// Declarations with open name classes, checked in order when `named` has no entry.
    open: Vec<(NameClass, NameClass, AttributeKind)>,
    /// local name → (ns, element) for documented elements with a plain name.
    documented: FxHashMap<String, Vec<(String, ElementId)>>,
    /// Documented elements with open name classes.
    open_documented: Vec<ElementId>,
}

impl Tables {
    /// Builds the tables for the elements reachable from the start (`reachable`, indexed by
    /// element id, as [`reachable_elements`] computes it).
    pub fn build(g: &Grammar, reachable: &[bool]) -> Tables {
        let mut t = Tables::default();
        let mut kinds = Kinds {
            g,
            kinds: vec![None; g.patterns.len()],
            relevant: vec![Relevant::Unknown; g.patterns.len()],
        };
        // Per pattern: 1 + the last element whose walk visited it.
        let mut visited = vec![0u32; g.patterns.len()];
        let mut stack = Vec::new();
        let mut attrs = Vec::new();
        for (eid, decl) in g.elements.iter().enumerate() {
            if !reachable.get(eid).copied().unwrap_or(false) {
                continue;
            }
            if decl.documentation.is_some() {
                match &decl.name {
                    NameClass::Name { ns, local } => {
                        let v = t.documented.entry(local.clone()).or_default();
                        if !v.iter().any(|(n, _)| n == ns) {
                            v.push((ns.clone(), eid as ElementId));
                        }
                    }
                    _ => t.open_documented.push(eid as ElementId),
                }
            }
            // The attributes of the content whose kind matters, in document order, walking
            // only the patterns that hold such an attribute.
            attrs.clear();
            stack.push(decl.content);
            let stamp = eid as u32 + 1;
            while let Some(p) = stack.pop() {
                if std::mem::replace(&mut visited[p as usize], stamp) == stamp || !kinds.relevant(p)
                {
                    continue;
                }
                match g.patterns.get(p) {
                    Pattern::Attribute(..) => attrs.push(p),
                    Pattern::Choice(a, b) | Pattern::Interleave(a, b) | Pattern::Group(a, b) => {
                        stack.push(*b);
                        stack.push(*a);
                    }
                    Pattern::OneOrMore(a) => stack.push(*a),
                    _ => {}
                }
            }
            for &a in attrs.iter() {
                let Pattern::Attribute(attr_nc, value) = g.patterns.get(a) else {
                    continue;
                };
                let kind = kinds.kind(*value);
                if kind == AttributeKind::Other {
                    continue;
                }
                match (&decl.name, attr_nc) {
                    (
                        NameClass::Name { ns: ens, local: el },
                        NameClass::Name { ns: ans, local: al },
                    ) => {
                        let aid = t.attr_name_id(ans, al);
                        let eidx = t.element_index(ens, el);
                        t.element_kinds[eidx].push((aid, kind));
                    }
                    _ => t.open.push((decl.name.clone(), attr_nc.clone(), kind)),
                }
            }
        }
        for v in &mut t.element_kinds {
            // Stable: the first declaration of an attribute on an element wins.
            v.sort_by_key(|(a, _)| *a);
            v.dedup_by_key(|(a, _)| *a);
        }
        t
    }

    fn attr_name_id(&mut self, ns: &str, local: &str) -> u32 {
        // Look up before inserting: a key is allocated only for a new name.
        if let Some((_, id)) = self
            .attr_names
            .get(local)
            .and_then(|v| v.iter().find(|(n, _)| n == ns))
        {
            return *id;
        }
        let next = self.attr_count;
        let v = self.attr_names.entry(local.to_string()).or_default();
        v.push((ns.to_string(), next));
        self.attr_count += 1;
        next
    }

    fn element_index(&mut self, ns: &str, local: &str) -> usize {
        if let Some((_, i)) = self
            .element_names
            .get(local)
            .and_then(|v| v.iter().find(|(n, _)| n == ns))
        {
            return *i as usize;
        }
        let i = self.element_kinds.len();
        let v = self.element_names.entry(local.to_string()).or_default();
        v.push((ns.to_string(), i as u32));
        self.element_kinds.push(Vec::new());
        i
    }

    /// The kind of attribute `{attr_ns}attr_local` on element `{elem_ns}elem_local`.
    pub fn attribute_kind(
        &self,
        elem_ns: &str,
        elem_local: &str,
        attr_ns: &str,
        attr_local: &str,
    ) -> AttributeKind {
        let aid = self
            .attr_names
            .get(attr_local)
            .and_then(|v| v.iter().find(|(n, _)| n == attr_ns))
            .map(|(_, i)| *i);
        let eidx = self
            .element_names
            .get(elem_local)
            .and_then(|v| v.iter().find(|(n, _)| n == elem_ns))
            .map(|(_, i)| *i);
        let named = match (aid, eidx) {
            (Some(a), Some(e)) => {
                let kinds = &self.element_kinds[e as usize];
                kinds
                    .binary_search_by_key(&a, |(id, _)| *id)
                    .ok()
                    .map(|i| kinds[i].1)
            }
            _ => None,
        };
        if let Some(k) = named {
            return k;
        }
        self.open
            .iter()
            .find(|(e, a, _)| e.contains(elem_ns, elem_local) && a.contains(attr_ns, attr_local))
            .map_or(AttributeKind::Other, |(_, _, k)| *k)
    }

    /// The documented element named `{ns}local`, if any.
    pub fn documented_element(&self, g: &Grammar, ns: &str, local: &str) -> Option<ElementId> {
        let named = self
            .documented
            .get(local)
            .and_then(|v| v.iter().find(|(n, _)| n == ns))
            .map(|(_, e)| *e);
        named.or_else(|| {
            self.open_documented
                .iter()
                .copied()
                .find(|&e| g.elements[e as usize].name.contains(ns, local))
        })
    }
}

/// Which elements the start pattern reaches.
pub(crate) fn reachable_elements(g: &Grammar) -> Vec<bool> {
    let mut reachable = vec![false; g.elements.len()];
    let mut seen = vec![false; g.patterns.len()];
    let mut stack = vec![g.start];
    while let Some(p) = stack.pop() {
        if std::mem::replace(&mut seen[p as usize], true) {
            continue;
        }
        match g.patterns.get(p) {
            Pattern::Choice(a, b)
            | Pattern::Interleave(a, b)
            | Pattern::Group(a, b)
            | Pattern::After(a, b) => {
                stack.push(*b);
                stack.push(*a);
            }
            Pattern::OneOrMore(a) | Pattern::List(a) | Pattern::Attribute(_, a) => stack.push(*a),
            Pattern::Element(e) if !reachable[*e as usize] => {
                reachable[*e as usize] = true;
                stack.push(g.elements[*e as usize].content);
            }
            Pattern::Data(_, Some(x)) => stack.push(*x),
            _ => {}
        }
    }
    reachable
}

/// Whether a pattern holds an attribute whose kind is not [`AttributeKind::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relevant {
    Unknown,
    No,
    Yes,
}

/// Memoised attribute kinds (per value pattern) and relevance (per pattern).
struct Kinds<'g> {
    g: &'g Grammar,
    kinds: Vec<Option<AttributeKind>>,
    relevant: Vec<Relevant>,
}

impl Kinds<'_> {
    /// The kind of attribute value pattern `value`.
    fn kind(&mut self, value: PatternId) -> AttributeKind {
        if let Some(k) = self.kinds[value as usize] {
            return k;
        }
        let k = value_kind(self.g, value);
        self.kinds[value as usize] = Some(k);
        k
    }

    /// Whether `p` holds (not below an element) an attribute whose kind is not `Other`.
    fn relevant(&mut self, p: PatternId) -> bool {
        match self.relevant[p as usize] {
            Relevant::Yes => return true,
            Relevant::No => return false,
            Relevant::Unknown => {}
        }
        let g = self.g;
        let r = match g.patterns.get(p) {
            Pattern::Attribute(_, v) => self.kind(*v) != AttributeKind::Other,
            Pattern::Choice(a, b) | Pattern::Interleave(a, b) | Pattern::Group(a, b) => {
                let (a, b) = (*a, *b);
                // Both sides, so that each is memoised.
                let ra = self.relevant(a);
                let rb = self.relevant(b);
                ra || rb
            }
            Pattern::OneOrMore(a) => self.relevant(*a),
            _ => false,
        };
        self.relevant[p as usize] = if r { Relevant::Yes } else { Relevant::No };
        r
    }
}

/// The kind of an attribute value pattern: a pointer if any datatype in it is `xsd:anyURI`,
/// else the first ID-type found.
fn value_kind(g: &Grammar, value: PatternId) -> AttributeKind {
    let mut stack = vec![value];
    let mut seen: FxHashSet<PatternId> = FxHashSet::default();
    let mut found = AttributeKind::Other;
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        let dt = match g.patterns.get(p) {
            Pattern::Choice(a, b)
            | Pattern::Interleave(a, b)
            | Pattern::Group(a, b)
            | Pattern::After(a, b) => {
                stack.push(*b);
                stack.push(*a);
                continue;
            }
            Pattern::OneOrMore(a) | Pattern::List(a) => {
                stack.push(*a);
                continue;
            }
            Pattern::Data(dt, _) | Pattern::Value(dt, _) => &g.datatypes[*dt as usize],
            _ => continue,
        };
        if dt.is_uri() {
            return AttributeKind::Pointer;
        }
        let k = match dt.id_type() {
            IdType::Id => AttributeKind::Id,
            IdType::Idref => AttributeKind::Idref,
            IdType::Idrefs => AttributeKind::Idrefs,
            IdType::None => AttributeKind::Other,
        };
        if found == AttributeKind::Other {
            found = k;
        }
    }
    found
}
