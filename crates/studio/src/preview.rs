//! The JSONata preview: evaluates a field's `{% %}` templates (a string, or strings nested in objects
//! and arrays) as the simulator would, with `$states.input`, `$states.context` and the workflow's
//! variables bound. The input comes from the last run's history when the state ran, else the execution
//! input. Fields evaluated after the work ([`Stage`]) also see what the last run says: a Task/Map/
//! Parallel's `Output` and `Assign` see `$states.result`, a Catch entry's `$states.errorOutput`; when the
//! run does not say, the preview says so instead of evaluating ([`preview`]).

use crate::fields::Seg;
use asl::simulate::history::Event;
use serde_json::{Map, Value, json};

/// Deepest nesting of a template walked.
const MAX_DEPTH: usize = 64;
/// Evaluation steps allowed per preview (keeps typing responsive).
const MAX_STEPS: u64 = 200_000;
/// Nested evaluation frames allowed (the page's stack is small).
const MAX_EVAL_DEPTH: usize = 120;

/// What the expressions see.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub input: Value,
    pub context: Value,
    pub variables: Map<String, Value>,
    /// Where the input came from ("last run" or "execution input").
    pub source: &'static str,
    /// What the state's task or iterations gave in the last run (`$states.result`), when it ran and succeeded.
    pub result: Option<Value>,
    /// The failure a catcher caught in the last run (`$states.errorOutput`), when one did.
    pub caught: Option<Caught>,
    /// Whether the state ran in the last run.
    pub ran: bool,
    /// Whether that run of the state finished (a paused run may stop inside it).
    pub finished: bool,
}

/// A failure caught in the last run.
#[derive(Debug, Clone, PartialEq)]
pub struct Caught {
    /// The index of the Catch entry that caught it (the first whose ErrorEquals matches).
    pub catcher: usize,
    /// `{"Error": ..., "Cause": ...}`, as `$states.errorOutput` holds it.
    pub error_output: Value,
}

/// When a field is evaluated, which says which `$states` members it sees (AWS's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before the work (Arguments, Items, ItemSelector, a Choice's Condition, a Pass's Output, ...):
    /// `$states.input` and `$states.context`.
    Before,
    /// A Task, Map or Parallel's `Output` or `Assign`: `$states.result` too.
    AfterResult,
    /// `Output` or `Assign` of Catch entry `n`: `$states.errorOutput` too (and no `$states.result`).
    Catcher(usize),
}

/// The stage of the field at `path` in a state of type `kind`.
pub fn stage_of(kind: &str, path: &[Seg]) -> Stage {
    let key = |i: usize| match path.get(i) {
        Some(Seg::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let after = |k: Option<&str>| matches!(k, Some("Output" | "Assign"));
    match (key(0), path.get(1)) {
        (Some("Catch"), Some(Seg::Index(i))) if after(key(2)) => Stage::Catcher(*i),
        (k, _) if after(k) && matches!(kind, "Task" | "Map" | "Parallel") => Stage::AfterResult,
        _ => Stage::Before,
    }
}

/// What the last run says about one state after its input: its result, or the failure a catcher caught.
#[derive(Default)]
struct Ran {
    result: Option<Value>,
    caught: Option<Caught>,
    /// Whether the state's `*StateExited` is in the history (a paused run may stop inside it).
    finished: bool,
}

/// Reads the events of one run of `state` (those after its `*StateEntered` at `entered`, up to its
/// `*StateExited`). The simulator runs iterations and branches one after another, so each appears as a
/// contiguous, properly nested run of entered/exited events.
fn ran(state: &Value, history: &[Event]) -> Ran {
    let mut depth = 1usize;
    let mut task_result = None;
    let mut iterations = Vec::new();
    let mut branches = Vec::new();
    let mut last_child_output = None;
    let mut last_error: Option<Value> = None;
    let mut failed: Option<Value> = None;
    let mut succeeded = false;
    let mut finished = false;
    let terminal = branch_terminals(state);
    for e in history {
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            depth += 1;
            continue;
        }
        if kind.ends_with("StateExited") {
            depth -= 1;
            if depth == 0 {
                finished = true;
                break;
            }
            if depth == 1 {
                let details = e.details();
                let output = parse_text(details.get("output"));
                if e.state_name().is_some_and(|n| terminal.contains(&n)) {
                    branches.push(output.clone().unwrap_or(Value::Null));
                }
                last_child_output = output;
            }
            continue;
        }
        let details = e.details();
        if let Some(error) = details.get("error").and_then(Value::as_str) {
            let mut out = Map::new();
            out.insert("Error".into(), Value::String(error.to_string()));
            if let Some(cause) = details.get("cause").and_then(Value::as_str) {
                out.insert("Cause".into(), Value::String(cause.to_string()));
            }
            last_error = Some(Value::Object(out));
        }
        if depth != 1 {
            continue;
        }
        if kind == "MapIterationSucceeded" {
            iterations.push(last_child_output.take().unwrap_or(Value::Null));
        } else if kind.ends_with("Succeeded") {
            succeeded = true;
            failed = None;
            if let Some(out) = parse_text(details.get("output")) {
                task_result = Some(out);
            }
        } else if kind.ends_with("Failed") || kind.ends_with("TimedOut") {
            succeeded = false;
            failed = last_error.clone();
        }
    }
    let ty = state.get("Type").and_then(Value::as_str).unwrap_or("");
    if !finished {
        return Ran::default();
    }
    let result = succeeded
        .then(|| match ty {
            "Map" => Some(Value::Array(iterations)),
            "Parallel" => Some(Value::Array(branches)),
            _ => task_result,
        })
        .flatten();
    let caught = failed.and_then(|error_output| {
        let error = error_output.get("Error").and_then(Value::as_str)?;
        let catcher = state
            .get("Catch")
            .and_then(Value::as_array)?
            .iter()
            .position(|c| {
                c.get("ErrorEquals")
                    .and_then(Value::as_array)
                    .is_some_and(|names| {
                        names
                            .iter()
                            .filter_map(Value::as_str)
                            .any(|n| asl::simulate::error_matches(n, error))
                    })
            })?;
        Some(Caught {
            catcher,
            error_output,
        })
    });
    Ran {
        result,
        caught,
        finished,
    }
}

/// The names of the states that end a Parallel's branches (End or Succeed): the branch's result is
/// what such a state outputs. State names are unique across a definition, so a name says its branch.
fn branch_terminals(state: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    for b in state
        .get("Branches")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        for (name, s) in b
            .get("States")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if s.get("End") == Some(&Value::Bool(true))
                || s.get("Type").and_then(Value::as_str) == Some("Succeed")
            {
                out.push(name.as_str());
            }
        }
    }
    out
}

/// A payload held as JSON text in an event's details.
fn parse_text(v: Option<&Value>) -> Option<Value> {
    serde_json::from_str(v?.as_str()?).ok()
}

/// The scope for a state (`definition` is the state's JSON): its entered input in the last run's history
/// (and the variables assigned before it), else the execution input; from the same run of the state,
/// its result or the failure a catcher caught.
pub fn scope_for(
    state: &str,
    definition: &Value,
    history: &[Event],
    execution_input: &Value,
) -> Scope {
    let mut variables = Map::new();
    let mut input = None;
    let mut entered_at = String::new();
    let mut after = Ran::default();
    for (i, e) in history.iter().enumerate() {
        if e.kind.ends_with("StateEntered") && e.state_name() == Some(state) {
            after = ran(definition, history.get(i + 1..).unwrap_or(&[]));
            input = e
                .details()
                .get("input")
                .and_then(Value::as_str)
                .and_then(|s| serde_json::from_str::<Value>(s).ok());
            entered_at = asl::simulate::history::Event::to_json(e)
                .get("timestamp")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            break;
        }
        if e.kind.ends_with("StateExited")
            && let Some(vars) = e
                .details()
                .get("assignedVariables")
                .and_then(Value::as_object)
        {
            for (k, v) in vars {
                let v = v
                    .as_str()
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                    .unwrap_or_else(|| v.clone());
                variables.insert(k.clone(), v);
            }
        }
    }
    let ran = input.is_some();
    let source = if ran { "last run" } else { "execution input" };
    let input = input.unwrap_or_else(|| execution_input.clone());
    let context = json!({
        "Execution": {
            "Id": "arn:aws:states:us-east-1:123456789012:execution:StateMachine:preview",
            "Input": execution_input,
            "Name": "preview",
            "StartTime": "2024-01-01T00:00:00.000Z",
        },
        "State": {"Name": state, "EnteredTime": if entered_at.is_empty() { "2024-01-01T00:00:00.000Z".to_string() } else { entered_at }},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine", "Name": "StateMachine"},
    });
    Scope {
        input,
        context,
        variables,
        source,
        result: after.result,
        caught: after.caught,
        ran,
        finished: after.finished,
    }
}

/// A failed evaluation: the JSONata code and message, and where in the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewError {
    pub code: String,
    pub message: String,
    /// Path inside the field (`/a/0`), empty for the field itself.
    pub at: String,
}

/// Whether a value holds any `{% %}` template.
pub fn has_template(v: &Value) -> bool {
    fn walk(v: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match v {
            Value::String(s) => template(s).is_some(),
            Value::Array(a) => a.iter().any(|x| walk(x, depth + 1)),
            Value::Object(o) => o.values().any(|x| walk(x, depth + 1)),
            _ => false,
        }
    }
    walk(v, 0)
}

fn template(s: &str) -> Option<&str> {
    let t = s.trim();
    Some(t.strip_prefix("{%")?.strip_suffix("%}")?.trim())
}

/// Evaluates every template in `field` (objects and arrays keep their shape; an undefined result drops
/// the key, as AWS does) with `$states.input` and `$states.context`. `Ok(None)`: the whole field is
/// undefined.
pub fn evaluate(field: &Value, scope: &Scope) -> Result<Option<Value>, PreviewError> {
    evaluate_with(field, scope, Map::new())
}

/// The preview of a field as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Where the bound values come from, e.g. `$states.input from last run · $states.result from last run`.
    pub head: String,
    /// Pretty JSON, `undefined`, `Error CODE: message`, or why a `$states` member isn't known.
    pub text: String,
    /// An evaluation error (not a missing value).
    pub failed: bool,
}

/// The preview of the field at `path` (value `field`) in a state of type `kind`: `$states.result` and
/// `$states.errorOutput` are bound where AWS binds them ([`stage_of`]), from the last run. A template that
/// names one the run does not give (no run yet, the state failed, another catcher caught) is not
/// evaluated: the text says why.
pub fn preview(kind: &str, path: &[Seg], field: &Value, scope: &Scope) -> Preview {
    let mut head = format!("$states.input from {}", scope.source);
    let mut extra = Map::new();
    let missing = |text: String| Preview {
        head: format!("$states.input from {}", scope.source),
        text,
        failed: false,
    };
    let stage = stage_of(kind, path);
    let uses_result = mentions(field, "$states.result");
    let uses_error = mentions(field, "$states.errorOutput");
    match stage {
        Stage::AfterResult => {
            if uses_result {
                match &scope.result {
                    Some(r) => {
                        extra.insert("result".into(), r.clone());
                        head.push_str(" · $states.result from last run");
                    }
                    None => {
                        return missing(not_known(
                            "$states.result",
                            scope,
                            "this state did not succeed in the last run",
                        ));
                    }
                }
            }
            if uses_error {
                return missing(
                    "$states.errorOutput exists only in a Catch's Output and Assign.".into(),
                );
            }
        }
        Stage::Catcher(n) => {
            if uses_error {
                match &scope.caught {
                    Some(c) if c.catcher == n => {
                        extra.insert("errorOutput".into(), c.error_output.clone());
                        head.push_str(" · $states.errorOutput from last run");
                    }
                    _ => {
                        return missing(not_known(
                            "$states.errorOutput",
                            scope,
                            &format!("catcher {} caught no error in the last run", n + 1),
                        ));
                    }
                }
            }
            if uses_result {
                return missing(
                    "$states.result isn't available in a Catch: use $states.errorOutput.".into(),
                );
            }
        }
        Stage::Before => {
            if uses_result {
                return missing(
                    "$states.result is available only in Output and Assign of Task, Map and Parallel states."
                        .into(),
                );
            }
            if uses_error {
                return missing(
                    "$states.errorOutput exists only in a Catch's Output and Assign.".into(),
                );
            }
        }
    }
    let result = evaluate_with(field, scope, extra);
    Preview {
        head,
        failed: result.is_err(),
        text: render(&result),
    }
}

/// Why `member` has no value from the last run: no run, the state still running, else `why`.
fn not_known(member: &str, scope: &Scope, why: &str) -> String {
    if !scope.ran {
        format!("{member} isn't known yet: run the workflow to preview it.")
    } else if !scope.finished {
        format!("{member} isn't known yet: this state has not finished in the last run.")
    } else {
        format!("{member} isn't known: {why}.")
    }
}

/// Whether any template in `field` names `member` (as AWS's validator checks `$states.errorOutput`).
fn mentions(field: &Value, member: &str) -> bool {
    fn walk(v: &Value, member: &str, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match v {
            Value::String(s) => template(s).is_some_and(|t| t.contains(member)),
            Value::Array(a) => a.iter().any(|x| walk(x, member, depth + 1)),
            Value::Object(o) => o.values().any(|x| walk(x, member, depth + 1)),
            _ => false,
        }
    }
    walk(field, member, 0)
}

/// [`evaluate`] with more `$states` members bound (`result`, `errorOutput`).
fn evaluate_with(
    field: &Value,
    scope: &Scope,
    extra: Map<String, Value>,
) -> Result<Option<Value>, PreviewError> {
    let mut states = Map::new();
    states.insert("input".into(), scope.input.clone());
    states.insert("context".into(), scope.context.clone());
    states.extend(extra);
    let mut bindings = jsonata::Bindings::new(scope.variables.clone());
    bindings.bind("states", Value::Object(states));
    bindings.environment.max_steps = MAX_STEPS;
    bindings.environment.max_depth = MAX_EVAL_DEPTH;
    walk(field, &bindings, String::new(), 0)
}

fn walk(
    v: &Value,
    bindings: &jsonata::Bindings,
    at: String,
    depth: usize,
) -> Result<Option<Value>, PreviewError> {
    if depth > MAX_DEPTH {
        return Err(PreviewError {
            code: "U1001".into(),
            message: "the value is nested too deeply to preview".into(),
            at,
        });
    }
    match v {
        Value::String(s) => match template(s) {
            Some(expr) => {
                let err = |e: jsonata::Error| PreviewError {
                    code: e.code,
                    message: e.message,
                    at: at.clone(),
                };
                let parsed = jsonata::parse(expr).map_err(err)?;
                parsed.evaluate(None, bindings).map_err(err)
            }
            None => Ok(Some(v.clone())),
        },
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                if let Some(r) = walk(x, bindings, format!("{at}/{i}"), depth + 1)? {
                    out.push(r);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                let token = crate::document::escape_token(k);
                if let Some(r) = walk(x, bindings, format!("{at}/{token}"), depth + 1)? {
                    out.insert(k.clone(), r);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        other => Ok(Some(other.clone())),
    }
}

/// The preview as the panel shows it: pretty JSON of the result (`undefined` when there is none), or
/// `Error CODE: message`.
pub fn render(result: &Result<Option<Value>, PreviewError>) -> String {
    match result {
        Ok(Some(v)) => serde_json::to_string_pretty(v).unwrap_or_default(),
        Ok(None) => "undefined".into(),
        Err(e) if e.at.is_empty() => format!("Error {}: {}", e.code, e.message),
        Err(e) => format!("Error {} at {}: {}", e.code, e.at, e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl::simulate::mocks::{MockResponse, MockResult};
    use asl::simulate::{Execution, Mocks, Options};

    fn scope(input: Value) -> Scope {
        scope_for("S", &json!({"Type": "Pass"}), &[], &input)
    }

    #[test]
    fn evaluates_templates_in_place() {
        let s = scope(json!({"total": 40, "items": [1, 2]}));
        let check = |field: Value, want: &str| {
            assert_eq!(render(&evaluate(&field, &s)), want, "{field}");
        };
        check(json!("{% $states.input.total + 2 %}"), "42");
        check(
            json!({"sum": "{% $sum($states.input.items) %}", "k": "fixed", "gone": "{% $states.input.nope %}"}),
            "{\n  \"sum\": 3,\n  \"k\": \"fixed\"\n}",
        );
        check(json!("{% $states.input.nope %}"), "undefined");
        check(json!("{% $states.context.State.Name %}"), "\"S\"");
        check(
            json!("{% 1 + %}"),
            "Error S0207: Unexpected end of expression",
        );
        check(
            json!({"a": ["{% $undefinedFn() %}"]}),
            "Error T1006 at /a/0: Attempted to invoke a non-function",
        );
        check(json!(5), "5");
        assert!(has_template(&json!({"a": [1, "{% 1 %}"]})));
        assert!(!has_template(&json!({"a": "$.x"})));
    }

    #[test]
    fn scope_comes_from_the_last_run() {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Output": {"n": "{% $states.input.n * 2 %}"}, "Assign": {"seen": "{% $states.input.n %}"}, "Next": "B"},
            "B": {"Type": "Pass", "End": true}}});
        let mut exec = Execution::new(
            &def,
            json!({"n": 5}),
            &Mocks::default(),
            &Options::default(),
        );
        exec.run_to_end();
        let s = scope_for("B", &def["States"]["B"], exec.history(), &json!({"n": 5}));
        assert_eq!(s.source, "last run");
        assert_eq!(s.input, json!({"n": 10}));
        assert_eq!(s.variables.get("seen"), Some(&json!(5)));
        let r = evaluate(&json!("{% $seen + $states.input.n %}"), &s);
        assert_eq!(r, Ok(Some(json!(15))));
        let s = scope_for("Nope", &json!({}), exec.history(), &json!({"n": 5}));
        assert_eq!(s.source, "execution input");
        assert_eq!(s.input, json!({"n": 5}));
        assert_eq!(s.context["Execution"]["Input"], json!({"n": 5}));
    }

    /// Runs `def` to its end with `mocks` and gives the preview of field `path` of state `name`.
    fn after_run(def: &Value, mocks: &Mocks, name: &str, path: &[Seg], field: Value) -> Preview {
        let input = json!({"n": 2});
        let mut exec = Execution::new(def, input.clone(), mocks, &Options::default());
        exec.run_to_end();
        let state = &def["States"][name];
        let kind = state["Type"].as_str().unwrap();
        let scope = scope_for(name, state, exec.history(), &input);
        preview(kind, path, &field, &scope)
    }

    fn returns(mocks: &mut Mocks, state: &str, v: Value) {
        mocks.push(
            state,
            MockResponse {
                result: MockResult::Return(v),
                duration_seconds: 0.0,
            },
        );
    }

    fn throws(mocks: &mut Mocks, state: &str, error: &str) {
        mocks.push(
            state,
            MockResponse {
                result: MockResult::Throw {
                    error: error.into(),
                    cause: Some("it broke".into()),
                },
                duration_seconds: 0.0,
            },
        );
    }

    fn key(k: &str) -> Vec<Seg> {
        vec![Seg::key(k)]
    }

    fn catcher(i: usize, k: &str) -> Vec<Seg> {
        vec![Seg::key("Catch"), Seg::Index(i), Seg::key(k)]
    }

    const LAMBDA: &str = "arn:aws:states:::lambda:invoke";

    #[test]
    fn stages_follow_aws() {
        assert_eq!(stage_of("Task", &key("Output")), Stage::AfterResult);
        assert_eq!(
            stage_of("Map", &[Seg::key("Assign"), Seg::key("x")]),
            Stage::AfterResult
        );
        assert_eq!(stage_of("Parallel", &key("Output")), Stage::AfterResult);
        assert_eq!(stage_of("Pass", &key("Output")), Stage::Before);
        assert_eq!(stage_of("Task", &key("Arguments")), Stage::Before);
        assert_eq!(stage_of("Map", &key("Items")), Stage::Before);
        assert_eq!(stage_of("Task", &catcher(2, "Assign")), Stage::Catcher(2));
        assert_eq!(stage_of("Task", &catcher(0, "Next")), Stage::Before);
    }

    #[test]
    fn task_output_sees_the_result_of_the_last_run() {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": LAMBDA, "Arguments": {"FunctionName": "f"},
                     "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}], "End": true}}});
        let mut mocks = Mocks::default();
        throws(&mut mocks, "Call", "Flaky");
        returns(&mut mocks, "Call", json!({"Payload": {"total": 40}}));
        let field = json!({"sum": "{% $states.result.Payload.total + $states.input.n %}"});
        let p = after_run(&def, &mocks, "Call", &key("Output"), field.clone());
        // The retried attempt's result, not the failure before it.
        assert_eq!(p.text, "{\n  \"sum\": 42\n}");
        assert_eq!(
            p.head,
            "$states.input from last run · $states.result from last run"
        );
        assert!(!p.failed);
        // Assign sees it too; Arguments does not (AWS binds it after the task).
        let p = after_run(&def, &mocks, "Call", &key("Assign"), field.clone());
        assert_eq!(p.text, "{\n  \"sum\": 42\n}");
        let p = after_run(&def, &mocks, "Call", &key("Arguments"), field.clone());
        assert_eq!(
            p.text,
            "$states.result is available only in Output and Assign of Task, Map and Parallel states."
        );
        // No run yet: said plainly, not evaluated to undefined.
        let scope = scope_for("Call", &def["States"]["Call"], &[], &json!({"n": 2}));
        let p = preview("Task", &key("Output"), &field, &scope);
        assert_eq!(
            p.text,
            "$states.result isn't known yet: run the workflow to preview it."
        );
        assert_eq!(p.head, "$states.input from execution input");
        // Fields that do not name it evaluate as before.
        let p = preview(
            "Task",
            &key("Output"),
            &json!("{% $states.input.n %}"),
            &scope,
        );
        assert_eq!(p.text, "2");
    }

    #[test]
    fn map_and_parallel_results_are_their_iterations_and_branches() {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {
            "Each": {"Type": "Map", "Items": [1, 2, 3],
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Times", "States": {
                    "Times": {"Type": "Pass", "Output": "{% $states.input * 10 %}", "Next": "Keep"},
                    "Keep": {"Type": "Pass", "End": true}}},
                "Next": "Both"},
            "Both": {"Type": "Parallel", "Branches": [
                {"StartAt": "One", "States": {"One": {"Type": "Pass", "Output": {"b": 1}, "End": true}}},
                {"StartAt": "Two", "States": {
                    "Two": {"Type": "Pass", "Output": {"b": 2}, "Next": "Inner"},
                    "Inner": {"Type": "Map", "Items": [5], "ItemProcessor": {"StartAt": "I", "States": {
                        "I": {"Type": "Pass", "End": true}}}, "Next": "Last"},
                    "Last": {"Type": "Succeed"}}}],
                "End": true}}});
        let mocks = Mocks::default();
        let p = after_run(
            &def,
            &mocks,
            "Each",
            &key("Output"),
            json!("{% $states.result %}"),
        );
        assert_eq!(
            serde_json::from_str::<Value>(&p.text).unwrap(),
            json!([10, 20, 30])
        );
        let p = after_run(
            &def,
            &mocks,
            "Both",
            &key("Output"),
            json!("{% $states.result %}"),
        );
        assert_eq!(
            serde_json::from_str::<Value>(&p.text).unwrap(),
            json!([{"b": 1}, [5]])
        );
    }

    #[test]
    fn catch_output_sees_the_caught_error() {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": LAMBDA, "Arguments": {"FunctionName": "f"},
                     "Catch": [{"ErrorEquals": ["Other"], "Next": "Done"},
                               {"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "Done"}],
                     "Next": "Done"},
            "Done": {"Type": "Succeed"}}});
        let mut mocks = Mocks::default();
        throws(&mut mocks, "Call", "Boom");
        let field = json!("{% $states.errorOutput.Error & ': ' & $states.errorOutput.Cause %}");
        let p = after_run(&def, &mocks, "Call", &catcher(1, "Output"), field.clone());
        assert_eq!(p.text, "\"Boom: it broke\"");
        assert_eq!(
            p.head,
            "$states.input from last run · $states.errorOutput from last run"
        );
        let p = after_run(&def, &mocks, "Call", &catcher(0, "Assign"), field.clone());
        assert_eq!(
            p.text,
            "$states.errorOutput isn't known: catcher 1 caught no error in the last run."
        );
        // The state failed: its Output has no result to see; outside a Catch there is no errorOutput.
        let p = after_run(
            &def,
            &mocks,
            "Call",
            &key("Output"),
            json!("{% $states.result %}"),
        );
        assert_eq!(
            p.text,
            "$states.result isn't known: this state did not succeed in the last run."
        );
        let p = after_run(&def, &mocks, "Call", &key("Output"), field.clone());
        assert_eq!(
            p.text,
            "$states.errorOutput exists only in a Catch's Output and Assign."
        );
        // No run yet.
        let scope = scope_for("Call", &def["States"]["Call"], &[], &json!({}));
        let p = preview("Task", &catcher(1, "Output"), &field, &scope);
        assert_eq!(
            p.text,
            "$states.errorOutput isn't known yet: run the workflow to preview it."
        );
        // A run where the task succeeds: no catcher caught anything.
        let mut ok = Mocks::default();
        returns(&mut ok, "Call", json!(1));
        let p = after_run(&def, &ok, "Call", &catcher(1, "Output"), field);
        assert_eq!(
            p.text,
            "$states.errorOutput isn't known: catcher 2 caught no error in the last run."
        );
    }

    #[test]
    fn runaway_expressions_stop() {
        let s = scope(json!(null));
        let r = evaluate(
            &json!("{% ($f := function($n){ $n > 0 ? $f($n - 1) + 1 : 0 }; $f(100000)) %}"),
            &s,
        );
        assert!(
            matches!(r, Err(PreviewError { ref code, .. }) if code == "U1001"),
            "{r:?}"
        );
    }
}
