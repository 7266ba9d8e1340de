//! The correspondence a letter belongs to. Most letter editions centre on one person: every
//! letter is to or from them. When the text of a letter names only one side ("Lieber Freund!
//! … Ihr Sauter"), that person is the other side. The correspondent is given (sidecar
//! `[document] correspondent`, `teikit encode --correspondent`) or inferred from the letters
//! of a collection themselves ([`infer_correspondent`], over the summaries of a first pass):
//! nothing in the code knows a name.

use super::LetterSummary;
use std::collections::HashMap;

/// The lowercase alphabetic words of a name, titles' dots dropped.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Whether `written` (a signature, a salutation's name, a register name) can stand for the
/// person named `full`: the same name; the same surname with a compatible forename
/// ("Arth Schneider", "Schneider"); initials or a forename from the start of the name
/// ("A.", "A. S.", "Arthur"); a forename run into the start of the surname ("ArthurSchn");
/// abbreviations of successive words ("Arth Sch").
pub fn fits(written: &str, full: &str) -> bool {
    fits_as(written, full, true)
}

/// [`fits`]; with `familiar` false, a lone forename must start the name's first word as
/// written (no initial, no familiar form: "Will" does not fit "W. T. Hale").
fn fits_as(written: &str, full: &str, familiar: bool) -> bool {
    let w = words(written);
    let f = words(full);
    if w.is_empty() || f.len() < 2 {
        return false;
    }
    if w == f {
        return true;
    }
    let surname = f.last().map(String::as_str).unwrap_or("");
    let (wl, wf) = (w.last().map(String::as_str).unwrap_or(""), &w[0]);
    if surname.chars().count() >= 3 && wl == surname {
        // the same surname: a forename, if written, must agree with the first word
        return w.len() == 1 || f[0].starts_with(wf.as_str()) || wf.starts_with(f[0].as_str());
    }
    if w.iter().all(|x| x.chars().count() == 1) {
        // initials, in order, from the start of the name
        return w.len() <= f.len() && w.iter().zip(&f).all(|(a, b)| b.starts_with(a.as_str()));
    }
    if w.len() == 1 {
        let x = wf.as_str();
        if x.chars().count() >= 3 && (f[0].starts_with(x) || (familiar && forename_fits(x, &f[0])))
        {
            return true;
        }
        // "arthurschn": the forename, then the start of the surname
        if let Some(rest) = x.strip_prefix(f[0].as_str()) {
            return !rest.is_empty() && surname.starts_with(rest);
        }
        return false;
    }
    // "Arth Sch": every word abbreviates the word of the name in its place, the first at
    // least two letters long
    w.len() <= f.len()
        && w[0].chars().count() >= 2
        && w.iter().zip(&f).all(|(a, b)| b.starts_with(a.as_str()))
        && (wl.chars().count() >= 2 || w[0] == f[0])
        && surname.starts_with(wl)
}

/// Familiar forms of English forenames and the names they stand for ("Bill" signs for
/// William): a signature by the familiar form fits a register name by the full one.
const FAMILIAR_FORMS: &[(&str, &str)] = &[
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("willie", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("dick", "richard"),
    ("jack", "john"),
    ("johnny", "john"),
    ("ned", "edward"),
    ("ted", "edward"),
    ("harry", "henry"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("joe", "joseph"),
    ("tom", "thomas"),
    ("ben", "benjamin"),
    ("sam", "samuel"),
    ("dan", "daniel"),
    ("fred", "frederick"),
    ("charlie", "charles"),
    ("chas", "charles"),
    ("geo", "george"),
    ("peggy", "margaret"),
    ("polly", "mary"),
    ("molly", "mary"),
    ("bess", "elizabeth"),
    ("betsy", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("kate", "catherine"),
    ("sally", "sarah"),
];

/// Whether a forename written in full (three letters or more, lowercase) fits the first
/// word of a name: that word starts with it ("Arth", "Arthur"), or is an initial the
/// forename starts with ("Will" for "W. F. Hale"); a familiar form fits as the name it
/// stands for ("Bill" for "William Hale", "W. Hale").
fn forename_fits(x: &str, first: &str) -> bool {
    let agrees =
        |x: &str| first.starts_with(x) || (first.chars().count() == 1 && x.starts_with(first));
    agrees(x)
        || FAMILIAR_FORMS
            .iter()
            .any(|&(short, full)| short == x && agrees(full))
}

/// The least share of a collection's letters its correspondent must be a party to (one in
/// four), the least number of letters (three), and how far ahead of the next person it must
/// be (twice as many letters).
const MIN_SHARE: usize = 4;
const MIN_LETTERS: usize = 3;
const LEAD: usize = 2;
/// How many of the most frequent surnames are weighed (keeps the cost linear).
const CANDIDATES: usize = 16;

/// The person a correspondence centres on, and which sides of a letter may be taken to be
/// them when its text does not name that side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondent {
    /// Their name, as the letters (or the user) write it in full.
    pub name: String,
    /// A letter naming only its addressee may be taken to be from them.
    pub sends: bool,
    /// A letter naming only its sender may be taken to be to them.
    pub receives: bool,
    /// Found in the letters ([`infer_correspondent`]) rather than given: the side filled is
    /// marked `evidence="conjecture"`, not `"external"`.
    pub inferred: bool,
}

impl Correspondent {
    /// A correspondent the user names (sidecar or command line): both sides may be filled.
    pub fn given(name: &str) -> Self {
        Correspondent {
            name: name.to_string(),
            sends: true,
            receives: true,
            inferred: false,
        }
    }
}

/// The person a collection of letters centres on, from the letters' own senders and
/// addressees (as a first pass of [`super::encode`] read them): the full name (two words or
/// more, its most frequent form) whose bearer is a party, under any form that [`fits`] it, to
/// at least a quarter of the letters and to twice as many as anyone else. `None` when no one
/// stands out so. A side is filled only where the letters that name both sides show them on
/// it at least one time in four (a collection of someone's own letters does not make every
/// unaddressed letter one to them).
pub fn infer_correspondent<'a>(
    letters: impl IntoIterator<Item = &'a LetterSummary>,
) -> Option<Correspondent> {
    let letters: Vec<&LetterSummary> = letters.into_iter().collect();
    // full forms by surname, with how often each form is written
    let mut forms: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut by_surname: HashMap<String, usize> = HashMap::new();
    for l in &letters {
        let mut seen: Vec<String> = Vec::new();
        for p in l.senders.iter().chain(&l.addressees) {
            let w = words(p);
            if w.len() < 2 || w.last().is_none_or(|s| s.chars().count() < 3) {
                continue;
            }
            let sur = w.last().cloned().unwrap_or_default();
            *forms
                .entry(sur.clone())
                .or_default()
                .entry(w.join(" "))
                .or_default() += 1;
            if !seen.contains(&sur) {
                seen.push(sur.clone());
                *by_surname.entry(sur).or_default() += 1;
            }
        }
    }
    let mut surnames: Vec<(String, usize)> = by_surname.into_iter().collect();
    surnames.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    surnames.truncate(CANDIDATES);
    // the most frequent full form of each candidate surname (the longest on a tie)
    let candidates: Vec<String> = surnames
        .iter()
        .filter_map(|(s, _)| {
            forms.get(s).and_then(|f| {
                f.iter()
                    .max_by(|a, b| {
                        a.1.cmp(b.1)
                            .then_with(|| a.0.len().cmp(&b.0.len()))
                            .then_with(|| b.0.cmp(a.0))
                    })
                    .map(|(form, _)| form.clone())
            })
        })
        .collect();
    let mut counts: Vec<(usize, &String)> = candidates
        .iter()
        .map(|c| {
            let n = letters
                .iter()
                .filter(|l| l.senders.iter().chain(&l.addressees).any(|p| fits(p, c)))
                .count();
            (n, c)
        })
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let (best, name) = *counts.first()?;
    // the next person: not another form of the same one ("Arthur Schn")
    let second = counts
        .iter()
        .skip(1)
        .find(|c| !fits(c.1, name) && !fits(name, c.1))
        .map(|c| c.0)
        .unwrap_or(0);
    if best < MIN_LETTERS || best * MIN_SHARE < letters.len() || best < LEAD * second {
        return None;
    }
    // the sides they stand on where a letter names both
    let (mut sends, mut receives) = (0usize, 0usize);
    for l in letters
        .iter()
        .filter(|l| !l.senders.is_empty() && !l.addressees.is_empty())
    {
        let s = l.senders.iter().any(|p| fits(p, name));
        let a = l.addressees.iter().any(|p| fits(p, name));
        if s != a {
            sends += usize::from(s);
            receives += usize::from(a);
        }
    }
    let both = sends + receives;
    // written as the letters write it: the original capitalisation of the chosen form
    let written = letters
        .iter()
        .flat_map(|l| l.senders.iter().chain(&l.addressees))
        .find(|p| words(p).join(" ") == *name)
        .cloned()?;
    Some(Correspondent {
        name: written,
        sends: sends * MIN_SHARE >= both,
        receives: receives * MIN_SHARE >= both,
        inferred: true,
    })
}

/// What [`complete`] filled in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completed {
    /// The sender was taken to be the correspondent (the text names only the addressee).
    pub sender: bool,
    /// The addressee was taken to be the correspondent (the text names only the sender).
    pub addressee: bool,
}

/// Completes one letter's parties with the collection's `correspondent`: a short form of
/// them ("Arthur", "A.") becomes the full name; a letter whose text names a sender other
/// than them and no addressee is addressed to them; one that names another addressee and no
/// sender is from them. A letter that names neither side stays as it is (which side would be
/// a guess).
pub fn complete(
    who: &Correspondent,
    senders: &mut Vec<String>,
    addressees: &mut Vec<String>,
) -> Completed {
    let correspondent = who.name.as_str();
    let mut done = Completed::default();
    if words(correspondent).len() < 2 {
        return done;
    }
    // a lone forename is taken for them by its initial or familiar form only on a side
    // they stand on ("Will" signs for "W. F. Hale" who writes the letters; "Dear Walter"
    // is not to him)
    let widen = |names: &mut Vec<String>, familiar: bool| {
        for n in names.iter_mut() {
            if fits_as(n, correspondent, familiar) {
                *n = correspondent.to_string();
            }
        }
        let mut seen: Vec<String> = Vec::new();
        names.retain(|n| {
            let fresh = !seen.contains(n);
            seen.push(n.clone());
            fresh
        });
    };
    widen(senders, who.sends);
    widen(addressees, who.receives);
    let is_c = |n: &String| n == correspondent;
    if who.receives && !senders.is_empty() && !senders.iter().any(is_c) && addressees.is_empty() {
        addressees.push(correspondent.to_string());
        done.addressee = true;
    } else if who.sends
        && !addressees.is_empty()
        && !addressees.iter().any(is_c)
        && senders.is_empty()
    {
        senders.push(correspondent.to_string());
        done.sender = true;
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(senders: &[&str], addressees: &[&str]) -> LetterSummary {
        LetterSummary {
            n: 1,
            id: "letter1".into(),
            parts: Vec::new(),
            senders: senders.iter().map(|s| s.to_string()).collect(),
            addressees: addressees.iter().map(|s| s.to_string()).collect(),
            cc: Vec::new(),
            date: None,
            place: None,
            written_date: None,
        }
    }

    #[test]
    fn short_forms_fit_the_full_name() {
        for w in [
            "Hans Weber",
            "Weber",
            "H. Weber",
            "Hans",
            "H.",
            "H W",
            "HansWeb",
            "Han Web",
        ] {
            assert!(fits(w, "Hans Weber"), "{w}");
        }
        for w in [
            "Karl Weber",
            "Hermann",
            "K.",
            "Webster",
            "Ha",
            "Hans Müller",
            "",
        ] {
            assert!(!fits(w, "Hans Weber"), "{w}");
        }
        // a forename in full fits an initial, a familiar form the name it stands for
        for w in ["Will", "Bill", "William"] {
            assert!(fits(w, "W. T. Hale"), "{w}");
            assert!(fits(w, "William Hale"), "{w}");
        }
        for w in ["Bill", "Wi", "Bob"] {
            assert!(!fits(w, "K. T. Hale"), "{w}");
        }
        assert!(!fits("Bob", "William Hale") && !fits("Karl", "William Hale"));
        assert!(fits("Ted", "E. Hale") && fits("Bob", "Robert Hale"));
        assert!(
            !fits("Hans", "Hans"),
            "a one-word name is never a correspondent"
        );
    }

    #[test]
    fn the_person_of_most_letters_stands_out() {
        let ls = [
            summary(&["Hans Weber"], &["Karl"]),
            summary(&["Otto Brun"], &[]),
            summary(&["H."], &["Otto Brun"]),
            summary(&["Lene Frisch"], &["Hans Weber"]),
            summary(&["Hans"], &[]),
            summary(&["Karl Ost"], &["Hans W."]),
        ];
        let c = infer_correspondent(&ls).expect("a correspondent");
        assert_eq!(c.name, "Hans Weber");
        // where both sides are named, Hans Weber writes twice and receives twice
        assert!(c.sends && c.receives && c.inferred);
        // someone who only ever writes is not taken to receive an unaddressed letter
        let writer = [
            summary(&["Hans Weber"], &["Karl Ost"]),
            summary(&["Hans Weber"], &["Otto Brun"]),
            summary(&["H. W."], &["Lene Frisch"]),
            summary(&["Hans Weber"], &["Ida Kern"]),
            summary(&["Max Roth"], &[]),
        ];
        let c = infer_correspondent(&writer).expect("a correspondent");
        assert!(c.sends && !c.receives);
        // two people as often: no one stands out
        let tie = [
            summary(&["Hans Weber"], &["Otto Brun"]),
            summary(&["Hans Weber"], &["Otto Brun"]),
            summary(&["Otto Brun"], &["Hans Weber"]),
        ];
        assert!(infer_correspondent(&tie).is_none());
        assert!(infer_correspondent(&[]).is_none());
    }

    fn writer_w() -> Correspondent {
        Correspondent {
            receives: false,
            ..Correspondent::given("W. T. Hale")
        }
    }

    #[test]
    fn one_named_side_gives_the_other() {
        let hans = Correspondent::given("Hans Weber");
        let (mut s, mut a) = (vec!["Otto Brun".to_string()], vec![]);
        let c = complete(&hans, &mut s, &mut a);
        assert_eq!((c.addressee, a), (true, vec!["Hans Weber".to_string()]));
        let (mut s, mut a) = (vec![], vec!["Otto Brun".to_string()]);
        assert!(complete(&hans, &mut s, &mut a).sender);
        assert_eq!(s, vec!["Hans Weber".to_string()]);
        // a short form becomes the full name; the other side stays unknown
        let (mut s, mut a) = (vec!["H.".to_string()], vec![]);
        assert_eq!(complete(&hans, &mut s, &mut a), Completed::default());
        assert_eq!((s, a.len()), (vec!["Hans Weber".to_string()], 0));
        // a side the correspondent is not known to stand on is not filled
        let writer = Correspondent {
            receives: false,
            ..Correspondent::given("Hans Weber")
        };
        let (mut s, mut a) = (vec!["Otto Brun".to_string()], vec![]);
        assert_eq!(complete(&writer, &mut s, &mut a), Completed::default());
        assert!(a.is_empty());
        // a forename by its initial only on a side the correspondent stands on
        let (mut s, mut a) = (vec!["Will".to_string()], vec!["Walter".to_string()]);
        complete(&writer_w(), &mut s, &mut a);
        assert_eq!((s[0].as_str(), a[0].as_str()), ("W. T. Hale", "Walter"));
        // neither side named: nothing is guessed
        let (mut s, mut a) = (vec![], vec![]);
        assert_eq!(complete(&hans, &mut s, &mut a), Completed::default());
        assert!(s.is_empty() && a.is_empty());
    }
}
