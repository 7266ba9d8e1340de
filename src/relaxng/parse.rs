//! Reading RELAX NG XML syntax (spec section 3) into a syntax tree, applying on the way the
//! simplification steps that are local to one element: annotations dropped (4.1), whitespace
//! (4.2), `datatypeLibrary` (4.3) and `ns` (4.8, 4.9) inheritance, `value` defaults (4.4),
//! `href` resolution with `xml:base` (4.5), `externalRef` (4.6) and `include` (4.7) loading,
//! QNames (4.10), `div` (4.11), child counts (4.12), `mixed`, `optional`, `zeroOrMore`
//! (4.13–4.15) and the name-class constraints of 4.16.

use std::ops::Range;
use std::path::{Component as PathComponent, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use roxmltree::Node as XNode;

use super::schema::{Resolver, SchemaDiagnostic};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::LineIndex;

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
        lib: String,
        ty: String,
        params: Vec<(String, String)>,
        except: Option<Box<Node>>,
    },
    Value {
        lib: String,
        ty: String,
        text: String,
        ns: String,
        bindings: Vec<(String, String)>,
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
    Name { ns: String, local: String },
    AnyName(Option<Box<Nc>>),
    NsName(String, Option<Box<Nc>>),
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
    pub text: String,
    pub lines: LineIndex,
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
struct Ctx {
    ns: String,
    lib: String,
    base: PathBuf,
    grammar: Option<GrammarId>,
}

/// Reads schema files into an [`Ast`], collecting every error.
pub(crate) struct Parser<'r> {
    resolver: &'r dyn Resolver,
    pub grammars: Vec<GrammarDef>,
    pub files: Vec<FileInfo>,
    pub errors: Vec<SchemaDiagnostic>,
    loading: Vec<PathBuf>,
}

/// Reads a schema and everything it includes.
pub(crate) fn parse(
    text: String,
    path: &Path,
    resolver: &dyn Resolver,
) -> (Ast, Vec<SchemaDiagnostic>) {
    let mut p = Parser {
        resolver,
        grammars: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
        loading: Vec::new(),
    };
    let path = normalize(path);
    let ctx = Ctx {
        ns: String::new(),
        lib: String::new(),
        base: path.clone(),
        grammar: None,
    };
    p.loading.push(path.clone());
    let root = p.parse_file(text, &path, None, &ctx, |p, node, ctx, file| {
        p.pattern(node, ctx, file)
    });
    let ast = Ast {
        root,
        grammars: p.grammars,
        files: p.files,
    };
    (ast, p.errors)
}

impl<'r> Parser<'r> {
    /// Registers a file, parses it as XML and hands its root element to `f`.
    fn parse_file<T>(
        &mut self,
        text: String,
        path: &Path,
        inherited_ns: Option<&str>,
        ctx: &Ctx,
        f: impl FnOnce(&mut Self, XNode, &Ctx, FileId) -> Option<T>,
    ) -> Option<T> {
        let file = self.files.len() as FileId;
        let lines = LineIndex::new(&text);
        self.files.push(FileInfo {
            path: Arc::from(path),
            text,
            lines,
        });
        // The text lives in `self.files`; parse a copy so `self` stays mutable meanwhile.
        let text = self.files[file as usize].text.clone();
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = match roxmltree::Document::parse_with_options(&text, opts) {
            Ok(d) => d,
            Err(e) => {
                let pos = e.pos();
                let d = Diagnostic::new(
                    &super::SCHEMA_SYNTAX,
                    0..0,
                    format!("the schema is not well-formed XML: {e}"),
                )
                .at(pos.row, pos.col);
                self.errors.push(SchemaDiagnostic {
                    file: path.to_path_buf(),
                    diagnostic: d,
                });
                return None;
            }
        };
        let root = doc.root_element();
        let mut ctx = Ctx {
            base: path.to_path_buf(),
            lib: String::new(),
            ..ctx.clone()
        };
        if let Some(ns) = inherited_ns {
            ctx.ns = ns.to_string();
        }
        f(self, root, &ctx, file)
    }

    fn error(
        &mut self,
        code: &'static Code,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) {
        let info = &self.files[file as usize];
        let (line, col) = info.lines.line_col(&info.text, span.start);
        let d = Diagnostic::new(code, span, message).at(line, col);
        self.errors.push(SchemaDiagnostic {
            file: info.path.to_path_buf(),
            diagnostic: d,
        });
    }

    fn pos(&self, node: XNode, file: FileId) -> Pos {
        let r = node.range();
        // The start tag only: up to the first '>' after the start.
        let text = &self.files[file as usize].text;
        let end = text[r.start..r.end]
            .find('>')
            .map_or(r.end, |i| r.start + i + 1);
        Pos {
            file,
            span: r.start..end,
        }
    }

    /// Checks attributes, updates the context with `ns`, `datatypeLibrary`, `xml:base`.
    fn enter(&mut self, node: XNode, ctx: &Ctx, file: FileId, allowed: &[&str]) -> Ctx {
        let mut ctx = ctx.clone();
        for a in node.attributes() {
            match a.namespace() {
                None => {
                    let name = a.name();
                    if name == "ns" {
                        ctx.ns = a.value().to_string();
                    } else if name == "datatypeLibrary" {
                        let v = a.value().trim();
                        if !is_valid_library_uri(v) {
                            let span = a.range();
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                span,
                                format!("datatypeLibrary \"{v}\" is not empty or an absolute URI without a fragment"),
                            );
                        }
                        ctx.lib = v.to_string();
                    } else if !allowed.contains(&name) {
                        let span = a.range();
                        self.error(
                            &super::SCHEMA_SYNTAX,
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
                    ctx.base = resolve_href(&ctx.base, a.value());
                }
                Some(RNG_NS) => {
                    let span = a.range();
                    self.error(
                        &super::SCHEMA_SYNTAX,
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
    fn text_only(&mut self, node: XNode, file: FileId) {
        if let Some(k) = node.children().find(|c| c.is_element()) {
            let span = self.pos(k, file).span;
            let msg = format!(
                "`{}` takes only text, found element `{}`",
                node.tag_name().name(),
                k.tag_name().name()
            );
            self.error(&super::SCHEMA_SYNTAX, file, span, msg);
        }
    }

    /// RELAX NG child elements; complains about non-blank text unless `text_ok`.
    fn children<'a, 'i>(
        &mut self,
        node: XNode<'a, 'i>,
        file: FileId,
        text_ok: bool,
    ) -> Vec<XNode<'a, 'i>> {
        let mut out = Vec::new();
        for c in node.children() {
            if c.is_element() {
                if c.tag_name().namespace() == Some(RNG_NS) {
                    out.push(c);
                }
            } else if c.is_text() && !text_ok {
                let t = c.text().unwrap_or("");
                if !t
                    .trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'))
                    .is_empty()
                {
                    let span = c.range();
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!("text is not allowed in `{}`", node.tag_name().name()),
                    );
                }
            }
        }
        out
    }

    fn required_attr(&mut self, node: XNode, file: FileId, name: &str) -> Option<String> {
        match node.attribute(name) {
            Some(v) => Some(
                v.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'))
                    .to_string(),
            ),
            None => {
                let pos = self.pos(node, file);
                self.error(
                    &super::SCHEMA_SYNTAX,
                    file,
                    pos.span,
                    format!("`{}` needs a `{name}` attribute", node.tag_name().name()),
                );
                None
            }
        }
    }

    fn ncname_attr(&mut self, node: XNode, file: FileId, name: &str) -> Option<String> {
        let v = self.required_attr(node, file, name)?;
        if !is_ncname(&v) {
            let pos = self.pos(node, file);
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span,
                format!("`{name}=\"{v}\"` is not an NCName"),
            );
        }
        Some(v)
    }

    /// Reads a pattern element. `None` after an error (already recorded).
    fn pattern(&mut self, node: XNode, ctx: &Ctx, file: FileId) -> Option<Node> {
        let pos = self.pos(node, file);
        if node.tag_name().namespace() != Some(RNG_NS) {
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span,
                format!(
                    "expected a RELAX NG pattern (namespace {RNG_NS}), found `{}`{}",
                    node.tag_name().name(),
                    node.tag_name()
                        .namespace()
                        .map_or(String::from(" in no namespace"), |n| format!(
                            " in namespace {n}"
                        ))
                ),
            );
            return None;
        }
        let local = node.tag_name().name();
        let kind = match local {
            "element" => {
                let ctx = self.enter(node, ctx, file, &["name"]);
                let kids = self.children(node, file, false);
                let (name, rest) = match node.attribute("name") {
                    Some(q) => (self.qname_nc(node, q, &ctx.ns, file)?, &kids[..]),
                    None => match kids.split_first() {
                        Some((first, rest)) => {
                            (self.name_class(*first, &ctx, file, NcIn::Top)?, rest)
                        }
                        None => {
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                "`element` needs a name",
                            );
                            return None;
                        }
                    },
                };
                let content = self.group_of(rest, &ctx, file, &pos, "element")?;
                let doc = documentation(node);
                Kind::Element {
                    name,
                    content: Box::new(content),
                    doc,
                }
            }
            "attribute" => {
                let ctx = self.enter(node, ctx, file, &["name"]);
                let kids = self.children(node, file, false);
                let (name, rest) = match node.attribute("name") {
                    Some(q) => {
                        let own_ns = node.attribute("ns").unwrap_or("");
                        (self.qname_nc(node, q, own_ns, file)?, &kids[..])
                    }
                    None => match kids.split_first() {
                        Some((first, rest)) => {
                            (self.name_class(*first, &ctx, file, NcIn::Top)?, rest)
                        }
                        None => {
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                "`attribute` needs a name",
                            );
                            return None;
                        }
                    },
                };
                self.check_attribute_name(&name);
                let content = match rest {
                    [] => Node {
                        kind: Kind::Text,
                        pos: pos.clone(),
                    },
                    [one] => self.pattern(*one, &ctx, file)?,
                    [_, extra, ..] => {
                        let span = self.pos(*extra, file).span;
                        self.error(
                            &super::SCHEMA_SYNTAX,
                            file,
                            span,
                            "`attribute` takes at most one pattern",
                        );
                        return None;
                    }
                };
                Kind::Attribute {
                    name,
                    content: Box::new(content),
                }
            }
            "group" | "interleave" | "choice" | "oneOrMore" | "zeroOrMore" | "optional"
            | "list" | "mixed" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let kids = self.children(node, file, false);
                if kids.is_empty() {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("`{local}` needs at least one pattern"),
                    );
                    return None;
                }
                let mut items = Vec::with_capacity(kids.len());
                let mut failed = false;
                for k in kids {
                    match self.pattern(k, &ctx, file) {
                        Some(n) => items.push(n),
                        None => failed = true,
                    }
                }
                if failed {
                    return None;
                }
                let group = |items: Vec<Node>| {
                    if items.len() == 1 {
                        items.into_iter().next().map(Box::new)
                    } else {
                        Some(Box::new(Node {
                            kind: Kind::Group(items),
                            pos: pos.clone(),
                        }))
                    }
                };
                match local {
                    "group" => Kind::Group(items),
                    "interleave" => Kind::Interleave(items),
                    "choice" => Kind::Choice(items),
                    "oneOrMore" => Kind::OneOrMore(group(items)?),
                    "list" => Kind::List(group(items)?),
                    "zeroOrMore" => {
                        let oom = Node {
                            kind: Kind::OneOrMore(group(items)?),
                            pos: pos.clone(),
                        };
                        Kind::Choice(vec![
                            oom,
                            Node {
                                kind: Kind::Empty,
                                pos: pos.clone(),
                            },
                        ])
                    }
                    "optional" => Kind::Choice(vec![
                        *group(items)?,
                        Node {
                            kind: Kind::Empty,
                            pos: pos.clone(),
                        },
                    ]),
                    _ => Kind::Interleave(vec![
                        *group(items)?,
                        Node {
                            kind: Kind::Text,
                            pos: pos.clone(),
                        },
                    ]),
                }
            }
            "empty" | "text" | "notAllowed" => {
                self.enter(node, ctx, file, &[]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!("`{local}` takes no children"),
                    );
                }
                match local {
                    "empty" => Kind::Empty,
                    "text" => Kind::Text,
                    _ => Kind::NotAllowed,
                }
            }
            "ref" | "parentRef" => {
                self.enter(node, ctx, file, &["name"]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!("`{local}` takes no children"),
                    );
                }
                let name = self.ncname_attr(node, file, "name")?;
                if ctx.grammar.is_none() {
                    self.error(
                        &super::SCHEMA_MISSING_DEFINE,
                        file,
                        pos.span.clone(),
                        format!("`{local}` to `{name}` outside any grammar"),
                    );
                    return None;
                }
                if local == "ref" {
                    Kind::Ref(name)
                } else {
                    Kind::ParentRef(name)
                }
            }
            "value" => {
                let ctx = self.enter(node, ctx, file, &["type"]);
                self.text_only(node, file);
                let text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let (lib, ty) = match node.attribute("type") {
                    Some(t) => {
                        let t = t.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
                        if !is_ncname(t) {
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                format!("type \"{t}\" is not an NCName"),
                            );
                        }
                        (ctx.lib.clone(), t.to_string())
                    }
                    None => (String::new(), "token".to_string()),
                };
                let bindings = node
                    .namespaces()
                    .filter_map(|n| n.name().map(|p| (p.to_string(), n.uri().to_string())))
                    .collect();
                Kind::Value {
                    lib,
                    ty,
                    text,
                    ns: ctx.ns.clone(),
                    bindings,
                }
            }
            "data" => {
                let ctx = self.enter(node, ctx, file, &["type"]);
                let ty = self.ncname_attr(node, file, "type")?;
                let kids = self.children(node, file, false);
                let mut params = Vec::new();
                let mut except = None;
                for (i, k) in kids.iter().enumerate() {
                    match k.tag_name().name() {
                        "param" if except.is_none() => {
                            self.enter(*k, &ctx, file, &["name"]);
                            self.text_only(*k, file);
                            let name = self.ncname_attr(*k, file, "name")?;
                            let value: String = k
                                .children()
                                .filter(|c| c.is_text())
                                .filter_map(|c| c.text())
                                .collect();
                            params.push((name, value));
                        }
                        "except" if i + 1 == kids.len() => {
                            let ectx = self.enter(*k, &ctx, file, &[]);
                            let ekids = self.children(*k, file, false);
                            let epos = self.pos(*k, file);
                            if ekids.is_empty() {
                                self.error(
                                    &super::SCHEMA_SYNTAX,
                                    file,
                                    epos.span.clone(),
                                    "`except` needs at least one pattern",
                                );
                                return None;
                            }
                            let mut items = Vec::new();
                            for e in ekids {
                                items.push(self.pattern(e, &ectx, file)?);
                            }
                            except = Some(Box::new(Node {
                                kind: Kind::Choice(items),
                                pos: epos,
                            }));
                        }
                        other => {
                            let span = self.pos(*k, file).span;
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                span,
                                format!("`{other}` is not allowed here in `data` (expected `param`s then at most one `except`)"),
                            );
                            return None;
                        }
                    }
                }
                Kind::Data {
                    lib: ctx.lib.clone(),
                    ty,
                    params,
                    except,
                }
            }
            "externalRef" => {
                let ctx = self.enter(node, ctx, file, &["href"]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        span,
                        "`externalRef` takes no children",
                    );
                }
                let href = self.required_attr(node, file, "href")?;
                let path = self.href_path(&href, &ctx, file, &pos)?;
                let inherited = ctx.ns.clone();
                let text = self.load(&path, file, &pos)?;
                self.loading.push(path.clone());
                let r = self.parse_file(text, &path, Some(&inherited), &ctx, |p, root, c, f| {
                    p.pattern(root, c, f)
                });
                self.loading.pop();
                return r;
            }
            "grammar" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let gid = self.grammars.len() as GrammarId;
                self.grammars.push(GrammarDef {
                    parent: ctx.grammar,
                    content: GrammarContent::default(),
                    pos: pos.clone(),
                });
                let inner = Ctx {
                    grammar: Some(gid),
                    ..ctx
                };
                let mut content = GrammarContent::default();
                self.grammar_content(node, &inner, file, &mut content, false);
                self.grammars[gid as usize].content = content;
                Kind::Grammar(gid)
            }
            other => {
                self.error(
                    &super::SCHEMA_SYNTAX,
                    file,
                    pos.span.clone(),
                    format!("`{other}` is not a RELAX NG pattern"),
                );
                return None;
            }
        };
        Some(Node { kind, pos })
    }

    /// Several patterns as one (a group when more than one).
    fn group_of(
        &mut self,
        kids: &[XNode],
        ctx: &Ctx,
        file: FileId,
        pos: &Pos,
        what: &str,
    ) -> Option<Node> {
        if kids.is_empty() {
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("`{what}` needs at least one pattern"),
            );
            return None;
        }
        let mut items = Vec::with_capacity(kids.len());
        let mut failed = false;
        for k in kids {
            match self.pattern(*k, ctx, file) {
                Some(n) => items.push(n),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        if items.len() == 1 {
            return items.pop();
        }
        Some(Node {
            kind: Kind::Group(items),
            pos: pos.clone(),
        })
    }

    /// Reads the children of a `grammar` (or `div`, `include`) into `out`.
    /// `in_include`: children of an `include` (no nested `include`).
    fn grammar_content(
        &mut self,
        node: XNode,
        ctx: &Ctx,
        file: FileId,
        out: &mut GrammarContent,
        in_include: bool,
    ) {
        for k in self.children(node, file, false) {
            let pos = self.pos(k, file);
            match k.tag_name().name() {
                "start" => {
                    let c = self.enter(k, ctx, file, &["combine"]);
                    let combine = self.combine(k, file);
                    let kids = self.children(k, file, false);
                    if kids.len() != 1 {
                        self.error(
                            &super::SCHEMA_SYNTAX,
                            file,
                            pos.span.clone(),
                            "`start` takes exactly one pattern",
                        );
                        continue;
                    }
                    if let Some(body) = self.pattern(kids[0], &c, file) {
                        out.starts.push(Component {
                            combine: combine.unwrap_or(None),
                            body,
                            pos,
                        });
                    }
                }
                "define" => {
                    let c = self.enter(k, ctx, file, &["name", "combine"]);
                    let combine = self.combine(k, file);
                    let Some(name) = self.ncname_attr(k, file, "name") else {
                        continue;
                    };
                    let kids = self.children(k, file, false);
                    if let Some(body) = self.group_of(&kids, &c, file, &pos, "define") {
                        out.defines.push((
                            name,
                            Component {
                                combine: combine.unwrap_or(None),
                                body,
                                pos,
                            },
                        ));
                    }
                }
                "div" => {
                    let c = self.enter(k, ctx, file, &[]);
                    self.grammar_content(k, &c, file, out, in_include);
                }
                "include" if !in_include => {
                    let c = self.enter(k, ctx, file, &["href"]);
                    self.include(k, &c, file, out, pos);
                }
                other => {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        pos.span,
                        format!("`{other}` is not allowed in a grammar (expected `start`, `define`, `div` or `include`)"),
                    );
                }
            }
        }
    }

    /// `Some(None)`: no combine; `None`: invalid (reported).
    fn combine(&mut self, node: XNode, file: FileId) -> Option<Option<Combine>> {
        match node
            .attribute("combine")
            .map(|v| v.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r')))
        {
            None => Some(None),
            Some("choice") => Some(Some(Combine::Choice)),
            Some("interleave") => Some(Some(Combine::Interleave)),
            Some(other) => {
                let pos = self.pos(node, file);
                self.error(
                    &super::SCHEMA_SYNTAX,
                    file,
                    pos.span,
                    format!("combine=\"{other}\" is not `choice` or `interleave`"),
                );
                None
            }
        }
    }

    fn include(
        &mut self,
        node: XNode,
        ctx: &Ctx,
        file: FileId,
        out: &mut GrammarContent,
        pos: Pos,
    ) {
        let Some(href) = self.required_attr(node, file, "href") else {
            return;
        };
        let Some(path) = self.href_path(&href, ctx, file, &pos) else {
            return;
        };
        let Some(text) = self.load(&path, file, &pos) else {
            return;
        };
        self.loading.push(path.clone());
        let inherited = ctx.ns.clone();
        let included = self.parse_file(text, &path, Some(&inherited), ctx, |p, root, c, f| {
            if root.tag_name().namespace() != Some(RNG_NS) || root.tag_name().name() != "grammar" {
                let rpos = p.pos(root, f);
                p.error(
                    &super::SCHEMA_SYNTAX,
                    f,
                    rpos.span,
                    format!(
                        "an included file must be a `grammar`, found `{}`",
                        root.tag_name().name()
                    ),
                );
                return None;
            }
            let c = p.enter(root, c, f, &[]);
            let mut content = GrammarContent::default();
            p.grammar_content(root, &c, f, &mut content, false);
            Some(content)
        });
        self.loading.pop();
        let mut overrides = GrammarContent::default();
        self.grammar_content(node, ctx, file, &mut overrides, true);
        let Some(mut included) = included else {
            out.starts.extend(overrides.starts);
            out.defines.extend(overrides.defines);
            return;
        };
        if !overrides.starts.is_empty() {
            if included.starts.is_empty() {
                self.error(
                    &super::SCHEMA_COMBINE,
                    file,
                    pos.span.clone(),
                    format!("`include` overrides `start`, but {href} has none"),
                );
            }
            included.starts.clear();
        }
        let mut names: Vec<&str> = overrides.defines.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            if !included.defines.iter().any(|(n, _)| n == name) {
                let span = overrides
                    .defines
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(pos.span.clone(), |(_, c)| c.pos.span.clone());
                self.error(
                    &super::SCHEMA_COMBINE,
                    file,
                    span,
                    format!("`include` overrides `{name}`, but {href} does not define it"),
                );
            }
            included.defines.retain(|(n, _)| n != name);
        }
        out.starts.extend(included.starts);
        out.defines.extend(included.defines);
        out.starts.extend(overrides.starts);
        out.defines.extend(overrides.defines);
    }

    fn href_path(&mut self, href: &str, ctx: &Ctx, file: FileId, pos: &Pos) -> Option<PathBuf> {
        if href.contains('#') {
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("href \"{href}\" has a fragment identifier"),
            );
            return None;
        }
        if href.starts_with("http:") || href.starts_with("https:") {
            self.error(
                &super::SCHEMA_NOT_FOUND,
                file,
                pos.span.clone(),
                format!("href \"{href}\" is remote; teikit never fetches schemas over the network"),
            );
            return None;
        }
        let path = resolve_href(&ctx.base, href);
        if self.loading.contains(&path) {
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!(
                    "{} includes itself (recursive `include`/`externalRef`)",
                    path.display()
                ),
            );
            return None;
        }
        Some(path)
    }

    fn load(&mut self, path: &Path, file: FileId, pos: &Pos) -> Option<String> {
        match self.resolver.load(path) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(
                    &super::SCHEMA_NOT_FOUND,
                    file,
                    pos.span.clone(),
                    format!("cannot read {}: {e}", path.display()),
                );
                None
            }
        }
    }

    /// A name class from a `name` attribute holding a QName.
    fn qname_nc(&mut self, node: XNode, qname: &str, default_ns: &str, file: FileId) -> Option<Nc> {
        let pos = self.pos(node, file);
        let qname = qname.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
        let (ns, local) = self.resolve_qname(node, qname, default_ns, file, &pos)?;
        Some(Nc {
            kind: NcKind::Name { ns, local },
            pos,
        })
    }

    fn resolve_qname(
        &mut self,
        node: XNode,
        qname: &str,
        default_ns: &str,
        file: FileId,
        pos: &Pos,
    ) -> Option<(String, String)> {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, qname),
        };
        if !is_ncname(local) || prefix.is_some_and(|p| !is_ncname(p)) {
            self.error(
                &super::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("\"{qname}\" is not a QName"),
            );
            return None;
        }
        let ns = match prefix {
            None => default_ns.to_string(),
            Some("xml") => XML_NS.to_string(),
            Some(p) => match node.lookup_namespace_uri(Some(p)) {
                Some(u) => u.to_string(),
                None => {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("prefix `{p}` of \"{qname}\" is not declared"),
                    );
                    return None;
                }
            },
        };
        Some((ns, local.to_string()))
    }

    fn name_class(&mut self, node: XNode, ctx: &Ctx, file: FileId, within: NcIn) -> Option<Nc> {
        let pos = self.pos(node, file);
        let local = node.tag_name().name();
        let kind = match local {
            "name" => {
                let ctx = self.enter(node, ctx, file, &[]);
                self.text_only(node, file);
                let text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let q = text.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
                let (ns, local) = self.resolve_qname(node, q, &ctx.ns, file, &pos)?;
                NcKind::Name { ns, local }
            }
            "anyName" | "nsName" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let forbidden = matches!(
                    (local, within),
                    ("anyName", NcIn::AnyNameExcept | NcIn::NsNameExcept)
                        | ("nsName", NcIn::NsNameExcept)
                );
                if forbidden {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("`{local}` is not allowed inside this `except` (section 4.16)"),
                    );
                }
                let kids = self.children(node, file, false);
                let except = match kids.as_slice() {
                    [] => None,
                    [e] if e.tag_name().name() == "except" => {
                        let ectx = self.enter(*e, &ctx, file, &[]);
                        let ekids = self.children(*e, file, false);
                        let epos = self.pos(*e, file);
                        if ekids.is_empty() {
                            self.error(
                                &super::SCHEMA_SYNTAX,
                                file,
                                epos.span,
                                "`except` needs at least one name class",
                            );
                            return None;
                        }
                        let inner = if local == "anyName" {
                            NcIn::AnyNameExcept
                        } else {
                            NcIn::NsNameExcept
                        };
                        let mut items = Vec::new();
                        for k in ekids {
                            items.push(self.name_class(k, &ectx, file, inner)?);
                        }
                        Some(Box::new(Nc {
                            kind: NcKind::Choice(items),
                            pos: epos,
                        }))
                    }
                    [k, ..] => {
                        let span = self.pos(*k, file).span;
                        self.error(
                            &super::SCHEMA_SYNTAX,
                            file,
                            span,
                            format!("`{local}` takes at most one `except`"),
                        );
                        return None;
                    }
                };
                if local == "anyName" {
                    NcKind::AnyName(except)
                } else {
                    NcKind::NsName(ctx.ns.clone(), except)
                }
            }
            "choice" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let kids = self.children(node, file, false);
                if kids.is_empty() {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        "`choice` needs at least one name class",
                    );
                    return None;
                }
                let mut items = Vec::new();
                for k in kids {
                    items.push(self.name_class(k, &ctx, file, within)?);
                }
                NcKind::Choice(items)
            }
            other => {
                self.error(&super::SCHEMA_SYNTAX, file, pos.span.clone(), format!("expected a name class (`name`, `anyName`, `nsName`, `choice`), found `{other}`"));
                return None;
            }
        };
        Some(Nc { kind, pos })
    }

    /// Section 4.16: no attribute named `xmlns` or in the xmlns namespace.
    fn check_attribute_name(&mut self, nc: &Nc) {
        match &nc.kind {
            NcKind::Name { ns, local } => {
                if (ns.is_empty() && local == "xmlns") || ns == XMLNS_NS {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        nc.pos.file,
                        nc.pos.span.clone(),
                        "an attribute may not be named `xmlns` or be in the xmlns namespace",
                    );
                }
            }
            NcKind::NsName(ns, except) => {
                if ns == XMLNS_NS {
                    self.error(
                        &super::SCHEMA_SYNTAX,
                        nc.pos.file,
                        nc.pos.span.clone(),
                        "an attribute may not be in the xmlns namespace",
                    );
                }
                if let Some(e) = except {
                    self.check_attribute_name(e);
                }
            }
            NcKind::AnyName(Some(e)) => self.check_attribute_name(e),
            NcKind::AnyName(None) => {}
            NcKind::Choice(items) => {
                for i in items {
                    self.check_attribute_name(i);
                }
            }
        }
    }
}

/// Where a name class sits, for the 4.16 constraints.
#[derive(Clone, Copy)]
enum NcIn {
    Top,
    AnyNameExcept,
    NsNameExcept,
}

/// The `a:documentation` text of an element pattern, trimmed, paragraphs joined by blank lines.
fn documentation(node: XNode) -> Option<String> {
    let parts: Vec<String> = node
        .children()
        .filter(|c| {
            c.is_element()
                && c.tag_name().namespace() == Some(ANNOTATIONS_NS)
                && c.tag_name().name() == "documentation"
        })
        .map(|c| {
            c.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

/// Resolves `href` against the base path (a file path; its directory is the base directory).
pub(crate) fn resolve_href(base: &Path, href: &str) -> PathBuf {
    let href = href.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
    let href = href.strip_prefix("file://").unwrap_or(href);
    let href = href.strip_prefix("file:").unwrap_or(href);
    let decoded = percent_decode(href);
    let p = Path::new(&decoded);
    if p.is_absolute() {
        return normalize(p);
    }
    let dir = base.parent().unwrap_or(Path::new(""));
    let mut out = normalize(&dir.join(p));
    if decoded.ends_with('/') {
        // A directory base (`xml:base="sub/"`): later hrefs resolve inside it.
        out.push("_");
    }
    out
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `name/..` lexically.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            PathComponent::CurDir => {}
            PathComponent::ParentDir => {
                if matches!(out.components().next_back(), Some(PathComponent::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `s` is an XML NCName (XML 1.0 fourth edition classes, approximated with Unicode
/// categories: letters and `_` start a name; marks, digits and `.`, `-` may follow).
pub(crate) fn is_ncname(s: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^[\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}_][\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}\p{Mc}\p{Me}\p{Mn}\p{Lm}\p{Nd}_.\-\u{B7}]*$")
            .unwrap_or_else(|_| unreachable!("constant regex"))
    });
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    {
        return s
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    }
    re.is_match(s)
}

/// `datatypeLibrary`: empty, or an absolute URI (RFC 2396) without a fragment.
fn is_valid_library_uri(v: &str) -> bool {
    if v.is_empty() {
        return true;
    }
    if v.contains('#') {
        return false;
    }
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    // Escapes must be complete: % followed by two hex digits.
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if b[i] <= b' ' {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_uris() {
        for ok in [
            "",
            "foobar:xyzzy",
            "http:ok",
            "foo:bar",
            "http://www.example.com/%Aa",
            "http://www.w3.org/2001/XMLSchema-datatypes",
        ] {
            assert!(is_valid_library_uri(ok), "{ok}");
        }
        for bad in [
            "foo_bar:xyzzy",
            "foo:",
            "http://www.example.com/%",
            "http://www.example.com/%xx",
            "xyzzy",
            "xyzzy#foo:bar",
            "xyzzy?foo:bar",
            "xyzzy/foo:bar",
            "http://www.example.com#",
            "http://www.example.com#xyzzy",
        ] {
            assert!(!is_valid_library_uri(bad), "{bad}");
        }
    }

    #[test]
    fn hrefs_resolve_against_base() {
        let dir = resolve_href(Path::new("/a/c.rng"), "sub1/");
        let sub2 = resolve_href(&dir, "sub2");
        assert_eq!(resolve_href(&sub2, "x"), PathBuf::from("/a/sub1/x"));
        assert_eq!(
            resolve_href(Path::new("/a/b/c.rng"), "x.rng"),
            PathBuf::from("/a/b/x.rng")
        );
        assert_eq!(
            resolve_href(Path::new("/a/b/c.rng"), "../x.rng"),
            PathBuf::from("/a/x.rng")
        );
        let base = resolve_href(Path::new("/a/c.rng"), "sub/y");
        assert_eq!(resolve_href(&base, "x"), PathBuf::from("/a/sub/x"));
    }

    #[test]
    fn ncnames() {
        assert!(is_ncname("foo") && is_ncname("_a.b-c") && is_ncname("\u{E14}\u{E35}"));
        assert!(!is_ncname("") && !is_ncname("1a") && !is_ncname("a:b") && !is_ncname("\u{E35}"));
    }
}
