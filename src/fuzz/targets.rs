//! The fuzz targets: each takes arbitrary bytes and panics only on a defect (a panic inside
//! teikit, or an output that its consumers would reject).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::check::{CheckEnv, FileChecks, Registers};
use crate::diagnostic::{Diagnostic, Severity};
use crate::relaxng::{Resolver, Schema};
use crate::validate::schema::{SchemaTypes, EMBEDDED_NAME, EMBEDDED_SCHEMA};

/// The embedded schema, compiled once for every run of the `xml` target.
fn embedded() -> &'static Arc<Schema> {
    static EMBEDDED: OnceLock<Arc<Schema>> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        Arc::new(
            Schema::from_str(EMBEDDED_SCHEMA, EMBEDDED_NAME, &crate::relaxng::FsResolver)
                .expect("the embedded schema compiles"),
        )
    })
}

/// Every diagnostic's span lies in `text`, on character boundaries, with a line and column.
fn assert_positions(what: &str, text: &str, diags: &[Diagnostic]) {
    for d in diags {
        // a diagnostic in included content (XInclude) is in its own file's text
        let text = d.origin.as_ref().map_or(text, |o| &*o.text);
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{what}: {} span {:?} outside the text ({} bytes)",
            d.code.id,
            d.span,
            text.len()
        );
        assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "{what}: {} span {:?} inside a character",
            d.code.id,
            d.span
        );
    }
}

/// The XML reader (decoding, well-formedness, entities, limits), whole and streamed in small
/// windows, with the RELAX NG validator (embedded schema) and the checks listening.
///
/// Asserts: no panic; spans inside the text; the streamed reader gives the diagnostics the
/// whole one gives (as [`crate::xml::parse_read`] promises).
pub fn xml(data: &[u8]) {
    let Ok(decoded) = crate::xml::decode(data) else {
        return;
    };
    let text = decoded.text;
    let schema = embedded();
    let types = SchemaTypes(schema);
    let registers = Registers::new();
    let env = CheckEnv {
        path: Path::new("fuzz.xml"),
        types: &types,
        registers: &registers,
    };
    let opts = crate::xml::ParseOptions::default();
    let whole = {
        let mut checks = FileChecks::new(&env);
        let mut grammar = crate::relaxng::validate::Validator::new(schema.as_ref());
        let mut tee = crate::xml::Tee::new(vec![&mut grammar, &mut checks]);
        let diags = crate::xml::parse(&text, &mut tee, &opts);
        assert_positions("xml", &text, &diags);
        if !diags.iter().any(|d| d.severity == Severity::Error) {
            let found = grammar.finish();
            assert_positions("grammar", &text, &found);
            let facts = checks.finish();
            assert_positions("checks", &text, &facts.diagnostics);
        }
        diags
    };
    // streamed, in windows far smaller than the input: the same diagnostics
    let streamed_opts = crate::xml::ParseOptions {
        window: 64,
        ..crate::xml::ParseOptions::default()
    };
    let mut checks = FileChecks::new(&env);
    let streamed = crate::xml::parse_read(&mut &data[..], &mut checks, &streamed_opts)
        .expect("reading from memory does not fail");
    let key = |d: &Diagnostic| (d.code.id, d.span.clone());
    let whole: Vec<_> = whole.iter().map(key).collect();
    let streamed: Vec<_> = streamed.iter().map(key).collect();
    assert_eq!(whole, streamed, "whole and streamed readings differ");
}

/// An include or externalRef of a fuzzed schema: any path gives this small grammar, so that
/// the loader's handling of included files is exercised without reading the disk.
struct OneIncludedFile;

const INCLUDED: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start combine="choice"><element name="inc"><ref name="r"/></element></start><define name="r" combine="choice"><text/></define></grammar>"#;

impl Resolver for OneIncludedFile {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        if path.to_string_lossy().contains("missing") {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
        Ok(INCLUDED.to_string())
    }
}

/// Documents validated against each fuzzed schema that compiles.
const INSTANCES: &[&str] = &[
    "<a/>",
    "<inc>text</inc>",
    "<doc xmlns=\"http://www.tei-c.org/ns/1.0\"><p xml:id=\"x\">a<hi>b</hi></p><p/></doc>",
    "<addressBook><card><name>John</name><email>js@example.com</email></card></addressBook>",
];

/// The RELAX NG schema loader (XML syntax): parsing, includes, simplification, restrictions,
/// limits; then, when the schema compiles, validation of a few small documents against it.
///
/// Asserts: no panic; a schema that does not compile says why.
pub fn schema(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let base = PathBuf::from("/fuzz/schema.rng");
    match Schema::from_str(&text, &base, &OneIncludedFile) {
        Err(e) => {
            assert!(
                !e.diagnostics.is_empty(),
                "a schema error without a diagnostic"
            );
        }
        Ok(schema) => {
            for doc in INSTANCES {
                let mut v = crate::relaxng::validate::Validator::new(&schema);
                let wf = crate::xml::parse(doc, &mut v, &crate::xml::ParseOptions::default());
                assert!(wf.is_empty(), "{doc}: {wf:?}");
                let found = v.finish();
                assert_positions("instance", doc, &found);
            }
        }
    }
}

/// Whether `xml` is well-formed XML 1.0 for an independent reader (roxmltree), characters
/// XML forbids included.
fn assert_well_formed(what: &str, xml: &str) {
    if let Err(e) = roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    ) {
        panic!("{what} is not well-formed: {e}");
    }
    if let Some(c) = xml.chars().find(|&c| !is_xml_char(c)) {
        panic!("{what} holds U+{:04X}, which XML forbids", c as u32);
    }
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The encoder: plain text (any bytes) to TEI, as `teikit encode` runs it (characters XML
/// forbids replaced first).
///
/// Asserts: no panic; the TEI written is well-formed, with no character XML forbids.
pub fn encode(data: &[u8]) {
    let Ok(text) = crate::encode::decode(data) else {
        return;
    };
    let (text, _) = crate::encode::replace_forbidden(text);
    if let Ok(encoded) =
        crate::encode::encode(&text, None, &crate::encode::EncodeOptions::default())
    {
        assert_well_formed("the encoded TEI", &encoded.xml);
    }
}

/// A folder of its own for the targets that read files, one per thread.
fn scratch(name: &str) -> PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::tempdir().expect("a temporary folder");
    }
    DIR.with(|d| d.path().join(name))
}

fn write(path: &Path, data: &[u8]) {
    let mut f = std::fs::File::create(path).expect("the scratch file is writable");
    f.write_all(data).expect("the scratch file is writable");
}

/// The exporters: letters read from a file (any bytes), written as CMIF (with a configured
/// edition and with editions from the letters' own `fileDesc`) and as a letter index (CSV,
/// JSON); the CMIF profile rules.
///
/// Asserts: no panic; a CMIF document written is well-formed; the JSON index parses.
pub fn export(data: &[u8]) {
    let path = scratch("letters.xml");
    write(&path, data);
    let Ok(collected) = crate::export::cmif::collect(std::slice::from_ref(&path), &[]) else {
        return;
    };
    let rows = crate::export::index::rows(&collected.letters);
    let _ = crate::export::index::to_csv(&rows);
    let json = crate::export::index::to_json(&rows);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the JSON index does not parse: {e}");
    }
    let mut config = crate::export::config::CmifConfig {
        title: Some("t".into()),
        editor: Some("e".into()),
        publisher: Some("p".into()),
        url: Some("https://example.org/cmif.xml".into()),
        date: Some("2024-01-01".into()),
        ..Default::default()
    };
    for configured in [false, true] {
        if configured {
            config.bibl = vec![crate::export::config::BiblConfig {
                id: None,
                type_: None,
                text: "The edition".into(),
                url: None,
                paths: Vec::new(),
            }];
        }
        if let Ok((xml, summary)) = crate::export::cmif::to_cmif(&collected, &config) {
            if summary.is_complete() {
                assert_well_formed("the CMIF document", &xml);
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let diags = crate::export::cmif_rules(text);
        assert_positions("cmif rules", text, &diags);
    }
}

/// The whole validation pipeline (schema step skipped, CMIF profile) on a file (any bytes),
/// and every report of its result: JSON, SARIF, JUnit, GitHub commands and, with the `cli`
/// feature, the human one.
///
/// Asserts: no panic; JSON and SARIF parse; JUnit is well-formed and free of characters XML
/// forbids; GitHub commands are one line each.
pub fn report(data: &[u8]) {
    let path = scratch("file.xml");
    write(&path, data);
    let options = crate::validate::Options {
        schema: crate::validate::SchemaChoice::Skip,
        profile: crate::validate::Profile::Cmif,
        ..Default::default()
    };
    let outcome = crate::validate::run(std::slice::from_ref(&path), &options)
        .expect("a run without registers sets up");
    for f in &outcome.files {
        assert_positions("report", &f.source, &f.diagnostics);
    }
    let json = crate::report::json::render(&outcome);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the JSON report does not parse: {e}");
    }
    let sarif = crate::report::sarif::render(&outcome);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&sarif) {
        panic!("the SARIF report does not parse: {e}");
    }
    assert_well_formed("the JUnit report", &crate::report::junit::render(&outcome));
    let github = crate::report::github::render(&outcome);
    for line in github.lines() {
        assert!(
            line.starts_with("::"),
            "a GitHub command spans lines: {line:?}"
        );
    }
    #[cfg(feature = "cli")]
    {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .with_context_lines(1);
        for f in &outcome.files {
            let _ = crate::report::human::heading(f);
            for d in crate::report::human::file_diagnostics(f) {
                let mut s = String::new();
                let _ = handler.render_report(&mut s, &d);
            }
        }
    }
}
