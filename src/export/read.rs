//! Reading letters from TEI: every `correspDesc` of a file becomes a [`Letter`], with names
//! resolved to authority URIs through a [`Register`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::model::{Action, DateSpec, Letter, Party, Place, SourceBibl};
use super::register::{Register, XML_NS};
use crate::source::LineIndex;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// True for an element in the TEI namespace.
pub fn is_tei(node: &roxmltree::Node) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(TEI_NS)
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an element for a name: notes are left out, and in `choice` the corrected,
/// regularised or expanded reading is taken.
pub fn text_of(node: roxmltree::Node) -> String {
    let mut out = String::new();
    collect_text(node, &mut out);
    out
}

fn collect_text(node: roxmltree::Node, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        } else if child.is_element() {
            match child.tag_name().name() {
                "note" | "sic" | "orig" | "abbr" | "del" => {
                    // Inside a choice the other reading is used; a lone sic/orig/abbr is the text.
                    let in_choice = node.tag_name().name() == "choice";
                    if !in_choice
                        && child.tag_name().name() != "note"
                        && child.tag_name().name() != "del"
                    {
                        collect_text(child, out);
                    }
                }
                "lb" | "pb" => out.push(' '),
                _ => collect_text(child, out),
            }
        }
    }
}

/// Normalises a date attribute to `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (dateTimes are cut to their
/// date); `None` when it is not a real calendar date (`1851-00-00`, `--05-03`, `1862-02-30`).
pub fn normalize_date(value: &str) -> Option<String> {
    let v = value.trim();
    let date = v.split('T').next().unwrap_or("");
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    if parts.is_empty()
        || parts.len() > 3
        || !digits(parts[0], 4)
        || parts[1..].iter().any(|p| !digits(p, 2))
    {
        return None;
    }
    let year: u32 = parts[0].parse().ok()?;
    if parts.len() >= 2 {
        let month: u32 = parts[1].parse().ok()?;
        if !(1..=12).contains(&month) {
            return None;
        }
        if parts.len() == 3 {
            let day: u32 = parts[2].parse().ok()?;
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let max = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if !(1..=max).contains(&day) {
                return None;
            }
        }
    }
    Some(date.to_string())
}

fn date_spec(node: roxmltree::Node) -> DateSpec {
    let get = |name: &str| node.attribute(name).and_then(normalize_date);
    DateSpec {
        when: get("when"),
        not_before: get("notBefore"),
        not_after: get("notAfter"),
        from: get("from"),
        to: get("to"),
    }
}

/// Role words that mark a name inside an action as the other party (some editions put sender
/// and addressee in one action and type the names).
fn typed_role(node: roxmltree::Node) -> Option<&'static str> {
    let t = node.attribute("type")?.to_ascii_lowercase();
    match t.as_str() {
        "sender" | "author" | "absender" => Some("sent"),
        "addressee" | "recipient" | "receiver" | "empfänger" | "empfaenger" | "adressat" => {
            Some("received")
        }
        _ => None,
    }
}

struct Reader<'r> {
    register: &'r Register,
}

impl Reader<'_> {
    fn party(&self, node: roxmltree::Node) -> Option<Party> {
        let resolved = self.register.resolve(node);
        let mut name = collapse(&text_of(node));
        if name.is_empty() {
            name = resolved.entity.map(|e| e.name.clone()).unwrap_or_default();
        }
        let uri = resolved.person_uri();
        if name.is_empty() && uri.is_none() {
            return None;
        }
        Some(Party {
            name,
            org: node.tag_name().name() == "orgName",
            uri,
        })
    }

    fn place(&self, node: roxmltree::Node) -> Option<Place> {
        let resolved = self.register.resolve(node);
        let mut name = collapse(&text_of(node));
        if name.is_empty() {
            name = resolved.entity.map(|e| e.name.clone()).unwrap_or_default();
        }
        let uri = resolved.place_uri();
        if name.is_empty() && uri.is_none() {
            return None;
        }
        Some(Place { name, uri })
    }

    /// Reads one action's children into `own`, moving names typed as the other role to `other`
    /// (repeats are removed by [`dedup_action`] once every action is read).
    /// Returns true when a name was typed as sender or addressee.
    fn action(
        &self,
        node: roxmltree::Node,
        role: &str,
        own: &mut Action,
        other: &mut Action,
    ) -> bool {
        let mut typed = false;
        for child in node.children().filter(|c| is_tei(c)) {
            match child.tag_name().name() {
                "persName" | "orgName" | "name" | "rs" => {
                    if let Some(party) = self.party(child) {
                        typed |= typed_role(child).is_some();
                        let target = match typed_role(child) {
                            Some(r) if r != role => &mut *other,
                            _ => &mut *own,
                        };
                        target.parties.push(party);
                    }
                }
                "placeName" | "settlement" => {
                    if let Some(place) = self.place(child) {
                        own.places.push(place);
                    }
                }
                "date" => {
                    let spec = date_spec(child);
                    if spec.is_empty() {
                        own.unusable_date = true;
                    } else if own.date.is_none() {
                        own.date = Some(spec);
                    }
                }
                _ => {}
            }
        }
        typed
    }
}

/// Connectors between sender and addressee in letter titles ("A an B", "A to B").
const TITLE_CONNECTORS: [&str; 5] = [" an ", " to ", " à ", " a ", " aan "];

/// Titles longer than this (bytes) are not read for sender and addressee.
const MAX_TITLE: usize = 4096;

/// True when the document title names the typed addressee first and the typed sender after the
/// connector ("X an Y" with X typed addressee): the edition's role types are inverted.
fn title_contradicts(title: &str, sent: &Action, received: &Action) -> bool {
    if title.len() > MAX_TITLE {
        return false; // no letter title: each name would be searched in all of it
    }
    let Some((before, after)) = TITLE_CONNECTORS.iter().find_map(|c| title.split_once(c)) else {
        return false;
    };
    let in_part = |part: &str, action: &Action| {
        !action.parties.is_empty()
            && action
                .parties
                .iter()
                .all(|p| part.contains(p.name.as_str()))
    };
    in_part(before, received) && in_part(after, sent) && !in_part(before, sent)
}

/// Removes repeated parties and places, keeping the first of each in order.
fn dedup_action(action: &mut Action) {
    let mut seen = HashSet::new();
    action.parties.retain(|p| seen.insert(p.clone()));
    let mut seen = HashSet::new();
    action.places.retain(|p| seen.insert(p.clone()));
}

fn nonempty(action: Action) -> Option<Action> {
    (!action.is_empty()).then_some(action)
}

/// The `bibl`s of a document by `xml:id` (the first with each id).
fn bibls_by_id<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
) -> HashMap<&'a str, roxmltree::Node<'a, 'input>> {
    let mut by_id = HashMap::new();
    for n in doc
        .descendants()
        .filter(|n| is_tei(n) && n.tag_name().name() == "bibl")
    {
        if let Some(id) = n.attribute((XML_NS, "id")) {
            by_id.entry(id).or_insert(n);
        }
    }
    by_id
}

fn source_bibl(bibls: &HashMap<&str, roxmltree::Node<'_, '_>>, source: &str) -> Option<SourceBibl> {
    let id = source.split_whitespace().next()?.trim_start_matches('#');
    let bibl = *bibls.get(id)?;
    let url = bibl
        .descendants()
        .find(|n| is_tei(n) && n.tag_name().name() == "ref")
        .and_then(|r| r.attribute("target"))
        .map(str::to_string);
    Some(SourceBibl {
        id: id.to_string(),
        type_: bibl.attribute("type").map(str::to_string),
        text: collapse(&text_of(bibl)),
        url,
    })
}

/// Reads every `correspDesc` of a parsed document. The register must already hold the
/// document's own entities (see [`Register::add_document`]).
pub fn letters_of(doc: &roxmltree::Document, file: &Path, register: &Register) -> Vec<Letter> {
    let reader = Reader { register };
    let descs: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| is_tei(n) && n.tag_name().name() == "correspDesc")
        .collect();
    let root_id = doc.root_element().attribute((XML_NS, "id"));
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = doc
        .descendants()
        .find(|n| {
            is_tei(n)
                && n.tag_name().name() == "title"
                && n.parent()
                    .is_some_and(|p| p.tag_name().name() == "titleStmt")
        })
        .map(|t| collapse(&text_of(t)));
    let mut letters = Vec::new();
    // found once, when the first letter needs them
    let lines = std::cell::OnceCell::new();
    let bibls = std::cell::OnceCell::new();
    for (i, desc) in descs.iter().enumerate() {
        let mut sent = Action::default();
        let mut received = Action::default();
        let mut typed = false;
        for action in desc
            .children()
            .filter(|c| is_tei(c) && c.tag_name().name() == "correspAction")
        {
            typed |= match action.attribute("type") {
                Some("sent") => reader.action(action, "sent", &mut sent, &mut received),
                Some("received") => reader.action(action, "received", &mut received, &mut sent),
                _ => false,
            };
        }
        dedup_action(&mut sent);
        dedup_action(&mut received);
        let id = match (desc.attribute((XML_NS, "id")), root_id) {
            (Some(id), _) => id.to_string(),
            (None, Some(root)) if descs.len() == 1 => root.to_string(),
            _ if descs.len() == 1 => stem.clone(),
            _ => format!("{stem}-{}", i + 1),
        };
        let line = lines
            .get_or_init(|| LineIndex::new(doc.input_text()))
            .line(desc.range().start);
        let mut roles_swapped = false;
        if typed
            && title
                .as_deref()
                .is_some_and(|t| title_contradicts(t, &sent, &received))
        {
            std::mem::swap(&mut sent.parties, &mut received.parties);
            roles_swapped = true;
        }
        let sent = nonempty(sent);
        let received = nonempty(received);
        letters.push(Letter {
            file: file.to_path_buf(),
            line,
            id,
            url: desc
                .attribute("ref")
                .map(|r| r.trim().to_string())
                .filter(|r| r.starts_with("http")),
            key: desc.attribute("key").map(str::to_string),
            sent,
            received,
            source_bibl: desc
                .attribute("source")
                .and_then(|s| source_bibl(bibls.get_or_init(|| bibls_by_id(doc)), s)),
            roles_swapped,
        });
    }
    letters
}

/// The XML files under the given paths (files as given; folders walked recursively, sorted).
pub fn xml_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .standard_filters(false)
                .build()
                .filter_map(|e| e.ok())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml"))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if path.is_file() || crate::fsutil::is_stdin(path) {
            // `-`: standard input, read once
            out.push(path.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such file or folder", path.display()),
            ));
        }
    }
    Ok(out)
}

/// Parses XML text the way the exporter does: DTDs allowed (entities are never fetched).
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_normalised_or_refused() {
        assert_eq!(normalize_date("1862-03-03").as_deref(), Some("1862-03-03"));
        assert_eq!(normalize_date(" 1862 ").as_deref(), Some("1862"));
        assert_eq!(
            normalize_date("2018-03-30T13:47:49.11+02:00").as_deref(),
            Some("2018-03-30")
        );
        assert_eq!(normalize_date("1851-00-00"), None);
        assert_eq!(normalize_date("1862-02-30"), None);
        assert_eq!(normalize_date("1864-02-29"), Some("1864-02-29".into()));
        assert_eq!(normalize_date("--05-03"), None);
        assert_eq!(normalize_date("3 March 1862"), None);
    }

    #[test]
    fn typed_names_in_one_action_are_split() {
        let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="K1"><teiHeader><profileDesc><correspDesc>
            <correspAction type="sent"><persName type="sender">A <choice><sic>Smiht</sic><corr>Smith</corr></choice></persName>
            <persName type="addressee">B</persName><placeName>Bern</placeName><date when="1851-07-02">2 July</date></correspAction>
            </correspDesc></profileDesc></teiHeader></TEI>"#;
        let doc = parse(xml).unwrap();
        let mut reg = Register::new();
        reg.add_document(&doc);
        let letters = letters_of(&doc, Path::new("x.xml"), &reg);
        assert_eq!(letters.len(), 1);
        let l = &letters[0];
        assert_eq!(l.id, "K1");
        let sent = l.sent.as_ref().unwrap();
        assert_eq!(sent.parties[0].name, "A Smith");
        assert_eq!(sent.places[0].name, "Bern");
        assert_eq!(
            sent.date.as_ref().unwrap().when.as_deref(),
            Some("1851-07-02")
        );
        assert_eq!(l.received.as_ref().unwrap().parties[0].name, "B");
        assert!(!l.roles_swapped);
    }

    #[test]
    fn typed_roles_that_contradict_the_title_are_swapped() {
        let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Rudolf Stehli an Alfred Escher, Lunnern</title></titleStmt></fileDesc>
            <profileDesc><correspDesc><correspAction type="sent"><persName type="addressee">Rudolf Stehli</persName><persName type="sender">Alfred Escher</persName>
            <placeName>Lunnern</placeName></correspAction><correspAction type="received"><placeName>Zürich</placeName></correspAction>
            </correspDesc></profileDesc></teiHeader></TEI>"#;
        let doc = parse(xml).unwrap();
        let letters = letters_of(&doc, Path::new("x.xml"), &Register::new());
        let l = &letters[0];
        assert!(l.roles_swapped);
        assert_eq!(l.sent.as_ref().unwrap().parties[0].name, "Rudolf Stehli");
        assert_eq!(l.sent.as_ref().unwrap().places[0].name, "Lunnern");
        assert_eq!(
            l.received.as_ref().unwrap().parties[0].name,
            "Alfred Escher"
        );
        assert_eq!(l.received.as_ref().unwrap().places[0].name, "Zürich");
    }
}
