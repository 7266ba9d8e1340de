//! Unit tests over a small schema written here (the cases under `tests/cases/ide` run the
//! TEI grammars).

use std::sync::Arc;

use super::*;
use crate::relaxng::{FsResolver, Schema};

const SCHEMA: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes" ns="urn:x">
  <start><ref name="doc"/></start>
  <define name="doc">
    <element name="doc">
      <a:documentation>A whole document.</a:documentation>
      <optional><attribute name="lang"><a:documentation>Its language.</a:documentation></attribute></optional>
      <ref name="head"/>
      <zeroOrMore><choice><ref name="p"/><ref name="list"/></choice></zeroOrMore>
      <optional><element name="tail"><empty/></element></optional>
    </element>
  </define>
  <define name="head"><element name="head"><text/></element></define>
  <define name="p">
    <element name="p">
      <a:documentation>A paragraph.</a:documentation>
      <optional><attribute name="type">
        <a:documentation>What kind of paragraph.</a:documentation>
        <choice>
          <value>intro</value>
          <a:documentation>The first one.</a:documentation>
          <value>body</value>
          <a:documentation>Any other.</a:documentation>
        </choice>
      </attribute></optional>
      <optional><attribute name="rend"><list><oneOrMore><choice>
        <value>bold</value><value>italic</value></choice></oneOrMore></list></attribute></optional>
      <zeroOrMore><choice><text/><ref name="hi"/></choice></zeroOrMore>
    </element>
  </define>
  <define name="hi"><element name="hi"><text/></element></define>
  <define name="list">
    <element name="list">
      <attribute name="n"/>
      <choice><attribute name="a"/><attribute name="b"/></choice>
      <attribute name="id" ns="http://www.w3.org/XML/1998/namespace"/>
      <oneOrMore><element name="item"><text/></element></oneOrMore>
    </element>
  </define>
</grammar>"#;

fn assist() -> SchemaAssist {
    let schema = Schema::from_str(SCHEMA, "/mem/x.rng", &FsResolver).expect("schema compiles");
    SchemaAssist::new(Arc::new(schema))
}

/// Completion labels at the `|` in `doc`.
fn at(a: &SchemaAssist, doc: &str) -> (CompletionContext, Vec<String>) {
    let cursor = doc.find('|').expect("a cursor");
    let text = doc.replacen('|', "", 1);
    let c = a.complete(&text, cursor);
    (c.context, c.items.into_iter().map(|i| i.label).collect())
}

const OPEN: &str = "<doc xmlns=\"urn:x\">";

#[test]
fn elements_follow_the_content_model() {
    let a = assist();
    let (_, l) = at(&a, "|");
    assert_eq!(l, ["doc"]);
    let (ctx, l) = at(&a, &format!("{OPEN}|"));
    assert_eq!(
        ctx,
        CompletionContext::Content {
            parent: Some("doc".into())
        }
    );
    assert_eq!(l, ["</doc>", "head"]);
    let (_, l) = at(&a, &format!("{OPEN}<head>t</head><p>x</p>|"));
    assert_eq!(l, ["</doc>", "list", "p", "tail"]);
    let (_, l) = at(&a, &format!("{OPEN}<head/><tail/>|"));
    assert_eq!(l, ["</doc>"]);
    // after `<`, a partial name: the names, the range to replace
    let text = format!("{OPEN}<head/><pa");
    let c = a.complete(&text, text.len());
    assert_eq!(
        c.context,
        CompletionContext::ElementName {
            parent: Some("doc".into())
        }
    );
    assert_eq!(&text[c.replace.clone()], "pa");
    assert!(c.items.iter().any(|i| i.label == "p" && i.insert == "p"));
    let p = c.items.iter().find(|i| i.label == "p").unwrap();
    assert_eq!(p.gloss.as_deref(), Some("A paragraph."));
    assert_eq!(p.kind, CompletionKind::Element);
}

#[test]
fn unclosed_and_mismatched_ancestors_recover() {
    let a = assist();
    // `p` never closed, an end tag that matches nothing
    let (_, l) = at(&a, &format!("{OPEN}<head/><p>text <hi>x</hi></nothing> |"));
    assert_eq!(l, ["</p>", "hi"]);
    // an element the schema does not allow there is left out
    let (_, l) = at(&a, &format!("{OPEN}<bogus/><head/>|"));
    assert_eq!(l, ["</doc>", "list", "p", "tail"]);
    // an error before the cursor: `item` outside a list (taken against its declaration,
    // `doc` going on as if it were not there)
    let (_, l) = at(&a, &format!("{OPEN}<head/><item>x</item><p>y</p>|"));
    assert_eq!(l, ["</doc>", "list", "p", "tail"]);
    // `tail` too early: allowed once `head` is skipped, and nothing may follow it
    let (_, l) = at(&a, &format!("{OPEN}<tail/><head/>|"));
    assert_eq!(l, ["</doc>"]);
}

#[test]
fn attributes_values_and_glosses() {
    let a = assist();
    let (ctx, l) = at(&a, &format!("{OPEN}<head/><p |"));
    assert_eq!(
        ctx,
        CompletionContext::AttributeName {
            element: "p".into()
        }
    );
    assert_eq!(l, ["rend", "type"]);
    // present attributes (also after the cursor) are not offered again
    let (_, l) = at(&a, &format!("{OPEN}<head/><p | type=\"intro\">"));
    assert_eq!(l, ["rend"]);
    let text = format!("{OPEN}<head/><p type=\"in");
    let c = a.complete(&text, text.len());
    assert_eq!(&text[c.replace.clone()], "in");
    let got: Vec<(&str, Option<&str>)> = c
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.gloss.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("intro", Some("The first one.")),
            ("body", Some("Any other."))
        ]
    );
    // a list: only the token typed is replaced
    let text = format!("{OPEN}<head/><p rend=\"bold it");
    let c = a.complete(&text, text.len());
    assert_eq!(&text[c.replace.clone()], "it");
    // no quote typed: the value comes quoted
    let text = format!("{OPEN}<head/><p type=");
    let c = a.complete(&text, text.len());
    assert_eq!(c.items[0].insert, "\"intro\"");

    assert_eq!(a.element_gloss("doc"), Some("A whole document."));
    assert_eq!(a.element_gloss("{urn:x}p"), Some("A paragraph."));
    assert_eq!(a.element_gloss("{urn:y}p"), None);
    assert_eq!(
        a.attribute_gloss("p", "type"),
        Some("What kind of paragraph.")
    );
    assert_eq!(a.attribute_gloss("doc", "lang"), Some("Its language."));
    assert_eq!(a.attribute_gloss("p", "lang"), None);
    assert_eq!(a.value_gloss("p", "type", "body"), Some("Any other."));
    assert_eq!(a.value_gloss("p", "type", "other"), None);
}

#[test]
fn required_attributes_are_the_missing_ones() {
    let a = assist();
    let text = format!("{OPEN}<head/><list n=\"1\"><item/></list>");
    let at = text.find("<list").unwrap();
    assert_eq!(a.required_attributes(&text, at), ["a", "b", "xml:id"]);
    let text = format!("{OPEN}<head/><list n=\"1\" b=\"\" xml:id=\"x\">");
    let at = text.find("<list").unwrap();
    assert!(a.required_attributes(&text, at).is_empty());
    // not at a start tag
    assert!(a.required_attributes(&text, 1).is_empty());
    // required ones are marked in completion
    let c = a.complete(&text[..at + 6], at + 6);
    let n: Vec<(&str, bool)> = c
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.required))
        .collect();
    assert_eq!(n, [("a", true), ("b", true), ("n", true), ("xml:id", true)]);
}

#[test]
fn nothing_in_comments_and_never_a_panic() {
    let a = assist();
    let (ctx, l) = at(&a, &format!("{OPEN}<!-- <p |"));
    assert_eq!(ctx, CompletionContext::None);
    assert!(l.is_empty());
    let text = format!("{OPEN}<head>é</head><p>é<hi");
    for i in 0..=text.len() + 2 {
        let _ = a.complete(&text, i);
        let _ = a.required_attributes(&text, i);
    }
}
