//! The functions AWS Step Functions adds to JSONata: `$partition`, `$range`, `$hash`,
//! `$random([seed])`, `$uuid` and `$parse`.

use super::{arg, items, next_random};
use crate::Error;
use crate::eval::Evaluator;
use crate::value::*;

type R = Result<Value, crate::EvalError>;

pub fn random(ev: &mut Evaluator, args: &[Value], _: &Env) -> R {
    match arg(args, 0) {
        Value::Number(seed) => {
            let mut state = seed.to_bits() ^ 0x5DEE_CE66_D1CE_4E5B;
            Ok(Value::Number(next_random(&mut state)))
        }
        _ => Ok(Value::Number(next_random(&mut ev.rng))),
    }
}

pub fn partition(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let size = arg(args, 1).as_f64().unwrap_or(f64::NAN);
    if size.is_nan() || size < 1.0 || size.fract() != 0.0 {
        return Err(Error::new("D3200").value_num(size));
    }
    let chunks = items(arr)
        .chunks(size as usize)
        .map(|c| Value::arr(c.to_vec()))
        .collect();
    Ok(Value::arr(chunks))
}

pub fn range(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let start = arg(args, 0).as_f64().unwrap_or(f64::NAN);
    let end = arg(args, 1).as_f64().unwrap_or(f64::NAN);
    let step = arg(args, 2).as_f64().unwrap_or(1.0);
    if !start.is_finite() || !end.is_finite() || !step.is_finite() || step == 0.0 {
        return Err(Error::new("D3201").value_num(step));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > 1e7 {
        return Err(Error::new("D2014").value_num(count));
    }
    let mut out = Vec::new();
    if count >= 1.0 {
        for i in 0..count as usize {
            out.push(Value::Number(start + step * i as f64));
        }
    }
    Ok(Value::arr(out))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    use sha2::Digest;
    let Some(s) = arg(args, 0).as_str() else {
        return Ok(Value::Undefined);
    };
    let algo = arg(args, 1).as_str().unwrap_or("SHA-256");
    let d = s.as_bytes();
    let out = match algo {
        "MD5" => hex(&md5::Md5::digest(d)),
        "SHA-1" => hex(&sha1::Sha1::digest(d)),
        "SHA-256" => hex(&sha2::Sha256::digest(d)),
        "SHA-384" => hex(&sha2::Sha384::digest(d)),
        "SHA-512" => hex(&sha2::Sha512::digest(d)),
        other => return Err(Error::new("D3202").value_str(other)),
    };
    Ok(Value::str(&out))
}

pub fn uuid(ev: &mut Evaluator, _: &[Value], _: &Env) -> R {
    let mut bytes = [0u8; 16];
    for b in bytes.iter_mut() {
        *b = (next_random(&mut ev.rng) * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex(&bytes);
    Ok(Value::str(&format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )))
}

pub fn parse(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let Some(s) = arg(args, 0).as_str() else {
        return Ok(Value::Undefined);
    };
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(j) => Ok(Value::from_json(&j)),
        Err(e) => Err(Error::new("D3203").value_str(&e.to_string())),
    }
}
