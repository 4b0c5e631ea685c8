//! The TestState API emulation: AWS's validation errors, statuses (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR)
//! and inspectionData per inspection level.

use asl::simulate::{Options, test_state::test_state};
use serde_json::{Value, json};

fn answer(req: Value) -> Value {
    test_state(&req, &Options::default())
}

fn api_error(req: Value) -> (String, String) {
    let r = answer(req);
    (
        r.pointer("/Error/Code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        r.pointer("/Error/Message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    )
}

#[test]
fn validation_errors_use_aws_words() {
    let map = json!({"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true});
    let par = json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true});
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    for (req, code, message) in [
        (
            json!({"definition": {"Type": "Succeed"}, "mock": {"result": "{}"}}),
            "ValidationException",
            "State type 'Succeed' is not supported when a mock is specified",
        ),
        (
            json!({"definition": map.clone()}),
            "InvalidDefinition",
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        ),
        (
            json!({"definition": map.clone(), "mock": {"result": "{}"}}),
            "ValidationException",
            "Mocked result must be an array.",
        ),
        (
            json!({"definition": map, "mock": {"result": "[1]"}, "stateConfiguration": {"mapIterationFailureCount": 2}}),
            "ValidationException",
            "Map iteration failure count must be less than or equal to the number of Map iterations",
        ),
        (
            json!({"definition": par.clone(), "mock": {"result": "[1, 2]"}}),
            "ValidationException",
            "Mocked result must contain the same number of items as number of Parallel branches.",
        ),
        (
            json!({"definition": task.clone(), "mock": {"result": "{", }}),
            "ValidationException",
            "Mocked result must be valid JSON",
        ),
        (
            json!({"definition": task.clone(), "mock": {"result": "{}", "errorOutput": {"error": "E"}}}),
            "ValidationException",
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        (
            json!({"definition": task.clone(), "mock": {"result": "{}"}, "revealSecrets": true}),
            "ValidationException",
            "TestState does not support RevealSecrets when a mock is specified.",
        ),
        (
            json!({"definition": task, "stateConfiguration": {"mapIterationFailureCount": 1}}),
            "ValidationException",
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        ),
        (
            json!({"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "stateName": "B"}),
            "ValidationException",
            "State not found in definition",
        ),
    ] {
        assert_eq!(
            api_error(req.clone()),
            (code.to_string(), message.to_string()),
            "{req}"
        );
    }
}

#[test]
fn task_inspection_data_and_statuses() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.in", "Parameters": {"P.$": "$.v"}, "ResultSelector": {"r.$": "$.Payload"}, "ResultPath": "$.out",
        "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["Other"], "Next": "Never"}, {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handler"}],
        "Next": "After"});
    let ok = answer(
        json!({"definition": task, "input": "{\"in\": {\"v\": 1}}", "inspectionLevel": "DEBUG",
        "mock": {"result": "{\"Payload\": 2}"}}),
    );
    assert_eq!(ok["status"], "SUCCEEDED");
    assert_eq!(ok["nextState"], "After");
    assert_eq!(ok["output"], "{\"in\":{\"v\":1},\"out\":{\"r\":2}}");
    assert_eq!(ok["inspectionData"]["afterInputPath"], "{\"v\":1}");
    assert_eq!(ok["inspectionData"]["afterParameters"], "{\"P\":1}");
    assert_eq!(ok["inspectionData"]["result"], "{\"Payload\":2}");
    assert_eq!(ok["inspectionData"]["afterResultSelector"], "{\"r\":2}");

    let retriable = answer(
        json!({"definition": task, "input": "{\"in\": {\"v\": 0}}", "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "Busy", "cause": "later"}}, "stateConfiguration": {"retrierRetryCount": 1}}),
    );
    assert_eq!(retriable["status"], "RETRIABLE");
    assert_eq!(
        retriable["inspectionData"]["errorDetails"],
        json!({"retryBackoffIntervalSeconds": 6, "retryIndex": 0})
    );

    let caught = answer(
        json!({"definition": task, "input": "{\"in\": {\"v\": 0}}", "inspectionLevel": "INFO",
        "mock": {"errorOutput": {"error": "Busy", "cause": "later"}}, "stateConfiguration": {"retrierRetryCount": 2}}),
    );
    assert_eq!(caught["status"], "CAUGHT_ERROR");
    assert_eq!(caught["nextState"], "Handler");
    assert_eq!(
        caught["output"],
        "{\"in\":{\"v\":0},\"err\":{\"Error\":\"Busy\",\"Cause\":\"later\"}}"
    );
    assert!(
        caught.get("inspectionData").is_none(),
        "INFO has no inspectionData"
    );
}

#[test]
fn map_with_mock_and_tolerated_failures() {
    let map = json!({"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 2, "ToleratedFailureCount": 1,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true});
    let ok = answer(
        json!({"definition": map, "input": {"xs": [1, 2, 3]}, "inspectionLevel": "DEBUG",
        "mock": {"result": "[1, 1, 1]"}, "stateConfiguration": {"mapIterationFailureCount": 1}}),
    );
    assert_eq!(ok["status"], "SUCCEEDED");
    assert_eq!(ok["inspectionData"]["afterItemsPath"], "[1,2,3]");
    assert_eq!(ok["inspectionData"]["maxConcurrency"], 2);
    assert_eq!(ok["inspectionData"]["toleratedFailureCount"], 1);
    let failed = answer(
        json!({"definition": map, "input": {"xs": [1, 2, 3]}, "mock": {"result": "[1, 1, 1]"},
        "stateConfiguration": {"mapIterationFailureCount": 2}}),
    );
    assert_eq!(failed["status"], "FAILED");
    assert_eq!(failed["error"], "States.ExceedToleratedFailureThreshold");
}

#[test]
fn jsonata_states_report_arguments_and_result() {
    let task = json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "f", "Payload": "{% $states.input.v + $k %}"},
        "Output": {"r": "{% $states.result.n %}", "k": "{% $k %}"}, "Assign": {"k": "{% $states.result.n %}"},
        "Catch": [{"ErrorEquals": ["Boom"], "Output": {"e": "{% $states.errorOutput.Error %}"}, "Next": "H"}], "End": true});
    let r = answer(
        json!({"definition": task.clone(), "input": "{\"v\": 1}", "variables": "{\"k\": 2}",
        "inspectionLevel": "DEBUG", "mock": {"result": "{\"n\": 7}"}}),
    );
    assert_eq!(r["status"], "SUCCEEDED", "{r}");
    assert_eq!(r["output"], json!("{\"r\":7,\"k\":2}"), "{r}");
    assert_eq!(
        r.pointer("/inspectionData/afterArguments"),
        Some(&json!("{\"FunctionName\":\"f\",\"Payload\":3}")),
        "{r}"
    );
    assert_eq!(
        r.pointer("/inspectionData/result"),
        Some(&json!("{\"n\":7}")),
        "{r}"
    );
    let r = answer(
        json!({"definition": task, "input": "{\"v\": 1}", "variables": "{\"k\": 2}",
        "mock": {"errorOutput": {"error": "Boom", "cause": "c"}}}),
    );
    assert_eq!(r["status"], "CAUGHT_ERROR", "{r}");
    assert_eq!(r["output"], json!("{\"e\":\"Boom\"}"), "{r}");
    assert_eq!(r["nextState"], "H", "{r}");
}

#[test]
fn mocked_context_objects_are_checked() {
    let pass = json!({"Type": "Pass", "End": true});
    for (context, message) in [
        (
            json!({"Map": {}}),
            "'Map' field is not supported when mocking a Context object",
        ),
        (json!({"Pokedex": {}}), "Field 'Pokedex' is not allowed"),
        (
            json!({"Execution": {"pokemon": 1}}),
            "Field 'pokemon' is not allowed",
        ),
        (
            json!({"Execution": {"Id": 1}}),
            "Execution.Id must be a string",
        ),
        (
            json!({"State": {"RetryCount": "1"}}),
            "State.RetryCount must be a number",
        ),
    ] {
        let (code, got) = api_error(json!({"definition": pass.clone(), "context": context}));
        assert_eq!(code, "ValidationException");
        assert_eq!(got, format!("Invalid Context object provided: {message}"));
    }
    let ok = answer(
        json!({"definition": {"Type": "Pass", "QueryLanguage": "JSONata",
        "Output": "{% $states.context.Execution.Name %}", "End": true},
        "context": {"Execution": {"Name": "given"}}}),
    );
    assert_eq!(ok["output"], json!("\"given\""), "{ok}");
}
