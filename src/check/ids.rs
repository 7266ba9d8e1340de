//! `xml:id` uniqueness; the id table the other checks resolve against.

use super::path::PathTracker;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Bounded;
use crate::xml::StartTag;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// `tei::xref::duplicate_id`
pub static DUPLICATE_ID: Code = Code {
    id: "tei::xref::duplicate_id",
    severity: Severity::Error,
    summary: "Two elements of one file carry the same xml:id",
    explanation: "An `xml:id` names one element of the document; pointers such as `#lovelace` \
cannot tell two elements with the same id apart. Rename one of them (and the pointers meant for \
it). The diagnostic shows the duplicate and labels the first occurrence.",
};

/// Where one id is defined.
#[derive(Debug, Clone)]
pub struct IdSite {
    /// Byte range of the `xml:id` attribute.
    pub span: Range<usize>,
    /// Byte offset of the element's start tag (document order).
    pub element_start: usize,
    /// Local name of the element carrying the id (one shared copy per name in a file).
    pub element: Arc<str>,
}

/// The ids of one file.
#[derive(Debug, Default)]
pub struct Ids {
    sites: HashMap<String, IdSite>,
    /// The element names seen with an id, each once (a file of many ids has few such names).
    names: HashSet<Arc<str>>,
    pub(super) diagnostics: Bounded,
}

impl Ids {
    pub(crate) fn start(&mut self, tag: &StartTag<'_>, path: &PathTracker) {
        let Some(a) = super::xml_id(tag) else { return };
        let id = a.value.trim();
        if let Some(first) = self.sites.get(id) {
            self.diagnostics.push(
                Diagnostic::new(
                    &DUPLICATE_ID,
                    a.span.clone(),
                    format!(
                        "xml:id `{id}` is already used by an earlier <{}>",
                        first.element
                    ),
                )
                .with_label(first.span.clone(), "first defined here")
                .with_help("ids must be unique within a file: rename one of the two")
                .with_path(path.current()),
            );
        } else {
            self.sites.insert(
                id.to_string(),
                IdSite {
                    span: a.span.clone(),
                    element_start: tag.span.start,
                    element: match self.names.get(tag.local) {
                        Some(n) => Arc::clone(n),
                        None => {
                            let n: Arc<str> = Arc::from(tag.local);
                            self.names.insert(Arc::clone(&n));
                            n
                        }
                    },
                },
            );
        }
    }

    /// Where `id` is defined, if it is.
    pub fn get(&self, id: &str) -> Option<&IdSite> {
        self.sites.get(id)
    }

    /// Every id.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sites.keys().map(String::as_str)
    }

    pub(crate) fn into_set(self) -> HashSet<String> {
        self.sites.into_keys().collect()
    }
}
