//! Correspondence rules: one sent action per `correspDesc`; received not before sent; action
//! types among the suggested values; parties identified; `correspContext` neighbours in date
//! order; each letter of the text linked to a `correspDesc`.
//!
//! A party (`persName`, `orgName`) counts as identified with `@ref` **or** `@key`: both are
//! att.canonical, and editions such as the Escher letters identify every party by `@key`.

use super::dates::PartialDate;
use super::ids::Ids;
use super::path::PathTracker;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Bounded;
use crate::xml::{EndTag, StartTag};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// `tei::corresp::no_sent_action`
pub static NO_SENT_ACTION: Code = Code {
    id: "tei::corresp::no_sent_action",
    severity: Severity::Warning,
    summary: "A correspDesc has no correspAction of type sent",
    explanation:
        "Every letter was sent by someone, somewhere, at some time, even if none of it is \
known: correspSearch and most letter indexes expect one `<correspAction type=\"sent\">` per \
`correspDesc`. Add it (it may be empty of known data, e.g. `<persName>Unbekannt</persName>`).",
};

/// `tei::corresp::several_sent_actions`
pub static SEVERAL_SENT_ACTIONS: Code = Code {
    id: "tei::corresp::several_sent_actions",
    severity: Severity::Error,
    summary: "A correspDesc has more than one correspAction of type sent",
    explanation:
        "One `correspDesc` describes one letter, which was sent once. Put several senders \
into one `<correspAction type=\"sent\">`, and describe forwarding with `type=\"forwarded\"` or \
`\"redirected\"`.",
};

/// `tei::corresp::received_before_sent`
pub static RECEIVED_BEFORE_SENT: Code = Code {
    id: "tei::corresp::received_before_sent",
    severity: Severity::Error,
    summary: "The received date is before the sent date",
    explanation: "The date of `<correspAction type=\"received\">` ends before the date of \
`<correspAction type=\"sent\">` begins (partial dates and ranges are compared as the intervals \
they cover, so only a certain contradiction is reported). One of the dates is wrong.",
};

/// `tei::corresp::unknown_action_type`
pub static UNKNOWN_ACTION_TYPE: Code = Code {
    id: "tei::corresp::unknown_action_type",
    severity: Severity::Warning,
    summary:
        "A correspAction @type is not one of sent, received, transmitted, redirected, forwarded",
    explanation: "The TEI Guidelines suggest these values for `correspAction/@type`: `sent`, \
`received`, `transmitted`, `redirected`, `forwarded`. Tools that exchange letter metadata \
(CMIF, correspSearch) understand only these. Use one of them, or keep a project value knowingly \
(silence the code in `teikit.toml`).",
};

/// `tei::corresp::unidentified_party`
pub static UNIDENTIFIED_PARTY: Code = Code {
    id: "tei::corresp::unidentified_party",
    severity: Severity::Warning,
    summary: "A persName or orgName in a correspAction has neither @ref nor @key",
    explanation:
        "Without `@ref` (a pointer to the personography or an authority URI such as GND or \
VIAF) or `@key`, the sender or addressee cannot be matched across letters or exported to CMIF. \
Add `@ref=\"#id\"` or an authority URI.",
};

/// `tei::corresp::context_out_of_order`
pub static CONTEXT_OUT_OF_ORDER: Code = Code {
    id: "tei::corresp::context_out_of_order",
    severity: Severity::Warning,
    summary: "A correspContext prev/next letter is not in date order",
    explanation: "A `correspContext` `ref`/`ptr` of type `prev` (`previous`) names a letter sent \
after this one, or one of type `next` names a letter sent before it. Either the pointer or one of \
the sent dates is wrong. Only targets among the validated files (by `xml:id` of the root or of the \
`correspDesc`, or by file name) are compared.",
};

/// `tei::corresp::letter_without_correspdesc`
pub static LETTER_WITHOUT_CORRESPDESC: Code = Code {
    id: "tei::corresp::letter_without_correspdesc",
    severity: Severity::Warning,
    summary: "A letter in the text is linked to no correspDesc",
    explanation: "A `div` or `floatingText` of `type=\"letter\"` should say which `correspDesc` \
describes it: `@decls=\"#cd1\"` on the letter, or `<correspDesc ref=\"#letter1\">` in the header. \
Neither link exists, or the link names something that is not a correspDesc. A file with exactly \
one letter and one `correspDesc` needs no link.",
};

/// Labels shown at most on one diagnostic (the message gives the count).
const MAX_LABELS: usize = 8;

/// The suggested `correspAction/@type` values.
pub const ACTION_TYPES: &[&str] = &["sent", "received", "transmitted", "redirected", "forwarded"];

/// A date or range, as the interval of its possible values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// Earliest possible value.
    pub lo: Option<PartialDate>,
    /// Latest possible value.
    pub hi: Option<PartialDate>,
}

impl DateRange {
    /// From att.datable attributes (`@when`, `@notBefore`/`@from`, `@notAfter`/`@to`).
    pub fn from_tag(tag: &StartTag<'_>) -> DateRange {
        let p = |n: &str| super::attr(tag, n).and_then(|a| PartialDate::parse(a.value));
        match p("when") {
            Some(w) => DateRange {
                lo: Some(w),
                hi: Some(w),
            },
            None => DateRange {
                lo: p("notBefore").or_else(|| p("from")),
                hi: p("notAfter").or_else(|| p("to")),
            },
        }
    }

    /// Whether every possible value of `self` is before every possible value of `other`.
    pub fn certainly_before(&self, other: &DateRange) -> bool {
        match (self.hi, other.lo) {
            (Some(a), Some(b)) => a.end() < b.start(),
            _ => false,
        }
    }

    /// Whether anything is known.
    pub fn is_known(&self) -> bool {
        self.lo.is_some() || self.hi.is_some()
    }

    /// `1889-08-03`, or `1889-08/1889-09` for a range.
    pub fn describe(&self) -> String {
        match (self.lo, self.hi) {
            (Some(a), Some(b)) if a == b => a.to_iso(),
            (a, b) => format!(
                "{}/{}",
                a.map_or("..".into(), |d| d.to_iso()),
                b.map_or("..".into(), |d| d.to_iso())
            ),
        }
    }
}

/// One correspDesc, for the cross-file date order check.
#[derive(Debug, Clone)]
pub struct LetterDate {
    /// The correspDesc's `xml:id`.
    pub id: Option<String>,
    /// When the letter was sent.
    pub sent: DateRange,
}

/// Prev or next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The previous letter.
    Prev,
    /// The next letter.
    Next,
}

/// A `correspContext` pointer to the previous or next letter.
#[derive(Debug, Clone)]
pub struct ContextRef {
    /// Prev or next.
    pub direction: Direction,
    /// The target as written.
    pub target: String,
    /// Sent date of the letter whose correspDesc holds the pointer.
    pub sent: DateRange,
    /// Byte range of the `@target` value.
    pub span: Range<usize>,
    /// Element path.
    pub path: String,
}

struct Action {
    kind: Option<String>,
    span: Range<usize>,
    type_span: Option<Range<usize>>,
    date: DateRange,
    has_date: bool,
}

struct Desc {
    id: Option<String>,
    span: Range<usize>,
    actions: Vec<Action>,
    context: Vec<(Direction, String, Range<usize>, String)>,
}

struct LetterDiv {
    id: Option<String>,
    decls: Vec<String>,
    span: Range<usize>,
    path: String,
    element: String,
}

/// The correspondence rules.
#[derive(Default)]
pub struct Corresp {
    pub(super) diagnostics: Bounded,
    depth: usize,
    desc: Option<(usize, Desc)>,
    action_depth: Option<usize>,
    party_depth: Option<usize>,
    context_depth: Option<usize>,
    descs: Vec<LetterDate>,
    desc_ids: HashSet<String>,
    desc_refs: HashSet<String>,
    context: Vec<ContextRef>,
    letters: Vec<LetterDiv>,
}

impl Corresp {
    pub(crate) fn start(&mut self, tag: &StartTag<'_>, path: &PathTracker) {
        self.depth += 1;
        let el = |n: &str| super::tei_el(tag.ns, tag.local, n);
        if (el("div") || el("floatingText"))
            && super::attr(tag, "type").is_some_and(|t| t.value == "letter")
        {
            self.letters.push(LetterDiv {
                id: super::xml_id(tag).map(|a| a.value.trim().to_string()),
                decls: super::attr(tag, "decls")
                    .map(|a| a.value.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                span: tag.span.clone(),
                path: path.current(),
                element: tag.qname.to_string(),
            });
        }
        if el("correspDesc") {
            let id = super::xml_id(tag).map(|a| a.value.trim().to_string());
            if let Some(id) = &id {
                self.desc_ids.insert(id.clone());
            }
            for a in ["ref", "corresp"] {
                if let Some(r) = super::attr(tag, a) {
                    for t in r.value.split_whitespace() {
                        if let Some(f) = t.strip_prefix('#') {
                            self.desc_refs.insert(f.to_string());
                        }
                    }
                }
            }
            self.desc = Some((
                self.depth,
                Desc {
                    id,
                    span: tag.span.clone(),
                    actions: Vec::new(),
                    context: Vec::new(),
                },
            ));
            return;
        }
        let Some((_, desc)) = self.desc.as_mut() else {
            return;
        };
        if el("correspAction") && self.action_depth.is_none() {
            let t = super::attr(tag, "type");
            desc.actions.push(Action {
                kind: t.map(|a| a.value.trim().to_string()),
                span: tag.span.clone(),
                type_span: t.map(|a| a.span.clone()),
                date: DateRange::default(),
                has_date: false,
            });
            self.action_depth = Some(self.depth);
            if let Some(t) = t {
                let v = t.value.trim();
                if !ACTION_TYPES.contains(&v) {
                    let help = match super::nearest(v, ACTION_TYPES.iter().copied()) {
                        Some(b) => format!(
                            "did you mean `{b}`? The suggested values are: {}",
                            ACTION_TYPES.join(", ")
                        ),
                        None => format!("the suggested values are: {}", ACTION_TYPES.join(", ")),
                    };
                    self.diagnostics.push(
                        Diagnostic::new(
                            &UNKNOWN_ACTION_TYPE,
                            t.span.clone(),
                            format!(
                                "correspAction @type=\"{v}\" is not one of the suggested values"
                            ),
                        )
                        .with_help(help)
                        .with_path(path.current()),
                    );
                }
            } else {
                self.diagnostics.push(
                    Diagnostic::new(
                        &UNKNOWN_ACTION_TYPE,
                        tag.span.clone(),
                        "correspAction has no @type",
                    )
                    .with_help(format!("add @type, one of: {}", ACTION_TYPES.join(", ")))
                    .with_path(path.current()),
                );
            }
            return;
        }
        if el("correspContext") {
            self.context_depth = Some(self.depth);
        }
        if self.context_depth.is_some() && (el("ref") || el("ptr")) {
            let ty = super::attr(tag, "type").map(|a| a.value.trim().to_ascii_lowercase());
            let dir = match ty.as_deref() {
                Some("prev") | Some("previous") | Some("preceding") => Some(Direction::Prev),
                Some("next") | Some("following") => Some(Direction::Next),
                _ => None,
            };
            if let (Some(dir), Some(target)) = (dir, super::attr(tag, "target")) {
                for t in target.value.split_whitespace() {
                    desc.context.push((
                        dir,
                        t.to_string(),
                        target.value_span.clone(),
                        path.current(),
                    ));
                }
            }
        }
        if self.action_depth.is_some() {
            if el("date") {
                if let Some(a) = desc.actions.last_mut() {
                    if !a.has_date {
                        a.date = DateRange::from_tag(tag);
                        a.has_date = true;
                    }
                }
            }
            if (el("persName") || el("orgName")) && self.party_depth.is_none() {
                self.party_depth = Some(self.depth);
                if super::attr(tag, "ref").is_none() && super::attr(tag, "key").is_none() {
                    self.diagnostics.push(
                        Diagnostic::new(&UNIDENTIFIED_PARTY, tag.span.clone(), format!("<{}> in a correspAction has neither @ref nor @key", tag.qname))
                            .with_help("add @ref=\"#id\" (personography) or an authority URI (GND, VIAF, Wikidata)")
                            .with_path(path.current()),
                    );
                }
            }
        }
    }

    /// An element ends (`path` still has it open).
    pub(crate) fn end(&mut self, _tag: &EndTag<'_>, path: &PathTracker) {
        let d = self.depth;
        self.depth = self.depth.saturating_sub(1);
        if self.party_depth == Some(d) {
            self.party_depth = None;
        }
        if self.action_depth == Some(d) {
            self.action_depth = None;
        }
        if self.context_depth == Some(d) {
            self.context_depth = None;
        }
        if matches!(self.desc, Some((dd, _)) if dd == d) {
            if let Some((_, desc)) = self.desc.take() {
                self.close_desc(desc, path);
            }
        }
    }

    fn close_desc(&mut self, desc: Desc, path: &PathTracker) {
        let sent: Vec<&Action> = desc
            .actions
            .iter()
            .filter(|a| a.kind.as_deref() == Some("sent"))
            .collect();
        if sent.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(&NO_SENT_ACTION, desc.span.clone(), format!("correspDesc has {} correspAction(s) but none of type sent", desc.actions.len()))
                    .with_help("add <correspAction type=\"sent\"> with what is known of sender, place and date")
                    .with_path(path.current()),
            );
        } else if sent.len() > 1 {
            let mut d = Diagnostic::new(&SEVERAL_SENT_ACTIONS, sent[1].type_span.clone().unwrap_or(sent[1].span.clone()), format!("correspDesc has {} correspActions of type sent; expected one", sent.len()))
                .with_label(sent[0].span.clone(), "first sent action here")
                .with_help("put all senders into one sent action; use type=\"forwarded\" or \"redirected\" for later stages")
                .with_path(path.current());
            for s in sent[2..].iter().take(MAX_LABELS) {
                d = d.with_label(s.span.clone(), "another sent action");
            }
            self.diagnostics.push(d);
        }
        let sent_date = sent.first().map(|a| a.date).unwrap_or_default();
        if sent_date.is_known() {
            for r in desc
                .actions
                .iter()
                .filter(|a| a.kind.as_deref() == Some("received"))
            {
                if r.date.certainly_before(&sent_date) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            &RECEIVED_BEFORE_SENT,
                            r.span.clone(),
                            format!(
                                "received {} is before sent {}",
                                r.date.describe(),
                                sent_date.describe()
                            ),
                        )
                        .with_label(sent[0].span.clone(), "sent here")
                        .with_help("a letter cannot arrive before it was sent: check both dates")
                        .with_path(path.current()),
                    );
                }
            }
        }
        for (direction, target, span, path) in desc.context {
            self.context.push(ContextRef {
                direction,
                target,
                sent: sent_date,
                span,
                path,
            });
        }
        self.descs.push(LetterDate {
            id: desc.id,
            sent: sent_date,
        });
    }

    pub(crate) fn finish(mut self, ids: &Ids) -> (Vec<LetterDate>, Vec<ContextRef>, Bounded) {
        // context pointers within the file: `#id` of another correspDesc here (the first
        // with that id); only the letters pointed to are looked up (a file of many letters
        // and few pointers holds no second table of every letter)
        let wanted: HashSet<&str> = self
            .context
            .iter()
            .filter_map(|c| c.target.strip_prefix('#'))
            .collect();
        let mut local: HashMap<&str, DateRange> = HashMap::new();
        if !wanted.is_empty() {
            for l in &self.descs {
                if let Some(id) = l.id.as_deref().filter(|id| wanted.contains(id)) {
                    local.entry(id).or_insert(l.sent);
                }
            }
        }
        let mut remote = Vec::new();
        for c in std::mem::take(&mut self.context) {
            if let Some(frag) = c.target.strip_prefix('#') {
                if let Some(other) = local.get(frag) {
                    if let Some(d) = order_diagnostic(&c, other, frag) {
                        self.diagnostics.push(d);
                    }
                }
                continue; // a missing `#id` is the pointer check's
            }
            remote.push(c);
        }
        let first_desc_id = self.desc_ids.iter().min();
        for l in &self.letters {
            let by_decls = l.decls.iter().any(|d| {
                d.strip_prefix('#')
                    .is_some_and(|f| self.desc_ids.contains(f))
            });
            let by_ref = l.id.as_ref().is_some_and(|id| self.desc_refs.contains(id));
            // one letter and one correspDesc in a file belong together without a link
            let implicit = l.decls.is_empty() && self.letters.len() == 1 && self.descs.len() == 1;
            if by_decls || by_ref || implicit {
                continue;
            }
            let msg = if l.decls.is_empty() {
                format!(
                    "<{} type=\"letter\"> has no @decls and no correspDesc/@ref points to it",
                    l.element
                )
            } else {
                let named = l.decls.iter().map(|d| {
                    let what = d
                        .strip_prefix('#')
                        .and_then(|f| ids.get(f))
                        .map_or("nothing here".to_string(), |s| format!("a <{}>", s.element));
                    format!("`{d}` ({what})")
                });
                format!(
                    "<{} type=\"letter\"> names {} in @decls, but no correspDesc",
                    l.element,
                    named.collect::<Vec<_>>().join(", ")
                )
            };
            let help = match (&l.id, first_desc_id) {
                (_, Some(cd)) => format!("add decls=\"#{cd}\" (or the id of its correspDesc)"),
                (Some(id), None) => {
                    format!("add <correspDesc ref=\"#{id}\"> to the header's profileDesc")
                }
                (None, None) => {
                    "give the letter an xml:id and add a correspDesc whose @ref points to it"
                        .to_string()
                }
            };
            self.diagnostics.push(
                Diagnostic::new(&LETTER_WITHOUT_CORRESPDESC, l.span.clone(), msg)
                    .with_help(help)
                    .with_path(l.path.clone()),
            );
        }
        (self.descs, remote, self.diagnostics)
    }
}

/// The diagnostic for a prev/next pointer to a letter sent at `other`, if out of order.
pub(crate) fn order_diagnostic(
    c: &ContextRef,
    other: &DateRange,
    name: &str,
) -> Option<Diagnostic> {
    let wrong = match c.direction {
        Direction::Prev => c.sent.certainly_before(other),
        Direction::Next => other.certainly_before(&c.sent),
    };
    if !wrong {
        return None;
    }
    let (dir, rel) = match c.direction {
        Direction::Prev => ("previous", "after"),
        Direction::Next => ("next", "before"),
    };
    Some(
        Diagnostic::new(
            &CONTEXT_OUT_OF_ORDER,
            c.span.clone(),
            format!(
                "the {dir} letter `{name}` was sent {}, {rel} this letter ({})",
                other.describe(),
                c.sent.describe()
            ),
        )
        .with_help("check the pointer and both sent dates")
        .with_path(c.path.clone()),
    )
}
