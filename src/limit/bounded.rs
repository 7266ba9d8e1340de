//! A producer's diagnostics, kept within the `diagnostics` limit while they are found.
//!
//! A file with a mistake repeated on every record (the same `xml:id` on 200,000 letters, a
//! Schematron rule that fires on each of them) would otherwise hold every diagnostic until the
//! end of the file: memory in proportion to the file, only for [`super::cap_diagnostics`] to
//! drop all but the first thousand. [`Bounded`] keeps, for each code and severity, the
//! earliest `max` by position and counts the rest ([`Surplus`]). That is enough for the cap to
//! choose exactly what it would have chosen from all of them: it keeps the most serious,
//! earliest first, and a configuration changes severity per code only.

use super::dropped_placeholder;
use crate::diagnostic::{Code, Diagnostic, Severity};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;

/// Diagnostics of one code and severity that were found past the limit and not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surplus {
    /// Their code.
    pub code: &'static Code,
    /// Their severity as found (a configuration may change it:
    /// `validate::config::Config::count_surplus`).
    pub severity: Severity,
    /// How many were not kept.
    pub count: usize,
    /// The span of the earliest of them.
    pub first: Range<usize>,
}

/// Hidden diagnostics by severity: errors, warnings, advice (the order
/// [`super::cap_diagnostics`] counts them in).
pub type Hidden = [usize; 3];

/// A [`dropped_placeholder`] where the earliest let-go diagnostic of each [`Surplus`] was.
pub fn placeholders(surplus: &[Surplus]) -> impl Iterator<Item = Diagnostic> + '_ {
    surplus.iter().map(|s| dropped_placeholder(s.first.clone()))
}

/// The index of `severity` in a [`Hidden`] count.
pub fn slot(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Advice => 2,
    }
}

/// What [`Bounded`] keeps: a diagnostic, or something that carries one.
pub trait Finding {
    /// The diagnostic.
    fn diagnostic(&self) -> &Diagnostic;
}

impl Finding for Diagnostic {
    fn diagnostic(&self) -> &Diagnostic {
        self
    }
}

/// A diagnostic with something of its producer's (where its element path is, to spell later).
impl<T> Finding for (Diagnostic, T) {
    fn diagnostic(&self) -> &Diagnostic {
        &self.0
    }
}

/// One kept finding, ordered by position, then by when it was found.
#[derive(Debug)]
struct Entry<T> {
    start: usize,
    seq: usize,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.start, self.seq) == (other.start, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.start, self.seq).cmp(&(other.start, other.seq))
    }
}

/// The diagnostics of one code and severity: the earliest `max` (a max-heap, the latest on
/// top to be let go first) and what was let go.
#[derive(Debug)]
struct Group<T> {
    code: &'static Code,
    severity: Severity,
    kept: BinaryHeap<Entry<T>>,
    dropped: usize,
    first_dropped: Option<Range<usize>>,
}

/// A producer's diagnostics, at most `max` kept per code and severity (the earliest by
/// position), the rest counted. Without [`Bounded::new`]'s bound ([`Default`]) every one is
/// kept.
#[derive(Debug)]
pub struct Bounded<T = Diagnostic> {
    max: usize,
    seq: usize,
    groups: Vec<Group<T>>,
    /// `groups` by code (its address: codes are statics) and severity.
    index: foldhash::HashMap<(usize, Severity), usize>,
}

impl<T: Finding> Default for Bounded<T> {
    fn default() -> Self {
        Bounded::new(usize::MAX)
    }
}

impl<T: Finding> Bounded<T> {
    /// Keeps at most `max` diagnostics of each code and severity.
    pub fn new(max: usize) -> Self {
        Bounded {
            max,
            seq: 0,
            groups: Vec::new(),
            index: Default::default(),
        }
    }

    /// Adds `item`: kept if it is among the earliest `max` of its code and severity so far (a
    /// later one kept before it is then let go), else counted.
    pub fn push(&mut self, item: T) {
        let d = item.diagnostic();
        let seq = self.seq;
        self.seq += 1;
        let key = (std::ptr::from_ref(d.code) as usize, d.severity);
        let next = self.groups.len();
        let at = *self.index.entry(key).or_insert(next);
        if at == next {
            self.groups.push(Group {
                code: d.code,
                severity: d.severity,
                kept: BinaryHeap::new(),
                dropped: 0,
                first_dropped: None,
            });
        }
        let group = &mut self.groups[at];
        let entry = Entry {
            start: d.span.start,
            seq,
            item,
        };
        let let_go = if group.kept.len() < self.max {
            group.kept.push(entry);
            return;
        } else if group.kept.peek().is_some_and(|top| *top > entry) {
            let top = group.kept.pop().expect("peeked");
            group.kept.push(entry);
            top
        } else {
            entry
        };
        group.dropped += 1;
        let span = let_go.item.diagnostic().span.clone();
        if group
            .first_dropped
            .as_ref()
            .is_none_or(|f| span.start < f.start)
        {
            group.first_dropped = Some(span);
        }
    }

    /// The kept findings in the order they were found, and what was let go.
    pub fn finish(self) -> (Vec<T>, Vec<Surplus>) {
        let mut kept = Vec::new();
        let mut surplus = Vec::new();
        for g in self.groups {
            kept.extend(g.kept.into_vec());
            if let Some(first) = g.first_dropped {
                surplus.push(Surplus {
                    code: g.code,
                    severity: g.severity,
                    count: g.dropped,
                    first,
                });
            }
        }
        kept.sort_unstable_by_key(|e| e.seq);
        (kept.into_iter().map(|e| e.item).collect(), surplus)
    }
}

impl Bounded<Diagnostic> {
    /// The kept diagnostics in the order they were found, with a
    /// [`super::dropped_placeholder`] where the earliest let-go one of each code and severity
    /// was; the surplus is returned for counting.
    pub fn finish_with_placeholders(self) -> (Vec<Diagnostic>, Vec<Surplus>) {
        let (mut kept, surplus) = self.finish();
        kept.extend(placeholders(&surplus));
        (kept, surplus)
    }
}

impl<T: Finding> Extend<T> for Bounded<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: &'static Code, start: usize) -> Diagnostic {
        Diagnostic::new(code, start..start + 1, format!("at {start}"))
    }

    #[test]
    fn keeps_the_earliest_of_each_code_and_counts_the_rest() {
        let a = &crate::check::CODES[0];
        let b = &crate::check::CODES[1];
        let mut bounded: Bounded = Bounded::new(2);
        for start in [50, 10, 40, 30, 20] {
            bounded.push(at(a, start));
        }
        bounded.push(at(b, 99));
        let (kept, surplus) = bounded.finish();
        let starts: Vec<usize> = kept.iter().map(|d| d.span.start).collect();
        // the two earliest of `a` in the order found, then `b`'s only one
        assert_eq!(starts, [10, 20, 99]);
        assert_eq!(surplus.len(), 1);
        assert_eq!(surplus[0].count, 3);
        assert_eq!(surplus[0].first, 30..31);
    }

    #[test]
    fn a_severity_of_its_own_is_a_group_of_its_own() {
        let a = &crate::check::CODES[0];
        let mut bounded: Bounded = Bounded::new(1);
        let mut w = at(a, 5);
        w.severity = Severity::Advice;
        bounded.push(at(a, 9));
        bounded.push(w);
        bounded.push(at(a, 7));
        let (kept, surplus) = bounded.finish();
        assert_eq!(kept.len(), 2);
        assert_eq!(surplus.len(), 1);
        assert_eq!(surplus[0].first, 9..10);
    }

    #[test]
    fn without_a_bound_everything_is_kept() {
        let a = &crate::check::CODES[0];
        let mut bounded: Bounded = Bounded::default();
        bounded.extend((0..5000).map(|i| at(a, i)));
        let (kept, surplus) = bounded.finish();
        assert_eq!(kept.len(), 5000);
        assert!(surplus.is_empty());
    }
}
