//! The simulator, JSONPath and intrinsic parsers never panic: arbitrary paths, calls, definitions (JSONPath and
//! JSONata) and inputs give results or errors.

use asl::simulate::{self, Limits, Mocks, Options};
use asl::{intrinsics, jsonpath};
use proptest::prelude::*;
use serde_json::{Value, json};

fn path_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("$".to_string()),
            Just("$$".to_string()),
            Just(".a".to_string()),
            Just("..b".to_string()),
            Just("[0]".to_string()),
            Just("[-1]".to_string()),
            Just("[*]".to_string()),
            Just("[1:]".to_string()),
            Just("[::-1]".to_string()),
            Just("['x']".to_string()),
            Just("[?(@.a > 1)]".to_string()),
            Just("[?(@.a == 'x' && !(@.b))]".to_string()),
            Just(".length()".to_string()),
            "[\\[\\]().,'\"@$?*:!=<>&| a-z0-9-]{0,6}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1.0e6f64..1.0e6).prop_map(|f| json!(f)),
        "[a-z{}\\[\\]\"]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-c]", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn state() -> impl Strategy<Value = Value> {
    let path = prop_oneof![
        Just("$".to_string()),
        Just("$.a".to_string()),
        Just("$.a[0]".to_string()),
        Just("$$.Execution.Input".to_string()),
        Just("$v".to_string()),
        Just("States.Array($.a, $.b)".to_string()),
        Just("States.Format('{}', $.a)".to_string()),
        Just("States.ArrayLength($.a)".to_string()),
    ];
    (0..8usize, path.clone(), path, value(), any::<bool>()).prop_map(|(kind, p1, p2, v, flag)| {
        match kind {
            0 => json!({"Type": "Pass", "Parameters": {"x.$": p1, "y": v}, "ResultPath": "$.r", "Assign": {"v.$": p2}, "Next": "S1"}),
            1 => json!({"Type": "Pass", "InputPath": p1, "OutputPath": "$", "Result": v, "Next": "S1"}),
            2 => json!({"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericGreaterThan": 1, "Next": "S1"},
                         {"Not": {"Variable": "$.b", "IsPresent": flag}, "Next": "S2"}], "Default": "S2"}),
            3 => json!({"Type": "Wait", "SecondsPath": p1, "Next": "S1"}),
            4 => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"P.$": p1},
                         "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S2"}], "Next": "S1"}),
            5 => json!({"Type": "Map", "ItemsPath": p1, "ItemSelector": {"i.$": "$$.Map.Item.Value"},
                         "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Next": "S1"}),
            6 => json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Fail", "ErrorPath": p1}}}], "Next": "S1"}),
            _ => json!({"Type": "Fail", "Error": "E", "CausePath": p1}),
        }
    })
}

/// JSONata states with expressions of every result kind (undefined, wrong types, errors, huge numbers).
fn jsonata_state() -> impl Strategy<Value = Value> {
    let expr = prop_oneof![
        Just("{% $states.input %}".to_string()),
        Just("{% $states.input.a %}".to_string()),
        Just("{% $nope %}".to_string()),
        Just("{% $v %}".to_string()),
        Just("{% 1e300 %}".to_string()),
        Just("{% -5 %}".to_string()),
        Just("{% [1, 2] %}".to_string()),
        Just("{% $states.input.a() %}".to_string()),
        Just("{% ( %}".to_string()),
        Just("{% $now() %}".to_string()),
        Just("{% $states.errorOutput %}".to_string()),
        "[a-z{}%$ ]{0,8}",
    ];
    (0..8usize, expr.clone(), expr, value()).prop_map(|(kind, e1, e2, v)| match kind {
        0 => json!({"Type": "Pass", "Output": {"x": e1, "y": v}, "Assign": {"v": e2}, "Next": "S1"}),
        1 => json!({"Type": "Choice", "Choices": [{"Condition": e1, "Output": e2, "Next": "S1"}], "Default": "S2"}),
        2 => json!({"Type": "Wait", "Seconds": e1, "Next": "S1"}),
        3 => json!({"Type": "Wait", "Timestamp": e1, "Next": "S1"}),
        4 => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"P": e1},
                     "TimeoutSeconds": e2, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Output": e1, "Next": "S2"}], "Next": "S1"}),
        5 => json!({"Type": "Map", "Items": e1, "MaxConcurrency": e2, "ItemSelector": {"i": "{% $states.context.Map.Item.Value %}"},
                     "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Next": "S1"}),
        6 => json!({"Type": "Parallel", "Arguments": e1, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Fail", "Error": e2}}}], "Next": "S1"}),
        _ => json!({"Type": "Fail", "Error": e1, "Cause": e2}),
    })
}

/// AWS's payload limit, or one small enough for the generated payloads to cross it.
fn payload_limit() -> impl Strategy<Value = usize> {
    prop_oneof![Just(256 * 1024), 2usize..200]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn jsonata_machines_run_without_panicking(states in proptest::collection::vec(jsonata_state(), 3), input in value(), payload_limit in payload_limit()) {
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "S0", "States": {
            "S0": states[0], "S1": states[1], "S2": states[2].clone()
        }});
        let opts = Options { limits: Limits { max_events: 300, max_payload_bytes: payload_limit }, ..Options::default() };
        let (out, events) = simulate::run(&def, input.clone(), &Mocks::default(), &opts);
        prop_assert!(events.len() <= 301);
        let _ = out.to_json();
        // A run without history ends the same way.
        prop_assert_eq!(simulate::run_outcome(&def, input, &Mocks::default(), &opts), out);
    }

    #[test]
    fn paths_parse_and_evaluate_without_panicking(text in path_text(), doc in value()) {
        if let Ok(p) = jsonpath::parse(&text) {
            let _ = p.evaluate(&doc);
            let _ = p.is_reference_path();
            let mut target = doc.clone();
            let _ = jsonpath::set_at(&mut target, &p, json!(1));
        }
    }

    #[test]
    fn intrinsics_parse_without_panicking(args in proptest::collection::vec(path_text(), 0..4), name in 0..18usize) {
        let f = intrinsics::Function::ALL[name];
        let text = format!("{}({})", f.name(), args.join(", "));
        let _ = intrinsics::parse(&text);
    }

    #[test]
    fn machines_run_without_panicking(states in proptest::collection::vec(state(), 3), input in value(), payload_limit in payload_limit()) {
        let def = json!({"StartAt": "S0", "States": {
            "S0": states[0], "S1": states[1], "S2": states[2].clone()
        }});
        let opts = Options { limits: Limits { max_events: 300, max_payload_bytes: payload_limit }, ..Options::default() };
        let (out, events) = simulate::run(&def, input.clone(), &Mocks::default(), &opts);
        prop_assert!(events.len() <= 301);
        let _ = out.to_json();
        // A run without history ends the same way.
        prop_assert_eq!(simulate::run_outcome(&def, input, &Mocks::default(), &opts), out);
    }
}
