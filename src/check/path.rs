//! Element paths such as `/TEI/teiHeader/profileDesc/correspDesc[2]`, kept while streaming.

use std::cell::{Cell, RefCell};

use crate::relaxng::fxhash::FxHashMap;

/// No node (yet).
const NONE: u32 = u32::MAX;

/// The path of an element recorded with [`PathTracker::mark`], spelled out later with
/// [`PathTracker::path_of`] (only when a diagnostic needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PathId(u32);

/// A recorded element: its parent node, name and position among same-named siblings.
#[derive(Debug)]
struct Node {
    parent: u32,
    name: u32,
    n: u32,
}

/// The open elements and, for each, how many children of each name it has had so far. Names
/// are interned once per document and the per-element child counts are short lists reused
/// from a pool, so that a start tag costs one hash lookup and allocates nothing once the
/// document's names have been seen.
#[derive(Debug, Default)]
pub(crate) struct PathTracker {
    /// Interned element names.
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// Per open element: its name, its position among its same-named siblings, and its node
    /// once marked (the marked frames are always a prefix of the stack).
    stack: Vec<(u32, u32, Cell<u32>)>,
    /// Recorded elements (only those marked, and their ancestors).
    nodes: RefCell<Vec<Node>>,
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
        self.stack.push((id, n, Cell::new(NONE)));
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
        for (id, n, _) in &self.stack {
            self.spell(&mut s, *id, *n);
        }
        s
    }

    fn spell(&self, s: &mut String, name: u32, n: u32) {
        s.push('/');
        s.push_str(self.names.get(name as usize).map_or("", |b| b));
        if n > 1 {
            s.push_str(&format!("[{n}]"));
        }
    }

    /// Records the innermost open element's path cheaply (a few integers per element not yet
    /// recorded) for [`PathTracker::path_of`].
    pub(crate) fn mark(&self) -> PathId {
        let mut nodes = self.nodes.borrow_mut();
        let first_new = self
            .stack
            .iter()
            .rposition(|f| f.2.get() != NONE)
            .map_or(0, |i| i + 1);
        let mut parent = match first_new {
            0 => NONE,
            i => self.stack[i - 1].2.get(),
        };
        for (name, n, node) in &self.stack[first_new..] {
            nodes.push(Node {
                parent,
                name: *name,
                n: *n,
            });
            parent = (nodes.len() - 1) as u32;
            node.set(parent);
        }
        PathId(parent)
    }

    /// The path [`PathTracker::mark`] recorded, as [`PathTracker::current`] gave it then.
    pub(crate) fn path_of(&self, id: PathId) -> String {
        let nodes = self.nodes.borrow();
        let mut chain = Vec::new();
        let mut at = id.0;
        while let Some(node) = nodes.get(at as usize) {
            chain.push((node.name, node.n));
            at = node.parent;
        }
        let mut s = String::new();
        for (name, n) in chain.into_iter().rev() {
            self.spell(&mut s, name, n);
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
