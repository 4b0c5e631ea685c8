//! The built-in function library: the registry (names, signatures, arities) and shared helpers.

mod array;
mod aws;
mod hof;
mod numeric;
mod object;
mod string;

use crate::Error;
use crate::eval::Evaluator;
use crate::regex::{JsRegex, utf16_len};
use crate::value::*;
use std::rc::Rc;

pub use string::to_string;

/// A built-in function's implementation.
pub type Imp = fn(&mut Evaluator, &[Value], &Env) -> Result<Value, crate::EvalError>;

/// A built-in function.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    /// The reference implementation's declared parameter count (used by the higher-order functions).
    pub arity: usize,
    pub imp: Imp,
}

macro_rules! b {
    ($name:expr, $sig:expr, $arity:expr, $imp:expr) => {
        Builtin {
            name: $name,
            signature: $sig,
            arity: $arity,
            imp: $imp,
        }
    };
}

static BUILTINS: &[Builtin] = &[
    b!("sum", "<a<n>:n>", 1, numeric::sum),
    b!("count", "<a:n>", 1, array::count),
    b!("max", "<a<n>:n>", 1, numeric::max),
    b!("min", "<a<n>:n>", 1, numeric::min),
    b!("average", "<a<n>:n>", 1, numeric::average),
    b!("string", "<x-b?:s>", 1, string::string),
    b!("substring", "<s-nn?:s>", 3, string::substring),
    b!("substringBefore", "<s-s:s>", 2, string::substring_before),
    b!("substringAfter", "<s-s:s>", 2, string::substring_after),
    b!("lowercase", "<s-:s>", 1, string::lowercase),
    b!("uppercase", "<s-:s>", 1, string::uppercase),
    b!("length", "<s-:n>", 1, string::length),
    b!("trim", "<s-:s>", 1, string::trim),
    b!("pad", "<s-ns?:s>", 3, string::pad),
    b!("match", "<s-f<s:o>n?:a<o>>", 3, string::match_),
    b!("contains", "<s-(sf):b>", 2, string::contains),
    b!("replace", "<s-(sf)(sf)n?:s>", 4, string::replace),
    b!("split", "<s-(sf)n?:a<s>>", 3, string::split),
    b!("join", "<a<s>s?:s>", 2, string::join),
    b!("formatNumber", "<n-so?:s>", 3, numeric::format_number),
    b!("formatBase", "<n-n?:s>", 2, numeric::format_base),
    b!(
        "formatInteger",
        "<n-s:s>",
        2,
        crate::datetime::format_integer_fn
    ),
    b!(
        "parseInteger",
        "<s-s:n>",
        2,
        crate::datetime::parse_integer_fn
    ),
    b!("number", "<(nsb)-:n>", 1, numeric::number),
    b!("floor", "<n-:n>", 1, numeric::floor),
    b!("ceil", "<n-:n>", 1, numeric::ceil),
    b!("round", "<n-n?:n>", 2, numeric::round_fn),
    b!("abs", "<n-:n>", 1, numeric::abs),
    b!("sqrt", "<n-:n>", 1, numeric::sqrt),
    b!("power", "<n-n:n>", 2, numeric::power),
    b!("random", "<n?:n>", 1, aws::random),
    b!("boolean", "<x-:b>", 1, object::boolean_fn),
    b!("not", "<x-:b>", 1, object::not),
    b!("map", "<af>", 2, hof::map),
    b!("zip", "<a+>", 0, array::zip),
    b!("filter", "<af>", 2, hof::filter),
    b!("single", "<af?>", 2, hof::single),
    b!("reduce", "<afj?:j>", 3, hof::reduce),
    b!("sift", "<o-f?:o>", 2, hof::sift),
    b!("keys", "<x-:a<s>>", 1, object::keys_fn),
    b!("lookup", "<x-s:x>", 2, object::lookup_fn),
    b!("append", "<xx:a>", 2, array::append_fn),
    b!("exists", "<x:b>", 1, object::exists),
    b!("spread", "<x-:a<o>>", 1, object::spread_fn),
    b!("merge", "<a<o>:o>", 1, object::merge),
    b!("reverse", "<a:a>", 1, array::reverse),
    b!("each", "<o-f:a>", 2, hof::each),
    b!("error", "<s?:x>", 1, object::error),
    b!("assert", "<bs?:x>", 2, object::assert),
    b!("type", "<x:s>", 1, object::type_fn),
    b!("sort", "<af?:a>", 2, hof::sort),
    b!("shuffle", "<a:a>", 1, array::shuffle),
    b!("distinct", "<x:x>", 1, array::distinct),
    b!("base64encode", "<s-:s>", 1, string::base64encode),
    b!("base64decode", "<s-:s>", 1, string::base64decode),
    b!(
        "encodeUrlComponent",
        "<s-:s>",
        1,
        string::encode_url_component
    ),
    b!("encodeUrl", "<s-:s>", 1, string::encode_url),
    b!(
        "decodeUrlComponent",
        "<s-:s>",
        1,
        string::decode_url_component
    ),
    b!("decodeUrl", "<s-:s>", 1, string::decode_url),
    b!("toMillis", "<s-s?:n>", 2, crate::datetime::to_millis_fn),
    b!(
        "fromMillis",
        "<n-s?s?:s>",
        3,
        crate::datetime::from_millis_fn
    ),
    b!("clone", "<(oa)-:o>", 1, object::clone),
    b!("now", "<s?s?:s>", 2, crate::datetime::now_fn),
    b!("millis", "<:n>", 0, crate::datetime::millis_fn),
    // AWS Step Functions additions
    b!("partition", "<an:a>", 2, aws::partition),
    b!("range", "<nnn?:a>", 3, aws::range),
    b!("hash", "<s-s?:s>", 2, aws::hash),
    b!("uuid", "<:s>", 0, aws::uuid),
    b!("parse", "<s-:j>", 1, aws::parse),
];

/// The built-in function called `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// Argument `i` (undefined when absent).
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Undefined)
}

/// The items of an array argument (validated to be an array or undefined).
pub(crate) fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a, _) => a,
        _ => &[],
    }
}

/// The arguments to pass to a callback: value, then index and the whole array if it declares them.
pub(crate) fn hof_args(func: &Value, a: Value, b: Value, c: Value) -> Vec<Value> {
    let arity = match func {
        Value::Function(f) => f.arity(),
        _ => 1,
    };
    let mut v = vec![a];
    if arity >= 2 {
        v.push(b);
    }
    if arity >= 3 {
        v.push(c);
    }
    v
}

/// Build the `{match, start, end, groups, next}` object the matcher protocol uses.
pub fn regex_match_value(
    re: &Rc<JsRegex>,
    text: &Rc<str>,
    from: usize,
) -> Result<Value, crate::EvalError> {
    let Some(m) = re.exec(text, from)? else {
        return Ok(Value::Undefined);
    };
    let mut o = new_map(0);
    let start = utf16_len(&text[..m.start]);
    o.insert("match".into(), Value::str(&m.text));
    o.insert("start".into(), Value::Number(start as f64));
    o.insert(
        "end".into(),
        Value::Number((start + utf16_len(&m.text)) as f64),
    );
    o.insert(
        "groups".into(),
        Value::arr(
            m.groups
                .iter()
                .map(|g| g.as_ref().map(|s| Value::str(s)).unwrap_or_default())
                .collect(),
        ),
    );
    o.insert(
        "next".into(),
        Value::Function(Rc::new(Func::RegexNext {
            re: re.clone(),
            text: text.clone(),
            from: m.end,
        })),
    );
    Ok(Value::Object(Rc::new(o)))
}

/// One match from a matcher (a regex or a user function following the protocol).
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub groups: Vec<Value>,
    /// Byte offsets for regex matches; None for user matchers.
    pub bytes: Option<(usize, usize)>,
}

/// Iterate matches of `matcher` over `text`, up to `limit`.
pub(crate) fn find_all(
    ev: &mut Evaluator,
    matcher: &Value,
    text: &Rc<str>,
    limit: Option<usize>,
    env: &Env,
) -> Result<Vec<Found>, crate::EvalError> {
    let mut out = Vec::new();
    if limit == Some(0) {
        return Ok(out);
    }
    if let Value::Function(f) = matcher
        && let Func::Regex(re) = f.as_ref()
    {
        let mut from = 0;
        let mut first = true;
        loop {
            if !first && from >= text.len() {
                break;
            }
            let Some(m) = re.exec(text, from)? else { break };
            if !first && m.start == m.end {
                return Err(Error::new("D1004").value_str(&re.source));
            }
            first = false;
            let start = utf16_len(&text[..m.start]);
            out.push(Found {
                start,
                end: start + utf16_len(&m.text),
                text: m.text.clone(),
                groups: m
                    .groups
                    .iter()
                    .map(|g| g.as_ref().map(|s| Value::str(s)).unwrap_or_default())
                    .collect(),
                bytes: Some((m.start, m.end)),
            });
            ev.tick()?;
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            from = m.end;
        }
        return Ok(out);
    }
    // user-defined matcher
    let mut res = ev.apply(
        matcher,
        vec![Value::String(text.clone())],
        &Value::Undefined,
        env,
    )?;
    loop {
        let o = match &res {
            Value::Undefined => break,
            Value::Object(o) => o.clone(),
            _ => return Err(Error::new("T1010")),
        };
        let num = |k: &str| o.get(k).and_then(|v| v.as_f64());
        let ok = num("start").is_some()
            || matches!(o.get("groups"), Some(Value::Array(..)))
            || matches!(o.get("next"), Some(Value::Function(_)));
        if !ok {
            return Err(Error::new("T1010"));
        }
        let text_m = o
            .get("match")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let start = num("start").unwrap_or(0.0) as usize;
        out.push(Found {
            start,
            end: num("end")
                .map(|e| e as usize)
                .unwrap_or(start + utf16_len(&text_m)),
            text: text_m,
            groups: o.get("groups").map(|g| g.to_vec()).unwrap_or_default(),
            bytes: None,
        });
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        match o.get("next") {
            Some(next @ Value::Function(_)) => {
                res = ev.apply(next, vec![], &Value::Undefined, env)?;
            }
            _ => break,
        }
    }
    Ok(out)
}

/// Convert a UTF-16 offset to a byte offset in `s`.
pub(crate) fn byte_at_utf16(s: &str, u16pos: usize) -> usize {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        if n >= u16pos {
            return i;
        }
        n += c.len_utf16();
    }
    s.len()
}

/// A limit argument: undefined → None; negative → error `code`.
pub(crate) fn limit_arg(v: &Value, code: &str) -> Result<Option<usize>, crate::EvalError> {
    match v {
        Value::Number(n) if *n < 0.0 => Err(Error::new(code).value_num(*n)),
        Value::Number(n) => Ok(Some(n.floor() as usize)),
        _ => Ok(None),
    }
}

/// Deterministic pseudo-random numbers in [0, 1) (splitmix64).
pub(crate) fn next_random(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
