//! Keyboard navigation between states: the arrow keys follow the flow. Down goes to the next state
//! (into a container's first branch, out of a branch to what follows its container), Up to the
//! previous one (out of a branch to its container), Left/Right to the nearest state beside this one
//! in the same scope or a sibling branch.

use crate::graph::{EdgeKind, FlowGraph};
use crate::layout::Layout;

/// An arrow key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavKey {
    Up,
    Down,
    Left,
    Right,
}

impl NavKey {
    /// The key for a DOM `KeyboardEvent.key` value.
    pub fn from_key(key: &str) -> Option<NavKey> {
        Some(match key {
            "ArrowUp" => NavKey::Up,
            "ArrowDown" => NavKey::Down,
            "ArrowLeft" => NavKey::Left,
            "ArrowRight" => NavKey::Right,
            _ => return None,
        })
    }
}

/// The state to move to from `current` (a node index) with an arrow key; `None` when there is none.
pub fn neighbour(graph: &FlowGraph, layout: &Layout, current: usize, key: NavKey) -> Option<usize> {
    graph.nodes.get(current)?;
    match key {
        NavKey::Down => first_child(graph, current).or_else(|| flow_next(graph, layout, current)),
        NavKey::Up => {
            let cur_y = layout.nodes.get(current).map_or(0.0, |n| n.y);
            let preds = graph
                .edges
                .iter()
                .filter(|e| e.to == current && e.from != current);
            // A forward predecessor (above this state) first, the Next kind preferred.
            let mut best: Option<(u8, usize)> = None;
            for e in preds {
                let above = layout.nodes.get(e.from).is_some_and(|n| n.y < cur_y);
                let rank = u8::from(!above) * 2 + u8::from(e.kind != EdgeKind::Next);
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, e.from));
                }
            }
            best.map(|(_, i)| i).or(graph.nodes[current].parent)
        }
        NavKey::Left | NavKey::Right => beside(graph, layout, current, key == NavKey::Right),
    }
}

/// A container's first state: the start of its first branch.
fn first_child(graph: &FlowGraph, i: usize) -> Option<usize> {
    let children = || {
        graph
            .nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.parent == Some(i))
    };
    let branch = children().map(|(_, n)| n.branch).min()?;
    children()
        .filter(|(_, n)| n.branch == branch)
        .find(|(_, n)| n.start)
        .or_else(|| children().find(|(_, n)| n.branch == branch))
        .map(|(j, _)| j)
}

/// Where the flow goes after a state: its first transition (Next, then Choice rules in order, then
/// Default, then catchers), else what follows its container.
fn flow_next(graph: &FlowGraph, layout: &Layout, i: usize) -> Option<usize> {
    let mut cur = i;
    for _ in 0..=crate::graph::MAX_DEPTH + 1 {
        let rank = |k: EdgeKind| match k {
            EdgeKind::Next => 0,
            EdgeKind::Choice => 1,
            EdgeKind::Default => 2,
            EdgeKind::Catch => 3,
        };
        let cur_y = layout.nodes.get(cur).map_or(0.0, |n| n.y);
        let next = graph
            .edges
            .iter()
            .filter(|e| e.from == cur && e.to != cur)
            // Forward edges first (loops back up come last).
            .min_by_key(|e| {
                let below = layout.nodes.get(e.to).is_some_and(|n| n.y > cur_y);
                (u8::from(!below), rank(e.kind), e.rule)
            })
            .map(|e| e.to);
        if next.is_some() {
            return next;
        }
        cur = graph.nodes.get(cur)?.parent?;
    }
    None
}

/// The nearest state to the left or right among the states of the same container (any branch): one
/// on the same row first, else the nearest one on that side.
fn beside(graph: &FlowGraph, layout: &Layout, i: usize, right: bool) -> Option<usize> {
    let me = layout.nodes.get(i)?;
    let (cx, cy) = (me.x + me.w / 2.0, me.y + me.h / 2.0);
    let parent = graph.nodes.get(i)?.parent;
    let candidates = layout.nodes.iter().filter(|n| {
        n.index != i
            && graph.nodes.get(n.index).is_some_and(|g| g.parent == parent)
            && if right {
                n.x + n.w / 2.0 > cx + 0.5
            } else {
                n.x + n.w / 2.0 < cx - 0.5
            }
    });
    let same_row = |n: &&crate::layout::NodeBox| n.y < me.y + me.h && me.y < n.y + n.h;
    let dist = |n: &crate::layout::NodeBox| {
        let (x, y) = (n.x + n.w / 2.0, n.y + n.h / 2.0);
        (x - cx).abs() + 3.0 * (y - cy).abs()
    };
    candidates
        .clone()
        .filter(same_row)
        .min_by(|a, b| dist(a).total_cmp(&dist(b)))
        .or_else(|| candidates.min_by(|a, b| dist(a).total_cmp(&dist(b))))
        .map(|n| n.index)
}
