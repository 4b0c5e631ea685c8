//! The SVG canvas: draws a `studio::Layout` inside one transformed `<g>` (pan/zoom through
//! `studio::Viewport`), selection by click or keyboard, problem badges and run statuses on states.

use crate::app;
use crate::geom::path_midpoint;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::svg;
use studio::{Point, Viewport};
use wasm_bindgen::JsCast;
use web_sys::{Element, PointerEvent, WheelEvent};

const FIT_PADDING: f64 = 28.0;

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

fn on_state(ev: &PointerEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("[data-state], .canvas-controls").ok().flatten())
        .is_some()
}

#[derive(Clone, Copy)]
struct Pan {
    x: f64,
    y: f64,
    moved: f64,
}

#[component]
pub fn Canvas() -> impl IntoView {
    let state = app();
    let svg_ref = NodeRef::<svg::Svg>::new();
    let pan = StoredValue::new(None::<Pan>);

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

    let pointerdown = move |ev: PointerEvent| {
        if ev.button() != 0 || on_state(&ev) {
            return;
        }
        if let Some(s) = svg_ref.get_untracked() {
            let _ = s.set_pointer_capture(ev.pointer_id());
        }
        pan.set_value(Some(Pan {
            x: ev.client_x() as f64,
            y: ev.client_y() as f64,
            moved: 0.0,
        }));
    };
    let pointermove = move |ev: PointerEvent| {
        let Some(p) = pan.get_value() else { return };
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        let (dx, dy) = (x - p.x, y - p.y);
        state.viewport.update(|v| *v = v.pan(dx, dy));
        pan.set_value(Some(Pan {
            x,
            y,
            moved: p.moved + dx.abs() + dy.abs(),
        }));
    };
    let pointerup = move |_ev: PointerEvent| {
        if let Some(p) = pan.get_value()
            && p.moved < 3.0
        {
            // A click on the background clears the selection.
            state.selected.set(None);
        }
        pan.set_value(None);
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

    view! {
        <div class="canvas-controls" role="toolbar" aria-label="View">
            <button class="btn small" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom_center(state, &svg_ref, 1.25)>"+"</button>
            <button class="btn small" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom_center(state, &svg_ref, 0.8)>"−"</button>
            <button class="btn small" aria-label="Fit view" title="Fit view" on:click=move |_| fit_view(state, &svg_ref)>"Fit"</button>
            <span class="zoom-level" aria-label="Zoom level">{move || format!("{:.0}%", state.viewport.with(|v| v.zoom) * 100.0)}</span>
        </div>
        <svg class="canvas" role="img" aria-label="Workflow graph" node_ref=svg_ref
            data-zoom=move || format!("{:.3}", state.viewport.with(|v| v.zoom))
            on:pointerdown=pointerdown on:pointermove=pointermove
            on:pointerup=pointerup on:pointercancel=move |_| pan.set_value(None)
            on:wheel=wheel>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                </marker>
                <marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead catch"></path>
                </marker>
            </defs>
            <g class="viewport" transform=move || state.viewport.with(Viewport::transform)>
                <For
                    each=move || state.layout.with(|l| l.nodes.iter().filter(|n| n.container).cloned().collect::<Vec<_>>())
                    key=|n| (n.name.clone(), n.x.to_bits(), n.y.to_bits(), n.w.to_bits(), n.h.to_bits(), n.kind.clone())
                    children=move |n| view! { <StateBox n=n /> }
                />
                <For
                    each=move || state.layout.with(|l| l.edges.clone())
                    key=|e| (e.from.clone(), e.to.clone(), e.kind, e.d.clone(), e.label.clone())
                    children=move |e| {
                        let id = format!("{}->{}", e.from, e.to);
                        let (lx, ly) = path_midpoint(&e.d).unwrap_or((e.label_x, e.label_y));
                        let marker = if e.kind == studio::EdgeKind::Catch { "url(#arrow-catch)" } else { "url(#arrow)" };
                        let lw = e.label_w.max(10.0) + 8.0;
                        let (tf, tt) = (e.from.clone(), e.to.clone());
                        let taken = Memo::new(move |_| state.snapshot.with(|s| s.taken.iter().any(|(f, t)| *f == tf && *t == tt)));
                        let (cf, ct, ck, cl) = (e.from_index, e.to_index, e.kind, e.full_label.clone());
                        let covered = move || state.coverage.with(|c| c.as_ref().and_then(|c| state.graph.with(|g| c.edge(g, cf, ct, ck, cl.as_deref()))).map(|b| b.to_string()));
                        view! {
                            <g class=format!("edge edge-{}", e.kind.as_str()) class:back=e.back data-edge=id data-edge-kind=e.kind.as_str() data-covered=covered
                                class:taken=move || taken.get() data-taken=move || taken.get().then_some("true")>
                                <path d=e.d.clone() marker-end=marker></path>
                                {e.label.clone().map(|l| view! {
                                    <g class="edge-label-box">
                                        <title>{e.full_label.clone().unwrap_or_default()}</title>
                                        <rect x=lx - lw / 2.0 y=ly - 9.0 width=lw height="16" rx="4"></rect>
                                        <text class="edge-label" x=lx y=ly + 3.5 text-anchor="middle">{l}</text>
                                    </g>
                                })}
                            </g>
                        }
                    }
                />
                <For
                    each=move || state.layout.with(|l| l.nodes.iter().filter(|n| !n.container).cloned().collect::<Vec<_>>())
                    key=|n| (n.name.clone(), n.x.to_bits(), n.y.to_bits(), n.w.to_bits(), n.kind.clone())
                    children=move |n| view! { <StateBox n=n /> }
                />
            </g>
        </svg>
    }
}

/// One state (or container) on the canvas.
#[component]
fn StateBox(n: studio::NodeBox) -> impl IntoView {
    let state = app();
    let name = n.name.clone();
    let selected = {
        let name = name.clone();
        Memo::new(move |_| state.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let status = {
        let name = name.clone();
        move || state.statuses.with(|s| s.get(&name).copied())
    };
    let problem = {
        let name = name.clone();
        Memo::new(move |_| state.problems_by_state.with(|p| p.get(&name).copied()))
    };
    let select = {
        let name = name.clone();
        move || state.selected.set(Some(name.clone()))
    };
    let select_click = select.clone();
    let select_key = select.clone();
    let container = n.container;
    let (title_x, title_y, anchor) = if container {
        (n.x + 12.0, n.y + 22.0, "start")
    } else {
        (n.x + n.w / 2.0, n.y + 20.0, "middle")
    };
    let (kind_x, kind_y, kind_anchor) = if container {
        (n.x + n.w - 12.0, n.y + 22.0, "end")
    } else {
        (n.x + n.w / 2.0, n.y + 35.0, "middle")
    };
    let badge_x = n.x + n.w - 4.0;
    let node_index = n.index;
    let covered = move || {
        state.coverage.with(|c| {
            c.as_ref()
                .and_then(|c| c.state(node_index))
                .map(|b| b.to_string())
        })
    };
    let badge_y = n.y + 4.0;
    view! {
        <g class=format!("state kind-{}", n.kind.to_lowercase())
            class:container=container
            class:selected=move || selected.get()
            data-state=name.clone() role="group" aria-label=name.clone() tabindex="0"
            aria-selected=move || if selected.get() { "true" } else { "false" }
            data-status=status
            data-problem=move || problem.get()
            data-covered=covered
            on:click=move |ev| { ev.stop_propagation(); select_click(); }
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    select_key();
                }
            }
            on:focus=move |_| select()>
            <rect class="box" x=n.x y=n.y width=n.w height=n.h rx=if container { "10" } else { "8" }></rect>
            <text class=if container { "container-title" } else { "state-name" } x=title_x y=title_y text-anchor=anchor>{n.name.clone()}</text>
            <text class="kind-label" x=kind_x y=kind_y text-anchor=kind_anchor>{n.kind.clone()}</text>
            <crate::run_overlay::NodeOverlay n=n.clone() />
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
