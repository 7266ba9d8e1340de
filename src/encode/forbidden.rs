//! Characters that XML 1.0 does not allow in a document (a form feed, U+FFFE, U+FFFF; other
//! control characters make the source binary, see [`super::decode`]): the encoder replaces
//! each with U+FFFD and says where, so that the TEI it writes is well-formed and every word
//! of the source is kept.

use crate::diagnostic::{Code, Diagnostic, Severity};
use std::borrow::Cow;

/// `tei::encode::forbidden_character`
pub static FORBIDDEN_CHARACTER: Code = Code {
    id: "tei::encode::forbidden_character",
    severity: Severity::Warning,
    summary: "a character XML does not allow was replaced by U+FFFD",
    explanation: "XML 1.0 allows no form feed, no U+FFFE and no U+FFFF (nor other control \
characters) in a document, not even as a character reference, so the TEI written could not be \
read. Each such character of the source is written as U+FFFD (�) and reported with its line \
and column; the text around it is kept. Check the source there: these characters usually come \
from a damaged file or a wrong conversion.",
};

/// Reported positions per source; the rest are counted in one more warning.
const MAX_REPORTED: usize = 20;

/// Whether XML 1.0 allows `c` in a document (production `Char`).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with every character XML forbids replaced by U+FFFD, and a warning for each (spans
/// in the returned text).
pub fn replace_forbidden(text: &str) -> (Cow<'_, str>, Vec<Diagnostic>) {
    if text.chars().all(xml_char) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut diags = Vec::new();
    let mut more = 0usize;
    for c in text.chars() {
        if xml_char(c) {
            out.push(c);
            continue;
        }
        let at = out.len();
        out.push('\u{FFFD}');
        if diags.len() < MAX_REPORTED {
            diags.push(Diagnostic::new(
                &FORBIDDEN_CHARACTER,
                at..out.len(),
                format!(
                    "U+{:04X} is not allowed in XML: written as U+FFFD",
                    c as u32
                ),
            ));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        let end = out.len();
        diags.push(Diagnostic::new(
            &FORBIDDEN_CHARACTER,
            end..end,
            format!("{more} more character(s) XML does not allow were written as U+FFFD"),
        ));
    }
    (Cow::Owned(out), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_reports_each_and_keeps_the_words() {
        let (t, d) = replace_forbidden("Dear\u{c} Sir,\u{FFFE} yours\u{FFFF}");
        assert_eq!(t, "Dear\u{FFFD} Sir,\u{FFFD} yours\u{FFFD}");
        assert_eq!(d.len(), 3);
        assert_eq!(&t[d[1].span.clone()], "\u{FFFD}");
        assert!(d[2].message.starts_with("U+FFFF"));
        let (t, d) = replace_forbidden("plain text\n");
        assert!(matches!(t, Cow::Borrowed(_)) && d.is_empty());
        let many = "\u{FFFF}".repeat(MAX_REPORTED + 5);
        let (_, d) = replace_forbidden(&many);
        assert_eq!(d.len(), MAX_REPORTED + 1);
        assert!(d[MAX_REPORTED].message.starts_with("5 more"));
    }
}
