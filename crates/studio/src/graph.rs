//! The flow graph derived from a definition: one node per state (nested ones too), one edge per transition.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Deepest nesting of Parallel/Map scopes that is drawn; deeper scopes are skipped (bounded recursion).
pub const MAX_DEPTH: usize = 32;

/// One step into a nested scope: the Parallel/Map state's name and the branch (0 for a Map processor).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScopeStep {
    pub state: String,
    pub branch: usize,
}

/// Where a set of states lives: empty for the top level, else the chain of containers leading to it.
pub type ScopePath = Vec<ScopeStep>;

/// What kind of transition an edge is; matches the page's `data-edge-kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    Next,
    Default,
    Choice,
    Catch,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Default => "default",
            EdgeKind::Choice => "choice",
            EdgeKind::Catch => "catch",
        }
    }
}

/// A state in the flow graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateNode {
    pub name: String,
    /// The `Type` field, or `"?"` when absent or not a string.
    pub kind: String,
    /// Index of the enclosing Parallel/Map state, `None` at the top level.
    pub parent: Option<usize>,
    /// Which branch of the parent (0 for a Map processor).
    pub branch: usize,
    pub start: bool,
    /// The `Resource` of a Task (for its service icon).
    pub resource: Option<String>,
    /// How many nested scopes a Parallel (its branches) or Map (its processor: 1) has, empty ones included.
    pub scopes: usize,
}

/// A transition between two states of the same scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub label: Option<String>,
    /// Which Choice rule or catcher (`Choices[i]`, `Catch[i]`) the edge comes from; 0 otherwise.
    pub rule: usize,
}

/// All states and transitions of a definition, nested scopes flattened with parent links.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlowGraph {
    pub nodes: Vec<StateNode>,
    pub edges: Vec<Edge>,
}

impl FlowGraph {
    /// Build the graph of a definition; malformed parts are skipped, never a panic.
    pub fn from_definition(definition: &Value) -> FlowGraph {
        let mut g = FlowGraph::default();
        g.add_scope(definition, None, 0, 0);
        g
    }

    /// The scope path of a node: the containers (and branches) enclosing it, outermost first.
    pub fn scope_of(&self, index: usize) -> ScopePath {
        let mut path = Vec::new();
        let mut cur = self.nodes.get(index);
        while let Some(node) = cur {
            let Some(p) = node.parent else { break };
            let Some(parent) = self.nodes.get(p) else {
                break;
            };
            path.push(ScopeStep {
                state: parent.name.clone(),
                branch: node.branch,
            });
            cur = Some(parent);
            if path.len() > MAX_DEPTH + 1 {
                break;
            }
        }
        path.reverse();
        path
    }

    /// The index of the node with this name in this scope.
    pub fn find(&self, scope: &[ScopeStep], name: &str) -> Option<usize> {
        (0..self.nodes.len()).find(|&i| self.nodes[i].name == name && self.scope_of(i) == scope)
    }

    /// The innermost existing state a JSON Pointer (a diagnostic's location such as
    /// `/States/Fan out/Branches/1/States/Notify/Parameters`) lies in, if any.
    pub fn node_at_pointer(&self, pointer: &str) -> Option<usize> {
        let tokens: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut parent: Option<usize> = None;
        let mut branch = 0;
        let mut found = None;
        let mut i = 0;
        while i + 1 < tokens.len() && tokens[i] == "States" {
            let name = &tokens[i + 1];
            let Some(node) = (0..self.nodes.len()).find(|&n| {
                let s = &self.nodes[n];
                s.parent == parent && s.branch == branch && s.name == *name
            }) else {
                break;
            };
            found = Some(node);
            i += 2;
            match tokens.get(i).map(String::as_str) {
                Some("Branches") => {
                    let Some(b) = tokens.get(i + 1).and_then(|b| b.parse().ok()) else {
                        break;
                    };
                    branch = b;
                    i += 2;
                }
                Some("ItemProcessor" | "Iterator") => {
                    branch = 0;
                    i += 1;
                }
                _ => break,
            }
            parent = Some(node);
        }
        found
    }

    fn add_scope(&mut self, machine: &Value, parent: Option<usize>, branch: usize, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(states) = machine.get("States").and_then(Value::as_object) else {
            return;
        };
        let start = machine.get("StartAt").and_then(Value::as_str);
        let first = self.nodes.len();
        for (name, state) in states {
            self.nodes.push(StateNode {
                name: name.clone(),
                kind: state
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string(),
                parent,
                branch,
                start: Some(name.as_str()) == start,
                resource: state
                    .get("Resource")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                scopes: nested_scopes(state),
            });
        }
        let by_name: HashMap<&str, usize> = states
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), first + i))
            .collect();
        let index_of = |_: &[StateNode], target: &str| by_name.get(target).copied();
        for (offset, (_, state)) in states.iter().enumerate() {
            let from = first + offset;
            let push = |target: Option<&Value>,
                        kind: EdgeKind,
                        label: Option<String>,
                        rule: usize,
                        g: &mut FlowGraph| {
                if let Some(to) = target
                    .and_then(Value::as_str)
                    .and_then(|t| index_of(&g.nodes, t))
                {
                    g.edges.push(Edge {
                        from,
                        to,
                        kind,
                        label,
                        rule,
                    });
                }
            };
            if let Some(choices) = state.get("Choices").and_then(Value::as_array) {
                for (i, rule) in choices.iter().enumerate() {
                    push(
                        rule.get("Next"),
                        EdgeKind::Choice,
                        Some(rule_label(rule, i)),
                        i,
                        self,
                    );
                }
            }
            push(
                state.get("Default"),
                EdgeKind::Default,
                Some("Default".into()),
                0,
                self,
            );
            push(state.get("Next"), EdgeKind::Next, None, 0, self);
            if let Some(catches) = state.get("Catch").and_then(Value::as_array) {
                for (i, c) in catches.iter().enumerate() {
                    let errors = c.get("ErrorEquals").and_then(Value::as_array).map(|e| {
                        e.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    push(c.get("Next"), EdgeKind::Catch, errors, i, self);
                }
            }
        }
        for (offset, (_, state)) in states.iter().enumerate() {
            let me = Some(first + offset);
            if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
                for (b, machine) in branches.iter().enumerate() {
                    self.add_scope(machine, me, b, depth + 1);
                }
            }
            if let Some(machine) = ["ItemProcessor", "Iterator"]
                .iter()
                .find_map(|key| state.get(*key))
            {
                self.add_scope(machine, me, 0, depth + 1);
            }
        }
    }
}

/// How many nested scopes a state has: its `Branches`, or 1 for a Map's processor.
fn nested_scopes(state: &Value) -> usize {
    if let Some(b) = state.get("Branches").and_then(Value::as_array) {
        return b.len();
    }
    usize::from(
        ["ItemProcessor", "Iterator"]
            .iter()
            .any(|k| state.get(*k).is_some_and(Value::is_object)),
    )
}

/// A short label for a Choice rule: its condition, e.g. `$.x == 3`.
fn rule_label(rule: &Value, index: usize) -> String {
    if let Some(cond) = rule.get("Condition").and_then(Value::as_str) {
        return cond.to_string();
    }
    let var = rule.get("Variable").and_then(Value::as_str);
    let ops = [
        ("StringEquals", "=="),
        ("NumericEquals", "=="),
        ("BooleanEquals", "=="),
        ("TimestampEquals", "=="),
        ("NumericLessThan", "<"),
        ("NumericGreaterThan", ">"),
        ("NumericLessThanEquals", "<="),
        ("NumericGreaterThanEquals", ">="),
        ("StringMatches", "matches"),
        ("IsPresent", "is present"),
    ];
    if let (Some(var), Some(obj)) = (var, rule.as_object()) {
        for (op, sym) in ops {
            if let Some(v) = obj.get(op) {
                return format!("{var} {sym} {v}");
            }
        }
    }
    format!("Rule #{}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_map_to_the_innermost_state() {
        let def = json!({"StartAt": "P/1", "States": {
            "P/1": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor":
                    {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}}}}]}}});
        let g = FlowGraph::from_definition(&def);
        let name = |p: &str| g.node_at_pointer(p).map(|i| g.nodes[i].name.as_str());
        for (pointer, expected) in [
            ("/States/P~11", Some("P/1")),
            ("/States/P~11/Branches", Some("P/1")),
            ("/States/P~11/Branches/0/States/A/Next", Some("A")),
            (
                "/States/P~11/Branches/1/States/M/ItemProcessor/States/In",
                Some("In"),
            ),
            ("/States/P~11/Branches/1/States/M/MaxConcurrency", Some("M")),
            ("/States/P~11/Branches/0/States/In", Some("P/1")),
            ("/States/P~11/Branches/x/States/A", Some("P/1")),
            ("/StartAt", None),
            ("", None),
            ("/States/Nope", None),
        ] {
            assert_eq!(name(pointer), expected, "{pointer}");
        }
        let nodes: Vec<_> = g
            .nodes
            .iter()
            .map(|n| (n.name.as_str(), n.parent, n.branch))
            .collect();
        assert_eq!(
            nodes,
            [
                ("P/1", None, 0),
                ("A", Some(0), 0),
                ("M", Some(0), 1),
                ("In", Some(2), 0)
            ]
        );
        assert_eq!(
            g.scope_of(3),
            vec![
                ScopeStep {
                    state: "P/1".into(),
                    branch: 1
                },
                ScopeStep {
                    state: "M".into(),
                    branch: 0
                }
            ]
        );
        assert_eq!(g.find(&g.scope_of(3), "In"), Some(3));
        assert_eq!(g.find(&[], "In"), None);
    }
}
