//! Rule contexts (XSLT patterns) matched node by node, right to left, as an XSLT processor
//! matches template rules: the pattern is parsed once (xee's pattern grammar), name tests and
//! attribute-presence predicates are decided natively, other predicates are XPath expressions
//! evaluated with the node as context item (a numeric result compares with the node's
//! position). Patterns this matcher does not cover (rooted at `id()`, `key()`, `doc()` or a
//! variable, `position()`/`last()` in a predicate, a parenthesised step after the first) are
//! evaluated as an expression once per document instead ([`Context::Whole`]).

use xee_xpath_ast::ast;
use xee_xpath_ast::pattern as pat;
use xot::xmlname::NameStrInfo;

/// What a step's node test accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// An expanded name.
    Name(String, String),
    /// `p:*`: any name in a namespace.
    Namespace(String),
    /// `*:l`: a local name in any namespace.
    Local(String),
    /// `*`, `element()`, `attribute()`: any name of the axis' principal kind.
    AnyName,
    /// `node()`.
    Node,
    /// `text()`.
    Text,
    /// `comment()`.
    Comment,
    /// `processing-instruction()` (with its target, if given).
    Pi(Option<String>),
    /// `document-node()`.
    Document,
}

/// The axis of a pattern step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// `child::` (the default).
    Child,
    /// `descendant::`.
    Descendant,
    /// `@`, `attribute::`.
    Attribute,
    /// `self::`.
    SelfAxis,
    /// `descendant-or-self::` (also the `//` between two steps).
    DescendantOrSelf,
}

/// A predicate of a step.
#[derive(Debug, Clone)]
pub enum Predicate {
    /// `[@name]`: the element has this attribute.
    HasAttribute(String, String),
    /// `[3]`: the node's position among its siblings that pass the step so far.
    Position(usize),
    /// A boolean expression decided without the XPath engine ([`super::native`]).
    Native(super::native::Cond),
    /// Any other expression, by its slot (see [`super::plan`]).
    XPath(usize),
}

/// A step.
#[derive(Debug, Clone)]
pub struct Step {
    /// The axis.
    pub axis: Axis,
    /// The node test.
    pub test: Test,
    /// The predicates, in order.
    pub predicates: Vec<Predicate>,
}

/// A compiled rule context.
#[derive(Debug, Clone)]
pub enum Context {
    /// Alternatives (`a | b`).
    Union(Vec<Context>),
    /// A path: `absolute` when it starts with `/`.
    Path {
        /// Starts with a single `/`.
        absolute: bool,
        /// The steps, left to right.
        steps: Vec<Step>,
    },
    /// Evaluated as an expression once per document (the slot of the expression).
    Whole(usize),
}

/// Turns a parsed pattern into a [`Context`]; `slot` registers an XPath predicate (its source)
/// and returns its slot; `whole` registers the whole pattern as one expression.
pub fn compile(
    pattern: &pat::Pattern<ast::ExprS>,
    source: &str,
    slot: &mut dyn FnMut(&str) -> usize,
) -> Option<Context> {
    match pattern {
        pat::Pattern::Predicate(_) => None,
        pat::Pattern::Expr(e) => expr(e, source, slot),
    }
}

fn expr(
    e: &pat::ExprPattern<ast::ExprS>,
    source: &str,
    slot: &mut dyn FnMut(&str) -> usize,
) -> Option<Context> {
    match e {
        pat::ExprPattern::BinaryExpr(b) if b.operator == pat::Operator::Union => {
            let mut alts = Vec::new();
            for side in [&b.left, &b.right] {
                match expr(side, source, slot)? {
                    Context::Union(v) => alts.extend(v),
                    c => alts.push(c),
                }
            }
            Some(Context::Union(alts))
        }
        pat::ExprPattern::BinaryExpr(_) => None,
        pat::ExprPattern::Path(p) => {
            let absolute = match &p.root {
                pat::PathRoot::AbsoluteSlash => true,
                pat::PathRoot::AbsoluteDoubleSlash | pat::PathRoot::Relative => false,
                pat::PathRoot::Rooted { .. } => return None,
            };
            let mut steps = Vec::new();
            for (i, s) in p.steps.iter().enumerate() {
                match s {
                    pat::StepExpr::AxisStep(a) => steps.push(step(a, source, slot)?),
                    pat::StepExpr::PostfixExpr(pf) if i == 0 && !absolute => {
                        // `(a | b)[pred]/c`: the parenthesised alternatives, each with the
                        // predicates, then the rest. A predicate moves to each alternative's
                        // last step only when it filters by its boolean value (never by
                        // position: `(a | b)[1]` counts in the union, not among siblings)
                        let mut preds = Vec::new();
                        for p in &pf.predicates {
                            let text = source.get(p.span.start..p.span.end)?;
                            if !super::native::never_numeric(p)
                                || text.contains("position()")
                                || text.contains("last()")
                            {
                                return None;
                            }
                            preds.push(predicate(p, text, slot));
                        }
                        let inner = with_predicates(expr(&pf.expr, source, slot)?, &preds)?;
                        let rest: Vec<Step> = p.steps[1..]
                            .iter()
                            .map(|s| match s {
                                pat::StepExpr::AxisStep(a) => step(a, source, slot),
                                pat::StepExpr::PostfixExpr(_) => None,
                            })
                            .collect::<Option<_>>()?;
                        return prepend(inner, &rest);
                    }
                    pat::StepExpr::PostfixExpr(_) => return None,
                }
            }
            Some(Context::Path { absolute, steps })
        }
    }
}

/// `(alternatives)[preds]`: each alternative's last step with the predicates after its own.
fn with_predicates(c: Context, preds: &[Predicate]) -> Option<Context> {
    if preds.is_empty() {
        return Some(c);
    }
    match c {
        Context::Union(v) => Some(Context::Union(
            v.into_iter()
                .map(|c| with_predicates(c, preds))
                .collect::<Option<_>>()?,
        )),
        Context::Path {
            absolute,
            mut steps,
        } => {
            steps.last_mut()?.predicates.extend(preds.iter().cloned());
            Some(Context::Path { absolute, steps })
        }
        Context::Whole(_) => None,
    }
}

/// `(alternatives)/rest`: each alternative path followed by `rest`.
fn prepend(inner: Context, rest: &[Step]) -> Option<Context> {
    match inner {
        Context::Union(v) => Some(Context::Union(
            v.into_iter()
                .map(|c| prepend(c, rest))
                .collect::<Option<_>>()?,
        )),
        Context::Path {
            absolute,
            mut steps,
        } => {
            steps.extend(rest.iter().cloned());
            Some(Context::Path { absolute, steps })
        }
        Context::Whole(_) => None,
    }
}

fn step(
    a: &pat::AxisStep<ast::ExprS>,
    source: &str,
    slot: &mut dyn FnMut(&str) -> usize,
) -> Option<Step> {
    let axis = match a.forward {
        pat::ForwardAxis::Child => Axis::Child,
        pat::ForwardAxis::Descendant => Axis::Descendant,
        pat::ForwardAxis::Attribute => Axis::Attribute,
        pat::ForwardAxis::Self_ => Axis::SelfAxis,
        pat::ForwardAxis::DescendantOrSelf => Axis::DescendantOrSelf,
        pat::ForwardAxis::Namespace => return None,
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
            ast::KindTest::Comment => Test::Comment,
            ast::KindTest::PI(None) => Test::Pi(None),
            ast::KindTest::Document(None) => Test::Document,
            ast::KindTest::Element(None) | ast::KindTest::Attribute(None) => Test::AnyName,
            _ => return None,
        },
    };
    let mut predicates = Vec::new();
    let mut test = test;
    let mut from = 0;
    // `p:*[local-name() eq 'div']` (how [`super::xpath`] writes `p:div`) is the name `p:div`
    if let (Test::Namespace(ns), Some(first)) = (&test, a.predicates.first()) {
        if let Some(l) = super::native::local_name_eq(first) {
            test = Test::Name(ns.clone(), l);
            from = 1;
        }
    }
    for p in &a.predicates[from..] {
        let text = source.get(p.span.start..p.span.end)?;
        if text.contains("position()") || text.contains("last()") {
            return None;
        }
        predicates.push(predicate(p, text, slot));
    }
    if axis == Axis::Descendant
        && predicates
            .iter()
            .any(|p| matches!(p, Predicate::Position(_)))
    {
        return None;
    }
    Some(Step {
        axis,
        test,
        predicates,
    })
}

fn predicate(p: &ast::ExprS, text: &str, slot: &mut dyn FnMut(&str) -> usize) -> Predicate {
    if let Some(super::native::Cond::Has(ns, l)) = super::native::compile(p) {
        return Predicate::HasAttribute(ns, l);
    }
    if let Some(c) = super::native::compile(p) {
        return Predicate::Native(c);
    }
    if let [single] = p.value.0.as_slice() {
        if let ast::ExprSingle::Path(path) = &single.value {
            if let [s] = path.steps.as_slice() {
                match &s.value {
                    ast::StepExpr::AxisStep(a)
                        if a.axis == ast::Axis::Attribute && a.predicates.is_empty() =>
                    {
                        if let ast::NodeTest::NameTest(ast::NameTest::Name(n)) = &a.node_test {
                            return Predicate::HasAttribute(
                                n.value.namespace().to_string(),
                                n.value.local_name().to_string(),
                            );
                        }
                    }
                    ast::StepExpr::PrimaryExpr(prim) => {
                        if let ast::PrimaryExpr::Literal(ast::Literal::Integer(i)) = &prim.value {
                            if let Ok(n) = usize::try_from(i) {
                                return Predicate::Position(n);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Predicate::XPath(slot(text))
}

/// A context's last step as the rule index sees it: its node test, whether it is on the
/// attribute axis, and an attribute the node must have (namespace, local name).
pub type LastStep<'a> = (&'a Test, bool, Option<(String, String)>);

impl Context {
    /// Per alternative: the last step's node test, whether it is on the attribute axis, and
    /// an attribute the node must have for the step's predicates to hold (`tei:*[@when]`).
    pub fn last_steps(&self) -> Vec<LastStep<'_>> {
        match self {
            Context::Union(v) => v.iter().flat_map(Context::last_steps).collect(),
            Context::Path { steps, .. } => match steps.last() {
                Some(s) => vec![(
                    &s.test,
                    s.axis == Axis::Attribute,
                    s.predicates.iter().find_map(|p| match p {
                        Predicate::HasAttribute(ns, l) => Some((ns.clone(), l.clone())),
                        Predicate::Native(c) => c.required_attribute(),
                        _ => None,
                    }),
                )],
                None => vec![(&Test::Document, false, None)],
            },
            Context::Whole(_) => vec![(&Test::Node, false, None)],
        }
    }

    /// The names a node must have to possibly match: `None` when any node might.
    /// Used to index rules by element name.
    pub fn last_tests(&self) -> Vec<&Test> {
        match self {
            Context::Union(v) => v.iter().flat_map(Context::last_tests).collect(),
            Context::Path { steps, .. } => match steps.last() {
                Some(s) => vec![&s.test],
                None => vec![&Test::Document],
            },
            Context::Whole(_) => vec![&Test::Node],
        }
    }
}
