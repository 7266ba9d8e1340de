//! Personographies and place registers: `person`, `personGrp`, `org` and `place` elements with
//! their authority identifiers, from the letter itself and from register files, plus the
//! `prefixDef`s that expand `prefix:value` pointers.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use regex::Regex;

use super::authority::{classify_idno, classify_url, Authority, AuthorityUri};
use super::read::{collapse, is_tei, text_of};

/// One register entry.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    /// Its preferred name (first name element), whitespace collapsed.
    pub name: String,
    /// Every authority URI it carries.
    pub uris: Vec<AuthorityUri>,
}

/// A `prefixDef`: `ident:value` pointers whose value matches `pattern` are rewritten.
#[derive(Debug, Clone)]
pub struct PrefixDef {
    pattern: Regex,
    replacement: String,
}

/// Entities by `xml:id` and by `@n` (some editions key names by a name string), plus prefixes.
#[derive(Debug, Clone, Default)]
pub struct Register {
    by_id: HashMap<String, Entity>,
    by_n: HashMap<String, String>,
    /// By ident, in document order.
    prefixes: HashMap<String, Vec<PrefixDef>>,
    /// Registers consulted after this one (register files shared by every letter).
    fallback: Option<Arc<Register>>,
}

const ENTITY_ELEMENTS: [&str; 4] = ["person", "personGrp", "org", "place"];

impl Register {
    /// An empty register.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty register that falls back to `base` (shared, not copied).
    pub fn over(base: Arc<Register>) -> Self {
        Register {
            fallback: Some(base),
            ..Self::default()
        }
    }

    /// Adds every entity and prefix definition of a parsed TEI document.
    pub fn add_document(&mut self, doc: &roxmltree::Document) {
        let mut located: Vec<(String, Vec<AuthorityUri>)> = Vec::new();
        // entities whose identifiers grew: sorted and deduplicated once, at the end
        let mut grown: HashSet<String> = HashSet::new();
        for node in doc.descendants().filter(|n| is_tei(n)) {
            let name = node.tag_name().name();
            if name == "prefixDef" {
                self.add_prefix(node);
            } else if ENTITY_ELEMENTS.contains(&name) {
                if let Some(key) = self.add_entity(node) {
                    grown.insert(key);
                }
            } else if name == "location" {
                located.extend(location_identifiers(node));
            }
        }
        // Identifiers given beside a pointer to another place (`<location><placeName ref="x"/>
        // <idno>…</idno></location>`) belong to that place.
        for (id, uris) in located {
            let entity = self.by_id.entry(id.clone()).or_default();
            entity.uris.extend(uris);
            grown.insert(id);
        }
        for id in grown {
            if let Some(entity) = self.by_id.get_mut(&id) {
                entity.uris.sort();
                entity.uris.dedup();
            }
        }
    }

    fn add_prefix(&mut self, node: roxmltree::Node) {
        let (Some(ident), Some(pattern), Some(replacement)) = (
            node.attribute("ident"),
            node.attribute("matchPattern"),
            node.attribute("replacementPattern"),
        ) else {
            return;
        };
        // TEI patterns are XPath regular expressions and match the whole value.
        if let Ok(pattern) = Regex::new(&format!("^(?:{pattern})$")) {
            self.prefixes
                .entry(ident.to_string())
                .or_default()
                .push(PrefixDef {
                    pattern,
                    replacement: replacement.to_string(),
                });
        }
    }

    /// Adds an entity; returns its key when it merged into an existing entry (whose
    /// identifiers the caller sorts and deduplicates).
    fn add_entity(&mut self, node: roxmltree::Node) -> Option<String> {
        let id = node.attribute((XML_NS, "id"));
        let n = node.attribute("n");
        if id.is_none() && n.is_none() {
            return None;
        }
        let mut entity = Entity::default();
        for child in node.children().filter(|c| is_tei(c)) {
            match child.tag_name().name() {
                "persName" | "orgName" | "placeName" | "name" | "settlement" | "country" => {
                    if entity.name.is_empty() {
                        entity.name = collapse(&text_of(child));
                    }
                    for token in child.attribute("ref").unwrap_or("").split_whitespace() {
                        entity.uris.extend(classify_url(token));
                    }
                }
                "idno" => {
                    let text = child.text().unwrap_or("");
                    entity.uris.extend(classify_idno(
                        text,
                        child.attribute("type"),
                        child.attribute("subtype"),
                    ));
                }
                _ => {}
            }
        }
        for attribute in ["sameAs", "ref", "corresp"] {
            for token in node.attribute(attribute).unwrap_or("").split_whitespace() {
                entity.uris.extend(classify_url(token));
            }
        }
        entity.uris.sort();
        entity.uris.dedup();
        let key = id.or(n).unwrap_or_default().to_string();
        if let (Some(n), Some(id)) = (n, id) {
            self.by_n
                .entry(n.to_string())
                .or_insert_with(|| id.to_string());
        }
        match self.by_id.get_mut(&key) {
            // The same id in two files (a letter's own list and a register): merge.
            Some(existing) => {
                existing.uris.extend(entity.uris);
                if existing.name.is_empty() {
                    existing.name = entity.name;
                }
                Some(key)
            }
            None => {
                self.by_id.insert(key, entity);
                None
            }
        }
    }

    /// Expands `prefix:value` through the prefix definitions; other values are returned as is.
    pub fn expand(&self, pointer: &str) -> String {
        if let Some((ident, value)) = pointer.split_once(':') {
            for p in self.prefixes.get(ident).into_iter().flatten() {
                if p.pattern.is_match(value) {
                    return p
                        .pattern
                        .replace(value, p.replacement.as_str())
                        .into_owned();
                }
            }
        }
        match &self.fallback {
            Some(base) => base.expand(pointer),
            None => pointer.to_string(),
        }
    }

    /// The entity a pointer names: `#id`, `file.xml#id`, a bare `id`, or an `@n` key.
    pub fn lookup(&self, pointer: &str) -> Option<&Entity> {
        let id = match pointer.rsplit_once('#') {
            Some((_, fragment)) => fragment,
            None => pointer,
        };
        self.by_id
            .get(id)
            .or_else(|| self.by_n.get(pointer).and_then(|id| self.by_id.get(id)))
            .or_else(|| {
                self.fallback
                    .as_deref()
                    .and_then(|base| base.lookup(pointer))
            })
    }

    /// The identifiers of every register's entry for a pointer (this one and its fallbacks).
    fn all_uris(&self, pointer: &str, out: &mut Vec<AuthorityUri>) {
        let id = match pointer.rsplit_once('#') {
            Some((_, fragment)) => fragment,
            None => pointer,
        };
        let own = self
            .by_id
            .get(id)
            .or_else(|| self.by_n.get(pointer).and_then(|id| self.by_id.get(id)));
        if let Some(entity) = own {
            out.extend(entity.uris.iter().cloned());
        }
        if let Some(base) = &self.fallback {
            base.all_uris(pointer, out);
        }
    }

    /// Resolves a name element's pointers (`@ref`, `@key`, `@sameAs`) to authority URIs: direct
    /// authority URLs, prefixed pointers, and register entries with identifiers.
    pub fn resolve(&self, node: roxmltree::Node) -> Resolved<'_> {
        let mut uris = Vec::new();
        let mut entity = None;
        let refs = node.attribute("ref").unwrap_or("").split_whitespace();
        let same = node.attribute("sameAs").into_iter();
        for token in refs.chain(same) {
            let expanded = self.expand(token);
            if let Some(uri) = classify_url(&expanded) {
                uris.push(uri);
            } else if let Some(found) = self.lookup(&expanded) {
                self.all_uris(&expanded, &mut uris);
                entity = entity.or(Some(found));
            }
        }
        if let Some(key) = node.attribute("key") {
            if let Some(found) = self.lookup(key.trim()) {
                self.all_uris(key.trim(), &mut uris);
                entity = entity.or(Some(found));
            }
        }
        Resolved { uris, entity }
    }

    /// Number of entities (with those of the fallback registers).
    pub fn len(&self) -> usize {
        self.by_id.len() + self.fallback.as_deref().map_or(0, Register::len)
    }

    /// True when there are no entities.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `location` elements that name one other place by pointer and give identifiers beside it.
fn location_identifiers(node: roxmltree::Node) -> Option<(String, Vec<AuthorityUri>)> {
    let children: Vec<_> = node.children().filter(|c| is_tei(c)).collect();
    let names: Vec<_> = children
        .iter()
        .filter(|c| c.tag_name().name() == "placeName")
        .collect();
    let [name] = names.as_slice() else {
        return None;
    };
    let target = name.attribute("ref")?.trim();
    if target.contains(char::is_whitespace) || target.is_empty() {
        return None;
    }
    let uris: Vec<AuthorityUri> = children
        .iter()
        .filter(|c| c.tag_name().name() == "idno")
        .filter_map(|c| {
            classify_idno(
                c.text().unwrap_or(""),
                c.attribute("type"),
                c.attribute("subtype"),
            )
        })
        .collect();
    let id = target.rsplit_once('#').map(|(_, f)| f).unwrap_or(target);
    (!uris.is_empty()).then(|| (id.to_string(), uris))
}

/// The result of resolving a name's pointers.
#[derive(Debug, Default)]
pub struct Resolved<'a> {
    /// Every authority URI found.
    pub uris: Vec<AuthorityUri>,
    /// The register entry, when one was found.
    pub entity: Option<&'a Entity>,
}

impl Resolved<'_> {
    /// The best URI for a person or organisation (GND, then VIAF, Wikidata, LoC, BnF).
    pub fn person_uri(&self) -> Option<String> {
        self.uris
            .iter()
            .filter(|u| u.authority != Authority::Geonames)
            .min_by_key(|u| u.authority.person_rank())
            .map(|u| u.uri.clone())
    }

    /// The GeoNames URI of a place.
    pub fn place_uri(&self) -> Option<String> {
        self.uris
            .iter()
            .find(|u| u.authority == Authority::Geonames)
            .map(|u| u.uri.clone())
    }
}

/// The XML namespace (`xml:id`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>
      <encodingDesc><listPrefixDef><prefixDef ident="gnd" matchPattern="([0-9X-]+)" replacementPattern="https://d-nb.info/gnd/$1"/></listPrefixDef></encodingDesc>
      <profileDesc><particDesc><listPerson>
        <person xml:id="a" n="Writer Anne"><persName>Anne Writer</persName><idno type="VIAF">12345</idno><idno type="GND">118540238</idno></person>
        <person xml:id="b"><persName>B</persName><idno type="URL" subtype="pmb">https://pmb.example/1</idno></person>
      </listPerson></particDesc>
      <settingDesc><listPlace><place xml:id="w"><placeName>Weimar</placeName><idno type="URL" subtype="geonames">https://sws.geonames.org/2812482/</idno></place></listPlace></settingDesc>
      </profileDesc></teiHeader>
      <text><body><p><persName ref="#a">A</persName><persName key="Writer Anne">A</persName><persName ref="gnd:118540238">G</persName><persName ref="#b">B</persName><placeName ref="#w">W</placeName><persName ref="b">bare</persName></p></body></text></TEI>"##;

    #[test]
    fn resolves_ids_keys_prefixes_and_prefers_gnd() {
        let doc = roxmltree::Document::parse(DOC).unwrap();
        let mut reg = Register::new();
        reg.add_document(&doc);
        let names: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name(("http://www.tei-c.org/ns/1.0", "p")))
            .flat_map(|p| p.children())
            .collect();
        let gnd = Some("http://d-nb.info/gnd/118540238".to_string());
        assert_eq!(reg.resolve(names[0]).person_uri(), gnd);
        assert_eq!(reg.resolve(names[1]).person_uri(), gnd);
        assert_eq!(reg.resolve(names[2]).person_uri(), gnd);
        assert_eq!(reg.resolve(names[3]).person_uri(), None);
        assert!(reg.resolve(names[3]).entity.is_some());
        assert_eq!(
            reg.resolve(names[4]).place_uri().as_deref(),
            Some("http://www.geonames.org/2812482")
        );
        assert!(reg.resolve(names[5]).entity.is_some());
    }
}
