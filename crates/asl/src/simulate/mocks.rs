//! Mocked service results: Step Functions Local's MockConfigFile (StateMachines → TestCases → state →
//! MockedResponses with "0", "1-2" invocation keys, Return/Throw) and TestState's `mock` field.

use serde_json::Value;
use std::collections::BTreeMap;

/// One mocked answer of a Task.
#[derive(Debug, Clone, PartialEq)]
pub enum MockResult {
    Return(Value),
    Throw {
        error: String,
        cause: Option<String>,
    },
}

/// A mocked answer plus how long the call takes on the virtual clock.
#[derive(Debug, Clone, PartialEq)]
pub struct MockResponse {
    pub result: MockResult,
    /// Seconds the call takes (Statewright's extension `"DurationSeconds"`), for TimeoutSeconds/HeartbeatSeconds.
    pub duration_seconds: f64,
}

/// Mocked responses per state name: invocation `i` (0-based, counting retries) of a state gets `responses[i]`;
/// past the end the last response repeats, as Step Functions Local does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mocks {
    pub by_state: BTreeMap<String, Vec<MockResponse>>,
}

impl Mocks {
    /// The response for invocation `n` of `state`, if the state is mocked.
    pub fn response(&self, state: &str, n: usize) -> Option<&MockResponse> {
        let list = self.by_state.get(state)?;
        list.get(n).or_else(|| list.last())
    }

    /// Add one response to the end of a state's list.
    pub fn push(&mut self, state: &str, response: MockResponse) {
        self.by_state
            .entry(state.to_string())
            .or_default()
            .push(response);
    }

    /// Build mocks from a MockConfigFile for one state machine and test case.
    pub fn from_config(
        config: &Value,
        state_machine: &str,
        test_case: &str,
    ) -> Result<Mocks, String> {
        let machines = config
            .get("StateMachines")
            .and_then(Value::as_object)
            .ok_or("the mock config has no \"StateMachines\" object")?;
        let machine = machines
            .get(state_machine)
            .ok_or_else(|| format!("the mock config has no state machine '{state_machine}'"))?;
        let cases = machine
            .get("TestCases")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                format!("state machine '{state_machine}' has no \"TestCases\" object")
            })?;
        let case = cases
            .get(test_case)
            .and_then(Value::as_object)
            .ok_or_else(|| {
                format!("state machine '{state_machine}' has no test case '{test_case}'")
            })?;
        let responses = config
            .get("MockedResponses")
            .and_then(Value::as_object)
            .ok_or("the mock config has no \"MockedResponses\" object")?;
        let mut mocks = Mocks::default();
        for (state, name) in case {
            let name = name.as_str().ok_or_else(|| {
                format!("test case '{test_case}': state '{state}' must name a mocked response")
            })?;
            let table = responses
                .get(name)
                .and_then(Value::as_object)
                .ok_or_else(|| format!("no mocked response named '{name}'"))?;
            let mut slots: Vec<(usize, usize, MockResponse)> = Vec::new();
            for (key, v) in table {
                let (from, to) = parse_range(key)
                    .ok_or_else(|| format!("mocked response '{name}': bad invocation key '{key}' (use \"0\" or \"1-2\")"))?;
                slots.push((
                    from,
                    to,
                    parse_response(v)
                        .map_err(|e| format!("mocked response '{name}' key '{key}': {e}"))?,
                ));
            }
            slots.sort_by_key(|s| s.0);
            let mut list = Vec::new();
            for (from, to, resp) in slots {
                if from != list.len() {
                    return Err(format!(
                        "mocked response '{name}': invocation {} has no response (keys must be contiguous from 0)",
                        list.len()
                    ));
                }
                for _ in from..=to {
                    list.push(resp.clone());
                }
            }
            mocks.by_state.insert(state.clone(), list);
        }
        Ok(mocks)
    }

    /// TestState's `mock`: `{"result": "<json text>"}` or `{"errorOutput": {"error", "cause"}}`.
    pub fn from_test_state(state: &str, mock: &Value) -> Result<Mocks, String> {
        if mock.get("result").is_some() && mock.get("errorOutput").is_some() {
            return Err(
                "A test mock should have only one of the following fields: [result, errorOutput]."
                    .into(),
            );
        }
        let result = if let Some(text) = mock.get("result") {
            let text = text.as_str().ok_or("mock.result must be a JSON string")?;
            let v: Value = serde_json::from_str(text)
                .map_err(|_| "Mocked result must be valid JSON".to_string())?;
            MockResult::Return(v)
        } else if let Some(err) = mock.get("errorOutput") {
            MockResult::Throw {
                error: err
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                cause: err.get("cause").and_then(Value::as_str).map(str::to_string),
            }
        } else {
            return Err("mock must have result or errorOutput".into());
        };
        let mut m = Mocks::default();
        m.push(
            state,
            MockResponse {
                result,
                duration_seconds: 0.0,
            },
        );
        Ok(m)
    }
}

fn parse_range(key: &str) -> Option<(usize, usize)> {
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if a <= b && b - a < 100_000 {
                Some((a, b))
            } else {
                None
            }
        }
        None => {
            let a = key.trim().parse().ok()?;
            Some((a, a))
        }
    }
}

fn parse_response(v: &Value) -> Result<MockResponse, String> {
    let duration_seconds = v
        .get("DurationSeconds")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        .max(0.0);
    let result = if let Some(r) = v.get("Return") {
        MockResult::Return(r.clone())
    } else if let Some(t) = v.get("Throw") {
        MockResult::Throw {
            error: t
                .get("Error")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            cause: t.get("Cause").and_then(Value::as_str).map(str::to_string),
        }
    } else {
        return Err("a response needs \"Return\" or \"Throw\"".into());
    };
    Ok(MockResponse {
        result,
        duration_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mock_config_ranges_expand() {
        let cfg = json!({
            "StateMachines": {"SM": {"TestCases": {"Happy": {"Call": "R"}}}},
            "MockedResponses": {"R": {
                "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
                "1-2": {"Return": {"ok": true}}
            }}
        });
        let m = Mocks::from_config(&cfg, "SM", "Happy").unwrap();
        assert!(matches!(
            m.response("Call", 0).unwrap().result,
            MockResult::Throw { .. }
        ));
        assert_eq!(
            m.response("Call", 2).unwrap().result,
            MockResult::Return(json!({"ok": true}))
        );
        assert_eq!(
            m.response("Call", 9).unwrap().result,
            MockResult::Return(json!({"ok": true}))
        );
        assert!(Mocks::from_config(&cfg, "SM", "Nope").is_err());
    }
}
