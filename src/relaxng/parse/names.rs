//! Name classes and QNames (4.8–4.10) and the name-class constraints of section 4.16.

use super::*;

impl Parser<'_> {
    /// A name class from a `name` attribute holding a QName.
    pub(super) fn qname_nc(
        &mut self,
        node: XNode,
        qname: &str,
        default_ns: &str,
        file: FileId,
    ) -> Option<Nc> {
        let pos = self.pos(node, file);
        let qname = qname.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
        let (ns, local) = self.resolve_qname(node, qname, default_ns, file, &pos)?;
        Some(Nc {
            kind: NcKind::Name { ns, local },
            pos,
        })
    }

    pub(super) fn resolve_qname(
        &mut self,
        node: XNode,
        qname: &str,
        default_ns: &str,
        file: FileId,
        pos: &Pos,
    ) -> Option<(Rc<str>, String)> {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, qname),
        };
        if !is_ncname(local) || prefix.is_some_and(|p| !is_ncname(p)) {
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("\"{qname}\" is not a QName"),
            );
            return None;
        }
        let ns = match prefix {
            None => self.shared(default_ns),
            Some("xml") => self.shared(XML_NS),
            Some(p) => match node.lookup_prefix(p) {
                Some(u) => self.shared(u),
                None => {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("prefix `{p}` of \"{qname}\" is not declared"),
                    );
                    return None;
                }
            },
        };
        Some((ns, local.to_string()))
    }

    pub(super) fn name_class(
        &mut self,
        node: XNode,
        ctx: &Ctx,
        file: FileId,
        within: NcIn,
    ) -> Option<Nc> {
        let pos = self.pos(node, file);
        let local = node.tag_name().name();
        let kind = match local {
            "name" => {
                let ctx = self.enter(node, ctx, file, &[]);
                self.text_only(node, file);
                let text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let q = text.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
                let (ns, local) = self.resolve_qname(node, q, &ctx.ns, file, &pos)?;
                NcKind::Name { ns, local }
            }
            "anyName" | "nsName" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let forbidden = matches!(
                    (local, within),
                    ("anyName", NcIn::AnyNameExcept | NcIn::NsNameExcept)
                        | ("nsName", NcIn::NsNameExcept)
                );
                if forbidden {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("`{local}` is not allowed inside this `except` (section 4.16)"),
                    );
                }
                let kids = self.children(node, file, false);
                let except = match kids.as_slice() {
                    [] => None,
                    [e] if e.tag_name().name() == "except" => {
                        let ectx = self.enter(*e, &ctx, file, &[]);
                        let ekids = self.children(*e, file, false);
                        let epos = self.pos(*e, file);
                        if ekids.is_empty() {
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                epos.span,
                                "`except` needs at least one name class",
                            );
                            return None;
                        }
                        let inner = if local == "anyName" {
                            NcIn::AnyNameExcept
                        } else {
                            NcIn::NsNameExcept
                        };
                        let mut items = Vec::new();
                        for k in ekids {
                            items.push(self.name_class(k, &ectx, file, inner)?);
                        }
                        Some(Box::new(Nc {
                            kind: NcKind::Choice(items),
                            pos: epos,
                        }))
                    }
                    [k, ..] => {
                        let span = self.pos(*k, file).span;
                        self.error(
                            &crate::relaxng::SCHEMA_SYNTAX,
                            file,
                            span,
                            format!("`{local}` takes at most one `except`"),
                        );
                        return None;
                    }
                };
                if local == "anyName" {
                    NcKind::AnyName(except)
                } else {
                    NcKind::NsName(ctx.ns.clone(), except)
                }
            }
            "choice" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let kids = self.children(node, file, false);
                if kids.is_empty() {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        "`choice` needs at least one name class",
                    );
                    return None;
                }
                let mut items = Vec::new();
                for k in kids {
                    items.push(self.name_class(k, &ctx, file, within)?);
                }
                NcKind::Choice(items)
            }
            other => {
                self.error(&crate::relaxng::SCHEMA_SYNTAX, file, pos.span.clone(), format!("expected a name class (`name`, `anyName`, `nsName`, `choice`), found `{other}`"));
                return None;
            }
        };
        Some(Nc { kind, pos })
    }

    /// Section 4.16: no attribute named `xmlns` or in the xmlns namespace.
    pub(super) fn check_attribute_name(&mut self, nc: &Nc) {
        match &nc.kind {
            NcKind::Name { ns, local } => {
                if (ns.is_empty() && local == "xmlns") || &**ns == XMLNS_NS {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        nc.pos.file,
                        nc.pos.span.clone(),
                        "an attribute may not be named `xmlns` or be in the xmlns namespace",
                    );
                }
            }
            NcKind::NsName(ns, except) => {
                if &**ns == XMLNS_NS {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        nc.pos.file,
                        nc.pos.span.clone(),
                        "an attribute may not be in the xmlns namespace",
                    );
                }
                if let Some(e) = except {
                    self.check_attribute_name(e);
                }
            }
            NcKind::AnyName(Some(e)) => self.check_attribute_name(e),
            NcKind::AnyName(None) => {}
            NcKind::Choice(items) => {
                for i in items {
                    self.check_attribute_name(i);
                }
            }
        }
    }
}

/// Where a name class sits, for the 4.16 constraints.
#[derive(Clone, Copy)]
pub(super) enum NcIn {
    Top,
    AnyNameExcept,
    NsNameExcept,
}
