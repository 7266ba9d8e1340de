//! Which schema validates a file, and compiling each schema once.
//!
//! Order: `--schema FILE`; else the first RELAX NG `<?xml-model href=…?>` of the file's prolog
//! when it resolves to a local file (relative to the file; a URL through the config's
//! `[schemas]` map, or by its file name in a folder of `TEIKIT_SCHEMA_PATH`); else the
//! embedded default.

use super::{Options, SchemaChoice};
use crate::check::{AttrKind, AttributeTypes, TeiPointerAttributes};
use crate::relaxng::{AttributeKind, Schema, SchemaError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The embedded default schema (teikit's TEI customisation for correspondence).
pub const EMBEDDED_SCHEMA: &str = include_str!("../../schema/tei-corresp.rng");
/// How reports name the embedded schema.
pub const EMBEDDED_NAME: &str = "embedded tei-corresp.rng";

/// The RELAX NG namespace, as `schematypens` names it.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// Where a file's schema comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SchemaSource {
    /// A schema file.
    File(PathBuf),
    /// No grammar step.
    Skip,
    /// The embedded default, `schema/tei-corresp.rng`.
    Embedded,
}

impl SchemaSource {
    /// How reports name it.
    pub fn label(&self) -> String {
        match self {
            SchemaSource::File(p) => p.to_string_lossy().replace('\\', "/"),
            SchemaSource::Skip => "none".into(),
            SchemaSource::Embedded => EMBEDDED_NAME.into(),
        }
    }
}

/// One `<?xml-model?>` of the prolog: (href, schematypens, type).
fn xml_models(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            let Some(end) = r.find("?>") else { break };
            let body = &r[..end];
            if let Some(data) = body.strip_prefix("xml-model") {
                let get = |name: &str| pseudo_attr(data, name);
                if let Some(href) = get("href") {
                    out.push((href, get("schematypens"), get("type")));
                }
            }
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            let Some(end) = r.find("-->") else { break };
            rest = &r[end + 3..];
        } else if let Some(r) = rest.strip_prefix("<!DOCTYPE") {
            // skip to the `>` that closes the declaration, past an internal subset
            let close = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => r[b..]
                    .find("]")
                    .and_then(|e| r[b + e..].find('>').map(|g2| b + e + g2)),
                (_, g) => g,
            };
            let Some(end) = close else { break };
            rest = &r[end + 1..];
        } else {
            break;
        }
    }
    out
}

fn pseudo_attr(data: &str, name: &str) -> Option<String> {
    let mut s = data;
    while let Some(i) = s.find(name) {
        let before_ok = i == 0 || s[..i].ends_with(char::is_whitespace);
        let after = s[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let v = &v[1..];
                    return Some(v[..v.find(q)?].to_string());
                }
            }
        }
        s = &s[i + name.len()..];
    }
    None
}

/// Chooses the schema for one file; the note explains a fallback ("xml-model … not found").
pub fn choose(text: &str, file: &Path, options: &Options) -> (SchemaSource, Option<String>) {
    match &options.schema {
        SchemaChoice::File(p) => return (SchemaSource::File(p.clone()), None),
        SchemaChoice::Skip => return (SchemaSource::Skip, None),
        SchemaChoice::Auto => {}
    }
    let mut note = None;
    for (href, typens, ty) in xml_models(text) {
        if href.ends_with(".rnc") {
            note = Some(format!(
                "xml-model `{href}` is RELAX NG compact syntax, which teikit does not read"
            ));
            continue;
        }
        let is_rng = match typens.as_deref() {
            Some(ns) => ns == RNG_NS,
            None => href.ends_with(".rng") && xml_type(ty.as_deref()),
        };
        if !is_rng {
            continue;
        }
        if let Some(p) = resolve_href(&href, file, options) {
            return (SchemaSource::File(p), None);
        }
        note = Some(format!(
            "xml-model `{href}` does not resolve to a local file"
        ));
    }
    (SchemaSource::Embedded, note)
}

fn xml_type(t: Option<&str>) -> bool {
    matches!(t, None | Some("application/xml") | Some("text/xml"))
}

fn resolve_href(href: &str, file: &Path, options: &Options) -> Option<PathBuf> {
    let is_url = href.contains("://");
    if !is_url {
        let p = file
            .parent()
            .unwrap_or(Path::new(""))
            .join(href.strip_prefix("file:").unwrap_or(href));
        return p.is_file().then_some(p);
    }
    if let Some(p) = options.config.schemas.get(href) {
        return p.is_file().then(|| p.clone());
    }
    let name = href.rsplit('/').next().filter(|n| !n.is_empty())?;
    let dirs = std::env::var_os("TEIKIT_SCHEMA_PATH")?;
    std::env::split_paths(&dirs)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The text of a schema file for a report on it (its snippets): only a regular file, and
/// only within the schema size limit (a device or FIFO given as `--schema` is never opened).
pub(crate) fn read_schema_text(path: &Path, limits: &crate::limit::Limits) -> Option<String> {
    use crate::relaxng::Resolver;
    crate::relaxng::FsResolver
        .load_at_most(path, limits.schema_size)
        .ok()
}

type Slot = Arc<OnceLock<Result<Arc<Schema>, Arc<SchemaError>>>>;

/// The path as first given (for reports) and its compiled schema.
type Entry = (PathBuf, Slot);

/// Compiled schemas by path, each compiled once even when files ask in parallel.
#[derive(Default)]
pub struct SchemaCache {
    slots: Mutex<HashMap<PathBuf, Entry>>,
    embedded: Slot,
    limits: crate::limit::Limits,
}

impl SchemaCache {
    /// An empty cache whose schemas are read under `limits` (size and depth).
    pub fn with_limits(limits: crate::limit::Limits) -> Self {
        SchemaCache {
            limits,
            ..SchemaCache::default()
        }
    }

    /// The compiled schema at `path`.
    pub fn get(&self, path: &Path) -> Result<Arc<Schema>, Arc<SchemaError>> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let slot = {
            let mut m = match self.slots.lock() {
                Ok(m) => m,
                Err(p) => p.into_inner(),
            };
            Arc::clone(
                &m.entry(key)
                    .or_insert_with(|| (path.to_path_buf(), Slot::default()))
                    .1,
            )
        };
        slot.get_or_init(|| {
            Schema::from_file_with(path, &self.limits)
                .map(Arc::new)
                .map_err(Arc::new)
        })
        .clone()
    }

    /// The embedded default, compiled on first use.
    pub fn embedded(&self) -> Result<Arc<Schema>, Arc<SchemaError>> {
        self.embedded
            .get_or_init(|| {
                // the embedded schema includes nothing, so no file is ever read for it
                Schema::from_str_with(
                    EMBEDDED_SCHEMA,
                    EMBEDDED_NAME,
                    &crate::relaxng::FsResolver,
                    &self.limits,
                )
                .map(Arc::new)
                .map_err(Arc::new)
            })
            .clone()
    }

    /// Every schema that failed, with its path.
    pub fn failures(&self) -> Vec<(PathBuf, Arc<SchemaError>)> {
        let m = match self.slots.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        let mut v: Vec<_> = m
            .values()
            .filter_map(|(p, s)| match s.get() {
                Some(Err(e)) => Some((p.clone(), Arc::clone(e))),
                _ => None,
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(Err(e)) = self.embedded.get() {
            v.insert(0, (PathBuf::from(EMBEDDED_NAME), Arc::clone(e)));
        }
        v
    }
}

/// Pointer attributes as a compiled schema types them, plus the TEI `data.pointer` attributes
/// of TEI elements the schema does not type (a strict customisation that does not declare an
/// attribute, or an element, still has its TEI pointers checked).
pub struct SchemaTypes<'a>(pub &'a Schema);

impl AttributeTypes for SchemaTypes<'_> {
    fn kind(&self, elem_ns: &str, elem_local: &str, attr_ns: &str, attr_local: &str) -> AttrKind {
        match self
            .0
            .attribute_kind(elem_ns, elem_local, attr_ns, attr_local)
        {
            AttributeKind::Pointer => AttrKind::Pointer,
            AttributeKind::Id => AttrKind::Id,
            AttributeKind::Idref => AttrKind::Idref,
            AttributeKind::Idrefs => AttrKind::Idrefs,
            AttributeKind::Other if crate::check::is_tei(elem_ns) => {
                TeiPointerAttributes.kind(elem_ns, elem_local, attr_ns, attr_local)
            }
            AttributeKind::Other => AttrKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rng_xml_models_in_the_prolog() {
        let t = "<?xml version=\"1.0\"?>\n<!-- c -->\n<?xml-model href=\"x.sch\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n<?xml-model href='tei.rng' type=\"application/xml\"?><TEI/>";
        let m = xml_models(t);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].0, "tei.rng");
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("tei.rng"), "<grammar/>").unwrap();
        let f = d.path().join("a.xml");
        let (src, note) = choose(t, &f, &Options::default());
        assert_eq!(src, SchemaSource::File(d.path().join("tei.rng")));
        assert_eq!(note, None);
        let (src, note) = choose(
            "<?xml-model href=\"https://example.org/none.rng\"?><TEI/>",
            &f,
            &Options::default(),
        );
        assert_eq!(src, SchemaSource::Embedded);
        assert!(note.unwrap().contains("none.rng"));
    }
}
