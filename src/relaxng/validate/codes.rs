//! Diagnostic codes for documents that do not match their schema (`tei::rng::*`).

use crate::diagnostic::{Code, Severity};

/// An element that the schema does not allow at this place.
pub static UNKNOWN_ELEMENT: Code = Code {
    id: "tei::rng::unknown_element",
    severity: Severity::Error,
    summary: "an element is not allowed here",
    explanation: "The schema does not allow this element at this place (or, when the message \
says so, anywhere). The message lists what the schema expects here instead. Move the element \
to a place where its parent allows it, rename it, or remove it. Its children are still checked \
against the element's declaration when the schema has one.",
};

/// An element that comes before content the schema requires first.
pub static MISSING_ELEMENT: Code = Code {
    id: "tei::rng::missing_element",
    severity: Severity::Error,
    summary: "required content is missing before an element",
    explanation: "The element is allowed later in its parent, but the schema requires other \
content first (the message names it). Add the missing element before this one, or move this \
one after it.",
};

/// Character data where the schema allows none.
pub static UNEXPECTED_TEXT: Code = Code {
    id: "tei::rng::unexpected_text",
    severity: Severity::Error,
    summary: "text is not allowed here",
    explanation: "The element's content model has no text at this place (element-only \
content). Wrap the text in an element the schema allows here (e.g. `p` or `ab` in TEI), or \
remove it. Whitespace is always allowed between elements.",
};

/// Text content that is not a valid value of the datatype the schema requires.
pub static INVALID_TEXT_VALUE: Code = Code {
    id: "tei::rng::invalid_text_value",
    severity: Severity::Error,
    summary: "the text of an element is not a valid value",
    explanation: "The schema types this element's content (a datatype such as `xsd:date`, or a \
fixed list of values). The message says which datatype or values were expected and why the \
text does not match.",
};

/// A required attribute is absent.
pub static MISSING_ATTRIBUTE: Code = Code {
    id: "tei::rng::missing_attribute",
    severity: Severity::Error,
    summary: "a required attribute is missing",
    explanation: "The schema requires this element to carry the named attribute (or one of \
the named alternatives). Add it.",
};

/// An attribute the schema does not allow on this element.
pub static UNKNOWN_ATTRIBUTE: Code = Code {
    id: "tei::rng::unknown_attribute",
    severity: Severity::Error,
    summary: "an attribute is not allowed on this element",
    explanation: "The element's declaration has no attribute of this name (check the spelling \
and the namespace prefix), or the attribute is not allowed in combination with the others \
given. The message lists the attributes the element allows.",
};

/// An attribute value that is not valid for its datatype or its list of values.
pub static INVALID_ATTRIBUTE_VALUE: Code = Code {
    id: "tei::rng::invalid_attribute_value",
    severity: Severity::Error,
    summary: "an attribute value is not valid",
    explanation: "The schema restricts this attribute to a datatype (for instance `xsd:date` \
or `teidata.pointer`) or to a list of values. The message names the datatype or the values \
and says why the value does not match.",
};

/// An element that ends before its required content.
pub static INCOMPLETE_CONTENT: Code = Code {
    id: "tei::rng::incomplete_content",
    severity: Severity::Error,
    summary: "an element ends before its required content",
    explanation: "The schema requires more content in this element (the message names what \
is missing). Add it before the end tag.",
};

/// Every code of the validator.
pub static CODES: &[&Code] = &[
    &UNKNOWN_ELEMENT,
    &MISSING_ELEMENT,
    &UNEXPECTED_TEXT,
    &INVALID_TEXT_VALUE,
    &MISSING_ATTRIBUTE,
    &UNKNOWN_ATTRIBUTE,
    &INVALID_ATTRIBUTE_VALUE,
    &INCOMPLETE_CONTENT,
];
