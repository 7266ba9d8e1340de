//! The table of datatypes: names, whitespace handling, which facets apply, and the dispatch
//! from a type to its lexical parser.

use super::whitespace::WhiteSpace;
use super::Context;
use super::{binary, duration, names, number, temporal, uri, Value};

/// Every datatype this module knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    RngString,
    RngToken,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    NmToken,
    NmTokens,
    Id,
    Idref,
    Idrefs,
    Entity,
    Entities,
    QName,
    Notation,
    AnyUri,
    Boolean,
    Decimal,
    Integer,
    NonPositiveInteger,
    NegativeInteger,
    Long,
    Int,
    Short,
    Byte,
    NonNegativeInteger,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    PositiveInteger,
    Float,
    Double,
    Duration,
    DateTime,
    Time,
    Date,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
    HexBinary,
    Base64Binary,
    AnyAtomicType,
    UntypedAtomic,
}

/// XSD names in the order of [`Kind`]'s XSD variants.
const XSD: &[(&str, Kind)] = &[
    ("string", Kind::String),
    ("normalizedString", Kind::NormalizedString),
    ("token", Kind::Token),
    ("language", Kind::Language),
    ("Name", Kind::Name),
    ("NCName", Kind::NcName),
    ("NMTOKEN", Kind::NmToken),
    ("NMTOKENS", Kind::NmTokens),
    ("ID", Kind::Id),
    ("IDREF", Kind::Idref),
    ("IDREFS", Kind::Idrefs),
    ("ENTITY", Kind::Entity),
    ("ENTITIES", Kind::Entities),
    ("QName", Kind::QName),
    ("NOTATION", Kind::Notation),
    ("anyURI", Kind::AnyUri),
    ("boolean", Kind::Boolean),
    ("decimal", Kind::Decimal),
    ("integer", Kind::Integer),
    ("nonPositiveInteger", Kind::NonPositiveInteger),
    ("negativeInteger", Kind::NegativeInteger),
    ("long", Kind::Long),
    ("int", Kind::Int),
    ("short", Kind::Short),
    ("byte", Kind::Byte),
    ("nonNegativeInteger", Kind::NonNegativeInteger),
    ("unsignedLong", Kind::UnsignedLong),
    ("unsignedInt", Kind::UnsignedInt),
    ("unsignedShort", Kind::UnsignedShort),
    ("unsignedByte", Kind::UnsignedByte),
    ("positiveInteger", Kind::PositiveInteger),
    ("float", Kind::Float),
    ("double", Kind::Double),
    ("duration", Kind::Duration),
    ("dateTime", Kind::DateTime),
    ("time", Kind::Time),
    ("date", Kind::Date),
    ("gYearMonth", Kind::GYearMonth),
    ("gYear", Kind::GYear),
    ("gMonthDay", Kind::GMonthDay),
    ("gDay", Kind::GDay),
    ("gMonth", Kind::GMonth),
    ("hexBinary", Kind::HexBinary),
    ("base64Binary", Kind::Base64Binary),
    ("anyAtomicType", Kind::AnyAtomicType),
    ("untypedAtomic", Kind::UntypedAtomic),
];

/// The closest XSD type name to a misspelt one (`"Date"` -> `"date"`).
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    XSD.iter()
        .map(|(n, _)| {
            (
                strsim::jaro_winkler(&name.to_ascii_lowercase(), &n.to_ascii_lowercase()),
                *n,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// Which group of facets a type accepts (XML Schema Part 2, 4.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FacetGroup {
    /// No params at all (RELAX NG built-ins).
    None,
    /// length, minLength, maxLength, pattern.
    Length,
    /// pattern only.
    Pattern,
    /// pattern and the four bounds.
    Ordered,
    /// pattern, bounds, totalDigits, fractionDigits.
    Decimal,
}

/// How a length facet counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthUnit {
    Chars,
    Octets,
    Items,
}

impl Kind {
    /// The XSD type called `name`.
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        XSD.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The local type name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::RngString => "string",
            Kind::RngToken => "token",
            k => XSD
                .iter()
                .find(|(_, x)| *x == k)
                .map(|(n, _)| *n)
                .unwrap_or("?"),
        }
    }

    /// The type's `whiteSpace` facet.
    pub(crate) fn whitespace(self) -> WhiteSpace {
        match self {
            Kind::RngString | Kind::String | Kind::AnyAtomicType | Kind::UntypedAtomic => {
                WhiteSpace::Preserve
            }
            Kind::NormalizedString => WhiteSpace::Replace,
            _ => WhiteSpace::Collapse,
        }
    }

    pub(crate) fn facet_group(self) -> FacetGroup {
        use Kind::*;
        match self {
            RngString | RngToken => FacetGroup::None,
            String | NormalizedString | Token | Language | Name | NcName | NmToken | NmTokens
            | Id | Idref | Idrefs | Entity | Entities | QName | Notation | AnyUri | HexBinary
            | Base64Binary | AnyAtomicType | UntypedAtomic => FacetGroup::Length,
            Boolean => FacetGroup::Pattern,
            Float | Double | Duration | DateTime | Time | Date | GYearMonth | GYear | GMonthDay
            | GDay | GMonth => FacetGroup::Ordered,
            _ => FacetGroup::Decimal,
        }
    }

    pub(crate) fn length_unit(self) -> LengthUnit {
        match self {
            Kind::HexBinary | Kind::Base64Binary => LengthUnit::Octets,
            Kind::NmTokens | Kind::Idrefs | Kind::Entities => LengthUnit::Items,
            _ => LengthUnit::Chars,
        }
    }

    /// True for the integer types (fractionDigits fixed at 0).
    pub(crate) fn is_integer(self) -> bool {
        self.facet_group() == FacetGroup::Decimal && self != Kind::Decimal
    }

    /// True when every string is in the lexical space and the value is the string itself.
    pub(crate) fn allows_any_string(self) -> bool {
        matches!(
            self,
            Kind::RngString
                | Kind::RngToken
                | Kind::String
                | Kind::NormalizedString
                | Kind::Token
                | Kind::AnyAtomicType
                | Kind::UntypedAtomic
        )
    }

    /// Parses whitespace-processed text into a value; `Err` says why not (may be empty).
    /// `cx` resolves `QName` prefixes and knows the unparsed entities `ENTITY` must name.
    pub(crate) fn parse(self, s: &str, cx: &Context<'_>) -> Result<Value, String> {
        use Kind::*;
        match self {
            RngString | RngToken | String | NormalizedString | Token | AnyAtomicType
            | UntypedAtomic => Ok(Value::Str(s.to_string())),
            Language => names::check_language(s).map(|()| Value::Str(s.to_string())),
            Name => names::check_name(s).map(|()| Value::Str(s.to_string())),
            NcName | Id | Idref => names::check_ncname(s).map(|()| Value::Str(s.to_string())),
            Entity => entity(s, cx).map(|()| Value::Str(s.to_string())),
            NmToken => names::check_nmtoken(s).map(|()| Value::Str(s.to_string())),
            NmTokens => list(s, names::check_nmtoken),
            Idrefs => list(s, names::check_ncname),
            Entities => list(s, |item| entity(item, cx)),
            QName | Notation => names::parse_qname(s, cx),
            AnyUri => uri::check(s).map(|()| Value::Str(s.to_string())),
            Boolean => match s {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err("expected true, false, 1 or 0".into()),
            },
            Float => number::parse_float(s).map(|f| Value::Float(number::float_bits(f))),
            Double => number::parse_double(s).map(|f| Value::Double(number::double_bits(f))),
            Duration => duration::parse(s).map(Value::Duration),
            DateTime | Time | Date | GYearMonth | GYear | GMonthDay | GDay | GMonth => {
                temporal::parse(self, s).map(Value::DateTime)
            }
            HexBinary => binary::parse_hex(s).map(Value::Binary),
            Base64Binary => binary::parse_base64(s).map(Value::Binary),
            Decimal => number::Decimal::parse(s).map(Value::Decimal),
            _ => {
                let d = number::Decimal::parse_integer(s)?;
                number::check_integer_range(self, &d)?;
                Ok(Value::Decimal(d))
            }
        }
    }

    /// The lexical check without building a value (no allocation for the common types).
    /// (`ENTITY` and `ENTITIES` also check their names against `cx`'s unparsed entities.)
    pub(crate) fn lexically_allows(self, text: &str, cx: &Context<'_>) -> bool {
        use Kind::*;
        match self {
            RngString | RngToken | String | NormalizedString | Token | AnyAtomicType
            | UntypedAtomic => true,
            NcName | Id | Idref => names::is_ncname(trim(text)),
            Entity => {
                let t = trim(text);
                names::is_ncname(t) && cx.is_unparsed_entity(t)
            }
            Name => names::is_name(trim(text)),
            NmToken => names::is_nmtoken(trim(text)),
            NmTokens => {
                let mut n = 0;
                for item in text.split(is_space).filter(|s| !s.is_empty()) {
                    if !names::is_nmtoken(item) {
                        return false;
                    }
                    n += 1;
                }
                n > 0
            }
            Idrefs | Entities => {
                let entities = self == Entities;
                let mut n = 0;
                for item in text.split(is_space).filter(|s| !s.is_empty()) {
                    if !names::is_ncname(item) || (entities && !cx.is_unparsed_entity(item)) {
                        return false;
                    }
                    n += 1;
                }
                n > 0
            }
            AnyUri => {
                let t = self.whitespace().apply(text);
                uri::check(&t).is_ok()
            }
            Language => names::check_language(trim(text)).is_ok(),
            Boolean => matches!(trim(text), "true" | "false" | "1" | "0"),
            QName | Notation => names::qname_ok(trim(text), cx),
            Decimal => number::decimal_ok(trim(text)),
            Integer | NonPositiveInteger | NegativeInteger | Long | Int | Short | Byte
            | NonNegativeInteger | UnsignedLong | UnsignedInt | UnsignedShort | UnsignedByte
            | PositiveInteger => number::integer_ok(self, trim(text)),
            _ => {
                let t = self.whitespace().apply(text);
                self.parse(&t, cx).is_ok()
            }
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// An `ENTITY` name: an NCName that names an unparsed entity of the document.
fn entity(s: &str, cx: &Context<'_>) -> Result<(), String> {
    names::check_ncname(s)?;
    if cx.is_unparsed_entity(s) {
        Ok(())
    } else {
        Err(cx.undeclared_entity(s))
    }
}

/// A whitespace-separated list of at least one item, each checked by `item`.
fn list(s: &str, item: impl Fn(&str) -> Result<(), String>) -> Result<Value, String> {
    let mut out = Vec::new();
    for (i, part) in s.split(' ').filter(|p| !p.is_empty()).enumerate() {
        item(part).map_err(|why| format!("item {} \"{}\": {why}", i + 1, super::shorten(part)))?;
        out.push(Value::Str(part.to_string()));
    }
    if out.is_empty() {
        return Err("expected at least one item".into());
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for (n, k) in XSD {
            assert_eq!(Kind::from_name(n), Some(*k));
            assert_eq!(k.name(), *n);
        }
        assert_eq!(Kind::from_name("Date"), None);
        assert_eq!(suggest("Date"), Some("date"));
        assert_eq!(suggest("nonNegativeInt"), Some("nonNegativeInteger"));
        assert_eq!(suggest("zzzz"), None);
    }
}
