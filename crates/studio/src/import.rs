//! Import the state machines of a CloudFormation or SAM template (JSON or YAML, with YAML's short tags
//! `!Sub`, `!Join`, `!GetAtt`, `!Ref`, ...): `AWS::StepFunctions::StateMachine` (`Definition` object,
//! `DefinitionString` as a string, `Fn::Sub` in both forms or `Fn::Join`) and
//! `AWS::Serverless::StateMachine` (`Definition`; a `DefinitionUri` names a file or S3 object and is
//! reported, not fetched).
//!
//! Intrinsic functions become visible placeholders in the definition's strings, in `Fn::Sub`'s own
//! syntax: `{"Ref": "Fn"}` → `${Fn}`, `{"Fn::GetAtt": ["Fn", "Arn"]}` → `${Fn.Arn}`. A two-argument
//! `Fn::Sub` substitutes its literal string variables and keeps the others as placeholders;
//! `DefinitionSubstitutions` are listed beside the definition and its `${Name}` placeholders are kept
//! (that is what AWS substitutes at deploy time).
//!
//! yaml-rust2's event parser reports each node's tag; the asl crate's YAML reader ignores tags (an ASL
//! definition has none), so templates get their own reader here, bounded in depth and node count.

use crate::document::render;
use serde_json::{Map, Value};
use std::fmt;
use yaml_rust2::parser::{Event, EventReceiver, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// Deepest nesting accepted in a template.
const MAX_DEPTH: usize = 128;
/// Most nodes a YAML template may produce (aliases included: guards against "billion laughs").
const MAX_NODES: usize = 1_000_000;

/// One state machine found in a template.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMachine {
    /// The resource's logical id.
    pub logical_id: String,
    /// `AWS::StepFunctions::StateMachine` or `AWS::Serverless::StateMachine`.
    pub resource_type: String,
    /// The definition text (canonical JSON when it parses), or why there is none.
    pub definition: Result<String, String>,
    /// The `${...}` placeholders left in the definition, sorted.
    pub placeholders: Vec<String>,
    /// `DefinitionSubstitutions`: name → what AWS substitutes (a literal, `Ref X`, `X.Attr`, ...).
    pub substitutions: Vec<(String, String)>,
}

/// Why a text is not a template with state machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Neither JSON nor YAML.
    Syntax(String),
    /// No `Resources` mapping at the top.
    NotATemplate,
    /// A template without any state machine resource.
    NoStateMachines,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Syntax(m) => write!(f, "the file is neither JSON nor YAML: {m}"),
            ImportError::NotATemplate => {
                write!(
                    f,
                    "the file is not a CloudFormation or SAM template (no Resources)"
                )
            }
            ImportError::NoStateMachines => write!(
                f,
                "the template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine resource"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Parses JSON (when the text starts with `{` or `[`) or YAML with CloudFormation's short tags.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        match serde_json::from_str(t) {
            Ok(v) => return Ok(v),
            // JSON-looking YAML (flow style with tags) still gets its chance below
            Err(e) if !t.contains('!') => return Err(e.to_string()),
            Err(_) => {}
        }
    }
    parse_yaml(t)
}

/// True when a value looks like a template (a `Resources` mapping) rather than an ASL definition.
pub fn is_template(value: &Value) -> bool {
    value.get("Resources").is_some_and(Value::is_object) && value.get("States").is_none()
}

/// Every state machine of a template, in the template's order.
pub fn import_template(text: &str) -> Result<Vec<ImportedMachine>, ImportError> {
    let value = parse_value(text).map_err(ImportError::Syntax)?;
    machines(&value)
}

/// Every state machine of a parsed template.
pub fn machines(template: &Value) -> Result<Vec<ImportedMachine>, ImportError> {
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or(ImportError::NotATemplate)?;
    let mut out = Vec::new();
    for (id, resource) in resources {
        let ty = resource.get("Type").and_then(Value::as_str).unwrap_or("");
        if ty != "AWS::StepFunctions::StateMachine" && ty != "AWS::Serverless::StateMachine" {
            continue;
        }
        let empty = Map::new();
        let props = resource
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let definition = definition_text(props, ty == "AWS::Serverless::StateMachine");
        let substitutions = props
            .get("DefinitionSubstitutions")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), describe(v))).collect())
            .unwrap_or_default();
        let placeholders = definition
            .as_ref()
            .map(|t| placeholders(t))
            .unwrap_or_default();
        out.push(ImportedMachine {
            logical_id: id.clone(),
            resource_type: ty.to_string(),
            definition,
            placeholders,
            substitutions,
        });
    }
    if out.is_empty() {
        return Err(ImportError::NoStateMachines);
    }
    Ok(out)
}

fn definition_text(props: &Map<String, Value>, sam: bool) -> Result<String, String> {
    if let Some(def) = props.get("Definition") {
        if !def.is_object() {
            return Err("its Definition is not an object".into());
        }
        return Ok(render(&resolve(def, 0)));
    }
    if let Some(s) = props.get("DefinitionString") {
        let text = to_text(s, 0);
        // A definition that parses is shown in the canonical form; otherwise exactly as written.
        return Ok(match serde_json::from_str::<Value>(&text) {
            Ok(v) if v.is_object() => render(&v),
            _ => text,
        });
    }
    if let Some(uri) = props.get("DefinitionUri") {
        return Err(match uri {
            Value::String(path) if sam => {
                format!("its definition is in the file {path}; open that file instead")
            }
            _ => "its definition is stored in S3 (DefinitionUri); download it and open the file"
                .into(),
        });
    }
    if props.contains_key("DefinitionS3Location") {
        return Err(
            "its definition is stored in S3 (DefinitionS3Location); download it and open the file"
                .into(),
        );
    }
    Err("it has no Definition or DefinitionString".into())
}

/// The name of an intrinsic function object (`{"Ref": ..}` or `{"Fn::X": ..}` with one key).
fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    let (k, arg) = o.iter().next()?;
    (k == "Ref" || k == "Condition" || k.starts_with("Fn::")).then_some((k.as_str(), arg))
}

/// A definition value with every intrinsic function replaced by its placeholder text.
fn resolve(v: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if intrinsic(v).is_some() {
        return Value::String(to_text(v, depth + 1));
    }
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), resolve(x, depth + 1)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| resolve(x, depth + 1)).collect()),
        other => other.clone(),
    }
}

/// The text of a value in a string position: intrinsics become `${...}` placeholders.
fn to_text(v: &Value, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(a) => a
            .iter()
            .map(|x| to_text(x, depth + 1))
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => match intrinsic(v) {
            Some(("Ref", Value::String(name))) => format!("${{{name}}}"),
            Some(("Fn::GetAtt", arg)) => format!("${{{}}}", get_att(arg)),
            Some(("Fn::Sub", Value::String(s))) => sub(s, &Map::new(), depth),
            Some(("Fn::Sub", Value::Array(a))) => {
                let template = a.first().and_then(Value::as_str).unwrap_or("");
                let empty = Map::new();
                let vars = a.get(1).and_then(Value::as_object).unwrap_or(&empty);
                sub(template, vars, depth)
            }
            Some(("Fn::Join", Value::Array(a))) => {
                let sep = a.first().and_then(Value::as_str).unwrap_or("");
                match a.get(1) {
                    Some(Value::Array(parts)) => parts
                        .iter()
                        .map(|p| to_text(p, depth + 1))
                        .collect::<Vec<_>>()
                        .join(sep),
                    Some(other) => to_text(other, depth + 1),
                    None => String::new(),
                }
            }
            Some((name, _)) => format!("${{{name}}}"),
            None => v.to_string(),
        },
    }
}

/// `A.B` for `["A", "B"]` or `"A.B"`.
fn get_att(arg: &Value) -> String {
    match arg {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => to_text(other, MAX_DEPTH),
            })
            .collect::<Vec<_>>()
            .join("."),
        other => other.to_string(),
    }
}

/// `Fn::Sub`: `${Var}` from `vars` (literal strings substituted, intrinsics as their placeholder),
/// other `${Name}` kept; `${!Literal}` is the escape for a literal `${Literal}`.
fn sub(template: &str, vars: &Map<String, Value>, depth: usize) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = &after[..end];
        if let Some(lit) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(lit);
            out.push('}');
        } else {
            match vars.get(name.trim()) {
                Some(v) => out.push_str(&to_text(v, depth + 1)),
                None => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A short description of a substitution value.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => match intrinsic(v) {
            Some(("Ref", Value::String(n))) => format!("Ref {n}"),
            Some(("Fn::GetAtt", arg)) => get_att(arg),
            Some(("Fn::Sub", _)) | Some(("Fn::Join", _)) => to_text(v, 0),
            _ => v.to_string(),
        },
    }
}

/// The distinct `${...}` placeholders of a text, sorted.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && !name.contains(['{', '"', '\n']) {
            out.push(name.to_string());
        }
        rest = &after[end + 1..];
    }
    out.sort();
    out.dedup();
    out
}

// ---------- YAML with tags ----------

/// A YAML document as JSON, CloudFormation's short tags (`!Ref X`, `!Sub ...`, `!GetAtt A.B`) as their
/// long forms (`{"Ref": "X"}`, `{"Fn::Sub": ...}`, `{"Fn::GetAtt": ["A", "B"]}`).
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    let mut b = YamlBuilder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut b, false)
        .map_err(|e| format!("line {}: {}", e.marker().line(), e.info()))?;
    if let Some(e) = b.error {
        return Err(e);
    }
    b.root.ok_or_else(|| "the file is empty".to_string())
}

enum Frame {
    Seq(Vec<Value>, usize, Option<Tag>),
    Map(Map<String, Value>, usize, Option<Tag>, Option<String>),
}

#[derive(Default)]
struct YamlBuilder {
    stack: Vec<Frame>,
    anchors: Vec<(usize, Value)>,
    root: Option<Value>,
    error: Option<String>,
    nodes: usize,
}

/// The long form of a CloudFormation short tag around `v`.
fn apply_tag(tag: Option<Tag>, v: Value) -> Value {
    let Some(tag) = tag else { return v };
    if tag.handle != "!" {
        return v; // `!!str` and friends: the value as is
    }
    let name = tag.suffix.as_str();
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    };
    let v = match (name, v) {
        ("GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((a, b)) => Value::Array(vec![Value::String(a.into()), Value::String(b.into())]),
            None => Value::String(s),
        },
        (_, v) => v,
    };
    let mut m = Map::new();
    m.insert(key, v);
    Value::Object(m)
}

fn yaml_scalar(value: String, style: TScalarStyle, tag: &Option<Tag>) -> Value {
    let plain = style == TScalarStyle::Plain && tag.as_ref().is_none_or(|t| t.handle == "!");
    if !plain {
        return Value::String(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        v => {
            let numeric = v
                .trim_start_matches('-')
                .starts_with(|c: char| c.is_ascii_digit())
                && !v.contains(['_', 'x', 'o', ':']);
            if numeric && let Ok(n) = serde_json::from_str::<serde_json::Number>(v) {
                return Value::Number(n);
            }
            Value::String(value)
        }
    }
}

impl YamlBuilder {
    fn push(&mut self, v: Value, anchor: usize) {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.error
                .get_or_insert_with(|| "the YAML document is too large".into());
            return;
        }
        if anchor > 0 {
            self.anchors.push((anchor, v.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(v);
                }
            }
            Some(Frame::Seq(items, _, _)) => items.push(v),
            Some(Frame::Map(map, _, _, pending)) => match pending.take() {
                None => {
                    let key = match v {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".into(),
                        _ => {
                            self.error
                                .get_or_insert_with(|| "YAML mapping keys must be scalars".into());
                            return;
                        }
                    };
                    *pending = Some(key);
                }
                Some(key) => {
                    map.insert(key, v);
                }
            },
        }
    }
}

impl EventReceiver for YamlBuilder {
    fn on_event(&mut self, ev: Event) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let v = yaml_scalar(value, style, &tag);
                self.push(apply_tag(tag, v), anchor);
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if self.stack.len() >= MAX_DEPTH =>
            {
                let _ = (anchor, tag);
                self.error = Some("the YAML document is nested too deeply".into());
            }
            Event::SequenceStart(anchor, tag) => {
                self.stack.push(Frame::Seq(Vec::new(), anchor, tag));
            }
            Event::MappingStart(anchor, tag) => {
                self.stack.push(Frame::Map(Map::new(), anchor, tag, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor, tag) = match self.stack.pop() {
                    Some(Frame::Seq(items, a, t)) => (Value::Array(items), a, t),
                    Some(Frame::Map(m, a, t, _)) => (Value::Object(m), a, t),
                    None => return,
                };
                self.push(apply_tag(tag, v), anchor);
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, v)| v.clone());
                match found {
                    Some(v) => {
                        // count the alias's nodes against the budget
                        self.nodes += count_nodes(&v, MAX_NODES);
                        self.push(v, 0);
                    }
                    None => {
                        self.error = Some("a YAML alias refers to an unknown anchor".into());
                    }
                }
            }
            _ => {}
        }
    }
}

fn count_nodes(v: &Value, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        if n > limit {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{ExportOptions, TemplateKind, template};
    use serde_json::json;

    /// One row: a template → (logical id, definition value or error substring, placeholders).
    fn check(template: &str, expected: &[(&str, Result<Value, &str>, &[&str])]) {
        let got = import_template(template).unwrap_or_else(|e| panic!("{e}\n{template}"));
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for (m, (id, def, ph)) in got.iter().zip(expected) {
            assert_eq!(m.logical_id, *id);
            match (&m.definition, def) {
                (Ok(text), Ok(v)) => {
                    let parsed: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                    assert_eq!(&parsed, v, "{text}");
                }
                (Err(e), Err(want)) => assert!(e.contains(want), "{e}"),
                (got, want) => panic!("{id}: got {got:?}, want {want:?}"),
            }
            assert_eq!(
                m.placeholders,
                ph.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            );
        }
    }

    fn pass(start: &str) -> Value {
        json!({"StartAt": start, "States": {start: {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn json_templates() {
        let t = json!({
            "Resources": {
                "Bucket": {"Type": "AWS::S3::Bucket"},
                "ObjectDef": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "Definition": {"StartAt": "Call", "States": {"Call": {"Type": "Task",
                        "Resource": {"Fn::GetAtt": ["Worker", "Arn"]}, "End": true}}}}},
                "StringDef": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "DefinitionString": "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}"}},
                "SubDef": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "DefinitionString": {"Fn::Sub": "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"${FnArn}\",\"Comment\":\"${!Literal} in ${AWS::Region}\",\"End\":true}}}"},
                    "DefinitionSubstitutions": {"FnArn": {"Fn::GetAtt": ["Worker", "Arn"]}, "Table": "orders"}}},
                "Sub2": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "DefinitionString": {"Fn::Sub": ["{\"StartAt\":\"${Name}\",\"States\":{\"${Name}\":{\"Type\":\"Task\",\"Resource\":\"${Arn}\",\"End\":true}}}",
                        {"Name": "Go", "Arn": {"Ref": "WorkerArn"}}]}}},
                "Joined": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"J\",\"States\":{\"J\":{\"Type\":\"Task\",\"Resource\":\"",
                        {"Fn::GetAtt": ["Worker", "Arn"]}, "\",\"End\":true}}}"]]}}},
                "Sam": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": pass("S")}},
                "SamFile": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "statemachine/flow.asl.json"}},
                "S3": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionS3Location": {"Bucket": "b", "Key": "k"}}},
                "Nothing": {"Type": "AWS::StepFunctions::StateMachine"},
            }
        })
        .to_string();
        check(
            &t,
            &[
                (
                    "ObjectDef",
                    Ok(
                        json!({"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "${Worker.Arn}", "End": true}}}),
                    ),
                    &["Worker.Arn"],
                ),
                ("StringDef", Ok(pass("A")), &[]),
                (
                    "SubDef",
                    Ok(
                        json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "Comment": "${Literal} in ${AWS::Region}", "End": true}}}),
                    ),
                    &["AWS::Region", "FnArn", "Literal"],
                ),
                (
                    "Sub2",
                    Ok(
                        json!({"StartAt": "Go", "States": {"Go": {"Type": "Task", "Resource": "${WorkerArn}", "End": true}}}),
                    ),
                    &["WorkerArn"],
                ),
                (
                    "Joined",
                    Ok(
                        json!({"StartAt": "J", "States": {"J": {"Type": "Task", "Resource": "${Worker.Arn}", "End": true}}}),
                    ),
                    &["Worker.Arn"],
                ),
                ("Sam", Ok(pass("S")), &[]),
                ("SamFile", Err("statemachine/flow.asl.json"), &[]),
                ("S3", Err("S3"), &[]),
                ("Nothing", Err("no Definition"), &[]),
            ],
        );
        let m = import_template(&t).unwrap();
        assert_eq!(
            m[2].substitutions,
            [
                ("FnArn".to_string(), "Worker.Arn".to_string()),
                ("Table".to_string(), "orders".to_string())
            ]
        );
    }

    #[test]
    fn yaml_templates_with_short_tags() {
        let t = r#"
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: !GetAtt Worker.Arn
            Next: Wait
          Wait:
            Type: Wait
            Seconds: 5
            Next: Notify
          Notify:
            Type: Task
            Resource: !Ref TopicArn
            Parameters:
              Message: !Sub "done in ${AWS::Region}"
              Subject: !Join [ "-", [ "run", !Ref Env ] ]
            End: true
  Classic:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}
      DefinitionSubstitutions:
        FnArn: !GetAtt [Worker, Arn]
  Listed:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub
        - '{"StartAt": "${S}", "States": {"${S}": {"Type": "Succeed"}}}'
        - S: Finish
"#;
        check(
            t,
            &[
                (
                    "Flow",
                    Ok(json!({"StartAt": "Call", "States": {
                        "Call": {"Type": "Task", "Resource": "${Worker.Arn}", "Next": "Wait"},
                        "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Notify"},
                        "Notify": {"Type": "Task", "Resource": "${TopicArn}", "Parameters": {
                            "Message": "done in ${AWS::Region}", "Subject": "run-${Env}"}, "End": true}}})),
                    &["AWS::Region", "Env", "TopicArn", "Worker.Arn"],
                ),
                (
                    "Classic",
                    Ok(
                        json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}),
                    ),
                    &["FnArn"],
                ),
                (
                    "Listed",
                    Ok(json!({"StartAt": "Finish", "States": {"Finish": {"Type": "Succeed"}}})),
                    &[],
                ),
            ],
        );
        let m = import_template(t).unwrap();
        assert_eq!(m[1].substitutions, [("FnArn".into(), "Worker.Arn".into())]);
        assert_eq!(m[0].resource_type, "AWS::Serverless::StateMachine");
    }

    #[test]
    fn yaml_scalars_tags_and_anchors() {
        let v = parse_yaml("a: 1\nb: '1'\nc: true\nd: ~\ne: !!str 2\nf: 1.5e3\ng: 0x1F\nh: &x [1, 2]\ni: *x\nj: !Ref X\n").unwrap();
        assert_eq!(
            v,
            json!({"a": 1, "b": "1", "c": true, "d": null, "e": "2", "f": 1.5e3, "g": "0x1F",
                   "h": [1, 2], "i": [1, 2], "j": {"Ref": "X"}})
        );
    }

    #[test]
    fn bad_templates_are_errors() {
        for (text, want) in [
            ("{not json", "neither JSON nor YAML"),
            ("a: [", "neither JSON nor YAML"),
            (
                "{\"StartAt\": \"A\", \"States\": {}}",
                "not a CloudFormation",
            ),
            (
                "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
                "no AWS::StepFunctions",
            ),
            ("", "neither JSON nor YAML"),
        ] {
            let e = import_template(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
        // deep nesting and alias bombs end in errors, not a crash or a hang
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        assert!(parse_yaml(&deep).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse_yaml(&bomb).unwrap_err().contains("too large"));
    }

    #[test]
    fn export_then_import_gives_the_same_definition() {
        let def = json!({"Comment": "x", "StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"k": [1, "${notAPlaceholder"]}, "End": true}}});
        for kind in [TemplateKind::Sam, TemplateKind::CloudFormation] {
            let t = template(&def, kind, &ExportOptions::default());
            let m = import_template(&serde_json::to_string_pretty(&t).unwrap()).unwrap();
            assert_eq!(m.len(), 1);
            assert_eq!(m[0].definition.as_deref(), Ok(render(&def).as_str()));
            let yaml = crate::files::to_yaml(&t);
            let m = import_template(&yaml).unwrap();
            assert_eq!(
                m[0].definition.as_deref(),
                Ok(render(&def).as_str()),
                "{yaml}"
            );
        }
    }
}
