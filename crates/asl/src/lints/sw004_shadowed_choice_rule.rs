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
use crate::syntax::Node;
use crate::validate::{Ctx, index, key};

pub const CODE: &str = "SW004";
pub const SUMMARY: &str = "Choice rule shadowed by an earlier rule";

/// The part of a rule that decides whether it matches.
fn condition(rule: &Node) -> serde_json::Value {
    let mut v = rule.to_value();
    if let Some(map) = v.as_object_mut() {
        for k in ["Next", "Comment", "Assign", "Output"] {
            map.shift_remove(k);
        }
    }
    v
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
    if condition(earlier) == condition(later) {
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
    use super::within;

    #[test]
    fn intervals() {
        let inf = f64::INFINITY;
        assert!(within((10.0, false, inf, false), (5.0, false, inf, false)));
        assert!(!within((5.0, false, inf, false), (10.0, false, inf, false)));
        assert!(within((5.0, true, 5.0, true), (5.0, true, inf, false)));
        assert!(!within((5.0, true, 5.0, true), (5.0, false, inf, false)));
    }
}
