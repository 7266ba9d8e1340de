//! Start-tag scanning: the element name and the attributes, with byte ranges, straight from
//! the source text (no allocation: ranges go into a reused vector).

#![allow(clippy::result_large_err)] // the contract returns `Diagnostic` errors; they are rare and cold

use std::ops::Range;

use super::chars::{is_name, is_space};
use super::codes;
use crate::diagnostic::{Code, Diagnostic};

/// One attribute as written: ranges into the source text.
#[derive(Debug, Clone)]
pub struct RawAttr {
    /// The name as written.
    pub qname: Range<usize>,
    /// `name="value"`.
    pub span: Range<usize>,
    /// Between the quotes.
    pub value_span: Range<usize>,
    /// The normalised value (set by the reader).
    pub value: Val,
    /// A namespace declaration (`xmlns`, `xmlns:p`).
    pub is_ns: bool,
}

/// Where a normalised attribute value lives.
#[derive(Debug, Clone)]
pub enum Val {
    /// Unchanged: a range of the source text.
    Src(Range<usize>),
    /// Rewritten: a range of the reader's value buffer.
    Buf(Range<usize>),
}

/// A tag syntax error: code, span (in the source), message.
pub type TagError = (&'static Code, Range<usize>, String);

/// Byte classes for names: 1 = ASCII name start, 2 = ASCII name character.
static NAME_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphabetic() || b == b'_' || b == b':' {
            t[c] = 3;
        } else if b.is_ascii_digit() || b == b'-' || b == b'.' {
            t[c] = 2;
        }
        c += 1;
    }
    t
};

/// Scans a name starting at `i` (ending before `hi`, whitespace, `=`, quotes or `<`); returns
/// its end and whether it is a valid XML name. ASCII names are checked as they are scanned.
#[inline]
fn scan_name(src: &str, i: usize, hi: usize) -> (usize, bool) {
    let b = src.as_bytes();
    let mut j = i;
    if j < hi && NAME_BYTES[b[j] as usize] & 1 != 0 {
        j += 1;
        while j < hi && NAME_BYTES[b[j] as usize] & 2 != 0 {
            j += 1;
        }
        if j >= hi || is_space(b[j]) || matches!(b[j], b'=' | b'"' | b'\'' | b'<') {
            return (j, true);
        }
    }
    // slow path: non-ASCII or invalid characters
    while j < hi && !is_space(b[j]) && !matches!(b[j], b'=' | b'"' | b'\'' | b'<') {
        j += 1;
    }
    (j, is_name(&src[i..j]))
}

/// Is `s` a Name? ASCII fast path, full XML rules otherwise.
#[inline]
pub fn is_name_fast(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_ascii() {
        return match b.first() {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c == b':' => b
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-' | b'.')),
            _ => false,
        };
    }
    is_name(s)
}

fn describe(b: &[u8], i: usize, s: &str) -> String {
    if i >= b.len() {
        return "the end of the tag".to_string();
    }
    match s[i..].chars().next() {
        Some(c) => format!("`{c}`"),
        None => "the end of the tag".to_string(),
    }
}

/// Scans the inside of a start tag, `src[lo..hi]` (after `<`, before `>` or `/>`): returns the
/// element name's range and fills `out` with the attributes (values not yet normalised).
pub fn scan_start_tag(
    src: &str,
    lo: usize,
    hi: usize,
    out: &mut Vec<RawAttr>,
) -> Result<Range<usize>, TagError> {
    scan(src, lo, hi, out).map_err(|e| {
        // A `<` (outside quotes) before the error means the tag was never closed.
        let b = src.as_bytes();
        let mut q = 0u8;
        for i in lo..e.1.start.max(lo).min(hi) + 1 {
            let c = b.get(i).copied().unwrap_or(0);
            if q != 0 {
                if c == q {
                    q = 0;
                }
            } else if c == b'"' || c == b'\'' {
                q = c;
            } else if c == b'<' {
                let name_end = src[lo..i]
                    .find(|ch: char| ch.is_ascii_whitespace())
                    .map_or(i, |n| lo + n);
                return (
                    &codes::NOT_WELL_FORMED,
                    lo - 1..i,
                    format!(
                        "the start tag `<{}` is not closed: `<` found before its `>`",
                        &src[lo..name_end]
                    ),
                );
            }
        }
        e
    })
}

fn scan(src: &str, lo: usize, hi: usize, out: &mut Vec<RawAttr>) -> Result<Range<usize>, TagError> {
    out.clear();
    let b = src.as_bytes();
    let (mut i, mut valid) = scan_name(src, lo, hi);
    if i < hi && matches!(b[i], b'=' | b'"' | b'\'') {
        valid = false;
        // `<a="x">`: the name ends at no delimiter an element name may end at
        while i < hi && !is_space(b[i]) && b[i] != b'<' {
            i += 1;
        }
    }
    let name = lo..i;
    if name.is_empty() {
        return Err((
            &codes::INVALID_NAME,
            lo - 1..lo,
            "`<` is not followed by an element name (write `&lt;` for a literal less-than sign)"
                .to_string(),
        ));
    }
    if !valid {
        return Err((
            &codes::INVALID_NAME,
            name.clone(),
            format!("`{}` is not a valid element name", &src[name]),
        ));
    }
    loop {
        let before = i;
        while i < hi && is_space(b[i]) {
            i += 1;
        }
        if i >= hi {
            return Ok(name);
        }
        if i == before {
            return Err((
                &codes::BAD_ATTRIBUTE,
                i..i + 1,
                format!("expected whitespace before the next attribute in the start tag of `{}`, found {}", &src[name.clone()], describe(b, i, src)),
            ));
        }
        let an = i;
        let (e, valid) = scan_name(src, i, hi);
        i = e;
        let qname = an..i;
        if qname.is_empty() || !valid {
            let found = if qname.is_empty() {
                describe(b, an, src)
            } else {
                format!("`{}`", &src[qname.clone()])
            };
            return Err((
                &codes::BAD_ATTRIBUTE,
                an..i.max(an + 1),
                format!(
                    "expected an attribute name or the end of the start tag of `{}`, found {found}",
                    &src[name.clone()]
                ),
            ));
        }
        while i < hi && is_space(b[i]) {
            i += 1;
        }
        if i >= hi || b[i] != b'=' {
            return Err((
                &codes::BAD_ATTRIBUTE,
                qname.clone(),
                format!(
                    "attribute `{}` has no value: expected `=` and a quoted value, found {}",
                    &src[qname],
                    describe(b, i, src)
                ),
            ));
        }
        i += 1;
        while i < hi && is_space(b[i]) {
            i += 1;
        }
        let q = if i < hi { b[i] } else { 0 };
        if q != b'"' && q != b'\'' {
            return Err((
                &codes::BAD_ATTRIBUTE,
                i.min(hi)..i.min(hi) + 1,
                format!(
                    "the value of attribute `{}` must be in quotes, found {}",
                    &src[qname],
                    describe(b, i, src)
                ),
            ));
        }
        let vs = i + 1;
        let Some(n) = b[vs..hi].iter().position(|&c| c == q) else {
            return Err((
                &codes::BAD_ATTRIBUTE,
                i..i + 1,
                format!(
                    "the value of attribute `{}` is not closed by a matching quote",
                    &src[qname]
                ),
            ));
        };
        let ve = vs + n;
        i = ve + 1;
        out.push(RawAttr {
            span: an..i,
            qname,
            value_span: vs..ve,
            value: Val::Src(vs..ve),
            is_ns: false,
        });
    }
}

/// Finds a repeated attribute name in one start tag, by (namespace, local name): two
/// attributes with the same qualified name always share both. Few attributes are compared one
/// by one; from [`RepeatedNames::HASH_FROM`] on, a hash index answers, so that an element with
/// very many attributes costs linear time (std's hasher: the names are the document's).
#[derive(Debug, Default)]
pub struct RepeatedNames<'s> {
    index: std::collections::HashMap<(&'s str, &'s str), usize>,
}

impl<'s> RepeatedNames<'s> {
    /// Attributes from which on the index is used.
    pub const HASH_FROM: usize = 16;

    /// The position in `earlier` (the names accepted so far, in order) of the first attribute
    /// named `(ns, local)`, if any; otherwise `(ns, local)` counts as accepted next (the caller
    /// appends it to `earlier`).
    pub fn earlier(
        &mut self,
        earlier: impl ExactSizeIterator<Item = (&'s str, &'s str)>,
        ns: &'s str,
        local: &'s str,
    ) -> Option<usize> {
        let n = earlier.len();
        if n < Self::HASH_FROM {
            return earlier
                .into_iter()
                .position(|(bn, bl)| bl == local && bn == ns);
        }
        if self.index.is_empty() {
            for (i, k) in earlier.enumerate() {
                self.index.entry(k).or_insert(i);
            }
        }
        match self.index.get(&(ns, local)) {
            Some(&i) => Some(i),
            None => {
                self.index.insert((ns, local), n);
                None
            }
        }
    }
}

/// Does an attribute value need rewriting (references, whitespace, `<`, control chars)?
#[inline]
pub fn value_needs_work(raw: &[u8]) -> bool {
    raw.iter()
        .any(|&c| c < 0x20 || c == b'&' || c == b'<' || c == 0xEF)
}

/// Builds the end-tag name check: the name inside `</…>` (`src[lo..hi]`), trailing space allowed.
pub fn end_tag_name(src: &str, lo: usize, hi: usize) -> Result<Range<usize>, Diagnostic> {
    let b = src.as_bytes();
    let mut e = hi;
    while e > lo && is_space(b[e - 1]) {
        e -= 1;
    }
    let name = &src[lo..e];
    if name.is_empty() || name.bytes().any(is_space) || !is_name_fast(name) {
        return Err(Diagnostic::new(
            &codes::NOT_WELL_FORMED,
            lo.saturating_sub(2)..hi + 1,
            format!(
                "malformed end tag `</{}>`: expected `</name>`",
                &src[lo..hi]
            ),
        ));
    }
    Ok(lo..e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_attributes() {
        let s = r#"<p xml:id="a" n = '2' rend="x>y">"#;
        let mut v = Vec::new();
        let n = scan_start_tag(s, 1, s.len() - 1, &mut v).unwrap();
        assert_eq!(&s[n], "p");
        assert_eq!(v.len(), 3);
        assert_eq!(&s[v[0].qname.clone()], "xml:id");
        assert_eq!(&s[v[1].value_span.clone()], "2");
        assert_eq!(&s[v[1].span.clone()], "n = '2'");
        assert_eq!(&s[v[2].value_span.clone()], "x>y");
    }

    #[test]
    fn rejects_bad_tags() {
        let mut v = Vec::new();
        for (s, code) in [
            ("< p>", "invalid_name"),
            ("<1p>", "invalid_name"),
            ("<p a>", "bad_attribute"),
            ("<p a=b>", "bad_attribute"),
            ("<p a='1'b='2'>", "bad_attribute"),
            ("<é-1 x='1'>", "ok"),
        ] {
            let r = scan_start_tag(s, 1, s.len() - 1, &mut v);
            if code == "ok" {
                assert!(r.is_ok(), "{s}");
                continue;
            }
            let e = r.unwrap_err();
            assert!(e.0.id.ends_with(code), "{s}: {:?}", e);
        }
    }

    #[test]
    fn repeated_names_are_found_by_scan_and_by_hash() {
        for n in [3, RepeatedNames::HASH_FROM, 5000] {
            let names: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
            let mut seen = RepeatedNames::default();
            let mut accepted: Vec<(&str, &str)> = Vec::new();
            for name in &names {
                assert_eq!(seen.earlier(accepted.iter().copied(), "", name), None);
                accepted.push(("", name));
            }
            let again = format!("a{}", n / 2);
            assert_eq!(
                seen.earlier(accepted.iter().copied(), "", &again),
                Some(n / 2)
            );
            assert_eq!(
                seen.earlier(accepted.iter().copied(), "urn:x", &again),
                None
            );
        }
    }
}
