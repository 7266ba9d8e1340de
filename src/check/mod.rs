//! Checks beyond the grammar: ids and pointers, TEI rules, correspondence rules, consistency.
//!
//! Every check is fed the document as [`Handler`](crate::xml::Handler) events through
//! [`FileChecks`], keeps only what it needs, and reports at [`FileChecks::finish`]. What needs
//! other files (`other.xml#id` pointers, the date order of `correspContext` neighbours) is
//! returned as [`FileFacts`] and settled by [`crossfile::resolve`] once every file is read.

pub mod cmif;
pub mod consistency;
pub mod corresp;
pub mod crossfile;
pub mod date_words;
pub mod dates;
mod file;
pub mod ids;
mod path;
pub mod pointers;
pub mod registers;
pub mod suggest;
pub mod tei_rules;

pub use file::{CheckEnv, FileChecks, FileFacts};
pub use registers::Registers;

pub(crate) use suggest::nearest;

use crate::diagnostic::Code;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
/// The XML namespace (`xml:id`, `xml:base`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Whether an element namespace counts as TEI (the TEI namespace, or none for old files).
pub fn is_tei(ns: &str) -> bool {
    ns == TEI_NS || ns.is_empty()
}

/// What the schema says an attribute's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// `anyURI` (TEI `data.pointer`), alone or in a list.
    Pointer,
    /// `ID`.
    Id,
    /// `IDREF`.
    Idref,
    /// `IDREFS`.
    Idrefs,
    /// Anything else.
    Other,
}

/// Tells which attributes are pointers. The pipeline answers from the RELAX NG schema in use
/// (so any TEI customisation works); [`TeiPointerAttributes`] is the fallback without one.
pub trait AttributeTypes: Send + Sync {
    /// The kind of attribute `{attr_ns}attr_local` on element `{elem_ns}elem_local`.
    fn kind(&self, elem_ns: &str, elem_local: &str, attr_ns: &str, attr_local: &str) -> AttrKind;
}

/// The TEI P5 attributes of type `data.pointer`, for when no schema is known.
/// `@from`/`@to` are left out: on dates they are dates, on `span` pointers.
pub struct TeiPointerAttributes;

/// Names of the TEI attributes typed `data.pointer` (no namespace), sorted (a test keeps the
/// order and checks that the lookup agrees).
pub const TEI_POINTER_ATTRIBUTES: &[&str] = &[
    "active",
    "adj",
    "adjFrom",
    "adjTo",
    "ana",
    "calendar",
    "change",
    "copyOf",
    "corresp",
    "datingMethod",
    "datingPoint",
    "decls",
    "domains",
    "edRef",
    "end",
    "exclude",
    "facs",
    "feats",
    "follow",
    "hand",
    "inst",
    "lemmaRef",
    "mergedInto",
    "mutual",
    "new",
    "next",
    "nymRef",
    "old",
    "parent",
    "passive",
    "perf",
    "prev",
    "ref",
    "rendition",
    "resp",
    "sameAs",
    "scheme",
    "scribeRef",
    "scriptRef",
    "select",
    "since",
    "source",
    "spanTo",
    "start",
    "synch",
    "target",
    "targetEnd",
    "url",
    "valueDatcat",
    "who",
    "wit",
];

/// Whether `name` is in [`TEI_POINTER_ATTRIBUTES`] (a `match`: a start tag asks for each of
/// its attributes).
fn is_tei_pointer_attribute(name: &str) -> bool {
    matches!(
        name,
        "active"
            | "adj"
            | "adjFrom"
            | "adjTo"
            | "ana"
            | "calendar"
            | "change"
            | "copyOf"
            | "corresp"
            | "datingMethod"
            | "datingPoint"
            | "decls"
            | "domains"
            | "edRef"
            | "end"
            | "exclude"
            | "facs"
            | "feats"
            | "follow"
            | "hand"
            | "inst"
            | "lemmaRef"
            | "mergedInto"
            | "mutual"
            | "new"
            | "next"
            | "nymRef"
            | "old"
            | "parent"
            | "passive"
            | "perf"
            | "prev"
            | "ref"
            | "rendition"
            | "resp"
            | "sameAs"
            | "scheme"
            | "scribeRef"
            | "scriptRef"
            | "select"
            | "since"
            | "source"
            | "spanTo"
            | "start"
            | "synch"
            | "target"
            | "targetEnd"
            | "url"
            | "valueDatcat"
            | "who"
            | "wit"
    )
}

impl AttributeTypes for TeiPointerAttributes {
    fn kind(&self, _elem_ns: &str, _elem_local: &str, attr_ns: &str, attr_local: &str) -> AttrKind {
        if attr_ns.is_empty() && is_tei_pointer_attribute(attr_local) {
            AttrKind::Pointer
        } else if attr_ns == XML_NS && attr_local == "id" {
            AttrKind::Id
        } else {
            AttrKind::Other
        }
    }
}

/// Every code of the `tei::xref`, `tei::tei`, `tei::corresp` and `tei::consistency` areas.
pub static CODES: &[&Code] = &[
    &ids::DUPLICATE_ID,
    &pointers::DANGLING_REF,
    &pointers::DANGLING_FILE_REF,
    &pointers::UNDECLARED_PREFIX,
    &pointers::PREFIX_NO_MATCH,
    &pointers::BAD_PREFIX_DEF,
    &pointers::MALFORMED_URI,
    &tei_rules::WHEN_WITH_RANGE,
    &tei_rules::INVERTED_RANGE,
    &tei_rules::SUBTYPE_WITHOUT_TYPE,
    &tei_rules::SPAN_TO_BACKWARD,
    &tei_rules::CALENDAR_WITHOUT_CONTENT,
    &corresp::NO_SENT_ACTION,
    &corresp::SEVERAL_SENT_ACTIONS,
    &corresp::RECEIVED_BEFORE_SENT,
    &corresp::UNKNOWN_ACTION_TYPE,
    &corresp::UNIDENTIFIED_PARTY,
    &corresp::CONTEXT_OUT_OF_ORDER,
    &corresp::LETTER_WITHOUT_CORRESPDESC,
    &consistency::DATE_TEXT_MISMATCH,
    &consistency::PERSON_NAME_MISMATCH,
];

/// The element-name test shared by the checks: a TEI element with this local name.
pub(crate) fn tei_el(ns: &str, local: &str, name: &str) -> bool {
    local == name && is_tei(ns)
}

/// The no-namespace attribute `name` of a start tag.
pub(crate) fn attr<'a>(
    tag: &'a crate::xml::StartTag<'a>,
    name: &str,
) -> Option<&'a crate::xml::Attribute<'a>> {
    tag.attributes
        .iter()
        .find(|a| a.ns.is_empty() && a.local == name)
}

/// The `xml:id` of a start tag.
pub(crate) fn xml_id<'a>(
    tag: &'a crate::xml::StartTag<'a>,
) -> Option<&'a crate::xml::Attribute<'a>> {
    tag.attributes
        .iter()
        .find(|a| a.ns == XML_NS && a.local == "id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_attribute_names_are_sorted_for_binary_search() {
        assert!(TEI_POINTER_ATTRIBUTES.windows(2).all(|w| w[0] < w[1]));
        let kind = |a: &str| TeiPointerAttributes.kind(TEI_NS, "ref", "", a);
        assert_eq!(kind("target"), AttrKind::Pointer);
        assert_eq!(kind("active"), AttrKind::Pointer);
        assert_eq!(kind("type"), AttrKind::Other);
        for name in TEI_POINTER_ATTRIBUTES {
            assert!(is_tei_pointer_attribute(name), "{name}");
            assert!(!is_tei_pointer_attribute(&format!("{name}x")));
        }
    }
}
