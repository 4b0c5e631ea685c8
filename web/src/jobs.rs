//! Runs off the page's thread: the run panel's Run/Step/Continue and "Run all tests" go to the simulation
//! worker; the answer becomes a `Replay` the page steps through. While a job is under way a progress
//! line (events so far and the state being run, as the worker reports them; case k of n; elapsed time)
//! and a Stop button show; Stop terminates the worker.
//!
//! Stepping: every fresh Step/Continue starts a whole run in the worker (the simulator computes runs up
//! front anyway), then reveals one event (or up to the next breakpoint) when it answers; further Steps
//! reveal locally. Steps clicked while the answer is on its way are counted and applied on arrival.

use crate::app;
use crate::state::AppState;
use crate::worker;
use asl::simulate::Event;
use leptos::prelude::*;
use serde_json::Value;
use studio::replay::{RunRequest, RunResponse};
use studio::testcase::{
    self, CaseMocks, Expectation, ExpectedStatus, MatchMode, TestCase, Verdict,
};

/// What to reveal when a run answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    End,
    Steps(usize),
    Breakpoint,
}

/// A run of the run panel under way in the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct RunJob {
    pub id: u64,
    pub after: After,
    pub started_ms: f64,
}

/// The result of one test case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseResult {
    Running,
    Done {
        verdict: Verdict,
        /// `status` (and error) of the actual run, for the summary line.
        actual: String,
        history: Vec<Event>,
    },
    /// The case could not run (bad mocks, input, stopped).
    Error(String),
}

/// The last "Run all tests": results by case name, and progress while it runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuiteState {
    pub results: Vec<(String, CaseResult)>,
    /// Index of the case under way, while running.
    pub running: Option<usize>,
    pub started_ms: f64,
}

impl SuiteState {
    /// The histories of the finished cases (for coverage).
    pub fn histories(&self) -> impl Iterator<Item = &[Event]> {
        self.results.iter().filter_map(|(_, r)| match r {
            CaseResult::Done { history, .. } => Some(history.as_slice()),
            _ => None,
        })
    }

    pub fn result(&self, name: &str) -> Option<&CaseResult> {
        self.results.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    pub fn counts(&self) -> (usize, usize, usize) {
        let mut pass = 0;
        let mut fail = 0;
        let mut error = 0;
        for (_, r) in &self.results {
            match r {
                CaseResult::Done { verdict, .. } if verdict.passed => pass += 1,
                CaseResult::Done { .. } => fail += 1,
                CaseResult::Error(_) => error += 1,
                CaseResult::Running => {}
            }
        }
        (pass, fail, error)
    }
}

impl AppState {
    /// Send the run panel's run to the worker; reveal per `after` when it answers.
    pub(crate) fn start_run(&self, req: RunRequest, after: After) {
        let breakpoints = self.breakpoints.get_untracked();
        let state = *self;
        let id = worker::submit(req, move |answer| {
            let Some(job) = state.run_job.get_untracked() else {
                return;
            };
            if answer.as_ref().is_ok_and(|a| a.id != job.id) {
                return; // the answer of an earlier run
            }
            state.run_job.set(None);
            let replay = answer.and_then(studio::replay::from_response);
            match replay {
                Ok(mut r) => {
                    for b in &breakpoints {
                        r.add_breakpoint(b);
                    }
                    match job.after {
                        After::End => {
                            r.run_to_end();
                        }
                        After::Steps(n) => {
                            for _ in 0..n {
                                r.step();
                            }
                        }
                        After::Breakpoint => {
                            r.continue_to_breakpoint();
                        }
                    }
                    state.execution.set(Some(r));
                }
                Err(e) => state.notice.set(Some(format!("The run failed: {e}"))),
            }
        });
        // The answer of an earlier run still on its way is ignored from now on.
        self.run_progress.set(None);
        self.run_job.set(Some(RunJob {
            id,
            after,
            started_ms: worker::now_ms(),
        }));
        self.execution.set(None);
    }

    /// A Step or Continue while a run is on its way adds to what is revealed on arrival.
    pub(crate) fn extend_pending(&self, more: After) -> bool {
        let mut pending = false;
        self.run_job.update(|j| {
            if let Some(j) = j {
                pending = true;
                j.after = match (j.after, more) {
                    (After::Steps(a), After::Steps(b)) => After::Steps(a + b),
                    (After::End, _) | (_, After::End) => After::End,
                    (_, After::Breakpoint) => After::Breakpoint,
                    (After::Breakpoint, _) => After::Breakpoint,
                };
            }
        });
        pending
    }

    /// True while a run or the suite is under way in the worker.
    pub fn busy(&self) -> bool {
        self.run_job.with(Option::is_some) || self.suite.with(|s| s.running.is_some())
    }

    /// Stop whatever the worker is doing (the worker is terminated; the next run starts a new one).
    pub fn stop(&self) {
        worker::stop();
        let was_running = self.run_job.with_untracked(Option::is_some)
            || self.suite.with_untracked(|s| s.running.is_some());
        self.run_job.set(None);
        self.suite.update(|s| {
            if let Some(i) = s.running.take() {
                for (_, r) in s.results.iter_mut().skip(i) {
                    if *r == CaseResult::Running {
                        *r = CaseResult::Error("stopped".into());
                    }
                }
            }
        });
        if was_running {
            self.notice
                .set(Some("Stopped. The run was cancelled.".into()));
        }
    }

    /// Run every test case in the worker, one after the other.
    pub fn run_all_tests(&self) {
        let cases = self.test_cases.get_untracked();
        if cases.is_empty() {
            self.notice.set(Some(
                "There are no test cases yet: use \"Save as test case\" first.".into(),
            ));
            return;
        }
        let Some(def) = self.analysis.with_untracked(|a| a.definition.clone()) else {
            self.notice.set(Some(
                "Cannot run: the definition does not parse; fix the text first.".into(),
            ));
            return;
        };
        worker::stop();
        self.suite.set(SuiteState {
            results: cases
                .iter()
                .map(|c| (c.name.clone(), CaseResult::Running))
                .collect(),
            running: Some(0),
            started_ms: worker::now_ms(),
        });
        let workflow_mocks = self
            .mocks
            .with_untracked(|m| serde_json::from_str::<Value>(m).ok());
        self.run_case(def, cases, workflow_mocks, 0);
    }

    fn run_case(
        &self,
        def: Value,
        cases: Vec<TestCase>,
        workflow_mocks: Option<Value>,
        index: usize,
    ) {
        let state = *self;
        let Some(case) = cases.get(index).cloned() else {
            self.suite.update(|s| s.running = None);
            return;
        };
        let mocks = case.mock_ref(workflow_mocks.as_ref());
        let req = mocks.as_ref().ok().map(|m| RunRequest {
            id: 0,
            definition: def.clone(),
            input: case.input.clone(),
            mocks: m.clone(),
            options: state.run_options.get_untracked(),
        });
        let next = move |result: CaseResult| {
            let still = state.suite.with_untracked(|s| s.running == Some(index));
            if !still {
                return;
            }
            state.suite.update(|s| {
                if let Some(slot) = s.results.get_mut(index) {
                    slot.1 = result;
                }
                s.running = Some(index + 1);
            });
            state.run_case(def, cases, workflow_mocks, index + 1);
        };
        let req = match (req, mocks) {
            (Some(req), _) => req,
            (None, Err(e)) => return next(CaseResult::Error(e)),
            (None, Ok(_)) => return,
        };
        let expect = case.expect.clone();
        self.run_progress.set(None);
        worker::submit(req, move |answer: Result<RunResponse, String>| {
            let result = match answer.and_then(studio::replay::from_response) {
                Ok(r) => {
                    let outcome = r.final_outcome();
                    let verdict = testcase::check(&expect, outcome);
                    let actual = match &outcome.error {
                        Some(e) => format!("{} ({e})", outcome.status.as_str()),
                        None => outcome.status.as_str().to_string(),
                    };
                    CaseResult::Done {
                        verdict,
                        actual,
                        history: r.events().to_vec(),
                    }
                }
                Err(e) => CaseResult::Error(e),
            };
            next(result);
        });
    }

    /// A new test case from the execution input, the mocks (the first test case of the MockConfigFile)
    /// and the last finished run's outcome (else: expect SUCCEEDED).
    pub fn save_as_test_case(&self) {
        let input = match self
            .input
            .with_untracked(|t| serde_json::from_str::<Value>(t))
        {
            Ok(v) => v,
            Err(e) => {
                self.notice
                    .set(Some(format!("The execution input is not JSON: {e}.")));
                return;
            }
        };
        let mocks = match self.parsed_mocks() {
            Ok(Some(r)) => CaseMocks::TestCase(r.test_case),
            Ok(None) => CaseMocks::None,
            Err(e) => {
                self.notice
                    .set(Some(format!("The mocks cannot be used: {e}.")));
                return;
            }
        };
        let expect = self
            .execution
            .with_untracked(|e| {
                e.as_ref()
                    .and_then(|e| e.outcome())
                    .map(Expectation::from_outcome)
            })
            .unwrap_or(Expectation {
                status: ExpectedStatus::Succeeded,
                output: None,
                match_mode: MatchMode::Exact,
                error: None,
                cause: None,
                duration_ms: None,
            });
        self.test_cases.update(|cases| {
            let name = testcase::unique_name(&format!("Case {}", cases.len() + 1), cases);
            cases.push(TestCase {
                name,
                input,
                mocks,
                expect,
            });
        });
    }

    /// Rename a case; an empty or taken name is refused with a notice.
    pub fn rename_test_case(&self, index: usize, name: String) {
        let name = name.trim().to_string();
        let taken = self.test_cases.with_untracked(|c| {
            c.iter()
                .enumerate()
                .any(|(i, c)| i != index && c.name == name)
        });
        if name.is_empty() || taken {
            self.notice.set(Some(format!(
                "Cannot rename the test case: the name '{name}' is empty or taken."
            )));
            return;
        }
        self.test_cases.update(|c| {
            if let Some(c) = c.get_mut(index) {
                c.name = name;
            }
        });
    }

    pub fn delete_test_case(&self, index: usize) {
        self.test_cases.update(|c| {
            if index < c.len() {
                c.remove(index);
            }
        });
    }

    /// Set a case's expectation from JSON text; bad JSON is a notice and the old one stays.
    pub fn set_expectation(&self, index: usize, text: &str) -> bool {
        match Expectation::from_text(text) {
            Ok(e) => {
                self.test_cases.update(|c| {
                    if let Some(c) = c.get_mut(index) {
                        c.expect = e;
                    }
                });
                true
            }
            Err(e) => {
                self.notice
                    .set(Some(format!("The expectation is not valid: {e}")));
                false
            }
        }
    }

    /// Put a case's input into the execution input (to run or step it in the run panel).
    pub fn load_test_case(&self, index: usize) {
        if let Some(c) = self.test_cases.with_untracked(|c| c.get(index).cloned()) {
            self.input
                .set(serde_json::to_string_pretty(&c.input).unwrap_or_default());
        }
    }

    /// The test cases a link or saved document carries; malformed ones are a notice and none are kept.
    pub(crate) fn open_test_cases(&self, value: Option<&Value>) {
        self.suite.set(SuiteState::default());
        match value.map(testcase::from_share).transpose() {
            Ok(cases) => self.test_cases.set(cases.unwrap_or_default()),
            Err(e) => {
                self.test_cases.set(Vec::new());
                self.notice.set(Some(format!("The link's {e}.")));
            }
        }
    }

    /// Open the starter template with this id (`#template:<id>` links); an unknown id is a notice.
    pub fn open_template_id(&self, id: &str) {
        match studio::templates::templates()
            .into_iter()
            .find(|t| t.id == id)
        {
            Some(t) => self.open_template(&t),
            None => self
                .notice
                .set(Some(format!("There is no starter template '{id}'."))),
        }
    }

    /// Open a starter template: its definition, the first case's input, and its cases as the workflow's.
    pub fn open_template(&self, template: &studio::templates::Template) {
        self.doc.set(studio::Document::new(template.definition));
        self.history.set(studio::History::default());
        let cases = testcase::from_template(template);
        if let Some(first) = cases.first() {
            self.input
                .set(serde_json::to_string_pretty(&first.input).unwrap_or_default());
        }
        self.mocks.set(String::new());
        self.execution.set(None);
        self.test_cases.set(cases);
        self.suite.set(SuiteState::default());
        self.fit_request.update(|n| *n += 1);
    }
}

/// The progress line and the Stop button, shown while the worker is busy (in the run panel).
#[component]
pub fn Progress() -> impl IntoView {
    let state = app();
    let tick = RwSignal::new(0.0f64);
    // Elapsed time refreshes while busy (the page's own thread is free: this is the proof).
    let handle = set_interval_with_handle(
        move || {
            if state.busy() {
                tick.set(worker::now_ms());
            }
        },
        std::time::Duration::from_millis(100),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    // Events so far and the state being run, from the worker's progress messages.
    let events = move || {
        state
            .run_progress
            .with(|p| p.as_ref().map(|p| format!(" {} ·", p.label())))
            .unwrap_or_default()
    };
    let text = move || {
        let now = tick.get().max(worker::now_ms());
        if let Some(j) = state.run_job.get() {
            return format!(
                "Running…{} {:.1} s",
                events(),
                (now - j.started_ms).max(0.0) / 1000.0
            );
        }
        state.suite.with(|s| match s.running {
            Some(i) => format!(
                "Testing case {} of {}…{} {:.1} s",
                (i + 1).min(s.results.len()),
                s.results.len(),
                events(),
                (now - s.started_ms).max(0.0) / 1000.0
            ),
            None => String::new(),
        })
    };
    view! {
        <Show when=move || state.busy()>
            <div class="run-progress" role="progressbar" aria-label="Run progress" aria-busy="true"
                aria-valuetext=text data-events=move || state.run_progress.with(|p| p.as_ref().map(|p| p.events.to_string()))>
                <span class="spinner" aria-hidden="true"></span>
                <span class="progress-text">{text}</span>
                <button class="btn danger" aria-label="Stop" on:click=move |_| state.stop()>"■ Stop"</button>
            </div>
        </Show>
    }
}
