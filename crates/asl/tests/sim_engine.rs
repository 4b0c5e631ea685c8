//! Simulator behaviour beyond the recorded conformance cases: history shape, stepping, retries on the virtual
//! clock, catchers, timeouts, limits, Map/Parallel failure rules, mocks and cost.

use asl::simulate::{
    self, Event, Execution, Limits, MockResponse, MockResult, Mocks, Options, Status,
};
use serde_json::{Value, json};

fn run_with(
    def: Value,
    input: Value,
    mocks: &Mocks,
    opts: &Options,
) -> (simulate::Outcome, Vec<Event>) {
    // Every run here also checks that a run without history ends the same way (inputs too deep to copy
    // recursively are left out: they are refused before any state runs).
    let copy = (nesting(&input) < 1000).then(|| input.clone());
    let (outcome, events) = simulate::run(&def, input, mocks, opts);
    if let Some(input) = copy {
        assert_eq!(
            simulate::run_outcome(&def, input, mocks, opts),
            outcome,
            "run_outcome differs from run"
        );
    }
    (outcome, events)
}

/// A value's nesting depth, without recursion.
fn nesting(v: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(v, 0)];
    while let Some((x, d)) = stack.pop() {
        max = max.max(d);
        match x {
            Value::Array(a) => stack.extend(a.iter().map(|y| (y, d + 1))),
            Value::Object(o) => stack.extend(o.values().map(|y| (y, d + 1))),
            _ => {}
        }
    }
    max
}

fn run(def: Value, input: Value, mocks: &Mocks) -> (simulate::Outcome, Vec<Event>) {
    run_with(def, input, mocks, &Options::default())
}

fn kinds(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}

fn mock(list: &[(&str, MockResult, f64)]) -> Mocks {
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

/// Seconds since start of each event of `kind`.
fn times(events: &[Event], kind: &str) -> Vec<f64> {
    let t0 = events.first().map_or(0, |e| e.timestamp_ms);
    events
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.timestamp_ms - t0) as f64 / 1000.0)
        .collect()
}

#[test]
fn history_has_aws_shape_and_is_deterministic() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "x.$": "$.x"}, "Assign": {"seen.$": "$.x"}, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "End": true}
    }});
    let m = mock(&[("T", MockResult::Return(json!({"Payload": 1})), 0.5)]);
    let opts = Options {
        seed: 42,
        ..Options::default()
    };
    let (a, ha) = run_with(def.clone(), json!({"x": 1}), &m, &opts);
    let (_, hb) = run_with(def.clone(), json!({"x": 1}), &m, &opts);
    assert_eq!(ha, hb, "same seed, same history");
    let (_, hc) = run_with(def, json!({"x": 1}), &m, &Options { seed: 43, ..opts });
    assert_ne!(ha, hc, "the seed feeds States.UUID");
    assert_eq!(a.status, Status::Succeeded);
    let json: Vec<Value> = ha.iter().map(Event::to_json).collect();
    insta::assert_json_snapshot!("history_pass_task", json);
}

#[test]
fn stepping_and_breakpoints() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}});
    let mut ex = Execution::new(&def, json!({}), &Mocks::default(), &Options::default());
    assert_eq!(
        ex.step().map(|e| e.kind.clone()),
        Some("ExecutionStarted".into())
    );
    assert_eq!(ex.history().len(), 1);
    assert!(ex.outcome().is_none());
    ex.add_breakpoint("C");
    let hit = ex
        .continue_to_breakpoint()
        .map(|e| (e.kind.clone(), e.state_name().map(str::to_string)));
    assert_eq!(hit, Some(("SucceedStateEntered".into(), Some("C".into()))));
    assert!(!ex.is_finished());
    let out = ex.run_to_end().clone();
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(
        ex.history().last().map(|e| e.kind.as_str()),
        Some("ExecutionSucceeded")
    );
    assert!(ex.step().is_none());
}

#[test]
fn retry_backoff_cap_and_max_attempts() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 10}],
        "End": true}}});
    let m = mock(&[("T", throw("Boom"), 0.0)]);
    let (out, h) = run(def, json!({}), &m);
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("Boom"));
    // attempts at 0, +2, +6, +10 (18 capped to 10)
    assert_eq!(
        times(&h, "LambdaFunctionScheduled"),
        vec![0.0, 2.0, 8.0, 18.0]
    );
    assert_eq!(out.cost.state_transitions, 4);

    let zero = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}], "End": true}}});
    let (_, h) = run(zero, json!({}), &m);
    assert_eq!(
        times(&h, "LambdaFunctionScheduled").len(),
        1,
        "MaxAttempts 0 never retries"
    );
}

#[test]
fn full_jitter_is_seeded() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 1, "JitterStrategy": "FULL"}],
        "End": true}}});
    let m = mock(&[("T", throw("Boom"), 0.0)]);
    let delay = |seed| {
        let (_, h) = run_with(
            def.clone(),
            json!({}),
            &m,
            &Options {
                seed,
                ..Options::default()
            },
        );
        times(&h, "LambdaFunctionScheduled")[1]
    };
    assert_eq!(delay(1), delay(1));
    assert_ne!(delay(1), delay(2));
    assert!((0.0..=100.0).contains(&delay(1)));
}

#[test]
fn catch_result_path_assign_and_runtime_is_uncatchable() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Assign": {"kind.$": "$.Error"}, "Next": "H"}], "End": true},
        "H": {"Type": "Pass", "Parameters": {"kind.$": "$kind", "cause.$": "$.err.Cause", "keep.$": "$.keep"}, "End": true}}});
    let m = mock(&[("T", throw("Oops"), 0.0)]);
    let (out, _) = run(def, json!({"keep": 1}), &m);
    assert_eq!(
        out.output,
        Some(json!({"kind": "Oops", "cause": "Oops happened", "keep": 1}))
    );

    let runtime = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "OutputPath": "$.missing",
              "Catch": [{"ErrorEquals": ["States.ALL", "States.Runtime"], "Next": "H"}], "End": true},
        "H": {"Type": "Succeed"}}});
    let m = mock(&[("T", MockResult::Return(json!({})), 0.0)]);
    let (out, _) = run(runtime, json!({}), &m);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        out.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'T' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']"
        )
    );
}

#[test]
fn task_timeouts_and_heartbeats_use_mock_durations() {
    let def = |extra: Value| {
        let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"token.$": "$$.Task.Token"}, "End": true});
        if let (Value::Object(t), Value::Object(x)) = (&mut t, extra) {
            t.extend(x);
        }
        json!({"StartAt": "T", "States": {"T": t}})
    };
    let slow = mock(&[("T", MockResult::Return(json!("done")), 30.0)]);
    let (out, h) = run(def(json!({"TimeoutSeconds": 10})), json!({}), &slow);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(times(&h, "TaskTimedOut"), vec![10.0]);
    let (out, _) = run(
        def(json!({"TimeoutSeconds": 60, "HeartbeatSeconds": 5})),
        json!({}),
        &slow,
    );
    assert_eq!(out.error.as_deref(), Some("States.HeartbeatTimeout"));
    let (out, h) = run(
        def(json!({"TimeoutSecondsPath": "$.t"})),
        json!({"t": 7}),
        &slow,
    );
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(times(&h, "TaskTimedOut"), vec![7.0]);
    let (out, _) = run(
        def(json!({"HeartbeatSecondsPath": "$.t"})),
        json!({"t": "x"}),
        &slow,
    );
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    let (out, h) = run(def(json!({"TimeoutSeconds": 60})), json!({}), &slow);
    assert_eq!(out.output, Some(json!("done")));
    let scheduled = h
        .iter()
        .find(|e| e.kind == "TaskScheduled")
        .map(|e| e.details())
        .unwrap_or_default();
    let params: Value =
        serde_json::from_str(scheduled["parameters"].as_str().unwrap_or("")).unwrap_or_default();
    assert_eq!(
        params["token"].as_str().map(str::len),
        Some(32),
        "$$.Task.Token is set for .waitForTaskToken"
    );
}

#[test]
fn execution_timeout_and_limits() {
    let def = json!({"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let (out, h) = run(def, json!({}), &Mocks::default());
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(h.last().map(|e| e.kind.as_str()), Some("ExecutionTimedOut"));

    let big = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "x".repeat(300 * 1024), "End": true}}});
    let (out, _) = run(big, json!({}), &Mocks::default());
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));

    let forever = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}});
    let opts = Options {
        limits: Limits {
            max_events: 100,
            ..Limits::default()
        },
        ..Options::default()
    };
    let (out, h) = run_with(forever, json!({}), &Mocks::default(), &opts);
    assert_eq!(out.status, Status::Failed);
    assert_eq!(h.len(), 101, "the limit, plus the closing ExecutionFailed");
}

#[test]
fn parallel_and_inline_map_failures() {
    let par = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "ok", "States": {"ok": {"Type": "Wait", "Seconds": 3, "End": true}}},
        {"StartAt": "bad", "States": {"bad": {"Type": "Fail", "Error": "E", "Cause": "C"}}}]}}});
    let (out, h) = run(par, json!({}), &Mocks::default());
    assert_eq!(
        (out.error.as_deref(), out.cause.as_deref()),
        (Some("E"), Some("C"))
    );
    assert!(kinds(&h).contains(&"ParallelStateFailed"));

    let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 2,
        "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}, "End": true}}});
    let (out, h) = run(map, json!({"xs": ["a", "b", "c"]}), &Mocks::default());
    assert_eq!(
        out.output,
        Some(json!([{"i": 0, "v": "a"}, {"i": 1, "v": "b"}, {"i": 2, "v": "c"}]))
    );
    // two at a time: the third item starts when the first slot frees up
    assert_eq!(times(&h, "MapIterationStarted"), vec![0.0, 0.0, 10.0]);
    assert_eq!(out.duration_ms, 20_000);
}

#[test]
fn distributed_map_tolerates_failures_and_reads_batches() {
    let def = |tolerated: Value| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}, "Parameters": {"Bucket": "b", "Key": "k"}},
            "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"job": "j"}},
            "ToleratedFailureCount": tolerated,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "C",
                "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0].n", "StringEquals": "3", "Next": "F"}], "Default": "S"},
                           "F": {"Type": "Fail", "Error": "Bad"}, "S": {"Type": "Succeed"}}}, "End": true}}})
    };
    let csv = MockResult::Return(json!("n,name\n1,a\n2,b\n3,c\n"));
    let m = mock(&[("M", csv, 0.0)]);
    let (out, h) = run(def(json!(1)), json!({}), &m);
    assert_eq!(
        out.output,
        Some(
            json!([{"BatchInput": {"job": "j"}, "Items": [{"n": "1", "name": "a"}, {"n": "2", "name": "b"}]}, {"Error": "Bad"}])
        )
    );
    assert!(kinds(&h).contains(&"MapRunStarted"));
    let (out, _) = run(def(json!(0)), json!({}), &m);
    assert_eq!(
        out.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
}

#[test]
fn mock_config_drives_invocations_and_unmocked_tasks_echo_with_a_note() {
    let cfg = json!({"StateMachines": {"SM": {"TestCases": {"T1": {"Call": "R"}}}},
        "MockedResponses": {"R": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}}, "2": {"Return": {"n": 3}}}}});
    let m = Mocks::from_config(&cfg, "SM", "T1").unwrap_or_default();
    let def = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1}], "Next": "Other"},
        "Other": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"Item.$": "$"}, "End": true}}});
    let (out, h) = run(def, json!({}), &m);
    assert_eq!(out.output, Some(json!({"Item": {"n": 3}})));
    assert_eq!(out.warnings.len(), 1);
    assert!(out.warnings[0].contains("'Other' is not mocked"));
    let noted: Vec<&str> = h
        .iter()
        .filter(|e| e.note.is_some())
        .map(|e| e.kind.as_str())
        .collect();
    assert_eq!(noted, vec!["TaskSucceeded"]);
    assert_eq!(out.cost.state_transitions, 4, "two states plus two retries");
    assert!((out.cost.standard_usd - 0.0001).abs() < 1e-12);
}

#[test]
fn choice_no_match_and_fail_paths() {
    let def = json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericGreaterThanPath": "$.limit", "Next": "F"}]},
        "F": {"Type": "Fail", "ErrorPath": "$.code", "CausePath": "States.Format('{} > {}', $.n, $.limit)"}}});
    let (out, _) = run(
        def.clone(),
        json!({"n": 5, "limit": 3, "code": "TooBig"}),
        &Mocks::default(),
    );
    assert_eq!(
        (out.error.as_deref(), out.cause.as_deref()),
        (Some("TooBig"), Some("5 > 3"))
    );
    let (out, _) = run(
        def,
        json!({"n": 1, "limit": 3, "code": "x"}),
        &Mocks::default(),
    );
    assert_eq!(out.error.as_deref(), Some("States.NoChoiceMatched"));
}

#[test]
fn path_failures_follow_aws_wording() {
    let def = |params: Value| json!({"StartAt": "Pick", "States": {"Pick": {"Type": "Pass", "Parameters": params, "End": true}}});
    let (out, _) = run(
        def(json!({"v.$": "States.Format('{}', $$.Nope.Deep)"})),
        json!({"other": 1}),
        &Mocks::default(),
    );
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        out.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Pick' (entered at the event id #2). The function 'States.Format('{}', $$.Nope.Deep)' had the following error: The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'"
        )
    );
    let (out, _) = run(
        def(json!({"v.$": "$.items[5]"})),
        json!({"items": [1, 2]}),
        &Mocks::default(),
    );
    assert_eq!(
        out.output,
        Some(json!({"v": null})),
        "an index past the end is null in a plain reference"
    );
    let (out, _) = run(
        def(json!({"v.$": "$.other.x"})),
        json!({"other": 1}),
        &Mocks::default(),
    );
    assert_eq!(
        out.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Pick' (entered at the event id #2). The JSONPath '$.other.x' specified for the field 'v.$' could not be found in the input '{\"other\":1}'"
        )
    );

    let rp = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "ResultPath": "$.x", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}],
              "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "Next": "R"}], "End": true},
        "R": {"Type": "Pass", "End": true}}});
    let (out, _) = run(rp, json!("just-a-string"), &Mocks::default());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(
        out.output.as_ref().and_then(|o| o.get("Error")),
        Some(&json!("States.ResultPathMatchFailure"))
    );
}

#[test]
fn variables_are_scoped_to_branches_and_iterations() {
    let def = |after: &str| {
        json!({"StartAt": "S0", "States": {
            "S0": {"Type": "Pass", "Assign": {"x": 42, "items": [1, 2, 3], "big": "y".repeat(100_000)}, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$items", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "Assign": {"innerX.$": "$x"}, "Parameters": {"v.$": "$", "x.$": "$x"}, "End": true}}}, "Next": "S2"},
            "S2": {"Type": "Pass", "Parameters": {"r.$": after}, "End": true}}})
    };
    let (out, _) = run(def("$x"), json!({}), &Mocks::default());
    assert_eq!(out.output, Some(json!({"r": 42})));
    let (out, _) = run(def("$innerX"), json!({}), &Mocks::default());
    assert_eq!(
        out.error.as_deref(),
        Some("States.Runtime"),
        "inner assignments stay inside the iteration"
    );

    // Many iterations over a large outer scope stay fast (no per-iteration copies of the variables).
    let many = json!({"StartAt": "S0", "States": {
        "S0": {"Type": "Pass", "Assign": {"big": "y".repeat(200_000)}, "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}});
    let items: Vec<Value> = (0..3000).map(Value::from).collect();
    let (out, h) = run(many, Value::Array(items), &Mocks::default());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(
        h.iter()
            .filter(|e| e.kind == "MapIterationSucceeded")
            .count(),
        3000
    );
}

#[test]
fn oversized_task_results_fail_the_task_and_can_be_caught() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true},
        "H": {"Type": "Pass", "End": true}}});
    let m = mock(&[("T", MockResult::Return(json!("x".repeat(300 * 1024))), 0.0)]);
    let (out, h) = run(def, json!({}), &m);
    assert_eq!(
        out.output,
        Some(json!({"Error": "States.DataLimitExceeded",
            "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."}))
    );
    assert!(kinds(&h).contains(&"TaskFailed"));
}

#[test]
fn state_statuses_follow_the_history() {
    use asl::simulate::history::{StateStatus, state_statuses};
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}], "Next": "C"},
        "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "End": true},
        "F": {"Type": "Fail", "Error": "Done"}}});
    let m = mock(&[
        ("T", throw("Busy"), 0.0),
        ("T", MockResult::Return(json!(1)), 0.0),
        ("C", throw("Bad"), 0.0),
    ]);
    let mut ex = Execution::new(&def, json!({}), &m, &Options::default());
    ex.add_breakpoint("C");
    ex.continue_to_breakpoint();
    let partial = state_statuses(ex.history());
    assert_eq!(partial.get("T"), Some(&StateStatus::Retried));
    assert_eq!(partial.get("C"), Some(&StateStatus::Running));
    ex.run_to_end();
    let all = state_statuses(ex.history());
    let got: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got,
        vec![("C", "caught"), ("F", "failed"), ("T", "retried")]
    );

    let map = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Fail", "Error": "E"}}},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "Next": "Done"},
        "Done": {"Type": "Succeed"}}});
    let (_, h) = run(map, json!([1]), &Mocks::default());
    let got: Vec<(String, &str)> = state_statuses(&h)
        .into_iter()
        .map(|(k, v)| (k, v.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Done".into(), "succeeded"),
            ("I".into(), "failed"),
            ("M".into(), "caught")
        ]
    );
}

#[test]
fn item_reader_rules() {
    let def = |config: Value| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": config, "Parameters": {"Bucket": "b", "Key": "k"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P",
                "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})
    };
    let json_file = mock(&[("M", MockResult::Return(json!("[1, 2, 3]")), 0.0)]);
    let not_list = mock(&[("M", MockResult::Return(json!({"a": 1})), 0.0)]);
    let csv = mock(&[("M", MockResult::Return(json!("a,a\n1,2\n")), 0.0)]);
    let (out, _) = run(
        def(json!({"InputType": "JSON", "MaxItemsPath": "$.n"})),
        json!({"n": "2"}),
        &json_file,
    );
    assert_eq!(out.output, Some(json!([1, 2])));
    let (out, _) = run(
        def(json!({"InputType": "JSON", "MaxItemsPath": "$.n"})),
        json!({"n": 0}),
        &json_file,
    );
    assert_eq!(out.output, Some(json!([1, 2, 3])), "0 means no limit");
    let (out, _) = run(
        def(json!({"InputType": "JSON", "MaxItemsPath": "$.n"})),
        json!({"n": -1}),
        &json_file,
    );
    assert_eq!(
        (out.error.as_deref(), out.cause.as_deref()),
        (
            Some("States.ItemReaderFailed"),
            Some("field MaxItems must be positive")
        )
    );
    let (out, _) = run(
        def(json!({"InputType": "JSON", "MaxItemsPath": "$.n"})),
        json!({"n": 1.5}),
        &json_file,
    );
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    let (out, _) = run(def(json!({"InputType": "JSON"})), json!({}), &not_list);
    assert_eq!(
        out.cause.as_deref(),
        Some("Attempting to map over non-iterable node.")
    );
    let (out, _) = run(
        def(json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})),
        json!({}),
        &csv,
    );
    assert_eq!(
        out.cause.as_deref(),
        Some("CSV headers cannot contain duplicates.")
    );
}

#[test]
fn payloads_cannot_nest_without_bound() {
    // A loop that wraps its input one level deeper each time stops at the nesting limit instead of
    // exhausting the stack.
    let def = json!({"StartAt": "Wrap", "States": {"Wrap": {"Type": "Pass", "Parameters": {"inner.$": "$"}, "Next": "Wrap"}}});
    let (out, _) = run(def, json!({}), &Mocks::default());
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn deeply_nested_inputs_are_refused() {
    let mut input = json!(1);
    for _ in 0..5000 {
        input = Value::Array(vec![input]);
    }
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let (out, _) = run(def, input, &Mocks::default());
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn an_observed_run_reports_progress_and_is_the_same_run() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "A"}}});
    let opts = Options {
        limits: Limits {
            max_events: 1000,
            ..Limits::default()
        },
        ..Options::default()
    };
    let mut seen: Vec<(usize, String)> = Vec::new();
    let observed = simulate::run_observed(
        &def,
        json!({}),
        &Mocks::default(),
        &opts,
        100,
        &mut |n, state| seen.push((n, state.to_string())),
    );
    assert_eq!(observed, run_with(def, json!({}), &Mocks::default(), &opts));
    // Before events 1, 101, ..., 901 (event 1 is ExecutionStarted: no state yet).
    let counts: Vec<usize> = seen.iter().map(|(n, _)| *n).collect();
    assert_eq!(counts, (0..10).map(|i| i * 100).collect::<Vec<_>>());
    assert_eq!(seen[0].1, "");
    assert!(
        seen[1..].iter().all(|(_, s)| s == "A" || s == "B"),
        "{seen:?}"
    );
}

/// A run without history sums the Map's results size from its iterations' outputs: the payload limit and
/// the nesting limit still apply to the array exactly as when its text is written.
#[test]
fn map_results_size_is_checked_without_history() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    let padded = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass",
            "Parameters": {"n.$": "$", "s": "xxxxxxxxxx"}, "End": true}}}, "End": true}}});
    let outputs: Vec<Value> = (0..4).map(|i| json!({"n": i, "s": "xxxxxxxxxx"})).collect();
    let text_len = serde_json::to_string(&outputs).unwrap().len();
    for limit in [text_len - 1, text_len, text_len + 1] {
        let opts = Options {
            limits: Limits {
                max_payload_bytes: limit,
                ..Limits::default()
            },
            ..Options::default()
        };
        let (out, _) = run_with(
            padded.clone(),
            json!([0, 1, 2, 3]),
            &Mocks::default(),
            &opts,
        );
        if limit >= text_len {
            assert_eq!(
                out.output,
                Some(Value::Array(outputs.clone())),
                "limit {limit}"
            );
        } else {
            assert_eq!(
                out.error.as_deref(),
                Some("States.DataLimitExceeded"),
                "limit {limit}"
            );
        }
    }
    // An iteration output nested exactly at the limit makes the array one level too deep.
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let (out, _) = run_with(
        def.clone(),
        json!([[1], deep]),
        &Mocks::default(),
        &Options::default(),
    );
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
    let mut shallow = json!(1);
    for _ in 0..99 {
        shallow = json!([shallow]);
    }
    let (out, _) = run_with(
        def,
        json!([[1], shallow]),
        &Mocks::default(),
        &Options::default(),
    );
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
}
