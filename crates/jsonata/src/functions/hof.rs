//! Higher-order functions: `$map`, `$filter`, `$single`, `$reduce`, `$sift`, `$each`, `$sort`.

use super::{arg, hof_args, items};
use crate::Error;
use crate::eval::{Evaluator, boolean};
use crate::value::*;
use std::rc::Rc;

type R = Result<Value, crate::EvalError>;

fn call(ev: &mut Evaluator, f: &Value, args: Vec<Value>, env: &Env) -> R {
    ev.apply(f, args, &Value::Undefined, env)
}

pub fn map(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(args, 1);
    let it = items(arr);
    let mut out = Vec::with_capacity(it.len());
    for (i, x) in it.iter().enumerate() {
        let a = hof_args(f, x.clone(), Value::Number(i as f64), arr.clone());
        let r = call(ev, f, a, env)?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::seq(out))
}

pub fn filter(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(args, 1);
    let mut out = Vec::new();
    for (i, x) in items(arr).iter().enumerate() {
        let a = hof_args(f, x.clone(), Value::Number(i as f64), arr.clone());
        if boolean(&call(ev, f, a, env)?).unwrap_or(false) {
            out.push(x.clone());
        }
    }
    Ok(Value::seq(out))
}

pub fn single(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(args, 1);
    let mut found: Option<Value> = None;
    for (i, x) in items(arr).iter().enumerate() {
        let ok = if f.is_undefined() {
            true
        } else {
            let a = hof_args(f, x.clone(), Value::Number(i as f64), arr.clone());
            boolean(&call(ev, f, a, env)?).unwrap_or(false)
        };
        if ok {
            if found.is_some() {
                return Err(Error::new("D3138").index(i));
            }
            found = Some(x.clone());
        }
    }
    found.ok_or_else(|| Error::new("D3139"))
}

pub fn reduce(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg(args, 1);
    let arity = match f {
        Value::Function(func) => func.arity(),
        _ => 0,
    };
    if arity < 2 {
        return Err(Error::new("D3050").index(1));
    }
    let it = items(arr);
    let init = arg(args, 2);
    let (mut acc, start) = if init.is_undefined() && !it.is_empty() {
        (it[0].clone(), 1)
    } else {
        (init.clone(), 0)
    };
    for (i, x) in it.iter().enumerate().skip(start) {
        let mut a = vec![acc, x.clone()];
        if arity >= 3 {
            a.push(Value::Number(i as f64));
        }
        if arity >= 4 {
            a.push(arr.clone());
        }
        acc = call(ev, f, a, env)?;
    }
    Ok(acc)
}

pub fn sift(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let obj = arg(args, 0);
    let f = arg(args, 1);
    let Value::Object(o) = obj else {
        return Ok(Value::Undefined);
    };
    let mut m = new_map(0);
    for (k, v) in o.iter() {
        let a = hof_args(f, v.clone(), Value::String(k.clone()), obj.clone());
        if boolean(&call(ev, f, a, env)?).unwrap_or(false) {
            m.insert(k.clone(), v.clone());
        }
    }
    if m.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Object(Rc::new(m)))
}

pub fn each(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let obj = arg(args, 0);
    let f = arg(args, 1);
    let Value::Object(o) = obj else {
        return Ok(Value::seq(vec![]));
    };
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        let a = hof_args(f, v.clone(), Value::String(k.clone()), obj.clone());
        let r = call(ev, f, a, env)?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::seq(out))
}

fn js_truthy(v: &Value) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn merge_sort(
    ev: &mut Evaluator,
    v: Vec<Value>,
    swap: &mut dyn FnMut(&mut Evaluator, &Value, &Value) -> Result<bool, crate::EvalError>,
) -> Result<Vec<Value>, crate::EvalError> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let mut left = v;
    let right = left.split_off(left.len() / 2);
    let left = merge_sort(ev, left, swap)?;
    let right = merge_sort(ev, right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if swap(ev, &left[i], &right[j])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

pub fn sort(ev: &mut Evaluator, args: &[Value], env: &Env) -> R {
    let arr = arg(args, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let it = items(arr);
    if it.len() <= 1 {
        return Ok(arr.clone());
    }
    let f = arg(args, 1);
    if f.is_undefined() {
        let all_num = it
            .iter()
            .all(|x| matches!(x, Value::Number(n) if !n.is_nan()));
        let all_str = it.iter().all(|x| matches!(x, Value::String(_)));
        if !all_num && !all_str {
            return Err(Error::new("D3070").index(1));
        }
        let mut v = it.to_vec();
        v.sort_by(|a, b| match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal)
            }
            (Value::String(x), Value::String(y)) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
        return Ok(Value::arr(v));
    }
    let f = f.clone();
    let env = env.clone();
    let mut swap =
        move |ev: &mut Evaluator, a: &Value, b: &Value| -> Result<bool, crate::EvalError> {
            let r = ev.apply(&f, vec![a.clone(), b.clone()], &Value::Undefined, &env)?;
            Ok(js_truthy(&r))
        };
    Ok(Value::arr(merge_sort(ev, it.to_vec(), &mut swap)?))
}
