//! A JSON value shown as a folded, searchable tree (lines from `studio::run_view::json_tree`) with a Copy
//! button; also the browser glue for copying text and downloading a file.

use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use studio::run_view::json_tree::{LineKind, lines};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = encodeURIComponent)]
    fn encode_uri_component(s: &str) -> String;
    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn clipboard_write_text(s: &str) -> Result<JsValue, JsValue>;
}

/// Copies text to the clipboard (silently nothing where the page may not).
pub fn copy_text(text: &str) {
    let _ = clipboard_write_text(text);
}

/// A `data:` URL holding JSON text, for a download link.
pub fn json_data_url(text: &str) -> String {
    format!(
        "data:application/json;charset=utf-8,{}",
        encode_uri_component(text)
    )
}

/// The tree of `value`, named `label` (the search field is "Search <label>", the button "Copy <label>").
#[component]
pub fn JsonTree(#[prop(into)] value: Signal<Value>, label: &'static str) -> impl IntoView {
    let folded = RwSignal::new(BTreeSet::<String>::new());
    let query = RwSignal::new(String::new());
    let shown = Memo::new(move |_| value.with(|v| folded.with(|f| query.with(|q| lines(v, f, q)))));
    let each_line = move || {
        let v: Vec<(usize, studio::run_view::json_tree::Line)> =
            shown.get().into_iter().enumerate().collect();
        v
    };
    view! {
        <div class="jt" role="group" aria-label=label>
            <div class="jt-bar row">
                <input class="jt-search" type="search" placeholder="Search" aria-label=format!("Search {label}")
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                <button class="btn small" aria-label=format!("Copy {label}")
                    on:click=move |_| value.with(|v| copy_text(&serde_json::to_string_pretty(v).unwrap_or_default()))>"Copy"</button>
            </div>
            <div class="jt-lines json">
                <For each=each_line key=|(i, l)| (*i, l.clone())
                    children=move |(_, l)| {
                        let path = l.path.clone();
                        let toggle = matches!(l.kind, LineKind::Open { .. }).then(|| {
                            let folded_now = matches!(l.kind, LineKind::Open { folded: true, .. });
                            let p = path.clone();
                            view! {
                                <button class="jt-toggle" aria-label=if folded_now { "Unfold" } else { "Fold" }
                                    aria-expanded=(!folded_now).to_string()
                                    on:click=move |_| folded.update(|f| { if !f.remove(&p) { f.insert(p.clone()); } })>
                                    {if folded_now { "▸" } else { "▾" }}
                                </button>
                            }
                        });
                        let pad = l.depth as f64 * 1.1 + if toggle.is_some() { 0.0 } else { 1.1 };
                        let count = match l.kind { LineKind::Open { folded: true, count } => Some(format!(" {count}")), _ => None };
                        view! {
                            <div class="jt-line" class:jt-match=l.matched style=format!("padding-left: {pad}em")>
                                {toggle}
                                {l.key.clone().map(|k| view! { <span class="jt-key">{k}": "</span> })}
                                <span class="jt-val">{l.text.clone()}</span>
                                {count.map(|c| view! { <span class="muted">{c}</span> })}
                            </div>
                        }
                    } />
            </div>
        </div>
    }
}
