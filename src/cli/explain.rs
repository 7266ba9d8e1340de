//! `teikit explain CODE`: the documentation of a diagnostic code, or the list of all codes.

use std::process::ExitCode;

/// Arguments of `teikit explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A code such as `tei::xref::dangling_ref`; without it, every code is listed.
    pub code: Option<String>,
}

/// Runs `teikit explain`.
pub fn run(args: Args) -> ExitCode {
    match args.code {
        None => {
            for c in teikit::diagnostic::all_codes() {
                println!("{:<40} {:<8} {}", c.id, c.severity.as_str(), c.summary);
            }
            ExitCode::SUCCESS
        }
        Some(id) => match teikit::diagnostic::find_code(&id) {
            Some(c) => {
                println!(
                    "{} ({})\n\n{}\n\n{}",
                    c.id,
                    c.severity.as_str(),
                    c.summary,
                    c.explanation
                );
                ExitCode::SUCCESS
            }
            None => {
                // `dangling_ref` or `xref::dangling_ref` for short, or a near miss
                let codes = teikit::diagnostic::all_codes();
                let by_suffix: Vec<_> = codes
                    .iter()
                    .filter(|c| c.id.ends_with(&format!("::{id}")))
                    .collect();
                if let [c] = by_suffix.as_slice() {
                    println!(
                        "{} ({})\n\n{}\n\n{}",
                        c.id,
                        c.severity.as_str(),
                        c.summary,
                        c.explanation
                    );
                    return ExitCode::SUCCESS;
                }
                let near = codes
                    .iter()
                    .map(|c| (strsim::jaro_winkler(&id, c.id), c.id))
                    .filter(|(s, _)| *s > 0.85)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                match near {
                    Some((_, n)) => {
                        eprintln!("teikit explain: unknown code `{id}`; did you mean `{n}`?")
                    }
                    None => eprintln!(
                        "teikit explain: unknown code `{id}`; `teikit explain` lists them all"
                    ),
                }
                ExitCode::from(2)
            }
        },
    }
}
