//! XPath through `xee-xpath` (XPath 3.1): the rewrites Schematron needs before compiling an
//! expression, and the static context (namespaces, variables) it compiles in.
//!
//! Rewrites, made on the tokens outside string literals and comments:
//! - `current()` (XSLT) becomes a variable bound to the rule's context node;
//! - a prefixed name whose local part is an operator word (`tei:div`, `tei:and`) becomes
//!   `tei:*[local-name() eq 'div']`: xee 0.1 does not parse such names (TEI's `div` among them);
//! - `document()`, `key()`, `system-property()`, `unparsed-text()` and other XSLT-only functions
//!   are refused with a message saying so (no document is ever fetched).

use xee_xpath::context::StaticContextBuilder;
use xot::xmlname::OwnedName;

/// The namespace of teikit's own variables (`current()`).
pub const TEIKIT_NS: &str = "urn:teikit:schematron";
/// The local name of the variable `current()` becomes.
pub const CURRENT: &str = "current";

/// XPath's operator and keyword words; xee 0.1 does not accept them as the local part of a
/// prefixed name.
pub(super) const OPERATOR_WORDS: &[&str] = &[
    "and",
    "or",
    "div",
    "mod",
    "idiv",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is",
    "to",
    "union",
    "intersect",
    "except",
    "return",
    "satisfies",
    "then",
    "else",
    "in",
    "as",
    "of",
    "instance",
    "treat",
    "cast",
    "castable",
];

/// XSLT functions that are not XPath functions, with what teikit says about each.
const XSLT_ONLY: &[(&str, &str)] = &[
    ("document", "document() reads other documents; teikit never fetches or reads a document from a rule (use doc() only on the document itself, or check the other file separately)"),
    ("key", "key() needs xsl:key, which teikit does not run"),
    ("system-property", "system-property() is an XSLT function teikit does not provide"),
    ("unparsed-entity-uri", "unparsed-entity-uri() is an XSLT function teikit does not provide"),
    ("unparsed-entity-public-id", "unparsed-entity-public-id() is an XSLT function teikit does not provide"),
    ("format-number", "format-number() with XSLT decimal formats is not provided"),
    ("unparsed-text", "unparsed-text() reads other files; teikit never reads a file from a rule"),
    ("unparsed-text-lines", "unparsed-text-lines() reads other files; teikit never reads a file from a rule"),
    ("unparsed-text-available", "unparsed-text-available() reads other files; teikit never reads a file from a rule"),
    ("collection", "collection() reads other documents; teikit never reads a document from a rule"),
    ("uri-collection", "uri-collection() lists other documents; teikit never reads a document from a rule"),
    ("regex-group", "regex-group() needs xsl:analyze-string, which teikit does not run"),
    ("accumulator-before", "accumulators need XSLT 3.0 streaming, which teikit does not run"),
    ("accumulator-after", "accumulators need XSLT 3.0 streaming, which teikit does not run"),
];

/// A token of the expression text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A name, possibly prefixed (`a`, `tei:div`, `fn:count`): start and end.
    Name(usize, usize),
    /// Anything else (one char, a literal, a comment): start and end.
    Other(usize, usize),
}

fn name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '\u{b7}'
}

/// Splits the expression into names and other pieces (literals and comments are one piece).
fn tokens(s: &str) -> Vec<Tok> {
    let b: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let end_of = |k: usize| b.get(k).map_or(s.len(), |(o, _)| *o);
    while i < b.len() {
        let (o, c) = b[i];
        if c == '"' || c == '\'' {
            let mut j = i + 1;
            while j < b.len() {
                if b[j].1 == c {
                    if b.get(j + 1).map(|x| x.1) == Some(c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out.push(Tok::Other(o, end_of(j + 1)));
            i = j + 1;
        } else if c == '(' && b.get(i + 1).map(|x| x.1) == Some(':') {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j].1 == '(' && b.get(j + 1).map(|x| x.1) == Some(':') {
                    depth += 1;
                    j += 2;
                } else if b[j].1 == ':' && b.get(j + 1).map(|x| x.1) == Some(')') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            out.push(Tok::Other(o, end_of(j)));
            i = j;
        } else if c == 'Q' && b.get(i + 1).map(|x| x.1) == Some('{') {
            // an EQName's braced URI
            let mut j = i + 2;
            while j < b.len() && b[j].1 != '}' {
                j += 1;
            }
            out.push(Tok::Other(o, end_of(j + 1)));
            i = j + 1;
        } else if name_start(c) {
            let mut j = i + 1;
            while j < b.len() && name_char(b[j].1) {
                j += 1;
            }
            // a prefixed name: `p:l` (not `p::axis`, not `p:*`)
            if b.get(j).map(|x| x.1) == Some(':') && b.get(j + 1).is_some_and(|x| name_start(x.1)) {
                j += 1;
                while j < b.len() && name_char(b[j].1) {
                    j += 1;
                }
            }
            out.push(Tok::Name(o, end_of(j)));
            i = j;
        } else {
            out.push(Tok::Other(o, end_of(i + 1)));
            i += 1;
        }
    }
    out
}

/// The rewritten expression, or why it cannot run.
pub fn rewrite(src: &str) -> Result<String, String> {
    let toks = tokens(src);
    let mut out = String::with_capacity(src.len() + 16);
    let next_non_space = |k: usize| {
        toks[k + 1..].iter().find_map(|t| match *t {
            Tok::Other(a, b) if src[a..b].trim().is_empty() => None,
            Tok::Other(a, b) => Some(&src[a..b]),
            Tok::Name(a, b) => Some(&src[a..b]),
        })
    };
    let prev_non_space = |k: usize| {
        toks[..k].iter().rev().find_map(|t| match *t {
            Tok::Other(a, b) if src[a..b].trim().is_empty() => None,
            Tok::Other(a, b) | Tok::Name(a, b) => Some(&src[a..b]),
        })
    };
    for (k, t) in toks.iter().enumerate() {
        match *t {
            Tok::Other(a, b) if descendant_step(src, &toks, k) => {
                // `//name` as `/descendant::name`: the same nodes, without every node of the
                // subtree taken as a context for a child step and sorted back into order
                // the first `/` is written already
                debug_assert_eq!(&src[a..b], "/");
                out.push_str("descendant::");
            }
            Tok::Other(a, b) => out.push_str(&src[a..b]),
            Tok::Name(a, b) => {
                let name = &src[a..b];
                let call = next_non_space(k) == Some("(");
                let after_dollar = prev_non_space(k) == Some("$");
                let local = name.rsplit(':').next().unwrap_or(name);
                let plain_fn = !name.contains(':') || name.starts_with("fn:");
                if call && plain_fn && !after_dollar {
                    if local == "current" {
                        // `current()`: drop the `(` `)` that follow
                        out.push_str(&format!("$Q{{{TEIKIT_NS}}}{CURRENT}"));
                        continue;
                    }
                    if let Some((_, why)) = XSLT_ONLY.iter().find(|(f, _)| *f == local) {
                        return Err((*why).to_string());
                    }
                }
                if !after_dollar && !call && name.contains(':') && OPERATOR_WORDS.contains(&local) {
                    let prefix = &name[..name.len() - local.len() - 1];
                    out.push_str(&format!("{prefix}:*[local-name() eq '{local}']"));
                } else {
                    out.push_str(name);
                }
            }
        }
    }
    // `current()`: the call's parentheses were left behind
    Ok(strip_current_parens(&out))
}

/// Whether token `k` is the second `/` of a `//` followed by a plain name test with no
/// predicate (`//tei:bibl`, not `//x[1]`, `//node()`, `//child::x`, `//@x`), which
/// `/descendant::` may replace (a predicate could be positional, and then it would not).
fn descendant_step(src: &str, toks: &[Tok], k: usize) -> bool {
    let text = |t: &Tok| match *t {
        Tok::Other(a, b) | Tok::Name(a, b) => &src[a..b],
    };
    if text(&toks[k]) != "/" || k == 0 || text(&toks[k - 1]) != "/" {
        return false;
    }
    // a third `/` before would make this `///`, not an XPath
    if k >= 2 && text(&toks[k - 2]) == "/" {
        return false;
    }
    let Some(Tok::Name(a, b)) = toks.get(k + 1) else {
        return false;
    };
    let name = &src[*a..*b];
    let local = name.rsplit(':').next().unwrap_or(name);
    if name.contains(':') && OPERATOR_WORDS.contains(&local) {
        // rewritten below with a predicate
        return false;
    }
    let after = toks[k + 2..]
        .iter()
        .map(text)
        .find(|t| !t.trim().is_empty());
    !matches!(after, Some("[") | Some("(") | Some(":"))
}

fn strip_current_parens(s: &str) -> String {
    let marker = format!("$Q{{{TEIKIT_NS}}}{CURRENT}");
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(&marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        let t = rest.trim_start();
        if let Some(t2) = t.strip_prefix('(') {
            if let Some(t3) = t2.trim_start().strip_prefix(')') {
                rest = t3;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The variable `current()` is rewritten to.
pub fn current_name() -> OwnedName {
    OwnedName::new(CURRENT.into(), TEIKIT_NS.into(), String::new())
}

/// A variable of the schema (`let name`).
pub fn var_name(name: &str) -> OwnedName {
    match name.split_once(':') {
        // a prefixed variable name is rare; it keeps its prefix as written
        Some((p, l)) => OwnedName::new(l.into(), String::new(), p.into()),
        None => OwnedName::new(name.into(), String::new(), String::new()),
    }
}

/// A static context with the schema's namespaces and these variables.
pub fn static_context<'a>(
    namespaces: &'a [(String, String)],
    variables: impl IntoIterator<Item = OwnedName>,
) -> StaticContextBuilder<'a> {
    let mut b = StaticContextBuilder::default();
    for (p, u) in namespaces {
        b.add_namespace(p, u);
    }
    b.variable_names(variables);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_current_and_operator_names_outside_literals() {
        assert_eq!(
            rewrite("ancestor::tei:l[. = current()]").unwrap(),
            format!("ancestor::tei:l[. = $Q{{{TEIKIT_NS}}}current]")
        );
        assert_eq!(
            rewrite("tei:l//tei:div[@n='tei:div current()']").unwrap(),
            "tei:l//tei:*[local-name() eq 'div'][@n='tei:div current()']"
        );
        assert_eq!(
            rewrite("child::div and 1 div 2").unwrap(),
            "child::div and 1 div 2"
        );
        assert_eq!(
            rewrite("self::tei:and").unwrap(),
            "self::tei:*[local-name() eq 'and']"
        );
        assert!(rewrite("document('x.xml')//a")
            .unwrap_err()
            .contains("never fetches"));
        assert!(rewrite("key('k', @ref)").is_err());
        assert_eq!(rewrite("'document(x)'").unwrap(), "'document(x)'");
        assert_eq!(rewrite("$key").unwrap(), "$key");
        assert_eq!(rewrite("(: key() :) 1").unwrap(), "(: key() :) 1");
    }

    #[test]
    fn a_descendant_name_step_is_taken_directly_only_where_it_selects_the_same() {
        assert_eq!(
            rewrite("ancestor::tei:TEI//tei:bibl/@xml:id").unwrap(),
            "ancestor::tei:TEI/descendant::tei:bibl/@xml:id"
        );
        assert_eq!(
            rewrite("//a | //b/c").unwrap(),
            "/descendant::a | /descendant::b/c"
        );
        for same in [
            "//a[1]",
            "//node()",
            "//child::a",
            "//@n",
            "// a",
            "'//a'",
            "//*",
        ] {
            assert_eq!(rewrite(same).unwrap(), same);
        }
    }
}
