//! The execution view without a DOM: what the graph shows at a point of a run's history (state statuses, the
//! transitions taken, Map/Parallel progress, one Map iteration drilled into), and the debugger's moves over it
//! (step, continue to a breakpoint, time travel).
//!
//! Status semantics (the page's `data-status`), following the AWS console's graph legend, which colours a
//! state by how its *last visit* ended:
//! - `running`: entered and not yet left at this point of the history;
//! - `succeeded`: left normally on its first attempt;
//! - `retried`: left normally after at least one failed attempt that a `Retry` rule retried (the console shows
//!   such a state as succeeded; we keep the retry visible);
//! - `caught`: failed (after any retries) and a `Catch` rule moved the run on ("Caught error" in the console);
//!   a Map or Parallel whose iteration or branch failed but which still exited is `caught` too;
//! - `failed`: still open when the execution failed or timed out;
//! - `cancelled`: still open when the execution was aborted.
//!
//! A state retried and then caught is `caught`: the outcome outranks the retries.
//!
//! Submodules: [`details`] (the selected state's data flow, variables, retries), [`table`] (the history table:
//! rows, filters, export as GetExecutionHistory's JSON), [`json_tree`] (folded, searchable JSON),
//! [`playback`] (virtual-clock replay speeds, cost projection).

pub mod details;
pub mod json_tree;
pub mod playback;
pub mod table;

use crate::FlowGraph;
use crate::graph::EdgeKind;
use asl::simulate::Event;
use asl::simulate::history::{StateStatus, state_statuses};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Map iteration drill-down: Map state name → the iteration index whose nested states are shown.
pub type Focus = BTreeMap<String, usize>;

/// Progress of a Map (iterations) or Parallel (branches) state in its last visit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Iterations or branches that finished (successfully or not).
    pub done: usize,
    /// Of those, the ones that failed.
    pub failed: usize,
    /// All iterations (the Map's item count) or branches.
    pub total: usize,
    /// Map only: each started iteration's index and status, in index order.
    pub iterations: Vec<(usize, StateStatus)>,
}

impl Progress {
    /// The badge text, e.g. `7/10` or `7/10 · 1 failed`.
    pub fn label(&self) -> String {
        if self.failed > 0 {
            format!("{}/{} · {} failed", self.done, self.total, self.failed)
        } else {
            format!("{}/{}", self.done, self.total)
        }
    }
}

/// What the graph shows at one point of the history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub statuses: BTreeMap<String, StateStatus>,
    /// Transitions taken, as `(from, to)` state names (only pairs that are edges of the graph).
    pub taken: BTreeSet<(String, String)>,
    /// Map/Parallel states by name.
    pub progress: BTreeMap<String, Progress>,
    /// The state the last shown event belongs to.
    pub current: Option<String>,
}

impl Snapshot {
    /// The `data-taken` edge ids (`from->to`).
    pub fn taken_ids(&self) -> BTreeSet<String> {
        self.taken
            .iter()
            .map(|(f, t)| format!("{f}->{t}"))
            .collect()
    }
}

/// What the run view needs to know about the graph, by state name (AWS state names are unique in a machine).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphInfo {
    nodes: HashMap<String, NodeInfo>,
    edges: BTreeSet<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct NodeInfo {
    kind: String,
    parent: Option<String>,
    branch: usize,
    /// No outgoing Next/Default/Choice transition: the end of its scope.
    terminal: bool,
    /// Parallel: the number of branches.
    branches: usize,
}

impl GraphInfo {
    pub fn new(g: &FlowGraph) -> GraphInfo {
        let mut nodes = HashMap::new();
        for (i, n) in g.nodes.iter().enumerate() {
            let leaves = g
                .edges
                .iter()
                .any(|e| e.from == i && e.kind != EdgeKind::Catch);
            let branches = g
                .nodes
                .iter()
                .filter(|c| c.parent == Some(i))
                .map(|c| c.branch + 1)
                .max()
                .unwrap_or(0);
            nodes.insert(
                n.name.clone(),
                NodeInfo {
                    kind: n.kind.clone(),
                    parent: n
                        .parent
                        .and_then(|p| g.nodes.get(p))
                        .map(|p| p.name.clone()),
                    branch: n.branch,
                    terminal: !leaves && n.kind != "Choice",
                    branches,
                },
            );
        }
        let name = |i: usize| g.nodes.get(i).map(|n| n.name.clone());
        let edges = g
            .edges
            .iter()
            .filter_map(|e| Some((name(e.from)?, name(e.to)?)))
            .collect();
        GraphInfo { nodes, edges }
    }

    /// The Parallel/Map state directly enclosing a state, and the branch it is in (0 for a Map).
    pub fn parent(&self, name: &str) -> Option<(&str, usize)> {
        let n = self.nodes.get(name)?;
        Some((n.parent.as_deref()?, n.branch))
    }

    /// The `Type` of a state.
    pub fn kind(&self, name: &str) -> Option<&str> {
        self.nodes.get(name).map(|n| n.kind.as_str())
    }

    /// The enclosing Parallel/Map states of a state, innermost first (bounded by the graph's depth).
    pub fn ancestors(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = self.nodes.get(name).and_then(|n| n.parent.clone());
        while let Some(p) = cur {
            if out.len() > crate::graph::MAX_DEPTH + 1 || out.contains(&p) {
                break;
            }
            cur = self.nodes.get(&p).and_then(|n| n.parent.clone());
            out.push(p);
        }
        out
    }
}

/// The `name` and `index` of a `MapIteration*` event.
fn iteration_of(e: &Event) -> Option<(String, usize)> {
    let d = e.details();
    let name = d.get("name")?.as_str()?.to_string();
    let index = usize::try_from(d.get("index")?.as_u64()?).ok()?;
    Some((name, index))
}

fn is_iteration_end(kind: &str) -> bool {
    matches!(
        kind,
        "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted"
    )
}

/// The events shown for a drill-down: events inside a Map iteration other than the focused one are left out
/// (the Map's own iteration events stay, so its progress is whole).
pub fn visible<'a>(events: &'a [Event], focus: &Focus) -> Vec<&'a Event> {
    if focus.is_empty() {
        return events.iter().collect();
    }
    let mut frames: Vec<(String, usize)> = Vec::new();
    let hidden = |frames: &[(String, usize)]| {
        frames
            .iter()
            .any(|(name, i)| focus.get(name).is_some_and(|f| f != i))
    };
    let mut out = Vec::new();
    for e in events {
        if e.kind == "MapIterationStarted" {
            if !hidden(&frames) {
                out.push(e);
            }
            if let Some((n, i)) = iteration_of(e) {
                frames.push((n, i));
            }
            continue;
        }
        if is_iteration_end(&e.kind)
            && let Some((n, i)) = iteration_of(e)
            && let Some(pos) = frames
                .iter()
                .rposition(|(fname, fi)| *fname == n && *fi == i)
        {
            frames.truncate(pos);
        }
        if !hidden(&frames) {
            out.push(e);
        }
    }
    out
}

/// The state each event belongs to: a state's own entered/exited events, else the innermost open state (the
/// Map for its iteration events); `None` for execution-level events.
pub fn owners(events: &[Event]) -> Vec<Option<String>> {
    let mut open: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            let n = e.state_name().map(str::to_string);
            if let Some(n) = &n {
                open.push(n.clone());
            }
            out.push(n);
        } else if kind.ends_with("StateExited") {
            let n = e.state_name().map(str::to_string);
            if let Some(name) = &n
                && let Some(pos) = open.iter().rposition(|o| o == name)
            {
                open.truncate(pos);
            }
            out.push(n);
        } else if kind.starts_with("MapIteration") {
            out.push(
                e.details()
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            );
        } else if kind.starts_with("Execution") {
            out.push(None);
        } else {
            out.push(open.last().cloned());
        }
    }
    out
}

/// `state_statuses` of the visible events: the shown slice itself when nothing is drilled into (no copy of
/// a 25,000-event history), else a copy of the visible events.
pub(crate) fn statuses_of(
    shown: &[Event],
    vis: &[&Event],
    focus: &Focus,
) -> BTreeMap<String, StateStatus> {
    if focus.is_empty() {
        state_statuses(shown)
    } else {
        let owned: Vec<Event> = vis.iter().map(|e| (*e).clone()).collect();
        state_statuses(&owned)
    }
}

/// The view of the first `position` events of `events` with a drill-down `focus`.
pub fn snapshot(events: &[Event], position: usize, graph: &GraphInfo, focus: &Focus) -> Snapshot {
    let shown = events.get(..position.min(events.len())).unwrap_or(&[]);
    let vis = visible(shown, focus);
    let statuses = statuses_of(shown, &vis, focus);
    let mut taken = BTreeSet::new();
    let mut last_exited: Option<&str> = None;
    for e in &vis {
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            if let (Some(from), Some(to)) = (last_exited, e.state_name()) {
                let pair = (from.to_string(), to.to_string());
                if graph.edges.contains(&pair) {
                    taken.insert(pair);
                }
            }
            last_exited = None;
        } else if kind.ends_with("StateExited") {
            last_exited = e.state_name();
        } else if kind.starts_with("Map") || kind.starts_with("Parallel") {
            last_exited = None;
        }
    }
    let progress = progress(shown, graph);
    let current = owners(shown).pop().flatten();
    Snapshot {
        statuses,
        taken,
        progress,
        current,
    }
}

/// Map and Parallel progress in their last visits.
fn progress(events: &[Event], graph: &GraphInfo) -> BTreeMap<String, Progress> {
    let mut out: BTreeMap<String, Progress> = BTreeMap::new();
    // Parallel branches finished in the current visit: Parallel name → branch → failed.
    let mut branches: BTreeMap<String, BTreeMap<usize, bool>> = BTreeMap::new();
    let mut open_maps: Vec<String> = Vec::new();
    let mut open_pars: Vec<String> = Vec::new();
    let set_iteration = |p: &mut Progress, i: usize, s: StateStatus| match p
        .iterations
        .binary_search_by_key(&i, |(k, _)| *k)
    {
        Ok(at) => {
            if let Some(slot) = p.iterations.get_mut(at) {
                slot.1 = s;
            }
        }
        Err(at) => p.iterations.insert(at, (i, s)),
    };
    for e in events {
        let kind = e.kind.as_str();
        match kind {
            "MapStateEntered" => {
                if let Some(n) = e.state_name() {
                    out.insert(n.to_string(), Progress::default());
                    open_maps.push(n.to_string());
                }
            }
            "MapStateExited" => {
                if let Some(n) = e.state_name()
                    && let Some(pos) = open_maps.iter().rposition(|m| m == n)
                {
                    open_maps.truncate(pos);
                }
            }
            "MapStateStarted" => {
                if let Some(p) = open_maps.last().and_then(|m| out.get_mut(m)) {
                    p.total = e
                        .details()
                        .get("length")
                        .and_then(Value::as_u64)
                        .and_then(|l| usize::try_from(l).ok())
                        .unwrap_or(0);
                }
            }
            "MapIterationStarted"
            | "MapIterationSucceeded"
            | "MapIterationFailed"
            | "MapIterationAborted" => {
                if let Some((n, i)) = iteration_of(e)
                    && let Some(p) = out.get_mut(n.as_str())
                {
                    let s = match kind {
                        "MapIterationStarted" => StateStatus::Running,
                        "MapIterationSucceeded" => StateStatus::Succeeded,
                        "MapIterationFailed" => StateStatus::Failed,
                        _ => StateStatus::Cancelled,
                    };
                    if kind != "MapIterationStarted" {
                        p.done += 1;
                        if s != StateStatus::Succeeded {
                            p.failed += 1;
                        }
                    }
                    set_iteration(p, i, s);
                }
            }
            "ParallelStateEntered" => {
                if let Some(n) = e.state_name() {
                    let total = graph.nodes.get(n).map_or(0, |i| i.branches);
                    out.insert(
                        n.to_string(),
                        Progress {
                            total,
                            ..Progress::default()
                        },
                    );
                    branches.insert(n.to_string(), BTreeMap::new());
                }
            }
            _ => {
                // A branch ends when a terminal state of it exits, or a Fail state of it is entered.
                let Some(name) = e.state_name() else { continue };
                let Some(info) = graph.nodes.get(name) else {
                    continue;
                };
                let ends =
                    (kind.ends_with("StateExited") && info.terminal) || kind == "FailStateEntered";
                let Some(parent) = info.parent.as_deref() else {
                    continue;
                };
                if !ends || graph.kind(parent) != Some("Parallel") {
                    continue;
                }
                if let Some(b) = branches.get_mut(parent) {
                    b.insert(info.branch, kind == "FailStateEntered");
                    if let Some(p) = out.get_mut(parent) {
                        p.done = b.len();
                        p.failed = b.values().filter(|f| **f).count();
                    }
                }
            }
        }
        match kind {
            "ParallelStateEntered" => {
                if let Some(n) = e.state_name() {
                    open_pars.push(n.to_string());
                }
            }
            "ParallelStateExited" => {
                if let Some(n) = e.state_name()
                    && let Some(pos) = open_pars.iter().rposition(|m| m == n)
                {
                    open_pars.truncate(pos);
                }
            }
            "ParallelStateSucceeded" => {
                if let Some(p) = open_pars.last().and_then(|m| out.get_mut(m)) {
                    p.done = p.total;
                }
            }
            _ => {}
        }
    }
    out
}

/// The position (number of events shown) after stepping once from `position`, within `revealed` events:
/// `None` when the step must reveal a new event.
pub fn step_within(position: usize, revealed: usize) -> Option<usize> {
    (position < revealed).then_some(position + 1)
}

/// The position just after the next breakpoint state is entered, searching the events from index `from`.
pub fn next_breakpoint(
    events: &[Event],
    from: usize,
    breakpoints: &BTreeSet<String>,
) -> Option<usize> {
    events
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, e)| {
            e.kind.ends_with("StateEntered")
                && e.state_name().is_some_and(|n| breakpoints.contains(n))
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests;
