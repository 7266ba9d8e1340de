//! Name classes (spec A.1 `nameClass`): names, `p:*`, `*`, choices with `|` and exceptions
//! with `-` (never mixed without parentheses), with the constraints of RELAX NG section 4.16
//! (no `*` inside an exception of `*` or `p:*`, no `p:*` inside an exception of `p:*`).
//!
//! A name whose prefix is bound to `inherit` takes the namespace the file inherits. Inside the
//! exception of `p:*` that cannot be written in the XML syntax (a `name` there takes the
//! namespace of its `nsName`), so it is an error there, unless `p` itself is `inherit`.

use std::ops::Range;
use std::rc::Rc;

use super::depth::Level;
use super::lexer::{Tok, P};
use super::{Compact, NsUri};
use crate::relaxng::parse::{Nc, NcKind};

/// Where a name class stands (section 4.16).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Top,
    /// The exception of `*`.
    AnyExcept,
    /// The exception of `p:*`; `true` when `p` is bound to `inherit`.
    NsExcept(bool),
}

/// A name class and the documentation it carries over to its element.
pub(super) struct NameClassOut {
    pub nc: Nc,
    /// `a:documentation` on a single name, which the XML syntax places in the element.
    pub doc: Option<String>,
}

/// A simple (or parenthesised) name class and whether it ends in an exception.
struct Simple {
    nc: Nc,
    except: bool,
    doc: Option<String>,
}

impl Compact<'_, '_, '_> {
    /// The name class of an element (`is_elem`: unprefixed names take the default namespace)
    /// or of an attribute (unprefixed names have none).
    pub(super) fn name_class(&mut self, is_elem: bool) -> Option<NameClassOut> {
        let s = self.inner_name_class(is_elem, Within::Top)?;
        Some(NameClassOut {
            nc: s.nc,
            doc: s.doc,
        })
    }

    /// `innerNameClass`: one simple name class (maybe with an exception), or a choice of them.
    fn inner_name_class(&mut self, is_elem: bool, within: Within) -> Option<Simple> {
        let span = self.tok.span.clone();
        let _level = Level::enter(self, span)?;
        let first = self.annotated_simple(is_elem, within, true)?;
        if first.except || !self.at(P::Pipe) {
            if self.at(P::Pipe) {
                let span = self.tok.span.clone();
                return self.fail(
                    span,
                    "a name class with `-` cannot be part of a choice without parentheses: write `(a - b) | c`",
                );
            }
            return Some(first);
        }
        let pos = self.pos(self.tok.span.clone());
        let mut items = vec![first.nc];
        while self.at(P::Pipe) {
            self.bump()?;
            items.push(self.annotated_simple(is_elem, within, false)?.nc);
        }
        if self.at(P::Minus) {
            let span = self.tok.span.clone();
            return self.fail(
                span,
                "`-` cannot follow a choice of names without parentheses: write `(a | b) - c` as `(a | b)` with the exception inside, e.g. `* - (a | b)`",
            );
        }
        Some(Simple {
            nc: Nc {
                kind: NcKind::Choice(items),
                pos,
            },
            except: false,
            doc: None,
        })
    }

    /// `leadAnnotatedSimpleNameClass` (`except_ok`: also `nsName - …` and `* - …`), then
    /// following annotations.
    fn annotated_simple(
        &mut self,
        is_elem: bool,
        within: Within,
        except_ok: bool,
    ) -> Option<Simple> {
        let anno = self.annotations()?;
        let mut s = if self.at(P::LParen) {
            let open = self.expect(P::LParen)?;
            let inner = self.inner_name_class(is_elem, within)?;
            self.close(P::RParen, open)?;
            Simple {
                except: false,
                doc: None,
                ..inner
            }
        } else {
            self.simple(is_elem, within, except_ok)?
        };
        // annotations on a single name follow it in the XML syntax (a `name` has no children)
        if matches!(s.nc.kind, NcKind::Name { .. }) {
            s.doc = anno.documentation();
        }
        self.follow_annotations()?;
        Some(s)
    }

    /// A name, `p:*` or `*`, with its exception when `except_ok`.
    fn simple(&mut self, is_elem: bool, within: Within, except_ok: bool) -> Option<Simple> {
        let span = self.tok.span.clone();
        let pos = self.pos(span.clone());
        let kind = match self.tok.tok.clone() {
            Tok::Name { name, .. } => {
                let ns = if is_elem {
                    self.inherit_check(&self.env.default_ns.clone(), &name, within, span.clone());
                    self.env.resolve(&self.env.default_ns.clone())
                } else {
                    self.p.shared("")
                };
                self.bump()?;
                return Some(Simple {
                    nc: Nc {
                        kind: NcKind::Name { ns, local: name },
                        pos,
                    },
                    except: false,
                    doc: None,
                });
            }
            Tok::CName(prefix, local) => {
                let (ns, _) =
                    self.prefix_ns(&prefix, &format!("{prefix}:{local}"), within, span.clone());
                self.bump()?;
                return Some(Simple {
                    nc: Nc {
                        kind: NcKind::Name { ns, local },
                        pos,
                    },
                    except: false,
                    doc: None,
                });
            }
            Tok::NsName(prefix) => {
                if matches!(within, Within::NsExcept(_)) {
                    self.constraint(
                        span.clone(),
                        format!("`{prefix}:*` cannot stand in the exception of another `…:*` (RELAX NG section 4.16)"),
                    );
                }
                let (ns, inherit) =
                    self.prefix_ns(&prefix, &format!("{prefix}:*"), Within::Top, span.clone());
                Open::Ns(ns, inherit)
            }
            Tok::Punct(P::Star) => {
                if within != Within::Top {
                    self.constraint(
                        span.clone(),
                        "`*` cannot stand in the exception of `*` or of `…:*` (RELAX NG section 4.16)",
                    );
                }
                Open::Any
            }
            _ => return self.expected("a name class (a name, `prefix:*`, `*` or `(`)"),
        };
        self.bump()?;
        let except = if except_ok && self.at(P::Minus) {
            let minus = self.tok.span.clone();
            self.bump()?;
            let inner_within = match &kind {
                Open::Any => Within::AnyExcept,
                Open::Ns(_, inherit) => Within::NsExcept(*inherit),
            };
            let e = self.annotated_simple_lead(is_elem, inner_within)?;
            Some(Box::new(Nc {
                kind: NcKind::Choice(vec![e]),
                pos: self.pos(minus),
            }))
        } else {
            None
        };
        let has_except = except.is_some();
        let kind = match kind {
            Open::Any => NcKind::AnyName(except),
            Open::Ns(ns, _) => NcKind::NsName(ns, except),
        };
        Some(Simple {
            nc: Nc { kind, pos },
            except: has_except,
            doc: None,
        })
    }

    /// `leadAnnotatedSimpleNameClass` without an exception (the operand of `-`).
    fn annotated_simple_lead(&mut self, is_elem: bool, within: Within) -> Option<Nc> {
        self.annotations()?;
        if self.at(P::LParen) {
            let open = self.expect(P::LParen)?;
            let inner = self.inner_name_class(is_elem, within)?;
            self.close(P::RParen, open)?;
            return Some(inner.nc);
        }
        Some(self.simple(is_elem, within, false)?.nc)
    }

    /// The namespace of `prefix` (declared, or an error) and whether it is `inherit`.
    fn prefix_ns(
        &mut self,
        prefix: &str,
        written: &str,
        within: Within,
        span: Range<usize>,
    ) -> (Rc<str>, bool) {
        match self.env.namespaces.get(prefix).cloned() {
            Some(ns) => {
                self.inherit_check(&ns, written, within, span);
                (self.env.resolve(&ns), matches!(ns, NsUri::Inherit))
            }
            None => {
                self.constraint(
                    span,
                    format!("namespace prefix `{prefix}` of `{written}` is not declared (`namespace {prefix} = \"…\"`)"),
                );
                (self.p.shared(""), false)
            }
        }
    }

    /// A name whose namespace is `inherit` inside the exception of a `p:*` whose namespace is
    /// not: the XML syntax would give it `p`'s namespace instead.
    fn inherit_check(&mut self, ns: &NsUri, written: &str, within: Within, span: Range<usize>) {
        if matches!(ns, NsUri::Inherit) && within == Within::NsExcept(false) {
            self.constraint(
                span,
                format!("`{written}` takes an inherited namespace, which cannot be told inside the exception of a `prefix:*` with a namespace of its own; declare its prefix with a URI"),
            );
        }
    }
}

/// What a wildcard name class opens.
enum Open {
    Any,
    /// `p:*`: the namespace, and whether `p` is `inherit`.
    Ns(Rc<str>, bool),
}
