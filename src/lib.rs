//! teikit: encode transcribed correspondence as TEI P5, and validate TEI files.
//!
//! The library returns data ([`diagnostic::Diagnostic`]); rendering for terminals lives in the
//! `teikit` binary (feature `cli`). Areas:
//! - [`encode`]: plain-text letters to a TEI document with correspondence headers;
//! - [`xml`]: a streaming, position-keeping XML reader (well-formedness, encodings, entities);
//! - [`relaxng`]: a RELAX NG engine (schema compilation and validation by derivatives);
//! - [`check`]: references, TEI rules, correspondence rules and consistency checks;
//! - [`validate`]: the pipeline that runs all of the above over files and folders;
//! - [`report`]: human, JSON, SARIF, JUnit and GitHub views over validation results;
//! - [`export`]: CMIF and letter indexes from TEI letters;
//! - [`xinclude`]: XInclude 1.0, documents assembled from their includes before validation;
//! - [`ide`]: what a schema says at an editor's cursor (completion, glosses, required
//!   attributes), for `teikit lsp`;
//! - [`lsp`]: the language server (feature `lsp`, on by default);
//! - [`limit`]: the resource limits every file is read under;
//! - [`fuzz`]: fuzz targets and a stable campaign driver (tests, examples, `fuzz/`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod diagnostic;
pub mod encode;
pub mod export;
pub mod fsutil;
pub mod fuzz;
pub mod ide;
pub mod limit;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod relaxng;
pub mod report;
pub mod schematron;
pub mod source;
pub mod validate;
pub mod xinclude;
pub mod xml;
