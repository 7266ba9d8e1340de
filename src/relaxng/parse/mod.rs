//! Reading RELAX NG XML syntax (spec section 3) into a syntax tree, applying on the way the
//! simplification steps that are local to one element: annotations dropped (4.1), whitespace
//! (4.2), `datatypeLibrary` (4.3) and `ns` (4.8, 4.9) inheritance, `value` defaults (4.4),
//! `href` resolution with `xml:base` (4.5), `externalRef` (4.6) and `include` (4.7) loading,
//! QNames (4.10), `div` (4.11), child counts (4.12), `mixed`, `optional`, `zeroOrMore`
//! (4.13–4.15) and the name-class constraints of 4.16.

pub(crate) mod compact;
mod grammar;
mod lexical;
mod names;
mod patterns;
mod tree;

use std::cell::OnceCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::schema::{Resolver, SchemaDiagnostic};
use crate::diagnostic::{Code, Diagnostic};
use crate::limit::Limits;
use crate::source::LineIndex;

pub(crate) use lexical::normalize;
use lexical::{is_ncname, is_valid_library_uri, resolve_href};
use names::NcIn;
use tree::{Tree, XNode};

/// The RELAX NG structure namespace.
pub(crate) const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
/// The RELAX NG DTD compatibility annotations namespace (`a:documentation`).
pub(crate) const ANNOTATIONS_NS: &str = "http://relaxng.org/ns/compatibility/annotations/1.0";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns";

/// Index of a loaded schema file.
pub(crate) type FileId = u32;
/// Index of a grammar in [`Ast::grammars`].
pub(crate) type GrammarId = u32;

/// A place in a schema file.
#[derive(Debug, Clone)]
pub(crate) struct Pos {
    pub file: FileId,
    pub span: Range<usize>,
}

/// A pattern of the syntax tree.
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

/// The kinds of pattern left after the local simplification steps.
#[derive(Debug)]
pub(crate) enum Kind {
    Element {
        name: Nc,
        content: Box<Node>,
        doc: Option<String>,
    },
    Attribute {
        name: Nc,
        content: Box<Node>,
        /// Its `a:documentation` (kept for editors; validation never reads it).
        doc: Option<String>,
    },
    Group(Vec<Node>),
    Interleave(Vec<Node>),
    Choice(Vec<Node>),
    OneOrMore(Box<Node>),
    List(Box<Node>),
    Empty,
    Text,
    NotAllowed,
    Data {
        lib: Rc<str>,
        ty: String,
        params: Vec<(String, String)>,
        except: Option<Box<Node>>,
    },
    Value {
        lib: Rc<str>,
        ty: String,
        text: String,
        ns: Rc<str>,
        bindings: Vec<(String, String)>,
        /// Its `a:documentation` (the one following it in the XML syntax, the `##` before it
        /// in the compact syntax), kept for editors.
        doc: Option<String>,
    },
    Ref(String),
    ParentRef(String),
    Grammar(GrammarId),
}

/// A name class of the syntax tree.
#[derive(Debug)]
pub(crate) struct Nc {
    pub kind: NcKind,
    pub pos: Pos,
}

/// Name-class kinds.
#[derive(Debug)]
pub(crate) enum NcKind {
    Name { ns: Rc<str>, local: String },
    AnyName(Option<Box<Nc>>),
    NsName(Rc<str>, Option<Box<Nc>>),
    Choice(Vec<Nc>),
}

/// `combine` of a `define` or `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combine {
    Choice,
    Interleave,
}

/// One `start` or `define` of a grammar.
#[derive(Debug)]
pub(crate) struct Component {
    pub combine: Option<Combine>,
    pub body: Node,
    pub pos: Pos,
}

/// The components of a grammar, gathered across `div`s and `include`s.
#[derive(Debug, Default)]
pub(crate) struct GrammarContent {
    pub starts: Vec<Component>,
    pub defines: Vec<(String, Component)>,
}

/// A `grammar` element with its components.
#[derive(Debug)]
pub(crate) struct GrammarDef {
    pub parent: Option<GrammarId>,
    pub content: GrammarContent,
    pub pos: Pos,
}

/// A loaded schema file.
#[derive(Debug)]
pub(crate) struct FileInfo {
    pub path: Arc<Path>,
    pub text: Rc<str>,
    /// Built on the first diagnostic in this file only (most schemas have none).
    lines: OnceCell<LineIndex>,
}

impl FileInfo {
    /// Line and column (1-based) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }
}

/// The whole syntax tree: the root pattern and every grammar and file.
#[derive(Debug)]
pub(crate) struct Ast {
    pub root: Option<Node>,
    pub grammars: Vec<GrammarDef>,
    pub files: Vec<FileInfo>,
}

/// Inherited context while reading an element.
#[derive(Clone)]
pub(crate) struct Ctx {
    ns: Rc<str>,
    lib: Rc<str>,
    base: Rc<Path>,
    grammar: Option<GrammarId>,
}

/// Reads schema files into an [`Ast`], collecting every error.
pub(crate) struct Parser<'r> {
    resolver: &'r dyn Resolver,
    pub grammars: Vec<GrammarDef>,
    pub files: Vec<FileInfo>,
    pub errors: Vec<SchemaDiagnostic>,
    loading: Vec<PathBuf>,
    /// Namespace URIs and library URIs seen so far: the few distinct values, shared.
    shared: std::collections::HashSet<Rc<str>>,
    /// `schema_size` (bytes of every file together) and `schema_depth`.
    limits: Limits,
    /// Bytes that the files still to be read may hold.
    budget: usize,
    /// Pattern elements being read, one inside the other (across `externalRef`s).
    depth: usize,
}

/// Reads a schema and everything it includes, under `limits`.
pub(crate) fn parse(
    text: Rc<str>,
    path: &Path,
    resolver: &dyn Resolver,
    limits: &Limits,
) -> (Ast, Vec<SchemaDiagnostic>) {
    let mut p = Parser {
        resolver,
        grammars: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
        loading: Vec::new(),
        shared: std::collections::HashSet::new(),
        limits: *limits,
        budget: limits.schema_size.saturating_sub(text.len()),
        depth: 0,
    };
    let path = normalize(path);
    let ctx = Ctx {
        ns: Rc::from(""),
        lib: Rc::from(""),
        base: Rc::from(path.as_path()),
        grammar: None,
    };
    p.loading.push(path.clone());
    let root = p.pattern_file(text, &path, &ctx);
    let ast = Ast {
        root,
        grammars: p.grammars,
        files: p.files,
    };
    (ast, p.errors)
}

impl<'r> Parser<'r> {
    /// Registers a file, parses it as XML and hands its root element to `f`.
    pub(super) fn parse_file<T>(
        &mut self,
        text: Rc<str>,
        path: &Path,
        inherited_ns: Option<&str>,
        ctx: &Ctx,
        f: impl FnOnce(&mut Self, XNode, &Ctx, FileId) -> Option<T>,
    ) -> Option<T> {
        let file = self.files.len() as FileId;
        self.files.push(FileInfo {
            path: Arc::from(path),
            text: text.clone(),
            lines: OnceCell::new(),
        });
        // a schema file is read under the document limits, nested at most `schema_depth`
        let mut opts = crate::xml::ParseOptions::from(&self.limits);
        opts.max_depth = self.limits.schema_depth;
        let doc = match Tree::parse(&text, &opts) {
            Ok(d) => d,
            Err(errors) => {
                if errors.is_empty() {
                    let pos = 0..0;
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos,
                        "the schema is not well-formed XML: it has no root element",
                    );
                }
                for e in errors {
                    let (line, col) = self.files[file as usize].line_col(e.span.start);
                    let mut d = if std::ptr::eq(e.code, &crate::limit::DEPTH) {
                        // a schema file nested past `schema_depth`
                        Diagnostic::new(
                            &crate::limit::SCHEMA_DEPTH,
                            e.span,
                            format!(
                                "the schema's elements nest more than {} deep here; the schema is not used",
                                self.limits.schema_depth
                            ),
                        )
                    } else if e.code.id.starts_with("tei::limit::") {
                        Diagnostic::new(e.code, e.span, e.message)
                    } else {
                        Diagnostic::new(
                            &crate::relaxng::SCHEMA_SYNTAX,
                            e.span,
                            format!("the schema is not well-formed XML: {}", e.message),
                        )
                    }
                    .at(line, col);
                    d.labels = e.labels;
                    d.help = if std::ptr::eq(e.code, &crate::limit::DEPTH) {
                        Some(crate::limit::raise("schema_depth"))
                    } else {
                        e.help
                    };
                    self.errors.push(SchemaDiagnostic {
                        file: path.to_path_buf(),
                        diagnostic: d,
                    });
                }
                return None;
            }
        };
        let root = doc.root();
        let mut ctx = Ctx {
            base: Rc::from(path),
            lib: Rc::from(""),
            ..ctx.clone()
        };
        if let Some(ns) = inherited_ns {
            ctx.ns = Rc::from(ns);
        }
        f(self, root, &ctx, file)
    }

    /// `s` as a shared string (namespace and library URIs repeat thousands of times).
    pub(super) fn shared(&mut self, s: &str) -> Rc<str> {
        if let Some(r) = self.shared.get(s) {
            return r.clone();
        }
        let r: Rc<str> = Rc::from(s);
        self.shared.insert(r.clone());
        r
    }

    /// Whether another schema level fits in `schema_depth` (`Some(())`); else the error,
    /// reported once, at `span` of `file`.
    pub(super) fn deeper(&mut self, levels: usize, file: FileId, span: Range<usize>) -> Option<()> {
        let max = self.limits.schema_depth;
        if levels <= max {
            return Some(());
        }
        if !self
            .errors
            .iter()
            .any(|e| std::ptr::eq(e.diagnostic.code, &crate::limit::SCHEMA_DEPTH))
        {
            let info = &self.files[file as usize];
            let (line, col) = info.line_col(span.start);
            let d = Diagnostic::new(
                &crate::limit::SCHEMA_DEPTH,
                span,
                format!("the schema nests its patterns (or its `include`s and `externalRef`s) more than {max} deep here; the schema is not used"),
            )
            .at(line, col)
            .with_help(crate::limit::raise("schema_depth"));
            self.errors.push(SchemaDiagnostic {
                file: info.path.to_path_buf(),
                diagnostic: d,
            });
        }
        None
    }

    pub(super) fn error(
        &mut self,
        code: &'static Code,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) {
        let info = &self.files[file as usize];
        let (line, col) = info.line_col(span.start);
        let d = Diagnostic::new(code, span, message).at(line, col);
        self.errors.push(SchemaDiagnostic {
            file: info.path.to_path_buf(),
            diagnostic: d,
        });
    }

    /// The start tag of `node`.
    pub(super) fn pos(&self, node: XNode, file: FileId) -> Pos {
        Pos {
            file,
            span: node.range(),
        }
    }

    /// Checks attributes, updates the context with `ns`, `datatypeLibrary`, `xml:base`.
    pub(super) fn enter(&mut self, node: XNode, ctx: &Ctx, file: FileId, allowed: &[&str]) -> Ctx {
        let mut ctx = ctx.clone();
        for a in node.attributes() {
            match a.namespace() {
                None => {
                    let name = a.name();
                    if name == "ns" {
                        ctx.ns = self.shared(a.value());
                    } else if name == "datatypeLibrary" {
                        let v = a.value().trim();
                        if !is_valid_library_uri(v) {
                            let span = a.range();
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                span,
                                format!("datatypeLibrary \"{v}\" is not empty or an absolute URI without a fragment"),
                            );
                        }
                        ctx.lib = self.shared(v);
                    } else if !allowed.contains(&name) {
                        let span = a.range();
                        self.error(
                            &crate::relaxng::SCHEMA_SYNTAX,
                            file,
                            span,
                            format!(
                                "attribute `{name}` is not allowed on `{}`",
                                node.tag_name().name()
                            ),
                        );
                    }
                }
                Some(XML_NS) if a.name() == "base" => {
                    ctx.base = Rc::from(resolve_href(&ctx.base, a.value()).as_path());
                }
                Some(RNG_NS) => {
                    let span = a.range();
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!(
                            "attribute `{}` in the RELAX NG namespace is not allowed",
                            a.name()
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        ctx
    }

    /// Complains about any element child (also foreign) of a text-only element.
    pub(super) fn text_only(&mut self, node: XNode, file: FileId) {
        if let Some(k) = node.children().find(|c| c.is_element()) {
            let span = self.pos(k, file).span;
            let msg = format!(
                "`{}` takes only text, found element `{}`",
                node.tag_name().name(),
                k.tag_name().name()
            );
            self.error(&crate::relaxng::SCHEMA_SYNTAX, file, span, msg);
        }
    }

    /// RELAX NG child elements; complains about non-blank text unless `text_ok`.
    pub(super) fn children<'t>(
        &mut self,
        node: XNode<'t>,
        file: FileId,
        text_ok: bool,
    ) -> Vec<XNode<'t>> {
        let mut out = Vec::new();
        for c in node.children() {
            if c.is_element() {
                if c.is_rng() {
                    out.push(c);
                }
            } else if c.is_text() && !text_ok && !c.is_blank() {
                let span = c.range();
                self.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
                    file,
                    span,
                    format!("text is not allowed in `{}`", node.tag_name().name()),
                );
            }
        }
        out
    }

    pub(super) fn required_attr(
        &mut self,
        node: XNode,
        file: FileId,
        name: &str,
    ) -> Option<String> {
        match node.attribute(name) {
            Some(v) => Some(
                v.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'))
                    .to_string(),
            ),
            None => {
                let pos = self.pos(node, file);
                self.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
                    file,
                    pos.span,
                    format!("`{}` needs a `{name}` attribute", node.tag_name().name()),
                );
                None
            }
        }
    }

    pub(super) fn ncname_attr(&mut self, node: XNode, file: FileId, name: &str) -> Option<String> {
        let v = self.required_attr(node, file, name)?;
        if !is_ncname(&v) {
            let pos = self.pos(node, file);
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span,
                format!("`{name}=\"{v}\"` is not an NCName"),
            );
        }
        Some(v)
    }
}
