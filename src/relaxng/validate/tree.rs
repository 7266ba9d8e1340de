//! Validating a document's text in one call: the streaming reader feeds the validator.

use std::ops::Range;

use super::{SchemaView, Validator};
use crate::diagnostic::Diagnostic;

/// Reads `text` with the streaming reader ([`crate::xml::parse`]) and validates it against
/// `schema`: the reader's diagnostics (`tei::xml::*`, well-formedness) come first, then the
/// validator's (`tei::rng::*`). After a fatal well-formedness error the document is cut short
/// and only the errors before it count.
pub fn validate_str<S: SchemaView + ?Sized>(schema: &S, text: &str) -> Vec<Diagnostic> {
    let mut v = Validator::new(schema);
    let mut diags = crate::xml::parse(text, &mut v, &crate::xml::ParseOptions::default());
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
    let mut diags = crate::xml::parse(text, &mut v, &crate::xml::ParseOptions::default());
    diags.extend(v.finish());
    diags
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
