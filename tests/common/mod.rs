//! Helpers shared by the integration tests: the shared data folder and the reference tools.
// Each test crate uses only some of these.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The shared folder from `TEIKIT_SHARED`, or `None` (the test prints that it was skipped)
/// when unset; panics when set but missing.
pub fn shared() -> Option<PathBuf> {
    let Some(value) = std::env::var_os("TEIKIT_SHARED") else {
        println!("skipped: TEIKIT_SHARED not set");
        return None;
    };
    let path = PathBuf::from(value);
    assert!(
        path.is_dir(),
        "TEIKIT_SHARED={} does not exist",
        path.display()
    );
    Some(path)
}

/// Whether jing can run; panics when it cannot but `TEIKIT_REQUIRE_ORACLES=1`.
pub fn have_jing() -> bool {
    let ok = Command::new("jing").arg("-h").output().is_ok();
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "jing is required (TEIKIT_REQUIRE_ORACLES=1) but cannot be run"
        );
        println!("skipped: jing not installed");
    }
    ok
}

/// The folder where `.ci/run` installs the third-party oracles of the output formats (the
/// SARIF 2.1.0 schema and GitHub's toolkit from npm, Jenkins xunit's `junit-10.xsd` from the
/// pytest source distribution): `$TEIKIT_ORACLES`, else `target/oracles`. `None` (the test
/// prints that it was skipped) when `what` is not there; panics then if
/// `TEIKIT_REQUIRE_ORACLES=1`.
pub fn oracles(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TEIKIT_ORACLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/oracles"));
    let node = what.starts_with("node_modules/");
    let ok = dir.join(what).exists()
        && (!node || Command::new("node").arg("--version").output().is_ok())
        && (what != "junit-10.xsd" || Command::new("xmllint").arg("--version").output().is_ok());
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "{} is required (TEIKIT_REQUIRE_ORACLES=1) but missing: run .ci/run, which installs it",
            dir.join(what).display()
        );
        println!(
            "skipped: {} not installed (.ci/run installs it)",
            dir.join(what).display()
        );
        return None;
    }
    Some(dir)
}

/// Checks SARIF logs against the OASIS SARIF 2.1.0 schema; `false` when the oracle is absent.
pub fn check_sarif(files: &[&std::path::Path]) -> bool {
    let Some(dir) =
        oracles("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
    else {
        return false;
    };
    let out = Command::new("node")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/sarif.js"))
        .arg(&dir)
        .args(files)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "SARIF not valid against the SARIF 2.1.0 schema:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// Checks JUnit reports against Jenkins xunit's `junit-10.xsd` with xmllint; `false` when the
/// oracle is absent.
pub fn check_junit(files: &[&std::path::Path]) -> bool {
    let Some(dir) = oracles("junit-10.xsd") else {
        return false;
    };
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(dir.join("junit-10.xsd"))
        .args(files)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "JUnit not valid against junit-10.xsd:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// A schema compiled as a user's would be (`Schema::from_file`): `ok`, or its diagnostics one a
/// line as `FILE:LINE:COLUMN: CODE: MESSAGE`, FILE (and paths in messages) relative to `dir`.
pub fn compile_schema(path: &std::path::Path, dir: &std::path::Path) -> String {
    match teikit::relaxng::Schema::from_file(path) {
        Ok(_) => "ok\n".to_string(),
        Err(e) => {
            let mut out = String::new();
            for d in &e.diagnostics {
                let file = d.file.strip_prefix(dir).unwrap_or(&d.file);
                let diag = &d.diagnostic;
                out.push_str(&format!(
                    "{}:{}:{}: {}: {}\n",
                    file.display(),
                    diag.line,
                    diag.column,
                    diag.code.id,
                    diag.message.replace(&format!("{}/", dir.display()), "")
                ));
            }
            out
        }
    }
}
