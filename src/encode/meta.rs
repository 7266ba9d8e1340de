//! Letter metadata read from the text: senders (signatures, "X's letter", "X sent"),
//! addressees and copies (addressee lines, salutations, "addressed to", "a copy ... to",
//! address panels), date and place (datelines, dockets, "dated ...", quoted sources).
//! Salutations, signatures and address blocks are read by [`super::address`].

use super::address::{
    address_block, address_line, is_initial, is_valediction_word, opens_address, salutation,
    signature, AddressBlock, PersonName,
};
use super::cues::{starts_with_word, Cues};
use super::dates::{find_dates, year_only, PartialDate};
use super::layout::{After, Layout, Piece, Role};
use super::lines::{is_name_like, salute_len};
use super::names::strip_honorifics;

/// Where a letter's date was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// A dateline in the opener.
    Opener,
    /// A dateline in the closer or after it.
    Closer,
    /// Narrative around the letter or a quoted note's source.
    Narrative,
    /// A docket or endorsement by another hand: used only when nothing else dates the letter.
    Docket,
}

/// Names as written, before resolution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawMeta {
    /// Senders as written.
    pub senders: Vec<String>,
    /// Addressees as written.
    pub addressees: Vec<String>,
    /// Copy recipients as written.
    pub cc: Vec<String>,
    /// The person this letter answers, as written.
    pub reply_to: Option<String>,
    /// The date of writing.
    pub date: Option<PartialDate>,
    /// Where [`RawMeta::date`] was read.
    pub date_from: Option<DateSource>,
    /// Both readings of the date when its day and month can be read either way ("9/12/15")
    /// and nothing decided; [`RawMeta::date`] then holds only the year.
    pub date_readings: Option<[PartialDate; 2]>,
    /// The most precise date read from a docket or endorsement: never the letter's date
    /// unless nothing else dates it ([`RawMeta::date_or_docket`]).
    pub docket_date: Option<PartialDate>,
    /// The place of writing.
    pub place: Option<String>,
    /// True when the addressees were read from an address panel after the closer.
    pub addressee_from_panel: bool,
    /// The senders in their parts (forename, surname, titles, office), as far as read.
    pub sender_names: Vec<PersonName>,
    /// The addressees in their parts, as far as read.
    pub addressee_names: Vec<PersonName>,
    /// Offices that sign without a person's name ("Commandant"): `roleName`, not a person.
    pub sender_roles: Vec<String>,
    /// Offices addressed without a person's name ("The Under Secretary"): `roleName`.
    pub addressee_roles: Vec<String>,
}

impl RawMeta {
    /// The letter's date and where it was read, falling back on a docket's date when nothing
    /// else dates the letter.
    pub fn date_or_docket(&self) -> Option<(PartialDate, DateSource)> {
        match (self.date, self.docket_date) {
            (Some(d), _) => Some((d, self.date_from.unwrap_or(DateSource::Opener))),
            (None, Some(d)) => Some((d, DateSource::Docket)),
            _ => None,
        }
    }

    fn add_sender(&mut self, p: PersonName) {
        if !self.senders.contains(&p.full) {
            self.senders.push(p.full.clone());
            self.sender_names.push(p);
        }
    }

    fn add_addressee(&mut self, p: PersonName) {
        if !self.addressees.contains(&p.full) {
            self.addressees.push(p.full.clone());
            self.addressee_names.push(p);
        }
    }

    /// True while an address panel may still name the addressee: none is known, or only a
    /// one-word name from the salutation ("Dear John"), which the panel may complete.
    fn open_to_panel(&self) -> bool {
        match self.addressees.as_slice() {
            [] => true,
            [one] => !one.contains(' '),
            _ => false,
        }
    }

    /// Takes the addressees of an address panel: as [`RawMeta::take_address`], and a panel
    /// naming in full the one-word addressee known ("John" + "John H. Tate") replaces it.
    fn take_panel(&mut self, a: AddressBlock) -> bool {
        if let [one] = self.addressees.as_slice() {
            let one = one.trim_end_matches('.').to_lowercase();
            let completes = a.addressees.first().is_some_and(|p| {
                p.full.contains(' ')
                    && p.full
                        .split_whitespace()
                        .any(|w| w.trim_end_matches([',', '.']).to_lowercase() == one)
            });
            if !completes {
                return false;
            }
            self.addressees.clear();
            self.addressee_names.clear();
        }
        self.take_address(a)
    }

    /// Takes the addressees of an address block; false when it names nobody.
    fn take_address(&mut self, a: AddressBlock) -> bool {
        if a.is_empty() {
            return false;
        }
        for p in a.addressees {
            self.add_addressee(p);
        }
        if self.addressees.is_empty() && a.role_names.is_empty() {
            // a body addressed without a person or office ("Department of Public Works")
            if let Some(o) = a.org_names.first() {
                self.addressees.push(o.clone());
            }
        }
        self.addressee_roles.extend(a.role_names);
        for c in a.copies {
            if !self.cc.contains(&c.full) {
                self.cc.push(c.full);
            }
        }
        true
    }
}

fn words_of(s: &str) -> Vec<(usize, &str)> {
    s.split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
        .collect()
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The run of capitalised words that ends just before byte `end` of `s` ("Vladimir Ilyich").
fn name_before(s: &str, end: usize) -> Option<String> {
    let head = &s[..end];
    let ws: Vec<&str> = head.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::new();
    for w in ws.iter().rev() {
        let bare = w.trim_end_matches([',', ';']);
        if bare.len() != w.len() && !out.is_empty() {
            break;
        }
        if is_cap(bare) && !bare.ends_with(['.', ':'])
            || (bare.len() <= 3 && bare.ends_with('.') && is_cap(bare))
        {
            out.push(bare);
            if out.len() == 3 {
                break;
            }
        } else {
            break;
        }
    }
    out.reverse();
    // a sentence start ("The", "Here") is not a name
    let first_stop = [
        "The", "Here", "This", "That", "In", "And", "But", "When", "Then", "Thus", "It", "I", "We",
    ];
    while out.first().is_some_and(|w| first_stop.contains(w)) {
        out.remove(0);
    }
    if out.is_empty() {
        None
    } else {
        Some(out.join(" "))
    }
}

/// The name phrase after byte `start` of `s`: skips lowercase words and honorifics, then takes
/// capitalised words up to punctuation ("to all the members of the Politburo" → "Politburo").
fn name_after(s: &str, start: usize, cues: &Cues) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for (_, w) in words_of(&s[start..]).into_iter().take(10) {
        let bare = w
            .trim_end_matches([',', '.', ';', ':', ')'])
            .trim_start_matches('(');
        let lower = bare.to_lowercase();
        if out.is_empty()
            && (cues.honorifics.contains(&lower.as_str()) || bare.chars().all(|c| c.is_lowercase()))
        {
            if bare.len() != w.len() {
                return None;
            }
            continue;
        }
        if is_cap(bare) {
            out.push(bare);
            if bare.len() != w.len() {
                break;
            }
        } else {
            break;
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out.join(" "))
    }
}

/// Date and place from a dateline: the first date; the place is what precedes it on its line
/// ("Bath, 3 March 1862"), else what follows it there ("2. 8. 92 Graz"), else the line
/// above ("Bath\nDecr. 2 1841").
pub fn dateline(s: &str, cues: &Cues) -> (Option<PartialDate>, Option<String>) {
    let (d, p, _) = read_dateline(s, cues);
    (d, p)
}

/// [`dateline`], with both readings of its date when day and month read either way.
fn read_dateline(s: &str, cues: &Cues) -> DatelineRead {
    let ds = find_dates(s, cues);
    // "here till Decr. 3d, Novr. 9th 1830": a full date wins over a partial one
    let pick = ds
        .iter()
        .find(|d| d.date.is_written_in_full())
        .or_else(|| ds.first());
    let readings = pick.and_then(|d| d.readings);
    let date = pick.map(|d| d.date).or_else(|| {
        s.lines().find_map(year_only).map(|y| PartialDate {
            year: Some(y),
            ..Default::default()
        })
    });
    let Some(d) = ds.first() else {
        return (date, None, readings);
    };
    let line_start = s[..d.span.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = s[d.span.end..]
        .find('\n')
        .map(|i| d.span.end + i)
        .unwrap_or(s.len());
    // day-first tables write place and date on one line ("Graz, 3. Mai"); elsewhere a
    // letterhead of several lines before the date is the place ("Hotel X\n12 Rue ...")
    let before = if cues.numeric_dots {
        &s[line_start..d.span.start]
    } else {
        &s[..d.span.start]
    };
    let after = &s[d.span.end..line_end];
    let above = s[..line_start].trim_end().rsplit('\n').next().unwrap_or("");
    let has_alpha = |t: &str| t.chars().any(|c| c.is_alphabetic());
    let candidates = [before, after, above];
    let place = candidates
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            has_alpha(t)
                && match i {
                    // after the date or on the line above: a capitalised place, no sentence
                    1 => t
                        .trim_start_matches([',', '.', ' '])
                        .starts_with(|c: char| c.is_uppercase()),
                    2 => is_short_place(t, cues),
                    _ => true,
                }
        })
        .find_map(|(_, t)| clean_place(t, cues));
    (date, place, readings)
}

/// A dateline's date, place and, for an ambiguous numeric date, both readings.
type DatelineRead = (
    Option<PartialDate>,
    Option<String>,
    Option<[PartialDate; 2]>,
);

/// A line that can be a place above a date: short, capitalised, not a salutation.
fn is_short_place(t: &str, cues: &Cues) -> bool {
    let t = t.trim();
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    // a letterhead's name line ("Dr. Hans Weber") is not a place
    let person = cues.panel_honorifics.contains(&first.as_str())
        || cues.honorifics.contains(&first.as_str());
    !person
        && t.split_whitespace().count() <= 6
        && t.starts_with(|c: char| c.is_uppercase())
        && !t.ends_with([':', '!', '?'])
}

/// The place in the text around a date: weekdays, date fillers ("den", "am") and
/// punctuation dropped; for day-first tables the settlement before a comma, district or
/// street ("Graz, IV. Marktgasse 7." → "Graz").
fn clean_place(t: &str, cues: &Cues) -> Option<String> {
    let fillers = ["den", "d.", "am", "im", "the", "on", "le"];
    let mut ws: Vec<&str> = t.split_whitespace().collect();
    while let Some(last) = ws.last() {
        let lw = last
            .to_lowercase()
            .trim_matches(|c: char| !c.is_alphabetic() && c != '.')
            .to_string();
        let bare = lw.trim_matches('.');
        let weekday = bare.len() >= 3 && cues.weekdays.iter().any(|d| d.starts_with(bare));
        if weekday || fillers.contains(&lw.as_str()) || fillers.contains(&bare) || bare.is_empty() {
            ws.pop();
        } else {
            break;
        }
    }
    let mut place = ws.join(" ");
    if cues.numeric_dots {
        // "Graz, IV. ...", "Graz IV. Marktgasse No 4", "Linz, Hauptstrasse 9"
        let mut cut = place.len();
        if let Some(c) = place.find(',') {
            cut = c;
        }
        for w in place.split_whitespace().skip(1) {
            // a district numeral, alone or with a subdivision ("XIII/7")
            let bare = w.trim_end_matches(['.', ',']);
            let bare = bare.split('/').next().unwrap_or(bare);
            let roman = !bare.is_empty() && bare.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
            if roman || bare.starts_with(|c: char| c.is_ascii_digit()) {
                let at = w.as_ptr() as usize - place.as_ptr() as usize;
                cut = cut.min(at);
                break;
            }
        }
        place.truncate(cut);
    }
    let place = place
        .trim_matches(|c: char| c == ',' || c == '-' || c == '–' || c.is_whitespace())
        .trim_start_matches(['.', ' '])
        .to_string();
    (place.chars().any(|c| c.is_alphabetic()) && place.split(' ').count() <= 6).then_some(place)
}

/// The settlement of a letterhead's address line, for day-first tables: "Graz IV.
/// Marktgasse 7." → "Graz", "Linz, Hauptstrasse 9" → "Linz". The line holds a
/// house number; its first word is capitalised and is neither a form of address nor a street.
pub fn address_place(line: &str, cues: &Cues) -> Option<String> {
    if !cues.numeric_dots || !line.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = line.trim();
    let first = t.split_whitespace().next()?;
    let lf = first.to_lowercase();
    let lf = lf.trim_end_matches([',', '.']);
    let streetish = cues.place_words.iter().any(|w| lf.ends_with(w))
        || lf.ends_with("str")
        || lf.ends_with("ring")
        || lf.ends_with("gasse");
    if !first.starts_with(|c: char| c.is_uppercase())
        || first.chars().any(|c| c.is_ascii_digit())
        || streetish
        || cues.panel_honorifics.contains(&lf)
        || cues.honorifics.contains(&lf)
        || t.split_whitespace().count() > 8
    {
        return None;
    }
    // the settlement ends at a comma, a district numeral or a number
    let p = clean_place(t, cues)?;
    (p.split_whitespace().count() <= 3 && p != t.trim_end_matches(['.', ','])).then_some(p)
}

/// The non-empty lines of a piece, trimmed.
fn piece_lines<'a>(text: &'a str, p: &Piece) -> Vec<&'a str> {
    text[p.span.clone()]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Takes a dateline's date when the letter has none yet, or (from the closer) when it is
/// full and the one known is partial; the place when none is known.
fn take_dateline(s: &str, cues: &Cues, from: DateSource, out: &mut RawMeta) {
    let (d, pl, readings) = read_dateline(s, cues);
    let take = match (out.date, d) {
        (None, _) => from == DateSource::Opener || d.is_some(),
        (Some(od), Some(nd)) => from == DateSource::Closer && !od.is_full() && nd.is_full(),
        (Some(_), None) => false,
    };
    if take {
        out.date = d;
        out.date_from = d.map(|_| from);
        out.date_readings = readings;
    }
    if out.place.is_none() {
        out.place = pl;
    }
}

/// Keeps the most precise date of a docket or endorsement apart from the letter's date.
fn take_docket(s: &str, cues: &Cues, out: &mut RawMeta) {
    let rank = |d: &PartialDate| {
        usize::from(d.year.is_some()) * 4
            + usize::from(d.month.is_some()) * 2
            + usize::from(d.day.is_some())
    };
    for m in find_dates(s, cues) {
        if out.docket_date.is_none_or(|o| rank(&o) < rank(&m.date)) {
            out.docket_date = Some(m.date);
        }
    }
}

/// True when a post-nominal marks a name as an addressee's ("Esqre" is written by others).
fn addressed_form(p: &PersonName) -> bool {
    p.post_nominals
        .iter()
        .any(|w| w.to_lowercase().starts_with("esq"))
}

/// Takes the senders of a signature block: its persons (an addressee's "Esqre" form is no
/// signature), else the body it names; offices signed without a name are kept apart.
fn take_signature(lines: &[&str], cues: &Cues, out: &mut RawMeta) {
    let sig = signature(lines, cues);
    let before = out.senders.len();
    for p in sig.persons.into_iter().filter(|p| !addressed_form(p)) {
        out.add_sender(p);
    }
    if out.senders.len() == before && before == 0 {
        if let Some(o) = sig.org_names.into_iter().next() {
            out.senders.push(o);
        }
    }
    out.sender_roles.extend(sig.role_names);
}

/// True when lines after the closer read as an address: they open the way one does ("To
/// ...", "Mrs. X"), or a name stands above place lines ("J. Hale / Mill Road / Leeds").
fn reads_as_address(lines: &[&str], cues: &Cues) -> bool {
    // "Signed, M. X / May 16" is a signature with its date, not an address
    let first = lines
        .first()
        .map(|l| l.trim().to_lowercase())
        .unwrap_or_default();
    if cues
        .signed_prefixes
        .iter()
        .any(|p| starts_with_word(&first, p))
    {
        return false;
    }
    if lines.first().is_some_and(|l| opens_address(l, cues)) {
        return true;
    }
    lines.len() >= 2
        && !address_block(&lines[..1], cues).addressees.is_empty()
        && lines[1..]
            .iter()
            .any(|l| address_line(l, cues) && !office_mark(l))
}

/// A form of address among the first words of a paragraph: a salutation's opening ("lieber",
/// "dear") at the paragraph's start or inside its sentence, then one to four capitalised
/// words, set off by a comma or exclamation mark, or opening with a title ("dear Mrs Hale").
fn vocative(par: &str, cues: &Cues) -> Option<PersonName> {
    let ws: Vec<(usize, &str)> = words_of(par).into_iter().take(30).collect();
    // a short paragraph that is a salutation with stray dots ("My. Dear. Mr. X.")
    if ws.len() <= 6
        && !par.trim().contains('\n')
        && salute_len(&par.replace(". ", " "), cues).is_some()
    {
        return salutation(par.trim(), cues).person;
    }
    let lower = par.to_lowercase();
    if lower.len() != par.len() {
        return None;
    }
    for (k, &(at, w)) in ws.iter().enumerate() {
        if k > 0 && !w.starts_with(char::is_lowercase) {
            continue;
        }
        let Some(start) = cues
            .salute_starts
            .iter()
            .filter(|s| starts_with_word(&lower[at..], s))
            .map(|s| s.split_whitespace().count())
            .max()
        else {
            continue;
        };
        let run: Vec<&(usize, &str)> = ws[(k + start).min(ws.len())..]
            .iter()
            .take(4)
            .take_while(|(_, w)| w.starts_with(char::is_uppercase))
            .collect();
        let Some(stop) = run.iter().position(|(_, w)| w.ends_with([',', '!', ':'])) else {
            let titled = run
                .first()
                .is_some_and(|(_, w)| super::address::opens_with_title(w, cues));
            if !titled || run.len() < 2 {
                continue;
            }
            let (end_at, end_w) = run[run.len() - 1];
            return salutation(&par[at..end_at + end_w.len()], cues).person;
        };
        let (end_at, end_w) = run[stop];
        return salutation(&par[at..end_at + end_w.len()], cues).person;
    }
    None
}

/// A paragraph that is a name alone, the salutation of a familiar letter ("John—",
/// "Hale,"): one or two capitalised words of letters, no closing word, weekday, month, place
/// or title, and none that the `letter` also writes in lower case (a word, not a name:
/// "Thanks").
fn bare_salutation(par: &str, letter: &str, cues: &Cues) -> Option<PersonName> {
    let t = par
        .trim()
        .trim_end_matches([',', '—', '-', '–', ':', '!', '.'])
        .trim();
    let ws: Vec<&str> = t.split_whitespace().collect();
    let plain = |w: &&str| {
        w.chars().count() >= 3
            && w.starts_with(char::is_uppercase)
            && w.chars().skip(1).all(char::is_lowercase)
    };
    (!cues.nouns_capitalised
        && (1..=2).contains(&ws.len())
        && ws.iter().all(plain)
        && !ws.iter().any(|w| is_valediction_word(w, cues))
        && !ws.iter().any(|w| {
            let lower = w.to_lowercase();
            letter
                .split(|c: char| !c.is_alphabetic())
                .any(|x| x == lower)
        })
        && !super::address::opens_with_title(t, cues)
        && is_signature_name(t, cues))
    .then(|| salutation(&format!("Dear {t}"), cues).person)
    .flatten()
}

/// True when a salutation's person and an address block's are plainly two people: both
/// write a forename in full and the forenames differ, and the salutation's words are none of
/// the address's ("Lieber Arthur" / "Herrn Dr. Richard Weber"; "Dear John" / "John Hale" and
/// "My dear Maria" / "Miss Hale" are no contradiction).
fn contradicts(sal: &PersonName, addr: &PersonName) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let sw = words(&sal.full);
    let aw = words(&addr.full);
    let full_word = |w: &String| w.chars().count() >= 3;
    let (Some(sf), Some(af)) = (sw.first(), aw.first()) else {
        return false;
    };
    aw.len() >= 2
        && full_word(sf)
        && full_word(af)
        && !sw.iter().any(|w| {
            aw.iter()
                .any(|a| a.starts_with(w.as_str()) || w.starts_with(a.as_str()))
        })
}

/// A line under a signature that is a clerk's or telegraph office's mark, not a line of an
/// address: one word with a figure in it ("1056A", "3~32pm", "#41").
fn office_mark(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.contains(char::is_whitespace) && t.chars().any(|c| c.is_ascii_digit())
}

/// The signature in a block read as an address right after a letter's body: its first name
/// line, after lines of closing words only ("Hastily"), when it opens no address (no "To",
/// no title) and no address line follows it (an office's mark is none: "John M. Byrne /
/// 1056A", "Hale / Supt / 3~32pm").
fn signature_in_address<'a>(lines: &[&'a str], cues: &Cues) -> Option<&'a str> {
    let closing = |l: &str| {
        let ws: Vec<&str> = l.split_whitespace().collect();
        !ws.is_empty() && ws.iter().all(|w| is_valediction_word(w, cues))
    };
    let rest: Vec<&str> = lines.iter().copied().skip_while(|l| closing(l)).collect();
    let name = rest.first()?.trim();
    let ws = name.split_whitespace().count();
    ((1..=4).contains(&ws)
        && is_name_like(name)
        && is_signature_name(name, cues)
        && !opens_address(name, cues)
        && !rest[1..]
            .iter()
            .any(|l| address_line(l, cues) && !office_mark(l)))
    .then_some(name)
}

/// True when a piece opens with the addressee word before a capitalised name ("To Geo T
/// Hale.", not "To be called for").
fn to_line(s: &str, cues: &Cues) -> bool {
    let first = s.lines().next().unwrap_or("").trim();
    let mut ws = first.split_whitespace();
    let (Some(w0), Some(w1)) = (ws.next(), ws.next()) else {
        return false;
    };
    cues.addressee_prefixes
        .contains(&w0.to_lowercase().as_str())
        && w1.starts_with(char::is_uppercase)
        && is_name_like(first[w0.len()..].trim())
}

/// True when lines tagged as a signature are an envelope: three lines or more, the first
/// opening with a title before a name, and a place line among the rest.
fn envelope_signed(lines: &[&str], cues: &Cues) -> bool {
    lines.len() >= 3
        && (opens_address(lines[0], cues) || super::address::opens_with_title(lines[0], cues))
        && lines[1..].iter().any(|l| address_line(l, cues))
}

/// Metadata from the letter's own layout.
pub fn from_layout(text: &str, lay: &Layout, cues: &Cues, out: &mut RawMeta) {
    let op = &lay.opener;
    // the person of an address block at the top, which the salutation may contradict
    let mut top_address: Option<PersonName> = None;
    for (k, p) in op.iter().enumerate() {
        let s = &text[p.span.clone()];
        match p.role {
            Role::Dateline if out.date.is_none() => take_dateline(s, cues, DateSource::Opener, out),
            Role::Docket => take_docket(s, cues, out),
            Role::Addressee if out.addressees.is_empty() => {
                // the addressee line with the plain lines under it ("To Mr. X / street")
                let mut lines = piece_lines(text, p);
                for q in op[k + 1..].iter().take_while(|q| q.role == Role::Plain) {
                    lines.extend(piece_lines(text, q));
                }
                let a = address_block(&lines, cues);
                top_address = a.addressees.first().cloned();
                out.take_address(a);
            }
            Role::Salute
                if top_address.is_some()
                    && out.addressees.len() == 1
                    && out.addressee_names.len() == 1 =>
            {
                // "Herrn Dr. Richard X / ... / Lieber Arthur!": an address naming someone
                // else than the salutation is another item's (an envelope run into the
                // letter); the letter's own words name its addressee
                // (a salutation by its words: a line the model tags so is not enough)
                let n = salute_len(s, cues).map(|n| n.min(s.len()));
                if let (Some(person), Some(addr)) = (
                    n.and_then(|n| salutation(&s[..n], cues).person),
                    top_address.as_ref(),
                ) {
                    if contradicts(&person, addr) {
                        out.addressees.clear();
                        out.addressee_names.clear();
                        out.add_addressee(person);
                    }
                }
                top_address = None;
            }
            Role::Plain if out.addressees.is_empty() && to_line(s, cues) => {
                // an addressee line the tagger left plain (a telegram form's "To Geo T
                // Hale.", with the plain lines under it)
                let mut lines = piece_lines(text, p);
                for q in op[k + 1..].iter().take_while(|q| q.role == Role::Plain) {
                    lines.extend(piece_lines(text, q));
                }
                out.take_address(address_block(&lines, cues));
            }
            Role::Plain if out.addressees.is_empty() => {
                // an inside address without the addressee word, right above the salutation:
                // a titled name, an office or a body ("Mr. C. E. Dobbs / President")
                let run: Vec<&Piece> = op[k..]
                    .iter()
                    .take_while(|q| q.role == Role::Plain)
                    .collect();
                let first_of_run = k == 0 || op[k - 1].role != Role::Plain;
                let salute_below = op
                    .get(k + run.len())
                    .is_some_and(|q| q.role == Role::Salute);
                if first_of_run && salute_below {
                    let lines: Vec<&str> = run.iter().flat_map(|q| piece_lines(text, q)).collect();
                    let a = address_block(&lines, cues);
                    let titled = a
                        .addressees
                        .first()
                        .is_some_and(|p| !p.honorifics.is_empty() || !p.post_nominals.is_empty());
                    if titled || !a.role_names.is_empty() || !a.org_names.is_empty() {
                        out.take_address(a);
                    }
                }
            }
            Role::Salute if out.addressees.is_empty() => {
                let n = salute_len(s, cues).unwrap_or(s.len()).min(s.len());
                let sal = salutation(&s[..n], cues);
                if let Some(person) = sal.person {
                    out.add_addressee(person);
                } else if let Some(role) = sal.role_name {
                    out.addressee_roles.push(role);
                }
            }
            _ => {}
        }
    }
    let mut closers: Vec<&[Piece]> = vec![&lay.closer];
    for a in &lay.after {
        if let After::Closer(c) = a {
            closers.push(c);
        }
    }
    for (ci, c) in closers.iter().enumerate() {
        // "yr affecly M E" / "Capt. X R N" / street: a name run into the valediction signs
        // the letter, and name lines opening with a form of address below it are the envelope
        let first_signed = c.iter().position(|q| q.role == Role::Signed);
        let panel_below = first_signed.is_some_and(|k| {
            let first = text[c[k].span.clone()]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            k > 0
                && c[k - 1].role == Role::Salute
                && cues.panel_honorifics.contains(&first.as_str())
        });
        if panel_below && ci == 0 && out.senders.is_empty() {
            if let Some(k) = first_signed {
                if let Some(n) = trailing_signature(&text[c[k - 1].span.clone()], cues) {
                    out.senders.push(n);
                }
            }
        }
        let panel_below = panel_below && !out.senders.is_empty();
        let signed_names = |c: &[Piece]| {
            c.iter().any(|q| {
                q.role == Role::Signed && !signature(&piece_lines(text, q), cues).persons.is_empty()
            })
        };
        for p in c.iter() {
            let s = &text[p.span.clone()];
            if panel_below && p.role == Role::Signed {
                continue;
            }
            match p.role {
                Role::Dateline => take_dateline(s, cues, DateSource::Closer, out),
                Role::Docket => take_docket(s, cues, out),
                // an address after the closer, though tagged as a signature ("To Mr. X")
                Role::Signed | Role::Plain | Role::Addressee
                    if ci > 0
                        && out.open_to_panel()
                        && reads_as_address(&piece_lines(text, p), cues)
                        && out.take_panel(address_block(&piece_lines(text, p), cues)) =>
                {
                    out.addressee_from_panel = true;
                }
                // a titled name above place lines with no closing words before it, in the
                // first closer: the envelope, not a signature ("Major. G. W. Lisle / ... /
                // Trenton / N. J." under a body that ends in its own signature)
                Role::Signed
                    if closers[..ci].iter().all(|c| c.is_empty())
                        && !c.iter().any(|q| q.role == Role::Salute)
                        && out.addressees.is_empty()
                        && envelope_signed(&piece_lines(text, p), cues)
                        && out.take_address(address_block(&piece_lines(text, p), cues)) =>
                {
                    out.addressee_from_panel = true;
                }
                Role::Signed if ci == 0 || out.senders.is_empty() => {
                    take_signature(&piece_lines(text, p), cues, out)
                }
                // the letter's first closer read as an address, with no signature: a name
                // under a closing word ("Hastily / W. F. Hale") or a name not above an
                // address ("John M. Byrne / 1056A") signs the letter
                Role::Addressee
                    if closers[..ci].iter().all(|c| c.is_empty())
                        && out.senders.is_empty()
                        && !c.iter().any(|q| q.role == Role::Signed) =>
                {
                    if let Some(name) = signature_in_address(&piece_lines(text, p), cues) {
                        take_signature(&[name], cues, out);
                    }
                }
                // a name run into the valediction ("Yours truly, / (Signed) C. S. Morton,"),
                // when no signature line names a person ("President.")
                Role::Salute if ci == 0 && out.senders.is_empty() && !signed_names(c) => {
                    if let Some(n) = trailing_signature(s, cues) {
                        out.senders.push(n);
                    }
                }
                Role::Signed | Role::Plain | Role::Addressee
                    if ci > 0
                        && out.addressees.is_empty()
                        && out.take_address(address_block(&piece_lines(text, p), cues)) =>
                {
                    out.addressee_from_panel = true;
                }
                _ => {}
            }
        }
    }
    // no salutation line: a form of address early in the first paragraph names the addressee
    // ("leider, lieber Gustl, hab ich ...", "a few days ago dear Mrs Hale that I ...")
    if out.addressees.is_empty()
        && out.addressee_roles.is_empty()
        && !lay
            .opener
            .iter()
            .any(|p| p.role == Role::Salute && salute_len(&text[p.span.clone()], cues).is_some())
    {
        if let Some(p) = lay
            .body
            .first()
            .and_then(|b| vocative(&text[b.clone()], cues))
        {
            out.add_addressee(p);
        } else if let [first, _, ..] = lay.body.as_slice() {
            // a name alone above the letter's text ("John—", "Tate,"): a salutation
            let letter = &text[first.start..lay.body.last().map_or(first.end, |b| b.end)];
            if let Some(p) = bare_salutation(&text[first.clone()], letter, cues) {
                out.add_addressee(p);
            }
        }
    }
    // a letterhead address gives the place when no dateline did: "Graz IV. Marktgasse 7", or
    // a settlement on its own line above the street ("Graz\nMarktgasse 7")
    if out.place.is_none() {
        let lines: Vec<&str> = lay
            .opener
            .iter()
            .filter(|p| p.role != Role::Salute)
            .flat_map(|p| text[p.span.clone()].lines())
            .collect();
        out.place = lines.iter().find_map(|l| address_place(l, cues));
        if out.place.is_none() && cues.numeric_dots {
            out.place = lines.windows(2).find_map(|w| {
                let (city, street) = (w[0].trim().trim_end_matches([',', '.']), w[1]);
                let one_word = city.split_whitespace().count() == 1
                    && city.chars().all(|c| c.is_alphabetic() || c == '-')
                    && city.starts_with(|c: char| c.is_uppercase());
                let street_line = street.chars().any(|c| c.is_ascii_digit())
                    && street.split_whitespace().count() <= 6
                    && street.to_lowercase().split_whitespace().any(|x| {
                        let x = x.trim_end_matches([',', '.']);
                        cues.place_words.iter().any(|p| x.ends_with(p))
                            || x.ends_with("ring")
                            || x.ends_with("str")
                    });
                (one_word
                    && street_line
                    && !cues.honorifics.contains(&city.to_lowercase().as_str()))
                .then(|| city.to_string())
            });
        }
    }
}

/// A signature line names a person: not a weekday, month or place-like single word, not an
/// address line ("... Esqre", "To ...", "For ...").
pub(crate) fn is_signature_name(name: &str, cues: &Cues) -> bool {
    let lower = name.to_lowercase();
    let bare = lower.trim_end_matches(['.', ',', ' ']);
    let first = bare.split_whitespace().next().unwrap_or("");
    let weekday = cues
        .weekdays
        .iter()
        .any(|d| d.starts_with(first) && first.len() >= 3);
    let month =
        super::dates::month_of(name.split_whitespace().next().unwrap_or(""), cues).is_some();
    let address = bare.ends_with("esq") || bare.ends_with("esqr") || bare.ends_with("esqre");
    let prefixed = cues.addressee_prefixes.contains(&first) || first == "for";
    let words: Vec<String> = bare
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let place = words.iter().any(|w| {
        cues.place_words.contains(&w.as_str())
            || (words.len() == 1 && w.len() > 8 && w.ends_with("town"))
    });
    let honorific = words.len() > 1
        && cues.honorifics.contains(&first.trim_end_matches('.'))
        && !matches!(first, "my" | "dear" | "the" | "his" | "her" | "to" | "your");
    let digits = name.chars().any(|c| c.is_ascii_digit());
    !(weekday || (month && words.len() == 1) || address || prefixed || place || honorific || digits)
}

/// A paragraph that is one name with initials and nothing else ("W T Hale.", "C. S.
/// Morton", "W.F. Hale"): one to three initials (each [`is_initial`]), then a surname of
/// three letters or more.
pub fn initialled_name(par: &str) -> Option<String> {
    let t = par.trim();
    if t.contains('\n') {
        return None;
    }
    let t = t.trim_end_matches(['.', ',']);
    let ws: Vec<&str> = t.split_whitespace().collect();
    let (last, initials) = ws.split_last()?;
    let surname = last.chars().count() >= 3
        && last.starts_with(char::is_uppercase)
        && last.chars().skip(1).all(char::is_lowercase);
    ((1..=3).contains(&initials.len()) && initials.iter().all(|w| is_initial(w)) && surname)
        .then(|| t.to_string())
}

/// A name closing the last paragraph ("... your affectionate humble J. Johnson", "... sincere
/// friend and well wisher than Thomas Reid"): a capitalised run of two or more words (or
/// initials) at the very end, with a valediction word among the eight words before it.
pub fn trailing_signature(s: &str, cues: &Cues) -> Option<String> {
    let t = s.trim_end().trim_end_matches(['.', ',', '-', ' ']);
    let name = name_before(t, t.len())?;
    let n_words = name.split_whitespace().count();
    if n_words < 2 && !(name.len() <= 3 && name.chars().all(|c| c.is_uppercase())) {
        return None;
    }
    let head = &t[..t.len() - name.len()];
    let before: Vec<String> = head
        .split_whitespace()
        .rev()
        .take(8)
        .map(|w| w.to_lowercase())
        .collect();
    let val = before.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        cues.valediction_words.contains(&w)
            || matches!(w, "friend" | "wisher" | "adieu" | "farewell")
    });
    (val && is_signature_name(&name, cues)).then_some(name)
}

/// A third-person note's opening: "Miss Hartley's compliments to Mrs. Dale" gives the
/// sender and the addressee.
pub fn compliments(s: &str, cues: &Cues, out: &mut RawMeta) {
    let head: String = s.chars().take(200).collect();
    let lower = head.to_lowercase();
    if lower.len() != head.len() {
        return;
    }
    for c in cues.compliments {
        let Some(pos) = lower.find(c) else { continue };
        if pos == 0 || pos > 80 {
            continue;
        }
        let before = head[..pos].trim_end();
        let before = before
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .trim_end_matches(['\'', '’']);
        let mut words: Vec<&str> = before
            .split_whitespace()
            .filter(|w| {
                !matches!(
                    w.to_lowercase().as_str(),
                    "best"
                        | "kind"
                        | "kindest"
                        | "presents"
                        | "present"
                        | "his"
                        | "her"
                        | "their"
                        | "begs"
                )
            })
            .collect();
        if words.len() > 4 || words.is_empty() {
            continue;
        }
        if let Some(last) = words.last_mut() {
            if last.ends_with('s') && last.len() > 3 && !last.ends_with("ss") {
                *last = &last[..last.len() - 1];
            }
        }
        let sender = words.join(" ");
        if out.senders.is_empty() && is_name_like(&sender) {
            out.senders.push(strip_honorifics(&sender, cues));
        }
        let after = pos + c.len();
        let rest = &lower[after..];
        if rest.trim_start().starts_with("to ") {
            let start = after + (rest.len() - rest.trim_start().len()) + 3;
            if let Some(n) = name_after(&head, start, cues) {
                if out.addressees.is_empty() {
                    out.addressees.push(n);
                }
            }
        }
        return;
    }
}

/// Metadata from narrative that introduces a letter, or from a quoted note's source; fills
/// only what is still missing.
pub fn from_narrative(s: &str, cues: &Cues, out: &mut RawMeta) {
    let lower = s.to_lowercase();
    // sender: "X's letter" / "X sent"
    if out.senders.is_empty() {
        for n in cues.letter_nouns {
            for apo in ["'s ", "’s "] {
                let pat = format!("{apo}{n}");
                if let Some(pos) = lower.find(&pat) {
                    if let Some(name) = name_before(s, pos) {
                        out.senders.push(name);
                    }
                }
                if !out.senders.is_empty() {
                    break;
                }
            }
            if !out.senders.is_empty() {
                break;
            }
        }
    }
    if out.senders.is_empty() {
        for v in cues.sent_verbs {
            let pat = format!(" {v} ");
            if let Some(pos) = lower.find(&pat) {
                if let Some(name) = name_before(s, pos) {
                    out.senders.push(name);
                    break;
                }
            }
        }
    }
    // addressee: "addressed to X"
    if out.addressees.is_empty() {
        for a in cues.addressed_to {
            if let Some(pos) = lower.find(&format!("{a} ")) {
                if let Some(name) = name_after(s, pos + a.len(), cues) {
                    out.addressees.push(name);
                    break;
                }
            }
        }
    }
    // "answer to X" → reply; "sent his answer to X to Y": Y addressee
    for n in ["answer", "reply"] {
        if let Some(pos) = lower.find(&format!("{n} to ")) {
            let after = pos + n.len() + 4;
            if let Some(name) = name_after(s, after, cues) {
                if out.reply_to.is_none() {
                    out.reply_to = Some(name.clone());
                }
                // a second "to" in the same clause names the addressees
                let rest_start =
                    after + s[after..].find(&name).map(|p| p + name.len()).unwrap_or(0);
                let clause_end = s[rest_start..]
                    .find(['.', ';'])
                    .map(|e| rest_start + e)
                    .unwrap_or(s.len());
                if let Some(p2) = lower[rest_start..clause_end].find(" to ") {
                    if let Some(n2) = name_after(s, rest_start + p2 + 4, cues) {
                        if out.addressees.is_empty() {
                            out.addressees.push(n2);
                        }
                    }
                }
            }
        }
    }
    // copies: "a copy being sent to X"
    if out.cc.is_empty() {
        if let Some(pos) = lower.find("cop") {
            let clause_end = lower[pos..]
                .find(['.', ';'])
                .map(|e| pos + e)
                .unwrap_or(s.len());
            if let Some(tp) = lower[pos..clause_end].find(" to ") {
                if let Some(name) = name_after(s, pos + tp + 4, cues) {
                    out.cc.push(name);
                }
            }
        }
    }
    // date: after "dated"/"of"/"on", else the first full date
    if out.date.is_none() {
        let ds = find_dates(s, cues);
        let full: Vec<_> = ds.iter().filter(|d| d.date.year.is_some()).collect();
        if let Some(d) = full.first() {
            out.date = Some(d.date);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::cues::ENGLISH;

    /// A letter laid out by hand, the way a tagger would: the text of each piece with its
    /// role, joined by blank lines; reads the metadata from it.
    fn read(
        opener: &[(Role, &str)],
        closer: &[(Role, &str)],
        after: &[(Role, &str)],
        cues: &Cues,
    ) -> RawMeta {
        let mut text = String::new();
        let mut piece = |role: Role, t: &str| {
            let start = text.len();
            text.push_str(t);
            let p = Piece {
                span: start..text.len(),
                role,
            };
            text.push_str("\n\n");
            p
        };
        let mut lay = Layout::default();
        for (r, t) in opener {
            let p = piece(*r, t);
            lay.opener.push(p);
        }
        let body = piece(Role::Plain, "The body of the letter.");
        lay.body.push(body.span);
        for (r, t) in closer {
            let p = piece(*r, t);
            lay.closer.push(p);
        }
        for (r, t) in after {
            let p = piece(*r, t);
            lay.after.push(After::Closer(vec![p]));
        }
        let mut out = RawMeta::default();
        from_layout(&text, &lay, cues, &mut out);
        out
    }

    #[test]
    fn signatures_read_as_address() {
        // the only closer read as an address: a closing word and a name sign the letter
        let m = read(
            &[(Role::Salute, "My dear Jake")],
            &[(Role::Addressee, "Hastily\nW. F. Hale")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.senders, vec!["W. F. Hale"]);
        assert_eq!(m.addressees, vec!["Jake"]);
        // a name above a place is an address
        let m = read(
            &[(Role::Salute, "My dear Jake")],
            &[(Role::Addressee, "John Hale\nOracle, Arizona")],
            &[],
            &ENGLISH,
        );
        assert!(m.senders.is_empty());
        // a name above an office's marks signs the letter; a street line is an address
        for marks in ["1056A", "Supt\n3~32pm", "#41"] {
            let m = read(
                &[(Role::Salute, "My dear Jake")],
                &[],
                &[(Role::Addressee, &format!("John M. Hale\n{marks}"))],
                &ENGLISH,
            );
            assert_eq!(m.senders, vec!["John M. Hale"], "{marks}");
        }
        let m = read(
            &[(Role::Salute, "My dear Jake")],
            &[],
            &[(Role::Addressee, "John M. Hale\n12 Mill Road")],
            &ENGLISH,
        );
        assert!(m.senders.is_empty());
        assert!(office_mark("1056A") && !office_mark("12 Mill Road") && !office_mark("Supt"));
        // nor is it read as an address panel when no addressee is known yet
        let m = read(
            &[],
            &[],
            &[(Role::Addressee, "Hale\nSupt\n3~32pm")],
            &ENGLISH,
        );
        assert_eq!(
            (m.senders, m.addressees.len()),
            (vec!["Hale".to_string()], 0)
        );
        // a name run into the valediction signs when the signature line is an office
        let m = read(
            &[(Role::Salute, "Dear Mr. Hollis:")],
            &[
                (Role::Salute, "Yours, very truly,\n(Signed) C. S. Morton,"),
                (Role::Signed, "President."),
            ],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.senders, vec!["C. S. Morton"]);
    }

    #[test]
    fn a_name_alone_above_the_text_salutes() {
        let letter = "We got back on Friday, thanks to the new road. Sam sends his love.";
        let name = |s: &str| bare_salutation(s, letter, &ENGLISH).map(|p| p.full);
        assert_eq!(name("John—").as_deref(), Some("John"));
        assert_eq!(name("Hale,").as_deref(), Some("Hale"));
        for no in [
            "Friday",
            "Hastily",
            "Mr. Hale",
            "Thanks",
            "Well I am back",
            "Oak Street",
        ] {
            assert_eq!(name(no), None, "{no}");
        }
        // where nouns are capitalised, a word alone is no name
        let brief = "Wir sind am Freitag zurück.";
        assert!(bare_salutation("Nachricht", brief, &crate::encode::cues::GERMAN).is_none());
        // a letter laid out with the name as its first paragraph
        let mut text = String::from("John\n\n");
        let second = text.len();
        text.push_str("We got back on Friday.\n\nJ. Carter\n");
        let lay = Layout {
            body: vec![0..4, second..second + 22],
            closer: vec![Piece {
                span: second + 24..text.len() - 1,
                role: Role::Signed,
            }],
            ..Default::default()
        };
        let mut m = RawMeta::default();
        from_layout(&text, &lay, &ENGLISH, &mut m);
        assert_eq!(
            (m.addressees, m.senders),
            (vec!["John".to_string()], vec!["J. Carter".to_string()])
        );
    }

    #[test]
    fn addressee_line_left_plain() {
        let m = read(
            &[
                (Role::Dateline, "Received at 4 20 pm\nOct 7 1898"),
                (Role::Plain, "To Geo T Hale."),
                (Role::Plain, "Grand Hotel Leeds"),
            ],
            &[(Role::Signed, "J. Carter")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.addressees, vec!["Geo T Hale"]);
        assert!(!to_line("To be called for", &ENGLISH));
    }

    #[test]
    fn envelope_tagged_as_signature() {
        let m = read(
            &[(Role::Salute, "Dear Major")],
            &[(Role::Signed, "Major J. W. Hale\nTrenton\nN. J.")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.addressees, vec!["J. W. Hale"]);
        assert!(m.senders.is_empty());
        // under closing words it signs
        let m = read(
            &[(Role::Salute, "Dear Sir")],
            &[
                (Role::Salute, "Yours truly"),
                (Role::Signed, "Major J. W. Hale\nTrenton\nN. J."),
            ],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.senders, vec!["J. W. Hale"]);
    }

    #[test]
    fn initialled_names() {
        assert_eq!(initialled_name("W T Hale.").as_deref(), Some("W T Hale"));
        assert_eq!(
            initialled_name("C. S. Morton").as_deref(),
            Some("C. S. Morton")
        );
        assert_eq!(initialled_name("New York."), None);
        assert_eq!(initialled_name("N. Y."), None);
        assert_eq!(initialled_name("W T Hale\nOracle"), None);
    }

    #[test]
    fn salutation_against_top_address() {
        use crate::encode::cues::GERMAN;
        // an envelope of another item run into the letter: the salutation names the addressee
        let m = read(
            &[
                (Role::Addressee, "Herrn Dr. Richard Weber\nSeeboden"),
                (Role::Salute, "Lieber Arthur!"),
            ],
            &[(Role::Signed, "Richard")],
            &[],
            &GERMAN,
        );
        assert_eq!(m.addressees, vec!["Arthur"]);
        // the same person, or a salutation without a forename: the address stays
        let m = read(
            &[
                (Role::Addressee, "Herrn Dr. Konrad Weber\nGraz"),
                (Role::Salute, "Lieber Konrad!"),
            ],
            &[(Role::Signed, "Hans")],
            &[],
            &GERMAN,
        );
        assert_eq!(m.addressees, vec!["Konrad Weber"]);
        let m = read(
            &[
                (Role::Addressee, "To Mr. Geo. B. Hollis"),
                (Role::Salute, "Dear Mr. Hollis:"),
            ],
            &[(Role::Signed, "C. S. Morton")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.addressees, vec!["Geo. B. Hollis"]);
    }

    #[test]
    fn names_from_known_roles() {
        let m = read(
            &[
                (Role::Dateline, "Carlow, 19th Mar. 1916"),
                (Role::Salute, "Dear Mr Pellow,"),
            ],
            &[
                (Role::Salute, "Yours sincerely,"),
                (Role::Signed, "Tobias Wrenfield\nUnder Secretary"),
            ],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.senders, vec!["Tobias Wrenfield"]);
        assert_eq!(
            m.sender_names[0].role_name.as_deref(),
            Some("Under Secretary")
        );
        assert_eq!(m.addressees, vec!["Pellow"]);
        assert_eq!(m.addressee_names[0].honorifics, vec!["Mr"]);
        assert_eq!(m.date.and_then(|d| d.iso()).as_deref(), Some("1916-03-19"));
        assert_eq!(m.date_from, Some(DateSource::Opener));
        assert_eq!(m.place.as_deref(), Some("Carlow"));
        // an office and its seat addressed, an office signing, a misspelt valediction
        let m = read(
            &[
                (Role::Addressee, "The Under Secretary,\nCarlow Castle"),
                (Role::Salute, "Sir,"),
            ],
            &[(Role::Signed, "Respectifully T Mallory\nCommandant")],
            &[],
            &ENGLISH,
        );
        assert!(m.addressees.is_empty());
        assert_eq!(m.addressee_roles, vec!["Under Secretary"]);
        assert_eq!(m.senders, vec!["T Mallory"]);
        assert_eq!(m.sender_names[0].role_name.as_deref(), Some("Commandant"));
        let m = read(&[], &[(Role::Signed, "Commandant")], &[], &ENGLISH);
        assert!(m.senders.is_empty());
        assert_eq!(m.sender_roles, vec!["Commandant"]);
        for s in ["Lovingly", "By Special Delivery", "R.K.M.S"] {
            let m = read(&[], &[(Role::Signed, s)], &[], &ENGLISH);
            assert!(m.senders.is_empty(), "{s}");
        }
        // a body signs and is addressed as itself
        let m = read(
            &[(Role::Addressee, "Department of Public Works\nAshford")],
            &[(Role::Signed, "Harbour Board of Ashford")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.addressees, vec!["Department of Public Works"]);
        assert_eq!(m.senders, vec!["Harbour Board of Ashford"]);
    }

    #[test]
    fn inside_address_and_panel() {
        // an inside address without "To" above the salutation is read; it names the
        // addressee in full
        let m = read(
            &[
                (Role::Dateline, "Ashford, Kent, May 3, 1901."),
                (Role::Plain, "Mr. C. E. Dobbs"),
                (Role::Plain, "President, Ashford Railway."),
                (Role::Salute, "Dear Sir:"),
            ],
            &[(Role::Signed, "W. T. Hale")],
            &[],
            &ENGLISH,
        );
        assert_eq!(m.addressees, vec!["C. E. Dobbs"]);
        assert_eq!(m.addressee_names[0].role_name.as_deref(), Some("President"));
        // a German card: the salutation names the addressee, the panel is below
        use crate::encode::cues::GERMAN;
        let m = read(
            &[(Role::Salute, "Sehr geehrter Herr Doktor Brandl!")],
            &[
                (Role::Salute, "Ihr ergebener"),
                (Role::Signed, "Karl Huber"),
            ],
            &[(
                Role::Addressee,
                "Herrn\nDr. Hans Weber\nGraz IV, Lindengasse 3",
            )],
            &GERMAN,
        );
        assert_eq!(m.senders, vec!["Karl Huber"]);
        assert_eq!(m.addressees, vec!["Brandl"]);
        // without a salutation's name, the panel gives the addressee
        let m = read(
            &[(Role::Salute, "Verehrteste gnädige Frau!")],
            &[(Role::Signed, "Karl Huber")],
            &[(Role::Addressee, "Frau\nElly Brandl\nGraz")],
            &GERMAN,
        );
        assert_eq!(m.addressees, vec!["Elly Brandl"]);
        assert!(m.addressee_from_panel);
    }

    #[test]
    fn dockets_and_ambiguous_dates() {
        // a docket's date is kept apart; the letter's own date wins
        let m = read(
            &[(Role::Dateline, "Leeds, 21.4.07")],
            &[(Role::Signed, "Anna Hale")],
            &[(Role::Docket, "Recd. 24 April 1907\nAnsd.")],
            &ENGLISH,
        );
        assert_eq!(m.date.and_then(|d| d.iso()).as_deref(), Some("--04-21"));
        assert_eq!(m.date.and_then(|d| d.short_year), Some(7));
        assert_eq!(
            m.docket_date.and_then(|d| d.iso()).as_deref(),
            Some("1907-04-24")
        );
        assert_eq!(m.date_or_docket().map(|(_, s)| s), Some(DateSource::Opener));
        // nothing else dates the letter: the docket's date, marked as such
        let m = read(
            &[(Role::Salute, "Dear Anne,")],
            &[(Role::Signed, "Anna Hale")],
            &[(Role::Docket, "Answered 2 May 1907")],
            &ENGLISH,
        );
        assert_eq!(m.date, None);
        let (d, from) = m.date_or_docket().unwrap();
        assert_eq!(
            (d.iso().as_deref(), from),
            (Some("1907-05-02"), DateSource::Docket)
        );
        // day and month either way: the year only, both readings kept
        let m = read(&[(Role::Dateline, "Bath, 3/5/07")], &[], &[], &ENGLISH);
        assert_eq!(
            m.date.map(|d| (d.month, d.short_year)),
            Some((None, Some(7)))
        );
        let [df, mf] = m.date_readings.unwrap();
        assert_eq!((df.month, mf.month), (Some(5), Some(3)));
    }

    #[test]
    fn narrative_facts() {
        let mut m = RawMeta::default();
        from_narrative("Smith’s letter, dated September 27, 1922, was addressed to comrade Jones, a copy being sent to all the members of the Board. Here is the beginning of the letter:", &ENGLISH, &mut m);
        assert_eq!(m.senders, vec!["Smith"]);
        assert_eq!(m.addressees, vec!["Jones"]);
        assert_eq!(m.cc, vec!["Board"]);
        assert_eq!(m.date.and_then(|d| d.iso()).as_deref(), Some("1922-09-27"));
        let mut m = RawMeta::default();
        from_narrative("Jones sent his answer to Smith to the members of the Board on the same day, September 27, 1922.", &ENGLISH, &mut m);
        assert_eq!(m.senders, vec!["Jones"]);
        assert_eq!(m.reply_to.as_deref(), Some("Smith"));
        assert_eq!(m.addressees, vec!["Board"]);
    }

    #[test]
    fn signature_names() {
        assert!(is_signature_name("Mary Hall", &ENGLISH));
        assert!(is_signature_name("J. Smith", &ENGLISH));
        assert!(!is_signature_name("Hartleys Town", &ENGLISH));
        assert!(!is_signature_name("Mrs. Penrose", &ENGLISH));
        assert!(!is_signature_name("Sunday", &ENGLISH));
        assert!(!is_signature_name("S. Durand Esqre.", &ENGLISH));
        assert_eq!(
            trailing_signature(
                "for thinking of your affectionate humble J. Johnson",
                &ENGLISH
            )
            .as_deref(),
            Some("J. Johnson")
        );
        assert_eq!(
            trailing_signature("I went to see Thomas Reid", &ENGLISH),
            None
        );
    }

    #[test]
    fn datelines() {
        use crate::encode::cues::GERMAN;
        let place = |s: &str| dateline(s, &GERMAN).1;
        assert_eq!(place("Graz, 3. Mai").as_deref(), Some("Graz"));
        assert_eq!(place("3. 5. 97 Graz").as_deref(), Some("Graz"));
        assert_eq!(
            place("Graz VIII. Marktgasse 4, den 3. V 97.").as_deref(),
            Some("Graz")
        );
        assert_eq!(place("Dr. Hans Weber\n3. 5. 97"), None);
        assert_eq!(
            address_place("Graz, IV. Marktgasse 7.", &GERMAN).as_deref(),
            Some("Graz")
        );
        assert_eq!(address_place("Marktgasse 7", &GERMAN), None);
        assert_eq!(address_place("Herrn Hans Weber 3", &GERMAN), None);
        let (d, p) = dateline("Hartleys Town Decr. 22 1841", &ENGLISH);
        assert_eq!(d.and_then(|d| d.iso()).as_deref(), Some("1841-12-22"));
        assert_eq!(p.as_deref(), Some("Hartleys Town"));
    }
}
