//! `teikit export cmif`: TEI letters to one CMIF 1.1 file (a TEI header with one `correspDesc`
//! per letter, for correspSearch).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::config::{derived_uuid, today, BiblConfig, CmifConfig, ConfigError, Licence};
use super::model::{Action, Letter, SkipReason, SourceBibl};
use super::read::{letters_of, parse, xml_files, TEI_NS};
use super::register::Register;

/// A file that could not be read or parsed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileProblem {
    /// The file.
    pub file: PathBuf,
    /// What went wrong.
    pub error: String,
}

/// A letter that was not exported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    /// The file.
    pub file: PathBuf,
    /// 1-based line of its correspDesc.
    pub line: u32,
    /// The letter id.
    pub id: String,
    /// Why.
    pub reason: SkipReason,
}

/// Counts of names and places, by whether they carry an authority URI.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NameCounts {
    /// Occurrences with an authority URI.
    pub with_uri: usize,
    /// Occurrences without.
    pub without_uri: usize,
    /// Distinct names (or URIs) with an authority URI.
    pub distinct_with_uri: usize,
    /// Distinct names without.
    pub distinct_without_uri: usize,
}

/// What an export did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// XML files read.
    pub files_read: usize,
    /// Files that could not be read or parsed (skipped).
    pub unreadable: Vec<FileProblem>,
    /// correspDesc elements found.
    pub letters_in: usize,
    /// correspDesc elements written.
    pub letters_exported: usize,
    /// Exported letters without any date.
    pub letters_undated: usize,
    /// Exported letters whose typed sender/addressee contradicted the document title and were
    /// swapped to follow the title.
    pub letters_roles_swapped: usize,
    /// Skipped letters by reason.
    pub skipped_by_reason: BTreeMap<SkipReason, usize>,
    /// Every skipped letter.
    pub skipped: Vec<Skipped>,
    /// Persons and organisations in the exported letters.
    pub persons: NameCounts,
    /// Places in the exported letters.
    pub places: NameCounts,
    /// Entities read from register files given with `--register`.
    pub register_entries: usize,
    /// Exported letters whose source edition (no `[[cmif.bibl]]` names one) was read from their
    /// own `fileDesc`.
    pub letters_edition_from_file: usize,
}

impl Summary {
    /// Whether the CMIF written holds a letter (and so a source edition): a file without one is
    /// not valid CMIF and must not be written.
    pub fn is_complete(&self) -> bool {
        self.letters_exported > 0
    }

    /// A few lines for people (stderr).
    pub fn human(&self) -> String {
        let mut s = format!(
            "{} file(s) read, {} letter(s) found, {} exported, {} skipped\n",
            self.files_read,
            self.letters_in,
            self.letters_exported,
            self.skipped.len()
        );
        s += &format!(
            "persons: {} with authority URI, {} without ({} distinct names without)\n",
            self.persons.with_uri, self.persons.without_uri, self.persons.distinct_without_uri
        );
        s += &format!(
            "places: {} with GeoNames URI, {} without ({} distinct names without)\n",
            self.places.with_uri, self.places.without_uri, self.places.distinct_without_uri
        );
        if self.letters_undated > 0 {
            s += &format!("{} exported letter(s) have no date\n", self.letters_undated);
        }
        if self.letters_edition_from_file > 0 {
            s += &format!(
                "{} letter(s): source edition read from their own fileDesc (configure [[cmif.bibl]] to name it)\n",
                self.letters_edition_from_file
            );
        }
        if self.letters_roles_swapped > 0 {
            s += &format!(
                "{} letter(s): names typed sender/addressee contradicted the title; exported as the title says\n",
                self.letters_roles_swapped
            );
        }
        for (reason, n) in &self.skipped_by_reason {
            s += &format!("skipped {n}: {}\n", reason.describe());
        }
        for p in &self.unreadable {
            s += &format!("unreadable: {}: {}\n", p.file.display(), p.error);
        }
        s
    }
}

/// The result of reading letters: the letters and what went wrong along the way.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every letter found.
    pub letters: Vec<Letter>,
    /// Files read.
    pub files_read: usize,
    /// Files that could not be read.
    pub unreadable: Vec<FileProblem>,
    /// Entities from register files.
    pub register_entries: usize,
    /// Ids of the source editions read from letter files' own `fileDesc`.
    pub editions_from_files: BTreeSet<String>,
}

/// Reads all letters under `paths`, resolving names through each file's own lists and the
/// `registers` (personographies, place lists given on the command line).
pub fn collect(paths: &[PathBuf], registers: &[PathBuf]) -> std::io::Result<Collected> {
    let mut base = Register::new();
    let mut collected = Collected::default();
    for reg in registers {
        let text = std::fs::read_to_string(reg)?;
        match parse(&text) {
            Ok(doc) => base.add_document(&doc),
            Err(e) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("register {}: {e}", reg.display()),
                ));
            }
        }
    }
    collected.register_entries = base.len();
    let base = std::sync::Arc::new(base);
    for file in xml_files(paths)? {
        collected.files_read += 1;
        let text = match crate::fsutil::read_input(&file) {
            Ok(bytes) => match decode(bytes) {
                Some(t) => t,
                None => {
                    collected.unreadable.push(FileProblem {
                        file,
                        error: "not UTF-8 (nor UTF-16 with a byte order mark)".into(),
                    });
                    continue;
                }
            },
            Err(e) => {
                collected.unreadable.push(FileProblem {
                    file,
                    error: e.to_string(),
                });
                continue;
            }
        };
        let doc = match parse(text.trim_start_matches('\u{feff}')) {
            Ok(doc) => doc,
            Err(e) => {
                collected.unreadable.push(FileProblem {
                    file,
                    error: e.to_string(),
                });
                continue;
            }
        };
        if doc.root_element().tag_name().namespace() != Some(TEI_NS) {
            collected.unreadable.push(FileProblem {
                file,
                error: "not a TEI document".into(),
            });
            continue;
        }
        let mut register = Register::over(base.clone());
        register.add_document(&doc);
        let edition = super::edition::edition_of(&doc);
        for mut letter in letters_of(&doc, &file, &register) {
            if letter.source_bibl.is_none() {
                if let Some(e) = &edition {
                    collected.editions_from_files.insert(e.id.clone());
                    letter.source_bibl = Some(e.clone());
                }
            }
            collected.letters.push(letter);
        }
    }
    Ok(collected)
}

/// UTF-8, or UTF-16 with a byte order mark; `None` for anything else.
fn decode(bytes: Vec<u8>) -> Option<String> {
    match encoding_rs::Encoding::for_bom(&bytes) {
        Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
            (!had_errors).then(|| text.into_owned())
        }
        _ => String::from_utf8(bytes).ok(),
    }
}

/// A bibl as written: id, type, text, url.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bibl {
    id: String,
    type_: String,
    text: String,
    url: Option<String>,
}

fn configured_bibl(b: &BiblConfig) -> Bibl {
    Bibl {
        id: b.id.clone().unwrap_or_else(|| derived_uuid(&b.text)),
        type_: b
            .type_
            .clone()
            .unwrap_or_else(|| if b.url.is_some() { "online" } else { "print" }.to_string()),
        text: b.text.trim().to_string(),
        url: b.url.clone(),
    }
}

fn carried_bibl(s: &SourceBibl) -> Bibl {
    let type_ = match s.type_.as_deref() {
        Some(t @ ("print" | "online" | "hybrid")) => t.to_string(),
        _ if s.url.is_some() => "online".to_string(),
        _ => "print".to_string(),
    };
    Bibl {
        id: s.id.clone(),
        type_,
        text: s.text.clone(),
        url: s.url.clone(),
    }
}

/// Picks the bibl of a letter: a configured one whose `paths` match its file, else a configured
/// one without `paths`, else the bibl its CMIF input pointed to or its own `fileDesc` names.
fn bibl_for(letter: &Letter, config: &CmifConfig) -> Option<Bibl> {
    let file = letter.file.to_string_lossy();
    let by_path = config
        .bibl
        .iter()
        .find(|b| !b.paths.is_empty() && b.paths.iter().any(|p| file.contains(p.as_str())));
    let general = config.bibl.iter().find(|b| b.paths.is_empty());
    by_path
        .or(general)
        .map(configured_bibl)
        .or_else(|| letter.source_bibl.as_ref().map(carried_bibl))
}

fn letter_url(letter: &Letter, config: &CmifConfig) -> Option<String> {
    match &config.letter_url {
        Some(pattern) => {
            let stem = letter
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(pattern.replace("{id}", &letter.id).replace("{file}", &stem))
        }
        None => letter.url.clone(),
    }
}

/// A letter ready to write.
struct Out<'a> {
    letter: &'a Letter,
    url: Option<String>,
    bibl_id: String,
}

/// Exports letters to CMIF text. Returns the document and the summary; the caller writes it
/// when [`Summary::is_complete`] (a CMIF file without a letter is not valid CMIF).
pub fn to_cmif(
    collected: &Collected,
    config: &CmifConfig,
) -> Result<(String, Summary), ConfigError> {
    let licence = config.check()?;
    let mut summary = Summary {
        files_read: collected.files_read,
        unreadable: collected.unreadable.clone(),
        letters_in: collected.letters.len(),
        register_entries: collected.register_entries,
        ..Summary::default()
    };
    let mut bibls: Vec<Bibl> = Vec::new();
    let mut bibl_ids: std::collections::HashSet<String> = Default::default();
    let mut out = Vec::new();
    let skip = |summary: &mut Summary, letter: &Letter, reason: SkipReason| {
        *summary.skipped_by_reason.entry(reason).or_insert(0) += 1;
        summary.skipped.push(Skipped {
            file: letter.file.clone(),
            line: letter.line,
            id: letter.id.clone(),
            reason,
        });
    };
    for letter in &collected.letters {
        if letter.sent.is_none() {
            skip(&mut summary, letter, SkipReason::NoSentAction);
            continue;
        }
        if letter.received.is_none() {
            skip(&mut summary, letter, SkipReason::NoReceivedAction);
            continue;
        }
        let dated = [&letter.sent, &letter.received]
            .iter()
            .any(|a| a.as_ref().is_some_and(|a| a.date.is_some()));
        if !dated && config.require_date {
            skip(&mut summary, letter, SkipReason::NoDate);
            continue;
        }
        let Some(bibl) = bibl_for(letter, config) else {
            skip(&mut summary, letter, SkipReason::NoSourceEdition);
            continue;
        };
        if !dated {
            summary.letters_undated += 1;
        }
        if letter.roles_swapped {
            summary.letters_roles_swapped += 1;
        }
        let configured = config.bibl.iter().any(|b| configured_bibl(b).id == bibl.id);
        if !configured && collected.editions_from_files.contains(&bibl.id) {
            summary.letters_edition_from_file += 1;
        }
        let bibl_id = bibl.id.clone();
        if bibl_ids.insert(bibl.id.clone()) {
            bibls.push(bibl);
        }
        out.push(Out {
            letter,
            url: letter_url(letter, config),
            bibl_id,
        });
    }
    summary.letters_exported = out.len();
    count_names(&out, &mut summary);
    let date = config.date.clone().unwrap_or_else(today);
    let xml = write_cmif(config, licence, &date, &bibls, &out)
        .map_err(|e| ConfigError::Invalid(format!("writing CMIF: {e}")))?;
    Ok((xml, summary))
}

fn count_names(out: &[Out], summary: &mut Summary) {
    let mut persons: (BTreeSet<String>, BTreeSet<String>) = Default::default();
    let mut places: (BTreeSet<String>, BTreeSet<String>) = Default::default();
    for o in out {
        for action in [&o.letter.sent, &o.letter.received].into_iter().flatten() {
            for p in &action.parties {
                match &p.uri {
                    Some(u) => {
                        summary.persons.with_uri += 1;
                        persons.0.insert(u.clone());
                    }
                    None => {
                        summary.persons.without_uri += 1;
                        persons.1.insert(p.name.clone());
                    }
                }
            }
            for p in &action.places {
                match &p.uri {
                    Some(u) => {
                        summary.places.with_uri += 1;
                        places.0.insert(u.clone());
                    }
                    None => {
                        summary.places.without_uri += 1;
                        places.1.insert(p.name.clone());
                    }
                }
            }
        }
    }
    summary.persons.distinct_with_uri = persons.0.len();
    summary.persons.distinct_without_uri = persons.1.len();
    summary.places.distinct_with_uri = places.0.len();
    summary.places.distinct_without_uri = places.1.len();
}

type W = quick_xml::Writer<Vec<u8>>;
type Res = std::io::Result<()>;

fn start(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> Res {
    let mut el = BytesStart::new(name);
    for (k, v) in attrs {
        el.push_attribute((*k, *v));
    }
    w.write_event(Event::Start(el))
}

fn end(w: &mut W, name: &str) -> Res {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> Res {
    let mut el = BytesStart::new(name);
    for (k, v) in attrs {
        el.push_attribute((*k, *v));
    }
    w.write_event(Event::Empty(el))
}

fn text_el(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> Res {
    start(w, name, attrs)?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    end(w, name)
}

fn write_action(w: &mut W, type_: &str, action: &Action) -> Res {
    start(w, "correspAction", &[("type", type_)])?;
    for p in &action.parties {
        let name = if p.org { "orgName" } else { "persName" };
        match &p.uri {
            Some(u) => text_el(w, name, &[("ref", u)], &p.name)?,
            None => text_el(w, name, &[], &p.name)?,
        }
    }
    for p in &action.places {
        match &p.uri {
            Some(u) => text_el(w, "placeName", &[("ref", u)], &p.name)?,
            None => text_el(w, "placeName", &[], &p.name)?,
        }
    }
    if let Some(d) = &action.date {
        empty(w, "date", &d.attributes())?;
    }
    end(w, "correspAction")
}

fn write_cmif(
    config: &CmifConfig,
    licence: Licence,
    date: &str,
    bibls: &[Bibl],
    out: &[Out],
) -> std::io::Result<String> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    start(&mut w, "TEI", &[("xmlns", TEI_NS)])?;
    start(&mut w, "teiHeader", &[])?;
    start(&mut w, "fileDesc", &[])?;
    start(&mut w, "titleStmt", &[])?;
    text_el(&mut w, "title", &[], &s(&config.title))?;
    // Mixed content is written as one escaped run so that indentation adds no whitespace to it.
    let mut editor = escape(s(&config.editor).as_str()).into_owned();
    if let Some(email) = &config.email {
        editor += &format!("<email>{}</email>", escape(email.as_str()));
    }
    start(&mut w, "editor", &[])?;
    w.write_event(Event::Text(BytesText::from_escaped(editor)))?;
    end(&mut w, "editor")?;
    end(&mut w, "titleStmt")?;
    start(&mut w, "publicationStmt", &[])?;
    match &config.publisher_url {
        Some(url) => {
            start(&mut w, "publisher", &[])?;
            text_el(&mut w, "ref", &[("target", url)], &s(&config.publisher))?;
            end(&mut w, "publisher")?;
        }
        None => text_el(&mut w, "publisher", &[], &s(&config.publisher))?,
    }
    text_el(&mut w, "idno", &[("type", "url")], &s(&config.url))?;
    empty(&mut w, "date", &[("when", date)])?;
    start(&mut w, "availability", &[])?;
    text_el(
        &mut w,
        "licence",
        &[("target", licence.url())],
        licence.statement(),
    )?;
    end(&mut w, "availability")?;
    end(&mut w, "publicationStmt")?;
    start(&mut w, "sourceDesc", &[])?;
    for b in bibls {
        let mut content = escape(b.text.as_str()).into_owned();
        if let Some(url) = b.url.as_deref().filter(|u| !b.text.contains(*u)) {
            let url = escape(url);
            content += &format!(" <ref target=\"{url}\">{url}</ref>");
        }
        start(&mut w, "bibl", &[("type", &b.type_), ("xml:id", &b.id)])?;
        w.write_event(Event::Text(BytesText::from_escaped(content)))?;
        end(&mut w, "bibl")?;
    }
    end(&mut w, "sourceDesc")?;
    end(&mut w, "fileDesc")?;
    start(&mut w, "profileDesc", &[])?;
    for o in out {
        let source = format!("#{}", o.bibl_id);
        let mut attrs: Vec<(&str, &str)> = Vec::new();
        if let Some(u) = &o.url {
            attrs.push(("ref", u));
        }
        if let Some(k) = &o.letter.key {
            attrs.push(("key", k));
        }
        attrs.push(("source", &source));
        start(&mut w, "correspDesc", &attrs)?;
        if let Some(a) = &o.letter.sent {
            write_action(&mut w, "sent", a)?;
        }
        if let Some(a) = &o.letter.received {
            write_action(&mut w, "received", a)?;
        }
        end(&mut w, "correspDesc")?;
    }
    end(&mut w, "profileDesc")?;
    end(&mut w, "teiHeader")?;
    start(&mut w, "text", &[])?;
    start(&mut w, "body", &[])?;
    empty(&mut w, "p", &[])?;
    end(&mut w, "body")?;
    end(&mut w, "text")?;
    end(&mut w, "TEI")?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Reads `paths`, exports CMIF and writes it atomically to `output`.
pub fn export_to_file(
    paths: &[PathBuf],
    registers: &[PathBuf],
    config: &CmifConfig,
    output: &Path,
) -> Result<Summary, ExportError> {
    config.check()?;
    let collected = collect(paths, registers).map_err(ExportError::Io)?;
    let (xml, summary) = to_cmif(&collected, config)?;
    if !summary.is_complete() {
        return Err(ExportError::NoLetter(Box::new(summary)));
    }
    crate::fsutil::write_atomic(output, xml.as_bytes()).map_err(ExportError::Io)?;
    Ok(summary)
}

/// Why an export could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Settings missing or wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Reading inputs or writing the output failed.
    #[error("{0}")]
    Io(std::io::Error),
    /// No letter could be exported (nothing was written).
    #[error("no letter could be exported, so no CMIF file was written")]
    NoLetter(Box<Summary>),
}
