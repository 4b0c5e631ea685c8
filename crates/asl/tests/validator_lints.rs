//! Statewright's lints, row by row: each row is a definition and the SW codes it must produce
//! (an empty list: the lint must stay quiet, guarding against false positives).

fn sw_codes(text: &str) -> Vec<String> {
    let a = asl::analyze(text);
    assert!(!a.has_errors(), "{text}: {:?}", a.diagnostics);
    a.diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with("SW"))
        .map(|d| format!("{} {}", d.code, d.location))
        .collect()
}

fn check(rows: &[(&str, &[&str])]) {
    for (text, want) in rows {
        assert_eq!(sw_codes(text), *want, "{text}");
    }
}

const RETRY: &str = r#""Retry":[{"ErrorEquals":["States.ALL"]}]"#;

#[test]
fn sw001_unbounded_loop() {
    let r = RETRY;
    check(&[
        // Spins with no way out but an error.
        (
            &format!(
                r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",{r},"Catch":[{{"ErrorEquals":["States.ALL"],"Next":"Done"}}],"Next":"P"}},"P":{{"Type":"Pass","Next":"T"}},"Done":{{"Type":"Succeed"}}}}}}"#
            ),
            &["SW001 /States/T"],
        ),
        // A Wait in the loop: a poller.
        (
            &format!(
                r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",{r},"Catch":[{{"ErrorEquals":["States.ALL"],"Next":"Done"}}],"Next":"W"}},"W":{{"Type":"Wait","Seconds":5,"Next":"T"}},"Done":{{"Type":"Succeed"}}}}}}"#
            ),
            &[],
        ),
        // A Choice that leaves the loop.
        (
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Done"}],"Default":"P"},"Done":{"Type":"Succeed"}}}"#,
            &[],
        ),
        // Inside a Map processor too.
        (
            r#"{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}},"End":true}}}"#,
            &["SW001 /States/M/ItemProcessor/States/A"],
        ),
    ]);
}

#[test]
fn sw002_lambda_without_retry() {
    check(&[
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}"#,
            &["SW002 /States/T/Resource"],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:F","Retry":[{"ErrorEquals":["Lambda.ServiceException"]}],"End":true}}}"#,
            &["SW002 /States/T/Resource"],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"]}],"End":true}}}"#,
            &[],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":2}],"End":true}}}"#,
            &[],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}],"End":true}}}"#,
            &["SW002 /States/T/Resource"],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}"#,
            &[],
        ),
    ]);
}

#[test]
fn sw003_catch_that_never_fires() {
    check(&[
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Catch":[{"ErrorEquals":["A","B"],"Next":"D"},{"ErrorEquals":["B"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}"#,
            &["SW003 /States/T/Catch[1]"],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Catch":[{"ErrorEquals":["B"],"Next":"D"},{"ErrorEquals":["States.TaskFailed"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}"#,
            &[],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}"#,
            &["SW003 /States/T/Catch[0]"],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","HeartbeatSeconds":10,"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}"#,
            &[],
        ),
        (
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"D"},{"ErrorEquals":["States.Timeout"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}"#,
            &[],
        ),
    ]);
}

#[test]
fn sw004_shadowed_choice_rule() {
    let choice = |rules: &str| {
        format!(
            r#"{{"StartAt":"C","States":{{"C":{{"Type":"Choice","Choices":[{rules}],"Default":"D"}},"D":{{"Type":"Succeed"}}}}}}"#
        )
    };
    check(&[
        (
            &choice(
                r#"{"Variable":"$.n","NumericGreaterThan":5,"Next":"D"},{"Variable":"$.n","NumericGreaterThan":10,"Next":"D"}"#,
            ),
            &["SW004 /States/C/Choices[1]"],
        ),
        (
            &choice(
                r#"{"Variable":"$.n","NumericGreaterThan":10,"Next":"D"},{"Variable":"$.n","NumericGreaterThan":5,"Next":"D"}"#,
            ),
            &[],
        ),
        (
            &choice(
                r#"{"Variable":"$.s","StringEquals":"a","Next":"D"},{"Variable":"$.s","StringEquals":"a","Next":"D"}"#,
            ),
            &["SW004 /States/C/Choices[1]"],
        ),
        (
            &choice(
                r#"{"Variable":"$.s","IsPresent":true,"Next":"D"},{"Variable":"$.s","StringEquals":"a","Next":"D"}"#,
            ),
            &["SW004 /States/C/Choices[1]"],
        ),
        (
            &choice(
                r#"{"Variable":"$.s","IsPresent":true,"Next":"D"},{"Variable":"$.t","StringEquals":"a","Next":"D"}"#,
            ),
            &[],
        ),
        (
            &choice(
                r#"{"Variable":"$.n","NumericLessThanEquals":5,"Next":"D"},{"Variable":"$.n","NumericEquals":5,"Next":"D"}"#,
            ),
            &["SW004 /States/C/Choices[1]"],
        ),
        (
            &choice(
                r#"{"Variable":"$.n","NumericLessThan":5,"Next":"D"},{"Variable":"$.n","NumericEquals":5,"Next":"D"}"#,
            ),
            &[],
        ),
    ]);
}

#[test]
fn sw005_map_unbounded_concurrency() {
    let map = |extra: &str| {
        format!(
            r#"{{"StartAt":"M","States":{{"M":{{"Type":"Map",{extra}"ItemProcessor":{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}}}},"End":true}}}}}}"#
        )
    };
    check(&[
        (&map(""), &["SW005 /States/M"]),
        (&map(r#""MaxConcurrency":0,"#), &["SW005 /States/M"]),
        (&map(r#""MaxConcurrency":10,"#), &[]),
        (&map(r#""MaxConcurrencyPath":"$.limit","#), &[]),
        (
            r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#,
            &[],
        ),
    ]);
}

#[test]
fn sw006_result_discarded() {
    let task = |extra: &str| {
        format!(
            r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",{extra}"End":true}}}}}}"#
        )
    };
    check(&[
        (
            &task(r#""ResultPath":"$.r","OutputPath":"$.other","#),
            &["SW006 /States/T/ResultPath"],
        ),
        (&task(r#""ResultPath":"$.a.r","OutputPath":"$.a","#), &[]),
        (&task(r#""ResultPath":"$.r","OutputPath":"$.r.x","#), &[]),
        (
            &task(r#""ResultPath":null,"ResultSelector":{"x.$":"$.y"},"#),
            &["SW006 /States/T/ResultPath"],
        ),
        (&task(r#""ResultPath":null,"#), &[]),
    ]);
}
