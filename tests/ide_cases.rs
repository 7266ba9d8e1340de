//! `teikit::ide` on the cases in `tests/cases/ide/` (see its README): each case is a folder
//! with `document.xml` (the cursor marked `‸`, removed before asking), `schema` (one line:
//! `embedded` for the embedded tei-corresp.rng, `tei_all` for `$TEIKIT_SHARED/schemas/
//! tei_all.rng`, skipped when unset, or a schema file's name in the folder), and
//! `expected.txt`: the completions at the cursor as a person reads them. When the folder holds
//! `required.txt`, the attributes required on the start tag at the cursor are compared too.
//! Set `TEIKIT_BLESS=1` to rewrite the expected files after a deliberate change (then review
//! the diff).

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use teikit::ide::{CompletionContext, CompletionKind, Completions, SchemaAssist};
use teikit::relaxng::{FsResolver, Schema};
use teikit::validate::schema::{EMBEDDED_NAME, EMBEDDED_SCHEMA};

const CURSOR: char = '‸';

fn cases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/ide")
}

fn bless() -> bool {
    std::env::var("TEIKIT_BLESS").as_deref() == Ok("1")
}

/// Compares `got` with the expected file (or rewrites it when blessing); the difference, if
/// any.
fn differs(expected: &Path, got: &str) -> Option<String> {
    if bless() {
        std::fs::write(expected, got).expect("bless");
        return None;
    }
    let want =
        std::fs::read_to_string(expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    (want != got).then(|| {
        format!(
            "{} differs.\n--- expected\n{want}\n--- got\n{got}",
            expected.display()
        )
    })
}

/// The first line of `text`, at most 72 characters.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= 72 {
        line.to_string()
    } else {
        format!("{}…", line.chars().take(71).collect::<String>())
    }
}

/// Completions as a person reads them: where, what is replaced, one item a line.
fn render(text: &str, c: &Completions) -> String {
    let mut out = String::new();
    let ctx = match &c.context {
        CompletionContext::Content { parent } => {
            format!(
                "element content of {}",
                parent.as_deref().unwrap_or("(document)")
            )
        }
        CompletionContext::ElementName { parent } => {
            format!(
                "element name in {}",
                parent.as_deref().unwrap_or("(document)")
            )
        }
        CompletionContext::EndTag { parent } => {
            format!("end tag in {}", parent.as_deref().unwrap_or("(document)"))
        }
        CompletionContext::AttributeName { element } => format!("attribute name on {element}"),
        CompletionContext::AttributeValue { element, attribute } => {
            format!("value of {element}/@{attribute}")
        }
        CompletionContext::None => "nothing offered here".to_string(),
    };
    let _ = writeln!(out, "at: {ctx}");
    let _ = writeln!(out, "replaces: {:?}", &text[c.replace.clone()]);
    for i in &c.items {
        let kind = match i.kind {
            CompletionKind::Element => "element",
            CompletionKind::EndTag => "end tag",
            CompletionKind::Attribute if i.required => "attribute (required)",
            CompletionKind::Attribute => "attribute",
            CompletionKind::Value => "value",
        };
        let _ = write!(out, "{:<20} {kind:<20} {:?}", i.label, i.insert);
        if let Some(g) = &i.gloss {
            let _ = write!(out, "  -- {}", short(g));
        }
        out.push('\n');
    }
    out
}

#[test]
fn ide_cases() {
    let shared = common::shared();
    let mut schemas: HashMap<String, Arc<SchemaAssist>> = HashMap::new();
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases())
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut ran = 0;
    for dir in dirs {
        let which = std::fs::read_to_string(dir.join("schema"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join("schema").display()))
            .trim()
            .to_string();
        let key = if which == "tei_all" || which == "embedded" {
            which.clone()
        } else {
            dir.join(&which).display().to_string()
        };
        if !schemas.contains_key(&key) {
            let schema = match which.as_str() {
                "embedded" => Schema::from_str(EMBEDDED_SCHEMA, EMBEDDED_NAME, &FsResolver),
                "tei_all" => {
                    let Some(shared) = &shared else {
                        println!("skipped {}: TEIKIT_SHARED not set", dir.display());
                        continue;
                    };
                    Schema::from_file(shared.join("schemas/tei_all.rng"))
                }
                _ => Schema::from_file(dir.join(&which)),
            }
            .unwrap_or_else(|e| panic!("{}: schema {which}: {e}", dir.display()));
            schemas.insert(key.clone(), Arc::new(SchemaAssist::new(Arc::new(schema))));
        }
        let assist = &schemas[&key];
        let doc = std::fs::read_to_string(dir.join("document.xml"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let cursor = doc
            .find(CURSOR)
            .unwrap_or_else(|| panic!("{}: no cursor `{CURSOR}`", dir.display()));
        let text = doc.replacen(CURSOR, "", 1);
        let c = assist.complete(&text, cursor);
        if let Some(d) = differs(&dir.join("expected.txt"), &render(&text, &c)) {
            failures.push(d);
        }
        let required = dir.join("required.txt");
        if required.exists() {
            let got = assist.required_attributes(&text, cursor).join("\n") + "\n";
            if let Some(d) = differs(&required, &got) {
                failures.push(d);
            }
        }
        ran += 1;
    }
    assert!(ran > 0, "no case ran");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
