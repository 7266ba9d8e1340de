//! Reading a whole edition: every `*.xml` under a folder, in sorted order, rendered in
//! parallel (the result does not depend on the order of work). A file that holds no letter is
//! skipped with its reason; a file that cannot be read, decoded or parsed is reported; neither
//! stops the others.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{render, RenderError, RenderOptions, Rendered};

/// One letter of an edition.
#[derive(Debug, Clone)]
pub struct EditionLetter {
    /// The file, relative to the edition's folder.
    pub path: PathBuf,
    /// The letter.
    pub rendered: Rendered,
}

/// A file that was read but holds no letter.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file, relative to the edition's folder.
    pub path: PathBuf,
    /// Why.
    pub reason: RenderError,
}

/// A file that could not be read, decoded or parsed.
#[derive(Debug, Clone)]
pub struct FileProblem {
    /// The file, relative to the edition's folder (the folder itself when it cannot be listed).
    pub path: PathBuf,
    /// What went wrong (with line and column for malformed XML).
    pub message: String,
}

/// Every letter of an edition, and what was skipped or failed.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// The folder read.
    pub root: PathBuf,
    /// Number of `*.xml` files found.
    pub files: usize,
    /// The letters, in file order (and document order within a file).
    pub letters: Vec<EditionLetter>,
    /// Files that hold no letter, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files that could not be read.
    pub problems: Vec<FileProblem>,
}

enum Outcome {
    Letters(Vec<Rendered>),
    Skipped(RenderError),
    Problem(String),
}

/// Renders every `*.xml` under `dir` (recursively, sorted by path).
pub fn read_edition(dir: &Path, opts: &RenderOptions) -> Edition {
    let mut edition = Edition {
        root: dir.to_path_buf(),
        ..Edition::default()
    };
    let files = match crate::export::read::xml_files(&[dir.to_path_buf()]) {
        Ok(f) => f,
        Err(e) => {
            edition.problems.push(FileProblem {
                path: dir.to_path_buf(),
                message: e.to_string(),
            });
            return edition;
        }
    };
    edition.files = files.len();
    let outcomes: Vec<Outcome> = files.par_iter().map(|p| read_one(p, opts)).collect();
    for (path, outcome) in files.iter().zip(outcomes) {
        let path = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
        match outcome {
            Outcome::Letters(letters) => {
                edition
                    .letters
                    .extend(letters.into_iter().map(|rendered| EditionLetter {
                        path: path.clone(),
                        rendered,
                    }))
            }
            Outcome::Skipped(reason) => edition.skipped.push(Skipped { path, reason }),
            Outcome::Problem(message) => edition.problems.push(FileProblem { path, message }),
        }
    }
    edition
}

fn read_one(path: &Path, opts: &RenderOptions) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Problem(format!("cannot read: {e}")),
    };
    let text = match crate::xml::decode(&bytes) {
        Ok(d) => d.text,
        Err(d) => return Outcome::Problem(d.message),
    };
    match render(&text, opts) {
        Ok(letters) => Outcome::Letters(letters),
        Err(e) if e.is_skip() => Outcome::Skipped(e),
        Err(e) => Outcome::Problem(e.to_string()),
    }
}
