//! TestState's mock `fieldValidationMode`: the output shapes (from the AWS API models) of the common service
//! integrations, and the check AWS runs on a mocked result (STRICT: types, ranges, enums and required fields;
//! PRESENT: only the fields present; NONE: nothing). Fields the API does not define are allowed.

use serde_json::Value;

/// One shape of an AWS API model, reduced to what mock validation checks.
#[derive(Debug, Clone)]
pub enum Shape {
    Any,
    Str {
        min: Option<usize>,
        max: Option<usize>,
        values: &'static [&'static str],
    },
    /// integer/long with an optional range
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// double/float
    Num,
    Bool,
    /// base64 text with a minimum length in bytes
    Blob {
        min: Option<usize>,
    },
    Timestamp,
    List(Box<Shape>),
    Map(Box<Shape>),
    Struct(Vec<Member>),
}

/// A member of a structure.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
}

fn m(name: &'static str, shape: Shape) -> Member {
    Member {
        name,
        shape,
        required: false,
    }
}

fn req(name: &'static str, shape: Shape) -> Member {
    Member {
        name,
        shape,
        required: true,
    }
}

fn s() -> Shape {
    Shape::Str {
        min: None,
        max: None,
        values: &[],
    }
}

fn s_len(min: usize, max: usize) -> Shape {
    Shape::Str {
        min: Some(min),
        max: Some(max),
        values: &[],
    }
}

fn e(values: &'static [&'static str]) -> Shape {
    Shape::Str {
        min: None,
        max: None,
        values,
    }
}

fn int() -> Shape {
    Shape::Int {
        min: None,
        max: None,
    }
}

fn capacity() -> Shape {
    Shape::Struct(vec![
        m("ReadCapacityUnits", Shape::Num),
        m("WriteCapacityUnits", Shape::Num),
        m("CapacityUnits", Shape::Num),
    ])
}

fn dynamodb_output() -> Shape {
    Shape::Struct(vec![
        m("Attributes", Shape::Map(Box::new(Shape::Any))),
        m("Item", Shape::Map(Box::new(Shape::Any))),
        m(
            "ConsumedCapacity",
            Shape::Struct(vec![
                m("TableName", s()),
                m("CapacityUnits", Shape::Num),
                m("ReadCapacityUnits", Shape::Num),
                m("WriteCapacityUnits", Shape::Num),
                m("Table", capacity()),
                m("LocalSecondaryIndexes", Shape::Map(Box::new(capacity()))),
                m("GlobalSecondaryIndexes", Shape::Map(Box::new(capacity()))),
            ]),
        ),
        m(
            "ItemCollectionMetrics",
            Shape::Struct(vec![
                m("ItemCollectionKey", Shape::Map(Box::new(Shape::Any))),
                m("SizeEstimateRangeGB", Shape::List(Box::new(Shape::Num))),
            ]),
        ),
    ])
}

const STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "OUTPOSTS",
    "GLACIER_IR",
    "SNOW",
    "EXPRESS_ONEZONE",
    "FSX_OPENZFS",
];

/// The output shape of a Task's resource, when Statewright knows it.
pub fn output_shape(resource: &str) -> Option<Shape> {
    let rest = resource.strip_prefix("arn:aws:states:::")?;
    let base = rest
        .trim_end_matches(".waitForTaskToken")
        .trim_end_matches(".sync:2")
        .trim_end_matches(".sync");
    Some(match base {
        "lambda:invoke" => Shape::Struct(vec![
            m("StatusCode", int()),
            m("FunctionError", s()),
            m("LogResult", s()),
            m("Payload", Shape::Any),
            m("ExecutedVersion", s_len(1, 1024)),
        ]),
        "states:startExecution" if !rest.contains(".sync") => Shape::Struct(vec![
            req("ExecutionArn", s_len(1, 256)),
            req("StartDate", Shape::Timestamp),
        ]),
        "states:startExecution" => Shape::Struct(vec![
            req("ExecutionArn", s_len(1, 256)),
            req("StateMachineArn", s_len(1, 256)),
            m("Name", s_len(1, 80)),
            req(
                "Status",
                e(&[
                    "RUNNING",
                    "SUCCEEDED",
                    "FAILED",
                    "TIMED_OUT",
                    "ABORTED",
                    "PENDING_REDRIVE",
                ]),
            ),
            req("StartDate", Shape::Timestamp),
            m("StopDate", Shape::Timestamp),
            m("Input", s()),
            m("Output", s()),
            m("Error", s()),
            m("Cause", s()),
        ]),
        "events:putEvents" => Shape::Struct(vec![
            m("FailedEntryCount", int()),
            m(
                "Entries",
                Shape::List(Box::new(Shape::Struct(vec![
                    m("EventId", s()),
                    m("ErrorCode", s()),
                    m("ErrorMessage", s()),
                ]))),
            ),
        ]),
        "dynamodb:putItem" | "dynamodb:getItem" | "dynamodb:updateItem" | "dynamodb:deleteItem" => {
            dynamodb_output()
        }
        "sqs:sendMessage" => Shape::Struct(vec![
            m("MD5OfMessageBody", s()),
            m("MD5OfMessageAttributes", s()),
            m("MD5OfMessageSystemAttributes", s()),
            m("MessageId", s()),
            m("SequenceNumber", s()),
        ]),
        "sns:publish" => Shape::Struct(vec![m("MessageId", s()), m("SequenceNumber", s())]),
        "aws-sdk:kms:encrypt" => Shape::Struct(vec![
            m("CiphertextBlob", Shape::Blob { min: Some(1) }),
            m("KeyId", s_len(1, 2048)),
            m(
                "EncryptionAlgorithm",
                e(&[
                    "SYMMETRIC_DEFAULT",
                    "RSAES_OAEP_SHA_1",
                    "RSAES_OAEP_SHA_256",
                    "SM2PKE",
                ]),
            ),
        ]),
        "aws-sdk:s3:getObject" | "aws-sdk:s3:headObject" => Shape::Struct(vec![
            m("Body", Shape::Any),
            m("DeleteMarker", Shape::Bool),
            m("AcceptRanges", s()),
            m("Expiration", s()),
            m("LastModified", Shape::Timestamp),
            m("ContentLength", int()),
            m("ETag", s()),
            m("MissingMeta", int()),
            m("VersionId", s()),
            m("CacheControl", s()),
            m("ContentDisposition", s()),
            m("ContentEncoding", s()),
            m("ContentLanguage", s()),
            m("ContentRange", s()),
            m("ContentType", s()),
            m("WebsiteRedirectLocation", s()),
            m(
                "ServerSideEncryption",
                e(&["AES256", "aws:kms", "aws:kms:dsse"]),
            ),
            m("Metadata", Shape::Map(Box::new(s()))),
            m("BucketKeyEnabled", Shape::Bool),
            m("StorageClass", e(STORAGE_CLASSES)),
            m("PartsCount", int()),
            m("TagCount", int()),
        ]),
        "aws-sdk:lambda:getFunction" => Shape::Struct(vec![
            m(
                "Configuration",
                Shape::Struct(vec![
                    m("FunctionName", s_len(1, 170)),
                    m("FunctionArn", s()),
                    m("Runtime", s()),
                    m("Role", s()),
                    m("Handler", s_len(0, 128)),
                    m("CodeSize", int()),
                    m("Description", s_len(0, 256)),
                    m(
                        "Timeout",
                        Shape::Int {
                            min: Some(1),
                            max: None,
                        },
                    ),
                    m(
                        "MemorySize",
                        Shape::Int {
                            min: Some(128),
                            max: Some(10240),
                        },
                    ),
                    m("LastModified", s()),
                    m("CodeSha256", s()),
                    m("Version", s_len(1, 1024)),
                ]),
            ),
            m(
                "Code",
                Shape::Struct(vec![
                    m("RepositoryType", s()),
                    m("Location", s()),
                    m("ImageUri", s()),
                    m("ResolvedImageUri", s()),
                ]),
            ),
            m("Tags", Shape::Map(Box::new(s()))),
            m(
                "Concurrency",
                Shape::Struct(vec![m(
                    "ReservedConcurrentExecutions",
                    Shape::Int {
                        min: Some(0),
                        max: None,
                    },
                )]),
            ),
        ]),
        _ => return None,
    })
}

/// Validate a mocked result against `shape`; `strict` also requires the required fields. The error is AWS's
/// message, e.g. `Mock result schema validation error: Field 'StatusCode' must be a number`.
pub fn validate(shape: &Shape, value: &Value, strict: bool) -> Result<(), String> {
    check(shape, value, "", strict, 0)
        .map_err(|m| format!("Mock result schema validation error: {m}"))
}

fn check(shape: &Shape, v: &Value, name: &str, strict: bool, depth: usize) -> Result<(), String> {
    if depth > 32 {
        return Ok(());
    }
    let field = |what: &str| format!("Field '{name}' {what}");
    match shape {
        Shape::Any => Ok(()),
        Shape::Str { min, max, values } => {
            let Some(t) = v.as_str() else {
                return Err(field("must be a string"));
            };
            let n = t.chars().count();
            if min.is_some_and(|m| n < m) {
                return Err(field("is smaller than the minimum length"));
            }
            if max.is_some_and(|m| n > m) {
                return Err(field("exceeds the maximum length"));
            }
            if !values.is_empty() && !values.contains(&t) {
                return Err(field("is not an expected value"));
            }
            Ok(())
        }
        Shape::Int { min, max } => {
            let Some(n) = v.as_f64().filter(|_| v.is_number()) else {
                return Err(field("must be a number"));
            };
            if min.is_some_and(|m| n < m as f64) {
                return Err(field("is less than the minimum value"));
            }
            if max.is_some_and(|m| n > m as f64) {
                return Err(field("exceeds the maximum value"));
            }
            Ok(())
        }
        Shape::Num => {
            if v.is_number() {
                Ok(())
            } else {
                Err(field("must be a number"))
            }
        }
        Shape::Bool => {
            if v.is_boolean() {
                Ok(())
            } else {
                Err(field("must be a boolean"))
            }
        }
        Shape::Blob { min } => {
            let Some(t) = v.as_str() else {
                return Err(field("must be a string"));
            };
            if min.is_some_and(|m| t.len() < m) {
                return Err(field("is smaller than the minimum length"));
            }
            Ok(())
        }
        Shape::Timestamp => {
            if v.is_string() {
                Ok(())
            } else {
                Err(field("must be a string"))
            }
        }
        Shape::List(item) => {
            let Some(a) = v.as_array() else {
                return Err(field("must be an array"));
            };
            for x in a {
                check(item, x, name, strict, depth + 1)?;
            }
            Ok(())
        }
        Shape::Map(item) => {
            let Some(o) = v.as_object() else {
                return Err(field("must be an object"));
            };
            for x in o.values() {
                check(item, x, name, strict, depth + 1)?;
            }
            Ok(())
        }
        Shape::Struct(members) => {
            let Some(o) = v.as_object() else {
                return Err(if name.is_empty() {
                    "The mocked result must be a JSON object".to_string()
                } else {
                    field("must be an object")
                });
            };
            for mem in members {
                match o.get(mem.name) {
                    Some(x) => check(&mem.shape, x, mem.name, strict, depth + 1)?,
                    None if strict && mem.required => {
                        return Err(format!("Required field '{}' is missing", mem.name));
                    }
                    None => {}
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check_mock(resource: &str, result: Value, strict: bool) -> Result<(), String> {
        let shape = output_shape(resource).ok_or("unknown resource")?;
        validate(&shape, &result, strict)
    }

    #[test]
    fn mock_results_are_checked_like_aws() {
        let prefix = "Mock result schema validation error: ";
        for (resource, result, strict, expected) in [
            (
                "arn:aws:states:::lambda:invoke",
                json!({"StatusCode": "200"}),
                true,
                Some("Field 'StatusCode' must be a number"),
            ),
            (
                "arn:aws:states:::lambda:invoke",
                json!({"StatusCode": 200, "Payload": {"a": 1}, "Extra": 1}),
                true,
                None,
            ),
            (
                "arn:aws:states:::events:putEvents",
                json!({"Entries": [{"EventId": "a"}, {"EventId": 1}]}),
                true,
                Some("Field 'EventId' must be a string"),
            ),
            (
                "arn:aws:states:::events:putEvents",
                json!({"random": "json"}),
                true,
                None,
            ),
            (
                "arn:aws:states:::states:startExecution",
                json!({}),
                true,
                Some("Required field 'ExecutionArn' is missing"),
            ),
            (
                "arn:aws:states:::states:startExecution",
                json!({}),
                false,
                None,
            ),
            (
                "arn:aws:states:::states:startExecution",
                json!({"ExecutionArn": "a", "StartDate": true}),
                false,
                Some("Field 'StartDate' must be a string"),
            ),
            (
                "arn:aws:states:::aws-sdk:kms:encrypt",
                json!({"CiphertextBlob": ""}),
                true,
                Some("Field 'CiphertextBlob' is smaller than the minimum length"),
            ),
            (
                "arn:aws:states:::aws-sdk:lambda:getFunction",
                json!({"Configuration": {"MemorySize": 127}}),
                true,
                Some("Field 'MemorySize' is less than the minimum value"),
            ),
            (
                "arn:aws:states:::aws-sdk:lambda:getFunction",
                json!({"Configuration": {"MemorySize": 10241}}),
                true,
                Some("Field 'MemorySize' exceeds the maximum value"),
            ),
            (
                "arn:aws:states:::aws-sdk:s3:getObject",
                json!({"StorageClass": "NOPE"}),
                true,
                Some("Field 'StorageClass' is not an expected value"),
            ),
            (
                "arn:aws:states:::dynamodb:putItem",
                json!({"ConsumedCapacity": {"CapacityUnits": "1.5"}}),
                true,
                Some("Field 'CapacityUnits' must be a number"),
            ),
        ] {
            let got = check_mock(resource, result.clone(), strict);
            assert_eq!(
                got,
                expected.map(|m| format!("{prefix}{m}")).map_or(Ok(()), Err),
                "{resource} {result}"
            );
        }
        assert!(output_shape("arn:aws:states:::aws-sdk:unknown:op").is_none());
    }
}
