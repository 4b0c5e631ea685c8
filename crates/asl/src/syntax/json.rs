//! A JSON parser that keeps spans and key order, rejects duplicate keys, and words its errors as AWS does (Jackson's messages).

use super::{MAX_DEPTH, Member, Node, NodeKind, SyntaxError};
use std::borrow::Cow;

const VALUE_LIST: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/// Parse one JSON document. Trailing non-whitespace after the root value is an error.
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    // A byte-order mark is skipped, as Jackson does.
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    let root = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        let ch = p.peek_char();
        p.pos += ch.len_utf8();
        return Err(p.error(format!(
            "Unexpected character ({}): expected EOF",
            char_desc(ch)
        )));
    }
    Ok(root)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_char(&self) -> char {
        self.text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\0')
    }

    /// An error located just after what was consumed (Jackson's convention).
    fn error(&self, message: String) -> SyntaxError {
        let source = source_desc(self.text, self.pos);
        SyntaxError {
            message: format!("{message}\n at {source}"),
            location: source,
            offset: self.pos.min(self.text.len()),
        }
    }

    fn eof_in(&self, what: &str, start: usize) -> SyntaxError {
        let start_marker = source_desc(self.text, start);
        self.error(format!(
            "Unexpected end-of-input: expected close marker for {what} (start marker at {start_marker})"
        ))
    }

    fn unexpected(&mut self, expecting: &str) -> SyntaxError {
        let ch = self.peek_char();
        self.pos += ch.len_utf8();
        self.error(format!(
            "Unexpected character ({}): {expecting}",
            char_desc(ch)
        ))
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!(
                "Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_DEPTH}, from `StreamReadConstraints.getMaxNestingDepth()`)"
            )));
        }
        let start = self.pos;
        match self.peek() {
            None => Err(self.error("Unexpected end-of-input: expected a value".to_string())),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string(false)?;
                Ok(Node::new(NodeKind::String(s), start, self.pos))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b']' | b'}') => Err(self.unexpected("expected a value")),
            Some(b) if b.is_ascii_alphabetic() => self.literal(),
            Some(_) => {
                let msg = format!("expected a valid value {VALUE_LIST}");
                Err(self.unexpected(&msg))
            }
        }
    }

    fn literal(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        let mut end = self.pos;
        for (i, c) in self.text.get(start..).unwrap_or("").char_indices() {
            if c.is_alphanumeric() || c == '_' {
                end = start + i + c.len_utf8();
            } else {
                break;
            }
        }
        let word = self.text.get(start..end).unwrap_or("");
        let kind = match word {
            "true" => NodeKind::Bool(true),
            "false" => NodeKind::Bool(false),
            "null" => NodeKind::Null,
            _ => {
                self.pos = end;
                return Err(self.error(format!(
                    "Unrecognized token '{word}': was expecting {VALUE_LIST}"
                )));
            }
        };
        self.pos = end;
        Ok(Node::new(kind, start, end))
    }

    fn number(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let int_len = self.pos - int_start;
        if int_len == 0 {
            return Err(self
                .unexpected("expected digit (0-9) to follow minus sign, for valid numeric value"));
        }
        if int_len > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(self.error("Invalid numeric value: Leading zeroes not allowed".into()));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == frac {
                return Err(self.unexpected("Decimal point not followed by a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == exp {
                return Err(self.unexpected("Exponent indicator not followed by a digit"));
            }
        }
        if let Some(b) = self.peek()
            && (b.is_ascii_alphabetic() || b == b'_')
        {
            return Err(self.unexpected("Expected space separating root-level values"));
        }
        let raw = Cow::Borrowed(self.text.get(start..self.pos).unwrap_or("0"));
        Ok(Node::new(NodeKind::Number(raw), start, self.pos))
    }

    /// A string (a field name when `name`: Jackson words its end-of-input differently).
    fn string(&mut self, name: bool) -> Result<Cow<'a, str>, SyntaxError> {
        // At the opening quote.
        self.pos += 1;
        // Most strings hold no escape: borrow them from the text.
        let start = self.pos;
        self.pos = plain_run_end(self.bytes, self.pos);
        if self.peek() == Some(b'"') {
            let s = self.text.get(start..self.pos).unwrap_or("");
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            self.pos = plain_run_end(self.bytes, self.pos);
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                None => {
                    return Err(self.error(if name {
                        "Unexpected end-of-input: was expecting closing '\"' for name".into()
                    } else {
                        "Unexpected end-of-input: was expecting closing quote for a string value"
                            .into()
                    }));
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self
                            .error("Unexpected end-of-input in character escape sequence".into()));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&first)
                                && self.bytes.get(self.pos) == Some(&b'\\')
                                && self.bytes.get(self.pos + 1) == Some(&b'u')
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let second = self.hex4()?;
                                if (0xDC00..0xE000).contains(&second) {
                                    let code =
                                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                                    char::from_u32(code).unwrap_or('\u{fffd}')
                                } else {
                                    self.pos = save;
                                    '\u{fffd}'
                                }
                            } else {
                                char::from_u32(first).unwrap_or('\u{fffd}')
                            };
                            out.push(c);
                        }
                        _ => {
                            self.pos -= 1;
                            let ch = self.peek_char();
                            self.pos += ch.len_utf8();
                            return Err(self.error(format!(
                                "Unrecognized character escape {}",
                                char_desc(ch)
                            )));
                        }
                    }
                }
                Some(b) => {
                    self.pos += 1;
                    return Err(self.error(format!(
                        "Illegal unquoted character ((CTRL-CHAR, code {b})): has to be escaped using backslash to be included in string value"
                    )));
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(b) = self.peek() else {
                return Err(
                    self.error("Unexpected end-of-input in character escape sequence".into())
                );
            };
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => {
                    return Err(
                        self.unexpected("expected a hex-digit for character escape sequence")
                    );
                }
            };
            self.pos += 1;
            v = v * 16 + u32::from(d);
        }
        Ok(v)
    }

    fn object(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        let mut seen = crate::validate::FastSet::default();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::new(NodeKind::Object(members), start, self.pos));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting double-quote to start field name"));
                }
            }
            let key_start = self.pos;
            let key = self.string(true)?;
            let key_end = self.pos;
            if is_duplicate(&members, &mut seen, key.clone()) {
                // AWS's parser rejects duplicate keys (Jackson's strict duplicate detection).
                return Err(self.error(format!("Duplicate field '{key}'")));
            }
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(
                        self.unexpected("was expecting a colon to separate field name and value")
                    );
                }
            }
            self.skip_ws();
            if self.peek().is_none() {
                return Err(self.eof_in("Object", start));
            }
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_start,
                key_end,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(NodeKind::Object(members), start, self.pos));
                }
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting comma to separate Object entries"));
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::new(NodeKind::Array(items), start, self.pos));
        }
        loop {
            self.skip_ws();
            if self.peek().is_none() {
                return Err(self.eof_in("Array", start));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(NodeKind::Array(items), start, self.pos));
                }
                None => return Err(self.eof_in("Array", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting comma to separate Array entries"));
                }
            }
        }
    }
}

/// Bytes that end a run of plain string content: the closing quote, a backslash, control characters.
const STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The end of the run of plain string content starting at `pos` (one table lookup per byte).
#[inline]
fn plain_run_end(bytes: &[u8], pos: usize) -> usize {
    let rest = bytes.get(pos..).unwrap_or(&[]);
    pos + rest
        .iter()
        .position(|&b| STOPS[usize::from(b)])
        .unwrap_or(rest.len())
}

/// Whether `key` is already a member (a set takes over from the linear scan for big objects).
fn is_duplicate<'a>(
    members: &[Member<'a>],
    seen: &mut crate::validate::FastSet<Cow<'a, str>>,
    key: Cow<'a, str>,
) -> bool {
    const SCAN: usize = 16;
    if members.len() < SCAN {
        return members.iter().any(|m| m.key == key);
    }
    if seen.is_empty() {
        seen.extend(members.iter().map(|m| m.key.clone()));
    }
    !seen.insert(key)
}

/// Jackson's description of a character: `'x' (code 120)`, `(CTRL-CHAR, code 10)`.
fn char_desc(ch: char) -> String {
    let code = ch as u32;
    if ch.is_control() && code < 0x20 {
        format!("(CTRL-CHAR, code {code})")
    } else if code > 255 {
        format!("'{ch}' (code {code} / 0x{code:x})")
    } else {
        format!("'{ch}' (code {code})")
    }
}

/// Jackson's `[Source: (String)"..."; line: L, column: C]` for byte offset `offset`.
fn source_desc(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .unwrap_or("")
        .encode_utf16()
        .count()
        + 1;
    const MAX: usize = 500;
    let total = text.chars().count();
    let content = if total > MAX {
        let head: String = text.chars().take(MAX).collect();
        format!("\"{head}\"[truncated {} chars]", total - MAX)
    } else {
        format!("\"{text}\"")
    };
    format!("[Source: (String){content}; line: {line}, column: {column}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().message
    }

    #[test]
    fn aws_message_for_a_bare_word() {
        assert_eq!(
            err("not a definition"),
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]"
        );
        assert_eq!(
            parse("not a definition").unwrap_err().location,
            "[Source: (String)\"not a definition\"; line: 1, column: 4]"
        );
    }

    #[test]
    fn jackson_style_messages() {
        let cases = [
            (
                "{\"a\" 1}",
                "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
            ),
            (
                "{\"a\":1 \"b\":2}",
                "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
            ),
            (
                "{\"a\":1,}",
                "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
            ),
            (
                "[1 2]",
                "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries",
            ),
            (
                "{\"a\":}",
                "Unexpected character ('}' (code 125)): expected a value",
            ),
            (
                "{\"a\":tru}",
                "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            ),
            (
                "\"a\nb\"",
                "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value",
            ),
            ("\"\\q\"", "Unrecognized character escape 'q' (code 113)"),
            (
                "{\"ab",
                "Unexpected end-of-input: was expecting closing '\"' for name",
            ),
            (
                "{\"a\": \"b",
                "Unexpected end-of-input: was expecting closing quote for a string value",
            ),
            (
                "{\"a\":1",
                "Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)\"{\"a\":1\"; line: 1, column: 1])",
            ),
        ];
        for (text, want) in cases {
            let got = err(text);
            assert!(got.starts_with(want), "{text:?}: {got}");
        }
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = parse("{\"A\": 1, \"A\": 2}").unwrap_err();
        assert_eq!(
            e.location,
            "[Source: (String)\"{\"A\": 1, \"A\": 2}\"; line: 1, column: 13]"
        );
        assert!(e.message.starts_with("Duplicate field 'A'\n at "));
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k7\": 0}}", many.join(", "));
        assert!(
            parse(&text)
                .unwrap_err()
                .message
                .starts_with("Duplicate field 'k7'")
        );
        assert!(parse(&format!("{{{}}}", many.join(", "))).is_ok());
    }

    #[test]
    fn spans_and_values() {
        let text = "{\n  \"A\": [1, \"x\\u00e9\", {\"k\": null}],\n  \"B\": false\n}";
        let node = parse(text).unwrap();
        let members = node.members();
        assert_eq!(members.len(), 2);
        assert_eq!(node.get("B").and_then(Node::as_bool), Some(false));
        let first = &members[0].value;
        assert_eq!(
            &text[first.start..first.end],
            "[1, \"x\\u00e9\", {\"k\": null}]"
        );
        assert_eq!(first.items()[1].as_str(), Some("xé"));
        assert_eq!(&text[members[0].key_start..members[0].key_end], "\"A\"");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(5000);
        assert!(err(&text).starts_with("Document nesting depth (1001)"));
    }

    #[test]
    fn surrogate_pairs_and_truncated_source() {
        let node = parse("\"\\ud83d\\ude00\"").unwrap();
        assert_eq!(node.as_str(), Some("😀"));
        let long = format!("{{\"a\": {}", "1".repeat(600));
        let e = parse(&long).unwrap_err();
        assert!(
            e.location.contains("[truncated 106 chars]"),
            "{}",
            e.location
        );
    }
}
