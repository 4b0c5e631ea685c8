//! SW005 — a Map with unlimited concurrency that calls services for each item.
//!
//! **What it finds:** a Map state with no MaxConcurrency (or `0`, which means no limit) whose
//! iterations run a Task, or which reads its items with an ItemReader (typically large S3 input).
//!
//! **Why:** with a large input every item starts at once (inline Maps up to 40 at a time, distributed
//! ones up to 10,000): downstream Lambdas and APIs throttle, and the Map fails or retries expensively.
//!
//! **Example:**
//! ```json
//! {"Type": "Map", "ItemsPath": "$.orders", "ItemProcessor": {"StartAt": "Charge", "States":
//!   {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
//!  "End": true}
//! ```
//! Set `"MaxConcurrency": 10` (or MaxConcurrencyPath) to what the service can take.

use super::State;
use crate::syntax::Node;
use crate::validate::Ctx;

pub const CODE: &str = "SW005";
pub const SUMMARY: &str = "Map with unlimited concurrency over service calls";

fn runs_task(processor: &Node) -> bool {
    // Iterative search through nested machines.
    let mut todo = vec![processor];
    while let Some(m) = todo.pop() {
        for s in m.get("States").map(Node::members).unwrap_or(&[]) {
            match s.value.get("Type").and_then(Node::as_str) {
                Some("Task") => return true,
                Some("Parallel") => {
                    todo.extend(s.value.get("Branches").map(Node::items).unwrap_or(&[]))
                }
                _ => {}
            }
        }
    }
    false
}

pub(crate) fn check(ctx: &mut Ctx, state: &State) {
    if state.ty() != "Map" {
        return;
    }
    let limited = state.node.get("MaxConcurrencyPath").is_some()
        || state
            .node
            .get("MaxConcurrency")
            .is_some_and(|m| m.as_i64_saturating() != Some(0));
    if limited {
        return;
    }
    let processor = state
        .node
        .get("ItemProcessor")
        .or_else(|| state.node.get("Iterator"));
    let reads = state.node.get("ItemReader").is_some();
    if reads || processor.is_some_and(runs_task) {
        ctx.warning(
            CODE,
            format!(
                "Map '{}' has no MaxConcurrency: over a large input every iteration {} at once; set MaxConcurrency to what the downstream service can take",
                state.name,
                if reads { "reads and runs" } else { "calls its Task" }
            ),
            &state.path(),
            state.node,
        );
    }
}
