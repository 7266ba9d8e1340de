//! A RELAX NG engine: XML-syntax schemas parsed, simplified (spec section 4) and checked
//! (section 7) into an interned [`pattern`] graph, and documents validated by derivatives.
//!
//! Compile a schema once with [`Schema::from_file`] (or [`Schema::from_str`] with a
//! [`Resolver`] for included files) and share it between threads (`Arc<Schema>`).

pub mod datatypes;
pub mod fxhash;
pub mod grammar;
pub mod pattern;
pub mod validate;

mod attribute_kinds;
mod codes;
mod compile;
mod depth;
mod parse;
mod restrictions;
mod schema;
mod simplify;

pub use codes::*;
pub use grammar::{AttributeDocs, ElementDecl, Grammar};
pub use schema::{
    is_too_large, AttributeKind, FsResolver, Resolver, Schema, SchemaDiagnostic, SchemaError,
};

pub(crate) use compile::too_large as schema_too_large;
pub use parse::compact::{is_compact, looks_like_compact, COMPACT_SYNTAX};
