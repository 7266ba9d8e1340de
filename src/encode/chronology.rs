//! Years from the neighbouring letters. Editions and archives usually keep a correspondence in
//! date order, and a letter that gives only its day and month ("Sep. 28") then takes the year
//! that puts it between the dated letters before and after it. A user's files need not be in
//! that order, so the order is checked on the collection itself first: among the letters whose
//! own text writes a full date (day, month and a four-digit year), consecutive ones (in the
//! order given) must rise in at least nine pairs in ten, over enough pairs ([`MIN_PAIRS`]).
//! Otherwise nothing is filled.
//!
//! A letter is filled only when its nearest dated neighbours on both sides are themselves in
//! order and exactly one year puts its day and month between them (a two-digit year: exactly
//! one century). The year so found is a conjecture: the encoder writes it with `cert="low"`
//! and `evidence="conjecture"` and says so ([`super::YEAR_FROM_NEIGHBOURS`]).
//!
//! A letter whose text writes no month at all ("Montag Abend", or nothing) lies between the
//! nearest letters before and after it whose dates are known (written, or filled as above):
//! when those two fall in one year, the letter takes that year, and their month and day as
//! far as the two agree ([`Fill::whole`]; the encoder writes the span as `notBefore` and
//! `notAfter`). The cost is linear in the number of letters.

use super::dates::{nearest_year, PartialDate};

/// The least number of consecutive pairs of fully dated letters the order is judged on.
pub const MIN_PAIRS: usize = 4;

/// The least share of those pairs that must rise (or stay on the same day), in tenths.
pub const MIN_RISING_TENTHS: usize = 9;

/// The widest gap, in years, between two dated neighbours that a year is looked for in.
const MAX_SPAN: i32 = 3;

/// A year taken from the neighbouring letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fill {
    /// The year.
    pub year: i32,
    /// The date of the nearest fully dated letter before.
    pub after: PartialDate,
    /// The date of the nearest fully dated letter after.
    pub before: PartialDate,
    /// The letter writes no month of its own: its date is the span `after`..`before`
    /// (the nearest letters with a known date), which lies in `year`; [`Fill::date`] is what
    /// the two bounds share.
    pub whole: bool,
}

impl Fill {
    /// The date a letter without a written month takes from a whole fill: the common year,
    /// the month when both bounds are in it, the day when both are on it. For a year fill,
    /// the year alone.
    pub fn date(&self) -> PartialDate {
        let (a, b) = (self.after, self.before);
        let month = (self.whole && a.month.is_some() && a.month == b.month)
            .then_some(a.month)
            .flatten();
        let day = (month.is_some() && a.day.is_some() && a.day == b.day)
            .then_some(a.day)
            .flatten();
        PartialDate {
            year: Some(self.year),
            month,
            day,
            short_year: None,
        }
    }
}

/// What the order check found, and the years it fills.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chronology {
    /// Letters whose own text writes a full date.
    pub dated: usize,
    /// Consecutive pairs of them (in the order given).
    pub pairs: usize,
    /// Of those, the pairs whose second date is not earlier than the first.
    pub rising: usize,
    /// Whether the collection is taken to be in date order.
    pub in_order: bool,
    /// Letters whose text writes a month but no four-digit year (those a year could be
    /// taken for).
    pub open: usize,
    /// Letters whose text writes no month (nor year): those a span could be taken for.
    pub undated: usize,
    /// Per letter (in the order given): the year (or, [`Fill::whole`], the span) taken from
    /// its neighbours, if any.
    pub fills: Vec<Option<Fill>>,
}

impl Chronology {
    /// How many letters with a month but no year were given a year.
    pub fn filled(&self) -> usize {
        self.fills.iter().flatten().filter(|f| !f.whole).count()
    }

    /// How many letters without a month were given the span between their neighbours.
    pub fn spanned(&self) -> usize {
        self.fills.iter().flatten().filter(|f| f.whole).count()
    }
}

/// A date written in full with a four-digit year: an anchor of the order.
fn anchor(d: &Option<PartialDate>) -> Option<(i32, u8, u8)> {
    let d = d.as_ref()?;
    Some((d.year?, d.month?, d.day?))
}

/// Judges the order of a collection from the dates its letters' texts write (`written`, in
/// the order given, the year as written: `None` when a text writes none), and fills the year
/// of each letter that writes a month (and day) but no four-digit year, where the order and
/// its neighbours allow exactly one.
pub fn from_neighbours(written: &[Option<PartialDate>]) -> Chronology {
    let anchors: Vec<(usize, (i32, u8, u8))> = written
        .iter()
        .enumerate()
        .filter_map(|(i, d)| anchor(d).map(|a| (i, a)))
        .collect();
    let pairs = anchors.len().saturating_sub(1);
    let rising = anchors.windows(2).filter(|w| w[0].1 <= w[1].1).count();
    let in_order = pairs >= MIN_PAIRS && rising * 10 >= pairs * MIN_RISING_TENTHS;
    let open = written
        .iter()
        .flatten()
        .filter(|d| d.year.is_none() && d.month.is_some())
        .count();
    let undated = written.iter().filter(|d| writes_no_month(d)).count();
    let mut c = Chronology {
        dated: anchors.len(),
        pairs,
        rising,
        in_order,
        open,
        undated,
        fills: vec![None; written.len()],
    };
    if !in_order {
        return c;
    }
    // a full date with a two-digit year ("14. 7. 92") dates its letter too, in the century
    // nearest the four-digit date before it (after it, at the start): a second rank of
    // anchors, for letters that write no year at all
    let mut all: Vec<(usize, (i32, u8, u8))> = Vec::with_capacity(written.len());
    let mut next = 0;
    for (i, d) in written.iter().enumerate() {
        while next < anchors.len() && anchors[next].0 < i {
            next += 1;
        }
        if next < anchors.len() && anchors[next].0 == i {
            all.push(anchors[next]);
            continue;
        }
        let Some(d) = d else { continue };
        let (Some(yy), Some(m), Some(day)) = (d.short_year, d.month, d.day) else {
            continue;
        };
        let near = if next > 0 {
            anchors[next - 1].1 .0
        } else {
            anchors[next].1 .0
        };
        all.push((i, (nearest_year(yy, near), m, day)));
    }
    let full = |(y, m, d): (i32, u8, u8)| PartialDate {
        year: Some(y),
        month: Some(m),
        day: Some(d),
        short_year: None,
    };
    // a letter with a two-digit year takes its century between the four-digit dates around
    // it; one walk, `next` is the first four-digit anchor at or after `i`
    let mut next = 0;
    for (i, d) in written.iter().enumerate() {
        while next < anchors.len() && anchors[next].0 < i {
            next += 1;
        }
        let Some(d) = d else { continue };
        if d.year.is_some() || d.short_year.is_none() || d.month.is_none() {
            continue;
        }
        if next == 0 || next >= anchors.len() {
            continue;
        }
        let (prev, after) = (anchors[next - 1].1, anchors[next].1);
        if prev > after {
            continue;
        }
        if let Some(year) = only_year(d, prev, after) {
            c.fills[i] = Some(Fill {
                year,
                after: full(prev),
                before: full(after),
                whole: false,
            });
        }
    }
    // letters that write no year at all: each run of them between two consecutive anchors
    // must rise too, so a letter's year lies between the earliest the run allows (walking on
    // from the anchor before) and the latest (walking back from the anchor after); it is
    // taken when the two agree
    for w in all.windows(2) {
        let ((ia, lo), (ib, hi)) = (w[0], w[1]);
        if lo > hi || hi.0 - lo.0 > MAX_SPAN {
            continue;
        }
        let run: Vec<(usize, u8, Option<u8>)> = (ia + 1..ib)
            .filter_map(|i| {
                let d = written[i]?;
                if d.year.is_some() || d.short_year.is_some() {
                    return None;
                }
                Some((i, d.month?, d.day))
            })
            .collect();
        if run.is_empty() {
            continue;
        }
        let mut early = Vec::with_capacity(run.len());
        let mut cur = lo;
        for &(_, m, day) in &run {
            // the first year whose date is not before `cur` (nor after `hi`)
            let Some(y) = (lo.0..=hi.0)
                .find(|&y| (y, m, day.unwrap_or(32)) >= cur && (y, m, day.unwrap_or(1)) <= hi)
            else {
                break;
            };
            cur = cur.max((y, m, day.unwrap_or(1)));
            early.push(y);
        }
        if early.len() < run.len() {
            continue;
        }
        let mut cur = hi;
        for (j, &(i, m, day)) in run.iter().enumerate().rev() {
            let Some(y) = (lo.0..=hi.0)
                .rev()
                .find(|&y| (y, m, day.unwrap_or(0)) <= cur && (y, m, day.unwrap_or(31)) >= lo)
            else {
                break;
            };
            cur = cur.min((y, m, day.unwrap_or(31)));
            if y == early[j] {
                c.fills[i] = Some(Fill {
                    year: y,
                    after: full(lo),
                    before: full(hi),
                    whole: false,
                });
            }
        }
    }
    spans(written, &all, &mut c.fills);
    c
}

/// A day as (year, month, day), ordered as dates are.
type Day = (i32, u8, u8);

/// Whether a letter's text writes no month and no year (nothing, a weekday, a lone day).
pub(crate) fn writes_no_month(d: &Option<PartialDate>) -> bool {
    d.is_none_or(|d| d.month.is_none() && d.year.is_none() && d.short_year.is_none())
}

/// The span between the nearest letters with a known date, for each letter that writes no
/// month: `anchors` are the letters dated in full (a two-digit year in its century), the
/// fills so far and the letters that write a year with or without its month add the rest.
/// A bound known to the month or year only counts as its earliest (before) or latest
/// (after) day. A letter is filled when its bounds rise and fall in one year.
fn spans(written: &[Option<PartialDate>], anchors: &[(usize, Day)], fills: &mut [Option<Fill>]) {
    // per letter: the earliest and latest day its date allows, when it is known
    let mut known: Vec<Option<(PartialDate, Day, Day)>> = vec![None; written.len()];
    for &(i, (y, m, d)) in anchors {
        let p = PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            short_year: None,
        };
        known[i] = Some((p, (y, m, d), (y, m, d)));
    }
    for (i, d) in written.iter().enumerate() {
        if known[i].is_some() {
            continue;
        }
        let Some(d) = d else { continue };
        let year = d.year.or(fills[i].map(|f| f.year));
        let Some(y) = year else { continue };
        let p = PartialDate {
            year: Some(y),
            short_year: None,
            ..*d
        };
        let (lo, hi) = match (d.month, d.day) {
            (Some(m), Some(day)) => ((y, m, day), (y, m, day)),
            (Some(m), None) => ((y, m, 1), (y, m, 31)),
            _ => ((y, 1, 1), (y, 12, 31)),
        };
        known[i] = Some((p, lo, hi));
    }
    let mut before = None;
    let mut prev: Vec<Option<(PartialDate, Day)>> = Vec::with_capacity(written.len());
    for k in &known {
        prev.push(before);
        if let Some((p, lo, _)) = k {
            before = Some((*p, *lo));
        }
    }
    let mut after = None;
    for i in (0..written.len()).rev() {
        if let Some((p, _, hi)) = known[i] {
            after = Some((p, hi));
            continue;
        }
        if !writes_no_month(&written[i]) {
            continue;
        }
        let (Some((pa, lo)), Some((pb, hi))) = (prev[i], after) else {
            continue;
        };
        if lo > hi || lo.0 != hi.0 {
            continue;
        }
        fills[i] = Some(Fill {
            year: lo.0,
            after: pa,
            before: pb,
            whole: true,
        });
    }
}

/// The one year (or, for a two-digit year, the one century) that puts `d` between `lo` and
/// `hi`, both included; `None` when none or several do.
fn only_year(d: &PartialDate, lo: (i32, u8, u8), hi: (i32, u8, u8)) -> Option<i32> {
    let m = d.month?;
    if hi.0 - lo.0 > MAX_SPAN {
        return None;
    }
    let fits = |y: i32| match d.day {
        Some(day) => lo <= (y, m, day) && (y, m, day) <= hi,
        None => (lo.0, lo.1) <= (y, m) && (y, m) <= (hi.0, hi.1),
    };
    let mut found = None;
    for y in lo.0..=hi.0 {
        if d.short_year
            .is_some_and(|yy| y.rem_euclid(100) != yy as i32)
            || !fits(y)
        {
            continue;
        }
        if found.is_some() {
            return None;
        }
        found = Some(y);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(y: i32, m: u8, d: u8) -> Option<PartialDate> {
        Some(PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            short_year: None,
        })
    }

    fn day_month(m: u8, d: u8) -> Option<PartialDate> {
        Some(PartialDate {
            month: Some(m),
            day: Some(d),
            ..Default::default()
        })
    }

    fn years(c: &Chronology) -> Vec<Option<i32>> {
        c.fills
            .iter()
            .map(|f| f.filter(|f| !f.whole).map(|f| f.year))
            .collect()
    }

    #[test]
    fn a_collection_in_order_fills_between_its_neighbours() {
        let letters = [
            full(1890, 3, 1),
            full(1890, 6, 2),
            day_month(9, 28),
            full(1890, 11, 4),
            day_month(12, 30), // 1890
            day_month(1, 5),   // 1891
            full(1891, 2, 1),
            None,
            full(1891, 5, 5),
            day_month(7, 1), // after the last dated letter: no neighbour after it
        ];
        let c = from_neighbours(&letters);
        assert!(c.in_order);
        assert_eq!((c.dated, c.pairs, c.rising, c.open), (5, 4, 4, 4));
        assert_eq!(
            years(&c),
            vec![
                None,
                None,
                Some(1890),
                None,
                Some(1890),
                Some(1891),
                None,
                None,
                None,
                None
            ]
        );
        let f = c.fills[2].unwrap();
        assert_eq!(f.after.iso().as_deref(), Some("1890-06-02"));
        assert_eq!(f.before.iso().as_deref(), Some("1890-11-04"));
        assert_eq!(c.filled(), 3);
    }

    #[test]
    fn ambiguous_or_inconsistent_neighbours_fill_nothing() {
        let base = [
            full(1880, 1, 1),
            full(1880, 2, 1),
            full(1880, 3, 1),
            full(1880, 4, 1),
        ];
        // two years fit between 1880-05 and 1882-01 for 6 June; none fits 1 March between
        // two letters of May
        let mut ls = base.to_vec();
        ls.extend([
            full(1880, 5, 1),
            day_month(6, 6),
            full(1882, 1, 1),
            full(1882, 5, 1),
            day_month(3, 1),
            full(1882, 5, 20),
        ]);
        let c = from_neighbours(&ls);
        assert!(c.in_order);
        assert_eq!(c.filled(), 0);
        // a two-digit year: the one century between the neighbours
        let mut ls = base.to_vec();
        ls.push(Some(PartialDate {
            month: Some(6),
            day: Some(3),
            short_year: Some(80),
            ..Default::default()
        }));
        ls.push(full(1880, 9, 9));
        assert_eq!(from_neighbours(&ls).fills[4].map(|f| f.year), Some(1880));
    }

    #[test]
    fn a_run_of_letters_without_a_year_rises_too() {
        // 16 April fits only 1915, and 18 July, after it, then only 1915 too; alone between
        // the anchors it would fit 1914 and 1915
        let ls = [
            full(1914, 1, 1),
            full(1914, 2, 1),
            full(1914, 3, 1),
            full(1914, 4, 1),
            full(1914, 5, 24),
            day_month(4, 16),
            day_month(7, 18),
            full(1915, 8, 10),
        ];
        let c = from_neighbours(&ls);
        assert_eq!(years(&c)[5..7], [Some(1915), Some(1915)]);
        // a run that cannot rise fills nothing: 9 March and 2 March between two dates of 1915
        let ls = [
            full(1915, 1, 1),
            full(1915, 1, 2),
            full(1915, 1, 3),
            full(1915, 1, 4),
            full(1915, 1, 5),
            day_month(3, 9),
            day_month(3, 2),
            full(1915, 4, 1),
        ];
        assert_eq!(from_neighbours(&ls).filled(), 0);
        // a run that crosses a new year
        let mut ls = vec![
            full(1915, 1, 1),
            full(1915, 1, 2),
            full(1915, 1, 3),
            full(1915, 1, 4),
            full(1915, 5, 5),
            day_month(11, 9),
            day_month(2, 2),
            day_month(3, 3),
            full(1916, 6, 1),
        ];
        assert_eq!(
            years(&from_neighbours(&ls))[5..8],
            [Some(1915), Some(1916), Some(1916)]
        );
        // with a year more after it, the run fits several ways: nothing is taken
        ls[8] = full(1917, 4, 1);
        assert_eq!(years(&from_neighbours(&ls))[5..8], [None, None, None]);
    }

    #[test]
    fn two_digit_years_bracket_letters_without_a_year() {
        let short = |m, d, yy| {
            Some(PartialDate {
                month: Some(m),
                day: Some(d),
                short_year: Some(yy),
                ..Default::default()
            })
        };
        let ls = [
            full(1891, 1, 1),
            full(1891, 2, 1),
            full(1891, 3, 1),
            full(1891, 4, 1),
            full(1891, 5, 1),
            short(6, 3, 92),  // 1892
            day_month(9, 14), // between 1892-06-03 and 1892-11-02: 1892
            short(11, 2, 92),
            full(1894, 1, 1),
        ];
        let c = from_neighbours(&ls);
        assert_eq!(c.fills[6].map(|f| f.year), Some(1892));
        assert_eq!(
            c.fills[6].map(|f| f.after.iso().unwrap_or_default()),
            Some("1892-06-03".to_string())
        );
        // without the two-digit years the neighbours are three years apart: no year
        let mut four_only = ls;
        four_only[5] = None;
        four_only[7] = None;
        assert_eq!(from_neighbours(&four_only).fills[6], None);
    }

    fn dated(c: &Chronology) -> Vec<Option<String>> {
        c.fills
            .iter()
            .map(|f| f.filter(|f| f.whole).and_then(|f| f.date().iso()))
            .collect()
    }

    #[test]
    fn a_letter_without_a_month_takes_what_its_neighbours_share() {
        let year_only = |y| {
            Some(PartialDate {
                year: Some(y),
                ..Default::default()
            })
        };
        let ls = [
            full(1870, 1, 10),
            full(1870, 2, 1),
            None, // between two dates of 1870: 1870
            full(1870, 3, 5),
            full(1870, 3, 5),
            Some(PartialDate {
                day: Some(9),
                ..Default::default()
            }), // a lone day, between two of March 1870
            None, // a run of two: both 1870-03
            full(1870, 3, 20),
            day_month(8, 2), // takes 1870 from its neighbours, then bounds the next
            None,
            full(1870, 12, 2),
            None, // between 1870-12 and 1872: no year
            full(1872, 6, 1),
            year_only(1872),
            None, // between the year 1872 and 1872-12-01: 1872
            full(1872, 12, 1),
            full(1872, 12, 1),
            None, // between two letters of the same day: that day
            full(1872, 12, 1),
            None, // nothing after it
        ];
        let c = from_neighbours(&ls);
        assert!(c.in_order);
        assert_eq!(c.undated, 8);
        let want = |s: &str| Some(s.to_string());
        assert_eq!(
            dated(&c),
            vec![
                None,
                None,
                want("1870"),
                None,
                None,
                want("1870-03"),
                want("1870-03"),
                None,
                None,
                want("1870"),
                None,
                None,
                None,
                None,
                want("1872"),
                None,
                None,
                want("1872-12-01"),
                None,
                None
            ]
        );
        assert_eq!((c.spanned(), c.filled()), (6, 1));
        let f = c.fills[9].unwrap();
        assert_eq!(f.after.iso().as_deref(), Some("1870-08-02"));
        assert_eq!(f.before.iso().as_deref(), Some("1870-12-02"));
        assert_eq!(c.fills[14].unwrap().after.iso().as_deref(), Some("1872"));
    }

    #[test]
    fn neighbours_out_of_order_date_no_letter_without_a_month() {
        // the neighbours of the undated letter fall (1871 before 1870): no span
        let ls = [
            full(1870, 1, 1),
            full(1870, 2, 1),
            full(1870, 3, 1),
            full(1870, 4, 1),
            full(1870, 5, 1),
            full(1870, 9, 1),
            None,
            full(1870, 6, 1),
            full(1870, 10, 1),
            full(1870, 11, 1),
            full(1870, 12, 1),
            full(1870, 12, 20),
        ];
        let c = from_neighbours(&ls);
        assert!(c.in_order);
        assert_eq!((c.undated, c.spanned()), (1, 0));
        // and nothing when the collection is not in order at all
        let ls = [
            full(1873, 1, 1),
            None,
            full(1870, 1, 1),
            full(1872, 1, 1),
            None,
            full(1872, 5, 1),
            full(1871, 1, 1),
        ];
        let c = from_neighbours(&ls);
        assert!(!c.in_order);
        assert_eq!((c.undated, c.spanned()), (2, 0));
    }

    #[test]
    fn a_collection_out_of_order_or_too_small_is_refused() {
        let shuffled = [
            full(1893, 3, 1),
            full(1890, 6, 2),
            day_month(9, 28),
            full(1891, 11, 4),
            full(1889, 2, 1),
            full(1892, 5, 5),
            full(1890, 1, 1),
        ];
        let c = from_neighbours(&shuffled);
        assert!(!c.in_order);
        assert_eq!(c.filled(), 0);
        let few = [full(1890, 1, 1), day_month(3, 3), full(1890, 5, 5)];
        let c = from_neighbours(&few);
        assert!(!c.in_order && c.pairs == 1);
        assert_eq!(c.filled(), 0);
        assert_eq!(from_neighbours(&[]), Chronology::default());
    }
}
