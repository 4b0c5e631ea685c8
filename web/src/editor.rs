//! The code view: a plain textarea (no wrapping) with a line-number gutter; typing becomes
//! `Edit::ReplaceText` steps that coalesce into one undo step per burst.

use crate::app;
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn CodeEditor() -> impl IntoView {
    let state = app();
    let area = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Div>::new();
    let lines = move || {
        let n = state.doc.with(|d| d.text().lines().count().max(1) + 1);
        (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let sync_scroll = move || {
        if let (Some(a), Some(g)) = (area.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(a.scroll_top());
        }
    };
    view! {
        <section class="code-pane">
            <label class="pane-title" for="asl-code">"Definition"</label>
            <div class="code-wrap">
                <div class="gutter" aria-hidden="true" node_ref=gutter>
                    <pre>{lines}</pre>
                </div>
                <textarea
                    id="asl-code"
                    class="code"
                    aria-label="ASL code"
                    spellcheck="false"
                    wrap="off"
                    autocomplete="off"
                    node_ref=area
                    prop:value=move || state.doc.with(|d| d.text().to_string())
                    on:input=move |ev| {
                        state.type_text(event_target_value(&ev));
                        sync_scroll();
                    }
                    on:scroll=move |_| sync_scroll()
                    on:blur=move |_| state.seal()
                ></textarea>
            </div>
        </section>
    }
}
