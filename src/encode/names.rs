//! Names: finding personography names (with variants and misspellings) in running text, and
//! resolving a name written in a signature, salutation or addressee line to a person, adding
//! unknown people to the register so that every person is listed.

use super::cues::Cues;
use super::sidecar::{Kind, Personography};
use std::ops::Range;

/// A person or body in the output's register.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The `xml:id`.
    pub id: String,
    /// The full name (sidecar) or the name as first written.
    pub name: String,
    /// Person or body.
    pub kind: Kind,
    /// Authority URIs.
    pub authority: Vec<String>,
}

/// A name found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// Byte range in the searched text.
    pub span: Range<usize>,
    /// Index into the register.
    pub entry: usize,
    /// The corrected reading when the text has a known misspelling.
    pub reading: Option<String>,
}

struct Form {
    text: String,
    entry: usize,
    reading: Option<String>,
}

/// The register of persons and bodies, and the forms by which they are found.
pub struct Names {
    /// Every entry, sidecar entries first.
    pub entries: Vec<Entry>,
    forms: Vec<Form>,
    sidecar_entries: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Lowercase letters and digits only, words separated by one space.
pub fn normalise(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Names {
    /// A register seeded from the sidecar (if any).
    pub fn new(persons: Option<&Personography>) -> Self {
        let mut me = Names {
            entries: Vec::new(),
            forms: Vec::new(),
            sidecar_entries: 0,
        };
        if let Some(p) = persons {
            for person in &p.persons {
                let i = me.entries.len();
                me.entries.push(Entry {
                    id: person.id.clone(),
                    name: person.name.clone(),
                    kind: person.kind,
                    authority: person.authority.clone(),
                });
                me.forms.push(Form {
                    text: person.name.clone(),
                    entry: i,
                    reading: None,
                });
                for v in &person.variants {
                    me.forms.push(Form {
                        text: v.clone(),
                        entry: i,
                        reading: None,
                    });
                }
                for m in &person.misspellings {
                    me.forms.push(Form {
                        text: m.written.clone(),
                        entry: i,
                        reading: Some(m.reading.clone()),
                    });
                }
            }
        }
        me.forms.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
        me.sidecar_entries = me.entries.len();
        me
    }

    /// Every sidecar name form found in `text`, longest first at each position, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<NameMatch> {
        let mut out = Vec::new();
        if self.forms.is_empty() {
            return out;
        }
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            let at_word_start = text.is_char_boundary(i)
                && !text[..i].chars().next_back().is_some_and(is_word_char);
            if at_word_start && text[i..].starts_with(|c: char| c.is_alphabetic()) {
                let mut hit = None;
                for f in &self.forms {
                    if text[i..].starts_with(f.text.as_str()) {
                        let end = i + f.text.len();
                        if !text[end..].starts_with(is_word_char) || f.text.ends_with('.') {
                            hit = Some((end, f));
                            break;
                        }
                    }
                }
                if let Some((end, f)) = hit {
                    out.push(NameMatch {
                        span: i..end,
                        entry: f.entry,
                        reading: f.reading.clone(),
                    });
                    i = end;
                    continue;
                }
            }
            i += 1;
            while i < bytes.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        }
        out
    }

    /// Resolves a written name (signature, salutation, addressee) to an entry, adding one when
    /// nothing matches. `None` for strings with no name in them.
    pub fn resolve(&mut self, written: &str, cues: &Cues, kind_hint: Kind) -> Option<usize> {
        let cleaned = strip_honorifics(written, cues);
        if cleaned.is_empty() {
            return None;
        }
        let norm = normalise(&cleaned);
        let norm_full = normalise(written);
        // exact form match (full or without honorifics)
        for f in &self.forms {
            let nf = normalise(&f.text);
            if nf == norm || nf == norm_full {
                return Some(f.entry);
            }
        }
        // a form contained in the written string as whole words ("comrade Orlov", "K. Ivanva,")
        let padded = format!(" {norm} ");
        for f in &self.forms {
            let nf = normalise(&f.text);
            if nf.len() >= 4 && padded.contains(&format!(" {nf} ")) {
                return Some(f.entry);
            }
        }
        // a previously added entry with the same name
        if let Some(i) = self.entries.iter().position(|e| normalise(&e.name) == norm) {
            return Some(i);
        }
        // close spelling of a sidecar name's last word ("Ivanva" for "Ivanova"): same length
        // within two letters and, when both have a first name, the same initial
        let last = norm.split(' ').next_back().unwrap_or("");
        if last.len() >= 5 {
            for f in self.forms.iter().filter(|f| f.entry < self.sidecar_entries) {
                let nf = normalise(&f.text);
                let flast = nf.split(' ').next_back().unwrap_or("");
                let same_len = flast.len().abs_diff(last.len()) <= 2;
                let wn: Vec<&str> = norm.split(' ').collect();
                let fw: Vec<&str> = nf.split(' ').collect();
                let initials_agree =
                    wn.len() < 2 || fw.len() < 2 || wn[0].chars().next() == fw[0].chars().next();
                if flast.len() >= 5
                    && same_len
                    && initials_agree
                    && strsim::jaro_winkler(last, flast) > 0.93
                {
                    return Some(f.entry);
                }
            }
        }
        let kind = if cues
            .org_heads
            .iter()
            .any(|h| norm.split(' ').any(|w| w == *h))
        {
            Kind::Org
        } else {
            kind_hint
        };
        let id = self.fresh_id(&norm);
        let i = self.entries.len();
        self.entries.push(Entry {
            id,
            name: cleaned.clone(),
            kind,
            authority: Vec::new(),
        });
        self.forms.push(Form {
            text: cleaned,
            entry: i,
            reading: None,
        });
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
        Some(i)
    }

    fn fresh_id(&self, norm: &str) -> String {
        let mut base: String = norm
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        base = base.trim_matches('-').to_string();
        if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("p-{base}");
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.entries.iter().any(|e| e.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Removes honorifics, leading articles and trailing punctuation: "comrade Petrov" → "Petrov".
pub fn strip_honorifics(written: &str, cues: &Cues) -> String {
    let mut words: Vec<&str> = written.split_whitespace().collect();
    while let Some(w) = words.first() {
        let lw = w.to_lowercase();
        let bare = lw.trim_end_matches([',', ':', ';']);
        if cues.honorifics.contains(&bare)
            || cues.honorifics.contains(&bare.trim_end_matches('.'))
            || (w.chars().all(|c| !c.is_uppercase()) && words.len() > 1)
        {
            words.remove(0);
        } else {
            break;
        }
    }
    // trailing titles: "Esqre", "R.N.", a lone dot
    while let Some(w) = words.last() {
        let bare: String = w
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();
        let suffix = matches!(
            bare.as_str(),
            "" | "esq" | "esqr" | "esqre" | "rn" | "esqrern" | "junr" | "jun" | "junior"
        );
        if suffix && words.len() > 1 {
            words.pop();
        } else {
            break;
        }
    }
    let s = words.join(" ");
    s.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')' && c != '(')
        .trim_end_matches([',', ':', ';'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;

    fn sidecar() -> Personography {
        Personography::from_toml(
            r#"
[[persons]]
id = "king"
name = "Augusta Ada King"
variants = ["King", "Augusta Ada"]
misspellings = [{ written = "Augusta Adda", reading = "Augusta Ada" }]
"#,
        )
        .unwrap()
    }

    #[test]
    fn finds_variants_and_misspellings() {
        let n = Names::new(Some(&sidecar()));
        let t = "Augusta Adda wrote; King’s letter. Kingdom is not a name";
        let m = n.find(t);
        assert_eq!(m.len(), 2);
        assert_eq!(&t[m[0].span.clone()], "Augusta Adda");
        assert_eq!(m[0].reading.as_deref(), Some("Augusta Ada"));
        assert_eq!(&t[m[1].span.clone()], "King");
    }

    #[test]
    fn resolves_and_adds() {
        let mut n = Names::new(Some(&sidecar()));
        assert_eq!(n.resolve("comrade King", &ENGLISH, Kind::Person), Some(0));
        let k = n.resolve("comrade Orlov", &ENGLISH, Kind::Person).unwrap();
        assert_eq!(n.entries[k].name, "Orlov");
        assert_eq!(n.entries[k].id, "orlov");
        assert_eq!(n.resolve("Orlov", &ENGLISH, Kind::Person), Some(k));
        let pb = n.resolve("the Politburo", &ENGLISH, Kind::Person).unwrap();
        assert_eq!(n.entries[pb].kind, Kind::Org);
    }

    /// The cases of `tests/cases/encode/names/` (README there): each `NAME.txt` encodes to
    /// `NAME.xml`, every word kept; `TEIKIT_BLESS=1` rewrites the expectations.
    #[test]
    fn name_cases_match_their_expectations() {
        use crate::encode::{encode, reading, EncodeOptions};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/encode/names");
        let bless = std::env::var("TEIKIT_BLESS").is_ok_and(|v| v == "1");
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        cases.sort();
        assert!(
            cases.len() >= 5,
            "expected the name cases in {}",
            dir.display()
        );
        let mut failures = Vec::new();
        for txt in cases {
            let name = txt.file_stem().unwrap().to_string_lossy().to_string();
            let src = std::fs::read_to_string(&txt).unwrap();
            let opts = EncodeOptions {
                source_name: txt.file_name().map(|n| n.to_string_lossy().to_string()),
                ..Default::default()
            };
            let xml = encode(&src, None, &opts).unwrap().xml;
            let want_path = txt.with_extension("xml");
            if bless {
                std::fs::write(&want_path, &xml).unwrap();
                continue;
            }
            if std::fs::read_to_string(&want_path).ok().as_deref() != Some(xml.as_str()) {
                failures.push(format!("{name}: output differs from {name}.xml"));
            }
            let r = reading::diplomatic(&xml).unwrap();
            let (kept, total, _) = reading::words_kept(&src, &r);
            if kept != total {
                failures.push(format!("{name}: {kept} of {total} words kept"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
