//! The state graph: missing transition targets, unreachable states, a terminal state, and state
//! names unique across the whole definition (nested branches and processors included).

use super::{Ctx, index, key};
use super::{FastMap as HashMap, FastSet as HashSet};
use crate::Severity;
use crate::syntax::{Member, Node, PathSeg, aws_location};
use std::collections::VecDeque;

/// Every state name seen so far in the definition.
#[derive(Default)]
pub struct NameRegistry {
    seen: HashSet<String>,
}

impl NameRegistry {
    pub fn register(&mut self, ctx: &mut Ctx, name: &str, path: &[PathSeg], member: &Member) {
        if !self.seen.insert(name.to_string()) {
            ctx.report(
                Severity::Error,
                "DUPLICATE_STATE_NAME",
                format!("Duplicate State name: {name}"),
                aws_location(path),
                member.key_start,
                member.key_end,
            );
        }
    }
}

/// One transition out of a state: the field it is written in (`Next`, `Default`, or `Next` of
/// entry `index` of `Choices`/`Catch`), its node and its target. The path is built only when needed.
struct Edge<'n> {
    list: Option<(&'static str, usize)>,
    field: &'static str,
    node: &'n Node,
    target: &'n str,
}

impl Edge<'_> {
    fn path(&self, state_path: &[PathSeg]) -> Vec<PathSeg> {
        match self.list {
            None => key(state_path, self.field),
            Some((list, i)) => key(&index(&key(state_path, list), i), self.field),
        }
    }
}

fn edges(state: &Node) -> Vec<Edge<'_>> {
    let mut out = Vec::new();
    for field in ["Next", "Default"] {
        if let Some(n) = state.get(field)
            && let Some(t) = n.as_str()
        {
            out.push(Edge {
                list: None,
                field,
                node: n,
                target: t,
            });
        }
    }
    for list in ["Choices", "Catch"] {
        if let Some(items) = state.get(list) {
            for (i, item) in items.items().iter().enumerate() {
                if let Some(n) = item.get("Next")
                    && let Some(t) = n.as_str()
                {
                    out.push(Edge {
                        list: Some((list, i)),
                        field: "Next",
                        node: n,
                        target: t,
                    });
                }
            }
        }
    }
    out
}

fn is_terminal(state: &Node) -> bool {
    matches!(
        state.get("Type").and_then(Node::as_str),
        Some("Succeed" | "Fail")
    ) || state.get("End").is_some_and(|e| e.as_bool() != Some(false))
}

/// Check the transitions of one machine's `States`.
pub fn check_transitions(ctx: &mut Ctx, machine: &Node, path: &[PathSeg], top: bool) {
    let Some(states) = machine.get("States").filter(|s| s.is_object()) else {
        return;
    };
    let states_path = key(path, "States");
    let by_name: HashMap<&str, &Node> = states
        .members()
        .iter()
        .map(|m| (m.key.as_str(), &m.value))
        .collect();
    let start = machine
        .get("StartAt")
        .and_then(|s| s.as_str().map(|t| (s, t)));
    if let Some((node, name)) = start
        && !by_name.contains_key(name)
    {
        ctx.error(
            "MISSING_TRANSITION_TARGET",
            format!("Missing 'Next' target: {name}"),
            &key(path, "StartAt"),
            node,
        );
    }
    let mut adjacency: HashMap<&str, Vec<&str>> = HashMap::default();
    for m in states.members() {
        let mut targets = Vec::new();
        for e in edges(&m.value) {
            if by_name.contains_key(e.target) {
                targets.push(e.target);
            } else {
                let state_path = key(&states_path, &m.key);
                ctx.error(
                    "MISSING_TRANSITION_TARGET",
                    format!("Missing 'Next' target: {}", e.target),
                    &e.path(&state_path),
                    e.node,
                );
            }
        }
        adjacency.insert(m.key.as_str(), targets);
    }
    if top
        && !states.members().is_empty()
        && !states.members().iter().any(|m| is_terminal(&m.value))
    {
        ctx.report(
            Severity::Error,
            "MISSING_END_STATE",
            "Workflow has no terminal state".into(),
            String::new(),
            machine.start,
            machine.start,
        );
        return;
    }
    let Some((_, start_name)) = start else { return };
    let mut reached: HashSet<&str> = HashSet::default();
    let mut queue = VecDeque::new();
    if by_name.contains_key(start_name) {
        reached.insert(start_name);
        queue.push_back(start_name);
    }
    while let Some(s) = queue.pop_front() {
        for t in adjacency.get(s).map(Vec::as_slice).unwrap_or(&[]) {
            if reached.insert(t) {
                queue.push_back(t);
            }
        }
    }
    let mut reported: HashSet<&str> = HashSet::default();
    for m in states.members() {
        if !reached.contains(m.key.as_str()) && reported.insert(m.key.as_str()) {
            ctx.report(
                Severity::Error,
                "MISSING_TRANSITION_TARGET",
                format!("State \"{}\" is not reachable.", m.key),
                aws_location(&key(&states_path, &m.key)),
                m.key_start,
                m.key_end,
            );
        }
    }
}
