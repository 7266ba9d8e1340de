//! Resource limits: how deep, how many and how long the parts of a document or a schema may be.
//!
//! Every cost of reading a file is bounded by its size and by these limits: the memory per
//! open element is constant, so the nesting depth bounds the state kept while reading; names,
//! attribute values and text runs bound the longest piece held at once (also when a large
//! file is streamed); entity expansion bounds what a small file can expand to. A file that
//! goes past a limit gets a `tei::limit::*` error at the place where it did (reading stops
//! there, as at a well-formedness error) and the other files are validated as usual.
//!
//! The defaults suit every real TEI file by a wide margin; `teikit.toml` (`[limits]`) and
//! `teikit validate --limit NAME=N` change them:
//!
//! ```toml
//! [limits]
//! depth = 10000          # elements nested in one another
//! diagnostics = 200      # per file; the rest are counted in a summary diagnostic
//! ```
//!
//! ```
//! let mut limits = teikit::limit::Limits::default();
//! limits.set("depth", "100").unwrap();
//! assert_eq!(limits.depth, 100);
//! assert!(limits.set("depth", "0").is_err());
//! assert!(limits.set("deepness", "1").is_err());
//! ```

mod bounded;

pub use bounded::{placeholders, slot, Bounded, Finding, Hidden, Surplus};

use crate::diagnostic::{Code, Diagnostic, Severity};

/// The limits in force for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Elements open at once, the root included (default 4,096).
    pub depth: usize,
    /// Attributes on one element, namespace declarations included (default 1,024).
    pub attributes: usize,
    /// Bytes of one element, attribute or entity name (default 1,024).
    pub name_length: usize,
    /// Bytes of one attribute value as written (default 1 MiB).
    pub attribute_length: usize,
    /// Bytes of one text run (character data merged across references and CDATA sections),
    /// and of one tag, comment, processing instruction or CDATA section (default 10 MiB).
    pub text_length: usize,
    /// Bytes of replacement text entity expansion may produce in one document, every level
    /// of nested entities counted (default 10 MiB).
    pub entity_expansion: usize,
    /// Entity references nested in one another's replacement text (default 16).
    pub entity_depth: usize,
    /// Diagnostics reported per file (default 1,000): the most serious are kept, the rest
    /// are counted in one `tei::limit::diagnostics` diagnostic.
    pub diagnostics: usize,
    /// Bytes of one schema's files together: the main file and everything it includes
    /// (default 64 MiB).
    pub schema_size: usize,
    /// How deeply a schema may nest: elements in a schema file, and patterns once its
    /// references are followed (default 1,000).
    pub schema_depth: usize,
    /// `xi:include`s nested in one another's content (default 64).
    pub xinclude_depth: usize,
    /// `xi:include`s carried out for one document (default 100,000).
    pub xinclude_count: usize,
    /// Bytes of a document with its includes, and of the files it includes together
    /// (default 512 MiB).
    pub xinclude_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 4096,
            attributes: 1024,
            name_length: 1024,
            attribute_length: 1024 * 1024,
            text_length: 10 * 1024 * 1024,
            entity_expansion: 10 * 1024 * 1024,
            entity_depth: 16,
            diagnostics: 1000,
            schema_size: 64 * 1024 * 1024,
            schema_depth: 1000,
            xinclude_depth: 64,
            xinclude_count: 100_000,
            xinclude_size: 512 * 1024 * 1024,
        }
    }
}

/// The names of the limits (as in `[limits]` and `--limit NAME=N`), each with what it bounds.
pub const NAMES: &[(&str, &str)] = &[
    ("depth", "elements open at once"),
    ("attributes", "attributes on one element"),
    (
        "name_length",
        "bytes of one element, attribute or entity name",
    ),
    ("attribute_length", "bytes of one attribute value"),
    (
        "text_length",
        "bytes of one text run, tag, comment, processing instruction or CDATA section",
    ),
    (
        "entity_expansion",
        "bytes of entity replacement text per document",
    ),
    ("entity_depth", "entity references nested in one another"),
    ("diagnostics", "diagnostics reported per file"),
    ("schema_size", "bytes of one schema's files together"),
    ("schema_depth", "nesting depth of a schema"),
    (
        "xinclude_depth",
        "xi:include elements nested in one another's content",
    ),
    (
        "xinclude_count",
        "xi:include elements carried out per document",
    ),
    (
        "xinclude_size",
        "bytes of a document with its includes (and of the files read for it)",
    ),
];

impl Limits {
    /// The limit named `name` (`depth`, `text_length`, … or with dashes: `text-length`).
    pub fn get(&self, name: &str) -> Option<usize> {
        Some(match name.replace('-', "_").as_str() {
            "depth" => self.depth,
            "attributes" => self.attributes,
            "name_length" => self.name_length,
            "attribute_length" => self.attribute_length,
            "text_length" => self.text_length,
            "entity_expansion" => self.entity_expansion,
            "entity_depth" => self.entity_depth,
            "diagnostics" => self.diagnostics,
            "schema_size" => self.schema_size,
            "schema_depth" => self.schema_depth,
            "xinclude_depth" => self.xinclude_depth,
            "xinclude_count" => self.xinclude_count,
            "xinclude_size" => self.xinclude_size,
            _ => return None,
        })
    }

    /// Sets the limit `name` to `value` (a positive whole number; `_` may group digits).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let digits = value.trim().replace('_', "");
        let n: usize = digits.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
            format!("limit `{name}` must be a positive whole number, not `{value}`")
        })?;
        self.set_number(name, n)
    }

    /// Sets the limit `name` to `n` (at least 1).
    pub fn set_number(&mut self, name: &str, n: usize) -> Result<(), String> {
        if n == 0 {
            return Err(format!("limit `{name}` must be at least 1"));
        }
        let slot = match name.replace('-', "_").as_str() {
            "depth" => &mut self.depth,
            "attributes" => &mut self.attributes,
            "name_length" => &mut self.name_length,
            "attribute_length" => &mut self.attribute_length,
            "text_length" => &mut self.text_length,
            "entity_expansion" => &mut self.entity_expansion,
            "entity_depth" => &mut self.entity_depth,
            "diagnostics" => &mut self.diagnostics,
            "schema_size" => &mut self.schema_size,
            "schema_depth" => &mut self.schema_depth,
            "xinclude_depth" => &mut self.xinclude_depth,
            "xinclude_count" => &mut self.xinclude_count,
            "xinclude_size" => &mut self.xinclude_size,
            _ => {
                let known: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "there is no limit named `{name}` (limits: {})",
                    known.join(", ")
                ));
            }
        };
        *slot = n;
        Ok(())
    }
}

/// The help line of a limit diagnostic: how to raise the limit `name`.
pub fn raise(name: &str) -> String {
    format!(
        "if the file is trusted and really needs more, raise the limit: `--limit {name}=N`, or \
         `{name} = N` in the `[limits]` table of teikit.toml"
    )
}

macro_rules! code {
    ($name:ident, $id:literal, $sev:ident, $summary:literal, $expl:literal) => {
        #[doc = $summary]
        pub static $name: Code = Code {
            id: concat!("tei::limit::", $id),
            severity: Severity::$sev,
            summary: $summary,
            explanation: $expl,
        };
    };
}

code!(
    DEPTH,
    "depth",
    Error,
    "Elements nest deeper than the limit",
    "More elements are open at once than the `depth` limit allows (default 4,096; the root \
     counts as 1). Real TEI nests a few dozen levels; thousands mean a generated or damaged \
     file (start tags that are never closed). Reading stops at the element that goes past the \
     limit, so the state kept while reading stays bounded. libxml2 (xmllint) stops at 256 \
     levels, or 2,048 with its `huge` option; teikit's default leaves room for deeply \
     nested editions and still bounds the memory a file can take."
);
code!(
    ATTRIBUTES,
    "attributes",
    Error,
    "An element has more attributes than the limit",
    "One start tag has more attributes than the `attributes` limit allows (default 1,024, \
     namespace declarations included). No TEI element declares that many; such a tag is \
     generated or damaged. Reading stops at that tag."
);
code!(
    NAME_LENGTH,
    "name_length",
    Error,
    "A name is longer than the limit",
    "An element, attribute or entity name is longer than the `name_length` limit (default \
     1,024 bytes). Real names are a few dozen bytes long; a longer one usually means a missing \
     `>` or quote turned text into a name. Reading stops there."
);
code!(
    ATTRIBUTE_LENGTH,
    "attribute_length",
    Error,
    "An attribute value is longer than the limit",
    "An attribute value (as written, before entities are expanded) is longer than the \
     `attribute_length` limit (default 1 MiB). Often a missing closing quote makes the rest of \
     the file part of a value. Reading stops at that attribute."
);
code!(
    TEXT_LENGTH,
    "text_length",
    Error,
    "A text run or piece of markup is longer than the limit",
    "One run of text (character data between two tags, merged across references and CDATA \
     sections) or one tag, comment, processing instruction or CDATA section is longer than \
     the `text_length` limit (default 10 MiB, as libxml2's limit for one text node). A file \
     read as a stream holds such a piece whole, so the limit also bounds its memory. Reading \
     stops there."
);
code!(
    DIAGNOSTICS,
    "diagnostics",
    Error,
    "More diagnostics than the limit in one file",
    "A file produced more diagnostics than the `diagnostics` limit (default 1,000 per file). \
     The most serious ones, earliest first, are reported; this diagnostic counts the rest by \
     severity and takes the severity of the most serious of them. Fix the first problems (one \
     mistake often causes many) and validate again, or raise the limit."
);
code!(
    SCHEMA_SIZE,
    "schema_size",
    Error,
    "A schema's files are larger than the limit",
    "The schema file and the files it reaches through `include` and `externalRef` together \
     hold more bytes than the `schema_size` limit (default 64 MiB; TEI's `tei_all.rng` is about \
     1 MiB). Reading stops before the file that goes past it; the schema is not used (exit \
     status 2)."
);
code!(
    SCHEMA_DEPTH,
    "schema_depth",
    Error,
    "A schema nests deeper than the limit",
    "A schema nests its elements, or its patterns once `ref`s are followed, deeper than the \
     `schema_depth` limit (default 1,000; TEI's `tei_all.rng` needs a few dozen). The schema \
     is not used (exit status 2)."
);

code!(
    XINCLUDE_DEPTH,
    "xinclude_depth",
    Error,
    "Includes nest deeper than the limit",
    "An `xi:include` brings in content whose includes bring in content … more levels deep than \
     the `xinclude_depth` limit (default 64; an edition split into volumes, letters and \
     notes needs a handful). The document is not assembled past that point and its content \
     is not validated; only the limit is reported."
);
code!(
    XINCLUDE_COUNT,
    "xinclude_count",
    Error,
    "More includes than the limit in one document",
    "Carrying out the document's `xi:include`s (counting each time an included file's own \
     includes are carried out again) takes more than the `xinclude_count` limit (default \
     100,000). Files that include each other several times grow exponentially; the limit \
     stops that. The document's content is not validated; only the limit is reported."
);
code!(
    XINCLUDE_SIZE,
    "xinclude_size",
    Error,
    "A document with its includes is larger than the limit",
    "The assembled document (the document with every include carried out), or the files read \
     for it together, would hold more bytes than the `xinclude_size` limit (default 512 MiB). \
     The document's content is not validated; only the limit is reported."
);

/// Every code of the `tei::limit` area.
pub static CODES: &[&Code] = &[
    &DEPTH,
    &ATTRIBUTES,
    &NAME_LENGTH,
    &ATTRIBUTE_LENGTH,
    &TEXT_LENGTH,
    &DIAGNOSTICS,
    &SCHEMA_SIZE,
    &SCHEMA_DEPTH,
    &XINCLUDE_DEPTH,
    &XINCLUDE_COUNT,
    &XINCLUDE_SIZE,
];

/// Keeps at most `max` of a file's diagnostics (sorted by position): the most serious ones,
/// earliest first, in their order; the rest are counted in one `tei::limit::diagnostics`
/// diagnostic, added last, at the place of the first of them. `dropped` (errors, warnings,
/// advice) were already left out by producers that stopped keeping them (each such producer
/// left a [`DIAGNOSTICS`] placeholder where its first dropped one was; placeholders are
/// replaced). Returns what the summary counts (`[0; 3]` when nothing was left out): a later
/// step that adds findings and caps the list again passes it as `dropped` (the summary it
/// replaces is a placeholder then).
pub fn cap_diagnostics(diags: &mut Vec<Diagnostic>, max: usize, dropped: Hidden) -> Hidden {
    let mut places: Vec<Diagnostic> = Vec::new();
    diags.retain(|d| {
        let placeholder = std::ptr::eq(d.code, &DIAGNOSTICS);
        if placeholder {
            places.push(d.clone());
        }
        !placeholder
    });
    let mut hidden = dropped;
    if diags.len() > max {
        let mut order: Vec<usize> = (0..diags.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(diags[i].severity), i));
        let mut keep = vec![false; diags.len()];
        for &i in &order[..max] {
            keep[i] = true;
        }
        let mut first_hidden = None;
        let mut i = 0;
        diags.retain(|d| {
            let k = keep[i];
            i += 1;
            if !k {
                hidden[slot(d.severity)] += 1;
                if first_hidden.is_none() {
                    first_hidden = Some(d.clone());
                }
            }
            k
        });
        places.extend(first_hidden);
    }
    let total: usize = hidden.iter().sum();
    let Some(at) = places
        .into_iter()
        .min_by_key(|d| (d.line, d.column, d.span.start))
    else {
        return [0; 3];
    };
    if total == 0 {
        return [0; 3];
    }
    let mut parts = Vec::new();
    for (n, one, many) in [
        (hidden[0], "error", "errors"),
        (hidden[1], "warning", "warnings"),
        (hidden[2], "advice", "advice"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    let severity = if hidden[0] > 0 {
        Severity::Error
    } else if hidden[1] > 0 {
        Severity::Warning
    } else {
        Severity::Advice
    };
    let mut d = Diagnostic::new(
        &DIAGNOSTICS,
        at.span.clone(),
        format!(
            "{total} more {} in this file {} not shown ({}): at most {max} are reported per file; the first of them is here",
            if total == 1 { "diagnostic" } else { "diagnostics" },
            if total == 1 { "is" } else { "are" },
            parts.join(", ")
        ),
    )
    .at(at.line, at.column)
    .with_help(format!(
        "fix the problems shown first (one mistake often causes many), or {}",
        raise("diagnostics")
    ));
    d.severity = severity;
    diags.push(d);
    hidden
}

/// Steps spelled out at the start of a long element path.
const PATH_HEAD: usize = 8;
/// Steps spelled out at the end of a long element path.
const PATH_TAIL: usize = 16;

/// The element path of `depth` steps, each written by `step(out, i)` after its `/`:
/// `/a/b/c`, or, deeper than 24 steps, its first 8 and last 16 steps around `/…(N more)…`,
/// so that neither its length nor the time to spell it grows with the depth.
pub fn spell_path(depth: usize, mut step: impl FnMut(&mut String, usize)) -> String {
    let mut out = String::new();
    let mut push = |out: &mut String, i: usize| {
        out.push('/');
        step(out, i);
    };
    if depth <= PATH_HEAD + PATH_TAIL {
        (0..depth).for_each(|i| push(&mut out, i));
        return out;
    }
    (0..PATH_HEAD).for_each(|i| push(&mut out, i));
    let gap = depth - PATH_HEAD - PATH_TAIL;
    out.push_str(&format!("/…({gap} more)…"));
    (depth - PATH_TAIL..depth).for_each(|i| push(&mut out, i));
    out
}

/// Which steps of a path of `depth` steps [`spell_path`] writes: the first `head` and the
/// last `tail` (all of them when `head + tail == depth`).
pub fn path_ends(depth: usize) -> (usize, usize) {
    if depth <= PATH_HEAD + PATH_TAIL {
        (depth, 0)
    } else {
        (PATH_HEAD, PATH_TAIL)
    }
}

/// A placeholder for [`cap_diagnostics`]: a producer that stopped keeping diagnostics at its
/// limit leaves one where its first dropped diagnostic was.
pub fn dropped_placeholder(span: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::new(&DIAGNOSTICS, span, "more diagnostics were left out here")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: &'static Code, line: u32) -> Diagnostic {
        Diagnostic::new(code, line as usize..line as usize, format!("l{line}")).at(line, 1)
    }

    #[test]
    fn the_cap_keeps_the_most_serious_earliest_first_and_counts_the_rest() {
        let w = &crate::check::CODES[0];
        let e = &DEPTH;
        let mut v: Vec<Diagnostic> = (1..=5).map(|l| at(w, l)).collect();
        for d in v.iter_mut() {
            d.severity = Severity::Warning;
        }
        v.push(at(e, 6));
        v.push(at(e, 7));
        cap_diagnostics(&mut v, 3, [0; 3]);
        let kept: Vec<u32> = v.iter().map(|d| d.line).collect();
        // both errors, then the earliest warning; the summary sits at the first left out
        assert_eq!(kept, [1, 6, 7, 2]);
        let s = v.last().unwrap();
        assert_eq!(s.code.id, "tei::limit::diagnostics");
        assert_eq!(s.severity, Severity::Warning);
        assert!(s.message.starts_with("4 more diagnostics"), "{}", s.message);
        assert!(s.message.contains("4 warnings"), "{}", s.message);

        // a producer's placeholder and count: one summary, at the earliest place
        let mut v = vec![at(w, 3), dropped_placeholder(9..9).at(9, 1), at(w, 12)];
        cap_diagnostics(&mut v, 10, [5, 0, 0]);
        assert_eq!(v.len(), 3);
        assert_eq!(v[2].line, 9);
        assert_eq!(v[2].severity, Severity::Error);
        assert!(
            v[2].message.contains("5 more diagnostics"),
            "{}",
            v[2].message
        );

        let mut v = vec![at(w, 1)];
        cap_diagnostics(&mut v, 1, [0; 3]);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn long_paths_keep_their_ends() {
        let names = ["a", "b", "c"];
        assert_eq!(spell_path(3, |o, i| o.push_str(names[i])), "/a/b/c");
        assert_eq!(spell_path(0, |o, _| o.push('x')), "");
        let deep = spell_path(1000, |o, i| o.push_str(if i == 999 { "leaf" } else { "d" }));
        assert!(
            deep.starts_with("/d/d/d/d/d/d/d/d/…(976 more)…/d/"),
            "{deep}"
        );
        assert!(deep.ends_with("/d/leaf"), "{deep}");
        assert_eq!(deep.matches('/').count(), 8 + 1 + 16);
    }

    #[test]
    fn every_name_reads_and_writes_its_own_limit() {
        for (i, (name, _)) in NAMES.iter().enumerate() {
            let mut l = Limits::default();
            l.set(name, &(7 + i).to_string()).unwrap();
            assert_eq!(l.get(name), Some(7 + i), "{name}");
            let others = NAMES.iter().filter(|(n, _)| n != name);
            for (other, _) in others {
                assert_eq!(
                    l.get(other),
                    Limits::default().get(other),
                    "{name} set {other}"
                );
            }
        }
        let mut l = Limits::default();
        l.set("text-length", "1_000").unwrap();
        assert_eq!(l.text_length, 1000);
        assert!(l.set("depth", "-1").is_err());
        assert!(l.set("depth", "many").is_err());
        assert!(l.set("nope", "3").unwrap_err().contains("depth"));
    }
}
