//! Validation entry point: text in, definition and diagnostics out (never panics, never fails).
//!
//! [`analyze`] parses JSON or YAML into the spanned [`crate::syntax::Node`] tree, then runs AWS's
//! rules (one module per rule family below) and Statewright's own lints ([`crate::lints`]).
//! Codes, messages and locations are AWS's: locations are AWS's strings (`/States/A/Choices[0]/Next`),
//! spans point into the user's text.
//!
//! | module | what it checks | codes |
//! | --- | --- | --- |
//! | [`crate::syntax`] | JSON/YAML well-formedness, duplicate keys (Jackson's messages) | INVALID_JSON_DESCRIPTION |
//! | `state` | required/unsupported fields per state type and query language, value types and ranges, Next/End, QueryLanguage resolution, mixing and downgrade, Wait, Fail, Credentials, Assign, state names, nesting | SCHEMA_VALIDATION_FAILED, INVALID_STATE_NAME, TOO_DEEPLY_NESTED |
//! | `fields` | the field table: which fields each state type takes in JSONPath and JSONata | — |
//! | `graph` | transition targets, reachability, a terminal state, unique state names | MISSING_TRANSITION_TARGET, MISSING_END_STATE, DUPLICATE_STATE_NAME |
//! | `paths` | JSONPath and reference paths, payload templates (`.$`), intrinsic calls, static Pass results | SCHEMA_VALIDATION_FAILED, NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC |
//! | `choice` | Choice rules, operators and operand types, And/Or/Not, JSONata Condition | SCHEMA_VALIDATION_FAILED |
//! | `retry` | Retry and Catch fields and ranges, `States.ALL` alone and last | SCHEMA_VALIDATION_FAILED |
//! | `map` | Map processor, ProcessorConfig, items, concurrency, tolerated failures, Label, ItemReader, ItemBatcher, ResultWriter | SCHEMA_VALIDATION_FAILED |
//! | `resource` | Task Resource ARNs, integrations an EXPRESS machine refuses | SCHEMA_VALIDATION_FAILED |
//! | `jsonata` | `{% %}` expressions: syntax (the jsonata crate's parser), `$$`, `$states.errorOutput` | INVALID_JSONATA_EXPRESSION, UNSUPPORTED_JSONATA_EXPRESSION |

mod choice;
mod fields;
mod graph;
mod jsonata;
mod map;
mod paths;
mod resource;
mod retry;
mod state;

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::syntax::{self, Format, Node, PathSeg};
use serde_json::Value;

/// STANDARD or EXPRESS: a few integrations are refused for EXPRESS machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// How to analyse a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub machine_type: MachineType,
    /// `None` guesses from the content.
    pub format: Option<Format>,
    /// Run Statewright's own lints (warnings with SW codes) after AWS's rules.
    pub lints: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            machine_type: MachineType::Standard,
            format: None,
            lints: true,
        }
    }
}

/// The result of analysing a definition's text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The parsed definition, when the text is well-formed.
    pub definition: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
    /// The format the text was read as, when it parsed.
    pub format: Option<Format>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        any_error(&self.diagnostics)
    }
}

fn any_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Parse and validate a definition's text (STANDARD machine, format guessed, lints on).
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, &Options::default())
}

/// Parse and validate a definition's text with explicit options.
pub fn analyze_with(text: &str, options: &Options) -> Analysis {
    let mut definition = None;
    let validation = check(text, options, |root| definition = Some(root.to_value()));
    Analysis {
        definition,
        diagnostics: validation.diagnostics,
        format: validation.format,
    }
}

/// The diagnostics of a definition's text, without the parsed definition: what [`analyze`] finds
/// when only the verdict is wanted (the CLI's `validate`, the benchmarks). The same diagnostics as
/// `analyze(text).diagnostics`, without building the `serde_json::Value`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    pub diagnostics: Vec<Diagnostic>,
    /// The format the text was read as, when it parsed.
    pub format: Option<Format>,
}

impl Validation {
    pub fn has_errors(&self) -> bool {
        any_error(&self.diagnostics)
    }
}

/// Validate a definition's text (STANDARD machine, format guessed, lints on) without building the
/// parsed definition.
pub fn validate(text: &str) -> Validation {
    validate_with(text, &Options::default())
}

/// Validate a definition's text with explicit options, without building the parsed definition.
pub fn validate_with(text: &str, options: &Options) -> Validation {
    check(text, options, |_| {})
}

/// Parse and run every rule; `parsed` sees the tree when the text is well-formed.
fn check(text: &str, options: &Options, parsed: impl FnOnce(&Node)) -> Validation {
    let mut ctx = Ctx::new(text, options);
    if text.trim().is_empty() {
        let mut d = Diagnostic::error(
            "SCHEMA_VALIDATION_FAILED",
            "Definition must be a valid JSON object",
            "",
        );
        d.span = Some(Span::of(text, 0, text.len()));
        ctx.diags.push(d);
        return Validation {
            diagnostics: ctx.diags,
            format: None,
        };
    }
    let format = options.format.unwrap_or_else(|| syntax::detect(text));
    let root = match syntax::parse(text, format) {
        Ok(root) => root,
        Err(e) => {
            let mut d = Diagnostic::error("INVALID_JSON_DESCRIPTION", e.message, e.location);
            d.span = Some(Span::of(text, e.offset, e.offset));
            return Validation {
                diagnostics: vec![d],
                format: None,
            };
        }
    };
    parsed(&root);
    if !root.is_object() {
        ctx.report(
            Severity::Error,
            "SCHEMA_VALIDATION_FAILED",
            "Definition must be a valid JSON object".into(),
            String::new(),
            root.start,
            root.end,
        );
    } else {
        let ql = state::top_query_language(&mut ctx, &root);
        let mut names = graph::NameRegistry::default();
        state::check_machine(&mut ctx, &root, &Path::Root, 0, ql, &mut names, true);
        // AWS reports the schema findings first, then the state graph's.
        ctx.diags.sort_by_key(|d| {
            matches!(
                d.code.as_str(),
                "MISSING_TRANSITION_TARGET" | "MISSING_END_STATE"
            )
        });
        if options.lints && !any_error(&ctx.diags) {
            crate::lints::run(&mut ctx, &root);
        }
    }
    Validation {
        diagnostics: ctx.diags,
        format: Some(format),
    }
}

/// Validate one state on its own, as the TestState API does: the state is checked as the only state
/// of a machine (named `StateName`, AWS's placeholder), without the graph rules (its Next may name a
/// state that is not there). Locations read `/States/StateName/...`.
pub fn analyze_state(state: &Value, options: &Options) -> Vec<Diagnostic> {
    let mut wrapper = serde_json::Map::new();
    wrapper.insert("StartAt".into(), Value::String("StateName".into()));
    let mut states = serde_json::Map::new();
    states.insert("StateName".into(), state.clone());
    wrapper.insert("States".into(), Value::Object(states));
    let text = Value::Object(wrapper).to_string();
    let mut ctx = Ctx::new(&text, options);
    ctx.graph = false;
    if let Ok(root) = syntax::json::parse(&text) {
        let ql = state::top_query_language(&mut ctx, &root);
        let mut names = graph::NameRegistry::default();
        state::check_machine(&mut ctx, &root, &Path::Root, 0, ql, &mut names, true);
    }
    for d in &mut ctx.diags {
        d.span = None;
    }
    ctx.diags
}

/// AWS's CreateStateMachine message for a failed definition:
/// `Invalid State Machine Definition: 'CODE: message at /location, ...'` (errors only).
pub fn creation_error_message(diagnostics: &[Diagnostic]) -> Option<String> {
    let parts: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let at = if d.location.is_empty() {
                "null"
            } else {
                &d.location
            };
            format!("{}: {} at {}", d.code, d.message, at)
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(format!(
            "Invalid State Machine Definition: '{}'",
            parts.join(", ")
        ))
    }
}

/// Every `(pointer suffix, target)` transition of one state: Next, Default, Choices, Catch.
pub fn transition_targets(state: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |pointer: String, v: Option<&Value>| {
        if let Some(Value::String(t)) = v {
            out.push((pointer, t.clone()));
        }
    };
    push("/Next".into(), state.get("Next"));
    push("/Default".into(), state.get("Default"));
    for (list, field) in [("Choices", "Next"), ("Catch", "Next")] {
        if let Some(items) = state.get(list).and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                push(format!("/{list}/{i}/{field}"), item.get(field));
            }
        }
    }
    out
}

/// The diagnostics sink shared by every rule.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub options: &'a Options,
    pub diags: Vec<Diagnostic>,
    /// Run the transition/reachability rules (off for a lone state).
    pub graph: bool,
    /// Checking a Catch entry's Output/Assign, where `$states.errorOutput` exists.
    pub in_catch: bool,
    /// Built on the first diagnostic (a clean definition never needs line numbers).
    lines: Option<crate::diagnostic::LineIndex>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, options: &'a Options) -> Self {
        Ctx {
            text,
            options,
            diags: Vec::new(),
            graph: true,
            in_catch: false,
            lines: None,
        }
    }

    pub fn report(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        location: String,
        start: usize,
        end: usize,
    ) {
        let text = self.text;
        let lines = self
            .lines
            .get_or_insert_with(|| crate::diagnostic::LineIndex::new(text));
        let span = lines.span(text, start, end);
        self.diags.push(Diagnostic {
            code: code.to_string(),
            severity,
            message,
            location,
            span: Some(span),
        });
    }

    /// A SCHEMA_VALIDATION_FAILED error at `path`, spanning `node`.
    pub fn schema(&mut self, message: impl Into<String>, path: &Path, node: &Node) {
        self.error("SCHEMA_VALIDATION_FAILED", message, path, node);
    }

    pub fn error(&mut self, code: &str, message: impl Into<String>, path: &Path, node: &Node) {
        self.report(
            Severity::Error,
            code,
            message.into(),
            path.location(),
            node.start,
            node.end,
        );
    }

    pub fn warning(&mut self, code: &str, message: impl Into<String>, path: &Path, node: &Node) {
        self.report(
            Severity::Warning,
            code,
            message.into(),
            path.location(),
            node.start,
            node.end,
        );
    }
}

/// FNV-1a: a fast hasher for the small string keys of the graph checks (no DoS concern here:
/// the worst case is a slower validation of the user's own text).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

/// Where a rule is looking, built on the stack as the walk descends and turned into AWS's location
/// string only when a diagnostic is reported (no allocation per visited field).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The definition itself.
    Root,
    /// An owned path built elsewhere (the lints' machine paths).
    Base(&'a [PathSeg]),
    /// `/States/<name>` under an owned machine path.
    State(&'a [PathSeg], &'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The path's steps, root first.
    pub fn segs(&self) -> Vec<PathSeg> {
        let mut rev: Vec<&Path> = Vec::new();
        let mut at = self;
        loop {
            rev.push(at);
            match at {
                Path::Key(parent, _) | Path::Index(parent, _) => at = parent,
                Path::Root | Path::Base(_) | Path::State(..) => break,
            }
        }
        let mut out = Vec::with_capacity(rev.len() + 2);
        for p in rev.into_iter().rev() {
            match p {
                Path::Root => {}
                Path::Base(base) => out.extend_from_slice(base),
                Path::State(base, name) => {
                    out.extend_from_slice(base);
                    out.push(PathSeg::Key("States".into()));
                    out.push(PathSeg::Key((*name).to_string()));
                }
                Path::Key(_, k) => out.push(PathSeg::Key((*k).to_string())),
                Path::Index(_, i) => out.push(PathSeg::Index(*i)),
            }
        }
        out
    }

    /// AWS's location string (`/States/A/Choices[0]/Next`).
    pub fn location(&self) -> String {
        syntax::aws_location(&self.segs())
    }

    /// The last step when it is an object key.
    pub fn last_key(&self) -> Option<&str> {
        match self {
            Path::Key(_, k) => Some(k),
            Path::State(_, name) => Some(name),
            Path::Base(base) => match base.last() {
                Some(PathSeg::Key(k)) => Some(k),
                _ => None,
            },
            Path::Root | Path::Index(..) => None,
        }
    }
}

/// `path` extended by one key.
pub(crate) fn key<'a>(path: &'a Path<'a>, k: &'a str) -> Path<'a> {
    Path::Key(path, k)
}

/// `path` extended by one array index.
pub(crate) fn index<'a>(path: &'a Path<'a>, i: usize) -> Path<'a> {
    Path::Index(path, i)
}

#[cfg(test)]
mod tests;
