//! JavaScript regular expressions: syntax translation and matching. Patterns run on `fancy-regex`,
//! which hands plain patterns to the linear-time `regex` crate and backtracks only for JS's lookahead,
//! lookbehind and backreferences; a backtracking run past its limit is U1001, never a hang.

use crate::Error;

/// A compiled JSONata regex literal.
#[derive(Debug)]
pub struct JsRegex {
    pub source: String,
    re: fancy_regex::Regex,
}

/// One match: byte offsets and the capture groups (`None` = not participating).
#[derive(Debug, Clone)]
pub struct RegexMatch {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub groups: Vec<Option<String>>,
}

/// Length of a `{n}`, `{n,}` or `{n,m}` quantifier starting at `i`, if one is there.
fn quantifier_len(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let digits = |j: &mut usize| {
        let start = *j;
        while chars.get(*j).is_some_and(|c| c.is_ascii_digit()) {
            *j += 1;
        }
        *j > start
    };
    if !digits(&mut j) {
        return None;
    }
    if chars.get(j) == Some(&',') {
        j += 1;
        digits(&mut j);
    }
    (chars.get(j) == Some(&'}')).then_some(j + 1 - i)
}

/// Translate JS regex syntax to the `regex` crate's.
fn translate(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&n) = chars.get(i + 1) else {
                out.push_str("\\\\");
                break;
            };
            i += 2;
            match n {
                'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                'D' => out.push_str("[^0-9]"),
                'w' => out.push_str(if in_class {
                    "0-9A-Za-z_"
                } else {
                    "[0-9A-Za-z_]"
                }),
                'W' => out.push_str("[^0-9A-Za-z_]"),
                'u' => {
                    let hex: String = chars.iter().skip(i).take(4).collect();
                    if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        out.push_str(&format!("\\x{{{hex}}}"));
                        i += 4;
                    } else {
                        out.push('u');
                    }
                }
                '0' if !chars.get(i).is_some_and(|c| c.is_ascii_digit()) => out.push_str("\\x00"),
                // escapes both dialects share (backreferences \1-\9 included)
                's' | 'S' | 'b' | 'B' | 'n' | 'r' | 't' | 'f' | 'v' | 'x' | '1'..='9' => {
                    out.push('\\');
                    out.push(n);
                }
                // a named backreference `\k<name>`
                'k' if chars.get(i) == Some(&'<') => out.push_str("\\k"),
                // identity escapes of letters (JS without the u flag): the letter itself
                c if c.is_alphanumeric() => out.push(c),
                c => out.push_str(&regex::escape(&c.to_string())),
            }
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            } else if matches!(c, '[' | '&' | '~') {
                // nested classes and set operators (`&&`, `~~`) are literal in JS classes
                out.push('\\');
            }
            out.push(c);
        } else if c == '[' {
            in_class = true;
            out.push(c);
            if chars.get(i + 1) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            if chars.get(i + 1) == Some(&']') {
                out.push_str("\\]");
                i += 1;
            }
        } else if c == '{' {
            // a brace that does not start a quantifier is a literal in JS
            match quantifier_len(&chars, i) {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
                None => out.push_str("\\{"),
            }
        } else if c == '}' {
            out.push_str("\\}");
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

impl JsRegex {
    /// Compile a pattern with JS flags (`i`, `m`).
    pub fn new(pattern: &str, flags: &str) -> Result<JsRegex, crate::EvalError> {
        let mut translated = String::new();
        for (flag, inline) in [('i', "(?i)"), ('m', "(?m)")] {
            if flags.contains(flag) {
                translated.push_str(inline);
            }
        }
        translated.push_str(&translate(pattern));
        let re = fancy_regex::Regex::new(&translated).map_err(|e| {
            Error::new("S0303").value_str(&format!(
                "/{pattern}/: {}",
                e.to_string().lines().last().unwrap_or("")
            ))
        })?;
        Ok(JsRegex {
            source: pattern.to_string(),
            re,
        })
    }

    /// The first match at or after byte offset `from`; U1001 when a backtracking pattern exceeds
    /// its step limit (catastrophic backtracking) instead of running on.
    pub fn exec(&self, text: &str, from: usize) -> Result<Option<RegexMatch>, crate::EvalError> {
        if from > text.len() || !text.is_char_boundary(from) {
            return Ok(None);
        }
        let caps = match self.re.captures_from_pos(text, from) {
            Ok(Some(caps)) => caps,
            Ok(None) => return Ok(None),
            Err(e) => {
                return Err(Error::new("U1001").value_str(&format!("/{}/: {e}", self.source)));
            }
        };
        let Some(m) = caps.get(0) else {
            return Ok(None);
        };
        let groups = (1..caps.len())
            .map(|i| caps.get(i).map(|g| g.as_str().to_string()))
            .collect();
        Ok(Some(RegexMatch {
            start: m.start(),
            end: m.end(),
            text: m.as_str().to_string(),
            groups,
        }))
    }
}

/// Number of UTF-16 code units in `s` (JavaScript string index).
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::JsRegex;

    fn matches(pattern: &str, flags: &str, text: &str) -> Vec<String> {
        let re = JsRegex::new(pattern, flags).unwrap_or_else(|e| panic!("{pattern}: {e:?}"));
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = re.exec(text, from).unwrap() {
            out.push(m.text.clone());
            from = if m.end > m.start { m.end } else { m.end + 1 };
            if from > text.len() {
                break;
            }
        }
        out
    }

    #[test]
    fn javascript_lookaround_and_backreferences() {
        assert_eq!(matches(r"\d+(?=px)", "", "10px 20em 30px"), ["10", "30"]);
        assert_eq!(matches(r"\b\w+(?!ing\b)\b", "", "sing"), ["sing"]);
        assert_eq!(matches(r"(?<=\$)\d+", "", "cost $42 or 7"), ["42"]);
        assert_eq!(matches(r"(?<!-)\b\d+", "", "-3 4 -5 6"), ["4", "6"]);
        assert_eq!(matches(r"(\w)\1", "", "book keeper"), ["oo", "ee"]);
        assert_eq!(
            matches(r#"(?<q>['"]).*?\k<q>"#, "", r#"say "hi" and 'yo'"#),
            ["\"hi\"", "'yo'"]
        );
        assert_eq!(matches(r"^b", "im", "a\nB"), ["B"]);
    }

    #[test]
    fn catastrophic_backtracking_is_u1001_not_a_hang() {
        let re = JsRegex::new(r"(a+)+\1$", "").unwrap();
        let text = format!("{}b", "a".repeat(40));
        let err = re.exec(&text, 0).unwrap_err();
        assert_eq!(err.code, "U1001", "{err:?}");
    }
}
