//! Plain-text letters to TEI P5 with correspondence headers.

use crate::diagnostic::Code;

/// Every code of the `tei::encode` area.
pub static CODES: &[&Code] = &[];
