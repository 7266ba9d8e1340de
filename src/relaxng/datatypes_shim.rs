//! TEMPORARY stand-in for helper rngd's `datatypes` module, with the same names, so the
//! compiler builds before that module lands. Only the built-in library (`string`, `token`) is
//! implemented; every XSD type is accepted without checking its facets. Deleted on merge.

use crate::xml::NsContext;

/// The XML Schema datatypes library URI.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// A datatype with its params.
#[derive(Debug, Clone)]
pub struct Datatype {
    library: String,
    name: String,
}

/// A value in a datatype's value space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string value (whitespace-collapsed for `token`).
    Str(String),
}

/// Why a datatype or its params are not usable.
#[derive(Debug, Clone)]
pub struct DatatypeError {
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for DatatypeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// ID-ness of a datatype (DTD compatibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    /// Not an ID type.
    None,
    /// `ID`.
    Id,
    /// `IDREF`.
    Idref,
    /// `IDREFS`.
    Idrefs,
}

impl Datatype {
    /// Compiles a datatype.
    pub fn new(
        library: &str,
        name: &str,
        params: &[(String, String)],
    ) -> Result<Datatype, DatatypeError> {
        let ok = match library {
            "" => matches!(name, "string" | "token") && params.is_empty(),
            XSD_NS => true,
            _ => false,
        };
        if !ok {
            return Err(DatatypeError {
                message: format!("unknown datatype {name} in library \"{library}\""),
            });
        }
        Ok(Datatype {
            library: library.into(),
            name: name.into(),
        })
    }

    /// Whether `text` is allowed.
    pub fn allows(&self, _text: &str, _ns: &dyn NsContext) -> bool {
        true
    }

    /// Parses into the value space.
    pub fn value(&self, text: &str, _ns: &dyn NsContext) -> Option<Value> {
        if self.name == "string" {
            Some(Value::Str(text.to_string()))
        } else {
            Some(Value::Str(
                text.split_ascii_whitespace().collect::<Vec<_>>().join(" "),
            ))
        }
    }

    /// Local type name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Library URI.
    pub fn library(&self) -> &str {
        &self.library
    }

    /// ID-ness.
    pub fn id_type(&self) -> IdType {
        match (self.library.as_str(), self.name.as_str()) {
            (XSD_NS, "ID") => IdType::Id,
            (XSD_NS, "IDREF") => IdType::Idref,
            (XSD_NS, "IDREFS") => IdType::Idrefs,
            _ => IdType::None,
        }
    }

    /// Whether this is `xsd:anyURI`.
    pub fn is_uri(&self) -> bool {
        self.library == XSD_NS && self.name == "anyURI"
    }
}
