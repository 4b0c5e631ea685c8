//! Array functions: `$count`, `$append`, `$reverse`, `$shuffle`, `$distinct`, `$zip`.

use super::{arg, items, next_random};
use crate::eval::Evaluator;
use crate::value::*;

type R = Result<Value, crate::EvalError>;

pub fn count(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(Value::Number(match arg(args, 0) {
        Value::Undefined => 0.0,
        v => items(v).len() as f64,
    }))
}

pub fn append_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let a = arg(args, 0).clone();
    let b = arg(args, 1).clone();
    if a.is_undefined() {
        return Ok(b);
    }
    if b.is_undefined() {
        return Ok(a);
    }
    Ok(crate::eval::append(a, b).with_flags(0))
}

pub fn reverse(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    let it = items(v);
    if v.is_undefined() || it.len() <= 1 {
        return Ok(v.clone());
    }
    Ok(Value::arr(it.iter().rev().cloned().collect()))
}

pub fn shuffle(ev: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    let it = items(v);
    if v.is_undefined() || it.len() <= 1 {
        return Ok(v.clone());
    }
    let mut out = it.to_vec();
    for i in (1..out.len()).rev() {
        let j = (next_random(&mut ev.rng) * (i + 1) as f64).floor() as usize;
        out.swap(i, j.min(i));
    }
    Ok(Value::arr(out))
}

pub fn distinct(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    let Value::Array(a, f) = v else {
        return Ok(v.clone());
    };
    if a.len() <= 1 {
        return Ok(v.clone());
    }
    let mut out: Vec<Value> = Vec::new();
    let mut seen_str = std::collections::HashSet::new();
    for x in a.iter() {
        if let Value::String(s) = x {
            if seen_str.insert(s.clone()) {
                out.push(x.clone());
            }
            continue;
        }
        if !out.iter().any(|y| deep_equal(x, y)) {
            out.push(x.clone());
        }
    }
    Ok(Value::Array(std::rc::Rc::new(out), f & SEQ))
}

pub fn zip(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let lists: Vec<&[Value]> = args.iter().map(items).collect();
    let len = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    let out = (0..len)
        .map(|i| Value::arr(lists.iter().map(|l| l[i].clone()).collect()))
        .collect();
    Ok(Value::arr(out))
}
