//! Runs computed elsewhere (in the studio's Web Worker) and stepped here: the JSON messages
//! ([`RunRequest`] → [`RunResponse`]), [`execute`] (what the worker does with a request) and [`from_response`],
//! which rebuilds the answer as an `asl::simulate::Execution` ([`Replay`]) to step through.
//!
//! The simulator is deterministic, so the worker's history is the history the page would have
//! computed; the page only re-creates it from the message and steps through it.

use crate::testcase::MockRef;
use asl::simulate::{Cost, Event, Execution, Options, Outcome, Status};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Limits and seed a request may override (the rest of [`Options`] keeps its defaults).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_events: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_payload_bytes: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// AWS's payload limit (256 KiB), the default of the "Payload limit" setting.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 256 * 1024;
/// AWS's history limit (25,000 events), the default of the "Event limit" setting.
pub const DEFAULT_MAX_EVENTS: usize = 25_000;
/// Largest payload limit the page accepts (64 MiB: a payload is copied into several events).
pub const MAX_PAYLOAD_SETTING: usize = 64 * 1024 * 1024;
/// Largest event limit the page accepts (a history is held, sent and drawn by the page).
pub const MAX_EVENTS_SETTING: usize = 1_000_000;

/// A run-settings field: empty means AWS's default (`None`); else a whole number from 1 to `max`.
pub fn parse_limit(text: &str, max: usize) -> Result<Option<usize>, String> {
    let t = text.trim().replace(['_', ','], "");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
        _ => Err(format!("a whole number from 1 to {max}")),
    }
}

impl RunOptions {
    /// True when every limit is AWS's default.
    pub fn is_default(&self) -> bool {
        self.max_events.is_none_or(|n| n == DEFAULT_MAX_EVENTS)
            && self
                .max_payload_bytes
                .is_none_or(|n| n == DEFAULT_MAX_PAYLOAD_BYTES)
    }

    /// The limits in effect: `(payload bytes, events)`.
    pub fn effective(&self) -> (usize, usize) {
        (
            self.max_payload_bytes.unwrap_or(DEFAULT_MAX_PAYLOAD_BYTES),
            self.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
        )
    }

    pub fn to_options(&self) -> Options {
        let mut o = Options::default();
        if let Some(n) = self.max_events {
            o.limits.max_events = n;
        }
        if let Some(n) = self.max_payload_bytes {
            o.limits.max_payload_bytes = n;
        }
        if let Some(s) = self.seed {
            o.seed = s;
        }
        o
    }
}

/// Page → worker: run this definition on this input with these mocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    /// Echoed in the response, so a stale answer can be told apart.
    pub id: u64,
    pub definition: Value,
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mocks: Option<MockRef>,
    #[serde(default)]
    pub options: RunOptions,
}

/// Worker → page: the outcome and the whole history, or why the run could not start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResponse {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<WireOutcome>,
    #[serde(default)]
    pub history: Vec<WireEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// [`Outcome`] on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireOutcome {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub state_transitions: u64,
    pub standard_usd: f64,
    pub express_billed_ms: u64,
    pub express_billed_mb: u64,
    pub express_usd: f64,
    #[serde(default)]
    pub warnings: Vec<String>,
    pub duration_ms: u64,
}

/// [`Event`] on the wire (short keys: histories can hold 25,000 events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEvent {
    pub id: u64,
    pub p: u64,
    pub t: i64,
    pub k: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dk: String,
    #[serde(default)]
    pub d: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
}

impl From<&Event> for WireEvent {
    fn from(e: &Event) -> WireEvent {
        WireEvent {
            id: e.id,
            p: e.previous_event_id,
            t: e.timestamp_ms,
            k: e.kind.to_string(),
            dk: e.details_key(),
            d: e.details(),
            n: e.note.clone(),
        }
    }
}

impl From<WireEvent> for Event {
    fn from(w: WireEvent) -> Event {
        Event::from_parts(w.id, w.p, w.t, w.k, w.d, w.n)
    }
}

impl From<&Outcome> for WireOutcome {
    fn from(o: &Outcome) -> WireOutcome {
        WireOutcome {
            status: o.status.as_str().to_string(),
            output: o.output.clone(),
            error: o.error.clone(),
            cause: o.cause.clone(),
            state_transitions: o.cost.state_transitions,
            standard_usd: o.cost.standard_usd,
            express_billed_ms: o.cost.express_billed_ms,
            express_billed_mb: o.cost.express_billed_mb,
            express_usd: o.cost.express_usd,
            warnings: o.warnings.clone(),
            duration_ms: o.duration_ms,
        }
    }
}

impl WireOutcome {
    pub fn to_outcome(&self) -> Result<Outcome, String> {
        let status = match self.status.as_str() {
            "SUCCEEDED" => Status::Succeeded,
            "FAILED" => Status::Failed,
            "TIMED_OUT" => Status::TimedOut,
            other => return Err(format!("unknown run status '{other}'")),
        };
        Ok(Outcome {
            status,
            output: self.output.clone(),
            error: self.error.clone(),
            cause: self.cause.clone(),
            cost: Cost {
                state_transitions: self.state_transitions,
                standard_usd: self.standard_usd,
                express_billed_ms: self.express_billed_ms,
                express_billed_mb: self.express_billed_mb,
                express_usd: self.express_usd,
            },
            warnings: self.warnings.clone(),
            duration_ms: self.duration_ms,
        })
    }
}

/// Worker → page while a run is under way: how many events so far and the state last entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunProgress {
    pub id: u64,
    pub events: usize,
    #[serde(default)]
    pub state: String,
}

impl RunProgress {
    /// The progress line's text: `12,000 events · in Shape`.
    pub fn label(&self) -> String {
        let n = group_digits(self.events);
        if self.state.is_empty() {
            format!("{n} events")
        } else {
            format!("{n} events · in {}", self.state)
        }
    }
}

/// `12345` as `12,345`.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Progress is posted before every this many events.
pub const PROGRESS_EVERY: usize = 1000;

/// A message from the worker, as the page reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerMessage {
    /// The worker's wasm module is loaded (requests sent before were dropped).
    Ready,
    Progress(RunProgress),
    /// The answer to a request, or why it could not be read.
    Response(Box<Result<RunResponse, String>>),
}

/// The progress message's JSON: `{"progress": {...}}`.
pub fn progress_json(p: &RunProgress) -> String {
    serde_json::to_string(&serde_json::json!({ "progress": p })).unwrap_or_default()
}

/// Reads a message the worker posted.
pub fn parse_message(text: &str) -> WorkerMessage {
    if text == "ready" {
        return WorkerMessage::Ready;
    }
    if text.starts_with("{\"progress\"")
        && let Ok(v) = serde_json::from_str::<Value>(text)
        && let Some(p) = v
            .get("progress")
            .and_then(|p| serde_json::from_value::<RunProgress>(p.clone()).ok())
    {
        return WorkerMessage::Progress(p);
    }
    WorkerMessage::Response(Box::new(
        serde_json::from_str::<RunResponse>(text)
            .map_err(|e| format!("the worker's answer is malformed: {e}")),
    ))
}

/// What the worker does with one request (pure; also usable on the page for tiny runs).
pub fn execute(req: &RunRequest) -> RunResponse {
    execute_observed(req, &mut |_| {})
}

/// [`execute`], handing `progress` a [`RunProgress`] before every [`PROGRESS_EVERY`] events.
pub fn execute_observed(req: &RunRequest, progress: &mut dyn FnMut(RunProgress)) -> RunResponse {
    let mocks = match req.mocks.as_ref().map(MockRef::load).transpose() {
        Ok(m) => m.unwrap_or_default(),
        Err(e) => {
            return RunResponse {
                id: req.id,
                outcome: None,
                history: Vec::new(),
                error: Some(format!("The mocks cannot be used: {e}.")),
            };
        }
    };
    let id = req.id;
    let (outcome, events) = asl::simulate::run_observed(
        &req.definition,
        req.input.clone(),
        &mocks,
        &req.options.to_options(),
        PROGRESS_EVERY,
        &mut |events, state| {
            if events > 0 {
                progress(RunProgress {
                    id,
                    events,
                    state: state.to_string(),
                });
            }
        },
    );
    RunResponse {
        id: req.id,
        outcome: Some(WireOutcome::from(&outcome)),
        history: events.iter().map(WireEvent::from).collect(),
        error: None,
    }
}

/// Answer a request given as JSON text with the response as JSON text.
pub fn execute_json(request: &str) -> String {
    execute_json_observed(request, &mut |_| {})
}

/// The worker's whole job: answer a request given as JSON text with the response as JSON text, handing
/// `post` each progress message's JSON text on the way.
pub fn execute_json_observed(request: &str, post: &mut dyn FnMut(String)) -> String {
    let resp = match serde_json::from_str::<RunRequest>(request) {
        Ok(req) => execute_observed(&req, &mut |p| post(progress_json(&p))),
        Err(e) => RunResponse {
            id: serde_json::from_str::<Value>(request)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_u64))
                .unwrap_or(0),
            outcome: None,
            history: Vec::new(),
            error: Some(format!("The run request is malformed: {e}.")),
        },
    };
    serde_json::to_string(&resp).unwrap_or_default()
}

/// A finished run revealed one event at a time: the simulator's own stepping type, here over a
/// history computed in the worker.
pub type Replay = Execution;

/// The run a worker answered with (nothing revealed yet), or the worker's error message.
pub fn from_response(resp: RunResponse) -> Result<Replay, String> {
    if let Some(e) = resp.error {
        return Err(e);
    }
    let outcome = resp
        .outcome
        .ok_or("the run answer has no outcome")?
        .to_outcome()?;
    Ok(Execution::from_parts(
        outcome,
        resp.history.into_iter().map(Event::from).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn loop_def() -> Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"}}})
    }

    fn request(def: Value, options: RunOptions) -> RunRequest {
        RunRequest {
            id: 7,
            definition: def,
            input: json!({"x": 1}),
            mocks: None,
            options,
        }
    }

    #[test]
    fn worker_answers_replay_exactly_like_a_local_execution() {
        for t in crate::templates::templates() {
            let def: Value = serde_json::from_str(t.definition).unwrap();
            for c in crate::testcase::from_template(&t) {
                let mocks = c.mock_ref(None).unwrap();
                let req = RunRequest {
                    id: 1,
                    definition: def.clone(),
                    input: c.input.clone(),
                    mocks: mocks.clone(),
                    options: RunOptions::default(),
                };
                let text = serde_json::to_string(&req).unwrap();
                let resp: RunResponse = serde_json::from_str(&execute_json(&text)).unwrap();
                assert_eq!(resp.id, 1);
                let mut remote = from_response(resp).unwrap();
                let local = Execution::new(
                    &def,
                    c.input.clone(),
                    &mocks.unwrap().load().unwrap(),
                    &Options::default(),
                );
                let mut local = local;
                assert_eq!(remote.run_to_end(), local.run_to_end(), "{}", c.name);
                assert_eq!(remote.history(), local.history(), "{}", c.name);
            }
        }
    }

    #[test]
    fn stepping_breakpoints_and_seek() {
        let resp = execute(&request(
            loop_def(),
            RunOptions {
                max_events: Some(20),
                ..Default::default()
            },
        ));
        let mut r = from_response(resp).unwrap();
        assert_eq!(r.final_outcome().error.as_deref(), Some("States.Runtime"));
        assert!(r.outcome().is_none());
        assert_eq!(r.step().map(|e| e.kind.as_str()), Some("ExecutionStarted"));
        r.add_breakpoint("B");
        let hit = r.continue_to_breakpoint().map(|e| (e.kind.clone(), e.id));
        assert_eq!(hit, Some(("PassStateEntered".into(), 4)));
        r.remove_breakpoint("B");
        assert_eq!(r.continue_to_breakpoint(), None);
        assert!(r.is_finished());
        assert_eq!(r.outcome().map(|o| o.status), Some(Status::Failed));
        r.seek(3);
        assert_eq!(r.history().len(), 3);
        r.seek(10_000);
        assert_eq!(r.cursor(), r.events().len());
    }

    #[test]
    fn options_and_errors_travel() {
        let o = RunOptions {
            max_events: Some(5),
            max_payload_bytes: Some(10),
            seed: Some(3),
        };
        let opts = o.to_options();
        assert_eq!(
            (
                opts.limits.max_events,
                opts.limits.max_payload_bytes,
                opts.seed
            ),
            (5, 10, 3)
        );
        // Bad mocks and bad requests are answers, not panics.
        let mut req = request(loop_def(), RunOptions::default());
        req.mocks = Some(MockRef {
            config: json!({}),
            machine: "M".into(),
            test_case: "C".into(),
        });
        let resp = execute(&req);
        assert!(from_response(resp).unwrap_err().contains("mocks"));
        let bad: RunResponse = serde_json::from_str(&execute_json("{\"id\": 9}")).unwrap();
        assert_eq!(bad.id, 9);
        assert!(bad.error.unwrap().contains("malformed"));
        let bad: RunResponse = serde_json::from_str(&execute_json("nonsense")).unwrap();
        assert_eq!(bad.id, 0);
        let unknown = RunResponse {
            id: 1,
            outcome: Some(WireOutcome {
                status: "MAYBE".into(),
                ..WireOutcome::from(
                    &asl::simulate::run(
                        &loop_def(),
                        json!({}),
                        &Default::default(),
                        &Options::default(),
                    )
                    .0,
                )
            }),
            history: vec![],
            error: None,
        };
        assert!(from_response(unknown).is_err());
    }

    #[test]
    fn progress_is_posted_by_event_count_and_read_back() {
        let req = request(
            loop_def(),
            RunOptions {
                max_events: Some(3500),
                ..Default::default()
            },
        );
        let text = serde_json::to_string(&req).unwrap();
        let mut posted = Vec::new();
        let answer = execute_json_observed(&text, &mut |m| posted.push(m));
        let progress: Vec<RunProgress> = posted
            .iter()
            .map(|m| match parse_message(m) {
                WorkerMessage::Progress(p) => p,
                other => panic!("not progress: {other:?}"),
            })
            .collect();
        assert_eq!(
            progress.iter().map(|p| p.events).collect::<Vec<_>>(),
            [1000, 2000, 3000]
        );
        assert!(
            progress
                .iter()
                .all(|p| p.id == 7 && (p.state == "A" || p.state == "B"))
        );
        // The answer is the same as without progress.
        assert_eq!(answer, execute_json(&text));
        match parse_message(&answer) {
            WorkerMessage::Response(r) => assert_eq!(r.unwrap().history.len(), 3501),
            other => panic!("not a response: {other:?}"),
        }
        assert_eq!(parse_message("ready"), WorkerMessage::Ready);
        for bad in ["{\"progress\": 3}", "garbage"] {
            match parse_message(bad) {
                WorkerMessage::Response(r) => assert!(r.is_err(), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn progress_labels() {
        let p = |events, state: &str| RunProgress {
            id: 1,
            events,
            state: state.into(),
        };
        assert_eq!(p(12_000, "Shape").label(), "12,000 events · in Shape");
        assert_eq!(p(1000, "").label(), "1,000 events");
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }

    #[test]
    fn run_settings_fields() {
        assert_eq!(parse_limit("", 10), Ok(None));
        assert_eq!(
            parse_limit(" 1,048,576 ", MAX_PAYLOAD_SETTING),
            Ok(Some(1_048_576))
        );
        assert!(parse_limit("0", 10).is_err());
        assert!(parse_limit("11", 10).is_err());
        assert!(parse_limit("-1", 10).is_err());
        assert!(parse_limit("1e6", 10).is_err());
        let o = RunOptions::default();
        assert!(o.is_default());
        assert_eq!(o.effective(), (262_144, 25_000));
        let big = RunOptions {
            max_payload_bytes: Some(1 << 20),
            max_events: Some(50_000),
            seed: None,
        };
        assert!(!big.is_default());
        assert_eq!(big.effective(), (1 << 20, 50_000));
    }

    /// The 10,000-item Map (572 KB of input, about 40,000 events) fails on AWS's defaults and
    /// completes with the limits raised, as the page's Run settings send them.
    #[test]
    fn the_big_map_needs_raised_limits() {
        let def = json!({"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Shape", "States": {
                "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id", "name.$": "$.name",
                    "tags.$": "$.tags", "kind": "item"}, "End": true}}}, "End": true}}});
        let items: Vec<Value> = (0..10_000)
            .map(|i| json!({"id": i, "name": format!("item-{i}"), "tags": ["a", "b"], "v": i * 2}))
            .collect();
        let mut req = request(def, RunOptions::default());
        req.input = json!({ "items": items });
        let small = from_response(execute(&req)).unwrap();
        assert_eq!(
            small.final_outcome().error.as_deref(),
            Some("States.DataLimitExceeded")
        );
        req.options = RunOptions {
            max_payload_bytes: Some(1 << 20),
            max_events: Some(50_000),
            seed: None,
        };
        let mut posted = 0;
        let resp = execute_observed(&req, &mut |_| posted += 1);
        let big = from_response(resp).unwrap();
        assert_eq!(big.final_outcome().status, Status::Succeeded);
        assert!(big.events().len() > 40_000);
        assert_eq!(posted, big.events().len() / PROGRESS_EVERY);
    }
}
