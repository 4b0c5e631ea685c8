//! Numeric functions: aggregation, rounding, `$number`, `$formatNumber` (XPath F&O pictures)
//! and `$formatBase`.

use super::{arg, items};
use crate::Error;
use crate::eval::Evaluator;
use crate::value::*;

type R = Result<Value, crate::EvalError>;

fn nums(v: &Value) -> Vec<f64> {
    items(v).iter().filter_map(|x| x.as_f64()).collect()
}

pub fn sum(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(nums(v).iter().sum()))
}

pub fn max(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let n = nums(arg(args, 0));
    if n.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(
        n.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    ))
}

pub fn min(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let n = nums(arg(args, 0));
    if n.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(
        n.iter().copied().fold(f64::INFINITY, f64::min),
    ))
}

pub fn average(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let n = nums(arg(args, 0));
    if n.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(n.iter().sum::<f64>() / n.len() as f64))
}

pub fn number(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    Ok(match v {
        Value::Undefined => Value::Undefined,
        Value::Number(_) => v.clone(),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => match parse_number_string(s) {
            Some(n) => Value::Number(n),
            None => return Err(Error::new("D3030").val(v).index(1)),
        },
        _ => return Err(Error::new("D3030").val(v).index(1)),
    })
}

fn parse_number_string(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let decimal_ok = |mut i: usize| -> bool {
        if i == ds {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let f = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == f {
                return false;
            }
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            let e = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == e {
                return false;
            }
        }
        i == b.len()
    };
    if decimal_ok(i) {
        let n: f64 = s.parse().ok()?;
        return n.is_finite().then_some(n);
    }
    let radix = |p: &str, r: u32| -> Option<f64> {
        let rest = s
            .strip_prefix(p)
            .or_else(|| s.strip_prefix(&p.to_uppercase()))?;
        if rest.is_empty() {
            return None;
        }
        u64::from_str_radix(rest, r).ok().map(|n| n as f64)
    };
    radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
}

pub fn floor(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(arg(args, 0)
        .as_f64()
        .map_or(Value::Undefined, |n| Value::Number(n.floor())))
}

pub fn ceil(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(arg(args, 0)
        .as_f64()
        .map_or(Value::Undefined, |n| Value::Number(n.ceil())))
}

pub fn abs(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(arg(args, 0)
        .as_f64()
        .map_or(Value::Undefined, |n| Value::Number(n.abs())))
}

pub fn sqrt(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(n) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    if n < 0.0 {
        return Err(Error::new("D3060").value_num(n).index(1));
    }
    Ok(Value::Number(n.sqrt()))
}

pub fn power(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(n) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let e = arg(args, 1).as_f64().unwrap_or(f64::NAN);
    let r = n.powf(e);
    if !r.is_finite() {
        return Err(Error::new("D3061")
            .value_num(n)
            .val2(&Value::Number(e))
            .index(1));
    }
    Ok(Value::Number(r))
}

fn shift(x: f64, by: i32) -> f64 {
    let s = fmt_number(x);
    let (m, e) = match s.split_once('e') {
        Some((m, e)) => (
            m.to_string(),
            e.trim_start_matches('+').parse::<i32>().unwrap_or(0),
        ),
        None => (s.clone(), 0),
    };
    format!("{m}e{}", e + by).parse().unwrap_or(f64::NAN)
}

/// JSONata's `$round` (half to even, decimal-exact shifting).
pub fn round(x: f64, precision: i32) -> f64 {
    let mut v = x;
    if precision != 0 {
        v = shift(v, precision);
    }
    let mut r = (v + 0.5).floor();
    let diff = r - v;
    if diff.abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    if precision != 0 {
        r = shift(r, -precision);
    }
    if r == 0.0 {
        r = 0.0;
    }
    r
}

pub fn round_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(n) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let p = arg(args, 1).as_f64().unwrap_or(0.0) as i32;
    Ok(Value::Number(round(n, p)))
}

pub fn format_base(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(n) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let v = round(n, 0);
    let radix = match arg(args, 1).as_f64() {
        Some(r) => round(r, 0),
        None => 10.0,
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new("D3100").value_num(radix));
    }
    let radix = radix as u32;
    let neg = v < 0.0;
    let mut m = v.abs();
    let mut digits = Vec::new();
    if m == 0.0 {
        digits.push('0');
    }
    while m >= 1.0 {
        let d = (m % radix as f64) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        m = (m / radix as f64).floor();
    }
    if neg {
        digits.push('-');
    }
    Ok(Value::str(&digits.iter().rev().collect::<String>()))
}

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    permille: char,
    zero: char,
    digit: char,
    pattern: char,
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    sub: Vec<char>,
}

fn index_of(v: &[char], c: char, from: usize) -> Option<usize> {
    v.iter().skip(from).position(|x| *x == c).map(|p| p + from)
}

fn substr(v: &[char], a: usize, b: usize) -> Vec<char> {
    let b = b.min(v.len());
    let a = a.min(b);
    v[a..b].to_vec()
}

#[derive(Clone)]
struct Pic {
    int_groups: Vec<usize>,
    regular: usize,
    min_int: usize,
    scaling: i32,
    prefix: String,
    frac_groups: Vec<usize>,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
    suffix: String,
    picture: Vec<char>,
}

pub fn format_number(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(value) = arg(args, 0).as_f64() else {
        return Ok(Value::Undefined);
    };
    let picture: Vec<char> = arg(args, 1).as_str().unwrap_or("").chars().collect();
    let mut p = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        permille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern: ';',
    };
    if let Value::Object(o) = arg(args, 2) {
        for (k, v) in o.iter() {
            let Some(s) = v.as_str() else { continue };
            let c = s.chars().next().unwrap_or(' ');
            match &**k {
                "decimal-separator" => p.decimal = c,
                "grouping-separator" => p.grouping = c,
                "exponent-separator" => p.exponent = c,
                "minus-sign" => p.minus = s.to_string(),
                "percent" => p.percent = c,
                "per-mille" => p.permille = c,
                "zero-digit" => p.zero = c,
                "digit" => p.digit = c,
                "pattern-separator" => p.pattern = c,
                _ => {}
            }
        }
    }
    let family: Vec<char> = (0..10)
        .filter_map(|i| char::from_u32(p.zero as u32 + i))
        .collect();
    let is_digit = |c: char| family.contains(&c);
    let active: Vec<char> = family
        .iter()
        .copied()
        .chain([p.decimal, p.exponent, p.grouping, p.digit, p.pattern])
        .collect();
    let is_active = |c: char| active.contains(&c);
    let subs: Vec<Vec<char>> = picture
        .split(|c| *c == p.pattern)
        .map(|s| s.to_vec())
        .collect();
    if subs.len() > 2 {
        return Err(Error::new("D3080"));
    }
    let mut parts = Vec::new();
    for sub in &subs {
        let pre_end = sub
            .iter()
            .position(|&c| is_active(c) && c != p.exponent)
            .unwrap_or(sub.len());
        let prefix = sub[..pre_end].to_vec();
        let suf_start = sub
            .iter()
            .rposition(|&c| is_active(c) && c != p.exponent)
            .map(|i| i + 1)
            .unwrap_or(sub.len());
        let suffix = sub[suf_start.max(pre_end)..].to_vec();
        let active_part = substr(sub, prefix.len(), sub.len() - suffix.len());
        let exp_pos = index_of(sub, p.exponent, prefix.len());
        let (mantissa, exponent) = match exp_pos {
            Some(e) if e <= sub.len() - suffix.len() => (
                substr(&active_part, 0, e),
                Some(substr(&active_part, e + 1, active_part.len())),
            ),
            _ => (active_part.clone(), None),
        };
        let (integer, fractional) = match index_of(&mantissa, p.decimal, 0) {
            None => (mantissa.clone(), suffix.clone()),
            Some(d) => (
                substr(&mantissa, 0, d),
                substr(&mantissa, d + 1, mantissa.len()),
            ),
        };
        parts.push(Parts {
            prefix,
            suffix,
            active: active_part,
            mantissa,
            exponent,
            integer,
            fractional,
            sub: sub.clone(),
        });
    }
    // validate
    for part in &parts {
        let sub = &part.sub;
        let count = |c: char| sub.iter().filter(|x| **x == c).count();
        let mut error = None;
        if count(p.decimal) > 1 {
            error = Some("D3081");
        }
        if count(p.percent) > 1 {
            error = Some("D3082");
        }
        if count(p.permille) > 1 {
            error = Some("D3083");
        }
        if count(p.percent) > 0 && count(p.permille) > 0 {
            error = Some("D3084");
        }
        if !part.mantissa.iter().any(|&c| is_digit(c) || c == p.digit) {
            error = Some("D3085");
        }
        if part.active.iter().any(|&c| !is_active(c)) {
            error = Some("D3086");
        }
        if let Some(d) = index_of(sub, p.decimal, 0) {
            if (d > 0 && sub[d - 1] == p.grouping) || sub.get(d + 1) == Some(&p.grouping) {
                error = Some("D3087");
            }
        } else if part.integer.last() == Some(&p.grouping) {
            error = Some("D3088");
        }
        if sub
            .windows(2)
            .any(|w| w[0] == p.grouping && w[1] == p.grouping)
        {
            error = Some("D3089");
        }
        if let Some(od) = index_of(&part.integer, p.digit, 0)
            && part.integer[..od].iter().any(|&c| is_digit(c))
        {
            error = Some("D3090");
        }
        if let Some(od) = part.fractional.iter().rposition(|&c| c == p.digit)
            && part.fractional[od..].iter().any(|&c| is_digit(c))
        {
            error = Some("D3091");
        }
        if let Some(e) = &part.exponent {
            if !e.is_empty() && (count(p.percent) > 0 || count(p.permille) > 0) {
                error = Some("D3092");
            }
            if e.is_empty() || e.iter().any(|&c| !is_digit(c)) {
                error = Some("D3093");
            }
        }
        if let Some(code) = error {
            return Err(Error::new(code));
        }
    }
    // analyse
    let mut pics: Vec<Pic> = parts
        .iter()
        .map(|part| {
            let grouping_positions = |v: &[char], to_left: bool| -> Vec<usize> {
                let mut out = Vec::new();
                let mut gp = index_of(v, p.grouping, 0);
                while let Some(g) = gp {
                    let seg: &[char] = if to_left { &v[..g] } else { &v[g..] };
                    out.push(seg.iter().filter(|&&c| is_digit(c) || c == p.digit).count());
                    gp = index_of(&part.integer, p.grouping, g + 1);
                }
                out
            };
            let int_groups = grouping_positions(&part.integer, false);
            let regular = if int_groups.is_empty() {
                0
            } else {
                fn gcd(a: usize, b: usize) -> usize {
                    if b == 0 { a } else { gcd(b, a % b) }
                }
                let factor = int_groups.iter().copied().fold(0, gcd);
                let mut ok = factor > 0;
                for i in 1..=int_groups.len() {
                    if !int_groups.contains(&(i * factor)) {
                        ok = false;
                    }
                }
                if ok { factor } else { 0 }
            };
            let frac_groups = grouping_positions(&part.fractional, true);
            let mut min_int = part.integer.iter().filter(|&&c| is_digit(c)).count();
            let scaling = min_int as i32;
            let mut min_frac = part.fractional.iter().filter(|&&c| is_digit(c)).count();
            let mut max_frac = part
                .fractional
                .iter()
                .filter(|&&c| is_digit(c) || c == p.digit)
                .count();
            let exp_present = part.exponent.is_some();
            if min_int == 0 && max_frac == 0 {
                if exp_present {
                    min_frac = 1;
                    max_frac = 1;
                } else {
                    min_int = 1;
                }
            }
            if exp_present && min_int == 0 && part.integer.contains(&p.digit) {
                min_int = 1;
            }
            if min_int == 0 && min_frac == 0 {
                min_frac = 1;
            }
            let min_exp = part
                .exponent
                .as_ref()
                .map_or(0, |e| e.iter().filter(|&&c| is_digit(c)).count());
            Pic {
                int_groups,
                regular,
                min_int,
                scaling,
                prefix: part.prefix.iter().collect(),
                frac_groups,
                min_frac,
                max_frac,
                min_exp,
                suffix: part.suffix.iter().collect(),
                picture: part.sub.clone(),
            }
        })
        .collect();
    if pics.len() == 1 {
        let mut neg = pics[0].clone();
        neg.prefix = format!("{}{}", p.minus, neg.prefix);
        pics.push(neg);
    }
    let pic = if value >= 0.0 { &pics[0] } else { &pics[1] };
    let adjusted = if pic.picture.contains(&p.percent) {
        value * 100.0
    } else if pic.picture.contains(&p.permille) {
        value * 1000.0
    } else {
        value
    };
    let mut mantissa = adjusted;
    let mut exponent: Option<i32> = None;
    if pic.min_exp != 0 {
        let max_m = 10f64.powi(pic.scaling);
        let min_m = 10f64.powi(pic.scaling - 1);
        let mut e = 0;
        let mut guard = 0;
        while mantissa < min_m && mantissa != 0.0 && guard < 400 {
            mantissa *= 10.0;
            e -= 1;
            guard += 1;
        }
        while mantissa > max_m && guard < 800 {
            mantissa /= 10.0;
            e += 1;
            guard += 1;
        }
        exponent = Some(e);
    }
    let rounded = round(mantissa, pic.max_frac as i32);
    let make_string = |v: f64, dp: usize| -> Vec<char> {
        let s = format!("{:.*}", dp, v.abs());
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    family.get((c as u8 - b'0') as usize).copied().unwrap_or(c)
                } else {
                    c
                }
            })
            .collect()
    };
    let mut sv = make_string(rounded, pic.max_frac);
    match sv.iter().position(|&c| c == '.') {
        None => sv.push(p.decimal),
        Some(i) => sv[i] = p.decimal,
    }
    while sv.first() == Some(&p.zero) {
        sv.remove(0);
    }
    while sv.last() == Some(&p.zero) {
        sv.pop();
    }
    let dpos = index_of(&sv, p.decimal, 0).unwrap_or(sv.len()) as i64;
    let pad_left = pic.min_int as i64 - dpos;
    let pad_right = pic.min_frac as i64 - (sv.len() as i64 - dpos - 1);
    if pad_left > 0 {
        let mut v = vec![p.zero; pad_left as usize];
        v.extend(sv);
        sv = v;
    }
    if pad_right > 0 {
        sv.extend(std::iter::repeat_n(p.zero, pad_right as usize));
    }
    let mut dpos = index_of(&sv, p.decimal, 0).unwrap_or(sv.len());
    if let Some(group_count) = dpos.saturating_sub(1).checked_div(pic.regular) {
        for g in 1..=group_count {
            let at = dpos - g * pic.regular;
            sv.insert(at, p.grouping);
        }
    } else {
        for &pos in &pic.int_groups {
            if pos <= dpos {
                sv.insert(dpos - pos, p.grouping);
                dpos += 1;
            }
        }
    }
    let dpos = index_of(&sv, p.decimal, 0).unwrap_or(sv.len());
    for &pos in &pic.frac_groups {
        let at = pos + dpos + 1;
        if at <= sv.len() {
            sv.insert(at, p.grouping);
        }
    }
    let dpos = index_of(&sv, p.decimal, 0);
    if !pic.picture.contains(&p.decimal) || dpos == Some(sv.len().saturating_sub(1)) {
        sv.pop();
    }
    let mut out: String = sv.iter().collect();
    if let Some(e) = exponent {
        let mut es = make_string(e as f64, 0);
        let pad = pic.min_exp as i64 - es.len() as i64;
        if pad > 0 {
            let mut v = vec![p.zero; pad as usize];
            v.extend(es);
            es = v;
        }
        out.push(p.exponent);
        if e < 0 {
            out.push_str(&p.minus);
        }
        out.extend(es);
    }
    Ok(Value::str(&format!("{}{}{}", pic.prefix, out, pic.suffix)))
}
