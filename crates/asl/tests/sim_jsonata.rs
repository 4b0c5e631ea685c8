//! JSONata states in the simulator beyond the recorded conformance cases: templates, `$states`, Assign's
//! scoping and limits, Choice conditions, Map/Parallel, Task Arguments to mocks, Retry/Catch, the virtual
//! clock and the seed, and AWS's States.QueryEvaluationError messages.

use asl::simulate::{self, MockResponse, MockResult, Mocks, Options, Status};
use serde_json::{Value, json};

/// A machine whose top level is JSONata.
fn machine(start: &str, states: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

fn mocks(list: &[(&str, MockResult, f64)]) -> Mocks {
    let mut m = Mocks::default();
    for (state, result, secs) in list {
        m.push(
            state,
            MockResponse {
                result: result.clone(),
                duration_seconds: *secs,
            },
        );
    }
    m
}

fn throw(e: &str) -> MockResult {
    MockResult::Throw {
        error: e.into(),
        cause: Some(format!("{e} happened")),
    }
}

/// What a run should end with.
enum Expect {
    Output(Value),
    Error(&'static str, &'static str),
}

fn check(title: &str, def: Value, input: Value, m: &Mocks, expected: Expect) {
    let (out, _) = simulate::run(&def, input, m, &Options::default());
    match expected {
        Expect::Output(v) => {
            assert_eq!(out.status, Status::Succeeded, "{title}: {out:?}");
            assert_eq!(out.output, Some(v), "{title}");
        }
        Expect::Error(e, c) => {
            assert_eq!(out.status, Status::Failed, "{title}: {out:?}");
            assert_eq!(out.error.as_deref(), Some(e), "{title}");
            assert_eq!(out.cause.as_deref(), Some(c), "{title}");
        }
    }
}

#[test]
fn templates_and_states_variables() {
    let none = Mocks::default();
    let rows: Vec<(&str, Value, Value, Expect)> = vec![
        (
            "a whole-string expression",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "Output": "{% 1 + 1 %}", "End": true}}),
            ),
            json!({}),
            Expect::Output(json!(2)),
        ),
        (
            "nested objects and arrays; other strings are literals",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "Output": {"a": ["{% $states.input.v %}", "lit {% 1 %}", {"b": "{% $states.input.v * 2 %}"}], "n": 3}, "End": true}}),
            ),
            json!({"v": 5}),
            Expect::Output(json!({"a": [5, "lit {% 1 %}", {"b": 10}], "n": 3})),
        ),
        (
            "no Output passes the input on",
            machine("P", json!({"P": {"Type": "Pass", "End": true}})),
            json!({"k": [1]}),
            Expect::Output(json!({"k": [1]})),
        ),
        (
            "a JSONPath state inside a JSONata machine",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "QueryLanguage": "JSONPath", "Parameters": {"x.$": "$.a"}, "End": true}}),
            ),
            json!({"a": 1}),
            Expect::Output(json!({"x": 1})),
        ),
        (
            "the context object",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "Output": {"name": "{% $states.context.State.Name %}", "input": "{% $states.context.Execution.Input.k %}"}, "End": true}}),
            ),
            json!({"k": "v"}),
            Expect::Output(json!({"name": "P", "input": "v"})),
        ),
        (
            "an undefined field is an error naming the field",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "Output": {"a": {"b": "{% $states.input.missing %}"}}, "End": true}}),
            ),
            json!({}),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output/a/b' returned nothing (undefined).",
            ),
        ),
        (
            "an evaluation error carries the JSONata code",
            machine(
                "P",
                json!({"P": {"Type": "Pass", "Output": "{% $states.input.v() %}", "End": true}}),
            ),
            json!({"v": 1}),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$states.input.v()' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function",
            ),
        ),
        (
            "Fail's Error and Cause from expressions",
            machine(
                "F",
                json!({"F": {"Type": "Fail", "Error": "{% 'E.' & $states.input.code %}", "Cause": "{% $string($states.input.n) %}"}}),
            ),
            json!({"code": "Bad", "n": 7}),
            Expect::Error("E.Bad", "7"),
        ),
        (
            "Wait Seconds from an expression moves the virtual clock that $now() reads",
            machine(
                "W",
                json!({"W": {"Type": "Wait", "Seconds": "{% $states.input.s %}", "Next": "N"},
                "N": {"Type": "Pass", "Output": {"now": "{% $now() %}", "millis": "{% $millis() %}"}, "End": true}}),
            ),
            json!({"s": 90}),
            Expect::Output(
                json!({"now": "2025-01-01T00:01:30.000Z", "millis": 1_735_689_690_000_i64}),
            ),
        ),
        (
            "Wait Timestamp that does not parse",
            machine(
                "W",
                json!({"W": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": true}}),
            ),
            json!({"t": "tomorrow"}),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: tomorrow",
            ),
        ),
    ];
    for (title, def, input, expected) in rows {
        check(title, def, input, &none, expected);
    }
}

#[test]
fn assign_scoping() {
    let none = Mocks::default();
    let rows: Vec<(&str, Value, Value, Expect)> = vec![
        (
            "Assign and Output of one state both see the variables from before it",
            machine(
                "A",
                json!({
                "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
                "B": {"Type": "Pass", "Assign": {"x": "{% $x + 1 %}"}, "Output": {"seen": "{% $x %}"}, "Next": "C"},
                "C": {"Type": "Pass", "Output": {"before": "{% $states.input.seen %}", "now": "{% $x %}"}, "End": true}}),
            ),
            json!({}),
            Expect::Output(json!({"before": 1, "now": 2})),
        ),
        (
            "Map iterations read outer variables; what they assign stays inside",
            machine(
                "A",
                json!({
                "A": {"Type": "Pass", "Assign": {"k": 10}, "Next": "M"},
                "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {"StartAt": "I", "States": {
                    "I": {"Type": "Pass", "Assign": {"inner": "{% $states.input %}"}, "Output": "{% $states.input + $k %}", "End": true}}},
                    "Next": "C"},
                "C": {"Type": "Pass", "Output": {"r": "{% $states.input %}", "inner": "{% $exists($inner) %}"}, "End": true}}),
            ),
            json!({}),
            Expect::Output(json!({"r": [11, 12], "inner": false})),
        ),
        (
            "a distributed Map's child executions do not see outer variables",
            machine(
                "A",
                json!({
                "A": {"Type": "Pass", "Assign": {"k": 10}, "Next": "M"},
                "M": {"Type": "Map", "Items": [1], "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "I", "States": {"I": {"Type": "Pass", "Output": {"k": "{% $k %}"}, "End": true}}},
                    "ToleratedFailureCount": 1, "Output": "{% $states.result[0].Error %}", "Next": "C"},
                "C": {"Type": "Pass", "Output": {"got": "{% $states.input %}", "k": "{% $k %}"}, "End": true}}),
            ),
            json!({}),
            Expect::Output(json!({"got": "States.QueryEvaluationError", "k": 10})),
        ),
        (
            "ItemBatcher BatchInput is a JSONata template",
            machine(
                "M",
                json!({"M": {"Type": "Map", "Items": [1, 2, 3],
                "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag": "{% $states.input.t %}"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "I", "States": {"I": {"Type": "Pass", "Output": "{% $states.input.BatchInput.tag & $string($count($states.input.Items)) %}", "End": true}}},
                "End": true}}),
            ),
            json!({"t": "n="}),
            Expect::Output(json!(["n=2", "n=1"])),
        ),
        (
            "Choice rule Assign and Output; Default uses the state's",
            machine(
                "C",
                json!({
                "C": {"Type": "Choice", "Choices": [
                    {"Condition": "{% $states.input.n > 5 %}", "Assign": {"big": true}, "Output": "rule", "Next": "E"}],
                    "Default": "E", "Assign": {"big": false}, "Output": "default"},
                "E": {"Type": "Pass", "Output": {"in": "{% $states.input %}", "big": "{% $big %}"}, "End": true}}),
            ),
            json!({"n": 9}),
            Expect::Output(json!({"in": "rule", "big": true})),
        ),
        (
            "a Condition that is not a boolean",
            machine(
                "C",
                json!({"C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "E"}], "Default": "E"},
                "E": {"Type": "Succeed"}}),
            ),
            json!({"n": 1}),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'C' (entered at the event id #2). The JSONata expression '$states.input.n' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 1",
            ),
        ),
        (
            "JSONPath variables of one Assign are limited to 256 KiB together",
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}),
            json!({"s": "x".repeat(150 * 1024)}),
            Expect::Error(
                "States.Runtime",
                "An error occurred while executing the state 'A' (entered at the event id #2). The variables assigned by the state exceed the maximum total size of 256 KiB.",
            ),
        ),
    ];
    for (title, def, input, expected) in rows {
        check(title, def, input, &none, expected);
    }
}

#[test]
fn tasks_maps_and_parallels() {
    let task = |extra: Value| {
        let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f", "Payload": {"v": "{% $states.input.v %}"}}, "End": true});
        if let (Value::Object(m), Value::Object(x)) = (&mut t, extra) {
            m.extend(x);
        }
        machine("T", json!({"T": t, "H": {"Type": "Pass", "End": true}}))
    };
    let rows: Vec<(&str, Value, Mocks, Expect)> = vec![
        (
            "Arguments go to the task (an unmocked task echoes them); Output reads $states.result",
            task(
                json!({"Output": {"r": "{% $states.result.Payload %}", "i": "{% $states.input.v %}"}}),
            ),
            Mocks::default(),
            Expect::Output(json!({"r": {"v": 3}, "i": 3})),
        ),
        (
            "a callback task's token is in the context when Arguments are evaluated",
            machine(
                "T",
                json!({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Arguments": {"MessageBody": {"token": "{% $states.context.Task.Token %}"}},
                "Output": "{% $length($states.result.MessageBody.token) %}", "End": true}}),
            ),
            Mocks::default(),
            Expect::Output(json!(32)),
        ),
        (
            "Retry then success",
            task(
                json!({"Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1}], "Output": "{% $states.result %}"}),
            ),
            mocks(&[
                ("T", throw("E"), 0.0),
                ("T", MockResult::Return(json!("ok")), 0.0),
            ]),
            Expect::Output(json!("ok")),
        ),
        (
            "Catch Output and Assign read $states.errorOutput",
            machine(
                "T",
                json!({
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                        "Output": {"err": "{% $states.errorOutput.Error %}", "in": "{% $states.input.v %}"}, "Next": "H"}], "End": true},
                "H": {"Type": "Pass", "Output": {"got": "{% $states.input %}", "why": "{% $why %}"}, "End": true}}),
            ),
            mocks(&[("T", throw("Boom"), 0.0)]),
            Expect::Output(json!({"got": {"err": "Boom", "in": 3}, "why": "Boom happened"})),
        ),
        (
            "TimeoutSeconds from an expression; the timeout is caught with an empty cause",
            task(
                json!({"TimeoutSeconds": "{% $states.input.v %}", "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "H"}]}),
            ),
            mocks(&[("T", MockResult::Return(json!(1)), 10.0)]),
            Expect::Output(json!({"Error": "States.Timeout", "Cause": ""})),
        ),
        (
            "an undefined Arguments field",
            task(json!({"Arguments": {"FunctionName": "{% $nope %}"}})),
            Mocks::default(),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'T' (entered at the event id #2). The JSONata expression '$nope' specified for the field 'Arguments/FunctionName' returned nothing (undefined).",
            ),
        ),
        (
            "Map Items, ItemSelector with the item's index and value, MaxConcurrency from an expression",
            machine(
                "M",
                json!({"M": {"Type": "Map", "Items": "{% $states.input.xs %}", "MaxConcurrency": "{% 1 %}",
                "ItemSelector": {"i": "{% $states.context.Map.Item.Index %}", "v": "{% $states.context.Map.Item.Value %}"},
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Output": "{% $states.input.i & ':' & $states.input.v %}", "End": true}}},
                "Output": {"all": "{% $join($states.result, ',') %}"}, "End": true}}),
            ),
            Mocks::default(),
            Expect::Output(json!({"all": "0:a,1:b"})),
        ),
        (
            "Map Items that is not an array",
            machine(
                "M",
                json!({"M": {"Type": "Map", "Items": "{% $states.input.v %}",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}),
            ),
            Mocks::default(),
            Expect::Error(
                "States.QueryEvaluationError",
                "An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '$states.input.v' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 3",
            ),
        ),
        (
            "Parallel Arguments feed every branch; Output reads the results",
            machine(
                "P",
                json!({"P": {"Type": "Parallel", "Arguments": {"n": "{% $states.input.v %}"},
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.n + 1 %}", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $states.input.n * 2 %}", "End": true}}}],
                "Output": "{% $sum($states.result) %}", "End": true}}),
            ),
            Mocks::default(),
            Expect::Output(json!(10)),
        ),
    ];
    for (title, def, m, expected) in rows {
        check(title, def, json!({"v": 3, "xs": ["a", "b"]}), &m, expected);
    }
}

#[test]
fn random_and_uuid_follow_the_seed() {
    let def = machine(
        "P",
        json!({"P": {"Type": "Pass", "Output": {"u": "{% $uuid() %}", "r": "{% $random() %}"}, "End": true}}),
    );
    let at = |seed: u64| {
        let opts = Options {
            seed,
            ..Options::default()
        };
        simulate::run(&def, json!({}), &Mocks::default(), &opts)
            .0
            .output
    };
    assert_eq!(at(1), at(1));
    assert_ne!(at(1), at(2));
    let out = at(1).unwrap_or_default();
    assert_eq!(out["u"].as_str().map(str::len), Some(36), "{out}");
    assert!(
        out["r"].as_f64().is_some_and(|r| (0.0..1.0).contains(&r)),
        "{out}"
    );
}

#[test]
fn evaluation_failures_are_recorded_in_the_history() {
    let def = machine(
        "P",
        json!({"P": {"Type": "Pass", "Output": {"r": "{% $nope %}"}, "End": true}}),
    );
    let (out, events) = simulate::run(&def, json!({}), &Mocks::default(), &Options::default());
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    // AWS records four events here: started, entered, evaluation failed, failed.
    assert_eq!(
        kinds,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "EvaluationFailed",
            "ExecutionFailed"
        ]
    );
    let failed = events.get(2).map(|e| e.details()).unwrap_or_default();
    assert_eq!(failed["location"], "Output/r");
    assert_eq!(failed["state"], "P");
    assert_eq!(failed["error"], "States.QueryEvaluationError");
    assert_eq!(failed["cause"].as_str(), out.cause.as_deref());
}
