//! Encoder cases beside their expectations: `tests/cases/encode/NAME.txt` (+ optional
//! `NAME.persons.toml`) encodes to `NAME.xml`; a bad input has `NAME.err` holding the expected
//! message instead. `TEIKIT_BLESS=1` rewrites the expectations. Every expected XML must also be
//! valid against tei_all (jing, when `TEIKIT_SHARED` is set).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use teikit::encode::{decode, encode, reading, EncodeOptions, Personography};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/encode")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases/encode exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn run_case(txt: &Path) -> Result<String, String> {
    let bytes = std::fs::read(txt).map_err(|e| e.to_string())?;
    let text = decode(&bytes).map_err(|e| e.to_string())?;
    let sidecar = txt.with_extension("persons.toml");
    let persons = if sidecar.is_file() {
        Some(Personography::load(&sidecar).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let opts = EncodeOptions {
        source_name: txt.file_name().map(|n| n.to_string_lossy().to_string()),
        ..Default::default()
    };
    encode(text, persons.as_ref(), &opts)
        .map(|e| e.xml)
        .map_err(|e| e.to_string())
}

#[test]
fn every_case_matches_its_expectation() {
    let bless = std::env::var("TEIKIT_BLESS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let all = cases();
    assert!(
        all.len() >= 10,
        "expected the encoder cases, found {}",
        all.len()
    );
    for txt in all {
        let name = txt.file_stem().unwrap().to_string_lossy().to_string();
        let xml_path = txt.with_extension("xml");
        let err_path = txt.with_extension("err");
        let got = run_case(&txt);
        match got {
            Ok(xml) => {
                if bless {
                    std::fs::write(&xml_path, &xml).unwrap();
                    continue;
                }
                match std::fs::read_to_string(&xml_path) {
                    Ok(want) if want == xml => {}
                    Ok(_) => failures.push(format!("{name}: output differs from {name}.xml (TEIKIT_BLESS=1 cargo test --test encode_cases rewrites it)")),
                    Err(_) => failures.push(format!("{name}: encoded, but {name}.xml is missing{}", if err_path.exists() { " (an error was expected)" } else { "" })),
                }
                // lossless on every case
                let src = std::fs::read_to_string(&txt).unwrap();
                let r = reading::diplomatic(&xml).unwrap();
                let (kept, total, miss) = reading::words_kept(&src, &r);
                if kept != total {
                    failures.push(format!(
                        "{name}: {kept} of {total} words kept, first missing word #{miss:?}"
                    ));
                }
            }
            Err(msg) => {
                if bless && !xml_path.exists() {
                    std::fs::write(&err_path, format!("{msg}\n")).unwrap();
                    continue;
                }
                match std::fs::read_to_string(&err_path) {
                    Ok(want) if want.trim_end() == msg => {}
                    Ok(want) => failures.push(format!(
                        "{name}: error `{msg}`, expected `{}`",
                        want.trim_end()
                    )),
                    Err(_) => failures.push(format!("{name}: unexpected error `{msg}`")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn readme_lists_every_case() {
    let readme = std::fs::read_to_string(cases_dir().join("README.md"))
        .expect("tests/cases/encode/README.md");
    for txt in cases() {
        let name = txt.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md has no line for {name}"
        );
    }
}

/// jing over every expected XML in one process (jing is slow to start).
#[test]
fn expected_outputs_are_valid_tei() {
    let Some(shared) = common::shared() else {
        return;
    };
    let files: Vec<PathBuf> = cases()
        .iter()
        .map(|t| t.with_extension("xml"))
        .filter(|p| p.is_file())
        .collect();
    jing(&shared.join("schemas/tei_all.rng"), &files);
}

fn jing(schema: &Path, files: &[PathBuf]) {
    let out = match Command::new("jing").arg(schema).args(files).output() {
        Ok(o) => o,
        Err(e) => {
            assert!(
                std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
                "jing is required (TEIKIT_REQUIRE_ORACLES=1) but cannot run: {e}"
            );
            println!("skipped: jing not available ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "jing reports errors:\n{stdout}");
}
