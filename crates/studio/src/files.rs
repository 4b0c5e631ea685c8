//! Files in and out: what an opened file is (an ASL definition in JSON or YAML, or a CloudFormation/SAM
//! template to import from), and the text and name of a saved `.asl.json` / `.asl.yaml` file. A bad file
//! is a [`FileError`] with a message; the caller never replaces the current work with it.

use crate::document::render;
use crate::import::{self, ImportedMachine};
use serde_json::Value;
use std::fmt;

/// Largest file opened (ASL definitions are limited to 1 MB by AWS; templates can be larger).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Deepest value written by [`to_yaml`] (deeper values are written inline as JSON, which is YAML too).
const MAX_YAML_DEPTH: usize = 100;

/// What an opened file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// An ASL definition. `text` is the file's own text for JSON; YAML is converted to canonical JSON
    /// (the editor works on JSON), `from_yaml` says so.
    Definition { text: String, from_yaml: bool },
    /// A CloudFormation or SAM template with these state machines.
    Template(Vec<ImportedMachine>),
}

/// Why a file cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Empty,
    TooLarge {
        bytes: usize,
    },
    NotText,
    /// Neither JSON nor YAML (the parser's message).
    Syntax(String),
    /// Parses, but is neither a definition (`StartAt`/`States`) nor a template (`Resources`).
    NotAWorkflow,
    /// A template without a usable state machine.
    Import(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Empty => write!(f, "the file is empty"),
            FileError::TooLarge { bytes } => write!(
                f,
                "the file is too large ({bytes} bytes; at most {MAX_FILE_BYTES})"
            ),
            FileError::NotText => write!(f, "the file is not text (UTF-8)"),
            FileError::Syntax(m) => write!(f, "the file is neither JSON nor YAML: {m}"),
            FileError::NotAWorkflow => write!(
                f,
                "the file is neither a state machine definition (StartAt, States) nor a CloudFormation/SAM template (Resources)"
            ),
            FileError::Import(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads a file's bytes.
pub fn open(bytes: &[u8]) -> Result<Opened, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge { bytes: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let is_json = serde_json::from_str::<Value>(text).is_ok();
    let value = import::parse_value(text).map_err(FileError::Syntax)?;
    if import::is_template(&value) {
        return import::machines(&value)
            .map(Opened::Template)
            .map_err(|e| FileError::Import(e.to_string()));
    }
    let looks_like_asl = value.get("States").is_some() || value.get("StartAt").is_some();
    if !looks_like_asl {
        return Err(FileError::NotAWorkflow);
    }
    if is_json {
        Ok(Opened::Definition {
            text: text.to_string(),
            from_yaml: false,
        })
    } else {
        Ok(Opened::Definition {
            text: render(&value),
            from_yaml: true,
        })
    }
}

/// A file name for a workflow name: letters, digits, `-` and `_` (others become `-`), plus `ext`.
pub fn file_name(name: &str, ext: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let stem = out.trim_matches('-');
    let stem: String = stem.chars().take(80).collect();
    let stem = if stem.is_empty() { "workflow" } else { &stem };
    format!("{stem}{ext}")
}

/// A workflow name from a file name (`order-flow.asl.json` → `order-flow`).
pub fn name_from_file(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let lower = base.to_ascii_lowercase();
    for ext in [
        ".asl.json",
        ".asl.yaml",
        ".asl.yml",
        ".json",
        ".yaml",
        ".yml",
        ".template",
    ] {
        if lower.ends_with(ext) && base.len() > ext.len() {
            return base[..base.len() - ext.len()].to_string();
        }
    }
    base.to_string()
}

/// The text saved as `.asl.json`: the definition text as the user has it.
pub fn to_json_text(definition: &str) -> String {
    let mut t = definition.to_string();
    if !t.ends_with('\n') {
        t.push('\n');
    }
    t
}

/// A value as block-style YAML (keys in order; strings quoted unless plainly safe). Parsing the result
/// gives the value back.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(o) if !o.is_empty() => write_map(o, 0, &mut out, 0),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '/'))
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
    )
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) if is_plain_safe(s) => s.clone(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        other => other.to_string(),
    }
}

fn key(k: &str) -> String {
    if is_plain_safe(k) {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn write_map(o: &serde_json::Map<String, Value>, indent: usize, out: &mut String, depth: usize) {
    for (i, (k, v)) in o.iter().enumerate() {
        // the first key of a map inside a sequence item follows the "- " on the same line
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key(k));
        out.push(':');
        write_value(v, indent + 2, out, depth + 1);
    }
}

fn write_seq(a: &[Value], indent: usize, out: &mut String, depth: usize) {
    for v in a {
        if !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match v {
            Value::Object(o) if !o.is_empty() && depth < MAX_YAML_DEPTH => {
                write_map(o, indent + 2, out, depth + 1)
            }
            Value::Array(items) if !items.is_empty() && depth < MAX_YAML_DEPTH => {
                write_seq(items, indent + 2, out, depth + 1)
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn write_value(v: &Value, indent: usize, out: &mut String, depth: usize) {
    if !is_block(v) || depth >= MAX_YAML_DEPTH {
        out.push(' ');
        out.push_str(&scalar(v));
        out.push('\n');
        return;
    }
    out.push('\n');
    match v {
        Value::Object(o) => write_map(o, indent, out, depth),
        Value::Array(a) => write_seq(a, indent, out, depth),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::{self, Rng};
    use proptest::prelude::*;
    use serde_json::json;

    fn yaml_round_trip(v: &Value) {
        let y = to_yaml(v);
        let back = asl::syntax::yaml::parse(&y)
            .unwrap_or_else(|e| panic!("{e:?}\n{y}"))
            .to_value();
        assert_eq!(&back, v, "{y}");
        assert_eq!(&import::parse_yaml(&y).unwrap(), v, "{y}");
    }

    #[test]
    fn yaml_output_reads_back() {
        for v in [
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": 1.5, "b": true, "z": null,
                "s": "two words", "q": "it's \"quoted\"", "e": "", "num": "42", "t": "true", "nl": "a\nb",
                "arr": [1, [2, 3], {"k": "v", "w": [{}]}, []], "obj": {}}, "Parameters": {"x.$": "$.y"}, "End": true}}}),
            json!({"key with spaces": {"- dash": ["#hash", "a: b", "@at", "`tick", "%pct", "*star", "&amp", "!bang"]}}),
            json!({"unicode": "é ✓ 🎉", "ctrl": "\u{1}\t"}),
        ] {
            yaml_round_trip(&v);
        }
        assert_eq!(
            to_yaml(&json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})),
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n"
        );
        assert_eq!(
            to_yaml(&json!({"Branches": [{"StartAt": "B", "States": {}}]})),
            "Branches:\n  - StartAt: B\n    States: {}\n"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn generated_workflows_survive_yaml(seed in any::<u64>()) {
            let def = testgen::definition(&mut Rng::new(seed), 8, 2);
            yaml_round_trip(&def);
        }
    }

    /// One row: file bytes → what it opens as (or the error's text).
    fn check(bytes: &[u8], expected: Result<&str, &str>) {
        let got = open(bytes);
        match (&got, expected) {
            (Ok(Opened::Definition { from_yaml, .. }), Ok(kind)) => {
                assert_eq!(if *from_yaml { "yaml" } else { "json" }, kind)
            }
            (Ok(Opened::Template(m)), Ok(kind)) => {
                assert_eq!(format!("template {}", m.len()), kind)
            }
            (Err(e), Err(want)) => assert!(e.to_string().contains(want), "{e}"),
            _ => panic!(
                "{:?}: got {got:?}, want {expected:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
    }

    #[test]
    fn opening_files() {
        check(br#"{"StartAt": "A", "States": {}}"#, Ok("json"));
        check(
            b"StartAt: A\nStates:\n  A:\n    Type: Succeed\n",
            Ok("yaml"),
        );
        check(
            b"Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States: {A: {Type: Succeed}}\n",
            Ok("template 1"),
        );
        check(b"", Err("empty"));
        check(b"  \n", Err("empty"));
        check(&[0xff, 0xfe, 0x00], Err("not text"));
        check(b"{\"StartAt\": ", Err("neither JSON nor YAML"));
        check(b"[1, 2]", Err("neither a state machine"));
        check(b"just words", Err("neither a state machine"));
        check(b"Resources: {}", Err("no AWS::StepFunctions"));
        check(&vec![b' '; MAX_FILE_BYTES + 1], Err("too large"));
        // a JSON definition keeps its exact text
        let text = "{ \"StartAt\":\"A\", \"States\":{} }";
        assert_eq!(
            open(text.as_bytes()),
            Ok(Opened::Definition {
                text: text.into(),
                from_yaml: false
            })
        );
    }

    #[test]
    fn names() {
        for (name, ext, expected) in [
            ("Order flow", ".asl.json", "Order-flow.asl.json"),
            ("../../etc/passwd", ".asl.yaml", "etc-passwd.asl.yaml"),
            ("", ".svg", "workflow.svg"),
            ("é <b>", ".png", "é-b.png"),
        ] {
            assert_eq!(file_name(name, ext), expected);
        }
        for (file, expected) in [
            ("flow.asl.json", "flow"),
            ("C:\\x\\Flow.ASL.YAML", "Flow"),
            ("template.yml", "template"),
            (".json", ".json"),
            ("noext", "noext"),
        ] {
            assert_eq!(name_from_file(file), expected);
        }
        assert_eq!(to_json_text("{}"), "{}\n");
    }
}
