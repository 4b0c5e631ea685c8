//! The document: the ASL text the user owns (the ground truth) and the JSON value parsed from it.
//! Structural edits change the value and re-render the text as pretty JSON with a 2-space indent;
//! unknown fields and key order survive because `serde_json` keeps insertion order.

use crate::graph::{FlowGraph, MAX_DEPTH, ScopeStep};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Why the text is not a JSON object (structural edits need one; the text is kept as typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column of the error.
    pub line: usize,
    pub column: usize,
}

/// The ASL text and what is derived from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    text: String,
    value: Option<Value>,
    error: Option<ParseError>,
    /// True when `text` is exactly `render(value)`.
    canonical: bool,
    /// True when the text is YAML (edits then re-render it as YAML).
    yaml: bool,
}

impl Default for Document {
    fn default() -> Self {
        Document::new("")
    }
}

/// The canonical text of a value: pretty JSON, 2-space indent, trailing newline.
pub fn render(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

impl Document {
    /// A document over any text; an unparsable text gives a document with a parse error, never a panic.
    pub fn new(text: impl Into<String>) -> Document {
        let mut d = Document {
            text: String::new(),
            value: None,
            error: None,
            canonical: false,
            yaml: false,
        };
        d.set_text(text.into());
        d
    }

    /// A document holding the canonical rendering of a value.
    pub fn from_value(value: Value) -> Document {
        let text = render(&value);
        Document {
            text,
            value: Some(value),
            error: None,
            canonical: true,
            yaml: false,
        }
    }

    /// True when the text is YAML.
    pub fn is_yaml(&self) -> bool {
        self.yaml
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed definition, when the text is a JSON object.
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    pub fn parse_error(&self) -> Option<&ParseError> {
        self.error.as_ref()
    }

    /// True when the text is exactly the canonical rendering of its value.
    pub fn is_canonical(&self) -> bool {
        self.canonical
    }

    /// The flow graph of the definition (empty when the text does not parse).
    pub fn graph(&self) -> FlowGraph {
        self.value
            .as_ref()
            .map(FlowGraph::from_definition)
            .unwrap_or_default()
    }

    /// Validates the text with the language crate (AWS's codes and messages).
    pub fn analyze(&self) -> asl::Analysis {
        asl::analyze(&self.text)
    }

    pub(crate) fn set_text(&mut self, text: String) {
        self.yaml = false;
        if asl::syntax::detect(&text) == asl::syntax::Format::Yaml
            && let Ok(node) = asl::syntax::yaml::parse(&text)
            && node.is_object()
        {
            let v = node.to_value();
            self.canonical = crate::code::to_yaml(&v).is_ok_and(|t| t == text);
            self.value = Some(v);
            self.error = None;
            self.yaml = true;
            self.text = text;
            return;
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(v) if v.is_object() => {
                self.canonical = render(&v) == text;
                self.value = Some(v);
                self.error = None;
            }
            Ok(_) => {
                self.value = None;
                self.canonical = false;
                self.error = Some(ParseError {
                    message: "the definition must be a JSON object".into(),
                    line: 1,
                    column: 1,
                });
            }
            Err(e) => {
                self.value = None;
                self.canonical = false;
                self.error = Some(ParseError {
                    message: e.to_string(),
                    line: e.line(),
                    column: e.column(),
                });
            }
        }
        self.text = text;
    }

    pub(crate) fn take_value(&mut self) -> Option<Value> {
        self.value.take()
    }

    /// Installs an edited value and re-renders the text.
    pub(crate) fn put_value(&mut self, value: Value) {
        let yaml = if self.yaml {
            crate::code::to_yaml(&value).ok()
        } else {
            None
        };
        self.yaml = yaml.is_some();
        self.text = yaml.unwrap_or_else(|| render(&value));
        self.value = Some(value);
        self.error = None;
        self.canonical = true;
    }

    /// Restores a value without touching the text (rollback of a failed edit).
    pub(crate) fn restore_value(&mut self, value: Option<Value>) {
        self.value = value;
    }

    /// Every state name in the definition, nested scopes included (ASL wants them unique machine-wide).
    pub fn state_names(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(v) = &self.value {
            collect_names(v, 0, &mut out);
        }
        out
    }

    /// A state name not used anywhere in the definition: `base`, else `base 2`, `base 3`, ...
    pub fn unique_name(&self, base: &str) -> String {
        unique_name(&self.state_names(), base)
    }

    /// The machine object (with `StartAt` and `States`) of a scope, if it exists.
    pub fn scope_value(&self, scope: &[ScopeStep]) -> Option<&Value> {
        let v = self.value.as_ref()?;
        v.pointer(&scope_pointer(v, scope)?)
    }

    /// The state object at `name` in a scope.
    pub fn state(&self, scope: &[ScopeStep], name: &str) -> Option<&Value> {
        self.scope_value(scope)?.get("States")?.get(name)
    }
}

/// `base`, or `base N` with the smallest N ≥ 2 that is not in `taken`.
pub fn unique_name(taken: &BTreeSet<String>, base: &str) -> String {
    let base = if base.trim().is_empty() {
        "State"
    } else {
        base.trim()
    };
    if !taken.contains(base) {
        return base.to_string();
    }
    let stem = match base.rsplit_once(' ') {
        Some((stem, n)) if n.parse::<u32>().is_ok() && !stem.is_empty() => stem,
        _ => base,
    };
    (2u64..)
        .map(|n| format!("{stem} {n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| format!("{stem} copy"))
}

pub(crate) fn collect_names(machine: &Value, depth: usize, out: &mut BTreeSet<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(states) = machine.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        out.insert(name.clone());
        for inner in nested_machines(state) {
            collect_names(inner, depth + 1, out);
        }
    }
}

/// The machines nested in a state: Parallel branches, or a Map's processor.
pub(crate) fn nested_machines(state: &Value) -> Vec<&Value> {
    if let Some(b) = state.get("Branches").and_then(Value::as_array) {
        return b.iter().collect();
    }
    ["ItemProcessor", "Iterator"]
        .iter()
        .find_map(|k| state.get(*k))
        .into_iter()
        .collect()
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn escape_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The JSON Pointer of a scope's machine object, checking that each step exists.
pub fn scope_pointer(root: &Value, scope: &[ScopeStep]) -> Option<String> {
    let mut ptr = String::new();
    let mut cur = root;
    for step in scope {
        let state = cur.get("States")?.get(&step.state)?;
        let state_ptr = format!("{ptr}/States/{}", escape_token(&step.state));
        if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
            cur = branches.get(step.branch)?;
            ptr = format!("{state_ptr}/Branches/{}", step.branch);
        } else {
            let key = ["ItemProcessor", "Iterator"]
                .into_iter()
                .find(|k| state.get(*k).is_some())?;
            if step.branch != 0 {
                return None;
            }
            cur = state.get(key)?;
            ptr = format!("{state_ptr}/{key}");
        }
    }
    Some(ptr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_kept_as_typed_and_canonical_form_is_detected() {
        let d = Document::new("{\"StartAt\":\"A\",\"States\":{}}");
        assert_eq!(d.text(), "{\"StartAt\":\"A\",\"States\":{}}");
        assert!(!d.is_canonical());
        let c = Document::from_value(json!({"b": 1, "a": {"z": [1, 2]}}));
        assert_eq!(
            c.text(),
            "{\n  \"b\": 1,\n  \"a\": {\n    \"z\": [\n      1,\n      2\n    ]\n  }\n}\n"
        );
        assert!(Document::new(c.text()).is_canonical());
    }

    #[test]
    fn bad_text_gives_an_error_not_a_panic() {
        for (text, line) in [
            ("", 1),
            ("{\n  \"a\": ", 2),
            ("[1]", 1),
            ("\u{0}", 1),
            ("{}}", 1),
        ] {
            let d = Document::new(text);
            assert!(d.value().is_none(), "{text:?}");
            assert_eq!(d.parse_error().unwrap().line, line, "{text:?}");
            assert!(d.graph().nodes.is_empty());
        }
        let deep = "[".repeat(100_000);
        assert!(Document::new(deep).parse_error().is_some());
    }

    #[test]
    fn unique_names_and_scope_pointers() {
        let d = Document::from_value(json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                                                 {"StartAt": "A 2", "States": {"A 2": {"Type": "Pass", "End": true}}}], "End": true},
            "M/x": {"Type": "Map", "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}, "End": true}}}));
        assert_eq!(d.unique_name("A"), "A 3");
        assert_eq!(d.unique_name("A 2"), "A 3");
        assert_eq!(d.unique_name("In"), "In 2");
        assert_eq!(d.unique_name("New"), "New");
        assert_eq!(d.unique_name("  "), "State");
        let step = |s: &str, b| ScopeStep {
            state: s.into(),
            branch: b,
        };
        let v = d.value().unwrap();
        assert_eq!(scope_pointer(v, &[]).as_deref(), Some(""));
        assert_eq!(
            scope_pointer(v, &[step("P", 1)]).as_deref(),
            Some("/States/P/Branches/1")
        );
        assert_eq!(
            scope_pointer(v, &[step("M/x", 0)]).as_deref(),
            Some("/States/M~1x/ItemProcessor")
        );
        assert_eq!(scope_pointer(v, &[step("P", 2)]), None);
        assert_eq!(scope_pointer(v, &[step("M/x", 1)]), None);
        assert!(d.state(&[step("M/x", 0)], "In").is_some());
        assert_eq!(d.state_names().len(), 5);
    }
}
