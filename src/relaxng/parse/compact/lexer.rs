//! The lexical structure of the compact syntax (appendix A.2 of the specification): newline
//! normalisation, `\x{…}` escapes, then tokens (names, literal segments, documentation
//! comments, operators), each with its byte span in the file as written.
//!
//! Escapes are interpreted as characters are read, so an escape may stand anywhere, even inside
//! a keyword (`\x{65}lement`). The spec keeps the two kinds of line end apart: a line end in
//! the file is a *newline marker* (allowed in triple-quoted literals only), while `\x{A}` is
//! the character U+000A (allowed in any literal). [`Ch`] keeps that difference.

use std::ops::Range;
use std::sync::OnceLock;

/// One character of the normalised input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ch {
    /// A character (from the file or from an escape).
    Char(char),
    /// A line end in the file (LF, CR or CR LF).
    Newline,
    /// The end of the file.
    Eof,
}

/// An escape or character error: where and what.
#[derive(Debug)]
pub(super) struct LexError {
    pub span: Range<usize>,
    pub message: String,
}

/// Checks every escape of `text` (`\x…{hex}`: the hex number must name an XML character; a
/// `\x…{` that does not start one is an error). Once this has passed, [`read`] cannot fail.
pub(super) fn check_escapes(text: &str) -> Result<(), LexError> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr(b'\\', &b[i..]) {
        let at = i + off;
        let mut j = at + 1;
        while j < b.len() && b[j] == b'x' {
            j += 1;
        }
        if j == at + 1 || j >= b.len() || b[j] != b'{' {
            i = at + 1;
            continue;
        }
        // an escape opens here: hex digits, then `}`
        let digits_from = j + 1;
        let mut k = digits_from;
        let mut value: u32 = 0;
        while k < b.len() && b[k].is_ascii_hexdigit() {
            value = value
                .saturating_mul(16)
                .saturating_add((b[k] as char).to_digit(16).unwrap_or(0));
            k += 1;
        }
        if k == digits_from || k >= b.len() || b[k] != b'}' {
            return Err(LexError {
                span: at..k.min(b.len()),
                message: "`\\x{` must be followed by hexadecimal digits and `}` (an escape such as `\\x{20}`)".into(),
            });
        }
        if !char::from_u32(value).is_some_and(is_xml_char) {
            return Err(LexError {
                span: at..k + 1,
                message: format!(
                    "`{}` does not name a character XML allows",
                    &text[at..k + 1]
                ),
            });
        }
        i = k + 1;
    }
    Ok(())
}

/// The position of the first `needle` in `hay`.
fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Whether `c` matches the `Char` production of XML 1.0.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The character at byte `at` of `text` (escapes already checked) and the offset after it.
pub(super) fn read(text: &str, at: usize) -> (Ch, usize) {
    let b = text.as_bytes();
    match b.get(at) {
        None => (Ch::Eof, at),
        Some(b'\n') => (Ch::Newline, at + 1),
        Some(b'\r') => {
            if b.get(at + 1) == Some(&b'\n') {
                (Ch::Newline, at + 2)
            } else {
                (Ch::Newline, at + 1)
            }
        }
        Some(b'\\') => {
            let mut j = at + 1;
            while b.get(j) == Some(&b'x') {
                j += 1;
            }
            if j > at + 1 && b.get(j) == Some(&b'{') {
                let mut k = j + 1;
                let mut value: u32 = 0;
                while let Some(d) = b.get(k).and_then(|c| (*c as char).to_digit(16)) {
                    value = value.saturating_mul(16).saturating_add(d);
                    k += 1;
                }
                // checked by `check_escapes`: a valid character and a closing brace
                let c = char::from_u32(value).unwrap_or('\u{FFFD}');
                return (Ch::Char(c), k + 1);
            }
            (Ch::Char('\\'), at + 1)
        }
        Some(_) => {
            let c = text[at..].chars().next().unwrap_or('\u{FFFD}');
            (Ch::Char(c), at + c.len_utf8())
        }
    }
}

/// Punctuation and operator tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum P {
    Eq,
    OrEq,
    AndEq,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Amp,
    Pipe,
    Question,
    Star,
    Plus,
    Minus,
    Tilde,
    Follow,
}

impl P {
    /// The token as written.
    pub fn text(self) -> &'static str {
        match self {
            P::Eq => "=",
            P::OrEq => "|=",
            P::AndEq => "&=",
            P::LBrace => "{",
            P::RBrace => "}",
            P::LParen => "(",
            P::RParen => ")",
            P::LBracket => "[",
            P::RBracket => "]",
            P::Comma => ",",
            P::Amp => "&",
            P::Pipe => "|",
            P::Question => "?",
            P::Star => "*",
            P::Plus => "+",
            P::Minus => "-",
            P::Tilde => "~",
            P::Follow => ">>",
        }
    }
}

/// A token's kind and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// The end of the file.
    Eof,
    /// An NCName; `quoted` when written `\name` (then never a keyword).
    Name { name: String, quoted: bool },
    /// `prefix:local`.
    CName(String, String),
    /// `prefix:*`.
    NsName(String),
    /// One literal segment (`"…"`, `'…'`, `"""…"""`, `'''…'''`), its value.
    Literal(String),
    /// `##` documentation lines, merged, their text.
    Doc(String),
    /// An operator or bracket.
    Punct(P),
}

/// The keywords of the compact syntax.
pub(super) const KEYWORDS: &[&str] = &[
    "attribute",
    "default",
    "datatypes",
    "div",
    "element",
    "empty",
    "external",
    "grammar",
    "include",
    "inherit",
    "list",
    "mixed",
    "namespace",
    "notAllowed",
    "parent",
    "start",
    "string",
    "text",
    "token",
];

impl Tok {
    /// The keyword this token is (an unquoted name in [`KEYWORDS`]).
    pub fn keyword(&self) -> Option<&str> {
        match self {
            Tok::Name {
                name,
                quoted: false,
            } if KEYWORDS.contains(&name.as_str()) => Some(name),
            _ => None,
        }
    }

    /// Whether this is the keyword `kw`.
    pub fn is_kw(&self, kw: &str) -> bool {
        self.keyword() == Some(kw)
    }

    /// How a message names the token.
    pub fn describe(&self) -> String {
        match self {
            Tok::Eof => "the end of the file".into(),
            Tok::Name { name, quoted } => {
                if self.keyword().is_some() {
                    format!("keyword `{name}`")
                } else if *quoted {
                    format!("`\\{name}`")
                } else {
                    format!("`{name}`")
                }
            }
            Tok::CName(p, l) => format!("`{p}:{l}`"),
            Tok::NsName(p) => format!("`{p}:*`"),
            Tok::Literal(s) => {
                let short: String = s.chars().take(30).collect();
                let more = if s.chars().count() > 30 { "…" } else { "" };
                format!("literal {:?}", format!("{short}{more}"))
            }
            Tok::Doc(_) => "a `##` documentation comment".into(),
            Tok::Punct(p) => format!("`{}`", p.text()),
        }
    }
}

/// A token and its byte span in the file.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    pub span: Range<usize>,
}

/// Reads tokens one at a time from the text of one file.
pub(super) struct Lexer<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Lexer<'t> {
    /// A lexer at the start of `text` (after a byte order mark).
    pub fn new(text: &'t str) -> Self {
        let pos = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        Lexer { text, pos }
    }

    fn peek(&self) -> (Ch, usize) {
        read(self.text, self.pos)
    }

    fn peek_at(&self, at: usize) -> (Ch, usize) {
        read(self.text, at)
    }

    /// The next token, separators and comments skipped.
    pub fn next_token(&mut self) -> Result<Token, LexError> {
        loop {
            let (c, after) = self.peek();
            match c {
                Ch::Eof => {
                    return Ok(Token {
                        tok: Tok::Eof,
                        span: self.pos..self.pos,
                    })
                }
                Ch::Newline | Ch::Char(' ' | '\t' | '\n') => self.pos = after,
                Ch::Char('#') => {
                    if self.peek_at(after).0 == Ch::Char('#') {
                        return Ok(self.documentation());
                    }
                    self.pos = self.rest_of_line(after);
                }
                Ch::Char(_) => return self.token(),
            }
        }
    }

    /// The offset of the line end (or file end) from `at`.
    fn rest_of_line(&self, mut at: usize) -> usize {
        loop {
            match self.peek_at(at) {
                (Ch::Eof | Ch::Newline | Ch::Char('\n'), _) => return at,
                (_, next) => at = next,
            }
        }
    }

    /// `##` lines (the lexer is at the first `#`), merged while the next line starts with
    /// `##` after blanks.
    fn documentation(&mut self) -> Token {
        let start = self.pos;
        let mut text = String::new();
        let mut at = self.pos;
        loop {
            // at `##`: skip every `#`, then one space
            while self.peek_at(at).0 == Ch::Char('#') {
                at = self.peek_at(at).1;
            }
            if self.peek_at(at).0 == Ch::Char(' ') {
                at = self.peek_at(at).1;
            }
            loop {
                match self.peek_at(at) {
                    (Ch::Eof | Ch::Newline | Ch::Char('\n'), _) => break,
                    (Ch::Char(c), next) => {
                        text.push(c);
                        at = next;
                    }
                }
            }
            let line_end = at;
            // a continuation: line end, blanks, `##`
            let (c, mut next) = self.peek_at(at);
            if !matches!(c, Ch::Newline | Ch::Char('\n')) {
                at = line_end;
                break;
            }
            while matches!(self.peek_at(next).0, Ch::Char(' ' | '\t')) {
                next = self.peek_at(next).1;
            }
            let (h1, n1) = self.peek_at(next);
            if h1 == Ch::Char('#') && self.peek_at(n1).0 == Ch::Char('#') {
                text.push('\n');
                at = next;
            } else {
                at = line_end;
                break;
            }
        }
        self.pos = at;
        Token {
            tok: Tok::Doc(text),
            span: start..at,
        }
    }

    /// A token that starts with a non-blank character.
    fn token(&mut self) -> Result<Token, LexError> {
        let start = self.pos;
        let (c, after) = self.peek();
        let Ch::Char(c) = c else {
            unreachable!("called on a character")
        };
        let punct = |p: P, end: usize| Token {
            tok: Tok::Punct(p),
            span: start..end,
        };
        let next = self.peek_at(after);
        let tok = match c {
            '=' => punct(P::Eq, after),
            '{' => punct(P::LBrace, after),
            '}' => punct(P::RBrace, after),
            '(' => punct(P::LParen, after),
            ')' => punct(P::RParen, after),
            '[' => punct(P::LBracket, after),
            ']' => punct(P::RBracket, after),
            ',' => punct(P::Comma, after),
            '?' => punct(P::Question, after),
            '*' => punct(P::Star, after),
            '+' => punct(P::Plus, after),
            '-' => punct(P::Minus, after),
            '~' => punct(P::Tilde, after),
            '|' if next.0 == Ch::Char('=') => punct(P::OrEq, next.1),
            '|' => punct(P::Pipe, after),
            '&' if next.0 == Ch::Char('=') => punct(P::AndEq, next.1),
            '&' => punct(P::Amp, after),
            '>' if next.0 == Ch::Char('>') => punct(P::Follow, next.1),
            '"' | '\'' => return self.literal(c),
            '\\' => {
                let Some((name, end)) = self.ncname(after) else {
                    return Err(LexError {
                        span: start..after,
                        message: "`\\` must be followed by a name (`\\element` quotes a keyword)"
                            .into(),
                    });
                };
                Token {
                    tok: Tok::Name { name, quoted: true },
                    span: start..end,
                }
            }
            _ => {
                let Some((name, end)) = self.ncname(start) else {
                    return Err(LexError {
                        span: start..after,
                        message: format!("{} cannot start a token here", describe_char(c)),
                    });
                };
                // `prefix:local` or `prefix:*`, written without blanks
                let (colon, past_colon) = self.peek_at(end);
                if colon == Ch::Char(':') {
                    let (star, past_star) = self.peek_at(past_colon);
                    if star == Ch::Char('*') {
                        self.pos = past_star;
                        return Ok(Token {
                            tok: Tok::NsName(name),
                            span: start..past_star,
                        });
                    }
                    if let Some((local, end2)) = self.ncname(past_colon) {
                        self.pos = end2;
                        return Ok(Token {
                            tok: Tok::CName(name, local),
                            span: start..end2,
                        });
                    }
                }
                Token {
                    tok: Tok::Name {
                        name,
                        quoted: false,
                    },
                    span: start..end,
                }
            }
        };
        self.pos = tok.span.end;
        Ok(tok)
    }

    /// The NCName at `at`, if one starts there, and the offset after it.
    fn ncname(&self, at: usize) -> Option<(String, usize)> {
        let (c, mut next) = self.peek_at(at);
        let Ch::Char(c) = c else { return None };
        if !is_name_start(c) {
            return None;
        }
        let mut name = String::new();
        name.push(c);
        loop {
            match self.peek_at(next) {
                (Ch::Char(c), after) if is_name_char(c) => {
                    name.push(c);
                    next = after;
                }
                _ => return Some((name, next)),
            }
        }
    }

    /// A literal segment opened by `quote` (one or three of it).
    fn literal(&mut self, quote: char) -> Result<Token, LexError> {
        let start = self.pos;
        let (_, a1) = self.peek();
        let (c2, a2) = self.peek_at(a1);
        let (c3, a3) = self.peek_at(a2);
        let triple = c2 == Ch::Char(quote) && c3 == Ch::Char(quote);
        let mut at = if triple { a3 } else { a1 };
        let mut value = String::new();
        loop {
            let (c, next) = self.peek_at(at);
            match c {
                Ch::Eof => {
                    let q = quote.to_string().repeat(if triple { 3 } else { 1 });
                    return Err(LexError {
                        span: start..at,
                        message: format!("this literal is never closed (expected `{q}`)"),
                    });
                }
                Ch::Newline if !triple => {
                    return Err(LexError {
                        span: start..at,
                        message: format!(
                            "a line ends inside this literal (only a literal written with three `{quote}` may span lines; `\\x{{A}}` writes a line feed)"
                        ),
                    });
                }
                Ch::Newline => {
                    value.push('\n');
                    at = next;
                }
                Ch::Char(c) if c == quote => {
                    if !triple {
                        at = next;
                        break;
                    }
                    let (d2, n2) = self.peek_at(next);
                    let (d3, n3) = self.peek_at(n2);
                    if d2 == Ch::Char(quote) && d3 == Ch::Char(quote) {
                        at = n3;
                        break;
                    }
                    value.push(c);
                    at = next;
                }
                Ch::Char(c) => {
                    if !is_xml_char(c) {
                        return Err(LexError {
                            span: at..next,
                            message: format!("{} is not a character XML allows", describe_char(c)),
                        });
                    }
                    value.push(c);
                    at = next;
                }
            }
        }
        self.pos = at;
        Ok(Token {
            tok: Tok::Literal(value),
            span: start..at,
        })
    }
}

/// How a message names a character.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

/// Whether `c` may start an NCName (the same classes as [`super::super::lexical::is_ncname`]).
pub(super) fn is_name_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}]$")
            .unwrap_or_else(|_| unreachable!("constant regex"))
    })
    .is_match(c.encode_utf8(&mut [0; 4]))
}

/// Whether `c` may continue an NCName.
pub(super) fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    }
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[\p{Ll}\p{Lu}\p{Lo}\p{Lt}\p{Nl}\p{Mc}\p{Me}\p{Mn}\p{Lm}\p{Nd}\u{B7}]$")
            .unwrap_or_else(|_| unreachable!("constant regex"))
    })
    .is_match(c.encode_utf8(&mut [0; 4]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Tok> {
        check_escapes(text).expect("escapes");
        let mut lx = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().expect("token");
            if t.tok == Tok::Eof {
                return out;
            }
            out.push(t.tok);
        }
    }

    fn name(s: &str) -> Tok {
        Tok::Name {
            name: s.into(),
            quoted: false,
        }
    }

    #[test]
    fn escapes_are_characters_anywhere() {
        assert_eq!(
            tokens("\\x{65}l\\xxxxx{00065}ment\\x{20}foo { empty \\x{7d}"),
            vec![
                name("element"),
                name("foo"),
                Tok::Punct(P::LBrace),
                name("empty"),
                Tok::Punct(P::RBrace)
            ]
        );
        // an escaped backslash quotes the name that follows
        assert_eq!(
            tokens("element \\\\x{66}oo"),
            vec![
                name("element"),
                Tok::Name {
                    name: "foo".into(),
                    quoted: true
                }
            ]
        );
        // `\x{5C}x{5C}` is `\x{5C}`, not `\`: the replacement starts no new escape
        assert_eq!(
            tokens("\"\\x{5C}x{5C}\""),
            vec![Tok::Literal("\\x{5C}".into())]
        );
        for bad in [
            "\"\\x{D800}\"",
            "\"\\x{110000}\"",
            "a \\x{7d",
            "a \\x{7d }",
            "\"\\x{}\"",
        ] {
            assert!(check_escapes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn escaped_line_ends_are_characters_not_newlines() {
        assert_eq!(
            tokens("\"z\\x{D}\\x{A}\""),
            vec![Tok::Literal("z\r\n".into())]
        );
        let mut lx = Lexer::new("\"x\ny\"");
        assert!(lx.next_token().is_err());
        // an escaped carriage return is no separator
        let mut lx = Lexer::new("\\x{D}foo");
        assert!(lx.next_token().is_err());
        // an escaped line feed is one
        assert_eq!(tokens("a\\x{A}b"), vec![name("a"), name("b")]);
        // CR LF and CR are newline markers inside triple-quoted literals
        assert_eq!(
            tokens("'''a\r\nb\rc'''"),
            vec![Tok::Literal("a\nb\nc".into())]
        );
    }

    #[test]
    fn literals_names_and_operators() {
        assert_eq!(
            tokens("\"\"\"\"'\"\"\" ~ '''x''\"\"y'''"),
            vec![
                Tok::Literal("\"'".into()),
                Tok::Punct(P::Tilde),
                Tok::Literal("x''\"\"y".into())
            ]
        );
        assert_eq!(
            tokens("a:b c:* x|=y&=z>>w foo-bar.baz"),
            vec![
                Tok::CName("a".into(), "b".into()),
                Tok::NsName("c".into()),
                name("x"),
                Tok::Punct(P::OrEq),
                name("y"),
                Tok::Punct(P::AndEq),
                name("z"),
                Tok::Punct(P::Follow),
                name("w"),
                name("foo-bar.baz"),
            ]
        );
        assert!(Lexer::new("'abc").next_token().is_err());
        assert!(Lexer::new("\\ x").next_token().is_err());
        assert!(Lexer::new("$").next_token().is_err());
    }

    #[test]
    fn documentation_lines_merge_and_comments_vanish() {
        assert_eq!(
            tokens("## one\n  ##two\n# plain\n## three\n\n## four\n#\n"),
            vec![
                Tok::Doc("one\ntwo".into()),
                Tok::Doc("three".into()),
                Tok::Doc("four".into())
            ]
        );
        assert_eq!(tokens("#### x\n"), vec![Tok::Doc("x".into())]);
        assert_eq!(tokens("# :--:---:-\n#"), vec![]);
    }
}
