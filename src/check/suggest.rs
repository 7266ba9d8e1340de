//! Did-you-mean: the known name nearest to a misspelt one (Jaro-Winkler similarity of at least
//! 0.8), found through an index so that many misspellings among many names cost near-linear
//! time.
//!
//! With at most [`EXAMINE`] names every name is compared, which is exact. With more, the names
//! sharing the most character trigrams with the misspelling are compared: the trigrams' lists
//! are read rarest first, at most [`POSTINGS_BUDGET`] entries per query, and the [`EXAMINE`]
//! names with the most shared trigrams (then the closest in length) are scored. Each distinct
//! misspelling is answered once. Names and misspellings longer than [`MAX_CHARS`] characters
//! are not compared (a suggestion for them would not help, and the comparison costs the square
//! of the length).

use std::collections::HashMap;

/// Names compared per query; with at most this many names, all are.
pub const EXAMINE: usize = 64;
/// Index entries read per query.
pub const POSTINGS_BUDGET: usize = 4096;
/// Longer names (in characters) take no part.
pub const MAX_CHARS: usize = 64;
/// The similarity below which nothing is suggested.
pub const THRESHOLD: f64 = 0.8;

/// The nearest of a small fixed list to `wanted` (all compared), if close enough to suggest.
pub(crate) fn nearest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        consider(&mut best, wanted, c);
    }
    best.map(|(c, _)| c)
}

/// Scores `c` against `wanted` and keeps it in `best` if it is better: a higher similarity,
/// or the same one and a name that sorts first (so the answer never depends on order).
fn consider<'a>(best: &mut Option<(&'a str, f64)>, wanted: &str, c: &'a str) {
    let s = strsim::jaro_winkler(wanted, c);
    if s < THRESHOLD {
        return;
    }
    let better = match *best {
        None => true,
        Some((bc, b)) => s > b || (s == b && c < bc),
    };
    if better {
        *best = Some((c, s));
    }
}

/// A trigram of characters (0 pads the start and the end), packed, with where it stands: 0
/// anywhere, `p + 1` at position `p` from the start, `-(p + 1)` at position `p` from the end
/// (Jaro-Winkler rewards characters in the same place, so names that share trigrams at the
/// same place, counted from either end, rank first).
type Gram = (u64, i8);

fn grams(s: &str, out: &mut Vec<Gram>) {
    out.clear();
    let mut w = [0u64; 3];
    let chars = s.chars().map(|c| c as u64).chain([0, 0]);
    for c in chars {
        w = [w[1], w[2], c];
        out.push((w[0] << 42 | w[1] << 21 | w[2], 0));
    }
    let n = out.len();
    for p in 0..n {
        let g = out[p].0;
        // positions stay below MAX_CHARS + 2 < 127 for the names and queries compared
        let p = p.min(126) as i8;
        out.push((g, p + 1));
        out.push((g, -((n as i8).saturating_sub(p))));
    }
    out.sort_unstable();
    out.dedup();
}

/// Names indexed for did-you-mean queries (see the module documentation); built once, read by
/// any number of [`Suggester`]s.
#[derive(Debug, Default)]
pub struct NameIndex {
    names: Vec<Box<str>>,
    /// Per name, its length in characters.
    lengths: Vec<u16>,
    /// Per trigram, the names (indices) containing it; empty with at most [`EXAMINE`] names.
    postings: HashMap<Gram, Vec<u32>>,
}

impl NameIndex {
    /// An index of `names` (repeats and names longer than [`MAX_CHARS`] are left out).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = NameIndex::default();
        let mut seen = std::collections::HashSet::new();
        for n in names {
            if n.chars().nth(MAX_CHARS).is_some() || !seen.insert(n) {
                continue;
            }
            s.names.push(n.into());
            s.lengths.push(n.chars().count() as u16);
        }
        if s.names.len() > EXAMINE {
            let mut g = Vec::new();
            for (i, n) in s.names.iter().enumerate() {
                grams(n, &mut g);
                for &k in &g {
                    s.postings.entry(k).or_default().push(i as u32);
                }
            }
        }
        s
    }

    /// Number of names indexed.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no name is indexed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Answers did-you-mean queries from a [`NameIndex`], each distinct misspelling once.
#[derive(Debug)]
pub struct Suggester<'i> {
    index: &'i NameIndex,
    /// Answers already given, by misspelling.
    memo: HashMap<Box<str>, Option<u32>>,
    /// Per name, the trigrams shared with the current query (zero between queries; allocated
    /// on the first query that needs it).
    shared: Vec<u16>,
    touched: Vec<u32>,
    scratch: Vec<Gram>,
}

impl<'i> Suggester<'i> {
    /// Queries over `index`.
    pub fn new(index: &'i NameIndex) -> Self {
        Suggester {
            index,
            memo: HashMap::new(),
            shared: Vec::new(),
            touched: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// The name to suggest for `wanted`, with its similarity, if one is close enough.
    pub fn suggest(&mut self, wanted: &str) -> Option<(&'i str, f64)> {
        if wanted.chars().nth(MAX_CHARS).is_some() {
            return None;
        }
        let found = match self.memo.get(wanted) {
            Some(&f) => f,
            None => {
                let f = self.search(wanted);
                self.memo.insert(wanted.into(), f);
                f
            }
        };
        let name: &'i str = &self.index.names[found? as usize];
        Some((name, strsim::jaro_winkler(wanted, name)))
    }

    fn search(&mut self, wanted: &str) -> Option<u32> {
        let names = &self.index.names;
        let pick = |ix: &mut dyn Iterator<Item = u32>| {
            let mut best: Option<(&str, f64)> = None;
            let mut at = None;
            for i in ix {
                let before = best.map(|b| b.0);
                consider(&mut best, wanted, &names[i as usize]);
                if best.map(|b| b.0) != before {
                    at = Some(i);
                }
            }
            at
        };
        if names.len() <= EXAMINE {
            return pick(&mut (0..names.len() as u32));
        }
        if self.shared.is_empty() {
            self.shared = vec![0; names.len()];
        }
        let mut g = std::mem::take(&mut self.scratch);
        grams(wanted, &mut g);
        let mut lists: Vec<&Vec<u32>> = g
            .iter()
            .filter_map(|k| self.index.postings.get(k))
            .collect();
        lists.sort_by_key(|l| l.len());
        let mut budget = POSTINGS_BUDGET;
        for l in lists {
            let take = l.len().min(budget);
            for &i in &l[..take] {
                let c = &mut self.shared[i as usize];
                if *c == 0 {
                    self.touched.push(i);
                }
                *c = c.saturating_add(1);
            }
            budget -= take;
            if budget == 0 {
                break;
            }
        }
        self.scratch = g;
        let want_len = wanted.chars().count() as u16;
        let shared = &self.shared;
        let lengths = &self.index.lengths;
        let rank = |&i: &u32| {
            let d = lengths[i as usize].abs_diff(want_len);
            (std::cmp::Reverse(shared[i as usize]), d, i)
        };
        let mut cands = std::mem::take(&mut self.touched);
        if cands.len() > EXAMINE {
            // the fewest shared trigrams a name needs to be among the best EXAMINE
            let mut hist = [0usize; 256];
            for &i in &cands {
                hist[usize::from(shared[i as usize].min(255))] += 1;
            }
            let mut cut = 255;
            let mut above = hist[255];
            while cut > 1 && above < EXAMINE {
                cut -= 1;
                above += hist[cut];
            }
            let mut kept: Vec<u32> = cands
                .iter()
                .copied()
                .filter(|&i| shared[i as usize] >= cut as u16)
                .collect();
            if kept.len() > EXAMINE {
                kept.select_nth_unstable_by_key(EXAMINE - 1, rank);
            }
            kept.truncate(EXAMINE);
            for &i in &cands {
                self.shared[i as usize] = 0;
            }
            cands.clear();
            self.touched = cands;
            return pick(&mut kept.into_iter());
        }
        let found = pick(&mut cands.iter().take(EXAMINE).copied());
        for &i in &cands {
            self.shared[i as usize] = 0;
        }
        cands.clear();
        self.touched = cands;
        found
    }
}

/// The better of two suggestions (higher similarity, then the name that sorts first).
pub fn better<'a>(a: Option<(&'a str, f64)>, b: Option<(&'a str, f64)>) -> Option<(&'a str, f64)> {
    match (a, b) {
        (Some(x), Some(y)) => {
            if y.1 > x.1 || (y.1 == x.1 && y.0 < x.0) {
                Some(y)
            } else {
                Some(x)
            }
        }
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_are_searched_exhaustively() {
        let names = ["lovelace", "babbage", "somerville"];
        let ix = NameIndex::new(names);
        let mut s = Suggester::new(&ix);
        assert_eq!(s.suggest("somervill").map(|x| x.0), Some("somerville"));
        assert_eq!(s.suggest("herschel"), None);
        assert_eq!(
            s.suggest("babbage_").map(|x| x.0),
            nearest("babbage_", names)
        );
    }

    /// Names of the shapes editions use (`pmb1234`, `K_0271_c8`, `IV-3.1_140-24`,
    /// `Escher-Alfred`), from a fixed pseudo-random sequence.
    fn names_and_typos() -> (Vec<String>, Vec<String>) {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let words = [
            "Escher",
            "Alfred",
            "Keller",
            "Gottfried",
            "Stehli",
            "Rudolf",
            "Lovelace",
        ];
        let mut names = std::collections::BTreeSet::new();
        while names.len() < 6000 {
            let name = match next(4) {
                0 => format!("pmb{}", next(100_000)),
                1 => format!(
                    "K_{:04}_{}{}",
                    next(3000),
                    ["p", "c"][next(2) as usize],
                    next(30)
                ),
                2 => format!("IV-{}.{}_{}-{}", next(9), next(4), next(600), next(40)),
                _ => format!(
                    "{}-{}{}",
                    words[next(7) as usize],
                    words[next(7) as usize],
                    next(50)
                ),
            };
            names.insert(name);
        }
        let names: Vec<String> = names.into_iter().collect();
        let mut typos = Vec::new();
        while typos.len() < 300 {
            let mut c: Vec<char> = names[next(names.len() as u64) as usize].chars().collect();
            let i = next(c.len() as u64) as usize;
            match next(3) {
                0 => {
                    c.remove(i);
                }
                1 => c[i] = 'x',
                _ => c.insert(i, 'q'),
            }
            let t: String = c.into_iter().collect();
            if !t.is_empty() && names.binary_search(&t).is_err() {
                typos.push(t);
            }
        }
        (names, typos)
    }

    #[test]
    fn the_index_mostly_finds_what_the_exhaustive_search_finds() {
        let (names, typos) = names_and_typos();
        let ix = NameIndex::new(names.iter().map(String::as_str));
        let mut s = Suggester::new(&ix);
        let mut same = 0;
        for wanted in &typos {
            let exact = nearest(wanted, names.iter().map(String::as_str));
            let got = s.suggest(wanted).map(|x| x.0);
            if got == exact {
                same += 1;
            } else if let (Some(e), Some(g)) = (exact, got) {
                // a different answer is still a close one
                let (e, g) = (
                    strsim::jaro_winkler(wanted, e),
                    strsim::jaro_winkler(wanted, g),
                );
                assert!(g > e - 0.05, "{wanted}: {g} vs {e}");
            } else {
                panic!("{wanted}: {got:?}, exhaustively {exact:?}");
            }
        }
        assert!(same * 100 >= typos.len() * 95, "{same} of {}", typos.len());
        // asked again, the same answers
        for wanted in &typos[..10] {
            let again = s.suggest(wanted).map(|x| x.0);
            assert_eq!(again, Suggester::new(&ix).suggest(wanted).map(|x| x.0));
        }
    }

    #[test]
    fn long_names_take_no_part() {
        let long = "a".repeat(MAX_CHARS + 1);
        let ix = NameIndex::new([long.as_str(), "abc"]);
        assert_eq!(ix.len(), 1);
        let mut s = Suggester::new(&ix);
        assert_eq!(s.suggest(&long), None);
    }
}
