//! JUnit XML: one `testcase` per file; a file with errors fails, listing every diagnostic;
//! warnings and advice of a passing file go to `system-out`.

use crate::diagnostic::Severity;
use crate::validate::Outcome;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 => o.push_str(&format!("&#x{:X};", c as u32)),
            c => o.push(c),
        }
    }
    o
}

/// The outcome as a JUnit XML document.
pub fn render(outcome: &Outcome) -> String {
    let failures = outcome.summary.invalid;
    let tests = outcome.summary.files;
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!("<testsuites name=\"teikit validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"));
    o.push_str(&format!("  <testsuite name=\"teikit validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"));
    for f in &outcome.files {
        let path = esc(&super::path_text(f));
        let lines: Vec<String> = f
            .diagnostics
            .iter()
            .map(|d| {
                let help = d
                    .help
                    .as_ref()
                    .map(|h| format!(" (help: {h})"))
                    .unwrap_or_default();
                format!(
                    "{}:{}:{}: {} {}: {}{help}",
                    super::path_text(f),
                    d.line,
                    d.column,
                    d.severity.as_str(),
                    d.code.id,
                    d.message
                )
            })
            .collect();
        o.push_str(&format!(
            "    <testcase classname=\"teikit.validate\" name=\"{path}\" file=\"{path}\">\n"
        ));
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
            o.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                esc(kind),
                esc(&summary),
                esc(&lines.join("\n"))
            ));
        } else if !lines.is_empty() {
            o.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                esc(&lines.join("\n"))
            ));
        }
        o.push_str("    </testcase>\n");
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}
