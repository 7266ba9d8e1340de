//! GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=code::message`.

use crate::diagnostic::Severity;
use crate::validate::Outcome;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One command per diagnostic, one per line.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        let file = escape_property(&super::path_text(f));
        let ix = (!f.source.is_empty()).then(|| crate::source::LineIndex::new(&f.source));
        for d in &f.diagnostics {
            let cmd = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Advice => "notice",
            };
            let (el, ec) = super::end_of(f, ix.as_ref(), d);
            let mut msg = d.message.clone();
            if let Some(h) = &d.help {
                msg.push_str("\nhelp: ");
                msg.push_str(h);
            }
            let here;
            let file = match &d.origin {
                Some(o) => {
                    msg.push('\n');
                    msg.push_str(&o.included_from_text());
                    here = escape_property(&super::diagnostic_path(f, d));
                    &here
                }
                None => &file,
            };
            out.push_str(&format!(
                "::{cmd} file={file},line={},col={},endLine={el},endColumn={ec},title={}::{}\n",
                d.line.max(1),
                d.column.max(1),
                escape_property(d.code.id),
                escape_data(&msg)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(super::escape_data("a:b\r"), "a:b%0D");
    }
}
