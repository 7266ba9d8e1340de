//! Unit tests over schemas compiled from RELAX NG text: the document's unparsed entities as
//! datatype context (`ENTITY`, `ENTITIES`) and the thread memo's key.

use super::*;
use crate::relaxng::FsResolver;

const XSD: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// `element doc { attribute a { xsd:TYPE }?, xsd:TYPE? }`: the type both in an attribute and
/// as text content.
fn compile(ty: &str) -> Schema {
    let rng = format!(
        r#"<element xmlns="http://relaxng.org/ns/structure/1.0" name="doc" datatypeLibrary="{XSD}">
             <optional><attribute name="a"><data type="{ty}"/></attribute></optional>
             <optional><data type="{ty}"/></optional>
           </element>"#
    );
    match Schema::from_str(&rng, "/mem/doc.rng", &FsResolver) {
        Ok(s) => s,
        Err(e) => panic!("{ty}: {e}"),
    }
}

/// The codes of the error diagnostics of `xml`, and their messages.
fn errors<S: SchemaView + ?Sized>(s: &S, xml: &str) -> (Vec<&'static str>, String) {
    let d = validate_str(s, xml);
    let codes = d.iter().map(|d| d.code.id).collect();
    let messages = d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>();
    (codes, messages.join("\n"))
}

const DTD: &str = "<!DOCTYPE doc [\n<!NOTATION jpeg SYSTEM 'image/jpeg'>\n\
                   <!ENTITY portrait SYSTEM 'portrait.jpg' NDATA jpeg>\n\
                   <!ENTITY text SYSTEM 'text.xml'>\n\
                   <!ENTITY map SYSTEM 'map.jpg' NDATA jpeg>\n]>\n";

#[test]
fn entity_values_must_name_an_unparsed_entity_of_the_document() {
    let s = compile("ENTITY");
    for (xml, want) in [
        (format!("{DTD}<doc a='portrait'/>"), vec![]),
        (format!("{DTD}<doc> map </doc>"), vec![]),
        (
            format!("{DTD}<doc a='photo'/>"),
            vec!["tei::rng::invalid_attribute_value"],
        ),
        // A parsed (non-NDATA) entity is not an unparsed entity.
        (
            format!("{DTD}<doc>text</doc>"),
            vec!["tei::rng::invalid_text_value"],
        ),
        // Without a DOCTYPE there are no entities at all.
        (
            "<doc a='portrait'/>".to_string(),
            vec!["tei::rng::invalid_attribute_value"],
        ),
    ] {
        let (codes, messages) = errors(&s, &xml);
        assert_eq!(codes, want, "{xml}\n{messages}");
    }
    let (_, messages) = errors(&s, &format!("{DTD}<doc a='photo'/>"));
    assert!(
        messages.contains(
            "no unparsed entity \"photo\" is declared; the document's DTD declares \"map\", \
             \"portrait\""
        ),
        "{messages}"
    );
    let (_, messages) = errors(&s, "<doc>portrait</doc>");
    assert!(
        messages.contains("the document's DTD declares none"),
        "{messages}"
    );
}

#[test]
fn entities_values_must_each_name_an_unparsed_entity() {
    let s = compile("ENTITIES");
    let (codes, messages) = errors(&s, &format!("{DTD}<doc a=' map  portrait'>portrait</doc>"));
    assert!(codes.is_empty(), "{messages}");
    let (codes, messages) = errors(&s, &format!("{DTD}<doc a='map text'/>"));
    assert_eq!(codes, ["tei::rng::invalid_attribute_value"], "{messages}");
    assert!(
        messages.contains("item 2 \"text\": no unparsed entity \"text\" is declared"),
        "{messages}"
    );
}

#[test]
fn entities_of_one_document_do_not_leak_into_the_next() {
    // Same thread, same memo: the entity types are never memoised by text.
    let s = compile("ENTITY");
    assert!(errors(&s, &format!("{DTD}<doc a='map'>map</doc>"))
        .0
        .is_empty());
    let (codes, messages) = errors(&s, "<doc a='map'>map</doc>");
    assert_eq!(
        codes,
        [
            "tei::rng::invalid_attribute_value",
            "tei::rng::invalid_text_value"
        ],
        "{messages}"
    );
}

/// The schema the thread's memo was last built for.
fn thread_memo_key() -> Option<u64> {
    THREAD_CACHE.with(|c| c.borrow().as_ref().map(|c| c.key))
}

#[test]
fn schemas_validated_alternately_on_one_thread_do_not_share_memo_entries() {
    // Two schemas of the same shape (same patterns, same element names) that differ only in
    // a datatype: an attribute value memoised for one must not answer for the other.
    let doc = "<doc a='12'/>";
    let int = compile("integer");
    let date = compile("date");
    assert_ne!(int.instance_id(), date.instance_id());
    for _ in 0..3 {
        assert!(errors(&int, doc).0.is_empty());
        assert_eq!(thread_memo_key(), Some(int.instance_id()));
        let (codes, messages) = errors(&date, doc);
        assert_eq!(codes, ["tei::rng::invalid_attribute_value"], "{messages}");
        assert_eq!(thread_memo_key(), Some(date.instance_id()));
    }
    // Each schema built in the same stack slot after the previous one is dropped: the same
    // address, the same shape, never the same memo.
    for i in 0..6 {
        let (ty, valid) = if i % 2 == 0 {
            ("integer", true)
        } else {
            ("date", false)
        };
        let s = compile(ty);
        let (codes, messages) = errors(&s, doc);
        assert_eq!(codes.is_empty(), valid, "{ty} round {i}: {messages}");
        assert_eq!(thread_memo_key(), Some(s.instance_id()));
    }
}

#[test]
fn an_entity_value_in_a_schema_is_a_schema_error_as_in_jing() {
    // A schema declares no unparsed entities, so `<value type="ENTITY">` has no value.
    let rng = format!(
        r#"<element xmlns="http://relaxng.org/ns/structure/1.0" name="doc" datatypeLibrary="{XSD}">
             <value type="ENTITY">map</value>
           </element>"#
    );
    let e = Schema::from_str(&rng, "/mem/doc.rng", &FsResolver)
        .expect_err("an ENTITY value in a schema");
    assert!(
        e.to_string()
            .contains("no unparsed entity \"map\" is declared"),
        "{e}"
    );
}

/// QName content resolves its prefix from the namespaces in scope, whether or not the validator
/// sees the source text (streamed files do not keep it).
#[test]
fn qname_content_resolves_prefixes_without_the_source_text() {
    let s = compile("QName");
    for (xml, want) in [
        ("<doc xmlns:p='urn:p'>p:b</doc>", vec![]),
        ("<doc xmlns:p='urn:p' a='p:c'>p:b</doc>", vec![]),
        ("<doc>q:b</doc>", vec!["tei::rng::invalid_text_value"]),
        ("<doc a='q:c'/>", vec!["tei::rng::invalid_attribute_value"]),
    ] {
        // with the source (validate_str) and without it (a plain validator over the reader)
        let (codes, messages) = errors(&s, xml);
        assert_eq!(codes, want, "{xml}\n{messages}");
        let mut v = Validator::new(&s);
        let opts = crate::xml::ParseOptions {
            window: 4,
            ..Default::default()
        };
        let wf = crate::xml::parse_read(&mut xml.as_bytes(), &mut v, &opts).expect("reads");
        assert!(wf.is_empty(), "{wf:?}");
        let d = v.finish();
        let codes: Vec<&str> = d.iter().map(|d| d.code.id).collect();
        assert_eq!(codes, want, "streamed: {xml}\n{d:?}");
    }
}
