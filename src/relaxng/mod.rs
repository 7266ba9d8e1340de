//! A RELAX NG engine: XML-syntax schemas parsed, simplified (spec section 4) and checked
//! (section 7) into an interned [`pattern`] graph, and documents validated by derivatives.

pub mod pattern;
pub mod validate;

use crate::diagnostic::Code;

/// Every code of the `tei::rng` area.
pub static CODES: &[&Code] = &[];
