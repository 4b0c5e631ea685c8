//! The interpreter: runs a state machine on the virtual clock, emitting AWS's history events (JSONata states
//! are evaluated in `jsonata_state`, sharing Retry, Task, Parallel and Map machinery from here).
//!
//! States run recursively (Parallel branches and Map iterations one after another, each starting at the
//! time its slot frees up); every event goes to one ordered list, so the whole run is deterministic.

use super::choice::{self, Lookup};
use super::history::{Details, Event, Kind, state_kind};
use super::mocks::{MockResult, Mocks};
use super::parsed::{MAX_TEMPLATE_DEPTH, Parsed, Tpl, field, same_key};
use super::text::Text;
use super::time::{format_timestamp, parse_timestamp};
use super::{Options, payload};
use crate::intrinsics::{self, Intrinsic, SplitMix64};
use crate::jsonpath::{self, Root};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The effective input as an owned value: the raw input itself (moved, not copied, when the state owns it)
/// when InputPath selected all of it.
macro_rules! owned_effective {
    ($effective:ident, $raw:ident) => {
        if matches!($effective, Cow::Borrowed(_)) {
            drop($effective);
            $raw.into_owned()
        } else {
            $effective.into_owned()
        }
    };
}

/// Why a state (or the execution) failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: Option<String>,
    pub cause: Option<String>,
    pub kind: FailureKind,
}

/// How a failure may be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// A state error: Retry and Catch apply.
    Normal,
    /// States.Runtime and limits: always fails the execution.
    Fatal,
    /// The execution's own TimeoutSeconds elapsed.
    ExecutionTimedOut,
}

impl Failure {
    pub fn new(error: &str, cause: impl Into<String>) -> Failure {
        Failure {
            error: Some(error.to_string()),
            cause: Some(cause.into()),
            kind: FailureKind::Normal,
        }
    }

    fn fatal(error: &str, cause: impl Into<String>) -> Failure {
        Failure {
            kind: FailureKind::Fatal,
            ..Failure::new(error, cause)
        }
    }

    /// `{"Error": ..., "Cause": ...}` as a Catch passes it on.
    pub fn output(&self) -> Value {
        let mut m = Map::new();
        if let Some(e) = &self.error {
            m.insert("Error".into(), json!(e));
        }
        if let Some(c) = &self.cause {
            m.insert("Cause".into(), json!(c));
        }
        Value::Object(m)
    }
}

/// Per-state facts used for `$$.State` and error messages.
#[derive(Debug, Clone)]
pub(crate) struct StateCtx<'n> {
    pub name: &'n str,
    /// The name as the history's events share it (a run that keeps no history has none).
    pub shared: Option<Arc<str>>,
    pub entered_ms: i64,
    pub entered_id: u64,
    pub retry_count: u32,
    /// Task, Parallel and Map states carry `$$.State.RetryCount`; the others do not.
    pub retryable: bool,
    pub map_item: Option<(usize, Arc<Value>)>,
    pub task_token: Option<String>,
}

/// A JSONata Task's evaluated Arguments and time limits.
pub(crate) struct TaskPre {
    pub args: Value,
    pub timeout: Option<f64>,
    pub heartbeat: Option<f64>,
}

/// Map's concurrency and tolerated failures.
pub(crate) struct MapSettings {
    pub max_conc: usize,
    pub tolerated_count: Option<i64>,
    pub tolerated_pct: Option<f64>,
}

pub(crate) enum Flow<'d> {
    /// The next state's name (borrowed from the definition) and its input.
    Next(&'d str, Value),
    End(Value),
}

pub(crate) struct Engine<'a> {
    pub opts: &'a Options,
    pub mocks: &'a Mocks,
    /// The history, when kept (`record`).
    pub events: Vec<Event>,
    /// Events emitted so far, kept or not: ids, the event limit and progress count them.
    pub count: usize,
    /// Whether events are kept (and payload texts written for them). A run without history
    /// ([`super::run_outcome`]) counts its events and measures its payloads the same way, and so ends the
    /// same way, with the same outcome.
    pub record: bool,
    pub now: i64,
    pub rng: SplitMix64,
    pub invocations: BTreeMap<String, usize>,
    pub transitions: u64,
    pub warnings: Vec<String>,
    pub peak_payload: usize,
    pub deadline: Option<i64>,
    /// The definition's top-level `QueryLanguage` is JSONata.
    pub jsonata_default: bool,
    /// `$$.Execution`, built the first time a path reads the context object.
    exec: std::rc::Rc<ExecCell>,
    /// Paths and intrinsic calls parsed once per run.
    pub(crate) parsed: Parsed,
    /// The JSON text of the input of the state about to run, when known (see `out_text`).
    in_text: Option<Text>,
    /// The JSON text of the last `*StateExited` event's output and that event's id: the next state's input
    /// is that very value, so its `*StateEntered` event shares the text.
    out_text: Option<(Text, u64)>,
    /// Told the number of events and the state last entered every `observe_every` events (progress).
    pub(crate) observer: Option<Observer<'a>>,
    pub(crate) observe_every: usize,
    /// The state last entered (for the observer).
    current: Option<Arc<str>>,
    /// A run without history: the text length of the results array the last Map returned, summed from its
    /// iterations' outputs, and the event count when it returned (valid only right then).
    map_result: Option<(usize, usize)>,
}

/// What [`super::run_observed`] calls with the number of events so far and the state last entered.
pub(crate) type Observer<'a> = &'a mut (dyn FnMut(usize, &str) + 'a);

/// The execution part of the context object: its input is kept as the text of ExecutionStarted and read back
/// only when a path asks for `$$.Execution`.
pub(crate) struct ExecCell {
    input_text: Arc<str>,
    /// The input itself when a run without history did not write its text.
    input_value: Option<std::rc::Rc<Value>>,
    value: OnceCell<Value>,
}

/// Workflow variables: a state's own scope plus read access to the enclosing ones (Parallel branches and Map
/// iterations see outer variables; what they assign stays inside).
pub(crate) struct Vars<'p> {
    pub local: Map<String, Value>,
    parent: Option<&'p Vars<'p>>,
}

impl<'p> Vars<'p> {
    pub(crate) fn root(local: Map<String, Value>) -> Vars<'static> {
        Vars {
            local,
            parent: None,
        }
    }

    pub(crate) fn child(&self) -> Vars<'_> {
        Vars {
            local: Map::new(),
            parent: Some(self),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        let mut cur = Some(self);
        while let Some(v) = cur {
            if let Some(x) = v.local.get(name) {
                return Some(x);
            }
            cur = v.parent;
        }
        None
    }

    /// Every visible variable, inner scopes shadowing outer ones.
    pub(crate) fn all(&self) -> Map<String, Value> {
        let mut chain = Vec::new();
        let mut cur = Some(self);
        while let Some(v) = cur {
            chain.push(v);
            cur = v.parent;
        }
        let mut out = Map::new();
        for v in chain.into_iter().rev() {
            for (k, x) in &v.local {
                out.insert(k.clone(), x.clone());
            }
        }
        out
    }

    pub(crate) fn extend(&mut self, m: Map<String, Value>) {
        self.local.extend(m);
    }
}

/// The context object of one state, assembled on first use.
pub(crate) struct Ctx<'o> {
    opts: &'o Options,
    exec: std::rc::Rc<ExecCell>,
    state: &'o StateCtx<'o>,
    cell: OnceCell<Value>,
}

impl Ctx<'_> {
    pub(crate) fn get(&self) -> &Value {
        self.cell.get_or_init(|| {
            let o = self.opts;
            if let Some(c) = &o.context {
                return c.clone();
            }
            let execution = self
                .exec
                .value
                .get_or_init(|| {
                    json!({
                        "Id": execution_arn(o),
                        "Input": match &self.exec.input_value {
                            Some(v) => Value::clone(v),
                            None => serde_json::from_str::<Value>(&self.exec.input_text).unwrap_or(Value::Null),
                        },
                        "StartTime": format_timestamp(o.start_time_ms),
                        "Name": o.execution_name,
                        "RoleArn": format!("arn:aws:iam::{}:role/StatewrightSimulator", o.account),
                        "RedriveCount": 0,
                    })
                })
                .clone();
            let s = self.state;
            let mut m = Map::new();
            m.insert("Execution".into(), execution);
            m.insert(
                "StateMachine".into(),
                json!({"Id": state_machine_arn(o), "Name": o.state_machine_name}),
            );
            m.insert(
                "State".into(),
                if s.retryable {
                    json!({"Name": s.name, "EnteredTime": format_timestamp(s.entered_ms), "RetryCount": s.retry_count})
                } else {
                    json!({"Name": s.name, "EnteredTime": format_timestamp(s.entered_ms)})
                },
            );
            if let Some(t) = &s.task_token {
                m.insert("Task".into(), json!({"Token": t}));
            }
            if let Some((i, v)) = &s.map_item {
                m.insert("Map".into(), json!({"Item": {"Index": i, "Value": **v}}));
            }
            Value::Object(m)
        })
    }
}

fn execution_arn(o: &Options) -> String {
    format!(
        "arn:aws:states:{}:{}:execution:{}:{}",
        o.region, o.account, o.state_machine_name, o.execution_name
    )
}

fn state_machine_arn(o: &Options) -> String {
    format!(
        "arn:aws:states:{}:{}:stateMachine:{}",
        o.region, o.account, o.state_machine_name
    )
}

const MAX_NESTING: usize = 16;

impl<'a> Engine<'a> {
    /// An engine for one run; `input_text` is the execution input as JSON text (for `$$.Execution.Input`).
    pub fn new(opts: &'a Options, mocks: &'a Mocks, input_text: Arc<str>) -> Engine<'a> {
        Engine {
            opts,
            mocks,
            events: Vec::new(),
            count: 0,
            record: true,
            now: opts.start_time_ms,
            rng: SplitMix64(opts.seed),
            invocations: BTreeMap::new(),
            transitions: 0,
            warnings: Vec::new(),
            peak_payload: 0,
            deadline: None,
            jsonata_default: false,
            exec: std::rc::Rc::new(ExecCell {
                input_text,
                input_value: None,
                value: OnceCell::new(),
            }),
            parsed: Parsed::default(),
            in_text: None,
            out_text: None,
            observer: None,
            observe_every: 0,
            current: None,
            map_result: None,
        }
    }

    /// Give `$$.Execution.Input` the input itself (a run without history writes no text of it).
    pub(crate) fn set_input_value(&mut self, input: std::rc::Rc<Value>) {
        self.exec = std::rc::Rc::new(ExecCell {
            input_text: self.exec.input_text.clone(),
            input_value: Some(input),
            value: OnceCell::new(),
        });
    }

    pub fn emit(&mut self, kind: &'static str, details: Value) -> Result<u64, Failure> {
        self.emit_noted(kind, details, None)
    }

    pub(crate) fn emit_noted(
        &mut self,
        kind: &'static str,
        details: Value,
        note: Option<String>,
    ) -> Result<u64, Failure> {
        let details = if details.is_null() {
            Details::None
        } else {
            Details::Json(Box::new(details))
        };
        self.push_event(kind.into(), details, note)
    }

    /// Append an event unless the history is full.
    pub(crate) fn push_event(
        &mut self,
        kind: Kind,
        details: Details,
        note: Option<String>,
    ) -> Result<u64, Failure> {
        if self.count >= self.opts.limits.max_events {
            return Err(Failure::fatal(
                "States.Runtime",
                format!(
                    "The execution reached the maximum number of history events ({}).",
                    self.opts.limits.max_events
                ),
            ));
        }
        let id = self.count as u64 + 1;
        if self.observe_every > 0
            && self.count.is_multiple_of(self.observe_every)
            && let Some(observe) = self.observer.as_mut()
        {
            observe(self.count, self.current.as_deref().unwrap_or(""));
        }
        self.count += 1;
        if !self.record {
            return Ok(id);
        }
        self.events.push(Event {
            id,
            // AWS: the first state's event after ExecutionStarted points back to 0.
            previous_event_id: if id == 2 { 0 } else { id - 1 },
            timestamp_ms: self.now,
            kind,
            details,
            note,
        });
        Ok(id)
    }

    /// The text of the value the last event (a `*StateExited`) carried, if it is still the last event.
    pub(crate) fn take_out_text(&mut self) -> Option<Text> {
        match self.out_text.take() {
            Some((t, id)) if id == self.count as u64 => Some(t),
            _ => None,
        }
    }

    pub fn state_machine_arn(&self) -> String {
        state_machine_arn(self.opts)
    }

    /// The context object `$$` for a state; built only when a `$$` path reads it.
    pub(crate) fn context<'s>(&self, s: &'s StateCtx<'_>) -> Ctx<'s>
    where
        'a: 's,
    {
        Ctx {
            opts: self.opts,
            exec: self.exec.clone(),
            state: s,
            cell: OnceCell::new(),
        }
    }

    pub(crate) fn runtime(&self, s: &StateCtx, msg: impl std::fmt::Display) -> Failure {
        Failure::fatal(
            "States.Runtime",
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {msg}",
                s.name, s.entered_id
            ),
        )
    }

    pub(crate) fn check_size(&mut self, s: &StateCtx, v: &Value) -> Result<(), Failure> {
        self.check_depth(s, v)?;
        let n = payload::size(v);
        self.check_bytes(s, n)
    }

    /// [`Self::check_size`] that also returns the value's JSON text (for the exit event).
    pub(crate) fn check_text(&mut self, s: &StateCtx, v: &Value) -> Result<Text, Failure> {
        if !self.record {
            return match payload::size_and_depth(v, payload::MAX_DEPTH) {
                Some((n, depth)) => self.check_bytes(s, n).map(|()| Text::sized_at(n, depth)),
                None => self.check_depth(s, v).map(|()| Text::UNKNOWN),
            };
        }
        // One pass: the text, or the depth failure.
        let Some(text) = payload::text_within(v, payload::MAX_DEPTH) else {
            return self
                .check_depth(s, v)
                .map(|()| payload::shared_text(v).into());
        };
        self.check_bytes(s, text.len())?;
        Ok(Text::checked(text))
    }

    /// A value's text for an event, its size and nesting not checked ([`Text::UNKNOWN`] without history).
    pub(crate) fn unchecked_text(&self, v: &Value) -> Text {
        if self.record {
            payload::shared_text(v).into()
        } else {
            Text::UNKNOWN
        }
    }

    fn check_depth(&self, s: &StateCtx, v: &Value) -> Result<(), Failure> {
        if payload::depth(v) > payload::MAX_DEPTH {
            return Err(Failure::fatal(
                "States.DataLimitExceeded",
                format!(
                    "The state/task '{}' returned a result nested deeper than {} levels.",
                    s.name,
                    payload::MAX_DEPTH
                ),
            ));
        }
        Ok(())
    }

    fn check_bytes(&mut self, s: &StateCtx, n: usize) -> Result<(), Failure> {
        self.peak_payload = self.peak_payload.max(n);
        if n > self.opts.limits.max_payload_bytes {
            return Err(Failure::fatal(
                "States.DataLimitExceeded",
                format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    s.name
                ),
            ));
        }
        Ok(())
    }

    /// AWS's variable limits: one variable's value at most 256 KiB, one Assign's values together at most
    /// 256 KiB.
    pub(crate) fn check_assign_size(
        &self,
        s: &StateCtx,
        assigned: &Map<String, Value>,
    ) -> Result<(), Failure> {
        const MAX: usize = 256 * 1024;
        let mut total = 0usize;
        for (k, v) in assigned {
            let n = payload::size(v);
            if n > MAX {
                return Err(self.runtime(
                    s,
                    format!("The variable '{k}' exceeds the maximum size of 256 KiB."),
                ));
            }
            total = total.saturating_add(n);
        }
        if total > MAX {
            return Err(self.runtime(
                s,
                "The variables assigned by the state exceed the maximum total size of 256 KiB.",
            ));
        }
        Ok(())
    }

    /// Run a whole (sub-)machine: `StartAt` to an end state.
    /// `input_text` is the input's JSON text when the caller has it already. A borrowed input (a Map's item)
    /// is copied only if a state needs its own copy.
    pub fn run_machine(
        &mut self,
        machine: &Value,
        input: Cow<'_, Value>,
        input_text: Option<Text>,
        vars: &mut Vars<'_>,
        depth: usize,
    ) -> Result<Value, Failure> {
        if depth > MAX_NESTING {
            return Err(Failure::fatal(
                "States.Runtime",
                "Parallel/Map states are nested too deeply.",
            ));
        }
        let states = field(machine, "States")
            .and_then(Value::as_object)
            .ok_or_else(|| Failure::fatal("States.Runtime", "The state machine has no States."))?;
        let mut current = field(machine, "StartAt")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::fatal("States.Runtime", "The state machine has no StartAt."))?;
        let mut input = input;
        let mut input_text = input_text;
        loop {
            let state = state_named(states, current).ok_or_else(|| {
                Failure::fatal(
                    "States.Runtime",
                    format!("The state '{current}' does not exist."),
                )
            })?;
            self.in_text = input_text.take();
            let flow = self.run_state(current, state, input, vars, depth)?;
            // The state's last event is its exit with the flow's value: reuse that text.
            input_text = self.take_out_text();
            if let Some(d) = self.deadline
                && self.now > d
            {
                self.now = d;
                return Err(Failure {
                    error: Some("States.Timeout".into()),
                    cause: None,
                    kind: FailureKind::ExecutionTimedOut,
                });
            }
            match flow {
                Flow::Next(n, out) => {
                    current = n;
                    input = Cow::Owned(out);
                }
                Flow::End(out) => {
                    // Kept for the caller (ExecutionSucceeded shows the same text).
                    self.out_text = input_text.map(|t| (t, self.count as u64));
                    return Ok(out);
                }
            }
        }
    }

    pub(crate) fn next_of(state: &Value, output: Value) -> Flow<'_> {
        match field(state, "Next").and_then(Value::as_str) {
            Some(n) => Flow::Next(n, output),
            None => Flow::End(output),
        }
    }

    pub(crate) fn run_state<'d>(
        &mut self,
        name: &str,
        state: &'d Value,
        raw: Cow<'_, Value>,
        vars: &mut Vars<'_>,
        depth: usize,
    ) -> Result<Flow<'d>, Failure> {
        let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
        let input_text = match self.in_text.take() {
            Some(t) => t,
            None if self.record => Text::of(&raw),
            None => Text::UNKNOWN,
        };
        // The name the events share (from the plan's table: no allocation), when something keeps it.
        let shared_name: Option<Arc<str>> = (self.record || self.observe_every > 0).then(|| {
            self.parsed
                .table()
                .and_then(|t| t.state_name(state, name))
                .unwrap_or_else(|| Arc::from(name))
        });
        if self.observe_every > 0 {
            self.current = shared_name.clone();
        }
        let details = match (&shared_name, self.record) {
            (Some(n), true) => Details::Entered {
                name: n.clone(),
                input: input_text.clone(),
            },
            _ => Details::None,
        };
        let entered_id = self.push_event(state_kind(ty, true), details, None)?;
        self.transitions += 1;
        let mut sctx = StateCtx {
            name,
            shared: shared_name,
            entered_ms: self.now,
            entered_id,
            retry_count: 0,
            retryable: matches!(ty, "Task" | "Parallel" | "Map"),
            map_item: None,
            task_token: None,
        };
        let query_language = field(state, "QueryLanguage")
            .and_then(Value::as_str)
            .unwrap_or(if self.jsonata_default {
                "JSONata"
            } else {
                "JSONPath"
            });
        if query_language == "JSONata" {
            return self.run_state_jsonata(name, state, raw.into_owned(), vars, &mut sctx, depth);
        }
        match ty {
            "Pass" => {
                let effective = self.input_path(state, &raw, vars, &sctx)?;
                let result = if let Some(r) = field(state, "Result") {
                    r.clone()
                } else if let Some(p) = field(state, "Parameters") {
                    self.template(p, &effective, vars, &sctx, "Parameters")?
                } else {
                    effective.into_owned()
                };
                self.finish(state, raw, Some(&input_text), result, None, vars, &sctx)
            }
            "Succeed" => {
                let effective = self.input_path(state, &raw, vars, &sctx)?;
                let effective = owned_effective!(effective, raw);
                let out = self.output_path(state, effective, vars, &sctx)?;
                let text = self.check_text(&sctx, &out)?;
                self.emit_exited(ty, &sctx, text, None)?;
                Ok(Flow::End(out))
            }
            "Fail" => {
                let ctx = self.context(&sctx);
                let pick = |field: &str,
                            path_field: &str,
                            e: &mut Self|
                 -> Result<Option<String>, Failure> {
                    if let Some(v) = state.get(field) {
                        return Ok(v.as_str().map(str::to_string));
                    }
                    let Some(p) = state.get(path_field).and_then(Value::as_str) else {
                        return Ok(None);
                    };
                    let v = e.path_or_intrinsic(p, &raw, &ctx, vars, &sctx, path_field)?;
                    match v {
                        Value::String(s) => Ok(Some(s)),
                        other => Err(e.runtime(
                            &sctx,
                            format!(
                                "The {path_field} field must resolve to a string, got: {other}"
                            ),
                        )),
                    }
                };
                let error = pick("Error", "ErrorPath", self)?;
                let cause = pick("Cause", "CausePath", self)?;
                Err(Failure {
                    error,
                    cause,
                    kind: FailureKind::Normal,
                })
            }
            "Choice" => self.choice(name, state, raw, &input_text, vars, &sctx),
            "Wait" => self.wait(state, raw, vars, &sctx),
            "Task" | "Parallel" | "Map" => {
                let effective = self.input_path(state, &raw, vars, &sctx)?;
                let mut counters = vec![
                    0u32;
                    field(state, "Retry")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                ];
                loop {
                    let attempt = match ty {
                        "Task" => self.task_attempt(name, state, &effective, vars, &mut sctx, None),
                        "Parallel" => {
                            self.parallel_attempt(name, state, &effective, vars, &sctx, depth)
                        }
                        _ => self.map_attempt(name, state, &effective, vars, &sctx, depth),
                    };
                    // The results array's text length, when the Map just returned it and knew it.
                    let known = match self.map_result.take() {
                        Some((n, at)) if at == self.count && ty == "Map" => Some(n),
                        _ => None,
                    };
                    let failure = match attempt {
                        Ok(result) => {
                            let (selected, known) = match field(state, "ResultSelector") {
                                Some(sel) => (
                                    self.template(sel, &result, vars, &sctx, "ResultSelector")?,
                                    None,
                                ),
                                None => (result, known),
                            };
                            return match self.finish(
                                state,
                                Cow::Borrowed(&*raw),
                                Some(&input_text),
                                selected,
                                known,
                                vars,
                                &sctx,
                            ) {
                                // e.g. States.ResultPathMatchFailure: the state's catchers apply
                                Err(f) if f.kind == FailureKind::Normal => {
                                    self.catch(state, raw.into_owned(), f, vars, &sctx)
                                }
                                other => other,
                            };
                        }
                        Err(f) => f,
                    };
                    if failure.kind != FailureKind::Normal {
                        return Err(failure);
                    }
                    if let Some(delay_ms) = self.retry_delay(state, &failure, &mut counters) {
                        self.now = self.now.saturating_add(delay_ms);
                        sctx.retry_count += 1;
                        self.transitions += 1;
                        continue;
                    }
                    return self.catch(state, raw.into_owned(), failure, vars, &sctx);
                }
            }
            other => Err(self.runtime(&sctx, format!("Unknown state type '{other}'."))),
        }
    }

    /// The `*StateExited` event; `text` is the output's JSON text.
    pub(crate) fn emit_exited(
        &mut self,
        ty: &str,
        sctx: &StateCtx<'_>,
        text: Text,
        assigned: Option<&Map<String, Value>>,
    ) -> Result<u64, Failure> {
        let assigned = assigned.filter(|_| self.record).map(|a| {
            a.iter()
                .map(|(k, v)| (k.clone(), payload::text(v)))
                .collect::<Box<[_]>>()
        });
        let details = if self.record {
            Details::Exited {
                name: sctx.shared.clone().unwrap_or_else(|| Arc::from(sctx.name)),
                output: text.clone(),
                assigned,
            }
        } else {
            Details::None
        };
        let id = self.push_event(state_kind(ty, false), details, None)?;
        self.out_text = Some((text, id));
        Ok(id)
    }

    /// Assign, ResultPath, OutputPath, the exit event and the transition, after a state produced `result`.
    /// `raw_text` is the text of `raw` (the state's input) when known: a ResultPath merge then derives the
    /// output's text from it instead of writing it.
    #[allow(clippy::too_many_arguments)]
    fn finish<'d>(
        &mut self,
        state: &'d Value,
        raw: Cow<'_, Value>,
        raw_text: Option<&Text>,
        result: Value,
        result_len: Option<usize>,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let result_path = field(state, "ResultPath");
        // Without ResultPath and OutputPath the result is the output: one text serves both checks.
        let same = result_path.is_none() && field(state, "OutputPath").is_none();
        // A ResultPath merge into an input whose text is known: the output's text is derived from it.
        let merge = match (result_path, raw_text) {
            (Some(Value::String(p)), Some(base))
                if field(state, "OutputPath").is_none() && base.depth_checked() =>
            {
                self.parsed.path(p).ok().map(|path| (base, path))
            }
            _ => None,
        };
        let mut derived = None;
        let result_text = if same {
            Some(match result_len {
                // Known within the nesting limit, and of this length.
                Some(n) => {
                    self.check_bytes(sctx, n)?;
                    Text::sized(n)
                }
                None => self.check_text(sctx, &result)?,
            })
        } else {
            // The result's text (or, without history, its length), when it is within the nesting limit at
            // the merge's place.
            let room = merge
                .as_ref()
                .and_then(|(_, path)| payload::MAX_DEPTH.checked_sub(path.segments.len()));
            match (room, &merge) {
                (Some(room), Some((base, path))) if !self.record => {
                    match payload::size_within(&result, room) {
                        Some(n) => {
                            self.check_bytes(sctx, n)?;
                            derived = Text::merged_sized(base, &raw, path, n);
                        }
                        None => self.check_size(sctx, &result)?,
                    }
                }
                (Some(room), Some((base, path))) => match payload::text_within(&result, room) {
                    Some(t) => {
                        self.check_bytes(sctx, t.len())?;
                        derived = Text::merged(base, &raw, path, Arc::from(t));
                    }
                    None => self.check_size(sctx, &result)?,
                },
                _ => self.check_size(sctx, &result)?,
            }
            None
        };
        let assigned = match field(state, "Assign") {
            Some(a) => Some(self.assign(a, &result, vars, sctx)?),
            None => None,
        };
        let with_result = self.result_path(result_path, raw, result, sctx)?;
        let out = self.output_path(state, with_result, vars, sctx)?;
        let text = match (result_text, derived) {
            (Some(t), _) => t,
            (None, Some(t)) => {
                self.check_bytes(sctx, t.len())?;
                t
            }
            (None, None) => self.check_text(sctx, &out)?,
        };
        let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
        self.emit_exited(ty, sctx, text, assigned.as_ref())?;
        if let Some(a) = assigned {
            vars.extend(a);
        }
        Ok(Self::next_of(state, out))
    }

    fn assign(
        &mut self,
        assign: &Value,
        current: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Map<String, Value>, Failure> {
        match self.template(assign, current, vars, sctx, "Assign")? {
            Value::Object(m) => {
                self.check_assign_size(sctx, &m)?;
                Ok(m)
            }
            _ => Err(self.runtime(sctx, "Assign must be an object.")),
        }
    }

    pub(crate) fn input_path<'v>(
        &mut self,
        state: &Value,
        raw: &'v Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Cow<'v, Value>, Failure> {
        match field(state, "InputPath") {
            None => Ok(Cow::Borrowed(raw)),
            Some(Value::Null) => Ok(Cow::Owned(json!({}))),
            Some(Value::String(p)) => self.select_path(p, raw, vars, sctx).map(Cow::Owned),
            Some(_) => Err(self.runtime(sctx, "InputPath must be a string or null.")),
        }
    }

    pub(crate) fn output_path(
        &mut self,
        state: &Value,
        v: Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        match field(state, "OutputPath") {
            None => Ok(v),
            Some(Value::Null) => Ok(json!({})),
            Some(Value::String(p)) => self.select_path(p, &v, vars, sctx),
            Some(_) => Err(self.runtime(sctx, "OutputPath must be a string or null.")),
        }
    }

    /// [`Self::select_path`], borrowing the selected value when the path is plain names and indexes into the
    /// input.
    fn select_ref<'v>(
        &mut self,
        p: &str,
        v: &'v Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Cow<'v, Value>, Failure> {
        if let Ok(path) = self.parsed.path(p)
            && matches!(path.root, Root::Input)
            && let Some(Some(found)) = walk(&path, v)
        {
            return Ok(Cow::Borrowed(found));
        }
        self.select_path(p, v, vars, sctx).map(Cow::Owned)
    }

    /// InputPath/OutputPath/ItemsPath: a path whose absence is a States.Runtime error.
    fn select_path(
        &mut self,
        p: &str,
        v: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        let path = self
            .parsed
            .path(p)
            .map_err(|e| self.runtime(sctx, format!("Invalid path '{p}': {e}")))?;
        let ctx = self.context(sctx);
        match eval_root(&path, v, &ctx, vars) {
            Some(x) => Ok(x),
            None => Err(self.runtime(
                sctx,
                format!(
                    "Invalid path '{p}' : {}",
                    payload::missing_message(&path, v)
                ),
            )),
        }
    }

    /// ResultPath: `raw` (the state's input) is copied only when the result is merged into it.
    pub(crate) fn result_path(
        &mut self,
        rp: Option<&Value>,
        raw: Cow<'_, Value>,
        result: Value,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        match rp {
            None => Ok(result),
            Some(Value::Null) => Ok(raw.into_owned()),
            Some(Value::String(p)) => {
                let path = self
                    .parsed
                    .path(p)
                    .map_err(|e| self.runtime(sctx, format!("Invalid path '{p}': {e}")))?;
                if path.segments.is_empty() {
                    return Ok(result);
                }
                // The message shows the input as it was; only a failing merge needs its text.
                let shown = if payload::can_set(&raw, &path) {
                    String::new()
                } else {
                    payload::text(&raw)
                };
                let mut target = raw.into_owned();
                match payload::set_result(&mut target, &path, result) {
                    Ok(()) => Ok(target),
                    Err(_) => Err(Failure::new(
                        "States.ResultPathMatchFailure",
                        format!(
                            "An error occurred while executing the state '{}' (entered at the event id #{}). Unable to apply ReferencePath {p} to input '{shown}'",
                            sctx.name, sctx.entered_id
                        ),
                    )),
                }
            }
            Some(_) => Err(self.runtime(sctx, "ResultPath must be a string or null.")),
        }
    }

    /// Whether a state runs in JSONata (its own QueryLanguage, else the machine's).
    pub(crate) fn state_jsonata(&self, state: &Value) -> bool {
        match field(state, "QueryLanguage").and_then(Value::as_str) {
            Some(q) => q == "JSONata",
            None => self.jsonata_default,
        }
    }

    /// A template in the state's language: `.$` keys (JSONPath) or `{% %}` strings (JSONata, `$states.input`
    /// being `input`).
    pub(crate) fn any_template(
        &mut self,
        tpl: &Value,
        input: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
        jsonata: bool,
    ) -> Result<Value, Failure> {
        if jsonata {
            let states = super::jsonata_state::States {
                input,
                result: None,
                error_output: None,
            };
            self.jsonata_template(tpl, &states, vars, sctx, field)
        } else {
            self.template(tpl, input, vars, sctx, field)
        }
    }

    /// A payload template (Parameters, ResultSelector, ItemSelector, Assign): `.$` keys are evaluated.
    pub(crate) fn template(
        &mut self,
        tpl: &Value,
        input: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
    ) -> Result<Value, Failure> {
        let ctx = self.context(sctx);
        // The table is lent out while its template is evaluated (evaluating needs no parsing).
        let table = self.parsed.take_table();
        let compiled = table.as_deref().and_then(|t| t.template(tpl));
        let result = compiled.map(|c| self.eval_template(c, input, &ctx, vars, sctx));
        self.parsed.put_table(table);
        match result {
            Some(r) => r,
            None => self.template_rec(tpl, input, &ctx, vars, sctx, field, 0),
        }
    }

    /// A compiled template (see [`Tpl`]): what [`Self::template_rec`] gives for the template it came from.
    fn eval_template(
        &mut self,
        tpl: &Tpl,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        match tpl {
            Tpl::Lit(v) => Ok(v.clone()),
            Tpl::Object(keys, entries) => {
                let mut out = keys.clone();
                for (slot, t) in out.values_mut().zip(entries) {
                    *slot = self.eval_template(t, input, ctx, vars, sctx)?;
                }
                Ok(Value::Object(out))
            }
            Tpl::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for t in items {
                    out.push(self.eval_template(t, input, ctx, vars, sctx)?);
                }
                Ok(Value::Array(out))
            }
            Tpl::Path { path, expr, key } => {
                self.eval_path(path, expr, key, input, ctx, vars, sctx)
            }
            Tpl::Call { call, expr } => self.eval_call(call, expr, input, ctx, vars, sctx),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn template_rec(
        &mut self,
        tpl: &Value,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
        depth: usize,
    ) -> Result<Value, Failure> {
        if depth > MAX_TEMPLATE_DEPTH {
            return Err(self.runtime(sctx, format!("The {field} template is nested too deeply.")));
        }
        match tpl {
            Value::Object(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, v) in m {
                    if let Some(key) = k.strip_suffix(".$") {
                        let Value::String(expr) = v else {
                            return Err(self.runtime(
                                sctx,
                                format!("The value for the field '{k}' must be a STRING that contains a JSONPath or an intrinsic function."),
                            ));
                        };
                        let val = self.path_or_intrinsic(expr, input, ctx, vars, sctx, k)?;
                        out.insert(key.to_string(), val);
                    } else {
                        out.insert(
                            k.clone(),
                            self.template_rec(v, input, ctx, vars, sctx, field, depth + 1)?,
                        );
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for v in a {
                    out.push(self.template_rec(v, input, ctx, vars, sctx, field, depth + 1)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// The value of a `.$` field (or an ErrorPath/CausePath): a path or an intrinsic call.
    fn path_or_intrinsic(
        &mut self,
        expr: &str,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        key: &str,
    ) -> Result<Value, Failure> {
        let trimmed = expr.trim();
        if intrinsics::looks_like_call(trimmed) {
            let call = self
                .parsed
                .call(trimmed)
                .map_err(|e| self.runtime(sctx, e.message))?;
            return self.eval_call(&call, expr, input, ctx, vars, sctx);
        }
        let path = self.parsed.path(trimmed).map_err(|e| {
            self.runtime(
                sctx,
                format!("The JSONPath '{expr}' specified for the field '{key}' is invalid: {e}"),
            )
        })?;
        self.eval_path(&path, expr, key, input, ctx, vars, sctx)
    }

    /// An intrinsic call's value; `expr` is its text as written.
    fn eval_call(
        &mut self,
        call: &Intrinsic,
        expr: &str,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        let mut env = IntrinsicEnv {
            input,
            ctx,
            vars,
            rng: &mut self.rng,
        };
        call.evaluate(&mut env).map_err(|e| {
            let detail = if e.error == "States.Runtime" {
                format!("{} '{}'", e.message, payload::text(input))
            } else {
                e.message
            };
            let cause = format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). The function '{expr}' had the following error: {detail}",
                sctx.name, sctx.entered_id
            );
            if e.error == "States.Runtime" {
                Failure::fatal("States.Runtime", cause)
            } else {
                Failure::new(e.error, cause)
            }
        })
    }

    /// A `.$` path's value; `expr` is its text as written, `key` the field it came from.
    #[allow(clippy::too_many_arguments)]
    fn eval_path(
        &self,
        path: &jsonpath::JsonPath,
        expr: &str,
        key: &str,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Value, Failure> {
        match eval_root(path, input, ctx, vars) {
            Some(v) => Ok(v),
            // AWS resolves an index past the end of an existing array to null in a plain reference.
            None if index_past_end(path, input, ctx, vars) => Ok(Value::Null),
            None => Err(self.runtime(
                sctx,
                format!(
                    "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
                    payload::text(input)
                ),
            )),
        }
    }

    fn choice<'d>(
        &mut self,
        name: &str,
        state: &'d Value,
        raw: Cow<'_, Value>,
        raw_text: &Text,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let effective = self.input_path(state, &raw, vars, sctx)?;
        let ctx = self.context(sctx);
        let mut chosen: Option<(&str, Option<&Value>)> = None;
        if let Some(rules) = field(state, "Choices").and_then(Value::as_array) {
            for rule in rules {
                let mut look = ChoiceLookup {
                    input: &effective,
                    ctx: &ctx,
                    vars,
                    parsed: &mut self.parsed,
                };
                let hit =
                    choice::evaluate(rule, &mut look, 0).map_err(|m| self.runtime(sctx, m))?;
                if hit {
                    let next = field(rule, "Next").and_then(Value::as_str).unwrap_or("");
                    chosen = Some((next, field(rule, "Assign")));
                    break;
                }
            }
        }
        let (next, assign) = match chosen {
            Some(c) => c,
            None => match field(state, "Default").and_then(Value::as_str) {
                Some(d) => (d, field(state, "Assign")),
                None => {
                    return Err(Failure::new(
                        "States.NoChoiceMatched",
                        format!(
                            "No Matches! (state '{name}' entered at the event id #{})",
                            sctx.entered_id
                        ),
                    ));
                }
            },
        };
        let assigned = match assign {
            Some(a) => Some(self.assign(a, &effective, vars, sctx)?),
            None => None,
        };
        // Without InputPath and OutputPath the output is the input: its text is known.
        let same = field(state, "InputPath").is_none() && field(state, "OutputPath").is_none();
        let effective = owned_effective!(effective, raw);
        let out = self.output_path(state, effective, vars, sctx)?;
        let text = if same {
            raw_text.clone()
        } else {
            self.unchecked_text(&out)
        };
        self.emit_exited("Choice", sctx, text, assigned.as_ref())?;
        if let Some(a) = assigned {
            vars.extend(a);
        }
        Ok(Flow::Next(next, out))
    }

    fn wait<'d>(
        &mut self,
        state: &'d Value,
        raw: Cow<'_, Value>,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let effective = self.input_path(state, &raw, vars, sctx)?;
        let ctx = self.context(sctx);
        let until_ms: i64 = if let Some(s) = field(state, "Seconds") {
            let secs = s
                .as_i64()
                .ok_or_else(|| self.runtime(sctx, "Seconds must be an integer."))?;
            self.now.saturating_add(secs.max(0).saturating_mul(1000))
        } else if let Some(t) = field(state, "Timestamp").and_then(Value::as_str) {
            parse_timestamp(t).ok_or_else(|| {
                self.runtime(
                    sctx,
                    format!(
                        "The Timestamp value is not a valid ISO-8601 extended offset date-time: {t}"
                    ),
                )
            })?
        } else if let Some(p) = field(state, "SecondsPath").and_then(Value::as_str) {
            let v = self.wait_path(p, &effective, &ctx, vars, sctx, "SecondsPath")?;
            let secs = match &v {
                Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
                other => {
                    return Err(self.runtime(
                        sctx,
                        format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {p} == {}",
                            plain(other)
                        ),
                    ));
                }
            };
            if secs < 0 {
                return Err(self.runtime(
                    sctx,
                    format!("The SecondsPath parameter references a negative value: {p} == {secs}"),
                ));
            }
            self.now.saturating_add(secs.saturating_mul(1000))
        } else if let Some(p) = field(state, "TimestampPath").and_then(Value::as_str) {
            let v = self.wait_path(p, &effective, &ctx, vars, sctx, "TimestampPath")?;
            match v.as_str().and_then(parse_timestamp) {
                Some(t) => t,
                None => {
                    return Err(self.runtime(
                        sctx,
                        format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {}",
                            plain(&v)
                        ),
                    ));
                }
            }
        } else {
            self.now
        };
        const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;
        if until_ms.saturating_sub(self.now) > YEAR_MS {
            return Err(self.runtime(sctx, "Wait state delay is too long."));
        }
        self.now = self.now.max(until_ms);
        let assigned = match field(state, "Assign") {
            Some(a) => Some(self.assign(a, &effective, vars, sctx)?),
            None => None,
        };
        let effective = owned_effective!(effective, raw);
        let out = self.output_path(state, effective, vars, sctx)?;
        self.emit_exited("Wait", sctx, self.unchecked_text(&out), assigned.as_ref())?;
        if let Some(a) = assigned {
            vars.extend(a);
        }
        Ok(Self::next_of(state, out))
    }

    fn wait_path(
        &mut self,
        p: &str,
        input: &Value,
        ctx: &Ctx<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
    ) -> Result<Value, Failure> {
        let path = self
            .parsed
            .path(p)
            .map_err(|e| self.runtime(sctx, format!("Invalid path '{p}': {e}")))?;
        eval_root(&path, input, ctx, vars).ok_or_else(|| {
            self.runtime(
                sctx,
                format!("The {field} parameter does not reference an input value: {p}"),
            )
        })
    }

    pub(crate) fn retry_delay(
        &mut self,
        state: &Value,
        f: &Failure,
        counters: &mut [u32],
    ) -> Option<i64> {
        let retriers = field(state, "Retry")?.as_array()?;
        let err = f.error.as_deref().unwrap_or("");
        for (i, r) in retriers.iter().enumerate() {
            let names = field(r, "ErrorEquals").and_then(Value::as_array)?;
            if !names
                .iter()
                .filter_map(Value::as_str)
                .any(|n| error_matches(n, err))
            {
                continue;
            }
            let max = field(r, "MaxAttempts").and_then(Value::as_u64).unwrap_or(3);
            let count = counters.get_mut(i)?;
            if u64::from(*count) >= max {
                return None;
            }
            let interval = field(r, "IntervalSeconds")
                .and_then(Value::as_f64)
                .unwrap_or(1.0);
            let backoff = field(r, "BackoffRate")
                .and_then(Value::as_f64)
                .unwrap_or(2.0);
            let mut delay = interval * backoff.powi(i32::try_from(*count).unwrap_or(i32::MAX));
            if let Some(cap) = field(r, "MaxDelaySeconds").and_then(Value::as_f64) {
                delay = delay.min(cap);
            }
            if field(r, "JitterStrategy").and_then(Value::as_str) == Some("FULL") {
                delay *= self.rng.next_f64();
            }
            *count += 1;
            return Some((delay * 1000.0).round().clamp(0.0, 1e15) as i64);
        }
        None
    }

    pub(crate) fn catch<'d>(
        &mut self,
        state: &'d Value,
        raw: Value,
        f: Failure,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let err = f.error.clone().unwrap_or_default();
        let Some(catchers) = field(state, "Catch").and_then(Value::as_array) else {
            return Err(f);
        };
        for c in catchers {
            let Some(names) = field(c, "ErrorEquals").and_then(Value::as_array) else {
                continue;
            };
            if !names
                .iter()
                .filter_map(Value::as_str)
                .any(|n| error_matches(n, &err))
            {
                continue;
            }
            let err_out = f.output();
            let assigned = match field(c, "Assign") {
                Some(a) => Some(self.assign(a, &err_out, vars, sctx)?),
                None => None,
            };
            let out = self.result_path(field(c, "ResultPath"), Cow::Owned(raw), err_out, sctx)?;
            let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
            self.emit_exited(ty, sctx, self.unchecked_text(&out), assigned.as_ref())?;
            if let Some(a) = assigned {
                vars.extend(a);
            }
            let next = field(c, "Next").and_then(Value::as_str).unwrap_or("");
            return Ok(Flow::Next(next, out));
        }
        Err(f)
    }

    pub(crate) fn task_attempt(
        &mut self,
        name: &str,
        state: &Value,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &mut StateCtx,
        pre: Option<&TaskPre>,
    ) -> Result<Value, Failure> {
        let resource = field(state, "Resource")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let wait_token = resource.ends_with(".waitForTaskToken");
        if wait_token && sctx.task_token.is_none() {
            sctx.task_token = Some(format!(
                "{:016x}{:016x}",
                self.rng.next_u64(),
                self.rng.next_u64()
            ));
        }
        let (params, timeout, heartbeat) = match pre {
            Some(p) => (p.args.clone(), p.timeout, p.heartbeat),
            None => (
                match field(state, "Parameters") {
                    Some(p) => self.template(p, effective, vars, sctx, "Parameters")?,
                    None => effective.clone(),
                },
                self.seconds_field(state, "TimeoutSeconds", effective, vars, sctx)?,
                self.seconds_field(state, "HeartbeatSeconds", effective, vars, sctx)?,
            ),
        };
        let is_lambda_arn =
            resource.starts_with("arn:aws:lambda:") || !resource.starts_with("arn:");
        let (rtype, rname) = service_parts(&resource);
        if is_lambda_arn {
            let mut d = json!({"resource": resource, "input": payload::text(&params), "inputDetails": {"truncated": false}});
            if let (Some(t), Value::Object(m)) = (timeout, &mut d) {
                m.insert("timeoutInSeconds".into(), json!(t));
            }
            self.emit("LambdaFunctionScheduled", d)?;
            self.emit("LambdaFunctionStarted", Value::Null)?;
        } else {
            let mut d = json!({"resourceType": rtype, "resource": rname, "region": self.opts.region, "parameters": payload::text(&params)});
            if let Value::Object(m) = &mut d {
                if let Some(t) = timeout {
                    m.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(h) = heartbeat {
                    m.insert("heartbeatInSeconds".into(), json!(h));
                }
            }
            self.emit("TaskScheduled", d)?;
            self.emit(
                "TaskStarted",
                json!({"resourceType": rtype, "resource": rname}),
            )?;
        }
        let n = {
            let c = self.invocations.entry(name.to_string()).or_insert(0);
            *c += 1;
            *c - 1
        };
        let (result, duration, note) = match self.mocks.response(name, n) {
            Some(r) => (r.result.clone(), r.duration_seconds, None),
            None => {
                let msg = format!(
                    "Task '{name}' is not mocked: the simulator returned its effective input unchanged (echo)."
                );
                if !self.warnings.contains(&msg) {
                    self.warnings.push(msg.clone());
                }
                (MockResult::Return(params.clone()), 0.0, Some(msg))
            }
        };
        let limit = match (timeout, heartbeat) {
            (Some(t), Some(h)) if h < t => Some((h, "States.HeartbeatTimeout")),
            (Some(t), _) => Some((t, "States.Timeout")),
            (None, Some(h)) => Some((h, "States.HeartbeatTimeout")),
            (None, None) => None,
        };
        if let Some((secs, err)) = limit
            && duration > secs
        {
            self.now = self.now.saturating_add((secs * 1000.0) as i64);
            let (kind, mut d) = if is_lambda_arn {
                ("LambdaFunctionTimedOut", json!({"error": err, "cause": ""}))
            } else {
                (
                    "TaskTimedOut",
                    json!({"resourceType": rtype, "resource": rname, "error": err, "cause": ""}),
                )
            };
            if let Value::Object(m) = &mut d {
                m.remove("cause");
            }
            self.emit(kind, d)?;
            // AWS passes an empty cause on to catchers (`{"Error": "States.Timeout", "Cause": ""}`).
            return Err(Failure {
                error: Some(err.into()),
                cause: Some(String::new()),
                kind: FailureKind::Normal,
            });
        }
        // A call that never returns (infinite duration) and has no time limit waits at most a year.
        self.now = self
            .now
            .saturating_add((duration * 1000.0).clamp(0.0, 365.0 * 86_400_000.0) as i64);
        let result = match result {
            MockResult::Return(v) if payload::size(&v) > self.opts.limits.max_payload_bytes => {
                MockResult::Throw {
                    error: "States.DataLimitExceeded".into(),
                    cause: Some(format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        if is_lambda_arn || rtype == "lambda" {
                            "lambda"
                        } else {
                            name
                        }
                    )),
                }
            }
            other => other,
        };
        match result {
            MockResult::Return(v) => {
                if !is_lambda_arn
                    && (resource.ends_with(".sync") || resource.ends_with(".sync:2") || wait_token)
                {
                    self.emit_noted(
                        "TaskSubmitted",
                        json!({"resourceType": rtype, "resource": rname, "output": "{}", "outputDetails": {"truncated": false}}),
                        Some("The service's submission response is not simulated; the mock gives the task's final result.".into()),
                    )?;
                }
                if is_lambda_arn {
                    self.emit_noted(
                        "LambdaFunctionSucceeded",
                        json!({"output": payload::text(&v), "outputDetails": {"truncated": false}}),
                        note,
                    )?;
                } else {
                    self.emit_noted(
                        "TaskSucceeded",
                        json!({"resourceType": rtype, "resource": rname, "output": payload::text(&v), "outputDetails": {"truncated": false}}),
                        note,
                    )?;
                }
                Ok(v)
            }
            MockResult::Throw { error, cause } => {
                let mut d = if is_lambda_arn {
                    json!({"error": error})
                } else {
                    json!({"resourceType": rtype, "resource": rname, "error": error})
                };
                if let (Some(c), Value::Object(m)) = (&cause, &mut d) {
                    m.insert("cause".into(), json!(c));
                }
                self.emit(
                    if is_lambda_arn {
                        "LambdaFunctionFailed"
                    } else {
                        "TaskFailed"
                    },
                    d,
                )?;
                Err(Failure {
                    error: Some(error),
                    cause,
                    kind: FailureKind::Normal,
                })
            }
        }
    }

    /// `TimeoutSeconds` / `HeartbeatSeconds`, or their `*Path` forms read from the effective input (a positive
    /// integer, else States.Runtime).
    fn seconds_field(
        &mut self,
        state: &Value,
        field: &str,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Option<f64>, Failure> {
        if let Some(v) = state.get(field) {
            return Ok(v.as_f64());
        }
        let path_field = format!("{field}Path");
        let Some(p) = state.get(&path_field).and_then(Value::as_str) else {
            return Ok(None);
        };
        let ctx = self.context(sctx);
        let v = self.wait_path(p, effective, &ctx, vars, sctx, &path_field)?;
        match v.as_i64() {
            Some(n) if n > 0 => Ok(Some(n as f64)),
            _ => Err(self.runtime(
                sctx,
                format!("The {path_field} field refers to value \"{}\" which is not a valid positive integer: {p}", plain(&v)),
            )),
        }
    }

    pub(crate) fn parallel_attempt(
        &mut self,
        _name: &str,
        state: &Value,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        depth: usize,
    ) -> Result<Value, Failure> {
        let input = match field(state, "Parameters") {
            Some(p) => self.template(p, effective, vars, sctx, "Parameters")?,
            None => effective.clone(),
        };
        self.run_branches(state, input, vars, depth)
    }

    /// Parallel's branches, one after another on the virtual clock, each from the same start.
    pub(crate) fn run_branches(
        &mut self,
        state: &Value,
        input: Value,
        vars: &Vars<'_>,
        depth: usize,
    ) -> Result<Value, Failure> {
        self.emit("ParallelStateStarted", Value::Null)?;
        let start = self.now;
        let mut end = start;
        let mut results = Vec::new();
        // Borrowed, not copied: the definition's compiled templates are found by their address in it.
        let branches = field(state, "Branches")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for b in branches {
            self.now = start;
            let mut scope = vars.child();
            match self.run_machine(b, Cow::Borrowed(&input), None, &mut scope, depth + 1) {
                Ok(v) => results.push(v),
                Err(f) => {
                    self.now = self.now.max(end);
                    if f.kind == FailureKind::Normal {
                        self.emit("ParallelStateFailed", Value::Null)?;
                    }
                    return Err(f);
                }
            }
            end = end.max(self.now);
        }
        self.now = end;
        self.emit("ParallelStateSucceeded", Value::Null)?;
        Ok(Value::Array(results))
    }

    pub(crate) fn map_attempt(
        &mut self,
        name: &str,
        state: &Value,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        depth: usize,
    ) -> Result<Value, Failure> {
        let ctx = self.context(sctx);
        let max_conc = match (
            field(state, "MaxConcurrency"),
            field(state, "MaxConcurrencyPath").and_then(Value::as_str),
        ) {
            (_, Some(p)) => {
                let v = self.wait_path(p, effective, &ctx, vars, sctx, "MaxConcurrencyPath")?;
                match as_int(&v) {
                    Some(n) if n >= 0 => n as usize,
                    _ => {
                        return Err(self.runtime(
                            sctx,
                            format!("The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: {p}", plain(&v)),
                        ));
                    }
                }
            }
            (Some(v), None) => v.as_u64().unwrap_or(0) as usize,
            (None, None) => 0,
        };
        let tolerated_count = match (
            field(state, "ToleratedFailureCount"),
            field(state, "ToleratedFailureCountPath").and_then(Value::as_str),
        ) {
            (_, Some(p)) => {
                let v =
                    self.wait_path(p, effective, &ctx, vars, sctx, "ToleratedFailureCountPath")?;
                match as_int(&v) {
                    Some(n) => Some(n),
                    None => {
                        return Err(self.runtime(
                            sctx,
                            format!("The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: {p}", plain(&v)),
                        ));
                    }
                }
            }
            (Some(v), None) => v.as_i64(),
            (None, None) => None,
        };
        if tolerated_count.is_some_and(|n| n < 0) {
            return Err(self.runtime(sctx, "ToleratedFailureCount cannot be negative."));
        }
        let tolerated_pct = match (
            field(state, "ToleratedFailurePercentage"),
            field(state, "ToleratedFailurePercentagePath").and_then(Value::as_str),
        ) {
            (_, Some(p)) => {
                let v = self.wait_path(
                    p,
                    effective,
                    &ctx,
                    vars,
                    sctx,
                    "ToleratedFailurePercentagePath",
                )?;
                match as_float(&v) {
                    Some(n) => Some(n),
                    None => {
                        return Err(self.runtime(
                            sctx,
                            format!("The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {p}", plain(&v)),
                        ));
                    }
                }
            }
            (Some(v), None) => v.as_f64(),
            (None, None) => None,
        };
        if tolerated_pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(self.runtime(
                sctx,
                "ToleratedFailurePercentage must be between 0 and 100.",
            ));
        }
        // The items.
        // The items, borrowed from the effective input when ItemsPath simply selects them.
        let mut items: Cow<'_, [Value]> = if let Some(reader) = field(state, "ItemReader") {
            Cow::Owned(self.read_items(name, reader, effective, vars, sctx)?)
        } else {
            let p = field(state, "ItemsPath")
                .and_then(Value::as_str)
                .unwrap_or("$");
            match self.select_ref(p, effective, vars, sctx)? {
                Cow::Borrowed(Value::Array(a)) => Cow::Borrowed(a.as_slice()),
                Cow::Owned(Value::Array(a)) => Cow::Owned(a),
                other => {
                    return Err(self.runtime(
                        sctx,
                        format!("Invalid path '{p}': The ItemsPath field must point to a JSON array, got: {}", payload::text(&other)),
                    ));
                }
            }
        };
        // ItemSelector (or legacy Parameters) per item.
        let selector = field(state, "ItemSelector").or_else(|| field(state, "Parameters"));
        if let Some(sel) = selector {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_owned().into_iter().enumerate() {
                let mut ictx = sctx.clone();
                ictx.map_item = Some((i, Arc::new(item)));
                out.push(self.template(sel, effective, vars, &ictx, "ItemSelector")?);
            }
            items = Cow::Owned(out);
        }
        if let Some(batcher) = field(state, "ItemBatcher") {
            items = Cow::Owned(self.batch(
                batcher,
                items.into_owned(),
                effective,
                vars,
                sctx,
                false,
            )?);
        }
        let settings = MapSettings {
            max_conc,
            tolerated_count,
            tolerated_pct,
        };
        self.map_iterate(name, state, items, &settings, effective, vars, sctx, depth)
    }

    /// Run the Map's iterations over the prepared items.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn map_iterate(
        &mut self,
        name: &str,
        state: &Value,
        items: Cow<'_, [Value]>,
        settings: &MapSettings,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        depth: usize,
    ) -> Result<Value, Failure> {
        let (max_conc, tolerated_count, tolerated_pct) = (
            settings.max_conc,
            settings.tolerated_count,
            settings.tolerated_pct,
        );
        // Borrowed, not copied: the definition's compiled templates are found by their address in it.
        let processor = field(state, "ItemProcessor")
            .or_else(|| field(state, "Iterator"))
            .unwrap_or(&Value::Null);
        let distributed = processor
            .get("ProcessorConfig")
            .and_then(|c| field(c, "Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED");
        self.emit("MapStateStarted", json!({"length": items.len()}))?;
        let map_run_arn = format!(
            "arn:aws:states:{}:{}:mapRun:{}/{}:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            self.opts.region,
            self.opts.account,
            self.opts.state_machine_name,
            // AWS names the map run after the state's Label when it has one
            field(state, "Label")
                .and_then(Value::as_str)
                .unwrap_or(name),
            self.rng.next_u64() as u32,
            self.rng.next_u64() as u16,
            self.rng.next_u64() & 0xfff,
            (self.rng.next_u64() as u16 & 0x3fff) | 0x8000,
            self.rng.next_u64() & 0xffff_ffff_ffff
        );
        if distributed {
            self.emit("MapRunStarted", json!({"mapRunArn": map_run_arn}))?;
        }
        let start = self.now;
        // More slots than items change nothing; capping them keeps a huge MaxConcurrency from allocating.
        let slots = if max_conc == 0 {
            items.len().max(1)
        } else {
            max_conc.min(items.len()).max(1)
        };
        let mut slot_free = vec![start; slots];
        let iteration_name: Arc<str> = Arc::from(name);
        let mut results = Vec::with_capacity(items.len());
        // Without history: the results array's text length, `[`, `]` and commas plus the iterations'
        // outputs, while every output's length is known (and shallow enough to be an element).
        let mut results_len = (!self.record).then(|| 2 + items.len().saturating_sub(1));
        let mut failures = 0usize;
        let mut last_failure: Option<Failure> = None;
        let total = items.len();
        let items: Box<dyn Iterator<Item = Cow<'_, Value>>> = match items {
            Cow::Borrowed(a) => Box::new(a.iter().map(Cow::Borrowed)),
            Cow::Owned(a) => Box::new(a.into_iter().map(Cow::Owned)),
        };
        for (i, item) in items.enumerate() {
            let slot = i % slots;
            self.now = slot_free.get(slot).copied().unwrap_or(start);
            if !distributed {
                self.push_event(
                    "MapIterationStarted".into(),
                    Details::Iteration {
                        name: iteration_name.clone(),
                        index: i,
                    },
                    None,
                )?;
            }
            // A distributed Map's child executions do not see the outer variables.
            let mut scope = if distributed {
                Vars::root(Map::new())
            } else {
                vars.child()
            };
            let r = self.run_machine(processor, item, None, &mut scope, depth + 1);
            let out_len = self.take_out_text().and_then(|t| t.shallow_len());
            results_len = results_len.and_then(|n| Some(n + out_len?));
            if let Some(s) = slot_free.get_mut(slot) {
                *s = self.now;
            }
            match r {
                Ok(v) => {
                    if !distributed {
                        self.push_event(
                            "MapIterationSucceeded".into(),
                            Details::Iteration {
                                name: iteration_name.clone(),
                                index: i,
                            },
                            None,
                        )?;
                    }
                    results.push(v);
                }
                Err(f) if f.kind != FailureKind::Normal => return Err(f),
                Err(f) => {
                    if !distributed {
                        self.emit("MapIterationFailed", json!({"name": name, "index": i}))?;
                        self.now = slot_free.iter().copied().max().unwrap_or(self.now);
                        self.emit_map_failed(&f)?;
                        return Err(f);
                    }
                    failures += 1;
                    results_len = None;
                    results.push(f.output());
                    last_failure = Some(f);
                }
            }
        }
        self.now = slot_free.iter().copied().max().unwrap_or(self.now);
        if distributed && failures > 0 {
            let count_ok = tolerated_count.is_some_and(|c| failures as i64 <= c);
            let pct_ok = tolerated_pct
                .is_some_and(|p| (failures as f64) * 100.0 / (total.max(1) as f64) <= p);
            if !count_ok && !pct_ok {
                let f = Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                );
                let _ = last_failure;
                self.emit("MapRunFailed", json!({"error": f.error, "cause": f.cause}))?;
                self.emit_map_failed(&f)?;
                return Err(f);
            }
        }
        if distributed {
            self.emit("MapRunSucceeded", Value::Null)?;
        }
        self.emit("MapStateSucceeded", Value::Null)?;
        if let Some(writer) = field(state, "ResultWriter") {
            let details = writer
                .get("Parameters")
                .or_else(|| writer.get("Arguments"))
                .map(|p| {
                    let jsonata = self.state_jsonata(state);
                    self.any_template(p, effective, vars, sctx, "ResultWriter", jsonata)
                })
                .transpose()?
                .unwrap_or(Value::Null);
            return Ok(json!({
                "MapRunArn": map_run_arn,
                "ResultWriterDetails": {
                    "Bucket": details.get("Bucket").cloned().unwrap_or(Value::Null),
                    "Key": format!("{}/{}/manifest.json", details.get("Prefix").and_then(Value::as_str).unwrap_or(""), map_run_arn.rsplit(':').next().unwrap_or("")),
                }
            }));
        }
        if let Some(n) = results_len {
            self.map_result = Some((n, self.count));
        }
        Ok(Value::Array(results))
    }

    pub(crate) fn emit_map_failed(&mut self, _f: &Failure) -> Result<u64, Failure> {
        self.emit("MapStateFailed", Value::Null)
    }

    /// ItemReader: the items come from the mock registered for the Map state's name (a JSON array, an object
    /// with the array, or CSV text).
    pub(crate) fn read_items(
        &mut self,
        name: &str,
        reader: &Value,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Vec<Value>, Failure> {
        let n = {
            let c = self.invocations.entry(name.to_string()).or_insert(0);
            *c += 1;
            *c - 1
        };
        let data = match self.mocks.response(name, n).map(|r| r.result.clone()) {
            Some(MockResult::Return(v)) => v,
            Some(MockResult::Throw { error, cause }) => {
                return Err(Failure {
                    error: Some(error),
                    cause,
                    kind: FailureKind::Normal,
                });
            }
            None => {
                if let Some(p) = reader.get("Parameters") {
                    let _ = self.template(p, effective, vars, sctx, "ItemReader")?;
                } else if let Some(a) = reader.get("Arguments") {
                    let _ = self.any_template(a, effective, vars, sctx, "ItemReader", true)?;
                }
                let msg = format!("ItemReader of Map '{name}' is not mocked: it read no items.");
                if !self.warnings.contains(&msg) {
                    self.warnings.push(msg);
                }
                Value::Array(vec![])
            }
        };
        let cfg = reader.get("ReaderConfig");
        let reader_failed = |cause: &str| Failure::new("States.ItemReaderFailed", cause);
        let input_type = cfg
            .and_then(|c| field(c, "InputType"))
            .and_then(Value::as_str);
        let mut items = match data {
            Value::Array(a) => a,
            // A JSON file must hold an array (Statewright also accepts the file's text).
            Value::String(text) if input_type == Some("JSON") => {
                match serde_json::from_str(&text) {
                    Ok(Value::Array(a)) => a,
                    _ => return Err(reader_failed("Attempting to map over non-iterable node.")),
                }
            }
            _ if input_type == Some("JSON") => {
                return Err(reader_failed("Attempting to map over non-iterable node."));
            }
            Value::String(text) => {
                let header_first = cfg
                    .and_then(|c| field(c, "CSVHeaderLocation"))
                    .and_then(Value::as_str)
                    != Some("GIVEN");
                let given: Option<Vec<String>> = cfg
                    .and_then(|c| field(c, "CSVHeaders"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    });
                let headers = match &given {
                    Some(h) => h.clone(),
                    None => payload::csv_items(&text, false, Some(vec![]))
                        .first()
                        .and_then(Value::as_object)
                        .map(|o| {
                            o.values()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                let mut seen = std::collections::BTreeSet::new();
                if !headers.iter().all(|h| seen.insert(h.clone())) {
                    return Err(reader_failed("CSV headers cannot contain duplicates."));
                }
                payload::csv_items(&text, header_first, given)
            }
            Value::Object(o) => o
                .get("Contents")
                .or_else(|| o.get("Items"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            other => vec![other],
        };
        let max_items = match cfg
            .and_then(|c| field(c, "MaxItemsPath"))
            .and_then(Value::as_str)
        {
            Some(p) => {
                let ctx = self.context(sctx);
                let v = self.wait_path(p, effective, &ctx, vars, sctx, "MaxItemsPath")?;
                match as_int(&v) {
                    Some(n) => Some(n),
                    None => {
                        return Err(self.runtime(
                            sctx,
                            format!("The MaxItemsPath field refers to value \"{}\" which is not a valid integer: {p}", plain(&v)),
                        ));
                    }
                }
            }
            None => cfg
                .and_then(|c| field(c, "MaxItems"))
                .and_then(Value::as_i64),
        };
        match max_items {
            Some(n) if n < 0 => return Err(reader_failed("field MaxItems must be positive")),
            // 0 means no limit; AWS reads at most 100,000,000 items
            Some(n) if n > 0 => items.truncate(n.min(100_000_000) as usize),
            _ => {}
        }
        Ok(items)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn batch(
        &mut self,
        batcher: &Value,
        items: Vec<Value>,
        effective: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        jsonata: bool,
    ) -> Result<Vec<Value>, Failure> {
        let ctx = self.context(sctx);
        let max_items = match batcher.get("MaxItemsPerBatchPath").and_then(Value::as_str) {
            Some(p) => {
                as_int(&self.wait_path(p, effective, &ctx, vars, sctx, "MaxItemsPerBatchPath")?)
            }
            None => batcher.get("MaxItemsPerBatch").and_then(Value::as_i64),
        };
        let max_bytes = match batcher
            .get("MaxInputBytesPerBatchPath")
            .and_then(Value::as_str)
        {
            Some(p) => as_int(&self.wait_path(
                p,
                effective,
                &ctx,
                vars,
                sctx,
                "MaxInputBytesPerBatchPath",
            )?),
            None => batcher.get("MaxInputBytesPerBatch").and_then(Value::as_i64),
        };
        let batch_input = match batcher.get("BatchInput") {
            Some(b) => Some(self.any_template(b, effective, vars, sctx, "BatchInput", jsonata)?),
            None => None,
        };
        let max_items = max_items
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let max_bytes = max_bytes
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let mut out = Vec::new();
        let mut cur: Vec<Value> = Vec::new();
        let mut cur_bytes = 0usize;
        for item in items {
            let n = payload::size(&item);
            if !cur.is_empty() && (cur.len() >= max_items || cur_bytes + n > max_bytes) {
                out.push(std::mem::take(&mut cur));
                cur_bytes = 0;
            }
            cur_bytes += n;
            cur.push(item);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        Ok(out
            .into_iter()
            .map(|b| {
                let mut m = Map::new();
                if let Some(bi) = &batch_input {
                    m.insert("BatchInput".into(), bi.clone());
                }
                m.insert("Items".into(), Value::Array(b));
                Value::Object(m)
            })
            .collect())
    }
}

/// A state by name: a linear scan in small machines, the map's hash index in big ones.
fn state_named<'v>(states: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    if states.len() <= 16 {
        states
            .iter()
            .find(|(k, _)| same_key(k, name))
            .map(|(_, v)| v)
    } else {
        states.get(name)
    }
}

/// AWS's error-name matching for Retry and Catch.
pub fn error_matches(name: &str, error: &str) -> bool {
    match name {
        // AWS (recorded): States.ALL catches a task's States.DataLimitExceeded; only States.Runtime escapes.
        // Oversized state inputs/outputs fail with a terminal (Fatal) failure that no catcher sees.
        "States.ALL" => error != "States.Runtime",
        "States.TaskFailed" => !matches!(
            error,
            "States.Timeout"
                | "States.Runtime"
                | "States.QueryEvaluationError"
                | "States.DataLimitExceeded"
                | "States.HeartbeatTimeout"
        ),
        n => n == error,
    }
}

fn service_parts(resource: &str) -> (String, String) {
    // arn:aws:states:::service:action[.pattern]
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "states", _, _, rest] => {
            // `aws-sdk:sqs:sendMessage` → (`aws-sdk:sqs`, `sendMessage`); `lambda:invoke` → (`lambda`, `invoke`)
            let split = if rest.starts_with("aws-sdk:") {
                rest.rsplit_once(':')
            } else {
                rest.split_once(':')
            };
            match split {
                Some((svc, action)) => (svc.to_string(), action.to_string()),
                None => (rest.to_string(), String::new()),
            }
        }
        ["arn", _, svc, _, _, rest] => (svc.to_string(), rest.to_string()),
        _ => ("lambda".into(), resource.to_string()),
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as AWS prints it in messages: strings bare, anything else as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// True when the path's last step is an index and the rest selects an array that is too short.
fn index_past_end(
    path: &jsonpath::JsonPath,
    input: &Value,
    ctx: &Ctx<'_>,
    vars: &Vars<'_>,
) -> bool {
    let Some((jsonpath::Segment::Child(jsonpath::Selector::Index(_)), head)) =
        path.segments.split_last()
    else {
        return false;
    };
    let parent = path.prefix(head.len());
    matches!(eval_root(&parent, input, ctx, vars), Some(Value::Array(_)))
}

/// Evaluate a path against its root: `$` the input, `$$` the context, `$name` a variable.
pub(crate) fn eval_root(
    path: &jsonpath::JsonPath,
    input: &Value,
    ctx: &Ctx<'_>,
    vars: &Vars<'_>,
) -> Option<Value> {
    let root = match &path.root {
        Root::Input => input,
        Root::Context => ctx.get(),
        Root::Variable(n) => vars.get(n)?,
        Root::Current => return None,
    };
    match walk(path, root) {
        Some(found) => found.cloned(),
        None => path.evaluate(root),
    }
}

/// A path made only of names and indexes, followed without collecting (`Some(None)`: it selects nothing);
/// `None` for any other path.
fn walk<'v>(path: &jsonpath::JsonPath, root: &'v Value) -> Option<Option<&'v Value>> {
    use jsonpath::{Segment, Selector};
    let mut cur = root;
    for seg in &path.segments {
        let next = match (seg, cur) {
            (Segment::Child(Selector::Name(n)), Value::Object(o)) => {
                if o.len() <= 16 {
                    o.iter().find(|(k, _)| same_key(k, n)).map(|(_, v)| v)
                } else {
                    o.get(n.as_str())
                }
            }
            (Segment::Child(Selector::Index(i)), Value::Array(a)) => {
                let len = a.len() as i64;
                let j = if *i < 0 { len + i } else { *i };
                usize::try_from(j).ok().and_then(|j| a.get(j))
            }
            (Segment::Child(Selector::Name(_) | Selector::Index(_)), _) => None,
            _ => return None,
        };
        match next {
            Some(v) => cur = v,
            // The rest must still be plain steps for "selects nothing" to be the answer.
            None => {
                return path
                    .segments
                    .iter()
                    .all(|s| matches!(s, Segment::Child(Selector::Name(_) | Selector::Index(_))))
                    .then_some(None);
            }
        }
    }
    Some(Some(cur))
}

struct IntrinsicEnv<'x> {
    input: &'x Value,
    ctx: &'x Ctx<'x>,
    vars: &'x Vars<'x>,
    rng: &'x mut SplitMix64,
}

impl intrinsics::Env for IntrinsicEnv<'_> {
    fn resolve(&mut self, path: &jsonpath::JsonPath) -> Option<Value> {
        eval_root(path, self.input, self.ctx, self.vars)
    }
    fn next_random(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

struct ChoiceLookup<'x> {
    input: &'x Value,
    ctx: &'x Ctx<'x>,
    vars: &'x Vars<'x>,
    parsed: &'x mut Parsed,
}

impl Lookup for ChoiceLookup<'_> {
    fn lookup(&mut self, path: &str) -> Result<Option<Value>, String> {
        // The definition's own path texts are found in the run's table by address.
        if let Some(p) = self.parsed.table().and_then(|t| t.path_at(path)) {
            return Ok(eval_root(p, self.input, self.ctx, self.vars));
        }
        let p = self
            .parsed
            .path(path)
            .map_err(|e| format!("Invalid path '{path}': {e}"))?;
        Ok(eval_root(&p, self.input, self.ctx, self.vars))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parsed::Table;
    use super::*;

    /// A compiled template gives what the template evaluated from the definition gives: the value, or the
    /// same failure.
    #[test]
    fn compiled_templates_evaluate_as_the_definition_does() {
        let templates = json!([
            {"a.$": "$.x", "b": {"c.$": "$.y[1]", "d": [1, {"e.$": "$$.State.Name"}]}, "lit": {"k": [true]}},
            {"sum.$": "States.MathAdd($.n, 1)", "arr.$": "States.Array($.x, $.n)", "v.$": "$varA"},
            {"fmt.$": "States.Format('{} and {}', $.x, $.n)", "past.$": "$.y[9]"},
            {"missing.$": "$.nope"},
            {"bad.$": "States.MathAdd($.x, 1)"},
            {"uuid.$": "States.UUID()", "r.$": "States.MathRandom(1, 100)"},
            {"list.$": "$.y[*]", "filter.$": "$.objs[?(@.k > 1)].k"},
            {"spaced.$": "  $.x  ", "a": "plain"},
            [{"x.$": "$.n"}, 2, "three"]
        ]);
        let input = json!({"x": "ex", "n": 41, "y": [10, 20, 30], "objs": [{"k": 1}, {"k": 2}]});
        let Some(list) = templates.as_array() else {
            panic!("templates");
        };
        // Each template as a state's Parameters.
        let definition = Value::Array(list.iter().map(|t| json!({"Parameters": t})).collect());
        let table = Arc::new(Table::of_definition(&definition));
        let opts = Options::default();
        let mocks = Mocks::default();
        let vars = Vars::root(
            [("varA".to_string(), json!({"deep": [1]}))]
                .into_iter()
                .collect(),
        );
        let sctx = StateCtx {
            name: "S",
            shared: None,
            entered_ms: 0,
            entered_id: 2,
            retry_count: 0,
            retryable: false,
            map_item: None,
            task_token: None,
        };
        let mut compiled = 0;
        let list: Vec<&Value> = list
            .iter()
            .enumerate()
            .map(|(i, _)| &definition[i]["Parameters"])
            .collect();
        for tpl in list.iter().copied() {
            let mut slow = Engine::new(&opts, &mocks, Arc::from("{}"));
            let mut fast = Engine::new(&opts, &mocks, Arc::from("{}"));
            fast.parsed = Parsed::with_table(Some(table.clone()));
            compiled += usize::from(table.template(tpl).is_some());
            let a = slow.template(tpl, &input, &vars, &sctx, "Parameters");
            let b = fast.template(tpl, &input, &vars, &sctx, "Parameters");
            assert_eq!(a, b, "{tpl}");
        }
        // Every object template above compiles (the array is not a template field's value).
        assert_eq!(compiled, list.len() - 1);
    }
}
