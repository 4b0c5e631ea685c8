//! Canvas geometry without a DOM: the pan/zoom viewport (screen ↔ world transforms, zoom about a point,
//! fit to view) and hit testing of laid-out states (which state is under a point, which lie in a box).

use crate::layout::{Layout, NodeBox};
use serde::{Deserialize, Serialize};

/// Smallest and largest zoom factors the viewport allows.
pub const MIN_ZOOM: f64 = 0.05;
pub const MAX_ZOOM: f64 = 4.0;

/// A point in screen (CSS pixel) or world (layout) units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle: top-left corner and size (never negative).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// The rectangle spanned by two corners in any order (a rubber-band selection).
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            w: (a.x - b.x).abs(),
            h: (a.y - b.y).abs(),
        }
    }

    pub fn of_node(n: &NodeBox) -> Rect {
        Rect::new(n.x, n.y, n.w, n.h)
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }

    pub fn contains_rect(&self, r: &Rect) -> bool {
        r.x >= self.x
            && r.y >= self.y
            && r.x + r.w <= self.x + self.w
            && r.y + r.h <= self.y + self.h
    }

    pub fn intersects(&self, r: &Rect) -> bool {
        r.x < self.x + self.w && self.x < r.x + r.w && r.y < self.y + self.h && self.y < r.y + r.h
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// The pan/zoom state of the canvas: `screen = world * zoom + (x, y)`, i.e. the SVG transform
/// `translate(x, y) scale(zoom)` on the world group. Not document history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

fn clamp_zoom(z: f64) -> f64 {
    if z.is_finite() {
        z.clamp(MIN_ZOOM, MAX_ZOOM)
    } else {
        1.0
    }
}

impl Viewport {
    pub fn to_screen(&self, world: Point) -> Point {
        Point::new(world.x * self.zoom + self.x, world.y * self.zoom + self.y)
    }

    pub fn to_world(&self, screen: Point) -> Point {
        let z = clamp_zoom(self.zoom);
        Point::new((screen.x - self.x) / z, (screen.y - self.y) / z)
    }

    /// The SVG `transform` attribute for the world group.
    pub fn transform(&self) -> String {
        format!("translate({} {}) scale({})", self.x, self.y, self.zoom)
    }

    /// Moves the view by a screen-space delta (a drag of the background).
    pub fn pan(&self, dx: f64, dy: f64) -> Viewport {
        if !(dx.is_finite() && dy.is_finite()) {
            return *self;
        }
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            zoom: self.zoom,
        }
    }

    /// Multiplies the zoom by `factor`, keeping the world point under `screen` fixed (wheel/pinch zoom).
    pub fn zoom_at(&self, screen: Point, factor: f64) -> Viewport {
        if !(factor.is_finite() && factor > 0.0 && screen.x.is_finite() && screen.y.is_finite()) {
            return *self;
        }
        let world = self.to_world(screen);
        let zoom = clamp_zoom(self.zoom * factor);
        Viewport {
            x: screen.x - world.x * zoom,
            y: screen.y - world.y * zoom,
            zoom,
        }
    }

    /// The viewport showing `bounds` centred in a `screen_w` × `screen_h` canvas with `padding` pixels
    /// around it; never zooms in beyond 1 (a tiny workflow stays at natural size).
    pub fn fit(bounds: Rect, screen_w: f64, screen_h: f64, padding: f64) -> Viewport {
        let avail_w = (screen_w - 2.0 * padding).max(1.0);
        let avail_h = (screen_h - 2.0 * padding).max(1.0);
        let zoom = if bounds.w > 0.0 && bounds.h > 0.0 {
            clamp_zoom((avail_w / bounds.w).min(avail_h / bounds.h).min(1.0))
        } else {
            1.0
        };
        let c = bounds.center();
        let v = Viewport {
            x: screen_w / 2.0 - c.x * zoom,
            y: screen_h / 2.0 - c.y * zoom,
            zoom,
        };
        if v.x.is_finite() && v.y.is_finite() {
            v
        } else {
            Viewport::default()
        }
    }

    /// The world rectangle visible in a `screen_w` × `screen_h` canvas (for culling).
    pub fn visible_world(&self, screen_w: f64, screen_h: f64) -> Rect {
        let a = self.to_world(Point::new(0.0, 0.0));
        let b = self.to_world(Point::new(screen_w, screen_h));
        Rect::from_corners(a, b)
    }
}

/// The points of an SVG path made of `M`, `L` and `C` commands (as the layout writes them), cubic
/// segments sampled.
pub fn path_polyline(d: &str) -> Vec<Point> {
    const SAMPLES: usize = 12;
    let mut out: Vec<Point> = Vec::new();
    let mut nums: Vec<f64> = Vec::new();
    let mut cmd = ' ';
    let flush = |cmd: char, nums: &mut Vec<f64>, out: &mut Vec<Point>| {
        match cmd {
            'M' | 'L' => {
                for p in nums.chunks_exact(2) {
                    out.push(Point::new(p[0], p[1]));
                }
            }
            'C' => {
                for c in nums.chunks_exact(6) {
                    let p0 = out.last().copied().unwrap_or(Point::new(c[0], c[1]));
                    for i in 1..=SAMPLES {
                        let t = i as f64 / SAMPLES as f64;
                        let u = 1.0 - t;
                        let b = |a: f64, b: f64, c: f64, d: f64| {
                            u * u * u * a
                                + 3.0 * u * u * t * b
                                + 3.0 * u * t * t * c
                                + t * t * t * d
                        };
                        out.push(Point::new(
                            b(p0.x, c[0], c[2], c[4]),
                            b(p0.y, c[1], c[3], c[5]),
                        ));
                    }
                }
            }
            _ => {}
        }
        nums.clear();
    };
    for tok in d
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let (head, rest) = match tok.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => (Some(c), &tok[c.len_utf8()..]),
            _ => (None, tok),
        };
        if let Some(c) = head {
            flush(cmd, &mut nums, &mut out);
            cmd = c.to_ascii_uppercase();
        }
        if let Ok(n) = rest.parse::<f64>() {
            nums.push(n);
        }
    }
    flush(cmd, &mut nums, &mut out);
    out
}

/// The point at fraction `t` (0 = start, 1 = end) of a path's length.
pub fn path_point(d: &str, t: f64) -> Option<Point> {
    let pts = path_polyline(d);
    if pts.len() < 2 {
        return pts.first().copied();
    }
    let len = |a: Point, b: Point| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let total: f64 = pts.windows(2).map(|w| len(w[0], w[1])).sum();
    let mut left = total * t.clamp(0.0, 1.0);
    for w in pts.windows(2) {
        let l = len(w[0], w[1]);
        if l >= left && l > 0.0 {
            let f = left / l;
            return Some(Point::new(
                w[0].x + (w[1].x - w[0].x) * f,
                w[0].y + (w[1].y - w[0].y) * f,
            ));
        }
        left -= l;
    }
    pts.last().copied()
}

impl Layout {
    /// The bounding box of the whole drawing.
    pub fn bounds(&self) -> Rect {
        Rect::new(0.0, 0.0, self.width, self.height)
    }

    /// The innermost state at a world point: a state inside a container wins over the container.
    pub fn node_at(&self, p: Point) -> Option<&NodeBox> {
        self.nodes
            .iter()
            .filter(|n| Rect::of_node(n).contains(p))
            .max_by_key(|n| (n.depth, usize::MAX - n.index))
    }

    /// The states entirely inside a world rectangle (rubber-band selection), in layout order.
    pub fn nodes_in(&self, r: Rect) -> Vec<&NodeBox> {
        self.nodes
            .iter()
            .filter(|n| r.contains_rect(&Rect::of_node(n)))
            .collect()
    }

    /// The states touching a world rectangle (for culling what to draw).
    pub fn nodes_touching(&self, r: Rect) -> Vec<&NodeBox> {
        self.nodes
            .iter()
            .filter(|n| r.intersects(&Rect::of_node(n)))
            .collect()
    }

    /// The box of the state with this name (the first one when nested scopes reuse a name).
    pub fn node_named(&self, name: &str) -> Option<&NodeBox> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// Every box as one SVG path per state kind (containers first, so they lie underneath): the
    /// minimap draws a 1,000-state workflow with a handful of elements.
    pub fn outlines(&self) -> Vec<Outline> {
        let mut out: Vec<Outline> = Vec::new();
        let mut order: Vec<&NodeBox> = self.nodes.iter().collect();
        order.sort_by_key(|n| !n.container);
        for n in order {
            let kind = n.kind.to_lowercase();
            let i = match out
                .iter()
                .position(|o| o.kind == kind && o.container == n.container)
            {
                Some(i) => i,
                None => {
                    out.push(Outline {
                        kind,
                        container: n.container,
                        d: String::new(),
                    });
                    out.len() - 1
                }
            };
            let d = &mut out[i].d;
            if !d.is_empty() {
                d.push(' ');
            }
            d.push_str(&format!("M{} {}h{}v{}h{}z", n.x, n.y, n.w, n.h, -n.w));
        }
        out
    }
}

/// The boxes of one kind of state as one SVG path (`Layout::outlines`).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// The state type, lower case (`task`, `choice`, ...).
    pub kind: String,
    pub container: bool,
    pub d: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FlowGraph, layout};
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn outlines_hold_every_box_once() {
        let def = json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "Next": "C"},
            "C": {"Type": "Pass", "End": true}}});
        let l = layout(&FlowGraph::from_definition(&def));
        let o = l.outlines();
        assert!(o[0].container && o[0].kind == "parallel", "{o:?}");
        let pass = o.iter().find(|o| o.kind == "pass").unwrap();
        assert_eq!(pass.d.matches('M').count(), 2);
        let boxes: usize = o.iter().map(|o| o.d.matches('M').count()).sum();
        assert_eq!(boxes, l.nodes.len());
        let c = l.node_named("C").unwrap();
        assert!(
            pass.d
                .contains(&format!("M{} {}h{}v{}h{}z", c.x, c.y, c.w, c.h, -c.w))
        );
    }

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-6 * (1.0 + a.x.abs()) && (a.y - b.y).abs() < 1e-6 * (1.0 + a.y.abs())
    }

    proptest! {
        #[test]
        fn screen_world_round_trip(x in -1e4f64..1e4, y in -1e4f64..1e4, zoom in MIN_ZOOM..MAX_ZOOM,
                                   px in -1e4f64..1e4, py in -1e4f64..1e4) {
            let v = Viewport { x, y, zoom };
            let p = Point::new(px, py);
            prop_assert!(close(v.to_world(v.to_screen(p)), p));
            prop_assert!(close(v.to_screen(v.to_world(p)), p));
        }

        #[test]
        fn zoom_keeps_the_point_under_the_cursor(x in -1e3f64..1e3, y in -1e3f64..1e3, zoom in 0.1f64..3.0,
                                                 sx in 0.0f64..2000.0, sy in 0.0f64..2000.0, f in 0.2f64..5.0) {
            let v = Viewport { x, y, zoom };
            let s = Point::new(sx, sy);
            let before = v.to_world(s);
            let after = v.zoom_at(s, f);
            prop_assert!(after.zoom >= MIN_ZOOM && after.zoom <= MAX_ZOOM);
            prop_assert!(close(after.to_world(s), before));
        }
    }

    #[test]
    fn points_along_paths() {
        let p = |d: &str, t: f64| {
            path_point(d, t).map(|p| ((p.x * 10.0).round() / 10.0, (p.y * 10.0).round() / 10.0))
        };
        assert_eq!(p("M0.0,0.0 L0.0,100.0", 0.5), Some((0.0, 50.0)));
        assert_eq!(p("M0.0,0.0 L0.0,10.0 L30.0,10.0", 0.5), Some((10.0, 10.0)));
        assert_eq!(p("M0.0,0.0 L0.0,100.0", 1.0), Some((0.0, 100.0)));
        assert_eq!(p("M5.0,5.0", 0.5), Some((5.0, 5.0)));
        assert_eq!(p("", 0.5), None);
        assert_eq!(p("garbage C 1 2", 0.5), None);
        let curve = p("M0.0,0.0 C0.0,50.0 100.0,50.0 100.0,100.0", 0.5).unwrap();
        assert!(
            (curve.0 - 50.0).abs() < 1.0 && (curve.1 - 50.0).abs() < 1.0,
            "{curve:?}"
        );
    }

    #[test]
    fn fit_centres_and_scales_down_only() {
        let v = Viewport::fit(Rect::new(0.0, 0.0, 2000.0, 1000.0), 1000.0, 800.0, 0.0);
        assert_eq!(v.zoom, 0.5);
        assert_eq!(
            v.to_screen(Point::new(1000.0, 500.0)),
            Point::new(500.0, 400.0)
        );
        let small = Viewport::fit(Rect::new(10.0, 10.0, 100.0, 50.0), 1000.0, 800.0, 20.0);
        assert_eq!(small.zoom, 1.0);
        assert_eq!(
            small.to_screen(Point::new(60.0, 35.0)),
            Point::new(500.0, 400.0)
        );
        let degenerate = Viewport::fit(Rect::new(f64::NAN, 0.0, 0.0, 0.0), 0.0, 0.0, 50.0);
        assert!(degenerate.x.is_finite() && degenerate.zoom == 1.0);
        let visible = small.visible_world(1000.0, 800.0);
        assert!(visible.contains_rect(&Rect::new(10.0, 10.0, 100.0, 50.0)));
    }

    #[test]
    fn bad_numbers_leave_the_viewport_alone() {
        let v = Viewport::default();
        assert_eq!(v.zoom_at(Point::new(1.0, 1.0), f64::NAN), v);
        assert_eq!(v.zoom_at(Point::new(1.0, 1.0), -2.0), v);
        assert_eq!(v.pan(f64::INFINITY, 0.0), v);
        assert_eq!(v.zoom_at(Point::new(0.0, 0.0), 1e9).zoom, MAX_ZOOM);
        assert_eq!(v.transform(), "translate(0 0) scale(1)");
    }

    #[test]
    fn hit_testing_prefers_the_innermost_state() {
        let def = json!({"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"After","Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
            {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},"After":{"Type":"Succeed"}}});
        let l = layout(&FlowGraph::from_definition(&def));
        let a = l.node_named("A").unwrap();
        let p = l.node_named("P").unwrap();
        let hit = |x: f64, y: f64| l.node_at(Point::new(x, y)).map(|n| n.name.as_str());
        assert_eq!(hit(a.x + 5.0, a.y + 5.0), Some("A"));
        assert_eq!(hit(p.x + 2.0, p.y + 2.0), Some("P"));
        assert_eq!(hit(-5.0, -5.0), None);
        let all: Vec<_> = l
            .nodes_in(l.bounds())
            .iter()
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(all, ["P", "After", "A", "B"]);
        let only_a: Vec<_> = l
            .nodes_in(Rect::from_corners(
                Point::new(a.x + a.w + 1.0, a.y + a.h + 1.0),
                Point::new(a.x - 1.0, a.y - 1.0),
            ))
            .iter()
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(only_a, ["A"]);
        assert_eq!(
            l.nodes_touching(Rect::new(a.x + 1.0, a.y + 1.0, 1.0, 1.0))
                .len(),
            2,
            "A and its container"
        );
    }
}
