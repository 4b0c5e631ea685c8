//! Execution history events with AWS's GetExecutionHistory shape: `timestamp`, `type`, `id`,
//! `previousEventId` and one `<kind>EventDetails` object.

use super::text::Text;
use super::time::format_timestamp;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::sync::Arc;

/// An event's type, e.g. `TaskStateEntered`: the simulator's own events name a static text (no allocation
/// per event), events rebuilt from JSON own theirs. Reads as a `&str`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kind(Cow<'static, str>);

impl Kind {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Kind {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for Kind {
    fn from(s: &'static str) -> Kind {
        Kind(Cow::Borrowed(s))
    }
}

impl From<String> for Kind {
    fn from(s: String) -> Kind {
        Kind(Cow::Owned(s))
    }
}

impl From<Kind> for String {
    fn from(k: Kind) -> String {
        k.0.into_owned()
    }
}

impl PartialEq<str> for Kind {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Kind {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Kind {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// `<Type>StateEntered` / `<Type>StateExited` (`entered` false) for a state type.
pub(crate) fn state_kind(ty: &str, entered: bool) -> Kind {
    let known: Option<(&'static str, &'static str)> = match ty {
        "Pass" => Some(("PassStateEntered", "PassStateExited")),
        "Task" => Some(("TaskStateEntered", "TaskStateExited")),
        "Choice" => Some(("ChoiceStateEntered", "ChoiceStateExited")),
        "Wait" => Some(("WaitStateEntered", "WaitStateExited")),
        "Succeed" => Some(("SucceedStateEntered", "SucceedStateExited")),
        "Fail" => Some(("FailStateEntered", "FailStateExited")),
        "Parallel" => Some(("ParallelStateEntered", "ParallelStateExited")),
        "Map" => Some(("MapStateEntered", "MapStateExited")),
        _ => None,
    };
    match known {
        Some((e, x)) => Kind::from(if entered { e } else { x }),
        None => Kind::from(format!(
            "{ty}{}",
            if entered {
                "StateEntered"
            } else {
                "StateExited"
            }
        )),
    }
}

/// One history event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: u64,
    pub previous_event_id: u64,
    /// Virtual-clock time in epoch milliseconds.
    pub timestamp_ms: i64,
    /// AWS's event type, e.g. `TaskStateEntered`.
    pub kind: Kind,
    /// Statewright's own note (e.g. an unmocked task); serialised as `statewrightNote`.
    pub note: Option<String>,
    /// The `<kind>EventDetails` object, kept compact (payload texts shared) and built as JSON on demand.
    pub(crate) details: Details,
}

/// An event's details: the frequent shapes kept compact, anything else as JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Details {
    None,
    /// `{"name", "input", "inputDetails"}` of a `*StateEntered` event.
    Entered {
        name: Arc<str>,
        input: Text,
    },
    /// `{"name", "output", "outputDetails"}` of a `*StateExited` event, plus the assigned variables (name and
    /// JSON text) when the state has Assign.
    Exited {
        name: Arc<str>,
        output: Text,
        assigned: Option<Box<[(String, String)]>>,
    },
    /// `{"name", "index"}` of `MapIteration*` events.
    Iteration {
        name: Arc<str>,
        index: usize,
    },
    /// `{"output", "outputDetails"}` of `ExecutionSucceeded`.
    Output(Text),
    Json(Box<Value>),
}

impl Details {
    /// The compact form of a details object of the shape the simulator writes for `*StateEntered`,
    /// `*StateExited` and `MapIteration*` events (so a history rebuilt from JSON, e.g. the worker's, is
    /// as cheap to clone and read as the simulator's own); any other object stays JSON.
    fn compact(kind: &str, details: Value) -> Details {
        let untruncated = |v: Option<&Value>| {
            v.and_then(Value::as_object)
                .is_some_and(|o| o.len() == 1 && o.get("truncated") == Some(&Value::Bool(false)))
        };
        if let Value::Object(m) = &details {
            let name = m.get("name").and_then(Value::as_str);
            if kind.ends_with("StateEntered")
                && m.len() == 3
                && untruncated(m.get("inputDetails"))
                && let (Some(name), Some(input)) = (name, m.get("input").and_then(Value::as_str))
            {
                return Details::Entered {
                    name: Arc::from(name),
                    input: Text::from(Arc::<str>::from(input)),
                };
            }
            if kind.ends_with("StateExited")
                && untruncated(m.get("outputDetails"))
                && let (Some(name), Some(output)) = (name, m.get("output").and_then(Value::as_str))
            {
                let assigned = match (m.get("assignedVariables"), m.len()) {
                    (None, 3) => Some(None),
                    (Some(Value::Object(vars)), 5)
                        if untruncated(m.get("assignedVariablesDetails")) =>
                    {
                        vars.iter()
                            .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                            .collect::<Option<Vec<_>>>()
                            .map(|v| Some(v.into_boxed_slice()))
                    }
                    _ => None,
                };
                if let Some(assigned) = assigned {
                    return Details::Exited {
                        name: Arc::from(name),
                        output: Text::from(Arc::<str>::from(output)),
                        assigned,
                    };
                }
            }
            if kind.starts_with("MapIteration")
                && m.len() == 2
                && let (Some(name), Some(index)) = (
                    name,
                    m.get("index")
                        .and_then(Value::as_u64)
                        .and_then(|i| usize::try_from(i).ok()),
                )
            {
                return Details::Iteration {
                    name: Arc::from(name),
                    index,
                };
            }
        }
        Details::Json(Box::new(details))
    }

    fn to_json(&self) -> Value {
        match self {
            Details::None => Value::Null,
            Details::Entered { name, input } => {
                json!({"name": &**name, "input": &*input.get(), "inputDetails": {"truncated": false}})
            }
            Details::Exited {
                name,
                output,
                assigned,
            } => {
                let mut d = json!({"name": &**name, "output": &*output.get(), "outputDetails": {"truncated": false}});
                if let (Some(a), Value::Object(m)) = (assigned, &mut d) {
                    let vars: Map<String, Value> = a
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect();
                    m.insert("assignedVariables".into(), Value::Object(vars));
                    m.insert(
                        "assignedVariablesDetails".into(),
                        json!({"truncated": false}),
                    );
                }
                d
            }
            Details::Iteration { name, index } => json!({"name": &**name, "index": index}),
            Details::Output(output) => {
                json!({"output": &*output.get(), "outputDetails": {"truncated": false}})
            }
            Details::Json(v) => (**v).clone(),
        }
    }
}

/// Events are equal when AWS would print them the same: compact and JSON details compare by their JSON.
impl PartialEq for Event {
    fn eq(&self, other: &Event) -> bool {
        self.id == other.id
            && self.previous_event_id == other.previous_event_id
            && self.timestamp_ms == other.timestamp_ms
            && self.kind == other.kind
            && self.note == other.note
            && (self.details == other.details || self.details.to_json() == other.details.to_json())
    }
}

impl Event {
    /// An event rebuilt from its parts, e.g. a history sent across a worker boundary as JSON
    /// (`details` is the `<kind>EventDetails` object, `null` when the event has none).
    pub fn from_parts(
        id: u64,
        previous_event_id: u64,
        timestamp_ms: i64,
        kind: String,
        details: Value,
        note: Option<String>,
    ) -> Event {
        let details = if details.is_null() {
            Details::None
        } else {
            Details::compact(&kind, details)
        };
        Event {
            id,
            previous_event_id,
            timestamp_ms,
            kind: Kind::from(kind),
            note,
            details,
        }
    }

    /// The `<kind>EventDetails` object (`null` when the event has none).
    pub fn details(&self) -> Value {
        self.details.to_json()
    }

    /// The details field name, e.g. `stateEnteredEventDetails` (empty when the event has none).
    pub fn details_key(&self) -> String {
        match &self.details {
            Details::None => String::new(),
            Details::Json(v) if v.is_null() => String::new(),
            _ => details_key(&self.kind),
        }
    }

    /// The state name for `*StateEntered` / `*StateExited` events.
    pub fn state_name(&self) -> Option<&str> {
        if self.kind.ends_with("StateEntered") || self.kind.ends_with("StateExited") {
            match &self.details {
                Details::Entered { name, .. } | Details::Exited { name, .. } => Some(name),
                Details::Json(v) => v.get("name").and_then(Value::as_str),
                _ => None,
            }
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
        m.insert("type".into(), json!(self.kind.as_str()));
        m.insert("id".into(), json!(self.id));
        m.insert("previousEventId".into(), json!(self.previous_event_id));
        let key = self.details_key();
        if !key.is_empty() {
            m.insert(key, self.details());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A history sent as JSON and rebuilt is the same history, in the compact form where the simulator
    /// writes one (and JSON otherwise).
    #[test]
    fn rebuilt_events_are_compact_and_identical() {
        let def = json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"a": 1, "b": "x"}, "Next": "Fan"},
            "Fan": {"Type": "Map", "ItemsPath": "$.items", "Next": "Both", "ItemProcessor": {
                "StartAt": "One", "States": {"One": {"Type": "Pass", "End": true}}}},
            "Both": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Pass", "End": true}}}]}}});
        let (_, events) = crate::simulate::run(
            &def,
            json!({"items": [1, 2]}),
            &Default::default(),
            &Default::default(),
        );
        let mut compact = 0;
        for e in &events {
            let back = Event::from_parts(
                e.id,
                e.previous_event_id,
                e.timestamp_ms,
                e.kind.to_string(),
                e.details(),
                e.note.clone(),
            );
            assert_eq!(&back, e);
            assert_eq!(back.to_json(), e.to_json());
            assert_eq!(
                serde_json::to_string(&back.to_json()).ok(),
                serde_json::to_string(&e.to_json()).ok()
            );
            if !matches!(back.details, Details::Json(_) | Details::None) {
                compact += 1;
                assert_eq!(back.details, e.details, "{}", e.kind);
            }
        }
        // Every entered, exited and iteration event (Set's exit carries assigned variables).
        let expected = events
            .iter()
            .filter(|e| {
                e.kind.ends_with("StateEntered")
                    || e.kind.ends_with("StateExited")
                    || e.kind.starts_with("MapIteration")
            })
            .count();
        assert_eq!(compact, expected);
        // Other shapes stay JSON.
        let odd = Event::from_parts(
            1,
            0,
            0,
            "PassStateEntered".into(),
            json!({"name": "A", "input": "{}", "inputDetails": {"truncated": true}}),
            None,
        );
        assert!(matches!(odd.details, Details::Json(_)));
    }
}
