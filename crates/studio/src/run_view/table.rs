//! The history table: one row per revealed event (AWS's id, type, virtual timestamp, the state it belongs to,
//! a one-line summary of its details), filters by state and by event type, and the export as the JSON that
//! GetExecutionHistory returns (`{"events": [...]}`).

use super::owners;
use asl::simulate::Event;
use asl::simulate::time::format_timestamp;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Longest details summary shown in a row (the full event is in the export).
pub const SUMMARY_CHARS: usize = 120;

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    pub id: u64,
    /// The position that shows this event as the last one (its index + 1).
    pub position: usize,
    pub kind: String,
    /// The state the event belongs to (empty for execution-level events).
    pub state: String,
    /// `2025-01-01T00:00:02.000Z`.
    pub timestamp: String,
    pub summary: String,
}

/// Filters over the rows; `None` shows all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<String>,
    pub kind: Option<String>,
}

impl Filter {
    pub fn keeps(&self, row: &Row) -> bool {
        self.state.as_ref().is_none_or(|s| *s == row.state)
            && self.kind.as_ref().is_none_or(|k| *k == row.kind)
    }
}

/// A short text for an event's details: the error and cause, else the input or output, else the fields.
pub fn summary(e: &Event) -> String {
    let d = &e.details();
    let text = if let Some(err) = d.get("error").and_then(Value::as_str) {
        match d.get("cause").and_then(Value::as_str) {
            Some(c) if !c.is_empty() => format!("{err}: {c}"),
            _ => err.to_string(),
        }
    } else if let Some(v) = d.get("input").or_else(|| d.get("output")) {
        v.as_str().map_or_else(|| v.to_string(), str::to_string)
    } else if let Some(p) = d.get("parameters").and_then(Value::as_str) {
        p.to_string()
    } else if let Value::Object(m) = d {
        m.iter()
            .filter(|(k, _)| !k.ends_with("Details"))
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        String::new()
    };
    let text = match &e.note {
        Some(n) if text.is_empty() => n.clone(),
        Some(n) => format!("{text} ({n})"),
        None => text,
    };
    truncate(&text, SUMMARY_CHARS)
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", s.get(..at).unwrap_or("")),
        None => s.to_string(),
    }
}

/// The rows for `events`.
pub fn rows(events: &[Event]) -> Vec<Row> {
    events
        .iter()
        .zip(owners(events))
        .enumerate()
        .map(|(i, (e, owner))| Row {
            id: e.id,
            position: i + 1,
            kind: e.kind.to_string(),
            state: owner.unwrap_or_default(),
            timestamp: format_timestamp(e.timestamp_ms),
            summary: summary(e),
        })
        .collect()
}

/// The distinct states and event types in `rows`, for the filter menus (first-seen order).
pub fn choices(rows: &[Row]) -> (Vec<String>, Vec<String>) {
    let mut states = Vec::new();
    let mut kinds = Vec::new();
    let (mut seen_s, mut seen_k) = (BTreeSet::new(), BTreeSet::new());
    for r in rows {
        if !r.state.is_empty() && seen_s.insert(r.state.clone()) {
            states.push(r.state.clone());
        }
        if seen_k.insert(r.kind.clone()) {
            kinds.push(r.kind.clone());
        }
    }
    (states, kinds)
}

/// The history as GetExecutionHistory returns it: `{"events": [...]}`, pretty-printed.
pub fn export(events: &[Event]) -> String {
    let v = json!({"events": events.iter().map(Event::to_json).collect::<Vec<_>>()});
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
