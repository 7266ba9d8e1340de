//! Lexical checks and URI handling: NCNames, datatype library URIs, href resolution.

use std::path::{Component as PathComponent, Path, PathBuf};
use std::sync::OnceLock;

/// Resolves `href` against the base path (a file path; its directory is the base directory).
pub(crate) fn resolve_href(base: &Path, href: &str) -> PathBuf {
    let href = href.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
    let href = href.strip_prefix("file://").unwrap_or(href);
    let href = href.strip_prefix("file:").unwrap_or(href);
    let decoded = percent_decode(href);
    let p = Path::new(&decoded);
    if p.is_absolute() {
        return normalize(p);
    }
    let dir = base.parent().unwrap_or(Path::new(""));
    let mut out = normalize(&dir.join(p));
    if decoded.ends_with('/') {
        // A directory base (`xml:base="sub/"`): later hrefs resolve inside it.
        out.push("_");
    }
    out
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // two hex digits (ASCII, so the slice is on character boundaries)
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `name/..` lexically.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            PathComponent::CurDir => {}
            PathComponent::ParentDir => {
                if matches!(out.components().next_back(), Some(PathComponent::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `s` is an XML NCName (XML 1.0 fourth edition classes, approximated with Unicode
/// categories: letters and `_` start a name; marks, digits and `.`, `-` may follow).
pub(crate) fn is_ncname(s: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^[\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}_][\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}\p{Mc}\p{Me}\p{Mn}\p{Lm}\p{Nd}_.\-\u{B7}]*$")
            .unwrap_or_else(|_| unreachable!("constant regex"))
    });
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    {
        return s
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    }
    re.is_match(s)
}

/// `datatypeLibrary`: empty, or an absolute URI (RFC 2396) without a fragment.
pub(crate) fn is_valid_library_uri(v: &str) -> bool {
    if v.is_empty() {
        return true;
    }
    if v.contains('#') {
        return false;
    }
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    // Escapes must be complete: % followed by two hex digits.
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if b[i] <= b' ' {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_uris() {
        for ok in [
            "",
            "foobar:xyzzy",
            "http:ok",
            "foo:bar",
            "http://www.example.com/%Aa",
            "http://www.w3.org/2001/XMLSchema-datatypes",
        ] {
            assert!(is_valid_library_uri(ok), "{ok}");
        }
        for bad in [
            "foo_bar:xyzzy",
            "foo:",
            "http://www.example.com/%",
            "http://www.example.com/%xx",
            "xyzzy",
            "xyzzy#foo:bar",
            "xyzzy?foo:bar",
            "xyzzy/foo:bar",
            "http://www.example.com#",
            "http://www.example.com#xyzzy",
        ] {
            assert!(!is_valid_library_uri(bad), "{bad}");
        }
    }

    #[test]
    fn hrefs_resolve_against_base() {
        let dir = resolve_href(Path::new("/a/c.rng"), "sub1/");
        let sub2 = resolve_href(&dir, "sub2");
        assert_eq!(resolve_href(&sub2, "x"), PathBuf::from("/a/sub1/x"));
        assert_eq!(
            resolve_href(Path::new("/a/b/c.rng"), "x.rng"),
            PathBuf::from("/a/b/x.rng")
        );
        assert_eq!(
            resolve_href(Path::new("/a/b/c.rng"), "../x.rng"),
            PathBuf::from("/a/x.rng")
        );
        let base = resolve_href(Path::new("/a/c.rng"), "sub/y");
        assert_eq!(resolve_href(&base, "x"), PathBuf::from("/a/sub/x"));
    }

    #[test]
    fn a_percent_before_a_multibyte_character_is_kept() {
        // the fuzz input that panicked: `%W` then a character of three bytes
        assert_eq!(percent_decode("a%W\u{FFFD}b"), "a%W\u{FFFD}b");
        assert_eq!(percent_decode("a%\u{E9}b"), "a%\u{E9}b");
        assert_eq!(percent_decode("a%20b%41"), "a bA");
    }

    #[test]
    fn ncnames() {
        assert!(is_ncname("foo") && is_ncname("_a.b-c") && is_ncname("\u{E14}\u{E35}"));
        assert!(!is_ncname("") && !is_ncname("1a") && !is_ncname("a:b") && !is_ncname("\u{E35}"));
    }
}
