//! The problems list: one item per diagnostic (code, message, location); clicking one selects the
//! state its location points into and focuses the offending field in the inspector (the workflow's
//! own fields for `/StartAt`, `/QueryLanguage`, ...), or, for a text-level problem, puts the caret at its line and column in the code.

use crate::app;
use leptos::prelude::*;

#[component]
pub fn Problems() -> impl IntoView {
    let state = app();
    let reveal = move |location: &str, message: &str, offset: Option<usize>| {
        let field = state.analysis.with_untracked(|a| {
            a.definition
                .as_ref()
                .and_then(|def| studio::fields::locate(def, location))
        });
        let name = state.graph.with_untracked(|g| {
            g.node_at_pointer(location)
                .and_then(|i| g.nodes.get(i))
                .map(|n| n.name.clone())
        });
        match (field, name) {
            (Some(f), _) => {
                state.selected.set(Some(f.state));
                if !f.path.is_empty() {
                    state
                        .focus_field
                        .set(Some(studio::fields::path_id(&f.path)));
                } else if let Some(field) = studio::fields::field_in_message(message) {
                    state.focus_field.set(Some(field.to_string()));
                } else if let Some(o) = offset {
                    state.caret_request.set(Some(o));
                }
            }
            (None, Some(name)) => state.selected.set(Some(name)),
            (None, None) => {
                if let Some(field) = studio::fields::machine_field(location, message) {
                    // The workflow's own field: the inspector shows them with no state selected.
                    state.selected.set(None);
                    state.focus_field.set(Some(field));
                } else if let Some(o) = offset {
                    state.caret_request.set(Some(o));
                }
            }
        }
    };
    let count = move || {
        state.analysis.with(|a| {
            let errors = a
                .diagnostics
                .iter()
                .filter(|d| d.severity == asl::Severity::Error)
                .count();
            (errors, a.diagnostics.len() - errors)
        })
    };
    view! {
        <section class="problems-pane">
            <div class="problems-head">
                <span class="pane-title-inline">"Problems"</span>
                <span class="muted">{move || {
                    let (e, w) = count();
                    format!("{e} error{}, {w} warning{}", if e == 1 { "" } else { "s" }, if w == 1 { "" } else { "s" })
                }}</span>
            </div>
            <div class="problems" aria-label="Problems" role="list">
                <For
                    // Keyed by what a problem says and where (and which one of equal ones), not by its
                    // position in the list: problems that stay keep their elements when others come or go.
                    each=move || state.analysis.with(|a| {
                        let mut seen = std::collections::HashMap::new();
                        a.diagnostics.iter().map(|d| {
                            let nth = seen.entry((&d.code, &d.location, &d.message)).or_insert(0usize);
                            *nth += 1;
                            (*nth, d.clone())
                        }).collect::<Vec<_>>()
                    })
                    key=|(nth, d)| (*nth, d.code.clone(), d.location.clone(), d.message.clone(), d.span.map(|s| (s.start, s.line, s.column)))
                    children=move |(_, d)| {
                        let severity = format!("{:?}", d.severity).to_lowercase();
                        let place = d.span.map(|s| format!("{}:{}", s.line, s.column)).unwrap_or_default();
                        let loc = d.location.clone();
                        let loc2 = d.location.clone();
                        let offset = d.span.map(|s| s.start);
                        let msg = d.message.clone();
                        let msg2 = d.message.clone();
                        view! {
                            <div class="problem" role="listitem" tabindex="0" data-severity=severity.clone()
                                data-location=d.location.clone()
                                on:click=move |_| reveal(&loc, &msg, offset)
                                on:keydown=move |ev| if ev.key() == "Enter" { reveal(&loc2, &msg2, offset) }>
                                <span class=format!("badge {severity}")>{d.code.clone()}</span>
                                <span class="message">{d.message.clone()}</span>
                                <span class="where">{d.location.clone()} " " {place}</span>
                            </div>
                        }
                    }
                />
                <Show when=move || state.analysis.with(|a| a.diagnostics.is_empty())>
                    <div class="no-problems">"No problems"</div>
                </Show>
            </div>
        </section>
    }
}
