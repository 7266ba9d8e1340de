//! The workspace: every `*.xml` file under the workspace folders and every register file,
//! indexed ([`FileIndex`]); the validation options, registers and schema cache in force; and
//! pointer resolution across files (definition, references, rename, completion).

use super::index::{FileIndex, IdDef, PointerUse};
use super::settings::Settings;
use crate::check::Registers;
use crate::validate::{Options, Workbench};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What a pointer leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The file.
    pub path: PathBuf,
    /// The id in it (`None`: the file itself).
    pub id: Option<String>,
}

/// The indexed workspace and the validation set-up.
pub struct Workspace {
    /// The workspace folders.
    pub roots: Vec<PathBuf>,
    /// The settings in force.
    pub settings: Settings,
    /// The validation options (from the settings and `teikit.toml`).
    pub options: Arc<Options>,
    /// Compiled schemas, kept across edits.
    pub workbench: Arc<Workbench>,
    /// The registers' ids and persons, as validation uses them.
    pub registers: Arc<Registers>,
    /// The register files (normalised paths).
    pub register_files: Vec<PathBuf>,
    /// What could not be set up (a bad `teikit.toml`, an unreadable register), said to the
    /// user once.
    pub problems: Vec<String>,
    files: HashMap<PathBuf, Arc<FileIndex>>,
}

/// `path` absolute with `.` and `..` resolved by name: one key per file however it is named.
pub fn normalise(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A file's decoded text from disk.
pub fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    crate::xml::decode(&bytes).ok().map(|d| d.text.into_owned())
}

impl Workspace {
    /// Sets up and indexes the workspace: `open` gives the text of documents the editor has
    /// open (their buffers win over the disk).
    pub fn load(
        roots: Vec<PathBuf>,
        settings: Settings,
        open: &(dyn Fn(&Path) -> Option<String> + Sync),
    ) -> Workspace {
        let mut problems = Vec::new();
        let options = match settings.options(roots.first().map(PathBuf::as_path)) {
            Ok(o) => o,
            Err(e) => {
                problems.push(e);
                // the settings without the config file that failed
                let mut s = settings.clone();
                s.config = None;
                s.options(None).unwrap_or_default()
            }
        };
        let mut register_files: Vec<PathBuf> = options
            .config
            .registers
            .iter()
            .chain(&options.registers)
            .map(|p| normalise(p))
            .collect();
        register_files.dedup();
        let workbench = Workbench::new(&roots, &options);
        let mut ws = Workspace {
            roots,
            settings,
            options: Arc::new(options),
            workbench: Arc::new(workbench),
            registers: Arc::new(Registers::new()),
            register_files,
            problems,
            files: HashMap::new(),
        };
        ws.reload_registers(open);
        let mut paths: Vec<PathBuf> =
            crate::validate::walk::expand(&ws.roots, &ws.options.config.ignore)
                .into_iter()
                .filter_map(|i| match i {
                    crate::validate::walk::Input::File(p, _) => Some(normalise(&p)),
                    crate::validate::walk::Input::Missing(..) => None,
                })
                .collect();
        paths.extend(ws.register_files.iter().cloned());
        paths.sort();
        paths.dedup();
        let registers = &ws.registers;
        let limits = ws.options.config.limits;
        let indexed: Vec<(PathBuf, FileIndex)> = paths
            .into_par_iter()
            .filter_map(|p| {
                let text = open(&p).or_else(|| read_text(&p))?;
                let ix = FileIndex::build(&text, &p, registers, &limits);
                Some((p, ix))
            })
            .collect();
        ws.files = indexed.into_iter().map(|(p, i)| (p, Arc::new(i))).collect();
        ws
    }

    /// Reads the register files again (an open one from its buffer).
    pub fn reload_registers(&mut self, open: &dyn Fn(&Path) -> Option<String>) {
        let mut r = Registers::new();
        self.problems.retain(|p| !p.contains("register"));
        for p in &self.register_files {
            match open(p).or_else(|| read_text(p)) {
                Some(text) => {
                    if let Err(e) = r.add_text(&text) {
                        self.problems.push(format!(
                            "register {}: not well-formed XML: {e}",
                            p.display()
                        ));
                    }
                }
                None => self
                    .problems
                    .push(format!("register {}: cannot be read", p.display())),
            }
        }
        self.registers = Arc::new(r);
    }

    /// Whether `path` is a register file.
    pub fn is_register(&self, path: &Path) -> bool {
        self.register_files.iter().any(|r| r == path)
    }

    /// Whether `path` belongs to the workspace (under a folder, or a register).
    pub fn contains(&self, path: &Path) -> bool {
        self.is_register(path) || self.roots.iter().any(|r| path.starts_with(r))
    }

    /// The index of a file.
    pub fn file(&self, path: &Path) -> Option<&Arc<FileIndex>> {
        self.files.get(path)
    }

    /// Replaces a file's index; returns whether what other files see of it (its ids, root id
    /// and letters) changed.
    pub fn set_file(&mut self, path: PathBuf, ix: FileIndex) -> bool {
        let changed = self
            .files
            .get(&path)
            .is_none_or(|old| signature(old) != signature(&ix));
        self.files.insert(path, Arc::new(ix));
        changed
    }

    /// Forgets a file (deleted); returns whether it was known.
    pub fn remove_file(&mut self, path: &Path) -> bool {
        self.files.remove(path).is_some()
    }

    /// Every indexed file but `except`, for the cross-file step.
    pub fn others(&self, except: &Path) -> Vec<(PathBuf, Arc<FileIndex>)> {
        self.files
            .iter()
            .filter(|(p, _)| p.as_path() != except)
            .map(|(p, i)| (p.clone(), Arc::clone(i)))
            .collect()
    }

    /// Every indexed file.
    pub fn files(&self) -> impl Iterator<Item = (&PathBuf, &Arc<FileIndex>)> {
        self.files.iter()
    }

    /// What `token`, written in `from`, points to: `#id` in the file, else in a register;
    /// `file.xml#id` in that file (relative to `from`'s folder); `prefix:value` through the
    /// file's `prefixDef`s. `None` for a URL or anything unresolvable by name.
    pub fn resolve(&self, from: &Path, token: &str) -> Option<Target> {
        self.resolve_in(from, token, 0)
    }

    fn resolve_in(&self, from: &Path, token: &str, depth: u8) -> Option<Target> {
        if let Some(frag) = token.strip_prefix('#') {
            if frag.is_empty() || frag.contains('(') {
                return None;
            }
            if self.file(from).is_some_and(|f| f.id(frag).is_some()) {
                return Some(Target {
                    path: from.to_path_buf(),
                    id: Some(frag.to_string()),
                });
            }
            let reg = self
                .register_files
                .iter()
                .find(|r| self.file(r).is_some_and(|f| f.id(frag).is_some()));
            return Some(Target {
                path: reg.cloned().unwrap_or_else(|| from.to_path_buf()),
                id: Some(frag.to_string()),
            });
        }
        if let Some((scheme, _)) = token.split_once(':') {
            if depth > 0 || scheme.contains('/') {
                return None;
            }
            let expanded = self.file(from)?.expand(token)?;
            return self.resolve_in(from, &expanded, depth + 1);
        }
        let (file, frag) = match token.split_once('#') {
            Some((f, fr)) => (f, Some(fr)),
            None => (token, None),
        };
        if file.is_empty() {
            return None;
        }
        let base = from.parent().unwrap_or(Path::new(""));
        Some(Target {
            path: normalise(&base.join(file)),
            id: frag.filter(|f| !f.is_empty()).map(str::to_string),
        })
    }

    /// The definition of an id in a file.
    pub fn definition(&self, t: &Target) -> Option<&IdDef> {
        self.file(&t.path)?.id(t.id.as_deref()?)
    }

    /// Every pointer of the workspace that leads to `target`, by file.
    pub fn references(&self, target: &Target) -> Vec<(PathBuf, PointerUse)> {
        let mut out: Vec<(PathBuf, PointerUse)> = self
            .files
            .par_iter()
            .flat_map_iter(|(p, ix)| {
                ix.pointers
                    .iter()
                    .filter(|u| self.resolve(p, &u.token).as_ref() == Some(target))
                    .map(|u| (p.clone(), u.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_by(|a, b| (&a.0, a.1.span.start).cmp(&(&b.0, b.1.span.start)));
        out
    }

    /// How many files are indexed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is indexed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What other files see of one: its ids, root id and letters' dates.
fn signature(ix: &FileIndex) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut ids: Vec<&String> = ix.facts.ids.iter().collect();
    ids.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ids.hash(&mut h);
    ix.facts.root_id.hash(&mut h);
    format!("{:?}", ix.facts.letters).hash(&mut h);
    ix.ids
        .iter()
        .map(|d| &d.label)
        .collect::<Vec<_>>()
        .hash(&mut h);
    h.finish()
}
