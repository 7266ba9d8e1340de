//! Where the cursor stands in a document, read from the text around it (the document may be
//! half-typed and not well-formed): in text, in an element name, an attribute name, or an
//! attribute value (with the whitespace-separated token under the cursor).

use std::ops::Range;

/// How far back the start of a tag is looked for.
const LOOK_BACK: usize = 1 << 20;

/// The cursor's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// In character data (or anywhere else no markup is being typed).
    Text,
    /// Typing an element name after `<` (what is typed so far).
    ElementName {
        /// Where the `<` is.
        lt: usize,
        /// The name typed so far.
        typed: Range<usize>,
    },
    /// Typing an attribute name in a start tag.
    AttributeName {
        /// The element's name as written.
        element: String,
        /// Where the `<` is.
        lt: usize,
        /// The name typed so far.
        typed: Range<usize>,
    },
    /// In an attribute value.
    AttributeValue {
        /// The element's name as written.
        element: String,
        /// The attribute's name as written.
        attribute: String,
        /// Where the `<` is.
        lt: usize,
        /// The value between the quotes (up to the closing quote, or the cursor).
        value: Range<usize>,
        /// The token (between whitespace) the cursor is in or at the end of.
        token: Range<usize>,
    },
    /// In an end tag, a comment, a processing instruction, a DOCTYPE or a CDATA section.
    Other,
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '\u{b7}')
}

/// The place of byte `offset` in `text`.
pub fn place(text: &str, offset: usize) -> Place {
    let offset = super::position::floor_char(text, offset.min(text.len()));
    let from = super::position::floor_char(text, offset.saturating_sub(LOOK_BACK));
    let before = &text[from..offset];
    // inside a comment or CDATA section still open at the cursor, nothing is markup
    for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>")] {
        if let Some(o) = before.rfind(open) {
            if !before[o + open.len()..].contains(close) {
                return Place::Other;
            }
        }
    }
    let Some(lt) = before.rfind('<').map(|i| from + i) else {
        return Place::Text;
    };
    let tag = &text[lt..offset];
    if tag.starts_with("<!") || tag.starts_with("<?") || tag.starts_with("</") {
        // a comment, PI, CDATA or end tag is over once its end is passed
        let closed = (tag.starts_with("<!--") && tag[4..].contains("-->"))
            || (tag.starts_with("<?") && tag.contains("?>"))
            || (tag.starts_with("<![CDATA[") && tag.contains("]]>"))
            || (!tag.starts_with("<!--")
                && !tag.starts_with("<![CDATA[")
                && !tag.starts_with("<?")
                && tag.contains('>'));
        return if closed { Place::Text } else { Place::Other };
    }
    // the start tag read up to the cursor
    let mut chars = tag.char_indices().skip(1).peekable();
    let mut name_end = 1;
    while let Some(&(i, c)) = chars.peek() {
        if !is_name_char(c) {
            break;
        }
        name_end = i + c.len_utf8();
        chars.next();
    }
    let element = tag[1..name_end].to_string();
    if chars.peek().is_none() {
        return Place::ElementName {
            lt,
            typed: lt + 1..offset,
        };
    }
    // attributes: name, `=`, quoted value
    let mut attr_start: Option<usize> = None;
    let mut attr_name = String::new();
    let mut after_eq = false;
    while let Some((i, c)) = chars.next() {
        if let Some(s) = attr_start {
            if is_name_char(c) && !after_eq && attr_name.is_empty() {
                continue;
            }
            if attr_name.is_empty() {
                attr_name = tag[s..i].to_string();
            }
        }
        match c {
            '>' => return Place::Text,
            '/' => {}
            '=' => after_eq = true,
            '"' | '\'' if after_eq => {
                let vstart = i + 1;
                match tag[vstart..].find(c) {
                    Some(close) => {
                        // skip the value; the next attribute may start
                        for _ in 0..tag[vstart..vstart + close + 1].chars().count() {
                            chars.next();
                        }
                        attr_start = None;
                        attr_name.clear();
                        after_eq = false;
                    }
                    None => {
                        // the cursor is inside this value
                        let value_start = lt + vstart;
                        let rest = &text[offset..];
                        let value_end = match rest.find(c) {
                            Some(k) if !rest[..k].contains(['<', '>']) => offset + k,
                            _ => offset,
                        };
                        let before = &text[value_start..offset];
                        let tstart = value_start
                            + before
                                .rfind(|ch: char| ch.is_ascii_whitespace())
                                .map_or(0, |k| k + 1);
                        let after = &text[offset..value_end];
                        let tend = offset
                            + after
                                .find(|ch: char| ch.is_ascii_whitespace())
                                .unwrap_or(after.len());
                        return Place::AttributeValue {
                            element,
                            attribute: attr_name,
                            lt,
                            value: value_start..value_end,
                            token: tstart..tend,
                        };
                    }
                }
            }
            c if c.is_whitespace() => {}
            c if is_name_char(c) => {
                attr_start = Some(i);
                attr_name.clear();
                after_eq = false;
            }
            _ => {}
        }
    }
    // at the end of the typed tag: a name being typed, or a space before one
    let typed_start = tag
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(tag.len(), |(i, _)| i);
    if after_eq {
        return Place::Other;
    }
    Place::AttributeName {
        element,
        lt,
        typed: lt + typed_start..offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Place {
        let i = text.find('|').unwrap();
        let t = text.replace('|', "");
        place(&t, i)
    }

    #[test]
    fn places() {
        assert_eq!(at("<a>te|xt</a>"), Place::Text);
        assert!(matches!(at("<a><pers|"), Place::ElementName { typed, .. } if typed == (4..8)));
        assert!(
            matches!(at("<a><p re|"), Place::AttributeName { element, typed, .. } if element == "p" && typed == (6..8))
        );
        assert!(
            matches!(at("<a><p n=\"1\" |/>"), Place::AttributeName { element, .. } if element == "p")
        );
        match at("<persName ref=\"#lovelace #som|\">x") {
            Place::AttributeValue {
                element,
                attribute,
                value,
                token,
                ..
            } => {
                assert_eq!((element.as_str(), attribute.as_str()), ("persName", "ref"));
                assert_eq!((value, token), (15..29, 25..29));
            }
            p => panic!("{p:?}"),
        }
        assert_eq!(at("<!-- <a |"), Place::Other);
        assert_eq!(at("<!-- x --> |"), Place::Text);
        assert_eq!(at("</a|"), Place::Other);
    }
}
