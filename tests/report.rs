//! `teikit report` as a user runs it: the page written (atomically, self-contained, its data
//! escaped), the exit status as `validate`'s, and the counts in the page equal to those of
//! `validate --format json` and `export index` on the same input. The page in a real browser:
//! `tests/report_browser.rs`.

mod report_support;

use report_support::{assert_counts_match, data_of};

use std::path::{Path, PathBuf};
use std::process::Command;

fn teikit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_teikit"))
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/report")
        .join(name)
}

fn report(args: &[&Path], out: &Path) -> (i32, String) {
    let o = teikit()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .expect("teikit runs");
    let page = std::fs::read_to_string(out).unwrap_or_default();
    (o.status.code().unwrap_or(-1), page)
}

#[test]
fn hostile_names_stay_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let (code, page) = report(&[&case("hostile.xml")], &out);
    assert_eq!(code, 1, "an invalid file: exit status 1, as validate's");
    // exactly the page's own two script elements and their closing tags
    assert_eq!(page.matches("<script").count(), 2, "{}", &page[..200]);
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(
        !page.contains("<!--"),
        "no comment can open inside the page"
    );
    assert!(!page.contains('\u{2028}') && !page.contains('\u{2029}'));
    assert!(!page.contains("<img") && !page.contains("<svg onload"));
    // and the data comes back intact
    let data = data_of(&page);
    let names: Vec<&str> = data["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"</script><script>window.__pwned=1</script>"));
    assert!(names.contains(&"\"Double\" & 'single' <!-- quotes"));
    let lines = data["files"][0]["lines"].to_string();
    assert!(
        lines
            .contains("<![CDATA[</script><script>window.__pwned=4</script><!--\u{2028}\u{2029}]]>"),
        "{lines}"
    );
}

#[test]
fn exit_status_and_atomic_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("encoded");
    let (code, page) = report(&[&seed], &out);
    assert_eq!(code, 0, "the seed encoding is valid");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("http://") || page.contains("default-src 'none'"));
    assert!(
        !page.contains("<script src") && !page.contains("<link"),
        "nothing is loaded from elsewhere"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // a missing input: status 2, the page still written for the others
    let (code, page) = report(&[&seed, &dir.path().join("missing")], &out);
    assert_eq!(code, 2);
    assert!(page.contains("tei::io::unreadable"));
    // nothing to report: status 2, nothing written
    let empty = tempfile::tempdir().unwrap();
    let out2 = dir.path().join("none.html");
    let (code, _) = report(&[empty.path()], &out2);
    assert_eq!(code, 2);
    assert!(!out2.exists());
    // an output that cannot be written: status 2
    let (code, _) = report(&[&seed], &dir.path().join("no/such/folder/r.html"));
    assert_eq!(code, 2);
}

#[test]
fn counts_equal_validate_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("encoded");
    let (_, page) = report(&[&seed], &out);
    assert_counts_match(&[seed], &[], &data_of(&page));
    let (_, page) = report(&[&case("hostile.xml")], &out);
    assert_counts_match(&[case("hostile.xml")], &[], &data_of(&page));
}

/// What a user sees on the terminal, beside the expectation (`TEIKIT_BLESS=1` rewrites it).
#[test]
fn terminal_output_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    let o = teikit()
        .current_dir(dir.path())
        .arg("report")
        .arg(case("hostile.xml"))
        .args(["-o", "report.html"])
        .output()
        .unwrap();
    let root = case("");
    let got = format!(
        "status: {}\n--- stdout\n{}--- stderr\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
    .replace(root.to_str().unwrap(), "tests/cases/report/");
    let path = case("hostile.expected");
    if std::env::var_os("TEIKIT_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    assert_eq!(got, std::fs::read_to_string(&path).unwrap_or_default());
}
