//! Pattern elements (section 3): element, attribute, the combinators, data, value, refs,
//! externalRef and nested grammars, with the child-count rules of 4.12–4.15 applied.

use super::*;

impl Parser<'_> {
    /// Reads a pattern element. `None` after an error (already recorded). Patterns nest at
    /// most `schema_depth` deep (across `externalRef`s), so that this recursion (and every
    /// later walk of the tree) stays bounded.
    pub(super) fn pattern(&mut self, node: XNode, ctx: &Ctx, file: FileId) -> Option<Node> {
        self.deeper(self.depth + 1, file, node.range())?;
        self.depth += 1;
        let r = self.pattern_here(node, ctx, file);
        self.depth -= 1;
        r
    }

    fn pattern_here(&mut self, node: XNode, ctx: &Ctx, file: FileId) -> Option<Node> {
        let pos = self.pos(node, file);
        if !node.is_rng() {
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span,
                format!(
                    "expected a RELAX NG pattern (namespace {RNG_NS}), found `{}`{}",
                    node.tag_name().name(),
                    node.tag_name()
                        .namespace()
                        .map_or(String::from(" in no namespace"), |n| format!(
                            " in namespace {n}"
                        ))
                ),
            );
            return None;
        }
        let local = node.tag_name().name();
        let kind = match local {
            "element" => {
                let ctx = self.enter(node, ctx, file, &["name"]);
                let kids = self.children(node, file, false);
                let (name, rest) = match node.attribute("name") {
                    Some(q) => (self.qname_nc(node, q, &ctx.ns, file)?, &kids[..]),
                    None => match kids.split_first() {
                        Some((first, rest)) => {
                            (self.name_class(*first, &ctx, file, NcIn::Top)?, rest)
                        }
                        None => {
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                "`element` needs a name",
                            );
                            return None;
                        }
                    },
                };
                let content = self.group_of(rest, &ctx, file, &pos, "element")?;
                let doc = documentation(node);
                Kind::Element {
                    name,
                    content: Box::new(content),
                    doc,
                }
            }
            "attribute" => {
                let ctx = self.enter(node, ctx, file, &["name"]);
                let kids = self.children(node, file, false);
                let (name, rest) = match node.attribute("name") {
                    Some(q) => {
                        let own_ns = node.attribute("ns").unwrap_or("");
                        (self.qname_nc(node, q, own_ns, file)?, &kids[..])
                    }
                    None => match kids.split_first() {
                        Some((first, rest)) => {
                            (self.name_class(*first, &ctx, file, NcIn::Top)?, rest)
                        }
                        None => {
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                "`attribute` needs a name",
                            );
                            return None;
                        }
                    },
                };
                self.check_attribute_name(&name);
                let content = match rest {
                    [] => Node {
                        kind: Kind::Text,
                        pos: pos.clone(),
                    },
                    [one] => self.pattern(*one, &ctx, file)?,
                    [_, extra, ..] => {
                        let span = self.pos(*extra, file).span;
                        self.error(
                            &crate::relaxng::SCHEMA_SYNTAX,
                            file,
                            span,
                            "`attribute` takes at most one pattern",
                        );
                        return None;
                    }
                };
                Kind::Attribute {
                    name,
                    content: Box::new(content),
                    doc: documentation(node),
                }
            }
            "group" | "interleave" | "choice" | "oneOrMore" | "zeroOrMore" | "optional"
            | "list" | "mixed" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let kids = self.children(node, file, false);
                if kids.is_empty() {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos.span.clone(),
                        format!("`{local}` needs at least one pattern"),
                    );
                    return None;
                }
                let mut items = Vec::with_capacity(kids.len());
                let mut failed = false;
                for k in kids {
                    match self.pattern(k, &ctx, file) {
                        Some(n) => items.push(n),
                        None => failed = true,
                    }
                }
                if failed {
                    return None;
                }
                let group = |items: Vec<Node>| {
                    if items.len() == 1 {
                        items.into_iter().next().map(Box::new)
                    } else {
                        Some(Box::new(Node {
                            kind: Kind::Group(items),
                            pos: pos.clone(),
                        }))
                    }
                };
                match local {
                    "group" => Kind::Group(items),
                    "interleave" => Kind::Interleave(items),
                    "choice" => Kind::Choice(items),
                    "oneOrMore" => Kind::OneOrMore(group(items)?),
                    "list" => Kind::List(group(items)?),
                    "zeroOrMore" => {
                        let oom = Node {
                            kind: Kind::OneOrMore(group(items)?),
                            pos: pos.clone(),
                        };
                        Kind::Choice(vec![
                            oom,
                            Node {
                                kind: Kind::Empty,
                                pos: pos.clone(),
                            },
                        ])
                    }
                    "optional" => Kind::Choice(vec![
                        *group(items)?,
                        Node {
                            kind: Kind::Empty,
                            pos: pos.clone(),
                        },
                    ]),
                    _ => Kind::Interleave(vec![
                        *group(items)?,
                        Node {
                            kind: Kind::Text,
                            pos: pos.clone(),
                        },
                    ]),
                }
            }
            "empty" | "text" | "notAllowed" => {
                self.enter(node, ctx, file, &[]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!("`{local}` takes no children"),
                    );
                }
                match local {
                    "empty" => Kind::Empty,
                    "text" => Kind::Text,
                    _ => Kind::NotAllowed,
                }
            }
            "ref" | "parentRef" => {
                self.enter(node, ctx, file, &["name"]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        span,
                        format!("`{local}` takes no children"),
                    );
                }
                let name = self.ncname_attr(node, file, "name")?;
                if ctx.grammar.is_none() {
                    self.error(
                        &crate::relaxng::SCHEMA_MISSING_DEFINE,
                        file,
                        pos.span.clone(),
                        format!("`{local}` to `{name}` outside any grammar"),
                    );
                    return None;
                }
                if local == "ref" {
                    Kind::Ref(name)
                } else {
                    Kind::ParentRef(name)
                }
            }
            "value" => {
                let ctx = self.enter(node, ctx, file, &["type"]);
                self.text_only(node, file);
                let text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let (lib, ty) = match node.attribute("type") {
                    Some(t) => {
                        let t = t.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r'));
                        if !is_ncname(t) {
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                pos.span.clone(),
                                format!("type \"{t}\" is not an NCName"),
                            );
                        }
                        (ctx.lib.clone(), t.to_string())
                    }
                    None => (self.shared(""), "token".to_string()),
                };
                // Only QName-like types read the namespace context; others skip the copy.
                let bindings = if matches!(ty.as_str(), "QName" | "NOTATION")
                    || !lib.starts_with("http://www.w3.org/2001/XMLSchema-datatypes")
                        && !lib.is_empty()
                {
                    node.prefixes()
                        .map(|(p, u)| (p.to_string(), u.to_string()))
                        .collect()
                } else {
                    Vec::new()
                };
                Kind::Value {
                    lib,
                    ty,
                    text,
                    ns: ctx.ns.clone(),
                    bindings,
                    doc: following_documentation(node),
                }
            }
            "data" => {
                let ctx = self.enter(node, ctx, file, &["type"]);
                let ty = self.ncname_attr(node, file, "type")?;
                let kids = self.children(node, file, false);
                let mut params = Vec::new();
                let mut except = None;
                for (i, k) in kids.iter().enumerate() {
                    match k.tag_name().name() {
                        "param" if except.is_none() => {
                            self.enter(*k, &ctx, file, &["name"]);
                            self.text_only(*k, file);
                            let name = self.ncname_attr(*k, file, "name")?;
                            let value: String = k
                                .children()
                                .filter(|c| c.is_text())
                                .filter_map(|c| c.text())
                                .collect();
                            params.push((name, value));
                        }
                        "except" if i + 1 == kids.len() => {
                            let ectx = self.enter(*k, &ctx, file, &[]);
                            let ekids = self.children(*k, file, false);
                            let epos = self.pos(*k, file);
                            if ekids.is_empty() {
                                self.error(
                                    &crate::relaxng::SCHEMA_SYNTAX,
                                    file,
                                    epos.span.clone(),
                                    "`except` needs at least one pattern",
                                );
                                return None;
                            }
                            let mut items = Vec::new();
                            for e in ekids {
                                items.push(self.pattern(e, &ectx, file)?);
                            }
                            except = Some(Box::new(Node {
                                kind: Kind::Choice(items),
                                pos: epos,
                            }));
                        }
                        other => {
                            let span = self.pos(*k, file).span;
                            self.error(
                                &crate::relaxng::SCHEMA_SYNTAX,
                                file,
                                span,
                                format!("`{other}` is not allowed here in `data` (expected `param`s then at most one `except`)"),
                            );
                            return None;
                        }
                    }
                }
                Kind::Data {
                    lib: ctx.lib.clone(),
                    ty,
                    params,
                    except,
                }
            }
            "externalRef" => {
                let ctx = self.enter(node, ctx, file, &["href"]);
                if let Some(k) = self.children(node, file, false).first() {
                    let span = self.pos(*k, file).span;
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        span,
                        "`externalRef` takes no children",
                    );
                }
                let href = self.required_attr(node, file, "href")?;
                let path = self.href_path(&href, &ctx, file, &pos)?;
                let text = self.load(&path, file, &pos)?;
                self.loading.push(path.clone());
                let r = self.pattern_file(text, &path, &ctx);
                self.loading.pop();
                return r;
            }
            "grammar" => {
                let ctx = self.enter(node, ctx, file, &[]);
                let gid = self.grammars.len() as GrammarId;
                self.grammars.push(GrammarDef {
                    parent: ctx.grammar,
                    content: GrammarContent::default(),
                    pos: pos.clone(),
                });
                let inner = Ctx {
                    grammar: Some(gid),
                    ..ctx
                };
                let mut content = GrammarContent::default();
                self.grammar_content(node, &inner, file, &mut content, false);
                self.grammars[gid as usize].content = content;
                Kind::Grammar(gid)
            }
            other => {
                self.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
                    file,
                    pos.span.clone(),
                    format!(
                        "`{other}` is not a RELAX NG pattern{}",
                        suggest(other, PATTERN_NAMES)
                    ),
                );
                return None;
            }
        };
        Some(Node { kind, pos })
    }

    /// Several patterns as one (a group when more than one).
    pub(super) fn group_of(
        &mut self,
        kids: &[XNode],
        ctx: &Ctx,
        file: FileId,
        pos: &Pos,
        what: &str,
    ) -> Option<Node> {
        if kids.is_empty() {
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("`{what}` needs at least one pattern"),
            );
            return None;
        }
        let mut items = Vec::with_capacity(kids.len());
        let mut failed = false;
        for k in kids {
            match self.pattern(*k, ctx, file) {
                Some(n) => items.push(n),
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        if items.len() == 1 {
            return items.pop();
        }
        Some(Node {
            kind: Kind::Group(items),
            pos: pos.clone(),
        })
    }
}

/// The `a:documentation` text of an element or attribute pattern, trimmed, paragraphs joined
/// by blank lines.
pub(super) fn documentation(node: XNode) -> Option<String> {
    join_documentation(node.children())
}

/// The `a:documentation` right after a pattern (before the next pattern): how a schema
/// documents a `<value>` (spec annotations: a foreign element after a pattern annotates it).
fn following_documentation(node: XNode) -> Option<String> {
    join_documentation(node.following_siblings().take_while(|n| !n.is_rng()))
}

/// The text of the `a:documentation` elements among `nodes`, trimmed, joined by blank lines.
fn join_documentation<'t>(nodes: impl Iterator<Item = XNode<'t>>) -> Option<String> {
    let parts: Vec<String> = nodes
        .filter(|c| {
            c.is_element()
                && c.tag_name().namespace() == Some(ANNOTATIONS_NS)
                && c.tag_name().name() == "documentation"
        })
        .map(|c| {
            c.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

/// The names of RELAX NG pattern elements.
const PATTERN_NAMES: &[&str] = &[
    "element",
    "attribute",
    "group",
    "interleave",
    "choice",
    "optional",
    "zeroOrMore",
    "oneOrMore",
    "list",
    "mixed",
    "ref",
    "parentRef",
    "empty",
    "text",
    "value",
    "data",
    "notAllowed",
    "externalRef",
    "grammar",
];

/// " (did you mean `x`?)" for the closest known name, or nothing.
pub(super) fn suggest(found: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(found, k), *k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(String::new(), |(_, k)| format!(" (did you mean `{k}`?)"))
}
