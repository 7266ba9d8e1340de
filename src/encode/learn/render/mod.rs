//! TEI letters rendered the way a transcription reads, every line labelled with its
//! [`LineRole`], with the edition's own facts about each letter: the training data of the
//! line-role tagger and the gold of the round trip (`examples/roundtrip.rs`).
//!
//! How a letter reads (the rules the development sets `letters-en-dev`,
//! `letters-en-cody-dev` and `letters-de-dev` were made with):
//!
//! - Blocks separated by one blank line: the opener, each paragraph (`p`, `ab`), the closer,
//!   each paragraph of a postscript, an address, a mark on the document. A paragraph split in
//!   two (the first ends mid-sentence, the next starts in lower case) is rejoined
//!   ([`RenderOptions::rejoin_split_paragraphs`]).
//! - In the opener, the closer, an address and an envelope, every `lb` and every part
//!   (`dateline`, `salute`, `address`/`addrLine`, `signed`, a `seg`, a kept note) starts a
//!   line. In a paragraph, `lb` is a line break ([`LineBreaks::Kept`]: the letter's own lines)
//!   or a space ([`LineBreaks::Joined`]; `lb[@break='no']` or a hyphen rendition joins without
//!   one); a `salute` in a paragraph stays run in, an `address` in it keeps its lines. In an
//!   `ab`, `lb` always ends a line.
//! - `choice`: `corr`, else `reg`, else `abbr` as written, else `expan`. `space` is a space; an
//!   empty `c`/`g` is the character its rendition names (dots, ampersand, percent) or its
//!   `charDecl` mapping.
//! - Dropped: `del`, `gap`, `pb`, `fw`, `figure`, `metamark`, `anchor`, `handShift`, footnote
//!   calls (`ref` to a local note with a number), an editor's description of a picture
//!   (`supplied[@type='image-description']`), registers, the picture side of a card
//!   (`div[@type='image']`), a division's `head` and editorial divisions (regests,
//!   commentaries) unless [`RenderOptions::keep_editorial`] keeps them as narrative lines;
//!   editorial notes (commentary, footnotes, printed letterheads given as `note`). Marks on the
//!   document (`stamp`, notes typed authorial, stamp, docket, endorsement) are kept as lines of
//!   their own, after the paragraph they stand in; untyped notes as
//!   [`RenderOptions::untyped_notes`] says (editions differ: some use them for editorial
//!   remarks, some for marks), and then only short ones, not wholly bracketed; a bare page or
//!   folio number never.
//! - Kept as text: `add`, `unclear`, `damage`, `supplied`, `hi`, names, dates, `foreign`, a
//!   list's or poem's `head`.
//! - A letter is the body, or each division typed as a letter or telegram with the envelopes
//!   that follow it (see `letters.rs`). An address division that stands before the letter (as
//!   some editions encode the address side of a card) is given after it, as on the back of the
//!   envelope.
//! - Divisions typed as letter parts (`div[@type='dateline'|'opener'|'closer'|'signature'|
//!   'postscript']`, in `front`, `body` or `back`) read as those parts.
//!
//! Roles (`resolve.rs` for the opener's and closer's unmarked text): `dateline` → dateline (in
//! the opener or the closer; also the opener's unmarked lines above it or made of dates and
//! places, a valediction line made of a date, a first paragraph made of a date and place);
//! `opener/address` and the opener's lines before a marked salutation → inside address;
//! `opener/salute` (or the opener's last unmarked line), a salute opening a paragraph →
//! salutation; `closer/salute` and closer text before `signed` → valediction; `signed` →
//! signature (with no `signed`, the closer's trailing name lines, names of an addressee
//! excepted); `postscript` → postscript; an address after the letter (in a closer, after the
//! body, in an envelope division) → address panel; stamps, dockets, postmarks, kept notes,
//! letterheads and printed matter (`@rend` naming print) → docket; kept `head`s and editorial
//! divisions → narrative; the rest → body. A line mixing roles takes the role of most of its
//! characters and lists its [`RoleSpan`]s.

mod edition;
mod emit;
mod facts;
mod kinds;
mod letters;
mod narrative;
mod resolve;
mod walk;

use std::ops::Range;

use serde::Serialize;

use super::LineRole;
use kinds::tei_name;

pub use edition::{read_edition, Edition, EditionLetter, FileProblem, Skipped};
pub use facts::{DateFact, FactSource, Facts, Party, PartyKind, PlaceFact};
pub use narrative::narrative_passages;

/// How line breaks inside paragraphs read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineBreaks {
    /// The letter's own lines kept: `lb` ends a line (as many users transcribe).
    Kept,
    /// Lines joined with a space (as the development sets read).
    #[default]
    Joined,
}

/// What untyped notes (and notes of a type that says neither) are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotePolicy {
    /// Marks on the document, kept as docket lines (as `letters-en-cody-dev` reads).
    Keep,
    /// Editorial remarks, dropped (as `letters-en-dev` and `letters-de-dev` read).
    #[default]
    Drop,
}

/// Choices of the rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RenderOptions {
    /// Line breaks inside paragraphs.
    pub line_breaks: LineBreaks,
    /// Untyped notes.
    pub untyped_notes: NotePolicy,
    /// Keep `head`s and editorial divisions (regests, commentaries) as narrative lines.
    pub keep_editorial: bool,
    /// Rejoin a paragraph that ends mid-sentence (a word, a comma, a semicolon, a colon) with
    /// the next when that starts in lower case: one paragraph split by a page break or by the encoder
    /// (`letters-en-dev` and `letters-en-cody-dev` read so; `letters-de-dev` does not).
    pub rejoin_split_paragraphs: bool,
}

impl Default for RenderOptions {
    /// Lines joined, untyped notes dropped, editorial matter dropped, split paragraphs
    /// rejoined.
    fn default() -> Self {
        RenderOptions {
            line_breaks: LineBreaks::Joined,
            untyped_notes: NotePolicy::Drop,
            keep_editorial: false,
            rejoin_split_paragraphs: true,
        }
    }
}

/// A stretch of a line with one role, where a line mixes roles (a salutation run into the
/// first paragraph, a name signing the valediction's line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleSpan {
    /// Byte range in [`Rendered::text`].
    pub range: Range<usize>,
    /// Its role.
    #[serde(serialize_with = "role_name")]
    pub role: LineRole,
}

/// One non-blank line of a rendered letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedLine {
    /// Byte range in [`Rendered::text`], without the newline.
    pub range: Range<usize>,
    /// The role of most of its characters.
    #[serde(serialize_with = "role_name")]
    pub role: LineRole,
    /// The stretches of each role, when the line mixes roles (empty otherwise).
    pub spans: Vec<RoleSpan>,
}

/// One letter rendered as text, with its lines' roles and the edition's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The letter division's `xml:id`, else the document's.
    pub id: Option<String>,
    /// The document's title (`titleStmt/title`), for people.
    pub title: Option<String>,
    /// The text: blocks separated by one blank line, ending in one newline.
    pub text: String,
    /// Every non-blank line, in order.
    pub lines: Vec<RenderedLine>,
    /// What the edition says about the letter (`None` when the header says nothing, or when
    /// the file holds several letters and fewer `correspDesc`s).
    pub facts: Option<Facts>,
    /// The letter's language (`xml:lang` on it or around it, else `langUsage`).
    pub lang: Option<String>,
    /// The letter carries part markup (opener, closer, dateline, salute, signed, address,
    /// postscript): its roles come from the markup, not only from "everything is body".
    pub part_markup: bool,
}

impl Rendered {
    /// The text of a line.
    pub fn line_text(&self, line: &RenderedLine) -> &str {
        &self.text[line.range.clone()]
    }

    /// How many lines have each role, in [`LineRole::ALL`] order.
    pub fn role_counts(&self) -> [usize; LineRole::ALL.len()] {
        let mut counts = [0; LineRole::ALL.len()];
        for line in &self.lines {
            if let Some(i) = LineRole::ALL.iter().position(|r| *r == line.role) {
                counts[i] += 1;
            }
        }
        counts
    }
}

/// A role serialised by its stable name.
fn role_name<S: serde::Serializer>(role: &LineRole, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(role.name())
}

/// Why a file gives no letter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The input is larger than [`MAX_INPUT`].
    #[error("the file is {size} bytes; files over {max} bytes are not rendered")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not well-formed XML.
    #[error("{line}:{column}: malformed XML: {message}")]
    Xml {
        /// The parser's message.
        message: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// The root element is not `TEI`.
    #[error("the root element is <{root}>, not <TEI>")]
    NotTei {
        /// The root's name.
        root: String,
    },
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error("elements are nested {depth} deep; files nested over {max} deep are not rendered")]
    TooDeep {
        /// The depth found (one past the limit).
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// No `text/body`.
    #[error("no <text> with a <body>")]
    NoText,
    /// The body holds no letter text (only editorial matter, or nothing).
    #[error("the body holds no letter text (only editorial matter or nothing)")]
    NoLetterText,
}

impl RenderError {
    /// True for a file that is well-formed but holds no letter (skipped rather than failed).
    pub fn is_skip(&self) -> bool {
        !matches!(
            self,
            RenderError::Xml { .. } | RenderError::TooLarge { .. } | RenderError::TooDeep { .. }
        )
    }
}

/// The largest input rendered (64 MiB).
pub const MAX_INPUT: usize = 64 * 1024 * 1024;

/// The deepest nesting of elements rendered (letters nest a few dozen deep; the reading is
/// recursive and must stay well inside a worker thread's stack).
pub const MAX_DEPTH: usize = 256;

/// Parses XML: DTDs allowed, entities never fetched.
fn parse(xml: &str) -> Result<roxmltree::Document<'_>, RenderError> {
    if xml.len() > MAX_INPUT {
        return Err(RenderError::TooLarge {
            size: xml.len(),
            max: MAX_INPUT,
        });
    }
    let doc = crate::export::read::parse(xml).map_err(|e| {
        let pos = e.pos();
        let message = e.to_string();
        let at = format!(" at {}:{}", pos.row, pos.col);
        RenderError::Xml {
            message: message.strip_suffix(&at).unwrap_or(&message).to_string(),
            line: pos.row,
            column: pos.col,
        }
    })?;
    // Depth of every node from its parent's (nodes come in document order, parents first).
    let mut depths = vec![0u32; doc.descendants().count() + 1];
    for node in doc.descendants().skip(1) {
        let parent = node.parent().map_or(0, |p| depths[p.id().get_usize()]);
        let depth = parent + 1;
        if depth as usize > MAX_DEPTH {
            return Err(RenderError::TooDeep {
                depth: depth as usize,
                max: MAX_DEPTH,
            });
        }
        depths[node.id().get_usize()] = depth;
    }
    Ok(doc)
}

/// Renders every letter of a TEI file (see the module documentation for the rules).
pub fn render(xml: &str, opts: &RenderOptions) -> Result<Vec<Rendered>, RenderError> {
    let doc = parse(xml)?;
    let root = doc.root_element();
    if tei_name(root) != Some("TEI") {
        return Err(RenderError::NotTei {
            root: root.tag_name().name().to_string(),
        });
    }
    let units = letters::units(&doc);
    if units.is_empty() {
        return Err(RenderError::NoText);
    }
    let mut header = facts::header_facts(&doc);
    let paired = header.len() == units.len() || (units.len() == 1 && !header.is_empty());
    if !paired {
        header.clear();
    }
    let title = doc
        .descendants()
        .filter(|n| {
            tei_name(*n) == Some("title")
                && n.parent_element().and_then(tei_name) == Some("titleStmt")
        })
        .max_by_key(|n| n.attribute("type") == Some("main"))
        .map(|n| crate::export::read::collapse(&crate::export::read::text_of(n)))
        .filter(|t| !t.is_empty());
    let root_id = root
        .attribute((crate::export::register::XML_NS, "id"))
        .map(str::to_string);
    let mut out = Vec::new();
    let single = units.len() == 1;
    for (i, unit) in units.iter().enumerate() {
        let addressees = header
            .get(i)
            .map(|f| {
                f.addressees
                    .iter()
                    .filter_map(|p| p.reference.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut w = walk::Walker::new(opts, &doc).with_addressees(addressees);
        if let Some(front) = unit.front {
            w.front_or_back(front);
        }
        for node in &unit.nodes {
            w.letter(*node);
        }
        if let Some(back) = unit.back {
            w.front_or_back(back);
        }
        w.finish();
        let (text, lines) = serialize(&w.em.blocks);
        if lines.is_empty() {
            continue;
        }
        let mut facts = header.get(i).cloned();
        if facts.is_none() && single {
            facts = Some(Facts::default());
        }
        if let Some(f) = facts.as_mut() {
            if f.place.is_none() {
                f.place = facts::dateline_place(&unit.nodes);
            }
        }
        let facts = facts.filter(|f| !f.is_empty());
        out.push(Rendered {
            id: unit.id.clone().or_else(|| root_id.clone()),
            title: title.clone(),
            text,
            lines,
            facts,
            lang: facts::language(unit.nodes[0], &doc),
            part_markup: w.part_markup,
        });
    }
    if out.is_empty() {
        return Err(RenderError::NoLetterText);
    }
    Ok(out)
}

/// The text of the blocks and its lines with their roles.
fn serialize(blocks: &[emit::Block]) -> (String, Vec<RenderedLine>) {
    let mut text = String::new();
    let mut lines = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            text.push('\n');
        }
        for line in &block.lines {
            let start = text.len();
            let mut spans: Vec<RoleSpan> = Vec::new();
            for piece in &line.pieces {
                let from = text.len();
                text.push_str(&piece.text);
                let role = resolve::piece_role(piece);
                match spans.last_mut() {
                    Some(s) if s.role == role => s.range.end = text.len(),
                    _ => {
                        let lead = piece.text.len() - piece.text.trim_start().len();
                        spans.push(RoleSpan {
                            range: from + lead..text.len(),
                            role,
                        });
                    }
                }
            }
            let range = start..text.len();
            text.push('\n');
            if spans.len() == 1 {
                spans.clear();
            }
            lines.push(RenderedLine {
                range,
                role: resolve::line_role(line),
                spans,
            });
        }
    }
    (text, lines)
}

#[cfg(test)]
mod tests;
