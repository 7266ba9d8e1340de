//! What the validator needs from a compiled schema, as a trait: [`crate::relaxng::Schema`]
//! implements it, and tests implement it over grammars built by hand.

use crate::relaxng::pattern::{DatatypeId, ElementId, NameClass, Pattern, PatternId, ValueId};
use crate::xml::NsContext;

/// A compiled schema as the validator sees it: a frozen pattern arena, element declarations,
/// datatypes and values.
pub trait SchemaView {
    /// Identifies this schema instance (e.g. its address): a thread's memo is reused only for
    /// the schema it was built for.
    fn cache_key(&self) -> usize;
    /// Number of patterns (ids `0..pattern_count()`).
    fn pattern_count(&self) -> u32;
    /// The pattern with id `id` (< `pattern_count()`).
    fn pattern(&self, id: PatternId) -> &Pattern;
    /// The id of `p` if the schema has it.
    fn lookup(&self, p: &Pattern) -> Option<PatternId>;
    /// The start pattern.
    fn start(&self) -> PatternId;
    /// Number of element declarations.
    fn element_count(&self) -> u32;
    /// The name class of element declaration `e`.
    fn element_name(&self, e: ElementId) -> &NameClass;
    /// The content pattern of element declaration `e`.
    fn element_content(&self, e: ElementId) -> PatternId;
    /// The documentation of element declaration `e`.
    fn element_doc(&self, e: ElementId) -> Option<&str>;
    /// The documentation of the element named `{ns}local`.
    fn documentation_of(&self, ns: &str, local: &str) -> Option<&str>;
    /// Whether datatype `dt` allows `text`.
    fn data_allows(&self, dt: DatatypeId, text: &str, ns: &dyn NsContext) -> bool;
    /// Why datatype `dt` rejects `text` (Ok when it does not).
    fn data_check(&self, dt: DatatypeId, text: &str, ns: &dyn NsContext) -> Result<(), String>;
    /// A short name for datatype `dt`, e.g. `xsd:date`.
    fn data_describe(&self, dt: DatatypeId) -> String;
    /// Whether `text`, parsed by datatype `dt`, equals value `v`.
    fn value_matches(&self, dt: DatatypeId, v: ValueId, text: &str, ns: &dyn NsContext) -> bool;
    /// Value `v` as written in the schema.
    fn value_text(&self, v: ValueId) -> String;
}
