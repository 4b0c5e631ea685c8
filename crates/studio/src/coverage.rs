//! Coverage of a workflow by runs: which states were entered and which transitions were taken (each
//! `Next`, each Choice rule and the `Default`, each `Catch`), read from execution histories and mapped
//! onto the [`FlowGraph`]'s nodes and edges (the canvas's `data-state` and `data-edge` elements).
//!
//! The history names states but not the transition taken, so a transition is the pair (state exited,
//! next state entered in the same scope): a state left after a failure took a Catch; otherwise a rule,
//! the Default or Next. When several edges of one state lead to the same target (two Choice rules, or a
//! rule and the Default), the history cannot tell them apart and the first one is counted.

use crate::graph::{EdgeKind, FlowGraph};
use asl::simulate::Event;

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

    /// Coverage of `graph` by all these histories.
    pub fn of_runs<'a>(
        graph: &FlowGraph,
        histories: impl IntoIterator<Item = &'a [Event]>,
    ) -> Coverage {
        let mut c = Coverage::new(graph);
        for h in histories {
            c.add(graph, h);
        }
        c
    }

    /// Mark what one history reached.
    pub fn add(&mut self, graph: &FlowGraph, events: &[Event]) {
        let mut open: Vec<Open> = Vec::new();
        // The last state left at the top level: (node, left after a failure).
        let mut root_pending: Option<(usize, bool)> = None;
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
                    self.mark_edge(graph, from, node, caught);
                }
                if let Some(s) = self.states.get_mut(node) {
                    *s = true;
                }
                let container = graph
                    .nodes
                    .get(node)
                    .is_some_and(|n| n.kind == "Map" || n.kind == "Parallel");
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
                open.truncate(pos + 1);
                let Some(done) = open.pop() else { continue };
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

    /// Mark the edge `from → to`: a Catch edge when the state was left after a failure, else a rule,
    /// the Default or Next (the first matching edge in definition order).
    fn mark_edge(&mut self, graph: &FlowGraph, from: usize, to: usize, caught: bool) {
        let candidates = || {
            graph
                .edges
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.from == from && e.to == to)
        };
        let pick = candidates()
            .find(|(_, e)| (e.kind == EdgeKind::Catch) == caught)
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
    /// and full label); `None` when no such edge exists.
    pub fn edge(
        &self,
        graph: &FlowGraph,
        from: usize,
        to: usize,
        kind: EdgeKind,
        label: Option<&str>,
    ) -> Option<bool> {
        let matches = |e: &crate::graph::Edge| e.from == from && e.to == to && e.kind == kind;
        let i = graph
            .edges
            .iter()
            .position(|e| matches(e) && e.label.as_deref() == label)
            .or_else(|| graph.edges.iter().position(matches))?;
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
