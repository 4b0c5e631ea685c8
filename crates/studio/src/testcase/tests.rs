//! Test cases: expectations against real simulator outcomes, the structural diff, serde round trips
//! through share links, and the templates' cases passing when run.

use super::*;
use crate::share::{ShareEnvelope, decode, encode};
use asl::simulate::{Mocks, Options, run};
use serde_json::json;

/// Diff `expected` against `actual` in `mode`; the differences as `path: expected X, got Y` lines.
fn check_diff(expected: Value, actual: Value, mode: MatchMode, want: &[&str]) {
    let got: Vec<String> = diff(&expected, &actual, mode)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(got, want, "diff of {expected} vs {actual} ({mode:?})");
}

#[test]
fn structural_diff() {
    use MatchMode::{Exact, Subset};
    let rows: Vec<(Value, Value, MatchMode, &[&str])> = vec![
        (json!({"a": 1}), json!({"a": 1}), Exact, &[]),
        (json!({"a": 1}), json!({"a": 1.0}), Exact, &[]),
        (
            json!({"a": 1}),
            json!({"a": 2}),
            Exact,
            &["/a: expected 1, got 2"],
        ),
        (
            json!({"a": 1}),
            json!({"a": 1, "b": true}),
            Exact,
            &["/b: expected (absent), got true"],
        ),
        (json!({"a": 1}), json!({"a": 1, "b": true}), Subset, &[]),
        (
            json!({"a": 1, "c": "x"}),
            json!({"a": 1}),
            Subset,
            &["/c: expected \"x\", got (absent)"],
        ),
        (
            json!({"items": [{"id": 1, "n": "a"}, {"id": 2}]}),
            json!({"items": [{"id": 1}, {"id": 3, "z": 0}]}),
            Subset,
            &[
                "/items/0/n: expected \"a\", got (absent)",
                "/items/1/id: expected 2, got 3",
            ],
        ),
        (
            json!([1, 2, 3]),
            json!([1, 5]),
            Exact,
            &["/1: expected 2, got 5", "/2: expected 3, got (absent)"],
        ),
        (
            json!([1]),
            json!([1, {"x": 1}]),
            Exact,
            &["/1: expected (absent), got {\"x\":1}"],
        ),
        (
            json!({"a/b": {"~": 1}}),
            json!({"a/b": {"~": 2}}),
            Exact,
            &["/a~1b/~0: expected 1, got 2"],
        ),
        (
            json!("x"),
            json!(["x"]),
            Exact,
            &["/: expected \"x\", got [\"x\"]"],
        ),
        (json!(null), json!(null), Exact, &[]),
    ];
    for (e, a, m, want) in rows {
        check_diff(e, a, m, want);
    }
}

#[test]
fn diff_of_deep_values_does_not_overflow() {
    let mut deep = json!(1);
    let mut other = json!(2);
    for _ in 0..500 {
        deep = json!([deep]);
        other = json!([other]);
    }
    let d = diff(&deep, &other, MatchMode::Exact);
    assert_eq!(d.len(), 1);
    assert!(d[0].path.starts_with("/0/0/0"));
}

#[test]
fn many_differences_are_capped_and_counted() {
    let want: Value = (0..80).map(|i| json!(i)).collect();
    let got: Value = (0..80).map(|i| json!(i + 1)).collect();
    let outcome = run_def(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": got, "End": true}}}),
        json!({}),
        None,
    );
    let v = check(
        &Expectation {
            output: Some(want),
            ..expect_succeeded()
        },
        &outcome,
    );
    assert!(!v.passed);
    assert_eq!(v.differences.len(), MAX_DIFFERENCES);
    assert_eq!(v.more, 30);
}

fn expect_succeeded() -> Expectation {
    Expectation {
        status: ExpectedStatus::Succeeded,
        output: None,
        match_mode: MatchMode::Exact,
        error: None,
        cause: None,
        duration_ms: None,
    }
}

fn run_def(def: Value, input: Value, mocks: Option<&MockRef>) -> Outcome {
    let mocks = mocks.map(|m| m.load().unwrap()).unwrap_or_default();
    run(&def, input, &mocks, &Options::default()).0
}

/// A Choice on `$.n`: positive numbers succeed with a greeting, others fail.
fn sample() -> Value {
    json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Greet"}],
                  "Default": "Reject"},
        "Greet": {"Type": "Pass", "Parameters": {"hello.$": "$.who", "n.$": "$.n"}, "End": true},
        "Reject": {"Type": "Fail", "Error": "Bad.Number", "Cause": "n must be positive"}}})
}

/// Run the sample on `input` and check it against the expectation given as JSON; the verdict's lines.
fn verdict(input: Value, expect: Value) -> (bool, Vec<String>) {
    let e: Expectation = serde_json::from_value(expect).unwrap();
    let v = check(&e, &run_def(sample(), input, None));
    (
        v.passed,
        v.differences.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn expectations_against_real_runs() {
    let rows: Vec<(Value, Value, bool, &[&str])> = vec![
        (
            json!({"n": 2, "who": "Ada"}),
            json!({"status": "SUCCEEDED", "output": {"hello": "Ada", "n": 2}}),
            true,
            &[],
        ),
        (
            json!({"n": 2, "who": "Ada"}),
            json!({"status": "SUCCEEDED", "output": {"hello": "Ada"}, "match": "subset"}),
            true,
            &[],
        ),
        (
            json!({"n": 2, "who": "Ada"}),
            json!({"status": "SUCCEEDED", "output": {"hello": "Bob"}, "match": "subset"}),
            false,
            &["/output/hello: expected \"Bob\", got \"Ada\""],
        ),
        (
            json!({"n": 2, "who": "Ada"}),
            json!({"status": "SUCCEEDED", "output": {"hello": "Ada"}}),
            false,
            &["/output/n: expected (absent), got 2"],
        ),
        (
            json!({"n": 2, "who": "Ada"}),
            json!({"status": "SUCCEEDED"}),
            true,
            &[],
        ),
        (
            json!({"n": -1}),
            json!({"status": "FAILED", "error": "Bad.Number", "cause": "n must be positive"}),
            true,
            &[],
        ),
        (json!({"n": -1}), json!({"status": "FAILED"}), true, &[]),
        (
            json!({"n": -1}),
            json!({"status": "FAILED", "error": "Other"}),
            false,
            &["/error: expected \"Other\", got \"Bad.Number\""],
        ),
        (
            json!({"n": -1}),
            json!({"status": "SUCCEEDED", "output": {"hello": "x"}}),
            false,
            &[
                "/status: expected \"SUCCEEDED\", got \"FAILED\"",
                "/output: expected {\"hello\":\"x\"}, got (absent)",
            ],
        ),
        (
            json!({"n": 1, "who": "A"}),
            json!({"status": "FAILED", "error": "Bad.Number"}),
            false,
            &[
                "/status: expected \"FAILED\", got \"SUCCEEDED\"",
                "/error: expected \"Bad.Number\", got (absent)",
            ],
        ),
        (
            json!({"n": 1, "who": "A"}),
            json!({"status": "SUCCEEDED", "durationMs": 5}),
            false,
            &["/durationMs: expected 5, got 0"],
        ),
    ];
    for (input, expect, passed, lines) in rows {
        let (p, l) = verdict(input.clone(), expect.clone());
        assert_eq!(
            (p, l),
            (
                passed,
                lines.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            ),
            "{input} / {expect}"
        );
    }
}

#[test]
fn expectation_from_outcome_passes_on_that_outcome() {
    for input in [json!({"n": 3, "who": "x"}), json!({"n": 0})] {
        let o = run_def(sample(), input, None);
        let e = Expectation::from_outcome(&o);
        assert!(check(&e, &o).passed);
        assert_eq!(Expectation::from_text(&e.to_text()), Ok(e));
    }
    assert!(
        Expectation::from_text("{\"status\": \"FAILED\", \"eror\": \"x\"}")
            .unwrap_err()
            .contains("eror")
    );
    assert!(
        Expectation::from_text("{\"status\": \"DONE\"}")
            .unwrap_err()
            .contains("SUCCEEDED")
    );
}

#[test]
fn mocks_resolve_from_the_workflow_or_inline() {
    let config = json!({"StateMachines": {"M": {"TestCases": {"Happy": {"Call": "Ok"}, "Sad": {"Call": "Err"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"v": 1}}}, "Err": {"0": {"Throw": {"Error": "E", "Cause": "C"}}}}});
    let def = json!({"StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let case = |name: &str, mocks: CaseMocks| TestCase {
        name: name.into(),
        input: json!({}),
        mocks,
        expect: expect_succeeded(),
    };
    let sad = case("Sad", CaseMocks::TestCase("Sad".into()));
    let r = sad.mock_ref(Some(&config)).unwrap().unwrap();
    assert_eq!((r.machine.as_str(), r.test_case.as_str()), ("M", "Sad"));
    assert_eq!(
        run_def(def.clone(), json!({}), Some(&r)).error.as_deref(),
        Some("E")
    );
    assert!(
        sad.mock_ref(None)
            .unwrap_err()
            .contains("the workflow has no mocks")
    );
    let missing = case("X", CaseMocks::TestCase("Nope".into()));
    assert!(
        missing
            .mock_ref(Some(&config))
            .unwrap_err()
            .contains("'Nope'")
    );
    // Inline: the case's own name picks the test case, else the first.
    let inline = |name: &str| {
        case(
            name,
            CaseMocks::Inline {
                config: config.clone(),
                machine: None,
                test_case: None,
            },
        )
        .mock_ref(None)
        .unwrap()
        .unwrap()
        .test_case
    };
    assert_eq!(inline("Sad"), "Sad");
    assert_eq!(inline("Other"), "Happy");
    assert_eq!(case("n", CaseMocks::None).mock_ref(Some(&config)), Ok(None));
    assert!(pick(&json!({}), None).is_err());
    assert_eq!(pick(&config, None).unwrap().test_case, "Happy");
}

#[test]
fn every_template_case_passes_through_this_module() {
    for t in crate::templates::templates() {
        let def: Value = serde_json::from_str(t.definition).unwrap();
        let cases = from_template(&t);
        assert_eq!(cases.len(), t.test_cases.len());
        for c in &cases {
            let m = c.mock_ref(None).unwrap().unwrap();
            let outcome = run_def(def.clone(), c.input.clone(), Some(&m));
            let v = check(&c.expect, &outcome);
            assert!(v.passed, "{} / {}: {:?}", t.id, c.name, v.differences);
        }
    }
}

#[test]
fn test_cases_travel_in_share_links() {
    let t = &crate::templates::templates()[1];
    let cases = from_template(t);
    let env = ShareEnvelope {
        definition: t.definition.to_string(),
        test_cases: to_share(&cases),
        ..Default::default()
    };
    let back = decode(&encode(&env)).unwrap();
    assert_eq!(
        from_share(back.test_cases.as_ref().unwrap()),
        Ok(cases.clone())
    );
    assert_eq!(to_share(&[]), None);
    // Saved text round-trips too; bad text is an error, never a panic.
    let text = serde_json::to_string(&cases).unwrap();
    assert_eq!(from_text(&text), Ok(cases));
    assert_eq!(from_text("  "), Ok(vec![]));
    assert!(from_text("{").is_err());
    assert!(from_text("[{\"name\": 1}]").is_err());
}

#[test]
fn unique_names() {
    let mk = |n: &str| TestCase {
        name: n.into(),
        input: json!({}),
        mocks: CaseMocks::None,
        expect: expect_succeeded(),
    };
    let cases = vec![mk("Case"), mk("Case 2")];
    assert_eq!(unique_name("Case", &cases), "Case 3");
    assert_eq!(unique_name("Other", &cases), "Other");
}

#[test]
fn minimal_case_json_is_accepted() {
    let c: TestCase =
        serde_json::from_value(json!({"name": "n", "expect": {"status": "FAILED"}})).unwrap();
    assert_eq!(c.input, Value::Null);
    assert_eq!(c.mocks, CaseMocks::None);
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(
        back,
        json!({"name": "n", "input": null, "expect": {"status": "FAILED"}})
    );
    let _ = Mocks::default();
}
