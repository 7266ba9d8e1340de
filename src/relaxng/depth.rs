//! How deeply a compiled grammar nests: the longest chain of patterns inside one element's
//! content (an element is one step: its content is walked on its own). Every walk over the
//! patterns (restrictions, tables, derivatives) recurses at most this deep, so a schema is
//! refused past [`crate::limit::Limits::schema_depth`] before any of them runs.

use super::pattern::{Pattern, PatternArena, PatternId, PatternStore};

/// The depth of every pattern, and the id of a deepest one. One pass in id order: the
/// children of a pattern are interned before it, so their ids are smaller.
pub(crate) fn deepest(patterns: &PatternArena) -> (u32, PatternId) {
    let n = patterns.len();
    let mut depth = vec![0u32; n];
    let mut best = (0, 0);
    for id in 0..n {
        let d = |q: &PatternId| depth.get(*q as usize).copied().unwrap_or(0);
        let below = match patterns.get(id as PatternId) {
            Pattern::Choice(a, b)
            | Pattern::Interleave(a, b)
            | Pattern::Group(a, b)
            | Pattern::After(a, b) => d(a).max(d(b)),
            Pattern::OneOrMore(a) | Pattern::List(a) | Pattern::Attribute(_, a) => d(a),
            Pattern::Data(_, Some(x)) => d(x),
            _ => 0,
        };
        depth[id] = below + 1;
        if depth[id] > best.0 {
            best = (depth[id], id as PatternId);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_the_longest_chain_within_an_element() {
        let mut s = PatternArena::new();
        let e = s.intern(Pattern::Element(0));
        let o = s.one_or_more(e);
        let g = s.group(o, super::super::pattern::TEXT);
        let (d, at) = deepest(&s);
        assert_eq!((d, at), (3, g));
    }
}
