//! Byte offsets to 1-based line and column: for text held in memory ([`LineIndex`]) and for
//! text read as a stream ([`StreamLocator`]).

/// Line starts of a text, for turning byte offsets into line:column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` (one pass, memchr-fast).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based (line, column); the column counts characters, not bytes.
    /// Offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text[start..end].chars().count() + 1;
        (line as u32 + 1, col as u32)
    }
}

/// Line and column (as [`LineIndex::line_col`] gives them) of chosen byte offsets in a text
/// that arrives in pieces, such as a file too large to hold: feed every piece in order, then
/// ask.
#[derive(Debug, Clone)]
pub struct StreamLocator {
    /// The offsets asked for, sorted, without repeats.
    targets: Vec<usize>,
    found: Vec<(u32, u32)>,
    /// Offset of the next piece's first byte.
    at: usize,
    /// Current line (1-based) and characters since its start.
    line: u32,
    chars: u32,
}

impl StreamLocator {
    /// A locator for `offsets` (any order, repeats allowed).
    pub fn new(mut offsets: Vec<usize>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        StreamLocator {
            found: Vec::with_capacity(offsets.len()),
            targets: offsets,
            at: 0,
            line: 1,
            chars: 0,
        }
    }

    /// Reads the next piece; `false` once every offset has been found (the rest of the text
    /// is not needed).
    pub fn feed(&mut self, piece: &str) -> bool {
        let b = piece.as_bytes();
        let mut i = 0;
        while let Some(&t) = self.targets.get(self.found.len()) {
            if t >= self.at + b.len() {
                break;
            }
            let t = t - self.at;
            self.advance(&b[i..t]);
            i = t;
            self.found.push((self.line, self.chars + 1));
        }
        self.advance(&b[i..]);
        self.at += b.len();
        self.found.len() < self.targets.len()
    }

    fn advance(&mut self, seg: &[u8]) {
        // characters are counted as the bytes that do not continue a UTF-8 sequence
        let chars = |s: &[u8]| s.iter().filter(|&&c| c & 0xC0 != 0x80).count() as u32;
        match seg.iter().rposition(|&c| c == b'\n') {
            Some(last) => {
                self.line += seg.iter().filter(|&&c| c == b'\n').count() as u32;
                self.chars = chars(&seg[last + 1..]);
            }
            None => self.chars += chars(seg),
        }
    }

    /// 1-based (line, column) of `offset`, one of those asked for; offsets past the end of
    /// the text clamp to its end.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        match self.targets.binary_search(&offset) {
            Ok(i) if i < self.found.len() => self.found[i],
            _ => (self.line, self.chars + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_positions_equal_the_in_memory_ones() {
        let t = "ab\ncä d\n\nxé\r\nyz\n";
        let ix = LineIndex::new(t);
        let offsets: Vec<usize> = (0..=t.len() + 3)
            .filter(|&o| o >= t.len() || t.is_char_boundary(o))
            .collect();
        for piece in 1..=t.len() {
            let mut loc = StreamLocator::new(offsets.iter().rev().copied().collect());
            let mut start = 0;
            while start < t.len() {
                let mut end = (start + piece).min(t.len());
                while !t.is_char_boundary(end) {
                    end += 1;
                }
                loc.feed(&t[start..end]);
                start = end;
            }
            for &o in &offsets {
                assert_eq!(
                    loc.line_col(o),
                    ix.line_col(t, o),
                    "offset {o}, pieces of {piece}"
                );
            }
        }
    }

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncä d\n\nx";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), (1, 1));
        assert_eq!(ix.line_col(t, 3), (2, 1));
        assert_eq!(ix.line_col(t, 6), (2, 3)); // after 'ä' (2 bytes)
        assert_eq!(ix.line_col(t, 9), (3, 1));
        assert_eq!(ix.line_col(t, 10), (4, 1));
        assert_eq!(ix.line_col(t, 99), (4, 2));
    }
}
