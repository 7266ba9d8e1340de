//! A schema ready to run for one phase: every XPath expression rewritten, checked and numbered
//! (a *slot*), rule contexts compiled into matchers, variables put in order.
//!
//! The plan is plain data (`Send + Sync`): each thread compiles the slots it needs into xee
//! queries on first use ([`super::engine`]).

use super::context::{self, Context};
use super::dom::Origin;
use super::model::{Kind, Let, Part, Schema};
use super::xpath;
use super::SchemaProblem;
use xot::xmlname::OwnedName;

/// An expression to compile.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The rewritten source.
    pub source: String,
    /// The variables in scope.
    pub vars: Vec<OwnedName>,
    /// Where the expression is written.
    pub at: Origin,
    /// What it is ("test", "rule context", "value-of"…), for messages.
    pub what: &'static str,
}

/// A variable's value: an expression or fixed text.
#[derive(Debug, Clone)]
pub enum Value {
    /// `@value`.
    Expr(usize),
    /// The `let` element's text.
    Text(String),
}

/// A piece of a message.
#[derive(Debug, Clone)]
pub enum MPart {
    /// Literal text.
    Text(String),
    /// `value-of`.
    Value(usize),
    /// `name` (`path`, else the context node's name).
    Name(Option<usize>),
}

/// An assert or report.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    /// Assert or report.
    pub kind: Kind,
    /// The test's slot.
    pub test: usize,
    /// The message.
    pub message: Vec<MPart>,
    /// The `subject` slot.
    pub subject: Option<usize>,
    /// Diagnostics referred to: (id, message).
    pub diagnostics: Vec<(String, Vec<MPart>)>,
}

/// A rule.
#[derive(Debug, Clone)]
pub struct RulePlan {
    /// The compiled context.
    pub context: Context,
    /// The rule's variables in order.
    pub lets: Vec<(OwnedName, Value)>,
    /// The checks, as in the schema's rule.
    pub checks: Vec<CheckPlan>,
}

/// A pattern.
#[derive(Debug, Clone)]
pub struct PatternPlan {
    /// Index in [`Schema::patterns`].
    pub index: usize,
    /// The rules in order.
    pub rules: Vec<RulePlan>,
}

/// A schema's plan for one phase.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `sch:ns` bindings (plus the expression scopes' prefixes when no `sch:ns` binds them).
    pub namespaces: Vec<(String, String)>,
    /// Every expression.
    pub slots: Vec<Slot>,
    /// Schema, phase and pattern variables, in order (evaluated once per document).
    pub globals: Vec<(OwnedName, Value)>,
    /// The active patterns.
    pub patterns: Vec<PatternPlan>,
}

struct Builder<'s> {
    schema: &'s Schema,
    namespaces: Vec<(String, String)>,
    slots: Vec<Slot>,
}

impl Builder<'_> {
    fn slot(
        &mut self,
        e: &super::model::Expr,
        vars: &[OwnedName],
        what: &'static str,
    ) -> Result<usize, SchemaProblem> {
        let source = xpath::rewrite(&e.source).map_err(|why| SchemaProblem {
            at: e.at.clone(),
            message: format!("{what} `{}`: {why}", e.source.trim()),
        })?;
        self.slots.push(Slot {
            source,
            vars: vars.to_vec(),
            at: e.at.clone(),
            what,
        });
        Ok(self.slots.len() - 1)
    }

    fn value(&mut self, l: &Let, vars: &[OwnedName]) -> Result<(OwnedName, Value), SchemaProblem> {
        let v = match &l.value {
            Some(e) => Value::Expr(self.slot(e, vars, "let")?),
            None => Value::Text(l.content.clone()),
        };
        Ok((xpath::var_name(&l.name), v))
    }

    fn message(&mut self, parts: &[Part], vars: &[OwnedName]) -> Result<Vec<MPart>, SchemaProblem> {
        parts
            .iter()
            .map(|p| {
                Ok(match p {
                    Part::Text(t) => MPart::Text(t.clone()),
                    Part::ValueOf(e) => {
                        let slot = self.slot(e, vars, "value-of")?;
                        // the values as one string, space-separated (XSLT's value-of)
                        let s = &mut self.slots[slot].source;
                        *s = format!("string-join(({s}) ! string(.), ' ')");
                        MPart::Value(slot)
                    }
                    Part::Name(None) => MPart::Name(None),
                    Part::Name(Some(e)) => MPart::Name(Some(self.slot(e, vars, "name path")?)),
                })
            })
            .collect()
    }

    fn context(
        &mut self,
        e: &super::model::Expr,
        vars: &[OwnedName],
    ) -> Result<Context, SchemaProblem> {
        let src = xpath::rewrite(&e.source).map_err(|why| SchemaProblem {
            at: e.at.clone(),
            message: format!("rule context `{}`: {why}", e.source.trim()),
        })?;
        let mut ns = xee_name::Namespaces::default();
        let pairs: Vec<(&str, &str)> = self
            .namespaces
            .iter()
            .map(|(p, u)| (p.as_str(), u.as_str()))
            .collect();
        ns.add(&pairs);
        let names: xee_name::VariableNames = vars.iter().cloned().collect();
        let parsed =
            xee_xpath_ast::Pattern::parse(&src, &ns, &names).map_err(|err| SchemaProblem {
                at: e.at.clone(),
                message: format!(
                    "rule context `{}` is not an XSLT pattern (at character {} of `{src}`)",
                    e.source.trim(),
                    err.span().start + 1
                ),
            })?;
        let mut preds: Vec<String> = Vec::new();
        let compiled = context::compile(&parsed, &src, &mut |text: &str| {
            preds.push(text.to_string());
            usize::MAX - (preds.len() - 1)
        });
        // register the predicates as slots (placeholders above are replaced)
        let base = self.slots.len();
        for p in &preds {
            self.slots.push(Slot {
                source: p.clone(),
                vars: vars.to_vec(),
                at: e.at.clone(),
                what: "rule context predicate",
            });
        }
        let fix = |s: usize| {
            if s > usize::MAX / 2 {
                base + (usize::MAX - s)
            } else {
                s
            }
        };
        match compiled {
            Some(c) => Ok(renumber(c, &fix)),
            None => {
                let whole = if src.trim_start().starts_with('/') {
                    src.clone()
                } else {
                    format!("//({src})")
                };
                self.slots.push(Slot {
                    source: whole,
                    vars: vars.to_vec(),
                    at: e.at.clone(),
                    what: "rule context",
                });
                Ok(Context::Whole(self.slots.len() - 1))
            }
        }
    }
}

fn renumber(c: Context, fix: &dyn Fn(usize) -> usize) -> Context {
    match c {
        Context::Union(v) => Context::Union(v.into_iter().map(|c| renumber(c, fix)).collect()),
        Context::Whole(s) => Context::Whole(fix(s)),
        Context::Path { absolute, steps } => Context::Path {
            absolute,
            steps: steps
                .into_iter()
                .map(|mut s| {
                    for p in &mut s.predicates {
                        if let context::Predicate::XPath(n) = p {
                            *n = fix(*n);
                        }
                    }
                    s
                })
                .collect(),
        },
    }
}

/// Why a schema cannot be planned.
#[derive(Debug)]
pub enum PlanError {
    /// The phase asked for does not exist.
    Phase(String),
    /// Something in the schema.
    Problem(SchemaProblem),
}

/// Plans `schema` for `phase` (`None`: its default phase, else every pattern).
pub fn plan(schema: &Schema, phase: Option<&str>) -> Result<Plan, PlanError> {
    let (patterns, phase_lets) = schema.active(phase).map_err(PlanError::Phase)?;
    let mut namespaces = schema.namespaces.clone();
    let mut b = Builder {
        schema,
        namespaces: Vec::new(),
        slots: Vec::new(),
    };
    // prefixes declared around expressions, where sch:ns does not bind them
    for p in &schema.patterns {
        for r in &p.rules {
            for (pre, uri) in r.context.scope.iter() {
                if !namespaces.iter().any(|(q, _)| q == pre) && pre != "xml" {
                    namespaces.push((pre.clone(), uri.clone()));
                }
            }
        }
    }
    b.namespaces = namespaces.clone();
    let _ = b.schema;
    let result = (|| -> Result<Plan, SchemaProblem> {
        // every global is visible everywhere (XSLT global variables)
        let mut global_lets: Vec<&Let> = schema.lets.iter().collect();
        global_lets.extend(phase_lets.iter().copied());
        for p in &patterns {
            global_lets.extend(p.lets.iter());
        }
        let global_names: Vec<OwnedName> = global_lets
            .iter()
            .map(|l| xpath::var_name(&l.name))
            .collect();
        let mut globals = Vec::new();
        for l in &global_lets {
            globals.push(b.value(l, &global_names)?);
        }
        let mut pplans = Vec::new();
        for p in &patterns {
            let index = schema
                .patterns
                .iter()
                .position(|q| std::ptr::eq(q, *p))
                .unwrap_or(0);
            let mut rules = Vec::new();
            for r in &p.rules {
                let context = b.context(&r.context, &global_names)?;
                let mut vars = global_names.clone();
                vars.push(xpath::current_name());
                let mut lets = Vec::new();
                for l in &r.lets {
                    lets.push(b.value(l, &vars)?);
                    vars.push(xpath::var_name(&l.name));
                }
                let mut checks = Vec::new();
                for c in &r.checks {
                    let test = b.slot(
                        &c.test,
                        &vars,
                        if c.kind == Kind::Assert {
                            "assert test"
                        } else {
                            "report test"
                        },
                    )?;
                    let message = b.message(&c.message, &vars)?;
                    let subject = match &c.subject {
                        Some(s) => Some(b.slot(s, &vars, "subject")?),
                        None => None,
                    };
                    let mut diagnostics = Vec::new();
                    for id in &c.diagnostics {
                        let Some(d) = schema.diagnostics.get(id) else {
                            return Err(SchemaProblem {
                                at: c.at.clone(),
                                message: format!(
                                    "diagnostics=\"{id}\": no sch:diagnostic has that id"
                                ),
                            });
                        };
                        diagnostics.push((id.clone(), b.message(&d.message, &vars)?));
                    }
                    checks.push(CheckPlan {
                        kind: c.kind,
                        test,
                        message,
                        subject,
                        diagnostics,
                    });
                }
                rules.push(RulePlan {
                    context,
                    lets,
                    checks,
                });
            }
            pplans.push(PatternPlan { index, rules });
        }
        Ok(Plan {
            namespaces: namespaces.clone(),
            slots: std::mem::take(&mut b.slots),
            globals,
            patterns: pplans,
        })
    })();
    result.map_err(PlanError::Problem)
}
