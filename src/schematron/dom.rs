//! An owned element tree of a schema file, with `sch:include` expanded in place and every element
//! remembering its file, line and column (for diagnostics that point into the schema).
//!
//! Includes are resolved against the including file, read from disk only (never a URL), at most
//! [`MAX_INCLUDE_DEPTH`] deep, and a file that includes itself (directly or not) is refused.

use super::SchemaProblem;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The ISO Schematron namespace.
pub const SCH_NS: &str = "http://purl.oclc.org/dsdl/schematron";
/// The XSLT namespace (`xsl:key`, `xsl:function` in a schema).
pub const XSL_NS: &str = "http://www.w3.org/1999/XSL/Transform";
/// The RELAX NG namespace.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// How deep includes may nest.
pub const MAX_INCLUDE_DEPTH: usize = 32;

/// Where something is in a schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (as the user named it, or an include resolved against it).
    pub file: Arc<PathBuf>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Element(El),
    /// Character data.
    Text(String),
}

/// An element.
#[derive(Debug, Clone)]
pub struct El {
    /// Namespace URI (`""` for none).
    pub ns: String,
    /// Local name.
    pub name: String,
    /// Attributes: (namespace, local name, value).
    pub attrs: Vec<(String, String, String)>,
    /// The prefixed namespace declarations in scope (innermost last).
    pub scope: Arc<Vec<(String, String)>>,
    /// Children in order.
    pub children: Vec<Node>,
    /// Where the start tag is.
    pub at: Origin,
}

impl El {
    /// An attribute without namespace.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(ns, n, _)| ns.is_empty() && n == name)
            .map(|(_, _, v)| v.as_str())
    }

    /// Whether this is the Schematron element `name`.
    pub fn is_sch(&self, name: &str) -> bool {
        self.ns == SCH_NS && self.name == name
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The string value (all text below).
    pub fn text(&self) -> String {
        let mut s = String::new();
        fn walk(e: &El, s: &mut String) {
            for c in &e.children {
                match c {
                    Node::Text(t) => s.push_str(t),
                    Node::Element(e) => walk(e, s),
                }
            }
        }
        walk(self, &mut s);
        s
    }
}

/// Reads a schema file into an owned tree, expanding `sch:include`.
pub fn load(path: &Path) -> Result<El, SchemaProblem> {
    let mut stack = Vec::new();
    load_file(path, None, &mut stack, None)
}

/// Reads a RELAX NG grammar for the Schematron it embeds: the same tree as [`load`], pruned to
/// what [`super::embedded`] reads. Schematron elements are kept whole (`sch:include` expanded);
/// of the grammar's own elements only those on the way to one, and the `include` and
/// `externalRef` elements (with their attributes), are kept, without their text. A grammar
/// such as `tei_all.rng` (1 MB, a few hundred Schematron elements) then costs a parse, not an
/// owned copy of every element.
pub fn load_grammar(path: &Path) -> Result<El, SchemaProblem> {
    let mut stack = Vec::new();
    load_file_as(path, None, &mut stack, None, true)
}

/// Reads schema text (named `label` in diagnostics, includes resolved against `base`).
pub fn load_str(text: &str, label: &Path) -> Result<El, SchemaProblem> {
    let mut stack = vec![canonical(label)];
    parse_text(text, label, None, &mut stack, false)
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn load_file(
    path: &Path,
    fragment: Option<&str>,
    stack: &mut Vec<PathBuf>,
    from: Option<&Origin>,
) -> Result<El, SchemaProblem> {
    load_file_as(path, fragment, stack, from, false)
}

fn load_file_as(
    path: &Path,
    fragment: Option<&str>,
    stack: &mut Vec<PathBuf>,
    from: Option<&Origin>,
    grammar: bool,
) -> Result<El, SchemaProblem> {
    let key = canonical(path);
    if stack.contains(&key) {
        let chain: Vec<String> = stack
            .iter()
            .chain(std::iter::once(&key))
            .map(|p| {
                // file names: the folders are the reader's own (and differ between machines)
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect();
        return Err(SchemaProblem::at(
            from,
            path,
            format!("include loop: {}", chain.join(" → ")),
        ));
    }
    if stack.len() >= MAX_INCLUDE_DEPTH {
        return Err(SchemaProblem::at(
            from,
            path,
            format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files"),
        ));
    }
    let text = read_text(path).map_err(|m| SchemaProblem::at(from, path, m))?;
    stack.push(key);
    let r = parse_text(&text, path, fragment, stack, grammar);
    stack.pop();
    r
}

/// The decoded text of a schema file: read only when it is a regular file within the schema
/// size limit (never a device or FIFO), in the encoding it declares.
fn read_text(path: &Path) -> Result<String, String> {
    let max = crate::limit::Limits::default().schema_size;
    let bytes = crate::fsutil::read_regular(path, max)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::xml::decode(&bytes)
        .map(|d| d.text.into_owned())
        .map_err(|d| d.message)
}

fn parse_text(
    text: &str,
    path: &Path,
    fragment: Option<&str>,
    stack: &mut Vec<PathBuf>,
    grammar: bool,
) -> Result<El, SchemaProblem> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let p = e.pos();
        SchemaProblem {
            at: Origin {
                file: Arc::new(path.to_path_buf()),
                line: p.row,
                column: p.col,
            },
            message: format!("not well-formed: {e}"),
        }
    })?;
    let file = Arc::new(path.to_path_buf());
    // positions from a line index: roxmltree's text_pos_at scans from the start each time
    let lines = crate::source::LineIndex::new(text);
    let at = |offset: usize| {
        let (line, column) = lines.line_col(text, offset);
        Origin {
            file: Arc::clone(&file),
            line,
            column,
        }
    };
    let root = match fragment {
        None => doc.root_element(),
        Some(id) => doc
            .descendants()
            .find(|n| n.is_element() && n.attribute("id") == Some(id))
            .ok_or_else(|| SchemaProblem {
                at: Origin {
                    file: Arc::clone(&file),
                    line: 1,
                    column: 1,
                },
                message: format!("no element with id `{id}` in {}", path.display()),
            })?,
    };
    if grammar {
        return Ok(pruned(root, &at, stack)?.unwrap_or_else(|| shallow(root, &at)));
    }
    convert(root, &at, stack)
}

/// An element with its attributes and scope, without children.
fn shallow(node: roxmltree::Node, origin: &dyn Fn(usize) -> Origin) -> El {
    El {
        ns: node.tag_name().namespace().unwrap_or("").to_string(),
        name: node.tag_name().name().to_string(),
        attrs: node
            .attributes()
            .map(|a| {
                (
                    a.namespace().unwrap_or("").to_string(),
                    a.name().to_string(),
                    a.value().to_string(),
                )
            })
            .collect(),
        scope: Arc::new(
            node.namespaces()
                .filter_map(|n| n.name().map(|p| (p.to_string(), n.uri().to_string())))
                .collect(),
        ),
        children: Vec::new(),
        at: origin(node.range().start),
    }
}

/// A grammar element pruned as [`load_grammar`] says: `None` when nothing below it matters.
fn pruned(
    node: roxmltree::Node,
    origin: &dyn Fn(usize) -> Origin,
    stack: &mut Vec<PathBuf>,
) -> Result<Option<El>, SchemaProblem> {
    let tag = node.tag_name();
    if tag.namespace() == Some(SCH_NS) {
        return convert(node, origin, stack).map(Some);
    }
    let mut children = Vec::new();
    for c in node.children().filter(|c| c.is_element()) {
        if let Some(e) = pruned(c, origin, stack)? {
            children.push(Node::Element(e));
        }
    }
    let reference =
        tag.namespace() == Some(RNG_NS) && matches!(tag.name(), "include" | "externalRef");
    if children.is_empty() && !reference {
        return Ok(None);
    }
    let mut el = shallow(node, origin);
    el.children = children;
    Ok(Some(el))
}

fn convert(
    node: roxmltree::Node,
    origin: &dyn Fn(usize) -> Origin,
    stack: &mut Vec<PathBuf>,
) -> Result<El, SchemaProblem> {
    let mut el = shallow(node, origin);
    for c in node.children() {
        if c.is_text() {
            el.children
                .push(Node::Text(c.text().unwrap_or("").to_string()));
        } else if c.is_element() {
            let is_include =
                c.tag_name().namespace() == Some(SCH_NS) && (c.tag_name().name() == "include");
            if is_include {
                let child = convert(c, origin, stack)?;
                el.children.push(Node::Element(include(&child, stack)?));
            } else {
                el.children.push(Node::Element(convert(c, origin, stack)?));
            }
        }
    }
    Ok(el)
}

/// The element an `sch:include` stands for.
fn include(inc: &El, stack: &mut Vec<PathBuf>) -> Result<El, SchemaProblem> {
    let Some(href) = inc.attr("href") else {
        return Err(SchemaProblem {
            at: inc.at.clone(),
            message: "sch:include has no @href".into(),
        });
    };
    let (file, fragment) = match href.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (href, None),
    };
    if file.contains("://") && !file.starts_with("file://") {
        return Err(SchemaProblem {
            at: inc.at.clone(),
            message: format!(
                "sch:include of `{href}`: only local files are read, never the network"
            ),
        });
    }
    let file = file.strip_prefix("file://").unwrap_or(file);
    let base = inc.at.file.parent().unwrap_or(Path::new(""));
    let target = if file.is_empty() {
        inc.at.file.to_path_buf()
    } else {
        base.join(file)
    };
    if file.is_empty() {
        // a fragment of the same file: read it again (the stack refuses a loop through it)
        let text = read_text(&target).map_err(|message| SchemaProblem {
            at: inc.at.clone(),
            message,
        })?;
        return parse_text(&text, &target, fragment, stack, false);
    }
    load_file(&target, fragment, stack, Some(&inc.at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_loops_are_refused_with_the_chain() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.sch");
        let b = d.path().join("b.sch");
        std::fs::write(
            &a,
            format!("<schema xmlns='{SCH_NS}'><include href='b.sch'/></schema>"),
        )
        .unwrap();
        std::fs::write(
            &b,
            format!("<pattern xmlns='{SCH_NS}'><include href='a.sch'/></pattern>"),
        )
        .unwrap();
        let e = load(&a).unwrap_err();
        assert!(e.message.contains("include loop"), "{}", e.message);
        assert!(e.message.contains("b.sch"), "{}", e.message);
        assert_eq!(e.at.line, 1);
    }

    #[test]
    fn includes_are_expanded_in_place_and_urls_refused() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.sch");
        std::fs::write(
            &a,
            format!("<schema xmlns='{SCH_NS}'>\n<include href='p.sch'/></schema>"),
        )
        .unwrap();
        std::fs::write(
            d.path().join("p.sch"),
            format!("<pattern xmlns='{SCH_NS}' id='p'/>"),
        )
        .unwrap();
        let el = load(&a).unwrap();
        let p = el.elements().next().unwrap();
        assert!(p.is_sch("pattern"));
        assert_eq!(p.attr("id"), Some("p"));
        std::fs::write(
            &a,
            format!(
                "<schema xmlns='{SCH_NS}'><include href='https://example.org/p.sch'/></schema>"
            ),
        )
        .unwrap();
        assert!(load(&a).unwrap_err().message.contains("never the network"));
    }
}
