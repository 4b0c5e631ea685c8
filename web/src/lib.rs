//! The Statewright studio app: thin Leptos components over `asl` (analysis) and `studio` (layout).

mod canvas;
mod sample;

use leptos::prelude::*;

/// The whole page: code editor, canvas and problems list, wired to one text signal.
#[component]
pub fn App() -> impl IntoView {
    let text = RwSignal::new(sample::SAMPLE.to_string());
    // `Analysis` has no `PartialEq`: every new text yields a new analysis.
    let analysis = Memo::new_with_compare(move |_| text.with(|t| asl::analyze(t)), |_, _| true);
    // The last well-formed definition stays drawn while the text is broken.
    let last_good = Memo::new(move |prev: Option<&Option<serde_json::Value>>| {
        analysis
            .with(|a| a.definition.clone())
            .or_else(|| prev.cloned().flatten())
    });
    let graph = Memo::new(move |_| {
        last_good.with(|d| {
            d.as_ref()
                .map(studio::FlowGraph::from_definition)
                .unwrap_or_default()
        })
    });
    let layout = Memo::new(move |_| graph.with(studio::layout));
    let theme = RwSignal::new("light");

    view! {
        <div class="app" data-theme=move || theme.get()>
            <header class="topbar">
                <h1 class="brand">"Statewright"</h1>
                <span class="subtitle">"Step Functions studio"</span>
                <div class="spacer"></div>
                <button
                    class="btn"
                    aria-label="Theme"
                    on:click=move |_| theme.update(|t| *t = if *t == "light" { "dark" } else { "light" })
                >
                    {move || if theme.get() == "light" { "Dark theme" } else { "Light theme" }}
                </button>
            </header>
            <main class="workspace">
                <section class="code-pane">
                    <label class="pane-title" for="asl-code">"Definition"</label>
                    <textarea
                        id="asl-code"
                        class="code"
                        aria-label="ASL code"
                        spellcheck="false"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                </section>
                <section class="canvas-pane">
                    <canvas::Canvas layout=layout />
                </section>
            </main>
            <section class="problems" aria-label="Problems" role="list">
                <For
                    each=move || analysis.with(|a| a.diagnostics.iter().cloned().enumerate().collect::<Vec<_>>())
                    key=|(i, d)| (*i, d.code.clone(), d.location.clone(), d.message.clone())
                    children=move |(_, d)| {
                        let severity = format!("{:?}", d.severity).to_lowercase();
                        let place = d.span.map(|s| format!("{}:{}", s.line, s.column)).unwrap_or_default();
                        view! {
                            <div class="problem" role="listitem" data-severity=severity.clone()>
                                <span class=format!("badge {severity}")>{d.code.clone()}</span>
                                <span class="message">{d.message.clone()}</span>
                                <span class="where">{d.location.clone()} " " {place}</span>
                            </div>
                        }
                    }
                />
                <Show when=move || analysis.with(|a| a.diagnostics.is_empty())>
                    <div class="no-problems">"No problems"</div>
                </Show>
            </section>
        </div>
    }
}
