//! JSONata states: `{% %}` templates in Arguments, Output, Items, Condition, Assign and the numeric fields,
//! `$states.input/result/errorOutput/context`, and AWS's States.QueryEvaluationError messages.

use super::engine::{
    Engine, Failure, FailureKind, Flow, MapSettings, StateCtx, TaskPre, Vars, error_matches,
};
use super::parsed::field;
use super::payload;
use super::time::parse_timestamp;
use serde_json::{Map, Value, json};

const QUERY_ERROR: &str = "States.QueryEvaluationError";

/// The `{% expr %}` inside a template string, if it is one.
pub(crate) fn template_expr(s: &str) -> Option<&str> {
    let t = s.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(t.trim())
}

/// The JSON type name AWS uses in its messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What `$states` holds for one evaluation.
pub(crate) struct States<'v> {
    pub input: &'v Value,
    pub result: Option<&'v Value>,
    pub error_output: Option<&'v Value>,
}

impl<'a> Engine<'a> {
    /// A States.QueryEvaluationError, recorded as AWS does with an `EvaluationFailed` event naming the field.
    fn query_error(
        &mut self,
        sctx: &StateCtx,
        field: &str,
        msg: impl std::fmt::Display,
    ) -> Failure {
        let f = Failure::new(
            QUERY_ERROR,
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {msg}",
                sctx.name, sctx.entered_id
            ),
        );
        let details =
            json!({"error": QUERY_ERROR, "cause": f.cause, "location": field, "state": sctx.name});
        match self.emit("EvaluationFailed", details) {
            Ok(_) => f,
            Err(limit) => limit,
        }
    }

    /// Evaluate one JSONata expression; `None` when the result is undefined.
    pub(crate) fn jsonata_eval(
        &mut self,
        expr: &str,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        let parsed = jsonata::parse(expr).map_err(|e| {
            self.query_error(
                sctx, field,
                format!(
                    "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                    e.code, e.message
                ),
            )
        })?;
        let mut st = Map::new();
        st.insert("input".into(), states.input.clone());
        if let Some(r) = states.result {
            st.insert("result".into(), r.clone());
        }
        if let Some(r) = states.error_output {
            st.insert("errorOutput".into(), r.clone());
        }
        st.insert("context".into(), self.context(sctx).get().clone());
        let mut bindings = jsonata::Bindings::new(vars.all());
        bindings.bind("states", Value::Object(st));
        bindings.environment.now_millis = self.now;
        bindings.environment.seed = self.rng.next_u64();
        parsed.evaluate(None, &bindings).map_err(|e| {
            self.query_error(
                sctx, field,
                format!(
                    "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                    e.code, e.message
                ),
            )
        })
    }

    /// Evaluate one expression whose undefined result is an error.
    fn jsonata_defined(
        &mut self,
        expr: &str,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
    ) -> Result<Value, Failure> {
        self.jsonata_eval(expr, states, vars, sctx, field)?
            .ok_or_else(|| {
                self.query_error(
                    sctx, field,
                    format!(
                        "The JSONata expression '{expr}' specified for the field '{field}' returned nothing (undefined)."
                    ),
                )
            })
    }

    /// A JSONata template: every string that is exactly `{% expr %}` is evaluated, anything else is literal.
    pub(crate) fn jsonata_template(
        &mut self,
        tpl: &Value,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
    ) -> Result<Value, Failure> {
        self.jsonata_template_rec(tpl, states, vars, sctx, field, 0)
    }

    fn jsonata_template_rec(
        &mut self,
        tpl: &Value,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        field: &str,
        depth: usize,
    ) -> Result<Value, Failure> {
        if depth > 128 {
            return Err(self.runtime(sctx, format!("The {field} template is nested too deeply.")));
        }
        match tpl {
            Value::String(s) => match template_expr(s) {
                Some(expr) => self.jsonata_defined(expr, states, vars, sctx, field),
                None => Ok(tpl.clone()),
            },
            Value::Object(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, v) in m {
                    let path = format!("{field}/{k}");
                    out.insert(
                        k.clone(),
                        self.jsonata_template_rec(v, states, vars, sctx, &path, depth + 1)?,
                    );
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, v) in a.iter().enumerate() {
                    let path = format!("{field}[{i}]");
                    out.push(self.jsonata_template_rec(v, states, vars, sctx, &path, depth + 1)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// Assign (an object template), evaluated against the state's input and result.
    fn jsonata_assign(
        &mut self,
        assign: Option<&Value>,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Option<Map<String, Value>>, Failure> {
        let Some(a) = assign else { return Ok(None) };
        match self.jsonata_template(a, states, vars, sctx, "Assign")? {
            Value::Object(m) => Ok(Some(m)),
            _ => Err(self.runtime(sctx, "Assign must be an object.")),
        }
    }

    /// The Output field, or `default` without one.
    fn jsonata_output(
        &mut self,
        output: Option<&Value>,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        default: &Value,
    ) -> Result<Value, Failure> {
        match output {
            Some(o) => self.jsonata_template(o, states, vars, sctx, "Output"),
            None => Ok(default.clone()),
        }
    }

    /// A numeric field given as a number or a `{% %}` expression.
    fn jsonata_number(
        &mut self,
        state: &Value,
        field: &str,
        states: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Option<Value>, Failure> {
        match state.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => {
                let Some(expr) = template_expr(s) else {
                    return Ok(Some(Value::String(s.clone())));
                };
                let v = self.jsonata_defined(expr, states, vars, sctx, field)?;
                if !v.is_number() {
                    return Err(self.query_error(
                        sctx, field,
                        format!(
                            "The JSONata expression '{expr}' specified for the field '{field}' returned an unexpected result type. Expected 'number', but was '{}' for value: {}",
                            type_name(&v),
                            payload::text(&v)
                        ),
                    ));
                }
                Ok(Some(v))
            }
            Some(v) => Ok(Some(v.clone())),
        }
    }

    /// Exit the state: Output and Assign were evaluated; emit the exit and apply the variables.
    fn jsonata_exit<'d>(
        &mut self,
        state: &'d Value,
        out: Value,
        assigned: Option<Map<String, Value>>,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let text = self.check_text(sctx, &out)?;
        if let Some(a) = &assigned {
            self.check_assign_size(sctx, a)?;
        }
        let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
        self.emit_exited(ty, sctx, text, assigned.as_ref())?;
        if let Some(a) = assigned {
            vars.extend(a);
        }
        Ok(Self::next_of(state, out))
    }

    /// Run one JSONata state.
    pub(crate) fn run_state_jsonata<'d>(
        &mut self,
        name: &str,
        state: &'d Value,
        raw: Value,
        vars: &mut Vars<'_>,
        sctx: &mut StateCtx,
        depth: usize,
    ) -> Result<Flow<'d>, Failure> {
        let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
        let plain = States {
            input: &raw,
            result: None,
            error_output: None,
        };
        match ty {
            "Pass" | "Succeed" | "Wait" => {
                if ty == "Wait" {
                    self.jsonata_wait(state, &plain, vars, sctx)?;
                }
                let assigned = self.jsonata_assign(field(state, "Assign"), &plain, vars, sctx)?;
                let out = self.jsonata_output(field(state, "Output"), &plain, vars, sctx, &raw)?;
                if ty == "Succeed" {
                    let text = self.check_text(sctx, &out)?;
                    self.emit_exited(ty, sctx, text, None)?;
                    return Ok(Flow::End(out));
                }
                self.jsonata_exit(state, out, assigned, vars, sctx)
            }
            "Fail" => {
                let pick = |field: &str, e: &mut Self| -> Result<Option<String>, Failure> {
                    match state.get(field) {
                        Some(Value::String(s)) => match template_expr(s) {
                            Some(expr) => {
                                let v = e.jsonata_defined(expr, &plain, vars, sctx, field)?;
                                match v {
                                    Value::String(s) => Ok(Some(s)),
                                    other => Err(e.query_error(
                                        sctx, field,
                                        format!(
                                            "The JSONata expression '{expr}' specified for the field '{field}' returned an unexpected result type. Expected 'string', but was '{}' for value: {}",
                                            type_name(&other),
                                            payload::text(&other)
                                        ),
                                    )),
                                }
                            }
                            None => Ok(Some(s.clone())),
                        },
                        _ => Ok(None),
                    }
                };
                let error = pick("Error", self)?;
                let cause = pick("Cause", self)?;
                Err(Failure {
                    error,
                    cause,
                    kind: FailureKind::Normal,
                })
            }
            "Choice" => self.jsonata_choice(name, state, &raw, vars, sctx),
            "Task" | "Parallel" | "Map" => {
                let mut counters = vec![
                    0u32;
                    field(state, "Retry")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                ];
                loop {
                    let attempt = match ty {
                        "Task" => self.jsonata_task(name, state, &raw, vars, sctx),
                        "Parallel" => {
                            let input = match field(state, "Arguments") {
                                Some(a) => {
                                    self.jsonata_template(a, &plain, vars, sctx, "Arguments")
                                }
                                None => Ok(raw.clone()),
                            };
                            input.and_then(|i| self.run_branches(state, i, vars, depth))
                        }
                        _ => self.jsonata_map(name, state, &raw, vars, sctx, depth),
                    };
                    let failure = match attempt {
                        Ok(result) => {
                            return match self.jsonata_finish(state, &raw, result, vars, sctx) {
                                Err(f) if f.kind == FailureKind::Normal => {
                                    self.jsonata_catch(state, raw, f, vars, sctx)
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
                    return self.jsonata_catch(state, raw, failure, vars, sctx);
                }
            }
            other => Err(self.runtime(sctx, format!("Unknown state type '{other}'."))),
        }
    }

    /// After a Task/Map/Parallel produced `result`: Assign and Output (both against the variables from before
    /// the state), the exit event and the new variables.
    pub(crate) fn jsonata_finish<'d>(
        &mut self,
        state: &'d Value,
        raw: &Value,
        result: Value,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        self.check_size(sctx, &result)?;
        let with = States {
            input: raw,
            result: Some(&result),
            error_output: None,
        };
        let assigned = self.jsonata_assign(field(state, "Assign"), &with, vars, sctx)?;
        let out = self.jsonata_output(field(state, "Output"), &with, vars, sctx, &result)?;
        self.jsonata_exit(state, out, assigned, vars, sctx)
    }

    /// The Task's Arguments and time limits, then the mocked call.
    fn jsonata_task(
        &mut self,
        name: &str,
        state: &Value,
        raw: &Value,
        vars: &Vars<'_>,
        sctx: &mut StateCtx,
    ) -> Result<Value, Failure> {
        let plain = States {
            input: raw,
            result: None,
            error_output: None,
        };
        let resource = field(state, "Resource")
            .and_then(Value::as_str)
            .unwrap_or("");
        if resource.ends_with(".waitForTaskToken") && sctx.task_token.is_none() {
            // The token exists before Arguments are evaluated (`$states.context.Task.Token`).
            sctx.task_token = Some(format!(
                "{:016x}{:016x}",
                self.rng.next_u64(),
                self.rng.next_u64()
            ));
        }
        let args = match field(state, "Arguments") {
            Some(a) => self.jsonata_template(a, &plain, vars, sctx, "Arguments")?,
            None => raw.clone(),
        };
        let limit = |field: &str, e: &mut Self| -> Result<Option<f64>, Failure> {
            let v = e.jsonata_number(state, field, &plain, vars, sctx)?;
            Ok(v.and_then(|v| v.as_f64()))
        };
        let timeout = limit("TimeoutSeconds", self)?;
        let heartbeat = limit("HeartbeatSeconds", self)?;
        let pre = TaskPre {
            args,
            timeout,
            heartbeat,
        };
        self.task_attempt(name, state, raw, vars, sctx, Some(&pre))
    }

    fn jsonata_wait(
        &mut self,
        state: &Value,
        plain: &States<'_>,
        vars: &Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<(), Failure> {
        let until_ms = if let Some(v) = self.jsonata_number(state, "Seconds", plain, vars, sctx)? {
            let secs = v
                .as_f64()
                .ok_or_else(|| self.runtime(sctx, "Seconds must be an integer."))?;
            if secs < 0.0 {
                return Err(self.query_error(
                    sctx,
                    "Seconds",
                    format!(
                        "The Seconds field references a negative value: {}",
                        payload::text(&v)
                    ),
                ));
            }
            self.now.saturating_add((secs * 1000.0).min(1e15) as i64)
        } else if let Some(t) = field(state, "Timestamp") {
            let value = match t {
                Value::String(s) => match template_expr(s) {
                    Some(expr) => self.jsonata_defined(expr, plain, vars, sctx, "Timestamp")?,
                    None => t.clone(),
                },
                other => other.clone(),
            };
            match value.as_str().and_then(parse_timestamp) {
                Some(ms) => ms,
                None => {
                    let shown = match &value {
                        Value::String(s) => s.clone(),
                        other => payload::text(other),
                    };
                    return Err(self.query_error(
                        sctx, "Timestamp",
                        format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}"),
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
        Ok(())
    }

    fn jsonata_choice<'d>(
        &mut self,
        name: &str,
        state: &'d Value,
        raw: &Value,
        vars: &mut Vars<'_>,
        sctx: &StateCtx,
    ) -> Result<Flow<'d>, Failure> {
        let plain = States {
            input: raw,
            result: None,
            error_output: None,
        };
        let mut chosen: Option<(&str, &Value)> = None;
        if let Some(rules) = field(state, "Choices").and_then(Value::as_array) {
            for rule in rules {
                let cond = match field(rule, "Condition") {
                    Some(Value::String(s)) => match template_expr(s) {
                        Some(expr) => {
                            let v = self.jsonata_defined(expr, &plain, vars, sctx, "Condition")?;
                            match v {
                                Value::Bool(b) => b,
                                other => {
                                    return Err(self.query_error(
                                        sctx, "Condition",
                                        format!(
                                            "The JSONata expression '{expr}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                                            type_name(&other),
                                            payload::text(&other)
                                        ),
                                    ));
                                }
                            }
                        }
                        None => false,
                    },
                    Some(Value::Bool(b)) => *b,
                    _ => false,
                };
                if cond {
                    let next = field(rule, "Next").and_then(Value::as_str).unwrap_or("");
                    chosen = Some((next, rule));
                    break;
                }
            }
        }
        let (next, holder) = match chosen {
            Some(c) => c,
            None => match field(state, "Default").and_then(Value::as_str) {
                Some(d) => (d, state),
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
        let assigned = self.jsonata_assign(field(holder, "Assign"), &plain, vars, sctx)?;
        let out = self.jsonata_output(field(holder, "Output"), &plain, vars, sctx, raw)?;
        let text = self.check_text(sctx, &out)?;
        if let Some(a) = &assigned {
            self.check_assign_size(sctx, a)?;
        }
        self.emit_exited("Choice", sctx, text, assigned.as_ref())?;
        if let Some(a) = assigned {
            vars.extend(a);
        }
        Ok(Flow::Next(next, out))
    }

    fn jsonata_map(
        &mut self,
        name: &str,
        state: &Value,
        raw: &Value,
        vars: &Vars<'_>,
        sctx: &StateCtx,
        depth: usize,
    ) -> Result<Value, Failure> {
        let plain = States {
            input: raw,
            result: None,
            error_output: None,
        };
        let count = |v: Option<Value>| v.and_then(|v| v.as_f64());
        let max_conc = count(self.jsonata_number(state, "MaxConcurrency", &plain, vars, sctx)?)
            .map_or(0, |n| n.max(0.0) as usize);
        let tolerated_count =
            count(self.jsonata_number(state, "ToleratedFailureCount", &plain, vars, sctx)?)
                .map(|n| n as i64);
        let tolerated_pct =
            count(self.jsonata_number(state, "ToleratedFailurePercentage", &plain, vars, sctx)?);
        if tolerated_count.is_some_and(|n| n < 0) {
            return Err(self.runtime(sctx, "ToleratedFailureCount cannot be negative."));
        }
        if tolerated_pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(self.runtime(
                sctx,
                "ToleratedFailurePercentage must be between 0 and 100.",
            ));
        }
        let mut items: Vec<Value> = if let Some(reader) = field(state, "ItemReader") {
            self.read_items(name, reader, raw, vars, sctx)?
        } else {
            match field(state, "Items") {
                Some(Value::String(s)) if template_expr(s).is_some() => {
                    let expr = template_expr(s).unwrap_or_default();
                    let v = self.jsonata_defined(expr, &plain, vars, sctx, "Items")?;
                    match v {
                        Value::Array(a) => a,
                        other => {
                            return Err(self.query_error(
                                sctx, "Items",
                                format!(
                                    "The JSONata expression '{expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
                                    type_name(&other),
                                    payload::text(&other)
                                ),
                            ));
                        }
                    }
                }
                Some(Value::Array(a)) => {
                    let v = self.jsonata_template(
                        &Value::Array(a.clone()),
                        &plain,
                        vars,
                        sctx,
                        "Items",
                    )?;
                    match v {
                        Value::Array(a) => a,
                        _ => Vec::new(),
                    }
                }
                Some(other) => {
                    return Err(self.query_error(
                        sctx,
                        "Items",
                        format!(
                            "Map state input must be an array but was: {}",
                            payload::text(other)
                        ),
                    ));
                }
                None => match raw {
                    Value::Array(a) => a.clone(),
                    other => {
                        return Err(self.query_error(
                            sctx,
                            "Items",
                            format!(
                                "Map state input must be an array but was: {}",
                                payload::text(other)
                            ),
                        ));
                    }
                },
            }
        };
        if let Some(sel) = field(state, "ItemSelector") {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let mut ictx = sctx.clone();
                ictx.map_item = Some((i, std::sync::Arc::new(item)));
                out.push(self.jsonata_template(sel, &plain, vars, &ictx, "ItemSelector")?);
            }
            items = out;
        }
        if let Some(batcher) = field(state, "ItemBatcher") {
            items = self.batch(batcher, items, raw, vars, sctx, true)?;
        }
        let settings = MapSettings {
            max_conc,
            tolerated_count,
            tolerated_pct,
        };
        let items = std::borrow::Cow::Owned(items);
        self.map_iterate(name, state, items, &settings, raw, vars, sctx, depth)
    }

    /// Catch for a JSONata state: `$states.errorOutput`, the catcher's Assign and Output.
    pub(crate) fn jsonata_catch<'d>(
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
            let with = States {
                input: &raw,
                result: None,
                error_output: Some(&err_out),
            };
            let assigned = self.jsonata_assign(field(c, "Assign"), &with, vars, sctx)?;
            let out = self.jsonata_output(field(c, "Output"), &with, vars, sctx, &err_out)?;
            let ty = field(state, "Type").and_then(Value::as_str).unwrap_or("");
            let text = self.check_text(sctx, &out)?;
            if let Some(a) = &assigned {
                self.check_assign_size(sctx, a)?;
            }
            self.emit_exited(ty, sctx, text, assigned.as_ref())?;
            if let Some(a) = assigned {
                vars.extend(a);
            }
            let next = field(c, "Next").and_then(Value::as_str).unwrap_or("");
            return Ok(Flow::Next(next, json!(out)));
        }
        Err(f)
    }
}
