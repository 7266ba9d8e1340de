//! One diagnostic type for every check: a stable code, a severity, a message, a byte span and
//! optional labels and help. Producers fill `span`; the pipeline fills `line`/`column`.

use std::ops::Range;

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hint; never fails a run.
    Advice,
    /// Suspicious but not wrong; fails a run only with `--deny warnings`.
    Warning,
    /// The file is invalid.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A stable diagnostic code such as `tei::xref::dangling_ref`, with its documentation.
///
/// Each area declares its codes as `pub static` items and lists them in its `CODES` slice;
/// [`all_codes`] gathers them for `teikit explain` and SARIF rule tables.
#[derive(Debug)]
pub struct Code {
    /// The stable identifier, `tei::<area>::<snake_name>`.
    pub id: &'static str,
    /// The default severity (a config file may change it).
    pub severity: Severity,
    /// One line: what the code means.
    pub summary: &'static str,
    /// A paragraph or two: why it matters and how to fix it (Markdown allowed).
    pub explanation: &'static str,
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Code {}

/// A secondary place in the same file that helps explain a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// Short text shown at that place ("first defined here").
    pub message: String,
}

/// Where a diagnostic is when that is not the file its report is about: content an
/// `xi:include` brought in from another file (or from elsewhere in the same one).
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file that `span`, `line` and `column` (and the labels' spans) are in.
    pub file: std::path::PathBuf,
    /// That file's decoded text (for snippets), shared by its diagnostics.
    pub text: std::sync::Arc<str>,
    /// Its line index (shared).
    pub index: std::sync::Arc<crate::source::LineIndex>,
    /// The `xi:include` elements that brought the content in, innermost first: file, line
    /// and column of each.
    pub included_from: Vec<(std::path::PathBuf, u32, u32)>,
}

impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file && self.included_from == other.included_from
    }
}
impl Eq for Origin {}

impl Origin {
    /// 1-based line and column of an offset of [`Origin::text`].
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.index.line_col(&self.text, offset)
    }

    /// "included from a.xml:12:5, from main.xml:3:1".
    pub fn included_from_text(&self) -> String {
        let places: Vec<String> = self
            .included_from
            .iter()
            .map(|(f, l, c)| format!("{}:{l}:{c}", f.to_string_lossy().replace('\\', "/")))
            .collect();
        format!("included from {}", places.join(", from "))
    }
}

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: &'static Code,
    /// The severity in force (the code's default unless configured otherwise).
    pub severity: Severity,
    /// What is wrong, in one sentence, naming what was found and what was expected.
    pub message: String,
    /// Byte range in the (decoded, UTF-8) file text of the offending element, attribute or text.
    pub span: Range<usize>,
    /// 1-based line of `span.start`, filled by the pipeline (0 = not yet known).
    pub line: u32,
    /// 1-based column (in characters) of `span.start`, filled by the pipeline (0 = not yet known).
    pub column: u32,
    /// Element path such as `/TEI/teiHeader/profileDesc/correspDesc[2]/correspAction[1]`.
    pub path: Option<String>,
    /// Related places.
    pub labels: Vec<Label>,
    /// What to do about it ("did you mean `#lovelace`?").
    pub help: Option<String>,
    /// Set when the diagnostic is in content included from another file (XInclude): that
    /// file, whose text the span, line and column are in.
    pub origin: Option<Box<Origin>>,
    /// For a Schematron finding: the check that fired, as an SVRL report gives it.
    pub schematron: Option<Box<crate::schematron::svrl::Finding>>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no position yet.
    pub fn new(code: &'static Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            span,
            line: 0,
            column: 0,
            path: None,
            labels: Vec::new(),
            help: None,
            origin: None,
            schematron: None,
        }
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related label.
    pub fn with_label(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the element path.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the line and column.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }
}

/// Every code teikit can emit, in a stable order (area by area).
pub fn all_codes() -> Vec<&'static Code> {
    let mut codes: Vec<&'static Code> = Vec::new();
    codes.extend_from_slice(crate::xml::CODES);
    codes.extend_from_slice(crate::relaxng::CODES);
    codes.extend_from_slice(crate::relaxng::validate::CODES);
    codes.extend_from_slice(crate::check::CODES);
    codes.extend_from_slice(crate::encode::CODES);
    codes.extend_from_slice(crate::export::CODES);
    codes.extend_from_slice(crate::validate::CODES);
    codes.extend_from_slice(crate::validate::schema::CODES);
    codes.extend_from_slice(crate::report::CODES);
    codes.extend_from_slice(crate::limit::CODES);
    codes.extend_from_slice(crate::schematron::CODES);
    codes.extend_from_slice(crate::xinclude::CODES);
    codes
}

/// Looks a code up by its id.
pub fn find_code(id: &str) -> Option<&'static Code> {
    all_codes().into_iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let codes = all_codes();
        let mut seen = std::collections::HashSet::new();
        for c in &codes {
            assert!(seen.insert(c.id), "duplicate code {}", c.id);
            let parts: Vec<&str> = c.id.split("::").collect();
            assert_eq!(parts.len(), 3, "code {} is not tei::<area>::<name>", c.id);
            assert_eq!(parts[0], "tei");
            assert!(
                parts[2]
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit()),
                "{}",
                c.id
            );
            assert!(!c.summary.is_empty(), "{} has no summary", c.id);
        }
    }
}
