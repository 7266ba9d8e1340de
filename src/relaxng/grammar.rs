//! The compiled, simplified grammar: interned patterns plus the element, datatype and value
//! tables that [`Pattern::Element`](super::pattern::Pattern::Element),
//! [`Pattern::Data`](super::pattern::Pattern::Data) and
//! [`Pattern::Value`](super::pattern::Pattern::Value) index.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::datatypes;
use super::fxhash::FxHashMap;
use super::pattern::{NameClass, PatternArena, PatternId, ValueId};

/// A simplified grammar (spec section 4.19): a start pattern and one declaration per element.
#[derive(Debug)]
pub struct Grammar {
    /// Every pattern of the grammar, interned.
    pub patterns: PatternArena,
    /// Element declarations, indexed by [`ElementId`](super::pattern::ElementId).
    pub elements: Vec<ElementDecl>,
    /// Compiled datatypes (with params), indexed by [`DatatypeId`](super::pattern::DatatypeId).
    pub datatypes: Vec<datatypes::Datatype>,
    /// Parsed `<value>`s, indexed by [`ValueId`](super::pattern::ValueId).
    pub values: Vec<datatypes::Value>,
    /// The `<value>` texts as written in the schema (same index as `values`), for messages.
    pub value_texts: Vec<String>,
    /// The start pattern (a choice of elements, or `notAllowed`).
    pub start: PatternId,
    /// The `a:documentation` of attributes and of their values, by attribute pattern (for
    /// editors; validation never reads it). Attributes with the same name and content share
    /// one pattern: the first documentation given wins.
    pub attribute_docs: FxHashMap<PatternId, AttributeDocs>,
    /// The first `a:documentation` the schema gives each value (for a value whose
    /// attribute's own table lacks it, e.g. one in a shared definition).
    pub value_docs: FxHashMap<ValueId, Box<str>>,
}

/// The documentation of one attribute pattern.
#[derive(Debug, Clone, Default)]
pub struct AttributeDocs {
    /// The attribute's own `a:documentation`.
    pub doc: Option<Box<str>>,
    /// Its values' (those written inside it), in schema order.
    pub values: Vec<(ValueId, Box<str>)>,
}

/// One `<element>` of the schema after simplification.
#[derive(Debug, Clone)]
pub struct ElementDecl {
    /// Names the element may have.
    pub name: NameClass,
    /// Its content (attributes and children).
    pub content: PatternId,
    /// The text of its `a:documentation`, whitespace-trimmed, if any.
    pub documentation: Option<String>,
    /// The schema file that declares it.
    pub schema_file: Arc<Path>,
    /// Byte span of its `<element>` start tag in that file.
    pub schema_span: Range<usize>,
}
