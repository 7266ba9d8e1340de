//! What the server knows of one file without keeping its text: its `xml:id`s (with the name of
//! the person or place they identify), its pointers, its `prefixDef`s, its outline, and the
//! facts the cross-file checks need. Built in one pass of the XML reader.

use super::position::LineMap;
use crate::check::{self, AttrKind, AttributeTypes, CheckEnv, FileChecks, FileFacts, Registers};
use crate::xml::{EndTag, Handler, StartTag};
use lsp_types::{Range, SymbolKind};
use std::collections::HashMap;
use std::path::Path;

/// One `xml:id`.
#[derive(Debug, Clone)]
pub struct IdDef {
    /// The id.
    pub id: String,
    /// The element's name as written (`person`).
    pub element: String,
    /// The name it stands for: the text of its `persName`, `placeName`, `orgName`, `title`…
    /// child (or its own, for such an element), whitespace collapsed.
    pub label: Option<String>,
    /// Byte range of the attribute value.
    pub span: std::ops::Range<usize>,
    /// The same as an LSP range.
    pub range: Range,
}

/// One pointer (one token of a pointer attribute's value).
#[derive(Debug, Clone)]
pub struct PointerUse {
    /// The attribute's name as written (`ref`).
    pub attr: String,
    /// The pointer as written (`#somerville`, `pmb:12`, `people.xml#p1`).
    pub token: String,
    /// Byte range of the token.
    pub span: std::ops::Range<usize>,
    /// The same as an LSP range.
    pub range: Range,
}

/// One `prefixDef` of the file.
#[derive(Debug, Clone)]
pub struct PrefixDef {
    /// The prefix (`@ident`).
    pub ident: String,
    /// `@matchPattern`, anchored.
    pub pattern: regex::Regex,
    /// `@replacementPattern`, `$1` written `${1}`.
    pub replacement: String,
}

impl PrefixDef {
    /// `ident:rest` expanded, when `rest` matches.
    pub fn expand(&self, rest: &str) -> Option<String> {
        self.pattern.is_match(rest).then(|| {
            self.pattern
                .replace(rest, self.replacement.as_str())
                .into_owned()
        })
    }

    /// The short form `ident:rest` whose expansion is `target`, if there is one (the
    /// replacement read backwards, then checked forwards).
    pub fn shorten(&self, target: &str) -> Option<String> {
        let mut re = String::from("^");
        let mut groups = Vec::new();
        let mut rest = self.replacement.as_str();
        while let Some(i) = rest.find("${") {
            re.push_str(&regex::escape(&rest[..i]));
            let close = rest[i..].find('}')? + i;
            groups.push(rest[i + 2..close].parse::<usize>().ok()?);
            re.push_str("(.+?)");
            rest = &rest[close + 1..];
        }
        re.push_str(&regex::escape(rest));
        re.push('$');
        // one group read back is the whole short form (the usual `(.+)` → `…$1`)
        if groups.len() != 1 {
            return None;
        }
        let caps = regex::Regex::new(&re).ok()?.captures(target)?;
        let value = caps.get(1)?.as_str();
        (self.expand(value).as_deref() == Some(target)).then(|| format!("{}:{value}", self.ident))
    }
}

/// One entry of the outline.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// What the editor shows.
    pub name: String,
    /// Beside it (a date, a heading).
    pub detail: Option<String>,
    /// Its kind.
    pub kind: SymbolKind,
    /// The whole element.
    pub range: Range,
    /// Its start tag.
    pub selection: Range,
    /// Nested entries.
    pub children: Vec<Symbol>,
}

/// Everything indexed of one file.
#[derive(Debug, Default)]
pub struct FileIndex {
    /// The ids, in document order.
    pub ids: Vec<IdDef>,
    by_id: HashMap<String, usize>,
    /// The pointers, in document order.
    pub pointers: Vec<PointerUse>,
    /// The `prefixDef`s.
    pub prefixes: Vec<PrefixDef>,
    /// The outline.
    pub symbols: Vec<Symbol>,
    /// What the cross-file checks need (no diagnostics, no pointers into other files: those
    /// are the pointing file's).
    pub facts: FileFacts,
    /// Whether the reader got to the end (a file that is not well-formed is indexed up to its
    /// first error).
    pub complete: bool,
}

impl FileIndex {
    /// Indexes `text` as the file at `path`.
    pub fn build(
        text: &str,
        path: &Path,
        registers: &Registers,
        limits: &crate::limit::Limits,
    ) -> FileIndex {
        let lines = LineMap::new(text);
        let types = check::TeiPointerAttributes;
        let env = CheckEnv {
            path,
            types: &types,
            registers,
        };
        let mut checks = FileChecks::new(&env);
        let mut ix = Indexer {
            text,
            lines: &lines,
            out: FileIndex::default(),
            stack: Vec::new(),
            capture: None,
        };
        let diags = {
            let mut tee = crate::xml::Tee::new(vec![&mut ix, &mut checks]);
            crate::xml::parse(text, &mut tee, &crate::xml::ParseOptions::from(limits))
        };
        let well_formed = !diags
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error);
        let mut facts = if well_formed {
            checks.finish()
        } else {
            FileFacts::default()
        };
        facts.diagnostics.clear();
        facts.external.clear();
        if !well_formed {
            facts.ids = ix.out.ids.iter().map(|d| d.id.clone()).collect();
        }
        let mut out = ix.out;
        // elements still open at an error close where the reading stopped
        while let Some(f) = ix.stack.pop() {
            if let Some(mut s) = f.symbol {
                s.range.end = lines.position(text, text.len());
                attach(&mut ix.stack, &mut out.symbols, s);
            }
        }
        out.facts = facts;
        out.complete = well_formed;
        out.by_id = out
            .ids
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        out
    }

    /// The definition of an id (the first, if the id is defined twice).
    pub fn id(&self, id: &str) -> Option<&IdDef> {
        self.by_id.get(id).and_then(|&i| self.ids.get(i))
    }

    /// Expands a prefixed pointer (`pmb:12`) through the file's `prefixDef`s.
    pub fn expand(&self, token: &str) -> Option<String> {
        let (scheme, rest) = token.split_once(':')?;
        self.prefixes
            .iter()
            .filter(|p| p.ident == scheme)
            .find_map(|p| p.expand(rest))
    }
}

/// An element being read.
struct Frame {
    /// The index of its id, when it has one and no label yet.
    pending_label: Option<usize>,
    symbol: Option<Symbol>,
}

/// Elements whose text names what their parent (or they) identify.
fn is_name_element(local: &str) -> bool {
    matches!(
        local,
        "persName"
            | "placeName"
            | "orgName"
            | "name"
            | "title"
            | "label"
            | "term"
            | "head"
            | "settlement"
            | "geogName"
    )
}

struct Indexer<'a> {
    text: &'a str,
    lines: &'a LineMap,
    out: FileIndex,
    stack: Vec<Frame>,
    /// (depth of the name element, ids to label, text so far)
    capture: Option<(usize, Vec<usize>, String)>,
}

/// Longest label kept, in characters.
const MAX_LABEL: usize = 120;

fn collapse(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = words.join(" ");
    if let Some((i, _)) = out.char_indices().nth(MAX_LABEL) {
        out.truncate(i);
        out.push('…');
    }
    out
}

fn attach(stack: &mut [Frame], roots: &mut Vec<Symbol>, s: Symbol) {
    match stack.iter_mut().rev().find_map(|f| f.symbol.as_mut()) {
        Some(parent) => parent.children.push(s),
        None => roots.push(s),
    }
}

/// The outline entry of an element, if it is one the outline shows.
fn symbol_for(tag: &StartTag<'_>) -> Option<(String, SymbolKind)> {
    if !check::is_tei(tag.ns) {
        return None;
    }
    let attr = |n: &str| check::attr(tag, n).map(|a| a.value.trim().to_string());
    let id = check::xml_id(tag).map(|a| format!(" #{}", a.value.trim()));
    let kind = match tag.local {
        "TEI" | "teiCorpus" => SymbolKind::FILE,
        "teiHeader" | "text" | "front" | "body" | "back" | "group" => SymbolKind::MODULE,
        "correspDesc" => SymbolKind::EVENT,
        "correspAction" => SymbolKind::FIELD,
        "div" | "div1" | "div2" | "div3" | "opener" | "closer" | "postscript" => {
            SymbolKind::NAMESPACE
        }
        "listPerson" | "listPlace" | "listOrg" | "listBibl" => SymbolKind::ARRAY,
        "person" | "place" | "org" => SymbolKind::OBJECT,
        _ => return None,
    };
    let mut name = tag.qname.to_string();
    match tag.local {
        "div" | "div1" | "div2" | "div3" | "correspAction" => {
            if let Some(t) = attr("type") {
                name.push_str(&format!(" ({t})"));
            }
        }
        _ => {}
    }
    if let Some(id) = id {
        name.push_str(&id);
    }
    Some((name, kind))
}

impl Handler for Indexer<'_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        let depth = self.stack.len();
        let mut pending_label = None;
        if let Some(a) = check::xml_id(tag) {
            let i = self.out.ids.len();
            self.out.ids.push(IdDef {
                id: a.value.trim().to_string(),
                element: tag.qname.to_string(),
                label: None,
                span: a.value_span.clone(),
                range: self.lines.range(self.text, a.value_span.clone()),
            });
            pending_label = Some(i);
        }
        for a in tag.attributes {
            if a.ns == check::XML_NS
                || check::TeiPointerAttributes.kind(tag.ns, tag.local, a.ns, a.local)
                    != AttrKind::Pointer
            {
                continue;
            }
            let raw = self.text.get(a.value_span.clone()).unwrap_or(a.value);
            let mut at = 0;
            for token in raw.split_ascii_whitespace() {
                let off = raw[at..].find(token).map_or(at, |o| at + o);
                at = off + token.len();
                let span = a.value_span.start + off..a.value_span.start + at;
                self.out.pointers.push(PointerUse {
                    attr: a.qname.to_string(),
                    token: token.to_string(),
                    range: self.lines.range(self.text, span.clone()),
                    span,
                });
            }
        }
        if check::tei_el(tag.ns, tag.local, "prefixDef") {
            let ident = check::attr(tag, "ident").map(|a| a.value.trim().to_string());
            let pattern = check::attr(tag, "matchPattern")
                .and_then(|a| regex::Regex::new(&format!("^(?:{})$", a.value)).ok());
            if let (Some(ident), Some(pattern)) = (ident, pattern) {
                let replacement = check::attr(tag, "replacementPattern").map_or("", |a| a.value);
                let replacement = regex::Regex::new(r"\$(\d+)")
                    .map(|r| r.replace_all(replacement, "$${$1}").into_owned())
                    .unwrap_or_default();
                self.out.prefixes.push(PrefixDef {
                    ident,
                    pattern,
                    replacement,
                });
            }
        }
        if self.capture.is_none() && is_name_element(tag.local) {
            let mut who: Vec<usize> = pending_label.into_iter().collect();
            if let Some(p) = self.stack.last().and_then(|f| f.pending_label) {
                who.push(p);
            }
            // the name or heading is also the detail of the outline entry it is a child of
            let detail_wanted = self
                .stack
                .last()
                .and_then(|f| f.symbol.as_ref())
                .is_some_and(|s| s.detail.is_none());
            if !who.is_empty() || detail_wanted {
                self.capture = Some((depth, who, String::new()));
            }
        }
        let symbol = symbol_for(tag).map(|(name, kind)| {
            let range = self.lines.range(self.text, tag.span.clone());
            Symbol {
                name,
                detail: None,
                kind,
                range,
                selection: range,
                children: Vec::new(),
            }
        });
        self.stack.push(Frame {
            pending_label,
            symbol,
        });
    }

    fn end_element(&mut self, tag: &EndTag<'_>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let depth = self.stack.len();
        if self.capture.as_ref().is_some_and(|c| c.0 == depth) {
            if let Some((_, who, text)) = self.capture.take() {
                let label = collapse(&text);
                if !label.is_empty() {
                    for i in who {
                        if let Some(d) = self.out.ids.get_mut(i) {
                            d.label.get_or_insert_with(|| label.clone());
                        }
                    }
                    if let Some(s) = self.stack.last_mut().and_then(|f| f.symbol.as_mut()) {
                        s.detail.get_or_insert(label);
                    }
                }
            }
        }
        if let Some(mut s) = frame.symbol {
            s.range.end = self.lines.position(self.text, tag.span.end);
            attach(&mut self.stack, &mut self.out.symbols, s);
        }
    }

    fn text(&mut self, text: &str, _span: std::ops::Range<usize>) {
        if let Some((_, _, buf)) = self.capture.as_mut() {
            if buf.len() < 4 * MAX_LABEL {
                buf.push(' ');
                buf.push_str(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><listPrefixDef>
<prefixDef ident="p" matchPattern="([a-z]+)" replacementPattern="#$1"/></listPrefixDef></encodingDesc>
<profileDesc><correspDesc xml:id="c1"><correspAction type="sent"><persName ref="#lovelace p:babbage">Lovelace</persName></correspAction></correspDesc>
<particDesc><listPerson><person xml:id="lovelace"><persName>Ada <surname>Lovelace</surname></persName></person>
<person xml:id="babbage"><persName>Charles Babbage</persName></person></listPerson></particDesc></profileDesc></teiHeader>
<text><body><div type="letter"><head>To the Congress</head><p/></div></body></text></TEI>"##;

    #[test]
    fn ids_labels_pointers_outline() {
        let ix = FileIndex::build(
            DOC,
            Path::new("a.xml"),
            &Registers::new(),
            &Default::default(),
        );
        assert!(ix.complete);
        assert_eq!(
            ix.id("lovelace").unwrap().label.as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(
            ix.id("babbage").unwrap().label.as_deref(),
            Some("Charles Babbage")
        );
        let toks: Vec<&str> = ix.pointers.iter().map(|p| p.token.as_str()).collect();
        assert_eq!(toks, ["#lovelace", "p:babbage"]);
        assert_eq!(&DOC[ix.pointers[1].span.clone()], "p:babbage");
        assert_eq!(ix.expand("p:babbage").as_deref(), Some("#babbage"));
        assert_eq!(
            ix.prefixes[0].shorten("#lovelace").as_deref(),
            Some("p:lovelace")
        );
        assert_eq!(ix.prefixes[0].shorten("other.xml#lovelace"), None);
        let root = &ix.symbols[0];
        assert_eq!(root.name, "TEI");
        let body = &root.children[1].children[0];
        assert_eq!(body.children[0].name, "div (letter)");
        assert_eq!(body.children[0].detail.as_deref(), Some("To the Congress"));
        assert!(ix.facts.ids.contains("c1"));
    }

    #[test]
    fn a_broken_file_is_indexed_up_to_its_error() {
        let ix = FileIndex::build(
            "<TEI xml:id=\"a\"><p xml:id=\"b\">",
            Path::new("b.xml"),
            &Registers::new(),
            &Default::default(),
        );
        assert!(!ix.complete);
        assert!(ix.id("b").is_some());
        assert!(ix.facts.ids.contains("a"));
    }
}
