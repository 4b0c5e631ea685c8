//! The read-only embed view (`?embed` before the fragment: `https://…/?embed#v1:…`): the linked
//! workflow's graph without the editing chrome, a Run button (the link's input and mocks) and the link's
//! test cases with their results. Nothing is written to the library; "Open in Statewright" opens the
//! same link in the full studio (where it becomes a library entry).

use crate::state::AppState;
use asl::simulate::{Mocks, Options, Status};
use leptos::prelude::*;
use serde_json::Value;

/// True when the page was opened as an embed.
pub fn is_embed() -> bool {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

/// One test case of the link (any object with a name), its input and expected status.
#[derive(Clone, Debug, PartialEq)]
struct Case {
    name: String,
    input: Value,
    expected: Option<String>,
}

fn cases(test_cases: &Option<Value>) -> Vec<Case> {
    let Some(Value::Array(items)) = test_cases else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|c| {
            Some(Case {
                name: c.get("name")?.as_str()?.to_string(),
                input: c
                    .get("input")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
                expected: c
                    .get("expect")
                    .and_then(|e| e.get("status"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect()
}

/// Runs one case: its own test case of the link's MockConfigFile when there is one by that name.
fn run_case(definition: &Value, mocks: &Option<Value>, case: &Case) -> (String, bool) {
    let mocks = mocks
        .as_ref()
        .and_then(|config| {
            let machine = config
                .get("StateMachines")
                .and_then(Value::as_object)
                .and_then(|m| m.keys().next().cloned())?;
            Mocks::from_config(config, &machine, &case.name).ok()
        })
        .unwrap_or_default();
    let (outcome, _) =
        asl::simulate::run(definition, case.input.clone(), &mocks, &Options::default());
    let status = outcome.status.as_str().to_string();
    let ok = match &case.expected {
        Some(e) => e.eq_ignore_ascii_case(&status),
        None => outcome.status == Status::Succeeded,
    };
    (status, ok)
}

#[component]
pub fn Embed() -> impl IntoView {
    let state: AppState = crate::app();
    let hash = window().location().hash().unwrap_or_default();
    let decoded = studio::share::decode(&hash);
    let (error, test_cases, mocks) = match &decoded {
        Ok(env) => (None, env.test_cases.clone(), env.mocks.clone()),
        Err(e) => (
            Some(format!("This link could not be opened: {e}.")),
            None,
            None,
        ),
    };
    if decoded.is_ok() {
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
    let cases = cases(&test_cases);
    let results = RwSignal::new(Vec::<(String, String, bool)>::new());
    let run_all = {
        let cases = cases.clone();
        move |_| {
            let Some(def) = state.analysis.with_untracked(|a| a.definition.clone()) else {
                return;
            };
            results.set(
                cases
                    .iter()
                    .map(|c| {
                        let (status, ok) = run_case(&def, &mocks, c);
                        (c.name.clone(), status, ok)
                    })
                    .collect(),
            );
        }
    };
    let has_cases = !cases.is_empty();
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
                {has_cases.then(|| view! { <button class="btn" aria-label="Run test cases" on:click=run_all.clone()>"Run test cases"</button> })}
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
                    <Show when=move || results.with(|r| !r.is_empty())>
                        <ul class="embed-cases" aria-label="Test results">
                            <For each=move || results.get() key=|r| r.clone() children=|(name, status, ok)| view! {
                                <li data-case=name.clone() data-pass=ok.to_string()>
                                    {if ok { "✓ " } else { "✗ " }}{name.clone()}" — "{status}
                                </li>
                            } />
                        </ul>
                    </Show>
                </aside>
            </main>
        </div>
    }
}
