//! The starter gallery: ready-made workflows (one `.asl.json` file each) with test cases that run in the
//! simulator against mocked service responses (Step Functions Local MockConfigFile objects).

use asl::simulate::{Mocks, Status};
use serde_json::{Map, Value, json};

/// One starter workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Stable id (also the state machine's name in each test case's mock config).
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The ASL text.
    pub definition: &'static str,
    pub test_cases: Vec<TestCase>,
}

/// One test case of a template: input, mocked responses and the expected result.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub name: &'static str,
    pub input: Value,
    /// A Step Functions Local MockConfigFile: `StateMachines.<template id>.TestCases.<case name>` maps each
    /// mocked state to a `MockedResponses` entry. Load it with [`TestCase::mocks`].
    pub mocks: Value,
    pub expected: Expectation,
}

/// How a test case must end: the status, and the output (succeeded) or error and cause (failed).
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<&'static str>,
    pub cause: Option<&'static str>,
}

impl Expectation {
    /// The execution succeeds with exactly this output.
    pub fn succeeds(output: Value) -> Expectation {
        Expectation {
            status: Status::Succeeded,
            output: Some(output),
            error: None,
            cause: None,
        }
    }

    /// The execution fails with this error and cause.
    pub fn fails(error: &'static str, cause: &'static str) -> Expectation {
        Expectation {
            status: Status::Failed,
            output: None,
            error: Some(error),
            cause: Some(cause),
        }
    }
}

impl TestCase {
    /// The simulator's mocks for this case of `template_id`'s machine.
    pub fn mocks(&self, template_id: &str) -> Result<Mocks, String> {
        Mocks::from_config(&self.mocks, template_id, self.name)
    }
}

/// Build a test case whose MockConfigFile mocks `states`: `[(state name, {"0": {"Return": ..}, "1-2": ..})]`.
/// Each state's responses are registered as `"<state>:<case>"` in `MockedResponses`.
fn case(
    machine: &str,
    name: &'static str,
    input: Value,
    states: &[(&str, Value)],
    expected: Expectation,
) -> TestCase {
    let mut mapping = Map::new();
    let mut responses = Map::new();
    for (state, table) in states {
        let key = format!("{state}:{name}");
        mapping.insert((*state).to_string(), Value::String(key.clone()));
        responses.insert(key, table.clone());
    }
    let mut cases = Map::new();
    cases.insert(name.to_string(), Value::Object(mapping));
    let mut machines = Map::new();
    machines.insert(machine.to_string(), json!({ "TestCases": cases }));
    TestCase {
        name,
        input,
        mocks: json!({"StateMachines": machines, "MockedResponses": responses}),
        expected,
    }
}

/// `{"0": {"Return": value}}`: every invocation returns `value`.
fn ret(value: Value) -> Value {
    json!({"0": {"Return": value}})
}

/// `{"0": {"Throw": ...}}`: every invocation throws.
fn throw(error: &str, cause: &str) -> Value {
    json!({"0": {"Throw": {"Error": error, "Cause": cause}}})
}

/// A Lambda `lambda:invoke` result wrapping `payload`.
fn lambda(payload: Value) -> Value {
    json!({"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": payload})
}

/// The whole gallery, in display order.
pub fn templates() -> Vec<Template> {
    vec![
        bedrock_answer_to_s3(),
        order_saga(),
        etl_map(),
        human_approval(),
    ]
}

fn bedrock_answer_to_s3() -> Template {
    const ID: &str = "bedrock-answer-to-s3";
    let input = json!({"requestId": "req-42", "question": "What is AWS Step Functions?"});
    let bedrock = json!({
        "ContentType": "application/json",
        "Body": {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": "claude-3-haiku-20240307",
            "content": [{"type": "text", "text": "A serverless workflow service."}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 14, "output_tokens": 7}
        }
    });
    let s3 =
        json!({"ETag": "\"5d41402abc4b2a76b9719d911017c592\"", "ServerSideEncryption": "AES256"});
    let answer = json!({
        "answer": "A serverless workflow service.",
        "outputTokens": 7,
        "record": "s3://answers-archive/answers/req-42.json",
        "etag": "\"5d41402abc4b2a76b9719d911017c592\""
    });
    Template {
        id: ID,
        title: "Generate an answer with Bedrock, store it in S3",
        description: "Amazon Bedrock InvokeModel answers a question; S3 PutObject archives the question and \
                      answer. Throttling is retried with exponential backoff.",
        definition: include_str!("bedrock_answer_to_s3.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Answered and stored",
                input.clone(),
                &[
                    ("Generate Answer", ret(bedrock.clone())),
                    ("Store Record", ret(s3.clone())),
                ],
                Expectation::succeeds(answer.clone()),
            ),
            case(
                ID,
                "Throttled once, then answered",
                input.clone(),
                &[
                    (
                        "Generate Answer",
                        json!({
                            "0": {"Throw": {"Error": "Bedrock.ThrottlingException", "Cause": "Too many requests, please wait before trying again."}},
                            "1": {"Return": bedrock}
                        }),
                    ),
                    ("Store Record", ret(s3)),
                ],
                Expectation::succeeds(answer),
            ),
            case(
                ID,
                "Model access denied",
                input,
                &[(
                    "Generate Answer",
                    throw(
                        "Bedrock.AccessDeniedException",
                        "You don't have access to the model with the specified model ID.",
                    ),
                )],
                Expectation::fails(
                    "Bedrock.AccessDeniedException",
                    "You don't have access to the model with the specified model ID.",
                ),
            ),
        ],
    }
}

fn order_saga() -> Template {
    const ID: &str = "order-saga";
    let input =
        json!({"orderId": "ord-1001", "amount": 59.9, "items": [{"sku": "BOOK-7", "qty": 2}]});
    let reserve = (
        "Reserve Inventory",
        ret(lambda(json!({"reservationId": "res-77"}))),
    );
    let charge = ("Charge Payment", ret(lambda(json!({"chargeId": "ch-9"}))));
    let ship = (
        "Ship Order",
        ret(lambda(json!({"trackingNumber": "1Z999"}))),
    );
    let refund = ("Refund Payment", ret(lambda(json!({"refunded": true}))));
    let release = ("Release Inventory", ret(lambda(json!({"released": true}))));
    let completed = json!({"orderId": "ord-1001", "status": "COMPLETED", "chargeId": "ch-9", "trackingNumber": "1Z999"});
    Template {
        id: ID,
        title: "Order pipeline with retries and compensation",
        description: "Reserve inventory, charge the payment and ship. Transient Lambda errors are retried; a \
                      failure runs the compensating steps (refund, release) in reverse order (the saga pattern).",
        definition: include_str!("order_saga.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Order completed",
                input.clone(),
                &[reserve.clone(), charge.clone(), ship.clone()],
                Expectation::succeeds(completed.clone()),
            ),
            case(
                ID,
                "Payment service busy, retried",
                input.clone(),
                &[
                    reserve.clone(),
                    (
                        "Charge Payment",
                        json!({
                            "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
                            "2": {"Return": lambda(json!({"chargeId": "ch-9"}))}
                        }),
                    ),
                    ship.clone(),
                ],
                Expectation::succeeds(completed),
            ),
            case(
                ID,
                "Card declined: inventory released",
                input.clone(),
                &[
                    reserve.clone(),
                    (
                        "Charge Payment",
                        throw("CardDeclined", "Insufficient funds"),
                    ),
                    release.clone(),
                ],
                Expectation::fails("OrderFailed", "Insufficient funds"),
            ),
            case(
                ID,
                "Shipping failed: refunded and released",
                input,
                &[
                    reserve,
                    charge,
                    ("Ship Order", throw("AddressInvalid", "Unknown postal code")),
                    refund,
                    release,
                ],
                Expectation::fails("OrderFailed", "Unknown postal code"),
            ),
        ],
    }
}

fn etl_map() -> Template {
    const ID: &str = "etl-map";
    let input = json!({"source": "s3://raw-sales/2025-01-01/", "date": "2025-01-01"});
    let extract = (
        "Extract Batch",
        ret(lambda(json!({"records": [
            {"id": "r1", "price": 10, "qty": 3},
            {"id": "r2", "price": 4, "qty": 5},
            {"id": "r3", "price": 7, "qty": 1}
        ]}))),
    );
    let transform = (
        "Transform Record",
        json!({
            "0": {"Return": lambda(json!({"id": "r1", "total": 30}))},
            "1": {"Return": lambda(json!({"id": "r2", "total": 20}))},
            "2": {"Return": lambda(json!({"id": "r3", "total": 7}))}
        }),
    );
    let load = (
        "Load Record",
        ret(json!({"SdkHttpMetadata": {"HttpStatusCode": 200}})),
    );
    Template {
        id: ID,
        title: "ETL fan-out with Map",
        description: "Extract a batch of records, then transform and load each one in parallel with an inline Map \
                      (Lambda + DynamoDB PutItem), and summarize.",
        definition: include_str!("etl_map.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Three records loaded",
                input.clone(),
                &[extract, transform, load.clone()],
                Expectation::succeeds(
                    json!({"source": "s3://raw-sales/2025-01-01/", "date": "2025-01-01", "recordCount": 3}),
                ),
            ),
            case(
                ID,
                "Empty batch",
                input.clone(),
                &[("Extract Batch", ret(lambda(json!({"records": []}))))],
                Expectation::succeeds(
                    json!({"source": "s3://raw-sales/2025-01-01/", "date": "2025-01-01", "recordCount": 0}),
                ),
            ),
            case(
                ID,
                "A record fails to load",
                input,
                &[
                    (
                        "Extract Batch",
                        ret(lambda(
                            json!({"records": [{"id": "r1", "price": 1, "qty": 1}]}),
                        )),
                    ),
                    (
                        "Transform Record",
                        ret(lambda(json!({"id": "r1", "total": 1}))),
                    ),
                    (
                        "Load Record",
                        throw(
                            "DynamoDB.ProvisionedThroughputExceededException",
                            "Throughput exceeded",
                        ),
                    ),
                ],
                Expectation::fails(
                    "DynamoDB.ProvisionedThroughputExceededException",
                    "Throughput exceeded",
                ),
            ),
        ],
    }
}

fn human_approval() -> Template {
    const ID: &str = "human-approval";
    let input =
        json!({"requestId": "chg-314", "summary": "Raise the prod instance size to m7g.large"});
    Template {
        id: ID,
        title: "Human approval with a task token",
        description: "Send an approval request to SQS with a task token (.waitForTaskToken) and wait for the \
                      reviewer's SendTaskSuccess; apply the change when approved, fail when rejected or after 24 hours.",
        definition: include_str!("human_approval.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Approved",
                input.clone(),
                &[
                    (
                        "Request Approval",
                        ret(json!({"approved": true, "approver": "alice"})),
                    ),
                    ("Apply Change", ret(lambda(json!({"changeId": "c-1"})))),
                ],
                Expectation::succeeds(
                    json!({"requestId": "chg-314", "approvedBy": "alice", "changeId": "c-1"}),
                ),
            ),
            case(
                ID,
                "Rejected",
                input.clone(),
                &[(
                    "Request Approval",
                    ret(
                        json!({"approved": false, "approver": "bob", "reason": "Not during the freeze"}),
                    ),
                )],
                Expectation::fails("ApprovalRejected", "Not during the freeze"),
            ),
            case(
                ID,
                "Nobody answered",
                input,
                &[(
                    "Request Approval",
                    json!({"0": {"Return": {"approved": true}, "DurationSeconds": 90000}}),
                )],
                Expectation::fails("ApprovalExpired", "No decision within 24 hours."),
            ),
        ],
    }
}

#[cfg(test)]
mod tests;
