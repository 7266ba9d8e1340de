//! Plain-text letters to TEI P5 with correspondence headers.
//!
//! Pipeline, one file per idea: [`lines`] cuts the source into blocks and classifies lines
//! with the per-language [`cues`]; [`segment`] decides which blocks are narrative and which
//! belong to which letter; [`layout`] finds each letter's opener, body, closer and postscripts;
//! [`meta`] reads senders, addressees, copies, dates and places; [`names`] resolves names
//! through the [`sidecar`] personography; [`signatures`] cleans signatures and reads address
//! panels; [`dates`] parses dates; [`tei`] writes the document
//! with [`writer`].
//!
//! Elements and attributes the encoder writes (the set `schema/tei-corresp.rng` must allow):
//! `TEI[@xml:lang]`, `teiHeader`, `fileDesc`, `titleStmt`, `title[@level]`, `author`,
//! `publicationStmt`, `p`, `sourceDesc`, `bibl`, `biblScope[@unit]`, `profileDesc`,
//! `correspDesc[@xml:id @ref]`, `correspAction[@type @subtype]`, `persName[@ref]`,
//! `orgName[@ref]`, `placeName[@ref]`, `date[@when @notBefore @notAfter @cert @evidence]`, `correspContext`,
//! `ref[@type @target]`, `particDesc`, `listPerson`, `person[@xml:id]`, `listOrg`,
//! `org[@xml:id]`, `idno[@type]`, `settingDesc`, `listPlace`, `place[@xml:id]`, `text`, `body`,
//! `div[@type @xml:id @decls]`, `head[@type]`, `floatingText[@type @xml:id @decls @next
//! @prev]`, `opener`, `closer`, `dateline`, `salute`, `signed`, `address`, `addrLine`,
//! `postscript`, `note[@type]`, `cit[@type @xml:id]`, `quote`, `choice`, `sic`, `corr`.

pub mod address;
pub mod chronology;
pub mod collection;
pub mod cues;
pub mod dates;
pub mod forbidden;
pub mod layout;
pub mod learn;
pub mod lines;
pub mod meta;
pub mod names;
pub mod reading;
pub mod segment;
pub mod sidecar;
pub mod signatures;
mod tei;
pub mod writer;

pub use forbidden::replace_forbidden;
pub use sidecar::Personography;

use crate::diagnostic::{Code, Diagnostic, Severity};
use dates::PartialDate;
use std::ops::Range;

/// A letter was found but no date could be read for it.
pub static UNDATED_LETTER: Code = Code {
    id: "tei::encode::undated_letter",
    severity: Severity::Warning,
    summary: "no date found for a letter",
    explanation:
        "The letter has no dateline, closing date or narrative date the encoder could read, \
                  so its `correspAction type=\"sent\"` has no `date`. Add the date in the sidecar \
                  (`[[letters]] n = N, date = \"YYYY-MM-DD\"`) or check the dateline's shape.",
};

/// A date-like dateline could not be parsed.
pub static UNPARSED_DATE: Code = Code {
    id: "tei::encode::unparsed_date",
    severity: Severity::Warning,
    summary: "a dateline holds no date the encoder could parse",
    explanation:
        "A line in an opener or closer was taken for a dateline but no day, month and year \
                  could be read from it; it is kept as written without `@when`.",
};

/// No sender could be found for a letter.
pub static UNKNOWN_SENDER: Code = Code {
    id: "tei::encode::unknown_sender",
    severity: Severity::Warning,
    summary: "no sender found for a letter",
    explanation: "The letter has no signature and the narrative does not name its writer; the \
                  sent action has no `persName`. Name the sender in the sidecar \
                  (`[[letters]] n = N, senders = [\"id\"]`).",
};

/// A side of a letter was taken to be the collection's correspondent.
pub static CORRESPONDENT_SIDE: Code = Code {
    id: "tei::encode::correspondent_side",
    severity: Severity::Advice,
    summary: "the side of a letter its text does not name was taken to be the correspondent",
    explanation: "The letter names only its sender (or only its addressee), and the collection \
                  centres on one correspondent (given with `--correspondent` or the sidecar's \
                  `[document] correspondent`, or found in most of the letters of a batch): the \
                  other side is taken to be them, marked `evidence=\"external\"` (given) or \
                  `\"conjecture\"` (found). Name the person in the sidecar's `[[letters]]` if \
                  that is wrong.",
};

/// A year was inferred from context.
pub static INFERRED_YEAR: Code = Code {
    id: "tei::encode::inferred_year",
    severity: Severity::Advice,
    summary: "a date without a year was completed from its context",
    explanation:
        "A date such as \"Monday, October 2\" was given the year of the letter or narrative \
                  it appears in (the nearest date before it).",
};

/// A numeric date reads two ways and nothing decides.
pub static AMBIGUOUS_DATE: Code = Code {
    id: "tei::encode::ambiguous_date",
    severity: Severity::Warning,
    summary: "a numeric date can be read day first or month first",
    explanation: "A date such as \"3/5/07\" is 3 May in British and 5 March in American usage, \
                  and no numeric date elsewhere in the document (one with a field over 12) \
                  shows which the writer used; only the year is kept. Give the date in the \
                  sidecar (`[[letters]] n = N, date = \"YYYY-MM-DD\"`).",
};

/// A year was taken from the neighbouring letters of a collection in date order.
pub static YEAR_FROM_NEIGHBOURS: Code = Code {
    id: "tei::encode::year_from_neighbours",
    severity: Severity::Advice,
    summary: "a letter's year was taken from the dated letters before and after it",
    explanation: "The letter's text gives its day and month (or a two-digit year) but no year, \
                  and the sources of the collection are in date order (checked: of the letters \
                  whose text writes a full date, consecutive ones rise in at least nine pairs in \
                  ten): the year is the one that puts the letter between its nearest dated \
                  neighbours, written with `cert=\"low\"` and `evidence=\"conjecture\"`. No \
                  year is taken when the order check fails or more than one year fits. Give the \
                  date in the sidecar (`[[letters]] n = N, date = \"YYYY-MM-DD\"`) if it is wrong.",
};

/// A letter that writes no month took its date from the neighbouring letters.
pub static DATE_FROM_NEIGHBOURS: Code = Code {
    id: "tei::encode::date_from_neighbours",
    severity: Severity::Advice,
    summary: "an undated letter was dated between the letters before and after it",
    explanation: "The letter's text writes no month (no date, or a weekday only), and the \
                  sources of the collection are in date order (checked as for \
                  `year_from_neighbours`): the letter lies between its nearest neighbours with \
                  a known date, and when both fall in one year it takes that year (their month \
                  too when both are in it), written as `notBefore`/`notAfter` with \
                  `cert=\"low\"` and `evidence=\"conjecture\"`. Give the date in the sidecar \
                  (`[[letters]] n = N, date = \"YYYY-MM-DD\"`) if it is wrong.",
};

/// Every code of the `tei::encode` area.
pub static CODES: &[&Code] = &[
    &UNDATED_LETTER,
    &UNPARSED_DATE,
    &UNKNOWN_SENDER,
    &INFERRED_YEAR,
    &YEAR_FROM_NEIGHBOURS,
    &DATE_FROM_NEIGHBOURS,
    &CORRESPONDENT_SIDE,
    &AMBIGUOUS_DATE,
    &forbidden::FORBIDDEN_CHARACTER,
];

/// Options of [`encode`].
#[derive(Debug, Clone, Default)]
pub struct EncodeOptions {
    /// The document title (overrides the sidecar and the text).
    pub title: Option<String>,
    /// A name for the source (file name), used in the header when the text names no source.
    pub source_name: Option<String>,
    /// Force a language table (`"en"` or `"de"`); detected from the text otherwise.
    pub lang: Option<String>,
    /// The line-role model; the embedded one when `None`.
    pub model: Option<std::sync::Arc<learn::Model>>,
    /// Lay letters out with the hand-written rules instead of the model (for comparison).
    pub rules_only: bool,
    /// The person the letters' correspondence centres on (its name may be a sidecar id): the
    /// other side of a letter whose text names only one ([`collection::complete`]). Overrides
    /// the sidecar's `[document] correspondent`.
    pub correspondent: Option<collection::Correspondent>,
    /// Per letter of the source (in document order), a year taken from the neighbouring
    /// letters of the collection ([`chronology::from_neighbours`] over a first pass): used
    /// for a letter whose text writes no four-digit year.
    pub neighbour_years: Vec<Option<chronology::Fill>>,
}

/// One letter found in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterSummary {
    /// 1-based number in document order.
    pub n: usize,
    /// The `xml:id` of its text element.
    pub id: String,
    /// Byte ranges of its parts in the source.
    pub parts: Vec<Range<usize>>,
    /// Senders (register names).
    pub senders: Vec<String>,
    /// Addressees (register names).
    pub addressees: Vec<String>,
    /// Copy recipients (register names).
    pub cc: Vec<String>,
    /// ISO date of writing, if known.
    pub date: Option<String>,
    /// Place of writing as written, if known.
    pub place: Option<String>,
    /// The date as the letter's own text writes it, before any year is completed from
    /// context (a two-digit year stays two digits; `None`: the text writes no date).
    pub written_date: Option<PartialDate>,
}

/// The result of [`encode`].
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The TEI document.
    pub xml: String,
    /// The letters, in document order.
    pub letters: Vec<LetterSummary>,
    /// Warnings and advice (spans are byte ranges in the source).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a source cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The source has no text.
    #[error("the source is empty (expected plain text holding at least one letter)")]
    Empty,
    /// The source is not UTF-8.
    #[error("the source is not UTF-8: invalid byte 0x{byte:02x} at byte offset {offset} (line {line}, column {column}); expected UTF-8 text")]
    NotUtf8 {
        /// Offset of the first bad byte.
        offset: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The byte.
        byte: u8,
    },
    /// The source looks binary (NUL or other control bytes).
    #[error("the source looks binary: control byte 0x{byte:02x} at byte offset {offset} (line {line}); expected plain text")]
    Binary {
        /// Offset of the first control byte.
        offset: usize,
        /// 1-based line.
        line: usize,
        /// The byte.
        byte: u8,
    },
    /// No letter was found.
    #[error("no letter found: no salutation, dateline, signature, addressee line or quoted letter was recognised")]
    NoLetters,
}

/// Checks raw bytes: UTF-8 (a BOM is skipped), not binary, not empty.
pub fn decode(bytes: &[u8]) -> Result<&str, EncodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let good = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
            let line = good.matches('\n').count() + 1;
            let column = good
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count())
                .unwrap_or(0)
                + 1;
            // a NUL before the bad byte means binary rather than another encoding
            if let Some(p) = good.bytes().position(|b| b == 0) {
                return Err(EncodeError::Binary {
                    offset: p,
                    line: good[..p].matches('\n').count() + 1,
                    byte: 0,
                });
            }
            return Err(EncodeError::NotUtf8 {
                offset,
                line,
                column,
                byte: bytes[offset],
            });
        }
    };
    if let Some(p) = text
        .bytes()
        .position(|b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
    {
        return Err(EncodeError::Binary {
            offset: p,
            line: text[..p].matches('\n').count() + 1,
            byte: text.as_bytes()[p],
        });
    }
    if text.trim().is_empty() {
        return Err(EncodeError::Empty);
    }
    Ok(text)
}

/// A letter with everything the writer needs.
pub(crate) struct Letter {
    pub n: usize,
    pub id: String,
    pub cd: String,
    pub plan: segment::LetterPlan,
    pub layouts: Vec<layout::Layout>,
    pub senders: Vec<usize>,
    pub addressees: Vec<usize>,
    pub cc: Vec<usize>,
    pub reply_to: Option<usize>,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    /// The side taken to be the collection's correspondent (not named by the text).
    pub filled: collection::Completed,
    /// How the filled side is known: `external` (given) or `conjecture` (found).
    pub filled_evidence: &'static str,
    /// The date as the text writes it, before any year is completed.
    pub written_date: Option<PartialDate>,
    /// The date's year was taken from the neighbouring letters of the collection.
    pub year_from_neighbours: bool,
    /// The letter writes no month: its date is the span between these neighbours' dates.
    pub span_from_neighbours: Option<(PartialDate, PartialDate)>,
}

/// The distinct four-digit years (1000-2099) written in the blocks of `parts`.
fn years_in(source: &str, blocks: &[lines::Block], parts: &[Range<usize>]) -> Vec<i32> {
    let mut years = Vec::new();
    for p in parts {
        for b in &blocks[p.clone()] {
            let t = &source[b.span.clone()];
            let bytes = t.as_bytes();
            for (i, w) in t.char_indices() {
                if !w.is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
                    continue;
                }
                let run = bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if run == 4 && !bytes.get(i + 4).is_some_and(|c| c.is_ascii_alphabetic()) {
                    if let Ok(y) = t[i..i + 4].parse::<i32>() {
                        if (1000..2100).contains(&y) && !years.contains(&y) {
                            years.push(y);
                        }
                    }
                }
            }
        }
    }
    years
}

/// The weekday written with the letter's date `d` (its day and month, a two-digit year
/// perhaps, no four-digit year) on a line of the letter's `parts`.
fn weekday_with(
    source: &str,
    blocks: &[lines::Block],
    parts: &[Range<usize>],
    cues: &cues::Cues,
    d: PartialDate,
) -> Option<usize> {
    let same = |r: &PartialDate| {
        r.year.is_none() && r.month == d.month && r.day == d.day && r.short_year == d.short_year
    };
    for p in parts {
        for b in &blocks[p.clone()] {
            for l in &b.lines {
                let line = &source[l.clone()];
                for m in dates::find_dates(line, cues) {
                    if same(&m.date) || m.readings.is_some_and(|rs| rs.iter().any(same)) {
                        if let Some(w) = dates::weekday_written(line, &m, cues) {
                            return Some(w);
                        }
                    }
                }
            }
        }
    }
    None
}

/// The year written alone on a line of block `b` ("1898", "1898."), when exactly one line
/// is.
fn lone_year_line(source: &str, b: &lines::Block) -> Option<i32> {
    let mut found = None;
    for l in &b.lines {
        let t = source[l.clone()].trim().trim_end_matches(['.', ',']);
        if t.len() == 4 && t.bytes().all(|c| c.is_ascii_digit()) {
            let y: i32 = t.parse().ok()?;
            if !(1000..2100).contains(&y) || found.is_some_and(|f| f != y) {
                return None;
            }
            found = Some(y);
        }
    }
    found
}

/// The best date written on a line of its own in the blocks of `parts` (a dateline that layout
/// left in the body or after the closer), with the place before it: a full date first, else a
/// day and month. `have` is the date already known; only a more precise one is returned.
fn loose_dateline(
    source: &str,
    blocks: &[lines::Block],
    parts: &[Range<usize>],
    cues: &cues::Cues,
    have: Option<PartialDate>,
) -> Option<(PartialDate, Option<String>)> {
    let mut best: Option<(PartialDate, Option<String>)> = None;
    let rank = |d: &PartialDate| match (d.year, d.month, d.day) {
        (Some(_), Some(_), Some(_)) => 3,
        (Some(_), Some(_), None) => 2,
        (None, Some(_), Some(_)) => 1,
        _ => 0,
    };
    for p in parts {
        for b in &blocks[p.clone()] {
            for l in &b.lines {
                let line = &source[l.clone()];
                if !lines::is_dateline(line, cues) {
                    continue;
                }
                let (d, pl) = meta::dateline(line, cues);
                let Some(d) = d else { continue };
                let r = rank(&d);
                if r == 0 {
                    continue;
                }
                if best.as_ref().is_none_or(|(b, _)| rank(b) < r) {
                    best = Some((d, pl));
                }
            }
        }
    }
    // a full date opening the letter's text ("10. 8. 907, noch immer ..."): a dateline run in
    if best.is_none() {
        if let Some(first) = parts.first().and_then(|p| blocks.get(p.start)) {
            if let Some(l) = first.lines.first() {
                let line = &source[l.clone()];
                if let Some(m) = dates::find_dates(line, cues).first() {
                    if m.span.start <= 2 && m.date.is_written_in_full() {
                        best = Some((m.date, None));
                    }
                }
            }
        }
    }
    // a full date closing the letter's last line, run on after the signature and place
    // ("Yours ... Thomas Reid Ashgrove Kelso 24 April 1822")
    if best.is_none() {
        if let Some(l) = parts
            .last()
            .and_then(|p| blocks[p.clone()].last())
            .and_then(|b| b.lines.last())
        {
            let line = source[l.clone()].trim_end().trim_end_matches(['.', ',']);
            if let Some(m) = dates::find_dates(line, cues).last() {
                if m.span.end == line.len() && m.date.is_written_in_full() {
                    best = Some((m.date, None));
                }
            }
        }
    }
    let (d, pl) = best?;
    // a date with a year that agrees with the partial one known, or any date when none is known
    match have {
        None => Some((d, pl)),
        Some(h) if rank(&d) > rank(&h) && (h.month.is_none() || h.month == d.month) => {
            Some((d, pl))
        }
        _ => None,
    }
}

/// The role of every line of the letter parts of `plan` (`roles[b][k]`: line `k` of block
/// `b`; blocks outside a letter part keep `Body`). Each part is tagged on its own, so positions
/// count from the part's first and last lines, as in the single letters the model learned from.
fn line_roles(
    source: &str,
    blocks: &[lines::Block],
    plan: &segment::Plan,
    model: &learn::Model,
    cues: &cues::Cues,
) -> Vec<Vec<learn::LineRole>> {
    let mut out: Vec<Vec<learn::LineRole>> = blocks
        .iter()
        .map(|b| vec![learn::LineRole::Body; b.lines.len()])
        .collect();
    for lp in plan.letters.iter().filter(|lp| lp.cite.is_none()) {
        for part in &lp.parts {
            let dl = learn::features::doc_lines_of(source, &blocks[part.clone()], cues);
            for (l, r) in dl.iter().zip(model.tag(source, &dl, cues)) {
                out[part.start + l.block][l.in_block] = r;
            }
        }
    }
    out
}

/// Encodes plain-text `source` (one or more letters, alone or quoted in a narrative) as TEI.
pub fn encode(
    source: &str,
    persons: Option<&Personography>,
    options: &EncodeOptions,
) -> Result<Encoded, EncodeError> {
    if source.trim().is_empty() {
        return Err(EncodeError::Empty);
    }
    // characters XML forbids become U+FFFD, each reported: the TEI is always well-formed
    let (source, replaced) = forbidden::replace_forbidden(source);
    let source: &str = &source;
    let cues: &cues::Cues = match options.lang.as_deref() {
        Some("de") => &cues::GERMAN,
        Some("en") => &cues::ENGLISH,
        _ => cues::detect(source),
    };
    let blocks = lines::blocks(source);
    let plan = segment::plan(source, &blocks, cues);
    let roles = if options.rules_only {
        Vec::new()
    } else {
        let model = options
            .model
            .as_deref()
            .unwrap_or_else(|| learn::model::embedded());
        line_roles(source, &blocks, &plan, model, cues)
    };
    // the order the document writes numeric dates in, from those only one order fits
    let numeric_order = dates::numeric_order(&dates::find_dates(source, cues));
    if plan.letters.is_empty() {
        return Err(EncodeError::NoLetters);
    }
    let mut names = names::Names::new(persons);
    // the correspondent by name: a sidecar id gives its person's name
    let correspondent: Option<collection::Correspondent> = options
        .correspondent
        .clone()
        .or_else(|| {
            persons
                .and_then(|p| p.document.correspondent.as_deref())
                .map(collection::Correspondent::given)
        })
        .map(|mut c| {
            if let Some(p) = persons.and_then(|p| p.get(&c.name)) {
                c.name = p.name.clone();
            }
            c
        });
    let mut diagnostics = replaced;
    let mut letters: Vec<Letter> = Vec::new();
    let mut raw_replies: Vec<Option<String>> = Vec::new();
    for (k, lp) in plan.letters.iter().enumerate() {
        let mut raw = meta::RawMeta::default();
        let mut layouts = Vec::new();
        for (pi, part) in lp.parts.iter().enumerate() {
            let lay = if lp.cite.is_some() {
                layout::Layout {
                    body: vec![blocks[part.start].span.clone()],
                    ..Default::default()
                }
            } else if options.rules_only {
                layout::layout(source, &blocks, part.clone(), cues)
            } else {
                // the model's reading, unless it would reorder the text: then the rules'
                let learned = layout::from_roles(source, &blocks, part.clone(), &roles, cues);
                if learned.in_source_order() {
                    learned
                } else {
                    layout::layout(source, &blocks, part.clone(), cues)
                }
            };
            if pi == 0 && lp.heading {
                // a heading before the opener gives the date and place; who writes to whom
                // is read from the letter itself
                let mut head = meta::RawMeta::default();
                meta::from_layout(source, &lay, cues, &mut head);
                raw.date = head.date;
                raw.date_from = head.date_from;
                raw.date_readings = head.date_readings;
                raw.docket_date = head.docket_date;
                raw.place = head.place;
            } else {
                meta::from_layout(source, &lay, cues, &mut raw);
            }
            layouts.push(lay);
        }
        if let Some(first) = lp.parts.first() {
            meta::compliments(&source[blocks[first.start].span.clone()], cues, &mut raw);
        }
        if raw.senders.is_empty() {
            let last_body = layouts
                .last()
                .map(|l: &layout::Layout| l.body.as_slice())
                .unwrap_or(&[]);
            if let Some(n) = last_body
                .iter()
                .rev()
                .take(3)
                .find_map(|p| meta::trailing_signature(&source[p.clone()], cues))
            {
                raw.senders.push(n);
            } else if let Some(n) = last_body
                .last()
                .and_then(|p| meta::initialled_name(&source[p.clone()]))
            {
                // the body's last paragraph is a name with initials ("W T Hale."): it signs
                raw.senders.push(n);
            }
        }
        if let Some(c) = &lp.cite {
            meta::from_narrative(&source[c.clone()], cues, &mut raw);
        }
        for &b in lp.context.iter().rev() {
            meta::from_narrative(&source[blocks[b].span.clone()], cues, &mut raw);
        }
        // signatures as written: closing words dropped, glued names split
        let mut cleaned: Vec<String> = Vec::new();
        for w in raw
            .senders
            .iter()
            .flat_map(|n| signatures::clean_signature(n, cues))
        {
            if !cleaned.contains(&w) {
                cleaned.push(w);
            }
        }
        raw.senders = cleaned;
        // a letterhead name at the top completes a short signature ("A." under a letter
        // headed "Dr. Hans Weber")
        if lp.cite.is_none() {
            if let Some(first) = lp.parts.first().and_then(|p| blocks.get(p.start)) {
                if first.lines.len() <= 6 {
                    let head = first
                        .lines
                        .iter()
                        .take_while(|l| lines::salute_len(&source[(*l).clone()], cues).is_none())
                        .find_map(|l| signatures::letterhead_name(&source[l.clone()], cues));
                    if let Some(head) = head {
                        for s in raw.senders.iter_mut() {
                            if s.split_whitespace().count() <= 2
                                && signatures::signature_fits(s, &head)
                            {
                                *s = head.clone();
                            }
                        }
                    }
                }
            }
        }
        // an address panel at the end names the addressee in full: it fills a missing
        // addressee and completes a salutation's first name ("Lieber Hans" + "Herrn Dr
        // Hans Weber")
        if lp.cite.is_none() {
            if let Some(last) = lp.parts.last() {
                let tail_blocks = &blocks[last.start.max(last.end.saturating_sub(2))..last.end];
                let tail: Vec<&str> = tail_blocks
                    .iter()
                    .filter(|b| b.lines.len() <= 8)
                    .flat_map(|b| b.lines.iter().map(|l| &source[l.clone()]))
                    .collect();
                if let Some(panel) = signatures::tail_panel(&tail, &raw.senders, cues) {
                    let fits = |salute: &str| {
                        let sw = salute.trim_end_matches('.').to_lowercase();
                        panel.split_whitespace().any(|w| {
                            let w = w.trim_end_matches('.').to_lowercase();
                            w.chars().count() >= 2 && sw.starts_with(&w)
                        })
                    };
                    // the envelope names the addressee formally; a first name or a
                    // relation from the salutation ("My dear John") gives way to it, and
                    // so does a guess from the old panel reading
                    match raw.addressees.as_slice() {
                        [] => raw.addressees.push(panel),
                        [one] if one.split_whitespace().count() == 1 || fits(one) => {
                            raw.addressees = vec![panel];
                        }
                        _ if raw.addressee_from_panel => raw.addressees = vec![panel],
                        _ => {}
                    }
                }
            }
        }
        // the collection's correspondent is the side the text does not name
        let mut filled = collection::Completed::default();
        if let Some(c) = &correspondent {
            filled = collection::complete(c, &mut raw.senders, &mut raw.addressees);
            let side = match (filled.sender, filled.addressee) {
                (true, _) => Some(("sender", "addressee")),
                (_, true) => Some(("addressee", "sender")),
                _ => None,
            };
            if let Some((taken, named)) = side {
                let at = lp
                    .parts
                    .first()
                    .map(|p| blocks[p.start].span.start)
                    .unwrap_or(0);
                diagnostics.push(Diagnostic::new(
                    &CORRESPONDENT_SIDE,
                    at..at,
                    format!(
                        "letter {}: the {taken} is taken to be {}, the correspondent {}; the text names only the {named}",
                        k + 1,
                        c.name,
                        if c.inferred {
                            "the letters of the collection centre on"
                        } else {
                            "given"
                        }
                    ),
                ));
            }
        }
        let facts = persons.and_then(|p| p.letter(k + 1));
        let resolve_all =
            |names: &mut names::Names, written: &[String], ids: &[String]| -> Vec<usize> {
                let mut out: Vec<usize> = Vec::new();
                for w in written {
                    if let Some(i) = names.resolve(w, cues, sidecar::Kind::Person) {
                        if !out.contains(&i) {
                            out.push(i);
                        }
                    }
                }
                if out.is_empty() {
                    for id in ids {
                        if let Some(i) = names.entries.iter().position(|e| &e.id == id) {
                            out.push(i);
                        }
                    }
                }
                out
            };
        let senders = resolve_all(
            &mut names,
            &raw.senders,
            facts.map(|f| f.senders.as_slice()).unwrap_or(&[]),
        );
        let addressees = resolve_all(
            &mut names,
            &raw.addressees,
            facts.map(|f| f.addressees.as_slice()).unwrap_or(&[]),
        );
        let cc = resolve_all(
            &mut names,
            &raw.cc,
            facts.map(|f| f.cc.as_slice()).unwrap_or(&[]),
        );
        // a date line anywhere in the letter (before the salutation, after the signature,
        // below a postscript) when the opener and closer gave none or only a partial one
        if lp.cite.is_none() && !raw.date.is_some_and(|d| d.is_full()) {
            if let Some((d, pl)) = loose_dateline(source, &blocks, &lp.parts, cues, raw.date) {
                raw.date = Some(d);
                if raw.place.is_none() {
                    raw.place = pl;
                }
            }
        }
        let span0 = lp
            .parts
            .first()
            .map(|p| blocks[p.start].span.start)
            .unwrap_or(0);
        let fact_date = facts
            .and_then(|f| f.date.as_deref())
            .and_then(PartialDate::parse_iso);
        // a numeric date read two ways: the document's order decides, else the sidecar's
        // date, else the year alone is kept and the ambiguity reported; a docket's date
        // serves only when nothing else dates the letter
        let settled = raw
            .date_readings
            .and_then(|rs| dates::reading_in(rs, numeric_order));
        let mut date = match (raw.date_readings, settled.or(fact_date)) {
            (Some(_), Some(d)) => Some(d),
            (Some(_), None) => raw.date,
            (None, _) => raw.date.or(fact_date),
        }
        .or(raw.docket_date);
        // a year on a line of its own in the letter's first block ("1898 / Pinebrook / Aug 3d")
        // completes a date without one: the heading writes it
        if let Some(d) = date.filter(|d| d.year.is_none() && d.month.is_some()) {
            if let Some(y) = lp
                .parts
                .first()
                .and_then(|p| blocks.get(p.start))
                .and_then(|b| lone_year_line(source, b))
            {
                date = Some(dates::near_year(d, y));
            }
        }
        let written_date = date;
        // a year from the neighbouring letters of a collection in date order comes first:
        // both neighbours agree on it
        let neighbour = options
            .neighbour_years
            .get(k)
            .copied()
            .flatten()
            .filter(|f| !f.whole)
            .filter(|_| date.is_some_and(|d| d.year.is_none() && d.month.is_some()));
        // a letter that writes no month lies between its dated neighbours: it takes what
        // they share (their year, and month or day where both agree)
        let span = options
            .neighbour_years
            .get(k)
            .copied()
            .flatten()
            .filter(|f| f.whole)
            .filter(|_| chronology::writes_no_month(&date));
        if let Some(f) = span {
            date = Some(f.date());
            diagnostics.push(Diagnostic::new(
                &DATE_FROM_NEIGHBOURS,
                span0..span0,
                format!(
                    "letter {}: the date {} is taken from the neighbouring letters (between {} before it and {} after it); the text gives no month",
                    k + 1,
                    f.date().iso().unwrap_or_default(),
                    f.after.iso().unwrap_or_default(),
                    f.before.iso().unwrap_or_default()
                ),
            ));
        }
        if let (Some(f), Some(d)) = (neighbour, date) {
            date = Some(PartialDate {
                year: Some(f.year),
                ..d
            });
            diagnostics.push(Diagnostic::new(
                &YEAR_FROM_NEIGHBOURS,
                span0..span0,
                format!(
                    "letter {}: the year {} is taken from the neighbouring letters ({} before it, {} after it); the text gives no year",
                    k + 1,
                    f.year,
                    f.after.iso().unwrap_or_default(),
                    f.before.iso().unwrap_or_default()
                ),
            ));
        }
        if let Some(d) = date {
            if d.year.is_none() {
                if let Some(prev) = letters
                    .iter()
                    .rev()
                    .find_map(|l| l.date.filter(|d| d.year.is_some()))
                {
                    date = Some(dates::infer_year(d, prev));
                }
            }
        }
        // the weekday written with a date that lacks its year ("Freitag 19. Juni")
        let weekday = date
            .filter(|d| d.year.is_none() && d.day.is_some())
            .and_then(|d| weekday_with(source, &blocks, &lp.parts, cues, d));
        // a day and month without a year: the one of the years the letter mentions that its
        // weekday fits, else the one year the letter mentions, if only one
        if let Some(d) = date.filter(|d| d.year.is_none() && d.month.is_some()) {
            let years = years_in(source, &blocks, &lp.parts);
            if let Some(w) = weekday.and_then(|wd| dates::year_by_weekday(d, wd, &years)) {
                date = Some(w);
            } else if years.len() == 1 {
                date = Some(dates::near_year(d, years[0]));
            }
        }
        // a two-digit year nothing else completed: the sidecar's window, else the default
        // window, where a weekday written with the date picks the century among the window's
        // and those on either side ("Friday night Aug. 29/28" is 1828)
        if let Some(d) = date.filter(|d| d.year.is_none() && d.short_year.is_some()) {
            let window = persons.and_then(|p| p.document.two_digit_years);
            let start = window.unwrap_or(dates::DEFAULT_TWO_DIGIT_WINDOW);
            if start > 0 {
                let w = dates::in_window(d, start);
                let by_weekday = match (window, weekday, w.year) {
                    (None, Some(wd), Some(y)) => {
                        dates::year_by_weekday(d, wd, &[y - 100, y, y + 100])
                    }
                    _ => None,
                };
                date = Some(by_weekday.unwrap_or(w));
            }
        }
        if let (Some([a, b]), None, Some(d)) = (raw.date_readings, settled.or(fact_date), date) {
            let year = |r: PartialDate| PartialDate { year: d.year, ..r }.iso().unwrap_or_default();
            diagnostics.push(Diagnostic::new(
                &AMBIGUOUS_DATE,
                span0..span0,
                format!(
                    "letter {}: the date reads as {} (day first) or {} (month first); only the year is kept",
                    k + 1,
                    year(a),
                    year(b)
                ),
            ));
        }
        let place = raw.place.or_else(|| facts.and_then(|f| f.place.clone()));
        if date.is_none() {
            diagnostics.push(Diagnostic::new(
                &UNDATED_LETTER,
                span0..span0,
                format!("letter {} has no date the encoder could read", k + 1),
            ));
        }
        if senders.is_empty() {
            diagnostics.push(Diagnostic::new(
                &UNKNOWN_SENDER,
                span0..span0,
                format!(
                    "letter {} has no signature or narrative naming its sender",
                    k + 1
                ),
            ));
        }
        raw_replies.push(raw.reply_to.clone());
        letters.push(Letter {
            n: k + 1,
            id: format!("letter{}", k + 1),
            cd: format!("cd{}", k + 1),
            plan: lp.clone(),
            layouts,
            senders,
            addressees,
            cc,
            reply_to: None,
            date,
            place,
            filled,
            filled_evidence: if correspondent.as_ref().is_some_and(|c| c.inferred) {
                "conjecture"
            } else {
                "external"
            },
            written_date,
            year_from_neighbours: neighbour.is_some(),
            span_from_neighbours: span.map(|f| (f.after, f.before)),
        });
    }
    // replies: the latest earlier letter whose sender is the person answered
    for k in 0..letters.len() {
        if let Some(w) = &raw_replies[k] {
            if let Some(p) = names.resolve(w, cues, sidecar::Kind::Person) {
                letters[k].reply_to = (0..k).rev().find(|&j| letters[j].senders.contains(&p));
            }
        }
    }
    let xml = tei::write(
        source,
        &blocks,
        &plan,
        &letters,
        &names,
        cues,
        persons,
        options,
        &mut diagnostics,
    );
    let summaries = letters
        .iter()
        .map(|l| LetterSummary {
            n: l.n,
            id: l.id.clone(),
            parts: l
                .plan
                .parts
                .iter()
                .map(|p| blocks[p.start].span.start..blocks[p.end - 1].span.end)
                .collect(),
            senders: l
                .senders
                .iter()
                .map(|&i| names.entries[i].name.clone())
                .collect(),
            addressees: l
                .addressees
                .iter()
                .map(|&i| names.entries[i].name.clone())
                .collect(),
            cc: l
                .cc
                .iter()
                .map(|&i| names.entries[i].name.clone())
                .collect(),
            date: l.date.and_then(|d| d.iso()),
            place: l.place.clone(),
            written_date: l.written_date,
        })
        .collect();
    Ok(Encoded {
        xml,
        letters: summaries,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_alone_on_a_heading_line_completes_the_date() {
        let opts = EncodeOptions {
            lang: Some("en".into()),
            rules_only: true,
            ..Default::default()
        };
        let date = |text: &str| {
            encode(text, None, &opts)
                .ok()
                .and_then(|e| e.letters.first().and_then(|l| l.date.clone()))
        };
        let text = "1898\nPinebrook\nAug 3d\nMy dear Kendall\n\nThe show goes on well.\n\nYour old friend\nW. F. Crane\n";
        assert_eq!(date(text).as_deref(), Some("1898-08-03"));
        // a year inside a line of the heading is no such year ("Established 1850")
        let text = "Established 1850\nPinebrook\nAug 3d\nMy dear Kendall\n\nThe show goes on better than in 1897.\n\nYour old friend\nW. F. Crane\n";
        assert_eq!(date(text).as_deref(), Some("--08-03"));
    }

    #[test]
    fn bad_inputs() {
        assert_eq!(decode(b""), Err(EncodeError::Empty));
        assert_eq!(decode(b"  \n\n"), Err(EncodeError::Empty));
        assert!(matches!(
            decode(b"ab\ncd\xff"),
            Err(EncodeError::NotUtf8 {
                offset: 5,
                line: 2,
                column: 3,
                byte: 0xff
            })
        ));
        assert!(matches!(
            decode(b"ab\x00cd"),
            Err(EncodeError::Binary {
                offset: 2,
                line: 1,
                ..
            })
        ));
        assert_eq!(decode(b"\xEF\xBB\xBFhi"), Ok("hi"));
    }

    #[test]
    fn characters_xml_forbids_are_replaced_by_the_library_too() {
        let src = "London, 3 March 1862\n\nDear Sir,\n\nI write \u{FFFE} to \u{1} you.\n\nYours faithfully,\nJohn Smith\n";
        let e = encode(src, None, &EncodeOptions::default()).unwrap();
        assert!(!e.xml.contains('\u{FFFE}') && !e.xml.contains('\u{1}'));
        assert!(
            e.xml.contains("I write \u{FFFD} to \u{FFFD} you."),
            "every word kept"
        );
        let n = e
            .diagnostics
            .iter()
            .filter(|d| d.code.id == forbidden::FORBIDDEN_CHARACTER.id)
            .count();
        assert_eq!(n, 2);
        roxmltree::Document::parse(&e.xml).expect("well-formed");
    }

    #[test]
    fn a_letter_without_a_month_takes_the_span_of_its_neighbours() {
        let d = |y, m, day| PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(day),
            short_year: None,
        };
        let fill = chronology::Fill {
            year: 1870,
            after: d(1870, 3, 2),
            before: d(1870, 3, 28),
            whole: true,
        };
        let opts = EncodeOptions {
            lang: Some("de".into()),
            neighbour_years: vec![Some(fill)],
            ..Default::default()
        };
        let src = "Montag Abend.\nLieber Freund,\n\nich komme morgen.\n\nDein\nKarl\n";
        let e = encode(src, None, &opts).unwrap();
        assert_eq!(e.letters[0].date.as_deref(), Some("1870-03"));
        assert_eq!(e.letters[0].written_date, None);
        assert!(
            e.xml.contains(r#"<date notBefore="1870-03-02" notAfter="1870-03-28" cert="low" evidence="conjecture"/>"#),
            "{}",
            e.xml
        );
        assert!(e
            .diagnostics
            .iter()
            .any(|g| g.code.id == DATE_FROM_NEIGHBOURS.id));
        // a letter that writes its month keeps it: a whole fill does not apply
        let src = "12. Mai\nLieber Freund,\n\nich komme morgen.\n\nDein\nKarl\n";
        let e = encode(src, None, &opts).unwrap();
        assert_eq!(e.letters[0].date.as_deref(), Some("--05-12"));
        assert!(!e.xml.contains("notBefore"));
    }

    #[test]
    fn a_simple_letter() {
        let src = "London, 3 March 1862\n\nDear Sir,\n\nI write to you.\n\nYours faithfully,\nJohn Smith\n";
        let e = encode(src, None, &EncodeOptions::default()).unwrap();
        assert_eq!(e.letters.len(), 1);
        assert_eq!(e.letters[0].date.as_deref(), Some("1862-03-03"));
        assert_eq!(e.letters[0].senders, vec!["John Smith"]);
        assert_eq!(e.letters[0].place.as_deref(), Some("London"));
        assert!(roxmltree::Document::parse(&e.xml).is_ok());
    }
}
