//! The language server (`teikit lsp`): teikit's checks, completion and navigation in any editor
//! that speaks the Language Server Protocol (stdio, JSON-RPC).
//!
//! Built on `lsp-server` and `lsp-types` (rust-analyzer's message types: synchronous, no async
//! runtime). Parts:
//! - [`server`]: life cycle, shared state, dispatch; [`transport`]: framing, malformed input;
//! - [`documents`]: open documents, incremental sync; [`position`]: UTF-16 positions;
//! - [`workspace`]: the indexed workspace and pointer resolution; [`index`]: one file's ids,
//!   pointers, prefixDefs and outline; [`settings`]: configuration;
//! - [`diagnostics`]: the validate pipeline on buffers (debounced, stale results dropped);
//! - features: [`completion`], [`hover`], [`navigation`] (definition, references, rename),
//!   [`symbols`] (outline), [`actions`] (code actions); [`context`]: where the cursor is;
//! - [`schema`]: the schema's answers ([`crate::ide::SchemaAssist`]): element, attribute and
//!   value completion, glosses, required attributes.

pub mod actions;
pub mod completion;
pub mod context;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod index;
pub mod navigation;
pub mod position;
pub mod schema;
pub mod server;
pub mod settings;
pub mod symbols;
pub mod transport;
pub mod workspace;

pub use server::serve;
pub use settings::Settings;

/// Runs the server on standard input and output; returns the exit status.
pub fn run_stdio(settings: Settings) -> i32 {
    let stdin = std::io::BufReader::new(std::io::stdin());
    serve(settings, stdin, std::io::stdout())
}
