//! Entry points of the schema compiler: parse ([`super::parse`]), simplify
//! ([`super::simplify`]), check the restrictions ([`super::restrictions`]).

use std::path::Path;
use std::rc::Rc;

use super::grammar::Grammar;
use super::parse::{self, normalize};
use super::pattern::Pattern;
use super::restrictions::{self, Where};
use super::schema::{is_too_large, Resolver, SchemaDiagnostic, SchemaError};
use super::simplify::Compiler;
use crate::diagnostic::Diagnostic;
use crate::limit::Limits;

/// Reads and compiles the schema file at `path` under `limits`.
/// The grammar comes with the elements the start reaches (indexed by element id).
pub(crate) fn compile_file(
    path: &Path,
    resolver: &dyn Resolver,
    limits: &Limits,
) -> Result<(Grammar, Vec<bool>), SchemaError> {
    match resolver.load_at_most(path, limits.schema_size) {
        Ok(text) => compile_text(&text, path, resolver, limits),
        Err(e) => {
            let d = if is_too_large(&e) {
                too_large(path, limits.schema_size)
            } else {
                Diagnostic::new(
                    &super::SCHEMA_NOT_FOUND,
                    0..0,
                    format!("cannot read schema {}: {e}", path.display()),
                )
            };
            Err(SchemaError {
                diagnostics: vec![SchemaDiagnostic {
                    file: path.to_path_buf(),
                    diagnostic: d.at(1, 1),
                }],
            })
        }
    }
}

/// The diagnostic for a schema whose files hold more than `max` bytes, reading `path`.
pub(crate) fn too_large(path: &Path, max: usize) -> Diagnostic {
    Diagnostic::new(
        &crate::limit::SCHEMA_SIZE,
        0..0,
        format!(
            "the schema's files hold more than the limit of {max} bytes together (reading {} went past it); the schema is not used",
            path.display()
        ),
    )
    .with_help(crate::limit::raise("schema_size"))
}

/// Compiles schema `text` located at `base` under `limits`; the grammar comes with the
/// elements the start reaches (indexed by element id).
pub(crate) fn compile_text(
    text: &str,
    base: &Path,
    resolver: &dyn Resolver,
    limits: &Limits,
) -> Result<(Grammar, Vec<bool>), SchemaError> {
    // The path as given (normalised), so that messages name files the way the user did.
    let base = normalize(base);
    if text.len() > limits.schema_size {
        return Err(SchemaError {
            diagnostics: vec![SchemaDiagnostic {
                file: base.clone(),
                diagnostic: too_large(&base, limits.schema_size).at(1, 1),
            }],
        });
    }
    let (ast, errors) = parse::parse(Rc::from(text), &base, resolver, limits);
    if !errors.is_empty() {
        return Err(SchemaError {
            diagnostics: errors,
        });
    }
    let compiler = Compiler::new(&ast, limits.schema_depth);
    let (grammar, origins, mut errors) = compiler.run();
    if !errors.is_empty() {
        return Err(SchemaError {
            diagnostics: errors,
        });
    }
    // every walk below recurses as deep as the patterns nest: refuse a deeper schema first
    let (depth, deepest) = super::depth::deepest(&grammar.patterns);
    if depth as usize > limits.schema_depth {
        let (file, span, line, col) = match origins.get(deepest) {
            Some(pos) => {
                let f = &ast.files[pos.file as usize];
                let (line, col) = f.line_col(pos.span.start);
                (f.path.to_path_buf(), pos.span.clone(), line, col)
            }
            None => (base.clone(), 0..0, 1, 1),
        };
        let d = Diagnostic::new(
            &crate::limit::SCHEMA_DEPTH,
            span,
            format!(
                "the schema's patterns nest {depth} deep here once its references are followed, beyond the limit of {}; the schema is not used",
                limits.schema_depth
            ),
        )
        .at(line, col)
        .with_help(crate::limit::raise("schema_depth"));
        return Err(SchemaError {
            diagnostics: vec![SchemaDiagnostic {
                file,
                diagnostic: d,
            }],
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
