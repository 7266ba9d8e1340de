//! The edition's own facts about a letter: senders, addressees, date and place from
//! `correspDesc` (read by [`crate::export::read::letters_of`], which also undoes role types
//! the title contradicts), and, where the header has no `correspDesc` or it lacks a field,
//! from the rest of the header: the date of the source description (`msDesc/head/date`,
//! `sourceDesc/bibl/date`), the parties of the title ("Letter from X to Y, …", "X an Y, …"),
//! the author; the place from the letter's first `dateline`. Every fact says where it was read.

use roxmltree::Node;
use serde::Serialize;

use crate::export::model::{Action, DateSpec};
use crate::export::read::{collapse, is_tei, letters_of, normalize_date, text_of};
use crate::export::register::Register;

use super::kinds::tei_name;

/// Where a fact was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactSource {
    /// `profileDesc/correspDesc`.
    CorrespDesc,
    /// The source description (`sourceDesc//msDesc/head/date`, `sourceDesc/bibl/date`,
    /// `bibl/author`, `titleStmt/author`).
    SourceDesc,
    /// The title (`titleStmt/title`: "Letter from X to Y, …").
    Title,
    /// The letter's first `dateline` (its `placeName`, or its words before the `date`).
    Dateline,
}

/// A person or body as the edition gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    /// The name as written in the header (whitespace collapsed).
    pub name: String,
    /// `persName` or `orgName` (names from a title are `persName`).
    pub kind: PartyKind,
    /// The pointer as written (`@ref`, else `@key`).
    pub reference: Option<String>,
    /// The name of the entry it points to in the file's own register, when there is one.
    pub label: Option<String>,
    /// Its authority URI (GND, VIAF, Wikidata …), when the edition gives one.
    pub uri: Option<String>,
    /// Where it was read.
    pub source: FactSource,
}

/// Person or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PartyKind {
    /// `persName` (or a name without a kind).
    PersName,
    /// `orgName`.
    OrgName,
}

/// The date of sending: the machine-readable attributes (each `YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`) and the element's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateFact {
    /// `@when`, `@notBefore`, `@notAfter`, `@from`, `@to`.
    pub spec: DateSpec,
    /// The element's text (whitespace collapsed).
    pub text: String,
    /// Where it was read.
    pub source: FactSource,
}

/// The place of sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceFact {
    /// The name as written.
    pub name: String,
    /// The pointer as written (`@ref`, else `@key`).
    pub reference: Option<String>,
    /// The name of the entry it points to in the file's own register.
    pub label: Option<String>,
    /// Where it was read.
    pub source: FactSource,
}

/// What the edition says about one letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Who sent it.
    pub senders: Vec<Party>,
    /// Who it was sent to.
    pub addressees: Vec<Party>,
    /// When it was sent.
    pub date: Option<DateFact>,
    /// Where it was written.
    pub place: Option<PlaceFact>,
}

impl Facts {
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.senders.is_empty()
            && self.addressees.is_empty()
            && self.date.is_none()
            && self.place.is_none()
    }
}

/// The facts of every `correspDesc` of the document, in order, completed from the header; one
/// set from the header alone when there is no `correspDesc`.
pub(super) fn header_facts(doc: &roxmltree::Document) -> Vec<Facts> {
    let mut register = Register::new();
    register.add_document(doc);
    let descs: Vec<Node> = doc
        .descendants()
        .filter(|n| is_tei(n) && n.tag_name().name() == "correspDesc")
        .collect();
    let letters = letters_of(doc, std::path::Path::new(""), &register);
    let fallback = HeaderFallback::read(doc);
    let mut out = Vec::new();
    for (letter, desc) in letters.iter().zip(&descs) {
        let parties = |action: &Option<Action>| -> Vec<Party> {
            let Some(action) = action else {
                return Vec::new();
            };
            action
                .parties
                .iter()
                .map(|p| {
                    let node = find_name(*desc, &p.name, &register);
                    Party {
                        name: p.name.clone(),
                        kind: if p.org {
                            PartyKind::OrgName
                        } else {
                            PartyKind::PersName
                        },
                        reference: node.and_then(pointer),
                        label: node.and_then(|n| register_label(n, &register)),
                        uri: p.uri.clone(),
                        source: FactSource::CorrespDesc,
                    }
                })
                .collect()
        };
        let mut facts = Facts {
            senders: parties(&letter.sent),
            addressees: parties(&letter.received),
            date: letter
                .sent
                .as_ref()
                .and_then(|a| a.date.clone())
                .map(|spec| DateFact {
                    text: date_text(*desc, &spec),
                    spec,
                    source: FactSource::CorrespDesc,
                }),
            place: letter
                .sent
                .as_ref()
                .and_then(|a| a.places.first())
                .map(|p| {
                    let node = find_name(*desc, &p.name, &register);
                    PlaceFact {
                        name: p.name.clone(),
                        reference: node.and_then(pointer),
                        label: node.and_then(|n| register_label(n, &register)),
                        source: FactSource::CorrespDesc,
                    }
                }),
        };
        fallback.complete(&mut facts);
        out.push(facts);
    }
    if descs.is_empty() {
        let mut facts = Facts::default();
        fallback.complete(&mut facts);
        if !facts.is_empty() {
            out.push(facts);
        }
    }
    out
}

/// The name element of a `correspDesc` that reads `name`.
fn find_name<'a, 'i>(desc: Node<'a, 'i>, name: &str, register: &Register) -> Option<Node<'a, 'i>> {
    desc.descendants()
        .filter(|n| {
            matches!(
                tei_name(*n),
                Some("persName" | "orgName" | "name" | "rs" | "placeName" | "settlement")
            )
        })
        .find(|n| {
            let written = collapse(&text_of(*n));
            written == name
                || (written.is_empty()
                    && register.resolve(*n).entity.is_some_and(|e| e.name == name))
        })
}

fn pointer(node: Node) -> Option<String> {
    node.attribute("ref")
        .or_else(|| node.attribute("key"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn register_label(node: Node, register: &Register) -> Option<String> {
    register
        .resolve(node)
        .entity
        .map(|e| e.name.clone())
        .filter(|n| !n.is_empty())
}

/// The text of the `date` element in `desc` that carries `spec`.
fn date_text(desc: Node, spec: &DateSpec) -> String {
    desc.descendants()
        .filter(|n| tei_name(*n) == Some("date"))
        .find(|n| {
            let get = |a: &str| n.attribute(a).and_then(normalize_date);
            get("when") == spec.when && get("notBefore") == spec.not_before
        })
        .map(|n| collapse(&text_of(n)))
        .unwrap_or_default()
}

/// What the header says outside `correspDesc`.
struct HeaderFallback {
    date: Option<DateFact>,
    senders: Vec<Party>,
    addressees: Vec<Party>,
}

impl HeaderFallback {
    fn read(doc: &roxmltree::Document) -> Self {
        let header = doc
            .root_element()
            .children()
            .find(|c| tei_name(*c) == Some("teiHeader"));
        let Some(header) = header else {
            return HeaderFallback {
                date: None,
                senders: Vec::new(),
                addressees: Vec::new(),
            };
        };
        let in_source = |n: &Node| n.ancestors().any(|a| tei_name(a) == Some("sourceDesc"));
        let date = header
            .descendants()
            .filter(|n| tei_name(*n) == Some("date") && in_source(n))
            .filter(|n| {
                let parent = n.parent_element().and_then(tei_name);
                let grand = n
                    .parent_element()
                    .and_then(|p| p.parent_element())
                    .and_then(tei_name);
                let head_of_ms = n.ancestors().any(|a| tei_name(a) == Some("head"))
                    && n.ancestors().any(|a| tei_name(a) == Some("msDesc"));
                head_of_ms || (parent == Some("bibl") && grand == Some("sourceDesc"))
            })
            .find_map(|n| {
                let get = |a: &str| n.attribute(a).and_then(normalize_date);
                let spec = DateSpec {
                    when: get("when"),
                    not_before: get("notBefore"),
                    not_after: get("notAfter"),
                    from: get("from"),
                    to: get("to"),
                };
                (!spec.is_empty()).then(|| DateFact {
                    spec,
                    text: collapse(&text_of(n)),
                    source: FactSource::SourceDesc,
                })
            });
        let title = header
            .descendants()
            .filter(|n| {
                tei_name(*n) == Some("title")
                    && n.parent_element().and_then(tei_name) == Some("titleStmt")
            })
            .max_by_key(|n| n.attribute("type") == Some("main"))
            .map(|n| collapse(&text_of(n)));
        let (mut senders, addressees) = title
            .as_deref()
            .and_then(title_parties)
            .map(|(s, a)| (title_names(&s), title_names(&a)))
            .unwrap_or_default();
        if senders.is_empty() {
            senders = header
                .descendants()
                .filter(|n| tei_name(*n) == Some("author"))
                .filter(|n| {
                    let p = n.parent_element().and_then(tei_name);
                    p == Some("titleStmt") || (p == Some("bibl") && in_source(n))
                })
                .map(|n| collapse(&text_of(n)))
                .filter(|s| s.chars().any(char::is_alphabetic))
                .take(1)
                .map(|name| Party {
                    name,
                    kind: PartyKind::PersName,
                    reference: None,
                    label: None,
                    uri: None,
                    source: FactSource::SourceDesc,
                })
                .collect();
        }
        HeaderFallback {
            date,
            senders,
            addressees,
        }
    }

    fn complete(&self, facts: &mut Facts) {
        if facts.date.is_none() {
            facts.date = self.date.clone();
        }
        if facts.senders.is_empty() {
            facts.senders = self.senders.clone();
        }
        if facts.addressees.is_empty() {
            facts.addressees = self.addressees.clone();
        }
    }
}

fn title_names(part: &str) -> Vec<Party> {
    split_parties(part)
        .into_iter()
        .map(|name| Party {
            name,
            kind: PartyKind::PersName,
            reference: None,
            label: None,
            uri: None,
            source: FactSource::Title,
        })
        .collect()
}

/// Sender and addressee named by a title: "Letter from X to Y, date", "Brief von X an Y",
/// or a title that starts with the sender's name: "X an Y, place, date", "X to Y".
pub(super) fn title_parties(title: &str) -> Option<(String, String)> {
    let cut = |s: &str| -> String {
        let end = s
            .find([',', ';', '(', '['])
            .into_iter()
            .chain(s.find(" on "))
            .min()
            .unwrap_or(s.len());
        s[..end].trim().trim_end_matches('.').trim().to_string()
    };
    let forms = [
        ("from ", " to "),
        ("From ", " to "),
        ("von ", " an "),
        ("Von ", " an "),
    ];
    for (from, to) in forms {
        if let Some(i) = title.find(from) {
            let before = &title[..i];
            if !(before.is_empty() || before.ends_with(' ')) {
                continue;
            }
            let rest = &title[i + from.len()..];
            if let Some((s, a)) = rest.split_once(to) {
                let (s, a) = (cut(s), cut(a));
                if plausible(&s) && plausible(&a) {
                    return Some((s, a));
                }
            }
        }
    }
    for to in [" an ", " to "] {
        if let Some((s, a)) = title.split_once(to) {
            let (s, a) = (cut(s), cut(a));
            let capitalised = s
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
            if s.split_whitespace().count() >= 2 && capitalised && plausible(&s) && plausible(&a) {
                return Some((s, a));
            }
        }
    }
    None
}

/// A name of one to eight words with a capital letter.
fn plausible(name: &str) -> bool {
    let words = name.split_whitespace().count();
    (1..=8).contains(&words) && name.chars().any(char::is_uppercase)
}

/// "X and Y" → X, Y when both sides are names of two words or more.
fn split_parties(part: &str) -> Vec<String> {
    for sep in [" and ", " und ", " & "] {
        if let Some((a, b)) = part.split_once(sep) {
            let name = |s: &str| {
                s.split_whitespace().count() >= 2
                    && s.chars().next().is_some_and(char::is_uppercase)
            };
            if name(a) && name(b) {
                let mut out = vec![a.trim().to_string()];
                out.extend(split_parties(b));
                return out;
            }
        }
    }
    vec![part.trim().to_string()]
}

/// The place of writing as the letter's first `dateline` marks it: its first `placeName`
/// (or `settlement`), else its words before its `date`.
pub(super) fn dateline_place(nodes: &[Node]) -> Option<PlaceFact> {
    let dateline = nodes
        .iter()
        .flat_map(|n| n.descendants())
        .find(|n| tei_name(*n) == Some("dateline"))?;
    if let Some(place) = dateline
        .descendants()
        .find(|n| matches!(tei_name(*n), Some("placeName" | "settlement")))
    {
        let name = collapse(&text_of(place));
        if name.chars().any(char::is_alphabetic) {
            return Some(PlaceFact {
                name,
                reference: pointer(place),
                label: None,
                source: FactSource::Dateline,
            });
        }
    }
    let date = dateline
        .descendants()
        .find(|n| tei_name(*n) == Some("date"))?;
    let mut before = String::new();
    for n in dateline.descendants() {
        if n == date {
            break;
        }
        if n.is_text() && !n.ancestors().any(|a| tei_name(a) == Some("note")) {
            before.push_str(n.text().unwrap_or(""));
            before.push(' ');
        }
    }
    let name = collapse(&before)
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(PlaceFact {
        name,
        reference: None,
        label: None,
        source: FactSource::Dateline,
    })
}

/// The language of a letter: the nearest `xml:lang` on it or around it, else the first
/// `langUsage/language/@ident`.
pub(super) fn language(node: Node, doc: &roxmltree::Document) -> Option<String> {
    let xml_ns = crate::export::register::XML_NS;
    node.ancestors()
        .find_map(|a| a.attribute((xml_ns, "lang")))
        .or_else(|| {
            doc.descendants()
                .find(|n| {
                    tei_name(*n) == Some("language")
                        && n.parent_element().and_then(tei_name) == Some("langUsage")
                })
                .and_then(|n| n.attribute("ident"))
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_sender_and_addressee() {
        let t = |s: &str| title_parties(s).map(|(a, b)| format!("{a} | {b}"));
        assert_eq!(
            t("Letter from Amos Barlow to Charles M. Mead, September 24, 1867").as_deref(),
            Some("Amos Barlow | Charles M. Mead")
        );
        assert_eq!(
            t("Albert Ehrler an Heinrich Sauter, Basel, 06. September 1831").as_deref(),
            Some("Albert Ehrler | Heinrich Sauter")
        );
        assert_eq!(t("Brief an Heinrich Sauter"), None);
        assert_eq!(t("Annual report, 1901"), None);
        assert_eq!(
            split_parties("William F. Crane and Louisa Crane"),
            vec!["William F. Crane", "Louisa Crane"]
        );
        assert_eq!(split_parties("Smith and Co"), vec!["Smith and Co"]);
    }
}
