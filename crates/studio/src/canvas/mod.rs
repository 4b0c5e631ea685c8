//! Editing on the canvas without a DOM: where things can be dropped (on an edge, into an empty branch
//! or a Map's processor, after a state), and the one [`Edit`] each gesture makes (drop a palette entry,
//! move a state, connect or retarget a transition, delete, duplicate, paste). The web canvas only
//! turns pointer positions into these calls.
//!
//! - [`nav`]: keyboard navigation between states (arrow keys follow the flow).
//! - [`clipboard`]: copy states as ASL JSON, parse what is pasted.
//! - [`icons`]: the icon of a state, by type and by service.

pub mod clipboard;
pub mod icons;
pub mod nav;

use crate::document::{Document, unique_name};
use crate::edit::{Edit, Transition};
use crate::geometry::{Point, Rect, path_point};
use crate::graph::{EdgeKind, FlowGraph, ScopePath, ScopeStep};
use crate::layout::Layout;
use serde_json::Value;
use std::collections::BTreeSet;

/// Half the side of the square hit area of an edge's drop target, in world units.
pub const EDGE_TARGET_RADIUS: f64 = 16.0;

/// Where a dropped state goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// On a transition: between `from` and the transition's target.
    OnTransition {
        from: String,
        transition: Transition,
    },
    /// Into an empty branch or processor (the scope itself is `DropTarget::scope`).
    IntoScope,
}

/// A place a state can be dropped, with its hit area in world units.
#[derive(Debug, Clone, PartialEq)]
pub struct DropTarget {
    /// A stable id for the page (`data-drop`), e.g. `A->B` or `Fan out#1`.
    pub id: String,
    pub scope: ScopePath,
    pub place: Place,
    pub area: Rect,
    /// Index into `Layout::edges` for edge targets.
    pub edge: Option<usize>,
}

/// The transition an edge of the graph stands for.
pub fn edge_transition(kind: EdgeKind, rule: usize) -> Transition {
    match kind {
        EdgeKind::Next => Transition::Next,
        EdgeKind::Default => Transition::Default,
        EdgeKind::Choice => Transition::Choice(rule),
        EdgeKind::Catch => Transition::Catch(rule),
    }
}

/// The transition of a laid-out edge (by its index in `Layout::edges`).
pub fn layout_edge_transition(
    graph: &FlowGraph,
    layout: &Layout,
    edge: usize,
) -> Option<Transition> {
    let e = layout.edges.get(edge)?;
    let rule = graph
        .edges
        .iter()
        .find(|g| g.from == e.from_index && g.to == e.to_index && g.kind == e.kind)
        .map_or(0, |g| g.rule);
    // Several rules of one Choice can lead to the same state: the n-th such laid-out edge is the n-th rule.
    let nth = layout.edges[..edge]
        .iter()
        .filter(|o| o.from_index == e.from_index && o.to_index == e.to_index && o.kind == e.kind)
        .count();
    let rule = graph
        .edges
        .iter()
        .filter(|g| g.from == e.from_index && g.to == e.to_index && g.kind == e.kind)
        .nth(nth)
        .map_or(rule, |g| g.rule);
    Some(edge_transition(e.kind, rule))
}

/// Every drop target of a layout: the middle of each edge, and each empty branch or processor.
pub fn drop_targets(graph: &FlowGraph, layout: &Layout) -> Vec<DropTarget> {
    let mut out = Vec::with_capacity(layout.edges.len() + layout.slots.len());
    for (i, e) in layout.edges.iter().enumerate() {
        let Some(transition) = layout_edge_transition(graph, layout, i) else {
            continue;
        };
        let Some(p) = path_point(&e.d, 0.5) else {
            continue;
        };
        let r = EDGE_TARGET_RADIUS;
        out.push(DropTarget {
            id: format!("{}->{}", e.from, e.to),
            scope: graph.scope_of(e.from_index),
            place: Place::OnTransition {
                from: e.from.clone(),
                transition,
            },
            area: Rect::new(p.x - r, p.y - r, 2.0 * r, 2.0 * r),
            edge: Some(i),
        });
    }
    for s in layout.slots.iter().filter(|s| s.empty) {
        let Some(c) = graph.nodes.get(s.container) else {
            continue;
        };
        let mut scope = graph.scope_of(s.container);
        scope.push(ScopeStep {
            state: c.name.clone(),
            branch: s.branch,
        });
        out.push(DropTarget {
            id: format!("{}#{}", c.name, s.branch),
            scope,
            place: Place::IntoScope,
            area: Rect::new(s.x, s.y, s.w, s.h),
            edge: None,
        });
    }
    out
}

/// The drop target under a world point: an edge target whose area holds it (the nearest centre wins),
/// else an empty scope holding it.
pub fn target_at(targets: &[DropTarget], p: Point) -> Option<usize> {
    let dist = |t: &DropTarget| {
        let c = t.area.center();
        (c.x - p.x).powi(2) + (c.y - p.y).powi(2)
    };
    let edge = targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.edge.is_some() && t.area.contains(p))
        .min_by(|a, b| dist(a.1).total_cmp(&dist(b.1)))
        .map(|(i, _)| i);
    edge.or_else(|| {
        targets
            .iter()
            .position(|t| t.edge.is_none() && t.area.contains(p))
    })
}

/// The scope (path of containers) of a state, by name.
pub fn scope_of_name(graph: &FlowGraph, name: &str) -> Option<ScopePath> {
    graph
        .nodes
        .iter()
        .position(|n| n.name == name)
        .map(|i| graph.scope_of(i))
}

/// The edit that drops a new state onto a target.
pub fn drop_new(target: &DropTarget, name: String, state: Value) -> Edit {
    match &target.place {
        Place::OnTransition { from, transition } => Edit::InsertOnTransition {
            scope: target.scope.clone(),
            from: from.clone(),
            transition: *transition,
            name,
            state: Some(state),
        },
        Place::IntoScope => Edit::AddState {
            scope: target.scope.clone(),
            name,
            state,
            after: None,
        },
    }
}

/// A state's value without its outgoing `Next`/`End` (it gets new ones where it lands).
fn unlinked(state: &Value) -> Value {
    let mut s = state.clone();
    if let Some(o) = s.as_object_mut() {
        o.shift_remove("Next");
        o.shift_remove("End");
    }
    s
}

/// The edit that moves an existing state onto a target (both places reconnected), or why not.
pub fn move_to(doc: &Document, name: &str, target: &DropTarget) -> Result<Edit, String> {
    let graph = doc.graph();
    let from_scope =
        scope_of_name(&graph, name).ok_or_else(|| format!("there is no state \"{name}\""))?;
    if target.scope.iter().any(|s| s.state == name) {
        return Err(format!("\"{name}\" cannot be moved into itself"));
    }
    if let Place::OnTransition { from, .. } = &target.place
        && from == name
    {
        return Err(format!("\"{name}\" is already there"));
    }
    let value = doc
        .state(&from_scope, name)
        .ok_or_else(|| format!("there is no state \"{name}\""))?;
    let same_scope = from_scope == target.scope;
    Ok(match &target.place {
        Place::OnTransition { from, transition } if same_scope => Edit::InsertOnTransition {
            scope: target.scope.clone(),
            from: from.clone(),
            transition: *transition,
            name: name.to_string(),
            state: None,
        },
        _ => Edit::Batch {
            edits: vec![
                Edit::RemoveState {
                    scope: from_scope,
                    name: name.to_string(),
                },
                drop_new(target, name.to_string(), unlinked(value)),
            ],
        },
    })
}

/// The edit that connects `from` to `to` with a new transition: a Choice's `Default` when it has none,
/// else the state's `Next`. States must share a scope.
pub fn connect(graph: &FlowGraph, from: &str, to: &str) -> Result<Edit, String> {
    let (fi, scope) = find_with_scope(graph, from)?;
    let (_, to_scope) = find_with_scope(graph, to)?;
    if scope != to_scope {
        return Err("a transition can only lead to a state in the same branch".into());
    }
    let transition = match graph.nodes.get(fi).map(|n| n.kind.as_str()) {
        Some("Succeed" | "Fail") => {
            return Err(format!("\"{from}\" ends the flow; it has no transition"));
        }
        Some("Choice") => {
            if graph
                .edges
                .iter()
                .any(|e| e.from == fi && e.kind == EdgeKind::Default)
            {
                return Err(format!(
                    "\"{from}\" already has a Default; drag the end of a rule's arrow instead"
                ));
            }
            Transition::Default
        }
        _ => Transition::Next,
    };
    Ok(Edit::SetTransition {
        scope,
        state: from.to_string(),
        transition,
        target: Some(to.to_string()),
    })
}

/// The edit that points one edge (by index in `Layout::edges`) at another state of its scope.
pub fn retarget(graph: &FlowGraph, layout: &Layout, edge: usize, to: &str) -> Result<Edit, String> {
    let e = layout
        .edges
        .get(edge)
        .ok_or("that arrow no longer exists")?;
    let transition = layout_edge_transition(graph, layout, edge).ok_or("no such arrow")?;
    let scope = graph.scope_of(e.from_index);
    let (_, to_scope) = find_with_scope(graph, to)?;
    if scope != to_scope {
        return Err("a transition can only lead to a state in the same branch".into());
    }
    Ok(Edit::SetTransition {
        scope,
        state: e.from.clone(),
        transition,
        target: Some(to.to_string()),
    })
}

fn find_with_scope(graph: &FlowGraph, name: &str) -> Result<(usize, ScopePath), String> {
    graph
        .nodes
        .iter()
        .position(|n| n.name == name)
        .map(|i| (i, graph.scope_of(i)))
        .ok_or_else(|| format!("there is no state \"{name}\""))
}

/// The selected states that are not inside another selected state (deleting or copying a container
/// covers its contents), in graph order.
fn outermost(graph: &FlowGraph, names: &BTreeSet<String>) -> Vec<usize> {
    let chosen: Vec<usize> = (0..graph.nodes.len())
        .filter(|&i| names.contains(&graph.nodes[i].name))
        .collect();
    chosen
        .iter()
        .copied()
        .filter(|&i| {
            !graph
                .scope_of(i)
                .iter()
                .any(|s| names.contains(&s.state) && s.state != graph.nodes[i].name)
        })
        .collect()
}

/// One edit deleting the states (the flow reconnected around each); `None` when nothing is selected.
pub fn delete(graph: &FlowGraph, names: &BTreeSet<String>) -> Option<Edit> {
    let edits: Vec<Edit> = outermost(graph, names)
        .into_iter()
        .map(|i| Edit::RemoveState {
            scope: graph.scope_of(i),
            name: graph.nodes[i].name.clone(),
        })
        .collect();
    match edits.len() {
        0 => None,
        1 => edits.into_iter().next(),
        _ => Some(Edit::Batch { edits }),
    }
}

/// One edit duplicating the states (each copy placed after its original), and the copies' names.
pub fn duplicate(doc: &Document, names: &BTreeSet<String>) -> Option<(Edit, Vec<String>)> {
    let graph = doc.graph();
    let mut taken = doc.state_names();
    let mut edits = Vec::new();
    let mut new_names = Vec::new();
    for i in outermost(&graph, names) {
        let name = graph.nodes[i].name.clone();
        let new_name = unique_name(&taken, &format!("{name} copy"));
        taken.insert(new_name.clone());
        new_names.push(new_name.clone());
        edits.push(Edit::DuplicateState {
            scope: graph.scope_of(i),
            name,
            new_name,
        });
    }
    match edits.len() {
        0 => None,
        1 => edits.into_iter().next().map(|e| (e, new_names)),
        _ => Some((Edit::Batch { edits }, new_names)),
    }
}

#[cfg(test)]
mod tests;
