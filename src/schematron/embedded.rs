//! The Schematron a RELAX NG grammar carries (TEI ODD output): every `sch:ns`, `sch:pattern`,
//! `sch:let`, `sch:phase` and `sch:diagnostics` anywhere in the grammar and in the grammars it
//! includes (`include`, `externalRef`), in document order; a `sch:rule` outside any pattern
//! becomes a pattern of its own. The result is one `sch:schema` (queryBinding `xslt2`, as the
//! TEI's rules are written). A grammar in compact syntax (`.rnc`) carries the same elements as
//! annotations (`sch:pattern [ … ]`, as trang writes them): the compact parser keeps them
//! ([`crate::relaxng::schematron_annotations`]) and they run exactly as from the `.rng`.

use super::dom::{self, El, Node, RNG_NS, SCH_NS};
use super::SchemaProblem;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded rules of the grammar at `path` as one `sch:schema` element, or `None` when it
/// has none.
pub fn extract(path: &Path) -> Result<Option<El>, SchemaProblem> {
    let mut seen = vec![canonical(path)];
    let root = if crate::relaxng::is_compact(path) {
        compact(path, &mut seen)?
    } else {
        dom::load_grammar(path)?
    };
    let mut found = Vec::new();
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

/// The Schematron annotations of a compact-syntax grammar (and the compact files it includes)
/// under one element that stands for the grammar, followed by the XML-syntax grammars it
/// includes (whose `sch:` elements [`collect`] finds); every file the grammar read goes into
/// `seen`, so none is read twice. A grammar that does not read is the RELAX NG compiler's to
/// report: its annotations read so far are kept.
fn compact(path: &Path, seen: &mut Vec<PathBuf>) -> Result<El, SchemaProblem> {
    use crate::relaxng::Resolver as _;
    let limits = crate::limit::Limits::default();
    let text = crate::relaxng::FsResolver
        .load_at_most(path, limits.schema_size)
        .map_err(|e| {
            SchemaProblem::at(None, path, format!("cannot read {}: {e}", path.display()))
        })?;
    let (found, files, _errors) =
        crate::relaxng::schematron_annotations(&text, path, &crate::relaxng::FsResolver, &limits);
    let mut children: Vec<Node> = found
        .into_iter()
        .map(|f| Node::Element(element(f)))
        .collect();
    let mut xml = Vec::new();
    for f in files {
        let key = canonical(&f);
        if !seen.contains(&key) {
            seen.push(key);
            if !crate::relaxng::is_compact(&f) {
                xml.push(f);
            }
        }
    }
    for f in xml {
        // the compiler read it; one it could not is the compiler's to report
        if let Ok(grammar) = dom::load(&f) {
            children.push(Node::Element(grammar));
        }
    }
    let at = dom::Origin {
        file: Arc::new(path.to_path_buf()),
        line: 1,
        column: 1,
    };
    Ok(El {
        ns: RNG_NS.into(),
        name: "grammar".into(),
        attrs: Vec::new(),
        scope: Arc::new(Vec::new()),
        children,
        at,
    })
}

/// A kept annotation element as a schema tree element.
fn element(f: crate::relaxng::Foreign) -> El {
    El {
        ns: f.ns,
        name: f.local,
        attrs: f.attrs,
        scope: Arc::new(f.scope),
        at: dom::Origin {
            file: Arc::new(f.file.to_path_buf()),
            line: f.line,
            column: f.column,
        },
        children: f
            .children
            .into_iter()
            .map(|c| match c {
                crate::relaxng::ForeignNode::Text(t) => Node::Text(t),
                crate::relaxng::ForeignNode::Element(e) => Node::Element(element(e)),
            })
            .collect(),
    }
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
                        let inc = if crate::relaxng::is_compact(&target) {
                            compact(&target, seen)?
                        } else {
                            dom::load_grammar(&target)?
                        };
                        collect(&inc, out, seen)?;
                    }
                }
            }
        }
        collect(c, out, seen)?;
    }
    Ok(())
}
