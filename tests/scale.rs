//! Inputs on which a step once cost time quadratic in their size (issue 10, item 17, and the
//! other pairwise steps found with them), generated at full size. Each test asserts the result;
//! how long a case takes is measured with `/usr/bin/time` (see `scripts/README.md`), never here.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use teikit::check::{CheckEnv, FileChecks, Registers, TeiPointerAttributes};
use teikit::diagnostic::Diagnostic;
use teikit::validate::{Options, SchemaChoice};

const TEI_HEADER: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>"#;

/// A TEI document: `profile` inside `profileDesc` (none when empty), `body` inside `body`.
fn tei(profile: &str, body: &str) -> String {
    let profile = if profile.is_empty() {
        String::new()
    } else {
        format!("<profileDesc>\n{profile}</profileDesc>")
    };
    format!("{TEI_HEADER}{profile}</teiHeader><text><body>\n{body}</body></text></TEI>\n")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write the generated input");
    p
}

/// Every check of one file, without the pipeline (so no cap on diagnostics applies).
fn checks_of(path: &Path, text: &str) -> Vec<Diagnostic> {
    let registers = Registers::new();
    let env = CheckEnv {
        path,
        types: &TeiPointerAttributes,
        registers: &registers,
    };
    let mut checks = FileChecks::new(&env);
    let xml = teikit::xml::parse(text, &mut checks, &teikit::xml::ParseOptions::default());
    assert!(xml.is_empty(), "not well-formed: {:?}", xml.first());
    checks.finish().diagnostics
}

/// The pipeline on one file, grammar step skipped.
fn validate(path: &Path) -> Vec<Diagnostic> {
    let options = Options {
        schema: SchemaChoice::Skip,
        ..Options::default()
    };
    let outcome = teikit::validate::run(&[path.to_path_buf()], &options).expect("runs");
    outcome
        .files
        .into_iter()
        .flat_map(|f| f.diagnostics)
        .collect()
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.id).collect()
}

/// 100,000 sibling `correspDesc` in one header, each pointing to the one before as its
/// previous letter; three point to the next one instead (out of date order).
#[test]
fn a_hundred_thousand_sibling_correspdescs() {
    const N: usize = 100_000;
    let wrong = [10, 50_000, N - 2];
    let mut profile = String::new();
    for i in 0..N {
        let context = match i {
            0 => String::new(),
            i if wrong.contains(&i) => format!("#cd{}", i + 1),
            i => format!("#cd{}", i - 1),
        };
        let context = if context.is_empty() {
            context
        } else {
            format!("<correspContext><ref type=\"prev\" target=\"{context}\"/></correspContext>")
        };
        writeln!(
            profile,
            "<correspDesc xml:id=\"cd{i}\"><correspAction type=\"sent\"><persName key=\"A\">A</persName><date when=\"{:04}-{:02}\"/></correspAction>{context}</correspDesc>",
            1000 + i / 12,
            i % 12 + 1
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "letters.xml", &tei(&profile, "<p/>"));
    let diags = validate(&path);
    assert_eq!(
        codes(&diags),
        vec!["tei::corresp::context_out_of_order"; 3],
        "{:?}",
        diags.first().map(|d| &d.message)
    );
    let lines: Vec<u32> = diags.iter().map(|d| d.line).collect();
    assert_eq!(
        lines,
        wrong.map(|i| i as u32 + 2),
        "one correspDesc per line"
    );
}

/// One element with 100,000 attributes, the last a repeat of the eighth.
#[test]
fn an_element_with_a_hundred_thousand_attributes() {
    let mut attrs = String::new();
    for i in 0..100_000 {
        write!(attrs, " a{i}=\"v\"").unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "attributes.xml",
        &tei("", &format!("<p{attrs} a7=\"w\">x</p>")),
    );
    let diags = validate(&path);
    assert_eq!(diags.len(), 1, "{:?}", codes(&diags));
    // the repeat is found, unless a limit on attributes per element stops the reader first
    let code = diags[0].code.id;
    assert!(
        code == "tei::xml::duplicate_attribute" || code.starts_with("tei::limit::"),
        "{code}: {}",
        diags[0].message
    );
    if code == "tei::xml::duplicate_attribute" {
        assert!(
            diags[0].message.contains("`a7` appears twice"),
            "{}",
            diags[0].message
        );
    }
}

/// 20,000 pointers that miss 20,000 ids by a typo: each gets the id it meant as did-you-mean.
#[test]
fn twenty_thousand_dangling_pointers_beside_twenty_thousand_ids() {
    const N: usize = 20_000;
    let mut body = String::new();
    for i in 0..N {
        writeln!(body, "<p xml:id=\"person{i:05}\">x</p>").unwrap();
    }
    for i in 0..N {
        writeln!(body, "<p><persName ref=\"#persno{i:05}\">y</persName></p>").unwrap();
    }
    let text = tei("", &body);
    let diags = checks_of(Path::new("ids.xml"), &text);
    assert_eq!(diags.len(), N);
    assert!(diags.iter().all(|d| d.code.id == "tei::xref::dangling_ref"));
    let meant = diags
        .iter()
        .enumerate()
        .filter(|(i, d)| d.help.as_deref() == Some(&format!("did you mean `#person{i:05}`?")))
        .count();
    assert!(meant * 100 >= N * 99, "{meant} of {N} suggest the id meant");
}

/// 20,000 prefixDefs and 20,000 pointers with undeclared prefixes, each a typo of one.
#[test]
fn twenty_thousand_undeclared_prefixes_beside_twenty_thousand_prefixdefs() {
    const N: usize = 20_000;
    let mut defs = String::new();
    for i in 0..N {
        write!(
            defs,
            "<prefixDef ident=\"reg{i:05}\" matchPattern=\"(.+)\" replacementPattern=\"#$1\"/>"
        )
        .unwrap();
    }
    let mut body = String::new();
    for i in 0..N {
        writeln!(body, "<p><persName ref=\"rge{i:05}:x\">y</persName></p>").unwrap();
    }
    let text = format!(
        "{TEI_HEADER}<encodingDesc><listPrefixDef>{defs}</listPrefixDef></encodingDesc></teiHeader><text><body>{body}</body></text></TEI>"
    );
    let diags = checks_of(Path::new("prefixes.xml"), &text);
    assert_eq!(diags.len(), N, "{:?}", diags.first().map(|d| &d.message));
    assert!(diags
        .iter()
        .all(|d| d.code.id == "tei::xref::undeclared_prefix"));
    let meant = diags
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            d.help.as_deref() == Some(&format!("did you mean the declared prefix `reg{i:05}:`?"))
        })
        .count();
    assert!(
        meant * 100 >= N * 99,
        "{meant} of {N} suggest the prefix meant"
    );
}

/// 20,000 pointers into another file that miss its 20,000 ids by a typo (settled across files).
#[test]
fn twenty_thousand_dangling_pointers_into_another_file() {
    const N: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let mut ids = String::new();
    for i in 0..N {
        writeln!(ids, "<p xml:id=\"person{i:05}\">x</p>").unwrap();
    }
    let register = write(dir.path(), "register.xml", &tei("", &ids));
    let mut body = String::new();
    for i in 0..N {
        writeln!(
            body,
            "<p><persName ref=\"register.xml#persno{i:05}\">y</persName></p>"
        )
        .unwrap();
    }
    let letters = write(dir.path(), "letters.xml", &tei("", &body));
    let options = Options {
        schema: SchemaChoice::Skip,
        ..Options::default()
    };
    let outcome = teikit::validate::run(&[letters, register], &options).expect("runs");
    let diags = &outcome.files[0].diagnostics;
    // all of them, or as many as a cap on diagnostics per file lets through
    // (the cap's own notice, `tei::limit::diagnostics`, counts the rest)
    let diags: Vec<_> = diags
        .iter()
        .filter(|d| d.code.id != "tei::limit::diagnostics")
        .collect();
    assert!(diags.len() >= 999, "{}", diags.len());
    assert!(diags.iter().all(|d| d.code.id == "tei::xref::dangling_ref"));
    let meant = diags
        .iter()
        .filter(|d| {
            let i = &d.message[d.message.find("persno").map_or(0, |k| k + 6)..][..5];
            d.help.as_deref() == Some(&format!("did you mean `register.xml#person{i}`?"))
        })
        .count();
    assert!(
        meant * 100 >= diags.len() * 99,
        "{meant} of {}",
        diags.len()
    );
}

/// The letters of `export cmif` and `export index`: 100,000 correspDesc in one file.
fn many_letters(dir: &Path, n: usize) -> PathBuf {
    let mut profile = String::new();
    for i in 0..n {
        writeln!(
            profile,
            "<correspDesc xml:id=\"cd{i}\" source=\"#ed{}\"><correspAction type=\"sent\"><persName>A{i}</persName><persName>A{i}</persName><placeName>Wien</placeName><date when=\"1890-01-{:02}\"/></correspAction><correspAction type=\"received\"><persName>B</persName></correspAction></correspDesc>",
            i % 3,
            i % 28 + 1
        )
        .unwrap();
    }
    let bibls: String = (0..3)
        .map(|k| format!("<bibl xml:id=\"ed{k}\">Edition {k}</bibl>"))
        .collect();
    let text = tei(&profile, "<p/>").replacen(
        "<sourceDesc><p>s</p></sourceDesc>",
        &format!("<sourceDesc>{bibls}</sourceDesc>"),
        1,
    );
    write(dir, "letters.xml", &text)
}

#[test]
fn exports_of_a_hundred_thousand_correspdescs() {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let path = many_letters(dir.path(), N);
    let collected = teikit::export::cmif::collect(&[path], &[]).expect("reads");
    assert_eq!(collected.letters.len(), N);
    let rows = teikit::export::index::rows(&collected.letters);
    assert_eq!(rows.len(), N);
    let last = &rows[N - 1];
    assert_eq!((last.line, last.id.as_str()), (N as u32 + 1, "cd99999"));
    assert_eq!(last.senders, "A99999", "a repeated sender is listed once");
    assert_eq!(
        collected.letters[N - 1]
            .source_bibl
            .as_ref()
            .map(|b| b.id.as_str()),
        Some("ed0")
    );
    let config = teikit::export::config::CmifConfig {
        title: Some("t".into()),
        editor: Some("e".into()),
        publisher: Some("p".into()),
        url: Some("https://example.org/cmif.xml".into()),
        date: Some("2024-01-01".into()),
        bibl: vec![teikit::export::config::BiblConfig {
            id: None,
            type_: None,
            text: "The edition".into(),
            url: None,
            paths: Vec::new(),
        }],
        ..Default::default()
    };
    let (xml, summary) = teikit::export::cmif::to_cmif(&collected, &config).expect("exports");
    assert_eq!(summary.letters_exported, N);
    assert_eq!(xml.matches("<correspDesc ").count(), N);
}

/// The CMIF profile rules on 100,000 correspDesc without a received action: one diagnostic
/// each, with its line and its element path.
#[test]
fn cmif_rules_on_a_hundred_thousand_correspdescs() {
    const N: usize = 100_000;
    let mut profile = String::new();
    for _ in 0..N {
        profile.push_str("<correspDesc><correspAction type=\"sent\"><persName ref=\"http://d-nb.info/gnd/118540238\">A</persName><date when=\"1890\"/></correspAction></correspDesc>\n");
    }
    let diags = teikit::export::cmif_rules(&tei(&profile, "<p/>"));
    assert_eq!(diags.len(), N);
    assert!(diags
        .iter()
        .all(|d| d.code.id == "tei::cmif::missing_received"));
    let last = &diags[N - 1];
    assert_eq!((last.line, last.column), (N as u32 + 1, 1));
    assert_eq!(
        last.path.as_deref(),
        Some("/TEI/teiHeader/profileDesc/correspDesc[100000]")
    );
}

/// A mistake repeated on every element is kept to the limit while the checks read the file:
/// what they hold does not grow with the repetitions (the rest is only counted).
#[test]
fn checks_keep_a_repeated_mistake_to_the_limit_while_reading() {
    let body: String = (0..20_000)
        .map(|i| format!("<p xml:id=\"same\"><ptr target=\"#gone{i}\"/></p>\n"))
        .collect();
    let text = tei("", &body);
    let registers = Registers::new();
    let env = CheckEnv {
        path: Path::new("repeated.xml"),
        types: &TeiPointerAttributes,
        registers: &registers,
    };
    let mut checks = FileChecks::new(&env).with_max_diagnostics(10);
    let xml = teikit::xml::parse(&text, &mut checks, &teikit::xml::ParseOptions::default());
    assert!(xml.is_empty(), "not well-formed: {:?}", xml.first());
    let facts = checks.finish();
    // ten of each code, and one placeholder each where the first left out is
    let kept = codes(&facts.diagnostics);
    assert_eq!(kept.len(), 22, "{kept:?}");
    assert_eq!(
        kept.iter()
            .filter(|c| **c == "tei::limit::diagnostics")
            .count(),
        2
    );
    let mut surplus: Vec<(&str, usize)> =
        facts.surplus.iter().map(|s| (s.code.id, s.count)).collect();
    surplus.sort();
    assert_eq!(
        surplus,
        [
            ("tei::xref::dangling_ref", 20_000 - 10),
            ("tei::xref::duplicate_id", 19_999 - 10)
        ]
    );
}
