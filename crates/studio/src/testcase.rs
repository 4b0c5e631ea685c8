//! Test cases saved with a workflow: input, mocks (a test case of the workflow's MockConfigFile, or an
//! inline MockConfigFile) and an expectation (SUCCEEDED with an exact or subset output, or FAILED with
//! error/cause). [`check`] compares an outcome with an expectation and explains every difference as a
//! JSON Pointer into the result object (`/status`, `/output/items/0/id`, `/error`, `/cause`).
//!
//! Test cases travel in share links (the envelope's `test_cases` value, see [`to_share`] / [`from_share`])
//! and are saved with the document. A starter template's own cases become the workflow's cases through
//! [`from_template`].

use crate::templates::Template;
use asl::simulate::{Outcome, Status};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// Most differences reported for one case (the rest are counted in a final entry).
pub const MAX_DIFFERENCES: usize = 50;
/// Deepest level the structural diff descends to; deeper values are compared whole.
const MAX_DIFF_DEPTH: usize = 64;

/// One named test case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestCase {
    pub name: String,
    /// The execution input.
    #[serde(default)]
    pub input: Value,
    #[serde(default, skip_serializing_if = "CaseMocks::is_none")]
    pub mocks: CaseMocks,
    pub expect: Expectation,
}

/// Where a case's mocked service responses come from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CaseMocks {
    /// No mocks: unmocked tasks get the simulator's default result (and a warning).
    #[default]
    None,
    /// A test case (by name) of the workflow's own MockConfigFile (the Mocks panel), first state machine.
    TestCase(String),
    /// A MockConfigFile of the case's own; `machine`/`test_case` pick one (default: the first state
    /// machine, and the test case named like this case, else the first).
    Inline {
        config: Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        machine: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        test_case: Option<String>,
    },
}

impl CaseMocks {
    pub fn is_none(&self) -> bool {
        matches!(self, CaseMocks::None)
    }
}

/// A resolved mock selection: one state machine and test case of a MockConfigFile. This is what a run
/// request carries (the simulator's `Mocks::from_config` reads it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockRef {
    pub config: Value,
    pub machine: String,
    pub test_case: String,
}

impl MockRef {
    pub fn load(&self) -> Result<asl::simulate::Mocks, String> {
        asl::simulate::Mocks::from_config(&self.config, &self.machine, &self.test_case)
    }
}

/// The names of the state machines of a MockConfigFile, in file order.
fn machine_names(config: &Value) -> Vec<String> {
    config
        .get("StateMachines")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn case_names(config: &Value, machine: &str) -> Vec<String> {
    config
        .get("StateMachines")
        .and_then(|m| m.get(machine))
        .and_then(|m| m.get("TestCases"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The first state machine and, in it, the test case `wanted` (else the first test case).
pub fn pick(config: &Value, wanted: Option<&str>) -> Result<MockRef, String> {
    let machine = machine_names(config)
        .into_iter()
        .next()
        .ok_or("the mock config has no state machine under \"StateMachines\"")?;
    let cases = case_names(config, &machine);
    let test_case = match wanted {
        Some(w) if cases.iter().any(|c| c == w) => w.to_string(),
        Some(w) => {
            return Err(format!(
                "state machine '{machine}' of the mock config has no test case '{w}'"
            ));
        }
        None => cases
            .into_iter()
            .next()
            .ok_or_else(|| format!("state machine '{machine}' has no test case"))?,
    };
    Ok(MockRef {
        config: config.clone(),
        machine,
        test_case,
    })
}

impl TestCase {
    /// The mocks this case runs with, given the workflow's own MockConfigFile (if any).
    pub fn mock_ref(&self, workflow_mocks: Option<&Value>) -> Result<Option<MockRef>, String> {
        match &self.mocks {
            CaseMocks::None => Ok(None),
            CaseMocks::TestCase(name) => {
                let config = workflow_mocks.ok_or_else(|| {
                    format!("the case uses mock test case '{name}', but the workflow has no mocks")
                })?;
                pick(config, Some(name)).map(Some)
            }
            CaseMocks::Inline {
                config,
                machine,
                test_case,
            } => {
                let machine = match machine {
                    Some(m) => m.clone(),
                    None => machine_names(config)
                        .into_iter()
                        .next()
                        .ok_or("the case's mock config has no state machine")?,
                };
                let cases = case_names(config, &machine);
                let test_case = match test_case {
                    Some(t) => t.clone(),
                    None if cases.contains(&self.name) => self.name.clone(),
                    None => cases
                        .into_iter()
                        .next()
                        .ok_or_else(|| format!("state machine '{machine}' has no test case"))?,
                };
                Ok(Some(MockRef {
                    config: config.clone(),
                    machine,
                    test_case,
                }))
            }
        }
    }
}

/// How a run must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedStatus {
    #[serde(rename = "SUCCEEDED")]
    Succeeded,
    #[serde(rename = "FAILED")]
    Failed,
    #[serde(rename = "TIMED_OUT")]
    TimedOut,
}

impl ExpectedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectedStatus::Succeeded => "SUCCEEDED",
            ExpectedStatus::Failed => "FAILED",
            ExpectedStatus::TimedOut => "TIMED_OUT",
        }
    }

    fn of(status: Status) -> ExpectedStatus {
        match status {
            Status::Succeeded => ExpectedStatus::Succeeded,
            Status::Failed => ExpectedStatus::Failed,
            Status::TimedOut => ExpectedStatus::TimedOut,
        }
    }
}

/// How the expected output is compared with the actual one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// The outputs are equal (numbers compare by value: `1` equals `1.0`).
    #[default]
    Exact,
    /// Every field of the expected output is in the actual output with a matching value; extra fields
    /// are fine. Arrays must have the same length; their elements match as subsets.
    Subset,
}

impl MatchMode {
    fn is_exact(&self) -> bool {
        *self == MatchMode::Exact
    }
}

/// The expectation of a case. Absent fields are not checked. As JSON (what the user edits):
/// `{"status": "SUCCEEDED", "output": {...}, "match": "subset"}` or
/// `{"status": "FAILED", "error": "E", "cause": "C"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub status: ExpectedStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, rename = "match", skip_serializing_if = "MatchMode::is_exact")]
    pub match_mode: MatchMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The run's length on the virtual clock, in milliseconds.
    #[serde(
        default,
        rename = "durationMs",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration_ms: Option<u64>,
}

impl Expectation {
    /// Expect exactly what `outcome` produced (status and output, or status, error and cause).
    pub fn from_outcome(outcome: &Outcome) -> Expectation {
        let status = ExpectedStatus::of(outcome.status);
        let ok = outcome.status == Status::Succeeded;
        Expectation {
            status,
            output: if ok { outcome.output.clone() } else { None },
            match_mode: MatchMode::Exact,
            error: if ok { None } else { outcome.error.clone() },
            cause: if ok { None } else { outcome.cause.clone() },
            duration_ms: None,
        }
    }

    /// The expectation as the JSON text the user edits.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Parse the user's JSON; the message says what is wrong.
    pub fn from_text(text: &str) -> Result<Expectation, String> {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "{e} (write {{\"status\": \"SUCCEEDED\", \"output\": ...}} or {{\"status\": \"FAILED\", \"error\": ..., \"cause\": ...}})"
            )
        })
    }
}

/// One difference between expected and actual: a JSON Pointer into the result object
/// (`{"status", "output", "error", "cause", "durationMs"}`), and the two values (`None` = absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub path: String,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| match v {
            None => "(absent)".to_string(),
            Some(v) => short_json(v),
        };
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(
            f,
            "{path}: expected {}, got {}",
            show(&self.expected),
            show(&self.actual)
        )
    }
}

/// Compact JSON, shortened to about 120 characters.
fn short_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 120 {
        let mut t: String = s.chars().take(117).collect();
        t.push('…');
        t
    } else {
        s
    }
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    pub differences: Vec<Difference>,
    /// How many differences were left out past [`MAX_DIFFERENCES`].
    pub more: usize,
}

/// Compare an outcome with an expectation.
pub fn check(expect: &Expectation, outcome: &Outcome) -> Verdict {
    let mut d = Diff::default();
    let actual_status = ExpectedStatus::of(outcome.status);
    if actual_status != expect.status {
        d.push(
            "/status".into(),
            Some(Value::from(expect.status.as_str())),
            Some(Value::from(actual_status.as_str())),
        );
    }
    if let Some(want) = &expect.output {
        match &outcome.output {
            Some(got) => d.compare(want, got, "/output".into(), expect.match_mode, 0),
            None => d.push("/output".into(), Some(want.clone()), None),
        }
    }
    let text = |s: &Option<String>| s.as_ref().map(|s| Value::String(s.clone()));
    if expect.error.is_some() && expect.error != outcome.error {
        d.push("/error".into(), text(&expect.error), text(&outcome.error));
    }
    if expect.cause.is_some() && expect.cause != outcome.cause {
        d.push("/cause".into(), text(&expect.cause), text(&outcome.cause));
    }
    if let Some(ms) = expect.duration_ms
        && ms != outcome.duration_ms
    {
        d.push(
            "/durationMs".into(),
            Some(Value::from(ms)),
            Some(Value::from(outcome.duration_ms)),
        );
    }
    let more = d.total.saturating_sub(d.out.len());
    Verdict {
        passed: d.total == 0,
        differences: d.out,
        more,
    }
}

/// The structural diff of two JSON values (exact or subset), as JSON Pointer paths under `base`.
pub fn diff(expected: &Value, actual: &Value, mode: MatchMode) -> Vec<Difference> {
    let mut d = Diff::default();
    d.compare(expected, actual, String::new(), mode, 0);
    d.out
}

#[derive(Default)]
struct Diff {
    out: Vec<Difference>,
    total: usize,
}

/// A JSON Pointer token (`~` → `~0`, `/` → `~1`).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Deep equality where numbers compare by value.
fn same(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_DIFF_DEPTH {
        return a == b;
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, depth + 1)))
        }
        _ => a == b,
    }
}

impl Diff {
    fn push(&mut self, path: String, expected: Option<Value>, actual: Option<Value>) {
        self.total += 1;
        if self.out.len() < MAX_DIFFERENCES {
            self.out.push(Difference {
                path,
                expected,
                actual,
            });
        }
    }

    fn compare(&mut self, want: &Value, got: &Value, path: String, mode: MatchMode, depth: usize) {
        if depth > MAX_DIFF_DEPTH {
            if !same(want, got, depth) {
                self.push(path, Some(want.clone()), Some(got.clone()));
            }
            return;
        }
        match (want, got) {
            (Value::Object(w), Value::Object(g)) => self.objects(w, g, &path, mode, depth),
            (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
                for (i, (x, y)) in w.iter().zip(g).enumerate() {
                    self.compare(x, y, format!("{path}/{i}"), mode, depth + 1);
                }
            }
            (Value::Array(w), Value::Array(g)) => {
                // Different lengths: compare the common prefix, then list the missing or extra items.
                for (i, (x, y)) in w.iter().zip(g).enumerate() {
                    self.compare(x, y, format!("{path}/{i}"), mode, depth + 1);
                }
                for (i, x) in w.iter().enumerate().skip(g.len()) {
                    self.push(format!("{path}/{i}"), Some(x.clone()), None);
                }
                for (i, y) in g.iter().enumerate().skip(w.len()) {
                    self.push(format!("{path}/{i}"), None, Some(y.clone()));
                }
            }
            _ => {
                if !same(want, got, depth) {
                    self.push(path, Some(want.clone()), Some(got.clone()));
                }
            }
        }
    }

    fn objects(
        &mut self,
        w: &Map<String, Value>,
        g: &Map<String, Value>,
        path: &str,
        mode: MatchMode,
        depth: usize,
    ) {
        for (k, x) in w {
            let p = format!("{path}/{}", token(k));
            match g.get(k) {
                Some(y) => self.compare(x, y, p, mode, depth + 1),
                None => self.push(p, Some(x.clone()), None),
            }
        }
        if mode == MatchMode::Exact {
            for (k, y) in g {
                if !w.contains_key(k) {
                    self.push(format!("{path}/{}", token(k)), None, Some(y.clone()));
                }
            }
        }
    }
}

/// A starter template's test cases as the workflow's test cases (inline mocks, exact expectations).
pub fn from_template(template: &Template) -> Vec<TestCase> {
    template
        .test_cases
        .iter()
        .map(|c| TestCase {
            name: c.name.to_string(),
            input: c.input.clone(),
            mocks: CaseMocks::Inline {
                config: c.mocks.clone(),
                machine: Some(template.id.to_string()),
                test_case: Some(c.name.to_string()),
            },
            expect: Expectation {
                status: ExpectedStatus::of(c.expected.status),
                output: c.expected.output.clone(),
                match_mode: MatchMode::Exact,
                error: c.expected.error.map(str::to_string),
                cause: c.expected.cause.map(str::to_string),
                duration_ms: c.expected.duration_ms,
            },
        })
        .collect()
}

/// The test cases as the share envelope's `test_cases` value (`None` when there are none).
pub fn to_share(cases: &[TestCase]) -> Option<Value> {
    if cases.is_empty() {
        None
    } else {
        serde_json::to_value(cases).ok()
    }
}

/// Test cases from a share envelope's (or the saved document's) value; a malformed value is an error.
pub fn from_share(value: &Value) -> Result<Vec<TestCase>, String> {
    serde_json::from_value(value.clone()).map_err(|e| format!("the test cases are malformed: {e}"))
}

/// Test cases from saved text (`[...]`); empty text is no cases.
pub fn from_text(text: &str) -> Result<Vec<TestCase>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    from_share(&v)
}

/// A name not yet taken: `base`, else `base 2`, `base 3`, ...
pub fn unique_name(base: &str, cases: &[TestCase]) -> String {
    let taken = |n: &str| cases.iter().any(|c| c.name == n);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests;
