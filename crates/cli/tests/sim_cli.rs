//! `statewright run` and `statewright test-state` end to end: the fixed interface's JSON, exit codes and files.

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

fn statewright(args: &[&str], stdin: &str) -> (i32, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("stdin is writable");
    }
    let out = child.wait_with_output().expect("the binary finishes");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("statewright-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path.to_string_lossy().to_string()
}

const MACHINE: &str = r#"{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
           "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2}],
           "ResultSelector": {"n.$": "$.Payload.n"}, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
  "Big": {"Type": "Succeed"},
  "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n was small"}}}"#;

const MOCKS: &str = r#"{"StateMachines": {"M": {"TestCases": {
    "Big": {"Call": "Three"}, "Small": {"Call": "One"}}}},
  "MockedResponses": {
    "Three": {"0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow"}}, "1": {"Return": {"Payload": {"n": 3}}}},
    "One": {"0": {"Return": {"Payload": {"n": 1}}}}}}"#;

#[test]
fn run_prints_status_output_cost_and_history() {
    let def = temp_file("machine.json", MACHINE);
    let mocks = temp_file("mocks.json", MOCKS);
    let (code, out, _) = statewright(
        &[
            "run",
            &def,
            "--mock-config",
            &mocks,
            "--test-case",
            "Big",
            "--history",
            "--cost",
            "--start-time",
            "2025-06-01T00:00:00Z",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["output"], json!({"n": 3}));
    assert_eq!(
        out["cost"]["state_transitions"], 4,
        "three states and one retry"
    );
    let history = out["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        history.first().map(|e| e["type"].clone()),
        Some(json!("ExecutionStarted"))
    );
    assert_eq!(
        history.first().map(|e| e["timestamp"].clone()),
        Some(json!("2025-06-01T00:00:00.000Z"))
    );
    assert_eq!(
        history.last().map(|e| e["type"].clone()),
        Some(json!("ExecutionSucceeded"))
    );

    let (code, out, _) = statewright(
        &["run", &def, "--mock-config", &mocks, "--test-case", "Small"],
        "",
    );
    assert_eq!(code, 1);
    let keys: Vec<&String> = out
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["status", "error", "cause"],
        "exactly the fixed interface's fields"
    );
    assert_eq!(
        (
            out["status"].clone(),
            out["error"].clone(),
            out["cause"].clone()
        ),
        (json!("FAILED"), json!("TooSmall"), json!("n was small"))
    );
}

#[test]
fn run_reads_input_and_reports_usage_and_invalid_definitions() {
    let pass = temp_file(
        "pass.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a", "End": true}}}"#,
    );
    let (code, out, _) = statewright(&["run", &pass, "--input", "-"], r#"{"a": [1, 2]}"#);
    assert_eq!((code, out["output"].clone()), (0, json!([1, 2])));
    let (code, out, _) = statewright(&["run", &pass, "--input-json", r#"{"a": "x"}"#], "");
    assert_eq!((code, out["output"].clone()), (0, json!("x")));

    let (code, _, err) = statewright(&["run", &pass, "--seed", "minus one"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--seed"), "{err}");
    let bad = temp_file(
        "bad.json",
        r#"{"StartAt": "Nowhere", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    );
    let (code, _, err) = statewright(&["run", &bad], "");
    assert_eq!(code, 2);
    assert!(err.contains("MISSING_TRANSITION_TARGET"), "{err}");

    let task = temp_file(
        "task.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}"#,
    );
    let (code, out, err) = statewright(&["run", &task, "--input-json", r#"{"q": 1}"#], "");
    assert_eq!(
        (code, out["output"].clone()),
        (0, json!({"q": 1})),
        "an unmocked task echoes its input"
    );
    assert!(err.contains("not mocked"), "{err}");
}

#[test]
fn test_state_answers_requests_and_api_errors() {
    let (code, out, _) = statewright(
        &["test-state", "-"],
        r#"{"definition": "{\"Type\": \"Pass\", \"Result\": {\"x\": 1}, \"ResultPath\": \"$.r\", \"Next\": \"B\"}", "input": "{\"a\": 1}", "inspectionLevel": "DEBUG"}"#,
    );
    assert_eq!(code, 0);
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["nextState"], "B");
    assert_eq!(out["output"], "{\"a\":1,\"r\":{\"x\":1}}");
    assert_eq!(out["inspectionData"]["result"], "{\"x\":1}");

    let (code, out, _) = statewright(
        &["test-state", "-"],
        r#"{"definition": {"Type": "Pass", "End": true}, "mock": {"result": "{}"}}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(out["Error"]["Code"], "ValidationException");
}
