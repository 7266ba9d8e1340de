//! ISO Schematron (ISO/IEC 19757-3): standalone `.sch` schemas and the rules a RELAX NG grammar
//! embeds, run on TEI files with XPath 2.0/3.1 from `xee-xpath`.
//!
//! - [`dom`]: schema files as owned trees, `sch:include` expanded (loops refused, never a URL);
//! - [`embedded`]: the Schematron of a RELAX NG grammar (TEI ODD output);
//! - [`model`]: patterns, rules, asserts and reports, abstract patterns and rules expanded,
//!   variables, phases, diagnostics;
//! - [`xpath`]: the rewrites before xee compiles an expression (`current()`, XSLT-only functions);
//! - [`context`]: rule contexts matched as XSLT patterns;
//! - [`native`]: the simple boolean predicates of rule contexts, decided without XPath;
//! - [`plan`]: a schema ready for one phase, every expression checked;
//! - [`engine`]: one document, rule by rule;
//! - [`light`]: the light tree the screen reads, built from teikit's own parse events;
//! - [`limits`]: the per-rule time limit, the tree size limit;
//! - [`sources`]: the schemas of a run, each compiled once;
//! - [`static_check`]: every expression compiles when a schema loads;
//! - [`svrl`]: what an SVRL report needs of a schema and of each finding.
//!
//! Findings become ordinary [`Diagnostic`]s with code `tei::sch::<id>` (the assert's or
//! report's id, else its rule's, else its pattern's, else a name derived from the schema and
//! positions), the severity from `role` (or `flag`), the text with `value-of` filled in, and the
//! rule's place in the schema in the help.

pub mod chunk;
pub mod context;
pub mod dom;
pub mod embedded;
pub mod engine;
pub mod light;
pub mod limits;
pub mod locality;
pub mod model;
pub mod native;
pub mod plan;
mod quick;
mod screen;
pub mod sources;
pub mod static_check;
pub mod svrl;
pub mod xpath;

use crate::diagnostic::{Code, Diagnostic, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub use dom::Origin;

/// The `xml:` namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// `tei::sch::schema_error`
pub static SCHEMA_ERROR: Code = Code {
    id: "tei::sch::schema_error",
    severity: Severity::Error,
    summary: "A Schematron schema cannot be used",
    explanation:
        "The schema file could not be read, is not ISO Schematron, includes itself, or one \
of its XPath expressions does not compile (the message names the rule and its line and column in \
the schema). No file is validated against a broken schema; the run exits with status 2.",
};

/// `tei::sch::not_run`
pub static NOT_RUN: Code = Code {
    id: "tei::sch::not_run",
    severity: Severity::Warning,
    summary: "The Schematron rules could not run on this file",
    explanation: "Schematron needs the document as a tree. The file could not be read as one (the \
message says why), or it is larger than the tree limit (`--schematron-max-bytes`): the grammar and \
the other checks still ran, the Schematron rules did not. On a file read as a stream \
(`--stream-from`) the rules run record by record, and this advice names the patterns that need the \
whole document and did not run.",
};

/// `tei::sch::dynamic_error`
pub static DYNAMIC_ERROR: Code = Code {
    id: "tei::sch::dynamic_error",
    severity: Severity::Error,
    summary: "A Schematron expression failed on this file",
    explanation: "An XPath expression of the schema raised an error while it ran on this file (a \
cast of a value that is not of the type, a function called with the wrong kind of argument). \
SchXslt stops on such an error too. The message names the expression and where the schema has it; \
the rules after it did not run on this file.",
};

/// `tei::sch::time_limit`
pub static TIME_LIMIT: Code = Code {
    id: "tei::sch::time_limit",
    severity: Severity::Error,
    summary: "A Schematron rule ran past the time limit on this file",
    explanation: "Each rule gets a bounded time per file (`--schematron-time-limit`, 10 s by \
default). A rule that is quadratic in the document (`//*[. = //*]`) on a large file is stopped \
there: the message names the rule and where the schema has it, and the rules after it did not run \
on this file.",
};

/// `tei::sch::rule`: the family of `tei::sch::<id>` codes.
pub static RULE: Code = Code {
    id: "tei::sch::rule",
    severity: Severity::Error,
    summary: "A Schematron assert failed or a report fired (codes `tei::sch::<id>`)",
    explanation: "Each assert and report of a Schematron schema gets its own code, \
`tei::sch::<id>`: the id of the assert or report, else of its rule, else of its pattern (lower \
case, other characters as `_`), else a name made of the schema file's name and the pattern's and \
rule's positions. The severity comes from `role` (or `flag`): `fatal`, `error` (the default) → \
error; `warning`, `warn`, `nonfatal`, `caution` → warning; `info`, `information`, `note`, \
`advice`, `hint` → advice. The message is the assert's text with `value-of` and `name` filled in; \
the help names the rule's file, line and column. Schematron comes from the schema's embedded rules \
(`sch:pattern` in a RELAX NG grammar, as TEI ODDs carry them), `--schematron FILE.sch`, an \
`xml-model` processing instruction with the Schematron `schematypens`, or `teikit.toml`.",
};

/// Every static code of the `tei::sch` area.
pub static CODES: &[&Code] = &[&SCHEMA_ERROR, &NOT_RUN, &DYNAMIC_ERROR, &TIME_LIMIT, &RULE];

/// A problem in a schema, where it is.
#[derive(Debug, Clone)]
pub struct SchemaProblem {
    /// Where.
    pub at: Origin,
    /// What.
    pub message: String,
}

impl SchemaProblem {
    pub(crate) fn at(from: Option<&Origin>, path: &Path, message: String) -> SchemaProblem {
        SchemaProblem {
            at: from.cloned().unwrap_or(Origin {
                file: Arc::new(path.to_path_buf()),
                line: 1,
                column: 1,
            }),
            message,
        }
    }
}

impl std::fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// A check's diagnostic code and what SVRL says of it.
type CompiledCheck = (&'static Code, Arc<svrl::CheckInfo>);

/// A Schematron schema compiled for one phase, ready to run on any number of files, from any
/// thread.
#[derive(Debug)]
pub struct Schematron {
    /// How reports name it.
    pub label: String,
    schema: model::Schema,
    plan: plan::Plan,
    /// The code of each check and what SVRL says of it, by (plan pattern, rule, check).
    checks: Vec<Vec<Vec<CompiledCheck>>>,
    /// What SVRL says of the schema.
    pub info: Arc<svrl::SchemaInfo>,
    uid: u64,
}

static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Where a schema's rules come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// A `.sch` file.
    Sch(PathBuf),
    /// The rules embedded in a RELAX NG grammar (XML or compact syntax).
    Embedded(PathBuf),
}

impl Schematron {
    /// Loads a `.sch` file for `phase`.
    pub fn from_sch(path: &Path, phase: Option<&str>) -> Result<Schematron, SchemaProblem> {
        let root = dom::load(path)?;
        Self::compile(&root, path.to_string_lossy().replace('\\', "/"), phase)
    }

    /// The rules a RELAX NG grammar embeds, or `None` when it embeds none.
    pub fn from_rng(path: &Path, phase: Option<&str>) -> Result<Option<Schematron>, SchemaProblem> {
        match embedded::extract(path)? {
            None => Ok(None),
            Some(root) => Self::compile(
                &root,
                format!(
                    "{} (embedded Schematron)",
                    path.to_string_lossy().replace('\\', "/")
                ),
                phase,
            )
            .map(Some),
        }
    }

    /// Schematron from text (`label` names it; includes resolve against it).
    pub fn from_str(
        text: &str,
        label: &Path,
        phase: Option<&str>,
    ) -> Result<Schematron, SchemaProblem> {
        let root = dom::load_str(text, label)?;
        Self::compile(&root, label.to_string_lossy().replace('\\', "/"), phase)
    }

    fn compile(
        root: &dom::El,
        label: String,
        phase: Option<&str>,
    ) -> Result<Schematron, SchemaProblem> {
        let schema = model::build(root)?;
        if let Some((what, at)) = schema.xslt_elements.first() {
            return Err(SchemaProblem {
                at: at.clone(),
                message: format!("{what}: XSLT elements in a schema are not supported (teikit runs Schematron without XSLT)"),
            });
        }
        let plan = plan::plan(&schema, phase).map_err(|e| match e {
            plan::PlanError::Problem(p) => p,
            plan::PlanError::Phase(m) => SchemaProblem {
                at: root.at.clone(),
                message: m,
            },
        })?;
        // every expression compiles, or the schema is refused (exit 2), the first one that does
        // not in schema order
        let failed = static_check::first_error(&plan);
        if let Some((i, e)) = failed {
            let s = &plan.slots[i];
            return Err(SchemaProblem {
                at: s.at.clone(),
                message: format!("{} `{}` does not compile: {e}", s.what, s.source.trim()),
            });
        }
        let stem = Path::new(&label)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let info = Arc::new(svrl::SchemaInfo {
            label: label.clone(),
            title: schema.title.clone(),
            schema_version: schema.schema_version.clone(),
            phase: match phase {
                _ if schema.phases.is_empty() => None,
                None | Some("#DEFAULT") => schema.default_phase.clone(),
                Some("#ALL") => None,
                Some(p) => Some(p.to_string()),
            },
            namespaces: schema.namespaces.clone(),
            patterns: plan
                .patterns
                .iter()
                .map(|pp| {
                    let p = &schema.patterns[pp.index];
                    svrl::PatternInfo {
                        id: p.id.clone(),
                        name: p.title.clone().or_else(|| p.id.clone()),
                    }
                })
                .collect(),
        });
        // each check's code and what SVRL says of it, by (plan pattern, rule, check)
        let checks = plan
            .patterns
            .iter()
            .enumerate()
            .map(|(pi, pp)| {
                let p = &schema.patterns[pp.index];
                p.rules
                    .iter()
                    .enumerate()
                    .map(|(ri, r)| {
                        r.checks
                            .iter()
                            .map(|c| {
                                let id =
                                    c.id.as_deref()
                                        .or(r.id.as_deref())
                                        .or(p.id.as_deref())
                                        .map(slug)
                                        .filter(|s| !s.is_empty())
                                        .unwrap_or_else(|| {
                                            slug(&format!("{stem}_p{}_r{}", pi + 1, ri + 1))
                                        });
                                let text: String = c
                                    .message
                                    .iter()
                                    .map(|m| match m {
                                        model::Part::Text(t) => t.as_str(),
                                        _ => "…",
                                    })
                                    .collect::<String>()
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ");
                                let code = code(&format!("tei::sch::{id}"), severity(c), &text);
                                let info = Arc::new(svrl::CheckInfo {
                                    schema: Arc::clone(&info),
                                    pattern: pi,
                                    rule: ri,
                                    context: r.context.source.clone(),
                                    rule_id: r.id.clone(),
                                    rule_role: r.role.clone(),
                                    rule_flag: r.flag.clone(),
                                    assert: c.kind == model::Kind::Assert,
                                    test: c.test.source.clone(),
                                    id: c.id.clone(),
                                    role: c.role.clone(),
                                    flag: c.flag.clone(),
                                    lang: c.lang.clone(),
                                });
                                (code, info)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Ok(Schematron {
            label,
            schema,
            plan,
            checks,
            info,
            uid: NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Runs the rules on a document's text: the findings as diagnostics (spans in `text`).
    pub fn run(self: &Arc<Self>, text: &str, limits: &limits::Limits) -> Vec<Diagnostic> {
        self.run_with_tree(text, None, limits)
    }

    /// [`Schematron::run`] with the document's light tree, when the pass that validated the
    /// text built one ([`light::Builder`]): the text is then not read again.
    pub fn run_with_tree(
        self: &Arc<Self>,
        text: &str,
        tree: Option<&light::Light>,
        limits: &limits::Limits,
    ) -> Vec<Diagnostic> {
        if text.len() as u64 > limits.max_bytes {
            return vec![Diagnostic::new(
                &NOT_RUN,
                0..0,
                format!(
                    "the Schematron rules of {} did not run: the file has {} bytes, more than the tree limit of {} (--schematron-max-bytes)",
                    self.label,
                    text.len(),
                    limits.max_bytes
                ),
            )];
        }
        limits::run_bounded(self, text, tree, limits)
    }

    /// The findings of one run as diagnostics.
    fn diagnostics(&self, fired: Vec<engine::Fired>) -> Vec<Diagnostic> {
        fired
            .into_iter()
            .map(|f| {
                let pp = &self.plan.patterns[f.pattern];
                let p = &self.schema.patterns[pp.index];
                let r = &p.rules[f.rule];
                let c = &r.checks[f.check];
                let (code, info) = &self.checks[f.pattern][f.rule][f.check];
                let code = *code;
                let mut help = format!(
                    "{} `{}` of the rule for `{}` at {}",
                    if c.kind == model::Kind::Assert {
                        "assert"
                    } else {
                        "report"
                    },
                    c.test
                        .source
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    r.context
                        .source
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    c.at
                );
                for (id, text) in &f.diagnostics {
                    help.push_str(&format!("\n{id}: {text}"));
                }
                let finding = svrl::Finding {
                    check: Arc::clone(info),
                    location: f.location.clone(),
                    text: f.message.clone(),
                    diagnostics: f.diagnostics,
                };
                let mut d = Diagnostic::new(code, f.span, f.message)
                    .with_help(help)
                    .with_path(f.location);
                d.severity = code.severity;
                d.schematron = Some(Box::new(finding));
                d
            })
            .collect()
    }

    /// What a run error looks like to the user.
    fn run_error(&self, e: engine::RunError) -> Diagnostic {
        match e {
            engine::RunError::Tree(why) => Diagnostic::new(
                &NOT_RUN,
                0..0,
                format!("the Schematron rules of {} did not run: {why}", self.label),
            ),
            engine::RunError::Dynamic(slot, why) => {
                let s = &self.plan.slots[slot];
                Diagnostic::new(
                    &DYNAMIC_ERROR,
                    0..0,
                    format!(
                        "{} `{}` ({}) failed on this file: {why}",
                        s.what,
                        s.source.split_whitespace().collect::<Vec<_>>().join(" "),
                        s.at
                    ),
                )
            }
        }
    }

    /// The (pattern id, rule context, position in the schema) of a rule, for messages.
    pub(crate) fn rule_name(&self, pattern: usize, rule: usize) -> String {
        let pp = &self.plan.patterns[pattern];
        let p = &self.schema.patterns[pp.index];
        let r = &p.rules[rule];
        format!(
            "the rule for `{}`{} at {}",
            r.context
                .source
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            p.id.as_deref()
                .map(|i| format!(" (pattern {i})"))
                .unwrap_or_default(),
            r.at
        )
    }

    /// Whether `phase` means something to this schema (`#ALL`, `#DEFAULT` or one of its phases).
    pub fn declares_phase(&self, phase: &str) -> bool {
        self.schema.declares_phase(phase)
    }

    /// The number of patterns and rules that run.
    pub fn size(&self) -> (usize, usize) {
        (
            self.plan.patterns.len(),
            self.plan.patterns.iter().map(|p| p.rules.len()).sum(),
        )
    }
}

/// The severity a check's `role` (else `flag`) gives.
fn severity(c: &model::Check) -> Severity {
    let word = c
        .role
        .as_deref()
        .or(c.flag.as_deref())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match word.as_str() {
        "warning" | "warn" | "nonfatal" | "caution" => Severity::Warning,
        "info" | "information" | "informational" | "note" | "advice" | "hint" => Severity::Advice,
        _ => Severity::Error,
    }
}

/// Lower case, `[a-z0-9_]` only, no repeated or trailing `_`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        let c = ch.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The code for a check: made once per id and severity for the process (codes are `'static`).
fn code(id: &str, severity: Severity, summary: &str) -> &'static Code {
    static CODES: OnceLock<Mutex<HashMap<(String, Severity), &'static Code>>> = OnceLock::new();
    let m = CODES.get_or_init(Default::default);
    let mut m = match m.lock() {
        Ok(m) => m,
        Err(p) => p.into_inner(),
    };
    m.entry((id.to_string(), severity)).or_insert_with(|| {
        let summary: String = if summary.is_empty() {
            "A Schematron assert failed or a report fired".into()
        } else {
            summary.chars().take(200).collect()
        };
        Box::leak(Box::new(Code {
            id: Box::leak(id.to_string().into_boxed_str()),
            severity,
            summary: Box::leak(summary.into_boxed_str()),
            explanation: RULE.explanation,
        }))
    })
}

/// Looks up a `tei::sch::<id>` code made for a check of a loaded schema.
pub fn find_rule_code(id: &str) -> Option<&'static Code> {
    if id.starts_with("tei::sch::") {
        Some(&RULE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
