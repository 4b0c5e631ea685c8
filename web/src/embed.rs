//! The read-only embed view (`?embed` before the fragment: `https://…/?embed#v1:…`): the linked
//! workflow's graph without the editing chrome, a Run button (the link's input and mocks) and the link's
//! test cases. They are the Test cases panel's `studio::testcase::TestCase`s, run the same way (in the
//! simulation worker, one after the other, each checked by `studio::testcase::check`), and a failed case
//! shows the same differences. Nothing is written to the library; "Open in Statewright" opens the same
//! link in the full studio (where it becomes a library entry).

use crate::jobs::CaseResult;
use crate::state::AppState;
use crate::testcases::{case_mark, result_details};
use leptos::prelude::*;

/// True when the page was opened as an embed.
pub fn is_embed() -> bool {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

#[component]
pub fn Embed() -> impl IntoView {
    let state: AppState = crate::app();
    let hash = window().location().hash().unwrap_or_default();
    let decoded = studio::share::decode(&hash);
    let error = decoded
        .as_ref()
        .err()
        .map(|e| format!("This link could not be opened: {e}."));
    if decoded.is_ok() {
        // The definition, input, mocks and test cases (a malformed case list is a notice).
        state.open_link(&hash);
    }
    // Another link pasted into the address bar: show that one (the embed keeps no state of its own).
    let listener = window_event_listener(leptos::ev::hashchange, |_| {
        let _ = window().location().reload();
    });
    on_cleanup(move || listener.remove());
    let full = {
        let loc = window().location();
        format!(
            "{}{}{}",
            loc.origin().unwrap_or_default(),
            loc.pathname().unwrap_or_default(),
            hash
        )
    };
    let has_cases = move || state.test_cases.with(|c| !c.is_empty());
    let ran = move || state.suite.with(|s| !s.results.is_empty());
    let output = move || {
        state.execution.with(|e| {
            e.as_ref()
                .and_then(|e| e.outcome())
                .map(|o| serde_json::to_string_pretty(&o.to_json()).unwrap_or_default())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="app embed" data-theme=move || state.theme.get() data-embed="true">
            <header class="topbar">
                <h1 class="brand">"Statewright"</h1>
                <span class="subtitle">"read-only view"</span>
                <div class="spacer"></div>
                <button class="btn primary" aria-label="Run" on:click=move |_| state.run()>"▶ Run"</button>
                <Show when=has_cases>
                    <button class="btn" aria-label="Run test cases" prop:disabled=move || state.busy()
                        on:click=move |_| state.run_all_tests()>"Run test cases"</button>
                </Show>
                <a class="btn" href=full target="_blank" rel="noopener">"Open in Statewright"</a>
            </header>
            {error.map(|e| view! { <div class="notice" role="alert"><span>{e}</span></div> })}
            <Show when=move || state.notice.with(Option::is_some)>
                <div class="notice" role="alert"><span>{move || state.notice.get().unwrap_or_default()}</span></div>
            </Show>
            <main class="embed-main">
                <section class="canvas-pane">
                    <crate::canvas::Canvas />
                </section>
                <aside class="embed-side">
                    <label class="field-label">"Execution output"</label>
                    <pre class="json output" aria-label="Execution output">{output}</pre>
                    <crate::jobs::Progress />
                    <Show when=ran>
                        <div class="suite-summary" role="status" aria-label="Test summary">{move || {
                            let (pass, fail, error) = state.suite.with(|s| s.counts());
                            let mut t = format!("{pass} passed, {fail} failed");
                            if error > 0 {
                                t.push_str(&format!(", {error} could not run"));
                            }
                            t
                        }}</div>
                        <ul class="embed-cases" aria-label="Test results">
                            <For each=move || state.test_cases.with(|c| c.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
                                key=|n| n.clone() children=move |name| {
                                let result = {
                                    let name = name.clone();
                                    Memo::new(move |_| state.suite.with(|s| s.result(&name).cloned()))
                                };
                                let mark = move || result.with(case_mark);
                                // A failed case says what it got in its differences.
                                let actual = move || result.with(|r| match r {
                                    Some(CaseResult::Done { actual, verdict, .. }) if verdict.passed => format!(" — {actual}"),
                                    _ => String::new(),
                                });
                                view! {
                                    <li class="case" data-case=name.clone() data-result=move || mark().0
                                        data-pass=move || (mark().0 == "pass").to_string()>
                                        <span class=move || format!("case-mark {}", mark().0) title=move || mark().2 aria-label=move || mark().2>{move || mark().1}</span>
                                        " "{name.clone()}{actual}
                                        {move || result_details(result.get())}
                                    </li>
                                }
                            } />
                        </ul>
                    </Show>
                </aside>
            </main>
        </div>
    }
}
