//! The content of a grammar (spec A.1 `grammar`, `member`, `component`): `start` and
//! definitions (`=`, `|=`, `&=`), `div { … }`, `include "href" [inherit = p] [{ … }]` (whose
//! body overrides definitions of the included grammar, as in the XML syntax), and annotation
//! elements standing among them.

use super::annotations::{Annotations, Place};
use super::depth::Level;
use super::lexer::{Tok, P};
use super::Compact;
use crate::relaxng::parse::{Combine, Component, GrammarContent};

impl Compact<'_, '_, '_> {
    /// Components until `}` (or the end of the file at the top: `top`), into `out`.
    /// `in_include`: the body of an `include` (no `include` inside). `pre`: annotations of the
    /// first component, read already.
    pub(super) fn grammar_members(
        &mut self,
        out: &mut GrammarContent,
        in_include: bool,
        mut pre: Option<Annotations>,
    ) -> Option<()> {
        let span = self.tok.span.clone();
        let _level = Level::enter(self, span)?;
        // no annotation read before the first member: it may be an annotation element
        // (`sch:ns [ … ]` first in a file, as trang writes a grammar's Schematron)
        if pre.as_ref().is_some_and(Annotations::is_empty) {
            pre = None;
        }
        loop {
            if pre.is_none() {
                if self.at(P::RBrace) || self.tok.tok == Tok::Eof {
                    return Some(());
                }
                // an annotation element among the components: `name [ … ]`, `p:name [ … ]`
                let plain = matches!(self.tok.tok, Tok::Name { .. })
                    && self.tok.tok.keyword().is_none()
                    || matches!(self.tok.tok, Tok::CName(..));
                if plain && self.annotation_element_next()? {
                    self.annotation_element_kept(Place::Foreign)?;
                    continue;
                }
            }
            let anno = match pre.take() {
                Some(a) => a,
                None => self.annotations()?,
            };
            self.component(out, in_include, &anno)?;
        }
    }

    /// One component (its annotations read).
    fn component(
        &mut self,
        out: &mut GrammarContent,
        in_include: bool,
        anno: &Annotations,
    ) -> Option<()> {
        let span = self.tok.span.clone();
        let tok = self.tok.tok.clone();
        if tok.is_kw("start") {
            self.bump()?;
            let combine = self.assign()?;
            let body = self.pattern()?;
            out.starts.push(Component {
                combine,
                body: body.node,
                pos: self.pos(span),
            });
            return Some(());
        }
        if tok.is_kw("div") {
            self.bump()?;
            let open = self.expect(P::LBrace)?;
            self.grammar_members(out, in_include, None)?;
            self.close(P::RBrace, open)?;
            return Some(());
        }
        if tok.is_kw("include") {
            if in_include {
                return self.fail(
                    span,
                    "an `include` cannot stand inside the body of another `include`",
                );
            }
            self.bump()?;
            return self.include(out, span);
        }
        match tok {
            Tok::Name { name, .. } if tok.keyword().is_none() => {
                self.bump()?;
                if !matches!(self.tok.tok, Tok::Punct(P::Eq | P::OrEq | P::AndEq)) {
                    return self.expected(&format!("`=`, `|=` or `&=` after `{name}`"));
                }
                let combine = self.assign()?;
                let body = self.pattern()?;
                out.defines.push((
                    name,
                    Component {
                        combine,
                        body: body.node,
                        pos: self.pos(span),
                    },
                ));
                Some(())
            }
            _ => {
                let what = if anno.is_empty() {
                    "a definition (`name = pattern`), `start`, `div`, `include` or an annotation element"
                } else {
                    "a definition (`name = pattern`), `start`, `div` or `include` after the annotations"
                };
                if tok.keyword().is_some() {
                    let found = tok.describe();
                    return self.fail(
                        span,
                        format!("expected {what}, found {found} (quote a keyword used as a name: `\\{}`)", tok.keyword().unwrap_or_default()),
                    );
                }
                self.expected(what)
            }
        }
    }

    /// `=`, `|=` or `&=`: the `combine` it stands for.
    fn assign(&mut self) -> Option<Option<Combine>> {
        let combine = match self.tok.tok {
            Tok::Punct(P::Eq) => None,
            Tok::Punct(P::OrEq) => Some(Combine::Choice),
            Tok::Punct(P::AndEq) => Some(Combine::Interleave),
            _ => return self.expected("`=`, `|=` or `&=`"),
        };
        self.bump()?;
        Some(combine)
    }

    /// `include "href" [inherit = p] [{ … }]` (the keyword read at `span`): the included
    /// grammar's components, with the body's overriding them.
    fn include(&mut self, out: &mut GrammarContent, span: std::ops::Range<usize>) -> Option<()> {
        let (href, hspan) = self.literal()?;
        let ns = self.inherit_clause()?;
        let pos = self.pos(span.start..hspan.end);
        let ctx = self.env.ctx(ns);
        let included = (|| {
            let path = self.p.href_path(&href, &ctx, self.file, &pos)?;
            let text = self.p.load(&path, self.file, &pos)?;
            self.p.loading.push(path.clone());
            let r = self.p.grammar_file(text, &path, &ctx);
            self.p.loading.pop();
            r
        })();
        let mut overrides = GrammarContent::default();
        if self.at(P::LBrace) {
            let open = self.expect(P::LBrace)?;
            self.grammar_members(&mut overrides, true, None)?;
            self.close(P::RBrace, open)?;
        }
        self.p
            .merge_include(included, overrides, out, &href, self.file, pos);
        Some(())
    }
}
