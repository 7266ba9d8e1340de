//! The streaming parser: quick-xml tokens checked for well-formedness, namespaces resolved,
//! references and internal entities expanded, text merged, events sent to a [`Handler`].

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use quick_xml::errors::{Error as QxError, IllFormedError, SyntaxError};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::chars::{first_invalid_char, is_all_space, is_space, scan_text, TextProblem};
use super::codes;
use super::dtd::{parse_doctype, Entity};
use super::event::{Attribute, Handler};
use super::ns::{NsId, NsScope};
use super::tag::RawAttr;
use crate::diagnostic::{Code, Diagnostic};

/// Limits and switches for [`parse`] and [`parse_read`]. The limits are those of
/// [`crate::limit::Limits`] (`ParseOptions::from(&limits)`); going past one is a fatal
/// `tei::limit::*` error (entity expansion: `tei::xml::entity_expansion_limit`).
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Total bytes of replacement text that entity expansion may go through in one document
    /// (default 10 MB; every level of nested entities counts). A reference whose expansion
    /// alone would exceed it is refused before anything is expanded.
    pub max_entity_expansion: usize,
    /// How deeply entity references may nest (default 16).
    pub max_entity_depth: usize,
    /// Elements open at once (default 4,096).
    pub max_depth: usize,
    /// Attributes on one start tag, namespace declarations included (default 1,024).
    pub max_attributes: usize,
    /// Bytes of one element, attribute or entity name (default 1,024).
    pub max_name_length: usize,
    /// Bytes of one attribute value as written (default 1 MiB).
    pub max_attribute_length: usize,
    /// Bytes of one text run (merged), tag, comment, processing instruction or CDATA section
    /// (default 10 MiB): with [`ParseOptions::window`], it bounds what [`parse_read`] holds.
    pub max_text_length: usize,
    /// [`parse_read`] decodes and parses its input in windows of about this many bytes
    /// (default 1 MiB): memory stays near this size (plus the longest single token: a text
    /// run, tag or comment, at most [`ParseOptions::max_text_length`]) however large the
    /// file is.
    pub window: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions::from(&crate::limit::Limits::default())
    }
}

impl From<&crate::limit::Limits> for ParseOptions {
    fn from(l: &crate::limit::Limits) -> Self {
        ParseOptions {
            max_entity_expansion: l.entity_expansion,
            max_entity_depth: l.entity_depth,
            max_depth: l.depth,
            max_attributes: l.attributes,
            max_name_length: l.name_length,
            max_attribute_length: l.attribute_length,
            max_text_length: l.text_length,
            window: 1024 * 1024,
        }
    }
}

/// Parse `text`, sending events to `handler`. Returns the well-formedness and entity
/// diagnostics (errors stop the parse at the first fatal one, like any XML parser; warnings do
/// not). Spans are byte offsets into `text`; events produced by an entity's replacement text
/// carry the span of the reference.
pub fn parse(text: &str, handler: &mut dyn Handler, options: &ParseOptions) -> Vec<Diagnostic> {
    let mut p = Parser::new(Window::Borrowed(text), None, options);
    let _ = p.run(None, handler);
    p.finish()
}

/// Parse a byte stream (a file of any size) with the same events and diagnostics as
/// [`decode`](super::decode) followed by [`parse`], holding only a window of the text at a time
/// (see [`ParseOptions::window`]). Spans are byte offsets into the decoded text, as
/// [`parse`] gives them; an invalid byte sequence is a fatal `tei::xml::encoding` error at
/// the point where decoding stopped. `Err` only when reading fails.
pub fn parse_read(
    input: &mut dyn std::io::Read,
    handler: &mut dyn Handler,
    options: &ParseOptions,
) -> std::io::Result<Vec<Diagnostic>> {
    let mut feed = super::stream::DecodeReader::new(input);
    let mut p = Parser::new(
        Window::Shared(Rc::new(String::new())),
        Some(&mut feed),
        options,
    );
    let _ = p.run(None, handler);
    if let Some(e) = p.io_error.take() {
        return Err(e);
    }
    Ok(p.finish())
}

/// Marks a fatal error (already recorded in `diags`).
pub(super) struct Fatal;

pub(super) type Res<T = ()> = Result<T, Fatal>;

/// Where the offsets of a piece of source text point: into the main text's current window
/// (local offset + the window's start), or into an entity's replacement text (every event
/// then gets the span of the reference).
#[derive(Clone)]
pub(super) enum Origin {
    Main(usize),
    Entity(Range<usize>),
}

impl Origin {
    /// The document span of the local range `a..b`.
    pub(super) fn at(&self, a: usize, b: usize) -> Range<usize> {
        match self {
            Origin::Main(o) => o + a..o + b,
            Origin::Entity(r) => r.clone(),
        }
    }
}

/// The part of the main text in memory: all of it (borrowed), or a window of a stream.
#[derive(Clone)]
pub(super) enum Window<'t> {
    Borrowed(&'t str),
    Shared(Rc<String>),
}

impl std::ops::Deref for Window<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Window::Borrowed(s) => s,
            Window::Shared(s) => s.as_str(),
        }
    }
}

pub(super) struct Open {
    pub(super) name_at: usize,
    pub(super) name_len: usize,
    pub(super) span: Range<usize>,
    /// The element's namespace, resolved at its start tag.
    pub(super) ns: NsId,
    /// Where the local name starts in the qname.
    pub(super) local_at: usize,
}

#[derive(Default)]
pub(super) struct TextRun {
    pub(super) active: bool,
    pub(super) span: Range<usize>,
    /// The whole run is this range of the current window (nothing copied yet).
    pub(super) borrowed: Option<Range<usize>>,
}

pub(super) struct Parser<'t, 'o> {
    /// The main text in memory, from document offset `base` on.
    pub(super) window: Window<'t>,
    pub(super) base: usize,
    /// Where more of the main text comes from (`None`: the window is all of it).
    feed: Option<&'t mut dyn Feed>,
    /// An I/O error of the feed (the parse stopped there).
    io_error: Option<std::io::Error>,
    /// A decoding error met ahead of the parse: reported when the parse gets there.
    pending: Option<Diagnostic>,
    pub(super) opts: &'o ParseOptions,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) ns: NsScope,
    pub(super) stack: Vec<Open>,
    pub(super) names: String,
    pub(super) raw_attrs: Vec<RawAttr>,
    pub(super) valbuf: String,
    pub(super) attr_store: Vec<Attribute<'static>>,
    pub(super) run: TextRun,
    pub(super) textbuf: String,
    pub(super) entities: HashMap<String, Entity>,
    pub(super) sizes: HashMap<String, usize>,
    pub(super) expanding: Vec<String>,
    pub(super) expanded_total: usize,
    pub(super) root_seen: bool,
    pub(super) doctype_seen: bool,
    pub(super) external_subset: bool,
    /// `standalone="yes"` in the XML declaration.
    pub(super) standalone: bool,
}

/// A source of decoded text for [`parse_read`].
pub(super) trait Feed {
    /// Appends the next piece of decoded text (about `want` bytes) to `out`; `Ok(false)` when
    /// the input is exhausted (nothing appended).
    fn fill(&mut self, out: &mut String, want: usize) -> Result<bool, FeedError>;
}

/// Why a [`Feed`] could not go on.
pub(super) enum FeedError {
    Io(std::io::Error),
    /// Invalid bytes; the text before them has been appended.
    Decode(Box<Diagnostic>),
}

/// How far ahead of the next token the window reaches (or the input ends) before a token
/// is read: tokens shorter than this never meet the window's end.
fn lookahead(opts: &ParseOptions) -> usize {
    (opts.window / 4).clamp(1, 64 * 1024)
}

/// A DOCTYPE declaration is parsed with this much text after its start in the window.
const DOCTYPE_WINDOW: usize = 16 * 1024 * 1024;

impl<'t, 'o> Parser<'t, 'o> {
    fn new(window: Window<'t>, feed: Option<&'t mut dyn Feed>, opts: &'o ParseOptions) -> Self {
        Parser {
            window,
            base: 0,
            feed,
            io_error: None,
            pending: None,
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
            standalone: false,
        }
    }

    /// The diagnostics, spans clamped to the text (errors at the end of the input may point
    /// one byte past it).
    fn finish(mut self) -> Vec<Diagnostic> {
        let len = self.base + self.window.len();
        let clamp = |r: &mut Range<usize>| {
            r.start = r.start.min(len);
            r.end = r.end.clamp(r.start, len);
        };
        let mut diags = std::mem::take(&mut self.diags);
        for d in &mut diags {
            clamp(&mut d.span);
            self.on_char_boundaries(&mut d.span);
            for l in &mut d.labels {
                clamp(&mut l.span);
                self.on_char_boundaries(&mut l.span);
            }
        }
        diags
    }

    /// Widens `r` (global offsets) to whole characters where it lies in the current window:
    /// a span of "one byte" at an unexpected character covers the whole character.
    fn on_char_boundaries(&self, r: &mut Range<usize>) {
        let w: &str = &self.window;
        let local = |x: usize| x.checked_sub(self.base).filter(|&l| l <= w.len());
        if let Some(mut s) = local(r.start) {
            while !w.is_char_boundary(s) {
                s -= 1;
            }
            r.start = self.base + s;
        }
        if let Some(mut e) = local(r.end) {
            while !w.is_char_boundary(e) {
                e += 1;
            }
            r.end = (self.base + e).max(r.start);
        }
    }

    pub(super) fn fatal<T>(&mut self, mut d: Diagnostic) -> Res<T> {
        self.on_char_boundaries(&mut d.span);
        self.diags.push(d);
        Err(Fatal)
    }

    pub(super) fn err<T>(
        &mut self,
        code: &'static Code,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> Res<T> {
        self.fatal(Diagnostic::new(code, span, msg))
    }

    // ---- the window ----------------------------------------------------------------------

    /// Whether more main text can still come.
    fn more_input(&self) -> bool {
        self.feed.is_some()
    }

    /// Moves the window to start at local offset `keep` and fills it until `need` bytes
    /// follow `keep` (or the input ends). A text run borrowed from the old window is copied
    /// first. A decoding error ends the input; it is reported when the parse reaches it.
    fn slide(&mut self, keep: usize, need: usize) -> Res {
        self.unborrow();
        let old = &*self.window;
        let mut next = String::with_capacity((old.len() - keep).max(need) + self.opts.window);
        next.push_str(&old[keep..]);
        self.base += keep;
        while next.len() < need {
            let Some(feed) = self.feed.as_mut() else {
                break;
            };
            let want = self.opts.window.max(need - next.len());
            match feed.fill(&mut next, want) {
                Ok(true) => {}
                Ok(false) => self.feed = None,
                Err(FeedError::Io(e)) => {
                    self.feed = None;
                    self.io_error = Some(e);
                    self.window = Window::Shared(Rc::new(next));
                    return Err(Fatal);
                }
                Err(FeedError::Decode(mut d)) => {
                    self.feed = None;
                    let at = self.base + next.len();
                    d.span = at..at;
                    self.pending = Some(*d);
                }
            }
        }
        self.window = Window::Shared(Rc::new(next));
        Ok(())
    }

    /// The decoding error met ahead, if the parse got to it, as the fatal error.
    fn take_pending(&mut self) -> Res {
        match self.pending.take() {
            Some(d) => self.fatal(d),
            None => Ok(()),
        }
    }

    // ---- the event loop ----------------------------------------------------------------

    /// Parses the main text (`entity` is `None`) or an entity's replacement text, whose events
    /// all get the span of its reference.
    pub(super) fn run(&mut self, entity: Option<(&str, Range<usize>)>, h: &mut dyn Handler) -> Res {
        let main = entity.is_none();
        let (mut holder, base) = match entity {
            Some((text, span)) => (Window::Borrowed(text), Some(span)),
            None => (self.window.clone(), None),
        };
        let mut origin = match &base {
            Some(r) => Origin::Entity(r.clone()),
            None => Origin::Main(self.base),
        };
        let floor = self.stack.len();
        let ahead = lookahead(self.opts);
        // `off`: where the reader's input starts in `holder`; `feff`: bytes of U+FEFF right
        // before it (text before the next token, see `reader_at`)
        let (mut reader, mut off, mut feff) = reader_at(&holder, 0);
        let mut pos = 0usize;
        // (keep, need): move the window to start at `keep` and fill it to `need` bytes
        let mut refill: Option<(usize, usize)> = None;
        loop {
            if refill.is_none() && main && self.more_input() && holder.len() - pos < ahead {
                // too little text ahead: move the window to the next token and fill it
                refill = Some((pos, ahead));
            }
            if let Some((keep, need)) = refill.take() {
                self.slide(keep, need)?;
                holder = self.window.clone();
                origin = Origin::Main(self.base);
                (reader, off, feff) = reader_at(&holder, 0);
                pos = 0;
            }
            let src: &str = &holder;
            let sp = |a: usize, b: usize| origin.at(a, b);
            let ev = reader.read_event();
            let end = off + reader.buffer_position() as usize;
            let mut start = pos;
            pos = end;
            if main && self.more_input() {
                // a token that reaches the window's end may go on after it: read more and
                // read it again (a DOCTYPE gets a large window, for its quoted `>`s)
                let have = src.len() - start;
                let (cut, need) = match &ev {
                    Err(QxError::Syntax(SyntaxError::UnclosedDoctype)) | Ok(Event::DocType(_)) => {
                        (have < DOCTYPE_WINDOW, DOCTYPE_WINDOW)
                    }
                    Err(QxError::Syntax(_)) => (true, 0),
                    // `&name` with nothing after it that could end it
                    Err(QxError::IllFormed(IllFormedError::UnclosedReference)) => {
                        (!src[start + 1..].contains([';', '<', '&']), 0)
                    }
                    Ok(Event::Text(_)) => (end == src.len(), 0),
                    // U+FEFFs at the window's end: text that may go on after it
                    Ok(Event::Eof) => (feff > 0, 0),
                    _ => (false, 0),
                };
                if cut {
                    if need == 0 && have > self.opts.max_text_length {
                        // the window would grow past the limit for one piece: stop here
                        return self.too_long(sp(start, start + 1));
                    }
                    refill = Some((start, need.max((have * 2).max(have + self.opts.window))));
                    continue;
                }
            }
            // one piece longer than the limit (checked first, so that a file read whole and
            // one read as a stream stop at the same place with the same diagnostic)
            if main {
                let max = self.opts.max_text_length;
                let long = match &ev {
                    Ok(Event::DocType(_) | Event::Eof)
                    | Err(QxError::Syntax(SyntaxError::UnclosedDoctype)) => false,
                    Err(QxError::Syntax(_)) => self.pending.is_none() && src.len() - start > max,
                    Err(QxError::IllFormed(IllFormedError::UnclosedReference)) => {
                        src.len() - start > max && !src[start + 1..].contains([';', '<', '&'])
                    }
                    Err(_) => false,
                    Ok(_) => end - start > max,
                };
                if long {
                    return self.too_long(sp(start, start + 1));
                }
            }
            let lead = std::mem::take(&mut feff);
            if lead > 0 && !matches!(ev, Ok(Event::Text(_))) {
                // the skipped U+FEFFs are text of their own before this token (a text token
                // already includes them: its span starts at `start`)
                self.text_token(src, main, start, start + lead, &sp)?;
                start += lead;
            }
            let ev = match ev {
                Ok(ev) => ev,
                // a token cut short by invalid bytes: the encoding error is the one to report
                Err(QxError::Syntax(_)) if main && self.pending.is_some() => {
                    return self.take_pending()
                }
                Err(QxError::Syntax(SyntaxError::UnclosedDoctype))
                    if main && !self.doctype_seen =>
                {
                    // quick-xml balances `<` and `>` even inside quoted literals; read the
                    // declaration ourselves and restart after it
                    let doc_start = src[start..].find("<!").map_or(start, |i| start + i);
                    self.doctype_seen = true;
                    let doc_end = self.doctype(src, doc_start)?;
                    self.announce_unparsed(h);
                    (reader, off, feff) = reader_at(&holder, doc_end);
                    pos = doc_end;
                    continue;
                }
                Err(e) => {
                    let at = off + reader.error_position() as usize;
                    return self.quick_xml_error(e, src, sp(at, (at + 1).min(src.len().max(at))));
                }
            };
            match ev {
                Event::Text(_) => self.text_token(src, main, start, end, &sp)?,
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
                    self.add_text(src, main, content, sp(start, end))?;
                }
                Event::GeneralRef(_) => {
                    let body = &src[start + 1..end - 1];
                    self.reference(body, sp(start, end), h)?;
                }
                Event::Comment(_) => {
                    if let Some((i, c)) = first_invalid_char(&src[start..end]) {
                        return self.invalid_char(c, sp(start + i, start + i + c.len_utf8()));
                    }
                    let before = match (&self.run.borrowed, self.run.active) {
                        (_, false) => 0,
                        (Some(b), true) => b.len(),
                        (None, true) => self.textbuf.len(),
                    };
                    let body = src.get(start + 4..end.saturating_sub(3)).unwrap_or("");
                    h.comment(body, sp(start, end), before);
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
                    self.announce_unparsed(h);
                    if doc_end != end {
                        // quick-xml counts `<`/`>` without regard to quotes; restart after
                        // the declaration's real end.
                        (reader, off, feff) = reader_at(&holder, doc_end);
                        pos = doc_end;
                    }
                }
                Event::Start(_) | Event::Empty(_) => {
                    let empty = matches!(ev, Event::Empty(_));
                    self.flush(h);
                    self.start_tag(src, start, end, empty, &origin, h)?;
                }
                Event::End(_) => {
                    self.flush(h);
                    self.end_tag(src, start, end, floor, &origin, h)?;
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
        self.take_pending()?;
        self.flush(h);
        if let Some(open) = self.stack.last() {
            let name = self.names[open.name_at..open.name_at + open.name_len].to_string();
            let span = open.span.clone();
            let n = self.stack.len();
            let end = self.base + self.window.len();
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
            let end = self.base + self.window.len();
            return self.err(
                &codes::NO_ROOT,
                end..end,
                "the file contains no root element",
            );
        }
        Ok(())
    }

    /// A text token, `src[start..end]`: checked, then added to the text run (outside the
    /// root, only whitespace is allowed).
    fn text_token(
        &mut self,
        src: &str,
        main: bool,
        start: usize,
        end: usize,
        sp: &dyn Fn(usize, usize) -> Range<usize>,
    ) -> Res {
        let raw = &src[start..end];
        // (libxml2 allows `]]>` inside an entity's replacement text; so do we)
        match scan_text(raw, main) {
            None => {}
            Some((i, TextProblem::Char(c))) => {
                return self.invalid_char(c, sp(start + i, start + i + c.len_utf8()));
            }
            Some((i, TextProblem::CdataEnd)) => {
                return self.err(
                    &codes::CDATA_END_IN_TEXT,
                    sp(start + i, start + i + 3),
                    "`]]>` is not allowed in text: write `]]&gt;`",
                );
            }
        }
        if self.stack.is_empty() {
            if !is_all_space(raw) {
                return self.outside_root(raw, sp(start, end));
            }
            return Ok(());
        }
        self.add_text(src, main, start..end, sp(start, end))
    }

    pub(super) fn doctype(&mut self, src: &str, start: usize) -> Res<usize> {
        let mut warnings = Vec::new();
        // the declaration was read from the window: its spans are document offsets from `base`
        let base = self.base;
        let shift = |r: &mut Range<usize>| *r = r.start + base..r.end + base;
        let doc = match parse_doctype(src, start, &mut self.entities, &mut warnings) {
            Ok(d) => d,
            Err(mut d) => {
                shift(&mut d.span);
                d.labels.iter_mut().for_each(|l| shift(&mut l.span));
                return self.fatal(d);
            }
        };
        for d in &mut warnings {
            shift(&mut d.span);
            d.labels.iter_mut().for_each(|l| shift(&mut l.span));
        }
        self.entities.values_mut().for_each(|e| shift(&mut e.span));
        self.diags.append(&mut warnings);
        self.external_subset = doc.external_subset || doc.pe_refs;
        Ok(doc.end)
    }

    /// Sends the unparsed entities the DOCTYPE declared, in name order.
    fn announce_unparsed(&self, h: &mut dyn Handler) {
        let mut names: Vec<&str> = self
            .entities
            .iter()
            .filter(|(_, e)| e.unparsed)
            .map(|(n, _)| n.as_str())
            .collect();
        names.sort_unstable();
        for n in names {
            h.unparsed_entity(n);
        }
    }

    /// The fatal error for a text run or piece of markup longer than the limit, at its start.
    pub(super) fn too_long(&mut self, span: Range<usize>) -> Res {
        let max = self.opts.max_text_length;
        self.fatal(
            Diagnostic::new(
                &crate::limit::TEXT_LENGTH,
                span,
                format!("a run of text or a piece of markup (tag, comment, processing instruction, CDATA section) longer than the limit of {max} bytes starts here; reading stopped"),
            )
            .with_help(crate::limit::raise("text_length")),
        )
    }

    pub(super) fn invalid_char(&mut self, c: char, span: Range<usize>) -> Res {
        self.err(
            &codes::INVALID_CHARACTER,
            span,
            format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
        )
    }

    pub(super) fn outside_root(&mut self, raw: &str, span: Range<usize>) -> Res {
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

    pub(super) fn quick_xml_error(&mut self, e: QxError, src: &str, span: Range<usize>) -> Res {
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
}

/// A reader over `src[at..]`. quick-xml takes a U+FEFF at the start of its input for a byte
/// order mark and skips it without counting it in its positions; here such a character is
/// text (the real mark was removed by decoding), so the reader starts after the U+FEFFs that
/// begin `src[at..]`, and the length returned with it says how many bytes of them precede
/// the next token.
fn reader_at(src: &str, at: usize) -> (Reader<&[u8]>, usize, usize) {
    let rest = &src[at..];
    let lead = rest.len() - rest.trim_start_matches('\u{FEFF}').len();
    (new_reader(&src[at + lead..]), at + lead, lead)
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

/// Splits a QName into (prefix, local); `Err` when it is not a QName (`a:`, `:a`, `a:b:c`,
/// `a:-b`: both parts must be NCNames, and the name as a whole is already known to be a Name).
pub(super) fn split_qname(q: &str) -> Result<(&str, &str), ()> {
    match q.bytes().position(|b| b == b':') {
        None => Ok(("", q)),
        Some(i) => {
            let (p, l) = (&q[..i], &q[i + 1..]);
            let local_starts_well = l
                .chars()
                .next()
                .is_some_and(|c| c != ':' && super::chars::is_name_start_char(c));
            if p.is_empty() || !local_starts_well || l.contains(':') {
                Err(())
            } else {
                Ok((p, l))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{EndTag, StartTag};

    #[derive(Default)]
    struct Unparsed(Vec<String>, usize);
    impl Handler for Unparsed {
        fn start_element(&mut self, _: &StartTag<'_>) {
            self.1 = self.0.len();
        }
        fn end_element(&mut self, _: &EndTag<'_>) {}
        fn text(&mut self, _: &str, _: Range<usize>) {}
        fn unparsed_entity(&mut self, name: &str) {
            self.0.push(name.to_string());
        }
    }

    #[test]
    fn unparsed_entities_are_announced_before_the_root() {
        let doc = "<!DOCTYPE a [<!NOTATION n SYSTEM 'n'>\
                   <!ENTITY z SYSTEM 'z.png' NDATA n><!ENTITY b SYSTEM 'b.png' NDATA n>\
                   <!ENTITY t 'text'><!ENTITY e SYSTEM 'e.xml'>]><a/>";
        let mut h = Unparsed::default();
        assert!(parse(doc, &mut h, &ParseOptions::default()).is_empty());
        assert_eq!(h.0, ["b", "z"]);
        assert_eq!(h.1, 2, "announced before the root's start tag");
    }
}
