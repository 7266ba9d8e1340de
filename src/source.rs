//! Byte offsets to 1-based line and column: for text held in memory ([`LineIndex`]) and for
//! text read as a stream ([`StreamLocator`]).

/// Line starts of a text, for turning byte offsets into line:column.
///
/// A column costs at most [`CHECKPOINT`] bytes of counting, however long the line: in lines
/// longer than that, the character count is kept every [`CHECKPOINT`] bytes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// In long lines: (byte offset, characters from the line's start to it), in order.
    checkpoints: Vec<(usize, u32)>,
}

/// Bytes between two checkpoints of a long line.
pub const CHECKPOINT: usize = 16 * 1024;

impl LineIndex {
    /// Indexes `text` (one pass; long lines are counted once more).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let b = text.as_bytes();
        let mut checkpoints = Vec::new();
        let ends = starts.iter().skip(1).copied().chain([b.len()]);
        for (start, end) in starts.iter().copied().zip(ends) {
            let mut at = start;
            let mut chars = 0;
            while end - at > CHECKPOINT {
                chars += count_chars(&b[at..at + CHECKPOINT]);
                at += CHECKPOINT;
                checkpoints.push((at, chars));
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// 1-based line of a byte offset (offsets past the end: the last line).
    pub fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
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
        // the last checkpoint of this line at or before `end`
        let k = self.checkpoints.partition_point(|&(at, _)| at <= end);
        let (from, before) = match k.checked_sub(1).map(|k| self.checkpoints[k]) {
            Some((at, chars)) if at > start => (at, chars),
            _ => (start, 0),
        };
        let col = before + count_chars(&text.as_bytes()[from..end]) + 1;
        (line as u32 + 1, col)
    }
}

/// Characters in UTF-8 bytes (which may start or end inside a character): the bytes that do
/// not continue a sequence.
fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&c| c & 0xC0 != 0x80).count() as u32
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
        match seg.iter().rposition(|&c| c == b'\n') {
            Some(last) => {
                self.line += seg.iter().filter(|&&c| c == b'\n').count() as u32;
                self.chars = count_chars(&seg[last + 1..]);
            }
            None => self.chars += count_chars(seg),
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

/// The lines around a streamed file's diagnostics, and the positions of their offsets: what a
/// report keeps of a file too large to hold (see [`Excerpts::collect`]).
#[derive(Debug, Clone, Default)]
pub struct Excerpts {
    /// Runs of whole lines, in order.
    pieces: Vec<Piece>,
    /// Offsets whose line and column are known, sorted.
    known: Vec<(usize, (u32, u32))>,
}

/// A run of whole lines: the document offset of its first byte, that line's number, the text.
#[derive(Debug, Clone)]
struct Piece {
    offset: usize,
    line: u32,
    text: String,
}

/// A wanted line longer than this is left out of the excerpts (its positions are still known).
const MAX_EXCERPT_LINE: usize = 64 * 1024;

impl Excerpts {
    /// Keeps the text of lines `wanted` (1-based) and the positions found by `located`, reading
    /// the text once more, in `pieces` (a closure that calls its argument with each piece in
    /// order, and stops when it returns `false`).
    pub fn collect(
        located: &StreamLocator,
        mut wanted: Vec<u32>,
        pieces: impl FnOnce(&mut dyn FnMut(&str) -> bool),
    ) -> Self {
        wanted.sort_unstable();
        wanted.dedup();
        let mut c = Collector {
            wanted: &wanted,
            next: 0,
            line: 1,
            at: 0,
            open: None,
            long: false,
            done: Vec::new(),
        };
        pieces(&mut |text| c.feed(text));
        if let Some(p) = c.open.take() {
            if !c.long {
                c.done.push(p);
            }
        }
        Excerpts {
            pieces: c.done,
            known: located
                .targets
                .iter()
                .copied()
                .zip(located.found.iter().copied())
                .collect(),
        }
    }

    /// Nothing kept.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty() && self.known.is_empty()
    }

    /// 1-based (line, column) of `offset`, when it is a located offset or lies in a kept line.
    pub fn line_col(&self, offset: usize) -> Option<(u32, u32)> {
        if let Ok(i) = self.known.binary_search_by_key(&offset, |k| k.0) {
            return Some(self.known[i].1);
        }
        let (text, at, line) = self.piece_at(offset)?;
        let before = &text.as_bytes()[..offset - at];
        let lines = before.iter().filter(|&&c| c == b'\n').count() as u32;
        let from = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let col = count_chars(&before[from..]);
        Some((line + lines, col + 1))
    }

    /// The kept run of lines containing `offset` (the end of a run counts): its text, its
    /// document offset and its first line's number.
    pub fn piece_at(&self, offset: usize) -> Option<(&str, usize, u32)> {
        let i = self.pieces.partition_point(|p| p.offset <= offset);
        let p = self.pieces.get(i.checked_sub(1)?)?;
        (offset <= p.offset + p.text.len()).then_some((p.text.as_str(), p.offset, p.line))
    }
}

/// Gathers the wanted lines while the text streams by.
struct Collector<'w> {
    wanted: &'w [u32],
    /// Index in `wanted` of the first line not passed yet.
    next: usize,
    line: u32,
    at: usize,
    open: Option<Piece>,
    /// The open run grew past [`MAX_EXCERPT_LINE`] within one line: it is dropped.
    long: bool,
    done: Vec<Piece>,
}

impl Collector<'_> {
    fn feed(&mut self, text: &str) -> bool {
        let mut rest = text;
        while !rest.is_empty() {
            let (seg, ends_line) = match rest.find('\n') {
                Some(i) => (&rest[..=i], true),
                None => (rest, false),
            };
            self.take(seg);
            self.at += seg.len();
            rest = &rest[seg.len()..];
            if ends_line {
                self.line += 1;
                while self.wanted.get(self.next).is_some_and(|&w| w < self.line) {
                    self.next += 1;
                }
                if self.long {
                    self.open = None;
                    self.long = false;
                }
            }
        }
        self.next < self.wanted.len() || self.open.is_some()
    }

    fn take(&mut self, seg: &str) {
        if self.wanted.get(self.next) != Some(&self.line) {
            if let Some(p) = self.open.take() {
                self.done.push(p);
            }
            return;
        }
        let p = self.open.get_or_insert_with(|| Piece {
            offset: self.at,
            line: self.line,
            text: String::new(),
        });
        if self.long {
            return;
        }
        let line_start = p.text.rfind('\n').map_or(0, |i| i + 1);
        if p.text.len() - line_start + seg.len() > MAX_EXCERPT_LINE {
            // one very long line: keep what came before it, drop it
            self.long = true;
            p.text.truncate(line_start);
            if !p.text.is_empty() {
                let kept = Piece {
                    offset: p.offset,
                    line: p.line,
                    text: std::mem::take(&mut p.text),
                };
                self.done.push(kept);
            }
            return;
        }
        p.text.push_str(seg);
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
    fn columns_in_long_lines_use_checkpoints() {
        let line = "aé€".repeat(CHECKPOINT / 3);
        let t = format!("x\n{line}{line}{line}\ny");
        let ix = LineIndex::new(&t);
        assert!(!ix.checkpoints.is_empty());
        for o in (0..=t.len()).step_by(997).chain([t.len() - 1, t.len() - 3]) {
            let mut b = o;
            while !t.is_char_boundary(b) {
                b -= 1;
            }
            let line_start = t[..b].rfind('\n').map_or(0, |i| i + 1);
            let want = (
                t[..b].matches('\n').count() as u32 + 1,
                t[line_start..b].chars().count() as u32 + 1,
            );
            assert_eq!(ix.line_col(&t, o), want, "offset {o}");
            assert_eq!(ix.line(o), want.0);
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
    #[test]
    fn excerpts_keep_the_wanted_lines_with_their_positions() {
        let t = "l1\nl2 é\nl3\nl4\nl5\n";
        let ix = LineIndex::new(t);
        for piece in [1, 2, 5, 100] {
            let mut loc = StreamLocator::new(vec![10]);
            loc.feed(t);
            let ex = Excerpts::collect(&loc, vec![2, 3, 5], |each| {
                let mut start = 0;
                while start < t.len() {
                    let mut end = (start + piece).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    if !each(&t[start..end]) {
                        return;
                    }
                    start = end;
                }
            });
            assert_eq!(
                ex.piece_at(4).map(|p| p.0),
                Some("l2 é\nl3\n"),
                "pieces of {piece}"
            );
            assert_eq!(ex.piece_at(14).map(|p| p.0), None);
            assert_eq!(
                ex.piece_at(15).map(|p| (p.0, p.1, p.2)),
                Some(("l5\n", 15, 5))
            );
            for o in [3, 5, 10, 12, 15, 16, 18] {
                assert_eq!(ex.line_col(o), Some(ix.line_col(t, o)), "offset {o}");
            }
            assert_eq!(ex.line_col(0), None);
        }
    }
}
