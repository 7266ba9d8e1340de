//! The [`Workbench`]: what validation prepares once (the project, the compiled RELAX NG and
//! Schematron schemas) and validates one buffer at a time with, for the language server.

use super::{
    load_ids, locate, plan_schematron, run_schematron, schema, schema_report, schematron_report,
    sort_by_position, validate_document, Document, FileReport, Options,
};
use crate::check::{self, FileFacts, Registers};
use crate::diagnostic::{Diagnostic, Severity};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What validation prepares once and every file shares: the project (where `xml-model`s may
/// lead), the compiled RELAX NG and Schematron schemas. An editor keeps one across edits
/// (`teikit lsp`) and validates its buffers with [`Workbench::validate_text`].
pub struct Workbench {
    project: schema::Project,
    cache: schema::SchemaCache,
    sch: crate::schematron::sources::Cache,
}

/// One document validated by [`Workbench::validate_text`], before the cross-file step.
#[derive(Debug)]
pub struct TextReport {
    /// The report: diagnostics located (line, column), configured severities applied.
    pub report: FileReport,
    /// What the cross-file step needs ([`Workbench::cross_file`]).
    pub facts: FileFacts,
    /// Diagnostics (errors, warnings, advice) past the diagnostics limit, not kept: of the
    /// grammar step and the checks; after [`Workbench::cross_file`], all that the report's
    /// `tei::limit::diagnostics` summary counts (pass it to [`Workbench::schematron_text`]).
    pub dropped: crate::limit::Hidden,
}

impl Workbench {
    /// A workbench for the files and folders `roots` (the project) under `options`.
    pub fn new(roots: &[PathBuf], options: &Options) -> Workbench {
        let project = schema::Project::new(roots, &options.config);
        Workbench {
            cache: schema::SchemaCache::new(project.clone(), options.config.limits),
            sch: crate::schematron::sources::Cache::new(options.phase.clone()),
            project,
        }
    }

    /// Validates `text` as the content of the file at `path` (an editor's unsaved buffer) as
    /// [`run`] validates a file: well-formedness, the grammar, the checks against `registers`,
    /// Schematron, configured severities. The cross-file step is [`Workbench::cross_file`].
    pub fn validate_text(
        &self,
        path: &Path,
        text: String,
        options: &Options,
        registers: &Registers,
    ) -> TextReport {
        let report = FileReport::new(path);
        // an editor's buffer is validated as written (its includes are not assembled)
        let p = validate_document(
            path,
            Document::Text(text),
            report,
            options,
            registers,
            &self.cache,
            &self.sch,
            None,
        );
        TextReport {
            report: p.report,
            facts: p.facts,
            dropped: p.dropped,
        }
    }

    /// The cross-file step for one document: its pointers into other files and the date order
    /// of its `correspContext` neighbours, against `others` (the other files' facts; a file
    /// not among them is read from disk, inside the project only). Adds the findings to the
    /// report (located in `text`), sorted and capped as [`run`] does.
    pub fn cross_file(
        &self,
        done: &mut TextReport,
        text: &str,
        others: &[(&Path, &FileFacts)],
        options: &Options,
    ) {
        let mut pairs: Vec<(&Path, &FileFacts)> = Vec::with_capacity(others.len() + 1);
        pairs.push((done.report.path.as_path(), &done.facts));
        pairs.extend(others.iter().copied());
        let project = &self.project;
        let loader = |p: &Path| -> Option<HashSet<String>> {
            if project.contains(p) {
                load_ids(p)
            } else {
                None
            }
        };
        let mut more = check::crossfile::resolve(&pairs, &loader)
            .into_iter()
            .next()
            .unwrap_or_default();
        options.config.apply(&mut more);
        locate(text, &mut more);
        let report = &mut done.report;
        report.diagnostics.extend(more);
        sort_by_position(&mut report.diagnostics);
        done.dropped = crate::limit::cap_diagnostics(
            &mut report.diagnostics,
            options.config.limits.diagnostics,
            done.dropped,
        );
    }

    /// The compiled RELAX NG schema `text` (the file at `path`) is validated against under
    /// `options`, when there is one and it compiles (an editor's schema-driven completion
    /// uses the same schema as the diagnostics).
    pub fn schema_for(
        &self,
        path: &Path,
        text: &str,
        options: &Options,
    ) -> Option<std::sync::Arc<crate::relaxng::Schema>> {
        match self.cache.choose(text, path, options).source {
            schema::SchemaSource::File(p) => self.cache.get(&p).ok(),
            schema::SchemaSource::Embedded => self.cache.embedded().ok(),
            schema::SchemaSource::Skip => None,
        }
    }

    /// The Schematron step alone, for a document [`Workbench::validate_text`] validated with
    /// [`Options::no_schematron`] set (an editor publishes the fast findings first): the rules
    /// `options` select for `text` are run and their findings added to `diagnostics` (a
    /// hand-written finding the TEI's own rule repeats is dropped, as in [`run`]), located,
    /// with configured severities, sorted, and capped again: `dropped` is what the first
    /// step's summary counted ([`TextReport::dropped`] after [`Workbench::cross_file`]), so
    /// the new summary counts those too. Nothing is run on a file that is not well-formed.
    pub fn schematron_text(
        &self,
        path: &Path,
        text: &str,
        options: &Options,
        diagnostics: &mut Vec<Diagnostic>,
        dropped: crate::limit::Hidden,
    ) {
        if options.no_schematron
            || diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error && d.code.id.starts_with("tei::xml::"))
        {
            return;
        }
        let choice = self.cache.choose(text, path, options);
        let compiles = match &choice.source {
            schema::SchemaSource::File(p) => self.cache.get(p).is_ok(),
            schema::SchemaSource::Embedded => self.cache.embedded().is_ok(),
            schema::SchemaSource::Skip => false,
        };
        let grammar = if compiles {
            choice.source
        } else {
            schema::SchemaSource::Skip
        };
        let refused = |d: &Diagnostic| d.code.id == schema::XML_MODEL_OUTSIDE.id;
        let said = diagnostics.iter().filter(|d| refused(d)).count();
        let document = Document::Text(text.to_string());
        // a document held whole keeps every finding until the cap: nothing is left out here
        let planned = plan_schematron(&document, path, &grammar, options, &self.cache, &self.sch);
        run_schematron(&document, None, planned, path, options, diagnostics);
        // the refused xml-models were said by the first step already
        let mut seen = 0;
        diagnostics.retain(|d| {
            if !refused(d) {
                return true;
            }
            seen += 1;
            seen <= said
        });
        options.config.apply(diagnostics);
        locate(text, diagnostics);
        sort_by_position(diagnostics);
        crate::limit::cap_diagnostics(diagnostics, options.config.limits.diagnostics, dropped);
    }

    /// Every schema (RELAX NG or Schematron) that failed to load so far, as reports on the
    /// schema files.
    pub fn schema_failures(&self, options: &Options) -> Vec<FileReport> {
        let limits = &options.config.limits;
        let mut out: Vec<FileReport> = self
            .cache
            .failures()
            .into_iter()
            .map(|(p, e)| schema_report(&p, &e, limits))
            .collect();
        out.extend(
            self.sch
                .failures()
                .into_iter()
                .map(|(p, e)| schematron_report(&p, &e)),
        );
        out
    }
}
