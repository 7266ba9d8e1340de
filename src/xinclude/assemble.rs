//! The assembler: the document's text with every `xi:include` replaced by what it includes,
//! copied verbatim from the included files (so every position maps back, [`SourceMap`]), with
//! the fix-up attributes XInclude asks for on each included top element.

use super::codes;
use super::href::{self, Refused};
use super::map::{File, Instance, SourceMap};
use super::outline::{tag_attribute_names, Kind, Malformed, Outline};
use super::pointer;
use crate::diagnostic::Diagnostic;
use crate::limit::Limits;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What an assembly needs to know of the run.
pub struct Env<'a> {
    /// The document's path as shown (its folder is the base of its `href`s).
    pub path: &'a Path,
    /// Whether a file may be read (inside the project).
    pub allowed: &'a dyn Fn(&Path) -> bool,
    /// The limits in force (`xinclude_depth`, `xinclude_count`, `xinclude_size`).
    pub limits: &'a Limits,
}

/// A document with its includes carried out.
#[derive(Debug)]
pub struct Assembly {
    /// The assembled text.
    pub text: String,
    /// Where each part of it came from.
    pub map: SourceMap,
    /// The includes that failed, each at its place (line, column and origin set).
    pub diagnostics: Vec<Diagnostic>,
    /// A limit stopped the assembly: `text` is not the whole document.
    pub fatal: bool,
}

/// Why a resource could not be included: diagnostics (instance, diagnostic), reported unless
/// the include has a fallback.
type ResourceError = Vec<(u32, Diagnostic)>;

struct Asm<'e> {
    env: &'e Env<'e>,
    map: SourceMap,
    /// The outline of each file of the map read as XML.
    outlines: Vec<Option<Arc<Outline>>>,
    out: String,
    diags: Vec<(u32, Diagnostic)>,
    /// XML resources by canonical path: their file in the map, or why they cannot be read.
    xml: HashMap<PathBuf, Result<u32, Cached>>,
    /// Text resources by canonical path and encoding.
    text: HashMap<(PathBuf, String), Result<u32, Cached>>,
    /// The `xi:include`s being expanded: (file, offset).
    active: Vec<(u32, usize)>,
    count: usize,
    read: usize,
    stop: bool,
}

/// A resource that failed, kept so that including it again says the same.
#[derive(Clone)]
enum Cached {
    Missing(String),
    Malformed(u32, Malformed),
    Encoding(String),
    Limit,
}

/// Carries out the includes of `text` (the document at `env.path`). `None` when there is
/// nothing to do: no element of the XInclude namespace, or a document that is not
/// well-formed (the reader reports it as usual).
pub fn assemble(text: &str, env: &Env<'_>) -> Option<Assembly> {
    if !text.contains(super::outline::XI_NS) {
        return None;
    }
    let outline = Outline::read(text).ok()?;
    if outline.xi.is_empty() {
        return None;
    }
    let mut a = Asm {
        env,
        map: SourceMap::default(),
        outlines: vec![Some(Arc::new(outline))],
        out: String::with_capacity(text.len()),
        diags: Vec::new(),
        xml: HashMap::new(),
        text: HashMap::new(),
        active: Vec::new(),
        count: 0,
        read: text.len(),
        stop: false,
    };
    a.map
        .files
        .push(File::new(env.path.to_path_buf(), Arc::from(text)));
    a.map.instances.push(Instance {
        file: 0,
        from: None,
    });
    a.xml.insert(key(env.path), Ok(0));
    a.copy(0, 0, 0..text.len(), None);
    let diagnostics = std::mem::take(&mut a.diags)
        .into_iter()
        .map(|(i, d)| a.map.place(i, d))
        .collect();
    Some(Assembly {
        text: a.out,
        map: a.map,
        diagnostics,
        fatal: a.stop,
    })
}

fn key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| href::tidy(p))
}

fn escape_attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl Asm<'_> {
    fn text_of(&self, file: u32) -> Arc<str> {
        Arc::clone(&self.map.files[file as usize].text)
    }

    fn outline(&self, file: u32) -> Arc<Outline> {
        self.outlines[file as usize]
            .clone()
            .expect("only files read as XML are expanded")
    }

    fn path_of(&self, file: u32) -> &Path {
        &self.map.files[file as usize].path
    }

    /// Place of file offset as `path:line:col`.
    fn place(&self, file: u32, offset: usize) -> String {
        let f = &self.map.files[file as usize];
        let (l, c) = f.line_col(offset);
        format!("{}:{l}:{c}", f.path.display())
    }

    fn limit(
        &mut self,
        inst: u32,
        at: Range<usize>,
        code: &'static crate::diagnostic::Code,
        name: &str,
        what: String,
    ) {
        let d = Diagnostic::new(code, at, what).with_help(crate::limit::raise(name));
        self.diags.push((inst, d));
        self.stop = true;
    }

    fn room(&mut self, inst: u32, at: usize, more: usize) -> bool {
        let max = self.env.limits.xinclude_size;
        if self.out.len() + more > max {
            self.limit(
                inst,
                at..at,
                &crate::limit::XINCLUDE_SIZE,
                "xinclude_size",
                format!("the document with its includes grows past the xinclude_size limit of {max} bytes; the includes are not carried out"),
            );
            return false;
        }
        true
    }

    fn emit(&mut self, inst: u32, text: &str, r: Range<usize>) {
        if r.is_empty() || self.stop || !self.room(inst, r.start, r.len()) {
            return;
        }
        self.map.push(self.out.len(), inst, r.start, true);
        self.out.push_str(&text[r]);
    }

    fn written(&mut self, inst: u32, orig: usize, s: &str) {
        if s.is_empty() || self.stop || !self.room(inst, orig, s.len()) {
            return;
        }
        self.map.push(self.out.len(), inst, orig, false);
        self.out.push_str(s);
    }

    /// Copies `range` of `file` (as `inst`), every XInclude element in it carried out, and
    /// `fixup` written at its offset.
    fn copy(&mut self, file: u32, inst: u32, range: Range<usize>, fixup: Option<(usize, String)>) {
        let o = self.outline(file);
        let text = self.text_of(file);
        let mut at = range.start;
        if let Some((pos, s)) = fixup {
            self.emit(inst, &text, at..pos);
            self.written(inst, pos, &s);
            at = pos;
        }
        let first =
            o.xi.partition_point(|&x| o.elems[x as usize].range.start < range.start);
        for &x in &o.xi[first..] {
            let e = &o.elems[x as usize];
            if e.range.start >= range.end || self.stop {
                break;
            }
            if e.range.start < at || e.kind == Kind::OtherXi {
                continue;
            }
            self.emit(inst, &text, at..e.range.start);
            match e.kind {
                Kind::Include => self.include(file, inst, x),
                _ => {
                    let d = Diagnostic::new(
                        &codes::BAD_INCLUDE,
                        e.range.start..e.name_end,
                        "an xi:fallback must be a child of an xi:include; it is left out",
                    );
                    self.diags.push((inst, d));
                }
            }
            at = e.range.end;
        }
        self.emit(inst, &text, at..range.end);
    }

    fn include(&mut self, file: u32, inst: u32, x: u32) {
        let o = self.outline(file);
        let e = o.elems[x as usize].clone();
        let tag = e.range.start..e.name_end;
        self.count += 1;
        let limits = *self.env.limits;
        if self.count > limits.xinclude_count {
            let max = limits.xinclude_count;
            self.limit(inst, tag, &crate::limit::XINCLUDE_COUNT, "xinclude_count",
                format!("more than {max} xi:include elements are carried out for this document (the xinclude_count limit)"));
            return;
        }
        if self.active.len() + 1 > limits.xinclude_depth {
            let max = limits.xinclude_depth;
            self.limit(
                inst,
                tag,
                &crate::limit::XINCLUDE_DEPTH,
                "xinclude_depth",
                format!("includes nest more than {max} deep here (the xinclude_depth limit)"),
            );
            return;
        }
        let bad = |m: String| Diagnostic::new(&codes::BAD_INCLUDE, tag.clone(), m);
        let href = o.attr(x, "href");
        let xpointer = o.attr(x, "xpointer");
        let text_mode = match o.attr(x, "parse") {
            None | Some("xml") => false,
            Some("text") => true,
            Some(p) => {
                let d = bad(format!(
                    "parse=\"{p}\" is neither \"xml\" nor \"text\"; nothing is included"
                ));
                return self.diags.push((inst, d));
            }
        };
        let mut fallback = None;
        for c in o.children(x) {
            match o.elems[c as usize].kind {
                Kind::Fallback if fallback.is_none() => fallback = Some(c),
                Kind::Fallback => {
                    return self.diags.push((
                        inst,
                        bad(
                            "an xi:include has more than one xi:fallback; nothing is included"
                                .into(),
                        ),
                    ));
                }
                Kind::Include => {
                    return self.diags.push((inst, bad("an xi:include may not hold another xi:include (only inside its xi:fallback); nothing is included".into())));
                }
                _ => {}
            }
        }
        let href_empty = href.is_none_or(|h| h.trim().is_empty());
        let problem = if href.is_some_and(|h| h.contains('#')) {
            Some("the href holds a fragment identifier (`#…`), which XInclude forbids: point into the resource with xpointer=\"…\"")
        } else if href_empty && xpointer.is_none() {
            Some("an xi:include needs an href, or an xpointer into this document")
        } else if text_mode && xpointer.is_some() {
            Some("a text include (parse=\"text\") may not have an xpointer")
        } else if text_mode && href_empty {
            Some("a text include (parse=\"text\") needs an href")
        } else {
            None
        };
        if let Some(p) = problem {
            return self
                .diags
                .push((inst, bad(format!("{p}; nothing is included"))));
        }
        let href_span = o
            .attrs
            .get(&(x, "href"))
            .map_or(tag.clone(), |(_, r)| r.clone());
        let result = if text_mode {
            self.include_text(file, inst, x, href.unwrap_or(""), href_span)
        } else {
            self.include_xml(
                file,
                inst,
                x,
                if href_empty { None } else { href },
                xpointer,
                href_span,
            )
        };
        if let Err(diags) = result {
            match fallback {
                Some(f) if !self.stop => {
                    let content = o.elems[f as usize].content.clone();
                    self.copy(file, inst, content, None);
                }
                _ => self.diags.extend(diags),
            }
        }
    }

    /// The folder `href`s of element `x` of `file` are resolved against, with `xml:base`.
    fn base_dir(&self, file: u32, x: u32) -> Result<PathBuf, Refused> {
        let o = self.outline(file);
        let mut dir = href::folder_of(self.path_of(file), false);
        let mut bases: Vec<&str> = o
            .ancestors(x)
            .filter_map(|a| o.attr(a, "xml:base"))
            .collect();
        bases.reverse();
        for b in bases {
            let p = href::resolve(&dir, b)?;
            dir = href::folder_of(&p, b.ends_with('/'));
        }
        Ok(dir)
    }

    /// The local path `href` leads to from `x`, or why there is none.
    fn target(
        &self,
        file: u32,
        inst: u32,
        x: u32,
        href: &str,
        span: Range<usize>,
    ) -> Result<(PathBuf, PathBuf), ResourceError> {
        let refuse = |d: Diagnostic| vec![(inst, d)];
        let dir = self.base_dir(file, x);
        let path = dir.clone().and_then(|d| href::resolve(&d, href));
        match (dir, path) {
            (Ok(dir), Ok(p)) => {
                if !(self.env.allowed)(&p) {
                    return Err(refuse(Diagnostic::new(
                        &codes::OUTSIDE_PROJECT,
                        span,
                        format!(
                            "`{href}` leads to {}, outside the project; it is not read",
                            p.display()
                        ),
                    )));
                }
                Ok((dir, p))
            }
            (Err(Refused::Network(s)), _) | (_, Err(Refused::Network(s))) => {
                let via = if href::resolve(Path::new(""), href).is_ok() {
                    " (through an xml:base)"
                } else {
                    ""
                };
                Err(refuse(Diagnostic::new(&codes::NETWORK_REFUSED, span,
                    format!("`{href}` is a `{s}` resource{via}: teikit never reads from the network; include a local file"))))
            }
            (Err(Refused::Bad(m)), _) | (_, Err(Refused::Bad(m))) => {
                Err(refuse(Diagnostic::new(&codes::RESOURCE_MISSING, span, m)))
            }
        }
    }

    /// Reads `path` (a regular file, within the size limit), once per assembly.
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, Cached> {
        let meta = std::fs::metadata(path).map_err(|e| Cached::Missing(e.to_string()))?;
        if !meta.is_file() {
            return Err(Cached::Missing("it is not a regular file".into()));
        }
        let max = self.env.limits.xinclude_size;
        if self.read.saturating_add(meta.len() as usize) > max {
            return Err(Cached::Limit);
        }
        let bytes = std::fs::read(path).map_err(|e| Cached::Missing(e.to_string()))?;
        self.read += bytes.len();
        Ok(bytes)
    }

    fn load_xml(&mut self, path: &Path) -> Result<u32, Cached> {
        let k = key(path);
        if let Some(r) = self.xml.get(&k) {
            return r.clone();
        }
        let r = self.read(path).and_then(|bytes| {
            let file = self.map.files.len() as u32;
            let (text, problem) = match crate::xml::decode(&bytes) {
                Ok(d) => (Arc::<str>::from(d.text.as_ref()), None),
                Err(d) => (
                    Arc::<str>::from(""),
                    Some(Malformed {
                        message: d.message,
                        at: 0,
                    }),
                ),
            };
            self.map
                .files
                .push(File::new(path.to_path_buf(), Arc::clone(&text)));
            let outline = match problem {
                Some(m) => Err(m),
                None => Outline::read(&text),
            };
            match outline {
                Ok(o) => {
                    self.outlines.push(Some(Arc::new(o)));
                    Ok(file)
                }
                Err(m) => {
                    self.outlines.push(None);
                    Err(Cached::Malformed(file, m))
                }
            }
        });
        self.xml.insert(k, r.clone());
        r
    }

    /// A resource failure as the diagnostics of the include `x` (at `span` of `inst`).
    fn failure(
        &mut self,
        c: Cached,
        inst: u32,
        x_start: usize,
        span: Range<usize>,
        href: &str,
        what: &str,
    ) -> ResourceError {
        match c {
            Cached::Missing(why) => vec![(
                inst,
                Diagnostic::new(
                    &codes::RESOURCE_MISSING,
                    span,
                    format!("cannot read `{href}` ({what}): {why}"),
                ),
            )],
            Cached::Encoding(why) => vec![(
                inst,
                Diagnostic::new(
                    &codes::ENCODING,
                    span,
                    format!("cannot include `{href}` as text: {why}"),
                ),
            )],
            Cached::Limit => {
                let max = self.env.limits.xinclude_size;
                self.limit(inst, span, &crate::limit::XINCLUDE_SIZE, "xinclude_size",
                    format!("reading `{href}` takes the files of this document past the xinclude_size limit of {max} bytes; the includes are not carried out"));
                Vec::new()
            }
            Cached::Malformed(file, m) => {
                let i = self.map.instances.len() as u32;
                self.map.instances.push(Instance {
                    file,
                    from: Some((inst, x_start)),
                });
                let at = m.at.min(self.map.files[file as usize].text.len());
                let d = Diagnostic::new(
                    &codes::NOT_WELL_FORMED,
                    at..at,
                    format!(
                        "`{href}`, included as XML, is not well-formed: {}",
                        m.message
                    ),
                );
                vec![(i, d)]
            }
        }
    }

    fn include_xml(
        &mut self,
        file: u32,
        inst: u32,
        x: u32,
        href: Option<&str>,
        xpointer: Option<&str>,
        span: Range<usize>,
    ) -> Result<(), ResourceError> {
        let x_start = self.outline(file).elems[x as usize].range.start;
        let (dir, target) = match href {
            None => (PathBuf::new(), file),
            Some(h) => {
                let (dir, path) = self.target(file, inst, x, h, span.clone())?;
                match self.load_xml(&path) {
                    Ok(t) => (dir, t),
                    Err(c) => {
                        return Err(self.failure(c, inst, x_start, span, h, "an XML include"))
                    }
                }
            }
        };
        let to = self.outline(target);
        let elem = match xpointer {
            None => 0,
            Some(p) => {
                let found = pointer::parse(p).and_then(|parts| pointer::resolve(&parts, &to));
                match found {
                    Ok(e) => e,
                    Err(why) => {
                        let span = self
                            .outline(file)
                            .attrs
                            .get(&(x, "xpointer"))
                            .map_or(span, |(_, r)| r.clone());
                        let d = Diagnostic::new(
                            &codes::BAD_XPOINTER,
                            span,
                            format!(
                                "xpointer=\"{p}\" identifies no element of {}: {why}",
                                self.path_of(target).display()
                            ),
                        );
                        return Err(vec![(inst, d)]);
                    }
                }
            }
        };
        let er = to.elems[elem as usize].range.clone();
        let loops = (target == file && er.contains(&x_start))
            || self
                .active
                .iter()
                .any(|&(f, p)| f == target && er.contains(&p));
        if loops {
            let mut chain: Vec<String> =
                self.active.iter().map(|&(f, p)| self.place(f, p)).collect();
            chain.push(self.place(file, x_start));
            let what = format!(
                "{}{}",
                self.path_of(target).display(),
                xpointer.map(|p| format!(" ({p})")).unwrap_or_default()
            );
            let d = Diagnostic::new(&codes::LOOP, span,
                format!("include loop: {} would include {what} again, which holds this include; nothing is included here", chain.join(" → ")));
            // a loop is fatal: no fallback
            self.diags.push((inst, d));
            return Ok(());
        }
        let fix = self.fixups(file, x, target, elem, &dir);
        let i = self.map.instances.len() as u32;
        self.map.instances.push(Instance {
            file: target,
            from: Some((inst, x_start)),
        });
        self.active.push((file, x_start));
        let name_end = to.elems[elem as usize].name_end;
        self.copy(target, i, er, Some((name_end, fix)));
        self.active.pop();
        Ok(())
    }

    /// The attributes XInclude adds to an included top element: the namespaces it inherits in
    /// its own file, `xml:base` when it comes from another folder, `xml:lang` when its
    /// language differs from the including context's.
    fn fixups(&self, file: u32, x: u32, target: u32, elem: u32, dir: &Path) -> String {
        let (from, to) = (self.outline(file), self.outline(target));
        let text = self.text_of(target);
        let names = tag_attribute_names(&text, to.elems[elem as usize].name_end);
        let mut s = String::new();
        let scope = to.scope(elem);
        for (p, u) in scope {
            let attr = match p {
                None => "xmlns".to_string(),
                Some(p) => format!("xmlns:{p}"),
            };
            if !names.contains(&attr.as_str()) {
                s.push_str(&format!(" {attr}=\"{}\"", escape_attr(u)));
            }
        }
        let has_default = |sc: &super::outline::Scope| sc.iter().any(|(p, _)| p.is_none());
        if !has_default(scope) && !names.contains(&"xmlns") && has_default(from.scope(x)) {
            s.push_str(" xmlns=\"\"");
        }
        if target != file && !names.contains(&"xml:base") {
            let abs =
                |p: &Path| href::tidy(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
            let there = href::folder_of(self.path_of(target), false);
            if abs(&there) != abs(dir) {
                s.push_str(&format!(
                    " xml:base=\"{}\"",
                    escape_attr(&href::relative(dir, self.path_of(target)))
                ));
            }
        }
        if !names.contains(&"xml:lang") {
            if let Some(l) = to.lang(elem) {
                if Some(l) != from.lang(x) {
                    s.push_str(&format!(" xml:lang=\"{}\"", escape_attr(l)));
                }
            }
        }
        s
    }

    fn include_text(
        &mut self,
        file: u32,
        inst: u32,
        x: u32,
        href: &str,
        span: Range<usize>,
    ) -> Result<(), ResourceError> {
        let x_start = self.outline(file).elems[x as usize].range.start;
        let encoding = self
            .outline(file)
            .attr(x, "encoding")
            .unwrap_or("UTF-8")
            .trim()
            .to_string();
        let (_, path) = self.target(file, inst, x, href, span.clone())?;
        let k = (key(&path), encoding.to_ascii_lowercase());
        let r = match self.text.get(&k) {
            Some(r) => r.clone(),
            None => {
                let r = self.read(&path).and_then(|bytes| {
                    let enc = encoding_rs::Encoding::for_label(encoding.as_bytes())
                        .ok_or_else(|| Cached::Encoding(format!("`{encoding}` is not an encoding teikit knows")))?;
                    let (t, used, errors) = enc.decode(&bytes);
                    if errors {
                        return Err(Cached::Encoding(format!("its bytes are not valid {}", used.name())));
                    }
                    if let Some((i, c)) = t.char_indices().find(|&(_, c)| !is_xml_char(c)) {
                        let f = File::new(path.clone(), Arc::from(&t[..i]));
                        let (l, col) = f.line_col(i);
                        return Err(Cached::Encoding(format!("it holds U+{:04X} at line {l}, column {col}, a character XML does not allow", c as u32)));
                    }
                    self.map.files.push(File::new(path.clone(), Arc::from(t.as_ref())));
                    self.outlines.push(None);
                    Ok(self.map.files.len() as u32 - 1)
                });
                self.text.insert(k, r.clone());
                r
            }
        };
        let f = match r {
            Ok(f) => f,
            Err(c) => return Err(self.failure(c, inst, x_start, span, href, "a text include")),
        };
        let i = self.map.instances.len() as u32;
        self.map.instances.push(Instance {
            file: f,
            from: Some((inst, x_start)),
        });
        let text = self.text_of(f);
        let mut run = 0;
        for (at, c) in text.char_indices() {
            let esc = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\r' => "&#13;",
                _ => continue,
            };
            self.emit(i, &text, run..at);
            self.written(i, at, esc);
            run = at + 1;
        }
        self.emit(i, &text, run..text.len());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn run(dir: &Path, main: &str) -> Assembly {
        let limits = Limits::default();
        let path = dir.join("main.xml");
        let env = Env {
            path: &path,
            allowed: &|_| true,
            limits: &limits,
        };
        assemble(main, &env).expect("assembled")
    }

    const XI: &str = r#"xmlns:xi="http://www.w3.org/2001/XInclude""#;

    #[test]
    fn fixups_as_the_spec_and_xmllint_make_them() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "sub/a.xml",
            r#"<x:r xmlns:x="u"><x:c xml:lang="de"/></x:r>"#,
        );
        write(d, "b.xml", r#"<r xml:lang="fr"/>"#);
        write(d, "c.xml", r#"<r xml:lang="en"/>"#);
        let main = format!(
            r#"<doc xmlns="t" {XI} xml:lang="en"><xi:include href="sub/a.xml" xpointer="element(/1/1)"/><xi:include href="b.xml"/><xi:include href="c.xml"/></doc>"#
        );
        let a = run(d, &main);
        assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
        assert_eq!(
            a.text,
            format!(
                r#"<doc xmlns="t" {XI} xml:lang="en"><x:c xmlns:x="u" xmlns="" xml:base="sub/a.xml" xml:lang="de"/><r xmlns="" xml:lang="fr"/><r xmlns="" xml:lang="en"/></doc>"#
            )
        );
    }

    #[test]
    fn text_is_escaped_and_maps_back_character_by_character() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "t.txt", "a<b\n&c");
        let main = format!(r#"<p {XI}><xi:include href="t.txt" parse="text"/></p>"#);
        let a = run(dir.path(), &main);
        assert!(a.text.contains(">a&lt;b\n&amp;c</p>"), "{}", a.text);
        let at = a.text.find("&amp;").unwrap();
        let (i, off) = a.map.lookup(at + 2);
        let f = &a.map.files[a.map.instances[i as usize].file as usize];
        assert!(f.path.ends_with("t.txt"));
        assert_eq!(f.line_col(off), (2, 1));
        let (_, off) = a.map.lookup(a.text.rfind('c').unwrap());
        assert_eq!(f.line_col(off), (2, 2));
    }

    #[test]
    fn each_file_is_read_once_and_repeats_are_not_loops() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "p.xml", "<p/>");
        let inc = r#"<xi:include href="p.xml"/>"#.repeat(50);
        let main = format!("<d {XI}>{inc}</d>");
        let a = run(dir.path(), &main);
        assert!(a.diagnostics.is_empty());
        assert_eq!(a.text.matches("<p/>").count(), 50);
        // the document and p.xml, each once
        assert_eq!(a.map.files.len(), 2);
    }

    #[test]
    fn a_self_including_document_is_a_loop_but_a_sibling_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let main = format!(
            r#"<d {XI}><p xml:id="a">x</p><xi:include href="" xpointer="a"/><xi:include href="" xpointer="element(/1)"/></d>"#
        );
        let a = run(dir.path(), &main);
        assert_eq!(a.diagnostics.len(), 1, "{:?}", a.diagnostics);
        assert_eq!(a.diagnostics[0].code.id, "tei::xinclude::loop");
        // the copy declares the namespaces it inherits, as every included top element does
        let twice = format!(r#"<p xml:id="a">x</p><p {XI} xml:id="a">x</p>"#);
        assert!(a.text.contains(&twice), "{}", a.text);
    }

    #[test]
    fn exponential_includes_stop_at_the_count_limit() {
        let dir = tempfile::tempdir().unwrap();
        // each level includes the next twice: 2^30 includes without a limit
        for i in 0..30 {
            let inc = format!(r#"<xi:include href="l{}.xml"/>"#, i + 1).repeat(2);
            write(
                dir.path(),
                &format!("l{i}.xml"),
                &format!("<d {XI}>{inc}</d>"),
            );
        }
        write(dir.path(), "l30.xml", "<e/>");
        let main = format!(r#"<d {XI}><xi:include href="l0.xml"/></d>"#);
        let a = run(dir.path(), &main);
        assert!(a.fatal);
        assert!(a
            .diagnostics
            .iter()
            .any(|d| d.code.id == "tei::limit::xinclude_count"
                || d.code.id == "tei::limit::xinclude_size"));
    }
}
