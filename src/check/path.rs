//! Element paths such as `/TEI/teiHeader/profileDesc/correspDesc[2]`, kept while streaming.

use std::collections::HashMap;

/// The open elements and, for each, how many children of each name it has had so far.
#[derive(Debug, Default)]
pub(crate) struct PathTracker {
    stack: Vec<(String, u32)>,
    counts: Vec<HashMap<String, u32>>,
}

impl PathTracker {
    /// An element starts.
    pub(crate) fn push(&mut self, qname: &str) {
        let n = match self.counts.last_mut() {
            Some(c) => {
                let e = c.entry(qname.to_string()).or_insert(0);
                *e += 1;
                *e
            }
            None => 1,
        };
        self.stack.push((qname.to_string(), n));
        self.counts.push(HashMap::new());
    }

    /// An element ends.
    pub(crate) fn pop(&mut self) {
        self.stack.pop();
        self.counts.pop();
    }

    /// The path of the innermost open element (`[n]` only where n > 1).
    pub(crate) fn current(&self) -> String {
        let mut s = String::new();
        for (name, n) in &self.stack {
            s.push('/');
            s.push_str(name);
            if *n > 1 {
                s.push_str(&format!("[{n}]"));
            }
        }
        s
    }
}
