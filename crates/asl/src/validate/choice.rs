//! Choice states: Choices, each rule's comparison operator and operand type, nested And/Or/Not,
//! and (JSONata) Condition.

use super::state::{Ql, expect_type};
use super::{Ctx, Path, index, jsonata, key, paths};
use crate::syntax::{Node, NodeKind};

/// Comparison operators and the type of their operand ("STRING", "NUMBER", "BOOLEAN",
/// "TIMESTAMP", or "PATH" for the *Path variants).
const OPERATORS: &[(&str, &str)] = &[
    ("StringEquals", "STRING"),
    ("StringLessThan", "STRING"),
    ("StringGreaterThan", "STRING"),
    ("StringLessThanEquals", "STRING"),
    ("StringGreaterThanEquals", "STRING"),
    ("StringMatches", "STRING"),
    ("NumericEquals", "NUMBER"),
    ("NumericLessThan", "NUMBER"),
    ("NumericGreaterThan", "NUMBER"),
    ("NumericLessThanEquals", "NUMBER"),
    ("NumericGreaterThanEquals", "NUMBER"),
    ("BooleanEquals", "BOOLEAN"),
    ("TimestampEquals", "TIMESTAMP"),
    ("TimestampLessThan", "TIMESTAMP"),
    ("TimestampGreaterThan", "TIMESTAMP"),
    ("TimestampLessThanEquals", "TIMESTAMP"),
    ("TimestampGreaterThanEquals", "TIMESTAMP"),
    ("IsNull", "BOOLEAN"),
    ("IsPresent", "BOOLEAN"),
    ("IsNumeric", "BOOLEAN"),
    ("IsString", "BOOLEAN"),
    ("IsBoolean", "BOOLEAN"),
    ("IsTimestamp", "BOOLEAN"),
];

/// The operand type of a comparison operator field, `PATH` for `...Path` variants.
pub fn operator_type(field: &str) -> Option<&'static str> {
    if let Some(base) = field.strip_suffix("Path")
        && !base.starts_with("Is")
        && OPERATORS.iter().any(|(o, _)| *o == base)
    {
        return Some("PATH");
    }
    OPERATORS.iter().find(|(o, _)| *o == field).map(|(_, t)| *t)
}

const MAX_RULE_DEPTH: usize = 64;

pub fn check_choice_state(ctx: &mut Ctx, state: &Node, path: &Path, ql: Ql) {
    let cp = key(path, "Choices");
    match state.get("Choices") {
        None => ctx.schema("These fields are required: [Choices]", path, state),
        Some(choices) => {
            if expect_type(ctx, choices, &cp, "ARRAY") {
                if choices.items().is_empty() {
                    ctx.schema("Value cannot be empty", &cp, choices);
                }
                for (i, rule) in choices.items().iter().enumerate() {
                    check_rule(ctx, rule, &index(&cp, i), ql, true, 0);
                }
            }
        }
    }
    if let Some(d) = state.get("Default") {
        expect_type(ctx, d, &key(path, "Default"), "STRING");
    }
}

fn check_rule(ctx: &mut Ctx, rule: &Node, path: &Path, ql: Ql, top: bool, depth: usize) {
    if !expect_type(ctx, rule, path, "OBJECT") {
        return;
    }
    if depth > MAX_RULE_DEPTH {
        ctx.error(
            "TOO_DEEPLY_NESTED",
            "Choice rule nesting is too deep",
            path,
            rule,
        );
        return;
    }
    if ql == Ql::Jsonata {
        for m in rule.members() {
            let ok = matches!(m.key(), "Condition" | "Comment")
                || (top && matches!(m.key(), "Next" | "Assign" | "Output"));
            if !ok {
                ctx.schema(format!("Field '{}' is not supported", m.key), path, rule);
            }
        }
        let mut missing = vec![];
        if rule.get("Condition").is_none() {
            missing.push("Condition");
        }
        if top && rule.get("Next").is_none() {
            missing.push("Next");
        }
        if !missing.is_empty() {
            ctx.schema(
                format!("These fields are required: [{}]", missing.join(", ")),
                path,
                rule,
            );
        }
        if let Some(c) = rule.get("Condition") {
            let p = key(path, "Condition");
            if c.as_bool().is_none() {
                jsonata::check_required_expression(ctx, c, &p);
            }
        }
        if let Some(n) = rule.get("Output") {
            jsonata::check_template(ctx, n, &key(path, "Output"));
        }
        if let Some(n) = rule.get("Assign")
            && expect_type(ctx, n, &key(path, "Assign"), "OBJECT")
        {
            jsonata::check_template(ctx, n, &key(path, "Assign"));
        }
        if let Some(n) = rule.get("Next") {
            expect_type(ctx, n, &key(path, "Next"), "STRING");
        }
        return;
    }
    let mut operators = Vec::new();
    for m in rule.members() {
        let k = m.key();
        let known = matches!(k, "Variable" | "Comment" | "And" | "Or" | "Not")
            || (top && matches!(k, "Next" | "Assign"))
            || operator_type(k).is_some();
        if !known {
            ctx.schema(format!("Field '{k}' is not supported"), path, rule);
        }
        if matches!(k, "And" | "Or" | "Not") || operator_type(k).is_some() {
            operators.push(m);
        }
    }
    if top && rule.get("Next").is_none() {
        ctx.schema("These fields are required: [Next]", path, rule);
    }
    if let Some(n) = rule.get("Next") {
        expect_type(ctx, n, &key(path, "Next"), "STRING");
    }
    if let Some(n) = rule.get("Assign")
        && expect_type(ctx, n, &key(path, "Assign"), "OBJECT")
    {
        paths::check_template(ctx, n, &key(path, "Assign"));
    }
    if operators.len() != 1 {
        ctx.schema(
            if operators.is_empty() {
                "A choice rule must have exactly one comparison operator or one of [And, Or, Not]"
            } else {
                "A choice rule can have only one comparison operator or one of [And, Or, Not]"
            },
            path,
            rule,
        );
    }
    for op in operators {
        let p = key(path, &op.key);
        match op.key() {
            "And" | "Or" => {
                if expect_type(ctx, &op.value, &p, "ARRAY") {
                    if op.value.items().is_empty() {
                        ctx.schema("Value cannot be empty", &p, &op.value);
                    }
                    for (i, r) in op.value.items().iter().enumerate() {
                        check_rule(ctx, r, &index(&p, i), ql, false, depth + 1);
                    }
                }
            }
            "Not" => check_rule(ctx, &op.value, &p, ql, false, depth + 1),
            k => {
                match rule.get("Variable") {
                    None => ctx.schema("These fields are required: [Variable]", path, rule),
                    Some(v) => {
                        let vp = key(path, "Variable");
                        if expect_type(ctx, v, &vp, "STRING")
                            && !paths::is_path(v.as_str().unwrap_or(""))
                        {
                            ctx.schema(
                                "The value for the field 'Variable' must be a valid JSONPath",
                                path,
                                v,
                            );
                        }
                    }
                }
                check_operand(ctx, k, &op.value, &p, path);
            }
        }
    }
}

fn check_operand(ctx: &mut Ctx, op: &str, value: &Node, p: &Path, rule_path: &Path) {
    match operator_type(op) {
        Some("STRING") => {
            expect_type(ctx, value, p, "STRING");
        }
        Some("NUMBER") => {
            expect_type(ctx, value, p, "NUMBER");
        }
        Some("BOOLEAN") => {
            expect_type(ctx, value, p, "BOOLEAN");
        }
        Some("TIMESTAMP")
            if expect_type(ctx, value, p, "STRING")
                && !paths::is_rfc3339(value.as_str().unwrap_or("")) =>
        {
            ctx.schema("String does not match RFC3339 timestamp", p, value);
        }
        Some("PATH") => {
            if let NodeKind::String(s) = &value.kind {
                if !paths::is_reference_path(s) {
                    ctx.schema(
                        format!("The value for the field '{op}' must be a valid ReferencePath"),
                        rule_path,
                        value,
                    );
                }
            } else {
                expect_type(ctx, value, p, "STRING");
            }
        }
        _ => {}
    }
}
