//! JSONata 2.0.6 (as AWS Step Functions runs it): parse and evaluate expressions over
//! `serde_json::Value`, with the reference's error codes, deterministic clock and random
//! numbers, and a depth and step guard (error `U1001`) instead of stack overflows or hangs.
//!
//! ```
//! let expr = jsonata::parse("$sum(items.price)").unwrap();
//! let input = serde_json::json!({"items": [{"price": 2}, {"price": 3}]});
//! let out = expr.evaluate(Some(&input), &jsonata::Bindings::default()).unwrap();
//! assert_eq!(out, Some(serde_json::json!(5)));
//! ```
//!
//! The whole language is implemented (paths, predicates, wildcards, descendants, `%`, `@`/`#`
//! bindings, sorting, grouping, constructors, transforms, lambdas and closures, partial
//! application, signatures, tail calls, regexes, and the function library with its picture
//! formats), minus `$eval`, plus AWS's `$partition`, `$range`, `$hash`, `$random([seed])`,
//! `$uuid` and `$parse`. Object key order is preserved.
//!
//! Determinism: `$now()`/`$millis()` read [`Environment::now_millis`] (default 0, the epoch:
//! callers inject their clock); `$random()`, `$shuffle()` and `$uuid()` draw from
//! [`Environment::seed`]. Limits: [`Environment::max_depth`] nested evaluation frames
//! (counted like the reference's harness, one per evaluated node) and
//! [`Environment::max_steps`] evaluation steps; syntax trees deeper than 120 levels are
//! rejected with `U1001` too.
//!
//! Known differences: regular expressions run on `fancy-regex` after translating the JavaScript
//! syntax (lookaround and backreferences included; a pattern that backtracks past the step limit is
//! `U1001`); `.`, `\s` and case folding follow Unicode rules. A lone UTF-16 surrogate in a string literal becomes
//! U+FFFF. Error positions are character offsets, near but not always equal to the reference's.

mod ast;
mod datetime;
mod errors;
mod eval;
mod functions;
mod lexer;
mod parser;
mod regex;
mod signature;
mod value;

/// FxHash, for callers' maps of short trusted keys (the simulator's parse caches use it too).
pub use value::{FxBuild, FxHasher};

/// The error type used inside the crate (boxed to keep results small).
pub(crate) type EvalError = Box<Error>;

use std::fmt;

/// An error from parsing or evaluation, with the reference implementation's code.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The code, such as `T2001` or `S0201` (`U1001`: the depth or step limit was hit).
    pub code: String,
    /// A human-readable message.
    pub message: String,
    /// Character offset in the expression, where known.
    pub position: Option<usize>,
    /// The token the error is reported against, where known.
    pub token: Option<String>,
    pub(crate) detail: Option<Box<Detail>>,
}

/// The values an error message refers to.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Detail {
    pub value: Option<serde_json::Value>,
    pub value2: Option<serde_json::Value>,
    pub index: Option<usize>,
    pub type_name: Option<String>,
}

impl Error {
    pub(crate) fn new(code: &str) -> Box<Error> {
        Box::new(Error {
            code: code.to_string(),
            message: String::new(),
            position: None,
            token: None,
            detail: None,
        })
    }
    fn detail(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(Box::default)
    }
    /// The offending value, where known.
    pub fn value(&self) -> Option<&serde_json::Value> {
        self.detail.as_ref().and_then(|d| d.value.as_ref())
    }
    pub(crate) fn pos(mut self: Box<Self>, p: usize) -> Box<Error> {
        self.position = Some(p);
        self
    }
    pub(crate) fn pos_if_none(mut self: Box<Self>, p: usize) -> Box<Error> {
        if self.position.is_none() {
            self.position = Some(p);
        }
        self
    }
    pub(crate) fn token(mut self: Box<Self>, t: &str) -> Box<Error> {
        self.token = Some(t.to_string());
        self
    }
    pub(crate) fn value_str(mut self: Box<Self>, v: &str) -> Box<Error> {
        self.detail().value = Some(serde_json::Value::String(v.to_string()));
        self
    }
    pub(crate) fn value_num(mut self: Box<Self>, v: f64) -> Box<Error> {
        self.detail().value = Some(value::number_to_json(v));
        self
    }
    pub(crate) fn val(mut self: Box<Self>, v: &value::Value) -> Box<Error> {
        self.detail().value = v.to_json();
        self
    }
    pub(crate) fn val2(mut self: Box<Self>, v: &value::Value) -> Box<Error> {
        self.detail().value2 = v.to_json();
        self
    }
    pub(crate) fn index(mut self: Box<Self>, i: usize) -> Box<Error> {
        self.detail().index = Some(i);
        self
    }
    pub(crate) fn type_str(mut self: Box<Self>, t: &str) -> Box<Error> {
        self.detail().type_name = Some(t.to_string());
        self
    }
    pub(crate) fn message(mut self: Box<Self>, m: &str) -> Box<Error> {
        self.message = m.to_string();
        self
    }
    fn finish(mut self: Box<Self>) -> Error {
        errors::populate(&mut self);
        *self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{} at position {}: {}", self.code, p, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Evaluation settings: the clock, the random seed and the limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// What `$now()` and `$millis()` return (milliseconds since the Unix epoch).
    pub now_millis: i64,
    /// Seed of `$random()`, `$shuffle()` and `$uuid()`.
    pub seed: u64,
    /// Maximum nesting of evaluation frames before `U1001`.
    pub max_depth: usize,
    /// Maximum number of evaluation steps before `U1001` (the time guard; the default of ten
    /// million is roughly a second of work on a desktop machine).
    pub max_steps: u64,
}

impl Default for Environment {
    fn default() -> Self {
        Environment {
            now_millis: 0,
            seed: 0,
            max_depth: 500,
            max_steps: 10_000_000,
        }
    }
}

/// Variables (`$name` → value) and the environment for one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    pub variables: serde_json::Map<String, serde_json::Value>,
    pub environment: Environment,
}

impl Bindings {
    /// Bindings with `variables` and the default environment.
    pub fn new(variables: serde_json::Map<String, serde_json::Value>) -> Bindings {
        Bindings {
            variables,
            environment: Environment::default(),
        }
    }

    /// Bind one variable.
    pub fn bind(&mut self, name: &str, value: serde_json::Value) -> &mut Self {
        self.variables.insert(name.to_string(), value);
        self
    }
}

/// An input document converted to the evaluator's representation, reusable across evaluations.
#[derive(Debug, Clone)]
pub struct Input(value::Value);

impl Input {
    /// Convert a JSON document.
    pub fn from_json(v: &serde_json::Value) -> Input {
        Input(value::Value::from_json(v))
    }
}

/// A parsed expression, ready to evaluate any number of times.
#[derive(Debug, Clone)]
pub struct Expression {
    root: ast::Node,
    source: String,
}

/// Parse an expression (errors are the reference's `S0xxx` codes).
pub fn parse(expr: &str) -> Result<Expression, Error> {
    let root = parser::parse(expr).map_err(Error::finish)?;
    Ok(Expression {
        root,
        source: expr.to_string(),
    })
}

impl Expression {
    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluate against `input` (`None` = no input). `Ok(None)` means the result is undefined.
    pub fn evaluate(
        &self,
        input: Option<&serde_json::Value>,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>, Error> {
        let input = input.map(Input::from_json);
        self.evaluate_input(input.as_ref(), bindings)
    }

    /// Evaluate against an input converted once with [`Input::from_json`] (cheaper when the
    /// same document is queried by several expressions).
    pub fn evaluate_input(
        &self,
        input: Option<&Input>,
        bindings: &Bindings,
    ) -> Result<Option<serde_json::Value>, Error> {
        let input = input.map(|i| i.0.clone()).unwrap_or_default();
        let vars: Vec<(String, value::Value)> = bindings
            .variables
            .iter()
            .map(|(k, v)| (k.clone(), value::Value::from_json(v)))
            .collect();
        let mut ev = eval::Evaluator::new(&bindings.environment);
        let result = ev.run(&self.root, input, &vars).map_err(Error::finish)?;
        let json = result.to_json();
        value::dispose(result);
        Ok(json)
    }
}
