//! What the canvas draws: only the states, arrows and empty branches that touch a "draw window" around
//! the visible part of the world, so a 1,000-state workflow costs what its visible part costs. The
//! window is the view grown on every side and is kept while the view stays inside it, so most pan
//! frames only move the world group's transform and re-render nothing.

use crate::geometry::{Point, Rect, Viewport, path_polyline};
use crate::graph::EdgeKind;
use crate::layout::Layout;
use std::collections::{BTreeMap, HashMap};

/// How much the draw window extends past the view on each side, as a fraction of the view's size.
pub const WINDOW_MARGIN: f64 = 0.5;

/// Below this zoom the canvas is drawn with less detail (no text, icons or arrow labels: at 20 % a
/// 13 px name is under 3 px high); the states keep their boxes, accessible names and attributes.
pub const LOW_DETAIL_ZOOM: f64 = 0.2;

/// Bounding boxes of a layout's items in world units, computed once per layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CullIndex {
    nodes: Vec<Rect>,
    edges: Vec<Rect>,
    slots: Vec<Rect>,
}

/// Indices into `Layout::nodes`, `Layout::edges` and `Layout::slots` of what to draw, in layout order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visible {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
    pub slots: Vec<usize>,
}

/// The box around points, grown by `pad` (x) and `pad_y` (y).
fn around(points: &[Point], pad_x: f64, pad_y: f64) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in points.iter().filter(|p| p.x.is_finite() && p.y.is_finite()) {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    if x0 > x1 {
        return Rect::new(0.0, 0.0, 0.0, 0.0);
    }
    Rect::new(
        x0 - pad_x,
        y0 - pad_y,
        x1 - x0 + 2.0 * pad_x,
        y1 - y0 + 2.0 * pad_y,
    )
}

impl CullIndex {
    pub fn new(layout: &Layout) -> CullIndex {
        CullIndex {
            nodes: layout.nodes.iter().map(Rect::of_node).collect(),
            // The path, its arrowhead and retarget handle, and a label centred on it.
            edges: layout
                .edges
                .iter()
                .map(|e| {
                    let mut pts = path_polyline(&e.d);
                    pts.push(Point::new(e.label_x, e.label_y));
                    around(&pts, 12.0 + e.label_w.max(10.0) / 2.0, 16.0)
                })
                .collect(),
            slots: layout
                .slots
                .iter()
                .map(|s| Rect::new(s.x, s.y, s.w, s.h))
                .collect(),
        }
    }

    /// Everything touching `window` (a world rectangle).
    pub fn visible(&self, window: Rect) -> Visible {
        let pick = |rects: &[Rect]| {
            rects
                .iter()
                .enumerate()
                .filter(|(_, r)| window.intersects(r))
                .map(|(i, _)| i)
                .collect()
        };
        Visible {
            nodes: pick(&self.nodes),
            edges: pick(&self.edges),
            slots: pick(&self.slots),
        }
    }
}

/// What a drawn state is, whatever its place: its name (and which one of that name, when an invalid
/// definition repeats it). The canvas keys its elements by this, so an edit that moves states changes
/// their positions instead of re-creating them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeKey {
    pub name: String,
    pub nth: usize,
}

/// What a drawn arrow is, whatever its route: its ends, kind and label (and which one of those, when
/// two arrows are alike).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeKey {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: Option<String>,
    pub nth: usize,
}

/// The keys of a layout's states and arrows (in layout order) and where each key is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemKeys {
    pub nodes: Vec<NodeKey>,
    pub edges: Vec<EdgeKey>,
    node_at: HashMap<NodeKey, usize>,
    edge_at: HashMap<EdgeKey, usize>,
}

impl ItemKeys {
    pub fn new(layout: &Layout) -> ItemKeys {
        let mut out = ItemKeys::default();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, n) in layout.nodes.iter().enumerate() {
            let nth = seen.entry(n.name.as_str()).or_default();
            let key = NodeKey {
                name: n.name.clone(),
                nth: *nth,
            };
            *nth += 1;
            out.node_at.insert(key.clone(), i);
            out.nodes.push(key);
        }
        for (i, e) in layout.edges.iter().enumerate() {
            let mut key = EdgeKey {
                from: e.from.clone(),
                to: e.to.clone(),
                kind: e.kind,
                label: e.label.clone(),
                nth: 0,
            };
            while out.edge_at.contains_key(&key) {
                key.nth += 1;
            }
            out.edge_at.insert(key.clone(), i);
            out.edges.push(key);
        }
        out
    }

    /// Where a state is in `Layout::nodes`.
    pub fn node(&self, key: &NodeKey) -> Option<usize> {
        self.node_at.get(key).copied()
    }

    /// Where an arrow is in `Layout::edges`.
    pub fn edge(&self, key: &EdgeKey) -> Option<usize> {
        self.edge_at.get(key).copied()
    }
}

/// The visible world rectangle grown by [`WINDOW_MARGIN`] on every side.
pub fn window_around(view: Rect) -> Rect {
    Rect::new(
        view.x - view.w * WINDOW_MARGIN,
        view.y - view.h * WINDOW_MARGIN,
        view.w * (1.0 + 2.0 * WINDOW_MARGIN),
        view.h * (1.0 + 2.0 * WINDOW_MARGIN),
    )
}

/// The draw window for a viewport on a `screen_w` × `screen_h` canvas: `current` while the view is
/// still inside it and it is not much larger than needed (after zooming in), else a new one around
/// the view.
pub fn draw_window(
    current: Option<Rect>,
    viewport: &Viewport,
    screen_w: f64,
    screen_h: f64,
) -> Rect {
    let view = viewport.visible_world(screen_w.max(1.0), screen_h.max(1.0));
    let fresh = window_around(view);
    match current {
        Some(w) if w.contains_rect(&view) && w.w <= fresh.w * 1.5 && w.h <= fresh.h * 1.5 => w,
        _ => fresh,
    }
}

/// The smallest pan that brings `target` (a world rectangle) fully into a `screen_w` × `screen_h`
/// view with `padding` pixels to spare (or centres it when it is larger than the view); the same
/// viewport when it is already in view. Keyboard navigation uses it to follow the selection.
pub fn reveal(
    viewport: &Viewport,
    target: Rect,
    screen_w: f64,
    screen_h: f64,
    padding: f64,
) -> Viewport {
    let z = viewport.zoom;
    let (sx, sy) = (target.x * z + viewport.x, target.y * z + viewport.y);
    let (sw, sh) = (target.w * z, target.h * z);
    let shift = |start: f64, len: f64, screen: f64| -> f64 {
        if len + 2.0 * padding > screen {
            screen / 2.0 - (start + len / 2.0)
        } else if start < padding {
            padding - start
        } else if start + len > screen - padding {
            screen - padding - (start + len)
        } else {
            0.0
        }
    };
    let dx = shift(sx, sw, screen_w);
    let dy = shift(sy, sh, screen_h);
    if dx == 0.0 && dy == 0.0 {
        *viewport
    } else {
        viewport.pan(dx, dy)
    }
}

/// The keys whose value differs between two maps (present in one only, or with another value), in
/// key order. The canvas keeps one signal per drawn state for its problems, status and selection and
/// sets only these, so a change that concerns a few states re-renders those states only.
pub fn changed_keys<'a, K: Ord, V: PartialEq>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> Vec<&'a K> {
    let mut out = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => return out,
            (Some((k, _)), None) => {
                out.push(*k);
                a.next();
            }
            (None, Some((k, _))) => {
                out.push(*k);
                b.next();
            }
            (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    out.push(*ka);
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push(*kb);
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if va != vb {
                        out.push(*ka);
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FlowGraph, layout, testgen};
    use proptest::prelude::*;

    fn big() -> Layout {
        layout(&FlowGraph::from_definition(&testgen::nested(300)))
    }

    #[test]
    fn only_what_touches_the_window_is_drawn() {
        let l = big();
        let index = CullIndex::new(&l);
        let v = Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        };
        let window = draw_window(None, &v, 1000.0, 800.0);
        let vis = index.visible(window);
        assert!(!vis.nodes.is_empty() && !vis.edges.is_empty());
        assert!(
            vis.nodes.len() < l.nodes.len() / 4,
            "{} of {}",
            vis.nodes.len(),
            l.nodes.len()
        );
        // Every drawn node touches the window; every state visible on screen is drawn.
        let view = v.visible_world(1000.0, 800.0);
        for (i, n) in l.nodes.iter().enumerate() {
            let r = Rect::of_node(n);
            assert_eq!(vis.nodes.contains(&i), window.intersects(&r), "{}", n.name);
            if view.intersects(&r) {
                assert!(vis.nodes.contains(&i), "{} is on screen", n.name);
            }
        }
        // An arrow with a point on screen is drawn.
        for (i, e) in l.edges.iter().enumerate() {
            if path_polyline(&e.d).iter().any(|p| view.contains(*p)) {
                assert!(vis.edges.contains(&i), "{}->{}", e.from, e.to);
            }
        }
        // A window around everything draws everything.
        let all = index.visible(l.bounds());
        assert_eq!(all.nodes.len(), l.nodes.len());
        assert_eq!(all.edges.len(), l.edges.len());
        assert_eq!(all.slots.len(), l.slots.len());
    }

    #[test]
    fn keys_survive_moves_and_tell_twins_apart() {
        let l = big();
        let keys = ItemKeys::new(&l);
        assert_eq!(keys.nodes.len(), l.nodes.len());
        assert_eq!(keys.edges.len(), l.edges.len());
        for (i, k) in keys.nodes.iter().enumerate() {
            assert_eq!(keys.node(k), Some(i));
        }
        for (i, k) in keys.edges.iter().enumerate() {
            assert_eq!(keys.edge(k), Some(i));
        }
        // Moving every box keeps every key.
        let mut moved = l.clone();
        for n in &mut moved.nodes {
            n.y += 100.0;
        }
        for e in &mut moved.edges {
            e.d = format!("M 0 0 L {} 1", e.d.len());
        }
        assert_eq!(ItemKeys::new(&moved).nodes, keys.nodes);
        assert_eq!(ItemKeys::new(&moved).edges, keys.edges);
        // Two alike arrows (and two states of one name) get different keys.
        let mut twins = l.clone();
        twins.edges.push(l.edges[0].clone());
        twins.nodes.push(l.nodes[0].clone());
        let k = ItemKeys::new(&twins);
        assert_eq!(k.edges.last().unwrap().nth, 1);
        assert_eq!(k.nodes.last().unwrap().nth, 1);
        assert_eq!(k.edge(k.edges.last().unwrap()), Some(l.edges.len()));
    }

    #[test]
    fn small_pans_keep_the_window() {
        let v = Viewport {
            x: -200.0,
            y: -300.0,
            zoom: 0.8,
        };
        let w = draw_window(None, &v, 1000.0, 800.0);
        assert!(w.contains_rect(&v.visible_world(1000.0, 800.0)));
        // Panning less than the margin keeps it: nothing is re-culled.
        assert_eq!(draw_window(Some(w), &v.pan(120.0, -90.0), 1000.0, 800.0), w);
        // Panning past it, or zooming far in, makes a new one.
        assert_ne!(draw_window(Some(w), &v.pan(900.0, 0.0), 1000.0, 800.0), w);
        let zoomed = v.zoom_at(Point::new(500.0, 400.0), 3.0);
        assert_ne!(draw_window(Some(w), &zoomed, 1000.0, 800.0), w);
        // Zooming out past the window makes a new one too.
        let out = v.zoom_at(Point::new(500.0, 400.0), 0.4);
        assert_ne!(draw_window(Some(w), &out, 1000.0, 800.0), w);
    }

    #[test]
    fn reveal_pans_just_enough() {
        let v = Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        };
        let inside = Rect::new(100.0, 100.0, 50.0, 40.0);
        assert_eq!(reveal(&v, inside, 800.0, 600.0, 20.0), v);
        let below = Rect::new(100.0, 900.0, 50.0, 40.0);
        let r = reveal(&v, below, 800.0, 600.0, 20.0);
        assert_eq!(r.x, 0.0);
        let s = r.to_screen(Point::new(below.x, below.y + below.h));
        assert!((s.y - 580.0).abs() < 1e-9, "{s:?}");
        let left = Rect::new(-500.0, 100.0, 50.0, 40.0);
        let r = reveal(&v, left, 800.0, 600.0, 20.0);
        assert!((r.to_screen(Point::new(left.x, 0.0)).x - 20.0).abs() < 1e-9);
    }

    #[test]
    fn changed_keys_are_the_differences() {
        let old: BTreeMap<&str, u8> = [("a", 1), ("b", 2), ("c", 3)].into();
        let new: BTreeMap<&str, u8> = [("b", 2), ("c", 4), ("d", 5)].into();
        assert_eq!(changed_keys(&old, &new), vec![&"a", &"c", &"d"]);
        assert!(changed_keys(&old, &old).is_empty());
        assert_eq!(changed_keys(&BTreeMap::new(), &new).len(), 3);
    }

    proptest! {
        #[test]
        fn changed_keys_match_lookups(old in proptest::collection::btree_map(0u8..40, 0u8..3, 0..30),
                                      new in proptest::collection::btree_map(0u8..40, 0u8..3, 0..30)) {
            let got: Vec<u8> = changed_keys(&old, &new).into_iter().copied().collect();
            let want: Vec<u8> = (0u8..40).filter(|k| old.get(k) != new.get(k)).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn revealed_targets_are_in_view(x in -5e3f64..5e3, y in -5e3f64..5e3, zoom in 0.05f64..4.0,
                                        tx in -5e3f64..5e3, ty in -5e3f64..5e3) {
            let v = Viewport { x, y, zoom };
            let t = Rect::new(tx, ty, 160.0, 44.0);
            let r = reveal(&v, t, 900.0, 700.0, 16.0);
            let c = r.to_screen(t.center());
            prop_assert!(c.x >= 0.0 && c.x <= 900.0 && c.y >= 0.0 && c.y <= 700.0, "{:?}", c);
            // The window drawn for the revealed view holds the target.
            let w = draw_window(None, &r, 900.0, 700.0);
            prop_assert!(w.intersects(&t));
        }
    }
}
