//! Blocks and lines: the source cut into blank-line separated blocks, and what each line looks
//! like (dateline, salutation, addressee line, valediction, signature, postscript ...).

use super::cues::{starts_with_word, Cues};
use super::dates::{find_dates, year_only};
use std::ops::Range;

/// A run of non-blank lines.
#[derive(Debug, Clone)]
pub struct Block {
    /// Byte range of the block (first line start to last line end, no newline).
    pub span: Range<usize>,
    /// Byte ranges of its lines (trimmed of trailing whitespace).
    pub lines: Vec<Range<usize>>,
}

/// Cuts `text` into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed_end = line.trim_end();
        let start = pos + (line.len() - line.trim_start().len());
        let end = pos + trimmed_end.len();
        pos += raw.len();
        if trimmed_end.trim().is_empty() {
            if let Some(b) = cur.take() {
                out.push(b);
            }
            continue;
        }
        match cur.as_mut() {
            Some(b) => {
                b.span.end = end;
                b.lines.push(start..end);
            }
            None => {
                cur = Some(Block {
                    span: start..end,
                    lines: std::iter::once(start..end).collect(),
                })
            }
        }
    }
    if let Some(b) = cur.take() {
        out.push(b);
    }
    out
}

/// Number of words (whitespace separated) in `s`.
pub fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// What a single line looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Place and/or date of writing.
    Dateline,
    /// "Dear Sir," and the like (whole line).
    Salute,
    /// "To comrade Lebedev (copy to comrade Petrov):".
    Addressee,
    /// "Yours faithfully," and the like.
    Valediction,
    /// A short name-like line, "Signed, X", "Dictated to X".
    Signature,
    /// Anything else.
    Other,
}

/// True when the line is short enough to be part of an opener or closer.
pub fn is_short(line: &str) -> bool {
    words(line) <= 10 && line.chars().count() <= 80
}

/// A line that holds a date and little else (a place, a weekday).
pub fn is_dateline(line: &str, cues: &Cues) -> bool {
    if year_only(line).is_some() {
        return true;
    }
    if !is_short(line) {
        return false;
    }
    let ds = find_dates(line, cues);
    let Some(d) = ds.first() else { return false };
    if d.date.year.is_none() && d.date.day.is_none() && d.readings.is_none() {
        return false;
    }
    let rest = format!("{} {}", &line[..d.span.start], &line[d.span.end..]);
    let rest_words: Vec<&str> = rest.split_whitespace().collect();
    // what is around the date: a place (capitalised words), a weekday, punctuation
    // words with letters: house numbers and stray punctuation of an address do not count
    rest_words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .count()
        <= 6
        && rest_words
            .iter()
            .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
            .count()
            <= 1
        && !line.trim_end().ends_with(':')
}

/// A salutation: the length of the salutation at the start of `line` (the whole line, or up to
/// and including the first comma, colon, dash or exclamation mark when it runs into the text).
pub fn salute_len(line: &str, cues: &Cues) -> Option<usize> {
    let lower = line.to_lowercase();
    let starts = cues
        .salute_starts
        .iter()
        .any(|s| starts_with_word(&lower, s));
    let alone = cues.salute_alone.iter().any(|s| {
        starts_with_word(&lower, s)
            && lower[s.len()..]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .is_empty()
    });
    if alone {
        return Some(line.len());
    }
    if !starts {
        return None;
    }
    // "mein lieber Hans.": a short salutation may end in a full stop
    if words(line) <= 7 && (!line.trim_end().ends_with('.') || words(line) <= 3) {
        return Some(line.len());
    }
    // runs into the first paragraph: cut after the first , ! : or " - " within 8 words
    let mut count = 0;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if !prev_space {
                count += 1;
            }
            prev_space = true;
            if count >= 8 {
                break;
            }
            continue;
        }
        prev_space = false;
        if matches!(c, ',' | '!' | ':' | ';') {
            return Some(i + 1);
        }
        if c == '-' && line[..i].ends_with(' ') {
            return Some(i + 1);
        }
    }
    None
}

/// An addressee line ("To comrade Petrov:", "To Mrs. Dale"): starts with the table's "to"
/// word and is short or ends with a colon.
pub fn is_addressee(line: &str, cues: &Cues) -> bool {
    let lower = line.to_lowercase();
    let t = line.trim_end();
    cues.addressee_prefixes
        .iter()
        .any(|p| starts_with_word(&lower, p))
        && line
            .chars()
            .nth(3)
            .is_some_and(|c| c.is_alphabetic() || c == '(')
        && (t.ends_with(':')
            || (words(line) <= 6 && !t.ends_with('.'))
            || (t.ends_with(':') && words(line) <= 20))
        && words(line) <= 20
}

/// A valediction ("Yours faithfully,", "With esteem,", "I am Dear Madam").
pub fn is_valediction(line: &str, cues: &Cues) -> bool {
    let lower = line.to_lowercase();
    let n = words(line);
    if n == 0 || n > 12 || line.chars().count() > 90 {
        return false;
    }
    let starts = cues
        .valediction_starts
        .iter()
        .any(|s| starts_with_word(&lower, s));
    let has_word = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| cues.valediction_words.contains(&w));
    (starts && (has_word || n <= 6) && !lower.trim_end().ends_with('?')) || (has_word && n <= 5)
}

/// A signature-like line: "Signed, X", "Dictated to X", or a short run of capitalised words
/// and initials ("J. Hale", "Anna Hartley", "ME").
pub fn is_signature(line: &str, cues: &Cues) -> bool {
    let lower = line.to_lowercase();
    if cues
        .signed_prefixes
        .iter()
        .chain(cues.dictated_prefixes)
        .any(|s| starts_with_word(&lower, s))
    {
        return true;
    }
    is_name_like(line)
}

/// Up to five words, each capitalised or an initial, with an optional trailing comma or dot.
pub fn is_name_like(line: &str) -> bool {
    let t = line.trim().trim_end_matches([',', '.', ';']);
    let ws: Vec<&str> = t.split_whitespace().collect();
    if ws.is_empty() || ws.len() > 5 {
        return false;
    }
    let small = ["and", "&", "de", "von", "van", "du", "la", "le"];
    ws.iter().all(|w| {
        small.contains(&w.to_lowercase().as_str())
            || w.chars().next().is_some_and(|c| c.is_uppercase())
    }) && ws
        .iter()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 1)
        && !t.contains(['?', '!', ':'])
}

/// Classifies one line.
pub fn classify(line: &str, cues: &Cues) -> LineKind {
    if is_addressee(line, cues) {
        LineKind::Addressee
    } else if salute_len(line, cues).is_some_and(|n| n == line.len()) {
        LineKind::Salute
    } else if is_valediction(line, cues) {
        LineKind::Valediction
    } else if is_dateline(line, cues) {
        LineKind::Dateline
    } else if is_signature(line, cues) {
        LineKind::Signature
    } else {
        LineKind::Other
    }
}

/// A postscript start ("P.S.", "PS").
pub fn is_postscript(line: &str, cues: &Cues) -> bool {
    let lower = line.to_lowercase();
    cues.postscript_prefixes
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;

    #[test]
    fn cuts_blocks() {
        let t = "a\nb  \n\n\nc\n";
        let b = blocks(t);
        assert_eq!(b.len(), 2);
        assert_eq!(&t[b[0].span.clone()], "a\nb");
        assert_eq!(&t[b[1].lines[0].clone()], "c");
    }

    #[test]
    fn line_kinds() {
        let c = &ENGLISH;
        assert_eq!(classify("London, 3 March 1862", c), LineKind::Dateline);
        assert_eq!(
            classify("Hartley's Town December the 6th", c),
            LineKind::Dateline
        );
        assert_eq!(classify("My dear Madam,", c), LineKind::Salute);
        assert_eq!(classify("Esteemed comrade Sokolov:", c), LineKind::Salute);
        assert_eq!(classify("Dear Sir", c), LineKind::Salute);
        assert_eq!(
            classify("To comrade Lebedev (copy to comrade Petrov):", c),
            LineKind::Addressee
        );
        assert_eq!(classify("With esteem,", c), LineKind::Valediction);
        assert_eq!(classify("Yours faithfully,", c), LineKind::Valediction);
        assert_eq!(classify("J. Smith", c), LineKind::Signature);
        assert_eq!(classify("Signed, M. Harding", c), LineKind::Signature);
        assert_eq!(classify("Dictated to M.V.", c), LineKind::Signature);
        assert_eq!(
            classify("I am working in your behalf with all my heart.", c),
            LineKind::Other
        );
        assert_eq!(salute_len("My dear Madam, I am ashamed of it", c), Some(14));
    }
}
