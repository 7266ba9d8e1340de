//! SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules used (with help text),
//! one result per diagnostic with a 1-based region, related locations for labels.

use crate::diagnostic::{Code, Severity};
use crate::validate::Outcome;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// A relative URI reference for a relative path (GitHub resolves it against the checkout), a
/// `file://` URI for an absolute one.
fn uri(path: &str) -> String {
    let mut o = String::new();
    if path.starts_with('/') {
        o.push_str("file://");
    }
    for c in path.trim_start_matches("./").chars() {
        match c {
            ' ' => o.push_str("%20"),
            '%' => o.push_str("%25"),
            '#' => o.push_str("%23"),
            '?' => o.push_str("%3F"),
            c => o.push(c),
        }
    }
    o
}

fn rule_name(id: &str) -> String {
    id.rsplit("::")
        .next()
        .unwrap_or(id)
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The outcome as a SARIF 2.1.0 log.
pub fn render(outcome: &Outcome) -> String {
    let mut rules: Vec<&'static Code> = Vec::new();
    for f in &outcome.files {
        for d in &f.diagnostics {
            if !rules.iter().any(|r| r.id == d.code.id) {
                rules.push(d.code);
            }
        }
    }
    rules.sort_by_key(|r| r.id);
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": rule_name(r.id),
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explanation },
                "help": { "text": format!("{}\n\n{}\n\nRun `teikit explain {}` for this text.", r.summary, r.explanation, r.id), "markdown": format!("**{}**\n\n{}", r.summary, r.explanation) },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": [r.id.split("::").nth(1).unwrap_or("")] }
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in &outcome.files {
        let path = uri(&super::path_text(f));
        let ix = (!f.source.is_empty()).then(|| crate::source::LineIndex::new(&f.source));
        for d in &f.diagnostics {
            let (el, ec) = super::end_of(f, ix.as_ref(), d);
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str(&format!(" Help: {h}"));
            }
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (sl, sc) = super::position(f, ix.as_ref(), l.span.start).unwrap_or((1, 1));
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": { "artifactLocation": { "uri": path }, "region": { "startLine": sl, "startColumn": sc } }
                    })
                })
                .collect();
            let mut r = json!({
                "ruleId": d.code.id,
                "ruleIndex": rules.iter().position(|c| c.id == d.code.id).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path },
                        "region": { "startLine": d.line.max(1), "startColumn": d.column.max(1), "endLine": el, "endColumn": ec }
                    }
                }]
            });
            if !related.is_empty() {
                r["relatedLocations"] = Value::Array(related);
            }
            results.push(r);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "teikit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/teikit/teikit",
                "rules": rule_values
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        assert_eq!(super::uri("./a b/c#1.xml"), "a%20b/c%231.xml");
        assert_eq!(super::uri("/srv/x.xml"), "file:///srv/x.xml");
        assert_eq!(super::rule_name("tei::xref::dangling_ref"), "DanglingRef");
    }
}
