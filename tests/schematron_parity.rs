//! Parity with SchXslt (on Saxon HE), the reference implementation of ISO Schematron: for every
//! file of the reference results in `$TEIKIT_SHARED/conformance/schematron/reference/` (the
//! rules embedded in `tei_all.rng` on escher, schnitzler-briefe and jean-paul; `cmif.sch` on the
//! CMIF files), teikit fires the same asserts and reports: the same multiset of (test, SVRL
//! location of the context node, text), per file. The pattern is not in SchXslt's output; the
//! test (as the schema writes it, white space normalised) names the check.
//!
//! The rules embedded in jean-paul's project schemas (`corpora/jean-paul/schema/`) have no
//! reference results: the shared oracle script (`sch_oracle.py`, SchXslt on Saxon) makes them
//! at test time, into `target/oracles/schematron/` (skipped without Java, Saxon HE and
//! Python's lxml, unless `TEIKIT_REQUIRE_ORACLES=1`).
//!
//! The files are run through `teikit validate` (grammar off, `--schematron`, `--profile cmif`
//! or the grammar's embedded rules), so the wiring is what is compared.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use teikit::validate::{self, Options, Profile, SchemaChoice};

/// (test, location, text) of one finding.
type Finding = (String, String, String);

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SchXslt's findings per file (paths as `shared/corpora/…`, made absolute).
fn reference(shared: &Path, name: &str) -> BTreeMap<PathBuf, Vec<Finding>> {
    results(
        &shared.join("conformance/schematron/reference").join(name),
        shared.parent().expect("shared has a parent"),
    )
}

/// The findings per file of an oracle output (`sch_oracle.py`'s JSON lines; relative paths
/// against `base`).
fn results(jsonl: &Path, base: &Path) -> BTreeMap<PathBuf, Vec<Finding>> {
    let text = std::fs::read_to_string(jsonl).expect("reference results");
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert!(v["error"].is_null(), "the oracle failed on {line}");
        let file = base.join(v["file"].as_str().expect("file"));
        let mut fired: Vec<Finding> = v["fired"]
            .as_array()
            .expect("fired")
            .iter()
            .map(|f| {
                (
                    norm(f["test"].as_str().unwrap_or("")),
                    f["location"].as_str().unwrap_or("").to_string(),
                    norm(f["text"].as_str().unwrap_or("")),
                )
            })
            .collect();
        fired.sort();
        out.insert(file, fired);
    }
    out
}

/// teikit's findings per file: the `tei::sch::*` diagnostics, the test read back from the help
/// (``assert `TEST` of the rule …``).
fn teikit(files: &[PathBuf], options: &Options) -> BTreeMap<PathBuf, Vec<Finding>> {
    let outcome = validate::run(files, options).expect("run");
    let mut out = BTreeMap::new();
    for f in &outcome.files {
        assert!(!f.fatal, "{}: {:?}", f.path.display(), f.diagnostics);
        let mut fired: Vec<Finding> = f
            .diagnostics
            .iter()
            .filter(|d| d.code.id.starts_with("tei::sch::"))
            .map(|d| {
                let help = d.help.as_deref().unwrap_or("");
                // (a hand-written rule's help may stand before it)
                let test = ["assert `", "report `"]
                    .iter()
                    .find_map(|k| help.split_once(k))
                    .and_then(|(_, rest)| rest.split_once("` of the rule for `"))
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| panic!("{}: no test in the help: {help}", d.code.id));
                (
                    norm(test),
                    d.path.clone().unwrap_or_default(),
                    norm(&d.message),
                )
            })
            .collect();
        fired.sort();
        out.insert(f.path.clone(), fired);
    }
    out
}

/// Compares one reference file with teikit's run; returns (files, findings) compared.
fn compare(shared: &Path, name: &str, options: &Options) -> (usize, usize) {
    compare_with(name, reference(shared, name), options)
}

/// Compares SchXslt's findings (`want`) with teikit's run on the same files.
fn compare_with(
    name: &str,
    want: BTreeMap<PathBuf, Vec<Finding>>,
    options: &Options,
) -> (usize, usize) {
    let files: Vec<PathBuf> = want.keys().cloned().collect();
    let got = teikit(&files, options);
    let mut differ = Vec::new();
    for (file, w) in &want {
        let g = got
            .get(file)
            .unwrap_or_else(|| panic!("{} not run", file.display()));
        if g != w {
            let missing: Vec<_> = w.iter().filter(|x| !g.contains(x)).collect();
            let extra: Vec<_> = g.iter().filter(|x| !w.contains(x)).collect();
            differ.push(format!(
                "{}: SchXslt {} finding(s), teikit {}\n  only SchXslt: {missing:?}\n  only teikit: {extra:?}",
                file.display(),
                w.len(),
                g.len()
            ));
        }
    }
    let findings: usize = want.values().map(Vec::len).sum();
    println!(
        "{name}: {} files, {findings} findings, {} file(s) differ",
        want.len(),
        differ.len()
    );
    assert!(
        differ.is_empty(),
        "{name}: {} file(s) differ from SchXslt:\n{}",
        differ.len(),
        differ.join("\n")
    );
    (want.len(), findings)
}

/// The time limit is wall-clock time: on a shared, loaded machine the 2 MB CMIF file (a
/// `ancestor::tei:TEI//tei:bibl` per `@source`, 4-5 s of CPU) may take longer than the default
/// 10 s; this test compares findings, not speed.
fn generous() -> teikit::schematron::limits::Limits {
    teikit::schematron::limits::Limits {
        time_per_rule: std::time::Duration::from_secs(600),
        ..Default::default()
    }
}

#[test]
fn tei_all_embedded_rules_fire_as_in_schxslt() {
    let Some(shared) = common::shared() else {
        return;
    };
    let options = Options {
        // the embedded rules run with the grammar that carries them
        schema: SchemaChoice::File(shared.join("schemas/tei_all.rng")),
        schematron_limits: generous(),
        ..Options::default()
    };
    let mut total = (0, 0);
    for corpus in ["escher", "schnitzler-briefe", "jean-paul"] {
        let (f, n) = compare(
            &shared,
            &format!("{corpus}.tei_all-embedded.jsonl"),
            &options,
        );
        total = (total.0 + f, total.1 + n);
    }
    assert_eq!(total.0, 900, "files compared");
    assert!(total.1 >= 350, "only {} findings compared", total.1);
}

#[test]
fn cmif_sch_fires_as_in_schxslt() {
    let Some(shared) = common::shared() else {
        return;
    };
    let options = Options {
        schema: SchemaChoice::Skip,
        schematron: vec![shared.join("schemas/cmif.sch")],
        schematron_limits: generous(),
        ..Options::default()
    };
    let (files, findings) = compare(&shared, "cmif.cmif-sch.jsonl", &options);
    assert!(
        files >= 3 && findings == 2,
        "{files} files, {findings} findings"
    );
}

#[test]
fn cmif_profile_with_cmif_sch_fires_as_schxslt_does() {
    let Some(shared) = common::shared() else {
        return;
    };
    // `--profile cmif` with the SIG's cmif.sch, read where the user keeps it (teikit does not
    // ship a copy): cmif.sch's findings are SchXslt's, teikit's own CMIF rules add only what
    // cmif.sch does not say
    let options = Options {
        schema: SchemaChoice::Skip,
        profile: Profile::Cmif,
        schematron: vec![shared.join("schemas/cmif.sch")],
        schematron_limits: generous(),
        ..Options::default()
    };
    let (files, findings) = compare(&shared, "cmif.cmif-sch.jsonl", &options);
    assert!(
        files >= 3 && findings == 2,
        "{files} files, {findings} findings"
    );
}

/// Where the oracle results made at test time go.
fn oracle_dir() -> PathBuf {
    std::env::var_os("TEIKIT_ORACLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/oracles"))
        .join("schematron")
}

/// Whether SchXslt can run here (Java, Saxon HE, Python with lxml); panics when it cannot but
/// `TEIKIT_REQUIRE_ORACLES=1`.
fn have_schxslt() -> bool {
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let saxon = Path::new("/usr/share/java/Saxon-HE.jar").is_file();
    let lxml = std::process::Command::new("python3")
        .args(["-c", "import lxml.etree"])
        .output()
        .is_ok_and(|o| o.status.success());
    let ok = java && saxon && lxml;
    if !ok {
        assert!(
            std::env::var("TEIKIT_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "SchXslt is required (TEIKIT_REQUIRE_ORACLES=1): java {java}, Saxon HE {saxon}, python3 lxml {lxml} (.ci/run installs them)"
        );
        println!(
            "skipped: SchXslt cannot run (java {java}, Saxon HE {saxon}, python3 lxml {lxml})"
        );
    }
    ok
}

/// What SchXslt says of `schema` on `files`: its findings per file, or the error that stopped
/// it compiling the schema. Made once into [`oracle_dir`] (remade when the schema, the script
/// or the file list is newer or different).
fn schxslt(
    shared: &Path,
    schema: &Path,
    files: &[PathBuf],
    name: &str,
) -> Result<BTreeMap<PathBuf, Vec<Finding>>, String> {
    let dir = oracle_dir();
    std::fs::create_dir_all(&dir).expect("oracle folder");
    let out = dir.join(format!("{name}.jsonl"));
    let failed = dir.join(format!("{name}.error"));
    let list = dir.join(format!("{name}.files"));
    let listed: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    let script = shared.join("conformance/schematron/sch_oracle.py");
    let fresh = |p: &Path| {
        let t = |q: &Path| std::fs::metadata(q).and_then(|m| m.modified()).ok();
        std::fs::read_to_string(&list).ok().as_deref() == Some(listed.as_str())
            && t(p).is_some_and(|made| t(schema) < Some(made) && t(&script) < Some(made))
    };
    if fresh(&out) {
        return Ok(results(&out, Path::new("/")));
    }
    if fresh(&failed) {
        return Err(std::fs::read_to_string(&failed).unwrap_or_default());
    }
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&failed);
    let run = std::process::Command::new("python3")
        .arg(&script)
        .arg(shared.join("conformance/schematron/schxslt"))
        .arg(schema)
        .arg(&out)
        .args(files)
        .output()
        .expect("python3 runs");
    std::fs::write(&list, &listed).expect("write the file list");
    if run.status.success() {
        Ok(results(&out, Path::new("/")))
    } else {
        let why = String::from_utf8_lossy(&run.stderr).into_owned();
        std::fs::write(&failed, &why).expect("write the oracle's error");
        Err(why)
    }
}

#[test]
fn jean_paul_project_schemas_rules_fire_as_in_schxslt() {
    let Some(shared) = common::shared() else {
        return;
    };
    if !have_schxslt() {
        return;
    }
    let shared = std::fs::canonicalize(&shared).expect("shared");
    let jp = shared.join("corpora/jean-paul");
    for (schema, folder) in [
        ("ediarum.JP-ANBRIEFE.rng", "anbriefe"),
        ("ediarum.JP-VONBRIEFE.rng", "vonbriefe"),
        ("ediarum.JP-UMFELDBRIEFE.rng", "umfeldbriefe"),
    ] {
        let schema = jp.join("schema").join(schema);
        let mut files: Vec<PathBuf> = Vec::new();
        let mut stack = vec![jp.join("letters").join(folder)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("letters").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "xml") {
                    files.push(p);
                }
            }
        }
        files.sort();
        assert!(files.len() >= 100, "{folder}: {} files", files.len());
        let options = Options {
            schema: SchemaChoice::File(schema.clone()),
            schematron_limits: generous(),
            ..Options::default()
        };
        // a grammar without embedded rules: nothing may fire (SchXslt cannot compile a schema
        // without patterns, so it is not asked)
        let embeds = teikit::schematron::Schematron::from_rng(&schema, None);
        let oracle = if matches!(embeds, Ok(None)) {
            Ok(files.iter().map(|f| (f.clone(), Vec::new())).collect())
        } else {
            schxslt(&shared, &schema, &files, &format!("jean-paul-{folder}"))
        };
        match oracle {
            Ok(want) => {
                let (n, findings) = compare_with(folder, want, &options);
                println!("{folder}: {n} files, {findings} findings as SchXslt");
            }
            Err(why) => {
                // SchXslt refuses the schema; so must teikit, for the same reason, and say
                // where (exit status 2), while the grammar still checks every letter
                let outcome = validate::run(&files, &options).expect("run");
                let refused: Vec<_> = outcome
                    .files
                    .iter()
                    .filter(|f| f.fatal)
                    .flat_map(|f| &f.diagnostics)
                    .filter(|d| d.code.id == "tei::sch::schema_error")
                    .collect();
                assert_eq!(outcome.exit_code(), 2, "{folder}: {refused:?}");
                assert!(
                    why.contains("is-a"),
                    "{folder}: SchXslt failed otherwise: {why}"
                );
                assert!(
                    refused.len() == 1 && refused[0].message.contains("is-a"),
                    "{folder}: SchXslt refused the schema ({why}), teikit: {refused:?}"
                );
                assert_eq!(
                    outcome.files.iter().filter(|f| !f.fatal).count(),
                    files.len(),
                    "every letter is still checked"
                );
                println!(
                    "{folder}: SchXslt and teikit both refuse the embedded rules: {}",
                    refused[0].message
                );
            }
        }
    }
}

/// The failed asserts and successful reports of an SVRL document: (kind, location, test, role,
/// text), sorted.
fn svrl_findings(svrl: &str) -> Vec<(String, String, String, String, String)> {
    let doc = roxmltree::Document::parse(svrl).expect("SVRL is well-formed");
    let mut v: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().namespace() == Some("http://purl.oclc.org/dsdl/svrl")
                && matches!(n.tag_name().name(), "failed-assert" | "successful-report")
        })
        .map(|n| {
            let text = n
                .children()
                .find(|c| c.has_tag_name(("http://purl.oclc.org/dsdl/svrl", "text")))
                .map(|t| {
                    norm(
                        &t.descendants()
                            .filter(|d| d.is_text())
                            .filter_map(|d| d.text())
                            .collect::<String>(),
                    )
                })
                .unwrap_or_default();
            (
                n.tag_name().name().to_string(),
                n.attribute("location").unwrap_or("").to_string(),
                norm(n.attribute("test").unwrap_or("")),
                n.attribute("role").unwrap_or("").to_string(),
                text,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn svrl_has_the_failed_asserts_of_schxslts_svrl() {
    let Some(shared) = common::shared() else {
        return;
    };
    if !have_schxslt() {
        return;
    }
    let file = shared.join("corpora/cmif/schnitzler-cmif_1975_Brahm_Schnitzler.xml");
    // SchXslt's SVRL: cmif.sch compiled to XSLT, then run on the file (Saxon HE)
    let tmp = tempfile::tempdir().expect("temp dir");
    let compiled = tmp.path().join("cmif.xsl");
    let svrl_out = tmp.path().join("out.svrl");
    let saxon = |args: &[String]| {
        let out = std::process::Command::new("java")
            .args([
                "-cp",
                "/usr/share/java/Saxon-HE.jar",
                "net.sf.saxon.Transform",
            ])
            .args(args)
            .output()
            .expect("java runs");
        assert!(
            out.status.success(),
            "Saxon: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    saxon(&[
        format!("-s:{}", shared.join("schemas/cmif.sch").display()),
        format!(
            "-xsl:{}",
            shared
                .join("conformance/schematron/schxslt/pipeline-for-svrl.xsl")
                .display()
        ),
        format!("-o:{}", compiled.display()),
    ]);
    saxon(&[
        format!("-s:{}", file.display()),
        format!("-xsl:{}", compiled.display()),
        format!("-o:{}", svrl_out.display()),
    ]);
    let want = svrl_findings(&std::fs::read_to_string(&svrl_out).expect("SchXslt's SVRL"));
    // teikit's: `teikit validate --schematron cmif.sch --schema none --format svrl FILE`
    let options = Options {
        schema: SchemaChoice::Skip,
        schematron: vec![shared.join("schemas/cmif.sch")],
        schematron_limits: generous(),
        ..Options::default()
    };
    let outcome = validate::run(&[file], &options).expect("run");
    let svrl = teikit::report::svrl::render(&outcome);
    assert!(
        svrl.contains("<svrl:schematron-output xmlns:svrl="),
        "one file and one schema: a bare SVRL document\n{svrl}"
    );
    let got = svrl_findings(&svrl);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got, want, "teikit's SVRL differs from SchXslt's");
}
