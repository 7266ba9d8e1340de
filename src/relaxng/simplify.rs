//! From the syntax tree to the interned grammar: `combine` (4.17), grammars and references
//! (4.18, 4.19: one declaration per element, recursion only through elements), datatypes and
//! values, and `notAllowed`/`empty` elimination (4.20, 4.21) through the normalising
//! constructors of [`PatternStore`].

use super::fxhash::FxHashMap;

use super::datatypes::{Datatype, Value};
use super::grammar::{AttributeDocs, ElementDecl, Grammar};
use super::parse::{Ast, Combine, Component, FileId, GrammarId, Kind, Nc, NcKind, Node, Pos};
use super::pattern::{
    fold_balanced, DatatypeId, ElementId, NameClass, Pattern, PatternArena, PatternId,
    PatternStore, ValueId, EMPTY, NOT_ALLOWED, TEXT,
};
use super::schema::SchemaDiagnostic;
use crate::diagnostic::{Code, Diagnostic};
use crate::xml::NsContext;

/// Missing definitions get a "did you mean" only while fewer errors than this were found.
const SUGGESTIONS: usize = 20;

/// A grammar's components after `combine`.
struct Combined<'a> {
    start: Option<(Combine, Vec<&'a Node>)>,
    defines: FxHashMap<&'a str, (Combine, Vec<&'a Node>)>,
}

#[derive(Clone, Copy)]
enum DefState {
    InProgress,
    Done(PatternId),
}

/// (library, type, params) of a `data` or `value`.
type DatatypeKey<'a> = (&'a str, &'a str, &'a [(String, String)]);

/// Where each pattern id first came from: a vector indexed by id (ids are dense).
#[derive(Default)]
pub(crate) struct Origins(Vec<Option<Pos>>);

impl Origins {
    /// Records `pos` for `id` unless `id` already has an origin.
    fn note(&mut self, id: PatternId, pos: &Pos) {
        let i = id as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, None);
        }
        if self.0[i].is_none() {
            self.0[i] = Some(pos.clone());
        }
    }

    /// The first origin of `id`.
    pub fn get(&self, id: PatternId) -> Option<&Pos> {
        self.0.get(id as usize).and_then(Option::as_ref)
    }
}

/// The compiler state.
pub(crate) struct Compiler<'a> {
    ast: &'a Ast,
    combined: Vec<Combined<'a>>,
    pub arena: PatternArena,
    pub elements: Vec<ElementDecl>,
    pub datatypes: Vec<Datatype>,
    dt_index: FxHashMap<DatatypeKey<'a>, Result<DatatypeId, ()>>,
    pub values: Vec<Value>,
    pub value_texts: Vec<String>,
    /// Documentation of attributes and values (see [`Grammar::attribute_docs`]).
    attribute_docs: FxHashMap<PatternId, AttributeDocs>,
    value_docs: FxHashMap<ValueId, Box<str>>,
    /// The documented values of each attribute being compiled (innermost last).
    value_sink: Vec<Vec<(ValueId, Box<str>)>>,
    value_index: FxHashMap<(DatatypeId, Value), ValueId>,
    defines: FxHashMap<(GrammarId, &'a str), DefState>,
    starts: FxHashMap<GrammarId, DefState>,
    pending: Vec<(ElementId, &'a Node, Option<GrammarId>)>,
    /// Where each pattern first came from (for section 7 messages).
    pub origins: Origins,
    pub errors: Vec<SchemaDiagnostic>,
    /// False while compiling definitions the start does not reach: those are dropped by
    /// simplification (4.19) before recursion is checked, so recursion there is no error.
    reachable_phase: bool,
    /// Patterns being compiled, one inside the other (references followed), and the most
    /// allowed (`schema_depth`): the recursion stops there with one error.
    depth: usize,
    max_depth: usize,
}

impl<'a> Compiler<'a> {
    /// Prepares the define tables (checking `combine`) of every grammar; patterns may nest
    /// `max_depth` deep once references are followed.
    pub fn new(ast: &'a Ast, max_depth: usize) -> Self {
        let mut c = Compiler {
            ast,
            combined: Vec::new(),
            arena: PatternArena::new(),
            elements: Vec::new(),
            datatypes: Vec::new(),
            dt_index: FxHashMap::default(),
            values: Vec::new(),
            value_texts: Vec::new(),
            attribute_docs: FxHashMap::default(),
            value_docs: FxHashMap::default(),
            value_sink: Vec::new(),
            value_index: FxHashMap::default(),
            defines: FxHashMap::default(),
            starts: FxHashMap::default(),
            pending: Vec::new(),
            origins: Origins::default(),
            errors: Vec::new(),
            reachable_phase: true,
            depth: 0,
            max_depth,
        };
        for g in &ast.grammars {
            let start = c.combine_components(g.content.starts.iter(), "start");
            let mut by_name: FxHashMap<&'a str, Vec<&'a Component>> = FxHashMap::default();
            for (name, comp) in &g.content.defines {
                by_name.entry(name.as_str()).or_default().push(comp);
            }
            let mut defines = FxHashMap::default();
            for (name, comps) in by_name {
                if let Some(t) = c.combine_components(comps.into_iter(), name) {
                    defines.insert(name, t);
                }
            }
            if start.is_none() && g.content.starts.is_empty() {
                c.error(
                    &super::SCHEMA_MISSING_DEFINE,
                    &g.pos,
                    "this grammar has no `start`".to_string(),
                );
            }
            c.combined.push(Combined { start, defines });
        }
        c
    }

    fn combine_components(
        &mut self,
        comps: impl Iterator<Item = &'a Component>,
        what: &str,
    ) -> Option<(Combine, Vec<&'a Node>)> {
        let mut combine: Option<Combine> = None;
        let mut plain: Option<&'a Component> = None;
        let mut bodies = Vec::new();
        let mut ok = true;
        for comp in comps {
            match comp.combine {
                None => {
                    if let Some(first) = plain {
                        let msg = format!("`{what}` is defined twice without `combine`");
                        let d = self.diag(&super::SCHEMA_COMBINE, &comp.pos, msg);
                        let d = d.with_label(first.pos.span.clone(), "first defined here");
                        self.push(comp.pos.file, d);
                        ok = false;
                    }
                    plain = Some(comp);
                }
                Some(k) => {
                    if combine.is_some_and(|c| c != k) {
                        let msg =
                            format!("`{what}` is combined both by `choice` and by `interleave`");
                        self.error(&super::SCHEMA_COMBINE, &comp.pos, msg);
                        ok = false;
                    }
                    combine = Some(k);
                }
            }
            bodies.push(&comp.body);
        }
        // After a combine error the bodies are still combined (as a choice), so that references
        // to the name do not cascade into "no definition" errors.
        let _ = ok;
        if bodies.is_empty() {
            return None;
        }
        Some((combine.unwrap_or(Combine::Choice), bodies))
    }

    fn diag(&self, code: &'static Code, pos: &Pos, message: String) -> Diagnostic {
        let f = &self.ast.files[pos.file as usize];
        let (line, col) = f.line_col(pos.span.start);
        Diagnostic::new(code, pos.span.clone(), message).at(line, col)
    }

    fn push(&mut self, file: FileId, d: Diagnostic) {
        let path = self.ast.files[file as usize].path.to_path_buf();
        self.errors.push(SchemaDiagnostic {
            file: path,
            diagnostic: d,
        });
    }

    pub fn error(&mut self, code: &'static Code, pos: &Pos, message: String) {
        let d = self.diag(code, pos, message);
        self.push(pos.file, d);
    }

    /// Compiles everything: the root pattern, then every element's content, then (for their
    /// errors only) the definitions not reachable from the start.
    pub fn run(mut self) -> (Grammar, Origins, Vec<SchemaDiagnostic>) {
        let start = match &self.ast.root {
            Some(root) => self.compile(root, None),
            None => NOT_ALLOWED,
        };
        self.drain();
        self.reachable_phase = false;
        for gid in 0..self.ast.grammars.len() as GrammarId {
            let names: Vec<&'a str> = self.combined[gid as usize]
                .defines
                .keys()
                .copied()
                .collect();
            for name in names {
                if !self.defines.contains_key(&(gid, name)) {
                    self.define(gid, name, None);
                }
            }
            if !self.starts.contains_key(&gid) {
                self.start_of(gid, None);
            }
            self.drain();
        }
        let grammar = Grammar {
            patterns: self.arena,
            elements: self.elements,
            datatypes: self.datatypes,
            values: self.values,
            value_texts: self.value_texts,
            start,
            attribute_docs: self.attribute_docs,
            value_docs: self.value_docs,
        };
        (grammar, self.origins, self.errors)
    }

    fn drain(&mut self) {
        while let Some((eid, node, g)) = self.pending.pop() {
            let content = self.compile(node, g);
            self.elements[eid as usize].content = content;
        }
    }

    fn origin(&mut self, id: PatternId, pos: &Pos) -> PatternId {
        self.origins.note(id, pos);
        id
    }

    fn start_of(&mut self, gid: GrammarId, at: Option<&Pos>) -> PatternId {
        match self.starts.get(&gid) {
            Some(DefState::Done(p)) => return *p,
            Some(DefState::InProgress) => {
                if !self.reachable_phase {
                    return NOT_ALLOWED;
                }
                let pos = at
                    .cloned()
                    .unwrap_or_else(|| self.ast.grammars[gid as usize].pos.clone());
                self.error(
                    &super::SCHEMA_RECURSION,
                    &pos,
                    "the grammar's `start` refers to itself without an element in between".into(),
                );
                return NOT_ALLOWED;
            }
            None => {}
        }
        self.starts.insert(gid, DefState::InProgress);
        let p = match self.combined[gid as usize].start.clone() {
            Some((combine, bodies)) => self.combine_bodies(combine, &bodies, Some(gid)),
            None => NOT_ALLOWED,
        };
        self.starts.insert(gid, DefState::Done(p));
        p
    }

    fn define(&mut self, gid: GrammarId, name: &'a str, at: Option<&Pos>) -> PatternId {
        match self.defines.get(&(gid, name)) {
            Some(DefState::Done(p)) => return *p,
            Some(DefState::InProgress) => {
                if let (Some(pos), true) = (at, self.reachable_phase) {
                    self.error(
                        &super::SCHEMA_RECURSION,
                        pos,
                        format!("`{name}` refers to itself without an element in between"),
                    );
                }
                return NOT_ALLOWED;
            }
            None => {}
        }
        let Some((combine, bodies)) = self.combined[gid as usize].defines.get(name).cloned() else {
            if let Some(pos) = at {
                let mut msg = format!("no definition named `{name}` in this grammar");
                // a suggestion compares the name with every definition: only for the first
                // few errors, so that a schema with thousands of both costs no more
                let best = if self.errors.len() < SUGGESTIONS {
                    self.combined[gid as usize]
                        .defines
                        .keys()
                        .map(|n| (strsim::jaro_winkler(n, name), *n))
                        .filter(|(s, _)| *s > 0.85)
                        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                } else {
                    None
                };
                if let Some(best) = best {
                    msg.push_str(&format!(" (did you mean `{}`?)", best.1));
                }
                self.error(&super::SCHEMA_MISSING_DEFINE, pos, msg);
            }
            self.defines
                .insert((gid, name), DefState::Done(NOT_ALLOWED));
            return NOT_ALLOWED;
        };
        self.defines.insert((gid, name), DefState::InProgress);
        let p = self.combine_bodies(combine, &bodies, Some(gid));
        self.defines.insert((gid, name), DefState::Done(p));
        p
    }

    fn combine_bodies(
        &mut self,
        combine: Combine,
        bodies: &[&'a Node],
        g: Option<GrammarId>,
    ) -> PatternId {
        let mut ids: Vec<PatternId> = bodies.iter().map(|b| self.compile(b, g)).collect();
        match combine {
            Combine::Choice => self.arena.choice_of(&mut ids),
            Combine::Interleave => {
                fold_balanced(ids, &mut |a, b| self.arena.interleave(a, b)).unwrap_or(NOT_ALLOWED)
            }
        }
    }

    /// Compiles one pattern in grammar `g`: at most `max_depth` deep (counting the
    /// references followed), past which it is an error (reported once) and `notAllowed`.
    fn compile(&mut self, node: &'a Node, g: Option<GrammarId>) -> PatternId {
        if self.depth >= self.max_depth {
            let reported = self
                .errors
                .iter()
                .any(|e| std::ptr::eq(e.diagnostic.code, &crate::limit::SCHEMA_DEPTH));
            if !reported {
                let msg = format!(
                    "the schema's patterns nest more than {} deep here once its references are followed; the schema is not used",
                    self.max_depth
                );
                let d = self
                    .diag(&crate::limit::SCHEMA_DEPTH, &node.pos, msg)
                    .with_help(crate::limit::raise("schema_depth"));
                self.push(node.pos.file, d);
            }
            return NOT_ALLOWED;
        }
        self.depth += 1;
        let id = self.compile_here(node, g);
        self.depth -= 1;
        id
    }

    fn compile_here(&mut self, node: &'a Node, g: Option<GrammarId>) -> PatternId {
        let id = match &node.kind {
            Kind::Empty => EMPTY,
            Kind::Text => TEXT,
            Kind::NotAllowed => NOT_ALLOWED,
            Kind::Element { name, content, doc } => {
                let eid = self.elements.len() as ElementId;
                let name = self.name_class(name);
                let file = self.ast.files[node.pos.file as usize].path.clone();
                self.elements.push(ElementDecl {
                    name,
                    content: NOT_ALLOWED,
                    documentation: doc.clone(),
                    schema_file: file,
                    schema_span: node.pos.span.clone(),
                });
                self.pending.push((eid, content, g));
                self.arena.intern(Pattern::Element(eid))
            }
            Kind::Attribute { name, content, doc } => {
                let nc = self.name_class(name);
                self.value_sink.push(Vec::new());
                let v = self.compile(content, g);
                let values = self.value_sink.pop().unwrap_or_default();
                let id = self.arena.attribute(nc, v);
                if doc.is_some() || !values.is_empty() {
                    let docs = self.attribute_docs.entry(id).or_default();
                    if docs.doc.is_none() {
                        docs.doc = doc.as_deref().map(Box::from);
                    }
                    if docs.values.is_empty() {
                        docs.values = values;
                    }
                }
                id
            }
            Kind::Group(items) => {
                let ids: Vec<PatternId> = items.iter().map(|n| self.compile(n, g)).collect();
                // Short sequences nest as a, (b, (c, ...)); long ones are balanced.
                fold_balanced(ids, &mut |a, b| self.arena.group(a, b)).unwrap_or(EMPTY)
            }
            Kind::Interleave(items) => {
                let ids: Vec<PatternId> = items.iter().map(|n| self.compile(n, g)).collect();
                fold_balanced(ids, &mut |a, b| self.arena.interleave(a, b)).unwrap_or(EMPTY)
            }
            Kind::Choice(items) => {
                let mut ids: Vec<PatternId> = items.iter().map(|n| self.compile(n, g)).collect();
                self.arena.choice_of(&mut ids)
            }
            Kind::OneOrMore(p) => {
                let p = self.compile(p, g);
                self.arena.one_or_more(p)
            }
            Kind::List(p) => {
                let p = self.compile(p, g);
                self.arena.list(p)
            }
            Kind::Data {
                lib,
                ty,
                params,
                except,
            } => match self.datatype(lib, ty, params, &node.pos) {
                Some(dt) => {
                    let ex = except
                        .as_ref()
                        .map(|e| self.compile(e, g))
                        .filter(|&e| e != NOT_ALLOWED);
                    self.arena.intern(Pattern::Data(dt, ex))
                }
                None => NOT_ALLOWED,
            },
            Kind::Value {
                lib,
                ty,
                text,
                ns,
                bindings,
                doc,
            } => {
                let Some(dt) = self.datatype(lib, ty, &[], &node.pos) else {
                    return NOT_ALLOWED;
                };
                let ctx = SchemaNs {
                    default: ns,
                    bindings,
                };
                match self.datatypes[dt as usize].value(text, &ctx) {
                    Some(v) => {
                        let next = self.values.len() as ValueId;
                        let vid = *self.value_index.entry((dt, v.clone())).or_insert(next);
                        if vid == next {
                            self.values.push(v);
                            self.value_texts.push(text.clone());
                        }
                        if let Some(doc) = doc {
                            let doc: Box<str> = doc.as_str().into();
                            if let Some(sink) = self.value_sink.last_mut() {
                                sink.push((vid, doc.clone()));
                            }
                            self.value_docs.entry(vid).or_insert(doc);
                        }
                        self.arena.intern(Pattern::Value(dt, vid))
                    }
                    None => {
                        let why = match self.datatypes[dt as usize].check(text, &ctx) {
                            Err(reason) => format!(": {reason}"),
                            Ok(()) => String::new(),
                        };
                        let msg = format!("\"{text}\" is not a valid value of type `{ty}`{why}");
                        self.error(&super::SCHEMA_DATATYPE, &node.pos, msg);
                        NOT_ALLOWED
                    }
                }
            }
            Kind::Ref(name) => match g {
                Some(gid) => self.define(gid, name, Some(&node.pos)),
                None => NOT_ALLOWED,
            },
            Kind::ParentRef(name) => match g.and_then(|gid| self.ast.grammars[gid as usize].parent)
            {
                Some(parent) => self.define(parent, name, Some(&node.pos)),
                None => {
                    self.error(
                        &super::SCHEMA_MISSING_DEFINE,
                        &node.pos,
                        format!("`parentRef` to `{name}` has no enclosing grammar"),
                    );
                    NOT_ALLOWED
                }
            },
            Kind::Grammar(gid) => self.start_of(*gid, Some(&node.pos)),
        };
        self.origin(id, &node.pos)
    }

    fn datatype(
        &mut self,
        lib: &'a str,
        ty: &'a str,
        params: &'a [(String, String)],
        pos: &Pos,
    ) -> Option<DatatypeId> {
        if let Some(r) = self.dt_index.get(&(lib, ty, params)) {
            return r.ok();
        }
        let r = match Datatype::new(lib, ty, params) {
            Ok(dt) => {
                self.datatypes.push(dt);
                Ok(self.datatypes.len() as DatatypeId - 1)
            }
            Err(e) => {
                let lib_name = if lib.is_empty() {
                    "the built-in library".to_string()
                } else {
                    format!("library {lib}")
                };
                self.error(
                    &super::SCHEMA_DATATYPE,
                    pos,
                    format!("datatype `{ty}` of {lib_name}: {e}"),
                );
                Err(())
            }
        };
        self.dt_index.insert((lib, ty, params), r);
        r.ok()
    }

    fn name_class(&mut self, nc: &Nc) -> NameClass {
        match &nc.kind {
            NcKind::Name { ns, local } => NameClass::Name {
                ns: ns.to_string(),
                local: local.clone(),
            },
            NcKind::AnyName(e) => {
                NameClass::AnyName(e.as_ref().map(|e| Box::new(self.name_class(e))))
            }
            NcKind::NsName(ns, e) => NameClass::NsName(
                ns.to_string(),
                e.as_ref().map(|e| Box::new(self.name_class(e))),
            ),
            NcKind::Choice(items) => {
                let classes: Vec<NameClass> = items.iter().map(|i| self.name_class(i)).collect();
                fold_balanced(classes, &mut |a, b| {
                    NameClass::Choice(Box::new(a), Box::new(b))
                })
                .unwrap_or(NameClass::AnyName(Some(Box::new(NameClass::AnyName(None)))))
            }
        }
    }
}

/// The namespace context of a schema `value` element.
struct SchemaNs<'s> {
    default: &'s str,
    bindings: &'s [(String, String)],
}

impl NsContext for SchemaNs<'_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix.is_empty() {
            return Some(self.default);
        }
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
    }
}
