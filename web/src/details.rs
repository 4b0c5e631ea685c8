//! The "State details" panel: the selected state at the time-travel position: status, input, output, every
//! data-flow stage (TestState's `inspectionData`; for Map and Parallel also the iterations' or branches'
//! inputs and results, marked as derived from the history), variables, error and cause, retries, and the Map
//! iteration drill-down. The logic is `studio::run_view::details`.

use crate::app;
use crate::run_json::JsonTree;
use leptos::prelude::*;
use serde_json::{Map, Value};
use studio::run_view::details::state_details;

#[component]
pub fn StateDetailsPanel() -> impl IntoView {
    let state = app();
    let details = Memo::new(move |_| {
        let name = state.selected.get()?;
        let at = state.shown();
        state.execution.with(|e| {
            let e = e.as_ref()?;
            state.definition.with(|def| {
                let def = def.as_ref()?;
                Some(state.run_graph.with(|g| {
                    state
                        .focus
                        .with(|f| state_details(def, e.history(), at, g, f, &name))
                }))
            })
        })
    });
    // The Map whose iterations can be drilled into: the selected state if a Map, else its nearest Map.
    let drill = Memo::new(move |_| {
        let name = state.selected.get()?;
        let map = state.run_graph.with(|g| {
            std::iter::once(name.clone())
                .chain(g.ancestors(&name))
                .find(|n| g.kind(n) == Some("Map"))
        })?;
        let iterations = state.snapshot.with(|s| {
            s.progress.get(&map).map(|p| {
                p.iterations
                    .iter()
                    .map(|(i, st)| (*i, st.as_str()))
                    .collect::<Vec<_>>()
            })
        })?;
        Some((map, iterations))
    });
    let stages = Signal::derive(move || {
        details.with(|d| {
            let mut m = Map::new();
            if let Some(d) = d {
                for (k, v) in &d.stages {
                    m.insert(k.clone(), v.clone());
                }
                if d.stages.is_empty() {
                    if let Some(i) = &d.input {
                        m.insert("input".into(), i.clone());
                    }
                    if let Some(o) = &d.output {
                        m.insert("output".into(), o.clone());
                    }
                }
            }
            Value::Object(m)
        })
    });
    let variables = Signal::derive(move || {
        details.with(|d| Value::Object(d.as_ref().map(|d| d.variables.clone()).unwrap_or_default()))
    });
    view! {
        <section class="state-details" aria-label="State details">
            <div class="pane-title">"State details"</div>
            <div class="pad">
            {move || match details.get() {
                None => view! { <p class="muted">"Select a state to see its input, output and data flow in this run."</p> }.into_any(),
                Some(d) => {
                    let status = d.status.map(|s| s.as_str()).unwrap_or("not run");
                    let has_vars = !d.variables.is_empty();
                    view! {
                        <div class="row details-head">
                            <strong>{d.name.clone()}</strong>
                            <span class=format!("status-chip status-{status}") data-status=d.status.map(|s| s.as_str())>{status}</span>
                            {(d.visits > 1).then(|| view! { <span class="muted">{format!("last of {} visits", d.visits)}</span> })}
                        </div>
                        {d.error.clone().map(|e| view! {
                            <div class="details-error" aria-label="Error">
                                <strong>{e}</strong>
                                {d.cause.clone().map(|c| view! { <div class="cause">{c}</div> })}
                            </div>
                        })}
                        {(!d.retries.is_empty()).then(|| view! {
                            <div class="field-label">"Retries"</div>
                            <ol class="retries" aria-label="Retries">
                                {d.retries.iter().map(|r| view! {
                                    <li>{format!("Attempt {} failed with {}", r.attempt, r.error)}
                                        <span class="muted">{format!(" · retried after {}", seconds(r.delay_ms))}</span></li>
                                }).collect_view()}
                            </ol>
                        })}
                        {d.note.clone().map(|n| view! { <p class="muted hint">{n}</p> })}
                        {d.visited.then(|| view! {
                            <div class="field-label">"Data flow"</div>
                            <JsonTree value=stages label="Data flow" />
                        })}
                        {(!d.derived.is_empty()).then(|| view! {
                            <p class="muted hint derived" aria-label="Derived stages">{format!(
                                "Derived from the history (no event carries them; each iteration's or branch's input is its first state's input, its result its last state's output): {}. The other stages are TestState's, with that result as the mock.",
                                d.derived.join(", "))}</p>
                        })}
                        {has_vars.then(|| view! {
                            <div class="field-label">"Variables in scope"</div>
                            <JsonTree value=variables label="Variables" />
                        })}
                    }.into_any()
                }
            }}
            {move || drill.get().map(|(map, its)| {
                let current = state.focus.with(|f| f.get(&map).copied());
                let m = map.clone();
                view! {
                    <label class="field drill">
                        <span>{format!("{map} iteration")}</span>
                        <select aria-label="Iteration" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            state.focus.update(|f| match v.parse::<usize>() {
                                Ok(i) => { f.insert(m.clone(), i); }
                                Err(_) => { f.remove(&m); }
                            });
                        }>
                            <option value="" selected=current.is_none()>"Latest of each state"</option>
                            {its.into_iter().map(|(i, st)| view! {
                                <option value=i.to_string() selected=current == Some(i)>{format!("#{i} · {st}")}</option>
                            }).collect_view()}
                        </select>
                    </label>
                }
            })}
            </div>
        </section>
    }
}

fn seconds(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}
