//! The encoder over whole corpora: every letter of `$TEIKIT_SHARED/corpora/letters-en-dev`
//! (single/ and multi/) and the seed encodes without loss (the diplomatic reading of `<text>`
//! holds every source word in order), and every output is valid against tei_all and the project's
//! `schema/tei-corresp.rng` (one jing process per schema over all files).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use teikit::encode::{encode, reading, EncodeOptions};

fn sources(shared: &Path) -> Vec<PathBuf> {
    let mut v = vec![shared.join("seed/with-lenin-against-stalin.txt")];
    for sub in ["single", "multi"] {
        let dir = shared.join("corpora/letters-en-dev").join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        v.extend(files);
    }
    v
}

#[test]
fn corpus_is_encoded_losslessly_and_validly() {
    let Some(shared) = common::shared() else {
        return;
    };
    let files = sources(&shared);
    assert!(
        files.len() > 100,
        "letters-en-dev has 110 texts, found {}",
        files.len() - 1
    );
    let out = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut written = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let src = std::fs::read_to_string(f).unwrap();
        let e = match encode(&src, None, &EncodeOptions::default()) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        let r = reading::diplomatic(&e.xml).unwrap();
        let (kept, total, miss) = reading::words_kept(&src, &r);
        if kept != total {
            let w = miss.and_then(|m| reading::words(&src).get(m).map(|s| s.to_string()));
            problems.push(format!(
                "{}: {kept} of {total} words kept; first missing: {w:?}",
                f.display()
            ));
        }
        let p = out.path().join(format!("{i:03}.xml"));
        std::fs::write(&p, &e.xml).unwrap();
        written.push(p);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/tei-corresp.rng");
    for schema in [shared.join("schemas/tei_all.rng"), ours] {
        if !schema.is_file() {
            println!("skipped: {} not present", schema.display());
            continue;
        }
        let res = match Command::new("jing").arg(&schema).args(&written).output() {
            Ok(o) => o,
            Err(e) => {
                assert!(
                    std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
                    "jing is required but cannot run: {e}"
                );
                println!("skipped: jing not available ({e})");
                return;
            }
        };
        let report = String::from_utf8_lossy(&res.stdout);
        assert!(
            res.status.success(),
            "jing ({}) rejects encoder output:\n{}",
            schema.display(),
            report.lines().take(40).collect::<Vec<_>>().join("\n")
        );
    }
}
