//! The state graph: missing transition targets, unreachable states, a terminal state, and state
//! names unique across the whole definition (nested branches and processors included).

use super::{Ctx, Path, index, key};
use super::{FastMap as HashMap, FastSet as HashSet};
use crate::Severity;
use crate::syntax::{Member, Node};
use std::collections::VecDeque;

/// Every state name seen so far in the definition.
#[derive(Default)]
pub struct NameRegistry<'n> {
    seen: HashSet<&'n str>,
}

impl<'n> NameRegistry<'n> {
    pub fn register(&mut self, ctx: &mut Ctx, name: &'n str, path: &Path, member: &Member) {
        if !self.seen.insert(name) {
            ctx.report(
                Severity::Error,
                "DUPLICATE_STATE_NAME",
                format!("Duplicate State name: {name}"),
                path.location(),
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
    node: &'n Node<'n>,
    target: &'n str,
}

impl Edge<'_> {
    fn location(&self, state_path: &Path) -> String {
        match self.list {
            None => key(state_path, self.field).location(),
            Some((list, i)) => key(&index(&key(state_path, list), i), self.field).location(),
        }
    }
}

fn edges<'n>(state: &'n Node, out: &mut Vec<Edge<'n>>) {
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
}

fn is_terminal(state: &Node) -> bool {
    matches!(
        state.get("Type").and_then(Node::as_str),
        Some("Succeed" | "Fail")
    ) || state.get("End").is_some_and(|e| e.as_bool() != Some(false))
}

/// Check the transitions of one machine's `States`.
pub fn check_transitions(ctx: &mut Ctx, machine: &Node, path: &Path, top: bool) {
    let Some(states) = machine.get("States").filter(|s| s.is_object()) else {
        return;
    };
    let states_path = key(path, "States");
    let members = states.members();
    // Each name to the index of its (last) member: states are numbered, and the graph is walked on
    // those numbers.
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    by_name.reserve(members.len());
    for (i, m) in members.iter().enumerate() {
        by_name.insert(m.key(), i);
    }
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
    // Adjacency as one flat list: the targets of member `i` are `targets[first[i]..first[i + 1]]`.
    let mut targets: Vec<usize> = Vec::with_capacity(members.len() * 2);
    let mut first: Vec<usize> = Vec::with_capacity(members.len() + 1);
    let mut out = Vec::new();
    for m in members {
        first.push(targets.len());
        edges(&m.value, &mut out);
        for e in out.drain(..) {
            if let Some(&j) = by_name.get(e.target) {
                targets.push(j);
            } else {
                let state_path = key(&states_path, &m.key);
                ctx.report(
                    Severity::Error,
                    "MISSING_TRANSITION_TARGET",
                    format!("Missing 'Next' target: {}", e.target),
                    e.location(&state_path),
                    e.node.start,
                    e.node.end,
                );
            }
        }
    }
    first.push(targets.len());
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
    let mut reached = vec![false; members.len()];
    let mut queue = VecDeque::new();
    if let Some(&i) = by_name.get(start_name) {
        reached[i] = true;
        queue.push_back(i);
    }
    while let Some(s) = queue.pop_front() {
        let range = first.get(s).copied().unwrap_or(0)..first.get(s + 1).copied().unwrap_or(0);
        for &t in targets.get(range).unwrap_or(&[]) {
            if let Some(r) = reached.get_mut(t)
                && !*r
            {
                *r = true;
                queue.push_back(t);
            }
        }
    }
    let mut reported = vec![false; members.len()];
    for m in members {
        let Some(&i) = by_name.get(m.key()) else {
            continue;
        };
        if !reached.get(i).copied().unwrap_or(true) && !reported.get(i).copied().unwrap_or(true) {
            if let Some(r) = reported.get_mut(i) {
                *r = true;
            }
            ctx.report(
                Severity::Error,
                "MISSING_TRANSITION_TARGET",
                format!("State \"{}\" is not reachable.", m.key),
                key(&states_path, &m.key).location(),
                m.key_start,
                m.key_end,
            );
        }
    }
}
