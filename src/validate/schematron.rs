//! The Schematron stage of the pipeline: which schemas run on a file (the grammar's embedded
//! rules, `--schematron`, `teikit.toml`, `xml-model`), compiled ahead of the files; a file read
//! whole gets one tree, a streamed one is checked record by record; hand-written TEI findings
//! that a Schematron rule reports too are dropped.

use super::{head_text, read_text, schema, Document, Options, SchemaChoice};
use crate::diagnostic::{Diagnostic, Severity};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The Schematron schemas that run on one file: the rules the grammar in use embeds (a
/// RELAX NG file in XML syntax), the config's and `--schematron`'s, and those the file's
/// `xml-model`s select; each once. Refused `xml-model`s are added to `diags`.
/// Compiles the schemas every file of the run uses before the files are read, side by side:
/// the `--schema` grammar on one thread, its embedded rules and the `--schematron` files on
/// another (else the first files wait for the grammar, then compile the Schematron).
/// The embedded rules are kept only when the grammar compiles, as when a file asks for them.
pub(super) fn compile_ahead(
    options: &Options,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
) {
    use crate::schematron::Source;
    let SchemaChoice::File(grammar) = &options.schema else {
        return;
    };
    if options.no_schematron {
        let _ = cache.get(grammar);
        return;
    }
    let embedded = Source::Embedded(grammar.clone());
    let (compiles, rules) = rayon::join(
        || cache.get(grammar).is_ok(),
        || {
            for f in options.config.schematron.iter().chain(&options.schematron) {
                let _ = sch.get(&Source::Sch(f.clone()));
            }
            sch.compile(&embedded)
        },
    );
    if compiles {
        sch.keep(&embedded, rules);
    }
}

fn schematron_sources(
    text: &str,
    path: &Path,
    grammar: &schema::SchemaSource,
    options: &Options,
    cache: &schema::SchemaCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::schematron::Source> {
    use crate::schematron::Source;
    let mut out = Vec::new();
    if options.no_schematron {
        return out;
    }
    if let schema::SchemaSource::File(g) = grammar {
        out.push(Source::Embedded(g.clone()));
    }
    for f in options.config.schematron.iter().chain(&options.schematron) {
        out.push(Source::Sch(f.clone()));
    }
    let (models, refused) = cache.schematron_models(text, path, options);
    out.extend(models.into_iter().map(Source::Sch));
    diags.extend(refused);
    let mut seen = HashSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

/// The Schematron schemas that run on one file ([`schematron_sources`], compiled), chosen
/// before the file is read (a file read whole gets its light tree from the validating pass only
/// when some run), and the `xml-model`s refused.
#[derive(Default)]
pub(super) struct Planned {
    /// The compiled schemas, each once.
    pub schemas: Vec<std::sync::Arc<crate::schematron::Schematron>>,
    /// Refused `xml-model`s (said only when the file is well-formed).
    refused: Vec<Diagnostic>,
}

/// Chooses the schemas of [`Planned`] for `document` (`grammar`: the grammar in use, when it
/// compiles).
pub(super) fn plan_schematron(
    document: &Document,
    path: &Path,
    grammar: &schema::SchemaSource,
    options: &Options,
    cache: &schema::SchemaCache,
    sch: &crate::schematron::sources::Cache,
) -> Planned {
    if options.no_schematron {
        return Planned::default();
    }
    let head;
    let prolog = match document {
        Document::Text(text) => text.as_str(),
        Document::Stream => {
            head = head_text(path);
            head.as_str()
        }
    };
    let mut refused = Vec::new();
    let sources = schematron_sources(prolog, path, grammar, options, cache, &mut refused);
    let schemas = sources
        .iter()
        .filter_map(|s| sch.get(s).ok().flatten())
        .collect();
    Planned { schemas, refused }
}

/// Runs the [`Planned`] schemas on one well-formed file and says which ran (`tree`: its light
/// tree, when the validating pass built one). A streamed file is checked record by record
/// ([`run_streamed_schematron`]).
pub(super) fn run_schematron(
    document: &Document,
    tree: Option<&crate::schematron::light::Light>,
    planned: Planned,
    path: &Path,
    options: &Options,
    diags: &mut Vec<Diagnostic>,
) -> Ran {
    diags.extend(planned.refused);
    let schemas = planned.schemas;
    if schemas.is_empty() {
        return Ran::default();
    }
    let limits = &options.schematron_limits;
    let infos = schemas
        .iter()
        .map(|s| std::sync::Arc::clone(&s.info))
        .collect();
    let surplus = match document {
        Document::Text(text) => {
            run_whole(text, tree, &schemas, limits, diags);
            Vec::new()
        }
        Document::Stream => run_streamed_schematron(
            path,
            &schemas,
            limits,
            crate::schematron::chunk::RECORD_BYTES,
            options.config.limits.diagnostics,
            diags,
        ),
    };
    Ran { infos, surplus }
}

/// Runs `schemas` on a document's whole tree.
fn run_whole(
    text: &str,
    tree: Option<&crate::schematron::light::Light>,
    schemas: &[std::sync::Arc<crate::schematron::Schematron>],
    limits: &crate::schematron::limits::Limits,
    diags: &mut Vec<Diagnostic>,
) {
    let before = diags.len();
    for s in schemas {
        diags.extend(s.run_with_tree(text, tree, limits));
    }
    let tags = diags[before..]
        .iter()
        .map(|d| {
            let start = d.span.start;
            let end = text
                .get(start..)
                .and_then(|t| t.find('>'))
                .map_or(start, |e| start + e);
            start..end
        })
        .collect::<Vec<_>>();
    drop_duplicates(&tags, diags, before);
}

/// What [`run_schematron`] ran, and what it found past the diagnostics limit (a streamed
/// file's findings are kept to the limit while they are found).
#[derive(Default)]
pub(super) struct Ran {
    /// The schemas that ran.
    pub infos: Vec<std::sync::Arc<crate::schematron::svrl::SchemaInfo>>,
    /// The findings not kept, counted.
    pub surplus: Vec<crate::limit::Surplus>,
}

/// Schematron on a streamed file ([`crate::schematron::chunk`]): the file is cut into records
/// (elements of at most `record_bytes` whose parent is larger); the patterns that are local
/// ([`crate::schematron::locality`]) run on batches of records and on the file without them,
/// a bounded tree at a time, so memory stays flat. The patterns that need the whole document
/// do not run: one `tei::sch::not_run` (advice) per schema names them, says why, and how to
/// have the file read whole (`--stream-from`). At most `max_diagnostics` findings of each
/// code and severity are kept (the earliest, with a placeholder where the first left out was);
/// the rest are returned, counted.
pub fn run_streamed_schematron(
    path: &Path,
    schemas: &[std::sync::Arc<crate::schematron::Schematron>],
    limits: &crate::schematron::limits::Limits,
    record_bytes: u64,
    max_diagnostics: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::limit::Surplus> {
    use crate::schematron::chunk;
    let size = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
    let whole = |diags: &mut Vec<Diagnostic>| {
        if size > limits.max_bytes {
            diags.push(Diagnostic::new(
                &crate::schematron::NOT_RUN,
                0..0,
                format!(
                    "the Schematron rules did not run: the file has {size} bytes, more than the tree limit of {} (--schematron-max-bytes), and no elements to check one by one",
                    limits.max_bytes
                ),
            ));
            return;
        }
        if let Some(text) = read_text(path) {
            run_whole(&text, None, schemas, limits, diags);
        }
    };
    let Some(cut) = chunk::cut(path, record_bytes.min(limits.max_bytes)) else {
        return Vec::new();
    };
    if !cut.is_split() {
        whole(diags);
        return Vec::new();
    }
    // a streamed file never gets a whole tree (memory stays flat): the patterns that need one
    // are named, with how to run them
    let splits: Vec<chunk::Split> = schemas.iter().map(|s| chunk::split(s, &cut)).collect();
    for (s, sp) in schemas.iter().zip(&splits) {
        if sp.global.is_empty() {
            continue;
        }
        const SHOWN: usize = 5;
        let mut list = sp
            .global
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if sp.global.len() > SHOWN {
            list.push_str(&format!("; and {} more", sp.global.len() - SHOWN));
        }
        // not a problem of the file: what was not checked, and how to check it
        let mut d = Diagnostic::new(
            &crate::schematron::NOT_RUN,
            0..0,
            format!(
                "{} pattern(s) of {} need the whole document as a tree and did not run: the file ({size} bytes) is read as a stream, a record at a time (--stream-from); the other rules ran record by record ({} records). To run them too, have the file read whole: --stream-from {}{} (the tree costs memory in proportion to the file). Not run: {list}",
                sp.global.len(),
                s.label,
                cut.records(),
                size + 1,
                if size > limits.max_bytes {
                    format!(" --schematron-max-bytes {size}")
                } else {
                    String::new()
                }
            ),
        );
        d.severity = Severity::Advice;
        diags.push(d);
    }
    let locals: Vec<_> = splits.into_iter().filter_map(|s| s.local).collect();
    if locals.is_empty() {
        return Vec::new();
    }
    let before = diags.len();
    let mut tags = Vec::new();
    let (found, surplus) = chunk::run(path, &cut, &locals, limits, max_diagnostics);
    for f in found {
        diags.push(f.diagnostic);
        tags.push(f.tag);
    }
    diags.extend(crate::limit::placeholders(&surplus));
    tags.extend(surplus.iter().map(|s| s.first.start..s.first.start));
    drop_duplicates(&tags, diags, before);
    surplus
}

/// How a Schematron finding is recognised as the one a hand-written rule duplicates.
#[derive(Clone, Copy)]
enum Covers {
    /// The id fragment of a TEI constraint in the finding's code (ODD output names its
    /// pattern after it).
    CodeFragment(&'static str),
    /// The message's leading marker: the SIG's `cmif.sch` numbers its asserts (`[E0001]`).
    MessageMarker(&'static str),
}

impl Covers {
    fn matches(self, d: &Diagnostic) -> bool {
        match self {
            Covers::CodeFragment(f) => d.code.id.contains(f),
            Covers::MessageMarker(m) => {
                d.schematron.is_some() && d.message.trim_start().starts_with(m)
            }
        }
    }
}

/// teikit's rules that a Schematron schema also carries: TEI's own embedded rules
/// (`tests/schematron_duplicates.rs` shows they fire at the same places), and the five asserts
/// of the CMIF SIG's `cmif.sch`, run with `--profile cmif --schematron cmif.sch` (the same test
/// file shows teikit's CMIF rules fire where cmif.sch's do).
const COVERED_BY_SCHEMATRON: &[(&str, Covers)] = &[
    (
        "tei::tei::when_with_range",
        Covers::CodeFragment("att_datable_w3c_when"),
    ),
    (
        "tei::tei::subtype_without_type",
        Covers::CodeFragment("att_typed_subtypetyped"),
    ),
    ("tei::cmif::missing_sent", Covers::MessageMarker("[E0001]")),
    (
        "tei::cmif::missing_received",
        Covers::MessageMarker("[E0002]"),
    ),
    (
        "tei::cmif::unresolved_source",
        Covers::MessageMarker("[E0003]"),
    ),
    (
        "tei::cmif::date_without_attribute",
        Covers::MessageMarker("[E0004]"),
    ),
    (
        "tei::cmif::bibl_id_not_uuid",
        Covers::MessageMarker("[W0001]"),
    ),
];

/// Drops a hand-written finding when the Schematron findings (`diags[from..]`, `tags[i]` the
/// start tag, or the attribute, the span of `diags[from + i]` starts in) hold the rule it
/// duplicates on the same node (the hand-written one points into that range): one finding,
/// the schema's own, which takes the hand-written finding's help (the concrete fix: "expected
/// one of: #ed1") before its own. Each hand-written finding is looked up by binary search
/// among the spans of its rule: O((h + s) log s) for h hand-written and s Schematron findings.
fn drop_duplicates(tags: &[std::ops::Range<usize>], diags: &mut Vec<Diagnostic>, from: usize) {
    // per hand-written code: (span the Schematron finding covers, index of that finding)
    let mut covered: HashMap<&'static str, Vec<(std::ops::Range<usize>, usize)>> = HashMap::new();
    for ((i, d), tag) in diags.iter().enumerate().skip(from).zip(tags) {
        for (hand, covers) in COVERED_BY_SCHEMATRON {
            if covers.matches(d) {
                covered.entry(hand).or_default().push((tag.clone(), i));
            }
        }
    }
    if covered.is_empty() {
        return;
    }
    for spans in covered.values_mut() {
        spans.sort_by_key(|(r, _)| r.start);
    }
    // the spans of one code are disjoint or nested with the same end (an attribute inside its
    // element's start tag): the last span starting at or before a position decides
    let cover_of = |d: &Diagnostic| -> Option<usize> {
        let spans = covered.get(d.code.id)?;
        let at = spans.partition_point(|(r, _)| r.start <= d.span.start);
        let (r, i) = spans.get(at.checked_sub(1)?)?;
        (r.start <= d.span.start && d.span.start <= r.end).then_some(*i)
    };
    let mut helps: Vec<(usize, String)> = Vec::new();
    let mut keep = Vec::with_capacity(diags.len());
    for (i, d) in diags.iter().enumerate() {
        let cover = if i < from { cover_of(d) } else { None };
        if let (Some(target), Some(help)) = (cover, &d.help) {
            helps.push((target, help.clone()));
        }
        keep.push(cover.is_none());
    }
    for (target, help) in helps {
        let d = &mut diags[target];
        d.help = Some(match d.help.take() {
            Some(own) if !own.contains(&help) => format!("{help}\n{own}"),
            Some(own) => own,
            None => help,
        });
    }
    let mut i = 0;
    diags.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}
