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
    /// How long the run takes on the virtual clock (Wait states, retry intervals, task durations), if checked.
    pub duration_ms: Option<u64>,
}

impl Expectation {
    /// The execution succeeds with exactly this output.
    pub fn succeeds(output: Value) -> Expectation {
        Expectation {
            status: Status::Succeeded,
            output: Some(output),
            error: None,
            cause: None,
            duration_ms: None,
        }
    }

    /// The execution fails with this error and cause.
    pub fn fails(error: &'static str, cause: &'static str) -> Expectation {
        Expectation {
            status: Status::Failed,
            output: None,
            error: Some(error),
            cause: Some(cause),
            duration_ms: None,
        }
    }

    /// Also check the run's duration on the virtual clock.
    pub fn after_ms(mut self, duration_ms: u64) -> Expectation {
        self.duration_ms = Some(duration_ms);
        self
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
        parallel_enrichment(),
        poll_job(),
        jsonata_order_total(),
        distributed_map_s3(),
        alert_routing(),
        error_handling(),
        user_signup_jsonata(),
        ecs_task_sync(),
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
                Expectation::succeeds(answer).after_ms(2000),
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
                Expectation::succeeds(completed).after_ms(3000),
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
                Expectation::fails("ApprovalExpired", "No decision within 24 hours.")
                    .after_ms(86400000),
            ),
        ],
    }
}

fn parallel_enrichment() -> Template {
    const ID: &str = "parallel-enrichment";
    let input = json!({"customerId": "c-7"});
    let profile = (
        "Get Profile",
        ret(
            json!({"Item": {"customerId": {"S": "c-7"}, "name": {"S": "Ada"}, "tier": {"S": "gold"}}}),
        ),
    );
    let orders = (
        "Get Recent Orders",
        ret(
            json!({"Count": 3, "ScannedCount": 3, "Items": [{"orderId": {"S": "o-1"}}, {"orderId": {"S": "o-2"}}, {"orderId": {"S": "o-3"}}]}),
        ),
    );
    Template {
        id: ID,
        title: "Parallel enrichment",
        description: "Look up a customer's profile (DynamoDB GetItem), credit score (Lambda) and recent orders \
                      (DynamoDB Query via the AWS SDK integration) at the same time with Parallel, then merge.",
        definition: include_str!("parallel_enrichment.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Customer enriched",
                input.clone(),
                &[
                    profile.clone(),
                    ("Get Credit Score", ret(lambda(json!({"score": 780})))),
                    orders.clone(),
                ],
                Expectation::succeeds(
                    json!({"customerId": "c-7", "name": "Ada", "tier": "gold", "creditScore": 780, "recentOrders": 3}),
                ),
            ),
            case(
                ID,
                "Credit bureau down",
                input,
                &[
                    profile,
                    (
                        "Get Credit Score",
                        throw("CreditBureauUnavailable", "Upstream returned 503"),
                    ),
                    orders,
                ],
                Expectation::fails("CreditBureauUnavailable", "Upstream returned 503"),
            ),
        ],
    }
}

fn poll_job() -> Template {
    const ID: &str = "poll-job";
    let input = json!({"jobName": "nightly-etl"});
    let start = ("Start Job", ret(json!({"JobRunId": "jr_0123"})));
    let state = |s: &str| json!({"Return": {"JobRun": {"Id": "jr_0123", "JobName": "nightly-etl", "JobRunState": s}}});
    Template {
        id: ID,
        title: "Poll until done (Wait loop)",
        description: "Start an AWS Glue job, then wait 30 seconds and check its state in a Choice + Wait loop \
                      until it succeeds or fails.",
        definition: include_str!("poll_job.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Succeeds on the third check",
                input.clone(),
                &[
                    start.clone(),
                    (
                        "Get Job Status",
                        json!({"0": state("STARTING"), "1": state("RUNNING"), "2": state("SUCCEEDED")}),
                    ),
                ],
                Expectation::succeeds(
                    json!({"jobName": "nightly-etl", "runId": "jr_0123", "state": "SUCCEEDED"}),
                )
                .after_ms(90000),
            ),
            case(
                ID,
                "Job fails",
                input,
                &[
                    start,
                    (
                        "Get Job Status",
                        json!({"0": state("RUNNING"), "1": state("FAILED")}),
                    ),
                ],
                Expectation::fails("JobFailed", "Glue job run ended in state FAILED")
                    .after_ms(60000),
            ),
        ],
    }
}

fn jsonata_order_total() -> Template {
    const ID: &str = "jsonata-order-total";
    Template {
        id: ID,
        title: "Order total in JSONata mode",
        description: "A JSONata workflow: Assign keeps the subtotal in a variable, Arguments call a pricing \
                      Lambda, a Choice rule assigns free shipping, and Output shapes the receipt.",
        definition: include_str!("jsonata_order_total.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Discount and free shipping",
                json!({"orderId": "o-5", "customerId": "c-1", "items": [{"sku": "A", "price": 20, "qty": 2}, {"sku": "B", "price": 15, "qty": 1}]}),
                &[("Get Discount", ret(lambda(json!({"discountPercent": 10}))))],
                Expectation::succeeds(
                    json!({"orderId": "o-5", "items": 2, "subtotal": 55, "discount": 5.5, "shipping": 0, "total": 49.5}),
                ),
            ),
            case(
                ID,
                "Small order pays shipping",
                json!({"orderId": "o-6", "customerId": "c-2", "items": [{"sku": "C", "price": 10, "qty": 2}]}),
                &[("Get Discount", ret(lambda(json!({"discountPercent": 0}))))],
                Expectation::succeeds(
                    json!({"orderId": "o-6", "items": 1, "subtotal": 20, "discount": 0, "shipping": 4.99, "total": 24.99}),
                ),
            ),
        ],
    }
}

fn distributed_map_s3() -> Template {
    const ID: &str = "distributed-map-s3";
    let input = json!({"bucket": "invoices-inbox", "key": "2025/01/batch.csv"});
    let csv = (
        "Process Invoices",
        ret(json!("invoice_id,amount\ninv-1,100\ninv-2,250\n")),
    );
    Template {
        id: ID,
        title: "Distributed Map over an S3 CSV",
        description: "A distributed Map reads a CSV file from S3 (ItemReader), processes each invoice in an \
                      Express child execution and tolerates up to 10% failed items.",
        definition: include_str!("distributed_map_s3.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Two invoices processed",
                input.clone(),
                &[
                    csv.clone(),
                    (
                        "Process Invoice",
                        json!({
                            "0": {"Return": lambda(json!({"invoiceId": "inv-1", "status": "PAID"}))},
                            "1": {"Return": lambda(json!({"invoiceId": "inv-2", "status": "PAID"}))}
                        }),
                    ),
                ],
                Expectation::succeeds(
                    json!({"source": "s3://invoices-inbox/2025/01/batch.csv", "processed": 2}),
                ),
            ),
            case(
                ID,
                "Too many invoices fail",
                input,
                &[
                    csv,
                    (
                        "Process Invoice",
                        throw("InvoiceRejected", "Unknown vendor"),
                    ),
                ],
                Expectation::fails(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                ),
            ),
        ],
    }
}

fn alert_routing() -> Template {
    const ID: &str = "alert-routing";
    let alert = |severity: &str| json!({"service": "checkout", "severity": severity, "message": "p99 latency above 2 s"});
    Template {
        id: ID,
        title: "Route alerts to SNS or SQS",
        description: "A Choice routes an alert by severity: critical alerts page on-call through an SNS topic, \
                      warnings become tickets on an SQS queue, the rest are ignored.",
        definition: include_str!("alert_routing.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Critical pages on-call",
                alert("critical"),
                &[(
                    "Page On-Call",
                    ret(json!({"MessageId": "5f1c9a2e-0b7d-4e55-9d43-1d2b3c4d5e6f"})),
                )],
                Expectation::succeeds(
                    json!({"channel": "sns", "messageId": "5f1c9a2e-0b7d-4e55-9d43-1d2b3c4d5e6f"}),
                ),
            ),
            case(
                ID,
                "Warning becomes a ticket",
                alert("warning"),
                &[(
                    "Queue Ticket",
                    ret(
                        json!({"MessageId": "a1b2c3d4-1111-2222-3333-444455556666", "MD5OfMessageBody": "3b0f6b9a1c8e4f2d7a6b5c4d3e2f1a0b"}),
                    ),
                )],
                Expectation::succeeds(
                    json!({"channel": "sqs", "messageId": "a1b2c3d4-1111-2222-3333-444455556666"}),
                ),
            ),
            case(
                ID,
                "Info is ignored",
                alert("info"),
                &[],
                Expectation::succeeds(json!({"channel": "none"})),
            ),
        ],
    }
}

fn error_handling() -> Template {
    const ID: &str = "error-handling";
    let input = json!({"symbol": "ACME", "cachedQuote": 99.5});
    Template {
        id: ID,
        title: "Error handling showcase",
        description: "Retry transient errors with jittered backoff, time out slow calls, fall back to cached data, \
                      reject bad requests and alert on anything unexpected (ErrorPath/CausePath keep the original error).",
        definition: include_str!("error_handling.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Live quote",
                input.clone(),
                &[("Call Partner API", ret(lambda(json!({"quote": 101.25}))))],
                Expectation::succeeds(json!({"quote": 101.25, "source": "live"})),
            ),
            case(
                ID,
                "Slow partner: cached quote",
                input.clone(),
                &[(
                    "Call Partner API",
                    json!({"0": {"Return": lambda(json!({"quote": 1})), "DurationSeconds": 30}}),
                )],
                Expectation::succeeds(
                    json!({"quote": 99.5, "source": "cache", "reason": "States.Timeout"}),
                )
                .after_ms(10000),
            ),
            case(
                ID,
                "Partner down after retries: cached quote",
                input.clone(),
                &[(
                    "Call Partner API",
                    throw("PartnerUnavailable", "maintenance window"),
                )],
                Expectation::succeeds(
                    json!({"quote": 99.5, "source": "cache", "reason": "PartnerUnavailable"}),
                )
                .after_ms(13000),
            ),
            case(
                ID,
                "Invalid request",
                input.clone(),
                &[(
                    "Call Partner API",
                    throw("InvalidRequest", "symbol must be upper case"),
                )],
                Expectation::fails("BadRequest", "symbol must be upper case"),
            ),
            case(
                ID,
                "Unexpected error alerts",
                input,
                &[
                    (
                        "Call Partner API",
                        throw("Lambda.Unknown", "The function crashed"),
                    ),
                    (
                        "Alert And Fail",
                        ret(json!({"MessageId": "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"})),
                    ),
                ],
                Expectation::fails("Lambda.Unknown", "The function crashed"),
            ),
        ],
    }
}

fn user_signup_jsonata() -> Template {
    const ID: &str = "user-signup-jsonata";
    let input = json!({"email": "Ada@Example.com", "name": "Ada Lovelace"});
    Template {
        id: ID,
        title: "Idempotent sign-up with EventBridge (JSONata)",
        description: "A JSONata workflow: a conditional DynamoDB PutItem stores each user once, a Catch turns a \
                      duplicate into a normal result, and EventBridge PutEvents announces new users.",
        definition: include_str!("user_signup_jsonata.asl.json"),
        test_cases: vec![
            case(
                ID,
                "New user",
                input.clone(),
                &[
                    (
                        "Save User",
                        ret(json!({"SdkHttpMetadata": {"HttpStatusCode": 200}})),
                    ),
                    (
                        "Announce Sign-Up",
                        ret(
                            json!({"Entries": [{"EventId": "11710aed-b79e-4468-a20b-bb3c0c3b4860"}], "FailedEntryCount": 0}),
                        ),
                    ),
                ],
                Expectation::succeeds(
                    json!({"email": "ada@example.com", "status": "CREATED", "eventId": "11710aed-b79e-4468-a20b-bb3c0c3b4860"}),
                ),
            ),
            case(
                ID,
                "Email already registered",
                input,
                &[(
                    "Save User",
                    throw(
                        "DynamoDB.ConditionalCheckFailedException",
                        "The conditional request failed",
                    ),
                )],
                Expectation::succeeds(json!({"email": "ada@example.com", "status": "EXISTS"})),
            ),
        ],
    }
}

fn ecs_task_sync() -> Template {
    const ID: &str = "ecs-task-sync";
    let input = json!({"month": "2025-01"});
    let task_arn = "arn:aws:ecs:us-east-1:123456789012:task/reports/8f2b6c1d0e9a4b7c";
    let notify = (
        "Notify Failure",
        ret(json!({"MessageId": "2d6e1f0a-3b4c-5d6e-7f80-91a2b3c4d5e6"})),
    );
    Template {
        id: ID,
        title: "Run a container task to completion",
        description: "ECS RunTask with .sync runs a Fargate task and waits for it to stop (one hour at most); \
                      any failure is published to SNS before the execution fails with the original error.",
        definition: include_str!("ecs_task_sync.asl.json"),
        test_cases: vec![
            case(
                ID,
                "Report generated",
                input.clone(),
                &[(
                    "Run Report Task",
                    ret(
                        json!({"TaskArn": task_arn, "LastStatus": "STOPPED", "Containers": [{"Name": "report", "ExitCode": 0}]}),
                    ),
                )],
                Expectation::succeeds(json!({"month": "2025-01", "taskArn": task_arn})),
            ),
            case(
                ID,
                "Task ran too long",
                input.clone(),
                &[
                    (
                        "Run Report Task",
                        json!({"0": {"Return": {"TaskArn": task_arn}, "DurationSeconds": 4000}}),
                    ),
                    notify.clone(),
                ],
                Expectation {
                    status: Status::Failed,
                    output: None,
                    error: Some("States.Timeout"),
                    cause: None,
                    duration_ms: Some(3_600_000),
                },
            ),
            case(
                ID,
                "Container failed",
                input,
                &[
                    (
                        "Run Report Task",
                        throw("States.TaskFailed", "Essential container in task exited"),
                    ),
                    notify,
                ],
                Expectation::fails("States.TaskFailed", "Essential container in task exited"),
            ),
        ],
    }
}

#[cfg(test)]
mod tests;
