//! Learning letter structure from TEI editions: each line of a letter gets a [`LineRole`]
//! from a linear-chain CRF whose features are the encoder's cues (word lists, date shapes,
//! capitalisation, position, neighbours). Training data comes from TEI letters that carry
//! `opener`/`closer`/`dateline`/`salute`/`signed`/`address`/`postscript` markup, rendered the way
//! a transcription reads.

pub mod compose;
pub mod corpus;
pub mod features;
pub mod model;
pub mod render;
pub mod roles;
pub mod train;

pub use model::{Model, ModelError, ModelInfo};
pub use roles::LineRole;
pub use train::{train, TrainError, TrainOptions, TrainingDoc};
