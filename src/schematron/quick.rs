//! A small XPath evaluator for the expressions most rules use, on the light tree ([`super::light`]):
//! paths of axis steps with name tests, `|`, `and`/`or`/`not()`, comparisons of strings and
//! counts, and a few string functions (`normalize-space`, `contains`, `tokenize(…, ' ')`,
//! `id()`…). It lets [`super::screen`] decide most documents without building the xot tree or
//! running xee.
//!
//! Exactness comes first: an expression outside the subset does not compile (`None`), and an
//! evaluation that XPath would answer with a dynamic error (a sequence of more than one item
//! where one is expected, a string that does not cast to a number), or whose answer could
//! depend on what this evaluator does not model, gives `None` too: the document then runs in
//! xee as before. The right operand of `and`/`or` is skipped only when the left one decides
//! and the right one can raise no error ([`sure`]), so an error is never hidden.

use std::cell::OnceCell;
use xee_name::FN_NAMESPACE;
use xee_xpath_ast::ast;
use xot::xmlname::NameStrInfo;

/// A node: an element, text or document node of the light tree, or an attribute (its element
/// and its index among the element's attributes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct N {
    /// The node (for an attribute: its element).
    pub id: super::light::NodeId,
    /// 0 for the node itself, `i + 1` for its attribute `i`.
    pub attr: u32,
}

impl N {
    /// The node itself.
    pub fn of(n: super::light::Node) -> N {
        N {
            id: n.id(),
            attr: 0,
        }
    }

    /// Document order (attributes after their element, before its children).
    fn key(self) -> (u32, u32) {
        (self.id.get(), self.attr)
    }
}

/// A value.
#[derive(Clone, Debug)]
pub enum V {
    /// Nodes in document order, without duplicates.
    Nodes(Vec<N>),
    /// A boolean.
    Bool(bool),
    /// A number (counts and lengths: integers).
    Num(f64),
    /// `xs:string`s.
    Strs(Vec<String>),
}

/// The axes the evaluator follows (not the descendant ones: see [`compile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum Axis {
    #[allow(missing_docs)]
    SelfAxis,
    Child,
    Parent,
    Ancestor,
    AncestorOrSelf,
    Attribute,
    PrecedingSibling,
    FollowingSibling,
}

impl Axis {
    fn reverse(self) -> bool {
        matches!(
            self,
            Axis::Parent | Axis::Ancestor | Axis::AncestorOrSelf | Axis::PrecedingSibling
        )
    }
}

/// Node tests.
#[derive(Clone, Debug)]
#[allow(missing_docs)]
pub enum Test {
    Name(String, String),
    AnyName,
    Namespace(String),
    Local(String),
    Node,
    Text,
}

/// A predicate of a step.
#[derive(Clone, Debug)]
pub enum Pred {
    /// `[k]`.
    Position(usize),
    /// A predicate that is never numeric: kept where its effective boolean value is true.
    Bool(X),
}

/// An axis step.
#[derive(Clone, Debug)]
pub struct Step {
    axis: Axis,
    test: Test,
    preds: Vec<Pred>,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub enum X {
    /// `.`.
    Context,
    /// `$name` (namespace, local name).
    Var(String, String),
    /// A string literal.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A path from the context node (`root`: from the document node) through the steps.
    Path { root: bool, steps: Vec<Step> },
    /// `/descendant::p:l`: the document's elements of that name.
    Named(String, String),
    /// `a/b/…` from the nodes of an expression.
    From(Box<X>, Vec<Step>),
    /// `e[k]`: the k-th item.
    Item(Box<X>, usize),
    /// `a | b`.
    Union(Box<X>, Box<X>),
    /// `a and b`.
    And(Box<X>, Box<X>),
    /// `a or b`.
    Or(Box<X>, Box<X>),
    /// A general (`=`, `<`…: `true`) or value (`eq`, `lt`…) comparison.
    Compare(bool, Cmp, Box<X>, Box<X>),
    /// `a << b` (`true`) or `a >> b`.
    Order(bool, Box<X>, Box<X>),
    /// A function of the subset, with its arguments.
    Call(F, Vec<X>),
}

/// The functions of the subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum F {
    Not,
    Boolean,
    True,
    False,
    Exists,
    Empty,
    Count,
    NormalizeSpace,
    StringLength,
    String,
    Contains,
    StartsWith,
    EndsWith,
    Name,
    LocalName,
    Substring,
    TokenizeSpace,
    Id,
}

/// Compiles an XPath expression (already rewritten by [`super::xpath::rewrite`]).
pub fn compile(
    source: &str,
    namespaces: &[(String, String)],
    vars: &[xot::xmlname::OwnedName],
) -> Option<X> {
    let mut ns = xee_name::Namespaces::default();
    let pairs: Vec<(&str, &str)> = namespaces
        .iter()
        .map(|(p, u)| (p.as_str(), u.as_str()))
        .collect();
    ns.add(&pairs);
    let names: xee_name::VariableNames = vars.iter().cloned().collect();
    let parsed = ast::XPath::parse(source, &ns, &names).ok()?;
    expr(&parsed.0)
}

/// Whether the expression may give a number (a predicate then filters by position).
pub fn may_be_numeric(x: &X) -> bool {
    matches!(
        x,
        X::Int(_) | X::Var(..) | X::Item(..) | X::Call(F::Count | F::StringLength, _)
    )
}

fn expr(e: &ast::ExprS) -> Option<X> {
    match e.value.0.as_slice() {
        [one] => single(&one.value),
        _ => None,
    }
}

fn single(e: &ast::ExprSingle) -> Option<X> {
    use ast::BinaryOperator as Op;
    match e {
        ast::ExprSingle::Path(p) => path(p),
        ast::ExprSingle::Binary(b) => {
            let (l, r) = (path(&b.left)?, path(&b.right)?);
            let (l, r) = (Box::new(l), Box::new(r));
            Some(match b.operator {
                Op::And => X::And(l, r),
                Op::Or => X::Or(l, r),
                Op::Union => X::Union(l, r),
                Op::ValueEq => X::Compare(false, Cmp::Eq, l, r),
                Op::ValueNe => X::Compare(false, Cmp::Ne, l, r),
                Op::ValueLt => X::Compare(false, Cmp::Lt, l, r),
                Op::ValueLe => X::Compare(false, Cmp::Le, l, r),
                Op::ValueGt => X::Compare(false, Cmp::Gt, l, r),
                Op::ValueGe => X::Compare(false, Cmp::Ge, l, r),
                Op::GenEq => X::Compare(true, Cmp::Eq, l, r),
                Op::GenNe => X::Compare(true, Cmp::Ne, l, r),
                Op::GenLt => X::Compare(true, Cmp::Lt, l, r),
                Op::GenLe => X::Compare(true, Cmp::Le, l, r),
                Op::GenGt => X::Compare(true, Cmp::Gt, l, r),
                Op::GenGe => X::Compare(true, Cmp::Ge, l, r),
                Op::Precedes => X::Order(true, l, r),
                Op::Follows => X::Order(false, l, r),
                _ => return None,
            })
        }
        _ => None,
    }
}

fn path(p: &ast::PathExpr) -> Option<X> {
    let steps = p.steps.as_slice();
    let (first, rest) = steps.split_first()?;
    // a path of axis steps, from the context node or (`/…`) the document node
    let mut from: Option<X> = None;
    let mut axis_steps = Vec::new();
    let mut root = false;
    match &first.value {
        ast::StepExpr::AxisStep(a) => axis_steps.push(step(a)?),
        ast::StepExpr::PrimaryExpr(prim) => {
            let x = primary(&prim.value)?;
            if rest.is_empty() {
                return Some(x);
            }
            from = Some(x);
        }
        ast::StepExpr::PostfixExpr {
            primary: prim,
            postfixes,
        } => {
            let mut x = primary(&prim.value)?;
            for pf in postfixes {
                let ast::Postfix::Predicate(e) = pf else {
                    return None;
                };
                x = X::Item(Box::new(x), position(e)?);
            }
            if rest.is_empty() {
                return Some(x);
            }
            from = Some(x);
        }
    }
    let mut rest = rest;
    if matches!(&from, Some(X::Path { root: true, steps }) if steps.is_empty()) {
        // `/descendant::p:l` (how the rewrite writes `//p:l`): the elements of that name,
        // from an index made once per document
        if let Some(ast::StepExpr::AxisStep(a)) = rest.first().map(|s| &s.value) {
            if let (ast::Axis::Descendant, ast::NodeTest::NameTest(ast::NameTest::Name(n)), true) =
                (&a.axis, &a.node_test, a.predicates.is_empty())
            {
                from = Some(X::Named(
                    n.value.namespace().to_string(),
                    n.value.local_name().to_string(),
                ));
                rest = &rest[1..];
                if rest.is_empty() {
                    return from;
                }
            }
        }
    }
    for s in rest {
        match &s.value {
            ast::StepExpr::AxisStep(a) => axis_steps.push(step(a)?),
            _ => return None,
        }
    }
    match from {
        Some(X::Context) => Some(X::Path {
            root: false,
            steps: axis_steps,
        }),
        Some(x) => {
            // `/…`: xee writes the leading slash as `root(self::node())`
            if let X::Path { root: true, steps } = &x {
                root = steps.is_empty();
            }
            if root {
                Some(X::Path {
                    root: true,
                    steps: axis_steps,
                })
            } else {
                Some(X::From(Box::new(x), axis_steps))
            }
        }
        None => Some(X::Path {
            root: false,
            steps: axis_steps,
        }),
    }
}

/// `[k]` with an integer literal.
fn position(e: &ast::ExprS) -> Option<usize> {
    let X::Int(k) = expr(e)? else {
        return None;
    };
    usize::try_from(k).ok().filter(|k| *k >= 1)
}

fn step(a: &ast::AxisStep) -> Option<Step> {
    let axis = match a.axis {
        ast::Axis::Self_ => Axis::SelfAxis,
        ast::Axis::Child => Axis::Child,
        ast::Axis::Parent => Axis::Parent,
        ast::Axis::Ancestor => Axis::Ancestor,
        ast::Axis::AncestorOrSelf => Axis::AncestorOrSelf,
        ast::Axis::Attribute => Axis::Attribute,
        ast::Axis::PrecedingSibling => Axis::PrecedingSibling,
        ast::Axis::FollowingSibling => Axis::FollowingSibling,
        // not the descendant axes: one evaluation stays within the node's own neighbourhood
        // (ancestors, siblings, children), so no rule becomes a walk of the whole document
        // per node here; such rules run in xee, within the time limit
        _ => return None,
    };
    let test = match &a.node_test {
        ast::NodeTest::NameTest(n) => match n {
            ast::NameTest::Name(name) => Test::Name(
                name.value.namespace().to_string(),
                name.value.local_name().to_string(),
            ),
            ast::NameTest::Star => Test::AnyName,
            ast::NameTest::LocalName(l) => Test::Local(l.clone()),
            ast::NameTest::Namespace(ns) => Test::Namespace(ns.clone()),
        },
        ast::NodeTest::KindTest(k) => match k {
            ast::KindTest::Any => Test::Node,
            ast::KindTest::Text => Test::Text,
            ast::KindTest::Element(None) | ast::KindTest::Attribute(None) => Test::AnyName,
            _ => return None,
        },
    };
    let mut preds = Vec::new();
    let mut test = test;
    let mut from = 0;
    // `p:*[local-name() eq 'div']` (how the rewrite writes `p:div`) is the name `p:div`
    if let (Test::Namespace(ns), Some(first)) = (&test, a.predicates.first()) {
        if let Some(l) = super::native::local_name_eq(first) {
            test = Test::Name(ns.clone(), l);
            from = 1;
        }
    }
    for p in &a.predicates[from..] {
        let x = expr(p)?;
        if let X::Int(k) = x {
            preds.push(Pred::Position(usize::try_from(k).ok().filter(|k| *k >= 1)?));
        } else if may_be_numeric(&x) || !super::native::never_numeric(p) {
            return None;
        } else {
            preds.push(Pred::Bool(x));
        }
    }
    Some(Step { axis, test, preds })
}

fn primary(p: &ast::PrimaryExpr) -> Option<X> {
    match p {
        ast::PrimaryExpr::Literal(ast::Literal::String(s)) => Some(X::Str(s.clone())),
        ast::PrimaryExpr::Literal(ast::Literal::Integer(i)) => Some(X::Int(i64::try_from(i).ok()?)),
        ast::PrimaryExpr::VarRef(n) => Some(X::Var(
            n.namespace().to_string(),
            n.local_name().to_string(),
        )),
        ast::PrimaryExpr::ContextItem => Some(X::Context),
        ast::PrimaryExpr::Expr(inner) => match inner.value.as_ref() {
            Some(e) => match e.0.as_slice() {
                [one] => single(&one.value),
                _ => None,
            },
            None => None,
        },
        ast::PrimaryExpr::FunctionCall(f) => call(f),
        _ => None,
    }
}

fn call(f: &ast::FunctionCall) -> Option<X> {
    if f.name.value.namespace() != FN_NAMESPACE {
        return None;
    }
    let args: Vec<X> = f
        .arguments
        .iter()
        .map(|a| single(&a.value))
        .collect::<Option<_>>()?;
    let n = args.len();
    let func = match (f.name.value.local_name(), n) {
        ("not", 1) => F::Not,
        ("boolean", 1) => F::Boolean,
        ("true", 0) => F::True,
        ("false", 0) => F::False,
        ("exists", 1) => F::Exists,
        ("empty", 1) => F::Empty,
        ("count", 1) => F::Count,
        ("normalize-space", 0 | 1) => F::NormalizeSpace,
        ("string-length", 0 | 1) => F::StringLength,
        ("string", 0 | 1) => F::String,
        ("contains", 2) => F::Contains,
        ("starts-with", 2) => F::StartsWith,
        ("ends-with", 2) => F::EndsWith,
        ("name", 0 | 1) => F::Name,
        ("local-name", 0 | 1) => F::LocalName,
        ("substring", 2 | 3) => {
            // integer positions only (no rounding of fractions, no NaN)
            if !args[1..].iter().all(|a| matches!(a, X::Int(_))) {
                return None;
            }
            F::Substring
        }
        ("tokenize", 2) => match &args[1] {
            X::Str(s) if s == " " => F::TokenizeSpace,
            _ => return None,
        },
        ("id", 1) => F::Id,
        ("root", 1) => {
            // `/` is `root(self::node())`: the document node
            return match &args[0] {
                X::Path { root: false, steps } if is_self_node(steps) => Some(X::Path {
                    root: true,
                    steps: Vec::new(),
                }),
                _ => None,
            };
        }
        _ => return None,
    };
    let args = match (func, n) {
        // the context item as the implicit argument
        (F::NormalizeSpace | F::StringLength | F::String | F::Name | F::LocalName, 0) => {
            vec![X::Context]
        }
        (F::TokenizeSpace, _) => vec![args.into_iter().next()?],
        _ => args,
    };
    Some(X::Call(func, args))
}

/// Whether `x`, evaluated at a node, can raise no dynamic error in XPath, nor can its
/// effective boolean value: node paths whose predicates are positions or such expressions,
/// their unions, and `and`/`or`/`not()`/`boolean()`/`exists()`/`empty()`/`true()`/`false()`
/// of such.
pub fn sure(x: &X) -> bool {
    match x {
        X::Call(F::True | F::False, _) => true,
        X::Call(F::Not | F::Boolean | F::Exists | F::Empty, args) => args.iter().all(sure),
        X::And(a, b) | X::Or(a, b) => sure(a) && sure(b),
        _ => sure_nodes(x),
    }
}

/// Whether `x`, evaluated at a node, gives nodes and can raise no dynamic error.
fn sure_nodes(x: &X) -> bool {
    match x {
        X::Context | X::Named(..) => true,
        X::Path { steps, .. } => steps.iter().all(|s| {
            s.preds.iter().all(|p| match p {
                Pred::Position(_) => true,
                Pred::Bool(b) => sure(b),
            })
        }),
        X::Union(a, b) => sure_nodes(a) && sure_nodes(b),
        _ => false,
    }
}

fn is_self_node(steps: &[Step]) -> bool {
    matches!(steps, [Step { axis: Axis::SelfAxis, test: Test::Node, preds }] if preds.is_empty())
}

/// The document and what is computed once per document.
pub struct Doc<'a> {
    /// The tree.
    pub doc: &'a super::light::Light,
    /// The elements by name, in document order, made on the first use.
    named: OnceCell<foldhash::HashMap<(&'a str, &'a str), Vec<N>>>,
    /// `xml:id` → element (`None` for a value given twice), made on the first `id()`.
    ids: std::cell::OnceCell<foldhash::HashMap<&'a str, Option<super::light::NodeId>>>,
    /// When the evaluation gives up (every answer `None` from then on): the screen run on the
    /// validating thread has no worker to abandon, so it keeps its own time.
    deadline: Option<std::time::Instant>,
    /// Nodes visited and pairs compared since the clock was last read.
    ops: std::cell::Cell<usize>,
    /// The deadline passed.
    late: std::cell::Cell<bool>,
}

/// How many nodes visited or pairs compared between two readings of the clock.
const OPS_PER_CLOCK: usize = 4096;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

impl<'a> Doc<'a> {
    /// Wraps a parsed document.
    pub fn new(doc: &'a super::light::Light) -> Self {
        Doc {
            doc,
            ids: std::cell::OnceCell::new(),
            named: OnceCell::new(),
            deadline: None,
            ops: std::cell::Cell::new(0),
            late: std::cell::Cell::new(false),
        }
    }

    /// The evaluator gives up (`None`) once `deadline` has passed.
    pub fn with_deadline(mut self, deadline: std::time::Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Counts `n` operations; `None` once the deadline has passed.
    fn tick(&self, n: usize) -> Option<()> {
        let Some(deadline) = self.deadline else {
            return Some(());
        };
        let ops = self.ops.get() + n;
        if ops >= OPS_PER_CLOCK {
            self.ops.set(0);
            if std::time::Instant::now() >= deadline {
                self.late.set(true);
            }
        } else {
            self.ops.set(ops);
        }
        (!self.late.get()).then_some(())
    }

    fn node(&self, n: N) -> super::light::Node<'a> {
        // ids come from this document
        self.doc.get_node(n.id).unwrap_or_else(|| self.doc.root())
    }

    fn attribute(&self, n: N) -> Option<super::light::Attribute<'a>> {
        if n.attr == 0 {
            return None;
        }
        self.node(n).attributes().nth(n.attr as usize - 1)
    }

    /// The string value of a node.
    pub fn string_value(&self, n: N) -> String {
        if let Some(a) = self.attribute(n) {
            return a.value().to_string();
        }
        let node = self.node(n);
        if node.is_text() || node.is_comment() {
            return node.text().unwrap_or("").to_string();
        }
        if node.is_pi() {
            return node.pi().and_then(|p| p.value).unwrap_or("").to_string();
        }
        let mut s = String::new();
        for d in node.descendants() {
            if d.is_text() {
                s.push_str(d.text().unwrap_or(""));
            }
        }
        s
    }

    /// The name as written (`prefix:local`), `""` for a node without a name.
    pub(super) fn lexical_name(&self, n: N) -> Option<String> {
        if let Some(a) = self.attribute(n) {
            return Some(a.qname().to_string());
        }
        let node = self.node(n);
        if node.is_element() {
            return Some(node.qname().to_string());
        }
        if node.is_pi() {
            return node.pi().map(|p| p.target.to_string());
        }
        Some(String::new())
    }

    fn local_name(&self, n: N) -> String {
        if let Some(a) = self.attribute(n) {
            return a.name().to_string();
        }
        let node = self.node(n);
        if node.is_element() {
            return node.tag_name().name().to_string();
        }
        if node.is_pi() {
            return node.pi().map(|p| p.target.to_string()).unwrap_or_default();
        }
        String::new()
    }

    fn test(&self, t: &Test, axis: Axis, n: N) -> bool {
        let (vt_attr, node) = (n.attr != 0, self.node(n));
        let principal = if axis == Axis::Attribute {
            vt_attr
        } else {
            !vt_attr && node.is_element()
        };
        let named = |f: &dyn Fn(&str, &str) -> bool| {
            if !principal {
                return false;
            }
            match self.attribute(n) {
                Some(a) => f(a.namespace().unwrap_or(""), a.name()),
                None => {
                    let t = node.tag_name();
                    f(t.namespace().unwrap_or(""), t.name())
                }
            }
        };
        match t {
            Test::Name(ns, l) => named(&|a, b| a == ns && b == l),
            Test::Namespace(ns) => named(&|a, _| a == ns),
            Test::Local(l) => named(&|_, b| b == l),
            Test::AnyName => principal,
            Test::Node => true,
            Test::Text => !vt_attr && node.is_text(),
        }
    }

    /// The nodes of `axis` from `n`, in axis order.
    fn axis(&self, axis: Axis, n: N, out: &mut Vec<N>) {
        let node = self.node(n);
        let is_attr = n.attr != 0;
        match axis {
            Axis::SelfAxis => out.push(n),
            Axis::Child => {
                if !is_attr {
                    out.extend(node.children().map(N::of));
                }
            }
            Axis::Parent => {
                if is_attr {
                    out.push(N::of(node));
                } else if let Some(p) = node.parent() {
                    out.push(N::of(p));
                }
            }
            Axis::Ancestor | Axis::AncestorOrSelf => {
                if axis == Axis::AncestorOrSelf {
                    out.push(n);
                }
                if is_attr {
                    out.extend(node.ancestors().map(N::of));
                } else {
                    out.extend(node.ancestors().skip(1).map(N::of));
                }
            }
            Axis::Attribute => {
                if !is_attr && node.is_element() {
                    let count = node.attributes().len() as u32;
                    out.extend((1..=count).map(|i| N {
                        id: node.id(),
                        attr: i,
                    }));
                }
            }
            Axis::PrecedingSibling => {
                if !is_attr {
                    out.extend(node.prev_siblings().skip(1).map(N::of));
                }
            }
            Axis::FollowingSibling => {
                if !is_attr {
                    out.extend(node.next_siblings().skip(1).map(N::of));
                }
            }
        }
    }

    fn step(&self, s: &Step, from: &[N], vars: &Vars) -> Option<Vec<N>> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        for &n in from {
            buf.clear();
            self.axis(s.axis, n, &mut buf);
            self.tick(1 + buf.len())?;
            buf.retain(|m| self.test(&s.test, s.axis, *m));
            for p in &s.preds {
                match p {
                    Pred::Position(k) => {
                        let kept = buf.get(k - 1).copied();
                        buf.clear();
                        buf.extend(kept);
                    }
                    Pred::Bool(x) => {
                        let mut keep = Vec::with_capacity(buf.len());
                        for &m in &buf {
                            if self.ebv(&self.eval(x, m, vars)?)? {
                                keep.push(m);
                            }
                        }
                        buf = keep;
                    }
                }
            }
            out.extend_from_slice(&buf);
        }
        if from.len() > 1 || s.axis.reverse() {
            out.sort_unstable_by_key(|n| n.key());
            out.dedup();
        }
        Some(out)
    }

    /// The effective boolean value; `None` where XPath raises an error.
    pub fn ebv(&self, v: &V) -> Option<bool> {
        match v {
            V::Nodes(n) => Some(!n.is_empty()),
            V::Bool(b) => Some(*b),
            V::Num(x) => Some(*x != 0.0 && !x.is_nan()),
            V::Strs(s) => match s.as_slice() {
                [] => Some(false),
                [one] => Some(!one.is_empty()),
                _ => None,
            },
        }
    }

    /// At most one item as a string (`""` for none); `None` for more, or an item that is not
    /// a node or string.
    fn one_string(&self, v: &V) -> Option<String> {
        match v {
            V::Nodes(n) => match n.as_slice() {
                [] => Some(String::new()),
                [one] => Some(self.string_value(*one)),
                _ => None,
            },
            V::Strs(s) => match s.as_slice() {
                [] => Some(String::new()),
                [one] => Some(one.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// At most one node.
    fn one_node(&self, v: &V) -> Option<Option<N>> {
        match v {
            V::Nodes(n) => match n.as_slice() {
                [] => Some(None),
                [one] => Some(Some(*one)),
                _ => None,
            },
            _ => None,
        }
    }

    fn ids(&self) -> &foldhash::HashMap<&'a str, Option<super::light::NodeId>> {
        self.ids.get_or_init(|| {
            let mut m = foldhash::HashMap::default();
            for d in self.doc.descendants() {
                if let Some(v) = d.attribute((XML_NS, "id")) {
                    m.entry(v)
                        .and_modify(|e: &mut Option<super::light::NodeId>| *e = None)
                        .or_insert(Some(d.id()));
                }
            }
            m
        })
    }

    /// Evaluates `x` with `n` as the context item; `None` where the answer is not known exactly
    /// (or the deadline passed).
    pub fn eval(&self, x: &X, n: N, vars: &Vars) -> Option<V> {
        self.tick(1)?;
        Some(match x {
            X::Context => V::Nodes(vec![n]),
            X::Var(ns, l) => vars
                .iter()
                .rev()
                .find(|(a, b, _)| a == ns && b == l)
                .map(|(_, _, v)| v.clone())?,
            X::Str(s) => V::Strs(vec![s.clone()]),
            X::Int(i) => V::Num(*i as f64),
            X::Path { root, steps } => {
                let mut cur = if *root {
                    vec![N::of(self.doc.root())]
                } else {
                    vec![n]
                };
                for s in steps {
                    cur = self.step(s, &cur, vars)?;
                }
                V::Nodes(cur)
            }
            X::Named(ns, l) => {
                let named = self.named.get_or_init(|| {
                    let mut m: foldhash::HashMap<(&str, &str), Vec<N>> = Default::default();
                    for d in self.doc.descendants().filter(|d| d.is_element()) {
                        let t = d.tag_name();
                        m.entry((t.namespace().unwrap_or(""), t.name()))
                            .or_default()
                            .push(N::of(d));
                    }
                    m
                });
                V::Nodes(
                    named
                        .get(&(ns.as_str(), l.as_str()))
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            X::From(start, steps) => {
                let V::Nodes(mut cur) = self.eval(start, n, vars)? else {
                    return None;
                };
                for s in steps {
                    cur = self.step(s, &cur, vars)?;
                }
                V::Nodes(cur)
            }
            X::Item(e, k) => match self.eval(e, n, vars)? {
                V::Nodes(v) => V::Nodes(v.get(k - 1).copied().into_iter().collect()),
                V::Strs(v) => V::Strs(v.get(k - 1).cloned().into_iter().collect()),
                _ => return None,
            },
            X::Union(a, b) => {
                let (V::Nodes(mut l), V::Nodes(r)) =
                    (self.eval(a, n, vars)?, self.eval(b, n, vars)?)
                else {
                    return None;
                };
                l.extend(r);
                l.sort_unstable_by_key(|n| n.key());
                l.dedup();
                V::Nodes(l)
            }
            // the right operand is skipped only when the left one decides and the right one
            // can raise no error ([`sure`]): no error is hidden
            X::And(a, b) => {
                let l = self.ebv(&self.eval(a, n, vars)?)?;
                if !l && sure(b) {
                    return Some(V::Bool(false));
                }
                V::Bool(self.ebv(&self.eval(b, n, vars)?)? & l)
            }
            X::Or(a, b) => {
                let l = self.ebv(&self.eval(a, n, vars)?)?;
                if l && sure(b) {
                    return Some(V::Bool(true));
                }
                V::Bool(self.ebv(&self.eval(b, n, vars)?)? | l)
            }
            X::Compare(general, op, a, b) => {
                let (l, r) = (self.eval(a, n, vars)?, self.eval(b, n, vars)?);
                self.compare(*general, *op, &l, &r)?
            }
            X::Order(before, a, b) => {
                let (l, r) = (self.eval(a, n, vars)?, self.eval(b, n, vars)?);
                match (self.one_node(&l)?, self.one_node(&r)?) {
                    (Some(l), Some(r)) => V::Bool(if *before {
                        l.key() < r.key()
                    } else {
                        l.key() > r.key()
                    }),
                    _ => V::Nodes(Vec::new()),
                }
            }
            X::Call(f, args) => {
                let vals: Vec<V> = args
                    .iter()
                    .map(|a| self.eval(a, n, vars))
                    .collect::<Option<_>>()?;
                self.call(*f, &vals, args)?
            }
        })
    }

    fn call(&self, f: F, v: &[V], args: &[X]) -> Option<V> {
        let s = |i: usize| self.one_string(&v[i]);
        Some(match f {
            F::Not => V::Bool(!self.ebv(&v[0])?),
            F::Boolean => V::Bool(self.ebv(&v[0])?),
            F::True => V::Bool(true),
            F::False => V::Bool(false),
            F::Exists | F::Empty => {
                let len = match &v[0] {
                    V::Nodes(n) => n.len(),
                    V::Strs(s) => s.len(),
                    _ => 1,
                };
                V::Bool((len > 0) == (f == F::Exists))
            }
            F::Count => V::Num(match &v[0] {
                V::Nodes(n) => n.len(),
                V::Strs(s) => s.len(),
                _ => 1,
            } as f64),
            F::NormalizeSpace => V::Strs(vec![normalize_space(&s(0)?)]),
            F::StringLength => V::Num(s(0)?.chars().count() as f64),
            F::String => V::Strs(vec![s(0)?]),
            F::Contains => V::Bool(s(0)?.contains(s(1)?.as_str())),
            F::StartsWith => V::Bool(s(0)?.starts_with(s(1)?.as_str())),
            F::EndsWith => V::Bool(s(0)?.ends_with(s(1)?.as_str())),
            F::Name | F::LocalName => V::Strs(vec![match self.one_node(&v[0])? {
                None => String::new(),
                Some(m) if f == F::Name => self.lexical_name(m)?,
                Some(m) => self.local_name(m),
            }]),
            F::Substring => {
                let text = s(0)?;
                let int = |i: usize| match &args[i] {
                    X::Int(k) => Some(*k),
                    _ => None,
                };
                let start = int(1)?;
                let end = match args.len() {
                    3 => Some(start.checked_add(int(2)?)?),
                    _ => None,
                };
                // characters at positions p (from 1) with start <= p < end
                let out: String = text
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| {
                        let p = *i as i64 + 1;
                        p >= start && end.is_none_or(|e| p < e)
                    })
                    .map(|(_, c)| c)
                    .collect();
                V::Strs(vec![out])
            }
            F::TokenizeSpace => {
                let text = s(0)?;
                if text.is_empty() {
                    V::Strs(Vec::new())
                } else {
                    V::Strs(text.split(' ').map(str::to_string).collect())
                }
            }
            F::Id => {
                let refs: Vec<String> = match &v[0] {
                    V::Nodes(n) => n.iter().map(|m| self.string_value(*m)).collect(),
                    V::Strs(s) => s.clone(),
                    _ => return None,
                };
                let ids = self.ids();
                let mut out = Vec::new();
                for r in &refs {
                    for id in r.split_whitespace() {
                        match ids.get(id) {
                            None => {}
                            // the same id twice: which one xee takes is not modelled
                            Some(None) => return None,
                            Some(Some(node)) => out.push(N { id: *node, attr: 0 }),
                        }
                    }
                }
                out.sort_unstable_by_key(|n| n.key());
                out.dedup();
                V::Nodes(out)
            }
        })
    }

    fn compare(&self, general: bool, op: Cmp, l: &V, r: &V) -> Option<V> {
        // atomised: (is a number, string, number)
        let atoms = |v: &V| -> Option<Vec<Atom>> {
            Some(match v {
                V::Nodes(n) => n
                    .iter()
                    .map(|m| {
                        self.tick(1)?;
                        Some(Atom::Untyped(self.string_value(*m)))
                    })
                    .collect::<Option<_>>()?,
                V::Strs(s) => s.iter().map(|x| Atom::Str(x.clone())).collect(),
                V::Num(x) => vec![Atom::Num(*x)],
                V::Bool(_) => return None,
            })
        };
        let (la, ra) = (atoms(l)?, atoms(r)?);
        if !general {
            return match (la.as_slice(), ra.as_slice()) {
                ([], _) | (_, []) => Some(V::Nodes(Vec::new())),
                ([a], [b]) => Some(V::Bool(atom_cmp(false, op, a, b)?)),
                _ => None,
            };
        }
        let mut any = false;
        for a in &la {
            self.tick(1 + ra.len())?;
            for b in &ra {
                // every pair is compared: an error in any of them is an error
                any |= atom_cmp(true, op, a, b)?;
            }
        }
        Some(V::Bool(any))
    }
}

enum Atom {
    Untyped(String),
    Str(String),
    Num(f64),
}

fn atom_cmp(general: bool, op: Cmp, a: &Atom, b: &Atom) -> Option<bool> {
    use std::cmp::Ordering;
    let num = |s: &str| -> Option<f64> {
        // xs:double from an untyped value: plain decimal numerals only (else not modelled)
        let t = s.trim_matches(|c| c == ' ' || c == '\t' || c == '\n' || c == '\r');
        let body = t
            .strip_prefix('-')
            .or_else(|| t.strip_prefix('+'))
            .unwrap_or(t);
        if body.is_empty()
            || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
            || body.chars().filter(|c| *c == '.').count() > 1
            || body == "."
        {
            return None;
        }
        t.parse().ok()
    };
    let ord: Option<Ordering> = match (a, b) {
        (Atom::Untyped(x) | Atom::Str(x), Atom::Untyped(y) | Atom::Str(y)) => Some(x.cmp(y)),
        (Atom::Num(x), Atom::Num(y)) => x.partial_cmp(y),
        // general comparisons cast an untyped value to the number's type; a value comparison
        // casts it to xs:string, which does not compare with a number (an error)
        (Atom::Untyped(x), Atom::Num(y)) if general => num(x)?.partial_cmp(y),
        (Atom::Num(x), Atom::Untyped(y)) if general => x.partial_cmp(&num(y)?),
        _ => return None,
    };
    Some(match ord {
        // NaN: every comparison false but `ne`
        None => op == Cmp::Ne,
        Some(o) => match op {
            Cmp::Eq => o == Ordering::Equal,
            Cmp::Ne => o != Ordering::Equal,
            Cmp::Lt => o == Ordering::Less,
            Cmp::Le => o != Ordering::Greater,
            Cmp::Gt => o == Ordering::Greater,
            Cmp::Ge => o != Ordering::Less,
        },
    })
}

/// XPath's `normalize-space`: XML white space (space, tab, CR, LF) collapsed and trimmed.
fn normalize_space(s: &str) -> String {
    s.split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Variables in scope: (namespace, local name, value); later ones shadow earlier ones.
pub type Vars = Vec<(String, String, V)>;

#[cfg(test)]
mod tests {
    use super::*;

    const TEI: &str = "http://www.tei-c.org/ns/1.0";

    fn run(xml: &str, at: &str, xpath: &str) -> Option<bool> {
        let doc = super::super::light::Light::parse(xml).unwrap();
        let d = Doc::new(&doc);
        let node = doc
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == at)
            .unwrap();
        let ns = vec![("tei".to_string(), TEI.to_string())];
        let src = super::super::xpath::rewrite(xpath).unwrap();
        let x = compile(&src, &ns, &[]).unwrap_or_else(|| panic!("{xpath} does not compile"));
        d.ebv(&d.eval(&x, N::of(node), &Vec::new())?)
    }

    const DOC: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
        <p n="1">A <hi rend="b">b</hi> <addSpan spanTo="#e"/> c<anchor xml:id="e"/></p>
        <msIdentifier><idno xmlns="">x</idno></msIdentifier>
        <list type="gloss"><item/></list><div xml:id="d" source="a  b"><p/></div>
        <relation active="#a" mutual="#b"/><dup xml:id="z"/><dup xml:id="z"/>
        <date calendar="x">  </date><link target="#a #b"/>
    </body></text></TEI>"##;

    /// Past its deadline the evaluator gives up (`None`) within a few thousand steps; before
    /// it, it answers.
    #[test]
    fn past_the_deadline_every_answer_is_unknown() {
        let xml = format!("<r>{}</r>", "<e/>".repeat(10_000));
        let doc = super::super::light::Light::parse(&xml).unwrap();
        let r = doc.descendants().find(|n| n.is_element()).unwrap();
        let x = compile("e[following-sibling::e]", &[], &[]).unwrap();
        let now = std::time::Instant::now();
        let late = Doc::new(&doc).with_deadline(now);
        assert!(late.eval(&x, N::of(r), &Vec::new()).is_none());
        let early = Doc::new(&doc).with_deadline(now + std::time::Duration::from_secs(3600));
        assert!(early.eval(&x, N::of(r), &Vec::new()).is_some());
    }

    /// `and`/`or` skip a right operand that cannot fail once the left decides, and evaluate
    /// one that may (a sequence of two strings has no boolean value: an error, `None`).
    #[test]
    fn a_decided_and_skips_only_a_right_operand_that_cannot_fail() {
        let x = |src: &str| {
            let ns = vec![("tei".to_string(), TEI.to_string())];
            compile(src, &ns, &[]).unwrap_or_else(|| panic!("{src} does not compile"))
        };
        assert!(sure(&x("ancestor::tei:l or not(parent::tei:x | tei:y[1])")));
        assert!(!sure(&x("@n = 'a'")));
        assert!(!sure(&x("tokenize(@source, ' ')")));
        assert_eq!(run(DOC, "p", "@m and parent::tei:x"), Some(false));
        assert_eq!(run(DOC, "p", "@n or parent::tei:x"), Some(true));
        assert_eq!(run(DOC, "div", "@m and tokenize(@source, ' ')"), None);
        assert_eq!(run(DOC, "div", "@source or tokenize(@source, ' ')"), None);
    }

    #[test]
    fn the_subset_is_evaluated_as_xpath_does() {
        let cases: &[(&str, &str, Option<bool>)] = &[
            ("p", "@n and not(@m)", Some(true)),
            ("p", "ancestor::tei:body", Some(true)),
            ("p", "ancestor::tei:l or ancestor::tei:p", Some(false)),
            ("p", "parent::tei:body | ancestor::tei:x", Some(true)),
            ("addSpan", "id( substring( @spanTo, 2 ) ) >> .", Some(true)),
            ("addSpan", "id( substring( @spanTo, 2 ) ) << .", Some(false)),
            ("addSpan", "@spanTo", Some(true)),
            ("msIdentifier", "child::*[1]/self::idno", Some(true)),
            ("msIdentifier", "child::*[1]/self::tei:idno", Some(false)),
            ("msIdentifier", "normalize-space(.) eq ''", Some(false)),
            ("list", "tei:label", Some(false)),
            ("list", "count( child::* ) > 0", Some(true)),
            ("relation", "@active and @mutual", Some(true)),
            ("relation", "@ref or @key or @name", Some(false)),
            (
                "date",
                "string-length( normalize-space(.) ) gt 0",
                Some(false),
            ),
            ("link", "contains(normalize-space(@target),' ')", Some(true)),
            (
                "div",
                "tokenize(normalize-space(@source), ' ')[2]",
                Some(true),
            ),
            (
                "div",
                "tokenize(normalize-space(@source), ' ')[3]",
                Some(false),
            ),
            ("div", "self::tei:div and count(tei:p) eq 1", Some(true)),
            ("hi", "preceding-sibling::*[ name(.) eq 'hi' ]", Some(false)),
            (
                "anchor",
                "preceding-sibling::*[ name(.) eq 'addSpan' ]",
                Some(true),
            ),
            ("p", "/tei:TEI/tei:text", Some(true)),
            ("p", "/tei:text", Some(false)),
            ("p", "@n = 1", Some(true)),
            ("p", "count(//tei:p) gt 1", Some(true)),
            ("p", "//tei:x | //tei:list", Some(true)),
            ("p", "//tei:list/tei:item", Some(true)),
            ("p", "@n eq 1", None),
            ("p", "@rend = 1", Some(false)),
            ("hi", "@rend = 1", None),
            // `id()` of a value given to two elements is left to xee
            ("p", "id('z')", None),
            // more than one string where one is expected is an error
            ("div", "normalize-space(tokenize(@source, ' '))", None),
        ];
        for (at, xpath, want) in cases {
            assert_eq!(run(DOC, at, xpath), *want, "{xpath} on {at}");
        }
    }

    #[test]
    fn expressions_outside_the_subset_do_not_compile() {
        for src in [
            "@a + 1",
            "for $x in tei:p return $x",
            "some $x in tei:p satisfies $x",
            "matches(@a, 'x')",
            "tei:p[position() = 1]",
            "tei:p[last()]",
            "tei:p[count(tei:x)]",
            "@a cast as xs:integer",
            "tokenize(@a, '\\s+')",
            "substring(@a, 1.5)",
            "$x/tei:p[$y]",
            "//tei:div[1]",
            "count(descendant::tei:l)",
        ] {
            let ns = vec![("tei".to_string(), TEI.to_string())];
            let vars = vec![
                xot::xmlname::OwnedName::new("x".into(), String::new(), String::new()),
                xot::xmlname::OwnedName::new("y".into(), String::new(), String::new()),
            ];
            assert!(compile(src, &ns, &vars).is_none(), "{src}");
        }
    }
}
