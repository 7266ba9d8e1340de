//! Forms of address and the people they name, read from lines whose role is known:
//! a salutation ("Dear Mr Pellow," → the surname Pellow, honorific "Mr"), a signature block
//! (names, titles, offices, post-nominals: "Tobias Wrenfield / Under Secretary"), an inside
//! address or address panel ("Herrn / Dr. Hans Weber / Graz IV, Lindengasse 3").
//!
//! Everything is decided by the per-language tables of [`Cues`]: titles, offices, relation and
//! kinship nouns, salutation words, valedictions (matched with one or two letters' tolerance,
//! so "Respectifully" is still one), post-nominals, postal directions. A form of address
//! ("Sir", "Lieber Freund", "Verehrteste gnädige Frau"), a valediction word, an office on its
//! own ("Commandant"), a postal direction ("By Special Delivery") and an initialism of four or
//! more letters (a filing mark) are never a person.

use super::cues::{starts_with_word, Cues};
use std::collections::{HashMap, HashSet};

/// A person's name as a letter writes it, in its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonName {
    /// Forenames and initials before the surname ("Matthew", "C. E."), when known to be that.
    pub forename: Option<String>,
    /// The surname with its particles ("Pellow", "von Weber"), when known to be that.
    pub surname: Option<String>,
    /// Titles and forms of address written with the name, as written ("Mr", "Herr", "Doktor").
    pub honorifics: Vec<String>,
    /// An office written with the name ("Under Secretary", "Staatssekretär"): a `roleName`.
    pub role_name: Option<String>,
    /// Post-nominal letters and words ("Esqre.", "M.P.", "U.S.A."), as written.
    pub post_nominals: Vec<String>,
    /// The name without titles, offices and post-nominals, as written ("C. E. Dobbs",
    /// "Elly"). A single word whose part nothing tells ("Dear Dobbs") is here only.
    pub full: String,
}

/// A salutation read into its form and the person it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Salutation {
    /// The words of address before the name, as written ("My dear", "Sehr geehrter Herr
    /// Doktor"); the whole salutation when it names no one ("Dear Sir").
    pub form: String,
    /// The person named, if any.
    pub person: Option<PersonName>,
    /// An office addressed without a name ("Dear Mr. President" → "President").
    pub role_name: Option<String>,
}

/// A signature block read into people, offices, bodies and places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// The people who sign, in order.
    pub persons: Vec<PersonName>,
    /// Offices signed without a person ("Commandant"); an office under a name is that
    /// person's [`PersonName::role_name`].
    pub role_names: Vec<String>,
    /// Bodies named in the block ("Department of Public Works"): `orgName`.
    pub org_names: Vec<String>,
    /// Address or place lines in the block, as written.
    pub places: Vec<String>,
}

/// An inside address or address panel read into its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressBlock {
    /// The people addressed.
    pub addressees: Vec<PersonName>,
    /// People sent a copy ("(copy to Mrs. Y)").
    pub copies: Vec<PersonName>,
    /// Offices addressed ("The Under Secretary"), with or without a person.
    pub role_names: Vec<String>,
    /// Bodies addressed or named as the office's seat ("Carlow Castle", "Department of the
    /// Public Works").
    pub org_names: Vec<String>,
    /// Place and street lines, as written ("Upper Fenwick Street", "Graz IV, Lindengasse 3").
    pub places: Vec<String>,
    /// A person the letter goes through ("care of Mr. X", "per Adr. Y"): not the addressee.
    pub care_of: Option<PersonName>,
}

impl AddressBlock {
    /// True when the block names nobody: no person, office or body.
    pub fn is_empty(&self) -> bool {
        self.addressees.is_empty() && self.role_names.is_empty() && self.org_names.is_empty()
    }
}

/// The words of `s`, without tokens that are punctuation only ("Monsr . Durand").
fn words(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric) || *w == "&")
        .collect()
}

/// Spaces a name glued to the title or initials before it ("Mrs.Penrose" → "Mrs. Penrose",
/// "W.F.Dobbs" → "W.F. Dobbs"): the part after the last dot is a capitalised word of two
/// letters or more, the parts before it are a title or single letters; and initials glued
/// to an abbreviated forename ("Geo.T." → "Geo. T.").
fn unglue_titles(line: &str, cues: &Cues) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    for (i, w) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // "Geo.T." → "Geo. T.": an abbreviated forename glued to the initials after it
        let parts: Vec<&str> = w.split('.').collect();
        if parts.len() >= 3
            && parts.last() == Some(&"")
            && parts[0].chars().count() >= 2
            && parts[0].chars().next().is_some_and(char::is_uppercase)
            && parts[0].chars().skip(1).all(char::is_lowercase)
            && parts[1..parts.len() - 1]
                .iter()
                .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
        {
            out.push_str(&parts[..parts.len() - 1].join(". "));
            out.push('.');
            continue;
        }
        if let Some(d) = w.rfind('.') {
            let (head, tail) = (&w[..d + 1], &w[d + 1..]);
            let tail_word = tail.chars().next().is_some_and(char::is_uppercase)
                && tail.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && tail.chars().nth(1).is_some_and(char::is_lowercase);
            let parts: Vec<&str> = head.split('.').filter(|p| !p.is_empty()).collect();
            let head_ok = !parts.is_empty()
                && (parts
                    .iter()
                    .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
                    || (parts.len() == 1 && is_title(parts[0], cues)));
            if tail_word && head_ok {
                out.push_str(head);
                out.push(' ');
                out.push_str(tail);
                continue;
            }
        }
        out.push_str(w);
    }
    out
}

/// True when the last word of `s` is a state, province or country of the table ("Neb.",
/// "N. Y.", "Austria"), so that the line is a place.
fn ends_in_region(s: &str, cues: &Cues) -> bool {
    let ws = words(s);
    if ws.len() < 2 {
        return ws.first().is_some_and(|w| {
            let k = key(w);
            k.chars().count() > 3 && cues.regions.contains(&k.as_str())
        });
    }
    // "N. Y.", "D. C.": two initials at the end make one abbreviation
    let lw = ws[ws.len() - 1];
    let last = key(lw);
    let two = format!("{}{}", key(ws[ws.len() - 2]), last);
    let initials = ws[ws.len() - 2..].iter().all(|w| is_initial(w));
    // a short abbreviation counts with its dot or in capitals ("Pa.", "PA"; "Pa" is a name)
    let marked = last.chars().count() > 2
        || lw.trim_end_matches(',').ends_with('.')
        || lw.chars().all(|c| !c.is_lowercase());
    (marked && cues.regions.contains(&last.as_str()))
        || (initials && cues.regions.contains(&two.as_str()))
}

/// A Roman numeral of two letters or more ("IX", "XVIII"): a district or a number.
fn is_roman(w: &str) -> bool {
    let t = w.trim_end_matches(['.', ',']);
    t.chars().count() >= 2 && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// Lowercase, without surrounding punctuation ("Mr." → "mr.", "(Sgd.)" → "sgd.").
fn lower(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '&' && c != '/')
        .trim_start_matches('.')
        .to_lowercase()
}

/// Lowercase letters and digits only ("Mr." → "mr", "U.S.A." → "usa", "Mess.rs" → "messrs").
fn key(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric() || *c == '&')
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `w` is an entry of `table`, compared by [`key`].
fn in_table(w: &str, table: &'static [&'static str]) -> bool {
    let k = key(w);
    if k.is_empty() {
        return false;
    }
    // the tables are static: each is keyed once per thread, then looked up by hash
    thread_local! {
        static KEYED: std::cell::RefCell<HashMap<(usize, usize), HashSet<String>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    KEYED.with(|cache| {
        cache
            .borrow_mut()
            .entry((table.as_ptr() as usize, table.len()))
            .or_insert_with(|| table.iter().map(|e| key(e)).collect())
            .contains(&k)
    })
}

/// True when the lowercase `line` opens with one of the phrases of `table`.
fn opens_with(line: &str, table: &[&str]) -> Option<usize> {
    let l = line.to_lowercase();
    table
        .iter()
        .filter(|p| starts_with_word(&l, p))
        .map(|p| p.len())
        .max()
}

/// An initial or a run of glued initials: "W", "W.", "W.F.", "C.E.".
pub(super) fn is_initial(w: &str) -> bool {
    let t = w.trim_end_matches([',', ';', ':']);
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.len() <= 3
        && letters.iter().all(|c| c.is_uppercase())
        && t.chars().all(|c| c.is_alphabetic() || c == '.')
        && (letters.len() == 1 || t.contains('.'))
}

/// An initialism of four or more letters ("R.K.M.S", "G.P.O."): an office or filing mark.
fn is_long_initialism(w: &str) -> bool {
    let t = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 4
        && t.contains('.')
        && t.chars()
            .all(|c| (c.is_alphabetic() && c.is_uppercase()) || c == '.')
}

/// A word that can be part of a name: capitalised ("Wrenfield", "O'Brien", "Wm.", "Müller-Lyer")
/// or an initial.
fn is_name_word(w: &str) -> bool {
    let t = w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”'));
    // a possessive ("Bellamy's Letters", "Veterans' Home") is not a name of address
    if t.ends_with("'s") || t.ends_with("’s") || t.ends_with("s'") || t.ends_with("s’") {
        return false;
    }
    t.chars().next().is_some_and(|c| c.is_uppercase())
        && t.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 1
}

/// True when `w` is a valediction word of the table, or one spelt with a letter or two
/// wrong ("Respectifully", "Sincerly", "Affectionatly"): words of seven letters and more
/// within one edit, of ten and more within two.
pub fn is_valediction_word(w: &str, cues: &Cues) -> bool {
    let k = key(w);
    if k.is_empty() {
        return false;
    }
    let single_starts = cues.valediction_starts.iter().filter(|s| !s.contains(' '));
    if cues.valediction_words.contains(&k.as_str())
        || cues.closing_words.contains(&k.as_str())
        || single_starts.clone().any(|s| *s == k)
    {
        return true;
    }
    let n = k.chars().count();
    if n < 7 {
        return false;
    }
    let max = if n >= 10 { 2 } else { 1 };
    cues.valediction_words
        .iter()
        .chain(cues.closing_words)
        .chain(single_starts)
        .filter(|v| v.chars().count() >= 6)
        .any(|v| strsim::osa_distance(&k, v) <= max)
}

/// True when `w` is a title of the table, or one formed on a pattern ("Regierungsrat").
fn is_title(w: &str, cues: &Cues) -> bool {
    in_table(w, cues.titles) || {
        let k = key(w);
        k.chars().count() >= 7
            && w.starts_with(char::is_uppercase)
            && cues.title_endings.iter().any(|e| k.ends_with(e))
    }
}

/// True when `w` (as written) is an envelope's addressee word: "To", "An", "für", and a
/// one-letter one ("a", "à") only in lower case and without a dot.
pub(crate) fn is_envelope_word(w: &str, cues: &Cues) -> bool {
    let l = w.trim_end_matches([',', ':']);
    cues.envelope_prefixes.iter().any(|p| {
        if p.chars().count() == 1 {
            l == *p
        } else {
            l.to_lowercase() == *p
        }
    })
}

/// True when `w` is an office head of the table ("Consul"), or, where offices compound, a
/// word ending in one ("Bezirksrichter", "Generalkonsul").
pub fn is_office(w: &str, cues: &Cues) -> bool {
    in_table(w, cues.offices)
        || (cues.compound_offices && w.starts_with(char::is_uppercase) && {
            let k = key(w);
            k.chars().count() >= 8
                && cues
                    .offices
                    .iter()
                    .any(|o| o.chars().count() >= 5 && k.ends_with(&key(o)))
        })
}

/// True when `line` opens with a title or form of address ("Dr. Hans Lehner", "Mrs Grey"): it
/// names a person.
pub fn opens_with_title(line: &str, cues: &Cues) -> bool {
    words(line).first().is_some_and(|w| is_title(w, cues))
}

/// True when `line` opens the way an address does: with the addressee word ("To", "An",
/// "à") or a courtesy title before a name ("Mrs. Penrose", "Herrn Dr. Weber").
pub fn opens_address(line: &str, cues: &Cues) -> bool {
    if opens_with(line, cues.mail_directions).is_some() {
        return false;
    }
    let ws = words(line);
    let Some(first) = ws.first() else {
        return false;
    };
    cues.addressee_prefixes.contains(&lower(first).as_str())
        || (is_envelope_word(first, cues) && ws.len() > 1)
        || (in_table(first, cues.courtesy_titles)
            && ws
                .get(1)
                .is_some_and(|n| is_name_word(n) || is_title(n, cues)))
}

/// The kind of a word in a name context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// A title or form of address before a name.
    Title,
    /// An office head word, or a qualifier before one.
    Office,
    /// A post-nominal.
    PostNominal,
    /// A particle inside a name ("von").
    Particle,
    /// A word that can be part of a name.
    Name,
    /// Anything else.
    Other,
}

fn word_kind(w: &str, cues: &Cues) -> Word {
    if is_title(w, cues) {
        Word::Title
    } else if is_office(w, cues) {
        Word::Office
    } else if in_table(w, cues.post_nominals) && (w.contains('.') || !is_initial(w)) {
        Word::PostNominal
    } else if cues.name_particles.contains(&lower(w).as_str()) {
        Word::Particle
    } else if in_table(w, cues.articles) {
        Word::Other
    } else if is_name_word(w) && !is_long_initialism(w) && !is_roman(w) {
        Word::Name
    } else {
        Word::Other
    }
}

/// The office starting at word `i` of `ws` (an article, qualifiers, then a head word): its end.
fn office_at(ws: &[&str], i: usize, cues: &Cues) -> Option<usize> {
    let mut j = i;
    if j < ws.len() && in_table(ws[j], cues.articles) {
        j += 1;
    }
    while j < ws.len() && in_table(ws[j], cues.office_qualifiers) && !is_office(ws[j], cues) {
        j += 1;
    }
    (j < ws.len() && is_office(ws[j], cues)).then_some(j + 1)
}

/// Where the office of `ws` starts, if it names one: at a leading qualifier when the words
/// open with one ("Acting Harbour Agent", "The Under Secretary" → "Under"), else at the head
/// word with the qualifiers just before it ("Tobias Wrenfield Under Secretary" → "Under").
fn office_start(ws: &[&str], cues: &Cues) -> Option<usize> {
    let head = ws.iter().position(|w| is_office(w, cues))?;
    let first = usize::from(ws.first().is_some_and(|w| in_table(w, cues.articles)));
    if first < head && in_table(ws[first], cues.office_qualifiers) {
        return Some(first);
    }
    let mut j = head;
    while j > first && in_table(ws[j - 1], cues.office_qualifiers) {
        j -= 1;
    }
    Some(j.max(first))
}

/// A title as written, without a comma or brackets around it ("Dr.," → "Dr.").
fn trim_word(w: &str) -> String {
    w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”'))
        .to_string()
}

/// Trims the punctuation that closes a name as written ("Dobbs," → "Dobbs", "Pellow."
/// → "Pellow", "E." stays "E.").
fn trim_name(s: &str) -> String {
    let t = s.trim_matches(|c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”' | '-' | '–' | '—'
        ) || c.is_whitespace()
    });
    let last = t.split_whitespace().last().unwrap_or("");
    if last.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        t.trim_end_matches('.').to_string()
    } else {
        t.to_string()
    }
}

/// How the words before a name bear on its parts.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// A kinship noun stood before the name ("Dear Uncle John").
    kin: bool,
    /// The salutation is intimate ("Liebe Frau Elly").
    intimate: bool,
}

/// Splits a transcription's glued names at a small-capital join ("KonradWeber" → "Konrad
/// Weber"); a prefix of fewer than three letters or "Mac" is kept ("McNeil", "MacLeod").
pub fn unglue(word: &str) -> String {
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

/// A person from the name words `ws` (titles, offices and post-nominals already set aside),
/// with its forename and surname decided where the words and the context tell them.
fn person(ws: &[&str], honorifics: Vec<String>, cues: &Cues, cx: Context) -> Option<PersonName> {
    let words: Vec<String> = ws
        .iter()
        .flat_map(|w| {
            unglue(w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')')))
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    if words.is_empty() || !words.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return None;
    }
    let full = trim_name(&words.join(" "));
    if full.is_empty() {
        return None;
    }
    let mut p = PersonName {
        honorifics,
        full: full.clone(),
        ..Default::default()
    };
    let parts: Vec<&str> = full.split_whitespace().collect();
    if parts.len() >= 2 {
        // the surname starts at its first particle ("Carl von Weber"), else is the last word
        let last = parts.len() - 1;
        // a one-letter particle ("O Dowd") only opens the name: inside it, it is an
        // initial written without its dot ("T O Smith")
        let start = (0..last)
            .find(|&i| {
                cues.name_particles
                    .contains(&parts[i].to_lowercase().as_str())
                    && (i == 0
                        || parts[i].chars().count() > 1
                        || parts[..i].iter().all(|w| w.ends_with('.')))
            })
            .unwrap_or(last);
        p.forename = (start > 0).then(|| parts[..start].join(" "));
        p.surname = Some(parts[start..].join(" "));
        return Some(p);
    }
    let one = parts[0];
    let titled = !p.honorifics.is_empty();
    // "Sir Walter", "Dame Ellen": these titles go with the forename
    let forename_title = p
        .honorifics
        .last()
        .is_some_and(|h| matches!(key(h).as_str(), "sir" | "dame"));
    let lw = one.to_lowercase();
    let pet = cx.intimate
        && titled
        && !is_initial(one)
        && cues.pet_name_endings.iter().any(|e| lw.ends_with(e));
    if cx.kin || forename_title || pet {
        p.forename = Some(one.to_string());
    } else if titled {
        p.surname = Some(one.to_string());
    }
    Some(p)
}

/// A name group read: titles, the person, an office and post-nominals.
#[derive(Debug, Default)]
struct Group {
    honorifics: Vec<String>,
    name: Vec<String>,
    role: Option<String>,
    post: Vec<String>,
    /// Words after the name that are none of these.
    rest: Vec<String>,
}

/// Reads a run of words as [titles] [office] name [post-nominals] [office]:
/// "Lieut. Colonel W. H. Crane", "Herr Doktor Hans Weber", "John Grey Esqre.",
/// "Tobias Wrenfield Under Secretary", "Commissioner Sills".
fn read_group(ws: &[&str], cues: &Cues) -> Group {
    let mut g = Group::default();
    let mut i = 0;
    // titles and an office before the name
    while i < ws.len() {
        match word_kind(ws[i], cues) {
            Word::Title => {
                g.honorifics.push(trim_word(ws[i]));
                i += 1;
            }
            // "Miss or Mr C. M. X", "Mr. and Mrs. X": a small lowercase word between two
            // titles joins them
            Word::Other
                if !g.honorifics.is_empty()
                    && ws[i].chars().count() <= 3
                    && ws[i].chars().all(char::is_lowercase)
                    && ws.get(i + 1).is_some_and(|n| is_title(n, cues)) =>
            {
                i += 1;
            }
            _ => {
                if let Some(e) = office_at(ws, i, cues) {
                    g.role = Some(trim_name(&ws[i..e].join(" ")));
                    i = e;
                } else {
                    break;
                }
            }
        }
    }
    // the name: name words and particles followed by a name word
    while i < ws.len() {
        let k = word_kind(ws[i], cues);
        let particle_ok = k == Word::Particle && ws.get(i + 1).is_some_and(|n| is_name_word(n));
        let name_ok = k == Word::Name && office_at(ws, i, cues).is_none();
        if !(name_ok || particle_ok) {
            break;
        }
        g.name.push(ws[i].to_string());
        i += 1;
        if ws[i - 1].ends_with(',') {
            break;
        }
    }
    // post-nominal initials after the surname ("Grey R N"): two or more single capitals
    // without dots after a word of two letters or more
    let single = |w: &String| w.chars().count() == 1 && w.chars().all(char::is_uppercase);
    let tail = g.name.iter().rev().take_while(|w| single(w)).count();
    if tail >= 2
        && g.name.len() > tail
        && g.name[g.name.len() - tail - 1]
            .chars()
            .filter(|c| c.is_alphabetic())
            .count()
            >= 2
    {
        let at = g.name.len() - tail;
        g.post = g.name.split_off(at);
    }
    // post-nominals ("Esqre", "M.P.") and an office after the name
    while i < ws.len() {
        let w = ws[i];
        if word_kind(w, cues) == Word::PostNominal {
            g.post.push(trim_name(w));
            i += 1;
        } else if office_at(ws, i, cues).is_some() {
            g.role = Some(trim_name(&ws[i..].join(" ")));
            i = ws.len();
        } else {
            break;
        }
    }
    g.rest = ws[i..].iter().map(|w| w.to_string()).collect();
    g
}

/// Parses a salutation into its form and the person or office it names: "Dear Mr Pellow,"
/// → surname "Pellow" (honorific "Mr"); "Sehr geehrter Herr Doktor Brandl!" → "Brandl"
/// (honorifics "Herr", "Doktor"); "Liebe Frau Elly" → forename "Elly"; "Dear Uncle John" →
/// forename "John". "Sir", "Dear Sir", "Gentlemen", "Dear Father", "Lieber Freund",
/// "Verehrteste gnädige Frau" name no one. Text after the salutation's closing comma, colon,
/// exclamation mark or dash is ignored.
pub fn salutation(line: &str, cues: &Cues) -> Salutation {
    // a piece of several lines (a note above it, "(Original to ...)") is read at the line
    // that opens the way a salutation does
    let line = if line.trim().contains('\n') {
        line.lines()
            .map(str::trim)
            .find(|l| super::lines::salute_len(l, cues).is_some())
            .unwrap_or(line)
    } else {
        line
    };
    let spaced = unglue_titles(line.trim(), cues);
    let mut t = spaced.as_str();
    // "To Mrs. X" given as a salutation: the addressee word goes, a postal direction names no one
    let first = t.split_whitespace().next().unwrap_or("");
    if cues.addressee_prefixes.contains(&lower(first).as_str()) || is_envelope_word(first, cues) {
        t = t[first.len()..].trim_start();
    }
    if opens_with(t, cues.mail_directions).is_some() {
        return Salutation {
            form: trim_name(t),
            ..Default::default()
        };
    }
    let cut = t
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ',' | ':' | '!' | ';' | '—' | '–')
                || (c == '-' && t[..i].ends_with(' '))
                || (c == '.' && t[i + 1..].starts_with(' ') && {
                    // a full stop after a word that is neither an initial nor an abbreviation;
                    // a stray dot after a word of the form ("My. Dear. George") ends nothing
                    let w = t[..i].rsplit(' ').next().unwrap_or("");
                    w.chars().count() > 3
                        && !is_title(w, cues)
                        && !in_table(w, cues.salute_words)
                        && !in_table(w, cues.kin_nouns)
                })
        })
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    // a number before the first comma is no part of a form of address: an address line
    // ("Wien XVIII. Hauptstr. 7")
    let head = t.split([',', '!', ':']).next().unwrap_or("");
    let t = &t[..cut];
    if head.chars().any(|c| c.is_ascii_digit()) {
        return Salutation {
            form: trim_name(t),
            ..Default::default()
        };
    }
    let ws: Vec<&str> = words(t);
    let mut cx = Context::default();
    let mut honorifics = Vec::new();
    let mut role = None;
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        let l = lower(w);
        let next_is_name = ws
            .get(i + 1)
            .is_some_and(|n| matches!(word_kind(n, cues), Word::Name | Word::Title));
        if cues.name_particles.contains(&l.as_str()) && next_is_name {
            break;
        } else if in_table(w, cues.kin_nouns) {
            cx.kin = true;
        } else if is_title(w, cues) && (key(w) != "dr" || next_is_name) {
            honorifics.push(trim_word(w));
        } else if let Some(e) = office_at(&ws, i, cues) {
            role = Some(trim_name(&ws[i..e].join(" ")));
            i = e;
            continue;
        } else if in_table(w, cues.salute_words)
            || cues.address_nouns.contains(&key(w).as_str())
            || cues.salute_alone.contains(&l.as_str())
            || in_table(w, cues.name_joiners)
            || !is_name_word(w)
        {
            if in_table(w, cues.intimate_words) {
                cx.intimate = true;
            }
        } else {
            break;
        }
        i += 1;
    }
    let form = ws[..i].join(" ");
    let g = read_group(&ws[i..], cues);
    let role = g.role.clone().or(role);
    let mut hs = honorifics;
    hs.extend(g.honorifics);
    // "Dearest Mother Kitty is much better": a salutation run into its sentence without a
    // stop; the capitalised word is the sentence's subject, not a name of address
    let run_on = g
        .rest
        .first()
        .is_some_and(|w| w.starts_with(char::is_lowercase));
    let person = person(
        &g.name.iter().map(String::as_str).collect::<Vec<_>>(),
        hs,
        cues,
        cx,
    )
    .filter(|_| !run_on)
    .map(|mut p| {
        p.role_name = role.clone();
        p.post_nominals = g.post.clone();
        p
    });
    let form = if person.is_none() && role.is_none() {
        trim_name(t)
    } else {
        form
    };
    Salutation {
        form,
        role_name: if person.is_none() { role } else { None },
        person,
    }
}

/// What one segment of a signature or address line is.
#[derive(Debug)]
enum Segment {
    Person,
    Role(String),
    Org(String),
    Place(String),
    PostNominals(Vec<String>),
    Nothing,
}

/// True when `s` names a body: it holds a head word of the table's bodies.
fn is_org(s: &str, cues: &Cues) -> bool {
    s.split(|c: char| !c.is_alphanumeric() && c != '.')
        .any(|w| !w.is_empty() && in_table(w, cues.org_heads))
}

/// True when `s` reads as an address or place line: a digit, or a word of places or streets.
fn is_placeish(s: &str, cues: &Cues) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        || ends_in_region(s, cues)
        || s.split_whitespace().skip(1).any(is_roman)
        || s.split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && cues.place_words.contains(&w.to_lowercase().as_str()))
}

/// True when `line` reads as a street, place or building line of an address: a number, a
/// word of places or buildings, or a state or country at its end ("Mill Road", "12 High
/// St.", "Bozeman, Mont.", "Lowther House").
pub fn address_line(line: &str, cues: &Cues) -> bool {
    is_placeish(line, cues)
        || line.split(|c: char| !c.is_alphanumeric()).any(|w| {
            !w.is_empty()
                && (cues.place_words.contains(&w.to_lowercase().as_str())
                    || in_table(w, cues.seat_words))
        })
}

/// True when the first word of `s` is a weekday or a month (a date line, not a name).
fn is_dateish(s: &str, cues: &Cues) -> bool {
    let first = s.split_whitespace().next().unwrap_or("");
    let l = key(first);
    (l.len() >= 3 && cues.weekdays.iter().any(|d| d.starts_with(&l)))
        || super::dates::month_of(first.trim_end_matches(['.', ',']), cues).is_some()
}

/// Reads one comma-free segment of a signature line: a person (closing words, relation words
/// and lowercase words around the name dropped), an office, a body, a place, or nothing.
/// `names` collects every person of the segment ("Grete Ihre Lotte" signs twice).
fn signature_segment(seg: &str, cues: &Cues, names: &mut Vec<PersonName>) -> Segment {
    let s = seg
        .trim()
        .trim_matches(|c: char| matches!(c, ',' | ';' | '-' | '–' | '—' | '(' | ')'));
    if s.is_empty() {
        return Segment::Nothing;
    }
    let ws: Vec<&str> = words(s);
    if ws.iter().all(|w| is_long_initialism(w)) {
        return Segment::Nothing;
    }
    if is_org(s, cues) {
        return Segment::Org(trim_name(s));
    }
    if is_dateish(s, cues) {
        return Segment::Nothing;
    }
    if is_placeish(s, cues) {
        return Segment::Place(trim_name(s));
    }
    // an office with what precedes it: "Under Secretary", "Tobias Wrenfield Under Secretary"
    if let Some(j) = office_start(&ws, cues) {
        let before = &ws[..j];
        let role = trim_name(&ws[j..].join(" "));
        if !before
            .iter()
            .any(|w| word_kind(w, cues) == Word::Name && !in_table(w, cues.articles))
        {
            // "Under Secretary", "Acting Harbour Agent", "The Secretary": the office alone
            return Segment::Role(role);
        }
        let mut inner = Vec::new();
        signature_segment(&before.join(" "), cues, &mut inner);
        if let Some(mut p) = inner.pop() {
            names.extend(inner);
            p.role_name = Some(role);
            names.push(p);
            return Segment::Person;
        }
        return Segment::Role(role);
    }
    // groups between closing words, relation words and lowercase words
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for (i, w) in ws.iter().enumerate() {
        let next_name = ws.get(i + 1).is_some_and(|n| is_name_word(n));
        let sep = (is_valediction_word(w, cues) && !(is_title(w, cues) && next_name))
            || (cues.address_nouns.contains(&key(w).as_str()) && !(is_title(w, cues) && next_name))
            || in_table(w, cues.kin_nouns)
            || in_table(w, cues.name_joiners)
            || (in_table(w, cues.salute_words)
                && !is_title(w, cues)
                // "P. O Dowd": a particle inside a name, though also a word of address
                && !(i > 0 && word_kind(w, cues) == Word::Particle && next_name))
            // "I am", "I remain": the pronoun, not an initial
            || (*w == "I" && ws.get(i + 1).is_some_and(|n| n.starts_with(char::is_lowercase)))
            || (word_kind(w, cues) == Word::Other && !is_initial(w));
        if sep {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(Vec::new());
            }
        } else if let Some(g) = groups.last_mut() {
            g.push(w);
        }
    }
    let mut last = Segment::Nothing;
    for g in groups.into_iter().filter(|g| !g.is_empty()) {
        let r = read_group(&g, cues);
        let name: Vec<&str> = r.name.iter().map(String::as_str).collect();
        match person(&name, r.honorifics.clone(), cues, Context::default()) {
            Some(mut p) => {
                p.post_nominals = r.post;
                p.role_name = r.role;
                if !names.iter().any(|q| q.full == p.full) {
                    names.push(p);
                }
                last = Segment::Person;
            }
            None if r.role.is_some() => last = Segment::Role(r.role.unwrap_or_default()),
            None if !r.post.is_empty() => last = Segment::PostNominals(r.post),
            None if !r.honorifics.is_empty() && matches!(last, Segment::Nothing) => {
                // a rank or title alone ("Lieut. Colonel", "Col."): an office-like role
                last = Segment::Role(r.honorifics.join(" "))
            }
            None => {}
        }
    }
    last
}

/// Strips a signature line's prefixes ("Signed,", "(Sgd.)", "gez.").
fn strip_signed(line: &str, cues: &Cues) -> String {
    let t = line.trim();
    let t = t.trim_start_matches('(');
    let l = t.to_lowercase();
    for p in cues.signed_prefixes {
        if starts_with_word(&l, p) {
            return t[p.len()..]
                .trim_start_matches([',', ':', ')', ' ', '.'])
                .to_string();
        }
    }
    line.trim().to_string()
}

/// Parses the lines of a signature block: "Tobias Wrenfield" → a person; "Respectifully T
/// Mallory" → "T Mallory" (a valediction word, misspelt or not, is dropped); "Tobias Wrenfield /
/// Under Secretary" → the person with the office as `role_name`; "Commandant" → an office, no
/// person; "Department of Public Works" → a body; "Lovingly", "By Special Delivery",
/// "R.K.M.S" → nothing. A dictation note ("Dictated to ...") ends the block; after the first
/// person, a line opening with a title or the addressee word is the address below and ends
/// it too, and a further person needs two words or more (a one-word line there is a place).
pub fn signature(lines: &[&str], cues: &Cues) -> Signature {
    let mut sig = Signature::default();
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if opens_with(t, cues.dictated_prefixes).is_some() {
            break;
        }
        let t = unglue_titles(&strip_signed(t, cues), cues);
        if opens_with(&t, cues.mail_directions).is_some() {
            continue;
        }
        let ws = words(&t);
        let first = ws.first().copied().unwrap_or("");
        let next_is_name = ws.get(1).is_some_and(|n| word_kind(n, cues) == Word::Name);
        // the address below a signature: "Mrs. Penrose", "To Mr. Grey", "For Anne"; after a
        // signer, also a titled name ("Capt. Hale")
        if (in_table(first, cues.courtesy_titles) && next_is_name)
            || (is_envelope_word(first, cues) && ws.len() > 1)
            || cues.addressee_prefixes.contains(&lower(first).as_str())
            || (!sig.persons.is_empty() && is_title(first, cues) && next_is_name)
        {
            break;
        }
        // "Leeds, Yorks": single words between commas are a place
        let segs: Vec<&str> = t
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if segs.len() >= 2
            && segs.iter().all(|s| {
                let w = words(s);
                w.len() == 1
                    && word_kind(w[0], cues) == Word::Name
                    && !is_valediction_word(w[0], cues)
            })
        {
            sig.places.push(trim_name(&t));
            continue;
        }
        let had = sig.persons.len();
        // under a signature, a building is the writer's address ("Grand Hotel", "Lowther
        // House"); on the signer's own line it may be a surname ("Richard Hall")
        if had > 0 && ws.iter().skip(1).any(|w| in_table(w, cues.seat_words)) {
            sig.places.push(trim_name(&t));
            continue;
        }
        for seg in t.split(',') {
            let later = had > 0;
            // under a signature, a segment holding an office is the office whole ("United
            // States Consul", "Secretary of the Treasury")
            let sws = words(seg);
            if later && sws.iter().any(|w| is_office(w, cues)) {
                let role = trim_name(&sws.join(" "));
                match sig.persons.last_mut() {
                    Some(p) if p.role_name.is_none() => p.role_name = Some(role),
                    _ => sig.role_names.push(role),
                }
                continue;
            }
            let mut names = Vec::new();
            let r = signature_segment(seg, cues, &mut names);
            for p in names {
                if later && p.full.split_whitespace().count() < 2 && p.honorifics.is_empty() {
                    // a one-word line under a signature is a place ("Kendal")
                    if p.role_name.is_none() {
                        sig.places.push(p.full);
                        continue;
                    }
                }
                if !sig.persons.iter().any(|q| q.full == p.full) {
                    sig.persons.push(p);
                }
            }
            match r {
                Segment::Role(role) => match sig.persons.last_mut() {
                    Some(p) if p.role_name.is_none() => p.role_name = Some(role),
                    _ => sig.role_names.push(role),
                },
                Segment::Org(o) => sig.org_names.push(o),
                Segment::Place(p) => sig.places.push(p),
                Segment::PostNominals(ps) => {
                    if let Some(p) = sig.persons.last_mut() {
                        p.post_nominals.extend(ps);
                    }
                }
                Segment::Person | Segment::Nothing => {}
            }
        }
    }
    sig
}

/// Splits the "(copy to X and Y)" of an addressee line off: the line without it, and the
/// copy recipients.
fn split_copies<'a>(line: &'a str, cues: &Cues) -> (String, Vec<&'a str>) {
    if let (Some(o), Some(c)) = (line.find('('), line.rfind(')')) {
        if o < c {
            let inner = &line[o + 1..c];
            let il = inner.to_lowercase();
            if let Some(ct) = cues.copy_to.iter().find(|ct| starts_with_word(&il, ct)) {
                let names = &inner[ct.len()..];
                let parts = split_list(names, cues);
                return (format!("{}{}", &line[..o], &line[c + 1..]), parts);
            }
        }
    }
    (line.to_string(), Vec::new())
}

/// Splits a list of names at commas and joiners ("Orlov, Sokolov, and others").
fn split_list<'a>(s: &'a str, cues: &Cues) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_end = 0;
    for (i, w) in s
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
    {
        let end = i + w.len();
        if in_table(w, cues.name_joiners) {
            out.push(&s[start..i]);
            start = end;
        } else if w.ends_with(',') {
            out.push(&s[start..end - 1]);
            start = end;
        }
        prev_end = end;
    }
    out.push(&s[start..prev_end.max(start)]);
    out.into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A name from a list item of an address: titles and lowercase words before it dropped
/// ("comrades Orlov"), post-nominals and offices after it set aside; a lone initial
/// ("Miss E") names no one.
fn address_person(item: &str, pending: &[String], cues: &Cues) -> Option<PersonName> {
    let all = words(item);
    let skip = all
        .iter()
        .take_while(|w| {
            !is_title(w, cues) && !is_name_word(w) && office_at(&[w], 0, cues).is_none()
        })
        .count();
    // "the Vicar", "the Editor": a common noun, not a name ("The Revd. Dr. X" is one)
    if skip > 0
        && in_table(all[skip - 1], cues.articles)
        && !all.get(skip).is_some_and(|w| is_title(w, cues))
    {
        return None;
    }
    let ws = &all[skip..];
    let g = read_group(ws, cues);
    // closing words and greetings are no name ("Herzliche Grüsse")
    if g.name
        .iter()
        .any(|w| is_valediction_word(w, cues) || in_table(w, cues.salute_words))
    {
        return None;
    }
    let name: Vec<&str> = g.name.iter().map(String::as_str).collect();
    let mut hs = pending.to_vec();
    hs.extend(g.honorifics);
    let mut p = person(&name, hs, cues, Context::default())?;
    // a lone initial or initials only ("Miss E", "W.F.C.") name no one on an envelope
    let only_initials = p
        .full
        .split_whitespace()
        .all(|w| is_initial(w) || (w.chars().count() <= 3 && w.chars().all(char::is_uppercase)));
    // a single word in capitals without a title is a postmark or a town ("BRISTOL")
    let shouted = p.honorifics.is_empty()
        && !p.full.contains(' ')
        && p.full.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && p.full.chars().all(|c| !c.is_lowercase());
    if only_initials
        || shouted
        || (g.rest.iter().any(|w| w.starts_with(char::is_lowercase))
            && !g.rest.iter().all(|w| in_table(w, cues.name_joiners)))
    {
        return None;
    }
    p.post_nominals = g.post;
    p.role_name = g.role;
    Some(p)
}

/// Parses an inside address or address panel: "To comrade Lebedev (copy to Mr Y):" → the
/// addressee and a copy; "The Under Secretary, / Carlow Castle" → the office, and the body
/// seated at the building below it; "Herrn / Dr. Hans Weber / Graz IV, Lindengasse 3" → the
/// person (honorifics "Herrn", "Dr.") and the place line; "Mrs. Penrose / Upper Fenwick Street" →
/// "Day" and the street. The first line naming someone gives the addressees; the lines below
/// it are bodies and places. Postal directions are skipped; a name after "care of" is the
/// intermediary, not the addressee.
pub fn address_block(lines: &[&str], cues: &Cues) -> AddressBlock {
    let mut out = AddressBlock::default();
    let mut pending: Vec<String> = Vec::new();
    let mut after_office = false;
    let mut named = false;
    let spaced: Vec<String> = lines
        .iter()
        .map(|l| unglue_titles(l.trim(), cues))
        .collect();
    // postmarks, dates and endorsements above the address: it starts at the first line that
    // opens the way an address does ("To ...", "Mrs. X"), unless a title stands alone above
    let opening = spaced.iter().position(|l| opens_address(l, cues));
    let title_only = |l: &String| {
        let ws = words(l);
        !ws.is_empty() && ws.iter().all(|w| is_title(w, cues))
    };
    let start = match opening {
        Some(k) if !spaced[..k].iter().any(title_only) => k,
        _ => 0,
    };
    for (k, line) in spaced.iter().enumerate().skip(start) {
        let (line, copies) = split_copies(line, cues);
        for c in copies {
            if let Some(p) = address_person(c, &[], cues) {
                out.copies.push(p);
            }
        }
        let mut t = line.trim().trim_end_matches([':', ';']).trim();
        let l = t.to_lowercase();
        // the addressee word: "To", "An", "à", "For"
        let first = t.split_whitespace().next().unwrap_or("");
        if let Some(p) = cues
            .addressee_prefixes
            .iter()
            .find(|p| starts_with_word(&l, p) && !in_table(p, cues.titles))
        {
            t = t[p.len()..].trim_start_matches([',', ':', ' ', '.']);
        } else if is_envelope_word(first, cues) {
            t = t[first.len()..].trim_start_matches([',', ':', ' ', '.']);
        }
        // an exclamation or a question is no address line ("Herzliche Grüsse!")
        if t.ends_with(['!', '?']) {
            continue;
        }
        if t.is_empty() || opens_with(t, cues.mail_directions).is_some() {
            continue;
        }
        if let Some(n) = opens_with(t, cues.care_of) {
            out.care_of = address_person(&t[n..], &[], cues);
            continue;
        }
        let ws: Vec<&str> = words(t);
        // a single word above a date is the place of a dateline ("Bath / 3 May")
        let date_below = spaced.get(k + 1).is_some_and(|n| {
            n.chars().any(|c| c.is_ascii_digit())
                || words(n)
                    .iter()
                    .any(|w| super::dates::month_of(w.trim_end_matches(['.', ',']), cues).is_some())
        });
        if !named && ws.len() == 1 && !is_title(ws[0], cues) && date_below {
            out.places.push(trim_name(t));
            continue;
        }
        if ws
            .iter()
            .all(|w| is_title(w, cues) || in_table(w, cues.name_joiners))
        {
            pending.extend(ws.iter().map(|w| trim_word(w)));
            continue;
        }
        if !named {
            // a list of names ("Orlov, Sokolov, and others") or a name with its office,
            // body and place ("Mr. C. E. Dobbs, President, Ashford")
            let list = ws.iter().any(|w| in_table(w, cues.name_joiners));
            let segs: Vec<&str> = t
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            for (si, seg) in segs.iter().enumerate() {
                let sws: Vec<&str> = seg.split_whitespace().collect();
                let office = office_start(&sws, cues)
                    .filter(|&j| {
                        !sws[..j].iter().any(|w| {
                            word_kind(w, cues) == Word::Name && !in_table(w, cues.articles)
                        })
                    })
                    .or_else(|| {
                        // "The American Consul": an article, then words ending in an office
                        (sws.len() > 1
                            && in_table(sws[0], cues.articles)
                            && sws.iter().any(|w| is_office(w, cues)))
                        .then_some(1)
                    });
                if let Some(j) = office {
                    let role = trim_name(&sws[j..].join(" "));
                    match out.addressees.last_mut() {
                        Some(p) if p.role_name.is_none() => p.role_name = Some(role),
                        _ => out.role_names.push(role),
                    }
                    after_office = true;
                    named = true;
                } else if is_org(seg, cues) {
                    out.org_names.push(trim_name(seg));
                    named = true;
                } else if is_placeish(seg, cues)
                    || (si > 0 && named && !list)
                    // a single word on the third line of an address or below is its town
                    || (k > start + 1 && sws.len() == 1 && pending.is_empty())
                {
                    out.places.push(trim_name(seg));
                } else {
                    let mut any = false;
                    for it in split_list(seg, cues) {
                        if let Some(p) = address_person(it, &pending, cues) {
                            out.addressees.push(p);
                            any = true;
                        }
                    }
                    if any {
                        pending.clear();
                        named = true;
                    } else if is_placeish(seg, cues) {
                        out.places.push(trim_name(seg));
                    }
                }
            }
            continue;
        }
        // the lines below the addressee, by comma: offices ("President, Ashford Railway"),
        // bodies, the office's seat ("Carlow Castle"), places
        let mut places: Vec<&str> = Vec::new();
        let mut office_line = false;
        for seg in t.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let sws: Vec<&str> = seg.split_whitespace().collect();
            let office = office_start(&sws, cues).filter(|&j| {
                !sws[..j]
                    .iter()
                    .any(|w| word_kind(w, cues) == Word::Name && !in_table(w, cues.articles))
            });
            let seat = sws.iter().any(|w| in_table(w, cues.seat_words));
            if let Some(j) = office {
                // "Secretary of the Treasury" under the name: the addressee's office
                let role = trim_name(&sws[j..].join(" "));
                match out.addressees.last_mut() {
                    Some(p) if p.role_name.is_none() => p.role_name = Some(role),
                    _ => out.role_names.push(role),
                }
                office_line = true;
            } else if is_org(seg, cues)
                || ((after_office || office_line)
                    && seat
                    && !seg.chars().any(|c| c.is_ascii_digit()))
            {
                out.org_names.push(trim_name(seg));
            } else {
                places.push(seg);
            }
        }
        if !places.is_empty() {
            out.places.push(trim_name(&places.join(", ")));
        }
        after_office = office_line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::{ENGLISH, GERMAN};

    fn sal(s: &str, c: &Cues) -> Option<PersonName> {
        salutation(s, c).person
    }

    #[test]
    fn glued_titles_and_initials_are_spaced() {
        for (glued, spaced) in [
            ("Mrs.Penrose", "Mrs. Penrose"),
            ("W.F.Dobbs", "W.F. Dobbs"),
            ("Geo.T. Bick,", "Geo. T. Bick,"),
            ("Chas.E.F. Smith", "Chas. E. F. Smith"),
            // neither a forename nor initials: left alone
            ("U.S.A.", "U.S.A."),
            ("St.Paul.", "St.Paul."),
        ] {
            assert_eq!(unglue_titles(glued, &ENGLISH), spaced);
        }
    }

    #[test]
    fn salutations_name_a_person() {
        let p = sal("Dear Mr Pellow,", &ENGLISH).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Pellow"));
        assert_eq!(p.honorifics, vec!["Mr"]);
        assert_eq!(p.full, "Pellow");
        let p = sal("My dear Lady Ashcombe", &ENGLISH).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Ashcombe"));
        let p = sal("Sehr geehrter Herr Doktor Brandl!", &GERMAN).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Brandl"));
        assert_eq!(p.honorifics, vec!["Herr", "Doktor"]);
        let p = sal("Liebe Frau Elly", &GERMAN).unwrap();
        assert_eq!(p.forename.as_deref(), Some("Elly"));
        assert_eq!(p.surname, None);
        // a formal salutation takes a single name after the title as the surname
        let p = sal("Sehr verehrte Frau Körner,", &GERMAN).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Körner"));
        let p = sal("Dear Uncle Ned,", &ENGLISH).unwrap();
        assert_eq!(p.forename.as_deref(), Some("Ned"));
        let p = sal("Dear Sir Walter,", &ENGLISH).unwrap();
        assert_eq!(p.forename.as_deref(), Some("Walter"));
        let p = sal("Dear Mr. J. K. Dobbs:—", &ENGLISH).unwrap();
        assert_eq!(
            (p.forename.as_deref(), p.surname.as_deref()),
            (Some("J. K."), Some("Dobbs"))
        );
        let p = sal("Esteemed comrade Petrov:", &ENGLISH).unwrap();
        assert_eq!(p.full, "Petrov");
        let p = sal("Lieber Freund Hartl!", &GERMAN).unwrap();
        assert_eq!(p.full, "Hartl");
        let p = sal("Dear Colonel Ames, I write in haste", &ENGLISH).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Ames"));
        // a bare name: its part is not known
        let p = sal("Dear Hopkins:", &ENGLISH).unwrap();
        assert_eq!((p.full.as_str(), p.surname.as_deref()), ("Hopkins", None));
        let p = sal("Mein lieber Hans!", &GERMAN).unwrap();
        assert_eq!(p.full, "Hans");
        let p = sal("My dear Mrs. von Arnim", &ENGLISH).unwrap();
        assert_eq!(p.surname.as_deref(), Some("von Arnim"));
        // stray dots after the words of the form end nothing
        let p = sal("My. Dear. Harkness.", &ENGLISH).unwrap();
        assert_eq!(p.full, "Harkness");
        let p = sal("My. Dear. Mr. Olcott.", &ENGLISH).unwrap();
        assert_eq!(p.surname.as_deref(), Some("Olcott"));
        let p = sal("Dear. Uncle. Ned.", &ENGLISH).unwrap();
        assert_eq!(p.forename.as_deref(), Some("Ned"));
        let p = sal("Dear. Alma. &. Fred", &ENGLISH).unwrap();
        assert_eq!(p.full, "Alma");
        // an address line taken for a salutation names no one
        assert_eq!(sal("Graz IV. Lindengasse 3.", &GERMAN), None);
    }

    #[test]
    fn forms_of_address_name_no_one() {
        for s in [
            "Sir",
            "Sir,",
            "Madam,",
            "Dear Sir",
            "Dear Sirs,",
            "Gentlemen:",
            "My Dr Madam",
            "My dear Sir and Friend,",
            "Dear Father",
            "My dear old Friend,",
            "Dear Doctor,",
        ] {
            let s2 = salutation(s, &ENGLISH);
            assert_eq!(s2.person, None, "{s}");
            assert!(!s2.form.is_empty(), "{s}");
        }
        for s in [
            "Lieber Freund",
            "Lieber Freund!",
            "Verehrteste gnädige Frau",
            "Sehr geehrter Herr!",
            "Liebe Mutter,",
            "Hochverehrter Herr Professor!",
        ] {
            assert_eq!(salutation(s, &GERMAN).person, None, "{s}");
        }
        let s = salutation("Dear Mr. President:", &ENGLISH);
        assert_eq!(s.person, None);
        assert_eq!(s.role_name.as_deref(), Some("President"));
        let s = salutation("Sehr geehrter Herr Staatssekretär!", &GERMAN);
        assert_eq!(s.role_name.as_deref(), Some("Staatssekretär"));
    }

    fn senders(lines: &[&str], c: &Cues) -> Vec<String> {
        signature(lines, c)
            .persons
            .into_iter()
            .map(|p| p.full)
            .collect()
    }

    #[test]
    fn signatures() {
        let s = signature(&["Tobias Wrenfield"], &ENGLISH);
        assert_eq!(s.persons[0].surname.as_deref(), Some("Wrenfield"));
        assert_eq!(s.persons[0].forename.as_deref(), Some("Tobias"));
        assert_eq!(
            senders(&["Respectifully T Mallory"], &ENGLISH),
            vec!["T Mallory"]
        );
        assert_eq!(
            senders(&["Yours sincerly,", "Tom Bligh"], &ENGLISH),
            vec!["Tom Bligh"]
        );
        assert!(senders(&["Lovingly"], &ENGLISH).is_empty());
        assert!(senders(&["By Special Delivery"], &ENGLISH).is_empty());
        assert!(senders(&["R.K.M.S"], &ENGLISH).is_empty());
        let s = signature(&["Commandant"], &ENGLISH);
        assert!(s.persons.is_empty());
        assert_eq!(s.role_names, vec!["Commandant"]);
        let s = signature(&["Tobias Wrenfield", "Under Secretary"], &ENGLISH);
        assert_eq!(s.persons.len(), 1);
        assert_eq!(s.persons[0].role_name.as_deref(), Some("Under Secretary"));
        let s = signature(&["Ellis Ward, Acting Harbour Agent"], &ENGLISH);
        assert_eq!(s.persons[0].full, "Ellis Ward");
        assert_eq!(
            s.persons[0].role_name.as_deref(),
            Some("Acting Harbour Agent")
        );
        let s = signature(&["T. B. Hale", "Lieut. Colonel, U.S.A."], &ENGLISH);
        assert_eq!(
            senders(&["T. B. Hale", "Lieut. Colonel, U.S.A."], &ENGLISH),
            vec!["T. B. Hale"]
        );
        assert_eq!(s.persons[0].role_name.as_deref(), Some("Lieut. Colonel"));
        assert_eq!(s.persons[0].post_nominals, vec!["U.S.A"]);
        let s = signature(&["Department of Public Works"], &ENGLISH);
        assert!(s.persons.is_empty());
        assert_eq!(s.org_names, vec!["Department of Public Works"]);
        let s = signature(&["Karl Brenner", "Staatssekretär"], &GERMAN);
        assert_eq!(s.persons[0].role_name.as_deref(), Some("Staatssekretär"));
        let s = signature(&["Consul"], &ENGLISH);
        assert_eq!((s.persons.len(), s.role_names.len()), (0, 1));
        // closing words and relation words around names; two signers; glued names
        assert_eq!(senders(&["Deinem Konrad"], &GERMAN), vec!["Konrad"]);
        assert_eq!(senders(&["Ihr Freund Weber"], &GERMAN), vec!["Weber"]);
        assert_eq!(
            senders(&["Grete Ihre Lotte"], &GERMAN),
            vec!["Grete", "Lotte"]
        );
        assert_eq!(senders(&["KonradWeber"], &GERMAN), vec!["Konrad Weber"]);
        assert_eq!(senders(&["McNeil"], &ENGLISH), vec!["McNeil"]);
        assert!(senders(&["Herzlich Ihr"], &GERMAN).is_empty());
        assert_eq!(
            senders(
                &[
                    "I am Dear Madam your obliged & faithful",
                    "Richd Lowell Hale"
                ],
                &ENGLISH
            ),
            vec!["Richd Lowell Hale"]
        );
        assert_eq!(senders(&["yr affecly A H"], &ENGLISH), vec!["A H"]);
        assert_eq!(
            senders(&["Signed, M. Volkova"], &ENGLISH),
            vec!["M. Volkova"]
        );
        // a dictation note ends the block; the address below the signature is not a signer
        assert_eq!(
            senders(&["J. Petrov", "Dictated to A.K."], &ENGLISH),
            vec!["J. Petrov"]
        );
        assert_eq!(
            senders(&["Anna Hale", "Mrs. Penrose", "Fenwick Street"], &ENGLISH),
            vec!["Anna Hale"]
        );
        let s = signature(
            &["W. T. Dobbs", "Address Grand Hotel", "New York City"],
            &ENGLISH,
        );
        assert_eq!(s.persons.len(), 1);
        assert_eq!(s.places, vec!["New York City"]);
        // a name under the signature of two words or more signs too; one word is a place
        assert_eq!(
            senders(&["Anna Hale", "Kitty Hale"], &ENGLISH),
            vec!["Anna Hale", "Kitty Hale"]
        );
        assert_eq!(
            senders(&["Anna Hale", "Kendal"], &ENGLISH),
            vec!["Anna Hale"]
        );
        let s = signature(&["Thos. Grey Esqre."], &ENGLISH);
        assert_eq!(s.persons[0].full, "Thos. Grey");
        assert_eq!(s.persons[0].post_nominals, vec!["Esqre"]);
    }

    #[test]
    fn official_forms() {
        let s = signature(
            &[
                "I have the honor to be, Sir,",
                "Your obedient servant,",
                "Elias Crane,",
                "United States Consul.",
            ],
            &ENGLISH,
        );
        assert_eq!(s.persons.len(), 1);
        assert_eq!(s.persons[0].full, "Elias Crane");
        assert_eq!(
            s.persons[0].role_name.as_deref(),
            Some("United States Consul")
        );
        let a = address_block(&["To the American Consul,", "Hamburg."], &ENGLISH);
        assert!(a.addressees.is_empty());
        assert_eq!(a.role_names, vec!["American Consul"]);
        assert_eq!(a.places, vec!["Hamburg"]);
        let a = address_block(
            &["Hon. Elias Crane,", "Secretary of State,", "Washington."],
            &ENGLISH,
        );
        assert_eq!(a.addressees[0].full, "Elias Crane");
        assert_eq!(
            a.addressees[0].role_name.as_deref(),
            Some("Secretary of State")
        );
        assert_eq!(salutation("Sir:", &ENGLISH).person, None);
        let s = signature(
            &["Ihr ergebenster", "Dr. Karl Huber", "k.k. Bezirksrichter"],
            &GERMAN,
        );
        assert_eq!(s.persons[0].full, "Karl Huber");
        assert_eq!(s.persons[0].honorifics, vec!["Dr."]);
        assert_eq!(
            s.persons[0].role_name.as_deref(),
            Some("k.k. Bezirksrichter")
        );
        let a = address_block(
            &[
                "Sr. Hochwohlgeboren",
                "Herrn Regierungsrat",
                "Dr. Karl Huber",
                "Linz",
            ],
            &GERMAN,
        );
        assert_eq!(a.addressees[0].full, "Karl Huber");
        assert!(a.addressees[0]
            .honorifics
            .iter()
            .any(|h| h == "Regierungsrat"));
    }

    #[test]
    fn valediction_words_with_a_slip() {
        assert!(is_valediction_word("Respectifully", &ENGLISH));
        assert!(is_valediction_word("Affectionatly", &ENGLISH));
        assert!(is_valediction_word("faithfuly", &ENGLISH));
        assert!(is_valediction_word("Lovingly", &ENGLISH));
        assert!(!is_valediction_word("Trudy", &ENGLISH));
        assert!(!is_valediction_word("Wrenfield", &ENGLISH));
        assert!(!is_valediction_word("Respighi", &ENGLISH));
    }

    #[test]
    fn address_blocks() {
        let a = address_block(&["The Under Secretary,", "Carlow Castle"], &ENGLISH);
        assert!(a.addressees.is_empty());
        assert_eq!(a.role_names, vec!["Under Secretary"]);
        assert_eq!(a.org_names, vec!["Carlow Castle"]);
        let a = address_block(
            &["Herrn", "Dr. Hans Weber", "Graz IV, Lindengasse 3"],
            &GERMAN,
        );
        assert_eq!(a.addressees.len(), 1);
        assert_eq!(a.addressees[0].full, "Hans Weber");
        assert_eq!(a.addressees[0].honorifics, vec!["Herrn", "Dr."]);
        assert_eq!(a.places, vec!["Graz IV, Lindengasse 3"]);
        let a = address_block(&["Mrs. Penrose", "Upper Fenwick Street"], &ENGLISH);
        assert_eq!(a.addressees[0].surname.as_deref(), Some("Penrose"));
        assert_eq!(a.places, vec!["Upper Fenwick Street"]);
        let a = address_block(
            &["To comrades Ivanov, Sidorov, and others (copy to comrades Orlov and Kuzmin):"],
            &ENGLISH,
        );
        let names: Vec<&str> = a.addressees.iter().map(|p| p.full.as_str()).collect();
        assert_eq!(names, vec!["Ivanov", "Sidorov"]);
        let cc: Vec<&str> = a.copies.iter().map(|p| p.full.as_str()).collect();
        assert_eq!(cc, vec!["Orlov", "Kuzmin"]);
        let a = address_block(&["Mr. C. E. Dobbs", "President, Ashford, Kent."], &ENGLISH);
        assert_eq!(a.addressees[0].full, "C. E. Dobbs");
        let a = address_block(
            &[
                "Hon. Frank Kerr,",
                "Secretary of the Treasury,",
                "Washington, D. C.",
            ],
            &ENGLISH,
        );
        assert_eq!(a.addressees[0].full, "Frank Kerr");
        let a = address_block(&["To", "J. Grey Esqre.", "Bath"], &ENGLISH);
        assert_eq!(a.addressees[0].full, "J. Grey");
        assert_eq!(a.places, vec!["Bath"]);
        let a = address_block(&["Captain Hale Royal Navy", "12 Queen Street"], &ENGLISH);
        assert_eq!(a.addressees[0].full, "Hale");
        let a = address_block(&["Capt. John Grey R N", "London"], &ENGLISH);
        assert_eq!(a.addressees[0].full, "John Grey");
        let a = address_block(
            &[
                "By Special Delivery",
                "Miss Ann Lowe",
                "care of Mr. T. Lowe",
                "Boston",
            ],
            &ENGLISH,
        );
        assert_eq!(a.addressees[0].full, "Ann Lowe");
        assert_eq!(a.care_of.map(|p| p.full).as_deref(), Some("T. Lowe"));
        let a = address_block(&["Department of Public Works", "Washington"], &ENGLISH);
        assert_eq!(a.org_names, vec!["Department of Public Works"]);
        // a sentence is no address; a lone initial names no one
        assert!(
            address_block(&["To the Vicar & Miss T. pray give my love"], &ENGLISH)
                .addressees
                .is_empty()
        );
        assert!(address_block(&["Miss E"], &ENGLISH).addressees.is_empty());
    }
}
