//! Entry points of the schema compiler: parse ([`super::parse`]), simplify
//! ([`super::simplify`]), check the restrictions ([`super::restrictions`]).

use std::path::Path;
use std::rc::Rc;

use super::grammar::Grammar;
use super::parse::{self, normalize};
use super::pattern::Pattern;
use super::restrictions::{self, Where};
use super::schema::{Resolver, SchemaDiagnostic, SchemaError};
use super::simplify::Compiler;
use crate::diagnostic::Diagnostic;

/// Reads and compiles the schema file at `path`.
/// The grammar comes with the elements the start reaches (indexed by element id).
pub(crate) fn compile_file(
    path: &Path,
    resolver: &dyn Resolver,
) -> Result<(Grammar, Vec<bool>), SchemaError> {
    match resolver.load(path) {
        Ok(text) => compile_text(&text, path, resolver),
        Err(e) => Err(SchemaError {
            diagnostics: vec![SchemaDiagnostic {
                file: path.to_path_buf(),
                diagnostic: Diagnostic::new(
                    &super::SCHEMA_NOT_FOUND,
                    0..0,
                    format!("cannot read schema {}: {e}", path.display()),
                ),
            }],
        }),
    }
}

/// Compiles schema `text` located at `base`; the grammar comes with the elements the start
/// reaches (indexed by element id).
pub(crate) fn compile_text(
    text: &str,
    base: &Path,
    resolver: &dyn Resolver,
) -> Result<(Grammar, Vec<bool>), SchemaError> {
    // The path as given (normalised), so that messages name files the way the user did.
    let base = normalize(base);
    let (ast, errors) = parse::parse(Rc::from(text), &base, resolver);
    if !errors.is_empty() {
        return Err(SchemaError {
            diagnostics: errors,
        });
    }
    let compiler = Compiler::new(&ast);
    let (grammar, origins, mut errors) = compiler.run();
    if !errors.is_empty() {
        return Err(SchemaError {
            diagnostics: errors,
        });
    }
    let (reachable, violations) = restrictions::check(&grammar);
    for v in violations {
        let pos = match v.at {
            Where::Pattern(p) => origins.get(p),
            Where::Element(e) => grammar
                .patterns
                .lookup(&Pattern::Element(e))
                .and_then(|p| origins.get(p)),
        };
        let d = match pos {
            Some(pos) => {
                let f = &ast.files[pos.file as usize];
                let (line, col) = f.line_col(pos.span.start);
                SchemaDiagnostic {
                    file: f.path.to_path_buf(),
                    diagnostic: Diagnostic::new(
                        &super::SCHEMA_RESTRICTION,
                        pos.span.clone(),
                        v.message,
                    )
                    .at(line, col),
                }
            }
            None => SchemaDiagnostic {
                file: base.clone(),
                diagnostic: Diagnostic::new(&super::SCHEMA_RESTRICTION, 0..0, v.message),
            },
        };
        errors.push(d);
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| {
            (&a.file, a.diagnostic.span.start).cmp(&(&b.file, b.diagnostic.span.start))
        });
        return Err(SchemaError {
            diagnostics: errors,
        });
    }
    Ok((grammar, reachable))
}
