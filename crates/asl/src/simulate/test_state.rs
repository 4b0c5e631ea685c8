//! The TestState API: run one state (given alone, or by `stateName` inside a machine) with an input, optional
//! mock, context, variables and stateConfiguration, and answer as AWS does, including `inspectionData` at
//! INFO/DEBUG/TRACE, RETRIABLE and CAUGHT_ERROR statuses, and AWS's validation errors.

use super::engine::{Engine, Failure, FailureKind, Flow, StateCtx, Vars, error_matches};
use super::mocks::{MockResult, Mocks};
use super::{Options, payload};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

const STATE_TYPES: [&str; 8] = [
    "Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map",
];

fn api_error(code: &str, message: impl Into<String>) -> Value {
    json!({"Error": {"Code": code, "Message": message.into()}})
}

/// A request field that the API takes as JSON text (our files may hold it parsed already).
fn json_field(req: &Value, key: &str) -> Result<Option<Value>, Value> {
    match req.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|e| {
            api_error(
                "ValidationException",
                format!("Invalid JSON in field '{key}': {e}"),
            )
        }),
        Some(v) => Ok(Some(v.clone())),
    }
}

/// Answer a TestState request body: the response, or `{"Error": {"Code", "Message"}}` for an API error.
pub fn test_state(req: &Value, options: &Options) -> Value {
    match run(req, options) {
        Ok(v) | Err(v) => v,
    }
}

fn run(req: &Value, options: &Options) -> Result<Value, Value> {
    let definition = json_field(req, "definition")?
        .ok_or_else(|| api_error("ValidationException", "definition is required"))?;
    let input = json_field(req, "input")?.unwrap_or(json!({}));
    let level = req
        .get("inspectionLevel")
        .and_then(Value::as_str)
        .unwrap_or("INFO");
    let vars = match json_field(req, "variables")? {
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(api_error(
                "ValidationException",
                "variables must be a JSON object",
            ));
        }
        None => Map::new(),
    };
    if req.get("stateName").and_then(Value::as_str) == Some("") {
        return Err(api_error(
            "ParamValidationError",
            "Parameter validation failed:\nInvalid length for parameter stateName, value: 0, valid min length: 1",
        ));
    }
    let (name, state) = if let Some(states) = definition.get("States").and_then(Value::as_object) {
        let name = req
            .get("stateName")
            .and_then(Value::as_str)
            .or_else(|| definition.get("StartAt").and_then(Value::as_str))
            .unwrap_or("");
        let Some(state) = states.get(name) else {
            return Err(api_error(
                "ValidationException",
                "State not found in definition",
            ));
        };
        let mut state = state.clone();
        if let (Some(q), Value::Object(m)) = (definition.get("QueryLanguage"), &mut state) {
            m.entry("QueryLanguage").or_insert(q.clone());
        }
        (name.to_string(), state)
    } else {
        ("StateName".to_string(), definition.clone())
    };
    let ty = state
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !STATE_TYPES.contains(&ty.as_str()) {
        return Err(api_error(
            "InvalidDefinition",
            format!(
                "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/{name}/Type'"
            ),
        ));
    }
    if ty == "Parallel"
        && state
            .get("Branches")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
    {
        return Err(api_error(
            "InvalidDefinition",
            format!(
                "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/{name}/Branches'"
            ),
        ));
    }
    let mock = req.get("mock");
    if mock.is_some() && !matches!(ty.as_str(), "Task" | "Map" | "Parallel") {
        return Err(api_error(
            "ValidationException",
            format!("State type '{ty}' is not supported when a mock is specified"),
        ));
    }
    if matches!(ty.as_str(), "Map" | "Parallel") && mock.is_none() {
        return Err(api_error(
            "InvalidDefinition",
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        ));
    }
    if mock.is_some() && req.get("revealSecrets").and_then(Value::as_bool) == Some(true) {
        return Err(api_error(
            "ValidationException",
            "TestState does not support RevealSecrets when a mock is specified.",
        ));
    }
    let config = req.get("stateConfiguration");
    let failure_count = config
        .and_then(|c| c.get("mapIterationFailureCount"))
        .and_then(Value::as_u64);
    if failure_count.is_some() && mock.is_none() {
        return Err(api_error(
            "ValidationException",
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        ));
    }
    if let Some(Value::Object(ctx)) = req.get("context") {
        check_context(ctx).map_err(|m| {
            api_error(
                "ValidationException",
                format!("Invalid Context object provided: {m}"),
            )
        })?;
    }
    if let Some(Value::Object(ctx)) = req.get("context")
        && ctx.contains_key("Task")
    {
        let resource = state.get("Resource").and_then(Value::as_str).unwrap_or("");
        if ty != "Task" || !(resource.ends_with(".sync") || resource.ends_with(".waitForTaskToken"))
        {
            return Err(api_error(
                "ValidationException",
                "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
            ));
        }
    }
    if ty == "Map"
        && let Some(MockResult::Return(v)) = mock
            .and_then(|m| Mocks::from_test_state(&name, m).ok())
            .and_then(|m| m.response(&name, 0).map(|r| r.result.clone()))
    {
        if state.get("ResultWriter").is_some() && !v.is_object() {
            return Err(api_error(
                "ValidationException",
                "Mocked result must be a JSON object.",
            ));
        }
        if state.get("ResultWriter").is_none() && !v.is_array() {
            return Err(api_error(
                "ValidationException",
                "Mocked result must be an array.",
            ));
        }
        if failure_count.is_some_and(|n| n as usize > v.as_array().map_or(0, Vec::len)) {
            return Err(api_error(
                "ValidationException",
                "Map iteration failure count must be less than or equal to the number of Map iterations",
            ));
        }
    }
    if ty == "Parallel"
        && let Some(MockResult::Return(v)) = mock
            .and_then(|m| Mocks::from_test_state(&name, m).ok())
            .and_then(|m| m.response(&name, 0).map(|r| r.result.clone()))
    {
        let Some(items) = v.as_array() else {
            return Err(api_error(
                "ValidationException",
                "Mocked result must be an array.",
            ));
        };
        let branches = state
            .get("Branches")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if items.len() != branches {
            return Err(api_error(
                "ValidationException",
                "Mocked result must contain the same number of items as number of Parallel branches.",
            ));
        }
    }
    let mocks = match mock {
        Some(m) => {
            Mocks::from_test_state(&name, m).map_err(|e| api_error("ValidationException", e))?
        }
        None => Mocks::default(),
    };
    // fieldValidationMode: the mocked result must fit the service's API (STRICT by default).
    if ty == "Task"
        && let Some(MockResult::Return(v)) = mocks.response(&name, 0).map(|r| &r.result)
        && let Some(shape) = state
            .get("Resource")
            .and_then(Value::as_str)
            .and_then(super::schema::output_shape)
    {
        let mode = mock
            .and_then(|m| m.get("fieldValidationMode"))
            .and_then(Value::as_str)
            .unwrap_or("STRICT");
        if mode != "NONE" {
            super::schema::validate(&shape, v, mode == "STRICT")
                .map_err(|msg| api_error("ValidationException", msg))?;
        }
    }
    let mut opts = options.clone();
    if let Some(ctx) = json_field(req, "context")? {
        opts.context = Some(ctx);
    }
    let retry_count = config
        .and_then(|c| c.get("retrierRetryCount"))
        .and_then(Value::as_u64)
        .unwrap_or(0);

    let mut e = Engine::new(&opts, &mocks, payload::shared_text(&input));
    let mut vars = Vars::root(vars);
    let sctx = StateCtx {
        name: name.as_str(),
        shared: Some(name.as_str().into()),
        entered_ms: opts.start_time_ms,
        entered_id: 2,
        retry_count: u32::try_from(retry_count).unwrap_or(0),
        retryable: matches!(ty.as_str(), "Task" | "Parallel" | "Map"),
        map_item: None,
        task_token: None,
    };
    let mut data = Map::new();
    data.insert("input".into(), json!(payload::text(&input)));

    let jsonata = state.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    let outcome: Result<Flow, Failure> = match ty.as_str() {
        _ if jsonata => jsonata_pipeline(
            &mut e,
            &name,
            &state,
            &input,
            &mut vars,
            &sctx,
            &mut data,
            &mocks,
            failure_count,
        ),
        "Task" | "Pass" => pipeline(
            &mut e,
            &name,
            &state,
            &input,
            &mut vars,
            &sctx,
            &mut data,
            &mocks,
            &ty,
            failure_count,
        ),
        "Map" | "Parallel" if mock.is_some() => pipeline(
            &mut e,
            &name,
            &state,
            &input,
            &mut vars,
            &sctx,
            &mut data,
            &mocks,
            &ty,
            failure_count,
        ),
        _ => {
            if let Ok(v) = e.input_path(&state, &input, &vars, &sctx) {
                data.insert("afterInputPath".into(), json!(payload::text(&v)));
            }
            e.run_state(&name, &state, Cow::Borrowed(&input), &mut vars, 0)
        }
    };
    let mut resp = Map::new();
    match outcome {
        Ok(Flow::Next(next, out)) => {
            resp.insert("output".into(), json!(payload::text(&out)));
            resp.insert("nextState".into(), json!(next));
            resp.insert("status".into(), json!("SUCCEEDED"));
        }
        Ok(Flow::End(out)) => {
            resp.insert("output".into(), json!(payload::text(&out)));
            resp.insert("status".into(), json!("SUCCEEDED"));
        }
        Err(f) => {
            let mut status = "FAILED";
            if f.kind == FailureKind::Normal {
                let err = f.error.clone().unwrap_or_default();
                let retriers = state
                    .get("Retry")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let hit = retriers.iter().enumerate().find(|(_, r)| {
                    r.get("ErrorEquals")
                        .and_then(Value::as_array)
                        .is_some_and(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .any(|n| error_matches(n, &err))
                        })
                });
                if let Some((i, r)) = hit {
                    let max = r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3);
                    if retry_count < max {
                        let interval = r
                            .get("IntervalSeconds")
                            .and_then(Value::as_f64)
                            .unwrap_or(1.0);
                        let backoff = r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0);
                        let mut delay =
                            interval * backoff.powi(i32::try_from(retry_count).unwrap_or(0));
                        if let Some(cap) = r.get("MaxDelaySeconds").and_then(Value::as_f64) {
                            delay = delay.min(cap);
                        }
                        data.insert(
                            "errorDetails".into(),
                            json!({"retryBackoffIntervalSeconds": delay as i64, "retryIndex": i}),
                        );
                        status = "RETRIABLE";
                    } else if jsonata {
                        data.insert("errorDetails".into(), json!({"retryIndex": i}));
                    }
                }
                if status == "FAILED"
                    && let Ok(Flow::Next(next, out)) = if jsonata {
                        e.jsonata_catch(&state, input.clone(), f.clone(), &mut vars, &sctx)
                    } else {
                        e.catch(&state, input.clone(), f.clone(), &mut vars, &sctx)
                    }
                {
                    status = "CAUGHT_ERROR";
                    let err = f.error.clone().unwrap_or_default();
                    let index = state.get("Catch").and_then(Value::as_array).and_then(|cs| {
                        cs.iter().position(|c| {
                            c.get("ErrorEquals")
                                .and_then(Value::as_array)
                                .is_some_and(|l| {
                                    l.iter()
                                        .filter_map(Value::as_str)
                                        .any(|n| error_matches(n, &err))
                                })
                        })
                    });
                    if let Some(i) = index {
                        data.insert("errorDetails".into(), json!({"catchIndex": i}));
                    }
                    resp.insert("output".into(), json!(payload::text(&out)));
                    resp.insert("nextState".into(), json!(next));
                }
            }
            if let Some(x) = &f.error {
                resp.insert("error".into(), json!(x));
            }
            if let Some(x) = &f.cause {
                resp.insert("cause".into(), json!(x));
            }
            resp.insert("status".into(), json!(status));
        }
    }
    if level != "INFO" {
        resp.insert("inspectionData".into(), Value::Object(data));
    }
    Ok(Value::Object(resp))
}

/// InputPath → Parameters → result (mock or Pass's Result) → ResultSelector → ResultPath → OutputPath, recording
/// each stage for `inspectionData`.
#[allow(clippy::too_many_arguments)]
fn pipeline<'d>(
    e: &mut Engine,
    name: &str,
    state: &'d Value,
    raw: &Value,
    vars: &mut Vars<'_>,
    sctx: &StateCtx,
    data: &mut Map<String, Value>,
    mocks: &Mocks,
    ty: &str,
    failure_count: Option<u64>,
) -> Result<Flow<'d>, Failure> {
    let t = |v: &Value| json!(payload::text(v));
    let effective = e.input_path(state, raw, vars, sctx)?;
    let pass_result = if ty == "Pass" {
        state.get("Result")
    } else {
        None
    };
    if matches!(ty, "Task" | "Map") || (ty == "Pass" && pass_result.is_none()) {
        data.insert("afterInputPath".into(), t(&effective));
    }
    if ty == "Map" {
        map_inspection(e, state, &effective, vars, sctx, data)?;
    }
    let params = match state.get("Parameters") {
        Some(p) if matches!(ty, "Task" | "Pass") => {
            e.template(p, &effective, vars, sctx, "Parameters")?
        }
        _ => effective.clone().into_owned(),
    };
    if matches!(ty, "Task") || (ty == "Pass" && pass_result.is_none()) {
        data.insert("afterParameters".into(), t(&params));
    }
    let result = if ty == "Pass" {
        match pass_result {
            Some(r) => {
                data.insert("result".into(), t(r));
                r.clone()
            }
            None => params,
        }
    } else {
        let r = match mocks.response(name, 0).map(|r| r.result.clone()) {
            Some(MockResult::Return(v)) => v,
            Some(MockResult::Throw { error, cause }) => {
                return Err(Failure {
                    error: Some(error),
                    cause,
                    kind: FailureKind::Normal,
                });
            }
            None => params,
        };
        if ty == "Map"
            && let Some(failed) = failure_count
            && failed > 0
        {
            let total = r.as_array().map_or(0, Vec::len).max(1) as f64;
            let count_ok = state
                .get("ToleratedFailureCount")
                .and_then(Value::as_u64)
                .is_some_and(|c| failed <= c);
            let pct_ok = state
                .get("ToleratedFailurePercentage")
                .and_then(Value::as_f64)
                .is_some_and(|p| failed as f64 * 100.0 / total <= p);
            if !count_ok && !pct_ok {
                return Err(Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                ));
            }
        }
        if ty == "Task" {
            data.insert("result".into(), t(&r));
        }
        r
    };
    let selected = match state.get("ResultSelector") {
        Some(sel) => e.template(sel, &result, vars, sctx, "ResultSelector")?,
        None => result,
    };
    data.insert("afterResultSelector".into(), t(&selected));
    if let Some(a) = state.get("Assign") {
        let assigned = e.template(a, &selected, vars, sctx, "Assign")?;
        if let Value::Object(m) = assigned {
            vars.extend(m);
        }
    }
    let with_result = e.result_path(
        state.get("ResultPath"),
        std::borrow::Cow::Borrowed(raw),
        selected,
        sctx,
    )?;
    data.insert("afterResultPath".into(), t(&with_result));
    let out = e.output_path(state, with_result, vars, sctx)?;
    Ok(match state.get("Next").and_then(Value::as_str) {
        Some(n) => Flow::Next(n, out),
        None => Flow::End(out),
    })
}

/// The fields a mocked context object may hold: per section, each allowed field and whether it is a string
/// (else a number or any JSON for `Input`).
const CONTEXT_FIELDS: [(&str, &[(&str, &str)]); 4] = [
    (
        "Execution",
        &[
            ("Id", "string"),
            ("Input", "any"),
            ("Name", "string"),
            ("RoleArn", "string"),
            ("StartTime", "string"),
            ("RedriveCount", "number"),
            ("RedriveTime", "string"),
        ],
    ),
    (
        "State",
        &[
            ("EnteredTime", "string"),
            ("Name", "string"),
            ("RetryCount", "number"),
        ],
    ),
    ("StateMachine", &[("Id", "string"), ("Name", "string")]),
    ("Task", &[("Token", "string")]),
];

/// TestState's checks of a mocked context object.
fn check_context(ctx: &Map<String, Value>) -> Result<(), String> {
    for (k, v) in ctx {
        if k == "Map" {
            return Err("'Map' field is not supported when mocking a Context object".into());
        }
        let Some((_, fields)) = CONTEXT_FIELDS.iter().find(|(s, _)| s == k) else {
            return Err(format!("Field '{k}' is not allowed"));
        };
        let Value::Object(section) = v else {
            return Err(format!("{k} must be an object"));
        };
        for (f, x) in section {
            let Some((_, kind)) = fields.iter().find(|(n, _)| n == f) else {
                return Err(format!("Field '{f}' is not allowed"));
            };
            let ok = match *kind {
                "string" => x.is_string(),
                "number" => x.is_number(),
                _ => true,
            };
            if !ok {
                return Err(format!("{k}.{f} must be a {kind}"));
            }
        }
    }
    Ok(())
}

/// A JSONata state: Arguments → result (the mock, or the state run itself) → Assign and Output, recording
/// `afterArguments` and `result` for `inspectionData`.
#[allow(clippy::too_many_arguments)]
fn jsonata_pipeline<'d>(
    e: &mut Engine,
    name: &str,
    state: &'d Value,
    raw: &Value,
    vars: &mut Vars<'_>,
    sctx: &StateCtx,
    data: &mut Map<String, Value>,
    mocks: &Mocks,
    failure_count: Option<u64>,
) -> Result<Flow<'d>, Failure> {
    let t = |v: &Value| json!(payload::text(v));
    let ty = state.get("Type").and_then(Value::as_str).unwrap_or("");
    if !matches!(ty, "Task" | "Map" | "Parallel") {
        return e.run_state(name, state, Cow::Borrowed(raw), vars, 0);
    }
    if ty == "Map" {
        data.insert(
            "maxConcurrency".into(),
            state.get("MaxConcurrency").cloned().unwrap_or(json!(0)),
        );
        for (field, key) in [
            ("ToleratedFailureCount", "toleratedFailureCount"),
            ("ToleratedFailurePercentage", "toleratedFailurePercentage"),
        ] {
            if let Some(v) = state.get(field) {
                data.insert(key.into(), v.clone());
            }
        }
    }
    let plain = super::jsonata_state::States {
        input: raw,
        result: None,
        error_output: None,
    };
    let args = match state.get("Arguments") {
        Some(a) => e.jsonata_template(a, &plain, vars, sctx, "Arguments")?,
        None => raw.clone(),
    };
    if ty == "Task" {
        data.insert("afterArguments".into(), t(&args));
    }
    let result = match mocks.response(name, 0).map(|r| r.result.clone()) {
        Some(MockResult::Return(v)) => v,
        Some(MockResult::Throw { error, cause }) => {
            return Err(Failure {
                error: Some(error),
                cause,
                kind: FailureKind::Normal,
            });
        }
        None => args,
    };
    if ty == "Map"
        && let Some(failed) = failure_count
        && failed > 0
    {
        let total = result.as_array().map_or(0, Vec::len).max(1) as f64;
        let count_ok = state
            .get("ToleratedFailureCount")
            .and_then(Value::as_u64)
            .is_some_and(|c| failed <= c);
        let pct_ok = state
            .get("ToleratedFailurePercentage")
            .and_then(Value::as_f64)
            .is_some_and(|p| failed as f64 * 100.0 / total <= p);
        if !count_ok && !pct_ok {
            return Err(Failure::new(
                "States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded",
            ));
        }
    }
    if ty == "Task" {
        data.insert("result".into(), t(&result));
    }
    e.jsonata_finish(state, raw, result, vars, sctx)
}

/// Map's own inspection fields: afterItemsPath, maxConcurrency and the tolerated-failure settings.
fn map_inspection(
    e: &mut Engine,
    state: &Value,
    effective: &Value,
    vars: &Vars<'_>,
    sctx: &StateCtx,
    data: &mut Map<String, Value>,
) -> Result<(), Failure> {
    let p = state
        .get("ItemsPath")
        .and_then(Value::as_str)
        .unwrap_or("$");
    let path = crate::jsonpath::parse(p)
        .map_err(|err| e.runtime(sctx, format!("Invalid path '{p}': {err}")))?;
    let ctx = e.context(sctx);
    let items = super::engine::eval_root(&path, effective, &ctx, vars);
    match items {
        Some(v @ Value::Array(_)) => {
            data.insert("afterItemsPath".into(), json!(payload::text(&v)));
        }
        _ => {
            let shown = p
                .strip_prefix('$')
                .filter(|r| r.starts_with('$'))
                .unwrap_or(p);
            return Err(Failure {
                error: Some("States.Runtime".into()),
                cause: Some(format!("Reference path \"{shown}\" must point to array.")),
                kind: FailureKind::Fatal,
            });
        }
    }
    data.insert(
        "maxConcurrency".into(),
        state.get("MaxConcurrency").cloned().unwrap_or(json!(0)),
    );
    for (field, key) in [
        ("ToleratedFailureCount", "toleratedFailureCount"),
        ("ToleratedFailurePercentage", "toleratedFailurePercentage"),
    ] {
        if let Some(v) = state.get(field) {
            data.insert(key.into(), v.clone());
        }
    }
    Ok(())
}
