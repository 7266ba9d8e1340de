//! References: character references, predefined and internal entities (with limits), in
//! text and in attribute values.

use std::ops::Range;
use std::rc::Rc;

use super::chars::first_invalid_char;
use super::codes;
use super::event::Handler;
use super::reader::{Origin, Parser, Res};
use super::tag::is_name_fast;
use crate::diagnostic::Diagnostic;

/// The character a character reference body (after `&#`) names, if XML allows it.
pub fn char_ref(body: &str) -> Option<char> {
    let n = if let Some(hex) = body.strip_prefix('x') {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse::<u32>().ok()?
    };
    char::from_u32(n).filter(|&c| super::chars::is_xml_char(c))
}

pub(super) fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

impl Parser<'_, '_> {
    // ---- references and entities -------------------------------------------------------

    pub(super) fn reference(&mut self, body: &str, span: Range<usize>, h: &mut dyn Handler) -> Res {
        if self.stack.is_empty() {
            return self.err(
                &codes::TEXT_OUTSIDE_ROOT,
                span,
                format!("reference `&{body};` outside the root element"),
            );
        }
        if let Some(num) = body.strip_prefix('#') {
            return match char_ref(num) {
                Some(c) => self.add_char(c, span),
                None => self.err(
                    &codes::BAD_CHARACTER_REFERENCE,
                    span,
                    format!("`&{body};` does not name a character XML allows"),
                ),
            };
        }
        if let Some(c) = predefined(body) {
            return self.add_char(c, span);
        }
        if !is_name_fast(body) {
            let s = span.start;
            return self.err(
                &codes::UNESCAPED_AMPERSAND,
                s..s + 1,
                "`&` starts no reference: write `&amp;` for a literal ampersand",
            );
        }
        self.check_name_length(body, "entity", span.start..span.start + 1)?;
        let value = self.entity_value(body, span.clone())?;
        let Some(value) = value else { return Ok(()) };
        self.expanding.push(body.to_string());
        let r = if !value.contains(['<', '&']) {
            if let Some((_, c)) = first_invalid_char(&value) {
                self.invalid_char(c, span.clone())
            } else {
                let len = value.len();
                self.add_text(&value, false, 0..len, span.clone())
            }
        } else {
            self.run(Some((&value, span)), h)
        };
        self.expanding.pop();
        r
    }

    /// Looks an entity up and checks the limits: `Ok(None)` for an external entity (warned).
    pub(super) fn entity_value(&mut self, name: &str, span: Range<usize>) -> Res<Option<Rc<str>>> {
        let Some(ent) = self.entities.get(name) else {
            let help = match name {
                "nbsp" => "HTML entities are not predefined in XML: write `&#160;` or declare `<!ENTITY nbsp \"&#160;\">`".to_string(),
                _ => format!("declare it in the internal DTD subset (`<!ENTITY {name} \"…\">`) or use a character reference"),
            };
            let d = Diagnostic::new(
                &codes::UNDEFINED_ENTITY,
                span,
                format!("entity `&{name};` is not declared (XML predefines only lt, gt, amp, apos and quot)"),
            )
            .with_help(help);
            if self.external_subset && !self.standalone {
                // Declared, perhaps, in the external DTD, which is never read: not a
                // well-formedness error (XML 1.0 §4.1, WFC Entity Declared), but the text
                // that is validated lacks the entity.
                let mut d = d;
                d.severity = crate::diagnostic::Severity::Warning;
                d.message = format!(
                    "entity `&{name};` is not declared in the internal DTD subset; the external DTD, which might declare it, is never read, so it is left out"
                );
                self.diags.push(d);
                return Ok(None);
            }
            return self.fatal(d);
        };
        let Some(value) = ent.value.clone() else {
            let decl = ent.span.clone();
            self.diags.push(
                Diagnostic::new(
                    &codes::EXTERNAL_ENTITY_IGNORED,
                    span,
                    format!("external entity `&{name};` is never read; it is left out"),
                )
                .with_label(decl, "declared here"),
            );
            return Ok(None);
        };
        if self.expanding.iter().any(|n| n == name) {
            return self.err(
                &codes::ENTITY_LOOP,
                span,
                format!("entity `&{name};` refers to itself"),
            );
        }
        if self.expanding.len() >= self.opts.max_entity_depth {
            let d = Diagnostic::new(
                &codes::ENTITY_EXPANSION_LIMIT,
                span,
                format!(
                    "entity references nest deeper than the limit of {}",
                    self.opts.max_entity_depth
                ),
            )
            .with_help(crate::limit::raise("entity_depth"));
            return self.fatal(d);
        }
        let size = match self.expanded_size(name, &mut Vec::new()) {
            Ok(n) => n,
            Err(looped) => {
                return self.err(
                    &codes::ENTITY_LOOP,
                    span,
                    format!("entity `&{name};` never ends expanding: `&{looped};` refers to itself through its replacement text"),
                )
            }
        };
        let limit = self.opts.max_entity_expansion;
        // a nested reference is already counted in the size of the outermost one
        let top = self.expanding.is_empty();
        if top && self.expanded_total.saturating_add(size) > limit {
            let msg = if size > limit {
                format!(
                    "entity `&{name};` expands to {size} bytes (counting nested entities at every level), beyond the limit of {limit} bytes; it was not expanded"
                )
            } else {
                format!(
                    "entity `&{name};` ({size} bytes) would bring this document's entity expansion to {} bytes, beyond the limit of {limit}; it was not expanded",
                    self.expanded_total.saturating_add(size)
                )
            };
            return self.fatal(
                Diagnostic::new(&codes::ENTITY_EXPANSION_LIMIT, span, msg).with_help(format!(
                    "entity expansion is limited to stop \"billion laughs\" attacks; {}",
                    crate::limit::raise("entity_expansion")
                )),
            );
        }
        if top {
            self.expanded_total += size;
        }
        Ok(Some(value))
    }

    /// The size of an entity's full expansion (memoised, saturating); `Err` names an entity
    /// that refers to itself.
    pub(super) fn expanded_size(
        &mut self,
        name: &str,
        visiting: &mut Vec<String>,
    ) -> Result<usize, String> {
        if let Some(&n) = self.sizes.get(name) {
            return Ok(n);
        }
        if visiting.iter().any(|v| v == name) {
            return Err(name.to_string());
        }
        let Some(value) = self.entities.get(name).and_then(|e| e.value.clone()) else {
            return Ok(0);
        };
        if visiting.len() > self.opts.max_entity_depth {
            return Ok(value.len()); // too deep: refused when actually expanded
        }
        visiting.push(name.to_string());
        let mut total = value.len();
        let mut rest: &str = &value;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let Some(semi) = after.find(';') else { break };
            let body = &after[..semi];
            if !body.starts_with('#')
                && predefined(body).is_none()
                && self.entities.contains_key(body)
            {
                let n = self.expanded_size(body, visiting)?;
                total = total.saturating_add(n);
            }
            rest = &after[semi + 1..];
        }
        visiting.pop();
        let total = total.min(usize::MAX / 2);
        self.sizes.insert(name.to_string(), total);
        Ok(total)
    }

    /// Normalises an attribute value (`src[vr]`) into `valbuf`: references expanded,
    /// whitespace characters to spaces, `<` refused.
    pub(super) fn attr_value(&mut self, src: &str, vr: Range<usize>, origin: &Origin) -> Res {
        let sp = |a: usize, b: usize| origin.at(a, b);
        let raw = &src[vr.clone()];
        let bytes = raw.as_bytes();
        let mut i = 0;
        let mut lit = 0;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b'<' => {
                    let at = vr.start + i;
                    return self.err(
                        &codes::LT_IN_ATTRIBUTE,
                        sp(at, at + 1),
                        "`<` is not allowed in an attribute value: write `&lt;` (or check for a missing closing quote)",
                    );
                }
                b'\t' | b'\n' | b'\r' => {
                    self.valbuf.push_str(&raw[lit..i]);
                    self.valbuf.push(' ');
                    if c == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    i += 1;
                    lit = i;
                }
                b'&' => {
                    self.valbuf.push_str(&raw[lit..i]);
                    let at = vr.start + i;
                    let Some(semi) = raw[i..].find(';') else {
                        return self.err(
                            &codes::UNESCAPED_AMPERSAND,
                            sp(at, at + 1),
                            "`&` in an attribute value starts no reference: write `&amp;`",
                        );
                    };
                    let body = &raw[i + 1..i + semi];
                    let rspan = sp(at, at + semi + 1);
                    self.attr_reference(body, rspan)?;
                    i += semi + 1;
                    lit = i;
                }
                _ if c < 0x20 || c == 0xEF => {
                    // the one character at `i` (a control, or one that 0xEF starts: 3 bytes)
                    let len = if c == 0xEF { 3 } else { 1 };
                    if let Some((j, ch)) = first_invalid_char(&raw[i..(i + len).min(raw.len())]) {
                        let at = vr.start + i + j;
                        return self.invalid_char(ch, sp(at, at + ch.len_utf8()));
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        self.valbuf.push_str(&raw[lit..]);
        Ok(())
    }

    pub(super) fn attr_reference(&mut self, body: &str, span: Range<usize>) -> Res {
        if let Some(num) = body.strip_prefix('#') {
            return match char_ref(num) {
                Some(c) => {
                    self.valbuf.push(c);
                    Ok(())
                }
                None => self.err(
                    &codes::BAD_CHARACTER_REFERENCE,
                    span,
                    format!("`&{body};` does not name a character XML allows"),
                ),
            };
        }
        if let Some(c) = predefined(body) {
            self.valbuf.push(c);
            return Ok(());
        }
        if !is_name_fast(body) {
            let s = span.start;
            return self.err(
                &codes::UNESCAPED_AMPERSAND,
                s..s + 1,
                "`&` in an attribute value starts no reference: write `&amp;`",
            );
        }
        self.check_name_length(body, "entity", span.start..span.start + 1)?;
        if self.entities.get(body).is_some_and(|e| e.value.is_none()) {
            return self.err(
                &codes::NOT_WELL_FORMED,
                span,
                format!("external entity `&{body};` may not be referenced in an attribute value"),
            );
        }
        let Some(value) = self.entity_value(body, span.clone())? else {
            return Ok(());
        };
        self.expanding.push(body.to_string());
        let len = value.len();
        let r = self.attr_value(&value, 0..len, &Origin::Entity(span));
        self.expanding.pop();
        r
    }
}
