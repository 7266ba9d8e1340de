//! The XML Schema 1.0 regular-expression dialect (Part 2, appendix F) translated to the
//! `regex` crate: whole-value match, character-class subtraction `[a-z-[aeiou]]`, `\i \I \c \C`
//! (XML name characters), `\d \w \s` with their XSD meanings, `\p{L}` categories and
//! `\p{IsBasicLatin}` blocks, `^` and `$` as ordinary characters, `.` excluding LF and CR.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

use super::blocks;
use super::xmlchars::{NCNAME_CHAR_CLASS, NCNAME_START_CLASS};

/// A compiled XSD `pattern`: matches whole values.
#[derive(Debug, Clone)]
pub struct XsdRegex {
    source: String,
    regex: Regex,
}

impl XsdRegex {
    /// Translates and compiles an XSD regular expression; `Err` says what is wrong and where.
    ///
    /// Compiled expressions are shared through a process-wide cache: a schema such as
    /// `tei_all` repeats a dozen patterns hundreds of times, and compiling one costs
    /// milliseconds.
    pub fn new(source: &str) -> Result<XsdRegex, String> {
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(regex) = cache.lock().ok().and_then(|c| c.get(source).cloned()) {
            return Ok(XsdRegex {
                source: source.to_string(),
                regex,
            });
        }
        let translated = translate(source)?;
        let regex = regex::RegexBuilder::new(&translated)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => {
                    format!("the pattern {source} is too large to compile")
                }
                e => format!("the pattern {source} does not compile: {e}"),
            })?;
        if let Ok(mut c) = cache.lock() {
            c.insert(source.to_string(), regex.clone());
        }
        Ok(XsdRegex {
            source: source.to_string(),
            regex,
        })
    }

    /// True when the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    /// The XSD source of the pattern.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Compiled patterns by XSD source, shared by every schema in the process.
static CACHE: OnceLock<Mutex<HashMap<String, Regex>>> = OnceLock::new();

/// Repetition counts at or above this are treated as unbounded (no value that long exists).
const HUGE: u64 = 1 << 31;

/// Translates an XSD regular expression into an anchored `regex` crate expression.
pub fn translate(source: &str) -> Result<String, String> {
    let mut p = Parser {
        chars: source.chars().collect(),
        pos: 0,
    };
    let (body, _) = p.reg_exp()?;
    if p.pos < p.chars.len() {
        return Err(p.error(&format!("unexpected '{}'", p.chars[p.pos])));
    }
    Ok(format!(r"\A(?:{body})\z"))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Writes `c` so that the `regex` crate reads it literally, in or outside a class.
fn literal(out: &mut String, c: char) {
    if c.is_alphanumeric() || !c.is_ascii() && !c.is_whitespace() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    }
}

const CATEGORIES: &[&str] = &[
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So", "C",
    "Cc", "Cf", "Co", "Cn",
];

impl Parser {
    fn error(&self, msg: &str) -> String {
        let src: String = self.chars.iter().collect();
        format!("invalid pattern {src}: {msg} at character {}", self.pos + 1)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// regExp ::= branch ('|' branch)*; returns the translation and whether it matches "".
    fn reg_exp(&mut self) -> Result<(String, bool), String> {
        let (mut out, mut nullable) = self.branch()?;
        while self.eat('|') {
            let (b, n) = self.branch()?;
            out.push('|');
            out.push_str(&b);
            nullable |= n;
        }
        Ok((out, nullable))
    }

    fn branch(&mut self) -> Result<(String, bool), String> {
        let mut out = String::new();
        let mut nullable = true;
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let (atom, n) = self.atom()?;
            let (piece, n) = self.quantified(atom, n)?;
            out.push_str(&piece);
            nullable &= n;
        }
        Ok((out, nullable))
    }

    fn atom(&mut self) -> Result<(String, bool), String> {
        let c = self.peek().ok_or_else(|| self.error("expected an atom"))?;
        match c {
            '(' => {
                self.pos += 1;
                let (inner, n) = self.reg_exp()?;
                if !self.eat(')') {
                    return Err(self.error("missing ')'"));
                }
                Ok((format!("(?:{inner})"), n))
            }
            '[' => {
                self.pos += 1;
                let class = self.class_expr()?;
                Ok((class, false))
            }
            '.' => {
                self.pos += 1;
                Ok((r"[^\n\r]".to_string(), false))
            }
            '\\' => {
                self.pos += 1;
                Ok((self.escape(false)?, false))
            }
            '?' | '*' | '+' | '{' | '}' | ']' | ')' => {
                Err(self.error(&format!("'{c}' must be escaped as \\{c} here")))
            }
            _ => {
                self.pos += 1;
                let mut s = String::new();
                literal(&mut s, c);
                Ok((s, false))
            }
        }
    }

    fn quantified(&mut self, atom: String, nullable: bool) -> Result<(String, bool), String> {
        let q = match self.peek() {
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('{') => {
                self.pos += 1;
                let min = self
                    .count()?
                    .ok_or_else(|| self.error("expected a number after '{'"))?;
                let max = if self.eat(',') {
                    self.count()?
                } else {
                    Some(min)
                };
                if !self.eat('}') {
                    return Err(self.error("expected '}' (quantifiers are {n}, {n,} or {n,m})"));
                }
                if let Some(m) = max {
                    if m < min {
                        return Err(
                            self.error(&format!("{{{min},{m}}}: the maximum is below the minimum"))
                        );
                    }
                }
                (min, max)
            }
            _ => return Ok((atom, nullable)),
        };
        if let Some(c @ ('?' | '*' | '+' | '{')) = self.peek() {
            return Err(self.error(&format!("'{c}' cannot follow a quantifier")));
        }
        let (min, max) = q;
        let group = format!("(?:{atom})");
        let min_huge = min >= HUGE;
        let max = max.filter(|&m| m < HUGE);
        if min_huge {
            // No value is 2^31 characters long: only an atom that matches "" can repeat so often.
            return Ok(if nullable {
                (format!("{group}*"), true)
            } else {
                (r"[^\s\S]".to_string(), false)
            });
        }
        let out = match (min, max) {
            (0, Some(1)) => format!("{group}?"),
            (0, None) => format!("{group}*"),
            (1, None) => format!("{group}+"),
            (n, None) => format!("{group}{{{n},}}"),
            (n, Some(m)) if n == m => format!("{group}{{{n}}}"),
            (n, Some(m)) => format!("{group}{{{n},{m}}}"),
        };
        Ok((out, nullable || min == 0))
    }

    /// Digits of a quantifier (none = `Ok(None)`).
    fn count(&mut self) -> Result<Option<u64>, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return Ok(None);
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        Ok(Some(digits.parse::<u64>().unwrap_or(u64::MAX)))
    }

    /// After a backslash: a single-character, multi-character or category escape.
    fn escape(&mut self, in_class: bool) -> Result<String, String> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("a backslash at the end"))?;
        self.pos += 1;
        let mut out = String::new();
        match c {
            'n' => out.push_str(r"\n"),
            'r' => out.push_str(r"\r"),
            't' => out.push_str(r"\t"),
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => {
                literal(&mut out, c)
            }
            's' => out.push_str(r"[\x{20}\t\n\r]"),
            'S' => out.push_str(r"[^\x{20}\t\n\r]"),
            'i' => {
                let _ = write!(out, "[:{}]", *NCNAME_START_CLASS);
            }
            'I' => {
                let _ = write!(out, "[^:{}]", *NCNAME_START_CLASS);
            }
            'c' => {
                let _ = write!(out, "[:{}]", *NCNAME_CHAR_CLASS);
            }
            'C' => {
                let _ = write!(out, "[^:{}]", *NCNAME_CHAR_CLASS);
            }
            'd' => out.push_str(r"\p{Nd}"),
            'D' => out.push_str(r"\P{Nd}"),
            'w' => out.push_str(r"[^\p{P}\p{Z}\p{C}]"),
            'W' => out.push_str(r"[\p{P}\p{Z}\p{C}]"),
            'p' | 'P' => {
                if !self.eat('{') {
                    return Err(self.error(&format!("\\{c} must be followed by {{name}}")));
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '}') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if !self.eat('}') {
                    return Err(self.error("missing '}' after a property name"));
                }
                let negate = c == 'P';
                if let Some(block) = name.strip_prefix("Is") {
                    let ranges = blocks::block(block)
                        .ok_or_else(|| self.error(&format!("unknown Unicode block \"{block}\"")))?;
                    out.push_str(if negate { "[^" } else { "[" });
                    for (a, b) in ranges {
                        let _ = write!(out, "\\x{{{a:X}}}-\\x{{{b:X}}}");
                    }
                    out.push(']');
                } else if CATEGORIES.contains(&name.as_str()) {
                    let _ = write!(out, "\\{c}{{{name}}}");
                } else {
                    return Err(self.error(&format!("unknown character property \"{name}\"")));
                }
            }
            _ => {
                let _ = in_class;
                return Err(self.error(&format!("unknown escape \\{c}")));
            }
        }
        Ok(out)
    }

    /// After '[': charGroup ']' with optional subtraction; returns a `regex` class.
    fn class_expr(&mut self) -> Result<String, String> {
        let negated = self.eat('^');
        let mut items = String::new();
        let mut count = 0;
        let mut subtraction = None;
        loop {
            let c = self.peek().ok_or_else(|| self.error("missing ']'"))?;
            match c {
                ']' => {
                    if count == 0 {
                        return Err(self.error("an empty character class"));
                    }
                    self.pos += 1;
                    break;
                }
                '[' => return Err(self.error("'[' must be escaped as \\[ in a class")),
                '-' if self.chars.get(self.pos + 1) == Some(&'[') => {
                    if count == 0 {
                        return Err(self.error("a subtraction needs something to subtract from"));
                    }
                    self.pos += 2;
                    subtraction = Some(self.class_expr()?);
                    if !self.eat(']') {
                        return Err(self.error("a subtraction must end the class"));
                    }
                    break;
                }
                _ => {
                    self.class_item(&mut items, count == 0)?;
                    count += 1;
                }
            }
        }
        let base = format!("[{}{items}]", if negated { "^" } else { "" });
        Ok(match subtraction {
            Some(sub) => format!("[{base}--{sub}]"),
            None => base,
        })
    }

    /// One charRange or charClassEsc.
    fn class_item(&mut self, out: &mut String, first: bool) -> Result<(), String> {
        let start_pos = self.pos;
        let c = self.chars[self.pos];
        let single = if c == '\\' {
            self.pos += 1;
            let e = self
                .peek()
                .ok_or_else(|| self.error("a backslash at the end"))?;
            if matches!(
                e,
                's' | 'S' | 'i' | 'I' | 'c' | 'C' | 'd' | 'D' | 'w' | 'W' | 'p' | 'P'
            ) {
                out.push_str(&self.escape(true)?);
                return Ok(());
            }
            let text = self.escape(true)?;
            Some(match e {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => e,
            })
            .map(|ch| (ch, text))
        } else {
            self.pos += 1;
            if c == '-' && !first && self.peek() != Some(']') {
                self.pos = start_pos;
                return Err(self.error("'-' must be escaped as \\- here"));
            }
            Some((c, String::new()))
        };
        let Some((lo, _)) = single else {
            return Ok(());
        };
        // a range?
        if self.peek() == Some('-')
            && self
                .chars
                .get(self.pos + 1)
                .is_some_and(|&n| n != ']' && n != '[')
        {
            self.pos += 1;
            let hc = self.chars[self.pos];
            let hi = if hc == '\\' {
                self.pos += 1;
                let e = self
                    .peek()
                    .ok_or_else(|| self.error("a backslash at the end"))?;
                self.pos += 1;
                match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '['
                    | ']' | '^' => e,
                    _ => return Err(self.error(&format!("\\{e} cannot end a range"))),
                }
            } else {
                if hc == '[' {
                    return Err(self.error("'[' must be escaped as \\[ in a class"));
                }
                self.pos += 1;
                hc
            };
            if hi < lo {
                return Err(self.error(&format!("the range {lo}-{hi} is reversed")));
            }
            literal(out, lo);
            out.push('-');
            literal(out, hi);
        } else {
            literal(out, lo);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, s: &str) -> bool {
        XsdRegex::new(re)
            .unwrap_or_else(|e| panic!("{re}: {e}"))
            .is_match(s)
    }

    #[test]
    fn whole_value_and_literals() {
        assert!(m("xyzzy", "xyzzy"));
        assert!(!m("xyzzy", "xyzzyy"));
        assert!(!m("xyzzy", " xyzzy"));
        assert!(m("$", "$"));
        assert!(m("^", "^"));
        assert!(m("-", "-"));
        assert!(m("a|b", "b"));
        assert!(m("|", ""));
        assert!(!m("|", "|"));
        assert!(m("", ""));
        assert!(!m("", "x"));
        assert!(m(
            r#"~!@#$%\^&\*\(\)_\+`\-=\{\}\[\]\|\\:;"',\.<>/\?"#,
            r#"~!@#$%^&*()_+`-={}[]|\:;"',.<>/?"#
        ));
    }

    #[test]
    fn dot_and_escapes() {
        assert!(m(".", "."));
        assert!(m(".", "\u{10330}"));
        assert!(!m(".", "\n"));
        assert!(!m(".", "\r"));
        assert!(!m(".", ".."));
        assert!(m(r"\d+", "0123٣"));
        assert!(m(r"\s\S", " x"));
        assert!(m(r"\w", "é"));
        assert!(!m(r"\w", "."));
        assert!(m(r"\i\c*", "_a.b-c:d"));
        assert!(m(r"\i", "\u{212E}"));
        assert!(!m(r"\i", "\u{10000}"));
        assert!(!m(r"\i", "1"));
        assert!(m(r"\p{Lu}\P{Lu}", "Ab"));
        assert!(m(r"\p{IsGothic}", "\u{1034F}"));
        assert!(!m(r"\p{IsGothic}", "\u{10350}"));
        assert!(m(r"\P{IsGothic}", "\u{20330}"));
        assert!(m(r"\p{IsBasicLatin}+", "abc"));
    }

    #[test]
    fn classes() {
        assert!(m("[a-z-[c-y]]", "b"));
        assert!(!m("[a-z-[c-y]]", "d"));
        assert!(m("[abc-[a-a]]", "c"));
        assert!(!m("[abc-[a-a]]", "a"));
        assert!(m("[f&&g]", "&"));
        assert!(m("[^^]", "x"));
        assert!(!m("[^^]", "^"));
        assert!(m("[?+*(){}|.]", "{"));
        assert!(m("[a-]", "-"));
        assert!(m("[-a]", "-"));
        assert!(m(r"[\p{Nd}-[a-z]]", "5"));
        assert!(m(r"[\d\s]+", "1 2"));
        assert!(!m("a[\u{10330}-[\u{10330}]]*b", "a\u{10330}b"));
        assert!(m("a[\u{10330}-[\u{10330}]]*b", "ab"));
        assert!(m("[^a-z-[aeiou]]", "1"));
        assert!(!m("[^a-z-[aeiou]]", "a"));
        assert!(m(r"[\-\[\]]+", "-[]"));
    }

    #[test]
    fn quantifiers() {
        assert!(m("x{1,1}", "x"));
        assert!(m("x{2,}", "xxx"));
        assert!(m("(ab){2}", "abab"));
        assert!(!m("x{2147483648}", "x"));
        assert!(m("x{0,2147483648}", "x"));
        assert!(m("(x?){2147483648}", ""));
    }

    #[test]
    fn incorrect() {
        for bad in [
            "a??",
            "\\",
            "?",
            "*",
            "+",
            "(",
            "[",
            "]",
            ")",
            "[^]",
            "[]",
            "[]]",
            "[[]",
            "[\\]",
            "x{2,1}",
            "x{1, 2}",
            "x{ 2}",
            "x{2 }",
            "x{-0,1}",
            "x{+2}",
            "[a-[a]-[a]]",
            "\\pL",
            "\\p{IsHighSurrogates}",
            "\\p{IsHighPrivateUseSurrogates}",
            "\\p{IsLowSurrogates}",
            "x{2147483649,2147483648}",
            "[z-a]",
            "\\q",
            "{",
            "x{",
            "\\p{Foo}",
        ] {
            assert!(translate(bad).is_err(), "{bad} should be rejected");
        }
        let e = translate("[z-a]").unwrap_err();
        assert!(e.contains("reversed"), "{e}");
    }
}
