//! Element paths such as `/TEI/teiHeader/profileDesc/correspDesc[2]`, kept while streaming.

use crate::relaxng::fxhash::FxHashMap;

/// The open elements and, for each, how many children of each name it has had so far. Names
/// are interned once per document and the per-element child counts are short lists reused
/// from a pool, so that a start tag costs one hash lookup and allocates nothing once the
/// document's names have been seen.
#[derive(Debug, Default)]
pub(crate) struct PathTracker {
    /// Interned element names.
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// Per open element: its name and its position among its same-named siblings.
    stack: Vec<(u32, u32)>,
    /// Per open element: (child name, children of that name so far).
    counts: Vec<Vec<(u32, u32)>>,
    /// Emptied count lists, for reuse.
    spare: Vec<Vec<(u32, u32)>>,
}

impl PathTracker {
    /// An element starts.
    pub(crate) fn push(&mut self, qname: &str) {
        let id = match self.ids.get(qname) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(qname.into());
                self.ids.insert(qname.into(), id);
                id
            }
        };
        let n = match self.counts.last_mut() {
            Some(c) => match c.iter_mut().find(|(name, _)| *name == id) {
                Some((_, k)) => {
                    *k += 1;
                    *k
                }
                None => {
                    c.push((id, 1));
                    1
                }
            },
            None => 1,
        };
        self.stack.push((id, n));
        self.counts.push(self.spare.pop().unwrap_or_default());
    }

    /// An element ends.
    pub(crate) fn pop(&mut self) {
        self.stack.pop();
        if let Some(mut c) = self.counts.pop() {
            c.clear();
            self.spare.push(c);
        }
    }

    /// The path of the innermost open element (`[n]` only where n > 1).
    pub(crate) fn current(&self) -> String {
        let mut s = String::new();
        for &(id, n) in &self.stack {
            s.push('/');
            s.push_str(self.names.get(id as usize).map_or("", |b| b));
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
            "a reused list starts empty"
        );
    }
}
