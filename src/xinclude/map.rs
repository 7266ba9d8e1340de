//! From positions in an assembled document back to the files its parts came from: each run
//! of the assembled text is copied from one file at a known offset (verbatim, so offsets map
//! one to one) or written by the assembler (fix-up attributes, escapes of a text include: they
//! map to one place). A diagnostic on the assembled text gets the file, span, line and column
//! of what it points at, and the chain of `xi:include`s that brought that content in.

use crate::diagnostic::{Diagnostic, Origin};
use crate::source::LineIndex;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// One file the assembly read (or the same file read as text): its path and decoded text.
#[derive(Debug)]
pub struct File {
    /// The path as shown (relative to the working folder when the input was).
    pub path: PathBuf,
    /// The decoded text.
    pub text: Arc<str>,
    index: OnceLock<Arc<LineIndex>>,
}

impl File {
    /// A file of the map.
    pub fn new(path: PathBuf, text: Arc<str>) -> File {
        File {
            path,
            text,
            index: OnceLock::new(),
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.index
            .get_or_init(|| Arc::new(LineIndex::new(&self.text)))
            .line_col(&self.text, offset)
    }

    fn index(&self) -> Arc<LineIndex> {
        Arc::clone(
            self.index
                .get_or_init(|| Arc::new(LineIndex::new(&self.text))),
        )
    }
}

/// One inclusion of a file: which file, and the include element that brought it in.
#[derive(Debug, Clone, Copy)]
pub struct Instance {
    /// Index into the files.
    pub file: u32,
    /// The including instance and the offset of the `xi:include` in its file (none for the
    /// document itself, instance 0).
    pub from: Option<(u32, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Where the run starts in the assembled text.
    at: usize,
    instance: u32,
    /// Where it starts in the instance's file.
    orig: usize,
    /// Copied as it is (else written by the assembler: every offset maps to `orig`).
    verbatim: bool,
}

/// The map of an assembled document.
#[derive(Debug, Default)]
pub struct SourceMap {
    segs: Vec<Seg>,
    /// Every inclusion, the document itself first.
    pub instances: Vec<Instance>,
    /// The files read, the document itself first.
    pub files: Vec<File>,
}

impl SourceMap {
    /// Records that the assembled text from `at` on comes from `orig` of `instance`.
    pub fn push(&mut self, at: usize, instance: u32, orig: usize, verbatim: bool) {
        if let Some(last) = self.segs.last_mut() {
            if last.at == at {
                *last = Seg {
                    at,
                    instance,
                    orig,
                    verbatim,
                };
                return;
            }
        }
        self.segs.push(Seg {
            at,
            instance,
            orig,
            verbatim,
        });
    }

    /// The instance and file offset of an assembled offset.
    pub fn lookup(&self, offset: usize) -> (u32, usize) {
        let i = self.segs.partition_point(|s| s.at <= offset);
        match i.checked_sub(1).map(|i| self.segs[i]) {
            Some(s) if s.verbatim => (s.instance, s.orig + (offset - s.at)),
            Some(s) => (s.instance, s.orig),
            None => (0, offset),
        }
    }

    /// A span of the assembled text in one instance's file: (instance, range).
    fn span(&self, r: &std::ops::Range<usize>) -> (u32, std::ops::Range<usize>) {
        let (i, s) = self.lookup(r.start);
        if r.end <= r.start {
            return (i, s..s);
        }
        let (j, e) = self.lookup(r.end - 1);
        let e = if j == i && e >= s { e + 1 } else { s };
        (i, s..e)
    }

    /// The chain of include elements that brought `instance` in, innermost first: (file,
    /// line, column).
    pub fn chain(&self, instance: u32) -> Vec<(PathBuf, u32, u32)> {
        let mut out = Vec::new();
        let mut at = self.instances[instance as usize].from;
        while let Some((parent, offset)) = at {
            let f = &self.files[self.instances[parent as usize].file as usize];
            let (l, c) = f.line_col(offset);
            out.push((f.path.clone(), l, c));
            at = self.instances[parent as usize].from;
        }
        out
    }

    /// `d`, whose span is in the file of `instance`, with its line and column there, and,
    /// when that is not the document itself, its origin.
    pub fn place(&self, instance: u32, mut d: Diagnostic) -> Diagnostic {
        let inst = self.instances[instance as usize];
        let f = &self.files[inst.file as usize];
        if d.line == 0 {
            (d.line, d.column) = f.line_col(d.span.start);
        }
        if inst.file != 0 || inst.from.is_some() {
            d.origin = Some(Box::new(Origin {
                file: f.path.clone(),
                text: Arc::clone(&f.text),
                index: f.index(),
                included_from: self.chain(instance),
            }));
        }
        d
    }

    /// Diagnostics on the assembled text, moved to the files their spans are in. A label in
    /// another file than its diagnostic becomes a line of its help.
    pub fn relocate(&self, diags: &mut [Diagnostic]) {
        for d in diags.iter_mut() {
            let (i, span) = self.span(&d.span);
            d.span = span;
            let labels = std::mem::take(&mut d.labels);
            for mut l in labels {
                let (j, span) = self.span(&l.span);
                if j == i {
                    l.span = span;
                    d.labels.push(l);
                } else {
                    let f = &self.files[self.instances[j as usize].file as usize];
                    let (line, col) = f.line_col(span.start);
                    let note = format!("{} ({}:{line}:{col})", l.message, f.path.display());
                    d.help = Some(match d.help.take() {
                        Some(h) => format!("{h}\n{note}"),
                        None => note,
                    });
                }
            }
            d.line = 0;
            let placed = self.place(i, std::mem::replace(d, Diagnostic::new(d.code, 0..0, "")));
            *d = placed;
        }
    }
}
