//! The execution history table: AWS's event ids, types, virtual timestamps, states and details, filters by state
//! and by event type, a click moves the time-travel position there and selects the state, and "Export history"
//! copies and downloads GetExecutionHistory's JSON. Rows come from `studio::run_view::table`.

use crate::app;
use crate::run_json::{copy_text, json_data_url};
use leptos::prelude::*;
use studio::run_view::table::{Filter, choices, export, rows};

/// Most rows drawn at once (a history holds up to 25,000 events; filters narrow it).
const MAX_ROWS: usize = 1000;

/// `TaskStateEntered` with break opportunities between its words only.
fn camel_words(kind: &str) -> impl IntoView + use<> {
    let mut words: Vec<String> = Vec::new();
    for c in kind.chars() {
        match words.last_mut() {
            Some(w) if !c.is_ascii_uppercase() => w.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| view! { {(i > 0).then(|| view! { <wbr /> })}{w} })
        .collect_view()
}

#[component]
pub fn HistoryTable() -> impl IntoView {
    let state = app();
    let by_state = RwSignal::new(String::new());
    let by_kind = RwSignal::new(String::new());
    let all_rows = Memo::new(move |_| {
        state
            .execution
            .with(|e| e.as_ref().map(|e| rows(e.history())).unwrap_or_default())
    });
    let menus = Memo::new(move |_| all_rows.with(|r| choices(r)));
    let filtered = Memo::new(move |_| {
        let f = Filter {
            state: Some(by_state.get()).filter(|s| !s.is_empty()),
            kind: Some(by_kind.get()).filter(|s| !s.is_empty()),
        };
        all_rows.with(|r| r.iter().filter(|r| f.keeps(r)).cloned().collect::<Vec<_>>())
    });
    let export_click = move |ev: leptos::ev::MouseEvent| {
        let text = state
            .execution
            .with_untracked(|e| e.as_ref().map(|e| export(e.history())).unwrap_or_default());
        copy_text(&text);
        if let Some(a) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = a.set_attribute("href", &json_data_url(&text));
        }
    };
    let each_row = move || {
        let mut v = filtered.get();
        v.truncate(MAX_ROWS);
        v
    };
    view! {
        <Show when=move || all_rows.with(|r| !r.is_empty())>
            <div class="history-tools row">
                <select aria-label="Filter by state" on:change=move |ev| by_state.set(event_target_value(&ev))>
                    <option value="">"All states"</option>
                    {move || menus.with(|(s, _)| s.iter().map(|n| view! {
                        <option value=n.clone() selected=by_state.with_untracked(|b| b == n)>{n.clone()}</option>
                    }).collect_view())}
                </select>
                <select aria-label="Filter by event type" on:change=move |ev| by_kind.set(event_target_value(&ev))>
                    <option value="">"All event types"</option>
                    {move || menus.with(|(_, k)| k.iter().map(|n| view! {
                        <option value=n.clone() selected=by_kind.with_untracked(|b| b == n)>{n.clone()}</option>
                    }).collect_view())}
                </select>
                <div class="spacer"></div>
                <a class="btn small" role="button" aria-label="Export history" href="#" download="execution-history.json"
                    title="Copy and download the history as GetExecutionHistory's JSON"
                    on:click=export_click>"Export history"</a>
            </div>
            <table class="history" aria-label="Execution history">
                <thead><tr><th>"ID"</th><th>"Type"</th><th>"State"</th><th>"Time"</th></tr></thead>
                <tbody>
                    <For each=each_row key=|r| r.clone() children=move |r| {
                        let pos = r.position;
                        let st = r.state.clone();
                        let time = r.timestamp.split_once('T').map(|(_, t)| t.trim_end_matches('Z').to_string()).unwrap_or_else(|| r.timestamp.clone());
                        view! {
                            <tr data-event=r.kind.clone() data-event-id=r.id tabindex="0"
                                class:current=move || state.shown() == pos
                                class:future=move || state.shown() < pos
                                aria-current=move || (state.shown() == pos).then_some("step")
                                on:click={ let st = st.clone(); move |_| {
                                    if !st.is_empty() { state.selected.set(Some(st.clone())); }
                                    state.seek(pos);
                                } }
                                on:keydown=move |ev| if ev.key() == "Enter" {
                                    if !st.is_empty() { state.selected.set(Some(st.clone())); }
                                    state.seek(pos);
                                }>
                                <td>{r.id}</td>
                                <td class="type">{camel_words(&r.kind)}<div class="ev-summary" title=r.summary.clone()>{r.summary.clone()}</div></td>
                                <td>{r.state.clone()}</td>
                                <td class="ts" title=r.timestamp.clone()>{time}</td>
                            </tr>
                        }
                    } />
                </tbody>
            </table>
            {move || {
                let n = filtered.with(Vec::len);
                (n > MAX_ROWS).then(|| view! { <p class="muted hint">{format!("Showing the first {MAX_ROWS} of {n} events; filter to see others.")}</p> })
            }}
        </Show>
    }
}
