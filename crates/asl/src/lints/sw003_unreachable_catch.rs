//! SW003 — a Catch (or Retry) entry that can never fire.
//!
//! **What it finds:** a catcher or retrier whose every error name is already handled by an earlier
//! entry of the same list (`States.ALL` and `States.TaskFailed` cover the errors they match), and
//! catchers of `States.HeartbeatTimeout` on a Task with no HeartbeatSeconds.
//!
//! **Why:** Step Functions uses the first entry that matches, so a shadowed entry is dead code;
//! its recovery path (and its Next state) is never taken, which is usually a mistake in order.
//!
//! **Example:**
//! ```json
//! "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Generic"},
//!           {"ErrorEquals": ["MyError"], "Next": "Specific"}]
//! ```
//! Put the specific catcher first.

use super::{State, covers, error_names};
use crate::validate::{Ctx, index, key};

pub const CODE: &str = "SW003";
pub const SUMMARY: &str = "Catch or Retry entry that can never fire";

pub(crate) fn check(ctx: &mut Ctx, state: &State) {
    for (list_name, what) in [("Catch", "catcher"), ("Retry", "retrier")] {
        let Some(list) = state.node.get(list_name) else {
            continue;
        };
        let state_path = state.path();
        let list_path = key(&state_path, list_name);
        for (i, entry) in list.items().iter().enumerate() {
            let names = error_names(entry);
            if names.is_empty() {
                continue;
            }
            let shadowed_by = list.items().iter().take(i).position(|earlier| {
                let earlier_names = error_names(earlier);
                names
                    .iter()
                    .all(|n| earlier_names.iter().any(|l| covers(l, n)))
            });
            if let Some(j) = shadowed_by {
                ctx.warning(
                    CODE,
                    format!(
                        "This {what} of '{}' can never fire: {what} #{j} before it already handles [{}]",
                        state.name,
                        names.join(", ")
                    ),
                    &index(&list_path, i),
                    entry,
                );
                continue;
            }
            if list_name == "Catch"
                && state.ty() == "Task"
                && names.iter().all(|n| *n == "States.HeartbeatTimeout")
                && state.node.get("HeartbeatSeconds").is_none()
                && state.node.get("HeartbeatSecondsPath").is_none()
            {
                ctx.warning(
                    CODE,
                    format!(
                        "This catcher can never fire: Task '{}' has no HeartbeatSeconds, so States.HeartbeatTimeout cannot occur",
                        state.name
                    ),
                    &index(&list_path, i),
                    entry,
                );
            }
        }
    }
}
