//! Character classes of XML 1.0 (fifth edition): `Char`, `NameStartChar`, `NameChar`.

/// Is `c` a character XML 1.0 allows in a document?
#[inline]
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// What [`scan_text`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// A character XML forbids.
    Char(char),
    /// The sequence `]]>`.
    CdataEnd,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Does any byte of `x` need a closer look: below 0x20, 0xEF (start of U+FFFE/U+FFFF) or
/// (when `brackets`) `]`? (SWAR: eight bytes per step; false positives are fine.)
#[inline(always)]
fn suspicious(x: u64, brackets: bool) -> bool {
    let below_20 = x.wrapping_sub(LO * 0x20) & !x;
    let ef = x ^ (LO * 0xEF);
    let is_ef = ef.wrapping_sub(LO) & !ef;
    let mut m = below_20 | is_ef;
    if brackets {
        let br = x ^ (LO * u64::from(b']'));
        m |= br.wrapping_sub(LO) & !br;
    }
    m & HI != 0
}

#[inline]
fn check_at(b: &[u8], j: usize, brackets: bool) -> Option<TextProblem> {
    let c = b[j];
    if c < 0x20 {
        if c != b'\t' && c != b'\n' && c != b'\r' {
            return Some(TextProblem::Char(c as char));
        }
    } else if c == 0xEF {
        if b.get(j + 1) == Some(&0xBF) {
            match b.get(j + 2) {
                Some(0xBE) => return Some(TextProblem::Char('\u{FFFE}')),
                Some(0xBF) => return Some(TextProblem::Char('\u{FFFF}')),
                _ => {}
            }
        }
    } else if brackets && c == b']' && b.get(j + 1) == Some(&b']') && b.get(j + 2) == Some(&b'>') {
        return Some(TextProblem::CdataEnd);
    }
    None
}

/// The first problem in character data `s`: a character XML forbids, or (when `brackets`)
/// `]]>`. Only C0 controls and U+FFFE/U+FFFF can be invalid in a Rust string; the scan
/// looks at eight bytes at a time.
#[inline]
pub fn scan_text(s: &str, brackets: bool) -> Option<(usize, TextProblem)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        if suspicious(u64::from_le_bytes(w), brackets) {
            for j in i..i + 8 {
                if let Some(p) = check_at(b, j, brackets) {
                    return Some((j, p));
                }
            }
        }
        i += 8;
    }
    (i..b.len()).find_map(|j| check_at(b, j, brackets).map(|p| (j, p)))
}

/// The byte offset and character of the first character XML forbids in `s`, if any.
#[inline]
pub fn first_invalid_char(s: &str) -> Option<(usize, char)> {
    match scan_text(s, false) {
        Some((i, TextProblem::Char(c))) => Some((i, c)),
        _ => None,
    }
}

/// Is `c` allowed as the first character of an XML name?
#[inline]
pub fn is_name_start_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '_' | ':' => true,
        _ if (c as u32) < 0xC0 => false,
        '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}' => true,
        _ => false,
    }
}

/// Is `c` allowed inside an XML name?
#[inline]
pub fn is_name_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | ':' | '-' | '.' => true,
        '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}' => true,
        _ => is_name_start_char(c),
    }
}

/// Is `s` an XML `Name`?
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if is_name_start_char(c) => chars.all(is_name_char),
        _ => false,
    }
}

/// Is `b` XML whitespace (`S`)?
#[inline]
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Is `s` made of XML whitespace only?
pub fn is_all_space(s: &str) -> bool {
    s.bytes().all(is_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_name("tei:persName"));
        assert!(is_name("_x.1-é"));
        assert!(!is_name("1x"));
        assert!(!is_name(""));
        assert!(!is_name("a b"));
        assert_eq!(first_invalid_char("ok\u{1}"), Some((2, '\u{1}')));
        assert_eq!(first_invalid_char("é\u{FFFF}"), Some((2, '\u{FFFF}')));
        assert_eq!(first_invalid_char("tab\tnl\n\u{FFFD}"), None);
        assert!(is_xml_char('\u{10FFFF}'));
        let long = "0123456789abcdef0123456789abcdef";
        for k in 0..long.len() {
            let mut t = long.to_string();
            t.insert(k, '\u{B}');
            assert_eq!(first_invalid_char(&t), Some((k, '\u{B}')), "{k}");
            let mut t = long.to_string();
            t.insert_str(k, "]]>");
            assert_eq!(scan_text(&t, true), Some((k, TextProblem::CdataEnd)), "{k}");
            assert_eq!(scan_text(&t, false), None);
            let mut t = long.to_string();
            t.insert(k, '\u{FFFE}');
            assert_eq!(first_invalid_char(&t), Some((k, '\u{FFFE}')), "{k}");
        }
        assert_eq!(scan_text("a]]b]>\n\t\r\u{FFFD}ïé", true), None);
        assert!(!is_xml_char('\u{0}'));
    }
}
