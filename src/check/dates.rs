//! W3C (XML Schema) dates as they appear in `@when`, `@notBefore`, `@notAfter`, `@from` and
//! `@to`, including partial ones (`1889`, `1889-08`), read as the interval of time they cover
//! so that `1889` ≤ `1889-08` holds and `1889-09` > `1889-08-31`.

use std::cmp::Ordering;

/// A point in time precise to the second, ignoring time zones (comparable lexicographically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Year (negative for BCE in the XML Schema 1.1 sense).
    pub year: i64,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
    /// Seconds since midnight.
    pub secs: u32,
}

/// A date as written, with the components it states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// Year.
    pub year: i64,
    /// Month when stated.
    pub month: Option<u8>,
    /// Day when stated.
    pub day: Option<u8>,
    /// Time of day in seconds when stated.
    pub secs: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and `YYYY-MM-DDThh:mm:ss[.f][zone]` (a leading
    /// `-` for negative years). Forms without a year (`--05-01`, times) and anything else give
    /// `None`: those cannot be ordered, and their syntax is the grammar's business.
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (date_part, time_part) = match body.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let date_part = strip_zone(date_part);
        let mut parts = date_part.split('-');
        let y = parts.next()?;
        if y.len() < 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut year: i64 = y.parse().ok()?;
        if neg {
            year = -year;
        }
        let month = match parts.next() {
            Some(m) => Some(two_digits(m).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => {
                let d = two_digits(d)?;
                let max = days_in_month(year, month?);
                if d == 0 || d > max {
                    return None;
                }
                Some(d)
            }
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        let secs = match time_part {
            Some(t) => {
                day?;
                Some(parse_time(strip_zone(t))?)
            }
            None => None,
        };
        Some(PartialDate {
            year,
            month,
            day,
            secs,
        })
    }

    /// The first instant the date covers.
    pub fn start(&self) -> Instant {
        Instant {
            year: self.year,
            month: self.month.unwrap_or(1),
            day: self.day.unwrap_or(1),
            secs: self.secs.unwrap_or(0),
        }
    }

    /// The last instant the date covers.
    pub fn end(&self) -> Instant {
        let month = self.month.unwrap_or(12);
        Instant {
            year: self.year,
            month,
            day: self.day.unwrap_or_else(|| days_in_month(self.year, month)),
            secs: self.secs.unwrap_or(86_399),
        }
    }

    /// Orders two dates when their intervals do not overlap: `Less` when `self` ends before
    /// `other` starts, `Greater` when it starts after `other` ends, `Equal` when they overlap
    /// (so `1889` and `1889-08` compare `Equal`: neither is certainly before the other).
    pub fn certainly_cmp(&self, other: &PartialDate) -> Ordering {
        if self.end() < other.start() {
            Ordering::Less
        } else if self.start() > other.end() {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }

    /// The date as ISO text with the components it states.
    pub fn to_iso(&self) -> String {
        let mut s = format!("{:04}", self.year);
        if let Some(m) = self.month {
            s.push_str(&format!("-{m:02}"));
            if let Some(d) = self.day {
                s.push_str(&format!("-{d:02}"));
            }
        }
        s
    }
}

fn strip_zone(s: &str) -> &str {
    if let Some(rest) = s.strip_suffix('Z') {
        return rest;
    }
    // `+hh:mm` / `-hh:mm` at the end (only after a time or a full date)
    if s.len() > 6 && s.is_char_boundary(s.len() - 6) {
        let (head, tail) = s.split_at(s.len() - 6);
        let b = tail.as_bytes();
        if (b[0] == b'+' || b[0] == b'-')
            && b[3] == b':'
            && tail[1..3].bytes().all(|c| c.is_ascii_digit())
        {
            // a date `YYYY-MM-DD` ends in `-DD`, never in `-hh:mm`, so this is a zone
            return head;
        }
    }
    s
}

#[cfg(test)]
#[test]
fn a_zone_is_not_looked_for_inside_a_character() {
    // the fuzz input that panicked: the last six bytes start inside the emoji
    assert_eq!(strip_zone("1882-0\u{1F600}1-17"), "1882-0\u{1F600}1-17");
    assert_eq!(PartialDate::parse("1882-0\u{1F600}1-17"), None);
    assert_eq!(strip_zone("1882-01-17+01:00"), "1882-01-17");
}

fn two_digits(s: &str) -> Option<u8> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn parse_time(t: &str) -> Option<u32> {
    let t = t.split('.').next()?;
    let mut it = t.split(':');
    let h = two_digits(it.next()?)? as u32;
    let m = two_digits(it.next()?)? as u32;
    let s = two_digits(it.next()?)? as u32;
    if it.next().is_some() || h > 24 || m > 59 || s > 60 {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap {
                29
            } else {
                28
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn parses_partial_and_full_dates() {
        assert_eq!(d("1889").month, None);
        assert_eq!(d("1889-08").month, Some(8));
        assert_eq!(d("1889-08-03").day, Some(3));
        assert_eq!(d("1889-08-03T10:20:30Z").secs, Some(37_230));
        assert_eq!(d("1889-08-03T10:20:30+01:00").secs, Some(37_230));
        assert_eq!(d("-0044-03-15").year, -44);
        assert!(PartialDate::parse("1889-02-30").is_none());
        assert!(PartialDate::parse("--05-01").is_none());
        assert!(PartialDate::parse("89").is_none());
        assert!(PartialDate::parse("1889-8-3").is_none());
    }

    #[test]
    fn compares_intervals() {
        assert_eq!(d("1889").certainly_cmp(&d("1889-08")), Ordering::Equal);
        assert_eq!(
            d("1889-09").certainly_cmp(&d("1889-08-31")),
            Ordering::Greater
        );
        assert_eq!(d("1889-08-31").certainly_cmp(&d("1889-09")), Ordering::Less);
        assert_eq!(d("1900-02").end().day, 28);
        assert_eq!(d("2000-02").end().day, 29);
    }
}
