//! Choice rules: every comparison operator (and its `*Path` form), the `Is*` tests, `StringMatches` with
//! escapes, and `And`/`Or`/`Not`, evaluated as AWS does (a type mismatch is simply false).

use super::parsed::field;
use super::time::parse_timestamp;
use serde_json::Value;

/// What a rule needs: a way to read a path (`None` when it selects nothing).
pub trait Lookup {
    fn lookup(&mut self, path: &str) -> Result<Option<Value>, String>;
}

const MAX_DEPTH: usize = 64;

/// Evaluate one rule. `Err` carries a States.Runtime message.
pub fn evaluate(rule: &Value, env: &mut dyn Lookup, depth: usize) -> Result<bool, String> {
    if depth > MAX_DEPTH {
        return Err("Choice rule nested too deeply".into());
    }
    if let Some(list) = field(rule, "And").and_then(Value::as_array) {
        for r in list {
            if !evaluate(r, env, depth + 1)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(list) = field(rule, "Or").and_then(Value::as_array) {
        for r in list {
            if evaluate(r, env, depth + 1)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(r) = field(rule, "Not") {
        return Ok(!evaluate(r, env, depth + 1)?);
    }
    let Some(var_path) = field(rule, "Variable").and_then(Value::as_str) else {
        return Err("Choice rule has no Variable".into());
    };
    let value = env.lookup(var_path)?;
    let Some(obj) = rule.as_object() else {
        return Err("Choice rule must be an object".into());
    };
    for (op, expected) in obj {
        if matches!(
            op.as_str(),
            "Variable" | "Next" | "Assign" | "Comment" | "Output"
        ) {
            continue;
        }
        if op == "IsPresent" {
            return Ok(value.is_some() == (expected.as_bool() == Some(true)));
        }
        let Some(v) = &value else {
            return Err(format!(
                "Invalid path '{var_path}': The choice state's condition path references an invalid value."
            ));
        };
        let want = expected.as_bool() == Some(true);
        let test = |b: bool| Ok(b == want);
        match op.as_str() {
            "IsNull" => return test(v.is_null()),
            "IsString" => return test(v.is_string()),
            "IsNumeric" => return test(v.is_number()),
            "IsBoolean" => return test(v.is_boolean()),
            "IsTimestamp" => return test(v.as_str().and_then(parse_timestamp).is_some()),
            _ => {}
        }
        let (base, rhs) = if let Some(base) = op.strip_suffix("Path") {
            let p = expected
                .as_str()
                .ok_or_else(|| format!("{op} must be a path string"))?;
            match env.lookup(p)? {
                Some(x) => (base, x),
                None => {
                    return Err(format!(
                        "Invalid path '{p}': The choice state's condition path references an invalid value."
                    ));
                }
            }
        } else {
            (op.as_str(), expected.clone())
        };
        return Ok(compare(base, v, &rhs));
    }
    Err("Choice rule has no comparison operator".into())
}

fn compare(op: &str, v: &Value, rhs: &Value) -> bool {
    use std::cmp::Ordering::*;
    let ord = match op {
        "StringMatches" => {
            return match (v.as_str(), rhs.as_str()) {
                (Some(s), Some(p)) => string_matches(s, p),
                _ => false,
            };
        }
        "BooleanEquals" => return matches!((v, rhs), (Value::Bool(a), Value::Bool(b)) if a == b),
        o if o.starts_with("String") => match (v.as_str(), rhs.as_str()) {
            (Some(a), Some(b)) => a.cmp(b),
            _ => return false,
        },
        o if o.starts_with("Numeric") => match (v.as_f64(), rhs.as_f64()) {
            (Some(a), Some(b)) if v.is_number() && rhs.is_number() => match a.partial_cmp(&b) {
                Some(o) => o,
                None => return false,
            },
            _ => return false,
        },
        o if o.starts_with("Timestamp") => {
            match (
                v.as_str().and_then(parse_timestamp),
                rhs.as_str().and_then(parse_timestamp),
            ) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => return false,
            }
        }
        _ => return false,
    };
    // As `trim_start_matches` does (every repetition), without building a substring searcher per call.
    let mut suffix = op;
    for p in ["String", "Numeric", "Timestamp"] {
        while let Some(rest) = suffix.strip_prefix(p) {
            suffix = rest;
        }
    }
    match suffix {
        "Equals" => ord == Equal,
        "LessThan" => ord == Less,
        "GreaterThan" => ord == Greater,
        "LessThanEquals" => ord != Greater,
        "GreaterThanEquals" => ord != Less,
        _ => false,
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal `*` and `\\` a literal `\`.
pub fn string_matches(s: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => toks.push(Tok::Lit(it.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Lit(c)),
        }
    }
    let chars: Vec<char> = s.chars().collect();
    // iterative wildcard matching with backtracking to the last star
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < chars.len() {
        match toks.get(j) {
            Some(Tok::Lit(c)) if chars.get(i) == Some(c) => {
                i += 1;
                j += 1;
            }
            Some(Tok::Star) => {
                star = Some((j, i));
                j += 1;
            }
            _ => match star {
                Some((sj, si)) => {
                    j = sj + 1;
                    i = si + 1;
                    star = Some((sj, si + 1));
                }
                None => return false,
            },
        }
    }
    while toks.get(j) == Some(&Tok::Star) {
        j += 1;
    }
    j == toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_with_escapes() {
        for (s, p, want) in [
            ("log-2024.txt", "log-*.txt", true),
            ("log.txt", "log-*.txt", false),
            ("a*b", "a\\*b", true),
            ("axb", "a\\*b", false),
            ("a\\b", "a\\\\b", true),
            ("", "*", true),
            ("abc", "*c*", true),
            ("abc", "a*b*c*d", false),
        ] {
            assert_eq!(string_matches(s, p), want, "{s} ~ {p}");
        }
    }
}
