//! Character classes of XML 1.0 (fifth edition): `Char`, `NameStartChar`, `NameChar`.

/// Is `c` a character XML 1.0 allows in a document?
#[inline]
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The byte offset and character of the first character XML forbids in `s`, if any.
/// Scans bytes: only C0 controls and U+FFFE/U+FFFF (`EF BF BE`/`EF BF BF`) can be invalid in a
/// Rust string.
#[inline]
pub fn first_invalid_char(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 {
            if c != b'\t' && c != b'\n' && c != b'\r' {
                return Some((i, c as char));
            }
        } else if c == 0xEF
            && i + 2 < b.len()
            && b[i + 1] == 0xBF
            && (b[i + 2] == 0xBE || b[i + 2] == 0xBF)
        {
            let ch = if b[i + 2] == 0xBE {
                '\u{FFFE}'
            } else {
                '\u{FFFF}'
            };
            return Some((i, ch));
        }
        i += 1;
    }
    None
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
        assert!(!is_xml_char('\u{0}'));
    }
}
