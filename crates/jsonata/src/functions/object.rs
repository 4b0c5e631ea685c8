//! Object and type functions: `$keys`, `$lookup`, `$spread`, `$merge`, `$type`, `$boolean`,
//! `$not`, `$exists`, `$error`, `$assert`, `$clone`.

use super::{arg, items};
use crate::Error;
use crate::eval::{Evaluator, boolean, lookup_field};
use crate::value::*;
use std::rc::Rc;

type R = Result<Value, crate::EvalError>;

pub fn boolean_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(boolean(arg(args, 0)).map_or(Value::Undefined, Value::Bool))
}

pub fn not(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(boolean(arg(args, 0)).map_or(Value::Undefined, |b| Value::Bool(!b)))
}

fn keys(v: &Value, out: &mut indexmap::IndexSet<Rc<str>>, depth: usize) {
    match v {
        Value::Array(a, _) if depth < MAX_VALUE_DEPTH => {
            a.iter().for_each(|x| keys(x, out, depth + 1))
        }
        Value::Object(o) => o.keys().for_each(|k| {
            out.insert(k.clone());
        }),
        _ => {}
    }
}

pub fn keys_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let mut set = indexmap::IndexSet::new();
    keys(arg(args, 0), &mut set, 0);
    Ok(Value::seq(set.into_iter().map(Value::String).collect()))
}

pub fn lookup_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let key = arg(args, 1).as_str().unwrap_or("");
    Ok(lookup_field(arg(args, 0), key))
}

pub fn exists(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(Value::Bool(!arg(args, 0).is_undefined()))
}

fn spread(v: &Value, depth: usize) -> Value {
    match v {
        Value::Array(a, _) if depth < MAX_VALUE_DEPTH => {
            let mut out = Value::seq(vec![]);
            for x in a.iter() {
                out = crate::eval::append(out, spread(x, depth + 1));
            }
            out
        }
        Value::Object(o) => Value::seq(
            o.iter()
                .map(|(k, x)| {
                    let mut m = new_map(0);
                    m.insert(k.clone(), x.clone());
                    Value::Object(Rc::new(m))
                })
                .collect(),
        ),
        v => v.clone(),
    }
}

pub fn spread_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    Ok(spread(arg(args, 0), 0))
}

pub fn merge(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut m = new_map(0);
    for o in items(v) {
        if let Value::Object(o) = o {
            for (k, x) in o.iter() {
                m.insert(k.clone(), x.clone());
            }
        }
    }
    Ok(Value::Object(Rc::new(m)))
}

pub fn error(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let msg = match arg(args, 0) {
        Value::String(s) if !s.is_empty() => s.to_string(),
        _ => "$error() function evaluated".to_string(),
    };
    Err(Error::new("D3137").message(&msg))
}

pub fn assert(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    if !matches!(arg(args, 0), Value::Bool(true)) {
        let msg = match arg(args, 1) {
            Value::String(s) if !s.is_empty() => s.to_string(),
            _ => "$assert() statement failed".to_string(),
        };
        return Err(Error::new("D3141").message(&msg));
    }
    Ok(Value::Undefined)
}

pub fn type_fn(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::str(v.type_name()))
}

pub fn clone(_: &mut Evaluator, args: &[Value], _: &Env) -> R {
    let v = arg(args, 0);
    Ok(match v.to_json() {
        Some(j) => Value::from_json(&j),
        None => Value::Undefined,
    })
}
