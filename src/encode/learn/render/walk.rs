//! Walking one letter's TEI into blocks of tagged lines (see the module documentation for the
//! reading rules).

use std::collections::HashMap;

use roxmltree::Node;

use super::super::LineRole;
use super::emit::{BlockKind, Emitter, Slot, Tag};
use super::kinds::{
    div_kind, is_description, is_div, is_dropped, is_note_call, named_character, note_kind,
    tei_name, type_of, DivKind, NoteKind, PartKind,
};
use super::{LineBreaks, NotePolicy, RenderOptions};

/// The most words an untyped note kept as a mark on the document may have.
const MAX_MARK_WORDS: usize = 40;

/// The context text is read in.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    slot: Slot,
    /// Line breaks are lines (opener, closer, address): `lb` always ends a line.
    lines: bool,
    date: bool,
    place: bool,
    name: bool,
    /// Printed matter (`@rend` or `@rendition` naming print: a letterhead, a form).
    printed: bool,
}

impl Ctx {
    fn body() -> Self {
        Ctx {
            slot: Slot::Fixed(LineRole::Body),
            lines: false,
            date: false,
            place: false,
            name: false,
            printed: false,
        }
    }

    fn tag(&self) -> Tag {
        Tag {
            slot: self.slot,
            date: self.date,
            place: self.place,
            name: self.name,
            printed: self.printed,
        }
    }

    fn with_slot(self, slot: Slot) -> Self {
        Ctx { slot, ..self }
    }

    fn with_role(self, role: LineRole) -> Self {
        self.with_slot(Slot::Fixed(role))
    }
}

/// Reads one letter.
pub(super) struct Walker<'o, 'a, 'i> {
    opts: &'o RenderOptions,
    doc: &'a roxmltree::Document<'i>,
    pub em: Emitter,
    /// A paragraph of the letter's body has been read (an address or salute after it closes
    /// the letter rather than opening it).
    body_started: bool,
    /// Marks on the document found inside a paragraph, written after it.
    deferred: Vec<(Node<'a, 'i>, Ctx)>,
    /// Address divisions that stand before the letter, written after it.
    tail: Vec<Node<'a, 'i>>,
    /// The letter carries part markup (opener, closer, dateline, salute, signed, address,
    /// postscript).
    pub part_markup: bool,
    /// Pointers (`@ref`, `@key`) of the letter's addressees, from the header.
    addressees: Vec<String>,
    /// The header's glyph declarations by `xml:id` (read when first needed).
    glyphs: Option<HashMap<String, String>>,
}

impl<'o, 'a, 'i> Walker<'o, 'a, 'i> {
    pub fn new(opts: &'o RenderOptions, doc: &'a roxmltree::Document<'i>) -> Self {
        Walker {
            opts,
            doc,
            em: Emitter::default(),
            body_started: false,
            deferred: Vec::new(),
            tail: Vec::new(),
            part_markup: false,
            addressees: Vec::new(),
            glyphs: None,
        }
    }

    /// The pointers of the letter's addressees (names pointing at them never sign it).
    pub fn with_addressees(mut self, pointers: Vec<String>) -> Self {
        self.addressees = pointers;
        self
    }

    /// Reads a letter's `body` or letter division.
    pub fn letter(&mut self, node: Node<'a, 'i>) {
        match tei_name(node) {
            Some(n) if is_div(n) => {
                let is_letter = div_kind(node) == DivKind::Letter;
                self.division(node, Ctx::body(), is_letter)
            }
            _ => self.container(node, Ctx::body()),
        }
    }

    /// Reads a letter-part division of `front` or `back` (`div[@type='dateline']` …); other
    /// front and back matter is not the letter's text.
    pub fn front_or_back(&mut self, node: Node<'a, 'i>) {
        for child in node.children() {
            let Some(name) = tei_name(child) else {
                continue;
            };
            let part = is_div(name) && matches!(div_kind(child), DivKind::Part(_));
            if part || matches!(name, "opener" | "closer" | "postscript") {
                self.element(child, Ctx::body());
            }
        }
    }

    /// Reads editorial matter (a note, a regest, an abstract) as narrative paragraphs.
    pub fn narrative(&mut self, node: Node<'a, 'i>) {
        self.container(node, Ctx::body().with_role(LineRole::Narrative));
        self.finish();
    }

    /// Each block's text, its lines joined by spaces.
    pub fn block_texts(&self) -> Vec<String> {
        self.em
            .blocks
            .iter()
            .map(|b| {
                let lines: Vec<String> = b
                    .lines
                    .iter()
                    .map(|l| l.pieces.iter().map(|p| p.text.as_str()).collect())
                    .collect();
                lines.join(" ")
            })
            .collect()
    }

    /// Writes the address divisions held back and ends the last block.
    pub fn finish(&mut self) {
        self.em.end_block();
        for node in std::mem::take(&mut self.tail) {
            self.part_markup = true;
            self.container(node, Ctx::body().with_role(LineRole::AddressPanel));
            self.em.end_block();
        }
    }

    /// Reads the children of a division-like element.
    fn container(&mut self, node: Node<'a, 'i>, ctx: Ctx) {
        for child in node.children() {
            if child.is_text() {
                let t = child.text().unwrap_or("");
                if !t.trim().is_empty() {
                    self.implicit_paragraph(ctx);
                    self.em.text(t, ctx.tag());
                }
                continue;
            }
            self.element(child, ctx);
        }
    }

    /// Opens a paragraph for text standing directly in a division.
    fn implicit_paragraph(&mut self, ctx: Ctx) {
        if !self.em.is_open() {
            self.em.start_block(self.block_kind(ctx));
        }
    }

    fn block_kind(&self, ctx: Ctx) -> BlockKind {
        if ctx.lines {
            BlockKind::Lines
        } else {
            BlockKind::Para
        }
    }

    /// Reads one element standing in a division.
    fn element(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        let Some(name) = tei_name(el) else {
            return;
        };
        match name {
            "p" | "ab" | "quote" | "q" | "sp" | "lg" | "list" | "table" | "bibl" | "cit"
            | "label" => self.paragraph(el, ctx),
            "opener" => self.opener(el, ctx),
            "closer" => self.closer(el, ctx),
            "postscript" => {
                self.part_markup = true;
                self.end_block();
                self.container(el, ctx.with_role(LineRole::Postscript));
                self.end_block();
            }
            "floatingText" | "body" | "group" | "text" | "front" | "back" => {
                self.end_block();
                self.container(el, ctx);
                self.end_block();
            }
            n if is_div(n) => self.division(el, ctx, false),
            "dateline" | "salute" | "signed" | "address" | "byline" | "docAuthor" | "docDate"
            | "trailer" | "stamp" | "seg" => {
                let slot = self.part_slot(el, ctx).unwrap_or(ctx.slot);
                self.part_markup |= name != "seg" && name != "stamp";
                self.end_block();
                self.em.start_block(BlockKind::Lines);
                let inner = Ctx {
                    lines: true,
                    ..ctx.with_slot(slot)
                };
                self.inline(el, inner);
                self.end_block();
            }
            "head" => {
                if self.opts.keep_editorial {
                    self.end_block();
                    self.em.start_block(BlockKind::Lines);
                    self.inline(el, ctx.with_role(LineRole::Narrative));
                    self.end_block();
                }
            }
            "note" => {
                if self.keeps(el) {
                    self.end_block();
                    self.mark_block(el, ctx);
                }
            }
            "lb" | "cb" => {
                if self.em.is_open() && (ctx.lines || self.opts.line_breaks == LineBreaks::Kept) {
                    self.em.newline();
                } else if self.em.is_open() {
                    self.em.space();
                }
            }
            n if is_dropped(n) => {}
            _ => {
                // Inline matter standing directly in a division reads as a paragraph.
                self.implicit_paragraph(ctx);
                self.inline_element(el, name, ctx);
            }
        }
    }

    /// Ends the open block; a paragraph of the body marks the body as started, and the marks
    /// held back from it follow.
    fn end_block(&mut self) {
        if let Some(b) = self.em.end_block() {
            let block = &self.em.blocks[b];
            if block.kind == BlockKind::Para {
                if !self.body_started {
                    super::resolve::leading_paragraph(&mut self.em.blocks[b]);
                }
                let block = &self.em.blocks[b];
                let body = block
                    .lines
                    .iter()
                    .flat_map(|l| &l.pieces)
                    .any(|p| p.tag.slot == Slot::Fixed(LineRole::Body) && p.role.is_none());
                self.body_started |= body;
                if self.opts.rejoin_split_paragraphs {
                    let joined = self.opts.line_breaks == LineBreaks::Joined;
                    self.em.rejoin_split_paragraph(b, joined);
                }
            }
        }
        for (note, ctx) in std::mem::take(&mut self.deferred) {
            self.mark_block(note, ctx);
        }
    }

    /// A note or stamp kept as a block of its own.
    fn mark_block(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        self.em.start_block(BlockKind::Lines);
        let inner = Ctx {
            lines: true,
            ..ctx.with_role(LineRole::Docket)
        };
        self.inline(el, inner);
        self.em.end_block();
    }

    fn division(&mut self, div: Node<'a, 'i>, ctx: Ctx, is_letter: bool) {
        match div_kind(div) {
            DivKind::Editorial => {
                if self.opts.keep_editorial {
                    self.end_block();
                    self.container(div, ctx.with_role(LineRole::Narrative));
                    self.end_block();
                }
            }
            DivKind::Picture => {}
            DivKind::Address => {
                if !self.body_started && !is_letter {
                    self.end_block();
                    self.tail.push(div);
                } else {
                    self.part_markup = true;
                    self.end_block();
                    let inner = Ctx {
                        lines: true,
                        ..ctx.with_role(LineRole::AddressPanel)
                    };
                    self.container(div, inner);
                    self.end_block();
                }
            }
            DivKind::Part(PartKind::Opener) => self.opener(div, ctx),
            DivKind::Part(PartKind::Closer) => self.closer(div, ctx),
            DivKind::Part(PartKind::Role(role)) => {
                self.part_markup = true;
                self.end_block();
                let lines = role != LineRole::Postscript;
                self.container(
                    div,
                    Ctx {
                        lines,
                        ..ctx.with_role(role)
                    },
                );
                self.end_block();
            }
            DivKind::Letter | DivKind::Plain => {
                self.end_block();
                self.container(div, ctx);
                self.end_block();
            }
        }
    }

    /// A paragraph-like block.
    fn paragraph(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        let slot = match type_of(el).as_str() {
            "postmark" | "stamp" | "docket" | "endorsement" => Slot::Fixed(LineRole::Docket),
            "address" => self
                .address_slot(ctx)
                .unwrap_or(Slot::Fixed(LineRole::AddressPanel)),
            _ => ctx.slot,
        };
        let ctx = Ctx {
            lines: ctx.lines || tei_name(el) == Some("ab"),
            ..ctx.with_slot(slot)
        };
        self.end_block();
        self.em.start_block(self.block_kind(ctx));
        self.inline(el, ctx);
        self.end_block();
    }

    fn opener(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        self.letter_part(el, ctx, Slot::OpenerLoose, super::resolve::opener);
    }

    fn closer(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        self.letter_part(el, ctx, Slot::CloserLoose, super::resolve::closer);
    }

    /// An opener or closer: a block of its own lines, its loose lines in `slot`, then read by
    /// `resolve` (which lines are the date, the salutation, the signature).
    fn letter_part(
        &mut self,
        el: Node<'a, 'i>,
        ctx: Ctx,
        slot: Slot,
        resolve: fn(&mut super::emit::Block),
    ) {
        self.part_markup = true;
        self.end_block();
        self.em.start_block(BlockKind::Lines);
        let inner = Ctx {
            lines: true,
            ..ctx.with_slot(slot)
        };
        self.inline(el, inner);
        if let Some(b) = self.em.end_block() {
            resolve(&mut self.em.blocks[b]);
        }
        self.end_block();
    }

    /// The slot of an address standing where `ctx` is.
    fn address_slot(&self, ctx: Ctx) -> Option<Slot> {
        Some(match ctx.slot {
            Slot::OpenerLoose => Slot::Fixed(LineRole::InsideAddress),
            Slot::CloserLoose => Slot::Fixed(LineRole::AddressPanel),
            Slot::Fixed(LineRole::Body) if !self.body_started => {
                Slot::Fixed(LineRole::InsideAddress)
            }
            Slot::Fixed(LineRole::Body | LineRole::Postscript) => {
                Slot::Fixed(LineRole::AddressPanel)
            }
            Slot::Fixed(_) => return None,
        })
    }

    /// The slot of a letter-part element standing where `ctx` is (`None`: it keeps `ctx`'s).
    fn part_slot(&self, el: Node, ctx: Ctx) -> Option<Slot> {
        let fixed = |r| Some(Slot::Fixed(r));
        match tei_name(el)? {
            "dateline" | "docDate" => fixed(LineRole::Dateline),
            "salute" => match ctx.slot {
                Slot::OpenerLoose => fixed(LineRole::Salutation),
                Slot::CloserLoose => fixed(LineRole::Valediction),
                // Run into a paragraph: the salutation when it opens the paragraph or the body.
                Slot::Fixed(LineRole::Body) if !self.body_started || self.em.block_is_empty() => {
                    fixed(LineRole::Salutation)
                }
                Slot::Fixed(LineRole::Body | LineRole::Postscript) => fixed(LineRole::Valediction),
                Slot::Fixed(_) => None,
            },
            "signed" | "byline" | "docAuthor" => match ctx.slot {
                Slot::Fixed(LineRole::AddressPanel | LineRole::Docket | LineRole::Narrative) => {
                    None
                }
                _ => fixed(LineRole::Signature),
            },
            "address" => self.address_slot(ctx),
            "stamp" | "trailer" => match ctx.slot {
                Slot::Fixed(LineRole::Narrative) => None,
                _ => fixed(LineRole::Docket),
            },
            // In an opener, a letterhead is resolved with the opener's loose text (as printed
            // matter: a docket line, unless a date and place filled in make it the dateline).
            "seg" if is_letterhead(el) => match ctx.slot {
                Slot::Fixed(LineRole::Narrative) | Slot::OpenerLoose => None,
                _ => fixed(LineRole::Docket),
            },
            _ => None,
        }
    }

    /// Whether a note is kept as a line: marks on the document always, editorial notes
    /// never, untyped ones as the options say when they are short (a mark is a few words; a
    /// longer note is an editor's remark or printed matter) and not wholly in square brackets
    /// (an editor's description); never a bare page, folio or archival number.
    fn keeps(&self, note: Node) -> bool {
        match note_kind(note) {
            NoteKind::Mark => !is_number(&plain(note)),
            NoteKind::Editorial => false,
            NoteKind::Unknown => {
                if self.opts.untyped_notes == NotePolicy::Drop {
                    return false;
                }
                let text = plain(note);
                let t = text.trim();
                let bracketed = t.starts_with('[') && t.ends_with(']');
                !bracketed && t.split_whitespace().count() <= MAX_MARK_WORDS && !is_number(t)
            }
        }
    }

    /// Reads the inline content of `node`.
    fn inline(&mut self, node: Node<'a, 'i>, ctx: Ctx) {
        for child in node.children() {
            if child.is_text() {
                self.em.text(child.text().unwrap_or(""), ctx.tag());
            } else if let Some(name) = tei_name(child) {
                self.inline_element(child, name, ctx);
            }
        }
    }

    /// A line of its own inside a lines context, run in otherwise.
    fn own_line(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        if ctx.lines {
            self.em.newline();
            self.inline(el, ctx);
            self.em.newline();
        } else {
            self.em.space();
            self.inline(el, ctx);
            self.em.space();
        }
    }

    fn inline_element(&mut self, el: Node<'a, 'i>, name: &str, ctx: Ctx) {
        let ctx = Ctx {
            printed: ctx.printed || is_printed(el),
            ..ctx
        };
        match name {
            "lb" => {
                let no_break = el.attribute("break") == Some("no")
                    || ["rend", "rendition", "type"]
                        .iter()
                        .any(|a| el.attribute(*a).is_some_and(|v| v.contains("hyphen")));
                if ctx.lines || self.opts.line_breaks == LineBreaks::Kept {
                    self.em.newline();
                } else if no_break {
                    self.em.glue();
                } else {
                    self.em.space();
                }
            }
            "cb" => {
                if ctx.lines {
                    self.em.newline();
                } else {
                    self.em.space();
                }
            }
            "space" => self.em.space(),
            "choice" => {
                if let Some(pick) = choose(el) {
                    self.inline(pick, ctx);
                }
            }
            "note" => {
                if self.keeps(el) {
                    if ctx.lines {
                        let inner = ctx.with_role(LineRole::Docket);
                        self.own_line(el, inner);
                    } else {
                        self.deferred.push((el, ctx));
                    }
                }
            }
            "c" | "g" => self.character(el, ctx),
            "ref" if is_note_call(el) => {}
            "supplied" if is_description(el) => {}
            "head" => {
                // A list's or a poem's heading is the writer's; a division's, the editors'.
                let of_division = el
                    .parent_element()
                    .and_then(tei_name)
                    .is_some_and(|p| is_div(p) || matches!(p, "body" | "floatingText"));
                if !of_division {
                    self.em.newline();
                    self.inline(el, ctx);
                    self.em.newline();
                } else if self.opts.keep_editorial {
                    self.own_line(el, ctx.with_role(LineRole::Narrative));
                }
            }
            "address" if !ctx.lines => {
                // An address written in a paragraph keeps its lines.
                self.em.newline();
                self.inline(el, Ctx { lines: true, ..ctx });
                self.em.newline();
            }
            "dateline" | "salute" | "signed" | "address" | "byline" | "docAuthor" | "docDate"
            | "stamp" | "trailer" => {
                self.part_markup |= name != "stamp";
                let slot = self.part_slot(el, ctx).unwrap_or(ctx.slot);
                self.own_line(el, ctx.with_slot(slot));
            }
            "seg" if is_letterhead(el) => {
                let slot = self.part_slot(el, ctx).unwrap_or(ctx.slot);
                let inner = Ctx {
                    printed: true,
                    ..ctx.with_slot(slot)
                };
                self.own_line(el, inner);
            }
            "seg" if ctx.lines => self.own_line(el, ctx),
            "addrLine" | "l" | "item" | "row" | "p" | "ab" | "lg" | "list" | "table" => {
                if ctx.lines || matches!(name, "l" | "item" | "row") {
                    self.em.newline();
                    self.inline(el, ctx);
                    self.em.newline();
                } else {
                    self.em.space();
                    self.inline(el, ctx);
                    self.em.space();
                }
            }
            "cell" => {
                self.em.space();
                self.inline(el, ctx);
                self.em.space();
            }
            "opener" | "closer" | "postscript" => {
                let slot = match name {
                    "opener" => Slot::OpenerLoose,
                    "closer" => Slot::CloserLoose,
                    _ => Slot::Fixed(LineRole::Postscript),
                };
                self.part_markup = true;
                self.own_line(el, ctx.with_slot(slot));
            }
            "date" | "time" => self.inline(el, Ctx { date: true, ..ctx }),
            "placeName" | "settlement" | "geogName" | "region" | "country" => {
                self.inline(el, Ctx { place: true, ..ctx })
            }
            "persName" | "orgName" | "name" | "roleName" | "forename" | "surname" => {
                // A name pointing at an addressee ("I am, dear <persName ref=…>Madam</persName>")
                // does not sign the letter.
                let addressee = ["ref", "key"]
                    .iter()
                    .filter_map(|a| el.attribute(*a))
                    .any(|r| self.addressees.iter().any(|x| x == r.trim()));
                let name = ctx.name || !addressee;
                self.inline(el, Ctx { name, ..ctx })
            }
            "rs" => {
                let t = type_of(el);
                let inner = match t.as_str() {
                    "person" | "org" | "personGrp" => Ctx { name: true, ..ctx },
                    "place" => Ctx { place: true, ..ctx },
                    _ => ctx,
                };
                self.inline(el, inner)
            }
            n if is_dropped(n) => {}
            n if is_div(n) || n == "floatingText" => self.own_line(el, ctx),
            _ => self.inline(el, ctx),
        }
    }

    /// An empty `c` or `g` stands for a character named by its attributes (or, for `g`,
    /// declared in the header's `charDecl`).
    fn character(&mut self, el: Node<'a, 'i>, ctx: Ctx) {
        let has_text = el
            .descendants()
            .any(|d| d.is_text() && !d.text().unwrap_or("").trim().is_empty());
        if has_text {
            self.inline(el, ctx);
            return;
        }
        let named = named_character(el).or_else(|| self.declared_glyph(el));
        if let Some(s) = named {
            self.em.text(&s, ctx.tag());
        }
    }

    /// The mapping of the `glyph`/`char` a `g/@ref` points to (the header's declarations are
    /// read once, on the first `g` that needs them).
    fn declared_glyph(&mut self, el: Node) -> Option<String> {
        let id = el.attribute("ref")?.trim().strip_prefix('#')?;
        let doc = self.doc;
        let glyphs = self.glyphs.get_or_insert_with(|| {
            doc.descendants()
                .filter(|n| matches!(tei_name(*n), Some("glyph" | "char")))
                .filter_map(|decl| {
                    let id = decl.attribute((crate::export::register::XML_NS, "id"))?;
                    Some((id.to_string(), glyph_mapping(decl)?))
                })
                .collect()
        });
        glyphs.get(id).cloned()
    }
}

/// The standard (else the first) `mapping` of a `glyph` or `char` declaration.
fn glyph_mapping(decl: Node) -> Option<String> {
    let mapping = decl
        .children()
        .filter(|c| tei_name(*c) == Some("mapping"))
        .find(|c| {
            matches!(
                c.attribute("type"),
                Some("standard" | "normalized" | "normalised")
            )
        })
        .or_else(|| decl.children().find(|c| tei_name(*c) == Some("mapping")))?;
    let text = plain(mapping);
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The text nodes of `node`, joined by spaces.
fn plain(node: Node) -> String {
    node.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A page, folio or archival number alone ("12", "— 2 —"): not a line of the letter.
fn is_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "-–—.".contains(c));
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
}

/// The reading of a `choice`: the corrected or regularised reading, an abbreviation as
/// written, else the expansion, else the first alternative.
fn choose<'a, 'i>(choice: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let kids: Vec<Node> = choice
        .children()
        .filter(|c| tei_name(*c).is_some())
        .collect();
    for want in ["corr", "reg", "abbr", "expan"] {
        if let Some(k) = kids.iter().find(|k| tei_name(**k) == Some(want)) {
            return Some(*k);
        }
    }
    kids.first().copied()
}

/// Printed matter: `@rend` or `@rendition` naming print ("printed", "pre-print").
fn is_printed(el: Node) -> bool {
    ["rend", "rendition"].iter().any(|a| {
        el.attribute(*a)
            .is_some_and(|v| v.to_ascii_lowercase().contains("print"))
    })
}

/// A printed letterhead segment.
fn is_letterhead(el: Node) -> bool {
    tei_name(el) == Some("seg") && type_of(el) == "letterhead"
}
