//! SW004 — a Choice rule shadowed by an earlier one.
//!
//! **What it finds:** a rule of a Choice state that can only match when an earlier rule already
//! matches: the same condition written twice, a numeric range inside an earlier range on the same
//! Variable (`> 10` after `> 5`), any comparison after `IsPresent: true` on the same Variable, or
//! (JSONata) the same Condition twice or anything after `{% true %}`.
//!
//! **Why:** Choice takes the first rule that matches, so the later rule and its Next are dead.
//!
//! **Example:**
//! ```json
//! "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"},
//!             {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Huge"}]
//! ```
//! Order the rules from the most specific to the least.

use super::State;
use crate::syntax::{Member, Node};
use crate::validate::{Ctx, index, key};

pub const CODE: &str = "SW004";
pub const SUMMARY: &str = "Choice rule shadowed by an earlier rule";

/// The fields of a rule that do not decide whether it matches.
const NOT_CONDITION: [&str; 4] = ["Next", "Comment", "Assign", "Output"];

/// Whether two rules have the same condition: their values (as `serde_json::Value`s, objects
/// compared without regard to key order) are equal once [`NOT_CONDITION`] fields are left out
/// of the rule objects themselves. Compared on the tree, without building the values.
fn same_condition(a: &Node, b: &Node) -> bool {
    match (a.members(), b.members()) {
        (ma, mb) if a.is_object() && b.is_object() => {
            let keep = |m: &&Member| !NOT_CONDITION.contains(&m.key());
            same_members(ma.iter().filter(keep), mb.iter().filter(keep), mb, 0)
        }
        _ => same_value(a, b, 0),
    }
}

/// Object equality as serde_json's: as many keys, and each key of `a` holds an equal value in `b`.
fn same_members<'x, 'y: 'x>(
    a: impl Iterator<Item = &'x Member<'y>> + Clone,
    b: impl Iterator<Item = &'x Member<'y>> + Clone,
    b_all: &[Member],
    depth: usize,
) -> bool {
    if a.clone().count() != b.clone().count() {
        return false;
    }
    a.into_iter().all(|ma| {
        b_all
            .iter()
            .rev()
            .find(|mb| mb.key == ma.key)
            .is_some_and(|mb| {
                b.clone().any(|k| k.key == mb.key) && same_value(&ma.value, &mb.value, depth + 1)
            })
    })
}

/// Equality of two values as `serde_json::Value`s (numbers compared as [`Node::to_value`] reads
/// them). Depth is bounded by the parser's nesting limit.
fn same_value(a: &Node, b: &Node, depth: usize) -> bool {
    use crate::syntax::{NodeKind, number_value};
    if depth > crate::syntax::MAX_DEPTH {
        return false;
    }
    match (&a.kind, &b.kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Bool(x), NodeKind::Bool(y)) => x == y,
        (NodeKind::String(x), NodeKind::String(y)) => x == y,
        (NodeKind::Number(x), NodeKind::Number(y)) => x == y || number_value(x) == number_value(y),
        // A number too large for an f64 reads as null.
        (NodeKind::Number(x), NodeKind::Null) | (NodeKind::Null, NodeKind::Number(x)) => {
            number_value(x).is_null()
        }
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| same_value(p, q, depth + 1))
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => same_members(x.iter(), y.iter(), y, depth),
        _ => false,
    }
}

/// A single numeric comparison as an interval: (low, low inclusive, high, high inclusive).
fn interval<'a>(rule: &'a Node<'_>) -> Option<(&'a str, f64, bool, f64, bool)> {
    let var = rule.get("Variable")?.as_str()?;
    let inf = f64::INFINITY;
    for m in rule.members() {
        let Some(v) = m.value.as_f64() else { continue };
        let r = match m.key() {
            "NumericEquals" => (v, true, v, true),
            "NumericGreaterThan" => (v, false, inf, false),
            "NumericGreaterThanEquals" => (v, true, inf, false),
            "NumericLessThan" => (-inf, false, v, false),
            "NumericLessThanEquals" => (-inf, false, v, true),
            _ => continue,
        };
        return Some((var, r.0, r.1, r.2, r.3));
    }
    None
}

/// Whether every value matching `later` also matches `earlier`.
fn within(later: (f64, bool, f64, bool), earlier: (f64, bool, f64, bool)) -> bool {
    let low_ok = later.0 > earlier.0 || (later.0 == earlier.0 && (earlier.1 || !later.1));
    let high_ok = later.2 < earlier.2 || (later.2 == earlier.2 && (earlier.3 || !later.3));
    low_ok && high_ok
}

fn is_present_true<'a>(rule: &'a Node<'_>) -> Option<&'a str> {
    (rule.get("IsPresent")?.as_bool()?
        && rule
            .members()
            .iter()
            .all(|m| !matches!(m.key(), "And" | "Or" | "Not")))
    .then(|| rule.get("Variable")?.as_str())
    .flatten()
}

fn compares<'a>(rule: &'a Node<'_>) -> Option<&'a str> {
    let var = rule.get("Variable")?.as_str()?;
    rule.members()
        .iter()
        .any(|m| {
            (m.key.starts_with("String")
                || m.key.starts_with("Numeric")
                || m.key.starts_with("Boolean")
                || m.key.starts_with("Timestamp"))
                && !m.key.ends_with("Path")
        })
        .then_some(var)
}

fn shadows(earlier: &Node, later: &Node) -> bool {
    if let Some(c) = earlier.get("Condition")
        && (c.as_bool() == Some(true)
            || c.as_str().is_some_and(|s| s.replace(' ', "") == "{%true%}"))
    {
        return true;
    }
    if same_condition(earlier, later) {
        return true;
    }
    if let (Some(e), Some(l)) = (interval(earlier), interval(later))
        && e.0 == l.0
        && within((l.1, l.2, l.3, l.4), (e.1, e.2, e.3, e.4))
    {
        return true;
    }
    if let (Some(e), Some(l)) = (is_present_true(earlier), compares(later)) {
        return e == l;
    }
    false
}

pub(crate) fn check(ctx: &mut Ctx, state: &State) {
    if state.ty() != "Choice" {
        return;
    }
    let Some(choices) = state.node.get("Choices") else {
        return;
    };
    let rules = choices.items();
    let state_path = state.path();
    let list_path = key(&state_path, "Choices");
    for (i, rule) in rules.iter().enumerate() {
        if let Some(j) = rules.iter().take(i).position(|e| shadows(e, rule)) {
            ctx.warning(
                CODE,
                format!(
                    "Choice rule #{i} of '{}' can never be taken: rule #{j} matches every input it matches",
                    state.name
                ),
                &index(&list_path, i),
                rule,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{NOT_CONDITION, same_condition, within};
    use crate::syntax::{Node, json};

    /// The reference: the rules as `serde_json::Value`s without the non-condition fields.
    fn condition(rule: &Node) -> serde_json::Value {
        let mut v = rule.to_value();
        if let Some(map) = v.as_object_mut() {
            for k in NOT_CONDITION {
                map.shift_remove(k);
            }
        }
        v
    }

    #[test]
    fn same_condition_agrees_with_values() {
        let rules = [
            r#"{"Variable":"$.n","NumericGreaterThan":5,"Next":"A"}"#,
            r#"{"NumericGreaterThan":5,"Variable":"$.n","Next":"B","Comment":"x"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":5.0,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":5e0,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":1e400,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":null,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":-0,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":0,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":6,"Next":"A"}"#,
            r#"{"Variable":"$.m","NumericGreaterThan":5,"Next":"A"}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":5}"#,
            r#"{"Variable":"$.n","NumericGreaterThan":5,"Next":"A","Extra":1}"#,
            r#"{"And":[{"Variable":"$.a","IsPresent":true},{"Variable":"$.b","StringEquals":"x"}],"Next":"A"}"#,
            r#"{"And":[{"Variable":"$.b","StringEquals":"x"},{"Variable":"$.a","IsPresent":true}],"Next":"A"}"#,
            r#"{"And":[{"IsPresent":true,"Variable":"$.a"},{"StringEquals":"x","Variable":"$.b"}],"Next":"C"}"#,
            r#"{"Not":{"Variable":"$.a","BooleanEquals":true},"Next":"A"}"#,
            r#"{"Not":{"Variable":"$.a","BooleanEquals":false},"Next":"A"}"#,
            r#"{"Not":{"Variable":"$.a","BooleanEquals":true,"Next":"X"},"Next":"A"}"#,
            r#"{"Condition":"{% true %}","Next":"A"}"#,
            r#"{"Condition":"{% true %}","Next":"B","Output":{"x":1}}"#,
            r#"{"Condition":true,"Next":"A"}"#,
            r#"{"Next":"A"}"#,
            r#"{}"#,
            r#"[1,2]"#,
            r#"[2,1]"#,
            r#""s""#,
            r#"null"#,
            r#"{"Variable":"$.n","X":{"a":[1,{"b":null}]},"Next":"A"}"#,
            r#"{"Variable":"$.n","X":{"a":[1,{"b":1e999}]},"Next":"A"}"#,
            r#"{"Variable":"$.n","X":{"a":[1,{"c":null}]},"Next":"A"}"#,
        ];
        let nodes: Vec<Node> = rules.iter().map(|r| json::parse(r).unwrap()).collect();
        for (i, a) in nodes.iter().enumerate() {
            for (j, b) in nodes.iter().enumerate() {
                assert_eq!(
                    same_condition(a, b),
                    condition(a) == condition(b),
                    "{} vs {}",
                    rules[i],
                    rules[j]
                );
            }
        }
    }

    #[test]
    fn intervals() {
        let inf = f64::INFINITY;
        assert!(within((10.0, false, inf, false), (5.0, false, inf, false)));
        assert!(!within((5.0, false, inf, false), (10.0, false, inf, false)));
        assert!(within((5.0, true, 5.0, true), (5.0, true, inf, false)));
        assert!(!within((5.0, true, 5.0, true), (5.0, false, inf, false)));
    }
}
