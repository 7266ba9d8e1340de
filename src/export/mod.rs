//! Exports from TEI letters: CMIF for correspSearch, and a letter index.

use crate::diagnostic::Code;

/// Every code of the `tei::export` area.
pub static CODES: &[&Code] = &[];
