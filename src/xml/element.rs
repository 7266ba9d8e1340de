//! Start and end tags: names, attributes, namespaces, the element stack.

#![allow(clippy::result_large_err)] // `Diagnostic` errors are rare and cold

use std::ops::Range;

use super::codes;
use super::event::{Attribute, EndTag, Handler, NsContext, StartTag};
use super::ns::{XMLNS_NS, XML_NS};
use super::reader::{split_qname, Open, Origin, Parser, Res};
use super::tag::{end_tag_name, scan_start_tag, value_needs_work, RawAttr, RepeatedNames, Val};
use crate::diagnostic::Diagnostic;

/// Reuses a vector's allocation for another lifetime (it is emptied first; the in-place
/// `collect` keeps the buffer because both element types have the same layout).
#[allow(clippy::unnecessary_filter_map)]
pub(super) fn recycle<'b>(mut v: Vec<Attribute<'_>>) -> Vec<Attribute<'b>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl Parser<'_, '_> {
    // ---- tags --------------------------------------------------------------------------

    pub(super) fn start_tag(
        &mut self,
        src: &str,
        start: usize,
        end: usize,
        empty: bool,
        origin: &Origin,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| origin.at(a, b);
        if self.stack.len() >= self.opts.max_depth {
            return self.too_deep(sp(start, end));
        }
        let hi = if empty { end - 2 } else { end - 1 };
        let mut raw = std::mem::take(&mut self.raw_attrs);
        let scanned = scan_start_tag(src, start + 1, hi, &mut raw)
            .map_err(|(code, s, msg)| Diagnostic::new(code, sp(s.start, s.end), msg))
            .and_then(|name| {
                self.tag_limits(src, &name, &raw, origin)?;
                Ok(name)
            });
        let name = match scanned {
            Ok(n) => n,
            Err(d) => {
                self.raw_attrs = raw;
                return self.fatal(d);
            }
        };
        if self.stack.is_empty() {
            if self.root_seen {
                let qn = &src[name.clone()];
                return self.err(
                    &codes::MULTIPLE_ROOTS,
                    sp(start, end),
                    format!(
                        "a second root element `{qn}`: a document has exactly one root element"
                    ),
                );
            }
            self.root_seen = true;
        }
        // attribute values
        self.valbuf.clear();
        for a in raw.iter_mut() {
            let vr = a.value_span.clone();
            if value_needs_work(src[vr.clone()].as_bytes()) {
                let s = self.valbuf.len();
                if let Err(f) = self.attr_value(src, vr, origin) {
                    self.raw_attrs = raw;
                    return Err(f);
                }
                a.value = Val::Buf(s..self.valbuf.len());
            } else {
                a.value = Val::Src(vr);
            }
        }
        // namespace declarations
        self.ns.push_element();
        for a in raw.iter_mut() {
            let qn = &src[a.qname.clone()];
            let prefix = if qn == "xmlns" {
                ""
            } else if let Some(p) = qn.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            a.is_ns = true;
            let value = match &a.value {
                Val::Src(r) => &src[r.clone()],
                Val::Buf(r) => &self.valbuf[r.clone()],
            };
            let problem = if prefix.contains(':') || (qn != "xmlns" && prefix.is_empty()) {
                Some(format!("`{qn}` is not a valid namespace declaration"))
            } else if prefix == "xmlns" {
                Some("the `xmlns` prefix may not be declared".to_string())
            } else if prefix == "xml" && value != XML_NS {
                Some(format!("the `xml` prefix may only be bound to `{XML_NS}`"))
            } else if prefix != "xml" && value == XML_NS {
                Some(format!("`{XML_NS}` may only be bound to the `xml` prefix"))
            } else if value == XMLNS_NS {
                Some(format!("`{XMLNS_NS}` may not be declared"))
            } else if !prefix.is_empty() && value.is_empty() {
                Some(format!(
                    "`{qn}=\"\"` undeclares a prefix, which XML 1.0 namespaces do not allow"
                ))
            } else {
                uri_problem(value).map(|bad| {
                    format!("namespace name `{value}` is not a valid URI reference: {bad}")
                })
            };
            if let Some(msg) = problem {
                let s = a.span.clone();
                self.raw_attrs = raw;
                self.ns.pop_element();
                return self.err(&codes::BAD_NAMESPACE_DECLARATION, sp(s.start, s.end), msg);
            }
            if prefix != "xml" {
                self.ns.bind(prefix, value);
            }
        }
        let r = self.emit_start(src, name, start, end, empty, &raw, origin, h);
        self.raw_attrs = raw;
        r
    }

    /// The fatal error for an element nested deeper than the limit.
    fn too_deep(&mut self, span: Range<usize>) -> Res {
        let max = self.opts.max_depth;
        let open = self
            .stack
            .last()
            .map(|o| self.names[o.name_at..o.name_at + o.name_len].to_string())
            .unwrap_or_default();
        let open = shorten_name(&open);
        self.fatal(
            Diagnostic::new(
                &crate::limit::DEPTH,
                span,
                format!("this element would be nested {} deep, beyond the limit of {max} open elements (inside `{open}`, itself {max} deep); reading stopped", max + 1),
            )
            .with_help(crate::limit::raise("depth")),
        )
    }

    /// The limits on one start tag: attributes, name lengths and value lengths. `name` and
    /// the attributes' ranges are in `src`.
    fn tag_limits(
        &self,
        src: &str,
        name: &Range<usize>,
        raw: &[RawAttr],
        origin: &Origin,
    ) -> Result<(), Diagnostic> {
        let sp = |r: &Range<usize>| origin.at(r.start, r.end);
        let o = self.opts;
        if let Some(extra) = raw.get(o.max_attributes) {
            let qname = shorten_name(&src[name.clone()]);
            return Err(Diagnostic::new(
                &crate::limit::ATTRIBUTES,
                sp(&extra.span),
                format!(
                    "element `{qname}` has {} attributes, more than the limit of {}; reading stopped at this one",
                    raw.len(),
                    o.max_attributes
                ),
            )
            .with_help(crate::limit::raise("attributes")));
        }
        let names =
            std::iter::once((name, "element")).chain(raw.iter().map(|a| (&a.qname, "attribute")));
        for (r, what) in names {
            if r.len() > o.max_name_length {
                return Err(name_too_long(
                    &src[r.clone()],
                    what,
                    sp(r),
                    o.max_name_length,
                ));
            }
        }
        for a in raw {
            if a.value_span.len() > o.max_attribute_length {
                let qname = shorten_name(&src[a.qname.clone()]);
                return Err(Diagnostic::new(
                    &crate::limit::ATTRIBUTE_LENGTH,
                    sp(&a.qname),
                    format!(
                        "the value of attribute `{qname}` is {} bytes long, more than the limit of {} bytes; reading stopped",
                        a.value_span.len(),
                        o.max_attribute_length
                    ),
                )
                .with_help(crate::limit::raise("attribute_length")));
            }
        }
        Ok(())
    }

    /// `name` (of an element, attribute or entity) is no longer than the limit.
    pub(super) fn check_name_length(&mut self, name: &str, what: &str, span: Range<usize>) -> Res {
        let max = self.opts.max_name_length;
        if name.len() <= max {
            return Ok(());
        }
        self.fatal(name_too_long(name, what, span, max))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit_start(
        &mut self,
        src: &str,
        name: Range<usize>,
        start: usize,
        end: usize,
        empty: bool,
        raw: &[RawAttr],
        origin: &Origin,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| origin.at(a, b);
        let qname = &src[name.clone()];
        let (ens_id, elocal) = match split_qname(qname) {
            Err(()) => {
                return self.err(
                    &codes::INVALID_NAME,
                    sp(name.start, name.end),
                    format!("`{qname}` is not a valid qualified name"),
                )
            }
            Ok((p, local)) => {
                match self.ns.resolve_id(p) {
                    Some(ns) => (ns, local),
                    None => {
                        let d = Diagnostic::new(
                        &codes::UNBOUND_PREFIX,
                        sp(name.start, name.end),
                        format!("element `{qname}` uses namespace prefix `{p}`, which is not declared"),
                    )
                    .with_help(format!("declare it with `xmlns:{p}=\"…\"` on this element or an ancestor"));
                        return self.fatal(d);
                    }
                }
            }
        };
        let ens = self.ns.uri(ens_id);
        let mut problem: Option<Diagnostic> = None;
        let mut attrs: Vec<Attribute<'_>> = recycle(std::mem::take(&mut self.attr_store));
        let mut repeated = RepeatedNames::default();
        for a in raw.iter().filter(|a| !a.is_ns) {
            let aq = &src[a.qname.clone()];
            let value = match &a.value {
                Val::Src(r) => &src[r.clone()],
                Val::Buf(r) => &self.valbuf[r.clone()],
            };
            let (ns, local) = match split_qname(aq) {
                Err(()) => {
                    problem = Some(Diagnostic::new(
                        &codes::INVALID_NAME,
                        sp(a.qname.start, a.qname.end),
                        format!("`{aq}` is not a valid qualified attribute name"),
                    ));
                    break;
                }
                Ok(("", local)) => ("", local),
                Ok((p, local)) => match self.ns.resolve(p) {
                    Some(ns) => (ns, local),
                    None => {
                        problem = Some(
                            Diagnostic::new(
                                &codes::UNBOUND_PREFIX,
                                sp(a.qname.start, a.qname.end),
                                format!("attribute `{aq}` uses namespace prefix `{p}`, which is not declared"),
                            )
                            .with_help(format!("declare it with `xmlns:{p}=\"…\"` on this element or an ancestor")),
                        );
                        break;
                    }
                },
            };
            let earlier = repeated.earlier(attrs.iter().map(|b| (b.ns, b.local)), ns, local);
            if let Some(first) = earlier.and_then(|i| attrs.get(i)) {
                let msg = if first.qname == aq {
                    format!("attribute `{aq}` appears twice on element `{qname}`")
                } else {
                    format!("attributes `{}` and `{aq}` of element `{qname}` have the same namespace and local name", first.qname)
                };
                problem = Some(
                    Diagnostic::new(
                        &codes::DUPLICATE_ATTRIBUTE,
                        sp(a.span.start, a.span.end),
                        msg,
                    )
                    .with_label(first.span.clone(), "first given here"),
                );
                break;
            }
            attrs.push(Attribute {
                ns,
                local,
                qname: aq,
                value,
                span: sp(a.span.start, a.span.end),
                value_span: sp(a.value_span.start, a.value_span.end),
            });
        }
        if problem.is_none() {
            let tag = StartTag {
                ns: ens,
                local: elocal,
                qname,
                span: sp(start, end),
                attributes: &attrs,
                empty,
                namespaces: &self.ns,
            };
            h.start_element(&tag);
            if empty {
                h.end_element(&EndTag {
                    ns: ens,
                    local: elocal,
                    qname,
                    span: sp(start, end),
                    namespaces: &self.ns,
                });
            }
        }
        self.attr_store = recycle(attrs);
        if let Some(d) = problem {
            self.ns.pop_element();
            return self.fatal(d);
        }
        if empty {
            self.ns.pop_element();
        } else {
            let name_at = self.names.len();
            self.names.push_str(qname);
            self.stack.push(Open {
                name_at,
                name_len: qname.len(),
                span: sp(start, end),
                ns: ens_id,
                local_at: qname.len() - elocal.len(),
            });
        }
        Ok(())
    }

    pub(super) fn end_tag(
        &mut self,
        src: &str,
        start: usize,
        end: usize,
        floor: usize,
        origin: &Origin,
        h: &mut dyn Handler,
    ) -> Res {
        let sp = |a: usize, b: usize| origin.at(a, b);
        // fast path: `</name>` exactly as the open element's name (already checked)
        let inner = &src[start + 2..end - 1];
        self.check_name_length(inner.trim_end(), "element", sp(start + 2, start + 3))?;
        let fast = self.stack.last().is_some_and(|o| {
            self.names.as_bytes()[o.name_at..o.name_at + o.name_len] == *inner.as_bytes()
        });
        let name = if fast {
            start + 2..end - 1
        } else {
            match end_tag_name(src, start + 2, end - 1) {
                Ok(n) => n,
                Err(mut d) => {
                    d.span = sp(start, end);
                    return self.fatal(d);
                }
            }
        };
        let qname = &src[name];
        let Some(open) = self.stack.last() else {
            let why = if self.root_seen {
                "after the root element was closed"
            } else {
                "before any element was opened"
            };
            return self.err(
                &codes::UNEXPECTED_END_TAG,
                sp(start, end),
                format!("end tag `</{qname}>` {why}"),
            );
        };
        if self.stack.len() <= floor {
            return self.err(
                &codes::ENTITY_NOT_BALANCED,
                sp(start, end),
                format!(
                    "the entity's replacement text ends element `{qname}`, which it did not start"
                ),
            );
        }
        let open_name = &self.names[open.name_at..open.name_at + open.name_len];
        if open_name != qname {
            let d = Diagnostic::new(
                &codes::MISMATCHED_END_TAG,
                sp(start, end),
                format!("end tag `</{qname}>` does not match the open element `{open_name}`: expected `</{open_name}>`"),
            )
            .with_label(open.span.clone(), format!("`{open_name}` starts here"));
            return self.fatal(d);
        }
        let local = qname.get(open.local_at..).unwrap_or(qname);
        let ns = self.ns.uri(open.ns);
        h.end_element(&EndTag {
            ns,
            local,
            qname,
            span: sp(start, end),
            namespaces: &self.ns,
        });
        if let Some(o) = self.stack.pop() {
            self.names.truncate(o.name_at);
        }
        self.ns.pop_element();
        Ok(())
    }
}

/// A name for a message: whole when short, else its first 40 characters and an ellipsis.
fn shorten_name(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_string(),
    }
}

/// The diagnostic for a name longer than the limit.
fn name_too_long(name: &str, what: &str, span: Range<usize>, max: usize) -> Diagnostic {
    let start = span.start;
    Diagnostic::new(
        &crate::limit::NAME_LENGTH,
        start..start + 1,
        format!(
            "{what} name `{}` is {} bytes long, more than the limit of {max} bytes; reading stopped",
            shorten_name(name),
            name.len()
        ),
    )
    .with_help(crate::limit::raise("name_length"))
}

/// Why `s` is not an RFC 3986 URI reference, if it is not: characters, percent-escapes,
/// scheme, the port of an authority, and a colon in the first segment of a relative path.
fn uri_problem(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let hex = |k: usize| b.get(k).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Some("`%` is not followed by two hexadecimal digits".to_string());
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            let ch = s[i..].chars().next().unwrap_or(' ');
            return Some(format!("it contains `{ch}`, which must be percent-encoded"));
        }
        i += 1;
    }
    let end_of = |t: &str| t.find(['/', '?', '#']).unwrap_or(t.len());
    let scheme_len = s.find(':').filter(|&n| {
        n > 0
            && b[0].is_ascii_alphabetic()
            && b[..n]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    });
    let rest = match scheme_len {
        Some(n) => &s[n + 1..],
        None => {
            let first = &s[..end_of(s)];
            if first.contains(':') {
                return Some(format!("`{first}` is neither a scheme nor a path segment"));
            }
            s
        }
    };
    if let Some(auth) = rest.strip_prefix("//") {
        let auth = &auth[..end_of(auth)];
        let host_port = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
        let port = if host_port.starts_with('[') {
            host_port.rsplit_once("]:").map(|(_, p)| p)
        } else {
            host_port.split_once(':').map(|(_, p)| p)
        };
        if let Some(p) = port {
            if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
                return Some(format!("the port `{p}` is not a number"));
            }
        }
        if !host_port.starts_with('[') && host_port.contains(['[', ']']) {
            return Some("`[` and `]` are allowed only around an IP literal".to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::uri_problem;

    #[test]
    fn namespace_uris() {
        for ok in [
            "http://www.tei-c.org/ns/1.0",
            "urn:x",
            "rel/x",
            "",
            "http://h:8080/p",
            "#f",
            "a%20b",
        ] {
            assert_eq!(uri_problem(ok), None, "{ok}");
        }
        for bad in [
            "h ttp://x",
            "urn:a{b}",
            "http://x/%zz",
            "http://x/é",
            ";http://x",
            "http://h:-c.org/",
            "ur=n:x",
        ] {
            assert!(uri_problem(bad).is_some(), "{bad}");
        }
    }
}
