//! Patterns (spec A.1 `pattern`): particles joined by one operator (`,`, `|` or `&`, never
//! mixed without parentheses), `?`, `*`, `+`, and the primaries: `element`, `attribute`,
//! `mixed`, `list`, datatypes with params and `-` exceptions, values, `empty`, `text`,
//! `notAllowed`, references, `parent`, `grammar` and `external`.
//!
//! Each pattern also says whether its XML translation would leave annotation elements after
//! it (`trailing`): a file's single pattern must translate to a single element.

use std::ops::Range;

use super::annotations::Annotations;
use super::depth::Level;
use super::lexer::{Tok, P};
use super::{Compact, NsUri};
use crate::relaxng::parse::{GrammarContent, GrammarDef, GrammarId, Kind, Node};

/// A pattern read, and whether annotation elements follow it in the XML syntax.
pub(super) struct Parsed {
    pub node: Node,
    pub trailing: bool,
}

/// A particle: a primary, maybe repeated.
struct Particle {
    node: Node,
    trailing: bool,
    repeated: bool,
    /// A datatype with an exception (`string - "x"`), which nothing may combine with.
    except: bool,
}

impl Compact<'_, '_, '_> {
    /// A pattern.
    pub(super) fn pattern(&mut self) -> Option<Parsed> {
        self.inner_pattern(true, None)
    }

    /// A pattern whose first primary's annotations were read already.
    pub(super) fn pattern_with(&mut self, pre: Annotations) -> Option<Parsed> {
        self.inner_pattern(true, Some(pre))
    }

    /// `innerPattern`: `wrap_empty` is false when annotations precede the parentheses that
    /// hold it (they then wrap it in a group of its own).
    fn inner_pattern(&mut self, wrap_empty: bool, pre: Option<Annotations>) -> Option<Parsed> {
        let span = self.tok.span.clone();
        let _level = Level::enter(self, span)?;
        let first = self.particle(true, pre)?;
        let op = match self.tok.tok {
            Tok::Punct(p @ (P::Pipe | P::Comma | P::Amp)) => p,
            _ => {
                let trailing = if first.repeated || first.except || wrap_empty {
                    first.trailing
                } else {
                    false
                };
                return Some(Parsed {
                    node: first.node,
                    trailing,
                });
            }
        };
        if first.except {
            let span = self.tok.span.clone();
            return self.fail(
                span,
                format!(
                    "a datatype with `-` cannot be combined with `{}` without parentheses: write `(string - \"x\"){}…`",
                    op.text(),
                    spaced(op)
                ),
            );
        }
        let pos = self.pos(self.tok.span.clone());
        let mut items = vec![first.node];
        while self.at(op) {
            self.bump()?;
            items.push(self.particle(false, None)?.node);
        }
        if let Tok::Punct(other @ (P::Pipe | P::Comma | P::Amp)) = self.tok.tok {
            let span = self.tok.span.clone();
            let (a, b) = (spaced(op), spaced(other));
            return self.fail(
                span,
                format!(
                    "`{}` and `{}` cannot be mixed without parentheses: write `(a{a}b){b}c` or `a{a}(b{b}c)`",
                    op.text(),
                    other.text(),
                ),
            );
        }
        let kind = match op {
            P::Pipe => Kind::Choice(items),
            P::Comma => Kind::Group(items),
            _ => Kind::Interleave(items),
        };
        Some(Parsed {
            node: Node { kind, pos },
            trailing: false,
        })
    }

    /// A primary with its annotations, then `?`, `*` or `+` and following annotations.
    fn particle(&mut self, except_ok: bool, pre: Option<Annotations>) -> Option<Particle> {
        let lead = self.lead_annotated_primary(except_ok, pre)?;
        let follow = self.follow_annotations()?;
        if lead.except {
            return Some(Particle {
                node: lead.node,
                trailing: follow,
                repeated: false,
                except: true,
            });
        }
        let op = match self.tok.tok {
            Tok::Punct(p @ (P::Star | P::Plus | P::Question)) => p,
            _ => {
                return Some(Particle {
                    node: lead.node,
                    trailing: lead.trailing || follow,
                    repeated: false,
                    except: false,
                })
            }
        };
        let pos = self.pos(self.tok.span.clone());
        self.bump()?;
        let inner = Box::new(lead.node);
        let kind = match op {
            P::Plus => Kind::OneOrMore(inner),
            P::Star => Kind::Choice(vec![
                Node {
                    kind: Kind::OneOrMore(inner),
                    pos: pos.clone(),
                },
                Node {
                    kind: Kind::Empty,
                    pos: pos.clone(),
                },
            ]),
            _ => Kind::Choice(vec![
                *inner,
                Node {
                    kind: Kind::Empty,
                    pos: pos.clone(),
                },
            ]),
        };
        let trailing = self.follow_annotations()?;
        Some(Particle {
            node: Node { kind, pos },
            trailing,
            repeated: true,
            except: false,
        })
    }

    /// `leadAnnotatedPrimary` (and, when `except_ok`, `leadAnnotatedDataExcept`).
    fn lead_annotated_primary(
        &mut self,
        except_ok: bool,
        pre: Option<Annotations>,
    ) -> Option<Particle> {
        let anno = match pre {
            Some(a) => a,
            None => self.annotations()?,
        };
        if self.at(P::LParen) {
            let open = self.expect(P::LParen)?;
            let inner = self.inner_pattern(anno.is_empty(), None)?;
            self.close(P::RParen, open)?;
            return Some(Particle {
                node: inner.node,
                trailing: inner.trailing,
                repeated: false,
                except: false,
            });
        }
        self.primary(anno, except_ok)
    }

    /// A primary pattern.
    fn primary(&mut self, anno: Annotations, except_ok: bool) -> Option<Particle> {
        let span = self.tok.span.clone();
        let tok = self.tok.tok.clone();
        let simple = |kind| Particle {
            node: Node {
                kind,
                pos: super::super::Pos {
                    file: 0,
                    span: 0..0,
                },
            },
            trailing: false,
            repeated: false,
            except: false,
        };
        let keyword = tok.keyword().map(str::to_string);
        let mut out = match keyword.as_deref() {
            Some("element") | Some("attribute") => {
                let is_elem = keyword.as_deref() == Some("element");
                self.bump()?;
                let nc = self.name_class(is_elem)?;
                let head = span.start..self.prev_end;
                let open = self.expect(P::LBrace)?;
                let body = self.pattern()?;
                self.close(P::RBrace, open)?;
                let kind = if is_elem {
                    let doc = anno.documentation().or(nc.doc);
                    Kind::Element {
                        name: nc.nc,
                        content: Box::new(body.node),
                        doc,
                    }
                } else {
                    self.p.check_attribute_name(&nc.nc);
                    Kind::Attribute {
                        name: nc.nc,
                        content: Box::new(body.node),
                        doc: anno.documentation().or(nc.doc),
                    }
                };
                return Some(Particle {
                    node: Node {
                        kind,
                        pos: self.pos(head),
                    },
                    trailing: false,
                    repeated: false,
                    except: false,
                });
            }
            Some("mixed") | Some("list") => {
                self.bump()?;
                let open = self.expect(P::LBrace)?;
                let body = self.pattern()?;
                self.close(P::RBrace, open)?;
                let pos = self.pos(span.clone());
                let kind = if keyword.as_deref() == Some("list") {
                    Kind::List(Box::new(body.node))
                } else {
                    Kind::Interleave(vec![
                        body.node,
                        Node {
                            kind: Kind::Text,
                            pos,
                        },
                    ])
                };
                simple(kind)
            }
            Some("empty") => {
                self.bump()?;
                simple(Kind::Empty)
            }
            Some("text") => {
                self.bump()?;
                simple(Kind::Text)
            }
            Some("notAllowed") => {
                self.bump()?;
                simple(Kind::NotAllowed)
            }
            Some("string") | Some("token") => {
                let ty = keyword.clone().unwrap_or_default();
                self.bump()?;
                let lib = self.p.shared("");
                return self.datatype(lib, ty, span, anno, except_ok);
            }
            Some("parent") => {
                self.bump()?;
                let name = self.identifier("the name of a definition after `parent`")?;
                simple(self.reference(name, true, span.clone()))
            }
            Some("grammar") => {
                self.bump()?;
                let open = self.expect(P::LBrace)?;
                let pos = self.pos(span.clone());
                let gid = self.p.grammars.len() as GrammarId;
                self.p.grammars.push(GrammarDef {
                    parent: self.env.grammar,
                    content: GrammarContent::default(),
                    pos,
                });
                let outer = self.env.grammar.replace(gid);
                let mut content = GrammarContent::default();
                let r = self.grammar_members(&mut content, false, None);
                self.env.grammar = outer;
                r?;
                self.close(P::RBrace, open)?;
                self.p.grammars[gid as usize].content = content;
                simple(Kind::Grammar(gid))
            }
            Some("external") => {
                self.bump()?;
                return self.external(span);
            }
            Some(_) => return self.expected("a pattern"),
            None => match tok {
                Tok::Name { name, .. } => {
                    self.bump()?;
                    simple(self.reference(name, false, span.clone()))
                }
                Tok::CName(prefix, local) => {
                    self.bump()?;
                    let lib = match self.env.datatypes.get(&prefix) {
                        Some(l) => l.clone(),
                        None => {
                            self.constraint(
                                span.clone(),
                                format!("datatypes prefix `{prefix}` of `{prefix}:{local}` is not declared (`datatypes {prefix} = \"…\"`; only `xsd` is predeclared)"),
                            );
                            self.p.shared("")
                        }
                    };
                    return self.datatype(lib, local, span, anno, except_ok);
                }
                Tok::Literal(_) => {
                    let (text, vspan) = self.literal()?;
                    let lib = self.p.shared("");
                    let mut v = simple(Kind::Value {
                        lib,
                        ty: "token".into(),
                        text,
                        ns: self.env.inherited.clone(),
                        bindings: Vec::new(),
                        doc: anno.documentation(),
                    });
                    v.node.pos = self.pos(vspan);
                    // a value has no children: its annotation elements follow it
                    v.trailing = anno.elements;
                    return Some(v);
                }
                _ => return self.expected("a pattern"),
            },
        };
        out.node.pos = self.pos(span);
        Some(out)
    }

    /// A datatype name just read (`lib`, `ty`, at `span`): a value (`xsd:int "3"`), or data
    /// with params, and an exception when `except_ok`.
    fn datatype(
        &mut self,
        lib: std::rc::Rc<str>,
        ty: String,
        span: Range<usize>,
        anno: Annotations,
        except_ok: bool,
    ) -> Option<Particle> {
        let pos = self.pos(span.clone());
        if let Tok::Literal(_) = self.tok.tok {
            let (text, vspan) = self.literal()?;
            // only QName-like types (and other libraries) read the namespace context
            let bindings = if matches!(ty.as_str(), "QName" | "NOTATION")
                || !lib.starts_with(super::XSD) && !lib.is_empty()
            {
                self.env.bindings()
            } else {
                Vec::new()
            };
            return Some(Particle {
                node: Node {
                    kind: Kind::Value {
                        lib,
                        ty,
                        text,
                        ns: self.env.inherited.clone(),
                        bindings,
                        doc: anno.documentation(),
                    },
                    pos: self.pos(span.start..vspan.end),
                },
                trailing: anno.elements,
                repeated: false,
                except: false,
            });
        }
        let mut params = Vec::new();
        if self.at(P::LBrace) {
            self.bump()?;
            while !self.at(P::RBrace) {
                self.annotations()?;
                let (name, _) = self.name_or_keyword("a param (`name = \"value\"`) or `}`")?;
                self.expect(P::Eq)?;
                let (value, _) = self.literal()?;
                params.push((name, value));
            }
            self.bump()?;
        }
        let mut except = None;
        if except_ok && self.at(P::Minus) {
            let minus = self.tok.span.clone();
            self.bump()?;
            let e = self.lead_annotated_primary(false, None)?;
            except = Some(Box::new(Node {
                kind: Kind::Choice(vec![e.node]),
                pos: self.pos(minus),
            }));
        }
        let is_except = except.is_some();
        Some(Particle {
            node: Node {
                kind: Kind::Data {
                    lib,
                    ty,
                    params,
                    except,
                },
                pos,
            },
            trailing: false,
            repeated: false,
            except: is_except,
        })
    }

    /// An identifier (not a keyword unless quoted).
    fn identifier(&mut self, what: &str) -> Option<String> {
        match &self.tok.tok {
            Tok::Name { name, .. } if self.tok.tok.keyword().is_none() => {
                let name = name.clone();
                self.bump()?;
                Some(name)
            }
            _ => self.expected(what),
        }
    }

    /// `ref` (or `parentRef` when `parent`) to `name`; outside any grammar an error.
    fn reference(&mut self, name: String, parent: bool, span: Range<usize>) -> Kind {
        if self.env.grammar.is_none() {
            let what = if parent { "parentRef" } else { "ref" };
            self.error(
                &crate::relaxng::SCHEMA_MISSING_DEFINE,
                span,
                format!("`{what}` to `{name}` outside any grammar"),
            );
            return Kind::NotAllowed;
        }
        if parent {
            Kind::ParentRef(name)
        } else {
            Kind::Ref(name)
        }
    }

    /// `external "href" [inherit = p]` (the keyword read): the pattern of that file, of
    /// either syntax.
    fn external(&mut self, span: Range<usize>) -> Option<Particle> {
        let (href, hspan) = self.literal()?;
        let ns = self.inherit_clause()?;
        let pos = self.pos(span.start..hspan.end);
        let ctx = self.env.ctx(ns);
        let node = self.load_pattern(&href, &ctx, &pos).unwrap_or(Node {
            kind: Kind::NotAllowed,
            pos: pos.clone(),
        });
        Some(Particle {
            node,
            trailing: false,
            repeated: false,
            except: false,
        })
    }

    /// `inherit = prefix` after the href of `include` or `external`: the namespace passed on
    /// (without one, the default namespace).
    pub(super) fn inherit_clause(&mut self) -> Option<std::rc::Rc<str>> {
        if !self.tok.tok.is_kw("inherit") {
            return Some(self.env.passed_on());
        }
        self.bump()?;
        self.expect(P::Eq)?;
        let span = self.tok.span.clone();
        let (prefix, _) = self.name_or_keyword("a namespace prefix after `inherit =`")?;
        match self.env.namespaces.get(&prefix).cloned() {
            Some(ns @ (NsUri::Uri(_) | NsUri::Inherit)) => Some(self.env.resolve(&ns)),
            None => {
                self.constraint(
                    span,
                    format!("namespace prefix `{prefix}` is not declared (`namespace {prefix} = \"…\"`)"),
                );
                Some(self.p.shared(""))
            }
        }
    }

    /// Loads the file `href` names as a pattern, `None` after an error (recorded).
    fn load_pattern(
        &mut self,
        href: &str,
        ctx: &crate::relaxng::parse::Ctx,
        pos: &crate::relaxng::parse::Pos,
    ) -> Option<Node> {
        let path = self.p.href_path(href, ctx, self.file, pos)?;
        let text = self.p.load(&path, self.file, pos)?;
        self.p.loading.push(path.clone());
        let r = self.p.pattern_file(text, &path, ctx);
        self.p.loading.pop();
        r
    }
}

/// An operator as written between two operands (`, `, ` | `, ` & `).
fn spaced(op: P) -> String {
    match op {
        P::Comma => ", ".to_string(),
        other => format!(" {} ", other.text()),
    }
}
