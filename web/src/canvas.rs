//! The SVG canvas: draws a `studio::Layout` (nodes, edges, labels); no layout logic here.

use leptos::prelude::*;
use studio::Layout;

/// Draws the laid-out graph.
#[component]
pub fn Canvas(layout: Memo<Layout>) -> impl IntoView {
    let view_box = move || {
        layout.with(|l| format!("0 0 {:.0} {:.0}", l.width.max(200.0), l.height.max(200.0)))
    };
    view! {
        <svg class="canvas" role="img" aria-label="Workflow graph" viewBox=view_box preserveAspectRatio="xMidYMin meet">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                </marker>
            </defs>
            <g class="viewport">
                <For
                    each=move || layout.with(|l| l.nodes.iter().filter(|n| n.container).cloned().collect::<Vec<_>>())
                    key=|n| (n.name.clone(), n.x.to_bits(), n.y.to_bits(), n.w.to_bits(), n.h.to_bits())
                    children=move |n| view! {
                        <g class=format!("state container kind-{}", n.kind.to_lowercase())
                           data-state=n.name.clone() role="group" aria-label=n.name.clone()>
                            <rect x=n.x y=n.y width=n.w height=n.h rx="10"></rect>
                            <text class="container-title" x=n.x + 12.0 y=n.y + 22.0>{n.name.clone()}</text>
                            <text class="kind-label" x=n.x + n.w - 12.0 y=n.y + 22.0 text-anchor="end">{n.kind.clone()}</text>
                        </g>
                    }
                />
                <For
                    each=move || layout.with(|l| l.edges.clone())
                    key=|e| (e.from.clone(), e.to.clone(), e.kind, e.d.clone())
                    children=move |e| {
                        let id = format!("{}->{}", e.from, e.to);
                        view! {
                            <g class=format!("edge edge-{}", e.kind.as_str()) data-edge=id data-edge-kind=e.kind.as_str()>
                                <path d=e.d.clone() marker-end="url(#arrow)"></path>
                                {e.label.clone().map(|l| view! {
                                    <text class="edge-label" x=e.label_x y=e.label_y text-anchor="middle">{l}</text>
                                })}
                            </g>
                        }
                    }
                />
                <For
                    each=move || layout.with(|l| l.nodes.iter().filter(|n| !n.container).cloned().collect::<Vec<_>>())
                    key=|n| (n.name.clone(), n.x.to_bits(), n.y.to_bits(), n.kind.clone())
                    children=move |n| view! {
                        <g class=format!("state kind-{}", n.kind.to_lowercase())
                           data-state=n.name.clone() role="group" aria-label=n.name.clone() tabindex="0">
                            <rect x=n.x y=n.y width=n.w height=n.h rx="8"></rect>
                            <text class="state-name" x=n.x + n.w / 2.0 y=n.y + 20.0 text-anchor="middle">{n.name.clone()}</text>
                            <text class="kind-label" x=n.x + n.w / 2.0 y=n.y + 35.0 text-anchor="middle">{n.kind.clone()}</text>
                        </g>
                    }
                />
            </g>
        </svg>
    }
}
