//! A real editor: Neovim's built-in LSP client, headless, runs `tests/lsp_neovim.lua` against
//! `teikit lsp` on a copy of `tests/cases/lsp/workspace/` and reports what it saw; the
//! expectations are here. Skipped without `nvim` (`apt-get install -y neovim`), unless
//! `TEIKIT_REQUIRE_ORACLES=1`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn have_nvim() -> bool {
    let ok = Command::new("nvim").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "nvim is required (TEIKIT_REQUIRE_ORACLES=1) but cannot be run"
        );
        println!("skipped: nvim not installed");
    }
    ok
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn neovim_gets_diagnostics_completion_and_definitions() {
    if !have_nvim() {
        return;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("workspace");
    copy_dir(&here.join("tests/cases/lsp/workspace"), &ws);
    let out = tmp.path().join("seen.tsv");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            here.join("tests/lsp_neovim.lua").display()
        ))
        .env("TEIKIT_BIN", env!("CARGO_BIN_EXE_teikit"))
        .env("TEIKIT_WS", &ws)
        .env("TEIKIT_OUT", &out)
        .env("HOME", tmp.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    let until = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            panic!("nvim did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = std::fs::read_to_string(&out).expect("the Lua script wrote what it saw");
    let has = |line: &str| seen.lines().any(|l| l == line);
    assert!(!seen.contains("error\t"), "{seen}");
    assert!(has("client\ttrue"), "{seen}");
    assert!(has("diagnostic\ttei::xref::dangling_ref 21:25"), "{seen}");
    assert!(has("pointer\t#kamenev — Lev Borisovich Kamenev"), "{seen}");
    assert!(
        has("pointer\tpsn:kamenev — Lev Borisovich Kamenev"),
        "{seen}"
    );
    // the schema's elements allowed in <p> (teikit::ide), the closing tag among them
    assert!(has("element\tpersName"), "{seen}");
    assert!(has("element\t</p>"), "{seen}");
    assert!(!has("element\tTEI"), "{seen}");
    assert!(
        has("cleared\ttrue"),
        "the fixed pointer's diagnostic stayed:\n{seen}"
    );
    assert!(has("definition\tregisters/people.xml 13"), "{seen}");
}
