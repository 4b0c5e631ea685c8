//! Unit tests of the validator: one `check(definition, expected)` helper, many rows. Valid rows
//! guard against false errors; invalid rows pin AWS's code and location.

use super::*;
use crate::Severity;

/// `(code, location)` of every error (warnings are listed by `warnings`).
fn errors(text: &str) -> Vec<(String, String)> {
    analyze_with(
        text,
        &Options {
            lints: false,
            ..Options::default()
        },
    )
    .diagnostics
    .into_iter()
    .filter(|d| d.severity == Severity::Error)
    .map(|d| (d.code, d.location))
    .collect()
}

/// Wrap one state named `S` (plus a terminal `Done`) into a machine.
fn machine(state: &str, top: &str) -> String {
    format!(r#"{{{top}"StartAt":"S","States":{{"S":{state},"Done":{{"Type":"Succeed"}}}}}}"#)
}

fn check_valid(rows: &[(&str, &str)]) {
    for (state, top) in rows {
        let text = machine(state, top);
        assert_eq!(errors(&text), vec![], "{text}");
    }
}

fn check_invalid(rows: &[(&str, &str, &str, &str)]) {
    for (state, top, code, location) in rows {
        let text = machine(state, top);
        let errs = errors(&text);
        assert!(
            errs.iter().any(|(c, l)| c == code && l == location),
            "{text}\nwanted {code} at {location}, got {errs:?}"
        );
    }
}

const ATA: &str = r#""QueryLanguage":"JSONata","#;

#[test]
fn valid_states_have_no_errors() {
    check_valid(&[
        (r#"{"Type":"Pass","Next":"Done"}"#, ""),
        (
            r#"{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","InputPath":"$.in","OutputPath":null,"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Pass","Parameters":{"a.$":"$.x","b.$":"$$.Execution.Id","c.$":"States.Format('{} {}', $.a, $counter)","d":[1,{"e.$":"$[0]"}]},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Pass","Assign":{"counter":1,"name.$":"$.name"},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},"TimeoutSecondsPath":"$.t","HeartbeatSeconds":5,"Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2.0,"MaxDelaySeconds":10,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Done"}],"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST","Credentials":{"RoleArn.$":"$.role"},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Next":"Done"}"#,
            "",
        ),
        (r#"{"Type":"Wait","Seconds":0,"Next":"Done"}"#, ""),
        (
            r#"{"Type":"Task","Resource":"arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}","Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Task","Resource":"${LambdaArn}","Next":"Done"}"#,
            "",
        ),
        (r#"{"Type":"Wait","TimestampPath":"$.t","Next":"Done"}"#, ""),
        (
            r#"{"Type":"Wait","Timestamp":"2024-02-29T12:00:00.5+01:00","Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.b","StringMatches":"x*"}}],"Next":"Done"},{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.m","Next":"Done"},{"Variable":"$.t","TimestampLessThan":"2024-01-01T00:00:00Z","Next":"Done"}],"Default":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"ResultSelector":{"x.$":"$[0]"},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value"},"MaxConcurrency":0,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Map","Iterator":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Parameters":{"v.$":"$$.Map.Item.Value"},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Map","Label":"batch_1-x","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":10},"Parameters":{"Bucket":"b","Key":"k"}},"ItemBatcher":{"MaxItemsPerBatch":10},"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},"ToleratedFailurePercentage":5.5,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('bad {}', $.x)"}}}],"Next":"Done"}"#,
            "",
        ),
        (
            r#"{"Type":"Pass","Output":{"v":"{% $states.input.n * 2 %}"},"Assign":{"x":"{% 1 %}"},"Next":"Done"}"#,
            ATA,
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":"{% $states.input %}","TimeoutSeconds":"{% 5 %}","Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Next":"Done"}],"Next":"Done"}"#,
            ATA,
        ),
        (
            r#"{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Next":"Done"}],"Default":"Done"}"#,
            ATA,
        ),
        (
            r#"{"Type":"Map","Items":"{% [1, 2] %}","MaxConcurrency":"{% 2 %}","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            ATA,
        ),
        (r#"{"Type":"Wait","Seconds":"{% 1 %}","Next":"Done"}"#, ATA),
        (
            r#"{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% 1 %}","Next":"Done"}"#,
            "",
        ),
    ]);
}

#[test]
fn invalid_states_report_aws_code_and_location() {
    let s = "SCHEMA_VALIDATION_FAILED";
    check_invalid(&[
        (
            r#"{"Type":"Pass","Next":"Done","Resource":"x"}"#,
            "",
            s,
            "/States/S",
        ),
        (
            r#"{"Type":"Pass","Result":1,"Next":"Done"}"#,
            ATA,
            s,
            "/States/S",
        ),
        (
            r#"{"Type":"Pass","Next":"Nowhere"}"#,
            "",
            "MISSING_TRANSITION_TARGET",
            "/States/S/Next",
        ),
        (
            r#"{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Nowhere"}],"Default":"Done"}"#,
            "",
            "MISSING_TRANSITION_TARGET",
            "/States/S/Choices[0]/Next",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["X"],"IntervalSeconds":0}],"Next":"Done"}"#,
            "",
            s,
            "/States/S/Retry[0]/IntervalSeconds",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1}],"Next":"Done"}"#,
            "",
            s,
            "/States/S/Retry[0]/MaxAttempts",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":[]}],"Next":"Done"}"#,
            "",
            s,
            "/States/S/Retry[0]/ErrorEquals",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["X"],"Next":"Done","Output":"x"}],"Next":"Done"}"#,
            "",
            s,
            "/States/S/Catch[0]",
        ),
        (
            r#"{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"MaxConcurrencyPath":"$.m","Next":"Done"}"#,
            ATA,
            s,
            "/States/S",
        ),
        (
            r#"{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"MaxConcurrencyPath":"$.m[*]","Next":"Done"}"#,
            "",
            s,
            "/States/S",
        ),
        (
            r#"{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
            s,
            "/States/S/ItemProcessor/ProcessorConfig",
        ),
        (
            r#"{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"ResultWriter":{"WriterConfig":{"Transformation":"COMPACT"}},"Next":"Done"}"#,
            "",
            s,
            "/States/S/ResultWriter/WriterConfig",
        ),
        (
            r#"{"Type":"Map","ItemProcessor":{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
            s,
            "/States/S/ItemProcessor",
        ),
        (
            r#"{"Type":"Pass","QueryLanguage":5,"Next":"Done"}"#,
            "",
            s,
            "/States/S/QueryLanguage",
        ),
        (
            r#"{"Type":"Pass","Assign":{"a.b":1},"Next":"Done"}"#,
            "",
            s,
            "/States/S/Assign",
        ),
        (
            r#"{"Type":"Choice","Choices":[{"Variable":"$.x","StringEqualsPath":"$.y[*]","Next":"Done"}],"Default":"Done"}"#,
            "",
            s,
            "/States/S/Choices[0]",
        ),
        (
            r#"{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x"},"Next":"Done"}],"Default":"Done"}"#,
            "",
            s,
            "/States/S/Choices[0]/Not",
        ),
        (
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done"}"#,
            r#""TimeoutSeconds":-5,"#,
            s,
            "/TimeoutSeconds",
        ),
        (
            r#"{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:unknownOperation","Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
            s,
            "/States/S/ItemReader/Resource",
        ),
        (
            r#"{"Type":"Map","ResultWriter":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"Next":"Done"}"#,
            "",
            s,
            "/States/S/ResultWriter/Resource",
        ),
        (
            r#"{"Type":"Pass","Output":"{% $states.errorOutput %}","Next":"Done"}"#,
            ATA,
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "/States/S/Output",
        ),
    ]);
}

#[test]
fn express_rules_only_apply_to_express() {
    let text = machine(
        r#"{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Next":"Done"}"#,
        "",
    );
    assert_eq!(errors(&text), vec![]);
    let express = Options {
        machine_type: MachineType::Express,
        ..Options::default()
    };
    let codes: Vec<_> = analyze_with(&text, &express)
        .diagnostics
        .into_iter()
        .map(|d| d.location)
        .collect();
    assert_eq!(codes, vec!["/States/S/Resource".to_string()]);
}

#[test]
fn spans_point_at_the_offending_text() {
    let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}\n  }\n}";
    let a = analyze(text);
    let d = &a.diagnostics[0];
    assert_eq!(d.code, "MISSING_TRANSITION_TARGET");
    let span = d.span.unwrap();
    assert_eq!(&text[span.start..span.end], "\"Nope\"");
    assert_eq!((span.line, span.column), (4, 35));
}

#[test]
fn creation_message_joins_errors_like_aws() {
    let text = r#"{"StartAt":"pass1","States":{"pass1":{"Type":"Pass","Next":"pass3"},"pass2":{"Type":"Pass","End":true}}}"#;
    let a = analyze(text);
    assert_eq!(
        creation_error_message(&a.diagnostics).unwrap(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
    );
}

#[test]
fn missing_end_state_suppresses_unreachable_and_is_top_level_only() {
    let looped = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"U":{"Type":"Pass","Next":"A"}}}"#;
    assert_eq!(
        errors(looped),
        vec![("MISSING_END_STATE".to_string(), String::new())]
    );
    let nested = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}},"End":true}}}"#;
    assert_eq!(errors(nested), vec![]);
}

#[test]
fn query_language_resolution_follows_aws() {
    // The Map's own QueryLanguage does not reach the states of its processor.
    let text = r#"{"QueryLanguage":"JSONPath","StartAt":"M","States":{"M":{"Type":"Map","QueryLanguage":"JSONata","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":{"v":"{% 1 %}"},"End":true}}},"End":true}}}"#;
    assert_eq!(
        errors(text),
        vec![(
            "SCHEMA_VALIDATION_FAILED".to_string(),
            "/States/M/ItemProcessor/States/P".to_string()
        )]
    );
    // An unknown value resolves to JSONata (and is reported).
    let text = r#"{"StartAt":"X","States":{"X":{"Type":"Pass","QueryLanguage":"foo","InputPath":"$.a","End":true}}}"#;
    assert_eq!(errors(text).len(), 2);
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "{",
        "}",
        "[",
        "\"",
        "{\"States\":",
        "\u{feff}{}",
        "{\"a\":1e999}",
        "-",
        "0",
        "nul",
        "{\"StartAt\":1,\"States\":{\"A\":[]}}",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":7}}}",
        ": : :",
        "- - -\n",
        "a: [",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Map\",\"ItemProcessor\":5,\"End\":true}}}",
    ] {
        let _ = analyze(text);
    }
}

#[test]
fn a_lone_state_is_checked_like_test_state() {
    let state = serde_json::json!({"Type": "Parallel", "Branches": [], "End": true});
    let d = analyze_state(&state, &Options::default());
    assert_eq!(
        creation_error_message(&d).unwrap(),
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'"
    );
    let ok = serde_json::json!({"Type": "Pass", "Next": "Elsewhere"});
    assert!(analyze_state(&ok, &Options::default()).is_empty());
}

#[test]
fn state_names_length_and_control_characters() {
    // (name as JSON string content, whether INVALID_STATE_NAME is reported)
    let rows = [
        ("A", false),
        (&"é".repeat(80), false), // 160 bytes, 80 characters
        (&"é".repeat(81), true),  // 81 characters
        (&"a".repeat(81), true),
        ("a\\u0001b", true),        // C0 control
        ("a\\u007fb", true),        // DEL
        ("a\\u0085b", true),        // C1 control (0xC2 0x85 in UTF-8)
        ("a\\u00a0b", false),       // no-break space: 0xC2 0xA0, not a control
        ("\\u00e9t\\u00e9", false), // é: 0xC3 0xA9
        ("", true),
    ];
    for (name, invalid) in rows {
        let text = format!(r#"{{"StartAt":"{name}","States":{{"{name}":{{"Type":"Succeed"}}}}}}"#);
        let reported = errors(&text).iter().any(|(c, _)| c == "INVALID_STATE_NAME");
        assert_eq!(reported, invalid, "{text}");
    }
}

#[test]
fn validate_finds_what_analyze_finds_without_the_definition() {
    for text in [
        "",
        "   ",
        "[1, 2]",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
        "StartAt: A\nStates:\n  A:\n    Type: Succeed\n",
    ] {
        let a = analyze(text);
        let v = validate(text);
        assert_eq!(v.diagnostics, a.diagnostics, "{text}");
        assert_eq!(v.format, a.format, "{text}");
        assert_eq!(v.has_errors(), a.has_errors(), "{text}");
    }
    assert!(
        validate("StartAt: A\nStates:\n  A:\n    Type: Succeed\n")
            .diagnostics
            .is_empty()
    );
    assert!(validate("[1, 2]").has_errors());
}
