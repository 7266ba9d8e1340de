//! Hover: for a pointer, what it points to (the name, the element, the file and line); for an
//! `xml:id`, how many pointers of the workspace lead to it; for an element, attribute or
//! fixed value, the schema's gloss; for a diagnostic, its code's explanation (as
//! `teikit explain` prints it).

use super::diagnostics::path_of;
use super::server::{Failure, Shared};
use super::workspace::Target;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Position};

fn contains(r: &lsp_types::Range, p: Position) -> bool {
    (r.start.line, r.start.character) <= (p.line, p.character)
        && (p.line, p.character) <= (r.end.line, r.end.character)
}

/// What a pointer leads to, in Markdown.
pub fn describe_target(s: &Shared, from: &std::path::Path, token: &str) -> String {
    let ws = s.workspace();
    let Some(t) = ws.resolve(from, token) else {
        return format!(
            "`{token}`: not a pointer teikit follows (a URL or a resource outside XML)"
        );
    };
    let file = |t: &Target| {
        ws.roots
            .iter()
            .find_map(|r| t.path.strip_prefix(r).ok())
            .unwrap_or(&t.path)
            .display()
            .to_string()
    };
    match (&t.id, ws.definition(&t)) {
        (Some(_), Some(d)) => {
            let name = d
                .label
                .as_deref()
                .map_or(String::new(), |l| format!(" — **{l}**"));
            format!(
                "`{token}`{name}\n\n`<{}>` in {}, line {}",
                d.element,
                file(&t),
                d.range.start.line + 1
            )
        }
        (Some(id), None) => format!("`{token}`: no element has xml:id `{id}` in {}", file(&t)),
        (None, _) if t.path.is_file() => format!("`{token}`: the file {}", file(&t)),
        (None, _) => format!("`{token}`: {} does not exist", file(&t)),
    }
}

/// Answers `textDocument/hover`.
pub fn hover(s: &Shared, p: HoverParams) -> Result<Option<Hover>, Failure> {
    let uri = p.text_document_position_params.text_document.uri;
    let pos = p.text_document_position_params.position;
    let path = path_of(&uri);
    let mut parts: Vec<String> = Vec::new();
    let mut range = None;
    if let Some(ix) = s.index(&uri) {
        if let Some(u) = ix.pointers.iter().find(|u| contains(&u.range, pos)) {
            parts.push(describe_target(s, &path, &u.token));
            range = Some(u.range);
        } else if let Some(d) = ix.ids.iter().find(|d| contains(&d.range, pos)) {
            let target = Target {
                path: path.clone(),
                id: Some(d.id.clone()),
            };
            let n = s.workspace().references(&target).len();
            let name = d
                .label
                .as_deref()
                .map_or(String::new(), |l| format!(" — **{l}**"));
            parts.push(format!(
                "xml:id `{}`{name}\n\n{n} pointer(s) in the workspace lead here",
                d.id
            ));
            range = Some(d.range);
        }
    }
    if range.is_none() {
        if let Some((text, lines)) = s.text(&uri) {
            let offset = lines.offset(&text, pos);
            if let Some(assist) = super::schema::assistant(s, &uri, &text) {
                if let Some((gloss, span)) = super::schema::gloss_at(&assist, &text, offset) {
                    parts.push(gloss);
                    range = Some(lines.range(&text, span));
                }
            }
        }
    }
    for d in s.published(&uri).iter().filter(|d| contains(&d.range, pos)) {
        let Some(lsp_types::NumberOrString::String(code)) = &d.code else {
            continue;
        };
        if let Some(c) = crate::diagnostic::find_code(code) {
            parts.push(format!(
                "**{}** ({})\n\n{}\n\n{}",
                c.id,
                c.severity.as_str(),
                c.summary,
                c.explanation
            ));
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    parts.dedup();
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    }))
}
