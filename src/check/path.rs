//! Element paths such as `/TEI/teiHeader/profileDesc/correspDesc[2]`, kept while streaming.

use crate::relaxng::fxhash::FxHashMap;

/// The open elements and, for each, how many children of each name it has had so far. Names
/// live in one buffer and the per-element count tables are reused, so that a start tag
/// allocates nothing once the document's names have been seen.
#[derive(Debug, Default)]
pub(crate) struct PathTracker {
    /// The open elements' names, one after the other.
    names: String,
    /// Per open element: where its name starts in `names`, and its position among its
    /// same-named siblings.
    stack: Vec<(usize, u32)>,
    counts: Vec<FxHashMap<Box<str>, u32>>,
    /// Emptied count tables, for reuse.
    spare: Vec<FxHashMap<Box<str>, u32>>,
}

impl PathTracker {
    /// An element starts.
    pub(crate) fn push(&mut self, qname: &str) {
        let n = match self.counts.last_mut() {
            Some(c) => match c.get_mut(qname) {
                Some(e) => {
                    *e += 1;
                    *e
                }
                None => {
                    c.insert(qname.into(), 1);
                    1
                }
            },
            None => 1,
        };
        self.stack.push((self.names.len(), n));
        self.names.push_str(qname);
        self.counts.push(self.spare.pop().unwrap_or_default());
    }

    /// An element ends.
    pub(crate) fn pop(&mut self) {
        if let Some((at, _)) = self.stack.pop() {
            self.names.truncate(at);
        }
        if let Some(mut c) = self.counts.pop() {
            c.clear();
            self.spare.push(c);
        }
    }

    /// The path of the innermost open element (`[n]` only where n > 1).
    pub(crate) fn current(&self) -> String {
        let mut s = String::new();
        for (i, &(at, n)) in self.stack.iter().enumerate() {
            let end = self
                .stack
                .get(i + 1)
                .map_or(self.names.len(), |next| next.0);
            s.push('/');
            s.push_str(&self.names[at..end]);
            if n > 1 {
                s.push_str(&format!("[{n}]"));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::PathTracker;

    #[test]
    fn paths_count_same_named_siblings() {
        let mut p = PathTracker::default();
        p.push("TEI");
        p.push("text");
        p.push("div");
        p.pop();
        p.push("div");
        assert_eq!(p.current(), "/TEI/text/div[2]");
        p.push("p");
        assert_eq!(p.current(), "/TEI/text/div[2]/p");
        p.pop();
        p.pop();
        p.pop();
        p.push("text");
        p.push("div");
        assert_eq!(
            p.current(),
            "/TEI/text[2]/div",
            "a reused table starts empty"
        );
    }
}
