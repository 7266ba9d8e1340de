//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or the encoding named in the
//! XML declaration.

/// Decodes an XML file's bytes; the error says why they are not text in their encoding.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "the file starts with a {} byte order mark but is not valid {}",
                enc.name(),
                enc.name()
            ));
        }
        return Ok(text.into_owned());
    }
    if let Some(label) = declared_encoding(bytes) {
        let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
            return Err(format!(
                "the XML declaration names encoding `{label}`, which teikit does not know"
            ));
        };
        if enc != encoding_rs::UTF_8 {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(format!(
                    "the file is not valid {} (named in the XML declaration)",
                    enc.name()
                ));
            }
            return Ok(text.into_owned());
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(format!("invalid UTF-8 at byte {}: the file is UTF-8 unless a BOM or the XML declaration says otherwise", e.valid_up_to())),
    }
}

/// Same as [`decode`], for register files.
pub fn decode_for_registers(bytes: &[u8]) -> Result<String, String> {
    decode(bytes)
}

fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(200))?;
    let head = std::str::from_utf8(head).ok().or_else(|| {
        std::str::from_utf8(&head[..head.iter().position(|&b| b >= 0x80).unwrap_or(head.len())])
            .ok()
    })?;
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let i = decl.find("encoding")?;
    let rest = decl[i + 8..].trim_start().strip_prefix('=')?.trim_start();
    let q = rest.chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let rest = &rest[1..];
    Some(rest[..rest.find(q)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_declarations() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE4</a>";
        assert!(decode(latin1).unwrap().contains('ä'));
        assert!(decode(b"<a>\xE4</a>").unwrap_err().contains("UTF-8"));
        assert!(decode(b"<?xml version='1.0' encoding='klingon'?><a/>")
            .unwrap_err()
            .contains("klingon"));
    }
}
