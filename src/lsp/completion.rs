//! Completion. In a pointer attribute's value (`@ref`, `@target`, `@corresp`… every attribute
//! teikit's pointer check knows): the ids of the file, of the registers and of the other
//! files of the workspace, labelled with the name they stand for
//! (`#somerville — Mary Fairfax Somerville`), and the short forms the file's `prefixDef`s allow.
//! Elsewhere, what the document's schema allows at the cursor ([`crate::ide`]): element names
//! from the RELAX NG state there, the closing tag, attribute names (required ones first),
//! enumerated values, each with the schema's gloss.

use super::context::{self, Place};
use super::diagnostics::path_of;
use super::index::{FileIndex, IdDef};
use super::server::{Failure, Shared};
use crate::check::{self, AttrKind, AttributeTypes};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, TextEdit,
};
use std::path::Path;

/// Most items in one answer (the list says it is incomplete past it; typing narrows it).
pub const MAX_ITEMS: usize = 500;

/// Whether `attribute` on `element` (names as written) is a pointer.
pub fn is_pointer(element: &str, attribute: &str) -> bool {
    let local = |q: &str| q.rsplit(':').next().unwrap_or(q).to_string();
    if attribute.contains(':') {
        return false;
    }
    check::TeiPointerAttributes.kind(check::TEI_NS, &local(element), "", attribute)
        == AttrKind::Pointer
}

/// Answers `textDocument/completion`.
pub fn complete(s: &Shared, p: CompletionParams) -> Result<Option<CompletionResponse>, Failure> {
    let uri = p.text_document_position.text_document.uri;
    let Some((text, lines)) = s.text(&uri) else {
        return Ok(None);
    };
    let offset = lines.offset(&text, p.text_document_position.position);
    let place = context::place(&text, offset);
    match &place {
        Place::AttributeValue {
            element,
            attribute,
            token,
            ..
        } if is_pointer(element, attribute) => {
            let typed = &text[token.start..offset];
            let range = lines.range(&text, token.clone());
            let items = pointer_items(s, &uri, typed, range);
            return Ok(Some(CompletionResponse::List(items)));
        }
        _ => {}
    }
    let Some(assist) = super::schema::assistant(s, &uri, &text) else {
        return Ok(None);
    };
    let found = assist.complete(&text, offset);
    if found.items.is_empty() {
        return Ok(None);
    }
    let range = lines.range(&text, found.replace.clone());
    let items = found
        .items
        .into_iter()
        .enumerate()
        .map(|(i, c)| schema_item(c, i, range))
        .collect();
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items,
    })))
}

/// One of the schema's answers as a completion item (in the schema's order).
fn schema_item(c: crate::ide::Completion, i: usize, range: lsp_types::Range) -> CompletionItem {
    use crate::ide::CompletionKind as K;
    let kind = match c.kind {
        K::Element => CompletionItemKind::CLASS,
        K::EndTag => CompletionItemKind::KEYWORD,
        K::Attribute => CompletionItemKind::PROPERTY,
        K::Value => CompletionItemKind::ENUM_MEMBER,
    };
    let detail = c.gloss.as_deref().map(|g| {
        let first = g.lines().next().unwrap_or(g);
        if c.required {
            format!("required — {first}")
        } else {
            first.to_string()
        }
    });
    CompletionItem {
        label: c.label.clone(),
        kind: Some(kind),
        detail: detail.or_else(|| c.required.then(|| "required".to_string())),
        documentation: c.gloss.map(|g| {
            lsp_types::Documentation::MarkupContent(lsp_types::MarkupContent {
                kind: lsp_types::MarkupKind::Markdown,
                value: g,
            })
        }),
        // required attributes first, then the schema's order
        sort_text: Some(format!("{}{i:05}", if c.required { 0 } else { 1 })),
        filter_text: Some(c.label),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, c.insert))),
        ..Default::default()
    }
}

/// One candidate pointer.
struct Candidate<'a> {
    pointer: String,
    def: &'a IdDef,
    /// Where it is defined, for the detail.
    file: String,
    /// Sort group: the file's own ids first, then registers, short forms, other files.
    group: u8,
}

fn item(c: &Candidate<'_>, range: lsp_types::Range) -> CompletionItem {
    let label = match &c.def.label {
        Some(l) => format!("{} — {l}", c.pointer),
        None => c.pointer.clone(),
    };
    CompletionItem {
        filter_text: Some(match &c.def.label {
            Some(l) => format!("{} {l}", c.pointer),
            None => c.pointer.clone(),
        }),
        label,
        kind: Some(CompletionItemKind::REFERENCE),
        detail: Some(format!("<{}> in {}", c.def.element, c.file)),
        sort_text: Some(format!("{}{}", c.group, c.pointer)),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            c.pointer.clone(),
        ))),
        ..Default::default()
    }
}

/// A path relative to a folder, with `/` (for `other.xml#id`).
fn relative(path: &Path, from_dir: &Path) -> Option<String> {
    let mut up = from_dir;
    let mut prefix = String::new();
    for _ in 0..8 {
        if let Ok(rest) = path.strip_prefix(up) {
            let rest = rest.to_string_lossy().replace('\\', "/");
            return Some(format!("{prefix}{rest}"));
        }
        up = up.parent()?;
        prefix.push_str("../");
    }
    None
}

fn display(path: &Path, roots: &[std::path::PathBuf]) -> String {
    roots
        .iter()
        .find_map(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Whether a candidate matches what is typed: its pointer starts with it, or (a name being
/// typed) its label contains it.
fn matches(typed: &str, pointer: &str, label: Option<&str>) -> bool {
    if typed.is_empty() || pointer.starts_with(typed) {
        return true;
    }
    let bare = typed.trim_start_matches('#').to_lowercase();
    !bare.is_empty()
        && (pointer.to_lowercase().contains(&bare)
            || label.is_some_and(|l| l.to_lowercase().contains(&bare)))
}

fn pointer_items(
    s: &Shared,
    uri: &lsp_types::Url,
    typed: &str,
    range: lsp_types::Range,
) -> CompletionList {
    let path = path_of(uri);
    let own = s.index(uri);
    let ws = s.workspace();
    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let own_ref: Option<&FileIndex> = own.as_deref();
    let mut cands: Vec<Candidate<'_>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let prefixes = own_ref.map_or(&[][..], |o| o.prefixes.as_slice());
    fn push<'a>(
        seen: &mut std::collections::HashSet<String>,
        c: Candidate<'a>,
        cands: &mut Vec<Candidate<'a>>,
    ) {
        if seen.insert(c.pointer.clone()) {
            cands.push(c);
        }
    }
    if let Some(o) = own_ref {
        for d in &o.ids {
            push(
                &mut seen,
                Candidate {
                    pointer: format!("#{}", d.id),
                    def: d,
                    file: "this file".into(),
                    group: 0,
                },
                &mut cands,
            );
        }
    }
    for r in &ws.register_files {
        if r == &path {
            continue;
        }
        let Some(ix) = ws.file(r) else { continue };
        let file = display(r, &ws.roots);
        for d in &ix.ids {
            push(
                &mut seen,
                Candidate {
                    pointer: format!("#{}", d.id),
                    def: d,
                    file: file.clone(),
                    group: 1,
                },
                &mut cands,
            );
        }
    }
    let mut others: Vec<(&std::path::PathBuf, &std::sync::Arc<FileIndex>)> = ws
        .files()
        .filter(|(p, _)| **p != path && !ws.is_register(p))
        .collect();
    others.sort_by(|a, b| a.0.cmp(b.0));
    for (p, ix) in others {
        let Some(rel) = relative(p, &dir) else {
            continue;
        };
        let file = display(p, &ws.roots);
        for d in &ix.ids {
            push(
                &mut seen,
                Candidate {
                    pointer: format!("{rel}#{}", d.id),
                    def: d,
                    file: file.clone(),
                    group: 3,
                },
                &mut cands,
            );
        }
    }
    // the short forms of the file's prefixDefs
    let mut short = Vec::new();
    for c in &cands {
        for pd in prefixes {
            if let Some(sf) = pd.shorten(&c.pointer) {
                short.push(Candidate {
                    pointer: sf,
                    def: c.def,
                    file: c.file.clone(),
                    group: 2,
                });
            }
        }
    }
    for c in short {
        push(&mut seen, c, &mut cands);
    }
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut incomplete = false;
    for c in cands
        .iter()
        .filter(|c| matches(typed, &c.pointer, c.def.label.as_deref()))
    {
        if items.len() == MAX_ITEMS {
            incomplete = true;
            break;
        }
        items.push(item(c, range));
    }
    CompletionList {
        is_incomplete: incomplete,
        items,
    }
}
