//! Dates in running text: finding them (month names and abbreviations from the cue table,
//! ordinals, weekdays, numeric forms), turning them into ISO 8601, inferring a missing year.

use super::cues::Cues;
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
    i: usize,
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
fn day_month_year(c: &Cursor, d: u8, m: u8, e: usize, cues: &Cues) -> (PartialDate, usize) {
    let found = short_year_at(c, e, cues).or_else(|| year_at(c, e));
    let (year, end) = match found {
        Some((y, e2)) => (Some(y), e2),
        None => (None, e),
    };
    let date = PartialDate {
        year,
        month: Some(m),
        day: Some(d),
    };
    (date, end)
}

/// The first year of the 100-year window in which a two-digit year is read ("14. 7. 92" is
/// 1892, "2. 8. 18" is 1918): abbreviated years are a habit of 19th- and early 20th-century
/// writers, so `yy` is `18yy` from 30 up and `19yy` below.
pub const TWO_DIGIT_WINDOW_START: i32 = 1830;

/// Expands an abbreviated year as written with `digits` digits: a three-digit year drops the
/// leading "1" ("887" is 1887, "903" is 1903); a two-digit year is read in the window that
/// starts at [`TWO_DIGIT_WINDOW_START`].
pub fn expand_year(value: i32, digits: usize) -> Option<i32> {
    match digits {
        4 => Some(value),
        3 if value >= 100 => Some(1000 + value),
        2 => {
            let base = TWO_DIGIT_WINDOW_START - TWO_DIGIT_WINDOW_START.rem_euclid(100);
            let y = base + value;
            Some(if y < TWO_DIGIT_WINDOW_START {
                y + 100
            } else {
                y
            })
        }
        _ => None,
    }
}

/// An abbreviated year right after a day and month on the same line, for tables that use
/// them (`numeric_dots`): "7 Juni 893", "3. Mai 95", "Graz, 4. Juli 01".
fn short_year_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(i32, usize)> {
    if !cues.numeric_dots {
        return None;
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
    if c.tok(k + 1).is_some_and(|n| n.kind == Kind::Word) && c.adjacent(k, k + 1) {
        return None;
    }
    let v: i32 = c.s(k).parse().ok()?;
    Some((expand_year(v, len)?, k + 1))
}

/// A Roman-numeral month ("XI", "III"), capitals only.
fn roman_month(s: &str) -> Option<u8> {
    const ROMAN: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    ROMAN.iter().position(|r| *r == s).map(|i| i as u8 + 1)
}

/// Day-first numeric dates of the `numeric_dots` tables, from the token after the day (`n`):
/// "5. 7. 92", "4/XI. 92", "12. III 97", "8 X 1899", "5/2 99", "11/4", "6ten 11.",
/// "2. 5. 901". The month is a number (after a dot or slash) or a Roman numeral; the year,
/// on the same line, has two to four digits.
fn numeric_day_first(c: &Cursor, d: u8, n: usize, ordinal: bool) -> Option<(PartialDate, usize)> {
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
        let glued = c.tok(e + 1).is_some_and(|x| x.kind == Kind::Word) && c.adjacent(e, e + 1);
        if yt.kind == Kind::Num && !c.gap_has_newline(e - 1, e) && (2..=4).contains(&len) && !glued
        {
            let v: i32 = c.s(e).parse().ok()?;
            year = expand_year(v, len);
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
    Some((
        PartialDate {
            year,
            month: Some(m),
            day: Some(d),
        },
        e,
    ))
}

/// Parses a year at `k` (3-4 digits, 500-2199), skipping one comma or dot before it.
fn year_at(c: &Cursor, k: usize) -> Option<(i32, usize)> {
    let mut k = k;
    if matches!(c.s(k), "," | ".") {
        k += 1;
    }
    if c.gap_has_newline(k.saturating_sub(1), k) && k > 0 {
        // a year on the next line still counts ("Edinr 24 February\n1824")
    }
    let t = c.tok(k)?;
    if t.kind != Kind::Num || !(3..=4).contains(&(t.end - t.start)) {
        return None;
    }
    let y: i32 = c.s(k).parse().ok()?;
    if !(500..=2199).contains(&y) {
        return None;
    }
    // "1820." is fine, "1820s" or "1820-21" is a different thing only when a letter follows
    if c.tok(k + 1).is_some_and(|n| n.kind == Kind::Word) && c.adjacent(k, k + 1) {
        return None;
    }
    Some((y, k + 1))
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
    let c = Cursor {
        text,
        toks: &toks,
        i: 0,
    };
    let _ = c.i;
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        if let Some((m, end)) = match_at(&c, k, cues) {
            let span = toks[k].start..toks[end - 1].end;
            out.push(DateMatch {
                span,
                date: m.0,
                weekday: m.1,
            });
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

type Found = (PartialDate, Option<usize>);

fn match_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(Found, usize)> {
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
    if let Some((d, e)) = core_at(c, j, cues) {
        return Some(((d, weekday), e));
    }
    None
}

fn core_at(c: &Cursor, k: usize, cues: &Cues) -> Option<(PartialDate, usize)> {
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
                        return Some((p, k + 5));
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
        if let Some((d, e)) = day_at(c, n2, cues) {
            return Some(day_month_year(c, d, m, e, cues));
        }
        if let Some((y, e)) = year_at(c, n) {
            return Some((
                PartialDate {
                    year: Some(y),
                    month: Some(m),
                    day: None,
                },
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

/// Fills a missing year from a reference date: the year that puts `d` closest after (or
/// shortly before) `reference`. "Monday, October 2" in a letter of 27 September 1922 is
/// 2 October 1922.
pub fn infer_year(d: PartialDate, reference: PartialDate) -> PartialDate {
    if d.year.is_some() {
        return d;
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

    #[test]
    fn english_shapes() {
        assert_eq!(one("London, 3 March 1862").as_deref(), Some("1862-03-03"));
        assert_eq!(one("March 5, 1923.").as_deref(), Some("1923-03-05"));
        assert_eq!(
            one("Edgeworth's Town December the 6th").as_deref(),
            Some("--12-06")
        );
        assert_eq!(one("London May 30. 1802").as_deref(), Some("1802-05-30"));
        assert_eq!(one("Hotel\nNov.26,1820.").as_deref(), Some("1820-11-26"));
        assert_eq!(one("Nov.r 18.th 1827.").as_deref(), Some("1827-11-18"));
        assert_eq!(one("Augst 2d 1807.").as_deref(), Some("1807-08-02"));
        assert_eq!(
            one("Elford Decr. 21 st. 1818").as_deref(),
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
    }

    #[test]
    fn weekday_and_inference() {
        let m = &find_dates("I arrive Monday, October 2. I", &ENGLISH)[0];
        assert_eq!(m.weekday, Some(0));
        let r = PartialDate {
            year: Some(1922),
            month: Some(9),
            day: Some(27),
        };
        assert_eq!(infer_year(m.date, r).iso().as_deref(), Some("1922-10-02"));
        assert_eq!(weekday(1922, 10, 2), 0);
        let jan = PartialDate {
            year: None,
            month: Some(1),
            day: Some(3),
        };
        let dec = PartialDate {
            year: Some(1922),
            month: Some(12),
            day: Some(30),
        };
        assert_eq!(infer_year(jan, dec).year, Some(1923));
    }

    #[test]
    fn german_shapes() {
        let f = |s: &str| find_dates(s, &GERMAN).first().and_then(|m| m.date.iso());
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
        // house numbers, floors and times are not dates
        assert_eq!(f("IV. Marktgasse 1"), None);
        assert_eq!(f("Hauptstrasse 12 I. Stock"), None);
        assert_eq!(f("um 3. 5 Uhr"), None);
        assert_eq!(f("für 1/2 Stunde"), Some("--02-01".to_string()));
    }

    #[test]
    fn abbreviated_years() {
        assert_eq!(expand_year(893, 3), Some(1893));
        assert_eq!(expand_year(901, 3), Some(1901));
        assert_eq!(expand_year(92, 2), Some(1892));
        assert_eq!(expand_year(30, 2), Some(1830));
        assert_eq!(expand_year(29, 2), Some(1929));
        assert_eq!(expand_year(5, 1), None);
    }
}
