//! The palette's catalog: flow states and AWS service integrations, each with a display name, a
//! one-line explanation, its resource ARN, the integration patterns AWS supports for it
//! (request-response, `.sync`, `.waitForTaskToken`), and state templates in both query languages
//! (JSONPath `Parameters` with `.$` keys, JSONata `Arguments` with `{% %}` expressions).
//! [`new_state`] turns an entry into state JSON with names unique in the document.

use crate::document::unique_name;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::fmt;

/// How Step Functions waits for a service call (AWS "service integration patterns").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Pattern {
    /// Call the API and continue with its HTTP response.
    RequestResponse,
    /// Run a job (`.sync`): wait until the job finishes.
    Sync,
    /// Wait for a callback (`.waitForTaskToken`): pause until `SendTaskSuccess`/`SendTaskFailure`
    /// with the task token.
    WaitForTaskToken,
}

impl Pattern {
    pub fn label(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "Request response",
            Pattern::Sync => "Run a job (.sync)",
            Pattern::WaitForTaskToken => "Wait for callback (.waitForTaskToken)",
        }
    }
}

/// The query language a template is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum QueryLanguage {
    #[default]
    JSONPath,
    JSONata,
}

impl QueryLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JSONPath => "JSONPath",
            QueryLanguage::JSONata => "JSONata",
        }
    }
}

/// One palette entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    /// Stable id, e.g. `lambda:invoke` or `flow:choice`.
    pub id: &'static str,
    /// The palette label (also the default state name), e.g. "Lambda Invoke".
    pub name: &'static str,
    /// Palette group: "Flow", "Compute", "Storage", "Database", "Messaging", "AI", "Analytics",
    /// "Application integration".
    pub category: &'static str,
    /// One line saying what it does.
    pub description: &'static str,
    /// The state `Type`.
    pub state_type: &'static str,
    /// The request-response resource ARN (`None` for flow states); other patterns append a suffix.
    pub resource: Option<&'static str>,
    /// Patterns AWS supports for this integration (empty for flow states).
    pub patterns: &'static [Pattern],
    /// The AWS documentation page.
    pub docs: &'static str,
}

use Pattern::{RequestResponse as RR, Sync, WaitForTaskToken as Wait};

#[cfg(test)]
const DOCS: &str = "https://docs.aws.amazon.com/step-functions/latest/dg/";

static CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        id: "flow:pass",
        name: "Pass",
        category: "Flow",
        description: "Passes its input to its output, optionally reshaping it or injecting fixed data.",
        state_type: "Pass",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html",
    },
    CatalogEntry {
        id: "flow:choice",
        name: "Choice",
        category: "Flow",
        description: "Branches: goes to the first rule whose condition holds, else to the Default.",
        state_type: "Choice",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html",
    },
    CatalogEntry {
        id: "flow:wait",
        name: "Wait",
        category: "Flow",
        description: "Pauses for a number of seconds or until a timestamp.",
        state_type: "Wait",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html",
    },
    CatalogEntry {
        id: "flow:succeed",
        name: "Succeed",
        category: "Flow",
        description: "Ends the execution (or the branch) successfully.",
        state_type: "Succeed",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html",
    },
    CatalogEntry {
        id: "flow:fail",
        name: "Fail",
        category: "Flow",
        description: "Stops the execution as failed, with an error name and a cause.",
        state_type: "Fail",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html",
    },
    CatalogEntry {
        id: "flow:parallel",
        name: "Parallel",
        category: "Flow",
        description: "Runs several branches at the same time; its output is the array of their outputs.",
        state_type: "Parallel",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html",
    },
    CatalogEntry {
        id: "flow:map",
        name: "Map",
        category: "Flow",
        description: "Runs the same steps for each item of an array, collecting the results.",
        state_type: "Map",
        resource: None,
        patterns: &[],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html",
    },
    CatalogEntry {
        id: "lambda:invoke",
        name: "Lambda Invoke",
        category: "Compute",
        description: "Calls an AWS Lambda function with the state's input as payload.",
        state_type: "Task",
        resource: Some("arn:aws:states:::lambda:invoke"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html",
    },
    CatalogEntry {
        id: "s3:getObject",
        name: "S3 GetObject",
        category: "Storage",
        description: "Reads an object from an Amazon S3 bucket (AWS SDK integration).",
        state_type: "Task",
        resource: Some("arn:aws:states:::aws-sdk:s3:getObject"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
    },
    CatalogEntry {
        id: "s3:putObject",
        name: "S3 PutObject",
        category: "Storage",
        description: "Writes an object to an Amazon S3 bucket (AWS SDK integration).",
        state_type: "Task",
        resource: Some("arn:aws:states:::aws-sdk:s3:putObject"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
    },
    CatalogEntry {
        id: "dynamodb:getItem",
        name: "DynamoDB GetItem",
        category: "Database",
        description: "Reads one item from an Amazon DynamoDB table by its key.",
        state_type: "Task",
        resource: Some("arn:aws:states:::dynamodb:getItem"),
        patterns: &[RR],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
    },
    CatalogEntry {
        id: "dynamodb:putItem",
        name: "DynamoDB PutItem",
        category: "Database",
        description: "Creates or replaces an item in an Amazon DynamoDB table.",
        state_type: "Task",
        resource: Some("arn:aws:states:::dynamodb:putItem"),
        patterns: &[RR],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
    },
    CatalogEntry {
        id: "dynamodb:updateItem",
        name: "DynamoDB UpdateItem",
        category: "Database",
        description: "Changes attributes of an item in an Amazon DynamoDB table.",
        state_type: "Task",
        resource: Some("arn:aws:states:::dynamodb:updateItem"),
        patterns: &[RR],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
    },
    CatalogEntry {
        id: "sns:publish",
        name: "SNS Publish",
        category: "Messaging",
        description: "Publishes a message to an Amazon SNS topic.",
        state_type: "Task",
        resource: Some("arn:aws:states:::sns:publish"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html",
    },
    CatalogEntry {
        id: "sqs:sendMessage",
        name: "SQS SendMessage",
        category: "Messaging",
        description: "Sends a message to an Amazon SQS queue.",
        state_type: "Task",
        resource: Some("arn:aws:states:::sqs:sendMessage"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html",
    },
    CatalogEntry {
        id: "events:putEvents",
        name: "EventBridge PutEvents",
        category: "Application integration",
        description: "Sends custom events to an Amazon EventBridge event bus.",
        state_type: "Task",
        resource: Some("arn:aws:states:::events:putEvents"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html",
    },
    CatalogEntry {
        id: "bedrock:invokeModel",
        name: "Bedrock InvokeModel",
        category: "AI",
        description: "Runs inference on an Amazon Bedrock foundation model with a prompt.",
        state_type: "Task",
        resource: Some("arn:aws:states:::bedrock:invokeModel"),
        // AWS's table lists callbacks for Bedrock; `.sync` belongs to CreateModelCustomizationJob.
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html",
    },
    CatalogEntry {
        id: "ecs:runTask",
        name: "ECS RunTask",
        category: "Compute",
        description: "Starts a container task on Amazon ECS or AWS Fargate.",
        state_type: "Task",
        resource: Some("arn:aws:states:::ecs:runTask"),
        patterns: &[RR, Sync, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html",
    },
    CatalogEntry {
        id: "glue:startJobRun",
        name: "Glue StartJobRun",
        category: "Analytics",
        description: "Starts an AWS Glue ETL job run.",
        state_type: "Task",
        resource: Some("arn:aws:states:::glue:startJobRun"),
        patterns: &[RR, Sync],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html",
    },
    CatalogEntry {
        id: "athena:startQueryExecution",
        name: "Athena StartQueryExecution",
        category: "Analytics",
        description: "Runs an SQL query with Amazon Athena.",
        state_type: "Task",
        resource: Some("arn:aws:states:::athena:startQueryExecution"),
        patterns: &[RR, Sync],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html",
    },
    CatalogEntry {
        id: "states:startExecution",
        name: "Step Functions StartExecution",
        category: "Application integration",
        description: "Starts an execution of another state machine (a nested workflow).",
        state_type: "Task",
        resource: Some("arn:aws:states:::states:startExecution"),
        patterns: &[RR, Sync, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html",
    },
    CatalogEntry {
        id: "http:invoke",
        name: "HTTP Task",
        category: "Application integration",
        description: "Calls a public HTTPS API, authenticated through an EventBridge connection.",
        state_type: "Task",
        resource: Some("arn:aws:states:::http:invoke"),
        patterns: &[RR],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html",
    },
    CatalogEntry {
        id: "aws-sdk",
        name: "AWS SDK call",
        category: "Application integration",
        description: "Calls any AWS API action: arn:aws:states:::aws-sdk:<service>:<action>.",
        state_type: "Task",
        resource: Some("arn:aws:states:::aws-sdk:s3:listBuckets"),
        patterns: &[RR, Wait],
        docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
    },
];

/// Every palette entry: flow states first, then service integrations.
pub fn catalog() -> &'static [CatalogEntry] {
    CATALOG
}

/// The entry with this id.
pub fn find(id: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.id == id)
}

/// The resource of a generic AWS SDK integration, e.g. `sdk_resource("s3", "listBuckets")`.
pub fn sdk_resource(service: &str, action: &str) -> String {
    format!("arn:aws:states:::aws-sdk:{service}:{action}")
}

impl CatalogEntry {
    /// The resource ARN for a pattern, or `None` when AWS does not support that pattern here.
    pub fn resource_for(&self, pattern: Pattern) -> Option<String> {
        let base = self.resource?;
        if !self.patterns.contains(&pattern) {
            return None;
        }
        Some(match pattern {
            Pattern::RequestResponse => base.to_string(),
            // Nested executions: `.sync:2` returns the child's output as JSON rather than a string.
            Pattern::Sync if self.id == "states:startExecution" => format!("{base}.sync:2"),
            Pattern::Sync => format!("{base}.sync"),
            Pattern::WaitForTaskToken => format!("{base}.waitForTaskToken"),
        })
    }

    pub fn is_flow(&self) -> bool {
        self.resource.is_none()
    }
}

/// Options for [`new_state`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewStateOptions {
    /// Defaults to request-response (or the entry's first supported pattern).
    pub pattern: Option<Pattern>,
    pub query_language: QueryLanguage,
    /// Also write `QueryLanguage` into the state (when it differs from the machine's).
    pub mark_query_language: bool,
    /// Where a new Choice's rule and Default go (the state that followed the insertion point).
    pub next: Option<String>,
    /// For the generic AWS SDK entry: (service, action), e.g. ("ec2", "describeInstances").
    pub sdk_action: Option<(String, String)>,
    /// The name to start from (defaults to the entry's display name).
    pub name: Option<String>,
}

/// Why a state could not be built from an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// AWS does not support this pattern for this service.
    UnsupportedPattern {
        entry: &'static str,
        pattern: Pattern,
    },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::UnsupportedPattern { entry, pattern } => {
                write!(f, "{entry} does not support \"{}\"", pattern.label())
            }
        }
    }
}

impl std::error::Error for CatalogError {}

/// A state built from the catalog: its (unique) name and JSON, without `Next`/`End` (the edit that
/// inserts it links it into the flow).
#[derive(Debug, Clone, PartialEq)]
pub struct NewState {
    pub name: String,
    pub state: Value,
}

/// Builds a state from a catalog entry. `taken` holds every state name in the document
/// ([`crate::Document::state_names`]); the new state and any states nested in it get names not in it.
pub fn new_state(
    entry: &CatalogEntry,
    options: &NewStateOptions,
    taken: &BTreeSet<String>,
) -> Result<NewState, CatalogError> {
    let mut taken = taken.clone();
    let name = unique_name(&taken, options.name.as_deref().unwrap_or(entry.name));
    taken.insert(name.clone());
    let mut fresh = |base: &str| {
        let n = unique_name(&taken, base);
        taken.insert(n.clone());
        n
    };
    let ql = options.query_language;
    let jsonata = ql == QueryLanguage::JSONata;
    let mut state = if entry.is_flow() {
        flow_template(entry.id, jsonata, options.next.as_deref(), &mut fresh)
    } else {
        let pattern = options
            .pattern
            .or_else(|| entry.patterns.first().copied())
            .unwrap_or(Pattern::RequestResponse);
        let resource = match (&options.sdk_action, entry.id) {
            (Some((service, action)), "aws-sdk") => {
                let base = sdk_resource(service, action);
                match pattern {
                    Pattern::RequestResponse => base,
                    Pattern::WaitForTaskToken => format!("{base}.waitForTaskToken"),
                    Pattern::Sync => {
                        return Err(CatalogError::UnsupportedPattern {
                            entry: entry.name,
                            pattern,
                        });
                    }
                }
            }
            _ => entry
                .resource_for(pattern)
                .ok_or(CatalogError::UnsupportedPattern {
                    entry: entry.name,
                    pattern,
                })?,
        };
        task_template(entry.id, &resource, pattern, jsonata)
    };
    if options.mark_query_language
        && let Some(obj) = state.as_object_mut()
    {
        let mut with = Map::new();
        for (k, v) in std::mem::take(obj) {
            let is_type = k == "Type";
            with.insert(k, v);
            if is_type {
                with.insert("QueryLanguage".into(), json!(ql.as_str()));
            }
        }
        *obj = with;
    }
    Ok(NewState { name, state })
}

fn flow_template(
    id: &str,
    jsonata: bool,
    next: Option<&str>,
    fresh: &mut dyn FnMut(&str) -> String,
) -> Value {
    let sub =
        |name: &str| json!({"StartAt": name, "States": {name: {"Type": "Pass", "End": true}}});
    match id {
        "flow:pass" if jsonata => json!({"Type": "Pass", "Output": "{% $states.input %}"}),
        "flow:pass" => json!({"Type": "Pass"}),
        "flow:choice" => {
            let mut rule = if jsonata {
                json!({"Condition": "{% $states.input.status = 'DONE' %}"})
            } else {
                json!({"Variable": "$.status", "StringEquals": "DONE"})
            };
            let mut s = json!({"Type": "Choice", "Choices": []});
            if let Some(n) = next {
                rule["Next"] = json!(n);
            }
            s["Choices"] = json!([rule]);
            if let Some(n) = next {
                s["Default"] = json!(n);
            }
            s
        }
        "flow:wait" => json!({"Type": "Wait", "Seconds": 5}),
        "flow:succeed" => json!({"Type": "Succeed"}),
        "flow:fail" => json!({"Type": "Fail", "Error": "MyError", "Cause": "Something went wrong"}),
        "flow:parallel" => {
            let (a, b) = (fresh("Branch 1"), fresh("Branch 2"));
            json!({"Type": "Parallel", "Branches": [sub(&a), sub(&b)]})
        }
        "flow:map" => {
            let item = fresh("Process item");
            let mut processor = json!({"ProcessorConfig": {"Mode": "INLINE"}});
            if let (Some(p), Value::Object(s)) = (processor.as_object_mut(), sub(&item)) {
                p.extend(s);
            }
            if jsonata {
                json!({"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": processor, "MaxConcurrency": 10})
            } else {
                json!({"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": processor, "MaxConcurrency": 10})
            }
        }
        _ => json!({"Type": "Pass"}),
    }
}

/// A JSONPath template uses `.$` keys with paths; the JSONata twin uses `{% %}` expressions. `p`
/// builds one field in the right form: `p("Payload", "$", "$states.input")`.
fn task_template(id: &str, resource: &str, pattern: Pattern, jsonata: bool) -> Value {
    let token = pattern == Pattern::WaitForTaskToken;
    let p = |key: &str, path: &str, expr: &str| -> (String, Value) {
        if jsonata {
            (key.to_string(), json!(format!("{{% {expr} %}}")))
        } else {
            (format!("{key}.$"), json!(path))
        }
    };
    let obj = |fields: Vec<(String, Value)>| Value::Object(fields.into_iter().collect());
    let lit = |key: &str, v: Value| (key.to_string(), v);
    let token_field = || p("TaskToken", "$$.Task.Token", "$states.context.Task.Token");
    let input = || p("Input", "$", "$states.input");
    // A message body: the input, or with a callback the input plus the task token.
    let message = |key: &str| {
        if token {
            lit(key, obj(vec![input(), token_field()]))
        } else {
            p(key, "$", "$states.input")
        }
    };
    let args: Value = match id {
        "lambda:invoke" => obj(vec![
            lit(
                "FunctionName",
                json!("arn:aws:lambda:us-east-1:123456789012:function:MyFunction:$LATEST"),
            ),
            message("Payload"),
        ]),
        "s3:getObject" => obj(vec![
            lit("Bucket", json!("amzn-s3-demo-bucket")),
            p("Key", "$.key", "$states.input.key"),
        ]),
        "s3:putObject" => obj(vec![
            lit("Bucket", json!("amzn-s3-demo-bucket")),
            lit("Key", json!("output.json")),
            message("Body"),
        ]),
        "dynamodb:getItem" => obj(vec![
            lit("TableName", json!("MyTable")),
            lit(
                "Key",
                json!({"id": obj(vec![p("S", "$.id", "$states.input.id")])}),
            ),
        ]),
        "dynamodb:putItem" => obj(vec![
            lit("TableName", json!("MyTable")),
            lit(
                "Item",
                json!({"id": obj(vec![p("S", "$.id", "$states.input.id")]), "status": {"S": "NEW"}}),
            ),
        ]),
        "dynamodb:updateItem" => obj(vec![
            lit("TableName", json!("MyTable")),
            lit(
                "Key",
                json!({"id": obj(vec![p("S", "$.id", "$states.input.id")])}),
            ),
            lit("UpdateExpression", json!("SET #status = :status")),
            lit("ExpressionAttributeNames", json!({"#status": "status"})),
            lit(
                "ExpressionAttributeValues",
                json!({":status": obj(vec![p("S", "$.status", "$states.input.status")])}),
            ),
        ]),
        "sns:publish" => obj(vec![
            lit(
                "TopicArn",
                json!("arn:aws:sns:us-east-1:123456789012:MyTopic"),
            ),
            message("Message"),
        ]),
        "sqs:sendMessage" => obj(vec![
            lit(
                "QueueUrl",
                json!("https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue"),
            ),
            message("MessageBody"),
        ]),
        "events:putEvents" => obj(vec![lit(
            "Entries",
            json!([obj(vec![
                message("Detail"),
                lit("DetailType", json!("MyDetailType")),
                lit("EventBusName", json!("default")),
                lit("Source", json!("my.application")),
            ])]),
        )]),
        "bedrock:invokeModel" => obj(vec![
            lit(
                "ModelId",
                json!(
                    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
                ),
            ),
            lit(
                "Body",
                json!({
                    "anthropic_version": "bedrock-2023-05-31",
                    "max_tokens": 512,
                    "messages": [{"role": "user", "content": [obj(vec![
                        lit("type", json!("text")),
                        p("text", "$.prompt", "$states.input.prompt"),
                    ])]}]
                }),
            ),
        ]),
        "ecs:runTask" => {
            let mut fields = vec![
                lit("LaunchType", json!("FARGATE")),
                lit(
                    "Cluster",
                    json!("arn:aws:ecs:us-east-1:123456789012:cluster/MyCluster"),
                ),
                lit(
                    "TaskDefinition",
                    json!("arn:aws:ecs:us-east-1:123456789012:task-definition/MyTask:1"),
                ),
                lit(
                    "NetworkConfiguration",
                    json!({"AwsvpcConfiguration": {"Subnets": ["subnet-0123456789abcdef0"], "AssignPublicIp": "ENABLED"}}),
                ),
            ];
            if token {
                let env = obj(vec![
                    lit("Name", json!("TASK_TOKEN")),
                    p("Value", "$$.Task.Token", "$states.context.Task.Token"),
                ]);
                fields.push(lit(
                    "Overrides",
                    json!({"ContainerOverrides": [{"Name": "my-container", "Environment": [env]}]}),
                ));
            }
            obj(fields)
        }
        "glue:startJobRun" => obj(vec![lit("JobName", json!("MyGlueJob"))]),
        "athena:startQueryExecution" => obj(vec![
            lit("QueryString", json!("SELECT * FROM my_table LIMIT 10")),
            lit("WorkGroup", json!("primary")),
            lit(
                "ResultConfiguration",
                json!({"OutputLocation": "s3://amzn-s3-demo-bucket/athena-results/"}),
            ),
        ]),
        "states:startExecution" => {
            let mut input = vec![
                p("StatePayload", "$", "$states.input"),
                p(
                    "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID",
                    "$$.Execution.Id",
                    "$states.context.Execution.Id",
                ),
            ];
            if token {
                input.push(token_field());
            }
            obj(vec![
                lit(
                    "StateMachineArn",
                    json!("arn:aws:states:us-east-1:123456789012:stateMachine:MyStateMachine"),
                ),
                lit("Input", obj(input)),
            ])
        }
        "http:invoke" => obj(vec![
            lit("ApiEndpoint", json!("https://api.example.com/orders")),
            lit("Method", json!("POST")),
            lit(
                "Authentication",
                json!({"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/MyConnection/0123abcd-4567-89ef-0123-456789abcdef"}),
            ),
            message("RequestBody"),
        ]),
        _ => json!({}),
    };
    let mut state = Map::new();
    state.insert("Type".into(), json!("Task"));
    state.insert("Resource".into(), json!(resource));
    state.insert(
        if jsonata { "Arguments" } else { "Parameters" }.into(),
        args,
    );
    if id == "lambda:invoke" && !token {
        // Lambda answers {StatusCode, Payload, ...}; keep just the function's result.
        if jsonata {
            state.insert("Output".into(), json!("{% $states.result.Payload %}"));
        } else {
            state.insert("OutputPath".into(), json!("$.Payload"));
        }
        state.insert(
            "Retry".into(),
            json!([{
                "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"
            }]),
        );
    }
    if token {
        // A callback that never comes would wait a year; bound it.
        state.insert("TimeoutSeconds".into(), json!(3600));
    }
    Value::Object(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::edit::{Edit, apply};

    #[test]
    fn the_catalog_covers_the_palette() {
        let names: Vec<_> = catalog().iter().map(|e| e.name).collect();
        for want in [
            "Pass",
            "Choice",
            "Wait",
            "Succeed",
            "Fail",
            "Parallel",
            "Map",
            "Lambda Invoke",
            "S3 GetObject",
            "S3 PutObject",
            "DynamoDB GetItem",
            "DynamoDB PutItem",
            "DynamoDB UpdateItem",
            "SNS Publish",
            "SQS SendMessage",
            "EventBridge PutEvents",
            "Bedrock InvokeModel",
            "ECS RunTask",
            "Glue StartJobRun",
            "Athena StartQueryExecution",
            "Step Functions StartExecution",
            "HTTP Task",
            "AWS SDK call",
        ] {
            assert!(names.contains(&want), "{want}");
        }
        let ids: BTreeSet<_> = catalog().iter().map(|e| e.id).collect();
        assert_eq!(ids.len(), catalog().len(), "unique ids");
        for e in catalog() {
            assert!(
                !e.description.is_empty() && e.description.ends_with('.'),
                "{}",
                e.id
            );
            assert!(e.docs.starts_with(DOCS), "{}", e.id);
            assert_eq!(e.is_flow(), e.patterns.is_empty(), "{}", e.id);
        }
    }

    /// One row of AWS's support matrix: entry id → resource for each pattern (None = unsupported).
    fn check_patterns(id: &str, rr: Option<&str>, sync: Option<&str>, wait: Option<&str>) {
        let e = find(id).unwrap();
        assert_eq!(
            e.resource_for(Pattern::RequestResponse).as_deref(),
            rr,
            "{id} request-response"
        );
        assert_eq!(e.resource_for(Pattern::Sync).as_deref(), sync, "{id} .sync");
        assert_eq!(
            e.resource_for(Pattern::WaitForTaskToken).as_deref(),
            wait,
            "{id} .waitForTaskToken"
        );
    }

    #[test]
    fn integration_patterns_follow_aws() {
        check_patterns(
            "lambda:invoke",
            Some("arn:aws:states:::lambda:invoke"),
            None,
            Some("arn:aws:states:::lambda:invoke.waitForTaskToken"),
        );
        check_patterns(
            "dynamodb:getItem",
            Some("arn:aws:states:::dynamodb:getItem"),
            None,
            None,
        );
        check_patterns(
            "dynamodb:updateItem",
            Some("arn:aws:states:::dynamodb:updateItem"),
            None,
            None,
        );
        check_patterns(
            "sns:publish",
            Some("arn:aws:states:::sns:publish"),
            None,
            Some("arn:aws:states:::sns:publish.waitForTaskToken"),
        );
        check_patterns(
            "sqs:sendMessage",
            Some("arn:aws:states:::sqs:sendMessage"),
            None,
            Some("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
        );
        check_patterns(
            "events:putEvents",
            Some("arn:aws:states:::events:putEvents"),
            None,
            Some("arn:aws:states:::events:putEvents.waitForTaskToken"),
        );
        check_patterns(
            "bedrock:invokeModel",
            Some("arn:aws:states:::bedrock:invokeModel"),
            None,
            Some("arn:aws:states:::bedrock:invokeModel.waitForTaskToken"),
        );
        check_patterns(
            "ecs:runTask",
            Some("arn:aws:states:::ecs:runTask"),
            Some("arn:aws:states:::ecs:runTask.sync"),
            Some("arn:aws:states:::ecs:runTask.waitForTaskToken"),
        );
        check_patterns(
            "glue:startJobRun",
            Some("arn:aws:states:::glue:startJobRun"),
            Some("arn:aws:states:::glue:startJobRun.sync"),
            None,
        );
        check_patterns(
            "athena:startQueryExecution",
            Some("arn:aws:states:::athena:startQueryExecution"),
            Some("arn:aws:states:::athena:startQueryExecution.sync"),
            None,
        );
        check_patterns(
            "states:startExecution",
            Some("arn:aws:states:::states:startExecution"),
            Some("arn:aws:states:::states:startExecution.sync:2"),
            Some("arn:aws:states:::states:startExecution.waitForTaskToken"),
        );
        check_patterns(
            "http:invoke",
            Some("arn:aws:states:::http:invoke"),
            None,
            None,
        );
        check_patterns(
            "s3:getObject",
            Some("arn:aws:states:::aws-sdk:s3:getObject"),
            None,
            Some("arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken"),
        );
        check_patterns("flow:pass", None, None, None);
    }

    #[test]
    fn templates_use_the_query_language_idioms() {
        let taken = BTreeSet::new();
        for e in catalog().iter().filter(|e| !e.is_flow()) {
            for &pattern in e.patterns {
                for ql in [QueryLanguage::JSONPath, QueryLanguage::JSONata] {
                    let opts = NewStateOptions {
                        pattern: Some(pattern),
                        query_language: ql,
                        ..Default::default()
                    };
                    let s = new_state(e, &opts, &taken).unwrap().state;
                    let text = s.to_string();
                    match ql {
                        QueryLanguage::JSONPath => {
                            assert!(
                                s.get("Parameters").is_some() && s.get("Arguments").is_none(),
                                "{}",
                                e.id
                            );
                            assert!(!text.contains("{%"), "{} {text}", e.id);
                        }
                        QueryLanguage::JSONata => {
                            assert!(
                                s.get("Arguments").is_some() && s.get("Parameters").is_none(),
                                "{}",
                                e.id
                            );
                            assert!(!text.contains(".$\""), "{} {text}", e.id);
                        }
                    }
                    assert_eq!(
                        text.contains("Task.Token"),
                        pattern == Pattern::WaitForTaskToken
                            && !["s3:getObject", "bedrock:invokeModel", "aws-sdk"].contains(&e.id),
                        "{} {pattern:?}: {text}",
                        e.id
                    );
                }
            }
        }
        let lambda = new_state(
            find("lambda:invoke").unwrap(),
            &NewStateOptions::default(),
            &taken,
        )
        .unwrap();
        assert_eq!(
            lambda.state,
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:$LATEST", "Payload.$": "$"},
                   "OutputPath": "$.Payload",
                   "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                              "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"}]})
        );
        let sns = new_state(
            find("sns:publish").unwrap(),
            &NewStateOptions {
                pattern: Some(Pattern::WaitForTaskToken),
                query_language: QueryLanguage::JSONata,
                mark_query_language: true,
                ..Default::default()
            },
            &taken,
        )
        .unwrap();
        assert_eq!(
            sns.state.to_string(),
            json!({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                   "Arguments": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:MyTopic",
                                 "Message": {"Input": "{% $states.input %}", "TaskToken": "{% $states.context.Task.Token %}"}},
                   "TimeoutSeconds": 3600}).to_string()
        );
    }

    #[test]
    fn unsupported_patterns_and_sdk_actions() {
        let taken = BTreeSet::new();
        let err = new_state(
            find("dynamodb:getItem").unwrap(),
            &NewStateOptions {
                pattern: Some(Pattern::Sync),
                ..Default::default()
            },
            &taken,
        );
        assert_eq!(
            err.clone().unwrap_err().to_string(),
            "DynamoDB GetItem does not support \"Run a job (.sync)\""
        );
        assert!(err.is_err());
        let sdk = find("aws-sdk").unwrap();
        let opts = NewStateOptions {
            sdk_action: Some(("ec2".into(), "describeInstances".into())),
            ..Default::default()
        };
        let s = new_state(sdk, &opts, &taken).unwrap();
        assert_eq!(
            s.state["Resource"],
            json!("arn:aws:states:::aws-sdk:ec2:describeInstances")
        );
        assert_eq!(
            new_state(sdk, &NewStateOptions::default(), &taken)
                .unwrap()
                .state["Resource"],
            json!("arn:aws:states:::aws-sdk:s3:listBuckets")
        );
        let sync = NewStateOptions {
            pattern: Some(Pattern::Sync),
            ..opts
        };
        assert!(new_state(sdk, &sync, &taken).is_err());
    }

    #[test]
    fn names_are_unique_including_nested_states() {
        let mut doc = Document::new(
            r#"{"StartAt": "Parallel", "States": {"Parallel": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Branch 1", "States": {"Branch 1": {"Type": "Pass", "End": true}}}]}}}"#,
        );
        let p = new_state(
            find("flow:parallel").unwrap(),
            &NewStateOptions::default(),
            &doc.state_names(),
        )
        .unwrap();
        assert_eq!(p.name, "Parallel 2");
        assert_eq!(p.state["Branches"][0]["StartAt"], json!("Branch 2"));
        assert_eq!(p.state["Branches"][1]["StartAt"], json!("Branch 3"));
        let m = new_state(
            find("flow:map").unwrap(),
            &NewStateOptions {
                name: Some("Each order".into()),
                ..Default::default()
            },
            &doc.state_names(),
        )
        .unwrap();
        assert_eq!(m.name, "Each order");
        assert_eq!(m.state["ItemProcessor"]["StartAt"], json!("Process item"));
        assert_eq!(
            m.state["ItemProcessor"]["ProcessorConfig"],
            json!({"Mode": "INLINE"})
        );
        // the built states go straight into the document and validate as a flow
        for s in [p, m] {
            apply(
                &mut doc,
                Edit::AddState {
                    scope: vec![],
                    name: s.name,
                    state: s.state,
                    after: Some("Parallel".into()),
                },
            )
            .unwrap();
        }
        let graph = doc.graph();
        assert_eq!(graph.nodes.len(), 7);
        assert_eq!(doc.state_names().len(), 7, "all names unique");
        let c = new_state(
            find("flow:choice").unwrap(),
            &NewStateOptions {
                next: Some("Parallel".into()),
                query_language: QueryLanguage::JSONata,
                ..Default::default()
            },
            &doc.state_names(),
        )
        .unwrap();
        assert_eq!(
            c.state,
            json!({"Type": "Choice", "Choices": [{"Condition": "{% $states.input.status = 'DONE' %}", "Next": "Parallel"}], "Default": "Parallel"})
        );
    }
}
