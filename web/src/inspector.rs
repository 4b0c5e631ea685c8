//! The inspector: the selected state's name (rename updates every reference through
//! `Edit::RenameState`), its type, a delete button, a breakpoint toggle and its JSON fields.

use crate::app;
use leptos::prelude::*;

#[component]
pub fn Inspector() -> impl IntoView {
    let state = app();
    // The selected state's JSON, from the document (or the last good definition while the text is broken).
    let selected_json = Memo::new(move |_| {
        let name = state.selected.get()?;
        let scope = state.graph.with(|g| {
            g.nodes
                .iter()
                .position(|n| n.name == name)
                .map(|i| g.scope_of(i))
        })?;
        let from_doc = state.doc.with(|d| d.state(&scope, &name).cloned());
        let value = from_doc.or_else(|| {
            state.definition.with(|d| {
                let d = studio::Document::from_value(d.clone()?);
                d.state(&scope, &name).cloned()
            })
        })?;
        Some((name, value))
    });
    view! {
        <section class="inspector" aria-label="Inspector">
            <div class="pane-title">"Inspector"</div>
            {move || match selected_json.get() {
                None => view! {
                    <p class="muted pad">"Select a state on the canvas to see and edit it."</p>
                }.into_any(),
                Some((name, value)) => {
                    let kind = value.get("Type").and_then(|t| t.as_str()).unwrap_or("?").to_string();
                    let chip = format!("type-chip kind-{}", kind.to_lowercase());
                    let json = serde_json::to_string_pretty(&value).unwrap_or_default();
                    let from = name.clone();
                    let bp_name = name.clone();
                    let bp_name2 = name.clone();
                    view! {
                        <div class="pad inspector-body">
                            <label class="field">
                                <span>"Name"</span>
                                <input aria-label="State name" prop:value=name.clone()
                                    on:change=move |ev| state.rename(&from, &event_target_value(&ev))
                                    on:keydown=move |ev| {
                                        use wasm_bindgen::JsCast;
                                        if ev.key() == "Enter"
                                            && let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                                        {
                                            let _ = el.blur();
                                        }
                                    } />
                            </label>
                            <div class="row">
                                <span class=chip>{kind}</span>
                                <div class="spacer"></div>
                                <button class="btn small" aria-label="Toggle breakpoint"
                                    aria-pressed=move || state.breakpoints.with(|b| b.contains(&bp_name)).to_string()
                                    on:click=move |_| state.toggle_breakpoint(&bp_name2)>"● Breakpoint"</button>
                                <button class="btn small danger" aria-label="Delete state"
                                    on:click=move |_| state.remove_selected()>"Delete"</button>
                            </div>
                            <pre class="json" aria-label="State JSON">{json}</pre>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
