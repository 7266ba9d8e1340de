//! `teikit encode` from the command line: exit codes, messages, sidecar discovery, atomic -o.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/encode")
        .join(name)
}

fn teikit() -> Command {
    Command::cargo_bin("teikit").expect("the teikit binary")
}

#[test]
fn good_input_goes_to_stdout() {
    let out = teikit()
        .arg("encode")
        .arg(case("salutation-dateline.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(roxmltree::Document::parse(&xml).is_ok());
}

#[test]
fn sidecar_is_found_beside_the_source() {
    let out = teikit()
        .arg("encode")
        .arg(case("year-inference.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains("<sic>Sokolow</sic><corr>Sokolov</corr>"),
        "{xml}"
    );
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.xml");
    let out = teikit()
        .arg("encode")
        .arg(case("postscript.txt"))
        .arg("-o")
        .arg(&out_path)
        .arg("--title")
        .arg("A test")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(&out_path).unwrap();
    assert!(xml.contains("<title>A test</title>"));
    assert!(out.stdout.is_empty());
}

fn fails(name: &str, code: i32, needles: &[&str]) {
    let p = case(name);
    let out = teikit().arg("encode").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{name}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&p.display().to_string()),
        "message names the file: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "{name}: `{n}` not in `{err}`");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_inputs_have_clear_messages_and_codes() {
    fails("empty.txt", 2, &["empty"]);
    fails("binary.txt", 2, &["binary", "byte offset 10", "line 2"]);
    fails(
        "latin1.txt",
        2,
        &["not UTF-8", "0xe9", "byte offset 14", "line 3"],
    );
    fails("no-letter.txt", 1, &["no letter found"]);
}

#[test]
fn missing_file_and_bad_sidecar() {
    let out = teikit()
        .arg("encode")
        .arg(case("does-not-exist.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[persons]]\nid = 3\n").unwrap();
    let out = teikit()
        .arg("encode")
        .arg(case("bare.txt"))
        .arg("--persons")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
}

/// Runs `teikit encode bare.txt --model FILE` with `bytes` as the model.
fn with_model(bytes: &[u8]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.tkm");
    std::fs::write(&model, bytes).unwrap();
    teikit()
        .arg("encode")
        .arg(case("bare.txt"))
        .arg("--model")
        .arg(&model)
        .output()
        .unwrap()
}

#[test]
fn corrupt_or_foreign_models_are_refused() {
    let good = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/line-roles.tkm"),
    )
    .unwrap();
    let out = with_model(&good);
    assert_eq!(out.status.code(), Some(0), "the shipped model is accepted");
    let mut other_version = good.clone();
    other_version[8] = 9;
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("empty", Vec::new(), "not a teikit line-role model"),
        (
            "text",
            b"hello, world".to_vec(),
            "not a teikit line-role model",
        ),
        ("other version", other_version, "version 9 is not supported"),
        ("flipped byte", flipped, "checksum"),
        ("truncated", good[..good.len() / 3].to_vec(), "model"),
    ];
    for (what, bytes, needle) in cases {
        let out = with_model(&bytes);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("model.tkm"), "{what}: names the file: {err}");
        assert!(err.contains(needle), "{what}: `{needle}` not in `{err}`");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(out.stdout.is_empty(), "{what}: nothing written");
    }
}

#[test]
fn fifty_megabytes_of_text_give_a_result() {
    // about a thousand long letters, 50 MB in all: encoded in one document, every letter kept
    let body = "We arrived safely and the weather has been kind to us all week; the children \
                send their love. "
        .repeat(100);
    let letter = format!(
        "London, 3 March 1820\n\nMy dear Madam,\n\n{}Yours faithfully,\nJohn Smith\n\n",
        format!("{body}\n\n").repeat(5)
    );
    let n = 50_000_000 / letter.len() + 1;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("big.txt");
    std::fs::write(&src, letter.repeat(n)).unwrap();
    let out_path = dir.path().join("big.xml");
    let out = teikit()
        .arg("encode")
        .arg(&src)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.contains(&format!("{n} letter(s)")), "{err}");
    let xml = std::fs::read_to_string(&out_path).unwrap();
    assert!(xml.trim_end().ends_with("</TEI>"));
    assert_eq!(xml.matches("<div type=\"letter\"").count(), n);
}

fn collection() -> Vec<PathBuf> {
    ["a", "b", "c", "d", "e"]
        .iter()
        .map(|n| case(&format!("collection/{n}.txt")))
        .collect()
}

/// The `received` persName of an encoded file, as written.
fn received(xml: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed TEI");
    doc.descendants()
        .find(|n| n.has_tag_name("correspAction") && n.attribute("type") == Some("received"))
        .and_then(|a| a.children().find(|c| c.has_tag_name("persName")))
        .map(|p| {
            format!(
                "{} [{}]",
                p.text().unwrap_or(""),
                p.attribute("evidence").unwrap_or("")
            )
        })
}

#[test]
fn a_collection_finds_its_correspondent() {
    let dir = tempfile::tempdir().unwrap();
    let out = teikit()
        .arg("encode")
        .args(collection())
        .arg("--out-dir")
        .arg(dir.path())
        .args(["--correspondent", "auto"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the 5 letter(s) of the sources centre on Hans Weber"),
        "{err}"
    );
    let a = std::fs::read_to_string(dir.path().join("a.xml")).unwrap();
    assert_eq!(received(&a).as_deref(), Some("Hans Weber [conjecture]"));
    // a letter that names its addressee keeps it
    let e = std::fs::read_to_string(dir.path().join("e.xml")).unwrap();
    assert_eq!(received(&e).as_deref(), Some("Lene []"));
    // without the option nothing is assumed
    let plain = teikit()
        .arg("encode")
        .arg(case("collection/a.txt"))
        .output()
        .unwrap();
    assert_eq!(received(&String::from_utf8_lossy(&plain.stdout)), None);
    // a correspondent given by name is external evidence
    let given = teikit()
        .arg("encode")
        .arg(case("collection/a.txt"))
        .args(["--correspondent", "Hans Weber"])
        .output()
        .unwrap();
    assert_eq!(
        received(&String::from_utf8_lossy(&given.stdout)).as_deref(),
        Some("Hans Weber [external]")
    );
}

#[test]
fn several_sources_need_a_folder_and_one_bad_source_stops_none() {
    let out = teikit().arg("encode").args(collection()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("need --out-dir"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Dear Sir,\x00\x01 binary").unwrap();
    let mut sources = collection();
    sources.insert(2, bad);
    sources.push(dir.path().join("missing.txt"));
    let target = dir.path().join("out");
    let out = teikit()
        .arg("encode")
        .args(&sources)
        .arg("--out-dir")
        .arg(&target)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.txt: the source looks binary"), "{err}");
    assert!(err.contains("missing.txt: cannot read"), "{err}");
    for n in ["a", "b", "c", "d", "e"] {
        assert!(target.join(format!("{n}.xml")).is_file(), "{n}.xml: {err}");
    }
    assert!(!target.join("bad.xml").exists());
}

#[test]
fn the_sidecar_names_the_correspondent_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let sidecar = dir.path().join("people.toml");
    std::fs::write(
        &sidecar,
        "[document]\ncorrespondent = \"hw\"\n\n[[persons]]\nid = \"hw\"\nname = \"Hans Weber\"\n",
    )
    .unwrap();
    let out = teikit()
        .arg("encode")
        .arg(case("collection/a.txt"))
        .arg("--persons")
        .arg(&sidecar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8_lossy(&out.stdout);
    assert_eq!(received(&xml).as_deref(), Some("Hans Weber [external]"));
    assert!(xml.contains("ref=\"#hw\""), "the sidecar's id is used");
}

fn chronology(order: &[&str]) -> Vec<PathBuf> {
    order
        .iter()
        .map(|n| case(&format!("chronology/{n}.txt")))
        .collect()
}

/// The `date` of the sent action of an encoded file: `when` and, if any, `cert`/`evidence`.
fn sent_date(xml: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed TEI");
    doc.descendants()
        .find(|n| n.has_tag_name("correspAction") && n.attribute("type") == Some("sent"))
        .and_then(|a| a.children().find(|c| c.has_tag_name("date")))
        .map(|d| {
            format!(
                "{} [{} {}]",
                d.attribute("when").unwrap_or(""),
                d.attribute("cert").unwrap_or(""),
                d.attribute("evidence").unwrap_or("")
            )
        })
}

fn encode_collection(order: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = teikit()
        .arg("encode")
        .args(chronology(order))
        .arg("--out-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{err}");
    (dir, err)
}

#[test]
fn years_from_neighbours_in_date_order() {
    let (dir, err) = encode_collection(&["01", "02", "03", "04", "05", "06", "07"]);
    assert!(
        err.contains("in date order (4 of 4 consecutive pairs of fully dated letters rise): 2 of the 2 letter(s) without a year take the year of their neighbours"),
        "{err}"
    );
    let date =
        |n: &str| sent_date(&std::fs::read_to_string(dir.path().join(format!("{n}.xml"))).unwrap());
    assert_eq!(date("03").as_deref(), Some("1851-06-09 [low conjecture]"));
    assert_eq!(date("06").as_deref(), Some("1852-01-07 [low conjecture]"));
    assert_eq!(date("02").as_deref(), Some("1851-04-20 [ ]"));
    // the letter alone has no year
    let alone = teikit()
        .arg("encode")
        .arg(case("chronology/03.txt"))
        .output()
        .unwrap();
    assert_eq!(
        sent_date(&String::from_utf8_lossy(&alone.stdout)).as_deref(),
        Some("--06-09 [ ]")
    );
}

#[test]
fn an_undated_letter_takes_the_span_of_its_neighbours() {
    let (dir, err) = encode_collection(&["01", "02", "08", "03", "04", "05", "06", "07"]);
    assert!(
        err.contains(
            "1 of the 1 letter(s) without a month take the year their dated neighbours share"
        ),
        "{err}"
    );
    let xml = std::fs::read_to_string(dir.path().join("08.xml")).unwrap();
    assert!(
        xml.contains(r#"<date notBefore="1851-04-20" notAfter="1851-06-09" cert="low" evidence="conjecture"/>"#),
        "{xml}"
    );
    let date =
        |n: &str| sent_date(&std::fs::read_to_string(dir.path().join(format!("{n}.xml"))).unwrap());
    assert_eq!(date("03").as_deref(), Some("1851-06-09 [low conjecture]"));
    // shuffled: no span either
    let (dir, _) = encode_collection(&["07", "02", "05", "01", "08", "04", "03", "06"]);
    let xml = std::fs::read_to_string(dir.path().join("08.xml")).unwrap();
    assert!(
        !xml.contains("notBefore") && !xml.contains("cert=\"low\""),
        "{xml}"
    );
}

#[test]
fn years_from_neighbours_refused_out_of_order() {
    let (dir, err) = encode_collection(&["07", "02", "05", "01", "04", "03", "06"]);
    assert!(
        err.contains("not in date order (2 of 4 consecutive pairs of fully dated letters rise; 9 in 10 of at least 4 needed): no letter takes the year of its neighbours"),
        "{err}"
    );
    for n in ["03", "06"] {
        let xml = std::fs::read_to_string(dir.path().join(format!("{n}.xml"))).unwrap();
        let d = sent_date(&xml).unwrap_or_default();
        assert!(
            d.starts_with("--") && !xml.contains("cert=\"low\""),
            "{n}: {d}"
        );
    }
}
