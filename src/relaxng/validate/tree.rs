//! Validating a document held as a roxmltree tree: the tree is replayed as
//! [`crate::xml::Handler`] events with the same spans the streaming reader gives).

use std::ops::Range;

use super::{SchemaView, Validator};
use crate::diagnostic::Diagnostic;
use crate::xml::{Attribute, EndTag, Handler, NsContext, StartTag};

/// Namespaces in scope at a roxmltree node.
struct NodeNs<'a, 'input>(roxmltree::Node<'a, 'input>);

impl NsContext for NodeNs<'_, '_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(super::XML_NS);
        }
        let p = if prefix.is_empty() {
            None
        } else {
            Some(prefix)
        };
        self.0.lookup_namespace_uri(p)
    }
}

/// Reads `text` with the streaming reader ([`crate::xml::parse`]) and validates it against
/// `schema`: the reader's diagnostics (`tei::xml::*`, well-formedness) come first, then the
/// validator's (`tei::rng::*`). After a fatal well-formedness error the document is cut short
/// and only the errors before it count.
pub fn validate_str<S: SchemaView + ?Sized>(schema: &S, text: &str) -> Vec<Diagnostic> {
    let mut v = Validator::new(schema);
    let mut diags = crate::xml::parse(
        text,
        &mut v.with_source(text),
        &crate::xml::ParseOptions::default(),
    );
    diags.extend(v.finish());
    diags
}

/// Like [`validate_str`], with the memo in `cache` instead of the thread's.
pub fn validate_str_with<S: SchemaView + ?Sized>(
    schema: &S,
    text: &str,
    cache: &mut super::Cache,
) -> Vec<Diagnostic> {
    let mut v = Validator::with_cache(schema, cache);
    let mut diags = crate::xml::parse(
        text,
        &mut v.with_source(text),
        &crate::xml::ParseOptions::default(),
    );
    diags.extend(v.finish());
    diags
}

/// Validates a parsed document (`text` is the source it was parsed from).
pub fn validate_tree<S: SchemaView + ?Sized>(
    schema: &S,
    doc: &roxmltree::Document<'_>,
    text: &str,
) -> Vec<Diagnostic> {
    let mut v = Validator::new(schema);
    replay(doc, text, &mut v.with_source(text));
    v.finish()
}

/// The end of the start tag that begins at `from`: the first `>` outside quotes.
fn start_tag_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut quote = 0u8;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'"' || b == b'\'' {
            quote = b;
        } else if b == b'>' {
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn qname_at(text: &str, from: usize) -> &str {
    let rest = text.get(from..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>' || c == '=')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Sends the events of `doc` to `handler`.
pub(crate) fn replay(doc: &roxmltree::Document<'_>, text: &str, handler: &mut dyn Handler) {
    for child in doc.root().children() {
        replay_node(child, text, handler);
    }
}

fn replay_node(node: roxmltree::Node<'_, '_>, text: &str, handler: &mut dyn Handler) {
    // Iterative walk: documents can be deep.
    let mut stack: Vec<(roxmltree::Node<'_, '_>, bool)> = vec![(node, false)];
    let mut attrs: Vec<Attribute<'_>> = Vec::new();
    while let Some((n, closing)) = stack.pop() {
        if closing {
            let r = n.range();
            let start_end = start_tag_end(text, r.start);
            let (span, qname) = if start_end >= r.end {
                (r.start..r.end, qname_at(text, r.start + 1))
            } else {
                let s = text[..r.end].rfind("</").unwrap_or(r.start);
                (s..r.end, qname_at(text, s + 2))
            };
            handler.end_element(&EndTag {
                ns: n.tag_name().namespace().unwrap_or(""),
                local: n.tag_name().name(),
                qname,
                span,
            });
            continue;
        }
        match n.node_type() {
            roxmltree::NodeType::Element => {
                let r = n.range();
                let end = start_tag_end(text, r.start);
                attrs.clear();
                for a in n.attributes() {
                    let ar = a.range();
                    let vr = a.range_value();
                    attrs.push(Attribute {
                        ns: a.namespace().unwrap_or(""),
                        local: a.name(),
                        qname: qname_at(text, ar.start),
                        value: a.value(),
                        span: ar,
                        value_span: vr,
                    });
                }
                let ns = NodeNs(n);
                handler.start_element(&StartTag {
                    ns: n.tag_name().namespace().unwrap_or(""),
                    local: n.tag_name().name(),
                    qname: qname_at(text, r.start + 1),
                    span: r.start..end,
                    attributes: &attrs,
                    empty: end >= r.end,
                    namespaces: &ns,
                });
                stack.push((n, true));
                let children: Vec<_> = n.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
            roxmltree::NodeType::Text => {
                handler.text(n.text().unwrap_or(""), n.range());
            }
            roxmltree::NodeType::PI => {
                if let Some(pi) = n.pi() {
                    handler.processing_instruction(pi.target, pi.value.unwrap_or(""), n.range());
                }
            }
            _ => {}
        }
    }
}

/// Byte range helper for tests: the line range (1-based, inclusive) a span covers.
pub fn line_range(text: &str, span: &Range<usize>) -> (u32, u32) {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    let first = text.as_bytes()[..start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1;
    let extra = text.as_bytes()[start..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32;
    (first, first + extra)
}
