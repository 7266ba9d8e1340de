//! Running a [`Plan`] on one document: the tree (xot, with source positions), the variables,
//! rule firing (for each node and pattern, the first rule whose context matches fires), the
//! tests, and the text of what fired.
//!
//! xee's compiled queries are not `Send`: each thread compiles the slots it needs on first use
//! and keeps them for the schema's life ([`Queries`]).

use super::context::{Axis, Context, Predicate, Test};
use super::model::Kind;
use super::plan::{MPart, Plan, Value};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use xee_xpath::context::Variables;
use xee_xpath::query::SequenceQuery;
use xee_xpath::{Documents, Item, Query, Sequence};
use xot::xmlname::NameStrInfo;
use xot::{Node, ValueType, Xot};

/// What fired.
#[derive(Debug, Clone)]
pub struct Fired {
    /// Index in [`Plan::patterns`].
    pub pattern: usize,
    /// Index of the rule in the pattern.
    pub rule: usize,
    /// Index of the check in the rule.
    pub check: usize,
    /// The byte range of the node the finding is about (its start tag, attribute or text).
    pub span: std::ops::Range<usize>,
    /// Its location as SVRL gives it (`/Q{ns}TEI[1]/Q{ns}text[1]/@Q{}n`).
    pub location: String,
    /// The text, `value-of` and `name` filled in, white space normalised.
    pub message: String,
    /// Diagnostics referred to: (id, text).
    pub diagnostics: Vec<(String, String)>,
}

/// Why the rules could not run on a document.
#[derive(Debug, Clone)]
pub enum RunError {
    /// The document could not be read as a tree.
    Tree(String),
    /// An expression failed at run time (a dynamic error): which slot, and the error.
    Dynamic(usize, String),
}

/// Per-thread compiled queries, by schema.
type Queries = HashMap<u64, Vec<Option<Rc<SequenceQuery>>>>;

thread_local! {
    static QUERIES: RefCell<Queries> = RefCell::new(HashMap::new());
}

/// Compiles `slot` of `plan` (on its first use in a thread; [`super::static_check`] checks
/// them all when a schema loads).
pub fn compile_slot(plan: &Plan, slot: usize) -> Result<SequenceQuery, String> {
    let s = &plan.slots[slot];
    compile_source(plan, &s.vars, &s.source)
}

/// Compiles `source` in the static context of `plan` with the variables `vars`.
pub fn compile_source(
    plan: &Plan,
    vars: &[xot::xmlname::OwnedName],
    source: &str,
) -> Result<SequenceQuery, String> {
    let b = super::xpath::static_context(&plan.namespaces, vars.iter().cloned());
    let queries = xee_xpath::Queries::new(b);
    queries.sequence(source).map_err(|e| format!("{e}"))
}

fn query(plan: &Plan, uid: u64, slot: usize) -> Result<Rc<SequenceQuery>, RunError> {
    QUERIES.with(|q| {
        let mut q = q.borrow_mut();
        let v = q.entry(uid).or_insert_with(|| vec![None; plan.slots.len()]);
        if let Some(c) = &v[slot] {
            return Ok(Rc::clone(c));
        }
        let c = Rc::new(compile_slot(plan, slot).map_err(|e| RunError::Dynamic(slot, e))?);
        v[slot] = Some(Rc::clone(&c));
        Ok(c)
    })
}

/// The tree of a document, with where each element starts in the text.
struct Tree {
    docs: Documents,
    root: Node,
    spans: xot::SpanInfo,
}

fn tree(text: &str) -> Result<Tree, RunError> {
    let mut docs = Documents::new();
    let (root, spans) = docs
        .xot_mut()
        .parse_with_span_info(text)
        .map_err(|e| RunError::Tree(e.to_string()))?;
    docs.documents()
        .borrow_mut()
        .add_root(None, root)
        .map_err(|e| RunError::Tree(e.to_string()))?;
    Ok(Tree { docs, root, spans })
}

/// Rules indexed by what their contexts' last steps accept. An element rule whose last step
/// is any element (`tei:*[@when]`) and needs an attribute (a `[@when]` predicate, or a native
/// one that is false without it) is a candidate only on elements with that attribute.
pub(super) struct Index {
    /// Element rules by the (namespace, local name) their last step selects.
    pub by_name: HashMap<(String, String), Vec<(usize, usize)>>,
    /// Rules whose last step may select any element.
    pub elements: Vec<(usize, usize)>,
    /// Element rules of any name that need an attribute, by its name.
    pub elements_by_attribute: HashMap<(String, String), Vec<(usize, usize)>>,
    /// Attribute rules by the attribute's name.
    pub attributes_by_name: HashMap<(String, String), Vec<(usize, usize)>>,
    /// Rules whose last step may select any attribute.
    pub attributes: Vec<(usize, usize)>,
    /// Rules for other nodes (the document, text…) and whole-document contexts.
    pub others: Vec<(usize, usize)>,
}

impl Index {
    fn new(plan: &Plan) -> Index {
        let mut ix = Index {
            by_name: HashMap::new(),
            elements: Vec::new(),
            elements_by_attribute: HashMap::new(),
            attributes_by_name: HashMap::new(),
            attributes: Vec::new(),
            others: Vec::new(),
        };
        for (p, pp) in plan.patterns.iter().enumerate() {
            for (r, rp) in pp.rules.iter().enumerate() {
                for (t, attr_step, needs) in rp.context.last_steps() {
                    let key = (p, r);
                    match (t, attr_step) {
                        (Test::Name(ns, l), false) => ix
                            .by_name
                            .entry((ns.clone(), l.clone()))
                            .or_default()
                            .push(key),
                        (Test::Name(ns, l), true) => ix
                            .attributes_by_name
                            .entry((ns.clone(), l.clone()))
                            .or_default()
                            .push(key),
                        (Test::Namespace(_) | Test::Local(_) | Test::AnyName, false) => match needs
                        {
                            Some(a) => ix.elements_by_attribute.entry(a).or_default().push(key),
                            None => ix.elements.push(key),
                        },
                        (Test::Namespace(_) | Test::Local(_) | Test::AnyName, true) => {
                            ix.attributes.push(key)
                        }
                        (Test::Node, _) => {
                            ix.elements.push(key);
                            ix.attributes.push(key);
                            ix.others.push(key);
                        }
                        _ => ix.others.push(key),
                    }
                }
            }
        }
        for v in ix
            .by_name
            .values_mut()
            .chain(ix.attributes_by_name.values_mut())
            .chain(ix.elements_by_attribute.values_mut())
        {
            v.sort_unstable();
            v.dedup();
        }
        for v in [&mut ix.elements, &mut ix.attributes, &mut ix.others] {
            v.sort_unstable();
            v.dedup();
        }
        ix
    }
}

thread_local! {
    static INDEXES: RefCell<HashMap<u64, Rc<Index>>> = RefCell::new(HashMap::new());
}

/// The index of a schema's rules, made once per thread.
pub(super) fn index(plan: &Plan, uid: u64) -> Rc<Index> {
    INDEXES.with(|m| {
        Rc::clone(
            m.borrow_mut()
                .entry(uid)
                .or_insert_with(|| Rc::new(Index::new(plan))),
        )
    })
}

/// The candidates of a document's names, looked up once per name (xot's name ids are the
/// document's own).
#[derive(Default)]
struct Memo {
    elements: HashMap<xot::NameId, Vec<(usize, usize)>>,
    by_attribute: HashMap<xot::NameId, Vec<(usize, usize)>>,
    attributes: HashMap<xot::NameId, Vec<(usize, usize)>>,
}

impl Memo {
    fn key(xot: &Xot, id: xot::NameId) -> (String, String) {
        let (l, ns) = xot.name_ns_str(id);
        (ns.to_string(), l.to_string())
    }

    /// The rules that may match node `n` (in rule order).
    fn candidates(&mut self, ix: &Index, xot: &Xot, n: Node, out: &mut Vec<(usize, usize)>) {
        match xot.value_type(n) {
            ValueType::Element => {
                if let Some(id) = xot.node_name(n) {
                    out.extend_from_slice(self.elements.entry(id).or_insert_with(|| {
                        let mut v = ix
                            .by_name
                            .get(&Self::key(xot, id))
                            .cloned()
                            .unwrap_or_default();
                        v.extend_from_slice(&ix.elements);
                        v
                    }));
                }
                if !ix.elements_by_attribute.is_empty() {
                    for (id, _) in xot.attributes(n).iter() {
                        out.extend_from_slice(self.by_attribute.entry(id).or_insert_with(|| {
                            ix.elements_by_attribute
                                .get(&Self::key(xot, id))
                                .cloned()
                                .unwrap_or_default()
                        }));
                    }
                }
            }
            ValueType::Attribute => {
                if let Some(id) = xot.node_name(n) {
                    out.extend_from_slice(self.attributes.entry(id).or_insert_with(|| {
                        let mut v = ix
                            .attributes_by_name
                            .get(&Self::key(xot, id))
                            .cloned()
                            .unwrap_or_default();
                        v.extend_from_slice(&ix.attributes);
                        v
                    }));
                }
            }
            _ => out.extend_from_slice(&ix.others),
        }
    }
}

/// Limits and progress of a run.
pub struct Watch<'a> {
    /// Called before each XPath evaluation with the rule it is for (pattern, rule; `usize::MAX`
    /// for the schema's variables and whole-document contexts): `false` stops the run there
    /// (what fired so far is returned).
    pub on_rule: &'a mut dyn FnMut(usize, usize) -> bool,
}

/// Runs `plan` on `text` in xot and xee (for the documents the screen, run first by
/// [`super::limits`], did not decide).
pub fn run(plan: &Plan, uid: u64, text: &str, watch: &mut Watch) -> Result<Vec<Fired>, RunError> {
    let mut t = tree(text)?;
    let ix = index(plan, uid);
    let mut ev = Eval {
        plan,
        uid,
        vars: Variables::default(),
        whole: HashMap::new(),
        rule: std::cell::Cell::new((usize::MAX, usize::MAX)),
        stopped: std::cell::Cell::new(false),
        watch: RefCell::new(watch),
    };
    // globals, with the document node as context
    for (name, v) in &plan.globals {
        let seq = match v {
            Value::Text(s) => Sequence::from(vec![Item::from(xee_xpath::Atomic::from(s.clone()))]),
            Value::Expr(slot) => ev.eval(&mut t.docs, *slot, t.root, &ev.vars.clone())?,
        };
        ev.vars.insert(name.clone(), seq);
    }
    // contexts evaluated as whole expressions
    for pp in &plan.patterns {
        for rp in &pp.rules {
            let mut wholes = Vec::new();
            collect_wholes(&rp.context, &mut wholes);
            for s in wholes {
                if !ev.whole.contains_key(&s) {
                    let seq = ev.eval(&mut t.docs, s, t.root, &ev.vars.clone())?;
                    let set: HashSet<Node> = seq
                        .iter()
                        .filter_map(|i| match i {
                            Item::Node(n) => Some(n),
                            _ => None,
                        })
                        .collect();
                    ev.whole.insert(s, set);
                }
            }
        }
    }
    let mut fired = Vec::new();
    let mut order = Vec::new();
    preorder(t.docs.xot(), t.root, &mut order);
    let mut cands: Vec<(usize, usize)> = Vec::new();
    let mut memo = Memo::default();
    for n in order {
        cands.clear();
        memo.candidates(&ix, t.docs.xot(), n, &mut cands);
        if cands.is_empty() {
            continue;
        }
        cands.sort_unstable();
        cands.dedup();
        let mut done_pattern = usize::MAX;
        for &(p, r) in cands.iter() {
            if p == done_pattern {
                continue;
            }
            let rp = &plan.patterns[p].rules[r];
            ev.rule.set((p, r));
            match ev.matches(&mut t.docs, &rp.context, n) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) if ev.stopped.get() => return Ok(fired),
                Err(e) => return Err(e),
            }
            done_pattern = p;
            match ev.fire(&mut t, p, r, n, &mut fired) {
                Ok(()) => {}
                Err(_) if ev.stopped.get() => return Ok(fired),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(fired)
}

fn collect_wholes(c: &Context, out: &mut Vec<usize>) {
    match c {
        Context::Whole(s) => out.push(*s),
        Context::Union(v) => v.iter().for_each(|c| collect_wholes(c, out)),
        Context::Path { .. } => {}
    }
}

fn preorder(xot: &Xot, n: Node, out: &mut Vec<Node>) {
    out.push(n);
    if xot.is_element(n) {
        out.extend(xot.attribute_nodes(n));
    }
    for c in xot.children(n) {
        preorder(xot, c, out);
    }
}

struct Eval<'p, 'w, 'a> {
    plan: &'p Plan,
    uid: u64,
    vars: Variables,
    whole: HashMap<usize, HashSet<Node>>,
    /// The rule whose context or checks are evaluated.
    rule: std::cell::Cell<(usize, usize)>,
    /// Whether the watch stopped the run.
    stopped: std::cell::Cell<bool>,
    watch: RefCell<&'w mut Watch<'a>>,
}

impl Eval<'_, '_, '_> {
    fn eval(
        &self,
        docs: &mut Documents,
        slot: usize,
        node: Node,
        vars: &Variables,
    ) -> Result<Sequence, RunError> {
        let (p, r) = self.rule.get();
        if !(self.watch.borrow_mut().on_rule)(p, r) {
            self.stopped.set(true);
            return Err(RunError::Tree("stopped".into()));
        }
        let q = query(self.plan, self.uid, slot)?;
        let mut vars = vars.clone();
        // xee wants a value for every variable the expression was compiled with: a global
        // read before it is defined has none (empty), `current()` at the top is the context
        for v in &self.plan.slots[slot].vars {
            if !vars.contains_key(v) {
                let value = if *v == super::xpath::current_name() {
                    Sequence::from(vec![Item::Node(node)])
                } else {
                    Sequence::from(Vec::<Item>::new())
                };
                vars.insert(v.clone(), value);
            }
        }
        q.execute_build_context(docs, |b| {
            b.context_item(Item::Node(node));
            b.variables(vars);
        })
        .map_err(|e| RunError::Dynamic(slot, e.to_string()))
    }

    fn matches(&self, docs: &mut Documents, c: &Context, n: Node) -> Result<bool, RunError> {
        match c {
            Context::Whole(s) => Ok(self.whole.get(s).is_some_and(|set| set.contains(&n))),
            Context::Union(v) => {
                for c in v {
                    if self.matches(docs, c, n)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Context::Path { absolute, steps } => {
                if steps.is_empty() {
                    return Ok(*absolute && docs.xot().value_type(n) == ValueType::Document);
                }
                // the steps' names and axes first: a predicate (an XPath run) is evaluated
                // only on a node whose path could match (`/*[count(//x) gt 1]` runs once)
                let last = steps.len() - 1;
                Ok(self.path(docs, steps, *absolute, last, n, false)?
                    && self.path(docs, steps, *absolute, last, n, true)?)
            }
        }
    }

    /// Whether `steps[..=i]` matches `n` (its last step selecting `n`).
    /// `predicates`: whether the steps' predicates are evaluated (else only names and axes).
    fn path(
        &self,
        docs: &mut Documents,
        steps: &[super::context::Step],
        absolute: bool,
        i: usize,
        n: Node,
        predicates: bool,
    ) -> Result<bool, RunError> {
        let s = &steps[i];
        let accepted = if predicates {
            self.step_accepts(docs, s, n)?
        } else {
            kind_ok(docs.xot(), s, n) && test_ok(docs.xot(), &s.test, s.axis, n)
        };
        if !accepted {
            return Ok(false);
        }
        let xot = docs.xot();
        let parent = xot.parent(n);
        // the nodes the step may have been taken from
        let origins: Vec<Node> = match s.axis {
            Axis::Child | Axis::Attribute => parent.into_iter().collect(),
            Axis::SelfAxis => vec![n],
            Axis::Descendant => ancestors(xot, n),
            Axis::DescendantOrSelf => {
                let mut v = vec![n];
                v.extend(ancestors(xot, n));
                v
            }
        };
        if i == 0 {
            if absolute {
                return Ok(origins
                    .iter()
                    .any(|o| docs.xot().value_type(*o) == ValueType::Document));
            }
            return Ok(!origins.is_empty());
        }
        for o in origins {
            if self.path(docs, steps, absolute, i - 1, o, predicates)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn step_accepts(
        &self,
        docs: &mut Documents,
        s: &super::context::Step,
        n: Node,
    ) -> Result<bool, RunError> {
        if !kind_ok(docs.xot(), s, n) || !test_ok(docs.xot(), &s.test, s.axis, n) {
            return Ok(false);
        }
        for (k, p) in s.predicates.iter().enumerate() {
            if !self.predicate(docs, s, k, p, n)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn predicate(
        &self,
        docs: &mut Documents,
        s: &super::context::Step,
        k: usize,
        p: &Predicate,
        n: Node,
    ) -> Result<bool, RunError> {
        match p {
            Predicate::HasAttribute(ns, l) => {
                let xot = docs.xot();
                Ok(xot.attributes(n).iter().any(|(id, _)| {
                    let (al, ans) = xot.name_ns_str(id);
                    al == l && ans == ns
                }))
            }
            Predicate::Native(c) => Ok(c.eval(docs.xot(), n)),
            Predicate::Position(want) => Ok(self.position(docs, s, k, n)? == *want),
            Predicate::XPath(slot) => {
                let seq = self.eval(docs, *slot, n, &self.vars)?;
                if seq.len() == 1 {
                    if let Some(Item::Atomic(a)) = seq.get(0) {
                        if a.is_numeric() {
                            let pos = self.position(docs, s, k, n)? as f64;
                            let v: f64 = f64::try_from(a.clone()).unwrap_or(f64::NAN);
                            return Ok(v == pos);
                        }
                    }
                }
                seq.effective_boolean_value()
                    .map_err(|e| RunError::Dynamic(*slot, e.to_string()))
            }
        }
    }

    /// The node's position among the siblings the step selects before predicate `k`.
    fn position(
        &self,
        docs: &mut Documents,
        s: &super::context::Step,
        k: usize,
        n: Node,
    ) -> Result<usize, RunError> {
        let Some(parent) = docs.xot().parent(n) else {
            return Ok(1);
        };
        let sibs: Vec<Node> = if s.axis == Axis::Attribute {
            docs.xot().attribute_nodes(parent).collect()
        } else {
            docs.xot().children(parent).collect()
        };
        let mut pos = 0;
        'sib: for c in sibs {
            if !kind_ok(docs.xot(), s, c) || !test_ok(docs.xot(), &s.test, s.axis, c) {
                continue;
            }
            for (j, p) in s.predicates[..k].iter().enumerate() {
                if !self.predicate(docs, s, j, p, c)? {
                    continue 'sib;
                }
            }
            pos += 1;
            if c == n {
                return Ok(pos);
            }
        }
        Ok(0)
    }

    fn fire(
        &self,
        t: &mut Tree,
        p: usize,
        r: usize,
        n: Node,
        out: &mut Vec<Fired>,
    ) -> Result<(), RunError> {
        let rp = &self.plan.patterns[p].rules[r];
        let mut vars = self.vars.clone();
        vars.insert(
            super::xpath::current_name(),
            Sequence::from(vec![Item::Node(n)]),
        );
        for (name, v) in &rp.lets {
            let seq = match v {
                Value::Text(s) => {
                    Sequence::from(vec![Item::from(xee_xpath::Atomic::from(s.clone()))])
                }
                Value::Expr(slot) => self.eval(&mut t.docs, *slot, n, &vars)?,
            };
            vars.insert(name.clone(), seq);
        }
        for (c, cp) in rp.checks.iter().enumerate() {
            let seq = self.eval(&mut t.docs, cp.test, n, &vars)?;
            let b = seq
                .effective_boolean_value()
                .map_err(|e| RunError::Dynamic(cp.test, e.to_string()))?;
            let fires = match cp.kind {
                Kind::Assert => !b,
                Kind::Report => b,
            };
            if !fires {
                continue;
            }
            let subject = match cp.subject {
                Some(slot) => {
                    let s = self.eval(&mut t.docs, slot, n, &vars)?;
                    match s.get(0) {
                        Some(Item::Node(sn)) => sn,
                        _ => n,
                    }
                }
                None => n,
            };
            let message = self.text(t, &cp.message, n, &vars)?;
            let mut diagnostics = Vec::new();
            for (id, parts) in &cp.diagnostics {
                diagnostics.push((id.clone(), self.text(t, parts, n, &vars)?));
            }
            out.push(Fired {
                pattern: p,
                rule: r,
                check: c,
                span: span_of(t, subject),
                location: location(t.docs.xot(), subject),
                message,
                diagnostics,
            });
        }
        Ok(())
    }

    fn text(
        &self,
        t: &mut Tree,
        parts: &[MPart],
        n: Node,
        vars: &Variables,
    ) -> Result<String, RunError> {
        let mut s = String::new();
        for part in parts {
            match part {
                MPart::Text(x) => s.push_str(x),
                MPart::Value(slot) => {
                    // the slot is `string-join((…) ! string(.), ' ')` (see the plan)
                    let seq = self.eval(&mut t.docs, *slot, n, vars)?;
                    s.push_str(&seq.string_value(t.docs.xot()).unwrap_or_default());
                }
                MPart::Name(None) => s.push_str(&qname(t.docs.xot(), n)),
                MPart::Name(Some(slot)) => {
                    let seq = self.eval(&mut t.docs, *slot, n, vars)?;
                    match seq.get(0) {
                        Some(Item::Node(m)) => s.push_str(&qname(t.docs.xot(), m)),
                        Some(other) => {
                            s.push_str(&other.string_value(t.docs.xot()).unwrap_or_default())
                        }
                        None => {}
                    }
                }
            }
        }
        Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

fn ancestors(xot: &Xot, n: Node) -> Vec<Node> {
    let mut v = Vec::new();
    let mut cur = xot.parent(n);
    while let Some(p) = cur {
        v.push(p);
        cur = xot.parent(p);
    }
    v
}

/// Whether the node is of a kind the step's axis selects.
fn kind_ok(xot: &Xot, s: &super::context::Step, n: Node) -> bool {
    let vt = xot.value_type(n);
    match s.axis {
        Axis::Attribute => vt == ValueType::Attribute,
        Axis::Child | Axis::Descendant => !matches!(
            vt,
            ValueType::Attribute | ValueType::Document | ValueType::Namespace
        ),
        Axis::SelfAxis | Axis::DescendantOrSelf => true,
    }
}

fn test_ok(xot: &Xot, t: &Test, axis: Axis, n: Node) -> bool {
    let vt = xot.value_type(n);
    // the principal node kind: attributes on the attribute axis, elements elsewhere
    let principal = if axis == Axis::Attribute {
        ValueType::Attribute
    } else {
        ValueType::Element
    };
    let named = |f: &dyn Fn(&str, &str) -> bool| {
        if vt != principal {
            return false;
        }
        match xot.node_name(n) {
            Some(id) => {
                let (l, ns) = xot.name_ns_str(id);
                f(ns, l)
            }
            None => false,
        }
    };
    match t {
        Test::Name(ns, l) => named(&|a, b| a == ns && b == l),
        Test::Namespace(ns) => named(&|a, _| a == ns),
        Test::Local(l) => named(&|_, b| b == l),
        Test::AnyName => vt == principal,
        Test::Node => true,
        Test::Text => vt == ValueType::Text,
        Test::Comment => vt == ValueType::Comment,
        Test::Pi(target) => {
            vt == ValueType::ProcessingInstruction
                && target.as_ref().is_none_or(|want| {
                    xot.node_name(n)
                        .is_some_and(|id| xot.local_name_str(id) == want)
                })
        }
        Test::Document => vt == ValueType::Document,
    }
}

/// The name as a person reads it: prefix:local when the document gave a prefix.
fn qname(xot: &Xot, n: Node) -> String {
    match xot.node_name_ref(n) {
        Ok(Some(r)) => r.full_name().to_string(),
        _ => String::new(),
    }
}

/// The byte range of a node in the text: an element's start tag (from `<`), an attribute,
/// a text node; else its nearest element's.
fn span_of(t: &Tree, n: Node) -> std::ops::Range<usize> {
    let xot = t.docs.xot();
    match xot.value_type(n) {
        ValueType::Element => match t.spans.get(xot::SpanInfoKey::ElementStart(n)) {
            Some(s) => s.start.saturating_sub(1)..s.end,
            None => 0..0,
        },
        ValueType::Attribute => {
            let parent = xot.parent(n);
            let name = xot.node_name(n);
            match (parent, name) {
                (Some(p), Some(id)) => {
                    let a = t.spans.get(xot::SpanInfoKey::AttributeName(p, id));
                    let v = t.spans.get(xot::SpanInfoKey::AttributeValue(p, id));
                    match (a, v) {
                        (Some(a), Some(v)) => a.start..v.end + 1,
                        (Some(a), None) => a.start..a.end,
                        _ => span_of(t, p),
                    }
                }
                _ => 0..0,
            }
        }
        ValueType::Text => match t.spans.get(xot::SpanInfoKey::Text(n)) {
            Some(s) => s.start..s.end,
            None => xot.parent(n).map_or(0..0, |p| span_of(t, p)),
        },
        _ => xot.parent(n).map_or(0..0, |p| span_of(t, p)),
    }
}

/// The SVRL location of a node, as SchXslt writes it.
pub(super) fn location(xot: &Xot, n: Node) -> String {
    let mut chain = vec![n];
    chain.extend(ancestors(xot, n));
    chain.reverse();
    let mut out = String::new();
    for m in chain {
        let position = |same: &dyn Fn(Node) -> bool| {
            let Some(p) = xot.parent(m) else { return 1 };
            xot.children(p)
                .take_while(|c| *c != m)
                .filter(|c| same(*c))
                .count()
                + 1
        };
        match xot.value_type(m) {
            ValueType::Element => {
                let id = xot.node_name(m);
                let (l, ns) = id.map(|id| xot.name_ns_str(id)).unwrap_or(("", ""));
                let pos = position(&|c| xot.is_element(c) && xot.node_name(c) == id);
                out.push_str(&format!("/Q{{{ns}}}{l}[{pos}]"));
            }
            ValueType::Attribute => {
                let (l, ns) = xot
                    .node_name(m)
                    .map(|id| xot.name_ns_str(id))
                    .unwrap_or(("", ""));
                out.push_str(&format!("/@Q{{{ns}}}{l}"));
            }
            ValueType::Text => {
                let pos = position(&|c| xot.value_type(c) == ValueType::Text);
                out.push_str(&format!("/text()[{pos}]"));
            }
            ValueType::Comment => {
                let pos = position(&|c| xot.value_type(c) == ValueType::Comment);
                out.push_str(&format!("/comment()[{pos}]"));
            }
            ValueType::ProcessingInstruction => {
                let id = xot.node_name(m);
                let t = id.map(|id| xot.local_name_str(id)).unwrap_or("");
                let pos = position(&|c| {
                    xot.value_type(c) == ValueType::ProcessingInstruction && xot.node_name(c) == id
                });
                out.push_str(&format!("/processing-instruction(\"{t}\")[{pos}]"));
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}
