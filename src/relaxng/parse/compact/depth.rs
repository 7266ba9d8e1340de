//! How deeply a compact schema may nest: parentheses, element and attribute bodies, name
//! classes, annotation elements and `div`s, counted across every compact file one schema
//! reads (an `include` of an `include` goes on counting). The XML syntax bounds the same
//! nesting with the `schema_depth` limit; compact files use its name and its default.
//!
//! The count lives in the reading thread (one schema is read on one thread, files nested in
//! one another's reading), so that a file that includes another hands its depth on without a
//! parameter through the XML-syntax reader in between.

use std::cell::Cell;
use std::ops::Range;

use super::Compact;

/// Levels a compact schema may nest (the default of the `schema_depth` limit).
pub(super) const SCHEMA_DEPTH: usize = 1000;

thread_local! {
    static LEVELS: Cell<usize> = const { Cell::new(0) };
}

/// One level of nesting, left when dropped.
pub(super) struct Level(());

impl Level {
    /// Enters one more level at `span`; `None` (with the error recorded) past the limit.
    pub fn enter(c: &mut Compact<'_, '_, '_>, span: Range<usize>) -> Option<Level> {
        let n = LEVELS.get();
        if n >= SCHEMA_DEPTH {
            return c.fail(
                span,
                format!(
                    "the schema nests more than {SCHEMA_DEPTH} levels deep here (the `schema_depth` limit); it is not used"
                ),
            );
        }
        LEVELS.set(n + 1);
        Some(Level(()))
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        LEVELS.set(LEVELS.get().saturating_sub(1));
    }
}
