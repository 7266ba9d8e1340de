//! Training sets from TEI editions: every letter with part markup, rendered the way a
//! transcription reads (lines joined as most transcriptions are; every fourth letter also with
//! the letter's own lines kept, so the model knows both habits), with its lines' roles.

use super::render::{read_edition, LineBreaks, RenderOptions, Rendered};
use super::train::TrainingDoc;
use std::path::{Path, PathBuf};

/// What one edition gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditionSummary {
    /// The folder.
    pub dir: PathBuf,
    /// `*.xml` files found.
    pub files: usize,
    /// Letters with part markup (used).
    pub letters: usize,
    /// Letters without part markup (not used: their lines would all read as body).
    pub unmarked: usize,
    /// Files that hold no letter.
    pub skipped: usize,
    /// Files that could not be read or parsed, with the message.
    pub problems: Vec<String>,
}

/// Documents to train on, and what each edition gave.
#[derive(Debug, Clone, Default)]
pub struct TrainingSet {
    /// The documents, in edition and file order.
    pub docs: Vec<TrainingDoc>,
    /// One summary per edition, in the order given.
    pub editions: Vec<EditionSummary>,
}

/// A rendered letter as a training document.
pub fn training_doc(r: &Rendered) -> TrainingDoc {
    TrainingDoc {
        text: r.text.clone(),
        roles: r.lines.iter().map(|l| (l.range.clone(), l.role)).collect(),
        lang: r.lang.clone(),
        letters: 1,
    }
}

/// Every fourth letter is also given with its own lines kept.
const KEPT_EVERY: usize = 4;

/// Reads `dirs` (folders of TEI files, or single files' folders) into a training set.
pub fn from_editions(dirs: &[PathBuf]) -> TrainingSet {
    let mut set = TrainingSet::default();
    for dir in dirs {
        let joined = read_edition(dir, &RenderOptions::default());
        let kept = read_edition(
            dir,
            &RenderOptions {
                line_breaks: LineBreaks::Kept,
                ..RenderOptions::default()
            },
        );
        let mut summary = EditionSummary {
            dir: dir.clone(),
            files: joined.files,
            skipped: joined.skipped.len(),
            problems: joined
                .problems
                .iter()
                .map(|p| format!("{}: {}", display(dir, &p.path), p.message))
                .collect(),
            ..Default::default()
        };
        let mut n = 0;
        for (k, l) in joined.letters.iter().enumerate() {
            if !l.rendered.part_markup {
                summary.unmarked += 1;
                continue;
            }
            set.docs.push(training_doc(&l.rendered));
            n += 1;
            if n % KEPT_EVERY == 0 {
                // the same letter with its own lines (same file, same position)
                if let Some(other) = kept.letters.get(k).filter(|o| o.path == l.path) {
                    if other.rendered.text != l.rendered.text {
                        set.docs.push(TrainingDoc {
                            letters: 0,
                            ..training_doc(&other.rendered)
                        });
                    }
                }
            }
        }
        summary.letters = n;
        set.editions.push(summary);
    }
    set
}

fn display(dir: &Path, p: &Path) -> String {
    dir.join(p).display().to_string()
}
