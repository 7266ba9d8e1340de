//! The document type declaration: its name, external id (never read) and the internal subset,
//! from which general entity declarations are kept and everything else is skipped.

#![allow(clippy::result_large_err)] // the contract returns `Diagnostic` errors; they are rare and cold

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use super::chars::{is_name_char, is_name_start_char, is_space, is_xml_char};
use super::codes;
use crate::diagnostic::Diagnostic;

/// A general entity declared in the internal subset.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The replacement text (character references already expanded); `None` for an external
    /// entity, which is never read.
    pub value: Option<Rc<str>>,
    /// Where it was declared.
    pub span: Range<usize>,
    /// Declared with `NDATA` (an unparsed entity: a name the `ENTITY` datatype accepts).
    pub unparsed: bool,
}

/// What the DOCTYPE declaration told us.
#[derive(Debug, Default)]
pub struct Doctype {
    /// Byte offset just past the closing `>`.
    pub end: usize,
    /// The declaration names an external subset (SYSTEM/PUBLIC), which is not read.
    pub external_subset: bool,
    /// The internal subset references parameter entities, which are not expanded.
    pub pe_refs: bool,
}

struct Scan<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
}

fn err(span: Range<usize>, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&codes::DTD_SYNTAX, span, msg)
}

impl<'t> Scan<'t> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }
    fn starts(&self, s: &str) -> bool {
        self.b[self.pos..].starts_with(s.as_bytes())
    }
    fn skip_space(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos > start
    }
    fn require_space(&mut self, what: &str) -> Result<(), Diagnostic> {
        if self.skip_space() {
            Ok(())
        } else {
            Err(err(
                self.pos..self.pos + 1,
                format!("expected whitespace {what}"),
            ))
        }
    }
    fn name(&mut self, what: &str) -> Result<&'t str, Diagnostic> {
        let start = self.pos;
        let rest = &self.text[start..];
        let mut end = start;
        for (i, c) in rest.char_indices() {
            let ok = if i == 0 {
                is_name_start_char(c)
            } else {
                is_name_char(c)
            };
            if !ok {
                break;
            }
            end = start + i + c.len_utf8();
        }
        if end == start {
            let found = rest
                .chars()
                .next()
                .map_or("the end of the file".to_string(), |c| format!("`{c}`"));
            return Err(err(
                start..start + 1,
                format!("expected {what}, found {found}"),
            ));
        }
        self.pos = end;
        Ok(&self.text[start..end])
    }
    /// A quoted literal; returns the range of its content.
    fn literal(&mut self, what: &str) -> Result<Range<usize>, Diagnostic> {
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => {
                return Err(err(
                    self.pos..self.pos + 1,
                    format!("expected a quoted {what}"),
                ))
            }
        };
        let start = self.pos + 1;
        match self.b[start..].iter().position(|&c| c == q) {
            Some(n) => {
                self.pos = start + n + 1;
                Ok(start..start + n)
            }
            None => Err(err(
                start - 1..start,
                format!("the {what} is not closed by a matching quote"),
            )),
        }
    }
    fn skip_past(&mut self, end: &str, what: &str) -> Result<(), Diagnostic> {
        let start = self.pos;
        match self.text[start..].find(end) {
            Some(n) => {
                self.pos = start + n + end.len();
                Ok(())
            }
            None => Err(err(
                start..start + 1,
                format!("{what} is not closed by `{end}`"),
            )),
        }
    }
    /// Skips a markup declaration up to its `>`, honouring quoted literals.
    fn skip_decl(&mut self) -> Result<(), Diagnostic> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                b'"' | b'\'' => {
                    self.literal("literal")?;
                    continue;
                }
                b'>' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => self.pos += 1,
            }
        }
        Err(err(
            start..start + 1,
            "markup declaration not closed by `>`",
        ))
    }
    fn external_id(&mut self) -> Result<bool, Diagnostic> {
        if self.starts("SYSTEM") {
            self.pos += 6;
            self.require_space("after SYSTEM")?;
            self.literal("system identifier")?;
            Ok(true)
        } else if self.starts("PUBLIC") {
            self.pos += 6;
            self.require_space("after PUBLIC")?;
            self.literal("public identifier")?;
            self.require_space("between the public and system identifiers")?;
            self.literal("system identifier")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }
}

/// Parses `<!DOCTYPE …>` starting at byte `start` of `text`, adding general entities to
/// `entities` (the first declaration of a name wins) and warnings to `warnings`.
pub fn parse_doctype(
    text: &str,
    start: usize,
    entities: &mut HashMap<String, Entity>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Doctype, Diagnostic> {
    let mut s = Scan {
        text,
        b: text.as_bytes(),
        pos: start,
    };
    if !s.starts("<!DOCTYPE") {
        return Err(err(
            start..start + 2,
            "expected `<!DOCTYPE` (in upper case)",
        ));
    }
    s.pos += 9;
    s.require_space("after <!DOCTYPE")?;
    s.name("the root element name")?;
    let mut doc = Doctype::default();
    if s.skip_space() {
        doc.external_subset = s.external_id()?;
        s.skip_space();
    }
    if s.peek() == Some(b'[') {
        s.pos += 1;
        internal_subset(&mut s, &mut doc, entities, warnings)?;
        s.skip_space();
    }
    if s.peek() != Some(b'>') {
        return Err(err(
            s.pos..s.pos + 1,
            "expected `>` to close the DOCTYPE declaration",
        ));
    }
    doc.end = s.pos + 1;
    Ok(doc)
}

fn internal_subset(
    s: &mut Scan<'_>,
    doc: &mut Doctype,
    entities: &mut HashMap<String, Entity>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    loop {
        s.skip_space();
        let at = s.pos;
        match s.peek() {
            None => return Err(err(at..at, "the internal DTD subset is not closed by `]`")),
            Some(b']') => {
                s.pos += 1;
                return Ok(());
            }
            Some(b'%') => {
                s.pos += 1;
                let name = s.name("a parameter entity name after `%`")?;
                if s.peek() != Some(b';') {
                    return Err(err(s.pos..s.pos + 1, format!("parameter entity reference `%{name}` is not closed by `;`")));
                }
                s.pos += 1;
                doc.pe_refs = true;
                warnings.push(Diagnostic::new(
                    &codes::PARAMETER_ENTITY_IGNORED,
                    at..s.pos,
                    format!("parameter entity reference `%{name};` is not expanded; the declarations it would add are not read"),
                ));
            }
            _ if s.starts("<!--") => {
                s.pos += 4;
                s.skip_past("-->", "comment")?;
            }
            _ if s.starts("<?") => {
                s.pos += 2;
                s.skip_past("?>", "processing instruction")?;
            }
            _ if s.starts("<!ENTITY") => {
                s.pos += 8;
                entity_decl(s, at, entities, warnings)?;
            }
            _ if s.starts("<!ELEMENT") || s.starts("<!ATTLIST") || s.starts("<!NOTATION") => {
                s.skip_decl()?;
            }
            _ => {
                return Err(err(
                    at..at + 1,
                    "expected a markup declaration (`<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`), a comment, a processing instruction or `]` in the internal DTD subset",
                ))
            }
        }
    }
}

fn entity_decl(
    s: &mut Scan<'_>,
    at: usize,
    entities: &mut HashMap<String, Entity>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    s.require_space("after <!ENTITY")?;
    let parameter = s.peek() == Some(b'%');
    if parameter {
        s.pos += 1;
        s.require_space("after `%` in a parameter entity declaration")?;
    }
    let name = s.name("an entity name")?;
    s.require_space("after the entity name")?;
    let mut unparsed = false;
    let value = if matches!(s.peek(), Some(b'"' | b'\'')) {
        let lit = s.literal("entity value")?;
        Some(entity_value(s.text, lit, warnings)?)
    } else if s.external_id()? {
        s.skip_space();
        if s.starts("NDATA") {
            s.pos += 5;
            s.require_space("after NDATA")?;
            s.name("a notation name")?;
            unparsed = !parameter;
        }
        None
    } else {
        return Err(err(
            s.pos..s.pos + 1,
            format!("expected a quoted value, SYSTEM or PUBLIC for entity `{name}`"),
        ));
    };
    s.skip_space();
    if s.peek() != Some(b'>') {
        return Err(err(
            s.pos..s.pos + 1,
            format!("expected `>` to close the declaration of entity `{name}`"),
        ));
    }
    s.pos += 1;
    if parameter {
        warnings.push(Diagnostic::new(
            &codes::PARAMETER_ENTITY_IGNORED,
            at..s.pos,
            format!(
                "parameter entity `%{name};` is declared but parameter entities are not expanded"
            ),
        ));
    } else if !entities.contains_key(name) && !matches!(name, "lt" | "gt" | "amp" | "apos" | "quot")
    {
        entities.insert(
            name.to_string(),
            Entity {
                value: value.map(Rc::from),
                span: at..s.pos,
                unparsed,
            },
        );
    }
    Ok(())
}

/// An entity literal's replacement text: character references expanded, general entity
/// references kept (checked for syntax), parameter entity references refused.
fn entity_value(
    text: &str,
    lit: Range<usize>,
    _warnings: &mut [Diagnostic],
) -> Result<String, Diagnostic> {
    let raw = &text[lit.clone()];
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut off = lit.start;
    while let Some(i) = rest.find(['&', '%']) {
        out.push_str(&rest[..i]);
        let at = off + i;
        let after = &rest[i + 1..];
        let Some(semi) = after.find(';') else {
            return Err(err(
                at..at + 1,
                format!(
                    "`{}` in an entity value starts no reference",
                    &rest[i..i + 1]
                ),
            ));
        };
        let body = &after[..semi];
        let full = at..at + semi + 2;
        if rest.as_bytes()[i] == b'%' {
            return Err(err(
                full,
                format!(
                    "parameter entity reference `%{body};` inside an entity value is not supported"
                ),
            ));
        }
        if let Some(num) = body.strip_prefix('#') {
            match super::entity::char_ref(num) {
                Some(c) => out.push(c),
                None => {
                    return Err(Diagnostic::new(
                        &codes::BAD_CHARACTER_REFERENCE,
                        full,
                        format!("`&{body};` does not name a character XML allows"),
                    ))
                }
            }
        } else if super::chars::is_name(body) {
            out.push_str(&rest[i..i + semi + 2]);
        } else {
            return Err(err(at..at + 1, "`&` in an entity value starts no reference (write `&#38;` for a literal ampersand)"));
        }
        rest = &after[semi + 1..];
        off = full.end;
    }
    out.push_str(rest);
    if let Some((i, c)) = out.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        let _ = i;
        return Err(Diagnostic::new(
            &codes::INVALID_CHARACTER,
            lit,
            format!(
                "entity value contains character U+{:04X}, which XML forbids",
                c as u32
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entities_and_skips_the_rest() {
        let t = r#"<!DOCTYPE TEI SYSTEM "x.dtd" [
  <!-- a > comment -->
  <!ELEMENT p (#PCDATA)>
  <!ATTLIST p a CDATA ">">
  <!ENTITY ndash "&#8211;">
  <!ENTITY ref "see &ndash; here">
  <!ENTITY ext SYSTEM "ext.xml">
  <!ENTITY ndash "ignored">
]><TEI/>"#;
        let mut ents = HashMap::new();
        let mut w = Vec::new();
        let d = parse_doctype(t, 0, &mut ents, &mut w).unwrap();
        assert_eq!(&t[d.end..], "<TEI/>");
        assert!(d.external_subset);
        assert_eq!(ents["ndash"].value.as_deref(), Some("\u{2013}"));
        assert_eq!(ents["ref"].value.as_deref(), Some("see &ndash; here"));
        assert!(ents["ext"].value.is_none());
        assert!(w.is_empty());
    }

    #[test]
    fn parameter_entities_warn() {
        let t = r#"<!DOCTYPE a [ <!ENTITY % p "x"> %p; ]>"#;
        let mut ents = HashMap::new();
        let mut w = Vec::new();
        parse_doctype(t, 0, &mut ents, &mut w).unwrap();
        assert_eq!(w.len(), 2);
        assert!(w
            .iter()
            .all(|d| d.code.id == "tei::xml::parameter_entity_ignored"));
    }

    #[test]
    fn syntax_errors() {
        let mut ents = HashMap::new();
        let mut w = Vec::new();
        let e = parse_doctype(
            r#"<!DOCTYPE a [ <!ENTITY x "unclosed> ]><a/>"#,
            0,
            &mut ents,
            &mut w,
        )
        .unwrap_err();
        assert_eq!(e.code.id, "tei::xml::dtd_syntax");
        let e = parse_doctype(r#"<!DOCTYPE a [ junk ]>"#, 0, &mut ents, &mut w).unwrap_err();
        assert_eq!(e.span.start, 14);
    }
}
