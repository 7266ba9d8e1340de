//! The text being built: blocks (separated by one blank line) of lines of pieces, each piece
//! tagged with the markup it came from. Whitespace is collapsed as it is pushed: a run of
//! spaces, tabs and newlines in the XML becomes one space, and no line starts or ends with one.

use super::super::LineRole;

/// Where a piece of text sits, before the opener's and closer's loose text is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// A role the markup states outright.
    Fixed(LineRole),
    /// Text in an `opener` outside its `dateline`, `salute` and `address` children.
    OpenerLoose,
    /// Text in a `closer` outside its `salute`, `signed`, `dateline` and `address` children.
    CloserLoose,
}

/// What a piece of text is: its slot, and whether it sits in a date, a place, a name or
/// printed matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag {
    pub slot: Slot,
    pub date: bool,
    pub place: bool,
    pub name: bool,
    pub printed: bool,
}

/// A run of text with one tag.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub text: String,
    pub tag: Tag,
    /// Its role once resolved (set by [`super::resolve`]).
    pub role: Option<LineRole>,
}

/// One line of a block.
#[derive(Debug, Clone, Default)]
pub(super) struct Line {
    pub pieces: Vec<Piece>,
}

impl Line {
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    fn first_char(&self) -> Option<char> {
        self.pieces.first().and_then(|p| p.text.chars().next())
    }

    fn last_char(&self) -> Option<char> {
        self.pieces.last().and_then(|p| p.text.chars().last())
    }

    fn trim_end(&mut self) {
        while let Some(last) = self.pieces.last_mut() {
            let t = last.text.trim_end().len();
            last.text.truncate(t);
            if last.text.is_empty() {
                self.pieces.pop();
            } else {
                break;
            }
        }
    }
}

/// Non-whitespace characters of `s`.
pub(super) fn weight(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// How a block reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// Running text (`p`, `ab`): may be rejoined with the paragraph before it across a page.
    Para,
    /// Lines (opener, closer, address, marks): never rejoined.
    Lines,
}

/// One block: an opener, a paragraph, a closer, a postscript paragraph, an address.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub kind: BlockKind,
    pub lines: Vec<Line>,
}

impl Block {
    fn new(kind: BlockKind) -> Self {
        Block {
            kind,
            lines: vec![Line::default()],
        }
    }

    fn first_char(&self) -> Option<char> {
        self.lines.iter().find(|l| !l.is_empty())?.first_char()
    }

    fn last_char(&self) -> Option<char> {
        self.lines.iter().rev().find(|l| !l.is_empty())?.last_char()
    }

    /// The slot of its first piece.
    fn slot(&self) -> Option<Slot> {
        Some(
            self.lines.iter().find(|l| !l.is_empty())?.pieces[0]
                .tag
                .slot,
        )
    }
}

/// Builds the blocks of one letter.
#[derive(Debug, Default)]
pub(super) struct Emitter {
    pub blocks: Vec<Block>,
    open: bool,
    pending_space: bool,
    glue: bool,
    block_has_text: bool,
}

impl Emitter {
    /// True while a block is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// True when the open block holds no text yet.
    pub fn block_is_empty(&self) -> bool {
        !self.open || !self.block_has_text
    }

    /// Starts a new block (ending the open one).
    pub fn start_block(&mut self, kind: BlockKind) {
        self.end_block();
        self.blocks.push(Block::new(kind));
        self.open = true;
        self.pending_space = false;
        self.glue = false;
        self.block_has_text = false;
    }

    /// Ends the open block; returns its index, or `None` when it held no text (and was dropped).
    pub fn end_block(&mut self) -> Option<usize> {
        if !self.open {
            return None;
        }
        self.open = false;
        let block = self.blocks.last_mut()?;
        for line in &mut block.lines {
            line.trim_end();
        }
        block.lines.retain(|l| !l.is_empty());
        if block.lines.is_empty() {
            self.blocks.pop();
            return None;
        }
        Some(self.blocks.len() - 1)
    }

    fn line(&mut self) -> &mut Line {
        self.blocks
            .last_mut()
            .and_then(|b| b.lines.last_mut())
            .expect("a block is open")
    }

    /// Ends the current line (nothing when it is empty).
    pub fn newline(&mut self) {
        if !self.open {
            return;
        }
        self.pending_space = false;
        self.glue = false;
        let line = self.line();
        line.trim_end();
        if !line.is_empty() {
            self.blocks
                .last_mut()
                .expect("open block")
                .lines
                .push(Line::default());
        }
    }

    /// A word boundary (a line break read as a space, `space`).
    pub fn space(&mut self) {
        if self.open && !self.line().is_empty() {
            self.pending_space = true;
            self.glue = false;
        }
    }

    /// A line break inside a word: the text before and after is joined without a space.
    pub fn glue(&mut self) {
        self.pending_space = false;
        self.glue = true;
    }

    /// Appends text (whitespace collapsed) with `tag` to the open block.
    pub fn text(&mut self, s: &str, tag: Tag) {
        debug_assert!(self.open, "text outside a block");
        if !self.open {
            return;
        }
        for ch in s.chars() {
            if ch.is_whitespace() {
                if !self.glue && !self.line().is_empty() {
                    self.pending_space = true;
                }
                continue;
            }
            let space = std::mem::take(&mut self.pending_space);
            self.glue = false;
            self.block_has_text = true;
            let line = self.line();
            match line.pieces.last_mut() {
                Some(p) if p.tag == tag => {
                    if space {
                        p.text.push(' ');
                    }
                    p.text.push(ch);
                }
                _ => {
                    let mut text = String::new();
                    if space {
                        text.push(' ');
                    }
                    text.push(ch);
                    line.pieces.push(Piece {
                        text,
                        tag,
                        role: None,
                    });
                }
            }
        }
    }

    /// Rejoins the paragraph block `b` (the last block) with the one before it when they are
    /// one paragraph split (by a page break, or by the encoder at a page or column end): the
    /// earlier ends mid-sentence (in a word, a comma, a semicolon or a colon), the later starts in lower case, both are running text of the
    /// same part. `joined`: rejoin on the same line (else the later paragraph's first line
    /// follows on the next line).
    pub fn rejoin_split_paragraph(&mut self, b: usize, joined: bool) {
        if b == 0 || b + 1 != self.blocks.len() {
            return;
        }
        let (before, after) = (&self.blocks[b - 1], &self.blocks[b]);
        let split = before.kind == BlockKind::Para
            && after.kind == BlockKind::Para
            && before.slot() == after.slot()
            && after.first_char().is_some_and(char::is_lowercase)
            && before.last_char().is_some_and(mid_sentence);
        if !split {
            return;
        }
        let mut after = self.blocks.pop().expect("block b");
        let before = self.blocks.last_mut().expect("block b - 1");
        if joined {
            let mut first = after.lines.remove(0);
            if let Some(p) = first.pieces.first_mut() {
                p.text.insert(0, ' ');
            }
            before
                .lines
                .last_mut()
                .expect("a line")
                .pieces
                .extend(first.pieces);
        }
        before.lines.extend(after.lines);
    }
}

/// A paragraph ending in this character stops mid-sentence: a word, a comma, a semicolon or
/// a colon (a dash, a full stop or any other mark may end a thought).
fn mid_sentence(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ',' | ';' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag() -> Tag {
        Tag {
            slot: Slot::Fixed(LineRole::Body),
            date: false,
            place: false,
            name: false,
            printed: false,
        }
    }

    fn texts(e: &Emitter) -> Vec<Vec<String>> {
        e.blocks
            .iter()
            .map(|b| {
                b.lines
                    .iter()
                    .map(|l| l.pieces.iter().map(|p| p.text.as_str()).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn whitespace_collapses_and_blocks_drop_when_empty() {
        let mut e = Emitter::default();
        e.start_block(BlockKind::Para);
        e.text("  a \n\t b  ", tag());
        e.space();
        e.newline();
        e.text(" c", tag());
        e.start_block(BlockKind::Para);
        e.text("   ", tag());
        e.end_block();
        assert_eq!(texts(&e), vec![vec!["a b".to_string(), "c".to_string()]]);
    }

    #[test]
    fn glue_joins_a_word() {
        let mut e = Emitter::default();
        e.start_block(BlockKind::Para);
        e.text("verächt   ", tag());
        e.glue();
        e.text("\n   lichen", tag());
        e.end_block();
        assert_eq!(texts(&e), vec![vec!["verächtlichen".to_string()]]);
    }

    #[test]
    fn split_paragraph_rejoins_only_mid_sentence() {
        let mut e = Emitter::default();
        e.start_block(BlockKind::Para);
        e.text("but the", tag());
        e.end_block();
        e.start_block(BlockKind::Para);
        e.text("manner in which it ended.", tag());
        let b = e.end_block().unwrap();
        e.rejoin_split_paragraph(b, true);
        assert_eq!(
            texts(&e),
            vec![vec!["but the manner in which it ended.".to_string()]]
        );
        e.start_block(BlockKind::Para);
        e.text("a new paragraph", tag());
        let b = e.end_block().unwrap();
        e.rejoin_split_paragraph(b, true);
        assert_eq!(e.blocks.len(), 2);
    }
}
