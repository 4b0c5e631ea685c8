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

impl RunOptions {
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

/// What the worker does with one request (pure; also usable on the page for tiny runs).
pub fn execute(req: &RunRequest) -> RunResponse {
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
    let (outcome, events) = asl::simulate::run(
        &req.definition,
        req.input.clone(),
        &mocks,
        &req.options.to_options(),
    );
    RunResponse {
        id: req.id,
        outcome: Some(WireOutcome::from(&outcome)),
        history: events.iter().map(WireEvent::from).collect(),
        error: None,
    }
}

/// Answer a request given as JSON text with the response as JSON text (the worker's whole job).
pub fn execute_json(request: &str) -> String {
    let resp = match serde_json::from_str::<RunRequest>(request) {
        Ok(req) => execute(&req),
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
}
