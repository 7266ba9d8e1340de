//! The diagnostic codes of the `tei::xinclude` area: an `xi:include` that cannot be carried out.

use crate::diagnostic::{Code, Severity};

macro_rules! code {
    ($name:ident, $id:literal, $sev:ident, $summary:literal, $expl:literal) => {
        #[doc = $summary]
        pub static $name: Code = Code {
            id: concat!("tei::xinclude::", $id),
            severity: Severity::$sev,
            summary: $summary,
            explanation: $expl,
        };
    };
}

code!(
    BAD_INCLUDE,
    "bad_include",
    Error,
    "An xi:include or xi:fallback element is not as XInclude 1.0 requires",
    "XInclude 1.0 (section 3) fixes what an `xi:include` may hold: an `href` without a fragment \
     (`#…`; use `xpointer` instead), or an `xpointer` when the `href` is empty or absent; \
     `parse` is `xml` (the default) or `text`, and a text include has no `xpointer`; at most \
     one `xi:fallback` child; an `xi:fallback` only as a child of an `xi:include`. Such an \
     include is a fatal error: nothing is included in its place (not even its fallback)."
);
code!(
    RESOURCE_MISSING,
    "resource_missing",
    Error,
    "The resource an xi:include names cannot be read",
    "The file the `href` leads to (resolved against the base URI of the `xi:include`: the \
     including file's folder, or an `xml:base` around it) does not exist, is no regular file, \
     or cannot be read. When the include has an `xi:fallback`, the fallback's content is used \
     instead and nothing is reported."
);
code!(
    NETWORK_REFUSED,
    "network_refused",
    Error,
    "An xi:include names a resource on the network, which is never fetched",
    "teikit reads local files only: an `href` (or an `xml:base` it is resolved against) with a \
     scheme such as `http:`, `https:` or `ftp:` is refused unread, as is any scheme but \
     `file:`. Keep the included files with the edition and point at them with relative paths \
     (`chapters/ch1.xml`). An `xi:fallback`, when there is one, is used instead."
);
code!(
    OUTSIDE_PROJECT,
    "outside_project",
    Error,
    "An xi:include leads outside the project and is not read",
    "Like an `xml-model`, an `xi:include` is followed only inside the project: the folders \
     given, the folder of each file given and the folder of `teikit.toml`. An `href` that \
     leads elsewhere (`/etc/…`, `../` past the project, a link out of it) is refused unread, \
     so that validating someone else's document cannot show the files of the machine it runs \
     on. Validate from a folder that holds both files, or move the included file into the \
     project. An `xi:fallback`, when there is one, is used instead."
);
code!(
    NOT_WELL_FORMED,
    "not_well_formed",
    Error,
    "A resource included as XML is not well-formed",
    "A resource included with `parse=\"xml\"` must be a well-formed XML document. The first \
     error is reported at its own file, line and column. Fix that file (validate it on its \
     own to see all its errors), or include it with `parse=\"text\"` if it is meant as \
     text. An `xi:fallback`, when there is one, is used instead."
);
code!(
    BAD_XPOINTER,
    "bad_xpointer",
    Error,
    "An xpointer has a syntax error, uses an unsupported scheme, or points at nothing",
    "teikit resolves the XPointer `element()` scheme (`element(/1/2)`, `element(intro/3)`) and \
     shorthand pointers (a bare `xml:id`, `xpointer=\"intro\"`); parts are tried left to right \
     and the first that identifies an element is used. Other schemes (`xpointer()`, \
     `xmlns()`) are skipped; a pointer none of whose parts identifies an element is an error \
     (the resource error of XInclude: an `xi:fallback` is used when there is one)."
);
code!(
    LOOP,
    "loop",
    Error,
    "An xi:include includes itself, directly or through other files",
    "Including the content that holds the `xi:include` itself (a file including itself, two \
     files including each other, an `xpointer` into the same document that selects an \
     ancestor of the include) would never end. The message names the chain of includes; \
     nothing is included at the include that closes the loop."
);
code!(
    ENCODING,
    "encoding",
    Error,
    "A text include cannot be decoded",
    "A resource included with `parse=\"text\"` is decoded with its `encoding` attribute \
     (default UTF-8; a byte order mark wins). The encoding named is not known, the bytes are \
     not valid in it, or the text holds a character XML does not allow. Name the file's real \
     encoding (`encoding=\"ISO-8859-1\"`). An `xi:fallback`, when there is one, is used instead."
);
code!(
    NOT_PROCESSED,
    "not_processed",
    Warning,
    "XInclude was not processed in this file",
    "The file holds XInclude elements that were validated as written, not replaced by what \
     they include: the file is read as a stream (from `--stream-from` bytes on, 32 MiB by \
     default), where teikit does not assemble includes. Raise `--stream-from` past the \
     file's size to validate it assembled. (With `--no-xinclude`, asked for, nothing is \
     said.)"
);

/// Every code of the `tei::xinclude` area.
pub static CODES: &[&Code] = &[
    &BAD_INCLUDE,
    &RESOURCE_MISSING,
    &NETWORK_REFUSED,
    &OUTSIDE_PROJECT,
    &NOT_WELL_FORMED,
    &BAD_XPOINTER,
    &LOOP,
    &ENCODING,
    &NOT_PROCESSED,
];
