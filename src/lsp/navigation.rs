//! Navigation: go to the definition of a pointer (in the file, a register or another file),
//! find the pointers to an `xml:id` across the workspace, and rename an `xml:id` together with
//! every pointer to it (one `WorkspaceEdit`).

use super::diagnostics::path_of;
use super::index::FileIndex;
use super::server::{invalid_params, Failure, Shared};
use super::workspace::{Target, Workspace};
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, Position, PrepareRenameResponse, Range,
    ReferenceParams, RenameParams, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::Path;

fn contains(r: &Range, p: Position) -> bool {
    (r.start.line, r.start.character) <= (p.line, p.character)
        && (p.line, p.character) <= (r.end.line, r.end.character)
}

/// What the cursor is on: a pointer (its token) or an id's definition.
enum On {
    Pointer(String, Range),
    Id(String, Range),
}

fn on(ix: &FileIndex, pos: Position) -> Option<On> {
    if let Some(u) = ix.pointers.iter().find(|u| contains(&u.range, pos)) {
        return Some(On::Pointer(u.token.clone(), u.range));
    }
    ix.ids
        .iter()
        .find(|d| contains(&d.range, pos))
        .map(|d| On::Id(d.id.clone(), d.range))
}

/// The target under the cursor and the range it was found at.
fn target_at(s: &Shared, p: &TextDocumentPositionParams) -> Option<(Target, Range)> {
    let uri = &p.text_document.uri;
    let path = path_of(uri);
    let ix = s.index(uri)?;
    match on(&ix, p.position)? {
        On::Pointer(token, range) => Some((s.workspace().resolve(&path, &token)?, range)),
        On::Id(id, range) => Some((Target { path, id: Some(id) }, range)),
    }
}

fn uri_of(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

/// Answers `textDocument/definition`.
pub fn definition(
    s: &Shared,
    p: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Failure> {
    let Some((t, _)) = target_at(s, &p.text_document_position_params) else {
        return Ok(None);
    };
    // the editor's buffer may have moved the id: bring an open document's index up to date
    if let Some(u) = uri_of(&t.path) {
        if s.version(&u).is_some() {
            s.index(&u);
        }
    }
    let ws = s.workspace();
    let loc = match (&t.id, ws.definition(&t)) {
        (Some(_), Some(d)) => uri_of(&t.path).map(|u| Location::new(u, d.range)),
        (None, _) if t.path.is_file() => {
            uri_of(&t.path).map(|u| Location::new(u, Range::default()))
        }
        _ => None,
    };
    Ok(loc.map(GotoDefinitionResponse::Scalar))
}

/// Brings the index of every open document up to date (before a workspace-wide answer).
fn refresh_open(s: &Shared) {
    for u in s.open_uris() {
        s.index(&u);
    }
}

/// Answers `textDocument/references`.
pub fn references(s: &Shared, p: ReferenceParams) -> Result<Option<Vec<Location>>, Failure> {
    refresh_open(s);
    let Some((t, _)) = target_at(s, &p.text_document_position) else {
        return Ok(None);
    };
    let ws = s.workspace();
    let mut out: Vec<Location> = Vec::new();
    if p.context.include_declaration {
        if let (Some(d), Some(u)) = (ws.definition(&t), uri_of(&t.path)) {
            out.push(Location::new(u, d.range));
        }
    }
    for (path, u) in ws.references(&t) {
        if let Some(uri) = uri_of(&path) {
            out.push(Location::new(uri, u.range));
        }
    }
    Ok(Some(out))
}

/// Whether `name` can be an `xml:id` (an NCName).
pub fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{b7}'))
}

/// Answers `textDocument/prepareRename`: the id under the cursor (in an `xml:id` or a pointer
/// to one), or an error saying why nothing can be renamed there.
pub fn prepare_rename(
    s: &Shared,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    let Some((t, range)) = target_at(s, &p) else {
        return Err(invalid_params("no xml:id or pointer to one here"));
    };
    let Some(id) = t.id.clone() else {
        return Err(invalid_params("this pointer names a file, not an xml:id"));
    };
    if s.workspace().definition(&t).is_none() {
        return Err(invalid_params(format!(
            "no element has xml:id `{id}`: nothing to rename"
        )));
    }
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range,
        placeholder: id,
    }))
}

/// The pointer `token` (in `ix`'s file) written for the id `new`.
fn renamed(ws: &Workspace, from: &Path, ix: Option<&FileIndex>, token: &str, new: &str) -> String {
    let swap = |t: &str| match t.rsplit_once('#') {
        Some((file, _)) => format!("{file}#{new}"),
        None => t.to_string(),
    };
    if token.contains('#') {
        return swap(token);
    }
    // a prefixed pointer: expanded, renamed, and written short again when the prefix allows
    let Some(expanded) = ix.and_then(|i| i.expand(token)) else {
        return token.to_string();
    };
    let long = swap(&expanded);
    let _ = (ws, from);
    ix.into_iter()
        .flat_map(|i| i.prefixes.iter())
        .find_map(|pd| {
            (token.starts_with(&format!("{}:", pd.ident)))
                .then(|| pd.shorten(&long))
                .flatten()
        })
        .unwrap_or(long)
}

/// Answers `textDocument/rename`: the id and every pointer to it in the workspace.
pub fn rename(s: &Shared, p: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
    let new = p.new_name.trim();
    if !is_ncname(new) {
        return Err(invalid_params(format!(
            "`{new}` cannot be an xml:id (a letter or `_` first, then letters, digits, `_`, `-`, `.`)"
        )));
    }
    refresh_open(s);
    let Some((t, _)) = target_at(s, &p.text_document_position) else {
        return Err(invalid_params("no xml:id or pointer to one here"));
    };
    let ws = s.workspace();
    let Some(def) = ws.definition(&t) else {
        return Err(invalid_params(
            "the pointer leads to no xml:id: nothing to rename",
        ));
    };
    if ws.file(&t.path).is_some_and(|f| f.id(new).is_some()) {
        return Err(invalid_params(format!(
            "xml:id `{new}` exists already in {}",
            t.path.display()
        )));
    }
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    let Some(def_uri) = uri_of(&t.path) else {
        return Ok(None);
    };
    changes
        .entry(def_uri)
        .or_default()
        .push(TextEdit::new(def.range, new.to_string()));
    for (path, u) in ws.references(&t) {
        let Some(uri) = uri_of(&path) else { continue };
        let text = renamed(
            &ws,
            &path,
            ws.file(&path).map(|a| a.as_ref()),
            &u.token,
            new,
        );
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(u.range, text));
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }))
}
