//! Inputs to files: files as given, folders walked for `*.xml` in a stable sorted order,
//! respecting `.gitignore`, `.ignore` and the config's ignore globs.

use std::path::{Path, PathBuf};

/// One input: a file to validate, or a path that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, with the folder input it was found under (`None`: named directly).
    File(PathBuf, Option<PathBuf>),
    /// A path that does not exist or cannot be read, with the reason.
    Missing(PathBuf, String),
}

/// Expands `paths` (files and folders) into inputs; duplicates are dropped, order kept: two
/// spellings of one file (`x/a.xml` and `./x/a.xml`, a link and its target) are one input,
/// validated once under the first spelling found.
pub fn expand(paths: &[PathBuf], ignore: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    for p in paths {
        if crate::fsutil::is_stdin(p) {
            if seen.insert(p.clone()) {
                out.push(Input::File(p.clone(), None));
            }
        } else if p.is_dir() {
            for f in walk_folder(p, ignore, &mut out) {
                if seen.insert(key(&f)) {
                    out.push(Input::File(f, Some(p.clone())));
                }
            }
        } else if p.is_file() {
            if seen.insert(key(p)) {
                out.push(Input::File(p.clone(), None));
            }
        } else {
            let why = match std::fs::metadata(p) {
                Err(e) => e.to_string(),
                Ok(_) => "not a file or folder".to_string(),
            };
            out.push(Input::Missing(p.clone(), why));
        }
    }
    out
}

fn walk_folder(dir: &Path, ignore: &[String], errors: &mut Vec<Input>) -> Vec<PathBuf> {
    let mut b = ignore::WalkBuilder::new(dir);
    b.standard_filters(true)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    if !ignore.is_empty() {
        let mut ob = ignore::overrides::OverrideBuilder::new(dir);
        for g in ignore {
            if let Err(e) = ob.add(&format!("!{g}")) {
                errors.push(Input::Missing(
                    dir.to_path_buf(),
                    format!("ignore glob `{g}`: {e}"),
                ));
            }
        }
        if let Ok(o) = ob.build() {
            b.overrides(o);
        }
    }
    let mut files = Vec::new();
    for entry in b.build() {
        match entry {
            Ok(e) => {
                let p = e.path();
                if e.file_type().is_some_and(|t| t.is_file())
                    && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml"))
                {
                    files.push(p.to_path_buf());
                }
            }
            Err(e) => errors.push(Input::Missing(dir.to_path_buf(), e.to_string())),
        }
    }
    files
}

/// The order to validate `inputs` in: the largest files first (equal sizes in input order), so
/// that a run ends on small files and no core is left idle while another finishes a large one
/// (the reports keep the input order).
pub fn largest_first(inputs: &[Input]) -> Vec<usize> {
    let size = |i: &Input| match i {
        Input::File(p, _) if !crate::fsutil::is_stdin(p) => {
            std::fs::metadata(p).map_or(0, |m| m.len())
        }
        _ => 0,
    };
    let sizes: Vec<u64> = inputs.iter().map(size).collect();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_xml_only_and_respects_ignores() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("b")).unwrap();
        std::fs::create_dir_all(r.join("drafts")).unwrap();
        for f in ["b/2.xml", "a.xml", "c.txt", "drafts/x.xml", "skip.xml"] {
            std::fs::write(r.join(f), "<x/>").unwrap();
        }
        std::fs::write(r.join(".ignore"), "skip.xml\n").unwrap();
        let got = expand(&[r.to_path_buf()], &["drafts/**".to_string()]);
        let names: Vec<String> = got
            .iter()
            .map(|i| match i {
                Input::File(p, _) => p.strip_prefix(r).unwrap().to_string_lossy().into_owned(),
                Input::Missing(p, w) => format!("missing {} {w}", p.display()),
            })
            .collect();
        assert_eq!(names, vec!["a.xml", "b/2.xml"]);
    }

    #[test]
    fn two_spellings_of_one_file_are_one_input() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("x/y")).unwrap();
        std::fs::write(r.join("x/y/a.xml"), "<x/>").unwrap();
        let got = expand(
            &[
                r.join("x"),
                r.join("./x"),
                r.join("x/y/../y/a.xml"),
                r.join("x/./y/a.xml"),
            ],
            &[],
        );
        assert_eq!(
            got,
            vec![Input::File(r.join("x/y/a.xml"), Some(r.join("x")))]
        );
    }
}
