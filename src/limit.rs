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

use crate::diagnostic::{Code, Severity};

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
];

#[cfg(test)]
mod tests {
    use super::*;

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
