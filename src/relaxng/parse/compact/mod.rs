//! RELAX NG compact syntax (OASIS Committee Specification, 21 November 2002), read straight
//! into the syntax tree the XML syntax builds ([`Node`], [`GrammarContent`]), so that both
//! syntaxes share simplification, the section 7 checks and the validator: no XML is written
//! or read back.
//!
//! A file is compact syntax when its name ends in `.rnc` ([`is_compact`]); it may include (or
//! `external`) files of either syntax, and an `.rng` may include an `.rnc`. The translation is
//! the spec's appendix A: declarations (`namespace`, `default namespace`, `datatypes`, with
//! `inherit`), patterns and name classes with their operators (which never mix without
//! parentheses), `include`/`external` with `inherit = prefix`, annotations (checked as the
//! spec asks, then dropped but for `a:documentation` on element patterns, which also comes
//! from `##` comments). One file: [`lexer`] (newlines, escapes, tokens), [`decls`],
//! [`grammar`] (components, `include`), [`patterns`], [`names`], [`annotations`].
//!
//! Bounded: nesting (parentheses, element bodies, name classes, annotations, `div`s, across
//! included compact files) stops at [`depth::SCHEMA_DEPTH`] levels with a positioned error; the
//! lexer and parser read each character a bounded number of times.

mod annotations;
mod decls;

pub(crate) use annotations::{Foreign, ForeignNode};
mod depth;
mod grammar;
mod lexer;
mod names;
mod patterns;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use super::{
    Ctx, FileId, FileInfo, GrammarContent, GrammarDef, GrammarId, Kind, Node, Parser, Pos,
};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::relaxng::schema::SchemaDiagnostic;
use lexer::{Lexer, Tok, Token, P};

/// A compact-syntax schema that does not follow the grammar of the compact syntax.
pub static COMPACT_SYNTAX: Code = Code {
    id: "tei::rng::compact_syntax",
    severity: Severity::Error,
    summary: "the schema is not correct RELAX NG compact syntax",
    explanation: "A schema file whose name ends in `.rnc` is read as RELAX NG compact syntax \
(OASIS, 2002). The message says what was expected where the file goes wrong: a pattern, a \
definition (`name = pattern`), a closing bracket, a literal, and so on. The operators `,`, \
`|` and `&` (and `-` in name classes and datatypes) never mix without parentheses: write \
`(a | b), c`, not `a | b, c`. Prefixes must be declared (`namespace x = \"…\"`, \
`datatypes d = \"…\"`; `xml` and `xsd` are predeclared), a keyword used as a name is quoted \
with a backslash (`\\element`), and annotations (`[ … ]`, `>>`) must name foreign elements and \
attributes.",
};

/// The Schematron a compact-syntax schema carries as annotations (trang writes a TEI ODD's
/// `sch:ns`, `sch:pattern`, … as `sch:pattern [ … ]`): every annotation element in the
/// Schematron namespace that stands among a grammar's components, before or after a pattern, in
/// the file and the compact files it includes, in the order read, as trees; and every file
/// the schema read (either syntax: an XML-syntax grammar carries its Schematron as elements,
/// which the caller reads). The schema is read as for compiling (same resolver and limits);
/// its errors are returned as they are (the compiler reports them, with the grammar's).
pub(crate) fn schematron_annotations(
    text: &str,
    path: &Path,
    resolver: &dyn crate::relaxng::Resolver,
    limits: &crate::limit::Limits,
) -> (Vec<Foreign>, Vec<std::path::PathBuf>, Vec<SchemaDiagnostic>) {
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
        foreign: Some(Vec::new()),
    };
    let path = super::normalize(path);
    let ctx = Ctx {
        ns: Rc::from(""),
        lib: Rc::from(""),
        base: Rc::from(path.as_path()),
        grammar: None,
    };
    p.loading.push(path.clone());
    let _ = p.pattern_file(Rc::from(text), &path, &ctx);
    let files = p.files.iter().map(|f| f.path.to_path_buf()).collect();
    (p.foreign.take().unwrap_or_default(), files, p.errors)
}

/// Whether `path` names a compact-syntax schema (its extension is `.rnc`, in any case).
pub fn is_compact(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("rnc"))
}

/// What a namespace prefix (or the default namespace) stands for.
#[derive(Debug, Clone)]
enum NsUri {
    Uri(Rc<str>),
    /// The namespace the including schema passes on (`inherit`).
    Inherit,
}

/// The environment of a file (spec A.1): prefixes, the default namespace, datatype prefixes,
/// and where the file sits.
struct Env {
    namespaces: HashMap<String, NsUri>,
    default_ns: NsUri,
    datatypes: HashMap<String, Rc<str>>,
    /// The namespace this file inherits (from an `include`/`external`; `""` at the top).
    inherited: Rc<str>,
    /// The file (relative `href`s resolve against its folder).
    base: Rc<Path>,
    /// The grammar that `ref` and `parent` look in.
    grammar: Option<GrammarId>,
}

impl Env {
    /// The URI a prefix binding stands for in this file.
    fn resolve(&self, ns: &NsUri) -> Rc<str> {
        match ns {
            NsUri::Uri(u) => u.clone(),
            NsUri::Inherit => self.inherited.clone(),
        }
    }

    /// The namespace map a `value` of a QName type reads (prefixes bound to a URI).
    fn bindings(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .namespaces
            .iter()
            .filter_map(|(p, u)| match u {
                NsUri::Uri(u) if !u.is_empty() => Some((p.clone(), u.to_string())),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }

    /// The `ns` an `include`/`external` without `inherit = p` passes on: the default
    /// namespace, or (when that is `inherit`) what this file inherits.
    fn passed_on(&self) -> Rc<str> {
        self.resolve(&self.default_ns)
    }

    /// The context the XML-syntax reader takes, for loading another file from here.
    fn ctx(&self, ns: Rc<str>) -> Ctx {
        Ctx {
            ns,
            lib: Rc::from(""),
            base: self.base.clone(),
            grammar: self.grammar,
        }
    }
}

/// Reads one compact-syntax file: the token stream with one token of lookahead, the
/// environment, and the [`Parser`] that holds the files, grammars and errors of the schema.
struct Compact<'a, 'r, 't> {
    p: &'a mut Parser<'r>,
    lx: Lexer<'t>,
    file: FileId,
    tok: Token,
    ahead: Option<Token>,
    /// Where the last token read ended.
    prev_end: usize,
    env: Env,
}

/// What a file is read as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The main schema or an `external`/`externalRef`: a pattern (a top-level grammar is a
    /// `grammar` pattern).
    Pattern,
    /// An `include`: the content of a grammar, merged into the including one.
    Grammar,
}

/// What [`Parser::compact_file`] returns.
pub(super) enum Read {
    Pattern(Node),
    Grammar(GrammarContent),
}

impl Parser<'_> {
    /// Reads the file `text` at `path` (already registered as loading) as a pattern: the main
    /// schema or the target of an `externalRef`/`external`, in either syntax. `ctx.ns` is the
    /// namespace it inherits.
    pub(super) fn pattern_file(&mut self, text: Rc<str>, path: &Path, ctx: &Ctx) -> Option<Node> {
        if is_compact(path) {
            return match self.compact_file(text, path, ctx, false)? {
                Read::Pattern(n) => Some(n),
                Read::Grammar(_) => None,
            };
        }
        let inherited = ctx.ns.to_string();
        self.parse_file(text, path, Some(&inherited), ctx, |p, root, c, f| {
            p.pattern(root, c, f)
        })
    }

    /// Reads the file `text` at `path` (already registered as loading) as the grammar an
    /// `include` names, in either syntax: its components, which go into the including grammar.
    pub(super) fn grammar_file(
        &mut self,
        text: Rc<str>,
        path: &Path,
        ctx: &Ctx,
    ) -> Option<GrammarContent> {
        if is_compact(path) {
            return match self.compact_file(text, path, ctx, true)? {
                Read::Grammar(g) => Some(g),
                Read::Pattern(_) => None,
            };
        }
        let inherited = ctx.ns.to_string();
        self.parse_file(text, path, Some(&inherited), ctx, |p, root, c, f| {
            if !root.is_rng() || root.tag_name().name() != "grammar" {
                let rpos = p.pos(root, f);
                p.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
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
        })
    }

    /// Reads the compact-syntax file `text` at `path` as a pattern (the main schema, an
    /// `externalRef`) or as grammar content (`include`). `ctx.ns` is the namespace it inherits;
    /// `ctx.grammar` the grammar its references look in.
    pub(super) fn compact_file(
        &mut self,
        text: Rc<str>,
        path: &Path,
        ctx: &Ctx,
        as_grammar: bool,
    ) -> Option<Read> {
        let file = self.files.len() as FileId;
        self.files.push(FileInfo {
            path: Arc::from(path),
            text: text.clone(),
            lines: OnceCell::new(),
        });
        if let Err(e) = lexer::check_escapes(&text) {
            self.error(&COMPACT_SYNTAX, file, e.span, e.message);
            return None;
        }
        let mut lx = Lexer::new(&text);
        let first = match lx.next_token() {
            Ok(t) => t,
            Err(e) => {
                self.error(&COMPACT_SYNTAX, file, e.span, e.message);
                return None;
            }
        };
        let mut namespaces = HashMap::new();
        namespaces.insert("xml".to_string(), NsUri::Uri(self.shared(super::XML_NS)));
        let mut datatypes = HashMap::new();
        datatypes.insert("xsd".to_string(), self.shared(XSD));
        let inherited = self.shared(&ctx.ns);
        let mut c = Compact {
            p: self,
            lx,
            file,
            tok: first,
            ahead: None,
            prev_end: 0,
            env: Env {
                namespaces,
                default_ns: NsUri::Inherit,
                datatypes,
                inherited,
                base: Rc::from(path),
                grammar: ctx.grammar,
            },
        };
        let want = if as_grammar {
            Want::Grammar
        } else {
            Want::Pattern
        };
        let _level = depth::Level::enter(&mut c, 0..0)?;
        c.top_level(want)
    }
}

/// The XML Schema datatypes library, which `xsd` names unless declared otherwise.
const XSD: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

impl Compact<'_, '_, '_> {
    /// The next token (the lookahead one when there is one). `None` after a lexical error
    /// (recorded).
    fn bump(&mut self) -> Option<()> {
        let next = match self.ahead.take() {
            Some(t) => t,
            None => match self.lx.next_token() {
                Ok(t) => t,
                Err(e) => return self.fail(e.span, e.message),
            },
        };
        self.prev_end = self.tok.span.end;
        self.tok = next;
        Some(())
    }

    /// The token after the current one.
    fn peek(&mut self) -> Option<&Tok> {
        if self.ahead.is_none() {
            match self.lx.next_token() {
                Ok(t) => self.ahead = Some(t),
                Err(e) => return self.fail(e.span, e.message),
            }
        }
        self.ahead.as_ref().map(|t| &t.tok)
    }

    /// Records a syntax error and gives up on the file (`None`).
    fn fail<T>(&mut self, span: Range<usize>, message: impl Into<String>) -> Option<T> {
        self.p.error(&COMPACT_SYNTAX, self.file, span, message);
        None
    }

    /// "expected X, found Y" at the current token.
    fn expected<T>(&mut self, what: &str) -> Option<T> {
        let found = self.tok.tok.describe();
        let span = self.tok.span.clone();
        self.fail(span, format!("expected {what}, found {found}"))
    }

    /// Records an error that does not stop the reading (a broken constraint).
    fn error(&mut self, code: &'static Code, span: Range<usize>, message: impl Into<String>) {
        self.p.error(code, self.file, span, message);
    }

    /// Consumes punctuation `p` or fails with "expected `p`".
    fn expect(&mut self, p: P) -> Option<Range<usize>> {
        if self.tok.tok == Tok::Punct(p) {
            let span = self.tok.span.clone();
            self.bump()?;
            Some(span)
        } else {
            self.expected(&format!("`{}`", p.text()))
        }
    }

    /// Consumes the bracket `p` that closes the one at `open`, or fails with "expected `p`",
    /// the opening bracket labelled.
    fn close(&mut self, p: P, open: Range<usize>) -> Option<()> {
        if self.at(p) {
            return self.bump();
        }
        let found = self.tok.tok.describe();
        let span = self.tok.span.clone();
        let info = &self.p.files[self.file as usize];
        let (line, col) = info.line_col(span.start);
        let (oline, ocol) = info.line_col(open.start);
        let d = Diagnostic::new(
            &COMPACT_SYNTAX,
            span,
            format!(
                "expected `{}` to close the one opened at {oline}:{ocol}, found {found}",
                p.text()
            ),
        )
        .at(line, col)
        .with_label(open, "opened here");
        self.p.errors.push(SchemaDiagnostic {
            file: info.path.to_path_buf(),
            diagnostic: d,
        });
        None
    }

    /// Whether the current token is punctuation `p`.
    fn at(&self, p: P) -> bool {
        self.tok.tok == Tok::Punct(p)
    }

    /// A position in this file.
    fn pos(&self, span: Range<usize>) -> Pos {
        Pos {
            file: self.file,
            span,
        }
    }

    /// A literal (`segment ~ segment …`), its value and span.
    fn literal(&mut self) -> Option<(String, Range<usize>)> {
        let Tok::Literal(first) = &self.tok.tok else {
            return self.expected("a literal (`\"…\"`)");
        };
        let mut value = first.clone();
        let start = self.tok.span.start;
        let mut end = self.tok.span.end;
        self.bump()?;
        while self.at(P::Tilde) {
            self.bump()?;
            let Tok::Literal(more) = &self.tok.tok else {
                return self.expected("a literal after `~`");
            };
            value.push_str(more);
            end = self.tok.span.end;
            self.bump()?;
        }
        Some((value, start..end))
    }

    /// An identifier or keyword (`identifierOrKeyword`): a plain or quoted name.
    fn name_or_keyword(&mut self, what: &str) -> Option<(String, Range<usize>)> {
        match &self.tok.tok {
            Tok::Name { name, .. } => {
                let out = (name.clone(), self.tok.span.clone());
                self.bump()?;
                Some(out)
            }
            _ => self.expected(what),
        }
    }

    /// The whole file: declarations, then one pattern or the content of a grammar.
    fn top_level(&mut self, want: Want) -> Option<Read> {
        self.preamble()?;
        let anno = self.annotations()?;
        let grammar_body = self.starts_component(anno.is_empty())?;
        if want == Want::Grammar {
            if !grammar_body
                && self.tok.tok.is_kw("grammar")
                && self.peek()? == &Tok::Punct(P::LBrace)
            {
                // `grammar { … }` as the whole file: its content is the grammar's
                self.bump()?;
                let open = self.expect(P::LBrace)?;
                let mut out = GrammarContent::default();
                self.grammar_members(&mut out, false, None)?;
                self.close(P::RBrace, open)?;
                self.end_of_file()?;
                return Some(Read::Grammar(out));
            }
            if !grammar_body {
                let span = self.tok.span.clone();
                self.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
                    span,
                    "an included file must be a grammar (definitions and `start`), not a pattern",
                );
                return None;
            }
            let mut out = GrammarContent::default();
            self.grammar_members(&mut out, false, Some(anno))?;
            self.end_of_file()?;
            return Some(Read::Grammar(out));
        }
        if grammar_body {
            let pos = self.pos(self.tok.span.start..self.tok.span.start);
            let gid = self.p.grammars.len() as GrammarId;
            self.p.grammars.push(GrammarDef {
                parent: self.env.grammar,
                content: GrammarContent::default(),
                pos: pos.clone(),
            });
            let outer = self.env.grammar.replace(gid);
            let mut out = GrammarContent::default();
            let r = self.grammar_members(&mut out, false, Some(anno));
            self.env.grammar = outer;
            r?;
            self.end_of_file()?;
            self.p.grammars[gid as usize].content = out;
            return Some(Read::Pattern(Node {
                kind: Kind::Grammar(gid),
                pos,
            }));
        }
        let start = self.tok.span.clone();
        let parsed = self.pattern_with(anno)?;
        if parsed.trailing {
            self.error(
                &COMPACT_SYNTAX,
                start,
                "the schema's pattern is followed by annotation elements (`>>` or an annotation on a value), which leave it more than one element in the XML syntax",
            );
            return None;
        }
        self.end_of_file()?;
        Some(Read::Pattern(parsed.node))
    }

    /// Fails unless the whole file has been read.
    fn end_of_file(&mut self) -> Option<()> {
        if self.tok.tok == Tok::Eof {
            Some(())
        } else {
            self.expected("the end of the file")
        }
    }

    /// Whether the current token (after annotations, `annotated` false when there were some)
    /// starts grammar content rather than a pattern.
    fn starts_component(&mut self, bare: bool) -> Option<bool> {
        let tok = self.tok.tok.clone();
        if tok == Tok::Eof {
            return Some(true);
        }
        if tok.is_kw("start") || tok.is_kw("div") || tok.is_kw("include") {
            return Some(true);
        }
        let named = matches!(&tok, Tok::Name { .. } if tok.keyword().is_none());
        let next = self.peek()?.clone();
        if named && matches!(next, Tok::Punct(P::Eq | P::OrEq | P::AndEq)) {
            return Some(true);
        }
        // an annotation element of the grammar: `name [ … ]`, `p:name [ … ]`
        let element_name = named || matches!(tok, Tok::CName(..));
        Some(bare && element_name && next == Tok::Punct(P::LBracket))
    }
}

/// Whether `text` starts as a compact-syntax schema does: nothing but comments, or a first
/// token that opens a declaration, a definition, an annotation or a pattern. A file read as
/// a schema that does not is never quoted in a report (a path may name any file).
pub fn looks_like_compact(text: &str) -> bool {
    if lexer::check_escapes(text).is_err() {
        return false;
    }
    let mut lx = Lexer::new(text);
    let mut next = || lx.next_token().ok().map(|t| t.tok);
    let mut first = next();
    while let Some(Tok::Doc(_)) = first {
        first = next();
    }
    let Some(first) = first else { return false };
    match &first {
        Tok::Eof | Tok::Literal(_) | Tok::Punct(P::LBracket | P::LParen) => true,
        Tok::Name { .. } if first.keyword().is_some() => true,
        Tok::Name { .. } | Tok::CName(..) => matches!(
            next(),
            Some(Tok::Punct(P::Eq | P::OrEq | P::AndEq | P::LBracket))
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_text_is_told_from_other_files() {
        for yes in [
            "",
            "# only a comment\n",
            "default namespace = \"urn:x\"\nstart = e",
            "## doc\nelement a { empty }",
            "start = element a { empty }",
            "foo |= bar",
            "[ a:x = \"1\" ] element a { empty }",
            "\"value\"",
        ] {
            assert!(looks_like_compact(yes), "{yes}");
        }
        for no in [
            "root:x:0:0:root:/root:/bin/bash\n",
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"/>",
            "hunter2 password",
            "key: value",
            "\u{1}",
        ] {
            assert!(!looks_like_compact(no), "{no}");
        }
        assert!(is_compact(Path::new("a/b.RNC")) && !is_compact(Path::new("a/b.rng")));
    }
}
