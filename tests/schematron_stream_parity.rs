//! Schematron on a streamed file, record by record (`teikit::schematron::chunk`), finds what
//! the whole-tree run finds: for the patterns that run per record (the others are listed as
//! needing the whole document), the same findings (code, span in the file, SVRL location,
//! message) on files cut into small records, so that cuts fall everywhere:
//! - `cmif.sch` on the shared CMIF files;
//! - the rules embedded in `tei_all.rng` on a `teiCorpus` of schnitzler-briefe letters (made
//!   here, in a temporary folder), and on letters of escher and jean-paul cut inside their
//!   text;
//! - a synthetic file with the hard parts (character references, prefixes declared on the
//!   root, `xml:lang` from an ancestor, text beside the records, rules on the frame).
//!
//! And `validate::run_streamed_schematron` (what `teikit validate` runs on a streamed file)
//! gives the local patterns' findings and one `tei::sch::not_run` (advice) naming the patterns
//! that need the whole document, why, and how to run them.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use teikit::schematron::{chunk, limits::Limits, Schematron};

/// (code, span start, SVRL location, message) of a finding.
type Key = (String, usize, String, String);

fn key(d: &teikit::diagnostic::Diagnostic) -> Key {
    (
        d.code.id.to_string(),
        d.span.start,
        d.schematron
            .as_ref()
            .map(|f| f.location.clone())
            .unwrap_or_default(),
        d.message.clone(),
    )
}

fn limits() -> Limits {
    Limits {
        time_per_rule: std::time::Duration::from_secs(600),
        ..Default::default()
    }
}

/// Compares the record-by-record run of `s` on `path` (records of at most `record_bytes`)
/// with the whole-tree run, on the local patterns. Returns (records, findings compared,
/// patterns that need the whole document).
fn compare(s: &Arc<Schematron>, path: &Path, record_bytes: u64) -> (usize, usize, usize) {
    let bytes = std::fs::read(path).expect("read");
    let text = teikit::xml::decode(&bytes)
        .expect("decode")
        .text
        .into_owned();
    let cut = chunk::cut(path, record_bytes).expect("well-formed");
    let split = chunk::split(s, &cut);
    let all = s.run(&text, &limits());
    // the whole tree is built (else there is nothing to compare)
    assert!(
        all.iter().all(|d| d.schematron.is_some()),
        "{}: {all:?}",
        path.display()
    );
    let mut whole: Vec<Key> = all
        .iter()
        .filter(|d| {
            d.schematron
                .as_ref()
                .is_some_and(|f| !split.global_patterns.contains(&f.check.pattern))
        })
        .map(key)
        .collect();
    let mut streamed: Vec<Key> = match (&split.local, cut.is_split()) {
        (Some(local), true) => chunk::run(
            path,
            &cut,
            std::slice::from_ref(local),
            &limits(),
            usize::MAX,
        )
        .0
        .iter()
        .map(|f| key(&f.diagnostic))
        .collect(),
        (Some(_), false) => whole.clone(),
        (None, _) => Vec::new(),
    };
    whole.sort();
    streamed.sort();
    if whole != streamed {
        let missing: Vec<_> = whole.iter().filter(|k| !streamed.contains(k)).collect();
        let extra: Vec<_> = streamed.iter().filter(|k| !whole.contains(k)).collect();
        panic!(
            "{} (records of {record_bytes} bytes, {} records): per record differs from the whole tree\nmissing: {missing:#?}\nextra: {extra:#?}",
            path.display(),
            cut.records()
        );
    }
    (cut.records(), whole.len(), split.global_patterns.len())
}

fn files(dir: &Path, every: usize) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    v.into_iter().step_by(every).collect()
}

#[test]
fn cmif_sch_per_record_as_on_the_whole_tree() {
    let Some(shared) = common::shared() else {
        return;
    };
    let s =
        Arc::new(Schematron::from_sch(&shared.join("schemas/cmif.sch"), None).expect("cmif.sch"));
    let mut compared = 0;
    for f in files(&shared.join("corpora/cmif"), 1) {
        for rb in [300, 2048, 64 * 1024] {
            let (records, n, global) = compare(&s, &f, rb);
            assert!(records > 0);
            // the `@source` rule looks up `ancestor::tei:TEI//tei:bibl`: whole document
            assert!(global >= 1, "{}", f.display());
            compared += n;
        }
    }
    assert!(compared > 0, "no finding compared");
}

/// A `teiCorpus` of the first `n` schnitzler-briefe letters (in `dir`).
fn corpus_of_letters(shared: &Path, dir: &Path, n: usize) -> PathBuf {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader><fileDesc><titleStmt><title>Letters</title></titleStmt><publicationStmt><p>test</p></publicationStmt><sourceDesc><p>schnitzler-briefe</p></sourceDesc></fileDesc></teiHeader>\n",
    );
    for (j, f) in files(&shared.join("corpora/schnitzler-briefe/letters"), 1)
        .iter()
        .take(n)
        .enumerate()
    {
        let t = std::fs::read_to_string(f).expect("letter");
        let body = match t.find("<TEI") {
            Some(i) => &t[i..],
            None => continue,
        };
        // the letters share ids (their people): one document cannot (an `xml:id` is unique)
        let body = body
            .replace("xml:id=\"", &format!("xml:id=\"l{j}_"))
            .replace("\"#", &format!("\"#l{j}_"));
        out.push_str(body.trim_end());
        out.push('\n');
    }
    out.push_str("</teiCorpus>\n");
    let p = dir.join("corpus.xml");
    std::fs::write(&p, out).expect("write");
    p
}

fn tei_all(shared: &Path) -> Arc<Schematron> {
    Arc::new(
        Schematron::from_rng(&shared.join("schemas/tei_all.rng"), None)
            .expect("tei_all")
            .expect("embedded rules"),
    )
}

#[test]
fn tei_all_rules_per_record_as_on_the_whole_tree() {
    let Some(shared) = common::shared() else {
        return;
    };
    let s = tei_all(&shared);
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = corpus_of_letters(&shared, dir.path(), 40);
    let mut compared = 0;
    for rb in [64 * 1024, 4096, 700] {
        let (records, n, _) = compare(&s, &corpus, rb);
        assert!(records >= 40, "{records} records");
        compared += n;
    }
    for (corpus, every) in [("escher", 7), ("jean-paul", 9), ("schnitzler-briefe", 25)] {
        let dir = shared.join("corpora").join(corpus).join("letters");
        for f in files(&dir, every) {
            compared += compare(&s, &f, 1500).1;
        }
    }
    assert!(compared > 0, "no finding compared");
}

const SYNTHETIC_SCH: &str = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="t" uri="urn:t"/>
  <pattern id="dated">
    <rule context="t:letter">
      <assert test="@when" id="when">letter <value-of select="@n"/> has no date</assert>
      <report test="t:note[. = '&amp;amp;']">an ampersand note in <value-of select="@n"/></report>
    </rule>
  </pattern>
  <pattern id="lang">
    <rule context="t:p">
      <report test="ancestor::*[@xml:lang][1]/@xml:lang = 'de'">German paragraph: <value-of select="normalize-space(.)"/></report>
      <assert test="lang('de') or lang('en')">paragraph in another language</assert>
    </rule>
  </pattern>
  <pattern id="attrs">
    <rule context="t:letter/@n">
      <assert test="matches(., '^[0-9]+$')">bad number <value-of select="."/></assert>
    </rule>
    <rule context="t:group/@type">
      <report test=". = 'x'">group of type x</report>
    </rule>
  </pattern>
  <pattern id="parent">
    <rule context="t:note">
      <report test="../@n = '3'">a note in letter 3</report>
      <report test="parent::t:letter and not(../@when)">a note in an undated letter</report>
    </rule>
  </pattern>
  <pattern id="frame">
    <rule context="t:group">
      <assert test="count(t:letter) ge 1">a group without letters</assert>
    </rule>
  </pattern>
  <pattern id="global">
    <rule context="t:letter[@ref]">
      <assert test="@ref = //t:letter/@n">dangling reference</assert>
    </rule>
  </pattern>
</schema>"#;

#[test]
fn synthetic_file_per_record_as_on_the_whole_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sch = dir.path().join("synthetic.sch");
    std::fs::write(&sch, SYNTHETIC_SCH).expect("write");
    let s = Arc::new(Schematron::from_sch(&sch, None).expect("schema"));
    let mut x = String::from(
        "<?xml version=\"1.0\"?>\n<!-- a comment -->\n<c xmlns=\"urn:t\" xmlns:x=\"urn:x\" xml:lang=\"de\">\n",
    );
    for g in 0..6 {
        x.push_str(&format!(
            "<group type=\"{}\" x:id=\"g{g}\">prose before\n",
            if g % 2 == 0 { "x" } else { "y" }
        ));
        for l in 0..25 {
            let n = g * 100 + l;
            let lang = if l % 3 == 0 { " xml:lang=\"en\"" } else { "" };
            let when = if l % 4 == 0 { "" } else { " when=\"1900\"" };
            let num = if l == 7 {
                "7a".to_string()
            } else {
                n.to_string()
            };
            let rf = if l % 5 == 0 {
                format!(" ref=\"{}\"", n + 1)
            } else {
                String::new()
            };
            x.push_str(&format!(
                "  <letter n=\"{num}\"{when}{lang}{rf}><p>Grüß Gott {n}</p><p xml:lang=\"fr\">Salut</p><note>&amp;amp;</note></letter>\n"
            ));
            if l == 12 {
                x.push_str("  middle text\n");
            }
        }
        x.push_str("</group>\n");
    }
    x.push_str("<group type=\"y\"/>\n</c>\n<!-- after -->\n");
    let path = dir.path().join("synthetic.xml");
    std::fs::write(&path, &x).expect("write");
    let mut total = 0;
    for rb in [120, 400, 2000] {
        let (records, n, global) = compare(&s, &path, rb);
        assert!(records > 10, "{records}");
        // `//t:letter` and the rule that counts a group's letters on the frame
        assert!(global >= 2, "{global}");
        total += n;
    }
    assert!(total > 100, "{total}");
}

#[test]
fn streamed_run_says_which_patterns_did_not_run() {
    let Some(shared) = common::shared() else {
        return;
    };
    let s =
        Arc::new(Schematron::from_sch(&shared.join("schemas/cmif.sch"), None).expect("cmif.sch"));
    let path = shared.join("corpora/cmif/schnitzler-cmif_1975_Brahm_Schnitzler.xml");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut whole: Vec<Key> = s.run(&text, &limits()).iter().map(key).collect();
    whole.sort();
    let mut diags = Vec::new();
    teikit::validate::run_streamed_schematron(
        &path,
        std::slice::from_ref(&s),
        &limits(),
        4096,
        usize::MAX,
        &mut diags,
    );
    // one not_run (advice) naming the `@source` rule, why, and how to run it
    let not_run: Vec<_> = diags
        .iter()
        .filter(|d| d.code.id == "tei::sch::not_run")
        .collect();
    assert_eq!(not_run.len(), 1, "{diags:?}");
    let m = &not_run[0].message;
    assert!(
        m.contains("tei:correspDesc/@source")
            && m.contains("steps down from an ancestor")
            && m.contains("--stream-from"),
        "{m}"
    );
    assert_eq!(not_run[0].severity, teikit::diagnostic::Severity::Advice);
    // this file's findings (a `date` without attributes, a `bibl` id that is no UUID) are
    // all of local rules: the same, record by record
    let mut fired: Vec<Key> = diags
        .iter()
        .filter(|d| d.code.id != "tei::sch::not_run")
        .map(key)
        .collect();
    fired.sort();
    assert!(!fired.is_empty());
    assert_eq!(fired, whole);
}

/// How the patterns of `tei_all`'s embedded rules and of `cmif.sch` come out (printed with
/// `--nocapture`): most are local.
#[test]
fn classification_of_tei_all_and_cmif() {
    let Some(shared) = common::shared() else {
        return;
    };
    for s in [
        tei_all(&shared),
        Arc::new(Schematron::from_sch(&shared.join("schemas/cmif.sch"), None).expect("cmif.sch")),
    ] {
        let (global, total) = chunk::classification(&s);
        eprintln!(
            "{}: {} patterns, {} local, {} global",
            s.label,
            total,
            total - global.len(),
            global.len()
        );
        for g in &global {
            eprintln!("  global: {g}");
        }
        assert!(global.len() * 2 < total, "{global:#?}");
    }
}
