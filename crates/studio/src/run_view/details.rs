//! The selected state in a run ("State details"): its last visit's input and output, every data-flow stage as
//! the TestState API's `inspectionData` reports it, variables in scope and assigned, error and cause, and the
//! retries with their delays.
//!
//! The stages come from the engine itself without re-running the execution: the visit's entered input and its
//! task result (or error) are read from the history, then `asl::simulate::test_state::test_state` runs the
//! state alone on that input with the result as a mock, at `inspectionLevel` DEBUG.
//!
//! Map and Parallel states: the history has no event carrying their result, so it is derived, and said so
//! ([`StateDetails::derived`]): each iteration's (branch's) input is the input its first state was entered
//! with (the item after ItemSelector, or the Parallel's input after Parameters/Arguments), its result the
//! output of its last state; the results in index (branch) order are the state's result, which TestState then
//! takes as its mock to report InputPath, ItemsPath, ResultSelector, ResultPath and OutputPath.

use super::{Focus, GraphInfo, visible};
use asl::simulate::history::StateStatus;
use asl::simulate::{Event, Options};
use serde_json::{Map, Value, json};

/// The data-flow stage names in the order a state applies them (JSONPath, then JSONata).
pub const STAGES: [&str; 13] = [
    "input",
    "afterInputPath",
    "afterItemsPath",
    "iterationInputs",
    "branchInputs",
    "afterParameters",
    "afterArguments",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "afterOutput",
    "output",
    "errorDetails",
];

/// One failed attempt that a Retry rule retried.
#[derive(Debug, Clone, PartialEq)]
pub struct Retry {
    /// 1 for the first attempt.
    pub attempt: usize,
    pub error: String,
    pub cause: String,
    /// Virtual milliseconds between the failure and the next attempt.
    pub delay_ms: i64,
}

/// Everything the details panel shows about one state at one point of the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateDetails {
    pub name: String,
    pub kind: String,
    /// False when the state has not been entered in the shown history.
    pub visited: bool,
    pub status: Option<StateStatus>,
    /// How many times the state was entered in the shown history (loops, Map iterations).
    pub visits: usize,
    pub input: Option<Value>,
    pub output: Option<Value>,
    /// `(stage, value)` in [`STAGES`] order.
    pub stages: Vec<(String, Value)>,
    /// Variables in scope when the state was entered.
    pub variables: Map<String, Value>,
    /// Variables the state assigned.
    pub assigned: Map<String, Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub retries: Vec<Retry>,
    /// Why no stages are shown, when none are (or what is missing).
    pub note: Option<String>,
    /// The stages derived from the history rather than reported by TestState (Map/Parallel:
    /// `iterationInputs` or `branchInputs`, and `result`).
    pub derived: Vec<String>,
}

/// A JSON-text field of an event parsed (text that is not JSON is kept as a string).
fn parse_text(v: Option<&Value>) -> Option<Value> {
    let v = v?;
    match v {
        Value::String(s) => Some(serde_json::from_str(s).unwrap_or_else(|_| v.clone())),
        other => Some(other.clone()),
    }
}

/// Finds a state (at any depth) by name in a definition.
pub fn find_state<'a>(machine: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
    if depth > crate::graph::MAX_DEPTH {
        return None;
    }
    let states = machine.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some(s);
    }
    states.values().find_map(|s| {
        let nested = s
            .get("Branches")
            .and_then(Value::as_array)
            .map(|b| b.iter().collect::<Vec<_>>())
            .or_else(|| {
                s.get("ItemProcessor")
                    .or_else(|| s.get("Iterator"))
                    .map(|p| vec![p])
            })?;
        nested
            .into_iter()
            .find_map(|m| find_state(m, name, depth + 1))
    })
}

/// The details of state `name` in the first `position` events.
pub fn state_details(
    definition: &Value,
    events: &[Event],
    position: usize,
    graph: &GraphInfo,
    focus: &Focus,
    name: &str,
) -> StateDetails {
    let shown = events.get(..position.min(events.len())).unwrap_or(&[]);
    let vis = visible(shown, focus);
    let mut d = StateDetails {
        name: name.to_string(),
        kind: graph.kind(name).unwrap_or("?").to_string(),
        status: super::statuses_of(shown, &vis, focus).get(name).copied(),
        ..StateDetails::default()
    };
    let entered_at = vis
        .iter()
        .rposition(|e| e.kind.ends_with("StateEntered") && e.state_name() == Some(name));
    d.visits = vis
        .iter()
        .filter(|e| e.kind.ends_with("StateEntered") && e.state_name() == Some(name))
        .count();
    let Some(start) = entered_at else {
        d.note = Some("Not entered at this point of the run.".into());
        return d;
    };
    d.visited = true;
    d.variables = variables_in_scope(vis.get(..start).unwrap_or(&[]), graph, name);
    d.input = vis
        .get(start)
        .and_then(|e| parse_text(e.details().get("input")));

    // The visit's own events: those while this state is the innermost open one.
    let mut open: Vec<&str> = Vec::new();
    let mut result: Option<Value> = None;
    let mut last_failure: Option<(i64, String, String)> = None;
    let mut attempts = 0usize;
    for e in vis.iter().skip(start) {
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            open.push(e.state_name().unwrap_or(""));
            continue;
        }
        if kind.ends_with("StateExited") {
            let n = e.state_name().unwrap_or("");
            if let Some(pos) = open.iter().rposition(|o| *o == n) {
                open.truncate(pos);
            }
            if n == name && open.is_empty() {
                d.output = parse_text(e.details().get("output"));
                if let Some(Value::Object(a)) = e.details().get("assignedVariables") {
                    d.assigned = a
                        .iter()
                        .map(|(k, v)| (k.clone(), parse_text(Some(v)).unwrap_or(Value::Null)))
                        .collect();
                }
                break;
            }
            continue;
        }
        if kind == "ExecutionFailed" || kind == "ExecutionTimedOut" {
            // The run ended with the state still open: its error is the execution's.
            take_error(e, &mut d);
            continue;
        }
        if open.len() != 1 {
            continue;
        }
        if kind.ends_with("Scheduled")
            || kind == "MapStateStarted"
            || kind == "ParallelStateStarted"
        {
            attempts += 1;
            if let Some((at, error, cause)) = last_failure.take() {
                d.retries.push(Retry {
                    attempt: attempts - 1,
                    error,
                    cause,
                    delay_ms: e.timestamp_ms.saturating_sub(at),
                });
            }
        } else if kind.ends_with("Succeeded") && kind != "MapIterationSucceeded" {
            result = parse_text(e.details().get("output"));
            d.error = None;
            d.cause = None;
        } else if (kind.ends_with("Failed") || kind.ends_with("TimedOut"))
            && !kind.starts_with("MapIteration")
        {
            take_error(e, &mut d);
            last_failure = Some((
                e.timestamp_ms,
                d.error.clone().unwrap_or_default(),
                d.cause.clone().unwrap_or_default(),
            ));
        }
    }
    if matches!(d.kind.as_str(), "Map" | "Parallel") {
        let from = shown
            .iter()
            .rposition(|e| e.kind.ends_with("StateEntered") && e.state_name() == Some(name))
            .unwrap_or(shown.len());
        let flow = children_flow(shown.get(from..).unwrap_or(&[]), graph, name, &d.kind);
        inspect_container(definition, &mut d, flow, attempts);
        return d;
    }
    inspect(definition, &mut d, result, attempts);
    d
}

/// What the iterations (Map) or branches (Parallel) of one visit received and returned, by index.
#[derive(Debug, Default)]
struct ChildrenFlow {
    inputs: Vec<Option<Value>>,
    results: Vec<Option<Value>>,
    /// The container's StateExited was seen (every iteration or branch has finished).
    exited: bool,
}

/// Reads a Map's iterations or a Parallel's branches from the events of its visit (`events` starts with
/// its `*StateEntered`): each one's first entered input and last exited output. The whole history is read,
/// not the drill-down's view, so every iteration counts.
fn children_flow(events: &[Event], graph: &GraphInfo, name: &str, kind: &str) -> ChildrenFlow {
    fn put(v: &mut Vec<Option<Value>>, i: usize, value: Option<Value>, keep_first: bool) {
        if v.len() <= i {
            v.resize(i + 1, None);
        }
        if let Some(s) = v.get_mut(i)
            && !(keep_first && s.is_some())
        {
            *s = value;
        }
    }
    let mut flow = ChildrenFlow::default();
    let mut depth = 0usize;
    let mut iteration: Option<usize> = None;
    // The iteration (Map) or branch (Parallel) a state directly inside this one belongs to.
    let index_of = |child: &str, iteration: Option<usize>| match (kind, graph.parent(child)) {
        ("Map", Some((p, _))) if p == name => iteration,
        ("Parallel", Some((p, b))) if p == name => Some(b),
        _ => None,
    };
    for e in events {
        let k = e.kind.as_str();
        if k.ends_with("StateEntered") {
            depth += 1;
            if depth == 2
                && let Some(i) = index_of(e.state_name().unwrap_or(""), iteration)
            {
                put(
                    &mut flow.inputs,
                    i,
                    parse_text(e.details().get("input")),
                    true,
                );
            }
        } else if k.ends_with("StateExited") {
            if depth == 2
                && let Some(i) = index_of(e.state_name().unwrap_or(""), iteration)
            {
                put(
                    &mut flow.results,
                    i,
                    parse_text(e.details().get("output")),
                    false,
                );
            }
            depth = depth.saturating_sub(1);
            if depth == 0 {
                flow.exited = e.state_name() == Some(name);
                break;
            }
        } else if depth == 1 && k.starts_with("MapIteration") {
            if k == "MapIterationStarted" {
                iteration = e
                    .details()
                    .get("index")
                    .and_then(Value::as_u64)
                    .and_then(|i| usize::try_from(i).ok());
            }
            // A started iteration has no result yet; a failed or aborted one has none.
            if k != "MapIterationSucceeded"
                && let Some(i) = iteration
            {
                put(&mut flow.results, i, None, false);
            }
        }
    }
    flow
}

/// Map/Parallel: the derived iteration (branch) inputs and results, then TestState with the results as
/// the mock for the stages around them.
fn inspect_container(
    definition: &Value,
    d: &mut StateDetails,
    flow: ChildrenFlow,
    attempts: usize,
) {
    let inputs_key = if d.kind == "Map" {
        "iterationInputs"
    } else {
        "branchInputs"
    };
    let mut derived: Vec<(String, Value)> = Vec::new();
    if !flow.inputs.is_empty() {
        derived.push((
            inputs_key.to_string(),
            Value::Array(
                flow.inputs
                    .iter()
                    .map(|v| v.clone().unwrap_or(Value::Null))
                    .collect(),
            ),
        ));
    }
    let failed = d.error.is_some()
        || matches!(d.status, Some(StateStatus::Failed | StateStatus::Caught))
        || flow.exited && flow.results.iter().any(Option::is_none);
    let complete = flow.exited
        && !failed
        && flow.results.len() == flow.inputs.len()
        && flow.results.iter().all(Option::is_some);
    let results = complete.then(|| {
        Value::Array(
            flow.results
                .into_iter()
                .map(|v| v.unwrap_or(Value::Null))
                .collect(),
        )
    });
    if let Some(r) = &results {
        derived.push(("result".into(), r.clone()));
    }
    d.derived = derived.iter().map(|(k, _)| k.clone()).collect();
    match results {
        Some(r) => {
            inspect_with(
                definition,
                d,
                Some(json!({"result": r.to_string()})),
                attempts,
            );
            if d.stages.is_empty() {
                // TestState could not run: show what the history gives.
                d.stages = derived;
                return;
            }
            let mut stages = std::mem::take(&mut d.stages);
            stages.retain(|(k, _)| !d.derived.contains(k));
            stages.extend(derived);
            stages.sort_by_key(|(k, _)| STAGES.iter().position(|s| s == k).unwrap_or(STAGES.len()));
            d.stages = stages;
        }
        None => {
            if let Some(input) = d.input.clone() {
                derived.insert(0, ("input".into(), input));
            }
            d.stages = derived;
            d.note = Some(if failed {
                format!(
                    "The {} failed: no result to follow through ResultSelector, ResultPath and OutputPath.",
                    d.kind
                )
            } else {
                format!(
                    "The {} has not finished at this point of the run: its result and the stages after it come when every {} has.",
                    d.kind,
                    if d.kind == "Map" {
                        "iteration"
                    } else {
                        "branch"
                    }
                )
            });
        }
    }
}

fn take_error(e: &Event, d: &mut StateDetails) {
    if let Some(x) = e.details().get("error").and_then(Value::as_str) {
        d.error = Some(x.to_string());
    }
    if let Some(x) = e.details().get("cause").and_then(Value::as_str) {
        d.cause = Some(x.to_string());
    }
}

/// Variables assigned before `name` was entered by states of its scope or an enclosing one (later wins).
fn variables_in_scope(before: &[&Event], graph: &GraphInfo, name: &str) -> Map<String, Value> {
    let mut scopes = graph.ancestors(name);
    scopes.push(String::new());
    let scope_of = |n: &str| graph.ancestors(n).first().cloned().unwrap_or_default();
    let mut vars = Map::new();
    for e in before {
        if !e.kind.ends_with("StateExited") {
            continue;
        }
        let d = e.details();
        let Some(Value::Object(a)) = d.get("assignedVariables") else {
            continue;
        };
        if !scopes.contains(&scope_of(e.state_name().unwrap_or(""))) {
            continue;
        }
        for (k, v) in a {
            vars.insert(k.clone(), parse_text(Some(v)).unwrap_or(Value::Null));
        }
    }
    vars
}

/// Fills `stages` by running the state alone through TestState with the visit's result (or error) as a mock.
fn inspect(definition: &Value, d: &mut StateDetails, result: Option<Value>, attempts: usize) {
    let mock = if d.kind == "Task" {
        match (&result, &d.error) {
            (Some(r), _) => Some(json!({"result": r.to_string(), "fieldValidationMode": "NONE"})),
            (None, Some(e)) => Some(
                json!({"errorOutput": {"error": e, "cause": d.cause.clone().unwrap_or_default()}}),
            ),
            (None, None) => {
                d.note = Some("The task has not finished at this point of the run.".into());
                return;
            }
        }
    } else {
        None
    };
    inspect_with(definition, d, mock, attempts);
}

/// Runs TestState on the state alone with this mock and fills `stages` from its inspection data.
fn inspect_with(definition: &Value, d: &mut StateDetails, mock: Option<Value>, attempts: usize) {
    let Some(state) = find_state(definition, &d.name, 0) else {
        d.note = Some("The state is no longer in the definition.".into());
        return;
    };
    let Some(input) = d.input.clone() else {
        return;
    };
    let mut state = state.clone();
    if let (Some(q), Value::Object(m)) = (definition.get("QueryLanguage"), &mut state) {
        m.entry("QueryLanguage").or_insert(q.clone());
    }
    let mut req = json!({
        "definition": state,
        "input": input.to_string(),
        "inspectionLevel": "DEBUG",
        "variables": Value::Object(d.variables.clone()).to_string(),
    });
    if let Some(m) = mock {
        req["mock"] = m;
        req["stateConfiguration"] = json!({"retrierRetryCount": attempts.saturating_sub(1)});
    }
    let resp = asl::simulate::test_state::test_state(&req, &Options::default());
    if let Some(err) = resp.get("Error") {
        d.note = Some(format!(
            "The stages could not be computed: {}",
            err.get("Message").and_then(Value::as_str).unwrap_or("")
        ));
        return;
    }
    let data = resp.get("inspectionData").cloned().unwrap_or(Value::Null);
    let mut stages: Vec<(String, Value)> = Vec::new();
    for key in STAGES {
        let v = match key {
            "afterOutput" if is_jsonata(&state) => d.output.clone(),
            "output" => parse_text(resp.get("output")).or_else(|| d.output.clone()),
            _ => parse_text(data.get(key)),
        };
        if let Some(v) = v {
            stages.push((key.to_string(), v));
        }
    }
    if !d.assigned.is_empty() {
        stages.push((
            "assignedVariables".into(),
            Value::Object(d.assigned.clone()),
        ));
    }
    d.stages = stages;
}

fn is_jsonata(state: &Value) -> bool {
    state.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata")
}
