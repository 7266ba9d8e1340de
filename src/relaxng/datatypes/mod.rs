//! RELAX NG datatype libraries: the built-in library (`string`, `token`) and the W3C XML Schema
//! Part 2 datatypes (`http://www.w3.org/2001/XMLSchema-datatypes`) with their facets.
//!
//! A [`Datatype`] is compiled once per schema (facet values parsed, `pattern` regexes
//! translated and compiled) and then shared by every document and thread: [`Datatype::allows`]
//! is the hot path, [`Datatype::check`] explains a failure, [`Datatype::value`] gives the value
//! used for `<value>` equality.

mod binary;
mod blocks;
mod context;
mod duration;
mod facets;
mod kind;
mod names;
mod number;
mod regex;
mod temporal;
mod uri;
mod whitespace;
mod xmlchars;

use std::fmt;

use crate::xml::NsContext;

pub use context::Context;
pub use duration::Duration;
pub use names::{is_name, is_ncname, is_nmtoken};
pub use number::Decimal;
pub use regex::{translate as translate_xsd_regex, XsdRegex};
pub use temporal::DateTime;

use facets::Facets;
use kind::Kind;

/// The namespace URI of the W3C XML Schema datatype library.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// A datatype with its params (facets) compiled once per schema; `Send + Sync`.
#[derive(Debug)]
pub struct Datatype {
    library: String,
    kind: Kind,
    facets: Facets,
}

/// A value in a datatype's value space, for `<value>` equality.
///
/// Two values are only ever compared when they come from the same datatype.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string-like value after the type's whitespace processing.
    Str(String),
    /// `xsd:boolean`.
    Bool(bool),
    /// `xsd:decimal` and the integer types.
    Decimal(Decimal),
    /// `xsd:float` as canonical bits (`-0` is `0`, every NaN is one NaN).
    Float(u32),
    /// `xsd:double` as canonical bits (`-0` is `0`, every NaN is one NaN).
    Double(u64),
    /// `xsd:duration`.
    Duration(Duration),
    /// `xsd:dateTime`, `time`, `date` and the `g*` types, normalised to UTC when zoned.
    DateTime(DateTime),
    /// `xsd:hexBinary` and `xsd:base64Binary` octets.
    Binary(Vec<u8>),
    /// `xsd:QName` and `xsd:NOTATION`: namespace URI and local name.
    QName {
        /// Namespace URI (`""` for none).
        ns: String,
        /// Local name.
        local: String,
    },
    /// The list types (`NMTOKENS`, `IDREFS`, `ENTITIES`): the items' values.
    List(Vec<Value>),
}

/// A datatype that cannot be built: unknown library or type, or a bad param. A schema error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatatypeError {
    /// What is wrong, naming what was found and what was expected.
    pub message: String,
}

impl DatatypeError {
    pub(crate) fn new(message: impl Into<String>) -> DatatypeError {
        DatatypeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DatatypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DatatypeError {}

/// The ID-ness of a datatype (RELAX NG DTD compatibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    /// Not an ID type.
    None,
    /// `xsd:ID`.
    Id,
    /// `xsd:IDREF`.
    Idref,
    /// `xsd:IDREFS`.
    Idrefs,
}

impl Datatype {
    /// Builds `name` from `library` (`""` = the RELAX NG built-ins `string` and `token`, or
    /// [`XSD_NS`]) with the params of `<param name=...>` in schema order.
    ///
    /// Errors: unknown library or type, unknown or invalid facet, a facet that does not apply
    /// to the type, params on the built-in library, a `pattern` that does not translate.
    pub fn new(
        library: &str,
        name: &str,
        params: &[(String, String)],
    ) -> Result<Datatype, DatatypeError> {
        let kind = match library {
            "" => match name {
                "string" => Kind::RngString,
                "token" => Kind::RngToken,
                _ => {
                    return Err(DatatypeError::new(format!(
                        "unknown datatype \"{name}\" in the built-in library (expected string or token)"
                    )))
                }
            },
            XSD_NS => Kind::from_name(name).ok_or_else(|| {
                DatatypeError::new(match kind::suggest(name) {
                    Some(s) => format!(
                        "unknown XML Schema datatype \"{name}\" (did you mean \"{s}\"?)"
                    ),
                    None => format!("unknown XML Schema datatype \"{name}\""),
                })
            })?,
            _ => {
                return Err(DatatypeError::new(format!(
                    "unknown datatype library \"{library}\" (expected \"\" or \"{XSD_NS}\")"
                )))
            }
        };
        if library.is_empty() {
            if let Some((p, _)) = params.first() {
                return Err(DatatypeError::new(format!(
                    "param \"{p}\" not allowed: the built-in datatype \"{name}\" takes no params"
                )));
            }
        }
        let facets = Facets::compile(kind, params)?;
        Ok(Datatype {
            library: library.to_string(),
            kind,
            facets,
        })
    }

    /// True when `text` is in the lexical space of this datatype and satisfies every facet.
    /// `ns` resolves prefixes for `QName` and `NOTATION`; the document is taken to declare no
    /// unparsed entities (see [`Datatype::allows_in`]).
    pub fn allows(&self, text: &str, ns: &dyn NsContext) -> bool {
        self.allows_in(text, &Context::without_entities(ns))
    }

    /// True when `text` is in the lexical space of this datatype and satisfies every facet,
    /// in context `cx` (namespace bindings, the document's unparsed entities).
    pub fn allows_in(&self, text: &str, cx: &Context<'_>) -> bool {
        if self.facets.is_empty() {
            return self.kind.lexically_allows(text, cx);
        }
        let normalized = self.kind.whitespace().apply(text);
        if self.facets.needs_value(self.kind) {
            match self.kind.parse(&normalized, cx) {
                Ok(value) => self
                    .facets
                    .check(self.kind, &normalized, Some(&value))
                    .is_ok(),
                Err(_) => false,
            }
        } else {
            self.kind.lexically_allows(&normalized, cx)
                && self.facets.check(self.kind, &normalized, None).is_ok()
        }
    }

    /// Why `text` is not allowed, for messages, e.g.
    /// `"1922-13-01" is not a valid date (month 13)` or
    /// `"abc" does not match the pattern [0-9]+`. No unparsed entities (see
    /// [`Datatype::check_in`]).
    pub fn check(&self, text: &str, ns: &dyn NsContext) -> Result<(), String> {
        self.check_in(text, &Context::without_entities(ns))
    }

    /// Why `text` is not allowed in context `cx`, for messages (`Ok` when it is).
    pub fn check_in(&self, text: &str, cx: &Context<'_>) -> Result<(), String> {
        let normalized = self.kind.whitespace().apply(text);
        if self.facets.needs_value(self.kind) {
            let value = self
                .kind
                .parse(&normalized, cx)
                .map_err(|why| self.invalid_message(text, &why))?;
            self.facets.check(self.kind, &normalized, Some(&value))
        } else {
            if !self.kind.lexically_allows(&normalized, cx) {
                let why = self.kind.parse(&normalized, cx).err().unwrap_or_default();
                return Err(self.invalid_message(text, &why));
            }
            self.facets.check(self.kind, &normalized, None)
        }
    }

    /// The value of `text` in the value space (after whitespace processing per the type's
    /// `whiteSpace` facet); `None` if `text` is not allowed (facets included). No unparsed
    /// entities: an `ENTITY` has no value here (as in jing for a `<value>` in a schema).
    pub fn value(&self, text: &str, ns: &dyn NsContext) -> Option<Value> {
        self.value_in(text, &Context::without_entities(ns))
    }

    /// The value of `text` in context `cx`; `None` if `text` is not allowed there.
    pub fn value_in(&self, text: &str, cx: &Context<'_>) -> Option<Value> {
        let normalized = self.kind.whitespace().apply(text);
        let value = self.kind.parse(&normalized, cx).ok()?;
        self.facets
            .check(self.kind, &normalized, Some(&value))
            .ok()?;
        Some(value)
    }

    /// True when `text` is allowed and its value equals `value` (a `<value>` pattern's value
    /// from [`Datatype::value`]); avoids building a value for the string-like types.
    pub fn matches_value(&self, text: &str, ns: &dyn NsContext, value: &Value) -> bool {
        self.matches_value_in(text, &Context::without_entities(ns), value)
    }

    /// [`Datatype::matches_value`] in context `cx`.
    pub fn matches_value_in(&self, text: &str, cx: &Context<'_>, value: &Value) -> bool {
        if self.facets.is_empty() && self.kind.allows_any_string() {
            return match value {
                Value::Str(v) => self.kind.whitespace().apply(text) == v.as_str(),
                _ => false,
            };
        }
        self.value_in(text, cx).as_ref() == Some(value)
    }

    /// Whether this datatype's verdicts depend on the context (namespace bindings for `QName`
    /// and `NOTATION`, unparsed entities for `ENTITY` and `ENTITIES`): a caller may memoise
    /// the verdicts of the others by text alone.
    pub fn depends_on_context(&self) -> bool {
        matches!(
            self.kind,
            Kind::QName | Kind::Notation | Kind::Entity | Kind::Entities
        )
    }

    /// The local type name, e.g. `anyURI`.
    pub fn name(&self) -> &str {
        self.kind.name()
    }

    /// The datatype library URI (`""` for the built-in library).
    pub fn library(&self) -> &str {
        &self.library
    }

    /// Whether this is an ID, IDREF or IDREFS type.
    pub fn id_type(&self) -> IdType {
        match self.kind {
            Kind::Id => IdType::Id,
            Kind::Idref => IdType::Idref,
            Kind::Idrefs => IdType::Idrefs,
            _ => IdType::None,
        }
    }

    /// True for `xsd:anyURI` (the attributes teikit treats as pointers).
    pub fn is_uri(&self) -> bool {
        self.kind == Kind::AnyUri
    }

    /// True when every string is allowed and values compare as strings (no facets), so that a
    /// validator may skip the call entirely (`string`, `token`, `normalizedString`, ...).
    pub fn allows_everything(&self) -> bool {
        self.facets.is_empty() && self.kind.allows_any_string()
    }

    /// A short description for messages: `xsd:date`, `xsd:token (pattern [A-Z]+)`.
    pub fn describe(&self) -> String {
        let prefix = if self.library.is_empty() { "" } else { "xsd:" };
        let mut s = format!("{prefix}{}", self.kind.name());
        let facets = self.facets.describe();
        if !facets.is_empty() {
            s.push_str(" (");
            s.push_str(&facets);
            s.push(')');
        }
        s
    }

    fn invalid_message(&self, text: &str, why: &str) -> String {
        let shown = shorten(text);
        let name = self.kind.name();
        if why.is_empty() {
            format!("\"{shown}\" is not a valid {name}")
        } else {
            format!("\"{shown}\" is not a valid {name} ({why})")
        }
    }
}

/// `text` for a message: escaped control characters, at most 60 characters.
pub(crate) fn shorten(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod test_ns {
    use crate::xml::NsContext;

    /// A fixed namespace context for unit tests.
    pub struct Ns(pub Vec<(&'static str, &'static str)>);

    impl NsContext for Ns {
        fn resolve(&self, prefix: &str) -> Option<&str> {
            self.0.iter().find(|(p, _)| *p == prefix).map(|(_, u)| *u)
        }
    }

    /// No namespaces in scope.
    pub fn none() -> Ns {
        Ns(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::test_ns::none;
    use super::*;

    fn xsd(name: &str, params: &[(&str, &str)]) -> Result<Datatype, DatatypeError> {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Datatype::new(XSD_NS, name, &params)
    }

    #[test]
    fn messages_name_what_was_found_and_expected() {
        let date = xsd("date", &[]).unwrap();
        assert_eq!(
            date.check("1922-13-01", &none()).unwrap_err(),
            "\"1922-13-01\" is not a valid date (month 13)"
        );
        let digits = xsd("token", &[("pattern", "[0-9]+")]).unwrap();
        assert_eq!(
            digits.check("abc", &none()).unwrap_err(),
            "\"abc\" does not match the pattern [0-9]+"
        );
        assert_eq!(digits.describe(), "xsd:token (pattern [0-9]+)");
        let uri = xsd("anyURI", &[]).unwrap();
        assert_eq!(
            uri.check("f%oo", &none()).unwrap_err(),
            "\"f%oo\" is not a valid anyURI ('%' at character 2 must be followed by two hex digits)"
        );
        assert!(uri.is_uri());
        let short = xsd("string", &[("maxLength", "2")]).unwrap();
        assert_eq!(
            short.check("abc", &none()).unwrap_err(),
            "\"abc\" has 3 characters: expected at most 2 (maxLength)"
        );
        let small = xsd("integer", &[("maxInclusive", "10")]).unwrap();
        assert_eq!(
            small.check("11", &none()).unwrap_err(),
            "\"11\" is not at most 10 (maxInclusive)"
        );
    }

    /// A library, a type name and params.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    #[test]
    fn schema_errors() {
        let cases: &[Case] = &[
            ("", "decimal", &[]),
            ("", "token", &[("length", "2")]),
            ("http://example.com/lib", "token", &[]),
            (XSD_NS, "tok", &[]),
            (XSD_NS, "token", &[("minInclusive", "1")]),
            (XSD_NS, "integer", &[("minLength", "1")]),
            (XSD_NS, "integer", &[("fractionDigits", "2")]),
            (XSD_NS, "decimal", &[("totalDigits", "0")]),
            (XSD_NS, "token", &[("whiteSpace", "collapse")]),
            (XSD_NS, "token", &[("enumeration", "a")]),
            (XSD_NS, "token", &[("length", "-1")]),
            (XSD_NS, "token", &[("length", "2"), ("length", "3")]),
            (XSD_NS, "token", &[("length", "2"), ("maxLength", "3")]),
            (XSD_NS, "token", &[("minLength", "3"), ("maxLength", "2")]),
            (XSD_NS, "byte", &[("maxInclusive", "1000")]),
            (
                XSD_NS,
                "date",
                &[
                    ("minInclusive", "2000-01-01"),
                    ("maxExclusive", "1999-01-01"),
                ],
            ),
            (
                XSD_NS,
                "decimal",
                &[("totalDigits", "2"), ("fractionDigits", "3")],
            ),
            (XSD_NS, "token", &[("pattern", "[")]),
            (XSD_NS, "token", &[("foo", "1")]),
        ];
        for (lib, name, params) in cases {
            let params: Vec<(String, String)> = params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            assert!(
                Datatype::new(lib, name, &params).is_err(),
                "{lib} {name} {params:?}"
            );
        }
        let e = xsd("Date", &[]).unwrap_err();
        assert!(e.to_string().contains("did you mean \"date\""), "{e}");
    }

    #[test]
    fn facets_apply() {
        let ns = none();
        let t = xsd("token", &[("pattern", "[a-z]+"), ("pattern", "[a-c]+")]).unwrap();
        assert!(t.allows(" abc ", &ns));
        assert!(!t.allows("abd", &ns), "every pattern param must match");
        let hex = xsd("hexBinary", &[("length", "2")]).unwrap();
        assert!(hex.allows("00ff", &ns));
        assert!(!hex.allows("00", &ns));
        let list = xsd("NMTOKENS", &[("maxLength", "2")]).unwrap();
        assert!(list.allows("a  b", &ns));
        assert!(!list.allows("a b c", &ns));
        let money = xsd("decimal", &[("totalDigits", "4"), ("fractionDigits", "2")]).unwrap();
        assert!(money.allows("12.50", &ns));
        assert!(!money.allows("123.45", &ns));
        assert!(!money.allows("1.234", &ns));
        let after = xsd("date", &[("minExclusive", "1900-01-01")]).unwrap();
        assert!(after.allows("1900-01-02", &ns));
        assert!(!after.allows("1900-01-01", &ns));
        let f = xsd("double", &[("maxInclusive", "1")]).unwrap();
        assert!(!f.allows("NaN", &ns));
        assert!(f.allows("-INF", &ns));
        for dt in [&t, &hex, &list, &money, &after, &f] {
            for v in [
                "abc",
                "00ff",
                "a b",
                "12.50",
                "1900-01-02",
                "0.5",
                "",
                " x ",
            ] {
                let d = dt.describe();
                assert_eq!(dt.allows(v, &ns), dt.check(v, &ns).is_ok(), "{d} {v:?}");
                assert_eq!(dt.allows(v, &ns), dt.value(v, &ns).is_some(), "{d} {v:?}");
            }
        }
    }

    #[test]
    fn values_and_ids() {
        let ns = none();
        let d = xsd("decimal", &[]).unwrap();
        assert_eq!(d.value("1.50", &ns), d.value("01.5", &ns));
        let f = xsd("float", &[]).unwrap();
        assert_eq!(f.value("NaN", &ns), f.value(" NaN ", &ns));
        assert_eq!(f.value("-0", &ns), f.value("0", &ns));
        assert_eq!(xsd("ID", &[]).unwrap().id_type(), IdType::Id);
        assert_eq!(xsd("IDREFS", &[]).unwrap().id_type(), IdType::Idrefs);
        let token = Datatype::new("", "token", &[]).unwrap();
        assert_eq!(token.library(), "");
        assert_eq!(token.describe(), "token");
        let want = token.value("a b", &ns).unwrap();
        assert!(token.matches_value("  a \n b ", &ns, &want));
        assert!(!token.matches_value("ab", &ns, &want));
        let string = Datatype::new("", "string", &[]).unwrap();
        let v = string.value("a b", &ns).unwrap();
        assert!(!string.matches_value(" a b", &ns, &v));
    }
}
