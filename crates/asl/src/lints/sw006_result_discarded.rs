//! SW006 — a ResultPath or OutputPath that throws away the state's result.
//!
//! **What it finds:** in a JSONPath Task, Parallel or Map: `ResultPath: null` together with a
//! ResultSelector (the selection is computed, then discarded), or an OutputPath that selects a part
//! of the input that does not contain the ResultPath (the result is written, then dropped).
//!
//! **Why:** the state does its work, and the next state never sees the result; usually a typo in
//! one of the two paths.
//!
//! **Example:**
//! ```json
//! {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
//!  "ResultPath": "$.lambda", "OutputPath": "$.order", "End": true}
//! ```
//! Either write the result under `$.order` or output `$` / `$.lambda`.

use super::State;
use crate::syntax::Node;
use crate::validate::{Ctx, key};

pub const CODE: &str = "SW006";
pub const SUMMARY: &str = "ResultPath or OutputPath discards the state's result";

/// Split a simple dotted reference path (`$.a.b`) into its names; None for anything fancier.
fn names(path: &str) -> Option<Vec<&str>> {
    if path == "$" {
        return Some(Vec::new());
    }
    let rest = path.strip_prefix("$.")?;
    let parts: Vec<&str> = rest.split('.').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && !p.contains(['[', '*', '(', '?']))
        .then_some(parts)
}

pub(crate) fn check(ctx: &mut Ctx, state: &State) {
    if !matches!(state.ty(), "Task" | "Parallel" | "Map") {
        return;
    }
    if state
        .node
        .get("QueryLanguage")
        .and_then(Node::as_str)
        .is_some_and(|q| q != "JSONPath")
    {
        return;
    }
    let Some(result_path) = state.node.get("ResultPath") else {
        return;
    };
    let state_path = state.path();
    let rp = key(&state_path, "ResultPath");
    if result_path.is_null() {
        if state.node.get("ResultSelector").is_some() {
            ctx.warning(
                CODE,
                format!(
                    "'{}' computes a ResultSelector but ResultPath is null, so the selected result is discarded",
                    state.name
                ),
                &rp,
                result_path,
            );
        }
        return;
    }
    let (Some(result), Some(output)) = (
        result_path.as_str().and_then(names),
        state
            .node
            .get("OutputPath")
            .and_then(Node::as_str)
            .and_then(names),
    ) else {
        return;
    };
    let overlaps = output.iter().zip(result.iter()).all(|(a, b)| a == b);
    if !overlaps {
        ctx.warning(
            CODE,
            format!(
                "'{}' writes its result to {} but OutputPath {} selects another part of the input, so the result is discarded",
                state.name,
                result_path.as_str().unwrap_or(""),
                state.node.get("OutputPath").and_then(Node::as_str).unwrap_or("")
            ),
            &rp,
            result_path,
        );
    }
}
