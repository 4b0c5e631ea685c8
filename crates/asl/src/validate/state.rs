//! The walk over a state machine and its states: required and supported fields, value types and
//! ranges, Next/End, QueryLanguage resolution and mixing; dispatches to the per-family modules.

use super::{Ctx, Path, choice, fields, graph, index, jsonata, key, map, paths, resource, retry};
use crate::syntax::{Node, NodeKind};

/// The query language a state is evaluated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ql {
    JsonPath,
    Jsonata,
}

/// Deepest nesting of Parallel/Map state machines checked (AWS: TOO_DEEPLY_NESTED beyond it).
pub const MAX_MACHINE_DEPTH: usize = 40;

/// Longest state name AWS accepts.
pub const MAX_STATE_NAME: usize = 80;

const QL_VALUES: &str = "Value should be one of the following: [JSONPath, JSONata]";

/// Resolve a `QueryLanguage` value: exactly "JSONPath" is JSONPath, anything else present is JSONata.
fn resolve(node: Option<&Node>, inherited: Ql) -> Ql {
    match node {
        None => inherited,
        Some(n) if n.as_str() == Some("JSONPath") => Ql::JsonPath,
        Some(_) => Ql::Jsonata,
    }
}

fn check_ql_value(ctx: &mut Ctx, node: &Node, path: &Path) {
    match node.as_str() {
        Some("JSONPath" | "JSONata") => {}
        Some(_) => ctx.schema(QL_VALUES, path, node),
        None => ctx.schema("Expected value of type [STRING]", path, node),
    }
}

/// The machine-wide query language (reporting a bad top-level value).
pub fn top_query_language(ctx: &mut Ctx, root: &Node) -> Ql {
    let node = root.get("QueryLanguage");
    if let Some(n) = node {
        check_ql_value(ctx, n, &key(&Path::Root, "QueryLanguage"));
    }
    resolve(node, Ql::JsonPath)
}

pub fn expect_type(ctx: &mut Ctx, node: &Node, path: &Path, want: &str) -> bool {
    let ok = match want {
        "STRING" => node.as_str().is_some(),
        "BOOLEAN" => node.as_bool().is_some(),
        "OBJECT" => node.is_object(),
        "ARRAY" => node.is_array(),
        "INTEGER" => node.is_integer(),
        "NUMBER" => matches!(node.kind, NodeKind::Number(_)),
        _ => true,
    };
    if !ok {
        ctx.schema(format!("Expected value of type [{want}]"), path, node);
    }
    ok
}

/// Check an integer field (or, in JSONata, an expression string) against a minimum/maximum.
pub fn check_int(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql, min: i64, max: Option<i64>) {
    if ql == Ql::Jsonata && jsonata::is_expression(node) {
        jsonata::check_expression(ctx, node, path);
        return;
    }
    if !expect_type(ctx, node, path, "INTEGER") {
        return;
    }
    let v = node.as_i64_saturating().unwrap_or(0);
    if v < min {
        ctx.schema(format!("Minimum value is {min}"), path, node);
    } else if let Some(max) = max
        && v > max
    {
        ctx.schema(format!("Maximum value is {max}"), path, node);
    }
}

/// Validate one state machine (top level, a Parallel branch or a Map processor).
pub fn check_machine<'n>(
    ctx: &mut Ctx,
    machine: &'n Node<'n>,
    path: &Path,
    depth: usize,
    ql: Ql,
    names: &mut graph::NameRegistry<'n>,
    top: bool,
) {
    if !machine.is_object() {
        ctx.schema("Expected value of type [OBJECT]", path, machine);
        return;
    }
    if depth > MAX_MACHINE_DEPTH {
        ctx.error(
            "TOO_DEEPLY_NESTED",
            format!("State machine nesting exceeds the maximum depth of {MAX_MACHINE_DEPTH}"),
            path,
            machine,
        );
        return;
    }
    // Supported fields of the machine object itself.
    for m in machine.members() {
        let ok = match m.key() {
            "StartAt" | "States" | "Comment" => true,
            "Version" | "TimeoutSeconds" | "QueryLanguage" => top,
            "ProcessorConfig" => {
                matches!(path.last_key(), Some("ItemProcessor" | "Iterator"))
            }
            _ => false,
        };
        if !ok {
            ctx.schema(format!("Field '{}' is not supported", m.key), path, machine);
        }
    }
    let mut missing = Vec::new();
    if machine.get("States").is_none() {
        missing.push("States");
    }
    if machine.get("StartAt").is_none() {
        missing.push("StartAt");
    }
    if !missing.is_empty() {
        ctx.schema(
            format!("These fields are required: [{}]", missing.join(", ")),
            path,
            machine,
        );
    }
    if let Some(c) = machine.get("Comment") {
        expect_type(ctx, c, &key(path, "Comment"), "STRING");
    }
    if top {
        if let Some(v) = machine.get("Version") {
            expect_type(ctx, v, &key(path, "Version"), "STRING");
        }
        if let Some(t) = machine.get("TimeoutSeconds") {
            check_int(
                ctx,
                t,
                &key(path, "TimeoutSeconds"),
                Ql::JsonPath,
                0,
                Some(99_999_999),
            );
        }
    }
    if let Some(s) = machine.get("StartAt") {
        expect_type(ctx, s, &key(path, "StartAt"), "STRING");
    }
    let states_path = key(path, "States");
    let Some(states) = machine.get("States") else {
        return;
    };
    if !expect_type(ctx, states, &states_path, "OBJECT") {
        return;
    }
    if states.members().is_empty() {
        ctx.schema("Value cannot be empty", &states_path, states);
    }
    let machine_ql = ql;
    for m in states.members() {
        let state_path = key(&states_path, &m.key);
        names.register(ctx, &m.key, &state_path, m);
        if m.key.chars().count() > MAX_STATE_NAME {
            ctx.report(
                crate::Severity::Error,
                "INVALID_STATE_NAME",
                format!(
                    "State name '{}' is longer than {MAX_STATE_NAME} characters",
                    m.key
                ),
                state_path.location(),
                m.key_start,
                m.key_end,
            );
        } else if m.key.is_empty() || m.key.chars().any(|c| c.is_control()) {
            ctx.report(
                crate::Severity::Error,
                "INVALID_STATE_NAME",
                format!("State name '{}' is not valid", m.key.escape_debug()),
                state_path.location(),
                m.key_start,
                m.key_end,
            );
        }
        check_state(ctx, &m.value, &state_path, depth, machine_ql, names);
    }
    if ctx.graph || !top {
        graph::check_transitions(ctx, machine, path, top);
    }
}

/// Validate one state.
fn check_state<'n>(
    ctx: &mut Ctx,
    state: &'n Node<'n>,
    path: &Path,
    depth: usize,
    machine_ql: Ql,
    names: &mut graph::NameRegistry<'n>,
) {
    if !state.is_object() {
        ctx.schema("Expected value of type [OBJECT]", path, state);
        return;
    }
    let Some(type_node) = state.get("Type") else {
        ctx.schema("These fields are required: [Type]", path, state);
        return;
    };
    let Some(ty) = type_node
        .as_str()
        .filter(|t| fields::STATE_TYPES.contains(t))
    else {
        ctx.schema(
            format!(
                "The field 'Type' should have one of these values: [{}]",
                fields::STATE_TYPES.join(", ")
            ),
            &key(path, "Type"),
            type_node,
        );
        return;
    };
    let ql_node = state.get("QueryLanguage");
    let ql = resolve(ql_node, machine_ql);
    let downgraded =
        machine_ql == Ql::Jsonata && ql_node.and_then(Node::as_str) == Some("JSONPath");
    if downgraded {
        ctx.schema(
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            path,
            state,
        );
    }

    // Unsupported fields, then fields of the other query language, in AWS's order (sorted only
    // when there is something to report).
    let misplaced = |m: &crate::syntax::Member| match fields::lang_of(ty, &m.key) {
        None => true,
        Some(lang) => !downgraded && !fields::allowed_in(lang, ql),
    };
    if state.members().iter().any(misplaced) {
        let mut members: Vec<_> = state.members().iter().enumerate().collect();
        members.sort_by_key(|(i, m)| (fields::order_of(&m.key), *i));
        for (_, m) in &members {
            if fields::lang_of(ty, &m.key).is_none() {
                ctx.report(
                    crate::Severity::Error,
                    "SCHEMA_VALIDATION_FAILED",
                    format!("Field '{}' is not supported", m.key),
                    path.location(),
                    m.key_start,
                    m.key_end,
                );
            }
        }
        if !downgraded {
            for (_, m) in &members {
                if let Some(lang) = fields::lang_of(ty, &m.key)
                    && !fields::allowed_in(lang, ql)
                {
                    ctx.report(
                        crate::Severity::Error,
                        "SCHEMA_VALIDATION_FAILED",
                        fields::wrong_language_message(ql, &m.key),
                        path.location(),
                        m.key_start,
                        m.key_end,
                    );
                }
            }
        }
    }
    // The field values present in this state's language.
    let get = |f: &str| {
        state
            .get(f)
            .filter(|_| fields::lang_of(ty, f).is_some_and(|l| fields::allowed_in(l, ql)))
    };

    if let Some(q) = ql_node {
        check_ql_value(ctx, q, &key(path, "QueryLanguage"));
    }
    if let Some(c) = state.get("Comment") {
        expect_type(ctx, c, &key(path, "Comment"), "STRING");
    }

    // Next / End.
    if matches!(ty, "Task" | "Pass" | "Wait" | "Parallel" | "Map") {
        let next = state.get("Next");
        let end = state.get("End");
        if let Some(n) = next {
            expect_type(ctx, n, &key(path, "Next"), "STRING");
        }
        if let Some(e) = end {
            expect_type(ctx, e, &key(path, "End"), "BOOLEAN");
        }
        let ends = end.is_some_and(|e| e.as_bool() != Some(false));
        match (next.is_some(), ends) {
            (true, true) => ctx.schema(
                "Only one of the following fields can be specified: [Next, End]",
                path,
                state,
            ),
            (false, false) => ctx.schema(
                "One of the following fields must be specified: [Next, End]",
                path,
                state,
            ),
            _ => {}
        }
    }

    // Paths (JSONPath only).
    for f in ["InputPath", "OutputPath"] {
        if let Some(n) = get(f) {
            paths::check_path_field(ctx, n, path, f, false, true);
        }
    }
    if let Some(n) = get("ResultPath") {
        paths::check_result_path(ctx, n, path);
    }
    for f in ["Parameters", "ResultSelector"] {
        if let Some(n) = get(f) {
            paths::check_template(ctx, n, &key(path, f));
        }
    }
    if let Some(n) = get("Result") {
        paths::check_static_result(ctx, n, &key(path, "Result"));
    }
    if let Some(n) = get("Assign") {
        check_assign(ctx, n, &key(path, "Assign"), ql);
    }
    if let Some(n) = get("Output") {
        jsonata::check_template(ctx, n, &key(path, "Output"));
    }
    if let Some(n) = get("Arguments") {
        if n.as_str().is_some() {
            jsonata::check_required_expression(ctx, n, &key(path, "Arguments"));
        } else {
            expect_type(ctx, n, &key(path, "Arguments"), "OBJECT");
            jsonata::check_template(ctx, n, &key(path, "Arguments"));
        }
    }
    if let Some(n) = get("Retry") {
        retry::check_retriers(ctx, n, &key(path, "Retry"));
    }
    if let Some(n) = get("Catch") {
        retry::check_catchers(ctx, n, &key(path, "Catch"), ql);
    }

    match ty {
        "Task" => {
            resource::check_task(ctx, state, path, ql);
            for (f, fp) in [
                ("TimeoutSeconds", "TimeoutSecondsPath"),
                ("HeartbeatSeconds", "HeartbeatSecondsPath"),
            ] {
                exclusive(ctx, state, path, &[f, fp]);
                if let Some(n) = get(f) {
                    check_int(ctx, n, &key(path, f), ql, 1, Some(99_999_999));
                }
                if let Some(n) = get(fp) {
                    paths::check_path_field(ctx, n, path, fp, true, false);
                }
            }
            if let (Some(t), Some(h)) = (get("TimeoutSeconds"), get("HeartbeatSeconds"))
                && let (Some(t), Some(h)) = (t.as_i64_saturating(), h.as_i64_saturating())
                && h >= t
            {
                ctx.schema(
                    "HeartbeatSeconds must be smaller than TimeoutSeconds",
                    &key(path, "HeartbeatSeconds"),
                    state.get("HeartbeatSeconds").unwrap_or(state),
                );
            }
            if let Some(c) = get("Credentials") {
                check_credentials(ctx, c, &key(path, "Credentials"), ql);
            }
        }
        "Choice" => choice::check_choice_state(ctx, state, path, ql),
        "Wait" => check_wait(ctx, state, path, ql, &get),
        "Fail" => {
            for (f, fp) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
                exclusive(ctx, state, path, &[f, fp]);
                if let Some(n) = get(f) {
                    if ql == Ql::Jsonata && jsonata::is_expression(n) {
                        jsonata::check_expression(ctx, n, &key(path, f));
                    } else if expect_type(ctx, n, &key(path, f), "STRING") && ql == Ql::JsonPath {
                        paths::no_path_warning(ctx, n, &key(path, f), f);
                    }
                }
                if let Some(n) = get(fp) {
                    paths::check_path_or_intrinsic_field(ctx, n, path, fp);
                }
            }
        }
        "Parallel" => {
            if let Some(b) = state.get("Branches") {
                let bp = key(path, "Branches");
                if expect_type(ctx, b, &bp, "ARRAY") {
                    if b.items().is_empty() {
                        ctx.schema("Value cannot be empty", &bp, b);
                    }
                    for (i, branch) in b.items().iter().enumerate() {
                        check_machine(
                            ctx,
                            branch,
                            &index(&bp, i),
                            depth + 1,
                            machine_ql,
                            names,
                            false,
                        );
                    }
                }
            } else {
                ctx.schema("These fields are required: [Branches]", path, state);
            }
        }
        "Map" => map::check_map(ctx, state, path, depth, ql, machine_ql, names),
        _ => {}
    }
}

/// Report when more than one of `group` is present (at the first one's location).
pub fn exclusive(ctx: &mut Ctx, obj: &Node, path: &Path, group: &[&str]) {
    let present: Vec<&str> = group
        .iter()
        .copied()
        .filter(|f| obj.get(f).is_some())
        .collect();
    if present.len() > 1
        && let Some(first) = obj.get(present[0])
    {
        ctx.schema(
            format!(
                "Only one of the following fields can be specified: [{}]",
                group.join(", ")
            ),
            &key(path, present[0]),
            first,
        );
    }
}

fn check_wait<'n>(
    ctx: &mut Ctx,
    state: &'n Node<'n>,
    path: &Path,
    ql: Ql,
    get: &dyn Fn(&str) -> Option<&'n Node<'n>>,
) {
    let group = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
    let present = group.iter().filter(|f| state.get(f).is_some()).count();
    if present == 0 {
        ctx.schema(
            "One of the following fields must be specified: [Seconds, SecondsPath, Timestamp, TimestampPath]",
            path,
            state,
        );
    } else {
        exclusive(ctx, state, path, &group);
    }
    if let Some(n) = get("Seconds") {
        check_int(ctx, n, &key(path, "Seconds"), ql, 0, Some(99_999_999));
    }
    if let Some(n) = get("Timestamp") {
        let p = key(path, "Timestamp");
        if ql == Ql::Jsonata && jsonata::is_expression(n) {
            jsonata::check_expression(ctx, n, &p);
        } else if expect_type(ctx, n, &p, "STRING") && !paths::is_rfc3339(n.as_str().unwrap_or(""))
        {
            ctx.schema("String does not match RFC3339 timestamp", &p, n);
        }
    }
    for f in ["SecondsPath", "TimestampPath"] {
        if let Some(n) = get(f) {
            paths::check_path_field(ctx, n, path, f, true, false);
        }
    }
}

fn check_credentials(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, node, path, "OBJECT") {
        return;
    }
    let has_role =
        node.get("RoleArn").is_some() || (ql == Ql::JsonPath && node.get("RoleArn.$").is_some());
    if !has_role {
        ctx.schema(
            "The field 'RoleArn' is required but was missing",
            path,
            node,
        );
    }
    match ql {
        Ql::JsonPath => paths::check_template(ctx, node, path),
        Ql::Jsonata => jsonata::check_template(ctx, node, path),
    }
}

fn check_assign(ctx: &mut Ctx, node: &Node, path: &Path, ql: Ql) {
    if !expect_type(ctx, node, path, "OBJECT") {
        return;
    }
    for m in node.members() {
        let name = m.key.strip_suffix(".$").unwrap_or(&m.key);
        if name.is_empty() || name.starts_with('$') || name.contains(['.', ' ']) {
            ctx.schema(
                format!("The variable name '{name}' is not valid"),
                path,
                node,
            );
        }
    }
    match ql {
        Ql::JsonPath => paths::check_template(ctx, node, path),
        Ql::Jsonata => jsonata::check_template(ctx, node, path),
    }
}
