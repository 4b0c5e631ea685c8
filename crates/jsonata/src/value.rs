//! The evaluator's value type (Rc-shared, with sequences, functions and tuple streams),
//! JSON conversion at the boundary, and JavaScript-compatible number and JSON formatting.

use crate::ast::{LambdaDef, TransformDef};
use crate::functions::Builtin;
use crate::regex::JsRegex;
use std::cell::RefCell;
use std::rc::Rc;

/// Array flag: the array is a sequence (a result of path navigation).
pub const SEQ: u8 = 1;
/// Array flag: keep a singleton sequence as an array.
pub const KEEP: u8 = 2;
/// Array flag: the array was built by an array constructor.
pub const CONS: u8 = 4;
/// Array flag: the input array wrapped as a single item.
pub const OUTER: u8 = 8;

/// Values nested deeper than this are cut off (null / unequal) by the recursive conversions,
/// which keeps their stack use bounded.
pub const MAX_VALUE_DEPTH: usize = 1000;

/// A fast non-cryptographic hasher (FxHash) for the evaluator's maps: keys are short
/// strings and hash-flooding resistance is not needed for a single evaluation.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The hasher state for [`Map`].
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// An object: entries in insertion order, found by a linear scan while small and through a
/// hash index once larger (one allocation per small object, no hashing).
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: Vec<(Rc<str>, Value)>,
    index: Option<std::collections::HashMap<Rc<str>, usize, FxBuild>>,
}

/// Objects with more entries than this get a hash index.
const INDEX_FROM: usize = 12;

impl Map {
    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Map {
        Map {
            entries: Vec::with_capacity(n),
            index: None,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, k: &str) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(k).copied(),
            None => self.entries.iter().position(|(key, _)| &**key == k),
        }
    }

    fn reindex(&mut self) {
        if self.entries.len() > INDEX_FROM {
            let mut ix = std::collections::HashMap::with_capacity_and_hasher(
                self.entries.len(),
                FxBuild::default(),
            );
            for (i, (k, _)) in self.entries.iter().enumerate() {
                ix.insert(k.clone(), i);
            }
            self.index = Some(ix);
        } else {
            self.index = None;
        }
    }

    /// The value for `k`.
    pub fn get(&self, k: &str) -> Option<&Value> {
        self.find(k)
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }

    /// Insert or replace (a replaced entry keeps its position).
    pub fn insert(&mut self, k: Rc<str>, v: Value) -> Option<Value> {
        if let Some(i) = self.find(&k)
            && let Some(slot) = self.entries.get_mut(i)
        {
            return Some(std::mem::replace(&mut slot.1, v));
        }
        self.entries.push((k.clone(), v));
        match &mut self.index {
            Some(ix) => {
                ix.insert(k, self.entries.len() - 1);
            }
            None if self.entries.len() > INDEX_FROM => self.reindex(),
            None => {}
        }
        None
    }

    /// Remove `k`, keeping the order of the others.
    pub fn shift_remove(&mut self, k: &str) -> Option<Value> {
        let i = self.find(k)?;
        let (_, v) = self.entries.remove(i);
        if self.index.is_some() {
            self.reindex();
        }
        Some(v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Rc<str>, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &Rc<str>> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// Drop a value without recursion: deeply nested values (built by a loop, say) would otherwise
/// overflow the stack in the compiler-generated recursive drop.
pub fn dispose(v: Value) {
    let mut stack: Vec<Value> = Vec::new();
    let push = |v: Value, stack: &mut Vec<Value>| {
        if matches!(v, Value::Object(_) | Value::Array(..)) {
            stack.push(v);
        }
    };
    push(v, &mut stack);
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(rc) => {
                if let Ok(mut m) = Rc::try_unwrap(rc) {
                    for (_, x) in m.entries.drain(..) {
                        push(x, &mut stack);
                    }
                }
            }
            Value::Array(rc, _) => {
                if let Ok(items) = Rc::try_unwrap(rc) {
                    for x in items {
                        push(x, &mut stack);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // hand nested containers to the iterative `dispose` instead of recursing
        if self
            .entries
            .iter()
            .any(|(_, v)| matches!(v, Value::Object(_) | Value::Array(..)))
        {
            for (_, v) in self.entries.drain(..) {
                if matches!(v, Value::Object(_) | Value::Array(..)) {
                    dispose(v);
                }
            }
        }
    }
}

impl FromIterator<(Rc<str>, Value)> for Map {
    fn from_iter<T: IntoIterator<Item = (Rc<str>, Value)>>(iter: T) -> Map {
        let mut m = Map::default();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

/// A new empty object map.
pub fn new_map(capacity: usize) -> Map {
    Map::with_capacity(capacity)
}

/// A value during evaluation.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Vec<Value>>, u8),
    Object(Rc<Map>),
    Function(Rc<Func>),
    Tuples(Rc<Vec<Tuple>>),
}

/// A tuple of a tuple stream: the context value and its variable bindings.
#[derive(Clone, Debug, Default)]
pub struct Tuple {
    pub at: Value,
    pub vars: Vec<(Rc<str>, Value)>,
}

impl Tuple {
    /// Set (or replace) a binding.
    pub fn set(&mut self, name: &Rc<str>, v: Value) {
        if let Some(slot) = self.vars.iter_mut().find(|(n, _)| n == name) {
            slot.1 = v;
        } else {
            self.vars.push((name.clone(), v));
        }
    }
}

/// A frame of variable bindings.
#[derive(Debug, Default)]
pub struct Frame {
    pub vars: RefCell<Vec<(Rc<str>, Value)>>,
    pub parent: Option<Env>,
}

impl Drop for Frame {
    fn drop(&mut self) {
        // variables may hold deeply nested values: drop them without recursion
        for (_, v) in self.vars.get_mut().drain(..) {
            if matches!(v, Value::Object(_) | Value::Array(..)) {
                dispose(v);
            }
        }
    }
}

/// A scope: the innermost frame.
pub type Env = Rc<Frame>;

/// A new frame enclosed by `parent`.
pub fn new_frame(parent: &Env) -> Env {
    Rc::new(Frame {
        vars: RefCell::new(Vec::new()),
        parent: Some(parent.clone()),
    })
}

/// Bind a variable in this frame.
pub fn bind(env: &Env, name: &Rc<str>, v: Value) {
    let mut vars = env.vars.borrow_mut();
    if let Some(slot) = vars.iter_mut().find(|(n, _)| n == name) {
        slot.1 = v;
    } else {
        vars.push((name.clone(), v));
    }
}

/// Look a variable up through the enclosing frames.
pub fn lookup(env: &Env, name: &str) -> Option<Value> {
    let mut cur = Some(env);
    while let Some(f) = cur {
        if let Some((_, v)) = f.vars.borrow().iter().find(|(n, _)| &**n == name) {
            return Some(v.clone());
        }
        cur = f.parent.as_ref();
    }
    None
}

/// Function values.
#[derive(Debug)]
pub enum Func {
    Lambda {
        def: Rc<LambdaDef>,
        input: Value,
        env: Env,
        /// Remaining parameters after partial application (which drops the signature).
        params: Option<Vec<Rc<str>>>,
    },
    Builtin(&'static Builtin),
    PartialNative {
        func: Rc<Func>,
        args: Vec<Option<Value>>,
    },
    Transform {
        def: Rc<TransformDef>,
        env: Env,
    },
    Regex(Rc<JsRegex>),
    RegexNext {
        re: Rc<JsRegex>,
        text: Rc<str>,
        from: usize,
    },
    Chain(Value, Value),
}

impl Func {
    /// Number of declared parameters (the reference's `getFunctionArity`).
    pub fn arity(&self) -> usize {
        match self {
            Func::Lambda { def, params, .. } => {
                params.as_ref().map_or(def.params.len(), |p| p.len())
            }
            Func::Builtin(b) => b.arity,
            Func::PartialNative { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Transform { .. } => 1,
            Func::Regex(_) => 2,
            Func::RegexNext { .. } => 0,
            Func::Chain(..) => 1,
        }
    }
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    /// An empty sequence.
    pub fn seq(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(items), SEQ)
    }

    /// A plain array.
    pub fn arr(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(items), 0)
    }

    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(..))
    }

    pub fn is_function(&self) -> bool {
        matches!(self, Value::Function(_))
    }

    pub fn flags(&self) -> u8 {
        match self {
            Value::Array(_, f) => *f,
            _ => 0,
        }
    }

    /// The same array with flags replaced.
    pub fn with_flags(self, flags: u8) -> Value {
        match self {
            Value::Array(a, _) => Value::Array(a, flags),
            v => v,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value viewed as a list: arrays as their items, undefined as empty, others as one item.
    pub fn to_vec(&self) -> Vec<Value> {
        match self {
            Value::Array(a, _) => a.as_ref().clone(),
            Value::Undefined => Vec::new(),
            v => vec![v.clone()],
        }
    }

    /// The JSONata type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(..) | Value::Tuples(_) => "array",
            Value::Object(_) => "object",
            Value::Function(_) => "function",
        }
    }

    /// Convert from JSON.
    pub fn from_json(v: &serde_json::Value) -> Value {
        let mut keys = KeyCache::default();
        Value::from_json_at(v, 0, &mut keys)
    }

    fn from_json_at(v: &serde_json::Value, depth: usize, keys: &mut KeyCache) -> Value {
        if depth > MAX_VALUE_DEPTH {
            return Value::Null;
        }
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::arr(
                a.iter()
                    .map(|x| Value::from_json_at(x, depth + 1, keys))
                    .collect(),
            ),
            serde_json::Value::Object(o) => {
                let mut m = new_map(o.len());
                for (k, v) in o {
                    let key = keys.get(k);
                    m.insert(key, Value::from_json_at(v, depth + 1, keys));
                }
                Value::Object(Rc::new(m))
            }
        }
    }

    /// Convert to JSON (undefined → `None`; functions become `""`, as JSON.stringify's replacer does).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        self.to_json_at(0)
    }

    fn to_json_at(&self, depth: usize) -> Option<serde_json::Value> {
        if depth > MAX_VALUE_DEPTH {
            return Some(serde_json::Value::Null);
        }
        Some(match self {
            Value::Undefined => return None,
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a, _) => serde_json::Value::Array(
                a.iter()
                    .map(|v| v.to_json_at(depth + 1).unwrap_or(serde_json::Value::Null))
                    .collect(),
            ),
            Value::Object(o) => {
                let mut m = serde_json::Map::with_capacity(o.len());
                for (k, v) in o.iter() {
                    if let Some(j) = v.to_json_at(depth + 1) {
                        m.insert(k.to_string(), j);
                    }
                }
                serde_json::Value::Object(m)
            }
            Value::Function(_) => serde_json::Value::String(String::new()),
            Value::Tuples(t) => serde_json::Value::Array(
                t.iter()
                    .map(|v| v.at.to_json().unwrap_or(serde_json::Value::Null))
                    .collect(),
            ),
        })
    }
}

/// Shares repeated object keys while converting input (arrays of similar objects are common).
#[derive(Default)]
struct KeyCache {
    keys: std::collections::HashMap<Rc<str>, (), FxBuild>,
}

impl KeyCache {
    fn get(&mut self, k: &str) -> Rc<str> {
        if let Some((key, _)) = self.keys.get_key_value(k) {
            return key.clone();
        }
        let key: Rc<str> = Rc::from(k);
        if self.keys.len() < 10_000 {
            self.keys.insert(key.clone(), ());
        }
        key
    }
}

/// A JSON number for `n` (integers without a fraction where exact).
pub fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::Number(serde_json::Number::from(n as i64))
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Deep equality as the reference's `isDeepEqual`.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_at(a, b, 0)
}

fn deep_equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return false;
    }
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x, _), Value::Array(y, _)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(p, q)| deep_equal_at(p, q, depth + 1)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal_at(v, w, depth + 1))))
        }
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// Format a number as JavaScript's `Number.prototype.toString()` does.
pub fn fmt_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sci = format!("{:e}", n.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let k = digits.len() as i32;
    let npos = exp + 1;
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    if k <= npos && npos <= 21 {
        out.push_str(&digits);
        for _ in 0..(npos - k) {
            out.push('0');
        }
    } else if 0 < npos && npos <= 21 {
        out.push_str(&digits[..npos as usize]);
        out.push('.');
        out.push_str(&digits[npos as usize..]);
    } else if -6 < npos && npos <= 0 {
        out.push_str("0.");
        for _ in 0..(-npos) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if npos > 0 { '+' } else { '-' });
        out.push_str(&(npos - 1).abs().to_string());
    }
    out
}

/// Round to 15 significant digits, as `Number(n.toPrecision(15))`.
pub fn to_precision_15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    format!("{:.14e}", n).parse().unwrap_or(n)
}

/// Append a JSON string literal (JSON.stringify escaping).
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Serialize like `JSON.stringify(v, replacer, indent)` with the `$string` replacer
/// (numbers to 15 significant digits, functions as `""`).
pub fn stringify(v: &Value, pretty: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, v, pretty, 0, 0);
    out
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_json(out: &mut String, v: &Value, pretty: bool, level: usize, depth: usize) {
    if depth > MAX_VALUE_DEPTH {
        out.push_str("null");
        return;
    }
    match v {
        Value::Undefined | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_finite() {
                out.push_str(&fmt_number(to_precision_15(*n)))
            } else {
                out.push_str("null")
            }
        }
        Value::String(s) => push_json_string(out, s),
        Value::Function(_) => out.push_str("\"\""),
        Value::Array(a, _) => write_array(out, a.iter(), a.len(), pretty, level, depth),
        Value::Tuples(t) => {
            write_array(out, t.iter().map(|t| &t.at), t.len(), pretty, level, depth)
        }
        Value::Object(o) => {
            let entries: Vec<_> = o.iter().filter(|(_, v)| !v.is_undefined()).collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    indent(out, level + 1);
                }
                push_json_string(out, k);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, v, pretty, level + 1, depth + 1);
            }
            if pretty {
                indent(out, level);
            }
            out.push('}');
        }
    }
}

fn write_array<'a>(
    out: &mut String,
    items: impl Iterator<Item = &'a Value>,
    len: usize,
    pretty: bool,
    level: usize,
    depth: usize,
) {
    if len == 0 {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, v) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if pretty {
            indent(out, level + 1);
        }
        write_json(out, v, pretty, level + 1, depth + 1);
    }
    if pretty {
        indent(out, level);
    }
    out.push(']');
}
