//! The palette: flow states and service actions from `studio::catalog()`, filtered by a search box.
//! A click adds the entry after the selected state; a pointer drag shows the canvas's drop targets and
//! drops it onto an arrow (between two states, onto a Catch), into an empty branch, or after a state.

use crate::app;
use leptos::prelude::*;
use studio::{CatalogEntry, Point};
use web_sys::PointerEvent;

/// A palette drag in progress: which entry, where the pointer is, whether it moved far enough.
#[derive(Clone, Copy, PartialEq)]
struct Drag {
    id: &'static str,
    start: (f64, f64),
    at: (f64, f64),
    active: bool,
}

#[derive(Clone, Copy)]
struct DragState(RwSignal<Option<Drag>>);

fn matches(e: &CatalogEntry, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty()
        || e.name.to_lowercase().contains(&q)
        || e.category.to_lowercase().contains(&q)
        || e.description.to_lowercase().contains(&q)
}

/// Drops an entry at a screen point: onto the drop target under it (an arrow, an empty branch), else
/// after the state under it; one undo step either way.
fn drop_at(entry: &'static CatalogEntry, client: (f64, f64)) {
    let state = app();
    let Some(svg) = document().query_selector("svg.canvas").ok().flatten() else {
        return;
    };
    let r = svg.get_bounding_client_rect();
    let inside = client.0 >= r.left()
        && client.0 <= r.right()
        && client.1 >= r.top()
        && client.1 <= r.bottom();
    if !inside {
        return;
    }
    let world = state
        .viewport
        .with_untracked(|v| v.to_world(Point::new(client.0 - r.left(), client.1 - r.top())));
    let target = state.graph.with_untracked(|g| {
        state.layout.with_untracked(|l| {
            let targets = studio::canvas::drop_targets(g, l);
            studio::canvas::target_at(&targets, world).and_then(|i| targets.into_iter().nth(i))
        })
    });
    if let Some(t) = target {
        let taken = state.doc.with_untracked(|d| d.state_names());
        match studio::new_state(entry, &studio::NewStateOptions::default(), &taken) {
            Ok(new) => {
                let name = new.name.clone();
                state.seal();
                if state.edit(studio::canvas::drop_new(&t, new.name, new.state), None) {
                    crate::canvas::select_many(state, vec![name]);
                }
            }
            Err(e) => state.notice.set(Some(format!("Cannot add that: {e}."))),
        }
        return;
    }
    let target = state
        .layout
        .with_untracked(|l| l.node_at(world).map(|n| n.name.clone()));
    state.add_from_catalog(entry, target);
}

#[component]
pub fn Palette() -> impl IntoView {
    let state = app();
    let query = RwSignal::new(String::new());
    let drag = DragState(RwSignal::new(None));
    provide_context(drag);
    let groups = move || {
        let q = query.get();
        let mut out: Vec<(&'static str, Vec<&'static CatalogEntry>)> = Vec::new();
        for e in studio::catalog().iter().filter(|e| matches(e, &q)) {
            match out.iter_mut().find(|(c, _)| *c == e.category) {
                Some((_, v)) => v.push(e),
                None => out.push((e.category, vec![e])),
            }
        }
        out
    };
    view! {
        <nav class="palette" aria-label="Palette">
            <div class="pane-title">"States"</div>
            <input class="search" type="search" placeholder="Search states and actions"
                aria-label="Search palette"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev)) />
            <div class="palette-list">
                {move || groups().into_iter().map(|(cat, entries)| view! {
                    <div class="palette-group" role="group" aria-label=cat>
                        <div class="palette-cat">{cat}</div>
                        {entries.into_iter().map(|e| view! { <PaletteItem entry=e /> }).collect_view()}
                    </div>
                }).collect_view()}
                <Show when=move || groups().is_empty()>
                    <div class="muted small-pad">"Nothing matches."</div>
                </Show>
            </div>
            <div class="palette-hint muted">
                {move || match state.selected.get() {
                    Some(s) => format!("Click adds after “{s}”; or drag onto a state."),
                    None => "Select a state, then click to add after it; or drag onto the canvas.".to_string(),
                }}
            </div>
            <DragGhost />
        </nav>
    }
}

#[component]
fn PaletteItem(entry: &'static CatalogEntry) -> impl IntoView {
    let drag = expect_context::<DragState>().0;
    // Set when a drag ends on this button, so the click that follows is not an add.
    let dragged = StoredValue::new(false);
    let down = move |ev: PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let p = (ev.client_x() as f64, ev.client_y() as f64);
        if let Some(t) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = t.set_pointer_capture(ev.pointer_id());
        }
        dragged.set_value(false);
        drag.set(Some(Drag {
            id: entry.id,
            start: p,
            at: p,
            active: false,
        }));
    };
    let moved = move |ev: PointerEvent| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        if d.id != entry.id {
            return;
        }
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        let far = (at.0 - d.start.0).abs() + (at.1 - d.start.1).abs() > 6.0;
        let active = d.active || far;
        drag.set(Some(Drag { at, active, ..d }));
        if active {
            app().palette_drag.set(Some(at));
        }
    };
    let up = move |ev: PointerEvent| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        app().palette_drag.set(None);
        if d.id == entry.id && d.active {
            dragged.set_value(true);
            drop_at(entry, (ev.client_x() as f64, ev.client_y() as f64));
        }
    };
    view! {
        <button class=format!("palette-item kind-{}", entry.state_type.to_lowercase())
            aria-label=entry.name
            title=entry.description
            aria-roledescription="draggable palette entry"
            data-palette=entry.id
            on:pointerdown=down on:pointermove=moved on:pointerup=up
            on:pointercancel=move |_| {
                drag.set(None);
                app().palette_drag.set(None);
            }
            on:click=move |_| {
                if dragged.get_value() {
                    dragged.set_value(false);
                } else {
                    app().add_from_catalog(entry, None);
                }
            }>
            <span class="swatch"></span>
            <span class="palette-name">{entry.name}</span>
        </button>
    }
}

/// The ghost that follows the pointer during a palette drag.
#[component]
fn DragGhost() -> impl IntoView {
    let drag = expect_context::<DragState>().0;
    move || {
        let d = drag.get().filter(|d| d.active)?;
        let entry = studio::catalog::find(d.id)?;
        Some(view! {
            <div class="drag-ghost" aria-hidden="true"
                style=format!("left:{}px;top:{}px", d.at.0 + 8.0, d.at.1 + 8.0)>
                {entry.name}
            </div>
        })
    }
}
