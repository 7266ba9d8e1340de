//! What the assembler needs to know of one XML resource, read once: its elements (ranges in
//! the text, tree links, namespaces in scope, `xml:id`, `xml:base`, `xml:lang`) and its
//! XInclude elements. Owned data, so that a resource parsed once serves every include of it.

use std::collections::HashMap;
use std::ops::Range;

/// The XInclude namespace.
pub const XI_NS: &str = "http://www.w3.org/2001/XInclude";

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// No element (a root's parent, a leaf's first child).
pub const NONE: u32 = u32::MAX;

/// What an element is to XInclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any element outside the XInclude namespace.
    Plain,
    /// `xi:include`.
    Include,
    /// `xi:fallback`.
    Fallback,
    /// Another element in the XInclude namespace.
    OtherXi,
}

/// One element.
#[derive(Debug, Clone)]
pub struct Elem {
    /// The whole element, `<` of its start tag to `>` of its end tag.
    pub range: Range<usize>,
    /// Its content (between the tags; empty at the end of an empty-element tag).
    pub content: Range<usize>,
    /// Where its name ends in the start tag (attributes added by fix-up go there).
    pub name_end: usize,
    /// Its parent element, or [`NONE`].
    pub parent: u32,
    /// Its first child element, or [`NONE`].
    pub first_child: u32,
    /// Its next sibling element, or [`NONE`].
    pub next_sibling: u32,
    /// Its namespaces in scope (an index into [`Outline::scopes`]).
    pub scope: u32,
    /// What it is to XInclude.
    pub kind: Kind,
}

/// Namespaces in scope: (prefix, URI), `None` for the default namespace; `xml` left out.
pub type Scope = Vec<(Option<Box<str>>, Box<str>)>;

/// An attribute's value and the range of the value in the text.
pub type Value = (Box<str>, Range<usize>);

/// The elements of one resource.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Every element in document order (the root first).
    pub elems: Vec<Elem>,
    /// The distinct namespace scopes.
    pub scopes: Vec<Scope>,
    /// `xml:id` (and DTD-less `id` is not an ID) to element.
    pub ids: HashMap<Box<str>, u32>,
    /// The XInclude elements, in document order.
    pub xi: Vec<u32>,
    /// Attributes of elements by (element, name): `xml:base`, `xml:lang` anywhere; `href`,
    /// `parse`, `xpointer`, `encoding` of `xi:include`s; each with the range of its value.
    pub attrs: HashMap<(u32, &'static str), Value>,
}

/// Why a resource could not be read as XML: a message and the byte offset of the problem.
#[derive(Debug, Clone)]
pub struct Malformed {
    /// What is wrong.
    pub message: String,
    /// Where (byte offset in the text).
    pub at: usize,
}

/// The attribute names kept, with their namespace.
const KEPT: &[(Option<&str>, &str, &str)] = &[
    (Some(XML_NS), "base", "xml:base"),
    (Some(XML_NS), "lang", "xml:lang"),
];
const KEPT_XI: &[&str] = &["href", "parse", "xpointer", "encoding"];

impl Outline {
    /// Reads `text` (one parse; entities of its own DTD expanded, external ones never read).
    pub fn read(text: &str) -> Result<Outline, Malformed> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
            let pos = e.pos();
            Malformed {
                message: e.to_string(),
                at: offset_of(text, pos.row, pos.col),
            }
        })?;
        let mut o = Outline::default();
        // node id -> element index, for parents
        let mut index: HashMap<u32, u32> = HashMap::new();
        // last child seen per element, to link siblings
        let mut last_child: Vec<u32> = Vec::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            let i = o.elems.len() as u32;
            index.insert(node.id().get(), i);
            let parent = node
                .parent_element()
                .and_then(|p| index.get(&p.id().get()).copied())
                .unwrap_or(NONE);
            let scope: Scope = node
                .namespaces()
                .filter(|n| n.name() != Some("xml"))
                .map(|n| (n.name().map(Into::into), n.uri().into()))
                .collect();
            let scope = match parent {
                p if p != NONE && o.scopes[o.elems[p as usize].scope as usize] == scope => {
                    o.elems[p as usize].scope
                }
                _ => {
                    o.scopes.push(scope);
                    o.scopes.len() as u32 - 1
                }
            };
            let range = node.range();
            let name_end = range.start
                + 1
                + text[range.start + 1..]
                    .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                    .unwrap_or(0);
            let content = match (node.first_child(), node.last_child()) {
                (Some(f), Some(l)) => f.range().start..l.range().end,
                _ => range.end..range.end,
            };
            let kind = match (node.tag_name().namespace(), node.tag_name().name()) {
                (Some(XI_NS), "include") => Kind::Include,
                (Some(XI_NS), "fallback") => Kind::Fallback,
                (Some(XI_NS), _) => Kind::OtherXi,
                _ => Kind::Plain,
            };
            if kind != Kind::Plain {
                o.xi.push(i);
            }
            for a in node.attributes() {
                let keep = KEPT
                    .iter()
                    .find(|(ns, local, _)| a.namespace() == *ns && a.name() == *local)
                    .map(|k| k.2)
                    .or_else(|| {
                        (kind == Kind::Include && a.namespace().is_none())
                            .then(|| KEPT_XI.iter().find(|n| **n == a.name()).copied())
                            .flatten()
                    });
                if let Some(name) = keep {
                    o.attrs
                        .insert((i, name), (a.value().into(), a.range_value()));
                }
                if a.namespace() == Some(XML_NS) && a.name() == "id" {
                    o.ids.entry(a.value().trim().into()).or_insert(i);
                }
            }
            o.elems.push(Elem {
                range,
                content,
                name_end,
                parent,
                first_child: NONE,
                next_sibling: NONE,
                scope,
                kind,
            });
            last_child.push(NONE);
            if parent != NONE {
                let prev = last_child[parent as usize];
                if prev == NONE {
                    o.elems[parent as usize].first_child = i;
                } else {
                    o.elems[prev as usize].next_sibling = i;
                }
                last_child[parent as usize] = i;
            }
        }
        Ok(o)
    }

    /// The value of attribute `name` (as listed in [`Outline::attrs`]) of element `e`.
    pub fn attr(&self, e: u32, name: &'static str) -> Option<&str> {
        self.attrs.get(&(e, name)).map(|(v, _)| &**v)
    }

    /// The `n`th (1-based) child element of `e`.
    pub fn child(&self, e: u32, n: usize) -> Option<u32> {
        let mut c = self.elems[e as usize].first_child;
        for _ in 1..n {
            if c == NONE {
                return None;
            }
            c = self.elems[c as usize].next_sibling;
        }
        (c != NONE).then_some(c)
    }

    /// The child elements of `e`.
    pub fn children(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.elems[e as usize].first_child;
        std::iter::successors((first != NONE).then_some(first), |&c| {
            let n = self.elems[c as usize].next_sibling;
            (n != NONE).then_some(n)
        })
    }

    /// `e` and its ancestors, innermost first.
    pub fn ancestors(&self, e: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(e), |&a| {
            let p = self.elems[a as usize].parent;
            (p != NONE).then_some(p)
        })
    }

    /// The `xml:lang` in scope at `e` (its own or an ancestor's).
    pub fn lang(&self, e: u32) -> Option<&str> {
        self.ancestors(e).find_map(|a| self.attr(a, "xml:lang"))
    }

    /// The namespaces in scope at `e`.
    pub fn scope(&self, e: u32) -> &Scope {
        &self.scopes[self.elems[e as usize].scope as usize]
    }
}

/// The names of the attributes written in the start tag that begins at `start` (namespace
/// declarations included), as written. `text` is well-formed there.
pub fn tag_attribute_names(text: &str, name_end: usize) -> Vec<&str> {
    let b = text.as_bytes();
    let mut names = Vec::new();
    let mut i = name_end;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
            return names;
        }
        let from = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        names.push(&text[from..i]);
        while i < b.len() && b[i] != b'"' && b[i] != b'\'' {
            i += 1;
        }
        let Some(&q) = b.get(i) else { return names };
        i += 1;
        while i < b.len() && b[i] != q {
            i += 1;
        }
        i += 1;
    }
}

/// The byte offset of 1-based `row` and `col` (characters) in `text`.
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(row.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    text[start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_scopes_and_links() {
        let t = r#"<a xmlns="u" xmlns:p="v"><b xml:id="x"/><p:c xmlns="w" xml:lang="de"><d/></p:c></a>"#;
        let o = Outline::read(t).unwrap();
        assert_eq!(o.elems.len(), 4);
        assert_eq!(o.child(0, 2), Some(2));
        assert_eq!(o.child(0, 3), None);
        assert_eq!(o.ids.get("x").copied(), Some(1));
        assert_eq!(o.elems[1].scope, o.elems[0].scope);
        let s = o.scope(3);
        assert!(s.contains(&(None, "w".into())) && s.contains(&(Some("p".into()), "v".into())));
        assert_eq!(o.lang(3), Some("de"));
        assert_eq!(o.lang(1), None);
        assert_eq!(&t[o.elems[2].range.start..o.elems[2].name_end], "<p:c");
        assert_eq!(
            tag_attribute_names(t, o.elems[2].name_end),
            ["xmlns", "xml:lang"]
        );
        assert_eq!(&t[o.elems[2].content.clone()], "<d/>");
    }

    #[test]
    fn malformed_has_a_place() {
        let e = Outline::read("<a>\n  <b></a>").unwrap_err();
        assert!(e.at > 3, "{e:?}");
    }
}
