//! Byte offsets to 1-based line and column: for text held in memory ([`LineIndex`]) and for
//! text read as a stream ([`StreamLocator`], [`Excerpts`]).

use std::collections::VecDeque;
use std::ops::Range;

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

/// Lines kept before and after the lines of a span.
pub const CONTEXT_LINES: u32 = 2;
/// Lines of a span kept at most (after its first line).
pub const MAX_SPAN_LINES: u32 = 8;

impl Excerpts {
    /// Reads a text once, in `pieces` (a closure that calls its argument with each piece in
    /// order, and stops when it returns `false`), and finds the line and column of every
    /// offset of `offsets` and the lines around every span of `spans`: from
    /// [`CONTEXT_LINES`] before its first line to [`CONTEXT_LINES`] after its last (at most
    /// [`MAX_SPAN_LINES`] after its first). Lines longer than 64 KiB are left out.
    pub fn locate(
        offsets: Vec<usize>,
        spans: &[Range<usize>],
        pieces: impl FnOnce(&mut dyn FnMut(&str) -> bool),
    ) -> (StreamLocator, Excerpts) {
        let mut targets = offsets;
        targets.sort_unstable();
        targets.dedup();
        let mut starts: Vec<(usize, usize)> = spans
            .iter()
            .enumerate()
            .map(|(i, r)| (r.start, i))
            .collect();
        starts.sort_unstable();
        let mut ends: Vec<(usize, usize)> =
            spans.iter().enumerate().map(|(i, r)| (r.end, i)).collect();
        ends.sort_unstable();
        let mut k = Keeper {
            found: Vec::with_capacity(targets.len()),
            targets,
            col_at: 0,
            col_chars: 0,
            base: 0,
            starts,
            ends,
            next_start: 0,
            next_end: 0,
            first_line: vec![0; spans.len()],
            last_line: vec![0; spans.len()],
            open: Vec::new(),
            line: 1,
            at: 0,
            head: None,
            cur_at: 0,
            keep_cur: false,
            ring: VecDeque::new(),
            done: Vec::new(),
            last_kept: 0,
        };
        pieces(&mut |text| {
            k.feed(text);
            !k.finished()
        });
        k.end();
        let known = k
            .targets
            .iter()
            .copied()
            .zip(k.found.iter().copied())
            .collect();
        let loc = StreamLocator {
            targets: k.targets,
            found: k.found,
            at: k.at,
            line: k.line,
            chars: k.col_chars,
        };
        (
            loc,
            Excerpts {
                pieces: k.done,
                known,
            },
        )
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

    /// The same excerpts with each run of lines rewritten by `f`, which must keep its length
    /// in bytes (and line ends) so that every offset still holds: a report replaces control
    /// characters before showing them.
    pub fn map_text(&self, f: impl Fn(&str) -> std::borrow::Cow<'_, str>) -> Excerpts {
        let pieces = self
            .pieces
            .iter()
            .map(|p| {
                let text = f(&p.text);
                let text = if text.len() == p.text.len() {
                    text.into_owned()
                } else {
                    p.text.clone()
                };
                Piece {
                    offset: p.offset,
                    line: p.line,
                    text,
                }
            })
            .collect();
        Excerpts {
            pieces,
            known: self.known.clone(),
        }
    }

    /// The kept run of lines containing `offset` (the end of a run counts): its text, its
    /// document offset and its first line's number.
    pub fn piece_at(&self, offset: usize) -> Option<(&str, usize, u32)> {
        let i = self.pieces.partition_point(|p| p.offset <= offset);
        let p = self.pieces.get(i.checked_sub(1)?)?;
        (offset <= p.offset + p.text.len()).then_some((p.text.as_str(), p.offset, p.line))
    }
}

/// A line not kept (yet): a range of the piece being read, or its text.
#[derive(Debug)]
enum Line {
    Here(Range<usize>),
    /// `None`: longer than [`MAX_EXCERPT_LINE`].
    Owned(Option<String>),
}

/// Keeps the lines around spans while the text streams by, line by line: the current line,
/// the [`CONTEXT_LINES`] lines before it (not kept yet), and the spans open around it. A line
/// is copied only when it is kept, or when a piece ends inside it or just after it.
struct Keeper {
    /// The offsets to locate, sorted, and the (line, column) of those passed.
    targets: Vec<usize>,
    found: Vec<(u32, u32)>,
    /// Characters of the current line before offset `col_at`.
    col_at: usize,
    col_chars: u32,
    /// Offset of the piece being read.
    base: usize,
    /// Span starts and ends, sorted, with their span's index.
    starts: Vec<(usize, usize)>,
    ends: Vec<(usize, usize)>,
    next_start: usize,
    next_end: usize,
    /// Per span: the line of its start, once reached (0 before).
    first_line: Vec<u32>,
    /// Per span: the last line to keep (until its end is reached, the most it may be).
    last_line: Vec<u32>,
    /// Spans whose lines are still kept.
    open: Vec<usize>,
    line: u32,
    /// Offset of the next byte.
    at: usize,
    /// The current line's text from earlier pieces (`None`: longer than
    /// [`MAX_EXCERPT_LINE`]), and its offset.
    head: Option<String>,
    cur_at: usize,
    /// The current line is kept.
    keep_cur: bool,
    /// The lines just before the current one, not kept (yet): offset, number, text.
    ring: VecDeque<(usize, u32, Line)>,
    done: Vec<Piece>,
    /// The number of the last line kept (0: none).
    last_kept: u32,
}

impl Keeper {
    /// Whether every offset is located and nothing more will be kept.
    fn finished(&self) -> bool {
        self.found.len() == self.targets.len()
            && self.next_start >= self.starts.len()
            && self.open.is_empty()
            && !self.keep_cur
    }

    fn feed(&mut self, text: &str) {
        let b = text.as_bytes();
        let base = self.at;
        self.base = base;
        let mut from = 0;
        while from < b.len() {
            let Some(nl) = text[from..].find('\n') else {
                break;
            };
            let end = from + nl + 1;
            self.reach(base + end, text);
            self.at = base + end;
            let line = if self.cur_at >= base {
                Line::Here(self.cur_at - base..end)
            } else {
                Line::Owned(self.head.take().and_then(|mut h| {
                    (h.len() + end <= MAX_EXCERPT_LINE).then(|| {
                        h.push_str(&text[..end]);
                        h
                    })
                }))
            };
            self.end_line(line, text);
            from = end;
        }
        // the rest is the start of a line that continues in the next piece
        self.reach(base + b.len(), text);
        self.at = base + b.len();
        if self.col_at < self.at {
            self.col_chars += count_chars(&b[self.col_at - base..]);
            self.col_at = self.at;
        }
        if from < b.len() {
            let rest = &text[from..];
            let head = if self.cur_at >= base {
                Some(String::new())
            } else {
                self.head.take()
            };
            self.head = head.and_then(|mut h| {
                (h.len() + rest.len() <= MAX_EXCERPT_LINE).then(|| {
                    h.push_str(rest);
                    h
                })
            });
        }
        // the lines left in the ring outlive this piece
        for (_, _, l) in self.ring.iter_mut() {
            if let Line::Here(r) = l {
                let owned = (r.len() <= MAX_EXCERPT_LINE).then(|| text[r.clone()].to_string());
                *l = Line::Owned(owned);
            }
        }
    }

    /// The spans that start or end before `upto` (in the current line); `piece` is the piece
    /// being read.
    fn reach(&mut self, upto: usize, piece: &str) {
        while let Some(&t) = self.targets.get(self.found.len()) {
            if t >= upto {
                break;
            }
            // counted from the last offset located in this line (each byte once)
            let stop = t.min(self.base + piece.len()).max(self.col_at);
            let b = piece.as_bytes();
            self.col_chars += count_chars(&b[self.col_at - self.base..stop - self.base]);
            self.col_at = stop;
            self.found.push((self.line, self.col_chars + 1));
        }
        while let Some(&(o, i)) = self.starts.get(self.next_start) {
            if o >= upto {
                break;
            }
            self.next_start += 1;
            self.first_line[i] = self.line;
            if !self.keep_cur {
                self.keep_cur = true;
                // the lines before it (still in this piece or copied)
                while let Some((at, n, l)) = self.ring.pop_front() {
                    if n + CONTEXT_LINES >= self.line {
                        self.keep_line(at, n, l, Some(piece));
                    }
                }
            }
            self.last_line[i] = self.line + MAX_SPAN_LINES + CONTEXT_LINES;
            self.open.push(i);
        }
        while let Some(&(o, i)) = self.ends.get(self.next_end) {
            if o >= upto {
                break;
            }
            self.next_end += 1;
            // a span's end is never before its start, so the start has been reached
            let first = self.first_line[i];
            if first != 0 {
                self.last_line[i] = self.line.min(first + MAX_SPAN_LINES) + CONTEXT_LINES;
            }
        }
    }

    fn end_line(&mut self, l: Line, piece: &str) {
        let (at, n) = (self.cur_at, self.line);
        if self.keep_cur {
            self.keep_line(at, n, l, Some(piece));
        } else {
            self.ring.push_back((at, n, l));
            if self.ring.len() > CONTEXT_LINES as usize {
                self.ring.pop_front();
            }
        }
        self.line += 1;
        self.cur_at = self.at;
        self.col_at = self.at;
        self.col_chars = 0;
        let (line, last) = (self.line, &self.last_line);
        self.open.retain(|&i| last[i] >= line);
        self.keep_cur = !self.open.is_empty();
    }

    /// The end of the text: what is left starts or ends in the last line.
    fn end(&mut self) {
        self.base = self.at;
        self.reach(usize::MAX, "");
        if self.keep_cur && self.at > self.cur_at {
            let text = self.head.take();
            self.keep(self.cur_at, self.line, text);
        }
    }

    /// Keeps a line given as [`Line`]; `piece` is the piece being read (for [`Line::Here`]).
    fn keep_line(&mut self, at: usize, n: u32, l: Line, piece: Option<&str>) {
        let text = match l {
            Line::Here(r) => piece
                .filter(|_| r.len() <= MAX_EXCERPT_LINE)
                .and_then(|p| p.get(r))
                .map(str::to_string),
            Line::Owned(t) => t,
        };
        self.keep(at, n, text);
    }

    /// Keeps line `n` (at offset `at`): appended to the last run when it follows it.
    fn keep(&mut self, at: usize, n: u32, text: Option<String>) {
        let Some(text) = text else {
            // a line too long to keep ends the run
            self.last_kept = 0;
            return;
        };
        match self.done.last_mut() {
            Some(p) if self.last_kept != 0 && self.last_kept + 1 == n => p.text.push_str(&text),
            _ => self.done.push(Piece {
                offset: at,
                line: n,
                text,
            }),
        }
        self.last_kept = n;
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
    /// Feeds `t` to `each` in pieces of about `piece` bytes.
    fn in_pieces(t: &str, piece: usize, each: &mut dyn FnMut(&str) -> bool) {
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
    }

    #[test]
    fn excerpts_keep_the_wanted_lines_with_their_positions() {
        let t = "l1\nl2 é\nl3\nl4\nl5\n";
        let ix = LineIndex::new(t);
        for piece in [1, 2, 5, 100] {
            // a span on line 5 keeps lines 3 to 6 (there is no 7th)
            let (_, ex) = Excerpts::locate(vec![15, 16], &[Range { start: 15, end: 16 }], |each| {
                in_pieces(t, piece, each)
            });
            assert_eq!(ex.piece_at(4).map(|p| p.0), None, "pieces of {piece}");
            assert_eq!(
                ex.piece_at(10).map(|p| (p.0, p.1, p.2)),
                Some(("l3\nl4\nl5\n", 9, 3)),
                "pieces of {piece}"
            );
            for o in [9, 12, 15, 16, 18] {
                assert_eq!(ex.line_col(o), Some(ix.line_col(t, o)), "offset {o}");
            }
            assert_eq!(ex.line_col(0), None);
        }
    }

    #[test]
    fn one_pass_keeps_the_lines_around_each_span() {
        // lines of varied lengths, one too long to keep, a last line without a newline
        let mut t = String::new();
        for i in 0..60 {
            let len = if i == 30 {
                MAX_EXCERPT_LINE + 5
            } else {
                i % 7 * 3
            };
            t.push_str(&format!("{i}"));
            t.push_str(&"é".repeat(len / 2));
            t.push('\n');
        }
        t.push_str("end");
        let ix = LineIndex::new(&t);
        let starts: Vec<usize> = t.match_indices('\n').map(|(i, _)| i + 1).collect();
        let line_at = |n: u32| {
            if n == 1 {
                0
            } else {
                starts[n as usize - 2]
            }
        };
        let span_sets: Vec<Vec<Range<usize>>> = vec![
            vec![line_at(3)..line_at(3) + 1],
            vec![line_at(10) + 1..line_at(25), line_at(12)..line_at(12)],
            vec![
                line_at(29)..line_at(33),
                line_at(50)..t.len(),
                t.len()..t.len(),
            ],
            vec![line_at(1)..line_at(1), line_at(7)..line_at(8)],
        ];
        for spans in &span_sets {
            // the lines each span wants, as the two-pass reading chose them
            let mut want = std::collections::BTreeSet::new();
            for r in spans {
                let first = ix.line_col(&t, r.start).0;
                let last = ix.line_col(&t, r.end).0.min(first + MAX_SPAN_LINES) + CONTEXT_LINES;
                let lines = t.matches('\n').count() as u32 + 1;
                for n in first.saturating_sub(CONTEXT_LINES).max(1)..=last.min(lines) {
                    let (a, b) = (
                        line_at(n),
                        if (n as usize) <= starts.len() {
                            starts[n as usize - 1]
                        } else {
                            t.len()
                        },
                    );
                    if b - a <= MAX_EXCERPT_LINE {
                        want.insert(n);
                    }
                }
            }
            let mut offsets: Vec<usize> = spans.iter().flat_map(|r| [r.start, r.end]).collect();
            offsets.extend(
                (0..=t.len() + 2)
                    .step_by(37)
                    .filter(|&o| o >= t.len() || t.is_char_boundary(o)),
            );
            for piece in [1, 3, 64, 1 << 20] {
                let (loc, ex) =
                    Excerpts::locate(offsets.clone(), spans, |each| in_pieces(&t, piece, each));
                for &o in &offsets {
                    assert_eq!(loc.line_col(o), ix.line_col(&t, o), "offset {o}");
                }
                let mut kept = std::collections::BTreeSet::new();
                for p in &ex.pieces {
                    assert!(t[p.offset..].starts_with(&p.text), "piece at {}", p.offset);
                    let n =
                        p.text.matches('\n').count() as u32 + u32::from(!p.text.ends_with('\n'));
                    kept.extend(p.line..p.line + n);
                }
                assert_eq!(kept, want, "spans {spans:?}, pieces of {piece}");
                // runs are maximal: two pieces never hold consecutive lines
                for w in ex.pieces.windows(2) {
                    let n = w[0].text.matches('\n').count() as u32;
                    assert!(w[0].line + n < w[1].line, "{} and {}", w[0].line, w[1].line);
                }
            }
        }
    }
}
