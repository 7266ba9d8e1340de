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
        super::compile::compile_file(path.as_ref(), &FsResolver).map(Schema::new)
    }

    /// Compiles the schema `text`, whose own location is `base_path` (relative `href`s resolve
    /// against it), loading included and `externalRef`'d files through `resolver`.
    pub fn from_str(
        text: &str,
        base_path: impl AsRef<Path>,
        resolver: &dyn Resolver,
    ) -> Result<Schema, SchemaError> {
        super::compile::compile_text(text, base_path.as_ref(), resolver).map(Schema::new)
    }

    /// Wraps a compiled grammar and computes the static tables.
    pub fn new(grammar: Grammar) -> Schema {
        let tables = Tables::build(&grammar);
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
}
