//! The run panel: execution input, Run / Step / Continue / Reset over `asl::simulate::Execution`,
//! the final output and the history table (AWS's events).

use crate::app;
use asl::simulate::time::format_timestamp;
use leptos::prelude::*;

#[component]
pub fn RunPanel() -> impl IntoView {
    let state = app();
    let has_run = move || state.execution.with(Option::is_some);
    let finished = move || {
        state
            .execution
            .with(|e| e.as_ref().is_some_and(|e| e.is_finished()))
    };
    let status_line = move || {
        state.execution.with(|e| match e {
            None => "Not run".to_string(),
            Some(e) => match e.outcome() {
                Some(o) => format!(
                    "{} · {} ms virtual · {} events",
                    o.status.as_str(),
                    o.duration_ms,
                    e.history().len()
                ),
                None => format!("Paused after {} events", e.history().len()),
            },
        })
    };
    let status_class = move || {
        state.execution.with(
            |e| match e.as_ref().and_then(|e| e.outcome()).map(|o| o.status) {
                Some(asl::simulate::Status::Succeeded) => "run-status ok",
                Some(_) => "run-status bad",
                None => "run-status",
            },
        )
    };
    let output = move || {
        state.execution.with(|e| {
            e.as_ref()
                .and_then(|e| e.outcome())
                .map(|o| serde_json::to_string_pretty(&o.to_json()).unwrap_or_default())
                .unwrap_or_default()
        })
    };
    let rows = move || {
        state.execution.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.history()
                        .iter()
                        .map(|ev| {
                            (
                                ev.id,
                                ev.kind.clone(),
                                ev.state_name().unwrap_or_default().to_string(),
                                format_timestamp(ev.timestamp_ms),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="run" aria-label="Run">
            <div class="pane-title">"Run"</div>
            <div class="pad run-body">
                <label class="field-label" for="exec-input">"Execution input"</label>
                <textarea id="exec-input" class="code small-code" aria-label="Execution input" spellcheck="false" wrap="off" rows="5"
                    prop:value=move || state.input.get()
                    on:input=move |ev| state.input.set(event_target_value(&ev))></textarea>
                <details class="mocks">
                    <summary>"Mocks (MockConfigFile)"</summary>
                    <textarea class="code small-code" aria-label="Mocks" spellcheck="false" wrap="off" rows="6"
                        placeholder="{\"StateMachines\": {\"M\": {\"TestCases\": {\"Happy\": {\"Call\": \"Ok\"}}}}, \"MockedResponses\": {\"Ok\": {\"0\": {\"Return\": {}}}}}"
                        prop:value=move || state.mocks.get()
                        on:input=move |ev| state.mocks.set(event_target_value(&ev))></textarea>
                    <p class="muted hint">"The first state machine and test case are used. Unmocked tasks get a default result and a warning."</p>
                </details>
                <div class="row run-buttons">
                    <button class="btn primary" aria-label="Run" on:click=move |_| state.run()>"▶ Run"</button>
                    <button class="btn" aria-label="Step" on:click=move |_| state.step()>"Step"</button>
                    <button class="btn" aria-label="Continue" on:click=move |_| state.continue_run()>"Continue"</button>
                    <button class="btn" aria-label="Reset" prop:disabled=move || !has_run() on:click=move |_| state.reset_run()>"Reset"</button>
                </div>
                <crate::jobs::Progress />
                <div class=status_class role="status">{status_line}</div>
                <label class="field-label">"Execution output"</label>
                <pre class="json output" aria-label="Execution output" data-finished=move || finished().to_string()>{output}</pre>
                <Show when=move || !rows().is_empty()>
                    <table class="history" aria-label="Execution history">
                        <thead><tr><th>"ID"</th><th>"Type"</th><th>"State"</th><th>"Timestamp"</th></tr></thead>
                        <tbody>
                            <For each=rows key=|r| r.clone() children=|(id, kind, st, ts)| { let k = kind.clone(); view! {
                                <tr data-event=k><td>{id}</td><td>{kind}</td><td>{st}</td><td class="ts" title=ts.clone()>{ts.split_once('T').map(|(_, t)| t.trim_end_matches('Z').to_string()).unwrap_or_else(|| ts.clone())}</td></tr>
                            } } />
                        </tbody>
                    </table>
                </Show>
            </div>
        </section>
    }
}
