//! `teikit.toml`: severities per code or area, registers, the schema map, ignored paths.
//!
//! ```toml
//! registers = ["registers/people.xml"]     # relative to this file
//! ignore = ["drafts/**", "*.bak.xml"]      # gitignore-style globs
//! schematron = ["rules/project.sch"]       # Schematron run on every file
//! phase = "letters"                        # the Schematron phase (`--phase` overrides it)
//!
//! [severity]
//! "tei::consistency" = "off"               # a whole area
//! "tei::corresp::unknown_action_type" = "advice"
//!
//! [schemas]                                # xml-model URLs to local schema files
//! "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" = "schemas/tei_all.rng"
//!
//! [limits]                                 # see teikit::limit (defaults in parentheses)
//! depth = 10000                            # elements open at once (4096)
//! diagnostics = 200                        # reported per file (1000)
//! ```

use crate::diagnostic::{Diagnostic, Severity};
use crate::limit::Limits;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name looked for upward from the working folder.
pub const CONFIG_FILE: &str = "teikit.toml";

/// A configured severity: a [`Severity`] or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Drop the diagnostic.
    Off,
    /// Report as advice.
    Advice,
    /// Report as a warning.
    Warning,
    /// Report as an error.
    Error,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    registers: Vec<PathBuf>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Level>,
    #[serde(default)]
    schemas: BTreeMap<String, PathBuf>,
    #[serde(default)]
    limits: BTreeMap<String, toml::Value>,
    #[serde(default)]
    schematron: Vec<PathBuf>,
    #[serde(default)]
    phase: Option<String>,
}

/// A loaded configuration; paths are resolved against the config file's folder.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// Where it was read from.
    pub path: Option<PathBuf>,
    /// Register files.
    pub registers: Vec<PathBuf>,
    /// Ignore globs for folder walks.
    pub ignore: Vec<String>,
    /// Severity per code id or area prefix (`tei::consistency`).
    pub severity: BTreeMap<String, Level>,
    /// xml-model URL → local schema file.
    pub schemas: BTreeMap<String, PathBuf>,
    /// The limits every file is read under (`[limits]`; the defaults for the rest).
    pub limits: Limits,
    /// Schematron schemas run on every file.
    pub schematron: Vec<PathBuf>,
    /// The Schematron phase (`phase = "…"`; `--phase` overrides it).
    pub phase: Option<String>,
}

impl Config {
    /// Reads a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read config: {e}", path.display()))?;
        let raw: Raw = toml::from_str(&text)
            .map_err(|e| format!("{}: invalid config: {}", path.display(), e.message()))?;
        for k in raw.severity.keys() {
            let known = crate::diagnostic::all_codes()
                .iter()
                .any(|c| c.id == k || c.id.starts_with(&format!("{k}::")));
            if !known {
                return Err(format!("{}: [severity] names `{k}`, which is no code or area (`teikit explain` lists them)", path.display()));
            }
        }
        let limits =
            read_limits(&raw.limits).map_err(|e| format!("{}: [limits]: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        Ok(Config {
            limits,
            path: Some(path.to_path_buf()),
            registers: raw.registers.iter().map(|p| base.join(p)).collect(),
            ignore: raw.ignore,
            severity: raw.severity,
            schemas: raw
                .schemas
                .into_iter()
                .map(|(k, v)| (k, base.join(v)))
                .collect(),
            schematron: raw.schematron.iter().map(|p| base.join(p)).collect(),
            phase: raw.phase,
        })
    }

    /// Finds `teikit.toml` in `start` or a folder above it.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
    }

    /// The level in force for a code: the code's own entry, else the longest area prefix.
    pub fn level(&self, code: &str) -> Option<Level> {
        if let Some(l) = self.severity.get(code) {
            return Some(*l);
        }
        self.severity
            .iter()
            .filter(|(k, _)| code.starts_with(&format!("{k}::")))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, l)| *l)
    }

    /// The severity a diagnostic of `code` found with `severity` has here; `None` when the
    /// code is turned off (what [`Config::apply`] does to one diagnostic).
    pub fn severity_of(&self, code: &str, severity: Severity) -> Option<Severity> {
        if self.severity.is_empty() {
            return Some(severity);
        }
        match self.level(code) {
            None => Some(severity),
            Some(Level::Off) => None,
            Some(Level::Advice) => Some(Severity::Advice),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
        }
    }

    /// Counts `surplus` (diagnostics found past the limit and not kept) into `hidden` by the
    /// severity each has here; a code turned off is not counted.
    pub fn count_surplus(
        &self,
        surplus: &[crate::limit::Surplus],
        hidden: &mut crate::limit::Hidden,
    ) {
        for s in surplus {
            if let Some(severity) = self.severity_of(s.code.id, s.severity) {
                hidden[crate::limit::slot(severity)] += s.count;
            }
        }
    }

    /// Applies the configured severities: changes or drops diagnostics.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>) {
        if self.severity.is_empty() {
            return;
        }
        diags.retain_mut(|d| match self.severity_of(d.code.id, d.severity) {
            None => false,
            Some(s) => {
                d.severity = s;
                true
            }
        });
    }
}

/// The `[limits]` table over the defaults: positive whole numbers, known names only.
fn read_limits(table: &BTreeMap<String, toml::Value>) -> Result<Limits, String> {
    let mut limits = Limits::default();
    for (name, value) in table {
        let n = value
            .as_integer()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("`{name}` must be a positive whole number, not `{value}`"))?;
        limits.set_number(name, n)?;
    }
    Ok(limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_beats_area() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        std::fs::write(&p, "registers = [\"r.xml\"]\n[severity]\n\"tei::corresp\" = \"off\"\n\"tei::corresp::received_before_sent\" = \"warning\"\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(
            c.level("tei::corresp::received_before_sent"),
            Some(Level::Warning)
        );
        assert_eq!(c.level("tei::corresp::no_sent_action"), Some(Level::Off));
        assert_eq!(c.level("tei::xref::dangling_ref"), None);
        assert_eq!(c.registers, vec![dir.path().join("r.xml")]);
        assert_eq!(Config::find(&dir.path().join("a/b")), Some(p));
    }

    #[test]
    fn limits_table_sets_limits_over_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        std::fs::write(&p, "[limits]\ndepth = 100\ntext_length = 1_000\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.limits.depth, 100);
        assert_eq!(c.limits.text_length, 1000);
        assert_eq!(c.limits.diagnostics, Limits::default().diagnostics);
        for bad in [
            "deepness = 3",
            "depth = 0",
            "depth = -2",
            "depth = \"deep\"",
        ] {
            std::fs::write(&p, format!("[limits]\n{bad}\n")).unwrap();
            let e = Config::load(&p).unwrap_err();
            assert!(e.contains("[limits]"), "{bad}: {e}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        std::fs::write(&p, "[severity]\n\"tei::nope\" = \"off\"\n").unwrap();
        assert!(Config::load(&p).unwrap_err().contains("tei::nope"));
        std::fs::write(&p, "colour = true\n").unwrap();
        assert!(Config::load(&p).is_err());
    }
}
