//! Consistency warnings no other tool gives: a `date` whose text names another day, month or
//! year than its `@when`; a `persName` whose text matches another person of the
//! personography (the file's `listPerson`s and the registers) better than its `@ref`'s person.

use super::date_words::{month_name, month_of, roman_month, LINK_WORDS};
use super::dates::PartialDate;
use super::path::{PathId, PathTracker};
use super::registers::{name_tokens, Personography};
use super::Registers;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Bounded;
use crate::xml::{EndTag, StartTag};
use std::ops::Range;
use std::sync::OnceLock;

/// `tei::consistency::date_text_mismatch`
pub static DATE_TEXT_MISMATCH: Code = Code {
    id: "tei::consistency::date_text_mismatch",
    severity: Severity::Warning,
    summary: "A date's text names another day, month or year than its @when",
    explanation:
        "The text of `<date when=\"…\">` is read for day, month (English and German names, \
roman numerals, `14. 7. 92`) and year; when no date in the text agrees with `@when`, one of the \
two is probably a typo. Partial values are compared only on what both state (`[Dezember 1864]` \
agrees with `1864-12-01`).",
};

/// `tei::consistency::person_name_mismatch`
pub static PERSON_NAME_MISMATCH: Code = Code {
    id: "tei::consistency::person_name_mismatch",
    severity: Severity::Warning,
    summary: "A persName's text matches another person than the one its @ref names",
    explanation: "The words of the name (without initials, particles and titles) share nothing \
with the names of the person `@ref` points to, but all of them occur in the names of another \
person of the personography (the file's `listPerson` or a register). The pointer probably names \
the wrong person.",
};

/// One date tuple read from text; `year_digits` is 2 for `92`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDate {
    /// Day.
    pub day: Option<u8>,
    /// Month.
    pub month: Option<u8>,
    /// Year as written.
    pub year: Option<i64>,
    /// Digits of the year as written (2 or 4).
    pub year_digits: u8,
}

impl TextDate {
    fn agrees(&self, w: &PartialDate) -> bool {
        let year_ok = match self.year {
            None => true,
            Some(y) if self.year_digits == 2 => y == w.year.rem_euclid(100),
            Some(y) => y == w.year,
        };
        let month_ok = match (self.month, w.month) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let day_ok = match (self.day, w.day) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        year_ok && month_ok && day_ok
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.day {
            parts.push(d.to_string());
        }
        if let Some(m) = self.month {
            parts.push(month_name(m).to_string());
        }
        if let Some(y) = self.year {
            parts.push(if self.year_digits == 2 {
                format!("'{y:02}")
            } else {
                y.to_string()
            });
        }
        parts.join(" ")
    }
}

struct Patterns {
    iso: regex::Regex,
    numeric: regex::Regex,
    day_month: regex::Regex,
    month_day: regex::Regex,
    month_year: regex::Regex,
    word: regex::Regex,
    year: regex::Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let links = LINK_WORDS.join("|");
        Some(Patterns {
            iso: regex::Regex::new(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b").ok()?,
            numeric: regex::Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2}|[IVX]{1,4})\.\s?(?:(\d{4}|\d{2})\b)?").ok()?,
            day_month: regex::Regex::new(&format!(r"\b(\d{{1,2}})(?:\.|st|nd|rd|th|ten|te)?\s*(?:(?:{links})\s+)?([^\W\d_]+)\.?(?:,?\s*(\d{{4}})\b)?")).ok()?,
            month_day: regex::Regex::new(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4})\b)?").ok()?,
            month_year: regex::Regex::new(r"([^\W\d_]+)\.?,?\s*(\d{4})\b").ok()?,
            word: regex::Regex::new(r"[^\W\d_]+").ok()?,
            year: regex::Regex::new(r"\b(\d{4})\b").ok()?,
        })
    })
    .as_ref()
}

/// Reads every date a text states, the most specific reading of each stretch of text first.
pub fn dates_in_text(text: &str) -> Vec<TextDate> {
    let Some(p) = patterns() else {
        return Vec::new();
    };
    let mut used: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    let free = |used: &Vec<Range<usize>>, r: &Range<usize>| {
        used.iter().all(|u| u.end <= r.start || r.end <= u.start)
    };
    let num = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<i64>().ok());
    let year = |m: Option<regex::Match<'_>>| {
        m.map(|m| (m.as_str().parse::<i64>().ok(), m.as_str().len() as u8))
    };
    let valid_day = |d: i64| (1..=31).contains(&d);
    for c in p.iso.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        let (y, m, d) = (num(c.get(1)), num(c.get(2)), num(c.get(3)));
        if m.is_some_and(|m| (1..=12).contains(&m)) && free(&used, &r) {
            out.push(TextDate {
                day: d.map(|d| d as u8),
                month: m.map(|m| m as u8),
                year: y,
                year_digits: 4,
            });
            used.push(r);
        }
    }
    for c in p.numeric.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        let d = num(c.get(1)).filter(|&d| valid_day(d));
        let mstr = c.get(2).map_or("", |m| m.as_str());
        let m = mstr
            .parse::<u8>()
            .ok()
            .or_else(|| {
                // `3. VIII. 1889`; a lowercase or year-less `v.` is an abbreviation ("vorigen")
                let upper = mstr.chars().all(|ch| ch.is_ascii_uppercase());
                (upper && c.get(3).is_some())
                    .then(|| roman_month(mstr))
                    .flatten()
            })
            .filter(|m| (1..=12).contains(m));
        if let (Some(d), Some(m)) = (d, m) {
            if free(&used, &r) {
                let (y, digits) = year(c.get(3)).unwrap_or((None, 4));
                out.push(TextDate {
                    day: Some(d as u8),
                    month: Some(m),
                    year: y,
                    year_digits: digits,
                });
                used.push(r);
            }
        }
    }
    for c in p.day_month.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        let d = num(c.get(1)).filter(|&d| valid_day(d));
        let m = c.get(2).and_then(|m| month_of(m.as_str()));
        if let (Some(d), Some(m)) = (d, m) {
            if free(&used, &r) {
                out.push(TextDate {
                    day: Some(d as u8),
                    month: Some(m),
                    year: num(c.get(3)),
                    year_digits: 4,
                });
                used.push(r);
            }
        }
    }
    for c in p.month_day.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        let m = c.get(1).and_then(|m| month_of(m.as_str()));
        let d = num(c.get(2)).filter(|&d| valid_day(d));
        if let (Some(m), Some(d)) = (m, d) {
            if free(&used, &r) {
                out.push(TextDate {
                    day: Some(d as u8),
                    month: Some(m),
                    year: num(c.get(3)),
                    year_digits: 4,
                });
                used.push(r);
            }
        }
    }
    for c in p.month_year.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        if let Some(m) = c.get(1).and_then(|m| month_of(m.as_str())) {
            if free(&used, &r) {
                out.push(TextDate {
                    day: None,
                    month: Some(m),
                    year: num(c.get(2)),
                    year_digits: 4,
                });
                used.push(r);
            }
        }
    }
    for w in p.word.find_iter(text) {
        if let Some(m) = month_of(w.as_str()) {
            if free(&used, &w.range()) {
                out.push(TextDate {
                    day: None,
                    month: Some(m),
                    year: None,
                    year_digits: 4,
                });
                used.push(w.range());
            }
        }
    }
    for c in p.year.captures_iter(text) {
        let r = c.get(0).map_or(0..0, |m| m.range());
        if let Some(y) = num(c.get(1)).filter(|y| (1000..3000).contains(y)) {
            if free(&used, &r) {
                out.push(TextDate {
                    day: None,
                    month: None,
                    year: Some(y),
                    year_digits: 4,
                });
                used.push(r);
            }
        }
    }
    out
}

struct OpenDate {
    depth: usize,
    when: PartialDate,
    when_raw: String,
    when_span: Range<usize>,
    span: Range<usize>,
    text: String,
}

struct NameRef {
    depth: usize,
    target: String,
    span: Range<usize>,
    path: PathId,
    text: String,
}

struct OpenPerson {
    depth: usize,
    id: Option<String>,
    names: Vec<String>,
    name_depth: Option<usize>,
    name: String,
}

/// The consistency checks.
#[derive(Default)]
pub struct Consistency {
    pub(super) diagnostics: Bounded,
    depth: usize,
    date: Option<OpenDate>,
    name: Option<NameRef>,
    person: Option<OpenPerson>,
    refs: Vec<NameRef>,
    persons: Personography,
}

impl Consistency {
    pub(crate) fn start(&mut self, tag: &StartTag<'_>, path: &PathTracker) {
        self.depth += 1;
        let el = |n: &str| super::tei_el(tag.ns, tag.local, n);
        // a date with @calendar is written in that calendar, @when in the Gregorian one
        if el("date") && self.date.is_none() && super::attr(tag, "calendar").is_none() {
            if let Some(w) = super::attr(tag, "when") {
                if let Some(when) = PartialDate::parse(w.value) {
                    self.date = Some(OpenDate {
                        depth: self.depth,
                        when,
                        when_raw: w.value.trim().to_string(),
                        when_span: w.span.clone(),
                        span: tag.span.clone(),
                        text: String::new(),
                    });
                }
            }
        }
        if el("person") && self.person.is_none() {
            self.person = Some(OpenPerson {
                depth: self.depth,
                id: super::xml_id(tag).map(|a| a.value.trim().to_string()),
                names: Vec::new(),
                name_depth: None,
                name: String::new(),
            });
        } else if el("persName") {
            if let Some(p) = self.person.as_mut() {
                if p.name_depth.is_none() {
                    p.name_depth = Some(self.depth);
                    p.name.clear();
                }
            } else if self.name.is_none() {
                if let Some(r) = super::attr(tag, "ref") {
                    let mut tokens = r.value.split_whitespace();
                    if let (Some(t), None) = (tokens.next(), tokens.next()) {
                        if let Some(id) = t.strip_prefix('#') {
                            self.name = Some(NameRef {
                                depth: self.depth,
                                target: id.to_string(),
                                span: tag.span.clone(),
                                path: path.mark(),
                                text: String::new(),
                            });
                        }
                    }
                }
            }
        }
    }

    pub(crate) fn text(&mut self, text: &str) {
        if let Some(d) = self.date.as_mut() {
            d.text.push_str(text);
        }
        if let Some(n) = self.name.as_mut() {
            n.text.push_str(text);
        }
        if let Some(p) = self.person.as_mut() {
            if p.name_depth.is_some() {
                p.name.push_str(text);
                p.name.push(' ');
            }
        }
    }

    /// An element ends (`path` still has it open).
    pub(crate) fn end(&mut self, _tag: &EndTag<'_>, path: &PathTracker) {
        let d = self.depth;
        self.depth = self.depth.saturating_sub(1);
        if self.date.as_ref().is_some_and(|x| x.depth == d) {
            if let Some(date) = self.date.take() {
                self.check_date(date, path);
            }
        }
        if self.name.as_ref().is_some_and(|x| x.depth == d) {
            if let Some(n) = self.name.take() {
                self.refs.push(n);
            }
        }
        if let Some(p) = self.person.as_mut() {
            if p.name_depth == Some(d) {
                p.name_depth = None;
                let name = std::mem::take(&mut p.name);
                p.names.push(name);
            }
            if p.depth == d {
                if let Some(p) = self.person.take() {
                    if let Some(id) = p.id {
                        self.persons.add(id, &p.names);
                    }
                }
            }
        }
    }

    fn check_date(&mut self, date: OpenDate, path: &PathTracker) {
        let found = dates_in_text(&date.text);
        if found.is_empty() || found.iter().any(|t| t.agrees(&date.when)) {
            return;
        }
        let said = found
            .iter()
            .map(TextDate::describe)
            .collect::<Vec<_>>()
            .join("; ");
        let text = date.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.diagnostics.push(
            Diagnostic::new(&DATE_TEXT_MISMATCH, date.when_span, format!("the text `{text}` names {said}, but @when is {}", date.when_raw))
                .with_label(date.span, "in this date")
                .with_help("correct @when or the transcription; if the text is a deliberate error of the source, mark it with <sic>")
                .with_path(path.current()),
        );
    }

    pub(crate) fn finish(mut self, registers: &Registers, paths: &PathTracker) -> Bounded {
        let reg = registers.persons();
        for r in std::mem::take(&mut self.refs) {
            let tokens = name_tokens(&r.text);
            if tokens.is_empty() {
                continue;
            }
            let (book, idx) = match self.persons.index_of(&r.target) {
                Some(i) => (&self.persons, i),
                None => match reg.index_of(&r.target) {
                    Some(i) => (reg, i),
                    None => continue,
                },
            };
            if book.score(idx, &tokens) > 0 || book.names_of(idx).is_empty() {
                continue;
            }
            let mut better: Vec<&str> = self.persons.full_matches(&tokens);
            for id in reg.full_matches(&tokens) {
                if !better.contains(&id) {
                    better.push(id);
                }
            }
            better.retain(|id| *id != r.target);
            let Some(first) = better.first() else {
                continue;
            };
            let others = if better.len() > 1 {
                format!(" (and {} other persons)", better.len() - 1)
            } else {
                String::new()
            };
            let text = r.text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.diagnostics.push(
                Diagnostic::new(&PERSON_NAME_MISMATCH, r.span, format!("persName `{text}` points to `#{}` ({}), but its text matches `#{first}`{others}", r.target, book.names_of(idx).join(" / ")))
                    .with_help(format!("did you mean `#{first}`?"))
                    .with_path(paths.path_of(r.path)),
            );
        }
        self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn td(d: Option<u8>, m: Option<u8>, y: Option<i64>) -> TextDate {
        TextDate {
            day: d,
            month: m,
            year: y,
            year_digits: 4,
        }
    }

    #[test]
    fn reads_dates_in_english_and_german() {
        assert_eq!(
            dates_in_text("5 March 1917"),
            vec![td(Some(5), Some(3), Some(1917))]
        );
        assert_eq!(
            dates_in_text("March 5th, 1917"),
            vec![td(Some(5), Some(3), Some(1917))]
        );
        assert_eq!(
            dates_in_text("the 5th of March"),
            vec![td(Some(5), Some(3), None)]
        );
        assert_eq!(
            dates_in_text("Wien, 14. Jänner 1900"),
            vec![td(Some(14), Some(1), Some(1900))]
        );
        assert_eq!(
            dates_in_text("[Dezember 1864]"),
            vec![td(None, Some(12), Some(1864))]
        );
        assert_eq!(
            dates_in_text("3. VIII. 1889"),
            vec![td(Some(3), Some(8), Some(1889))]
        );
        let short = dates_in_text("Wien, 14. 7. 92");
        assert_eq!(
            short,
            vec![TextDate {
                day: Some(14),
                month: Some(7),
                year: Some(92),
                year_digits: 2
            }]
        );
        assert!(short[0].agrees(&PartialDate::parse("1892-07-14").unwrap()));
        assert_eq!(
            dates_in_text("Ostern 1890"),
            vec![td(None, None, Some(1890))]
        );
        assert!(dates_in_text("um 10.30 Uhr").is_empty());
        // `v. M.` is "vorigen Monats", not May
        assert_eq!(dates_in_text("22. v. M."), Vec::<TextDate>::new());
    }

    #[test]
    fn agreement_uses_only_stated_parts() {
        let w = PartialDate::parse("1864-12-01").unwrap();
        assert!(td(None, Some(12), Some(1864)).agrees(&w));
        assert!(!td(Some(2), Some(12), Some(1864)).agrees(&w));
        assert!(td(Some(2), Some(12), None).agrees(&PartialDate::parse("1864-12").unwrap()));
    }
}
