//! The document outline: the TEI document, its header and text, correspDescs and their
//! actions, divisions (with their headings), openers, closers, lists of persons and places.

use super::index::Symbol;
use super::server::{Failure, Shared};
use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse};

#[allow(deprecated)]
fn convert(s: &Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: s.kind,
        tags: None,
        deprecated: None,
        range: s.range,
        selection_range: s.selection,
        children: (!s.children.is_empty()).then(|| s.children.iter().map(convert).collect()),
    }
}

/// Answers `textDocument/documentSymbol`.
pub fn document_symbols(
    s: &Shared,
    p: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, Failure> {
    let Some(ix) = s.index(&p.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(DocumentSymbolResponse::Nested(
        ix.symbols.iter().map(convert).collect(),
    )))
}
