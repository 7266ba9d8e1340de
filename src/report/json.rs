//! The JSON contract other tools rely on:
//! `{"files":[{"path","schema","valid","diagnostics":[{"code","severity","message","line",
//! "column","help"}]}],"summary":{"files","valid","invalid","errors","warnings"}}`.
//! `help` is always a string: the diagnostic's own advice, else the first paragraph of its
//! code's explanation (what `teikit explain CODE` prints). A diagnostic in content an
//! `xi:include` brought in from another file adds `"file"` (the file its line and column are
//! in) and `"included_from"` (`[{"file","line","column"}]`, the include elements, innermost
//! first).

use crate::validate::{Outcome, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    schema: &'a str,
    valid: bool,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    line: u32,
    column: u32,
    help: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    included_from: Vec<Place>,
}

#[derive(Serialize)]
struct Place {
    file: String,
    line: u32,
    column: u32,
}

/// The outcome as one JSON document (no trailing newline).
pub fn render(outcome: &Outcome) -> String {
    let doc = Doc {
        files: outcome
            .files
            .iter()
            .map(|f| File {
                path: super::path_text(f),
                schema: &f.schema,
                valid: f.is_valid(outcome.deny_warnings),
                diagnostics: f
                    .diagnostics
                    .iter()
                    .map(|d| Diag {
                        code: d.code.id,
                        severity: d.severity.as_str(),
                        message: &d.message,
                        line: d.line,
                        column: d.column,
                        help: super::help_text(d),
                        file: d.origin.as_ref().map(|_| super::diagnostic_path(f, d)),
                        included_from: d
                            .origin
                            .iter()
                            .flat_map(|o| &o.included_from)
                            .map(|(file, line, column)| Place {
                                file: file.to_string_lossy().replace('\\', "/"),
                                line: *line,
                                column: *column,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        summary: outcome.summary,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
