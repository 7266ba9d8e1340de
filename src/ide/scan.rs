//! A tolerant reading of a document up to a cursor: the stack of open elements, each with
//! its closed children (start tags only: their content is never kept), and where the cursor
//! stands (element content, a start tag's name, an attribute, a value, an end tag). Nothing
//! here fails: a document being typed is rarely well-formed. Unclosed elements stay open, an
//! end tag closes the nearest open element of its name (those inside it count as closed),
//! an end tag that matches nothing is ignored. One pass over the text before the cursor, each
//! byte looked at a bounded number of times.

use std::ops::Range;

/// How far up the stack an end tag looks for its element (a bound on pathological input).
const MATCH_DEPTH: usize = 256;

/// A closed child of an open element, or text between its children.
#[derive(Debug, Clone)]
pub(crate) enum Child {
    /// An element, closed before the cursor: its start tag's byte range.
    Element(Range<usize>),
    /// Text that is not only whitespace: its byte range (CDATA sections included).
    Text(Range<usize>),
}

/// An element open at the cursor.
#[derive(Debug, Clone)]
pub(crate) struct Open {
    /// Its start tag's byte range.
    pub tag: Range<usize>,
    /// Its qualified name's byte range.
    pub name: Range<usize>,
    /// Its children closed before the cursor (and text between them), in order.
    pub children: Vec<Child>,
}

/// Where the cursor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spot {
    /// Between tags (element content, or the document before or after its root).
    Content,
    /// In the name of a start tag being typed (`<` at `lt`, the name typed so far is
    /// `name`).
    StartName { lt: usize, name: Range<usize> },
    /// In an end tag being typed (`</` at `lt`, the name typed so far is `name`).
    EndName { lt: usize, name: Range<usize> },
    /// In a start tag after its name (`tag` runs from `<` to the cursor), where an attribute
    /// name may go; `partial` is the name typed so far (empty when none).
    AttributeName {
        tag: Range<usize>,
        name: Range<usize>,
        partial: Range<usize>,
    },
    /// In the value of attribute `attr` (its name's range) of the start tag `tag`; `value`
    /// is the value typed so far (after the quote, or after `=` when no quote was typed);
    /// `quote` is the quote opened, if any.
    AttributeValue {
        tag: Range<usize>,
        name: Range<usize>,
        attr: Range<usize>,
        value: Range<usize>,
        quote: Option<u8>,
    },
    /// Somewhere nothing is offered: a comment, a processing instruction, a CDATA section,
    /// the DOCTYPE, an end tag's trailing space, a start tag's `=` with no name.
    Elsewhere,
}

/// The document read up to the cursor.
#[derive(Debug, Clone)]
pub(crate) struct Outline {
    /// The closed top-level elements (and text) before the cursor.
    pub top: Vec<Child>,
    /// The open elements, outermost first.
    pub open: Vec<Open>,
    /// Where the cursor is.
    pub spot: Spot,
}

/// Whether `b` may be part of an XML name (ASCII name characters, and every non-ASCII byte:
/// names are only delimited here, never judged).
pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') || b >= 0x80
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The largest char boundary of `text` not after `offset`.
pub(crate) fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Reads `text[..cursor]` (cursor already on a char boundary).
pub(crate) fn outline(text: &str, cursor: usize) -> Outline {
    let b = &text.as_bytes()[..cursor];
    let mut top: Vec<Child> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    let push_child = |open: &mut Vec<Open>, top: &mut Vec<Child>, c: Child| match open.last_mut() {
        Some(o) => o.children.push(c),
        None => top.push(c),
    };
    while i < b.len() {
        if b[i] != b'<' {
            let start = i;
            let end = b[i..]
                .iter()
                .position(|&c| c == b'<')
                .map_or(b.len(), |k| i + k);
            if b[start..end].iter().any(|&c| !is_space(c)) {
                push_child(&mut open, &mut top, Child::Text(start..end));
            }
            i = end;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            match find(b, i + 4, b"-->") {
                Some(e) => i = e + 3,
                None => return finish(top, open, Spot::Elsewhere),
            }
        } else if rest.starts_with(b"<![CDATA[") {
            match find(b, i + 9, b"]]>") {
                Some(e) => {
                    push_child(&mut open, &mut top, Child::Text(i..e + 3));
                    i = e + 3;
                }
                None => return finish(top, open, Spot::Elsewhere),
            }
        } else if rest.starts_with(b"<?") {
            match find(b, i + 2, b"?>") {
                Some(e) => i = e + 2,
                None => return finish(top, open, Spot::Elsewhere),
            }
        } else if rest.starts_with(b"<!") {
            match doctype_end(b, i + 2) {
                Some(e) => i = e,
                None => return finish(top, open, Spot::Elsewhere),
            }
        } else if rest.starts_with(b"</") {
            let name_start = i + 2;
            let mut j = name_start;
            while j < b.len() && is_name_byte(b[j]) {
                j += 1;
            }
            let name = name_start..j;
            let gt = b[j..]
                .iter()
                .position(|&c| c == b'>' || c == b'<')
                .map(|k| j + k);
            match gt {
                Some(g) if b[g] == b'>' => {
                    close(text, &mut open, &mut top, name);
                    i = g + 1;
                }
                Some(g) => {
                    // `</x` followed by another tag: an unfinished end tag, taken as one
                    close(text, &mut open, &mut top, name);
                    i = g;
                }
                None if j == b.len() => {
                    return finish(top, open, Spot::EndName { lt: i, name });
                }
                None => return finish(top, open, Spot::Elsewhere),
            }
        } else {
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && is_name_byte(b[j]) {
                j += 1;
            }
            let name = name_start..j;
            if j == b.len() {
                return finish(top, open, Spot::StartName { lt: i, name });
            }
            if name.is_empty() {
                // a lone `<` in text (an error): skip it
                i += 1;
                continue;
            }
            match start_tag_end(b, j) {
                TagEnd::Closed { end, empty } => {
                    if empty {
                        push_child(&mut open, &mut top, Child::Element(i..end));
                    } else {
                        open.push(Open {
                            tag: i..end,
                            name,
                            children: Vec::new(),
                        });
                    }
                    i = end;
                }
                TagEnd::Cut(at) => {
                    // a start tag left unfinished before another tag: an open element
                    open.push(Open {
                        tag: i..at,
                        name,
                        children: Vec::new(),
                    });
                    i = at;
                }
                TagEnd::AtCursor => {
                    let spot = in_start_tag(b, i, name);
                    return finish(top, open, spot);
                }
            }
        }
    }
    finish(top, open, Spot::Content)
}

fn finish(top: Vec<Child>, open: Vec<Open>, spot: Spot) -> Outline {
    Outline { top, open, spot }
}

/// Closes the nearest open element named like `text[name]` (those inside it closed too);
/// nothing when none is open within [`MATCH_DEPTH`] levels.
fn close(text: &str, open: &mut Vec<Open>, top: &mut Vec<Child>, name: Range<usize>) {
    let want = &text[name];
    let found = open
        .iter()
        .rev()
        .take(MATCH_DEPTH)
        .position(|o| &text[o.name.clone()] == want);
    let Some(k) = found else { return };
    for _ in 0..=k {
        let Some(o) = open.pop() else { return };
        let c = Child::Element(o.tag);
        match open.last_mut() {
            Some(p) => p.children.push(c),
            None => top.push(c),
        }
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > b.len() {
        return None;
    }
    let first = needle[0];
    let mut j = from;
    while let Some(k) = b[j..].iter().position(|&c| c == first) {
        let at = j + k;
        if b[at..].starts_with(needle) {
            return Some(at);
        }
        j = at + 1;
    }
    None
}

/// The end of a `<!DOCTYPE …>` (or another `<!…>`) starting before `from`, past its internal
/// subset and quoted literals.
fn doctype_end(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut j = from;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(j + 1),
                _ => {}
            },
        }
        j += 1;
    }
    None
}

enum TagEnd {
    /// `>` at `end - 1`; `empty` for `/>`.
    Closed { end: usize, empty: bool },
    /// Another `<` outside quotes at this offset before any `>`.
    Cut(usize),
    /// The text ends (at the cursor) inside the tag.
    AtCursor,
}

/// Where the start tag whose name ends at `from` ends (quotes honoured).
fn start_tag_end(b: &[u8], from: usize) -> TagEnd {
    let mut quote: Option<u8> = None;
    let mut j = from;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            // a `<` cannot be in a value: the quote was left open
            Some(_) if c == b'<' => return TagEnd::Cut(j),
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'>' => {
                    return TagEnd::Closed {
                        end: j + 1,
                        empty: j > from && b[j - 1] == b'/',
                    }
                }
                b'<' => return TagEnd::Cut(j),
                _ => {}
            },
        }
        j += 1;
    }
    TagEnd::AtCursor
}

/// Where the cursor (the end of `b`) is inside the start tag opened at `lt` whose name is
/// `name` (the tag runs to the cursor).
fn in_start_tag(b: &[u8], lt: usize, name: Range<usize>) -> Spot {
    let tag = lt..b.len();
    let mut j = name.end;
    loop {
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j == b.len() {
            return Spot::AttributeName {
                tag,
                name,
                partial: j..j,
            };
        }
        let an = j;
        while j < b.len() && is_name_byte(b[j]) {
            j += 1;
        }
        let attr = an..j;
        if j == b.len() {
            return Spot::AttributeName {
                tag,
                name,
                partial: attr,
            };
        }
        if attr.is_empty() {
            // `/`, a stray `=` or quote: step over one byte
            j += 1;
            continue;
        }
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j == b.len() {
            return Spot::AttributeName {
                tag,
                name,
                partial: j..j,
            };
        }
        if b[j] != b'=' {
            continue; // an attribute without value: the next name starts here
        }
        j += 1;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j == b.len() {
            return Spot::AttributeValue {
                tag,
                name,
                attr,
                value: j..j,
                quote: None,
            };
        }
        let q = b[j];
        if q == b'"' || q == b'\'' {
            let vs = j + 1;
            match b[vs..].iter().position(|&c| c == q) {
                Some(k) => j = vs + k + 1,
                None => {
                    return Spot::AttributeValue {
                        tag,
                        name,
                        attr,
                        value: vs..b.len(),
                        quote: Some(q),
                    }
                }
            }
        } else {
            // an unquoted value: up to the next space
            let vs = j;
            while j < b.len() && !is_space(b[j]) {
                j += 1;
            }
            if j == b.len() {
                return Spot::AttributeValue {
                    tag,
                    name,
                    attr,
                    value: vs..j,
                    quote: None,
                };
            }
        }
    }
}

/// One attribute of a start tag, as written (value raw: entities not expanded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawAttribute {
    /// The qualified name's range.
    pub name: Range<usize>,
    /// The value's range (inside the quotes); empty when the attribute has no value.
    pub value: Range<usize>,
}

/// The attributes of the start tag that starts at `lt` (its name at `name`), read up to its
/// `>`, or the next `<`, or the end of `text`: attributes after a cursor count too. Ill-formed
/// pieces (a name without value, a value without quotes) are read as well as they go.
pub(crate) fn attributes(text: &str, name: Range<usize>) -> Vec<RawAttribute> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut j = name.end;
    loop {
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j >= b.len() || b[j] == b'>' || b[j] == b'<' {
            return out;
        }
        let an = j;
        while j < b.len() && is_name_byte(b[j]) {
            j += 1;
        }
        if an == j {
            j += 1; // `/` or a stray byte
            continue;
        }
        let attr = an..j;
        let mut k = j;
        while k < b.len() && is_space(b[k]) {
            k += 1;
        }
        if k >= b.len() || b[k] != b'=' {
            out.push(RawAttribute {
                name: attr,
                value: j..j,
            });
            continue;
        }
        k += 1;
        while k < b.len() && is_space(b[k]) {
            k += 1;
        }
        if k >= b.len() {
            out.push(RawAttribute {
                name: attr,
                value: k..k,
            });
            return out;
        }
        let q = b[k];
        if q == b'"' || q == b'\'' {
            let vs = k + 1;
            // a value ends at its quote; one left open ends before the next tag
            let end = b[vs..]
                .iter()
                .position(|&c| c == q || c == b'<')
                .map_or(b.len(), |e| vs + e);
            out.push(RawAttribute {
                name: attr,
                value: vs..end,
            });
            j = if end < b.len() && b[end] == q {
                end + 1
            } else {
                end
            };
        } else {
            let vs = k;
            while k < b.len() && !is_space(b[k]) && b[k] != b'>' && b[k] != b'<' {
                k += 1;
            }
            out.push(RawAttribute {
                name: attr,
                value: vs..k,
            });
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, o: &Outline) -> Vec<String> {
        o.open
            .iter()
            .map(|f| text[f.name.clone()].to_string())
            .collect()
    }

    #[test]
    fn open_elements_and_siblings() {
        let t = "<?xml version='1.0'?><!-- c --><TEI><teiHeader/><text><body><p>a</p><p>b<hi>x</hi></p>";
        let o = outline(t, t.len());
        assert_eq!(names(t, &o), ["TEI", "text", "body"]);
        assert_eq!(o.spot, Spot::Content);
        assert_eq!(o.open[0].children.len(), 1);
        assert_eq!(o.open[2].children.len(), 2);
    }

    #[test]
    fn mismatched_and_unclosed_tags_recover() {
        let t = "<a><b><c></b><d></zzz><e";
        let o = outline(t, t.len());
        assert_eq!(names(t, &o), ["a", "d"]);
        assert!(matches!(o.spot, Spot::StartName { .. }));
        assert_eq!(o.open[0].children.len(), 1);
        // a start tag cut short by another tag stays open
        let t = "<a><b x='1' <c>";
        let o = outline(t, t.len());
        assert_eq!(names(t, &o), ["a", "b", "c"]);
    }

    #[test]
    fn spots_in_tags() {
        let t = "<a><b x=\"1\" y";
        let o = outline(t, t.len());
        match o.spot {
            Spot::AttributeName { partial, .. } => assert_eq!(&t[partial], "y"),
            s => panic!("{s:?}"),
        }
        let t = "<a><b x=\"1\" type='se";
        match outline(t, t.len()).spot {
            Spot::AttributeValue {
                attr, value, quote, ..
            } => {
                assert_eq!((&t[attr], &t[value], quote), ("type", "se", Some(b'\'')));
            }
            s => panic!("{s:?}"),
        }
        let t = "<a></";
        assert!(matches!(outline(t, t.len()).spot, Spot::EndName { .. }));
        let t = "<a><!-- x";
        assert_eq!(outline(t, t.len()).spot, Spot::Elsewhere);
        let t = "<a><![CDATA[<b>]]><";
        let o = outline(t, t.len());
        assert_eq!(o.open[0].children.len(), 1);
    }

    #[test]
    fn attributes_after_the_cursor_count() {
        let t = "<b x=\"1\" y='2' z w=v/>";
        let a = attributes(t, 1..2);
        let got: Vec<(&str, &str)> = a
            .iter()
            .map(|r| (&t[r.name.clone()], &t[r.value.clone()]))
            .collect();
        assert_eq!(got, [("x", "1"), ("y", "2"), ("z", ""), ("w", "v/")]);
    }
}
