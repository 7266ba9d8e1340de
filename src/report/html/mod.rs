//! The edition at a glance: one self-contained HTML page (`teikit report`) with an overview,
//! the diagnostics grouped by code and message pattern, the letters table, the correspondence
//! network, a timeline, and person and place views.
//!
//! - [`model`] gathers the data from one validation run and the letter index;
//! - [`pattern`] groups messages; [`excerpt`] keeps the source lines of the diagnostics;
//! - [`layout`] places the network (computed here, drawn by the page as SVG);
//! - [`page`] writes the page: inline CSS and JS, the data as JSON escaped for a `<script>`.

pub mod excerpt;
pub mod layout;
pub mod model;
pub mod page;
pub mod pattern;

pub use model::{gather, Data};
pub use page::{embed_json, render};
