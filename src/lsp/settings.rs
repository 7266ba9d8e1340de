//! What the server is told to do: the command line of `teikit lsp`, then the client's
//! `initializationOptions` and `workspace/didChangeConfiguration` settings (under `teikit`,
//! or at the top), each overriding the one before. Keys as on the command line of
//! `teikit validate`.

use crate::validate::{Config, Options, Profile, SchemaChoice};
use std::path::{Path, PathBuf};

/// The server's settings.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// A schema file for every document, or `none` (`--schema`); unset or `auto`: each
    /// document's `xml-model`, else the embedded schema.
    pub schema: Option<PathBuf>,
    /// Register files besides the config's (`--registers`).
    pub registers: Vec<PathBuf>,
    /// The configuration file (`--config`); unset: `teikit.toml` in the workspace folder or
    /// above it.
    pub config: Option<PathBuf>,
    /// `tei` or `cmif` (`--profile`).
    pub profile: Option<String>,
    /// Schematron schemas for every document, or `["none"]` (`--schematron`).
    pub schematron: Vec<PathBuf>,
    /// Milliseconds without a change before a document is validated (default 20).
    pub debounce_ms: Option<u64>,
}

impl Settings {
    /// These settings with the ones given in `value` (a client's JSON) laid over them; keys
    /// the client does not give keep their value. Unknown keys are ignored; a value of the
    /// wrong type is an error.
    pub fn merged(&self, value: &serde_json::Value) -> Result<Settings, String> {
        let value = value.get("teikit").unwrap_or(value);
        let Some(map) = value.as_object() else {
            return Ok(self.clone());
        };
        let mut base = serde_json::to_value(SettingsOut::from(self)).map_err(|e| e.to_string())?;
        if let Some(b) = base.as_object_mut() {
            for (k, v) in map {
                if !v.is_null() {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
        serde_json::from_value(base).map_err(|e| format!("teikit settings: {e}"))
    }

    /// The debounce delay.
    pub fn debounce(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.debounce_ms.unwrap_or(20).min(5_000))
    }

    /// The validation options for a workspace whose first folder is `root`: the config file
    /// named, else `teikit.toml` found upward from `root`.
    pub fn options(&self, root: Option<&Path>) -> Result<Options, String> {
        let config = match (&self.config, root) {
            (Some(p), _) => Config::load(&absolute(p, root))?,
            (None, Some(r)) => match Config::find(r) {
                Some(p) => Config::load(&p)?,
                None => Config::default(),
            },
            (None, None) => Config::default(),
        };
        let schema = match &self.schema {
            None => SchemaChoice::Auto,
            Some(p) if p.as_os_str() == "auto" => SchemaChoice::Auto,
            Some(p) if p.as_os_str() == "none" => SchemaChoice::Skip,
            Some(p) => SchemaChoice::File(absolute(p, root)),
        };
        let profile = match self.profile.as_deref() {
            None | Some("tei") => Profile::Tei,
            Some("cmif") => Profile::Cmif,
            Some(other) => return Err(format!("profile `{other}`: expected `tei` or `cmif`")),
        };
        Ok(Options {
            schema,
            registers: self.registers.iter().map(|p| absolute(p, root)).collect(),
            config,
            profile,
            no_schematron: self.schematron.iter().any(|p| p.as_os_str() == "none"),
            schematron: self
                .schematron
                .iter()
                .filter(|p| p.as_os_str() != "none")
                .map(|p| absolute(p, root))
                .collect(),
            ..Options::default()
        })
    }
}

/// A relative path of the settings is relative to the workspace folder.
fn absolute(p: &Path, root: Option<&Path>) -> PathBuf {
    match root {
        Some(r) if p.is_relative() => r.join(p),
        _ => p.to_path_buf(),
    }
}

/// [`Settings`] as JSON (for [`Settings::merged`]).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SettingsOut<'a> {
    schema: &'a Option<PathBuf>,
    registers: &'a [PathBuf],
    config: &'a Option<PathBuf>,
    profile: &'a Option<String>,
    schematron: &'a [PathBuf],
    debounce_ms: Option<u64>,
}

impl<'a> From<&'a Settings> for SettingsOut<'a> {
    fn from(s: &'a Settings) -> Self {
        SettingsOut {
            schema: &s.schema,
            registers: &s.registers,
            config: &s.config,
            profile: &s.profile,
            schematron: &s.schematron,
            debounce_ms: s.debounce_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_settings_override_the_command_line() {
        let cli = Settings {
            schema: Some("a.rng".into()),
            registers: vec!["r.xml".into()],
            ..Settings::default()
        };
        let s = cli
            .merged(&serde_json::json!({"teikit": {"schema": "none", "debounceMs": 5}}))
            .unwrap();
        assert_eq!(s.schema, Some("none".into()));
        assert_eq!(s.registers, vec![PathBuf::from("r.xml")]);
        assert_eq!(s.debounce_ms, Some(5));
        assert!(cli.merged(&serde_json::json!({"registers": 3})).is_err());
        assert_eq!(cli.merged(&serde_json::Value::Null).unwrap(), cli);
    }
}
