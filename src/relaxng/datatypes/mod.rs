//! RELAX NG datatype libraries: the built-in library (`string`, `token`) and the W3C XML Schema
//! Part 2 datatypes (`http://www.w3.org/2001/XMLSchema-datatypes`) with their facets.
//!
//! A [`Datatype`] is compiled once per schema (facet values parsed, `pattern` regexes
//! translated and compiled) and then shared by every document and thread: [`Datatype::allows`]
//! is the hot path, [`Datatype::check`] explains a failure, [`Datatype::value`] gives the value
//! used for `<value>` equality.

mod binary;
mod blocks;
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
    /// `ns` resolves prefixes for `QName` and `NOTATION`.
    pub fn allows(&self, text: &str, ns: &dyn NsContext) -> bool {
        if self.facets.is_empty() {
            return self.kind.lexically_allows(text, ns);
        }
        let normalized = self.kind.whitespace().apply(text);
        if self.facets.needs_value(self.kind) {
            match self.kind.parse(&normalized, ns) {
                Ok(value) => self
                    .facets
                    .check(self.kind, &normalized, Some(&value))
                    .is_ok(),
                Err(_) => false,
            }
        } else {
            self.kind.lexically_allows(&normalized, ns)
                && self.facets.check(self.kind, &normalized, None).is_ok()
        }
    }

    /// Why `text` is not allowed, for messages, e.g.
    /// `"1922-13-01" is not a valid date (month 13)` or
    /// `"abc" does not match the pattern [0-9]+`.
    pub fn check(&self, text: &str, ns: &dyn NsContext) -> Result<(), String> {
        let normalized = self.kind.whitespace().apply(text);
        if self.facets.needs_value(self.kind) {
            let value = self
                .kind
                .parse(&normalized, ns)
                .map_err(|why| self.invalid_message(text, &why))?;
            self.facets.check(self.kind, &normalized, Some(&value))
        } else {
            if !self.kind.lexically_allows(&normalized, ns) {
                let why = self.kind.parse(&normalized, ns).err().unwrap_or_default();
                return Err(self.invalid_message(text, &why));
            }
            self.facets.check(self.kind, &normalized, None)
        }
    }

    /// The value of `text` in the value space (after whitespace processing per the type's
    /// `whiteSpace` facet); `None` if `text` is not allowed (facets included).
    pub fn value(&self, text: &str, ns: &dyn NsContext) -> Option<Value> {
        let normalized = self.kind.whitespace().apply(text);
        let value = self.kind.parse(&normalized, ns).ok()?;
        self.facets
            .check(self.kind, &normalized, Some(&value))
            .ok()?;
        Some(value)
    }

    /// True when `text` is allowed and its value equals `value` (a `<value>` pattern's value
    /// from [`Datatype::value`]); avoids building a value for the string-like types.
    pub fn matches_value(&self, text: &str, ns: &dyn NsContext, value: &Value) -> bool {
        if self.facets.is_empty() && self.kind.allows_any_string() {
            return match value {
                Value::Str(v) => self.kind.whitespace().apply(text) == v.as_str(),
                _ => false,
            };
        }
        self.value(text, ns).as_ref() == Some(value)
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
        let article = if self
            .kind
            .name()
            .starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U'])
        {
            "an"
        } else {
            "a"
        };
        if why.is_empty() {
            format!("\"{shown}\" is not {article} valid {}", self.describe())
        } else {
            format!(
                "\"{shown}\" is not {article} valid {} ({why})",
                self.describe()
            )
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
