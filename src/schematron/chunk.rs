//! Schematron on a streamed file, record by record: memory stays flat however large the file.
//!
//! Schematron needs a tree; a file of hundreds of megabytes does not fit in one. The file is
//! read twice as a stream:
//!
//! 1. [`cut`]: one parse finds the **records**, the largest elements of at most
//!    `record_bytes` whose parent is larger (each `TEI` of a `teiCorpus`, each `correspDesc`
//!    of a CMIF `profileDesc`, each letter `div` of a large edition); their ancestors are the
//!    **skeleton**. Only offsets, names and sibling positions are kept.
//! 2. [`run`]: the text is read again and cut into documents, each parsed and checked alone:
//!    a *batch* of consecutive sibling records (up to `record_bytes`) inside copies of their
//!    ancestors' start tags (names, attributes, namespace declarations) after the prolog (its
//!    DOCTYPE declares the entities); and the *residue*, the file without its records (one
//!    empty comment where each run of records was), for the rules on the skeleton elements.
//!
//! Each document runs through the unchanged [`Schematron::run`] with the schema's **local**
//! patterns ([`super::locality`]); a finding is kept only from the document that owns its
//! node (a record's nodes from its batch, the skeleton's from the residue), with its span
//! moved back to the file (so it has the file's line and column) and its SVRL location
//! rewritten to the file's positions. Patterns that need the whole document, or that read
//! below a context the file's skeleton has, do not run here: the caller runs them on the whole
//! tree when the file is within the tree limit, else says once which did not run.

use super::context::Test;
use super::limits::Limits;
use super::locality::{self, PatternLocality};
use super::Schematron;
use crate::diagnostic::Diagnostic;
use crate::limit::{Bounded, Surplus};
use crate::xml::{EndTag, Handler, StartTag};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// The default size of a record batch.
pub const RECORD_BYTES: u64 = 1024 * 1024;

/// A record: an element checked inside a batch of its siblings.
#[derive(Debug, Clone, Copy)]
struct Record {
    start: usize,
    end: usize,
    /// Where its parent (a skeleton element) starts; `usize::MAX` for the root.
    parent: usize,
    name: u32,
    /// Its position among its parent's children of its name (from 1).
    index: u32,
}

/// An element that holds records.
#[derive(Debug, Clone)]
struct Skeleton {
    start: usize,
    /// End of its start tag.
    tag_end: usize,
    /// Start and end of its end tag.
    close: Range<usize>,
    name: u32,
    /// Its SVRL location in the file.
    path: String,
}

/// Where a file's records and skeleton are ([`cut`]).
#[derive(Debug, Default)]
pub struct Cut {
    records: Vec<Record>,
    skeleton: Vec<Skeleton>,
    /// (namespace, local name) by name id.
    names: Vec<(String, String)>,
    /// The batch size it was cut for.
    record_bytes: u64,
}

impl Cut {
    /// Whether the file has records inside a skeleton (else it is one record: its root).
    pub fn is_split(&self) -> bool {
        !self.skeleton.is_empty()
    }

    /// The number of records.
    pub fn records(&self) -> usize {
        self.records.len()
    }
}

/// An element being read.
struct Open {
    start: usize,
    tag_end: usize,
    parent: usize,
    name: u32,
    index: u32,
    /// (name, count) of its children so far.
    counts: Vec<(u32, u32)>,
    records_at: usize,
    skeleton_at: usize,
}

struct Cutter {
    target: usize,
    stack: Vec<Open>,
    ids: HashMap<String, HashMap<String, u32>>,
    cut: Cut,
}

impl Cutter {
    fn name_id(&mut self, ns: &str, local: &str) -> u32 {
        if let Some(id) = self.ids.get(ns).and_then(|m| m.get(local)) {
            return *id;
        }
        let id = self.cut.names.len() as u32;
        self.cut.names.push((ns.to_string(), local.to_string()));
        self.ids
            .entry(ns.to_string())
            .or_default()
            .insert(local.to_string(), id);
        id
    }

    fn step(&self, name: u32, index: u32) -> String {
        let (ns, l) = &self.cut.names[name as usize];
        format!("/Q{{{ns}}}{l}[{index}]")
    }
}

impl Handler for Cutter {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        let name = self.name_id(tag.ns, tag.local);
        let (parent, index) = match self.stack.last_mut() {
            Some(p) => {
                let n = match p.counts.iter_mut().find(|(k, _)| *k == name) {
                    Some((_, c)) => {
                        *c += 1;
                        *c
                    }
                    None => {
                        p.counts.push((name, 1));
                        1
                    }
                };
                (p.start, n)
            }
            None => (usize::MAX, 1),
        };
        self.stack.push(Open {
            start: tag.span.start,
            tag_end: tag.span.end,
            parent,
            name,
            index,
            counts: Vec::new(),
            records_at: self.cut.records.len(),
            skeleton_at: self.cut.skeleton.len(),
        });
    }

    fn end_element(&mut self, tag: &EndTag<'_>) {
        let Some(o) = self.stack.pop() else { return };
        let end = tag.span.end;
        let leaf =
            self.cut.records.len() == o.records_at && self.cut.skeleton.len() == o.skeleton_at;
        if end - o.start <= self.target || leaf || tag.span.start < o.tag_end {
            // a record (its descendants' records are inside it); a large element without
            // element children is a record of its own (the tree limit decides on it)
            self.cut.records.truncate(o.records_at);
            self.cut.records.push(Record {
                start: o.start,
                end,
                parent: o.parent,
                name: o.name,
                index: o.index,
            });
        } else {
            let mut path: String = self
                .stack
                .iter()
                .map(|a| self.step(a.name, a.index))
                .collect();
            path.push_str(&self.step(o.name, o.index));
            self.cut.skeleton.push(Skeleton {
                start: o.start,
                tag_end: o.tag_end,
                close: tag.span.clone(),
                name: o.name,
                path,
            });
        }
    }

    fn text(&mut self, _: &str, _: Range<usize>) {}
}

/// Reads `path` once as a stream and finds its records (elements of at most `record_bytes`
/// whose parent is larger). `None` when the file cannot be read or is not well-formed (the
/// grammar pass has said why).
pub fn cut(path: &Path, record_bytes: u64) -> Option<Cut> {
    let mut c = Cutter {
        target: record_bytes.max(1) as usize,
        stack: Vec::new(),
        ids: HashMap::new(),
        cut: Cut {
            record_bytes,
            ..Cut::default()
        },
    };
    let mut f = std::fs::File::open(path).ok()?;
    let diags =
        crate::xml::parse_read(&mut f, &mut c, &crate::xml::ParseOptions::default()).ok()?;
    if diags
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        return None;
    }
    c.cut.skeleton.sort_by_key(|s| s.start);
    Some(c.cut)
}

/// A schema split for one file: the patterns that run record by record, and those that need
/// the whole document (with a sentence each).
pub struct Split {
    /// The local patterns as a schema of their own (`None`: there are none).
    pub local: Option<Arc<Schematron>>,
    /// Each pattern that needs the whole document: which rule and why.
    pub global: Vec<String>,
    /// Their indices (as [`super::svrl::CheckInfo::pattern`] gives them).
    pub global_patterns: Vec<usize>,
}

/// Splits `s` for the file `cut` describes.
pub fn split(s: &Arc<Schematron>, cut: &Cut) -> Split {
    let ls = localities(s);
    let mut keep = Vec::new();
    let mut global = Vec::new();
    let mut global_patterns = Vec::new();
    for (p, l) in ls.iter().enumerate() {
        if let Some((r, why)) = &l.global {
            global.push(format!("{}: {why}", s.rule_name(p, *r)));
            global_patterns.push(p);
            continue;
        }
        let meets = cut.skeleton.iter().find(|k| {
            let (ns, local) = &cut.names[k.name as usize];
            locality::deep_on(l, ns, local)
        });
        match meets {
            Some(k) if !l.deep.is_empty() => {
                let (_, local) = &cut.names[k.name as usize];
                let r = deep_rule(s, p, l);
                global.push(format!(
                    "{}: it reads the content of `{local}`, which this file holds as the frame of its records",
                    s.rule_name(p, r)
                ));
                global_patterns.push(p);
            }
            _ => keep.push(p),
        }
    }
    let local = if keep.is_empty() {
        None
    } else if keep.len() == s.plan.patterns.len() {
        Some(Arc::clone(s))
    } else {
        Some(subset(s, &keep))
    };
    Split {
        local,
        global,
        global_patterns,
    }
}

/// The patterns of `s` that need the whole document whatever the file (each: which rule and
/// why), and the number of patterns. A local pattern may still need the whole document in a
/// file where its context is a skeleton element ([`split`]).
pub fn classification(s: &Schematron) -> (Vec<String>, usize) {
    let ls = localities(s);
    let global = ls
        .iter()
        .enumerate()
        .filter_map(|(p, l)| {
            l.global
                .as_ref()
                .map(|(r, why)| format!("{}: {why}", s.rule_name(p, *r)))
        })
        .collect();
    (global, ls.len())
}

/// The first rule of pattern `p` whose context may be a skeleton element and that reads below
/// it (for the message).
fn deep_rule(s: &Schematron, p: usize, l: &PatternLocality) -> usize {
    s.plan.patterns[p]
        .rules
        .iter()
        .position(|r| {
            r.context
                .last_steps()
                .iter()
                .any(|(t, _, _)| l.deep.contains(t))
        })
        .unwrap_or(0)
}

/// The locality of each pattern of `s`, computed once per schema.
fn localities(s: &Schematron) -> Arc<Vec<PatternLocality>> {
    type Memo = Mutex<HashMap<u64, Arc<Vec<PatternLocality>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let m = MEMO.get_or_init(Default::default);
    let mut m = match m.lock() {
        Ok(m) => m,
        Err(p) => p.into_inner(),
    };
    Arc::clone(
        m.entry(s.uid)
            .or_insert_with(|| Arc::new(locality::classify(&s.plan))),
    )
}

/// `s` with only the patterns `keep` (plan indices), made once per schema and set of patterns.
fn subset(s: &Arc<Schematron>, keep: &[usize]) -> Arc<Schematron> {
    type Memo = Mutex<HashMap<(u64, Vec<usize>), Arc<Schematron>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let m = MEMO.get_or_init(Default::default);
    let mut m = match m.lock() {
        Ok(m) => m,
        Err(p) => p.into_inner(),
    };
    let made = m.entry((s.uid, keep.to_vec())).or_insert_with(|| {
        let mut plan = s.plan.clone();
        plan.patterns = keep.iter().map(|&p| s.plan.patterns[p].clone()).collect();
        Arc::new(Schematron {
            label: s.label.clone(),
            schema: s.schema.clone(),
            plan,
            checks: keep.iter().map(|&p| s.checks[p].clone()).collect(),
            info: Arc::clone(&s.info),
            uid: super::NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    });
    Arc::clone(made)
}

/// A finding of a streamed run, and the range of the start tag it points into (in the file).
pub struct Found {
    /// The diagnostic, its span in the file.
    pub diagnostic: Diagnostic,
    /// The start tag (or other markup) its span starts in.
    pub tag: Range<usize>,
}

impl crate::limit::Finding for Found {
    fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

/// A piece of a document made from the file: where it is there, and whether the document
/// owns its nodes.
#[derive(Debug, Clone, Copy)]
struct Seg {
    at: usize,
    orig: usize,
    len: usize,
    owned: bool,
}

/// A document being made.
#[derive(Default)]
struct Doc {
    text: String,
    segs: Vec<Seg>,
    /// SVRL location in the document → in the file.
    paths: HashMap<String, String>,
    /// Where its first owned node is in the file (for a message about the whole document).
    first: Option<usize>,
    /// A batch's records: where each is in `text` and in the file, its step in the batch
    /// without position (`…/Q{ns}l`) and its location in the file.
    records: Vec<(Range<usize>, usize, String, String)>,
    /// Where the closing tags of a batch's frames start in `text`.
    tail: usize,
}

impl Doc {
    fn push(&mut self, s: &str, orig: usize, owned: bool) {
        if s.is_empty() {
            return;
        }
        if owned && self.first.is_none() {
            self.first = Some(orig);
        }
        if let Some(l) = self.segs.last_mut() {
            if l.owned == owned && l.orig + l.len == orig && l.at + l.len == self.text.len() {
                l.len += s.len();
                self.text.push_str(s);
                return;
            }
        }
        self.segs.push(Seg {
            at: self.text.len(),
            orig,
            len: s.len(),
            owned,
        });
        self.text.push_str(s);
    }

    /// Synthetic text (closing tags, placeholders): no node of it is reported.
    fn synthetic(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// The file offset of `at`, if an owned segment holds it.
    fn orig(&self, at: usize) -> Option<usize> {
        let i = self.segs.partition_point(|s| s.at <= at).checked_sub(1)?;
        let s = self.segs[i];
        (s.owned && at < s.at + s.len.max(1)).then(|| s.orig + (at - s.at))
    }

    /// The file's SVRL location for a location in this document.
    fn location(&self, loc: &str) -> String {
        // prefixes at each step boundary (a `/` outside `Q{…}`), longest first
        let mut cuts = Vec::new();
        let mut depth = 0;
        for (i, c) in loc.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                '/' if depth == 0 && i > 0 => cuts.push(i),
                _ => {}
            }
        }
        cuts.push(loc.len());
        for &c in cuts.iter().rev() {
            if let Some(o) = self.paths.get(&loc[..c]) {
                return format!("{o}{}", &loc[c..]);
            }
        }
        loc.to_string()
    }
}

/// A skeleton element whose start tag has been read.
struct Frame {
    tag: String,
    orig: usize,
    /// Its step in a batch (`/Q{ns}l[1]`: a frame is its parent frame's only element).
    batch_step: String,
    /// Its location in the residue and in the file.
    residue_path: String,
    path: String,
    /// (name, count) of its skeleton children in the residue so far.
    counts: Vec<(u32, u32)>,
}

/// What a region of the file is.
#[derive(Debug, Clone, Copy)]
enum Ev {
    Open(usize),
    Close(usize),
    Record(usize),
}

struct Runner<'a> {
    cut: &'a Cut,
    schemas: &'a [Arc<Schematron>],
    limits: &'a Limits,
    target: usize,
    prolog: String,
    in_prolog: bool,
    frames: Vec<Frame>,
    residue: Doc,
    residue_over: bool,
    /// After a record in the residue: the next gap is whitespace between records.
    after_record: bool,
    /// A rule may match a text node of a skeleton element: each record leaves a placeholder
    /// in the residue and the whitespace between records stays, so that the text nodes are
    /// numbered there as in the file (else one placeholder stands for a run of records).
    keep_text: bool,
    batch: Doc,
    batch_parent: usize,
    /// (name, count) of the records of the batch so far.
    batch_counts: Vec<(u32, u32)>,
    /// The current region's text so far (a start tag being read).
    tag: String,
    out: Bounded<Found>,
}

/// Runs the `schemas` (local patterns only: see [`split`]) on the file `cut` describes, batch
/// by batch, then on its residue. The findings have spans in the file; at most `max` of each
/// code and severity are kept (the earliest), the rest counted, so that memory stays flat
/// however many there are.
pub fn run(
    path: &Path,
    cut: &Cut,
    schemas: &[Arc<Schematron>],
    limits: &Limits,
    max: usize,
) -> (Vec<Found>, Vec<Surplus>) {
    let mut evs: Vec<(usize, usize, Ev)> = Vec::new();
    for (i, s) in cut.skeleton.iter().enumerate() {
        evs.push((s.start, s.tag_end, Ev::Open(i)));
        evs.push((s.close.start, s.close.end, Ev::Close(i)));
    }
    for (i, r) in cut.records.iter().enumerate() {
        evs.push((r.start, r.end, Ev::Record(i)));
    }
    evs.sort_by_key(|e| e.0);
    let mut r = Runner {
        cut,
        schemas,
        limits,
        target: cut.record_bytes.max(1) as usize,
        prolog: String::new(),
        in_prolog: true,
        frames: Vec::new(),
        residue: Doc::default(),
        residue_over: false,
        after_record: false,
        keep_text: schemas.iter().any(|s| matches_text(s)),
        batch: Doc::default(),
        batch_parent: usize::MAX,
        batch_counts: Vec::new(),
        tag: String::new(),
        out: Bounded::new(max),
    };
    let mut e = 0;
    let mut pos = 0;
    let read = std::fs::File::open(path).and_then(|mut f| {
        crate::xml::for_each_text(&mut f, 1024 * 1024, |piece| {
            let mut rest = piece;
            while !rest.is_empty() {
                let (start, end, ev) =
                    evs.get(e)
                        .copied()
                        .unwrap_or((usize::MAX, usize::MAX, Ev::Open(0)));
                if pos < start {
                    let n = (start - pos).min(rest.len());
                    r.gap(&rest[..n], pos);
                    pos += n;
                    rest = &rest[n..];
                    continue;
                }
                if pos == start {
                    r.begin(ev);
                }
                let n = (end - pos).min(rest.len());
                r.inside(ev, &rest[..n], pos);
                pos += n;
                rest = &rest[n..];
                if pos == end {
                    r.end(ev, start);
                    e += 1;
                }
            }
            true
        })
    });
    if read.is_err() {
        return (Vec::new(), Vec::new());
    }
    r.flush();
    r.finish_residue();
    r.out.finish()
}

impl Runner<'_> {
    fn gap(&mut self, text: &str, at: usize) {
        if self.in_prolog {
            self.prolog.push_str(text);
        }
        // whitespace between two records of a run is not kept (one placeholder stands for
        // the run)
        if self.after_record && !self.keep_text && text.trim().is_empty() {
            return;
        }
        self.after_record = false;
        self.residue_push(text, at);
    }

    fn residue_push(&mut self, text: &str, at: usize) {
        if self.residue_over {
            return;
        }
        self.residue.push(text, at, true);
        if self.residue.text.len() as u64 > self.limits.max_bytes {
            self.residue_over = true;
        }
    }

    fn begin(&mut self, ev: Ev) {
        self.in_prolog = false;
        self.tag.clear();
        match ev {
            Ev::Record(i) => {
                let rec = self.cut.records[i];
                let size = rec.end - rec.start;
                if !self.after_record || self.keep_text {
                    if !self.residue_over {
                        self.residue.synthetic("<!---->");
                    }
                    self.after_record = true;
                }
                if size as u64 > self.limits.max_bytes {
                    return;
                }
                if !self.batch.text.is_empty()
                    && (self.batch_parent != rec.parent
                        || self.batch.text.len() + size > self.target)
                {
                    self.flush();
                }
                if self.batch.text.is_empty() {
                    self.open_batch(rec.parent);
                }
                let (ns, l) = &self.cut.names[rec.name as usize];
                let n = bump(&mut self.batch_counts, rec.name);
                let prefix: String = self.frames.iter().map(|f| f.batch_step.as_str()).collect();
                let parent_path = self.frames.last().map_or("", |f| f.path.as_str());
                let step = format!("{prefix}/Q{{{ns}}}{l}");
                let path = format!("{parent_path}/Q{{{ns}}}{l}[{}]", rec.index);
                self.batch
                    .paths
                    .insert(format!("{step}[{n}]"), path.clone());
                let at = self.batch.text.len();
                self.batch.records.push((at..at, rec.start, step, path));
            }
            Ev::Close(i) => {
                if self.batch_parent == self.cut.skeleton[i].start {
                    self.flush();
                }
                self.after_record = false;
            }
            Ev::Open(_) => {
                // a batch is closed with the frames it was opened in
                self.flush();
                self.after_record = false;
            }
        }
    }

    fn inside(&mut self, ev: Ev, text: &str, at: usize) {
        match ev {
            Ev::Record(i) => {
                let rec = self.cut.records[i];
                if (rec.end - rec.start) as u64 <= self.limits.max_bytes {
                    self.batch.push(text, at, true);
                }
            }
            Ev::Open(_) => {
                self.tag.push_str(text);
                self.residue_push(text, at);
            }
            Ev::Close(_) => self.residue_push(text, at),
        }
    }

    fn end(&mut self, ev: Ev, start: usize) {
        match ev {
            Ev::Record(i) => {
                let rec = self.cut.records[i];
                let len = self.batch.text.len();
                if let Some(r) = self.batch.records.last_mut().filter(|r| r.1 == rec.start) {
                    r.0.end = len;
                }
                if (rec.end - rec.start) as u64 > self.limits.max_bytes {
                    self.out.push(Found {
                        diagnostic: Diagnostic::new(
                            &super::NOT_RUN,
                            rec.start..rec.start,
                            format!(
                                "the Schematron rules did not run on this element: it has {} bytes, more than the tree limit of {} (--schematron-max-bytes), and no child elements to check one by one",
                                rec.end - rec.start,
                                self.limits.max_bytes
                            ),
                        ),
                        tag: rec.start..rec.start,
                    });
                }
            }
            Ev::Open(i) => {
                let k = &self.cut.skeleton[i];
                let (ns, l) = &self.cut.names[k.name as usize];
                let n = match self.frames.last_mut() {
                    Some(f) => bump(&mut f.counts, k.name),
                    None => 1,
                };
                let parent_residue = self.frames.last().map_or("", |f| f.residue_path.as_str());
                let residue_path = format!("{parent_residue}/Q{{{ns}}}{l}[{n}]");
                self.residue
                    .paths
                    .insert(residue_path.clone(), k.path.clone());
                self.frames.push(Frame {
                    tag: std::mem::take(&mut self.tag),
                    orig: start,
                    batch_step: format!("/Q{{{ns}}}{l}[1]"),
                    residue_path,
                    path: k.path.clone(),
                    counts: Vec::new(),
                });
            }
            Ev::Close(_) => {
                self.frames.pop();
            }
        }
    }

    /// Starts a batch inside the current frames.
    fn open_batch(&mut self, parent: usize) {
        self.batch_parent = parent;
        self.batch_counts.clear();
        self.batch.push(&self.prolog.clone(), 0, false);
        for f in &self.frames {
            self.batch.push(&f.tag, f.orig, false);
        }
    }

    /// Runs the batch under way.
    fn flush(&mut self) {
        if self.batch.text.is_empty() {
            return;
        }
        self.batch.tail = self.batch.text.len();
        for f in self.frames.iter().rev() {
            self.batch.synthetic(&format!("</{}>", qname(&f.tag)));
        }
        let doc = std::mem::take(&mut self.batch);
        let (found, no_tree) = self.findings(&doc);
        if no_tree && doc.records.len() > 1 {
            // one record's tree cannot be built (an `xml:id` that another record of the
            // batch has too): each record alone, as a file of its own would be
            let head = &doc.text[..doc.records[0].0.start];
            let tail = &doc.text[doc.tail..];
            for (range, orig, step, path) in &doc.records {
                let mut one = Doc::default();
                one.synthetic(head);
                one.push(&doc.text[range.clone()], *orig, true);
                one.synthetic(tail);
                one.paths.insert(format!("{step}[1]"), path.clone());
                let (found, _) = self.findings(&one);
                self.out.extend(found);
            }
        } else {
            self.out.extend(found);
        }
        self.batch_counts.clear();
        self.batch_parent = usize::MAX;
    }

    fn finish_residue(&mut self) {
        if !self.cut.is_split() {
            return;
        }
        if self.residue_over {
            self.out.push(Found {
                diagnostic: Diagnostic::new(
                    &super::NOT_RUN,
                    0..0,
                    format!(
                        "the Schematron rules did not run on the elements around this file's records: without its records the file still has more than {} bytes (--schematron-max-bytes)",
                        self.limits.max_bytes
                    ),
                ),
                tag: 0..0,
            });
            return;
        }
        let doc = std::mem::take(&mut self.residue);
        let (found, _) = self.findings(&doc);
        self.out.extend(found);
    }

    /// Runs every schema on one document: the findings it owns, and whether its tree could
    /// not be built.
    fn findings(&self, doc: &Doc) -> (Vec<Found>, bool) {
        let mut out = Vec::new();
        let mut no_tree = false;
        for s in self.schemas {
            for mut d in s.run(&doc.text, self.limits) {
                if d.code.id == super::NOT_RUN.id && !d.message.contains("--schematron-") {
                    no_tree = true;
                }
                let (span, tag) = if d.span == (0..0) && d.schematron.is_none() {
                    // about the whole document (a time limit, a dynamic error): at its first
                    // record
                    let at = doc.first.unwrap_or(0);
                    (at..at, at..at)
                } else {
                    let Some(start) = doc.orig(d.span.start) else {
                        continue;
                    };
                    let end = start + (d.span.end.saturating_sub(d.span.start));
                    let tag_end = doc.text[d.span.start.min(doc.text.len())..]
                        .find('>')
                        .map_or(start, |e| start + e);
                    (start..end, start..tag_end)
                };
                d.span = span;
                if let Some(p) = d.path.as_mut() {
                    *p = doc.location(p);
                }
                if let Some(f) = d.schematron.as_mut() {
                    f.location = doc.location(&f.location);
                }
                out.push(Found { diagnostic: d, tag });
            }
        }
        (out, no_tree)
    }
}

/// Whether a rule of `s` may have a text node as its context.
fn matches_text(s: &Schematron) -> bool {
    s.plan.patterns.iter().any(|p| {
        p.rules.iter().any(|r| {
            r.context
                .last_steps()
                .iter()
                .any(|(t, attribute, _)| !attribute && matches!(t, Test::Text | Test::Node))
        })
    })
}

/// Counts one more `name` and returns its count.
fn bump(counts: &mut Vec<(u32, u32)>, name: u32) -> u32 {
    match counts.iter_mut().find(|(k, _)| *k == name) {
        Some((_, c)) => {
            *c += 1;
            *c
        }
        None => {
            counts.push((name, 1));
            1
        }
    }
}

/// The element name of a start tag as written.
fn qname(tag: &str) -> &str {
    let t = tag.trim_start_matches('<');
    let end = t
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(t.len());
    &t[..end]
}
