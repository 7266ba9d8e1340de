//! Diagnostic codes for incorrect schemas (`tei::rng::schema_*`).

use crate::diagnostic::{Code, Severity};

/// The schema is not well-formed XML or not RELAX NG XML syntax.
pub static SCHEMA_SYNTAX: Code = Code {
    id: "tei::rng::schema_syntax",
    severity: Severity::Error,
    summary: "the schema is not well-formed RELAX NG XML syntax",
    explanation: "The schema file must be well-formed XML whose RELAX NG elements \
(namespace `http://relaxng.org/ns/structure/1.0`) follow the syntax of section 3 of the \
RELAX NG specification: known elements only, required attributes present, children in the \
allowed places. Fix the element named in the message.",
};

/// A schema file (the main one, an `include` or an `externalRef`) cannot be read.
pub static SCHEMA_NOT_FOUND: Code = Code {
    id: "tei::rng::schema_not_found",
    severity: Severity::Error,
    summary: "a schema file cannot be read",
    explanation: "The schema given on the command line, or a file it reaches through \
`include` or `externalRef`, does not exist or cannot be read. Check the path and `href`.",
};

/// A `ref` or `parentRef` names a definition that does not exist.
pub static SCHEMA_MISSING_DEFINE: Code = Code {
    id: "tei::rng::schema_missing_define",
    severity: Severity::Error,
    summary: "a reference names a definition that does not exist",
    explanation: "Every `<ref name=\"x\"/>` needs a `<define name=\"x\">` in the same grammar \
(for `parentRef`, in the enclosing grammar), and every grammar needs a `<start>`.",
};

/// Definitions or start elements cannot be combined, or an include override has no target.
pub static SCHEMA_COMBINE: Code = Code {
    id: "tei::rng::schema_combine",
    severity: Severity::Error,
    summary: "definitions of the same name cannot be combined",
    explanation: "Several `define`s (or `start`s) of one name are merged with their `combine` \
attribute: at most one may lack it, and all that have it must agree (`choice` or \
`interleave`). An `include` that overrides a definition or the start requires the included \
grammar to have it.",
};

/// A definition refers to itself without an element in between.
pub static SCHEMA_RECURSION: Code = Code {
    id: "tei::rng::schema_recursion",
    severity: Severity::Error,
    summary: "a definition refers to itself without an element in between",
    explanation: "RELAX NG allows recursion only through `element` (section 4.19): a \
`define` whose pattern reaches its own `ref` without passing an `element` describes no finite \
document structure.",
};

/// An unknown datatype, a bad param or a `value` not valid for its type.
pub static SCHEMA_DATATYPE: Code = Code {
    id: "tei::rng::schema_datatype",
    severity: Severity::Error,
    summary: "a datatype, param or value is not valid",
    explanation: "`data` and `value` name a datatype of their `datatypeLibrary` (the built-in \
library has `string` and `token`; XML Schema datatypes live in \
`http://www.w3.org/2001/XMLSchema-datatypes`). Params must be facets the type allows, and a \
`value` must be a valid value of its type.",
};

/// A restriction of section 7 is broken (prohibited path, string sequence, overlaps).
pub static SCHEMA_RESTRICTION: Code = Code {
    id: "tei::rng::schema_restriction",
    severity: Severity::Error,
    summary: "the schema breaks a restriction of RELAX NG section 7",
    explanation: "After simplification a schema must respect the restrictions of section 7: \
no attribute inside an attribute, no element or text inside a list, only elements under \
`start`, no duplicate attributes, attributes with open name classes only under `oneOrMore`, \
no mixing of data with elements, and no element or text shared between both sides of an \
`interleave`.",
};

/// Every code of the `tei::rng` area that the schema compiler emits.
pub static CODES: &[&Code] = &[
    &SCHEMA_SYNTAX,
    &SCHEMA_NOT_FOUND,
    &SCHEMA_MISSING_DEFINE,
    &SCHEMA_COMBINE,
    &SCHEMA_RECURSION,
    &SCHEMA_DATATYPE,
    &SCHEMA_RESTRICTION,
    &super::parse::compact::COMPACT_SYNTAX,
];
