//! The validation pipeline: files and folders in, one [`FileReport`] per file out.
//!
//! For each file, in this order, all reported together: reading and decoding, well-formedness,
//! the grammar, then the checks of [`crate::check`]. Files are validated in parallel (rayon);
//! one unreadable or malformed file never stops the others; reports come back in input order
//! (folders walked sorted). Pointers into other files and `correspContext` date order are
//! settled once every file is read ([`crate::check::crossfile`]).

pub mod config;
pub mod schema;
pub mod walk;

pub use config::Config;

use crate::check::{self, CheckEnv, FileChecks, FileFacts, Registers, TeiPointerAttributes};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::LineIndex;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// `tei::io::unreadable`
pub static UNREADABLE: Code = Code {
    id: "tei::io::unreadable",
    severity: Severity::Error,
    summary: "A file or folder could not be read",
    explanation: "The path does not exist, is not readable, or a folder could not be walked. The \
other files are validated anyway; the run exits with status 2.",
};

/// Every code of the `tei::io` and `tei::config` areas.
pub static CODES: &[&Code] = &[&UNREADABLE];

/// Which rule set runs besides the grammar and the TEI checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// TEI P5 letters (the default).
    #[default]
    Tei,
    /// TEI letters plus the CMIF 1.1 rules of `cmif.sch` ([`crate::export::cmif_rules`]).
    /// With the SIG's `cmif.sch` in [`Options::schematron`], its findings replace the
    /// hand-written ones it covers, which lend it their help.
    Cmif,
}

/// Which schema the grammar step uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SchemaChoice {
    /// The file's `<?xml-model?>` when it resolves locally, else the embedded default.
    #[default]
    Auto,
    /// This schema for every file (`--schema`).
    File(PathBuf),
    /// No grammar step (checks only).
    Skip,
}

/// How to validate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The schema.
    pub schema: SchemaChoice,
    /// Register files whose ids resolve pointers (added to the config's).
    pub registers: Vec<PathBuf>,
    /// Configuration; [`Config::default`] for none.
    pub config: Config,
    /// The rule profile.
    pub profile: Profile,
    /// Warnings make a file invalid.
    pub deny_warnings: bool,
    /// Files of at least this many bytes are read as a stream, a window at a time, so that
    /// memory stays flat however large they are (`None`: [`STREAM_FROM`]). Their reports keep
    /// only the lines around each diagnostic ([`FileReport::excerpts`]).
    pub stream_from: Option<u64>,
    /// Schematron schemas (`.sch`) run on every file (`--schematron`, added to the config's).
    pub schematron: Vec<PathBuf>,
    /// No Schematron at all: neither a grammar's embedded rules, nor `--schematron`, nor an
    /// `xml-model` (`--schematron none`).
    pub no_schematron: bool,
    /// The phase of the standalone Schematron schemas (`--phase`; `None`: their default).
    pub phase: Option<String>,
    /// The time and size bounds of a Schematron run.
    pub schematron_limits: crate::schematron::limits::Limits,
    /// Validate `xi:include` elements as written instead of carrying them out
    /// (`--no-xinclude`; by default a document holding the XInclude namespace is validated
    /// assembled, [`crate::xinclude`]).
    pub no_xinclude: bool,
}

/// Files from this size on are streamed unless [`Options::stream_from`] says otherwise.
pub const STREAM_FROM: u64 = 32 * 1024 * 1024;

/// A file's text in memory, or the promise to stream it.
enum Document {
    Text(String),
    Stream,
}

/// Whether `path` is read as a stream under `options`.
fn streams(path: &Path, options: &Options) -> bool {
    let from = options.stream_from.unwrap_or(STREAM_FROM);
    std::fs::metadata(path).is_ok_and(|m| m.len() >= from)
}

/// A file's decoded text, if it can be read and decoded.
fn read_text(path: &Path) -> Option<String> {
    let bytes = crate::fsutil::read_input(path).ok()?;
    crate::xml::decode(&bytes).ok().map(|d| d.text.into_owned())
}

/// The first megabyte of a streamed file's text (the prolog, where `xml-model` is).
fn head_text(path: &Path) -> String {
    let mut head = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = crate::xml::for_each_text(&mut f, 64 * 1024, |piece| {
            head.push_str(piece);
            head.len() < 1024 * 1024
        });
    }
    head
}

/// Fills in line and column of the diagnostics that have none, from `source` (the text).
fn locate(source: &str, diags: &mut [Diagnostic]) {
    if diags.iter().all(|d| d.line != 0) {
        return;
    }
    let ix = LineIndex::new(source);
    for d in diags.iter_mut().filter(|d| d.line == 0) {
        (d.line, d.column) = ix.line_col(source, d.span.start);
    }
}

/// Line and column of the diagnostics of a streamed file, and the excerpts its report keeps
/// (the lines around each diagnostic): the file is read once more, as a stream.
fn locate_streamed(path: &Path, diags: &mut [Diagnostic]) -> crate::source::Excerpts {
    let offsets = diags
        .iter()
        .flat_map(|d| {
            let labels = d.labels.iter().flat_map(|l| [l.span.start, l.span.end]);
            [d.span.start, d.span.end].into_iter().chain(labels)
        })
        .collect();
    let spans: Vec<std::ops::Range<usize>> = diags.iter().map(|d| d.span.clone()).collect();
    let (loc, excerpts) = crate::source::Excerpts::locate(offsets, &spans, |each| {
        if let Ok(mut f) = std::fs::File::open(path) {
            let _ = crate::xml::for_each_text(&mut f, 1024 * 1024, each);
        }
    });
    for d in diags.iter_mut() {
        (d.line, d.column) = loc.line_col(d.span.start);
    }
    excerpts
}

/// The result for one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as found (input as given, or under a given folder).
    pub path: PathBuf,
    /// Which schema was used ("none" when the grammar step did not run).
    pub schema: String,
    /// Diagnostics, sorted by position, with line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded text, kept only when there are diagnostics (for source snippets).
    pub source: String,
    /// For a streamed file (whose text is not kept): the lines around its diagnostics and the
    /// positions of their spans and labels.
    pub excerpts: crate::source::Excerpts,
    /// Whether this report stands for an I/O or schema failure (exit status 2): an unreadable
    /// input, or a schema file that does not compile (reported with its own diagnostics).
    pub fatal: bool,
    /// The Schematron schemas that ran on the file (for the SVRL report).
    pub schematron: Vec<std::sync::Arc<crate::schematron::svrl::SchemaInfo>>,
}

impl FileReport {
    /// No error (and, with `deny_warnings`, no warning).
    pub fn is_valid(&self, deny_warnings: bool) -> bool {
        !self.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        })
    }

    /// Number of diagnostics of one severity.
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// Counts over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files validated.
    pub files: usize,
    /// Files without errors.
    pub valid: usize,
    /// Files with errors.
    pub invalid: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
}

/// Everything a run found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One report per file, in input order.
    pub files: Vec<FileReport>,
    /// The counts.
    pub summary: Summary,
    /// Whether warnings counted as failures.
    pub deny_warnings: bool,
}

impl Outcome {
    /// 0 no errors, 1 errors (or warnings with `deny_warnings`) in some file, 2 some file could
    /// not be read.
    pub fn exit_code(&self) -> u8 {
        if self.files.iter().any(|f| f.fatal) {
            2
        } else if self.summary.invalid > 0 {
            1
        } else {
            0
        }
    }
}

/// A problem that stops the run before any file is validated (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A register file could not be read.
    #[error("{0}")]
    Registers(String),
}

struct Prepared {
    report: FileReport,
    facts: FileFacts,
    /// Errors the grammar step found past the diagnostics limit and did not keep.
    dropped: usize,
    /// Read as a stream: its diagnostics are located (one re-read) after the cross-file step.
    streamed: bool,
    /// Assembled from its includes: where the assembled text came from.
    xinclude: Option<std::sync::Arc<crate::xinclude::SourceMap>>,
}

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
    /// Errors of the grammar step past the diagnostics limit, not kept.
    pub dropped: usize,
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
        let report = FileReport {
            path: path.to_path_buf(),
            schema: "none".into(),
            diagnostics: Vec::new(),
            source: String::new(),
            excerpts: Default::default(),
            fatal: false,
            schematron: Vec::new(),
        };
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
        crate::limit::cap_diagnostics(
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
    /// with configured severities, sorted. Nothing is run on a file that is not well-formed.
    pub fn schematron_text(
        &self,
        path: &Path,
        text: &str,
        options: &Options,
        diagnostics: &mut Vec<Diagnostic>,
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
        run_schematron(
            &document,
            path,
            &grammar,
            options,
            &self.cache,
            &self.sch,
            diagnostics,
        );
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
        crate::limit::cap_diagnostics(diagnostics, options.config.limits.diagnostics, 0);
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

/// Validates files and folders.
pub fn run(paths: &[PathBuf], options: &Options) -> Result<Outcome, SetupError> {
    let mut reg_files = options.config.registers.clone();
    reg_files.extend(options.registers.iter().cloned());
    let registers = Registers::load(&reg_files).map_err(SetupError::Registers)?;
    let inputs = walk::expand(paths, &options.config.ignore);
    let limits = &options.config.limits;
    let project = schema::Project::new(paths, &options.config);
    let cache = schema::SchemaCache::new(project.clone(), *limits);
    let phase = options
        .phase
        .clone()
        .or_else(|| options.config.phase.clone());
    let sch = crate::schematron::sources::Cache::new(phase);
    if inputs.iter().any(|i| matches!(i, walk::Input::File(..))) {
        compile_ahead(options, &cache, &sch);
    }
    let prepared: Vec<Prepared> = inputs
        .par_iter()
        .map(|input| validate_input(input, options, &registers, &cache, &sch, &project))
        .collect();

    // cross-file step
    let pairs: Vec<(&Path, &FileFacts)> = prepared
        .iter()
        .map(|p| (p.report.path.as_path(), &p.facts))
        .collect();
    // a pointer into another file reads it only inside the project (as an xml-model): the ids
    // of a file elsewhere on the machine are never read, nor offered as did-you-mean
    let loader = |p: &Path| -> Option<HashSet<String>> {
        if project.contains(p) {
            load_ids(p)
        } else {
            None
        }
    };
    let extra = check::crossfile::resolve(&pairs, &loader);
    let mut files: Vec<FileReport> = cache
        .failures()
        .into_iter()
        .map(|(p, e)| {
            let mut r = schema_report(&p, &e, limits);
            crate::limit::cap_diagnostics(&mut r.diagnostics, limits.diagnostics, 0);
            r
        })
        .collect();
    files.extend(
        sch.failures()
            .into_iter()
            .map(|(p, e)| schematron_report(&p, &e)),
    );
    for (p, mut more) in prepared.into_iter().zip(extra) {
        let mut report = p.report;
        options.config.apply(&mut more);
        if p.streamed {
            report.diagnostics.extend(more);
            if !report.diagnostics.is_empty() {
                report.excerpts = locate_streamed(&report.path, &mut report.diagnostics);
            }
        } else if !more.is_empty() {
            if let Some(map) = &p.xinclude {
                map.relocate(&mut more);
            }
            if report.source.is_empty() {
                report.source = read_text(&report.path).unwrap_or_default();
            }
            locate(&report.source, &mut more);
            report.diagnostics.extend(more);
        }
        sort_by_position(&mut report.diagnostics);
        crate::limit::cap_diagnostics(&mut report.diagnostics, limits.diagnostics, p.dropped);
        files.push(report);
    }
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    for f in &files {
        if f.is_valid(options.deny_warnings) {
            summary.valid += 1;
        } else {
            summary.invalid += 1;
        }
        summary.errors += f.count(Severity::Error);
        summary.warnings += f.count(Severity::Warning);
    }
    Ok(Outcome {
        files,
        summary,
        deny_warnings: options.deny_warnings,
    })
}

fn load_ids(p: &Path) -> Option<HashSet<String>> {
    let bytes = std::fs::read(p).ok()?;
    let text = crate::xml::decode(&bytes).ok()?.text;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, opts).ok()?;
    Some(
        doc.descendants()
            .filter_map(|n| n.attribute((check::XML_NS, "id")))
            .map(|s| s.trim().to_string())
            .collect(),
    )
}

fn io_report(path: &Path, why: String) -> Prepared {
    let d = Diagnostic::new(
        &UNREADABLE,
        0..0,
        format!("cannot read {}: {why}", path.display()),
    )
    .at(1, 1);
    Prepared {
        report: FileReport {
            path: path.to_path_buf(),
            schema: "none".into(),
            diagnostics: vec![d],
            source: String::new(),
            excerpts: Default::default(),
            fatal: true,
            schematron: Vec::new(),
        },
        facts: FileFacts::default(),
        dropped: 0,
        streamed: false,
        xinclude: None,
    }
}

/// A schema that does not compile, as a report on the schema file(s).
fn schema_report(
    path: &Path,
    e: &crate::relaxng::SchemaError,
    limits: &crate::limit::Limits,
) -> FileReport {
    // only a RELAX NG file's text may be quoted (the path may name any file), and only a
    // regular file within the schema size limit is read
    let source = schema::quotable_text(path, limits).unwrap_or_default();
    let ix = LineIndex::new(&source);
    let same = |f: &Path| std::fs::canonicalize(f).ok() == std::fs::canonicalize(path).ok();
    let diagnostics = e
        .diagnostics
        .iter()
        .map(|sd| {
            let mut d = sd.diagnostic.clone();
            if !same(&sd.file) {
                d.message = format!("{}: {}", sd.file.display(), d.message);
                d.span = 0..0;
            }
            if d.line == 0 {
                let (l, c) = ix.line_col(&source, d.span.start);
                d.line = l;
                d.column = c;
            }
            d
        })
        .collect();
    FileReport {
        path: path.to_path_buf(),
        schema: "none".into(),
        diagnostics,
        source,
        excerpts: Default::default(),
        fatal: true,
        schematron: Vec::new(),
    }
}

/// A Schematron schema that cannot be used, as a report on the file the problem is in.
fn schematron_report(path: &Path, e: &crate::schematron::SchemaProblem) -> FileReport {
    // only a file that is Schematron (or RELAX NG embedding it) is quoted: a path may name any
    // file of the machine
    let source = std::fs::read_to_string(path)
        .ok()
        .filter(|t| t.contains(schema::SCH_NS) || schema::is_rng_text(t))
        .unwrap_or_default();
    let start = offset_of(&source, e.at.line, e.at.column);
    let mut d = Diagnostic::new(
        &crate::schematron::SCHEMA_ERROR,
        start..start,
        e.message.clone(),
    )
    .at(e.at.line, e.at.column);
    if source.is_empty() {
        d.message = format!("{} (line {}, column {})", d.message, e.at.line, e.at.column);
    }
    FileReport {
        path: path.to_path_buf(),
        schema: "none".into(),
        diagnostics: vec![d],
        source,
        excerpts: Default::default(),
        fatal: true,
        schematron: Vec::new(),
    }
}

/// The byte offset of 1-based `line` and `column` (characters) in `text` (0 when out of range).
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let Some(start) = text
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let here = *at;
            *at += l.len();
            Some(here)
        })
        .nth(line.saturating_sub(1) as usize)
    else {
        return 0;
    };
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(start, |(i, _)| start + i)
}

/// The Schematron schemas that run on one file: the rules the grammar in use embeds (a
/// RELAX NG file in XML syntax), the config's and `--schematron`'s, and those the file's
/// `xml-model`s select; each once. Refused `xml-model`s are added to `diags`.
/// Compiles the schemas every file of the run uses before the files are read, side by side:
/// the `--schema` grammar on one thread, its embedded rules and the `--schematron` files on
/// another (else the first files wait for the grammar, then compile the Schematron).
/// The embedded rules are kept only when the grammar compiles, as when a file asks for them.
fn compile_ahead(
    options: &Options,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
) {
    use crate::schematron::Source;
    let SchemaChoice::File(grammar) = &options.schema else {
        return;
    };
    if options.no_schematron {
        let _ = cache.get(grammar);
        return;
    }
    let embedded = Source::Embedded(grammar.clone());
    let (compiles, rules) = rayon::join(
        || cache.get(grammar).is_ok(),
        || {
            for f in options.config.schematron.iter().chain(&options.schematron) {
                let _ = sch.get(&Source::Sch(f.clone()));
            }
            sch.compile(&embedded)
        },
    );
    if compiles {
        sch.keep(&embedded, rules);
    }
}

fn schematron_sources(
    text: &str,
    path: &Path,
    grammar: &schema::SchemaSource,
    options: &Options,
    cache: &schema::SchemaCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::schematron::Source> {
    use crate::schematron::Source;
    let mut out = Vec::new();
    if options.no_schematron {
        return out;
    }
    if let schema::SchemaSource::File(g) = grammar {
        out.push(Source::Embedded(g.clone()));
    }
    for f in options.config.schematron.iter().chain(&options.schematron) {
        out.push(Source::Sch(f.clone()));
    }
    let (models, refused) = cache.schematron_models(text, path, options);
    out.extend(models.into_iter().map(Source::Sch));
    diags.extend(refused);
    let mut seen = HashSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

fn validate_input(
    input: &walk::Input,
    options: &Options,
    registers: &Registers,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
    project: &schema::Project,
) -> Prepared {
    let path = match input {
        walk::Input::Missing(p, why) => return io_report(p, why.clone()),
        walk::Input::File(p, _) => p,
    };
    let mut report = FileReport {
        path: path.clone(),
        schema: "none".into(),
        diagnostics: Vec::new(),
        source: String::new(),
        excerpts: Default::default(),
        fatal: false,
        schematron: Vec::new(),
    };
    let document = if streams(path, options) {
        Document::Stream
    } else {
        let bytes = match crate::fsutil::read_input(path) {
            Ok(b) => b,
            Err(e) => return io_report(path, e.to_string()),
        };
        match crate::xml::decode(&bytes) {
            Ok(d) => Document::Text(d.text.into_owned()),
            Err(mut d) => {
                // the span is in the raw bytes: count lines there
                let head =
                    String::from_utf8_lossy(&bytes[..d.span.start.min(bytes.len())]).into_owned();
                let (l, c) = LineIndex::new(&head).line_col(&head, head.len());
                d.line = l;
                d.column = c;
                d.span = 0..0;
                report.diagnostics.push(d);
                return Prepared {
                    report,
                    facts: FileFacts::default(),
                    dropped: 0,
                    streamed: false,
                    xinclude: None,
                };
            }
        }
    };
    // XInclude: a document that holds the namespace is validated assembled (a substring
    // search for the others); its diagnostics go back to their files at the end
    let mut xinclude = None;
    let document = match document {
        Document::Text(text) if !options.no_xinclude => {
            let env = crate::xinclude::Env {
                path,
                allowed: &|p: &Path| project.contains(p),
                limits: &options.config.limits,
            };
            match crate::xinclude::assemble(&text, &env) {
                Some(a) if a.fatal => {
                    // a limit stopped the assembly: what there is is not the document
                    let mut diags = a.diagnostics;
                    options.config.apply(&mut diags);
                    report.diagnostics = diags;
                    report.schema = cache.choose(&text, path, options).source.label();
                    report.source = text;
                    return Prepared {
                        report,
                        facts: FileFacts::default(),
                        dropped: 0,
                        streamed: false,
                        xinclude: None,
                    };
                }
                Some(a) => {
                    xinclude = Some((text, std::sync::Arc::new(a.map), a.diagnostics));
                    Document::Text(a.text)
                }
                None => Document::Text(text),
            }
        }
        d => d,
    };
    validate_document(
        path, document, report, options, registers, cache, sch, xinclude,
    )
}

/// A document assembled from its includes: the original text, the map of the assembled
/// positions back to the files, and the findings of the assembly itself.
type Assembled = (
    String,
    std::sync::Arc<crate::xinclude::SourceMap>,
    Vec<Diagnostic>,
);

/// Validates one file whose text is in hand (or that is streamed): grammar, checks and
/// Schematron; everything but the cross-file step. `xinclude`: the document was assembled
/// from its includes ([`crate::xinclude`]), its diagnostics go back to their files.
#[allow(clippy::too_many_arguments)]
fn validate_document(
    path: &Path,
    document: Document,
    mut report: FileReport,
    options: &Options,
    registers: &Registers,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
    xinclude: Option<Assembled>,
) -> Prepared {
    let schema::Choice {
        source,
        note,
        refused,
    } = match &document {
        Document::Text(text) => cache.choose(text, path, options),
        // only an automatic choice reads the prolog
        Document::Stream if options.schema == SchemaChoice::Auto => {
            cache.choose(&head_text(path), path, options)
        }
        Document::Stream => cache.choose("", path, options),
    };
    let compiled = match &source {
        schema::SchemaSource::File(p) => Some(cache.get(p)),
        schema::SchemaSource::Embedded => Some(cache.embedded()),
        schema::SchemaSource::Skip => None,
    };
    report.schema = match (&compiled, note) {
        (Some(Err(_)), _) => format!("{} (does not compile)", source.label()),
        (_, Some(n)) => format!("{} ({n})", source.label()),
        _ => source.label(),
    };
    let schema = compiled.and_then(Result::ok);
    let fallback = TeiPointerAttributes;
    let schema_types = schema.as_deref().map(schema::SchemaTypes);
    let types: &dyn check::AttributeTypes = match &schema_types {
        Some(t) => t,
        None => &fallback,
    };
    let env = CheckEnv {
        path,
        types,
        registers,
    };
    let mut checks = FileChecks::new(&env);
    let limits = &options.config.limits;
    let mut grammar = schema.as_deref().map(|s| {
        crate::relaxng::validate::Validator::new(s).with_max_diagnostics(limits.diagnostics)
    });
    let mut dropped = 0;
    let mut detector = crate::xinclude::Detector::default();
    // the CMIF rules run on the same events as every other check (a streamed file too)
    let mut cmif = (options.profile == Profile::Cmif).then(crate::check::cmif::CmifRules::default);
    let mut xml_diags = {
        let mut handlers: Vec<&mut dyn crate::xml::Handler> = Vec::with_capacity(4);
        if let Some(g) = grammar.as_mut() {
            handlers.push(g);
        }
        handlers.push(&mut checks);
        if let Some(c) = cmif.as_mut() {
            handlers.push(c);
        }
        if matches!(document, Document::Stream) && !options.no_xinclude {
            handlers.push(&mut detector);
        }
        let mut tee = crate::xml::Tee::new(handlers);
        let opts = crate::xml::ParseOptions::from(limits);
        match &document {
            Document::Text(text) => crate::xml::parse(text, &mut tee, &opts),
            Document::Stream => {
                let read = std::fs::File::open(path)
                    .and_then(|mut f| crate::xml::parse_read(&mut f, &mut tee, &opts));
                match read {
                    Ok(d) => d,
                    Err(e) => return io_report(path, e.to_string()),
                }
            }
        }
    };
    xml_diags.extend(detector.finish());
    let well_formed = !xml_diags.iter().any(|d| d.severity == Severity::Error);
    let mut diags = xml_diags;
    diags.extend(refused);
    let facts = if well_formed {
        if let Some(g) = grammar {
            let (found, more) = g.finish_counted();
            diags.extend(found);
            dropped = more;
        }
        let mut f = checks.finish();
        diags.append(&mut f.diagnostics);
        if let Some(c) = cmif {
            diags.extend(c.finish());
        }
        f
    } else {
        // what follows a fatal error was never read: grammar and checks would only guess
        FileFacts::default()
    };
    if well_formed {
        // a grammar that does not compile has no embedded rules to run (its includes may be
        // any file: only the RELAX NG compiler reads them, and it says what they are)
        let grammar = if schema.is_some() {
            source.clone()
        } else {
            schema::SchemaSource::Skip
        };
        report.schematron =
            run_schematron(&document, path, &grammar, options, cache, sch, &mut diags);
    }
    // an assembled document's diagnostics go back to the files and lines of their content
    let xmap = xinclude.map(|(original, map, included)| {
        map.relocate(&mut diags);
        diags.extend(included);
        (original, map)
    });
    options.config.apply(&mut diags);
    // a clean file needs no line index: most files of a corpus are clean; a streamed file's
    // diagnostics are located once the cross-file step has added its own
    let streamed = matches!(document, Document::Stream);
    let mut map = None;
    if let Document::Text(text) = document {
        match xmap {
            Some((original, m)) => {
                if !diags.is_empty() {
                    report.source = original;
                }
                map = Some(m);
            }
            None if !diags.is_empty() => {
                locate(&text, &mut diags);
                report.source = text;
            }
            None => {}
        }
    }
    report.diagnostics = diags;
    Prepared {
        report,
        facts,
        dropped,
        streamed,
        xinclude: map,
    }
}

/// Runs the Schematron schemas of one well-formed file ([`schematron_sources`]) and says
/// which ran. A streamed file is checked record by record ([`run_streamed_schematron`]).
fn run_schematron(
    document: &Document,
    path: &Path,
    grammar: &schema::SchemaSource,
    options: &Options,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::sync::Arc<crate::schematron::svrl::SchemaInfo>> {
    if options.no_schematron {
        return Vec::new();
    }
    let head;
    let prolog = match document {
        Document::Text(text) => text.as_str(),
        Document::Stream => {
            head = head_text(path);
            head.as_str()
        }
    };
    let sources = schematron_sources(prolog, path, grammar, options, cache, diags);
    let schemas: Vec<_> = sources
        .iter()
        .filter_map(|s| sch.get(s).ok().flatten())
        .collect();
    if schemas.is_empty() {
        return Vec::new();
    }
    let limits = &options.schematron_limits;
    let infos = schemas
        .iter()
        .map(|s| std::sync::Arc::clone(&s.info))
        .collect();
    match document {
        Document::Text(text) => run_whole(text, &schemas, limits, diags),
        Document::Stream => run_streamed_schematron(
            path,
            &schemas,
            limits,
            crate::schematron::chunk::RECORD_BYTES,
            diags,
        ),
    }
    infos
}

/// Runs `schemas` on a document's whole tree.
fn run_whole(
    text: &str,
    schemas: &[std::sync::Arc<crate::schematron::Schematron>],
    limits: &crate::schematron::limits::Limits,
    diags: &mut Vec<Diagnostic>,
) {
    let before = diags.len();
    for s in schemas {
        diags.extend(s.run(text, limits));
    }
    let tags = diags[before..]
        .iter()
        .map(|d| {
            let start = d.span.start;
            let end = text
                .get(start..)
                .and_then(|t| t.find('>'))
                .map_or(start, |e| start + e);
            start..end
        })
        .collect::<Vec<_>>();
    drop_duplicates(&tags, diags, before);
}

/// Schematron on a streamed file ([`crate::schematron::chunk`]): the file is cut into records
/// (elements of at most `record_bytes` whose parent is larger); the patterns that are local
/// ([`crate::schematron::locality`]) run on batches of records and on the file without them,
/// a bounded tree at a time, so memory stays flat. The patterns that need the whole document
/// do not run: one `tei::sch::not_run` (advice) per schema names them, says why, and how to
/// have the file read whole (`--stream-from`).
pub fn run_streamed_schematron(
    path: &Path,
    schemas: &[std::sync::Arc<crate::schematron::Schematron>],
    limits: &crate::schematron::limits::Limits,
    record_bytes: u64,
    diags: &mut Vec<Diagnostic>,
) {
    use crate::schematron::chunk;
    let size = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
    let whole = |diags: &mut Vec<Diagnostic>| {
        if size > limits.max_bytes {
            diags.push(Diagnostic::new(
                &crate::schematron::NOT_RUN,
                0..0,
                format!(
                    "the Schematron rules did not run: the file has {size} bytes, more than the tree limit of {} (--schematron-max-bytes), and no elements to check one by one",
                    limits.max_bytes
                ),
            ));
            return;
        }
        if let Some(text) = read_text(path) {
            run_whole(&text, schemas, limits, diags);
        }
    };
    let Some(cut) = chunk::cut(path, record_bytes.min(limits.max_bytes)) else {
        return;
    };
    if !cut.is_split() {
        return whole(diags);
    }
    // a streamed file never gets a whole tree (memory stays flat): the patterns that need one
    // are named, with how to run them
    let splits: Vec<chunk::Split> = schemas.iter().map(|s| chunk::split(s, &cut)).collect();
    for (s, sp) in schemas.iter().zip(&splits) {
        if sp.global.is_empty() {
            continue;
        }
        const SHOWN: usize = 5;
        let mut list = sp
            .global
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if sp.global.len() > SHOWN {
            list.push_str(&format!("; and {} more", sp.global.len() - SHOWN));
        }
        // not a problem of the file: what was not checked, and how to check it
        let mut d = Diagnostic::new(
            &crate::schematron::NOT_RUN,
            0..0,
            format!(
                "{} pattern(s) of {} need the whole document as a tree and did not run: the file ({size} bytes) is read as a stream, a record at a time (--stream-from); the other rules ran record by record ({} records). To run them too, have the file read whole: --stream-from {}{} (the tree costs memory in proportion to the file). Not run: {list}",
                sp.global.len(),
                s.label,
                cut.records(),
                size + 1,
                if size > limits.max_bytes {
                    format!(" --schematron-max-bytes {size}")
                } else {
                    String::new()
                }
            ),
        );
        d.severity = Severity::Advice;
        diags.push(d);
    }
    let locals: Vec<_> = splits.into_iter().filter_map(|s| s.local).collect();
    if locals.is_empty() {
        return;
    }
    let before = diags.len();
    let mut tags = Vec::new();
    for f in chunk::run(path, &cut, &locals, limits) {
        diags.push(f.diagnostic);
        tags.push(f.tag);
    }
    drop_duplicates(&tags, diags, before);
}

/// How a Schematron finding is recognised as the one a hand-written rule duplicates.
#[derive(Clone, Copy)]
enum Covers {
    /// The id fragment of a TEI constraint in the finding's code (ODD output names its
    /// pattern after it).
    CodeFragment(&'static str),
    /// The message's leading marker: the SIG's `cmif.sch` numbers its asserts (`[E0001]`).
    MessageMarker(&'static str),
}

impl Covers {
    fn matches(self, d: &Diagnostic) -> bool {
        match self {
            Covers::CodeFragment(f) => d.code.id.contains(f),
            Covers::MessageMarker(m) => {
                d.schematron.is_some() && d.message.trim_start().starts_with(m)
            }
        }
    }
}

/// teikit's rules that a Schematron schema also carries: TEI's own embedded rules
/// (`tests/schematron_duplicates.rs` shows they fire at the same places), and the five asserts
/// of the CMIF SIG's `cmif.sch`, run with `--profile cmif --schematron cmif.sch` (the same test
/// file shows teikit's CMIF rules fire where cmif.sch's do).
const COVERED_BY_SCHEMATRON: &[(&str, Covers)] = &[
    (
        "tei::tei::when_with_range",
        Covers::CodeFragment("att_datable_w3c_when"),
    ),
    (
        "tei::tei::subtype_without_type",
        Covers::CodeFragment("att_typed_subtypetyped"),
    ),
    ("tei::cmif::missing_sent", Covers::MessageMarker("[E0001]")),
    (
        "tei::cmif::missing_received",
        Covers::MessageMarker("[E0002]"),
    ),
    (
        "tei::cmif::unresolved_source",
        Covers::MessageMarker("[E0003]"),
    ),
    (
        "tei::cmif::date_without_attribute",
        Covers::MessageMarker("[E0004]"),
    ),
    (
        "tei::cmif::bibl_id_not_uuid",
        Covers::MessageMarker("[W0001]"),
    ),
];

/// Drops a hand-written finding when the Schematron findings (`diags[from..]`, `tags[i]` the
/// start tag, or the attribute, the span of `diags[from + i]` starts in) hold the rule it
/// duplicates on the same node (the hand-written one points into that range): one finding,
/// the schema's own, which takes the hand-written finding's help (the concrete fix: "expected
/// one of: #ed1") before its own. Each hand-written finding is looked up by binary search
/// among the spans of its rule: O((h + s) log s) for h hand-written and s Schematron findings.
fn drop_duplicates(tags: &[std::ops::Range<usize>], diags: &mut Vec<Diagnostic>, from: usize) {
    // per hand-written code: (span the Schematron finding covers, index of that finding)
    let mut covered: HashMap<&'static str, Vec<(std::ops::Range<usize>, usize)>> = HashMap::new();
    for ((i, d), tag) in diags.iter().enumerate().skip(from).zip(tags) {
        for (hand, covers) in COVERED_BY_SCHEMATRON {
            if covers.matches(d) {
                covered.entry(hand).or_default().push((tag.clone(), i));
            }
        }
    }
    if covered.is_empty() {
        return;
    }
    for spans in covered.values_mut() {
        spans.sort_by_key(|(r, _)| r.start);
    }
    // the spans of one code are disjoint or nested with the same end (an attribute inside its
    // element's start tag): the last span starting at or before a position decides
    let cover_of = |d: &Diagnostic| -> Option<usize> {
        let spans = covered.get(d.code.id)?;
        let at = spans.partition_point(|(r, _)| r.start <= d.span.start);
        let (r, i) = spans.get(at.checked_sub(1)?)?;
        (r.start <= d.span.start && d.span.start <= r.end).then_some(*i)
    };
    let mut helps: Vec<(usize, String)> = Vec::new();
    let mut keep = Vec::with_capacity(diags.len());
    for (i, d) in diags.iter().enumerate() {
        let cover = if i < from { cover_of(d) } else { None };
        if let (Some(target), Some(help)) = (cover, &d.help) {
            helps.push((target, help.clone()));
        }
        keep.push(cover.is_none());
    }
    for (target, help) in helps {
        let d = &mut diags[target];
        d.help = Some(match d.help.take() {
            Some(own) if !own.contains(&help) => format!("{help}\n{own}"),
            Some(own) => own,
            None => help,
        });
    }
    let mut i = 0;
    diags.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Sorts diagnostics by file (the report's own first, then the files content was included
/// from), line, column and code.
fn sort_by_position(diags: &mut [Diagnostic]) {
    fn key(d: &Diagnostic) -> (Option<&Path>, u32, u32, &'static str) {
        (
            d.origin.as_ref().map(|o| o.file.as_path()),
            d.line,
            d.column,
            d.code.id,
        )
    }
    diags.sort_by(|a, b| key(a).cmp(&key(b)));
}
