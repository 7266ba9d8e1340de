//! Deterministic mutations of an input: byte flips, insertions, deletions, duplications,
//! splices with another input, XML-aware ones (a tag repeated, elements nested deep, markup
//! and characters that readers get wrong), all from a seeded generator.

/// A small, seeded pseudo-random generator (SplitMix64): the same seed gives the same run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number below `n`, small ones far more likely (for counts and lengths).
    pub fn small(&mut self, n: usize) -> usize {
        let bits = self.below(usize::BITS as usize - n.max(1).leading_zeros() as usize + 1);
        self.below((1usize << bits).min(n.max(1)))
    }
}

/// Pieces of markup and text that XML readers, schema loaders and encoders get wrong.
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x1;",
    b"&#xFFFE;",
    b"&#1114112;",
    b"&lt;",
    b"&undefined;",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    b"<?xml encoding=\"\"?>",
    b"<?xmlencoding=\"\"?>",
    b"<?xml-model href=\"/etc/passwd\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>",
    b"<!DOCTYPE a [<!ENTITY e \"&e;&e;\">]>",
    b"<!DOCTYPE a [<!ENTITY x SYSTEM \"/etc/passwd\">]>",
    b"\xEF\xBB\xBF",
    b"\xFE\xFF",
    b"\xEF\xBF\xBE",
    b"\xEF\xBF\xBF",
    b"\x00",
    b"\x0C",
    b"\r\n",
    b"\xC3",
    b"\xF0\x9F\x98\x80",
    b" xml:id=\"a\"",
    b" xml:id=\"a\" xml:id=\"a\"",
    b" ref=\"#nowhere\"",
    b" ref=\"other.xml#id\"",
    b" target=\"/etc/passwd#x\"",
    b" xmlns=\"http://www.tei-c.org/ns/1.0\"",
    b" xmlns:p=\"\"",
    b"p:a",
    b" when=\"1890-02-30\"",
    b" notBefore=\"1900\" notAfter=\"1800\"",
    b"<correspDesc><correspAction type=\"sent\"><persName>A</persName><date when=\"1890\"/></correspAction></correspDesc>",
    b"<include href=\"x.rng\"/>",
    b"<externalRef href=\"/dev/zero\"/>",
    b"<ref name=\"r\"/>",
    b"<define name=\"r\"><ref name=\"r\"/></define>",
    b"<choice>",
    b"</choice>",
    b"<interleave>",
    b"<oneOrMore>",
    b"<data type=\"integer\"><param name=\"pattern\">(a*)*b</param></data>",
    b"<anyName><except><nsName/></except></anyName>",
    b"\n\n",
    b"Dear Sir,\n",
    b"Yours truly,\n",
    b"Wien, 3. M\xC3\xA4rz 1890\n",
    b"London, 12th May 1823\n",
    b"P.S. ",
    b"---\n",
];

/// Mutates `data` in place with one to a few random edits; `other` is another input for
/// splices. The result is at most `max_len` bytes.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8], max_len: usize) {
    let edits = 1 + rng.small(4);
    for _ in 0..edits {
        edit(rng, data, other);
    }
    data.truncate(max_len);
}

fn edit(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    let at = rng.below(len + 1);
    match rng.below(13) {
        // one bit, one byte
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        // a byte or a few inserted
        2 => {
            let n = 1 + rng.small(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, bytes);
        }
        // a range deleted
        3 if len > 0 => {
            let n = 1 + rng.small(len - at.min(len - 1));
            let end = (at + n).min(len);
            data.drain(at.min(end)..end);
        }
        // a range duplicated (once or many times)
        4 if len > 0 => {
            let start = rng.below(len);
            let n = 1 + rng.small((len - start).min(256));
            let piece = data[start..(start + n).min(len)].to_vec();
            let times = 1 + rng.small(64);
            let at = rng.below(len + 1);
            data.splice(
                at..at,
                piece.iter().copied().cycle().take(piece.len() * times),
            );
        }
        // a splice: the start of this input, the end of the other
        5 if !other.is_empty() => {
            let cut = rng.below(other.len());
            data.truncate(at);
            data.extend_from_slice(&other[cut..]);
        }
        // a piece of the other input inserted
        6 if !other.is_empty() => {
            let start = rng.below(other.len());
            let n = 1 + rng.small((other.len() - start).min(512));
            data.splice(at..at, other[start..start + n].iter().copied());
        }
        // a token of markup or text
        7 | 8 => {
            let t = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, t.iter().copied());
        }
        // a start tag of the input repeated (siblings or, unclosed, nesting)
        9 => {
            if let Some(tag) = some_tag(rng, data) {
                let times = 1 + rng.small(2000);
                let tag = data[tag].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, tag.iter().copied().cycle().take(tag.len() * times));
            }
        }
        // elements nested deep (closed or not)
        10 => {
            let depth = 1 + rng.small(20_000);
            let name: &[u8] = [&b"a"[..], b"hi", b"correspDesc", b"group", b"p:x"][rng.below(5)];
            let mut nest = Vec::with_capacity(depth * (name.len() * 2 + 5));
            for _ in 0..depth {
                nest.push(b'<');
                nest.extend_from_slice(name);
                nest.push(b'>');
            }
            if rng.below(2) == 0 {
                for _ in 0..depth {
                    nest.extend_from_slice(b"</");
                    nest.extend_from_slice(name);
                    nest.push(b'>');
                }
            }
            data.splice(at..at, nest);
        }
        // many attributes on one element
        11 => {
            let n = 1 + rng.small(3000);
            let mut attrs = Vec::new();
            for i in 0..n {
                attrs.extend_from_slice(format!(" a{}=\"v\"", i % (n / 2 + 1)).as_bytes());
            }
            let at = data
                .iter()
                .position(|&b| b == b'>')
                .filter(|_| rng.below(2) == 0)
                .unwrap_or(at);
            data.splice(at..at, attrs);
        }
        // a character's bytes cut (an invalid UTF-8 sequence)
        _ if len > 0 => {
            let i = rng.below(len);
            if data[i] >= 0x80 {
                data.remove(i);
            } else {
                data.insert(i, 0x80 | (rng.next_u64() as u8 & 0x3F));
            }
        }
        _ => data.push(b'<'),
    }
}

/// The byte range of a random start tag of `data` (`<name …>`), if one is found near a random
/// place.
fn some_tag(rng: &mut Rng, data: &[u8]) -> Option<std::ops::Range<usize>> {
    if data.is_empty() {
        return None;
    }
    let from = rng.below(data.len());
    let start = from + data[from..].iter().position(|&b| b == b'<')?;
    let next = *data.get(start + 1)?;
    if !(next.is_ascii_alphabetic() || next == b'_') {
        return None;
    }
    let end = start + data[start..].iter().take(4096).position(|&b| b == b'>')?;
    Some(start..end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let seed = b"<TEI><teiHeader/><text><body><p xml:id=\"a\">x</p></body></text></TEI>";
        let run = |s| {
            let mut rng = Rng::new(s);
            (0..200)
                .map(|_| {
                    let mut d = seed.to_vec();
                    mutate(&mut rng, &mut d, b"<other/>", 1 << 20);
                    d
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        // mutations change the input, and stay within the bound
        let changed = run(7).iter().filter(|d| d.as_slice() != seed).count();
        assert!(changed > 190, "{changed}");
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            let mut d = seed.to_vec();
            mutate(&mut rng, &mut d, seed, 100);
            assert!(d.len() <= 100);
        }
    }
}
