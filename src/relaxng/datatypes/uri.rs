//! `anyURI` as jing checks it: percent escapes well formed, at most one `#`, a valid scheme
//! when there is one, then the RFC 2396/2732 structure that `java.net.URI` enforces once the
//! characters XLink allows unescaped (spaces, non-ASCII, `<>"{}|\^` and backquote, controls)
//! are escaped: a non-empty scheme-specific part, a non-empty authority when nothing follows
//! it, `[` and `]` only around an IPv6 host, in the query, the fragment or an opaque part.

use std::net::Ipv6Addr;

/// `Ok` when `s` is an acceptable URI reference, else why not.
pub(crate) fn check(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return Err(format!(
                    "'%' at character {} must be followed by two hex digits",
                    s[..i].chars().count() + 1
                ));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let (rest, fragment) = match s.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (s, None),
    };
    if fragment.is_some_and(|f| f.contains('#')) {
        return Err("more than one '#'".into());
    }
    // A scheme is the part before a ':' that comes before any '/', '?' or '#'.
    let scheme_end = rest
        .find([':', '/', '?'])
        .filter(|&p| rest.as_bytes()[p] == b':');
    let hier = match scheme_end {
        Some(p) => {
            let scheme = &rest[..p];
            let mut chars = scheme.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !valid {
                return Err(format!(
                    "\"{}\" is not a URI scheme (a letter, then letters, digits, '+', '-', '.')",
                    super::shorten(scheme)
                ));
            }
            let ssp = &rest[p + 1..];
            if ssp.is_empty() {
                return Err(format!("nothing follows the scheme \"{scheme}:\""));
            }
            if !ssp.starts_with('/') {
                return Ok(()); // an opaque URI such as mailto:x or urn:isbn:1
            }
            ssp
        }
        None => rest,
    };
    let (hier, _query) = match hier.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (hier, None),
    };
    let path = match hier.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let authority = &after[..end];
            if authority.is_empty() && end == after.len() && _query.is_none() && fragment.is_none()
            {
                return Err("an empty authority after \"//\"".into());
            }
            check_authority(authority)?;
            &after[end..]
        }
        None => hier,
    };
    if let Some(c) = path.chars().find(|c| matches!(c, '[' | ']')) {
        return Err(format!(
            "'{c}' is not allowed in a URI path (escape it as %5B or %5D)"
        ));
    }
    Ok(())
}

/// An authority with brackets must be `[userinfo@][IPv6]:port`; without, anything goes (a
/// registry-based name).
fn check_authority(a: &str) -> Result<(), String> {
    if !a.contains(['[', ']']) {
        return Ok(());
    }
    let host_port = match a.rfind('@') {
        Some(at) => {
            let user = &a[..at];
            if user.contains(['[', ']']) {
                return Err(format!("'[' or ']' in the user info of \"{a}\""));
            }
            &a[at + 1..]
        }
        None => a,
    };
    let bad =
        || format!("\"{a}\" is not a valid authority ('[' and ']' only around an IPv6 address)");
    let inner = host_port.strip_prefix('[').ok_or_else(bad)?;
    let close = inner.find(']').ok_or_else(bad)?;
    let addr = &inner[..close];
    if addr.parse::<Ipv6Addr>().is_err() {
        return Err(format!("\"{addr}\" is not an IPv6 address"));
    }
    let port = &inner[close + 1..];
    match port.strip_prefix(':') {
        Some(p) if p.bytes().all(|c| c.is_ascii_digit()) => Ok(()),
        None if port.is_empty() => Ok(()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        for ok in [
            "foobar",
            "http://www.example.com",
            "http://www.example.co%6d",
            "nosuchscheme:stuff",
            "#id",
            "#",
            "x#",
            "",
            "a b",
            "../x.xml#p1",
            "a:b[",
            "a:?",
            "a:/",
            "a:b#",
            "//[::1]/",
            "http://[1::]:80",
            "http://[::1]:8080/x?q=[1]#[f]",
            "foo$bar",
            "a:x:y",
            "a/b:c",
            "x:é",
            "a%bc",
            "http:///x",
            "mailto:x@y",
        ] {
            assert!(check(ok).is_ok(), "{ok}: {:?}", check(ok));
        }
        for bad in [
            "foo$bar:stuff",
            "f%oobar",
            "%",
            "%4",
            "%GG",
            "a#b#c",
            "##",
            ":x",
            "1:x",
            "é:x",
            "a:",
            "a:#",
            "http://",
            "//",
            "a[",
            "[a",
            "a]",
            "[::1]",
            "http://e.org/[x]",
            "http://[v1.x]/",
            "http://e.org[/",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
