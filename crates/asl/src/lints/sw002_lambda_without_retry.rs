//! SW002 — a Lambda Task with no Retry for Lambda's transient errors.
//!
//! **What it finds:** a Task that invokes Lambda (`arn:aws:states:::lambda:invoke` or a function
//! ARN) whose Retry does not cover `Lambda.ServiceException`, `Lambda.AWSLambdaException`,
//! `Lambda.SdkClientException` and `Lambda.TooManyRequestsException`.
//!
//! **Why:** these errors are transient (throttling, service hiccups) and AWS recommends retrying
//! them; without a retrier one throttled invocation fails the whole execution.
//!
//! **Example:**
//! ```json
//! {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
//! ```
//! Add `"Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
//! "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "MaxAttempts": 3,
//! "BackoffRate": 2, "IntervalSeconds": 1}]`.

use super::{State, covers, error_names};
use crate::validate::{Ctx, key};

pub const CODE: &str = "SW002";
pub const SUMMARY: &str = "Lambda Task with no Retry for Lambda's transient errors";

const TRANSIENT: &[&str] = &[
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

fn is_lambda(resource: &str) -> bool {
    resource.starts_with("arn:aws:states:::lambda:invoke")
        || (resource.starts_with("arn:")
            && resource.contains(":lambda:")
            && resource.contains(":function:"))
}

pub(crate) fn check(ctx: &mut Ctx, state: &State) {
    if state.ty() != "Task" {
        return;
    }
    let Some(resource) = state.node.get("Resource") else {
        return;
    };
    if !resource.as_str().is_some_and(is_lambda) {
        return;
    }
    let retriers = state.node.get("Retry").map(|r| r.items()).unwrap_or(&[]);
    let uncovered: Vec<&str> = TRANSIENT
        .iter()
        .copied()
        .filter(|e| {
            !retriers.iter().any(|r| {
                let max_attempts = r
                    .get("MaxAttempts")
                    .and_then(|m| m.as_i64_saturating())
                    .unwrap_or(3);
                max_attempts > 0 && error_names(r).iter().any(|l| covers(l, e))
            })
        })
        .collect();
    if uncovered.is_empty() {
        return;
    }
    ctx.warning(
        CODE,
        format!(
            "Task '{}' invokes Lambda with no Retry for transient errors: {}",
            state.name,
            uncovered.join(", ")
        ),
        &key(&state.path(), "Resource"),
        resource,
    );
}
