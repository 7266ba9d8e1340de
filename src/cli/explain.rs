//! `teikit explain CODE`: the documentation of a diagnostic code, or the list of all codes.

use std::process::ExitCode;
use teikit::diagnostic::Code;

/// Arguments of `teikit explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A code such as `tei::xref::dangling_ref`; without it, every code is listed.
    pub code: Option<String>,
}

fn page(c: &Code) -> String {
    format!(
        "{} ({})\n\n{}\n\n{}\n",
        c.id,
        c.severity.as_str(),
        c.summary,
        c.explanation
    )
}

fn print(text: &str) -> ExitCode {
    match super::output::stdout(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            stderr!("teikit explain: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs `teikit explain`.
pub fn run(args: Args) -> ExitCode {
    let codes = teikit::diagnostic::all_codes();
    let Some(id) = args.code else {
        let list: String = codes
            .iter()
            .map(|c| format!("{:<40} {:<8} {}\n", c.id, c.severity.as_str(), c.summary))
            .collect();
        return print(&list);
    };
    if let Some(c) = teikit::diagnostic::find_code(&id) {
        return print(&page(c));
    }
    // `dangling_ref` or `xref::dangling_ref` for short, or a near miss
    let by_suffix: Vec<_> = codes
        .iter()
        .filter(|c| c.id.ends_with(&format!("::{id}")))
        .collect();
    if let [c] = by_suffix.as_slice() {
        return print(&page(c));
    }
    let near = codes
        .iter()
        .map(|c| (strsim::jaro_winkler(&id, c.id), c.id))
        .filter(|(s, _)| *s > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match near {
        Some((_, n)) => stderr!("teikit explain: unknown code `{id}`; did you mean `{n}`?"),
        None => stderr!("teikit explain: unknown code `{id}`; `teikit explain` lists them all"),
    }
    ExitCode::from(2)
}
