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

#[cfg(test)]
mod tests {
    use super::super::test_ns::none;
    use super::super::{Datatype, Value, XSD_NS};
    use super::*;

    fn xsd(name: &str, params: &[(&str, &str)]) -> Datatype {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        match Datatype::new(XSD_NS, name, &params) {
            Ok(d) => d,
            Err(e) => panic!("{name}: {e}"),
        }
    }

    #[test]
    fn entity_types_need_a_declared_unparsed_entity() {
        let ns = none();
        let declared: BTreeSet<String> = ["map", "portrait"].map(String::from).into();
        let cx = Context::new(&ns, &declared);
        let entity = xsd("ENTITY", &[]);
        assert!(entity.depends_on_context());
        assert!(entity.allows_in(" map ", &cx));
        assert!(!entity.allows_in("photo", &cx));
        assert!(!entity.allows_in("1map", &cx), "still an NCName first");
        assert_eq!(
            entity.check_in("photo", &cx).unwrap_err(),
            "\"photo\" is not a valid ENTITY (no unparsed entity \"photo\" is declared; the \
             document's DTD declares \"map\", \"portrait\")"
        );
        assert_eq!(entity.value_in("map", &cx), Some(Value::Str("map".into())));
        // Without the document's entities (a schema's `<value>`): no ENTITY value at all.
        assert!(!entity.allows("map", &ns));
        assert_eq!(entity.value("map", &ns), None);
        assert!(entity
            .check("map", &ns)
            .unwrap_err()
            .contains("the document's DTD declares none"));

        let entities = xsd("ENTITIES", &[("maxLength", "2")]);
        assert!(entities.allows_in("map portrait", &cx));
        assert!(!entities.allows_in("map portrait map", &cx), "maxLength");
        assert!(!entities.allows_in("map photo", &cx));
        assert_eq!(
            entities.check_in("map photo", &cx).unwrap_err(),
            "\"map photo\" is not a valid ENTITIES (item 2 \"photo\": no unparsed entity \
             \"photo\" is declared; the document's DTD declares \"map\", \"portrait\")"
        );
        let want = entities.value_in("map  portrait", &cx).expect("a value");
        assert!(entities.matches_value_in(" map portrait ", &cx, &want));
        assert!(!xsd("NCName", &[]).depends_on_context());
        assert!(xsd("QName", &[]).depends_on_context());
        for dt in [&entity, &entities] {
            for v in ["map", "photo", "map portrait", "", " portrait "] {
                let d = dt.describe();
                assert_eq!(
                    dt.allows_in(v, &cx),
                    dt.check_in(v, &cx).is_ok(),
                    "{d} {v:?}"
                );
                assert_eq!(
                    dt.allows_in(v, &cx),
                    dt.value_in(v, &cx).is_some(),
                    "{d} {v:?}"
                );
            }
        }
    }
}
