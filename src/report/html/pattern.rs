//! The message pattern of a diagnostic: its message with the parts that vary from one
//! occurrence to the next (ids, values, counts, paths, lists of what was expected) replaced by
//! `…`, so that a hundred files with the same mistake read as one group.
//!
//! Kept: the names of elements and attributes a message is about (a backquoted name right after
//! `element`, `attribute` or `on`, before the first `;`), since "element `c`" and "element
//! `idno`" are different mistakes. Replaced: every other backquoted or double-quoted part, every
//! run of digits, every word holding a `/` (a path).

/// The pattern of `message`.
pub fn pattern(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut past_semicolon = false;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' | '"' => match rest[1..].find(c) {
                Some(end) => {
                    let inner = &rest[1..1 + end];
                    let keep = c == '`'
                        && !past_semicolon
                        && ["element ", "attribute ", " on "]
                            .iter()
                            .any(|w| out.ends_with(w))
                        && !inner.contains(['#', '/', ' ']);
                    out.push(c);
                    out.push_str(if keep { inner } else { "…" });
                    out.push(c);
                    rest = &rest[2 + end..];
                }
                None => {
                    out.push(c);
                    rest = &rest[1..];
                }
            },
            '0'..='9' => {
                let end = rest
                    .find(|ch: char| !ch.is_ascii_digit())
                    .unwrap_or(rest.len());
                out.push('N');
                rest = &rest[end..];
            }
            _ if c.is_whitespace() => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
            _ => {
                // a word up to the next space or quote
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || ch == '`' || ch == '"')
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                if word.contains('/') && word.len() > 1 {
                    out.push('…');
                    if word.ends_with(',') {
                        out.push(',');
                    }
                } else {
                    // digits inside a word (`JP-010337` unquoted) are a value too
                    let mut digits = false;
                    for ch in word.chars() {
                        if ch.is_ascii_digit() {
                            if !digits {
                                out.push('N');
                            }
                            digits = true;
                        } else {
                            digits = false;
                            out.push(ch);
                        }
                    }
                    if word.contains(';') {
                        past_semicolon = true;
                    }
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pattern;

    #[test]
    fn names_are_kept_values_are_not() {
        assert_eq!(
            pattern("element `c` is not allowed anywhere in this schema; expected one of 58 elements, e.g. `abbr`"),
            "element `c` is not allowed anywhere in this schema; expected one of N elements, e.g. `…`"
        );
        assert_eq!(
            pattern("attribute `type` is not allowed on `supplied`; expected `ana`"),
            "attribute `type` is not allowed on `supplied`; expected `…`"
        );
        assert_eq!(
            pattern("@corresp points to `#JP-010337`, but no element has xml:id `JP-010337`"),
            pattern("@corresp points to `#x`, but no element has xml:id `x`"),
        );
        assert_eq!(
            pattern("`./W.xml#M1` points to /a/b/./W.xml, which does not exist"),
            "`…` points to …, which does not exist"
        );
        assert_eq!(
            pattern("value \"2026-07-010\" of attribute `when` is invalid"),
            "value \"…\" of attribute `when` is invalid"
        );
        assert_eq!(pattern("unterminated `quote"), "unterminated `quote");
    }
}
