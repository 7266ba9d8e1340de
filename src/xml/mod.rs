//! Streaming XML reading with positions: decoding (UTF-8, UTF-16 with BOM, declared
//! encodings), well-formedness, namespaces, internal DTD entities (never external ones), and
//! events with byte spans for the RELAX NG engine and the checks.

mod event;

pub use event::{Attribute, EndTag, Handler, NsContext, StartTag};

use crate::diagnostic::Code;

/// Every code of the `tei::xml` area.
pub static CODES: &[&Code] = &[];
