//! Copy and paste of states as ASL JSON: copying gives a small state machine (`StartAt` + `States`)
//! that AWS's tools and the code view accept; pasting accepts such a machine, a bare `States`-like
//! object or one state, and refuses anything else with a message (never a change to the document).

use crate::document::{Document, render};
use crate::edit::{Edit, paste_names};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// The largest clipboard text looked at.
pub const MAX_PASTE_BYTES: usize = 2 * 1024 * 1024;
/// The most states one paste adds.
pub const MAX_PASTE_STATES: usize = 1000;

const TYPES: [&str; 8] = [
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// The selected states as ASL JSON: `{"StartAt": first, "States": {...}}` with the states of the
/// first selected state's scope, in document order. A `Next` leading outside the copy becomes
/// `End: true` and a `Default` leading outside is dropped, so the copy is a machine of its own.
pub fn copy_states(doc: &Document, names: &BTreeSet<String>) -> Option<String> {
    let graph = doc.graph();
    let first = graph.nodes.iter().position(|n| names.contains(&n.name))?;
    let scope = graph.scope_of(first);
    let states = doc.scope_value(&scope)?.get("States")?.as_object()?;
    let mut out = Map::new();
    for (name, state) in states.iter().filter(|(n, _)| names.contains(*n)) {
        let mut s = state.clone();
        if let Some(o) = s.as_object_mut() {
            let outside = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .is_some_and(|t| !names.contains(t))
            };
            if outside(o.get("Next")) {
                o.shift_remove("Next");
                o.insert("End".into(), Value::Bool(true));
            }
            if outside(o.get("Default")) {
                o.shift_remove("Default");
            }
        }
        out.insert(name.clone(), s);
    }
    let start = out.keys().next()?.clone();
    Some(render(&json!({"StartAt": start, "States": out})))
}

/// The states in pasted text, or a message saying why it cannot be pasted.
pub fn parse(text: &str) -> Result<Map<String, Value>, String> {
    if text.len() > MAX_PASTE_BYTES {
        return Err("The clipboard holds too much text to paste as states.".into());
    }
    if text.trim().is_empty() {
        return Err("The clipboard is empty.".into());
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("The clipboard does not hold ASL JSON ({e})."))?;
    let Value::Object(obj) = value else {
        return Err("The clipboard's JSON is not a state or a state machine.".into());
    };
    let states: Map<String, Value> = if let Some(states) = obj.get("States") {
        states
            .as_object()
            .cloned()
            .ok_or("The clipboard's \"States\" is not an object.")?
    } else if let Some(t) = obj.get("Type").and_then(Value::as_str) {
        let mut m = Map::new();
        m.insert(t.to_string(), Value::Object(obj));
        m
    } else {
        obj
    };
    if states.is_empty() {
        return Err("The clipboard holds no states.".into());
    }
    if states.len() > MAX_PASTE_STATES {
        return Err(format!(
            "The clipboard holds {} states; at most {MAX_PASTE_STATES} can be pasted at once.",
            states.len()
        ));
    }
    for (name, state) in &states {
        if name.trim().is_empty() {
            return Err("A state in the clipboard has an empty name.".into());
        }
        match state.get("Type").and_then(Value::as_str) {
            Some(t) if TYPES.contains(&t) => {}
            Some(t) => {
                return Err(format!(
                    "\"{name}\" in the clipboard has an unknown Type \"{t}\"."
                ));
            }
            None => {
                return Err(format!(
                    "\"{name}\" in the clipboard is not a state (it has no \"Type\")."
                ));
            }
        }
    }
    Ok(states)
}

/// The edit pasting states after `after` (in its scope; the top level when `None`), and the names the
/// pasted states get (colliding names are numbered).
pub fn paste(
    doc: &Document,
    states: Map<String, Value>,
    after: Option<&str>,
) -> (Edit, Vec<String>) {
    let graph = doc.graph();
    let scope = after
        .and_then(|a| super::scope_of_name(&graph, a))
        .unwrap_or_default();
    let renames = paste_names(&doc.state_names(), &states);
    let names = states
        .keys()
        .filter_map(|k| renames.get(k).cloned())
        .collect();
    (
        Edit::PasteStates {
            scope,
            states,
            after: after.map(str::to_string),
        },
        names,
    )
}
