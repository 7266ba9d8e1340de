//! What an SVRL report (ISO/IEC 19757-3 Annex D) needs to know of a schema that ran and of each
//! of its findings, kept beside the ordinary diagnostics: a [`SchemaInfo`] per compiled schema
//! (title, phase, namespaces, active patterns), a [`CheckInfo`] per assert or report, and a
//! [`Finding`] on every `tei::sch::*` diagnostic ([`crate::diagnostic::Diagnostic::schematron`]).
//! `crate::report::svrl` writes them.

use std::sync::Arc;

/// A compiled schema as SVRL describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaInfo {
    /// How reports name the schema (its file, or the grammar that embeds it).
    pub label: String,
    /// `sch:title`.
    pub title: Option<String>,
    /// `@schemaVersion`.
    pub schema_version: Option<String>,
    /// The phase that ran, when the schema has phases (`None`: all patterns).
    pub phase: Option<String>,
    /// `sch:ns` bindings, in order.
    pub namespaces: Vec<(String, String)>,
    /// The active patterns, in order.
    pub patterns: Vec<PatternInfo>,
}

/// An active pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternInfo {
    /// `@id`.
    pub id: Option<String>,
    /// `sch:title`, else the id.
    pub name: Option<String>,
}

/// An assert or a report, and the rule it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    /// The schema.
    pub schema: Arc<SchemaInfo>,
    /// Index of its pattern in [`SchemaInfo::patterns`].
    pub pattern: usize,
    /// Index of its rule in the pattern (with `pattern`, names the rule).
    pub rule: usize,
    /// The rule's `@context`, as written.
    pub context: String,
    /// The rule's `@id`.
    pub rule_id: Option<String>,
    /// The rule's `@role`.
    pub rule_role: Option<String>,
    /// The rule's `@flag`.
    pub rule_flag: Option<String>,
    /// Whether it is an assert (a failed assert) or a report (a successful report).
    pub assert: bool,
    /// `@test`, as written.
    pub test: String,
    /// `@id`.
    pub id: Option<String>,
    /// `@role` (the check's, else the rule's).
    pub role: Option<String>,
    /// `@flag` (the check's, else the rule's).
    pub flag: Option<String>,
    /// `xml:lang` in scope.
    pub lang: Option<String>,
}

/// One fired assert or report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check.
    pub check: Arc<CheckInfo>,
    /// The node it is about, as an XPath (`/Q{ns}TEI[1]/…`).
    pub location: String,
    /// Its text, `value-of` and `name` filled in.
    pub text: String,
    /// The diagnostics it refers to: (id, text).
    pub diagnostics: Vec<(String, String)>,
}
