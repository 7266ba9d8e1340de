//! What a datatype may ask about the place a value stands (RELAX NG's `ValidationContext`):
//! namespace bindings for `QName` and `NOTATION`, the document's unparsed entities for
//! `ENTITY` and `ENTITIES`.

use std::collections::BTreeSet;

use crate::xml::NsContext;

/// No unparsed entities (a document without a DOCTYPE, or a schema).
static NO_ENTITIES: BTreeSet<String> = BTreeSet::new();

/// The context of a value: the namespace bindings in scope and the unparsed entities
/// (`<!ENTITY name SYSTEM "…" NDATA notation>`) the document's DTD declares.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    ns: &'a dyn NsContext,
    unparsed: &'a BTreeSet<String>,
}

impl<'a> Context<'a> {
    /// A context with namespace bindings `ns` and the unparsed entity names `unparsed`.
    pub fn new(ns: &'a dyn NsContext, unparsed: &'a BTreeSet<String>) -> Context<'a> {
        Context { ns, unparsed }
    }

    /// A context with namespace bindings `ns` and no unparsed entities, where `ENTITY` and
    /// `ENTITIES` allow no value (as in jing for a `<value>` in a schema).
    pub fn without_entities(ns: &'a dyn NsContext) -> Context<'a> {
        Context {
            ns,
            unparsed: &NO_ENTITIES,
        }
    }

    /// The namespace bindings.
    pub fn ns(&self) -> &'a dyn NsContext {
        self.ns
    }

    /// Whether `name` is an unparsed entity the document declares.
    pub fn is_unparsed_entity(&self, name: &str) -> bool {
        self.unparsed.contains(name)
    }

    /// Why `name` is not an unparsed entity of this document (for messages).
    pub(crate) fn undeclared_entity(&self, name: &str) -> String {
        let shown = super::shorten(name);
        if self.unparsed.is_empty() {
            format!("no unparsed entity \"{shown}\" is declared: the document's DTD declares none")
        } else {
            let mut names: Vec<String> = self
                .unparsed
                .iter()
                .take(8)
                .map(|n| format!("\"{}\"", super::shorten(n)))
                .collect();
            if self.unparsed.len() > 8 {
                names.push("…".into());
            }
            format!(
                "no unparsed entity \"{shown}\" is declared; the document's DTD declares {}",
                names.join(", ")
            )
        }
    }
}

impl NsContext for Context<'_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        self.ns.resolve(prefix)
    }
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("unparsed", &self.unparsed)
            .finish_non_exhaustive()
    }
}
