//! SVRL, the Schematron Validation Report Language (ISO/IEC 19757-3:2020 Annex D), for tools
//! that read Schematron results: one `svrl:schematron-output` per file and Schematron schema
//! that ran on it, with its `ns-prefix-in-attribute-values`, an `active-pattern` per pattern of
//! the phase, and under each pattern a `fired-rule` (context, id, role, flag, document) before
//! the `failed-assert`s and `successful-report`s it gave (location as an XPath, test, id, role,
//! flag, `xml:lang`, `diagnostic-reference`s and the text).
//!
//! When the run is one file and one schema the document is that `svrl:schematron-output`, as
//! SchXslt or any Schematron processor writes it. Otherwise (a folder, or a file checked by
//! several schemas) the outputs are wrapped, in file order, in
//! `<teikit:svrl xmlns:teikit="urn:teikit:svrl">`, one `<teikit:file path="…">` per file
//! (empty when no Schematron ran on it) holding its outputs: one well-formed document that an
//! XSLT or XPath reads with `//svrl:schematron-output`.
//!
//! SVRL holds Schematron results only: the other findings (grammar, references, dates) count
//! for the exit status and are in every other format. `fired-rule` is written for the rules
//! that gave a finding (at the node of the finding), not for every node a rule matched.

use super::junit::esc;
use crate::schematron::svrl::{Finding, SchemaInfo};
use crate::validate::{FileReport, Outcome};
use std::fmt::Write;
use std::sync::Arc;

/// The SVRL namespace.
pub const SVRL_NS: &str = "http://purl.oclc.org/dsdl/svrl";
/// The namespace of the wrapper of several SVRL outputs.
pub const WRAPPER_NS: &str = "urn:teikit:svrl";

/// The outcome as an SVRL document.
pub fn render(outcome: &Outcome) -> String {
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let files: Vec<&FileReport> = outcome.files.iter().filter(|f| !f.fatal).collect();
    if let [f] = files.as_slice() {
        if let [schema] = f.schematron.as_slice() {
            output(&mut o, f, schema, "", true);
            return o;
        }
    }
    let _ = writeln!(
        o,
        "<teikit:svrl xmlns:teikit=\"{WRAPPER_NS}\" xmlns:svrl=\"{SVRL_NS}\">"
    );
    for f in files {
        let path = esc(&super::path_text(f), true);
        if f.schematron.is_empty() {
            let _ = writeln!(o, "  <teikit:file path=\"{path}\"/>");
            continue;
        }
        let _ = writeln!(o, "  <teikit:file path=\"{path}\">");
        for schema in &f.schematron {
            output(&mut o, f, schema, "    ", false);
        }
        let _ = writeln!(o, "  </teikit:file>");
    }
    o.push_str("</teikit:svrl>\n");
    o
}

/// Writes an optional attribute.
fn attr(o: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        let _ = write!(o, " {name}=\"{}\"", esc(v, true));
    }
}

/// One `svrl:schematron-output`: the findings of `schema` on `f`.
fn output(o: &mut String, f: &FileReport, schema: &Arc<SchemaInfo>, indent: &str, root: bool) {
    let _ = write!(o, "{indent}<svrl:schematron-output");
    if root {
        let _ = write!(o, " xmlns:svrl=\"{SVRL_NS}\"");
    }
    attr(o, "title", schema.title.as_deref());
    attr(o, "phase", schema.phase.as_deref());
    attr(o, "schemaVersion", schema.schema_version.as_deref());
    o.push_str(">\n");
    for (prefix, uri) in &schema.namespaces {
        let _ = writeln!(
            o,
            "{indent}  <svrl:ns-prefix-in-attribute-values prefix=\"{}\" uri=\"{}\"/>",
            esc(prefix, true),
            esc(uri, true)
        );
    }
    let document = super::sarif::uri(&super::path_text(f));
    // the findings of this schema, by pattern, in document order
    let mut by_pattern: Vec<Vec<&Finding>> = vec![Vec::new(); schema.patterns.len()];
    for d in &f.diagnostics {
        if let Some(finding) = d.schematron.as_deref() {
            if Arc::ptr_eq(&finding.check.schema, schema) {
                if let Some(v) = by_pattern.get_mut(finding.check.pattern) {
                    v.push(finding);
                }
            }
        }
    }
    for (p, findings) in schema.patterns.iter().zip(by_pattern) {
        let _ = write!(o, "{indent}  <svrl:active-pattern");
        attr(o, "id", p.id.as_deref());
        attr(o, "name", p.name.as_deref());
        attr(o, "documents", Some(&document));
        o.push_str("/>\n");
        let mut last: Option<(usize, &str)> = None;
        for x in findings {
            let c = &x.check;
            if last != Some((c.rule, x.location.as_str())) {
                last = Some((c.rule, x.location.as_str()));
                let _ = write!(o, "{indent}  <svrl:fired-rule");
                attr(o, "id", c.rule_id.as_deref());
                attr(o, "role", c.rule_role.as_deref());
                attr(o, "flag", c.rule_flag.as_deref());
                attr(o, "context", Some(&c.context));
                attr(o, "document", Some(&document));
                o.push_str("/>\n");
            }
            let name = if c.assert {
                "failed-assert"
            } else {
                "successful-report"
            };
            let _ = write!(o, "{indent}  <svrl:{name}");
            attr(o, "location", Some(&x.location));
            attr(o, "test", Some(&c.test));
            attr(o, "id", c.id.as_deref());
            attr(o, "role", c.role.as_deref());
            attr(o, "flag", c.flag.as_deref());
            attr(o, "xml:lang", c.lang.as_deref());
            o.push_str(">\n");
            for (id, text) in &x.diagnostics {
                let _ = writeln!(
                    o,
                    "{indent}    <svrl:diagnostic-reference diagnostic=\"{}\"><svrl:text>{}</svrl:text></svrl:diagnostic-reference>",
                    esc(id, true),
                    esc(text, false)
                );
            }
            let _ = writeln!(
                o,
                "{indent}    <svrl:text>{}</svrl:text>",
                esc(&x.text, false)
            );
            let _ = writeln!(o, "{indent}  </svrl:{name}>");
        }
    }
    let _ = writeln!(o, "{indent}</svrl:schematron-output>");
}
