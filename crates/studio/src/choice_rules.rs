//! The Choice rule builder's logic: every comparison operator (with its `*Path` variant and the `Is*`
//! tests), what kind of operand each takes, the shape of a rule (comparison, And/Or/Not, JSONata
//! Condition), and value transforms that change a rule's kind or operator while keeping its other
//! fields (Next, Comment, Assign, Output) in place.

use serde_json::{Map, Value, json};

/// What an operator compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Bool,
    Timestamp,
    /// A reference path (`$.x`) to compare against (`*Path` operators).
    Path,
}

/// Every comparison operator AWS accepts, in a stable order.
pub const OPERATORS: &[(&str, Operand)] = &[
    ("StringEquals", Operand::String),
    ("StringEqualsPath", Operand::Path),
    ("StringLessThan", Operand::String),
    ("StringLessThanPath", Operand::Path),
    ("StringGreaterThan", Operand::String),
    ("StringGreaterThanPath", Operand::Path),
    ("StringLessThanEquals", Operand::String),
    ("StringLessThanEqualsPath", Operand::Path),
    ("StringGreaterThanEquals", Operand::String),
    ("StringGreaterThanEqualsPath", Operand::Path),
    ("StringMatches", Operand::String),
    ("NumericEquals", Operand::Number),
    ("NumericEqualsPath", Operand::Path),
    ("NumericLessThan", Operand::Number),
    ("NumericLessThanPath", Operand::Path),
    ("NumericGreaterThan", Operand::Number),
    ("NumericGreaterThanPath", Operand::Path),
    ("NumericLessThanEquals", Operand::Number),
    ("NumericLessThanEqualsPath", Operand::Path),
    ("NumericGreaterThanEquals", Operand::Number),
    ("NumericGreaterThanEqualsPath", Operand::Path),
    ("BooleanEquals", Operand::Bool),
    ("BooleanEqualsPath", Operand::Path),
    ("TimestampEquals", Operand::Timestamp),
    ("TimestampEqualsPath", Operand::Path),
    ("TimestampLessThan", Operand::Timestamp),
    ("TimestampLessThanPath", Operand::Path),
    ("TimestampGreaterThan", Operand::Timestamp),
    ("TimestampGreaterThanPath", Operand::Path),
    ("TimestampLessThanEquals", Operand::Timestamp),
    ("TimestampLessThanEqualsPath", Operand::Path),
    ("TimestampGreaterThanEquals", Operand::Timestamp),
    ("TimestampGreaterThanEqualsPath", Operand::Path),
    ("IsNull", Operand::Bool),
    ("IsPresent", Operand::Bool),
    ("IsNumeric", Operand::Bool),
    ("IsString", Operand::Bool),
    ("IsBoolean", Operand::Bool),
    ("IsTimestamp", Operand::Bool),
];

/// The operand kind of an operator.
pub fn operand(op: &str) -> Option<Operand> {
    OPERATORS.iter().find(|(o, _)| *o == op).map(|(_, k)| *k)
}

/// What a rule (or a nested condition) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// `Variable` + one operator.
    Compare,
    And,
    Or,
    Not,
    /// JSONata `Condition`.
    Condition,
}

impl RuleKind {
    pub const JSONPATH: [RuleKind; 4] = [
        RuleKind::Compare,
        RuleKind::And,
        RuleKind::Or,
        RuleKind::Not,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RuleKind::Compare => "Comparison",
            RuleKind::And => "And",
            RuleKind::Or => "Or",
            RuleKind::Not => "Not",
            RuleKind::Condition => "Condition",
        }
    }

    pub fn from_label(s: &str) -> Option<RuleKind> {
        [
            RuleKind::Compare,
            RuleKind::And,
            RuleKind::Or,
            RuleKind::Not,
            RuleKind::Condition,
        ]
        .into_iter()
        .find(|k| k.label() == s)
    }
}

/// The kind of a rule value.
pub fn kind_of(rule: &Value) -> RuleKind {
    if rule.get("Condition").is_some() {
        RuleKind::Condition
    } else if rule.get("And").is_some() {
        RuleKind::And
    } else if rule.get("Or").is_some() {
        RuleKind::Or
    } else if rule.get("Not").is_some() {
        RuleKind::Not
    } else {
        RuleKind::Compare
    }
}

/// The comparison operator a rule uses (the first one present).
pub fn operator_of(rule: &Value) -> Option<&'static str> {
    let obj = rule.as_object()?;
    obj.keys()
        .find_map(|k| OPERATORS.iter().find(|(o, _)| o == k).map(|(o, _)| *o))
}

/// A fresh comparison: `$.value` equals an empty string.
pub fn new_comparison() -> Value {
    json!({"Variable": "$.value", "StringEquals": ""})
}

/// A new top-level rule going to `next`.
pub fn new_rule(jsonata: bool, next: &str) -> Value {
    if jsonata {
        json!({"Condition": "{% true %}", "Next": next})
    } else {
        let mut r = new_comparison();
        if let Some(o) = r.as_object_mut() {
            o.insert("Next".into(), Value::String(next.to_string()));
        }
        r
    }
}

const CONDITION_KEYS: &[&str] = &["Variable", "And", "Or", "Not", "Condition"];

fn is_condition_key(k: &str) -> bool {
    CONDITION_KEYS.contains(&k) || operand(k).is_some()
}

/// The rule turned into `kind`, keeping its non-condition fields (Next, Comment, Assign, Output) in
/// place. Turning a comparison into And/Or wraps it as the first operand; Not wraps it; turning
/// And/Or/Not back into a comparison keeps its first operand.
pub fn set_kind(rule: &Value, kind: RuleKind) -> Value {
    if kind_of(rule) == kind {
        return rule.clone();
    }
    let obj = rule.as_object().cloned().unwrap_or_default();
    // The condition part alone.
    let cond: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| is_condition_key(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let cond_v = Value::Object(cond);
    let old = kind_of(rule);
    let inner = match old {
        RuleKind::And | RuleKind::Or => obj
            .get(if old == RuleKind::And { "And" } else { "Or" })
            .and_then(|l| l.get(0))
            .cloned(),
        RuleKind::Not => obj.get("Not").cloned(),
        RuleKind::Compare => {
            Some(cond_v.clone()).filter(|c| c.as_object().is_some_and(|o| !o.is_empty()))
        }
        RuleKind::Condition => None,
    }
    .unwrap_or_else(new_comparison);
    let new_cond: Vec<(String, Value)> = match kind {
        RuleKind::Compare => inner
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        RuleKind::And => vec![("And".into(), json!([inner]))],
        RuleKind::Or => vec![("Or".into(), json!([inner]))],
        RuleKind::Not => vec![("Not".into(), inner)],
        RuleKind::Condition => vec![("Condition".into(), json!("{% true %}"))],
    };
    // Put the new condition where the old one started.
    let mut out = Map::new();
    let mut placed = false;
    for (k, v) in obj {
        if is_condition_key(&k) {
            if !placed {
                for (nk, nv) in &new_cond {
                    out.insert(nk.clone(), nv.clone());
                }
                placed = true;
            }
        } else {
            out.insert(k, v);
        }
    }
    if !placed {
        let rest = std::mem::take(&mut out);
        for (nk, nv) in new_cond {
            out.insert(nk, nv);
        }
        out.extend(rest);
    }
    Value::Object(out)
}

/// The default operand of an operator kind.
pub fn default_operand(k: Operand) -> Value {
    match k {
        Operand::String => json!(""),
        Operand::Number => json!(0),
        Operand::Bool => json!(true),
        Operand::Timestamp => json!("2024-01-01T00:00:00Z"),
        Operand::Path => json!("$.other"),
    }
}

fn fits(k: Operand, v: &Value) -> bool {
    match k {
        Operand::String | Operand::Timestamp => v.is_string(),
        Operand::Path => v.as_str().is_some_and(|s| s.starts_with('$')),
        Operand::Number => v.is_number(),
        Operand::Bool => v.is_boolean(),
    }
}

/// The comparison with its operator replaced by `op` (same position; the operand kept when it fits).
pub fn set_operator(rule: &Value, op: &str) -> Value {
    let Some(kind) = operand(op) else {
        return rule.clone();
    };
    let obj = rule.as_object().cloned().unwrap_or_default();
    let old = operator_of(rule);
    let old_value = old.and_then(|o| obj.get(o)).cloned();
    let value = old_value
        .filter(|v| fits(kind, v))
        .unwrap_or_else(|| default_operand(kind));
    let mut out = Map::new();
    let mut placed = false;
    for (k, v) in obj {
        if Some(k.as_str()) == old {
            out.insert(op.to_string(), value.clone());
            placed = true;
        } else {
            out.insert(k, v);
        }
    }
    if !placed {
        // After Variable, else first.
        let at = out
            .keys()
            .position(|k| k == "Variable")
            .map_or(0, |i| i + 1);
        out.shift_insert(at, op.to_string(), value);
    }
    Value::Object(out)
}

/// The text an operand shows.
pub fn operand_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// The operand value for `op` from the control's text.
pub fn parse_operand(op: &str, text: &str) -> Result<Value, String> {
    match operand(op) {
        Some(Operand::Number) => {
            let t = text.trim();
            serde_json::from_str::<Value>(t)
                .ok()
                .filter(Value::is_number)
                .ok_or_else(|| format!("{op} compares with a number"))
        }
        Some(Operand::Bool) => match text.trim() {
            "true" => Ok(json!(true)),
            "false" => Ok(json!(false)),
            _ => Err(format!("{op} takes true or false")),
        },
        Some(_) => Ok(Value::String(text.to_string())),
        None => Err(format!("unknown operator {op}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_has_a_path_variant_or_is_a_test() {
        for (op, k) in OPERATORS {
            if op.starts_with("Is") {
                assert_eq!(*k, Operand::Bool);
            } else if *k != Operand::Path && *op != "StringMatches" {
                assert_eq!(operand(&format!("{op}Path")), Some(Operand::Path), "{op}");
            }
        }
        assert_eq!(OPERATORS.len(), 39);
        // Every operator is accepted by the validator with its default operand.
        for (op, k) in OPERATORS {
            let mut rule = json!({"Variable": "$.x", "Next": "B"});
            rule[*op] = default_operand(*k);
            let def = json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [rule], "Default": "B"}, "B": {"Type": "Succeed"}}});
            let a = asl::analyze(&def.to_string());
            assert!(!a.has_errors(), "{op}: {:?}", a.diagnostics);
        }
    }

    #[test]
    fn kinds_change_keeping_other_fields() {
        let r = json!({"Variable": "$.a", "NumericEquals": 1, "Next": "X", "Comment": "c"});
        assert_eq!(kind_of(&r), RuleKind::Compare);
        assert_eq!(operator_of(&r), Some("NumericEquals"));
        let and = set_kind(&r, RuleKind::And);
        assert_eq!(
            serde_json::to_string(&and).unwrap(),
            r#"{"And":[{"Variable":"$.a","NumericEquals":1}],"Next":"X","Comment":"c"}"#
        );
        let not = set_kind(&and, RuleKind::Not);
        assert_eq!(not["Not"], json!({"Variable": "$.a", "NumericEquals": 1}));
        let back = set_kind(&not, RuleKind::Compare);
        assert_eq!(back, r);
        let c = set_kind(&r, RuleKind::Condition);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"Condition":"{% true %}","Next":"X","Comment":"c"}"#
        );
        assert_eq!(
            set_kind(&json!({}), RuleKind::Or)["Or"][0],
            new_comparison()
        );
    }

    #[test]
    fn operators_change_in_place() {
        let r = json!({"Variable": "$.a", "NumericEquals": 1, "Next": "X"});
        let s = set_operator(&r, "NumericLessThan");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"Variable":"$.a","NumericLessThan":1,"Next":"X"}"#
        );
        let s = set_operator(&r, "StringEquals");
        assert_eq!(s["StringEquals"], json!(""));
        let s = set_operator(&json!({"Variable": "$.a", "Next": "X"}), "IsPresent");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"Variable":"$.a","IsPresent":true,"Next":"X"}"#
        );
        assert_eq!(set_operator(&r, "Bogus"), r);
        assert_eq!(parse_operand("NumericEquals", " 2.5 "), Ok(json!(2.5)));
        assert!(parse_operand("NumericEquals", "x").is_err());
        assert_eq!(parse_operand("IsNull", "false"), Ok(json!(false)));
        assert_eq!(parse_operand("StringEquals", " a "), Ok(json!(" a ")));
        assert_eq!(operand_text(Some(&json!(3))), "3");
        assert_eq!(new_rule(true, "N")["Condition"], json!("{% true %}"));
        assert_eq!(new_rule(false, "N")["Next"], json!("N"));
    }
}
