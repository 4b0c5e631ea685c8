//! App state: one `Copy` struct of signals shared through context, and the thin glue that turns user
//! intents (type, undo, add a state, run) into calls on `studio` and `asl`.

use crate::jobs::{RunJob, SuiteState};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use studio::coverage::Coverage;
use studio::replay::{Replay, RunOptions, RunProgress, RunRequest};
use studio::testcase::{MockRef, TestCase};
use studio::{Document, Edit, FlowGraph, History, Layout, ScopePath, Viewport};

/// Everything the components share. Derived values are memos over the document.
#[derive(Clone, Copy)]
pub struct AppState {
    pub doc: RwSignal<Document>,
    pub history: RwSignal<History>,
    pub selected: RwSignal<Option<String>>,
    pub viewport: RwSignal<Viewport>,
    pub theme: RwSignal<&'static str>,
    pub input: RwSignal<String>,
    /// A Step Functions Local MockConfigFile (JSON text; empty for none).
    pub mocks: RwSignal<String>,
    /// The run being shown: computed by the simulation worker, revealed event by event here.
    pub execution: RwSignal<Option<Replay>>,
    /// A run of the run panel under way in the worker (what to reveal when it answers).
    pub run_job: RwSignal<Option<RunJob>>,
    /// The worker's last progress message for the run or test case under way.
    pub run_progress: RwSignal<Option<RunProgress>>,
    /// The run settings (payload and event limits) sent with every run and test case.
    pub run_options: RwSignal<RunOptions>,
    /// The workflow's test cases (saved with it and carried by share links).
    pub test_cases: RwSignal<Vec<TestCase>>,
    /// Results of the last "Run all tests" and the suite's progress.
    pub suite: RwSignal<SuiteState>,
    /// Show covered/uncovered marks on the canvas.
    pub coverage_on: RwSignal<bool>,
    /// Coverage of the current graph by the last suite's runs (while the coverage view is on).
    pub coverage: Memo<Option<Coverage>>,
    pub breakpoints: RwSignal<BTreeSet<String>>,
    pub notice: RwSignal<Option<String>>,
    pub share_link: RwSignal<String>,
    /// Bumped to ask the canvas to fit the drawing into view.
    pub fit_request: RwSignal<u32>,
    /// Asks the canvas to draw every state in full detail, not only what is in view (SVG/PNG export).
    pub draw_all: RwSignal<bool>,
    /// Multi-selection: states selected besides `selected`, valid while `selected` equals the anchor.
    pub multi: RwSignal<(Option<String>, BTreeSet<String>)>,
    /// Where a palette entry is being dragged (client coordinates), for the canvas's drop targets.
    pub palette_drag: RwSignal<Option<(f64, f64)>>,
    pub analysis: Memo<asl::Analysis>,
    /// The last well-formed definition (kept drawn while the text is broken).
    pub definition: Memo<Option<Value>>,
    pub graph: Memo<FlowGraph>,
    pub layout: Memo<Layout>,
    /// Worst diagnostic severity per state name ("error" or "warning").
    pub problems_by_state: Memo<BTreeMap<String, &'static str>>,
    /// `data-status` per state name from the revealed history.
    pub statuses: Memo<BTreeMap<String, &'static str>>,
    // Execution view (run_ctl.rs, run.rs): time travel, Map iteration drill-down, the graph at that point.
    /// Events shown by the time-travel slider; `None` shows every revealed event.
    pub position: RwSignal<Option<usize>>,
    /// Map state → the iteration whose nested states are shown.
    pub focus: RwSignal<studio::run_view::Focus>,
    pub run_graph: Memo<studio::run_view::GraphInfo>,
    /// Statuses, taken edges and Map/Parallel progress at `position`.
    pub snapshot: Memo<studio::run_view::Snapshot>,
    /// Asks the inspector to focus the control of this field path (`Retry/0/MaxAttempts`).
    pub focus_field: RwSignal<Option<String>>,
    /// Asks the code view to put the caret at this byte offset.
    pub caret_request: RwSignal<Option<usize>>,
}

impl AppState {
    pub fn new(text: &str) -> AppState {
        let doc = RwSignal::new(Document::new(text));
        // `Analysis` has no `PartialEq`: every new text yields a new analysis.
        let analysis =
            Memo::new_with_compare(move |_| doc.with(|d| asl::analyze(d.text())), |_, _| true);
        let definition = Memo::new(move |prev: Option<&Option<Value>>| {
            analysis
                .with(|a| a.definition.clone())
                .or_else(|| prev.cloned().flatten())
        });
        let graph = Memo::new(move |_| {
            definition.with(|d| {
                d.as_ref()
                    .map(FlowGraph::from_definition)
                    .unwrap_or_default()
            })
        });
        // After an edit the layout keeps what it can of the previous one (`studio::layout_after`).
        let layout = Memo::new(move |prev: Option<&studio::Layout>| {
            graph.with(|g| crate::canvas::timed_layout(g, prev))
        });
        let problems_by_state = Memo::new(move |_| {
            let mut out = BTreeMap::new();
            graph.with(|g| {
                analysis.with(|a| {
                    for d in &a.diagnostics {
                        let Some(i) = g.node_at_pointer(&d.location) else {
                            continue;
                        };
                        let sev = match d.severity {
                            asl::Severity::Error => "error",
                            asl::Severity::Warning => "warning",
                        };
                        let e = out.entry(g.nodes[i].name.clone()).or_insert(sev);
                        if sev == "error" {
                            *e = "error";
                        }
                    }
                })
            });
            out
        });
        let execution: RwSignal<Option<Replay>> = RwSignal::new(None);
        let suite = RwSignal::new(SuiteState::default());
        let coverage_on = RwSignal::new(false);
        let coverage = Memo::new(move |_| {
            if !coverage_on.get() {
                return None;
            }
            let c = suite.with(|s| {
                graph.with(|g| definition.with(|d| Coverage::of_runs(g, d.as_ref(), s.histories())))
            });
            Some(c)
        });
        let position: RwSignal<Option<usize>> = RwSignal::new(None);
        let focus = RwSignal::new(studio::run_view::Focus::new());
        let run_graph = Memo::new(move |_| graph.with(studio::run_view::GraphInfo::new));
        let snapshot = Memo::new(move |_| {
            execution.with(|e| {
                e.as_ref()
                    .map(|e| {
                        let events = e.history();
                        let at = position.get().unwrap_or(events.len());
                        run_graph
                            .with(|g| focus.with(|f| studio::run_view::snapshot(events, at, g, f)))
                    })
                    .unwrap_or_default()
            })
        });
        // The statuses at the time-travel position (with the iteration drill-down).
        let statuses = Memo::new(move |_| {
            snapshot.with(|s| {
                s.statuses
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str()))
                    .collect()
            })
        });
        let run_progress = RwSignal::new(None);
        crate::worker::on_progress(move |p| run_progress.set(Some(p)));
        AppState {
            doc,
            history: RwSignal::new(History::default()),
            selected: RwSignal::new(None),
            viewport: RwSignal::new(Viewport::default()),
            theme: RwSignal::new("light"),
            input: RwSignal::new("{\n  \"orderId\": \"A-1001\",\n  \"total\": 42\n}\n".into()),
            mocks: RwSignal::new(String::new()),
            execution,
            run_job: RwSignal::new(None),
            run_progress,
            run_options: RwSignal::new(RunOptions::default()),
            test_cases: RwSignal::new(Vec::new()),
            suite,
            coverage_on,
            coverage,
            breakpoints: RwSignal::new(BTreeSet::new()),
            notice: RwSignal::new(None),
            share_link: RwSignal::new(String::new()),
            fit_request: RwSignal::new(0),
            draw_all: RwSignal::new(false),
            multi: RwSignal::new((None, BTreeSet::new())),
            palette_drag: RwSignal::new(None),
            analysis,
            definition,
            graph,
            layout,
            problems_by_state,
            statuses,
            position,
            focus,
            run_graph,
            snapshot,
            focus_field: RwSignal::new(None),
            caret_request: RwSignal::new(None),
        }
    }

    /// Applies an edit as an undo step (edits with the same `key` coalesce); a refused edit becomes a notice.
    pub fn edit(&self, edit: Edit, key: Option<&str>) -> bool {
        let mut outcome = Ok(());
        self.doc.maybe_update(|d| {
            self.history
                .update(|h| outcome = h.apply_keyed(d, edit, key));
            outcome.is_ok()
        });
        match outcome {
            Ok(()) => true,
            Err(e) => {
                self.notice.set(Some(format!("Cannot do that: {e}.")));
                false
            }
        }
    }

    /// The code view's typing: one undo step per burst.
    pub fn type_text(&self, text: String) {
        if self.doc.with_untracked(|d| d.text() == text) {
            return;
        }
        self.edit(Edit::ReplaceText { text }, Some("code"));
    }

    /// Ends the current typing burst.
    pub fn seal(&self) {
        self.history.update(History::seal);
    }

    pub fn undo(&self) {
        self.undo_redo(true);
    }

    pub fn redo(&self) {
        self.undo_redo(false);
    }

    fn undo_redo(&self, undo: bool) {
        let mut outcome = Ok(false);
        self.doc.maybe_update(|d| {
            self.history.update(|h| {
                outcome = if undo { h.undo(d) } else { h.redo(d) };
            });
            matches!(outcome, Ok(true))
        });
        if let Err(e) = outcome {
            self.notice.set(Some(format!("Cannot undo that: {e}.")));
        }
        // A selection whose state disappeared is dropped.
        let gone = self.selected.with_untracked(|s| {
            s.as_ref()
                .is_some_and(|s| self.doc.with_untracked(|d| !d.state_names().contains(s)))
        });
        if gone {
            self.selected.set(None);
        }
    }

    /// The scope path of a state (by name) in the drawn graph.
    pub fn scope_of(&self, name: &str) -> Option<ScopePath> {
        self.graph.with_untracked(|g| {
            g.nodes
                .iter()
                .position(|n| n.name == name)
                .map(|i| g.scope_of(i))
        })
    }

    /// Adds a palette entry after `after` (or after the selected state), then selects the new state.
    pub fn add_from_catalog(&self, entry: &studio::CatalogEntry, after: Option<String>) {
        if self.doc.with_untracked(|d| d.value().is_none()) {
            self.notice.set(Some(
                "Cannot add a state: the definition is not valid JSON; fix the text first.".into(),
            ));
            return;
        }
        let after = after.or_else(|| self.selected.get_untracked());
        let scope = after
            .as_deref()
            .and_then(|a| self.scope_of(a))
            .unwrap_or_default();
        let (taken, next) = self.doc.with_untracked(|d| {
            let next = after.as_deref().and_then(|a| {
                d.state(&scope, a)
                    .and_then(|s| s.get("Next"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            (d.state_names(), next)
        });
        let options = studio::NewStateOptions {
            next,
            ..Default::default()
        };
        match studio::new_state(entry, &options, &taken) {
            Ok(new) => {
                self.seal();
                let name = new.name.clone();
                if self.edit(
                    Edit::AddState {
                        scope,
                        name: new.name,
                        state: new.state,
                        after,
                    },
                    None,
                ) {
                    self.selected.set(Some(name));
                }
            }
            Err(e) => self.notice.set(Some(format!("Cannot add that: {e}."))),
        }
    }

    /// Removes the selected state (the flow is reconnected by the edit).
    pub fn remove_selected(&self) {
        let Some(name) = self.selected.get_untracked() else {
            return;
        };
        let scope = self.scope_of(&name).unwrap_or_default();
        self.seal();
        if self.edit(Edit::RemoveState { scope, name }, None) {
            self.selected.set(None);
        }
    }

    /// Renames a state and every reference to it.
    pub fn rename(&self, from: &str, to: &str) {
        let to = to.trim();
        if to == from {
            return;
        }
        let scope = self.scope_of(from).unwrap_or_default();
        self.seal();
        if self.edit(
            Edit::RenameState {
                scope,
                from: from.to_string(),
                to: to.to_string(),
            },
            None,
        ) {
            self.selected.set(Some(to.to_string()));
        }
    }

    /// A run request for the current definition on the execution input, or a notice saying why not.
    fn start_execution(&self) -> Option<RunRequest> {
        let Some(def) = self.analysis.with_untracked(|a| a.definition.clone()) else {
            self.notice.set(Some(
                "Cannot run: the definition does not parse; fix the text first.".into(),
            ));
            return None;
        };
        let input = match self
            .input
            .with_untracked(|t| serde_json::from_str::<Value>(t))
        {
            Ok(v) => v,
            Err(e) => {
                self.notice
                    .set(Some(format!("The execution input is not JSON: {e}.")));
                return None;
            }
        };
        let mocks = match self.parsed_mocks() {
            Ok(m) => m,
            Err(e) => {
                self.notice
                    .set(Some(format!("The mocks cannot be used: {e}.")));
                return None;
            }
        };
        Some(RunRequest {
            id: 0,
            definition: def,
            input,
            mocks,
            options: self.run_options.get_untracked(),
        })
    }

    /// The first state machine and test case of the MockConfigFile (none when empty).
    pub(crate) fn parsed_mocks(&self) -> Result<Option<MockRef>, String> {
        let text = self.mocks.get_untracked();
        if text.trim().is_empty() {
            return Ok(None);
        }
        let config: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
        let r = studio::testcase::pick(&config, None)?;
        r.load()?;
        Ok(Some(r))
    }

    /// Runs to the end (in the simulation worker).
    pub fn run(&self) {
        if let Some(req) = self.start_execution() {
            self.position.set(None);
            self.start_run(req, crate::jobs::After::End);
        }
    }

    /// Reveals one more history event (starting a run when none is under way).
    pub fn step(&self) {
        if self.extend_pending(crate::jobs::After::Steps(1)) {
            return;
        }
        let fresh = self
            .execution
            .with_untracked(|e| e.as_ref().is_none_or(Replay::is_finished));
        if fresh {
            if let Some(req) = self.start_execution() {
                self.position.set(None);
                self.start_run(req, crate::jobs::After::Steps(1));
            }
            return;
        }
        self.execution.update(|e| {
            if let Some(e) = e {
                e.step();
            }
        });
    }

    /// Runs to the next breakpoint or the end.
    pub fn continue_run(&self) {
        if self.extend_pending(crate::jobs::After::Breakpoint) {
            return;
        }
        let fresh = self
            .execution
            .with_untracked(|e| e.as_ref().is_none_or(Replay::is_finished));
        if fresh {
            if let Some(req) = self.start_execution() {
                self.position.set(None);
                self.start_run(req, crate::jobs::After::Breakpoint);
            }
            return;
        }
        self.execution.update(|e| {
            if let Some(e) = e {
                e.continue_to_breakpoint();
            }
        });
    }

    pub fn reset_run(&self) {
        self.position.set(None);
        self.execution.set(None);
        self.run_job.set(None);
    }

    pub fn toggle_breakpoint(&self, name: &str) {
        self.breakpoints.update(|b| {
            if !b.remove(name) {
                b.insert(name.to_string());
            }
        });
        self.execution.update(|e| {
            if let Some(e) = e {
                e.remove_breakpoint(name);
                if self.breakpoints.with_untracked(|b| b.contains(name)) {
                    e.add_breakpoint(name);
                }
            }
        });
    }

    /// Opens a shared workflow; a bad link is a notice and the current work stays.
    pub fn open_link(&self, link: &str) {
        match studio::share::decode(link) {
            Ok(env) => {
                self.doc.set(Document::new(env.definition));
                self.history.set(History::default());
                if let Some(input) = env.input {
                    self.input.set(input);
                }
                self.mocks.set(
                    env.mocks
                        .map(|m| serde_json::to_string_pretty(&m).unwrap_or_default())
                        .unwrap_or_default(),
                );
                self.execution.set(None);
                self.open_test_cases(env.test_cases.as_ref());
                self.selected
                    .set(env.view.as_ref().and_then(|v| v.selected.clone()));
                match env.view.and_then(|v| v.viewport) {
                    Some(v) => self.viewport.set(v),
                    None => self.fit_request.update(|n| *n += 1),
                }
                self.notice.set(None);
            }
            Err(e) => self.notice.set(Some(format!(
                "This link could not be opened: {e}. Your current workflow is unchanged."
            ))),
        }
    }

    /// The share link for the current workflow and execution input.
    pub fn share(&self, base: &str) {
        let env = studio::ShareEnvelope {
            definition: self.doc.with_untracked(|d| d.text().to_string()),
            input: Some(self.input.get_untracked()),
            mocks: self
                .mocks
                .with_untracked(|m| serde_json::from_str::<Value>(m).ok()),
            test_cases: self
                .test_cases
                .with_untracked(|c| studio::testcase::to_share(c)),
            ..Default::default()
        };
        self.share_link.set(studio::share::link(base, &env));
    }
}
