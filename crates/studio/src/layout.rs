//! Layered top-to-bottom layout of a [`FlowGraph`], with Parallel branches and Map processors nested
//! inside their containers. Pure and deterministic: the same graph always gives the same boxes.

use crate::graph::{EdgeKind, FlowGraph};
use serde::Serialize;
use std::collections::VecDeque;

pub const NODE_W: f64 = 168.0;
pub const NODE_H: f64 = 44.0;
const GAP_X: f64 = 32.0;
const GAP_Y: f64 = 56.0;
const PAD: f64 = 20.0;
const HEADER: f64 = 36.0;

/// A placed state: top-left corner and size, in world units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeBox {
    pub index: usize,
    pub name: String,
    pub kind: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// True for Parallel/Map states drawn as containers around their children.
    pub container: bool,
    pub depth: usize,
}

/// A routed edge as an SVG path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgePath {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: Option<String>,
    pub d: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// A whole laid-out graph.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    pub width: f64,
    pub height: f64,
}

/// Lay out a graph.
pub fn layout(graph: &FlowGraph) -> Layout {
    let n = graph.nodes.len();
    let mut size = vec![(NODE_W, NODE_H); n];
    let mut pos = vec![(0.0, 0.0); n];
    let mut depth = vec![0usize; n];
    let (w, h) = place_scope(graph, None, 0, &mut size, &mut pos, &mut depth);
    // place_scope positions relative to each scope's origin; convert to absolute coordinates.
    let mut abs = pos.clone();
    for i in 0..n {
        let mut p = graph.nodes[i].parent;
        while let Some(parent) = p {
            abs[i].0 += pos[parent].0;
            abs[i].1 += pos[parent].1;
            p = graph.nodes[parent].parent;
        }
    }
    let nodes: Vec<NodeBox> = (0..n)
        .map(|i| NodeBox {
            index: i,
            name: graph.nodes[i].name.clone(),
            kind: graph.nodes[i].kind.clone(),
            x: abs[i].0 + PAD,
            y: abs[i].1 + PAD,
            w: size[i].0,
            h: size[i].1,
            container: is_container(graph, i),
            depth: depth[i],
        })
        .collect();
    let edges = graph
        .edges
        .iter()
        .map(|e| route(&nodes[e.from], &nodes[e.to], e.kind, e.label.clone()))
        .collect();
    Layout {
        nodes,
        edges,
        width: w + 2.0 * PAD,
        height: h + 2.0 * PAD,
    }
}

fn is_container(graph: &FlowGraph, i: usize) -> bool {
    graph.nodes.iter().any(|c| c.parent == Some(i))
}

/// Lays out one scope; returns its size. Positions written are relative to the scope's origin.
fn place_scope(
    graph: &FlowGraph,
    parent: Option<usize>,
    branch: usize,
    size: &mut [(f64, f64)],
    pos: &mut [(f64, f64)],
    depth: &mut [usize],
) -> (f64, f64) {
    let members: Vec<usize> = (0..graph.nodes.len())
        .filter(|&i| graph.nodes[i].parent == parent && graph.nodes[i].branch == branch)
        .collect();
    if members.is_empty() {
        return (NODE_W, NODE_H);
    }
    let d = parent.map_or(0, |p| depth[p] + 1);
    for &i in &members {
        depth[i] = d;
        if is_container(graph, i) {
            size[i] = place_container(graph, i, size, pos, depth);
        }
    }
    // Rank by breadth-first distance from the start state; unreachable states go below.
    let mut rank = vec![usize::MAX; graph.nodes.len()];
    let start = members
        .iter()
        .copied()
        .find(|&i| graph.nodes[i].start)
        .unwrap_or(members[0]);
    let mut queue = VecDeque::from([start]);
    rank[start] = 0;
    while let Some(u) = queue.pop_front() {
        for e in graph.edges.iter().filter(|e| e.from == u) {
            if rank[e.to] == usize::MAX {
                rank[e.to] = rank[u] + 1;
                queue.push_back(e.to);
            }
        }
    }
    let max_rank = members
        .iter()
        .filter(|&&i| rank[i] != usize::MAX)
        .map(|&i| rank[i])
        .max()
        .unwrap_or(0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); max_rank + 1];
    for &i in &members {
        if rank[i] == usize::MAX {
            rows.push(vec![i]);
        } else {
            rows[rank[i]].push(i);
        }
    }
    let row_w = |row: &Vec<usize>| {
        row.iter().map(|&i| size[i].0).sum::<f64>() + GAP_X * (row.len().saturating_sub(1)) as f64
    };
    let width = rows.iter().map(row_w).fold(0.0, f64::max);
    let mut y = 0.0;
    for row in &rows {
        let mut x = (width - row_w(row)) / 2.0;
        let row_h = row.iter().map(|&i| size[i].1).fold(0.0, f64::max);
        for &i in row {
            pos[i] = (x, y);
            x += size[i].0 + GAP_X;
        }
        y += row_h + GAP_Y;
    }
    (width, y - GAP_Y)
}

/// Lays out a Parallel's branches (or a Map's processor) side by side; returns the container's size.
fn place_container(
    graph: &FlowGraph,
    container: usize,
    size: &mut [(f64, f64)],
    pos: &mut [(f64, f64)],
    depth: &mut [usize],
) -> (f64, f64) {
    let mut branches: Vec<usize> = graph
        .nodes
        .iter()
        .filter(|c| c.parent == Some(container))
        .map(|c| c.branch)
        .collect();
    branches.sort_unstable();
    branches.dedup();
    let mut x = PAD;
    let mut height: f64 = 0.0;
    for b in branches {
        let (w, h) = place_scope(graph, Some(container), b, size, pos, depth);
        for (i, c) in graph.nodes.iter().enumerate() {
            if c.parent == Some(container) && c.branch == b {
                pos[i].0 += x;
                pos[i].1 += HEADER;
            }
        }
        x += w + GAP_X;
        height = height.max(h);
    }
    ((x - GAP_X + PAD).max(NODE_W), HEADER + height + PAD)
}

fn route(from: &NodeBox, to: &NodeBox, kind: EdgeKind, label: Option<String>) -> EdgePath {
    let (x1, y1) = (from.x + from.w / 2.0, from.y + from.h);
    let (x2, y2) = (to.x + to.w / 2.0, to.y);
    let d = if y2 > y1 {
        let my = (y1 + y2) / 2.0;
        format!("M{x1:.1},{y1:.1} C{x1:.1},{my:.1} {x2:.1},{my:.1} {x2:.1},{y2:.1}")
    } else {
        // Back edge: leave from the right side, go around, enter the target from its right side.
        let side = from.x.max(to.x) + from.w.max(to.w) + 24.0;
        let (sy, ty) = (from.y + from.h / 2.0, to.y + to.h / 2.0);
        let (fx, tx) = (from.x + from.w, to.x + to.w);
        format!("M{fx:.1},{sy:.1} L{side:.1},{sy:.1} L{side:.1},{ty:.1} L{tx:.1},{ty:.1}")
    };
    EdgePath {
        from: from.name.clone(),
        to: to.name.clone(),
        kind,
        label,
        d,
        label_x: (x1 + x2) / 2.0,
        label_y: (y1 + y2) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parallel_children_sit_inside_their_container() {
        let def = json!({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
            {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}});
        let l = layout(&FlowGraph::from_definition(&def));
        let p = &l.nodes[0];
        for child in &l.nodes[1..] {
            assert!(
                child.x >= p.x && child.x + child.w <= p.x + p.w,
                "{child:?} in {p:?}"
            );
            assert!(child.y >= p.y && child.y + child.h <= p.y + p.h);
        }
        assert!(
            l.nodes[1].x + l.nodes[1].w <= l.nodes[2].x,
            "branches side by side"
        );
    }
}
