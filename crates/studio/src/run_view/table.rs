//! The history table: one row per revealed event (AWS's id, type, virtual timestamp, the state it belongs to,
//! a one-line summary of its details), filters by state and by event type, pages of [`PAGE_ROWS`] rows (a
//! history holds up to 25,000 events; only one page is drawn, and it follows the time-travel position unless
//! the person turned to another page), and the export as the JSON that GetExecutionHistory returns
//! (`{"events": [...]}`). Filters and export work on the whole history, not on the page.

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
    let mut rows = rows_unsummarised(events);
    for (row, e) in rows.iter_mut().zip(events) {
        row.summary = summary(e);
    }
    rows
}

/// The rows for `events` with empty summaries: what filters and pages need, cheap enough for a whole
/// 25,000-event history; [`summarise`] fills the rows that are drawn.
pub fn rows_unsummarised(events: &[Event]) -> Vec<Row> {
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
            summary: String::new(),
        })
        .collect()
}

/// Fills a row's summary from the events it was made from (`row.position` is its event's index + 1).
pub fn summarise(row: &mut Row, events: &[Event]) {
    if let Some(e) = row.position.checked_sub(1).and_then(|i| events.get(i)) {
        row.summary = summary(e);
    }
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

/// Rows drawn at once: one page of the (filtered) history.
pub const PAGE_ROWS: usize = 100;

/// One page of `total` rows: rows `start..end`, page `index` of `count` (at least one page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub index: usize,
    pub count: usize,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Page {
    /// Page `index` (clamped to the last page).
    pub fn new(total: usize, index: usize) -> Page {
        let count = total.div_ceil(PAGE_ROWS).max(1);
        let index = index.min(count - 1);
        let start = (index * PAGE_ROWS).min(total);
        Page {
            index,
            count,
            start,
            end: (start + PAGE_ROWS).min(total),
            total,
        }
    }

    /// `Events 101–200 of 25,001` (or `No events`).
    pub fn label(&self) -> String {
        if self.total == 0 {
            return "No events".into();
        }
        format!(
            "Events {}–{} of {}",
            crate::replay::group_digits(self.start + 1),
            crate::replay::group_digits(self.end),
            crate::replay::group_digits(self.total)
        )
    }
}

/// The page holding the event shown last at history `position` (the last row at or before it), so the
/// table follows Step, Continue and the time-travel slider; page 0 when no row is that early.
pub fn page_of_position(rows: &[Row], position: usize) -> usize {
    let at = rows.partition_point(|r| r.position <= position);
    at.saturating_sub(1) / PAGE_ROWS
}

/// Which page to draw: the person's choice while the position is where it was when they chose it,
/// else the page that follows the position.
pub fn page_to_show(rows: &[Row], position: usize, chosen: Option<(usize, usize)>) -> Page {
    let index = match chosen {
        Some((page, at)) if at == position => page,
        _ => page_of_position(rows, position),
    };
    Page::new(rows.len(), index)
}
