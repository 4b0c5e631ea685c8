//! The Choice rule builder: each rule's condition (comparison with any operator, And/Or/Not nesting,
//! or a JSONata Condition), its Next, its Assign (and Output in JSONata), reorder/remove, "Add rule",
//! and the Default state.

use super::{Ctx, commit, control};
use leptos::prelude::*;
use serde_json::Value;
use studio::choice_rules::{self, Operand, RuleKind};
use studio::fields::{self, Kind, Ql, Seg};

/// Deepest condition nesting shown as controls (deeper ones are edited as JSON).
const MAX_NESTING: usize = 6;

fn value_at(ctx: Ctx, path: &[Seg]) -> Option<Value> {
    ctx.current.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| fields::get_at(&c.value, path).cloned())
    })
}

fn join(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

/// The editor of one condition at `path` (a rule or a nested operand).
fn condition(ctx: Ctx, path: Vec<Seg>, label: String, depth: usize, jsonata: bool) -> AnyView {
    let rule = value_at(ctx, &path).unwrap_or(Value::Null);
    if jsonata {
        return control(
            ctx,
            join(&path, &[Seg::key("Condition")]),
            "Condition",
            Some(format!("{label} condition")),
            Kind::Text,
            true,
        );
    }
    if depth > MAX_NESTING {
        return control(
            ctx,
            path,
            "Condition (JSON)",
            Some(format!("{label} JSON")),
            Kind::Json,
            false,
        );
    }
    let kind = choice_rules::kind_of(&rule);
    let p1 = path.clone();
    let kind_select = view! {
        <select class="rule-kind" aria-label=format!("{label} type") on:change=move |ev| {
            if let (Some(k), Some(rule)) = (RuleKind::from_label(&event_target_value(&ev)), value_at(ctx, &p1)) {
                let _ = commit(ctx, &p1, Some(choice_rules::set_kind(&rule, k)), None);
            }
        }>
            {RuleKind::JSONPATH.iter().map(|k| view! {
                <option value=k.label() selected={*k == kind}>{k.label()}</option>
            }).collect_view()}
        </select>
    };
    let body = match kind {
        RuleKind::Compare => {
            let op = choice_rules::operator_of(&rule);
            let p2 = path.clone();
            let op_select = view! {
                <div class="fld">
                    <label>"Operator"</label>
                    <select aria-label=format!("{label} operator") data-field=fields::path_id(&path) on:change=move |ev| {
                        if let Some(rule) = value_at(ctx, &p2) {
                            let _ = commit(ctx, &p2, Some(choice_rules::set_operator(&rule, &event_target_value(&ev))), None);
                        }
                    }>
                        <option value="" selected={op.is_none()}>"—"</option>
                        {choice_rules::OPERATORS.iter().map(|(o, _)| view! {
                            <option value=*o selected={Some(*o) == op}>{*o}</option>
                        }).collect_view()}
                    </select>
                </div>
            };
            let value = op.map(|o| {
                let kind = match choice_rules::operand(o) {
                    Some(Operand::Number) => Kind::Number,
                    Some(Operand::Bool) => Kind::Bool,
                    _ => Kind::Text,
                };
                control(
                    ctx,
                    join(&path, &[Seg::key(o)]),
                    "Value",
                    Some(format!("{label} value")),
                    kind,
                    false,
                )
            });
            view! {
                {control(ctx, join(&path, &[Seg::key("Variable")]), "Variable", Some(format!("{label} variable")), Kind::Text, false)}
                {op_select}
                {value}
            }
            .into_any()
        }
        RuleKind::And | RuleKind::Or => {
            let key = if kind == RuleKind::And { "And" } else { "Or" };
            let n = rule.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            let children = (0..n)
                .map(|i| {
                    let child = join(&path, &[Seg::key(key), Seg::Index(i)]);
                    let child_label = format!("{label}.{}", i + 1);
                    let rm = child.clone();
                    view! {
                        <div class="cond-child">
                            <button class="btn small danger cond-remove" aria-label=format!("Remove {child_label}")
                                on:click=move |_| { let _ = commit(ctx, &rm, None, None); }>"✕"</button>
                            {condition(ctx, child, child_label.clone(), depth + 1, false)}
                        </div>
                    }
                })
                .collect_view();
            let list_path = join(&path, &[Seg::key(key)]);
            view! {
                <div class="cond-list">{children}</div>
                <button class="btn small" aria-label=format!("Add condition to {label}") on:click=move |_| {
                    let mut items = value_at(ctx, &list_path).and_then(|v| v.as_array().cloned()).unwrap_or_default();
                    items.push(choice_rules::new_comparison());
                    let _ = commit(ctx, &list_path, Some(Value::Array(items)), None);
                }>"+ Condition"</button>
            }
            .into_any()
        }
        RuleKind::Not => view! {
            <div class="cond-child">{condition(ctx, join(&path, &[Seg::key("Not")]), format!("{label}.1"), depth + 1, false)}</div>
        }
        .into_any(),
        RuleKind::Condition => control(
            ctx,
            join(&path, &[Seg::key("Condition")]),
            "Condition",
            Some(format!("{label} condition")),
            Kind::Text,
            true,
        ),
    };
    view! {
        <div class="cond" data-kind=kind.label()>
            {kind_select}
            {body}
        </div>
    }
    .into_any()
}

fn rules(ctx: Ctx) -> Vec<Value> {
    value_at(ctx, &[Seg::key("Choices")])
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

fn set_rules(ctx: Ctx, items: Vec<Value>) {
    let _ = commit(ctx, &[Seg::key("Choices")], Some(Value::Array(items)), None);
}

/// The rule builder of a Choice state.
pub fn choice_editor(ctx: Ctx) -> AnyView {
    let (n, jsonata) = ctx.current.with_untracked(|c| {
        c.as_ref().map_or((0, false), |c| {
            (
                c.value
                    .get("Choices")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len),
                c.ql == Ql::Jsonata,
            )
        })
    });
    let list = (0..n)
        .map(|i| {
            let label = format!("Rule {}", i + 1);
            let path = vec![Seg::key("Choices"), Seg::Index(i)];
            view! {
                <div class="list-item rule" role="group" aria-label=label.clone() data-field=fields::path_id(&path)>
                    <div class="list-item-head">
                        <span>{label.clone()}</span>
                        <div class="item-buttons">
                            <button class="btn small" aria-label=format!("Move rule {} up", i + 1) prop:disabled={i == 0}
                                on:click=move |_| set_rules(ctx, fields::move_item(&Value::Array(rules(ctx)), i, i.saturating_sub(1)).as_array().cloned().unwrap_or_default())>"↑"</button>
                            <button class="btn small" aria-label=format!("Move rule {} down", i + 1) prop:disabled={i + 1 >= n}
                                on:click=move |_| set_rules(ctx, fields::move_item(&Value::Array(rules(ctx)), i, i + 1).as_array().cloned().unwrap_or_default())>"↓"</button>
                            <button class="btn small danger" aria-label=format!("Remove rule {}", i + 1)
                                on:click=move |_| {
                                    let mut items = rules(ctx);
                                    if i < items.len() { items.remove(i); }
                                    set_rules(ctx, items);
                                }>"✕"</button>
                        </div>
                    </div>
                    {condition(ctx, path.clone(), label.clone(), 0, jsonata)}
                    {control(ctx, vec![Seg::key("Choices"), Seg::Index(i), Seg::key("Next")], "Then go to", Some(format!("{label} next")), Kind::StateRef, false)}
                    {fields::rule_fields(if jsonata { Ql::Jsonata } else { Ql::JsonPath }).into_iter().map(|(key, name, kind)| {
                        control(ctx, vec![Seg::key("Choices"), Seg::Index(i), Seg::key(key)], name, Some(format!("{label} {}", key.to_lowercase())), kind, jsonata)
                    }).collect_view()}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="list-editor" role="group" aria-label="Choice rules" data-field="Choices">
            <div class="list-title">"Rules"</div>
            {list}
            <button class="btn small" on:click=move |_| {
                let me = ctx.current.with_untracked(|c| c.as_ref().map(|c| c.name.clone())).unwrap_or_default();
                let target = ctx.targets.with_untracked(|t| t.iter().find(|n| **n != me).or(t.first()).cloned()).unwrap_or(me);
                let mut items = rules(ctx);
                items.push(choice_rules::new_rule(jsonata, &target));
                set_rules(ctx, items);
            }>"+ Add rule"</button>
            {control(ctx, vec![Seg::key("Default")], "Default state", None, Kind::StateRef, false)}
        </div>
    }
    .into_any()
}
