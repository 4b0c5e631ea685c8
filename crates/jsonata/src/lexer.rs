//! The tokenizer: turns expression text into tokens one at a time (positions count characters).

use crate::Error;
use crate::regex::JsRegex;
use std::rc::Rc;

/// What a lone UTF-16 surrogate in a string literal decodes to.
pub const LONE_SURROGATE: char = '\u{FFFF}';

/// A token's payload.
#[derive(Debug, Clone)]
pub enum Tok {
    Name(Rc<str>),
    Variable(Rc<str>),
    Operator(&'static str),
    Str(Rc<str>),
    Num(f64),
    Bool(bool),
    Null,
    Regex(Rc<JsRegex>),
}

/// A token and the character position just after it was scanned (like the reference).
#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub position: usize,
}

const OPERATORS: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
    "=", "<", ">", "^", "&", "!", "~",
];

fn single_op(c: char) -> Option<&'static str> {
    OPERATORS.iter().find(|op| op.starts_with(c)).copied()
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}')
}

/// The tokenizer state.
pub struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    /// A tokenizer over `src`.
    pub fn new(src: &str) -> Lexer {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    /// Length of the source in characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn tok(&self, tok: Tok) -> Token {
        Token {
            tok,
            position: self.pos,
        }
    }

    fn scan_regex(&mut self) -> Result<Rc<JsRegex>, crate::EvalError> {
        let start = self.pos;
        let mut depth: i32 = 0;
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            if c == '/' && depth == 0 {
                let mut bs = 0;
                while self.pos > bs && self.at(self.pos - bs - 1) == Some('\\') {
                    bs += 1;
                }
                if bs % 2 == 0 {
                    let pattern: String = self.chars[start..self.pos].iter().collect();
                    if pattern.is_empty() {
                        return Err(Error::new("S0301").pos(self.pos));
                    }
                    self.pos += 1;
                    let fstart = self.pos;
                    while matches!(self.at(self.pos), Some('i' | 'm')) {
                        self.pos += 1;
                    }
                    let flags: String = self.chars[fstart..self.pos].iter().collect();
                    return JsRegex::new(&pattern, &flags)
                        .map(Rc::new)
                        .map_err(|e| e.pos(start));
                }
            }
            let prev_bs = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if matches!(c, '(' | '[' | '{') && !prev_bs {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !prev_bs {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(Error::new("S0302").pos(self.pos))
    }

    /// The next token, or `None` at the end. `prefix` is true where `/` means division.
    pub fn next(&mut self, prefix: bool) -> Result<Option<Token>, crate::EvalError> {
        loop {
            while self.pos < self.chars.len() && is_ws(self.chars[self.pos]) {
                self.pos += 1;
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos >= self.chars.len() {
                        return Err(Error::new("S0106").pos(start));
                    }
                    if self.at(self.pos) == Some('*') && self.at(self.pos + 1) == Some('/') {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let Some(c) = self.at(self.pos) else {
            return Ok(None);
        };
        if !prefix && c == '/' {
            self.pos += 1;
            let re = self.scan_regex()?;
            return Ok(Some(self.tok(Tok::Regex(re))));
        }
        let c2 = self.at(self.pos + 1);
        let two = match (c, c2) {
            ('.', Some('.')) => Some(".."),
            (':', Some('=')) => Some(":="),
            ('!', Some('=')) => Some("!="),
            ('>', Some('=')) => Some(">="),
            ('<', Some('=')) => Some("<="),
            ('*', Some('*')) => Some("**"),
            ('~', Some('>')) => Some("~>"),
            _ => None,
        };
        if let Some(op) = two {
            self.pos += 2;
            return Ok(Some(self.tok(Tok::Operator(op))));
        }
        if let Some(op) = single_op(c) {
            self.pos += 1;
            return Ok(Some(self.tok(Tok::Operator(op))));
        }
        if c == '"' || c == '\'' {
            return self.scan_string(c).map(Some);
        }
        if let Some(len) = self.number_len() {
            let text: String = self.chars[self.pos..self.pos + len].iter().collect();
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() => {
                    self.pos += len;
                    return Ok(Some(self.tok(Tok::Num(n))));
                }
                _ => return Err(Error::new("S0102").pos(self.pos).token(&text)),
            }
        }
        if c == '`' {
            self.pos += 1;
            let start = self.pos;
            while self.pos < self.chars.len() {
                if self.chars[self.pos] == '`' {
                    let name: String = self.chars[start..self.pos].iter().collect();
                    self.pos += 1;
                    return Ok(Some(self.tok(Tok::Name(name.into()))));
                }
                self.pos += 1;
            }
            return Err(Error::new("S0105").pos(self.pos));
        }
        let mut i = self.pos;
        while i < self.chars.len() {
            let ch = self.chars[i];
            if is_ws(ch) || single_op(ch).is_some() {
                break;
            }
            i += 1;
        }
        if c == '$' {
            let name: String = self.chars[self.pos + 1..i].iter().collect();
            self.pos = i;
            return Ok(Some(self.tok(Tok::Variable(name.into()))));
        }
        let name: String = self.chars[self.pos..i].iter().collect();
        self.pos = i;
        let tok = match name.as_str() {
            "or" => Tok::Operator("or"),
            "in" => Tok::Operator("in"),
            "and" => Tok::Operator("and"),
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            "null" => Tok::Null,
            "" => return Ok(None),
            _ => Tok::Name(name.into()),
        };
        Ok(Some(self.tok(tok)))
    }

    fn number_len(&self) -> Option<usize> {
        // -?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?
        let mut i = self.pos;
        if self.at(i) == Some('-') {
            i += 1;
        }
        match self.at(i) {
            Some('0') => i += 1,
            Some('1'..='9') => {
                while matches!(self.at(i), Some('0'..='9')) {
                    i += 1;
                }
            }
            _ => return None,
        }
        if self.at(i) == Some('.') && matches!(self.at(i + 1), Some('0'..='9')) {
            i += 1;
            while matches!(self.at(i), Some('0'..='9')) {
                i += 1;
            }
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) {
                j += 1;
            }
            if matches!(self.at(j), Some('0'..='9')) {
                while matches!(self.at(j), Some('0'..='9')) {
                    j += 1;
                }
                i = j;
            }
        }
        Some(i - self.pos)
    }

    fn scan_string(&mut self, quote: char) -> Result<Token, crate::EvalError> {
        self.pos += 1;
        let mut units: Vec<u16> = Vec::new();
        let mut buf = [0u16; 2];
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            if c == '\\' {
                self.pos += 1;
                let Some(e) = self.at(self.pos) else { break };
                let simple = match e {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                if let Some(s) = simple {
                    units.extend_from_slice(s.encode_utf16(&mut buf));
                } else if e == 'u' {
                    let hex: String = self.chars.iter().skip(self.pos + 1).take(4).collect();
                    if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        let cp = u16::from_str_radix(&hex, 16).unwrap_or(0);
                        units.push(cp);
                        self.pos += 4;
                    } else {
                        return Err(Error::new("S0104").pos(self.pos));
                    }
                } else {
                    return Err(Error::new("S0103").pos(self.pos).token(&e.to_string()));
                }
            } else if c == quote {
                self.pos += 1;
                // A lone surrogate cannot live in a Rust string: it becomes the noncharacter
                // U+FFFF, which the URL encoders reject as JavaScript rejects lone surrogates.
                let s: String = char::decode_utf16(units.iter().copied())
                    .map(|r| r.unwrap_or(LONE_SURROGATE))
                    .collect();
                return Ok(self.tok(Tok::Str(s.into())));
            } else {
                units.extend_from_slice(c.encode_utf16(&mut buf));
            }
            self.pos += 1;
        }
        Err(Error::new("S0101").pos(self.pos))
    }
}
