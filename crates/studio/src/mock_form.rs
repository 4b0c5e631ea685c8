//! The run panel's mock form: one row per Task state, read from and written into the MockConfigFile
//! text. The text stays the truth: the form edits the first invocation ("0") of each Task's response in
//! the first state machine's first test case (the one a run uses) and keeps everything else as it is; a
//! response that other states or test cases share is copied before it is changed.

use serde_json::{Map, Value, json};

/// What the form shows for one Task.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskMock {
    /// No response for this state: the run uses the visible default (and warns).
    Unmocked,
    /// `Return` with this JSON value.
    Return(Value),
    /// `Throw` with this error and cause.
    Throw { error: String, cause: String },
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub state: String,
    pub mock: TaskMock,
    /// The response also has invocation keys other than "0" (edited in the text only).
    pub more: bool,
}

/// Every Task state of the definition, nested ones included, in text order.
pub fn task_states(definition: &Value) -> Vec<String> {
    fn walk(machine: &Value, depth: usize, out: &mut Vec<String>) {
        if depth > crate::graph::MAX_DEPTH {
            return;
        }
        let Some(states) = machine.get("States").and_then(Value::as_object) else {
            return;
        };
        for (name, state) in states {
            if state.get("Type").and_then(Value::as_str) == Some("Task") {
                out.push(name.clone());
            }
            for inner in ["ItemProcessor", "Iterator"] {
                if let Some(m) = state.get(inner) {
                    walk(m, depth + 1, out);
                }
            }
            for branch in state
                .get("Branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk(branch, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(definition, 0, &mut out);
    out
}

fn parse(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(
            json!({"StateMachines": {"Workflow": {"TestCases": {"Default": {}}}}, "MockedResponses": {}}),
        );
    }
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("the mocks are not JSON: {e}"))?;
    if !v.is_object() {
        return Err("the mocks must be a JSON object (a MockConfigFile)".into());
    }
    Ok(v)
}

/// The first state machine's first test case (the one runs use), as its path of keys.
fn first_case(config: &Value) -> Option<(String, String)> {
    let (machine, m) = config.get("StateMachines")?.as_object()?.iter().next()?;
    let case = m.get("TestCases")?.as_object()?.keys().next()?;
    Some((machine.clone(), case.clone()))
}

/// The form's rows for the definition's Tasks, read from the mocks text (empty text: all unmocked).
pub fn rows(definition: &Value, mocks_text: &str) -> Result<Vec<Row>, String> {
    let config = parse(mocks_text)?;
    let case = first_case(&config).and_then(|(m, c)| {
        config["StateMachines"][m.as_str()]["TestCases"][c.as_str()]
            .as_object()
            .cloned()
    });
    Ok(task_states(definition)
        .into_iter()
        .map(|state| {
            let response = case
                .as_ref()
                .and_then(|c| c.get(&state))
                .and_then(Value::as_str)
                .and_then(|name| config.get("MockedResponses")?.get(name))
                .and_then(Value::as_object);
            let mock = match response.and_then(|r| r.get("0")) {
                Some(first) => match (first.get("Return"), first.get("Throw")) {
                    (Some(v), _) => TaskMock::Return(v.clone()),
                    (None, Some(t)) => TaskMock::Throw {
                        error: t.get("Error").and_then(Value::as_str).unwrap_or("").into(),
                        cause: t.get("Cause").and_then(Value::as_str).unwrap_or("").into(),
                    },
                    (None, None) => TaskMock::Unmocked,
                },
                None => TaskMock::Unmocked,
            };
            let more = response.is_some_and(|r| r.keys().any(|k| k != "0"));
            Row { state, mock, more }
        })
        .collect())
}

/// The mocks text with `state`'s first invocation set to `mock` (pretty JSON). Other invocation keys,
/// other test cases and unknown fields are kept; `Unmocked` removes the state from the test case.
pub fn set(mocks_text: &str, state: &str, mock: &TaskMock) -> Result<String, String> {
    let mut config = parse(mocks_text)?;
    let (machine, case) = match first_case(&config) {
        Some(mc) => mc,
        None => {
            let obj = config
                .as_object_mut()
                .ok_or("the mocks must be a JSON object")?;
            let machines = obj
                .entry("StateMachines")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .ok_or("\"StateMachines\" must be an object")?;
            let machine = machines
                .keys()
                .next()
                .cloned()
                .unwrap_or_else(|| "Workflow".to_string());
            let m = machines.entry(machine.clone()).or_insert_with(|| json!({}));
            let cases = m
                .as_object_mut()
                .ok_or("a state machine must be an object")?
                .entry("TestCases")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .ok_or("\"TestCases\" must be an object")?;
            cases.insert("Default".into(), json!({}));
            (machine, "Default".to_string())
        }
    };
    let existing = config["StateMachines"][machine.as_str()]["TestCases"][case.as_str()]
        .get(state)
        .and_then(Value::as_str)
        .map(str::to_string);
    // A response other states (or other test cases) also use is copied before it is changed.
    let shared = existing.as_deref().is_some_and(|name| {
        let uses = |m: &str, c: &str, st: &str, v: &Value| {
            v.as_str() == Some(name) && (m, c, st) != (machine.as_str(), case.as_str(), state)
        };
        config["StateMachines"].as_object().is_some_and(|machines| {
            machines.iter().any(|(m, mv)| {
                mv["TestCases"].as_object().is_some_and(|cases| {
                    cases.iter().any(|(c, cv)| {
                        cv.as_object()
                            .is_some_and(|sts| sts.iter().any(|(st, v)| uses(m, c, st, v)))
                    })
                })
            })
        })
    });
    let responses = config
        .as_object_mut()
        .ok_or("the mocks must be a JSON object")?
        .entry("MockedResponses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or("\"MockedResponses\" must be an object")?;
    let first = match mock {
        TaskMock::Unmocked => None,
        TaskMock::Return(v) => Some(json!({"Return": v})),
        TaskMock::Throw { error, cause } => {
            let mut t = Map::new();
            t.insert("Error".into(), Value::String(error.clone()));
            if !cause.is_empty() {
                t.insert("Cause".into(), Value::String(cause.clone()));
            }
            Some(json!({"Throw": t}))
        }
    };
    let name = match (&existing, &first) {
        (Some(n), _) if !shared || first.is_none() => n.clone(),
        (None, None) => return Ok(pretty(&config)),
        _ => {
            let base = format!("{state}Mock");
            let mut name = base.clone();
            let mut n = 2;
            while responses.contains_key(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            if let Some(copy) = existing.as_ref().and_then(|e| responses.get(e)).cloned() {
                responses.insert(name.clone(), copy);
            }
            name
        }
    };
    match first {
        Some(first) => {
            let entry = responses.entry(name.clone()).or_insert_with(|| json!({}));
            if !entry.is_object() {
                *entry = json!({});
            }
            if let Some(o) = entry.as_object_mut() {
                o.insert("0".into(), first);
            }
            config["StateMachines"][machine.as_str()]["TestCases"][case.as_str()]
                .as_object_mut()
                .ok_or_else(|| format!("test case \"{case}\" must be an object"))?
                .insert(state.to_string(), Value::String(name));
        }
        None => {
            let cases = &mut config["StateMachines"][machine.as_str()]["TestCases"][case.as_str()];
            if let Some(c) = cases.as_object_mut() {
                c.shift_remove(state);
            }
        }
    }
    Ok(pretty(&config))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> Value {
        json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P"},
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Store", "States": {"Store": {"Type": "Task", "Resource": "arn:aws:states:::s3:putObject", "End": true}}}]}}})
    }

    /// The mocks a run would use for the first test case, through the simulator's own reader.
    fn used(text: &str) -> asl::simulate::Mocks {
        let config: Value = serde_json::from_str(text).unwrap();
        let r = crate::testcase::pick(&config, None).unwrap();
        asl::simulate::Mocks::from_config(&config, &r.machine, &r.test_case).unwrap()
    }

    #[test]
    fn the_form_writes_what_the_simulator_reads() {
        assert_eq!(task_states(&def()), ["Call", "Store"]);
        let rows0 = rows(&def(), "").unwrap();
        assert!(
            rows0
                .iter()
                .all(|r| r.mock == TaskMock::Unmocked && !r.more)
        );
        let text = set("", "Call", &TaskMock::Return(json!({"Payload": 1}))).unwrap();
        let text = set(
            &text,
            "Store",
            &TaskMock::Throw {
                error: "S3.Denied".into(),
                cause: "no".into(),
            },
        )
        .unwrap();
        let mocks = used(&text);
        assert_eq!(
            mocks.response("Call", 0).unwrap().result,
            asl::simulate::MockResult::Return(json!({"Payload": 1}))
        );
        assert_eq!(
            mocks.response("Store", 0).unwrap().result,
            asl::simulate::MockResult::Throw {
                error: "S3.Denied".into(),
                cause: Some("no".into())
            }
        );
        let back = rows(&def(), &text).unwrap();
        assert_eq!(back[0].mock, TaskMock::Return(json!({"Payload": 1})));
        assert!(matches!(&back[1].mock, TaskMock::Throw { error, .. } if error == "S3.Denied"));
        // Unmocking removes the state from the test case.
        let text = set(&text, "Call", &TaskMock::Unmocked).unwrap();
        assert!(used(&text).response("Call", 0).is_none());
        assert_eq!(rows(&def(), &text).unwrap()[0].mock, TaskMock::Unmocked);
    }

    #[test]
    fn existing_configs_keep_their_other_parts() {
        let text = r#"{"StateMachines": {"M": {"TestCases": {"Happy": {"Call": "Ok"}, "Sad": {"Call": "Bad"}}}},
            "MockedResponses": {"Ok": {"0": {"Return": 1}, "1-2": {"Return": 2}}, "Bad": {"0": {"Throw": {"Error": "E"}}}},
            "Extra": true}"#;
        let r = rows(&def(), text).unwrap();
        assert_eq!(r[0].mock, TaskMock::Return(json!(1)));
        assert!(r[0].more);
        let out = set(text, "Call", &TaskMock::Return(json!(5))).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["MockedResponses"]["Ok"],
            json!({"0": {"Return": 5}, "1-2": {"Return": 2}})
        );
        assert_eq!(
            v["MockedResponses"]["Bad"],
            json!({"0": {"Throw": {"Error": "E"}}})
        );
        assert_eq!(
            v["StateMachines"]["M"]["TestCases"]["Sad"],
            json!({"Call": "Bad"})
        );
        assert_eq!(v["Extra"], json!(true));
        // A response the other test case shares is copied, not changed under it.
        let shared = text.replace(r#""Sad": {"Call": "Bad"}"#, r#""Sad": {"Call": "Ok"}"#);
        let out = set(&shared, "Call", &TaskMock::Return(json!(7))).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["MockedResponses"]["Ok"]["0"], json!({"Return": 1}));
        assert_eq!(
            v["StateMachines"]["M"]["TestCases"]["Happy"]["Call"],
            json!("CallMock")
        );
        assert_eq!(
            v["MockedResponses"]["CallMock"],
            json!({"0": {"Return": 7}, "1-2": {"Return": 2}})
        );
        assert_eq!(
            v["StateMachines"]["M"]["TestCases"]["Sad"]["Call"],
            json!("Ok")
        );
        // A new mock gets a fresh response name.
        let out = set(text, "Store", &TaskMock::Return(json!({}))).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["StateMachines"]["M"]["TestCases"]["Happy"]["Store"],
            json!("StoreMock")
        );
    }

    #[test]
    fn bad_mocks_text_is_an_error_not_a_panic() {
        for bad in [
            "[1]",
            "{",
            "{\"StateMachines\": 3}",
            "{\"MockedResponses\": []}",
        ] {
            let r = rows(&def(), bad).and_then(|_| set(bad, "Call", &TaskMock::Return(json!(1))));
            assert!(r.is_err(), "{bad}: {r:?}");
        }
    }
}
