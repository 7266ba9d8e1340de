//! `duration`: `-?PnYnMnDTnHnMnS`, a value of (months, seconds) with the XSD 1.0 partial
//! order (compared by adding both to four reference dateTimes).

use std::cmp::Ordering;

use super::temporal::{days_from_civil, days_in_month, frac_cmp};

/// A duration: months and seconds (fraction digits kept apart), both carrying the sign.
///
/// Equal values are equal structs: `P1Y` = `P12M`, `PT60S` = `PT1M`, `P0Y` = `-P0Y`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Duration {
    negative: bool,
    months: i128,
    secs: i128,
    /// Fractional second digits without trailing zeros.
    frac: String,
}

fn number(s: &str) -> Result<i128, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected digits before each designator".into());
    }
    let t = s.trim_start_matches('0');
    if t.len() > 30 {
        return Err("a number in the duration is too large".into());
    }
    Ok(t.parse::<i128>().unwrap_or(0))
}

/// Parses `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n+)?S)?)?` with at least one part.
pub(crate) fn parse(s: &str) -> Result<Duration, String> {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let rest = rest
        .strip_prefix('P')
        .ok_or("a duration starts with 'P' (or '-P')")?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut months: i128 = 0;
    let mut secs: i128 = 0;
    let mut frac = String::new();
    let mut scan =
        |text: &str, designators: &[(u8, i128)], in_time: bool| -> Result<usize, String> {
            let mut parts = 0;
            let mut next = 0; // index of the next allowed designator
            let mut rest = text;
            while !rest.is_empty() {
                let n = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b'.')
                    .count();
                let (num, tail) = rest.split_at(n);
                let des = *tail.as_bytes().first().ok_or_else(|| {
                    format!(
                        "\"{num}\" lacks a designator ({})",
                        if in_time { "H, M or S" } else { "Y, M or D" }
                    )
                })?;
                let pos = designators[next..]
                    .iter()
                    .position(|(d, _)| *d == des)
                    .map(|p| p + next)
                    .ok_or_else(|| {
                        if des.is_ascii_lowercase() {
                            format!("designator '{}' must be upper case", des as char)
                        } else if !in_time && (des == b'H' || des == b'S') {
                            format!("'{}' belongs after 'T'", des as char)
                        } else {
                            format!("unexpected '{}'", tail.chars().next().unwrap_or('?'))
                        }
                    })?;
                let (d, factor) = designators[pos];
                if d == b'S' {
                    // jing accepts `PT.5S` and `PT5.S`: digits on at least one side
                    let (int, f) = num.split_once('.').unwrap_or((num, ""));
                    if int.is_empty() && f.is_empty() {
                        return Err("expected digits before 'S'".into());
                    }
                    if !f.bytes().all(|b| b.is_ascii_digit()) {
                        return Err("more than one decimal point".into());
                    }
                    if !int.is_empty() {
                        secs += number(int)?;
                    }
                    frac = f.trim_end_matches('0').to_string();
                } else {
                    if num.contains('.') {
                        return Err("only the seconds may have a fraction".into());
                    }
                    let v = number(num)?
                        .checked_mul(factor)
                        .ok_or("the duration is too large")?;
                    if in_time || d == b'D' {
                        secs += v;
                    } else {
                        months += v;
                    }
                }
                parts += 1;
                next = pos + 1;
                rest = &tail[1..];
            }
            Ok(parts)
        };
    let mut parts = scan(date, &[(b'Y', 12), (b'M', 1), (b'D', 86400)], false)?;
    if let Some(t) = time {
        let n = scan(t, &[(b'H', 3600), (b'M', 60), (b'S', 1)], true)?;
        parts += n;
        if n == 0 {
            return Err("'T' must be followed by hours, minutes or seconds".into());
        }
    }
    if parts == 0 {
        return Err("a duration needs at least one part, e.g. P1Y or PT0S".into());
    }
    let zero = months == 0 && secs == 0 && frac.is_empty();
    Ok(Duration {
        negative: negative && !zero,
        months,
        secs,
        frac,
    })
}

/// The four reference dateTimes of XML Schema Part 2, appendix D, as (year, month).
const REFERENCES: [(i128, u32); 4] = [(1696, 9), (1697, 2), (1903, 3), (1903, 7)];

impl Duration {
    /// The signed instant `reference + self`, as (seconds, fraction, negative-fraction).
    fn added_to(&self, (y, m): (i128, u32)) -> (i128, bool) {
        let sign: i128 = if self.negative { -1 } else { 1 };
        let total = i128::from(m) - 1 + sign * self.months;
        let year = y + total.div_euclid(12);
        let month = (total.rem_euclid(12) + 1) as u32;
        let day = 1.min(days_in_month(year, month));
        let base = days_from_civil(year, month, day) * 86400;
        (base + sign * self.secs, self.negative)
    }

    /// The XSD 1.0 partial order on durations: `None` when incomparable (P1M vs P30D).
    pub(crate) fn partial_cmp(&self, other: &Duration) -> Option<Ordering> {
        if self == other {
            return Some(Ordering::Equal);
        }
        let mut result: Option<Ordering> = None;
        for r in REFERENCES {
            let a = self.added_to(r);
            let b = other.added_to(r);
            let c = cmp_instants(a.0, &self.frac, a.1, b.0, &other.frac, b.1);
            match result {
                None => result = Some(c),
                Some(prev) if prev != c => return None,
                _ => {}
            }
        }
        match result {
            Some(Ordering::Equal) => None,
            r => r,
        }
    }
}

/// Compares `a + sign·0.fa` with `b + sign·0.fb`.
fn cmp_instants(a: i128, fa: &str, a_neg: bool, b: i128, fb: &str, b_neg: bool) -> Ordering {
    // value = secs ± 0.frac: compare with fractions folded into a common scale
    let scale = fa.len().max(fb.len());
    let widen = |secs: i128, f: &str, neg: bool| -> (i128, String) {
        // returns (integer part, fraction digits) of the exact value, fraction in [0,1)
        if f.is_empty() {
            return (secs, "0".repeat(scale));
        }
        let padded = format!("{f:0<scale$}");
        if neg {
            // secs - 0.f = (secs - 1) + (1 - 0.f)
            (secs - 1, complement(&padded))
        } else {
            (secs, padded)
        }
    };
    let (ai, af) = widen(a, fa, a_neg);
    let (bi, bf) = widen(b, fb, b_neg);
    ai.cmp(&bi).then_with(|| frac_cmp(&af, &bf))
}

/// `10^n - digits` as n digits, for a non-zero fraction.
fn complement(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    // subtract from 10^n: 9's complement then +1
    for d in out.iter_mut() {
        *d = 9 - *d;
    }
    for d in out.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            break;
        }
    }
    out.into_iter().map(|d| char::from(b'0' + d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Duration {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn lexical() {
        for ok in [
            "P1Y",
            "P1Y0M2DT17H5M12S",
            "-P1Y",
            "P60D",
            "PT24H",
            "PT.5S",
            "PT5.S",
            "PT1.2S",
            "P0Y",
            "PT0S",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "P24h", "P24H", "P1YT", "P", "-P", "PT", "1Y", "P1M1Y", "P1.5Y", "PT.S", "P.5D",
            "PT5..S", "P-1Y", "PT1H1H", "+P1Y",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn equality() {
        assert_eq!(d("P0Y"), d("-P0Y"));
        assert_eq!(d("P1Y"), d("P001Y0M"));
        assert_eq!(d("P1Y"), d("P1Y0M0DT0H0M0.0S"));
        assert_eq!(d("PT1S"), d("PT1.0S"));
        assert_ne!(d("P6M"), d("-P6M"));
        assert_ne!(d("P6M"), d("PT6M"));
        assert_eq!(d("PT60S"), d("PT1M"));
    }

    #[test]
    fn partial_order() {
        let lt = |a: &str, b: &str| {
            assert_eq!(d(a).partial_cmp(&d(b)), Some(Ordering::Less), "{a} < {b}")
        };
        let inc = |a: &str, b: &str| assert_eq!(d(a).partial_cmp(&d(b)), None, "{a} <> {b}");
        lt("PT1M", "PT61S");
        lt("P1D", "PT25H");
        lt("P364D", "P1Y");
        inc("P1Y", "P365D");
        inc("P1Y", "P366D");
        lt("P1Y", "P367D");
        lt("P149D", "P5M");
        inc("P150D", "P5M");
        inc("P153D", "P5M");
        lt("P5M", "P154D");
        lt("P27D", "P1M");
        inc("P28D", "P1M");
        inc("P31D", "P1M");
        lt("P1M", "P32D");
        lt("-P1Y", "P0D");
        lt("PT0.5S", "PT0.55S");
        lt("-PT0.55S", "-PT0.5S");
        assert_eq!(complement("25"), "75");
        assert_eq!(complement("5"), "5");
    }
}
