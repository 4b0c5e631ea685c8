//! The Retry and Catch editors: a list of retriers / catchers, each a group of labelled controls,
//! with add, remove and reorder (each one undoable edit of the whole list).

use super::{Ctx, commit, control};
use leptos::prelude::*;
use serde_json::Value;
use studio::fields::{self, Seg};

/// The list at `key` in the selected state (empty when absent).
fn list(ctx: Ctx, key: &str) -> Vec<Value> {
    ctx.current.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| c.value.get(key))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    })
}

fn set_list(ctx: Ctx, key: &str, items: Vec<Value>) {
    let v = (!items.is_empty()).then_some(Value::Array(items));
    let _ = commit(ctx, &[Seg::key(key)], v, None);
}

/// Buttons moving or removing item `i` of the list at `key`.
fn item_buttons(
    ctx: Ctx,
    key: &'static str,
    noun: &'static str,
    i: usize,
    n: usize,
) -> impl IntoView {
    let label = |verb: &str| format!("{verb} {noun} {}", i + 1);
    view! {
        <div class="item-buttons">
            <button class="btn small" aria-label=label("Move up") prop:disabled={i == 0}
                on:click=move |_| set_list(ctx, key, fields::move_item(&Value::Array(list(ctx, key)), i, i.saturating_sub(1)).as_array().cloned().unwrap_or_default())>"↑"</button>
            <button class="btn small" aria-label=label("Move down") prop:disabled={i + 1 >= n}
                on:click=move |_| set_list(ctx, key, fields::move_item(&Value::Array(list(ctx, key)), i, i + 1).as_array().cloned().unwrap_or_default())>"↓"</button>
            <button class="btn small danger" aria-label=label("Remove")
                on:click=move |_| {
                    let mut items = list(ctx, key);
                    if i < items.len() {
                        items.remove(i);
                    }
                    set_list(ctx, key, items);
                }>"✕"</button>
        </div>
    }
}

/// The Retry editor.
pub fn retry_editor(ctx: Ctx) -> AnyView {
    let items = list(ctx, "Retry");
    let n = items.len();
    let rows = (0..n)
        .map(|i| {
            let controls = fields::RETRIER_FIELDS
                .iter()
                .map(|(k, label, kind)| {
                    control(
                        ctx,
                        vec![Seg::key("Retry"), Seg::Index(i), Seg::key(k)],
                        label,
                        Some(format!("Retrier {} {label}", i + 1)),
                        *kind,
                        false,
                    )
                })
                .collect_view();
            view! {
                <div class="list-item" role="group" aria-label=format!("Retrier {}", i + 1)>
                    <div class="list-item-head"><span>{format!("Retrier {}", i + 1)}</span>{item_buttons(ctx, "Retry", "retrier", i, n)}</div>
                    {controls}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="list-editor" role="group" aria-label="Retry" data-field="Retry">
            <div class="list-title">"Retry"</div>
            {rows}
            <button class="btn small" on:click=move |_| {
                let mut items = list(ctx, "Retry");
                items.push(fields::new_retrier());
                set_list(ctx, "Retry", items);
            }>"+ Add retrier"</button>
        </div>
    }
    .into_any()
}

/// The Catch editor.
pub fn catch_editor(ctx: Ctx) -> AnyView {
    let items = list(ctx, "Catch");
    let n = items.len();
    let ql = ctx
        .current
        .with_untracked(|c| c.as_ref().map(|c| c.ql))
        .unwrap_or(fields::Ql::JsonPath);
    let rows = (0..n)
        .map(|i| {
            let controls = fields::catcher_fields(ql)
                .into_iter()
                .map(|(k, label, kind)| {
                    control(
                        ctx,
                        vec![Seg::key("Catch"), Seg::Index(i), Seg::key(k)],
                        label,
                        Some(format!("Catcher {} {label}", i + 1)),
                        kind,
                        k == "Output" || k == "Assign",
                    )
                })
                .collect_view();
            view! {
                <div class="list-item" role="group" aria-label=format!("Catcher {}", i + 1)>
                    <div class="list-item-head"><span>{format!("Catcher {}", i + 1)}</span>{item_buttons(ctx, "Catch", "catcher", i, n)}</div>
                    {controls}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="list-editor" role="group" aria-label="Catch" data-field="Catch">
            <div class="list-title">"Catch"</div>
            {rows}
            <button class="btn small" on:click=move |_| {
                let me = ctx.current.with_untracked(|c| c.as_ref().map(|c| c.name.clone())).unwrap_or_default();
                let target = ctx.targets.with_untracked(|t| t.iter().find(|n| **n != me).or(t.first()).cloned()).unwrap_or(me);
                let mut items = list(ctx, "Catch");
                items.push(fields::new_catcher(&target));
                set_list(ctx, "Catch", items);
            }>"+ Add catcher"</button>
        </div>
    }
    .into_any()
}
