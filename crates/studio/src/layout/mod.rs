//! Layered top-to-bottom layout of a [`FlowGraph`] (Sugiyama style), with Parallel branches and Map
//! processors nested inside their containers. Pure and deterministic: the same graph always gives the
//! same boxes and paths ([`layout`]); after an edit, [`layout_after`] also takes the previous layout
//! and keeps each scope's layers and places when it can, so a local edit moves little (the same graph
//! and the same previous layout always give the same result).
//!
//! Per scope (the top level, each Parallel branch, each Map processor), innermost first:
//! 1. back edges are found by a depth-first search from the start state and set aside;
//! 2. states are layered by longest path over the remaining (acyclic) edges;
//! 3. short forward edges get one dummy vertex per skipped layer, so they are routed through free lanes;
//!    long forward edges and back edges are routed orthogonally through side channels right of the scope;
//! 4. crossings are reduced by barycenter sweeps (the best ordering seen is kept);
//! 5. x coordinates come from alternating down/up sweeps, each solving a weighted isotonic regression
//!    per layer (nodes as close as possible to the mean of their neighbours, never overlapping), which
//!    centres parents over children and keeps one-to-one chains straight;
//! 6. edges are drawn as vertical runs inside their own column and S-curves inside the gaps between layers,
//!    so no edge ever passes through a node; labels sit in the gap just above the edge's first vertex.

use crate::graph::{EdgeKind, FlowGraph};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

pub const NODE_W: f64 = 168.0;
pub const NODE_H: f64 = 44.0;
const MAX_NODE_W: f64 = 320.0;
/// Room for the state's icon badge left of its name.
const ICON_W: f64 = 30.0;
const GAP_X: f64 = 32.0;
const DUMMY_W: f64 = 8.0;
const DUMMY_GAP: f64 = 14.0;
const GAP_Y: f64 = 48.0;
const PAD: f64 = 20.0;
const HEADER: f64 = 36.0;
const LANE: f64 = 10.0;
const LANE_GAP: f64 = 16.0;
const LABEL_H: f64 = 14.0;
const CHAR_W: f64 = 6.2;
const TEXT_CHAR_W: f64 = 7.4;
const LABEL_MAX_CHARS: usize = 32;
const MAX_DUMMY_SPAN: usize = 4;
const ORDER_SWEEPS: usize = 8;
const PLACE_SWEEPS: usize = 6;

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
    /// Index (into `Layout::nodes`) of the enclosing container, if any.
    pub parent: Option<usize>,
    /// The layer (row) of the state in its scope; what [`layout_after`] keeps. Not serialised.
    #[serde(skip)]
    pub layer: usize,
    /// The centre's x in its scope's own frame; what [`layout_after`] keeps. Not serialised.
    #[serde(skip)]
    pub local_x: f64,
}

/// A routed edge as an SVG path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgePath {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// The label to draw (long conditions are shortened with an ellipsis; see `full_label`).
    pub label: Option<String>,
    pub d: String,
    /// Centre of the label's baseline (draw with `text-anchor="middle"`).
    pub label_x: f64,
    pub label_y: f64,
    /// The untruncated label, for a tooltip.
    pub full_label: Option<String>,
    /// Estimated label width in world units (for a background rectangle).
    pub label_w: f64,
    /// Index of the source and target node in `Layout::nodes`.
    pub from_index: usize,
    pub to_index: usize,
    /// Which Choice rule or catcher (`Choices[i]`, `Catch[i]`) the edge is; 0 otherwise (the page's
    /// `data-rule`, telling apart two rules with the same target). Not in the serialised layout.
    #[serde(skip)]
    pub rule: usize,
    /// True for edges that go back up (loops), routed around the scope.
    pub back: bool,
    /// The x of the edge's bends through the layers it skips, in its scope's frame; what
    /// [`layout_after`] keeps. Not serialised.
    #[serde(skip)]
    pub dummies: Vec<f64>,
}

/// The area of one Parallel branch or Map processor inside its container (a drop target; an empty
/// one is drawn as a placeholder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeSlot {
    /// Index (into `Layout::nodes`) of the container.
    pub container: usize,
    pub branch: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// True when the branch has no states.
    pub empty: bool,
}

/// A whole laid-out graph.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    /// Every branch/processor area, outer containers first.
    pub slots: Vec<ScopeSlot>,
    pub width: f64,
    pub height: f64,
}

/// A path command in world units.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seg {
    M(f64, f64),
    L(f64, f64),
    C(f64, f64, f64, f64, f64, f64),
}

impl Seg {
    fn shift(self, dx: f64, dy: f64) -> Seg {
        match self {
            Seg::M(x, y) => Seg::M(x + dx, y + dy),
            Seg::L(x, y) => Seg::L(x + dx, y + dy),
            Seg::C(a, b, c, d, e, f) => Seg::C(a + dx, b + dy, c + dx, d + dy, e + dx, f + dy),
        }
    }
}

struct Route {
    segs: Vec<Seg>,
    label: (f64, f64),
    back: bool,
}

/// Result of laying out one scope, in coordinates relative to the scope's top-left corner.
struct ScopeOut {
    w: f64,
    h: f64,
    /// (node index, x, y) for the scope's states and, already translated, all nested states.
    nodes: Vec<(usize, f64, f64)>,
    edges: Vec<(usize, Route)>,
    /// (container, branch, x, y, w, h, empty), translated like `nodes`.
    slots: Vec<(usize, usize, f64, f64, f64, f64, bool)>,
}

struct Ctx<'a> {
    graph: &'a FlowGraph,
    size: Vec<(f64, f64)>,
    /// Members of each scope, keyed by (parent, branch).
    scopes: HashMap<(Option<usize>, usize), Vec<usize>>,
    /// Branch numbers of each container, sorted.
    branches: HashMap<usize, Vec<usize>>,
    /// Edge indices by the scope of their source.
    scope_edges: HashMap<(Option<usize>, usize), Vec<usize>>,
    /// The previous layout, when the layers and order are to be kept (see [`layout_after`]).
    prev: Option<Prev<'a>>,
    /// The layer given to each state.
    layer: Vec<usize>,
    /// The centre's x of each state in its scope's frame.
    local_x: Vec<f64>,
    /// The x of each edge's bends in its scope's frame.
    bends: Vec<Vec<f64>>,
}

/// What is kept of a previous layout: per state name its layer and centre x, and its edges.
struct Prev<'a> {
    nodes: HashMap<&'a str, (usize, f64)>,
    edges: std::collections::HashSet<(&'a str, &'a str)>,
    /// Bends per edge (source, target, kind, rule).
    bends: HashMap<(&'a str, &'a str, EdgeKind, usize), &'a [f64]>,
}

/// Lay out a graph.
pub fn layout(graph: &FlowGraph) -> Layout {
    layout_after(graph, None)
}

/// Lay out a graph after an edit, keeping what can be kept of the layout before it (`prev`), so that
/// a local edit moves little: in each scope whose states all were in `prev`, the states keep their
/// layers (empty layers closed up) and start from their previous left-to-right order, provided every
/// arrow that would go up or sideways under those layers already existed in `prev` (so a new
/// transition is never drawn as a loop). Otherwise that scope is laid out afresh, as [`layout`] does.
/// Deterministic: the same graph and the same `prev` give the same layout; always a valid layout
/// whatever `prev` is.
pub fn layout_after(graph: &FlowGraph, prev: Option<&Layout>) -> Layout {
    let n = graph.nodes.len();
    let prev = prev.map(|p| Prev {
        nodes: p
            .nodes
            .iter()
            .map(|b| (b.name.as_str(), (b.layer, b.local_x)))
            .collect(),
        edges: p
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect(),
        bends: p
            .edges
            .iter()
            .map(|e| {
                (
                    (e.from.as_str(), e.to.as_str(), e.kind, e.rule),
                    e.dummies.as_slice(),
                )
            })
            .collect(),
    });
    let mut ctx = Ctx {
        prev,
        layer: vec![0; n],
        local_x: vec![0.0; n],
        bends: vec![Vec::new(); graph.edges.len()],
        graph,
        size: graph
            .nodes
            .iter()
            .map(|s| {
                // The name, centred right of the icon badge (ICON_W) with padding on both sides.
                let text = s.name.chars().count() as f64 * TEXT_CHAR_W + 24.0 + ICON_W;
                (text.clamp(NODE_W, MAX_NODE_W), NODE_H)
            })
            .collect(),
        scopes: HashMap::new(),
        branches: HashMap::new(),
        scope_edges: HashMap::new(),
    };
    for (i, s) in graph.nodes.iter().enumerate() {
        ctx.scopes.entry((s.parent, s.branch)).or_default().push(i);
        if let Some(p) = s.parent {
            let b = ctx.branches.entry(p).or_default();
            if !b.contains(&s.branch) {
                b.push(s.branch);
            }
        }
    }
    // Containers whose branches are all empty still get their (empty) scopes.
    for (i, s) in graph.nodes.iter().enumerate() {
        if s.scopes > 0 {
            let b = ctx.branches.entry(i).or_default();
            for k in 0..s.scopes {
                if !b.contains(&k) {
                    b.push(k);
                }
            }
        }
    }
    for b in ctx.branches.values_mut() {
        b.sort_unstable();
    }
    for (ei, e) in graph.edges.iter().enumerate() {
        if let (Some(f), Some(t)) = (graph.nodes.get(e.from), graph.nodes.get(e.to))
            && f.parent == t.parent
            && f.branch == t.branch
        {
            ctx.scope_edges
                .entry((f.parent, f.branch))
                .or_default()
                .push(ei);
        }
    }
    let out = place_scope(&mut ctx, None, 0, 0);
    let mut pos = vec![(0.0, 0.0); n];
    for &(i, x, y) in &out.nodes {
        if let Some(p) = pos.get_mut(i) {
            *p = (x + PAD, y + PAD);
        }
    }
    let mut depth = vec![0usize; n];
    for (i, node) in graph.nodes.iter().enumerate() {
        let mut p = node.parent;
        let mut d = 0;
        while let Some(q) = p {
            d += 1;
            p = graph.nodes.get(q).and_then(|s| s.parent);
            if d > crate::graph::MAX_DEPTH + 1 {
                break;
            }
        }
        depth[i] = d;
    }
    let nodes: Vec<NodeBox> = (0..n)
        .map(|i| NodeBox {
            index: i,
            name: graph.nodes[i].name.clone(),
            kind: graph.nodes[i].kind.clone(),
            x: round1(pos[i].0),
            y: round1(pos[i].1),
            w: round1(ctx.size[i].0),
            h: round1(ctx.size[i].1),
            container: ctx.branches.contains_key(&i),
            depth: depth[i],
            parent: graph.nodes[i].parent,
            layer: ctx.layer.get(i).copied().unwrap_or(0),
            local_x: ctx.local_x.get(i).copied().unwrap_or(0.0),
        })
        .collect();
    let mut routes: Vec<Option<Route>> = (0..graph.edges.len()).map(|_| None).collect();
    for (ei, r) in out.edges {
        if let Some(slot) = routes.get_mut(ei) {
            *slot = Some(r);
        }
    }
    let mut bends = std::mem::take(&mut ctx.bends);
    let edges = graph
        .edges
        .iter()
        .zip(routes)
        .enumerate()
        .filter_map(|(ei, (e, r))| {
            let r = r?;
            let (from, to) = (graph.nodes.get(e.from)?, graph.nodes.get(e.to)?);
            let mut d = String::with_capacity(r.segs.len() * 24);
            for s in &r.segs {
                let (cmd, pts): (&str, &[f64]) = match s.shift(PAD, PAD) {
                    Seg::M(x, y) => ("M", &[x, y]),
                    Seg::L(x, y) => (" L", &[x, y]),
                    Seg::C(a, b, c, dd, x, y) => (" C", &[a, b, c, dd, x, y]),
                };
                d.push_str(cmd);
                for (i, v) in pts.iter().enumerate() {
                    if i > 0 {
                        d.push(if i % 2 == 1 { ',' } else { ' ' });
                    }
                    push_num(&mut d, *v);
                }
            }
            let label = e.label.as_deref().map(short_label);
            Some(EdgePath {
                from: from.name.clone(),
                to: to.name.clone(),
                kind: e.kind,
                label_w: round1(label.as_deref().map_or(0.0, label_width)),
                label,
                full_label: e.label.clone(),
                d,
                label_x: round1(r.label.0 + PAD),
                label_y: round1(r.label.1 + PAD),
                from_index: e.from,
                to_index: e.to,
                rule: e.rule,
                back: r.back,
                dummies: bends.get_mut(ei).map(std::mem::take).unwrap_or_default(),
            })
        })
        .collect();
    let mut slots: Vec<ScopeSlot> = out
        .slots
        .iter()
        .map(|&(container, branch, x, y, w, h, empty)| ScopeSlot {
            container,
            branch,
            x: round1(x + PAD),
            y: round1(y + PAD),
            w: round1(w),
            h: round1(h),
            empty,
        })
        .collect();
    slots.sort_by(|a, b| {
        (depth.get(a.container), a.container, a.branch).cmp(&(
            depth.get(b.container),
            b.container,
            b.branch,
        ))
    });
    Layout {
        nodes,
        edges,
        slots,
        width: round1(out.w + 2.0 * PAD),
        height: round1(out.h + 2.0 * PAD),
    }
}

/// A coordinate on a grid of 1/1024: sums of such numbers are exact, so a state's place (its scope's
/// offset plus its place in the scope) rounds the same way whichever way the same places were reached
/// (a layout after an edit computes them by another path than a fresh one).
fn snap(v: f64) -> f64 {
    if v.is_finite() {
        (v * 1024.0).round() / 1024.0
    } else {
        0.0
    }
}

/// Rounds to one decimal, like the numbers in edge paths.
fn round1(v: f64) -> f64 {
    if v.is_finite() {
        (v * 10.0).round() / 10.0
    } else {
        0.0
    }
}

/// Appends a number with one decimal (like `{:.1}`, but without the slow exact float formatting).
fn push_num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round();
    let tenths = if tenths.is_finite() { tenths as i64 } else { 0 };
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    let _ = write!(out, "{}.{}", t / 10, t % 10);
}

fn short_label(s: &str) -> String {
    if s.chars().count() <= LABEL_MAX_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(LABEL_MAX_CHARS - 1).collect();
        t.push('…');
        t
    }
}

fn label_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Lays out a Parallel's branches (or a Map's processor) side by side; sets the container's size and
/// returns its children's placements relative to the container's corner.
fn place_container(ctx: &mut Ctx, container: usize, depth: usize) -> ScopeOut {
    let branches = ctx.branches.get(&container).cloned().unwrap_or_default();
    let mut outs = Vec::new();
    for &b in &branches {
        outs.push(place_scope(ctx, Some(container), b, depth + 1));
    }
    let inner_w =
        outs.iter().map(|o| o.w).sum::<f64>() + GAP_X * outs.len().saturating_sub(1) as f64;
    let title = ctx.graph.nodes.get(container).map_or(0.0, |s| {
        (s.name.chars().count() + s.kind.len()) as f64 * TEXT_CHAR_W + 48.0 + ICON_W
    });
    let w = (inner_w + 2.0 * PAD).max(NODE_W).max(title);
    let inner_h = outs.iter().map(|o| o.h).fold(0.0, f64::max);
    let h = HEADER + inner_h + PAD;
    let mut x = (w - inner_w) / 2.0;
    let mut all = ScopeOut {
        w,
        h,
        nodes: Vec::new(),
        edges: Vec::new(),
        slots: Vec::new(),
    };
    for (o, &b) in outs.into_iter().zip(&branches) {
        all.slots
            .push((container, b, x, HEADER, o.w, inner_h, o.nodes.is_empty()));
        all.slots.extend(
            o.slots
                .into_iter()
                .map(|(c, b, sx, sy, sw, sh, e)| (c, b, sx + x, sy + HEADER, sw, sh, e)),
        );
        all.nodes.extend(
            o.nodes
                .into_iter()
                .map(|(i, nx, ny)| (i, snap(nx + x), snap(ny + HEADER))),
        );
        all.edges.extend(o.edges.into_iter().map(|(ei, mut r)| {
            for s in &mut r.segs {
                *s = s.shift(x, HEADER);
            }
            r.label = (r.label.0 + x, r.label.1 + HEADER);
            (ei, r)
        }));
        x += o.w + GAP_X;
    }
    if let Some(sz) = ctx.size.get_mut(container) {
        *sz = (snap(w), snap(h));
    }
    all
}

/// A vertex of the layered graph of one scope: a state or a dummy on a long edge.
struct Vert {
    /// Node index for states, `None` for dummies.
    node: Option<usize>,
    layer: usize,
    w: f64,
    h: f64,
    /// Width reserved in the layer (node width or the widest label sitting above it).
    eff_w: f64,
    x: f64,
    preds: Vec<(usize, f64)>,
    succs: Vec<(usize, f64)>,
    /// Labels stacked in the gap above this vertex.
    labels: usize,
}

enum Path {
    /// Through consecutive layers: the vertex chain from source to target.
    Chain(Vec<usize>),
    /// Around the scope through a side channel (back edges and very long edges).
    Channel { from: usize, to: usize, back: bool },
}

fn place_scope(ctx: &mut Ctx, parent: Option<usize>, branch: usize, depth: usize) -> ScopeOut {
    let members = ctx
        .scopes
        .get(&(parent, branch))
        .cloned()
        .unwrap_or_default();
    let mut out = ScopeOut {
        w: NODE_W,
        h: NODE_H,
        nodes: Vec::new(),
        edges: Vec::new(),
        slots: Vec::new(),
    };
    if members.is_empty() {
        return out;
    }
    // Containers first: their size depends on their contents.
    let mut nested: HashMap<usize, ScopeOut> = HashMap::new();
    if depth <= crate::graph::MAX_DEPTH {
        for &i in &members {
            if ctx.branches.contains_key(&i) {
                let inner = place_container(ctx, i, depth);
                nested.insert(i, inner);
            }
        }
    }
    let local: HashMap<usize, usize> = members.iter().enumerate().map(|(l, &i)| (i, l)).collect();
    let edge_ids = ctx
        .scope_edges
        .get(&(parent, branch))
        .cloned()
        .unwrap_or_default();
    // (edge index, local from, local to)
    let edges: Vec<(usize, usize, usize)> = edge_ids
        .iter()
        .filter_map(|&ei| {
            let e = ctx.graph.edges.get(ei)?;
            Some((ei, *local.get(&e.from)?, *local.get(&e.to)?))
        })
        .collect();
    let k = members.len();
    let mut out_adj: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (j, &(_, f, _)) in edges.iter().enumerate() {
        out_adj[f].push(j);
    }
    // 1. Back edges by iterative DFS from the start state, then from the others in definition order.
    let start = members
        .iter()
        .position(|&i| ctx.graph.nodes[i].start)
        .unwrap_or(0);
    let mut color = vec![0u8; k];
    let mut back = vec![false; edges.len()];
    let mut dfs_order = Vec::with_capacity(k);
    let roots = std::iter::once(start).chain(0..k);
    for root in roots {
        if color[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        color[root] = 1;
        dfs_order.push(root);
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&j) = out_adj[v].get(next) {
                top.1 += 1;
                let t = edges[j].2;
                match color[t] {
                    0 => {
                        color[t] = 1;
                        dfs_order.push(t);
                        stack.push((t, 0));
                    }
                    1 => back[j] = true,
                    _ => {}
                }
            } else {
                color[v] = 2;
                stack.pop();
            }
        }
    }
    // 2. Longest-path layering over forward edges (Kahn's order).
    let mut indeg = vec![0usize; k];
    for (j, &(_, _, t)) in edges.iter().enumerate() {
        if !back[j] {
            indeg[t] += 1;
        }
    }
    let mut layer = vec![0usize; k];
    let mut queue: Vec<usize> = dfs_order
        .iter()
        .copied()
        .filter(|&v| indeg[v] == 0)
        .collect();
    let mut qi = 0;
    while let Some(&v) = queue.get(qi) {
        qi += 1;
        for &j in &out_adj[v] {
            if back[j] {
                continue;
            }
            let t = edges[j].2;
            layer[t] = layer[t].max(layer[v] + 1);
            indeg[t] -= 1;
            if indeg[t] == 0 {
                queue.push(t);
            }
        }
    }
    // 2b. After an edit: the previous layers, when every state had one and every arrow that would go
    // up or sideways under them was already there (closing up the layers left empty).
    let kept = ctx.prev.as_ref().and_then(|p| {
        let names: Vec<&str> = members
            .iter()
            .map(|&i| ctx.graph.nodes[i].name.as_str())
            .collect();
        let old: Vec<usize> = names
            .iter()
            .map(|n| p.nodes.get(n).map(|t| t.0))
            .collect::<Option<_>>()?;
        let mut distinct = old.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let h: Vec<usize> = old
            .iter()
            .map(|v| distinct.binary_search(v).unwrap_or(0))
            .collect();
        let known = edges
            .iter()
            .all(|&(_, f, t)| h[t] > h[f] || p.edges.contains(&(names[f], names[t])));
        let x: Vec<f64> = names
            .iter()
            .map(|n| p.nodes.get(n).map_or(0.0, |t| t.1))
            .collect();
        known.then_some((h, x))
    });
    let prev_x = kept.map(|(h, x)| {
        for (j, &(_, f, t)) in edges.iter().enumerate() {
            back[j] = h[t] <= h[f];
        }
        layer = h;
        x
    });
    for (l, &i) in members.iter().enumerate() {
        if let Some(slot) = ctx.layer.get_mut(i) {
            *slot = layer[l];
        }
    }
    let n_layers = layer.iter().max().map_or(1, |m| m + 1);
    // 3. The layered graph with dummies.
    let mut verts: Vec<Vert> = (0..k)
        .map(|l| {
            let (w, h) = ctx.size[members[l]];
            Vert {
                node: Some(members[l]),
                layer: layer[l],
                w,
                h,
                eff_w: w,
                x: 0.0,
                preds: Vec::new(),
                succs: Vec::new(),
                labels: 0,
            }
        })
        .collect();
    let mut paths: Vec<Path> = Vec::with_capacity(edges.len());
    for (j, &(_, f, t)) in edges.iter().enumerate() {
        let span = layer[t].saturating_sub(layer[f]);
        if back[j] || span == 0 || span > MAX_DUMMY_SPAN {
            paths.push(Path::Channel {
                from: f,
                to: t,
                back: back[j] || span == 0,
            });
            continue;
        }
        let mut chain = vec![f];
        for l in layer[f] + 1..layer[t] {
            verts.push(Vert {
                node: None,
                layer: l,
                w: DUMMY_W,
                h: 0.0,
                eff_w: DUMMY_W,
                x: 0.0,
                preds: Vec::new(),
                succs: Vec::new(),
                labels: 0,
            });
            chain.push(verts.len() - 1);
        }
        chain.push(t);
        for pair in chain.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            verts[a].succs.push((b, 1.0));
            verts[b].preds.push((a, 1.0));
        }
        paths.push(Path::Chain(chain));
    }
    // Weights for placement: long edges stay straight (dummy to dummy), and one-to-one links between
    // states form the spine; fan-outs and fan-ins get centred by the averaging.
    for a in 0..verts.len() {
        for si in 0..verts[a].succs.len() {
            let b = verts[a].succs[si].0;
            let w = match (verts[a].node.is_none(), verts[b].node.is_none()) {
                (true, true) => 8.0,
                (false, false) if verts[a].succs.len() == 1 && verts[b].preds.len() == 1 => 4.0,
                _ => 1.0,
            };
            verts[a].succs[si].1 = w;
        }
    }
    for v in &mut verts {
        v.preds.clear();
    }
    for a in 0..verts.len() {
        for si in 0..verts[a].succs.len() {
            let (b, w) = verts[a].succs[si];
            verts[b].preds.push((a, w));
        }
    }
    // Labels sit above the first vertex after the source (channel edges: above the target).
    let mut label_slot = vec![0usize; edges.len()];
    for (j, p) in paths.iter().enumerate() {
        let e = &ctx.graph.edges[edges[j].0];
        let Some(text) = e.label.as_deref() else {
            continue;
        };
        let v = match p {
            Path::Chain(c) => c.get(1).copied().unwrap_or(0),
            Path::Channel { to, .. } => *to,
        };
        label_slot[j] = verts[v].labels;
        verts[v].labels += 1;
        let lw = label_width(&short_label(text)) + 8.0;
        verts[v].eff_w = verts[v].eff_w.max(lw);
    }
    // 4. Ordering: DFS discovery order, then barycenter sweeps.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); n_layers];
    {
        let mut seen = vec![false; verts.len()];
        let mut order_roots: Vec<usize> = dfs_order.clone();
        order_roots.extend(0..verts.len());
        for root in order_roots {
            if seen[root] {
                continue;
            }
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                layers[verts[v].layer].push(v);
                for &(s, _) in verts[v].succs.iter().rev() {
                    if !seen[s] {
                        stack.push(s);
                    }
                }
            }
        }
    }
    // After an edit: the previous left-to-right order and places (dummies between their ends' old
    // places).
    let anchor = prev_x.as_ref().map(|px| {
        let mut key: Vec<f64> = (0..verts.len())
            .map(|v| px.get(v).copied().unwrap_or(0.0))
            .collect();
        for (j, p) in paths.iter().enumerate() {
            if let Path::Chain(c) = p
                && let (Some(&a), Some(&b)) = (c.first(), c.last())
            {
                let span = (c.len() - 1) as f64;
                let old = ctx.prev.as_ref().and_then(|p| {
                    let e = ctx.graph.edges.get(edges[j].0)?;
                    let (f, t) = (ctx.graph.nodes.get(e.from)?, ctx.graph.nodes.get(e.to)?);
                    let d = *p
                        .bends
                        .get(&(f.name.as_str(), t.name.as_str(), e.kind, e.rule))?;
                    (d.len() + 2 == c.len()).then_some(d)
                });
                for (s, &v) in c.iter().enumerate().take(c.len() - 1).skip(1) {
                    key[v] = old.map_or(px[a] + (px[b] - px[a]) * s as f64 / span, |d| d[s - 1]);
                }
            }
        }
        for l in &mut layers {
            l.sort_by(|a, b| key[*a].total_cmp(&key[*b]));
        }
        key
    });
    order_layers(&verts, &mut layers);
    // 5. Coordinates.
    assign_x(&mut verts, &layers, anchor.as_deref());
    // Vertical: layer tops, band heights, gaps (index l = gap above layer l; n_layers = below the last).
    let mut band_h = vec![0.0f64; n_layers];
    for v in &verts {
        band_h[v.layer] = band_h[v.layer].max(v.h);
    }
    let mut exits = vec![0usize; n_layers + 1];
    let mut entries = vec![0usize; n_layers + 1];
    let mut labels_in = vec![0usize; n_layers + 1];
    // Channel edges into the same target share one entry.
    let mut entry_groups: HashMap<usize, usize> = HashMap::new();
    let mut exit_slot = vec![0usize; paths.len()];
    for (j, p) in paths.iter().enumerate() {
        if let Path::Channel { from, to, .. } = *p {
            let g = layer[from] + 1;
            exit_slot[j] = exits[g];
            exits[g] += 1;
            entry_groups.entry(to).or_insert_with(|| {
                entries[layer[to]] += 1;
                entries[layer[to]] - 1
            });
        }
    }
    for v in &verts {
        labels_in[v.layer] = labels_in[v.layer].max(v.labels);
    }
    let mut gap = vec![0.0f64; n_layers + 1];
    for (l, g) in gap.iter_mut().enumerate() {
        let need = exits[l] as f64 * 5.0
            + entries[l] as f64 * 5.0
            + labels_in[l] as f64 * LABEL_H
            + if exits[l] + entries[l] > 0 { 16.0 } else { 0.0 };
        let base = if l == 0 || l == n_layers {
            if need > 0.0 { 12.0 } else { 0.0 }
        } else {
            GAP_Y
        };
        *g = (base + need).max(if l == 0 || l == n_layers { 0.0 } else { GAP_Y });
    }
    let mut top = vec![0.0f64; n_layers];
    let mut y = 0.0;
    for l in 0..n_layers {
        y += gap[l];
        top[l] = y;
        y += band_h[l];
    }
    let height = y + gap[n_layers];
    // Horizontal extent: shift so the leftmost reserved edge is at 0.
    let min_x = verts
        .iter()
        .map(|v| v.x - v.eff_w / 2.0)
        .fold(f64::INFINITY, f64::min);
    let min_x = if min_x.is_finite() { min_x } else { 0.0 };
    // After an edit the previous frame is kept unless something now reaches left of it.
    let min_x = if anchor.is_some() {
        min_x.min(0.0)
    } else {
        min_x
    };
    for v in &mut verts {
        v.x = snap(v.x - min_x);
        if let Some(slot) = v.node.and_then(|i| ctx.local_x.get_mut(i)) {
            *slot = v.x;
        }
    }
    for (j, p) in paths.iter().enumerate() {
        if let Path::Chain(c) = p
            && let Some(slot) = ctx.bends.get_mut(edges[j].0)
        {
            *slot = c
                .iter()
                .take(c.len().saturating_sub(1))
                .skip(1)
                .map(|&v| verts[v].x)
                .collect();
        }
    }
    let right = verts
        .iter()
        .map(|v| v.x + v.eff_w / 2.0)
        .fold(0.0, f64::max);
    // Channel lanes: one per target group, reused when vertical extents do not overlap.
    let gap_bottom = |l: usize| -> f64 { if l < n_layers { top[l] } else { height } };
    let gap_top = |l: usize| -> f64 {
        if l == 0 {
            0.0
        } else {
            top[l - 1] + band_h[l - 1]
        }
    };
    let exit_y = |j: usize, from: usize| gap_top(layer[from] + 1) + 8.0 + exit_slot[j] as f64 * 5.0;
    let entry_y = |to: usize| {
        let l = layer[to];
        gap_bottom(l)
            - 8.0
            - verts[to].labels as f64 * LABEL_H
            - entry_groups.get(&to).copied().unwrap_or(0) as f64 * 5.0
    };
    let mut groups: Vec<(f64, f64, usize)> = Vec::new(); // (lo, hi, target)
    for (j, p) in paths.iter().enumerate() {
        if let Path::Channel { from, to, .. } = *p {
            let (a, b) = (exit_y(j, from), entry_y(to));
            let (lo, hi) = (a.min(b), a.max(b));
            if let Some(g) = groups.iter_mut().find(|g| g.2 == to) {
                g.0 = g.0.min(lo);
                g.1 = g.1.max(hi);
            } else {
                groups.push((lo, hi, to));
            }
        }
    }
    groups.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut lane_end: Vec<f64> = Vec::new();
    let mut lane_of: HashMap<usize, usize> = HashMap::new();
    for &(lo, hi, to) in &groups {
        let lane = match lane_end.iter().position(|&end| end + 6.0 < lo) {
            Some(i) => i,
            None => {
                lane_end.push(f64::NEG_INFINITY);
                lane_end.len() - 1
            }
        };
        lane_end[lane] = hi;
        lane_of.insert(to, lane);
    }
    let lane_x = |lane: usize| right + LANE_GAP + lane as f64 * LANE;
    let width = if lane_end.is_empty() {
        right
    } else {
        lane_x(lane_end.len() - 1) + LANE_GAP
    };
    // Ports: outgoing edges spread along the bottom border, incoming along the top, ordered by where
    // the other end lies so that edges leaving one node do not cross each other.
    let mut out_items: Vec<Vec<(f64, usize)>> = vec![Vec::new(); k];
    let mut in_items: Vec<Vec<(f64, usize)>> = vec![Vec::new(); k];
    let mut in_group_key: HashMap<usize, usize> = HashMap::new();
    for (j, p) in paths.iter().enumerate() {
        match p {
            Path::Chain(c) => {
                if let (Some(&a), Some(&b)) = (c.first(), c.last()) {
                    let next = c.get(1).map_or(0.0, |&v| verts[v].x);
                    let prev = c
                        .get(c.len().saturating_sub(2))
                        .map_or(0.0, |&v| verts[v].x);
                    out_items[a].push((next, j));
                    in_items[b].push((prev, j));
                }
            }
            Path::Channel { from, to, .. } => {
                let lx = lane_x(lane_of.get(to).copied().unwrap_or(0));
                out_items[*from].push((lx, j));
                if !in_group_key.contains_key(to) {
                    in_group_key.insert(*to, j);
                    in_items[*to].push((lx, j));
                }
            }
        }
    }
    // Port x of each path at its source (`out_port`) and at its target (`in_port`).
    let mut out_port = vec![f64::NAN; paths.len()];
    let mut in_port = vec![f64::NAN; paths.len()];
    let ports = |items: &mut Vec<(f64, usize)>, v: &Vert, dest: &mut Vec<f64>| {
        items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let n = items.len();
        let spread = if n > 1 {
            ((n - 1) as f64 * 14.0).min(v.w - 24.0).max(0.0)
        } else {
            0.0
        };
        for (i, &(_, j)) in items.iter().enumerate() {
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            };
            if let Some(d) = dest.get_mut(j) {
                *d = v.x - spread / 2.0 + spread * t;
            }
        }
    };
    for v in 0..k {
        ports(&mut out_items[v], &verts[v], &mut out_port);
        ports(&mut in_items[v], &verts[v], &mut in_port);
    }
    let port = |ports: &[f64], j: usize, v: usize| {
        ports
            .get(j)
            .copied()
            .filter(|x| x.is_finite())
            .unwrap_or(verts[v].x)
    };
    // 6. Routes.
    for (j, p) in paths.iter().enumerate() {
        let ei = edges[j].0;
        let mut segs = Vec::new();
        let label_v;
        let mut label_x;
        let back_edge;
        match p {
            Path::Chain(c) => {
                back_edge = false;
                let (Some(&a), Some(&b)) = (c.first(), c.last()) else {
                    continue;
                };
                let mut x = port(&out_port, j, a);
                let mut y = top[verts[a].layer] + verts[a].h;
                segs.push(Seg::M(x, y));
                label_v = c.get(1).copied().unwrap_or(b);
                label_x = x;
                for (step, &v) in c.iter().enumerate().skip(1) {
                    let prev = c[step - 1];
                    let band_bottom = top[verts[prev].layer] + band_h[verts[prev].layer];
                    if y < band_bottom {
                        y = band_bottom;
                        segs.push(Seg::L(x, y));
                    }
                    let nx = if v == b {
                        port(&in_port, j, b)
                    } else {
                        verts[v].x
                    };
                    let ny = top[verts[v].layer];
                    if (nx - x).abs() < 0.05 {
                        segs.push(Seg::L(nx, ny));
                    } else {
                        let my = (y + ny) / 2.0;
                        segs.push(Seg::C(x, my, nx, my, nx, ny));
                    }
                    if v == label_v {
                        label_x = nx;
                    }
                    x = nx;
                    y = ny + verts[v].h;
                }
            }
            Path::Channel { from, to, back } => {
                back_edge = *back;
                let (a, b) = (*from, *to);
                let x0 = port(&out_port, j, a);
                let y0 = top[verts[a].layer] + verts[a].h;
                let yh = exit_y(j, a);
                let lx = lane_x(lane_of.get(&b).copied().unwrap_or(0));
                let ye = entry_y(b);
                let key = in_group_key.get(&b).copied().unwrap_or(j);
                let x1 = port(&in_port, key, b);
                let y1 = top[verts[b].layer];
                segs.extend([
                    Seg::M(x0, y0),
                    Seg::L(x0, yh),
                    Seg::L(lx, yh),
                    Seg::L(lx, ye),
                    Seg::L(x1, ye),
                    Seg::L(x1, y1),
                ]);
                label_v = b;
                label_x = x1;
            }
        }
        let slot = label_slot[j] as f64;
        let label_y = top[verts[label_v].layer] - 5.0 - slot * LABEL_H;
        out.edges.push((
            ei,
            Route {
                segs,
                label: (label_x, label_y),
                back: back_edge,
            },
        ));
    }
    out.w = snap(width.max(NODE_W));
    out.h = snap(height);
    // A scope narrower than its minimum width is centred.
    let dx = (out.w - width).max(0.0) / 2.0;
    if dx > 0.0 {
        for (_, r) in &mut out.edges {
            for s in &mut r.segs {
                *s = s.shift(dx, 0.0);
            }
            r.label.0 += dx;
        }
    }
    for v in verts.iter().take(k) {
        let Some(i) = v.node else { continue };
        let (x, y) = (snap(v.x - v.w / 2.0 + dx), snap(top[v.layer]));
        out.nodes.push((i, x, y));
        if let Some(inner) = nested.remove(&i) {
            out.nodes.extend(
                inner
                    .nodes
                    .into_iter()
                    .map(|(c, cx, cy)| (c, snap(cx + x), snap(cy + y))),
            );
            out.edges.extend(inner.edges.into_iter().map(|(ei, mut r)| {
                for s in &mut r.segs {
                    *s = s.shift(x, y);
                }
                r.label = (r.label.0 + x, r.label.1 + y);
                (ei, r)
            }));
            out.slots.extend(
                inner
                    .slots
                    .into_iter()
                    .map(|(c, b, sx, sy, sw, sh, e)| (c, b, sx + x, sy + y, sw, sh, e)),
            );
        }
    }
    out
}

/// Barycenter sweeps down and up; keeps the ordering with the fewest crossings.
fn order_layers(verts: &[Vert], layers: &mut [Vec<usize>]) {
    let mut pos = vec![0usize; verts.len()];
    let index = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_c = crossings(verts, layers, &pos);
    for sweep in 0..ORDER_SWEEPS {
        if best_c == 0 {
            break;
        }
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let nb = if down {
                        &verts[v].preds
                    } else {
                        &verts[v].succs
                    };
                    let b = if nb.is_empty() {
                        pos[v] as f64
                    } else {
                        nb.iter().map(|&(u, _)| pos[u] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (b, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|t| t.2).collect();
            for (i, &v) in layers[l].iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = crossings(verts, layers, &pos);
        if c < best_c {
            best_c = c;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

/// Number of edge crossings between consecutive layers (inversions counted with a Fenwick tree).
fn crossings(verts: &[Vert], layers: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for (l, layer) in layers.iter().enumerate() {
        let Some(next) = layers.get(l + 1) else { break };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &u in layer {
            for &(v, _) in &verts[u].succs {
                pairs.push((pos[u], pos[v]));
            }
        }
        pairs.sort_unstable();
        let mut tree = vec![0usize; next.len() + 1];
        for (seen, &(_, b)) in pairs.iter().enumerate() {
            // count earlier pairs with a larger target position
            let mut i = b + 1;
            let mut le = 0;
            while i > 0 {
                le += tree[i];
                i &= i - 1;
            }
            total += seen - le;
            let mut i = b + 1;
            while i < tree.len() {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Alternating sweeps placing each vertex at the weighted mean of its neighbours in the previous layer,
/// resolved per layer by isotonic regression so that vertices keep their order and separation.
///
/// With `anchor` (after an edit: each vertex's previous centre), each layer is instead placed once as
/// close as possible to those centres (dummies weigh next to nothing), so what the edit did not
/// touch stays exactly where it was.
fn assign_x(verts: &mut [Vert], layers: &[Vec<usize>], anchor: Option<&[f64]>) {
    if let Some(anchor) = anchor {
        for layer in layers {
            let desired: Vec<(f64, f64)> = layer
                .iter()
                .map(|&v| {
                    let w = if verts[v].node.is_some() { 1.0 } else { 1e-9 };
                    (anchor.get(v).copied().unwrap_or(0.0), w)
                })
                .collect();
            let offs = offsets(verts, layer);
            let xs = isotonic(&desired, &offs);
            for (&v, x) in layer.iter().zip(xs) {
                verts[v].x = x;
            }
        }
        return;
    }
    for layer in layers {
        let offs = offsets(verts, layer);
        let mid = offs.last().copied().unwrap_or(0.0) / 2.0;
        for (&v, o) in layer.iter().zip(&offs) {
            verts[v].x = o - mid;
        }
    }
    let n = layers.len();
    for sweep in 0..PLACE_SWEEPS * 2 + 1 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..n).collect()
        } else {
            (0..n.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let layer = &layers[l];
            let desired: Vec<(f64, f64)> = layer
                .iter()
                .map(|&v| {
                    let nb = if down {
                        &verts[v].preds
                    } else {
                        &verts[v].succs
                    };
                    let wsum: f64 = nb.iter().map(|&(_, w)| w).sum();
                    if wsum > 0.0 {
                        let c = nb.iter().map(|&(u, w)| verts[u].x * w).sum::<f64>() / wsum;
                        (c, wsum)
                    } else {
                        (verts[v].x, 0.05)
                    }
                })
                .collect();
            let offs = offsets(verts, layer);
            let xs = isotonic(&desired, &offs);
            for (&v, x) in layer.iter().zip(xs) {
                verts[v].x = x;
            }
        }
    }
}

/// Minimum centre offsets of a layer's vertices from the first one.
fn offsets(verts: &[Vert], layer: &[usize]) -> Vec<f64> {
    let mut o = Vec::with_capacity(layer.len());
    let mut acc = 0.0;
    for (i, &v) in layer.iter().enumerate() {
        if i > 0 {
            let u = layer[i - 1];
            let gap = if verts[u].node.is_some() && verts[v].node.is_some() {
                GAP_X
            } else {
                DUMMY_GAP
            };
            acc += (verts[u].eff_w + verts[v].eff_w) / 2.0 + gap;
        }
        o.push(acc);
    }
    o
}

/// Weighted least squares placement `x_i ≈ desired_i` subject to `x_{i+1} - x_i >= off_{i+1} - off_i`,
/// by pool-adjacent-violators on `z_i = x_i - off_i`.
fn isotonic(desired: &[(f64, f64)], offs: &[f64]) -> Vec<f64> {
    // blocks: (weighted sum, weight, count)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(desired.len());
    for (&(c, w), &o) in desired.iter().zip(offs) {
        blocks.push(((c - o) * w, w, 1));
        while blocks.len() > 1 {
            let (s2, w2, n2) = blocks[blocks.len() - 1];
            let (s1, w1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 > s2 / w2 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, w1 + w2, n1 + n2);
            } else {
                break;
            }
        }
    }
    let mut xs = Vec::with_capacity(desired.len());
    let mut i = 0;
    for (s, w, n) in blocks {
        let z = s / w;
        for _ in 0..n {
            xs.push(z + offs.get(i).copied().unwrap_or(0.0));
            i += 1;
        }
    }
    xs
}

#[cfg(test)]
mod tests;
