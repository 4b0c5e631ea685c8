//! The inspector's field model: which fields each state type takes in each query language, grouped in
//! sections with a label and a control kind; converting a control's text to the field's JSON value and
//! back; editing a value at a path inside a state; and mapping diagnostic locations to fields.

use crate::graph::ScopeStep;
use serde_json::{Map, Value};

/// A state's query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ql {
    JsonPath,
    Jsonata,
}

impl Ql {
    /// The state's own `QueryLanguage`, else the machine's, else JSONPath.
    pub fn of(definition: Option<&Value>, state: &Value) -> Ql {
        let own = state.get("QueryLanguage").and_then(Value::as_str);
        let top = definition
            .and_then(|d| d.get("QueryLanguage"))
            .and_then(Value::as_str);
        if own.or(top) == Some("JSONata") {
            Ql::Jsonata
        } else {
            Ql::JsonPath
        }
    }
}

/// Where a field appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Both,
    PathOnly,
    AtaOnly,
}

/// The inspector's sections, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Configuration,
    InputOutput,
    Variables,
    ErrorHandling,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Configuration,
        Section::InputOutput,
        Section::Variables,
        Section::ErrorHandling,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Configuration => "Configuration",
            Section::InputOutput => "Input/output",
            Section::Variables => "Variables",
            Section::ErrorHandling => "Error handling",
        }
    }
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string; empty removes the field.
    Text,
    /// A non-negative integer, or a `{% %}` template.
    Integer,
    /// A number, or a `{% %}` template.
    Number,
    /// Any JSON value, typed as JSON (a bare `{% %}` is taken as a template string).
    Json,
    /// One of the listed strings (empty removes the field).
    Select(&'static [&'static str]),
    /// A state of the same scope (a transition target).
    StateRef,
    /// A list of strings typed comma-separated (`ErrorEquals`).
    StringList,
    /// `true` or `false`.
    Bool,
}

/// One inspector field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The path inside the state (`["ItemProcessor", "ProcessorConfig", "Mode"]`).
    pub path: &'static [&'static str],
    pub label: &'static str,
    pub section: Section,
    pub kind: Kind,
    pub lang: Lang,
    /// Whether the JSONata preview applies (in JSONata states).
    pub preview: bool,
}

use Kind::*;
use Lang::*;
use Section::*;

const fn f(
    path: &'static [&'static str],
    label: &'static str,
    section: Section,
    kind: Kind,
    lang: Lang,
) -> Field {
    Field {
        path,
        label,
        section,
        kind,
        lang,
        preview: false,
    }
}

const fn p(
    path: &'static [&'static str],
    label: &'static str,
    section: Section,
    kind: Kind,
) -> Field {
    Field {
        path,
        label,
        section,
        kind,
        lang: AtaOnly,
        preview: true,
    }
}

pub const QUERY_LANGUAGES: &[&str] = &["JSONPath", "JSONata"];
pub const JITTER: &[&str] = &["FULL", "NONE"];
const MODES: &[&str] = &["INLINE", "DISTRIBUTED"];
const EXECUTION_TYPES: &[&str] = &["STANDARD", "EXPRESS"];

const COMMENT: Field = f(&["Comment"], "Comment", Configuration, Text, Both);
const QL: Field = f(
    &["QueryLanguage"],
    "Query language",
    Configuration,
    Select(QUERY_LANGUAGES),
    Both,
);
const NEXT: Field = f(&["Next"], "Next state", Configuration, StateRef, Both);
const INPUT_PATH: Field = f(&["InputPath"], "InputPath", InputOutput, Text, PathOnly);
const OUTPUT_PATH: Field = f(&["OutputPath"], "OutputPath", InputOutput, Text, PathOnly);
const RESULT_PATH: Field = f(&["ResultPath"], "ResultPath", InputOutput, Text, PathOnly);
const PARAMETERS: Field = f(&["Parameters"], "Parameters", InputOutput, Json, PathOnly);
const RESULT_SELECTOR: Field = f(
    &["ResultSelector"],
    "ResultSelector",
    InputOutput,
    Json,
    PathOnly,
);
const ARGUMENTS: Field = p(&["Arguments"], "Arguments", InputOutput, Json);
const OUTPUT: Field = p(&["Output"], "Output", InputOutput, Json);
const ASSIGN: Field = Field {
    path: &["Assign"],
    label: "Assign",
    section: Variables,
    kind: Json,
    lang: Both,
    preview: true,
};

const TASK: &[Field] = &[
    COMMENT,
    QL,
    f(&["Resource"], "Resource", Configuration, Text, Both),
    f(
        &["TimeoutSeconds"],
        "TimeoutSeconds",
        Configuration,
        Integer,
        Both,
    ),
    f(
        &["TimeoutSecondsPath"],
        "TimeoutSecondsPath",
        Configuration,
        Text,
        PathOnly,
    ),
    f(
        &["HeartbeatSeconds"],
        "HeartbeatSeconds",
        Configuration,
        Integer,
        Both,
    ),
    f(
        &["HeartbeatSecondsPath"],
        "HeartbeatSecondsPath",
        Configuration,
        Text,
        PathOnly,
    ),
    f(&["Credentials"], "Credentials", Configuration, Json, Both),
    NEXT,
    INPUT_PATH,
    PARAMETERS,
    ARGUMENTS,
    RESULT_SELECTOR,
    RESULT_PATH,
    OUTPUT_PATH,
    OUTPUT,
    ASSIGN,
];

const PASS: &[Field] = &[
    COMMENT,
    QL,
    NEXT,
    INPUT_PATH,
    PARAMETERS,
    f(&["Result"], "Result", InputOutput, Json, PathOnly),
    RESULT_PATH,
    OUTPUT_PATH,
    OUTPUT,
    ASSIGN,
];

const CHOICE: &[Field] = &[COMMENT, QL, INPUT_PATH, OUTPUT_PATH, OUTPUT, ASSIGN];

const WAIT: &[Field] = &[
    COMMENT,
    QL,
    f(&["Seconds"], "Seconds", Configuration, Integer, Both),
    f(
        &["SecondsPath"],
        "SecondsPath",
        Configuration,
        Text,
        PathOnly,
    ),
    f(&["Timestamp"], "Timestamp", Configuration, Text, Both),
    f(
        &["TimestampPath"],
        "TimestampPath",
        Configuration,
        Text,
        PathOnly,
    ),
    NEXT,
    INPUT_PATH,
    OUTPUT_PATH,
    OUTPUT,
    ASSIGN,
];

const SUCCEED: &[Field] = &[COMMENT, QL, INPUT_PATH, OUTPUT_PATH, OUTPUT];

const FAIL: &[Field] = &[
    COMMENT,
    QL,
    f(&["Error"], "Error", Configuration, Text, Both),
    f(&["ErrorPath"], "ErrorPath", Configuration, Text, PathOnly),
    f(&["Cause"], "Cause", Configuration, Text, Both),
    f(&["CausePath"], "CausePath", Configuration, Text, PathOnly),
];

const PARALLEL: &[Field] = &[
    COMMENT,
    QL,
    NEXT,
    INPUT_PATH,
    PARAMETERS,
    ARGUMENTS,
    RESULT_SELECTOR,
    RESULT_PATH,
    OUTPUT_PATH,
    OUTPUT,
    ASSIGN,
];

const MAP: &[Field] = &[
    COMMENT,
    QL,
    f(
        &["ItemProcessor", "ProcessorConfig", "Mode"],
        "Processing mode",
        Configuration,
        Select(MODES),
        Both,
    ),
    f(
        &["ItemProcessor", "ProcessorConfig", "ExecutionType"],
        "Child execution type",
        Configuration,
        Select(EXECUTION_TYPES),
        Both,
    ),
    f(
        &["MaxConcurrency"],
        "MaxConcurrency",
        Configuration,
        Integer,
        Both,
    ),
    f(
        &["MaxConcurrencyPath"],
        "MaxConcurrencyPath",
        Configuration,
        Text,
        PathOnly,
    ),
    f(&["Label"], "Label", Configuration, Text, Both),
    f(&["ItemReader"], "ItemReader", Configuration, Json, Both),
    f(&["ItemBatcher"], "ItemBatcher", Configuration, Json, Both),
    f(&["ResultWriter"], "ResultWriter", Configuration, Json, Both),
    NEXT,
    INPUT_PATH,
    f(&["ItemsPath"], "ItemsPath", InputOutput, Text, PathOnly),
    p(&["Items"], "Items", InputOutput, Json),
    f(&["ItemSelector"], "ItemSelector", InputOutput, Json, Both),
    PARAMETERS,
    RESULT_SELECTOR,
    RESULT_PATH,
    OUTPUT_PATH,
    OUTPUT,
    ASSIGN,
    f(
        &["ToleratedFailurePercentage"],
        "ToleratedFailurePercentage",
        ErrorHandling,
        Number,
        Both,
    ),
    f(
        &["ToleratedFailurePercentagePath"],
        "ToleratedFailurePercentagePath",
        ErrorHandling,
        Text,
        PathOnly,
    ),
    f(
        &["ToleratedFailureCount"],
        "ToleratedFailureCount",
        ErrorHandling,
        Integer,
        Both,
    ),
    f(
        &["ToleratedFailureCountPath"],
        "ToleratedFailureCountPath",
        ErrorHandling,
        Text,
        PathOnly,
    ),
];

/// The fields of a state type in a query language, in display order (unknown types: Comment only).
pub fn fields_for(state_type: &str, ql: Ql) -> Vec<Field> {
    let all: &[Field] = match state_type {
        "Task" => TASK,
        "Pass" => PASS,
        "Choice" => CHOICE,
        "Wait" => WAIT,
        "Succeed" => SUCCEED,
        "Fail" => FAIL,
        "Parallel" => PARALLEL,
        "Map" => MAP,
        _ => &[COMMENT],
    };
    all.iter()
        .filter(|f| match f.lang {
            Both => true,
            PathOnly => ql == Ql::JsonPath,
            AtaOnly => ql == Ql::Jsonata,
        })
        .copied()
        .collect()
}

/// The fields of the state machine itself (the top-level object), shown when no state is selected.
pub const MACHINE: &[Field] = &[
    COMMENT,
    f(&["StartAt"], "Start state", Configuration, StateRef, Both),
    QL,
    f(
        &["TimeoutSeconds"],
        "Execution timeout (s)",
        Configuration,
        Integer,
        Both,
    ),
    f(&["Version"], "Version", Configuration, Text, Both),
];

/// The machine-level fields of a definition (those in [`MACHINE`] that are present), in their order
/// in the text: the inspector's value for "no state selected", without cloning the states.
pub fn machine_value(definition: &Value) -> Value {
    let mut out = Map::new();
    if let Some(obj) = definition.as_object() {
        for (k, v) in obj {
            if MACHINE.iter().any(|f| f.path == [k.as_str()]) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// Diagnostics about the machine object itself as `(path inside it, severity, message)`: AWS locates
/// them at `/` or `/StartAt`, `/QueryLanguage`, ... Problems inside `States` and text-level problems
/// (malformed JSON, located by a source snippet) are not among them.
pub fn machine_diagnostics(
    diagnostics: &[asl::Diagnostic],
) -> Vec<(Vec<Seg>, asl::Severity, String)> {
    diagnostics
        .iter()
        .filter(|d| d.location.is_empty() || d.location.starts_with('/'))
        .filter_map(|d| {
            let segs = asl::syntax::parse_aws_location(&d.location);
            let path: Vec<Seg> = match segs.first() {
                None => Vec::new(),
                Some(asl::syntax::PathSeg::Key(k)) if k != "States" => vec![Seg::Key(k.clone())],
                Some(_) => return None,
            };
            Some((path, d.severity, d.message.clone()))
        })
        .collect()
}

/// The machine field a problem is about (`/StartAt`, or `/` with the field named in the message), as a
/// control's path id; `None` for problems inside `States` or about the text.
pub fn machine_field(location: &str, message: &str) -> Option<String> {
    let is_machine = |k: &str| MACHINE.iter().any(|f| f.path == [k]);
    if !location.is_empty() && !location.starts_with('/') {
        return None;
    }
    match asl::syntax::parse_aws_location(location).first() {
        Some(asl::syntax::PathSeg::Key(k)) => is_machine(k).then(|| k.clone()),
        Some(_) => None,
        None => field_in_message(message)
            .filter(|k| is_machine(k))
            .map(str::to_string),
    }
}

/// Whether the state type takes `Retry` and `Catch`.
pub fn has_error_handling(state_type: &str) -> bool {
    matches!(state_type, "Task" | "Parallel" | "Map")
}

/// The fields of one retrier.
pub const RETRIER_FIELDS: &[(&str, &str, Kind)] = &[
    ("ErrorEquals", "Errors", StringList),
    ("IntervalSeconds", "Interval (s)", Integer),
    ("MaxAttempts", "Max attempts", Integer),
    ("BackoffRate", "Backoff rate", Number),
    ("MaxDelaySeconds", "Max delay (s)", Integer),
    ("JitterStrategy", "Jitter", Select(JITTER)),
];

/// The fields of one catcher (ResultPath in JSONPath, Output in JSONata).
pub fn catcher_fields(ql: Ql) -> Vec<(&'static str, &'static str, Kind)> {
    let mut out = vec![
        ("ErrorEquals", "Errors", StringList),
        ("Next", "Next state", StateRef),
    ];
    match ql {
        Ql::JsonPath => out.push(("ResultPath", "ResultPath", Text)),
        Ql::Jsonata => out.push(("Output", "Output", Json)),
    }
    out.push(("Assign", "Assign", Json));
    out
}

/// The fields of one Choice rule besides its condition and `Next`: `Assign` in both query languages,
/// `Output` in JSONata (what the Choice state passes on when that rule matches).
pub fn rule_fields(ql: Ql) -> Vec<(&'static str, &'static str, Kind)> {
    let mut out = vec![("Assign", "Assign", Json)];
    if ql == Ql::Jsonata {
        out.push(("Output", "Output", Json));
    }
    out
}

/// A new retrier: every error, AWS's defaults spelled out.
pub fn new_retrier() -> Value {
    serde_json::json!({"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0})
}

/// A new catcher sending every error to `next`.
pub fn new_catcher(next: &str) -> Value {
    serde_json::json!({"ErrorEquals": ["States.ALL"], "Next": next})
}

/// The text a control shows for a value (`None`: the field is absent).
pub fn display(kind: Kind, value: Option<&Value>) -> String {
    let Some(v) = value else {
        return String::new();
    };
    match (kind, v) {
        (StringList, Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (Json, _) => serde_json::to_string_pretty(v).unwrap_or_default(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

fn is_template(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{%") && t.ends_with("%}")
}

/// The value a control's text stands for: `Ok(None)` removes the field, `Err` says why it cannot be
/// stored (shown under the field; the document is left alone).
pub fn parse(kind: Kind, text: &str) -> Result<Option<Value>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match kind {
        Text | Select(_) | StateRef => Ok(Some(Value::String(text.to_string()))),
        Integer if is_template(t) => Ok(Some(Value::String(t.to_string()))),
        Number if is_template(t) => Ok(Some(Value::String(t.to_string()))),
        Integer => t
            .parse::<i64>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| "must be a whole number (or a {% %} expression)".to_string()),
        Number => match t.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(
                serde_json::from_str::<Value>(t)
                    .ok()
                    .filter(Value::is_number)
                    .unwrap_or_else(|| Value::from(x)),
            )),
            _ => Err("must be a number (or a {% %} expression)".into()),
        },
        Json => match serde_json::from_str::<Value>(t) {
            Ok(v) => Ok(Some(v)),
            Err(_) if is_template(t) => Ok(Some(Value::String(t.to_string()))),
            Err(e) => Err(format!("not JSON: {e}")),
        },
        Bool => match t {
            "true" => Ok(Some(Value::Bool(true))),
            "false" => Ok(Some(Value::Bool(false))),
            _ => Err("must be true or false".into()),
        },
        StringList => Ok(Some(Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ))),
    }
}

/// One step of a path inside a state.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    pub fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }
}

/// A path as text, `Retry/0/IntervalSeconds` (the inspector's `data-field` attribute).
pub fn path_id(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The value at a path.
pub fn get_at<'v>(v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(v, |cur, s| match s {
        Seg::Key(k) => cur.get(k),
        Seg::Index(i) => cur.get(i),
    })
}

/// A copy of `root` with the value at `path` set (`Some`) or removed (`None`). Missing objects on
/// the way are created; an existing key keeps its position. `Err` when the path crosses a value that
/// is not an object (or an array index out of range).
pub fn set_at(root: &Value, path: &[Seg], value: Option<Value>) -> Result<Value, String> {
    let mut out = root.clone();
    set_in(&mut out, path, value)?;
    Ok(out)
}

fn set_in(cur: &mut Value, path: &[Seg], value: Option<Value>) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        if let Some(v) = value {
            *cur = v;
        }
        return Ok(());
    };
    match first {
        Seg::Key(k) => {
            if cur.is_null() {
                *cur = Value::Object(Map::new());
            }
            let obj = cur
                .as_object_mut()
                .ok_or_else(|| format!("{k}'s parent is not an object"))?;
            if rest.is_empty() {
                match value {
                    Some(v) => {
                        obj.insert(k.clone(), v);
                    }
                    None => {
                        obj.shift_remove(k);
                    }
                }
                return Ok(());
            }
            if !obj.contains_key(k) {
                if value.is_none() {
                    return Ok(());
                }
                obj.insert(k.clone(), Value::Null);
            }
            let child = obj.get_mut(k).ok_or("missing key")?;
            set_in(child, rest, value)?;
            // Removing the last field of a nested object removes the object.
            if child.as_object().is_some_and(Map::is_empty) {
                obj.shift_remove(k);
            }
            Ok(())
        }
        Seg::Index(i) => {
            let arr = cur.as_array_mut().ok_or("not a list")?;
            if rest.is_empty() {
                match value {
                    Some(v) if *i < arr.len() => arr[*i] = v,
                    Some(v) if *i == arr.len() => arr.push(v),
                    None if *i < arr.len() => {
                        arr.remove(*i);
                    }
                    _ => return Err("no such item".into()),
                }
                return Ok(());
            }
            let child = arr.get_mut(*i).ok_or("no such item")?;
            set_in(child, rest, value)
        }
    }
}

/// A list with item `from` moved to position `to` (both clamped).
pub fn move_item(list: &Value, from: usize, to: usize) -> Value {
    let mut items = list.as_array().cloned().unwrap_or_default();
    if from < items.len() {
        let it = items.remove(from);
        items.insert(to.min(items.len()), it);
    }
    Value::Array(items)
}

/// The structure of a value without its scalars (keys, list lengths): what the inspector's editors
/// are built from, so typing a value does not rebuild them.
pub fn skeleton(v: &Value) -> Value {
    fn walk(v: &Value, depth: usize) -> Value {
        if depth > 32 {
            return Value::Null;
        }
        match v {
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, depth + 1)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), walk(x, depth + 1)))
                    .collect(),
            ),
            _ => Value::Null,
        }
    }
    walk(v, 0)
}

/// Where a diagnostic points: a state (its scope and name) and the path inside it (empty for the state
/// itself). Walks the machine structure, so names holding `/` or `[` are found when they exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLocation {
    pub scope: Vec<ScopeStep>,
    pub state: String,
    pub path: Vec<Seg>,
}

/// Maps an AWS location (`/States/C/Choices[0]/Next`) to a state and a path in it, using the definition
/// to resolve nested machines.
pub fn locate(definition: &Value, location: &str) -> Option<FieldLocation> {
    let segs = asl::syntax::parse_aws_location(location);
    let mut machine = definition;
    let mut scope = Vec::new();
    let mut i = 0;
    let mut found: Option<FieldLocation> = None;
    while i + 1 < segs.len() {
        let (asl::syntax::PathSeg::Key(s), asl::syntax::PathSeg::Key(name)) =
            (&segs[i], &segs[i + 1])
        else {
            break;
        };
        if s != "States" {
            break;
        }
        let Some(state) = machine.get("States").and_then(|st| st.get(name)) else {
            break;
        };
        let rest: Vec<Seg> = segs[i + 2..]
            .iter()
            .map(|s| match s {
                asl::syntax::PathSeg::Key(k) => Seg::Key(k.clone()),
                asl::syntax::PathSeg::Index(n) => Seg::Index(*n),
            })
            .collect();
        found = Some(FieldLocation {
            scope: scope.clone(),
            state: name.clone(),
            path: rest,
        });
        i += 2;
        let (inner, branch, skip) = match segs.get(i) {
            Some(asl::syntax::PathSeg::Key(k)) if k == "Branches" => match segs.get(i + 1) {
                Some(asl::syntax::PathSeg::Index(b)) => {
                    (state.get("Branches").and_then(|b2| b2.get(*b)), *b, 2)
                }
                _ => break,
            },
            Some(asl::syntax::PathSeg::Key(k)) if k == "ItemProcessor" || k == "Iterator" => {
                (state.get(k.as_str()), 0, 1)
            }
            _ => break,
        };
        let Some(inner) = inner else { break };
        if !matches!(segs.get(i + skip), Some(asl::syntax::PathSeg::Key(k)) if k == "States") {
            break;
        }
        scope.push(ScopeStep {
            state: name.clone(),
            branch,
        });
        machine = inner;
        i += skip;
    }
    found
}

/// The state's own diagnostics as `(path inside the state, severity, message)`.
pub fn state_diagnostics(
    definition: &Value,
    diagnostics: &[asl::Diagnostic],
    state: &str,
) -> Vec<(Vec<Seg>, asl::Severity, String)> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let loc = locate(definition, &d.location)?;
            (loc.state == state).then(|| (loc.path, d.severity, d.message.clone()))
        })
        .collect()
}

/// Messages for the control at `path`: diagnostics at it or inside it. A top-level control also takes
/// messages about the state itself when they name its field (AWS reports a missing or unsupported field
/// at the state with the field's name in the message).
pub fn messages_for(
    diags: &[(Vec<Seg>, asl::Severity, String)],
    path: &[Seg],
) -> Vec<(asl::Severity, String)> {
    diags
        .iter()
        .filter(|(p, _, m)| {
            p.starts_with(path)
                || (p.is_empty()
                    && path.len() == 1
                    && matches!(&path[0], Seg::Key(k) if m.contains(&format!("'{k}'"))))
        })
        .map(|(_, s, m)| (*s, m.clone()))
        .collect()
}

/// The field a state-level message names (AWS reports many field problems at the state, as in
/// "The value for the field 'ResultPath' must be a valid ReferencePath").
pub fn field_in_message(message: &str) -> Option<&str> {
    let start = message.find("field '")? + "field '".len();
    let rest = message.get(start..)?;
    let end = rest.find('\'')?;
    rest.get(..end).filter(|f| !f.is_empty())
}

/// The control to focus for a diagnostic path: the longest prefix of `path` among `controls`.
pub fn focus_target<'a>(controls: &'a [Vec<Seg>], path: &[Seg]) -> Option<&'a Vec<Seg>> {
    controls
        .iter()
        .filter(|c| !c.is_empty() && path.starts_with(c))
        .max_by_key(|c| c.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(t: &str, ql: Ql) -> Vec<&'static str> {
        fields_for(t, ql).iter().map(|f| f.label).collect()
    }

    #[test]
    fn rule_fields_are_what_the_validator_accepts_on_a_rule() {
        assert_eq!(
            rule_fields(Ql::JsonPath)
                .iter()
                .map(|f| f.0)
                .collect::<Vec<_>>(),
            ["Assign"]
        );
        let mut rule = json!({"Condition": "{% $states.input.n > 1 %}", "Next": "B"});
        for (key, _, _) in rule_fields(Ql::Jsonata) {
            rule[key] = json!({"picked": "{% $states.input.n %}"});
        }
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [rule], "Default": "B"},
            "B": {"Type": "Succeed"}}});
        let analysis = asl::analyze(&def.to_string());
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            analysis.diagnostics
        );
        let path = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "B", "Assign": {"big.$": "$.n"}}], "Default": "B"},
            "B": {"Type": "Succeed"}}});
        let analysis = asl::analyze(&path.to_string());
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            analysis.diagnostics
        );
    }

    #[test]
    fn machine_fields_and_their_diagnostics() {
        let def = json!({"Comment": "c", "StartAt": "A", "Version": 1, "States": {"A": {"Type": "Pass", "End": true}}, "TimeoutSeconds": 5});
        assert_eq!(
            machine_value(&def),
            json!({"Comment": "c", "StartAt": "A", "Version": 1, "TimeoutSeconds": 5})
        );
        let text = def.to_string();
        let analysis = asl::analyze(&text);
        let diags = machine_diagnostics(&analysis.diagnostics);
        assert_eq!(
            diags,
            vec![(
                vec![Seg::key("Version")],
                asl::Severity::Error,
                "Expected value of type [STRING]".to_string()
            )]
        );
        let bad = asl::analyze(
            r#"{"StartAt": "Nope", "Coment": 1, "States": {"A": {"Type": "Pass", "End": true, "Next": "X"}}}"#,
        );
        // The state's own problems (A has both End and Next) stay with the state.
        assert_eq!(
            machine_diagnostics(&bad.diagnostics),
            vec![
                (
                    vec![],
                    asl::Severity::Error,
                    "Field 'Coment' is not supported".to_string()
                ),
                (
                    vec![Seg::key("StartAt")],
                    asl::Severity::Error,
                    "Missing 'Next' target: Nope".to_string()
                ),
            ]
        );
        assert_eq!(
            machine_field("/StartAt", "Missing 'Next' target: Nope").as_deref(),
            Some("StartAt")
        );
        assert_eq!(
            machine_field("/", "The field 'TimeoutSeconds' must be positive").as_deref(),
            Some("TimeoutSeconds")
        );
        assert_eq!(machine_field("/", "Field 'Coment' is not supported"), None);
        assert_eq!(machine_field("/States/A/Next", "x"), None);
        // Malformed text is a text-level problem, not a field's.
        assert!(machine_diagnostics(&asl::analyze("{").diagnostics).is_empty());
    }

    #[test]
    fn fields_follow_type_and_query_language() {
        let path = labels("Task", Ql::JsonPath);
        for want in [
            "Resource",
            "InputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "OutputPath",
            "Assign",
            "TimeoutSecondsPath",
            "Credentials",
        ] {
            assert!(path.contains(&want), "{want}");
        }
        assert!(!path.contains(&"Arguments") && !path.contains(&"Output"));
        let ata = labels("Task", Ql::Jsonata);
        assert!(ata.contains(&"Arguments") && ata.contains(&"Output"));
        assert!(!ata.contains(&"Parameters") && !ata.contains(&"TimeoutSecondsPath"));
        assert_eq!(
            labels("Fail", Ql::JsonPath),
            [
                "Comment",
                "Query language",
                "Error",
                "ErrorPath",
                "Cause",
                "CausePath"
            ]
        );
        assert!(labels("Wait", Ql::JsonPath).contains(&"TimestampPath"));
        let map = labels("Map", Ql::JsonPath);
        for want in [
            "ItemsPath",
            "ItemSelector",
            "MaxConcurrency",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "Label",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Processing mode",
        ] {
            assert!(map.contains(&want), "{want}");
        }
        assert!(labels("Map", Ql::Jsonata).contains(&"Items"));
        assert_eq!(labels("Nope", Ql::JsonPath), ["Comment"]);
        // Every label is unique within a state (getByLabel finds one control).
        for t in [
            "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
        ] {
            for ql in [Ql::JsonPath, Ql::Jsonata] {
                let l = labels(t, ql);
                let mut d = l.clone();
                d.sort();
                d.dedup();
                assert_eq!(d.len(), l.len(), "{t}");
            }
        }
    }

    #[test]
    fn query_language_resolution() {
        let def = json!({"QueryLanguage": "JSONata"});
        assert_eq!(Ql::of(Some(&def), &json!({})), Ql::Jsonata);
        assert_eq!(
            Ql::of(Some(&def), &json!({"QueryLanguage": "JSONPath"})),
            Ql::JsonPath
        );
        assert_eq!(Ql::of(None, &json!({})), Ql::JsonPath);
    }

    #[test]
    fn parse_and_display() {
        let check = |kind: Kind, text: &str, want: Result<Option<Value>, ()>| {
            assert_eq!(parse(kind, text).map_err(|_| ()), want, "{text:?}");
            if let Ok(Some(v)) = &want {
                assert_eq!(
                    parse(kind, &display(kind, Some(v))).ok().flatten().as_ref(),
                    Some(v)
                );
            }
        };
        check(Text, "", Ok(None));
        check(Text, "$.a", Ok(Some(json!("$.a"))));
        check(Integer, " 12 ", Ok(Some(json!(12))));
        check(Integer, "1.5", Err(()));
        check(Integer, "{% $x %}", Ok(Some(json!("{% $x %}"))));
        check(Number, "2.0", Ok(Some(json!(2.0))));
        check(Number, "nan", Err(()));
        check(Json, "{\"a\": [1]}", Ok(Some(json!({"a": [1]}))));
        check(
            Json,
            "{% $states.input %}",
            Ok(Some(json!("{% $states.input %}"))),
        );
        check(Json, "{\"a\": ", Err(()));
        check(
            StringList,
            "States.ALL, X ,",
            Ok(Some(json!(["States.ALL", "X"]))),
        );
        check(Bool, "false", Ok(Some(json!(false))));
        check(Bool, "no", Err(()));
        assert_eq!(
            skeleton(&json!({"a": [1, {"b": "x"}], "c": 2})),
            json!({"a": [null, {"b": null}], "c": null})
        );
        assert_eq!(display(Json, None), "");
        assert_eq!(display(Text, Some(&json!(5))), "5");
    }

    #[test]
    fn set_at_keeps_order_and_prunes() {
        let s = json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "A"}, "End": true});
        let path = [
            Seg::key("ItemProcessor"),
            Seg::key("ProcessorConfig"),
            Seg::key("Mode"),
        ];
        let v = set_at(&s, &path, Some(json!("DISTRIBUTED"))).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"A"},"End":true}"#
        );
        let v = set_at(&s, &path, None).unwrap();
        assert_eq!(v["ItemProcessor"], json!({"StartAt": "A"}));
        let v = set_at(
            &json!({}),
            &[Seg::key("Retry"), Seg::Index(0)],
            Some(json!(1)),
        );
        assert!(v.is_err());
        let r = json!({"Retry": [1, 2, 3]});
        assert_eq!(
            set_at(&r, &[Seg::key("Retry"), Seg::Index(1)], None).unwrap(),
            json!({"Retry": [1, 3]})
        );
        assert_eq!(move_item(&json!([1, 2, 3]), 0, 2), json!([2, 3, 1]));
        assert_eq!(move_item(&json!([1, 2, 3]), 9, 0), json!([1, 2, 3]));
        assert_eq!(
            get_at(&r, &[Seg::key("Retry"), Seg::Index(2)]),
            Some(&json!(3))
        );
        assert_eq!(path_id(&path), "ItemProcessor/ProcessorConfig/Mode");
    }

    #[test]
    fn locations_map_to_states_and_fields() {
        let def = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{}]}}}]},
            "C": {"Type": "Choice", "Choices": [{"Next": "X"}]},
            "a/b": {"Type": "Pass"}}});
        let check = |loc: &str, want: Option<(&str, usize, &str)>| {
            let got = locate(&def, loc);
            assert_eq!(
                got.as_ref()
                    .map(|l| (l.state.as_str(), l.scope.len(), path_id(&l.path))),
                want.map(|(s, n, p)| (s, n, p.to_string())),
                "{loc}"
            );
        };
        check(
            "/States/C/Choices[0]/Next",
            Some(("C", 0, "Choices/0/Next")),
        );
        check(
            "/States/P/Branches[0]/States/A/Retry[0]/MaxAttempts",
            Some(("A", 1, "Retry/0/MaxAttempts")),
        );
        check("/States/P/Branches[0]", Some(("P", 0, "Branches/0")));
        check("/States/P", Some(("P", 0, "")));
        check("/StartAt", None);
        check("", None);
        check("/States/Nope/Next", None);
        let diags = asl::analyze(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": "a", "Next": "Nope"}], "Default": "C"}}}"#,
        );
        let def2 = diags.definition.clone().unwrap();
        let d = state_diagnostics(&def2, &diags.diagnostics, "C");
        assert!(!d.is_empty());
        let msgs = messages_for(&d, &[Seg::key("Choices")]);
        assert!(msgs.len() >= 2, "{d:?}");
        let controls = vec![
            vec![Seg::key("Choices"), Seg::Index(0)],
            vec![Seg::key("Choices"), Seg::Index(0), Seg::key("Next")],
        ];
        assert_eq!(
            focus_target(
                &controls,
                &[Seg::key("Choices"), Seg::Index(0), Seg::key("Next")]
            ),
            Some(&controls[1])
        );
        assert_eq!(focus_target(&controls, &[Seg::key("Comment")]), None);
        assert_eq!(
            field_in_message("The value for the field 'ResultPath' must be a valid ReferencePath"),
            Some("ResultPath")
        );
        assert_eq!(field_in_message("Missing 'Next' target: X"), None);
        assert_eq!(field_in_message("field ''"), None);
    }
}
