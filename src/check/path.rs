//! Element paths such as `/TEI/teiHeader/profileDesc/correspDesc[2]`, kept while streaming.
//!
//! Every cost here is constant per element whatever the depth or the number of siblings: a
//! start tag is one hash lookup for its name and one for its position among its siblings, and
//! a path is spelled with at most 24 steps ([`crate::limit::spell_path`]: the middle of a
//! deep path is left out), reached without walking the whole chain of ancestors.

use std::cell::{Cell, RefCell};

use crate::relaxng::fxhash::FxHashMap;

/// No node (yet).
const NONE: u32 = u32::MAX;

/// The path of an element recorded with [`PathTracker::mark`], spelled out later with
/// [`PathTracker::path_of`] (only when a diagnostic needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PathId(u32);

/// A recorded element: its parent node, name and position among same-named siblings, its
/// depth (the root is 1), and its ancestor at the depth where a long path's head ends.
#[derive(Debug)]
struct Node {
    parent: u32,
    name: u32,
    n: u32,
    depth: u32,
    head: u32,
}

/// One open element: its name, its position among its same-named siblings, and its node
/// once marked (the marked frames are always a prefix of the stack).
#[derive(Debug)]
struct Frame {
    name: u32,
    n: u32,
    node: Cell<u32>,
}

/// The open elements and, for each, how many children of each name it has had so far. Names
/// are interned once per document; the child counts of all open elements live in one map
/// keyed by (depth, name), cleared for an element's children when it ends, so that a start
/// tag costs two hash lookups and allocates nothing once the document's names have been seen.
#[derive(Debug, Default)]
pub(crate) struct PathTracker {
    /// Interned element names.
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    stack: Vec<Frame>,
    /// Recorded elements (only those marked, and their ancestors).
    nodes: RefCell<Vec<Node>>,
    /// (depth of the parent, child name) → children of that name so far, for open parents.
    counts: FxHashMap<(u32, u32), u32>,
    /// The keys of `counts`, per open element (its children's names), for clearing.
    keys: Vec<Vec<u32>>,
    /// Emptied key lists, for reuse.
    spare: Vec<Vec<u32>>,
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
        let parent = self.stack.len() as u32;
        let n = if parent == 0 {
            1
        } else {
            let k = self.counts.entry((parent, id)).or_insert(0);
            *k += 1;
            if *k == 1 {
                if let Some(keys) = self.keys.last_mut() {
                    keys.push(id);
                }
            }
            *k
        };
        self.stack.push(Frame {
            name: id,
            n,
            node: Cell::new(NONE),
        });
        self.keys.push(self.spare.pop().unwrap_or_default());
    }

    /// An element ends.
    pub(crate) fn pop(&mut self) {
        let depth = self.stack.len() as u32;
        self.stack.pop();
        if let Some(mut keys) = self.keys.pop() {
            for name in keys.drain(..) {
                self.counts.remove(&(depth, name));
            }
            self.spare.push(keys);
        }
    }

    /// The path of the innermost open element (`[n]` only where n > 1).
    pub(crate) fn current(&self) -> String {
        crate::limit::spell_path(self.stack.len(), |s, i| {
            let f = &self.stack[i];
            self.spell(s, f.name, f.n);
        })
    }

    fn spell(&self, s: &mut String, name: u32, n: u32) {
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
            .rposition(|f| f.node.get() != NONE)
            .map_or(0, |i| i + 1);
        let mut parent = match first_new {
            0 => NONE,
            i => self.stack[i - 1].node.get(),
        };
        let (head_len, _) = crate::limit::path_ends(usize::MAX);
        for (i, f) in self.stack.iter().enumerate().skip(first_new) {
            let depth = i as u32 + 1;
            // the ancestor at depth `head_len` (itself, at that depth): where the head ends
            let head = if depth as usize == head_len {
                nodes.len() as u32
            } else if depth as usize > head_len {
                nodes.get(parent as usize).map_or(NONE, |p| p.head)
            } else {
                NONE
            };
            nodes.push(Node {
                parent,
                name: f.name,
                n: f.n,
                depth,
                head,
            });
            parent = (nodes.len() - 1) as u32;
            f.node.set(parent);
        }
        PathId(parent)
    }

    /// The path [`PathTracker::mark`] recorded, as [`PathTracker::current`] gave it then.
    pub(crate) fn path_of(&self, id: PathId) -> String {
        let nodes = self.nodes.borrow();
        let Some(leaf) = nodes.get(id.0 as usize) else {
            return String::new();
        };
        let depth = leaf.depth as usize;
        let (head_len, tail_len) = crate::limit::path_ends(depth);
        // the steps spelled, innermost first: the tail from the leaf, the head from its end
        let mut steps = Vec::with_capacity(head_len + tail_len);
        let walk = |from: u32, count: usize, steps: &mut Vec<(u32, u32)>| {
            let mut at = from;
            for _ in 0..count {
                let Some(node) = nodes.get(at as usize) else {
                    break;
                };
                steps.push((node.name, node.n));
                at = node.parent;
            }
        };
        if tail_len == 0 {
            walk(id.0, head_len, &mut steps);
        } else {
            walk(id.0, tail_len, &mut steps);
            walk(leaf.head, head_len, &mut steps);
        }
        // `steps` holds the tail (innermost first) then the head (innermost first)
        let (tail, head) = steps.split_at(tail_len.min(steps.len()));
        let ordered: Vec<(u32, u32)> = head
            .iter()
            .rev()
            .chain(tail.iter().rev())
            .copied()
            .collect();
        let mut k = 0;
        crate::limit::spell_path(depth, |s, i| {
            // spell_path asks for the head's steps, then the tail's, in order
            let _ = i;
            if let Some(&(name, n)) = ordered.get(k) {
                self.spell(s, name, n);
            }
            k += 1;
        })
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

    #[test]
    fn deep_paths_are_spelled_with_their_ends_and_recorded_paths_match() {
        let mut p = PathTracker::default();
        let mut marks = Vec::new();
        for depth in 1..=60 {
            p.push(if depth == 1 { "TEI" } else { "div" });
            if depth % 7 == 0 || depth == 24 || depth == 25 {
                marks.push((p.mark(), p.current()));
            }
            if depth == 30 {
                // a sibling: the next div at depth 31 is the second of its name
                p.push("div");
                p.pop();
            }
        }
        let deep = p.current();
        assert!(
            deep.starts_with("/TEI/div/div/div/div/div/div/div/…(36 more)…/div/"),
            "{deep}"
        );
        assert!(
            !deep.contains("[2]"),
            "the sibling is in the left-out middle: {deep}"
        );
        for (id, then) in marks {
            assert_eq!(p.path_of(id), then);
        }
        let last = p.mark();
        assert_eq!(p.path_of(last), deep);
        for _ in 0..30 {
            p.pop();
        }
        p.push("div");
        assert!(p.current().ends_with("/div[3]"), "{}", p.current());
    }

    #[test]
    fn many_differently_named_siblings_cost_one_lookup_each() {
        let mut p = PathTracker::default();
        p.push("root");
        for i in 0..50_000 {
            p.push(&format!("e{}", i % 25_000));
            p.pop();
        }
        p.push("e7");
        assert_eq!(p.current(), "/root/e7[3]");
    }
}
