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
