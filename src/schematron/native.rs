//! Rule-context predicates decided without the XPath engine: the boolean forms TEI's rule
//! contexts use (`[@a and not(@b)]`, `[not(self::tei:x | self::tei:y)]`,
//! `[starts-with(@a, '#')]`, `[@a eq 'x']`, `[@a = ('x', 'y')]`, `[local-name() eq 'div']`).
//!
//! Only an expression whose every part is one of these forms becomes a [`Cond`]; anything else
//! (a path with more than one step, a function of another name, a variable, arithmetic) stays
//! an XPath predicate. Each form is evaluated exactly as XPath 2.0 defines it on the node
//! itself, with the codepoint collation: an attribute is at most one node, a missing one is the
//! empty sequence (a comparison with it is false, `starts-with` sees `""`), an untyped attribute
//! value compares with a string literal as a string.

use xee_name::FN_NAMESPACE;
use xee_xpath_ast::ast;
use xot::xmlname::NameStrInfo;
use xot::{Node, ValueType, Xot};

/// A predicate decided natively. Names are (namespace URI, local name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// `@a`: the node has the attribute.
    Has(String, String),
    /// `self::p:l`: the node is an element of that name.
    SelfName(String, String),
    /// `local-name() eq 'l'`.
    LocalName(String),
    /// `starts-with(@a, 'lit')`.
    StartsWith(String, String, String),
    /// `@a = ('x', …)` or `@a eq 'x'`: the attribute exists and its value is one of these.
    AttrIn(String, String, Vec<String>),
    /// `A and B`.
    And(Box<Cond>, Box<Cond>),
    /// `A or B` (also `A | B` of `self::` steps).
    Or(Box<Cond>, Box<Cond>),
    /// `not(A)`.
    Not(Box<Cond>),
}

/// The native form of a predicate expression, if it has one.
pub fn compile(e: &ast::ExprS) -> Option<Cond> {
    if let Some(l) = local_name_eq(e) {
        return Some(Cond::LocalName(l));
    }
    match e.value.0.as_slice() {
        [single] => single_expr(&single.value),
        _ => None,
    }
}

fn single_expr(e: &ast::ExprSingle) -> Option<Cond> {
    match e {
        ast::ExprSingle::Path(p) => path(p),
        ast::ExprSingle::Binary(b) => binary(b),
        _ => None,
    }
}

fn binary(b: &ast::BinaryExpr) -> Option<Cond> {
    use xee_xpath_ast::ast::BinaryOperator as Op;
    match b.operator {
        Op::And => Some(Cond::And(
            Box::new(path(&b.left)?),
            Box::new(path(&b.right)?),
        )),
        Op::Or | Op::Union => {
            let (l, r) = (path(&b.left)?, path(&b.right)?);
            if b.operator == Op::Union && !(is_node_test(&l) && is_node_test(&r)) {
                // a union of node sequences only: `@a | @b` is the same as `or`, a union of
                // booleans is an error
                return None;
            }
            Some(Cond::Or(Box::new(l), Box::new(r)))
        }
        Op::ValueEq | Op::GenEq => {
            let (ns, l) = attribute(&b.left)?;
            let values = if b.operator == Op::ValueEq {
                vec![string_literal(&b.right)?]
            } else {
                string_literals(&b.right)?
            };
            Some(Cond::AttrIn(ns, l, values))
        }
        Op::ValueNe | Op::GenNe | Op::ValueLt | Op::ValueLe | Op::ValueGt | Op::ValueGe => None,
        _ => None,
    }
}

/// Whether the condition stands for a node sequence (so that `|` of two is `or`).
fn is_node_test(c: &Cond) -> bool {
    match c {
        Cond::Has(..) | Cond::SelfName(..) => true,
        Cond::Or(a, b) => is_node_test(a) && is_node_test(b),
        _ => false,
    }
}

fn path(p: &ast::PathExpr) -> Option<Cond> {
    let [step] = p.steps.as_slice() else {
        return None;
    };
    match &step.value {
        ast::StepExpr::AxisStep(a) if a.predicates.is_empty() => {
            let ast::NodeTest::NameTest(ast::NameTest::Name(n)) = &a.node_test else {
                return None;
            };
            let name = (
                n.value.namespace().to_string(),
                n.value.local_name().to_string(),
            );
            match a.axis {
                ast::Axis::Attribute => Some(Cond::Has(name.0, name.1)),
                ast::Axis::Self_ => Some(Cond::SelfName(name.0, name.1)),
                _ => None,
            }
        }
        ast::StepExpr::PrimaryExpr(prim) => match &prim.value {
            ast::PrimaryExpr::Expr(inner) => match inner.value.as_ref().map(|e| e.0.as_slice()) {
                Some([single]) => single_expr(&single.value),
                _ => None,
            },
            ast::PrimaryExpr::FunctionCall(f) => call(f),
            _ => None,
        },
        _ => None,
    }
}

fn call(f: &ast::FunctionCall) -> Option<Cond> {
    let ns = f.name.value.namespace();
    if ns != FN_NAMESPACE {
        return None;
    }
    match (f.name.value.local_name(), f.arguments.as_slice()) {
        ("not", [a]) => Some(Cond::Not(Box::new(single_expr(&a.value)?))),
        ("starts-with", [a, lit]) => {
            let ast::ExprSingle::Path(ap) = &a.value else {
                return None;
            };
            let ast::ExprSingle::Path(lp) = &lit.value else {
                return None;
            };
            let (ns, l) = attribute(ap)?;
            Some(Cond::StartsWith(ns, l, string_literal(lp)?))
        }
        _ => None,
    }
}

/// `@a` (a single attribute step without predicates).
fn attribute(p: &ast::PathExpr) -> Option<(String, String)> {
    match path(p)? {
        Cond::Has(ns, l) => Some((ns, l)),
        _ => None,
    }
}

/// `'x'`.
fn string_literal(p: &ast::PathExpr) -> Option<String> {
    let [step] = p.steps.as_slice() else {
        return None;
    };
    match &step.value {
        ast::StepExpr::PrimaryExpr(prim) => match &prim.value {
            ast::PrimaryExpr::Literal(ast::Literal::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `'x'` or `('x', 'y', …)`.
fn string_literals(p: &ast::PathExpr) -> Option<Vec<String>> {
    if let Some(s) = string_literal(p) {
        return Some(vec![s]);
    }
    let [step] = p.steps.as_slice() else {
        return None;
    };
    let ast::StepExpr::PrimaryExpr(prim) = &step.value else {
        return None;
    };
    let ast::PrimaryExpr::Expr(inner) = &prim.value else {
        return None;
    };
    inner
        .value
        .as_ref()?
        .0
        .iter()
        .map(|e| match &e.value {
            ast::ExprSingle::Path(p) => string_literal(p),
            _ => None,
        })
        .collect()
}

/// `((e))` as `e`.
fn unparenthesised(e: &ast::ExprSingle) -> &ast::ExprSingle {
    if let ast::ExprSingle::Path(p) = e {
        if let [step] = p.steps.as_slice() {
            if let ast::StepExpr::PrimaryExpr(prim) = &step.value {
                if let ast::PrimaryExpr::Expr(inner) = &prim.value {
                    if let Some([one]) = inner.value.as_ref().map(|x| x.0.as_slice()) {
                        return unparenthesised(&one.value);
                    }
                }
            }
        }
    }
    e
}

/// Whether the expression's value is a boolean or a node sequence, never a number: as a
/// predicate it filters by its effective boolean value, not by position, so it may move from
/// a parenthesised union to each of its alternatives.
pub fn never_numeric(e: &ast::ExprS) -> bool {
    match e.value.0.as_slice() {
        [single] => single_never_numeric(&single.value),
        _ => false,
    }
}

fn single_never_numeric(e: &ast::ExprSingle) -> bool {
    use xee_xpath_ast::ast::BinaryOperator as Op;
    match e {
        ast::ExprSingle::Quantified(_) => true,
        ast::ExprSingle::Binary(b) => {
            matches!(
                b.operator,
                Op::And
                    | Op::Or
                    | Op::ValueEq
                    | Op::ValueNe
                    | Op::ValueLt
                    | Op::ValueLe
                    | Op::ValueGt
                    | Op::ValueGe
                    | Op::GenEq
                    | Op::GenNe
                    | Op::GenLt
                    | Op::GenLe
                    | Op::GenGt
                    | Op::GenGe
                    | Op::Is
                    | Op::Precedes
                    | Op::Follows
            ) || (matches!(b.operator, Op::Union | Op::Intersect | Op::Except)
                && path_never_numeric(&b.left)
                && path_never_numeric(&b.right))
        }
        ast::ExprSingle::Path(p) => path_never_numeric(p),
        _ => false,
    }
}

fn path_never_numeric(p: &ast::PathExpr) -> bool {
    match p.steps.as_slice() {
        [] => false,
        [single] => match &single.value {
            ast::StepExpr::AxisStep(_) => true,
            ast::StepExpr::PrimaryExpr(prim) => match &prim.value {
                ast::PrimaryExpr::Expr(inner) => match inner.value.as_ref().map(|e| e.0.as_slice())
                {
                    Some([one]) => single_never_numeric(&one.value),
                    _ => false,
                },
                ast::PrimaryExpr::FunctionCall(f) => {
                    f.name.value.namespace() == FN_NAMESPACE
                        && matches!(
                            f.name.value.local_name(),
                            "not"
                                | "exists"
                                | "empty"
                                | "boolean"
                                | "true"
                                | "false"
                                | "starts-with"
                                | "ends-with"
                                | "contains"
                                | "matches"
                        )
                }
                _ => false,
            },
            ast::StepExpr::PostfixExpr { .. } => false,
        },
        // a path whose last step is an axis step gives nodes
        steps => steps
            .last()
            .is_some_and(|s| matches!(s.value, ast::StepExpr::AxisStep(_))),
    }
}

/// Recognises `local-name() eq 'l'`.
pub fn local_name_eq(e: &ast::ExprS) -> Option<String> {
    let [single] = e.value.0.as_slice() else {
        return None;
    };
    let ast::ExprSingle::Binary(b) = unparenthesised(&single.value) else {
        return None;
    };
    if b.operator != ast::BinaryOperator::ValueEq {
        return None;
    }
    let [step] = b.left.steps.as_slice() else {
        return None;
    };
    let ast::StepExpr::PrimaryExpr(prim) = &step.value else {
        return None;
    };
    let ast::PrimaryExpr::FunctionCall(f) = &prim.value else {
        return None;
    };
    if f.name.value.namespace() != FN_NAMESPACE
        || f.name.value.local_name() != "local-name"
        || !f.arguments.is_empty()
    {
        return None;
    }
    string_literal(&b.right)
}

fn attr_value<'x>(xot: &'x Xot, n: Node, ns: &str, l: &str) -> Option<&'x str> {
    let attrs = xot.attributes(n);
    for (id, v) in attrs.iter() {
        let (al, ans) = xot.name_ns_str(id);
        if al == l && ans == ns {
            return Some(v.as_str());
        }
    }
    None
}

impl Cond {
    /// An attribute without which the condition is false.
    pub fn required_attribute(&self) -> Option<(String, String)> {
        match self {
            Cond::Has(ns, l) | Cond::AttrIn(ns, l, _) => Some((ns.clone(), l.clone())),
            Cond::StartsWith(ns, l, lit) if !lit.is_empty() => Some((ns.clone(), l.clone())),
            Cond::And(a, b) => a.required_attribute().or_else(|| b.required_attribute()),
            _ => None,
        }
    }

    /// The predicate's effective boolean value with `n` as the context item.
    pub fn eval(&self, xot: &Xot, n: Node) -> bool {
        match self {
            Cond::Has(ns, l) => attr_value(xot, n, ns, l).is_some(),
            Cond::SelfName(ns, l) => {
                xot.value_type(n) == ValueType::Element
                    && xot.node_name(n).is_some_and(|id| {
                        let (nl, nns) = xot.name_ns_str(id);
                        nl == l && nns == ns
                    })
            }
            Cond::LocalName(l) => xot
                .node_name(n)
                .is_some_and(|id| xot.local_name_str(id) == l),
            Cond::StartsWith(ns, l, lit) => attr_value(xot, n, ns, l)
                .unwrap_or("")
                .starts_with(lit.as_str()),
            Cond::AttrIn(ns, l, values) => {
                attr_value(xot, n, ns, l).is_some_and(|v| values.iter().any(|w| w == v))
            }
            Cond::And(a, b) => a.eval(xot, n) && b.eval(xot, n),
            Cond::Or(a, b) => a.eval(xot, n) || b.eval(xot, n),
            Cond::Not(a) => !a.eval(xot, n),
        }
    }

    /// [`Cond::eval`] on a node of the light tree ([`super::screen`]).
    pub fn eval_light(&self, n: super::light::Node) -> bool {
        let attr = |ns: &str, l: &str| {
            n.attributes()
                .find(|a| a.name() == l && a.namespace().unwrap_or("") == ns)
                .map(|a| a.value())
        };
        match self {
            Cond::Has(ns, l) => attr(ns, l).is_some(),
            Cond::SelfName(ns, l) => {
                n.is_element()
                    && n.tag_name().name() == l
                    && n.tag_name().namespace().unwrap_or("") == ns
            }
            Cond::LocalName(l) => {
                (n.is_element() && n.tag_name().name() == l)
                    || n.pi().is_some_and(|p| p.target == l)
            }
            Cond::StartsWith(ns, l, lit) => attr(ns, l).unwrap_or("").starts_with(lit.as_str()),
            Cond::AttrIn(ns, l, values) => {
                attr(ns, l).is_some_and(|v| values.iter().any(|w| w == v))
            }
            Cond::And(a, b) => a.eval_light(n) && b.eval_light(n),
            Cond::Or(a, b) => a.eval_light(n) || b.eval_light(n),
            Cond::Not(a) => !a.eval_light(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEI: &str = "http://www.tei-c.org/ns/1.0";

    /// The predicates of the last step of a pattern.
    fn preds(pattern: &str) -> Vec<ast::ExprS> {
        let mut ns = xee_name::Namespaces::default();
        ns.add(&[("tei", TEI)]);
        let names = xee_name::VariableNames::default();
        let p = xee_xpath_ast::Pattern::parse(pattern, &ns, &names).unwrap();
        let xee_xpath_ast::pattern::Pattern::Expr(xee_xpath_ast::pattern::ExprPattern::Path(path)) =
            &p
        else {
            panic!("{p:?}")
        };
        match path.steps.last().unwrap() {
            xee_xpath_ast::pattern::StepExpr::AxisStep(a) => a.predicates.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn cond(pattern: &str) -> Option<Cond> {
        compile(&preds(pattern)[0])
    }

    fn has(l: &str) -> Cond {
        Cond::Has(String::new(), l.into())
    }

    #[test]
    fn the_forms_of_tei_rule_contexts_compile() {
        assert_eq!(
            cond("tei:*[ @minOccurs and not( @maxOccurs ) ]"),
            Some(Cond::And(
                Box::new(has("minOccurs")),
                Box::new(Cond::Not(Box::new(has("maxOccurs"))))
            ))
        );
        assert_eq!(
            cond("tei:*[ starts-with( @spanTo, '#') ]"),
            Some(Cond::StartsWith(String::new(), "spanTo".into(), "#".into()))
        );
        assert_eq!(
            cond("tei:*[not(self::tei:schemaSpec)]"),
            Some(Cond::Not(Box::new(Cond::SelfName(
                TEI.into(),
                "schemaSpec".into()
            ))))
        );
        assert!(matches!(
            cond("tei:*[ not( self::tei:valDesc | self::tei:valList | self::tei:remarks )]"),
            Some(Cond::Not(_))
        ));
        assert_eq!(
            cond("tei:x[ @mode = ('add','replace') ]"),
            Some(Cond::AttrIn(
                String::new(),
                "mode".into(),
                vec!["add".into(), "replace".into()]
            ))
        );
        let ln = &preds("tei:*[local-name() eq 'div']")[0];
        assert_eq!(local_name_eq(ln), Some("div".into()), "{ln:#?}");
        // not decided natively: a longer path, a comparison other than equality, a count
        for other in [
            "tei:*[ancestor::tei:l]",
            "tei:*[@n ne 'x']",
            "tei:*[count(tei:x) gt 1]",
            "tei:*[@n = @m]",
            "tei:*[$v]",
            "tei:*[1]",
        ] {
            assert_eq!(cond(other), None, "{other}");
        }
        assert!(never_numeric(&preds("tei:*[ancestor::tei:l and @n]")[0]));
        assert!(never_numeric(
            &preds("tei:*[./descendant::tei:l | ./descendant::tei:p]")[0]
        ));
        assert!(!never_numeric(&preds("tei:*[count(tei:x)]")[0]));
        assert!(!never_numeric(&preds("tei:*[$v]")[0]));
    }

    #[test]
    fn conditions_are_evaluated_as_xpath_does() {
        let mut xot = Xot::new();
        let root = xot
            .parse(r##"<x xmlns="http://www.tei-c.org/ns/1.0" a="#b" m="add" e=""/>"##)
            .unwrap();
        let x = xot.document_element(root).unwrap();
        let sw = |l: &str, lit: &str| Cond::StartsWith(String::new(), l.into(), lit.into());
        assert!(sw("a", "#").eval(&xot, x));
        assert!(!sw("m", "#").eval(&xot, x));
        assert!(!sw("missing", "#").eval(&xot, x));
        // starts-with('', '') is true, also for a missing attribute
        assert!(sw("missing", "").eval(&xot, x));
        let is = |l: &str, v: &[&str]| {
            Cond::AttrIn(
                String::new(),
                l.into(),
                v.iter().map(|s| s.to_string()).collect(),
            )
        };
        assert!(is("m", &["x", "add"]).eval(&xot, x));
        assert!(!is("m", &["Add"]).eval(&xot, x));
        assert!(is("e", &[""]).eval(&xot, x));
        assert!(!is("missing", &[""]).eval(&xot, x));
        assert!(Cond::SelfName(TEI.into(), "x".into()).eval(&xot, x));
        assert!(!Cond::SelfName(String::new(), "x".into()).eval(&xot, x));
        assert!(Cond::LocalName("x".into()).eval(&xot, x));
        assert!(!Cond::Not(Box::new(has("a"))).eval(&xot, x));
    }
}
