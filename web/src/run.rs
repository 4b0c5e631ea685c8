//! The run panel: execution input, mocks (a form per Task state over the MockConfigFile text, import and
//! export), run settings (payload and event limits, AWS's defaults shown, with
//! a reset), playback speed, Run / Step / Continue / Stop / Reset over `asl::simulate::Execution`, the
//! "History position" time-travel slider, the final output, the cost estimate with a monthly projection, the
//! selected state's details and the history table.

use crate::app;
use crate::details::StateDetailsPanel;
use crate::history_view::HistoryTable;
use crate::run_ctl::Playback;
use leptos::prelude::*;
use studio::replay::{
    DEFAULT_MAX_EVENTS, DEFAULT_MAX_PAYLOAD_BYTES, MAX_EVENTS_SETTING, MAX_PAYLOAD_SETTING,
    RunOptions, group_digits, parse_limit,
};
use studio::run_view::playback::{Speed, project, usd};
use wasm_bindgen::JsCast;

/// The mock form: per Task state, the first invocation's mocked answer (the default, a Return value or
/// a Throw), written into the MockConfigFile text by `studio::mock_form`; import and export of that text.
///
/// Its rows are built only while the "Mocks" section is `open` (a 1,000-state workflow has hundreds of
/// Task rows, which would otherwise be built and styled with the page and on every Task change).
#[component]
fn MockForm(open: ReadSignal<bool>) -> impl IntoView {
    use studio::mock_form::{self, TaskMock};
    let state = crate::app();
    let error = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        if !open.get() {
            return Ok(Vec::new());
        }
        let text = state.mocks.get();
        state.definition.with(|d| match d {
            Some(d) => mock_form::rows(d, &text),
            None => Ok(Vec::new()),
        })
    });
    let write = move |task: &str, mock: TaskMock| match mock_form::set(
        &state.mocks.get_untracked(),
        task,
        &mock,
    ) {
        Ok(text) => {
            error.set(None);
            state.mocks.set(text);
        }
        Err(e) => error.set(Some(format!("{task}: {e}"))),
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = crate::files::picked_file(&ev) else {
            return;
        };
        let promise = file.text();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(t) => {
                    let text = t.as_string().unwrap_or_default();
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(v) if v.is_object() => {
                            error.set(None);
                            state.mocks.set(text);
                        }
                        _ => error.set(Some(format!(
                            "{} is not a MockConfigFile (a JSON object); the mocks are unchanged.",
                            file.name()
                        ))),
                    }
                }
                Err(e) => error.set(Some(format!("Could not read {}: {e:?}", file.name()))),
            }
        });
    };
    let export = move |_| {
        if let Err(e) = crate::files::download(
            "mocks.json",
            "application/json",
            &state.mocks.get_untracked(),
        ) {
            error.set(Some(e));
        }
    };
    view! {
        <div class="mock-form" role="group" aria-label="Mock form">
            {move || match rows.get() {
                Err(e) => view! { <p class="field-msg error">{format!("The form cannot read the mocks: {e}")}</p> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="muted hint">"No Task states to mock."</p> }.into_any(),
                Ok(rows) => rows.into_iter().map(|row| {
                    let task = StoredValue::new(row.state.clone());
                    let kind = match &row.mock {
                        TaskMock::Unmocked => "default",
                        TaskMock::Return(_) => "return",
                        TaskMock::Throw { .. } => "throw",
                    };
                    let detail = match row.mock.clone() {
                        TaskMock::Unmocked => None,
                        TaskMock::Return(v) => {
                            let local = RwSignal::new(None::<String>);
                            Some(view! {
                                <textarea class="code small-code" rows="2" spellcheck="false"
                                    aria-label=format!("{} result", row.state)
                                    prop:value=serde_json::to_string(&v).unwrap_or_default()
                                    on:change=move |ev| match serde_json::from_str(&event_target_value(&ev)) {
                                        Ok(v) => { local.set(None); write(&task.get_value(), TaskMock::Return(v)); }
                                        Err(e) => local.set(Some(format!("not JSON: {e}"))),
                                    }></textarea>
                                {move || local.get().map(|m| view! { <div class="field-msg error">{m}</div> })}
                            }.into_any())
                        }
                        TaskMock::Throw { error: err, cause } => {
                            let (e2, c2) = (err.clone(), cause.clone());
                            Some(view! {
                                <input aria-label=format!("{} error", row.state) placeholder="Error" prop:value=err
                                    on:change=move |ev| write(&task.get_value(), TaskMock::Throw { error: event_target_value(&ev), cause: c2.clone() }) />
                                <input aria-label=format!("{} cause", row.state) placeholder="Cause" prop:value=cause
                                    on:change=move |ev| write(&task.get_value(), TaskMock::Throw { error: e2.clone(), cause: event_target_value(&ev) }) />
                            }.into_any())
                        }
                    };
                    view! {
                        <div class="mock-row" data-mock=row.state.clone()>
                            <label class="field">
                                <span>{row.state.clone()}</span>
                                <select aria-label=format!("Mock for {}", row.state) on:change=move |ev| {
                                    let t = task.get_value();
                                    match event_target_value(&ev).as_str() {
                                        "return" => write(&t, TaskMock::Return(serde_json::json!({}))),
                                        "throw" => write(&t, TaskMock::Throw { error: "States.TaskFailed".into(), cause: String::new() }),
                                        _ => write(&t, TaskMock::Unmocked),
                                    }
                                }>
                                    <option value="default" prop:selected=kind == "default">"Default (echo, with a warning)"</option>
                                    <option value="return" prop:selected=kind == "return">"Return"</option>
                                    <option value="throw" prop:selected=kind == "throw">"Throw"</option>
                                </select>
                            </label>
                            {detail}
                            {row.more.then(|| view! { <p class="muted hint">"Later invocations are set in the text below."</p> })}
                        </div>
                    }
                }).collect_view().into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="field-msg error" role="alert">{e}</p> })}
            <div class="row">
                <label class="btn small">"Import mock file…"
                    <input type="file" accept=".json,application/json" aria-label="Import mock file" class="visually-hidden" on:change=import />
                </label>
                <button class="btn small" aria-label="Export mock file" on:click=export>"Export mock file"</button>
            </div>
        </div>
    }
}

/// One limit of the run settings: a number field (empty: AWS's default) and its error.
#[component]
fn LimitField(
    label: &'static str,
    default: usize,
    max: usize,
    get: fn(&RunOptions) -> Option<usize>,
    set: fn(&mut RunOptions, Option<usize>),
) -> impl IntoView {
    let state = crate::app();
    let error = RwSignal::new(None::<String>);
    let value = move || {
        state
            .run_options
            .with(|o| get(o).map(|n| n.to_string()).unwrap_or_default())
    };
    view! {
        <label class="field limit">
            <span>{label}</span>
            <input type="text" inputmode="numeric" aria-label=label placeholder=group_digits(default)
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=value
                on:change=move |ev| match parse_limit(&event_target_value(&ev), max) {
                    Ok(n) => {
                        error.set(None);
                        state.run_options.update(|o| set(o, n));
                    }
                    Err(e) => error.set(Some(format!("{label}: {e}; the last valid value is kept."))),
                } />
        </label>
        {move || error.get().map(|e| view! { <p class="error-text hint" role="alert">{e}</p> })}
    }
}

/// "Run settings": the payload and event limits every run and test case is sent with.
#[component]
fn RunSettings() -> impl IntoView {
    let state = crate::app();
    let summary = move || {
        state.run_options.with(|o| {
            if o.is_default() {
                "Run settings · AWS limits".to_string()
            } else {
                let (bytes, events) = o.effective();
                format!(
                    "Run settings · {} bytes, {} events",
                    group_digits(bytes),
                    group_digits(events)
                )
            }
        })
    };
    view! {
        <details class="run-settings">
            <summary>{summary}</summary>
            <LimitField label="Payload limit" default=DEFAULT_MAX_PAYLOAD_BYTES max=MAX_PAYLOAD_SETTING
                get=|o| o.max_payload_bytes set=|o, n| o.max_payload_bytes = n />
            <LimitField label="Event limit" default=DEFAULT_MAX_EVENTS max=MAX_EVENTS_SETTING
                get=|o| o.max_events set=|o, n| o.max_events = n />
            <div class="row">
                <p class="muted hint">{format!(
                    "AWS's defaults: {} bytes (256 KiB) per input, output or result and {} history events. \
                     Raise them to try larger data here; AWS itself would fail such a run.",
                    group_digits(DEFAULT_MAX_PAYLOAD_BYTES), group_digits(DEFAULT_MAX_EVENTS))}</p>
                <button class="btn small" aria-label="Reset limits" title="Back to AWS's defaults"
                    prop:disabled=move || state.run_options.with(RunOptions::is_default)
                    on:click=move |_| state.run_options.set(RunOptions::default())>"Reset"</button>
            </div>
        </details>
    }
}

#[component]
pub fn RunPanel() -> impl IntoView {
    let state = app();
    let pb = Playback::new();
    let per_day = RwSignal::new(1000u64);
    let has_run = move || state.execution.with(Option::is_some);
    let finished = move || {
        state
            .execution
            .with(|e| e.as_ref().is_some_and(|e| e.is_finished()))
    };
    let status_line = move || {
        let shown = state.shown();
        state.execution.with(|e| match e {
            None => "Not run".to_string(),
            Some(e) => {
                let n = e.history().len();
                let base = match e.outcome() {
                    Some(o) => format!(
                        "{} · {} ms virtual · {} events",
                        o.status.as_str(),
                        o.duration_ms,
                        n
                    ),
                    None if pb.playing.get() => format!("Playing · {n} events"),
                    None => format!("Paused after {n} events"),
                };
                if shown < n {
                    format!("{base} · showing {shown} of {n}")
                } else {
                    base
                }
            }
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
    let cost = move || {
        state
            .execution
            .with(|e| e.as_ref().and_then(|e| e.outcome()).map(|o| o.cost.clone()))
    };
    on_cleanup(move || pb.stop());
    let (mocks_open, set_mocks_open) = signal(false);
    view! {
        <section class="run" aria-label="Run">
            <div class="pane-title">"Run"</div>
            <div class="pad run-body">
                <label class="field-label" for="exec-input">"Execution input"</label>
                <textarea id="exec-input" class="code small-code" aria-label="Execution input" spellcheck="false" wrap="off" rows="5"
                    prop:value=move || state.input.get()
                    on:input=move |ev| state.input.set(event_target_value(&ev))></textarea>
                <details class="mocks" on:toggle=move |ev| {
                    let open = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
                    set_mocks_open.set(open);
                }>
                    <summary>"Mocks (MockConfigFile)"</summary>
                    <MockForm open=mocks_open />
                    <textarea class="code small-code" aria-label="Mocks" spellcheck="false" wrap="off" rows="6"
                        placeholder="{\"StateMachines\": {\"M\": {\"TestCases\": {\"Happy\": {\"Call\": \"Ok\"}}}}, \"MockedResponses\": {\"Ok\": {\"0\": {\"Return\": {}}}}}"
                        prop:value=move || state.mocks.get()
                        on:input=move |ev| state.mocks.set(event_target_value(&ev))></textarea>
                    <p class="muted hint">"The first state machine and test case are used. Unmocked tasks get a default result and a warning."</p>
                </details>
                <RunSettings />
                <label class="field speed">
                    <span>"Playback"</span>
                    <select aria-label="Playback speed" on:change=move |ev| pb.speed.set(Speed::parse(&event_target_value(&ev)))>
                        {Speed::CHOICES.iter().map(|(v, l)| view! {
                            <option value=*v selected=move || pb.speed.get().value() == *v>{*l}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="row run-buttons">
                    <button class="btn primary" aria-label="Run" on:click=move |_| state.run_view(pb)>"▶ Run"</button>
                    <button class="btn" aria-label="Step" on:click=move |_| { pb.stop(); state.step_view(); }>"Step"</button>
                    <button class="btn" aria-label="Continue" on:click=move |_| { pb.stop(); state.continue_view(); }>"Continue"</button>
                    <Show when=move || pb.playing.get() && !state.busy()>
                        <button class="btn" aria-label="Stop" on:click=move |_| pb.stop()>"■ Stop"</button>
                    </Show>
                    <button class="btn" aria-label="Reset" prop:disabled=move || !has_run() on:click=move |_| state.reset_view(pb)>"Reset"</button>
                </div>
                <Show when=has_run>
                    <div class="row time-travel">
                        <input type="range" class="slider" aria-label="History position" min="0"
                            prop:max=move || state.revealed().to_string()
                            prop:value=move || state.shown().to_string()
                            on:input=move |ev| {
                                pb.stop();
                                if let Ok(p) = event_target_value(&ev).parse::<usize>() {
                                    state.seek(p);
                                }
                            } />
                        <span class="muted slider-label">{move || format!("{}/{}", state.shown(), state.revealed())}</span>
                    </div>
                </Show>
                <crate::jobs::Progress />
                <div class=status_class role="status" aria-label="Run status">{status_line}</div>
                <label class="field-label">"Execution output"</label>
                <pre class="json output" aria-label="Execution output" data-finished=move || finished().to_string()>{output}</pre>
                {move || cost().map(|c| {
                    let p = {
                        let c = c.clone();
                        Signal::derive(move || project(&c, per_day.get()))
                    };
                    view! {
                        <div class="cost" aria-label="Cost">
                            <div class="field-label">"Cost of this run"</div>
                            <div class="cost-grid">
                                <span>"Standard"</span>
                                <span>{let c = c.clone(); move || format!("{} · {} transitions", usd(p.get().standard_run), c.state_transitions)}</span>
                                <span>"Express"</span>
                                <span>{let c = c.clone(); move || format!("{} · {} ms × {} MB billed", usd(p.get().express_run), c.express_billed_ms, c.express_billed_mb)}</span>
                            </div>
                            <label class="field">
                                <span>"Executions per day"</span>
                                <input type="number" min="0" aria-label="Executions per day" prop:value=move || per_day.get().to_string()
                                    on:input=move |ev| per_day.set(event_target_value(&ev).trim().parse().unwrap_or(0)) />
                            </label>
                            <div class="cost-grid" aria-label="Monthly projection">
                                <span>"Per month"</span>
                                <span>{move || { let p = p.get(); format!("Standard {} · Express {}", usd(p.standard_month), usd(p.express_month)) }}</span>
                            </div>
                            <p class="muted hint">"List prices (us-east-1), 30-day month, free tier not deducted."</p>
                        </div>
                    }
                })}
            </div>
            <Show when=has_run>
                <StateDetailsPanel />
                <div class="pad">
                    <HistoryTable />
                </div>
            </Show>
        </section>
    }
}
