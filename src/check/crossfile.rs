//! What needs several files: `other.xml#id` pointers and the date order of `correspContext`
//! neighbours. Runs once every file's [`FileFacts`] is known.

use super::corresp::{order_diagnostic, DateRange};
use super::pointers::{DANGLING_FILE_REF, DANGLING_REF};
use super::FileFacts;
use crate::diagnostic::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Reads the ids of a file that is not among the inputs (`None` when it cannot be read).
pub type IdLoader<'a> = dyn Fn(&Path) -> Option<HashSet<String>> + Sync + 'a;

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
    let mut out = Vec::with_capacity(files.len());
    for (i, (_, facts)) in files.iter().enumerate() {
        let mut diags = Vec::new();
        for x in &facts.external {
            let k = key(&x.file);
            let ids: Option<&HashSet<String>> = match by_path.get(&k) {
                Some(&j) => Some(&files[j].1.ids),
                None => {
                    if !loaded.contains_key(&k) {
                        let v = if x.file.is_file() {
                            load_ids(&x.file)
                        } else {
                            None
                        };
                        loaded.insert(k.clone(), v);
                    }
                    loaded.get(&k).and_then(Option::as_ref)
                }
            };
            match (ids, &x.fragment) {
                (None, _) if !x.file.is_file() => diags.push(
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
                    let mut d = Diagnostic::new(
                        &DANGLING_REF,
                        x.span.clone(),
                        format!(
                            "`{}`: {} has no element with xml:id `{frag}`",
                            x.raw,
                            x.file.display()
                        ),
                    )
                    .with_path(x.path.clone());
                    if let Some(b) = super::nearest(frag, ids.iter().map(String::as_str)) {
                        let file = x.raw.split('#').next().unwrap_or("");
                        d = d.with_help(format!("did you mean `{file}#{b}`?"));
                    }
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
    out
}
