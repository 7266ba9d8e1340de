//! What a schema says at a point of a document being edited: completion, glosses for hover,
//! the attributes a start tag lacks. Plain library code over a compiled RELAX NG [`Schema`]
//! (the validator's own, with its derivatives), no editor protocol in it: `teikit lsp`
//! ([`crate`]'s `lsp` module) turns these answers into LSP messages.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use teikit::relaxng::Schema;
//! # use teikit::ide::SchemaAssist;
//! let schema = Arc::new(Schema::from_file("tei_all.rng").expect("schema"));
//! let assist = SchemaAssist::new(schema);
//! let text = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><";
//! for item in assist.complete(text, text.len()).items {
//!     println!("{} {:?}: {}", item.label, item.kind, item.gloss.unwrap_or_default());
//! }
//! ```
//!
//! # Guarantees
//!
//! - **Tolerant.** The text is read as typed: unclosed elements stay open, an end tag closes
//!   the nearest open element of its name, one that matches nothing is ignored, an element
//!   the schema does not allow is taken as the validator recovers from it (allowed later,
//!   validated against its declaration elsewhere, or left out), an attribute not allowed is
//!   left out, an invalid value counts as valid. Nothing panics, whatever the text and offset
//!   (an offset inside a character or past the end is moved back to a character boundary).
//! - **Exact where the document is valid.** Element completions are the names the RELAX NG
//!   state at the cursor accepts: the derivative of the start pattern by the start tags and
//!   attributes of the open elements and of their closed children before the cursor, asked
//!   which element names may start next: not a flat list of the schema's elements, and in
//!   the order the content model imposes. The content of a closed child is never read (the
//!   end tag's derivative continues after it whatever it held), nor is anything after the
//!   cursor, except the rest of the start tag the cursor is in (its attributes count as
//!   present).
//! - **Bounded.** One pass over the text before the cursor, and one memoised derivative step
//!   per start tag of an open element or of its closed children (their attributes
//!   included): nothing quadratic in the document. The memo is the thread's (kept between
//!   calls, rebuilt for another schema), as the validator keeps its own.
//! - **Names as written.** Element names are written with the prefix in scope at the cursor
//!   for their namespace (bare in the default namespace); wildcards (`anyName`, `nsName`)
//!   are offered as no name.

mod complete;
mod gloss;
mod replay;
mod scan;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::relaxng::pattern::ElementId;
use crate::relaxng::Schema;

/// Completion, hover glosses and required attributes for one compiled schema. Cheap to
/// share (`Send + Sync`; the memo of derivatives lives in each thread).
#[derive(Debug, Clone)]
pub struct SchemaAssist {
    schema: Arc<Schema>,
    /// Element declarations by local name (all namespaces), in declaration order.
    by_local: HashMap<String, Vec<ElementId>>,
}

/// What may stand at a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// Where the cursor is.
    pub context: CompletionContext,
    /// The byte range an item's [`Completion::insert`] replaces: the name or value typed so
    /// far (empty, at the cursor, when nothing was typed).
    pub replace: Range<usize>,
    /// The items, in the order to show them: the closing tag first, then by name (elements
    /// and attributes), or in the schema's order (values).
    pub items: Vec<Completion>,
}

/// Where a cursor is, in the document's terms (names as written there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionContext {
    /// In element content, no `<` typed: elements (inserted with `<`) and the closing tag.
    /// `parent` is the innermost open element (none before or after the root).
    Content {
        /// The open element the cursor is in.
        parent: Option<String>,
    },
    /// After `<` (and maybe part of a name): element names, and, right after `<`, the
    /// closing tag (inserted as `/name>`).
    ElementName {
        /// The open element the cursor is in.
        parent: Option<String>,
    },
    /// After `</`: the closing tag of the open element.
    EndTag {
        /// The open element the cursor is in.
        parent: Option<String>,
    },
    /// In a start tag, where an attribute name goes.
    AttributeName {
        /// The element of the start tag.
        element: String,
    },
    /// In an attribute's value.
    AttributeValue {
        /// The element of the start tag.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// Nowhere anything is offered (a comment, a processing instruction, CDATA, the
    /// DOCTYPE, ...).
    None,
}

/// One thing that may stand at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What to show: `persName`, `</p>`, `xml:id`, `sent`.
    pub label: String,
    /// What replaces [`Completions::replace`]: `<persName` in content, `persName` after
    /// `<`, `type=""` for an attribute, the value itself in quotes already typed (quoted
    /// when no quote was typed).
    pub insert: String,
    /// What it is.
    pub kind: CompletionKind,
    /// The schema's `a:documentation` of it, if any.
    pub gloss: Option<String>,
    /// An attribute the element requires (false for everything else).
    pub required: bool,
}

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// An element name.
    Element,
    /// The closing tag of the open element.
    EndTag,
    /// An attribute name.
    Attribute,
    /// A fixed value (`<value>`) of an attribute.
    Value,
}

impl SchemaAssist {
    /// An assistant for `schema` (any compiled schema: tei_all, the embedded
    /// tei-corresp.rng, a compact-syntax file).
    pub fn new(schema: Arc<Schema>) -> SchemaAssist {
        let mut by_local: HashMap<String, Vec<ElementId>> = HashMap::new();
        for (i, decl) in schema.grammar().elements.iter().enumerate() {
            let mut names = Vec::new();
            complete::plain_names(&decl.name, &mut names);
            for (_, local) in names {
                by_local
                    .entry(local.to_string())
                    .or_default()
                    .push(i as ElementId);
            }
        }
        SchemaAssist { schema, by_local }
    }

    /// The schema.
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// What may stand at byte `offset` of `text`: element names the RELAX NG state there
    /// accepts and the closing tag (in element content, after `<`, after `</`), the
    /// attributes allowed on the start tag the cursor is in and not yet on it, or the fixed
    /// values of the attribute whose value the cursor is in; each with its gloss. See the
    /// module's guarantees.
    pub fn complete(&self, text: &str, offset: usize) -> Completions {
        crate::relaxng::validate::with_thread_cache(&*self.schema, |cache| {
            self.complete_with(cache, text, offset)
        })
    }

    /// The attributes the RELAX NG state requires on the start tag whose `<` is at byte
    /// `offset` of `text` and that it lacks (qualified as they would be written there, e.g.
    /// `xml:id`), sorted; empty when it lacks none, or when no start tag begins at `offset`.
    /// Where the schema requires one of several (`a | b`), each is listed.
    pub fn required_attributes(&self, text: &str, offset: usize) -> Vec<String> {
        crate::relaxng::validate::with_thread_cache(&*self.schema, |cache| {
            self.required_with(cache, text, offset)
        })
    }
}

#[cfg(test)]
mod tests;
