//! The validation pipeline: files and folders in, one report per file out.

use crate::diagnostic::Code;

/// Every code of the `tei::io` and `tei::config` areas.
pub static CODES: &[&Code] = &[];
