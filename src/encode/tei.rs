//! Writes the TEI document: header (file description, one `correspDesc` per letter, persons,
//! bodies and places) and text (narrative, letters with opener/closer/postscript, quoted notes),
//! tagging names and dates in running text.

use super::cues::Cues;
use super::dates::{find_dates, infer_year, PartialDate};
use super::layout::{After, Layout, Piece, Role};
use super::lines::Block;
use super::names::Names;
use super::segment::{Item, Plan};
use super::sidecar::{Kind, Personography};
use super::writer::Xml;
use super::{EncodeOptions, Letter, INFERRED_YEAR};
use crate::diagnostic::Diagnostic;
use std::ops::Range;

struct Ctx<'a> {
    src: &'a str,
    names: &'a Names,
    cues: &'a Cues,
    places: Vec<String>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

fn place_id(i: usize) -> String {
    format!("place{}", i + 1)
}

/// Writes the whole document.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    src: &str,
    blocks: &[Block],
    plan: &Plan,
    letters: &[Letter],
    names: &Names,
    cues: &Cues,
    persons: Option<&Personography>,
    options: &EncodeOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let mut places: Vec<String> = Vec::new();
    for l in letters {
        if let Some(p) = &l.place {
            if !places.contains(p) {
                places.push(p.clone());
            }
        }
    }
    let mut cx = Ctx {
        src,
        names,
        cues,
        places,
        diagnostics,
    };
    let mut x = Xml::new();
    x.open(
        "TEI",
        &[
            ("xmlns", "http://www.tei-c.org/ns/1.0"),
            ("xml:lang", cues.lang),
        ],
    );
    header(&mut x, &mut cx, blocks, plan, letters, persons, options);
    x.open("text", &[]);
    x.open("body", &[]);
    if plan.article {
        x.open("div", &[("type", "article")]);
    }
    for item in &plan.items {
        // narrative dates without a year stay without one: no letter date to complete them
        let mut ref_date: Option<PartialDate> = None;
        match item {
            Item::Head(b) => inline_el(
                &mut x,
                &mut cx,
                "head",
                &[],
                blocks[*b].span.clone(),
                &mut ref_date,
                None,
            ),
            Item::Byline(b) => inline_el(
                &mut x,
                &mut cx,
                "head",
                &[("type", "author")],
                blocks[*b].span.clone(),
                &mut ref_date,
                None,
            ),
            Item::P(b) => {
                if !plan.article {
                    x.open("div", &[("type", "editorial")]);
                }
                inline_el(
                    &mut x,
                    &mut cx,
                    "p",
                    &[],
                    blocks[*b].span.clone(),
                    &mut ref_date,
                    None,
                );
                if !plan.article {
                    x.close();
                }
            }
            Item::Quote(b) => {
                x.open("p", &[]);
                inline_el(
                    &mut x,
                    &mut cx,
                    "quote",
                    &[],
                    blocks[*b].span.clone(),
                    &mut ref_date,
                    None,
                );
                x.close();
            }
            Item::Cit {
                letter,
                block,
                cite,
            } => {
                let l = &letters[*letter];
                x.open("cit", &[("type", "letter"), ("xml:id", &l.id)]);
                x.open("quote", &[]);
                let body = blocks[*block].span.start..cite.start;
                let body = trim_span(src, body);
                let mut d = l.date;
                inline_el(&mut x, &mut cx, "p", &[], body, &mut d, None);
                x.close();
                inline_el(
                    &mut x,
                    &mut cx,
                    "bibl",
                    &[],
                    cite.clone(),
                    &mut ref_date,
                    None,
                );
                x.close();
            }
            Item::Letter {
                letter,
                blocks: range,
            } => {
                let l = &letters[*letter];
                let part = l.plan.parts.iter().position(|p| p == range).unwrap_or(0);
                let lay = &l.layouts[part];
                let id = if part == 0 {
                    l.id.clone()
                } else {
                    format!("{}-part{}", l.id, part + 1)
                };
                let prev = if part == 0 {
                    None
                } else if part == 1 {
                    Some(format!("#{}", l.id))
                } else {
                    Some(format!("#{}-part{}", l.id, part))
                };
                let next = if part + 1 < l.plan.parts.len() {
                    Some(format!("#{}-part{}", l.id, part + 2))
                } else {
                    None
                };
                let decls = format!("#{}", l.cd);
                let mut attrs: Vec<(&str, &str)> =
                    vec![("type", "letter"), ("xml:id", &id), ("decls", &decls)];
                if let Some(p) = &prev {
                    attrs.push(("prev", p));
                }
                if let Some(n) = &next {
                    attrs.push(("next", n));
                }
                if plan.article {
                    x.open("floatingText", &attrs);
                    x.open("body", &[]);
                    letter_content(&mut x, &mut cx, lay, l);
                    x.close();
                    x.close();
                } else {
                    x.open("div", &attrs);
                    letter_content(&mut x, &mut cx, lay, l);
                    x.close();
                }
            }
        }
    }
    x.finish()
}

fn trim_span(src: &str, r: Range<usize>) -> Range<usize> {
    let s = &src[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.start + s.trim_end().len();
    start..end.max(start)
}

fn header(
    x: &mut Xml,
    cx: &mut Ctx,
    blocks: &[Block],
    plan: &Plan,
    letters: &[Letter],
    persons: Option<&Personography>,
    options: &EncodeOptions,
) {
    let src = cx.src;
    let head = plan.items.iter().find_map(|i| {
        if let Item::Head(b) = i {
            Some(src[blocks[*b].span.clone()].trim().to_string())
        } else {
            None
        }
    });
    let byline = plan.items.iter().find_map(|i| {
        if let Item::Byline(b) = i {
            Some(src[blocks[*b].span.clone()].trim().to_string())
        } else {
            None
        }
    });
    let doc = persons.map(|p| &p.document);
    let title = options
        .title
        .clone()
        .or_else(|| doc.and_then(|d| d.title.clone()))
        .or(head)
        .unwrap_or_else(|| {
            let l = &letters[0];
            let who = |ids: &[usize]| {
                ids.iter()
                    .map(|&i| cx.names.entries[i].name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut t = if letters.len() == 1 {
                "Letter".to_string()
            } else {
                format!("{} letters", letters.len())
            };
            if letters.len() == 1 {
                if !l.senders.is_empty() {
                    t.push_str(&format!(" from {}", who(&l.senders)));
                }
                if !l.addressees.is_empty() {
                    t.push_str(&format!(" to {}", who(&l.addressees)));
                }
                if let Some(d) = l.date.and_then(|d| d.iso()) {
                    t.push_str(&format!(", {d}"));
                }
            }
            t
        });
    let author = doc
        .and_then(|d| d.author.clone())
        .map(|a| {
            persons
                .and_then(|p| p.get(&a))
                .map(|p| p.name.clone())
                .unwrap_or(a)
        })
        .or(byline);
    x.open("teiHeader", &[]);
    x.open("fileDesc", &[]);
    x.open("titleStmt", &[]);
    x.leaf("title", &[], &title);
    if let Some(a) = &author {
        let by_name = cx
            .names
            .entries
            .iter()
            .position(|e| super::names::normalise(&e.name) == super::names::normalise(a));
        let by_form = || {
            cx.names
                .find(a)
                .first()
                .filter(|m| m.span == (0..a.len()))
                .map(|m| m.entry)
        };
        let i = by_name.or_else(by_form);
        match i {
            Some(i) => {
                let r = format!("#{}", cx.names.entries[i].id);
                x.leaf("author", &[("ref", &r)], a);
            }
            None => x.leaf("author", &[], a),
        }
    }
    x.close();
    x.open("publicationStmt", &[]);
    x.leaf(
        "p",
        &[],
        &format!(
            "Encoded from plain text by teikit {}; not published.",
            env!("CARGO_PKG_VERSION")
        ),
    );
    x.close();
    x.open("sourceDesc", &[]);
    let source_line = plan.items.iter().find_map(|i| match i {
        Item::P(b) | Item::Head(b) => {
            let b = &blocks[*b];
            b.lines
                .iter()
                .find(|l| src[l.start..l.end].to_lowercase().starts_with("source:"))
                .cloned()
        }
        _ => None,
    });
    match (source_line, doc.and_then(|d| d.source.clone())) {
        (Some(l), _) => {
            let s = src[l].trim();
            bibl(x, s[7..].trim());
        }
        (None, Some(s)) => bibl(x, &s),
        (None, None) => {
            let name = options
                .source_name
                .clone()
                .unwrap_or_else(|| "a plain-text transcription".into());
            x.leaf("p", &[], &format!("Encoded from {name}."));
        }
    }
    x.close();
    x.close(); // fileDesc
    x.open("profileDesc", &[]);
    for l in letters {
        corresp_desc(x, cx, l, letters);
    }
    let (people, orgs): (Vec<usize>, Vec<usize>) =
        (0..cx.names.entries.len()).partition(|&i| cx.names.entries[i].kind == Kind::Person);
    if !people.is_empty() || !orgs.is_empty() {
        x.open("particDesc", &[]);
        if !people.is_empty() {
            x.open("listPerson", &[]);
            for i in people {
                let e = &cx.names.entries[i];
                x.open("person", &[("xml:id", &e.id)]);
                x.leaf("persName", &[], &e.name);
                for a in &e.authority {
                    x.leaf("idno", &[("type", "URI")], a);
                }
                x.close();
            }
            x.close();
        }
        if !orgs.is_empty() {
            x.open("listOrg", &[]);
            for i in orgs {
                let e = &cx.names.entries[i];
                x.open("org", &[("xml:id", &e.id)]);
                x.leaf("orgName", &[], &e.name);
                for a in &e.authority {
                    x.leaf("idno", &[("type", "URI")], a);
                }
                x.close();
            }
            x.close();
        }
        x.close();
    }
    if !cx.places.is_empty() {
        x.open("settingDesc", &[]);
        x.open("listPlace", &[]);
        for (i, p) in cx.places.iter().enumerate() {
            x.open("place", &[("xml:id", &place_id(i))]);
            x.leaf("placeName", &[], p);
            x.close();
        }
        x.close();
        x.close();
    }
    x.close(); // profileDesc
    x.close(); // teiHeader
}

/// A bibliographic line: the title up to the first comma, then volume, issue, date and pages.
type BiblMark<'a> = (
    Range<usize>,
    Option<(&'a str, &'a str)>,
    Option<PartialDate>,
);

fn bibl(x: &mut Xml, s: &str) {
    let s = s.trim_end_matches('.');
    x.open_inline("bibl", &[]);
    let (title, rest) = match s.find(',') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    x.inline_open("title", &[]);
    x.text(title.trim());
    x.inline_close("title");
    let re = regex::Regex::new(r"(?i)\b(vol\.?|volume)\s*([IVXLCDM\d]+)|\b(no\.?|number|issue)\s*(\d+)|\b(pp?\.)\s*(\d+(?:\s*[-–]\s*\d+)?)").expect("static regex");
    let mut last = 0;
    let mut marks: Vec<(Range<usize>, &str, &str)> = Vec::new();
    for c in re.captures_iter(rest) {
        let (Some(m0), unit, val) = (
            c.get(0),
            if c.get(1).is_some() {
                "volume"
            } else if c.get(3).is_some() {
                "issue"
            } else {
                "page"
            },
            c.get(2).or(c.get(4)).or(c.get(6)),
        ) else {
            continue;
        };
        if let Some(v) = val {
            marks.push((m0.start()..m0.end(), unit, v.as_str()));
        }
    }
    let dates = find_dates(rest, &super::cues::ENGLISH);
    let mut all: Vec<BiblMark> = marks
        .into_iter()
        .map(|(r, u, v)| (r, Some((u, v)), None))
        .collect();
    for d in dates {
        if d.date.year.is_some()
            && !all
                .iter()
                .any(|(r, _, _)| r.start < d.span.end && d.span.start < r.end)
        {
            all.push((d.span, None, Some(d.date)));
        }
    }
    all.sort_by_key(|a| a.0.start);
    for (r, scope, date) in all {
        x.text(&rest[last..r.start]);
        if let Some((unit, _)) = scope {
            x.inline_open("biblScope", &[("unit", unit)]);
            x.text(&rest[r.clone()]);
            x.inline_close("biblScope");
        } else if let Some(d) = date.and_then(|d| d.iso()) {
            x.inline_open("date", &[("when", &d)]);
            x.text(&rest[r.clone()]);
            x.inline_close("date");
        }
        last = r.end;
    }
    x.text(&rest[last..]);
    x.end_inline("bibl");
}

/// A party's name; `evidence` when the text does not name them (the collection's
/// correspondent, given or found).
fn name_el(x: &mut Xml, cx: &Ctx, i: usize, evidence: Option<&str>) {
    let e = &cx.names.entries[i];
    let r = format!("#{}", e.id);
    let el = if e.kind == Kind::Org {
        "orgName"
    } else {
        "persName"
    };
    match evidence {
        Some(ev) => x.leaf(el, &[("ref", &r), ("evidence", ev)], &e.name),
        None => x.leaf(el, &[("ref", &r)], &e.name),
    }
}

fn corresp_desc(x: &mut Xml, cx: &Ctx, l: &Letter, letters: &[Letter]) {
    let r = format!("#{}", l.id);
    x.open("correspDesc", &[("xml:id", &l.cd), ("ref", &r)]);
    x.open("correspAction", &[("type", "sent")]);
    let evidence = l.filled_evidence;
    for &s in &l.senders {
        name_el(x, cx, s, l.filled.sender.then_some(evidence));
    }
    if let Some(p) = &l.place {
        if let Some(i) = cx.places.iter().position(|q| q == p) {
            let r = format!("#{}", place_id(i));
            x.leaf("placeName", &[("ref", &r)], p);
        }
    }
    let iso = l.date.and_then(|d| d.iso());
    if let (Some((a, b)), Some(_)) = (l.span_from_neighbours, &iso) {
        // the span between the neighbours, as far as their dates are known
        let (a, b) = (a.iso().unwrap_or_default(), b.iso().unwrap_or_default());
        x.empty(
            "date",
            &[
                ("notBefore", &a),
                ("notAfter", &b),
                ("cert", "low"),
                ("evidence", "conjecture"),
            ],
        );
    } else if let Some(d) = &iso {
        if l.year_from_neighbours {
            x.empty(
                "date",
                &[("when", d), ("cert", "low"), ("evidence", "conjecture")],
            );
        } else {
            x.empty("date", &[("when", d)]);
        }
    }
    if l.senders.is_empty() && l.place.is_none() && iso.is_none() {
        x.leaf(
            "note",
            &[],
            "The text names neither sender, place nor date.",
        );
    }
    x.close();
    for &a in &l.addressees {
        x.open("correspAction", &[("type", "received")]);
        name_el(x, cx, a, l.filled.addressee.then_some(evidence));
        x.close();
    }
    for &c in &l.cc {
        if l.addressees.contains(&c) {
            continue;
        }
        x.open("correspAction", &[("type", "received"), ("subtype", "cc")]);
        name_el(x, cx, c, None);
        x.close();
    }
    if let Some(k) = l.reply_to {
        x.open("correspContext", &[]);
        let t = format!("#{}", letters[k].cd);
        x.leaf(
            "ref",
            &[("type", "replyTo"), ("target", &t)],
            &format!("Reply to letter {}", letters[k].n),
        );
        x.close();
    }
    x.close();
}

fn letter_content(x: &mut Xml, cx: &mut Ctx, lay: &Layout, l: &Letter) {
    let mut d = l.date;
    if !lay.opener.is_empty() {
        pieces(x, cx, "opener", &lay.opener, &mut d, l);
    }
    for p in &lay.body {
        inline_el(x, cx, "p", &[], p.clone(), &mut d, None);
    }
    if !lay.closer.is_empty() {
        pieces(x, cx, "closer", &lay.closer, &mut d, l);
    }
    for a in &lay.after {
        match a {
            After::Postscript(ps) => {
                x.open("postscript", &[]);
                for p in ps {
                    inline_el(x, cx, "p", &[], p.clone(), &mut d, None);
                }
                x.close();
            }
            After::Closer(c) => pieces(x, cx, "closer", c, &mut d, l),
        }
    }
}

fn pieces(
    x: &mut Xml,
    cx: &mut Ctx,
    el: &str,
    ps: &[Piece],
    d: &mut Option<PartialDate>,
    l: &Letter,
) {
    x.open_inline(el, &[]);
    for (k, p) in ps.iter().enumerate() {
        if k > 0 {
            x.text(
                &cx.src[ps[k - 1].span.end..p.span.start]
                    .replace(|c: char| !c.is_whitespace(), " "),
            );
        }
        match p.role {
            Role::Dateline => {
                x.inline_open("dateline", &[]);
                inline(x, cx, p.span.clone(), d, l.place.as_deref());
                x.inline_close("dateline");
            }
            Role::Salute => {
                x.inline_open("salute", &[]);
                inline(x, cx, p.span.clone(), d, None);
                x.inline_close("salute");
            }
            Role::Signed => {
                x.inline_open("signed", &[]);
                inline(x, cx, p.span.clone(), d, None);
                x.inline_close("signed");
            }
            Role::Addressee => {
                // one addrLine per line (an address panel has several)
                x.inline_open("address", &[]);
                let mut start = p.span.start;
                let src = cx.src;
                for line in src[p.span.clone()].split('\n') {
                    let end = start + line.len();
                    if start > p.span.start {
                        x.text("\n");
                    }
                    x.inline_open("addrLine", &[]);
                    inline(x, cx, start..end, d, None);
                    x.inline_close("addrLine");
                    start = end + 1;
                }
                x.inline_close("address");
            }
            Role::Docket => {
                x.inline_open("note", &[("type", "docket")]);
                // a docket's date is the docket's, not the letter's: no letter date completes it
                inline(x, cx, p.span.clone(), &mut None, None);
                x.inline_close("note");
            }
            Role::Plain => inline(x, cx, p.span.clone(), d, None),
        }
    }
    x.end_inline(el);
}

fn inline_el(
    x: &mut Xml,
    cx: &mut Ctx,
    el: &str,
    attrs: &[(&str, &str)],
    span: Range<usize>,
    d: &mut Option<PartialDate>,
    place: Option<&str>,
) {
    x.open_inline(el, attrs);
    inline(x, cx, span, d, place);
    x.end_inline(el);
}

enum Mark {
    Date(String),
    Name(usize, Option<String>),
    Place(usize),
}

/// Writes `span` of the source with dates, names and (in datelines) the place tagged.
/// `reference` is the date that completes dates without a year; full dates update it.
fn inline(
    x: &mut Xml,
    cx: &mut Ctx,
    span: Range<usize>,
    reference: &mut Option<PartialDate>,
    place: Option<&str>,
) {
    let s = &cx.src[span.clone()];
    let mut marks: Vec<(Range<usize>, Mark)> = Vec::new();
    for m in find_dates(s, cx.cues) {
        let mut date = m.date;
        if date.year.is_none() {
            if let Some(r) = *reference {
                date = infer_year(date, r);
                if date.year.is_some() {
                    let at = span.start + m.span.start;
                    cx.diagnostics.push(Diagnostic::new(
                        &INFERRED_YEAR,
                        at..span.start + m.span.end,
                        format!(
                            "\"{}\" read as {}",
                            &s[m.span.clone()],
                            date.iso().unwrap_or_default()
                        ),
                    ));
                }
            }
        } else if date.is_full() {
            *reference = Some(date);
        }
        if let Some(iso) = date.iso() {
            marks.push((m.span, Mark::Date(iso)));
        }
    }
    for m in cx.names.find(s) {
        if !marks
            .iter()
            .any(|(r, _)| r.start < m.span.end && m.span.start < r.end)
        {
            marks.push((m.span, Mark::Name(m.entry, m.reading)));
        }
    }
    if let Some(p) = place {
        if let Some(pos) = s.find(p) {
            let r = pos..pos + p.len();
            if let Some(i) = cx.places.iter().position(|q| q == p) {
                marks.retain(|(m, _)| !(m.start < r.end && r.start < m.end));
                marks.push((r, Mark::Place(i)));
            }
        }
    }
    marks.sort_by_key(|m| m.0.start);
    let mut last = 0;
    for (r, m) in marks {
        x.text(&s[last..r.start]);
        let t = &s[r.clone()];
        match m {
            Mark::Date(iso) => {
                x.inline_open("date", &[("when", &iso)]);
                x.text(t);
                x.inline_close("date");
            }
            Mark::Name(i, reading) => {
                let e = &cx.names.entries[i];
                let el = if e.kind == Kind::Org {
                    "orgName"
                } else {
                    "persName"
                };
                let rf = format!("#{}", e.id);
                x.inline_open(el, &[("ref", &rf)]);
                match reading {
                    Some(rd) => {
                        x.inline_open("choice", &[]);
                        x.inline_open("sic", &[]);
                        x.text(t);
                        x.inline_close("sic");
                        x.inline_open("corr", &[]);
                        x.text(&rd);
                        x.inline_close("corr");
                        x.inline_close("choice");
                    }
                    None => x.text(t),
                }
                x.inline_close(el);
            }
            Mark::Place(i) => {
                let rf = format!("#{}", place_id(i));
                x.inline_open("placeName", &[("ref", &rf)]);
                x.text(t);
                x.inline_close("placeName");
            }
        }
        last = r.end;
    }
    x.text(&s[last..]);
}
