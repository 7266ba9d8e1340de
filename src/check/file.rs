//! [`FileChecks`]: every check of one file behind one [`Handler`].

use super::path::PathTracker;
use super::{consistency, corresp, ids, pointers, tei_rules, AttributeTypes, Registers};
use crate::diagnostic::Diagnostic;
use crate::limit::{Bounded, Surplus};
use crate::xml::{EndTag, Handler, StartTag};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

/// What the checks of one file need from outside the file.
pub struct CheckEnv<'a> {
    /// The file's path (relative pointers resolve against its folder).
    pub path: &'a Path,
    /// Which attributes are pointers.
    pub types: &'a dyn AttributeTypes,
    /// Ids and persons of the register files.
    pub registers: &'a Registers,
}

/// What one file leaves for the cross-file step, and its own diagnostics.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Diagnostics found within the file (at most the limit of each code and severity, with a
    /// [`crate::limit::dropped_placeholder`] where the first one left out was).
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics found past [`FileChecks::with_max_diagnostics`]'s limit: only counted.
    pub surplus: Vec<Surplus>,
    /// Every `xml:id` of the file.
    pub ids: HashSet<String>,
    /// The root element's `xml:id`.
    pub root_id: Option<String>,
    /// Pointers into other files (`other.xml#id`), to resolve once every file is read.
    pub external: Vec<pointers::ExternalRef>,
    /// The correspDescs of the file, with their sent dates.
    pub letters: Vec<corresp::LetterDate>,
    /// `correspContext` prev/next pointers, to check for date order.
    pub context: Vec<corresp::ContextRef>,
}

/// Runs every check over one file's events.
pub struct FileChecks<'a> {
    env: &'a CheckEnv<'a>,
    path: PathTracker,
    ids: ids::Ids,
    pointers: pointers::Pointers,
    rules: tei_rules::TeiRules,
    corresp: corresp::Corresp,
    consistency: consistency::Consistency,
    depth: usize,
    root_id: Option<String>,
}

/// The kept diagnostics and the surplus of every part's [`Bounded`].
fn gather(parts: impl IntoIterator<Item = Bounded>) -> (Vec<Diagnostic>, Vec<Surplus>) {
    let mut diagnostics = Vec::new();
    let mut surplus = Vec::new();
    for part in parts {
        let (d, s) = part.finish_with_placeholders();
        diagnostics.extend(d);
        surplus.extend(s);
    }
    (diagnostics, surplus)
}

impl<'a> FileChecks<'a> {
    /// Checks for one file.
    pub fn new(env: &'a CheckEnv<'a>) -> Self {
        FileChecks {
            env,
            path: PathTracker::default(),
            ids: ids::Ids::default(),
            pointers: pointers::Pointers::default(),
            rules: tei_rules::TeiRules::default(),
            corresp: corresp::Corresp::default(),
            consistency: consistency::Consistency::default(),
            depth: 0,
            root_id: None,
        }
    }

    /// Keeps at most `max` diagnostics of each code and severity (the earliest), counting the
    /// rest in [`FileFacts::surplus`], so that memory stays bounded however many a file has.
    pub fn with_max_diagnostics(mut self, max: usize) -> Self {
        self.ids.diagnostics = Bounded::new(max);
        self.pointers.diagnostics = Bounded::new(max);
        self.rules.diagnostics = Bounded::new(max);
        self.corresp.diagnostics = Bounded::new(max);
        self.consistency.diagnostics = Bounded::new(max);
        self
    }

    /// Settles what the file alone can settle.
    pub fn finish(self) -> FileFacts {
        let mut ids = self.ids;
        let (external, ptr_diags) = self.pointers.finish(&ids, self.env, &self.path);
        let rule_diags = self.rules.finish(&ids);
        let (letters, context, corresp_diags) = self.corresp.finish(&ids);
        let (mut diagnostics, surplus) = gather([
            std::mem::take(&mut ids.diagnostics),
            ptr_diags,
            rule_diags,
            corresp_diags,
            self.consistency.finish(self.env.registers, &self.path),
        ]);
        diagnostics.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(a.code.id.cmp(b.code.id))
        });
        FileFacts {
            diagnostics,
            surplus,
            ids: ids.into_set(),
            root_id: self.root_id,
            external,
            letters,
            context,
        }
    }
}

impl Handler for FileChecks<'_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.path.push(tag.qname);
        if self.depth == 0 {
            self.root_id = super::xml_id(tag).map(|a| a.value.trim().to_string());
        }
        self.depth += 1;
        let path = &self.path;
        self.ids.start(tag, path);
        self.pointers.start(tag, path, self.env);
        self.rules.start(tag, path);
        self.corresp.start(tag, path);
        self.consistency.start(tag, path);
    }

    fn end_element(&mut self, tag: &EndTag<'_>) {
        self.rules.end(tag, &self.path);
        self.corresp.end(tag, &self.path);
        self.consistency.end(tag, &self.path);
        self.path.pop();
        self.depth = self.depth.saturating_sub(1);
    }

    fn text(&mut self, text: &str, _span: Range<usize>) {
        self.rules.text(text);
        self.consistency.text(text);
    }
}
