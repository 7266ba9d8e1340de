//! The CMIF profile rules that RELAX NG cannot say (those of `cmif.sch`, CMIF 1.1), for
//! `teikit validate --profile cmif`: every correspDesc has a sent and a received action, its
//! `@source` points to a `bibl` of the file, every `date` has a date attribute, bibl ids should
//! be UUIDs, and names in actions should carry authority URIs.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use regex::Regex;

use super::authority::{classify_url, Authority};
use super::read::{parse, TEI_NS};
use super::register::XML_NS;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::LineIndex;

/// A correspDesc without a sent action.
pub static MISSING_SENT: Code = Code {
    id: "tei::cmif::missing_sent",
    severity: Severity::Error,
    summary: "a correspDesc has no correspAction type=\"sent\"",
    explanation: "CMIF requires every `correspDesc` to say who sent the letter, where or when: add \
`<correspAction type=\"sent\">` with a `persName`/`orgName`, `placeName` or `date` (cmif.sch E0001).",
};

/// A correspDesc without a received action.
pub static MISSING_RECEIVED: Code = Code {
    id: "tei::cmif::missing_received",
    severity: Severity::Error,
    summary: "a correspDesc has no correspAction type=\"received\"",
    explanation:
        "CMIF requires every `correspDesc` to name the addressee (or the place or date of \
receipt): add `<correspAction type=\"received\">` (cmif.sch E0002).",
};

/// `correspDesc/@source` does not point to a bibl of the file.
pub static UNRESOLVED_SOURCE: Code = Code {
    id: "tei::cmif::unresolved_source",
    severity: Severity::Error,
    summary: "correspDesc/@source does not point to a bibl/@xml:id in this file",
    explanation: "In CMIF, `correspDesc/@source` is `#` followed by the `xml:id` of a `bibl` in \
`sourceDesc` that describes the edition the letter comes from (cmif.sch E0003).",
};

/// A date without any date attribute.
pub static DATE_WITHOUT_ATTRIBUTE: Code = Code {
    id: "tei::cmif::date_without_attribute",
    severity: Severity::Error,
    summary: "a date has none of @when, @from, @to, @notBefore, @notAfter",
    explanation: "correspSearch reads dates only from their attributes: give `@when` for an exact \
date, `@notBefore`/`@notAfter` for a range of possible dates or `@from`/`@to` for a period, as \
YYYY, YYYY-MM or YYYY-MM-DD (cmif.sch E0004).",
};

/// A bibl whose xml:id is not a UUID.
pub static BIBL_ID_NOT_UUID: Code = Code {
    id: "tei::cmif::bibl_id_not_uuid",
    severity: Severity::Warning,
    summary: "a bibl's xml:id is not a UUID",
    explanation: "CMIF recommends a UUID as the `xml:id` of each `bibl`, so that editions from \
different CMIF files never clash in correspSearch (cmif.sch W0001).",
};

/// A name in an action without an authority URI.
pub static NAME_WITHOUT_AUTHORITY: Code = Code {
    id: "tei::cmif::name_without_authority",
    severity: Severity::Advice,
    summary: "a person, organisation or place in a correspAction has no @ref",
    explanation: "correspSearch links letters through authority files: give persons and \
organisations a GND, VIAF, Wikidata or LoC URI and places a GeoNames URI in `@ref`. Names \
without one are still harvested, but cannot be found by identifier.",
};

/// A name in an action whose @ref is not a URI of a known authority file.
pub static UNKNOWN_AUTHORITY: Code = Code {
    id: "tei::cmif::unknown_authority",
    severity: Severity::Advice,
    summary:
        "a name's @ref in a correspAction is not a URI of an authority file correspSearch knows",
    explanation:
        "correspSearch identifies persons and organisations by GND, VIAF, Wikidata, LoC or \
BnF URIs and places by GeoNames URIs. Other URIs (a project register, `#id` pointers) are kept but \
do not link the letter to others; `teikit export cmif` resolves `#id` pointers through the \
personography.",
};

/// A file that cannot be parsed.
pub static UNREADABLE: Code = Code {
    id: "tei::cmif::unreadable",
    severity: Severity::Error,
    summary: "the file is not well-formed XML, so the CMIF rules could not run",
    explanation: "Fix the well-formedness error first; the CMIF rules run on the parsed document.",
};

/// The codes of the CMIF rules.
pub static CODES: &[&Code] = &[
    &MISSING_SENT,
    &MISSING_RECEIVED,
    &UNRESOLVED_SOURCE,
    &DATE_WITHOUT_ATTRIBUTE,
    &BIBL_ID_NOT_UUID,
    &NAME_WITHOUT_AUTHORITY,
    &UNKNOWN_AUTHORITY,
    &UNREADABLE,
];

fn is(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(TEI_NS)
        && node.tag_name().name() == name
}

/// What diagnostics need from the whole document, found once, when the first needs it: the
/// line starts and each element's position among its same-named siblings.
struct Places<'d> {
    text: &'d str,
    lines: OnceCell<LineIndex>,
    /// Per node (by id): its position among same-named element siblings, 0 when it has none.
    positions: OnceCell<Vec<u32>>,
    /// Per node (by id): its element depth, and its element ancestor-or-self at most
    /// [`PATH_HEAD`] deep (where the spelled head of its path ends).
    depths: OnceCell<(Vec<u32>, Vec<usize>)>,
}

/// Steps of a deep path spelled from its start ([`crate::limit::path_ends`]).
const PATH_HEAD: usize = 8;

impl<'d> Places<'d> {
    fn new(doc: &roxmltree::Document<'d>) -> Self {
        Places {
            text: doc.input_text(),
            lines: OnceCell::new(),
            positions: OnceCell::new(),
            depths: OnceCell::new(),
        }
    }

    /// `/TEI/teiHeader/profileDesc/correspDesc[2]`: the element path, with a position where
    /// the element has siblings of the same name.
    fn path_of(&self, node: roxmltree::Node) -> String {
        let doc = node.document();
        let positions = self.positions.get_or_init(|| sibling_positions(doc));
        let (depths, anchors) = self.depths.get_or_init(|| depths_and_anchors(doc));
        let depth = depths.get(node.id().get_usize()).copied().unwrap_or(0) as usize;
        // only the first and last steps of a deep path are spelled (crate::limit::spell_path),
        // found in constant time: the path's length and cost do not grow with the depth
        let (head, tail) = crate::limit::path_ends(depth);
        fn elements<'a, 'i>(
            from: roxmltree::Node<'a, 'i>,
            n: usize,
        ) -> Vec<roxmltree::Node<'a, 'i>> {
            let mut v: Vec<_> = from
                .ancestors()
                .filter(|a| a.is_element())
                .take(n)
                .collect();
            v.reverse();
            v
        }
        let mut steps = if tail == 0 {
            elements(node, depth)
        } else {
            let anchor = anchors.get(node.id().get_usize()).copied().unwrap_or(0);
            let anchor = doc
                .get_node(roxmltree::NodeId::new(anchor as u32))
                .unwrap_or(node);
            elements(anchor, head)
        };
        if tail > 0 {
            steps.extend(elements(node, tail));
        }
        crate::limit::spell_path(depth, |out, i| {
            let k = if i < head {
                i
            } else {
                head + (i - (depth - tail))
            };
            let Some(n) = steps.get(k) else { return };
            out.push_str(n.tag_name().name());
            if let Some(&pos) = positions.get(n.id().get_usize()).filter(|&&p| p > 0) {
                use std::fmt::Write as _;
                let _ = write!(out, "[{pos}]");
            }
        })
    }

    fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, offset)
    }
}

/// Per node: its 1-based position among the element siblings of the same name when there are
/// several, else 0 (one pass over the document).
fn sibling_positions(doc: &roxmltree::Document) -> Vec<u32> {
    let mut out = vec![0u32; doc.descendants().count() + 1];
    let mut counts: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::new();
    for parent in doc.descendants() {
        counts.clear();
        for c in parent.children().filter(|c| c.is_element()) {
            let name = c.tag_name();
            counts
                .entry((name.namespace(), name.name()))
                .or_default()
                .push(c.id().get_usize());
        }
        for ids in counts.values().filter(|ids| ids.len() > 1) {
            for (k, &id) in ids.iter().enumerate() {
                if let Some(slot) = out.get_mut(id) {
                    *slot = k as u32 + 1;
                }
            }
        }
    }
    out
}

/// Per node (by id): its element depth (elements among its ancestors and itself), and its
/// element ancestor-or-self at depth `min(depth, PATH_HEAD)` (one pass in document order).
fn depths_and_anchors(doc: &roxmltree::Document) -> (Vec<u32>, Vec<usize>) {
    let n = doc.descendants().count() + 1;
    let mut depths = vec![0u32; n];
    let mut anchors = vec![0usize; n];
    for node in doc.descendants() {
        let id = node.id().get_usize();
        let (pd, pa) = node
            .parent()
            .map(|p| (depths[p.id().get_usize()], anchors[p.id().get_usize()]))
            .unwrap_or((0, id));
        let d = pd + u32::from(node.is_element());
        depths[id] = d;
        anchors[id] = if node.is_element() && d as usize <= PATH_HEAD {
            id
        } else {
            pa
        };
    }
    (depths, anchors)
}

fn diag(
    places: &Places,
    code: &'static Code,
    node: roxmltree::Node,
    span: std::ops::Range<usize>,
    message: String,
) -> Diagnostic {
    let (row, col) = places.line_col(span.start);
    Diagnostic::new(code, span, message)
        .with_path(places.path_of(node))
        .at(row, col)
}

/// The start tag of an element: its span for diagnostics.
fn start_tag(node: roxmltree::Node) -> std::ops::Range<usize> {
    let r = node.range();
    let text = node.document().input_text();
    let end = text[r.clone()]
        .find('>')
        .map(|i| r.start + i + 1)
        .unwrap_or(r.end);
    r.start..end
}

/// Checks the CMIF profile rules on a document's text. Spans are byte ranges in `doc_text`.
pub fn cmif_rules(doc_text: &str) -> Vec<Diagnostic> {
    let doc = match parse(doc_text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let offset = doc_text
                .lines()
                .take(pos.row.saturating_sub(1) as usize)
                .map(|l| l.len() + 1)
                .sum::<usize>();
            let offset = offset.min(doc_text.len());
            return vec![Diagnostic::new(
                &UNREADABLE,
                offset..offset,
                format!("not well-formed XML: {e}"),
            )
            .at(pos.row, pos.col)];
        }
    };
    let mut out = Vec::new();
    let bibl_ids: HashSet<&str> = doc
        .descendants()
        .filter(|n| is(n, "bibl"))
        .filter_map(|n| n.attribute((XML_NS, "id")))
        .collect();
    let places = Places::new(&doc);
    // the first five bibl ids, sorted, for the help of an unresolved @source
    let first_ids = OnceCell::new();
    let uuid = Regex::new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .expect("valid regex");
    for node in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(TEI_NS))
    {
        match node.tag_name().name() {
            "correspDesc" => {
                let actions: Vec<_> = node.children().filter(|c| is(c, "correspAction")).collect();
                for (type_, code) in [("sent", &MISSING_SENT), ("received", &MISSING_RECEIVED)] {
                    if !actions.iter().any(|a| a.attribute("type") == Some(type_)) {
                        let found: Vec<String> = actions
                            .iter()
                            .map(|a| format!("{:?}", a.attribute("type").unwrap_or("")))
                            .collect();
                        let found = if found.is_empty() {
                            "no correspAction".to_string()
                        } else {
                            format!("actions of type {}", found.join(", "))
                        };
                        out.push(
                            diag(&places, code, node, start_tag(node), format!("correspDesc has no correspAction type=\"{type_}\"; found {found}"))
                                .with_help(format!("add <correspAction type=\"{type_}\"> with a persName, placeName or date")),
                        );
                    }
                }
                if let Some(attr) = node.attribute_node("source") {
                    let value = attr.value();
                    let target = value.split_once('#').map(|(_, id)| id).unwrap_or("");
                    if !bibl_ids.contains(target) {
                        let mut d = diag(
                            &places,
                            &UNRESOLVED_SOURCE,
                            node,
                            attr.range_value(),
                            format!("correspDesc/@source=\"{value}\" does not point to a bibl/@xml:id of this file"),
                        );
                        let ids: &Vec<&str> = first_ids.get_or_init(|| {
                            let mut ids: Vec<&str> = bibl_ids.iter().copied().collect();
                            ids.sort_unstable();
                            ids.truncate(5);
                            ids
                        });
                        d = match ids.first() {
                            Some(_) if !value.contains('#') && bibl_ids.contains(value) => {
                                d.with_help(format!("write source=\"#{value}\""))
                            }
                            Some(_) => d.with_help(format!(
                                "expected one of: {}",
                                ids.iter()
                                    .take(5)
                                    .map(|i| format!("#{i}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                            None => d.with_help(
                                "add a <bibl xml:id=\"…\"> for the source edition to sourceDesc",
                            ),
                        };
                        out.push(d);
                    }
                }
            }
            "date"
                if !["when", "from", "to", "notBefore", "notAfter"]
                    .iter()
                    .any(|a| node.attribute(*a).is_some()) =>
            {
                let text: String = node
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let shown = if text.is_empty() {
                    "an empty date".to_string()
                } else {
                    format!("date \"{text}\"")
                };
                out.push(
                    diag(
                        &places,
                        &DATE_WITHOUT_ATTRIBUTE,
                        node,
                        start_tag(node),
                        format!("{shown} has no @when, @from, @to, @notBefore or @notAfter"),
                    )
                    .with_help("add @when=\"YYYY-MM-DD\" (or @notBefore/@notAfter for a range)"),
                );
            }
            "bibl" => {
                let id = node.attribute((XML_NS, "id")).unwrap_or("");
                if !uuid.is_match(id) {
                    let shown = if id.is_empty() {
                        "no xml:id".to_string()
                    } else {
                        format!("xml:id=\"{id}\"")
                    };
                    out.push(
                        diag(
                            &places,
                            &BIBL_ID_NOT_UUID,
                            node,
                            start_tag(node),
                            format!("bibl has {shown}; CMIF recommends a UUID"),
                        )
                        .with_help(
                            "use a UUID such as xml:id=\"e21a8353-5089-441f-a5b2-acd347f1f2aa\"",
                        ),
                    );
                }
            }
            "persName" | "orgName" | "placeName" => {
                let in_action = node.parent().is_some_and(|p| is(&p, "correspAction"));
                if in_action && node.attribute("ref").is_none() {
                    let kind = if node.tag_name().name() == "placeName" {
                        "a GeoNames URI"
                    } else {
                        "a GND, VIAF, Wikidata or LoC URI"
                    };
                    let text: String = node
                        .descendants()
                        .filter(|n| n.is_text())
                        .filter_map(|n| n.text())
                        .collect();
                    out.push(
                        diag(
                            &places,
                            &NAME_WITHOUT_AUTHORITY,
                            node,
                            start_tag(node),
                            format!(
                                "{} \"{}\" has no @ref",
                                node.tag_name().name(),
                                text.split_whitespace().collect::<Vec<_>>().join(" ")
                            ),
                        )
                        .with_help(format!("add @ref with {kind}")),
                    );
                }
                if let (true, Some(attr)) = (in_action, node.attribute_node("ref")) {
                    let place = node.tag_name().name() == "placeName";
                    let known = attr.value().split_whitespace().any(|t| {
                        classify_url(t)
                            .is_some_and(|u| (u.authority == Authority::Geonames) == place)
                    });
                    if !known {
                        let kind = if place {
                            "GeoNames"
                        } else {
                            "GND, VIAF, Wikidata, LoC or BnF"
                        };
                        out.push(
                            diag(
                                &places,
                                &UNKNOWN_AUTHORITY,
                                node,
                                attr.range_value(),
                                format!("@ref=\"{}\" is not a {kind} URI", attr.value()),
                            )
                            .with_help(format!(
                                "correspSearch links {} by {kind} URIs such as {}",
                                if place { "places" } else { "persons" },
                                if place {
                                    "http://www.geonames.org/2812482"
                                } else {
                                    "http://d-nb.info/gnd/118540238"
                                }
                            )),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    out
}
