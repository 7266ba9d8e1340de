//! CMIF settings: the `[cmif]` section of a TOML config file, overridden by command-line flags.
//!
//! ```toml
//! [cmif]
//! title = "Letters of the Example Edition"
//! editor = "Erika Mustermann"
//! email = "erika@example.org"
//! publisher = "Example Academy"
//! publisher_url = "https://example.org"      # optional
//! url = "https://example.org/cmif.xml"      # where the CMIF file will live (its idno)
//! licence = "CC-BY-4.0"                     # or "CC0"
//! letter_url = "https://example.org/letters/{id}"  # {id} = letter id, {file} = file stem
//! date = "2026-11-27"                       # optional; default today
//! require_date = false                      # skip letters without a date
//!
//! [[cmif.bibl]]
//! id = "e21a8353-5089-441f-a5b2-acd347f1f2aa"  # optional; default derived from the text
//! type = "online"                           # print | online | hybrid
//! text = "Example Edition. Ed. by Erika Mustermann."
//! url = "https://example.org"               # optional
//! paths = ["letters/"]                      # optional: letters whose path contains one of these
//! ```

use std::path::Path;

/// One source edition (`sourceDesc/bibl`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BiblConfig {
    /// The bibl's `xml:id`; default a UUID-shaped id derived from `text`.
    pub id: Option<String>,
    /// print, online or hybrid; default online when `url` is set, else print.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// The citation.
    pub text: String,
    /// The edition's URL.
    pub url: Option<String>,
    /// Letters whose file path contains one of these strings belong to this edition; empty = all.
    #[serde(default)]
    pub paths: Vec<String>,
}

/// The settings of a CMIF export.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CmifConfig {
    /// The CMIF file's title.
    pub title: Option<String>,
    /// The responsible editor.
    pub editor: Option<String>,
    /// The editor's email.
    pub email: Option<String>,
    /// The publisher.
    pub publisher: Option<String>,
    /// The publisher's URL.
    pub publisher_url: Option<String>,
    /// The CMIF file's own URL (`publicationStmt/idno type="url"`).
    pub url: Option<String>,
    /// `CC-BY-4.0` (default) or `CC0`.
    pub licence: Option<String>,
    /// Pattern of a letter's URL: `{id}` and `{file}` are replaced.
    pub letter_url: Option<String>,
    /// Publication date (`YYYY-MM-DD`); default today (UTC).
    pub date: Option<String>,
    /// Skip letters without a machine-readable date.
    #[serde(default)]
    pub require_date: bool,
    /// The source editions.
    #[serde(default)]
    pub bibl: Vec<BiblConfig>,
}

#[derive(serde::Deserialize)]
struct ConfigFile {
    cmif: Option<CmifConfig>,
}

/// A licence CMIF allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Licence {
    /// Creative Commons Attribution 4.0.
    CcBy4,
    /// Creative Commons Zero 1.0.
    Cc0,
}

impl Licence {
    /// Parses `CC-BY-4.0`, `CC BY 4.0`, `cc-by`, `CC0`, `CC0-1.0`.
    pub fn parse(s: &str) -> Option<Licence> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match k.as_str() {
            "ccby" | "ccby4" | "ccby40" => Some(Licence::CcBy4),
            "cc0" | "cc010" | "cczero" => Some(Licence::Cc0),
            _ => None,
        }
    }

    /// The licence URL.
    pub fn url(self) -> &'static str {
        match self {
            Licence::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Licence::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    }

    /// The licence statement.
    pub fn statement(self) -> &'static str {
        match self {
            Licence::CcBy4 => {
                "This file is licensed under the terms of the Creative Commons License CC-BY 4.0"
            }
            Licence::Cc0 => {
                "This file is dedicated to the public domain under Creative Commons CC0 1.0"
            }
        }
    }
}

/// A configuration problem, reported before anything is read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file cannot be read.
    #[error("cannot read config {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The config file is not valid TOML or has unknown keys.
    #[error("config {path}: {message}")]
    Toml {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Required settings are missing or wrong.
    #[error("{0}")]
    Invalid(String),
}

impl CmifConfig {
    /// Reads the `[cmif]` section of a TOML file (an absent section gives the defaults).
    pub fn from_file(path: &Path) -> Result<CmifConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError::Toml {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(file.cmif.unwrap_or_default())
    }

    /// Overrides every field set in `other`; bibls given in `other` replace the file's.
    pub fn merge(mut self, other: CmifConfig) -> CmifConfig {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            title,
            editor,
            email,
            publisher,
            publisher_url,
            url,
            licence,
            letter_url,
            date
        );
        self.require_date |= other.require_date;
        if !other.bibl.is_empty() {
            self.bibl = other.bibl;
        }
        self
    }

    /// Checks that everything CMIF requires is there; the error lists every problem with the
    /// flag and config key that fix it.
    pub fn check(&self) -> Result<Licence, ConfigError> {
        let mut problems = Vec::new();
        for (value, flag, key) in [
            (&self.title, "--title", "title"),
            (&self.editor, "--editor", "editor"),
            (&self.publisher, "--publisher", "publisher"),
            (&self.url, "--url", "url"),
        ] {
            if value.as_deref().map(str::trim).unwrap_or("").is_empty() {
                problems.push(format!(
                    "missing {key} (flag {flag} or `{key} = ...` in [cmif])"
                ));
            }
        }
        let licence = self.licence.as_deref().unwrap_or("CC-BY-4.0");
        let parsed = Licence::parse(licence);
        if parsed.is_none() {
            problems.push(format!("licence {licence:?} is not CC-BY-4.0 or CC0"));
        }
        if let Some(date) = &self.date {
            if super::read::normalize_date(date).is_none() {
                problems.push(format!("date {date:?} is not YYYY, YYYY-MM or YYYY-MM-DD"));
            }
        }
        for b in &self.bibl {
            if let Some(t) = &b.type_ {
                if !["print", "online", "hybrid"].contains(&t.as_str()) {
                    problems.push(format!("bibl type {t:?} is not print, online or hybrid"));
                }
            }
            if b.text.trim().is_empty() {
                problems.push("a bibl has no text".to_string());
            }
        }
        match (problems.is_empty(), parsed) {
            (true, Some(l)) => Ok(l),
            _ => Err(ConfigError::Invalid(format!(
                "the CMIF settings are incomplete:\n  - {}",
                problems.join("\n  - ")
            ))),
        }
    }
}

/// A UUID-shaped identifier derived from a text (the same text always gives the same id), so a
/// bibl without a configured id keeps its id across exports. Not a registered UUID version.
pub fn derived_uuid(text: &str) -> String {
    // Two FNV-1a 64-bit hashes with different offsets give 128 bits.
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in text.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let a = fnv(0xcbf2_9ce4_8422_2325);
    let b = fnv(0x6c62_272e_07bb_0142);
    let mut hex = format!("{a:016x}{b:016x}");
    // An xml:id must start with a letter: map a leading digit to a hex letter.
    if let Some(first) = hex.chars().next().filter(char::is_ascii_digit) {
        let letter = (b'a' + (first as u8 - b'0') % 6) as char;
        hex.replace_range(0..1, &letter.to_string());
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences() {
        assert_eq!(Licence::parse("CC BY 4.0"), Some(Licence::CcBy4));
        assert_eq!(Licence::parse("cc0"), Some(Licence::Cc0));
        assert_eq!(Licence::parse("GPL"), None);
    }

    #[test]
    fn missing_settings_are_all_named() {
        let err = CmifConfig::default().check().unwrap_err().to_string();
        for key in ["title", "editor", "publisher", "url"] {
            assert!(err.contains(&format!("missing {key}")), "{err}");
        }
    }

    #[test]
    fn toml_section_and_merge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("teikit.toml");
        std::fs::write(&path, "[cmif]\ntitle = \"T\"\neditor = \"E\"\n[[cmif.bibl]]\ntext = \"B\"\ntype = \"print\"\n").unwrap();
        let cfg = CmifConfig::from_file(&path).unwrap();
        assert_eq!(cfg.title.as_deref(), Some("T"));
        assert_eq!(cfg.bibl.len(), 1);
        let merged = cfg.merge(CmifConfig {
            title: Some("U".into()),
            ..Default::default()
        });
        assert_eq!(merged.title.as_deref(), Some("U"));
        assert_eq!(merged.editor.as_deref(), Some("E"));
        std::fs::write(&path, "[cmif]\ntitel = \"typo\"\n").unwrap();
        assert!(CmifConfig::from_file(&path)
            .unwrap_err()
            .to_string()
            .contains("titel"));
    }

    #[test]
    fn uuid_shape_and_date() {
        let id = derived_uuid("x");
        assert_eq!(id.len(), 36);
        for text in ["x", "y", "z", "Schnitzler", "Escher", "1", "2", "3"] {
            assert!(
                derived_uuid(text).starts_with(|c: char| c.is_ascii_lowercase()),
                "{}",
                derived_uuid(text)
            );
        }
        assert_eq!(id, derived_uuid("x"));
        assert_ne!(id, derived_uuid("y"));
        assert!(super::super::read::normalize_date(&today()).is_some());
    }
}
