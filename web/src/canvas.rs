//! The SVG canvas: draws a `studio::Layout` inside one transformed `<g>` (pan/zoom through
//! `studio::Viewport`) with a minimap; selection (click, Shift-click, Shift-drag marquee), keyboard
//! navigation and zoom; and editing by pointer: drag a state onto an edge or into an empty branch,
//! drag an arrow's end handle onto another state, drag a state's connect handle. Every gesture is one
//! `studio::canvas` edit, so one undo step. Copy/paste of states goes through the system clipboard.

use crate::app;
use crate::geom::{path_end, path_midpoint};
use crate::per_name::PerName;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::svg;
use std::collections::BTreeSet;
use studio::canvas::{self as ops, DropTarget, clipboard, icons, nav};
use studio::cull::{self, CullIndex, EdgeKey, ItemKeys, NodeKey};
use studio::{Edit, Point, Rect, Viewport};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, PointerEvent, WheelEvent};

const FIT_PADDING: f64 = 28.0;
/// Pointer travel (CSS px) before a press on a state becomes a drag.
const DRAG_SLOP: f64 = 5.0;

thread_local! {
    /// How long the last layout took (ms), shown as `data-layout-ms` on the canvas for the benchmark.
    static LAYOUT_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// `studio::layout_after`, timed.
pub fn timed_layout(graph: &studio::FlowGraph, prev: Option<&studio::Layout>) -> studio::Layout {
    let perf = window().performance();
    let t0 = perf.as_ref().map(|p| p.now());
    let l = studio::layout_after(graph, prev);
    if let (Some(p), Some(t0)) = (perf, t0) {
        LAYOUT_MS.set(p.now() - t0);
    }
    l
}

/// The page's size in CSS pixels: an upper bound of the canvas's, for culling.
fn page_size() -> (f64, f64) {
    let w = window();
    let px = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| {
        v.ok().and_then(|v| v.as_f64()).unwrap_or(2000.0)
    };
    (px(w.inner_width()), px(w.inner_height()))
}

/// The canvas element's size and position on screen.
fn svg_rect(svg: &NodeRef<svg::Svg>) -> Option<web_sys::DomRect> {
    svg.get_untracked().map(|s| s.get_bounding_client_rect())
}

/// Fits the drawing into the canvas.
pub fn fit_view(state: AppState, svg: &NodeRef<svg::Svg>) {
    if let Some(r) = svg_rect(svg)
        && r.width() > 0.0
        && r.height() > 0.0
    {
        let bounds = state.layout.with_untracked(|l| l.bounds());
        state
            .viewport
            .set(Viewport::fit(bounds, r.width(), r.height(), FIT_PADDING));
    }
}

/// Zooms about the canvas centre.
fn zoom_center(state: AppState, svg: &NodeRef<svg::Svg>, factor: f64) {
    if let Some(r) = svg_rect(svg) {
        let c = Point::new(r.width() / 2.0, r.height() / 2.0);
        state.viewport.update(|v| *v = v.zoom_at(c, factor));
    }
}

/// The world point under a client (page) point.
fn world_at(state: AppState, svg: &NodeRef<svg::Svg>, client: (f64, f64)) -> Option<Point> {
    let r = svg_rect(svg)?;
    let inside = client.0 >= r.left()
        && client.0 <= r.right()
        && client.1 >= r.top()
        && client.1 <= r.bottom();
    inside.then(|| {
        state
            .viewport
            .with_untracked(|v| v.to_world(Point::new(client.0 - r.left(), client.1 - r.top())))
    })
}

fn target_element(ev: &web_sys::Event) -> Option<Element> {
    ev.target().and_then(|t| t.dyn_into::<Element>().ok())
}

fn closest(el: &Element, selector: &str) -> Option<Element> {
    el.closest(selector).ok().flatten()
}

/// Every selected state: the primary selection and, while it is their anchor, the extra ones.
pub fn selection(state: AppState) -> BTreeSet<String> {
    let primary = state.selected.get();
    let mut out = state.multi.with(|(anchor, extra)| {
        if *anchor == primary && primary.is_some() {
            extra.clone()
        } else {
            BTreeSet::new()
        }
    });
    out.extend(primary);
    out
}

fn selection_untracked(state: AppState) -> BTreeSet<String> {
    untrack(|| selection(state))
}

/// Selects exactly these states (the first one is the primary, shown in the inspector).
pub fn select_many(state: AppState, names: Vec<String>) {
    let primary = names.first().cloned();
    let extra = names.into_iter().skip(1).collect();
    state.selected.set(primary.clone());
    state.multi.set((primary, extra));
}

/// Shift-click: adds a state to the selection, or takes it out.
fn toggle_selected(state: AppState, name: &str) {
    let mut all = selection_untracked(state);
    let primary = state.selected.get_untracked();
    if !all.remove(name) {
        all.insert(name.to_string());
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(p) = primary.filter(|p| all.contains(p)) {
        names.push(p);
    }
    let rest: Vec<String> = all.into_iter().filter(|n| !names.contains(n)).collect();
    names.extend(rest);
    select_many(state, names);
}

/// Applies one canvas edit as one undo step; on success selects `select` (when given).
fn run_edit(state: AppState, edit: Edit, select: Option<Vec<String>>) -> bool {
    state.seal();
    let ok = state.edit(edit, None);
    if ok && let Some(names) = select {
        select_many(state, names);
    }
    ok
}

/// Pans the view so the state is on screen (it is then drawn), and moves keyboard focus to it once
/// it is.
fn reveal_and_focus(state: AppState, svg: &NodeRef<svg::Svg>, name: &str) {
    if let Some(r) = svg_rect(svg)
        && let Some(target) = state
            .layout
            .with_untracked(|l| l.node_named(name).map(Rect::of_node))
    {
        state.viewport.update(|v| {
            let to = cull::reveal(v, target, r.width(), r.height(), FIT_PADDING);
            if to != *v {
                *v = to;
            }
        });
    }
    let name = name.to_string();
    // After the reactive updates have drawn it.
    request_animation_frame(move || focus_state(&name));
}

/// Moves keyboard focus to a state's element on the canvas.
fn focus_state(name: &str) {
    // A CSS string: backslashes, quotes and line breaks escaped.
    let mut quoted = String::with_capacity(name.len() + 2);
    for c in name.chars() {
        match c {
            '\\' | '"' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '\n' => quoted.push_str("\\a "),
            c => quoted.push(c),
        }
    }
    let selector = format!("svg.canvas [data-state=\"{quoted}\"]");
    if let Some(el) = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok())
    {
        let _ = el.focus();
    }
}

fn in_text_field(ev: &web_sys::Event) -> bool {
    let active = document().active_element();
    target_element(ev).into_iter().chain(active).any(|el| {
        matches!(
            el.tag_name().to_ascii_lowercase().as_str(),
            "input" | "textarea" | "select"
        )
    })
}

/// What the pointer is doing on the canvas.
#[derive(Debug, Clone, PartialEq)]
enum Gesture {
    Pan {
        x: f64,
        y: f64,
        moved: f64,
    },
    /// Shift-drag on the background: a rubber band in world units.
    Marquee {
        start: Point,
        at: Point,
    },
    /// Pointer down on a state; becomes a move once it travels.
    Press {
        name: String,
        x: f64,
        y: f64,
    },
    /// Dragging a state to another place in the flow.
    Move {
        name: String,
        at: Point,
    },
    /// Dragging the end of an arrow (by index in `Layout::edges`) onto another state.
    Retarget {
        edge: usize,
        from: Point,
        at: Point,
    },
    /// Dragging a state's connect handle onto another state.
    Connect {
        name: String,
        from: Point,
        at: Point,
    },
}

/// Canvas-local signals shared with the state boxes.
#[derive(Clone, Copy)]
struct CanvasCtx {
    gesture: RwSignal<Option<Gesture>>,
    hovered: RwSignal<Option<String>>,
    /// Set while a pointer press is focusing a state, so that focus does not also change the selection
    /// (the click decides, with or without Shift).
    pointer_focus: StoredValue<bool>,
    /// Where each drawn state and arrow is in the layout (they are keyed by what they are, not where).
    keys: Memo<ItemKeys>,
    /// The drawn states' and arrows' own position signals, set by one effect when the layout changes
    /// (one subscriber to the layout instead of one per item; only what moved is notified).
    places: StoredValue<Places>,
    /// Per state name: its worst problem, run status, whether it is selected, whether it is hovered
    /// (each drawn item follows its own names' signals, set only when their value changes).
    problems: PerName<&'static str>,
    statuses: PerName<&'static str>,
    selected: PerName<bool>,
    hovered_names: PerName<bool>,
}

/// A drawn state as its list keys it: key, width and height (bits), kind, container, full detail.
type DrawnNode = (NodeKey, u64, u64, String, bool, bool);
/// A drawn arrow as its list keys it: key, full label, full detail.
type DrawnEdge = (EdgeKey, Option<String>, bool);

/// Where a drawn state is: its offset and its index in the graph.
type NodePlace = (f64, f64, usize);
/// Where a drawn arrow is: path, label centre (x, y), label width, back edge, index in
/// `Layout::edges`, graph indices of its ends.
type EdgePlace = (String, f64, f64, f64, bool, usize, usize, usize);

#[derive(Default)]
struct Places {
    next: u64,
    nodes: Slots<NodeKey, NodePlace>,
    edges: Slots<EdgeKey, EdgePlace>,
}

fn node_place(b: &studio::NodeBox) -> NodePlace {
    (b.x, b.y, b.index)
}

fn edge_place(e: &studio::EdgePath, at: usize) -> EdgePlace {
    // Only a labelled arrow needs the point halfway along its path (measured along the path).
    let (lx, ly) = match e.label {
        Some(_) => path_midpoint(&e.d).unwrap_or((e.label_x, e.label_y)),
        None => (e.label_x, e.label_y),
    };
    let lw = e.label_w.max(10.0) + 8.0;
    (
        e.d.clone(),
        lx,
        ly,
        lw,
        e.back,
        at,
        e.from_index,
        e.to_index,
    )
}

type Slots<K, T> = std::collections::HashMap<u64, (K, RwSignal<T>)>;

/// A drawn item's position signal, registered (in `slot` of the registry) for the layout effect until
/// the item is no longer drawn.
fn place_signal<K, T>(
    ctx: CanvasCtx,
    key: K,
    initial: T,
    slot: fn(&mut Places) -> &mut Slots<K, T>,
) -> RwSignal<T>
where
    K: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    let sig = RwSignal::new(initial);
    let id = ctx.places.try_update_value(|p| {
        p.next += 1;
        let id = p.next;
        slot(p).insert(id, (key, sig));
        id
    });
    on_cleanup(move || {
        if let Some(id) = id {
            ctx.places.try_update_value(|p| slot(p).remove(&id));
        }
    });
    sig
}

#[component]
pub fn Canvas() -> impl IntoView {
    let state = app();
    let svg_ref = NodeRef::<svg::Svg>::new();
    let hovered = RwSignal::new(None::<String>);
    let flags = |names: BTreeSet<String>| names.into_iter().map(|n| (n, true)).collect();
    let ctx = CanvasCtx {
        gesture: RwSignal::new(None),
        hovered,
        pointer_focus: StoredValue::new(false),
        keys: Memo::new(move |_| state.layout.with(ItemKeys::new)),
        places: StoredValue::new(Places::default()),
        problems: PerName::new(state.problems_by_state),
        statuses: PerName::new(state.statuses),
        selected: PerName::new(Memo::new(move |_| flags(selection(state)))),
        hovered_names: PerName::new(Memo::new(move |_| {
            flags(hovered.get().into_iter().collect())
        })),
    };
    provide_context(ctx);
    // A new layout moves the drawn states and re-routes the drawn arrows in place.
    Effect::new(move |_| {
        // Collected first, set after: no signal is set while the registry is borrowed.
        let (moved, rerouted) = ctx.keys.with(|k| {
            state.layout.with(|l| {
                ctx.places.with_value(|p| {
                    let moved: Vec<_> = p
                        .nodes
                        .values()
                        .filter_map(|(key, sig)| {
                            let to = node_place(k.node(key).and_then(|i| l.nodes.get(i))?);
                            (sig.get_untracked() != to).then_some((*sig, to))
                        })
                        .collect();
                    let rerouted: Vec<_> = p
                        .edges
                        .values()
                        .filter_map(|(key, sig)| {
                            let i = k.edge(key)?;
                            let e = l.edges.get(i)?;
                            let changed = sig.with_untracked(|g| {
                                g.0 != e.d
                                    || g.4 != e.back
                                    || g.5 != i
                                    || (g.6, g.7) != (e.from_index, e.to_index)
                            });
                            changed.then(|| (*sig, edge_place(e, i)))
                        })
                        .collect();
                    (moved, rerouted)
                })
            })
        });
        for (sig, to) in moved {
            sig.set(to);
        }
        for (sig, to) in rerouted {
            sig.set(to);
        }
    });
    let gesture = ctx.gesture;

    // Fit once the canvas has a size, and whenever asked to (a shared link was opened).
    Effect::new(move |_| {
        state.fit_request.track();
        if svg_ref.get().is_some() {
            // Fit when the page has laid out, and again shortly after unless the user moved the view.
            request_animation_frame(move || {
                fit_view(state, &svg_ref);
                let fitted = state.viewport.get_untracked();
                set_timeout(
                    move || {
                        if state.viewport.get_untracked() == fitted {
                            fit_view(state, &svg_ref);
                        }
                    },
                    std::time::Duration::from_millis(200),
                );
            });
        }
    });

    // Drop targets, computed only while something is being dragged.
    let dragging = Memo::new(move |_| {
        state.palette_drag.with(Option::is_some)
            || gesture.with(|g| matches!(g, Some(Gesture::Move { .. })))
    });
    let targets = Memo::new(move |_| {
        if dragging.get() {
            state
                .graph
                .with(|g| state.layout.with(|l| ops::drop_targets(g, l)))
        } else {
            Vec::new()
        }
    });
    // The pointer in world units during a drag (palette or state).
    let drag_point = Memo::new(move |_| match gesture.get() {
        Some(Gesture::Move { at, .. }) => Some(at),
        _ => state
            .palette_drag
            .get()
            .and_then(|c| world_at(state, &svg_ref, c)),
    });
    let active_target = Memo::new(move |_| {
        drag_point
            .get()
            .and_then(|p| targets.with(|t| ops::target_at(t, p)))
    });

    let pointerdown = move |ev: PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(el) = target_element(&ev) else {
            return;
        };
        if closest(&el, ".canvas-controls").is_some() {
            return;
        }
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        let world = world_at(state, &svg_ref, client).unwrap_or(Point::new(0.0, 0.0));
        let capture = || {
            if let Some(s) = svg_ref.get_untracked() {
                let _ = s.set_pointer_capture(ev.pointer_id());
            }
        };
        if let Some(h) = closest(&el, "[data-handle-index]") {
            ev.stop_propagation();
            let edge = h
                .get_attribute("data-handle-index")
                .and_then(|i| i.parse().ok())
                .unwrap_or(usize::MAX);
            capture();
            gesture.set(Some(Gesture::Retarget {
                edge,
                from: world,
                at: world,
            }));
        } else if let Some(h) = closest(&el, "[data-connect]") {
            ev.stop_propagation();
            let name = h.get_attribute("data-connect").unwrap_or_default();
            capture();
            gesture.set(Some(Gesture::Connect {
                name,
                from: world,
                at: world,
            }));
        } else if let Some(s) = closest(&el, "[data-state]") {
            ctx.pointer_focus.set_value(true);
            gesture.set(Some(Gesture::Press {
                name: s.get_attribute("data-state").unwrap_or_default(),
                x: client.0,
                y: client.1,
            }));
        } else {
            if let Some(s) = svg_ref.get_untracked() {
                let _ = s.focus();
            }
            capture();
            gesture.set(Some(if ev.shift_key() {
                Gesture::Marquee {
                    start: world,
                    at: world,
                }
            } else {
                Gesture::Pan {
                    x: client.0,
                    y: client.1,
                    moved: 0.0,
                }
            }));
        }
    };
    let pointermove = move |ev: PointerEvent| {
        let Some(g) = gesture.get_untracked() else {
            return;
        };
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        let world = || {
            let r = svg_rect(&svg_ref);
            r.map(|r| {
                state.viewport.with_untracked(|v| {
                    v.to_world(Point::new(client.0 - r.left(), client.1 - r.top()))
                })
            })
            .unwrap_or(Point::new(0.0, 0.0))
        };
        let next = match g {
            Gesture::Pan { x, y, moved } => {
                let (dx, dy) = (client.0 - x, client.1 - y);
                state.viewport.update(|v| *v = v.pan(dx, dy));
                Gesture::Pan {
                    x: client.0,
                    y: client.1,
                    moved: moved + dx.abs() + dy.abs(),
                }
            }
            Gesture::Marquee { start, .. } => Gesture::Marquee { start, at: world() },
            Gesture::Press { name, x, y } => {
                if (client.0 - x).abs() + (client.1 - y).abs() < DRAG_SLOP {
                    return;
                }
                if let Some(s) = svg_ref.get_untracked() {
                    let _ = s.set_pointer_capture(ev.pointer_id());
                }
                Gesture::Move { name, at: world() }
            }
            Gesture::Move { name, .. } => Gesture::Move { name, at: world() },
            Gesture::Retarget { edge, from, .. } => Gesture::Retarget {
                edge,
                from,
                at: world(),
            },
            Gesture::Connect { name, from, .. } => Gesture::Connect {
                name,
                from,
                at: world(),
            },
        };
        gesture.set(Some(next));
    };
    let pointerup = move |_ev: PointerEvent| {
        ctx.pointer_focus.set_value(false);
        let Some(g) = gesture.get_untracked() else {
            return;
        };
        // Read the target under the pointer before the drag ends (the targets go with it).
        let dropped_on = active_target
            .get_untracked()
            .and_then(|i| targets.with_untracked(|t| t.get(i).cloned()));
        gesture.set(None);
        let node_at = |p: Point| {
            state
                .layout
                .with_untracked(|l| l.node_at(p).map(|n| n.name.clone()))
        };
        let fail = |msg: String| state.notice.set(Some(format!("Cannot do that: {msg}.")));
        match g {
            Gesture::Pan { moved, .. } => {
                if moved < 3.0 {
                    // A click on the background clears the selection.
                    select_many(state, Vec::new());
                }
            }
            Gesture::Marquee { start, at } => {
                let r = Rect::from_corners(start, at);
                let names: Vec<String> = state.layout.with_untracked(|l| {
                    l.nodes_in(r).into_iter().map(|n| n.name.clone()).collect()
                });
                select_many(state, names);
            }
            Gesture::Press { .. } => {}
            Gesture::Move { name, at } => {
                let edit = match dropped_on {
                    Some(t) => state.doc.with_untracked(|d| ops::move_to(d, &name, &t)),
                    None => match node_at(at).filter(|n| *n != name) {
                        // Dropped onto a state: after it, in its scope.
                        Some(after) => {
                            let scope = state.scope_of(&after).unwrap_or_default();
                            if state.scope_of(&name) == Some(scope.clone()) {
                                Ok(Edit::MoveState {
                                    scope,
                                    name: name.clone(),
                                    after: Some(after),
                                })
                            } else {
                                Err("drop it on an arrow or an empty branch to move it out of its branch".into())
                            }
                        }
                        None => return,
                    },
                };
                match edit {
                    Ok(e) => {
                        run_edit(state, e, Some(vec![name]));
                    }
                    Err(e) => fail(e),
                }
            }
            Gesture::Retarget { edge, at, .. } => {
                let Some(to) = node_at(at) else { return };
                let edit = state.graph.with_untracked(|g| {
                    state
                        .layout
                        .with_untracked(|l| ops::retarget(g, l, edge, &to))
                });
                match edit {
                    Ok(e) => {
                        run_edit(state, e, None);
                    }
                    Err(e) => fail(e),
                }
            }
            Gesture::Connect { name, at, .. } => {
                let Some(to) = node_at(at).filter(|n| *n != name) else {
                    return;
                };
                match state.graph.with_untracked(|g| ops::connect(g, &name, &to)) {
                    Ok(e) => {
                        run_edit(state, e, None);
                    }
                    Err(e) => fail(e),
                }
            }
        }
    };
    let wheel = move |ev: WheelEvent| {
        ev.prevent_default();
        let Some(r) = svg_rect(&svg_ref) else { return };
        let p = Point::new(
            ev.client_x() as f64 - r.left(),
            ev.client_y() as f64 - r.top(),
        );
        let scale = if ev.delta_mode() == 1 { 16.0 } else { 1.0 };
        let factor = (-ev.delta_y() * scale * 0.0015).exp();
        state.viewport.update(|v| *v = v.zoom_at(p, factor));
    };
    let keydown = move |ev: KeyboardEvent| {
        if in_text_field(&ev) {
            return;
        }
        let key = ev.key();
        let cmd = ev.ctrl_key() || ev.meta_key();
        if let Some(k) = nav::NavKey::from_key(&key) {
            ev.prevent_default();
            let next = state.graph.with_untracked(|g| {
                let cur = state
                    .selected
                    .get_untracked()
                    .and_then(|s| g.nodes.iter().position(|n| n.name == s));
                let to = match cur {
                    Some(c) => state.layout.with_untracked(|l| nav::neighbour(g, l, c, k)),
                    None => g
                        .nodes
                        .iter()
                        .position(|n| n.start && n.parent.is_none())
                        .or((!g.nodes.is_empty()).then_some(0)),
                };
                to.and_then(|i| g.nodes.get(i)).map(|n| n.name.clone())
            });
            if let Some(n) = next {
                select_many(state, vec![n.clone()]);
                reveal_and_focus(state, &svg_ref, &n);
            }
        } else if key == "Enter" && state.selected.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(el) = document()
                .query_selector("[aria-label='State name']")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        } else if !cmd && (key == "+" || key == "=") {
            ev.prevent_default();
            zoom_center(state, &svg_ref, 1.25);
        } else if !cmd && (key == "-" || key == "_") {
            ev.prevent_default();
            zoom_center(state, &svg_ref, 0.8);
        } else if !cmd && key == "0" {
            ev.prevent_default();
            fit_view(state, &svg_ref);
        } else if key == "Delete" || key == "Backspace" {
            ev.prevent_default();
            ev.stop_propagation();
            let names = selection_untracked(state);
            if let Some(e) = state.graph.with_untracked(|g| ops::delete(g, &names)) {
                run_edit(state, e, Some(Vec::new()));
            }
        } else if cmd && (key == "d" || key == "D") {
            ev.prevent_default();
            let names = selection_untracked(state);
            if let Some((e, new)) = state.doc.with_untracked(|d| ops::duplicate(d, &names)) {
                run_edit(state, e, Some(new));
            }
        } else if key == "Escape" {
            gesture.set(None);
        }
    };

    // Copy and paste through the system clipboard (the browser's copy/paste events).
    let copy = window_event_listener(leptos::ev::copy, move |ev| {
        if in_text_field(&ev) {
            return;
        }
        let names = selection_untracked(state);
        let Some(text) = state
            .doc
            .with_untracked(|d| clipboard::copy_states(d, &names))
        else {
            return;
        };
        if let Some(data) = ev.clipboard_data() {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        if in_text_field(&ev) {
            return;
        }
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
            .unwrap_or_default();
        ev.prevent_default();
        match clipboard::parse(&text) {
            Ok(states) => {
                let after = state.selected.get_untracked();
                let (edit, names) = state
                    .doc
                    .with_untracked(|d| clipboard::paste(d, states, after.as_deref()));
                run_edit(state, edit, Some(names));
            }
            Err(msg) => state.notice.set(Some(format!("Nothing pasted: {msg}"))),
        }
    });
    on_cleanup(move || {
        copy.remove();
        paste.remove();
    });

    let marquee = move || match gesture.get() {
        Some(Gesture::Marquee { start, at }) => {
            let r = Rect::from_corners(start, at);
            Some(view! { <rect class="marquee" x=r.x y=r.y width=r.w height=r.h></rect> })
        }
        _ => None,
    };
    let rubber = move || match gesture.get() {
        Some(Gesture::Retarget { from, at, .. }) | Some(Gesture::Connect { from, at, .. }) => Some(
            view! { <line class="rubber-band" x1=from.x y1=from.y x2=at.x y2=at.y marker-end="url(#arrow)"></line> },
        ),
        _ => None,
    };
    let move_ghost = move || match gesture.get() {
        Some(Gesture::Move { name, at }) => {
            let (w, h) = state
                .layout
                .with_untracked(|l| l.node_named(&name).map_or((168.0, 44.0), |n| (n.w, n.h)));
            Some(view! {
                <g class="move-ghost" aria-hidden="true">
                    <rect x=at.x - w / 2.0 y=at.y - h / 2.0 width=w height=h rx="8"></rect>
                    <text x=at.x y=at.y + 4.0 text-anchor="middle">{name}</text>
                </g>
            })
        }
        _ => None,
    };
    let selected_set = Memo::new(move |_| selection(state));

    // Culling (studio::cull): only what touches the draw window around the view is drawn. The window
    // is measured against the page's size (the canvas is never larger) and is kept while the view
    // stays inside it, so a pan re-renders nothing but the world group's transform.
    let page_size = RwSignal::new(page_size());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        page_size.set(self::page_size())
    });
    on_cleanup(move || resize.remove());
    let cull_index = Memo::new(move |_| state.layout.with(CullIndex::new));
    let window = Memo::new(move |prev: Option<&Rect>| {
        if state.draw_all.get() {
            return state.layout.with(|l| l.bounds());
        }
        let (w, h) = page_size.get();
        state
            .viewport
            .with(|v| cull::draw_window(prev.copied(), v, w, h))
    });
    let visible = Memo::new(move |_| cull_index.with(|c| c.visible(window.get())));
    let low_detail = Memo::new(move |_| {
        !state.draw_all.get() && state.viewport.with(|v| v.zoom < cull::LOW_DETAIL_ZOOM)
    });
    // While the background is dragged the world group may be moved by the compositor (style.css).
    let panning = Memo::new(move |_| gesture.with(|g| matches!(g, Some(Gesture::Pan { .. }))));
    // What is drawn (in graph order, which a re-layout keeps), as only what the lists' keys need: a
    // re-layout that only moves what is drawn leaves these equal, so the lists are not diffed again
    // (each item follows its place through its own signal).
    let drawn = Memo::new(move |_| {
        let detail = !low_detail.get();
        visible.with(|vis| {
            ctx.keys.with(|k| {
                state.layout.with(|l| {
                    let nodes: Vec<DrawnNode> = vis
                        .nodes
                        .iter()
                        .filter_map(|&i| {
                            let n = l.nodes.get(i)?;
                            Some((
                                k.nodes.get(i)?.clone(),
                                n.w.to_bits(),
                                n.h.to_bits(),
                                n.kind.clone(),
                                n.container,
                                detail,
                            ))
                        })
                        .collect();
                    let edges: Vec<DrawnEdge> = vis
                        .edges
                        .iter()
                        .filter_map(|&i| {
                            Some((
                                k.edges.get(i)?.clone(),
                                l.edges.get(i)?.full_label.clone(),
                                detail,
                            ))
                        })
                        .collect();
                    (nodes, edges)
                })
            })
        })
    });
    let nodes_where = move |containers: bool| {
        drawn.with(|(nodes, _)| {
            nodes
                .iter()
                .filter(|n| n.4 == containers)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // The layout's box and route of a drawn item, read when the item is created.
    let node_box = move |key: &NodeKey| {
        ctx.keys.with_untracked(|k| {
            state
                .layout
                .with_untracked(|l| k.node(key).and_then(|i| l.nodes.get(i)).cloned())
        })
    };
    let edge_path = move |key: &EdgeKey| {
        ctx.keys.with_untracked(|k| {
            state
                .layout
                .with_untracked(|l| k.edge(key).and_then(|i| l.edges.get(i)).cloned())
        })
    };

    view! {
        <div class="canvas-controls" role="toolbar" aria-label="View">
            <button class="btn small" aria-label="Zoom in" title="Zoom in (+)" on:click=move |_| zoom_center(state, &svg_ref, 1.25)>"+"</button>
            <button class="btn small" aria-label="Zoom out" title="Zoom out (−)" on:click=move |_| zoom_center(state, &svg_ref, 0.8)>"−"</button>
            <button class="btn small" aria-label="Fit view" title="Fit view (0)" on:click=move |_| fit_view(state, &svg_ref)>"Fit"</button>
            <span class="zoom-level" aria-label="Zoom level">{move || format!("{:.0}%", state.viewport.with(|v| v.zoom) * 100.0)}</span>
        </div>
        <svg class="canvas" role="img" aria-label="Workflow graph" node_ref=svg_ref tabindex="-1"
            class:dragging=move || dragging.get()
            data-detail=move || if low_detail.get() { "low" } else { "full" }
            class:panning=move || panning.get()
            data-zoom=move || format!("{:.3}", state.viewport.with(|v| v.zoom))
            data-layout-ms=move || {
                state.layout.with(|_| ());
                format!("{:.1}", LAYOUT_MS.get())
            }
            on:pointerdown=pointerdown on:pointermove=pointermove
            on:pointerup=pointerup on:pointercancel=move |_| gesture.set(None)
            on:keydown=keydown
            on:wheel=wheel>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                </marker>
                <marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead catch"></path>
                </marker>
                <marker id="arrow-hl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead hl"></path>
                </marker>
            </defs>
            <g class="viewport" transform=move || state.viewport.with(Viewport::transform)>
                // States are keyed by what they are; an edit that moves them moves their elements.
                <For
                    each=move || nodes_where(true)
                    key=|n| n.clone()
                    children=move |(k, _, _, _, _, detail)| node_box(&k).map(|n| view! { <StateBox key=k n=n detail=detail /> })
                />
                <For
                    each=move || visible.with(|vis| state.layout.with(|l| vis.slots.iter().filter_map(|&i| l.slots.get(i)).filter(|s| s.empty).cloned().collect::<Vec<_>>()))
                    key=|s| (s.container, s.branch, s.x.to_bits(), s.y.to_bits(), s.w.to_bits(), s.h.to_bits())
                    children=move |s| view! {
                        <g class="empty-slot" aria-hidden="true">
                            <rect x=s.x + 6.0 y=s.y + 4.0 width=(s.w - 12.0).max(0.0) height=(s.h - 8.0).max(0.0) rx="8"></rect>
                            <text x=s.x + s.w / 2.0 y=s.y + s.h / 2.0 + 4.0 text-anchor="middle">"Empty — drop a state here"</text>
                        </g>
                    }
                />
                // Arrows are keyed by their ends, kind and label; a new route changes their path.
                <For
                    each=move || drawn.with(|(_, edges)| edges.clone())
                    key=|e| e.clone()
                    children=move |(k, _, detail)| edge_path(&k).map(|e| view! { <EdgeView key=k e=e detail=detail /> })
                />
                <For
                    each=move || nodes_where(false)
                    key=|n| n.clone()
                    children=move |(k, _, _, _, _, detail)| node_box(&k).map(|n| view! { <StateBox key=k n=n detail=detail /> })
                />
                <ConnectHandle selected=selected_set />
                {move || {
                    let active = active_target.get();
                    let w = window.get();
                    targets.with(|t| t.iter().enumerate()
                        .filter(|(_, t)| w.intersects(&t.area))
                        .map(|(i, t)| drop_target_view(t, Some(i) == active)).collect_view())
                }}
                {marquee}
                {rubber}
                {move_ghost}
            </g>
        </svg>
        <Minimap svg=svg_ref />
    }
}

fn drop_target_view(t: &DropTarget, active: bool) -> AnyView {
    let c = t.area.center();
    let class = if active {
        "drop-target active"
    } else {
        "drop-target"
    };
    if t.edge.is_some() {
        view! {
            <g class=class data-drop=t.id.clone()>
                <circle cx=c.x cy=c.y r=if active { "11" } else { "8" }></circle>
                <text x=c.x y=c.y + 4.0 text-anchor="middle">"+"</text>
            </g>
        }
        .into_any()
    } else {
        view! {
            <g class=class data-drop=t.id.clone()>
                <rect x=t.area.x + 6.0 y=t.area.y + 4.0 width=(t.area.w - 12.0).max(0.0) height=(t.area.h - 8.0).max(0.0) rx="8"></rect>
            </g>
        }
        .into_any()
    }
}

/// One transition: its path, label, and (for the selected states' arrows) the retarget handle. Its
/// route follows the layout (looked up by key), so a re-layout updates the path in place.
#[component]
fn EdgeView(key: EdgeKey, e: studio::EdgePath, detail: bool) -> impl IntoView {
    let ctx = expect_context::<CanvasCtx>();
    let state = crate::app();
    let id = format!("{}->{}", e.from, e.to);
    // The current route, updated in place by the canvas's layout effect.
    let at = ctx
        .keys
        .with_untracked(|k| k.edge(&key))
        .unwrap_or(usize::MAX);
    let geom = place_signal(ctx, key, edge_place(&e, at), |p| &mut p.edges);
    let hl = {
        let from = RwSignal::from(ctx.hovered_names.of(&e.from));
        let to = RwSignal::from(ctx.hovered_names.of(&e.to));
        move || from.get().is_some() || to.get().is_some()
    };
    let marker = {
        let catch = e.kind == studio::EdgeKind::Catch;
        move || {
            if hl() {
                "url(#arrow-hl)"
            } else if catch {
                "url(#arrow-catch)"
            } else {
                "url(#arrow)"
            }
        }
    };
    let show_handle = RwSignal::from(ctx.selected.of(&e.from));
    let handle_label = format!("Retarget {} → {}", e.from, e.to);
    let handle_id = id.clone();
    let (tf, tt) = (e.from.clone(), e.to.clone());
    let taken = Memo::new(move |_| {
        state
            .snapshot
            .with(|s| s.taken.iter().any(|(f, t)| *f == tf && *t == tt))
    });
    let (ck, cr) = (e.kind, e.rule);
    // The ends' indices change far less often than the route.
    let ends = Memo::new(move |_| geom.with(|g| (g.6, g.7)));
    let covered = move || {
        let (cf, ct) = ends.get();
        state.coverage.with(|c| {
            c.as_ref()
                .and_then(|c| state.graph.with(|g| c.edge(g, cf, ct, ck, cr)))
                .map(|b| b.to_string())
        })
    };
    // Choice rules and catchers carry their index, so two with the same target can be told apart.
    let rule = matches!(e.kind, studio::EdgeKind::Choice | studio::EdgeKind::Catch)
        .then(|| e.rule.to_string());
    // Where the arrow ends (its retarget handle), measured only while the handle is shown.
    let end = move || geom.with(|g| path_end(&g.0).unwrap_or((0.0, 0.0)));
    view! {
        <g class=format!("edge edge-{}", e.kind.as_str()) class:back=move || geom.with(|g| g.4) class:hl=hl
            data-edge=id.clone() data-edge-kind=e.kind.as_str() data-rule=rule data-covered=covered
            class:taken=move || taken.get() data-taken=move || taken.get().then_some("true")>
            <path d=move || geom.with(|g| g.0.clone()) marker-end=move || detail.then(marker)></path>
            {e.label.clone().filter(|_| detail).map(|l| view! {
                <g class="edge-label-box">
                    <title>{e.full_label.clone().unwrap_or_default()}</title>
                    <rect x=move || geom.with(|g| g.1 - g.3 / 2.0) y=move || geom.with(|g| g.2 - 9.0)
                        width=move || geom.with(|g| g.3) height="16" rx="4"></rect>
                    <text class="edge-label" x=move || geom.with(|g| g.1) y=move || geom.with(|g| g.2 + 3.5) text-anchor="middle">{l}</text>
                </g>
            })}
            <Show when=move || show_handle.get().is_some()>
                <circle class="edge-handle" cx=move || end().0 cy=move || end().1 - 4.0 r="6" data-handle=handle_id.clone()
                    data-handle-index=move || geom.with(|g| g.5.to_string()) aria-label=handle_label.clone()>
                    <title>"Drag onto another state to retarget"</title>
                </circle>
            </Show>
        </g>
    }
}

/// The handle below the selected state: drag it onto another state to add a transition.
#[component]
fn ConnectHandle(selected: Memo<BTreeSet<String>>) -> impl IntoView {
    let state = app();
    let spot = Memo::new(move |_| {
        let name = state.selected.get()?;
        if selected.with(|s| s.len()) != 1 {
            return None;
        }
        state.layout.with(|l| {
            let n = l.node_named(&name)?;
            if matches!(n.kind.as_str(), "Succeed" | "Fail") {
                return None;
            }
            Some((name.clone(), n.x + n.w / 2.0, n.y + n.h))
        })
    });
    move || {
        spot.get().map(|(name, x, y)| {
            view! {
                <g class="connect-handle" data-connect=name.clone()
                    aria-label=format!("Connect from {name}")>
                    <title>"Drag onto a state to connect"</title>
                    <circle cx=x cy=y r="7"></circle>
                    <text x=x y=y + 4.0 text-anchor="middle">"+"</text>
                </g>
            }
        })
    }
}

/// One state (or container) on the canvas, drawn at the origin of a group translated to where the
/// layout puts it (looked up by key, so a re-layout moves the group instead of re-creating it).
/// Without `detail` (zoomed far out) it is its box only: no icon, text or breakpoint dot.
#[component]
fn StateBox(key: NodeKey, n: studio::NodeBox, detail: bool) -> impl IntoView {
    let state = app();
    let ctx = expect_context::<CanvasCtx>();
    let name = n.name.clone();
    // Where the layout puts it, updated in place by the canvas's layout effect.
    let at = place_signal(ctx, key, node_place(&n), |p| &mut p.nodes);
    let n = studio::NodeBox {
        x: 0.0,
        y: 0.0,
        ..n
    };
    let selected = {
        let sel = RwSignal::from(ctx.selected.of(&name));
        Memo::new(move |_| sel.get().is_some())
    };
    let status = RwSignal::from(ctx.statuses.of(&name));
    let problem = RwSignal::from(ctx.problems.of(&name));
    let select = {
        let name = name.clone();
        move || {
            // Keyboard focus selects a state; one already in a multi-selection keeps the selection.
            if !selected.get_untracked() {
                select_many(state, vec![name.clone()]);
            }
        }
    };
    let click_name = name.clone();
    let select_key = select.clone();
    let (icon, resource) = state.graph.with_untracked(|g| {
        let r = g.nodes.get(n.index).and_then(|s| s.resource.clone());
        (icons::icon_for(&n.kind, r.as_deref()), r)
    });
    let container = n.container;
    let icon_x = n.x + 8.0;
    let icon_y = if container {
        n.y + 8.0
    } else {
        n.y + (n.h - 22.0) / 2.0
    };
    let (title_x, title_y, anchor) = if container {
        (n.x + 36.0, n.y + 22.0, "start")
    } else {
        (n.x + 15.0 + n.w / 2.0, n.y + 20.0, "middle")
    };
    let (kind_x, kind_y, kind_anchor) = if container {
        (n.x + n.w - 12.0, n.y + 22.0, "end")
    } else {
        (n.x + 15.0 + n.w / 2.0, n.y + 35.0, "middle")
    };
    let icon_title = match resource {
        Some(r) => format!("{} ({r})", icon.title),
        None => icon.title.to_string(),
    };
    let badge_x = n.x + n.w - 4.0;
    // The index changes far less often than the place.
    let node_index = Memo::new(move |_| at.with(|a| a.2));
    let covered = move || {
        let node_index = node_index.get();
        state.coverage.with(|c| {
            c.as_ref()
                .and_then(|c| c.state(node_index))
                .map(|b| b.to_string())
        })
    };
    let badge_y = n.y + 4.0;
    let enter_name = name.clone();
    view! {
        <g class=format!("state kind-{}", n.kind.to_lowercase())
            transform=move || at.with(|(x, y, _)| format!("translate({x} {y})"))
            class:container=container
            class:selected=move || selected.get()
            data-state=name.clone() role="group" aria-label=name.clone() tabindex="0"
            aria-selected=move || if selected.get() { "true" } else { "false" }
            data-status=move || status.get()
            data-problem=move || problem.get()
            data-covered=covered
            on:pointerenter=move |_| ctx.hovered.set(Some(enter_name.clone()))
            on:pointerleave=move |_| ctx.hovered.set(None)
            on:click=move |ev| {
                ev.stop_propagation();
                if ev.shift_key() {
                    toggle_selected(state, &click_name);
                } else {
                    select_many(state, vec![click_name.clone()]);
                }
            }
            on:keydown=move |ev| {
                if ev.key() == " " {
                    ev.prevent_default();
                    select_key();
                }
            }
            on:focus=move |_| {
                if !ctx.pointer_focus.get_value() {
                    select();
                }
            }>
            <rect class="box" x=n.x y=n.y width=n.w height=n.h rx=if container { "10" } else { "8" }></rect>
            // Low detail: the box alone (the name stays the group's accessible name).
            {detail.then(|| view! {
                <g class="icon" data-icon=icon.id>
                    <title>{icon_title}</title>
                    <rect x=icon_x y=icon_y width="22" height="22" rx="5"></rect>
                    <text x=icon_x + 11.0 y=icon_y + 15.0 text-anchor="middle">{icon.glyph}</text>
                </g>
                <text class=if container { "container-title" } else { "state-name" } x=title_x y=title_y text-anchor=anchor>{n.name.clone()}</text>
                <text class="kind-label" x=kind_x y=kind_y text-anchor=kind_anchor>{n.kind.clone()}</text>
                <crate::run_overlay::NodeOverlay n=n.clone() />
            })}
            {move || problem.get().map(|sev| view! {
                <g class=format!("problem-badge {sev}")>
                    <title>{if sev == "error" { "This state has errors" } else { "This state has warnings" }}</title>
                    <circle cx=badge_x cy=badge_y r="8"></circle>
                    <text x=badge_x y=badge_y + 4.0 text-anchor="middle">"!"</text>
                </g>
            })}
        </g>
    }
}

/// The minimap: the whole drawing small, with the visible part outlined; click or drag in it to move
/// the view there.
#[component]
fn Minimap(svg: NodeRef<svg::Svg>) -> impl IntoView {
    let state = app();
    let map_ref = NodeRef::<svg::Svg>::new();
    let pressed = StoredValue::new(false);
    // Tracks the canvas size so the outline follows resizes of the page.
    let size = RwSignal::new((0.0f64, 0.0f64));
    let measure = move || {
        if let Some(r) = svg_rect(&svg) {
            size.set((r.width(), r.height()));
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    request_animation_frame(measure);
    let bounds = Memo::new(move |_| state.layout.with(|l| l.bounds()));
    let view_box = move || {
        let b = bounds.get();
        format!("{} {} {} {}", b.x, b.y, b.w.max(1.0), b.h.max(1.0))
    };
    let visible = move || {
        let (w, h) = size.get();
        state.viewport.with(|v| v.visible_world(w, h))
    };
    // Centres the view on the world point under a client point of the minimap.
    let center_at = move |client: (f64, f64)| {
        let (Some(m), Some(r)) = (map_ref.get_untracked(), svg_rect(&svg)) else {
            return;
        };
        let mr = m.get_bounding_client_rect();
        let b = bounds.get_untracked();
        if mr.width() <= 0.0 || mr.height() <= 0.0 || b.w <= 0.0 || b.h <= 0.0 {
            return;
        }
        // preserveAspectRatio "xMidYMid meet": one scale, centred.
        let s = (mr.width() / b.w).min(mr.height() / b.h);
        let ox = mr.left() + (mr.width() - b.w * s) / 2.0;
        let oy = mr.top() + (mr.height() - b.h * s) / 2.0;
        let world = Point::new(b.x + (client.0 - ox) / s, b.y + (client.1 - oy) / s);
        size.set((r.width(), r.height()));
        state.viewport.update(|v| {
            v.x = r.width() / 2.0 - world.x * v.zoom;
            v.y = r.height() / 2.0 - world.y * v.zoom;
        });
    };
    view! {
        <svg class="minimap" role="img" aria-label="Minimap" node_ref=map_ref
            viewBox=view_box preserveAspectRatio="xMidYMid meet"
            on:pointerdown=move |ev: PointerEvent| {
                ev.stop_propagation();
                if let Some(m) = map_ref.get_untracked() {
                    let _ = m.set_pointer_capture(ev.pointer_id());
                }
                pressed.set_value(true);
                center_at((ev.client_x() as f64, ev.client_y() as f64));
            }
            on:pointermove=move |ev: PointerEvent| {
                if pressed.get_value() {
                    center_at((ev.client_x() as f64, ev.client_y() as f64));
                }
            }
            on:pointerup=move |_| pressed.set_value(false)
            on:pointercancel=move |_| pressed.set_value(false)>
            <rect class="minimap-bg" x=move || bounds.get().x y=move || bounds.get().y
                width=move || bounds.get().w height=move || bounds.get().h></rect>
            {move || state.layout.with(|l| l.outlines().into_iter().map(|o| view! {
                <path class=format!("mini-node kind-{}", o.kind) class:container=o.container d=o.d></path>
            }).collect_view())}
            <rect class="minimap-view" x=move || visible().x y=move || visible().y
                width=move || visible().w height=move || visible().h></rect>
        </svg>
    }
}
