//! Dates in running text: finding them (month names and abbreviations from the cue table,
//! ordinals, weekdays, numeric and Roman-numeral forms), turning them into ISO 8601, and
//! completing what the text leaves open from what the caller knows.
//!
//! Parsing is context-free. A two-digit year ("9.12.15", "Sept. 4/95") keeps its century
//! unknown ([`PartialDate::short_year`]); a numeric date whose day and month read both ways
//! ("9/12/15" in English: 9 December or September 12) keeps both readings
//! ([`DateMatch::readings`]) and claims only the year. The caller completes them: the century
//! nearest a reference year ([`infer_year`], [`near_year`]), a window set in the sidecar
//! ([`in_window`]), the order the document's unambiguous numeric dates use ([`numeric_order`],
//! [`settle`]).

use super::cues::{Cues, NumericOrder};
use std::ops::Range;

/// A calendar date known to some precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct PartialDate {
    /// The year, when known.
    pub year: Option<i32>,
    /// The month (1-12), when known.
    pub month: Option<u8>,
    /// The day (1-31), when known.
    pub day: Option<u8>,
    /// A two-digit year as written ("15" in "9.12.15") whose century is not known yet; `year`
    /// is `None` until a reference completes it ([`infer_year`], [`near_year`], [`in_window`]).
    pub short_year: Option<u8>,
}

impl PartialDate {
    /// The ISO 8601 form at the known precision: `1922-09-27`, `1922-09`, `1922`, `--09-27`.
    /// `None` when nothing useful is known (only a day, or only a month).
    pub fn iso(&self) -> Option<String> {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
            (Some(y), None, _) => Some(format!("{y:04}")),
            (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
            _ => None,
        }
    }

    /// True when day, month and year are all known.
    pub fn is_full(&self) -> bool {
        self.year.is_some() && self.month.is_some() && self.day.is_some()
    }

    /// True when day, month and a year are written, the year perhaps with two digits only
    /// ("18. 8. 07"): the date is complete as written, though its century may be open.
    pub fn is_written_in_full(&self) -> bool {
        (self.year.is_some() || self.short_year.is_some())
            && self.month.is_some()
            && self.day.is_some()
    }

    /// Parses an ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub fn parse_iso(s: &str) -> Option<PartialDate> {
        let mut it = s.trim().split('-');
        let year = it.next()?.parse::<i32>().ok()?;
        let month = match it.next() {
            Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match it.next() {
            Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        Some(PartialDate {
            year: Some(year),
            month,
            day,
            short_year: None,
        })
    }
}

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// Byte range in the searched text.
    pub span: Range<usize>,
    /// What it says.
    pub date: PartialDate,
    /// The weekday named with it (0 = the table's first weekday), if any.
    pub weekday: Option<usize>,
    /// For a numeric date with a numeric month, the order its day and month were read in when
    /// only one reading is possible (by the language's convention, or because one field is
    /// over 12); `None` for named and Roman months and for ambiguous dates.
    pub order: Option<NumericOrder>,
    /// Both readings of a numeric date whose day and month can be read either way and nothing
    /// decides ("9/12/15" in English): day first, then month first. `date` then holds only what
    /// they share (the year); [`settle`] picks one when the document's convention is known.
    pub readings: Option<[PartialDate; 2]>,
}

/// What a date parser found at one position: the date, and for numeric dates how the order
/// was decided.
struct Read {
    date: PartialDate,
    order: Option<NumericOrder>,
    readings: Option<[PartialDate; 2]>,
}

impl Read {
    fn named(date: PartialDate) -> Read {
        Read {
            date,
            order: None,
            readings: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if c.is_ascii_digit() {
            Kind::Num
        } else if c.is_alphabetic() {
            Kind::Word
        } else {
            toks.push(Tok {
                kind: Kind::Punct,
                start: i,
                end: i + c.len_utf8(),
            });
            continue;
        };
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            let same = match kind {
                Kind::Num => d.is_ascii_digit(),
                _ => d.is_alphabetic(),
            };
            if !same {
                break;
            }
            end = j + d.len_utf8();
            it.next();
        }
        toks.push(Tok {
            kind,
            start: i,
            end,
        });
    }
    toks
}

/// The month (1-12) a word names: a full name, or an abbreviation that starts with the
/// name's first three letters and continues with letters taken in order from the rest of it
/// ("Decr", "Augst", "Febry", "Novr"). The word must be capitalised.
pub fn month_of(word: &str, cues: &Cues) -> Option<u8> {
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let w = word.to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    for (i, m) in cues.months.iter().enumerate() {
        if w == *m {
            return Some(i as u8 + 1);
        }
    }
    for (i, m) in cues.months.iter().enumerate() {
        let mut mc = m.chars();
        let mut wc = w.chars();
        let mut ok = true;
        for _ in 0..3 {
            if mc.next() != wc.next() {
                ok = false;
                break;
            }
        }
        if !ok {
            continue;
        }
        // The rest of the word must be a subsequence of the rest of the month name ("Decr",
        // "Jany", "Febry"); "Mary" is not March.
        let rest: Vec<char> = mc.collect();
        let mut pos = 0;
        let wrest: Vec<char> = wc.collect();
        let mut good = true;
        for ch in &wrest {
            match rest[pos..].iter().position(|r| r == ch) {
                Some(p) => pos += p + 1,
                None => {
                    good = false;
                    break;
                }
            }
        }
        // Avoid taking "Mar" for May or words like "Mayor": only when the full name is longer.
        if good && w.len() <= m.len() + 1 {
            return Some(i as u8 + 1);
        }
    }
    // "Mch", "Apl", "Jly": the first letter, then two or three consonants taken in order from
    // the rest of the name (a word with a vowel after its first letter is not so abbreviated)
    let wc: Vec<char> = w.chars().collect();
    if (3..=4).contains(&wc.len())
        && wc[1..]
            .iter()
            .all(|c| c.is_alphabetic() && !"aeiouäöü".contains(*c))
    {
        for (i, m) in cues.months.iter().enumerate() {
            let mc: Vec<char> = m.chars().collect();
            if mc.len() < 4 || mc[0] != wc[0] {
                continue;
            }
            let mut pos = 1;
            let fits = wc[1..]
                .iter()
                .all(|ch| match mc[pos..].iter().position(|r| r == ch) {
                    Some(p) => {
                        pos += p + 1;
                        true
                    }
                    None => false,
                });
            if fits {
                return Some(i as u8 + 1);
            }
        }
    }
    None
}

fn weekday_of(word: &str, cues: &Cues) -> Option<usize> {
    let w = word.to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    cues.weekdays
        .iter()
        .position(|d| *d == w || (w.len() >= 3 && d.starts_with(&w) && w.len() <= 4))
}

struct Cursor<'a> {
    text: &'a str,
    toks: &'a [Tok],
}

impl<'a> Cursor<'a> {
    fn tok(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(k)
    }
    fn s(&self, k: usize) -> &'a str {
        self.toks
            .get(k)
            .map(|t| &self.text[t.start..t.end])
            .unwrap_or("")
    }
    fn adjacent(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }
    fn gap_has_newline(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => self.text[x.end..y.start].contains('\n'),
            _ => true,
        }
    }
}

/// Parses a day number at token `k`, with its ordinal suffix; returns (day, next token).
fn day_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(u8, usize)> {
    let t = c.tok(k)?;
    if t.kind != Kind::Num || t.end - t.start > 2 {
        return None;
    }
    let d: u8 = c.s(k).parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let mut n = k + 1;
    // "6th", "13 th", "18.th", "21.st"
    let is_ord = |s: &str| cues.ordinals.contains(&s.to_lowercase().as_str());
    if c.tok(n).is_some_and(|t| t.kind == Kind::Word) && is_ord(c.s(n)) && !c.gap_has_newline(k, n)
    {
        n += 1;
    } else if c.s(n) == "."
        && c.adjacent(k, n)
        && c.tok(n + 1).is_some_and(|t| t.kind == Kind::Word)
        && c.adjacent(n, n + 1)
        && is_ord(c.s(n + 1))
    {
        n += 2;
    }
    Some((d, n))
}

/// Parses a month word at `k` with its abbreviation dot and superscript-like tail ("Nov.r").
fn month_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(u8, usize)> {
    let t = c.tok(k)?;
    if t.kind != Kind::Word {
        return None;
    }
    let m = month_of(c.s(k), cues)?;
    let mut n = k + 1;
    // "Feb'y", "Sep't": an apostrophe and a short lower-case tail glued to the month
    if matches!(c.s(n), "'" | "’")
        && c.adjacent(k, n)
        && c.adjacent(n, n + 1)
        && c.tok(n + 1).is_some_and(|t| t.kind == Kind::Word)
        && c.s(n + 1).len() <= 2
        && c.s(n + 1).chars().all(|ch| ch.is_lowercase())
    {
        n += 2;
    }
    if c.s(n) == "." && c.adjacent(k, n) {
        n += 1;
        if c.tok(n).is_some_and(|t| t.kind == Kind::Word)
            && c.adjacent(n - 1, n)
            && c.s(n).len() <= 2
            && c.s(n).chars().all(|ch| ch.is_lowercase())
        {
            n += 1;
        }
    }
    Some((m, n))
}

/// A day and month ending at `e`, with the year that follows when there is one.
fn day_month_year(c: &Cursor, d: u8, m: u8, e: usize, cues: &Cues) -> (Read, usize) {
    let found = slashed_year_at(c, e)
        .or_else(|| short_year_at(c, e, cues))
        .or_else(|| year_at(c, e).map(|(y, e2)| (Year::Full(y), e2)));
    let (year, end) = match found {
        Some((y, e2)) => (Some(y), e2),
        None => (None, e),
    };
    let mut date = PartialDate {
        month: Some(m),
        day: Some(d),
        ..Default::default()
    };
    if let Some(y) = year {
        y.set(&mut date);
    }
    (Read::named(date), end)
}

/// The hundred-year window a two-digit year is read in when nothing else tells its century
/// and the sidecar does not set one ("97" is 1897, "05" is 1905): abbreviated years are a habit
/// of 19th- and early 20th-century writers. A default, not a reading: the encoder says when
/// it used it.
pub const DEFAULT_TWO_DIGIT_WINDOW: i32 = 1830;

/// A year as written.
#[derive(Debug, Clone, Copy)]
enum Year {
    /// Four digits, or three with the leading "1" dropped ("893" is 1893, "903" is 1903).
    Full(i32),
    /// Two digits: the century is not written.
    Short(u8),
}

impl Year {
    /// The year written with `digits` digits.
    fn written(value: i32, digits: usize) -> Option<Year> {
        match digits {
            4 if (500..=2199).contains(&value) => Some(Year::Full(value)),
            3 if value >= 500 => Some(Year::Full(1000 + value)),
            2 => u8::try_from(value).ok().map(Year::Short),
            _ => None,
        }
    }

    fn set(self, d: &mut PartialDate) {
        match self {
            Year::Full(y) => d.year = Some(y),
            Year::Short(y) => d.short_year = Some(y),
        }
    }
}

/// A year joined to the day by a slash or written with an apostrophe: "Sept. 4/95",
/// "Oct. 11/1899", "Mar. 4 '95", "Mar. 4, ’95".
fn slashed_year_at(c: &Cursor, k: usize) -> Option<(Year, usize)> {
    let (yk, slash) = match c.s(k) {
        "/" if k > 0 && c.adjacent(k - 1, k) && c.adjacent(k, k + 1) => (k + 1, true),
        "'" | "’" if c.adjacent(k, k + 1) && k > 0 && !c.gap_has_newline(k - 1, k) => {
            (k + 1, false)
        }
        "," if matches!(c.s(k + 1), "'" | "’") && c.adjacent(k + 1, k + 2) => (k + 2, false),
        // "Apl.11-1896": a four-digit year joined by a hyphen
        "-" if k > 0 && c.adjacent(k - 1, k) && c.adjacent(k, k + 1) => {
            let t = c.tok(k + 1)?;
            if t.kind != Kind::Num || t.end - t.start != 4 || glued_word(c, k + 1) {
                return None;
            }
            let y = Year::written(c.s(k + 1).parse().ok()?, 4)?;
            return Some((y, k + 2));
        }
        _ => return None,
    };
    let t = c.tok(yk)?;
    let len = t.end - t.start;
    if t.kind != Kind::Num || !(len == 2 || (slash && len == 4)) || glued_word(c, yk) {
        return None;
    }
    let v: i32 = c.s(yk).parse().ok()?;
    Some((Year::written(v, len)?, yk + 1))
}

/// True when the token after `k` is a word glued to it ("95 Gulden" is not, "12h" is).
fn glued_word(c: &Cursor, k: usize) -> bool {
    c.tok(k + 1).is_some_and(|n| n.kind == Kind::Word) && c.adjacent(k, k + 1)
}

/// True when the number at `k` continues as a longer dotted or slashed number
/// ("1.2.3.4", "9/12/15/3"), or a time ("9.12.15:30").
fn continues_number(c: &Cursor, k: usize) -> bool {
    matches!(c.s(k + 1), "." | "/" | ":")
        && c.adjacent(k, k + 1)
        && c.tok(k + 2).is_some_and(|t| t.kind == Kind::Num)
        && c.adjacent(k + 1, k + 2)
}

/// An abbreviated year right after a day and month on the same line, for tables that use
/// them (`numeric_dots`): "7 Juni 893", "3. Mai 95", "Graz, 4. Juli 01".
fn short_year_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(Year, usize)> {
    if !cues.numeric_dots {
        return closing_short_year_at(c, k);
    }
    let mut k = k;
    if matches!(c.s(k), "," | ".") {
        k += 1;
    }
    let t = c.tok(k)?;
    let len = t.end - t.start;
    if t.kind != Kind::Num || !(2..=3).contains(&len) || k == 0 || c.gap_has_newline(k - 1, k) {
        return None;
    }
    // "3. Mai 95 Gulden", "3. 5. 12h": a word glued or following is not a year
    if glued_word(c, k) {
        return None;
    }
    let v: i32 = c.s(k).parse().ok()?;
    Some((Year::written(v, len)?, k + 1))
}

/// For the other tables, a two-digit year that ends the date's line after a named month and
/// its day: "Jan. 5th 94", "May 23.th 79", "Oct 28th, 07", "May 11th /73", "Apr. 12th / 03.",
/// "June 11th. 16", "Sep 4th - 76". Nothing but punctuation may follow it on the line ("May 5 10 men", "Feb 19, 6 PM" and
/// "May 10 11.30" are not years).
fn closing_short_year_at(c: &Cursor, k: usize) -> Option<(Year, usize)> {
    let mut k = k;
    if matches!(c.s(k), "," | "/" | "." | "-" | "–") && !(k > 0 && c.gap_has_newline(k - 1, k)) {
        k += 1;
    }
    let t = c.tok(k)?;
    if t.kind != Kind::Num || t.end - t.start != 2 || k == 0 || c.gap_has_newline(k - 1, k) {
        return None;
    }
    if glued_word(c, k) || continues_number(c, k) || time_follows(c, k) {
        return None;
    }
    // the rest of the line: punctuation only
    let mut j = k + 1;
    while let Some(n) = c.tok(j) {
        if c.gap_has_newline(j - 1, j) {
            break;
        }
        if n.kind != Kind::Punct || matches!(c.s(j), "$" | "£" | "#" | "%") {
            return None;
        }
        j += 1;
    }
    let v: i32 = c.s(k).parse().ok()?;
    Some((Year::written(v, 2)?, k + 1))
}

/// A Roman-numeral month ("XI", "III"), capitals only.
fn roman_month(s: &str) -> Option<u8> {
    const ROMAN: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    ROMAN.iter().position(|r| *r == s).map(|i| i as u8 + 1)
}

/// The number of days month `m` can have (February 29).
fn days_in(m: u8) -> u8 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day `d` of month `m`, when such a day exists.
fn day_month(d: u8, m: u8) -> Option<PartialDate> {
    ((1..=12).contains(&m) && (1..=days_in(m)).contains(&d)).then_some(PartialDate {
        month: Some(m),
        day: Some(d),
        ..Default::default()
    })
}

/// The readings of two numeric fields `a` and `b` (day and month in some order) under the
/// table's convention: one reading when the convention or an impossible field decides, both
/// when they do not.
fn read_fields(a: u8, b: u8, order: NumericOrder) -> Option<Read> {
    let day_first = day_month(a, b);
    let month_first = day_month(b, a);
    let one = |date: PartialDate, o: NumericOrder| Read {
        date,
        order: Some(o),
        readings: None,
    };
    match (order, day_first, month_first) {
        (NumericOrder::DayFirst, Some(d), _) => Some(one(d, NumericOrder::DayFirst)),
        (NumericOrder::MonthFirst, _, Some(d)) => Some(one(d, NumericOrder::MonthFirst)),
        (NumericOrder::Either, Some(d), Some(_)) if a == b => Some(one(d, NumericOrder::Either)),
        (NumericOrder::Either, Some(d), Some(m)) => Some(Read {
            date: PartialDate::default(),
            order: None,
            readings: Some([d, m]),
        }),
        (NumericOrder::Either, Some(d), None) => Some(one(d, NumericOrder::DayFirst)),
        (NumericOrder::Either, None, Some(m)) => Some(one(m, NumericOrder::MonthFirst)),
        _ => None,
    }
}

/// Day-first numeric dates of the `numeric_dots` tables, from the token after the day (`n`):
/// "5. 7. 92", "4/XI. 92", "12. III 97", "8 X 1899", "5/2 99", "11/4", "6ten 11.",
/// "2. 5. 901". The month is a number (after a dot or slash) or a Roman numeral; the year,
/// on the same line, has two to four digits.
fn numeric_day_first(c: &Cursor, d: u8, n: usize, ordinal: bool) -> Option<(Read, usize)> {
    let sep = matches!(c.s(n), "." | "/");
    let mk = if sep { n + 1 } else { n };
    let sep = sep || ordinal;
    let t = c.tok(mk)?;
    if mk > 0 && c.gap_has_newline(mk - 1, mk) {
        return None;
    }
    let (m, roman) = match t.kind {
        Kind::Num if sep && t.end - t.start <= 2 => (c.s(mk).parse::<u8>().ok()?, false),
        Kind::Word => (roman_month(c.s(mk))?, true),
        _ => return None,
    };
    if !(1..=12).contains(&m) {
        return None;
    }
    // "5/2": a slash joins the numbers without spaces
    if c.s(n) == "/" && !(c.adjacent(n - 1, n) && c.adjacent(n, mk)) {
        return None;
    }
    let mut e = mk + 1;
    let dot_after = c.s(e) == ".";
    if dot_after {
        e += 1;
    }
    let mut year = None;
    if let Some(yt) = c.tok(e) {
        let len = yt.end - yt.start;
        if yt.kind == Kind::Num && !c.gap_has_newline(e - 1, e) && !glued_word(c, e) {
            let v: i32 = c.s(e).parse().ok()?;
            year = Year::written(v, len);
            if year.is_some() {
                e += 1;
            }
        }
    }
    // "12 I" without a dot or slash and without a year is a house number and a floor
    if roman && !sep && year.is_none() {
        return None;
    }
    // a bare "3. 5" with neither a closing dot nor a year is a list or a time
    if !roman && year.is_none() && !dot_after && c.s(n) == "." {
        return None;
    }
    if !dot_after && year.is_none() {
        e = mk + 1;
    }
    let mut date = day_month(d, m)?;
    if let Some(y) = year {
        y.set(&mut date);
    }
    let order = (!roman).then_some(NumericOrder::DayFirst);
    Some((
        Read {
            date,
            order,
            readings: None,
        },
        e,
    ))
}

/// A numeric date of three fields for the other tables: "9.12.15", "9/12/1915", "9. 12. 15",
/// "9/XI. 92", "9. XI. 1892". The fields are joined by one kind of separator (dots may be
/// followed by a space, slashes join without one); the year has two to four digits and is
/// required. A Roman month decides the order; with a numeric month the table's convention or
/// an impossible field (over 12) decides, else both readings are kept. Money ("£3.3.6"), longer
/// dotted numbers and times are not dates.
fn numeric_three(c: &Cursor, k: usize, cues: &Cues) -> Option<(Read, usize)> {
    let t = c.tok(k)?;
    if t.kind != Kind::Num || t.end - t.start > 2 {
        return None;
    }
    if k > 0 {
        let before = c.s(k - 1);
        let money = matches!(before, "£" | "$" | "€" | "#" | "№");
        let inside = matches!(before, "." | "/" | ":" | "-")
            && c.adjacent(k - 1, k)
            && k >= 2
            && c.tok(k - 2).is_some_and(|p| p.kind == Kind::Num);
        if money || inside {
            return None;
        }
    }
    let sep = c.s(k + 1);
    if !matches!(sep, "." | "/") || !c.adjacent(k, k + 1) {
        return None;
    }
    // after a dot one space may follow; a slash joins without one
    let joined = |a: usize, b: usize| match (c.tok(a), c.tok(b)) {
        (Some(x), Some(y)) => {
            x.end == y.start || (c.s(a) == "." && y.start == x.end + 1 && !c.gap_has_newline(a, b))
        }
        _ => false,
    };
    let bk = k + 2;
    let bt = c.tok(bk)?;
    if !joined(k + 1, bk) {
        return None;
    }
    let a: u8 = c.s(k).parse().ok()?;
    let (read, mut e) = match bt.kind {
        Kind::Word => {
            let m = roman_month(c.s(bk))?;
            let mut e = bk + 1;
            if matches!(c.s(e), "." | "/") && c.adjacent(bk, e) {
                e += 1;
            }
            (Read::named(day_month(a, m)?), e)
        }
        Kind::Num if bt.end - bt.start <= 2 => {
            if c.s(bk + 1) != sep || !c.adjacent(bk, bk + 1) {
                return None;
            }
            let b: u8 = c.s(bk).parse().ok()?;
            (read_fields(a, b, cues.numeric_order)?, bk + 2)
        }
        _ => return None,
    };
    let yt = c.tok(e)?;
    let len = yt.end - yt.start;
    if yt.kind != Kind::Num
        || c.gap_has_newline(e - 1, e)
        || !(2..=4).contains(&len)
        || glued_word(c, e)
        || continues_number(c, e)
        || (sep == "/" && bt.kind == Kind::Num && !c.adjacent(e - 1, e) && len != 4)
    {
        return None;
    }
    let v: i32 = c.s(e).parse().ok()?;
    let year = Year::written(v, len)?;
    let mut read = read;
    year.set(&mut read.date);
    if let Some(rs) = read.readings.as_mut() {
        for r in rs.iter_mut() {
            year.set(r);
        }
    }
    e += 1;
    Some((read, e))
}

/// Parses a year at `k` (3-4 digits, 500-2199), skipping one comma or dot before it.
fn year_at(c: &Cursor, k: usize) -> Option<(i32, usize)> {
    let mut k = k;
    if matches!(c.s(k), "," | ".") {
        k += 1;
    }
    // a year on the next line still counts ("Edinr 24 February\n1824"); three digits ("May 10
    // 893") only on the same line, read as [`Year::written`] reads them
    let t = c.tok(k)?;
    let len = t.end - t.start;
    if t.kind != Kind::Num || !(3..=4).contains(&len) {
        return None;
    }
    if len == 3 && (k == 0 || c.gap_has_newline(k - 1, k)) {
        return None;
    }
    let y = match Year::written(c.s(k).parse().ok()?, len)? {
        Year::Full(y) => y,
        Year::Short(_) => return None,
    };
    // "1820." is fine, "1820s" or "1820-21" is a different thing only when a letter follows;
    // "530 PM", "830 a.m." are times
    if glued_word(c, k) || time_follows(c, k) {
        return None;
    }
    Some((y, k + 1))
}

/// True when the number at `k` is followed by a time of day's marker ("530 PM", "8 30 a.m.",
/// "4 Uhr"): it is an hour, not a year.
fn time_follows(c: &Cursor, k: usize) -> bool {
    let w = c.s(k + 1).to_lowercase();
    if c.tok(k + 1).is_none_or(|t| t.kind != Kind::Word) {
        return false;
    }
    matches!(w.as_str(), "am" | "pm" | "uhr")
        || (matches!(w.as_str(), "a" | "p")
            && c.s(k + 2) == "."
            && c.s(k + 3).eq_ignore_ascii_case("m")
            && c.adjacent(k + 1, k + 2))
}

fn skip_fillers(c: &Cursor, mut k: usize, cues: &Cues) -> usize {
    while c.tok(k).is_some_and(|t| t.kind == Kind::Word)
        && cues.date_fillers.contains(&c.s(k).to_lowercase().as_str())
    {
        k += 1;
    }
    k
}

/// Finds every date in `text`, left to right, non-overlapping.
pub fn find_dates(text: &str, cues: &Cues) -> Vec<DateMatch> {
    let toks = tokenize(text);
    let c = Cursor { text, toks: &toks };
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        if let Some((read, weekday, end)) = match_at(&c, k, cues) {
            let span = toks[k].start..toks[end - 1].end;
            out.push(DateMatch {
                span,
                date: read.date,
                weekday,
                order: read.order,
                readings: read.readings,
            });
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

fn match_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(Read, Option<usize>, usize)> {
    // optional weekday, optional comma
    let mut weekday = None;
    let mut j = k;
    if c.tok(k).is_some_and(|t| t.kind == Kind::Word)
        && c.s(k).starts_with(|ch: char| ch.is_uppercase())
    {
        if let Some(w) = weekday_of(c.s(k), cues) {
            weekday = Some(w);
            j = k + 1;
            if matches!(c.s(j), "," | ".") {
                j += 1;
            }
        }
    }
    core_at(c, j, cues).map(|(r, e)| (r, weekday, e))
}

fn core_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(Read, usize)> {
    // ISO: 1922-09-27
    if c.tok(k)
        .is_some_and(|t| t.kind == Kind::Num && t.end - t.start == 4)
        && c.s(k + 1) == "-"
        && c.adjacent(k, k + 1)
    {
        if let (Some(m), Some(d)) = (c.tok(k + 2), c.tok(k + 4)) {
            if m.kind == Kind::Num && d.kind == Kind::Num && c.s(k + 3) == "-" {
                let s = &c.text[c.toks[k].start..d.end];
                if let Some(p) = PartialDate::parse_iso(s) {
                    if p.is_full() {
                        return Some((Read::named(p), k + 5));
                    }
                }
            }
        }
    }
    // Day [of] Month [,] [Year]
    if let Some((d, n)) = day_at(c, k, cues) {
        let n2 = skip_fillers(c, n, cues);
        let n2 = if c.s(n2) == "." && !cues.numeric_dots {
            n2 + 1
        } else {
            n2
        };
        if let Some((m, e)) = month_at(c, n2, cues) {
            return Some(day_month_year(c, d, m, e, cues));
        }
        if cues.numeric_dots {
            if let Some(found) = numeric_day_first(c, d, n, n > k + 1) {
                return Some(found);
            }
        } else if let Some(found) = numeric_three(c, k, cues) {
            return Some(found);
        }
        if cues.numeric_dots && c.s(n) == "." {
            // "14. Juli 1892"
            if let Some((m, e)) = month_at(c, n + 1, cues) {
                return Some(day_month_year(c, d, m, e, cues));
            }
        }
    }
    // Month [the] Day [,|.] [Year]   or   Month Year
    if let Some((m, n)) = month_at(c, k, cues) {
        let n2 = skip_fillers(c, n, cues);
        // "Sep- 28", "Oct— 3d", "SEP -9 1913": a dash against the month or the day
        let n2 = if matches!(c.s(n2), "-" | "–" | "—")
            && (c.adjacent(n2 - 1, n2) || c.adjacent(n2, n2 + 1))
            && !c.gap_has_newline(n2 - 1, n2 + 1)
            && c.tok(n2 + 1).is_some_and(|t| t.kind == Kind::Num)
        {
            n2 + 1
        } else {
            n2
        };
        if let Some((d, e)) = day_at(c, n2, cues) {
            return Some(day_month_year(c, d, m, e, cues));
        }
        if let Some((y, e)) = year_at(c, n) {
            return Some((
                Read::named(PartialDate {
                    year: Some(y),
                    month: Some(m),
                    ..Default::default()
                }),
                e,
            ));
        }
    }
    None
}

/// A standalone year ("1828") when it is the whole of `line` apart from punctuation.
pub fn year_only(line: &str) -> Option<i32> {
    let t = line.trim().trim_end_matches(['.', ',']);
    if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = t.parse().ok()?;
        if (500..=2199).contains(&y) {
            return Some(y);
        }
    }
    None
}

/// The year ending in `yy` nearest to `reference` (an earlier one on a tie): "15" near 1892 is
/// 1915, near 1850 it is 1815.
pub fn nearest_year(yy: u8, reference: i32) -> i32 {
    let base = reference - reference.rem_euclid(100) + yy as i32;
    [base - 100, base, base + 100]
        .into_iter()
        .min_by_key(|y| ((y - reference).abs(), *y))
        .unwrap_or(base)
}

/// Fills a missing year from a reference date. A two-digit year gets the century nearest the
/// reference's year ("2. 8. 18" beside a letter of 1917 is 1918). A date without a year gets
/// the year that puts it closest after (or shortly before) the reference: "Monday, October 2"
/// in a letter of 27 September 1922 is 2 October 1922.
pub fn infer_year(d: PartialDate, reference: PartialDate) -> PartialDate {
    if d.year.is_some() {
        return d;
    }
    if let Some(yy) = d.short_year {
        return match reference.year {
            Some(ry) => PartialDate {
                year: Some(nearest_year(yy, ry)),
                ..d
            },
            None => d,
        };
    }
    let (Some(ry), Some(rm)) = (reference.year, reference.month) else {
        return d;
    };
    let Some(m) = d.month else { return d };
    // a month more than 6 months before the reference month belongs to the next year
    let diff = m as i32 - rm as i32;
    let year = if diff < -6 {
        ry + 1
    } else if diff > 6 {
        ry - 1
    } else {
        ry
    };
    PartialDate {
        year: Some(year),
        ..d
    }
}

/// Completes `d` from a year its context names (the one year a letter mentions, a year the
/// narrative gives): a two-digit year gets the century nearest `year`; a day and month without
/// any year take `year` itself. A date that has its year is returned as it is.
pub fn near_year(d: PartialDate, year: i32) -> PartialDate {
    match (d.year, d.short_year) {
        (Some(_), _) => d,
        (None, Some(yy)) => PartialDate {
            year: Some(nearest_year(yy, year)),
            ..d
        },
        (None, None) if d.month.is_some() => PartialDate {
            year: Some(year),
            ..d
        },
        _ => d,
    }
}

/// Reads a two-digit year in the hundred years from `start` ("97" from 1830 is 1897, "05" is
/// 1905); see [`DEFAULT_TWO_DIGIT_WINDOW`]. Other dates are returned as they are.
pub fn in_window(d: PartialDate, start: i32) -> PartialDate {
    match (d.year, d.short_year) {
        (None, Some(yy)) => {
            let y = start - start.rem_euclid(100) + yy as i32;
            PartialDate {
                year: Some(if y < start { y + 100 } else { y }),
                ..d
            }
        }
        _ => d,
    }
}

/// The order a document writes numeric dates in, read from its dates that only one order fits
/// ("13/5/15", "5/13/15"): `Some` when they all agree, `None` when there are none or they
/// disagree. The table's convention counts as a decision (German dates are day first).
pub fn numeric_order(found: &[DateMatch]) -> Option<NumericOrder> {
    let mut seen = None;
    for m in found {
        match (m.order, seen) {
            (Some(NumericOrder::Either) | None, _) => {}
            (Some(o), None) => seen = Some(o),
            (Some(o), Some(s)) if o != s => return None,
            _ => {}
        }
    }
    seen
}

/// The date of `m` read in `order` when it is ambiguous and the order is known; its date as
/// found otherwise.
pub fn settle(m: &DateMatch, order: Option<NumericOrder>) -> PartialDate {
    m.readings
        .and_then(|rs| reading_in(rs, order))
        .unwrap_or(m.date)
}

/// The one of two readings (day first, month first) that `order` picks, if it picks one.
pub fn reading_in(readings: [PartialDate; 2], order: Option<NumericOrder>) -> Option<PartialDate> {
    match order {
        Some(NumericOrder::DayFirst) => Some(readings[0]),
        Some(NumericOrder::MonthFirst) => Some(readings[1]),
        _ => None,
    }
}

/// The weekday (0 = Monday) written with the date of `m` on `line` (`m` found in `line`): the
/// one the match itself read ("Monday, October 2"), else a weekday among the two words just
/// before it ("Friday night Aug. 29/28", "Montag Abend 3. 5.").
pub fn weekday_written(line: &str, m: &DateMatch, cues: &Cues) -> Option<usize> {
    let table = match m.weekday {
        Some(w) => Some(w),
        None => line[..m.span.start]
            .split_whitespace()
            .rev()
            .take(2)
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
            .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
            .find_map(|w| weekday_of(w, cues)),
    }?;
    // the tables list the seven days from Monday; an eighth name is Saturday's ("Sonnabend")
    Some(if table >= 7 { 5 } else { table })
}

/// The year of `d` (a day and month, a two-digit year perhaps) that fits the weekday `wd`
/// (0 = Monday) among `candidates`, when exactly one does. A two-digit year is read in each
/// of the centuries of the candidate years; a day and month without a year take a candidate
/// year itself. `None` when none or several fit, or `d` has its year or lacks day or month.
pub fn year_by_weekday(d: PartialDate, wd: usize, candidates: &[i32]) -> Option<PartialDate> {
    let (None, Some(m), Some(day)) = (d.year, d.month, d.day) else {
        return None;
    };
    if day > days_in(m) {
        return None;
    }
    let mut years: Vec<i32> = candidates
        .iter()
        .map(|&y| match d.short_year {
            Some(yy) => y - y.rem_euclid(100) + yy as i32,
            None => y,
        })
        .filter(|&y| m != 2 || day < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        .filter(|&y| weekday(y, m, day) == wd)
        .collect();
    years.sort_unstable();
    years.dedup();
    match years[..] {
        [y] => Some(PartialDate { year: Some(y), ..d }),
        _ => None,
    }
}

/// Day of the week (0 = Monday) by Zeller-like arithmetic on the proleptic Gregorian calendar.
pub fn weekday(y: i32, m: u8, d: u8) -> usize {
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let w = (y + y / 4 - y / 100 + y / 400 + t[(m - 1) as usize] + d as i32).rem_euclid(7);
    // w: 0 = Sunday
    ((w + 6) % 7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::{ENGLISH, GERMAN};

    fn one(s: &str) -> Option<String> {
        find_dates(s, &ENGLISH).first().and_then(|m| m.date.iso())
    }

    /// The first date of `s` with a two-digit year read in the default window.
    fn windowed(s: &str, cues: &Cues) -> Option<String> {
        find_dates(s, cues)
            .first()
            .and_then(|m| in_window(m.date, DEFAULT_TWO_DIGIT_WINDOW).iso())
    }

    fn ymd(y: i32, m: u8, d: u8) -> PartialDate {
        PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            short_year: None,
        }
    }

    #[test]
    fn english_shapes() {
        assert_eq!(one("London, 3 March 1862").as_deref(), Some("1862-03-03"));
        assert_eq!(one("March 5, 1923.").as_deref(), Some("1923-03-05"));
        assert_eq!(
            one("Hartley's Town December the 6th").as_deref(),
            Some("--12-06")
        );
        assert_eq!(one("London May 30. 1802").as_deref(), Some("1802-05-30"));
        assert_eq!(one("Hotel\nNov.26,1820.").as_deref(), Some("1820-11-26"));
        assert_eq!(one("Nov.r 18.th 1827.").as_deref(), Some("1827-11-18"));
        assert_eq!(one("Augst 2d 1807.").as_deref(), Some("1807-08-02"));
        assert_eq!(
            one("Elmfield Decr. 21 st. 1818").as_deref(),
            Some("1818-12-21")
        );
        assert_eq!(one("31st August 1791").as_deref(), Some("1791-08-31"));
        assert_eq!(one("Feby. 24th. 1811").as_deref(), Some("1811-02-24"));
        assert_eq!(
            one("plenum of July, 1926, substituted").as_deref(),
            Some("1926-07")
        );
        assert_eq!(one("I may go"), None);
        assert_eq!(one("Mayor 12"), None);
        assert_eq!(one("Mary 12"), None);
        assert_eq!(one("Jany 7 1807").as_deref(), Some("1807-01-07"));
        assert_eq!(one("Feb'y 3d, 1883").as_deref(), Some("1883-02-03"));
        // ordinals and abbreviations with stray dots
        assert_eq!(one("Bristol 14th Apr. 1903").as_deref(), Some("1903-04-14"));
        assert_eq!(one("6th. Novr. 1904").as_deref(), Some("1904-11-06"));
        assert_eq!(
            one("Thursday 2nd. Feb. 1905").as_deref(),
            Some("1905-02-02")
        );
    }

    #[test]
    fn abbreviations_dashes_and_times() {
        // consonant abbreviations, capitals, dashes between month and day
        assert_eq!(one("Mch 14 1896").as_deref(), Some("1896-03-14"));
        assert_eq!(one("Pa.Apl.11-1896.").as_deref(), Some("1896-04-11"));
        assert_eq!(one("Jly 4 1900").as_deref(), Some("1900-07-04"));
        assert_eq!(one("SEP -9 1913").as_deref(), Some("1913-09-09"));
        assert_eq!(one("Sep- 28").as_deref(), Some("--09-28"));
        assert_eq!(one("Oct— 3d").as_deref(), Some("--10-03"));
        assert_eq!(one("3/23/ 1896").as_deref(), Some("1896-03-23"));
        assert_eq!(
            find_dates("Berlin, 3. Mrz 1901", &GERMAN)[0]
                .date
                .iso()
                .as_deref(),
            Some("1901-03-03")
        );
        // not months: a vowel after the first letter, or no month's letters
        assert_eq!(one("Set 4 1900"), None);
        assert_eq!(one("Mrs 4 1900"), None);
        // a time after the day is no year; a three-digit year never on the next line
        assert_eq!(one("May 10 530 PM").as_deref(), Some("--05-10"));
        assert_eq!(one("May 10 1030 a.m.").as_deref(), Some("--05-10"));
        assert_eq!(one("Aug 11\n830 AM").as_deref(), Some("--08-11"));
        assert_eq!(one("Aug 11\n893").as_deref(), Some("--08-11"));
        assert_eq!(one("Aug 11 893").as_deref(), Some("1893-08-11"));
        assert_eq!(
            one("Edinr 24 February\n1824").as_deref(),
            Some("1824-02-24")
        );
    }

    #[test]
    fn english_two_digit_years_closing_the_line() {
        let short = |s: &str| {
            find_dates(s, &ENGLISH)
                .into_iter()
                .next()
                .map(|m| (m.date.month, m.date.day, m.date.short_year))
        };
        assert_eq!(
            short("North Bend Neb Jan. 5th 94\nDear"),
            Some((Some(1), Some(5), Some(94)))
        );
        assert_eq!(short("May 23.th 79"), Some((Some(5), Some(23), Some(79))));
        assert_eq!(
            short("Ferrill, Texas Oct 28th, 07"),
            Some((Some(10), Some(28), Some(7)))
        );
        assert_eq!(short("May 11th /73\n"), Some((Some(5), Some(11), Some(73))));
        assert_eq!(short("Apr. 12th / 03."), Some((Some(4), Some(12), Some(3))));
        assert_eq!(short("June. 2d 99"), Some((Some(6), Some(2), Some(99))));
        assert_eq!(short("Sept. 4. 76"), Some((Some(9), Some(4), Some(76))));
        assert_eq!(short("Sep 4th - 76\n"), Some((Some(9), Some(4), Some(76))));
        assert_eq!(short("Feb'y 3d/83"), Some((Some(2), Some(3), Some(83))));
        assert_eq!(short("May 5. 10 men"), Some((Some(5), Some(5), None)));
        // not years: more words, money, times, longer numbers on the line
        assert_eq!(short("May 5 10 men came"), Some((Some(5), Some(5), None)));
        assert_eq!(short("Feb 19, 16 PM"), Some((Some(2), Some(19), None)));
        assert_eq!(short("May 10 11.30"), Some((Some(5), Some(10), None)));
        assert_eq!(short("May 10 11 $"), Some((Some(5), Some(10), None)));
        assert_eq!(short("May 10\n11"), Some((Some(5), Some(10), None)));
    }

    #[test]
    fn english_numeric_and_roman() {
        let first = |s: &str| find_dates(s, &ENGLISH).into_iter().next();
        // a Roman month decides the order; the two-digit year keeps its century open
        let m = first("Bath 4/XI. 93").unwrap();
        assert_eq!(m.date.iso().as_deref(), Some("--11-04"));
        assert_eq!(m.date.short_year, Some(93));
        assert_eq!(m.order, None);
        assert_eq!(one("3. X. 1887").as_deref(), Some("1887-10-03"));
        // a field over 12 decides: day first, or month first
        let m = first("Leeds 21.4.07").unwrap();
        assert_eq!((m.date.day, m.date.month), (Some(21), Some(4)));
        assert_eq!(m.order, Some(NumericOrder::DayFirst));
        let m = first("Boston 4/21/1907").unwrap();
        assert_eq!(m.date.iso().as_deref(), Some("1907-04-21"));
        assert_eq!(m.order, Some(NumericOrder::MonthFirst));
        // both readings possible: nothing is guessed, the year is kept, both readings reported
        let m = first("3/5/07").unwrap();
        assert_eq!(m.date.month, None);
        assert_eq!(m.date.short_year, Some(7));
        let [df, mf] = m.readings.unwrap();
        assert_eq!((df.day, df.month), (Some(3), Some(5)));
        assert_eq!((mf.day, mf.month), (Some(5), Some(3)));
        assert_eq!(settle(&m, Some(NumericOrder::MonthFirst)).month, Some(3));
        assert_eq!(settle(&m, None).month, None);
        // the same number twice reads one way
        assert_eq!(
            first("4.4.1906").map(|m| m.date.iso()),
            Some(Some("1906-04-04".into()))
        );
        // month name with the year after a slash or an apostrophe
        let m = first("Omaha, Oct. 3/98").unwrap();
        assert_eq!(
            (m.date.month, m.date.day, m.date.short_year),
            (Some(10), Some(3), Some(98))
        );
        assert_eq!(one("June 2/1899").as_deref(), Some("1899-06-02"));
        assert_eq!(first("Mar. 7 '02").unwrap().date.short_year, Some(2));
        // not dates: money, times, fractions, longer dotted numbers, impossible days
        assert_eq!(one("it cost £3.3.06 in all"), None);
        assert_eq!(one("at 9.30 or 10.15"), None);
        assert_eq!(one("3/4 of a mile"), None);
        assert_eq!(one("section 1.2.3.4"), None);
        assert_eq!(one("31/4/07"), None);
        assert_eq!(one("14/13/07"), None);
    }

    #[test]
    fn weekday_and_inference() {
        let m = &find_dates("I arrive Monday, October 2. I", &ENGLISH)[0];
        assert_eq!(m.weekday, Some(0));
        let r = ymd(1922, 9, 27);
        assert_eq!(infer_year(m.date, r).iso().as_deref(), Some("1922-10-02"));
        assert_eq!(weekday(1922, 10, 2), 0);
        let jan = PartialDate {
            month: Some(1),
            day: Some(3),
            ..Default::default()
        };
        assert_eq!(infer_year(jan, ymd(1922, 12, 30)).year, Some(1923));
        // a weekday alone, or a month alone, is no date
        assert!(find_dates("Tuesday evening", &ENGLISH).is_empty());
        assert!(find_dates("in March we went", &ENGLISH).is_empty());
    }

    #[test]
    fn weekday_picks_the_year() {
        let line = "Hartleytown, Friday night Aug. 29/28";
        let m = &find_dates(line, &ENGLISH)[0];
        assert_eq!(m.weekday, None);
        assert_eq!(weekday_written(line, m, &ENGLISH), Some(4));
        // 29 August: a Friday in 1828, not in 1728 or 1928
        let d = year_by_weekday(m.date, 4, &[1828, 1928, 2028]);
        assert_eq!(d.and_then(|d| d.iso()).as_deref(), Some("1828-08-29"));
        // 19 June: a Friday in 1903 and 1914; among 1902 and 1903 only one fits
        let line = "Freitag 19. Juni";
        let m = &find_dates(line, &GERMAN)[0];
        assert_eq!(weekday_written(line, m, &GERMAN), Some(4));
        let one = year_by_weekday(m.date, 4, &[1902, 1903]);
        assert_eq!(one.and_then(|d| d.iso()).as_deref(), Some("1903-06-19"));
        assert_eq!(year_by_weekday(m.date, 4, &[1903, 1914]), None);
        assert_eq!(year_by_weekday(m.date, 4, &[1902]), None);
        // "Sonnabend" is Saturday
        let line = "Sonnabend, 3. Mai";
        let m = &find_dates(line, &GERMAN)[0];
        assert_eq!(weekday_written(line, m, &GERMAN), Some(5));
        // no weekday, or a weekday far before the date
        let line = "Monday we left, and on the 3d of May";
        let m = &find_dates(line, &ENGLISH)[0];
        assert_eq!(weekday_written(line, m, &ENGLISH), None);
    }

    #[test]
    fn two_digit_years_take_the_nearest_century() {
        assert_eq!(nearest_year(15, 1892), 1915);
        assert_eq!(nearest_year(15, 1850), 1815);
        assert_eq!(nearest_year(99, 1901), 1899);
        assert_eq!(nearest_year(2, 1898), 1902);
        assert_eq!(nearest_year(50, 1900), 1850);
        let d = find_dates("Corby 18.12.05", &ENGLISH)[0].date;
        assert_eq!(d.year, None);
        assert_eq!(d.iso().as_deref(), Some("--12-18"));
        assert_eq!(
            infer_year(d, ymd(1904, 1, 1)).iso().as_deref(),
            Some("1905-12-18")
        );
        assert_eq!(near_year(d, 1790).iso().as_deref(), Some("1805-12-18"));
        assert_eq!(in_window(d, 1830).iso().as_deref(), Some("1905-12-18"));
        assert_eq!(in_window(d, 1910).iso().as_deref(), Some("2005-12-18"));
        // no reference: the century stays unknown
        assert_eq!(infer_year(d, PartialDate::default()), d);
        // a date that has its year keeps it; one without takes the named year
        assert_eq!(near_year(ymd(1801, 2, 3), 1950), ymd(1801, 2, 3));
        let md = PartialDate {
            month: Some(2),
            day: Some(3),
            ..Default::default()
        };
        assert_eq!(near_year(md, 1950).year, Some(1950));
    }

    #[test]
    fn document_order() {
        let ms = find_dates("13.4.07 and later 3.5.07", &ENGLISH);
        assert_eq!(numeric_order(&ms), Some(NumericOrder::DayFirst));
        assert_eq!(settle(&ms[1], numeric_order(&ms)).month, Some(5));
        let mixed = find_dates("13.4.07 and 4/13/07", &ENGLISH);
        assert_eq!(numeric_order(&mixed), None);
        assert_eq!(numeric_order(&find_dates("3 May 1907", &ENGLISH)), None);
    }

    #[test]
    fn german_shapes() {
        let f = |s: &str| windowed(s, &GERMAN);
        assert_eq!(f("Wien, 14. 7. 92").as_deref(), Some("1892-07-14"));
        assert_eq!(f("Wien, 14. Juli 1892").as_deref(), Some("1892-07-14"));
        assert_eq!(f("Sonntag 16. 8. Vormittag").as_deref(), Some("--08-16"));
        assert_eq!(f("7 Juni 893").as_deref(), Some("1893-06-07"));
        assert_eq!(f("4/XI. 92").as_deref(), Some("1892-11-04"));
        assert_eq!(
            f("Graz IV. Marktgasse No 4, den 12. III 97.").as_deref(),
            Some("1897-03-12")
        );
        assert_eq!(f("Oberdorf 8 X 1899").as_deref(), Some("1899-10-08"));
        assert_eq!(f("2 XII 900").as_deref(), Some("1900-12-02"));
        assert_eq!(f("Graz, 2. 5. 901.").as_deref(), Some("1901-05-02"));
        assert_eq!(f("5/2 99").as_deref(), Some("1899-02-05"));
        assert_eq!(f("11/4").as_deref(), Some("--04-11"));
        assert_eq!(f("Graz 6ten 11.").as_deref(), Some("--11-06"));
        assert_eq!(f("Linz, 21ter Juli").as_deref(), Some("--07-21"));
        assert_eq!(f("Linz, 4. Juli 01").as_deref(), Some("1901-07-04"));
        assert_eq!(f("d. 3. Mai 1890").as_deref(), Some("1890-05-03"));
        assert_eq!(f("Graz, 2. 8. 18").as_deref(), Some("1918-08-02"));
        assert_eq!(f("12. I.").as_deref(), Some("--01-12"));
        assert_eq!(f("Seebad, 4/7. 906").as_deref(), Some("1906-07-04"));
        assert_eq!(f("21/III 1913").as_deref(), Some("1913-03-21"));
        // day first by the language's convention, two-digit years left open by the parser
        let m = &find_dates("Wien, 3. 5. 92", &GERMAN)[0];
        assert_eq!(m.order, Some(NumericOrder::DayFirst));
        assert_eq!((m.date.year, m.date.short_year), (None, Some(92)));
        // house numbers, floors and times are not dates
        assert_eq!(f("IV. Marktgasse 1"), None);
        assert_eq!(f("Hauptstrasse 12 I. Stock"), None);
        assert_eq!(f("um 3. 5 Uhr"), None);
        assert_eq!(f("für 1/2 Stunde"), Some("--02-01".to_string()));
    }

    #[test]
    fn years_as_written() {
        let y = |v, n| match Year::written(v, n) {
            Some(Year::Full(y)) => Some(y),
            Some(Year::Short(s)) => Some(-(s as i32)),
            None => None,
        };
        assert_eq!(y(893, 3), Some(1893));
        assert_eq!(y(901, 3), Some(1901));
        assert_eq!(y(92, 2), Some(-92));
        assert_eq!(y(1892, 4), Some(1892));
        assert_eq!(y(5, 1), None);
        assert_eq!(
            in_window(
                PartialDate {
                    short_year: Some(30),
                    ..Default::default()
                },
                1830
            )
            .year,
            Some(1830)
        );
        assert_eq!(
            in_window(
                PartialDate {
                    short_year: Some(29),
                    ..Default::default()
                },
                1830
            )
            .year,
            Some(1929)
        );
    }
}
