//! Exports from TEI letters: CMIF for correspSearch, and a letter index.
//!
//! - [`read`] turns every `correspDesc` of a TEI file into a [`model::Letter`], resolving names
//!   to authority URIs through [`register::Register`] (the file's own `listPerson`/`listPlace`,
//!   register files, `prefixDef`s);
//! - [`cmif`] writes CMIF 1.1 from letters, configured by [`config::CmifConfig`] (a letter's
//!   source edition, when none is configured, from its own `fileDesc`: [`edition`]);
//! - [`index`] writes one row per letter as CSV or JSON;
//! - [`cmif_rules`] checks the CMIF profile rules on a text ([`crate::check::cmif`], as
//!   `teikit validate --profile cmif` does).

pub mod authority;
pub mod cmif;
pub mod config;
pub mod edition;
pub mod index;
pub mod model;
pub mod read;
pub mod register;

pub use crate::check::cmif::cmif_rules;

use crate::diagnostic::Code;

/// Every code of the export area (the CMIF profile rules).
pub static CODES: &[&Code] = crate::check::cmif::CODES;
