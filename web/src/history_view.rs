//! The execution history table: AWS's event ids, types, virtual timestamps, states and details, filters by state
//! and by event type, a click moves the time-travel position there and selects the state, and "Export history"
//! copies and downloads GetExecutionHistory's JSON. Rows, filters and pages come from
//! `studio::run_view::table`: one page of rows is drawn (it follows the time-travel position; "Previous page"
//! and "Next page" turn it), while filters, jumps and the export work on the whole history.

use crate::app;
use crate::run_json::{copy_text, json_data_url};
use leptos::prelude::*;
use studio::run_view::table::{
    Filter, Row, choices, export, page_to_show, rows_unsummarised, summarise,
};

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
    // Summaries are filled for the drawn page only (a history holds up to 25,000 events).
    let all_rows = Memo::new(move |_| {
        state.execution.with(|e| {
            e.as_ref()
                .map(|e| rows_unsummarised(e.history()))
                .unwrap_or_default()
        })
    });
    let menus = Memo::new(move |_| all_rows.with(|r| choices(r)));
    let filtered = Memo::new(move |_| {
        let f = Filter {
            state: Some(by_state.get()).filter(|s| !s.is_empty()),
            kind: Some(by_kind.get()).filter(|s| !s.is_empty()),
        };
        all_rows.with(|r| {
            if f == Filter::default() {
                return r.clone();
            }
            r.iter()
                .filter(|r| f.keeps(r))
                .cloned()
                .collect::<Vec<Row>>()
        })
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
    // The page the person turned to, and the position it was chosen at (then the page follows again).
    let chosen = RwSignal::new(None::<(usize, usize)>);
    let page = Memo::new(move |_| {
        let at = state.shown();
        filtered.with(|r| page_to_show(r, at, chosen.get()))
    });
    let turn = move |delta: isize| {
        let p = page.get_untracked();
        let index = p.index.saturating_add_signed(delta).min(p.count - 1);
        chosen.set(Some((index, state.shown())));
    };
    let each_row = move || {
        let p = page.get();
        let mut shown = filtered.with(|r| r.get(p.start..p.end).unwrap_or_default().to_vec());
        state.execution.with(|e| {
            if let Some(e) = e {
                for row in &mut shown {
                    summarise(row, e.events());
                }
            }
        });
        shown
    };
    view! {
        <Show when=move || all_rows.with(|r| !r.is_empty())>
            <div class="history-tools row">
                <select aria-label="Filter by state" on:change=move |ev| { chosen.set(None); by_state.set(event_target_value(&ev)) }>
                    <option value="">"All states"</option>
                    {move || menus.with(|(s, _)| s.iter().map(|n| view! {
                        <option value=n.clone() selected=by_state.with_untracked(|b| b == n)>{n.clone()}</option>
                    }).collect_view())}
                </select>
                <select aria-label="Filter by event type" on:change=move |ev| { chosen.set(None); by_kind.set(event_target_value(&ev)) }>
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
            <Show when=move || page.with(|p| p.count > 1)>
                <div class="row history-pages" role="navigation" aria-label="History pages">
                    <button class="btn small" aria-label="Previous page" prop:disabled=move || page.with(|p| p.index == 0)
                        on:click=move |_| turn(-1)>"‹ Previous"</button>
                    <span class="muted" aria-live="polite" data-page=move || page.with(|p| p.index.to_string())>
                        {move || page.with(|p| format!("{} · page {} of {}", p.label(), p.index + 1, p.count))}
                    </span>
                    <button class="btn small" aria-label="Next page" prop:disabled=move || page.with(|p| p.index + 1 >= p.count)
                        on:click=move |_| turn(1)>"Next ›"</button>
                </div>
            </Show>
        </Show>
    }
}
