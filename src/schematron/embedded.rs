//! The Schematron a RELAX NG grammar carries (TEI ODD output): every `sch:ns`, `sch:pattern`,
//! `sch:let`, `sch:phase` and `sch:diagnostics` anywhere in the grammar and in the grammars it
//! includes (`include`, `externalRef`), in document order; a `sch:rule` outside any pattern
//! becomes a pattern of its own. The result is one `sch:schema` (queryBinding `xslt2`, as the
//! TEI's rules are written).

use super::dom::{self, El, Node, RNG_NS, SCH_NS};
use super::SchemaProblem;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded rules of the grammar at `path` as one `sch:schema` element, or `None` when it
/// has none.
pub fn extract(path: &Path) -> Result<Option<El>, SchemaProblem> {
    let root = dom::load(path)?;
    let mut found = Vec::new();
    let mut seen = vec![canonical(path)];
    collect(&root, &mut found, &mut seen)?;
    if !found.iter().any(|e| e.is_sch("pattern")) {
        return Ok(None);
    }
    Ok(Some(El {
        ns: SCH_NS.into(),
        name: "schema".into(),
        attrs: vec![(String::new(), "queryBinding".into(), "xslt2".into())],
        scope: Arc::new(Vec::new()),
        children: found.into_iter().map(Node::Element).collect(),
        at: root.at.clone(),
    }))
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn collect(e: &El, out: &mut Vec<El>, seen: &mut Vec<PathBuf>) -> Result<(), SchemaProblem> {
    for c in e.elements() {
        if c.ns == SCH_NS {
            match c.name.as_str() {
                "ns" | "pattern" | "let" | "phase" | "diagnostics" => {
                    out.push(c.clone());
                    continue;
                }
                "rule" => {
                    out.push(El {
                        ns: SCH_NS.into(),
                        name: "pattern".into(),
                        attrs: Vec::new(),
                        scope: Arc::clone(&c.scope),
                        children: vec![Node::Element(c.clone())],
                        at: c.at.clone(),
                    });
                    continue;
                }
                _ => {}
            }
        }
        if c.ns == RNG_NS && (c.name == "include" || c.name == "externalRef") {
            if let Some(href) = c.attr("href") {
                if !href.contains("://") {
                    let target = c.at.file.parent().unwrap_or(Path::new("")).join(href);
                    let key = canonical(&target);
                    // a grammar read twice (or a loop) is the RELAX NG engine's to report
                    if !seen.contains(&key) && target.is_file() {
                        seen.push(key);
                        let inc = dom::load(&target)?;
                        collect(&inc, out, seen)?;
                    }
                }
            }
        }
        collect(c, out, seen)?;
    }
    Ok(())
}
