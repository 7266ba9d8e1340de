//! `teikit export`: CMIF for correspSearch, and a letter index.

use std::path::PathBuf;
use std::process::ExitCode;

use teikit::export::cmif::{collect, to_cmif, Summary};
use teikit::export::config::{BiblConfig, CmifConfig};
use teikit::export::index;

/// Output format of the export summary.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryFormat {
    /// A few lines on stderr.
    Human,
    /// JSON: on stdout when `-o` is given, else on stderr.
    Json,
}

/// Output format of the letter index.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON array of objects.
    Json,
}

/// Arguments of `teikit export cmif`.
#[derive(clap::Args, Debug)]
pub struct CmifArgs {
    /// TEI files or folders (folders are searched for *.xml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the CMIF here (atomically); default stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A TOML file with a [cmif] section.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Register files (personographies, place lists) used to resolve names.
    #[arg(long = "register", alias = "registers", value_name = "FILE")]
    pub registers: Vec<PathBuf>,
    /// Title of the CMIF file.
    #[arg(long)]
    pub title: Option<String>,
    /// The responsible editor.
    #[arg(long)]
    pub editor: Option<String>,
    /// The editor's email.
    #[arg(long)]
    pub email: Option<String>,
    /// The publisher.
    #[arg(long)]
    pub publisher: Option<String>,
    /// The publisher's URL.
    #[arg(long)]
    pub publisher_url: Option<String>,
    /// The URL the CMIF file will have (its idno).
    #[arg(long)]
    pub url: Option<String>,
    /// CC-BY-4.0 (default) or CC0.
    #[arg(long)]
    pub licence: Option<String>,
    /// Pattern of a letter's URL; {id} and {file} are replaced.
    #[arg(long)]
    pub letter_url: Option<String>,
    /// Citation of the source edition (one bibl for all letters).
    #[arg(long)]
    pub bibl: Option<String>,
    /// xml:id of that edition's bibl (a UUID); default derived from its citation.
    #[arg(long)]
    pub bibl_id: Option<String>,
    /// Type of that edition: print, online or hybrid.
    #[arg(long)]
    pub bibl_type: Option<String>,
    /// URL of that edition.
    #[arg(long)]
    pub bibl_url: Option<String>,
    /// Publication date (YYYY-MM-DD); default today.
    #[arg(long)]
    pub date: Option<String>,
    /// Skip letters without a machine-readable date.
    #[arg(long)]
    pub require_date: bool,
    /// Summary format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
}

/// The export formats.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Write one CMIF 1.1 file (for correspSearch) from TEI letters.
    ///
    /// Every correspDesc becomes one letter; names get authority URIs (GND, VIAF, Wikidata, LoC;
    /// GeoNames for places) through the letters' own personographies, prefixDefs and the
    /// --register files. Nothing is invented: names without a URI are exported by name and
    /// counted. Settings come from the [cmif] section of --config and from flags (flags win).
    Cmif(Box<CmifArgs>),
    /// Print one row per letter: file, id, senders, addressees, date, place, authority URIs.
    Index {
        /// TEI files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Register files used to resolve names.
        #[arg(long = "register", alias = "registers", value_name = "FILE")]
        registers: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = IndexFormat::Csv)]
        format: IndexFormat,
        /// Write here (atomically) instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn emit(output: &Option<PathBuf>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => teikit::fsutil::write_atomic(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => super::output::stdout(text).map_err(|e| format!("cannot write to stdout: {e}")),
    }
}

fn report(summary: &Summary, format: SummaryFormat, to_stdout: bool) {
    match format {
        SummaryFormat::Human => stderr!("{}", summary.human().trim_end()),
        SummaryFormat::Json => {
            let json = serde_json::to_string_pretty(summary).unwrap_or_default();
            if to_stdout {
                if let Err(e) = super::output::stdout(&format!("{json}\n")) {
                    stderr!("teikit export: cannot write to standard output: {e}");
                }
            } else {
                stderr!("{json}");
            }
        }
    }
}

/// Runs `teikit export`.
pub fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::Cmif(args) => {
            let CmifArgs {
                paths,
                output,
                config,
                registers,
                title,
                editor,
                email,
                publisher,
                publisher_url,
                url,
                licence,
                letter_url,
                bibl,
                bibl_id,
                bibl_type,
                bibl_url,
                date,
                require_date,
                format,
            } = *args;
            let base = match &config {
                Some(path) => match CmifConfig::from_file(path) {
                    Ok(c) => c,
                    Err(e) => {
                        stderr!("error: {e}");
                        return ExitCode::from(2);
                    }
                },
                None => CmifConfig::default(),
            };
            let flags = CmifConfig {
                title,
                editor,
                email,
                publisher,
                publisher_url,
                url,
                licence,
                letter_url,
                date,
                require_date,
                bibl: bibl
                    .map(|text| {
                        vec![BiblConfig {
                            id: bibl_id,
                            type_: bibl_type,
                            text,
                            url: bibl_url,
                            paths: Vec::new(),
                        }]
                    })
                    .unwrap_or_default(),
            };
            let config = base.merge(flags);
            if let Err(e) = config.check() {
                stderr!("error: {e}");
                return ExitCode::from(2);
            }
            let collected = match collect(&paths, &registers) {
                Ok(c) => c,
                Err(e) => {
                    stderr!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let (xml, summary) = match to_cmif(&collected, &config) {
                Ok(r) => r,
                Err(e) => {
                    stderr!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            if !summary.is_complete() {
                // a CMIF file without a letter (and so without a source edition) is not valid
                report(&summary, format, false);
                stderr!(
                    "error: no letter could be exported, so no CMIF file was written{}",
                    if output.is_some() { "" } else { " to stdout" }
                );
                return ExitCode::from(1);
            }
            if let Err(e) = emit(&output, &xml) {
                stderr!("error: {e}");
                return ExitCode::from(2);
            }
            report(&summary, format, output.is_some());
            if summary.unreadable.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Index {
            paths,
            registers,
            format,
            output,
        } => {
            let collected = match collect(&paths, &registers) {
                Ok(c) => c,
                Err(e) => {
                    stderr!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let rows = index::rows(&collected.letters);
            let text = match format {
                IndexFormat::Csv => index::to_csv(&rows),
                IndexFormat::Json => index::to_json(&rows) + "\n",
            };
            if let Err(e) = emit(&output, &text) {
                stderr!("error: {e}");
                return ExitCode::from(2);
            }
            for p in &collected.unreadable {
                stderr!("unreadable: {}: {}", p.file.display(), p.error);
            }
            if collected.unreadable.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
