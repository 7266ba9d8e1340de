//! The embedded line-role model (`models/line-roles.tkm`) is what `teikit train` makes of the
//! shared editions it names (see `models/README.md`): retrained here and compared byte for byte
//! (training is deterministic). `TEIKIT_BLESS=1` rewrites the file.

mod common;

use std::path::PathBuf;
use teikit::encode::learn::{corpus, model, train, TrainOptions};

/// The editions the embedded model is trained on (folders under `corpora/`).
const EDITIONS: [&str; 3] = ["edgeworth", "schnitzler-briefe", "jean-paul"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn embedded_model_is_what_training_gives() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dirs: Vec<PathBuf> = EDITIONS
        .iter()
        .map(|e| shared.join("corpora").join(e).join("letters"))
        .collect();
    let set = corpus::from_editions(&dirs);
    for e in &set.editions {
        assert!(
            e.letters > 0,
            "{}: no letters with part markup",
            e.dir.display()
        );
        assert!(e.problems.is_empty(), "{:?}", e.problems);
    }
    let opts = TrainOptions {
        trained_on: EDITIONS
            .iter()
            .map(|e| format!("corpora/{e}/letters"))
            .collect(),
        ..TrainOptions::default()
    };
    let bytes = train(&set.docs, &opts).expect("training").to_bytes();
    let path = root().join("models/line-roles.tkm");
    if std::env::var("TEIKIT_BLESS").is_ok_and(|v| v == "1") {
        teikit::fsutil::write_atomic(&path, &bytes).unwrap();
        return;
    }
    assert!(
        bytes == model::EMBEDDED,
        "models/line-roles.tkm is not what training on {EDITIONS:?} gives \
         (TEIKIT_SHARED=… TEIKIT_BLESS=1 cargo test --release --test learn_model rewrites it)"
    );
}
