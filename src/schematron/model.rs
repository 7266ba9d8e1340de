//! A Schematron schema as teikit runs it: patterns of rules of asserts and reports, with
//! abstract patterns instantiated (`is-a` and `param`) and abstract rules inlined (`extends`),
//! variables (`let`) at every level, phases, diagnostics and the query binding.

use super::dom::{El, Node, Origin, SCH_NS, XSL_NS};
use super::SchemaProblem;
use std::collections::HashMap;

/// The XPath language a schema's expressions are written in (`queryBinding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `xslt`: XPath 1.0 (evaluated by the XPath 3.1 engine, which reads almost every 1.0
    /// expression the same way).
    Xpath1,
    /// `xslt2`, `xpath2`: XPath 2.0.
    Xpath2,
    /// `xslt3`, `xpath3`, `xpath31`: XPath 3.1.
    Xpath3,
}

/// An XPath expression of the schema, with what it needs to compile.
#[derive(Debug, Clone)]
pub struct Expr {
    /// The expression as written (after abstract-pattern parameters are replaced).
    pub source: String,
    /// Prefixes declared on the schema elements around it (used where no `sch:ns` binds one).
    pub scope: std::sync::Arc<Vec<(String, String)>>,
    /// Where it is written.
    pub at: Origin,
    /// Index in [`Schema::exprs`]-order (unique per schema): the key of its compiled form.
    pub index: usize,
}

/// A variable.
#[derive(Debug, Clone)]
pub struct Let {
    /// Its name (without `$`).
    pub name: String,
    /// `@value`, or `None` for a variable whose value is the element's content (a string).
    pub value: Option<Expr>,
    /// The content, for a `let` without `@value`.
    pub content: String,
}

/// One piece of an assert's or report's text.
#[derive(Debug, Clone)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// `sch:value-of select` (the atomized values, space-separated).
    ValueOf(Expr),
    /// `sch:name` (`path` or the context node).
    Name(Option<Expr>),
}

/// `assert` or `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Fires when its test is false.
    Assert,
    /// Fires when its test is true.
    Report,
}

/// An assert or a report.
#[derive(Debug, Clone)]
pub struct Check {
    /// Assert or report.
    pub kind: Kind,
    /// `@test`.
    pub test: Expr,
    /// The text, with its `value-of` and `name`.
    pub message: Vec<Part>,
    /// `@id`.
    pub id: Option<String>,
    /// `@role` (the check's, else the rule's).
    pub role: Option<String>,
    /// `@flag` (the check's, else the rule's).
    pub flag: Option<String>,
    /// `@subject` (the check's, else the rule's): the node the finding is about.
    pub subject: Option<Expr>,
    /// `@diagnostics`: ids of `sch:diagnostic` elements.
    pub diagnostics: Vec<String>,
    /// `xml:lang` in scope.
    pub lang: Option<String>,
    /// Where it is written.
    pub at: Origin,
}

/// A rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `@id`.
    pub id: Option<String>,
    /// `@context`, an XSLT pattern.
    pub context: Expr,
    /// Its variables, in order.
    pub lets: Vec<Let>,
    /// Its asserts and reports, in order.
    pub checks: Vec<Check>,
    /// `@role`.
    pub role: Option<String>,
    /// `@flag`.
    pub flag: Option<String>,
    /// Where it is written.
    pub at: Origin,
}

/// A pattern: for each node, the first of its rules whose context matches fires.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// `@id`.
    pub id: Option<String>,
    /// `sch:title`, white space normalised.
    pub title: Option<String>,
    /// Its variables (evaluated once per document).
    pub lets: Vec<Let>,
    /// Its rules, in order.
    pub rules: Vec<Rule>,
    /// Where it is written.
    pub at: Origin,
}

/// A phase: the patterns it activates.
#[derive(Debug, Clone)]
pub struct Phase {
    /// `@id`.
    pub id: String,
    /// Ids of the active patterns.
    pub active: Vec<String>,
    /// Its variables.
    pub lets: Vec<Let>,
}

/// A diagnostic (`sch:diagnostics/sch:diagnostic`) that asserts and reports refer to.
#[derive(Debug, Clone)]
pub struct DiagnosticText {
    /// Its text.
    pub message: Vec<Part>,
}

/// A whole schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The query binding.
    pub binding: Binding,
    /// `sch:title`, white space normalised.
    pub title: Option<String>,
    /// `@schemaVersion`.
    pub schema_version: Option<String>,
    /// `sch:ns` bindings, in order.
    pub namespaces: Vec<(String, String)>,
    /// Schema-level variables.
    pub lets: Vec<Let>,
    /// The concrete patterns, in order.
    pub patterns: Vec<Pattern>,
    /// The phases.
    pub phases: Vec<Phase>,
    /// `@defaultPhase`.
    pub default_phase: Option<String>,
    /// Diagnostics by id.
    pub diagnostics: HashMap<String, DiagnosticText>,
    /// How many expressions the schema has ([`Expr::index`] is below this).
    pub expr_count: usize,
    /// `xsl:key` and `xsl:function` elements found (teikit does not run them).
    pub xslt_elements: Vec<(String, Origin)>,
}

/// Builds a schema from a `sch:schema` element.
pub fn build(root: &El) -> Result<Schema, SchemaProblem> {
    if !root.is_sch("schema") {
        return Err(SchemaProblem {
            at: root.at.clone(),
            message: format!(
                "the root element is <{}> in {}, not an ISO Schematron <schema> ({SCH_NS})",
                root.name,
                if root.ns.is_empty() {
                    "no namespace"
                } else {
                    &root.ns
                }
            ),
        });
    }
    let binding = match root.attr("queryBinding").map(str::to_ascii_lowercase).as_deref() {
        None | Some("xslt") | Some("xpath") => Binding::Xpath1,
        Some("xslt2") | Some("xpath2") => Binding::Xpath2,
        Some("xslt3") | Some("xpath3") | Some("xpath31") => Binding::Xpath3,
        Some(other) => {
            return Err(SchemaProblem {
                at: root.at.clone(),
                message: format!(
                    "queryBinding `{other}` is not supported (xslt, xslt2, xslt3, xpath, xpath2, xpath3, xpath31 are)"
                ),
            })
        }
    };
    let mut b = Builder {
        next: 0,
        abstract_rules: HashMap::new(),
    };
    // abstract rules anywhere (in patterns or in sch:rules)
    for e in root.elements() {
        let holders: Vec<&El> = if e.is_sch("pattern") || e.is_sch("rules") {
            vec![e]
        } else {
            vec![]
        };
        for h in holders {
            for r in h.elements().filter(|r| r.is_sch("rule")) {
                if r.attr("abstract") == Some("true") {
                    if let Some(id) = r.attr("id") {
                        b.abstract_rules.insert(id.to_string(), r.clone());
                    }
                }
            }
        }
    }
    let abstract_patterns: HashMap<&str, &El> = root
        .elements()
        .filter(|e| e.is_sch("pattern") && e.attr("abstract") == Some("true"))
        .filter_map(|e| e.attr("id").map(|id| (id, e)))
        .collect();
    let mut schema = Schema {
        binding,
        title: title(root),
        schema_version: root.attr("schemaVersion").map(str::to_string),
        namespaces: Vec::new(),
        lets: Vec::new(),
        patterns: Vec::new(),
        phases: Vec::new(),
        default_phase: root.attr("defaultPhase").map(str::to_string),
        diagnostics: HashMap::new(),
        expr_count: 0,
        xslt_elements: Vec::new(),
    };
    let lang = root
        .attrs
        .iter()
        .find(|(ns, n, _)| ns == super::XML_NS && n == "lang");
    let lang = lang.map(|(_, _, v)| v.clone());
    for e in root.elements() {
        if e.ns == XSL_NS {
            schema
                .xslt_elements
                .push((format!("xsl:{}", e.name), e.at.clone()));
            continue;
        }
        if e.ns != SCH_NS {
            continue;
        }
        match e.name.as_str() {
            "ns" => {
                let (Some(p), Some(u)) = (e.attr("prefix"), e.attr("uri")) else {
                    return Err(SchemaProblem {
                        at: e.at.clone(),
                        message: "sch:ns needs @prefix and @uri".into(),
                    });
                };
                schema.namespaces.push((p.to_string(), u.to_string()));
            }
            "let" => schema.lets.push(b.let_(e, &[])?),
            "phase" => {
                let Some(id) = e.attr("id") else {
                    return Err(SchemaProblem {
                        at: e.at.clone(),
                        message: "sch:phase has no @id".into(),
                    });
                };
                let mut lets = Vec::new();
                let mut active = Vec::new();
                for c in e.elements() {
                    if c.is_sch("active") {
                        if let Some(p) = c.attr("pattern") {
                            active.push(p.to_string());
                        }
                    } else if c.is_sch("let") {
                        lets.push(b.let_(c, &[])?);
                    }
                }
                schema.phases.push(Phase {
                    id: id.to_string(),
                    active,
                    lets,
                });
            }
            "pattern" => {
                if e.attr("abstract") == Some("true") {
                    continue;
                }
                let p = if let Some(isa) = e.attr("is-a") {
                    let Some(template) = abstract_patterns.get(isa) else {
                        return Err(SchemaProblem {
                            at: e.at.clone(),
                            message: format!(
                                "pattern is-a=\"{isa}\": no abstract pattern has that id"
                            ),
                        });
                    };
                    let mut params: Vec<(String, String)> = e
                        .elements()
                        .filter(|c| c.is_sch("param"))
                        .filter_map(|c| {
                            Some((c.attr("name")?.to_string(), c.attr("value")?.to_string()))
                        })
                        .collect();
                    params.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
                    let mut inst = (*template).clone();
                    inst.attrs
                        .retain(|(ns, n, _)| !(ns.is_empty() && (n == "abstract" || n == "id")));
                    if let Some(id) = e.attr("id") {
                        inst.attrs
                            .push((String::new(), "id".into(), id.to_string()));
                    }
                    b.pattern(&inst, &params, lang.as_deref())?
                } else {
                    b.pattern(e, &[], lang.as_deref())?
                };
                schema.patterns.push(p);
            }
            "diagnostics" => {
                for d in e.elements().filter(|d| d.is_sch("diagnostic")) {
                    if let Some(id) = d.attr("id") {
                        let message = b.message(d, &[])?;
                        schema
                            .diagnostics
                            .insert(id.to_string(), DiagnosticText { message });
                    }
                }
            }
            _ => {}
        }
    }
    schema.expr_count = b.next;
    Ok(schema)
}

struct Builder {
    next: usize,
    abstract_rules: HashMap<String, El>,
}

fn substitute(s: &str, params: &[(String, String)]) -> String {
    let mut s = s.to_string();
    for (name, value) in params {
        s = s.replace(&format!("${name}"), value);
    }
    s
}

impl Builder {
    fn expr(&mut self, e: &El, attr: &str, params: &[(String, String)]) -> Option<Expr> {
        let v = e.attr(attr)?;
        self.next += 1;
        Some(Expr {
            source: substitute(v, params),
            scope: std::sync::Arc::clone(&e.scope),
            at: e.at.clone(),
            index: self.next - 1,
        })
    }

    fn required(
        &mut self,
        e: &El,
        attr: &str,
        params: &[(String, String)],
    ) -> Result<Expr, SchemaProblem> {
        self.expr(e, attr, params).ok_or_else(|| SchemaProblem {
            at: e.at.clone(),
            message: format!("sch:{} has no @{attr}", e.name),
        })
    }

    fn let_(&mut self, e: &El, params: &[(String, String)]) -> Result<Let, SchemaProblem> {
        let Some(name) = e.attr("name") else {
            return Err(SchemaProblem {
                at: e.at.clone(),
                message: "sch:let has no @name".into(),
            });
        };
        Ok(Let {
            name: name.to_string(),
            value: self.expr(e, "value", params),
            content: e.text(),
        })
    }

    fn pattern(
        &mut self,
        e: &El,
        params: &[(String, String)],
        lang: Option<&str>,
    ) -> Result<Pattern, SchemaProblem> {
        let mut p = Pattern {
            id: e.attr("id").map(str::to_string),
            title: title(e),
            lets: Vec::new(),
            rules: Vec::new(),
            at: e.at.clone(),
        };
        let lang = xml_lang(e).or(lang.map(str::to_string));
        for c in e.elements() {
            if c.is_sch("let") {
                p.lets.push(self.let_(c, params)?);
            } else if c.is_sch("rule") && c.attr("abstract") != Some("true") {
                p.rules.push(self.rule(c, params, lang.as_deref())?);
            }
        }
        Ok(p)
    }

    fn rule(
        &mut self,
        e: &El,
        params: &[(String, String)],
        lang: Option<&str>,
    ) -> Result<Rule, SchemaProblem> {
        let context = self.required(e, "context", params)?;
        let mut rule = Rule {
            id: e.attr("id").map(str::to_string),
            context,
            lets: Vec::new(),
            checks: Vec::new(),
            role: e.attr("role").map(str::to_string),
            flag: e.attr("flag").map(str::to_string),
            at: e.at.clone(),
        };
        let lang = xml_lang(e).or(lang.map(str::to_string));
        self.rule_body(e, e, params, lang.as_deref(), &mut rule, &mut Vec::new())?;
        Ok(rule)
    }

    /// The lets and checks of `body` (the rule itself, or an abstract rule it extends).
    fn rule_body(
        &mut self,
        rule_el: &El,
        body: &El,
        params: &[(String, String)],
        lang: Option<&str>,
        rule: &mut Rule,
        seen: &mut Vec<String>,
    ) -> Result<(), SchemaProblem> {
        for c in body.elements() {
            if c.ns != SCH_NS {
                continue;
            }
            match c.name.as_str() {
                "let" => rule.lets.push(self.let_(c, params)?),
                "assert" | "report" => {
                    let kind = if c.name == "assert" {
                        Kind::Assert
                    } else {
                        Kind::Report
                    };
                    let test = self.required(c, "test", params)?;
                    let message = self.message(c, params)?;
                    let inherit =
                        |a: &str| c.attr(a).or_else(|| rule_el.attr(a)).map(str::to_string);
                    let subject = if c.attr("subject").is_some() {
                        self.expr(c, "subject", params)
                    } else {
                        self.expr(rule_el, "subject", params)
                    };
                    rule.checks.push(Check {
                        kind,
                        test,
                        message,
                        id: c.attr("id").map(str::to_string),
                        role: inherit("role"),
                        flag: inherit("flag"),
                        subject,
                        diagnostics: c
                            .attr("diagnostics")
                            .map(|d| d.split_whitespace().map(str::to_string).collect())
                            .unwrap_or_default(),
                        lang: xml_lang(c).or(lang.map(str::to_string)),
                        at: c.at.clone(),
                    });
                }
                "extends" => {
                    let Some(id) = c.attr("rule") else {
                        return Err(SchemaProblem {
                            at: c.at.clone(),
                            message:
                                "sch:extends needs @rule (extends with @href is not supported)"
                                    .into(),
                        });
                    };
                    if seen.iter().any(|s| s == id) {
                        return Err(SchemaProblem {
                            at: c.at.clone(),
                            message: format!("abstract rule `{id}` extends itself"),
                        });
                    }
                    let Some(abs) = self.abstract_rules.get(id).cloned() else {
                        return Err(SchemaProblem {
                            at: c.at.clone(),
                            message: format!(
                                "sch:extends rule=\"{id}\": no abstract rule has that id"
                            ),
                        });
                    };
                    seen.push(id.to_string());
                    let lang = xml_lang(&abs).or(lang.map(str::to_string));
                    self.rule_body(rule_el, &abs, params, lang.as_deref(), rule, seen)?;
                    seen.pop();
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn message(&mut self, e: &El, params: &[(String, String)]) -> Result<Vec<Part>, SchemaProblem> {
        let mut parts = Vec::new();
        self.message_into(e, params, &mut parts)?;
        Ok(parts)
    }

    fn message_into(
        &mut self,
        e: &El,
        params: &[(String, String)],
        parts: &mut Vec<Part>,
    ) -> Result<(), SchemaProblem> {
        for c in &e.children {
            match c {
                Node::Text(t) => parts.push(Part::Text(t.clone())),
                Node::Element(c) if c.is_sch("value-of") => {
                    parts.push(Part::ValueOf(self.required(c, "select", params)?))
                }
                Node::Element(c) if c.is_sch("name") => {
                    parts.push(Part::Name(self.expr(c, "path", params)))
                }
                // emph, dir, span, foreign elements: their text
                Node::Element(c) => self.message_into(c, params, parts)?,
            }
        }
        Ok(())
    }
}

/// The text of an element's `sch:title`, white space normalised.
fn title(e: &El) -> Option<String> {
    e.elements()
        .find(|t| t.is_sch("title"))
        .map(|t| t.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

fn xml_lang(e: &El) -> Option<String> {
    e.attrs
        .iter()
        .find(|(ns, n, _)| ns == super::XML_NS && n == "lang")
        .map(|(_, _, v)| v.clone())
}

impl Schema {
    /// The patterns active in `phase`: `None` or `#DEFAULT`, the `defaultPhase` (all patterns
    /// when there is none); `#ALL`, all; a name, that phase's. A schema that declares no phase at
    /// all runs all its patterns whatever the phase asked (it is not that schema's to refuse:
    /// [`Schema::declares_phase`] lets the caller say when no schema of a run has the phase).
    pub fn active(&self, phase: Option<&str>) -> Result<(Vec<&Pattern>, Vec<&Let>), String> {
        let id = match phase {
            None | Some("#DEFAULT") => self.default_phase.as_deref(),
            Some(p) => Some(p),
        };
        let Some(id) = id.filter(|i| *i != "#ALL" && !self.phases.is_empty()) else {
            return Ok((self.patterns.iter().collect(), Vec::new()));
        };
        let Some(ph) = self.phases.iter().find(|p| p.id == id) else {
            let known: Vec<&str> = self.phases.iter().map(|p| p.id.as_str()).collect();
            return Err(format!(
                "no phase `{id}` in the schema (its phases: {}; `#ALL` runs every pattern, `#DEFAULT` the default phase)",
                known.join(", ")
            ));
        };
        let pats = self
            .patterns
            .iter()
            .filter(|p| p.id.as_ref().is_some_and(|i| ph.active.contains(i)))
            .collect();
        Ok((pats, ph.lets.iter().collect()))
    }

    /// Whether `phase` means something to this schema: `#ALL`, `#DEFAULT`, or one of its phases.
    pub fn declares_phase(&self, phase: &str) -> bool {
        phase == "#ALL" || phase == "#DEFAULT" || self.phases.iter().any(|p| p.id == phase)
    }
}
