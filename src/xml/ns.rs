//! The namespace scope stack: prefix bindings pushed at each start tag, popped at its end.

use super::event::NsContext;

/// The XML namespace, bound to the `xml` prefix in every document.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of `xmlns` attributes (never bindable).
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Bindings in scope, innermost last. Prefixes and URIs live in one buffer, so pushing and
/// popping does not allocate once the buffer has grown.
#[derive(Debug, Default)]
pub struct NsScope {
    buf: String,
    /// (prefix range, uri range) into `buf`.
    bindings: Vec<(u32, u32, u32)>,
    /// Number of bindings at the start of each open element.
    marks: Vec<usize>,
}

impl NsScope {
    /// An empty scope (only `xml:` is bound, implicitly).
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts an element's scope.
    pub fn push_element(&mut self) {
        self.marks.push(self.bindings.len());
    }

    /// Binds `prefix` (`""` = default namespace) to `uri` in the current element's scope.
    pub fn bind(&mut self, prefix: &str, uri: &str) {
        let start = self.buf.len() as u32;
        self.buf.push_str(prefix);
        let mid = self.buf.len() as u32;
        self.buf.push_str(uri);
        let end = self.buf.len() as u32;
        self.bindings.push((start, mid, end));
    }

    /// Ends the current element's scope.
    pub fn pop_element(&mut self) {
        if let Some(mark) = self.marks.pop() {
            if let Some(&(start, _, _)) = self.bindings.get(mark) {
                self.buf.truncate(start as usize);
            }
            self.bindings.truncate(mark);
        }
    }
}

/// A resolved namespace URI, by position: valid while the binding that produced it is in
/// scope (an element keeps it from its start tag to its end tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsId(u32, u32);

const XML_ID: NsId = NsId(u32::MAX, u32::MAX);

impl NsScope {
    /// Resolves `prefix` to a position (see [`NsId`]).
    pub fn resolve_id(&self, prefix: &str) -> Option<NsId> {
        let p = prefix.as_bytes();
        for &(start, mid, end) in self.bindings.iter().rev() {
            let (s, m) = (start as usize, mid as usize);
            // the default namespace (no prefix) is the common case: no comparison
            if m - s == p.len() && (p.is_empty() || self.buf.as_bytes()[s..m] == *p) {
                return Some(NsId(mid, end));
            }
        }
        match prefix {
            "" => Some(NsId(0, 0)),
            "xml" => Some(XML_ID),
            _ => None,
        }
    }

    /// The URI of a resolved namespace.
    pub fn uri(&self, id: NsId) -> &str {
        if id == XML_ID {
            return XML_NS;
        }
        self.buf.get(id.0 as usize..id.1 as usize).unwrap_or("")
    }
}

impl NsContext for NsScope {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.resolve_id(prefix).map(|id| self.uri(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_and_pop() {
        let mut s = NsScope::new();
        s.push_element();
        s.bind("", "urn:a");
        s.bind("t", "urn:t");
        s.push_element();
        s.bind("", "urn:b");
        assert_eq!(s.resolve(""), Some("urn:b"));
        assert_eq!(s.resolve("t"), Some("urn:t"));
        assert_eq!(s.resolve("xml"), Some(XML_NS));
        assert_eq!(s.resolve("u"), None);
        s.pop_element();
        assert_eq!(s.resolve(""), Some("urn:a"));
        s.pop_element();
        assert_eq!(s.resolve(""), Some(""));
        assert_eq!(s.resolve("t"), None);
    }
}
