//! Checks beyond the grammar: ids and pointers, TEI rules, correspondence rules, consistency.

use crate::diagnostic::Code;

/// Every code of the `tei::xref`, `tei::tei`, `tei::corresp` and `tei::consistency` areas.
pub static CODES: &[&Code] = &[];
