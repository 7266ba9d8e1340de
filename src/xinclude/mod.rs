//! XInclude 1.0 for `teikit validate`: a document whose text holds the XInclude namespace is
//! assembled before it is validated — each `xi:include` replaced by the file, element or text
//! it names — and every stage (well-formedness, RELAX NG, Schematron, pointers, TEI and
//! correspondence rules) reads the assembled document. Diagnostics come back to the file,
//! line and column of the content they are about ([`SourceMap`]), with the chain of includes
//! that brought it in.
//!
//! Supported: `href` (relative to the include's base URI, `xml:base` honoured; local files
//! only, inside the project), `parse="xml"` and `parse="text"` (with `encoding`), `xpointer`
//! (shorthand pointers and the `element()` scheme), `xi:fallback` (with includes inside it),
//! `href=""` with an `xpointer` into the same document, the namespace, `xml:base` and
//! `xml:lang` fix-ups on each included top element. Include loops are refused; nesting,
//! number of includes and assembled size are bounded (`tei::limit::xinclude_*`); each file is
//! read and parsed once per document.
//!
//! A document without the XInclude namespace costs one substring search and is read as
//! before (and files read as a stream are never assembled: [`Detector`] says when one holds
//! includes).
//!
//! ```
//! use teikit::xinclude::{assemble, Env};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("ch1.xml"), "<div>\n  <p>one</p>\n</div>").unwrap();
//! let main = dir.path().join("main.xml");
//! let text = r#"<body xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="ch1.xml"/></body>"#;
//! let limits = teikit::limit::Limits::default();
//! let env = Env { path: &main, allowed: &|_| true, limits: &limits };
//! let a = assemble(text, &env).unwrap();
//! assert_eq!(a.text, "<body xmlns:xi=\"http://www.w3.org/2001/XInclude\"><div>\n  <p>one</p>\n</div></body>");
//! // the `<p>` of the assembled text is line 2, column 3 of ch1.xml
//! let at = a.text.find("<p>").unwrap();
//! let (instance, offset) = a.map.lookup(at);
//! let file = &a.map.files[a.map.instances[instance as usize].file as usize];
//! assert!(file.path.ends_with("ch1.xml"));
//! assert_eq!(file.line_col(offset), (2, 3));
//! ```

mod assemble;
pub mod codes;
mod href;
pub mod map;
mod outline;
mod pointer;

pub use assemble::{assemble, Assembly, Env};
pub use map::SourceMap;
pub use outline::XI_NS;

use crate::diagnostic::{Code, Diagnostic};
use crate::xml::{EndTag, Handler, StartTag};

/// Every code of the `tei::xinclude` area.
pub static CODES: &[&Code] = codes::CODES;

/// A handler that notes the first element of the XInclude namespace of a document read as a
/// stream (which is validated as written, not assembled).
#[derive(Debug, Default)]
pub struct Detector {
    found: Option<std::ops::Range<usize>>,
}

impl Detector {
    /// The `tei::xinclude::not_processed` warning, when the document holds an include.
    pub fn finish(self) -> Option<Diagnostic> {
        self.found.map(|span| {
            Diagnostic::new(
                &codes::NOT_PROCESSED,
                span,
                "this file is read as a stream (it is larger than --stream-from), where XInclude is not processed: its xi:include elements are validated as written",
            )
            .with_help("raise --stream-from past the file's size to validate it with its includes")
        })
    }
}

impl Handler for Detector {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        if self.found.is_none() && tag.ns == XI_NS {
            self.found = Some(tag.span.clone());
        }
    }
    fn end_element(&mut self, _: &EndTag<'_>) {}
    fn text(&mut self, _: &str, _: std::ops::Range<usize>) {}
}
