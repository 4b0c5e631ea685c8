//! The inspector's controls: one labelled control per field (text, number, JSON, select), its
//! diagnostics underneath, a JSONata preview beside `{% %}` fields. Every change is one `SetField`
//! (or `SetTransition` for Next/Default) edit; typing in one field coalesces into one undo step.

pub mod choice;
pub mod lists;

use crate::state::AppState;
use asl::Severity;
use leptos::prelude::*;
use serde_json::Value;
use studio::fields::{self, Kind, Ql, Seg};
use studio::{Edit, ScopeStep, Transition};

/// `Sel::kind` when no state is selected and the inspector edits the state machine's own fields.
pub const MACHINE_KIND: &str = "StateMachine";

/// The selected state (or, with [`MACHINE_KIND`], the machine) as the inspector sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sel {
    pub scope: Vec<ScopeStep>,
    pub name: String,
    pub value: Value,
    pub ql: Ql,
    pub kind: String,
}

/// What every control reads (all `Copy`).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub app: AppState,
    pub current: Memo<Option<Sel>>,
    /// The selected state's diagnostics by path inside it.
    pub diags: Memo<Vec<(Vec<Seg>, Severity, String)>>,
    /// State names of the selected state's scope (transition targets).
    pub targets: Memo<Vec<String>>,
    pub preview: Memo<Option<studio::preview::Scope>>,
}

/// The DOM id of a control.
pub fn control_id(path: &[Seg]) -> String {
    let id: String = fields::path_id(path)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("fld-{id}")
}

/// Stores `value` at `path` in the selected state: one edit (keyed edits coalesce while typing).
pub fn commit(
    ctx: Ctx,
    path: &[Seg],
    value: Option<Value>,
    key: Option<&str>,
) -> Result<(), String> {
    let Some(cur) = ctx.current.get_untracked() else {
        return Err("no state is selected".into());
    };
    let Some(Seg::Key(top)) = path.first() else {
        return Err("bad field".into());
    };
    if path.len() == 1
        && (top == "Next" || top == "Default")
        && cur.value.get(top) != value.as_ref()
    {
        let transition = if top == "Next" {
            Transition::Next
        } else {
            Transition::Default
        };
        ctx.app.seal();
        ctx.app.edit(
            Edit::SetTransition {
                scope: cur.scope,
                state: cur.name,
                transition,
                target: value.and_then(|v| v.as_str().map(str::to_string)),
            },
            None,
        );
        return Ok(());
    }
    let new_state = fields::set_at(&cur.value, path, value)?;
    let new_top = new_state.get(top).cloned();
    if new_top.as_ref() == cur.value.get(top) {
        return Ok(());
    }
    if key.is_none() {
        ctx.app.seal();
    }
    let edit = if cur.kind == MACHINE_KIND {
        Edit::SetMachineField {
            scope: cur.scope,
            field: top.clone(),
            value: new_top,
        }
    } else {
        Edit::SetField {
            scope: cur.scope,
            state: cur.name,
            field: top.clone(),
            value: new_top,
        }
    };
    ctx.app.edit(edit, key);
    if key.is_none() {
        ctx.app.seal();
    }
    Ok(())
}

/// The messages under a control.
fn messages(
    ctx: Ctx,
    path: StoredValue<Vec<Seg>>,
    local: RwSignal<Option<String>>,
) -> impl IntoView {
    move || {
        let mut out: Vec<(String, String)> = ctx.diags.with(|d| {
            path.with_value(|p| fields::messages_for(d, p))
                .into_iter()
                .map(|(s, m)| {
                    let class = match s {
                        Severity::Error => "field-msg error",
                        Severity::Warning => "field-msg warning",
                    };
                    (class.to_string(), m)
                })
                .collect()
        });
        if let Some(e) = local.get() {
            out.insert(0, ("field-msg error".into(), e));
        }
        out.into_iter()
            .map(|(class, m)| view! { <div class=class>{m}</div> })
            .collect_view()
    }
}

/// The JSONata preview of the value at `path`, when it holds a `{% %}` template.
fn preview(ctx: Ctx, path: StoredValue<Vec<Seg>>) -> impl IntoView {
    move || {
        let (kind, value) = ctx.current.with(|c| {
            c.as_ref().filter(|c| c.ql == Ql::Jsonata).and_then(|c| {
                path.with_value(|p| fields::get_at(&c.value, p).cloned())
                    .map(|v| (c.kind.clone(), v))
            })
        })?;
        if !studio::preview::has_template(&value) {
            return None;
        }
        let scope = ctx.preview.get()?;
        let studio::preview::Preview { head, text, failed } =
            path.with_value(|p| studio::preview::preview(&kind, p, &value, &scope));
        Some(view! {
            <div class="preview" class:failed=failed role="region" aria-label="JSONata preview">
                <div class="preview-head">"Preview · " {head}</div>
                <pre class="preview-out">{text}</pre>
            </div>
        })
    }
}

/// One labelled control for the value at `path`. `aria` overrides the accessible name (list items).
pub fn control(
    ctx: Ctx,
    path: Vec<Seg>,
    label: &str,
    aria: Option<String>,
    kind: Kind,
    with_preview: bool,
) -> AnyView {
    let id = control_id(&path);
    let pid = fields::path_id(&path);
    let path = StoredValue::new(path);
    let draft = RwSignal::new(None::<String>);
    let local = RwSignal::new(None::<String>);
    let shown = move || {
        draft.get().unwrap_or_else(|| {
            ctx.current.with(|c| {
                let v = c
                    .as_ref()
                    .and_then(|c| path.with_value(|p| fields::get_at(&c.value, p)));
                fields::display(kind, v)
            })
        })
    };
    let key = format!("field:{pid}");
    let on_text = move |text: String| {
        draft.set(Some(text.clone()));
        match fields::parse(kind, &text) {
            Ok(v) => {
                local.set(None);
                if let Some(cur) = ctx.current.get_untracked() {
                    let k = format!("{key}@{}", cur.name);
                    if let Err(e) = path.with_value(|p| commit(ctx, p, v, Some(&k))) {
                        local.set(Some(e));
                    }
                }
            }
            Err(e) => local.set(Some(e)),
        }
    };
    let on_blur = move || {
        draft.set(None);
        ctx.app.seal();
    };
    let on_pick = move |text: String| {
        let v = fields::parse(kind, &text).ok().flatten();
        if let Err(e) = path.with_value(|p| commit(ctx, p, v, None)) {
            local.set(Some(e));
        }
    };
    let aria_name = aria.unwrap_or_else(|| label.to_string());
    let input = match kind {
        Kind::Select(_) | Kind::StateRef | Kind::Bool => {
            let options = move || -> Vec<String> {
                match kind {
                    Kind::Select(opts) => opts.iter().map(|s| s.to_string()).collect(),
                    Kind::Bool => vec!["true".into(), "false".into()],
                    _ => ctx.targets.get(),
                }
            };
            view! {
                <select id=id.clone() data-field=pid.clone() aria-label=aria_name.clone()
                    on:change=move |ev| on_pick(event_target_value(&ev))>
                    <option value="" prop:selected=move || shown().is_empty()>"—"</option>
                    {move || options().into_iter().map(|o| {
                        let o2 = o.clone();
                        let v = o.clone();
                        view! { <option value=v prop:selected=move || shown() == o2>{o}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        Kind::Json => view! {
            <textarea id=id.clone() data-field=pid.clone() aria-label=aria_name.clone() class="field-json"
                spellcheck="false" rows=move || shown().lines().count().clamp(1, 12).to_string()
                prop:value=shown
                on:input=move |ev| on_text(event_target_value(&ev))
                on:blur=move |_| on_blur()></textarea>
        }
        .into_any(),
        _ => view! {
            <input id=id.clone() data-field=pid.clone() aria-label=aria_name.clone() spellcheck="false"
                prop:value=shown
                on:input=move |ev| on_text(event_target_value(&ev))
                on:blur=move |_| on_blur() />
        }
        .into_any(),
    };
    view! {
        <div class="fld">
            <label for=id.clone()>{label.to_string()}</label>
            {input}
            {messages(ctx, path, local)}
            {with_preview.then(|| preview(ctx, path))}
        </div>
    }
    .into_any()
}
