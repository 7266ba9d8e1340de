//! Words that name months, per language, for reading dates written in running text.
//! Add a language by adding a table and listing it in [`MONTH_TABLES`].

/// English month names and abbreviations (lowercase, without the abbreviation dot).
pub const ENGLISH_MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// German month names, Austrian and old spellings, abbreviations (lowercase).
pub const GERMAN_MONTHS: &[(&str, u8)] = &[
    ("januar", 1),
    ("jänner", 1),
    ("jaenner", 1),
    ("jenner", 1),
    ("jan", 1),
    ("jän", 1),
    ("februar", 2),
    ("feber", 2),
    ("feb", 2),
    ("febr", 2),
    ("märz", 3),
    ("maerz", 3),
    ("märtz", 3),
    ("mrz", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("december", 12),
    ("dez", 12),
    ("dec", 12),
];

/// Every table consulted.
pub const MONTH_TABLES: &[&[(&str, u8)]] = &[ENGLISH_MONTHS, GERMAN_MONTHS];

/// Roman numerals for months, as in `3. VIII. 1889`.
pub const ROMAN_MONTHS: &[(&str, u8)] = &[
    ("i", 1),
    ("ii", 2),
    ("iii", 3),
    ("iv", 4),
    ("v", 5),
    ("vi", 6),
    ("vii", 7),
    ("viii", 8),
    ("ix", 9),
    ("x", 10),
    ("xi", 11),
    ("xii", 12),
];

/// Words between a day and a month name ("5th of March", "am 5. des März").
pub const LINK_WORDS: &[&str] = &["of", "des", "im"];

/// The month a word names (case-insensitive, without a trailing dot), if any.
pub fn month_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTH_TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|(n, _)| *n == w)
        .map(|&(_, m)| m)
}

/// The month a roman numeral names (`VIII` → 8).
pub fn roman_month(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    ROMAN_MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// The English or German name of a month (1–12), for messages.
pub fn month_name(m: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}
