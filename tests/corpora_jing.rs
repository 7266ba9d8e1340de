//! Verdicts equal to jing's, file by file, on every shared corpus (`$TEIKIT_SHARED/corpora`),
//! and jing's first error found on a line one of our diagnostics covers.
//!
//! The reference results are the `jing-*.tsv` files (columns `file`, `verdict`, `n_errors`,
//! `first_error` = `line:col: kind: message`). jing reports an error at the end of the start
//! tag (or end tag, or the tag after a text); we report spans, so a first error agrees when its
//! line falls in the line range of one of our diagnostics' spans or labels, extended to the
//! next tag for text.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use teikit::relaxng::validate::{line_range, validate_str};
use teikit::relaxng::Schema;

struct Run {
    name: &'static str,
    tsv: &'static str,
    schema: &'static str,
}

const RUNS: &[Run] = &[
    Run {
        name: "escher",
        tsv: "corpora/escher/jing-tei_all.tsv",
        schema: "schemas/tei_all.rng",
    },
    Run {
        name: "jean-paul",
        tsv: "corpora/jean-paul/jing-tei_all.tsv",
        schema: "schemas/tei_all.rng",
    },
    Run {
        name: "schnitzler-briefe",
        tsv: "corpora/schnitzler-briefe/jing-tei_all.tsv",
        schema: "schemas/tei_all.rng",
    },
    Run {
        name: "cmif",
        tsv: "corpora/cmif/jing-tei_all.tsv",
        schema: "schemas/tei_all.rng",
    },
    Run {
        name: "jean-paul/anbriefe",
        tsv: "corpora/jean-paul/jing-project-anbriefe.tsv",
        schema: "corpora/jean-paul/schema/ediarum.JP-ANBRIEFE.rng",
    },
    Run {
        name: "jean-paul/umfeldbriefe",
        tsv: "corpora/jean-paul/jing-project-umfeldbriefe.tsv",
        schema: "corpora/jean-paul/schema/ediarum.JP-UMFELDBRIEFE.rng",
    },
    Run {
        name: "jean-paul/vonbriefe",
        tsv: "corpora/jean-paul/jing-project-vonbriefe.tsv",
        schema: "corpora/jean-paul/schema/ediarum.JP-VONBRIEFE.rng",
    },
    Run {
        name: "cmif/cmi-customization",
        tsv: "corpora/cmif/jing-cmi-customization.tsv",
        schema: "schemas/cmi-customization.rng",
    },
];

struct Row {
    file: String,
    invalid: bool,
    n_errors: usize,
    first_line: Option<u32>,
    first_error: String,
}

fn read_tsv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            continue;
        }
        let first_error = cols.get(3).copied().unwrap_or("").to_string();
        let first_line = first_error.split(':').next().and_then(|l| l.parse().ok());
        rows.push(Row {
            file: cols[0].to_string(),
            invalid: cols[1] == "invalid",
            n_errors: cols[2].parse().unwrap_or(0),
            first_line,
            first_error,
        });
    }
    rows
}

/// Our outcome for one file.
struct Outcome {
    invalid: bool,
    n_errors: usize,
    covers_first: bool,
    first_ours: String,
}

fn check_file(schema: &Schema, path: &Path, first_line: Option<u32>) -> Result<Outcome, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    // Well-formedness errors (`tei::xml::*`) count like jing's fatal errors; warnings (an
    // ignored external entity) do not make a file invalid.
    let diags: Vec<_> = validate_str(schema, &text)
        .into_iter()
        .filter(|d| d.severity == teikit::diagnostic::Severity::Error)
        .collect();
    let mut covers_first = false;
    if let Some(want) = first_line {
        for d in &diags {
            let mut spans = vec![d.span.clone()];
            spans.extend(d.labels.iter().map(|l| l.span.clone()));
            if d.code.id == "tei::rng::unexpected_text"
                || d.code.id == "tei::rng::invalid_text_value"
            {
                // jing reports text at the tag that follows it.
                let end = text[d.span.end.min(text.len())..]
                    .find('>')
                    .map_or(text.len(), |i| d.span.end + i + 1);
                spans.push(d.span.start..end);
            }
            if spans.iter().any(|s| {
                let (a, b) = line_range(&text, s);
                a <= want && want <= b
            }) {
                covers_first = true;
                break;
            }
        }
    }
    let first_ours = diags
        .first()
        .map(|d| {
            let (l, _) = line_range(&text, &d.span);
            format!("{l}: {} {}", d.code.id, d.message)
        })
        .unwrap_or_default();
    Ok(Outcome {
        invalid: !diags.is_empty(),
        n_errors: diags.len(),
        covers_first,
        first_ours,
    })
}

#[test]
fn verdicts_equal_jing_on_every_corpus() {
    let Some(shared) = std::env::var_os("TEIKIT_SHARED") else {
        println!("skipped: TEIKIT_SHARED not set");
        return;
    };
    let shared = PathBuf::from(shared);
    assert!(
        shared.is_dir(),
        "TEIKIT_SHARED={} does not exist",
        shared.display()
    );
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    let mut schemas: Vec<(&str, Schema)> = Vec::new();
    for run in RUNS {
        let tsv = shared.join(run.tsv);
        let rows = read_tsv(&tsv);
        assert!(!rows.is_empty(), "{} lists no files", tsv.display());
        let base = tsv.parent().map(Path::to_path_buf).unwrap_or_default();
        if !schemas.iter().any(|(p, _)| *p == run.schema) {
            let schema = Schema::from_file(shared.join(run.schema))
                .unwrap_or_else(|e| panic!("schema {} does not compile:\n{e}", run.schema));
            schemas.push((run.schema, schema));
        }
        let schema = &schemas
            .iter()
            .find(|(p, _)| *p == run.schema)
            .expect("compiled")
            .1;
        let outcomes: Vec<(&Row, Result<Outcome, String>)> = rows
            .par_iter()
            .map(|row| {
                (
                    row,
                    check_file(schema, &base.join(&row.file), row.first_line),
                )
            })
            .collect();
        let (mut same, mut first_ok, mut first_total, mut ours_n, mut jing_n, mut same_n) =
            (0, 0, 0, 0, 0, 0);
        for (row, out) in &outcomes {
            match out {
                Err(e) => problems.push(format!("{}: {}: {e}", run.name, row.file)),
                Ok(o) => {
                    ours_n += o.n_errors;
                    jing_n += row.n_errors;
                    if o.n_errors == row.n_errors {
                        same_n += 1;
                    }
                    if o.invalid == row.invalid {
                        same += 1;
                    } else {
                        problems.push(format!(
                            "{}: {}: verdict {} (jing {}); ours: {}; jing: {}",
                            run.name,
                            row.file,
                            if o.invalid { "invalid" } else { "valid" },
                            if row.invalid { "invalid" } else { "valid" },
                            o.first_ours,
                            row.first_error
                        ));
                    }
                    if row.first_line.is_some() && o.invalid {
                        first_total += 1;
                        if o.covers_first {
                            first_ok += 1;
                        } else {
                            problems.push(format!(
                                "{}: {}: jing's first error not on a line we flag: {}; ours: {}",
                                run.name, row.file, row.first_error, o.first_ours
                            ));
                        }
                    }
                }
            }
        }
        summary.push(format!(
            "{:<24} files {:>4}  verdicts equal {:>4}  first error line {:>4}/{:<4}  errors ours {:>5} jing {:>5} (same count in {} files)",
            run.name,
            rows.len(),
            same,
            first_ok,
            first_total,
            ours_n,
            jing_n,
            same_n
        ));
    }
    for s in &summary {
        println!("{s}");
    }
    if !problems.is_empty() {
        for p in &problems {
            println!("MISMATCH {p}");
        }
        panic!("{} mismatches with jing (listed above)", problems.len());
    }
}
