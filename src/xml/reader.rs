//! The streaming parser: quick-xml tokens checked for well-formedness, namespaces resolved,
//! references and internal entities expanded, text merged, events sent to a [`Handler`].

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use quick_xml::errors::{Error as QxError, IllFormedError, SyntaxError};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::chars::{first_invalid_char, is_all_space, is_space};
use super::codes;
use super::dtd::{parse_doctype, Entity};
use super::event::{Attribute, EndTag, Handler, NsContext, StartTag};
use super::ns::{NsScope, XMLNS_NS, XML_NS};
use super::tag::{end_tag_name, is_name_fast, scan_start_tag, value_needs_work, RawAttr, Val};
use crate::diagnostic::{Code, Diagnostic};

/// Limits and switches for [`parse`].
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Total bytes that entity expansion may produce in one document (default 10 MB). A
    /// reference whose expansion alone exceeds it is refused before anything is expanded.
    pub max_entity_expansion: usize,
    /// How deeply entity references may nest (default 16).
    pub max_entity_depth: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_entity_expansion: 10 * 1024 * 1024,
            max_entity_depth: 16,
        }
    }
}

/// Parse `text`, sending events to `handler`. Returns the well-formedness and entity
/// diagnostics (errors stop the parse at the first fatal one, like any XML parser; warnings do
/// not). Spans are byte offsets into `text`; events produced by an entity's replacement text
/// carry the span of the reference.
pub fn parse(text: &str, handler: &mut dyn Handler, options: &ParseOptions) -> Vec<Diagnostic> {
    let mut p = Parser::new(text, options);
    let _ = p.run(text, true, None, handler);
    p.diags
}

/// Marks a fatal error (already recorded in `diags`).
struct Fatal;

type Res<T = ()> = Result<T, Fatal>;

struct Open {
    name_at: usize,
    name_len: usize,
    span: Range<usize>,
}

#[derive(Default)]
struct TextRun {
    active: bool,
    span: Range<usize>,
    /// The whole run is this range of the main text (nothing copied yet).
    borrowed: Option<Range<usize>>,
}

struct Parser<'t, 'o> {
    text: &'t str,
    opts: &'o ParseOptions,
    diags: Vec<Diagnostic>,
    ns: NsScope,
    stack: Vec<Open>,
    names: String,
    raw_attrs: Vec<RawAttr>,
    valbuf: String,
    attr_store: Vec<Attribute<'static>>,
    run: TextRun,
    textbuf: String,
    entities: HashMap<String, Entity>,
    sizes: HashMap<String, usize>,
    expanding: Vec<String>,
    expanded_total: usize,
    root_seen: bool,
    doctype_seen: bool,
    external_subset: bool,
}

/// Reuses a vector's allocation for another lifetime (it is emptied first; the in-place
/// `collect` keeps the buffer because both element types have the same layout).
#[allow(clippy::unnecessary_filter_map)]
fn recycle<'b>(mut v: Vec<Attribute<'_>>) -> Vec<Attribute<'b>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// The character a character reference body (after `&#`) names, if XML allows it.
pub fn char_ref(body: &str) -> Option<char> {
    let n = if let Some(hex) = body.strip_prefix('x') {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse::<u32>().ok()?
    };
    char::from_u32(n).filter(|&c| super::chars::is_xml_char(c))
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// Pushes `s` with line ends normalised (`\r\n` and `\r` become `\n`).
fn push_normalised(buf: &mut String, s: &str) {
    if !s.contains('\r') {
        buf.push_str(s);
        return;
    }
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        buf.push_str(&rest[..i]);
        buf.push('\n');
        rest = &rest[i + 1..];
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    buf.push_str(rest);
}

impl<'t, 'o> Parser<'t, 'o> {
    fn new(text: &'t str, opts: &'o ParseOptions) -> Self {
        Parser {
            text,
            opts,
            diags: Vec::new(),
            ns: NsScope::new(),
            stack: Vec::new(),
            names: String::new(),
            raw_attrs: Vec::new(),
            valbuf: String::new(),
            attr_store: Vec::new(),
            run: TextRun::default(),
            textbuf: String::new(),
            entities: HashMap::new(),
            sizes: HashMap::new(),
            expanding: Vec::new(),
            expanded_total: 0,
            root_seen: false,
            doctype_seen: false,
            external_subset: false,
        }
    }

    fn fatal<T>(&mut self, d: Diagnostic) -> Res<T> {
        self.diags.push(d);
        Err(Fatal)
    }

    fn err<T>(
        &mut self,
        code: &'static Code,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> Res<T> {
        self.fatal(Diagnostic::new(code, span, msg))
    }

    // ---- text runs ---------------------------------------------------------------------

    /// Adds character data: `content` is in `src` (the main text when `main`), `span` is
    /// where it came from.
    fn add_text(&mut self, src: &str, main: bool, content: Range<usize>, span: Range<usize>) {
        if content.is_empty() && self.run.active {
            self.run.span.end = self.run.span.end.max(span.end);
            return;
        }
        let piece = &src[content.clone()];
        if !self.run.active {
            self.run.active = true;
            self.run.span = span;
            self.textbuf.clear();
            if main && !piece.contains('\r') {
                self.run.borrowed = Some(content);
            } else {
                self.run.borrowed = None;
                push_normalised(&mut self.textbuf, piece);
            }
            return;
        }
        self.run.span.start = self.run.span.start.min(span.start);
        self.run.span.end = self.run.span.end.max(span.end);
        self.unborrow();
        push_normalised(&mut self.textbuf, piece);
    }

    fn unborrow(&mut self) {
        if let Some(b) = self.run.borrowed.take() {
            self.textbuf.clear();
            self.textbuf.push_str(&self.text[b]);
        }
    }

    fn add_char(&mut self, c: char, span: Range<usize>) {
        if !self.run.active {
            self.run.active = true;
            self.run.span = span;
            self.run.borrowed = None;
            self.textbuf.clear();
        } else {
            self.run.span.start = self.run.span.start.min(span.start);
            self.run.span.end = self.run.span.end.max(span.end);
            self.unborrow();
        }
        self.textbuf.push(c);
    }

    fn flush(&mut self, h: &mut dyn Handler) {
        if !self.run.active {
            return;
        }
        self.run.active = false;
        if self.stack.is_empty() {
            return; // outside the root: only whitespace gets here, and it is not an event
        }
        let span = self.run.span.clone();
        match self.run.borrowed.take() {
            Some(b) => h.text(&self.text[b], span),
            None => {
                if !self.textbuf.is_empty() {
                    h.text(&self.textbuf, span)
                }
            }
        }
    }

    // ---- the event loop ----------------------------------------------------------------

    /// Parses `src` (the main text, or an entity's replacement text whose events all get the
    /// span `base`).
    fn run(
        &mut self,
        src: &str,
        main: bool,
        base: Option<Range<usize>>,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| base.clone().unwrap_or(a..b);
        let floor = self.stack.len();
        let mut off = 0usize;
        let mut reader = new_reader(src);
        let mut pos = 0usize;
        loop {
            let ev = reader.read_event();
            let end = off + reader.buffer_position() as usize;
            let start = pos;
            pos = end;
            let ev = match ev {
                Ok(ev) => ev,
                Err(QxError::Syntax(SyntaxError::UnclosedDoctype))
                    if main && !self.doctype_seen =>
                {
                    // quick-xml balances `<` and `>` even inside quoted literals; read the
                    // declaration ourselves and restart after it
                    let doc_start = src[start..].find("<!").map_or(start, |i| start + i);
                    self.doctype_seen = true;
                    let doc_end = self.doctype(src, doc_start)?;
                    off = doc_end;
                    pos = doc_end;
                    reader = new_reader(&src[doc_end..]);
                    continue;
                }
                Err(e) => {
                    let at = off + reader.error_position() as usize;
                    return self.quick_xml_error(e, src, sp(at, (at + 1).min(src.len().max(at))));
                }
            };
            match ev {
                Event::Text(_) => {
                    let raw = &src[start..end];
                    if let Some((i, c)) = first_invalid_char(raw) {
                        return self.invalid_char(c, sp(start + i, start + i + c.len_utf8()));
                    }
                    if let Some(i) = raw.find("]]>") {
                        return self.err(
                            &codes::CDATA_END_IN_TEXT,
                            sp(start + i, start + i + 3),
                            "`]]>` is not allowed in text: write `]]&gt;`",
                        );
                    }
                    if self.stack.is_empty() {
                        if !is_all_space(raw) {
                            return self.outside_root(raw, sp(start, end));
                        }
                        continue;
                    }
                    self.add_text(src, main, start..end, sp(start, end));
                }
                Event::CData(_) => {
                    if self.stack.is_empty() {
                        return self.err(
                            &codes::TEXT_OUTSIDE_ROOT,
                            sp(start, end),
                            "a CDATA section outside the root element: only whitespace, comments and processing instructions may appear there",
                        );
                    }
                    let content = start + 9..end - 3;
                    if let Some((i, c)) = first_invalid_char(&src[content.clone()]) {
                        let at = content.start + i;
                        return self.invalid_char(c, sp(at, at + c.len_utf8()));
                    }
                    self.add_text(src, main, content, sp(start, end));
                }
                Event::GeneralRef(_) => {
                    let body = &src[start + 1..end - 1];
                    self.reference(body, sp(start, end), h)?;
                }
                Event::Comment(_) => {
                    if let Some((i, c)) = first_invalid_char(&src[start..end]) {
                        return self.invalid_char(c, sp(start + i, start + i + c.len_utf8()));
                    }
                }
                Event::PI(_) | Event::Decl(_) => {
                    self.pi(src, main, start, end, &sp, h)?;
                }
                Event::DocType(_) => {
                    if !main || self.root_seen || self.doctype_seen {
                        let why = if !main {
                            "inside an entity's replacement text"
                        } else if self.root_seen {
                            "after the root element started"
                        } else {
                            "a second time"
                        };
                        return self.err(
                            &codes::MISPLACED_DOCTYPE,
                            sp(start, end),
                            format!("a DOCTYPE declaration {why}: it must come once, before the root element"),
                        );
                    }
                    self.doctype_seen = true;
                    let doc_end = self.doctype(src, start)?;
                    if doc_end != end {
                        // quick-xml counts `<`/`>` without regard to quotes; restart after
                        // the declaration's real end.
                        off = doc_end;
                        pos = doc_end;
                        reader = new_reader(&src[doc_end..]);
                    }
                }
                Event::Start(_) | Event::Empty(_) => {
                    let empty = matches!(ev, Event::Empty(_));
                    self.flush(h);
                    self.start_tag(src, start, end, empty, &base, h)?;
                }
                Event::End(_) => {
                    self.flush(h);
                    self.end_tag(src, start, end, floor, &base, h)?;
                }
                Event::Eof => break,
            }
        }
        if !main {
            if self.stack.len() != floor {
                let open = self
                    .stack
                    .last()
                    .map(|o| self.names[o.name_at..o.name_at + o.name_len].to_string());
                return self.err(
                    &codes::ENTITY_NOT_BALANCED,
                    base.unwrap_or(0..0),
                    format!(
                        "the entity's replacement text starts element `{}` but does not end it",
                        open.unwrap_or_default()
                    ),
                );
            }
            return Ok(());
        }
        self.flush(h);
        if let Some(open) = self.stack.last() {
            let name = self.names[open.name_at..open.name_at + open.name_len].to_string();
            let span = open.span.clone();
            let n = self.stack.len();
            let end = self.text.len();
            let more = if n > 1 {
                format!(" (and {} enclosing elements)", n - 1)
            } else {
                String::new()
            };
            return self.fatal(
                Diagnostic::new(
                    &codes::UNCLOSED_ELEMENT,
                    span,
                    format!(
                        "element `{name}` is not closed{more}: the file ends before `</{name}>`"
                    ),
                )
                .with_label(end..end, "the file ends here"),
            );
        }
        if !self.root_seen {
            let end = self.text.len();
            return self.err(
                &codes::NO_ROOT,
                end..end,
                "the file contains no root element",
            );
        }
        Ok(())
    }

    /// Reads the DOCTYPE declaration at `start`; returns the offset past its `>`.
    fn doctype(&mut self, src: &str, start: usize) -> Res<usize> {
        let mut warnings = Vec::new();
        let doc = match parse_doctype(src, start, &mut self.entities, &mut warnings) {
            Ok(d) => d,
            Err(d) => return self.fatal(d),
        };
        self.diags.append(&mut warnings);
        self.external_subset = doc.external_subset || doc.pe_refs;
        Ok(doc.end)
    }

    fn invalid_char(&mut self, c: char, span: Range<usize>) -> Res {
        self.err(
            &codes::INVALID_CHARACTER,
            span,
            format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
        )
    }

    fn outside_root(&mut self, raw: &str, span: Range<usize>) -> Res {
        let lead = raw.bytes().take_while(|&b| is_space(b)).count();
        let span = span.start + lead.min(span.len())..span.end;
        let snippet: String = raw.trim().chars().take(30).collect();
        let where_ = if self.root_seen {
            "after the root element"
        } else {
            "before the root element"
        };
        self.err(
            &codes::TEXT_OUTSIDE_ROOT,
            span,
            format!("text `{snippet}` {where_}: only whitespace, comments and processing instructions may appear outside it"),
        )
    }

    fn quick_xml_error(&mut self, e: QxError, src: &str, span: Range<usize>) -> Res {
        let _ = src;
        let (code, msg) = match e {
            QxError::IllFormed(IllFormedError::UnclosedReference) => (
                &codes::UNESCAPED_AMPERSAND,
                "`&` starts no reference (no `;` follows the name): write `&amp;` for a literal ampersand".to_string(),
            ),
            QxError::IllFormed(IllFormedError::DoubleHyphenInComment) => {
                (&codes::NOT_WELL_FORMED, "`--` is not allowed inside a comment".to_string())
            }
            QxError::IllFormed(IllFormedError::MissingDeclVersion(_)) => {
                (&codes::XML_DECLARATION, "the XML declaration has no `version` first".to_string())
            }
            QxError::IllFormed(IllFormedError::MissingDoctypeName) => {
                (&codes::DTD_SYNTAX, "the DOCTYPE declaration names no root element".to_string())
            }
            QxError::Syntax(s) => (&codes::NOT_WELL_FORMED, s.to_string()),
            other => (&codes::NOT_WELL_FORMED, other.to_string()),
        };
        self.err(code, span, msg)
    }

    fn pi(
        &mut self,
        src: &str,
        main: bool,
        start: usize,
        end: usize,
        sp: &dyn Fn(usize, usize) -> Range<usize>,
        h: &mut dyn Handler,
    ) -> Res {
        let inner = &src[start + 2..end - 2];
        let tlen = inner.bytes().position(is_space).unwrap_or(inner.len());
        let target = &inner[..tlen];
        if target.eq_ignore_ascii_case("xml") {
            if main && start == 0 && target == "xml" {
                return self.xml_decl(&inner[tlen..], start + 2 + tlen, sp(start, end));
            }
            return self.err(
                &codes::XML_DECLARATION,
                sp(start, end),
                "an XML declaration (or a processing instruction named `xml`) is allowed only at the very start of the file",
            );
        }
        if !is_name_fast(target) || target.contains(':') {
            return self.err(
                &codes::NOT_WELL_FORMED,
                sp(start, end),
                format!("`{target}` is not a valid processing instruction target"),
            );
        }
        if let Some((i, c)) = first_invalid_char(inner) {
            let at = start + 2 + i;
            return self.invalid_char(c, sp(at, at + c.len_utf8()));
        }
        let data = inner[tlen..].trim_start_matches([' ', '\t', '\n', '\r']);
        self.flush(h);
        h.processing_instruction(target, data, sp(start, end));
        Ok(())
    }

    /// Checks `<?xml version="1.0" encoding="…" standalone="…"?>` (the pseudo-attributes in
    /// `rest`, which starts at byte `at`).
    fn xml_decl(&mut self, rest: &str, at: usize, span: Range<usize>) -> Res {
        let mut seen: Vec<&str> = Vec::new();
        let b = rest.as_bytes();
        let mut i = 0;
        loop {
            let sp_start = i;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if i == sp_start {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    "expected whitespace between the XML declaration's pseudo-attributes",
                );
            }
            let ns = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let name = &rest[ns..i];
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + ns..at + i,
                    format!("expected `=` after `{name}` in the XML declaration"),
                );
            }
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let q = b.get(i).copied().unwrap_or(0);
            if q != b'"' && q != b'\'' {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    format!("the value of `{name}` in the XML declaration must be quoted"),
                );
            }
            let vs = i + 1;
            let Some(n) = b[vs..].iter().position(|&c| c == q) else {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    format!("the value of `{name}` is not closed"),
                );
            };
            let value = &rest[vs..vs + n];
            i = vs + n + 1;
            let vspan = at + vs..at + vs + n;
            let expected_pos = match name {
                "version" => 0,
                "encoding" => 1,
                "standalone" => 2,
                _ => {
                    return self.err(
                        &codes::XML_DECLARATION,
                        at + ns..at + ns + name.len(),
                        format!("`{name}` is not allowed in the XML declaration (expected version, encoding, standalone)"),
                    )
                }
            };
            let order = ["version", "encoding", "standalone"];
            if seen.contains(&name)
                || seen
                    .iter()
                    .any(|s| order.iter().position(|o| o == s).unwrap_or(0) > expected_pos)
            {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + ns..at + ns + name.len(),
                    format!("`{name}` is out of order or repeated in the XML declaration (expected version, encoding, standalone)"),
                );
            }
            if expected_pos > 0 && seen.is_empty() {
                return self.err(
                    &codes::XML_DECLARATION,
                    span,
                    "the XML declaration must name `version` first",
                );
            }
            match name {
                "version" => {
                    let ok = value
                        .strip_prefix("1.")
                        .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()));
                    if !ok {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("unsupported XML version `{value}`: expected `1.0`"),
                        );
                    }
                    if value != "1.0" {
                        self.diags.push(Diagnostic::new(
                            &codes::UNSUPPORTED_VERSION,
                            vspan,
                            format!("XML version `{value}` is read by the XML 1.0 rules"),
                        ));
                    }
                }
                "encoding" => {
                    let ok = value
                        .bytes()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                        && value
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
                    if !ok {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("`{value}` is not a valid encoding name"),
                        );
                    }
                }
                _ => {
                    if value != "yes" && value != "no" {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("standalone must be `yes` or `no`, found `{value}`"),
                        );
                    }
                }
            }
            seen.push(name);
        }
        if seen.is_empty() {
            return self.err(
                &codes::XML_DECLARATION,
                span,
                "the XML declaration must name `version` first",
            );
        }
        Ok(())
    }

    // ---- references and entities -------------------------------------------------------

    fn reference(&mut self, body: &str, span: Range<usize>, h: &mut dyn Handler) -> Res {
        if self.stack.is_empty() {
            return self.err(
                &codes::TEXT_OUTSIDE_ROOT,
                span,
                format!("reference `&{body};` outside the root element"),
            );
        }
        if let Some(num) = body.strip_prefix('#') {
            return match char_ref(num) {
                Some(c) => {
                    self.add_char(c, span);
                    Ok(())
                }
                None => self.err(
                    &codes::BAD_CHARACTER_REFERENCE,
                    span,
                    format!("`&{body};` does not name a character XML allows"),
                ),
            };
        }
        if let Some(c) = predefined(body) {
            self.add_char(c, span);
            return Ok(());
        }
        if !is_name_fast(body) {
            let s = span.start;
            return self.err(
                &codes::UNESCAPED_AMPERSAND,
                s..s + 1,
                "`&` starts no reference: write `&amp;` for a literal ampersand",
            );
        }
        let value = self.entity_value(body, span.clone())?;
        let Some(value) = value else { return Ok(()) };
        self.expanding.push(body.to_string());
        let r = if !value.contains(['<', '&']) {
            if let Some((_, c)) = first_invalid_char(&value) {
                self.invalid_char(c, span.clone())
            } else {
                let len = value.len();
                self.add_text(&value, false, 0..len, span.clone());
                Ok(())
            }
        } else {
            self.run(&value, false, Some(span), h)
        };
        self.expanding.pop();
        r
    }

    /// Looks an entity up and checks the limits: `Ok(None)` for an external entity (warned).
    fn entity_value(&mut self, name: &str, span: Range<usize>) -> Res<Option<Rc<str>>> {
        let Some(ent) = self.entities.get(name) else {
            let help = match name {
                "nbsp" => "HTML entities are not predefined in XML: write `&#160;` or declare `<!ENTITY nbsp \"&#160;\">`".to_string(),
                _ => format!("declare it in the internal DTD subset (`<!ENTITY {name} \"…\">`) or use a character reference"),
            };
            let d = Diagnostic::new(
                &codes::UNDEFINED_ENTITY,
                span,
                format!("entity `&{name};` is not declared (XML predefines only lt, gt, amp, apos and quot)"),
            )
            .with_help(help);
            return self.fatal(d);
        };
        let Some(value) = ent.value.clone() else {
            let decl = ent.span.clone();
            self.diags.push(
                Diagnostic::new(
                    &codes::EXTERNAL_ENTITY_IGNORED,
                    span,
                    format!("external entity `&{name};` is never read; it is left out"),
                )
                .with_label(decl, "declared here"),
            );
            return Ok(None);
        };
        if self.expanding.iter().any(|n| n == name) {
            return self.err(
                &codes::ENTITY_LOOP,
                span,
                format!("entity `&{name};` refers to itself"),
            );
        }
        if self.expanding.len() >= self.opts.max_entity_depth {
            return self.err(
                &codes::ENTITY_EXPANSION_LIMIT,
                span,
                format!(
                    "entity references nest deeper than the limit of {}",
                    self.opts.max_entity_depth
                ),
            );
        }
        let size = match self.expanded_size(name, &mut Vec::new()) {
            Ok(n) => n,
            Err(looped) => {
                return self.err(
                    &codes::ENTITY_LOOP,
                    span,
                    format!("entity `&{name};` never ends expanding: `&{looped};` refers to itself through its replacement text"),
                )
            }
        };
        let limit = self.opts.max_entity_expansion;
        if size > limit || self.expanded_total.saturating_add(size) > limit {
            let what = if size >= usize::MAX / 2 {
                "an unbounded amount".to_string()
            } else {
                format!("{size} bytes")
            };
            return self.err(
                &codes::ENTITY_EXPANSION_LIMIT,
                span,
                format!("entity `&{name};` expands to {what}, beyond the limit of {limit} bytes for the document; nothing was expanded"),
            );
        }
        if self.expanding.is_empty() {
            self.expanded_total += size;
        }
        Ok(Some(value))
    }

    /// The size of an entity's full expansion (memoised, saturating); `Err` names an entity
    /// that refers to itself.
    fn expanded_size(&mut self, name: &str, visiting: &mut Vec<String>) -> Result<usize, String> {
        if let Some(&n) = self.sizes.get(name) {
            return Ok(n);
        }
        if visiting.iter().any(|v| v == name) {
            return Err(name.to_string());
        }
        let Some(value) = self.entities.get(name).and_then(|e| e.value.clone()) else {
            return Ok(0);
        };
        if visiting.len() > self.opts.max_entity_depth {
            return Ok(value.len()); // too deep: refused when actually expanded
        }
        visiting.push(name.to_string());
        let mut total = value.len();
        let mut rest: &str = &value;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let Some(semi) = after.find(';') else { break };
            let body = &after[..semi];
            if !body.starts_with('#')
                && predefined(body).is_none()
                && self.entities.contains_key(body)
            {
                let n = self.expanded_size(body, visiting)?;
                total = total.saturating_add(n);
            }
            rest = &after[semi + 1..];
        }
        visiting.pop();
        let total = total.min(usize::MAX / 2);
        self.sizes.insert(name.to_string(), total);
        Ok(total)
    }

    // ---- tags --------------------------------------------------------------------------

    fn start_tag(
        &mut self,
        src: &str,
        start: usize,
        end: usize,
        empty: bool,
        base: &Option<Range<usize>>,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| base.clone().unwrap_or(a..b);
        let hi = if empty { end - 2 } else { end - 1 };
        let mut raw = std::mem::take(&mut self.raw_attrs);
        let name = match scan_start_tag(src, start + 1, hi, &mut raw) {
            Ok(n) => n,
            Err((code, s, msg)) => {
                self.raw_attrs = raw;
                return self.err(code, sp(s.start, s.end), msg);
            }
        };
        if self.stack.is_empty() {
            if self.root_seen {
                let qn = &src[name.clone()];
                return self.err(
                    &codes::MULTIPLE_ROOTS,
                    sp(start, end),
                    format!(
                        "a second root element `{qn}`: a document has exactly one root element"
                    ),
                );
            }
            self.root_seen = true;
        }
        // attribute values
        self.valbuf.clear();
        for a in raw.iter_mut() {
            let vr = a.value_span.clone();
            if value_needs_work(src[vr.clone()].as_bytes()) {
                let s = self.valbuf.len();
                if let Err(f) = self.attr_value(src, vr, base) {
                    self.raw_attrs = raw;
                    return Err(f);
                }
                a.value = Val::Buf(s..self.valbuf.len());
            } else {
                a.value = Val::Src(vr);
            }
        }
        // namespace declarations
        self.ns.push_element();
        for a in raw.iter_mut() {
            let qn = &src[a.qname.clone()];
            let prefix = if qn == "xmlns" {
                ""
            } else if let Some(p) = qn.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            a.is_ns = true;
            let value = match &a.value {
                Val::Src(r) => &src[r.clone()],
                Val::Buf(r) => &self.valbuf[r.clone()],
            };
            let problem = if prefix.contains(':') || (qn != "xmlns" && prefix.is_empty()) {
                Some(format!("`{qn}` is not a valid namespace declaration"))
            } else if prefix == "xmlns" {
                Some("the `xmlns` prefix may not be declared".to_string())
            } else if prefix == "xml" && value != XML_NS {
                Some(format!("the `xml` prefix may only be bound to `{XML_NS}`"))
            } else if prefix != "xml" && value == XML_NS {
                Some(format!("`{XML_NS}` may only be bound to the `xml` prefix"))
            } else if value == XMLNS_NS {
                Some(format!("`{XMLNS_NS}` may not be declared"))
            } else if !prefix.is_empty() && value.is_empty() {
                Some(format!(
                    "`{qn}=\"\"` undeclares a prefix, which XML 1.0 namespaces do not allow"
                ))
            } else {
                None
            };
            if let Some(msg) = problem {
                let s = a.span.clone();
                self.raw_attrs = raw;
                self.ns.pop_element();
                return self.err(&codes::BAD_NAMESPACE_DECLARATION, sp(s.start, s.end), msg);
            }
            if prefix != "xml" {
                self.ns.bind(prefix, value);
            }
        }
        let r = self.emit_start(src, name, start, end, empty, &raw, base, h);
        self.raw_attrs = raw;
        r
    }

    #[allow(clippy::too_many_arguments)]
    fn emit_start(
        &mut self,
        src: &str,
        name: Range<usize>,
        start: usize,
        end: usize,
        empty: bool,
        raw: &[RawAttr],
        base: &Option<Range<usize>>,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| base.clone().unwrap_or(a..b);
        let qname = &src[name.clone()];
        let (ens, elocal) = match split_qname(qname) {
            Err(()) => {
                return self.err(
                    &codes::INVALID_NAME,
                    sp(name.start, name.end),
                    format!("`{qname}` is not a valid qualified name"),
                )
            }
            Ok((p, local)) => {
                match self.ns.resolve(p) {
                    Some(ns) => (ns, local),
                    None => {
                        let d = Diagnostic::new(
                        &codes::UNBOUND_PREFIX,
                        sp(name.start, name.end),
                        format!("element `{qname}` uses namespace prefix `{p}`, which is not declared"),
                    )
                    .with_help(format!("declare it with `xmlns:{p}=\"…\"` on this element or an ancestor"));
                        return self.fatal(d);
                    }
                }
            }
        };
        let mut problem: Option<Diagnostic> = None;
        let mut attrs: Vec<Attribute<'_>> = recycle(std::mem::take(&mut self.attr_store));
        for a in raw.iter().filter(|a| !a.is_ns) {
            let aq = &src[a.qname.clone()];
            let value = match &a.value {
                Val::Src(r) => &src[r.clone()],
                Val::Buf(r) => &self.valbuf[r.clone()],
            };
            let (ns, local) = match split_qname(aq) {
                Err(()) => {
                    problem = Some(Diagnostic::new(
                        &codes::INVALID_NAME,
                        sp(a.qname.start, a.qname.end),
                        format!("`{aq}` is not a valid qualified attribute name"),
                    ));
                    break;
                }
                Ok(("", local)) => ("", local),
                Ok((p, local)) => match self.ns.resolve(p) {
                    Some(ns) => (ns, local),
                    None => {
                        problem = Some(
                            Diagnostic::new(
                                &codes::UNBOUND_PREFIX,
                                sp(a.qname.start, a.qname.end),
                                format!("attribute `{aq}` uses namespace prefix `{p}`, which is not declared"),
                            )
                            .with_help(format!("declare it with `xmlns:{p}=\"…\"` on this element or an ancestor")),
                        );
                        break;
                    }
                },
            };
            if let Some(first) = attrs
                .iter()
                .find(|b| b.qname == aq || (b.local == local && b.ns == ns))
            {
                let msg = if first.qname == aq {
                    format!("attribute `{aq}` appears twice on element `{qname}`")
                } else {
                    format!("attributes `{}` and `{aq}` of element `{qname}` have the same namespace and local name", first.qname)
                };
                problem = Some(
                    Diagnostic::new(
                        &codes::DUPLICATE_ATTRIBUTE,
                        sp(a.span.start, a.span.end),
                        msg,
                    )
                    .with_label(first.span.clone(), "first given here"),
                );
                break;
            }
            attrs.push(Attribute {
                ns,
                local,
                qname: aq,
                value,
                span: sp(a.span.start, a.span.end),
                value_span: sp(a.value_span.start, a.value_span.end),
            });
        }
        if problem.is_none() {
            let tag = StartTag {
                ns: ens,
                local: elocal,
                qname,
                span: sp(start, end),
                attributes: &attrs,
                empty,
                namespaces: &self.ns,
            };
            h.start_element(&tag);
            if empty {
                h.end_element(&EndTag {
                    ns: ens,
                    local: elocal,
                    qname,
                    span: sp(start, end),
                });
            }
        }
        self.attr_store = recycle(attrs);
        if let Some(d) = problem {
            self.ns.pop_element();
            return self.fatal(d);
        }
        if empty {
            self.ns.pop_element();
        } else {
            let name_at = self.names.len();
            self.names.push_str(qname);
            self.stack.push(Open {
                name_at,
                name_len: qname.len(),
                span: sp(start, end),
            });
        }
        Ok(())
    }

    fn end_tag(
        &mut self,
        src: &str,
        start: usize,
        end: usize,
        floor: usize,
        base: &Option<Range<usize>>,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| base.clone().unwrap_or(a..b);
        let name = match end_tag_name(src, start + 2, end - 1) {
            Ok(n) => n,
            Err(mut d) => {
                d.span = sp(start, end);
                return self.fatal(d);
            }
        };
        let qname = &src[name];
        let Some(open) = self.stack.last() else {
            let why = if self.root_seen {
                "after the root element was closed"
            } else {
                "before any element was opened"
            };
            return self.err(
                &codes::UNEXPECTED_END_TAG,
                sp(start, end),
                format!("end tag `</{qname}>` {why}"),
            );
        };
        if self.stack.len() <= floor {
            return self.err(
                &codes::ENTITY_NOT_BALANCED,
                sp(start, end),
                format!(
                    "the entity's replacement text ends element `{qname}`, which it did not start"
                ),
            );
        }
        let open_name = &self.names[open.name_at..open.name_at + open.name_len];
        if open_name != qname {
            let d = Diagnostic::new(
                &codes::MISMATCHED_END_TAG,
                sp(start, end),
                format!("end tag `</{qname}>` does not match the open element `{open_name}`: expected `</{open_name}>`"),
            )
            .with_label(open.span.clone(), format!("`{open_name}` starts here"));
            return self.fatal(d);
        }
        let (p, local) = split_qname(qname).unwrap_or(("", qname));
        let ns = self.ns.resolve(p).unwrap_or("");
        h.end_element(&EndTag {
            ns,
            local,
            qname,
            span: sp(start, end),
        });
        if let Some(o) = self.stack.pop() {
            self.names.truncate(o.name_at);
        }
        self.ns.pop_element();
        Ok(())
    }

    /// Normalises an attribute value (`src[vr]`) into `valbuf`: references expanded,
    /// whitespace characters to spaces, `<` refused.
    fn attr_value(&mut self, src: &str, vr: Range<usize>, base: &Option<Range<usize>>) -> Res {
        let sp = |a: usize, b: usize| base.clone().unwrap_or(a..b);
        let raw = &src[vr.clone()];
        let bytes = raw.as_bytes();
        let mut i = 0;
        let mut lit = 0;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b'<' => {
                    let at = vr.start + i;
                    return self.err(
                        &codes::LT_IN_ATTRIBUTE,
                        sp(at, at + 1),
                        "`<` is not allowed in an attribute value: write `&lt;` (or check for a missing closing quote)",
                    );
                }
                b'\t' | b'\n' | b'\r' => {
                    self.valbuf.push_str(&raw[lit..i]);
                    self.valbuf.push(' ');
                    if c == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    i += 1;
                    lit = i;
                }
                b'&' => {
                    self.valbuf.push_str(&raw[lit..i]);
                    let at = vr.start + i;
                    let Some(semi) = raw[i..].find(';') else {
                        return self.err(
                            &codes::UNESCAPED_AMPERSAND,
                            sp(at, at + 1),
                            "`&` in an attribute value starts no reference: write `&amp;`",
                        );
                    };
                    let body = &raw[i + 1..i + semi];
                    let rspan = sp(at, at + semi + 1);
                    self.attr_reference(body, rspan)?;
                    i += semi + 1;
                    lit = i;
                }
                _ if c < 0x20 || c == 0xEF => {
                    if let Some((j, ch)) = first_invalid_char(&raw[i..(i + 3).min(raw.len())]) {
                        let at = vr.start + i + j;
                        return self.invalid_char(ch, sp(at, at + ch.len_utf8()));
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        self.valbuf.push_str(&raw[lit..]);
        Ok(())
    }

    fn attr_reference(&mut self, body: &str, span: Range<usize>) -> Res {
        if let Some(num) = body.strip_prefix('#') {
            return match char_ref(num) {
                Some(c) => {
                    self.valbuf.push(c);
                    Ok(())
                }
                None => self.err(
                    &codes::BAD_CHARACTER_REFERENCE,
                    span,
                    format!("`&{body};` does not name a character XML allows"),
                ),
            };
        }
        if let Some(c) = predefined(body) {
            self.valbuf.push(c);
            return Ok(());
        }
        if !is_name_fast(body) {
            let s = span.start;
            return self.err(
                &codes::UNESCAPED_AMPERSAND,
                s..s + 1,
                "`&` in an attribute value starts no reference: write `&amp;`",
            );
        }
        if self.entities.get(body).is_some_and(|e| e.value.is_none()) {
            return self.err(
                &codes::NOT_WELL_FORMED,
                span,
                format!("external entity `&{body};` may not be referenced in an attribute value"),
            );
        }
        let Some(value) = self.entity_value(body, span.clone())? else {
            return Ok(());
        };
        self.expanding.push(body.to_string());
        let len = value.len();
        let base = Some(span);
        let r = self.attr_value(&value, 0..len, &base);
        self.expanding.pop();
        r
    }
}

fn new_reader(src: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(src);
    let c = r.config_mut();
    c.check_end_names = false;
    c.allow_unmatched_ends = true;
    c.check_comments = true;
    c.allow_dangling_amp = false;
    c.expand_empty_elements = false;
    c.trim_text(false);
    r
}

/// Splits a QName into (prefix, local); `Err` when it is not a QName (`a:`, `:a`, `a:b:c`).
fn split_qname(q: &str) -> Result<(&str, &str), ()> {
    match q.find(':') {
        None => Ok(("", q)),
        Some(i) => {
            let (p, l) = (&q[..i], &q[i + 1..]);
            if p.is_empty() || l.is_empty() || l.contains(':') {
                Err(())
            } else {
                Ok((p, l))
            }
        }
    }
}
