//! Execution history events with AWS's GetExecutionHistory shape: `timestamp`, `type`, `id`,
//! `previousEventId` and one `<kind>EventDetails` object.

use super::time::format_timestamp;
use serde_json::{Map, Value, json};

/// One history event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub previous_event_id: u64,
    /// Virtual-clock time in epoch milliseconds.
    pub timestamp_ms: i64,
    /// AWS's event type, e.g. `TaskStateEntered`.
    pub kind: String,
    /// The details field name, e.g. `stateEnteredEventDetails` (empty when the event has none).
    pub details_key: String,
    pub details: Value,
    /// Statewright's own note (e.g. an unmocked task); serialised as `statewrightNote`.
    pub note: Option<String>,
}

impl Event {
    /// The state name for `*StateEntered` / `*StateExited` events.
    pub fn state_name(&self) -> Option<&str> {
        if self.kind.ends_with("StateEntered") || self.kind.ends_with("StateExited") {
            self.details.get("name").and_then(Value::as_str)
        } else {
            None
        }
    }

    /// The event as AWS's JSON.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "timestamp".into(),
            json!(format_timestamp(self.timestamp_ms)),
        );
        m.insert("type".into(), json!(self.kind));
        m.insert("id".into(), json!(self.id));
        m.insert("previousEventId".into(), json!(self.previous_event_id));
        if !self.details_key.is_empty() {
            m.insert(self.details_key.clone(), self.details.clone());
        }
        if let Some(note) = &self.note {
            m.insert("statewrightNote".into(), json!(note));
        }
        Value::Object(m)
    }
}

/// The details field name AWS uses for an event type.
pub fn details_key(kind: &str) -> String {
    if kind.ends_with("StateEntered") {
        return "stateEnteredEventDetails".into();
    }
    if kind.ends_with("StateExited") {
        return "stateExitedEventDetails".into();
    }
    let mut chars = kind.chars();
    match chars.next() {
        Some(c) => format!("{}{}EventDetails", c.to_ascii_lowercase(), chars.as_str()),
        None => String::new(),
    }
}

/// How a state fared in (a prefix of) a run: the studio's `data-status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StateStatus {
    Running,
    Succeeded,
    Failed,
    Caught,
    Retried,
    Cancelled,
}

impl StateStatus {
    /// The `data-status` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            StateStatus::Running => "running",
            StateStatus::Succeeded => "succeeded",
            StateStatus::Failed => "failed",
            StateStatus::Caught => "caught",
            StateStatus::Retried => "retried",
            StateStatus::Cancelled => "cancelled",
        }
    }
}

/// The status of every state seen in `events` (the last visit wins): entered and not left → running; left
/// normally → succeeded; left after a failure → caught; succeeded after a retry → retried; failed with the run →
/// failed; still open when the run stopped some other way → cancelled.
pub fn state_statuses(events: &[Event]) -> std::collections::BTreeMap<String, StateStatus> {
    use std::collections::BTreeMap;
    #[derive(Default)]
    struct Open {
        name: String,
        failed: bool,
        retried: bool,
        attempts: u32,
    }
    let mut out: BTreeMap<String, StateStatus> = BTreeMap::new();
    let mut stack: Vec<Open> = Vec::new();
    for e in events {
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            if let Some(n) = e.state_name() {
                out.insert(n.to_string(), StateStatus::Running);
                stack.push(Open {
                    name: n.to_string(),
                    ..Open::default()
                });
            }
        } else if kind.ends_with("StateExited") {
            if let Some(n) = e.state_name()
                && let Some(pos) = stack.iter().rposition(|o| o.name == n)
            {
                // States still open inside this one failed (a failed iteration or branch).
                let inner = stack.split_off(pos + 1);
                let inner_failed = !inner.is_empty();
                for o in inner {
                    out.insert(o.name, StateStatus::Failed);
                }
                let open = stack.remove(pos);
                let status = if open.failed || inner_failed {
                    StateStatus::Caught
                } else if open.retried {
                    StateStatus::Retried
                } else {
                    StateStatus::Succeeded
                };
                out.insert(open.name, status);
            }
        } else if matches!(
            kind,
            "TaskScheduled"
                | "LambdaFunctionScheduled"
                | "ActivityScheduled"
                | "ParallelStateStarted"
                | "MapStateStarted"
        ) {
            if let Some(open) = stack.last_mut() {
                open.attempts += 1;
                if open.attempts > 1 {
                    open.retried = true;
                    open.failed = false;
                }
            }
        } else if (kind.ends_with("Failed") || kind.ends_with("TimedOut"))
            && !kind.starts_with("Execution")
        {
            // A failure of the innermost open state; MapIterationFailed belongs to the enclosing Map.
            if let Some(open) = stack.last_mut() {
                open.failed = true;
            }
        } else if kind == "ExecutionFailed" || kind == "ExecutionTimedOut" {
            for open in stack.drain(..) {
                out.insert(open.name, StateStatus::Failed);
            }
        } else if kind == "ExecutionAborted" {
            for open in stack.drain(..) {
                out.insert(open.name, StateStatus::Cancelled);
            }
        }
    }
    out
}
