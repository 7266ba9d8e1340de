//! Grammar content: start, define, div, include (with overrides, 4.7), and loading the files
//! that include and externalRef name (4.5, 4.6).

use super::*;

impl Parser<'_> {
    /// Reads the children of a `grammar` (or `div`, `include`) into `out`.
    /// `in_include`: children of an `include` (no nested `include`).
    pub(super) fn grammar_content(
        &mut self,
        node: XNode,
        ctx: &Ctx,
        file: FileId,
        out: &mut GrammarContent,
        in_include: bool,
    ) {
        for k in self.children(node, file, false) {
            let pos = self.pos(k, file);
            match k.tag_name().name() {
                "start" => {
                    let c = self.enter(k, ctx, file, &["combine"]);
                    let combine = self.combine(k, file);
                    let kids = self.children(k, file, false);
                    if kids.len() != 1 {
                        self.error(
                            &crate::relaxng::SCHEMA_SYNTAX,
                            file,
                            pos.span.clone(),
                            "`start` takes exactly one pattern",
                        );
                        continue;
                    }
                    if let Some(body) = self.pattern(kids[0], &c, file) {
                        out.starts.push(Component {
                            combine: combine.unwrap_or(None),
                            body,
                            pos,
                        });
                    }
                }
                "define" => {
                    let c = self.enter(k, ctx, file, &["name", "combine"]);
                    let combine = self.combine(k, file);
                    let Some(name) = self.ncname_attr(k, file, "name") else {
                        continue;
                    };
                    let kids = self.children(k, file, false);
                    if let Some(body) = self.group_of(&kids, &c, file, &pos, "define") {
                        out.defines.push((
                            name,
                            Component {
                                combine: combine.unwrap_or(None),
                                body,
                                pos,
                            },
                        ));
                    }
                }
                "div" => {
                    let c = self.enter(k, ctx, file, &[]);
                    self.grammar_content(k, &c, file, out, in_include);
                }
                "include" if !in_include => {
                    let c = self.enter(k, ctx, file, &["href"]);
                    self.include(k, &c, file, out, pos);
                }
                other => {
                    self.error(
                        &crate::relaxng::SCHEMA_SYNTAX,
                        file,
                        pos.span,
                        format!("`{other}` is not allowed in a grammar (expected `start`, `define`, `div` or `include`)"),
                    );
                }
            }
        }
    }

    /// `Some(None)`: no combine; `None`: invalid (reported).
    pub(super) fn combine(&mut self, node: XNode, file: FileId) -> Option<Option<Combine>> {
        match node
            .attribute("combine")
            .map(|v| v.trim_matches(|ch: char| matches!(ch, ' ' | '\t' | '\n' | '\r')))
        {
            None => Some(None),
            Some("choice") => Some(Some(Combine::Choice)),
            Some("interleave") => Some(Some(Combine::Interleave)),
            Some(other) => {
                let pos = self.pos(node, file);
                self.error(
                    &crate::relaxng::SCHEMA_SYNTAX,
                    file,
                    pos.span,
                    format!("combine=\"{other}\" is not `choice` or `interleave`"),
                );
                None
            }
        }
    }

    pub(super) fn include(
        &mut self,
        node: XNode,
        ctx: &Ctx,
        file: FileId,
        out: &mut GrammarContent,
        pos: Pos,
    ) {
        let Some(href) = self.required_attr(node, file, "href") else {
            return;
        };
        let Some(path) = self.href_path(&href, ctx, file, &pos) else {
            return;
        };
        let Some(text) = self.load(&path, file, &pos) else {
            return;
        };
        self.loading.push(path.clone());
        let included = self.grammar_file(text, &path, ctx);
        self.loading.pop();
        let mut overrides = GrammarContent::default();
        self.grammar_content(node, ctx, file, &mut overrides, true);
        self.merge_include(included, overrides, out, &href, file, pos);
    }

    /// Adds the components of an included grammar (`None`: it could not be read) to `out`,
    /// the `overrides` (the body of the `include` at `pos`) replacing its `start` and the
    /// definitions they name (4.7).
    pub(super) fn merge_include(
        &mut self,
        included: Option<GrammarContent>,
        overrides: GrammarContent,
        out: &mut GrammarContent,
        href: &str,
        file: FileId,
        pos: Pos,
    ) {
        let Some(mut included) = included else {
            out.starts.extend(overrides.starts);
            out.defines.extend(overrides.defines);
            return;
        };
        if !overrides.starts.is_empty() {
            if included.starts.is_empty() {
                self.error(
                    &crate::relaxng::SCHEMA_COMBINE,
                    file,
                    pos.span.clone(),
                    format!("`include` overrides `start`, but {href} has none"),
                );
            }
            included.starts.clear();
        }
        let mut names: Vec<&str> = overrides.defines.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            if !included.defines.iter().any(|(n, _)| n == name) {
                let span = overrides
                    .defines
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(pos.span.clone(), |(_, c)| c.pos.span.clone());
                self.error(
                    &crate::relaxng::SCHEMA_COMBINE,
                    file,
                    span,
                    format!("`include` overrides `{name}`, but {href} does not define it"),
                );
            }
            included.defines.retain(|(n, _)| n != name);
        }
        out.starts.extend(included.starts);
        out.defines.extend(included.defines);
        out.starts.extend(overrides.starts);
        out.defines.extend(overrides.defines);
    }

    pub(super) fn href_path(
        &mut self,
        href: &str,
        ctx: &Ctx,
        file: FileId,
        pos: &Pos,
    ) -> Option<PathBuf> {
        if href.contains('#') {
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!("href \"{href}\" has a fragment identifier"),
            );
            return None;
        }
        if href.starts_with("http:") || href.starts_with("https:") {
            self.error(
                &crate::relaxng::SCHEMA_NOT_FOUND,
                file,
                pos.span.clone(),
                format!("href \"{href}\" is remote; teikit never fetches schemas over the network"),
            );
            return None;
        }
        let path = resolve_href(&ctx.base, href);
        self.deeper(self.loading.len() + 1, file, pos.span.clone())?;
        if self.loading.contains(&path) {
            self.error(
                &crate::relaxng::SCHEMA_SYNTAX,
                file,
                pos.span.clone(),
                format!(
                    "{} includes itself (recursive `include`/`externalRef`)",
                    path.display()
                ),
            );
            return None;
        }
        Some(path)
    }

    pub(super) fn load(&mut self, path: &Path, file: FileId, pos: &Pos) -> Option<Rc<str>> {
        match self.resolver.load_at_most(path, self.budget) {
            Ok(t) => {
                self.budget = self.budget.saturating_sub(t.len());
                Some(Rc::from(t))
            }
            Err(e) if crate::relaxng::schema::is_too_large(&e) => {
                let info = &self.files[file as usize];
                let (line, col) = info.line_col(pos.span.start);
                let mut d = crate::relaxng::compile::too_large(path, self.limits.schema_size);
                d.span = pos.span.clone();
                self.errors.push(SchemaDiagnostic {
                    file: info.path.to_path_buf(),
                    diagnostic: d.at(line, col),
                });
                None
            }
            Err(e) => {
                self.error(
                    &crate::relaxng::SCHEMA_NOT_FOUND,
                    file,
                    pos.span.clone(),
                    format!("cannot read {}: {e}", path.display()),
                );
                None
            }
        }
    }
}
