//! Streaming XML reading with positions: decoding (UTF-8, UTF-16 with BOM, declared
//! encodings), well-formedness, namespaces, internal DTD entities (never external ones), and
//! events with byte spans for the RELAX NG engine and the checks.
//!
//! ```
//! use teikit::xml::{decode, parse, Handler, ParseOptions, StartTag, EndTag};
//! struct Count(usize);
//! impl Handler for Count {
//!     fn start_element(&mut self, _: &StartTag<'_>) { self.0 += 1 }
//!     fn end_element(&mut self, _: &EndTag<'_>) {}
//!     fn text(&mut self, _: &str, _: std::ops::Range<usize>) {}
//! }
//! let d = decode(b"<TEI><text/></TEI>").unwrap();
//! let mut c = Count(0);
//! assert!(parse(&d.text, &mut c, &ParseOptions::default()).is_empty());
//! assert_eq!(c.0, 2);
//! ```

mod chars;
pub mod codes;
mod decl;
mod decode;
mod dtd;
mod element;
mod entity;
mod event;
mod ns;
mod reader;
mod stream;
mod tag;
mod tee;
mod text;

pub use decode::{decode, Decoded};
pub use event::{Attribute, EndTag, Handler, NsContext, StartTag};
pub use ns::{XMLNS_NS, XML_NS};
pub use reader::{parse, parse_read, ParseOptions};
pub use stream::for_each_text;
pub use tee::Tee;

use crate::diagnostic::Code;

/// Every code of the `tei::xml` area.
pub static CODES: &[&Code] = &[
    &codes::ENCODING,
    &codes::UNKNOWN_ENCODING,
    &codes::NOT_WELL_FORMED,
    &codes::XML_DECLARATION,
    &codes::MISMATCHED_END_TAG,
    &codes::UNEXPECTED_END_TAG,
    &codes::UNCLOSED_ELEMENT,
    &codes::DUPLICATE_ATTRIBUTE,
    &codes::INVALID_CHARACTER,
    &codes::INVALID_NAME,
    &codes::TEXT_OUTSIDE_ROOT,
    &codes::MULTIPLE_ROOTS,
    &codes::NO_ROOT,
    &codes::UNDEFINED_ENTITY,
    &codes::BAD_CHARACTER_REFERENCE,
    &codes::LT_IN_ATTRIBUTE,
    &codes::UNESCAPED_AMPERSAND,
    &codes::BAD_ATTRIBUTE,
    &codes::CDATA_END_IN_TEXT,
    &codes::UNBOUND_PREFIX,
    &codes::BAD_NAMESPACE_DECLARATION,
    &codes::MISPLACED_DOCTYPE,
    &codes::DTD_SYNTAX,
    &codes::ENTITY_EXPANSION_LIMIT,
    &codes::ENTITY_LOOP,
    &codes::ENTITY_NOT_BALANCED,
    &codes::EXTERNAL_ENTITY_IGNORED,
    &codes::PARAMETER_ENTITY_IGNORED,
    &codes::UNSUPPORTED_VERSION,
];
