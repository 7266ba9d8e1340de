//! James Clark's compact-syntax suite (`compacttest.xml`): every `compact/incorrect` schema
//! (and the one `bug` entry) must fail to load; every `compact/correct` schema must be read
//! without a compact-syntax error and mean what its `xml/correct` translation means.
//!
//! "Means the same" is checked after simplification: when the XML translation compiles, both
//! grammars must be equal up to the order of choices and interleaves and the numbering of
//! elements (a canonical rendering, refined round by round as in a Weisfeiler-Lehman test,
//! compares them); when the translation does not compile (the suite also tests the syntax of
//! schemas that are not complete, such as a lone `ref`), the compact schema must fail with the
//! same diagnostic codes. One translation names an included `x.rng` the suite does not hold
//! (the translation of its `x.rnc`); there only the first requirement applies.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use teikit::relaxng::pattern::{NameClass, Pattern, PatternId, PatternStore};
use teikit::relaxng::{Schema, SchemaError};

use super::{collect_resources, element_child, xfails, MemResolver, Score};

/// The codes of a schema error, sorted.
fn codes(e: &SchemaError) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = e.diagnostics.iter().map(|d| d.diagnostic.code.id).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A name class in canonical form (choices flattened and sorted).
fn render_nc(nc: &NameClass) -> String {
    fn leaves<'a>(nc: &'a NameClass, out: &mut Vec<&'a NameClass>) {
        match nc {
            NameClass::Choice(a, b) => {
                leaves(a, out);
                leaves(b, out);
            }
            other => out.push(other),
        }
    }
    let mut items = Vec::new();
    leaves(nc, &mut items);
    let mut parts: Vec<String> = items
        .into_iter()
        .map(|n| match n {
            NameClass::Name { ns, local } => format!("{{{ns}}}{local}"),
            NameClass::AnyName(e) => {
                format!("*{}", e.as_deref().map(render_nc).unwrap_or_default())
            }
            NameClass::NsName(ns, e) => {
                format!(
                    "{{{ns}}}*{}",
                    e.as_deref().map(render_nc).unwrap_or_default()
                )
            }
            NameClass::Choice(..) => unreachable!("flattened"),
        })
        .collect();
    parts.sort();
    parts.dedup();
    format!("({})", parts.join("|"))
}

/// Renders patterns of one schema with the current labels of its elements.
struct Canon<'s> {
    schema: &'s Schema,
    labels: Vec<u64>,
    memo: HashMap<PatternId, String>,
}

impl Canon<'_> {
    fn render(&mut self, p: PatternId) -> String {
        if let Some(s) = self.memo.get(&p) {
            return s.clone();
        }
        let g = self.schema.grammar();
        let pat = g.patterns.get(p).clone();
        let s = match pat {
            Pattern::Empty => "empty".to_string(),
            Pattern::NotAllowed => "notAllowed".to_string(),
            Pattern::Text => "text".to_string(),
            Pattern::Choice(..) | Pattern::Interleave(..) | Pattern::Group(..) => {
                let (op, sorted) = match pat {
                    Pattern::Choice(..) => ("|", true),
                    Pattern::Interleave(..) => ("&", true),
                    _ => (",", false),
                };
                let mut items = Vec::new();
                self.flatten(p, &pat, &mut items);
                let mut parts: Vec<String> = items.into_iter().map(|i| self.render(i)).collect();
                if sorted {
                    parts.sort();
                }
                format!("({})", parts.join(op))
            }
            Pattern::OneOrMore(a) => format!("{}+", self.render(a)),
            Pattern::List(a) => format!("list{{{}}}", self.render(a)),
            Pattern::Attribute(nc, a) => format!("@{}{{{}}}", render_nc(&nc), self.render(a)),
            Pattern::Element(e) => format!("E{:x}", self.labels[e as usize]),
            Pattern::Data(dt, except) => {
                let e = except
                    .map(|x| format!("-{}", self.render(x)))
                    .unwrap_or_default();
                format!("data{:?}{e}", g.datatypes[dt as usize])
            }
            Pattern::Value(dt, v) => {
                format!(
                    "value{:?}={:?}",
                    g.datatypes[dt as usize], g.values[v as usize]
                )
            }
            Pattern::After(..) => unreachable!("only validation builds After"),
        };
        self.memo.insert(p, s.clone());
        s
    }

    /// The operands of a run of the same associative operator.
    fn flatten(&self, p: PatternId, kind: &Pattern, out: &mut Vec<PatternId>) {
        let g = self.schema.grammar();
        let same = |q: &Pattern| std::mem::discriminant(q) == std::mem::discriminant(kind);
        match g.patterns.get(p) {
            Pattern::Choice(a, b) | Pattern::Interleave(a, b) | Pattern::Group(a, b)
                if same(g.patterns.get(p)) =>
            {
                self.flatten(*a, kind, out);
                self.flatten(*b, kind, out);
            }
            _ => out.push(p),
        }
    }

    /// One refinement round: each element's label from its name and content.
    fn refine(&mut self) {
        let g = self.schema.grammar();
        let mut next = Vec::with_capacity(g.elements.len());
        for e in &g.elements {
            let mut h = DefaultHasher::new();
            render_nc(&e.name).hash(&mut h);
            self.render(e.content).hash(&mut h);
            next.push(h.finish());
        }
        self.labels = next;
        self.memo.clear();
    }
}

/// The start pattern of `schema` rendered after `rounds` refinements.
fn canonical(schema: &Schema, rounds: usize) -> String {
    let mut c = Canon {
        schema,
        labels: vec![0; schema.grammar().elements.len()],
        memo: HashMap::new(),
    };
    for _ in 0..rounds {
        c.refine();
    }
    c.render(schema.grammar().start)
}

/// Runs the suite at `path`; check ids are `compacttest#NNN schema`.
pub fn run(path: &Path) -> Score {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc =
        roxmltree::Document::parse(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let suite = "compacttest";
    let xfail = xfails(suite);
    let mut seen_xfail = Vec::new();
    let mut score = Score::default();
    let cases = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testCase") || n.has_tag_name("bug"));
    for (i, case) in cases.enumerate() {
        let n = i + 1;
        let dir = PathBuf::from(format!("/conformance/{suite}/{n:03}"));
        let Some(compact) = case.children().find(|c| c.has_tag_name("compact")) else {
            continue;
        };
        let xml = case.children().find(|c| c.has_tag_name("xml"));
        let mut files = HashMap::new();
        collect_resources(compact, &raw, &dir, &mut files);
        if let Some(x) = xml {
            collect_resources(x, &raw, &dir, &mut files);
        }
        let resolver = MemResolver { files };
        let Some(shape) = compact
            .children()
            .find(|c| c.has_tag_name("correct") || c.has_tag_name("incorrect"))
        else {
            continue;
        };
        let correct = shape.has_tag_name("correct");
        let text: String = shape.children().filter_map(|t| t.text()).collect();
        let rnc_path = dir.join(if correct { "c.rnc" } else { "i.rnc" });
        let loaded = Schema::from_str(&text, &rnc_path, &resolver);
        let id = format!("{suite}#{n:03} schema");
        let verdict: Result<(), String> = if !correct {
            match &loaded {
                Err(_) => Ok(()),
                Ok(_) => Err(format!("incorrect schema accepted:\n{text}")),
            }
        } else {
            let translation = xml
                .and_then(|x| x.children().find(|c| c.has_tag_name("correct")))
                .and_then(element_child)
                .map(|e| &raw[e.range()]);
            compare(&loaded, translation, &dir, &resolver, &text)
        };
        score.checks += 1;
        match (verdict, xfail.contains_key(&id)) {
            (Ok(()), false) => score.passed += 1,
            (Err(_), true) => {
                score.xfail += 1;
                seen_xfail.push(id);
            }
            (Ok(()), true) => {
                seen_xfail.push(id.clone());
                score.unexpected_passes.push(id);
            }
            (Err(why), false) => score.failures.push(format!("{id}: {why}")),
        }
    }
    for id in xfail.keys() {
        if !seen_xfail.contains(id) {
            score
                .unexpected_passes
                .push(format!("{id} (listed in the README but no such check)"));
        }
    }
    score
}

/// Whether the compact schema `loaded` means what its XML `translation` means.
fn compare(
    loaded: &Result<Schema, SchemaError>,
    translation: Option<&str>,
    dir: &Path,
    resolver: &MemResolver,
    text: &str,
) -> Result<(), String> {
    if let Err(e) = loaded {
        if e.diagnostics
            .iter()
            .any(|d| d.diagnostic.code.id == "tei::rng::compact_syntax")
        {
            return Err(format!("correct compact schema not read: {e}\n{text}"));
        }
    }
    let Some(translation) = translation else {
        return loaded.as_ref().map(|_| ()).map_err(|e| e.to_string());
    };
    let xml = Schema::from_str(translation, dir.join("c.rng"), resolver);
    match (loaded, &xml) {
        (Ok(c), Ok(x)) => {
            let rounds = c.grammar().elements.len().max(x.grammar().elements.len()) + 1;
            let (a, b) = (canonical(c, rounds), canonical(x, rounds));
            if a == b {
                Ok(())
            } else {
                Err(format!(
                    "the compact schema differs from its XML translation after simplification:\ncompact: {a}\nxml:     {b}"
                ))
            }
        }
        (Err(c), Err(x)) => {
            let missing = codes(x) == ["tei::rng::schema_not_found"];
            if missing || codes(c) == codes(x) {
                Ok(())
            } else {
                Err(format!(
                    "both fail, with other codes:\ncompact: {c}\nxml:     {x}"
                ))
            }
        }
        (Ok(_), Err(x)) => Err(format!(
            "the compact schema compiles, its XML translation does not: {x}"
        )),
        (Err(c), Ok(_)) => Err(format!(
            "the compact schema fails, its XML translation compiles: {c}"
        )),
    }
}
