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

impl NsContext for NsScope {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        let p = prefix.as_bytes();
        for &(start, mid, end) in self.bindings.iter().rev() {
            let (s, m) = (start as usize, mid as usize);
            if m - s == p.len() && self.buf.as_bytes()[s..m] == *p {
                return Some(&self.buf[m..end as usize]);
            }
        }
        if prefix.is_empty() {
            Some("")
        } else {
            None
        }
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
