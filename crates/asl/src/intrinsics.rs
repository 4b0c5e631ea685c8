//! The 18 intrinsic functions of JSONPath states (`States.Format(...)`, `States.Hash(...)`, ...): parsing with
//! AWS's arity rules and evaluation with AWS's argument rules (failures become `States.IntrinsicFailure`).

use crate::jsonpath::{self, JsonPath};
use serde_json::{Number, Value};
use std::fmt;

/// AWS allows intrinsic functions nested up to this many levels within one field.
pub const MAX_NESTING: usize = 10;

/// Every intrinsic function AWS defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Function {
    /// All functions, in AWS's documentation order.
    pub const ALL: [Function; 18] = [
        Function::Format,
        Function::StringToJson,
        Function::JsonToString,
        Function::Array,
        Function::ArrayPartition,
        Function::ArrayContains,
        Function::ArrayRange,
        Function::ArrayGetItem,
        Function::ArrayLength,
        Function::ArrayUnique,
        Function::Base64Encode,
        Function::Base64Decode,
        Function::Hash,
        Function::JsonMerge,
        Function::MathRandom,
        Function::MathAdd,
        Function::StringSplit,
        Function::Uuid,
    ];

    /// The full name, e.g. `States.Format`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// Look a function up by its full name.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Allowed number of arguments: (min, max), `None` for no maximum.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Format => (1, None),
            Function::Array => (0, None),
            Function::Uuid => (0, Some(0)),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, Some(1)),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, Some(2)),
            Function::ArrayRange | Function::JsonMerge => (3, Some(3)),
            Function::MathRandom => (2, Some(3)),
        }
    }
}

/// One argument of an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal: `value` with escapes resolved, `raw` as written between the quotes.
    String {
        value: String,
        raw: String,
    },
    Number(Number),
    Bool(bool),
    Null,
    Path(JsonPath),
    Call(Intrinsic),
}

/// A parsed call such as `States.Format('{}', $.x)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    pub function: Function,
    pub args: Vec<Arg>,
}

/// A parse or evaluation failure; `position` is a byte offset into the text (0 for evaluation errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError {
    pub message: String,
    pub position: usize,
    /// The AWS error name an evaluation failure raises: `States.IntrinsicFailure` or `States.Runtime`.
    pub error: &'static str,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IntrinsicError {}

fn failure(message: impl Into<String>) -> IntrinsicError {
    IntrinsicError {
        message: message.into(),
        position: 0,
        error: "States.IntrinsicFailure",
    }
}

/// True when `text` looks like an intrinsic call (`States.` followed by a name and `(`).
pub fn looks_like_call(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("States.") && t.contains('(')
}

/// Parse an intrinsic function call, checking the function name, arity, literals, paths and nesting.
pub fn parse(text: &str) -> Result<Intrinsic, IntrinsicError> {
    let mut p = Parser { s: text, pos: 0 };
    p.skip_ws();
    let call = p.call(1)?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(p.err(format!(
            "unexpected text after the closing ')': '{}'",
            p.rest()
        )));
    }
    Ok(call)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> IntrinsicError {
        IntrinsicError {
            message: message.into(),
            position: self.pos.min(self.s.len()),
            error: "States.IntrinsicFailure",
        }
    }

    fn rest(&self) -> &str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn call(&mut self, depth: usize) -> Result<Intrinsic, IntrinsicError> {
        if depth > MAX_NESTING {
            return Err(self.err(format!(
                "intrinsic functions can be nested at most {MAX_NESTING} levels deep"
            )));
        }
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == '_') {
            self.pos += 1;
        }
        let name = self.s.get(start..self.pos).unwrap_or("");
        let Some(function) = Function::from_name(name) else {
            return Err(IntrinsicError {
                message: if name.is_empty() {
                    "expected an intrinsic function name such as States.Format".into()
                } else {
                    format!("unknown intrinsic function '{name}'")
                },
                position: start,
                error: "States.IntrinsicFailure",
            });
        };
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(self.err(format!("expected '(' after {name}")));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                args.push(self.arg(depth)?);
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(self.err(format!(
                            "expected ',' or ')' in the arguments of {name}, found '{c}'"
                        )));
                    }
                    None => return Err(self.err(format!("missing ')' to close {name}("))),
                }
            }
        }
        let (min, max) = function.arity();
        let n = args.len();
        if n < min || max.is_some_and(|m| n > m) {
            let expected = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return Err(IntrinsicError {
                message: format!("{name} takes {expected} argument(s) but was given {n}"),
                position: start,
                error: "States.IntrinsicFailure",
            });
        }
        Ok(Intrinsic { function, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        match self.peek() {
            Some('\'') => {
                self.pos += 1;
                let start = self.pos;
                let mut value = String::new();
                loop {
                    let Some(c) = self.peek() else {
                        return Err(self.err("unterminated string literal"));
                    };
                    self.pos += c.len_utf8();
                    match c {
                        '\\' => {
                            let Some(e) = self.peek() else {
                                return Err(self.err("unterminated string literal"));
                            };
                            self.pos += e.len_utf8();
                            value.push(e);
                        }
                        '\'' => break,
                        c => value.push(c),
                    }
                }
                let raw = self.s.get(start..self.pos - 1).unwrap_or("").to_string();
                Ok(Arg::String { value, raw })
            }
            Some('$') => {
                let start = self.pos;
                let end = self.path_end();
                let text = self.s.get(start..end).unwrap_or("");
                let path = jsonpath::parse(text.trim_end()).map_err(|e| IntrinsicError {
                    message: format!("invalid path '{}': {}", text.trim_end(), e.message),
                    position: start + e.position,
                    error: "States.IntrinsicFailure",
                })?;
                self.pos = end;
                Ok(Arg::Path(path))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.pos += 1;
                }
                let text = self.s.get(start..self.pos).unwrap_or("");
                match serde_json::from_str::<Value>(text) {
                    Ok(Value::Number(n)) => Ok(Arg::Number(n)),
                    _ => Err(IntrinsicError {
                        message: format!("'{text}' is not a valid number"),
                        position: start,
                        error: "States.IntrinsicFailure",
                    }),
                }
            }
            Some('S') if self.rest().starts_with("States.") => Ok(Arg::Call(self.call(depth + 1)?)),
            Some(_) => {
                for (word, arg) in [
                    ("true", Arg::Bool(true)),
                    ("false", Arg::Bool(false)),
                    ("null", Arg::Null),
                ] {
                    if let Some(after) = self.rest().strip_prefix(word)
                        && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    {
                        self.pos += word.len();
                        return Ok(arg);
                    }
                }
                Err(self.err(format!(
                    "unexpected argument '{}': expected a 'string', number, true, false, null, a path or a call",
                    self.rest().chars().take(20).collect::<String>()
                )))
            }
            None => Err(self.err("the arguments ended early")),
        }
    }

    /// End of a path argument: the first `,` or `)` outside brackets and quotes.
    fn path_end(&self) -> usize {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in self.rest().char_indices() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                ')' if depth > 0 => depth -= 1,
                ',' | ')' if depth == 0 => return self.pos + i,
                _ => {}
            }
        }
        self.s.len()
    }
}

/// What evaluation needs from its surroundings: path lookups and randomness.
pub trait Env {
    /// The value of a path argument (`$...`, `$$...`, `$var...`), `None` when it selects nothing.
    fn resolve(&mut self, path: &JsonPath) -> Option<Value>;
    /// The next value of the execution's seeded random number generator.
    fn next_random(&mut self) -> u64;
}

/// A small deterministic generator (SplitMix64) used for UUIDs, MathRandom and jitter.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Intrinsic {
    /// Evaluate the call. Errors carry AWS's error name (`States.IntrinsicFailure` or `States.Runtime`).
    pub fn evaluate(&self, env: &mut dyn Env) -> Result<Value, IntrinsicError> {
        self.eval_depth(env, 0)
    }

    fn eval_depth(&self, env: &mut dyn Env, depth: usize) -> Result<Value, IntrinsicError> {
        if depth > MAX_NESTING {
            return Err(failure("intrinsic functions nested too deeply"));
        }
        // Up to three arguments (nearly every call) without allocating.
        let mut inline: [Value; 3] = Default::default();
        let mut spilled = Vec::new();
        let few = self.args.len() <= inline.len();
        for (i, a) in self.args.iter().enumerate() {
            let v = match a {
                Arg::String { value, .. } => Value::String(value.clone()),
                Arg::Number(n) => Value::Number(n.clone()),
                Arg::Bool(b) => Value::Bool(*b),
                Arg::Null => Value::Null,
                Arg::Path(p) => env.resolve(p).ok_or_else(|| IntrinsicError {
                    message: format!(
                        "The JsonPath argument for the field '{}' could not be found in the input",
                        // AWS names a context path as if it were rooted at `$`.
                        p.as_str()
                            .strip_prefix('$')
                            .filter(|r| r.starts_with('$'))
                            .unwrap_or(p.as_str())
                    ),
                    position: 0,
                    error: "States.Runtime",
                })?,
                Arg::Call(c) => c.eval_depth(env, depth + 1)?,
            };
            match inline.get_mut(i) {
                Some(slot) if few => *slot = v,
                _ => spilled.push(v),
            }
        }
        let vals: &mut [Value] = if few {
            inline.get_mut(..self.args.len()).unwrap_or_default()
        } else {
            &mut spilled
        };
        let name = self.function.name();
        let arg = |i: usize| vals.get(i).unwrap_or(&Value::Null);
        match self.function {
            Function::Format => {
                let template = match (self.args.first(), vals.first()) {
                    (Some(Arg::String { raw, .. }), _) => raw.clone(),
                    (_, Some(Value::String(s))) => s.clone(),
                    _ => {
                        return Err(failure(format!(
                            "{name}: the first argument must be a string"
                        )));
                    }
                };
                format(&template, vals.get(1..).unwrap_or(&[]))
            }
            Function::StringToJson => match arg(0).clone() {
                Value::String(s) => {
                    let t = s.trim();
                    if t.is_empty() {
                        return Ok(Value::Null);
                    }
                    serde_json::from_str(t).map_err(|e| {
                        failure(format!("{name}: the argument is not valid JSON: {e}"))
                    })
                }
                v => Err(failure(format!(
                    "{name}: the argument must be a string, got {}",
                    type_name(&v)
                ))),
            },
            Function::JsonToString => Ok(Value::String(arg(0).to_string())),
            Function::Array => Ok(Value::Array(vals.iter_mut().map(std::mem::take).collect())),
            Function::ArrayPartition => {
                let items = array_arg(name, arg(0))?;
                let size = int_arg(name, arg(1))?;
                if size <= 0 {
                    return Err(failure(format!(
                        "{name}: the chunk size must be greater than 0, got {size}"
                    )));
                }
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Ok(Value::Array(
                    items
                        .chunks(size)
                        .map(|c| Value::Array(c.to_vec()))
                        .collect(),
                ))
            }
            Function::ArrayContains => {
                let items = array_arg(name, arg(0))?;
                let needle = arg(1).clone();
                Ok(Value::Bool(
                    items.iter().any(|x| jsonpath::values_equal(x, &needle)),
                ))
            }
            Function::ArrayRange => {
                let (start, end, step) = (
                    int_arg(name, arg(0))?,
                    int_arg(name, arg(1))?,
                    int_arg(name, arg(2))?,
                );
                if step == 0 {
                    return Err(failure(format!("{name}: the step cannot be 0")));
                }
                let mut out = Vec::new();
                let mut i = start;
                while (step > 0 && i <= end) || (step < 0 && i >= end) {
                    out.push(Value::from(i));
                    if out.len() > 1000 {
                        return Err(failure(format!(
                            "{name}: the result would have more than 1000 items"
                        )));
                    }
                    i = match i.checked_add(step) {
                        Some(n) => n,
                        None => break,
                    };
                }
                Ok(Value::Array(out))
            }
            Function::ArrayGetItem => {
                let items = array_arg(name, arg(0))?;
                let i = int_arg(name, arg(1))?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| items.get(i))
                    .cloned()
                    .ok_or_else(|| {
                        failure(format!(
                            "{name}: index {i} is out of bounds for an array of {} items",
                            items.len()
                        ))
                    })
            }
            Function::ArrayLength => Ok(Value::from(array_arg(name, arg(0))?.len())),
            Function::ArrayUnique => {
                let items = array_arg(name, arg(0))?;
                let mut out: Vec<Value> = Vec::new();
                for x in items {
                    if !out.iter().any(|y| jsonpath::values_equal(x, y)) {
                        out.push(x.clone());
                    }
                }
                Ok(Value::Array(out))
            }
            Function::Base64Encode => {
                let s = string_arg(name, arg(0))?;
                if s.chars().count() > 10_000 {
                    return Err(failure(format!(
                        "{name}: the input must be at most 10000 characters"
                    )));
                }
                Ok(Value::String(base64_encode(s.as_bytes())))
            }
            Function::Base64Decode => {
                let s = string_arg(name, arg(0))?;
                if s.chars().count() > 10_000 {
                    return Err(failure(format!(
                        "{name}: the input must be at most 10000 characters"
                    )));
                }
                let bytes = base64_decode(&s)
                    .ok_or_else(|| failure(format!("{name}: the input is not valid base64")))?;
                String::from_utf8(bytes)
                    .map(Value::String)
                    .map_err(|_| failure(format!("{name}: the decoded data is not UTF-8 text")))
            }
            Function::Hash => {
                let data = match arg(0).clone() {
                    Value::String(s) => s,
                    Value::Null => {
                        return Err(failure(format!("{name}: the data to hash cannot be null")));
                    }
                    v => v.to_string(),
                };
                if data.chars().count() > 10_000 {
                    return Err(failure(format!(
                        "{name}: the input must be at most 10000 characters"
                    )));
                }
                let algorithm = string_arg(name, arg(1))?;
                hash(&data, &algorithm).map(Value::String)
            }
            Function::JsonMerge => {
                let (Value::Object(mut a), Value::Object(b)) = (arg(0).clone(), arg(1).clone())
                else {
                    return Err(failure(format!(
                        "{name}: the first two arguments must be JSON objects"
                    )));
                };
                if arg(2) != &Value::Bool(false) {
                    return Err(failure(format!(
                        "{name}: only shallow merge is supported; the third argument must be false"
                    )));
                }
                for (k, v) in b {
                    a.insert(k, v);
                }
                Ok(Value::Object(a))
            }
            Function::MathRandom => {
                // AWS rounds non-integer bounds to the nearest integer; both bounds are inclusive.
                let start = round_arg(name, arg(0))?;
                let end = round_arg(name, arg(1))?;
                if end < start {
                    return Err(failure(format!(
                        "{name}: the end ({end}) must not be less than the start ({start})"
                    )));
                }
                let r = match vals.get(2) {
                    Some(seed) => SplitMix64(round_arg(name, seed)? as u64).next_u64(),
                    None => env.next_random(),
                };
                let span = (end as i128 - start as i128 + 1) as u128;
                let v = start as i128 + (r as u128 % span) as i128;
                Ok(Value::from(v as i64))
            }
            Function::MathAdd => {
                let a = round_arg(name, arg(0))?;
                let b = round_arg(name, arg(1))?;
                a.checked_add(b)
                    .map(Value::from)
                    .ok_or_else(|| failure(format!("{name}: the sum overflows")))
            }
            Function::StringSplit => {
                let s = string_arg(name, arg(0))?;
                let delims = string_arg(name, arg(1))?;
                let parts: Vec<Value> = s
                    .split(|c: char| delims.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_string()))
                    .collect();
                Ok(Value::Array(parts))
            }
            Function::Uuid => {
                let a = env.next_random().to_be_bytes();
                let b = env.next_random().to_be_bytes();
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&a);
                bytes[8..].copy_from_slice(&b);
                bytes[6] = (bytes[6] & 0x0f) | 0x40;
                bytes[8] = (bytes[8] & 0x3f) | 0x80;
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                Ok(Value::String(format!(
                    "{}-{}-{}-{}-{}",
                    &hex[0..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..32]
                )))
            }
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn array_arg<'v>(name: &str, v: &'v Value) -> Result<&'v Vec<Value>, IntrinsicError> {
    v.as_array().ok_or_else(|| {
        failure(format!(
            "{name}: expected an array argument, got {}",
            type_name(v)
        ))
    })
}

fn string_arg(name: &str, v: &Value) -> Result<String, IntrinsicError> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        failure(format!(
            "{name}: expected a string argument, got {}",
            type_name(v)
        ))
    })
}

fn int_arg(name: &str, v: &Value) -> Result<i64, IntrinsicError> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    if let Some(f) = v.as_f64()
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        return Ok(f as i64);
    }
    Err(failure(format!(
        "{name}: expected an integer argument, got {}",
        match v {
            Value::Number(n) => n.to_string(),
            other => type_name(other).to_string(),
        }
    )))
}

/// Java's `Math.round`: halves round towards positive infinity.
fn round_arg(name: &str, v: &Value) -> Result<i64, IntrinsicError> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    match v.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 9.0e18 => Ok((f + 0.5).floor() as i64),
        _ => Err(failure(format!(
            "{name}: expected a number argument, got {}",
            type_name(v)
        ))),
    }
}

/// `States.Format`: `{}` takes the next argument; `\{`, `\}` and `\\` are literal.
fn format(template: &str, args: &[Value]) -> Result<Value, IntrinsicError> {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => out.push(e),
                None => out.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let Some(v) = args.get(next) else {
                    return Err(failure(format!(
                        "States.Format: the template has more placeholders than the {} argument(s) given",
                        args.len()
                    )));
                };
                next += 1;
                java_text(v, &mut out, 0);
            }
            c => out.push(c),
        }
    }
    if next != args.len() {
        return Err(failure(format!(
            "States.Format: the template has {next} placeholder(s) but {} argument(s) were given",
            args.len()
        )));
    }
    Ok(Value::String(out))
}

/// A value as AWS's States.Format writes it (Java's `toString`): strings bare, objects `{k=v, k2=[1, 2]}`.
fn java_text(v: &Value, out: &mut String, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_text(x, out, depth + 1);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_text(x, out, depth + 1);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let t = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in t.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if t.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

fn hash(data: &str, algorithm: &str) -> Result<String, IntrinsicError> {
    use sha2::Digest;
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(failure(format!(
                "States.Hash: unsupported algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
            )));
        }
    };
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct TestEnv(Value, SplitMix64);

    impl Env for TestEnv {
        fn resolve(&mut self, path: &JsonPath) -> Option<Value> {
            path.evaluate(&self.0)
        }
        fn next_random(&mut self) -> u64 {
            self.1.next_u64()
        }
    }

    fn eval(text: &str, input: Value) -> Result<Value, IntrinsicError> {
        parse(text)?.evaluate(&mut TestEnv(input, SplitMix64(7)))
    }

    fn check(text: &str, input: Value, expected: Value) {
        assert_eq!(eval(text, input).unwrap(), expected, "{text}");
    }

    #[test]
    fn every_function_evaluates() {
        let doc = json!({"a": [1, 2, 2, 3], "s": "input data", "o1": {"x": 1, "y": {"z": 1}}, "o2": {"y": 2}});
        check(
            "States.Format('Hello {}, {}!', $.s, 3)",
            doc.clone(),
            json!("Hello input data, 3!"),
        );
        check(
            "States.Format('\\{\\} {}', null)",
            doc.clone(),
            json!("{} null"),
        );
        check(
            "States.StringToJson('{\"a\": 1}')",
            doc.clone(),
            json!({"a": 1}),
        );
        check("States.JsonToString($.o2)", doc.clone(), json!("{\"y\":2}"));
        check(
            "States.Format('{} {}', $.o1, $.a)",
            doc.clone(),
            json!("{x=1, y={z=1}} [1, 2, 2, 3]"),
        );
        check("States.MathRandom(5.4, 5.4)", doc.clone(), json!(5));
        check(
            "States.Array('a', 1, true, null)",
            doc.clone(),
            json!(["a", 1, true, null]),
        );
        check("States.Array()", doc.clone(), json!([]));
        check(
            "States.ArrayPartition($.a, 3)",
            doc.clone(),
            json!([[1, 2, 2], [3]]),
        );
        check("States.ArrayContains($.a, 3)", doc.clone(), json!(true));
        check(
            "States.ArrayRange(0, 10, 3)",
            doc.clone(),
            json!([0, 3, 6, 9]),
        );
        check("States.ArrayRange(1, 9, 9)", doc.clone(), json!([1]));
        check("States.ArrayGetItem($.a, 3)", doc.clone(), json!(3));
        check("States.ArrayLength($.a)", doc.clone(), json!(4));
        check("States.ArrayUnique($.a)", doc.clone(), json!([1, 2, 3]));
        check(
            "States.Base64Encode('Data to encode')",
            doc.clone(),
            json!("RGF0YSB0byBlbmNvZGU="),
        );
        check(
            "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
            doc.clone(),
            json!("Data to encode"),
        );
        check(
            "States.Hash($.s, 'MD5')",
            doc.clone(),
            json!("812f45842bc6d66ee14572ce20db8e86"),
        );
        check(
            "States.Hash($.s, 'SHA-1')",
            doc.clone(),
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
        );
        check(
            "States.JsonMerge($.o1, $.o2, false)",
            doc.clone(),
            json!({"x": 1, "y": 2}),
        );
        check("States.MathAdd(-0.5, 0.5)", doc.clone(), json!(1));
        check("States.MathAdd(-1.5, -1.51)", doc.clone(), json!(-3));
        check(
            "States.StringSplit('a,b,,c', ',')",
            doc.clone(),
            json!(["a", "b", "c"]),
        );
        check(
            "States.StringSplit('a.b+c', '.+')",
            doc.clone(),
            json!(["a", "b", "c"]),
        );
        check(
            "States.ArrayLength(States.ArrayUnique(States.Array(1, 1, 2)))",
            doc.clone(),
            json!(2),
        );
        let r = eval("States.MathRandom(1, 10)", doc.clone()).unwrap();
        assert!((1..10).contains(&r.as_i64().unwrap()));
        let seeded = eval("States.MathRandom(1, 1000, 42)", doc.clone()).unwrap();
        assert_eq!(
            seeded,
            eval("States.MathRandom(1, 1000, 42)", doc.clone()).unwrap()
        );
        let u = eval("States.UUID()", doc).unwrap();
        let u = u.as_str().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn evaluation_errors_are_intrinsic_failures() {
        let doc = json!({"a": [1], "n": "x"});
        for text in [
            "States.ArrayGetItem($.a, 5)",
            "States.ArrayPartition($.a, 0)",
            "States.Format('{} {}', 1)",
            "States.Format('{}', 1, 2)",
            "States.StringToJson('{bad')",
            "States.JsonMerge($.a, $.a, false)",
            "States.Hash('x', 'SHA-3')",
            "States.MathAdd($.n, 1)",
            "States.Base64Decode('!!')",
        ] {
            let e = eval(text, doc.clone()).unwrap_err();
            assert_eq!(e.error, "States.IntrinsicFailure", "{text}: {e:?}");
        }
        let e = eval("States.ArrayLength($.missing)", doc).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
    }

    #[test]
    fn parse_errors_name_the_problem() {
        for (text, word) in [
            ("States.Nope(1)", "unknown intrinsic function 'States.Nope'"),
            ("States.UUID(1)", "takes 0 argument(s) but was given 1"),
            ("States.ArrayRange(1, 2)", "takes 3 argument(s)"),
            ("States.Format('x'", "missing ')'"),
            ("States.Format('x)", "unterminated string"),
            ("States.Format('x') extra", "unexpected text"),
            ("States.Format(foo)", "unexpected argument 'foo)'"),
            ("States.ArrayLength($.a[)", "invalid path"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(word), "{text}: {e:?}");
        }
        let deep = format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        let ok = format!("{}1{}", "States.Array(".repeat(10), ")".repeat(10));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn path_arguments_keep_brackets_and_quotes() {
        let doc = json!({"a,b": {"x)": 5}});
        check("States.Array($['a,b']['x)'])", doc, json!([5]));
    }
}
