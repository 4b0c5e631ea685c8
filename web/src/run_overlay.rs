//! What the execution view adds to a state on the canvas: a breakpoint dot on the node's left edge (click to
//! toggle) and, on Map/Parallel containers, the iteration or branch progress badge ("7/10").

use crate::app;
use leptos::prelude::*;

#[component]
pub fn NodeOverlay(n: studio::NodeBox) -> impl IntoView {
    let state = app();
    let name = n.name.clone();
    let on = {
        let name = name.clone();
        Memo::new(move |_| state.breakpoints.with(|b| b.contains(&name)))
    };
    let progress = {
        let name = name.clone();
        Memo::new(move |_| {
            let focus = state.focus.with(|f| f.get(&name).copied());
            state.snapshot.with(|s| {
                s.progress.get(&name).map(|p| match focus {
                    Some(i) => format!("#{i} · {}", p.label()),
                    None => p.label(),
                })
            })
        })
    };
    let (dot_x, dot_y) = if n.container {
        (n.x, n.y + 18.0)
    } else {
        (n.x, n.y + n.h / 2.0)
    };
    let toggle = {
        let name = name.clone();
        move || state.toggle_breakpoint(&name)
    };
    let toggle_key = toggle.clone();
    // On the top border, towards the right (clear of the incoming edge at the middle).
    let right = n.x + n.w - 14.0;
    let by = n.y;
    view! {
        <g class="bp-dot" class:on=move || on.get() role="button" tabindex="0"
            aria-label=format!("Breakpoint on {name}") aria-pressed=move || on.get().to_string()
            on:pointerdown=|ev| ev.stop_propagation()
            on:click=move |ev| { ev.stop_propagation(); toggle(); }
            on:keydown=move |ev| if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); ev.stop_propagation(); toggle_key(); }>
            <title>"Toggle breakpoint"</title>
            <circle class="bp-hit" cx=dot_x cy=dot_y r="9"></circle>
            <circle class="breakpoint" cx=dot_x cy=dot_y r="5"></circle>
        </g>
        {move || progress.get().map(|label| {
            let w = label.chars().count() as f64 * 6.6 + 14.0;
            let attr = label.clone();
            let bx = right - w / 2.0;
            view! {
                <g class="progress-badge" data-progress=attr>
                    <rect x=bx - w / 2.0 y=by - 9.0 width=w height="18" rx="9"></rect>
                    <text x=bx y=by + 4.0 text-anchor="middle">{label}</text>
                </g>
            }
        })}
    }
}
