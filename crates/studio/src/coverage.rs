//! Coverage of a workflow by runs: which states were entered and which transitions were taken (each
//! `Next`, each Choice rule and the `Default`, each `Catch`), read from execution histories and mapped
//! onto the [`FlowGraph`]'s nodes and edges (the canvas's `data-state` and `data-edge` elements).
//!
//! The history names states but not the transition taken, so a transition is the pair (state exited,
//! next state entered in the same scope): a state left after a failure took a Catch; otherwise a rule,
//! the Default or Next. When several edges of a Choice lead to the same target (two rules, or a rule and
//! the Default), coverage is per rule: the Choice is evaluated again through TestState on the input its
//! `ChoiceStateEntered` event recorded (and the variables assigned before it), with each rule's `Next`
//! renamed to its index, and the rule TestState picks is marked. Without the definition (or if that
//! evaluation fails) the first such edge is counted.

use crate::graph::{EdgeKind, FlowGraph};
use crate::run_view::details::find_state;
use asl::simulate::{Event, Options};
use serde_json::{Map, Value, json};

/// Covered flags per graph node and per graph edge (same indices as [`FlowGraph`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    pub states: Vec<bool>,
    pub edges: Vec<bool>,
}

/// Counts for a summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub states: usize,
    pub states_total: usize,
    pub transitions: usize,
    pub transitions_total: usize,
}

/// A state entered and not yet left.
struct Open {
    node: usize,
    /// A failure of this state was seen since its last attempt started.
    failed: bool,
    attempts: u32,
    container: bool,
    /// For a container: the last state left inside it, waiting for its successor.
    child_pending: Option<(usize, bool)>,
}

impl Coverage {
    /// Nothing covered yet.
    pub fn new(graph: &FlowGraph) -> Coverage {
        Coverage {
            states: vec![false; graph.nodes.len()],
            edges: vec![false; graph.edges.len()],
        }
    }

    /// Coverage of `graph` (drawn from `definition`, which tells Choice rules with one target apart) by
    /// all these histories.
    pub fn of_runs<'a>(
        graph: &FlowGraph,
        definition: Option<&Value>,
        histories: impl IntoIterator<Item = &'a [Event]>,
    ) -> Coverage {
        let mut c = Coverage::new(graph);
        for h in histories {
            c.add(graph, definition, h);
        }
        c
    }

    /// Mark what one history reached.
    pub fn add(&mut self, graph: &FlowGraph, definition: Option<&Value>, events: &[Event]) {
        let mut open: Vec<Open> = Vec::new();
        // The last state left at the top level: (node, left after a failure).
        let mut root_pending: Option<(usize, bool)> = None;
        // Variables assigned so far: the top level's, then one frame per open Map/Parallel.
        let mut frames: Vec<Map<String, Value>> = vec![Map::new()];
        // The input of the Choice state last entered (for telling its rules apart).
        let mut choice_input: Option<(usize, Value)> = None;
        for e in events {
            let kind = e.kind.as_str();
            if kind.ends_with("StateEntered") {
                let Some(name) = e.state_name() else { continue };
                let scope = open.iter().rposition(|o| o.container);
                let parent = scope.and_then(|i| open.get(i)).map(|o| o.node);
                let Some(node) = resolve(graph, name, parent) else {
                    continue;
                };
                let pending = match scope.and_then(|i| open.get_mut(i)) {
                    Some(o) => o.child_pending.take(),
                    None => root_pending.take(),
                };
                if let Some((from, caught)) = pending {
                    let rule = match (&choice_input, definition) {
                        (Some((n, input)), Some(def)) if *n == from && !caught => {
                            chosen_rule(graph, def, from, node, input, &frames)
                        }
                        _ => None,
                    };
                    self.mark_edge(graph, from, node, caught, rule);
                }
                if let Some(s) = self.states.get_mut(node) {
                    *s = true;
                }
                let container = graph
                    .nodes
                    .get(node)
                    .is_some_and(|n| n.kind == "Map" || n.kind == "Parallel");
                if kind == "ChoiceStateEntered" {
                    choice_input = e.details().get("input").cloned().map(|i| (node, i));
                }
                if container {
                    frames.push(Map::new());
                }
                open.push(Open {
                    node,
                    failed: false,
                    attempts: 0,
                    container,
                    child_pending: None,
                });
            } else if kind.ends_with("StateExited") {
                let Some(name) = e.state_name() else { continue };
                let Some(pos) = open
                    .iter()
                    .rposition(|o| graph.nodes.get(o.node).is_some_and(|n| n.name == name))
                else {
                    continue;
                };
                // States still open inside this one failed (a failed iteration or branch).
                let inner_failed = open.len() > pos + 1;
                let closed: Vec<Open> = open.drain(pos..).collect();
                for c in &closed {
                    if c.container && frames.len() > 1 {
                        frames.pop();
                    }
                }
                if let (Some(Value::Object(a)), Some(frame)) =
                    (e.details().get("assignedVariables"), frames.last_mut())
                {
                    for (k, v) in a {
                        let v = match v {
                            Value::String(t) => serde_json::from_str(t).unwrap_or(v.clone()),
                            other => other.clone(),
                        };
                        frame.insert(k.clone(), v);
                    }
                }
                let Some(done) = closed.into_iter().next() else {
                    continue;
                };
                let caught = done.failed || inner_failed;
                let scope = open.iter().rposition(|o| o.container);
                let next = Some((done.node, caught));
                match scope.and_then(|i| open.get_mut(i)) {
                    Some(o) => o.child_pending = next,
                    None => root_pending = next,
                }
            } else if kind == "MapIterationStarted" {
                if let Some(o) = open.iter_mut().rev().find(|o| o.container) {
                    o.child_pending = None;
                }
                // Each iteration starts with no variables of its own.
                if frames.len() > 1
                    && let Some(f) = frames.last_mut()
                {
                    f.clear();
                }
            } else if matches!(
                kind,
                "TaskScheduled"
                    | "LambdaFunctionScheduled"
                    | "ActivityScheduled"
                    | "ParallelStateStarted"
                    | "MapStateStarted"
            ) {
                if let Some(o) = open.last_mut() {
                    o.attempts += 1;
                    if o.attempts > 1 {
                        o.failed = false;
                    }
                }
            } else if (kind.ends_with("Failed") || kind.ends_with("TimedOut"))
                && !kind.starts_with("Execution")
                && let Some(o) = open.last_mut()
            {
                o.failed = true;
            }
        }
    }

    /// Mark the edge `from → to`: a Catch edge when the state was left after a failure, else the given
    /// Choice rule (`Some(i)`: `Choices[i]`; `Some(usize::MAX)`: the Default), else the first matching
    /// edge in definition order.
    fn mark_edge(
        &mut self,
        graph: &FlowGraph,
        from: usize,
        to: usize,
        caught: bool,
        rule: Option<usize>,
    ) {
        let candidates = || {
            graph
                .edges
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.from == from && e.to == to)
        };
        let exact = rule.and_then(|r| {
            candidates().find(|(_, e)| match e.kind {
                EdgeKind::Choice => e.rule == r,
                EdgeKind::Default => r == DEFAULT_RULE,
                _ => false,
            })
        });
        let pick = exact
            .or_else(|| candidates().find(|(_, e)| (e.kind == EdgeKind::Catch) == caught))
            .or_else(|| candidates().next());
        if let Some((i, _)) = pick
            && let Some(c) = self.edges.get_mut(i)
        {
            *c = true;
        }
    }

    /// Whether a graph node was entered.
    pub fn state(&self, node: usize) -> Option<bool> {
        self.states.get(node).copied()
    }

    /// Whether a drawn edge was taken, looked up as the layout describes it (graph node indices, kind
    /// and rule: `Choices[i]`/`Catch[i]`, else 0); `None` when no such edge exists.
    pub fn edge(
        &self,
        graph: &FlowGraph,
        from: usize,
        to: usize,
        kind: EdgeKind,
        rule: usize,
    ) -> Option<bool> {
        let i = graph
            .edges
            .iter()
            .position(|e| e.from == from && e.to == to && e.kind == kind && e.rule == rule)?;
        self.edges.get(i).copied()
    }

    pub fn summary(&self) -> Summary {
        Summary {
            states: self.states.iter().filter(|c| **c).count(),
            states_total: self.states.len(),
            transitions: self.edges.iter().filter(|c| **c).count(),
            transitions_total: self.edges.len(),
        }
    }

    /// The untaken transitions as `from -> to (kind, label)` lines, for a list under the summary.
    pub fn uncovered(&self, graph: &FlowGraph) -> Vec<String> {
        graph
            .edges
            .iter()
            .zip(&self.edges)
            .filter(|(_, c)| !**c)
            .filter_map(|(e, _)| {
                let (f, t) = (graph.nodes.get(e.from)?, graph.nodes.get(e.to)?);
                let what = match &e.label {
                    Some(l) => format!("{}: {l}", e.kind.as_str()),
                    None => e.kind.as_str().to_string(),
                };
                Some(format!("{} -> {} ({what})", f.name, t.name))
            })
            .collect()
    }
}

/// The rule index [`Coverage::add`] uses for a Choice's Default.
const DEFAULT_RULE: usize = usize::MAX;

/// Which rule of Choice `from` sent the run to `to`, when more than one edge leads there: TestState
/// evaluates the Choice on its recorded input with the variables in `frames`, each rule's `Next` renamed
/// to `#<index>` and the Default's to `#default`. `None` when unambiguous or not evaluable.
fn chosen_rule(
    graph: &FlowGraph,
    definition: &Value,
    from: usize,
    to: usize,
    input: &Value,
    frames: &[Map<String, Value>],
) -> Option<usize> {
    let ways = graph
        .edges
        .iter()
        .filter(|e| e.from == from && e.to == to && e.kind != EdgeKind::Catch)
        .count();
    if ways < 2 {
        return None;
    }
    let node = graph.nodes.get(from)?;
    let mut state = find_state(definition, &node.name, 0)?.clone();
    if let Some(q) = definition.get("QueryLanguage")
        && let Value::Object(m) = &mut state
    {
        m.entry("QueryLanguage").or_insert(q.clone());
    }
    if let Some(Value::Array(rules)) = state.get_mut("Choices") {
        for (i, r) in rules.iter_mut().enumerate() {
            if let Value::Object(m) = r {
                m.insert("Next".into(), json!(format!("#{i}")));
            }
        }
    }
    if let Value::Object(m) = &mut state
        && m.contains_key("Default")
    {
        m.insert("Default".into(), json!("#default"));
    }
    let mut vars = Map::new();
    for f in frames {
        vars.extend(f.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let input_text = match input {
        Value::String(t) => t.clone(),
        other => other.to_string(),
    };
    let req = json!({
        "definition": state,
        "input": input_text,
        "variables": Value::Object(vars).to_string(),
    });
    let resp = asl::simulate::test_state::test_state(&req, &Options::default());
    match resp.get("nextState")?.as_str()?.strip_prefix('#')? {
        "default" => Some(DEFAULT_RULE),
        i => i.parse().ok(),
    }
}

/// The node named `name` directly inside `parent` (the top level for `None`), else any node so named.
fn resolve(graph: &FlowGraph, name: &str, parent: Option<usize>) -> Option<usize> {
    graph
        .nodes
        .iter()
        .position(|n| n.name == name && n.parent == parent)
        .or_else(|| graph.nodes.iter().position(|n| n.name == name))
}

#[cfg(test)]
mod tests;
