//! Roles for the loose text of openers and closers, and one role per line.
//!
//! An opener's loose text (outside `dateline`, `salute`, `address`) is a dateline when dates
//! and places make up most of it, or when it stands above the dateline; printed matter (a
//! letterhead) is a docket line; before a marked salutation it is an inside address ("To …");
//! after one, or as the opener's last line when none is marked, it is the salutation (editions
//! often leave "My dear Sir" unmarked after the dateline). A closer's loose text is a dateline
//! when dates and places make up most of it; before `signed` it is the valediction, after it
//! the rest of the signature (titles, offices). A closer with no `signed` is signed by the
//! names that end it: its trailing lines made mostly of `persName`/`orgName`/`name`, and the
//! names that end its last line. A line of the valediction made mostly of a date and place
//! is a dateline.

use super::super::LineRole;
use super::emit::{weight, Block, Line, Slot, Tag};

/// True when dates and places make up at least half of the line's loose text.
fn date_like(line: &Line, loose: Slot) -> bool {
    mostly(line, loose, |t| t.date || t.place)
}

/// True when names make up at least half of the line's loose text.
fn name_like(line: &Line) -> bool {
    mostly(line, Slot::CloserLoose, |t| t.name)
}

/// True when printed matter makes up at least half of the line's loose text.
fn printed(line: &Line, loose: Slot) -> bool {
    mostly(line, loose, |t| t.printed)
}

/// True when the pieces of `line`'s loose text that are `what` make up at least half of it.
fn mostly(line: &Line, loose: Slot, what: impl Fn(&Tag) -> bool) -> bool {
    let (mut yes, mut all) = (0, 0);
    for p in line.pieces.iter().filter(|p| p.tag.slot == loose) {
        let w = weight(&p.text);
        all += w;
        if what(&p.tag) {
            yes += w;
        }
    }
    all > 0 && 2 * yes >= all
}

fn has_fixed(line: &Line, role: LineRole) -> bool {
    line.pieces.iter().any(|p| p.tag.slot == Slot::Fixed(role))
}

fn set_loose(line: &mut Line, loose: Slot, role: LineRole) {
    for p in line.pieces.iter_mut().filter(|p| p.tag.slot == loose) {
        p.role = Some(role);
    }
}

/// Resolves the loose text of an opener block.
pub(super) fn opener(block: &mut Block) {
    let n = block.lines.len();
    let salute: Vec<bool> = block
        .lines
        .iter()
        .map(|l| has_fixed(l, LineRole::Salutation))
        .collect();
    let dateline: Vec<bool> = block
        .lines
        .iter()
        .map(|l| has_fixed(l, LineRole::Dateline) || date_like(l, Slot::OpenerLoose))
        .collect();
    // Whether a salutation (a dateline) stands after line i: one pass from the end.
    let mut salute_after = vec![false; n];
    let mut dateline_after = vec![false; n];
    for i in (0..n.saturating_sub(1)).rev() {
        salute_after[i] = salute_after[i + 1] || salute[i + 1];
        dateline_after[i] = dateline_after[i + 1] || dateline[i + 1];
    }
    let mut salute_so_far = false;
    for i in 0..n {
        salute_so_far |= salute[i];
        let line = &block.lines[i];
        let role = if dateline[i] && !salute[i] {
            LineRole::Dateline
        } else if printed(line, Slot::OpenerLoose) {
            LineRole::Docket
        } else if dateline_after[i] && !salute_so_far {
            LineRole::Dateline
        } else if salute_after[i] {
            LineRole::InsideAddress
        } else if salute_so_far || i + 1 == n {
            LineRole::Salutation
        } else {
            LineRole::InsideAddress
        };
        set_loose(&mut block.lines[i], Slot::OpenerLoose, role);
    }
}

/// True when a closer line made only of loose or valediction text reads as a name: capitalised
/// words and initials, no closing formula of either language, no date.
fn reads_as_signature(line: &Line) -> bool {
    use crate::encode::{cues, lines};
    let valediction = Slot::Fixed(LineRole::Valediction);
    if !line
        .pieces
        .iter()
        .all(|p| p.tag.slot == Slot::CloserLoose || p.tag.slot == valediction)
        || line.pieces.iter().any(|p| p.tag.date || p.tag.place)
    {
        return false;
    }
    let text: String = line.pieces.iter().map(|p| p.text.as_str()).collect();
    let text = text.trim();
    !text.is_empty()
        && lines::is_name_like(text)
        && !lines::is_valediction(text, &cues::ENGLISH)
        && !lines::is_valediction(text, &cues::GERMAN)
        && lines::salute_len(text, &cues::ENGLISH).is_none()
        && lines::salute_len(text, &cues::GERMAN).is_none()
}

/// True when a closer line made only of loose or valediction text reads as a dateline to the
/// encoder's own cues (either language).
fn reads_as_date(line: &Line) -> bool {
    use crate::encode::{cues, lines};
    let valediction = Slot::Fixed(LineRole::Valediction);
    if !line
        .pieces
        .iter()
        .all(|p| p.tag.slot == Slot::CloserLoose || p.tag.slot == valediction)
    {
        return false;
    }
    let text: String = line.pieces.iter().map(|p| p.text.as_str()).collect();
    let text = text.trim();
    !text.is_empty()
        && (lines::is_dateline(text, &cues::ENGLISH) || lines::is_dateline(text, &cues::GERMAN))
        && !lines::is_valediction(text, &cues::ENGLISH)
        && !lines::is_valediction(text, &cues::GERMAN)
}

/// Resolves the loose text of a closer block.
pub(super) fn closer(block: &mut Block) {
    let n = block.lines.len();
    let signed: Vec<bool> = block
        .lines
        .iter()
        .map(|l| has_fixed(l, LineRole::Signature))
        .collect();
    let first_signed = signed.iter().position(|&s| s);
    // With no `signed`, the trailing name lines sign the letter.
    let mut signature_from = n;
    if first_signed.is_none() {
        while signature_from > 0 {
            let line = &block.lines[signature_from - 1];
            let only_loose = line.pieces.iter().all(|p| p.tag.slot == Slot::CloserLoose);
            if only_loose && name_like(line) {
                signature_from -= 1;
            } else {
                break;
            }
        }
    }
    // A line of the valediction made of a date and place is a dateline ("Ihr / <date>Weimar
    // den 9ten</date> / treuer R.", all in one `salute`).
    let valediction = Slot::Fixed(LineRole::Valediction);
    for line in &mut block.lines {
        let only_valediction = line
            .pieces
            .iter()
            .all(|p| p.tag.slot == valediction || p.tag.slot == Slot::CloserLoose);
        if only_valediction && mostly(line, valediction, |t| t.date || t.place) {
            for p in line.pieces.iter_mut().filter(|p| p.tag.slot == valediction) {
                p.role = Some(LineRole::Dateline);
            }
        }
    }
    for i in 0..n {
        let line = &block.lines[i];
        let role = if date_like(line, Slot::CloserLoose) {
            LineRole::Dateline
        } else if first_signed.is_some_and(|f| i > f) || i >= signature_from {
            LineRole::Signature
        } else {
            LineRole::Valediction
        };
        set_loose(&mut block.lines[i], Slot::CloserLoose, role);
    }
    // With no `signed`, a line that reads as a name and not as a closing formula signs, wherever
    // it stands in the closer ("Anna Hartley" above "Sunday"), also when the edition put it
    // in the closer's `salute`.
    // A valediction line that reads as a date ("Decr. 14th. 1811", unmarked) is a dateline.
    for line in &mut block.lines {
        if reads_as_date(line) {
            for p in line
                .pieces
                .iter_mut()
                .filter(|p| p.tag.slot == Slot::CloserLoose || p.tag.slot == valediction)
            {
                p.role = Some(LineRole::Dateline);
            }
        }
    }
    if first_signed.is_none() {
        for line in &mut block.lines {
            if reads_as_signature(line) {
                for p in line
                    .pieces
                    .iter_mut()
                    .filter(|p| p.tag.slot == Slot::CloserLoose || p.tag.slot == valediction)
                {
                    p.role = Some(LineRole::Signature);
                }
            }
        }
    }
    // The names that end the closer's last line sign it ("your affectionate <persName>Maria").
    if first_signed.is_none() && signature_from == n {
        if let Some(last) = block.lines.last_mut() {
            let loose_valediction = |p: &super::emit::Piece| {
                p.tag.slot == Slot::CloserLoose && p.role == Some(LineRole::Valediction)
            };
            let mut k = last.pieces.len();
            while k > 0 {
                let p = &last.pieces[k - 1];
                let punct = p.text.chars().all(|c| !c.is_alphanumeric());
                if loose_valediction(p) && (p.tag.name || punct) {
                    k -= 1;
                } else {
                    break;
                }
            }
            let named = last.pieces[k..].iter().any(|p| p.tag.name);
            if named && k > 0 {
                for p in &mut last.pieces[k..] {
                    p.role = Some(LineRole::Signature);
                }
            }
        }
    }
}

/// A paragraph before the body's first: its lines made mostly of dates and places are the
/// dateline the edition left unmarked.
pub(super) fn leading_paragraph(block: &mut Block) {
    let body = Slot::Fixed(LineRole::Body);
    for line in &mut block.lines {
        if date_like(line, body) {
            set_loose(line, body, LineRole::Dateline);
        }
    }
}

/// The role of each piece: resolved, or its fixed slot (printed matter in the body is a
/// docket line; loose text never resolved, as in an opener nested in an odd place, is the
/// part's salutation or valediction).
pub(super) fn piece_role(p: &super::emit::Piece) -> LineRole {
    match (p.role, p.tag.slot) {
        (Some(r), _) => r,
        (None, Slot::Fixed(LineRole::Body)) if p.tag.printed => LineRole::Docket,
        (None, Slot::Fixed(r)) => r,
        (None, Slot::OpenerLoose) => LineRole::Salutation,
        (None, Slot::CloserLoose) => LineRole::Valediction,
    }
}

/// The role of a line: the role of most of its characters (ties: the first).
pub(super) fn line_role(line: &Line) -> LineRole {
    let mut weights: Vec<(LineRole, usize)> = Vec::new();
    for p in &line.pieces {
        let r = piece_role(p);
        let w = weight(&p.text);
        match weights.iter_mut().find(|(x, _)| *x == r) {
            Some((_, total)) => *total += w,
            None => weights.push((r, w)),
        }
    }
    let max = weights.iter().map(|(_, w)| *w).max().unwrap_or(0);
    weights
        .into_iter()
        .find(|(_, w)| *w == max)
        .map(|(r, _)| r)
        .unwrap_or(LineRole::Body)
}

#[cfg(test)]
mod tests {
    use super::super::emit::{BlockKind, Emitter};
    use super::*;

    fn tag(slot: Slot, name: bool) -> Tag {
        Tag {
            slot,
            date: false,
            place: false,
            name,
            printed: false,
        }
    }

    #[test]
    fn a_closer_without_signed_is_signed_by_its_last_names() {
        let mut e = Emitter::default();
        e.start_block(BlockKind::Lines);
        e.text("I am ", tag(Slot::CloserLoose, false));
        e.text("Dear Madam", tag(Slot::CloserLoose, true));
        e.newline();
        e.text("your affectionate ", tag(Slot::CloserLoose, false));
        e.text("Maria", tag(Slot::CloserLoose, true));
        let b = e.end_block().unwrap();
        closer(&mut e.blocks[b]);
        let lines = &e.blocks[b].lines;
        assert_eq!(line_role(&lines[0]), LineRole::Valediction);
        assert_eq!(line_role(&lines[1]), LineRole::Valediction);
        assert_eq!(piece_role(&lines[1].pieces[1]), LineRole::Signature);
    }

    #[test]
    fn unmarked_salutation_after_the_dateline() {
        let mut e = Emitter::default();
        e.start_block(BlockKind::Lines);
        e.text("London", tag(Slot::Fixed(LineRole::Dateline), false));
        e.newline();
        e.text("My dear Sir", tag(Slot::OpenerLoose, false));
        let b = e.end_block().unwrap();
        opener(&mut e.blocks[b]);
        assert_eq!(line_role(&e.blocks[b].lines[1]), LineRole::Salutation);
    }
}
