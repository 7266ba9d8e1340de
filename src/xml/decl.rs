//! Processing instructions and the XML declaration.

use std::ops::Range;

use super::chars::{first_invalid_char, is_space};
use super::codes;
use super::event::Handler;
use super::reader::{Parser, Res};
use super::tag::is_name_fast;
use crate::diagnostic::Diagnostic;

impl Parser<'_, '_> {
    pub(super) fn pi(
        &mut self,
        src: &str,
        main: bool,
        start: usize,
        end: usize,
        sp: &dyn Fn(usize, usize) -> Range<usize>,
        h: &mut dyn Handler,
    ) -> Res {
        let inner = &src[start + 2..end - 2];
        let tlen = inner.bytes().position(is_space).unwrap_or(inner.len());
        let target = &inner[..tlen];
        if target.eq_ignore_ascii_case("xml") {
            if main && self.base + start == 0 && target == "xml" {
                return self.xml_decl(&inner[tlen..], start + 2 + tlen, sp(start, end));
            }
            return self.err(
                &codes::XML_DECLARATION,
                sp(start, end),
                "an XML declaration (or a processing instruction named `xml`) is allowed only at the very start of the file",
            );
        }
        if !is_name_fast(target) || target.contains(':') {
            return self.err(
                &codes::NOT_WELL_FORMED,
                sp(start, end),
                format!("`{target}` is not a valid processing instruction target"),
            );
        }
        if let Some((i, c)) = first_invalid_char(inner) {
            let at = start + 2 + i;
            return self.invalid_char(c, sp(at, at + c.len_utf8()));
        }
        let data = inner[tlen..].trim_start_matches([' ', '\t', '\n', '\r']);
        self.flush(h);
        h.processing_instruction(target, data, sp(start, end));
        Ok(())
    }

    /// Checks `<?xml version="1.0" encoding="…" standalone="…"?>` (the pseudo-attributes in
    /// `rest`, which starts at byte `at`).
    pub(super) fn xml_decl(&mut self, rest: &str, at: usize, span: Range<usize>) -> Res {
        let mut seen: Vec<&str> = Vec::new();
        let b = rest.as_bytes();
        let mut i = 0;
        loop {
            let sp_start = i;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if i == sp_start {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    "expected whitespace between the XML declaration's pseudo-attributes",
                );
            }
            let ns = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let name = &rest[ns..i];
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + ns..at + i,
                    format!("expected `=` after `{name}` in the XML declaration"),
                );
            }
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let q = b.get(i).copied().unwrap_or(0);
            if q != b'"' && q != b'\'' {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    format!("the value of `{name}` in the XML declaration must be quoted"),
                );
            }
            let vs = i + 1;
            let Some(n) = b[vs..].iter().position(|&c| c == q) else {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + i..at + i + 1,
                    format!("the value of `{name}` is not closed"),
                );
            };
            let value = &rest[vs..vs + n];
            i = vs + n + 1;
            let vspan = at + vs..at + vs + n;
            let expected_pos = match name {
                "version" => 0,
                "encoding" => 1,
                "standalone" => 2,
                _ => {
                    return self.err(
                        &codes::XML_DECLARATION,
                        at + ns..at + ns + name.len(),
                        format!("`{name}` is not allowed in the XML declaration (expected version, encoding, standalone)"),
                    )
                }
            };
            let order = ["version", "encoding", "standalone"];
            if seen.contains(&name)
                || seen
                    .iter()
                    .any(|s| order.iter().position(|o| o == s).unwrap_or(0) > expected_pos)
            {
                return self.err(
                    &codes::XML_DECLARATION,
                    at + ns..at + ns + name.len(),
                    format!("`{name}` is out of order or repeated in the XML declaration (expected version, encoding, standalone)"),
                );
            }
            if expected_pos > 0 && seen.is_empty() {
                return self.err(
                    &codes::XML_DECLARATION,
                    span,
                    "the XML declaration must name `version` first",
                );
            }
            match name {
                "version" => {
                    // libxml2 reads `1.` followed by any digits as 1.0 (with a warning)
                    let ok = value
                        .strip_prefix("1.")
                        .is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit()));
                    if !ok {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("unsupported XML version `{value}`: expected `1.0`"),
                        );
                    }
                    if value != "1.0" {
                        self.diags.push(Diagnostic::new(
                            &codes::UNSUPPORTED_VERSION,
                            vspan,
                            format!("XML version `{value}` is read by the XML 1.0 rules"),
                        ));
                    }
                }
                "encoding" => {
                    let ok = value
                        .bytes()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                        && value
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
                    if !ok {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("`{value}` is not a valid encoding name"),
                        );
                    }
                }
                _ => {
                    if value != "yes" && value != "no" {
                        return self.err(
                            &codes::XML_DECLARATION,
                            vspan,
                            format!("standalone must be `yes` or `no`, found `{value}`"),
                        );
                    }
                    self.standalone = value == "yes";
                }
            }
            seen.push(name);
        }
        if seen.is_empty() {
            return self.err(
                &codes::XML_DECLARATION,
                span,
                "the XML declaration must name `version` first",
            );
        }
        Ok(())
    }
}
