//! `teikit::ide` on the cases in `tests/cases/ide/` (see its README): each case is a folder
//! with `document.xml` (the cursor marked `‸`, removed before asking), `schema` (one line:
//! `embedded` for the embedded tei-corresp.rng, `tei_all` for `$TEIKIT_SHARED/schemas/
//! tei_all.rng`, skipped when unset, or a schema file's name in the folder), and
//! `expected.txt`: the completions at the cursor as a person reads them. When the folder holds
//! `required.txt`, the attributes required on the start tag at the cursor are compared too.
//! Set `TEIKIT_BLESS=1` to rewrite the expected files after a deliberate change (then review
//! the diff).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use teikit::ide::{CompletionContext, CompletionKind, Completions, SchemaAssist};
use teikit::relaxng::pattern::{NameClass, Pattern};
use teikit::relaxng::validate::validate_str;
use teikit::relaxng::{FsResolver, Schema};
use teikit::validate::schema::{EMBEDDED_NAME, EMBEDDED_SCHEMA};

const CURSOR: char = '‸';
const TEI: &str = "http://www.tei-c.org/ns/1.0";

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

/// The assistant for a case's `schema` line (compiled once per schema); `None` (with a
/// message) for tei_all when `TEIKIT_SHARED` is unset.
fn load(
    dir: &Path,
    which: &str,
    shared: &Option<PathBuf>,
    schemas: &mut HashMap<String, Arc<SchemaAssist>>,
) -> Option<Arc<SchemaAssist>> {
    let key = if which == "tei_all" || which == "embedded" {
        which.to_string()
    } else {
        dir.join(which).display().to_string()
    };
    if !schemas.contains_key(&key) {
        let schema = match which {
            "embedded" => Schema::from_str(EMBEDDED_SCHEMA, EMBEDDED_NAME, &FsResolver),
            "tei_all" => {
                let Some(shared) = shared else {
                    println!("skipped {}: TEIKIT_SHARED not set", dir.display());
                    return None;
                };
                Schema::from_file(shared.join("schemas/tei_all.rng"))
            }
            _ => Schema::from_file(dir.join(which)),
        }
        .unwrap_or_else(|e| panic!("{}: schema {which}: {e}", dir.display()));
        schemas.insert(key.clone(), Arc::new(SchemaAssist::new(Arc::new(schema))));
    }
    schemas.get(&key).cloned()
}

/// A case's document with the cursor taken out, and the cursor's offset.
fn document(dir: &Path) -> (String, usize) {
    let doc = std::fs::read_to_string(dir.join("document.xml"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let cursor = doc
        .find(CURSOR)
        .unwrap_or_else(|| panic!("{}: no cursor `{CURSOR}`", dir.display()));
    (doc.replacen(CURSOR, "", 1), cursor)
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
        let Some(assist) = load(&dir, &which, &shared, &mut schemas) else {
            continue;
        };
        let (text, cursor) = document(&dir);
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

/// The element completions of the cases whose document is valid up to the cursor are exactly
/// the elements the validator accepts there: each element the schema declares is put at the
/// cursor as `<name/>` and the whole document validated (`teikit::relaxng::validate`, driven
/// by the document's own events, not by the replay); an element is accepted when no
/// `unknown_element` or `missing_element` error starts at it.
#[test]
fn element_completions_are_what_the_validator_accepts() {
    let shared = common::shared();
    let mut schemas = HashMap::new();
    let mut checked = 0;
    for case in [
        "body-start",
        "corresp-desc",
        "after-p-in-div",
        "body-start-tei-all",
        "corresp-desc-tei-all",
        "after-p-in-div-tei-all",
    ] {
        let dir = cases().join(case);
        let which = std::fs::read_to_string(dir.join("schema")).expect("schema line");
        let Some(assist) = load(&dir, which.trim(), &shared, &mut schemas) else {
            continue;
        };
        let (text, cursor) = document(&dir);
        // label -> the element as inserted (`name`, or `name xmlns="…"` for another namespace)
        let offered: BTreeMap<String, String> = assist
            .complete(&text, cursor)
            .items
            .into_iter()
            .filter(|i| i.kind == CompletionKind::Element)
            .map(|i| (i.label, i.insert.trim_start_matches('<').to_string()))
            .collect();
        let before = text[..cursor].strip_suffix('<').unwrap_or(&text[..cursor]);
        let after = &text[cursor..];
        let schema = assist.schema();
        let mut names: BTreeSet<String> = schema
            .grammar()
            .elements
            .iter()
            .filter_map(|e| match &e.name {
                NameClass::Name { ns, local } if ns == TEI => Some(local.clone()),
                _ => None,
            })
            .collect();
        names.extend(offered.keys().cloned());
        let mut accepted = BTreeSet::new();
        for name in &names {
            let tag = offered.get(name).unwrap_or(name);
            let doc = format!("{before}<{tag}/>{after}");
            let rejected = validate_str(&**schema, &doc).iter().any(|d| {
                d.span.start == before.len()
                    && matches!(
                        d.code.id,
                        "tei::rng::unknown_element" | "tei::rng::missing_element"
                    )
            });
            if !rejected {
                accepted.insert(name.clone());
            }
        }
        let offered: BTreeSet<String> = offered.into_keys().collect();
        assert_eq!(
            offered, accepted,
            "{case}: offered (left) vs accepted (right)"
        );
        assert!(!offered.is_empty() && offered.len() < names.len(), "{case}");
        checked += 1;
    }
    if shared.is_some() {
        assert_eq!(checked, 6);
    }
}

/// The attribute completions of the start-tag cases are exactly the attributes the validator
/// accepts there: each attribute name the schema declares anywhere (but those already on the
/// tag) is put at the cursor as `name="x" ` and the document validated; an attribute is
/// accepted when no `unknown_attribute` error starts at it (its value may still be wrong).
#[test]
fn attribute_completions_are_what_the_validator_accepts() {
    let shared = common::shared();
    let mut schemas = HashMap::new();
    let mut checked = 0;
    for case in ["start-tag", "start-tag-tei-all"] {
        let dir = cases().join(case);
        let which = std::fs::read_to_string(dir.join("schema")).expect("schema line");
        let Some(assist) = load(&dir, which.trim(), &shared, &mut schemas) else {
            continue;
        };
        let (text, cursor) = document(&dir);
        let offered: BTreeSet<String> = assist
            .complete(&text, cursor)
            .items
            .into_iter()
            .filter(|i| i.kind == CompletionKind::Attribute)
            .map(|i| i.label)
            .collect();
        let schema = assist.schema();
        let mut names = BTreeSet::new();
        for p in schema.grammar().patterns.patterns() {
            if let Pattern::Attribute(nc, _) = p {
                attribute_names(nc, &mut names);
            }
        }
        // already on the tag (after the cursor): a second one is not well-formed
        let tag_end = cursor + text[cursor..].find('>').expect("the tag ends");
        names.retain(|n| !text[cursor..tag_end].contains(&format!(" {n}=")));
        let mut accepted = BTreeSet::new();
        for name in &names {
            let doc = format!("{}{name}=\"x\" {}", &text[..cursor], &text[cursor..]);
            let rejected = validate_str(&**schema, &doc)
                .iter()
                .any(|d| d.span.start == cursor && d.code.id == "tei::rng::unknown_attribute");
            if !rejected {
                accepted.insert(name.clone());
            }
        }
        assert_eq!(
            offered, accepted,
            "{case}: offered (left) vs accepted (right)"
        );
        assert!(!offered.is_empty() && offered.len() < names.len(), "{case}");
        checked += 1;
    }
    if shared.is_some() {
        assert_eq!(checked, 2);
    }
}

/// The single names of an attribute name class, written as in a document (`xml:` for the
/// XML namespace; names in other namespaces left out).
fn attribute_names(nc: &NameClass, out: &mut BTreeSet<String>) {
    match nc {
        NameClass::Name { ns, local } if ns.is_empty() => {
            out.insert(local.clone());
        }
        NameClass::Name { ns, local } if ns == "http://www.w3.org/XML/1998/namespace" => {
            out.insert(format!("xml:{local}"));
        }
        NameClass::Choice(a, b) => {
            attribute_names(a, out);
            attribute_names(b, out);
        }
        _ => {}
    }
}

/// Before every start tag of real letters, the element found there is offered exactly when
/// the validator accepts it there (no `unknown_element` or `missing_element` error at the
/// tag): the seed's encoding against the embedded schema (valid: every element is offered),
/// and schnitzler-briefe letters against tei_all (when `TEIKIT_SHARED` is set), read by the
/// tolerant scan with their errors.
#[test]
fn the_next_element_of_real_letters_is_offered_when_valid() {
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("encoded/with-lenin-against-stalin.xml");
    let embedded =
        Arc::new(Schema::from_str(EMBEDDED_SCHEMA, EMBEDDED_NAME, &FsResolver).expect("embedded"));
    let mut runs: Vec<(PathBuf, Arc<Schema>)> = vec![(seed, embedded)];
    if let Some(shared) = common::shared() {
        let tei_all =
            Arc::new(Schema::from_file(shared.join("schemas/tei_all.rng")).expect("tei_all"));
        for name in ["L00001.xml", "L00015.xml", "L04254.xml"] {
            runs.push((
                shared.join("corpora/schnitzler-briefe/letters").join(name),
                tei_all.clone(),
            ));
        }
    }
    for (file, schema) in runs {
        let text = std::fs::read_to_string(&file).expect("letter");
        let assist = SchemaAssist::new(schema.clone());
        let rejected: BTreeSet<usize> = validate_str(&*schema, &text)
            .iter()
            .filter(|d| {
                matches!(
                    d.code.id,
                    "tei::rng::unknown_element" | "tei::rng::missing_element"
                )
            })
            .map(|d| d.span.start)
            .collect();
        let mut tags = 0;
        for (at, _) in text.match_indices('<') {
            let rest = &text[at + 1..];
            let Some(first) = rest.chars().next() else {
                continue;
            };
            if !(first.is_alphabetic() || first == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            let c = assist.complete(&text, at);
            let offered = c
                .items
                .iter()
                .any(|i| i.kind == CompletionKind::Element && i.label == name);
            assert_eq!(
                offered,
                !rejected.contains(&at),
                "{}: <{name}> at byte {at}: offered {offered}, validator {}",
                file.display(),
                if rejected.contains(&at) {
                    "rejects it"
                } else {
                    "accepts it"
                }
            );
            tags += 1;
        }
        assert!(tags > 100, "{}", file.display());
    }
}
