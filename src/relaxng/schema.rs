//! The public face of the compiler: [`Schema`], its loading errors and the [`Resolver`] for
//! included files.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::datatypes::IdType;
use super::grammar::Grammar;
use super::pattern::{ElementId, NameClass, Pattern, PatternId, PatternStore};
use crate::diagnostic::Diagnostic;

/// Loads the files a schema reaches through `include` and `externalRef`.
pub trait Resolver: Sync {
    /// The text of the file at `path` (already resolved against the including file's base).
    fn load(&self, path: &Path) -> std::io::Result<String>;
}

/// The default [`Resolver`]: reads files from disk (never over the network).
#[derive(Debug, Clone, Copy, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// What an attribute's value is, as declared by the schema (for the reference checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    /// Typed `xsd:anyURI` (also inside a list or choice): one or more pointers.
    Pointer,
    /// Typed `xsd:ID`.
    Id,
    /// Typed `xsd:IDREF`.
    Idref,
    /// Typed `xsd:IDREFS`.
    Idrefs,
    /// Anything else, or not declared.
    Other,
}

/// One problem with a schema: the schema file it is in and a diagnostic with line and column.
#[derive(Debug, Clone)]
pub struct SchemaDiagnostic {
    /// The schema file (the main one or an included one).
    pub file: PathBuf,
    /// The problem; `span`, `line` and `column` point into `file`.
    pub diagnostic: Diagnostic,
}

/// A schema that cannot be used: every problem found.
#[derive(Debug, Clone)]
pub struct SchemaError {
    /// The problems, in the order found (at least one).
    pub diagnostics: Vec<SchemaDiagnostic>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let diag = &d.diagnostic;
            write!(
                f,
                "{}:{}:{}: {} [{}]",
                d.file.display(),
                diag.line,
                diag.column,
                diag.message,
                diag.code.id
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// A compiled RELAX NG schema: immutable, `Send + Sync`, built once and shared (`Arc`).
#[derive(Debug)]
pub struct Schema {
    grammar: Grammar,
    /// (element ns, element local, attribute ns, attribute local) → kind, for plain names.
    attribute_kinds: HashMap<(String, String, String, String), AttributeKind>,
    /// Declarations with open name classes, checked in order when the map has no entry.
    open_attribute_kinds: Vec<(NameClass, NameClass, AttributeKind)>,
    /// (ns, local) → element with documentation.
    documented: HashMap<(String, String), ElementId>,
    /// Elements with open name classes and documentation.
    open_documented: Vec<ElementId>,
}

impl Schema {
    /// Reads and compiles the schema at `path`, with included files read from disk.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Schema, SchemaError> {
        super::compile::compile_file(path.as_ref(), &FsResolver).map(Schema::new)
    }

    /// Compiles the schema `text`, whose own location is `base_path` (relative `href`s resolve
    /// against it), loading included and `externalRef`'d files through `resolver`.
    pub fn from_str(
        text: &str,
        base_path: impl AsRef<Path>,
        resolver: &dyn Resolver,
    ) -> Result<Schema, SchemaError> {
        super::compile::compile_text(text, base_path.as_ref(), resolver).map(Schema::new)
    }

    /// Wraps a compiled grammar and computes the static tables.
    pub fn new(grammar: Grammar) -> Schema {
        let mut schema = Schema {
            grammar,
            attribute_kinds: HashMap::new(),
            open_attribute_kinds: Vec::new(),
            documented: HashMap::new(),
            open_documented: Vec::new(),
        };
        schema.index();
        schema
    }

    /// The simplified grammar.
    pub fn grammar(&self) -> &Grammar {
        &self.grammar
    }

    /// How the schema types attribute `{attr_ns}attr_local` on element `{elem_ns}elem_local`.
    /// `Other` when undeclared or not a pointer/ID type.
    pub fn attribute_kind(
        &self,
        elem_ns: &str,
        elem_local: &str,
        attr_ns: &str,
        attr_local: &str,
    ) -> AttributeKind {
        let key = (
            elem_ns.to_string(),
            elem_local.to_string(),
            attr_ns.to_string(),
            attr_local.to_string(),
        );
        if let Some(k) = self.attribute_kinds.get(&key) {
            return *k;
        }
        self.open_attribute_kinds
            .iter()
            .find(|(e, a, _)| e.contains(elem_ns, elem_local) && a.contains(attr_ns, attr_local))
            .map_or(AttributeKind::Other, |(_, _, k)| *k)
    }

    /// The `a:documentation` of the element `{ns}local`, if the schema gives one.
    pub fn element_documentation(&self, ns: &str, local: &str) -> Option<&str> {
        let id = self
            .documented
            .get(&(ns.to_string(), local.to_string()))
            .copied()
            .or_else(|| {
                self.open_documented
                    .iter()
                    .copied()
                    .find(|&e| self.grammar.elements[e as usize].name.contains(ns, local))
            })?;
        self.grammar.elements[id as usize].documentation.as_deref()
    }

    fn index(&mut self) {
        let g = &self.grammar;
        let mut kind_memo: HashMap<PatternId, AttributeKind> = HashMap::new();
        let reachable = reachable_elements(g);
        for (eid, decl) in g.elements.iter().enumerate() {
            if !reachable[eid] {
                continue;
            }
            if decl.documentation.is_some() {
                match &decl.name {
                    NameClass::Name { ns, local } => {
                        self.documented
                            .entry((ns.clone(), local.clone()))
                            .or_insert(eid as ElementId);
                    }
                    _ => self.open_documented.push(eid as ElementId),
                }
            }
            for (attr_nc, value) in attributes_of(g, decl.content) {
                let kind = *kind_memo
                    .entry(value)
                    .or_insert_with(|| value_kind(g, value));
                if kind == AttributeKind::Other {
                    continue;
                }
                match (&decl.name, &attr_nc) {
                    (
                        NameClass::Name { ns: ens, local: el },
                        NameClass::Name { ns: ans, local: al },
                    ) => {
                        self.attribute_kinds
                            .entry((ens.clone(), el.clone(), ans.clone(), al.clone()))
                            .or_insert(kind);
                    }
                    _ => self
                        .open_attribute_kinds
                        .push((decl.name.clone(), attr_nc.clone(), kind)),
                }
            }
        }
    }
}

/// Which elements the start pattern reaches.
fn reachable_elements(g: &Grammar) -> Vec<bool> {
    let mut reachable = vec![false; g.elements.len()];
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![g.start];
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
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

/// The attributes an element content pattern declares (not descending into child elements).
fn attributes_of(g: &Grammar, content: PatternId) -> Vec<(NameClass, PatternId)> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![content];
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
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
            Pattern::OneOrMore(a) => stack.push(*a),
            Pattern::Attribute(nc, v) => out.push((nc.clone(), *v)),
            _ => {}
        }
    }
    out
}

/// The kind of an attribute value pattern: the first pointer or ID datatype found in it.
fn value_kind(g: &Grammar, value: PatternId) -> AttributeKind {
    let mut stack = vec![value];
    let mut seen = std::collections::HashSet::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn schema_is_shareable() {
        assert_send_sync::<Schema>();
    }
}
