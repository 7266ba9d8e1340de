//! What needs several files: `other.xml#id` pointers and the date order of `correspContext`
//! neighbours. Runs once every file's [`FileFacts`] is known.

use super::corresp::{order_diagnostic, DateRange};
use super::pointers::{DANGLING_FILE_REF, DANGLING_REF};
use super::suggest::{NameIndex, Suggester};
use super::FileFacts;
use crate::diagnostic::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Reads the ids of a file that is not among the inputs (`None` when it cannot be read).
pub type IdLoader<'a> = dyn Fn(&Path) -> Option<HashSet<String>> + Sync + 'a;

/// A pointer's target file, looked up once.
struct Target {
    key: PathBuf,
    is_file: bool,
}

fn key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Settles the cross-file pointers of every file; returns new diagnostics per file (same order
/// as `files`).
pub fn resolve(files: &[(&Path, &FileFacts)], load_ids: &IdLoader<'_>) -> Vec<Vec<Diagnostic>> {
    let by_path: HashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (key(p), i))
        .collect();
    let mut loaded: HashMap<PathBuf, Option<HashSet<String>>> = HashMap::new();
    // letter keys: root xml:id, file name (`L1.xml`), correspDesc xml:id → (file, sent date); ambiguous keys dropped
    let mut letters: HashMap<String, Option<(usize, DateRange)>> = HashMap::new();
    let mut add = |k: String, v: (usize, DateRange)| {
        letters
            .entry(k)
            .and_modify(|e| {
                if e.is_some_and(|(i, _)| i != v.0) {
                    *e = None
                }
            })
            .or_insert(Some(v));
    };
    for (i, (path, facts)) in files.iter().enumerate() {
        let first = facts.letters.first().map(|l| l.sent).unwrap_or_default();
        if let Some(r) = &facts.root_id {
            add(r.clone(), (i, first));
        }
        if let Some(name) = path.file_name().and_then(|s| s.to_str()) {
            add(name.to_string(), (i, first));
        }
        for l in &facts.letters {
            if let Some(id) = &l.id {
                add(id.clone(), (i, l.sent));
            }
        }
    }
    // each target path is looked up once (canonical form, whether it is a file, its ids)
    let mut targets: HashMap<&Path, Target> = HashMap::new();
    // missing ids, by target file: did-you-mean runs once all are known, one index per target
    // (pointing file, its diagnostic, the id, the pointer's file part)
    let mut missing: HashMap<PathBuf, Vec<(usize, usize, &str, &str)>> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for (i, (_, facts)) in files.iter().enumerate() {
        let mut diags = Vec::new();
        for x in &facts.external {
            let t = targets.entry(x.file.as_path()).or_insert_with(|| Target {
                key: key(&x.file),
                is_file: x.file.is_file(),
            });
            let k = &t.key;
            let ids: Option<&HashSet<String>> = match by_path.get(k) {
                Some(&j) => Some(&files[j].1.ids),
                None => {
                    if !loaded.contains_key(k) {
                        let v = if t.is_file { load_ids(&x.file) } else { None };
                        loaded.insert(k.clone(), v);
                    }
                    loaded.get(k).and_then(Option::as_ref)
                }
            };
            match (ids, &x.fragment) {
                (None, _) if !t.is_file => diags.push(
                    Diagnostic::new(
                        &DANGLING_FILE_REF,
                        x.span.clone(),
                        format!(
                            "`{}` points to {}, which does not exist",
                            x.raw,
                            x.file.display()
                        ),
                    )
                    .with_help("pointers resolve against the folder of the file that contains them")
                    .with_path(x.path.clone()),
                ),
                (Some(ids), Some(frag)) if !ids.contains(frag) => {
                    let d = Diagnostic::new(
                        &DANGLING_REF,
                        x.span.clone(),
                        format!(
                            "`{}`: {} has no element with xml:id `{frag}`",
                            x.raw,
                            x.file.display()
                        ),
                    )
                    .with_path(x.path.clone());
                    missing.entry(k.clone()).or_default().push((
                        i,
                        diags.len(),
                        frag.as_str(),
                        x.raw.split('#').next().unwrap_or(""),
                    ));
                    diags.push(d);
                }
                _ => {}
            }
        }
        for c in &facts.context {
            let (file_part, frag) = match c.target.split_once('#') {
                Some((f, fr)) => (f, Some(fr)),
                None => (c.target.as_str(), None),
            };
            // `#cd` or `file.xml#cd`: a correspDesc id; `file.xml`: a file name; else an id
            let name = frag
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| file_part.rsplit('/').next().unwrap_or(file_part));
            if let Some(Some((j, sent))) = letters.get(name) {
                if *j != i {
                    if let Some(d) = order_diagnostic(c, sent, name) {
                        diags.push(d);
                    }
                }
            }
        }
        out.push(diags);
    }
    for (k, wanted) in missing {
        let ids = match by_path.get(&k) {
            Some(&j) => Some(&files[j].1.ids),
            None => loaded.get(&k).and_then(Option::as_ref),
        };
        let Some(ids) = ids else { continue };
        let mut names: Vec<&str> = ids.iter().map(String::as_str).collect();
        names.sort_unstable();
        let index = NameIndex::new(names);
        let mut suggester = Suggester::new(&index);
        for (file, at, frag, file_part) in wanted {
            let Some((best, _)) = suggester.suggest(frag) else {
                continue;
            };
            if let Some(d) = out.get_mut(file).and_then(|d| d.get_mut(at)) {
                d.help = Some(format!("did you mean `{file_part}#{best}`?"));
            }
        }
    }
    out
}
