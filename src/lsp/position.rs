//! Byte offsets in a text and LSP positions (line, UTF-16 code unit) back and forth.

use lsp_types::{Position, Range};

/// Where each line of a text starts, for conversions in both directions.
#[derive(Debug, Clone, Default)]
pub struct LineMap {
    starts: Vec<usize>,
}

impl LineMap {
    /// The line starts of `text` (a line ends at `\n`; `\r\n` counts as one end).
    pub fn new(text: &str) -> LineMap {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineMap { starts }
    }

    /// Updates the map after `text[start..end]` was replaced by `new` (cost: the lines after
    /// the edit are shifted, the new text is scanned; the rest of the text is not read).
    pub fn edit(&mut self, start: usize, end: usize, new: &str) {
        let lo = self.starts.partition_point(|&s| s <= start);
        let hi = self.starts.partition_point(|&s| s <= end);
        let delta = new.len() as isize - (end - start) as isize;
        for s in &mut self.starts[hi..] {
            *s = (*s as isize + delta) as usize;
        }
        let added = new
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| start + i + 1);
        self.starts.splice(lo..hi, added);
    }

    /// The LSP position of byte `offset` (clamped to the text; inside a character: its start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char(text, offset.min(text.len()));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, text: &str, span: std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of an LSP position: past the end of a line, the line's end; past the
    /// last line, the end of the text.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |&e| e);
        let line = &text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// The start of the character at or before `i`.
pub fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_wide_characters() {
        let text = "ab\n€𝄞x\r\nend";
        let m = LineMap::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(m.position(text, x), Position::new(1, 3));
        assert_eq!(m.offset(text, Position::new(1, 3)), x);
        assert_eq!(
            m.offset(text, Position::new(1, 99)),
            text.find('\r').unwrap()
        );
        assert_eq!(m.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(m.position(text, text.len()), Position::new(2, 3));
    }

    #[test]
    fn edits_keep_the_map_as_a_new_one() {
        let mut text = String::from("one\ntwo\nthree\nfour");
        let mut m = LineMap::new(&text);
        for (a, b, new) in [
            (2, 9, "X\nY\nZ"),
            (0, 0, "\n"),
            (5, 5, ""),
            (3, text.len() - 7, "q"),
        ] {
            let (a, b) = (a.min(text.len()), b.min(text.len()));
            text.replace_range(a..b, new);
            m.edit(a, b, new);
            assert_eq!(m.starts, LineMap::new(&text).starts, "{text:?}");
        }
    }
}
