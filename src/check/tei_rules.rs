//! TEI rules the grammar cannot state (the Guidelines' Schematron constraints), checked
//! natively: att.datable (`@when` alone; `@notBefore` ≤ `@notAfter`; `@from` ≤ `@to`),
//! att.typed (`@subtype` needs `@type`), `@spanTo` points forward, `@calendar` needs content.

use super::dates::PartialDate;
use super::ids::Ids;
use super::path::PathTracker;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Bounded;
use crate::xml::{EndTag, StartTag};
use std::cmp::Ordering;
use std::ops::Range;

/// `tei::tei::when_with_range`
pub static WHEN_WITH_RANGE: Code = Code {
    id: "tei::tei::when_with_range",
    severity: Severity::Error,
    summary: "@when is combined with @notBefore, @notAfter, @from or @to",
    explanation: "In att.datable, `@when` gives an exact date; `@notBefore`/`@notAfter` and \
`@from`/`@to` give ranges. The TEI Guidelines forbid combining `@when` with any of them \
(constraint `att.datable-calendar`/`att.datable.w3c`). Keep one: `@when` if the date is known, \
the range otherwise.",
};

/// `tei::tei::inverted_range`
pub static INVERTED_RANGE: Code = Code {
    id: "tei::tei::inverted_range",
    severity: Severity::Error,
    summary: "@notBefore is after @notAfter, or @from is after @to",
    explanation: "A date range must not end before it starts. Partial dates are compared as the \
intervals they cover: `notBefore=\"1889\"` and `notAfter=\"1889-03\"` are fine, \
`notBefore=\"1889-04\"` and `notAfter=\"1889-03-31\"` are not. Swap or correct the values.",
};

/// `tei::tei::subtype_without_type`
pub static SUBTYPE_WITHOUT_TYPE: Code = Code {
    id: "tei::tei::subtype_without_type",
    severity: Severity::Error,
    summary: "@subtype is used without @type",
    explanation:
        "att.typed: an element should not be categorised in detail with `@subtype` unless \
it is also categorised in general with `@type`. Add `@type`.",
};

/// `tei::tei::span_to_backward`
pub static SPAN_TO_BACKWARD: Code = Code {
    id: "tei::tei::span_to_backward",
    severity: Severity::Error,
    summary: "@spanTo points to an element that does not follow",
    explanation: "att.spanning: `@spanTo` marks the end of a span (`addSpan`, `delSpan`, \
`damageSpan`…) and must point to an element that follows the spanning element in the document. \
Move the anchor or fix the pointer.",
};

/// `tei::tei::calendar_without_content`
pub static CALENDAR_WITHOUT_CONTENT: Code = Code {
    id: "tei::tei::calendar_without_content",
    severity: Severity::Error,
    summary: "@calendar on an element with no text content",
    explanation: "`@calendar` says to which calendar the date *written in the element's content* \
belongs, so an empty element with `@calendar` says nothing. Add the date as written, or use \
`@datingMethod` for the normalised attributes.",
};

struct Open {
    calendar: Option<Range<usize>>,
    text_before: usize,
}

struct SpanTo {
    target: String,
    element_start: usize,
    span: Range<usize>,
    path: String,
}

/// The TEI rules.
#[derive(Default)]
pub struct TeiRules {
    pub(super) diagnostics: Bounded,
    open: Vec<Open>,
    text_seen: usize,
    span_to: Vec<SpanTo>,
}

impl TeiRules {
    pub(crate) fn start(&mut self, tag: &StartTag<'_>, path: &PathTracker) {
        if tag.attributes.is_empty() {
            // every rule here is about attributes
            self.open.push(Open {
                calendar: None,
                text_before: self.text_seen,
            });
            return;
        }
        let get = |n: &str| super::attr(tag, n);
        if let Some(when) = get("when") {
            let others: Vec<&str> = ["notBefore", "notAfter", "from", "to"]
                .into_iter()
                .filter(|n| get(n).is_some())
                .collect();
            if !others.is_empty() {
                let list = others
                    .iter()
                    .map(|o| format!("@{o}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.diagnostics.push(
                    Diagnostic::new(
                        &WHEN_WITH_RANGE,
                        when.span.clone(),
                        format!("<{}> has @when together with {list}", tag.qname),
                    )
                    .with_help(
                        "keep @when for a known date, or the range attributes for an uncertain one",
                    )
                    .with_path(path.current()),
                );
            }
        }
        for (lo, hi) in [("notBefore", "notAfter"), ("from", "to")] {
            if let (Some(a), Some(b)) = (get(lo), get(hi)) {
                if let (Some(x), Some(y)) =
                    (PartialDate::parse(a.value), PartialDate::parse(b.value))
                {
                    if x.certainly_cmp(&y) == Ordering::Greater {
                        self.diagnostics.push(
                            Diagnostic::new(
                                &INVERTED_RANGE,
                                a.span.clone(),
                                format!("@{lo}=\"{}\" is after @{hi}=\"{}\"", a.value, b.value),
                            )
                            .with_label(b.span.clone(), format!("@{hi} here"))
                            .with_help(format!(
                                "a range must not end before it starts: swap @{lo} and @{hi}?"
                            ))
                            .with_path(path.current()),
                        );
                    }
                }
            }
        }
        if let Some(st) = get("subtype") {
            if get("type").is_none() {
                self.diagnostics.push(
                    Diagnostic::new(
                        &SUBTYPE_WITHOUT_TYPE,
                        st.span.clone(),
                        format!("<{}> has @subtype=\"{}\" but no @type", tag.qname, st.value),
                    )
                    .with_help("add @type with the general category")
                    .with_path(path.current()),
                );
            }
        }
        if let Some(sp) = get("spanTo") {
            if let Some(target) = sp.value.trim().strip_prefix('#') {
                self.span_to.push(SpanTo {
                    target: target.to_string(),
                    element_start: tag.span.start,
                    span: sp.span.clone(),
                    path: path.current(),
                });
            }
        }
        let calendar = get("calendar").map(|c| c.span.clone());
        self.open.push(Open {
            calendar,
            text_before: self.text_seen,
        });
    }

    pub(crate) fn text(&mut self, text: &str) {
        self.text_seen += text.len();
    }

    /// An element ends (`path` still has it open).
    pub(crate) fn end(&mut self, tag: &EndTag<'_>, path: &PathTracker) {
        if let Some(open) = self.open.pop() {
            if let Some(span) = open.calendar {
                if self.text_seen == open.text_before {
                    self.diagnostics.push(
                        Diagnostic::new(&CALENDAR_WITHOUT_CONTENT, span, format!("<{}> has @calendar but no text content to which it could apply", tag.qname))
                            .with_help("write the date as the source gives it inside the element, or drop @calendar")
                            .with_path(path.current()),
                    );
                }
            }
        }
    }

    pub(crate) fn finish(self, ids: &Ids) -> Bounded {
        let mut d = self.diagnostics;
        for s in self.span_to {
            // a missing target is reported by the pointer check
            if let Some(site) = ids.get(&s.target) {
                if site.element_start <= s.element_start {
                    d.push(
                        Diagnostic::new(
                            &SPAN_TO_BACKWARD,
                            s.span,
                            format!(
                                "@spanTo points to `#{}`, which comes before the spanning element",
                                s.target
                            ),
                        )
                        .with_label(site.span.clone(), "target defined here")
                        .with_help("@spanTo must point forward, to the element where the span ends")
                        .with_path(s.path),
                    );
                }
            }
        }
        d
    }
}
