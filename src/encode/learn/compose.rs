//! Training documents made of several letters: letters in a row joined by short connecting
//! sentences (as editors join them), and letters quoted inside narrative prose (as an article
//! or an introduction quotes them). The tagger learns letter boundaries and the narrative role
//! from these. Choices are deterministic (a fixed-seed generator), so training is too.

use super::roles::LineRole;
use super::train::TrainingDoc;

/// A small fixed-seed generator (SplitMix64): deterministic choices without a dependency.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Appends `part` to `doc` after a blank line, shifting its labelled spans.
fn append(doc: &mut TrainingDoc, part: &TrainingDoc) {
    if !doc.text.is_empty() {
        while doc.text.ends_with('\n') {
            doc.text.pop();
        }
        doc.text.push_str("\n\n");
    }
    let off = doc.text.len();
    doc.text.push_str(&part.text);
    doc.roles.extend(
        part.roles
            .iter()
            .map(|(r, role)| (r.start + off..r.end + off, *role)),
    );
    doc.letters += part.letters;
    if doc.lang.is_none() {
        doc.lang = part.lang.clone();
    }
}

/// A passage of prose labelled as narrative, one label per line.
pub fn narrative(text: &str) -> TrainingDoc {
    let mut roles = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if !t.trim().is_empty() {
            roles.push((pos..pos + t.len(), LineRole::Narrative));
        }
        pos += line.len();
    }
    TrainingDoc {
        text: text.to_string(),
        roles,
        lang: None,
        letters: 0,
    }
}

/// Composed documents from `letters` (one letter each, in edition order) and `passages`
/// (editors' prose from the same edition): about one document for every three letters, each
/// of two to four consecutive letters, either joined by a short passage or set inside longer
/// narrative.
pub fn compose(letters: &[TrainingDoc], passages: &[String]) -> Vec<TrainingDoc> {
    let mut out = Vec::new();
    let mut ch = Choices(0x7E1C_0DE5);
    let short: Vec<&String> = passages
        .iter()
        .filter(|p| (20..300).contains(&p.chars().count()))
        .collect();
    let long: Vec<&String> = passages
        .iter()
        .filter(|p| p.chars().count() >= 200)
        .collect();
    let mut i = 0;
    while i + 1 < letters.len() {
        let n = 2 + ch.below(3);
        let group = &letters[i..(i + n).min(letters.len())];
        i += n + ch.below(3);
        let mut doc = TrainingDoc::default();
        let in_narrative = !long.is_empty() && ch.below(2) == 0;
        if in_narrative {
            append(&mut doc, &narrative(long[ch.below(long.len())]));
        }
        for (k, l) in group.iter().enumerate() {
            if k > 0 {
                let pool = if in_narrative { &long } else { &short };
                if !pool.is_empty() {
                    append(&mut doc, &narrative(pool[ch.below(pool.len())]));
                }
            }
            append(&mut doc, l);
        }
        if in_narrative {
            append(&mut doc, &narrative(long[ch.below(long.len())]));
        }
        out.push(doc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(t: &str) -> TrainingDoc {
        let mut d = narrative(t);
        for r in d.roles.iter_mut() {
            r.1 = LineRole::Body;
        }
        d.letters = 1;
        d
    }

    #[test]
    fn composes_deterministically_with_every_line_labelled() {
        let letters: Vec<TrainingDoc> = (0..12)
            .map(|k| letter(&format!("Dear Sir,\n\nLetter {k} text.\n\nYours,\nA. B.\n")))
            .collect();
        let passages = vec![
            "The next letter followed a week later.".to_string(),
            "In the spring of that year the correspondence grew warmer, and the two men wrote \
             to each other about books, about the weather and about their families, as the \
             letters below show at some length."
                .to_string(),
        ];
        let a = compose(&letters, &passages);
        let b = compose(&letters, &passages);
        assert_eq!(a, b);
        assert!(!a.is_empty());
        for d in &a {
            assert!(d.letters >= 2);
            let labelled = d.roles.len();
            let lines = d.text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(labelled, lines);
            for (r, _) in &d.roles {
                assert!(!d.text[r.clone()].trim().is_empty());
            }
        }
    }
}
