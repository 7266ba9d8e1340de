//! Segmentation: which blocks are narrative and which belong to which letter. Two modes:
//! a document of letters (every block belongs to a letter; editors' connector sentences and a
//! new opener after a closer separate them), and an article quoting letters (blocks are
//! narrative unless quoted after an introducer ending in a colon, or opened by an explicit
//! addressee line or salutation; excerpts interrupted by the narrator stay one letter).

use super::cues::Cues;
use super::lines::{
    classify, is_name_like, is_postscript, is_short, salute_len, words, Block, LineKind,
};
use std::collections::HashSet;
use std::ops::Range;

/// What a block (or part of one) is in the output.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// The document title.
    Head(usize),
    /// The document author line.
    Byline(usize),
    /// A narrative paragraph.
    P(usize),
    /// A narrative paragraph that repeats a passage of an earlier letter.
    Quote(usize),
    /// One part of a letter (a run of consecutive blocks).
    Letter {
        /// Index into [`Plan::letters`].
        letter: usize,
        /// The blocks of this part.
        blocks: Range<usize>,
    },
    /// A quoted note with its source in parentheses at the end: `cit/quote` + `bibl`.
    Cit {
        /// Index into [`Plan::letters`].
        letter: usize,
        /// The block.
        block: usize,
        /// Byte range (in the source) of the parenthesised source.
        cite: Range<usize>,
    },
}

/// The blocks of one letter and the narrative that introduces it.
#[derive(Debug, Clone, Default)]
pub struct LetterPlan {
    /// Parts (runs of blocks), in order; one unless the narrator interrupts.
    pub parts: Vec<Range<usize>>,
    /// Narrative blocks that introduce the letter (its introducer and the block before).
    pub context: Vec<usize>,
    /// The parenthesised source of a quoted note.
    pub cite: Option<Range<usize>>,
    /// The first part is a heading of short lines before the letter's opener (a telegram
    /// form's "Number / Sent By / Received at …"): read for its date and place only.
    pub heading: bool,
}

/// The segmentation of a document.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Body items in document order.
    pub items: Vec<Item>,
    /// Letters in document order.
    pub letters: Vec<LetterPlan>,
    /// True when the document is an article quoting letters.
    pub article: bool,
}

fn line<'a>(text: &'a str, b: &Block, i: usize) -> &'a str {
    &text[b.lines[i].clone()]
}

/// A block that opens a letter: short lines with a dateline, salutation or addressee line.
pub fn is_opener_block(text: &str, b: &Block, cues: &Cues) -> bool {
    if b.lines.len() > 7 {
        return false;
    }
    let all_short = b.lines.iter().all(|l| is_short(&text[l.clone()]));
    let kinds: Vec<LineKind> = b
        .lines
        .iter()
        .map(|l| classify(&text[l.clone()], cues))
        .collect();
    let first_line = line(text, b, 0);
    if kinds[0] == LineKind::Addressee {
        return true;
    }
    if all_short
        && kinds
            .iter()
            .any(|k| matches!(k, LineKind::Dateline | LineKind::Salute))
    {
        // a closer has a valediction or ends with a signature; an opener does not
        return !kinds.contains(&LineKind::Valediction);
    }
    // the first paragraph starting with a salutation
    salute_len(first_line, cues).is_some() && !is_short(first_line)
}

/// A block that closes a letter: short lines with a valediction, a signature or
/// "Signed,"/"Dictated to".
pub fn is_closer_block(text: &str, b: &Block, cues: &Cues) -> bool {
    if b.lines.len() > 10 || !b.lines.iter().all(|l| is_short(&text[l.clone()])) {
        return false;
    }
    let kinds: Vec<LineKind> = b
        .lines
        .iter()
        .map(|l| classify(&text[l.clone()], cues))
        .collect();
    if matches!(kinds[0], LineKind::Addressee | LineKind::Salute) {
        return false;
    }
    if kinds.contains(&LineKind::Valediction) {
        return true;
    }
    let lower0 = line(text, b, 0).to_lowercase();
    if cues
        .signed_prefixes
        .iter()
        .chain(cues.dictated_prefixes)
        .any(|p| super::cues::starts_with_word(&lower0, p))
    {
        return true;
    }
    // a signature, optionally followed by a role line and a dateline
    kinds[0] == LineKind::Signature && b.lines.len() <= 4
}

/// A block made only of a dateline (a closing date on its own).
fn is_dateline_block(text: &str, b: &Block, cues: &Cues) -> bool {
    b.lines.len() <= 3
        && b.lines
            .iter()
            .any(|l| classify(&text[l.clone()], cues) == LineKind::Dateline)
        && b.lines.iter().all(|l| is_short(&text[l.clone()]))
}

/// An editor's connector between letters: one short sentence naming a letter or sequence.
pub fn is_connector(text: &str, b: &Block, cues: &Cues) -> bool {
    if b.lines.len() != 1 {
        return false;
    }
    let s = line(text, b, 0).trim();
    let n = words(s);
    if !(3..=14).contains(&n)
        || !s.ends_with('.')
        || s[..s.len() - 1].contains(['.', '!', '?', ';'])
    {
        return false;
    }
    if !s.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    let hits = s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| cues.connector_words.contains(&w.to_lowercase().as_str()))
        .count();
    hits >= 1 && !s.contains(['"', '“', '”'])
}

/// A narrative sentence that introduces a quotation: ends with a colon and is not a
/// salutation, addressee line or a bare name.
pub fn is_introducer(text: &str, b: &Block, cues: &Cues) -> bool {
    let last = line(text, b, b.lines.len() - 1).trim();
    if !last.ends_with(':') {
        return false;
    }
    let kind = classify(last, cues);
    if matches!(kind, LineKind::Salute | LineKind::Addressee) {
        return false;
    }
    let bare = last.trim_end_matches(':');
    if is_name_like(bare) && words(bare) <= 4 {
        return false;
    }
    words(&text[b.span.clone()]) >= 2
}

/// An introducer that names a letter noun (used to decide whether a document is an article).
fn is_strong_introducer(text: &str, b: &Block, cues: &Cues) -> bool {
    is_introducer(text, b, cues) && words(&text[b.span.clone()]) >= 5 && {
        let lower = text[b.span.clone()].to_lowercase();
        lower
            .split(|c: char| !c.is_alphabetic())
            .any(|w| cues.letter_nouns.contains(&w) || w == "quote" || w == "quotations")
    }
}

/// An introducer that starts a new letter rather than continuing an interrupted one: it names
/// a sender ("X's letter", "X sent"), an addressee or a date.
fn introduces_new_letter(text: &str, b: &Block, cues: &Cues) -> bool {
    let s = &text[b.span.clone()];
    let lower = s.to_lowercase();
    let has_sent = lower
        .split(|c: char| !c.is_alphabetic())
        .any(|w| cues.sent_verbs.contains(&w));
    let has_addr = cues.addressed_to.iter().any(|a| lower.contains(a));
    let has_date = !super::dates::find_dates(s, cues).is_empty();
    let possessive = cues
        .letter_nouns
        .iter()
        .any(|n| lower.contains(&format!("'s {n}")) || lower.contains(&format!("’s {n}")));
    has_sent || has_addr || has_date || possessive
}

/// The parenthesised source at the end of a quoted note: "(From Orlov's note of ...)".
pub fn citation_span(text: &str, b: &Block, cues: &Cues) -> Option<Range<usize>> {
    let s = text[b.span.clone()].trim_end();
    if !s.ends_with(')') {
        return None;
    }
    let open = s.rfind('(')?;
    let inner = s[open + 1..s.len() - 1].trim().to_lowercase();
    let from = cues
        .citation_from
        .iter()
        .any(|f| super::cues::starts_with_word(&inner, f));
    let noun = inner
        .split(|c: char| !c.is_alphabetic())
        .any(|w| cues.letter_nouns.contains(&w));
    if from && noun && open > 0 {
        Some(b.span.start + open..b.span.start + s.len())
    } else {
        None
    }
}

fn word_ngrams(s: &str, n: usize) -> Vec<String> {
    let ws: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    if ws.len() < n {
        return Vec::new();
    }
    ws.windows(n).map(|w| w.join(" ")).collect()
}

/// Segments the blocks of `text`.
pub fn plan(text: &str, blocks: &[Block], cues: &Cues) -> Plan {
    let starts_letter = !blocks.is_empty() && is_opener_block(text, &blocks[0], cues);
    let strong = blocks
        .iter()
        .filter(|b| is_strong_introducer(text, b, cues))
        .count();
    if !starts_letter && strong >= 2 {
        article_plan(text, blocks, cues)
    } else {
        letters_plan(text, blocks, cues)
    }
}

fn letters_plan(text: &str, blocks: &[Block], cues: &Cues) -> Plan {
    /// The letter being read.
    struct Open {
        start: usize,
        closed: bool,
        /// A block of its text has been read (not only its opener).
        body: bool,
        /// A heading of short lines before its opener, kept as the letter's first part.
        lead: Option<Range<usize>>,
    }
    let mut plan = Plan::default();
    let mut cur: Option<Open> = None;
    let finish = |plan: &mut Plan, o: Open, end: usize| {
        if o.start < end {
            let letter = plan.letters.len();
            let parts: Vec<Range<usize>> = o
                .lead
                .into_iter()
                .chain(std::iter::once(o.start..end))
                .collect();
            for p in &parts {
                plan.items.push(Item::Letter {
                    letter,
                    blocks: p.clone(),
                });
            }
            plan.letters.push(LetterPlan {
                heading: parts.len() > 1,
                parts,
                context: Vec::new(),
                cite: None,
            });
        }
    };
    // a heading's lines are short; one with figures may run a little longer (a telegram
    // office's "Received at 212 South 13th Street, Omaha, Neb. M. Standard Time. 1034p")
    let heading_line = |l: &str| {
        is_short(l)
            || (words(l) <= 14
                && l.chars().count() <= 100
                && l.contains(|c: char| c.is_ascii_digit()))
    };
    let all_short = |r: Range<usize>| {
        blocks[r]
            .iter()
            .all(|b| b.lines.iter().all(|l| heading_line(&text[l.clone()])))
    };
    // a block of the letter's text, not of its frame: a paragraph, or a block that is
    // neither an opener, a closer nor a dateline
    let is_body = |b: &Block| {
        !b.lines.iter().all(|l| is_short(&text[l.clone()]))
            || !(is_opener_block(text, b, cues)
                || is_closer_block(text, b, cues)
                || is_dateline_block(text, b, cues))
    };
    for (i, b) in blocks.iter().enumerate() {
        // a letter with nothing but its opener yet goes on: a short sentence naming a
        // letter there is its first paragraph ("I sent the letter to ..."), not an editor's
        let only_opener = cur.as_ref().is_some_and(|o| !o.closed && !o.body);
        if !only_opener && is_connector(text, b, cues) {
            if let Some(o) = cur.take() {
                finish(&mut plan, o, i);
            }
            plan.items.push(Item::P(i));
            continue;
        }
        match &cur {
            None => {
                cur = Some(Open {
                    start: i,
                    closed: false,
                    body: false,
                    lead: None,
                })
            }
            // an opener after a closed letter starts the next one, unless nothing follows it
            // before a connector or the end (then it is the address panel of this one)
            Some(o)
                if o.closed
                    && is_opener_block(text, b, cues)
                    && !is_dateline_block(text, b, cues)
                    && blocks
                        .get(i + 1)
                        .is_some_and(|n| !is_connector(text, n, cues)) =>
            {
                // what came before is a heading of short lines with no text of its own (a
                // telegram form's "Number / Sent By / Received at ... / Dated ..."): the
                // first part of this letter, not a letter
                let lead = (o.lead.is_none() && all_short(o.start..i)).then_some(o.start..i);
                if lead.is_none() {
                    if let Some(o) = cur.take() {
                        finish(&mut plan, o, i);
                    }
                }
                cur = Some(Open {
                    start: i,
                    closed: false,
                    body: false,
                    lead,
                });
            }
            _ => {}
        }
        if let Some(o) = cur.as_mut() {
            // a closer closes a letter whose text has been read: lines under a heading
            // that look like a signature ("Mr. X," above "Dear Sir:", a telegram's "Sent By
            // D") do not end a letter that has none yet
            if !o.closed && i > o.start && is_closer_block(text, b, cues) {
                o.closed = true;
            }
            if !o.body && is_body(b) {
                o.body = true;
            }
        }
    }
    if let Some(o) = cur {
        finish(&mut plan, o, blocks.len());
    }
    plan
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Narrative,
    /// The block after an introducer (its index).
    AfterIntro(usize),
    /// Inside letter `letter`, current part started at `start`; `excerpt` when the letter has
    /// no opener (ends at the next introducer); `closed` after its closer.
    InLetter {
        letter: usize,
        start: usize,
        excerpt: bool,
        closed: bool,
    },
}

fn article_plan(text: &str, blocks: &[Block], cues: &Cues) -> Plan {
    let mut plan = Plan {
        article: true,
        ..Plan::default()
    };
    let mut state = State::Narrative;
    let mut seen_long = false;
    let mut letter_grams: HashSet<String> = HashSet::new();

    let close_part = |plan: &mut Plan, letter: usize, start: usize, end: usize| {
        if start < end {
            plan.letters[letter].parts.push(start..end);
            plan.items.push(Item::Letter {
                letter,
                blocks: start..end,
            });
        }
    };

    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        match state {
            State::Narrative => {
                if !seen_long
                    && b.lines.len() == 1
                    && words(line(text, b, 0)) <= 8
                    && !line(text, b, 0).trim_end().ends_with(['.', ':'])
                {
                    let first_is_head = plan.items.iter().any(|it| matches!(it, Item::Head(_)));
                    if is_name_like(line(text, b, 0))
                        && !plan.items.iter().any(|it| matches!(it, Item::Byline(_)))
                    {
                        plan.items.push(Item::Byline(i));
                    } else if !first_is_head {
                        plan.items.push(Item::Head(i));
                    } else {
                        plan.items.push(Item::P(i));
                    }
                    i += 1;
                    continue;
                }
                seen_long = true;
                if is_introducer(text, b, cues) {
                    plan.items.push(Item::P(i));
                    state = State::AfterIntro(i);
                } else if explicit_opener(text, b, cues) {
                    let letter = plan.letters.len();
                    plan.letters.push(LetterPlan {
                        context: context_before(&plan, i),
                        ..LetterPlan::default()
                    });
                    state = State::InLetter {
                        letter,
                        start: i,
                        excerpt: false,
                        closed: false,
                    };
                    if is_closer_block(text, b, cues) {
                        state = State::InLetter {
                            letter,
                            start: i,
                            excerpt: false,
                            closed: true,
                        };
                    }
                } else {
                    plan.items.push(Item::P(i));
                }
                i += 1;
            }
            State::AfterIntro(intro) => {
                if let Some(cite) = citation_span(text, b, cues) {
                    let letter = plan.letters.len();
                    plan.letters.push(LetterPlan {
                        parts: std::iter::once(i..i + 1).collect(),
                        context: vec![intro],
                        cite: Some(cite.clone()),
                        heading: false,
                    });
                    plan.items.push(Item::Cit {
                        letter,
                        block: i,
                        cite,
                    });
                    letter_grams.extend(word_ngrams(&text[b.span.clone()], 4));
                    state = State::Narrative;
                    i += 1;
                    continue;
                }
                let grams = word_ngrams(&text[b.span.clone()], 4);
                let repeated = !grams.is_empty()
                    && grams.iter().filter(|g| letter_grams.contains(*g)).count() * 10
                        >= grams.len() * 6;
                if repeated {
                    plan.items.push(Item::Quote(i));
                    state = State::Narrative;
                    i += 1;
                    continue;
                }
                // continue an interrupted excerpt, or start a new letter
                let last_open = plan.letters.len().checked_sub(1).filter(|&l| {
                    !plan.letters[l].parts.is_empty()
                        && !letter_closed(text, blocks, &plan.letters[l], cues)
                        && plan.letters[l].cite.is_none()
                });
                let letter = match last_open {
                    Some(l) if !introduces_new_letter(text, &blocks[intro], cues) => {
                        plan.letters[l].context.push(intro);
                        l
                    }
                    _ => {
                        let mut ctx = Vec::new();
                        if intro > 0 && !plan.items.iter().any(|it| matches!(it, Item::Letter { blocks, .. } if blocks.end == intro)) {
                            ctx.push(intro - 1);
                        }
                        ctx.push(intro);
                        plan.letters.push(LetterPlan {
                            context: ctx,
                            ..LetterPlan::default()
                        });
                        plan.letters.len() - 1
                    }
                };
                let excerpt = !(0..2).any(|k| {
                    blocks
                        .get(i + k)
                        .is_some_and(|b| explicit_opener(text, b, cues))
                });
                let closed = is_closer_block(text, b, cues);
                state = State::InLetter {
                    letter,
                    start: i,
                    excerpt,
                    closed,
                };
                i += 1;
            }
            State::InLetter {
                letter,
                start,
                excerpt,
                closed,
            } => {
                if closed {
                    let trailing = is_postscript(line(text, b, 0), cues)
                        || is_closer_block(text, b, cues)
                        || is_dateline_block(text, b, cues);
                    if trailing && !explicit_opener(text, b, cues) {
                        i += 1;
                        continue;
                    }
                    close_part(&mut plan, letter, start, i);
                    for k in start..i {
                        letter_grams.extend(word_ngrams(&text[blocks[k].span.clone()], 4));
                    }
                    state = State::Narrative;
                    continue; // re-read this block as narrative
                }
                if excerpt && is_introducer(text, b, cues) {
                    close_part(&mut plan, letter, start, i);
                    for k in start..i {
                        letter_grams.extend(word_ngrams(&text[blocks[k].span.clone()], 4));
                    }
                    state = State::Narrative;
                    continue;
                }
                let now_closed = is_closer_block(text, b, cues)
                    || (excerpt && is_postscript(line(text, b, 0), cues));
                state = State::InLetter {
                    letter,
                    start,
                    excerpt,
                    closed: now_closed,
                };
                i += 1;
            }
        }
    }
    match state {
        State::InLetter { letter, start, .. } => close_part(&mut plan, letter, start, blocks.len()),
        State::AfterIntro(_) | State::Narrative => {}
    }
    plan.letters.retain(|l| !l.parts.is_empty());
    plan
}

fn letter_closed(text: &str, blocks: &[Block], l: &LetterPlan, cues: &Cues) -> bool {
    l.parts
        .iter()
        .any(|p| p.clone().any(|k| is_closer_block(text, &blocks[k], cues)))
}

/// An explicit letter opening in an article: an addressee line or a salutation line.
fn explicit_opener(text: &str, b: &Block, cues: &Cues) -> bool {
    let k = classify(line(text, b, 0), cues);
    matches!(k, LineKind::Addressee | LineKind::Salute) && b.lines.len() <= 3
}

fn context_before(plan: &Plan, i: usize) -> Vec<usize> {
    match plan.items.last() {
        Some(Item::P(k)) if *k + 1 == i => vec![*k],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;
    use crate::encode::lines::blocks;

    #[test]
    fn two_letters_and_a_connector() {
        let t = "May 6th. 1816\n\nMy dear Madam, I write.\n\nYours truly\nAnna Hartley\n\nAnother letter survives from around the same period.\n\nDear Sir\n\nI answer.\n\nThomas Reid\n";
        let bs = blocks(t);
        let p = plan(t, &bs, &ENGLISH);
        assert!(!p.article);
        assert_eq!(p.letters.len(), 2);
        assert_eq!(p.letters[0].parts, vec![0..3]);
        assert_eq!(p.letters[1].parts, vec![4..7]);
    }

    #[test]
    fn a_heading_of_short_lines_is_the_first_part_of_the_letter() {
        // a telegram form: its heading looks closed ("Sent By K") before the addressee line
        let t = "Number 14\n\nSent By K\n\nReceived at 4 20 pm\nOct 7 1898\n\nTo Henry Mills\n\nCattle sold at good price send papers at once and meet me on Friday at the station\n\nJ. Carter\n";
        let bs = blocks(t);
        let p = plan(t, &bs, &ENGLISH);
        assert_eq!(p.letters.len(), 1, "{:?}", p.letters);
        assert_eq!(p.letters[0].parts, vec![0..3, 3..6]);
        assert!(p.letters[0].heading);
        // a telegram office's longer line with figures is a heading line too
        let t = t.replace(
            "Received at 4 20 pm",
            "Received at 212 South 13th Street, Leeds, Yorks. Standard Time. 1034p",
        );
        let bs = blocks(&t);
        let p = plan(&t, &bs, &ENGLISH);
        assert_eq!(p.letters.len(), 1, "{:?}", p.letters);
        assert!(p.letters[0].heading);
        // a closed letter with text of its own, then an opener: two letters
        let t = "Dear Sir,\n\nThe account that you sent me last week has been settled in full by my clerk today.\n\nYours truly,\nJohn Grey\n\nDear Mr. Grey,\n\nI thank you for settling the account.\n\nThomas Hurst\n";
        let bs = blocks(t);
        let p = plan(t, &bs, &ENGLISH);
        assert_eq!(p.letters.len(), 2, "{:?}", p.letters);
    }

    #[test]
    fn german_connectors_in_any_inflection() {
        use crate::encode::cues::GERMAN;
        let yes = |s: &str| {
            let t = format!("{s}\n");
            is_connector(&t, &blocks(&t)[0], &GERMAN)
        };
        assert!(yes("Darauf antwortete er mit der folgenden Karte."));
        assert!(yes(
            "Aus dem Briefwechsel der beiden Freunde kommt dieser hinzu."
        ));
        assert!(yes("Die weiteren Zeilen schrieb sie im Herbst."));
        assert!(!yes("Ich komme morgen um fünf Uhr."));
    }

    #[test]
    fn article_with_excerpts() {
        let t = "A. Writer\n\nThe Title\n\nSmith's letter, dated May 1, 1900, was addressed to Jones. Here is the beginning of the letter:\n\nI write to you about the plan.\n\nThere follows more. In the concluding part of his letter Smith says:\n\nI arrive Monday.\n\nP.S. Send copies.\n\nJones sent his answer to Smith on the same day. I quote from his answer:\n\nI disagree with the plan entirely and say so.\n\nJ. Jones\n\nThe narrator goes on at length about all of this.\n\nHis answer says it too:\n\nI disagree with the plan entirely and say so.\n\nThe end of the story is told here.\n";
        let bs = blocks(t);
        let p = plan(t, &bs, &ENGLISH);
        assert!(p.article);
        assert_eq!(p.letters.len(), 2, "{:?}", p.letters);
        assert_eq!(p.letters[0].parts, vec![3..4, 5..7]);
        assert_eq!(p.letters[1].parts, vec![8..10]);
        assert!(p.items.contains(&Item::Quote(12)));
    }
}
