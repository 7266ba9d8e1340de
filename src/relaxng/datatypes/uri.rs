//! `anyURI`: what jing accepts, RFC 2396/2732 syntax after escaping the characters XLink allows
//! unescaped (spaces, non-ASCII, `<>"{}|\^` and backquote).

/// `Ok` when `s` is an acceptable URI reference, else why not.
pub(crate) fn check(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    // percent escapes
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = i + 2 < b.len()
                && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
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
    if s.matches('#').count() > 1 {
        return Err("more than one '#'".into());
    }
    // scheme: the part before the first ':' if it comes before any '/', '?' or '#'
    if let Some(colon) = s.find(':') {
        let before = &s[..colon];
        if !before.contains(['/', '?', '#']) {
            let mut chars = before.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !valid {
                return Err(format!(
                    "\"{before}\" is not a URI scheme (letters, digits, '+', '-', '.')"
                ));
            }
        }
    }
    Ok(())
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
            "",
            "a b",
            "../x.xml#p1",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in ["foo$bar:stuff", "f%oobar", "%", "%4", "a#b#c", ":x"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
