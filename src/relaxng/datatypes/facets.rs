//! Facets given as RELAX NG `<param>`s: parsed and checked for applicability once, then
//! applied to each value.

use std::cmp::Ordering;

use super::kind::{FacetGroup, Kind, LengthUnit};
use super::regex::XsdRegex;
use super::whitespace::collapse;
use super::{number::Decimal, shorten, DatatypeError, Value};
use crate::xml::NsContext;

/// A bound (`minInclusive` ...) with its value and source text.
#[derive(Debug)]
struct Bound {
    value: Value,
    inclusive: bool,
    text: String,
}

/// The compiled facets of one datatype.
#[derive(Debug, Default)]
pub(crate) struct Facets {
    length: Option<usize>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    patterns: Vec<XsdRegex>,
    min: Option<Bound>,
    max: Option<Bound>,
    total_digits: Option<usize>,
    fraction_digits: Option<usize>,
}

struct NoNamespaces;

impl NsContext for NoNamespaces {
    fn resolve(&self, _prefix: &str) -> Option<&str> {
        None
    }
}

const LENGTH_FACETS: &[&str] = &["length", "minLength", "maxLength", "pattern"];
const ORDERED_FACETS: &[&str] = &[
    "pattern",
    "minInclusive",
    "minExclusive",
    "maxInclusive",
    "maxExclusive",
];
const DECIMAL_FACETS: &[&str] = &[
    "pattern",
    "minInclusive",
    "minExclusive",
    "maxInclusive",
    "maxExclusive",
    "totalDigits",
    "fractionDigits",
];

fn allowed(group: FacetGroup) -> &'static [&'static str] {
    match group {
        FacetGroup::None => &[],
        FacetGroup::Length => LENGTH_FACETS,
        FacetGroup::Pattern => &["pattern"],
        FacetGroup::Ordered => ORDERED_FACETS,
        FacetGroup::Decimal => DECIMAL_FACETS,
    }
}

/// Compares two values of the same ordered type; `None` when incomparable.
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => f32::from_bits(*x).partial_cmp(&f32::from_bits(*y)),
        (Value::Double(x), Value::Double(y)) => f64::from_bits(*x).partial_cmp(&f64::from_bits(*y)),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(y),
        (Value::Duration(x), Value::Duration(y)) => x.partial_cmp(y),
        _ => None,
    }
}

fn non_negative(name: &str, text: &str) -> Result<usize, DatatypeError> {
    let t = collapse(text);
    let d = Decimal::parse_integer(&t)
        .ok()
        .filter(|d| d >= &Decimal::parse_integer("0").unwrap_or_else(|_| d.clone()))
        .ok_or_else(|| {
            DatatypeError::new(format!(
                "param {name} must be a non-negative integer, found \"{}\"",
                shorten(text)
            ))
        })?;
    Ok(d.canonical().parse::<usize>().unwrap_or(usize::MAX))
}

impl Facets {
    /// True when no facet is set.
    pub(crate) fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.patterns.is_empty()
            && self.min.is_none()
            && self.max.is_none()
            && self.total_digits.is_none()
            && self.fraction_digits.is_none()
    }

    /// True when checking needs the parsed value (bounds, digits, octet or item lengths), not
    /// only the whitespace-processed text.
    pub(crate) fn needs_value(&self, kind: Kind) -> bool {
        self.min.is_some()
            || self.max.is_some()
            || self.total_digits.is_some()
            || self.fraction_digits.is_some()
            || (kind.length_unit() == LengthUnit::Octets
                && (self.length.is_some()
                    || self.min_length.is_some()
                    || self.max_length.is_some()))
    }

    /// Parses `params` for a datatype of `kind`.
    pub(crate) fn compile(
        kind: Kind,
        params: &[(String, String)],
    ) -> Result<Facets, DatatypeError> {
        let mut f = Facets::default();
        let group = kind.facet_group();
        let names = allowed(group);
        let mut seen: Vec<&str> = Vec::new();
        for (name, text) in params {
            let name = name.as_str();
            if !names.contains(&name) {
                let known = [
                    "length",
                    "minLength",
                    "maxLength",
                    "pattern",
                    "minInclusive",
                    "minExclusive",
                    "maxInclusive",
                    "maxExclusive",
                    "totalDigits",
                    "fractionDigits",
                ];
                let why = if name == "whiteSpace" || name == "enumeration" {
                    format!("the facet {name} cannot be given as a RELAX NG param")
                } else if known.contains(&name) {
                    format!("the facet {name} does not apply to {}", kind.name())
                } else {
                    format!("unknown param \"{name}\"")
                };
                let expected = if names.is_empty() {
                    "it takes no params".to_string()
                } else {
                    format!("{} takes {}", kind.name(), names.join(", "))
                };
                return Err(DatatypeError::new(format!("{why} ({expected})")));
            }
            if name != "pattern" {
                if seen.contains(&name) {
                    return Err(DatatypeError::new(format!("param {name} given twice")));
                }
                seen.push(name);
            }
            match name {
                "length" => f.length = Some(non_negative(name, text)?),
                "minLength" => f.min_length = Some(non_negative(name, text)?),
                "maxLength" => f.max_length = Some(non_negative(name, text)?),
                "pattern" => f
                    .patterns
                    .push(XsdRegex::new(text).map_err(DatatypeError::new)?),
                "totalDigits" => {
                    let n = non_negative(name, text)?;
                    if n == 0 {
                        return Err(DatatypeError::new(
                            "param totalDigits must be a positive integer, found 0",
                        ));
                    }
                    f.total_digits = Some(n);
                }
                "fractionDigits" => {
                    let n = non_negative(name, text)?;
                    if kind.is_integer() && n != 0 {
                        return Err(DatatypeError::new(format!(
                            "param fractionDigits must be 0 for {}, found {n}",
                            kind.name()
                        )));
                    }
                    f.fraction_digits = Some(n);
                }
                _ => {
                    let normalized = kind.whitespace().apply(text);
                    let value = kind
                        .parse(
                            &normalized,
                            &super::Context::without_entities(&NoNamespaces),
                        )
                        .map_err(|why| {
                            DatatypeError::new(format!(
                                "param {name}: \"{}\" is not a valid {} ({why})",
                                shorten(text),
                                kind.name()
                            ))
                        })?;
                    let bound = Bound {
                        value,
                        inclusive: name.ends_with("Inclusive"),
                        text: normalized.into_owned(),
                    };
                    if name.starts_with("min") {
                        if f.min.is_some() {
                            return Err(DatatypeError::new(
                                "minInclusive and minExclusive cannot both be given",
                            ));
                        }
                        f.min = Some(bound);
                    } else {
                        if f.max.is_some() {
                            return Err(DatatypeError::new(
                                "maxInclusive and maxExclusive cannot both be given",
                            ));
                        }
                        f.max = Some(bound);
                    }
                }
            }
        }
        f.check_consistency()?;
        Ok(f)
    }

    fn check_consistency(&self) -> Result<(), DatatypeError> {
        if self.length.is_some() && (self.min_length.is_some() || self.max_length.is_some()) {
            return Err(DatatypeError::new(
                "length cannot be combined with minLength or maxLength",
            ));
        }
        if let (Some(a), Some(b)) = (self.min_length, self.max_length) {
            if a > b {
                return Err(DatatypeError::new(format!(
                    "minLength {a} is greater than maxLength {b}"
                )));
            }
        }
        if let (Some(t), Some(fr)) = (self.total_digits, self.fraction_digits) {
            if fr > t {
                return Err(DatatypeError::new(format!(
                    "fractionDigits {fr} is greater than totalDigits {t}"
                )));
            }
        }
        if let (Some(lo), Some(hi)) = (&self.min, &self.max) {
            let ok = match compare(&lo.value, &hi.value) {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => lo.inclusive && hi.inclusive,
                _ => false,
            };
            if !ok {
                return Err(DatatypeError::new(format!(
                    "the lower bound {} is not below the upper bound {}",
                    lo.text, hi.text
                )));
            }
        }
        Ok(())
    }

    /// Applies the facets to a value whose lexical form (whitespace-processed) is `text`.
    ///
    /// `value` may be `None` when [`Facets::needs_value`] is false.
    pub(crate) fn check(
        &self,
        kind: Kind,
        text: &str,
        value: Option<&Value>,
    ) -> Result<(), String> {
        let shown = || shorten(text);
        if self.length.is_some() || self.min_length.is_some() || self.max_length.is_some() {
            let (n, unit) = match (kind.length_unit(), value) {
                (LengthUnit::Octets, Some(Value::Binary(b))) => (b.len(), "octet"),
                (LengthUnit::Items, Some(Value::List(items))) => (items.len(), "item"),
                (LengthUnit::Items, None) => {
                    (text.split(' ').filter(|s| !s.is_empty()).count(), "item")
                }
                _ => (text.chars().count(), "character"),
            };
            let plural = |k: usize| if k == 1 { "" } else { "s" };
            if let Some(l) = self.length {
                if n != l {
                    return Err(format!(
                        "\"{}\" has {n} {unit}{}: expected exactly {l} (length)",
                        shown(),
                        plural(n)
                    ));
                }
            }
            if let Some(l) = self.min_length {
                if n < l {
                    return Err(format!(
                        "\"{}\" has {n} {unit}{}: expected at least {l} (minLength)",
                        shown(),
                        plural(n)
                    ));
                }
            }
            if let Some(l) = self.max_length {
                if n > l {
                    return Err(format!(
                        "\"{}\" has {n} {unit}{}: expected at most {l} (maxLength)",
                        shown(),
                        plural(n)
                    ));
                }
            }
        }
        for p in &self.patterns {
            if !p.is_match(text) {
                return Err(format!(
                    "\"{}\" does not match the pattern {}",
                    shown(),
                    p.source()
                ));
            }
        }
        let Some(value) = value else {
            return Ok(());
        };
        if let Some(b) = &self.min {
            let ok = match compare(value, &b.value) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => b.inclusive,
                _ => false,
            };
            if !ok {
                let (rel, facet) = if b.inclusive {
                    ("at least", "minInclusive")
                } else {
                    ("greater than", "minExclusive")
                };
                return Err(format!("\"{}\" is not {rel} {} ({facet})", shown(), b.text));
            }
        }
        if let Some(b) = &self.max {
            let ok = match compare(value, &b.value) {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => b.inclusive,
                _ => false,
            };
            if !ok {
                let (rel, facet) = if b.inclusive {
                    ("at most", "maxInclusive")
                } else {
                    ("less than", "maxExclusive")
                };
                return Err(format!("\"{}\" is not {rel} {} ({facet})", shown(), b.text));
            }
        }
        if let Value::Decimal(d) = value {
            if let Some(t) = self.total_digits {
                if d.total_digits() > t {
                    return Err(format!(
                        "\"{}\" has {} digits: expected at most {t} (totalDigits)",
                        shown(),
                        d.total_digits()
                    ));
                }
            }
            if let Some(fr) = self.fraction_digits {
                if d.fraction_digits() > fr {
                    return Err(format!(
                        "\"{}\" has {} fraction digits: expected at most {fr} (fractionDigits)",
                        shown(),
                        d.fraction_digits()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The facets for messages: `pattern [A-Z]+, maxLength 3`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(l) = self.length {
            parts.push(format!("length {l}"));
        }
        if let Some(l) = self.min_length {
            parts.push(format!("minLength {l}"));
        }
        if let Some(l) = self.max_length {
            parts.push(format!("maxLength {l}"));
        }
        for p in &self.patterns {
            parts.push(format!("pattern {}", p.source()));
        }
        for b in [&self.min, &self.max].into_iter().flatten() {
            let _ = b;
        }
        if let Some(b) = &self.min {
            let op = if b.inclusive { ">=" } else { ">" };
            parts.push(format!("{op} {}", b.text));
        }
        if let Some(b) = &self.max {
            let op = if b.inclusive { "<=" } else { "<" };
            parts.push(format!("{op} {}", b.text));
        }
        if let Some(t) = self.total_digits {
            parts.push(format!("totalDigits {t}"));
        }
        if let Some(t) = self.fraction_digits {
            parts.push(format!("fractionDigits {t}"));
        }
        parts.join(", ")
    }
}
