//! The simulator: runs a definition against mocks on a virtual clock, deterministically (sans-IO), producing
//! AWS's execution history, the result and its cost. [`Execution`] can be stepped one history event at a time,
//! run to a breakpoint (a state name) or to the end.

mod choice;
pub mod cost;
mod engine;
pub mod history;
mod jsonata_state;
pub mod mocks;
mod parsed;
mod payload;
pub mod schema;
pub mod test_state;
mod text;
pub mod time;

pub use choice::string_matches;
pub use cost::Cost;
pub use engine::{Failure, FailureKind, error_matches};
pub use history::{Event, Kind};
pub use mocks::{MockResponse, MockResult, Mocks};

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Limits AWS enforces, configurable.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest input/output/result in bytes (AWS: 256 KiB).
    pub max_payload_bytes: usize,
    /// Largest history (AWS: 25,000 events).
    pub max_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_payload_bytes: 256 * 1024,
            max_events: 25_000,
        }
    }
}

/// Standard or Express.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// Everything injected into a run: clock, seed, names and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Start of the execution on the virtual clock, epoch milliseconds.
    pub start_time_ms: i64,
    /// Seed of the random generator (UUIDs, MathRandom, jitter, task tokens).
    pub seed: u64,
    pub limits: Limits,
    pub region: String,
    pub account: String,
    pub state_machine_name: String,
    pub execution_name: String,
    pub machine_type: MachineType,
    /// A fixed context object (TestState's `context`), replacing the generated one.
    pub context: Option<Value>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            start_time_ms: 1_735_689_600_000, // 2025-01-01T00:00:00Z
            seed: 0,
            limits: Limits::default(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            machine_type: MachineType::Standard,
            context: None,
        }
    }
}

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// The result of a whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub cost: Cost,
    /// Things the user should know (unmocked tasks, ...).
    pub warnings: Vec<String>,
    pub duration_ms: u64,
}

impl Outcome {
    /// The CLI's JSON: `{"status", "output"}` or `{"status", "error", "cause"}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("status".into(), json!(self.status.as_str()));
        if let Some(o) = &self.output {
            m.insert("output".into(), o.clone());
        }
        if self.status != Status::Succeeded {
            if let Some(e) = &self.error {
                m.insert("error".into(), json!(e));
            }
            if let Some(c) = &self.cause {
                m.insert("cause".into(), json!(c));
            }
        }
        m.insert(
            "cost".into(),
            serde_json::to_value(&self.cost).unwrap_or(Value::Null),
        );
        if !self.warnings.is_empty() {
            m.insert("warnings".into(), json!(self.warnings));
        }
        Value::Object(m)
    }
}

/// Run a definition to the end: the outcome and the full history. (To run one definition many times,
/// compile it into a [`Plan`] once.)
pub fn run(
    definition: &Value,
    input: Value,
    mocks: &Mocks,
    options: &Options,
) -> (Outcome, Vec<Event>) {
    run_with(definition, None, input, mocks, options, None, 0, true)
}

/// [`run`] without the history: the same outcome (the same events are counted, so the event limit, the
/// payload limit and the cost come out the same), for when only the result is wanted, as `statewright run`
/// without `--history` prints it. Payload texts are measured, not written.
pub fn run_outcome(definition: &Value, input: Value, mocks: &Mocks, options: &Options) -> Outcome {
    run_with(definition, None, input, mocks, options, None, 0, false).0
}

/// [`run`], telling `observe` the number of events so far and the state last entered before every
/// `every`-th event (0: never), e.g. to post progress from a worker. The run itself is unchanged.
pub fn run_observed(
    definition: &Value,
    input: Value,
    mocks: &Mocks,
    options: &Options,
    every: usize,
    observe: &mut dyn FnMut(usize, &str),
) -> (Outcome, Vec<Event>) {
    run_with(
        definition,
        None,
        input,
        mocks,
        options,
        Some(observe),
        every,
        true,
    )
}

/// A definition prepared for many runs: every JSONPath and intrinsic call text in it is parsed once, here,
/// instead of in each run. [`Plan::run`] gives exactly what [`run`] gives for the same definition.
pub struct Plan {
    definition: Value,
    parsed: std::sync::Arc<parsed::Table>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("definition", &self.definition)
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// Prepare a definition (it is copied). Never fails: a text that does not parse is reported by the run
    /// that evaluates it, as [`run`] does.
    pub fn compile(definition: &Value) -> Plan {
        // The table is built from the plan's own copy: its compiled templates are found by address.
        let definition = definition.clone();
        Plan {
            parsed: std::sync::Arc::new(parsed::Table::of_definition(&definition)),
            definition,
        }
    }

    /// The definition this plan runs.
    pub fn definition(&self) -> &Value {
        &self.definition
    }

    /// Run the definition to the end: the outcome and the full history.
    pub fn run(&self, input: Value, mocks: &Mocks, options: &Options) -> (Outcome, Vec<Event>) {
        self.run_keeping(input, mocks, options, true)
    }

    /// [`run_outcome`]: the outcome alone, no history kept.
    pub fn outcome(&self, input: Value, mocks: &Mocks, options: &Options) -> Outcome {
        self.run_keeping(input, mocks, options, false).0
    }

    /// A run with the plan's table, keeping its history (`record`) or not.
    fn run_keeping(
        &self,
        input: Value,
        mocks: &Mocks,
        options: &Options,
        record: bool,
    ) -> (Outcome, Vec<Event>) {
        let table = Some(self.parsed.clone());
        run_with(
            &self.definition,
            table,
            input,
            mocks,
            options,
            None,
            0,
            record,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn run_with<'a>(
    definition: &Value,
    table: Option<std::sync::Arc<parsed::Table>>,
    input: Value,
    mocks: &'a Mocks,
    options: &'a Options,
    observer: Option<engine::Observer<'a>>,
    every: usize,
    record: bool,
) -> (Outcome, Vec<Event>) {
    // The input's text (or, without history, only its length), in the same pass as its nesting check.
    let measured = if record {
        payload::text_within(&input, payload::MAX_DEPTH).map(|t| {
            let n = t.len();
            (std::sync::Arc::<str>::from(t), n)
        })
    } else {
        payload::size_within(&input, payload::MAX_DEPTH).map(|n| (std::sync::Arc::from(""), n))
    };
    let Some((input_text, input_len)) = measured else {
        // Refuse before copying: cloning, printing or dropping such a value recursively needs a deep stack.
        payload::dismantle(input);
        let refuse = json!({"StartAt": "Input", "States": {"Input": {"Type": "Fail",
            "Error": "States.DataLimitExceeded",
            "Cause": format!("The execution input is nested deeper than {} levels.", payload::MAX_DEPTH)}}});
        return run_with(&refuse, None, Value::Null, mocks, options, None, 0, record);
    };
    // Without history the input's text is only measured: `$$.Execution.Input` reads the input itself, which
    // the first state borrows.
    let (input, held) = if record {
        (Some(input), None)
    } else {
        (None, Some(std::rc::Rc::new(input)))
    };
    let mut e = engine::Engine::new(options, mocks, input_text.clone());
    e.record = record;
    if let Some(v) = &held {
        e.set_input_value(v.clone());
    }
    e.observer = observer;
    e.observe_every = every;
    // Without a plan, the definition's texts are parsed and its templates compiled for this run.
    let table =
        table.unwrap_or_else(|| std::sync::Arc::new(parsed::Table::of_definition(definition)));
    e.parsed = parsed::Parsed::with_table(Some(table));
    e.jsonata_default = definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    e.deadline = definition
        .get("TimeoutSeconds")
        .and_then(Value::as_u64)
        .map(|s| {
            options
                .start_time_ms
                .saturating_add((s as i64).saturating_mul(1000))
        });
    let started = e.emit(
        "ExecutionStarted",
        json!({
            "input": &*input_text,
            "inputDetails": {"truncated": false},
            "roleArn": format!("arn:aws:iam::{}:role/StatewrightSimulator", options.account),
            "stateMachineArn": e.state_machine_arn(),
        }),
    );
    let result = match started {
        Err(f) => Err(f),
        Ok(_) if input_len > options.limits.max_payload_bytes => Err(Failure {
            error: Some("States.DataLimitExceeded".into()),
            cause: Some(
                "The execution input exceeds the maximum number of bytes service limit.".into(),
            ),
            kind: FailureKind::Fatal,
        }),
        Ok(_) => {
            let mut vars = engine::Vars::root(Map::new());
            // Within payload::MAX_DEPTH: deeper inputs were refused above.
            let (input, text) = match (input, &held) {
                (Some(v), _) => (std::borrow::Cow::Owned(v), text::Text::checked(input_text)),
                (None, Some(v)) => (
                    std::borrow::Cow::Borrowed(&**v),
                    text::Text::sized(input_len),
                ),
                (None, None) => (std::borrow::Cow::Owned(Value::Null), text::Text::UNKNOWN),
            };
            e.run_machine(definition, input, Some(text), &mut vars, 0)
        }
    };
    let (status, output, error, cause) = match result {
        Ok(out) => {
            let text = match e.take_out_text() {
                Some(t) => t,
                None => e.unchecked_text(&out),
            };
            let _ = e.push_event(
                "ExecutionSucceeded".into(),
                history::Details::Output(text),
                None,
            );
            (Status::Succeeded, Some(out), None, None)
        }
        Err(f) => {
            let mut d = Map::new();
            if let Some(x) = &f.error {
                d.insert("error".into(), json!(x));
            }
            if let Some(x) = &f.cause {
                d.insert("cause".into(), json!(x));
            }
            let (status, kind) = if f.kind == FailureKind::ExecutionTimedOut {
                (Status::TimedOut, "ExecutionTimedOut")
            } else {
                (Status::Failed, "ExecutionFailed")
            };
            // The last event is written even past the event limit so the history always ends.
            let id = e.count as u64 + 1;
            e.count += 1;
            e.events.push(Event {
                id,
                previous_event_id: id - 1,
                timestamp_ms: e.now,
                kind: kind.into(),
                details: history::Details::Json(Box::new(Value::Object(d))),
                note: None,
            });
            (status, None, f.error, f.cause)
        }
    };
    let duration_ms = u64::try_from(e.now.saturating_sub(options.start_time_ms)).unwrap_or(0);
    let outcome = Outcome {
        status,
        output,
        error,
        cause,
        cost: cost::estimate(e.transitions, duration_ms, e.peak_payload),
        warnings: e.warnings,
        duration_ms,
    };
    (outcome, e.events)
}

/// A run that can be stepped: the debugger's view. The run is computed up front (it is deterministic and has no
/// outside inputs), then revealed one history event at a time.
#[derive(Debug, Clone)]
pub struct Execution {
    events: Vec<Event>,
    outcome: Outcome,
    cursor: usize,
    breakpoints: BTreeSet<String>,
}

impl Execution {
    pub fn new(definition: &Value, input: Value, mocks: &Mocks, options: &Options) -> Execution {
        let (outcome, events) = run(definition, input, mocks, options);
        Execution::from_parts(outcome, events)
    }

    /// A run computed elsewhere (e.g. in the studio's Web Worker), nothing revealed yet.
    pub fn from_parts(outcome: Outcome, events: Vec<Event>) -> Execution {
        Execution {
            events,
            outcome,
            cursor: 0,
            breakpoints: BTreeSet::new(),
        }
    }

    /// Every event of the run, revealed or not.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// How many events are revealed.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Reveal exactly the first `n` events (clamped), e.g. for a time slider.
    pub fn seek(&mut self, n: usize) {
        self.cursor = n.min(self.events.len());
    }

    /// The outcome whether or not every event is revealed yet.
    pub fn final_outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Pause whenever the named state is entered.
    pub fn add_breakpoint(&mut self, state: &str) {
        self.breakpoints.insert(state.to_string());
    }

    pub fn remove_breakpoint(&mut self, state: &str) {
        self.breakpoints.remove(state);
    }

    /// Reveal the next history event; `None` at the end.
    pub fn step(&mut self) -> Option<&Event> {
        let e = self.events.get(self.cursor)?;
        self.cursor += 1;
        Some(e)
    }

    /// Step until a breakpoint state is entered (that event is revealed) or the run ends.
    pub fn continue_to_breakpoint(&mut self) -> Option<&Event> {
        while let Some(e) = self.events.get(self.cursor) {
            self.cursor += 1;
            if e.kind.ends_with("StateEntered")
                && e.state_name().is_some_and(|n| self.breakpoints.contains(n))
            {
                return self.events.get(self.cursor - 1);
            }
        }
        None
    }

    /// Reveal everything and return the outcome.
    pub fn run_to_end(&mut self) -> &Outcome {
        self.cursor = self.events.len();
        &self.outcome
    }

    /// The events revealed so far.
    pub fn history(&self) -> &[Event] {
        self.events.get(..self.cursor).unwrap_or(&[])
    }

    pub fn is_finished(&self) -> bool {
        self.cursor >= self.events.len()
    }

    /// The outcome, once every event has been revealed.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.is_finished().then_some(&self.outcome)
    }
}
