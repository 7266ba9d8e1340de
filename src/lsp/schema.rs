//! The schema-driven part of the server: [`crate::ide::SchemaAssist`] for the schema a
//! document is validated against (the same choice as its diagnostics), kept per schema.
//! Completion of element names, attributes and values, their glosses on hover, and the
//! required attributes a start tag lacks come from it.

use super::server::Shared;
use crate::ide::SchemaAssist;
use lsp_types::Url;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One assistant per compiled schema.
#[derive(Default)]
pub struct Assistants {
    by_schema: Mutex<HashMap<u64, Arc<SchemaAssist>>>,
}

impl Assistants {
    /// Forgets them (the schemas were reloaded).
    pub fn clear(&self) {
        self.by_schema
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// The assistant for the schema of `uri` with text `text`, if it has a schema that compiles.
pub fn assistant(s: &Shared, uri: &Url, text: &str) -> Option<Arc<SchemaAssist>> {
    let path = super::diagnostics::path_of(uri);
    let (workbench, options) = {
        let ws = s.workspace();
        (ws.workbench.clone(), ws.options.clone())
    };
    let schema = workbench.schema_for(&path, text, &options)?;
    let mut map = s
        .assistants
        .by_schema
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    Some(Arc::clone(
        map.entry(schema.instance_id())
            .or_insert_with(|| Arc::new(SchemaAssist::new(schema))),
    ))
}

/// The name under byte `offset` (element, attribute or value token) and where it starts.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let offset = super::position::floor_char(text, offset.min(text.len()));
    let is = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text[offset..]
            .char_indices()
            .find(|(_, c)| !is(*c))
            .map_or(text.len() - offset, |(i, _)| i);
    (start < end).then(|| (start, &text[start..end]))
}

/// The gloss of what is under the cursor: an element name (in a start or end tag), an
/// attribute name, or an attribute's fixed value.
pub fn gloss_at(
    assist: &SchemaAssist,
    text: &str,
    offset: usize,
) -> Option<(String, std::ops::Range<usize>)> {
    use super::context::{place, Place};
    let (start, word) = word_at(text, offset)?;
    let span = start..start + word.len();
    let before = &text[..start];
    if before.ends_with('<') || before.ends_with("</") {
        let g = assist.element_gloss(word)?;
        return Some((format!("`<{word}>`: {g}"), span));
    }
    match place(text, start) {
        Place::AttributeName { element, .. } => {
            let g = assist.attribute_gloss(&element, word)?;
            Some((format!("`@{word}` on `<{element}>`: {g}"), span))
        }
        Place::AttributeValue {
            element, attribute, ..
        } => {
            let g = assist.value_gloss(&element, &attribute, word)?;
            Some((
                format!("`{word}` (`@{attribute}` on `<{element}>`): {g}"),
                span,
            ))
        }
        _ => None,
    }
}

/// Where the start tag beginning at `lt` ends: the offset of its `>` (or of the `/` of `/>`).
pub fn tag_end(text: &str, lt: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text[lt..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let at = lt + i;
                return Some(if text[..at].ends_with('/') {
                    at - 1
                } else {
                    at
                });
            }
            (None, '<') if i > 0 => return None,
            _ => {}
        }
    }
    None
}
