//! `hexBinary` and `base64Binary` (XML Schema 1.0 Second Edition lexical rules).

/// Parses `hexBinary`: an even number of hex digits.
pub(crate) fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    if let Some(i) = b.iter().position(|c| !c.is_ascii_hexdigit()) {
        let c = s[i..].chars().next().unwrap_or('?');
        return Err(format!("'{c}' is not a hex digit"));
    }
    if b.len() % 2 != 0 {
        return Err(format!("odd number of hex digits ({})", b.len()));
    }
    Ok(b.chunks(2).map(|p| (hex(p[0]) << 4) | hex(p[1])).collect())
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

fn b64(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Parses `base64Binary` after whitespace collapsing: groups of four characters, single spaces
/// allowed between characters, `=` padding only at the end with the unused bits zero.
pub(crate) fn parse_base64(s: &str) -> Result<Vec<u8>, String> {
    let chars: Vec<u8> = s.bytes().filter(|&c| c != b' ').collect();
    if let Some(&c) = chars.iter().find(|&&c| c != b'=' && b64(c).is_none()) {
        let c = if c.is_ascii() { c as char } else { '?' };
        return Err(format!("'{c}' is not a base64 character"));
    }
    if chars.len() % 4 != 0 {
        return Err(format!(
            "{} base64 characters: expected a multiple of 4",
            chars.len()
        ));
    }
    let pad = chars.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 || chars[..chars.len() - pad].contains(&b'=') {
        return Err("'=' padding is only allowed as the last one or two characters".into());
    }
    let data = &chars[..chars.len() - pad];
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in data {
        acc = (acc << 6) | u32::from(b64(c).unwrap_or(0));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if acc != 0 {
        return Err("the last character before the '=' padding has unused bits set".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_binary() {
        assert_eq!(parse_hex("deadBEEF").unwrap(), vec![0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(parse_hex("").unwrap(), Vec::<u8>::new());
        assert!(parse_hex("0").is_err());
        assert!(parse_hex("00 00").is_err());
        assert!(parse_hex("0G").is_err());
    }

    #[test]
    fn base64_binary() {
        assert_eq!(parse_base64("BA==").unwrap(), vec![4]);
        assert_eq!(parse_base64("BBA=").unwrap(), vec![4, 16]);
        assert_eq!(parse_base64("dead").unwrap().len(), 3);
        assert_eq!(parse_base64("d e a d b eef").unwrap().len(), 6);
        assert_eq!(parse_base64("").unwrap().len(), 0);
        for bad in ["====", "BB==", "BBB=", "B===", "B", "AA=A", "A$AA"] {
            assert!(parse_base64(bad).is_err(), "{bad}");
        }
    }
}
