//! The public face of the compiler: [`Schema`], its loading errors and the [`Resolver`] for
//! included files.

use std::fmt;
use std::path::{Path, PathBuf};

use super::attribute_kinds::Tables;
use super::grammar::Grammar;
use crate::diagnostic::Diagnostic;
use crate::limit::Limits;

/// Loads the files a schema reaches through `include` and `externalRef`.
pub trait Resolver: Sync {
    /// The text of the file at `path` (already resolved against the including file's base).
    fn load(&self, path: &Path) -> std::io::Result<String>;

    /// The text of the file at `path` if it holds at most `max_bytes` bytes; a larger file is
    /// an error for which [`is_too_large`] holds. The default loads the file, then measures
    /// it; [`FsResolver`] refuses a larger file before reading it.
    fn load_at_most(&self, path: &Path, max_bytes: usize) -> std::io::Result<String> {
        let text = self.load(path)?;
        if text.len() > max_bytes {
            return Err(too_large(max_bytes));
        }
        Ok(text)
    }
}

fn too_large(max: usize) -> std::io::Error {
    std::io::Error::other(crate::fsutil::TooLarge(max))
}

/// Whether `e` says that a file was larger than [`Resolver::load_at_most`] allowed.
pub fn is_too_large(e: &std::io::Error) -> bool {
    crate::fsutil::is_too_large(e)
}

/// The default [`Resolver`]: reads regular files from disk (never over the network, never a
/// device, FIFO or folder: those are refused without being opened).
#[derive(Debug, Clone, Copy, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        self.load_at_most(path, usize::MAX)
    }

    fn load_at_most(&self, path: &Path, max_bytes: usize) -> std::io::Result<String> {
        let bytes = crate::fsutil::read_regular(path, max_bytes)?;
        String::from_utf8(bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "it is not UTF-8 (invalid bytes at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })
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

/// Stack for compiling a schema: its walks recurse as deep as the schema nests, which
/// [`Limits::schema_depth`] bounds (a few hundred bytes per level), whatever stack the caller
/// has (a worker thread's is often 2 MiB). Only the pages used are ever touched.
const COMPILE_STACK: usize = 256 * 1024 * 1024;

/// Runs `f` on a thread with [`COMPILE_STACK`] of stack (in place when no thread can be
/// started).
fn on_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let ran = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("teikit-schema".into())
            .stack_size(COMPILE_STACK)
            .spawn_scoped(scope, || f.take().map(|f| f()));
        match spawned {
            // a panic of the compiler goes on with its own message
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
            Err(_) => None,
        }
    });
    match (ran, f) {
        (Some(t), _) => t,
        (None, Some(f)) => f(),
        (None, None) => std::panic::resume_unwind(Box::new("schema compilation panicked")),
    }
}

/// Source of [`Schema::instance_id`]s.
static NEXT_INSTANCE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Schema {
    /// Reads and compiles the schema at `path`, with included files read from disk, under
    /// the default [`Limits`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Schema, SchemaError> {
        Schema::from_file_with(path, &Limits::default())
    }

    /// [`Schema::from_file`] under `limits` (`schema_size`, `schema_depth`, and the document
    /// limits for each schema file's XML).
    pub fn from_file_with(path: impl AsRef<Path>, limits: &Limits) -> Result<Schema, SchemaError> {
        let path = path.as_ref();
        on_large_stack(|| {
            super::compile::compile_file(path, &FsResolver, limits)
                .map(|(g, reachable)| Schema::with_reachable(g, &reachable))
        })
    }

    /// Compiles the schema `text`, whose own location is `base_path` (relative `href`s resolve
    /// against it), loading included and `externalRef`'d files through `resolver`, under the
    /// default [`Limits`].
    pub fn from_str(
        text: &str,
        base_path: impl AsRef<Path>,
        resolver: &dyn Resolver,
    ) -> Result<Schema, SchemaError> {
        Schema::from_str_with(text, base_path, resolver, &Limits::default())
    }

    /// [`Schema::from_str`] under `limits`.
    pub fn from_str_with(
        text: &str,
        base_path: impl AsRef<Path>,
        resolver: &dyn Resolver,
        limits: &Limits,
    ) -> Result<Schema, SchemaError> {
        let base = base_path.as_ref();
        on_large_stack(|| {
            super::compile::compile_text(text, base, resolver, limits)
                .map(|(g, reachable)| Schema::with_reachable(g, &reachable))
        })
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
    fn the_file_resolver_reads_only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.rng");
        std::fs::write(&f, "<grammar/>").unwrap();
        assert_eq!(FsResolver.load_at_most(&f, 10).unwrap(), "<grammar/>");
        let e = FsResolver.load_at_most(&f, 9).unwrap_err();
        assert!(is_too_large(&e), "{e}");
        let e = FsResolver.load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
        assert!(!is_too_large(&e));
        #[cfg(unix)]
        {
            let e = FsResolver.load(Path::new("/dev/zero")).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
        // another resolver gets the same limit from the default method
        let mem = Mem(vec![("/s/big.rng", "<grammar>0123456789</grammar>")]);
        assert!(is_too_large(
            &mem.load_at_most(Path::new("/s/big.rng"), 5).unwrap_err()
        ));
    }

    #[test]
    fn schema_limits_refuse_deep_and_large_schemas() {
        let limits = Limits {
            schema_depth: 3,
            ..Limits::default()
        };
        let nest = |n: usize| {
            format!(
                "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>{}<empty/>{}</element>",
                "<element name='a'>".repeat(n - 1),
                "</element>".repeat(n - 1)
            )
        };
        let mem = Mem(vec![]);
        assert!(Schema::from_str_with(&nest(2), "/s/a.rng", &mem, &limits).is_ok());
        let e = Schema::from_str_with(&nest(4), "/s/a.rng", &mem, &limits).unwrap_err();
        assert_eq!(e.diagnostics.len(), 1, "{e}");
        assert_eq!(
            e.diagnostics[0].diagnostic.code.id,
            "tei::limit::schema_depth"
        );
        let small = Limits {
            schema_size: 20,
            ..Limits::default()
        };
        let e = Schema::from_str_with(&nest(2), "/s/a.rng", &mem, &small).unwrap_err();
        assert_eq!(
            e.diagnostics[0].diagnostic.code.id,
            "tei::limit::schema_size"
        );
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
