//! XML names (XML 1.0 fourth edition, Appendix B, as XML Schema 1.0 and jing use them),
//! `language` tags and `QName` values.

use super::xmlchars::{is_ncname_char, is_ncname_start};
use super::Value;
use crate::xml::NsContext;

/// True when `s` is an XML `NCName` (a name without colons).
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_ncname_start) && chars.all(is_ncname_char)
}

/// True when `s` is an XML `Name` (colons allowed anywhere).
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == ':' || is_ncname_start(c))
        && chars.all(|c| c == ':' || is_ncname_char(c))
}

/// True when `s` is an XML `Nmtoken`.
pub fn is_nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c == ':' || is_ncname_char(c))
}

/// Why `s` is not a name, pointing at the first bad character.
fn explain(s: &str, start_ok: fn(&str) -> bool, kind: &str) -> String {
    if s.is_empty() {
        return format!("an empty string is not {kind}");
    }
    let mut prefix_end = 0;
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        if !start_ok(&s[..end]) {
            let what = if c == ' ' {
                "a space".to_string()
            } else {
                format!("'{c}' (U+{:04X})", c as u32)
            };
            return if i == 0 {
                format!("{what} cannot start {kind}")
            } else {
                format!(
                    "{what} at character {} is not allowed in {kind}",
                    s[..i].chars().count() + 1
                )
            };
        }
        prefix_end = end;
    }
    let _ = prefix_end;
    format!("not {kind}")
}

/// `Ok` for an NCName, else why not.
pub(crate) fn check_ncname(s: &str) -> Result<(), String> {
    if is_ncname(s) {
        Ok(())
    } else if s.contains(':') && is_name(s) {
        Err("a colon is not allowed in an NCName".into())
    } else {
        Err(explain(s, is_ncname, "an NCName"))
    }
}

/// `Ok` for a Name, else why not.
pub(crate) fn check_name(s: &str) -> Result<(), String> {
    if is_name(s) {
        Ok(())
    } else {
        Err(explain(s, is_name, "a Name"))
    }
}

/// `Ok` for an Nmtoken, else why not.
pub(crate) fn check_nmtoken(s: &str) -> Result<(), String> {
    if is_nmtoken(s) {
        Ok(())
    } else {
        Err(explain(s, is_nmtoken, "a name token"))
    }
}

/// `Ok` for an XSD 1.0 `language` (`[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`), else why not.
pub(crate) fn check_language(s: &str) -> Result<(), String> {
    for (i, part) in s.split('-').enumerate() {
        if part.is_empty() || part.len() > 8 {
            return Err(format!(
                "subtag {} \"{part}\" must have 1 to 8 letters or digits",
                i + 1
            ));
        }
        let ok = if i == 0 {
            part.bytes().all(|b| b.is_ascii_alphabetic())
        } else {
            part.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        if !ok {
            return Err(if i == 0 {
                format!("the primary subtag \"{part}\" must be ASCII letters")
            } else {
                format!(
                    "subtag {} \"{part}\" must be ASCII letters or digits",
                    i + 1
                )
            });
        }
    }
    Ok(())
}

/// The namespace of the `xml` prefix, bound in every document.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// True when `s` is a QName whose prefix (if any) is bound in `ns` (no allocation).
pub(crate) fn qname_ok(s: &str, ns: &dyn NsContext) -> bool {
    match s.split_once(':') {
        Some((p, l)) => is_ncname(p) && is_ncname(l) && (ns.resolve(p).is_some() || p == "xml"),
        None => is_ncname(s),
    }
}

/// A `QName` value: `prefix:local` with the prefix bound in `ns`, or `local` in the default
/// namespace.
pub(crate) fn parse_qname(s: &str, ns: &dyn NsContext) -> Result<Value, String> {
    let (prefix, local) = match s.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if !is_ncname(p) {
            return Err(format!("the prefix \"{p}\" is not an NCName"));
        }
    }
    if !is_ncname(local) {
        return Err(format!("the local name \"{local}\" is not an NCName"));
    }
    let uri = match prefix {
        Some(p) => match ns.resolve(p) {
            Some(u) => u,
            None if p == "xml" => XML_NS,
            None => return Err(format!("the prefix \"{p}\" is not declared")),
        },
        None => ns.resolve("").unwrap_or(""),
    };
    Ok(Value::QName {
        ns: uri.to_string(),
        local: local.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_ns::{none, Ns};
    use super::*;

    #[test]
    fn ncnames() {
        for ok in [
            "foo",
            "_0123456789",
            "a.b-c",
            "\u{E14}\u{E35}",
            "é",
            "\u{212E}",
        ] {
            assert!(is_ncname(ok), "{ok}");
        }
        for bad in [
            "",
            "0foo",
            "foo:bar",
            "-",
            ".",
            "a b",
            "\u{E35}",
            "\u{10000}",
            "\u{F900}",
        ] {
            assert!(!is_ncname(bad), "{bad}");
        }
        assert_eq!(
            check_ncname("0foo").unwrap_err(),
            "'0' (U+0030) cannot start an NCName"
        );
        assert_eq!(
            check_ncname("foo:bar").unwrap_err(),
            "a colon is not allowed in an NCName"
        );
        assert_eq!(
            check_ncname("ab$").unwrap_err(),
            "'$' (U+0024) at character 3 is not allowed in an NCName"
        );
    }

    #[test]
    fn names_and_tokens() {
        assert!(is_name(":"));
        assert!(is_name("a:b"));
        assert!(!is_name("1234"));
        assert!(is_nmtoken("1234"));
        assert!(is_nmtoken(":"));
        assert!(!is_nmtoken(""));
        assert!(!is_nmtoken("a b"));
    }

    #[test]
    fn languages() {
        for ok in [
            "en",
            "en-UK",
            "i-cherokee",
            "x-klingon",
            "en-uk-scotland",
            "de-1901",
        ] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in ["", "en.UK", "abcdefghi", "en-", "1en", "en--uk"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn qnames() {
        let ns = Ns(vec![("x", "http://www.example.com")]);
        assert_eq!(
            parse_qname("x:foo", &ns),
            Ok(Value::QName {
                ns: "http://www.example.com".into(),
                local: "foo".into()
            })
        );
        assert!(parse_qname("y:foo", &ns).is_err());
        assert!(parse_qname("x::foo", &ns).is_err());
        assert_eq!(
            parse_qname("foo", &none()),
            Ok(Value::QName {
                ns: "".into(),
                local: "foo".into()
            })
        );
        assert!(parse_qname("xml:lang", &none()).is_ok());
    }
}
