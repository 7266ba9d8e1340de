//! The public face of the compiler: [`Schema`], its loading errors and the [`Resolver`] for
//! included files.

use std::fmt;
use std::path::{Path, PathBuf};

use super::attribute_kinds::Tables;
use super::grammar::Grammar;
use crate::diagnostic::Diagnostic;

/// Loads the files a schema reaches through `include` and `externalRef`.
pub trait Resolver: Sync {
    /// The text of the file at `path` (already resolved against the including file's base).
    fn load(&self, path: &Path) -> std::io::Result<String>;
}

/// The default [`Resolver`]: reads files from disk (never over the network).
#[derive(Debug, Clone, Copy, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// What an attribute's value is, as declared by the schema (for the reference checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    /// Typed `xsd:anyURI` (also inside a list or choice): one or more pointers.
    Pointer,
    /// Typed `xsd:ID`.
    Id,
    /// Typed `xsd:IDREF`.
    Idref,
    /// Typed `xsd:IDREFS`.
    Idrefs,
    /// Anything else, or not declared.
    Other,
}

/// One problem with a schema: the schema file it is in and a diagnostic with line and column.
#[derive(Debug, Clone)]
pub struct SchemaDiagnostic {
    /// The schema file (the main one or an included one).
    pub file: PathBuf,
    /// The problem; `span`, `line` and `column` point into `file`.
    pub diagnostic: Diagnostic,
}

/// A schema that cannot be used: every problem found.
#[derive(Debug, Clone)]
pub struct SchemaError {
    /// The problems, in the order found (at least one).
    pub diagnostics: Vec<SchemaDiagnostic>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let diag = &d.diagnostic;
            write!(
                f,
                "{}:{}:{}: {} [{}]",
                d.file.display(),
                diag.line,
                diag.column,
                diag.message,
                diag.code.id
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// A compiled RELAX NG schema: immutable, `Send + Sync`, built once and shared (`Arc`).
#[derive(Debug)]
pub struct Schema {
    grammar: Grammar,
    tables: Tables,
    instance_id: u64,
}

/// Source of [`Schema::instance_id`]s.
static NEXT_INSTANCE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Schema {
    /// Reads and compiles the schema at `path`, with included files read from disk.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Schema, SchemaError> {
        super::compile::compile_file(path.as_ref(), &FsResolver)
            .map(|(g, reachable)| Schema::with_reachable(g, &reachable))
    }

    /// Compiles the schema `text`, whose own location is `base_path` (relative `href`s resolve
    /// against it), loading included and `externalRef`'d files through `resolver`.
    pub fn from_str(
        text: &str,
        base_path: impl AsRef<Path>,
        resolver: &dyn Resolver,
    ) -> Result<Schema, SchemaError> {
        super::compile::compile_text(text, base_path.as_ref(), resolver)
            .map(|(g, reachable)| Schema::with_reachable(g, &reachable))
    }

    /// Wraps a compiled grammar and computes the static tables.
    pub fn new(grammar: Grammar) -> Schema {
        let reachable = super::attribute_kinds::reachable_elements(&grammar);
        Schema::with_reachable(grammar, &reachable)
    }

    /// [`Schema::new`] with the reachable elements already known (the compiler's section 7
    /// walk computes them).
    fn with_reachable(grammar: Grammar, reachable: &[bool]) -> Schema {
        let tables = Tables::build(&grammar, reachable);
        let instance_id = NEXT_INSTANCE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Schema {
            grammar,
            tables,
            instance_id,
        }
    }

    /// A number unique to this schema object within the process (never reused, unlike its
    /// address once it is dropped): the key for per-thread memo tables.
    pub fn instance_id(&self) -> u64 {
        self.instance_id
    }

    /// The simplified grammar.
    pub fn grammar(&self) -> &Grammar {
        &self.grammar
    }

    /// How the schema types attribute `{attr_ns}attr_local` on element `{elem_ns}elem_local`:
    /// `Pointer` for `xsd:anyURI` (also in a list or choice), `Id`, `Idref`, `Idrefs`, else
    /// (or when undeclared) `Other`. Computed once at compile time; no allocation.
    pub fn attribute_kind(
        &self,
        elem_ns: &str,
        elem_local: &str,
        attr_ns: &str,
        attr_local: &str,
    ) -> AttributeKind {
        self.tables
            .attribute_kind(elem_ns, elem_local, attr_ns, attr_local)
    }

    /// The `a:documentation` of the element `{ns}local`, if the schema gives one.
    pub fn element_documentation(&self, ns: &str, local: &str) -> Option<&str> {
        let id = self.tables.documented_element(&self.grammar, ns, local)?;
        self.grammar.elements[id as usize].documentation.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn schema_is_shareable() {
        assert_send_sync::<Schema>();
    }

    /// An in-memory resolver for included files.
    struct Mem(Vec<(&'static str, &'static str)>);

    impl Resolver for Mem {
        fn load(&self, path: &Path) -> std::io::Result<String> {
            self.0
                .iter()
                .find(|(p, _)| Path::new(p) == path)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not in memory"))
        }
    }

    const SCHEMA: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
        xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"
        datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes" ns="urn:t">
      <start><ref name="doc"/></start>
      <define name="doc">
        <element name="doc">
          <a:documentation>  The whole document.  </a:documentation>
          <attribute name="id" ns="http://www.w3.org/XML/1998/namespace"><data type="ID"/></attribute>
          <optional><attribute name="target">
            <list><oneOrMore><data type="anyURI"/></oneOrMore></list>
          </attribute></optional>
          <optional><attribute name="ref">
            <choice><value>none</value><data type="anyURI"/></choice>
          </attribute></optional>
          <optional><attribute name="refs"><data type="IDREFS"/></attribute></optional>
          <zeroOrMore><attribute><nsName ns="urn:any"/><data type="IDREF"/></attribute></zeroOrMore>
          <zeroOrMore><ref name="part"/></zeroOrMore>
        </element>
      </define>
      <include href="parts.rng"/>
      <define name="unused"><element name="ghost"><a:documentation>never reached</a:documentation>
        <attribute name="target"><data type="anyURI"/></attribute></element></define>
    </grammar>"#;

    const PARTS: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
      <define name="part"><element name="part"><attribute name="n"/><text/></element></define>
    </grammar>"#;

    fn compiled() -> Schema {
        let mem = Mem(vec![("/s/parts.rng", PARTS)]);
        Schema::from_str(SCHEMA, "/s/main.rng", &mem).expect("schema compiles")
    }

    #[test]
    fn attribute_kinds_are_static() {
        let s = compiled();
        let xml = "http://www.w3.org/XML/1998/namespace";
        assert_eq!(
            s.attribute_kind("urn:t", "doc", xml, "id"),
            AttributeKind::Id
        );
        assert_eq!(
            s.attribute_kind("urn:t", "doc", "", "target"),
            AttributeKind::Pointer
        );
        assert_eq!(
            s.attribute_kind("urn:t", "doc", "", "ref"),
            AttributeKind::Pointer
        );
        assert_eq!(
            s.attribute_kind("urn:t", "doc", "", "refs"),
            AttributeKind::Idrefs
        );
        assert_eq!(
            s.attribute_kind("urn:t", "doc", "urn:any", "x"),
            AttributeKind::Idref
        );
        assert_eq!(
            s.attribute_kind("urn:t", "doc", "urn:other", "x"),
            AttributeKind::Other
        );
        // `part` comes from the included file, whose root inherits the include's `ns` (4.7).
        assert_eq!(
            s.attribute_kind("urn:t", "part", "", "n"),
            AttributeKind::Other
        );
        // Wrong element namespace, and an element the start never reaches.
        assert_eq!(
            s.attribute_kind("", "doc", "", "target"),
            AttributeKind::Other
        );
        assert_eq!(
            s.attribute_kind("urn:t", "ghost", "", "target"),
            AttributeKind::Other
        );
    }

    #[test]
    fn documentation_is_trimmed_and_reachable_only() {
        let s = compiled();
        assert_eq!(
            s.element_documentation("urn:t", "doc"),
            Some("The whole document.")
        );
        assert_eq!(s.element_documentation("urn:t", "part"), None);
        assert_eq!(s.element_documentation("urn:t", "ghost"), None);
        assert!(s
            .grammar()
            .elements
            .iter()
            .any(|e| e.name.contains("urn:t", "part")));
    }

    #[test]
    fn duplicate_xml_attribute_points_at_the_second_with_the_first_as_label() {
        let text = "<element name=\"a\" xmlns=\"http://relaxng.org/ns/structure/1.0\"\n  name=\"b\"><empty/></element>";
        let err = Schema::from_str(text, "/s/dup.rng", &Mem(vec![])).expect_err("not well-formed");
        let d = &err.diagnostics[0].diagnostic;
        assert_eq!(d.code.id, "tei::rng::schema_syntax");
        assert_eq!(&text[d.span.clone()], "name=\"b\"");
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(d.labels.len(), 1);
        assert_eq!(&text[d.labels[0].span.clone()], "name=\"a\"");
    }

    #[test]
    fn missing_include_is_a_positioned_error() {
        let err =
            Schema::from_str(SCHEMA, "/s/main.rng", &Mem(vec![])).expect_err("include missing");
        let d = &err.diagnostics[0];
        assert_eq!(d.diagnostic.code.id, "tei::rng::schema_not_found");
        assert_eq!(d.file, Path::new("/s/main.rng"));
        assert_eq!((d.diagnostic.line, d.diagnostic.column), (20, 7));
    }
}
