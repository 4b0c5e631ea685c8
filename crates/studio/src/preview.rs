//! The JSONata preview: evaluates a field's `{% %}` templates (a string, or strings nested in objects
//! and arrays) as the simulator would, with `$states.input`, `$states.context` and the workflow's
//! variables bound. The input comes from the last run's history when the state ran, else the execution
//! input.

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
}

/// The scope for a state: its entered input in the last run's history (and the variables assigned
/// before it), else the execution input.
pub fn scope_for(state: &str, history: &[Event], execution_input: &Value) -> Scope {
    let mut variables = Map::new();
    let mut input = None;
    let mut entered_at = String::new();
    for e in history {
        if e.kind.ends_with("StateEntered") && e.state_name() == Some(state) {
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
    let source = if input.is_some() {
        "last run"
    } else {
        "execution input"
    };
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
/// the key, as AWS does). `Ok(None)`: the whole field is undefined.
pub fn evaluate(field: &Value, scope: &Scope) -> Result<Option<Value>, PreviewError> {
    let mut states = Map::new();
    states.insert("input".into(), scope.input.clone());
    states.insert("context".into(), scope.context.clone());
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
    use asl::simulate::{Execution, Mocks, Options};

    fn scope(input: Value) -> Scope {
        scope_for("S", &[], &input)
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
        let s = scope_for("B", exec.history(), &json!({"n": 5}));
        assert_eq!(s.source, "last run");
        assert_eq!(s.input, json!({"n": 10}));
        assert_eq!(s.variables.get("seen"), Some(&json!(5)));
        let r = evaluate(&json!("{% $seen + $states.input.n %}"), &s);
        assert_eq!(r, Ok(Some(json!(15))));
        let s = scope_for("Nope", exec.history(), &json!({"n": 5}));
        assert_eq!(s.source, "execution input");
        assert_eq!(s.input, json!({"n": 5}));
        assert_eq!(s.context["Execution"]["Input"], json!({"n": 5}));
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
