//! Unit tests over grammars built by hand (the compiler has its own tests).

use std::collections::HashMap;

use super::*;
use crate::relaxng::pattern::{
    DatatypeId, ElementId, NameClass, Pattern, PatternId, ValueId, EMPTY, NOT_ALLOWED, TEXT,
};

/// A tiny schema: patterns interned by hand; datatype 0 = digits, 1 = any string.
#[derive(Default)]
struct TestSchema {
    patterns: Vec<Pattern>,
    index: HashMap<Pattern, PatternId>,
    elements: Vec<(NameClass, PatternId, Option<String>)>,
    values: Vec<String>,
    start: PatternId,
    /// Unique per test schema (from `1 << 63` up, apart from compiled schemas' ids).
    id: u64,
}

/// Source of [`TestSchema`] ids.
static NEXT_TEST_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 63);

impl TestSchema {
    fn new() -> Self {
        let mut s = TestSchema {
            id: NEXT_TEST_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..TestSchema::default()
        };
        for p in [Pattern::Empty, Pattern::NotAllowed, Pattern::Text] {
            s.p(p);
        }
        s
    }
    fn p(&mut self, p: Pattern) -> PatternId {
        if let Some(&id) = self.index.get(&p) {
            return id;
        }
        let id = self.patterns.len() as PatternId;
        self.patterns.push(p.clone());
        self.index.insert(p, id);
        id
    }
    fn name(local: &str) -> NameClass {
        NameClass::Name {
            ns: String::new(),
            local: local.into(),
        }
    }
    /// Declares element `local`; its content is set later with `set_content`.
    fn element(&mut self, local: &str) -> (ElementId, PatternId) {
        let e = self.elements.len() as ElementId;
        self.elements.push((Self::name(local), NOT_ALLOWED, None));
        (e, self.p(Pattern::Element(e)))
    }
    fn set_content(&mut self, e: ElementId, c: PatternId) {
        self.elements[e as usize].1 = c;
    }
    fn attr(&mut self, local: &str, v: PatternId) -> PatternId {
        self.p(Pattern::Attribute(Self::name(local), v))
    }
    fn group(&mut self, a: PatternId, b: PatternId) -> PatternId {
        self.p(Pattern::Group(a, b))
    }
    fn choice(&mut self, a: PatternId, b: PatternId) -> PatternId {
        self.p(Pattern::Choice(a, b))
    }
    fn star(&mut self, a: PatternId) -> PatternId {
        let o = self.p(Pattern::OneOrMore(a));
        self.choice(o, EMPTY)
    }
    fn value(&mut self, text: &str) -> PatternId {
        let v = self.values.len() as ValueId;
        self.values.push(text.into());
        self.p(Pattern::Value(1, v))
    }
}

impl SchemaView for TestSchema {
    fn cache_key(&self) -> u64 {
        self.id
    }
    fn pattern_count(&self) -> u32 {
        self.patterns.len() as u32
    }
    fn pattern(&self, id: PatternId) -> &Pattern {
        &self.patterns[id as usize]
    }
    fn lookup(&self, p: &Pattern) -> Option<PatternId> {
        self.index.get(p).copied()
    }
    fn start(&self) -> PatternId {
        self.start
    }
    fn element_count(&self) -> u32 {
        self.elements.len() as u32
    }
    fn element_name(&self, e: ElementId) -> &NameClass {
        &self.elements[e as usize].0
    }
    fn element_content(&self, e: ElementId) -> PatternId {
        self.elements[e as usize].1
    }
    fn element_doc(&self, e: ElementId) -> Option<&str> {
        self.elements[e as usize].2.as_deref()
    }
    fn documentation_of(&self, ns: &str, local: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.0.contains(ns, local))
            .and_then(|e| e.2.as_deref())
    }
    fn data_allows(&self, dt: DatatypeId, text: &str, _cx: &Context<'_>) -> bool {
        let t = text.trim();
        dt == 1 || (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
    }
    fn data_check(&self, dt: DatatypeId, text: &str, cx: &Context<'_>) -> Result<(), String> {
        if self.data_allows(dt, text, cx) {
            Ok(())
        } else {
            Err(format!("\"{text}\" is not made of digits"))
        }
    }
    fn data_describe(&self, dt: DatatypeId) -> String {
        if dt == 0 { "digits" } else { "string" }.into()
    }
    fn value_matches(&self, _dt: DatatypeId, v: ValueId, text: &str, _cx: &Context<'_>) -> bool {
        let norm: Vec<&str> = text.split_whitespace().collect();
        norm.join(" ") == self.values[v as usize]
    }
    fn value_text(&self, v: ValueId) -> String {
        self.values[v as usize].clone()
    }
}

/// `letter` = attribute id {digits}, attribute type {"sent"|"received"}?,
///            opener, p+, closer?
/// `opener` = text; `p` = mixed (text | hi)*; `hi` = text; `closer` = empty;
/// `num` (in p too) = data digits.
fn letter_schema() -> TestSchema {
    let mut s = TestSchema::new();
    let (letter, letter_p) = s.element("letter");
    let (opener, opener_p) = s.element("opener");
    let (p, p_p) = s.element("p");
    let (hi, hi_p) = s.element("hi");
    let (closer, closer_p) = s.element("closer");
    let (num, num_p) = s.element("num");
    s.elements[opener as usize].2 = Some("groups together dateline, byline, salutation".into());
    let digits = s.p(Pattern::Data(0, None));
    let id = s.attr("id", digits);
    let sent = s.value("sent");
    let received = s.value("received");
    let types = s.choice(sent, received);
    let type_attr = s.attr("type", types);
    let type_opt = s.choice(type_attr, EMPTY);
    let ps = s.p(Pattern::OneOrMore(p_p));
    let closer_opt = s.choice(closer_p, EMPTY);
    let body = s.group(ps, closer_opt);
    let body = s.group(opener_p, body);
    let atts = s.group(id, type_opt);
    let content = s.group(atts, body);
    s.set_content(letter, content);
    s.set_content(opener, TEXT);
    let mix = s.choice(TEXT, hi_p);
    let mix = s.choice(mix, num_p);
    let mix = s.star(mix);
    s.set_content(p, mix);
    s.set_content(hi, TEXT);
    s.set_content(closer, EMPTY);
    s.set_content(num, digits);
    s.start = letter_p;
    s
}

fn run(s: &TestSchema, xml: &str) -> Vec<Diagnostic> {
    let d = validate_str(s, xml);
    assert!(
        d.iter().all(|d| d.code.id.starts_with("tei::rng::")),
        "{d:#?}"
    );
    d
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code.id).collect()
}

#[test]
fn valid_document_has_no_diagnostics() {
    let s = letter_schema();
    let d = run(
        &s,
        "<letter id='12' type=' sent '>\n  <opener>Dear M.</opener>\n  <p>Text <hi>x</hi> \
         <num>42</num></p><p/>\n  <closer/>\n</letter>",
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn unknown_element_is_reported_once_and_its_siblings_still_checked() {
    let s = letter_schema();
    let xml = "<letter id='1'><opener/><salute>Hi</salute><p/><p>x<bad/></p></letter>";
    let d = run(&s, xml);
    assert_eq!(
        codes(&d),
        ["tei::rng::unknown_element", "tei::rng::unknown_element"],
        "{d:#?}"
    );
    assert!(
        d[0].message.contains("`salute` is not allowed anywhere"),
        "{}",
        d[0].message
    );
    assert!(d[0].message.contains("`p`"), "{}", d[0].message);
    assert_eq!(&xml[d[0].span.clone()], "<salute>");
    assert_eq!(d[0].path.as_deref(), Some("/letter/salute"));
    assert_eq!(&xml[d[1].span.clone()], "<bad/>");
}

#[test]
fn misplaced_declared_element_validates_its_content_against_its_declaration() {
    let s = letter_schema();
    // `hi` is declared (inside p), not allowed in letter; its content is still checked.
    let d = run(&s, "<letter id='1'><opener/><hi><p/></hi><p/></letter>");
    assert_eq!(
        codes(&d),
        ["tei::rng::unknown_element", "tei::rng::unknown_element"],
        "{d:#?}"
    );
    assert!(
        d[0].message.contains("`hi` is not allowed here"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message.contains("`p` is not allowed here"),
        "{}",
        d[1].message
    );
}

#[test]
fn element_too_early_names_what_is_missing() {
    let s = letter_schema();
    let d = run(&s, "<letter id='1'><p/></letter>");
    assert_eq!(codes(&d), ["tei::rng::missing_element"], "{d:#?}");
    assert!(
        d[0].message.contains("expected element `opener` first"),
        "{}",
        d[0].message
    );
    assert!(
        d[0].help.as_deref().unwrap_or("").contains("dateline"),
        "{:?}",
        d[0].help
    );
}

#[test]
fn missing_and_unknown_attributes() {
    let s = letter_schema();
    let xml = "<letter type='sent' lang='de'><opener/><p/></letter>";
    let d = run(&s, xml);
    assert_eq!(
        codes(&d),
        ["tei::rng::unknown_attribute", "tei::rng::missing_attribute"]
    );
    assert_eq!(&xml[d[0].span.clone()], "lang='de'");
    assert!(
        d[0].message.contains("expected `id` or `type`"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message.contains("lacks required attribute `id`"),
        "{}",
        d[1].message
    );
}

#[test]
fn invalid_attribute_values_say_why() {
    let s = letter_schema();
    let xml = "<letter id='x1' type='lost'><opener/><p/></letter>";
    let d = run(&s, xml);
    assert_eq!(
        codes(&d),
        ["tei::rng::invalid_attribute_value"; 2],
        "{d:#?}"
    );
    assert_eq!(&xml[d[0].span.clone()], "x1");
    assert!(
        d[0].message.contains("\"x1\" is not made of digits"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message
            .contains("expected one of `received` or `sent`"),
        "{}",
        d[1].message
    );
}

#[test]
fn incomplete_content_at_end_tag() {
    let s = letter_schema();
    let xml = "<letter id='1'><opener/></letter>";
    let d = run(&s, xml);
    assert_eq!(codes(&d), ["tei::rng::incomplete_content"], "{d:#?}");
    assert!(
        d[0].message
            .contains("`letter` is incomplete: expected element `p`"),
        "{}",
        d[0].message
    );
    assert_eq!(&xml[d[0].span.clone()], "</letter>");
}

#[test]
fn text_rules() {
    let s = letter_schema();
    // Whitespace between elements is fine; real text in element-only content is not.
    let xml = "<letter id='1'>\n <opener/> oops <p/><closer>x</closer></letter>";
    let d = run(&s, xml);
    assert_eq!(
        codes(&d),
        ["tei::rng::unexpected_text", "tei::rng::unexpected_text"],
        "{d:#?}"
    );
    assert_eq!(xml[d[0].span.clone()].trim(), "oops");
    // Typed content.
    let d = run(
        &s,
        "<letter id='1'><opener/><p><num>4x</num><num> 7 </num><num/></p></letter>",
    );
    assert_eq!(
        codes(&d),
        [
            "tei::rng::invalid_text_value",
            "tei::rng::invalid_text_value"
        ],
        "{d:#?}"
    );
    assert!(d[0].message.contains("\"4x\""), "{}", d[0].message);
    assert!(d[1].message.contains("`num` is empty"), "{}", d[1].message);
}

#[test]
fn memo_survives_across_documents() {
    let s = letter_schema();
    let xml = "<letter id='12'><opener>a</opener><p>b<hi>c</hi></p></letter>";
    let mut cache = Cache::new(&s);
    {
        let v = Validator::with_cache(&s, &mut cache);
        drop(v);
    }
    let mut counts = Vec::new();
    for _ in 0..3 {
        let mut v = Validator::with_cache(&s, &mut cache);
        assert!(crate::xml::parse(xml, &mut v, &crate::xml::ParseOptions::default()).is_empty());
        assert!(v.finish().is_empty());
        counts.push((cache.transitions(), cache.created_patterns()));
    }
    assert!(counts[0].0 > 0);
    assert_eq!(
        counts[0], counts[2],
        "second pass over the same document computed new transitions"
    );
}

/// The data-driven cases in `tests/cases/rng`: `NAME.xml` validated against `NAME.rng` (or the
/// folder's `letter.rng`) must give exactly the lines of `NAME.expected`
/// (`line:col code: message`, then `  help: ...` where there is help). Set `TEIKIT_BLESS=1`
/// to write missing expectations (the test still fails for them). When jing is installed
/// (required with `TEIKIT_REQUIRE_ORACLES=1`), each case's verdict must equal jing's and each
/// jing error line must be a line one of our diagnostics covers.
#[test]
fn cases_in_tests_cases_rng() {
    use crate::source::LineIndex;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/rng");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/cases/rng exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".xml").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "cases missing in {}", dir.display());
    let jing = oracle("jing");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    let mut failures = Vec::new();
    for name in &names {
        if !readme.contains(&format!("`{name}`")) {
            failures.push(format!("{name}: no line in tests/cases/rng/README.md"));
        }
        let xml_path = dir.join(format!("{name}.xml"));
        let own = dir.join(format!("{name}.rng"));
        let rng = if own.exists() {
            own
        } else {
            dir.join("letter.rng")
        };
        let schema = match crate::relaxng::Schema::from_file(&rng) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: schema: {e}"));
                continue;
            }
        };
        let text = std::fs::read_to_string(&xml_path).expect("case readable");
        let diags = validate_str(&schema, &text);
        let index = LineIndex::new(&text);
        let mut got = String::new();
        for d in &diags {
            let (l, c) = index.line_col(&text, d.span.start);
            got.push_str(&format!("{l}:{c} {}: {}\n", d.code.id, d.message));
            if let Some(h) = &d.help {
                got.push_str(&format!("  help: {h}\n"));
            }
        }
        let exp_path = dir.join(format!("{name}.expected"));
        match std::fs::read_to_string(&exp_path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!("{name}: expected\n{want}got\n{got}")),
            Err(_) => {
                if std::env::var_os("TEIKIT_BLESS").is_some() {
                    std::fs::write(&exp_path, &got).expect("write expectation");
                }
                failures.push(format!("{name}: no {name}.expected; got\n{got}"));
            }
        }
        if let Some(jing) = &jing {
            let out = std::process::Command::new(jing)
                .arg(&rng)
                .arg(&xml_path)
                .output()
                .expect("jing runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let jing_lines: Vec<u32> = stdout
                .lines()
                .filter(|l| l.contains(": error: ") || l.contains(": fatal: "))
                .filter_map(|l| {
                    let rest = l.rsplit_once(".xml:")?.1;
                    rest.split(':').next()?.parse().ok()
                })
                .collect();
            if jing_lines.is_empty() != diags.is_empty() {
                failures.push(format!("{name}: verdict differs from jing's:\n{stdout}"));
            }
            for jl in jing_lines {
                let covered = diags.iter().any(|d| {
                    std::iter::once(&d.span)
                        .chain(d.labels.iter().map(|l| &l.span))
                        .any(|s| {
                            let (a, b) = line_range(&text, s);
                            a <= jl && jl <= b
                        })
                });
                if !covered {
                    failures.push(format!(
                        "{name}: jing reports line {jl}, we do not:\n{stdout}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The path of an oracle tool, or None (skip) unless `TEIKIT_REQUIRE_ORACLES=1`.
fn oracle(tool: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("TEIKIT_REQUIRE_ORACLES").is_none_or(|v| v != "1"),
            "{tool} is required (TEIKIT_REQUIRE_ORACLES=1) but not installed"
        );
        println!("skipped: {tool} not installed");
    }
    found
}
