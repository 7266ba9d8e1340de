//! JUnit XML as the Jenkins xunit schema (`junit-10.xsd`) and GitLab read it: one `testcase`
//! per file (its path as `classname` and `name`); a file with errors fails, listing every
//! diagnostic; a file that could not be read or whose schema does not compile is an `error`;
//! warnings and advice of a passing file go to `system-out`. Characters that XML 1.0 forbids
//! (from a file name, or an element name quoted in a message) are written as `\u{…}`, so that
//! the report is always well-formed.

use crate::diagnostic::Severity;
use crate::validate::Outcome;
use std::fmt::Write;

/// Whether XML 1.0 allows `c` in a document (production `Char`).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `s` for element content or a double-quoted attribute value; in an attribute, line
/// ends and tabs are character references (a parser would turn them into spaces).
pub(super) fn esc(s: &str, attribute: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' if attribute => {
                let _ = write!(o, "&#x{:X};", c as u32);
            }
            // not even as a character reference: shown as an escape
            c if !xml_char(c) => {
                let _ = write!(o, "\\u{{{:X}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

/// The outcome as a JUnit XML document.
pub fn render(outcome: &Outcome) -> String {
    let errors = outcome.files.iter().filter(|f| f.fatal).count();
    let failures = outcome
        .files
        .iter()
        .filter(|f| !f.fatal && !f.is_valid(outcome.deny_warnings))
        .count();
    let tests = outcome.summary.files;
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\"");
    let _ = writeln!(o, "<testsuites name=\"teikit validate\" {counts}>");
    let _ = writeln!(o, "  <testsuite name=\"teikit validate\" {counts}>");
    for f in &outcome.files {
        let path = super::path_text(f);
        let lines: Vec<String> = f
            .diagnostics
            .iter()
            .map(|d| {
                let help = d
                    .help
                    .as_ref()
                    .map(|h| format!(" (help: {h})"))
                    .unwrap_or_default();
                let (at, from) = match &d.origin {
                    Some(o) => (
                        super::diagnostic_path(f, d),
                        format!(" ({})", o.included_from_text()),
                    ),
                    None => (path.clone(), String::new()),
                };
                format!(
                    "{at}:{}:{}: {} {}: {}{help}{from}",
                    d.line,
                    d.column,
                    d.severity.as_str(),
                    d.code.id,
                    d.message
                )
            })
            .collect();
        let name = esc(&path, true);
        let _ = writeln!(o, "    <testcase classname=\"{name}\" name=\"{name}\">");
        if !f.is_valid(outcome.deny_warnings) {
            let first = f
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .or(f.diagnostics.first());
            let (kind, msg) = first.map_or(("", ""), |d| (d.code.id, d.message.as_str()));
            let summary = format!(
                "{} error(s), {} warning(s): {msg}",
                f.count(Severity::Error),
                f.count(Severity::Warning)
            );
            let element = if f.fatal { "error" } else { "failure" };
            let _ = writeln!(
                o,
                "      <{element} type=\"{}\" message=\"{}\">{}</{element}>",
                esc(kind, true),
                esc(&summary, true),
                esc(&lines.join("\n"), false)
            );
        } else if !lines.is_empty() {
            let _ = writeln!(
                o,
                "      <system-out>{}</system-out>",
                esc(&lines.join("\n"), false)
            );
        }
        o.push_str("    </testcase>\n");
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn forbidden_characters_never_reach_the_document() {
        let s = super::esc("a\u{1}b\u{FFFE}c\u{FFFF}d\u{1B}e\u{10000}", false);
        assert_eq!(s, "a\\u{1}b\\u{FFFE}c\\u{FFFF}d\\u{1B}e\u{10000}");
        assert_eq!(super::esc("x\"\n\t<&", true), "x&quot;&#xA;&#x9;&lt;&amp;");
        assert_eq!(super::esc("x\n\t", false), "x\n\t");
    }
}
