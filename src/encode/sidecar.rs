//! The sidecar: what a person knows that the text does not say. Persons and bodies with full
//! names, variants, misspellings and authority URIs; optional letter-level facts and source
//! data. TOML or JSON, chosen by the file extension (JSON when it ends in `.json`).

use serde::Deserialize;
use std::path::Path;

/// A personography loaded from a sidecar file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personography {
    /// Document-level facts (title, author, source).
    #[serde(default)]
    pub document: DocumentFacts,
    /// Persons and bodies.
    #[serde(default, alias = "person")]
    pub persons: Vec<Person>,
    /// Facts about letters the text does not state, by letter number (1-based, document order).
    #[serde(default, alias = "letter")]
    pub letters: Vec<LetterFacts>,
}

/// Document-level facts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFacts {
    /// Title of the encoded document.
    pub title: Option<String>,
    /// Its author (an id of `persons` or a name).
    pub author: Option<String>,
    /// A bibliographic description of the source, used when the text gives none.
    pub source: Option<String>,
    /// The first year of the hundred years a two-digit year is read in when nothing in the
    /// text tells its century (`1830`: "97" is 1897, "05" is 1905); `0` leaves such years
    /// unread. Absent: [`crate::encode::dates::DEFAULT_TWO_DIGIT_WINDOW`].
    pub two_digit_years: Option<i32>,
    /// The person the correspondence centres on (an id of `persons` or a name): a letter
    /// whose text names only its sender (or only its addressee) is taken to be to (or from)
    /// them.
    pub correspondent: Option<String>,
}

/// Whether an entry is a person or a body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person (`persName`).
    #[default]
    Person,
    /// A body such as a committee (`orgName`).
    Org,
}

/// A misspelling kept as written, with its reading.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misspelling {
    /// The form in the text.
    pub written: String,
    /// The corrected reading.
    pub reading: String,
}

/// One person or body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The `xml:id` (an XML name).
    pub id: String,
    /// The full, normalised name.
    pub name: String,
    /// Person or body.
    #[serde(default)]
    pub kind: Kind,
    /// Other forms found in texts ("Orlov", "Pavel Ilyich", "M.V.").
    #[serde(default)]
    pub variants: Vec<String>,
    /// Misspelled forms with their readings.
    #[serde(default)]
    pub misspellings: Vec<Misspelling>,
    /// Authority URIs (VIAF, Wikidata, GND ...).
    #[serde(default)]
    pub authority: Vec<String>,
}

/// Letter-level facts; each field fills a gap the text leaves.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterFacts {
    /// 1-based number of the letter in document order.
    pub n: usize,
    /// Sender ids.
    #[serde(default)]
    pub senders: Vec<String>,
    /// Addressee ids.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Copy recipients.
    #[serde(default)]
    pub cc: Vec<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Place of writing.
    pub place: Option<String>,
}

/// Why a sidecar could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    /// The file could not be read.
    #[error("{path}: cannot read the sidecar: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or JSON of the expected shape.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What the parser said (with line and column).
        message: String,
    },
    /// An entry is inconsistent (duplicate or invalid id).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Personography {
    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Parses JSON text.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("{e}"))
    }

    /// Loads a file: JSON when the name ends in `.json`, TOML otherwise; checks the ids.
    pub fn load(path: &Path) -> Result<Self, SidecarError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SidecarError::Io {
            path: p.clone(),
            source,
        })?;
        let parsed = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        };
        let me = parsed.map_err(|message| SidecarError::Parse {
            path: p.clone(),
            message,
        })?;
        me.check()
            .map_err(|message| SidecarError::Invalid { path: p, message })?;
        Ok(me)
    }

    /// Checks that ids are XML names and unique.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for person in &self.persons {
            let ok = person
                .id
                .starts_with(|c: char| c.is_alphabetic() || c == '_')
                && person
                    .id
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !ok {
                return Err(format!("person id `{}` is not an XML name (expected a letter, then letters, digits, `-`, `_` or `.`)", person.id));
            }
            if !seen.insert(person.id.as_str()) {
                return Err(format!("person id `{}` is defined twice", person.id));
            }
        }
        Ok(())
    }

    /// The person with this id.
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.persons.iter().find(|p| p.id == id)
    }

    /// Facts for letter `n` (1-based).
    pub fn letter(&self, n: usize) -> Option<&LetterFacts> {
        self.letters.iter().find(|l| l.n == n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json() {
        let t = r#"
[[persons]]
id = "king"
name = "Augusta Ada King"
variants = ["King"]
misspellings = [{ written = "Adda", reading = "Ada" }]
"#;
        let p = Personography::from_toml(t).unwrap();
        assert_eq!(p.persons[0].misspellings[0].reading, "Ada");
        let j = r#"{"persons":[{"id":"pb","name":"Politburo","kind":"org"}]}"#;
        assert_eq!(
            Personography::from_json(j).unwrap().persons[0].kind,
            Kind::Org
        );
        let bad = Personography::from_toml("[[persons]]\nid = \"1x\"\nname = \"x\"\n").unwrap();
        assert!(bad.check().is_err());
        assert!(Personography::from_toml("[[persons]]\nnom = 1").is_err());
    }
}
