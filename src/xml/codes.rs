//! The diagnostic codes of the `tei::xml` area (well-formedness, encoding, entities).

use crate::diagnostic::{Code, Severity};

macro_rules! code {
    ($name:ident, $id:literal, $sev:ident, $summary:literal, $expl:literal) => {
        #[doc = $summary]
        pub static $name: Code = Code {
            id: concat!("tei::xml::", $id),
            severity: Severity::$sev,
            summary: $summary,
            explanation: $expl,
        };
    };
}

code!(
    ENCODING,
    "encoding",
    Error,
    "The file's bytes are not valid in the encoding it uses",
    "teikit reads UTF-8 by default, UTF-16 when the file starts with a byte order mark, and the \
     encoding named in the XML declaration (`<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>`) \
     otherwise. A byte sequence that is invalid in that encoding usually means the declaration \
     is missing or names the wrong encoding: re-save the file as UTF-8 or fix the declaration."
);
code!(
    UNKNOWN_ENCODING,
    "unknown_encoding",
    Error,
    "The XML declaration names an encoding teikit does not know",
    "Use a standard encoding label such as `UTF-8`, `UTF-16`, `ISO-8859-1` or `windows-1252`."
);
code!(
    NOT_WELL_FORMED,
    "not_well_formed",
    Error,
    "The file is not well-formed XML",
    "A syntax error that no more specific code describes: a tag, comment, CDATA section, \
     processing instruction or declaration is malformed or not closed. Like any XML parser, \
     teikit stops at the first such error."
);
code!(
    XML_DECLARATION,
    "xml_declaration",
    Error,
    "The XML declaration is malformed or misplaced",
    "The XML declaration `<?xml version=\"1.0\" encoding=\"…\"?>` must come first in the file \
     (not even whitespace before it), name `version` first, then optionally `encoding` and \
     `standalone`."
);
code!(
    MISMATCHED_END_TAG,
    "mismatched_end_tag",
    Error,
    "An end tag does not match the open element",
    "Every element must be closed by an end tag with the same name, in reverse order of \
     opening. The label points at the start tag the end tag was expected to close."
);
code!(
    UNEXPECTED_END_TAG,
    "unexpected_end_tag",
    Error,
    "An end tag closes no open element",
    "The end tag appears after the root element was closed, or before any element was opened."
);
code!(
    UNCLOSED_ELEMENT,
    "unclosed_element",
    Error,
    "The file ends before an element is closed",
    "The element's start tag has no matching end tag: the file may be truncated, or an end \
     tag is missing or misspelled."
);
code!(
    DUPLICATE_ATTRIBUTE,
    "duplicate_attribute",
    Error,
    "An attribute appears twice on the same element",
    "An attribute name (after namespace resolution) may appear only once per start tag."
);
code!(
    INVALID_CHARACTER,
    "invalid_character",
    Error,
    "A character that XML 1.0 forbids",
    "XML 1.0 allows tab, newline, carriage return and characters from U+0020 on, except \
     U+FFFE and U+FFFF. Control characters often come from copy-and-paste out of word \
     processors; remove them."
);
code!(
    INVALID_NAME,
    "invalid_name",
    Error,
    "An element or attribute name is not a valid XML name",
    "Names start with a letter, `_` or `:` and continue with letters, digits, `.`, `-`, `_` \
     or `:`. A space or punctuation where a name is expected usually means a typo in the tag."
);
code!(
    TEXT_OUTSIDE_ROOT,
    "text_outside_root",
    Error,
    "Text outside the root element",
    "Only whitespace, comments and processing instructions may appear before or after the \
     root element."
);
code!(
    MULTIPLE_ROOTS,
    "multiple_roots",
    Error,
    "A second root element",
    "An XML document has exactly one root element; everything else must be inside it."
);
code!(
    NO_ROOT,
    "no_root",
    Error,
    "The file contains no root element",
    "The file is empty or contains only a prolog (declaration, comments, DOCTYPE)."
);
code!(
    UNDEFINED_ENTITY,
    "undefined_entity",
    Error,
    "A reference to an entity that is not declared",
    "Only the predefined entities (`&lt;` `&gt;` `&amp;` `&apos;` `&quot;`), character \
     references (`&#233;` `&#xE9;`) and entities declared in the document's internal DTD \
     subset may be used. HTML names like `&nbsp;` must be declared or replaced by `&#160;`."
);
code!(
    BAD_CHARACTER_REFERENCE,
    "bad_character_reference",
    Error,
    "A character reference names no allowed character",
    "`&#NNN;` and `&#xHHH;` must name a character XML allows (not a control character, not a \
     surrogate, not beyond U+10FFFF)."
);
code!(
    LT_IN_ATTRIBUTE,
    "lt_in_attribute",
    Error,
    "A `<` inside an attribute value",
    "Attribute values may not contain `<`; write `&lt;`. Often a missing closing quote."
);
code!(
    UNESCAPED_AMPERSAND,
    "unescaped_ampersand",
    Error,
    "An `&` that starts no reference",
    "A literal ampersand must be written `&amp;`."
);
code!(
    BAD_ATTRIBUTE,
    "bad_attribute",
    Error,
    "A malformed attribute",
    "Attributes are written `name=\"value\"` or `name='value'`, separated by whitespace."
);
code!(
    CDATA_END_IN_TEXT,
    "cdata_end_in_text",
    Error,
    "`]]>` in text",
    "The sequence `]]>` may not appear in character data; write `]]&gt;`."
);
code!(
    UNBOUND_PREFIX,
    "unbound_prefix",
    Error,
    "A namespace prefix that is not declared",
    "A prefix such as `tei:` must be declared by an `xmlns:tei=\"…\"` attribute on the element \
     or an ancestor. Only `xml:` is predeclared."
);
code!(
    BAD_NAMESPACE_DECLARATION,
    "bad_namespace_declaration",
    Error,
    "A namespace declaration the Namespaces spec forbids",
    "`xmlns:p=\"\"` (undeclaring a prefix) is not allowed in XML 1.0, the `xml` prefix may \
     only be bound to its own namespace, and `xmlns` may not be declared."
);
code!(
    MISPLACED_DOCTYPE,
    "misplaced_doctype",
    Error,
    "A DOCTYPE declaration after the root element starts, or twice",
    "The document type declaration must precede the root element, and appear only once."
);
code!(
    DTD_SYNTAX,
    "dtd_syntax",
    Error,
    "A malformed declaration in the internal DTD subset",
    "teikit reads `<!ENTITY>` declarations of the internal subset and skips the other \
     declarations; this one could not be read."
);
code!(
    ENTITY_EXPANSION_LIMIT,
    "entity_expansion_limit",
    Error,
    "Entity expansion exceeds the configured limits",
    "Nested entities can expand to gigabytes (the \"billion laughs\" attack). teikit refuses \
     a document as soon as its entities expand past the size or depth limit: \
     `entity_expansion` (default 10 MiB of replacement text per document, every level of \
     nested entities counted) and `entity_depth` (default 16 references nested in one \
     another), set like the other limits (`[limits]` in teikit.toml, `--limit NAME=N`; see \
     the `tei::limit` codes)."
);
code!(
    ENTITY_LOOP,
    "entity_loop",
    Error,
    "An entity refers to itself",
    "An entity's replacement text references the entity itself, directly or through others."
);
code!(
    ENTITY_NOT_BALANCED,
    "entity_not_balanced",
    Error,
    "An entity's replacement text is not balanced markup",
    "Elements started inside an entity's replacement text must end inside it."
);
code!(
    EXTERNAL_ENTITY_IGNORED,
    "external_entity_ignored",
    Warning,
    "A reference to an external entity, which is never read",
    "For safety and reproducibility teikit never fetches or reads external entities \
     (declared with SYSTEM or PUBLIC). The reference is left out of the text that is validated."
);
code!(
    PARAMETER_ENTITY_IGNORED,
    "parameter_entity_ignored",
    Warning,
    "A parameter entity in the internal subset, which is ignored",
    "teikit does not expand parameter entities (`%name;`); declarations they would contribute \
     are not seen."
);
code!(
    UNSUPPORTED_VERSION,
    "unsupported_version",
    Warning,
    "The XML declaration names a version other than 1.0",
    "teikit reads documents by the XML 1.0 rules."
);
