//! The validation pipeline: files and folders in, one [`FileReport`] per file out.
//!
//! For each file, in this order, all reported together: reading and decoding, well-formedness,
//! the grammar, then the checks of [`crate::check`]. Files are validated in parallel (rayon),
//! the largest first; one unreadable or malformed file never stops the others; reports come
//! back in input order (folders walked sorted). Pointers into other files and `correspContext` date order are
//! settled once every file is read ([`crate::check::crossfile`]).

pub mod config;
mod report;
pub mod schema;
mod schematron;
pub mod walk;
mod workbench;

pub use config::Config;
use report::{schema_report, schematron_report};
pub use report::{FileReport, Outcome, SetupError, Summary};
pub use schematron::run_streamed_schematron;
use schematron::{compile_ahead, plan_schematron, run_schematron};
pub use workbench::{TextReport, Workbench};

use crate::check::{self, CheckEnv, FileChecks, FileFacts, Registers, TeiPointerAttributes};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::LineIndex;
use rayon::prelude::*;
use std::collections::HashSet;
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

struct Prepared {
    report: FileReport,
    facts: FileFacts,
    /// Diagnostics (errors, warnings, advice) the grammar step and the checks found past the
    /// diagnostics limit and did not keep.
    dropped: crate::limit::Hidden,
    /// Read as a stream: its diagnostics are located (one re-read) after the cross-file step.
    streamed: bool,
    /// Assembled from its includes: where the assembled text came from.
    xinclude: Option<std::sync::Arc<crate::xinclude::SourceMap>>,
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
    // largest first (no core waits on one large file at the end), reports in input order
    let mut done: Vec<(usize, Prepared)> = walk::largest_first(&inputs)
        .par_iter()
        .map(|&i| {
            let p = validate_input(&inputs[i], options, &registers, &cache, &sch, &project);
            (i, p)
        })
        .collect();
    done.sort_unstable_by_key(|d| d.0);
    let prepared: Vec<Prepared> = done.into_iter().map(|(_, p)| p).collect();

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
            crate::limit::cap_diagnostics(&mut r.diagnostics, limits.diagnostics, [0; 3]);
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
            diagnostics: vec![d],
            fatal: true,
            ..FileReport::new(path)
        },
        facts: FileFacts::default(),
        dropped: [0; 3],
        streamed: false,
        xinclude: None,
    }
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
    let mut report = FileReport::new(path);
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
                    dropped: [0; 3],
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
                        dropped: [0; 3],
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
    let limits = &options.config.limits;
    let mut checks = FileChecks::new(&env).with_max_diagnostics(limits.diagnostics);
    let mut grammar = schema.as_deref().map(|s| {
        crate::relaxng::validate::Validator::new(s).with_max_diagnostics(limits.diagnostics)
    });
    let mut dropped = [0; 3];
    let mut detector = crate::xinclude::Detector::default();
    // the CMIF rules run on the same events as every other check (a streamed file too)
    let mut cmif = (options.profile == Profile::Cmif)
        .then(|| crate::check::cmif::CmifRules::default().with_max_diagnostics(limits.diagnostics));
    // a grammar that does not compile has no embedded rules to run (its includes may be any
    // file: only the RELAX NG compiler reads them, and it says what they are)
    let rules_of = if schema.is_some() {
        source.clone()
    } else {
        schema::SchemaSource::Skip
    };
    let planned = plan_schematron(&document, path, &rules_of, options, cache, sch);
    // a file read whole that some Schematron runs on gets the light tree its screen reads
    // from this same pass
    let mut light = match &document {
        Document::Text(t) if !planned.schemas.is_empty() => {
            Some(crate::schematron::light::Builder::for_text(t.len()))
        }
        _ => None,
    };
    let mut xml_diags = {
        let mut handlers: Vec<&mut dyn crate::xml::Handler> = Vec::with_capacity(5);
        if let Some(b) = light.as_mut() {
            handlers.push(b);
        }
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
            dropped[0] += more;
        }
        let mut f = checks.finish();
        options.config.count_surplus(&f.surplus, &mut dropped);
        diags.append(&mut f.diagnostics);
        if let Some(c) = cmif {
            let (found, surplus) = c.finish();
            diags.extend(found);
            options.config.count_surplus(&surplus, &mut dropped);
        }
        f
    } else {
        // what follows a fatal error was never read: grammar and checks would only guess
        FileFacts::default()
    };
    if well_formed {
        let tree = match (light, &document) {
            (Some(b), Document::Text(text)) => b.finish(text),
            _ => None,
        };
        let ran = run_schematron(&document, tree.as_ref(), planned, path, options, &mut diags);
        options.config.count_surplus(&ran.surplus, &mut dropped);
        report.schematron = ran.infos;
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
