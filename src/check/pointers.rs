//! Pointer resolution: `#id` in the file or the registers, `prefix:value` through
//! `prefixDef`, `other.xml#id` in another file (settled by [`super::crossfile`]), http(s)
//! URIs by syntax only (offline).
//!
//! An attribute is a pointer when the schema types it `anyURI` (TEI `data.pointer`), asked
//! through [`super::AttributeTypes`]. Values are split at whitespace (TEI pointer lists).
//! Bare relative references (`L02641`, `pmb151`, `image.jpg`) name files or resources outside
//! the document and are not checked, except `*.xml` files, which must exist.

use super::ids::Ids;
use super::path::{PathId, PathTracker};
use super::suggest::{self, NameIndex, Suggester};
use super::CheckEnv;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limit::Bounded;
use crate::xml::StartTag;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

/// `tei::xref::dangling_ref`
pub static DANGLING_REF: Code = Code {
    id: "tei::xref::dangling_ref",
    severity: Severity::Error,
    summary: "A pointer names an id that exists neither in the file nor in the registers",
    explanation:
        "A pointer `#id` (in `@ref`, `@target`, `@corresp`… any attribute the schema types \
`anyURI`) must name an `xml:id` of the same file, or of a register file given with \
`--registers` or in `teikit.toml`. `other.xml#id` must name an id of that file. The help shows \
the nearest existing id. Fix the pointer, add the missing entry to the register, or name the \
register file.",
};

/// `tei::xref::dangling_file_ref`
pub static DANGLING_FILE_REF: Code = Code {
    id: "tei::xref::dangling_file_ref",
    severity: Severity::Error,
    summary: "A pointer names an XML file that does not exist",
    explanation:
        "A relative pointer such as `letters/L0002.xml` or `L0002.xml#p3` resolves against \
the folder of the file that contains it. No such file exists there. Fix the path, or add the file.",
};

/// `tei::xref::undeclared_prefix`
pub static UNDECLARED_PREFIX: Code = Code {
    id: "tei::xref::undeclared_prefix",
    severity: Severity::Error,
    summary: "A pointer uses a prefix that no prefixDef declares and that is no URI scheme",
    explanation:
        "A pointer `prefix:value` is either a URI with a known scheme (`https:`, `mailto:`, \
`urn:`…) or a private URI expanded through a `<prefixDef ident=\"prefix\">` in the header's \
`listPrefixDef`. This prefix is neither. Declare it with `prefixDef` (`@ident`, `@matchPattern`, \
`@replacementPattern`) or write the full URI.",
};

/// `tei::xref::prefix_no_match`
pub static PREFIX_NO_MATCH: Code = Code {
    id: "tei::xref::prefix_no_match",
    severity: Severity::Error,
    summary: "A prefixed pointer does not match the matchPattern of its prefixDef",
    explanation:
        "The prefix is declared by `prefixDef`, but no declaration's `@matchPattern` matches \
the part after the colon, so the pointer cannot be expanded. Fix the value or the pattern.",
};

/// `tei::xref::bad_prefix_def`
pub static BAD_PREFIX_DEF: Code = Code {
    id: "tei::xref::bad_prefix_def",
    severity: Severity::Error,
    summary:
        "A prefixDef lacks @ident or @matchPattern, or its pattern is not a regular expression",
    explanation: "`prefixDef` needs `@ident` (the prefix), `@matchPattern` (a regular expression \
matched against the whole part after the colon) and usually `@replacementPattern` (with `$1`… for \
the groups).",
};

/// `tei::xref::malformed_uri`
pub static MALFORMED_URI: Code = Code {
    id: "tei::xref::malformed_uri",
    severity: Severity::Error,
    summary: "An http(s) URI is not well formed",
    explanation:
        "http and https URIs are checked offline, for syntax only: `scheme://host[:port]` \
followed by a path, query or fragment without spaces. The host must not be empty; a port is \
digits.",
};

/// URI schemes a pointer may use without a `prefixDef` (IANA-registered, common in editions).
pub const KNOWN_SCHEMES: &[&str] = &[
    "http",
    "https",
    "ftp",
    "ftps",
    "sftp",
    "file",
    "mailto",
    "urn",
    "data",
    "tel",
    "info",
    "tag",
    "geo",
    "doi",
    "ark",
    "news",
    "ldap",
    "xmpp",
    "sip",
    "irc",
    "ssh",
    "git",
    "svn",
    "about",
    "javascript",
    "isbn",
    "issn",
];

/// A pointer into another file, settled once every file is read.
#[derive(Debug, Clone)]
pub struct ExternalRef {
    /// The target file (resolved against the pointing file's folder).
    pub file: PathBuf,
    /// The id after `#` (`None`: the file itself).
    pub fragment: Option<String>,
    /// The pointer as written.
    pub raw: String,
    /// Byte range of the attribute value.
    pub span: Range<usize>,
    /// Element path of the pointing element.
    pub path: String,
}

/// One distinct (attribute, pointer) of the file: where it is first used, and how often.
#[derive(Debug)]
struct Pending {
    token: Box<str>,
    attr: Box<str>,
    span: Range<usize>,
    path: PathId,
    /// Uses in the file, the first included.
    uses: u32,
    /// The value spans of the next few uses (labels of its diagnostic).
    again: Vec<Range<usize>>,
}

/// Repeated uses of one pointer shown as labels.
const MAX_REPEAT_LABELS: usize = 3;

#[derive(Debug)]
struct PrefixDef {
    ident: String,
    pattern: Option<regex::Regex>,
    replacement: String,
}

/// Collects pointers and `prefixDef`s; resolves at the end.
#[derive(Debug, Default)]
pub struct Pointers {
    /// The distinct (attribute, pointer)s, in order of first use.
    pending: Vec<Pending>,
    /// `pending` by pointer (then compared by attribute: usually one).
    by_token: HashMap<Box<str>, Vec<u32>>,
    prefixes: Vec<PrefixDef>,
    pub(super) diagnostics: Bounded,
}

impl Pointers {
    pub(crate) fn start(&mut self, tag: &StartTag<'_>, path: &PathTracker, env: &CheckEnv<'_>) {
        if super::tei_el(tag.ns, tag.local, "prefixDef") {
            self.prefix_def(tag, path);
        }
        for a in tag.attributes {
            if a.ns == super::XML_NS {
                continue; // xml:base is a base, not a link; xml:id an id
            }
            if env.types.kind(tag.ns, tag.local, a.ns, a.local) != super::AttrKind::Pointer {
                continue;
            }
            for token in a.value.split_ascii_whitespace() {
                self.add(token, a.qname, &a.value_span, path);
            }
        }
    }

    /// One use of a pointer: a new entry the first time, else counted (memory grows with the
    /// distinct pointers of a file, not with their uses).
    fn add(&mut self, token: &str, attr: &str, span: &Range<usize>, path: &PathTracker) {
        let pending = &mut self.pending;
        if let Some(ids) = self.by_token.get(token) {
            if let Some(p) = ids
                .iter()
                .map(|&i| i as usize)
                .find(|&i| &*pending[i].attr == attr)
                .and_then(|i| pending.get_mut(i))
            {
                p.uses = p.uses.saturating_add(1);
                if p.again.len() < MAX_REPEAT_LABELS {
                    p.again.push(span.clone());
                }
                return;
            }
        }
        self.by_token
            .entry(token.into())
            .or_default()
            .push(pending.len() as u32);
        pending.push(Pending {
            token: token.into(),
            attr: attr.into(),
            span: span.clone(),
            path: path.mark(),
            uses: 1,
            again: Vec::new(),
        });
    }

    fn prefix_def(&mut self, tag: &StartTag<'_>, path: &PathTracker) {
        let ident = super::attr(tag, "ident").map(|a| a.value.trim().to_string());
        let matcher = super::attr(tag, "matchPattern");
        let replacement = super::attr(tag, "replacementPattern")
            .map(|a| a.value.to_string())
            .unwrap_or_default();
        let (Some(ident), Some(matcher)) = (ident, matcher) else {
            self.diagnostics.push(
                Diagnostic::new(
                    &BAD_PREFIX_DEF,
                    tag.span.clone(),
                    "prefixDef without @ident or @matchPattern: it can expand nothing",
                )
                .with_help("add @ident=\"prefix\" and @matchPattern=\"([a-z]+)\"")
                .with_path(path.current()),
            );
            return;
        };
        let pattern = match regex::Regex::new(&format!("^(?:{})$", matcher.value)) {
            Ok(r) => Some(r),
            Err(e) => {
                let first = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("invalid")
                    .trim()
                    .to_string();
                self.diagnostics.push(
                    Diagnostic::new(
                        &BAD_PREFIX_DEF,
                        matcher.value_span.clone(),
                        format!(
                            "matchPattern `{}` is not a regular expression: {first}",
                            matcher.value
                        ),
                    )
                    .with_path(path.current()),
                );
                None
            }
        };
        // `$1` → `${1}` so that `$1a` means group 1 followed by `a`, as in XPath replace()
        let replacement = regex::Regex::new(r"\$(\d+)")
            .map(|r| r.replace_all(&replacement, "$${$1}").into_owned())
            .unwrap_or(replacement);
        self.prefixes.push(PrefixDef {
            ident,
            pattern,
            replacement,
        });
    }

    /// Resolves what the file and the registers can resolve; returns the pointers into other
    /// files and the diagnostics.
    pub(crate) fn finish(
        self,
        ids: &Ids,
        env: &CheckEnv<'_>,
        paths: &PathTracker,
    ) -> (Vec<ExternalRef>, Bounded) {
        let mut external = Vec::new();
        let mut diags = self.diagnostics;
        let mut found = Vec::new();
        let mut prefixes: HashMap<&str, Vec<&PrefixDef>> = HashMap::new();
        for d in &self.prefixes {
            prefixes.entry(d.ident.as_str()).or_default().push(d);
        }
        let file_ids = OnceCell::new();
        let prefix_names = OnceCell::new();
        let site = Site {
            prefixes: &prefixes,
            ids,
            env,
            paths,
            file_ids: &file_ids,
            prefix_names: &prefix_names,
            suggest: RefCell::new(None),
        };
        // one diagnostic per distinct (attribute, pointer): later uses become labels
        for p in &self.pending {
            resolve(&p.token, p, &site, &mut external, &mut found, 0);
            if p.uses < 2 {
                diags.extend(found.drain(..));
                continue;
            }
            for d in &mut found {
                d.message
                    .push_str(&format!(" ({} uses in this file)", p.uses));
                for r in &p.again {
                    d.labels.push(crate::diagnostic::Label {
                        span: r.clone(),
                        message: "used again here".into(),
                    });
                }
            }
            diags.extend(found.drain(..));
        }
        (external, diags)
    }
}

/// What pointers resolve against.
struct Site<'a> {
    /// The prefixDefs by ident.
    prefixes: &'a HashMap<&'a str, Vec<&'a PrefixDef>>,
    ids: &'a Ids,
    env: &'a CheckEnv<'a>,
    paths: &'a PathTracker,
    /// The file's ids and the declared prefixes, indexed for did-you-mean when first needed.
    file_ids: &'a OnceCell<NameIndex>,
    prefix_names: &'a OnceCell<NameIndex>,
    /// Did-you-mean over the file's ids, the registers' ids and the prefixes.
    suggest: RefCell<Option<[Suggester<'a>; 3]>>,
}

impl<'a> Site<'a> {
    fn suggesters(&self) -> std::cell::RefMut<'_, [Suggester<'a>; 3]> {
        std::cell::RefMut::map(self.suggest.borrow_mut(), |s| {
            s.get_or_insert_with(|| {
                let ids = self.ids;
                let file = self.file_ids.get_or_init(|| {
                    let mut names: Vec<&str> = ids.names().collect();
                    names.sort_unstable();
                    NameIndex::new(names)
                });
                let prefixes = self.prefix_names.get_or_init(|| {
                    let mut names: Vec<&str> = self.prefixes.keys().copied().collect();
                    names.sort_unstable();
                    NameIndex::new(names)
                });
                [
                    Suggester::new(file),
                    Suggester::new(self.env.registers.name_index()),
                    Suggester::new(prefixes),
                ]
            })
        })
    }

    /// The id nearest to `frag` among the file's and the registers' ids.
    fn nearest_id(&self, frag: &str) -> Option<&'a str> {
        let mut s = self.suggesters();
        let [file, registers, _] = &mut *s;
        suggest::better(file.suggest(frag), registers.suggest(frag)).map(|b| b.0)
    }

    /// The declared prefix nearest to `scheme`.
    fn nearest_prefix(&self, scheme: &str) -> Option<&'a str> {
        let mut s = self.suggesters();
        s[2].suggest(scheme).map(|b| b.0)
    }
}

fn resolve(
    token: &str,
    p: &Pending,
    site: &Site<'_>,
    external: &mut Vec<ExternalRef>,
    diags: &mut Vec<Diagnostic>,
    depth: u8,
) {
    let Site {
        prefixes,
        ids,
        env,
        paths,
        ..
    } = site;
    let via = if depth > 0 {
        format!(" (expanded from `{}`)", p.token)
    } else {
        String::new()
    };
    if let Some(frag) = token.strip_prefix('#') {
        if frag.is_empty() || frag.contains('(') {
            return; // XPointer schemes are not ids
        }
        if ids.get(frag).is_some() || env.registers.contains_id(frag) {
            return;
        }
        let mut d = Diagnostic::new(
            &DANGLING_REF,
            p.span.clone(),
            format!(
                "@{} points to `#{frag}`{via}, but no element has xml:id `{frag}`",
                p.attr
            ),
        )
        .with_path(paths.path_of(p.path));
        d = match site.nearest_id(frag) {
            Some(b) => d.with_help(format!("did you mean `#{b}`?")),
            None if env.registers.is_empty() => {
                d.with_help("if the id lives in a register file, name it with --registers")
            }
            None => d,
        };
        diags.push(d);
        return;
    }
    if let Some((scheme, rest)) = split_scheme(token) {
        let declared: &[&PrefixDef] = prefixes.get(scheme).map_or(&[], Vec::as_slice);
        if !declared.is_empty() && depth == 0 {
            for d in declared {
                if let Some(re) = &d.pattern {
                    if re.is_match(rest) {
                        let expanded = re.replace(rest, d.replacement.as_str()).into_owned();
                        resolve(&expanded, p, site, external, diags, depth + 1);
                        return;
                    }
                }
            }
            if declared.iter().all(|d| d.pattern.is_some()) {
                diags.push(
                    Diagnostic::new(&PREFIX_NO_MATCH, p.span.clone(), format!("`{token}`: prefix `{scheme}` is declared, but `{rest}` matches no matchPattern of its prefixDef"))
                        .with_path(paths.path_of(p.path)),
                );
            }
            return;
        }
        let lower = scheme.to_ascii_lowercase();
        if lower == "http" || lower == "https" {
            if let Some(why) = http_syntax_error(token) {
                diags.push(
                    Diagnostic::new(
                        &MALFORMED_URI,
                        p.span.clone(),
                        format!(
                            "@{}: `{token}`{via} is not a well-formed {lower} URI: {why}",
                            p.attr
                        ),
                    )
                    .with_path(paths.path_of(p.path)),
                );
            }
            return;
        }
        if KNOWN_SCHEMES.contains(&lower.as_str()) || depth > 0 {
            return;
        }
        let mut d = Diagnostic::new(&UNDECLARED_PREFIX, p.span.clone(), format!("@{}: prefix `{scheme}:` in `{token}` is declared by no prefixDef and is no known URI scheme", p.attr))
            .with_path(paths.path_of(p.path));
        d = match site.nearest_prefix(scheme) {
            Some(b) => d.with_help(format!("did you mean the declared prefix `{b}:`?")),
            None => d.with_help(format!("declare it: <prefixDef ident=\"{scheme}\" matchPattern=\"(.+)\" replacementPattern=\"https://…/$1\"/>")),
        };
        diags.push(d);
        return;
    }
    // relative reference: `file.xml#id`, `file.xml`, or something outside XML (not checked)
    let (file, frag) = match token.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (token, None),
    };
    let file = file.split('?').next().unwrap_or(file);
    if file.is_empty() || !file.to_ascii_lowercase().ends_with(".xml") {
        return;
    }
    let base = env.path.parent().unwrap_or(std::path::Path::new(""));
    external.push(ExternalRef {
        file: base.join(file),
        fragment: frag
            .filter(|f| !f.is_empty() && !f.contains('('))
            .map(str::to_string),
        raw: token.to_string(),
        span: p.span.clone(),
        path: paths.path_of(p.path),
    });
}

/// `scheme:rest` when `token` starts with a URI scheme (letters, digits, `+.-`).
fn split_scheme(token: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = token.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    {
        return None;
    }
    Some((scheme, rest))
}

/// Why an http(s) URI is malformed, if it is.
pub fn http_syntax_error(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once(':')?;
    let Some(rest) = rest.strip_prefix("//") else {
        return Some("expected `//` after the scheme".into());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(stripped) = hostport.strip_prefix('[') {
        match stripped.split_once(']') {
            Some((h, p)) => (h, p.strip_prefix(':')),
            None => return Some("unclosed `[` in the host".into()),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Some("the host is empty".into());
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '%' | '~' | ':')))
    {
        return Some(format!("the host contains `{c}`"));
    }
    if let Some(p) = port {
        if !p.is_empty() && !p.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!("the port `{p}` is not a number"));
        }
    }
    if let Some(c) = uri
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
    {
        return Some(format!("it contains `{}`", c.escape_default()));
    }
    let mut bytes = uri.bytes().enumerate();
    while let Some((i, b)) = bytes.next() {
        if b == b'%' {
            let ok = uri
                .as_bytes()
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return Some("a `%` is not followed by two hex digits".into());
            }
            bytes.next();
            bytes.next();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_syntax() {
        assert_eq!(http_syntax_error("https://example.org/a?b=c#d"), None);
        assert_eq!(http_syntax_error("http://d-nb.info/gnd/118607626"), None);
        assert_eq!(http_syntax_error("http://[::1]:8080/x"), None);
        assert!(http_syntax_error("http:/example.org").is_some());
        assert!(http_syntax_error("https:///path").is_some());
        assert!(http_syntax_error("https://exa mple.org").is_some());
        assert!(http_syntax_error("https://example.org:80a/").is_some());
        assert!(http_syntax_error("https://example.org/%zz").is_some());
    }

    #[test]
    fn schemes() {
        assert_eq!(split_scheme("pmb:123"), Some(("pmb", "123")));
        assert_eq!(split_scheme("#x"), None);
        assert_eq!(split_scheme("a/b:c"), None);
    }
}
