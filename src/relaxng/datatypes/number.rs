//! `decimal` and the integer types with arbitrary precision (normalised digit strings), and
//! `float`/`double` (IEEE 754 with `INF`, `-INF`, `NaN`).

use std::cmp::Ordering;

use super::kind::Kind;

/// An arbitrary-precision decimal: sign, integer digits without leading zeros, fraction digits
/// without trailing zeros. Zero is positive with no digits, so equal values are equal structs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    fn build(negative: bool, int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        Decimal {
            negative: negative && !zero,
            int: int.to_string(),
            frac: frac.to_string(),
        }
    }

    /// Parses `(+|-)?(d+(.d*)?|.d+)`.
    pub(crate) fn parse(s: &str) -> Result<Decimal, String> {
        let (negative, rest) = sign(s);
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err("expected digits".into());
        }
        if let Some(c) = int
            .chars()
            .chain(frac.chars())
            .find(|c| !c.is_ascii_digit())
        {
            return Err(format!(
                "unexpected '{c}': expected digits with an optional sign and decimal point"
            ));
        }
        Ok(Decimal::build(negative, int, frac))
    }

    /// Parses `(+|-)?d+`.
    pub(crate) fn parse_integer(s: &str) -> Result<Decimal, String> {
        let (negative, digits) = sign(s);
        if digits.is_empty() {
            return Err("expected digits".into());
        }
        if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(if c == '.' {
                "an integer has no decimal point".to_string()
            } else {
                format!("unexpected '{c}': expected digits with an optional sign")
            });
        }
        Ok(Decimal::build(negative, digits, ""))
    }

    /// The number of significant digits (`totalDigits`).
    pub(crate) fn total_digits(&self) -> usize {
        let all = format!("{}{}", self.int, self.frac);
        all.trim_start_matches('0').len().max(1)
    }

    /// The number of fraction digits (`fractionDigits`).
    pub(crate) fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    /// The canonical text (`-1.5`, `0`).
    pub(crate) fn canonical(&self) -> String {
        let mut s = String::new();
        if self.negative {
            s.push('-');
        }
        if self.int.is_empty() {
            s.push('0');
        } else {
            s.push_str(&self.int);
        }
        if !self.frac.is_empty() {
            s.push('.');
            s.push_str(&self.frac);
        }
        s
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn sign(s: &str) -> (bool, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    }
}

/// The bounds of the built-in integer types, as `(min, max)` (None = unbounded).
fn integer_bounds(kind: Kind) -> (Option<&'static str>, Option<&'static str>) {
    match kind {
        Kind::NonPositiveInteger => (None, Some("0")),
        Kind::NegativeInteger => (None, Some("-1")),
        Kind::Long => (Some("-9223372036854775808"), Some("9223372036854775807")),
        Kind::Int => (Some("-2147483648"), Some("2147483647")),
        Kind::Short => (Some("-32768"), Some("32767")),
        Kind::Byte => (Some("-128"), Some("127")),
        Kind::NonNegativeInteger => (Some("0"), None),
        Kind::UnsignedLong => (Some("0"), Some("18446744073709551615")),
        Kind::UnsignedInt => (Some("0"), Some("4294967295")),
        Kind::UnsignedShort => (Some("0"), Some("65535")),
        Kind::UnsignedByte => (Some("0"), Some("255")),
        Kind::PositiveInteger => (Some("1"), None),
        _ => (None, None),
    }
}

/// `Ok` when `d` is within the value range of the integer type `kind`.
pub(crate) fn check_integer_range(kind: Kind, d: &Decimal) -> Result<(), String> {
    let (min, max) = integer_bounds(kind);
    if let Some(min) = min {
        let m = Decimal::parse_integer(min)?;
        if *d < m {
            return Err(format!("less than the {} minimum {min}", kind.name()));
        }
    }
    if let Some(max) = max {
        let m = Decimal::parse_integer(max)?;
        if *d > m {
            return Err(format!("greater than the {} maximum {max}", kind.name()));
        }
    }
    Ok(())
}

/// True when `s` is in the lexical space of `decimal` (no allocation).
pub(crate) fn decimal_ok(s: &str) -> bool {
    let (_, rest) = sign(s);
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Compares the integer `-?digits` (no leading zeros, `negative` false for zero) with a bound
/// written like `-128`.
fn cmp_to_bound(negative: bool, digits: &str, bound: &str) -> Ordering {
    let (bneg, bdigits) = sign(bound);
    let magnitude = digits
        .len()
        .cmp(&bdigits.len())
        .then_with(|| digits.cmp(bdigits));
    match (negative, bneg) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
    }
}

/// True when `s` is a valid value of the integer type `kind` (no allocation).
pub(crate) fn integer_ok(kind: Kind, s: &str) -> bool {
    let (negative, digits) = sign(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = digits.trim_start_matches('0');
    let (digits, negative) = if digits.is_empty() {
        ("0", false)
    } else {
        (digits, negative)
    };
    let (min, max) = integer_bounds(kind);
    min.is_none_or(|m| cmp_to_bound(negative, digits, m) != Ordering::Less)
        && max.is_none_or(|m| cmp_to_bound(negative, digits, m) != Ordering::Greater)
}

/// Checks the XSD float/double lexical form; returns the text Rust's parser accepts.
fn float_lexical(s: &str) -> Result<&str, String> {
    match s {
        "INF" => return Ok("inf"),
        "-INF" => return Ok("-inf"),
        "NaN" => return Ok("NaN"),
        _ => {}
    }
    let (_, rest) = sign(s);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err("expected a number such as 1.5, 1e-3, INF, -INF or NaN".into());
    }
    if let Some(e) = exponent {
        let (_, e) = sign(e);
        if e.is_empty() || !digits(e) {
            return Err("the exponent needs digits".into());
        }
    }
    Ok(s)
}

/// Parses an XSD `float`.
pub(crate) fn parse_float(s: &str) -> Result<f32, String> {
    let t = float_lexical(s)?;
    t.parse::<f32>().map_err(|e| e.to_string())
}

/// Parses an XSD `double`.
pub(crate) fn parse_double(s: &str) -> Result<f64, String> {
    let t = float_lexical(s)?;
    t.parse::<f64>().map_err(|e| e.to_string())
}

/// Canonical bits of a float: `-0` as `0`, one NaN.
pub(crate) fn float_bits(f: f32) -> u32 {
    if f.is_nan() {
        f32::NAN.to_bits()
    } else if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// Canonical bits of a double: `-0` as `0`, one NaN.
pub(crate) fn double_bits(f: f64) -> u64 {
    if f.is_nan() {
        f64::NAN.to_bits()
    } else if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn decimal_lexical_space() {
        for ok in [
            "1.0",
            "1.",
            ".1",
            "+1.0",
            "-1.0",
            "0",
            "-0",
            "99999999999999999999999999999",
        ] {
            assert!(Decimal::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "junk", "--1", "++1", "+-1", "1.2.", "..1", "1..", "1 .2", "1+", "+ 1", ".", "+",
            "1e3",
        ] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_equality_and_order() {
        assert_eq!(d("1.0"), d("01.000"));
        assert_eq!(d("-0"), d("+0.0"));
        assert_eq!(d(".5").canonical(), "0.5");
        assert!(d("-1") < d("0"));
        assert!(d("-10") < d("-9.99"));
        assert!(d("10") > d("9.99"));
        assert!(d("1.05") < d("1.5"));
        assert!(d("99999999999999999999999999999") < d("100000000000000000000000000000"));
        assert_eq!(d("0.050").total_digits(), 1);
        assert_eq!(d("0.050").fraction_digits(), 2);
        assert_eq!(d("123.45").total_digits(), 5);
        assert_eq!(d("0").total_digits(), 1);
    }

    #[test]
    fn integers() {
        assert!(Decimal::parse_integer("1.0").is_err());
        assert!(Decimal::parse_integer("+10").is_ok());
        let big = Decimal::parse_integer("9223372036854775808").unwrap();
        assert!(check_integer_range(Kind::Long, &big).is_err());
        assert!(check_integer_range(Kind::Integer, &big).is_ok());
        let neg = Decimal::parse_integer("-0").unwrap();
        assert!(check_integer_range(Kind::NonPositiveInteger, &neg).is_ok());
        assert!(check_integer_range(Kind::NegativeInteger, &neg).is_err());
        assert!(
            check_integer_range(Kind::UnsignedByte, &Decimal::parse_integer("+255").unwrap())
                .is_ok()
        );
    }

    #[test]
    fn fast_checks_agree_with_parsing() {
        let kinds = [
            Kind::Integer,
            Kind::Long,
            Kind::Byte,
            Kind::UnsignedByte,
            Kind::NegativeInteger,
            Kind::NonPositiveInteger,
            Kind::PositiveInteger,
            Kind::NonNegativeInteger,
            Kind::UnsignedLong,
        ];
        let inputs = [
            "0",
            "-0",
            "+0",
            "00",
            "1",
            "-1",
            "127",
            "128",
            "-128",
            "-129",
            "255",
            "256",
            "+255",
            "0127",
            "-0000128",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "",
            "+",
            "-",
            "1.0",
            "1e3",
            " 1",
            "99999999999999999999999",
        ];
        for k in kinds {
            for s in inputs {
                let slow = Decimal::parse_integer(s)
                    .and_then(|d| check_integer_range(k, &d))
                    .is_ok();
                assert_eq!(integer_ok(k, s), slow, "{k:?} {s:?}");
            }
        }
        for s in [
            "1", "1.", ".1", "-.5", "+1.0", "", ".", "+", "1.2.", "1e3", "--1",
        ] {
            assert_eq!(decimal_ok(s), Decimal::parse(s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn floats() {
        for ok in [
            "1.0", "1.", ".1", "1e3", "1E+3", "-1.5e-3", "INF", "-INF", "NaN", "0E-0",
        ] {
            assert!(parse_double(ok).is_ok(), "{ok}");
        }
        for bad in [
            "- 1", "1 .0", "+INF", "+NaN", "-NaN", "inf", "infinity", "1e", "e1", ".", "",
        ] {
            assert!(parse_double(bad).is_err(), "{bad}");
        }
        assert_eq!(float_bits(-0.0), float_bits(0.0));
        assert_eq!(double_bits(f64::NAN), double_bits(-f64::NAN));
    }
}
