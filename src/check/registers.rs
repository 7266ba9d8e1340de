//! Register files (person and place lists that letters point into) and personographies.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Words that never identify a person on their own: particles and titles (lowercase).
pub const NAME_STOP_WORDS: &[&str] = &[
    "von",
    "van",
    "der",
    "den",
    "die",
    "das",
    "dem",
    "des",
    "de",
    "du",
    "la",
    "le",
    "zu",
    "zum",
    "und",
    "and",
    "the",
    "herr",
    "herrn",
    "frau",
    "fräulein",
    "mr",
    "mrs",
    "miss",
    "dr",
    "prof",
    "sir",
    "lady",
    "lord",
    "graf",
    "gräfin",
    "baron",
    "fürst",
    "geb",
    "née",
    "dear",
    "lieber",
    "liebe",
];

/// The words of a name that can identify a person: lowercase, at least 3 letters, no
/// particles or titles, each once.
pub fn name_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.chars().count() < 3
            || w.chars().all(|c| c.is_ascii_digit())
            || NAME_STOP_WORDS.contains(&w.as_str())
        {
            continue;
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Persons with ids and the words of their names, indexed by word.
#[derive(Debug, Default)]
pub struct Personography {
    ids: Vec<String>,
    names: Vec<Vec<String>>,
    tokens: Vec<HashSet<String>>,
    by_id: HashMap<String, usize>,
    by_token: HashMap<String, Vec<usize>>,
}

impl Personography {
    /// Adds a person with its names (each name as written).
    pub fn add(&mut self, id: String, names: &[String]) {
        if self.by_id.contains_key(&id) {
            return;
        }
        let i = self.ids.len();
        let mut toks = HashSet::new();
        for n in names {
            for t in name_tokens(n) {
                self.by_token.entry(t.clone()).or_default().push(i);
                toks.insert(t);
            }
        }
        self.by_id.insert(id.clone(), i);
        self.ids.push(id);
        self.names.push(
            names
                .iter()
                .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|n| !n.is_empty())
                .collect(),
        );
        self.tokens.push(toks);
    }

    /// The index of a person by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The names of a person.
    pub fn names_of(&self, i: usize) -> &[String] {
        self.names.get(i).map_or(&[], Vec::as_slice)
    }

    fn has(&self, i: usize, token: &str) -> bool {
        let Some(t) = self.tokens.get(i) else {
            return false;
        };
        // a genitive (`Schnitzlers`, `Bahr's`) names the same person
        t.contains(token) || token.strip_suffix('s').is_some_and(|s| t.contains(s))
    }

    /// How many of `tokens` occur in the names of person `i`.
    pub fn score(&self, i: usize, tokens: &[String]) -> usize {
        tokens.iter().filter(|t| self.has(i, t)).count()
    }

    /// Ids of the persons whose names contain every one of `tokens`.
    pub fn full_matches(&self, tokens: &[String]) -> Vec<&str> {
        let Some(first) = tokens.first() else {
            return Vec::new();
        };
        let mut cands: Vec<usize> = self
            .by_token
            .get(first.as_str())
            .cloned()
            .unwrap_or_default();
        if let Some(stem) = first.strip_suffix('s') {
            cands.extend(self.by_token.get(stem).into_iter().flatten());
        }
        cands.sort_unstable();
        cands.dedup();
        cands
            .into_iter()
            .filter(|&i| self.score(i, tokens) == tokens.len())
            .filter_map(|i| self.ids.get(i).map(String::as_str))
            .collect()
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Ids and persons of register files named with `--registers` or in `teikit.toml`: a pointer
/// `#id` to one of their ids resolves.
#[derive(Debug, Default)]
pub struct Registers {
    ids: HashSet<String>,
    /// The ids indexed for did-you-mean, built when first needed.
    suggest: std::sync::OnceLock<super::suggest::NameIndex>,
    persons: Personography,
    files: Vec<PathBuf>,
}

impl Registers {
    /// No registers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the register files. Each file that cannot be read or parsed gives an error
    /// message naming it.
    pub fn load(paths: &[PathBuf]) -> Result<Registers, String> {
        let mut r = Registers::default();
        for p in paths {
            r.add_file(p)?;
        }
        Ok(r)
    }

    /// Adds one register file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), String> {
        if path.is_dir() {
            return Err(format!(
                "{}: a folder, not a register file (--registers takes every following argument: \
                 put the paths to validate first, or end the list with --)",
                path.display()
            ));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| format!("{}: cannot read register file: {e}", path.display()))?;
        let text = crate::xml::decode(&bytes)
            .map_err(|e| format!("{}: {}", path.display(), e.message))?
            .text;
        self.add_text(&text)
            .map_err(|e| format!("{}: not well-formed XML: {e}", path.display()))?;
        self.files.push(path.to_path_buf());
        Ok(())
    }

    /// Adds the ids and persons of one register document given as text.
    pub fn add_text(&mut self, text: &str) -> Result<(), String> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| e.to_string())?;
        self.suggest = std::sync::OnceLock::new();
        for n in doc.descendants().filter(|n| n.is_element()) {
            let Some(id) = n.attribute((super::XML_NS, "id")) else {
                continue;
            };
            self.ids.insert(id.trim().to_string());
            if n.tag_name().name() == "person" {
                let names: Vec<String> = n
                    .descendants()
                    .filter(|d| d.is_element() && d.tag_name().name() == "persName")
                    .map(|d| {
                        d.descendants()
                            .filter_map(|t| t.text())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                self.persons.add(id.trim().to_string(), &names);
            }
        }
        Ok(())
    }

    /// Whether some register defines `id`.
    pub fn contains_id(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Every register id.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// The ids indexed for did-you-mean (built on the first call, then shared).
    pub fn name_index(&self) -> &super::suggest::NameIndex {
        self.suggest.get_or_init(|| {
            let mut ids: Vec<&str> = self.ids().collect();
            ids.sort_unstable();
            super::suggest::NameIndex::new(ids)
        })
    }

    /// Whether no register is loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.ids.is_empty()
    }

    /// The persons of the registers.
    pub fn persons(&self) -> &Personography {
        &self.persons
    }

    /// The register files read.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
}
