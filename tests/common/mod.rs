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
