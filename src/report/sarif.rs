//! SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules used (with help text),
//! one result per diagnostic with a 1-based region, related locations for labels, a
//! `partialFingerprints` entry that survives lines moving, and percent-encoded relative URIs.
//!
//! GitHub takes at most [`MAX_RESULTS`] results per run: beyond that, errors are kept first,
//! then warnings, then advice, and one more result ([`RESULTS_LEFT_OUT`]) says how many were
//! left out. The log is written as it is built, one result at a time.

use super::fingerprint::Fingerprints;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::LineIndex;
use crate::validate::{FileReport, Outcome};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::io::Write;

/// Results per run that GitHub code scanning accepts.
pub const MAX_RESULTS: usize = 25_000;

/// `tei::report::results_left_out`
pub static RESULTS_LEFT_OUT: Code = Code {
    id: "tei::report::results_left_out",
    severity: Severity::Advice,
    summary: "The SARIF log holds only part of the results",
    explanation: "GitHub code scanning accepts at most 25,000 results per run. When a run finds \
more, the SARIF log keeps 24,999 of them (errors first, then warnings, then advice) and adds this \
one, which says how many were left out. `--format json` and `--format human` report every \
diagnostic; fixing the most frequent ones, or `teikit.toml` severities, bring the count down.",
};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// A URI reference for a path as reports write it: relative paths stay relative (GitHub
/// resolves them against the checkout), absolute ones become `file://` URIs. Every byte but
/// the unreserved characters of RFC 3986 and `/` is percent-encoded (UTF-8 for non-ASCII), so
/// that `a:b.xml` cannot read as a URI of scheme `a`.
pub fn uri(path: &str) -> String {
    let path = path.trim_start_matches("./");
    let drive = path.as_bytes().get(1) == Some(&b':')
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes().get(2) == Some(&b'/');
    let mut o = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        o.push_str("file://");
    } else if drive {
        o.push_str("file:///");
        o.push_str(&path[..2]);
    }
    for &b in &path.as_bytes()[if drive { 2 } else { 0 }..] {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

fn rule_name(id: &str) -> String {
    id.rsplit("::")
        .next()
        .unwrap_or(id)
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Results<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
struct Text<T: AsRef<str>> {
    text: T,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'static str,
    name: String,
    short_description: Text<&'static str>,
    full_description: Text<&'static str>,
    help: Help,
    default_configuration: Level,
    properties: Tags<'a>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Tags<'a> {
    tags: [&'a str; 1],
}

fn rule(r: &'static Code) -> Rule<'static> {
    Rule {
        id: r.id,
        name: rule_name(r.id),
        short_description: Text { text: r.summary },
        full_description: Text {
            text: r.explanation,
        },
        help: Help {
            text: format!(
                "{}\n\n{}\n\nRun `teikit explain {}` for this text.",
                r.summary, r.explanation, r.id
            ),
            markdown: format!("**{}**\n\n{}", r.summary, r.explanation),
        },
        default_configuration: Level {
            level: level(r.severity),
        },
        properties: Tags {
            tags: [r.id.split("::").nth(1).unwrap_or("")],
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'a str>>,
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
struct Fingerprint {
    #[serde(rename = "teikit/v1")]
    teikit: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprint,
}

/// Which diagnostics go into the log: all of them, or (past [`MAX_RESULTS`]) the first of each
/// severity, errors first, and how many were left out.
#[derive(Clone, Copy)]
struct Quota {
    /// How many of each severity (error, warning, advice) are kept.
    keep: [usize; 3],
    left_out: usize,
}

fn rank(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Advice => 2,
    }
}

impl Quota {
    fn of(outcome: &Outcome) -> Quota {
        let mut count = [0usize; 3];
        for d in outcome.files.iter().flat_map(|f| &f.diagnostics) {
            count[rank(d.severity)] += 1;
        }
        let total: usize = count.iter().sum();
        if total <= MAX_RESULTS {
            return Quota {
                keep: count,
                left_out: 0,
            };
        }
        let mut room = MAX_RESULTS - 1;
        let keep = count.map(|n| {
            let k = n.min(room);
            room -= k;
            k
        });
        Quota {
            keep,
            left_out: total - (MAX_RESULTS - 1),
        }
    }
}

/// The results, serialized one at a time as the log is written.
struct Results<'a> {
    outcome: &'a Outcome,
    rules: &'a [&'static Code],
    quota: Quota,
}

fn rule_index(rules: &[&'static Code], code: &Code) -> usize {
    rules.binary_search_by(|r| r.id.cmp(code.id)).unwrap_or(0)
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kept: usize = self.quota.keep.iter().sum();
        let notice = usize::from(self.quota.left_out > 0);
        let mut seq = s.serialize_seq(Some(kept + notice))?;
        let mut taken = [0usize; 3];
        let mut first_left_out: Option<&FileReport> = None;
        for f in &self.outcome.files {
            let path = uri(&super::path_text(f));
            let ix = (!f.source.is_empty()).then(|| LineIndex::new(&f.source));
            let mut prints = Fingerprints::new(&path);
            for d in &f.diagnostics {
                let r = rank(d.severity);
                if taken[r] == self.quota.keep[r] {
                    first_left_out.get_or_insert(f);
                    continue;
                }
                taken[r] += 1;
                let print = prints.of(f, d);
                seq.serialize_element(&result(f, ix.as_ref(), d, &path, self.rules, print))?;
            }
        }
        if let Some(f) = first_left_out {
            let path = uri(&super::path_text(f));
            let message = format!(
                "{} more result(s) were found than a SARIF run may hold ({MAX_RESULTS}) and are \
not in this log: `teikit validate --format json` lists them all",
                self.quota.left_out
            );
            let mut d = Diagnostic::new(&RESULTS_LEFT_OUT, 0..0, message).at(1, 1);
            d.severity = Severity::Advice;
            let print = Fingerprints::new(&path).of(f, &d);
            seq.serialize_element(&result(f, None, &d, &path, self.rules, print))?;
        }
        seq.end()
    }
}

fn result<'a>(
    f: &FileReport,
    ix: Option<&LineIndex>,
    d: &'a Diagnostic,
    path: &'a str,
    rules: &[&'static Code],
    fingerprint: String,
) -> SarifResult<'a> {
    let (el, ec) = super::end_of(f, ix, d);
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str(" Help: ");
        text.push_str(h);
    }
    // a diagnostic in content included from another file (XInclude) is in that file, and
    // the include elements that brought it in are its related locations
    let here: std::borrow::Cow<'a, str> = match &d.origin {
        Some(_) => uri(&super::diagnostic_path(f, d)).into(),
        None => path.into(),
    };
    let mut related: Vec<Location> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (sl, sc) = super::position_of(f, ix, d, l.span.start).unwrap_or((1, 1));
            Location {
                id: Some(i),
                message: Some(Text {
                    text: l.message.as_str(),
                }),
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: here.clone() },
                    region: Region {
                        start_line: sl,
                        start_column: sc,
                        end_line: None,
                        end_column: None,
                    },
                },
            }
        })
        .collect();
    if let Some(o) = &d.origin {
        for (file, line, column) in &o.included_from {
            related.push(Location {
                id: Some(related.len()),
                message: Some(Text {
                    text: "included from here",
                }),
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri(&file.to_string_lossy().replace('\\', "/")).into(),
                    },
                    region: Region {
                        start_line: (*line).max(1),
                        start_column: (*column).max(1),
                        end_line: None,
                        end_column: None,
                    },
                },
            });
        }
    }
    SarifResult {
        rule_id: d.code.id,
        rule_index: rule_index(rules, d.code),
        level: level(d.severity),
        message: Text { text },
        locations: [Location {
            id: None,
            message: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: here },
                region: Region {
                    start_line: d.line.max(1),
                    start_column: d.column.max(1),
                    end_line: Some(el),
                    end_column: Some(ec),
                },
            },
        }],
        related_locations: related,
        partial_fingerprints: Fingerprint {
            teikit: fingerprint,
        },
    }
}

/// Writes the outcome as a SARIF 2.1.0 log (pretty-printed, with a final newline).
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let quota = Quota::of(outcome);
    // the rules of the results kept, sorted by id (a result finds its rule by binary search)
    let mut taken = [0usize; 3];
    let mut rules: Vec<&'static Code> = Vec::new();
    for d in outcome.files.iter().flat_map(|f| &f.diagnostics) {
        let r = rank(d.severity);
        if taken[r] < quota.keep[r] {
            taken[r] += 1;
            rules.push(d.code);
        }
    }
    if quota.left_out > 0 {
        rules.push(&RESULTS_LEFT_OUT);
    }
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "teikit",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/teikit/teikit",
                    rules: rules.iter().map(|r| rule(r)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: Results {
                outcome,
                rules: &rules,
                quota,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// The outcome as a SARIF 2.1.0 log (no trailing newline).
pub fn render(outcome: &Outcome) -> String {
    let mut out = Vec::new();
    // writing to memory cannot fail
    let _ = write(outcome, &mut out);
    out.pop();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::FileReport;

    #[test]
    fn uris() {
        assert_eq!(uri("./a b/c#1.xml"), "a%20b/c%231.xml");
        assert_eq!(uri("/srv/x.xml"), "file:///srv/x.xml");
        assert_eq!(uri("a:b.xml"), "a%3Ab.xml");
        assert_eq!(uri("briefe/ä.xml"), "briefe/%C3%A4.xml");
        assert_eq!(uri("50%.xml"), "50%25.xml");
        assert_eq!(uri("C:/x/y.xml"), "file:///C:/x/y.xml");
        assert_eq!(rule_name("tei::xref::dangling_ref"), "DanglingRef");
    }

    fn outcome(errors: usize, warnings: usize) -> Outcome {
        let mut diagnostics = Vec::new();
        for i in 0..warnings {
            diagnostics.push(
                Diagnostic::new(&crate::validate::UNREADABLE, 0..0, format!("w{i}")).at(1, 1),
            );
            diagnostics.last_mut().unwrap().severity = Severity::Warning;
        }
        for i in 0..errors {
            diagnostics.push(
                Diagnostic::new(&crate::validate::UNREADABLE, 0..0, format!("e{i}")).at(2, 1),
            );
        }
        Outcome {
            files: vec![FileReport {
                path: "a.xml".into(),
                schema: "none".into(),
                diagnostics,
                source: String::new(),
                excerpts: Default::default(),
                fatal: false,
                schematron: Vec::new(),
            }],
            ..Outcome::default()
        }
    }

    #[test]
    fn a_run_holds_at_most_max_results_errors_first() {
        let v: serde_json::Value =
            serde_json::from_str(&render(&outcome(MAX_RESULTS - 10, 30))).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        let warnings = results.iter().filter(|r| r["level"] == "warning").count();
        assert_eq!(warnings, 9, "the errors first, then the warnings that fit");
        let last = results.last().unwrap();
        assert_eq!(last["ruleId"], RESULTS_LEFT_OUT.id);
        assert!(last["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("21 more"));
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(rules.iter().any(|r| r["id"] == RESULTS_LEFT_OUT.id));
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        // exactly at the limit: nothing left out
        let v: serde_json::Value = serde_json::from_str(&render(&outcome(MAX_RESULTS, 0))).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        assert!(results.iter().all(|r| r["ruleId"] != RESULTS_LEFT_OUT.id));
    }
}
