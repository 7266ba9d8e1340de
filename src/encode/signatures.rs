//! People at the edges of a letter: signatures as written (cleaned of closing words, glued
//! names split, completed from a letterhead) and address panels (the envelope's name).

use super::cues::Cues;
use super::lines::is_name_like;
use super::meta::is_signature_name;
use super::names::strip_honorifics;

/// A word lowercased, without surrounding punctuation.
pub(crate) fn bare_lower(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// True when every word of `name` is a form of address ("Freund", "Dear Mother", "Doctor").
pub fn only_address_nouns(name: &str, cues: &Cues) -> bool {
    let ws: Vec<String> = name.split_whitespace().map(bare_lower).collect();
    !ws.is_empty()
        && ws
            .iter()
            .all(|w| w.is_empty() || cues.address_nouns.contains(&w.as_str()))
}

/// Splits a word glued by transcription at a small-capital join ("KonradWeber" → "Konrad
/// Weber", "GreteS" → "Grete S"). A prefix of fewer than three letters or "Mac" is kept
/// ("McNeil", "MacLeod", "DuBois").
fn unglue(word: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    let mut letters = 0usize;
    let mut since = String::new();
    for c in word.chars() {
        if c.is_uppercase() && prev_lower && letters >= 3 && since.to_lowercase() != "mac" {
            out.push(' ');
            letters = 0;
            since.clear();
        }
        out.push(c);
        if c.is_alphabetic() {
            letters += 1;
            since.push(c);
        } else {
            letters = 0;
            since.clear();
        }
        prev_lower = c.is_lowercase();
    }
    out
}

/// Cleans a signature as written: closing words and forms of address before or between
/// names are dropped ("Deinem Konrad", "Ihr Freund Weber"), two signatures joined by a
/// closing word are split ("Grete Ihre Lotte"), and names glued by transcription are
/// separated ("KonrWeber"). Returns the names left, possibly none.
pub fn clean_signature(name: &str, cues: &Cues) -> Vec<String> {
    let is_sep = |w: &str| {
        let b = bare_lower(w);
        cues.valediction_words.contains(&b.as_str())
            || cues.valediction_starts.contains(&b.as_str())
            || cues.address_nouns.contains(&b.as_str())
    };
    // an address panel line ("To Mr. Grey", "An Herrn ...") is no signature
    let first = bare_lower(name.split_whitespace().next().unwrap_or(""));
    if cues.addressee_prefixes.contains(&first.as_str()) {
        return Vec::new();
    }
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for w in name.split_whitespace() {
        if is_sep(w) {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(Vec::new());
            }
        } else if let Some(g) = groups.last_mut() {
            g.push(w);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for g in groups.into_iter().filter(|g| !g.is_empty()) {
        let joined = g.iter().map(|w| unglue(w)).collect::<Vec<_>>().join(" ");
        let joined = joined
            .trim_matches(|c: char| matches!(c, ',' | ';' | '-' | '–' | ' '))
            .to_string();
        if is_name_like(&joined)
            && joined.chars().any(|c| c.is_alphabetic())
            && !out.contains(&joined)
        {
            out.push(joined);
        }
    }
    out
}

/// A printed or written letterhead name at the top of a letter ("Dr. Hans Weber"): two to
/// four capitalised words without digits, forms of address dropped.
pub fn letterhead_name(line: &str, cues: &Cues) -> Option<String> {
    let t = line.trim().trim_end_matches(['.', ',']);
    if t.chars().any(|c| c.is_ascii_digit()) || !is_name_like(t) {
        return None;
    }
    let n = strip_honorifics(t, cues);
    let k = n.split_whitespace().count();
    ((2..=4).contains(&k)
        && is_signature_name(&n, cues)
        && !only_address_nouns(&n, cues)
        && n.split_whitespace()
            .all(|w| !cues.valediction_words.contains(&bare_lower(w).as_str())))
    .then_some(n)
}

/// True when a short signature ("A.", "Hans", "Hns", "H. W.") fits a full name ("Hans Weber"):
/// the same initials, or the first name or its abbreviation.
pub fn signature_fits(sig: &str, full: &str) -> bool {
    let sw: Vec<String> = sig
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let fw: Vec<String> = full
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    if sw.is_empty() || fw.is_empty() {
        return false;
    }
    if sw.iter().all(|w| w.chars().count() == 1) {
        // initials, in order, from the start of the name
        return sw.len() <= fw.len()
            && sw
                .iter()
                .zip(fw.iter())
                .all(|(s, f)| f.starts_with(s.as_str()))
            || (sw.len() == 1 && fw[0].starts_with(sw[0].as_str()));
    }
    sw.len() == 1 && sw[0].chars().count() >= 3 && fw[0].starts_with(sw[0].as_str())
}

/// The name on an address panel line: forms of address and the addressee word dropped from
/// the front, cut before post-nominals, a lowercase word ("in", "bei") or a number.
fn panel_name(line: &str, cues: &Cues) -> Option<String> {
    let mut ws: Vec<&str> = line.split_whitespace().collect();
    while let Some(w) = ws.first() {
        let lw = w.to_lowercase();
        let lw = lw.trim_end_matches([',', ':']);
        if cues.panel_honorifics.contains(&lw)
            || cues.addressee_prefixes.contains(&lw)
            || cues.honorifics.contains(&lw)
            || cues.honorifics.contains(&lw.trim_end_matches('.'))
        {
            ws.remove(0);
        } else {
            break;
        }
    }
    let particles = ["von", "van", "de", "du", "la", "le", "der", "den", "zu"];
    let mut name: Vec<&str> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let lw = w.to_lowercase();
        let stop = cues.post_nominals.contains(&lw.as_str())
            || lw.starts_with("esq")
            || cues
                .post_nominals
                .contains(&lw.trim_end_matches([',', '.']))
            || w.chars().any(|c| c.is_ascii_digit())
            || (w.starts_with(|c: char| c.is_lowercase())
                && !(particles.contains(&lw.as_str()) && i + 1 < ws.len()));
        if stop {
            break;
        }
        name.push(w);
        if w.ends_with(',') {
            break;
        }
    }
    let n = name
        .join(" ")
        .trim_matches(|c: char| matches!(c, ',' | ';' | '-' | '–' | ' ' | ':'))
        .to_string();
    let n = strip_honorifics(&n, cues);
    // post-nominal initials after the surname ("Grey R N", "Hale M P") are no part of it
    let mut ws: Vec<&str> = n.split_whitespace().collect();
    while ws.len() > 1
        && ws.last().is_some_and(|w| {
            let b = w.trim_end_matches('.');
            b.chars().count() == 1 && b.chars().all(|c| c.is_uppercase())
        })
        && ws[..ws.len() - 1]
            .iter()
            .any(|w| w.trim_end_matches('.').chars().count() >= 2)
    {
        ws.pop();
    }
    let n = ws.join(" ");
    // a lone initial ("Miss E") names no one on a panel
    let letters = n.chars().filter(|c| c.is_alphabetic()).count();
    (!n.is_empty()
        && letters >= 2
        && is_name_like(&n)
        && n.split_whitespace().count() <= 4
        && n.starts_with(|c: char| c.is_uppercase())
        && !only_address_nouns(&n, cues))
    .then_some(n)
}

/// The addressee named by an address panel among the last `lines` of a letter ("To / J.
/// Grey Esqre.", "Captain Hale Royal Navy / 12 Queen Street", "Herrn Dr Konrad
/// Weber / IV. Marktgasse 3 / Graz"). A line with the addressee word wins; else the
/// first line ending in a post-nominal or opening with a form of address; names of
/// `senders` and lone initials are skipped (a signature "Miss E" above the panel).
pub fn tail_panel(lines: &[&str], senders: &[String], cues: &Cues) -> Option<String> {
    let is_sender = |n: &str| {
        let last = n.split_whitespace().last().unwrap_or("").to_lowercase();
        senders.iter().any(|s| {
            s.split_whitespace()
                .last()
                .is_some_and(|l| l.to_lowercase() == last)
        })
    };
    let mut best: Option<(u8, String)> = None;
    for (i, l) in lines.iter().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.chars().count() > 70 {
            continue;
        }
        let lower = l.to_lowercase();
        let first = lower
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches([',', ':'])
            .to_string();
        let tail = bare_lower(l.split_whitespace().last().unwrap_or(""));
        let (prio, cand) = if cues.addressee_prefixes.contains(&first.as_str())
            || matches!(first.as_str(), "à" | "a" | "to")
        {
            if lower.split_whitespace().count() == 1 {
                // "To" or "a" alone: the name is on one of the next lines ("a / Monsieur / M. X")
                let next = lines
                    .iter()
                    .skip(i + 1)
                    .take(2)
                    .find_map(|n| panel_name(n, cues));
                (3, next)
            } else {
                (3, panel_name(l, cues))
            }
        } else if tail.starts_with("esq")
            || lower.contains(" esq")
            || cues.panel_honorifics.contains(&first.as_str())
            || cues.panel_honorifics.contains(&first.trim_end_matches('.'))
        {
            (1, panel_name(l, cues))
        } else {
            (0, None)
        };
        let Some(c) = cand else { continue };
        if is_sender(&c) {
            continue;
        }
        if !best.as_ref().is_some_and(|(p, _)| *p >= prio) {
            best = Some((prio, c));
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;

    #[test]
    fn signatures_cleaned() {
        use crate::encode::cues::GERMAN;
        assert_eq!(clean_signature("Deinem Konrad", &GERMAN), vec!["Konrad"]);
        assert_eq!(clean_signature("Ihr Freund Weber", &GERMAN), vec!["Weber"]);
        assert_eq!(
            clean_signature("Grete Ihre Lotte", &GERMAN),
            vec!["Grete", "Lotte"]
        );
        assert_eq!(
            clean_signature("KonradWeber", &GERMAN),
            vec!["Konrad Weber"]
        );
        assert_eq!(clean_signature("McNeil", &ENGLISH), vec!["McNeil"]);
        assert_eq!(clean_signature("MacLeod", &ENGLISH), vec!["MacLeod"]);
        assert!(clean_signature("Herzlich Ihr", &GERMAN).is_empty());
    }

    #[test]
    fn letterheads_complete_signatures() {
        use crate::encode::cues::GERMAN;
        assert_eq!(
            letterhead_name("Dr. Hans Weber", &GERMAN).as_deref(),
            Some("Hans Weber")
        );
        assert_eq!(letterhead_name("Graz, IV. Marktgasse 7.", &GERMAN), None);
        assert_eq!(letterhead_name("Herzliche Grüße", &GERMAN), None);
        assert!(signature_fits("A.", "Anna Weber"));
        assert!(signature_fits("A. W.", "Anna Weber"));
        assert!(signature_fits("Ann", "Anna Weber"));
        assert!(!signature_fits("B.", "Anna Weber"));
        assert!(!signature_fits("Karl", "Anna Weber"));
    }

    #[test]
    fn address_panels() {
        use crate::encode::cues::GERMAN;
        let p = |ls: &[&str], c| tail_panel(ls, &[], c);
        assert_eq!(
            p(
                &["Herrn Dr. Konrad Weber", "IV. Marktgasse 3", "Graz"],
                &GERMAN
            )
            .as_deref(),
            Some("Konrad Weber")
        );
        assert_eq!(
            p(&["To", "J. Grey Esqre.", "Bath"], &ENGLISH).as_deref(),
            Some("J. Grey")
        );
        assert_eq!(
            p(&["Captain Hale Royal Navy", "12 Queen Street"], &ENGLISH).as_deref(),
            Some("Hale")
        );
        // the signature above the panel is not the addressee
        assert_eq!(
            tail_panel(
                &["Miss Grey", "Thomas Hale Esqre", "Bath"],
                &["Miss Grey".to_string()],
                &ENGLISH
            )
            .as_deref(),
            Some("Thomas Hale")
        );
        assert_eq!(p(&["Yours truly", "John Grey"], &ENGLISH), None);
        assert_eq!(
            p(&["Capt. John Grey R N", "London"], &ENGLISH).as_deref(),
            Some("John Grey")
        );
    }
}
