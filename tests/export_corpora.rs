//! CMIF export of the shared editions (escher, jean-paul, schnitzler-briefe): the output is valid
//! against the official CMIF schema (jing) and passes the CMIF rules; the four shared CMIF files
//! read back in with the same counts. Needs `TEIKIT_SHARED` (skipped without it) and jing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use teikit::diagnostic::Severity;
use teikit::export::cmif::{collect, to_cmif, Summary};
use teikit::export::cmif_rules;
use teikit::export::config::{BiblConfig, CmifConfig};

/// jing's error lines for one file (empty = valid).
fn jing_errors(schema: &Path, file: &Path) -> Vec<String> {
    let out = Command::new("jing")
        .arg(schema)
        .arg(file)
        .output()
        .expect("run jing");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .filter(|l| !l.starts_with("[warning]") && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn config(bibl: &str) -> CmifConfig {
    CmifConfig {
        title: Some("Test export".into()),
        editor: Some("Test Editor".into()),
        email: Some("editor@example.org".into()),
        publisher: Some("teikit tests".into()),
        url: Some("https://example.org/cmif.xml".into()),
        date: Some("2026-11-27".into()),
        letter_url: Some("https://example.org/letters/{id}".into()),
        bibl: if bibl.is_empty() {
            Vec::new()
        } else {
            vec![BiblConfig {
                text: bibl.into(),
                type_: Some("online".into()),
                url: Some("https://example.org".into()),
                ..Default::default()
            }]
        },
        ..Default::default()
    }
}

/// Exports, writes to a temp file, checks the CMIF schema and rules; returns the summary.
fn export_and_check(
    shared: &Path,
    paths: &[PathBuf],
    registers: &[PathBuf],
    cfg: &CmifConfig,
    dir: &Path,
    name: &str,
) -> Summary {
    let collected = collect(paths, registers).expect("read letters");
    let (xml, summary) = to_cmif(&collected, cfg).expect("export");
    let out = dir.join(format!("{name}.xml"));
    teikit::fsutil::write_atomic(&out, xml.as_bytes()).expect("write");
    let errors = jing_errors(&shared.join("schemas/cmi-customization.rng"), &out);
    assert!(
        errors.is_empty(),
        "{name}: CMIF not valid against cmi-customization.rng:\n{}",
        errors.join("\n")
    );
    let errors = jing_errors(&shared.join("schemas/tei_all.rng"), &out);
    assert!(
        errors.is_empty(),
        "{name}: CMIF not valid against tei_all:\n{}",
        errors.join("\n")
    );
    let rule_errors: Vec<_> = cmif_rules(&xml)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        rule_errors.is_empty(),
        "{name}: CMIF rules fail: {rule_errors:#?}"
    );
    summary
}

#[test]
fn shared_editions_export_valid_cmif() {
    let Some(shared) = common::shared() else {
        return;
    };
    if !common::have_jing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpora = shared.join("corpora");
    let editions: [(&str, Vec<PathBuf>); 3] = [
        (
            "escher",
            vec![
                corpora.join("escher/registers/people.xml"),
                corpora.join("escher/registers/places.xml"),
            ],
        ),
        ("jean-paul", Vec::new()),
        ("schnitzler-briefe", Vec::new()),
    ];
    println!("| edition | files | letters in | correspDescs out | skipped | persons with URI | persons without | places with GeoNames | places without |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, registers) in editions {
        let letters = corpora.join(name).join("letters");
        let summary = export_and_check(
            &shared,
            &[letters],
            &registers,
            &config(name),
            dir.path(),
            name,
        );
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            summary.files_read,
            summary.letters_in,
            summary.letters_exported,
            summary.skipped.len(),
            summary.persons.with_uri,
            summary.persons.without_uri,
            summary.places.with_uri,
            summary.places.without_uri
        );
        assert_eq!(summary.files_read, 300, "{name}");
        assert!(
            summary.unreadable.is_empty(),
            "{name}: {:?}",
            summary.unreadable
        );
        assert_eq!(summary.letters_in, 300, "{name}: one correspDesc per file");
        assert_eq!(
            summary.letters_exported + summary.skipped.len(),
            summary.letters_in,
            "{name}"
        );
        assert!(
            summary.letters_exported >= 290,
            "{name}: too many letters skipped: {:?}",
            summary.skipped_by_reason
        );
    }
}

/// The escher registers are what gives its persons URIs: without them, none.
#[test]
fn escher_persons_resolve_through_registers() {
    let Some(shared) = common::shared() else {
        return;
    };
    let letters = shared.join("corpora/escher/letters");
    let without = to_cmif(
        &collect(std::slice::from_ref(&letters), &[]).expect("read"),
        &config("escher"),
    )
    .expect("export")
    .1;
    let people = shared.join("corpora/escher/registers/people.xml");
    let with = to_cmif(
        &collect(&[letters], &[people]).expect("read"),
        &config("escher"),
    )
    .expect("export")
    .1;
    assert_eq!(without.persons.with_uri, 0);
    assert!(with.persons.with_uri > 500, "{:?}", with.persons);
    assert_eq!(
        with.persons.with_uri + with.persons.without_uri,
        without.persons.without_uri
    );
}

/// Counts in a CMIF file: correspDescs, names with and without @ref, places with and without.
fn source_counts(text: &str) -> [usize; 5] {
    let doc = roxmltree::Document::parse(text).expect("parse");
    let tei = "http://www.tei-c.org/ns/1.0";
    let mut c = [0; 5];
    for n in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(tei))
    {
        let in_action = n
            .parent()
            .is_some_and(|p| p.has_tag_name((tei, "correspAction")));
        match n.tag_name().name() {
            "correspDesc" => c[0] += 1,
            "persName" | "orgName" if in_action => {
                c[if n.attribute("ref").is_some() { 1 } else { 2 }] += 1
            }
            "placeName" if in_action => c[if n.attribute("ref").is_some() { 3 } else { 4 }] += 1,
            _ => {}
        }
    }
    c
}

#[test]
fn shared_cmif_files_read_back_with_the_same_counts() {
    let Some(shared) = common::shared() else {
        return;
    };
    if !common::have_jing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpora/cmif"))
        .expect("cmif folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    for file in files {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // No configured bibl and no letter URL pattern: the bibls and @ref of the input are kept.
        let mut cfg = config("");
        cfg.letter_url = None;
        let summary = export_and_check(
            &shared,
            std::slice::from_ref(&file),
            &[],
            &cfg,
            dir.path(),
            &name,
        );
        let [descs, names_ref, names_noref, places_ref, places_noref] =
            source_counts(&std::fs::read_to_string(&file).expect("read"));
        println!(
            "{name}: correspDesc {descs} -> {}; names with @ref {names_ref} -> {}, without {names_noref} -> {}; places with @ref {places_ref} -> {}, without {places_noref} -> {}",
            summary.letters_exported,
            summary.persons.with_uri,
            summary.persons.without_uri,
            summary.places.with_uri,
            summary.places.without_uri
        );
        assert_eq!(summary.letters_in, descs, "{name}");
        assert_eq!(
            summary.letters_exported, descs,
            "{name}: skipped {:?}",
            summary.skipped
        );
        assert_eq!(summary.persons.with_uri, names_ref, "{name}");
        assert_eq!(summary.persons.without_uri, names_noref, "{name}");
        assert_eq!(summary.places.with_uri, places_ref, "{name}");
        assert_eq!(summary.places.without_uri, places_noref, "{name}");
    }
}

/// The CMIF rules on the shared CMIF files: all four have sent and received everywhere and
/// resolving sources; the Schnitzler file has one date without a date attribute.
#[test]
fn cmif_rules_on_shared_cmif_files() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("corpora/cmif");
    let mut errors = Vec::new();
    for entry in std::fs::read_dir(&dir)
        .expect("cmif folder")
        .filter_map(|e| e.ok())
    {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "xml") {
            let text = std::fs::read_to_string(&path).expect("read");
            for d in cmif_rules(&text)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
            {
                errors.push(format!(
                    "{}:{}:{}: {} {}",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    d.line,
                    d.column,
                    d.code.id,
                    d.message
                ));
            }
        }
    }
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("schnitzler-cmif_1975_Brahm_Schnitzler.xml:")
            && errors[0].contains("tei::cmif::date_without_attribute"),
        "{errors:#?}"
    );
}

/// The encoder's outputs (`encoded/*.xml`, when present) export to valid CMIF.
#[test]
fn encoded_outputs_export_valid_cmif() {
    let encoded = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("encoded");
    let has_xml = std::fs::read_dir(&encoded)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .any(|e| e.path().extension().is_some_and(|x| x == "xml"))
        })
        .unwrap_or(false);
    if !has_xml {
        println!("skipped: no encoded/*.xml yet");
        return;
    }
    let Some(shared) = common::shared() else {
        return;
    };
    if !common::have_jing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = export_and_check(
        &shared,
        &[encoded],
        &[],
        &config("The seed"),
        dir.path(),
        "encoded",
    );
    println!(
        "encoded: {} letters in, {} exported, skipped {:?}",
        summary.letters_in, summary.letters_exported, summary.skipped_by_reason
    );
    assert!(summary.letters_exported > 0);
}

/// The readers never panic: every shared TEI file, whole and cut short at several points, goes
/// through the exporter and the CMIF rules.
#[test]
fn readers_survive_every_corpus_file_and_truncations() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut files = Vec::new();
    for corpus in [
        "escher/letters",
        "jean-paul/letters",
        "schnitzler-briefe/letters",
        "cmif",
    ] {
        let dir = shared.join("corpora").join(corpus);
        files.extend(teikit::export::read::xml_files(&[dir]).expect("walk"));
    }
    assert!(files.len() >= 904, "{}", files.len());
    for file in files.iter().step_by(7) {
        let text = std::fs::read_to_string(file).expect("read");
        let _ = cmif_rules(&text);
        for cut in [text.len() / 3, text.len() / 2, text.len() * 9 / 10] {
            let mut cut = cut;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let diags = cmif_rules(&text[..cut]);
            assert!(
                diags.iter().any(|d| d.code.id == "tei::cmif::unreadable"),
                "{} cut at {cut}",
                file.display()
            );
        }
    }
}
