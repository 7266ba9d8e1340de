//! Drives a [`Handler`] from a roxmltree document: the reader until `crate::xml::parse` is
//! wired in, and the test harness for the checks.

use crate::xml::{Attribute, EndTag, Handler, NsContext, StartTag};
use std::ops::Range;

struct Ns<'a, 'input>(roxmltree::Node<'a, 'input>);

impl NsContext for Ns<'_, '_> {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix.is_empty() {
            self.0.lookup_namespace_uri(None)
        } else {
            self.0.lookup_namespace_uri(Some(prefix))
        }
    }
}

/// End of the start tag that begins at `start` (index after `>`).
fn start_tag_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut quote = 0u8;
    let mut i = start;
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

/// Parses `text` with roxmltree and sends its events to `handler`.
pub(crate) fn drive(text: &str, handler: &mut dyn Handler) -> Result<(), roxmltree::Error> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)?;
    walk(doc.root(), text, handler);
    Ok(())
}

fn walk(node: roxmltree::Node<'_, '_>, text: &str, h: &mut dyn Handler) {
    for child in node.children() {
        match child.node_type() {
            roxmltree::NodeType::Element => element(child, text, h),
            roxmltree::NodeType::Text => h.text(child.text().unwrap_or(""), child.range()),
            roxmltree::NodeType::PI => {
                if let Some(pi) = child.pi() {
                    h.processing_instruction(pi.target, pi.value.unwrap_or(""), child.range());
                }
            }
            _ => {}
        }
    }
}

fn element(node: roxmltree::Node<'_, '_>, text: &str, h: &mut dyn Handler) {
    let range = node.range();
    let tag_end = start_tag_end(text, range.start);
    let empty = text.get(..tag_end).is_some_and(|t| t.ends_with("/>"));
    let qname_end = text[range.start + 1..tag_end]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .map_or(tag_end, |i| range.start + 1 + i);
    let qname = &text[range.start + 1..qname_end];
    let attrs: Vec<Attribute<'_>> = node
        .attributes()
        .map(|a| {
            let span: Range<usize> = a.range();
            let raw = &text[span.clone()];
            let q = raw.split('=').next().unwrap_or("").trim();
            Attribute {
                ns: a.namespace().unwrap_or(""),
                local: a.name(),
                qname: q,
                value: a.value(),
                span,
                value_span: a.range_value(),
            }
        })
        .collect();
    let ns = Ns(node);
    let tag = StartTag {
        ns: node.tag_name().namespace().unwrap_or(""),
        local: node.tag_name().name(),
        qname,
        span: range.start..tag_end,
        attributes: &attrs,
        empty,
        namespaces: &ns,
    };
    h.start_element(&tag);
    walk(node, text, h);
    let end_span = if empty {
        range.start..tag_end
    } else {
        text[..range.end].rfind("</").unwrap_or(range.start)..range.end
    };
    h.end_element(&EndTag {
        ns: tag.ns,
        local: tag.local,
        qname,
        span: end_span,
    });
}
