//! The inner shape of one letter part: opener (datelines, salutation, addressee lines), body
//! paragraphs, closer (valediction, signature, dateline) and what follows the closer
//! (postscripts, address panels).

use super::cues::{starts_with_word, Cues};
use super::learn::LineRole;
use super::lines::{classify, is_postscript, is_short, salute_len, Block, LineKind};
use super::segment::{is_closer_block, is_opener_block};
use std::ops::Range;

/// The role of a line inside an opener or closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `dateline`.
    Dateline,
    /// `salute` (a salutation in the opener, a valediction in the closer).
    Salute,
    /// An addressee line: `address/addrLine`.
    Addressee,
    /// `signed`.
    Signed,
    /// A docket, endorsement or stamp by another hand: `note[@type="docket"]`.
    Docket,
    /// Plain text inside the opener or closer.
    Plain,
}

/// A line (or the start of a line) with its role.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Byte range in the source.
    pub span: Range<usize>,
    /// Its role.
    pub role: Role,
}

/// What follows the closer.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// Paragraphs of a postscript.
    Postscript(Vec<Range<usize>>),
    /// Another closer (an address panel, a second signature).
    Closer(Vec<Piece>),
}

/// The layout of one letter part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// Opener pieces.
    pub opener: Vec<Piece>,
    /// Body paragraphs (byte ranges; the first may start after a salutation).
    pub body: Vec<Range<usize>>,
    /// Closer pieces.
    pub closer: Vec<Piece>,
    /// After the closer.
    pub after: Vec<After>,
}

impl Layout {
    /// True when the layout writes the part's text in the order of the source: opener, body,
    /// closer and what follows each start where the one before ended or later. A layout that
    /// would move text is never written (the transcription's order is the letter's).
    pub fn in_source_order(&self) -> bool {
        let starts = self
            .opener
            .iter()
            .map(|p| p.span.clone())
            .chain(self.body.iter().cloned())
            .chain(self.closer.iter().map(|p| p.span.clone()))
            .chain(self.after.iter().flat_map(|a| match a {
                After::Postscript(ps) => ps.clone(),
                After::Closer(c) => c.iter().map(|p| p.span.clone()).collect(),
            }));
        let mut end = 0;
        for span in starts {
            if span.start < end {
                return false;
            }
            end = span.end;
        }
        true
    }
}

fn opener_pieces(text: &str, b: &Block, cues: &Cues) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let kinds: Vec<LineKind> = b
        .lines
        .iter()
        .map(|l| classify(&text[l.clone()], cues))
        .collect();
    // lines before the first dateline that are short and plain belong to the dateline (place)
    let first_date = kinds.iter().position(|k| *k == LineKind::Dateline);
    for (k, l) in b.lines.iter().enumerate() {
        let role = match kinds[k] {
            LineKind::Dateline => Role::Dateline,
            LineKind::Salute => Role::Salute,
            LineKind::Addressee => Role::Addressee,
            _ if first_date.is_some_and(|d| k < d) && !kinds[..k].contains(&LineKind::Salute) => {
                Role::Dateline
            }
            _ if k > 0
                && out.last().is_some_and(|p| p.role == Role::Addressee)
                && text[l.clone()].trim_end().ends_with(':') =>
            {
                Role::Salute
            }
            _ => Role::Plain,
        };
        match out.last_mut() {
            Some(p) if p.role == Role::Dateline && role == Role::Dateline => p.span.end = l.end,
            _ => out.push(Piece {
                span: l.clone(),
                role,
            }),
        }
    }
    out
}

fn closer_pieces(text: &str, b: &Block, cues: &Cues) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut signed_open = false;
    for l in &b.lines {
        let s = &text[l.clone()];
        let kind = classify(s, cues);
        let lower = s.to_lowercase();
        let signed_prefix = cues
            .signed_prefixes
            .iter()
            .chain(cues.dictated_prefixes)
            .any(|p| starts_with_word(&lower, p));
        let role = if signed_prefix {
            Role::Signed
        } else {
            match kind {
                LineKind::Valediction | LineKind::Salute if !signed_open => Role::Salute,
                LineKind::Dateline => Role::Dateline,
                LineKind::Signature | LineKind::Salute => Role::Signed,
                _ if signed_open => Role::Signed,
                _ => Role::Plain,
            }
        };
        let extend = matches!(out.last(), Some(p) if p.role == role && role != Role::Plain && !(role == Role::Signed && signed_prefix));
        if extend {
            if let Some(p) = out.last_mut() {
                p.span.end = l.end;
            }
        } else {
            out.push(Piece {
                span: l.clone(),
                role,
            });
        }
        signed_open = role == Role::Signed;
    }
    out
}

/// Lays out the blocks `range` of `blocks`.
#[allow(clippy::needless_range_loop)]
pub fn layout(text: &str, blocks: &[Block], range: Range<usize>, cues: &Cues) -> Layout {
    let mut lay = Layout::default();
    let mut i = range.start;
    let end = range.end;
    // opener: leading opener-like blocks; a short block before a salutation block belongs too
    let has_salute_soon = (range.start..(range.start + 3).min(end)).any(|k| {
        let b = &blocks[k];
        b.lines
            .iter()
            .any(|l| classify(&text[l.clone()], cues) == LineKind::Salute)
    });
    while i < end && i < range.start + 3 {
        let b = &blocks[i];
        let all_short = b.lines.iter().all(|l| is_short(&text[l.clone()]));
        let addressee_first = classify(&text[b.lines[0].clone()], cues) == LineKind::Addressee;
        let opener_like = is_opener_block(text, b, cues) && (all_short || addressee_first);
        // "Leon Borisovich:" on its own after an addressee line is the salutation
        let l0 = text[b.lines[0].clone()].trim_end();
        if b.lines.len() == 1
            && l0.ends_with(':')
            && super::lines::is_name_like(l0.trim_end_matches(':'))
            && lay.opener.iter().any(|p| p.role == Role::Addressee)
            && !lay.opener.iter().any(|p| p.role == Role::Salute)
        {
            lay.opener.push(Piece {
                span: b.lines[0].clone(),
                role: Role::Salute,
            });
            i += 1;
            break;
        }
        let before_salute = has_salute_soon
            && all_short
            && b.lines.len() <= 3
            && !is_closer_block(text, b, cues)
            && !lay.opener.iter().any(|p| p.role == Role::Salute);
        if opener_like || before_salute {
            lay.opener.extend(opener_pieces(text, b, cues));
            i += 1;
            if lay.opener.iter().any(|p| p.role == Role::Salute) {
                break;
            }
        } else {
            break;
        }
    }
    // a salutation running into the first paragraph
    let mut first_para_start = None;
    if i < end && !lay.opener.iter().any(|p| p.role == Role::Salute) {
        let b = &blocks[i];
        let l0 = &text[b.lines[0].clone()];
        if let Some(n) = salute_len(l0, cues) {
            if n < l0.len() {
                let s = b.lines[0].start;
                lay.opener.push(Piece {
                    span: s..s + n,
                    role: Role::Salute,
                });
                let rest = s + n + (l0[n..].len() - l0[n..].trim_start().len());
                first_para_start = Some(rest);
            }
        }
    }
    // closer: the first closer-like block after the body has started
    let body_start = i;
    let mut closer_at = None;
    for k in body_start..end {
        let first_body = k == body_start && first_para_start.is_none() && k + 1 < end;
        if !first_body && is_closer_block(text, &blocks[k], cues) && (k > range.start) {
            closer_at = Some(k);
            break;
        }
    }
    // without a closer, a trailing "P.S." still starts a postscript
    let ps_at = if closer_at.is_none() {
        (body_start + 1..end).find(|&k| is_postscript(&text[blocks[k].lines[0].clone()], cues))
    } else {
        None
    };
    let body_end = closer_at.or(ps_at).unwrap_or(end);
    for k in body_start..body_end {
        let mut span = blocks[k].span.clone();
        if k == body_start {
            if let Some(s) = first_para_start {
                span.start = s;
            }
        }
        if span.start < span.end {
            lay.body.push(span);
        }
    }
    if let Some(p) = ps_at {
        lay.after.push(After::Postscript(
            blocks[p..end].iter().map(|b| b.span.clone()).collect(),
        ));
        return lay;
    }
    let Some(c) = closer_at else { return lay };
    lay.closer = closer_pieces(text, &blocks[c], cues);
    let mut k = c + 1;
    // closer continues over dateline-only or signature blocks right after it
    while k < end
        && !is_postscript(&text[blocks[k].lines[0].clone()], cues)
        && continues_closer(text, &blocks[k], cues, &lay.closer)
    {
        lay.closer.extend(closer_pieces(text, &blocks[k], cues));
        k += 1;
    }
    while k < end {
        let b = &blocks[k];
        if !is_postscript(&text[b.lines[0].clone()], cues) && is_closer_block(text, b, cues)
            || b.lines.iter().all(|l| is_short(&text[l.clone()])) && b.lines.len() > 1
        {
            if k + 1 == end && is_address_panel(text, b, cues) {
                lay.after.push(After::Closer(vec![Piece {
                    span: b.span.clone(),
                    role: Role::Addressee,
                }]));
            } else {
                lay.after.push(After::Closer(closer_pieces(text, b, cues)));
            }
        } else {
            match lay.after.last_mut() {
                Some(After::Postscript(ps)) if !is_postscript(&text[b.lines[0].clone()], cues) => {
                    ps.push(b.span.clone())
                }
                _ => lay.after.push(After::Postscript(vec![b.span.clone()])),
            }
        }
        k += 1;
    }
    lay
}

/// Lays out the blocks `range` of `blocks` from the role of each of their lines (`roles[b][k]`
/// is the role of line `k` of block `b`): leading datelines, inside-address and salutation
/// lines make the opener (a salutation that runs into the text is cut off it), body lines the
/// paragraphs, valediction, signature and dateline lines after the body the closer, and what
/// follows it postscripts, address panels and dockets. Every line lands in exactly one place.
pub fn from_roles(
    text: &str,
    blocks: &[Block],
    range: Range<usize>,
    roles: &[Vec<LineRole>],
    cues: &Cues,
) -> Layout {
    use LineRole as R;
    let mut lay = Layout::default();
    // the lines of the part, in order: (block, line, span, role)
    let mut lines: Vec<(usize, Range<usize>, LineRole)> = range
        .clone()
        .flat_map(|b| {
            blocks[b]
                .lines
                .iter()
                .enumerate()
                .map(move |(k, l)| (b, l.clone(), roles[b][k]))
        })
        .collect();
    // what a line says outright, whatever the model made of it: an explicit "P.S." after the
    // first line opens a postscript; a name with a colon right under an address line is the
    // salutation ("To comrade Petrov: / Nikolai Ivanovich:"); a sentence without a date before
    // the body is the body
    for k in 1..lines.len() {
        let line = &text[lines[k].1.clone()];
        if lines[k].2 != R::Postscript && is_postscript(line, cues) {
            lines[k].2 = R::Postscript;
        } else if (lines[k - 1].2 == R::InsideAddress
            || classify(&text[lines[k - 1].1.clone()], cues) == LineKind::Addressee)
            && line.trim_end().ends_with([':', ',', '!'])
            && super::lines::is_name_like(line.trim_end().trim_end_matches([':', ',', '!']))
        {
            lines[k].2 = R::Salutation;
        }
    }
    // a line that is a salutation and nothing else ("Dear Sir,", "Esteemed comrade X:"), among
    // the first lines of the part and above its first sentence, is the salutation whatever the
    // model made of it (the model reads neighbours too, and a heading above can outweigh it)
    if !lines.iter().any(|l| l.2 == R::Salutation) {
        for l in lines.iter_mut().take(6) {
            let line = text[l.1.clone()].trim();
            if is_sentence(line) {
                break;
            }
            if matches!(l.2, R::Body | R::Narrative)
                && super::lines::salute_len(line, cues) == Some(line.len())
            {
                l.2 = R::Salutation;
                break;
            }
        }
    }
    // several salutations at the top: one that opens the way an address does ("To the Under
    // Secretary,"), with the lines of its block, is an inside address above the real one; so is
    // such a line the model read as text
    if let Some(last) = lines.iter().take(8).rposition(|l| l.2 == R::Salutation) {
        let mut in_address = false;
        for k in 0..last {
            let same_block = k > 0 && lines[k - 1].0 == lines[k].0;
            // (the model may also have read the address line as text: above the salutation
            // it is none)
            let opens = super::address::opens_address(&text[lines[k].1.clone()], cues);
            in_address = match lines[k].2 {
                R::Salutation => opens || (in_address && same_block),
                R::Body | R::Narrative => opens && !is_sentence(&text[lines[k].1.clone()]),
                _ => false,
            };
            if in_address {
                lines[k].2 = R::InsideAddress;
            }
        }
    }
    // a postscript comes after something: a first line marked as one without "P.S." is text
    if lines.first().is_some_and(|l| l.2 == R::Postscript) {
        let mut k = 0;
        while k < lines.len()
            && lines[k].2 == R::Postscript
            && !is_postscript(&text[lines[k].1.clone()], cues)
        {
            lines[k].2 = R::Body;
            k += 1;
        }
    }
    for l in lines.iter_mut() {
        let line = &text[l.1.clone()];
        if !matches!(l.2, R::Body | R::Narrative | R::Postscript | R::Salutation)
            && is_sentence(line)
            && crate::encode::dates::find_dates(line, cues).is_empty()
        {
            l.2 = R::Body;
        }
    }
    let n = lines.len();
    let is_opener = |r: LineRole| matches!(r, R::Dateline | R::InsideAddress | R::Salutation);
    let is_closer = |r: LineRole| matches!(r, R::Valediction | R::Signature | R::Dateline);
    // the body: from the first body-like line after the opener to the last one before the
    // closer
    let body_like = |r: LineRole| matches!(r, R::Body | R::Narrative);
    // a salutation among the first lines ends the opener: short lines before it belong to it
    // ("Strictly secret. Personal" above "Dear Sir,") whatever the model made of them
    let salute_at = lines
        .iter()
        .take(6)
        .rposition(|(_, _, r)| *r == R::Salutation)
        .filter(|&s| {
            lines[..s]
                .iter()
                .all(|(_, l, _)| opener_sized(&text[l.clone()]))
        });
    let from = salute_at.map(|s| s + 1).unwrap_or(0);
    // the body starts at the first body line, or at the first line too long for an opener
    let Some(first_body) = lines
        .iter()
        .skip(from)
        .position(|(_, l, r)| body_like(*r) || !opener_sized(&text[l.clone()]))
        .map(|k| k + from)
    else {
        // no body: everything is opener/closer material, in order; a postscript is the text
        // (a letter holds some text before its postscript)
        let mut pieces = Vec::new();
        for (_, span, r) in &lines {
            if *r == R::Postscript {
                lay.body.push(span.clone());
                continue;
            }
            let role = piece_for(&text[span.clone()], *r, cues, false);
            push_piece(&mut pieces, span.clone(), role, *r);
        }
        // the closer opens at the signature, or at the first piece after the text, whichever
        // comes first: a piece never moves before text it follows in the source
        let text_start = lay.body.first().map(|b| b.start);
        let split = pieces
            .iter()
            .position(|p| {
                matches!(p.role, Role::Signed) || text_start.is_some_and(|t| p.span.start > t)
            })
            .unwrap_or(pieces.len());
        let closer = pieces.split_off(split);
        lay.opener = pieces;
        lay.closer = closer;
        return lay;
    };
    // the body ends before the first postscript line after it
    let ps_at = (first_body + 1..n)
        .find(|&k| lines[k].2 == R::Postscript)
        .unwrap_or(n);
    let last_body = lines[..ps_at]
        .iter()
        .rposition(|(_, _, r)| body_like(*r))
        .unwrap_or(first_body);
    // opener: the lines before the first body line (dockets and panels at the top included)
    for (k, (b, span, r)) in lines[..first_body].iter().enumerate() {
        let line = &text[span.clone()];
        // a short line without a date right above a dated dateline of its block is the place
        // of that dateline ("North. Bend / May. 9th", "Washington. D. C. / May 11th /73"),
        // unless it names a person ("Dr. Hans Lehner")
        let place_above_date = matches!(r, R::Dateline | R::Docket)
            && lines.get(k + 1).is_some_and(|(nb, nspan, nr)| {
                nb == b
                    && *nr == R::Dateline
                    && !crate::encode::dates::find_dates(&text[nspan.clone()], cues).is_empty()
            })
            && crate::encode::dates::find_dates(line, cues).is_empty()
            && super::lines::is_name_like(line)
            && !super::address::opens_address(line, cues)
            && !super::address::opens_with_title(line, cues);
        let role = if place_above_date {
            Role::Dateline
        } else if is_opener(*r) || matches!(r, R::AddressPanel | R::Docket) {
            piece_for(line, *r, cues, false)
        } else {
            Role::Plain
        };
        push_piece(&mut lay.opener, span.clone(), role, *r);
    }
    // a salutation running into the first paragraph
    let mut body_start = lines[first_body].1.start;
    if !lay.opener.iter().any(|p| p.role == Role::Salute) {
        let l0 = &text[lines[first_body].1.clone()];
        if let Some(k) = salute_len(l0, cues) {
            if k < l0.len() {
                lay.opener.push(Piece {
                    span: body_start..body_start + k,
                    role: Role::Salute,
                });
                body_start += k + (l0[k..].len() - l0[k..].trim_start().len());
            }
        }
    }
    // body paragraphs: one per block (a block's lines from the body run)
    let mut k = first_body;
    while k <= last_body {
        let b = lines[k].0;
        let mut end = k;
        while end < last_body && lines[end + 1].0 == b {
            end += 1;
        }
        let start = if k == first_body {
            body_start
        } else {
            lines[k].1.start
        };
        let span = start..lines[end].1.end;
        if span.start < span.end {
            lay.body.push(span);
        }
        k = end + 1;
    }
    // closer and what follows: valediction/signature/dateline lines open the closer; a
    // postscript, panel or docket after it goes to `after`
    let mut i = last_body + 1;
    while i < n && lay.after.is_empty() {
        let line = &text[lines[i].1.clone()];
        // a panel line right under the valediction, in its block, is the signature
        // ("Your obedient Servant, / Respectfully T Mallory"), unless it opens an address or
        // a street or place line follows it in the panel ("Capt. Grey R N / 12 Queen Street")
        if lines[i].2 == R::AddressPanel
            && i > last_body + 1
            && lines[i - 1].0 == lines[i].0
            && matches!(lines[i - 1].2, R::Valediction | R::Signature)
            && !super::address::opens_address(line, cues)
            && !lines[i + 1..]
                .iter()
                .take_while(|l| l.0 == lines[i].0 && l.2 == R::AddressPanel)
                .any(|l| super::address::address_line(&text[l.1.clone()], cues))
        {
            lines[i].2 = R::Signature;
        }
        if !is_closer(lines[i].2) {
            break;
        }
        let mut role = piece_for(line, lines[i].2, cues, true);
        // titles and offices under a signature are part of it ("Personal secretary of …")
        if role == Role::Salute
            && lay.closer.last().is_some_and(|p| p.role == Role::Signed)
            && !super::lines::is_valediction(line, cues)
        {
            role = Role::Signed;
        }
        push_piece(&mut lay.closer, lines[i].1.clone(), role, lines[i].2);
        i += 1;
    }
    let text_like = |r: LineRole| {
        matches!(
            r,
            R::Postscript | R::Body | R::Narrative | R::Salutation | R::InsideAddress
        )
    };
    for j in i..n {
        let (b, span, r) = (lines[j].0, lines[j].1.clone(), lines[j].2);
        let prev_same_block = lines[j - 1].0 == b;
        if text_like(r) {
            let new_ps = is_postscript(&text[span.clone()], cues);
            match lay.after.last_mut() {
                Some(After::Postscript(ps)) if !new_ps => match ps.last_mut() {
                    Some(last) if prev_same_block && text_like(lines[j - 1].2) => {
                        last.end = span.end
                    }
                    _ => ps.push(span),
                },
                _ => lay.after.push(After::Postscript(vec![span])),
            }
        } else {
            let role = piece_for(&text[span.clone()], r, cues, true);
            match lay.after.last_mut() {
                Some(After::Closer(c)) if prev_same_block => push_piece(c, span, role, r),
                _ => {
                    let mut c = Vec::new();
                    push_piece(&mut c, span, role, r);
                    lay.after.push(After::Closer(c));
                }
            }
        }
    }
    lay
}

/// What the hand-written layout ([`layout`]) makes of each line of the blocks `range`: a short
/// label per line (`o-date`, `o-salute`, `o-addr`, `body`, `c-salute`, `c-signed`, `ps`,
/// `a-addr`, …; `roles[k]` for the `k`-th line of the range). The line-role model reads these
/// as features: it learns from the editions where the rules can be trusted and where not.
pub fn rule_labels(
    text: &str,
    blocks: &[Block],
    range: Range<usize>,
    cues: &Cues,
) -> Vec<&'static str> {
    let lay = layout(text, blocks, range.clone(), cues);
    let piece = |zone: char, r: Role| -> &'static str {
        match (zone, r) {
            ('o', Role::Dateline) => "o-date",
            ('o', Role::Salute) => "o-salute",
            ('o', Role::Addressee) => "o-addr",
            ('o', Role::Signed) => "o-signed",
            ('o', _) => "o-plain",
            ('c', Role::Dateline) => "c-date",
            ('c', Role::Salute) => "c-salute",
            ('c', Role::Addressee) => "c-addr",
            ('c', Role::Signed) => "c-signed",
            ('c', _) => "c-plain",
            (_, Role::Dateline) => "a-date",
            (_, Role::Salute) => "a-salute",
            (_, Role::Addressee) => "a-addr",
            (_, Role::Signed) => "a-signed",
            (_, _) => "a-plain",
        }
    };
    let mut spans: Vec<(Range<usize>, &'static str)> = Vec::new();
    spans.extend(
        lay.opener
            .iter()
            .map(|p| (p.span.clone(), piece('o', p.role))),
    );
    spans.extend(lay.body.iter().map(|b| (b.clone(), "body")));
    spans.extend(
        lay.closer
            .iter()
            .map(|p| (p.span.clone(), piece('c', p.role))),
    );
    for a in &lay.after {
        match a {
            After::Postscript(ps) => spans.extend(ps.iter().map(|r| (r.clone(), "ps"))),
            After::Closer(c) => {
                spans.extend(c.iter().map(|p| (p.span.clone(), piece('a', p.role))))
            }
        }
    }
    spans.sort_by_key(|(r, _)| r.start);
    let mut out = Vec::new();
    for b in &blocks[range] {
        for l in &b.lines {
            // the span holding the line's start; a line split by a run-in salutation takes the
            // salutation's label
            let label = spans
                .iter()
                .find(|(r, _)| r.start <= l.start && l.start < r.end.max(r.start + 1))
                .or_else(|| {
                    spans
                        .iter()
                        .find(|(r, _)| r.start < l.end && l.start < r.end)
                })
                .map(|(_, lab)| *lab)
                .unwrap_or("none");
            out.push(label);
        }
    }
    out
}

/// The piece role a line role is written as.
fn piece_role(r: LineRole) -> Role {
    match r {
        LineRole::Dateline => Role::Dateline,
        LineRole::InsideAddress | LineRole::AddressPanel => Role::Addressee,
        LineRole::Salutation | LineRole::Valediction => Role::Salute,
        LineRole::Signature => Role::Signed,
        LineRole::Docket => Role::Docket,
        LineRole::Body | LineRole::Narrative | LineRole::Postscript => Role::Plain,
    }
}

/// The piece a line of an opener or closer is written as: the model decides the zone, the line
/// itself what it says inside it. An explicit "Signed," or "Dictated to" is a signature; in the
/// opener a line opening with the addressee word ("To …") is an address line and a whole-line
/// salutation a salutation; in the closer a "dateline" with no date that reads like a name is
/// the signature.
fn piece_for(line: &str, r: LineRole, cues: &Cues, in_closer: bool) -> Role {
    let lower = line.to_lowercase();
    if cues
        .signed_prefixes
        .iter()
        .chain(cues.dictated_prefixes)
        .any(|p| starts_with_word(&lower, p))
    {
        return Role::Signed;
    }
    let role = piece_role(r);
    // a "dateline" of the opener with no date that holds a sentence end ("Strictly secret.
    // Personal") or a long lowercase word ("Strictly private") is not a place
    if role == Role::Dateline
        && !in_closer
        && crate::encode::dates::find_dates(line, cues).is_empty()
        && (has_sentence_end(line)
            || line.split_whitespace().any(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphabetic());
                w.chars().count() >= 5 && w.chars().all(|c| c.is_lowercase())
            }))
    {
        return Role::Plain;
    }
    match role {
        Role::Salute | Role::Addressee | Role::Dateline if !in_closer => match classify(line, cues)
        {
            LineKind::Addressee => Role::Addressee,
            LineKind::Salute if role != Role::Addressee => Role::Salute,
            _ => role,
        },
        Role::Dateline
            if in_closer
                && crate::encode::dates::find_dates(line, cues).is_empty()
                && super::lines::is_name_like(line) =>
        {
            Role::Signed
        }
        _ if in_closer && super::lines::is_dateline(line, cues) => Role::Dateline,
        // a name under the valediction signs; a closing formula or a form of address ("Sir,")
        // is not a signature
        Role::Salute
            if in_closer
                && super::lines::is_name_like(line)
                && !super::lines::is_valediction(line, cues)
                && !is_form_of_address(line, cues) =>
        {
            Role::Signed
        }
        Role::Signed
            if in_closer
                && super::lines::is_valediction(line, cues)
                && !super::lines::is_name_like(line) =>
        {
            Role::Salute
        }
        _ => role,
    }
}

/// True when `line` is a form of address alone ("Sir,", "Madam", "Gentlemen:").
fn is_form_of_address(line: &str, cues: &Cues) -> bool {
    let w = line
        .trim()
        .trim_end_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    cues.salute_alone.contains(&w.as_str())
}

/// A sentence: five words or more, some of them lowercase, ending in a full stop, question or
/// exclamation mark.
fn is_sentence(line: &str) -> bool {
    let t = line.trim_end();
    super::lines::words(t) >= 5
        && t.ends_with(['.', '?', '!'])
        && t.split_whitespace()
            .skip(1)
            .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
            .count()
            >= 2
}

/// Short enough to be a line of an opener: an address line with copies ("To comrades A, B
/// and others (copy to …):") may run to twenty words, a paragraph does not.
fn opener_sized(line: &str) -> bool {
    super::lines::words(line) <= 20 && line.chars().count() <= 160
}

/// True when a word of four or more lowercase letters ends a sentence inside the line
/// ("secret. Personal"), as a place or an abbreviation ("St. Pauls") does not.
fn has_sentence_end(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.iter().take(words.len().saturating_sub(1)).any(|w| {
        w.ends_with(['.', '!', '?'])
            && w.trim_end_matches(['.', '!', '?']).chars().count() >= 4
            && w.chars()
                .skip(1)
                .all(|c| c.is_lowercase() || matches!(c, '.' | '!' | '?'))
    })
}

/// Adds a line as a piece, extending the last piece when it has the same role and the line
/// continues it (consecutive address, dateline, valediction or signature lines are one piece).
fn push_piece(out: &mut Vec<Piece>, span: Range<usize>, role: Role, _line: LineRole) {
    match out.last_mut() {
        Some(p) if p.role == role && role != Role::Plain && role != Role::Docket => {
            p.span.end = span.end
        }
        _ => out.push(Piece { span, role }),
    }
}

/// The last block of a letter is an address panel when it has two to eight short lines and
/// its first line opens with the addressee word or a form of address ("To", "Herrn", "Mrs.")
/// or ends with a post-nominal ("... Esqre").
fn is_address_panel(text: &str, b: &Block, cues: &Cues) -> bool {
    if !(2..=8).contains(&b.lines.len()) || !b.lines.iter().all(|l| is_short(&text[l.clone()])) {
        return false;
    }
    let first = text[b.lines[0].clone()].trim();
    let lower = first.to_lowercase();
    let w0 = lower
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([',', ':']);
    let last = lower
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic());
    cues.addressee_prefixes.contains(&w0)
        || cues.panel_honorifics.contains(&w0)
        || last.starts_with("esq")
}

fn continues_closer(text: &str, b: &Block, cues: &Cues, so_far: &[Piece]) -> bool {
    let has_signed = so_far.iter().any(|p| p.role == Role::Signed);
    let kinds: Vec<LineKind> = b
        .lines
        .iter()
        .map(|l| classify(&text[l.clone()], cues))
        .collect();
    let lower = text[b.lines[0].clone()].to_lowercase();
    let signed_prefix = cues
        .signed_prefixes
        .iter()
        .chain(cues.dictated_prefixes)
        .any(|p| starts_with_word(&lower, p));
    b.lines.len() <= 3
        && (signed_prefix
            || (!has_signed && kinds[0] == LineKind::Signature && b.lines.len() <= 3)
            || kinds.iter().all(|k| *k == LineKind::Dateline))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;
    use crate::encode::lines::blocks;

    #[test]
    fn opener_body_closer_postscript() {
        let t = "Crescent House\nClifton Road Bath\n31st August 1791\nMy Dr Madam\n\nI arrived.\n\nMore news.\n\nI am Dear Madam\nyour obliged & faithful\nRichd Lowell Hartley\n\nP.S. One more thing.\n\nMrs. Dale\nUpper Mill Street\n";
        let bs = blocks(t);
        let l = layout(t, &bs, 0..bs.len(), &ENGLISH);
        let roles: Vec<(Role, &str)> = l
            .opener
            .iter()
            .map(|p| (p.role, &t[p.span.clone()]))
            .collect();
        assert_eq!(
            roles,
            vec![
                (
                    Role::Dateline,
                    "Crescent House\nClifton Road Bath\n31st August 1791"
                ),
                (Role::Salute, "My Dr Madam")
            ]
        );
        assert_eq!(l.body.len(), 2);
        let closer: Vec<(Role, &str)> = l
            .closer
            .iter()
            .map(|p| (p.role, &t[p.span.clone()]))
            .collect();
        assert_eq!(
            closer,
            vec![
                (Role::Salute, "I am Dear Madam\nyour obliged & faithful"),
                (Role::Signed, "Richd Lowell Hartley")
            ]
        );
        assert_eq!(l.after.len(), 2);
    }

    #[test]
    fn salute_in_paragraph_and_dictated() {
        let t = "My dear Madam, I am ashamed.\n\nWith the very best greetings,\n\nDictated to M.V.\nMarch 5, 1923.\n";
        let bs = blocks(t);
        let l = layout(t, &bs, 0..bs.len(), &ENGLISH);
        assert_eq!(&t[l.opener[0].span.clone()], "My dear Madam,");
        assert_eq!(&t[l.body[0].clone()], "I am ashamed.");
        let closer: Vec<(Role, &str)> = l
            .closer
            .iter()
            .map(|p| (p.role, &t[p.span.clone()]))
            .collect();
        assert_eq!(
            closer,
            vec![
                (Role::Salute, "With the very best greetings,"),
                (Role::Signed, "Dictated to M.V."),
                (Role::Dateline, "March 5, 1923.")
            ]
        );
    }
}
