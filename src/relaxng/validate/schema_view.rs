//! What the validator needs from a compiled schema, as a trait: [`crate::relaxng::Schema`]
//! implements it, and tests implement it over grammars built by hand.

use crate::relaxng::datatypes::Context;
use crate::relaxng::pattern::{
    DatatypeId, ElementId, NameClass, Pattern, PatternId, PatternStore as _, ValueId,
};

/// A compiled schema as the validator sees it: a frozen pattern arena, element declarations,
/// datatypes and values.
pub trait SchemaView {
    /// A number unique to this schema object within the process and never reused, even after
    /// it is dropped (not its address: a new schema may be built at the same address); `0` is
    /// reserved for no schema. A thread's memo is reused only for the schema it was built for.
    fn cache_key(&self) -> u64;
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
    /// Whether datatype `dt` allows `text` in context `cx`.
    fn data_allows(&self, dt: DatatypeId, text: &str, cx: &Context<'_>) -> bool;
    /// Why datatype `dt` rejects `text` in context `cx` (Ok when it does not).
    fn data_check(&self, dt: DatatypeId, text: &str, cx: &Context<'_>) -> Result<(), String>;
    /// A short name for datatype `dt`, e.g. `xsd:date`.
    fn data_describe(&self, dt: DatatypeId) -> String;
    /// Whether datatype `dt` judges a text the same in every context (everything but the
    /// QName-like and entity types), so that its verdicts may be memoised by text.
    fn data_context_free(&self, dt: DatatypeId) -> bool {
        let _ = dt;
        false
    }
    /// Whether `text`, parsed by datatype `dt` in context `cx`, equals value `v`.
    fn value_matches(&self, dt: DatatypeId, v: ValueId, text: &str, cx: &Context<'_>) -> bool;
    /// Value `v` as written in the schema.
    fn value_text(&self, v: ValueId) -> String;
}

impl SchemaView for crate::relaxng::Schema {
    fn cache_key(&self) -> u64 {
        self.instance_id()
    }
    fn pattern_count(&self) -> u32 {
        self.grammar().patterns.len() as u32
    }
    fn pattern(&self, id: PatternId) -> &Pattern {
        self.grammar().patterns.get(id)
    }
    fn lookup(&self, p: &Pattern) -> Option<PatternId> {
        self.grammar().patterns.lookup(p)
    }
    fn start(&self) -> PatternId {
        self.grammar().start
    }
    fn element_count(&self) -> u32 {
        self.grammar().elements.len() as u32
    }
    fn element_name(&self, e: ElementId) -> &NameClass {
        &self.grammar().elements[e as usize].name
    }
    fn element_content(&self, e: ElementId) -> PatternId {
        match self.grammar().elements.get(e as usize) {
            Some(d) => d.content,
            None => crate::relaxng::pattern::NOT_ALLOWED,
        }
    }
    fn element_doc(&self, e: ElementId) -> Option<&str> {
        self.grammar()
            .elements
            .get(e as usize)?
            .documentation
            .as_deref()
    }
    fn documentation_of(&self, ns: &str, local: &str) -> Option<&str> {
        self.element_documentation(ns, local)
    }
    fn data_allows(&self, dt: DatatypeId, text: &str, cx: &Context<'_>) -> bool {
        self.grammar()
            .datatypes
            .get(dt as usize)
            .is_some_and(|d| d.allows_in(text, cx))
    }
    fn data_check(&self, dt: DatatypeId, text: &str, cx: &Context<'_>) -> Result<(), String> {
        match self.grammar().datatypes.get(dt as usize) {
            Some(d) => d.check_in(text, cx),
            None => Err("unknown datatype".into()),
        }
    }
    fn data_describe(&self, dt: DatatypeId) -> String {
        match self.grammar().datatypes.get(dt as usize) {
            Some(d) => d.describe(),
            None => "unknown datatype".into(),
        }
    }
    fn data_context_free(&self, dt: DatatypeId) -> bool {
        self.grammar()
            .datatypes
            .get(dt as usize)
            .is_some_and(|d| !d.depends_on_context())
    }
    fn value_matches(&self, dt: DatatypeId, v: ValueId, text: &str, cx: &Context<'_>) -> bool {
        let g = self.grammar();
        match (g.datatypes.get(dt as usize), g.values.get(v as usize)) {
            (Some(d), Some(want)) => d.value_in(text, cx).as_ref() == Some(want),
            _ => false,
        }
    }
    fn value_text(&self, v: ValueId) -> String {
        self.grammar()
            .value_texts
            .get(v as usize)
            .cloned()
            .unwrap_or_default()
    }
}
