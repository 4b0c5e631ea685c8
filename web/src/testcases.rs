//! The "Test cases" panel: the workflow's cases (save from the run panel, rename, delete, edit the
//! expectation as JSON), "Run all tests" with a green/red mark per case and the differences between
//! expected and actual (JSON Pointer, expected, actual), and the Coverage toggle with its summary.

use crate::app;
use crate::jobs::CaseResult;
use leptos::prelude::*;

#[component]
pub fn TestCasesPanel() -> impl IntoView {
    let state = app();
    let summary = move || {
        state.suite.with(|s| {
            if s.results.is_empty() {
                return String::new();
            }
            let (pass, fail, error) = s.counts();
            let mut parts = vec![format!("{pass} passed"), format!("{fail} failed")];
            if error > 0 {
                parts.push(format!("{error} could not run"));
            }
            parts.join(", ")
        })
    };
    let summary_class = move || {
        state.suite.with(|s| {
            let (pass, fail, error) = s.counts();
            if s.running.is_some() || pass + fail + error == 0 {
                "suite-summary"
            } else if fail + error == 0 {
                "suite-summary ok"
            } else {
                "suite-summary bad"
            }
        })
    };
    let coverage_line = move || {
        state.coverage.with(|c| {
            c.as_ref().map(|c| {
                let s = c.summary();
                format!(
                    "Coverage: {} of {} states, {} of {} transitions",
                    s.states, s.states_total, s.transitions, s.transitions_total
                )
            })
        })
    };
    let uncovered = move || {
        state.coverage.with(|c| {
            c.as_ref()
                .map(|c| state.graph.with(|g| c.uncovered(g)))
                .unwrap_or_default()
        })
    };
    let rows = move || {
        state.test_cases.with(|cases| {
            cases
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.name.clone(), c.expect.to_text()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="testcases" aria-label="Test cases">
            <div class="pane-title">"Test cases"</div>
            <div class="pad">
                <div class="row tc-buttons">
                    <button class="btn" aria-label="Save as test case" title="A new case from the execution input, the mocks and the last run's result"
                        on:click=move |_| state.save_as_test_case()>"+ Save as test case"</button>
                    <button class="btn primary" aria-label="Run all tests"
                        prop:disabled=move || state.busy() || state.test_cases.with(Vec::is_empty)
                        on:click=move |_| state.run_all_tests()>"▶ Run all tests"</button>
                    <button class="btn" aria-label="Coverage" title="Mark the states and transitions the test runs reached"
                        aria-pressed=move || state.coverage_on.get().to_string()
                        on:click=move |_| state.coverage_on.update(|c| *c = !*c)>"Coverage"</button>
                </div>
                <div class=summary_class role="status" aria-label="Test summary">{summary}</div>
                {move || coverage_line().map(|l| view! {
                    <div class="coverage-summary" aria-label="Coverage summary">{l}</div>
                    <Show when=move || !uncovered().is_empty()>
                        <details class="uncovered">
                            <summary>"Transitions never taken"</summary>
                            <ul>{move || uncovered().into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}</ul>
                        </details>
                    </Show>
                })}
                <Show when=move || state.test_cases.with(Vec::is_empty)>
                    <p class="muted hint">"No test cases yet. Run the workflow, then save the input, mocks and result as a case."</p>
                </Show>
                <ul class="case-list" aria-label="Test case list">
                    <For each=rows key=|r| r.clone() children=move |(i, name, expect)| {
                        view! { <CaseItem index=i name=name expect=expect /> }
                    } />
                </ul>
            </div>
        </section>
    }
}

/// The mark of a case's result: `(data-result, symbol, title)`.
pub fn case_mark(result: &Option<CaseResult>) -> (&'static str, &'static str, &'static str) {
    match result {
        None => ("none", "•", "Not run"),
        Some(CaseResult::Running) => ("running", "…", "Running"),
        Some(CaseResult::Done { verdict, .. }) if verdict.passed => ("pass", "✓", "Passed"),
        Some(CaseResult::Done { .. }) => ("fail", "✗", "Failed"),
        Some(CaseResult::Error(_)) => ("error", "!", "Could not run"),
    }
}

/// What a failed case shows under its name: the actual result and the differences (JSON Pointer,
/// expected, actual), or why it could not run; nothing for a passed or pending case.
pub fn result_details(result: Option<CaseResult>) -> Option<AnyView> {
    match result {
        Some(CaseResult::Done {
            verdict, actual, ..
        }) if !verdict.passed => {
            let more = verdict.more;
            Some(view! {
                <div class="case-diff">
                    <div class="muted">{format!("Actual: {actual}")}</div>
                    <table class="diff" aria-label="Differences">
                        <thead><tr><th>"Path"</th><th>"Expected"</th><th>"Actual"</th></tr></thead>
                        <tbody>
                            {verdict.differences.into_iter().map(|d| {
                                let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default()).unwrap_or_else(|| "(absent)".into());
                                let (e, a) = (show(&d.expected), show(&d.actual));
                                let path = if d.path.is_empty() { "/".to_string() } else { d.path.clone() };
                                let attr = path.clone();
                                view! { <tr data-path=attr><td class="path">{path}</td><td class="expected">{e}</td><td class="actual">{a}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Show when=move || { more > 0 }>
                        <div class="muted">{format!("… and {more} more differences")}</div>
                    </Show>
                </div>
            }.into_any())
        }
        Some(CaseResult::Error(e)) => {
            Some(view! { <div class="case-diff error-text">{e}</div> }.into_any())
        }
        _ => None,
    }
}

/// One case: its mark, name, actions, expectation editor and differences.
#[component]
fn CaseItem(index: usize, name: String, expect: String) -> impl IntoView {
    let state = app();
    let result = {
        let name = name.clone();
        Memo::new(move |_| state.suite.with(|s| s.result(&name).cloned()))
    };
    let mark = move || result.with(case_mark);
    let details = move || result_details(result.get());
    let draft = RwSignal::new(expect.clone());
    let label_delete = format!("Delete {name}");
    let label_load = format!("Load {name}");
    view! {
        <li class="case" data-case=name.clone() data-result=move || mark().0>
            <div class="row case-head">
                <span class=move || format!("case-mark {}", mark().0) title=move || mark().2 aria-label=move || mark().2>{move || mark().1}</span>
                <input class="case-name" aria-label="Test case name" prop:value=name.clone()
                    on:change=move |ev| state.rename_test_case(index, event_target_value(&ev)) />
                <button class="btn small" aria-label=label_load title="Put this case's input into the run panel"
                    on:click=move |_| state.load_test_case(index)>"Load"</button>
                <button class="btn small" aria-label=label_delete title="Delete this case"
                    on:click=move |_| state.delete_test_case(index)>"✕"</button>
            </div>
            <details class="expectation">
                <summary>"Expectation"</summary>
                <textarea class="code small-code" aria-label="Expectation" spellcheck="false" wrap="off" rows="5"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:change=move |ev| { state.set_expectation(index, &event_target_value(&ev)); }></textarea>
            </details>
            {details}
        </li>
    }
}
