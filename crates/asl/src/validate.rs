//! Validation entry point: text in, definition and diagnostics out (never panics).
//!
//! This first pass checks well-formed JSON, the top-level shape and every transition target.
//! The full AWS rule set grows here, one rule per module.

use crate::diagnostic::{Diagnostic, Span, pointer_token};
use serde_json::Value;

/// The result of analysing a definition's text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The parsed definition, when the text is well-formed.
    pub definition: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::Severity::Error)
    }
}

/// Parse and validate a definition's text.
pub fn analyze(text: &str) -> Analysis {
    let definition: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let mut d = Diagnostic::error(
                "INVALID_JSON_DESCRIPTION",
                format!("Invalid State Machine Definition: '{e}'"),
                "",
            );
            d.span = Some(Span::of(text, offset, offset));
            return Analysis {
                definition: None,
                diagnostics: vec![d],
            };
        }
    };
    let mut diagnostics = Vec::new();
    check_machine(&definition, "", &mut diagnostics);
    Analysis {
        definition: Some(definition),
        diagnostics,
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

fn schema(diags: &mut Vec<Diagnostic>, message: String, location: String) {
    diags.push(Diagnostic::error(
        "SCHEMA_VALIDATION_FAILED",
        message,
        location,
    ));
}

fn check_machine(machine: &Value, at: &str, diags: &mut Vec<Diagnostic>) {
    let Some(obj) = machine.as_object() else {
        schema(
            diags,
            format!("Expected an object at {}", display(at)),
            at.to_string(),
        );
        return;
    };
    let states = match obj.get("States") {
        Some(Value::Object(states)) => Some(states),
        Some(_) => {
            schema(
                diags,
                "States must be an object".into(),
                format!("{at}/States"),
            );
            None
        }
        None => {
            schema(
                diags,
                "These fields are required: [States]".into(),
                at.to_string(),
            );
            None
        }
    };
    match obj.get("StartAt") {
        Some(Value::String(start)) => {
            if let Some(states) = states
                && !states.contains_key(start)
            {
                diags.push(Diagnostic::error(
                    "MISSING_TRANSITION_TARGET",
                    format!("Missing 'Next' target: {start}"),
                    format!("{at}/StartAt"),
                ));
            }
        }
        Some(_) => schema(
            diags,
            "StartAt must be a string".into(),
            format!("{at}/StartAt"),
        ),
        None => schema(
            diags,
            "These fields are required: [StartAt]".into(),
            at.to_string(),
        ),
    }
    let Some(states) = states else { return };
    for (name, state) in states {
        let here = format!("{at}/States/{}", pointer_token(name));
        let targets = transition_targets(state);
        for (pointer, target) in targets {
            if !states.contains_key(&target) {
                diags.push(Diagnostic::error(
                    "MISSING_TRANSITION_TARGET",
                    format!("Missing 'Next' target: {target}"),
                    format!("{here}{pointer}"),
                ));
            }
        }
        if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
            for (i, branch) in branches.iter().enumerate() {
                check_machine(branch, &format!("{here}/Branches/{i}"), diags);
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(processor) = state.get(key) {
                check_machine(processor, &format!("{here}/{key}"), diags);
            }
        }
    }
}

/// Every `(pointer suffix, target)` transition of one state: Next, Default, Choices, Catch.
pub fn transition_targets(state: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |pointer: String, v: Option<&Value>| {
        if let Some(Value::String(t)) = v {
            out.push((pointer, t.clone()));
        }
    };
    push("/Next".into(), state.get("Next"));
    push("/Default".into(), state.get("Default"));
    for (list, field) in [("Choices", "Next"), ("Catch", "Next")] {
        if let Some(items) = state.get(list).and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                push(format!("/{list}/{i}/{field}"), item.get(field));
            }
        }
    }
    out
}

fn display(at: &str) -> &str {
    if at.is_empty() { "the top level" } else { at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(String, String)> {
        analyze(text)
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.location))
            .collect()
    }

    #[test]
    fn valid_definition_has_no_diagnostics() {
        let text =
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#;
        assert_eq!(codes(text), vec![]);
    }

    #[test]
    fn missing_target_points_at_the_field() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Next":"Nope"}],"Default":"A"}}}"#;
        assert_eq!(
            codes(text),
            vec![(
                "MISSING_TRANSITION_TARGET".into(),
                "/States/A/Choices/0/Next".into()
            )]
        );
    }

    #[test]
    fn malformed_json_reports_position() {
        let a = analyze("{\n  \"StartAt\": ,\n}");
        assert_eq!(a.diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
        assert_eq!(a.diagnostics[0].span.map(|s| s.line), Some(2));
    }
}
