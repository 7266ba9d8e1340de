//! The `whiteSpace` facet: preserve, replace, collapse. Borrow when nothing changes.

use std::borrow::Cow;

/// How a type processes whitespace before checking its lexical space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhiteSpace {
    /// Keep the text as is.
    Preserve,
    /// TAB, LF and CR become spaces.
    Replace,
    /// Replace, then runs of spaces become one and leading/trailing spaces go.
    Collapse,
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

impl WhiteSpace {
    /// Applies this whitespace processing, borrowing when the text is already normal.
    pub(crate) fn apply(self, text: &str) -> Cow<'_, str> {
        match self {
            WhiteSpace::Preserve => Cow::Borrowed(text),
            WhiteSpace::Replace => replace(text),
            WhiteSpace::Collapse => collapse(text),
        }
    }
}

/// TAB, LF, CR to space.
pub(crate) fn replace(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        Cow::Owned(
            text.chars()
                .map(|c| if is_xml_space(c) { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Whitespace collapsed: trimmed, inner runs of whitespace to one space.
pub(crate) fn collapse(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim_matches(is_xml_space);
    let b = trimmed.as_bytes();
    let mut needs = false;
    for i in 0..b.len() {
        match b[i] {
            b'\t' | b'\n' | b'\r' => {
                needs = true;
                break;
            }
            b' ' if i + 1 < b.len() && b[i + 1] == b' ' => {
                needs = true;
                break;
            }
            _ => {}
        }
    }
    if !needs {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if is_xml_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_borrows_when_normal() {
        assert!(matches!(collapse("a b"), Cow::Borrowed("a b")));
        assert!(matches!(collapse("  a b "), Cow::Borrowed("a b")));
        assert_eq!(collapse("\t\n\r x\t\n\r y \t"), "x y");
        assert_eq!(collapse("x  y"), "x y");
        assert_eq!(collapse(" \t "), "");
    }

    #[test]
    fn replace_keeps_length() {
        assert_eq!(replace("a\tb\nc\r"), "a b c ");
        assert!(matches!(replace(" a  b "), Cow::Borrowed(" a  b ")));
        assert_eq!(WhiteSpace::Preserve.apply(" \t"), " \t");
    }
}
