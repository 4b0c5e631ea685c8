//! String functions: `$string`, `$substring`, `$pad`, `$match`, `$replace`, `$split`, `$join`,
//! base64 and URL encoding.

use super::{Found, arg, byte_at_utf16, find_all, items, limit_arg};
use crate::Error;
use crate::eval::Evaluator;
use crate::value::*;
use std::rc::Rc;

type R = Result<Value, crate::EvalError>;

/// Error D1001 if a non-finite number is nested in `v` (JSON cannot hold it).
fn check_finite(v: &Value, depth: usize) -> Result<(), crate::EvalError> {
    match v {
        Value::Number(n) if !n.is_finite() => Err(Error::new("D1001").value_num(*n)),
        Value::Array(a, _) if depth < MAX_VALUE_DEPTH => {
            a.iter().try_for_each(|x| check_finite(x, depth + 1))
        }
        Value::Object(o) if depth < MAX_VALUE_DEPTH => {
            o.values().try_for_each(|x| check_finite(x, depth + 1))
        }
        _ => Ok(()),
    }
}

/// `fn.string` without prettifying: the reference's string conversion.
pub fn to_string(v: &Value) -> Result<String, crate::EvalError> {
    if matches!(v, Value::Array(..) | Value::Object(_)) {
        check_finite(v, 0)?;
    }
    Ok(match v {
        Value::String(s) => s.to_string(),
        Value::Function(_) => String::new(),
        Value::Number(n) if !n.is_finite() => return Err(Error::new("D3001").value_num(*n)),
        Value::Array(a, f) if f & OUTER != 0 && !a.is_empty() => stringify(&a[0], false),
        v => stringify(v, false),
    })
}

fn s_arg(args: &[Value], i: usize) -> Option<Rc<str>> {
    match arg(args, i) {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

pub fn string(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = matches!(arg(args, 1), Value::Bool(true));
    if pretty {
        if let Value::Number(n) = v
            && !n.is_finite()
        {
            return Err(Error::new("D3001").value_num(*n));
        }
        if matches!(v, Value::String(_) | Value::Function(_)) {
            return Ok(Value::str(&to_string(v)?));
        }
        let v = match v {
            Value::Array(a, f) if f & OUTER != 0 && !a.is_empty() => &a[0],
            v => v,
        };
        check_finite(v, 0)?;
        return Ok(Value::str(&stringify(v, true)));
    }
    Ok(Value::str(&to_string(v)?))
}

fn js_slice(chars: &[char], a: f64, b: f64) -> String {
    let len = chars.len() as f64;
    let norm = |x: f64| {
        let x = if x.is_nan() { 0.0 } else { x.trunc() };
        if x < 0.0 {
            (len + x).max(0.0)
        } else {
            x.min(len)
        }
    };
    let (a, b) = (norm(a), norm(b));
    if b <= a {
        return String::new();
    }
    chars[a as usize..b as usize].iter().collect()
}

pub fn substring(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as f64;
    let mut start = arg(args, 1).as_f64().unwrap_or(0.0);
    if len + start < 0.0 {
        start = 0.0;
    }
    match arg(args, 2) {
        Value::Number(l) => {
            if *l <= 0.0 {
                return Ok(Value::str(""));
            }
            let end = if start >= 0.0 {
                start + l
            } else {
                len + start + l
            };
            Ok(Value::str(&js_slice(&chars, start, end)))
        }
        _ => Ok(Value::str(&js_slice(&chars, start, len))),
    }
}

pub fn substring_before(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = s_arg(args, 1).unwrap_or_else(|| "".into());
    Ok(match s.find(&*chars) {
        Some(p) => Value::str(&s[..p]),
        None => Value::String(s),
    })
}

pub fn substring_after(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let chars = s_arg(args, 1).unwrap_or_else(|| "".into());
    Ok(match s.find(&*chars) {
        Some(p) => Value::str(&s[p + chars.len()..]),
        None => Value::String(s),
    })
}

pub fn lowercase(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(s_arg(args, 0).map_or(Value::Undefined, |s| Value::str(&s.to_lowercase())))
}

pub fn uppercase(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(s_arg(args, 0).map_or(Value::Undefined, |s| Value::str(&s.to_uppercase())))
}

pub fn length(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(s_arg(args, 0).map_or(
        Value::Undefined,
        |s| Value::Number(s.chars().count() as f64),
    ))
}

pub fn trim(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let mut out = String::with_capacity(s.len());
    let mut in_ws = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    let t = out.strip_prefix(' ').unwrap_or(&out);
    let t = t.strip_suffix(' ').unwrap_or(t);
    Ok(Value::str(t))
}

pub fn pad(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let width = arg(args, 1).as_f64().unwrap_or(0.0);
    let ch = match s_arg(args, 2) {
        Some(c) if !c.is_empty() => c,
        _ => " ".into(),
    };
    let len = s.chars().count() as f64;
    let pad_len = width.abs().trunc() - len;
    if pad_len <= 0.0 || pad_len.is_nan() {
        return Ok(Value::String(s));
    }
    let pad_len = pad_len as usize;
    let padding: String = ch.chars().cycle().take(pad_len).collect();
    Ok(Value::str(&if width > 0.0 {
        format!("{s}{padding}")
    } else {
        format!("{padding}{s}")
    }))
}

pub fn contains(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    Ok(Value::Bool(match arg(args, 1) {
        Value::String(t) => s.contains(&**t),
        m => !find_all(ev, m, &s, Some(1), env)?.is_empty(),
    }))
}

pub fn match_(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = limit_arg(arg(args, 2), "D3040")?;
    let found = find_all(ev, arg(args, 1), &s, limit, env)?;
    let out = found
        .into_iter()
        .map(|f| {
            let mut o = new_map(0);
            o.insert("match".into(), Value::str(&f.text));
            o.insert("index".into(), Value::Number(f.start as f64));
            o.insert("groups".into(), Value::arr(f.groups));
            Value::Object(Rc::new(o))
        })
        .collect();
    Ok(Value::seq(out))
}

fn expand_replacement(rep: &str, m: &Found) -> String {
    let mut out = String::new();
    let chars: Vec<char> = rep.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&m.text);
                i += 1;
            }
            _ => {
                let ng = m.groups.len();
                let max_digits = if ng == 0 {
                    1
                } else {
                    (ng as f64).log10().floor() as usize + 1
                };
                let digits: String = chars[i..]
                    .iter()
                    .take(max_digits)
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let mut idx: Option<usize> = if digits.is_empty() {
                    None
                } else {
                    digits.parse().ok()
                };
                if max_digits > 1 && idx.is_some_and(|x| x > ng) {
                    let d2: String = digits.chars().take(max_digits - 1).collect();
                    idx = if d2.is_empty() { None } else { d2.parse().ok() };
                }
                match idx {
                    Some(x) => {
                        if ng > 0
                            && x >= 1
                            && let Some(Value::String(g)) = m.groups.get(x - 1)
                        {
                            out.push_str(g);
                        }
                        i += x.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

pub fn replace(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(args, 1);
    if matches!(pattern, Value::String(p) if p.is_empty()) {
        return Err(Error::new("D3010").value_str("").index(2));
    }
    let limit = limit_arg(arg(args, 3), "D3011")?;
    let replacement = arg(args, 2);
    if let Value::String(p) = pattern {
        let Value::String(r) = replacement else {
            return Err(Error::new("D3012").val(replacement));
        };
        let mut out = String::new();
        let mut pos = 0;
        let mut count = 0;
        while let Some(i) = s[pos..].find(&**p) {
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            out.push_str(&s[pos..pos + i]);
            out.push_str(r);
            pos += i + p.len();
            count += 1;
        }
        out.push_str(&s[pos..]);
        return Ok(Value::str(&out));
    }
    let found = find_all(ev, pattern, &s, limit, env)?;
    if found.is_empty() {
        return Ok(Value::String(s));
    }
    let mut out = String::new();
    let mut pos = 0usize; // byte offset
    for f in found {
        let (bs, be) = f
            .bytes
            .unwrap_or_else(|| (byte_at_utf16(&s, f.start), byte_at_utf16(&s, f.end)));
        if bs >= pos {
            out.push_str(&s[pos..bs]);
        }
        let with = match replacement {
            Value::String(r) => expand_replacement(r, &f),
            func => {
                let mut o = new_map(0);
                o.insert("match".into(), Value::str(&f.text));
                o.insert("start".into(), Value::Number(f.start as f64));
                o.insert("end".into(), Value::Number(f.end as f64));
                o.insert("groups".into(), Value::arr(f.groups.clone()));
                let r = ev.apply(
                    func,
                    vec![Value::Object(Rc::new(o))],
                    &Value::Undefined,
                    env,
                )?;
                match r {
                    Value::String(x) => x.to_string(),
                    v => return Err(Error::new("D3012").val(&v)),
                }
            }
        };
        out.push_str(&with);
        pos = be.min(s.len()).max(pos);
    }
    out.push_str(&s[pos..]);
    Ok(Value::str(&out))
}

pub fn split(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = limit_arg(arg(args, 2), "D3020")?;
    let mut out: Vec<Value> = Vec::new();
    if limit == Some(0) {
        return Ok(Value::arr(out));
    }
    match arg(args, 1) {
        Value::String(sep) => {
            if sep.is_empty() {
                for c in s.chars() {
                    out.push(Value::str(&c.to_string()));
                }
            } else {
                for part in s.split(&**sep) {
                    out.push(Value::str(part));
                }
            }
            if let Some(l) = limit {
                out.truncate(l);
            }
        }
        m => {
            let found = find_all(ev, m, &s, limit, env)?;
            if found.is_empty() {
                out.push(Value::String(s));
            } else {
                let mut start = 0usize;
                let n = found.len();
                for f in found {
                    let (bs, be) = f
                        .bytes
                        .unwrap_or_else(|| (byte_at_utf16(&s, f.start), byte_at_utf16(&s, f.end)));
                    out.push(Value::str(s.get(start..bs).unwrap_or("")));
                    start = be;
                }
                if limit.is_none_or(|l| n < l) {
                    out.push(Value::str(s.get(start..).unwrap_or("")));
                }
            }
        }
    }
    Ok(Value::arr(out))
}

pub fn join(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let sep = s_arg(args, 1).unwrap_or_else(|| "".into());
    let parts: Vec<&str> = items(v).iter().map(|x| x.as_str().unwrap_or("")).collect();
    Ok(Value::str(&parts.join(&sep)))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64encode(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    // 'binary' encoding: each UTF-16 unit's low byte
    let bytes: Vec<u8> = s.encode_utf16().map(|u| u as u8).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(Value::str(&out))
}

pub fn base64decode(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = String::new();
    for c in s.chars() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            _ => continue,
        };
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(char::from(((bits >> nbits) & 0xFF) as u8));
        }
    }
    Ok(Value::str(&out))
}

fn encode(s: &str, keep: &str, name: &str) -> R {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let _ = name;
    Ok(Value::str(&out))
}

pub fn encode_url_component(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    if s.contains(crate::lexer::LONE_SURROGATE) {
        return Err(Error::new("D3140")
            .value_str(&s)
            .token("encodeUrlComponent"));
    }
    encode(&s, "-_.!~*'()", "encodeUrlComponent")
}

pub fn encode_url(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    if s.contains(crate::lexer::LONE_SURROGATE) {
        return Err(Error::new("D3140").value_str(&s).token("encodeUrl"));
    }
    encode(&s, "-_.!~*'();/?:@&=+$,#", "encodeUrl")
}

fn decode(s: &str, reserved: &str, name: &str) -> R {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let err = || Error::new("D3140").value_str(s).token(name);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(err)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| err())?;
            if b < 0x80 && reserved.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map(|s| Value::str(&s))
        .map_err(|_| err())
}

pub fn decode_url_component(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    decode(&s, "", "decodeUrlComponent")
}

pub fn decode_url(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = s_arg(args, 0) else {
        return Ok(Value::Undefined);
    };
    decode(&s, ";/?:@&=+$,#", "decodeUrl")
}
