//! Statewright's own lints: warnings beyond AWS's rules, each with a stable `SW` code, one rule per
//! module (each documents what it finds, why it matters, and an example). They run only on
//! definitions with no errors, and only ever produce warnings.

mod sw001_unbounded_loop;
mod sw002_lambda_without_retry;
mod sw003_unreachable_catch;
mod sw004_shadowed_choice_rule;
mod sw005_map_unbounded_concurrency;
mod sw006_result_discarded;

use crate::syntax::{Node, PathSeg};
use crate::validate::{Ctx, Path, key};

/// Every lint: its stable code and a one-line summary.
pub const LINTS: &[(&str, &str)] = &[
    (sw001_unbounded_loop::CODE, sw001_unbounded_loop::SUMMARY),
    (
        sw002_lambda_without_retry::CODE,
        sw002_lambda_without_retry::SUMMARY,
    ),
    (
        sw003_unreachable_catch::CODE,
        sw003_unreachable_catch::SUMMARY,
    ),
    (
        sw004_shadowed_choice_rule::CODE,
        sw004_shadowed_choice_rule::SUMMARY,
    ),
    (
        sw005_map_unbounded_concurrency::CODE,
        sw005_map_unbounded_concurrency::SUMMARY,
    ),
    (
        sw006_result_discarded::CODE,
        sw006_result_discarded::SUMMARY,
    ),
];

/// Run every lint over every state machine of the definition (nested ones included).
pub(crate) fn run(ctx: &mut Ctx, root: &Node) {
    for machine in machines(root) {
        sw001_unbounded_loop::check(ctx, &machine);
        for state in machine.states() {
            sw002_lambda_without_retry::check(ctx, &state);
            sw003_unreachable_catch::check(ctx, &state);
            sw004_shadowed_choice_rule::check(ctx, &state);
            sw005_map_unbounded_concurrency::check(ctx, &state);
            sw006_result_discarded::check(ctx, &state);
        }
    }
}

/// One state machine (top level, a branch or a Map processor) and where it is.
pub(crate) struct Machine<'n> {
    pub node: &'n Node<'n>,
    pub path: Vec<PathSeg>,
}

/// One state and where it is (its path is built only when a lint reports).
pub(crate) struct State<'n> {
    pub name: &'n str,
    pub node: &'n Node<'n>,
    machine_path: &'n [PathSeg],
}

impl<'n> Machine<'n> {
    pub fn states<'m>(&'m self) -> Vec<State<'m>>
    where
        'n: 'm,
    {
        self.node
            .get("States")
            .map(|s| {
                s.members()
                    .iter()
                    .map(|m| State {
                        name: m.key(),
                        node: &m.value,
                        machine_path: &self.path,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl State<'_> {
    /// `/States/<name>` under the machine's path.
    pub fn path(&self) -> Path<'_> {
        Path::State(self.machine_path, self.name)
    }

    pub fn ty(&self) -> &str {
        self.node.get("Type").and_then(Node::as_str).unwrap_or("")
    }
}

/// Every machine in the definition, found without recursion.
fn machines<'a>(root: &'a Node<'_>) -> Vec<Machine<'a>> {
    let mut out = Vec::new();
    let mut todo = vec![Machine {
        node: root,
        path: Vec::new(),
    }];
    while let Some(m) = todo.pop() {
        let base = Path::Base(&m.path);
        let states_path = key(&base, "States");
        for member in m.node.get("States").map(Node::members).unwrap_or(&[]) {
            let state = &member.value;
            if state.get("Branches").is_none()
                && state.get("ItemProcessor").is_none()
                && state.get("Iterator").is_none()
            {
                continue;
            }
            let state_path = key(&states_path, &member.key);
            if let Some(branches) = state.get("Branches") {
                let bp = key(&state_path, "Branches");
                for (i, b) in branches.items().iter().enumerate() {
                    todo.push(Machine {
                        node: b,
                        path: crate::validate::index(&bp, i).segs(),
                    });
                }
            }
            for f in ["ItemProcessor", "Iterator"] {
                if let Some(p) = state.get(f) {
                    todo.push(Machine {
                        node: p,
                        path: key(&state_path, f).segs(),
                    });
                }
            }
        }
        out.push(m);
    }
    out
}

/// The error names a retrier or catcher lists.
pub(crate) fn error_names<'a>(entry: &'a Node<'_>) -> Vec<&'a str> {
    entry
        .get("ErrorEquals")
        .map(|e| e.items().iter().filter_map(Node::as_str).collect())
        .unwrap_or_default()
}

/// Whether a list entry catching `listed` also covers error `name`.
pub(crate) fn covers(listed: &str, name: &str) -> bool {
    listed == name
        || listed == "States.ALL"
        || (listed == "States.TaskFailed"
            && name != "States.Timeout"
            && !name.starts_with("States.Heartbeat")
            && name != "States.ALL")
}
