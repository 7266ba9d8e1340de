//! XPointer as XInclude uses it: the framework's shorthand pointers (a bare `xml:id`) and the
//! `element()` scheme (`element(/1/2)`, `element(intro/3)`). Other schemes are recognised and
//! skipped, as the framework says; the first part that identifies an element wins.

use super::outline::Outline;

/// One pointer part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A shorthand pointer: the element with this `xml:id`.
    Shorthand(String),
    /// `element(id/1/2)`: from the element with `id` (else the document), child steps.
    Element {
        /// The starting `xml:id`, if any.
        id: Option<String>,
        /// 1-based child element steps.
        steps: Vec<usize>,
    },
    /// A scheme teikit does not resolve (`xpointer()`, `xmlns()`, …).
    Other(String),
}

fn is_ncname(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && cs.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

/// Parses a pointer; the error says what is wrong.
pub fn parse(pointer: &str) -> Result<Vec<Part>, String> {
    let p = pointer.trim();
    if p.is_empty() {
        return Err("the xpointer is empty".into());
    }
    if !p.contains('(') {
        return if is_ncname(p) {
            Ok(vec![Part::Shorthand(p.to_string())])
        } else {
            Err(format!("`{p}` is neither a shorthand pointer (an xml:id) nor a scheme-based pointer such as `element(/1/2)`"))
        };
    }
    let mut parts = Vec::new();
    let mut rest = p;
    while !rest.is_empty() {
        let open = rest
            .find('(')
            .ok_or_else(|| format!("`{rest}` is not a pointer part (`scheme(data)`)"))?;
        let scheme = rest[..open].trim();
        if !is_ncname(scheme.rsplit(':').next().unwrap_or("")) {
            return Err(format!("`{scheme}` is not a scheme name"));
        }
        // the data up to the balancing `)`, `^` escaping `(`, `)` and `^`
        let mut depth = 1;
        let mut data = String::new();
        let mut chars = rest[open + 1..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '^' => match chars.next() {
                    Some((_, e @ ('(' | ')' | '^'))) => data.push(e),
                    _ => return Err("`^` escapes only `(`, `)` and `^` in a pointer part".into()),
                },
                '(' => {
                    depth += 1;
                    data.push(c);
                }
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(open + 1 + i + 1);
                        break;
                    }
                    data.push(c);
                }
                _ => data.push(c),
            }
        }
        let end = end.ok_or_else(|| format!("`{rest}` is not closed by `)`"))?;
        parts.push(match scheme {
            "element" => element(&data)?,
            _ => Part::Other(scheme.to_string()),
        });
        rest = rest[end..].trim_start();
    }
    Ok(parts)
}

fn element(data: &str) -> Result<Part, String> {
    let bad = || {
        format!("`element({data})` is not an element() pointer: an xml:id, `/n` steps (n from 1), or both (`intro/2`)")
    };
    let (id, steps) = match data.find('/') {
        Some(i) => (&data[..i], &data[i..]),
        None => (data, ""),
    };
    let id = if id.is_empty() {
        None
    } else if is_ncname(id) {
        Some(id.to_string())
    } else {
        return Err(bad());
    };
    let steps: Vec<usize> = if steps.is_empty() {
        Vec::new()
    } else {
        steps[1..]
            .split('/')
            .map(|s| {
                s.parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0 && s.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect::<Option<_>>()
            .ok_or_else(bad)?
    };
    if id.is_none() && steps.is_empty() {
        return Err(bad());
    }
    Ok(Part::Element { id, steps })
}

/// The element the first resolvable part identifies in `o`; the error says why none does.
pub fn resolve(parts: &[Part], o: &Outline) -> Result<u32, String> {
    let mut why = Vec::new();
    for part in parts {
        match part {
            Part::Shorthand(id) => match o.ids.get(id.as_str()) {
                Some(&e) => return Ok(e),
                None => why.push(format!("no element has xml:id `{id}`")),
            },
            Part::Element { id, steps } => {
                let mut at = match id {
                    Some(id) => match o.ids.get(id.as_str()) {
                        Some(&e) => Some(e),
                        None => {
                            why.push(format!("no element has xml:id `{id}`"));
                            continue;
                        }
                    },
                    None => None,
                };
                let mut ok = true;
                for (k, &n) in steps.iter().enumerate() {
                    let next = match at {
                        None => (n == 1 && !o.elems.is_empty()).then_some(0),
                        Some(e) => o.child(e, n),
                    };
                    match next {
                        Some(e) => at = Some(e),
                        None => {
                            let path: String =
                                steps[..=k].iter().map(|s| format!("/{s}")).collect();
                            why.push(format!(
                                "`element({}{path})` leads to no element",
                                id.as_deref().unwrap_or("")
                            ));
                            ok = false;
                            break;
                        }
                    }
                }
                if let (true, Some(e)) = (ok, at) {
                    return Ok(e);
                }
            }
            Part::Other(s) => why.push(format!("the `{s}()` scheme is not supported")),
        }
    }
    Err(why.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves() {
        let o = Outline::read(r#"<a><b xml:id="x"><c/><d/></b><e/></a>"#).unwrap();
        let r = |p: &str| resolve(&parse(p).unwrap(), &o);
        assert_eq!(r("x"), Ok(1));
        assert_eq!(r("element(/1)"), Ok(0));
        assert_eq!(r("element(/1/2)"), Ok(4));
        assert_eq!(r("element(x/2)"), Ok(3));
        assert_eq!(r("element(x)"), Ok(1));
        assert_eq!(r("xpointer(//e) element(/1/1/1)"), Ok(2));
        assert!(r("element(/1/3)").unwrap_err().contains("/1/3"));
        assert!(r("nope").unwrap_err().contains("nope"));
        assert!(r("xpointer(id('x'))")
            .unwrap_err()
            .contains("not supported"));
        assert!(parse("element(/0)").is_err());
        assert!(parse("element(").is_err());
        assert!(parse("1abc").is_err());
        assert!(parse("element(//1)").is_err());
        assert_eq!(
            parse("xmlns(p=u^)) element(/1)").unwrap()[0],
            Part::Other("xmlns".into())
        );
    }
}
