//! The CMIF profile rules that RELAX NG cannot say (those of the SIG's `cmif.sch`, CMIF 1.1),
//! for `teikit validate --profile cmif`: every correspDesc has a sent and a received action,
//! its `@source` points to a `bibl` of the file, every `date` has a date attribute, bibl ids
//! should be UUIDs, and names in actions should carry authority URIs.
//!
//! Checked on the parse events as every other check (a streamed file of any size costs the
//! open elements plus one small record per `correspDesc/@source`, resolved at the end against
//! the file's bibl ids), never on a tree.

use std::collections::HashSet;
use std::ops::Range;

use super::path::{PathId, PathTracker};
use super::{TEI_NS, XML_NS};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::export::authority::{classify_url, Authority};
use crate::limit::{Bounded, Surplus};
use crate::xml::{EndTag, Handler, StartTag};

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

/// The characters of an element's text kept for a message ("date \"spring 1802\"").
const TEXT_SHOWN: usize = 200;

/// What an open element is to the rules.
enum Open {
    /// A `correspDesc`: its start tag, path and the types of its `correspAction` children.
    CorrespDesc {
        tag: Range<usize>,
        path: PathId,
        types: Vec<String>,
    },
    /// A `correspAction`.
    Action,
    /// A `persName`, `orgName` or `placeName` in a `correspAction`, or a `date` without a date
    /// attribute: reported when it ends, with (the start of) its text.
    Named {
        kind: Named,
        tag: Range<usize>,
        path: PathId,
        text: String,
    },
    /// Anything else.
    Other,
}

#[derive(Clone, Copy, PartialEq)]
enum Named {
    /// A name without `@ref`.
    NoRef(&'static str),
    /// A date without a date attribute.
    Date,
}

/// A `correspDesc/@source`, resolved when the file's bibl ids are all known.
struct Source {
    value: String,
    span: Range<usize>,
    path: PathId,
}

/// The CMIF rules of one document, fed its parse events.
#[derive(Default)]
pub struct CmifRules {
    path: PathTracker,
    open: Vec<Open>,
    bibl_ids: HashSet<String>,
    sources: Vec<Source>,
    /// Diagnostics with the path of their element, spelled at the end (at most the
    /// `diagnostics` limit of each code kept: [`CmifRules::with_max_diagnostics`]).
    found: Bounded<(Diagnostic, PathId)>,
    /// How many [`Open::Named`] frames are open (text is kept only while one is).
    named_open: usize,
}

fn is_uuid_somewhere(id: &str) -> bool {
    // cmif.sch: matches(@xml:id, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    // unanchored: a UUID anywhere in the id
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let b = id.as_bytes();
    let len: usize = GROUPS.iter().sum::<usize>() + GROUPS.len() - 1;
    let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    (0..b.len().saturating_sub(len - 1)).any(|start| {
        let mut i = start;
        GROUPS.iter().enumerate().all(|(g, &n)| {
            let ok =
                b[i..i + n].iter().all(|&c| hex(c)) && (g + 1 == GROUPS.len() || b[i + n] == b'-');
            i += n + 1;
            ok
        })
    })
}

fn tei_attr<'a>(tag: &'a StartTag<'a>, name: &str) -> Option<&'a crate::xml::Attribute<'a>> {
    super::attr(tag, name)
}

impl CmifRules {
    /// Keeps at most `max` findings of each code and severity (the earliest), counting the
    /// rest, so that memory stays bounded however many a file has.
    pub fn with_max_diagnostics(mut self, max: usize) -> Self {
        self.found = Bounded::new(max);
        self
    }

    /// The findings, in document order (a `@source` is resolved here, against every bibl id
    /// of the file), with a [`crate::limit::dropped_placeholder`] where the first of each
    /// code left out was; and what was left out, counted.
    pub fn finish(mut self) -> (Vec<Diagnostic>, Vec<Surplus>) {
        let mut first_ids: Option<Vec<&str>> = None;
        for s in std::mem::take(&mut self.sources) {
            let target = s.value.split_once('#').map(|(_, id)| id).unwrap_or("");
            if self.bibl_ids.contains(target) {
                continue;
            }
            let ids = first_ids.get_or_insert_with(|| {
                let mut ids: Vec<&str> = self.bibl_ids.iter().map(String::as_str).collect();
                ids.sort_unstable();
                ids.truncate(5);
                ids
            });
            let help = if ids.is_empty() {
                "add a <bibl xml:id=\"…\"> for the source edition to sourceDesc".to_string()
            } else if !s.value.contains('#') && self.bibl_ids.contains(s.value.as_str()) {
                format!("write source=\"#{}\"", s.value)
            } else {
                format!(
                    "expected one of: {}",
                    ids.iter()
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let d = Diagnostic::new(
                &UNRESOLVED_SOURCE,
                s.span,
                format!(
                    "correspDesc/@source=\"{}\" does not point to a bibl/@xml:id of this file",
                    s.value
                ),
            )
            .with_help(help);
            self.found.push((d, s.path));
        }
        let path = self.path;
        let (found, surplus) = self.found.finish();
        let mut out: Vec<Diagnostic> = found
            .into_iter()
            .map(|(d, p)| d.with_path(path.path_of(p)))
            .collect();
        out.extend(crate::limit::placeholders(&surplus));
        // stable: at one place, in the order the rules found them (sent before received)
        out.sort_by_key(|d| d.span.start);
        (out, surplus)
    }

    fn in_action(&self) -> bool {
        matches!(self.open.last(), Some(Open::Action))
    }
}

impl Handler for CmifRules {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.path.push(tag.qname);
        if tag.ns != TEI_NS {
            self.open.push(Open::Other);
            return;
        }
        let frame = match tag.local {
            "correspDesc" => {
                let path = self.path.mark();
                if let Some(a) = tei_attr(tag, "source") {
                    self.sources.push(Source {
                        value: a.value.to_string(),
                        span: a.value_span.clone(),
                        path,
                    });
                }
                Open::CorrespDesc {
                    tag: tag.span.clone(),
                    path,
                    types: Vec::new(),
                }
            }
            "correspAction" => {
                if let Some(Open::CorrespDesc { types, .. }) = self.open.last_mut() {
                    types.push(tei_attr(tag, "type").map_or("", |a| a.value).to_string());
                }
                Open::Action
            }
            "bibl" => {
                let id = tag
                    .attributes
                    .iter()
                    .find(|a| a.ns == XML_NS && a.local == "id")
                    .map_or("", |a| a.value);
                if !id.is_empty() {
                    self.bibl_ids.insert(id.to_string());
                }
                if !is_uuid_somewhere(id) {
                    let shown = if id.is_empty() {
                        "no xml:id".to_string()
                    } else {
                        format!("xml:id=\"{id}\"")
                    };
                    let d = Diagnostic::new(
                        &BIBL_ID_NOT_UUID,
                        tag.span.clone(),
                        format!("bibl has {shown}; CMIF recommends a UUID"),
                    )
                    .with_help(
                        "use a UUID such as xml:id=\"e21a8353-5089-441f-a5b2-acd347f1f2aa\"",
                    );
                    self.found.push((d, self.path.mark()));
                }
                Open::Other
            }
            "date"
                if !["when", "from", "to", "notBefore", "notAfter"]
                    .iter()
                    .any(|a| tei_attr(tag, a).is_some()) =>
            {
                Open::Named {
                    kind: Named::Date,
                    tag: tag.span.clone(),
                    path: self.path.mark(),
                    text: String::new(),
                }
            }
            name @ ("persName" | "orgName" | "placeName") if self.in_action() => {
                let place = name == "placeName";
                match tei_attr(tag, "ref") {
                    None => Open::Named {
                        kind: Named::NoRef(if place {
                            "a GeoNames URI"
                        } else {
                            "a GND, VIAF, Wikidata or LoC URI"
                        }),
                        tag: tag.span.clone(),
                        path: self.path.mark(),
                        text: String::new(),
                    },
                    Some(attr) => {
                        let known = attr.value.split_whitespace().any(|t| {
                            classify_url(t)
                                .is_some_and(|u| (u.authority == Authority::Geonames) == place)
                        });
                        if !known {
                            let kind = if place {
                                "GeoNames"
                            } else {
                                "GND, VIAF, Wikidata, LoC or BnF"
                            };
                            let d = Diagnostic::new(
                                &UNKNOWN_AUTHORITY,
                                attr.value_span.clone(),
                                format!("@ref=\"{}\" is not a {kind} URI", attr.value),
                            )
                            .with_help(format!(
                                "correspSearch links {} by {kind} URIs such as {}",
                                if place { "places" } else { "persons" },
                                if place {
                                    "http://www.geonames.org/2812482"
                                } else {
                                    "http://d-nb.info/gnd/118540238"
                                }
                            ));
                            self.found.push((d, self.path.mark()));
                        }
                        Open::Other
                    }
                }
            }
            _ => Open::Other,
        };
        if matches!(frame, Open::Named { .. }) {
            self.named_open += 1;
        }
        self.open.push(frame);
    }

    fn end_element(&mut self, tag: &EndTag<'_>) {
        match self.open.pop() {
            Some(Open::CorrespDesc {
                tag: start,
                path,
                types,
            }) => {
                for (type_, code) in [("sent", &MISSING_SENT), ("received", &MISSING_RECEIVED)] {
                    if types.iter().any(|t| t == type_) {
                        continue;
                    }
                    let found = if types.is_empty() {
                        "no correspAction".to_string()
                    } else {
                        let listed: Vec<String> = types.iter().map(|t| format!("{t:?}")).collect();
                        format!("actions of type {}", listed.join(", "))
                    };
                    let d = Diagnostic::new(
                        code,
                        start.clone(),
                        format!("correspDesc has no correspAction type=\"{type_}\"; found {found}"),
                    )
                    .with_help(format!(
                        "add <correspAction type=\"{type_}\"> with a persName, placeName or date"
                    ));
                    self.found.push((d, path));
                }
            }
            Some(Open::Named {
                kind,
                tag: start,
                path,
                text,
            }) => {
                self.named_open -= 1;
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let d = match kind {
                    Named::Date => {
                        let shown = if text.is_empty() {
                            "an empty date".to_string()
                        } else {
                            format!("date \"{text}\"")
                        };
                        Diagnostic::new(
                            &DATE_WITHOUT_ATTRIBUTE,
                            start,
                            format!("{shown} has no @when, @from, @to, @notBefore or @notAfter"),
                        )
                        .with_help("add @when=\"YYYY-MM-DD\" (or @notBefore/@notAfter for a range)")
                    }
                    Named::NoRef(kind) => Diagnostic::new(
                        &NAME_WITHOUT_AUTHORITY,
                        start,
                        format!("{} \"{text}\" has no @ref", tag.local),
                    )
                    .with_help(format!("add @ref with {kind}")),
                };
                self.found.push((d, path));
            }
            _ => {}
        }
        self.path.pop();
    }

    fn text(&mut self, text: &str, _span: Range<usize>) {
        if self.named_open == 0 {
            return;
        }
        // the text of every open named element (a date inside a persName keeps both)
        for frame in self.open.iter_mut().rev() {
            if let Open::Named { text: t, .. } = frame {
                let room = TEXT_SHOWN.saturating_sub(t.len());
                if room > 0 {
                    let cut = text
                        .char_indices()
                        .map(|(i, c)| i + c.len_utf8())
                        .take_while(|&end| end <= room)
                        .last()
                        .unwrap_or(0);
                    t.push_str(&text[..cut]);
                }
            }
        }
    }
}

/// Checks the CMIF profile rules on a document's text (outside `teikit validate`: the rules on
/// their own, with line and column set). Spans are byte ranges in `doc_text`.
pub fn cmif_rules(doc_text: &str) -> Vec<Diagnostic> {
    let mut rules = CmifRules::default();
    let xml = crate::xml::parse(doc_text, &mut rules, &crate::xml::ParseOptions::default());
    if let Some(e) = xml.iter().find(|d| d.severity == Severity::Error) {
        let at = e.span.start.min(doc_text.len());
        let (line, column) = crate::source::LineIndex::new(doc_text).line_col(doc_text, at);
        return vec![Diagnostic::new(
            &UNREADABLE,
            at..at,
            format!("not well-formed XML: {}", e.message),
        )
        .at(line, column)];
    }
    let lines = crate::source::LineIndex::new(doc_text);
    rules
        .finish()
        .0
        .into_iter()
        .map(|d| {
            let (line, column) = lines.line_col(doc_text, d.span.start);
            d.at(line, column)
        })
        .collect()
}
