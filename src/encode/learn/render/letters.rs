//! Finding the letters of a TEI file: the `text` (or each `text` of a `group`), and in its
//! `body` every division typed as a letter, telegram or card. With no such division, the whole
//! body is the letter (writing sessions, address divisions and sections are its parts). Else
//! each is a letter, with the envelopes, letter-part divisions and editorial divisions (read
//! only when editorial matter is kept) that follow it (those before the first letter belong to
//! it); other divisions beside a letter (a second text on the same sheet, an enclosure) are not
//! part of it.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::kinds::{div_kind, is_div, tei_name, DivKind};

/// One letter's place in the document.
#[derive(Debug, Clone)]
pub(super) struct Unit<'a, 'i> {
    /// Its `front` (letter-part divisions only are read from it), when the letter is the body.
    pub front: Option<Node<'a, 'i>>,
    /// The body, or the letter division followed by the divisions that belong to it.
    pub nodes: Vec<Node<'a, 'i>>,
    /// Its `back` (letter-part divisions only), when the letter is the body.
    pub back: Option<Node<'a, 'i>>,
    /// The letter division's `xml:id`, when it has one.
    pub id: Option<String>,
}

/// The letters of a document, in document order.
pub(super) fn units<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<Unit<'a, 'i>> {
    let root = doc.root_element();
    let mut texts = Vec::new();
    for child in root.children() {
        if tei_name(child) == Some("text") {
            collect_texts(child, &mut texts);
        }
    }
    let mut out = Vec::new();
    for text in texts {
        let part = |name: &str| text.children().find(|c| tei_name(*c) == Some(name));
        let Some(body) = part("body") else {
            continue;
        };
        let mut letters = Vec::new();
        find_letters(body, &mut letters);
        if letters.is_empty() {
            out.push(Unit {
                front: part("front"),
                nodes: vec![body],
                back: part("back"),
                id: None,
            });
            continue;
        }
        let single = letters.len() == 1;
        let index: HashMap<roxmltree::NodeId, usize> = letters
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id(), i))
            .collect();
        // Each letter takes the envelopes, letter-part and editorial divisions after it, up to
        // the next letter (those before the first letter go to it); other divisions beside a
        // letter (a second text on the sheet, an enclosure) are not part of it.
        let mut units: Vec<Unit> = letters
            .iter()
            .map(|l| Unit {
                front: single.then(|| part("front")).flatten(),
                nodes: vec![*l],
                back: single.then(|| part("back")).flatten(),
                id: xml_id(*l),
            })
            .collect();
        let mut parents: Vec<Node> = Vec::new();
        let mut seen = HashSet::new();
        for l in &letters {
            if let Some(p) = l.parent() {
                if seen.insert(p.id()) {
                    parents.push(p);
                }
            }
        }
        for parent in parents {
            let mut leading = Vec::new();
            let mut current: Option<usize> = None;
            for node in parent.children() {
                if let Some(&i) = index.get(&node.id()) {
                    current = Some(i);
                    units[i].nodes.splice(0..0, std::mem::take(&mut leading));
                    continue;
                }
                let attached = tei_name(node).is_some_and(is_div)
                    && matches!(
                        div_kind(node),
                        DivKind::Address | DivKind::Part(_) | DivKind::Editorial
                    );
                if !attached {
                    continue;
                }
                match current {
                    Some(i) => units[i].nodes.push(node),
                    None => leading.push(node),
                }
            }
        }
        out.extend(units);
    }
    out
}

fn collect_texts<'a, 'i>(text: Node<'a, 'i>, out: &mut Vec<Node<'a, 'i>>) {
    let group = text.children().find(|c| tei_name(*c) == Some("group"));
    match group {
        Some(g) => {
            for child in g.children() {
                match tei_name(child) {
                    Some("text") => collect_texts(child, out),
                    Some("group") => {
                        for t in child.children().filter(|c| tei_name(*c) == Some("text")) {
                            collect_texts(t, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        None => out.push(text),
    }
}

/// The outermost letter divisions under `node`.
fn find_letters<'a, 'i>(node: Node<'a, 'i>, out: &mut Vec<Node<'a, 'i>>) {
    for child in node.children() {
        let Some(name) = tei_name(child) else {
            continue;
        };
        if !is_div(name) {
            continue;
        }
        match div_kind(child) {
            DivKind::Letter => out.push(child),
            DivKind::Editorial | DivKind::Picture => {}
            _ => find_letters(child, out),
        }
    }
}

fn xml_id(node: Node) -> Option<String> {
    node.attribute((crate::export::register::XML_NS, "id"))
        .map(str::to_string)
}
