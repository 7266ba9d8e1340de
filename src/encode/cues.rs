//! Per-language cue tables: month and weekday names, salutations, valedictions, signature and
//! postscript prefixes, addressee lines, "copy to", connectors. Detection code reads only these
//! tables, so a new language is a new table, not a rewrite.

/// The cue words of one language. All entries are lowercase; matching is case-insensitive
/// unless a field says otherwise.
#[derive(Debug)]
pub struct Cues {
    /// Language code (BCP 47), written to `@xml:lang`.
    pub lang: &'static str,
    /// Full month names, January first.
    pub months: [&'static str; 12],
    /// Weekday names (full; abbreviations are matched by prefix of at least three letters).
    pub weekdays: &'static [&'static str],
    /// Ordinal suffixes that may follow a day number ("6th", "3d", "13 th").
    pub ordinals: &'static [&'static str],
    /// Small words allowed inside a date ("the", "of").
    pub date_fillers: &'static [&'static str],
    /// Whether day-first numeric dates with dots ("14. 7. 92") are used.
    pub numeric_dots: bool,
    /// Openings of a salutation line ("my dear", "dear", "esteemed").
    pub salute_starts: &'static [&'static str],
    /// Forms of address that are a salutation on their own ("sir", "madam").
    pub salute_alone: &'static [&'static str],
    /// Openings of a valediction line ("yours", "with esteem", "i am").
    pub valediction_starts: &'static [&'static str],
    /// Words that, inside a short closing line, mark it as a valediction ("yours", "affectionate").
    pub valediction_words: &'static [&'static str],
    /// Prefixes of a signature line ("signed,").
    pub signed_prefixes: &'static [&'static str],
    /// Prefixes of a dictation note ("dictated to").
    pub dictated_prefixes: &'static [&'static str],
    /// Prefixes of a postscript ("p.s.", "ps").
    pub postscript_prefixes: &'static [&'static str],
    /// The word that opens an addressee line ("to").
    pub addressee_prefixes: &'static [&'static str],
    /// Phrases that introduce copy recipients ("copy to", "copies to").
    pub copy_to: &'static [&'static str],
    /// Honorifics and forms of address dropped before a name ("comrade", "mrs.").
    pub honorifics: &'static [&'static str],
    /// Head words of bodies rather than persons ("politburo", "committee").
    pub org_heads: &'static [&'static str],
    /// Words that mark a short sentence between letters as an editor's connector.
    pub connector_words: &'static [&'static str],
    /// Words of a narrative sentence that names a letter ("letter", "note", "answer").
    pub letter_nouns: &'static [&'static str],
    /// Verbs that introduce the addressee in narrative ("addressed to").
    pub addressed_to: &'static [&'static str],
    /// Words that introduce the date in narrative ("dated", "of").
    pub dated: &'static [&'static str],
    /// Words that introduce a quoted source at the end of a quotation ("from").
    pub citation_from: &'static [&'static str],
    /// Phrases that mark a following date as "the same day" as the previous letter.
    pub same_day: &'static [&'static str],
    /// Words of addresses and place names ("street", "town"): a line holding one is not a
    /// signature.
    pub place_words: &'static [&'static str],
    /// Nouns of a third-person note's opening ("Miss E's compliments to Mr. X").
    pub compliments: &'static [&'static str],
    /// Verbs of narrative that name the sender of a letter ("X sent", "X wrote").
    pub sent_verbs: &'static [&'static str],
}

/// English cues.
pub static ENGLISH: Cues = Cues {
    lang: "en",
    months: [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    weekdays: &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
    ordinals: &["st", "nd", "rd", "th", "d", "h"],
    date_fillers: &["the", "of"],
    numeric_dots: false,
    salute_starts: &[
        "my dear",
        "my dearest",
        "dear",
        "dearest",
        "esteemed",
        "honoured",
        "honored",
        "respected",
        "my very dear",
        "my dr",
        "dr sir",
        "dr madam",
        "dear madam",
    ],
    salute_alone: &["sir", "madam", "madame", "gentlemen", "ladies", "monsieur"],
    valediction_starts: &[
        "yours",
        "your",
        "yr",
        "ever your",
        "ever yours",
        "ever",
        "with esteem",
        "with the very best",
        "with best",
        "with kind",
        "with love",
        "with my",
        "with sincere",
        "with respect",
        "i am",
        "i remain",
        "believe me",
        "adieu",
        "farewell",
        "affectionately",
        "sincerely",
        "faithfully",
        "truly",
        "most truly",
        "most sincerely",
        "very truly",
        "very sincerely",
        "i have the honor",
        "i have the honour",
        "remain",
        "in haste",
    ],
    valediction_words: &[
        "yours",
        "yr",
        "affectionate",
        "affectionately",
        "affly",
        "affecly",
        "affectly",
        "sincerely",
        "faithfully",
        "obliged",
        "obedient",
        "obedt",
        "humble",
        "servant",
        "truly",
        "greetings",
        "esteem",
        "regards",
        "respectfully",
        "attached",
    ],
    signed_prefixes: &["signed,", "signed:", "signed", "sgd."],
    dictated_prefixes: &["dictated to", "dictated by", "taken down by"],
    postscript_prefixes: &[
        "p.s.", "p. s.", "ps.", "ps ", "p.p.s.", "pps", "n.b.", "nb.",
    ],
    addressee_prefixes: &["to"],
    copy_to: &["copy to", "copies to", "cc", "cc:", "copy:"],
    honorifics: &[
        "comrade",
        "comrades",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "miss",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sir",
        "madam",
        "lady",
        "lord",
        "captain",
        "captn",
        "capt.",
        "professor",
        "prof.",
        "rev.",
        "my",
        "dear",
        "esteemed",
        "the",
        "his",
        "her",
        "to",
    ],
    org_heads: &[
        "politburo",
        "polittburo",
        "committee",
        "bureau",
        "council",
        "board",
        "society",
        "congress",
        "soviet",
        "commission",
        "party",
        "department",
        "ministry",
        "office",
        "company",
    ],
    connector_words: &[
        "letter",
        "letters",
        "following",
        "followed",
        "below",
        "next",
        "another",
        "further",
        "continues",
        "continued",
        "written",
        "bundle",
        "file",
        "survives",
    ],
    letter_nouns: &[
        "letter", "note", "answer", "reply", "telegram", "message", "postcard", "card",
    ],
    addressed_to: &["addressed to", "written to", "sent to"],
    dated: &["dated", "of", "on", "written on"],
    citation_from: &["from"],
    same_day: &["the same day", "that day"],
    compliments: &["compliments", "respects", "regards"],
    place_words: &[
        "town",
        "street",
        "st",
        "square",
        "castle",
        "lodge",
        "place",
        "road",
        "terrace",
        "end",
        "dene",
        "observatory",
        "hotel",
        "church",
        "yard",
        "buildings",
        "gardens",
        "crescent",
    ],
    sent_verbs: &["sent", "wrote", "addressed", "dictated"],
};

/// German cues.
pub static GERMAN: Cues = Cues {
    lang: "de",
    months: [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    weekdays: &[
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "sonnabend",
    ],
    ordinals: &[],
    date_fillers: &[],
    numeric_dots: true,
    salute_starts: &[
        "lieber",
        "liebe",
        "liebes",
        "liebster",
        "liebste",
        "mein lieber",
        "meine liebe",
        "sehr geehrter",
        "sehr geehrte",
        "verehrter",
        "verehrte",
        "hochverehrter",
        "hochverehrte",
        "geehrter",
        "geehrte",
        "theurer",
        "teurer",
        "lieber freund",
    ],
    salute_alone: &["gnädige frau", "gnädigste", "verehrteste"],
    valediction_starts: &[
        "ihr",
        "ihre",
        "dein",
        "deine",
        "euer",
        "eure",
        "mit herzlichem",
        "mit herzlichen",
        "mit besten",
        "mit freundlichen",
        "mit vielen",
        "herzlichst",
        "herzlich",
        "in verehrung",
        "ergebenst",
        "ihr ergebener",
        "viele grüße",
        "viele grüsse",
        "beste grüße",
        "beste grüsse",
        "alles herzliche",
        "treulichst",
    ],
    valediction_words: &[
        "ihr",
        "ihre",
        "dein",
        "deine",
        "ergebener",
        "ergebenst",
        "herzlich",
        "herzlichst",
        "grüße",
        "grüsse",
        "gruss",
        "gruß",
        "treu",
        "verehrung",
        "dankbar",
    ],
    signed_prefixes: &["gez.", "gezeichnet"],
    dictated_prefixes: &["diktiert"],
    postscript_prefixes: &["p.s.", "p. s.", "ps.", "n.s.", "nb."],
    addressee_prefixes: &["an"],
    copy_to: &["kopie an", "abschrift an"],
    honorifics: &[
        "herr",
        "herrn",
        "frau",
        "fräulein",
        "dr.",
        "dr",
        "prof.",
        "professor",
        "lieber",
        "liebe",
        "an",
    ],
    org_heads: &[
        "verlag",
        "redaktion",
        "theater",
        "direktion",
        "verein",
        "gesellschaft",
        "komitee",
    ],
    connector_words: &[
        "brief",
        "briefe",
        "folgende",
        "folgt",
        "folgender",
        "danach",
        "später",
        "weiterer",
        "nächste",
        "nächster",
    ],
    letter_nouns: &[
        "brief",
        "karte",
        "telegramm",
        "antwort",
        "notiz",
        "postkarte",
    ],
    addressed_to: &["gerichtet an", "geschrieben an"],
    dated: &["vom", "datiert"],
    citation_from: &["aus"],
    same_day: &["am selben tag", "am gleichen tag"],
    compliments: &["empfehlung", "grüße", "grüsse"],
    place_words: &[
        "straße", "strasse", "gasse", "platz", "hotel", "villa", "schloss", "weg", "allee",
    ],
    sent_verbs: &["schickte", "schrieb", "sandte"],
};

/// Picks the table whose function words are most frequent in `text` (English on a tie).
pub fn detect(text: &str) -> &'static Cues {
    const EN: &[&str] = &["the", "and", "of", "to", "you", "is", "that", "i"];
    const DE: &[&str] = &[
        "der", "die", "und", "ich", "sie", "das", "nicht", "ist", "zu",
    ];
    let (mut en, mut de) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).take(5000) {
        let lw = w.to_lowercase();
        if EN.contains(&lw.as_str()) {
            en += 1;
        }
        if DE.contains(&lw.as_str()) {
            de += 1;
        }
    }
    if de > en {
        &GERMAN
    } else {
        &ENGLISH
    }
}

/// True when `lower` (already lowercase) starts with `prefix` at a word boundary.
pub fn starts_with_word(lower: &str, prefix: &str) -> bool {
    if !lower.starts_with(prefix) {
        return false;
    }
    let rest = &lower[prefix.len()..];
    prefix.ends_with([' ', ',', '.', ':'])
        || rest.is_empty()
        || !rest.starts_with(|c: char| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_language() {
        assert_eq!(detect("I am sure that you and the rest of them").lang, "en");
        assert_eq!(
            detect("Ich habe die Sache nicht, und das ist gut").lang,
            "de"
        );
    }

    #[test]
    fn word_prefix() {
        assert!(starts_with_word("dear sir", "dear"));
        assert!(!starts_with_word("dearest sir", "dear"));
        assert!(starts_with_word("p.s. send", "p.s."));
    }
}
