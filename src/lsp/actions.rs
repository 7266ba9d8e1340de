//! Code actions: the did-you-mean fixes of the diagnostics (`#somervile` → `#somerville`), closing
//! an element left open (at a mismatched end tag, or at the end of the file), adding the
//! attributes the schema requires on the start tag at the cursor, and wrapping a date written
//! in the text in `<date when="…">` with the date read from the text.

use super::context::{self, Place};
use super::position::LineMap;
use super::server::{Failure, Shared};
use crate::encode::{cues, dates};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, NumberOrString, Range,
    TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

fn edit(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Url,
    edits: Vec<TextEdit>,
    diag: Option<&lsp_types::Diagnostic>,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diag.map(|d| vec![d.clone()]),
        edit: Some(edit(uri, edits)),
        is_preferred: Some(diag.is_some()),
        ..Default::default()
    })
}

fn overlaps(a: &Range, b: &Range) -> bool {
    (a.start.line, a.start.character) <= (b.end.line, b.end.character)
        && (b.start.line, b.start.character) <= (a.end.line, a.end.character)
}

fn code_of(d: &lsp_types::Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(s)) => s,
        _ => "",
    }
}

/// The text between the first pair of backticks after `after` in `message`.
fn quoted_after<'a>(message: &'a str, after: &str) -> Option<&'a str> {
    let rest = &message[message.find(after)? + after.len()..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    Some(&rest[start..start + len])
}

/// Answers `textDocument/codeAction`.
pub fn code_actions(
    s: &Shared,
    p: CodeActionParams,
) -> Result<Option<Vec<CodeActionOrCommand>>, Failure> {
    let uri = p.text_document.uri;
    let Some((text, lines)) = s.text(&uri) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    // the diagnostics the client sends, else those published here over the range
    let mut diags = p.context.diagnostics.clone();
    let published = s.published(&uri);
    if diags.is_empty() {
        diags = published
            .iter()
            .filter(|d| overlaps(&d.range, &p.range))
            .cloned()
            .collect();
    }
    for d in &diags {
        if d.source.as_deref().is_some_and(|s| s != "teikit") {
            continue;
        }
        // the fix travels in `data`; a client that drops it finds it in what was published
        let data = d.data.clone().or_else(|| {
            published
                .iter()
                .find(|q| q.range == d.range && q.code == d.code)
                .and_then(|q| q.data.clone())
        });
        if let Some(fix) = data.as_ref().and_then(|v| v.get("fix")) {
            let range: Option<Range> = fix
                .get("range")
                .and_then(|r| serde_json::from_value(r.clone()).ok());
            let new = fix.get("newText").and_then(|t| t.as_str());
            if let (Some(range), Some(new)) = (range, new) {
                let old_start = lines.offset(&text, range.start);
                let old_end = lines.offset(&text, range.end);
                let old = text.get(old_start..old_end).unwrap_or("");
                out.push(action(
                    format!("Replace `{old}` with `{new}`"),
                    CodeActionKind::QUICKFIX,
                    &uri,
                    vec![TextEdit::new(range, new.to_string())],
                    Some(d),
                ));
            }
        }
        match code_of(d) {
            "tei::xml::mismatched_end_tag" => {
                if let Some(open) = quoted_after(&d.message, "the open element ") {
                    out.push(action(
                        format!("Close `{open}` here"),
                        CodeActionKind::QUICKFIX,
                        &uri,
                        vec![TextEdit::new(
                            Range::new(d.range.start, d.range.start),
                            format!("</{open}>"),
                        )],
                        Some(d),
                    ));
                }
            }
            "tei::xml::unclosed_element" => {
                if let Some(name) = quoted_after(&d.message, "element ") {
                    let end = lines.position(&text, text.trim_end().len());
                    out.push(action(
                        format!("Close `{name}` at the end of the file"),
                        CodeActionKind::QUICKFIX,
                        &uri,
                        vec![TextEdit::new(Range::new(end, end), format!("</{name}>"))],
                        Some(d),
                    ));
                }
            }
            _ => {}
        }
    }
    out.extend(required_attributes(s, &uri, &text, &lines, p.range, &diags));
    out.extend(wrap_date(&uri, &text, &lines, p.range));
    Ok(Some(out))
}

/// Text read for the language of the dates.
const LANGUAGE_SAMPLE: usize = 64 * 1024;

/// "Wrap in `<date when=…>`" for the date written in the text at (or across) `range`.
fn wrap_date(uri: &Url, text: &str, lines: &LineMap, range: Range) -> Option<CodeActionOrCommand> {
    let start = lines.offset(text, range.start);
    let end = lines.offset(text, range.end).max(start);
    if context::place(text, start) != Place::Text {
        return None;
    }
    // the run of character data around the cursor
    let run_start = text[..start].rfind('>').map_or(0, |i| i + 1);
    let run_end = start + text[start..].find('<').unwrap_or(text.len() - start);
    if end > run_end {
        return None;
    }
    // already a date's content
    let before = &text[..run_start];
    if let Some(lt) = before.rfind('<') {
        let tag = &before[lt + 1..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == ':')
            .collect();
        if name.rsplit(':').next() == Some("date") && !tag.starts_with('/') {
            return None;
        }
    }
    let run = &text[run_start..run_end];
    let sample = &text[..super::position::floor_char(text, LANGUAGE_SAMPLE.min(text.len()))];
    let cues = cues::detect(sample);
    let found = dates::find_dates(run, cues);
    let order = dates::numeric_order(&found);
    let m = found.iter().find(|m| {
        let (a, b) = (run_start + m.span.start, run_start + m.span.end);
        if start == end {
            a <= start && start <= b
        } else {
            a < end && start < b
        }
    })?;
    let when = dates::settle(m, order).iso()?;
    let (a, b) = (run_start + m.span.start, run_start + m.span.end);
    let written = &text[a..b];
    Some(action(
        format!("Wrap `{written}` in <date when=\"{when}\">"),
        CodeActionKind::REFACTOR_REWRITE,
        uri,
        vec![
            TextEdit::new(
                Range::new(lines.position(text, a), lines.position(text, a)),
                format!("<date when=\"{when}\">"),
            ),
            TextEdit::new(
                Range::new(lines.position(text, b), lines.position(text, b)),
                "</date>".into(),
            ),
        ],
        None,
    ))
}

/// "Add the required attribute(s)" for the start tag at the cursor (or the one a
/// `tei::rng::missing_attribute` diagnostic in the range is about).
fn required_attributes(
    s: &Shared,
    uri: &Url,
    text: &str,
    lines: &LineMap,
    range: Range,
    diags: &[lsp_types::Diagnostic],
) -> Option<CodeActionOrCommand> {
    let at = lines.offset(text, range.start);
    let missing = diags
        .iter()
        .find(|d| code_of(d) == "tei::rng::missing_attribute");
    let from = missing.map_or(at, |d| lines.offset(text, d.range.start));
    let lt = match context::place(text, from) {
        Place::ElementName { lt, .. }
        | Place::AttributeName { lt, .. }
        | Place::AttributeValue { lt, .. } => lt,
        // on the `<` itself
        _ if text[from..].starts_with('<') => from,
        _ => return None,
    };
    let assist = super::schema::assistant(s, uri, text)?;
    let names = assist.required_attributes(text, lt);
    if names.is_empty() {
        return None;
    }
    let end = super::schema::tag_end(text, lt)?;
    let insert: String = names.iter().map(|n| format!(" {n}=\"\"")).collect();
    let pos = lines.position(text, end);
    let list = names
        .iter()
        .map(|n| format!("@{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(action(
        format!(
            "Add the required attribute{} {list}",
            if names.len() > 1 { "s" } else { "" }
        ),
        CodeActionKind::QUICKFIX,
        uri,
        vec![TextEdit::new(Range::new(pos, pos), insert)],
        missing,
    ))
}
