//! People at the edges of a letter, for the steps after the layout: signatures as written
//! (cleaned through [`super::address::signature`]), a letterhead name completing a short
//! signature, and the address panel among a letter's last lines.

use super::address::{
    address_block, address_line, is_envelope_word, is_valediction_word, signature,
};
use super::cues::Cues;
use super::lines::is_name_like;

/// Cleans a signature as written: closing words and forms of address before or between
/// names are dropped ("Deinem Konrad", "Ihr Freund Weber"), two signatures joined by a
/// closing word are split ("Grete Ihre Lotte"), and names glued by transcription are
/// separated ("KonrWeber"); a body signs as written ("Department of Public Works"). Returns
/// the names left, possibly none ("Lovingly", "Commandant").
pub fn clean_signature(name: &str, cues: &Cues) -> Vec<String> {
    let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
    // an address panel line ("To Mr. Grey", "An Herrn ...") is no signature
    if cues
        .addressee_prefixes
        .contains(&first.trim_matches(|c: char| !c.is_alphanumeric()))
    {
        return Vec::new();
    }
    let sig = signature(&[name], cues);
    if sig.persons.is_empty() {
        return sig.org_names.into_iter().take(1).collect();
    }
    sig.persons.into_iter().map(|p| p.full).collect()
}

/// A printed or written letterhead name at the top of a letter ("Dr. Hans Weber"): two to
/// four name words without digits, titles dropped; not an address, a place or a date.
pub fn letterhead_name(line: &str, cues: &Cues) -> Option<String> {
    let t = line.trim().trim_end_matches(['.', ',']);
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    if t.chars().any(|c| c.is_ascii_digit())
        || !is_name_like(t)
        || cues.addressee_prefixes.contains(&first.as_str())
    {
        return None;
    }
    let sig = signature(&[t], cues);
    match sig.persons.as_slice() {
        [p] if (2..=4).contains(&p.full.split_whitespace().count())
            && sig.places.is_empty()
            && sig.org_names.is_empty()
            && p.post_nominals.is_empty() =>
        {
            Some(p.full.clone())
        }
        _ => None,
    }
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

/// The addressee named by an address panel among the last `lines` of a letter ("To / J.
/// Grey Esqre.", "Captain Hale Royal Navy / 12 Queen Street", "Herrn Dr Konrad
/// Weber / IV. Marktgasse 3 / Graz"). A line with the addressee word wins; else the
/// first line ending in a post-nominal or opening with a title; names of `senders` and
/// lone initials are skipped (a signature "Miss E" above the panel).
pub fn tail_panel(lines: &[&str], senders: &[String], cues: &Cues) -> Option<String> {
    let is_sender = |n: &str| {
        let last = n.split_whitespace().last().unwrap_or("").to_lowercase();
        senders.iter().any(|s| {
            s.split_whitespace()
                .last()
                .is_some_and(|l| l.to_lowercase() == last)
        })
    };
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .replace('.', "")
    };
    let in_titles = |w: &str| {
        let b = bare(w);
        !b.is_empty() && cues.titles.iter().any(|t| t.replace('.', "") == b)
    };
    // two to four name words ending in a surname ("Station A" is none)
    let full_name = |ws: &[&str]| {
        (2..=4).contains(&ws.len())
            && ws.last().is_some_and(|w| {
                let t = w.trim_end_matches([',', '.']);
                t.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && t.chars().skip(1).any(char::is_lowercase)
            })
            && ws.iter().all(|w| {
                let t = w.trim_end_matches([',', '.']);
                t.starts_with(char::is_uppercase)
                    && t.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
            })
            && ws.iter().any(|w| {
                w.trim_end_matches([',', '.'])
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    >= 3
            })
            && !ws.iter().any(|w| is_valediction_word(w, cues))
            // a comma inside sets a word apart ("Signed, M. X"): no name line
            && ws[..ws.len() - 1].iter().all(|w| !w.ends_with(','))
    };
    // a street, place or state line among the next three
    // (a date line is none: "March 5, 1923")
    let address_below = |below: &[&str]| {
        below.iter().take(3).any(|n| {
            address_line(n.trim(), cues)
                && !n
                    .split_whitespace()
                    .any(|w| super::dates::month_of(w.trim_end_matches(['.', ',']), cues).is_some())
        })
    };
    let mut best: Option<(u8, String)> = None;
    for (i, l) in lines.iter().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.chars().count() > 70 {
            continue;
        }
        let ws: Vec<&str> = l.split_whitespace().collect();
        let first = bare(ws[0]);
        let tail = bare(ws[ws.len() - 1]);
        let (prio, block): (u8, Vec<&str>) = if cues.addressee_prefixes.contains(&first.as_str())
            || is_envelope_word(ws[0], cues)
        {
            if ws.len() == 1 {
                // "To" alone: the name is on one of the next lines ("To / Mr. X")
                (3, lines.iter().skip(i + 1).take(2).copied().collect())
            } else {
                (3, vec![l])
            }
        } else if tail.starts_with("esq") || l.to_lowercase().contains(" esq") || in_titles(ws[0]) {
            (1, vec![l])
        } else if !senders.is_empty() && full_name(&ws) && address_below(&lines[i + 1..]) {
            // a full name standing above an address ("C. W. Hale, / Attorney at Law, / 12
            // Mill Road / Boston"), once the letter's signature is known
            (0, vec![l])
        } else {
            continue;
        };
        let a = address_block(&block, cues);
        let Some(c) = a.addressees.into_iter().next().map(|p| p.full) else {
            continue;
        };
        if is_sender(&c) {
            continue;
        }
        if best.as_ref().is_none_or(|(p, _)| *p < prio) {
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
        // a full name above an address, once the signature is known
        let signed = ["W. T. Hale".to_string()];
        let panel = [
            "W. T. Hale",
            "Clara M. Dobbin,",
            "Attorney at Law,",
            "#12 Mill Road",
            "Ashford, Kent",
        ];
        assert_eq!(
            tail_panel(&panel, &signed, &ENGLISH).as_deref(),
            Some("Clara M. Dobbin")
        );
        let stamped = [
            "Ashford, Station A 3 PM",
            "Station A",
            "Clara M. Dobbin,",
            "Ashford, Mass.",
        ];
        assert_eq!(
            tail_panel(&stamped, &signed, &ENGLISH).as_deref(),
            Some("Clara M. Dobbin")
        );
        assert_eq!(tail_panel(&panel, &[], &ENGLISH), None);
        assert_eq!(
            tail_panel(&["W. T. Hale", "12 Mill Road"], &signed, &ENGLISH),
            None
        );
        // a signature with its date is no panel
        let dated = ["Signed, C. Dobbin", "March 5, 1923"];
        assert_eq!(tail_panel(&dated, &signed, &ENGLISH), None);
    }
}
