//! Fingerprints that tell a result apart from the others and find it again in the next run,
//! though lines were added above it: a hash of the rule, the file, the message and the text
//! the diagnostic points at (never its line or column), and the how-manieth result of that
//! hash in the file (`0123456789abcdef:1`). SARIF logs carry them in `partialFingerprints`.

use crate::diagnostic::Diagnostic;
use crate::validate::FileReport;
use std::collections::HashMap;

/// The text of a span that a fingerprint reads, at most this many bytes.
const MAX_SPAN_TEXT: usize = 256;

/// FNV-1a, 64 bits: small, and the same on every machine and in every version.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // a separator, so that ("ab", "c") and ("a", "bc") differ
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The text a span covers, as far as the report kept it (at most [`MAX_SPAN_TEXT`] bytes).
fn span_text<'a>(f: &'a FileReport, d: &'a Diagnostic) -> &'a [u8] {
    let span = &d.span;
    let (text, at) = if let Some(o) = &d.origin {
        (&*o.text, 0)
    } else if !f.source.is_empty() {
        (f.source.as_str(), 0)
    } else if let Some((text, at, _)) = f.excerpts.piece_at(span.start) {
        (text, at)
    } else {
        return b"";
    };
    let start = span.start.saturating_sub(at).min(text.len());
    let end = span
        .end
        .saturating_sub(at)
        .clamp(start, text.len())
        .min(start + MAX_SPAN_TEXT);
    &text.as_bytes()[start..end]
}

/// The fingerprints of one file's results, in report order.
pub struct Fingerprints<'p> {
    path: &'p str,
    seen: HashMap<u64, u32>,
}

impl<'p> Fingerprints<'p> {
    /// For the file reported as `path`.
    pub fn new(path: &'p str) -> Self {
        Fingerprints {
            path,
            seen: HashMap::new(),
        }
    }

    /// The fingerprint of the next result, `d` of `f`.
    pub fn of(&mut self, f: &FileReport, d: &Diagnostic) -> String {
        let h = fnv1a(&[
            d.code.id.as_bytes(),
            match &d.origin {
                Some(o) => o.file.as_os_str().as_encoded_bytes(),
                None => self.path.as_bytes(),
            },
            d.message.as_bytes(),
            span_text(f, d),
        ]);
        let n = self.seen.entry(h).or_insert(0);
        *n += 1;
        format!("{h:016x}:{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(source: &str, diags: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path: "a.xml".into(),
            schema: "none".into(),
            diagnostics: diags,
            source: source.into(),
            excerpts: Default::default(),
            fatal: false,
            schematron: Vec::new(),
        }
    }

    #[test]
    fn lines_added_above_keep_the_fingerprint_and_repeats_are_counted() {
        let code = &crate::validate::UNREADABLE;
        let before = "<a>\n<b x='1'/>\n<b x='1'/>\n</a>";
        let after = "<a>\n\n\n<!-- new -->\n<b x='1'/>\n<b x='1'/>\n</a>";
        let at = |text: &str, n: usize| {
            let start = text.match_indices("<b").nth(n).unwrap().0;
            Diagnostic::new(code, start..start + 10, "bad b")
        };
        let prints = |text: &str| {
            let f = file(text, vec![at(text, 0), at(text, 1)]);
            let mut p = Fingerprints::new("a.xml");
            f.diagnostics
                .iter()
                .map(|d| p.of(&f, d))
                .collect::<Vec<_>>()
        };
        let one = prints(before);
        assert_eq!(one, prints(after));
        assert!(one[0].ends_with(":1") && one[1].ends_with(":2"), "{one:?}");
        assert_eq!(one[0][..16], one[1][..16]);
        // another message, another rule or another file: another hash
        let f = file(before, vec![]);
        let d = at(before, 0);
        let base = Fingerprints::new("a.xml").of(&f, &d);
        assert_ne!(base, Fingerprints::new("b.xml").of(&f, &d));
        let mut other = d.clone();
        other.message = "worse b".into();
        assert_ne!(base, Fingerprints::new("a.xml").of(&f, &other));
    }
}
