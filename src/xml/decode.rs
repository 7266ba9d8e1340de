//! Bytes to text: byte order marks, the XML declaration's `encoding`, else UTF-8.

#![allow(clippy::result_large_err)] // the contract returns `Diagnostic` errors; they are rare and cold

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::codes;
use crate::diagnostic::Diagnostic;

/// A file's text, decoded to UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text without any byte order mark; borrowed when the input already was UTF-8.
    pub text: Cow<'a, str>,
    /// The encoding the bytes were read in (encoding_rs name, e.g. `UTF-8`, `UTF-16LE`,
    /// `windows-1252`).
    pub encoding: &'static str,
}

/// Why an encoding was chosen (for messages).
#[derive(Clone, Copy)]
pub(super) enum Why {
    Bom,
    Declared,
    Sniffed,
    Default,
}

impl Why {
    fn describe(self, enc: &'static Encoding, declared: Option<&str>) -> String {
        match self {
            Why::Bom => format!("{} (the file starts with its byte order mark)", enc.name()),
            Why::Declared => format!(
                "{} (named by the XML declaration as `{}`)",
                enc.name(),
                declared.unwrap_or_default()
            ),
            Why::Sniffed => format!(
                "{} (the file starts with `<?` in that encoding)",
                enc.name()
            ),
            Why::Default => {
                "UTF-8 (no byte order mark and no encoding in the XML declaration)".to_string()
            }
        }
    }
}

/// Decode a file's bytes to UTF-8 text: BOM (UTF-8, UTF-16LE/BE), else the XML declaration's
/// encoding (encoding_rs labels: ISO-8859-1, windows-1252, ...), else UTF-8. Borrows when the
/// input already is UTF-8. Invalid bytes: `Err` with a `tei::xml::encoding` diagnostic whose
/// span is the first bad byte (in the raw bytes) and whose message says which encoding was
/// assumed and why.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Diagnostic> {
    let s = sniff(bytes)?;
    let rest = &bytes[s.bom..];
    if s.utf8 {
        decode_utf8(rest, s.bom, s.why, s.declared.as_deref())
    } else {
        decode_with(s.encoding, rest, s.bom, s.why, s.declared.as_deref())
    }
}

/// How a file's bytes are to be decoded, read from its first bytes.
pub(super) struct Sniffed {
    pub(super) encoding: &'static Encoding,
    /// Read as UTF-8 (also when the declaration names UTF-16 without a byte order mark).
    pub(super) utf8: bool,
    /// Length of the byte order mark to skip.
    pub(super) bom: usize,
    pub(super) why: Why,
    pub(super) declared: Option<String>,
}

/// Chooses the encoding from the first bytes (a BOM, `<?` in UTF-16, the XML declaration's
/// `encoding`; 512 bytes are enough): `Err` for an encoding name teikit does not know.
pub(super) fn sniff(bytes: &[u8]) -> Result<Sniffed, Diagnostic> {
    let found = |encoding: &'static Encoding, bom: usize, why: Why| Sniffed {
        encoding,
        utf8: encoding == UTF_8,
        bom,
        why,
        declared: None,
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok(found(UTF_8, 3, Why::Bom));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(found(UTF_16LE, 2, Why::Bom));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Ok(found(UTF_16BE, 2, Why::Bom));
    }
    if bytes.starts_with(b"<\0?\0") {
        return Ok(found(UTF_16LE, 0, Why::Sniffed));
    }
    if bytes.starts_with(b"\0<\0?") {
        return Ok(found(UTF_16BE, 0, Why::Sniffed));
    }
    match declared_encoding(bytes) {
        None => Ok(found(UTF_8, 0, Why::Default)),
        Some(label) => {
            let Some(enc) = Encoding::for_label(label.as_bytes()) else {
                let help = "use UTF-8 (recommended), or a standard label such as ISO-8859-1 or windows-1252";
                if label.trim().is_empty() {
                    let at = find(bytes, b"encoding").unwrap_or(0);
                    return Err(Diagnostic::new(
                        &codes::UNKNOWN_ENCODING,
                        at..at + "encoding".len(),
                        "the XML declaration's `encoding` is empty: it names no encoding",
                    )
                    .with_help(help));
                }
                let start = find(bytes, label.as_bytes()).unwrap_or(0);
                return Err(Diagnostic::new(
                    &codes::UNKNOWN_ENCODING,
                    start..start + label.len(),
                    format!(
                        "the XML declaration names encoding `{label}`, which teikit does not know"
                    ),
                )
                .with_help(help));
            };
            // UTF-16 declared without a byte order mark in an ASCII-compatible file: the
            // bytes are what they are; read them as UTF-8 like libxml2 does.
            let utf8 = enc == UTF_8 || enc == UTF_16LE || enc == UTF_16BE;
            Ok(Sniffed {
                encoding: if utf8 { UTF_8 } else { enc },
                utf8,
                bom: 0,
                why: Why::Declared,
                declared: Some(label),
            })
        }
    }
}

fn decode_utf8<'a>(
    bytes: &'a [u8],
    base: usize,
    why: Why,
    declared: Option<&str>,
) -> Result<Decoded<'a>, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name(),
        }),
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
            Err(bad_bytes(
                UTF_8,
                why,
                declared,
                &bytes[at..(at + len).min(bytes.len())],
                base + at,
            ))
        }
    }
}

fn decode_with<'a>(
    enc: &'static Encoding,
    bytes: &'a [u8],
    base: usize,
    why: Why,
    declared: Option<&str>,
) -> Result<Decoded<'a>, Diagnostic> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(Decoded {
            text: Cow::Owned(out),
            encoding: enc.name(),
        }),
        DecoderResult::Malformed(bad, extra) => {
            let end = read.saturating_sub(extra as usize);
            let start = end.saturating_sub(bad as usize);
            Err(bad_bytes(
                enc,
                why,
                declared,
                &bytes[start..end.max(start)],
                base + start,
            ))
        }
        DecoderResult::OutputFull => Err(Diagnostic::new(
            &codes::ENCODING,
            base..base,
            format!(
                "could not decode the file as {}",
                why.describe(enc, declared)
            ),
        )),
    }
}

pub(super) fn bad_bytes(
    enc: &'static Encoding,
    why: Why,
    declared: Option<&str>,
    bad: &[u8],
    at: usize,
) -> Diagnostic {
    let hex: Vec<String> = bad.iter().take(4).map(|b| format!("0x{b:02X}")).collect();
    let help = match why {
        Why::Default => "if the file is not UTF-8, name its encoding in the XML declaration \
                         (`<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>`), or re-save it as UTF-8",
        _ => "re-save the file in the encoding it declares (UTF-8 is recommended)",
    };
    Diagnostic::new(
        &codes::ENCODING,
        at..at + bad.len().max(1),
        format!(
            "invalid byte sequence {} at byte offset {at}: the file was read as {}",
            hex.join(" "),
            why.describe(enc, declared)
        ),
    )
    .with_help(help)
}

/// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration, if any. Only
/// `<?xml` followed by whitespace starts a declaration (`<?xml-model …?>` and
/// `<?xmlencoding=…?>` are processing instructions).
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let after = bytes.strip_prefix(b"<?xml")?;
    if !after.first().is_some_and(|b| b" \t\r\n".contains(b)) {
        return None;
    }
    let head = &bytes[..bytes.len().min(512)];
    let end = find(head, b"?>")?;
    let decl = &head[..end];
    let pos = find(decl, b"encoding")?;
    let mut rest = &decl[pos + 8..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let rest = &rest[1..];
    let close = rest.iter().position(|&b| b == quote)?;
    std::str::from_utf8(&rest[..close]).ok().map(str::to_string)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Where `needle` first occurs in `hay` (`None` for an empty needle, which names nothing).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_borrows_and_strips_bom() {
        let d = decode(b"\xEF\xBB\xBF<a/>").unwrap();
        assert_eq!(d.text, "<a/>");
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "<a>é</a>".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "<a>é</a>");
        assert_eq!(decode(&le).unwrap().encoding, "UTF-16LE");
        assert_eq!(decode(&be).unwrap().text, "<a>é</a>");
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn declared_latin1() {
        let d = decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</a>").unwrap();
        assert!(d.text.ends_with("<a>é</a>"));
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn bad_utf8_points_at_first_bad_byte() {
        let e = decode(b"<a>ok \xE9 no</a>").unwrap_err();
        assert_eq!(e.code.id, "tei::xml::encoding");
        assert_eq!(e.span, 6..7);
        assert!(e.message.contains("0xE9"), "{}", e.message);
        assert!(e.message.contains("no byte order mark"), "{}", e.message);
    }

    #[test]
    fn unknown_label() {
        let e = decode(b"<?xml version='1.0' encoding='klingon'?><a/>").unwrap_err();
        assert_eq!(e.code.id, "tei::xml::unknown_encoding");
    }

    #[test]
    fn only_a_real_declaration_names_an_encoding() {
        // `<?xmlencoding=""?>` is a processing instruction, not a declaration (it panicked)
        let d = decode(b"<?xmlencoding=\"\"?>").unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(decode(b"<?xml-model encoding='klingon'?><a/>").is_ok());
        let e = decode(b"<?xml version='1.0' encoding=''?><a/>").unwrap_err();
        assert_eq!(e.code.id, "tei::xml::unknown_encoding");
        assert!(e.message.contains("empty"), "{}", e.message);
        assert_eq!(e.span, 20..28);
        let e = decode(b"<?xml version='1.0' encoding=' '?><a/>").unwrap_err();
        assert_eq!(e.code.id, "tei::xml::unknown_encoding");
        assert_eq!(find(b"abc", b""), None);
    }

    #[test]
    fn bad_utf16_surrogate() {
        // lone high surrogate D800 followed by 'a'
        let bytes = [0xFF, 0xFE, b'<', 0, 0x00, 0xD8, b'a', 0];
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.code.id, "tei::xml::encoding");
        assert_eq!(e.span.start, 4);
    }
}
