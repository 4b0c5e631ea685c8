//! JSONPath as AWS Step Functions evaluates it (Jayway semantics): parsing, reference-path checks and evaluation.
//!
//! A path starts at a root: `$` (the state's input or whatever value the caller gives), `$$` (the context
//! object) or `$name` (a workflow variable). Selectors: `.name`, `['name']`, `[0]`, `[-1]`, `[*]`, `.*`,
//! `[1:3]`, `[0,2]`, `['a','b']`, `..name` (recursive descent), `[?(@.price < 10 && @.tag)]` (filters) and a
//! trailing `.length()`. A *definite* path (only names and indexes) selects one value or nothing; any other path
//! selects a list, possibly empty, exactly as AWS does.

use serde_json::Value;
use std::fmt;

/// Maximum nesting of filter expressions and maximum number of segments, to bound recursion.
const MAX_DEPTH: usize = 64;

/// Where a path starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    /// `$`: the current value (a state's input, result, ...).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable set by `Assign`.
    Variable(String),
    /// `@`: the current item inside a filter.
    Current,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.x`, `[..]`: applies to the current nodes.
    Child(Selector),
    /// `..x`: applies to the current nodes and all their descendants.
    Descendant(Selector),
    /// `.length()` and friends: applies a function to the selected value.
    Function(String),
}

/// What one segment selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Name(String),
    Index(i64),
    Wildcard,
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    Names(Vec<String>),
    Indexes(Vec<i64>),
    Filter(Box<Filter>),
}

/// A filter expression inside `[?( ... )]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// A lone operand: true when the path exists (or the literal is truthy).
    Exists(Operand),
    Compare(Operand, CompareOp, Operand),
}

/// A comparison operator inside a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    Contains,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(JsonPath),
    Literal(Value),
}

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    pub root: Root,
    pub segments: Vec<Segment>,
    text: String,
}

/// Why a path did not parse: the message names the problem and `position` is the byte offset in the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for PathError {}

/// Parse a JSONPath such as `$.a.b[0]`, `$$.Execution.Id` or `$var.field`.
pub fn parse(path: &str) -> Result<JsonPath, PathError> {
    let mut p = Parser {
        s: path,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let jp = p.path(false)?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.err(format!("unexpected '{}'", p.rest_char())));
    }
    Ok(jp)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> PathError {
        PathError {
            message: message.into(),
            position: self.pos.min(self.s.len()),
        }
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn rest(&self) -> &str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn rest_char(&self) -> char {
        self.peek().unwrap_or(' ')
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.pos += prefix.len();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: char) -> Result<(), PathError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else if self.peek().is_none() {
            Err(self.err(format!("expected '{c}' but the path ended")))
        } else {
            Err(self.err(format!("expected '{c}' but found '{}'", self.rest_char())))
        }
    }

    /// A whole path; `in_filter` stops names at operators and whitespace.
    fn path(&mut self, in_filter: bool) -> Result<JsonPath, PathError> {
        let start = self.pos;
        let root = match self.peek() {
            Some('$') => {
                self.pos += 1;
                if self.eat("$") {
                    Root::Context
                } else {
                    let name = self.take_name(in_filter);
                    if name.is_empty() {
                        Root::Input
                    } else {
                        Root::Variable(name)
                    }
                }
            }
            Some('@') if in_filter => {
                self.pos += 1;
                Root::Current
            }
            Some(c) => return Err(self.err(format!("a path must start with '$', found '{c}'"))),
            None => return Err(self.err("empty path: a path must start with '$'")),
        };
        let mut segments = Vec::new();
        loop {
            if segments.len() > MAX_DEPTH * 4 {
                return Err(self.err("path has too many segments"));
            }
            match self.peek() {
                Some('.') => {
                    if self.eat("..") {
                        if self.peek() == Some('[') {
                            self.pos += 1;
                            segments.push(Segment::Descendant(self.bracket()?));
                        } else if self.eat("*") {
                            segments.push(Segment::Descendant(Selector::Wildcard));
                        } else {
                            let name = self.take_name(in_filter);
                            if name.is_empty() {
                                return Err(self.err("expected a field name after '..'"));
                            }
                            segments.push(Segment::Descendant(Selector::Name(name)));
                        }
                    } else {
                        self.pos += 1;
                        if self.eat("*") {
                            segments.push(Segment::Child(Selector::Wildcard));
                            continue;
                        }
                        // Jayway accepts `$.[0]` as `$[0]`.
                        if self.peek() == Some('[') {
                            continue;
                        }
                        let name = self.take_name(in_filter);
                        if name.is_empty() {
                            return Err(if self.peek().is_none() {
                                self.err("the path ends with '.': expected a field name")
                            } else {
                                self.err(format!(
                                    "expected a field name after '.', found '{}'",
                                    self.rest_char()
                                ))
                            });
                        }
                        if self.eat("()") {
                            if !is_function(&name) {
                                return Err(self.err(format!("unknown path function '{name}()'")));
                            }
                            segments.push(Segment::Function(name));
                        } else {
                            segments.push(Segment::Child(Selector::Name(name)));
                        }
                    }
                }
                Some('[') => {
                    self.pos += 1;
                    segments.push(Segment::Child(self.bracket()?));
                }
                _ => break,
            }
        }
        let text = self.s.get(start..self.pos).unwrap_or("").trim().to_string();
        Ok(JsonPath {
            root,
            segments,
            text,
        })
    }

    /// A dot-notation name: up to `.`, `[`, `(` (and, in a filter, whitespace, `)` and operators).
    fn take_name(&mut self, in_filter: bool) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let stop = match c {
                '.' | '[' | '(' => true,
                ')' | ' ' | '\t' | '\n' | '\r' | '=' | '!' | '<' | '>' | '&' | '|' | ',' | ']' => {
                    in_filter
                }
                _ => false,
            };
            if stop {
                break;
            }
            self.pos += c.len_utf8();
        }
        self.s.get(start..self.pos).unwrap_or("").to_string()
    }

    /// After `[`: a bracket selector up to and including `]`.
    fn bracket(&mut self) -> Result<Selector, PathError> {
        self.skip_ws();
        let sel = match self.peek() {
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('\'' | '"') => {
                let mut names = vec![self.quoted()?];
                loop {
                    self.skip_ws();
                    if self.eat(",") {
                        self.skip_ws();
                        names.push(self.quoted()?);
                    } else {
                        break;
                    }
                }
                if names.len() == 1 {
                    Selector::Name(names.remove(0))
                } else {
                    Selector::Names(names)
                }
            }
            Some('?') => {
                self.pos += 1;
                self.expect('(')?;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.err("filter nested too deeply"));
                }
                let f = self.filter_or()?;
                self.depth -= 1;
                self.expect(')')?;
                Selector::Filter(Box::new(f))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.index_or_slice()?,
            Some(']') => return Err(self.err("empty brackets '[]'")),
            Some(c) => return Err(self.err(format!("unexpected '{c}' inside brackets"))),
            None => return Err(self.err("unclosed '['")),
        };
        self.expect(']')?;
        Ok(sel)
    }

    fn quoted(&mut self) -> Result<String, PathError> {
        let Some(q) = self.bump() else {
            return Err(self.err("expected a quoted name"));
        };
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unterminated quoted name")),
                // Only `\<quote>` is an escape; any other backslash is kept, as AWS does.
                Some('\\') => match self.peek() {
                    Some(c) if c == q => {
                        self.pos += c.len_utf8();
                        out.push(c);
                    }
                    Some(_) => out.push('\\'),
                    None => return Err(self.err("unterminated quoted name")),
                },
                Some(c) if c == q => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn int(&mut self) -> Result<Option<i64>, PathError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.pos += 1;
        }
        let t = self.s.get(start..self.pos).unwrap_or("");
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>().map(Some).map_err(|_| PathError {
            message: format!("'{t}' is not a valid index"),
            position: start,
        })
    }

    fn index_or_slice(&mut self) -> Result<Selector, PathError> {
        let first = self.int()?;
        self.skip_ws();
        if self.eat(":") {
            let end = self.int()?;
            self.skip_ws();
            let step = if self.eat(":") { self.int()? } else { None };
            if step == Some(0) {
                return Err(self.err("slice step cannot be 0"));
            }
            return Ok(Selector::Slice {
                start: first,
                end,
                step,
            });
        }
        let Some(first) = first else {
            return Err(self.err("expected an index"));
        };
        let mut all = vec![first];
        while self.eat(",") {
            match self.int()? {
                Some(i) => all.push(i),
                None => return Err(self.err("expected an index after ','")),
            }
            self.skip_ws();
        }
        Ok(if all.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indexes(all)
        })
    }

    fn filter_or(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_and()?;
        loop {
            self.skip_ws();
            if self.eat("||") {
                let right = self.filter_and()?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_unary()?;
        loop {
            self.skip_ws();
            if self.eat("&&") {
                let right = self.filter_unary()?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self) -> Result<Filter, PathError> {
        self.skip_ws();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("filter nested too deeply"));
        }
        let out = if self.peek() == Some('!') && !self.rest().starts_with("!=") {
            self.pos += 1;
            Filter::Not(Box::new(self.filter_unary()?))
        } else if self.peek() == Some('(') {
            self.pos += 1;
            let f = self.filter_or()?;
            self.expect(')')?;
            f
        } else {
            let left = self.operand()?;
            self.skip_ws();
            match self.compare_op() {
                Some(op) => {
                    self.skip_ws();
                    let right = self.operand()?;
                    Filter::Compare(left, op, right)
                }
                None => Filter::Exists(left),
            }
        };
        self.depth -= 1;
        Ok(out)
    }

    fn compare_op(&mut self) -> Option<CompareOp> {
        const OPS: [(&str, CompareOp); 14] = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
            ("nin ", CompareOp::Nin),
            ("in ", CompareOp::In),
            ("contains ", CompareOp::Contains),
            ("subsetof ", CompareOp::SubsetOf),
            ("anyof ", CompareOp::AnyOf),
            ("noneof ", CompareOp::NoneOf),
            ("size ", CompareOp::Size),
            ("empty ", CompareOp::Empty),
        ];
        for (text, op) in OPS {
            if self.eat(text) {
                return Some(op);
            }
        }
        None
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.skip_ws();
        match self.peek() {
            Some('@' | '$') => Ok(Operand::Path(self.path(true)?)),
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.quoted()?))),
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.eat("]") {
                        break;
                    }
                    match self.operand()? {
                        Operand::Literal(v) => items.push(v),
                        Operand::Path(_) => return Err(self.err("paths are not allowed in a list")),
                    }
                    self.skip_ws();
                    if !self.eat(",") {
                        self.expect(']')?;
                        break;
                    }
                }
                Ok(Operand::Literal(Value::Array(items)))
            }
            Some('/') => Err(self.err("regular expressions (=~) are not supported")),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                {
                    self.pos += 1;
                }
                let t = self.s.get(start..self.pos).unwrap_or("");
                serde_json::from_str::<Value>(t)
                    .ok()
                    .filter(Value::is_number)
                    .map(Operand::Literal)
                    .ok_or(PathError {
                        message: format!("'{t}' is not a number"),
                        position: start,
                    })
            }
            _ => {
                for (word, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.eat(word) {
                        return Ok(Operand::Literal(v));
                    }
                }
                if self.peek().is_none() {
                    Err(self.err("the filter ended early"))
                } else {
                    Err(self.err(format!("unexpected '{}' in filter", self.rest_char())))
                }
            }
        }
    }
}

fn is_function(name: &str) -> bool {
    matches!(
        name,
        "length" | "size" | "min" | "max" | "avg" | "sum" | "stddev" | "keys" | "first" | "last"
    )
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonPath {
    /// The text the path was parsed from (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path made of the first `n` segments (same root), e.g. the parent of a step.
    pub fn prefix(&self, n: usize) -> JsonPath {
        let mut p = JsonPath {
            root: self.root.clone(),
            segments: self.segments.iter().take(n).cloned().collect(),
            text: String::new(),
        };
        p.text = p.normalized();
        p
    }

    /// True for a path that selects at most one value: only names and single indexes.
    pub fn is_definite(&self) -> bool {
        self.segments.iter().all(|s| {
            matches!(
                s,
                Segment::Child(Selector::Name(_) | Selector::Index(_)) | Segment::Function(_)
            )
        })
    }

    /// AWS's reference paths (ResultPath, `*Path` fields of Choice, ...): rooted at `$`, only single field names
    /// and indexes; no wildcards, filters, slices, unions, `..` or functions.
    pub fn is_reference_path(&self) -> bool {
        self.root == Root::Input
            && self
                .segments
                .iter()
                .all(|s| matches!(s, Segment::Child(Selector::Name(_) | Selector::Index(_))))
    }

    /// Jayway's normalised form used in AWS error messages, e.g. `$['a']['b'][0]`.
    pub fn normalized(&self) -> String {
        let mut out = match &self.root {
            Root::Input => "$".to_string(),
            Root::Context => "$$".to_string(),
            Root::Variable(n) => format!("${n}"),
            Root::Current => "@".to_string(),
        };
        for s in &self.segments {
            match s {
                Segment::Child(sel) => out.push_str(&selector_text(sel)),
                Segment::Descendant(sel) => {
                    out.push_str("..");
                    out.push_str(&selector_text(sel));
                }
                Segment::Function(n) => {
                    out.push('.');
                    out.push_str(n);
                    out.push_str("()");
                }
            }
        }
        out
    }

    /// Every node the path selects from `root` (in document order); `$$`/`$name` roots are taken to be `root`.
    pub fn select<'v>(&self, root: &'v Value) -> Vec<&'v Value> {
        select_segments(&self.segments, root, root, 0)
    }

    /// AWS's result of evaluating the path against `root`: a definite path gives its value or `None` when the
    /// value is missing; any other path gives an array of the selected values (possibly empty).
    pub fn evaluate(&self, root: &Value) -> Option<Value> {
        if let Some(Segment::Function(name)) = self.segments.last() {
            let head = &self.segments[..self.segments.len() - 1];
            let inner = JsonPath {
                root: self.root.clone(),
                segments: head.to_vec(),
                text: String::new(),
            };
            let v = inner.evaluate(root)?;
            return apply_function(name, &v);
        }
        let found = self.select(root);
        if self.is_definite() {
            found.first().map(|v| (*v).clone())
        } else {
            Some(Value::Array(found.into_iter().cloned().collect()))
        }
    }
}

fn selector_text(sel: &Selector) -> String {
    match sel {
        Selector::Name(n) => format!("['{}']", n.replace('\'', "\\'")),
        Selector::Index(i) => format!("[{i}]"),
        Selector::Wildcard => "[*]".into(),
        Selector::Slice { start, end, step } => {
            let s = |v: &Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            match step {
                Some(_) => format!("[{}:{}:{}]", s(start), s(end), s(step)),
                None => format!("[{}:{}]", s(start), s(end)),
            }
        }
        Selector::Names(ns) => format!(
            "[{}]",
            ns.iter()
                .map(|n| format!("'{}'", n.replace('\'', "\\'")))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Selector::Indexes(is) => format!(
            "[{}]",
            is.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
        Selector::Filter(_) => "[?]".into(),
    }
}

fn apply_function(name: &str, v: &Value) -> Option<Value> {
    let nums = || -> Option<Vec<f64>> { v.as_array()?.iter().map(Value::as_f64).collect() };
    let num = |x: f64| serde_json::Number::from_f64(x).map(Value::Number);
    match name {
        "length" | "size" => match v {
            Value::Array(a) => Some(Value::from(a.len())),
            Value::Object(o) => Some(Value::from(o.len())),
            Value::String(s) => Some(Value::from(s.chars().count())),
            _ => None,
        },
        "keys" => v
            .as_object()
            .map(|o| Value::Array(o.keys().cloned().map(Value::String).collect())),
        "first" => v.as_array()?.first().cloned(),
        "last" => v.as_array()?.last().cloned(),
        "sum" => num(nums()?.iter().sum()),
        "min" => num(nums()?.into_iter().reduce(f64::min)?),
        "max" => num(nums()?.into_iter().reduce(f64::max)?),
        "avg" => {
            let n = nums()?;
            if n.is_empty() {
                return None;
            }
            num(n.iter().sum::<f64>() / n.len() as f64)
        }
        "stddev" => {
            let n = nums()?;
            if n.is_empty() {
                return None;
            }
            let mean = n.iter().sum::<f64>() / n.len() as f64;
            num((n.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n.len() as f64).sqrt())
        }
        _ => None,
    }
}

fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let j = if i < 0 { len + i } else { i };
    if (0..len).contains(&j) {
        usize::try_from(j).ok()
    } else {
        None
    }
}

fn select_segments<'v>(
    segments: &[Segment],
    node: &'v Value,
    root: &'v Value,
    depth: usize,
) -> Vec<&'v Value> {
    let Some((first, rest)) = segments.split_first() else {
        return vec![node];
    };
    let mut out = Vec::new();
    match first {
        Segment::Child(sel) => {
            for child in apply_selector(sel, node, root, depth) {
                out.extend(select_segments(rest, child, root, depth));
            }
        }
        Segment::Descendant(sel) => {
            let mut stack = vec![node];
            let mut visited = Vec::new();
            // pre-order walk of node and its descendants
            while let Some(n) = stack.pop() {
                visited.push(n);
                match n {
                    Value::Array(a) => stack.extend(a.iter().rev()),
                    Value::Object(o) => stack.extend(o.values().rev()),
                    _ => {}
                }
            }
            for n in visited {
                for child in apply_selector(sel, n, root, depth) {
                    out.extend(select_segments(rest, child, root, depth));
                }
            }
        }
        Segment::Function(_) => {}
    }
    out
}

fn apply_selector<'v>(
    sel: &Selector,
    node: &'v Value,
    root: &'v Value,
    depth: usize,
) -> Vec<&'v Value> {
    match (sel, node) {
        (Selector::Name(n), Value::Object(o)) => o.get(n).into_iter().collect(),
        (Selector::Names(ns), Value::Object(o)) => ns.iter().filter_map(|n| o.get(n)).collect(),
        (Selector::Index(i), Value::Array(a)) => resolve_index(*i, a.len())
            .and_then(|j| a.get(j))
            .into_iter()
            .collect(),
        (Selector::Indexes(is), Value::Array(a)) => is
            .iter()
            .filter_map(|i| resolve_index(*i, a.len()).and_then(|j| a.get(j)))
            .collect(),
        (Selector::Wildcard, Value::Array(a)) => a.iter().collect(),
        (Selector::Wildcard, Value::Object(o)) => o.values().collect(),
        (Selector::Slice { start, end, step }, Value::Array(a)) => slice(a, *start, *end, *step),
        (Selector::Filter(f), Value::Array(a)) => a
            .iter()
            .filter(|item| eval_filter(f, item, root, depth + 1))
            .collect(),
        (Selector::Filter(f), obj @ Value::Object(_)) => {
            if eval_filter(f, obj, root, depth + 1) {
                vec![obj]
            } else {
                vec![]
            }
        }
        _ => vec![],
    }
}

fn slice(a: &[Value], start: Option<i64>, end: Option<i64>, step: Option<i64>) -> Vec<&Value> {
    let len = i64::try_from(a.len()).unwrap_or(i64::MAX);
    let norm = |v: i64| if v < 0 { (len + v).max(0) } else { v.min(len) };
    let step = step.unwrap_or(1);
    let mut out = Vec::new();
    if step > 0 {
        let s = norm(start.unwrap_or(0));
        let e = norm(end.unwrap_or(len));
        let mut i = s;
        while i < e {
            if let Some(v) = usize::try_from(i).ok().and_then(|j| a.get(j)) {
                out.push(v);
            }
            i += step;
        }
    } else {
        let s = start.map_or(len - 1, |v| if v < 0 { len + v } else { v.min(len - 1) });
        let e = end.map_or(-1, |v| if v < 0 { (len + v).max(-1) } else { v });
        let mut i = s;
        while i > e {
            if let Some(v) = usize::try_from(i).ok().and_then(|j| a.get(j)) {
                out.push(v);
            }
            i += step;
        }
    }
    out
}

/// The value of an operand for the current item: `None` when a path selects nothing.
fn operand_value(op: &Operand, current: &Value, root: &Value) -> Option<Value> {
    match op {
        Operand::Literal(v) => Some(v.clone()),
        Operand::Path(p) => {
            let base = if p.root == Root::Current {
                current
            } else {
                root
            };
            p.evaluate(base)
        }
    }
}

fn eval_filter(f: &Filter, current: &Value, root: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match f {
        Filter::Or(a, b) => {
            eval_filter(a, current, root, depth + 1) || eval_filter(b, current, root, depth + 1)
        }
        Filter::And(a, b) => {
            eval_filter(a, current, root, depth + 1) && eval_filter(b, current, root, depth + 1)
        }
        Filter::Not(a) => !eval_filter(a, current, root, depth + 1),
        Filter::Exists(op) => match op {
            Operand::Literal(v) => !matches!(v, Value::Null | Value::Bool(false)),
            Operand::Path(p) => {
                let base = if p.root == Root::Current {
                    current
                } else {
                    root
                };
                if p.is_definite() {
                    p.evaluate(base).is_some()
                } else {
                    !p.select(base).is_empty()
                }
            }
        },
        Filter::Compare(l, op, r) => {
            let (Some(l), Some(r)) = (
                operand_value(l, current, root),
                operand_value(r, current, root),
            ) else {
                return false;
            };
            compare(&l, *op, &r)
        }
    }
}

/// Equality as Jayway does it: numbers by value, everything else structurally.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

fn compare(l: &Value, op: CompareOp, r: &Value) -> bool {
    use std::cmp::Ordering;
    let order = || -> Option<Ordering> {
        match (l, r) {
            (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            _ => None,
        }
    };
    let contains = |list: &Value, v: &Value| {
        list.as_array()
            .is_some_and(|a| a.iter().any(|x| values_equal(x, v)))
    };
    match op {
        CompareOp::Eq => values_equal(l, r),
        CompareOp::Ne => !values_equal(l, r),
        CompareOp::Lt => order() == Some(Ordering::Less),
        CompareOp::Le => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order() == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::In => contains(r, l),
        CompareOp::Nin => !contains(r, l),
        CompareOp::Contains => match (l, r) {
            (Value::String(a), Value::String(b)) => a.contains(b.as_str()),
            _ => contains(l, r),
        },
        CompareOp::SubsetOf => l
            .as_array()
            .is_some_and(|a| a.iter().all(|x| contains(r, x))),
        CompareOp::AnyOf => l
            .as_array()
            .is_some_and(|a| a.iter().any(|x| contains(r, x))),
        CompareOp::NoneOf => l
            .as_array()
            .is_some_and(|a| !a.iter().any(|x| contains(r, x))),
        CompareOp::Size => {
            let n = match l {
                Value::Array(a) => a.len(),
                Value::String(s) => s.chars().count(),
                _ => return false,
            };
            r.as_u64() == u64::try_from(n).ok()
        }
        CompareOp::Empty => {
            let empty = match l {
                Value::Array(a) => a.is_empty(),
                Value::String(s) => s.is_empty(),
                _ => return false,
            };
            r.as_bool() == Some(empty)
        }
    }
}

/// Write `value` at the reference path `path` inside `target` (AWS ResultPath): creates missing objects along the
/// way; fails when an intermediate value is not an object, or an index is out of range.
pub fn set_at(target: &mut Value, path: &JsonPath, value: Value) -> Result<(), String> {
    if !path.is_reference_path() {
        return Err(format!("'{}' is not a reference path", path.as_str()));
    }
    let mut cur = target;
    for (i, seg) in path.segments.iter().enumerate() {
        let last = i + 1 == path.segments.len();
        match seg {
            Segment::Child(Selector::Name(n)) => {
                if !cur.is_object() {
                    if cur.is_null() {
                        *cur = Value::Object(serde_json::Map::new());
                    } else {
                        return Err(format!(
                            "Unable to apply ResultPath '{}': field '{n}' cannot be set on a non-object value",
                            path.as_str()
                        ));
                    }
                }
                let Value::Object(o) = cur else {
                    return Err("unreachable".into());
                };
                if last {
                    o.insert(n.clone(), value);
                    return Ok(());
                }
                cur = o
                    .entry(n.clone())
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
            }
            Segment::Child(Selector::Index(idx)) => {
                let Value::Array(a) = cur else {
                    return Err(format!(
                        "Unable to apply ResultPath '{}': index {idx} on a non-array value",
                        path.as_str()
                    ));
                };
                let Some(j) = resolve_index(*idx, a.len()) else {
                    return Err(format!(
                        "Unable to apply ResultPath '{}': index {idx} out of range",
                        path.as_str()
                    ));
                };
                let Some(slot) = a.get_mut(j) else {
                    return Err("index out of range".into());
                };
                if last {
                    *slot = value;
                    return Ok(());
                }
                cur = slot;
            }
            _ => return Err(format!("'{}' is not a reference path", path.as_str())),
        }
    }
    *cur = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(path: &str, input: Value, expected: Option<Value>) {
        let p = parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(p.evaluate(&input), expected, "path {path}");
    }

    #[test]
    fn definite_paths_select_values() {
        let doc = json!({"a": {"b": [1, 2, {"c": "x"}]}, "input-value": 5, "it's": 1});
        check("$", doc.clone(), Some(doc.clone()));
        check("$.a.b[1]", doc.clone(), Some(json!(2)));
        check("$.a.b[-1].c", doc.clone(), Some(json!("x")));
        check("$['a']['b'][0]", doc.clone(), Some(json!(1)));
        check("$.input-value", doc.clone(), Some(json!(5)));
        check("$['it\\'s']", doc.clone(), Some(json!(1)));
        check("$['a\\\"b']", json!({"a\\\"b": 2}), Some(json!(2)));
        check("$.missing", doc.clone(), None);
        check("$.a.b[10]", doc.clone(), None);
        check("$.a.b.length()", doc.clone(), Some(json!(3)));
        check("$.a.[\"b\"].[0]", doc, Some(json!(1)));
    }

    #[test]
    fn indefinite_paths_select_lists() {
        let doc = json!({"items": [{"v": 1, "k": "a"}, {"v": 2}, {"v": 3, "k": "b"}]});
        check("$.items[*].v", doc.clone(), Some(json!([1, 2, 3])));
        check("$.items[1:].v", doc.clone(), Some(json!([2, 3])));
        check(
            "$.items[:1]",
            doc.clone(),
            Some(json!([{"v": 1, "k": "a"}])),
        );
        check("$.items[-2:].v", doc.clone(), Some(json!([2, 3])));
        check("$.items[0,2].v", doc.clone(), Some(json!([1, 3])));
        check("$..k", doc.clone(), Some(json!(["a", "b"])));
        check("$.items[?(@.v > 1)].v", doc.clone(), Some(json!([2, 3])));
        check("$.items[?(@.k)].v", doc.clone(), Some(json!([1, 3])));
        check(
            "$.items[?(@.v >= 2 && @.k == 'b')].v",
            doc.clone(),
            Some(json!([3])),
        );
        check(
            "$.items[?(!(@.v == 2))].v",
            doc.clone(),
            Some(json!([1, 3])),
        );
        check(
            "$.items[?(@.v in [1, 2])].v",
            doc.clone(),
            Some(json!([1, 2])),
        );
        check("$.nothing[*]", doc, Some(json!([])));
    }

    #[test]
    fn roots_and_reference_paths() {
        assert_eq!(parse("$$.Map.Item.Value").unwrap().root, Root::Context);
        assert_eq!(
            parse("$myVar.x").unwrap().root,
            Root::Variable("myVar".into())
        );
        assert!(parse("$.a.b[0]").unwrap().is_reference_path());
        assert!(!parse("$.a[*]").unwrap().is_reference_path());
        assert!(!parse("$..a").unwrap().is_reference_path());
        assert!(!parse("$.a[1:2]").unwrap().is_reference_path());
        assert!(!parse("$$.a").unwrap().is_reference_path());
    }

    #[test]
    fn errors_name_the_problem_and_position() {
        for (path, pos, word) in [
            ("a.b", 0, "must start with '$'"),
            ("$.a.", 4, "ends with '.'"),
            ("$.a[", 4, "unclosed"),
            ("$.a['b", 6, "unterminated"),
            ("$.a[0", 5, "expected ']'"),
            ("$[]", 2, "empty brackets"),
            ("", 0, "empty path"),
            ("$.a[?(@.b ==)]", 12, "unexpected ')'"),
        ] {
            let e = parse(path).unwrap_err();
            assert!(e.message.contains(word), "{path}: {e:?}");
            assert_eq!(e.position, pos, "{path}: {e:?}");
        }
    }

    #[test]
    fn normalized_form_matches_aws_messages() {
        assert_eq!(
            parse("$.NoSuchInputPath").unwrap().normalized(),
            "$['NoSuchInputPath']"
        );
        assert_eq!(parse("$.a[0].b").unwrap().normalized(), "$['a'][0]['b']");
    }

    #[test]
    fn set_at_creates_and_merges() {
        let mut v = json!({"a": {"x": 1}});
        set_at(&mut v, &parse("$.a.b.c").unwrap(), json!(2)).unwrap();
        assert_eq!(v, json!({"a": {"x": 1, "b": {"c": 2}}}));
        let mut s = json!({"a": "str"});
        assert!(set_at(&mut s, &parse("$.a.b").unwrap(), json!(1)).is_err());
    }

    #[test]
    fn deep_filters_do_not_overflow() {
        let deep = format!("$[?({}@.a{})]", "(".repeat(500), ")".repeat(500));
        assert!(parse(&deep).is_err());
    }
}
