//! Which schema validates a file, and compiling each schema once.
//!
//! Order: `--schema FILE`; else the first RELAX NG `<?xml-model href=…?>` of the file's prolog
//! when it resolves to a local file (relative to the file; a URL through the config's
//! `[schemas]` map, or by its file name in a folder of `TEIKIT_SCHEMA_PATH`); else the
//! embedded default.
//!
//! A document names its schema, and a document may come from anyone: an `href` is followed
//! only inside the [`Project`] (the folders given, the folder of each file given, the folder of
//! `teikit.toml`); the rest is refused with [`XML_MODEL_OUTSIDE`] without reading it. A file
//! read as a schema (the main one or one it includes) whose root element is not in the RELAX
//! NG namespace (for an `.rnc` file: that does not start as compact syntax) is
//! [`NOT_A_SCHEMA`]: no byte of it is quoted in any report.

use super::{Options, SchemaChoice};
use crate::check::{AttrKind, AttributeTypes, TeiPointerAttributes};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Limits;
use crate::relaxng::{AttributeKind, FsResolver, Resolver, Schema, SchemaDiagnostic, SchemaError};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// `tei::schema::xml_model_outside`
pub static XML_MODEL_OUTSIDE: Code = Code {
    id: "tei::schema::xml_model_outside",
    severity: Severity::Error,
    summary: "An xml-model names a schema outside the project; it was not read",
    explanation: "A document's `<?xml-model href=\"…\"?>` is followed only inside the project: \
the folders given to `teikit validate`, the folder of each file given, and the folder of the \
`teikit.toml` in use (and the files that `teikit.toml`'s `[schemas]` map or `TEIKIT_SCHEMA_PATH` \
name). An `href` that leads anywhere else (`/etc/…`, `../../…` past the project, or a link out \
of it) is refused without being read, so that validating a document from someone else cannot \
show the files of the machine it runs on. The file is validated with the embedded schema \
instead. To use that schema, put a `teikit.toml` in the project's top folder, map the URL in \
its `[schemas]` table, or pass `--schema`.",
};

/// `tei::schema::not_a_schema`
pub static NOT_A_SCHEMA: Code = Code {
    id: "tei::schema::not_a_schema",
    severity: Severity::Error,
    summary: "A file read as a schema is not a RELAX NG schema",
    explanation: "The file given with `--schema`, named by an `xml-model`, or reached through an \
`include` or `externalRef` does not start with an element in the RELAX NG namespace \
(`http://relaxng.org/ns/structure/1.0`), or is not XML before it; or, for a file whose name \
ends in `.rnc`, it does not start as RELAX NG compact syntax does (a declaration, a \
definition, an annotation or a pattern, after comments). Nothing of its content is shown, \
whatever it holds: it may be any file of the machine. Check the path; teikit reads RELAX NG \
in XML syntax (`.rng`) and in compact syntax (`.rnc`), not DTDs or XML Schema.",
};

/// Every code of the `tei::schema` area.
pub static CODES: &[&Code] = &[&XML_MODEL_OUTSIDE, &NOT_A_SCHEMA];

/// The embedded default schema (teikit's TEI customisation for correspondence).
pub const EMBEDDED_SCHEMA: &str = include_str!("../../schema/tei-corresp.rng");
/// How reports name the embedded schema.
pub const EMBEDDED_NAME: &str = "embedded tei-corresp.rng";

/// The RELAX NG namespace, as `schematypens` names it.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// Where a file's schema comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SchemaSource {
    /// A schema file.
    File(PathBuf),
    /// No grammar step.
    Skip,
    /// The embedded default, `schema/tei-corresp.rng`.
    Embedded,
}

impl SchemaSource {
    /// How reports name it.
    pub fn label(&self) -> String {
        match self {
            SchemaSource::File(p) => p.to_string_lossy().replace('\\', "/"),
            SchemaSource::Skip => "none".into(),
            SchemaSource::Embedded => EMBEDDED_NAME.into(),
        }
    }
}

/// One `<?xml-model?>` of the prolog.
struct XmlModel {
    href: String,
    schematypens: Option<String>,
    type_: Option<String>,
    /// Byte range of the processing instruction in the text.
    span: Range<usize>,
}

/// Skips what may come before the root element (a BOM, whitespace, processing instructions,
/// comments, a DOCTYPE), calling `pi` with each processing instruction's body and span; returns
/// the offset where the prolog ends (at the root element, or where it could not be read on).
fn skip_prolog(text: &str, mut pi: impl FnMut(&str, Range<usize>)) -> usize {
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        let rest = trimmed;
        if let Some(r) = rest.strip_prefix("<?") {
            let Some(end) = r.find("?>") else { break };
            pi(&r[..end], at..at + end + 4);
            at += end + 4;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            let Some(end) = r.find("-->") else { break };
            at += end + 7;
        } else if let Some(r) = rest.strip_prefix("<!DOCTYPE") {
            // skip to the `>` that closes the declaration, past an internal subset
            let close = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => r[b..]
                    .find(']')
                    .and_then(|e| r[b + e..].find('>').map(|g2| b + e + g2)),
                (_, g) => g,
            };
            let Some(end) = close else { break };
            at += "<!DOCTYPE".len() + end + 1;
        } else {
            break;
        }
    }
    at
}

/// The `<?xml-model?>` instructions of the prolog that name an `href`.
fn xml_models(text: &str) -> Vec<XmlModel> {
    let mut out = Vec::new();
    skip_prolog(text, |body, span| {
        if let Some(data) = body.strip_prefix("xml-model") {
            let get = |name: &str| pseudo_attr(data, name);
            if let Some(href) = get("href") {
                out.push(XmlModel {
                    href,
                    schematypens: get("schematypens"),
                    type_: get("type"),
                    span,
                });
            }
        }
    });
    out
}

fn pseudo_attr(data: &str, name: &str) -> Option<String> {
    let mut s = data;
    while let Some(i) = s.find(name) {
        let before_ok = i == 0 || s[..i].ends_with(char::is_whitespace);
        let after = s[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let v = &v[1..];
                    return Some(v[..v.find(q)?].to_string());
                }
            }
        }
        s = &s[i + name.len()..];
    }
    None
}

/// The folders a document's `xml-model` may lead into: the folders given as inputs, the folder
/// of each file given, and the folder of the `teikit.toml` in use (standard input counts as
/// the working folder). Each is kept as written (made absolute) and with its links resolved.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The roots as written, made absolute.
    written: HashSet<PathBuf>,
    /// The roots with their links resolved.
    real: HashSet<PathBuf>,
}

impl Project {
    /// The project of a run over `inputs` with `config`.
    pub fn new(inputs: &[PathBuf], config: &super::Config) -> Project {
        let mut folders: Vec<PathBuf> = inputs
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect();
        if let Some(dir) = config.path.as_deref().and_then(Path::parent) {
            folders.push(dir.to_path_buf());
        }
        // many files of one folder are one root (resolved once)
        folders.sort();
        folders.dedup();
        Project {
            written: folders.iter().map(|f| lexical(f)).collect(),
            real: folders
                .iter()
                .filter_map(|f| std::fs::canonicalize(absolute(f)).ok())
                .collect(),
        }
    }

    /// Whether `path` lies inside the project, both as written and once links are resolved
    /// (a link inside the project that leads out of it does not count). Costs the depth of
    /// `path`, however many roots there are.
    pub fn contains(&self, path: &Path) -> bool {
        let written = lexical(path);
        if !written.ancestors().any(|a| self.written.contains(a)) {
            return false;
        }
        match std::fs::canonicalize(path) {
            Ok(real) => real.ancestors().any(|a| self.real.contains(a)),
            // does not exist: nothing to read, nothing to leak
            Err(_) => true,
        }
    }
}

/// `path` made absolute against the working folder (empty: the working folder itself).
fn absolute(path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() {
        return std::env::current_dir().unwrap_or_default();
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `path` made absolute with `.` and `..` resolved by name (links are not followed).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in absolute(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The schema chosen for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Where the schema comes from.
    pub source: SchemaSource,
    /// Why a file's `xml-model` was not used ("xml-model … not found"), for the report's
    /// schema line.
    pub note: Option<String>,
    /// A refused `xml-model` ([`XML_MODEL_OUTSIDE`]), to report on the file.
    pub refused: Option<Diagnostic>,
}

/// Chooses the schema for one file (`text`: at least its prolog); an `xml-model` is followed
/// only inside `project`.
pub fn choose(text: &str, file: &Path, options: &Options, project: &Project) -> Choice {
    let fixed = |source| Choice {
        source,
        note: None,
        refused: None,
    };
    match &options.schema {
        SchemaChoice::File(p) => return fixed(SchemaSource::File(p.clone())),
        SchemaChoice::Skip => return fixed(SchemaSource::Skip),
        SchemaChoice::Auto => {}
    }
    let mut note = None;
    let mut refused = None;
    for m in xml_models(text) {
        let href = &m.href;
        let is_rng = match m.schematypens.as_deref() {
            Some(ns) => ns == RNG_NS,
            None => {
                (href.ends_with(".rng") && xml_type(m.type_.as_deref()))
                    || (href.ends_with(".rnc") && compact_type(m.type_.as_deref()))
            }
        };
        if !is_rng {
            continue;
        }
        match resolve_href(href, file, options, project) {
            Resolved::File(p) => {
                return Choice {
                    source: SchemaSource::File(p),
                    note: None,
                    refused,
                }
            }
            Resolved::Missing => {
                note = Some(format!(
                    "xml-model `{href}` does not resolve to a local file"
                ));
            }
            Resolved::Outside => {
                note = Some(format!("xml-model `{href}` is outside the project"));
                refused.get_or_insert_with(|| {
                    Diagnostic::new(
                        &XML_MODEL_OUTSIDE,
                        m.span.clone(),
                        format!("xml-model `{href}` leads outside the project; it was not read"),
                    )
                    .with_help(
                        "an xml-model is followed only inside the folders given to teikit and \
the folder of teikit.toml; map its URL in teikit.toml's [schemas], or pass --schema",
                    )
                });
            }
        }
    }
    Choice {
        source: SchemaSource::Embedded,
        note,
        refused,
    }
}

/// The Schematron namespace, as `schematypens` names it.
pub const SCH_NS: &str = "http://purl.oclc.org/dsdl/schematron";

/// The Schematron schemas a file's `xml-model`s select (`schematypens` the Schematron
/// namespace, or an `href` ending in `.sch` with no `schematypens`), followed only inside
/// `project` like a RELAX NG `xml-model`; a refused one is reported on the file
/// ([`XML_MODEL_OUTSIDE`]), one that does not resolve is skipped.
pub fn schematron_models(
    text: &str,
    file: &Path,
    options: &Options,
    project: &Project,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut refused = Vec::new();
    for m in xml_models(text) {
        let is_sch = match m.schematypens.as_deref() {
            Some(ns) => ns == SCH_NS,
            None => m.href.ends_with(".sch"),
        };
        if !is_sch {
            continue;
        }
        match resolve_href(&m.href, file, options, project) {
            Resolved::File(p) => found.push(p),
            Resolved::Missing => {}
            // a warning, not the RELAX NG one's error: the grammar still decides validity
            Resolved::Outside => {
                let mut d = Diagnostic::new(
                    &XML_MODEL_OUTSIDE,
                    m.span.clone(),
                    format!(
                        "xml-model `{}` (Schematron) leads outside the project; it was not read and its rules did not run",
                        m.href
                    ),
                )
                .with_help(
                    "an xml-model is followed only inside the folders given to teikit and \
the folder of teikit.toml; map its URL in teikit.toml's [schemas], or pass --schematron",
                );
                d.severity = Severity::Warning;
                refused.push(d);
            }
        }
    }
    (found, refused)
}

fn xml_type(t: Option<&str>) -> bool {
    matches!(t, None | Some("application/xml") | Some("text/xml"))
}

/// The media types an `xml-model` gives a compact-syntax schema.
fn compact_type(t: Option<&str>) -> bool {
    matches!(
        t,
        None | Some("application/relax-ng-compact-syntax") | Some("application/vnd.relax-ng.rnc")
    )
}

/// Whether the schema file `path` with `text` may be read and quoted: RELAX NG in XML syntax,
/// or, for an `.rnc` file, text that starts as the compact syntax does.
fn is_schema_text(path: &Path, text: &str) -> bool {
    if crate::relaxng::is_compact(path) {
        crate::relaxng::looks_like_compact(text)
    } else {
        is_rng_text(text)
    }
}

/// Where an `href` leads.
enum Resolved {
    File(PathBuf),
    Missing,
    Outside,
}

fn resolve_href(href: &str, file: &Path, options: &Options, project: &Project) -> Resolved {
    let found = |p: PathBuf| {
        if p.is_file() {
            Resolved::File(p)
        } else {
            Resolved::Missing
        }
    };
    let is_url = href.contains("://");
    if !is_url {
        let p = file
            .parent()
            .unwrap_or(Path::new(""))
            .join(href.strip_prefix("file:").unwrap_or(href));
        if !project.contains(&p) {
            return Resolved::Outside;
        }
        return found(p);
    }
    // a URL reaches only what the user mapped: the config's [schemas], TEIKIT_SCHEMA_PATH
    if let Some(p) = options.config.schemas.get(href) {
        return found(p.clone());
    }
    let Some(name) = href
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
    else {
        return Resolved::Missing;
    };
    let Some(dirs) = std::env::var_os("TEIKIT_SCHEMA_PATH") else {
        return Resolved::Missing;
    };
    std::env::split_paths(&dirs)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .map_or(Resolved::Missing, Resolved::File)
}

/// Whether `text` is a RELAX NG schema in XML syntax as far as its root element: a well-formed
/// prolog and a root start tag in the RELAX NG namespace. Only such a file's text may be quoted
/// in a report (a schema path may name any file of the machine).
pub fn is_rng_text(text: &str) -> bool {
    let at = skip_prolog(text, |_, _| {});
    let rest = &text[at..];
    if !rest.starts_with('<') || rest[1..].starts_with(['!', '?', '/']) {
        return false;
    }
    // the end of the root start tag, past quoted attribute values
    let mut quote = None;
    let mut end = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = end else { return false };
    // the reader takes decoded text, without a byte order mark
    let tag = text[..at + end].trim_start_matches('\u{feff}');
    let tag = tag.strip_suffix('/').unwrap_or(tag);
    struct Root(Option<bool>);
    impl crate::xml::Handler for Root {
        fn start_element(&mut self, t: &crate::xml::StartTag<'_>) {
            self.0.get_or_insert(t.ns == RNG_NS);
        }
        fn end_element(&mut self, _: &crate::xml::EndTag<'_>) {}
        fn text(&mut self, _: &str, _: Range<usize>) {}
    }
    let mut root = Root(None);
    let diags = crate::xml::parse(
        &format!("{tag}/>"),
        &mut root,
        &crate::xml::ParseOptions::default(),
    );
    root.0 == Some(true) && !diags.iter().any(|d| d.severity == Severity::Error)
}

/// Why a schema file was refused (the text of an I/O error: it quotes nothing of the file).
const NOT_A_SCHEMA_TEXT: &str =
    "not a RELAX NG schema in XML syntax (its root element is not in the RELAX NG namespace); \
nothing of its content is shown";

/// Why an `.rnc` file was refused.
const NOT_COMPACT_TEXT: &str =
    "not a RELAX NG schema in compact syntax (it does not start with a declaration, a \
definition, an annotation or a pattern); nothing of its content is shown";

/// The reason a file at `path` that is no schema was refused.
fn not_a_schema_text(path: &Path) -> &'static str {
    if crate::relaxng::is_compact(path) {
        NOT_COMPACT_TEXT
    } else {
        NOT_A_SCHEMA_TEXT
    }
}

/// The payload of [`SchemaFiles`]' error for a file that is not a RELAX NG schema (the reason).
#[derive(Debug)]
struct NotASchema(&'static str);

impl std::fmt::Display for NotASchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for NotASchema {}

/// Reads schema files (the main one and those it includes) as [`FsResolver`] does (regular
/// files only, within the size limit), refusing a file that is not a RELAX NG schema (XML or
/// compact syntax), so that no error can quote it.
struct SchemaFiles;

impl Resolver for SchemaFiles {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        self.load_at_most(path, usize::MAX)
    }

    fn load_at_most(&self, path: &Path, max_bytes: usize) -> std::io::Result<String> {
        let text = FsResolver.load_at_most(path, max_bytes)?;
        if is_schema_text(path, &text) {
            Ok(text)
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                NotASchema(not_a_schema_text(path)),
            ))
        }
    }
}

/// Compiles the schema at `path` under `limits` (its files' size together, their nesting),
/// refusing (without quoting) files that are not schemas, devices, FIFOs and folders.
fn compile(path: &Path, limits: &Limits) -> Result<Schema, SchemaError> {
    match SchemaFiles.load_at_most(path, limits.schema_size) {
        Ok(text) => Schema::from_str_with(&text, path, &SchemaFiles, limits),
        Err(e) => {
            let diagnostic = if e.get_ref().is_some_and(|inner| inner.is::<NotASchema>()) {
                Diagnostic::new(
                    &NOT_A_SCHEMA,
                    0..0,
                    format!("{} is {}", path.display(), not_a_schema_text(path)),
                )
            } else if crate::relaxng::is_too_large(&e) {
                crate::relaxng::schema_too_large(path, limits.schema_size)
            } else {
                Diagnostic::new(
                    &crate::relaxng::SCHEMA_NOT_FOUND,
                    0..0,
                    format!("cannot read schema {}: {e}", path.display()),
                )
            };
            Err(SchemaError {
                diagnostics: vec![SchemaDiagnostic {
                    file: path.to_path_buf(),
                    diagnostic: diagnostic.at(1, 1),
                }],
            })
        }
    }
}

/// The text of the schema file at `path` for a report's snippets, or `None` when it is not a
/// RELAX NG schema (then nothing of it may be shown), not a regular file (a device or FIFO is
/// never opened) or larger than the schema size limit.
pub fn quotable_text(path: &Path, limits: &Limits) -> Option<String> {
    SchemaFiles.load_at_most(path, limits.schema_size).ok()
}

type Slot = Arc<OnceLock<Result<Arc<Schema>, Arc<SchemaError>>>>;

/// The path as first given (for reports) and its compiled schema.
type Entry = (PathBuf, Slot);

/// Compiled schemas by path, each compiled once even when files ask in parallel.
#[derive(Default)]
pub struct SchemaCache {
    slots: Mutex<HashMap<PathBuf, Entry>>,
    embedded: Slot,
    project: Project,
    limits: Limits,
}

impl SchemaCache {
    /// A cache for a run over `project`, where documents' `xml-model`s may lead; schemas are
    /// read under `limits` (size and depth).
    pub fn new(project: Project, limits: Limits) -> SchemaCache {
        SchemaCache {
            project,
            limits,
            ..SchemaCache::default()
        }
    }

    /// Chooses the schema of one file ([`choose`] within this run's project).
    pub fn choose(&self, text: &str, file: &Path, options: &Options) -> Choice {
        choose(text, file, options, &self.project)
    }

    /// The compiled schema at `path`.
    pub fn get(&self, path: &Path) -> Result<Arc<Schema>, Arc<SchemaError>> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let slot = {
            let mut m = match self.slots.lock() {
                Ok(m) => m,
                Err(p) => p.into_inner(),
            };
            Arc::clone(
                &m.entry(key)
                    .or_insert_with(|| (path.to_path_buf(), Slot::default()))
                    .1,
            )
        };
        slot.get_or_init(|| compile(path, &self.limits).map(Arc::new).map_err(Arc::new))
            .clone()
    }

    /// The embedded default, compiled on first use.
    pub fn embedded(&self) -> Result<Arc<Schema>, Arc<SchemaError>> {
        self.embedded
            .get_or_init(|| {
                // the embedded schema includes nothing, so no file is ever read for it
                Schema::from_str_with(
                    EMBEDDED_SCHEMA,
                    EMBEDDED_NAME,
                    &crate::relaxng::FsResolver,
                    &self.limits,
                )
                .map(Arc::new)
                .map_err(Arc::new)
            })
            .clone()
    }

    /// The Schematron schemas a file's `xml-model`s select ([`schematron_models`] within this
    /// run's project).
    pub fn schematron_models(
        &self,
        text: &str,
        file: &Path,
        options: &Options,
    ) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        schematron_models(text, file, options, &self.project)
    }

    /// Every schema that failed, with its path.
    pub fn failures(&self) -> Vec<(PathBuf, Arc<SchemaError>)> {
        let m = match self.slots.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        let mut v: Vec<_> = m
            .values()
            .filter_map(|(p, s)| match s.get() {
                Some(Err(e)) => Some((p.clone(), Arc::clone(e))),
                _ => None,
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(Err(e)) = self.embedded.get() {
            v.insert(0, (PathBuf::from(EMBEDDED_NAME), Arc::clone(e)));
        }
        v
    }
}

/// Pointer attributes as a compiled schema types them, plus the TEI `data.pointer` attributes
/// of TEI elements the schema does not type (a strict customisation that does not declare an
/// attribute, or an element, still has its TEI pointers checked).
pub struct SchemaTypes<'a>(pub &'a Schema);

impl AttributeTypes for SchemaTypes<'_> {
    fn kind(&self, elem_ns: &str, elem_local: &str, attr_ns: &str, attr_local: &str) -> AttrKind {
        match self
            .0
            .attribute_kind(elem_ns, elem_local, attr_ns, attr_local)
        {
            AttributeKind::Pointer => AttrKind::Pointer,
            AttributeKind::Id => AttrKind::Id,
            AttributeKind::Idref => AttrKind::Idref,
            AttributeKind::Idrefs => AttrKind::Idrefs,
            AttributeKind::Other if crate::check::is_tei(elem_ns) => {
                TeiPointerAttributes.kind(elem_ns, elem_local, attr_ns, attr_local)
            }
            AttributeKind::Other => AttrKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rng_xml_models_in_the_prolog() {
        let t = "<?xml version=\"1.0\"?>\n<!-- c -->\n<?xml-model href=\"x.sch\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n<?xml-model href='tei.rng' type=\"application/xml\"?><TEI/>";
        let m = xml_models(t);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].href, "tei.rng");
        assert!(t[m[1].span.clone()].starts_with("<?xml-model href='tei.rng'"));
        assert!(t[m[1].span.clone()].ends_with("?>"));
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("tei.rng"), "<grammar/>").unwrap();
        let f = d.path().join("a.xml");
        let project = Project::new(std::slice::from_ref(&f), &Default::default());
        let c = choose(t, &f, &Options::default(), &project);
        assert_eq!(c.source, SchemaSource::File(d.path().join("tei.rng")));
        assert_eq!((c.note, c.refused), (None, None));
        let c = choose(
            "<?xml-model href=\"https://example.org/none.rng\"?><TEI/>",
            &f,
            &Options::default(),
            &project,
        );
        assert_eq!(c.source, SchemaSource::Embedded);
        assert!(c.note.unwrap().contains("none.rng"));
        assert_eq!(c.refused, None);
    }

    #[test]
    fn an_xml_model_is_followed_only_inside_the_project() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("edition");
        std::fs::create_dir_all(root.join("letters/a")).unwrap();
        std::fs::create_dir_all(root.join("schema")).unwrap();
        std::fs::write(root.join("schema/tei.rng"), "<grammar/>").unwrap();
        std::fs::write(d.path().join("secret.rng"), "<grammar/>").unwrap();
        let file = root.join("letters/a/l.xml");
        let model =
            |href: &str| format!("<?xml-model href=\"{href}\" schematypens=\"{RNG_NS}\"?><TEI/>");
        let letters = Project::new(&[root.join("letters")], &Default::default());
        let whole = Project::new(std::slice::from_ref(&root), &Default::default());
        let opts = Options::default();
        // inside the folder given
        let c = choose(&model("../../schema/tei.rng"), &file, &opts, &whole);
        assert_eq!(
            c.source,
            SchemaSource::File(root.join("letters/a/../../schema/tei.rng"))
        );
        // past the folder given, to an absolute path, through a link: refused, never read
        for href in [
            "../../schema/tei.rng",
            "../../../secret.rng",
            "/etc/passwd",
            "file:/etc/passwd",
        ] {
            let c = choose(&model(href), &file, &opts, &letters);
            assert_eq!(c.source, SchemaSource::Embedded, "{href}");
            let r = c.refused.expect(href);
            assert_eq!(r.code.id, XML_MODEL_OUTSIDE.id);
            assert!(
                r.message.contains(href) && !r.message.contains("root:"),
                "{}",
                r.message
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.path().join("secret.rng"), root.join("schema/link.rng"))
                .unwrap();
            let c = choose(&model("../../schema/link.rng"), &file, &opts, &whole);
            assert_eq!(c.source, SchemaSource::Embedded);
            assert!(c.refused.is_some());
        }
        // the folder of teikit.toml belongs to the project
        let config = super::super::Config {
            path: Some(root.join("teikit.toml")),
            ..Default::default()
        };
        let with_config = Project::new(&[root.join("letters")], &config);
        let c = choose(&model("../../schema/tei.rng"), &file, &opts, &with_config);
        assert!(matches!(c.source, SchemaSource::File(_)), "{c:?}");
    }

    #[test]
    fn only_relax_ng_files_count_as_schema_text() {
        for yes in [
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"/>",
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE g [<!ENTITY a \"b\">]>\n<rng:grammar xmlns:rng='http://relaxng.org/ns/structure/1.0' a='>'>\nroot:x:0:0",
            "<element name=\"a\" xmlns=\"http://relaxng.org/ns/structure/1.0\"><empty/></element>",
        ] {
            assert!(is_rng_text(yes), "{yes}");
        }
        for no in [
            "root:x:0:0:root:/root:/bin/bash\n",
            "",
            "<grammar/>",
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"/>",
            "<?xml version=\"1.0\"?>",
            "<!-- <grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"> -->",
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"",
            "<a:grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">",
        ] {
            assert!(!is_rng_text(no), "{no}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_schema_is_never_quoted() {
        let d = tempfile::tempdir().unwrap();
        let secret = d.path().join("secret.txt");
        std::fs::write(&secret, "hunter2 <password>\n").unwrap();
        let including = d.path().join("s.rng");
        std::fs::write(
            &including,
            format!(
                "<grammar xmlns=\"{RNG_NS}\"><include href=\"secret.txt\"/><start><empty/></start></grammar>"
            ),
        )
        .unwrap();
        for path in [&secret, &including] {
            let e = compile(path, &Limits::default()).expect_err("refused");
            let text = format!("{e}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("not a RELAX NG schema"), "{text}");
        }
        assert_eq!(quotable_text(&secret, &Limits::default()), None);
        assert!(quotable_text(&including, &Limits::default()).is_some());
    }
}
