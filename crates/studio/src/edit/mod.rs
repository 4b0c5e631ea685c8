//! Every change to a document is one value of the closed [`Edit`] enum, applied by [`apply`], which
//! returns the edit that undoes it. Applying that inverse restores the exact previous text.
//!
//! Structural edits change the parsed value through a small transaction that remembers the original
//! value and position of every key it touches; the inverse is a batch of [`Edit::Put`]s restoring them,
//! so key order survives undo. When the text was not in canonical form (hand-formatted JSON), the
//! inverse is a text splice back to the exact original text instead.

use crate::document::{Document, collect_names, escape_token, scope_pointer, unique_name};
use crate::graph::ScopeStep;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// Which transition of a state an edit retargets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    Next,
    Default,
    /// `Choices[i].Next`
    Choice(usize),
    /// `Catch[i].Next`
    Catch(usize),
}

/// One change to a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum Edit {
    /// Adds a state. With `after`, links it into the flow after that state (taking over its `Next`, or
    /// its `End`, or a Choice's missing `Default`) and places it after it in the `States` object.
    AddState {
        scope: Vec<ScopeStep>,
        name: String,
        state: Value,
        after: Option<String>,
    },
    /// Removes a state, reconnecting the flow: transitions to it go to its `Next`; when it has none,
    /// a `Next` becomes `End: true`, and a `Default`, Choice rule or catcher pointing at it is removed.
    RemoveState { scope: Vec<ScopeStep>, name: String },
    /// Renames a state and every reference to it in its scope (`StartAt`, `Next`, `Default`,
    /// `Choices[].Next`, `Catch[].Next`).
    RenameState {
        scope: Vec<ScopeStep>,
        from: String,
        to: String,
    },
    /// Retargets a transition; `target: None` ends the flow (`End: true` for `Next`, removes a `Default`).
    SetTransition {
        scope: Vec<ScopeStep>,
        state: String,
        transition: Transition,
        target: Option<String>,
    },
    /// Sets the scope's `StartAt`.
    SetStartAt { scope: Vec<ScopeStep>, name: String },
    /// Sets (`Some`) or removes (`None`) a field of a state; an existing field keeps its position.
    SetField {
        scope: Vec<ScopeStep>,
        state: String,
        field: String,
        value: Option<Value>,
    },
    /// Sets or removes a field of the scope's machine object (`Comment`, `QueryLanguage`, ...).
    SetMachineField {
        scope: Vec<ScopeStep>,
        field: String,
        value: Option<Value>,
    },
    /// Moves a state in the flow: detaches it (as [`Edit::RemoveState`] reconnects) and re-links it
    /// after `after`; with `after: None` it becomes the start state.
    MoveState {
        scope: Vec<ScopeStep>,
        name: String,
        after: Option<String>,
    },
    /// Puts a state on a transition (a drop onto an edge): `from`'s `transition` then leads to `name`,
    /// and `name` flows on to the transition's old target (a Choice takes it as its missing `Default`;
    /// Succeed and Fail end there). With `state: Some`, `name` is a new state placed after `from` in
    /// the text; with `None`, the existing state `name` is first detached from its place, as
    /// [`Edit::RemoveState`] reconnects the flow around it.
    InsertOnTransition {
        scope: Vec<ScopeStep>,
        from: String,
        transition: Transition,
        name: String,
        state: Option<Value>,
    },
    /// Moves a state to position `index` of the `States` object (order in the text only).
    ReorderState {
        scope: Vec<ScopeStep>,
        name: String,
        index: usize,
    },
    /// Copies a state under a new name, placed after the original (same transitions).
    DuplicateState {
        scope: Vec<ScopeStep>,
        name: String,
        new_name: String,
    },
    /// Adds states (from the clipboard); colliding names get a number (see [`paste_names`]) and
    /// transitions among the pasted states follow the renames. With `after`, placed after it in the
    /// text and linked into the flow there (`after` → the group's entry, its exits → `after`'s old
    /// `Next`), when the group has an entry and `after` can take a transition.
    PasteStates {
        scope: Vec<ScopeStep>,
        states: Map<String, Value>,
        after: Option<String>,
    },
    /// Replaces the whole text (typing in the code view).
    ReplaceText { text: String },
    /// Replaces `remove` bytes at byte offset `at` with `insert` (the compact inverse of a text change).
    SpliceText {
        at: usize,
        remove: usize,
        insert: String,
    },
    /// Low level: sets (`Some`) or removes (`None`) `key` of the object at JSON Pointer `object`, at
    /// position `index` when given (an existing key is moved there).
    Put {
        object: String,
        key: String,
        value: Option<Value>,
        index: Option<usize>,
    },
    /// Several edits applied in order as one; all or nothing.
    Batch { edits: Vec<Edit> },
}

/// Why an edit could not be applied; the document is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The text is not a JSON object, so only text edits apply.
    NotParsed,
    NoSuchScope,
    NoSuchState(String),
    /// The name is already used somewhere in the definition (names are unique machine-wide).
    NameTaken(String),
    EmptyName,
    NotAnObject(String),
    NoSuchTransition(String),
    /// The state cannot take another outgoing transition (e.g. a Choice that already has a Default).
    CannotLink(String),
    /// A text splice outside the text or not on character boundaries.
    BadSplice,
    BadPointer(String),
    /// The nesting is deeper than any definition the studio handles.
    TooDeep,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotParsed => {
                write!(f, "the definition is not valid JSON; fix the text first")
            }
            EditError::NoSuchScope => write!(f, "that branch or processor no longer exists"),
            EditError::NoSuchState(s) => write!(f, "there is no state named \"{s}\" here"),
            EditError::NameTaken(s) => write!(f, "a state named \"{s}\" already exists"),
            EditError::EmptyName => write!(f, "a state name cannot be empty"),
            EditError::NotAnObject(s) => write!(f, "{s} must be a JSON object"),
            EditError::NoSuchTransition(s) => write!(f, "state \"{s}\" has no such transition"),
            EditError::CannotLink(s) => {
                write!(f, "state \"{s}\" cannot take another transition")
            }
            EditError::BadSplice => write!(f, "the text change does not fit the text"),
            EditError::BadPointer(p) => write!(f, "no JSON object at \"{p}\""),
            EditError::TooDeep => write!(f, "the edit is nested too deeply"),
        }
    }
}

impl std::error::Error for EditError {}

const MAX_BATCH_DEPTH: usize = 16;

/// Applies an edit; on success returns the edit that undoes it. On error the document is unchanged.
pub fn apply(doc: &mut Document, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::ReplaceText { text } => {
            let inverse = splice_between(&text, doc.text());
            doc.set_text(text);
            Ok(inverse)
        }
        Edit::SpliceText { at, remove, insert } => {
            let old = doc.text();
            let end = at.checked_add(remove).ok_or(EditError::BadSplice)?;
            if end > old.len() || !old.is_char_boundary(at) || !old.is_char_boundary(end) {
                return Err(EditError::BadSplice);
            }
            let removed = old[at..end].to_string();
            let mut text = String::with_capacity(old.len() - remove + insert.len());
            text.push_str(&old[..at]);
            text.push_str(&insert);
            text.push_str(&old[end..]);
            let inverse = Edit::SpliceText {
                at,
                remove: insert.len(),
                insert: removed,
            };
            doc.set_text(text);
            Ok(inverse)
        }
        edit => {
            let canonical = doc.is_canonical();
            let mut value = doc.take_value().ok_or(EditError::NotParsed)?;
            match apply_value(&mut value, edit, 0) {
                Ok(inverse) => {
                    let old_text = doc.text().to_string();
                    doc.put_value(value);
                    if canonical {
                        Ok(inverse)
                    } else {
                        Ok(splice_between(doc.text(), &old_text))
                    }
                }
                Err(e) => {
                    doc.restore_value(Some(value));
                    Err(e)
                }
            }
        }
    }
}

/// The splice turning `from` into `to` (common prefix and suffix left alone).
fn splice_between(from: &str, to: &str) -> Edit {
    let prefix = from
        .char_indices()
        .zip(to.chars())
        .find(|((_, a), b)| a != b)
        .map_or(from.len().min(to.len()), |((i, _), _)| i);
    let max_suffix = from.len().min(to.len()) - prefix;
    let mut suffix = 0;
    for ((i, a), (_, b)) in from.char_indices().rev().zip(to.char_indices().rev()) {
        let len = from.len() - i;
        if a != b || len > max_suffix {
            break;
        }
        suffix = len;
    }
    Edit::SpliceText {
        at: prefix,
        remove: from.len() - prefix - suffix,
        insert: to[prefix..to.len() - suffix].to_string(),
    }
}

/// Records the original value and position of every key an edit touches, to build the inverse.
#[derive(Default)]
struct Tx {
    /// (object pointer, key, original value), in first-touch order.
    touched: Vec<(String, String, Option<Value>)>,
    seen: HashMap<(String, String), ()>,
    /// Key order of each touched object before the edit changed it (original positions).
    orders: HashMap<String, Vec<String>>,
}

/// Position of a key in an object (insertion order).
fn index_of(obj: &Map<String, Value>, key: &str) -> Option<usize> {
    obj.keys().position(|k| k == key)
}

fn object_at<'v>(root: &'v mut Value, ptr: &str) -> Result<&'v mut Map<String, Value>, EditError> {
    let target = if ptr.is_empty() {
        Some(root)
    } else {
        root.pointer_mut(ptr)
    };
    target
        .and_then(Value::as_object_mut)
        .ok_or_else(|| EditError::BadPointer(ptr.to_string()))
}

impl Tx {
    /// Sets or removes `key` in the object at `ptr`; returns the previous value.
    fn put(
        &mut self,
        root: &mut Value,
        ptr: &str,
        key: &str,
        value: Option<Value>,
        index: Option<usize>,
    ) -> Result<Option<Value>, EditError> {
        let obj = object_at(root, ptr)?;
        let seen_key = (ptr.to_string(), key.to_string());
        if !self.seen.contains_key(&seen_key) {
            self.orders
                .entry(ptr.to_string())
                .or_insert_with(|| obj.keys().cloned().collect());
            self.touched
                .push((ptr.to_string(), key.to_string(), obj.get(key).cloned()));
            self.seen.insert(seen_key, ());
        }
        Ok(match value {
            None => obj.shift_remove(key),
            Some(v) => match (index_of(obj, key), index) {
                (Some(i), Some(j)) if i != j => {
                    let old = obj.shift_remove(key);
                    obj.shift_insert(j.min(obj.len()), key.to_string(), v);
                    old
                }
                (Some(_), _) => obj.insert(key.to_string(), v),
                (None, Some(j)) => {
                    obj.shift_insert(j.min(obj.len()), key.to_string(), v);
                    None
                }
                (None, None) => obj.insert(key.to_string(), v),
            },
        })
    }

    /// Puts that restore every touched key: first remove them all, then re-insert the originals in
    /// ascending original position, which reproduces the original order exactly.
    fn inverse(self) -> Edit {
        let mut edits = Vec::new();
        // Deepest objects first, so that removing a parent key never strands a child removal.
        let mut removals: Vec<&(String, String, Option<Value>)> = self.touched.iter().collect();
        removals.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        for (ptr, key, _) in removals {
            edits.push(Edit::Put {
                object: ptr.clone(),
                key: key.clone(),
                value: None,
                index: None,
            });
        }
        let orders = self.orders;
        let mut originals: Vec<(String, String, usize, Value)> = self
            .touched
            .into_iter()
            .filter_map(|(p, k, o)| {
                let i = orders.get(&p)?.iter().position(|x| *x == k)?;
                Some((p, k, i, o?))
            })
            .collect();
        // Deeper objects first would be wrong: a restored parent replaces children. Parents sort first
        // because their pointer is a prefix; within one object ascending index.
        originals.sort_by(|a, b| {
            a.0.len()
                .cmp(&b.0.len())
                .then(a.0.cmp(&b.0))
                .then(a.2.cmp(&b.2))
        });
        for (object, key, index, value) in originals {
            edits.push(Edit::Put {
                object,
                key,
                value: Some(value),
                index: Some(index),
            });
        }
        if edits.len() == 1 {
            edits.pop().unwrap_or(Edit::Batch { edits: Vec::new() })
        } else {
            Edit::Batch { edits }
        }
    }
}

fn apply_value(root: &mut Value, edit: Edit, depth: usize) -> Result<Edit, EditError> {
    if depth > MAX_BATCH_DEPTH {
        return Err(EditError::TooDeep);
    }
    if let Edit::Batch { edits } = edit {
        let mut inverses: Vec<Edit> = Vec::with_capacity(edits.len());
        for e in edits {
            match apply_value(root, e, depth + 1) {
                Ok(inv) => inverses.push(inv),
                Err(err) => {
                    for inv in inverses.into_iter().rev() {
                        let _ = apply_value(root, inv, depth + 1);
                    }
                    return Err(err);
                }
            }
        }
        inverses.reverse();
        return Ok(Edit::Batch { edits: inverses });
    }
    let mut tx = Tx::default();
    match structural(root, edit, &mut tx) {
        Ok(()) => Ok(tx.inverse()),
        Err(e) => {
            let _ = apply_value(root, tx.inverse(), depth + 1);
            Err(e)
        }
    }
}

/// Pointers of a scope: (machine object, its States object).
fn scope_ptrs(
    root: &mut Value,
    tx: &mut Tx,
    scope: &[ScopeStep],
) -> Result<(String, String), EditError> {
    let m = scope_pointer(root, scope).ok_or(EditError::NoSuchScope)?;
    let machine = object_at(root, &m).map_err(|_| EditError::NoSuchScope)?;
    if !machine.contains_key("States") {
        tx.put(root, &m, "States", Some(Value::Object(Map::new())), None)?;
    }
    let machine = object_at(root, &m).map_err(|_| EditError::NoSuchScope)?;
    if !machine.get("States").is_some_and(Value::is_object) {
        return Err(EditError::NotAnObject("States".into()));
    }
    Ok((m.clone(), format!("{m}/States")))
}

fn state_ptr(states: &str, name: &str) -> String {
    format!("{states}/{}", escape_token(name))
}

fn states_of<'v>(root: &'v Value, states_ptr: &str) -> Option<&'v Map<String, Value>> {
    root.pointer(states_ptr).and_then(Value::as_object)
}

fn get_state(root: &Value, states_ptr: &str, name: &str) -> Result<Value, EditError> {
    states_of(root, states_ptr)
        .and_then(|s| s.get(name))
        .cloned()
        .ok_or_else(|| EditError::NoSuchState(name.to_string()))
}

fn all_names(root: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_names(root, 0, &mut out);
    out
}

fn check_new_name(root: &Value, name: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return Err(EditError::EmptyName);
    }
    if all_names(root).contains(name) {
        return Err(EditError::NameTaken(name.to_string()));
    }
    Ok(())
}

fn is_terminal_kind(state: &Value) -> bool {
    matches!(
        state.get("Type").and_then(Value::as_str),
        Some("Succeed" | "Fail" | "Choice")
    )
}

/// Replaces `key` in place, keeping its position; inserts at `at_key`'s position when absent.
fn set_key_like(obj: &mut Map<String, Value>, key: &str, value: Value, at_key: &str) {
    if obj.contains_key(key) {
        obj.insert(key.to_string(), value);
    } else if let Some(i) = index_of(obj, at_key) {
        obj.shift_insert(i, key.to_string(), value);
    } else {
        obj.insert(key.to_string(), value);
    }
}

/// Makes `state` flow to `target` (`Some`) or end (`None`), replacing `End`/`Next` in place.
fn set_next(state: &mut Value, target: Option<&str>) {
    let Some(obj) = state.as_object_mut() else {
        return;
    };
    match target {
        Some(t) => {
            set_key_like(obj, "Next", Value::String(t.to_string()), "End");
            obj.shift_remove("End");
        }
        None => {
            set_key_like(obj, "End", Value::Bool(true), "Next");
            obj.shift_remove("Next");
        }
    }
}

/// Where a transition of a state leads: `Some(None)` for a `Next`/`Default` that is absent (the flow
/// ends there), `None` when the transition does not exist (no such rule, or a state that cannot flow on).
fn transition_target(state: &Value, transition: Transition) -> Option<Option<String>> {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let kind = state.get("Type").and_then(Value::as_str);
    match transition {
        Transition::Next => {
            if matches!(kind, Some("Choice" | "Succeed" | "Fail")) {
                None
            } else {
                Some(s(state.get("Next")))
            }
        }
        Transition::Default => (kind == Some("Choice")).then(|| s(state.get("Default"))),
        Transition::Choice(i) | Transition::Catch(i) => {
            let key = if matches!(transition, Transition::Choice(_)) {
                "Choices"
            } else {
                "Catch"
            };
            let rule = state.get(key)?.as_array()?.get(i)?;
            Some(Some(s(rule.get("Next"))?))
        }
    }
}

/// Points one transition of `state` at `target`; false when the state has no such transition.
fn set_transition(state: &mut Value, transition: Transition, target: Option<&str>) -> bool {
    if transition_target(state, transition).is_none() {
        return false;
    }
    match transition {
        Transition::Next => set_next(state, target),
        Transition::Default => {
            let Some(obj) = state.as_object_mut() else {
                return false;
            };
            match target {
                Some(t) => {
                    obj.insert("Default".into(), Value::String(t.to_string()));
                }
                None => {
                    obj.shift_remove("Default");
                }
            }
        }
        Transition::Choice(i) | Transition::Catch(i) => {
            let key = if matches!(transition, Transition::Choice(_)) {
                "Choices"
            } else {
                "Catch"
            };
            let (Some(rule), Some(t)) = (
                state
                    .get_mut(key)
                    .and_then(Value::as_array_mut)
                    .and_then(|l| l.get_mut(i))
                    .and_then(Value::as_object_mut),
                target,
            ) else {
                return false;
            };
            rule.insert("Next".into(), Value::String(t.to_string()));
        }
    }
    true
}

/// Makes a newly placed state flow on to `target`: its `Next` (or `End`), a Choice's missing
/// `Default`; Succeed and Fail are left alone.
fn flow_on(state: &mut Value, target: Option<&str>) {
    match state.get("Type").and_then(Value::as_str) {
        Some("Succeed" | "Fail") => {}
        Some("Choice") => {
            if let (Some(t), Some(obj)) = (target, state.as_object_mut())
                && !obj.contains_key("Default")
            {
                obj.insert("Default".into(), Value::String(t.to_string()));
            }
        }
        _ => set_next(state, target),
    }
}

/// Rewrites every transition of `state` that targets `from`. `to: None` removes the transition
/// (a `Next` becomes `End: true`). Returns whether anything changed.
fn retarget(state: &mut Value, from: &str, to: Option<&str>) -> bool {
    let mut changed = false;
    if state.get("Next").and_then(Value::as_str) == Some(from) {
        set_next(state, to);
        changed = true;
    }
    let Some(obj) = state.as_object_mut() else {
        return changed;
    };
    if obj.get("Default").and_then(Value::as_str) == Some(from) {
        match to {
            Some(t) => {
                obj.insert("Default".into(), Value::String(t.into()));
            }
            None => {
                obj.shift_remove("Default");
            }
        }
        changed = true;
    }
    for key in ["Choices", "Catch"] {
        let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        let before = list.len();
        list.retain(|r| to.is_some() || r.get("Next").and_then(Value::as_str) != Some(from));
        changed |= list.len() != before;
        for r in list.iter_mut() {
            if r.get("Next").and_then(Value::as_str) == Some(from)
                && let (Some(t), Some(o)) = (to, r.as_object_mut())
            {
                o.insert("Next".into(), Value::String(t.into()));
                changed = true;
            }
        }
        if key == "Catch" && list.is_empty() && before > 0 {
            obj.shift_remove("Catch");
        }
    }
    changed
}

/// Redirects every reference to `name` in the scope to its successor (or ends the flow) and fixes
/// `StartAt`; the state itself is left in place.
fn detach(root: &mut Value, tx: &mut Tx, m: &str, sp: &str, name: &str) -> Result<(), EditError> {
    let me = get_state(root, sp, name)?;
    let succ = me.get("Next").and_then(Value::as_str).map(str::to_string);
    let succ = succ.filter(|s| s != name);
    let names: Vec<String> = states_of(root, sp)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for other in &names {
        if other == name {
            continue;
        }
        let mut st = get_state(root, sp, other)?;
        if retarget(&mut st, name, succ.as_deref()) {
            tx.put(root, sp, other, Some(st), None)?;
        }
    }
    let start = root
        .pointer(m)
        .and_then(|v| v.get("StartAt"))
        .and_then(Value::as_str);
    if start == Some(name) {
        let new_start = succ.or_else(|| names.iter().find(|n| *n != name).cloned());
        if let Some(s) = new_start {
            tx.put(root, m, "StartAt", Some(Value::String(s)), None)?;
        }
    }
    Ok(())
}

/// Links `name` into the flow after `after`: `name` takes over `after`'s `Next` (or `End`), or fills a
/// Choice's missing `Default`.
fn link_after(
    root: &mut Value,
    tx: &mut Tx,
    sp: &str,
    after: &str,
    name: &str,
) -> Result<(), EditError> {
    let mut a = get_state(root, sp, after)?;
    let mut me = get_state(root, sp, name)?;
    if a.get("Type").and_then(Value::as_str) == Some("Choice") {
        let Some(obj) = a.as_object_mut() else {
            return Err(EditError::NotAnObject(after.to_string()));
        };
        if obj.contains_key("Default") {
            return Err(EditError::CannotLink(after.to_string()));
        }
        obj.insert("Default".into(), Value::String(name.to_string()));
        if !is_terminal_kind(&me) && me.get("Next").is_none() && me.get("End").is_none() {
            set_next(&mut me, None);
            tx.put(root, sp, name, Some(me), None)?;
        }
    } else {
        if !a.is_object()
            || a.get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t == "Succeed" || t == "Fail")
        {
            return Err(EditError::CannotLink(after.to_string()));
        }
        let old_next = a.get("Next").and_then(Value::as_str).map(str::to_string);
        set_next(&mut a, Some(name));
        if !is_terminal_kind(&me) {
            set_next(&mut me, old_next.as_deref());
            tx.put(root, sp, name, Some(me), None)?;
        }
    }
    tx.put(root, sp, after, Some(a), None)?;
    Ok(())
}

/// Whether any transition of `state` (`Next`, `Default`, a Choice rule's or a catcher's `Next`) targets
/// `name`.
fn leads_to(state: &Value, name: &str) -> bool {
    let is = |v: Option<&Value>| v.and_then(Value::as_str) == Some(name);
    is(state.get("Next"))
        || is(state.get("Default"))
        || ["Choices", "Catch"].iter().any(|k| {
            state
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().any(|r| is(r.get("Next"))))
        })
}

/// Links pasted states into the flow after `after`: `after` (or a Choice's missing `Default`) leads to
/// the group's entry, the first pasted state no other pasted state leads to; the group's exits (pasted
/// states that end, or whose `Next` names no pasted state) flow on to `after`'s old `Next`. A group with
/// no entry (a cycle), or an `after` that cannot take a transition, is only placed, not linked.
fn link_pasted(
    root: &mut Value,
    tx: &mut Tx,
    sp: &str,
    after: &str,
    pasted: &[String],
) -> Result<(), EditError> {
    let values: Vec<Value> = pasted
        .iter()
        .map(|n| get_state(root, sp, n))
        .collect::<Result<_, _>>()?;
    let targeted = |name: &str| values.iter().any(|v| leads_to(v, name));
    let Some(entry) = pasted.iter().find(|n| !targeted(n)) else {
        return Ok(());
    };
    let mut a = get_state(root, sp, after)?;
    let old_next = match a.get("Type").and_then(Value::as_str) {
        Some("Succeed" | "Fail") => return Ok(()),
        Some("Choice") => {
            let Some(obj) = a.as_object_mut() else {
                return Ok(());
            };
            if obj.contains_key("Default") {
                return Ok(());
            }
            obj.insert("Default".into(), Value::String(entry.clone()));
            None
        }
        _ => {
            let old = a.get("Next").and_then(Value::as_str).map(str::to_string);
            set_next(&mut a, Some(entry));
            old
        }
    };
    tx.put(root, sp, after, Some(a), None)?;
    for (name, mut st) in pasted.iter().zip(values) {
        if is_terminal_kind(&st) {
            continue;
        }
        let next = st.get("Next").and_then(Value::as_str);
        let ends = st.get("End") == Some(&Value::Bool(true));
        let exits = ends || next.is_some_and(|n| !pasted.iter().any(|p| p == n));
        if exits && (old_next.is_some() || !ends) {
            set_next(&mut st, old_next.as_deref());
            tx.put(root, sp, name, Some(st), None)?;
        }
    }
    Ok(())
}

fn index_after(root: &Value, sp: &str, after: Option<&str>) -> Option<usize> {
    let states = states_of(root, sp)?;
    after.and_then(|a| index_of(states, a)).map(|i| i + 1)
}

fn structural(root: &mut Value, edit: Edit, tx: &mut Tx) -> Result<(), EditError> {
    match edit {
        Edit::ReplaceText { .. } | Edit::SpliceText { .. } | Edit::Batch { .. } => {
            // Handled by `apply` / `apply_value`; a text edit inside a batch is not structural.
            Err(EditError::NotParsed)
        }
        Edit::Put {
            object,
            key,
            value,
            index,
        } => tx.put(root, &object, &key, value, index).map(|_| ()),
        Edit::AddState {
            scope,
            name,
            state,
            after,
        } => {
            check_new_name(root, &name)?;
            if !state.is_object() {
                return Err(EditError::NotAnObject(name));
            }
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            if let Some(a) = &after {
                get_state(root, &sp, a)?;
            }
            let mut state = state;
            if after.is_none()
                && !is_terminal_kind(&state)
                && state.get("Next").is_none()
                && state.get("End").is_none()
                && let Some(o) = state.as_object_mut()
            {
                o.insert("End".into(), Value::Bool(true));
            }
            let index = index_after(root, &sp, after.as_deref());
            tx.put(root, &sp, &name, Some(state), index)?;
            if let Some(a) = &after {
                link_after(root, tx, &sp, a, &name)?;
            }
            ensure_start(root, tx, &m, &sp, &name)
        }
        Edit::RemoveState { scope, name } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            detach(root, tx, &m, &sp, &name)?;
            tx.put(root, &sp, &name, None, None)?;
            Ok(())
        }
        Edit::RenameState { scope, from, to } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            let st = get_state(root, &sp, &from)?;
            if from == to {
                return Ok(());
            }
            check_new_name(root, &to)?;
            let index = states_of(root, &sp).and_then(|s| index_of(s, &from));
            tx.put(root, &sp, &from, None, None)?;
            tx.put(root, &sp, &to, Some(st), index)?;
            let names: Vec<String> = states_of(root, &sp)
                .map(|s| s.keys().cloned().collect())
                .unwrap_or_default();
            for n in names {
                let mut st = get_state(root, &sp, &n)?;
                if retarget(&mut st, &from, Some(&to)) {
                    tx.put(root, &sp, &n, Some(st), None)?;
                }
            }
            let start = root
                .pointer(&m)
                .and_then(|v| v.get("StartAt"))
                .and_then(Value::as_str);
            if start == Some(from.as_str()) {
                tx.put(root, &m, "StartAt", Some(Value::String(to)), None)?;
            }
            Ok(())
        }
        Edit::SetTransition {
            scope,
            state,
            transition,
            target,
        } => {
            let (_, sp) = scope_ptrs(root, tx, &scope)?;
            let mut st = get_state(root, &sp, &state)?;
            if let Some(t) = &target {
                get_state(root, &sp, t)?;
            }
            let no_such = || EditError::NoSuchTransition(state.clone());
            match transition {
                Transition::Next => set_next(&mut st, target.as_deref()),
                Transition::Default => {
                    let obj = st.as_object_mut().ok_or_else(no_such)?;
                    match target {
                        Some(t) => {
                            obj.insert("Default".into(), Value::String(t));
                        }
                        None => {
                            obj.shift_remove("Default");
                        }
                    }
                }
                Transition::Choice(i) | Transition::Catch(i) => {
                    let key = if matches!(transition, Transition::Choice(_)) {
                        "Choices"
                    } else {
                        "Catch"
                    };
                    let rule = st
                        .get_mut(key)
                        .and_then(Value::as_array_mut)
                        .and_then(|l| l.get_mut(i))
                        .and_then(Value::as_object_mut)
                        .ok_or_else(no_such)?;
                    let t = target.ok_or_else(no_such)?;
                    rule.insert("Next".into(), Value::String(t));
                }
            }
            tx.put(root, &sp, &state, Some(st), None)?;
            Ok(())
        }
        Edit::SetStartAt { scope, name } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            get_state(root, &sp, &name)?;
            tx.put(root, &m, "StartAt", Some(Value::String(name)), None)?;
            Ok(())
        }
        Edit::SetField {
            scope,
            state,
            field,
            value,
        } => {
            let (_, sp) = scope_ptrs(root, tx, &scope)?;
            let st = get_state(root, &sp, &state)?;
            if !st.is_object() {
                return Err(EditError::NotAnObject(state));
            }
            tx.put(root, &state_ptr(&sp, &state), &field, value, None)?;
            Ok(())
        }
        Edit::SetMachineField {
            scope,
            field,
            value,
        } => {
            let (m, _) = scope_ptrs(root, tx, &scope)?;
            tx.put(root, &m, &field, value, None)?;
            Ok(())
        }
        Edit::MoveState { scope, name, after } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            get_state(root, &sp, &name)?;
            if after.as_deref() == Some(name.as_str()) {
                return Ok(());
            }
            if let Some(a) = &after {
                get_state(root, &sp, a)?;
            }
            detach(root, tx, &m, &sp, &name)?;
            match &after {
                Some(a) => {
                    let st = get_state(root, &sp, &name)?;
                    let index = index_after(root, &sp, Some(a));
                    let cur = states_of(root, &sp).and_then(|s| index_of(s, &name));
                    let index = match (index, cur) {
                        (Some(i), Some(c)) if c < i => Some(i - 1),
                        (i, _) => i,
                    };
                    tx.put(root, &sp, &name, Some(st), index)?;
                    link_after(root, tx, &sp, a, &name)
                }
                None => {
                    let old_start = root
                        .pointer(&m)
                        .and_then(|v| v.get("StartAt"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    let mut st = get_state(root, &sp, &name)?;
                    if !is_terminal_kind(&st) {
                        set_next(&mut st, old_start.as_deref().filter(|s| *s != name));
                    }
                    tx.put(root, &sp, &name, Some(st), Some(0))?;
                    tx.put(root, &m, "StartAt", Some(Value::String(name)), None)?;
                    Ok(())
                }
            }
        }
        Edit::InsertOnTransition {
            scope,
            from,
            transition,
            name,
            state,
        } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            get_state(root, &sp, &from)?;
            if name == from {
                return Err(EditError::CannotLink(name));
            }
            let target_of = |root: &Value| -> Result<Option<String>, EditError> {
                let st = get_state(root, &sp, &from)?;
                transition_target(&st, transition)
                    .ok_or_else(|| EditError::NoSuchTransition(from.clone()))
            };
            match state {
                Some(new) => {
                    check_new_name(root, &name)?;
                    if !new.is_object() {
                        return Err(EditError::NotAnObject(name));
                    }
                    let old = target_of(root)?;
                    let mut new = new;
                    flow_on(&mut new, old.as_deref());
                    let index = index_after(root, &sp, Some(&from));
                    tx.put(root, &sp, &name, Some(new), index)?;
                }
                None => {
                    let mut me = get_state(root, &sp, &name)?;
                    if target_of(root)?.as_deref() == Some(name.as_str()) {
                        return Ok(());
                    }
                    detach(root, tx, &m, &sp, &name)?;
                    let old = target_of(root)?;
                    if old.as_deref() == Some(name.as_str()) {
                        return Err(EditError::CannotLink(name));
                    }
                    if !is_terminal_kind(&me) {
                        set_next(&mut me, old.as_deref());
                        tx.put(root, &sp, &name, Some(me), None)?;
                    }
                }
            }
            let mut st = get_state(root, &sp, &from)?;
            if !set_transition(&mut st, transition, Some(&name)) {
                return Err(EditError::NoSuchTransition(from));
            }
            tx.put(root, &sp, &from, Some(st), None)?;
            Ok(())
        }
        Edit::ReorderState { scope, name, index } => {
            let (_, sp) = scope_ptrs(root, tx, &scope)?;
            let st = get_state(root, &sp, &name)?;
            tx.put(root, &sp, &name, Some(st), Some(index))?;
            Ok(())
        }
        Edit::DuplicateState {
            scope,
            name,
            new_name,
        } => {
            let (_, sp) = scope_ptrs(root, tx, &scope)?;
            let mut st = get_state(root, &sp, &name)?;
            check_new_name(root, &new_name)?;
            let mut taken = all_names(root);
            taken.insert(new_name.clone());
            freshen_nested(&mut st, &mut taken, 0);
            let index = index_after(root, &sp, Some(&name));
            tx.put(root, &sp, &new_name, Some(st), index)?;
            Ok(())
        }
        Edit::PasteStates {
            scope,
            states,
            after,
        } => {
            let (m, sp) = scope_ptrs(root, tx, &scope)?;
            if let Some(a) = &after {
                get_state(root, &sp, a)?;
            }
            let mut taken = all_names(root);
            let renames = paste_names(&taken, &states);
            taken.extend(renames.values().cloned());
            let mut index = index_after(root, &sp, after.as_deref());
            let mut first = None;
            let pasted: Vec<String> = states
                .keys()
                .filter_map(|k| renames.get(k).cloned())
                .collect();
            for (old, st) in states {
                let Some(new) = renames.get(&old).cloned() else {
                    continue;
                };
                if new.is_empty() {
                    return Err(EditError::EmptyName);
                }
                let mut st = st;
                if !st.is_object() {
                    return Err(EditError::NotAnObject(old));
                }
                for (o, n) in &renames {
                    if o != n {
                        retarget(&mut st, o, Some(n));
                    }
                }
                freshen_nested(&mut st, &mut taken, 0);
                tx.put(root, &sp, &new, Some(st), index)?;
                index = index.map(|i| i + 1);
                first.get_or_insert(new);
            }
            if let Some(a) = &after {
                link_pasted(root, tx, &sp, a, &pasted)?;
            }
            match first {
                Some(f) => ensure_start(root, tx, &m, &sp, &f),
                None => Ok(()),
            }
        }
    }
}

/// Gives every state nested in `state` (Parallel branches, a Map's processor) a name not in `taken`,
/// updating `StartAt` and the transitions of its own scope, so a copied container does not duplicate
/// names (ASL wants them unique machine-wide). The names used are added to `taken`.
fn freshen_nested(state: &mut Value, taken: &mut BTreeSet<String>, depth: usize) {
    if depth > crate::graph::MAX_DEPTH {
        return;
    }
    let machines: Vec<&mut Value> = match state.as_object_mut() {
        None => Vec::new(),
        Some(obj) => {
            if obj.get("Branches").is_some_and(Value::is_array) {
                obj.get_mut("Branches")
                    .and_then(Value::as_array_mut)
                    .map(|b| b.iter_mut().collect())
                    .unwrap_or_default()
            } else {
                let key = ["ItemProcessor", "Iterator"]
                    .into_iter()
                    .find(|k| obj.contains_key(*k));
                key.and_then(|k| obj.get_mut(k)).into_iter().collect()
            }
        }
    };
    for machine in machines {
        let Some(states) = machine.get_mut("States").and_then(Value::as_object_mut) else {
            continue;
        };
        let mut renames: Vec<(String, String)> = Vec::new();
        for name in states.keys() {
            if taken.contains(name) {
                let new = unique_name(taken, name);
                taken.insert(new.clone());
                renames.push((name.clone(), new));
            } else {
                taken.insert(name.clone());
            }
        }
        if !renames.is_empty() {
            let old = std::mem::take(states);
            for (k, mut v) in old {
                for (from, to) in &renames {
                    retarget(&mut v, from, Some(to));
                }
                let k = renames
                    .iter()
                    .find(|(from, _)| *from == k)
                    .map_or(k, |(_, to)| to.clone());
                states.insert(k, v);
            }
        }
        for v in states.values_mut() {
            freshen_nested(v, taken, depth + 1);
        }
        if let Some(start) = machine.get("StartAt").and_then(Value::as_str)
            && let Some((_, to)) = renames.iter().find(|(from, _)| from == start)
        {
            let to = to.clone();
            if let Some(o) = machine.as_object_mut() {
                o.insert("StartAt".into(), Value::String(to));
            }
        }
    }
}

/// Sets `StartAt` to `name` when the scope has none or it points at no state.
fn ensure_start(
    root: &mut Value,
    tx: &mut Tx,
    m: &str,
    sp: &str,
    name: &str,
) -> Result<(), EditError> {
    let start = root
        .pointer(m)
        .and_then(|v| v.get("StartAt"))
        .and_then(Value::as_str);
    let valid = start.is_some_and(|s| states_of(root, sp).is_some_and(|st| st.contains_key(s)));
    if !valid {
        tx.put(
            root,
            m,
            "StartAt",
            Some(Value::String(name.to_string())),
            None,
        )?;
    }
    Ok(())
}

/// The names pasted states get: their own, or a numbered one when taken (in `taken` or by an earlier
/// pasted state).
pub fn paste_names(
    taken: &BTreeSet<String>,
    states: &Map<String, Value>,
) -> HashMap<String, String> {
    let mut taken = taken.clone();
    let mut out = HashMap::new();
    for name in states.keys() {
        let new = unique_name(&taken, name);
        taken.insert(new.clone());
        out.insert(name.clone(), new);
    }
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) use super::tests::random_edit;
}
